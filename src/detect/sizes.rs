//! Sizes: records, characters, estimated tokens and the record-length histogram.

use super::{Columns, Detector, Findings, Merge};
use crate::aggregate::{FileResult, LENGTH_LABELS, length_index};
use crate::analyze::{Detectors, RecordFacts};
use crate::record::Record;

/// Counts records and their lengths.
pub struct Sizes;

/// Records, characters, tokens, and records per length bucket.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SizeCounts {
    /// Records read.
    pub records: u64,
    /// Unicode scalar values over every text field.
    pub characters: u64,
    /// Estimated tokens (see `TextProfile::estimated_tokens`).
    pub estimated_tokens: u64,
    lengths: [u64; LENGTH_LABELS.len()],
}

impl Detector for Sizes {
    const COLUMNS: &'static [&'static str] = &[
        "records",
        "characters",
        "estimated_tokens",
        "length_histogram",
    ];
    type Unit = SizeCounts;
    type Stats = SizeCounts;

    fn begin(_: &Detectors) -> SizeCounts {
        SizeCounts::default()
    }

    #[inline]
    fn record(
        _: &Detectors,
        unit: &mut SizeCounts,
        _: &Record<'_>,
        facts: &RecordFacts,
        _: &mut Findings,
    ) {
        let chars = facts.profile.chars;
        unit.records += 1;
        unit.characters += chars;
        unit.estimated_tokens += facts.profile.estimated_tokens();
        unit.lengths[length_index(chars)] += 1;
    }

    fn finish(unit: SizeCounts, stats: &mut SizeCounts) {
        stats.merge(unit);
    }
}

impl Merge for SizeCounts {
    fn merge(&mut self, other: Self) {
        self.records += other.records;
        self.characters += other.characters;
        self.estimated_tokens += other.estimated_tokens;
        self.lengths
            .iter_mut()
            .zip(other.lengths)
            .for_each(|(a, b)| *a += b);
    }
}

/// Only buckets that hold records become histogram entries.
impl Columns for SizeCounts {
    fn fill(self, file: &mut FileResult) {
        let content = &mut file.content;
        content.records += self.records;
        content.characters += self.characters;
        content.estimated_tokens += self.estimated_tokens;
        for (label, n) in LENGTH_LABELS.iter().zip(self.lengths) {
            if n > 0 {
                *content
                    .length_histogram
                    .entry((*label).to_string())
                    .or_default() += n;
            }
        }
    }
}
