//! Per-record detectors behind one trait, run in one registered list.
//!
//! As in ripgrep's `Sink` and `Matcher`, every analysis a record goes through has the
//! same shape: a work unit [`Detector::begin`]s with fresh per-unit state, each record
//! goes through [`Detector::record`] (facts in, tallies and findings out), and
//! [`Detector::finish`] hands the unit's tallies on as per-file figures. Figures
//! [`Merge`] associatively and commutatively, so byte ranges of a file, files of a
//! source and shards of a job combine in any grouping to the same result, and each
//! figure [`Columns::fill`]s the ledger columns it owns.
//!
//! The per-record path is hot (hundreds of MB/s per core): detectors are called
//! through static dispatch from one generated list (the `registry!` macro), units keep their
//! scratch buffers from record to record, and no detector allocates per record.
//!
//! Adding a detector: one module here implementing [`Detector`] (its figures
//! implementing [`Merge`] and [`Columns`], its ledger columns in
//! [`Detector::COLUMNS`]), and one line in the `registry!` list below.

pub mod contamination;
pub mod findings;
pub mod fingerprints;
pub mod kinds;
pub mod languages;
pub mod licenses;
pub mod near_duplicates;
pub mod pii;
pub mod quality;
pub mod safety;
pub mod sizes;
pub mod web_hosts;

pub use findings::{Findings, located};

use crate::aggregate::FileResult;
use crate::analyze::{Detectors, RecordFacts};
use crate::record::Record;

/// One per-record analysis.
pub trait Detector {
    /// Ledger columns this detector's figures fill.
    const COLUMNS: &'static [&'static str];
    /// What a work unit keeps from record to record: tallies in a form that is cheap to
    /// update, and scratch buffers reused so the record path does not allocate.
    type Unit;
    /// Per-file figures: what a unit hands on, merged across the file's units.
    type Stats: Default + Merge + Columns;

    /// Fresh state for one work unit.
    fn begin(engines: &Detectors) -> Self::Unit;
    /// Looks at one record; `facts` are the shared per-record pass's.
    fn record(
        engines: &Detectors,
        unit: &mut Self::Unit,
        record: &Record<'_>,
        facts: &RecordFacts,
        findings: &mut Findings,
    );
    /// Hands what the unit tallied on into its figures.
    fn finish(unit: Self::Unit, stats: &mut Self::Stats);

    /// [`Detector::begin`], taking what an earlier unit on this worker left in `spare`
    /// (see [`Spare`]); detectors with nothing costly to set up keep the default.
    fn begin_reusing(engines: &Detectors, spare: &mut Spare) -> Self::Unit {
        let _ = spare;
        Self::begin(engines)
    }

    /// [`Detector::finish`], leaving in `spare` what the next unit can reuse.
    fn finish_keeping(unit: Self::Unit, stats: &mut Self::Stats, spare: &mut Spare) {
        let _ = spare;
        Self::finish(unit, stats)
    }
}

/// What a worker keeps from one unit to the next: set-up that costs per unit, not per
/// byte. The PII engine's lazily built DFA caches start empty and fill as they meet
/// text, so a fresh set per unit cost about a tenth of the CPU of a scan of small files
/// (one unit each). A spare must only go back to units of the same [`Detectors`]
/// (caches belong to their automata): a scan keeps one per worker thread
/// ([`Spares`]) and drops them with itself.
#[derive(Default)]
pub struct Spare {
    pii: Option<pii::PiiSpare>,
    /// Where the scan's units spill the near-duplicate records they hold
    /// ([`crate::aggregate::near_dup::RecordSpill`]); `None` keeps them in memory.
    near_spill: Option<std::sync::Arc<crate::aggregate::near_dup::RecordSpill>>,
}

/// One [`Spare`] per worker thread of one scan's pool, for that scan's engines.
pub struct Spares {
    slots: Vec<std::sync::Mutex<Spare>>,
    near_spill: Option<std::sync::Arc<crate::aggregate::near_dup::RecordSpill>>,
}

impl Spares {
    /// Slots for a pool of `threads` workers.
    pub fn new(threads: usize) -> Self {
        Spares {
            slots: (0..threads).map(|_| Default::default()).collect(),
            near_spill: None,
        }
    }

