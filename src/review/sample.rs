//! `provaudit sample`: a reproducible uniform random draw of records from an audit.
//!
//! The draw ([`plan`]) uses the ledger alone: each data file's record count places
//! every record of the audit on one line of numbers, per stratum, and a seeded PRNG picks
//! positions on it (Floyd's algorithm: every subset of the asked size equally likely).
//! Only then are the files holding a drawn record read again ([`draw`]), each once, in
//! parallel, through the scan's own readers, so record `k` of a file is the record the
//! scan counted `k`th (the ordinal `findings.jsonl` uses). A file whose bytes no longer
//! hash to the ledger's SHA-256 is refused: the sample would not be of the audited data.
//!
//! Files are found by walking the recorded roots again as `verify` does
//! (`audit::rehash`), so object-store roots are read through the same remote reader the
//! scan used: only the objects holding a drawn record are fetched.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{SAMPLE_JSON, SAMPLE_JSONL, SampleManifest, SampleParams, StratumCount};
use crate::analyze::pii::{PiiDetector, PiiMatch};
use crate::analyze::safety::{SafetyHit, SafetyScreen};
use crate::bytesource::{ByteSource, HashingReader, SourceCursor, hex};
use crate::contract::AuditDir;
use crate::discover::role::FileRole;
use crate::formats::sink::{CollectSink, OwnedRecord};
use crate::formats::{self, Compression, Format, ReadError, ReadOptions, RecordSink, TextUnit};
use crate::ledger::row::Status;
use crate::record::Record;
use crate::rng::SplitMix64;

/// The strata `--stratify` accepts.
pub const STRATA: [&str; 2] = ["source", "stage"];

/// A sampled record's text is cut after this many characters (per record, over its
/// fields in order; PI is masked on the whole text first): a 30 MB record would make the
/// page unusable, and a reviewer judging it sees where it was cut.
pub const MAX_ITEM_CHARS: usize = 64 * 1024;

/// What went wrong; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// The audit directory is unreadable or inconsistent.
    #[error(transparent)]
    Audit(#[from] crate::contract::AuditError),
    /// The options cannot be honoured.
    #[error("{0}")]
    Usage(String),
    /// The data no longer is what the audit recorded, or cannot be read.
    #[error("{0}")]
    Data(String),
    /// Writing the review set failed.
    #[error("{0:#}")]
    Write(anyhow::Error),
}

// ---------------------------------------------------------------------------------------
// The draw

/// One drawn record: where it is, by the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// 0-based ledger line.
    pub row: usize,
    /// The k-th record the scan counted in the file (0-based).
    pub record: u64,
}

/// A data file the draw can pick from.
#[derive(Debug, Clone)]
struct Candidate {
    row: usize,
    root: String,
    path: String,
    source: String,
    stage: String,
    records: u64,
    format: Format,
    compression: String,
    sha256: Option<String>,
}

impl Candidate {
    fn id(&self, record: u64) -> String {
        format!(
            "{}#{record}",
            crate::ledger::row::join(&self.root, &self.path)
        )
    }
}

/// The draw: which records, from which audit, and the counts per stratum.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The parameters, as given (strata validated).
    pub params: SampleParams,
    /// The audit's id.
    pub audit_id: String,
    /// The ledger's Merkle root, recomputed from `ledger.jsonl` and equal to the
    /// summary's.
    pub merkle_root: String,
    /// Drawn records in ledger order, then record order.
    pub drawn: Vec<Drawn>,
    /// Each drawn record's id (`root/path#record`), same order.
    pub ids: Vec<String>,
    /// Per stratum key: population and draw.
    pub strata_counts: BTreeMap<String, StratumCount>,
    /// Names this draw.
    pub sample_id: String,
    candidates: BTreeMap<usize, Candidate>,
}

impl Plan {
    /// The source and stage of a drawn record.
    pub fn source_of(&self, d: &Drawn) -> (&str, &str) {
        self.candidates
            .get(&d.row)
            .map_or(("", ""), |c| (c.source.as_str(), c.stage.as_str()))
    }
}

