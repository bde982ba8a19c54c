//! End-to-end scans of the demo dataset: what a user sees, and that it is stable.

mod common;

use common::*;
use provaudit::aggregate::PiiTag;
use provaudit::analyze::license::{Category, ConflictKind};
use provaudit::analyze::pii::PiiType;
use provaudit::discover::manifest::Stage;
use provaudit::ledger::{self, Status};
use provaudit::record::kind::RecordKind;
use provaudit::scan::ScanOptions;

#[test]
fn demo_scan_covers_every_format_kind_and_source() {
    let out = tempfile::tempdir().unwrap();
    let outcome = scan_dir(&demo(), out.path());
    let rows = rows(out.path());
    assert_eq!(rows.len(), outcome.rows().unwrap().len());
    assert_eq!(rows.len() as u64, outcome.summary.ledger.rows);
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
    for k in [
        RecordKind::Text,
        RecordKind::Instruction,
        RecordKind::Chat,
        RecordKind::Preference,
        RecordKind::Labeled,
    ] {
        assert!(
            kinds.get(&k).copied().unwrap_or(0) > 0,
            "no {k} records in {kinds:?}"
        );
    }

    let hidden = row(&rows, "misc/.draft.jsonl");
    assert_eq!(
        (hidden.status.clone(), hidden.skip_reason.as_deref()),
        (
            Status::Skipped,
            Some("hidden file; pass --hidden to read it")
        )
    );

    let gz = row(&rows, "web-zh/part-001.jsonl.gz");
    assert_eq!(
        (gz.compression.as_str(), gz.records, gz.status.clone()),
        ("gzip", 3, Status::Ok)
    );
    assert_eq!(gz.source, "web-zh-demo");
    assert_eq!(gz.stage, Some(Stage::Pretrain));
    assert_eq!(
        gz.duplicates.within_scan, 1,
        "its third line repeats part-000.jsonl"
    );

    let zst = row(&rows, "preference/kto.jsonl.zst");
    assert_eq!(
        (
            zst.records,
            zst.record_kinds.get(&RecordKind::Preference).copied()
        ),
        (2, Some(2))
    );
    assert_eq!(
        zst.source, "Demo preference pairs",
        "named by the dataset card's pretty_name"
    );

    let pq = row(&rows, "preference/dpo.parquet");
    assert_eq!((pq.records, pq.status.clone()), (3, Status::Ok));
    let labeled = row(&rows, "labeled/reviews.parquet");
    assert_eq!(
        (
            labeled.record_kinds.get(&RecordKind::Labeled).copied(),
            labeled.stage.clone()
        ),
        (Some(3), Some(Stage::Finetune)),
        "an integer label column reaches kind detection"
    );
    let arrow = row(&rows, "hf-cache/train.arrow");
    let feather = row(&rows, "hf-cache/train.feather");
    assert_eq!((arrow.records, feather.records), (3, 3));
    assert_eq!(
        feather.duplicates.within_scan, 3,
        "the feather file holds the same rows"
    );

    let broken = row(&rows, "sft/broken.jsonl");
    assert_eq!(
        (broken.status.clone(), broken.records, broken.error_count),
        (Status::Partial, 2, 2)
    );
    let first = broken.first_error.as_ref().unwrap();
    assert_eq!(first.location.line, Some(2));

    let bin = row(&rows, "misc/weights.bin");
    assert_eq!(bin.status.clone(), Status::Skipped);
    assert!(bin.skip_reason.as_deref().unwrap().contains("unrecognised"));
    assert!(bin.sha256.is_some(), "skipped files are still hashed");

    let png = row(&rows, "media/cat.png");
    assert_eq!(
        (png.modality.as_str(), png.records, png.status.clone()),
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
    assert!(outcome.summary.per_stage.contains_key(&Stage::Finetune));
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
    options.chunk_bytes = Some(64);
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
        let mut expected = serde_json::to_value(row).unwrap();
        let mut pq = pq.clone();
        // `modified` is a timestamp column: compare the instants, to the microsecond.
        let micros = |v: &serde_json::Value| {
            let text = v.as_str()?;
            let text = text.strip_suffix("+00:00").map(|t| format!("{t}Z"));
            let text = text.as_deref().or(v.as_str())?;
            provaudit::civil::parse_rfc3339(text).map(|nanos| nanos.div_euclid(1000))
        };
        assert_eq!(
            micros(&pq["modified"]),
            micros(&expected["modified"]),
            "row {}",
            row.path
        );
        pq["modified"] = serde_json::Value::Null;
        expected["modified"] = serde_json::Value::Null;
        assert_eq!(strip_nulls(pq), strip_nulls(expected), "row {}", row.path);
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
    let rows = outcome.rows().unwrap();
    let paths: Vec<_> = rows.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "misc/.draft.jsonl",
            "preference/kto.jsonl.zst",
            "web-zh/part-000.jsonl",
            "web-zh/part-001.jsonl.gz"
        ]
    );
}

