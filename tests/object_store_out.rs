//! Audits written to and read from object storage, and shard plans, end to end against
//! SeaweedFS on loopback (as tests/object_store_scan.rs): `--out s3://…` uploads with
//! `summary.json` last, `merge` reads shard prefixes and writes to one, a prefix
//! without `summary.json` is not an audit, shards scanned from a plan never list the
//! bucket and merge to the unsharded audit of the planned listing, and `--resume`
//! notices that the data changed.
//!
//! Without the `weed` binary the tests print SKIPPED and pass.

mod common;
mod support {
    pub mod seaweed;
}

use std::path::Path;
use std::process::Output;

use common::{demo, text};
use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use support::seaweed::{FaultProxy, Seaweed};

fn provaudit(dir: &Path, args: &[&str]) -> Output {
    support::seaweed::provaudit_anonymous(dir, args)
}

/// Downloads every object under `prefix` of `bucket` into `dir`, as the test's own
/// check of what the bucket holds.
fn download(server: &Seaweed, bucket: &str, prefix: &str, dir: &Path) -> Vec<String> {
    let store = server.store(bucket);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let prefix = ObjectPath::from(prefix);
        let metas: Vec<_> = store.list(Some(&prefix)).try_collect().await.unwrap();
        let mut names = Vec::new();
        for meta in metas {
            let rel = meta.location.as_ref()[prefix.as_ref().len() + 1..].to_string();
            let bytes = store
                .get(&meta.location)
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let target = dir.join(&rel);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
            names.push(rel);
        }
        names.sort();
        names
    })
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn audits_are_uploaded_summary_last_and_merge_reads_and_writes_prefixes() {
    let Some(server) = Seaweed::start() else {
        return;
    };
    server.create_bucket("audits");
    let proxy = FaultProxy::start(server.s3_port(), 0);
    let endpoint = proxy.endpoint();
    let work = tempfile::tempdir().unwrap();
    let demo = demo();
    let demo = demo.to_str().unwrap();
    let local = provaudit(work.path(), &["scan", demo, "-o", "local", "-q"]);
    let status = local.status.code();

    for i in 0..3 {
        let shard = format!("{i}/3");
        let out = format!("s3://audits/shards/{i}");
        let run = provaudit(
            work.path(),
            &[
                "scan",
                demo,
                "--shard",
                &shard,
                "-o",
                &out,
                "--s3-endpoint",
                &endpoint,
                "-q",
            ],
        );
        // The demo's one broken file is in one shard: 1 there, 0 elsewhere.
        assert!(matches!(run.status.code(), Some(0 | 1)), "{}", text(&run));
    }
    // Each upload deleted the old summary.json first and put the new one last.
    let lines = proxy.request_lines();
    let puts: Vec<&String> = lines.iter().filter(|l| l.starts_with("PUT ")).collect();
    assert!(puts.len() > 10, "{lines:?}");
    assert!(
        puts.last().unwrap().contains("/shards/2/summary.json"),
        "{puts:?}"
    );
    // (object_store deletes through S3's bulk DeleteObjects: `POST /bucket?delete`.)
    let mut previous_end = 0;
    for i in 0..3 {
        let shard = format!("/shards/{i}/");
        let of_shard = |l: &&String| l.starts_with("PUT ") && l.contains(&shard);
        let first_put = lines.iter().position(|l| of_shard(&l)).unwrap();
        let last_put = lines.iter().rposition(|l| of_shard(&l)).unwrap();
        assert!(
            lines[last_put].ends_with("/summary.json HTTP/1.1"),
            "shard {i}'s summary.json goes up last: {lines:?}"
        );
        assert!(
            lines[previous_end..first_put]
                .iter()
                .any(|l| l.to_ascii_lowercase().contains("delete")),
            "shard {i}'s old summary.json is deleted before anything goes up: {lines:?}"
        );
        previous_end = last_put;
    }
    assert!(
        !work.path().join("s3:").exists(),
        "no local folder named after the scheme"
    );

    let merged = provaudit(
        work.path(),
        &[
            "merge",
            "s3://audits/shards/2",
            "s3://audits/shards/0",
            "s3://audits/shards/1",
            "-o",
            "s3://audits/merged",
            "--s3-endpoint",
            &endpoint,
            "-q",
        ],
    );
    assert_eq!(merged.status.code(), status, "{}", text(&merged));
    let copy = work.path().join("merged-copy");
    let names = download(&server, "audits", "merged", &copy);
    assert!(names.contains(&"summary.json".to_string()), "{names:?}");
    let local_dir = work.path().join("local");
    for file in ["ledger.jsonl", "findings.jsonl", "fingerprints.bin"] {
        assert_eq!(
            read(&copy.join(file)),
            read(&local_dir.join(file)),
            "{file}"
        );
    }

    // A prefix whose upload was cut off before summary.json is not an audit.
    let broken = work.path().join("broken");
    download(&server, "audits", "shards/0", &broken);
    std::fs::remove_file(broken.join("summary.json")).unwrap();
    server.upload_dir("audits", "broken/0", &broken);
    let refused = provaudit(
        work.path(),
        &[
            "merge",
            "s3://audits/broken/0",
            "s3://audits/shards/1",
            "s3://audits/shards/2",
            "-o",
            "m2",
            "--s3-endpoint",
            &endpoint,
        ],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        text(&refused).contains("not an audit"),
        "{}",
        text(&refused)
    );
    assert!(!work.path().join("m2/summary.json").exists());

    // A baseline in the bucket serves a re-audit like a local one.
    let again = provaudit(
        work.path(),
        &[
            "scan",
            demo,
            "--baseline",
            "s3://audits/merged",
            "-o",
            "again",
            "--s3-endpoint",
            &endpoint,
            "--json",
        ],
    );
    assert_eq!(again.status.code(), status, "{}", text(&again));
    let summary: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    let reused = summary["incremental"]["reused_files"].as_u64().unwrap_or(0);
    assert!(reused > 10, "{}", summary["incremental"]);
    assert_eq!(
        read(&work.path().join("again/ledger.jsonl")),
        read(&local_dir.join("ledger.jsonl"))
    );
}

