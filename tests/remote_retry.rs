//! Retries against a store that throttles: a tiny HTTP server on loopback (std only)
//! answers the first requests with 503 or 429 and a `Retry-After`, then serves one
//! JSONL file. The scan must wait as asked, succeed, and count what it did; a store
//! that never stops throttling must end the run once the retry budget is spent, with
//! a message naming the budget.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

/// The file the fake serves at `/data/x.jsonl`.
const BODY: &str = "{\"text\": \"hello\"}\n{\"text\": \"world\"}\n{\"text\": \"again\"}\n";

/// How the fake throttles.
#[derive(Clone, Copy)]
struct Throttle {
    /// Requests answered with a throttling status before any is served.
    first: u64,
    /// The `Retry-After` value, in seconds.
    retry_after: u64,
}

/// A loopback HTTP/1.1 server, one request per connection.
struct Fake {
    port: u16,
    requests: Arc<AtomicU64>,
    throttled: Arc<AtomicU64>,
}

impl Fake {
    fn start(throttle: Throttle) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicU64::new(0));
        let throttled = Arc::new(AtomicU64::new(0));
        let (r, t) = (requests.clone(), throttled.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (r, t) = (r.clone(), t.clone());
                std::thread::spawn(move || {
                    let _ = answer(conn, throttle, &r, &t);
                });
            }
        });
        Fake {
            port,
            requests,
            throttled,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/data/x.jsonl", self.port)
    }
}

fn answer(
    mut conn: TcpStream,
    throttle: Throttle,
    requests: &AtomicU64,
    throttled: &AtomicU64,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut range = None;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "range" => range = Some(value.trim().to_string()),
                "content-length" => length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let n = requests.fetch_add(1, Ordering::SeqCst);
    let method = request_line.split_whitespace().next().unwrap_or("");
    let response = if n < throttle.first {
        throttled.fetch_add(1, Ordering::SeqCst);
        // Alternate the two throttling statuses stores use.
        let status = if n.is_multiple_of(2) {
            "503 Service Unavailable"
        } else {
            "429 Too Many Requests"
        };
        format!(
            "HTTP/1.1 {status}\r\nRetry-After: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            throttle.retry_after
        )
        .into_bytes()
    } else {
        serve(method, range.as_deref())
    };
    conn.write_all(&response)?;
    conn.shutdown(Shutdown::Both)
}

/// PROPFIND is refused (not a WebDAV server, so the URL is read as one file); HEAD and
/// GET (whole or `bytes=a-b`) serve [`BODY`].
fn serve(method: &str, range: Option<&str>) -> Vec<u8> {
    let head = "Last-Modified: Tue, 01 Dec 2026 00:00:00 GMT\r\nETag: \"v1\"\r\nAccept-Ranges: bytes\r\nConnection: close\r\n";
    let bytes = BODY.as_bytes();
    match method {
        "HEAD" => format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n{head}\r\n",
            bytes.len()
        )
        .into_bytes(),
        "GET" => {
            let (start, end) = range
                .and_then(|r| r.strip_prefix("bytes="))
                .and_then(|r| r.split_once('-'))
                .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
                .map_or((0, bytes.len() - 1), |(a, b)| (a, b.min(bytes.len() - 1)));
            let part = &bytes[start..=end];
            let mut out = format!(
                "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {start}-{end}/{}\r\n{head}\r\n",
                part.len(),
                bytes.len()
            )
            .into_bytes();
            out.extend_from_slice(part);
            out
        }
        _ => b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec(),
    }
}

fn provaudit(dir: &Path, args: &[&str]) -> Output {
    common::provaudit_in(dir, args)
}

fn summary(audit: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(audit.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn a_throttling_store_is_waited_for_as_it_asks_and_the_scan_succeeds() {
    let fake = Fake::start(Throttle {
        first: 3,
        retry_after: 1,
    });
    let work = tempfile::tempdir().unwrap();
    let run = provaudit(work.path(), &["scan", &fake.url(), "-o", "audit", "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", common::text(&run));
    assert_eq!(fake.throttled.load(Ordering::SeqCst), 3);
    let s = summary(&work.path().join("audit"));
    let counters = &s["remote"];
    assert_eq!(counters["retries"], 3, "{counters}");
    assert_eq!(counters["retry_after_waits"], 3, "{counters}");
    assert_eq!(counters["failed_requests"], 0, "{counters}");
    assert_eq!(s["totals"]["records"], 3);
    assert!(fake.requests.load(Ordering::SeqCst) > 3);
}

#[test]
fn the_retry_budget_ends_a_store_that_never_stops_throttling() {
    let fake = Fake::start(Throttle {
        first: u64::MAX,
        retry_after: 2,
    });
    let work = tempfile::tempdir().unwrap();
    let run = provaudit(
        work.path(),
        &[
            "scan",
            &fake.url(),
            "-o",
            "audit",
            "-q",
            "--remote-retry-budget",
            "1s",
        ],
    );
    let text = common::text(&run);
    assert_eq!(run.status.code(), Some(2), "{text}");
    assert!(
        text.contains("--remote-retry-budget") && text.contains("asked to wait 2s"),
        "{text}"
    );
    assert!(!work.path().join("audit/summary.json").exists());
}
