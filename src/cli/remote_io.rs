//! Audits on object storage for the command line: `--out s3://…` written to a local
//! staging folder and uploaded when finished (`summary.json` last), and audit inputs
//! (`merge` shards, `--baseline`, `--resume`'s prior audit) downloaded from a prefix
//! before the verbs, which read only local folders, run.
//!
//! Keeping the network at the edges means every verb keeps its local semantics (an
//! audit is finished when its `summary.json` is there) and the store only ever sees
//! finished audits being published.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::remote::{RemoteOptions, RemoteRoot, RemoteStats, is_remote};

/// How object stores are reached: shared by every verb that lists, reads or writes one.
#[derive(Debug, Clone, Args)]
pub(crate) struct RemoteArgs {
    /// An S3-compatible endpoint (MinIO, SeaweedFS, Ceph, R2...) for s3:// URLs, e.g.
    /// http://127.0.0.1:8333: path-style requests, plain HTTP allowed. Credentials come
    /// from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else the AWS_PROFILE (or default)
    /// profile in ~/.aws/credentials; with none, requests are unsigned.
    #[arg(long, value_name = "URL")]
    pub s3_endpoint: Option<String>,

    /// At most this many retries of an object-store request that failed transiently
    /// (503 SlowDown, 429, timeouts, resets); default: no count, only
    /// --remote-retry-budget. Each retry is counted in summary.json.
    #[arg(long, value_name = "N")]
    pub remote_retries: Option<u32>,

    /// How long one object-store request keeps being retried (waits drawn at random
    /// up to a doubling step from 100 ms to 20 s, at least what the store's Retry-After
    /// asks) before its file gets an error row: 10m, 90s, 1h; a bare number is minutes.
    #[arg(long, default_value = "10m", value_name = "DURATION", value_parser = crate::remote::parse_budget)]
    pub remote_retry_budget: Duration,
}

impl RemoteArgs {
    /// Sets these arguments on `options`.
    pub fn apply(&self, options: &mut RemoteOptions) {
        options.s3_endpoint = self.s3_endpoint.clone();
        options.max_retries = self.remote_retries.unwrap_or(u32::MAX);
        options.retry_budget = self.remote_retry_budget;
    }

    pub fn options(&self) -> RemoteOptions {
        let mut options = RemoteOptions::default();
        self.apply(&mut options);
        options
    }
}

/// A folder this process made and removes when done, unless told to keep it.
#[derive(Debug)]
pub(crate) struct Scratch {
    path: PathBuf,
    remove: bool,
}

