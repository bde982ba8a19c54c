//! The scan: discover → plan → read and analyse in parallel → merge → ledger.
//!
//! Files are handed to a rayon pool one at a time in ledger order; a worker plans each
//! file (opens it, sniffs its format, cuts it into units) and runs its units, sending
//! the results to a collector on the calling thread. The collector merges each file's
//! units as soon as the last one arrives and finishes files in ledger order through a
//! bounded reorder window ([`REORDER_WINDOW`]): scan-level duplicates settled, row
//! built and streamed to the ledger, the summary's figures and the policy's tally, and
//! the file's figures dropped. So memory holds the files in the window, the units in
//! flight and the scan's distinct fingerprints, never file contents and never a row
//! per file.

mod baseline;
pub mod execute;
pub mod license_scope;
pub mod plan;
pub mod resume;
pub mod shard_plan;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, mpsc};
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use crate::aggregate::FileResult;
use crate::aggregate::dedup::{KeyBag, ScanFirsts};
use crate::aggregate::near_dup::{NearDupIndex, NearDupRecords, RecordSpill};
use crate::aggregate::web_hosts::WebHostIndex;
use crate::analyze::Detectors;
use crate::analyze::minhash::MinHashParams;
use crate::audit::policy::PolicyTally;
use crate::bytesource::Metered;
use crate::config::policy::Policy;
use crate::detect::{self, Columns, Merge};
use crate::discover::shard::{Shard, ShardInfo};
use crate::discover::{self, DiscoverOptions, DiscoveredFile, Source};
use crate::formats::{ReadError, ReadOptions};
use crate::ledger::basis::ScanBasis;
use crate::ledger::build::build_row;
use crate::ledger::findings::{Finding, FindingsMode, FindingsSpill};
use crate::ledger::fingerprints::{FileKeys, FingerprintSpill};
use crate::ledger::summary::{self, AuditBasis, RowFigures, Summary};
use crate::ledger::summary::{Incremental, Sketches};
use crate::ledger::{self, LedgerRow, LedgerWriter, ScanOutcome, Status};
use crate::progress::{Meter, Phase, Progress};
use baseline::{Baseline, Reused};
use execute::{UnitContext, UnitResult};
use license_scope::LicenseScope;
use plan::{FilePlan, Work};

/// Everything a scan needs to know.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Roots to scan, in command-line order (local paths or object-store URLs).
    pub roots: Vec<PathBuf>,
    /// The audit directory to write; never scanned itself.
    pub out: PathBuf,
    /// What to walk and how.
    pub discover: DiscoverOptions,
    /// Options every reader honours.
    pub read: ReadOptions,
    /// Byte-range size for splitting large line-based files (0 never splits); `None`
    /// decides from the scan's size and threads (see [`plan::Chunking::auto`]).
    pub chunk_bytes: Option<u64>,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Progress on stderr: a bar on a terminal, lines in logs (`--progress-interval`,
    /// `--log-format`).
    pub progress: crate::progress::ProgressOptions,
    /// Which occurrences go to `findings.jsonl` (`--findings`).
    pub findings: FindingsMode,
    /// User rules (`--config`).
    pub config: std::sync::Arc<crate::config::Config>,
    /// Gates checked on the finished ledger (`--policy`, `--fail-on`).
    pub policy: Option<Policy>,
    /// A prior audit whose rows are reused for unchanged files (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// With a baseline, also compare SHA-256 before reusing a row (`--rehash`).
    pub rehash: bool,
    /// Scan only this share of the discovered files (`--shard I/N`).
    pub shard: Option<Shard>,
    /// The shard's list from a plan (`--plan`): used instead of listing the roots.
    pub plan: Option<Arc<shard_plan::ShardPlan>>,
    /// Write the disclosure with these checks before `summary.json`, which records
    /// its hashes; `None` writes none (`--no-report`, library callers).
    pub report: Option<crate::report::Checks>,
    /// Look for near-duplicates with these MinHash-LSH parameters
    /// (`--near-duplicates`); `None` leaves ledger and outputs as without it.
    pub near_duplicates: Option<MinHashParams>,
    /// The risk lexicons to screen with (`--safety-lexicon`, `[safety] lexicons`);
    /// `None` screens nothing.
    pub safety: Option<std::sync::Arc<crate::analyze::safety::SafetyScreen>>,
    /// The evaluation items to look for (`--eval-sets`, `[contamination]`); `None`
    /// looks for none.
    pub eval_sets: Option<std::sync::Arc<crate::analyze::contamination::EvalIndex>>,
}

impl ScanOptions {
    /// The defaults of the command line for `roots`, writing to `out`.
    pub fn new(roots: Vec<PathBuf>, out: PathBuf) -> Self {
        ScanOptions {
            roots,
            out,
            discover: DiscoverOptions::default(),
            read: ReadOptions::default(),
            chunk_bytes: None,
            threads: None,
            progress: crate::progress::ProgressOptions::OFF,
            findings: FindingsMode::Sample(DEFAULT_FINDINGS_SAMPLE),
            config: Default::default(),
            policy: None,
            baseline: None,
            rehash: false,
            shard: None,
            plan: None,
            report: None,
            near_duplicates: None,
            safety: None,
            eval_sets: None,
        }
    }
}

