//! The ledger stage: one row per discovered file, written as `ledger.jsonl` and
//! `ledger.parquet`, plus `summary.json`.
//!
//! Rows are byte-for-byte deterministic for the same input and options (no timestamps,
//! sorted maps, rows in path order); timestamps live only in `summary.json`. Every output
//! is written to a temporary name and renamed into place, and `summary.json` goes last,
//! so an interrupted run never leaves a complete-looking audit behind.

pub mod basis;
pub mod build;
pub mod findings;
pub mod fingerprints;
pub mod license_block;
pub mod merkle;
pub mod near_dup;
pub mod near_dup_keys;
pub mod parquet;
pub mod row;
pub mod spill;
pub mod summary;
pub mod web_hosts;

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

pub use row::{LedgerRow, Status};
pub use summary::{GroupStats, Summary};

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

/// The major version of the audit directory's layout, written as `schema_version` in
/// `summary.json`, in every `findings.jsonl` line and in `ledger.parquet`'s key-value
/// metadata, so a reader can tell an audit it would misread from one it can open.
/// Added fields do not bump it (readers ignore what they do not know); a field that
/// changes meaning or type does, and readers refuse a version above their own. Audits
/// written before it existed carry none and read as version 1.
pub const SCHEMA_VERSION: u32 = 1;
/// The key under which `ledger.parquet`'s metadata holds [`SCHEMA_VERSION`].
pub const PARQUET_SCHEMA_VERSION_KEY: &str = "provaudit.schema_version";

/// The outputs whose SHA-256 `summary.json` records (`outputs`), all written before it.
pub const HASHED_OUTPUTS: [&str; 4] = [
    LEDGER_JSONL,
    LEDGER_PARQUET,
    FINDINGS_JSONL,
    FINGERPRINTS_BIN,
];

/// The disclosure files `report` derives from an audit (Markdown, HTML, JSON, SPDX,
/// Croissant): named here, beside the files they are derived from, so removing stale
/// ones needs no report code.
pub const DISCLOSURE_FILES: [&str; 5] = [
    "disclosure.md",
    "disclosure.html",
    "disclosure.json",
    "disclosure.spdx.json",
    "disclosure.croissant.json",
];

/// A finished audit, as a scan or a merge wrote it.
///
/// It does not hold the rows: a scan streams them to the ledger as files finish, so
/// ten million files do not sit in memory at the end. [`ScanOutcome::rows`] reads them
/// back from the audit directory.
pub struct ScanOutcome {
    /// `summary.json`, typed.
    pub summary: Summary,
    /// The audit directory written.
    pub out: PathBuf,
    /// The first [`ScanOutcome::PROBLEMS_KEPT`] rows with status `partial` or `error`,
    /// in ledger order, for the terminal summary (the count of all of them is in
    /// `summary.totals`).
    pub problems: Vec<LedgerRow>,
}

impl ScanOutcome {
    /// How many problem rows [`ScanOutcome::problems`] keeps.
    pub const PROBLEMS_KEPT: usize = 10;

    /// Every ledger row, in ledger order, read back from `ledger.jsonl` (tests and
    /// library callers; this holds them all).
    pub fn rows(&self) -> anyhow::Result<Vec<LedgerRow>> {
        read_jsonl(&self.out.join(LEDGER_JSONL))
    }

    /// Files whose row has status `partial` or `error`.
    pub fn problem_files(&self) -> u64 {
        let status = &self.summary.totals.status;
        [Status::Partial, Status::Error]
            .iter()
            .map(|s| status.get(s).copied().unwrap_or(0))
            .sum()
    }

    /// Files whose row reports errors (status `partial` or `error`).
    pub fn files_with_errors(&self) -> u64 {
        self.summary.totals.files_with_errors
    }

    /// Policy rules the audit breaks (empty without a policy).
    pub fn violations(&self) -> &[crate::config::policy::Violation] {
        self.summary
            .policy
            .as_ref()
            .map_or(&[], |p| p.violations.as_slice())
    }
}

/// `summary.json` is written last and marks an audit directory complete; the report is
/// derived from it. Both are removed before a scan writes anything, so a run that is
/// interrupted (even by SIGKILL) never leaves a new ledger beside an old summary that
/// would make it look complete. So are the outputs only some runs write
/// ([`near_dup::OPTIONAL_OUTPUTS`]): a run without `--near-duplicates` in a directory
/// an earlier run with it wrote would otherwise leave that run's list beside its own
/// ledger.
pub fn retract_completion(out: &Path) -> anyhow::Result<()> {
    let optional = near_dup::OPTIONAL_OUTPUTS.into_iter();
    for name in std::iter::once(SUMMARY_JSON)
        .chain(DISCLOSURE_FILES)
        .chain(optional)
    {
        let path = out.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(
                    anyhow::Error::new(e).context(format!("removing the stale {}", path.display()))
                );
            }
        }
    }
    Ok(())
}

