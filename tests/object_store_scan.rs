//! `provaudit scan s3://...` end to end against a real S3-compatible server (SeaweedFS
//! on loopback, started by the test; `.ci/run` installs it): the demo uploaded to a
//! bucket must audit exactly as the same files on disk, paths aside, also when the
//! store throttles, and a file that cannot be read still gets its row.
//!
//! Without the `weed` binary the tests print SKIPPED and pass.

mod common;
mod support {
    pub mod seaweed;
}

use std::path::Path;
use std::process::Output;

use common::{demo, text};
use serde_json::Value;
use support::seaweed::{FaultProxy, Seaweed};

/// Runs the binary without any AWS credentials or profile from the environment, so
/// requests to the anonymous SeaweedFS are unsigned wherever the test runs.
fn provaudit(dir: &Path, args: &[&str]) -> Output {
    support::seaweed::provaudit_anonymous(dir, args)
}

/// Ledger rows with what must differ between a disk and a bucket taken out: the root
/// and the modification time (the upload time, for an object).
fn rows_without_location(audit: &Path) -> Vec<Value> {
    std::fs::read_to_string(audit.join("ledger.jsonl"))
        .unwrap()
        .lines()
        .map(|line| {
            let mut row: Value = serde_json::from_str(line).unwrap();
            let map = row.as_object_mut().unwrap();
            map.remove("root");
            map.remove("modified");
            row
        })
        .collect()
}

/// Findings with their root checked and taken out: the same files under two roots.
fn findings_without_root(audit: &Path, root: &str) -> Vec<Value> {
    std::fs::read_to_string(audit.join("findings.jsonl"))
        .unwrap()
        .lines()
        .map(|line| {
            let mut finding: Value = serde_json::from_str(line).unwrap();
            let map = finding.as_object_mut().unwrap();
            assert_eq!(map.remove("root"), Some(Value::from(root)));
            finding
        })
        .collect()
}

fn summary(audit: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(audit.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn a_bucket_audits_exactly_as_the_same_files_on_disk() {
    let Some(server) = Seaweed::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    server.create_bucket("lake");
    server.upload_dir("lake", "datasets/demo", &demo());
    let demo = demo();

    let local = provaudit(
        work.path(),
        &["scan", demo.to_str().unwrap(), "-o", "local", "-q"],
    );
    let endpoint = server.endpoint();
    let remote = provaudit(
        work.path(),
        &[
            "scan",
            "s3://lake/datasets/demo",
            "--s3-endpoint",
            &endpoint,
            "-o",
            "remote",
            "-q",
        ],
    );
    assert_eq!(
        remote.status.code(),
        local.status.code(),
        "{}",
        text(&remote)
    );
    let (local_dir, remote_dir) = (work.path().join("local"), work.path().join("remote"));
    let local_rows = rows_without_location(&local_dir);
    assert!(local_rows.len() > 10);
    assert_eq!(rows_without_location(&remote_dir), local_rows);
    assert_eq!(
        std::fs::read(local_dir.join("fingerprints.bin")).unwrap(),
        std::fs::read(remote_dir.join("fingerprints.bin")).unwrap(),
    );
    let remote_findings = findings_without_root(&remote_dir, "s3://lake/datasets/demo");
    assert_eq!(
        findings_without_root(&local_dir, demo.to_str().unwrap()),
        remote_findings
    );
    assert!(!remote_findings.is_empty());
    let (l, r) = (summary(&local_dir), summary(&remote_dir));
    assert_eq!(r["totals"], l["totals"]);
    assert_eq!(
        r["per_source"], l["per_source"],
        "sources declared in the bucket"
    );
    assert_eq!(r["roots"], serde_json::json!(["s3://lake/datasets/demo"]));
    assert_eq!(r["remote"]["s3_endpoint"], Value::from(endpoint.clone()));
    assert!(
        r["remote"]["requests"].as_u64().unwrap() > 0,
        "{}",
        r["remote"]
    );
    assert_eq!(r["remote"]["retries"], 0);
    assert!(l.get("remote").is_none());

    // The audit of the bucket verifies against the bucket.
    let verified = provaudit(work.path(), &["verify", "remote"]);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));

    // Every third request throttled with 503 SlowDown: the same ledger, retries counted.
    let proxy = FaultProxy::start(server.s3_port(), 3);
    let throttled = provaudit(
        work.path(),
        &[
            "scan",
            "s3://lake/datasets/demo",
            "--s3-endpoint",
            &proxy.endpoint(),
            "-o",
            "throttled",
            "-q",
        ],
    );
    assert_eq!(
        throttled.status.code(),
        local.status.code(),
        "{}",
        text(&throttled)
    );
    let throttled_dir = work.path().join("throttled");
    assert_eq!(rows_without_location(&throttled_dir), local_rows);
    let counted = summary(&throttled_dir)["remote"].clone();
    assert!(counted["retries"].as_u64().unwrap() > 0, "{counted}");
    assert_eq!(
        counted["retries"].as_u64(),
        Some(proxy.faults()),
        "{counted}"
    );
    assert_eq!(counted["failed_requests"], 0, "{counted}");
}

#[test]
fn a_file_that_keeps_failing_gets_an_error_row_and_the_scan_goes_on() {
    let Some(server) = Seaweed::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    // No provenance.toml or dataset card: a declaration that cannot be read makes the
    // request unusable (exit 2), as on disk; this test is about data files.
    let data = work.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in 0..6 {
        let body: String = (0..200)
            .map(|r| format!("{{\"text\": \"record {r} of file {f}\"}}\n"))
            .collect();
        std::fs::write(data.join(format!("part-{f}.jsonl")), body).unwrap();
    }
    server.create_bucket("flaky");
    server.upload_dir("flaky", "d", &data);
    let listed = provaudit(
        work.path(),
        &[
            "scan",
            "s3://flaky/d",
            "--s3-endpoint",
            &server.endpoint(),
            "-o",
            "clean",
            "-q",
        ],
    );
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed));
    let rows = rows_without_location(&work.path().join("clean")).len();
    assert_eq!(rows, 6);

    // Every second request fails and nothing is retried: listing may fail outright
    // (exit 2, nothing written) or succeed, and then each file still has one row and
    // the failed reads are errors, never silent gaps.
    let proxy = FaultProxy::start(server.s3_port(), 2);
    for attempt in 0..4 {
        let out = format!("flaky-{attempt}");
        let run = provaudit(
            work.path(),
            &[
                "scan",
                "s3://flaky/d",
                "--s3-endpoint",
                &proxy.endpoint(),
                "--remote-retries",
                "0",
                "-o",
                &out,
                "-q",
            ],
        );
        let said = text(&run);
        if run.status.code() == Some(2) {
            assert!(said.contains("503"), "{said}");
            continue;
        }
        assert_eq!(run.status.code(), Some(1), "{said}");
        let audit = work.path().join(&out);
        assert_eq!(
            rows_without_location(&audit).len(),
            rows,
            "one row per file"
        );
        let s = summary(&audit);
        assert!(s["remote"]["failed_requests"].as_u64().unwrap() > 0);
        // At least one: which requests the proxy fails depends on the order the two
        // workers send them in, so on some runs only one data file's read is hit
        // (seen in CI once the plan and progress changes moved the request order).
        assert!(s["totals"]["files_with_errors"].as_u64().unwrap() >= 1);
        let ledger = std::fs::read_to_string(audit.join("ledger.jsonl")).unwrap();
        assert!(ledger.contains("503"), "the error row says what happened");
        return;
    }
    panic!("the listing never got through a store failing every second request");
}