/// Findings kept per file and type by default (`--findings sample`).
pub const DEFAULT_FINDINGS_SAMPLE: usize = 20;

/// Worker threads are named with this prefix (the panic hook keys on it).
pub const WORKER_PREFIX: &str = "provaudit-worker-";

/// Why a scan could not run (exit code 2): the request itself is unusable.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The roots, globs or a declaration are unusable.
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    /// The audit directory could not be written.
    #[error("cannot write the audit to {out}: {source:#}")]
    Output {
        /// The audit directory.
        out: String,
        /// What failed.
        source: anyhow::Error,
    },
    /// The user's PII rules are invalid.
    #[error("invalid PII rules in the config: {0}")]
    Rules(#[from] crate::analyze::pii::PiiConfigError),
    /// The worker pool could not be started.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

/// Runs a whole scan: discovers, reads every file on a worker pool and writes the
/// audit directory (`summary.json` last). Read errors are recorded in rows, not
/// returned; only an unusable request or unwritable outputs are errors.
///
/// Rows are not kept: each goes to the ledger files, the Merkle root, the summary's
/// figures and the policy's tally as its file is finished, in ledger order (through a
/// bounded reorder window, [`REORDER_WINDOW`]). [`ScanOutcome::rows`] reads them back.
pub fn run(options: &ScanOptions) -> Result<ScanOutcome, ScanError> {
    run_listed(options, None)
}

/// [`run`], taking the listing from `listed` when it was made for the same output
/// (`--resume` lists the roots to compare with a kept audit; a scan that follows a
/// mismatch should not list a bucket of millions of objects a second time).
pub fn run_listed(options: &ScanOptions, listed: Option<Listed>) -> Result<ScanOutcome, ScanError> {
    let started = SystemTime::now();
    let clock = Instant::now();
    crate::contract::refuse_url_output(&options.out).map_err(|e| ScanError::Output {
        out: options.out.display().to_string(),
        source: anyhow::Error::msg(e),
    })?;
    let listing_progress = Progress::start(options.progress, Phase::List);
    let Listing {
        mut files,
        discovery,
        license_files,
        shard,
        sha256: listing_sha256,
    } = match listed.filter(|l| l.out == options.out) {
        Some(listed) => listed.listing,
        None => list(options, listing_progress.meter())?,
    };
    listing_progress.finish();
    let detectors = options.detectors()?;
    let pool = build_pool(options.threads)?;
    let license_scope = pool.install(|| {
        LicenseScope::identify(
            license_files.as_deref().unwrap_or(&files),
            &detectors.license,
        )
    });
    if let Some(s) = options.shard.filter(|_| options.plan.is_none()) {
        files.retain(|f| s.owns(f.root_index, &f.path));
    }
    let total_bytes: u64 = files.iter().map(|f| f.bytes).sum();
    let chunking = match options.chunk_bytes {
        Some(bytes) => plan::Chunking::fixed(bytes),
        None => plan::Chunking::auto(total_bytes, pool.current_num_threads()),
    };
    let out_err = |source: anyhow::Error| ScanError::Output {
        out: options.out.display().to_string(),
        source,
    };
    let basis = options.basis(&detectors);
    // Everything taken from the baseline is read before the output directory is
    // touched: re-auditing in place (`--out A --baseline A`) is the common case.
    let baseline = options
        .baseline
        .as_deref()
        .and_then(|dir| load_baseline(dir, &basis, options.rehash))
        .filter(|b| reuse_allowed(b, options));
    let incremental = baseline
        .as_ref()
        .map(|b| reuse_rows(b, &files, &pool, options.near_duplicates.as_ref()));
    std::fs::create_dir_all(&options.out).map_err(|e| out_err(e.into()))?;
    ledger::retract_completion(&options.out).map_err(out_err)?;
    let near_spill = options
        .near_duplicates
        .map(|_| RecordSpill::new(&options.out).map(Arc::new))
        .transpose()
        .map_err(|e| out_err(e.into()))?;
    let spill = FindingsSpill::new(&options.out).map_err(out_err)?;
    let keys_spill = FingerprintSpill::new(&options.out).map_err(out_err)?;
    let spares = detect::Spares::new(pool.current_num_threads()).with_near_spill(near_spill);
    let context = UnitContext {
        read: options.read,
        detectors: &detectors,
        findings: options.findings,
        spares: Some(&spares),
    };
    let (reused, all_reused) = incremental.unwrap_or_default();
    let reused_files = reused.iter().filter(|r| r.is_some()).count() as u64;
    let mut finisher = Finisher {
        files: &files,
        detectors: &detectors,
        license_scope: &license_scope,
        findings: &spill,
        keys: &keys_spill,
        reused,
        // With every row reused unchanged and in order, scan-level duplicates and
        // sketches carry over from the baseline as they are.
        firsts: (!all_reused).then(|| ScanFirsts::for_bytes(total_bytes)),
        near: options
            .near_duplicates
            .map(|p| NearDupIndex::on_disk(p, &options.out))
            .transpose()
            .map_err(|e| out_err(e.into()))?,
        web: WebHostIndex::default(),
        near_keys: options
            .near_duplicates
            .map(|p| ledger::near_dup_keys::Writer::create(&options.out, &p))
            .transpose()
            .map_err(out_err)?,
        rows: RowSink {
            ledger: LedgerWriter::create_with(&options.out, options.near_duplicates.is_some())
                .map_err(out_err)?
                .with_safety_column(detectors.safety.is_some())
                .with_contamination_column(detectors.contamination.is_some()),
            figures: RowFigures::default(),
            policy: options.policy.as_ref().map(PolicyTally::new),
            problems: Vec::new(),
            report: Default::default(),
            failed: None,
        },
    };
    execute_all(options, chunking, &context, &mut finisher, &pool);
    let Finisher {
        firsts,
        rows,
        near,
        mut web,
        near_keys,
        ..
    } = finisher;
    // Every file is settled: the spill directory of waiting records goes now, not
    // after the summary.
    drop(spares);
    if let Some(e) = rows.failed {
        return Err(out_err(e));
    }
    if let Some(keys) = near_keys {
        keys.finish().map_err(out_err)?;
    }
    let near_summary = match near {
        Some(mut index) => {
            ledger::near_dup::write(&options.out, &mut index, &files).map_err(out_err)?;
            index.check().map_err(|e| out_err(e.into()))?;
            Some(summary::NearDupSummary::of(&mut index))
        }
        None => None,
    };
    let sketches = match (&baseline, firsts) {
        (Some(b), None) => b.sketches().map_err(out_err)?,
        (_, firsts) => sketches(&firsts.unwrap_or_default()),
    };
    spill.finish(&options.out, files.len()).map_err(out_err)?;
    match (&baseline, all_reused) {
        (Some(b), true) => {
            keys_spill.discard().map_err(out_err)?;
            b.copy_keys_to(&options.out).map_err(out_err)?;
        }
        _ => keys_spill
            .finish(&options.out, files.len())
            .map_err(out_err)?,
    }
    let written = rows.ledger.finish().map_err(out_err)?;
    if all_reused && let Some(b) = &baseline {
        // Every row came from the baseline unchanged: so do its host lists.
        web = WebHostIndex::default();
        web.fold_rows(ledger::web_hosts::read(b.dir()).map_err(out_err)?);
    }
    let (web_summary, web_hash) = ledger::web_hosts::finish(&options.out, &web).map_err(out_err)?;
    let mut outputs = ledger::output_hashes(&options.out).map_err(out_err)?;
    if let Some(hash) = web_hash {
        outputs.insert(ledger::web_hosts::WEB_HOSTS_JSONL.to_string(), hash);
    }
    if near_summary.is_some() {
        outputs.extend(ledger::near_dup::output_hashes(&options.out).map_err(out_err)?);
    }
    let mut summary = summarize(
        options,
        &files,
        rows.figures,
        written.merkle_root,
        basis,
        started,
        clock,
    );
    summary.outputs = outputs;
    summary.discovery = Some(discovery);
    summary.listing_sha256 = Some(listing_sha256);
    summary.shard = shard;
    summary.remote = remote_summary(options);
    summary.sketches = sketches;
    summary.incremental = baseline.as_ref().map(|b| Incremental {
        baseline: b.audit_id().to_string(),
        reused_files,
        read_files: files.len() as u64 - reused_files,
    });
    summary.policy = rows.policy.map(PolicyTally::finish);
    summary.near_duplicates = near_summary;
    summary.web_hosts = web_summary;
    summary.contamination = options
        .eval_sets
        .as_deref()
        .map(summary::ContaminationSummary::of);
    if let Some(checks) = &options.report {
        let disclosures =
            crate::report::write_for_scan(&options.out, &summary, checks, rows.report)
                .map_err(|e| out_err(e.into()))?;
        summary.outputs.extend(disclosures);
    }
    ledger::write_summary(&options.out, &summary).map_err(out_err)?;
    Ok(ScanOutcome {
        summary,
        out: options.out.clone(),
        problems: rows.problems,
    })
}

/// What the scan covers: the whole listing, or (with a shard) what is needed to take
/// the shard's share of it.
#[derive(Debug)]
struct Listing {
    /// Every listed file; with a plan, only the shard's.
    files: Vec<DiscoveredFile>,
    discovery: discover::DiscoveryCounts,
    /// With a plan, the whole listing's license files (`files` holds them all otherwise).
    license_files: Option<Vec<DiscoveredFile>>,
    shard: Option<ShardInfo>,
    /// The whole listing's SHA-256.
    sha256: String,
}

/// The discover options of a scan: the output folder is never walked, and paths are
/// masked as the PII detector would mask them.
pub fn discover_options(options: &ScanOptions) -> DiscoverOptions {
    let mut discover_options = options.discover.clone();
    discover_options.skip.push(options.out.clone());
    discover_options
        .mask
        .get_or_insert_with(crate::analyze::pii::path_mask);
    discover_options
}

/// Lists the roots, or takes the shard's share from its plan. `listed` counts the
/// files found so far, for progress while a large tree or bucket is listed.
fn list(options: &ScanOptions, listed: &crate::progress::Meter) -> Result<Listing, ScanError> {
    if let Some(plan) = &options.plan {
        return Ok(Listing {
            files: plan.files.clone(),
            discovery: plan.discovery.clone(),
            license_files: Some(plan.license_files.clone()),
            shard: Some(plan.shard.clone()),
            sha256: plan.shard.listing_sha256.clone(),
        });
    }
    let mut discover_options = discover_options(options);
    discover_options.listed = listed.clone();
    let (files, discovery) = discover::discover_counted(&options.roots, &discover_options)?;
    let sha256 = discover::shard::listing_digest(&files);
    let shard = options
        .shard
        .map(|s| ShardInfo::with_digest(s, files.len() as u64, sha256.clone()));
    Ok(Listing {
        files,
        discovery,
        license_files: None,
        shard,
        sha256,
    })
}

/// A listing made ahead of the scan, for [`run_listed`]. It is only valid for the
/// output directory it was made with: the output folder is never walked.
#[derive(Debug)]
pub struct Listed {
    out: PathBuf,
    listing: Listing,
}

impl Listed {
    /// Lists what the scan would list now (a plan's files, when scanning from one).
    pub fn now(options: &ScanOptions) -> Result<Listed, ScanError> {
        Ok(Listed {
            out: options.out.clone(),
            listing: list(options, &crate::progress::Meter::default())?,
        })
    }

    /// The whole listing's SHA-256, as `summary.json` records it.
    pub fn sha256(&self) -> &str {
        &self.listing.sha256
    }
}

/// Object-store traffic, when any root is remote.
fn remote_summary(options: &ScanOptions) -> Option<summary::RemoteSummary> {
    let any_remote = options
        .roots
        .iter()
        .any(|r| crate::remote::is_remote(&r.to_string_lossy()));
    any_remote.then(|| summary::RemoteSummary {
        s3_endpoint: options.discover.remote.s3_endpoint.clone(),
        counters: options.discover.remote_stats.snapshot(),
    })
}

/// Near-duplicates need every earlier record's signature: a baseline serves only when
/// it kept them (`near_duplicates.bin`); else every file is read (a note on stderr
/// says so).
fn reuse_allowed(baseline: &Baseline, options: &ScanOptions) -> bool {
    if options.near_duplicates.is_some() && !baseline.has_near_sidecar() {
        eprintln!(
            "provaudit: baseline {} not used with --near-duplicates (it kept no {}); every file is read",
            baseline.dir().display(),
            ledger::near_dup_keys::NEAR_DUPLICATES_BIN
        );
        return false;
    }
    true
}

/// The prior audit, or a note on stderr saying why every file is read instead.
fn load_baseline(dir: &Path, basis: &ScanBasis, rehash: bool) -> Option<Baseline> {
    match Baseline::load(dir, &basis.rules_hash, &basis.config_hash, rehash) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!(
                "provaudit: baseline {} not used ({e:#}); every file is read",
                dir.display()
            );
            None
        }
    }
}

