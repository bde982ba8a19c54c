//! Audits on object storage: uploading a finished audit directory, downloading one.
//!
//! An audit is complete when, and only when, its `summary.json` exists (the scan writes
//! it last, and readers refuse a directory without it). Uploads keep that true on a
//! store: the old `summary.json` is deleted first, every other file goes up, and
//! `summary.json` goes up last, so a prefix whose upload was cut off reads as "not an
//! audit" rather than as an audit with missing or mixed files. Downloads refuse a
//! prefix without one for the same reason.

use std::path::{Path, PathBuf};

use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutPayload, WriteMultipart};

use super::root::{parse_path, to_objects};
use super::{RemoteError, RemoteRoot, retry, runtime};

/// The file whose presence makes a directory or prefix a finished audit.
const SUMMARY: &str = "summary.json";
/// Files above this go up in parts (and are never held in memory whole).
const MULTIPART_ABOVE: u64 = 32 << 20;
/// Part size of a multipart upload; S3 wants at least 5 MiB per part.
const PART_BYTES: usize = 16 << 20;
/// Files moved at once: enough to hide round trips, few enough to bound memory
/// (`TRANSFERS × MULTIPART_ABOVE`).
const TRANSFERS: usize = 4;

/// What an upload or download moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transferred {
    /// Files moved.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
}

impl RemoteRoot {
    /// Uploads every file under `dir` to this prefix (`name` to `prefix/name`), the
    /// prefix's `summary.json` deleted first and `dir`'s uploaded last. `dir` must hold
    /// a finished audit.
    pub fn upload_audit(&self, dir: &Path) -> Result<Transferred, RemoteError> {
        let files = local_files(dir).map_err(|e| self.local_error(dir, e))?;
        if !files.iter().any(|(rel, _)| rel == SUMMARY) {
            return Err(self.local_error(dir, format!("no {SUMMARY}: the audit is not finished")));
        }
        runtime::block_on(self.inner.runtime, self.upload_async(files))
            .map_err(|e| self.write_error(SUMMARY, e.to_string()))?
    }

