//! Tests of listing and reading over in-process stores: `InMemory`, and a wrapper that
//! fails on demand, so the retry and cache paths run exactly as they do against S3.

use std::fmt;
use std::io;
use std::ops::Range;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use futures::stream::BoxStream;
use futures::{Future, StreamExt};
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload, PutResult,
};

use super::root::*;
use super::*;
use crate::bytesource::ByteSource;

type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An `ObjectStore` that delegates to `InMemory` but answers the next `fail_next`
/// calls with an S3-style 503 SlowDown, and counts GETs (HEADs included).
#[derive(Debug, Default)]
struct Flaky {
    inner: InMemory,
    fail_next: AtomicU32,
    gets: AtomicU32,
    lists: AtomicU32,
}

impl fmt::Display for Flaky {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Flaky({})", self.inner)
    }
}

fn slow_down() -> object_store::Error {
    object_store::Error::Generic {
        store: "S3",
        source: "Error performing GET http://test/b/k in 1ms - Server returned non-2xx status \
                 code: 503 Service Unavailable: <Error><Code>SlowDown</Code></Error>"
            .into(),
    }
}

impl Flaky {
    /// True when this call should fail.
    fn trip(&self) -> bool {
        self.fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

// `ObjectStore` is an `async_trait`; these are its methods written out by hand, so the
// tests need no extra dependency.
impl ObjectStore for Flaky {
    fn put_opts<'a, 'b, 'c>(
        &'a self,
        location: &'b Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> BoxFut<'c, object_store::Result<PutResult>>
    where
        'a: 'c,
        'b: 'c,
        Self: 'c,
    {
        self.inner.put_opts(location, payload, opts)
    }

    fn put_multipart_opts<'a, 'b, 'c>(
        &'a self,
        location: &'b Path,
        opts: PutMultipartOptions,
    ) -> BoxFut<'c, object_store::Result<Box<dyn MultipartUpload>>>
    where
        'a: 'c,
        'b: 'c,
        Self: 'c,
    {
        self.inner.put_multipart_opts(location, opts)
    }

    fn get_opts<'a, 'b, 'c>(
        &'a self,
        location: &'b Path,
        options: GetOptions,
    ) -> BoxFut<'c, object_store::Result<GetResult>>
    where
        'a: 'c,
        'b: 'c,
        Self: 'c,
    {
        self.gets.fetch_add(1, Ordering::SeqCst);
        if self.trip() {
            return Box::pin(async { Err(slow_down()) });
        }
        self.inner.get_opts(location, options)
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, object_store::Result<Path>>,
    ) -> BoxStream<'static, object_store::Result<Path>> {
        self.inner.delete_stream(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.lists.fetch_add(1, Ordering::SeqCst);
        if self.trip() {
            // Fail after the first item, as a dropped connection mid-listing would.
            let first = self.inner.list(prefix).take(1);
            return first
                .chain(futures::stream::once(async { Err(slow_down()) }))
                .boxed();
        }
        self.inner.list(prefix)
    }

    fn list_with_delimiter<'a, 'b, 'c>(
        &'a self,
        prefix: Option<&'b Path>,
    ) -> BoxFut<'c, object_store::Result<ListResult>>
    where
        'a: 'c,
        'b: 'c,
        Self: 'c,
    {
        self.inner.list_with_delimiter(prefix)
    }

    fn copy_opts<'a, 'b, 'c, 'd>(
        &'a self,
        from: &'b Path,
        to: &'c Path,
        options: CopyOptions,
    ) -> BoxFut<'d, object_store::Result<()>>
    where
        'a: 'd,
        'b: 'd,
        'c: 'd,
        Self: 'd,
    {
        self.inner.copy_opts(from, to, options)
    }
}

fn block_on<F: Future>(fut: F) -> F::Output {
    runtime::get().unwrap().block_on(fut)
}

fn put(store: &dyn ObjectStore, key: &str, bytes: Vec<u8>) {
    block_on(store.put(&Path::parse(key).unwrap(), PutPayload::from(bytes))).unwrap();
}

