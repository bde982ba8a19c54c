//! The one async runtime behind every remote root.
//!
//! The scanner is synchronous (rayon), object_store is async. A single small
//! multi-thread runtime, built on first use, drives the HTTP connections and background
//! prefetches; rayon workers enter it with `block_on`. One runtime per process keeps one
//! connection pool per store and two threads in total, whatever the number of roots.

use std::future::Future;
use std::io;
use std::sync::OnceLock;

use tokio::runtime::{Handle, Runtime};

use super::error::RemoteError;

/// Worker threads: enough for the I/O driver and prefetch tasks; parsing is rayon's job.
const WORKER_THREADS: usize = 2;

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The shared runtime, built on the first call.
pub(crate) fn get() -> Result<&'static Runtime, RemoteError> {
    let built = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKER_THREADS)
            .thread_name("provaudit-remote")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    });
    built
        .as_ref()
        .map_err(|message| RemoteError::Runtime(message.clone()))
}

/// Runs `fut` to completion from synchronous code.
///
/// Refuses (rather than panicking, as tokio would) when called from inside a runtime:
/// blocking an async worker on network I/O would stall every other task on it.
pub(crate) fn block_on<F: Future>(runtime: &Runtime, fut: F) -> io::Result<F::Output> {
    if Handle::try_current().is_ok() {
        return Err(io::Error::other(
            "remote reads are synchronous and cannot run inside an async task; \
             call them from a plain or rayon thread (e.g. via spawn_blocking)",
        ));
    }
    Ok(runtime.block_on(fut))
}
