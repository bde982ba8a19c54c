//! `scan --baseline PRIOR_AUDIT`: reuse the rows of files that have not changed.
//!
//! A file is unchanged when its root, path, size and modification time match its row
//! in the prior audit (and, with `--rehash`, its SHA-256), and the prior audit was made
//! by the same rules and options (`rules_hash`, `config_hash`): then reading it again
//! would give the same figures. What depends on other files is not reused but
//! recomputed: the source, stage and declared license (a manifest may have changed)
//! and scan-level duplicates, from the prior audit's `fingerprints.bin`. The result is
//! the ledger a full scan would write.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::FileResult;
use crate::aggregate::hll::HyperLogLog;
use crate::aggregate::near_dup::NearDupRecords;
use crate::aggregate::{ContentStats, ErrorStats};
use crate::analyze::minhash::MinHashParams;
use crate::contract::{AuditDir, AuditError, FINDINGS_JSONL, Finding};
use crate::discover::{DiscoveredFile, Entry};
use crate::ledger::FINGERPRINTS_BIN;
use crate::ledger::fingerprints::{self, FileKeys};
use crate::ledger::near_dup_keys::{self, NEAR_DUPLICATES_BIN};
use crate::ledger::summary::Sketches;
use crate::ledger::{self, LedgerRow, Status};

/// A prior audit, checked to be comparable with this scan.
pub struct Baseline {
    dir: PathBuf,
    audit_id: String,
    rows: Vec<LedgerRow>,
    by_file: HashMap<(String, String), usize>,
    rehash: bool,
    /// When the prior scan began, in nanoseconds since the epoch.
    started: Option<i128>,
    sketches: Option<Sketches>,
    /// Whether it recorded a `near_duplicates.bin` (a scan with `--near-duplicates`
    /// by a version that writes one).
    near_sidecar: bool,
}

/// Modification times are only as fine as the file system keeps them (a second on
/// some, two on FAT): a file this close to the prior scan's start counts as racy.
const RACY_WINDOW_NANOS: i128 = 2_000_000_000;

/// What a reused file brings: its figures, its fingerprints when scan-level duplicates
/// must be recounted, and its findings lines.
pub struct Reused {
    pub result: FileResult,
    pub keys: Option<FileKeys>,
    pub findings: Vec<String>,
    /// Its band keys and sketches, with `--near-duplicates` (from the prior sidecar).
    pub near: Option<NearDupRecords>,
}

