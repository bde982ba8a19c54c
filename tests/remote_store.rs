//! Remote roots against a real S3-compatible server (SeaweedFS on loopback), directly
//! and through a proxy that throttles every third request.

mod support {
    pub mod seaweed;
}

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use object_store::ObjectStoreExt;

use provaudit::bytesource::{ByteSource, LocalFile};
use provaudit::remote::{RemoteOptions, RemoteRoot, RemoteStats};
use support::seaweed::{FaultProxy, Seaweed};

const MIB: usize = 1 << 20;

fn pattern(len: usize, seed: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 31 + seed + i / 65_521) % 253) as u8)
        .collect()
}

/// The local tree the tests upload: small text files, an empty file, a 20 MB binary.
fn write_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let files = vec![
        (
            "a.jsonl".to_string(),
            b"{\"text\":\"hello\"}\n{\"text\":\"world\"}\n".to_vec(),
        ),
        ("sub/b.csv".to_string(), b"id,text\n1,x\n2,y\n".to_vec()),
        ("sub/deeper/empty.txt".to_string(), Vec::new()),
        ("big.bin".to_string(), pattern(20 * 1000 * 1000, 7)),
    ];
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let mut sorted = files;
    sorted.sort();
    sorted
}

fn read_all(source: &dyn ByteSource, chunk: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(source.len() as usize);
    let mut buf = vec![0; chunk];
    loop {
        let n = source.read_at(out.len() as u64, &mut buf).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

/// Lists the root and reads every object (big.bin also by three threads at once),
/// checking names, sizes and bytes against the local tree.
fn check_root(root: &RemoteRoot, expected: &[(String, Vec<u8>)]) {
    let listed = root.list().unwrap();
    let rels: Vec<&str> = listed.iter().map(|o| o.rel.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(rels, want);
    for (object, (_, bytes)) in listed.iter().zip(expected) {
        assert_eq!(object.size, bytes.len() as u64, "{}", object.rel);
        assert!(object.modified.is_some(), "{}", object.rel);
        let source = root.open_object(object, object.rel.clone());
        assert_eq!(source.name(), object.rel);
        assert!(read_all(source.as_ref(), MIB) == *bytes, "{}", object.rel);
    }
    let big = listed.iter().find(|o| o.rel == "big.bin").unwrap();
    let source = root.open_object(big, "big.bin".into());
    let data = &expected.iter().find(|(r, _)| r == "big.bin").unwrap().1;
    std::thread::scope(|s| {
        for t in 0..3 {
            let source = Arc::clone(&source);
            s.spawn(move || {
                let (start, end) = (t * data.len() / 3, (t + 1) * data.len() / 3);
                let mut buf = vec![0; 700_000];
                let mut pos = start;
                while pos < end {
                    let want = buf.len().min(end - pos);
                    let n = source.read_at(pos as u64, &mut buf[..want]).unwrap();
                    assert!(buf[..n] == data[pos..pos + n], "thread {t} at {pos}");
                    pos += n;
                }
            });
        }
    });
}

fn options(endpoint: String) -> RemoteOptions {
    RemoteOptions {
        s3_endpoint: Some(endpoint),
        retry_base: Duration::from_millis(20),
        ..RemoteOptions::default()
    }
}

#[test]
fn lists_and_reads_a_seaweedfs_bucket_directly_and_through_faults() {
    let Some(server) = Seaweed::start() else {
        return;
    };
    let local = tempfile::tempdir().unwrap();
    let expected = write_tree(local.path());
    server.create_bucket("audit");
    server.upload_dir("audit", "data/demo", local.path());

    // Direct: no retries at all.
    let stats = Arc::new(RemoteStats::default());
    let root = RemoteRoot::open(
        "s3://audit/data/demo/",
        &options(server.endpoint()),
        Arc::clone(&stats),
    )
    .unwrap();
    assert_eq!(root.root_name(), "demo");
    check_root(&root, &expected);
    let direct = stats.snapshot();
    assert_eq!(direct.retries, 0, "{direct:?}");
    assert_eq!(direct.failed_requests, 0, "{direct:?}");
    assert!(direct.bytes_fetched >= 2 * 20_000_000, "{direct:?}");

    // Every third request answered with 503 SlowDown: same bytes, retries counted.
    let proxy = FaultProxy::start(server.s3_port(), 3);
    let stats = Arc::new(RemoteStats::default());
    let root = RemoteRoot::open(
        "s3://audit/data/demo/",
        &options(proxy.endpoint()),
        Arc::clone(&stats),
    )
    .unwrap();
    check_root(&root, &expected);
    let faulty = stats.snapshot();
    assert!(faulty.retries > 0, "{faulty:?}");
    assert_eq!(faulty.retries, proxy.faults(), "{faulty:?}");
    assert_eq!(faulty.requests, proxy.requests(), "{faulty:?}");
    assert_eq!(faulty.failed_requests, 0, "{faulty:?}");
    println!("direct: {direct:?}\nthrough the fault proxy: {faulty:?}");
}

#[test]
fn single_objects_missing_objects_and_plain_http() {
    let Some(server) = Seaweed::start() else {
        return;
    };
    let local = tempfile::tempdir().unwrap();
    let expected = write_tree(local.path());
    server.create_bucket("one");
    server.upload_dir("one", "x", local.path());
    let stats = Arc::new(RemoteStats::default());
    let opts = options(server.endpoint());

    let root = RemoteRoot::open("s3://one/x/a.jsonl", &opts, Arc::clone(&stats)).unwrap();
    let listed = root.list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].rel.as_str(), listed[0].key.as_str()),
        ("a.jsonl", "x/a.jsonl")
    );
    let card = root.read_small("sub/b.csv", 1 << 10).unwrap();
    assert_eq!(card.as_deref(), Some(&expected[2].1[..]));
    assert_eq!(root.read_small("nope.md", 1 << 10).unwrap(), None);
    assert!(root.read_small("big.bin", 1 << 10).is_err());

    let root = RemoteRoot::open("s3://one/nothing/here/", &opts, Arc::clone(&stats)).unwrap();
    assert!(root.list().unwrap().is_empty());
    let root = RemoteRoot::open("s3://no-such-bucket/x/", &opts, Arc::clone(&stats)).unwrap();
    let err = root.list().unwrap_err().to_string();
    assert!(
        err.contains("NoSuchBucket") && err.contains("check its name"),
        "{err}"
    );

    // An object deleted after listing: a NotFound I/O error, not retried.
    let root = RemoteRoot::open("s3://one/x/", &opts, Arc::clone(&stats)).unwrap();
    let mut listed = root.list().unwrap();
    listed[0].key = "x/deleted.jsonl".into();
    let before = stats.snapshot();
    let err = root
        .open_object(&listed[0], "gone".into())
        .read_at(0, &mut [0; 8])
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound, "{err}");
    assert!(
        err.to_string()
            .starts_with("s3://one/x/deleted.jsonl: not found"),
        "{err}"
    );
    assert_eq!(stats.snapshot().requests, before.requests + 1);
    assert_eq!(stats.snapshot().retries, 0);
    assert_eq!(stats.snapshot().failed_requests, before.failed_requests + 1);

    // The same object over plain HTTP (SeaweedFS answers PROPFIND with 405, so the URL
    // is taken as one file and read by ranges).
    let url = format!("{}/one/x/big.bin", server.endpoint());
    let root = RemoteRoot::open(&url, &RemoteOptions::default(), Arc::clone(&stats)).unwrap();
    let listed = root.list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].rel, "big.bin");
    let source = root.open_object(&listed[0], "big.bin".into());
    assert!(read_all(source.as_ref(), MIB) == expected[1].1);
    // The refused PROPFIND was an answer, not a failure.
    assert_eq!(stats.snapshot().failed_requests, before.failed_requests + 1);

    // A directory over plain HTTP cannot be listed: say so.
    let url = format!("{}/one/x/", server.endpoint());
    let root = RemoteRoot::open(&url, &RemoteOptions::default(), stats).unwrap();
    let err = root.list().unwrap_err().to_string();
    assert!(err.contains("WebDAV"), "{err}");
}

