//! What a report needs from an audit directory, read once through [`AuditDir`]:
//! the typed summary, the ledger streamed (only the rows a report lists are kept, plus
//! the Merkle root recomputed from the exact line bytes), and a few masked examples of
//! personal information from the findings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::ReportError;
use crate::contract::{AuditDir, LedgerRow, StageBasis, Status, Summary};
use crate::discover::manifest::Stage;
use crate::ledger::merkle;

/// Rows with problems kept for the report (files with read errors, skipped files);
/// beyond this they are counted, not listed.
pub const MAX_PROBLEM_ROWS: usize = 500;

/// Files the Croissant export lists one by one (a `FileObject` each, with its
/// SHA-256); beyond this the export points to `ledger.jsonl`, which lists them all,
/// so the report's memory stays bounded however many files were scanned.
pub const MAX_LISTED_FILES: usize = 10_000;

/// One file as the Croissant export lists it, from its ledger row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    /// The path as in the ledger.
    pub path: String,
    /// The source id.
    pub source: String,
    /// The ledger's format id (`jsonl`, `parquet`, ...).
    pub format: String,
    /// Bytes as stored.
    pub bytes: u64,
    /// Hex SHA-256, when the file could be hashed.
    pub sha256: Option<String>,
}
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
    /// Files per stage per `stage_basis`, from the ledger: the overview marks how much
    /// of each stage was inferred rather than declared.
    pub stage_bases: BTreeMap<Stage, BTreeMap<StageBasis, u64>>,
    /// Per source, hex SHA-256 over its files' `sha256` values in ledger order (see
    /// [`add_file_digest`]): one value that pins every file of the source, for the
    /// SPDX export's `verifiedUsing`, recomputable from `ledger.jsonl`.
    pub source_files_sha256: BTreeMap<String, String>,
    /// Per source, the newest `modified` time of its files (RFC 3339 UTC as the ledger
    /// writes it): when the data as audited was last written, SPDX's `builtTime`.
    pub source_latest_modified: BTreeMap<String, String>,
    /// The first [`MAX_LISTED_FILES`] files in ledger order.
    pub listed_files: Vec<ListedFile>,
    /// Files beyond [`MAX_LISTED_FILES`], counted only.
    pub listed_files_omitted: u64,
    /// The Merkle root recomputed over `ledger.jsonl`'s lines (RFC 6962 shape, as the
    /// scanner computes it), hex.
    pub ledger_merkle_root: String,
    /// A few masked PII values from `findings.jsonl`.
    pub examples: Vec<MaskedExample>,
    /// `findings.jsonl` was present.
    pub findings_present: bool,
    /// The audit-level declaration (`provaudit.toml`: provider, model), when the
    /// caller read one (`report --provider FILE`); the filing checklists quote it.
    pub provider: Option<crate::discover::provider::ProviderDecl>,
    /// The manual sampled review recorded by `provaudit review` (`review.json`), when
    /// it is of this ledger (its Merkle root): a review left from an earlier scan into
    /// the same directory is not this audit's.
    pub review: Option<crate::review::ReviewRecord>,
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

/// What a report takes from the ledger rows, added up one row at a time (see
/// [`Audit`]'s fields of the same names).
#[derive(Debug, Clone, Default)]
pub struct LedgerDigest {
    problem_rows: Vec<LedgerRow>,
    problem_rows_omitted: u64,
    ledger_rows: u64,
    source_stages: BTreeMap<String, BTreeMap<Stage, u64>>,
    stage_basis: BTreeMap<StageBasis, u64>,
    stage_bases: BTreeMap<Stage, BTreeMap<StageBasis, u64>>,
    source_files: BTreeMap<String, Sha256>,
    source_modified: BTreeMap<String, String>,
    listed_files: Vec<ListedFile>,
    listed_files_omitted: u64,
}

