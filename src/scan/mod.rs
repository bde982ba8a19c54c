//! The scan: discover → plan → read and analyse in parallel → merge → ledger.
//!
//! Work units run on a rayon pool and send their results to a collector on the calling
//! thread, which merges each file's units in order as soon as the last one arrives and
//! then drops them, so memory holds finished files' figures, the duplicate sets and the
//! units in flight, never file contents.

mod baseline;
pub mod execute;
pub mod license_scope;
pub mod plan;
pub mod resume;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use crate::aggregate::FileResult;
use crate::aggregate::dedup::{KeyBag, ScanFirsts};
use crate::analyze::Detectors;
use crate::config::policy::Policy;
use crate::detect::{self, Columns, Merge};
use crate::discover::shard::{Shard, ShardInfo};
use crate::discover::{self, DiscoverOptions, DiscoveredFile, Source};
use crate::formats::{ReadError, ReadOptions};
use crate::ledger::basis::ScanBasis;
use crate::ledger::build::build_row;
use crate::ledger::findings::{Finding, FindingsMode, FindingsSpill};
use crate::ledger::fingerprints::{FileKeys, FingerprintSpill};
use crate::ledger::summary::{self, AuditBasis, Summary};
use crate::ledger::summary::{Incremental, Sketches};
use crate::ledger::{self, LedgerRow, ScanOutcome};
use crate::progress::Progress;
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
    /// Show a progress bar (only on a terminal).
    pub progress: bool,
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
    /// Write the disclosure with these checks before `summary.json`, which records
    /// its hashes; `None` writes none (`--no-report`, library callers).
    pub report: Option<crate::report::Checks>,
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
            progress: false,
            findings: FindingsMode::Sample(DEFAULT_FINDINGS_SAMPLE),
            config: Default::default(),
            policy: None,
            baseline: None,
            rehash: false,
            shard: None,
            report: None,
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
pub fn run(options: &ScanOptions) -> Result<ScanOutcome, ScanError> {
    let started = SystemTime::now();
    let clock = Instant::now();
    crate::contract::refuse_url_output(&options.out).map_err(|e| ScanError::Output {
        out: options.out.display().to_string(),
        source: anyhow::Error::msg(e),
    })?;
    let mut discover_options = options.discover.clone();
    discover_options.skip.push(options.out.clone());
    discover_options
        .mask
        .get_or_insert_with(crate::analyze::pii::path_mask);
    let (mut files, discovery) = discover::discover_counted(&options.roots, &discover_options)?;
    let detectors = Detectors::with_config(&options.config.pii)?;
    let pool = build_pool(options.threads)?;
    let license_scope = pool.install(|| LicenseScope::identify(&files, &detectors.license));
    let shard = options.shard.map(|s| {
        let info = ShardInfo::new(s, &files);
        files.retain(|f| s.owns(f.root_index, &f.path));
        info
    });
    let text_unit = options.read.text_unit;
    let chunking = match options.chunk_bytes {
        Some(bytes) => plan::Chunking::fixed(bytes),
        None => plan::Chunking::auto(
            files.iter().map(|f| f.bytes).sum(),
            pool.current_num_threads(),
        ),
    };
    let plans: Vec<FilePlan> = pool.install(|| {
        files
            .par_iter()
            .map(|f| plan::plan_file(f, chunking, text_unit))
            .collect()
    });
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
        .and_then(|dir| load_baseline(dir, &basis, options.rehash));
    let mut plans = plans;
    let incremental = baseline
        .as_ref()
        .map(|b| reuse_rows(b, &files, &mut plans, &pool));
    std::fs::create_dir_all(&options.out).map_err(|e| out_err(e.into()))?;
    ledger::retract_completion(&options.out).map_err(out_err)?;
    let spill = FindingsSpill::new(&options.out).map_err(out_err)?;
    let keys_spill = FingerprintSpill::new(&options.out).map_err(out_err)?;
    let context = UnitContext {
        read: options.read,
        detectors: &detectors,
        findings: options.findings,
    };
    let (reused, all_reused) = match incremental {
        Some((reused, all)) => (reused, all),
        None => (files.iter().map(|_| None).collect(), false),
    };
    let reused_files = reused.iter().filter(|r| r.is_some()).count() as u64;
    let spills = Spills {
        findings: &spill,
        keys: &keys_spill,
    };
    let (mut results, firsts) =
        execute_all(&files, &plans, options, &context, &spills, reused, &pool);
    let sketches = match (&baseline, all_reused) {
        (Some(b), true) => b.sketches().map_err(out_err)?,
        _ => {
            firsts.settle(&mut results);
            sketches(&firsts)
        }
    };
    drop(firsts);
    let rows = build_rows(&files, &plans, results, &detectors, &license_scope);
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
    let lines = ledger::jsonl_lines(&rows).map_err(out_err)?;
    let merkle_root = ledger::merkle_root(&lines);
    ledger::write_ledger(&options.out, &rows, &lines).map_err(out_err)?;
    let outputs = ledger::output_hashes(&options.out).map_err(out_err)?;
    let mut summary = summarize(options, &files, &rows, merkle_root, basis, started, clock);
    summary.outputs = outputs;
    summary.discovery = Some(discovery);
    summary.shard = shard;
    summary.remote = remote_summary(options);
    summary.sketches = sketches;
    summary.incremental = baseline.as_ref().map(|b| Incremental {
        baseline: b.audit_id().to_string(),
        reused_files,
        read_files: files.len() as u64 - reused_files,
    });
    summary.policy = options
        .policy
        .as_ref()
        .map(|policy| crate::audit::policy::check_policy(policy, &rows));
    if let Some(checks) = &options.report {
        let disclosures = crate::report::write_for_summary(&options.out, &summary, checks)
            .map_err(|e| out_err(e.into()))?;
        summary.outputs.extend(disclosures);
    }
    ledger::write_summary(&options.out, &summary).map_err(out_err)?;
    Ok(ScanOutcome { summary, rows })
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

/// Decides which files keep their prior rows, takes them out of the plan, and gathers
/// what each reused file brings. Also says whether every file was reused unchanged in
/// the same order, when scan-level duplicates and fingerprints carry over as they are.
fn reuse_rows(
    baseline: &Baseline,
    files: &[DiscoveredFile],
    plans: &mut [FilePlan],
    pool: &rayon::ThreadPool,
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
        .zip(plans.iter_mut())
        .map(|((prior, file), plan)| {
            let prior = (*prior)?;
            plan.work.clear();
            plan.fatal = None;
            let keys = (!all_reused).then(|| std::mem::take(&mut keys[prior]));
            Some(Reused {
                result: baseline.result(prior, keys.as_ref()),
                keys,
                findings: findings
                    .remove(&(file.root.clone(), file.path.clone()))
                    .unwrap_or_default(),
            })
        })
        .collect();
    (reused, all_reused)
}

/// Where finished files leave what waits for the end of the scan.
struct Spills<'a> {
    findings: &'a FindingsSpill,
    keys: &'a FingerprintSpill,
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

/// Runs every unit, merging per file as results arrive; then settles cross-file
/// duplicates, which need every file's fingerprints.
fn execute_all(
    files: &[DiscoveredFile],
    plans: &[FilePlan],
    options: &ScanOptions,
    context: &UnitContext<'_>,
    spills: &Spills<'_>,
    reused: Vec<Option<Reused>>,
    pool: &rayon::ThreadPool,
) -> (Vec<FileResult>, ScanFirsts) {
    let units: Vec<(usize, usize)> = plans
        .iter()
        .enumerate()
        .flat_map(|(f, p)| (0..p.work.len()).map(move |u| (f, u)))
        .collect();
    let total_bytes = files.iter().map(|f| f.bytes).sum();
    let mut progress = Progress::new(options.progress, total_bytes, files.len() as u64);
    let mut results: Vec<FileResult> = plans.iter().map(|_| FileResult::default()).collect();
    // A file's fingerprints are absorbed as each unit arrives (bags union in any
    // order), so a split file's bag compacts as it grows.
    let mut file_keys: Vec<(KeyBag, KeyBag)> = Vec::new();
    file_keys.resize_with(plans.len(), Default::default);
    let mut pending: Vec<Vec<Option<UnitResult>>> = plans
        .iter()
        .map(|p| (0..p.work.len()).map(|_| None).collect())
        .collect();
    let mut remaining: Vec<usize> = plans.iter().map(|p| p.work.len()).collect();
    let mut firsts = ScanFirsts::for_bytes(total_bytes);
    for (f, plan) in plans.iter().enumerate() {
        if plan.work.is_empty() {
            progress.advance(files[f].bytes, 1);
        }
    }
    for (f, prior) in reused.into_iter().enumerate() {
        let Some(prior) = prior else { continue };
        if let Some(keys) = &prior.keys {
            firsts.note(&keys.exact, &keys.normalized, f as u32);
            store(spills.keys.put(f, keys), "fingerprints", &files[f].path);
        }
        store(
            spills.findings.put_lines(f, &prior.findings),
            "findings",
            &files[f].path,
        );
        results[f] = prior.result;
    }
    let (tx, rx) = mpsc::channel::<(usize, usize, UnitResult)>();
    std::thread::scope(|scope| {
        // The feeding thread enters the scan's own pool: `--threads` bounds the work.
        scope.spawn(move || {
            pool.install(|| {
                units.into_par_iter().for_each_with(tx, |tx, (f, u)| {
                    let plan = &plans[f];
                    let Some(source) = &plan.source else { return };
                    let result = execute::execute(
                        &plan.work[u],
                        &plan.format,
                        plan.compression,
                        source,
                        context,
                    );
                    // The unit is done with the file for now: close it (or drop its
                    // cached blocks) here rather than when the collector gets to it,
                    // so descriptors and memory track units in flight.
                    source.release();
                    let _ = tx.send((f, u, result));
                })
            });
        });
        for (f, u, result) in rx {
            let parts = plans[f].work.len();
            progress.advance(plans[f].work[u].progress_bytes(files[f].bytes, parts), 0);
            let mut result = result;
            let keys = &mut result.stats.fingerprints;
            file_keys[f].0.absorb(std::mem::take(&mut keys.exact));
            file_keys[f].1.absorb(std::mem::take(&mut keys.normalized));
            pending[f][u] = Some(result);
            remaining[f] -= 1;
            if remaining[f] == 0 {
                let parts = std::mem::take(&mut pending[f])
                    .into_iter()
                    .flatten()
                    .collect();
                let (result, findings, keys) = merge_file(
                    &plans[f],
                    parts,
                    std::mem::take(&mut file_keys[f]),
                    f as u32,
                    options.findings,
                    &mut firsts,
                );
                results[f] = result;
                let findings: Vec<Finding> = findings
                    .into_iter()
                    .map(|fd| Finding {
                        schema_version: Some(ledger::SCHEMA_VERSION),
                        root: files[f].root.clone(),
                        file: files[f].path.clone(),
                        ..fd
                    })
                    .collect();
                store(
                    spills.findings.put(f, &findings),
                    "findings",
                    &files[f].path,
                );
                store(spills.keys.put(f, &keys), "fingerprints", &files[f].path);
                progress.advance(0, 1);
            }
        }
    });
    progress.finish();
    (results, firsts)
}

fn store(stored: anyhow::Result<()>, what: &str, path: &str) {
    if let Err(e) = stored {
        eprintln!("provaudit: cannot store the {what} of {path}: {e:#}");
    }
}

/// Merges a file's units in order: shifts range-relative lines and ordinals to file
/// ones, unions fingerprints and keeps the first findings per type.
fn merge_file(
    plan: &FilePlan,
    parts: Vec<UnitResult>,
    (exact, normalized): (KeyBag, KeyBag),
    file_index: u32,
    findings_mode: FindingsMode,
    firsts: &mut ScanFirsts,
) -> (FileResult, Vec<Finding>, FileKeys) {
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
    stats.fill(&mut out);
    let (exact, normalized) = (exact.into_distinct(), normalized.into_distinct());
    out.duplicates.within_file = out.dedup_records - exact.len() as u64;
    out.duplicates.normalized_within_file = out.dedup_records - normalized.len() as u64;
    let keys = FileKeys::new(exact, normalized);
    firsts.note(&keys.exact, &keys.normalized, file_index);
    (out, findings, keys)
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

fn build_rows(
    files: &[DiscoveredFile],
    plans: &[FilePlan],
    results: Vec<FileResult>,
    detectors: &Detectors,
    license_scope: &LicenseScope,
) -> Vec<LedgerRow> {
    files
        .iter()
        .zip(plans)
        .zip(results)
        .map(|((file, plan), result)| {
            let license_file = license_scope.for_file(file);
            build_row(
                file,
                plan.read_as(),
                result,
                &detectors.license,
                license_file,
            )
        })
        .collect()
}

impl ScanOptions {
    /// The rules and options this scan is made with, as hashed into its summary.
    pub fn basis(&self, detectors: &Detectors) -> ScanBasis {
        ScanBasis::of(detectors, &self.read, &self.discover, self.findings)
    }
}

fn summarize(
    options: &ScanOptions,
    files: &[DiscoveredFile],
    rows: &[LedgerRow],
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
    Summary::new(basis, rows, &sources, merkle_root, started, clock)
}
