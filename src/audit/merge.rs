//! `provaudit merge`: shard audits back into the audit one machine would have written.
//!
//! Shards (`scan --shard I/N`) each hold complete rows for their files, so merging is
//! mostly putting rows back in ledger order. The one figure a shard cannot know is
//! the scan-level duplicate count, which depends on every earlier file in the whole
//! scan: it is recounted exactly from the shards' `fingerprints.bin`, in merged order,
//! with the same first-seen rule as a scan. The rows, findings, fingerprints and
//! Merkle root then equal an unsharded scan's byte for byte; the shards' HyperLogLog
//! sketches merge register-wise into the sketch that scan would have built.
//!
//! A merge never reads the data. It refuses shards that do not belong together (other
//! rules, options, roots or listing), a shard missing or given twice, and outputs that
//! no longer match their recorded hashes, naming the shard each time.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::Context;

use crate::aggregate::dedup::{FirstSeen, note_first_seen, sketch_of};
use crate::aggregate::hll::HyperLogLog;
use crate::aggregate::web_hosts::WebHostIndex;
use crate::audit::policy::check_policy;
use crate::config::policy::Policy;
use crate::contract::{AuditDir, FINDINGS_JSONL};
use crate::discover::Source;
use crate::discover::shard::{ShardInfo, shard_of};
use crate::ledger::build::risk_flags;
use crate::ledger::fingerprints::{self, FileKeys};
use crate::ledger::summary::{AuditBasis, Merged, MergedShard, Sketches, Summary};
use crate::ledger::{self, LedgerRow, ScanOutcome};

/// What `merge` needs.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    pub shards: Vec<PathBuf>,
    pub out: PathBuf,
    pub policy: Option<Policy>,
    /// Writes the disclosure files for the merged summary and returns their hashes
    /// (recorded in it like `ScanOptions::report`'s); `None` for `--no-report`. Passed
    /// in by the caller because the report is a later stage than the audit verbs.
    pub report: Option<DisclosureWriter>,
}

/// Renders the disclosure of a finished summary into an audit directory, returning
/// each written file's SHA-256 by name.
#[derive(Clone)]
pub struct DisclosureWriter(pub std::sync::Arc<WriteDisclosure>);

/// The function behind a [`DisclosureWriter`]: audit directory and summary in, hashes out.
pub type WriteDisclosure = dyn Fn(&Path, &crate::contract::Summary) -> anyhow::Result<BTreeMap<String, String>>
    + Send
    + Sync;

impl std::fmt::Debug for DisclosureWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DisclosureWriter")
    }
}

/// Why shards could not be merged (exit code 2). Every message names the shard.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{dir}: {message}")]
    Shard { dir: String, message: String },
    #[error("the shards do not belong to one job: {0}")]
    Mismatch(String),
    #[error("cannot write the merged audit to {out}: {source:#}")]
    Output { out: String, source: anyhow::Error },
}

/// One shard audit as read back.
struct ShardAudit {
    dir: PathBuf,
    summary: Summary,
    info: ShardInfo,
    rows: Vec<LedgerRow>,
    keys: Vec<FileKeys>,
    /// Findings lines of each row, in row order.
    findings: Vec<Vec<String>>,
}

