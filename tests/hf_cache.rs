//! Hugging Face caches, built in the test (generated content, symbolic links made
//! here, no download): a hub cache reads each revision's snapshot once, through its
//! links, under the repo id, never its blobs or refs as data; a `datasets` cache or
//! `save_to_disk` folder reads its Arrow files as data and its JSON state as metadata.

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch, StringArray};
use arrow::ipc::writer::StreamWriter;
use common::*;
use provaudit::discover::role::FileRole;
use provaudit::ledger::{LedgerRow, Status};
use provaudit::scan::ScanOptions;

const REPO: &str = "hub/datasets--acme--chat";
const OLD: &str = "1111111111111111111111111111111111111111";
const NEW: &str = "2222222222222222222222222222222222222222";

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    std::fs::write(path, bytes).expect("a file");
}

fn link(root: &Path, rel: &str, target: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    symlink(target, path).expect("a link");
}

fn lines(n: usize, tag: &str) -> String {
    (0..n)
        .map(|i| format!("{{\"text\": \"{tag} line {i} about rivers and the sea\"}}\n"))
        .collect()
}

/// A hub cache of one dataset with two revisions: `train.jsonl` changed between them,
/// `extra.jsonl` and the card did not (one blob each for both), `main` names the newer
/// one, and one blob is
/// left over from an unfinished download. Like every hub repo, each snapshot holds a
/// hidden `.gitattributes`.
fn hub_cache(root: &Path) {
    let card = "---\nlicense: mit\npretty_name: Acme Chat\n---\n# Acme chat\n";
    write(
        root,
        &format!("{REPO}/blobs/aaaa"),
        lines(3, "old").as_bytes(),
    );
    write(
        root,
        &format!("{REPO}/blobs/bbbb"),
        lines(5, "new").as_bytes(),
    );
    write(root, &format!("{REPO}/blobs/cccc"), card.as_bytes());
    write(
        root,
        &format!("{REPO}/blobs/dddd"),
        lines(7, "partial").as_bytes(),
    );
    write(root, &format!("{REPO}/blobs/eeee"), b"*.jsonl filter=lfs\n");
    write(
        root,
        &format!("{REPO}/blobs/ffff"),
        lines(2, "same").as_bytes(),
    );
    write(root, &format!("{REPO}/refs/main"), NEW.as_bytes());
    for (rev, data) in [(OLD, "aaaa"), (NEW, "bbbb")] {
        let snap = format!("{REPO}/snapshots/{rev}");
        link(
            root,
            &format!("{snap}/data/train.jsonl"),
            &format!("../../../blobs/{data}"),
        );
        link(root, &format!("{snap}/README.md"), "../../blobs/cccc");
        link(root, &format!("{snap}/.gitattributes"), "../../blobs/eeee");
        link(
            root,
            &format!("{snap}/data/extra.jsonl"),
            "../../../blobs/ffff",
        );
    }
}

fn scan_options(root: &Path, out: &Path, follow: bool) -> Vec<LedgerRow> {
    let mut options = ScanOptions::new(vec![root.to_path_buf()], out.to_path_buf());
    options.threads = Some(2);
    options.discover.follow_symlinks = follow;
    scan_with(&options);
    rows(out)
}

fn files_on_disk(root: &Path) -> usize {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .count()
}

fn records(rows: &[LedgerRow]) -> u64 {
    rows.iter().map(|r| r.records).sum()
}

