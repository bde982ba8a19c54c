//! Languages: records and characters per language code.

use std::collections::BTreeMap;

use super::{Columns, Detector, Findings, Merge};
use crate::aggregate::{FileResult, LanguageCount};
use crate::analyze::{Detectors, RecordFacts};
use crate::record::Record;

/// Tallies records and characters per language.
pub struct Languages;

/// Languages in order of first sight: a record's language is one of a dozen static
/// codes, so a short scan beats hashing or ordering the key.
#[derive(Debug, Default)]
pub struct LanguageTally(Vec<(&'static str, LanguageCount)>);

/// Records and characters per language code.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LanguageCounts(BTreeMap<String, LanguageCount>);

impl Detector for Languages {
    const COLUMNS: &'static [&'static str] = &["languages"];
    type Unit = LanguageTally;
    type Stats = LanguageCounts;

    fn begin(_: &Detectors) -> LanguageTally {
        LanguageTally::default()
    }

    #[inline]
    fn record(
        _: &Detectors,
        unit: &mut LanguageTally,
        _: &Record<'_>,
        facts: &RecordFacts,
        _: &mut Findings,
    ) {
        let chars = facts.profile.chars;
        match unit.0.iter_mut().find(|(code, _)| *code == facts.language) {
            Some((_, count)) => {
                count.records += 1;
                count.characters += chars;
            }
            None => unit.0.push((
                facts.language,
                LanguageCount {
                    records: 1,
                    characters: chars,
                },
            )),
        }
    }

    fn finish(unit: LanguageTally, stats: &mut LanguageCounts) {
        for (code, count) in unit.0 {
            add(&mut stats.0, code, &count);
        }
    }
}

fn add(into: &mut BTreeMap<String, LanguageCount>, code: &str, count: &LanguageCount) {
    let mine = match into.get_mut(code) {
        Some(mine) => mine,
        None => into.entry(code.to_string()).or_default(),
    };
    mine.records += count.records;
    mine.characters += count.characters;
}

impl Merge for LanguageCounts {
    fn merge(&mut self, other: Self) {
        for (code, count) in &other.0 {
            add(&mut self.0, code, count);
        }
    }
}

impl Columns for LanguageCounts {
    fn fill(self, file: &mut FileResult) {
        for (code, count) in &self.0 {
            add(&mut file.content.languages, code, count);
        }
    }
}