/// Draws the sample from the ledger alone (no data is read).
pub fn plan(audit: &AuditDir, params: &SampleParams) -> Result<Plan, SampleError> {
    let mut params = params.clone();
    check_strata(&mut params.strata)?;
    if params.size == 0 {
        return Err(SampleError::Usage("--size must be at least 1".into()));
    }
    let summary = audit.summary()?;
    let check = crate::audit::integrity::check_ledger(audit.path())?;
    if !check.problems().is_empty() {
        return Err(SampleError::Data(format!(
            "{}: the ledger does not match its summary ({}); run `provaudit verify`",
            audit.path().display(),
            check.problems().join("; ")
        )));
    }
    let mut candidates = BTreeMap::new();
    audit.for_each_row(|line| {
        let row = line.row;
        let readable = matches!(row.status, Status::Ok | Status::Partial);
        if row.role == FileRole::Data && readable && row.records > 0 {
            candidates.insert(
                line.index,
                Candidate {
                    row: line.index,
                    stage: row.stage_or_unknown().as_str().to_string(),
                    root: row.root,
                    path: row.path,
                    source: row.source,
                    records: row.records,
                    format: row.format,
                    compression: row.compression,
                    sha256: row.sha256,
                },
            );
        }
        Ok(())
    })?;

    // Strata: the key of each candidate; with --per-source, source leads.
    let mut dims = params.strata.clone();
    if params.per_source && !dims.iter().any(|d| d == "source") {
        dims.insert(0, "source".into());
    }
    let key_of = |c: &Candidate| -> Vec<String> {
        dims.iter()
            .map(|d| match d.as_str() {
                "source" => c.source.clone(),
                _ => c.stage.clone(),
            })
            .collect()
    };
    let mut strata: BTreeMap<Vec<String>, Vec<&Candidate>> = BTreeMap::new();
    for c in candidates.values() {
        strata.entry(key_of(c)).or_default().push(c);
    }
    let population = |files: &[&Candidate]| files.iter().map(|c| c.records).sum::<u64>();
    let keys: Vec<&Vec<String>> = strata.keys().collect();
    let pops: Vec<u64> = strata.values().map(|f| population(f)).collect();
    let quotas = if params.per_source {
        let source_at = dims.iter().position(|d| d == "source").unwrap_or(0);
        let mut quotas = vec![0; keys.len()];
        let mut by_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, k) in keys.iter().enumerate() {
            let source = k.get(source_at).map_or("", String::as_str);
            by_source.entry(source).or_default().push(i);
        }
        for members in by_source.values() {
            let member_pops: Vec<u64> = members.iter().map(|&i| pops[i]).collect();
            let total: u64 = member_pops.iter().sum();
            let share = allocate(params.size.min(total), &member_pops);
            for (&i, q) in members.iter().zip(share) {
                quotas[i] = q;
            }
        }
        quotas
    } else {
        let total: u64 = pops.iter().sum();
        allocate(params.size.min(total), &pops)
    };

    let mut drawn = Vec::new();
    let mut strata_counts = BTreeMap::new();
    for ((key, files), (&pop, &quota)) in strata.iter().zip(pops.iter().zip(&quotas)) {
        let label = if key.is_empty() {
            "all".to_string()
        } else {
            key.join("/")
        };
        strata_counts.insert(
            label,
            StratumCount {
                records: pop,
                drawn: quota,
            },
        );
        let mut rng = SplitMix64::new(stratum_seed(params.seed, key));
        let picks = floyd(&mut rng, pop, quota);
        // Positions to (file, record): files in ledger order, cumulative counts.
        let mut file = 0usize;
        let mut before = 0u64;
        for pick in picks {
            while let Some(c) = files.get(file)
                && pick >= before + c.records
            {
                before += c.records;
                file += 1;
            }
            if let Some(c) = files.get(file) {
                drawn.push(Drawn {
                    row: c.row,
                    record: pick - before,
                });
            }
        }
    }
    drawn.sort_by_key(|d| (d.row, d.record));
    let ids: Vec<String> = drawn
        .iter()
        .filter_map(|d| candidates.get(&d.row).map(|c| c.id(d.record)))
        .collect();
    let sample_id = sample_id(&check.merkle_root, &params, &ids);
    Ok(Plan {
        params,
        audit_id: summary.audit_id,
        merkle_root: check.merkle_root,
        drawn,
        ids,
        strata_counts,
        sample_id,
        candidates,
    })
}

