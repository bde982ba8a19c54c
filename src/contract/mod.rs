//! The audit directory: the one typed contract between the scan that writes an audit
//! and every verb that reads one (`report`, `verify`, `prove`, `diff`, policies,
//! `--baseline`, `--resume`, `merge`).
//!
//! An audit directory holds `summary.json`, `ledger.jsonl` (+ `ledger.parquet`),
//! `findings.jsonl`, `fingerprints.bin` and the disclosure files. Their row and summary
//! types are [`LedgerRow`], [`Summary`] and [`Finding`]: the same types the scan
//! serialises, read back leniently (absent fields default, unknown fields are
//! ignored), so audits written by older and newer provaudit versions still open.
//! Readers go through [`AuditDir`], never through file names or JSON paths of their
//! own, so a change to the layout is a change here.

mod dir;
mod error;

pub use crate::ledger::findings::Finding;
pub use crate::ledger::row::{LedgerRow, StageBasis, Status};
pub use crate::ledger::summary::Summary;
pub use dir::{AuditDir, Incompatible, LedgerLine, refuse_overlap};
pub use error::AuditError;

/// `summary.json`: written last, so its presence marks a finished audit.
pub const SUMMARY_JSON: &str = "summary.json";
/// `ledger.jsonl`: one row per discovered file; the Merkle leaves are its lines.
pub const LEDGER_JSONL: &str = "ledger.jsonl";
/// `ledger.parquet`: the same rows, for DuckDB, Spark and pandas.
pub const LEDGER_PARQUET: &str = "ledger.parquet";
/// `findings.jsonl`: one masked occurrence per line.
pub const FINDINGS_JSONL: &str = "findings.jsonl";
/// `fingerprints.bin`: each file's distinct record fingerprints (baseline, merge).
pub const FINGERPRINTS_BIN: &str = "fingerprints.bin";

/// The outputs whose SHA-256 `summary.json` records (`outputs`), all written before it.
pub const HASHED_OUTPUTS: [&str; 4] = [
    LEDGER_JSONL,
    LEDGER_PARQUET,
    FINDINGS_JSONL,
    FINGERPRINTS_BIN,
];
