//! Loading an audit directory leniently: `summary.json` as a JSON value, `ledger.jsonl`
//! streamed (only the rows a report lists are kept, plus the ledger's Merkle root
//! recomputed from the exact line bytes), `findings.jsonl` streamed for a few masked
//! examples of personal information.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::ledger::merkle;
use serde::Serialize;
use serde_json::Value;

use super::ReportError;

pub const SUMMARY_JSON: &str = "summary.json";
pub const LEDGER_JSONL: &str = "ledger.jsonl";
pub const FINDINGS_JSONL: &str = "findings.jsonl";

/// Rows with problems kept for the report (files with read errors, skipped files);
/// beyond this they are counted, not listed.
pub const MAX_PROBLEM_ROWS: usize = 500;
/// Masked examples kept per PII type and in all.
pub const EXAMPLES_PER_TYPE: usize = 2;
pub const MAX_EXAMPLES: usize = 12;
/// A masked value longer than this is not shown (masks keep a few characters).
const MAX_MASK_CHARS: usize = 48;

/// A parsed audit directory.
#[derive(Debug, Clone)]
pub struct Audit {
    pub dir: PathBuf,
    /// `summary.json` as written by `provaudit scan`.
    pub summary: Value,
    /// Ledger rows that the report lists by name: files with read errors and skipped
    /// files, in ledger order, at most [`MAX_PROBLEM_ROWS`].
    pub problem_rows: Vec<LedgerRow>,
    /// Problem rows beyond [`MAX_PROBLEM_ROWS`], counted only.
    pub problem_rows_omitted: u64,
    /// Rows read from `ledger.jsonl`.
    pub ledger_rows: u64,
    /// Files per stage per source, from the ledger.
    pub source_stages: BTreeMap<String, BTreeMap<String, u64>>,
    /// Files per `stage_basis` (declared / inferred), from the ledger.
    pub stage_basis: BTreeMap<String, u64>,
    /// The Merkle root recomputed over `ledger.jsonl`'s lines (RFC 6962 shape, as the
    /// scanner computes it), hex.
    pub ledger_merkle_root: String,
    /// A few masked PII values from `findings.jsonl`.
    pub examples: Vec<MaskedExample>,
    /// `findings.jsonl` was present.
    pub findings_present: bool,
}

/// The ledger fields a report uses; every field defaults when absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LedgerRow {
    pub path: String,
    pub source: String,
    pub stage: String,
    pub format: String,
    pub modality: String,
    pub status: String,
    pub skip_reason: Option<String>,
    pub bytes: u64,
    pub records: u64,
    pub error_count: u64,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    /// Where the first error is, e.g. `line 2` or `row group 3`.
    pub error_location: Option<String>,
}

/// One masked PII value from `findings.jsonl`: only the type, the file (as in the
/// ledger) and the masked value are kept; nothing else from a finding is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaskedExample {
    pub pii_type: String,
    pub file: String,
    pub masked: String,
}

impl Audit {
    /// Reads `summary.json`, `ledger.jsonl` and (when present) `findings.jsonl` from
    /// `dir`.
    pub fn load(dir: &Path) -> Result<Audit, ReportError> {
        let summary_path = dir.join(SUMMARY_JSON);
        let text = read_required(&summary_path, dir)?;
        let summary: Value =
            serde_json::from_str(&text).map_err(|e| json_error(&summary_path, 0, &e))?;
        if !summary.is_object() {
            return Err(ReportError::NotAnObject { path: summary_path });
        }

        let mut audit = Audit {
            dir: dir.to_path_buf(),
            summary,
            problem_rows: Vec::new(),
            problem_rows_omitted: 0,
            ledger_rows: 0,
            source_stages: BTreeMap::new(),
            stage_basis: BTreeMap::new(),
            ledger_merkle_root: String::new(),
            examples: Vec::new(),
            findings_present: false,
        };
        audit.read_ledger(&dir.join(LEDGER_JSONL))?;
        audit.read_findings(&dir.join(FINDINGS_JSONL))?;
        Ok(audit)
    }

