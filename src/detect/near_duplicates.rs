//! Near-duplicates: each record's MinHash band keys and similarity sketch, in record
//! order, for the scan to settle in scan order ([`crate::aggregate::near_dup`]).
//!
//! Off unless the scan asks for it (`--near-duplicates`): then the detector does
//! nothing per record and its figures stay empty, so scans without it are unchanged.

use super::{Columns, Detector, Findings, Merge};
use crate::aggregate::FileResult;
pub use crate::aggregate::near_dup::NearDupRecords;
use crate::aggregate::near_dup::RecordSpill;
use crate::analyze::minhash::MinHasher;
use crate::analyze::{Detectors, RecordFacts};
use crate::record::Record;

/// Computes records' MinHash band keys and sketches.
pub struct NearDuplicates;

/// A unit's scratch: the MinHash buffers (the normalised text is the analysis
/// pass's, `RecordFacts::normalized_text`); `None` when near-duplicates are off.
pub struct NearDupUnit {
    hasher: Option<MinHasher>,
    records: NearDupRecords,
    /// Where to spill the records beyond [`crate::aggregate::near_dup::SPILL_RECORDS`]
    /// (the scan's, through its [`super::Spare`]).
    spill: Option<std::sync::Arc<RecordSpill>>,
}

impl Detector for NearDuplicates {
    const COLUMNS: &'static [&'static str] = &["near_duplicates"];
    type Unit = NearDupUnit;
    type Stats = NearDupRecords;

    fn begin(engines: &Detectors) -> NearDupUnit {
        NearDupUnit {
            hasher: engines.near_duplicates.map(MinHasher::new),
            records: NearDupRecords::default(),
            spill: None,
        }
    }

    fn begin_reusing(engines: &Detectors, spare: &mut super::Spare) -> NearDupUnit {
        NearDupUnit {
            spill: spare.near_spill.clone(),
            ..Self::begin(engines)
        }
    }

    #[inline]
    fn record(
        _: &Detectors,
        unit: &mut NearDupUnit,
        record: &Record<'_>,
        facts: &RecordFacts,
        _: &mut Findings,
    ) {
        let Some(hasher) = &mut unit.hasher else {
            return;
        };
        if record.fields.is_empty() {
            return;
        }
        let records = &mut unit.records;
        if hasher.add(
            &facts.normalized_text.0,
            &mut records.band_keys,
            &mut records.sketches,
        ) {
            records.ordinals.push(record.ordinal);
            if let Some(spill) = &unit.spill {
                records.spill_if_full(spill);
            }
        }
    }

    fn finish(mut unit: NearDupUnit, stats: &mut NearDupRecords) {
        unit.records.shrink_to_fit();
        stats.merge(unit.records);
    }
}

/// Appends: a file's units are merged in unit order, so records stay in file order.
impl Merge for NearDupRecords {
    fn merge(&mut self, other: Self) {
        self.append(other);
    }
}

/// The figures need every earlier file's records: the scan settles them
/// ([`crate::aggregate::near_dup::NearDupIndex`]) and takes the records out before
/// the file's figures are filled.
impl Columns for NearDupRecords {
    fn fill(self, _: &mut FileResult) {}
}