    async fn upload_async(
        &self,
        files: Vec<(String, PathBuf)>,
    ) -> Result<Transferred, RemoteError> {
        self.delete_if_there(SUMMARY).await?;
        let (summary, rest): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|(rel, _)| rel == SUMMARY);
        let mut moved: Vec<u64> = futures::stream::iter(rest)
            .map(|(rel, path)| async move { self.upload_file(&rel, &path).await })
            .buffer_unordered(TRANSFERS)
            .try_collect()
            .await?;
        for (rel, path) in summary {
            moved.push(self.upload_file(&rel, &path).await?);
        }
        Ok(Transferred {
            files: moved.len() as u64,
            bytes: moved.iter().sum(),
        })
    }

    /// Deletes `rel` under the prefix; absent is fine.
    async fn delete_if_there(&self, rel: &str) -> Result<(), RemoteError> {
        let key = self.key_of(rel);
        let location = parse_path(&key).map_err(|m| self.write_error(&key, m))?;
        let store = &self.inner.store;
        match retry::retry(self.policy(), &self.inner.stats, || store.delete(&location)).await {
            Ok(()) => Ok(()),
            Err(f) if f.is_not_found() => Ok(()),
            Err(f) => Err(self.failed(self.write_error(&key, f.message()))),
        }
    }

    /// Uploads one local file to `rel` under the prefix; returns its size.
    async fn upload_file(&self, rel: &str, path: &Path) -> Result<u64, RemoteError> {
        let key = self.key_of(rel);
        let location = parse_path(&key).map_err(|m| self.write_error(&key, m))?;
        let size = std::fs::metadata(path)
            .map_err(|e| self.local_error(path, e.to_string()))?
            .len();
        let store = &self.inner.store;
        let sent = if size <= MULTIPART_ABOVE {
            let bytes = std::fs::read(path).map_err(|e| self.local_error(path, e.to_string()))?;
            let payload = PutPayload::from(bytes);
            retry::retry(self.policy(), &self.inner.stats, || {
                store.put(&location, payload.clone())
            })
            .await
            .map(|_| ())
        } else {
            // A failed part fails the whole upload; the file is sent again from the start.
            retry::retry(self.policy(), &self.inner.stats, || {
                self.upload_parts(&location, path)
            })
            .await
        };
        sent.map_err(|f| self.failed(self.write_error(&key, f.message())))?;
        Ok(size)
    }

    async fn upload_parts(&self, location: &ObjectPath, path: &Path) -> object_store::Result<()> {
        let local = |e: std::io::Error| object_store::Error::Generic {
            store: "local file",
            source: Box::new(e),
        };
        let upload = self.inner.store.put_multipart(location).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut file = std::fs::File::open(path).map_err(local)?;
        let mut buf = vec![0; PART_BYTES];
        loop {
            let n = std::io::Read::read(&mut file, &mut buf).map_err(local)?;
            if n == 0 {
                break;
            }
            writer.wait_for_capacity(2).await?;
            writer.write(&buf[..n]);
        }
        writer.finish().await.map(|_| ())
    }

    /// Downloads the finished audit under this prefix into `dir` (created); refuses a
    /// prefix without `summary.json`, whose upload never finished.
    pub fn download_audit(&self, dir: &Path) -> Result<Transferred, RemoteError> {
        runtime::block_on(self.inner.runtime, self.download_async(dir))
            .map_err(|e| self.read_error(SUMMARY, e.to_string()))?
    }

    async fn download_async(&self, dir: &Path) -> Result<Transferred, RemoteError> {
        let prefix = parse_path(&self.inner.parsed.prefix).map_err(|m| self.list_error(m))?;
        let metas = self
            .list_all(&prefix, &|_| {})
            .await
            .map_err(|f| self.failed(self.list_error(self.listing_message(&f))))?;
        let objects = to_objects(&self.inner.parsed.prefix, metas);
        if !objects.iter().any(|o| o.rel == SUMMARY) {
            return Err(RemoteError::NotAnAudit {
                url: super::url::redact_url(&self.inner.url),
            });
        }
        let moved: Vec<u64> = futures::stream::iter(objects)
            .map(|object| async move {
                let target = safe_join(dir, &object.rel).ok_or_else(|| {
                    self.read_error(&object.key, "the key cannot be a local file name".into())
                })?;
                self.download_file(&object.key, &target).await
            })
            .buffer_unordered(TRANSFERS)
            .try_collect()
            .await?;
        Ok(Transferred {
            files: moved.len() as u64,
            bytes: moved.iter().sum(),
        })
    }

    /// Streams one object into `target`; returns its size.
    async fn download_file(&self, key: &str, target: &Path) -> Result<u64, RemoteError> {
        let location = parse_path(key).map_err(|m| self.read_error(key, m))?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| self.local_error(parent, e.to_string()))?;
        }
        let store = &self.inner.store;
        let written = retry::retry(self.policy(), &self.inner.stats, || async {
            let local = |e: std::io::Error| object_store::Error::Generic {
                store: "local file",
                source: Box::new(e),
            };
            let mut file = std::fs::File::create(target).map_err(local)?;
            let mut stream = store.get(&location).await?.into_stream();
            let mut size = 0u64;
            while let Some(chunk) = stream.next().await {
                let chunk = chunk?;
                std::io::Write::write_all(&mut file, &chunk).map_err(local)?;
                size += chunk.len() as u64;
            }
            Ok(size)
        })
        .await
        .map_err(|f| self.failed(self.read_error(key, f.message())))?;
        super::RemoteStats::add(&self.inner.stats.bytes_fetched, written);
        Ok(written)
    }

    fn write_error(&self, key: &str, message: String) -> RemoteError {
        RemoteError::Write {
            url: super::url::redact_url(&self.inner.url),
            key: key.to_string(),
            message,
        }
    }

    fn local_error(&self, path: &Path, message: impl std::fmt::Display) -> RemoteError {
        RemoteError::Local {
            path: path.display().to_string(),
            message: message.to_string(),
        }
    }
}

/// Every file under `dir`, as (`/`-separated relative path, path), sorted.
fn local_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map_err(|e| e.to_string())?
            .components()
            .map(|c| c.as_os_str().to_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("{} is not UTF-8", entry.path().display()))?
            .join("/");
        files.push((rel, entry.path().to_path_buf()));
    }
    Ok(files)
}

/// `dir/rel` when every segment of `rel` is a plain name (no `..`, no absolute path):
/// a key must never write outside the download folder.
fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return None;
        }
        path.push(part);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_leave_the_download_folder() {
        let dir = Path::new("/tmp/d");
        assert_eq!(
            safe_join(dir, "a/b.json"),
            Some(PathBuf::from("/tmp/d/a/b.json"))
        );
        for bad in ["../x", "a/../../x", "", "a//b", "./a", "a\\..\\b"] {
            assert_eq!(safe_join(dir, bad), None, "{bad}");
        }
    }
}
