//! One retry loop for every request, so retries are counted and messages are uniform.
//!
//! object_store has its own retry loop, but it is invisible: a run that survived 500
//! throttling responses looks the same as a clean one. The stores are therefore built
//! with zero internal retries and every request goes through [`retry`], which classifies
//! each failure, backs off, bumps [`RemoteStats`] and, on giving up, keeps enough to
//! tell the user what happened and what to do.
//!
//! Backoff is AWS's "full jitter" (sleep a uniform random time up to the capped
//! exponential step), so a thousand shards throttled together do not come back
//! together; a `Retry-After` the store sent is waited at least ([`super::throttle`]).
//! What ends the retrying is a time budget (`--remote-retry-budget`, minutes), not a
//! count: a store that throttles for a minute must not fail a nightly job, and a count
//! small enough to fail fast on a dead endpoint gives up after seconds of throttling.

use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use object_store::client::{HttpError, HttpErrorKind};

use super::stats::RemoteStats;
use super::throttle;
use crate::rng::SharedSplitMix64;

/// The longest single backoff step, as AWS SDKs use: long enough to let a throttled
/// partition recover, short enough that a run notices when it has.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// Whether trying again can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Throttling, server errors, timeouts, dropped or refused connections.
    Transient,
    /// Missing objects, refused credentials, client errors: the same request fails again.
    Permanent,
}

/// How long to keep retrying and how to space the attempts.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// Retries allowed per request whatever the budget (`--remote-retries`).
    pub max_retries: u32,
    /// The first backoff step; doubles each retry up to [`MAX_BACKOFF`].
    pub base: Duration,
    /// Time from a request's first attempt after which no retry is started.
    pub budget: Duration,
    /// Where the jitter comes from; seeded, so tests see the same waits every run.
    pub jitter: Arc<SharedSplitMix64>,
}

impl Policy {
    /// The upper end of the wait before retry number `retry` (0-based):
    /// `min(MAX_BACKOFF, base · 2^retry)`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(MAX_BACKOFF)
    }

    /// The wait before retry number `retry`: uniform in `0..=ceiling` ("full jitter").
    pub fn delay(&self, retry: u32) -> Duration {
        let ceiling = u64::try_from(self.ceiling(retry).as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(self.jitter.below(ceiling.saturating_add(1)))
    }
}

/// Why retrying stopped for a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GaveUp {
    /// Not given up: the failure was permanent, or the first attempt was refused.
    No,
    /// `--remote-retries` retries were spent.
    Count,
    /// The next wait would have ended past the budget, after this long.
    Budget {
        elapsed: Duration,
        budget: Duration,
        /// What the store's `Retry-After` asked for last, when it sent one.
        asked: Option<Duration>,
    },
}

/// A request that failed for good.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: object_store::Error,
    pub class: Class,
    /// How many retries were spent before giving up.
    pub retries: u32,
    /// What ended the retrying of a transient failure.
    pub gave_up: GaveUp,
}

