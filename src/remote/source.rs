//! One object read as a [`ByteSource`]: ranged GETs through a small block cache.
//!
//! Readers ask for 64 KiB–8 MiB at a time, several rayon workers may read different
//! ranges of the same object, and a hashing pass streams it from start to end. Issuing
//! one GET per `read_at` would cost a round trip per small read; holding the object
//! would not fit a 50 GB shard. So the object is cut into fixed blocks fetched by range,
//! a few recent blocks are kept, and a sequential reader's next block is fetched in the
//! background while it parses the current one.
//!
//! **Memory bound per open object:** at most `cache_blocks` blocks (in-flight fetches
//! and the one prefetch included) are held by the cache, i.e.
//! `cache_blocks × block_bytes` (4 × 8 MiB = 32 MiB by default), plus, transiently,
//! one block per thread currently inside `read_at` whose block was just evicted, and
//! one buffer of the caller's size for a read spanning more than `cache_blocks` blocks
//! (those bypass the cache).

use std::collections::VecDeque;
use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore};
use tokio::runtime::Runtime;

use super::retry::{self, Class, Failure, GaveUp, Policy};
use super::runtime;
use super::stats::RemoteStats;
use crate::bytesource::ByteSource;

/// A block fetch that any number of readers (and one prefetch task) can await.
type BlockFuture = Shared<BoxFuture<'static, Result<Bytes, Arc<Failure>>>>;

/// Everything needed to fetch ranges of one object; shared with background tasks.
pub(crate) struct Fetcher {
    pub store: Arc<dyn ObjectStore>,
    /// The key, or why the key the caller gave cannot be a key.
    pub location: Result<Path, String>,
    /// `scheme://bucket/key`, for messages.
    pub display: String,
    /// Pins every read to the listed version, so an object rewritten mid-audit fails
    /// loudly instead of yielding a mix of old and new bytes. Weak tags are not used:
    /// `If-Match` compares strongly and would always fail.
    pub e_tag: Option<String>,
    pub stats: Arc<RemoteStats>,
    pub policy: Policy,
}

impl Fetcher {
    /// GETs `range` (within the listed length) with retries.
    pub async fn fetch(&self, range: Range<u64>) -> Result<Bytes, Failure> {
        let location = match &self.location {
            Ok(location) => location,
            Err(message) => {
                RemoteStats::add(&self.stats.failed_requests, 1);
                return Err(invalid_key(message));
            }
        };
        let want = range.end - range.start;
        let fetched = retry::retry(&self.policy, &self.stats, || {
            let options = GetOptions {
                range: Some(GetRange::Bounded(range.clone())),
                if_match: self.e_tag.clone().filter(|t| !t.starts_with("W/")),
                ..GetOptions::default()
            };
            async move { self.store.get_opts(location, options).await?.bytes().await }
        })
        .await;
        let bytes = fetched.inspect_err(|_| RemoteStats::add(&self.stats.failed_requests, 1))?;
        RemoteStats::add(&self.stats.bytes_fetched, bytes.len() as u64);
        if bytes.len() as u64 != want {
            RemoteStats::add(&self.stats.failed_requests, 1);
            return Err(short_read(location, want, bytes.len()));
        }
        Ok(bytes)
    }

    /// The `io::Error` a reader sees for `failure`: which object, what, what to do.
    pub fn io_error(&self, failure: &Failure) -> io::Error {
        io::Error::new(
            failure.io_kind(),
            format!("{}: {}", self.display, failure.message()),
        )
    }
}

fn invalid_key(message: &str) -> Failure {
    Failure {
        error: object_store::Error::Generic {
            store: "provaudit",
            source: format!("invalid object key: {message}").into(),
        },
        class: Class::Permanent,
        retries: 0,
        gave_up: GaveUp::No,
    }
}

/// The store sent fewer bytes than the listing promised: the object shrank.
fn short_read(location: &Path, want: u64, got: usize) -> Failure {
    Failure {
        error: object_store::Error::Precondition {
            path: location.to_string(),
            source: format!("asked for {want} bytes, got {got}").into(),
        },
        class: Class::Permanent,
        retries: 0,
        gave_up: GaveUp::No,
    }
}

/// Recently used blocks, most recent first. Small (a handful of entries), so a
/// `VecDeque` scan beats any map.
#[derive(Default)]
struct Lru {
    entries: VecDeque<(u64, BlockFuture)>,
}

impl Lru {
    /// The entry for `index`, moved to the front.
    fn touch(&mut self, index: u64) -> Option<BlockFuture> {
        let at = self.entries.iter().position(|(i, _)| *i == index)?;
        let entry = self.entries.remove(at)?;
        let future = entry.1.clone();
        self.entries.push_front(entry);
        Some(future)
    }

    fn contains(&self, index: u64) -> bool {
        self.entries.iter().any(|(i, _)| *i == index)
    }

    /// Adds `future` at the front, evicting the least recently used beyond `capacity`.
    fn insert(&mut self, index: u64, future: BlockFuture, capacity: usize) {
        self.entries.push_front((index, future));
        self.entries.truncate(capacity);
    }

    /// Drops `index` if it is still `future` (a failed fetch must not stick).
    fn forget(&mut self, index: u64, future: &BlockFuture) {
        self.entries
            .retain(|(i, f)| !(*i == index && f.ptr_eq(future)));
    }
}

/// Reads of at most this many bytes that neither continue the previous read nor hit a
/// cached block are fetched exactly instead of as a block. Planning sniffs the first
/// bytes of every file and Parquet reads its footer piecewise; a whole block for each
/// would download the head of every small file twice (once to sniff, once to read).
const PROBE_BYTES: usize = 64 << 10;

