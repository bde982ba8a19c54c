//! `provaudit verify`: does an audit still match itself, and does the data still match
//! the audit?
//!
//! Three independent checks, so a report can say exactly what broke: the ledger against
//! the Merkle root in `summary.json`, the other output files against the hashes recorded
//! in `summary.json`, and the data on disk against the ledger. Inclusion proofs let a
//! single row be shown to a third party without handing over the whole ledger.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::contract::AuditError;
use crate::contract::{
    AuditDir, LEDGER_JSONL, LedgerLine, LedgerRow as Row, SUMMARY_JSON, Status, Summary,
};
use crate::ledger::merkle::{self, Hash, InclusionError};
use crate::ledger::row::join;

/// The ledger recomputed against what `summary.json` recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerCheck {
    pub rows: u64,
    pub recorded_rows: Option<u64>,
    pub merkle_root: String,
    pub recorded_merkle_root: Option<String>,
}

impl LedgerCheck {
    pub fn is_ok(&self) -> bool {
        self.problems().is_empty()
    }

    /// One English sentence per discrepancy; empty when the ledger is intact.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.recorded_merkle_root {
            None => out.push(format!(
                "{SUMMARY_JSON} records no ledger.merkle_root, so {LEDGER_JSONL} cannot be checked; re-run `provaudit scan`"
            )),
            Some(r) if !r.eq_ignore_ascii_case(&self.merkle_root) => out.push(format!(
                "{LEDGER_JSONL} does not match {SUMMARY_JSON}: its Merkle root is {} but the summary records {r}; the ledger or the summary was edited after the scan",
                self.merkle_root
            )),
            Some(_) => {}
        }
        if let Some(r) = self.recorded_rows
            && r != self.rows
        {
            out.push(format!(
                "{LEDGER_JSONL} has {} rows but {SUMMARY_JSON} records {r}",
                self.rows
            ));
        }
        out
    }
}

/// Recomputes the ledger's Merkle root in bounded memory (32 bytes per row).
pub fn check_ledger(dir: &Path) -> Result<LedgerCheck, AuditError> {
    let audit = AuditDir::new(dir);
    let summary = audit.summary()?;
    let leaves = audit.leaves()?;
    Ok(LedgerCheck {
        rows: leaves.len() as u64,
        recorded_rows: Some(summary.ledger.rows),
        merkle_root: crate::bytesource::hex(&merkle::root(&leaves)),
        recorded_merkle_root: recorded_root(&summary),
    })
}

/// The Merkle root a summary records; an empty one (an older or hand-made summary)
/// records none.
fn recorded_root(summary: &Summary) -> Option<String> {
    Some(summary.ledger.merkle_root.clone()).filter(|r| !r.is_empty())
}

// ---------------------------------------------------------------------------------------
// Output files

/// SHA-256 of each named file in `dir`, for `summary.json`'s `outputs`, so a report can
/// be tied to the exact Parquet and findings it was computed from. The scan hashes through
/// `ledger::output_hashes`; this located-error form serves the tests of `check_outputs`.
#[cfg(test)]
pub fn output_hashes(dir: &Path, names: &[&str]) -> Result<BTreeMap<String, String>, AuditError> {
    names
        .iter()
        .map(|name| Ok((name.to_string(), hash_file(&dir.join(name))?)))
        .collect()
}

pub(crate) fn hash_file(path: &Path) -> Result<String, AuditError> {
    crate::ledger::hash_file(path).map_err(|e| AuditError::read(path, e))
}

/// An output file that no longer matches its recorded hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutputMismatch {
    pub file: String,
    pub recorded: String,
    /// `None`: the file is gone or unreadable.
    pub actual: Option<String>,
    pub message: String,
}

/// Compares each recorded output against the file now in `dir`. Recorded names that are
/// not plain file names are reported, not opened: a tampered summary must not steer the
/// check to files outside the audit directory.
/// Whether every output a finished audit's summary records is present and unchanged,
/// else the first problem. Used where an audit is taken as it stands without a full
/// `verify` (`scan --resume`, `merge`): an audit that records no output hashes cannot
/// show it is unchanged, so that is a problem too.
pub fn recorded_outputs_intact(dir: &Path, summary: &Summary) -> Result<(), String> {
    if summary.outputs.is_empty() {
        return Err(format!("{SUMMARY_JSON} records no output hashes"));
    }
    match check_outputs(dir, &summary.outputs).into_iter().next() {
        Some(problem) => Err(problem.message),
        None => Ok(()),
    }
}

