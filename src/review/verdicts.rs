//! `provaudit review`: a reviewer's `verdicts.json` checked against the sample, and the
//! manual review's figures recorded as `review.json` in the audit directory.
//!
//! The sample is drawn again from the ledger with the parameters the verdicts carry
//! (`sample::plan`), so a verdict is checked against the audit itself, not against a
//! review set that could have been edited: the sample id, seed and Merkle root must
//! match, and every verdict must name a drawn record, once, with `pass` or a category
//! the page offered. Anything else refuses the whole file before anything is written,
//! so a damaged `verdicts.json` never changes recorded results.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::sample::{self, SampleError};
use super::{PASS, PassRate, REVIEW_JSON, ReviewRecord, SampleParams, TechnicalSample};
use crate::contract::AuditDir;

/// `verdicts.json` as the review page exports it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdicts {
    /// `provaudit.verdicts/1`.
    pub format: String,
    /// The sample reviewed.
    pub sample_id: String,
    /// Its seed.
    pub seed: u64,
    /// Records asked for.
    pub size: u64,
    /// `--per-source`.
    #[serde(default)]
    pub per_source: bool,
    /// Strata.
    #[serde(default)]
    pub strata: Vec<String>,
    /// The audit's id (informative).
    #[serde(default)]
    pub audit_id: Option<String>,
    /// The audit's Merkle root.
    pub merkle_root: String,
    /// Who reviewed, as typed in the page.
    #[serde(default)]
    pub reviewer: Option<String>,
    /// One per reviewed record.
    pub verdicts: Vec<Verdict>,
}

/// One record's verdict.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// `root/path#record`.
    pub id: String,
    /// `pass` or a risk category.
    pub verdict: String,
    /// The reviewer's note (not recorded in `review.json`: it may quote the record).
    #[serde(default)]
    pub note: String,
}

/// Why verdicts were refused; each names the problem.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The verdicts file is unreadable or not verdicts.
    #[error("{path}: {message}")]
    Verdicts {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The sample cannot be drawn again from the audit.
    #[error(transparent)]
    Sample(#[from] SampleError),
    /// Writing `review.json` or `summary.json` failed.
    #[error("{0:#}")]
    Write(anyhow::Error),
}

/// The `format` the page writes.
pub const VERDICTS_FORMAT: &str = "provaudit.verdicts/1";

/// Who, when, and the review set if given.
#[derive(Debug, Clone, Copy)]
pub struct ReviewOptions<'a> {
    /// `--reviewer`.
    pub reviewer: Option<&'a str>,
    /// `--sample`: the review set, for its classifier figures.
    pub sample_dir: Option<&'a Path>,
    /// The UTC day (`YYYY-MM-DD`).
    pub today: &'a str,
}

/// Checks `verdicts` against the audit's sample and records `review.json`, adding its
/// hash to `summary.json`'s outputs so `verify` covers it. Returns what was recorded.
pub fn run(
    audit: &AuditDir,
    verdicts_path: &Path,
    how: &ReviewOptions<'_>,
) -> Result<ReviewRecord, ReviewError> {
    let (reviewer, today) = (how.reviewer, how.today);
    let bad = |message: String| ReviewError::Verdicts {
        path: verdicts_path.to_path_buf(),
        message,
    };
    let text = std::fs::read(verdicts_path).map_err(|e| bad(format!("cannot be read: {e}")))?;
    let verdicts: Verdicts = serde_json::from_slice(&text)
        .map_err(|e| bad(format!("not a verdicts file exported by review.html ({e})")))?;
    let mut record = check(audit, &verdicts, reviewer, today).map_err(|e| match e {
        Refusal::Verdicts(message) => bad(message),
        Refusal::Sample(e) => ReviewError::Sample(e),
    })?;
    if let Some(dir) = how.sample_dir {
        record.technical.classifier = sample_classifier(dir, &record.sample_id)?;
    }
    write(audit, &record)?;
    Ok(record)
}

/// What `check` refuses.
enum Refusal {
    Verdicts(String),
    Sample(SampleError),
}

