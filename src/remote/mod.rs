//! Object-store roots (`s3://`, `gs://`, `az://`, `abfs(s)://`, `http(s)://`).
//!
//! A [`RemoteRoot`] is what a local directory is to the walker: it lists the objects
//! under a prefix and opens each one as a [`ByteSource`], so every format reader works
//! on data lakes unchanged. Reads are ranged GETs through a small per-object block
//! cache (`source.rs`); every request is retried and counted in one place (`retry.rs`);
//! one shared runtime (`runtime.rs`) drives the network for the synchronous scanner.
//!
//! Nothing here sends a request until [`RemoteRoot::list`], [`RemoteRoot::read_small`]
//! or a read of an opened object.

mod error;
mod stats;
mod url;

// The client half: object_store, reqwest and tokio, behind the default-on
// `object-store` feature. Without it, `disabled.rs` keeps the same API and every root
// is refused with a message saying how to build with it.
#[cfg(feature = "object-store")]
mod profile;
#[cfg(feature = "object-store")]
mod retry;
#[cfg(feature = "object-store")]
mod root;
#[cfg(feature = "object-store")]
mod runtime;
#[cfg(feature = "object-store")]
mod source;
#[cfg(feature = "object-store")]
mod store;
#[cfg(feature = "object-store")]
mod throttle;
#[cfg(feature = "object-store")]
mod transfer;

#[cfg(not(feature = "object-store"))]
mod disabled;

#[cfg(all(test, feature = "object-store"))]
mod tests;

use std::time::{Duration, SystemTime};

#[cfg(not(feature = "object-store"))]
pub use disabled::{RemoteRoot, Transferred};
pub use error::RemoteError;
#[cfg(feature = "object-store")]
pub use root::RemoteRoot;
#[cfg(feature = "object-store")]
pub use source::RemoteSource;
pub use stats::{RemoteCounters, RemoteStats};
#[cfg(feature = "object-store")]
pub use transfer::Transferred;
pub use url::is_remote;

/// Refuses an object-store `url` at once in a build without the `object-store`
/// feature, so a verb that would upload its result fails before its work instead of
/// after it. Sends no request; a build with the feature accepts every URL here.
pub fn check_built(url: &str) -> Result<(), RemoteError> {
    #[cfg(feature = "object-store")]
    {
        let _ = url;
        Ok(())
    }
    #[cfg(not(feature = "object-store"))]
    {
        Err(disabled::refusal(url))
    }
}

/// How remote roots are reached and read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteOptions {
    /// `--s3-endpoint`: an S3-compatible server (MinIO, SeaweedFS, R2...). Path-style
    /// requests; plain HTTP allowed when the endpoint is `http://`.
    pub s3_endpoint: Option<String>,
    /// Bytes per ranged GET of the block cache. Larger blocks mean fewer round trips;
    /// memory per open object is `cache_blocks × block_bytes`.
    pub block_bytes: usize,
    /// Retries of a transiently failing request (throttling, 5xx, timeouts, resets);
    /// `u32::MAX` leaves the limit to `retry_budget` alone.
    pub max_retries: u32,
    /// The ceiling of the first backoff; doubles each retry, capped at 20 s; each wait
    /// is drawn uniformly below it (full jitter).
    pub retry_base: Duration,
    /// How long one request may keep being retried, from its first attempt.
    pub retry_budget: Duration,
    /// Seeds the backoff jitter; `None` seeds from the clock and process id, so
    /// concurrent shards draw different waits.
    pub retry_seed: Option<u64>,
    /// Blocks kept per open object, prefetch included (at least 2).
    pub cache_blocks: usize,
    /// With no credentials configured, ask the cloud instance metadata service (EC2
    /// instance roles, GCE service accounts) instead of sending unsigned requests.
    /// Off by default: off-cloud, the metadata service does not answer and every
    /// request would first wait for it to time out.
    pub use_instance_metadata: bool,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            s3_endpoint: None,
            block_bytes: 8 << 20,
            max_retries: u32::MAX,
            retry_base: Duration::from_millis(100),
            retry_budget: DEFAULT_RETRY_BUDGET,
            retry_seed: None,
            cache_blocks: 4,
            use_instance_metadata: false,
        }
    }
}

/// The retry budget without `--remote-retry-budget`: long enough to ride out a
/// throttling episode of a shared store, short enough that a dead one fails the night.
pub const DEFAULT_RETRY_BUDGET: Duration = Duration::from_secs(10 * 60);

/// Reads a retry budget as people write it: `90s`, `10m`, `1h`, `500ms`; a bare number
/// is minutes (budgets are minutes long; a number of seconds would be a typo's
/// magnitude away from "give up at once").
pub fn parse_budget(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit.trim() {
        "" | "m" | "min" => 60.0,
        "ms" => 0.001,
        "s" => 1.0,
        "h" => 3600.0,
        _ => f64::NAN,
    };
    let value: f64 = number.parse().unwrap_or(f64::NAN);
    let seconds = value * scale;
    if !seconds.is_finite() || !(0.0..=7.0 * 86_400.0).contains(&seconds) {
        return Err(format!(
            "`{text}` is not a duration: write e.g. 10m, 90s, 1h or 500ms (a bare number is \
             minutes), at most a week"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// One object found under a root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteObject {
    /// Key relative to the root, `/`-separated, no leading `/`; for a root naming a
    /// single object, its file name.
    pub rel: String,
    /// The full key in the bucket or container, which is what gets fetched.
    pub key: String,
    /// Size in bytes, as listed.
    pub size: u64,
    /// Last modification, when the store reports it.
    pub modified: Option<SystemTime>,
    /// The store's entity tag, when it reports one.
    pub e_tag: Option<String>,
}