/// Merges the shard audits into `options.out`.
pub fn run(options: &MergeOptions) -> Result<ScanOutcome, MergeError> {
    let started = SystemTime::now();
    let clock = Instant::now();
    if options.shards.is_empty() {
        return Err(MergeError::Mismatch("no shard directories given".into()));
    }
    crate::contract::refuse_url_output(&options.out).map_err(|e| MergeError::Output {
        out: options.out.display().to_string(),
        source: anyhow::Error::msg(e),
    })?;
    let shards = options
        .shards
        .iter()
        .map(|dir| load_shard(dir))
        .collect::<Result<Vec<_>, _>>()?;
    check_compatible(&shards)?;
    let order = merged_order(&shards, &shards[0].summary.roots)?;

    let out_err = |source: anyhow::Error| MergeError::Output {
        out: options.out.display().to_string(),
        source,
    };
    std::fs::create_dir_all(&options.out).map_err(|e| out_err(e.into()))?;
    ledger::retract_completion(&options.out).map_err(out_err)?;

    let mut shards = shards;
    let mut rows = Vec::with_capacity(order.len());
    let mut keys = Vec::with_capacity(order.len());
    let mut findings = Vec::with_capacity(order.len());
    for &(_, _, s, r) in &order {
        let shard = &mut shards[s];
        rows.push(shard.rows[r].clone());
        keys.push(std::mem::take(&mut shard.keys[r]));
        findings.push(std::mem::take(&mut shard.findings[r]));
    }
    let sketches = recount_duplicates(&mut rows, &keys);
    let near = shards[0]
        .summary
        .near_duplicates
        .as_ref()
        .map(|n| n.parameters);
    let near = match near {
        Some(params) => Some(recount_near_duplicates(
            &shards,
            &order,
            &mut rows,
            params,
            &options.out,
        )?),
        None => None,
    };
    let shard_sketches = merged_sketches(&shards);
    if shard_sketches.as_ref().is_some_and(|s| *s != sketches) {
        return Err(MergeError::Mismatch(
            "the shards' sketches do not add up to their fingerprints; a shard's outputs were altered"
                .into(),
        ));
    }

    write_findings(&options.out, &findings).map_err(out_err)?;
    fingerprints::write_all(&options.out, &keys).map_err(out_err)?;
    drop((keys, findings));
    let written = ledger::write_ledger(&options.out, &rows).map_err(out_err)?;
    let web = merged_web_hosts(&shards)?;
    let (web_summary, web_hash) = ledger::web_hosts::finish(&options.out, &web).map_err(out_err)?;
    let mut summary = merged_summary(&shards, &rows, written.merkle_root, started, clock);
    summary.sketches = sketches;
    summary.outputs = ledger::output_hashes(&options.out).map_err(out_err)?;
    if let Some(hash) = web_hash {
        summary
            .outputs
            .insert(ledger::web_hosts::WEB_HOSTS_JSONL.to_string(), hash);
    }
    summary.web_hosts = web_summary;
    if near.is_some() {
        let hashes = ledger::near_dup::output_hashes(&options.out).map_err(out_err)?;
        summary.outputs.extend(hashes);
    }
    summary.near_duplicates = near;
    summary.policy = options.policy.as_ref().map(|p| check_policy(p, &rows));
    if let Some(write) = &options.report {
        let disclosures = (write.0)(&options.out, &summary).map_err(out_err)?;
        summary.outputs.extend(disclosures);
    }
    ledger::write_summary(&options.out, &summary).map_err(out_err)?;
    let problems = rows
        .into_iter()
        .filter(|r| matches!(r.status, ledger::Status::Partial | ledger::Status::Error))
        .take(ScanOutcome::PROBLEMS_KEPT)
        .collect();
    Ok(ScanOutcome {
        summary,
        out: options.out.clone(),
        problems,
    })
}

fn shard_error(dir: &Path, message: impl Into<String>) -> MergeError {
    MergeError::Shard {
        dir: dir.display().to_string(),
        message: message.into(),
    }
}

fn load_shard(dir: &Path) -> Result<ShardAudit, MergeError> {
    let fail = |e: anyhow::Error| shard_error(dir, format!("{e:#}"));
    let audit = AuditDir::new(dir);
    if !audit.is_finished() {
        return Err(shard_error(
            dir,
            "not a complete audit (no summary.json): rerun that shard (scan --resume skips the finished ones)",
        ));
    }
    let summary = audit
        .summary()
        .map_err(|e| shard_error(dir, format!("summary.json is unreadable: {e}")))?;
    let info: ShardInfo = summary.shard.clone().ok_or_else(|| {
        shard_error(
            dir,
            "not a shard audit: scan it with --shard I/N, or use it as it is",
        )
    })?;
    if info.count == 0 || info.index >= info.count {
        return Err(shard_error(
            dir,
            format!(
                "summary.json records shard {}/{}, which cannot be",
                info.index, info.count
            ),
        ));
    }
    crate::audit::integrity::recorded_outputs_intact(dir, &summary)
        .map_err(|problem| shard_error(dir, problem))?;
    let rows = audit.rows().map_err(|e| fail(e.into()))?;
    if summary.ledger.rows != rows.len() as u64 {
        return Err(shard_error(
            dir,
            "ledger.jsonl does not have the rows summary.json records",
        ));
    }
    let keys = fingerprints::read_all(&audit.fingerprints(), rows.len()).map_err(fail)?;
    let findings = read_findings(&audit.file(FINDINGS_JSONL), &rows).map_err(fail)?;
    Ok(ShardAudit {
        dir: dir.to_path_buf(),
        summary,
        info,
        rows,
        keys,
        findings,
    })
}

