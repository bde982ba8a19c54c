//! Accuracy gate on a generated, labelled corpus (see `pii::synth`).
//!
//! A detection is a true positive when its type equals a label's and the
//! spans overlap; each label is matched at most once. Fails on precision
//! below 0.995 for any checksum-validated type, overall F1 below 0.98, any
//! per-type recall below 0.95, or any decoy reported.

use std::collections::BTreeMap;

use provaudit::analyze::pii::synth::{self, Label, LabelledDoc};
use provaudit::analyze::pii::{Confidence, PiiDetector, PiiMatch, PiiType};

const DOCS: usize = 6_000;
const SEED: u64 = 0x5EED_2025;

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u64,
    fp: u64,
    fn_: u64,
}

impl Counts {
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn overlaps(l: &Label, m: &PiiMatch) -> bool {
    l.start < m.end && m.start < l.end
}

/// Problems found, described with masks only.
#[derive(Default)]
struct Report {
    counts: BTreeMap<PiiType, Counts>,
    decoy_hits: Vec<String>,
    false_positives: Vec<String>,
    misses: Vec<String>,
}

impl Report {
    fn score(&mut self, det: &PiiDetector, doc: &LabelledDoc, found: &[PiiMatch]) {
        let mut used = vec![false; doc.labels.len()];
        for m in found {
            let hit = doc
                .labels
                .iter()
                .enumerate()
                .find(|(i, l)| !used[*i] && l.pii_type == m.pii_type && overlaps(l, m));
            let c = self.counts.entry(m.pii_type.clone()).or_default();
            if let Some((i, _)) = hit {
                used[i] = true;
                c.tp += 1;
                continue;
            }
            c.fp += 1;
            let what = format!(
                "{} via {} as {}",
                m.pii_type,
                det.rule_id(m.rule),
                det.mask(m, &doc.text)
            );
            match doc
                .decoys
                .iter()
                .find(|d| d.start < m.end && m.start < d.end)
            {
                Some(d) => self.decoy_hits.push(format!("decoy {}: {what}", d.kind)),
                None => self.false_positives.push(what),
            }
        }
        for (l, _) in doc.labels.iter().zip(&used).filter(|(_, u)| !**u) {
            self.counts.entry(l.pii_type.clone()).or_default().fn_ += 1;
            let as_match = PiiMatch {
                pii_type: l.pii_type.clone(),
                rule: 0,
                start: l.start,
                end: l.end,
                tag: None,
                confidence: Confidence::Low,
            };
            self.misses
                .push(format!("{} {}", l.pii_type, det.mask(&as_match, &doc.text)));
        }
    }

    fn total(&self) -> Counts {
        self.counts.values().fold(Counts::default(), |a, c| Counts {
            tp: a.tp + c.tp,
            fp: a.fp + c.fp,
            fn_: a.fn_ + c.fn_,
        })
    }

    fn print(&self) {
        println!(
            "{:<18} {:>6} {:>5} {:>5} {:>9} {:>7} {:>7}",
            "type", "TP", "FP", "FN", "precision", "recall", "F1"
        );
        let rows = self.counts.iter().map(|(t, c)| (t.as_str(), *c));
        for (name, c) in rows.chain(std::iter::once(("ALL", self.total()))) {
            println!(
                "{name:<18} {:>6} {:>5} {:>5} {:>9.4} {:>7.4} {:>7.4}",
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            );
        }
        for (title, list) in [
            ("decoy hits", &self.decoy_hits),
            ("false positives", &self.false_positives),
            ("misses", &self.misses),
        ] {
            if !list.is_empty() {
                println!("{title} ({}), first 20:", list.len());
                for line in list.iter().take(20) {
                    println!("  {line}");
                }
            }
        }
    }
}

#[test]
fn accuracy_on_labelled_synthetic_corpus() {
    let det = PiiDetector::builtin();
    let docs = synth::labelled_corpus(DOCS, SEED);
    let mut report = Report::default();
    let mut found = Vec::new();
    for doc in &docs {
        found.clear();
        det.scan(&doc.text, &mut found);
        report.score(&det, doc, &found);
    }
    let decoys: usize = docs.iter().map(|d| d.decoys.len()).sum();
    println!("{DOCS} documents, {decoys} decoys, seed {SEED:#x}");
    report.print();

    let mut failures = Vec::new();
    for t in PiiType::ALL {
        let c = report.counts.get(t).copied().unwrap_or_default();
        if c.tp + c.fn_ < 200 {
            failures.push(format!("{t}: only {} labels generated", c.tp + c.fn_));
        }
        if t.is_checksummed() && c.precision() < 0.995 {
            failures.push(format!("{t}: precision {:.4} < 0.995", c.precision()));
        }
        if c.recall() < 0.95 {
            failures.push(format!("{t}: recall {:.4} < 0.95", c.recall()));
        }
    }
    let f1 = report.total().f1();
    if f1 < 0.98 {
        failures.push(format!("overall F1 {f1:.4} < 0.98"));
    }
    if !report.decoy_hits.is_empty() {
        failures.push(format!("{} decoys reported", report.decoy_hits.len()));
    }
    assert!(failures.is_empty(), "accuracy gate failed: {failures:#?}");
}