/// Validates `--stratify`: known names, each once, in the canonical order (so
/// `stage,source` and `source,stage` are one draw).
fn check_strata(strata: &mut Vec<String>) -> Result<(), SampleError> {
    for s in strata.iter() {
        if !STRATA.contains(&s.as_str()) {
            return Err(SampleError::Usage(format!(
                "--stratify {s:?}: use {}",
                STRATA.join(", ")
            )));
        }
    }
    let wanted: BTreeSet<&str> = strata.iter().map(String::as_str).collect();
    *strata = STRATA
        .iter()
        .filter(|s| wanted.contains(*s))
        .map(|s| s.to_string())
        .collect();
    Ok(())
}

/// Splits `n` over groups in proportion to `pops` (largest remainders, ties to the
/// earlier group); `n` must not exceed their sum, and no group gets more than its own.
pub fn allocate(n: u64, pops: &[u64]) -> Vec<u64> {
    let total: u128 = pops.iter().map(|&p| u128::from(p)).sum();
    if total == 0 {
        return vec![0; pops.len()];
    }
    let mut quotas: Vec<u64> = Vec::with_capacity(pops.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(pops.len());
    for (i, &p) in pops.iter().enumerate() {
        let exact = u128::from(n) * u128::from(p);
        quotas.push((exact / total) as u64);
        remainders.push((exact % total, i));
    }
    let given: u64 = quotas.iter().sum();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(rem, i) in remainders.iter().take(n.saturating_sub(given) as usize) {
        if rem > 0 || quotas[i] < pops[i] {
            quotas[i] += 1;
        }
    }
    quotas
}

/// `k` distinct positions in `0..n`, each `k`-subset equally likely (Floyd), ascending.
fn floyd(rng: &mut SplitMix64, n: u64, k: u64) -> BTreeSet<u64> {
    let mut set = BTreeSet::new();
    for j in n.saturating_sub(k)..n {
        let t = rng.below(j + 1);
        if !set.insert(t) {
            set.insert(j);
        }
    }
    set
}

/// The PRNG seed of one stratum: the user's seed and the stratum's key, hashed, so
/// strata draw independently and adding a source does not move another's draw.
fn stratum_seed(seed: u64, key: &[String]) -> u64 {
    let mut h = Sha256::new();
    h.update(b"provaudit-sample\x1f");
    h.update(seed.to_le_bytes());
    for part in key {
        h.update(b"\x1f");
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(bytes)
}

/// The sample's name: the audit (Merkle root), the parameters and the records drawn.
fn sample_id(merkle_root: &str, params: &SampleParams, ids: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(merkle_root.as_bytes());
    h.update(
        format!(
            "\n{}\n{}\n{}\n{}",
            params.seed,
            params.size,
            params.per_source,
            params.strata.join(",")
        )
        .as_bytes(),
    );
    for id in ids {
        h.update(b"\n");
        h.update(id.as_bytes());
    }
    hex(&h.finalize())[..16].to_string()
}

// ---------------------------------------------------------------------------------------
// Reading the drawn records

/// One sampled record as `sample.jsonl` holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleItem {
    /// 1-based position in the sample.
    pub n: u64,
    /// `root/path#record`.
    pub id: String,
    /// The source id.
    pub source: String,
    /// The stage (`unknown` when none).
    pub stage: String,
    /// The file's root, as the ledger records it.
    pub root: String,
    /// The file's path, as the ledger records it.
    pub file: String,
    /// 0-based record ordinal in the file (as in `findings.jsonl`).
    pub record: u64,
    /// The record kind.
    pub kind: String,
    /// The text fields, personal information masked.
    pub fields: Vec<SampleField>,
    /// Masked personal-information values per type.
    pub pii: BTreeMap<String, u64>,
    /// The risk categories the record's lexicon hits flag it for.
    pub flagged: Vec<String>,
    /// The text was cut at [`MAX_ITEM_CHARS`].
    pub truncated: bool,
    /// The classifier's score (`--classifier`), absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classifier: Option<super::classifier::Score>,
}

/// One text field of a sampled record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleField {
    /// The field path (`text`, `messages[1].content`).
    pub path: String,
    /// The text with every detected personal-information value replaced by its mask.
    pub text: String,
    /// Lexicon hits, located in `text` by character (code point) offsets.
    pub hits: Vec<SampleHit>,
}

