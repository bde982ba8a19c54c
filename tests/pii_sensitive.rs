//! Sensitive personal information (PIPL Art. 28, issue 15 item 5) end to end: a
//! synthetic medical Q&A source with first-person disclosures gets ledger
//! `pii.sensitive` counts, `sensitive` findings with the category and never the term,
//! a report section and `dataset_hasSensitivePersonalInformation: yes` in SPDX; the
//! config file adds terms; and precision on real text (`../shared/corpora`) against
//! hand labels.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use provaudit::analyze::sensitive::SensitiveCategory;
use provaudit::contract::AuditDir;
use provaudit::ledger::{self, findings::Finding};

/// Synthetic medical Q&A: two first-person disclosures (one about a child), one
/// encyclopedia answer with no person, one unrelated record.
const MED_QA: &str = concat!(
    r#"{"instruction":"医生您好，我最近查出了糖尿病，空腹血糖很高，需要打胰岛素吗？","output":"建议先到内分泌科复查。"}"#,
    "\n",
    r#"{"instruction":"什么是糖尿病？","output":"糖尿病是一种以高血糖为特征的代谢性疾病。"}"#,
    "\n",
    r#"{"instruction":"我女儿今年6岁，一直咳嗽发烧怎么办？","output":"请带孩子到儿科就诊。"}"#,
    "\n",
    r#"{"instruction":"Translate to French: good morning","output":"Bonjour"}"#,
    "\n",
);

fn write(root: &Path, path: &str, body: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
}

/// The audit's findings, read through the audit-directory contract.
fn findings(out: &Path) -> Vec<Finding> {
    let mut all = Vec::new();
    AuditDir::new(out)
        .for_each_finding(|_, _, f| {
            all.push(f);
            Ok(true)
        })
        .unwrap();
    all
}

#[test]
fn a_medical_qa_source_is_counted_found_reported_and_flagged_in_spdx() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data/medqa/qa.jsonl", MED_QA);
    let scan = provaudit_in(dir.path(), &["scan", "data", "-o", "audit", "-q"]);
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));
    let out = dir.path().join("audit");

    let rows = rows(&out);
    let pii = &row(&rows, "medqa/qa.jsonl").pii;
    let expected: BTreeMap<SensitiveCategory, u64> = [
        (SensitiveCategory::Health, 2),
        (SensitiveCategory::Minor, 1),
    ]
    .into();
    assert_eq!(pii.sensitive, expected);
    assert_eq!(pii.records_with_sensitive, 2);
    assert_eq!(pii.records_with_pii, 0, "no personal values in the text");

    let sensitive: Vec<Finding> = findings(&out)
        .into_iter()
        .filter(|f| f.kind == "sensitive")
        .collect();
    let got: Vec<(u64, &str, &str)> = sensitive
        .iter()
        .map(|f| {
            (
                f.record,
                f.category.as_deref().unwrap_or(""),
                f.rule.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (0, "health", "sensitive.health.condition"),
            (2, "minor", "sensitive.minor.age"),
            (2, "health", "sensitive.health.condition"),
        ]
    );
    let lines = std::fs::read_to_string(out.join(ledger::FINDINGS_JSONL)).unwrap();
    for term in ["糖尿病", "咳嗽", "6岁", "女儿"] {
        assert!(!lines.contains(term), "a term leaked into findings");
    }
    assert!(sensitive.iter().all(|f| f.masked.is_none()));

    let md = std::fs::read_to_string(out.join("disclosure.md")).unwrap();
    assert!(md.contains("Sensitive personal information (PIPL Art. 28)"));
    assert!(md.contains("health 2, "), "{md}");
    assert!(md.contains("minor under 14 1"), "{md}");

    let rep = dir.path().join("rep");
    let report = provaudit_in(
        dir.path(),
        &["report", "audit", "--format", "spdx", "-o", "rep"],
    );
    assert_eq!(report.status.code(), Some(0), "{}", text(&report));
    let spdx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rep.join("disclosure.spdx.json")).unwrap()).unwrap();
    let package = spdx["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "dataset_DatasetPackage")
        .unwrap();
    assert_eq!(package["dataset_hasSensitivePersonalInformation"], "yes");
}

