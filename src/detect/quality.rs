//! Quality counters: empty, very short, broken-encoding and control-character records.

use super::{Columns, Detector, Findings, Merge};
use crate::aggregate::FileResult;
use crate::analyze::quality::Quality;
use crate::analyze::{Detectors, RecordFacts};
use crate::record::Record;

/// Counts records with quality problems.
pub struct QualityCounts;

impl Detector for QualityCounts {
    const COLUMNS: &'static [&'static str] = &["quality"];
    type Unit = Quality;
    type Stats = Quality;

    fn begin(_: &Detectors) -> Quality {
        Quality::default()
    }

    #[inline]
    fn record(
        _: &Detectors,
        unit: &mut Quality,
        _: &Record<'_>,
        facts: &RecordFacts,
        _: &mut Findings,
    ) {
        unit.observe(&facts.profile, facts.lossy_utf8);
    }

    fn finish(unit: Quality, stats: &mut Quality) {
        Quality::merge(stats, &unit);
    }
}

impl Merge for Quality {
    fn merge(&mut self, other: Self) {
        Quality::merge(self, &other);
    }
}

impl Columns for Quality {
    fn fill(self, file: &mut FileResult) {
        file.content.quality.merge(&self);
    }
}