    fn read_ledger(&mut self, path: &Path) -> Result<(), ReportError> {
        let reader = open_required(path, &self.dir)?;
        let mut leaves: Vec<[u8; 32]> = Vec::new();
        for_each_line(path, reader, |number, line| {
            let value: Value =
                serde_json::from_slice(line).map_err(|e| json_error(path, number, &e))?;
            leaves.push(merkle::leaf_hash(line));
            self.ledger_rows += 1;
            let row = LedgerRow::from_value(&value);
            *self
                .source_stages
                .entry(row.source.clone())
                .or_default()
                .entry(row.stage.clone())
                .or_default() += 1;
            let basis = str_at(&value, "stage_basis").unwrap_or_else(|| "unknown".into());
            *self.stage_basis.entry(basis).or_default() += 1;
            if row.error_count > 0 || row.status == "skipped" || row.status == "error" {
                if self.problem_rows.len() < MAX_PROBLEM_ROWS {
                    self.problem_rows.push(row);
                } else {
                    self.problem_rows_omitted += 1;
                }
            }
            Ok(())
        })?;
        self.ledger_merkle_root = merkle::hex(&merkle::root(&leaves));
        Ok(())
    }

    fn read_findings(&mut self, path: &Path) -> Result<(), ReportError> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(ReportError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        self.findings_present = true;
        let mut per_type: BTreeMap<String, usize> = BTreeMap::new();
        for_each_line(path, BufReader::new(file), |number, line| {
            if self.examples.len() >= MAX_EXAMPLES {
                return Ok(());
            }
            let value: Value =
                serde_json::from_slice(line).map_err(|e| json_error(path, number, &e))?;
            let (Some(kind), Some(masked)) = (str_at(&value, "type"), str_at(&value, "masked"))
            else {
                return Ok(());
            };
            // Defence in depth: a value without a mask character, or a long one, is
            // not shown even though the scanner masks everything it writes.
            if !masked.contains('*') || masked.chars().count() > MAX_MASK_CHARS {
                return Ok(());
            }
            let seen = per_type.entry(kind.clone()).or_default();
            if *seen >= EXAMPLES_PER_TYPE {
                return Ok(());
            }
            *seen += 1;
            self.examples.push(MaskedExample {
                pii_type: kind,
                file: str_at(&value, "file").unwrap_or_default(),
                masked,
            });
            Ok(())
        })
    }
}

impl LedgerRow {
    fn from_value(v: &Value) -> LedgerRow {
        let first = v.get("first_error").filter(|e| e.is_object());
        let location = first.and_then(|e| e.get("location")).map(describe_location);
        LedgerRow {
            path: str_at(v, "path").unwrap_or_default(),
            source: str_at(v, "source").unwrap_or_else(|| "unknown".into()),
            stage: str_at(v, "stage").unwrap_or_else(|| "unknown".into()),
            format: str_at(v, "format").unwrap_or_default(),
            modality: str_at(v, "modality").unwrap_or_default(),
            status: str_at(v, "status").unwrap_or_default(),
            skip_reason: str_at(v, "skip_reason"),
            bytes: u64_at(v, "bytes"),
            records: u64_at(v, "records"),
            error_count: u64_at(v, "error_count"),
            error_kind: first.and_then(|e| str_at(e, "kind")),
            error_message: first.and_then(|e| str_at(e, "message")),
            error_location: location.filter(|l| !l.is_empty()),
        }
    }
}

fn describe_location(loc: &Value) -> String {
    let mut parts = Vec::new();
    for (key, label) in [
        ("line", "line"),
        ("row_group", "row group"),
        ("batch", "batch"),
        ("byte_offset", "byte"),
    ] {
        if let Some(n) = loc.get(key).and_then(Value::as_u64) {
            parts.push(format!("{label} {n}"));
        }
    }
    parts.join(", ")
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn u64_at(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

fn read_required(path: &Path, dir: &Path) -> Result<String, ReportError> {
    std::fs::read_to_string(path).map_err(|e| io_error(path, dir, e))
}

fn open_required(path: &Path, dir: &Path) -> Result<BufReader<File>, ReportError> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|e| io_error(path, dir, e))
}

fn io_error(path: &Path, dir: &Path, e: std::io::Error) -> ReportError {
    if e.kind() == std::io::ErrorKind::NotFound {
        ReportError::Missing {
            path: path.to_path_buf(),
            dir: dir.display().to_string(),
        }
    } else {
        ReportError::Read {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// `line` is the 1-based line of a JSON-lines file, or 0 for a whole-file document
/// (the parser's own line is used then).
fn json_error(path: &Path, line: usize, e: &serde_json::Error) -> ReportError {
    ReportError::Json {
        path: path.to_path_buf(),
        line: if line == 0 { e.line() } else { line },
        column: e.column(),
        message: e.to_string(),
    }
}

/// Calls `f` with each non-empty line (without its `\n`) and its 1-based number.
fn for_each_line(
    path: &Path,
    mut reader: impl BufRead,
    mut f: impl FnMut(usize, &[u8]) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let mut buf = Vec::new();
    let mut number = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| ReportError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        if n == 0 {
            return Ok(());
        }
        number += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        f(number, &buf)?;
    }
}