/// What one file adds to its source's [`Audit::source_files_sha256`]: its hex
/// `sha256` (`-` when the file could not be hashed) and a newline, so the value is
/// `sha256sum` of those lines in ledger order.
pub fn add_file_digest(hasher: &mut Sha256, row: &LedgerRow) {
    hasher.update(row.sha256.as_deref().unwrap_or("-").as_bytes());
    hasher.update(b"\n");
}

impl LedgerDigest {
    /// Adds the next row in ledger order.
    pub fn add(&mut self, row: &LedgerRow) {
        self.ledger_rows += 1;
        *self
            .source_stages
            .entry(row.source.clone())
            .or_default()
            .entry(row.stage_or_unknown())
            .or_default() += 1;
        *self.stage_basis.entry(row.stage_basis.clone()).or_default() += 1;
        add_file_digest(
            self.source_files.entry(row.source.clone()).or_default(),
            row,
        );
        if let Some(modified) = &row.modified {
            // RFC 3339 UTC times of one shape compare as text.
            match self.source_modified.get_mut(&row.source) {
                Some(latest) if *latest >= *modified => {}
                Some(latest) => latest.clone_from(modified),
                None => {
                    self.source_modified
                        .insert(row.source.clone(), modified.clone());
                }
            }
        }
        if self.listed_files.len() < MAX_LISTED_FILES {
            self.listed_files.push(ListedFile {
                path: row.path.clone(),
                source: row.source.clone(),
                format: row.format.as_str().to_string(),
                bytes: row.bytes,
                sha256: row.sha256.clone(),
            });
        } else {
            self.listed_files_omitted += 1;
        }
        *self
            .stage_bases
            .entry(row.stage_or_unknown())
            .or_default()
            .entry(row.stage_basis.clone())
            .or_default() += 1;
        if row.error_count > 0 || matches!(row.status, Status::Skipped | Status::Error) {
            if self.problem_rows.len() < MAX_PROBLEM_ROWS {
                self.problem_rows.push(row.clone());
            } else {
                self.problem_rows_omitted += 1;
            }
        }
    }
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
        // Leaf by leaf: ten million rows' leaves would be 320 MB.
        let mut root = merkle::RootBuilder::default();
        let mut digest = LedgerDigest::default();
        audit_dir.for_each_row(|line| {
            root.push(line.leaf());
            digest.add(&line.row);
            Ok(())
        })?;
        let root = crate::bytesource::hex(&root.root());
        Self::with_digest(dir, summary, digest, root)
    }

    /// The audit in `dir` with `summary`, and the ledger's figures already added up
    /// (`digest`, `merkle_root`) by the scan that streamed its rows: a scan's disclosure
    /// then does not read back and parse the ledger it has just written (about a tenth
    /// of the CPU of a scan of small files).
    pub fn with_digest(
        dir: &Path,
        summary: Summary,
        digest: LedgerDigest,
        merkle_root: String,
    ) -> Result<Audit, ReportError> {
        let mut audit = Audit {
            dir: dir.to_path_buf(),
            summary,
            problem_rows: digest.problem_rows,
            problem_rows_omitted: digest.problem_rows_omitted,
            ledger_rows: digest.ledger_rows,
            source_stages: digest.source_stages,
            stage_basis: digest.stage_basis,
            stage_bases: digest.stage_bases,
            source_files_sha256: digest
                .source_files
                .into_iter()
                .map(|(source, hasher)| (source, crate::bytesource::hex(&hasher.finalize())))
                .collect(),
            source_latest_modified: digest.source_modified,
            listed_files: digest.listed_files,
            listed_files_omitted: digest.listed_files_omitted,
            ledger_merkle_root: merkle_root,
            examples: Vec::new(),
            findings_present: false,
            provider: None,
            review: None,
        };
        audit.read_findings(&AuditDir::new(dir))?;
        audit.review = crate::review::verdicts::load(dir)?.filter(|r| {
            r.merkle_root
                .eq_ignore_ascii_case(&audit.ledger_merkle_root)
        });
        Ok(audit)
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
