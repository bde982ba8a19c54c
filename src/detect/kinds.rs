//! Record kinds: how many records of each kind a file holds (the stage is inferred
//! from the dominant one).

use super::{Columns, Detector, Findings, Merge};
use crate::aggregate::FileResult;
use crate::analyze::{Detectors, RecordFacts};
use crate::record::Record;
use crate::record::kind::RecordKind;

/// Counts records per kind.
pub struct RecordKinds;

/// Where [`RecordKind::Unrecognised`] sits in [`RecordKind::ALL`].
const UNRECOGNISED: usize = RecordKind::ALL.len() - 1;

/// Records per [`RecordKind::ALL`] entry: an array, so a record costs no map lookup.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct KindCounts([u64; RecordKind::ALL.len()]);

impl Detector for RecordKinds {
    const COLUMNS: &'static [&'static str] = &["record_kinds"];
    type Unit = KindCounts;
    type Stats = KindCounts;

    fn begin(_: &Detectors) -> KindCounts {
        KindCounts::default()
    }

    #[inline]
    fn record(
        _: &Detectors,
        unit: &mut KindCounts,
        _: &Record<'_>,
        facts: &RecordFacts,
        _: &mut Findings,
    ) {
        // Readers only yield known kinds; a kind this version cannot name would count
        // as an unrecognised layout.
        let at = facts.kind.position().unwrap_or(UNRECOGNISED);
        unit.0[at] += 1;
    }

    fn finish(unit: KindCounts, stats: &mut KindCounts) {
        stats.merge(unit);
    }
}

impl Merge for KindCounts {
    fn merge(&mut self, other: Self) {
        self.0.iter_mut().zip(other.0).for_each(|(a, b)| *a += b);
    }
}

/// Only kinds that occur become entries.
impl Columns for KindCounts {
    fn fill(self, file: &mut FileResult) {
        for (kind, n) in RecordKind::ALL.iter().zip(self.0) {
            if n > 0 {
                *file.content.record_kinds.entry(kind.clone()).or_default() += n;
            }
        }
    }
}