/// Writes `ledger.jsonl` and `ledger.parquet` into `out` from rows already in memory
/// (a merge holds them all), through the same [`LedgerWriter`] a scan streams to.
pub fn write_ledger(out: &Path, rows: &[LedgerRow]) -> anyhow::Result<LedgerWritten> {
    let near = rows.iter().any(|r| r.near_duplicates.is_some());
    let mut ledger = LedgerWriter::create_with(out, near)?
        .with_safety_column(rows.iter().any(|r| r.safety.is_some()))
        .with_contamination_column(rows.iter().any(|r| r.contamination.is_some()));
    for row in rows {
        ledger.push(row.clone())?;
    }
    ledger.finish()
}

/// Writes `ledger.jsonl` and `ledger.parquet` as rows finish, in ledger order, and
/// folds each JSONL line into the Merkle root, so a scan holds no rows: the same rows
/// give the same bytes and root as [`write_ledger`] and [`merkle_root`].
///
/// Both files grow under temporary names and are renamed into place by
/// [`LedgerWriter::finish`]; a writer dropped unfinished (an error path) removes them.
pub struct LedgerWriter {
    jsonl: Option<BufWriter<File>>,
    parquet: Option<parquet::RowWriter>,
    temps: [(PathBuf, PathBuf); 2],
    root: merkle::RootBuilder,
    rows: u64,
    line: Vec<u8>,
}

/// What a finished ledger says about itself, for `summary.json`.
pub struct LedgerWritten {
    /// Rows written.
    pub rows: u64,
    /// The Merkle root over the JSONL lines, hex.
    pub merkle_root: String,
}

impl LedgerWriter {
    /// Starts both ledger files in `out`.
    pub fn create(out: &Path) -> anyhow::Result<Self> {
        Self::create_with(out, false)
    }

    /// Starts both ledger files in `out`, with the `near_duplicates` column when
    /// `near_duplicates` (JSON lines carry it when their rows do).
    pub fn create_with(out: &Path, near_duplicates: bool) -> anyhow::Result<Self> {
        let temp = |name: &str| {
            let target = out.join(name);
            (temp_name(&target), target)
        };
        let temps = [temp(LEDGER_JSONL), temp(LEDGER_PARQUET)];
        let create = |path: &Path| {
            File::create(path).with_context(|| format!("creating {}", path.display()))
        };
        let mut writer = LedgerWriter {
            jsonl: None,
            parquet: None,
            temps,
            root: merkle::RootBuilder::default(),
            rows: 0,
            line: Vec::new(),
        };
        writer.jsonl = Some(BufWriter::with_capacity(
            1 << 16,
            create(&writer.temps[0].0)?,
        ));
        writer.parquet = Some(parquet::RowWriter::with_near_duplicates(
            create(&writer.temps[1].0)?,
            near_duplicates,
        )?);
        Ok(writer)
    }

    /// With the `safety` column in `ledger.parquet` (a screened scan; call before the
    /// first row). `ledger.jsonl` writes the block of any row that has one.
    pub fn with_safety_column(mut self, safety: bool) -> Self {
        self.parquet = self.parquet.take().map(|w| w.with_safety(safety));
        self
    }

    /// With the `contamination` column in `ledger.parquet` (a scan with evaluation
    /// sets; call before the first row, after [`Self::with_safety_column`]).
    pub fn with_contamination_column(mut self, contamination: bool) -> Self {
        self.parquet = self
            .parquet
            .take()
            .map(|w| w.with_contamination(contamination));
        self
    }

    /// Appends the next row in ledger order.
    pub fn push(&mut self, row: LedgerRow) -> anyhow::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, &row).context("serialising a ledger row")?;
        self.root.push(merkle::leaf_hash(&self.line));
        if let Some(w) = self.jsonl.as_mut() {
            w.write_all(&self.line)
                .and_then(|()| w.write_all(b"\n"))
                .with_context(|| format!("writing {}", self.temps[0].1.display()))?;
        }
        if let Some(w) = self.parquet.as_mut() {
            w.push(row)
                .with_context(|| format!("writing {}", self.temps[1].1.display()))?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Flushes both files to disk and renames them into place.
    pub fn finish(mut self) -> anyhow::Result<LedgerWritten> {
        if let Some(w) = self.jsonl.take() {
            let (tmp, target) = &self.temps[0];
            w.into_inner()
                .map_err(|e| e.into_error())
                .and_then(|f| f.sync_all())
                .with_context(|| format!("flushing {}", target.display()))?;
            fs::rename(tmp, target)
                .with_context(|| format!("renaming {} into place", tmp.display()))?;
        }
        if let Some(w) = self.parquet.take() {
            let (tmp, target) = &self.temps[1];
            w.finish()
                .with_context(|| format!("writing {}", target.display()))?;
            fs::rename(tmp, target)
                .with_context(|| format!("renaming {} into place", tmp.display()))?;
        }
        Ok(LedgerWritten {
            rows: self.rows,
            merkle_root: crate::bytesource::hex(&self.root.root()),
        })
    }
}

