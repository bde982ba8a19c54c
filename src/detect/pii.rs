//! Personal information: occurrences per type, records with any, and masked findings;
//! then sensitive personal information (PIPL Art. 28) per record, from the same
//! record's PII matches (so the text is scanned for values once). Wraps the PII and
//! sensitive engines (`analyze::pii`, `analyze::sensitive`) without reaching into them.

use super::{Columns, Detector, Findings, Merge, located};
use crate::aggregate::{FileResult, PiiStats, PiiTag};
use crate::analyze::pii::{Confidence, PiiMatch, PiiScratch, PiiType};
use crate::analyze::sensitive::{SensitiveFlag, SensitiveScratch};
use crate::analyze::{Detectors, LexiconScratch, RecordFacts};
use crate::ledger::findings::Finding;
use crate::record::Record;

/// Finds and counts personal information.
pub struct Pii;

/// The engines' per-worker caches, reused match and flag buffers, and the unit's
/// counts.
pub struct PiiUnit {
    scratch: PiiScratch,
    lexicon: LexiconScratch,
    matches: Vec<(usize, PiiMatch)>,
    sensitive: SensitiveScratch,
    flags: Vec<SensitiveFlag>,
    stats: PiiStats,
}

impl Detector for Pii {
    const COLUMNS: &'static [&'static str] = &["pii"];
    type Unit = PiiUnit;
    type Stats = PiiStats;

    fn begin(engines: &Detectors) -> PiiUnit {
        PiiUnit {
            scratch: engines.pii.scratch(),
            lexicon: LexiconScratch::default(),
            matches: Vec::new(),
            sensitive: SensitiveScratch::default(),
            flags: Vec::new(),
            stats: PiiStats::default(),
        }
    }

    /// The raw value never leaves this function: only the engine's mask is stored.
    fn record(
        engines: &Detectors,
        unit: &mut PiiUnit,
        record: &Record<'_>,
        _: &RecordFacts,
        findings: &mut Findings,
    ) {
        unit.matches.clear();
        unit.flags.clear();
        // One pass over each field finds the name and address context words and the
        // sensitive terms; the flags need every PII match of the record first.
        engines.pii_and_sensitive(
            &mut unit.scratch,
            &mut unit.lexicon,
            &mut unit.sensitive,
            record,
            &mut unit.matches,
            &mut unit.flags,
        );
        tally_record(&mut unit.stats, &unit.matches);
        for (index, m) in &unit.matches {
            let kind = m.pii_type.as_str();
            if findings.admit(kind) {
                let text = &record.fields[*index].text;
                findings.push(Finding {
                    tag: m.tag.map(str::to_string),
                    masked: Some(engines.pii.mask(m, text)),
                    confidence: Some(m.confidence.as_str().to_string()),
                    ..located(
                        record,
                        *index,
                        m.start,
                        m.end,
                        kind,
                        engines.pii.rule_id(m.rule),
                    )
                });
            }
        }
        tally_sensitive(&mut unit.stats, &unit.flags);
        for flag in &unit.flags {
            if findings.admit(SENSITIVE) {
                findings.push(sensitive_finding(engines, record, flag));
            }
        }
    }

    fn finish(unit: PiiUnit, stats: &mut PiiStats) {
        PiiStats::merge(stats, &unit.stats);
    }

    fn begin_reusing(engines: &Detectors, spare: &mut super::Spare) -> PiiUnit {
        match spare.pii.take() {
            Some(PiiSpare {
                scratch,
                lexicon,
                sensitive,
                mut matches,
                mut flags,
            }) => {
                matches.clear();
                flags.clear();
                PiiUnit {
                    scratch,
                    lexicon,
                    matches,
                    sensitive,
                    flags,
                    stats: PiiStats::default(),
                }
            }
            None => Self::begin(engines),
        }
    }

    fn finish_keeping(unit: PiiUnit, stats: &mut PiiStats, spare: &mut super::Spare) {
        PiiStats::merge(stats, &unit.stats);
        spare.pii = Some(PiiSpare {
            scratch: unit.scratch,
            lexicon: unit.lexicon,
            sensitive: unit.sensitive,
            matches: unit.matches,
            flags: unit.flags,
        });
    }
}

/// A finished unit's caches and buffers, for the worker's next unit (`detect::Spare`).
pub(super) struct PiiSpare {
    scratch: PiiScratch,
    lexicon: LexiconScratch,
    sensitive: SensitiveScratch,
    matches: Vec<(usize, PiiMatch)>,
    flags: Vec<SensitiveFlag>,
}

/// The finding type of a record flagged for sensitive personal information.
const SENSITIVE: &str = "sensitive";

/// A flagged category as a finding: where the term is, its category and lexicon
/// group's rule; never the term. Confirmed by context (a person reference), so
/// `medium`.
fn sensitive_finding(engines: &Detectors, record: &Record<'_>, flag: &SensitiveFlag) -> Finding {
    Finding {
        category: Some(flag.category.as_str().to_string()),
        confidence: Some(Confidence::Medium.as_str().to_string()),
        ..located(
            record,
            flag.field,
            flag.start,
            flag.end,
            SENSITIVE,
            engines.sensitive.rule_id(flag.rule),
        )
    }
}

/// Counts one record's sensitive categories (each flagged once per record).
fn tally_sensitive(stats: &mut PiiStats, flags: &[SensitiveFlag]) {
    if flags.is_empty() {
        return;
    }
    stats.records_with_sensitive += 1;
    for flag in flags {
        *stats.sensitive.entry(flag.category.clone()).or_default() += 1;
    }
}

/// Counts one record's matches: occurrences per type, tag and confidence, the record
/// once per type it contains, and the record once if it has any personal information.
fn tally_record(stats: &mut PiiStats, matches: &[(usize, PiiMatch)]) {
    // Non-personal matches (private networks, documentation ranges, placeholders) keep
    // their tag count and findings but are not tallied as personal information.
    if matches.iter().any(|(_, m)| m.is_personal()) {
        stats.records_with_pii += 1;
    }
    let mut types_seen: Vec<&PiiType> = Vec::new();
    for (_, m) in matches {
        let kind = &m.pii_type;
        if m.is_personal() {
            *stats.counts.entry(kind.clone()).or_default() += 1;
            *stats.by_confidence.entry(m.confidence.clone()).or_default() += 1;
        }
        if let Some(tag) = m.tag {
            let key = PiiTag {
                pii_type: kind.clone(),
                tag: tag.to_string(),
            };
            *stats.tags.entry(key).or_default() += 1;
        }
        if m.is_personal() && !types_seen.contains(&kind) {
            types_seen.push(kind);
            *stats.records_by_type.entry(kind.clone()).or_default() += 1;
        }
    }
}

impl Merge for PiiStats {
    fn merge(&mut self, other: Self) {
        PiiStats::merge(self, &other);
    }
}

impl Columns for PiiStats {
    fn fill(self, file: &mut FileResult) {
        file.pii.merge(&self);
    }
}