/// Splits `findings.jsonl` into each row's lines. A scan writes them in ledger order,
/// one block per file, so walking rows and lines together assigns each line to its row
/// even when two roots hold the same path (and findings that carry their root must
/// name that row's root). Lines are kept as written, roots included.
fn read_findings(path: &Path, rows: &[LedgerRow]) -> anyhow::Result<Vec<Vec<String>>> {
    let mut out: Vec<Vec<String>> = rows.iter().map(|_| Vec::new()).collect();
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut row = 0;
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        let owner = crate::contract::parse_finding(path, n + 1, &line)?;
        let owns =
            |r: &LedgerRow| r.path == owner.file && (owner.root.is_empty() || r.root == owner.root);
        while row < rows.len() && !owns(&rows[row]) {
            row += 1;
        }
        let Some(lines) = out.get_mut(row) else {
            anyhow::bail!(
                "{}:{}: a finding for {}, which the ledger does not list at that point",
                path.display(),
                n + 1,
                crate::ledger::row::join(&owner.root, &owner.file)
            );
        };
        lines.push(line);
    }
    Ok(out)
}

/// The facts every shard of one job shares, each with how a mismatch is named.
fn differing_fact(a: &Summary, b: &Summary) -> Option<&'static str> {
    if a.tool != b.tool {
        Some("provaudit version")
    } else if a.check_made_with(&b.rules_hash, &b.config_hash).is_err() {
        Some(match a.rules_hash == b.rules_hash {
            true => "options",
            false => "rules",
        })
    } else if a.roots != b.roots {
        Some("roots")
    } else if a.options != b.options {
        Some("options")
    } else if a.safety != b.safety {
        Some("safety lexicons")
    } else {
        None
    }
}

fn check_compatible(shards: &[ShardAudit]) -> Result<(), MergeError> {
    let first = &shards[0];
    for shard in &shards[1..] {
        if let Some(what) = differing_fact(&first.summary, &shard.summary) {
            return Err(MergeError::Mismatch(format!(
                "{} and {} were made with different {what}",
                first.dir.display(),
                shard.dir.display()
            )));
        }
        if shard.info.count != first.info.count {
            return Err(MergeError::Mismatch(format!(
                "{} is one of {} shards, {} one of {}",
                first.dir.display(),
                first.info.count,
                shard.dir.display(),
                shard.info.count
            )));
        }
        if shard.info.listing_sha256 != first.info.listing_sha256 {
            return Err(MergeError::Mismatch(format!(
                "{} and {} saw different files ({} and {} discovered): the data changed while the job ran; rerun it",
                first.dir.display(),
                shard.dir.display(),
                first.info.discovered_files,
                shard.info.discovered_files
            )));
        }
    }
    let count = first.info.count;
    let mut seen: BTreeMap<u32, &Path> = BTreeMap::new();
    for shard in shards {
        if let Some(other) = seen.insert(shard.info.index, &shard.dir) {
            return Err(MergeError::Mismatch(format!(
                "shard {} is given twice: {} and {}",
                shard.info.spec,
                other.display(),
                shard.dir.display()
            )));
        }
    }
    // Listed by index without a slot per shard: `count` comes from a file.
    const LISTED: usize = 20;
    let absent = count as usize - seen.len();
    if absent > 0 {
        let first_few: Vec<String> = (0..count)
            .filter(|i| !seen.contains_key(i))
            .take(LISTED)
            .map(|i| format!("{i}/{count}"))
            .collect();
        let more = if absent > LISTED {
            format!(" and {} more", absent - LISTED)
        } else {
            String::new()
        };
        return Err(MergeError::Mismatch(format!(
            "missing shard{} {}{more}: run {} (scan --resume skips the finished ones)",
            if absent == 1 { "" } else { "s" },
            first_few.join(", "),
            if absent == 1 { "it" } else { "them" }
        )));
    }
    Ok(())
}