/// Decides which files keep their prior rows (their plans then read nothing, see
/// [`plan_unit`]) and gathers what each reused file brings. Also says whether every file was reused unchanged in
/// the same order, when scan-level duplicates and fingerprints carry over as they are.
fn reuse_rows(
    baseline: &Baseline,
    files: &[DiscoveredFile],
    pool: &rayon::ThreadPool,
    near: Option<&MinHashParams>,
) -> (Vec<Option<Reused>>, bool) {
    let shared = baseline.shared_paths();
    let mut reuse: Vec<Option<usize>> = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                baseline
                    .reusable(f)
                    .filter(|_| !shared.contains(f.path.as_str()))
            })
            .collect()
    });
    let all_reused = files.len() == baseline.rows()
        && reuse.iter().enumerate().all(|(f, prior)| *prior == Some(f));
    let mut keys = Vec::new();
    if !all_reused && reuse.iter().any(Option::is_some) {
        match baseline.keys() {
            Ok(k) => keys = k,
            Err(e) => {
                eprintln!(
                    "provaudit: baseline fingerprints unreadable ({e:#}); every file is read"
                );
                reuse.iter_mut().for_each(|r| *r = None);
            }
        }
    }
    let mut near_records = Vec::new();
    if let Some(params) = near.filter(|_| reuse.iter().any(Option::is_some)) {
        match baseline.near_records(params, &reuse) {
            Ok(records) => near_records = records,
            Err(e) => {
                eprintln!(
                    "provaudit: baseline near-duplicate signatures unreadable ({e:#}); every file is read"
                );
                return (files.iter().map(|_| None).collect(), false);
            }
        }
    }
    let paths: Vec<(&str, &str)> = files
        .iter()
        .zip(&reuse)
        .filter(|(_, r)| r.is_some())
        .map(|(f, _)| (f.root.as_str(), f.path.as_str()))
        .collect();
    let mut findings = match baseline.findings(&paths) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("provaudit: baseline findings unreadable ({e:#}); every file is read");
            return (files.iter().map(|_| None).collect(), false);
        }
    };
    let reused = reuse
        .iter()
        .zip(files)
        .enumerate()
        .map(|(f, (prior, file))| {
            let prior = (*prior)?;
            let keys = (!all_reused).then(|| std::mem::take(&mut keys[prior]));
            Some(Reused {
                result: baseline.result(prior, keys.as_ref()),
                keys,
                findings: findings
                    .remove(&(file.root.clone(), file.path.clone()))
                    .unwrap_or_default(),
                near: near_records.get_mut(f).and_then(Option::take),
            })
        })
        .collect();
    (reused, all_reused)
}

