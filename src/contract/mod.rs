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
pub use crate::ledger::{
    FINDINGS_JSONL, FINGERPRINTS_BIN, HASHED_OUTPUTS, LEDGER_JSONL, LEDGER_PARQUET, SUMMARY_JSON,
};
pub use dir::{
    AuditDir, Incompatible, LedgerLine, parse_finding, refuse_overlap, refuse_url_output,
};
pub use error::AuditError;