pub fn check_outputs(dir: &Path, recorded: &BTreeMap<String, String>) -> Vec<OutputMismatch> {
    recorded
        .iter()
        .filter_map(|(name, want)| check_output(dir, name, want))
        .collect()
}

fn check_output(dir: &Path, name: &str, want: &str) -> Option<OutputMismatch> {
    let mismatch = |actual: Option<String>, message: String| OutputMismatch {
        file: name.to_string(),
        recorded: want.to_string(),
        actual,
        message,
    };
    if !is_plain_file_name(name) {
        return Some(mismatch(
            None,
            format!(
                "{SUMMARY_JSON} lists output {name:?}, which is not a file name in the audit directory"
            ),
        ));
    }
    match hash_file(&dir.join(name)) {
        Err(e) => Some(mismatch(None, e.to_string())),
        Ok(got) if !got.eq_ignore_ascii_case(want) => {
            let message = format!(
                "{name} changed since the scan: SHA-256 is {got}, {SUMMARY_JSON} records {want}"
            );
            Some(mismatch(Some(got), message))
        }
        Ok(_) => None,
    }
}

fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !Path::new(name).is_absolute()
}

// ---------------------------------------------------------------------------------------
// Data against ledger

/// A file as the walker finds it on re-hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentFile {
    pub root: String,
    pub path: String,
    pub bytes: u64,
    /// `None` when the file could not be hashed now (e.g. unreadable).
    pub sha256: Option<String>,
    /// Not read by design (a symbolic link left unfollowed): neither the scan nor the
    /// check hashes it, so a missing hash on both sides is no difference.
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FileKey {
    pub root: String,
    pub path: String,
}

impl FileKey {
    fn new(root: &str, path: &str) -> FileKey {
        FileKey {
            root: root.to_string(),
            path: path.to_string(),
        }
    }
}

impl std::fmt::Display for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&join(&self.root, &self.path))
    }
}