fn build_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, ScanError> {
    let mut builder =
        rayon::ThreadPoolBuilder::new().thread_name(|i| format!("{WORKER_PREFIX}{i}"));
    if let Some(n) = threads {
        builder = builder.num_threads(n.max(1));
    }
    builder
        .build()
        .map_err(|e| ScanError::Threads(e.to_string()))
}

/// Files taken from the listing but not yet finished in ledger order, at most: the
/// reorder window's bound.
///
/// Files are handed to the pool in ledger order and finish in about that order, but one
/// slow file (a large one, read as a single unit) holds back every later file's row.
/// Rather than let finished files pile up behind it, the feeder stops taking new files
/// once this many are outstanding, and the pool works on the head file's units and
/// those already taken until the head finishes. So the window holds at most this many
/// files' figures (a few KB each for small files; a large file's figures do not grow
/// with its size, only its distinct fingerprints do), whatever the number of files.
/// The cost is idle threads while a single huge file finishes after a window of later
/// ones; a larger window would hide more of that at more memory.
pub const REORDER_WINDOW: usize = 4096;

/// The window between the feeder and the collector: the feeder waits while it is full;
/// the collector widens it as files finish in order, and closes it on a fatal output
/// error so no more files are read for nothing.
#[derive(Default)]
struct Window {
    finished: Mutex<usize>,
    moved: Condvar,
    closed: AtomicBool,
}