impl Drop for LedgerWriter {
    /// An unfinished ledger leaves no `.partial` file behind.
    fn drop(&mut self) {
        for (tmp, _) in &self.temps {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Writes `summary.json` through a temporary file renamed into place; written last,
/// its presence marks a finished audit.
pub fn write_summary(out: &Path, summary: &Summary) -> anyhow::Result<()> {
    write_atomic(&out.join(SUMMARY_JSON), |w| {
        serde_json::to_writer_pretty(&mut *w, summary)?;
        w.write_all(b"\n")?;
        Ok(())
    })
}

/// SHA-256 of each of [`HASHED_OUTPUTS`] in `out`.
pub fn output_hashes(out: &Path) -> anyhow::Result<std::collections::BTreeMap<String, String>> {
    HASHED_OUTPUTS
        .iter()
        .map(|name| {
            let path = out.join(name);
            let hash = hash_file(&path).with_context(|| format!("hashing {}", path.display()))?;
            Ok((name.to_string(), hash))
        })
        .collect()
}

/// Hex SHA-256 of a file, streamed: what `summary.json`'s `outputs` records and
/// `verify` recomputes.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let file = File::open(path)?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(crate::bytesource::hex(&hasher.finalize()));
        }
        hasher.update(&buf[..n]);
    }
}

/// Writes through a buffered temporary file, then renames it over `target`.
pub fn write_atomic(
    target: &Path,
    body: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let tmp = temp_name(target);
    let written = write_then_rename(&tmp, target, body);
    if written.is_err() {
        // A failed write leaves nothing behind: no `.NAME.partial` beside the outputs.
        let _ = fs::remove_file(&tmp);
    }
    written
}

fn write_then_rename(
    tmp: &Path,
    target: &Path,
    body: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let file = File::create(tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut w = BufWriter::new(file);
    body(&mut w).with_context(|| format!("writing {}", target.display()))?;
    w.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .with_context(|| format!("flushing {}", target.display()))?;
    fs::rename(tmp, target).with_context(|| format!("renaming {} into place", tmp.display()))?;
    Ok(())
}

fn temp_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.partial"))
}

/// Reads a `ledger.jsonl` back (for reports, diffs and tests).
pub fn read_jsonl(path: &Path) -> anyhow::Result<Vec<LedgerRow>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not a ledger row", path.display(), i + 1))
        })
        .collect()
}

#[cfg(test)]
mod write_tests {
    use super::*;

    /// Streaming rows gives the bytes of writing them at once: JSONL lines, Parquet in
    /// the same batches (more rows than one batch), and the Merkle root of the lines.
    #[test]
    fn a_streamed_ledger_is_the_ledger_of_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let rows: Vec<LedgerRow> = (0..9000)
            .map(|i| LedgerRow {
                path: format!("f{i:05}.jsonl"),
                records: i,
                ..LedgerRow::default()
            })
            .collect();
        let written = write_ledger(dir.path(), &rows).unwrap();
        let lines: Vec<Vec<u8>> = rows
            .iter()
            .map(|r| serde_json::to_vec(r).unwrap())
            .collect();
        let mut jsonl = lines.join(&b"\n"[..]);
        jsonl.push(b'\n');
        assert_eq!(fs::read(dir.path().join(LEDGER_JSONL)).unwrap(), jsonl);
        let leaves: Vec<merkle::Hash> = lines.iter().map(|l| merkle::leaf_hash(l)).collect();
        assert_eq!(
            written.merkle_root,
            crate::bytesource::hex(&merkle::root(&leaves))
        );
        assert_eq!(written.rows, 9000);
        let at_once = dir.path().join("at-once.parquet");
        parquet::write(&rows, File::create(&at_once).unwrap()).unwrap();
        assert_eq!(
            fs::read(dir.path().join(LEDGER_PARQUET)).unwrap(),
            fs::read(&at_once).unwrap()
        );
        assert!(!dir.path().join(".ledger.jsonl.partial").exists());
    }

    #[test]
    fn a_failed_write_leaves_no_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        let err = write_atomic(&target, |w| {
            w.write_all(b"half")?;
            anyhow::bail!("disk full")
        });
        assert!(err.is_err());
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
