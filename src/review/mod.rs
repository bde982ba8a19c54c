//! Sampled human review (GB/T 45654-2025's manual sampling of training data): `sample`
//! draws a reproducible random set of records from an audit and writes a review set
//! (`sample.jsonl`, `sample.json`, `review.html`); `review` checks a reviewer's
//! `verdicts.json` against that draw and records `review.json` in the audit directory.
//!
//! The draw depends only on the ledger (per-file record counts, the Merkle root) and the
//! sampling parameters, so `review` re-draws it to check verdicts without the review set
//! and without the data: a verdict can only name a record the audit's sample holds.

pub mod classifier;
pub mod page;
pub mod sample;
pub mod verdicts;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The review set's records, one JSON object a line ([`SampleItem`]).
pub const SAMPLE_JSONL: &str = "sample.jsonl";
/// The review set's manifest ([`SampleManifest`]).
pub const SAMPLE_JSON: &str = "sample.json";
/// The review page.
pub const REVIEW_HTML: &str = "review.html";
/// The recorded results, in the audit directory ([`ReviewRecord`]).
pub const REVIEW_JSON: &str = "review.json";

/// The seed used when `--seed` is not given: fixed, so two people sampling the same audit
/// with the same options review the same records (the standard's number, GB/T 45654).
pub const DEFAULT_SEED: u64 = 45654;

/// GB/T 45654-2025's manual sampling: at least this many items.
pub const STANDARD_MIN_ITEMS: u64 = 4000;

/// GB/T 45654-2025's manual sampling: a pass rate of at least this.
pub const STANDARD_MIN_PASS_RATE: f64 = 0.96;

/// The verdict that says a record holds no illegal or harmful content.
pub const PASS: &str = "pass";

/// What a sample is drawn from and how: everything that decides which records it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleParams {
    /// The PRNG seed.
    pub seed: u64,
    /// Records wanted (per source with `per_source`).
    pub size: u64,
    /// `--per-source`: `size` records from every source.
    pub per_source: bool,
    /// Strata (`source`, `stage`), each drawn in proportion to its records.
    pub strata: Vec<String>,
}

/// `sample.json`: the draw, the audit it came from and the hash of `sample.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleManifest {
    /// `provaudit.sample/1`.
    pub format: String,
    /// First 16 hex digits of SHA-256 over the Merkle root, the parameters and the record
    /// ids: names this draw (the review page keeps its state under it).
    pub sample_id: String,
    /// How it was drawn.
    #[serde(flatten)]
    pub params: SampleParams,
    /// The audit's id and ledger Merkle root.
    pub audit_id: String,
    /// The audit's ledger Merkle root.
    pub merkle_root: String,
    /// Records drawn (fewer than asked when the audit holds fewer).
    pub drawn: u64,
    /// Per stratum (its key joined by `/`, `all` unstratified): records in the audit
    /// and records drawn.
    pub strata_counts: BTreeMap<String, StratumCount>,
    /// The records, in sample order (`root/path#record`).
    pub records: Vec<String>,
    /// Hex SHA-256 of `sample.jsonl`.
    pub sample_jsonl_sha256: String,
    /// The risk lexicons the sampled text was screened with (as the audit recorded them).
    pub lexicons: Vec<crate::analyze::safety::LexiconIdentity>,
    /// How the text was prepared.
    pub method: String,
    /// The classifier run over the sample (`--classifier`), absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classifier: Option<classifier::ClassifierInfo>,
}

/// One stratum's population and draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratumCount {
    /// Records the audit holds in it.
    pub records: u64,
    /// Records drawn from it.
    pub drawn: u64,
}

/// `review.json`: the manual review's figures, as `provaudit review` recorded them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewRecord {
    /// `provaudit.review/1`.
    pub format: String,
    /// The sample reviewed.
    pub sample_id: String,
    /// How it was drawn.
    pub seed: u64,
    /// Records asked for.
    pub size: u64,
    /// `--per-source`.
    pub per_source: bool,
    /// Strata.
    pub strata: Vec<String>,
    /// The audit's Merkle root the sample was drawn from.
    pub merkle_root: String,
    /// Who reviewed (`--reviewer`, else the verdicts' own).
    pub reviewer: Option<String>,
    /// The day the results were recorded (UTC, `YYYY-MM-DD`).
    pub date: String,
    /// Records in the sample.
    pub sampled: u64,
    /// The manual figures over every reviewed record.
    pub overall: PassRate,
    /// The manual figures per source.
    pub per_source_results: BTreeMap<String, PassRate>,
    /// Records marked with each risk category.
    pub categories: BTreeMap<String, u64>,
    /// The technical sample: lexicon hits within the sampled records.
    pub technical: TechnicalSample,
    /// The standard's thresholds the figures are read against.
    pub thresholds: Thresholds,
}

/// Reviewed records, passes and the pass rate with its 95% Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PassRate {
    /// Records in the sample (of this group).
    pub sampled: u64,
    /// Records with a verdict.
    pub reviewed: u64,
    /// Records marked pass.
    pub passed: u64,
    /// passed / reviewed (0 when none reviewed).
    pub rate: f64,
    /// The 95% Wilson score interval's lower bound.
    pub wilson_low: f64,
    /// The 95% Wilson score interval's upper bound.
    pub wilson_high: f64,
}

/// What the lexicons found within the sampled records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TechnicalSample {
    /// Whether the sampled text was screened (the audit had lexicons).
    pub screened: bool,
    /// Sampled records with at least one lexicon hit.
    pub records_with_hits: u64,
    /// Sampled records with a hit, per category.
    pub records_by_category: BTreeMap<String, u64>,
    /// Whether the audit wrote every finding (`--findings all`): the figures come from
    /// `findings.jsonl`, which otherwise keeps the first few per file and type, so they
    /// are then a lower bound.
    pub findings_complete: bool,
    /// The classifier's figures over the sample (`sample --classifier`, carried by
    /// `review --sample`), absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classifier: Option<classifier::ClassifierInfo>,
}

/// GB/T 45654-2025's figures for the manual sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// At least this many items sampled.
    pub min_items: u64,
    /// A pass rate of at least this.
    pub min_pass_rate: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_items: STANDARD_MIN_ITEMS,
            min_pass_rate: STANDARD_MIN_PASS_RATE,
        }
    }
}

impl ReviewRecord {
    /// Whether the review meets both of the standard's figures: enough items reviewed
    /// and the overall pass rate at or above the minimum.
    pub fn meets_standard(&self) -> bool {
        self.overall.reviewed >= self.thresholds.min_items
            && self.overall.rate >= self.thresholds.min_pass_rate
    }
}