/// A remote object as a [`ByteSource`]. See the module docs for the memory bound.
pub struct RemoteSource {
    fetcher: Arc<Fetcher>,
    runtime: &'static Runtime,
    name: String,
    len: u64,
    block: u64,
    capacity: usize,
    cache: Mutex<Lru>,
    /// Where the last read ended: a read starting there is part of a stream.
    last_end: AtomicU64,
}

impl RemoteSource {
    pub(crate) fn new(
        fetcher: Fetcher,
        runtime: &'static Runtime,
        name: String,
        len: u64,
        block_bytes: usize,
        cache_blocks: usize,
    ) -> Self {
        RemoteSource {
            fetcher: Arc::new(fetcher),
            runtime,
            name,
            len,
            block: block_bytes as u64,
            capacity: cache_blocks,
            cache: Mutex::new(Lru::default()),
            last_end: AtomicU64::new(u64::MAX),
        }
    }

    /// How many blocks the cache holds now (fetched or in flight).
    #[cfg(test)]
    pub(crate) fn cached_blocks(&self) -> usize {
        self.lock().entries.len()
    }

    /// The cache lock; a panic elsewhere while holding it leaves only a cache behind,
    /// which is still consistent, so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, Lru> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn block_range(&self, index: u64) -> Range<u64> {
        let start = index * self.block;
        start..(start + self.block).min(self.len)
    }

    /// The future for block `index`: cached, or a new (lazy) fetch now in the cache.
    /// Only the lookup happens under the lock; the network work happens when awaited.
    fn block_future(&self, index: u64) -> (BlockFuture, bool) {
        let mut cache = self.lock();
        if let Some(future) = cache.touch(index) {
            return (future, false);
        }
        let fetcher = Arc::clone(&self.fetcher);
        let range = self.block_range(index);
        let future = async move { fetcher.fetch(range).await.map_err(Arc::new) }
            .boxed()
            .shared();
        cache.insert(index, future.clone(), self.capacity);
        (future, true)
    }

    /// Starts fetching block `last + 1` in the background when the reader looks
    /// sequential: this read continues the last one, spans blocks, or follows a cached
    /// block.
    fn maybe_prefetch(&self, first: u64, last: u64, streaming: bool) {
        let next = last + 1;
        if next * self.block >= self.len {
            return;
        }
        let sequential =
            streaming || last > first || (first > 0 && self.lock().contains(first - 1));
        if !sequential {
            return;
        }
        let (future, fresh) = self.block_future(next);
        if fresh {
            // The task only drives the shared fetch; readers pick the result up later.
            self.runtime.spawn(future.map(|_| ()));
        }
    }

    /// Reads through the cache: the ≤ `capacity` blocks covering `offset..offset+len`.
    fn read_cached(&self, offset: u64, buf: &mut [u8], streaming: bool) -> io::Result<()> {
        let end = offset + buf.len() as u64;
        let (first, last) = (offset / self.block, (end - 1) / self.block);
        let futures: Vec<(u64, BlockFuture)> = (first..=last)
            .map(|i| (i, self.block_future(i).0))
            .collect();
        self.maybe_prefetch(first, last, streaming);
        let waits = futures.iter().map(|(_, f)| f.clone());
        let results = runtime::block_on(self.runtime, futures::future::join_all(waits))?;
        for ((index, future), result) in futures.iter().zip(results) {
            let block = match result {
                Ok(block) => block,
                Err(failure) => {
                    self.lock().forget(*index, future);
                    return Err(self.fetcher.io_error(&failure));
                }
            };
            copy_overlap(&block, index * self.block, offset, buf);
        }
        Ok(())
    }

    /// Reads a range too large for the cache with one GET straight into `buf`.
    fn read_direct(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let range = offset..offset + buf.len() as u64;
        let fetch = self.fetcher.fetch(range);
        match runtime::block_on(self.runtime, fetch)? {
            Ok(bytes) => {
                buf.copy_from_slice(&bytes);
                Ok(())
            }
            Err(failure) => Err(self.fetcher.io_error(&failure)),
        }
    }
}

/// Copies the part of `block` (which starts at `block_start`) that overlaps the
/// destination `buf` (which starts at `offset`).
fn copy_overlap(block: &[u8], block_start: u64, offset: u64, buf: &mut [u8]) {
    let start = offset.max(block_start);
    let end = (offset + buf.len() as u64).min(block_start + block.len() as u64);
    if start >= end {
        return;
    }
    let n = (end - start) as usize;
    let from = (start - block_start) as usize;
    let to = (start - offset) as usize;
    buf[to..to + n].copy_from_slice(&block[from..from + n]);
}

impl ByteSource for RemoteSource {
    fn len(&self) -> u64 {
        self.len
    }

    /// Fills `buf` from `offset` up to the end of the object, like `pread` on a local
    /// file; returns 0 at or past the end.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let n = buf
            .len()
            .min(usize::try_from(self.len - offset).unwrap_or(usize::MAX));
        let buf = &mut buf[..n];
        let blocks = (offset + n as u64 - 1) / self.block - offset / self.block + 1;
        let streaming = self.last_end.swap(offset + n as u64, Ordering::Relaxed) == offset;
        let probe = n <= PROBE_BYTES
            && !streaming
            && blocks == 1
            && !self.lock().contains(offset / self.block);
        if probe || blocks > self.capacity as u64 {
            self.read_direct(offset, buf)?;
        } else {
            self.read_cached(offset, buf, streaming)?;
        }
        Ok(n)
    }

    fn name(&self) -> &str {
        &self.name
    }

    /// Drops the cached blocks (a prefetch in flight finishes and is dropped).
    fn release(&self) {
        self.lock().entries.clear();
    }
}