/// Runs `op` until it succeeds, fails permanently, or retrying stops (the budget would
/// be overrun, or `policy.max_retries` retries are spent). Each attempt counts as a
/// request and each retry as a retry. A final error is not counted here: only the
/// caller knows whether it is a failure the user sees or an answer ("no such object",
/// "not a WebDAV server, try the URL as one file").
pub(crate) async fn retry<T, F, Fut>(
    policy: &Policy,
    stats: &RemoteStats,
    mut op: F,
) -> Result<T, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = object_store::Result<T>>,
{
    let started = Instant::now();
    let mut retries = 0;
    loop {
        RemoteStats::add(&stats.requests, 1);
        let (result, asked) = throttle::attempt(op()).await;
        let error = match result {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let class = classify(&error);
        let fail = move |gave_up| Failure {
            error,
            class,
            retries,
            gave_up,
        };
        if class == Class::Permanent {
            return Err(fail(GaveUp::No));
        }
        if retries >= policy.max_retries {
            return Err(fail(GaveUp::Count));
        }
        let wait = policy.delay(retries).max(asked.unwrap_or_default());
        let elapsed = started.elapsed();
        if elapsed.saturating_add(wait) >= policy.budget {
            return Err(fail(GaveUp::Budget {
                elapsed,
                budget: policy.budget,
                asked,
            }));
        }
        if asked.is_some() {
            RemoteStats::add(&stats.retry_after_waits, 1);
        }
        tokio::time::sleep(wait).await;
        retries += 1;
        RemoteStats::add(&stats.retries, 1);
    }
}

/// Sorts an object_store error into transient or permanent.
///
/// Typed variants decide directly. `Generic` wraps HTTP failures whose status is only
/// visible in the message (object_store keeps its `RetryError` private), so the message
/// is searched for the status; a transport error is found by walking the source chain.
/// A `Generic` error with neither is treated as transient, since unknown network
/// trouble is the common cause and the retry budget bounds the cost of being wrong.
pub(crate) fn classify(error: &object_store::Error) -> Class {
    use object_store::Error as E;
    match error {
        E::Generic { .. } => classify_generic(error),
        E::JoinError { .. } => Class::Transient,
        _ => Class::Permanent,
    }
}

fn classify_generic(error: &object_store::Error) -> Class {
    if let Some(status) = http_status(error) {
        return match status {
            408 | 429 | 500..=599 => Class::Transient,
            _ => Class::Permanent,
        };
    }
    if chain_text(error).contains("Server returned error response") {
        // S3 sometimes answers 200 with an InternalError or SlowDown body.
        return Class::Transient;
    }
    match transport_kind(error) {
        Some(HttpErrorKind::Decode) => Class::Permanent,
        _ => Class::Transient,
    }
}

/// The HTTP status object_store put in the message, if any.
pub(crate) fn http_status(error: &object_store::Error) -> Option<u16> {
    let text = chain_text(error);
    let (_, after) = text.split_once("status code: ")?;
    let digits = after.get(..3)?;
    digits.parse().ok()
}

/// The transport failure kind, when the chain holds an object_store [`HttpError`].
fn transport_kind(error: &object_store::Error) -> Option<HttpErrorKind> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(http) = e.downcast_ref::<HttpError>() {
            return Some(http.kind());
        }
        current = e.source();
    }
    None
}

/// Every message in the source chain, joined; object_store nests the useful part.
fn chain_text(error: &object_store::Error) -> String {
    let mut text = error.to_string();
    let mut current = error.source();
    while let Some(e) = current {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        current = e.source();
    }
    text
}

impl Failure {
    /// True when the object (or prefix) does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self.error, object_store::Error::NotFound { .. })
    }

    /// What happened and what to do, without URLs' query strings (which may hold
    /// signatures) and without the raw XML bodies.
    pub fn message(&self) -> String {
        let what = summary(&self.error);
        match self.meaning() {
            Meaning::Missing => "not found; it may have been deleted or renamed since it was \
                 listed, so re-run the audit"
                .to_string(),
            Meaning::Denied => format!(
                "{what}: access denied; check that the credentials may list and read it \
                 (for S3: s3:ListBucket and s3:GetObject), or that the bucket allows \
                 anonymous reads"
            ),
            Meaning::BadCredentials => format!(
                "{what}: the store rejected the credentials; set AWS_ACCESS_KEY_ID/\
                 AWS_SECRET_ACCESS_KEY or AWS_PROFILE (GOOGLE_APPLICATION_CREDENTIALS for gs://, \
                 AZURE_STORAGE_ACCOUNT_NAME/AZURE_STORAGE_ACCOUNT_KEY for az://), or pass \
                 --s3-endpoint for an S3-compatible store"
            ),
            Meaning::Changed => "the object changed while it was being read (its ETag no \
                 longer matches the listing); re-run the audit once writes have stopped"
                .to_string(),
            Meaning::Busy => self.busy_message(&what),
            Meaning::WrongRegion => {
                format!("{what}; the bucket is probably in another region: set AWS_REGION to it")
            }
            Meaning::NoBucket => format!(
                "{what}: no such bucket; check its name (and --s3-endpoint for an \
                 S3-compatible store)"
            ),
            Meaning::Refused => format!("{what}; the store refused the request"),
            Meaning::Other => what,
        }
    }

    /// Why a transient failure was given up on, and which option lets it go on longer.
    fn busy_message(&self, what: &str) -> String {
        let retries = self.retries;
        match self.gave_up {
            GaveUp::Budget {
                elapsed,
                budget,
                asked,
            } => {
                let asked = asked
                    .map(|a| format!(", and the store asked to wait {}", seconds(a)))
                    .unwrap_or_default();
                format!(
                    "{what}, still after {retries} retries over {}{asked}; the retry budget \
                     (--remote-retry-budget, {}) is spent. Check the store's health, send \
                     fewer requests at once (fewer concurrent shards or --threads), or raise \
                     --remote-retry-budget",
                    seconds(elapsed),
                    seconds(budget)
                )
            }
            _ => format!(
                "{what} after {retries} retries; check the store's health or raise \
                 --remote-retries"
            ),
        }
    }

    /// The `io::ErrorKind` readers see, so callers can tell a vanished object apart.
    pub fn io_kind(&self) -> io::ErrorKind {
        match self.meaning() {
            Meaning::Missing | Meaning::NoBucket => io::ErrorKind::NotFound,
            Meaning::Denied | Meaning::BadCredentials => io::ErrorKind::PermissionDenied,
            Meaning::Busy => io::ErrorKind::TimedOut,
            _ => io::ErrorKind::Other,
        }
    }

    /// What the failure means for the user: from the variant, or for `Generic` errors
    /// (listings report 403s that way) from the HTTP status and S3 error code.
    fn meaning(&self) -> Meaning {
        use object_store::Error as E;
        let status = http_status(&self.error);
        match (&self.error, self.class, status) {
            (E::NotFound { .. }, _, _) => Meaning::Missing,
            (E::PermissionDenied { .. }, _, _) | (_, _, Some(403)) => Meaning::Denied,
            (E::Unauthenticated { .. }, _, _) | (_, _, Some(401)) => Meaning::BadCredentials,
            (E::Precondition { .. }, _, _) | (_, _, Some(412)) => Meaning::Changed,
            (_, Class::Transient, _) => Meaning::Busy,
            (_, _, Some(301)) => Meaning::WrongRegion,
            _ if chain_text(&self.error).contains("redirect") => Meaning::WrongRegion,
            _ if xml_code(&chain_text(&self.error)) == Some("NoSuchBucket") => Meaning::NoBucket,
            (_, _, Some(_)) => Meaning::Refused,
            _ => Meaning::Other,
        }
    }
}

