//! [`AuditDir`]: opening an audit directory and reading what it holds.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::{
    AuditError, FINDINGS_JSONL, FINGERPRINTS_BIN, Finding, LEDGER_JSONL, LedgerRow, SUMMARY_JSON,
    Summary,
};
use crate::ledger::merkle;

/// An audit directory written by `provaudit scan` or `provaudit merge`.
///
/// Opening does no I/O: each reader says which file failed and what to do, so a
/// scheduled job's log is enough to act on. Ledgers and findings are streamed, since a
/// data lake's ledger can be far larger than what any one check needs to hold.
#[derive(Debug, Clone)]
pub struct AuditDir {
    path: PathBuf,
}

/// One `ledger.jsonl` line: its exact text (the Merkle leaf) and its row.
#[derive(Debug, Clone)]
pub struct LedgerLine {
    /// 0-based position in the ledger (messages say the 1-based line).
    pub index: usize,
    /// The line as written, without its newline.
    pub text: String,
    /// The line parsed.
    pub row: LedgerRow,
}

impl LedgerLine {
    /// The RFC 6962 leaf hash of the line, as the scan computed it.
    pub fn leaf(&self) -> merkle::Hash {
        merkle::leaf_hash(self.text.as_bytes())
    }
}

/// Why an existing audit cannot stand in for a new one: its figures were computed under
/// other rules or options, so reusing them would mix two methods in one audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Incompatible {
    /// The rules hash differs: detectors would have found other things.
    #[error("it was made with other rules or another provaudit version")]
    Rules,
    /// The options hash differs: figures would have been counted differently.
    #[error("it was made with other options")]
    Options,
}

impl Summary {
    /// Whether this audit's figures were computed with the given rules and options:
    /// the one test `--baseline`, `--resume` and `merge` apply before reusing anything.
    pub fn check_made_with(&self, rules_hash: &str, config_hash: &str) -> Result<(), Incompatible> {
        if self.rules_hash != rules_hash {
            Err(Incompatible::Rules)
        } else if self.config_hash != config_hash {
            Err(Incompatible::Options)
        } else {
            Ok(())
        }
    }

    /// Parses `summary.json` text; `path` names the file in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Summary, AuditError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| AuditError::malformed(path, Some(e.line()), format!("not JSON ({e})")))?;
        if !value.is_object() {
            return Err(AuditError::malformed(
                path,
                None,
                "expected a JSON object at the top level; is this a provaudit audit directory?",
            ));
        }
        AuditError::refuse_newer(path, None, value.get("schema_version"))?;
        serde_json::from_value(value)
            .map_err(|e| AuditError::malformed(path, None, format!("not an audit summary ({e})")))
    }
}

impl AuditDir {
    /// The audit directory at `path`; nothing is read until asked.
    pub fn new(path: impl Into<PathBuf>) -> AuditDir {
        AuditDir { path: path.into() }
    }

