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
    /// Neither `summary.json` nor `ledger.jsonl` is there: said once for the
    /// directory, not once per file a command would have read.
    #[error(
        "{} is not a provaudit audit directory: {why}; run `provaudit scan DATA -o {}` first",
        dir.display(),
        dir.display()
    )]
    NotAnAudit {
        /// The directory given.
        dir: PathBuf,
        /// What is missing.
        why: &'static str,
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
    /// The file was written by a newer provaudit whose layout this one would misread.
    #[error(
        "{}{}: written with audit schema version {found}, newer than the {supported} this provaudit reads; upgrade provaudit to read this audit",
        path.display(),
        line_suffix(*line)
    )]
    Newer {
        /// The file.
        path: PathBuf,
        /// 1-based line, for line-oriented files.
        line: Option<usize>,
        /// The version the file records, as written.
        found: String,
        /// [`crate::ledger::SCHEMA_VERSION`].
        supported: u32,
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

    /// Refuses a file whose recorded `schema_version` is above this version's (or not
    /// a version number at all, which only a later layout could write). An absent one
    /// is an audit from before versions were recorded, which this version reads.
    pub fn refuse_newer(
        path: &Path,
        line: Option<usize>,
        version: Option<&serde_json::Value>,
    ) -> Result<(), AuditError> {
        let supported = crate::ledger::SCHEMA_VERSION;
        match version {
            None | Some(serde_json::Value::Null) => Ok(()),
            Some(v) if v.as_u64().is_some_and(|v| v <= u64::from(supported)) => Ok(()),
            Some(v) => Err(AuditError::Newer {
                path: path.to_path_buf(),
                line,
                found: v.to_string(),
                supported,
            }),
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