    /// Units of this scan spill their near-duplicate records to `spill`.
    pub fn with_near_spill(
        mut self,
        spill: Option<std::sync::Arc<crate::aggregate::near_dup::RecordSpill>>,
    ) -> Self {
        self.near_spill = spill;
        self
    }

    /// The calling worker's spare (an empty one off the pool or when taken already).
    pub fn take(&self) -> Spare {
        let mut spare: Spare = self
            .slot()
            .map(|slot| std::mem::take(&mut *slot.lock().unwrap_or_else(|p| p.into_inner())))
            .unwrap_or_default();
        spare.near_spill = self.near_spill.clone();
        spare
    }

    /// Gives the calling worker's spare back for its next unit.
    pub fn put(&self, spare: Spare) {
        if let Some(slot) = self.slot() {
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = spare;
        }
    }

    fn slot(&self) -> Option<&std::sync::Mutex<Spare>> {
        self.slots.get(rayon::current_thread_index()?)
    }
}

/// Figures that combine. Merging must be associative and commutative, so any grouping
/// and order of units, files or shards gives the same figures.
pub trait Merge {
    /// Adds `other` in.
    fn merge(&mut self, other: Self);
}

/// Where a detector's per-file figures go in a file's result, and so in its row.
pub trait Columns {
    /// Moves the figures into the file's result.
    fn fill(self, file: &mut FileResult);
}

/// Generates, from the list of registered detectors, the per-unit state, the per-file
/// figures and the calls that run every detector in list order (the order findings
/// of one record are written in).
macro_rules! registry {
    ($($name:ident: $detector:ty),* $(,)?) => {
        /// Every registered detector's per-unit state.
        pub struct Units {
            $($name: <$detector as Detector>::Unit,)*
        }

        /// Every registered detector's figures for a unit or a file.
        #[derive(Default)]
        pub struct Stats {
            $(
                #[doc = concat!("Figures of the `", stringify!($name), "` detector.")]
                pub $name: <$detector as Detector>::Stats,
            )*
        }

        /// Fresh state for one work unit.
        pub fn begin(engines: &Detectors) -> Units {
            Units {
                $($name: <$detector>::begin(engines),)*
            }
        }

        /// Runs every detector on one record.
        #[inline]
        pub fn record(
            engines: &Detectors,
            units: &mut Units,
            record: &Record<'_>,
            facts: &RecordFacts,
            findings: &mut Findings,
        ) {
            $(<$detector>::record(engines, &mut units.$name, record, facts, findings);)*
        }

        /// Hands every detector's tallies on into `stats`.
        pub fn finish(units: Units, stats: &mut Stats) {
            $(<$detector>::finish(units.$name, &mut stats.$name);)*
        }

        /// [`begin`], reusing what an earlier unit left in `spare`.
        pub fn begin_reusing(engines: &Detectors, spare: &mut Spare) -> Units {
            Units {
                $($name: <$detector>::begin_reusing(engines, spare),)*
            }
        }

        /// [`finish`], keeping in `spare` what the next unit can reuse.
        pub fn finish_keeping(units: Units, stats: &mut Stats, spare: &mut Spare) {
            $(<$detector>::finish_keeping(units.$name, &mut stats.$name, spare);)*
        }

        impl Merge for Stats {
            fn merge(&mut self, other: Self) {
                $(Merge::merge(&mut self.$name, other.$name);)*
            }
        }

        impl Columns for Stats {
            fn fill(self, file: &mut FileResult) {
                $(self.$name.fill(file);)*
            }
        }

        /// The ledger columns each registered detector fills.
        pub const COLUMNS: &[&[&str]] = &[$(<$detector as Detector>::COLUMNS,)*];
    };
}

registry! {
    kinds: kinds::RecordKinds,
    languages: languages::Languages,
    quality: quality::QualityCounts,
    sizes: sizes::Sizes,
    fingerprints: fingerprints::Fingerprints,
    pii: pii::Pii,
    licenses: licenses::Licenses,
    near_duplicates: near_duplicates::NearDuplicates,
    safety: safety::Safety,
    web_hosts: web_hosts::WebHosts,
    contamination: contamination::Contamination,
}

#[cfg(test)]
mod tests;