impl Window {
    /// Waits until file `index` fits in the window; false when the scan stopped.
    fn admit(&self, index: usize) -> bool {
        let mut finished = self.finished.lock().unwrap_or_else(PoisonError::into_inner);
        while index >= *finished + REORDER_WINDOW && !self.closed.load(Ordering::Acquire) {
            finished = self
                .moved
                .wait(finished)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !self.closed.load(Ordering::Acquire)
    }

    /// Files `0..finished` are done.
    fn advance(&self, finished: usize) {
        *self.finished.lock().unwrap_or_else(PoisonError::into_inner) = finished;
        self.moved.notify_all();
    }

    /// Stops the feeder (an output cannot be written).
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let _guard = self.finished.lock().unwrap_or_else(PoisonError::into_inner);
        self.moved.notify_all();
    }
}

/// What a worker sends the collector: a file's plan with one finished unit, or with
/// none when the file has no units (skipped, failed to open, or reused).
struct Done {
    file: usize,
    plan: Arc<FilePlan>,
    unit: Option<(usize, UnitResult)>,
}

/// A file with units still out: the results so far and its fingerprints, absorbed as
/// each unit arrives (bags union in any order), so a split file's bag compacts as it
/// grows.
struct Partial {
    parts: Vec<Option<UnitResult>>,
    remaining: usize,
    keys: (KeyBag, KeyBag),
}

/// A file whose units are all merged, waiting for its turn in ledger order.
struct Merged {
    plan: Arc<FilePlan>,
    /// `None` for a file that had no units: its figures are the default (or reused).
    merged: Option<(FileResult, Vec<Finding>, FileKeys, NearDupRecords)>,
}