/// A lexicon hit: its category and term id, never the term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleHit {
    /// First character.
    pub start: u64,
    /// One past the last character.
    pub end: u64,
    /// The risk category.
    pub category: String,
    /// `LEXICON#N`.
    pub term: String,
}

/// What `sample` needs besides the draw.
pub struct SampleOptions {
    /// Where the review set goes.
    pub out: PathBuf,
    /// The risk lexicons to screen the sampled text with (`None`: those the audit
    /// recorded, from their recorded paths).
    pub lexicons: Option<Vec<PathBuf>>,
    /// An external classifier over the sampled records (`--classifier`), and the score
    /// at or above which it flags a record.
    pub classifier: Option<(String, f64)>,
    /// User PII rules (`--config`'s `[pii]`), layered on the built-in ones as the scan
    /// did, so every value the audit's rules find is masked.
    pub pii: Option<crate::analyze::pii::PiiConfig>,
}

/// What `sample` wrote.
#[derive(Debug)]
pub struct Written {
    /// The manifest.
    pub manifest: SampleManifest,
    /// The files written.
    pub files: Vec<PathBuf>,
}

/// Draws, reads the drawn records, masks and screens them, and writes the review set.
pub fn run(
    audit: &AuditDir,
    params: &SampleParams,
    options: &SampleOptions,
) -> Result<Written, SampleError> {
    let plan = plan(audit, params)?;
    let summary = audit.summary()?;
    let screen = load_screen(&summary, options.lexicons.as_deref())?;
    let records = read_drawn(audit, &summary, &plan)?;
    let pii = match &options.pii {
        Some(config) => {
            PiiDetector::with_config(config).map_err(|e| SampleError::Usage(e.to_string()))?
        }
        None => PiiDetector::builtin(),
    };
    let mut items = Vec::with_capacity(plan.drawn.len());
    for (i, d) in plan.drawn.iter().enumerate() {
        let (Some(c), Some(record)) =
            (plan.candidates.get(&d.row), records.get(&(d.row, d.record)))
        else {
            continue;
        };
        items.push(item(
            i as u64 + 1,
            c,
            d.record,
            record,
            &pii,
            screen.as_ref(),
        ));
    }
    let classifier = match &options.classifier {
        Some((command, threshold)) => {
            let (scores, info) =
                super::classifier::run(command, *threshold, &items).map_err(SampleError::Usage)?;
            for (item, score) in items.iter_mut().zip(scores) {
                item.classifier = Some(score);
            }
            Some(info)
        }
        None => None,
    };
    let mut jsonl = Vec::new();
    for item in &items {
        serde_json::to_writer(&mut jsonl, item).map_err(|e| SampleError::Write(e.into()))?;
        jsonl.push(b'\n');
    }
    let manifest = SampleManifest {
        format: "provaudit.sample/1".into(),
        sample_id: plan.sample_id.clone(),
        params: plan.params.clone(),
        audit_id: plan.audit_id.clone(),
        merkle_root: plan.merkle_root.clone(),
        drawn: items.len() as u64,
        strata_counts: plan.strata_counts.clone(),
        records: plan.ids.clone(),
        sample_jsonl_sha256: hex(&Sha256::digest(&jsonl)),
        lexicons: screen
            .as_ref()
            .map(|s| s.lexicons().to_vec())
            .unwrap_or_default(),
        method: METHOD.into(),
        classifier,
    };
    std::fs::create_dir_all(&options.out).map_err(|e| {
        SampleError::Write(anyhow::anyhow!("creating {}: {e}", options.out.display()))
    })?;
    let page = super::page::render(&manifest, &items, &categories(screen.as_deref()));
    let mut manifest_text =
        serde_json::to_vec_pretty(&manifest).map_err(|e| SampleError::Write(e.into()))?;
    manifest_text.push(b'\n');
    let mut files = Vec::new();
    for (name, bytes) in [
        (SAMPLE_JSONL, jsonl.as_slice()),
        (SAMPLE_JSON, manifest_text.as_slice()),
        (super::REVIEW_HTML, page.as_bytes()),
    ] {
        let path = options.out.join(name);
        crate::ledger::write_atomic(&path, |w| Ok(w.write_all(bytes)?))
            .map_err(SampleError::Write)?;
        files.push(path);
    }
    Ok(Written { manifest, files })
}

