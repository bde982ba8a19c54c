//! Corpus safety screening: the records each risk lexicon category flags, and findings
//! that locate each counted term by id. Wraps the screen (`analyze::safety`) without
//! reaching into it; a scan without a lexicon does nothing here.

use super::{Columns, Detector, Findings, Merge, located};
use crate::aggregate::FileResult;
use crate::analyze::safety::{SafetyCounts, SafetyHit, SafetyScratch};
use crate::analyze::{Detectors, RecordFacts};
use crate::ledger::findings::Finding;
use crate::record::Record;

/// The finding type of a counted term.
pub const FINDING_TYPE: &str = "safety";

/// Screens records against the risk lexicons.
pub struct Safety;

/// Reused buffers and the unit's counts, per category index.
#[derive(Default)]
pub struct SafetyUnit {
    scratch: SafetyScratch,
    hits: Vec<SafetyHit>,
    /// Per hit of `hits`: the index of its field.
    fields: Vec<usize>,
    weights: Vec<f64>,
    flagged: Vec<u16>,
    records_by_category: Vec<u64>,
    records_with_hits: u64,
    occurrences: u64,
    /// The category ids, copied once per unit so `finish` needs no engine.
    categories: Vec<String>,
    on: bool,
}

/// Per-file figures: `None` when screening is off, so the ledger has no `safety` block.
#[derive(Default)]
pub struct SafetyStats(Option<SafetyCounts>);

impl Detector for Safety {
    const COLUMNS: &'static [&'static str] = &["safety"];
    type Unit = SafetyUnit;
    type Stats = SafetyStats;

    fn begin(engines: &Detectors) -> SafetyUnit {
        let Some(screen) = &engines.safety else {
            return SafetyUnit::default();
        };
        let count = screen.category_count();
        SafetyUnit {
            records_by_category: vec![0; count],
            categories: (0..count)
                .map(|i| screen.category(i as u16).to_string())
                .collect(),
            on: true,
            ..SafetyUnit::default()
        }
    }

    fn record(
        engines: &Detectors,
        unit: &mut SafetyUnit,
        record: &Record<'_>,
        facts: &RecordFacts,
        findings: &mut Findings,
    ) {
        let Some(screen) = &engines.safety else {
            return;
        };
        unit.hits.clear();
        unit.fields.clear();
        let form = facts.profile.normal_form();
        for (index, field) in record.fields.iter().enumerate() {
            screen.screen_field_as(&mut unit.scratch, &field.text, form, &mut unit.hits);
            unit.fields.resize(unit.hits.len(), index);
        }
        if unit.hits.is_empty() {
            return;
        }
        unit.occurrences += unit.hits.len() as u64;
        screen.flagged(&unit.hits, &mut unit.weights, &mut unit.flagged);
        unit.records_with_hits += u64::from(!unit.flagged.is_empty());
        for &c in &unit.flagged {
            if let Some(n) = unit.records_by_category.get_mut(usize::from(c)) {
                *n += 1;
            }
        }
        for (hit, &index) in unit.hits.iter().zip(&unit.fields) {
            if findings.admit(FINDING_TYPE) {
                // The term's id, never its text nor the record's.
                let rule = screen.term_id(hit.term);
                findings.push(Finding {
                    category: Some(screen.category(hit.category).to_string()),
                    ..located(record, index, hit.start, hit.end, FINDING_TYPE, &rule)
                });
            }
        }
    }

    fn finish(unit: SafetyUnit, stats: &mut SafetyStats) {
        if !unit.on {
            return;
        }
        let counts = SafetyCounts {
            records_with_hits: unit.records_with_hits,
            records_by_category: unit
                .categories
                .into_iter()
                .zip(unit.records_by_category)
                .filter(|(_, n)| *n > 0)
                .collect(),
            hits: unit.occurrences,
        };
        stats.merge(SafetyStats(Some(counts)));
    }
}

impl Merge for SafetyStats {
    fn merge(&mut self, other: Self) {
        match (&mut self.0, other.0) {
            (Some(mine), Some(theirs)) => mine.merge(&theirs),
            (None, theirs) => self.0 = theirs,
            (_, None) => {}
        }
    }
}

impl Columns for SafetyStats {
    fn fill(self, file: &mut FileResult) {
        if let Some(counts) = self.0 {
            file.safety.get_or_insert_default().merge(&counts);
        }
    }
}