/// A duration as people write it in options: `90s`, `10m`, `1.5s`.
fn seconds(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 && secs.is_multiple_of(60) {
        format!("{}m", secs / 60)
    } else if d.subsec_millis() == 0 {
        format!("{secs}s")
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// The user-facing sense of a [`Failure`], which picks its advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    Missing,
    Denied,
    BadCredentials,
    Changed,
    Busy,
    WrongRegion,
    NoBucket,
    Refused,
    Other,
}

/// A one-line account of an object_store error: the HTTP status with the S3 error code
/// when there is one, else the transport failure, else the (redacted) message.
pub(crate) fn summary(error: &object_store::Error) -> String {
    let text = chain_text(error);
    if let Some(status) = status_phrase(&text) {
        return match xml_code(&text) {
            Some(code) => format!("HTTP {status} ({code})"),
            None => format!("HTTP {status}"),
        };
    }
    if let Some(kind) = transport_kind(error) {
        let cause = innermost(error);
        return redact_text(&format!("{} ({cause})", kind_phrase(kind)));
    }
    redact_text(&text)
}

/// "503 Service Unavailable" from "...status code: 503 Service Unavailable: <body>".
fn status_phrase(text: &str) -> Option<String> {
    let (_, after) = text.split_once("status code: ")?;
    let phrase = after.split(':').next().unwrap_or(after).trim();
    (phrase.len() >= 3 && phrase.as_bytes()[..3].iter().all(u8::is_ascii_digit))
        .then(|| phrase.to_string())
}

/// The `<Code>` of an S3/GCS/Azure XML error body.
fn xml_code(text: &str) -> Option<&str> {
    let (_, after) = text.split_once("<Code>")?;
    let (code, _) = after.split_once("</Code>")?;
    (!code.is_empty() && code.len() < 64).then_some(code)
}

fn kind_phrase(kind: HttpErrorKind) -> &'static str {
    match kind {
        HttpErrorKind::Connect => "could not connect",
        HttpErrorKind::Request => "the connection failed while sending the request",
        HttpErrorKind::Timeout => "the request timed out",
        HttpErrorKind::Interrupted => "the connection was cut mid-response",
        HttpErrorKind::Decode => "the response could not be decoded",
        _ => "network error",
    }
}

