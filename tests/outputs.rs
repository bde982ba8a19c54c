//! Nothing left out silently, and outputs that say which root and which layout they are
//! (issue 14 items 7 and 8): hidden files and folders, glob exclusions, findings' roots,
//! schema versions and output URLs.

mod common;

use std::path::Path;

use common::*;
use provaudit::ledger::{self, Status};

/// A tree with hidden files at two depths, hidden folders (one inside a data folder,
/// one nested in another), a VCS folder and a file a glob leaves out.
fn hidden_tree(data: &Path) {
    let files = [
        ("a.jsonl", "{\"text\":\"visible\"}\n"),
        (".x.jsonl", "{\"text\":\"hidden at the top\"}\n"),
        ("sub/b.jsonl", "{\"text\":\"visible too\"}\n"),
        ("sub/.y.txt", "hidden in a folder\n"),
        (".cache/c1.jsonl", "{\"text\":\"cached\"}\n"),
        (".cache/deep/.c2.jsonl", "{\"text\":\"cached deeper\"}\n"),
        (".git/objects/ab/cdef", "blob"),
        ("sub/__MACOSX/._b.jsonl", "{\"text\":\"fork\"}\n"),
        ("skip.csv", "a,b\n1,2\n"),
    ];
    for (path, body) in files {
        let path = data.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
}

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join(ledger::SUMMARY_JSON)).unwrap()).unwrap()
}