    /// The directory, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path of one of the directory's files (a name from [`super`]).
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Refuses a directory that holds no audit at all (no `summary.json` and no
    /// `ledger.jsonl`) with one message saying how to make one, before any reader
    /// fails on its own file.
    pub fn require(&self) -> Result<(), AuditError> {
        let why = if !self.path.is_dir() {
            "no such directory"
        } else if self.file(SUMMARY_JSON).exists() || self.file(LEDGER_JSONL).exists() {
            return Ok(());
        } else {
            "no summary.json/ledger.jsonl"
        };
        Err(AuditError::NotAnAudit {
            dir: self.path.clone(),
            why,
        })
    }

    /// Whether `summary.json` exists: the scan writes it last, so only a finished
    /// audit has one.
    pub fn is_finished(&self) -> bool {
        self.file(SUMMARY_JSON).is_file()
    }

    /// `summary.json` as written, e.g. to print it again for `--json`.
    pub fn summary_text(&self) -> Result<String, AuditError> {
        let path = self.file(SUMMARY_JSON);
        std::fs::read_to_string(&path).map_err(|e| AuditError::read(&path, e))
    }

    /// `summary.json`, typed.
    pub fn summary(&self) -> Result<Summary, AuditError> {
        Summary::parse(&self.file(SUMMARY_JSON), &self.summary_text()?)
    }

    /// Calls `each(index, line)` for every line of `ledger.jsonl`, without its newline,
    /// in bounded memory. Returns the number of lines.
    pub fn for_each_line(
        &self,
        mut each: impl FnMut(usize, &[u8]) -> Result<(), AuditError>,
    ) -> Result<usize, AuditError> {
        let path = self.file(LEDGER_JSONL);
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

    /// Parses one ledger line; `index` is 0-based.
    pub fn parse_line(&self, index: usize, line: &[u8]) -> Result<LedgerLine, AuditError> {
        let path = self.file(LEDGER_JSONL);
        let bad = |detail: String| AuditError::malformed(&path, Some(index + 1), detail);
        let text = std::str::from_utf8(line).map_err(|e| bad(format!("not UTF-8 ({e})")))?;
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not JSON ({e})")))?;
        if !value.is_object() {
            return Err(bad("not a JSON object".to_string()));
        }
        let row =
            serde_json::from_value(value).map_err(|e| bad(format!("not a ledger row ({e})")))?;
        Ok(LedgerLine {
            index,
            text: text.to_string(),
            row,
        })
    }

    /// Calls `each` with every ledger line and its row, streamed.
    pub fn for_each_row(
        &self,
        mut each: impl FnMut(LedgerLine) -> Result<(), AuditError>,
    ) -> Result<usize, AuditError> {
        self.for_each_line(|index, line| each(self.parse_line(index, line)?))
    }

    /// Every ledger line, in ledger order.
    pub fn lines(&self) -> Result<Vec<LedgerLine>, AuditError> {
        let mut lines = Vec::new();
        self.for_each_row(|line| {
            lines.push(line);
            Ok(())
        })?;
        Ok(lines)
    }

    /// Every ledger row, in ledger order.
    pub fn rows(&self) -> Result<Vec<LedgerRow>, AuditError> {
        Ok(self.lines()?.into_iter().map(|l| l.row).collect())
    }

    /// The Merkle leaves of `ledger.jsonl`, in order.
    pub fn leaves(&self) -> Result<Vec<merkle::Hash>, AuditError> {
        let mut leaves = Vec::new();
        self.for_each_line(|_, line| {
            leaves.push(merkle::leaf_hash(line));
            Ok(())
        })?;
        Ok(leaves)
    }

    /// Calls `each(line number, line, finding)` for every line of `findings.jsonl`,
    /// streamed; the line is passed as written so it can be carried into another audit
    /// byte for byte. `each` returns `false` to stop early. Returns whether the file
    /// exists: an audit written with `--findings none`, or an older one, has none.
    pub fn for_each_finding(
        &self,
        mut each: impl FnMut(usize, &str, Finding) -> Result<bool, AuditError>,
    ) -> Result<bool, AuditError> {
        let path = self.file(FINDINGS_JSONL);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(AuditError::read(&path, e)),
        };
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| AuditError::read(&path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let finding = parse_finding(&path, i + 1, &line)?;
            if !each(i + 1, &line, finding)? {
                break;
            }
        }
        Ok(true)
    }

    /// `fingerprints.bin`'s path (read by [`crate::ledger::fingerprints`]).
    pub fn fingerprints(&self) -> PathBuf {
        self.file(FINGERPRINTS_BIN)
    }
}

/// One `findings.jsonl` line, refused when a newer provaudit wrote it. The version is
/// looked at apart only when the line does not parse: a newer layout may have changed
/// a field's type, and the message must then say to upgrade, not that the file is bad.
pub fn parse_finding(path: &Path, line: usize, text: &str) -> Result<Finding, AuditError> {
    match serde_json::from_str::<Finding>(text) {
        Ok(finding) => {
            let version = finding.schema_version.map(serde_json::Value::from);
            AuditError::refuse_newer(path, Some(line), version.as_ref())?;
            Ok(finding)
        }
        Err(e) => {
            #[derive(serde::Deserialize)]
            struct Version {
                schema_version: Option<serde_json::Value>,
            }
            if let Ok(Version { schema_version }) = serde_json::from_str(text) {
                AuditError::refuse_newer(path, Some(line), schema_version.as_ref())?;
            }
            Err(AuditError::malformed(
                path,
                Some(line),
                format!("not a finding ({e})"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_made_with_other_rules_or_options_is_named_so() {
        let summary = Summary {
            rules_hash: "r".into(),
            config_hash: "c".into(),
            ..Summary::default()
        };
        assert_eq!(summary.check_made_with("r", "c"), Ok(()));
        assert_eq!(summary.check_made_with("x", "c"), Err(Incompatible::Rules));
        assert_eq!(
            summary.check_made_with("r", "x"),
            Err(Incompatible::Options)
        );
    }

    #[test]
    fn an_empty_object_reads_as_a_default_summary_and_a_list_does_not() {
        let path = Path::new("summary.json");
        let summary = Summary::parse(path, "{\"unknown_key\": 1}").unwrap();
        assert_eq!(summary.ledger.rows, 0);
        let err = Summary::parse(path, "[]").unwrap_err().to_string();
        assert!(err.contains("JSON object"), "{err}");
        let err = Summary::parse(path, "{\n\"a\":").unwrap_err().to_string();
        assert!(err.contains("summary.json:2"), "{err}");
    }
}

#[cfg(test)]
mod audit_tests {
    use super::*;
    use crate::audit::testdata;

    #[test]
    fn reads_rows_of_a_real_audit() {
        let rows = AuditDir::new(testdata::old()).rows().unwrap();
        assert_eq!(rows.len(), 15);
        let support = rows.iter().find(|r| r.path == "sft/support.jsonl").unwrap();
        assert_eq!(support.pii.records_with_pii, 2);
        assert_eq!(
            support.category(),
            crate::analyze::license::Category::Permissive
        );
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
        let err = AuditDir::new(dir.path()).rows().unwrap_err().to_string();
        assert!(err.contains("ledger.jsonl:2"), "{err}");
        assert!(err.contains("re-run `provaudit scan`"), "{err}");
    }

    #[test]
    fn a_missing_file_says_what_to_check() {
        let dir = testdata::scratch();
        let err = AuditDir::new(dir.path()).summary().unwrap_err().to_string();
        assert!(err.contains("summary.json"), "{err}");
        assert!(err.contains("provaudit scan"), "{err}");
    }

    #[test]
    fn audits_of_both_test_versions_read_typed() {
        for dir in [testdata::old(), testdata::new()] {
            let audit = AuditDir::new(dir);
            let summary = audit.summary().unwrap();
            assert_eq!(summary.ledger.rows, audit.rows().unwrap().len() as u64);
            assert!(!summary.per_source.is_empty());
            let mut findings = 0;
            assert!(
                audit
                    .for_each_finding(|_, _, _| {
                        findings += 1;
                        Ok(true)
                    })
                    .unwrap()
            );
            assert!(findings > 0);
        }
    }
}

/// Refuses an output directory that would overwrite what it audits: `out` equal to or
/// above a local root (the scan would delete the user's own `summary.json` or
/// `disclosure.md` there, and list its own outputs), or equal to an input audit
/// (`merge -o SHARD` would overwrite the shard it reads). Object-store roots cannot
/// overlap a local directory.
pub fn refuse_overlap(out: &Path, roots: &[PathBuf], above_too: bool) -> Result<(), String> {
    let out_abs = resolved(out);
    for root in roots {
        if crate::remote::is_remote(&root.to_string_lossy()) {
            continue;
        }
        let root_abs = resolved(root);
        let overlaps = if above_too {
            root_abs.starts_with(&out_abs)
        } else {
            root_abs == out_abs
        };
        if overlaps {
            return Err(format!(
                "the output directory {} {} {}, which it reads; choose an --out outside it",
                out.display(),
                if root_abs == out_abs {
                    "is"
                } else {
                    "contains"
                },
                root.display()
            ));
        }
    }
    Ok(())
}

/// Refuses an output that names an object store or any other URL (`s3://bucket/x`):
/// taken as a local path it would quietly create a folder named `s3:` and report
/// success. Audits are written to a local directory, to be copied where they belong.
pub fn refuse_url_output(out: &Path) -> Result<(), String> {
    let text = out.to_string_lossy();
    let url_like = text.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if crate::remote::is_remote(&text) || url_like {
        return Err(format!(
            "the output {text} is a URL that an audit cannot be written to; give a local \
             folder, or on the command line an object-store prefix (s3://, gs://, az://, \
             abfs://), which is written locally and uploaded"
        ));
    }
    Ok(())
}

/// `path` made absolute with symbolic links resolved as far as it exists, so `d`,
/// `./d` and a link to `d` compare equal even before the output directory is created.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod overlap_tests {
    use super::*;

    #[test]
    fn an_output_url_is_refused_and_a_local_path_is_not() {
        for url in [
            "s3://bucket/x",
            "GS://b",
            "https://h/a",
            "file:///tmp/x",
            "ftp://h/x",
        ] {
            let err = refuse_url_output(Path::new(url)).unwrap_err();
            assert!(err.contains(url) && err.contains("local folder"), "{err}");
        }
        for path in ["out", "./s3:", "a/b://c", "/tmp/x", "2024://x"] {
            assert!(refuse_url_output(Path::new(path)).is_ok(), "{path}");
        }
    }

    #[test]
    fn an_output_equal_to_or_above_a_root_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("sub")).unwrap();
        let roots = [data.join("sub")];
        assert!(refuse_overlap(&data.join("sub"), &roots, true).is_err());
        assert!(refuse_overlap(&data.join("sub/./"), &roots, true).is_err());
        assert!(refuse_overlap(&data, &roots, true).is_err());
        assert!(refuse_overlap(&data.join("sub/out"), &roots, true).is_ok());
        assert!(refuse_overlap(&dir.path().join("audit"), &roots, true).is_ok());
        // merge: only the same directory is refused.
        assert!(refuse_overlap(&data, &roots, false).is_ok());
        assert!(refuse_overlap(&data.join("sub"), &roots, false).is_err());
        let remote = [PathBuf::from("s3://bucket/data")];
        assert!(refuse_overlap(Path::new("s3:"), &remote, true).is_ok());
    }
}