/// Every row's place in the merged ledger: (root position, path, shard, row), sorted as
/// a scan orders its files. Checks that each row is its shard's and that together they
/// cover the listing exactly once.
fn merged_order(
    shards: &[ShardAudit],
    roots: &[String],
) -> Result<Vec<(usize, String, usize, usize)>, MergeError> {
    let mut order = Vec::new();
    for (s, shard) in shards.iter().enumerate() {
        for (r, row) in shard.rows.iter().enumerate() {
            let root = roots.iter().position(|x| *x == row.root).ok_or_else(|| {
                shard_error(
                    &shard.dir,
                    format!("row {} has a root the summary does not list", r + 1),
                )
            })?;
            if shard_of(root, &row.path, shard.info.count) != shard.info.index {
                return Err(shard_error(
                    &shard.dir,
                    format!("{} is not shard {}'s file", row.path, shard.info.spec),
                ));
            }
            order.push((root, row.path.clone(), s, r));
        }
    }
    order.sort();
    if let Some(w) = order
        .windows(2)
        .find(|w| (w[0].0, &w[0].1) == (w[1].0, &w[1].1))
    {
        return Err(MergeError::Mismatch(format!(
            "{} is in more than one shard",
            w[0].1
        )));
    }
    let discovered = shards[0].info.discovered_files;
    if order.len() as u64 != discovered {
        return Err(MergeError::Mismatch(format!(
            "the shards hold {} rows, but {} files were discovered",
            order.len(),
            discovered
        )));
    }
    Ok(order)
}

/// Recounts scan-level duplicates over the merged order, exactly as a scan counts them,
/// and refreshes the risk flag that depends on them. Returns the sketches of the
/// distinct fingerprints.
fn recount_duplicates(rows: &mut [LedgerRow], keys: &[FileKeys]) -> Sketches {
    let mut first_exact = FirstSeen::default();
    let mut first_normalized = FirstSeen::default();
    for (f, k) in keys.iter().enumerate() {
        note_first_seen(&mut first_exact, k.exact.iter().copied(), f as u32);
        note_first_seen(
            &mut first_normalized,
            k.normalized.iter().copied(),
            f as u32,
        );
    }
    let mut firsts = vec![(0u64, 0u64); rows.len()];
    first_exact
        .values()
        .for_each(|&f| firsts[f as usize].0 += 1);
    first_normalized
        .values()
        .for_each(|&f| firsts[f as usize].1 += 1);
    for ((row, k), (exact, normalized)) in rows.iter_mut().zip(keys).zip(firsts) {
        let dedup_records = row.duplicates.within_file + k.exact.len() as u64;
        row.duplicates.within_scan = dedup_records.saturating_sub(exact);
        row.duplicates.normalized_within_scan = dedup_records.saturating_sub(normalized);
        row.risk_flags = risk_flags(row, dedup_records);
    }
    Sketches::of(&sketch_of(&first_exact), &sketch_of(&first_normalized))
}