#[test]
fn a_hub_cache_reads_each_snapshot_once_under_its_repo_id() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("cache");
    hub_cache(&root);
    let out = tempfile::tempdir().expect("an output folder");
    let rows = scan_options(&root, out.path(), false);
    assert_eq!(rows.len(), files_on_disk(&root), "one row per file");

    let snap = |rev: &str, rel: &str| format!("{REPO}/snapshots/{rev}/{rel}");
    for (rev, n) in [(OLD, 3), (NEW, 5)] {
        let r = row(&rows, &snap(rev, "data/train.jsonl"));
        assert_eq!(
            (r.role.clone(), r.status.clone()),
            (FileRole::Data, Status::Ok)
        );
        assert_eq!(r.records, n, "{rev}: each revision's data is read");
        assert_eq!(r.source, "acme/chat", "the repo id names the source");
        assert_eq!(
            r.format.to_string(),
            "jsonl",
            "the link's name gives the format"
        );
        assert!(r.sha256.is_some());
    }
    assert_eq!(
        records(&rows),
        10,
        "blobs add no records, a shared one counts once"
    );

    // `extra.jsonl` is one blob shared by both revisions: read once, under `main`'s.
    let extra = row(&rows, &snap(NEW, "data/extra.jsonl"));
    assert_eq!((extra.role.clone(), extra.records), (FileRole::Data, 2));
    let again = row(&rows, &snap(OLD, "data/extra.jsonl"));
    assert_eq!((again.role.clone(), again.records), (FileRole::Skipped, 0));
    let reason = again.skip_reason.as_deref().unwrap_or_default();
    assert!(
        reason.contains(&format!("same blob as snapshots/{NEW}/data/extra.jsonl")),
        "{reason}"
    );
    // The card is shared too, but metadata: each revision reads its own.
    for rev in [OLD, NEW] {
        assert_eq!(row(&rows, &snap(rev, "README.md")).role, FileRole::Metadata);
    }

    for (blob, read_at) in [
        ("aaaa", Some(snap(OLD, "data/train.jsonl"))),
        ("bbbb", Some(snap(NEW, "data/train.jsonl"))),
        ("cccc", Some(snap(NEW, "README.md"))),
        ("dddd", None),
        ("eeee", None),
        ("ffff", Some(snap(NEW, "data/extra.jsonl"))),
    ] {
        let r = row(&rows, &format!("{REPO}/blobs/{blob}"));
        assert_eq!(r.role, FileRole::Skipped, "{blob}");
        assert_eq!(r.records, 0, "{blob}");
        let reason = r.skip_reason.as_deref().unwrap_or_default();
        match read_at {
            Some(path) => {
                let inside = path.trim_start_matches(&format!("{REPO}/"));
                let expected = format!("blob of a hub cache, read through {inside}");
                assert_eq!(reason, expected, "{blob}");
            }
            None if blob == "eeee" => assert!(
                reason.contains(&format!("hidden file snapshots/{NEW}/.gitattributes")),
                "{reason}"
            ),
            None => assert!(reason.contains("no snapshot"), "{blob}: {reason}"),
        }
    }
    let refs = row(&rows, &format!("{REPO}/refs/main"));
    assert_eq!((refs.role.clone(), refs.records), (FileRole::Metadata, 0));
    assert_eq!(refs.source, "acme/chat");

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).expect("a summary"))
            .expect("JSON");
    let declared = &summary["per_source"]["acme/chat"]["declared"];
    assert_eq!(declared["basis"], "hub_cache", "{declared}");
    assert_eq!(declared["revisions"], serde_json::json!([OLD, NEW]));
}

#[test]
fn following_links_does_not_count_a_hub_cache_twice() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("cache");
    hub_cache(&root);
    let plain = tempfile::tempdir().expect("an output folder");
    let followed = tempfile::tempdir().expect("an output folder");
    let a = scan_options(&root, plain.path(), false);
    let b = scan_options(&root, followed.path(), true);
    assert_eq!(b.len(), files_on_disk(&root));
    assert_eq!(
        records(&b),
        records(&a),
        "--follow-symlinks reads the same records"
    );
    let roles = |rows: &[LedgerRow]| -> Vec<(String, FileRole)> {
        rows.iter()
            .map(|r| (r.path.clone(), r.role.clone()))
            .collect()
    };
    assert_eq!(roles(&a), roles(&b));
}

#[test]
fn a_root_inside_one_snapshot_reads_its_links_into_the_cache() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("cache");
    hub_cache(&root);
    // `snapshot_download` hands back this folder: its links lead out of the root.
    let snapshot = root.join(format!("{REPO}/snapshots/{OLD}"));
    let out = tempfile::tempdir().expect("an output folder");
    let rows = scan_options(&snapshot, out.path(), false);
    assert_eq!(rows.len(), 4);
    let data = row(&rows, "data/train.jsonl");
    assert_eq!((data.role.clone(), data.records), (FileRole::Data, 3));
    assert_eq!(data.source, "acme/chat");
    // Only this revision is scanned, so its shared file is read here, not skipped for
    // `main`'s.
    let extra = row(&rows, "data/extra.jsonl");
    assert_eq!((extra.role.clone(), extra.records), (FileRole::Data, 2));
    let summary = std::fs::read_to_string(out.path().join("summary.json")).expect("a summary");
    let summary: serde_json::Value = serde_json::from_str(&summary).expect("JSON");
    let declared = &summary["per_source"]["acme/chat"]["declared"];
    assert_eq!(declared["revisions"], serde_json::json!([OLD]));
}