/// Sequential 1 MiB reads of one 256 MiB object: SeaweedFS on loopback through
/// `RemoteSource` versus the same file on local disk. Prints MB/s.
///
/// `cargo test --release --test seaweed -- --ignored --nocapture throughput`
#[test]
#[ignore = "benchmark: uploads and reads 256 MiB"]
fn throughput_256_mib_sequential() {
    let Some(server) = Seaweed::start() else {
        return;
    };
    let local = tempfile::tempdir().unwrap();
    let path = local.path().join("shard.bin");
    let data = pattern(256 * MIB, 3);
    std::fs::write(&path, &data).unwrap();
    server.create_bucket("bench");
    server.upload_dir("bench", "p", local.path());
    let mbs = |d: Duration| data.len() as f64 / 1e6 / d.as_secs_f64();

    for round in 0..2 {
        let file = LocalFile::open(&path, "shard.bin".into()).unwrap();
        let started = Instant::now();
        assert!(read_all(&file, MIB) == data);
        println!(
            "local disk, round {round}: {:.0} MB/s",
            mbs(started.elapsed())
        );
    }

    // The server's ceiling: one whole-object GET, no ranges, no cache.
    let store = server.store("bench");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let whole = runtime.block_on(async {
        let location = object_store::path::Path::parse("p/shard.bin").unwrap();
        store.get(&location).await.unwrap().bytes().await.unwrap()
    });
    let took = started.elapsed();
    assert!(whole.len() == data.len());
    println!("one plain GET of the whole object: {:.0} MB/s", mbs(took));

    for block_mib in [4, 8, 16] {
        let stats = Arc::new(RemoteStats::default());
        let options = RemoteOptions {
            block_bytes: block_mib * MIB,
            ..options(server.endpoint())
        };
        let root = RemoteRoot::open("s3://bench/p/", &options, Arc::clone(&stats)).unwrap();
        let object = root.list().unwrap().remove(0);
        let source = root.open_object(&object, "shard.bin".into());
        let started = Instant::now();
        let got = read_all(source.as_ref(), MIB);
        let took = started.elapsed();
        assert!(got == data);
        println!(
            "remote, {block_mib} MiB blocks: {:.0} MB/s ({:.2} s), {:?}",
            mbs(took),
            took.as_secs_f64(),
            stats.snapshot()
        );
    }
}