/// How the sampled text was prepared (`sample.json` → `method`).
const METHOD: &str = "Records drawn uniformly at random without replacement (SplitMix64 seeded per stratum, Floyd's algorithm) from the ledger's per-file record counts, read again through the scan's readers after checking each file's SHA-256 against the ledger; every value the built-in personal-information rules detect is replaced by its mask; risk lexicon hits are given by category and term id only.";

/// The categories a reviewer can mark: every GB/T 45654-2025 Appendix A item, then the
/// lexicons' user categories.
fn categories(screen: Option<&SafetyScreen>) -> Vec<String> {
    let mut all = crate::analyze::safety::lexicon::appendix_a_items();
    if let Some(screen) = screen {
        let user: BTreeSet<String> = screen
            .lexicons()
            .iter()
            .flat_map(|l| l.terms.keys())
            .filter(|c| c.starts_with(crate::analyze::safety::lexicon::USER_PREFIX))
            .cloned()
            .collect();
        all.extend(user);
    }
    all
}

/// The risk lexicons: those given, else those the audit recorded; each must hash to
/// what the audit recorded, so the sample is screened with the audit's own library.
fn load_screen(
    summary: &crate::contract::Summary,
    given: Option<&[PathBuf]>,
) -> Result<Option<Arc<SafetyScreen>>, SampleError> {
    let recorded = summary
        .safety
        .as_ref()
        .map(|s| s.lexicons.clone())
        .unwrap_or_default();
    let paths: Vec<PathBuf> = match given {
        Some(paths) => paths.to_vec(),
        None => recorded.iter().map(|l| PathBuf::from(&l.path)).collect(),
    };
    if paths.is_empty() {
        return Ok(None);
    }
    let mut lexicons = Vec::new();
    for path in &paths {
        let loaded = crate::analyze::safety::lexicon::load(path).map_err(|e| {
            SampleError::Usage(format!(
                "{e} (the audit's risk lexicon; give it with --safety-lexicon)"
            ))
        })?;
        lexicons.extend(loaded);
    }
    if !recorded.is_empty() {
        for lexicon in &lexicons {
            let id = &lexicon.identity;
            if !recorded.iter().any(|r| r.sha256 == id.sha256) {
                return Err(SampleError::Usage(format!(
                    "risk lexicon {} (SHA-256 {}) is not one the audit was screened with; \
                     give the audit's lexicons with --safety-lexicon",
                    id.path, id.sha256
                )));
            }
        }
    }
    let screen = SafetyScreen::new(lexicons).map_err(|e| SampleError::Usage(e.to_string()))?;
    Ok(Some(Arc::new(screen)))
}