impl Scratch {
    /// A new empty folder under the system's temporary folder.
    pub fn new(purpose: &str) -> Result<Scratch, String> {
        let base = std::env::temp_dir();
        for attempt in 0..100u32 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let name = format!(
                "provaudit-{purpose}-{}-{nanos:09}-{attempt}",
                std::process::id()
            );
            let path = base.join(name);
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Scratch { path, remove: true }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(format!(
                        "cannot create a staging folder in {}: {e}; set TMPDIR to a writable \
                         folder or pass --staging DIR",
                        base.display()
                    ));
                }
            }
        }
        Err(format!(
            "cannot create a staging folder in {}: every name tried is taken; pass --staging DIR",
            base.display()
        ))
    }

    /// A folder the user named: created if missing, never removed.
    fn given(path: &Path) -> Result<Scratch, String> {
        std::fs::create_dir_all(path)
            .map_err(|e| format!("cannot create the staging folder {}: {e}", path.display()))?;
        Ok(Scratch {
            path: path.to_path_buf(),
            remove: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Leaves the folder in place (it holds something the user still needs).
    pub fn keep(mut self) -> PathBuf {
        self.remove = false;
        self.path.clone()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.remove {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Where a verb writes its audit: `--out` itself, or a staging folder that is uploaded
/// to `--out`'s prefix once the audit is finished.
#[derive(Debug)]
pub(crate) struct Output {
    local: PathBuf,
    remote: Option<(String, Scratch)>,
}

impl Output {
    /// `out` as a local folder, or (for `s3://`, `gs://`, `az://` ...) a staging folder:
    /// `staging` when given, else a temporary one. Any other URL is refused: taken as a
    /// path it would create a folder named `s3:` or `ftp:`.
    pub fn new(out: &Path, staging: Option<&Path>) -> Result<Output, String> {
        let text = out.to_string_lossy();
        let uploadable = is_remote(&text) && !text.to_ascii_lowercase().starts_with("http");
        if !uploadable {
            crate::contract::refuse_url_output(out)?;
            if staging.is_some() {
                return Err(format!(
                    "--staging is for an object-store --out (s3://, gs://, az://); {} is a \
                     local folder, written directly",
                    out.display()
                ));
            }
            return Ok(Output {
                local: out.to_path_buf(),
                remote: None,
            });
        }
        crate::remote::check_built(&text).map_err(|e| e.to_string())?;
        let scratch = match staging {
            Some(path) => Scratch::given(path)?,
            None => Scratch::new("out")?,
        };
        Ok(Output {
            local: scratch.path().to_path_buf(),
            remote: Some((text.into_owned(), scratch)),
        })
    }

    /// The local folder the verb writes to.
    pub fn local(&self) -> &Path {
        &self.local
    }

    /// Uploads a finished audit to the store (nothing to do for a local `--out`). On
    /// failure the staging folder is kept and the message says where it is.
    pub fn publish(self, options: &RemoteOptions) -> Result<(), String> {
        let Some((url, scratch)) = self.remote else {
            return Ok(());
        };
        let uploaded = RemoteRoot::open(&url, options, Arc::new(RemoteStats::default()))
            .and_then(|root| root.upload_audit(scratch.path()));
        match uploaded {
            Ok(_) => Ok(()),
            Err(e) => {
                let kept = scratch.keep();
                Err(format!(
                    "{e}\nthe finished audit is kept in {}: copy that folder to {url} \
                     (summary.json last), or run again once the store is reachable",
                    kept.display()
                ))
            }
        }
    }
}

/// An audit to read: a local folder as given, or a prefix downloaded into a temporary
/// folder that lives as long as this value.
#[derive(Debug)]
pub(crate) struct Input {
    path: PathBuf,
    _scratch: Option<Scratch>,
}

impl Input {
    /// `audit` itself when local; else its finished audit, downloaded.
    pub fn fetch(audit: &Path, options: &RemoteOptions) -> Result<Input, String> {
        let text = audit.to_string_lossy();
        if !is_remote(&text) {
            return Ok(Input {
                path: audit.to_path_buf(),
                _scratch: None,
            });
        }
        let scratch = Scratch::new("in")?;
        RemoteRoot::open(&text, options, Arc::new(RemoteStats::default()))
            .and_then(|root| root.download_audit(scratch.path()))
            .map_err(|e| e.to_string())?;
        Ok(Input {
            path: scratch.path().to_path_buf(),
            _scratch: Some(scratch),
        })
    }

    /// The local folder holding the audit.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// What `--resume` finds at `out`: for an object-store prefix, its finished audit is
/// downloaded and checked like a local one (a prefix without one is scanned).
pub(crate) fn prior_audit(
    out: &Path,
    options: &crate::scan::ScanOptions,
) -> Result<crate::scan::resume::Resume, String> {
    use crate::scan::resume::{self, Resume};
    if !is_remote(&out.to_string_lossy()) {
        return resume::check(options).map_err(|e| e.to_string());
    }
    let prior = match Input::fetch(out, &options.discover.remote) {
        Ok(prior) => prior,
        Err(why) => return Ok(Resume::Scan(Some(why), None)),
    };
    resume::check_at(options, prior.path()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(out: &Output) -> Option<&str> {
        out.remote.as_ref().map(|(url, _)| url.as_str())
    }

    #[test]
    fn object_store_outputs_are_staged_and_other_urls_refused() {
        let out = Output::new(Path::new("s3://bucket/audits/x"), None).unwrap();
        assert_eq!(url(&out), Some("s3://bucket/audits/x"));
        let staged = out.local().to_path_buf();
        assert!(staged.is_dir());
        drop(out);
        assert!(!staged.exists(), "the temporary staging folder is removed");
        for url in ["ftp://h/x", "https://h/x", "file:///tmp/x"] {
            let err = Output::new(Path::new(url), None).unwrap_err();
            assert!(err.contains("URL"), "{url}: {err}");
        }
        let local = Output::new(Path::new("audit"), None).unwrap();
        assert_eq!((local.local(), url(&local)), (Path::new("audit"), None));
        assert!(Output::new(Path::new("audit"), Some(Path::new("x"))).is_err());
    }
}
