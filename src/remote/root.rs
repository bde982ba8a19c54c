//! A root's client, listing and reads: the object-store half of this module, compiled
//! only with the `object-store` feature.

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use futures::StreamExt;
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};
use tokio::runtime::Runtime;

use super::retry::{self, Class, Failure, Policy};
use super::source::{self, RemoteSource};
use super::url::{self, ParsedUrl, Scheme};
use super::{RemoteError, RemoteObject, RemoteOptions, RemoteStats};
use super::{runtime, store};
use crate::bytesource::ByteSource;
use crate::rng::SharedSplitMix64;

/// The smallest block accepted: below this, request overhead dominates everything.
const MIN_BLOCK_BYTES: usize = 4 << 10;

/// A bucket/container/host plus a prefix, ready to list and read. Cheap to clone.
#[derive(Clone)]
pub struct RemoteRoot {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) url: String,
    pub(super) parsed: ParsedUrl,
    pub(super) store: Arc<dyn ObjectStore>,
    pub(super) options: RemoteOptions,
    pub(super) stats: Arc<RemoteStats>,
    pub(super) policy: Policy,
    pub(super) runtime: &'static Runtime,
    /// What `rel` is relative to: the prefix, or its parent when the prefix turned out
    /// to name one object. Known after [`RemoteRoot::list`].
    pub(super) base: OnceLock<String>,
}

impl fmt::Debug for RemoteRoot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteRoot")
            .field("url", &url::redact_url(&self.inner.url))
            .field("prefix", &self.inner.parsed.prefix)
            .field("store", &self.inner.store.to_string())
            .finish()
    }
}

impl RemoteRoot {
    /// Parses `url`, finds credentials and builds the store client. Sends no request.
    pub fn open(
        url: &str,
        options: &RemoteOptions,
        stats: Arc<RemoteStats>,
    ) -> Result<RemoteRoot, RemoteError> {
        let parsed = url::parse(url)?;
        let store = store::build(url, &parsed, options)?;
        Self::assemble(url, parsed, store, options, stats)
    }

    /// A root over an already-built store, for tests and in-process stores; `url` still
    /// supplies the prefix and the names used in messages.
    pub fn with_store(
        url: &str,
        store: Arc<dyn ObjectStore>,
        options: &RemoteOptions,
        stats: Arc<RemoteStats>,
    ) -> Result<RemoteRoot, RemoteError> {
        let parsed = url::parse(url)?;
        Self::assemble(url, parsed, store, options, stats)
    }

    fn assemble(
        url: &str,
        parsed: ParsedUrl,
        store: Arc<dyn ObjectStore>,
        options: &RemoteOptions,
        stats: Arc<RemoteStats>,
    ) -> Result<RemoteRoot, RemoteError> {
        let mut options = options.clone();
        options.block_bytes = options.block_bytes.max(MIN_BLOCK_BYTES);
        options.cache_blocks = options.cache_blocks.max(2);
        let runtime = runtime::get()?;
        let policy = Policy {
            max_retries: options.max_retries,
            base: options.retry_base,
            budget: options.retry_budget,
            jitter: Arc::new(SharedSplitMix64::new(
                options.retry_seed.unwrap_or_else(clock_seed),
            )),
        };
        Ok(RemoteRoot {
            inner: Arc::new(Inner {
                url: url.to_string(),
                parsed,
                store,
                options,
                stats,
                policy,
                runtime,
                base: OnceLock::new(),
            }),
        })
    }

    /// The URL as given.
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// The last non-empty segment of the prefix, else the bucket/container/host name:
    /// `s3://b/data/demo/` is "demo", `s3://b` is "b".
    pub fn root_name(&self) -> String {
        let parsed = &self.inner.parsed;
        match parsed.prefix.rsplit('/').find(|s| !s.is_empty()) {
            Some(last) => last.to_string(),
            None => parsed.store_name.clone(),
        }
    }

    /// Counters shared with every other root opened with the same stats.
    pub fn stats(&self) -> &Arc<RemoteStats> {
        &self.inner.stats
    }

