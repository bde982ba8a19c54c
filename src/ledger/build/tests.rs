use std::collections::BTreeMap;

use super::*;
use crate::aggregate::PiiStats;
use crate::analyze::license::LicenseSummary;
use crate::discover::card::DatasetCard;
use crate::discover::manifest::{Manifest, SourceDecl, Stage};
use crate::discover::source::SourceBasis;
use crate::ledger::license_block::ConflictRow;

fn source(manifest: Option<SourceDecl>, card_licenses: &[&str]) -> Source {
    Source {
        id: "s".into(),
        basis: SourceBasis::Directory,
        manifest_path: None,
        manifest: manifest.map(|source| {
            std::sync::Arc::new(Manifest {
                source,
                annotation: None,
            })
        }),
        card_path: None,
        card: (!card_licenses.is_empty()).then(|| {
            std::sync::Arc::new(DatasetCard {
                license: card_licenses.iter().map(|l| l.to_string()).collect(),
                ..DatasetCard::default()
            })
        }),
        revisions: Vec::new(),
    }
}

fn kinds(counts: &[(&str, u64)]) -> ContentStats {
    ContentStats {
        record_kinds: counts
            .iter()
            .map(|(k, n)| (RecordKind::from(*k), *n))
            .collect(),
        ..ContentStats::default()
    }
}

#[test]
fn a_declared_stage_wins_over_the_records() {
    let decl = SourceDecl {
        stage: Some(Stage::Eval),
        ..SourceDecl::default()
    };
    let (stage, basis) = stage_of(&source(Some(decl), &[]), &kinds(&[("chat", 9)]));
    assert_eq!(
        (stage.as_ref().map(Stage::as_str), basis),
        (Some("eval"), StageBasis::Declared)
    );
}

/// Ties go to the kind whose name sorts first, so a tie never depends on input order.
#[test]
fn the_dominant_kind_gives_the_inferred_stage() {
    let none = source(None, &[]);
    for (counts, expected) in [
        (&[("text", 5), ("chat", 2)][..], Some("pretrain")),
        (&[("instruction", 3)][..], Some("finetune")),
        (&[("labeled", 1), ("text", 1)][..], Some("finetune")),
        (&[("preference", 4), ("other", 4)][..], None),
        (&[("text", 2), ("chat", 2)][..], Some("finetune")),
        (&[("other", 7)][..], None),
        (&[][..], None),
    ] {
        let (stage, basis) = stage_of(&none, &kinds(counts));
        assert_eq!(stage.as_ref().map(Stage::as_str), expected, "{counts:?}");
        let want = if expected.is_some() {
            StageBasis::Inferred
        } else {
            StageBasis::Unknown
        };
        assert_eq!(basis, want, "{counts:?}");
    }
}

#[test]
fn the_manifest_license_wins_over_the_card() {
    let detector = LicenseDetector::builtin();
    let decl = SourceDecl {
        license: Some(" MIT ".into()),
        ..SourceDecl::default()
    };
    let declared = declared_license(&source(Some(decl), &["apache-2.0"]), &detector);
    let declared = declared.map(|d| (d.expression, d.from));
    assert_eq!(declared, Some(("MIT".to_string(), DeclaredFrom::Manifest)));
}

/// Terms come out in the order the declared expression keeps them (sorted).
#[test]
fn card_licenses_are_joined_and_blank_ones_dropped() {
    let detector = LicenseDetector::builtin();
    let declared = declared_license(&source(None, &["mit", " ", "cc-by-4.0"]), &detector)
        .map(|d| (d.expression, d.from));
    assert_eq!(
        declared,
        Some(("CC-BY-4.0 AND MIT".to_string(), DeclaredFrom::DatasetCard))
    );
    assert!(declared_license(&source(None, &[]), &detector).is_none());
}

fn row() -> LedgerRow {
    LedgerRow {
        path: "a.jsonl".into(),
        root: "r".into(),
        source: "s".into(),
        stage: None,
        stage_basis: StageBasis::Unknown,
        split: None,
        format: "jsonl".into(),
        compression: "none".into(),
        modality: "text".into(),
        role: Default::default(),
        bytes: 10,
        sha256: None,
        modified: None,
        status: Status::Ok,
        skip_reason: None,
        error_count: 0,
        first_error: None,
        records: 20,
        record_kinds: BTreeMap::new(),
        characters: 0,
        estimated_tokens: 0,
        languages: BTreeMap::new(),
        length_histogram: BTreeMap::new(),
        duplicates: Default::default(),
        quality: Default::default(),
        pii: PiiStats::default(),
        license: LicenseBlock::of(LicenseSummary::default()),
        risk_flags: Vec::new(),
        near_duplicates: None,
        safety: None,
        web_hosts: None,
        contamination: None,
    }
}

#[test]
fn risk_flags_follow_the_row_figures() {
    let mut clean = row();
    clean.license.conflicts.clear();
    assert!(risk_flags(&clean, 20).is_empty());
    let mut risky = clean.clone();
    risky.bytes = 0;
    risky.error_count = 2;
    risky.pii.records_with_pii = 1;
    risky.pii.counts.insert("secret".into(), 1);
    risky.quality.invalid_utf8 = 1;
    risky.duplicates.within_scan = 11;
    assert_eq!(
        risk_flags(&risky, 20),
        [
            "empty_file",
            "read_errors",
            "personal_information",
            "secrets",
            "encoding_problems",
            "high_duplication"
        ]
    );
}

#[test]
fn duplication_is_flagged_above_half_of_enough_records() {
    let mut r = row();
    r.license.conflicts.clear();
    r.duplicates.within_scan = 5;
    assert!(
        risk_flags(&r, 10).is_empty(),
        "exactly half is not above half"
    );
    r.duplicates.within_scan = 6;
    assert_eq!(risk_flags(&r, 10), ["high_duplication"]);
    r.duplicates.within_scan = 9;
    assert!(risk_flags(&r, 9).is_empty(), "fewer than ten records");
}

#[test]
fn license_conflicts_map_to_one_flag_each() {
    assert_eq!(
        license_flag(&"stricter_than_declared".into()),
        "license_conflict"
    );
    assert_eq!(license_flag(&"no_license".into()), "license_unknown");
    assert_eq!(license_flag(&"unknown_license".into()), "license_unknown");
    assert_eq!(license_flag(&"tdm_opt_out".into()), "tdm_opt_out");
    assert_eq!(
        license_flag(&"from_a_newer_version".into()),
        "license_review"
    );
    let mut r = row();
    r.license.conflicts = ["no_license", "unknown_license"]
        .map(|kind| ConflictRow {
            kind: kind.into(),
            declared: None,
            detected: None,
            detail: String::new(),
        })
        .to_vec();
    assert_eq!(risk_flags(&r, 0), ["license_unknown"]);
}