/// Plans file `f` and runs its units, sending each result to the collector. Planning
/// happens here, on the pool, as the file's turn comes, so opening and sniffing
/// overlap reading instead of preceding it; a file read as one unit is read through
/// the descriptor planning opened.
fn plan_unit(
    f: usize,
    file: &DiscoveredFile,
    reused: bool,
    chunking: plan::Chunking,
    context: &UnitContext<'_>,
    meter: &Meter,
    tx: &mpsc::Sender<Done>,
) {
    let mut plan = plan::plan_file(file, chunking, context.read.text_unit);
    if reused {
        plan.work.clear();
        plan.fatal = None;
    }
    let plan = Arc::new(plan);
    let shares = progress_shares(&plan.work, file.bytes);
    let run = |u: usize| {
        let source = plan.source.as_ref()?;
        // Bytes are counted as the unit reads them, up to its share of the file.
        let share = shares.get(u).copied().unwrap_or(0);
        let metered = Metered::wrap(source.clone(), share, meter);
        let result = execute::execute(
            &plan.work[u],
            &plan.format,
            plan.compression,
            &metered,
            context,
        );
        // The unit is done with the file for now: close it (or drop its cached
        // blocks) here rather than when the collector gets to it, so descriptors and
        // memory track units in flight.
        source.release();
        Some(result)
    };
    match plan.work.len() {
        0 => {
            if let Some(source) = &plan.source {
                source.release();
            }
            let _ = tx.send(Done {
                file: f,
                plan: plan.clone(),
                unit: None,
            });
        }
        1 => {
            let unit = run(0).map(|r| (0, r));
            let _ = tx.send(Done {
                file: f,
                plan: plan.clone(),
                unit,
            });
        }
        n => {
            (0..n).into_par_iter().for_each_with(tx.clone(), |tx, u| {
                let unit = run(u).map(|r| (u, r));
                let _ = tx.send(Done {
                    file: f,
                    plan: plan.clone(),
                    unit,
                });
            });
        }
    }
}

/// Each unit's share of the file's bytes in progress: what it reads, the first unit
/// also taking what no unit reads whole (a LICENSE file read only as a license text,
/// the remainder of row groups), so a finished file has counted exactly its bytes.
fn progress_shares(work: &[Work], file_bytes: u64) -> Vec<u64> {
    let mut shares: Vec<u64> = work
        .iter()
        .map(|w| w.progress_bytes(file_bytes, work.len()))
        .collect();
    let counted: u64 = shares.iter().sum();
    if let Some(first) = shares.first_mut() {
        *first += file_bytes.saturating_sub(counted);
    }
    shares
}

/// Runs every file's units on the pool and finishes the files in ledger order as their
/// last units arrive (see [`REORDER_WINDOW`]), handing each to `finisher`.
fn execute_all(
    options: &ScanOptions,
    chunking: plan::Chunking,
    context: &UnitContext<'_>,
    finisher: &mut Finisher<'_>,
    pool: &rayon::ThreadPool,
) {
    let files = finisher.files;
    let progress = Progress::start(options.progress, Phase::Scan);
    let meter = progress.meter();
    meter.set_total(files.len() as u64, files.iter().map(|f| f.bytes).sum());
    let reused: Vec<bool> = finisher.reused.iter().map(Option::is_some).collect();
    let window = Window::default();
    let (tx, rx) = mpsc::channel::<Done>();
    std::thread::scope(|scope| {
        let window = &window;
        let reused = &reused;
        // The feeder hands files to the scan's own pool (`--threads` bounds the work)
        // one at a time in ledger order, first in first out, so they finish in about
        // ledger order and the reorder window stays small. It waits for the window on
        // its own thread, never on a worker: a worker that blocked could hold units
        // the head file needs.
        scope.spawn(move || {
            pool.in_place_scope_fifo(|jobs| {
                for (f, file) in files.iter().enumerate() {
                    if !window.admit(f) {
                        break;
                    }
                    let reused = reused.get(f).copied().unwrap_or(false);
                    let tx = tx.clone();
                    jobs.spawn_fifo(move |_| {
                        plan_unit(f, file, reused, chunking, context, meter, &tx);
                    });
                }
            });
            drop(tx);
        });
        let mut partial: HashMap<usize, Partial> = HashMap::new();
        let mut merged: BTreeMap<usize, Merged> = BTreeMap::new();
        let mut next = 0usize;
        for done in rx {
            let f = done.file;
            let ready = match done.unit {
                None => {
                    meter.add(1, files[f].bytes);
                    Some(Merged {
                        plan: done.plan,
                        merged: None,
                    })
                }
                Some((u, mut result)) => {
                    let parts = done.plan.work.len();
                    let entry = partial.entry(f).or_insert_with(|| Partial {
                        parts: (0..parts).map(|_| None).collect(),
                        remaining: parts,
                        keys: Default::default(),
                    });
                    let keys = &mut result.stats.fingerprints;
                    entry.keys.0.absorb(std::mem::take(&mut keys.exact));
                    entry.keys.1.absorb(std::mem::take(&mut keys.normalized));
                    entry.parts[u] = Some(result);
                    entry.remaining -= 1;
                    match entry.remaining {
                        0 => partial.remove(&f).map(|entry| {
                            let parts = entry.parts.into_iter().flatten().collect();
                            let file = merge_file(&done.plan, parts, entry.keys, options.findings);
                            meter.add(1, 0);
                            Merged {
                                plan: done.plan,
                                merged: Some(file),
                            }
                        }),
                        _ => None,
                    }
                }
            };
            if let Some(ready) = ready {
                merged.insert(f, ready);
            }
            let before = next;
            while let Some(ready) = merged.remove(&next) {
                finisher.finish(next, ready);
                next += 1;
            }
            if next != before {
                if finisher.rows.failed.is_some() {
                    window.close();
                }
                window.advance(next);
            }
        }
    });
    progress.finish();
}

