//! Findings a unit keeps, within the findings policy.

use std::collections::BTreeMap;

use crate::ledger::findings::{Finding, FindingsMode, char_offset};
use crate::record::Record;

/// A unit's findings, with ordinals relative to the unit (shifted when the file is
/// merged), and how many of each type were kept.
#[derive(Debug, Default)]
pub struct Findings {
    limit: usize,
    kept_per_type: BTreeMap<String, usize>,
    found: Vec<Finding>,
}

impl Findings {
    /// An empty collection that keeps what `mode` asks for.
    pub fn new(mode: FindingsMode) -> Self {
        Findings {
            limit: mode.limit(),
            ..Findings::default()
        }
    }

    /// Whether another finding of `kind` fits the findings policy (and counts it), so
    /// masks and strings are only built for findings that will be written.
    pub fn admit(&mut self, kind: &str) -> bool {
        if self.limit == 0 {
            return false;
        }
        let kept = match self.kept_per_type.get_mut(kind) {
            Some(kept) => kept,
            None => self.kept_per_type.entry(kind.to_string()).or_default(),
        };
        let admitted = *kept < self.limit;
        *kept += usize::from(admitted);
        admitted
    }

    /// Keeps a finding [`Findings::admit`] let through.
    pub fn push(&mut self, finding: Finding) {
        self.found.push(finding);
    }

    /// The findings kept, in the order they were found.
    pub fn into_found(self) -> Vec<Finding> {
        self.found
    }
}

/// The 1-based line holding byte `at` of `text`.
fn line_of(text: &str, at: usize) -> u64 {
    let before = text.as_bytes().get(..at).unwrap_or(text.as_bytes());
    1 + memchr::memchr_iter(b'\n', before).count() as u64
}

/// A finding located in field `index` of `record`, byte offsets turned into characters.
pub fn located(
    record: &Record<'_>,
    index: usize,
    start: usize,
    end: usize,
    kind: &str,
    rule: &str,
) -> Finding {
    let field = &record.fields[index];
    Finding {
        schema_version: None,
        root: String::new(),
        file: String::new(),
        record: record.ordinal,
        field: field.path.to_string(),
        start: char_offset(&field.text, start),
        end: char_offset(&field.text, end),
        line: record.whole_file.then(|| line_of(&field.text, start)),
        kind: kind.to_string(),
        rule: rule.to_string(),
        tag: None,
        license: None,
        evidence: None,
        masked: None,
        confidence: None,
        category: None,
        overlap: None,
    }
}