#[test]
fn the_config_file_adds_terms_and_changes_the_rules_hash() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "data/notes.jsonl",
        "{\"text\":\"我最近确认是长新冠，一直乏力\"}\n",
    );
    let config = dir.path().join("provaudit.toml");
    std::fs::write(&config, "[pii.sensitive.terms]\nhealth = [\"长新冠\"]\n").unwrap();
    let plain = provaudit_in(dir.path(), &["scan", "data", "-o", "plain", "-q"]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain));
    let mine = provaudit_in(
        dir.path(),
        &[
            "scan",
            "data",
            "-o",
            "mine",
            "-q",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert_eq!(mine.status.code(), Some(0), "{}", text(&mine));
    let count = |out: &str| {
        row(&rows(&dir.path().join(out)), "notes.jsonl")
            .pii
            .records_with_sensitive
    };
    assert_eq!((count("plain"), count("mine")), (0, 1));

    std::fs::write(&config, "[pii.sensitive]\ndisable = [\"heath\"]\n").unwrap();
    let bad = provaudit_in(
        dir.path(),
        &[
            "scan",
            "data",
            "-o",
            "bad",
            "-q",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(text(&bad).contains("unknown category"), "{}", text(&bad));
}

/// (corpus, file, record, field, category) → true positive.
type Labels = BTreeMap<(String, String, u64, String, String), bool>;

fn labels() -> Labels {
    include_str!("data/sensitive_real_text_labels.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let [corpus, file, record, field, category, verdict, ..] = f.as_slice() else {
                return None;
            };
            let key = (
                corpus.to_string(),
                file.to_string(),
                record.parse().ok()?,
                field.to_string(),
                category.to_string(),
            );
            Some((key, *verdict == "TP"))
        })
        .collect()
}

/// Every record and category flagged on the real corpora is labelled, precision stays
/// above its floor (measured 9 of 12; the figure is small because real disclosures
/// are rare in these corpora) and every labelled disclosure is still found.
#[test]
fn precision_on_hand_labelled_real_text() {
    let Some(corpora) = corpora() else {
        println!("SKIPPED: ../shared/corpora is absent");
        return;
    };
    let labels = labels();
    let mut flagged: Vec<(String, String, u64, String, String)> = Vec::new();
    for corpus in ["llm-samples", "ner-public"] {
        let dir = tempfile::tempdir().unwrap();
        let mut options =
            provaudit::scan::ScanOptions::new(vec![corpora.join(corpus)], dir.path().join("audit"));
        options.findings = ledger::findings::FindingsMode::All;
        options.threads = Some(2);
        scan_with(&options);
        for f in findings(&dir.path().join("audit")) {
            if f.kind == "sensitive" {
                let category = f.category.unwrap_or_default();
                flagged.push((corpus.into(), f.file, f.record, f.field, category));
            }
        }
    }
    let mut per_category: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for key in &flagged {
        let verdict = labels.get(key).unwrap_or_else(|| {
            panic!("unlabelled flag {key:?}: read the record and add it to the labels")
        });
        let entry = per_category.entry(key.4.as_str()).or_default();
        if *verdict {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    for (category, (tp, fp)) in &per_category {
        println!("{category}: {tp} TP, {fp} FP");
    }
    for (key, tp) in &labels {
        assert!(
            !tp || flagged.contains(key),
            "a labelled disclosure is no longer found: {key:?}"
        );
    }
    let tp: u32 = per_category.values().map(|v| v.0).sum();
    let precision = f64::from(tp) / flagged.len().max(1) as f64;
    println!("precision {precision:.2} ({tp} of {})", flagged.len());
    assert!(
        precision >= 0.70,
        "precision {precision:.2} under its floor 0.70"
    );
}
