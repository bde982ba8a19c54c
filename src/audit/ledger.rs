//! Reading an audit directory leniently.
//!
//! main's own row and summary types are not used: verify, diff and policy must keep
//! working on audits written by other provaudit versions, so only the columns these
//! modules need are read, every one defaulted, and unknown columns ignored.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::AuditError;

pub const SUMMARY_JSON: &str = "summary.json";
pub const LEDGER_JSONL: &str = "ledger.jsonl";
pub const LEDGER_PARQUET: &str = "ledger.parquet";
pub const FINDINGS_JSONL: &str = "findings.jsonl";

/// The columns of a ledger row that checks, diffs and policies read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Row {
    pub path: String,
    pub root: String,
    pub source: String,
    pub stage: Option<String>,
    pub bytes: u64,
    pub sha256: Option<String>,
    pub status: String,
    pub error_count: u64,
    pub records: u64,
    pub duplicates: Duplicates,
    pub pii: Pii,
    pub license: License,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Duplicates {
    pub within_scan: u64,
    pub normalized_within_scan: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pii {
    /// Occurrences per canonical PII type.
    pub counts: BTreeMap<String, u64>,
    pub records_with_pii: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct License {
    /// `None` (an older ledger, or a null) reads as `unknown`: a missing category must
    /// never pass a license gate.
    pub category: Option<String>,
}

impl Row {
    /// `root/path`: unique across a multi-root audit, and what users type.
    pub fn full_path(&self) -> String {
        join(&self.root, &self.path)
    }

    /// The stage policies group by: rows with no stage belong to `unknown`.
    pub fn stage_or_unknown(&self) -> &str {
        self.stage.as_deref().unwrap_or("unknown")
    }

    pub fn category(&self) -> &str {
        self.license.category.as_deref().unwrap_or("unknown")
    }
}

pub(crate) fn join(root: &str, path: &str) -> String {
    if root.is_empty() {
        path.to_string()
    } else {
        format!("{}/{path}", root.trim_end_matches('/'))
    }
}

/// One ledger line: its exact text (the Merkle leaf), all its columns and the lenient view.
#[derive(Debug, Clone)]
pub struct Entry {
    pub line: String,
    pub columns: Map<String, Value>,
    pub row: Row,
}

/// Calls `each(index, line)` for every line of `ledger.jsonl`, without its newline, in
/// bounded memory: a data-lake ledger can be far larger than what verify needs to hold.
pub fn for_each_line(
    dir: &Path,
    mut each: impl FnMut(usize, &[u8]) -> Result<(), AuditError>,
) -> Result<usize, AuditError> {
    let path = dir.join(LEDGER_JSONL);
    let file = File::open(&path).map_err(|e| AuditError::read(&path, e))?;
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    let mut index = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| AuditError::read(&path, e))?;
        if n == 0 {
            return Ok(index);
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        each(index, &buf)?;
        index += 1;
    }
}

/// Parses one ledger line; `index` is 0-based, messages say the 1-based line.
pub fn parse_entry(dir: &Path, index: usize, line: &[u8]) -> Result<Entry, AuditError> {
    let path = dir.join(LEDGER_JSONL);
    let bad = |detail: String| AuditError::malformed(&path, Some(index + 1), detail);
    let text = std::str::from_utf8(line).map_err(|e| bad(format!("not UTF-8 ({e})")))?;
    let value: Value = serde_json::from_str(text).map_err(|e| bad(format!("not JSON ({e})")))?;
    let row = Row::deserialize(&value).map_err(|e| bad(format!("not a ledger row ({e})")))?;
    let Value::Object(columns) = value else {
        return Err(bad("not a JSON object".to_string()));
    };
    Ok(Entry {
        line: text.to_string(),
        columns,
        row,
    })
}

pub fn read_entries(dir: &Path) -> Result<Vec<Entry>, AuditError> {
    let mut entries = Vec::new();
    for_each_line(dir, |i, line| {
        entries.push(parse_entry(dir, i, line)?);
        Ok(())
    })?;
    Ok(entries)
}

pub fn read_rows(dir: &Path) -> Result<Vec<Row>, AuditError> {
    Ok(read_entries(dir)?.into_iter().map(|e| e.row).collect())
}

/// The parts of `summary.json` that tie it to its ledger and outputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryInfo {
    pub audit_id: Option<String>,
    pub rules_hash: Option<String>,
    pub config_hash: Option<String>,
    pub ledger: LedgerInfo,
    /// Output file → SHA-256 hex, for audits that record it.
    pub outputs: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LedgerInfo {
    pub rows: Option<u64>,
    pub merkle_root: Option<String>,
}

pub fn read_summary(dir: &Path) -> Result<SummaryInfo, AuditError> {
    read_summary_file(&dir.join(SUMMARY_JSON))
}

pub fn read_summary_file(path: &Path) -> Result<SummaryInfo, AuditError> {
    let text = std::fs::read_to_string(path).map_err(|e| AuditError::read(path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| AuditError::malformed(path, None, format!("not an audit summary ({e})")))
}

#[cfg(test)]
mod tests {
    use super::super::testdata;
    use super::*;

    #[test]
    fn reads_rows_of_a_real_audit() {
        let rows = read_rows(&testdata::old()).unwrap();
        assert_eq!(rows.len(), 15);
        let support = rows.iter().find(|r| r.path == "sft/support.jsonl").unwrap();
        assert_eq!(support.pii.records_with_pii, 2);
        assert_eq!(support.category(), "permissive");
        assert_eq!(support.full_path(), "data/sft/support.jsonl");
    }

    #[test]
    fn a_bad_line_names_file_and_line() {
        let dir = testdata::scratch();
        std::fs::write(
            dir.path().join(LEDGER_JSONL),
            "{\"path\":\"a\"}\nnot json\n",
        )
        .unwrap();
        let err = read_rows(dir.path()).unwrap_err().to_string();
        assert!(err.contains("ledger.jsonl:2"), "{err}");
        assert!(err.contains("re-run `provaudit scan`"), "{err}");
    }

    #[test]
    fn a_missing_file_says_what_to_check() {
        let dir = testdata::scratch();
        let err = read_summary(dir.path()).unwrap_err().to_string();
        assert!(err.contains("summary.json"), "{err}");
        assert!(err.contains("provaudit scan"), "{err}");
    }
}