#[test]
fn hidden_files_get_skipped_rows_hidden_folders_and_glob_exclusions_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    hidden_tree(&dir.path().join("data"));
    let scan = provaudit_in(
        dir.path(),
        &["scan", "data", "-o", "audit", "-q", "--exclude", "*.csv"],
    );
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
    let out = dir.path().join("audit");
    let rows = rows(&out);
    let paths: Vec<&str> = rows.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, [".x.jsonl", "a.jsonl", "sub/.y.txt", "sub/b.jsonl"]);
    for hidden in [".x.jsonl", "sub/.y.txt"] {
        let r = row(&rows, hidden);
        assert_eq!(r.status, Status::Skipped);
        assert_eq!(
            r.skip_reason.as_deref(),
            Some("hidden file; pass --hidden to read it")
        );
        assert_eq!((r.records, r.sha256.as_deref()), (0, None), "never opened");
        assert!(
            r.bytes > 0 && r.modified.is_some(),
            "listed with size and time"
        );
    }
    let s = summary(&out);
    assert_eq!(
        s["discovery"],
        serde_json::json!({
            "excluded_by_glob": 1,
            "hidden_files": 2,
            "hidden_dirs": 3,
            "hidden_files_in_hidden_dirs": 4,
        })
    );
    assert!(
        s["options"].get("hidden").is_none(),
        "not given: not hashed"
    );
    let report = std::fs::read_to_string(out.join("disclosure.md")).unwrap();
    assert!(
        report.contains("3 hidden folders not entered, holding 4 files"),
        "the checks section says what was left out"
    );

    // verify walks the data again the same way: the hidden rows match.
    let verify = provaudit_in(dir.path(), &["verify", "audit"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    // A change inside a hidden folder is outside the audit; a listed hidden file is not.
    std::fs::write(dir.path().join("data/.cache/c1.jsonl"), "changed").unwrap();
    let verify = provaudit_in(dir.path(), &["verify", "audit"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    std::fs::write(dir.path().join("data/.x.jsonl"), "grown a lot longer").unwrap();
    let verify = provaudit_in(dir.path(), &["verify", "audit", "--json"]);
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify));
    assert!(text(&verify).contains(".x.jsonl"), "{}", text(&verify));
}

#[test]
fn a_new_hidden_file_is_new_to_verify_except_for_audits_that_never_listed_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("a.jsonl"), "{\"text\":\"visible\"}\n").unwrap();
    let scan = provaudit_in(dir.path(), &["scan", "data", "-o", "audit", "-q"]);
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
    std::fs::write(data.join(".late.jsonl"), "{}\n").unwrap();
    let verify = provaudit_in(dir.path(), &["verify", "audit"]);
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify));
    assert!(text(&verify).contains(".late.jsonl"), "{}", text(&verify));

    // The same audit as an older version wrote it: no discovery counts, no hidden rows.
    let summary_path = dir.path().join("audit").join(ledger::SUMMARY_JSON);
    let mut s = summary(&dir.path().join("audit"));
    s.as_object_mut().unwrap().remove("discovery");
    std::fs::write(&summary_path, serde_json::to_vec_pretty(&s).unwrap()).unwrap();
    let verify = provaudit_in(dir.path(), &["verify", "audit"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
}

#[test]
fn hidden_reads_hidden_entries_like_any_file_and_changes_the_config_hash() {
    let dir = tempfile::tempdir().unwrap();
    hidden_tree(&dir.path().join("data"));
    let plain = provaudit_in(dir.path(), &["scan", "data", "-o", "plain", "-q"]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain));
    let scan = provaudit_in(dir.path(), &["scan", "data", "-o", "all", "-q", "--hidden"]);
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
    let out = dir.path().join("all");
    let rows = rows(&out);
    assert_eq!(rows.len(), 9, "every file has a row");
    for path in [".x.jsonl", ".cache/c1.jsonl", ".cache/deep/.c2.jsonl"] {
        let r = row(&rows, path);
        assert_eq!((r.status.clone(), r.records), (Status::Ok, 1), "{path}");
    }
    let s = summary(&out);
    assert_eq!(s["options"]["hidden"], true);
    assert_ne!(
        s["config_hash"],
        summary(&dir.path().join("plain"))["config_hash"]
    );
    assert_eq!(s["discovery"]["hidden_dirs"], 0);
    let verify = provaudit_in(dir.path(), &["verify", "all"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
}

#[test]
fn an_output_folder_inside_a_hidden_folder_of_the_root_is_not_counted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    hidden_tree(&data);
    let out = data.join(".audits/now");
    let out_arg = out.to_str().unwrap();
    let data_arg = data.to_str().unwrap();
    for _ in 0..2 {
        let scan = provaudit(&["scan", data_arg, "-o", out_arg, "-q"]);
        assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
        let s = summary(&out);
        // .audits holds only the output, which is not counted: nor is the folder, so
        // the counts do not depend on whether the output existed before the scan.
        assert_eq!(s["discovery"]["hidden_dirs"], 3, "{}", s["discovery"]);
        assert_eq!(s["discovery"]["hidden_files_in_hidden_dirs"], 4);
    }
    let scan = provaudit(&["scan", data_arg, "-o", out_arg, "-q", "--hidden"]);
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
    assert!(
        rows(&out).iter().all(|r| !r.path.starts_with(".audits")),
        "the output directory is never scanned, --hidden or not"
    );
}

/// Two roots that both hold `train.jsonl` with personal information.
fn two_roots(dir: &Path) {
    for (root, user) in [("a", "alice"), ("b", "bob")] {
        std::fs::create_dir_all(dir.join(root)).unwrap();
        std::fs::write(
            dir.join(root).join("train.jsonl"),
            format!("{{\"text\":\"write to {user}@example.org please\"}}\n"),
        )
        .unwrap();
    }
}

fn findings(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join(ledger::FINDINGS_JSONL))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn findings_carry_their_root_and_schema_version_and_merge_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    two_roots(dir.path());
    let scan = provaudit_in(dir.path(), &["scan", "a", "b", "-o", "whole", "-q"]);
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
    let whole = findings(&dir.path().join("whole"));
    let emails: Vec<(&str, &str)> = whole
        .iter()
        .filter(|f| f["type"] == "email")
        .map(|f| (f["root"].as_str().unwrap(), f["file"].as_str().unwrap()))
        .collect();
    assert_eq!(emails, [("a", "train.jsonl"), ("b", "train.jsonl")]);
    assert!(whole.iter().all(|f| f["schema_version"] == 1));
    assert_eq!(summary(&dir.path().join("whole"))["schema_version"], 1);

    for shard in ["0/2", "1/2"] {
        let out = format!("shard{}", &shard[..1]);
        let run = provaudit_in(
            dir.path(),
            &["scan", "a", "b", "-o", &out, "-q", "--shard", shard],
        );
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    }
    let merge = provaudit_in(
        dir.path(),
        &["merge", "shard0", "shard1", "-o", "merged", "-q"],
    );
    assert_eq!(merge.status.code(), Some(0), "{}", text(&merge));
    assert_eq!(
        std::fs::read(dir.path().join("merged").join(ledger::FINDINGS_JSONL)).unwrap(),
        std::fs::read(dir.path().join("whole").join(ledger::FINDINGS_JSONL)).unwrap(),
        "merged findings are the unsharded scan's, roots included"
    );
    assert_eq!(
        summary(&dir.path().join("merged"))["discovery"],
        summary(&dir.path().join("whole"))["discovery"]
    );
}