/// Where finished rows go, one at a time in ledger order: the ledger files (and their
/// Merkle root), the summary's figures, the policy's tally, the disclosure's figures,
/// and the first few problem rows for the terminal summary.
struct RowSink {
    ledger: LedgerWriter,
    figures: RowFigures,
    policy: Option<PolicyTally>,
    problems: Vec<LedgerRow>,
    /// What the disclosure takes from the rows.
    report: crate::report::LedgerDigest,
    /// The first output error; later rows are dropped and the scan fails with it.
    failed: Option<anyhow::Error>,
}

impl RowSink {
    fn push(&mut self, row: LedgerRow) {
        if self.failed.is_some() {
            return;
        }
        self.figures.add(&row);
        self.report.add(&row);
        if let Some(policy) = &mut self.policy {
            policy.add(&row);
        }
        if matches!(row.status, Status::Partial | Status::Error)
            && self.problems.len() < ScanOutcome::PROBLEMS_KEPT
        {
            self.problems.push(row.clone());
        }
        if let Err(e) = self.ledger.push(row) {
            self.failed = Some(e);
        }
    }
}

/// Finishes files in ledger order: settles each one's scan-level duplicates against
/// the files before it, stores its findings and fingerprints, builds its row and hands
/// it to the [`RowSink`]. Then the file's figures are dropped.
struct Finisher<'a> {
    files: &'a [DiscoveredFile],
    detectors: &'a Detectors,
    license_scope: &'a LicenseScope,
    findings: &'a FindingsSpill,
    keys: &'a FingerprintSpill,
    reused: Vec<Option<Reused>>,
    /// The keys seen so far; `None` when scan-level duplicates carry over from the
    /// baseline.
    firsts: Option<ScanFirsts>,
    /// The near-duplicate index of the records so far (`--near-duplicates`).
    near: Option<NearDupIndex>,
    /// The web hosts of the records so far, per source.
    web: WebHostIndex,
    /// Each file's band keys and sketches, for `merge` and `--baseline`.
    near_keys: Option<ledger::near_dup_keys::Writer>,
    rows: RowSink,
}

impl Finisher<'_> {
    fn finish(&mut self, f: usize, ready: Merged) {
        let file = &self.files[f];
        let prior = self.reused.get_mut(f).and_then(Option::take);
        let mut near_records = NearDupRecords::default();
        let (mut result, keys) = match (prior, ready.merged) {
            (Some(prior), _) => {
                near_records = prior.near.unwrap_or_default();
                store(
                    self.findings.put_lines(f, &prior.findings),
                    "findings",
                    &file.path,
                );
                (prior.result, prior.keys)
            }
            (None, Some((result, findings, keys, near))) => {
                near_records = near;
                let findings: Vec<Finding> = findings
                    .into_iter()
                    .map(|fd| Finding {
                        schema_version: Some(ledger::SCHEMA_VERSION),
                        root: file.root.clone(),
                        file: file.path.clone(),
                        ..fd
                    })
                    .collect();
                store(self.findings.put(f, &findings), "findings", &file.path);
                (result, Some(keys))
            }
            (None, None) => (FileResult::default(), None),
        };
        if let Some(keys) = &keys {
            store(self.keys.put(f, keys), "fingerprints", &file.path);
        }
        if let Some(firsts) = &mut self.firsts {
            let (exact, normalized) = keys
                .as_ref()
                .map_or((&[][..], &[][..]), |k| (&k.exact[..], &k.normalized[..]));
            firsts.settle_next(exact, normalized, &mut result);
        }
        if let Some(near) = &mut self.near {
            result.near_duplicates = Some(near.settle_next(f as u32, &near_records));
        }
        if result.host_tallies.is_empty() {
            if result.web_hosts.is_some() {
                self.web.add_untallied(1);
            }
        } else {
            self.web
                .fold(&file.source.id, std::mem::take(&mut result.host_tallies));
        }
        if let Some(sidecar) = &mut self.near_keys {
            sidecar.put(&near_records);
        }
        let mut row = build_row(
            file,
            ready.plan.read_as(),
            result,
            &self.detectors.license,
            self.license_scope.for_file(file),
        );
        // Screened scans give every row a block (zeros for files without text), so the
        // ledger's `safety` column is there for all rows or none.
        if self.detectors.safety.is_some() {
            row.safety.get_or_insert_default();
        }
        // Likewise every row of a scan with evaluation sets has a contamination block.
        if self.detectors.contamination.is_some() {
            row.contamination.get_or_insert_default();
        }
        self.rows.push(row);
    }
}