/// The drawn records, read once per file, in parallel; keyed by (ledger line, record).
fn read_drawn(
    audit: &AuditDir,
    summary: &crate::contract::Summary,
    plan: &Plan,
) -> Result<HashMap<(usize, u64), OwnedRecord>, SampleError> {
    let mut wanted: BTreeMap<usize, Vec<u64>> = BTreeMap::new();
    for d in &plan.drawn {
        wanted.entry(d.row).or_default().push(d.record);
    }
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let files = crate::audit::rehash::rediscover(summary, audit.path(), &Default::default())
        .map_err(|e| SampleError::Data(format!("{e:#}")))?;
    let mut locations: HashMap<(&str, &str), &crate::discover::Location> = HashMap::new();
    for f in &files {
        locations.insert((f.root.as_str(), f.path.as_str()), &f.location);
    }
    let read = read_options(summary);
    let jobs: Vec<(&Candidate, &Vec<u64>)> = wanted
        .iter()
        .filter_map(|(row, records)| plan.candidates.get(row).map(|c| (c, records)))
        .collect();
    let results: Vec<Result<Vec<(usize, OwnedRecord)>, SampleError>> = jobs
        .par_iter()
        .map(|(c, records)| {
            let name = crate::ledger::row::join(&c.root, &c.path);
            let location = locations
                .get(&(c.root.as_str(), c.path.as_str()))
                .ok_or_else(|| {
                    SampleError::Data(format!(
                        "{name}: no longer found under its root; the sample needs the audited data"
                    ))
                })?;
            let got = read_file(location, &name, c, records, &read)?;
            Ok(got.into_iter().map(|r| (c.row, r)).collect())
        })
        .collect();
    let mut out = HashMap::new();
    for result in results {
        for (row, record) in result? {
            out.insert((row, record.ordinal), record);
        }
    }
    Ok(out)
}

/// The reading options the scan used, from `summary.json`'s options.
fn read_options(summary: &crate::contract::Summary) -> ReadOptions {
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Recorded {
        text_unit: Option<TextUnit>,
        max_record_bytes: Option<usize>,
        max_expansion: Option<u64>,
    }
    let recorded = Recorded::deserialize(&summary.options).unwrap_or_default();
    let defaults = ReadOptions::default();
    ReadOptions {
        text_unit: recorded.text_unit.unwrap_or(defaults.text_unit),
        max_record_bytes: recorded
            .max_record_bytes
            .unwrap_or(defaults.max_record_bytes),
        max_expansion: recorded.max_expansion.unwrap_or(defaults.max_expansion),
    }
}

/// Keeps the k-th records the reader yields whose k is wanted (ascending); the record's
/// ordinal is set to k.
struct Wanted<'a> {
    wanted: &'a [u64],
    next: usize,
    seen: u64,
    kept: CollectSink,
}

impl RecordSink for Wanted<'_> {
    fn record(&mut self, record: &Record<'_>) {
        let k = self.seen;
        self.seen += 1;
        if self.wanted.get(self.next) == Some(&k) {
            self.next += 1;
            self.kept.record(record);
            if let Some(last) = self.kept.records.last_mut() {
                last.ordinal = k;
            }
        }
    }
    fn error(&mut self, _error: ReadError) {}
}