#[test]
fn a_link_out_of_the_cache_is_still_not_followed() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("cache");
    hub_cache(&root);
    write(
        dir.path(),
        "elsewhere.jsonl",
        lines(2, "outside").as_bytes(),
    );
    link(
        &root,
        &format!("{REPO}/snapshots/{NEW}/data/outside.jsonl"),
        "../../../../../../elsewhere.jsonl",
    );
    let out = tempfile::tempdir().expect("an output folder");
    let rows = scan_options(&root, out.path(), false);
    let extra = row(&rows, &format!("{REPO}/snapshots/{NEW}/data/outside.jsonl"));
    assert_eq!(extra.role, FileRole::Skipped);
    let reason = extra.skip_reason.as_deref().unwrap_or_default();
    assert!(reason.contains("not followed"), "{reason}");
}

#[test]
fn verify_passes_on_an_audit_of_a_hub_cache() {
    let dir = tempfile::tempdir().expect("a folder");
    hub_cache(&dir.path().join("cache"));
    let scan = provaudit_in(dir.path(), &["scan", "cache", "-o", "audit"]);
    assert!(scan.status.success(), "{}", text(&scan));
    let verify = provaudit_in(dir.path(), &["verify", "audit"]);
    assert!(verify.status.success(), "{}", text(&verify));
}

fn arrow_stream(tag: &str, n: usize) -> Vec<u8> {
    let texts: Vec<String> = (0..n)
        .map(|i| format!("{tag} record {i} about the harbour at dawn"))
        .collect();
    let column: ArrayRef = Arc::new(StringArray::from(texts));
    let batch = RecordBatch::try_from_iter([("text", column)]).expect("a batch");
    let mut out = Vec::new();
    let mut writer = StreamWriter::try_new(&mut out, &batch.schema()).expect("a writer");
    writer.write(&batch).expect("written");
    writer.finish().expect("finished");
    drop(writer);
    out
}

#[test]
fn a_save_to_disk_folder_reads_its_arrow_files_and_keeps_its_state_as_metadata() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("saved");
    write(&root, "dataset_dict.json", b"{\"splits\": [\"train\"]}");
    write(
        &root,
        "train/data-00000-of-00001.arrow",
        &arrow_stream("saved", 4),
    );
    write(
        &root,
        "train/cache-0123abcd.arrow",
        &arrow_stream("mapped", 2),
    );
    write(
        &root,
        "train/dataset_info.json",
        b"{\"description\": \"\", \"features\": {\"text\": {\"dtype\": \"string\", \"_type\": \"Value\"}}}",
    );
    write(
        &root,
        "train/state.json",
        b"{\"_data_files\": [{\"filename\": \"data-00000-of-00001.arrow\"}], \"_fingerprint\": \"0123abcd\", \"_split\": \"train\"}",
    );
    let out = tempfile::tempdir().expect("an output folder");
    let rows = scan_options(&root, out.path(), false);
    assert_eq!(rows.len(), 5);
    for (path, n) in [
        ("train/data-00000-of-00001.arrow", 4),
        ("train/cache-0123abcd.arrow", 2),
    ] {
        let r = row(&rows, path);
        assert_eq!(
            (r.role.clone(), r.status.clone()),
            (FileRole::Data, Status::Ok)
        );
        assert_eq!(
            (r.format.to_string().as_str(), r.records),
            ("arrow", n),
            "{path}"
        );
        assert_eq!(r.split.as_deref(), Some("train"), "{path}");
    }
    for path in [
        "dataset_dict.json",
        "train/dataset_info.json",
        "train/state.json",
    ] {
        let r = row(&rows, path);
        assert_eq!(
            (r.role.clone(), r.records),
            (FileRole::Metadata, 0),
            "{path}"
        );
    }
    let sources: Vec<&str> = rows.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(
        sources, ["saved"; 5],
        "split folders are one dataset, not sources"
    );
}