/// Near-duplicates settled over the merged order ([`super::near_merge`]).
fn recount_near_duplicates(
    shards: &[ShardAudit],
    order: &[(usize, String, usize, usize)],
    rows: &mut [LedgerRow],
    params: crate::analyze::minhash::MinHashParams,
    out: &Path,
) -> Result<crate::ledger::summary::NearDupSummary, MergeError> {
    let sides: Vec<_> = shards
        .iter()
        .map(|s| super::near_merge::ShardSide {
            dir: &s.dir,
            summary: &s.summary,
            rows: s.rows.len(),
        })
        .collect();
    let order: Vec<(usize, usize)> = order.iter().map(|&(_, _, s, r)| (s, r)).collect();
    super::near_merge::recount(&sides, &order, rows, params, out).map_err(|failure| match failure {
        super::near_merge::Failure::Shard(s, e) => shard_error(&shards[s].dir, format!("{e:#}")),
        super::near_merge::Failure::Output(source) => MergeError::Output {
            out: out.display().to_string(),
            source,
        },
    })
}

/// The shards' own sketches merged, when every shard has them.
fn merged_sketches(shards: &[ShardAudit]) -> Option<Sketches> {
    let (mut exact, mut normalized) = (HyperLogLog::default(), HyperLogLog::default());
    for shard in shards {
        let sketches = &shard.summary.sketches;
        exact.merge(&sketches.records.as_ref()?.sketch()?);
        normalized.merge(&sketches.normalized_records.as_ref()?.sketch()?);
    }
    Some(Sketches::of(&exact, &normalized))
}

fn write_findings(out: &Path, findings: &[Vec<String>]) -> anyhow::Result<()> {
    ledger::write_atomic(&out.join(FINDINGS_JSONL), |w| {
        for line in findings.iter().flatten() {
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })
}

/// The shards' host lists added up: each shard holds disjoint files, so the sums are
/// the unsharded scan's (below the cap on distinct hosts).
fn merged_web_hosts(shards: &[ShardAudit]) -> Result<WebHostIndex, MergeError> {
    let mut listed: Vec<&ShardAudit> = shards.iter().collect();
    listed.sort_by_key(|s| s.info.index);
    let mut index = WebHostIndex::default();
    for shard in listed {
        let Some(web) = &shard.summary.web_hosts else {
            continue;
        };
        let rows = ledger::web_hosts::read(&shard.dir)
            .map_err(|e| shard_error(&shard.dir, format!("{e:#}")))?;
        index.fold_rows(rows);
        if web.capped {
            index.mark_capped();
        }
        index.add_untallied(web.untallied_files);
    }
    Ok(index)
}

fn merged_summary(
    shards: &[ShardAudit],
    rows: &[LedgerRow],
    merkle_root: String,
    started: SystemTime,
    clock: Instant,
) -> Summary {
    let first = &shards[0].summary;
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    for shard in shards {
        for (id, entry) in &shard.summary.per_source {
            sources
                .entry(id.clone())
                .or_insert_with(|| entry.declared.clone());
        }
    }
    let basis = AuditBasis {
        roots: first.roots.clone(),
        rules_hash: first.rules_hash.clone(),
        config_hash: first.config_hash.clone(),
        options: first.options.clone(),
    };
    let mut listed: Vec<&ShardAudit> = shards.iter().collect();
    listed.sort_by_key(|s| s.info.index);
    let mut summary = Summary::new(basis, rows, &sources, merkle_root, started, clock);
    // Every shard walked the whole listing, so each recorded the whole scan's counts.
    summary.discovery = first.discovery.clone();
    summary.listing_sha256 = Some(shards[0].info.listing_sha256.clone());
    // Every shard screened with the same lexicons (checked): which ones, and the limit.
    summary.safety = first.safety.clone();
    // The same evaluation sets in every shard (they are in the rules hash).
    summary.contamination = first.contamination.clone();
    summary.merged = Some(Merged {
        shards: listed
            .iter()
            .map(|s| MergedShard {
                shard: s.info.spec.clone(),
                audit_id: s.summary.audit_id.clone(),
                rows: s.rows.len() as u64,
                started: s.summary.started.clone(),
                finished: s.summary.finished.clone(),
            })
            .collect(),
        duplicates: std::borrow::Cow::Borrowed(
            "recounted exactly over the merged ledger order from the shards' fingerprints.bin; the sketches are the shards' merged register-wise",
        ),
    });
    summary
}
