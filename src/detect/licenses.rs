//! License, copyright and opt-out markers: the file's license summary and findings.
//! Wraps the license engine (`analyze::license`) without reaching into it.

use super::{Columns, Detector, Findings, Merge, located};
use crate::aggregate::FileResult;
use crate::analyze::license::{LicenseMatch, LicenseSummary};
use crate::analyze::{Detectors, RecordFacts};
use crate::ledger::findings::Finding;
use crate::record::Record;

/// Finds license markers in records.
pub struct Licenses;

/// A reused marker buffer and the unit's summary.
#[derive(Default)]
pub struct LicenseUnit {
    markers: Vec<(usize, LicenseMatch)>,
    summary: LicenseSummary,
}

impl Detector for Licenses {
    const COLUMNS: &'static [&'static str] = &["license"];
    type Unit = LicenseUnit;
    type Stats = LicenseSummary;

    fn begin(_: &Detectors) -> LicenseUnit {
        LicenseUnit::default()
    }

    fn record(
        engines: &Detectors,
        unit: &mut LicenseUnit,
        record: &Record<'_>,
        _: &RecordFacts,
        findings: &mut Findings,
    ) {
        unit.markers.clear();
        engines.license_markers(record, &mut unit.markers);
        // A record's markers are read together: a reservation beside a grant is an
        // attribution notice, not a proprietary claim.
        unit.summary.add_record(unit.markers.iter().map(|(_, m)| m));
        for (index, m) in &unit.markers {
            if findings.admit(m.kind.as_str()) {
                findings.push(Finding {
                    // The license id, never the matched text: a copyright line names people.
                    license: m.license.clone(),
                    evidence: m.evidence.map(|e| e.as_str().to_string()),
                    confidence: Some(m.confidence().to_string()),
                    ..located(record, *index, m.start, m.end, m.kind.as_str(), m.rule)
                });
            }
        }
    }

    fn finish(unit: LicenseUnit, stats: &mut LicenseSummary) {
        stats.merge(&unit.summary);
    }
}

impl Merge for LicenseSummary {
    fn merge(&mut self, other: Self) {
        LicenseSummary::merge(self, &other);
    }
}

impl Columns for LicenseSummary {
    fn fill(self, file: &mut FileResult) {
        file.license.merge(&self);
    }
}
