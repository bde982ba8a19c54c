//! Errors from reading an audit directory.
//!
//! Every message names the file (and line, where there is one) and says what to do, so
//! a scheduled job's log is enough to act on without re-running anything.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The file is not there: most often the directory is not an audit (yet).
    #[error(
        "{}: not found; run `provaudit scan <DATA> --out {}` first",
        path.display(),
        path.parent().map(|p| p.display().to_string()).unwrap_or_default()
    )]
    Missing { path: PathBuf },
    #[error(
        "cannot read {}: {source}; check that the directory holds an audit written by `provaudit scan`",
        path.display()
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}{}: {detail}; re-run `provaudit scan` to rewrite it", path.display(), line_suffix(*line))]
    Malformed {
        path: PathBuf,
        /// 1-based, as editors count.
        line: Option<usize>,
        detail: String,
    },
    /// A path to prove is absent or ambiguous; the message lists candidates.
    #[error("{}", .0)]
    Lookup(String),
    /// `ledger.jsonl` and `summary.json` disagree, so nothing can be proved from them.
    #[error("{}", .0)]
    Inconsistent(String),
}

fn line_suffix(line: Option<usize>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

impl AuditError {
    pub fn read(path: &Path, source: std::io::Error) -> AuditError {
        match source.kind() {
            std::io::ErrorKind::NotFound => AuditError::Missing {
                path: path.to_path_buf(),
            },
            _ => AuditError::Read {
                path: path.to_path_buf(),
                source,
            },
        }
    }

    pub fn malformed(path: &Path, line: Option<usize>, detail: impl Into<String>) -> Self {
        AuditError::Malformed {
            path: path.to_path_buf(),
            line,
            detail: detail.into(),
        }
    }
}
