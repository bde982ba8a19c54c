//! End-to-end scans of the demo dataset: what a user sees, and that it is stable.

mod common;

use common::*;
use provaudit::ledger::{self, Status};
use provaudit::scan::ScanOptions;

#[test]
fn demo_scan_covers_every_format_kind_and_source() {
    let out = tempfile::tempdir().unwrap();
    let outcome = scan_dir(&demo(), out.path());
    let rows = rows(out.path());
    assert_eq!(rows.len(), outcome.rows.len());
    // Every file in the tree has exactly one row.
    let on_disk = walk_files(&demo());
    assert_eq!(rows.len(), on_disk, "one row per discovered file");

    let formats: std::collections::BTreeSet<_> = rows.iter().map(|r| r.format.as_str()).collect();
    for f in [
        "jsonl", "json", "csv", "tsv", "text", "markdown", "parquet", "arrow", "code", "image",
        "audio", "unknown",
    ] {
        assert!(formats.contains(f), "demo lacks format {f}");
    }
    let kinds = &outcome.summary.totals.content.record_kinds;
    for k in ["text", "instruction", "chat", "preference", "labeled"] {
        assert!(
            kinds.get(k).copied().unwrap_or(0) > 0,
            "no {k} records in {kinds:?}"
        );
    }

    let gz = row(&rows, "web-zh/part-001.jsonl.gz");
    assert_eq!(
        (gz.compression.as_str(), gz.records, gz.status),
        ("gzip", 3, Status::Ok)
    );
    assert_eq!(gz.source, "web-zh-demo");
    assert_eq!(gz.stage.as_deref(), Some("pretrain"));
    assert_eq!(
        gz.duplicates.within_scan, 1,
        "its third line repeats part-000.jsonl"
    );

    let zst = row(&rows, "preference/kto.jsonl.zst");
    assert_eq!(
        (zst.records, zst.record_kinds.get("preference").copied()),
        (2, Some(2))
    );
    assert_eq!(
        zst.source, "preference",
        "named after the dataset card's folder"
    );

    let pq = row(&rows, "preference/dpo.parquet");
    assert_eq!((pq.records, pq.status), (3, Status::Ok));
    let arrow = row(&rows, "hf-cache/train.arrow");
    let feather = row(&rows, "hf-cache/train.feather");
    assert_eq!((arrow.records, feather.records), (3, 3));
    assert_eq!(
        feather.duplicates.within_scan, 3,
        "the feather file holds the same rows"
    );

    let broken = row(&rows, "sft/broken.jsonl");
    assert_eq!(
        (broken.status, broken.records, broken.error_count),
        (Status::Partial, 2, 2)
    );
    let first = broken.first_error.as_ref().unwrap();
    assert_eq!(first.location.line, Some(2));

    let bin = row(&rows, "misc/weights.bin");
    assert_eq!(bin.status, Status::Skipped);
    assert!(bin.skip_reason.as_deref().unwrap().contains("unrecognised"));
    assert!(bin.sha256.is_some(), "skipped files are still hashed");

    let png = row(&rows, "media/cat.png");
    assert_eq!(
        (png.modality.as_str(), png.records, png.status),
        ("image", 0, Status::Ok)
    );

    let web = &outcome.summary.per_source["web-zh-demo"];
    assert_eq!(
        web.declared
            .manifest
            .as_ref()
            .unwrap()
            .source
            .license
            .as_deref(),
        Some("CC-BY-4.0")
    );
    assert!(outcome.summary.per_stage.contains_key("finetune"));
    assert_eq!(outcome.files_with_errors(), 1);
}