/// The figures of valid verdicts; refuses any that do not fit the sample.
fn check(
    audit: &AuditDir,
    verdicts: &Verdicts,
    reviewer: Option<&str>,
    today: &str,
) -> Result<ReviewRecord, Refusal> {
    if verdicts.format != VERDICTS_FORMAT {
        return Err(Refusal::Verdicts(format!(
            "format {:?}, expected {VERDICTS_FORMAT:?}",
            verdicts.format
        )));
    }
    let params = SampleParams {
        seed: verdicts.seed,
        size: verdicts.size,
        per_source: verdicts.per_source,
        strata: verdicts.strata.clone(),
    };
    let plan = sample::plan(audit, &params).map_err(Refusal::Sample)?;
    if verdicts.merkle_root != plan.merkle_root {
        return Err(Refusal::Verdicts(format!(
            "the verdicts are for the audit with Merkle root {}, this audit's is {}",
            verdicts.merkle_root, plan.merkle_root
        )));
    }
    if verdicts.sample_id != plan.sample_id {
        return Err(Refusal::Verdicts(format!(
            "sample {} is not the sample seed {} draws from this audit ({})",
            verdicts.sample_id, verdicts.seed, plan.sample_id
        )));
    }
    let summary = audit.summary().map_err(|e| Refusal::Sample(e.into()))?;
    let screened = summary.safety.is_some();
    let known = categories(&summary);
    let position: HashMap<&str, usize> = plan
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut given: BTreeMap<usize, &Verdict> = BTreeMap::new();
    for (i, v) in verdicts.verdicts.iter().enumerate() {
        let Some(&at) = position.get(v.id.as_str()) else {
            return Err(Refusal::Verdicts(format!(
                "verdict {} is for {:?}, a record not in sample {}",
                i + 1,
                v.id,
                plan.sample_id
            )));
        };
        if v.verdict != PASS && !known.contains(&v.verdict) {
            return Err(Refusal::Verdicts(format!(
                "verdict {} ({}): unknown category {:?}; use \"pass\", a GB/T 45654-2025 Appendix A item or one of the audit's user categories",
                i + 1,
                v.id,
                v.verdict
            )));
        }
        if given.insert(at, v).is_some() {
            return Err(Refusal::Verdicts(format!(
                "verdict {} ({}): a second verdict for the same record",
                i + 1,
                v.id
            )));
        }
    }
    let mut overall = Tally::default();
    let mut per_source: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_category: BTreeMap<String, u64> = BTreeMap::new();
    for (i, d) in plan.drawn.iter().enumerate() {
        let (source, _) = plan.source_of(d);
        let verdict = given.get(&i).map(|v| v.verdict.as_str());
        overall.add(verdict);
        per_source
            .entry(source.to_string())
            .or_default()
            .add(verdict);
        if let Some(v) = verdict.filter(|v| *v != PASS) {
            *by_category.entry(v.to_string()).or_default() += 1;
        }
    }
    let technical = technical_sample(audit, &plan, screened).map_err(Refusal::Sample)?;
    let reviewer = reviewer
        .map(str::to_string)
        .or_else(|| verdicts.reviewer.clone())
        .filter(|r| !r.trim().is_empty());
    Ok(ReviewRecord {
        format: "provaudit.review/1".into(),
        sample_id: plan.sample_id.clone(),
        seed: plan.params.seed,
        size: plan.params.size,
        per_source: plan.params.per_source,
        strata: plan.params.strata.clone(),
        merkle_root: plan.merkle_root.clone(),
        reviewer,
        date: today.to_string(),
        sampled: plan.drawn.len() as u64,
        overall: overall.rate(),
        per_source_results: per_source.into_iter().map(|(k, t)| (k, t.rate())).collect(),
        categories: by_category,
        technical,
        thresholds: Default::default(),
    })
}

/// The classifier figures of the review set in `dir`, once it is shown to be the
/// reviewed sample (its id) and unedited (`sample.jsonl`'s hash).
fn sample_classifier(
    dir: &Path,
    sample_id: &str,
) -> Result<Option<super::classifier::ClassifierInfo>, ReviewError> {
    let bad = |path: PathBuf, message: String| ReviewError::Verdicts { path, message };
    let manifest_path = dir.join(super::SAMPLE_JSON);
    let text = std::fs::read(&manifest_path)
        .map_err(|e| bad(manifest_path.clone(), format!("cannot be read: {e}")))?;
    let manifest: super::SampleManifest = serde_json::from_slice(&text).map_err(|e| {
        bad(
            manifest_path.clone(),
            format!("not a sample manifest ({e})"),
        )
    })?;
    if manifest.sample_id != sample_id {
        return Err(bad(
            manifest_path,
            format!(
                "is sample {}, the verdicts are for sample {sample_id}",
                manifest.sample_id
            ),
        ));
    }
    let jsonl = dir.join(super::SAMPLE_JSONL);
    let hash = crate::ledger::hash_file(&jsonl)
        .map_err(|e| bad(jsonl.clone(), format!("cannot be read: {e}")))?;
    if !hash.eq_ignore_ascii_case(&manifest.sample_jsonl_sha256) {
        return Err(bad(
            jsonl,
            "changed since `provaudit sample` wrote it (its SHA-256 differs from sample.json's)"
                .into(),
        ));
    }
    Ok(manifest.classifier)
}

/// The categories a verdict may name: Appendix A's items and the audit's user ones.
fn categories(summary: &crate::contract::Summary) -> BTreeSet<String> {
    let mut all: BTreeSet<String> = crate::analyze::safety::lexicon::appendix_a_items()
        .into_iter()
        .collect();
    if let Some(safety) = &summary.safety {
        all.extend(
            safety
                .lexicons
                .iter()
                .flat_map(|l| l.terms.keys())
                .filter(|c| c.starts_with(crate::analyze::safety::lexicon::USER_PREFIX))
                .cloned(),
        );
    }
    all
}