/// Deterministic, non-repeating-per-block content, so a misplaced block shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + i / 4096) % 251) as u8).collect()
}

const BLOCK: usize = 4096;

fn small_blocks() -> RemoteOptions {
    RemoteOptions {
        block_bytes: BLOCK,
        max_retries: 6,
        retry_base: Duration::from_millis(1),
        retry_seed: Some(1),
        ..RemoteOptions::default()
    }
}

struct Fixture {
    store: Arc<Flaky>,
    stats: Arc<RemoteStats>,
    root: RemoteRoot,
}

fn fixture(url: &str, options: RemoteOptions, objects: &[(&str, Vec<u8>)]) -> Fixture {
    let store = Arc::new(Flaky::default());
    for (key, bytes) in objects {
        put(store.as_ref(), key, bytes.clone());
    }
    let stats = Arc::new(RemoteStats::default());
    let root = RemoteRoot::with_store(
        url,
        Arc::clone(&store) as Arc<dyn ObjectStore>,
        &options,
        Arc::clone(&stats),
    )
    .unwrap();
    Fixture { store, stats, root }
}

fn object(root: &RemoteRoot, rel: &str) -> RemoteObject {
    let listed = root.list().unwrap();
    listed.into_iter().find(|o| o.rel == rel).unwrap()
}

fn read_all(source: &dyn ByteSource, chunk: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0; chunk];
    loop {
        let n = source.read_at(out.len() as u64, &mut buf).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn listing_strips_prefix_sorts_and_skips_directory_markers() {
    let f = fixture(
        "s3://bucket/data/demo/",
        small_blocks(),
        &[
            ("data/demo/z/y/w.bin", vec![1; 3]),
            ("data/demo/sub/b.csv", vec![1; 5]),
            ("data/demo/sub", vec![]),
            ("data/demo/a.jsonl", vec![1; 10]),
            ("data/demo/empty.txt", vec![]),
            ("data/demo-other/x", vec![1]),
            ("data/other", vec![1]),
        ],
    );
    let listed = f.root.list().unwrap();
    let rels: Vec<&str> = listed.iter().map(|o| o.rel.as_str()).collect();
    assert_eq!(rels, ["a.jsonl", "empty.txt", "sub/b.csv", "z/y/w.bin"]);
    assert_eq!(listed[2].key, "data/demo/sub/b.csv");
    assert_eq!(listed[2].size, 5);
    assert!(listed[0].modified.is_some());
    assert!(listed[0].e_tag.is_some());
    assert_eq!(f.root.root_name(), "demo");
    assert_eq!(
        f.root.url_of("sub/b.csv"),
        "s3://bucket/data/demo/sub/b.csv"
    );
    assert_eq!(f.stats.snapshot().requests, 1);
}

#[test]
fn a_prefix_naming_one_object_lists_that_object() {
    let f = fixture(
        "s3://bucket/data/demo/a.jsonl",
        small_blocks(),
        &[
            ("data/demo/a.jsonl", b"{\"x\":1}\n".to_vec()),
            ("data/demo/README.md", b"# card".to_vec()),
        ],
    );
    let listed = f.root.list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].rel, "a.jsonl");
    assert_eq!(listed[0].key, "data/demo/a.jsonl");
    assert_eq!(f.root.root_name(), "a.jsonl");
    assert_eq!(f.root.url_of("a.jsonl"), "s3://bucket/data/demo/a.jsonl");
    // Side files resolve next to the object, as for a local file root.
    let card = f.root.read_small("README.md", 1024).unwrap();
    assert_eq!(card.as_deref(), Some(&b"# card"[..]));
    let source = f.root.open_object(&listed[0], "a.jsonl".into());
    assert_eq!(read_all(source.as_ref(), 3), b"{\"x\":1}\n");
}