#[test]
fn demo_license_evidence_categories_and_conflicts() {
    let out = tempfile::tempdir().unwrap();
    let outcome = scan_dir(&demo(), out.path());
    let rows = rows(out.path());
    let web = row(&rows, "web-zh/part-000.jsonl");
    assert_eq!(
        web.license.summary.declared.as_ref().unwrap().expression,
        "CC-BY-4.0"
    );
    let kinds: Vec<&str> = web
        .license
        .conflicts
        .iter()
        .map(|c| c.kind.as_str())
        .collect();
    assert!(kinds.contains(&"stricter_than_declared"), "{kinds:?}");
    assert!(kinds.contains(&"all_rights_reserved"), "{kinds:?}");
    assert!(web.license.summary.copyright_notices >= 1);
    assert_eq!(
        web.license.category,
        Category::Permissive,
        "markers inside a few records flag those records, not the file's terms"
    );
    assert!(
        web.license
            .summary
            .detected_in_records
            .contains_key("CC-BY-NC-4.0")
    );
    assert!(web.license.summary.records_with_markers >= 2);
    assert!(web.risk_flags.contains(&"license_conflict".to_string()));

    let license_file = row(&rows, "code/LICENSE");
    assert_eq!(
        license_file.license.summary.detected["MIT"]["license_file"],
        1
    );
    assert_eq!(
        row(&rows, "code/tokenize.py").license.summary.detected["MIT"]["spdx_tag"],
        1
    );
    let card = row(&rows, "preference/dpo.parquet");
    assert_eq!(card.license.category, Category::NonCommercial);
    assert_eq!(
        serde_json::to_value(&card.license.summary.declared).unwrap()["from"],
        "dataset_card"
    );
    let undeclared = row(&rows, "labeled/sentiment.tsv");
    assert_eq!(undeclared.license.category, Category::Unknown);
    assert_eq!(
        undeclared.license.conflicts[0].kind,
        ConflictKind::NoLicense
    );

    let web_source = &outcome.summary.per_source["web-zh-demo"];
    assert_eq!(web_source.stats.license.category, Category::Permissive);
    assert!(
        web_source
            .stats
            .license
            .summary
            .all_rights_reserved_in_records
            > 0,
        "the reserved records are counted, as records"
    );
    let code = row(&rows, "code/tokenize.py");
    assert_eq!(
        code.license.basis, "license_file+content",
        "code/LICENSE reaches it"
    );
    assert!(
        outcome
            .summary
            .totals
            .license_categories
            .contains_key(&Category::NonCommercial)
    );

    // Findings locate markers and never quote the matched text.
    let findings = std::fs::read_to_string(out.path().join("findings.jsonl")).unwrap();
    assert!(
        findings
            .lines()
            .any(|l| l.contains("\"spdx_tag\"") && l.contains("code/tokenize.py"))
    );
    assert!(
        !findings.contains("示例出版社"),
        "a copyright holder's name leaked into findings"
    );
}

/// The synthetic values planted in `fixtures/demo/sft/support.jsonl`.
const PLANTED: [&str; 5] = [
    "13912345678",
    "zhang.san@example.org",
    "110105199003071239",
    "6222021000123450",
    "203.0.113.7",
];

