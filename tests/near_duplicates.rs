//! `scan --near-duplicates` end to end: a planted edited copy across two files is
//! counted in the later file (ledger order), unrelated records are not, CJK copies
//! are found, the figures do not depend on threads or how files are split into units,
//! and a scan without the option writes no near-duplicate column or file.

mod common;

use std::path::Path;

use common::{made_up_doc as doc, zh_doc};

use provaudit::analyze::minhash::MinHashParams;
use provaudit::ledger::LedgerRow;
use provaudit::scan::{self, ScanOptions};
use provaudit::synth::Rng;

fn line(text: &str) -> String {
    serde_json::json!({ "text": text }).to_string() + "\n"
}

/// `a.jsonl`: 40 unrelated records, its record 7 an English document and record 9 a
/// Chinese one. `b.jsonl`: 40 more, with an edited copy of each at records 3 and 20,
/// and an empty record.
fn corpus(dir: &Path) {
    let mut rng = Rng::new(19);
    let mut a = String::new();
    let mut b = String::new();
    let (en, zh) = (doc(&mut rng, 120), zh_doc(&mut rng, 200));
    for i in 0..40 {
        a += &line(&match i {
            7 => en.clone(),
            9 => zh.clone(),
            _ => doc(&mut rng, 80),
        });
    }
    for i in 0..40 {
        b += &line(&match i {
            3 => format!("Reposted from elsewhere: {}", en.replacen("ka", "ko", 1)),
            20 => format!("{zh}。版权所有"),
            30 => String::new(),
            _ => doc(&mut rng, 80),
        });
    }
    std::fs::write(dir.join("a.jsonl"), a).unwrap();
    std::fs::write(dir.join("b.jsonl"), b).unwrap();
}

fn scan(data: &Path, out: &Path, near: bool, threads: usize, chunk: Option<u64>) {
    let mut options = ScanOptions::new(vec![data.to_path_buf()], out.to_path_buf());
    options.threads = Some(threads);
    options.chunk_bytes = chunk;
    options.near_duplicates = near.then(MinHashParams::default);
    scan::run(&options).unwrap();
}

fn rows(out: &Path) -> Vec<LedgerRow> {
    std::fs::read_to_string(out.join("ledger.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn planted_copies_count_in_the_later_file() {
    let data = tempfile::tempdir().unwrap();
    corpus(data.path());
    let out = tempfile::tempdir().unwrap();
    scan(data.path(), out.path(), true, 2, None);
    let rows = rows(out.path());
    let near: Vec<_> = rows
        .iter()
        .map(|r| (r.path.as_str(), r.near_duplicates.clone().unwrap()))
        .collect();
    assert_eq!(near[0].0, "a.jsonl");
    assert_eq!(
        (near[0].1.within_file, near[0].1.within_scan),
        (0, 0),
        "unrelated records are not near-duplicates"
    );
    assert_eq!(near[1].0, "b.jsonl");
    assert_eq!(
        (
            near[1].1.within_file,
            near[1].1.within_scan,
            near[1].1.clusters
        ),
        (0, 2, 2)
    );
    // Exact duplicates see none of this.
    assert_eq!(rows[1].duplicates.within_scan, 0);
    let file = std::fs::File::open(out.path().join("near_duplicates.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(Result::unwrap).collect();
    let total: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(total, 2);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["near_duplicates"]["near_duplicate_records"], 2);
    assert_eq!(summary["near_duplicates"]["parameters"]["bands"], 6);
    assert_eq!(summary["totals"]["near_duplicates"]["within_scan"], 2);
    assert!(summary["outputs"]["near_duplicates.parquet"].is_string());
}

#[test]
fn figures_do_not_depend_on_threads_or_units() {
    let data = tempfile::tempdir().unwrap();
    corpus(data.path());
    let ledger = |threads, chunk| {
        let out = tempfile::tempdir().unwrap();
        scan(data.path(), out.path(), true, threads, chunk);
        let read = |name: &str| std::fs::read(out.path().join(name)).unwrap();
        (
            rows(out.path())
                .into_iter()
                .map(|r| r.near_duplicates)
                .collect::<Vec<_>>(),
            read("near_duplicates.parquet"),
            read("ledger.parquet"),
        )
    };
    let one = ledger(1, None);
    assert_eq!(one, ledger(1, None));
    assert_eq!(one, ledger(2, None));
    // Files cut into 4 KiB units: record ordinals are shifted back to file ordinals.
    let split = ledger(2, Some(4096));
    assert_eq!(one.0, split.0);
    assert_eq!(one.1, split.1);
}

#[test]
fn without_the_option_there_is_no_column_and_no_file() {
    let data = tempfile::tempdir().unwrap();
    corpus(data.path());
    let out = tempfile::tempdir().unwrap();
    scan(data.path(), out.path(), false, 2, None);
    let ledger = std::fs::read_to_string(out.path().join("ledger.jsonl")).unwrap();
    assert!(!ledger.contains("near_duplicates"));
    assert!(!out.path().join("near_duplicates.parquet").exists());
    let summary = std::fs::read_to_string(out.path().join("summary.json")).unwrap();
    assert!(!summary.contains("near_duplicates"));
}
