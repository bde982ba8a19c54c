//! Benchmark contamination: the records that share an n-gram with an evaluation item,
//! per benchmark with the items, and a finding per (record, item) that names the
//! benchmark and item id and locates the overlap, never its text. Wraps the index
//! (`analyze::contamination`); a scan without `--eval-sets` does nothing here.

use super::{Columns, Detector, Findings, Merge, located};
use crate::aggregate::FileResult;
use crate::analyze::contamination::{
    BenchmarkHits, ContaminationCounts, ContaminationScratch, ItemHit,
};
use crate::analyze::{Detectors, RecordFacts};
use crate::ledger::findings::Finding;
use crate::record::Record;

/// The finding type of an overlap.
pub const FINDING_TYPE: &str = "contamination";

/// Looks for evaluation items in records.
pub struct Contamination;

/// Reused buffers and the unit's tallies, per benchmark index.
#[derive(Default)]
pub struct ContaminationUnit {
    scratch: ContaminationScratch,
    hits: Vec<ItemHit>,
    records: u64,
    /// Per benchmark: records, and the items hit (sorted and deduplicated at the end).
    by_benchmark: Vec<(u64, Vec<u32>)>,
    names: Vec<String>,
    on: bool,
}

/// Per-file figures: `None` without evaluation sets, so the ledger has no column.
#[derive(Default)]
pub struct ContaminationStats(Option<ContaminationCounts>);

impl Detector for Contamination {
    const COLUMNS: &'static [&'static str] = &["contamination"];
    type Unit = ContaminationUnit;
    type Stats = ContaminationStats;

    fn begin(engines: &Detectors) -> ContaminationUnit {
        let Some(index) = &engines.contamination else {
            return ContaminationUnit::default();
        };
        let names: Vec<String> = index.benchmarks().iter().map(|b| b.name.clone()).collect();
        ContaminationUnit {
            by_benchmark: vec![(0, Vec::new()); names.len()],
            names,
            on: true,
            ..ContaminationUnit::default()
        }
    }

    #[inline]
    fn record(
        engines: &Detectors,
        unit: &mut ContaminationUnit,
        record: &Record<'_>,
        _: &RecordFacts,
        findings: &mut Findings,
    ) {
        let Some(index) = &engines.contamination else {
            return;
        };
        let fields = record.fields.iter().map(|f| &*f.text);
        index.record(&mut unit.scratch, fields, &mut unit.hits);
        if unit.hits.is_empty() {
            return;
        }
        unit.records += 1;
        let mut last = u32::MAX;
        for hit in &unit.hits {
            let Some((records, items)) = unit.by_benchmark.get_mut(hit.benchmark as usize) else {
                continue;
            };
            // Hits come ordered by benchmark: count the record once per benchmark.
            *records += u64::from(hit.benchmark != last);
            last = hit.benchmark;
            items.push(hit.item);
            if findings.admit(FINDING_TYPE) {
                let name = &unit.names[hit.benchmark as usize];
                // The benchmark and item id, never the item's or the record's text.
                let rule = format!("{name}#{}", hit.item);
                findings.push(Finding {
                    category: Some(name.clone()),
                    overlap: Some(u64::from(hit.grams)),
                    ..located(record, hit.field, hit.start, hit.end, FINDING_TYPE, &rule)
                });
            }
        }
    }

    fn finish(unit: ContaminationUnit, stats: &mut ContaminationStats) {
        if !unit.on {
            return;
        }
        let counts = ContaminationCounts {
            records: unit.records,
            by_benchmark: unit
                .names
                .into_iter()
                .zip(unit.by_benchmark)
                .filter(|(_, (records, _))| *records > 0)
                .map(|(name, (records, mut items))| {
                    items.sort_unstable();
                    items.dedup();
                    (name, BenchmarkHits { records, items })
                })
                .collect(),
        };
        stats.merge(ContaminationStats(Some(counts)));
    }
}

impl Merge for ContaminationStats {
    fn merge(&mut self, other: Self) {
        match (&mut self.0, other.0) {
            (Some(mine), Some(theirs)) => mine.merge(&theirs),
            (None, theirs) => self.0 = theirs,
            (Some(_), None) => {}
        }
    }
}

impl Columns for ContaminationStats {
    fn fill(self, file: &mut FileResult) {
        file.contamination = self.0;
    }
}
