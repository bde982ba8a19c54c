//! Fingerprints: the exact and normalised keys of every record with text, for
//! duplicate counting within the file and across the scan.

use super::{Columns, Detector, Findings, Merge};
use crate::aggregate::FileResult;
use crate::aggregate::dedup::{KeyBag, set_key};
use crate::analyze::{Detectors, RecordFacts};
use crate::record::Record;

/// Collects records' fingerprint keys.
pub struct Fingerprints;

/// Records that take part in duplicate counting and their keys. The scan takes the
/// bags out as each unit arrives (a split file's bag compacts as it grows), so only
/// the count reaches [`Columns::fill`].
#[derive(Debug, Default)]
pub struct FingerprintKeys {
    /// Records that have text and so take part in duplicate counting.
    pub dedup_records: u64,
    /// Keys of the raw-byte fingerprints, for exact duplicates.
    pub exact: KeyBag,
    /// Keys of the normalised-text fingerprints, for near-exact duplicates.
    pub normalized: KeyBag,
}

impl Detector for Fingerprints {
    const COLUMNS: &'static [&'static str] = &["duplicates"];
    type Unit = FingerprintKeys;
    type Stats = FingerprintKeys;

    fn begin(_: &Detectors) -> FingerprintKeys {
        FingerprintKeys::default()
    }

    #[inline]
    fn record(
        _: &Detectors,
        unit: &mut FingerprintKeys,
        record: &Record<'_>,
        facts: &RecordFacts,
        _: &mut Findings,
    ) {
        if !record.fields.is_empty() {
            unit.dedup_records += 1;
            unit.exact.push(set_key(facts.exact));
            unit.normalized.push(set_key(facts.normalized));
        }
    }

    fn finish(unit: FingerprintKeys, stats: &mut FingerprintKeys) {
        stats.merge(unit);
    }
}

impl Merge for FingerprintKeys {
    fn merge(&mut self, other: Self) {
        self.dedup_records += other.dedup_records;
        self.exact.absorb(other.exact);
        self.normalized.absorb(other.normalized);
    }
}

/// The duplicate counts themselves need the file's distinct keys (within the file)
/// and every file's (within the scan): the scan settles them from the keys.
impl Columns for FingerprintKeys {
    fn fill(self, file: &mut FileResult) {
        file.dedup_records += self.dedup_records;
    }
}