#[test]
fn readers_refuse_a_newer_schema_version_and_accept_none() {
    let dir = tempfile::tempdir().unwrap();
    two_roots(dir.path());
    let scan = provaudit_in(dir.path(), &["scan", "a", "b", "-o", "audit", "-q"]);
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
    let audit = dir.path().join("audit");
    let summary_path = audit.join(ledger::SUMMARY_JSON);
    let findings_path = audit.join(ledger::FINDINGS_JSONL);
    let (summary_text, findings_text) = (
        std::fs::read_to_string(&summary_path).unwrap(),
        std::fs::read_to_string(&findings_path).unwrap(),
    );
    let report = || provaudit_in(dir.path(), &["report", "audit", "-o", "report"]);

    // Older audits carry no version: they open.
    std::fs::write(
        &summary_path,
        summary_text.replace("\"schema_version\": 1,", ""),
    )
    .unwrap();
    std::fs::write(
        &findings_path,
        findings_text.replace("\"schema_version\":1,", ""),
    )
    .unwrap();
    let run = report();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));

    std::fs::write(
        &summary_path,
        summary_text.replace("\"schema_version\": 1,", "\"schema_version\": 2,"),
    )
    .unwrap();
    let run = report();
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    let message = text(&run);
    assert!(
        message.contains("summary.json") && message.contains("upgrade provaudit"),
        "{message}"
    );

    std::fs::write(&summary_path, &summary_text).unwrap();
    std::fs::write(
        &findings_path,
        findings_text.replacen("\"schema_version\":1,", "\"schema_version\":\"2.0\",", 1),
    )
    .unwrap();
    let run = report();
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    let message = text(&run);
    assert!(
        message.contains("findings.jsonl:1") && message.contains("upgrade provaudit"),
        "{message}"
    );
}

#[test]
fn an_output_url_is_refused_with_exit_code_2_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    two_roots(dir.path());
    let scan = provaudit_in(dir.path(), &["scan", "a", "-o", "audit", "-q"]);
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
    // Object-store prefixes are written and uploaded (tests/object_store_out.rs); any
    // other URL is an error, never a local folder named after its scheme.
    for args in [
        &["scan", "a", "-o", "ftp://host/x"][..],
        &["scan", "a", "--out", "https://host/x"],
        &["merge", "audit", "-o", "file:///tmp/x"],
        &["report", "audit", "-o", "https://host/x"],
    ] {
        let run = provaudit_in(dir.path(), args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", text(&run));
        assert!(text(&run).contains("is a URL"), "{}", text(&run));
    }
    for name in ["ftp:", "file:", "https:"] {
        assert!(!dir.path().join(name).exists(), "no local folder {name}");
    }
}
