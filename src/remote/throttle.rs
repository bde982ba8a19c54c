//! `Retry-After`: what a throttling store says about when to come back.
//!
//! object_store turns a 429 or 503 into an error that keeps the status and body but
//! drops the headers (its `RetryError` is private and `HttpError` only has a kind), so
//! the hint never reaches [`super::retry`]. The stores are therefore built with
//! [`HintingConnector`], which wraps the usual reqwest client and, when a response
//! carries `Retry-After`, leaves the wait in a task-local slot that the retry loop opens
//! around each attempt ([`attempt`]). Task-local rather than shared: concurrent
//! requests to one store each get their own answer's hint, not a neighbour's.

use std::cell::Cell;
use std::future::Future;
use std::time::{Duration, SystemTime};

use object_store::ClientOptions;
use object_store::client::{
    HttpClient, HttpConnector, HttpError, HttpRequest, HttpResponse, HttpService, ReqwestConnector,
};

/// The longest wait a hint is taken at: a store asking for hours is misconfigured, and
/// the retry budget ends the run long before that anyway.
const MAX_HINT: Duration = Duration::from_secs(3600);

tokio::task_local! {
    static HINT: Cell<Option<Duration>>;
}

/// Runs one attempt with an empty hint slot; returns its result and the wait the last
/// throttling response asked for, if any.
pub(crate) async fn attempt<T>(fut: impl Future<Output = T>) -> (T, Option<Duration>) {
    HINT.scope(Cell::new(None), async {
        let result = fut.await;
        (result, HINT.with(Cell::take))
    })
    .await
}

/// Builds reqwest clients as object_store would, wrapped to note `Retry-After`.
#[derive(Debug, Default)]
pub(crate) struct HintingConnector;

impl HttpConnector for HintingConnector {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        install_tls_provider();
        let inner = ReqwestConnector::default().connect(options)?;
        Ok(HttpClient::new(Hinting(inner)))
    }
}

/// reqwest is built without a TLS crypto provider of its own (the default one is
/// aws-lc-rs, a long C build), so every client uses the process-wide provider: ring,
/// installed here before the first client is built. Installing twice is harmless (the
/// second attempt reports the first), so no lock is needed.
fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[derive(Debug)]
struct Hinting(HttpClient);

#[async_trait::async_trait]
impl HttpService for Hinting {
    async fn call(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        let response = self.0.execute(req).await?;
        let status = response.status().as_u16();
        if matches!(status, 429 | 503)
            && let Some(wait) = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()))
        {
            // Outside an attempt (a credential refresh, say) there is no slot: no-op.
            let _ = HINT.try_with(|slot| slot.set(Some(wait)));
        }
        Ok(response)
    }
}

/// A `Retry-After` value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date (IMF-fixdate)
/// taken relative to `now`; a date in the past means "now". `None` when malformed.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let at = imf_fixdate(value)?;
            let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
            Duration::from_secs(at.saturating_sub(now))
        }
    };
    Some(wait.min(MAX_HINT))
}

/// Seconds since the epoch of `Sun, 06 Nov 1994 08:49:37 GMT`.
fn imf_fixdate(text: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_, rest) = text.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let days = crate::civil::days_from_civil(year.parse().ok()?, month, day.parse().ok()?)?;
    let hms: Vec<u64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if *h > 23 || *m > 59 || *s > 60 {
        return None;
    }
    u64::try_from(days)
        .ok()?
        .checked_mul(86_400)?
        .checked_add(h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT.
        let date = "Sun, 06 Nov 1994 08:49:47 GMT";
        assert_eq!(parse_retry_after(date, now), Some(Duration::from_secs(10)));
        let past = "Sun, 06 Nov 1994 08:00:00 GMT";
        assert_eq!(parse_retry_after(past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("999999", now), Some(MAX_HINT));
        for bad in [
            "",
            "-1",
            "soon",
            "Sun, 06 Nov 1994 25:00:00 GMT",
            "Sun, 06 Foo 1994 08:00:00 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn hints_stay_with_their_attempt() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let (value, hint) = runtime.block_on(attempt(async {
            let _ = HINT.try_with(|slot| slot.set(Some(Duration::from_secs(2))));
            7
        }));
        assert_eq!((value, hint), (7, Some(Duration::from_secs(2))));
        let (_, hint) = runtime.block_on(attempt(async {}));
        assert_eq!(hint, None);
    }
}
