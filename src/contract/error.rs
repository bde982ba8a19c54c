//! Errors from reading an audit directory.
//!
//! Every message names the file (and line, where there is one) and says what to do, so
//! a scheduled job's log is enough to act on without re-running anything.

use std::path::{Path, PathBuf};

/// Why an audit directory (or one of its files) cannot be used; each message names
/// the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The file is not there: most often the directory is not an audit (yet).
    #[error(
        "{}: not found; run `provaudit scan <DATA> --out {}` first",
        path.display(),
        path.parent().map(|p| p.display().to_string()).unwrap_or_default()
    )]
    Missing {
        /// The file that should be there.
        path: PathBuf,
    },
    #[error(
        "cannot read {}: {source}; check that the directory holds an audit written by `provaudit scan`",
        path.display()
    )]
    /// The file exists but could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file was read but does not hold what an audit writes there.
    #[error("{}{}: {detail}; re-run `provaudit scan` to rewrite it", path.display(), line_suffix(*line))]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based, as editors count.
        line: Option<usize>,
        /// What is wrong with it, without quoting row values.
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
    /// `Missing` when the file is not there, else `Read`.
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

    /// A `Malformed` error at `path` (and its 1-based `line`, when there is one).
    pub fn malformed(path: &Path, line: Option<usize>, detail: impl Into<String>) -> Self {
        AuditError::Malformed {
            path: path.to_path_buf(),
            line,
            detail: detail.into(),
        }
    }
}
