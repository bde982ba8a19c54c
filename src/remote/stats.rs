//! Request counters shared by every remote root of one run.
//!
//! They are atomics, not a mutex-guarded struct, because they are bumped from rayon
//! workers and tokio tasks at once on the hot read path; the report only needs a
//! consistent-enough snapshot at the end.

use std::sync::atomic::{AtomicU64, Ordering};

/// Live counters; share one `Arc<RemoteStats>` between all roots of a run.
#[derive(Debug, Default)]
pub struct RemoteStats {
    /// Requests sent, retries included; a listing counts once per attempt, however many
    /// pages the store splits it into.
    pub requests: AtomicU64,
    /// Requests that were sent again after a transient failure.
    pub retries: AtomicU64,
    /// Retries that waited (at least) as long as the store's `Retry-After` asked.
    pub retry_after_waits: AtomicU64,
    /// Requests that ended in an error the caller saw (after any retries). A lookup that
    /// finds nothing (a missing side file, the check whether a prefix names one object,
    /// a PROPFIND refused by a plain HTTP server before the URL is read as one file) is
    /// an answer, not a failure, and is not counted.
    pub failed_requests: AtomicU64,
    /// Bytes of object data received (listings and headers excluded).
    pub bytes_fetched: AtomicU64,
}

/// A plain copy of [`RemoteStats`], for reports and assertions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RemoteCounters {
    /// Requests sent, retries included.
    pub requests: u64,
    /// Requests repeated after a transient failure.
    pub retries: u64,
    /// Retries that waited as long as the store's `Retry-After` asked.
    pub retry_after_waits: u64,
    /// Requests that failed for good, after their retries.
    pub failed_requests: u64,
    /// Bytes received from the store.
    pub bytes_fetched: u64,
}

impl RemoteStats {
    /// Reads every counter once.
    pub fn snapshot(&self) -> RemoteCounters {
        RemoteCounters {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            retry_after_waits: self.retry_after_waits.load(Ordering::Relaxed),
            failed_requests: self.failed_requests.load(Ordering::Relaxed),
            bytes_fetched: self.bytes_fetched.load(Ordering::Relaxed),
        }
    }

    #[cfg_attr(not(feature = "object-store"), allow(dead_code))]
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}
