//! What a report needs from an audit directory, read once through [`AuditDir`]:
//! the typed summary, the ledger streamed (only the rows a report lists are kept, plus
//! the Merkle root recomputed from the exact line bytes), and a few masked examples of
//! personal information from the findings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ReportError;
use crate::contract::{AuditDir, LedgerRow, StageBasis, Status, Summary};
use crate::discover::manifest::Stage;
use crate::ledger::merkle;

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
    /// The audit directory the report is about.
    pub dir: PathBuf,
    /// `summary.json` as written by `provaudit scan`.
    pub summary: Summary,
    /// Ledger rows that the report lists by name: files with read errors and skipped
    /// files, in ledger order, at most `MAX_PROBLEM_ROWS` (500).
    pub problem_rows: Vec<LedgerRow>,
    /// Problem rows beyond `MAX_PROBLEM_ROWS` (500), counted only.
    pub problem_rows_omitted: u64,
    /// Rows read from `ledger.jsonl`.
    pub ledger_rows: u64,
    /// Files per stage per source, from the ledger.
    pub source_stages: BTreeMap<String, BTreeMap<Stage, u64>>,
    /// Files per `stage_basis` (declared / inferred), from the ledger.
    pub stage_basis: BTreeMap<StageBasis, u64>,
    /// The Merkle root recomputed over `ledger.jsonl`'s lines (RFC 6962 shape, as the
    /// scanner computes it), hex.
    pub ledger_merkle_root: String,
    /// A few masked PII values from `findings.jsonl`.
    pub examples: Vec<MaskedExample>,
    /// `findings.jsonl` was present.
    pub findings_present: bool,
}

/// One masked PII value from `findings.jsonl`: only the type, the file (as in the
/// ledger) and the masked value are kept; nothing else from a finding is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaskedExample {
    /// The PII type's canonical identifier.
    pub pii_type: String,
    /// The file, as in the ledger.
    pub file: String,
    /// The masked value (e.g. `139****5678`); never the raw value.
    pub masked: String,
}

impl Audit {
    /// Reads `summary.json`, `ledger.jsonl` and (when present) `findings.jsonl` from
    /// `dir`.
    pub fn load(dir: &Path) -> Result<Audit, ReportError> {
        Self::with_summary(dir, AuditDir::new(dir).summary()?)
    }

    /// The audit in `dir` with `summary` in place of its `summary.json`: for the scan,
    /// which renders the disclosure before it writes the summary that hashes it.
    pub fn with_summary(dir: &Path, summary: Summary) -> Result<Audit, ReportError> {
        let audit_dir = AuditDir::new(dir);
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
        audit.read_ledger(&audit_dir)?;
        audit.read_findings(&audit_dir)?;
        Ok(audit)
    }

    fn read_ledger(&mut self, dir: &AuditDir) -> Result<(), ReportError> {
        // Leaf by leaf: ten million rows' leaves would be 320 MB.
        let mut root = merkle::RootBuilder::default();
        dir.for_each_row(|line| {
            root.push(line.leaf());
            self.add_row(line.row);
            Ok(())
        })?;
        self.ledger_merkle_root = crate::bytesource::hex(&root.root());
        Ok(())
    }

    fn add_row(&mut self, row: LedgerRow) {
        self.ledger_rows += 1;
        *self
            .source_stages
            .entry(row.source.clone())
            .or_default()
            .entry(row.stage_or_unknown())
            .or_default() += 1;
        *self.stage_basis.entry(row.stage_basis.clone()).or_default() += 1;
        if row.error_count > 0 || matches!(row.status, Status::Skipped | Status::Error) {
            if self.problem_rows.len() < MAX_PROBLEM_ROWS {
                self.problem_rows.push(row);
            } else {
                self.problem_rows_omitted += 1;
            }
        }
    }

    fn read_findings(&mut self, dir: &AuditDir) -> Result<(), ReportError> {
        let mut per_type: BTreeMap<String, usize> = BTreeMap::new();
        let examples = &mut self.examples;
        self.findings_present = dir.for_each_finding(|_, _, finding| {
            if examples.len() >= MAX_EXAMPLES {
                return Ok(false);
            }
            let Some(masked) = finding.masked else {
                return Ok(true);
            };
            // Defence in depth: a value without a mask character, or a long one, is
            // not shown even though the scanner masks everything it writes.
            if !masked.contains('*') || masked.chars().count() > MAX_MASK_CHARS {
                return Ok(true);
            }
            let seen = per_type.entry(finding.kind.clone()).or_default();
            if *seen < EXAMPLES_PER_TYPE {
                *seen += 1;
                examples.push(MaskedExample {
                    pii_type: finding.kind,
                    file: finding.file,
                    masked,
                });
            }
            Ok(true)
        })?;
        Ok(())
    }
}