impl Baseline {
    /// Loads the prior audit, or says why it cannot serve (the caller then reads
    /// everything).
    pub fn load(
        dir: &Path,
        rules_hash: &str,
        config_hash: &str,
        rehash: bool,
    ) -> anyhow::Result<Self> {
        let audit = AuditDir::new(dir);
        if !audit.is_finished() {
            bail!("{} is not a complete audit", dir.display());
        }
        let summary = audit.summary()?;
        summary.check_made_with(rules_hash, config_hash)?;
        if !audit.fingerprints().is_file() {
            bail!("it has no {FINGERPRINTS_BIN}");
        }
        let rows = audit.rows()?;
        let by_file = rows
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.root.clone(), r.path.clone()), i))
            .collect();
        Ok(Baseline {
            dir: dir.to_path_buf(),
            audit_id: summary.audit_id,
            rows,
            by_file,
            rehash,
            started: crate::civil::parse_rfc3339(&summary.started),
            near_sidecar: summary.outputs.contains_key(NEAR_DUPLICATES_BIN),
            sketches: Some(summary.sketches),
        })
    }

    /// The prior audit's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn audit_id(&self) -> &str {
        &self.audit_id
    }

    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// The prior row index of `file` when its row can be reused. Files whose prior
    /// read failed outright are read again: the failure may have been passing.
    pub fn reusable(&self, file: &DiscoveredFile) -> Option<usize> {
        let &index = self.by_file.get(&(file.root.clone(), file.path.clone()))?;
        let row = &self.rows[index];
        let same = row.bytes == file.bytes
            && row.modified.is_some()
            && row.modified == file.modified
            && row.status != Status::Error;
        if !same {
            return None;
        }
        // A file listed but never opened (hidden, a link, a special file) has no bytes
        // read into its row and no hash to compare: size and time are all there is.
        if file.entry != Entry::File {
            return Some(index);
        }
        if self.rehash || self.racy(file.modified.as_deref()) {
            let now = file.location.sha256_hex(&file.path).ok()?;
            if row.sha256.as_deref() != Some(now.as_str()) {
                return None;
            }
        }
        Some(index)
    }

    /// Whether a file's modification time is too close to the prior audit's start to
    /// prove it unchanged: a file written in the same clock tick as (or after) the
    /// moment the prior scan began may have been edited after it was read without its
    /// time or size changing. Such rows are re-hashed before reuse, as git does for
    /// racily clean index entries.
    fn racy(&self, modified: Option<&str>) -> bool {
        match (modified.and_then(crate::civil::parse_rfc3339), self.started) {
            (Some(mtime), Some(started)) => mtime + RACY_WINDOW_NANOS >= started,
            // Without both times nothing proves the file older: re-hash.
            _ => true,
        }
    }

    /// The prior audit's distinct-record sketches: right when the new ledger lists the
    /// same files. An audit from before sketches existed has them rebuilt from its
    /// fingerprints.
    pub fn sketches(&self) -> anyhow::Result<Sketches> {
        if let Some(s) = &self.sketches
            && s.records.as_ref().and_then(|r| r.sketch()).is_some()
            && s.normalized_records
                .as_ref()
                .and_then(|r| r.sketch())
                .is_some()
        {
            return Ok(s.clone());
        }
        let (mut exact, mut normalized) = (HyperLogLog::default(), HyperLogLog::default());
        for keys in self.keys()? {
            keys.exact.iter().for_each(|&k| exact.insert(k));
            keys.normalized.iter().for_each(|&k| normalized.insert(k));
        }
        Ok(Sketches::of(&exact, &normalized))
    }

    /// Whether the prior audit kept its near-duplicate signatures.
    pub fn has_near_sidecar(&self) -> bool {
        self.near_sidecar
    }

    /// The prior sidecar's entries for the reused files: `reuse[f]` is new file `f`'s
    /// prior row, and the answer's `f`th entry its records. Read in one pass; the
    /// entries of files read again are skipped over, not kept.
    pub fn near_records(
        &self,
        params: &MinHashParams,
        reuse: &[Option<usize>],
    ) -> anyhow::Result<Vec<Option<NearDupRecords>>> {
        let mut by_prior: Vec<Option<usize>> = vec![None; self.rows.len()];
        for (f, prior) in reuse.iter().enumerate() {
            if let Some(slot) = prior.and_then(|p| by_prior.get_mut(p)) {
                *slot = Some(f);
            }
        }
        let mut out: Vec<Option<NearDupRecords>> = reuse.iter().map(|_| None).collect();
        let mut reader = near_dup_keys::Reader::open(&self.dir.join(NEAR_DUPLICATES_BIN), params)?;
        for new in &by_prior {
            let records = reader.next_entry()?;
            if let Some(f) = *new {
                out[f] = Some(records);
            }
        }
        reader.finish(self.rows.len())?;
        Ok(out)
    }

    /// Every prior file's fingerprints, in prior ledger order.
    pub fn keys(&self) -> anyhow::Result<Vec<FileKeys>> {
        fingerprints::read_all(&self.dir.join(FINGERPRINTS_BIN), self.rows.len())
    }

    /// Carries the prior sidecar over: right when the new ledger lists the same files.
    /// Outputs are only ever replaced by renaming, never written in place, so a hard
    /// link is as good as a copy and costs nothing; in place there is nothing to do.
    /// Across file systems it falls back to an atomic copy.
    pub fn copy_keys_to(&self, out: &Path) -> anyhow::Result<()> {
        let prior = self.dir.join(FINGERPRINTS_BIN);
        let target = out.join(FINGERPRINTS_BIN);
        if same_file(&prior, &target) {
            return Ok(());
        }
        let staged = out.join(format!(".{FINGERPRINTS_BIN}.partial"));
        let _ = std::fs::remove_file(&staged);
        if std::fs::hard_link(&prior, &staged).is_ok() {
            return std::fs::rename(&staged, &target)
                .with_context(|| format!("renaming {} into place", staged.display()));
        }
        let bytes = std::fs::read(&prior)?;
        ledger::write_atomic(&target, |w| Ok(w.write_all(&bytes)?))
    }

    /// The prior findings lines of each reused file, by (root, path). A path that
    /// several roots share cannot be told apart in findings written before they
    /// carried `root`, so such files are read again instead (`shared_paths`). Lines
    /// from before `root` and `schema_version` were recorded get both, so the new
    /// audit's findings are all alike.
    pub fn findings(
        &self,
        files: &[(&str, &str)],
    ) -> anyhow::Result<HashMap<(String, String), Vec<String>>> {
        let mut wanted: HashMap<(String, String), Vec<String>> = files
            .iter()
            .map(|(root, path)| ((root.to_string(), path.to_string()), Vec::new()))
            .collect();
        let roots: HashMap<&str, &str> = files.iter().map(|(r, p)| (*p, *r)).collect();
        let present = AuditDir::new(&self.dir).for_each_finding(|_, line, mut finding| {
            let root = match finding.root.as_str() {
                "" => roots
                    .get(finding.file.as_str())
                    .copied()
                    .unwrap_or_default(),
                root => root,
            };
            let key = (root.to_string(), std::mem::take(&mut finding.file));
            if let Some(lines) = wanted.get_mut(&key) {
                lines.push(restamped(line, finding, key)?);
            }
            Ok(true)
        })?;
        if !present {
            bail!("it has no {FINDINGS_JSONL}");
        }
        Ok(wanted)
    }

    /// Paths that appear under more than one root in the prior ledger.
    pub fn shared_paths(&self) -> std::collections::HashSet<&str> {
        let mut seen = HashMap::new();
        for r in &self.rows {
            *seen.entry(r.path.as_str()).or_insert(0) += 1;
        }
        seen.into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(p, _)| p)
            .collect()
    }

    /// The prior row's figures as a merged file result. Source, stage and the declared
    /// license are recomputed by the caller; `keys`, when given, restore the count of
    /// records that take part in duplicate counting.
    pub fn result(&self, index: usize, keys: Option<&FileKeys>) -> FileResult {
        let row = &self.rows[index];
        let mut license = row.license.summary.clone();
        license.declared = None;
        FileResult {
            content: ContentStats {
                records: row.records,
                record_kinds: row.record_kinds.clone(),
                characters: row.characters,
                estimated_tokens: row.estimated_tokens,
                languages: row.languages.clone(),
                length_histogram: row.length_histogram.clone(),
                quality: row.quality.clone(),
            },
            errors: ErrorStats {
                count: row.error_count,
                first: row.first_error.clone(),
            },
            dedup_records: keys.map_or(0, |k| row.duplicates.within_file + k.exact.len() as u64),
            duplicates: row.duplicates.clone(),
            sha256: row.sha256.as_deref().and_then(parse_hex),
            license,
            pii: row.pii.clone(),
            // Settled again in this scan's order from the prior sidecar.
            near_duplicates: None,
            safety: row.safety.clone(),
            web_hosts: row.web_hosts.clone(),
            // Hosts are listed per source, not per file: a reused file's are not known
            // (the scan counts it as untallied).
            host_tallies: Default::default(),
            contamination: row.contamination.clone(),
        }
    }
}

/// A prior findings line as this version writes it: kept byte for byte when it already
/// carries its root and schema version, else rewritten with them.
fn restamped(
    line: &str,
    finding: Finding,
    (root, file): (String, String),
) -> Result<String, AuditError> {
    if !finding.root.is_empty() && finding.schema_version.is_some() {
        return Ok(line.to_string());
    }
    let finding = Finding {
        schema_version: Some(ledger::SCHEMA_VERSION),
        root,
        file,
        ..finding
    };
    serde_json::to_string(&finding)
        .map_err(|e| AuditError::malformed(Path::new(FINDINGS_JSONL), None, e.to_string()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn parse_hex(text: &str) -> Option<[u8; 32]> {
    crate::ledger::merkle::parse_hex(text)
}