    pub(super) fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    pub(super) fn list_error(&self, message: String) -> RemoteError {
        RemoteError::List {
            url: url::redact_url(&self.inner.url),
            message,
        }
    }

    pub(super) fn read_error(&self, key: &str, message: String) -> RemoteError {
        RemoteError::Read {
            url: url::redact_url(&self.inner.url),
            key: key.to_string(),
            message,
        }
    }

    /// Counts a request failure the caller is about to see, and passes the error on.
    pub(super) fn failed(&self, error: RemoteError) -> RemoteError {
        RemoteStats::add(&self.inner.stats.failed_requests, 1);
        error
    }

    /// `scheme://bucket/key` for messages.
    pub(super) fn display(&self, key: &str) -> String {
        let base = self.inner.parsed.store_url.trim_end_matches('/');
        format!("{base}/{key}")
    }

    /// Every object under the prefix, sorted by `rel`, directory markers left out.
    ///
    /// A prefix with nothing under it that names an object itself
    /// (`s3://b/x/file.jsonl`) lists that one object. Over http(s), listing needs a
    /// WebDAV server; a URL naming one file works on any server. An empty result means
    /// nothing is there; the caller decides whether that is an error.
    pub fn list(&self) -> Result<Vec<RemoteObject>, RemoteError> {
        self.list_counted(&|_| {})
    }