/// The lexicon figures within the sample, from the audit's safety findings (category
/// per record) of the drawn records: the scan's own screening, not a second one.
fn technical_sample(
    audit: &AuditDir,
    plan: &sample::Plan,
    screened: bool,
) -> Result<TechnicalSample, SampleError> {
    let summary = audit.summary()?;
    let mut technical = TechnicalSample {
        screened,
        findings_complete: summary.options.get("findings").and_then(|f| f.as_str()) == Some("All"),
        ..Default::default()
    };
    if !screened {
        return Ok(technical);
    }
    let drawn: BTreeSet<&str> = plan.ids.iter().map(String::as_str).collect();
    let mut flags: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    audit.for_each_finding(|_, _, f| {
        if f.kind == "safety" {
            let id = format!(
                "{}#{}",
                crate::ledger::row::join(&f.root, &f.file),
                f.record
            );
            if drawn.contains(id.as_str())
                && let Some(category) = &f.category
            {
                flags.entry(id).or_default().insert(category.clone());
            }
        }
        Ok(true)
    })?;
    technical.records_with_hits = flags.len() as u64;
    for categories in flags.values() {
        for c in categories {
            *technical.records_by_category.entry(c.clone()).or_default() += 1;
        }
    }
    Ok(technical)
}

#[derive(Debug, Default)]
struct Tally {
    sampled: u64,
    reviewed: u64,
    passed: u64,
}

impl Tally {
    fn add(&mut self, verdict: Option<&str>) {
        self.sampled += 1;
        if let Some(v) = verdict {
            self.reviewed += 1;
            if v == PASS {
                self.passed += 1;
            }
        }
    }

    fn rate(&self) -> PassRate {
        let (low, high) = wilson(self.passed, self.reviewed);
        PassRate {
            sampled: self.sampled,
            reviewed: self.reviewed,
            passed: self.passed,
            rate: if self.reviewed == 0 {
                0.0
            } else {
                self.passed as f64 / self.reviewed as f64
            },
            wilson_low: low,
            wilson_high: high,
        }
    }
}

/// The 95% Wilson score interval of `k` successes in `n` trials (z = 1.959964): unlike
/// the normal approximation it stays within [0, 1] and is honest near 100%, where a
/// pass rate against a 96% bar lives. (0, 0) for no trials.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    const Z: f64 = 1.959_963_984_540_054;
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = Z * Z;
    let centre = p + z2 / (2.0 * n);
    let spread = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denom = 1.0 + z2 / n;
    let round = |x: f64| (x.clamp(0.0, 1.0) * 1e6).round() / 1e6;
    (
        round((centre - spread) / denom),
        round((centre + spread) / denom),
    )
}

/// Writes `review.json`, then records its hash among `summary.json`'s outputs (when the
/// summary records outputs at all), as a re-rendered report is recorded.
fn write(audit: &AuditDir, record: &ReviewRecord) -> Result<(), ReviewError> {
    let path = audit.file(REVIEW_JSON);
    let mut text = serde_json::to_vec_pretty(record).map_err(|e| ReviewError::Write(e.into()))?;
    text.push(b'\n');
    crate::ledger::write_atomic(&path, |w| Ok(w.write_all(&text)?)).map_err(ReviewError::Write)?;
    let mut summary = audit.summary().map_err(|e| ReviewError::Write(e.into()))?;
    if summary.outputs.is_empty() {
        return Ok(());
    }
    let hash = crate::ledger::hash_file(&path)
        .map_err(|e| ReviewError::Write(anyhow::anyhow!("hashing {}: {e}", path.display())))?;
    if summary.outputs.get(REVIEW_JSON) == Some(&hash) {
        return Ok(());
    }
    summary.outputs.insert(REVIEW_JSON.to_string(), hash);
    crate::ledger::write_summary(audit.path(), &summary).map_err(ReviewError::Write)
}

/// Reads `review.json` from an audit directory: `None` when no review is recorded.
pub fn load(dir: &Path) -> Result<Option<ReviewRecord>, crate::contract::AuditError> {
    let path = dir.join(REVIEW_JSON);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            crate::contract::AuditError::malformed(&path, None, format!("not a review ({e})"))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::contract::AuditError::read(&path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::wilson;

    #[test]
    fn wilson_matches_known_intervals() {
        // 3,900 of 4,000: p = 0.975, interval about [0.9697, 0.9795].
        let (lo, hi) = wilson(3900, 4000);
        assert!((lo - 0.96968).abs() < 2e-4, "{lo}");
        assert!((hi - 0.97955).abs() < 2e-4, "{hi}");
        assert_eq!(wilson(0, 0), (0.0, 0.0));
        let (lo, hi) = wilson(10, 10);
        assert!(hi == 1.0 && (lo - 0.72246).abs() < 1e-4, "{lo}");
    }
}