#[test]
fn demo_personal_information_is_counted_located_and_masked() {
    let out = tempfile::tempdir().unwrap();
    let outcome = scan_dir(&demo(), out.path());
    let rows = rows(out.path());
    let support = row(&rows, "sft/support.jsonl");
    assert_eq!(support.pii.records_with_pii, 2);
    for kind in ["phone", "cn_resident_id", "bank_card"] {
        assert_eq!(
            support.pii.counts.get(&PiiType::from(kind)).copied(),
            Some(1),
            "{kind}: {:?}",
            support.pii.counts
        );
    }
    // The planted e-mail (example.org) and address (203.0.113.0/24) are
    // reserved for documentation: tagged, found, but not counted as PII.
    for kind in ["email", "ip_address"] {
        assert_eq!(support.pii.counts.get(&PiiType::from(kind)), None, "{kind}");
    }
    assert_eq!(
        support
            .pii
            .tags
            .get(&tag(PiiType::Email, "placeholder"))
            .copied(),
        Some(1)
    );
    assert_eq!(
        support
            .pii
            .tags
            .get(&tag(PiiType::IpAddress, "documentation"))
            .copied(),
        Some(1)
    );
    assert!((support.pii.record_share - 2.0 / 3.0).abs() < 1e-9);
    assert!(
        support
            .risk_flags
            .contains(&"personal_information".to_string())
    );
    assert_eq!(
        outcome.summary.per_source["sft-demo"]
            .stats
            .pii
            .records_with_pii,
        2
    );

    let findings = std::fs::read_to_string(out.path().join("findings.jsonl")).unwrap();
    let phone: serde_json::Value = findings
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|f| f["type"] == "phone")
        .expect("a phone finding");
    assert_eq!(phone["file"], "sft/support.jsonl");
    assert_eq!(phone["record"], 0);
    assert_eq!(phone["field"], "input");
    // "客户张三，电话" is 7 characters: offsets count characters, not bytes.
    assert_eq!(
        (phone["start"].as_u64(), phone["end"].as_u64()),
        (Some(7), Some(18))
    );
    assert!(phone["masked"].as_str().unwrap().contains('*'));

    // No output file anywhere contains a planted raw value.
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for value in PLANTED {
            assert!(
                !text.contains(value),
                "{} contains a raw value",
                path.display()
            );
        }
    }
}

#[test]
fn findings_modes_none_and_all() {
    let none = tempfile::tempdir().unwrap();
    let mut options = ScanOptions::new(vec![demo()], none.path().to_path_buf());
    options.findings = provaudit::ledger::findings::FindingsMode::None;
    let outcome = scan_with(&options);
    assert_eq!(
        std::fs::read_to_string(none.path().join("findings.jsonl")).unwrap(),
        ""
    );
    assert_eq!(
        outcome.summary.totals.pii.records_with_pii, 2,
        "counts do not depend on the findings mode"
    );
    let all = tempfile::tempdir().unwrap();
    let mut options = ScanOptions::new(vec![demo()], all.path().to_path_buf());
    options.findings = provaudit::ledger::findings::FindingsMode::Sample(1);
    scan_with(&options);
    let sample = std::fs::read_to_string(all.path().join("findings.jsonl")).unwrap();
    let license_file_copyright = sample
        .lines()
        .filter(|l| l.contains("code/LICENSE") && l.contains("copyright_notice"))
        .count();
    assert!(license_file_copyright <= 1);
}

#[test]
fn config_rules_disable_types_and_reject_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rules.toml");
    std::fs::write(&config, "[pii]\ndisable = [\"phone\"]\n").unwrap();
    let out = dir.path().join("out");
    let sft = demo().join("sft");
    let run = provaudit(&[
        "scan",
        sft.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(run.status.code(), Some(1), "sft holds the broken file");
    let support = row(&rows(&out), "support.jsonl").clone();
    assert_eq!(
        support.pii.counts.get(&PiiType::Phone),
        None,
        "{:?}",
        support.pii.counts
    );
    assert_eq!(
        support.pii.counts.get(&PiiType::CnResidentId).copied(),
        Some(1)
    );

    std::fs::write(&config, "[pii]\ndisabled = [\"phone\"]\n").unwrap();
    let run = provaudit(&[
        "scan",
        sft.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(err.contains("disabled"), "{err}");
}

fn tag(pii_type: PiiType, tag: &str) -> PiiTag {
    PiiTag {
        pii_type,
        tag: tag.to_string(),
    }
}