    /// [`Self::list`], calling `found` with each object's size as the store's pages
    /// arrive: a bucket of millions of objects takes minutes to list, and a log that
    /// stays silent meanwhile looks hung. An object seen again when a failed listing
    /// restarts is not reported twice.
    pub fn list_counted(
        &self,
        found: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<RemoteObject>, RemoteError> {
        let listed = runtime::block_on(self.inner.runtime, self.list_async(found))
            .map_err(|e| self.list_error(e.to_string()))?;
        let (base, metas) = listed?;
        let _ = self.inner.base.set(base.clone());
        Ok(to_objects(&base, metas))
    }

    async fn list_async(
        &self,
        found: &(dyn Fn(u64) + Sync),
    ) -> Result<(String, Vec<ObjectMeta>), RemoteError> {
        let parsed = &self.inner.parsed;
        let prefix = parse_path(&parsed.prefix).map_err(|m| self.list_error(m))?;
        let listed = self.list_all(&prefix, found).await;
        let may_be_object = !parsed.prefix.is_empty() && !parsed.directory;
        match listed {
            Ok(metas) if !metas.is_empty() || !may_be_object => Ok((parsed.prefix.clone(), metas)),
            Ok(_) => self.single_object(&prefix, None).await,
            Err(failure) if may_be_object && http_listing_unsupported(parsed, &failure) => {
                self.single_object(&prefix, Some(failure)).await
            }
            Err(failure) => Err(self.failed(self.list_error(self.listing_message(&failure)))),
        }
    }

    /// Lists everything under `prefix`, restarting the whole listing on a transient
    /// error (a page token is not kept across attempts: partial results are dropped).
    /// `found` hears of each object once, however many attempts list it.
    pub(super) async fn list_all(
        &self,
        prefix: &Path,
        found: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<ObjectMeta>, Failure> {
        let store = &self.inner.store;
        let prefix = (!prefix.as_ref().is_empty()).then_some(prefix);
        let reported = AtomicU64::new(0);
        let reported = &reported;
        retry::retry(self.policy(), &self.inner.stats, || async move {
            let mut stream = store.list(prefix);
            let mut metas = Vec::new();
            while let Some(meta) = stream.next().await {
                let meta = meta?;
                let seen = metas.len() as u64 + 1;
                if seen > reported.load(Ordering::Relaxed) {
                    reported.store(seen, Ordering::Relaxed);
                    found(meta.size);
                }
                metas.push(meta);
            }
            Ok(metas)
        })
        .await
    }

    /// The prefix as one object (HEAD), listed relative to its parent "directory".
    /// `listing_failure` is what listing said, reported if the object is not there
    /// either.
    async fn single_object(
        &self,
        prefix: &Path,
        listing_failure: Option<Failure>,
    ) -> Result<(String, Vec<ObjectMeta>), RemoteError> {
        let store = &self.inner.store;
        let head = retry::retry(self.policy(), &self.inner.stats, || store.head(prefix)).await;
        let parent = match self.inner.parsed.prefix.rsplit_once('/') {
            Some((parent, _)) => parent.to_string(),
            None => String::new(),
        };
        match (head, listing_failure) {
            (Ok(meta), _) => Ok((parent, vec![meta])),
            (Err(f), None) if f.is_not_found() => Ok((self.inner.parsed.prefix.clone(), vec![])),
            (Err(_), Some(listing)) => {
                Err(self.failed(self.list_error(self.listing_message(&listing))))
            }
            (Err(f), None) => Err(self.failed(self.list_error(f.message()))),
        }
    }

    pub(super) fn listing_message(&self, failure: &Failure) -> String {
        let message = failure.message();
        match self.inner.parsed.scheme {
            Scheme::Http => format!(
                "{message}; listing over http(s) needs a WebDAV server (PROPFIND), so point \
                 the URL at a single file or use the store's native scheme (s3://, gs://...)"
            ),
            _ => message,
        }
    }

    /// The whole of a small object at `rel` (relative to the listing base), or `None`
    /// when it does not exist. Fails with [`RemoteError::TooLarge`] above `limit` bytes
    /// without downloading it.
    pub fn read_small(&self, rel: &str, limit: u64) -> Result<Option<Vec<u8>>, RemoteError> {
        let key = self.key_of(rel);
        runtime::block_on(self.inner.runtime, self.read_small_async(&key, limit))
            .map_err(|e| self.read_error(&key, e.to_string()))?
    }

    async fn read_small_async(
        &self,
        key: &str,
        limit: u64,
    ) -> Result<Option<Vec<u8>>, RemoteError> {
        let location = parse_path(key).map_err(|m| self.read_error(key, m))?;
        let store = &self.inner.store;
        let stats = &self.inner.stats;
        let too_large = |size| RemoteError::TooLarge {
            url: url::redact_url(&self.inner.url),
            key: key.to_string(),
            size,
            limit,
        };
        let meta = match retry::retry(self.policy(), stats, || store.head(&location)).await {
            Ok(meta) => meta,
            Err(f) if f.is_not_found() => return Ok(None),
            Err(f) => return Err(self.failed(self.read_error(key, f.message()))),
        };
        if meta.size > limit {
            return Err(too_large(meta.size));
        }
        let got = retry::retry(self.policy(), stats, || async {
            store
                .get_opts(&location, Default::default())
                .await?
                .bytes()
                .await
        })
        .await;
        match got {
            Ok(bytes) if bytes.len() as u64 > limit => Err(too_large(bytes.len() as u64)),
            Ok(bytes) => {
                RemoteStats::add(&stats.bytes_fetched, bytes.len() as u64);
                Ok(Some(bytes.to_vec()))
            }
            Err(f) if f.is_not_found() => Ok(None),
            Err(f) => Err(self.failed(self.read_error(key, f.message()))),
        }
    }

    /// The full URL of the object at `rel` (relative to the listing base), for messages
    /// and ledgers: `s3://b/data/demo/` and `x.jsonl` give `s3://b/data/demo/x.jsonl`,
    /// and so do `s3://b/data/demo/x.jsonl` and `x.jsonl` once listed.
    pub fn url_of(&self, rel: &str) -> String {
        self.display(&self.key_of(rel))
    }

    /// What listed keys are relative to (the prefix, or its parent when the prefix
    /// named one object); `None` before [`Self::list`].
    pub fn listing_base(&self) -> Option<&str> {
        self.inner.base.get().map(String::as_str)
    }

    /// Sets what [`Self::listing_base`] would be after listing, for a root whose listing
    /// was done by an earlier process (`scan --plan`); a base already known is kept.
    pub fn assume_listing_base(&self, base: &str) {
        let _ = self.inner.base.set(base.to_string());
    }

    /// The full key of `rel`, relative to the listing base.
    pub(crate) fn key_of(&self, rel: &str) -> String {
        let base = self.inner.base.get().unwrap_or(&self.inner.parsed.prefix);
        let rel = rel.trim_start_matches('/');
        match base.is_empty() {
            true => rel.to_string(),
            false => format!("{base}/{rel}"),
        }
    }

    /// The object as a [`ByteSource`] named `name`. Sends no request until read.
    pub fn open_object(&self, object: &RemoteObject, name: String) -> Arc<dyn ByteSource> {
        Arc::new(self.source(object, name))
    }

    /// [`Self::open_object`] with the concrete type, for tests and statistics.
    pub(crate) fn source(&self, object: &RemoteObject, name: String) -> RemoteSource {
        let options = &self.inner.options;
        let fetcher = source::Fetcher {
            store: Arc::clone(&self.inner.store),
            location: parse_path(&object.key),
            display: self.display(&object.key),
            e_tag: object.e_tag.clone(),
            stats: Arc::clone(&self.inner.stats),
            policy: self.policy().clone(),
        };
        RemoteSource::new(
            fetcher,
            self.inner.runtime,
            name,
            object.size,
            options.block_bytes,
            options.cache_blocks,
        )
    }
}

/// A jitter seed that differs between processes started together (the shards of one
/// job), which is the point of jitter.
pub(super) fn clock_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(std::process::id()).rotate_left(32)
}

/// Listing over http(s) failed in a way that means "not a WebDAV server" (rather than
/// "server down"), so the URL may still name a single downloadable file.
pub(super) fn http_listing_unsupported(parsed: &ParsedUrl, failure: &Failure) -> bool {
    parsed.scheme == Scheme::Http && failure.class == Class::Permanent
}

/// A key as an object_store path, or a message saying why it cannot be one.
pub(super) fn parse_path(key: &str) -> Result<Path, String> {
    Path::parse(key).map_err(|e| {
        format!("`{key}` is not a key object_store can address ({e}); rename the object")
    })
}

/// Converts listed metadata into sorted objects relative to `base`, dropping the base
/// itself and directory markers (empty objects whose name is a "directory" of others).
pub(super) fn to_objects(base: &str, metas: Vec<ObjectMeta>) -> Vec<RemoteObject> {
    let mut objects: Vec<RemoteObject> = metas
        .into_iter()
        .filter_map(|meta| {
            let key = meta.location.as_ref().to_string();
            let rel = relative(base, &key)?;
            Some(RemoteObject {
                rel,
                key,
                size: meta.size,
                modified: modified(&meta),
                e_tag: meta.e_tag,
            })
        })
        .collect();
    let directories: HashSet<&str> = objects
        .iter()
        .flat_map(|o| o.rel.match_indices('/').map(|(i, _)| &o.rel[..i]))
        .collect();
    let markers: HashSet<String> = objects
        .iter()
        .filter(|o| o.size == 0 && directories.contains(o.rel.as_str()))
        .map(|o| o.rel.clone())
        .collect();
    objects.retain(|o| !(o.size == 0 && markers.contains(&o.rel)));
    objects.sort_by(|a, b| a.rel.cmp(&b.rel));
    objects
}

/// `key` relative to `base`; `None` for the base itself or a key outside it.
pub(super) fn relative(base: &str, key: &str) -> Option<String> {
    let rel = match base.is_empty() {
        true => key,
        false => key.strip_prefix(base)?.strip_prefix('/')?,
    };
    (!rel.is_empty()).then(|| rel.to_string())
}

/// The listed modification time; stores that send none report the epoch, which would
/// be a lie in the ledger.
pub(super) fn modified(meta: &ObjectMeta) -> Option<SystemTime> {
    (meta.last_modified.timestamp() != 0).then(|| meta.last_modified.into())
}