/// Reads one file's wanted records, checking its bytes against the ledger's SHA-256.
fn read_file(
    location: &crate::discover::Location,
    name: &str,
    c: &Candidate,
    wanted: &[u64],
    options: &ReadOptions,
) -> Result<Vec<OwnedRecord>, SampleError> {
    let data = |what: String| SampleError::Data(format!("{name}: {what}"));
    let source = location
        .open(name)
        .map_err(|e| data(format!("cannot open: {e}")))?;
    let compression = match c.compression.as_str() {
        "gzip" => Compression::Gzip,
        "zstd" => Compression::Zstd,
        _ => Compression::None,
    };
    let mut sink = Wanted {
        wanted,
        next: 0,
        seen: 0,
        kept: CollectSink::default(),
    };
    let digest = if formats::needs_random_access(&c.format, compression) {
        formats::read_random_access(&c.format, source.clone(), options, &mut sink)
            .map_err(|e| data(format!("cannot be read again: {e}")))?;
        crate::bytesource::sha256(&source).map_err(|e| data(format!("cannot be hashed: {e}")))?
    } else {
        stream(&source, &c.format, compression, options, &mut sink).map_err(data)?
    };
    if let Some(want) = &c.sha256
        && !hex(&digest).eq_ignore_ascii_case(want)
    {
        return Err(data(
            "changed since the audit (its SHA-256 differs from the ledger's); scan again before sampling"
                .into(),
        ));
    }
    if sink.next < wanted.len() {
        return Err(data(format!(
            "holds {} records, the ledger counted {}; scan again before sampling",
            sink.seen, c.records
        )));
    }
    Ok(sink.kept.records)
}

/// Streams a file through its reader, hashing the raw bytes on the way; bytes the reader
/// leaves unread are hashed too. Returns the digest.
fn stream(
    source: &Arc<dyn ByteSource>,
    format: &Format,
    compression: Compression,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<[u8; 32], String> {
    let mut raw = HashingReader::new(SourceCursor::new(source.clone(), 0));
    {
        let input = formats::decompress(&mut raw, compression)
            .map_err(|e| format!("cannot be decompressed: {e}"))?;
        let cap = formats::expansion_cap(source.len(), options.max_expansion);
        let mut input = formats::Capped::new(input, cap);
        // A fatal read error ends the file; the records before it are kept, and the
        // record count check below says when a wanted one is missing.
        let _ = formats::read_stream_sized(format, &mut input, Some(source.len()), options, sink);
    }
    let mut rest = [0u8; 1 << 16];
    loop {
        match raw.read(&mut rest) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("cannot be read: {e}")),
        }
    }
    raw.finish().map_err(|e| format!("cannot be read: {e}"))
}

// ---------------------------------------------------------------------------------------
// Masking and screening one record

/// The review set's form of one record.
fn item(
    n: u64,
    c: &Candidate,
    record_index: u64,
    record: &OwnedRecord,
    pii: &PiiDetector,
    screen: Option<&Arc<SafetyScreen>>,
) -> SampleItem {
    let mut scratch = crate::analyze::safety::SafetyScratch::default();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut fields = Vec::with_capacity(record.fields.len());
    let mut all_hits: Vec<SafetyHit> = Vec::new();
    let mut budget = MAX_ITEM_CHARS;
    let mut truncated = false;
    for (path, text) in &record.fields {
        let mut matches: Vec<PiiMatch> = Vec::new();
        pii.scan(text, &mut matches);
        let mut hits = Vec::new();
        if let Some(screen) = screen {
            screen.screen_field(&mut scratch, text, &mut hits);
        }
        all_hits.extend(hits.iter().copied());
        for m in &matches {
            *counts.entry(m.pii_type.as_str().to_string()).or_default() += 1;
        }
        let masked = Masked::new(pii, text, &matches);
        let mut field = SampleField {
            path: path.clone(),
            text: masked.text.clone(),
            hits: hits
                .iter()
                .filter_map(|h| {
                    let screen = screen?;
                    Some(SampleHit {
                        start: masked.map(text, h.start, false) as u64,
                        end: masked.map(text, h.end, true) as u64,
                        category: screen.category(h.category).to_string(),
                        term: screen.term_id(h.term),
                    })
                })
                .collect(),
        };
        let chars = field.text.chars().count();
        if chars > budget {
            truncated = true;
            field.text = field.text.chars().take(budget).collect();
            let cut = budget as u64;
            field.hits.retain(|h| h.start < cut);
            for h in &mut field.hits {
                h.end = h.end.min(cut);
            }
        }
        budget = budget.saturating_sub(chars);
        fields.push(field);
    }
    let flagged = screen
        .map(|screen| {
            let mut weights = Vec::new();
            let mut cats = Vec::new();
            screen.flagged(&all_hits, &mut weights, &mut cats);
            cats.iter()
                .map(|&i| screen.category(i).to_string())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        })
        .unwrap_or_default();
    SampleItem {
        n,
        id: c.id(record_index),
        source: c.source.clone(),
        stage: c.stage.clone(),
        root: c.root.clone(),
        file: c.path.clone(),
        record: record_index,
        kind: record.kind.as_str().to_string(),
        fields,
        pii: counts,
        flagged,
        truncated,
        classifier: None,
    }
}