#[test]
fn a_saved_dataset_s_shards_and_cache_files_are_one_source() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("reviews");
    write(
        &root,
        "data-00000-of-00002.arrow",
        &arrow_stream("first", 3),
    );
    write(
        &root,
        "data-00001-of-00002.arrow",
        &arrow_stream("second", 3),
    );
    write(&root, "cache-89ab.arrow", &arrow_stream("mapped", 1));
    write(&root, "dataset_info.json", b"{\"description\": \"\"}");
    write(&root, "state.json", b"{\"_split\": null}");
    let out = tempfile::tempdir().expect("an output folder");
    let rows = scan_options(&root, out.path(), false);
    assert_eq!(records(&rows), 7);
    let sources: Vec<&str> = rows.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(
        sources, ["reviews"; 5],
        "not `data`, `cache-89ab` and `reviews`"
    );
}

#[test]
fn a_baseline_scan_names_the_new_reader_of_a_blob_when_main_moves() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("cache");
    hub_cache(&root);
    let first = tempfile::tempdir().expect("an output folder");
    scan_options(&root, first.path(), false);
    // A third revision arrives and `main` moves to it: the shared data blob, unchanged
    // on disk, is now read under the new revision.
    let newest = "3333333333333333333333333333333333333333";
    link(
        &root,
        &format!("{REPO}/snapshots/{newest}/data/extra.jsonl"),
        "../../../blobs/ffff",
    );
    write(&root, &format!("{REPO}/refs/main"), newest.as_bytes());
    let again = tempfile::tempdir().expect("an output folder");
    let mut options = ScanOptions::new(vec![root.clone()], again.path().to_path_buf());
    options.threads = Some(2);
    options.baseline = Some(first.path().to_path_buf());
    scan_with(&options);
    let fresh = tempfile::tempdir().expect("an output folder");
    let full = scan_options(&root, fresh.path(), false);
    let reused = rows(again.path());
    let blob = row(&reused, &format!("{REPO}/blobs/ffff"));
    let expected = format!("blob of a hub cache, read through snapshots/{newest}/data/extra.jsonl");
    assert_eq!(blob.skip_reason.as_deref(), Some(expected.as_str()));
    let reasons = |rows: &[LedgerRow]| -> Vec<(String, Option<String>)> {
        rows.iter()
            .map(|r| (r.path.clone(), r.skip_reason.clone()))
            .collect()
    };
    assert_eq!(
        reasons(&reused),
        reasons(&full),
        "a baseline scan equals a full one"
    );
}

#[test]
fn with_hidden_a_hidden_snapshot_file_reads_its_blob() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("cache");
    hub_cache(&root);
    let out = tempfile::tempdir().expect("an output folder");
    let mut options = ScanOptions::new(vec![root.clone()], out.path().to_path_buf());
    options.threads = Some(2);
    options.discover.hidden = true;
    scan_with(&options);
    let rows = rows(out.path());
    let attributes = row(&rows, &format!("{REPO}/snapshots/{NEW}/.gitattributes"));
    assert_eq!(attributes.status, Status::Ok);
    assert!(attributes.sha256.is_some());
    let blob = row(&rows, &format!("{REPO}/blobs/eeee"));
    let expected = format!("blob of a hub cache, read through snapshots/{NEW}/.gitattributes");
    assert_eq!(blob.skip_reason.as_deref(), Some(expected.as_str()));
}

#[test]
fn a_license_file_shared_by_revisions_covers_the_data_of_each() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path().join("cache");
    hub_cache(&root);
    write(
        &root,
        &format!("{REPO}/blobs/9999"),
        b"SPDX-License-Identifier: Apache-2.0\n",
    );
    for rev in [OLD, NEW] {
        link(
            &root,
            &format!("{REPO}/snapshots/{rev}/LICENSE"),
            "../../blobs/9999",
        );
    }
    let out = tempfile::tempdir().expect("an output folder");
    let rows = scan_options(&root, out.path(), false);
    for rev in [OLD, NEW] {
        let license = row(&rows, &format!("{REPO}/snapshots/{rev}/LICENSE"));
        assert_eq!(license.role, FileRole::Metadata, "{rev}");
        let data = row(&rows, &format!("{REPO}/snapshots/{rev}/data/train.jsonl"));
        let covered = data.license.summary.license_file.as_ref();
        let expression = covered.map(|d| d.expression.as_str());
        assert_eq!(expression, Some("Apache-2.0"), "{rev}");
    }
}