fn innermost(error: &object_store::Error) -> String {
    let mut last: &(dyn StdError + 'static) = error;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

/// Removes query strings from any URL inside `text`: presigned or SAS URLs carry their
/// signature there, and messages end up in reports.
pub(crate) fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("http") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let end = from.find(char::is_whitespace).unwrap_or(from.len());
        let (token, after) = from.split_at(end);
        match token.split_once('?') {
            Some((url, _)) if url.contains("://") => {
                out.push_str(url);
                out.push_str("?<redacted>");
            }
            _ => out.push_str(token),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn generic(message: &str) -> object_store::Error {
        object_store::Error::Generic {
            store: "S3",
            source: message.to_string().into(),
        }
    }

    fn not_found() -> object_store::Error {
        object_store::Error::NotFound {
            path: "k".into(),
            source: "gone".into(),
        }
    }

    const SLOW_DOWN: &str = "Error performing GET http://127.0.0.1:1/b/k?x-id=secret in 2ms - \
        Server returned non-2xx status code: 503 Service Unavailable: <?xml version=\"1.0\"?>\
        <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";

    #[test]
    fn classifies_statuses_and_transport_errors() {
        assert_eq!(classify(&generic(SLOW_DOWN)), Class::Transient);
        for status in [
            "500 Internal Server Error",
            "429 Too Many Requests",
            "408 Timeout",
        ] {
            let e = generic(&format!("Server returned non-2xx status code: {status}: x"));
            assert_eq!(classify(&e), Class::Transient, "{status}");
        }
        for status in [
            "400 Bad Request",
            "416 Range Not Satisfiable",
            "405 Method Not Allowed",
        ] {
            let e = generic(&format!("Server returned non-2xx status code: {status}: x"));
            assert_eq!(classify(&e), Class::Permanent, "{status}");
        }
        assert_eq!(
            classify(&generic("Server returned error response: InternalError")),
            Class::Transient
        );
        let reset = object_store::Error::Generic {
            store: "S3",
            source: Box::new(HttpError::new(
                HttpErrorKind::Interrupted,
                io::Error::from(io::ErrorKind::ConnectionReset),
            )),
        };
        assert_eq!(classify(&reset), Class::Transient);
        let refused = object_store::Error::Generic {
            store: "S3",
            source: Box::new(HttpError::new(
                HttpErrorKind::Connect,
                io::Error::from(io::ErrorKind::ConnectionRefused),
            )),
        };
        assert_eq!(classify(&refused), Class::Transient);
        let decode = object_store::Error::Generic {
            store: "HTTP",
            source: Box::new(HttpError::new(
                HttpErrorKind::Decode,
                io::Error::other("xml"),
            )),
        };
        assert_eq!(classify(&decode), Class::Permanent);
        assert_eq!(classify(&generic("something odd")), Class::Transient);
        assert_eq!(classify(&not_found()), Class::Permanent);
        let denied = object_store::Error::PermissionDenied {
            path: "k".into(),
            source: "403".into(),
        };
        assert_eq!(classify(&denied), Class::Permanent);
    }

    fn policy(max_retries: u32, base: Duration, budget: Duration) -> Policy {
        Policy {
            max_retries,
            base,
            budget,
            jitter: Arc::new(SharedSplitMix64::new(7)),
        }
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_capped_ceiling() {
        let p = policy(40, Duration::from_millis(100), Duration::from_secs(600));
        let ceilings: Vec<u128> = (0..10).map(|r| p.ceiling(r).as_millis()).collect();
        assert_eq!(
            ceilings,
            [100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000]
        );
        assert_eq!(p.ceiling(39), MAX_BACKOFF);
        let delays: Vec<Duration> = (0..200).map(|r| p.delay(r % 10)).collect();
        for (r, d) in delays.iter().enumerate() {
            assert!(*d <= p.ceiling(r as u32 % 10), "{r}: {d:?}");
        }
        // Spread out, not a fixed schedule: shards throttled together come back apart.
        let distinct: std::collections::HashSet<_> = delays.iter().collect();
        assert!(distinct.len() > 190, "{}", distinct.len());
        // The same seed draws the same waits.
        let again = policy(40, Duration::from_millis(100), Duration::from_secs(600));
        let replay: Vec<Duration> = (0..200).map(|r| again.delay(r % 10)).collect();
        assert_eq!(delays, replay);
    }

    fn quick(max_retries: u32) -> Policy {
        policy(
            max_retries,
            Duration::from_millis(1),
            Duration::from_secs(600),
        )
    }

    fn run<T>(fut: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(fut)
    }

    #[test]
    fn retries_transient_errors_and_counts_them() {
        let stats = RemoteStats::default();
        let calls = AtomicU32::new(0);
        let got = run(retry(&quick(6), &stats, || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 3 {
                    Err(generic(SLOW_DOWN))
                } else {
                    Ok(n)
                }
            }
        }));
        assert_eq!(got.unwrap(), 3);
        let c = stats.snapshot();
        assert_eq!((c.requests, c.retries, c.failed_requests), (4, 3, 0));
    }

    #[test]
    fn gives_up_after_max_retries_with_an_actionable_message() {
        let stats = RemoteStats::default();
        let err = run(retry(&quick(2), &stats, || async {
            Err::<(), _>(generic(SLOW_DOWN))
        }))
        .unwrap_err();
        assert_eq!(err.retries, 2);
        let c = stats.snapshot();
        assert_eq!((c.requests, c.retries), (3, 2));
        let msg = err.message();
        assert!(msg.contains("503 Service Unavailable (SlowDown)"), "{msg}");
        assert!(
            msg.contains("after 2 retries") && msg.contains("--remote-retries"),
            "{msg}"
        );
        assert!(!msg.contains("secret"), "{msg}");
        assert_eq!(err.io_kind(), io::ErrorKind::TimedOut);
    }

    #[test]
    fn the_budget_ends_retrying_with_a_message_naming_it() {
        let stats = RemoteStats::default();
        let p = policy(u32::MAX, Duration::from_millis(1), Duration::ZERO);
        let err = run(retry(&p, &stats, || async {
            Err::<(), _>(generic(SLOW_DOWN))
        }))
        .unwrap_err();
        assert!(
            matches!(err.gave_up, GaveUp::Budget { .. }),
            "{:?}",
            err.gave_up
        );
        let msg = err.message();
        assert!(
            msg.contains("503 Service Unavailable (SlowDown)")
                && msg.contains("--remote-retry-budget")
                && msg.contains("budget"),
            "{msg}"
        );
        assert_eq!(err.io_kind(), io::ErrorKind::TimedOut);
    }

    #[test]
    fn permanent_errors_are_not_retried() {
        let stats = RemoteStats::default();
        let err = run(retry(&quick(6), &stats, || async {
            Err::<(), _>(not_found())
        }))
        .unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(err.io_kind(), io::ErrorKind::NotFound);
        let c = stats.snapshot();
        assert_eq!((c.requests, c.retries), (1, 0));

        let err = run(retry(&quick(6), &stats, || async {
            Err::<(), _>(generic(
                "Server returned non-2xx status code: 400 Bad Request: x",
            ))
        }))
        .unwrap_err();
        assert_eq!(err.class, Class::Permanent);
        assert_eq!(stats.snapshot().requests, 2);
        assert_eq!(stats.snapshot().retries, 0);
    }

    fn failure(error: object_store::Error) -> Failure {
        let class = classify(&error);
        Failure {
            error,
            class,
            retries: 0,
            gave_up: GaveUp::No,
        }
    }

    #[test]
    fn messages_give_advice_by_status_and_code() {
        let status = |s: &str| failure(generic(&format!("status code: {s}")));
        let denied = status("403 Forbidden: <Error><Code>AccessDenied</Code></Error>");
        assert!(
            denied
                .message()
                .contains("HTTP 403 Forbidden (AccessDenied): access denied")
        );
        assert_eq!(denied.io_kind(), io::ErrorKind::PermissionDenied);
        assert!(
            status("401 Unauthorized: x")
                .message()
                .contains("AWS_PROFILE")
        );
        let no_bucket = status("404 Not Found: <Error><Code>NoSuchBucket</Code></Error>");
        assert!(
            no_bucket.message().contains("no such bucket"),
            "{}",
            no_bucket.message()
        );
        assert!(
            status("301 Moved Permanently: x")
                .message()
                .contains("AWS_REGION")
        );
        assert!(
            status("416 Range Not Satisfiable: x")
                .message()
                .contains("refused")
        );
        let odd = failure(object_store::Error::NotSupported {
            source: "odd".into(),
        });
        assert!(!odd.message().contains("refused"), "{}", odd.message());
    }

    #[test]
    fn redacts_query_strings_in_messages() {
        assert_eq!(
            redact_text("GET https://a.blob/x?sig=abc&se=1 - failed"),
            "GET https://a.blob/x?<redacted> - failed"
        );
        assert_eq!(redact_text("no url? fine"), "no url? fine");
        assert_eq!(redact_text("http: ok?"), "http: ok?");
    }
}