#[test]
fn a_missing_prefix_lists_nothing_and_bucket_roots_list_everything() {
    let f = fixture("s3://bucket/nothing", small_blocks(), &[("a/b", vec![1])]);
    assert!(f.root.list().unwrap().is_empty());
    let f = fixture(
        "gs://bucket",
        small_blocks(),
        &[("a/b", vec![1]), ("c", vec![2])],
    );
    let rels: Vec<String> = f.root.list().unwrap().into_iter().map(|o| o.rel).collect();
    assert_eq!(rels, ["a/b", "c"]);
    assert_eq!(f.root.root_name(), "bucket");
}

#[test]
fn read_small_finds_refuses_large_and_reports_missing() {
    let f = fixture(
        "s3://bucket/d",
        small_blocks(),
        &[
            ("d/PROVENANCE.toml", b"license = \"MIT\"".to_vec()),
            ("d/big", vec![0; 5000]),
        ],
    );
    f.root.list().unwrap();
    let got = f.root.read_small("PROVENANCE.toml", 100).unwrap();
    assert_eq!(got.as_deref(), Some(&b"license = \"MIT\""[..]));
    assert_eq!(f.root.read_small("missing.md", 100).unwrap(), None);
    let gets_before = f.store.gets.load(Ordering::SeqCst);
    match f.root.read_small("big", 100) {
        Err(RemoteError::TooLarge {
            size: 5000,
            limit: 100,
            key,
            ..
        }) => assert_eq!(key, "d/big"),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // Only the HEAD was sent: the large object was not downloaded.
    assert_eq!(f.store.gets.load(Ordering::SeqCst), gets_before + 1);
    assert_eq!(f.stats.snapshot().failed_requests, 0);
}

#[test]
fn opening_sends_no_request() {
    let f = fixture("s3://bucket/d/", small_blocks(), &[("d/x", pattern(100))]);
    let obj = object(&f.root, "x");
    let gets = f.store.gets.load(Ordering::SeqCst);
    let source = f.root.open_object(&obj, "x".into());
    assert_eq!(source.len(), 100);
    assert_eq!(source.name(), "x");
    assert_eq!(f.store.gets.load(Ordering::SeqCst), gets);
}

#[test]
fn reads_across_block_boundaries_at_and_past_the_end() {
    let data = pattern(BLOCK * 10 + 123);
    let f = fixture(
        "s3://bucket/d",
        small_blocks(),
        &[("d/x.bin", data.clone())],
    );
    let source = f
        .root
        .open_object(&object(&f.root, "x.bin"), "x.bin".into());
    let len = data.len() as u64;

    let mut buf = vec![0; 200];
    assert_eq!(source.read_at(4000, &mut buf).unwrap(), 200);
    assert_eq!(buf, data[4000..4200]);

    // Three blocks in one read.
    let mut buf = vec![0; 2 * BLOCK + 10];
    assert_eq!(
        source.read_at(BLOCK as u64 - 5, &mut buf).unwrap(),
        buf.len()
    );
    assert_eq!(buf, data[BLOCK - 5..3 * BLOCK + 5]);

    // More blocks than the cache holds: one direct ranged GET.
    let mut buf = vec![0; 6 * BLOCK + 1];
    assert_eq!(source.read_at(7, &mut buf).unwrap(), buf.len());
    assert_eq!(buf, data[7..7 + 6 * BLOCK + 1]);

    let mut buf = vec![0; 500];
    assert_eq!(source.read_at(len - 10, &mut buf).unwrap(), 10);
    assert_eq!(buf[..10], data[data.len() - 10..]);
    assert_eq!(source.read_at(len, &mut buf).unwrap(), 0);
    assert_eq!(source.read_at(len + 1000, &mut buf).unwrap(), 0);
    assert_eq!(source.read_at(0, &mut []).unwrap(), 0);
    assert_eq!(read_all(source.as_ref(), 1000), data);
}

#[test]
fn sequential_reads_fetch_each_block_once_and_prefetch_the_next() {
    let blocks = 12;
    let data = pattern(BLOCK * blocks);
    let f = fixture("s3://bucket/d", small_blocks(), &[("d/x", data.clone())]);
    let obj = object(&f.root, "x");
    let source = f.root.source(&obj, "x".into());
    let gets = || f.store.gets.load(Ordering::SeqCst);
    let start = gets();

    // A lone small read is a probe: exactly its bytes, nothing cached.
    let mut buf = vec![0; 1000];
    source.read_at(0, &mut buf).unwrap();
    assert_eq!((gets(), source.cached_blocks()), (start + 1, 0));
    // A read continuing it is a stream: block 0, and block 1 fetched unasked.
    source.read_at(1000, &mut buf).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while gets() < start + 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(gets(), start + 3, "block 1 was not prefetched");

    assert_eq!(read_all(&source, 1000), data);
    assert_eq!(
        gets(),
        start + 1 + blocks as u32,
        "a block was fetched twice"
    );
    assert!(source.cached_blocks() <= 4);
    let c = f.stats.snapshot();
    assert_eq!(c.bytes_fetched, data.len() as u64 + 1000);
    assert_eq!(c.retries, 0);
}

#[test]
fn release_drops_every_cached_block_and_the_source_stays_readable() {
    let data = pattern(BLOCK * 6);
    let f = fixture("s3://bucket/d", small_blocks(), &[("d/x", data.clone())]);
    let source = f.root.source(&object(&f.root, "x"), "x".into());
    let mut buf = vec![0; 3 * BLOCK];
    source.read_at(0, &mut buf).unwrap();
    assert!(source.cached_blocks() > 0);
    source.release();
    assert_eq!(source.cached_blocks(), 0);
    assert_eq!(read_all(&source, 1000), data);
}

#[test]
fn concurrent_readers_get_the_right_bytes_within_the_memory_bound() {
    let data = Arc::new(pattern(BLOCK * 40 + 17));
    let f = fixture("s3://bucket/d", small_blocks(), &[("d/x", data.to_vec())]);
    let obj = object(&f.root, "x");
    let source = Arc::new(f.root.source(&obj, "x".into()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (source, stop) = (Arc::clone(&source), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut most = 0;
            while !stop.load(Ordering::SeqCst) {
                most = most.max(source.cached_blocks());
                std::thread::yield_now();
            }
            most
        })
    };
    let readers: Vec<_> = (0..6)
        .map(|t| {
            let (source, data) = (Arc::clone(&source), Arc::clone(&data));
            std::thread::spawn(move || {
                // Each thread streams its own range with its own chunk size.
                let len = data.len();
                let range: Range<usize> = (t * len / 6)..((t + 1) * len / 6);
                let chunk = 700 + 911 * t;
                let mut pos = range.start;
                let mut buf = vec![0; chunk];
                while pos < range.end {
                    let want = chunk.min(range.end - pos);
                    let n = source.read_at(pos as u64, &mut buf[..want]).unwrap();
                    assert_eq!(buf[..n], data[pos..pos + n], "thread {t} at {pos}");
                    pos += n;
                }
            })
        })
        .collect();
    for r in readers {
        r.join().unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    let most = watcher.join().unwrap();
    assert!(most <= 4, "cache held {most} blocks");
    assert!(source.cached_blocks() <= 4);
}

#[test]
fn transient_failures_are_retried_and_counted() {
    let data = pattern(BLOCK * 3);
    let f = fixture("s3://bucket/d", small_blocks(), &[("d/x", data.clone())]);
    let obj = object(&f.root, "x");
    let source = f.root.open_object(&obj, "x".into());
    let before = f.stats.snapshot();
    f.store.fail_next.store(2, Ordering::SeqCst);
    let mut buf = vec![0; 100];
    assert_eq!(source.read_at(10, &mut buf).unwrap(), 100);
    assert_eq!(buf, data[10..110]);
    let after = f.stats.snapshot();
    assert_eq!(after.retries - before.retries, 2);
    assert_eq!(after.requests - before.requests, 3);
    assert_eq!(after.failed_requests, 0);
}

#[test]
fn exhausted_retries_surface_as_an_actionable_io_error() {
    let options = RemoteOptions {
        max_retries: 3,
        ..small_blocks()
    };
    let f = fixture("s3://bucket/d", options, &[("d/x", pattern(100))]);
    let obj = object(&f.root, "x");
    let source = f.root.open_object(&obj, "x".into());
    f.store.fail_next.store(100, Ordering::SeqCst);
    let err = source.read_at(0, &mut [0; 10]).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("s3://bucket/d/x: "), "{msg}");
    assert!(msg.contains("503 Service Unavailable (SlowDown)"), "{msg}");
    assert!(
        msg.contains("after 3 retries") && msg.contains("--remote-retries"),
        "{msg}"
    );
    let c = f.stats.snapshot();
    assert_eq!((c.retries, c.failed_requests), (3, 1));
    // The failed block is not cached: once the store recovers, reads work again.
    f.store.fail_next.store(0, Ordering::SeqCst);
    let mut buf = [0; 10];
    assert_eq!(source.read_at(0, &mut buf).unwrap(), 10);
    assert_eq!(buf[..], pattern(100)[..10]);
}

#[test]
fn a_missing_object_fails_at_once_without_retries() {
    let f = fixture("s3://bucket/d", small_blocks(), &[("d/x", pattern(100))]);
    let gone = RemoteObject {
        rel: "gone".into(),
        key: "d/gone".into(),
        size: 50,
        modified: None,
        e_tag: None,
    };
    let before = f.stats.snapshot();
    let err = f
        .root
        .open_object(&gone, "gone".into())
        .read_at(0, &mut [0; 10])
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
    assert!(
        err.to_string().contains("s3://bucket/d/gone: not found"),
        "{err}"
    );
    let after = f.stats.snapshot();
    assert_eq!(after.requests - before.requests, 1);
    assert_eq!(after.retries, 0);
    assert_eq!(after.failed_requests, 1);
}

#[test]
fn listing_restarts_after_a_transient_failure() {
    let f = fixture(
        "s3://bucket/d",
        small_blocks(),
        &[("d/a", vec![1]), ("d/b", vec![2]), ("d/c", vec![3])],
    );
    f.store.fail_next.store(1, Ordering::SeqCst);
    let found = std::sync::Mutex::new(Vec::new());
    let listed = f
        .root
        .list_counted(&|size| found.lock().unwrap().push(size));
    let rels: Vec<String> = listed.unwrap().into_iter().map(|o| o.rel).collect();
    assert_eq!(rels, ["a", "b", "c"]);
    assert_eq!(
        *found.lock().unwrap(),
        [1, 1, 1],
        "each object heard of once, with its size"
    );
    assert_eq!(f.store.lists.load(Ordering::SeqCst), 2);
    let c = f.stats.snapshot();
    assert_eq!((c.requests, c.retries, c.failed_requests), (2, 1, 0));

    f.store.fail_next.store(100, Ordering::SeqCst);
    let err = f.root.list().unwrap_err().to_string();
    assert!(
        err.starts_with("s3://bucket/d: cannot list objects: HTTP 503"),
        "{err}"
    );
}

#[test]
fn an_object_rewritten_mid_read_fails_instead_of_mixing_versions() {
    let f = fixture(
        "s3://bucket/d",
        small_blocks(),
        &[("d/x", pattern(BLOCK * 8))],
    );
    let obj = object(&f.root, "x");
    let source = f.root.open_object(&obj, "x".into());
    source.read_at(0, &mut [0; 10]).unwrap();
    put(f.store.as_ref(), "d/x", vec![9; BLOCK * 8]);
    let err = source.read_at(6 * BLOCK as u64, &mut [0; 10]).unwrap_err();
    assert!(
        err.to_string().contains("changed while it was being read"),
        "{err}"
    );
}

#[test]
fn root_names_and_urls() {
    let f = fixture("s3://b/data/demo/", small_blocks(), &[]);
    assert_eq!(f.root.root_name(), "demo");
    assert_eq!(f.root.url(), "s3://b/data/demo/");
    let f = fixture(
        "abfss://cont@acct.dfs.core.windows.net/",
        small_blocks(),
        &[],
    );
    assert_eq!(f.root.root_name(), "cont");
    let shown = format!("{:?}", f.root);
    assert!(shown.contains("RemoteRoot"), "{shown}");
}

#[test]
fn opening_real_store_urls_builds_clients_without_requests() {
    let stats = Arc::new(RemoteStats::default());
    let options = RemoteOptions {
        s3_endpoint: Some("http://127.0.0.1:9".into()),
        ..RemoteOptions::default()
    };
    let root = RemoteRoot::open("s3://bucket/prefix/", &options, Arc::clone(&stats)).unwrap();
    assert_eq!(root.root_name(), "prefix");
    let root = RemoteRoot::open("https://example.invalid/d/f.jsonl", &options, stats).unwrap();
    assert_eq!(root.root_name(), "f.jsonl");
    assert_eq!(root.stats().snapshot(), RemoteCounters::default());
    let err = RemoteRoot::open("ftp://x/y", &options, Arc::default()).unwrap_err();
    assert!(matches!(err, RemoteError::UnsupportedUrl { .. }), "{err}");
}

#[test]
fn store_refusing_a_connection_is_retried_then_reported() {
    // Port 9 (discard) on loopback is closed: connection refused, a transient error.
    let options = RemoteOptions {
        s3_endpoint: Some("http://127.0.0.1:9".into()),
        max_retries: 2,
        retry_base: Duration::from_millis(1),
        ..RemoteOptions::default()
    };
    let stats = Arc::new(RemoteStats::default());
    let root = RemoteRoot::open("s3://bucket/p/", &options, Arc::clone(&stats)).unwrap();
    let err = root.list().unwrap_err().to_string();
    assert!(err.contains("could not connect"), "{err}");
    assert!(err.contains("after 2 retries"), "{err}");
    let c = stats.snapshot();
    assert_eq!((c.requests, c.retries, c.failed_requests), (3, 2, 1));
}

#[test]
fn reads_from_inside_a_runtime_are_refused_not_panicking() {
    let f = fixture("s3://bucket/d", small_blocks(), &[("d/x", pattern(10))]);
    let obj = object(&f.root, "x");
    let source = f.root.open_object(&obj, "x".into());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let err = rt
        .block_on(async { source.read_at(0, &mut [0; 4]) })
        .unwrap_err();
    assert!(err.to_string().contains("spawn_blocking"), "{err}");
}

#[test]
fn gcs_and_azure_urls_build_or_say_which_settings_are_missing() {
    let options = RemoteOptions::default();
    let root = RemoteRoot::open("gs://bucket/shards/", &options, Arc::default()).unwrap();
    assert_eq!(root.root_name(), "shards");
    if std::env::var_os("AZURE_STORAGE_ACCOUNT_NAME").is_none() {
        let err = RemoteRoot::open("az://container/p", &options, Arc::default()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, RemoteError::Store { .. }), "{msg}");
        assert!(msg.starts_with("az://container/p: cannot set up"), "{msg}");
        assert!(msg.contains("AZURE_STORAGE_ACCOUNT_NAME"), "{msg}");
    }
}

#[test]
fn budgets_read_in_minutes_unless_a_unit_says_otherwise() {
    let d = |t: &str| super::parse_budget(t);
    assert_eq!(d("10"), Ok(Duration::from_secs(600)));
    assert_eq!(d("10m"), Ok(Duration::from_secs(600)));
    assert_eq!(d("90s"), Ok(Duration::from_secs(90)));
    assert_eq!(d("1.5h"), Ok(Duration::from_secs(5400)));
    assert_eq!(d("500ms"), Ok(Duration::from_millis(500)));
    assert_eq!(d("0s"), Ok(Duration::ZERO));
    for bad in ["", "m", "10 parsecs", "-1m", "1.2.3s", "9999h"] {
        assert!(d(bad).is_err(), "{bad}");
    }
}