/// A field's text with its PI values replaced by their masks, and a map from the
/// original text's byte offsets to the masked text's character offsets.
struct Masked {
    text: String,
    /// (original byte start, original byte end, masked char start, masked char end) of
    /// each piece: kept text and masks alternate.
    pieces: Vec<(usize, usize, usize, usize, bool)>,
}

impl Masked {
    fn new(pii: &PiiDetector, text: &str, matches: &[PiiMatch]) -> Masked {
        let mut spans: Vec<(usize, usize, &PiiMatch)> =
            matches.iter().map(|m| (m.start, m.end, m)).collect();
        spans.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
        let mut out = String::with_capacity(text.len());
        let mut pieces = Vec::new();
        let mut at = 0usize;
        let mut chars = 0usize;
        let mut push = |out: &mut String, start: usize, end: usize, piece: &str, mask: bool| {
            let before = chars;
            out.push_str(piece);
            chars += piece.chars().count();
            pieces.push((start, end, before, chars, mask));
        };
        for (start, end, m) in spans {
            if end <= at || text.get(start.max(at)..end).is_none() {
                continue;
            }
            if start > at {
                push(&mut out, at, start, &text[at..start], false);
                let mask = pii.mask(m, text);
                push(&mut out, start, end, &mask, true);
            } else {
                // Overlaps the previous mask: hide the rest of it too.
                let rest = &text[at..end];
                push(&mut out, at, end, &"*".repeat(rest.chars().count()), true);
            }
            at = end;
        }
        if at < text.len() {
            push(&mut out, at, text.len(), &text[at..], false);
        }
        Masked { text: out, pieces }
    }

    /// The masked text's character offset of byte `byte` of the original `text`: a
    /// start offset belongs to the piece it opens, an end offset to the piece it closes;
    /// inside a mask, the mask's start (or end, for an end offset). Kept pieces are
    /// copied as they are, so characters count the same in both.
    fn map(&self, text: &str, byte: usize, end: bool) -> usize {
        let piece = self.pieces.iter().find(|&&(start, stop, ..)| {
            if end {
                start < byte && byte <= stop
            } else {
                start <= byte && byte < stop
            }
        });
        match piece {
            Some(&(_, _, c0, c1, true)) => {
                if end {
                    c1
                } else {
                    c0
                }
            }
            Some(&(start, _, c0, _, false)) => {
                c0 + text.get(start..byte).map_or(0, |s| s.chars().count())
            }
            None if end || byte == 0 => 0,
            None => self.pieces.last().map_or(0, |p| p.3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_is_proportional_and_exact() {
        assert_eq!(allocate(10, &[50, 30, 20]), vec![5, 3, 2]);
        assert_eq!(allocate(3, &[1, 1, 1]), vec![1, 1, 1]);
        assert_eq!(allocate(0, &[5]), vec![0]);
        let q = allocate(7, &[3, 3, 3]);
        assert_eq!(q.iter().sum::<u64>(), 7);
        assert!(q.iter().all(|&x| x <= 3));
    }

    #[test]
    fn floyd_draws_distinct_positions_in_range() {
        let mut rng = SplitMix64::new(1);
        let s = floyd(&mut rng, 100, 40);
        assert_eq!(s.len(), 40);
        assert!(s.iter().all(|&x| x < 100));
        let mut rng = SplitMix64::new(1);
        assert_eq!(floyd(&mut rng, 5, 9).len(), 5);
    }
}