#[test]
fn shards_from_a_plan_never_list_the_bucket_and_merge_to_the_planned_listing() {
    let Some(server) = Seaweed::start() else {
        return;
    };
    server.create_bucket("lake");
    server.upload_dir("lake", "demo", &demo());
    let work = tempfile::tempdir().unwrap();
    let endpoint = server.endpoint();
    let scan_lake = |endpoint: &str, extra: &str| {
        let args = [
            "scan",
            "s3://lake/demo",
            "--s3-endpoint",
            endpoint,
            "-o",
            "direct",
            extra,
        ];
        provaudit(work.path(), &args)
    };
    let direct = scan_lake(&endpoint, "-q");
    let status = direct.status.code();
    let planned = provaudit(
        work.path(),
        &[
            "plan",
            "s3://lake/demo",
            "--shards",
            "3",
            "-o",
            "plan",
            "--s3-endpoint",
            &endpoint,
        ],
    );
    assert_eq!(planned.status.code(), Some(0), "{}", text(&planned));
    assert!(work.path().join("plan/plan.json").is_file());

    // A file that arrives after planning is in no shard's list: shards read their lists
    // and never list the bucket (the proxy sees no ListObjects request).
    let late = work.path().join("late");
    std::fs::create_dir_all(&late).unwrap();
    std::fs::write(late.join("late.jsonl"), "{\"text\": \"added later\"}\n").unwrap();
    server.upload_dir("lake", "demo", &late);
    let proxy = FaultProxy::start(server.s3_port(), 0);
    let mut shard_dirs = Vec::new();
    for i in 0..3 {
        let (shard, out) = (format!("{i}/3"), format!("p{i}"));
        let run = provaudit(
            work.path(),
            &[
                "scan",
                "--plan",
                "plan",
                "--shard",
                &shard,
                "-o",
                &out,
                "--s3-endpoint",
                &proxy.endpoint(),
                "-q",
            ],
        );
        assert!(matches!(run.status.code(), Some(0 | 1)), "{}", text(&run));
        shard_dirs.push(out);
    }
    let lines = proxy.request_lines();
    assert!(!lines.is_empty());
    assert!(
        lines.iter().all(|l| !l.contains("list-type")),
        "a shard listed the bucket: {lines:?}"
    );
    let mut args = vec!["merge", "-o", "merged", "-q"];
    args.extend(shard_dirs.iter().map(String::as_str));
    let merged = provaudit(work.path(), &args);
    assert_eq!(merged.status.code(), status, "{}", text(&merged));
    for file in ["ledger.jsonl", "findings.jsonl", "fingerprints.bin"] {
        assert_eq!(
            read(&work.path().join("merged").join(file)),
            read(&work.path().join("direct").join(file)),
            "{file}"
        );
    }

    // The data changed since `direct` was written: --resume scans again, with the
    // listing its check made (the bucket is listed once, not twice).
    let proxy = FaultProxy::start(server.s3_port(), 0);
    let resumed = scan_lake(&proxy.endpoint(), "--resume");
    assert!(
        text(&resumed).contains("the data changed"),
        "{}",
        text(&resumed)
    );
    let listings = proxy
        .request_lines()
        .into_iter()
        .filter(|l| l.contains("list-type"))
        .count();
    assert_eq!(
        listings, 1,
        "--resume then the scan listed the bucket {listings} times"
    );
    let ledger = String::from_utf8(read(&work.path().join("direct/ledger.jsonl"))).unwrap();
    assert!(ledger.contains("late.jsonl"));
}