/// What differs about one file; `None` means "not known on that side", which never
/// counts as a match: verify must not vouch for bytes it could not hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "column", rename_all = "snake_case")]
pub enum Difference {
    Sha256 {
        ledger: Option<String>,
        current: Option<String>,
    },
    Bytes {
        ledger: u64,
        current: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFile {
    #[serde(flatten)]
    pub file: FileKey,
    pub differences: Vec<Difference>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DataCheck {
    /// Files present both in the ledger and on disk.
    pub compared: u64,
    pub changed: Vec<ChangedFile>,
    /// In the ledger, not on disk.
    pub missing: Vec<FileKey>,
    /// On disk, not in the ledger.
    pub new: Vec<FileKey>,
}

impl DataCheck {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.new.is_empty()
    }
}

/// Matches files by (root, path); every list comes out sorted so reports are stable.
pub fn compare(ledger_rows: &[Row], current: &[CurrentFile]) -> DataCheck {
    let now: BTreeMap<FileKey, &CurrentFile> = current
        .iter()
        .map(|f| (FileKey::new(&f.root, &f.path), f))
        .collect();
    let mut check = DataCheck::default();
    let mut seen = std::collections::BTreeSet::new();
    for row in ledger_rows {
        let key = FileKey::new(&row.root, &row.path);
        match now.get(&key) {
            None => check.missing.push(key.clone()),
            Some(file) => {
                check.compared += 1;
                let differences = differences(row, file);
                if !differences.is_empty() {
                    check.changed.push(ChangedFile {
                        file: key.clone(),
                        differences,
                    });
                }
            }
        }
        seen.insert(key);
    }
    check.new = now.into_keys().filter(|k| !seen.contains(k)).collect();
    check.changed.sort_by(|a, b| a.file.cmp(&b.file));
    check.missing.sort();
    check
}

fn differences(row: &Row, file: &CurrentFile) -> Vec<Difference> {
    let mut out = Vec::new();
    let same_hash = match (&row.sha256, &file.sha256) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        // A row that never had a hash (the scan could not read the file, or skipped
        // it) is compared by that fact: still unreadable now is no change, while a
        // file that has since become readable is one.
        (None, None) => file.unread || matches!(row.status, Status::Error | Status::Skipped),
        _ => false,
    };
    if !same_hash {
        out.push(Difference::Sha256 {
            ledger: row.sha256.clone(),
            current: file.sha256.clone(),
        });
    }
    if row.bytes != file.bytes {
        out.push(Difference::Bytes {
            ledger: row.bytes,
            current: file.bytes,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Inclusion proofs

/// Evidence that one ledger row is part of an audit, checkable with nothing else.
/// Unknown fields are ignored so proofs from newer versions still verify; only `row`,
/// `leaf_index`, `tree_size`, `path` and `merkle_root` carry weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    pub audit_id: String,
    pub merkle_root: String,
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The exact ledger line, without its newline: the bytes the leaf hash covers.
    pub row: String,
    /// Hex hashes from the leaf's sibling up to the root's child (RFC 6962 order).
    pub path: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error("the proof's {field} is not a 64-digit hex SHA-256: {value:?}")]
    BadHash { field: &'static str, value: String },
    #[error("the row is not part of the audit: {0}")]
    NotIncluded(#[from] InclusionError),
    #[error(
        "the proof is for Merkle root {proof} but {summary} records {recorded}; it belongs to a different audit"
    )]
    OtherAudit {
        proof: String,
        summary: String,
        recorded: String,
    },
    #[error("the proof claims a ledger of {proof} rows but {summary} records {recorded}")]
    TreeSize {
        proof: u64,
        summary: String,
        recorded: u64,
    },
    #[error("{0}")]
    Summary(#[from] AuditError),
}

/// Builds a proof for the row whose `path` (or `root/path`) is `wanted`. Refuses when the
/// ledger no longer matches `summary.json`: a proof against a root nobody recorded is
/// worthless.
pub fn prove(dir: &Path, wanted: &str) -> Result<Proof, AuditError> {
    let audit = AuditDir::new(dir);
    let summary = audit.summary()?;
    let wanted = wanted.trim_start_matches("./");
    let mut leaves = Vec::new();
    let mut found = Vec::new();
    let mut near = Vec::new();
    audit.for_each_row(|entry| {
        leaves.push(entry.leaf());
        let row = &entry.row;
        if row.path == wanted || row.full_path() == wanted {
            found.push((entry.index, entry));
        } else {
            near.push((row.path.clone(), row.full_path()));
        }
        Ok(())
    })?;
    let root = crate::bytesource::hex(&merkle::root(&leaves));
    check_recorded_root(dir, &summary, &root)?;
    let (index, entry) = pick(dir, wanted, found, &near)?;
    let path = merkle::inclusion_proof(&leaves, index).unwrap_or_default();
    Ok(Proof {
        audit_id: summary.audit_id,
        merkle_root: root,
        leaf_index: index as u64,
        tree_size: leaves.len() as u64,
        row: entry.text,
        path: path.iter().map(|h| crate::bytesource::hex(h)).collect(),
    })
}

fn check_recorded_root(dir: &Path, summary: &Summary, root: &str) -> Result<(), AuditError> {
    match recorded_root(summary).as_deref() {
        Some(r) if r.eq_ignore_ascii_case(root) => Ok(()),
        Some(r) => Err(AuditError::Inconsistent(format!(
            "{} does not match the Merkle root {r} in {}; run `provaudit verify` and rescan before proving rows",
            dir.join(LEDGER_JSONL).display(),
            dir.join(SUMMARY_JSON).display()
        ))),
        None => Err(AuditError::Inconsistent(format!(
            "{} records no ledger.merkle_root, so no proof can be tied to it; re-run `provaudit scan`",
            dir.join(SUMMARY_JSON).display()
        ))),
    }
}

fn pick(
    dir: &Path,
    wanted: &str,
    mut found: Vec<(usize, LedgerLine)>,
    others: &[(String, String)],
) -> Result<(usize, LedgerLine), AuditError> {
    // `root/path` beats a bare `path` that happens to be equal in another root.
    if let Some(pos) = found.iter().position(|(_, e)| e.row.full_path() == wanted) {
        return Ok(found.swap_remove(pos));
    }
    match found.len() {
        1 => Ok(found.swap_remove(0)),
        0 => Err(AuditError::Lookup(not_found_message(dir, wanted, others))),
        _ => {
            let options: Vec<String> = found.iter().map(|(_, e)| e.row.full_path()).collect();
            Err(AuditError::Lookup(format!(
                "{wanted:?} is in more than one root of {}; give it as root/path, one of: {}",
                dir.join(LEDGER_JSONL).display(),
                options.join(", ")
            )))
        }
    }
}

fn not_found_message(dir: &Path, wanted: &str, others: &[(String, String)]) -> String {
    let near = near_matches(wanted, others, 5);
    let hint = if near.is_empty() {
        "give the path as listed in the ledger's `path` column, or as root/path".to_string()
    } else {
        format!("did you mean: {}", near.join(", "))
    };
    format!(
        "no row for {wanted:?} in {}; {hint}",
        dir.join(LEDGER_JSONL).display()
    )
}

/// Rows sharing the wanted file name, or within a few edits of it, closest first.
fn near_matches(wanted: &str, candidates: &[(String, String)], limit: usize) -> Vec<String> {
    let base = file_name(wanted);
    let budget = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &String)> = candidates
        .iter()
        .filter_map(|(path, full)| {
            let d = edit_distance(wanted, path)
                .min(edit_distance(wanted, full))
                .min(edit_distance(base, file_name(path)));
            let score = if file_name(path) == base { 0 } else { d };
            (score <= budget).then_some((score, full))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(limit)
        .map(|(_, c)| c.clone())
        .collect()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Checks the row against the proof's own root. Alone this shows only consistency; tie
/// it to an audit with [`verify_proof_against_summary`].
pub fn verify_proof(proof: &Proof) -> Result<(), ProofError> {
    let root = hash_field("merkle_root", &proof.merkle_root)?;
    let path = proof
        .path
        .iter()
        .map(|h| hash_field("path", h))
        .collect::<Result<Vec<_>, _>>()?;
    let leaf = merkle::leaf_hash(proof.row.as_bytes());
    merkle::verify_inclusion(&leaf, proof.leaf_index, proof.tree_size, &path, &root)?;
    Ok(())
}

/// [`verify_proof`], plus the root and row count must be the ones `summary_json`
/// recorded. The row count matters: RFC 6962 paths do not always pin the tree size.
pub fn verify_proof_against_summary(proof: &Proof, summary_json: &Path) -> Result<(), ProofError> {
    verify_proof(proof)?;
    let text =
        std::fs::read_to_string(summary_json).map_err(|e| AuditError::read(summary_json, e))?;
    let summary = Summary::parse(summary_json, &text)?;
    let shown = summary_json.display().to_string();
    let recorded = recorded_root(&summary).unwrap_or_else(|| "no ledger.merkle_root".to_string());
    if !recorded.eq_ignore_ascii_case(&proof.merkle_root) {
        return Err(ProofError::OtherAudit {
            proof: proof.merkle_root.clone(),
            summary: shown,
            recorded,
        });
    }
    match summary.ledger.rows {
        rows if rows != proof.tree_size => Err(ProofError::TreeSize {
            proof: proof.tree_size,
            summary: shown,
            recorded: rows,
        }),
        _ => Ok(()),
    }
}

fn hash_field(field: &'static str, value: &str) -> Result<Hash, ProofError> {
    merkle::parse_hex(value).ok_or_else(|| ProofError::BadHash {
        field,
        value: value.chars().take(80).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testdata;
    use super::*;

    #[test]
    fn real_audit_ledger_matches_its_summary() {
        for dir in [testdata::old(), testdata::new()] {
            let check = check_ledger(&dir).unwrap();
            assert!(check.is_ok(), "{:?}", check.problems());
            assert_eq!(check.rows, 15);
        }
    }

    #[test]
    fn an_edited_ledger_is_reported() {
        let dir = testdata::copy_of(&testdata::old());
        let p = dir.path().join(LEDGER_JSONL);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replacen("\"records\":3", "\"records\":4", 1)).unwrap();
        let check = check_ledger(dir.path()).unwrap();
        assert!(!check.is_ok());
        assert!(check.problems()[0].contains("does not match summary.json"));
    }

    #[test]
    fn a_dropped_row_is_reported_with_counts() {
        let dir = testdata::copy_of(&testdata::old());
        let p = dir.path().join(LEDGER_JSONL);
        let text = std::fs::read_to_string(&p).unwrap();
        let kept: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
        std::fs::write(&p, kept).unwrap();
        let problems = check_ledger(dir.path()).unwrap().problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[1].contains("has 14 rows but summary.json records 15"));
    }

    #[test]
    fn output_hashes_detect_edits_and_deletions() {
        let dir = testdata::copy_of(&testdata::old());
        let names = ["ledger.jsonl", "findings.jsonl"];
        let recorded = output_hashes(dir.path(), &names).unwrap();
        assert_eq!(recorded.len(), 2);
        assert!(check_outputs(dir.path(), &recorded).is_empty());
        std::fs::write(dir.path().join("findings.jsonl"), "").unwrap();
        std::fs::remove_file(dir.path().join("ledger.jsonl")).unwrap();
        let bad = check_outputs(dir.path(), &recorded);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].file, "findings.jsonl");
        assert!(bad[0].message.contains("changed since the scan"));
        assert_eq!(bad[1].actual, None);
        assert!(bad[1].message.contains("ledger.jsonl"));
    }

    #[test]
    fn output_names_outside_the_directory_are_not_opened() {
        let dir = testdata::scratch();
        let recorded = BTreeMap::from([("../summary.json".to_string(), "00".to_string())]);
        let bad = check_outputs(dir.path(), &recorded);
        assert!(bad[0].message.contains("not a file name"));
        assert!(output_hashes(dir.path(), &["nope.json"]).is_err());
    }

    fn row(root: &str, path: &str, bytes: u64, sha: Option<&str>) -> Row {
        Row {
            root: root.into(),
            path: path.into(),
            bytes,
            sha256: sha.map(String::from),
            ..Row::default()
        }
    }

    fn file(root: &str, path: &str, bytes: u64, sha: Option<&str>) -> CurrentFile {
        CurrentFile {
            root: root.into(),
            path: path.into(),
            bytes,
            sha256: sha.map(String::from),
            unread: false,
        }
    }

    #[test]
    fn compare_finds_changed_missing_and_new() {
        let ledger = [
            row("r", "same", 1, Some("aa")),
            row("r", "edited", 2, Some("bb")),
            row("r", "grown", 3, Some("cc")),
            row("r", "gone", 4, Some("dd")),
            row("r", "unhashable", 5, Some("ee")),
        ];
        let now = [
            file("r", "new", 9, Some("ff")),
            file("r", "same", 1, Some("AA")),
            file("r", "edited", 2, Some("b0")),
            file("r", "grown", 30, Some("c0")),
            file("r", "unhashable", 5, None),
            file("other", "same", 1, Some("aa")),
        ];
        let check = compare(&ledger, &now);
        assert!(!check.is_clean());
        assert_eq!(check.compared, 4);
        let changed: Vec<String> = check.changed.iter().map(|c| c.file.to_string()).collect();
        assert_eq!(changed, ["r/edited", "r/grown", "r/unhashable"]);
        assert_eq!(check.changed[1].differences.len(), 2);
        assert_eq!(
            check.changed[1].differences[1],
            Difference::Bytes {
                ledger: 3,
                current: 30
            }
        );
        assert_eq!(check.missing, [FileKey::new("r", "gone")]);
        assert_eq!(
            check.new,
            [FileKey::new("other", "same"), FileKey::new("r", "new")]
        );
        assert!(compare(&ledger[..1], &now[1..2]).is_clean());
    }

    #[test]
    fn every_row_of_a_real_audit_proves_and_verifies() {
        let dir = testdata::old();
        let summary = dir.join(SUMMARY_JSON);
        for row in AuditDir::new(&dir).rows().unwrap() {
            let proof = prove(&dir, &row.path).unwrap();
            verify_proof(&proof).unwrap();
            verify_proof_against_summary(&proof, &summary).unwrap();
            let json = serde_json::to_string(&proof).unwrap();
            let back: Proof = serde_json::from_str(&json).unwrap();
            assert_eq!(back, proof);
        }
        let by_full = prove(&dir, "data/sft/qa.csv").unwrap();
        assert_eq!(by_full, prove(&dir, "sft/qa.csv").unwrap());
    }

    #[test]
    fn a_tampered_proof_fails() {
        let dir = testdata::old();
        let proof = prove(&dir, "sft/support.jsonl").unwrap();
        let mut row = proof.clone();
        row.row = row
            .row
            .replace("\"records_with_pii\":2", "\"records_with_pii\":0");
        assert!(matches!(
            verify_proof(&row),
            Err(ProofError::NotIncluded(_))
        ));
        let mut index = proof.clone();
        index.leaf_index += 1;
        assert!(verify_proof(&index).is_err());
        let mut sibling = proof.clone();
        sibling.path[0] = crate::bytesource::hex(&[7u8; 32]);
        assert!(verify_proof(&sibling).is_err());
        let mut garbled = proof.clone();
        garbled.path[0] = "xyz".into();
        assert!(matches!(
            verify_proof(&garbled),
            Err(ProofError::BadHash { field: "path", .. })
        ));
    }

    #[test]
    fn a_proof_from_another_audit_is_rejected_by_that_summary() {
        let proof = prove(&testdata::old(), "sft/qa.csv").unwrap();
        let other = testdata::new().join(SUMMARY_JSON);
        let err = verify_proof_against_summary(&proof, &other).unwrap_err();
        assert!(matches!(err, ProofError::OtherAudit { .. }), "{err}");
    }

    #[test]
    fn unknown_paths_suggest_near_matches() {
        let err = prove(&testdata::old(), "sft/qa.cvs")
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean: data/sft/qa.csv"), "{err}");
        let err = prove(&testdata::old(), "support.json")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("did you mean: data/sft/support.jsonl"),
            "{err}"
        );
        let err = prove(&testdata::old(), "zzzz").unwrap_err().to_string();
        assert!(err.contains("give the path as listed"), "{err}");
        let err = prove(&testdata::old(), "chat.jsonl")
            .unwrap_err()
            .to_string();
        assert!(err.contains("data/sft/chat.jsonl"), "{err}");
    }

    #[test]
    fn a_path_in_two_roots_asks_for_root_slash_path() {
        let dir = testdata::copy_of(&testdata::old());
        let lines = [
            r#"{"path":"a.txt","root":"one","sha256":"00"}"#,
            r#"{"path":"a.txt","root":"two","sha256":"00"}"#,
        ];
        let leaves: Vec<Hash> = lines
            .iter()
            .map(|l| merkle::leaf_hash(l.as_bytes()))
            .collect();
        let root = crate::bytesource::hex(&merkle::root(&leaves));
        std::fs::write(dir.path().join(LEDGER_JSONL), lines.join("\n") + "\n").unwrap();
        let summary = format!(r#"{{"audit_id":"x","ledger":{{"rows":2,"merkle_root":"{root}"}}}}"#);
        std::fs::write(dir.path().join(SUMMARY_JSON), summary).unwrap();
        let err = prove(dir.path(), "a.txt").unwrap_err().to_string();
        assert!(
            err.contains("give it as root/path, one of: one/a.txt, two/a.txt"),
            "{err}"
        );
        assert_eq!(prove(dir.path(), "two/a.txt").unwrap().leaf_index, 1);
    }

    #[test]
    fn proving_from_a_tampered_ledger_is_refused() {
        let dir = testdata::copy_of(&testdata::old());
        let p = dir.path().join(LEDGER_JSONL);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replacen("\"records\":3", "\"records\":4", 1)).unwrap();
        let err = prove(dir.path(), "sft/qa.csv").unwrap_err().to_string();
        assert!(err.contains("run `provaudit verify`"), "{err}");
    }
}