#[test]
fn ledger_bytes_are_deterministic_across_runs_threads_and_chunking() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let first = scan_dir(&demo(), a.path());
    let mut options = ScanOptions::new(vec![demo()], b.path().to_path_buf());
    options.threads = Some(1);
    let second = scan_with(&options);
    // Tiny byte ranges force every line-based file through the range splitter.
    let mut options = ScanOptions::new(vec![demo()], c.path().to_path_buf());
    options.chunk_bytes = 64;
    let third = scan_with(&options);
    let read = |d: &std::path::Path, f: &str| std::fs::read(d.join(f)).unwrap();
    for file in [ledger::LEDGER_JSONL, ledger::LEDGER_PARQUET] {
        assert_eq!(
            read(a.path(), file),
            read(b.path(), file),
            "{file} differs between runs"
        );
        assert_eq!(
            read(a.path(), file),
            read(c.path(), file),
            "{file} differs with chunking"
        );
    }
    assert_eq!(
        first.summary.ledger.merkle_root,
        second.summary.ledger.merkle_root
    );
    assert_eq!(
        first.summary.ledger.merkle_root,
        third.summary.ledger.merkle_root
    );
}

#[test]
fn parquet_ledger_has_the_jsonl_rows() {
    let out = tempfile::tempdir().unwrap();
    scan_dir(&demo(), out.path());
    let jsonl = rows(out.path());
    let file = std::fs::File::open(out.path().join(ledger::LEDGER_PARQUET)).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut from_parquet = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let mut writer = arrow::json::ArrayWriter::new(Vec::new());
        writer.write(&batch).unwrap();
        writer.finish().unwrap();
        let values: Vec<serde_json::Value> = serde_json::from_slice(&writer.into_inner()).unwrap();
        from_parquet.extend(values);
    }
    assert_eq!(from_parquet.len(), jsonl.len());
    for (pq, row) in from_parquet.iter().zip(&jsonl) {
        let expected = serde_json::to_value(row).unwrap();
        assert_eq!(
            strip_nulls(pq.clone()),
            strip_nulls(expected),
            "row {}",
            row.path
        );
    }
}

/// arrow-json drops null fields; drop them on both sides.
fn strip_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(strip_nulls).collect())
        }
        other => other,
    }
}

fn walk_files(dir: &std::path::Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

#[test]
fn cli_exit_codes_and_json_summary() {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    let demo = demo();
    let run = provaudit(&["scan", demo.to_str().unwrap(), "--out", out_arg, "--json"]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "the demo's broken file makes exit code 1"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&run.stdout).expect("--json prints JSON");
    assert_eq!(
        summary["ledger"]["rows"],
        serde_json::json!(rows(out.path()).len())
    );
    assert!(
        summary["methods"]["estimated_tokens"]
            .as_str()
            .unwrap()
            .contains("estimate")
    );

    let clean = tempfile::tempdir().unwrap();
    let sft = demo.join("sft/chat.jsonl");
    let run = provaudit(&[
        "scan",
        sft.to_str().unwrap(),
        "--out",
        clean.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(text.contains("records    3"), "{text}");

    assert_eq!(provaudit(&["--version"]).status.code(), Some(0));
    let help = provaudit(&["scan", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in [
        "--out",
        "--include",
        "--exclude",
        "--follow-symlinks",
        "--text-unit",
        "--quiet",
        "--json",
        "--threads",
    ] {
        assert!(help.contains(flag), "--help does not document {flag}");
    }
    assert_eq!(provaudit(&["scan"]).status.code(), Some(2));
    assert_eq!(
        provaudit(&["scan", "/nonexistent/provaudit", "--out", out_arg])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        provaudit(&["scan", "--text-unit", "sentence", "x"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn include_and_exclude_globs_filter_files() {
    let out = tempfile::tempdir().unwrap();
    let mut options = ScanOptions::new(vec![demo()], out.path().to_path_buf());
    options.discover.include = vec!["**/*.jsonl".into(), "**/*.jsonl.*".into()];
    options.discover.exclude = vec!["sft/**".into()];
    let outcome = scan_with(&options);
    let paths: Vec<_> = outcome.rows.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "preference/kto.jsonl.zst",
            "web-zh/part-000.jsonl",
            "web-zh/part-001.jsonl.gz"
        ]
    );
}
