//! `findings.jsonl`: one line per occurrence of personal information or a license,
//! copyright or opt-out marker, located to the character.
//!
//! A finding never carries a raw personal-information value: PII findings carry the
//! detector's mask, and license findings carry the identified license, not the matched
//! text (a copyright line names people). Files finish in any order, so each file's
//! findings are spilled to a temporary file and concatenated in ledger order at the end:
//! deterministic output with memory bounded by one file's findings.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::FINDINGS_JSONL;

/// How many findings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingsMode {
    /// `--findings none`: no findings are written.
    None,
    /// The first N per file and type.
    Sample(usize),
    /// `--findings all`: every occurrence is written.
    All,
}

impl FindingsMode {
    /// The mode as hashed into an audit's config hash: `None`, `Sample(N)` or `All`.
    /// Every audit so far recorded this text, so it must not change.
    pub fn canonical(self) -> String {
        match self {
            FindingsMode::None => "None".to_string(),
            FindingsMode::Sample(n) => format!("Sample({n})"),
            FindingsMode::All => "All".to_string(),
        }
    }

    /// How many findings of one type one file may keep.
    pub fn limit(self) -> usize {
        match self {
            FindingsMode::None => 0,
            FindingsMode::Sample(n) => n,
            FindingsMode::All => usize::MAX,
        }
    }
}

/// Serialised as its [`FindingsMode::canonical`] text.
impl Serialize for FindingsMode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.canonical())
    }
}

/// One located occurrence (read back leniently, like ledger rows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Finding {
    /// [`super::SCHEMA_VERSION`] of the writer, on every line so that a line copied,
    /// grepped or concatenated from shards still says how to read it; absent in
    /// findings written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
    /// The file's root as in the ledger, so findings of two roots that both hold
    /// `train.jsonl` are told apart; empty in findings written before it was recorded.
    pub root: String,
    /// The file's path as in the ledger (filled in when the file is finished).
    pub file: String,
    /// 0-based record ordinal within the file.
    pub record: u64,
    /// Field path within the record.
    pub field: String,
    /// Character (not byte) offsets within the field.
    pub start: u64,
    /// End of the occurrence, in characters, exclusive.
    pub end: u64,
    /// 1-based line of the file where the occurrence starts, for findings in source
    /// code (one record that is the whole file); absent where a record is not the
    /// file's own text laid out line by line (JSON, CSV, columnar formats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// A canonical PII type id, `sensitive` (a record flagged for a category of
    /// sensitive personal information, located at the term that flagged it), or
    /// `license`, `copyright_notice`, `all_rights_reserved`, `tdm_opt_out`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The id of the rule that fired.
    pub rule: String,
    /// A PII tag that keeps the occurrence out of the counts (`private`,
    /// `placeholder`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The license found (SPDX id or expression), for license findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// How a license was found (`spdx_tag`, `license_text`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The masked value (PII only), e.g. `138****1706`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masked: Option<String>,
    /// How far the occurrence can be trusted, from what confirmed it: `high` (a check
    /// digit, a numbering plan, an exact license text, tag or metadata field), `medium`
    /// (a context word, a partial license text) or `low` (the shape alone). Absent in
    /// findings written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// For `sensitive` findings, the category (`health`, `minor`, ...). The term itself
    /// is never written; the rule (`sensitive.health.condition`) names its lexicon group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// For `contamination` findings (the benchmark is the `category`, `BENCHMARK#ITEM`
    /// the rule): how many of the record's n-grams the item shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlap: Option<u64>,
}

/// Converts a byte offset in `text` to a character offset.
pub fn char_offset(text: &str, byte: usize) -> u64 {
    text.get(..byte)
        .map(|prefix| prefix.chars().count() as u64)
        .unwrap_or(0)
}

/// Collects each finished file's findings in a batched spill, then writes them in
/// ledger order.
pub struct FindingsSpill {
    spill: super::spill::Spill,
}

impl FindingsSpill {
    /// A spill under `out` (a `.partial` directory, removed when written).
    pub fn new(out: &Path) -> anyhow::Result<Self> {
        Ok(FindingsSpill {
            spill: super::spill::Spill::new(out, ".findings.partial")?,
        })
    }

    /// Stores one file's findings (in record order).
    pub fn put(&self, file_index: usize, findings: &[Finding]) -> anyhow::Result<()> {
        let lines = findings
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<Vec<_>, _>>()?;
        self.put_lines(file_index, &lines)
    }

    /// Stores one file's findings as already serialised lines (from a baseline audit).
    pub fn put_lines(&self, file_index: usize, lines: &[String]) -> anyhow::Result<()> {
        let mut bytes = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for line in lines {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        self.spill.put(file_index, bytes)
    }

    /// Writes the files' findings in file order into `findings.jsonl`; returns the
    /// number of lines.
    pub fn finish(self, out: &Path, _files: usize) -> anyhow::Result<u64> {
        let mut count = 0u64;
        let spill = self.spill;
        super::write_atomic(&out.join(FINDINGS_JSONL), |w| {
            spill.finish(|_, bytes| {
                count += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                w.write_all(bytes)
            })
        })?;
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters() {
        let text = "电话18377631706联系";
        let start = text.find('1').unwrap();
        assert_eq!(start, 6);
        assert_eq!(char_offset(text, start), 2);
        assert_eq!(char_offset(text, text.len()), 15);
        assert_eq!(char_offset(text, 1), 0, "not a char boundary: no panic");
    }

    /// The canonical text is what `Debug` printed when config hashes were taken from
    /// it: earlier audits must keep matching.
    #[test]
    fn the_mode_serialises_as_its_former_debug_text() {
        for mode in [
            FindingsMode::None,
            FindingsMode::Sample(20),
            FindingsMode::Sample(0),
            FindingsMode::All,
        ] {
            let json = serde_json::to_string(&mode).ok();
            assert_eq!(json, Some(format!("\"{mode:?}\"")));
        }
        assert_eq!(FindingsMode::Sample(20).canonical(), "Sample(20)");
    }
}
