use std::collections::BTreeSet;

use super::*;
use crate::aggregate::ContentStats;
use crate::ledger::findings::FindingsMode;
use crate::record::Field;
use crate::record::kind::RecordKind;

/// Ledger columns the scan fills itself, from the file, its plan and its read.
const SCAN_COLUMNS: [&str; 18] = [
    "path",
    "root",
    "source",
    "stage",
    "stage_basis",
    "split",
    "format",
    "compression",
    "modality",
    "role",
    "bytes",
    "sha256",
    "modified",
    "status",
    "skip_reason",
    "error_count",
    "first_error",
    "risk_flags",
];

/// Every ledger column is declared once: by the scan or by exactly one detector.
#[test]
fn every_ledger_column_has_one_owner() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("a.txt"), "x\n").expect("a temporary file");
    let files = crate::discover::discover(&[dir.path().to_path_buf()], &Default::default());
    let file = files.ok().and_then(|f| f.into_iter().next());
    let file = file.expect("the temporary file is discovered");
    let read = crate::ledger::build::ReadAs {
        format: crate::formats::Format::Text,
        compression: crate::formats::Compression::None,
        skip_reason: None,
        fatal: None,
        role: crate::discover::role::FileRole::Data,
    };
    let detector = crate::analyze::license::LicenseDetector::builtin();
    // With near-duplicates on, the file screened and its records naming web
    // addresses, so their optional columns (absent otherwise) are counted too.
    let result = FileResult {
        near_duplicates: Some(Default::default()),
        safety: Some(Default::default()),
        web_hosts: Some(Default::default()),
        contamination: Some(Default::default()),
        ..FileResult::default()
    };
    let row = crate::ledger::build::build_row(&file, read, result, &detector, None);
    let value = serde_json::to_value(&row).unwrap_or_default();
    let columns: BTreeSet<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut owned: Vec<&str> = SCAN_COLUMNS.to_vec();
    COLUMNS.iter().for_each(|c| owned.extend_from_slice(c));
    let distinct: BTreeSet<&str> = owned.iter().copied().collect();
    assert_eq!(distinct.len(), owned.len(), "a column with two owners");
    assert_eq!(distinct, columns);
}

fn records(n: usize) -> Vec<(String, RecordKind, bool)> {
    let texts = [
        "",
        "   ",
        "short",
        "数据训练",
        "The cat sat on the mat and the dog too.",
        "Le chat est sur la table et il dort.",
        "\u{fffd}\u{1}x",
    ];
    (0..n)
        .map(|i| {
            let text = texts[i % texts.len()].repeat(i * 37 % 500);
            (text, RecordKind::ALL[i % 6].clone(), i % 7 == 3)
        })
        .collect()
}

/// Runs every detector over `records` as one unit and returns its figures.
fn unit(engines: &Detectors, records: &[(String, RecordKind, bool)]) -> Stats {
    let mut units = begin(engines);
    let mut findings = Findings::new(FindingsMode::None);
    let mut analyzer = crate::analyze::Analyzer::default();
    for (i, (text, kind, lossy)) in records.iter().enumerate() {
        let mut record = Record::new(i as u64, kind.clone());
        record.fields.push(Field {
            path: "text".into(),
            text: text.as_str().into(),
        });
        record.lossy_utf8 = *lossy;
        let facts = analyzer.analyze(&record);
        super::record(engines, &mut units, &record, &facts, &mut findings);
    }
    let mut stats = Stats::default();
    finish(units, &mut stats);
    stats
}

fn filled(stats: Stats) -> FileResult {
    let mut file = FileResult::default();
    stats.fill(&mut file);
    file
}

