//! Conformance against third-party files in `../shared/corpora` (read there, never
//! copied): every Parquet and Arrow file is read or reported as a located error, with no
//! panic and no hang. Skipped, with a message, when the corpora are absent.

mod common;

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use provaudit::analyze::Detectors;
use provaudit::bytesource::{ByteSource, LocalFile};
use provaudit::formats::{Compression, ErrorKind, Format, ReadOptions};
use provaudit::ledger::Status;
use provaudit::ledger::findings::FindingsMode;
use provaudit::record::kind::RecordKind;
use provaudit::scan::execute::{UnitContext, execute};
use provaudit::scan::plan::Work;

/// Generous: the whole corpus scans in seconds; a hang is what this catches.
const DEADLINE: Duration = Duration::from_secs(600);

fn with_deadline<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(DEADLINE)
        .unwrap_or_else(|_| panic!("{what} did not finish within {DEADLINE:?}"))
}

fn corpus(sub: &str) -> Option<std::path::PathBuf> {
    match corpora() {
        Some(dir) if dir.join(sub).is_dir() => Some(dir.join(sub)),
        _ => {
            eprintln!("SKIPPED: ../shared/corpora/{sub} is not present");
            None
        }
    }
}

#[test]
fn every_parquet_testing_file_is_read_or_a_located_error() {
    let Some(root) = corpus("parquet-testing") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let out_path = out.path().to_path_buf();
    let rows = with_deadline("parquet-testing scan", move || {
        scan_dir(&root, &out_path);
        rows(&out_path)
    });
    let parquet: Vec<_> = rows
        .iter()
        .filter(|r| r.format == Format::Parquet)
        .collect();
    assert!(
        parquet.len() > 90,
        "only {} Parquet files found",
        parquet.len()
    );
    let mut read = 0;
    for row in &parquet {
        match row.status {
            Status::Ok => read += 1,
            Status::Partial | Status::Error => {
                let e = row
                    .first_error
                    .as_ref()
                    .unwrap_or_else(|| panic!("{} has no error", row.path));
                let loc = &e.location;
                assert!(
                    loc.byte_offset.is_some() || loc.row_group.is_some() || loc.batch.is_some(),
                    "{}: error without a location: {e}",
                    row.path
                );
            }
            Status::Skipped | Status::Other(_) => {
                panic!("{} was skipped, not read", row.path)
            }
        }
    }
    // Every column but binary ones is decoded, so a file whose only corrupt or
    // encrypted columns are numbers is an error, not a file of empty records.
    for row in parquet.iter().filter(|r| {
        r.path.contains("encrypt_columns_")
            || r.path.contains("ARROW-GH-45185")
            || r.path.contains("ARROW-RS-GH-6229")
    }) {
        assert_eq!(
            row.status,
            Status::Error,
            "{} is encrypted or corrupt and cannot be read",
            row.path
        );
        if row.path.contains("encrypt") {
            let kind = row.first_error.as_ref().map(|e| e.kind);
            assert_eq!(kind, Some(ErrorKind::Unsupported), "{}", row.path);
        }
    }
    eprintln!(
        "parquet-testing: {read} of {} Parquet files read, the rest reported with locations",
        parquet.len()
    );
    assert!(read >= 74, "only {read} Parquet files read");
}

#[test]
fn every_arrow_testing_file_is_read_or_a_located_error() {
    let Some(root) = corpus("arrow-testing/data") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let out_path = out.path().to_path_buf();
    let rows = with_deadline("arrow-testing scan", move || {
        scan_dir(&root, &out_path);
        rows(&out_path)
    });
    let gold: Vec<_> = rows
        .iter()
        .filter(|r| r.path.contains("arrow-ipc-stream/integration") && r.format == Format::Arrow)
        .collect();
    assert!(
        gold.len() > 40,
        "only {} integration Arrow files",
        gold.len()
    );
    let read = gold.iter().filter(|r| r.status == Status::Ok).count();
    eprintln!(
        "arrow-testing integration: {read} of {} Arrow files read",
        gold.len()
    );
    assert!(
        read * 10 >= gold.len() * 8,
        "{read} of {} gold files read",
        gold.len()
    );
    for row in rows
        .iter()
        .filter(|r| matches!(r.status.clone(), Status::Partial | Status::Error))
    {
        let e = row.first_error.as_ref().unwrap();
        let loc = &e.location;
        assert!(
            loc.byte_offset.is_some() || loc.batch.is_some(),
            "{}: error without a location: {e}",
            row.path
        );
    }
}

/// The fuzzer files mostly lack the Arrow magic, so the scan lists them as unknown
/// binaries; force every one through the Arrow reader to prove none escapes as a panic.
#[test]
fn fuzzed_arrow_files_never_escape_as_panics() {
    let Some(dir) = corpus("arrow-testing/data/arrow-ipc-file") else {
        return;
    };
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert!(files.len() > 30);
    let outcomes = with_deadline("fuzzed Arrow files", move || {
        let detectors = Detectors::builtin();
        let context = UnitContext {
            read: ReadOptions::default(),
            detectors: &detectors,
            findings: FindingsMode::None,
            spares: None,
        };
        files
            .iter()
            .filter(|p| p.is_file())
            .map(|path| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let source: Arc<dyn ByteSource> =
                    Arc::new(LocalFile::open(path, name.clone()).unwrap());
                let mut outcomes = Vec::new();
                for work in [Work::RandomAccess, Work::Stream] {
                    let r = execute(&work, &Format::Arrow, Compression::None, &source, &context);
                    outcomes.push((
                        name.clone(),
                        r.stats.sizes.records,
                        r.fatal.is_some() || r.errors.count > 0,
                    ));
                }
                outcomes
            })
            .collect::<Vec<_>>()
    });
    let failures = outcomes
        .iter()
        .flatten()
        .filter(|(_, _, failed)| *failed)
        .count();
    eprintln!(
        "fuzzed Arrow files: {} reads, {failures} reported errors, none panicked",
        outcomes.len() * 2
    );
    assert!(failures > 0, "fuzzer files should produce errors");
}

#[test]
fn llm_samples_scan_with_kinds_and_modalities() {
    let Some(root) = corpus("llm-samples") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let outcome = scan_dir(&root, out.path());
    let t = &outcome.summary.totals;
    assert_eq!(t.files_with_errors, 0);
    for kind in [
        RecordKind::Instruction,
        RecordKind::Chat,
        RecordKind::Preference,
        RecordKind::Text,
    ] {
        assert!(
            t.content.record_kinds.get(&kind).copied().unwrap_or(0) > 0,
            "no {kind} in {:?}",
            t.content.record_kinds
        );
    }
    for modality in ["image", "audio", "video"] {
        assert!(
            t.modalities
                .contains_key(&provaudit::formats::Modality::parse(modality)),
            "no {modality} in {:?}",
            t.modalities
        );
    }
    let zh = t
        .content
        .languages
        .get("zh")
        .map(|l| l.characters)
        .unwrap_or(0);
    assert!(zh > 0, "the Chinese samples were not recognised");
}