fn store(stored: anyhow::Result<()>, what: &str, path: &str) {
    if let Err(e) = stored {
        eprintln!("provaudit: cannot store the {what} of {path}: {e:#}");
    }
}

/// Merges a file's units in order: shifts range-relative lines and ordinals to file
/// ones, unions fingerprints and keeps the first findings per type. Scan-level
/// duplicates wait for the file's turn in ledger order ([`Finisher`]).
fn merge_file(
    plan: &FilePlan,
    parts: Vec<UnitResult>,
    (exact, normalized): (KeyBag, KeyBag),
    findings_mode: FindingsMode,
) -> (FileResult, Vec<Finding>, FileKeys, NearDupRecords) {
    let mut out = FileResult::default();
    let mut stats = detect::Stats::default();
    let mut findings = Vec::new();
    let mut kept_per_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut line_base = 0u64;
    let mut record_base = 0u64;
    for (work, mut part) in plan.work.iter().zip(parts) {
        let ordinal_base = match work {
            Work::Range { .. } => record_base,
            Work::RowGroup { first_row, .. } => *first_row,
            _ => 0,
        };
        if matches!(work, Work::Range { .. }) {
            shift_lines(part.errors.first.as_mut(), line_base);
            shift_lines(part.fatal.as_mut(), line_base);
            line_base += part.lines;
            record_base += part.stats.sizes.records;
        }
        part.stats.near_duplicates.shift(ordinal_base);
        for finding in std::mem::take(&mut part.findings).into_found() {
            let kept = kept_per_type.entry(finding.kind.clone()).or_default();
            if *kept < findings_mode.limit() {
                *kept += 1;
                findings.push(Finding {
                    record: finding.record + ordinal_base,
                    ..finding
                });
            }
        }
        stats.merge(part.stats);
        out.errors.merge(part.errors);
        if let Some(fatal) = part.fatal {
            out.errors.record(fatal);
        }
        out.sha256 = out.sha256.or(part.sha256);
    }
    let near = std::mem::take(&mut stats.near_duplicates);
    stats.fill(&mut out);
    let (exact, normalized) = (exact.into_distinct(), normalized.into_distinct());
    out.duplicates.within_file = out.dedup_records - exact.len() as u64;
    out.duplicates.normalized_within_file = out.dedup_records - normalized.len() as u64;
    (out, findings, FileKeys::new(exact, normalized), near)
}

fn shift_lines(error: Option<&mut ReadError>, base: u64) {
    if let Some(line) = error.and_then(|e| e.location.line.as_mut()) {
        *line += base;
    }
}

/// A scan-wide sketch of the distinct fingerprints, in the form `summary.json` keeps.
pub(crate) fn sketches(firsts: &ScanFirsts) -> Sketches {
    let (exact, normalized) = firsts.sketches();
    Sketches::of(&exact, &normalized)
}

impl ScanOptions {
    /// The detectors this scan runs: the PII configuration plus every optional rule
    /// table (safety lexicons, evaluation sets, near-duplicate parameters). One
    /// constructor, because `--resume` must hash exactly the rules the scan would use.
    pub fn detectors(&self) -> Result<Detectors, ScanError> {
        let mut detectors =
            Detectors::with_config(&self.config.pii)?.with_safety(self.safety.clone());
        detectors.near_duplicates = self.near_duplicates;
        detectors.contamination = self.eval_sets.clone();
        Ok(detectors)
    }

    /// The rules and options this scan is made with, as hashed into its summary.
    pub fn basis(&self, detectors: &Detectors) -> ScanBasis {
        ScanBasis::of(
            detectors,
            &self.read,
            &self.discover,
            self.findings,
            self.near_duplicates,
        )
    }
}

fn summarize(
    options: &ScanOptions,
    files: &[DiscoveredFile],
    figures: RowFigures,
    merkle_root: String,
    // Computed once at the start of the scan (the baseline check needed it).
    basis: ScanBasis,
    started: SystemTime,
    clock: Instant,
) -> Summary {
    let sources: BTreeMap<String, Source> = files
        .iter()
        .map(|f| (f.source.id.clone(), (*f.source).clone()))
        .collect();
    let basis = AuditBasis {
        roots: options
            .roots
            .iter()
            .map(|r| crate::discover::root_text(r))
            .collect(),
        rules_hash: basis.rules_hash,
        config_hash: basis.config_hash,
        options: basis.options,
    };
    let mut summary = figures.into_summary(basis, &sources, merkle_root, started, clock);
    summary.safety = options
        .safety
        .as_ref()
        .map(|screen| summary::SafetySummary {
            lexicons: screen.lexicons().to_vec(),
            max_source_share: options
                .policy
                .as_ref()
                .and_then(|p| p.safety.max_source_share)
                .unwrap_or(crate::analyze::safety::STANDARD_MAX_SOURCE_SHARE),
            method: summary::SAFETY_METHOD.into(),
        });
    summary
}