/// The detectors' figures equal observing each record into [`ContentStats`], however
/// the records are cut into units and in whatever order units merge.
#[test]
fn unit_figures_merge_to_the_same_file_figures_in_any_grouping() {
    let engines = Detectors::builtin();
    let all = records(60);
    let mut direct = ContentStats::default();
    let mut analyzer = crate::analyze::Analyzer::default();
    for (i, (text, kind, lossy)) in all.iter().enumerate() {
        let mut record = Record::new(i as u64, kind.clone());
        record.fields.push(Field {
            path: "text".into(),
            text: text.as_str().into(),
        });
        record.lossy_utf8 = *lossy;
        direct.observe(&analyzer.analyze(&record));
    }
    let whole = filled(unit(&engines, &all));
    assert_eq!(whole.content, direct);
    assert_eq!(whole.dedup_records, 60);
    assert!(direct.languages.len() > 2 && direct.length_histogram.len() > 3);
    for cuts in [[13, 40], [0, 59], [30, 30]] {
        let parts = [&all[..cuts[0]], &all[cuts[0]..cuts[1]], &all[cuts[1]..]];
        let mut forward = Stats::default();
        parts.iter().for_each(|p| forward.merge(unit(&engines, p)));
        let mut backward = Stats::default();
        parts
            .iter()
            .rev()
            .for_each(|p| backward.merge(unit(&engines, p)));
        let mut nested = unit(&engines, parts[1]);
        nested.merge(unit(&engines, parts[2]));
        let mut grouped = unit(&engines, parts[0]);
        grouped.merge(nested);
        for merged in [forward, backward, grouped] {
            let file = filled(merged);
            assert_eq!(file.content, direct, "{cuts:?}");
            assert_eq!(file.dedup_records, 60, "{cuts:?}");
        }
    }
}

/// The kind counts are indexed by position in `RecordKind::ALL`.
#[test]
fn record_kinds_are_listed_in_position_order() {
    assert!(
        RecordKind::ALL
            .iter()
            .enumerate()
            .all(|(i, k)| k.position() == Some(i))
    );
    assert_eq!(RecordKind::Other("newer".into()).position(), None);
}

#[test]
fn findings_keep_the_first_n_per_type() {
    let mut findings = Findings::new(FindingsMode::Sample(2));
    let admitted: Vec<bool> = ["a", "a", "b", "a", "b", "b"]
        .iter()
        .map(|k| findings.admit(k))
        .collect();
    assert_eq!(admitted, [true, true, true, false, true, false]);
    let mut none = Findings::new(FindingsMode::None);
    assert!(!none.admit("a"));
}

/// Every finding says how far it can be trusted: a checksum-valid resident ID and an
/// SPDX tag are `high`, so a reviewer can sort findings by what confirmed them.
#[test]
fn findings_carry_their_confidence() {
    let engines = Detectors::builtin();
    let mut rng = crate::synth::Rng::new(0xC0F1);
    let id = crate::analyze::pii::synth::resident_id(&mut rng);
    let text = format!("身份证号 {id}\n// SPDX-License-Identifier: MIT\n");
    let mut record = Record::new(0, RecordKind::Text);
    record.fields.push(Field {
        path: "text".into(),
        text: text.as_str().into(),
    });
    let mut units = begin(&engines);
    let mut findings = Findings::new(FindingsMode::All);
    let facts = crate::analyze::Analyzer::default().analyze(&record);
    super::record(&engines, &mut units, &record, &facts, &mut findings);
    let found = findings.into_found();
    let confidence = |kind: &str| {
        found
            .iter()
            .find(|f| f.kind == kind)
            .and_then(|f| f.confidence.clone())
    };
    assert_eq!(
        confidence("cn_resident_id").as_deref(),
        Some("high"),
        "{found:?}"
    );
    assert_eq!(confidence("license").as_deref(), Some("high"), "{found:?}");
    assert!(found.iter().all(|f| f.confidence.is_some()), "{found:?}");
}

/// The ledger counts personal values by confidence, over exactly the values it counts
/// by type: a checksum-valid ID is `high`, a pre-1999 ID after its label `medium`, an
/// e-mail address `low`, and a private network address (not personal) is in neither.
#[test]
fn counted_values_are_tallied_by_confidence() {
    let engines = Detectors::builtin();
    let mut rng = crate::synth::Rng::new(0xC0F2);
    let id = crate::analyze::pii::synth::resident_id(&mut rng);
    let legacy = crate::analyze::pii::synth::resident_id_legacy(&mut rng);
    let texts = [
        format!("身份证号 {id}"),
        format!("身份证号 {legacy}"),
        "write to li.wei@qq.com today, router 192.168.1.1".to_string(),
    ];
    let records: Vec<_> = texts
        .into_iter()
        .map(|t| (t, RecordKind::Text, false))
        .collect();
    let pii = filled(unit(&engines, &records)).pii;
    let by = |level: &str| pii.by_confidence.get(&level.into()).copied();
    assert_eq!(
        (by("high"), by("medium"), by("low")),
        (Some(1), Some(1), Some(1)),
        "{pii:?}"
    );
    let counted: u64 = pii.counts.values().sum();
    assert_eq!(pii.by_confidence.values().sum::<u64>(), counted);
}
