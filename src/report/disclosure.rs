//! Every figure of the report, computed once from an [`Audit`]. Renderers only format
//! this struct. Declared facts are `Option`s (`None` renders as "not declared" /
//! "未声明"); measured figures are numbers that default to 0 when the summary lacks
//! them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::audit::{Audit, ListedFile, MaskedExample};
use crate::analyze::license::Category;
use crate::analyze::pii::accuracy::{self, DataSet};
use crate::analyze::pii::{Confidence, PiiType};
use crate::analyze::sensitive::SensitiveCategory;
use crate::config::policy::Violation;
use crate::contract::{LedgerRow, StageBasis, Status, Summary};
use crate::discover::manifest::{Annotation, SourceDecl, Stage};
use crate::formats::{Format, Modality};
use crate::ledger::summary::{GroupStats, METHODS, SourceSummary};
use crate::record::kind::RecordKind;

/// Version of the `disclosure.json` layout; bumped when a key changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// License categories in report order (most to least permissive, unknown last; the
/// report has always put proprietary before model terms).
pub const LICENSE_CATEGORIES: [Category; 9] = [
    Category::PublicDomain,
    Category::Permissive,
    Category::WeakCopyleft,
    Category::StrongCopyleft,
    Category::NonCommercial,
    Category::NoDerivatives,
    Category::Proprietary,
    Category::ModelTerms,
    Category::Unknown,
];

/// The thresholds of the per-source checks are configuration (`[report.checks]`).
pub use crate::config::Checks;

/// Every figure of the disclosure, in report order: the renderers only format it,
/// and `disclosure.json` is it serialised (layout versioned by [`SCHEMA_VERSION`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disclosure {
    /// [`SCHEMA_VERSION`] of this layout.
    pub schema_version: u32,
    /// Section 1: which audit this is, and whether its ledger checks out.
    pub identification: Identification,
    /// Section 2: size per training stage.
    pub overview: Overview,
    /// Section 3: each source, declared facts beside measured ones.
    pub sources: Vec<SourceInfo>,
    /// Section 4: modalities, formats, record kinds, languages, lengths.
    pub diversity: Diversity,
    /// Section 5: duplicates, quality counters, read errors, skipped files.
    pub quality: QualitySection,
    /// Section 6: license categories, markers and conflicts.
    pub intellectual_property: IntellectualProperty,
    /// Section 7: personal information, masked examples only.
    pub personal_information: PersonalInformation,
    /// Section 8: labelled data and declared annotation practice.
    pub labelled_data: LabelledData,
    /// Section 9: per-source checks against thresholds, and policy violations.
    pub checks: ChecksSection,
    /// Section 10: how the figures were obtained.
    pub method: Method,
    /// The files one by one, for exports that list them (Croissant's `FileObject`s);
    /// not in `disclosure.json`, since `ledger.jsonl` lists every file already.
    #[serde(skip)]
    pub files: ListedFiles,
    /// Section 11: the figures and declarations arranged as the Chinese, EU and
    /// Californian filings ask for them, item by item.
    pub filings: Vec<super::filing::Filing>,
}

/// The first files of the ledger (see [`super::audit::MAX_LISTED_FILES`]) and how
/// many more there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListedFiles {
    /// In ledger order.
    pub listed: Vec<ListedFile>,
    /// Files not listed.
    pub omitted: u64,
}

// ---------------------------------------------------------------- 1 identification

/// Section 1: the audit's identity, from `summary.json` and the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identification {
    /// The run's audit id.
    pub audit_id: Option<String>,
    /// Start of the scan, RFC 3339 UTC.
    pub scan_started: Option<String>,
    /// End of the scan, RFC 3339 UTC.
    pub scan_finished: Option<String>,
    /// `YYYY-MM-DD` of `scan_started`.
    pub scan_date: Option<String>,
    /// Wall-clock seconds of the scan.
    pub duration_seconds: f64,
    /// The program that wrote the audit.
    pub tool_name: Option<String>,
    /// Its version.
    pub tool_version: Option<String>,
    /// Hex SHA-256 over the rule tables used.
    pub rules_hash: Option<String>,
    /// Hex SHA-256 of the effective options.
    pub config_hash: Option<String>,
    /// The roots as given to the scan.
    pub roots: Vec<String>,
    /// `I/N` when the audit is one shard.
    pub shard: Option<String>,
    /// Shards this audit was merged from (`provaudit merge`), 0 when it was not.
    pub merged_shards: u64,
    /// Rows according to `summary.json`.
    pub ledger_rows: u64,
    /// Rows read from `ledger.jsonl`.
    pub ledger_rows_read: u64,
    /// The Merkle root recorded in `summary.json`.
    pub merkle_root: Option<String>,
    /// The Merkle root recomputed from `ledger.jsonl`.
    pub merkle_root_recomputed: String,
    /// Both roots are present and equal: the report describes exactly this ledger.
    pub merkle_root_verified: bool,
}

impl Identification {
    /// The audit id, or `unknown` for an audit that recorded none (exports need one
    /// to name their elements).
    pub fn audit_id_or_unknown(&self) -> String {
        self.audit_id.clone().unwrap_or_else(|| "unknown".into())
    }
}

// ---------------------------------------------------------------- 2 overview

/// Section 2: size per training stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    /// One row per stage present, in report order (pretrain to eval, unknown last),
    /// others after.
    pub stages: Vec<StageRow>,
    /// All stages together (`stage` is `total`).
    pub total: StageRow,
}

/// The size of one stage (or of all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageRow {
    /// Stage id, or `total`.
    pub stage: String,
    /// Files.
    pub files: u64,
    /// Records.
    pub records: u64,
    /// Bytes as stored.
    pub bytes: u64,
    /// Unicode scalar values.
    pub characters: u64,
    /// An estimate (see `method.methods.estimated_tokens`).
    pub estimated_tokens: u64,
    /// Share of all records, 0..=1.
    pub record_share: f64,
    /// Share of all bytes, 0..=1.
    pub byte_share: f64,
    /// Files by how their stage was set (`declared`, `inferred`, `unknown`), from the
    /// ledger: an inferred stage is the scanner's reading of the records, not a fact
    /// anyone stated.
    pub basis: BTreeMap<String, u64>,
}

// ---------------------------------------------------------------- 3 sources

/// Section 3: one source, declared facts (`None`: not declared) beside measured
/// figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceInfo {
    /// The source id, as in the ledger.
    pub id: String,
    /// Declared name (manifest `name`, dataset card `pretty_name`).
    pub name: Option<String>,
    /// `manifest` | `dataset_card` | `hub_cache` | `directory`.
    pub basis: String,
    /// Path of the manifest or card the facts come from.
    pub declared_in: Option<String>,
    /// Declared stage.
    pub declared_stage: Option<String>,
    /// Declared category (`public_dataset`, `web_crawl`, ...).
    pub category: Option<String>,
    /// Declared originator (organisation or person the data comes from): manifest
    /// `originator`.
    pub originator: Option<String>,
    /// `domestic` | `foreign` as declared.
    pub origin: Option<String>,
    /// Declared URL the data was obtained from.
    pub url: Option<String>,
    /// Collection period as declared, e.g. `2025-01/2025-03`.
    pub collected: Option<String>,
    /// Declared release date or time (manifest `released`).
    pub released: Option<String>,
    /// Declared license expression (SPDX) and where it was declared.
    pub license: Option<String>,
    /// `manifest` or `dataset_card`.
    pub license_from: Option<String>,
    /// Documents backing the declaration.
    pub evidence: Vec<String>,
    /// Declared lawful basis for personal information.
    pub consent_basis: Option<String>,
    /// Declared holder of the IP rights (manifest `ip_owner`).
    pub ip_owner: Option<String>,
    /// Declared crawler name or user agent (manifest `crawler`).
    pub crawler: Option<String>,
    /// Declared handling of robots.txt and TDM reservations (manifest `robots`).
    pub robots: Option<String>,
    /// Declared generator of synthetic data (manifest `generator`).
    pub generator: Option<String>,
    /// Declared processing steps, in order (manifest `processing`).
    pub processing: Vec<String>,
    /// Declared removal of illegal content (manifest `illegal_content_removal`).
    pub illegal_content_removal: Option<String>,
    /// Measured: SHA-256 over the source's files' `sha256` values, one per line in
    /// ledger order (`-` for a file that could not be hashed): pins every file.
    pub files_sha256: Option<String>,
    /// Dataset card `language` list.
    pub card_languages: Vec<String>,
    /// Dataset card `task_categories` list.
    pub card_task_categories: Vec<String>,
    /// Measured: files per stage (from the ledger).
    pub stages: BTreeMap<Stage, u64>,
    /// Measured: files.
    pub files: u64,
    /// Measured: records.
    pub records: u64,
    /// Measured: bytes as stored.
    pub bytes: u64,
    /// Measured: Unicode scalar values.
    pub characters: u64,
    /// Measured: estimated tokens.
    pub estimated_tokens: u64,
    /// Measured: files per status.
    pub status: BTreeMap<Status, u64>,
    /// Measured: the newest modification time of the source's files, RFC 3339 UTC in
    /// whole seconds (SPDX `builtTime`): when the data as audited was last written.
    pub latest_modified: Option<String>,
    /// Measured: the web hosts the source's records name, when any does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<WebSource>,
}

/// Where a source's crawled records come from: hosts, their sizes, and domestic and
/// foreign shares (an estimate read off host names; see
/// [`crate::analyze::web_hosts::region_of`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebSource {
    /// Records that name a web address.
    pub records: u64,
    /// Their bytes of content.
    pub bytes: u64,
    /// Shares of those bytes attributed to China, to other countries, and to nobody
    /// (generic names, IP addresses), 0..=1; an estimate.
    pub domestic_share: f64,
    /// See `domestic_share`.
    pub foreign_share: f64,
    /// See `domestic_share`.
    pub unattributed_share: f64,
    /// Bytes per region, largest first.
    pub regions: Vec<KeyCount>,
    /// Distinct hosts, when the scan listed them.
    pub distinct_hosts: Option<u64>,
    /// Hosts in the top 10% by size (rounded up), and their share of the bytes.
    pub top_hosts: u64,
    /// See `top_hosts`.
    pub top_share: f64,
    /// The top hosts, largest first (`summary.json` keeps at most 1,000;
    /// `web_hosts.jsonl` has them all).
    pub listed: Vec<crate::ledger::web_hosts::HostFigure>,
    /// The lists miss some hosts: the scan met more than it holds, or reused files
    /// from a baseline audit whose hosts are not listed.
    pub lists_partial: bool,
}

impl SourceInfo {
    /// The declared name, else the id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// The declared facts on how the data was obtained, as `what: value` phrases in
    /// one fixed order (the SPDX and Croissant exports state them the same way);
    /// empty when nothing was declared.
    pub fn declared_acquisition(&self) -> Vec<String> {
        [
            ("collected", &self.collected),
            ("released", &self.released),
            ("category", &self.category),
            ("origin", &self.origin),
            ("from", &self.url),
            ("originator", &self.originator),
            ("IP owner", &self.ip_owner),
            ("crawler", &self.crawler),
            ("robots.txt and TDM reservations", &self.robots),
            ("generated by", &self.generator),
            ("consent basis", &self.consent_basis),
            ("illegal content removal", &self.illegal_content_removal),
        ]
        .into_iter()
        .filter_map(|(what, value)| value.as_ref().map(|v| format!("{what}: {v}")))
        .collect()
    }
}

// ---------------------------------------------------------------- 4 diversity

/// Section 4: what kinds of content the data holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diversity {
    /// Files and bytes per modality.
    pub modalities: Vec<FilesBytes>,
    /// Files and bytes per format.
    pub formats: Vec<FilesBytes>,
    /// Records per record kind.
    pub record_kinds: Vec<KeyCount>,
    /// Characters per language.
    pub languages: LanguageShares,
    /// Records per length bucket (visible characters), in bucket order.
    pub length_histogram: Vec<KeyCount>,
    /// The same breakdowns per source.
    pub per_source: Vec<SourceDiversity>,
}

/// Files and bytes under one key (a modality or a format).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilesBytes {
    /// The modality or format.
    pub key: String,
    /// Files.
    pub files: u64,
    /// Bytes as stored.
    pub bytes: u64,
}

/// A count under one key, with its share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyCount {
    /// The record kind or length bucket.
    pub key: String,
    /// Records.
    pub count: u64,
    /// Share of the group total, 0..=1.
    pub share: f64,
}

/// Characters by language, Chinese and English apart (what filings ask for).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageShares {
    /// Characters of records detected as Chinese / English / anything else
    /// (including `und`, undetermined).
    pub zh_characters: u64,
    /// See `zh_characters`.
    pub en_characters: u64,
    /// See `zh_characters`.
    pub other_characters: u64,
    /// `zh_characters` / all characters, 0..=1.
    pub zh_share: f64,
    /// `en_characters` / all characters, 0..=1.
    pub en_share: f64,
    /// `other_characters` / all characters, 0..=1.
    pub other_share: f64,
    /// Every language found.
    pub detail: Vec<LanguageRow>,
}

/// One language's records and characters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageRow {
    /// Language code (`und`: undetermined).
    pub language: String,
    /// Records.
    pub records: u64,
    /// Characters.
    pub characters: u64,
    /// Share of all characters, 0..=1.
    pub character_share: f64,
}

/// Section 4 for one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceDiversity {
    /// The source id.
    pub source: String,
    /// Modalities present.
    pub modalities: Vec<Modality>,
    /// The formats the source's files were read as.
    pub formats: Vec<Format>,
    /// Records per record kind.
    pub record_kinds: BTreeMap<RecordKind, u64>,
    /// `zh_characters` / all characters, 0..=1.
    pub zh_share: f64,
    /// English share of characters, 0..=1.
    pub en_share: f64,
    /// Other languages' share of characters, 0..=1.
    pub other_share: f64,
}

// ---------------------------------------------------------------- 5 quality

/// Section 5: data quality and what could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualitySection {
    /// All sources together (`source` is `total`).
    pub total: QualityRow,
    /// One row per source.
    pub per_source: Vec<QualityRow>,
    /// Files with read errors, with the first error of each.
    pub files_with_errors: Vec<FileError>,
    /// Files listed but not read (unknown binary formats), with the reason.
    pub skipped_files: Vec<SkippedFile>,
    /// Problem files beyond the listing limit, counted only.
    pub files_not_listed: u64,
    /// The MinHash-LSH parameters, when the scan looked for near-duplicates
    /// (`--near-duplicates`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicate_parameters: Option<crate::analyze::minhash::MinHashParams>,
    /// Evaluation data overlap, when the scan checked evaluation sets (`--eval-sets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contamination: Option<ContaminationSection>,
}

/// Evaluation data overlap: per benchmark, the items found in the training records;
/// per source, the records that contain one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContaminationSection {
    /// Words per n-gram.
    pub ngram_words: usize,
    /// CJK characters per n-gram.
    pub cjk_chars: usize,
    /// One row per benchmark, in the order given.
    pub benchmarks: Vec<BenchmarkRow>,
    /// One row per source with records, then `total`.
    pub per_source: Vec<OverlapRow>,
}

/// A benchmark's overlap with the whole scan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchmarkRow {
    /// Its name.
    pub benchmark: String,
    /// Items in the benchmark.
    pub items: u64,
    /// Items with less text than one n-gram (cannot be found).
    pub short_items: u64,
    /// Items sharing an n-gram with some training record.
    pub contaminated_items: u64,
    /// `contaminated_items / items`.
    pub item_share: f64,
    /// Training records sharing an n-gram with some item.
    pub training_records: u64,
}

/// A source's records that overlap any evaluation item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlapRow {
    /// Source id, or `total`.
    pub source: String,
    /// Records.
    pub records: u64,
    /// Records sharing an n-gram with any evaluation item.
    pub overlapping_records: u64,
    /// `overlapping_records / records`.
    pub share: f64,
}

/// Near-duplicate counts of one source (or of all), beside its exact duplicates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearDupShare {
    /// Records confirmed similar to an earlier record of the same file.
    pub within_file: u64,
    /// Records confirmed similar to an earlier record anywhere in the scan.
    pub within_scan: u64,
    /// Clusters the source's near-duplicate records belong to (per file, added up).
    pub clusters: u64,
    /// Near-duplicates within the scan / records.
    pub share: f64,
}

/// Quality counters of one source (or of all); each counts records unless named
/// otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityRow {
    /// Source id, or `total`.
    pub source: String,
    /// Records.
    pub records: u64,
    /// Identical to an earlier record of the same file.
    pub duplicates_within_file: u64,
    /// Identical to an earlier record anywhere in the scan.
    pub duplicates_within_scan: u64,
    /// As `duplicates_within_file`, over normalised text.
    pub normalized_duplicates_within_file: u64,
    /// As `duplicates_within_scan`, over normalised text.
    pub normalized_duplicates_within_scan: u64,
    /// Exact duplicates within the scan / records.
    pub duplicate_share: f64,
    /// No visible character.
    pub empty: u64,
    /// Very few visible characters.
    pub very_short: u64,
    /// Containing U+FFFD (broken encoding upstream).
    pub replacement_chars: u64,
    /// Containing control characters.
    pub control_chars: u64,
    /// Not valid UTF-8.
    pub invalid_utf8: u64,
    /// Read errors (not records).
    pub error_count: u64,
    /// Files with read errors (not records).
    pub files_with_errors: u64,
    /// Files listed but not read (not records).
    pub skipped_files: u64,
    /// Near-duplicates, when the scan looked for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicates: Option<NearDupShare>,
}

/// A file with read errors, as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileError {
    /// `root/path`.
    pub path: String,
    /// Its source id.
    pub source: String,
    /// `partial` or `error`.
    pub status: String,
    /// Errors met.
    pub error_count: u64,
    /// The first error's kind.
    pub kind: Option<String>,
    /// The first error's message.
    pub message: Option<String>,
    /// Where the first error happened, in words.
    pub location: Option<String>,
}

/// A file listed but not read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedFile {
    /// `root/path`.
    pub path: String,
    /// Its source id.
    pub source: String,
    /// Bytes as stored.
    pub bytes: u64,
    /// Why it was not read.
    pub reason: Option<String>,
}

// ---------------------------------------------------------------- 6 IP

/// Section 6: licenses and rights markers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntellectualProperty {
    /// Files, records and bytes per license category, in report order (most to least
    /// permissive, unknown last).
    pub categories: Vec<LicenseCategoryRow>,
    /// Copyright lines found.
    pub copyright_notices: u64,
    /// Rights reservations found ("All rights reserved", 未经许可不得转载).
    pub all_rights_reserved: u64,
    /// Of those, the ones beside a license grant (same record, or anywhere in a
    /// document): attribution notices, not proprietary terms. The rest stand
    /// alone and make their data `proprietary`.
    pub all_rights_reserved_with_grant: u64,
    /// Text-and-data-mining opt-outs found.
    pub tdm_opt_outs: u64,
    /// One row per source.
    pub per_source: Vec<SourceLicense>,
    /// Sources whose category is `unknown` or that have conflicts.
    pub flagged_sources: Vec<String>,
}

/// One license category's share of the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenseCategoryRow {
    /// The license category.
    pub category: Category,
    /// Files.
    pub files: u64,
    /// Records.
    pub records: u64,
    /// Bytes as stored.
    pub bytes: u64,
    /// Share of all records, 0..=1.
    pub record_share: f64,
    /// Share of all bytes, 0..=1.
    pub byte_share: f64,
}

/// Section 6 for one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceLicense {
    /// The source id.
    pub source: String,
    /// Declared expression, as normalised by the scanner.
    pub declared: Option<String>,
    /// `manifest`, `dataset_card` or `mixed`.
    pub declared_from: Option<String>,
    /// Detected licenses with their evidence kinds and counts.
    pub detected: Vec<DetectedLicense>,
    /// The strictest category found (declared or detected).
    pub category: Category,
    /// What the source's data is under: records, bytes and files per category and
    /// basis, largest share first, so one label never hides an `unknown` majority.
    pub composition: Vec<CompositionRow>,
    /// Records carrying a license or copyright marker of their own (counted as
    /// records, not as the category of their file).
    pub records_with_markers: u64,
    /// Copyright lines found.
    pub copyright_notices: u64,
    /// Rights reservations found.
    pub all_rights_reserved: u64,
    /// Of those, the ones beside a license grant (attribution notices).
    pub all_rights_reserved_with_grant: u64,
    /// Text-and-data-mining opt-outs found.
    pub tdm_opt_outs: u64,
    /// Disagreements between declaration and evidence, for review.
    pub conflicts: Vec<Conflict>,
}

/// One part of a source's license composition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompositionRow {
    /// The license category of these files.
    pub category: Category,
    /// What it rests on: `manifest`, `dataset_card`, `license_file`, `content` (joined
    /// by `+`) or `none`.
    pub basis: String,
    /// Files.
    pub files: u64,
    /// Records.
    pub records: u64,
    /// Bytes as stored.
    pub bytes: u64,
    /// Share of the source's records (of its bytes when it has no records), 0..=1.
    pub share: f64,
}

/// A license found in a source's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectedLicense {
    /// SPDX id or expression (or `LicenseRef-*`).
    pub license: String,
    /// Occurrences per evidence kind (`spdx_tag`, `license_text`, ...).
    pub evidence: BTreeMap<String, u64>,
}

/// A license conflict, as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// `stricter_than_declared`, `no_license`, `unknown_license`,
    /// `all_rights_reserved` or `tdm_opt_out`.
    pub kind: String,
    /// The declared expression, when there is one.
    pub declared: Option<String>,
    /// The detected license or category, when there is one.
    pub detected: Option<String>,
    /// A human-readable explanation.
    pub detail: Option<String>,
}

// ---------------------------------------------------------------- 7 PI

/// Section 7: personal information. Only counts and masked values, never a raw one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonalInformation {
    /// Records of the audit.
    pub records: u64,
    /// Records with at least one counted value.
    pub records_with_pii: u64,
    /// `records_with_pii` / `records`, 0..=1.
    pub record_share: f64,
    /// One row per type found, in report order (the canonical identifiers' order).
    pub by_type: Vec<PiiTypeRow>,
    /// One row per source.
    pub per_source: Vec<SourcePii>,
    /// Records with sensitive personal information (PIPL Art. 28), any category.
    pub records_with_sensitive: u64,
    /// Records per sensitive category, in the canonical order; categories with none
    /// left out.
    pub sensitive: Vec<SensitiveRow>,
    /// Masked values from `findings.jsonl` (a few per type).
    pub masked_examples: Vec<MaskedExample>,
    /// `findings.jsonl` was present (without it there are no examples).
    pub findings_present: bool,
    /// Occurrences per confidence (`high`, `medium`, `low`), all sources together.
    pub by_confidence: BTreeMap<Confidence, u64>,
    /// The audit's recorded statement of method and coverage (`summary.methods.pii`):
    /// what is detected, how far each type is confirmed, what is not detected. `None`
    /// for audits made before it was recorded.
    pub coverage: Option<String>,
    /// The measured accuracy of today's built-in rules, when they are the rules the
    /// audit states it used (its coverage statement is today's); empty otherwise.
    pub accuracy: Vec<AccuracyRow>,
    /// Whether `accuracy` applies to this audit (see there).
    pub accuracy_applies: bool,
}

/// One measured figure of the built-in rules (`analyze::pii::accuracy`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccuracyRow {
    /// The type.
    pub pii_type: PiiType,
    /// Where and when it was measured.
    pub data_set: DataSet,
    /// Correct detections / detections; `None`: not measured.
    pub precision: Option<f64>,
    /// Labelled values found / labelled values; `None`: not measured.
    pub recall: Option<f64>,
    /// Labelled values, or detections read when only precision was measured.
    pub support: u64,
}

/// One PII type's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PiiTypeRow {
    /// The canonical type id (`email`, `phone`, ...).
    pub pii_type: PiiType,
    /// Occurrences found.
    pub occurrences: u64,
    /// Records with at least one occurrence of this type.
    pub records: u64,
}

/// Records of one sensitive category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitiveRow {
    /// The category id (`health`, `minor`, ...).
    pub category: SensitiveCategory,
    /// Records flagged for it.
    pub records: u64,
}

/// Section 7 for one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcePii {
    /// The source id.
    pub source: String,
    /// Records.
    pub records: u64,
    /// Records with at least one counted value.
    pub records_with_pii: u64,
    /// `records_with_pii` / `records`, 0..=1.
    pub record_share: f64,
    /// Records with at least one occurrence, per type.
    pub records_by_type: BTreeMap<PiiType, u64>,
    /// Occurrences per type.
    pub occurrences_by_type: BTreeMap<PiiType, u64>,
    /// Occurrences per confidence.
    pub occurrences_by_confidence: BTreeMap<Confidence, u64>,
    /// Records with sensitive personal information, any category.
    pub records_with_sensitive: u64,
    /// Records with sensitive personal information per category.
    pub sensitive_by_category: BTreeMap<SensitiveCategory, u64>,
    /// Declared consent basis (manifest), if any.
    pub consent_basis: Option<String>,
}

// ---------------------------------------------------------------- 8 labelled data

/// Section 8: labelled data (the "manually labelled data" of Article 8).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledData {
    /// All sources together (`source` is `total`).
    pub total: LabelledRow,
    /// Sources with labelled records or a declared `[annotation]`.
    pub per_source: Vec<LabelledRow>,
}

/// Labelled records of one source (or of all) and its declared annotation facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledRow {
    /// Source id, or `total`.
    pub source: String,
    /// Records.
    pub records: u64,
    /// Preference records.
    pub preference: u64,
    /// Instruction records.
    pub instruction: u64,
    /// Chat records.
    pub chat: u64,
    /// Labelled-text records.
    pub labeled: u64,
    /// Records labelled by annotation: preference + labeled, plus instruction + chat
    /// where the source declares an `[annotation]` (the total sums the sources).
    pub labelled_records: u64,
    /// Declared: where the labelling rules are.
    pub annotation_rules: Option<String>,
    /// Declared: how many people labelled the data.
    pub annotators: Option<u64>,
    /// Declared: whether they were trained on the rules.
    pub annotators_trained: Option<bool>,
    /// Declared: share of labels checked by a second person, 0..=1.
    pub spot_check_rate: Option<f64>,
    /// Declared version of the labelling rules.
    pub annotation_rules_version: Option<String>,
    /// Declared SHA-256 of the rules document.
    pub annotation_rules_sha256: Option<String>,
    /// Declared number of labels the spot check looked at.
    pub spot_checked: Option<u64>,
    /// Declared share of checked labels found correct.
    pub spot_check_accuracy: Option<f64>,
}

// ---------------------------------------------------------------- 9 checks

/// Section 9: per-source checks and policy violations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecksSection {
    /// The thresholds applied (`[report.checks]`).
    pub thresholds: Checks,
    /// One row per source.
    pub per_source: Vec<SourceCheck>,
    /// Sources with at least one flag.
    pub flagged_sources: Vec<String>,
    /// `summary.policy.violations`, each violation's scalar fields as text.
    pub policy_violations: Vec<BTreeMap<String, String>>,
    /// `summary.policy` was present.
    pub policy_present: bool,
    /// What the scan left out without reading it (`summary.discovery`); absent for
    /// audits written before it was counted.
    pub left_out: Option<crate::discover::DiscoveryCounts>,
    /// Corpus safety screening (`summary.safety`), absent when the scan had no lexicon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety: Option<SafetyScreening>,
    /// GB/T 45654-2025's manual sampled review: present when the scan screened or a
    /// review is recorded (`review.json`), so unscreened audits' reports are unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual_review: Option<ManualReview>,
}

/// The manual sampled review against the standard's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManualReview {
    /// The standard's figures: items sampled, pass rate.
    pub thresholds: crate::review::Thresholds,
    /// The review `provaudit review` recorded; `None`: no manual review recorded.
    pub recorded: Option<crate::review::ReviewRecord>,
}

/// The corpus safety screening: which lexicons, and each source's flagged share
/// against GB/T 45654-2025's per-source rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetyScreening {
    /// The lexicons screened with (name, version, path, SHA-256, terms per category).
    pub lexicons: Vec<crate::analyze::safety::LexiconIdentity>,
    /// The share of a source's records above which it breaks the rule.
    pub threshold: f64,
    /// Where the rule comes from.
    pub citation: String,
    /// One row per screened source: records flagged / records.
    pub per_source: Vec<SafetySourceCheck>,
    /// Sources above the threshold.
    pub flagged_sources: Vec<String>,
}

/// One source's screening figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetySourceCheck {
    /// The source id.
    pub source: String,
    /// Records flagged / records, against the threshold.
    pub share: CheckFigure,
    /// Records flagged per category.
    pub records_by_category: BTreeMap<String, u64>,
}

/// The rule the screening applies, as the report cites it (no clause number: it could
/// not be checked against the standard's text).
pub const SAFETY_CITATION: &str = "GB/T 45654-2025, training-data source security requirements: before data from a source is collected, it is assessed, and a source whose content is more than 5% illegal or harmful information is not to be used.";

/// The checks of one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCheck {
    /// The source id.
    pub source: String,
    /// Records with personal information / records.
    pub pii_record_share: CheckFigure,
    /// Records (or bytes) of license category `unknown` / all.
    pub unknown_license_share: CheckFigure,
    /// Read errors / (records + read errors).
    pub error_share: CheckFigure,
    /// Names of the figures above their threshold.
    pub flags: Vec<String>,
}

/// One checked figure: a share against its threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckFigure {
    /// What was counted.
    pub numerator: u64,
    /// What it was counted over.
    pub denominator: u64,
    /// numerator / denominator (0 when the denominator is 0).
    pub value: f64,
    /// The share above which the source is flagged.
    pub threshold: f64,
    /// What is counted: `records` or `bytes`.
    pub unit: String,
    /// value > threshold.
    pub flagged: bool,
}

impl CheckFigure {
    fn new(numerator: u64, denominator: u64, threshold: f64, unit: &str) -> CheckFigure {
        let value = share(numerator, denominator);
        CheckFigure {
            numerator,
            denominator,
            value,
            threshold,
            unit: unit.to_string(),
            flagged: value > threshold,
        }
    }
}

// ---------------------------------------------------------------- 10 method

/// Section 10: how the figures were obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    /// The roots as given to the scan.
    pub roots: Vec<String>,
    /// Files (rows) of the audit.
    pub files: u64,
    /// Bytes as stored.
    pub bytes: u64,
    /// Records.
    pub records: u64,
    /// Measured: files per status.
    pub status: BTreeMap<Status, u64>,
    /// Files whose stage was declared vs inferred (`stage_basis`, from the ledger).
    pub stage_basis: BTreeMap<StageBasis, u64>,
    /// Scan options from `summary.json` (`options`), scalar values as text.
    pub options: BTreeMap<String, String>,
    /// `summary.methods`: how the scanner computes each figure.
    pub methods: BTreeMap<String, String>,
    /// Figures of this report that are estimates, not counts.
    pub estimates: Vec<String>,
}

// ================================================================ build

/// Computes the disclosure's figures from an audit.
pub fn build(audit: &Audit, checks: &Checks) -> Disclosure {
    let s = &audit.summary;
    let totals = &s.totals;
    let sources: Vec<(&String, &SourceSummary)> = s.per_source.iter().collect();

    let mut d = Disclosure {
        schema_version: SCHEMA_VERSION,
        identification: identification(audit),
        overview: overview(s, &audit.stage_bases),
        sources: sources
            .iter()
            .map(|(id, v)| source_info(audit, id, v))
            .collect(),
        diversity: diversity(totals, &sources),
        quality: quality(audit, totals, &sources),
        intellectual_property: intellectual_property(totals, &sources),
        personal_information: personal_information(audit, totals, &sources),
        labelled_data: labelled_data(totals, &sources),
        checks: checks_section(s, checks, &sources),
        method: method(audit, s),
        files: ListedFiles {
            listed: audit.listed_files.clone(),
            omitted: audit.listed_files_omitted,
        },
        filings: Vec::new(),
    };
    if d.checks.safety.is_some() || audit.review.is_some() {
        d.checks.manual_review = Some(ManualReview {
            thresholds: Default::default(),
            recorded: audit.review.clone(),
        });
    }
    d.filings = super::filing::build(&d, audit.provider.as_ref());
    d
}

/// A non-empty text, or `None`: an absent and an empty value both read "not declared".
fn given(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_string())
}

fn identification(audit: &Audit) -> Identification {
    let s = &audit.summary;
    let merkle_root = given(&s.ledger.merkle_root);
    let started = given(&s.started);
    Identification {
        audit_id: given(&s.audit_id),
        scan_date: started
            .as_deref()
            .and_then(|t| t.get(..10))
            .filter(|d| is_iso_date(d))
            .map(str::to_string),
        scan_started: started,
        scan_finished: given(&s.finished),
        duration_seconds: s.duration_seconds,
        tool_name: given(&s.tool.name),
        tool_version: given(&s.tool.version),
        rules_hash: given(&s.rules_hash),
        config_hash: given(&s.config_hash),
        roots: s.roots.clone(),
        shard: s.shard.as_ref().and_then(|sh| given(&sh.spec)),
        merged_shards: s.merged.as_ref().map_or(0, |m| m.shards.len() as u64),
        ledger_rows: s.ledger.rows,
        ledger_rows_read: audit.ledger_rows,
        merkle_root_verified: merkle_root.as_deref() == Some(audit.ledger_merkle_root.as_str()),
        merkle_root,
        merkle_root_recomputed: audit.ledger_merkle_root.clone(),
    }
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn overview(s: &Summary, bases: &BTreeMap<Stage, BTreeMap<StageBasis, u64>>) -> Overview {
    let totals = &s.totals;
    let (total_records, total_bytes) = (totals.content.records, totals.bytes);
    // Known stages in their declaration order, then any stage another version wrote.
    let mut names: Vec<Stage> = Stage::ALL.to_vec();
    names.extend(s.per_stage.keys().filter(|k| !k.is_known()).cloned());
    let basis_of = |stage: Option<&Stage>| {
        let mut out: BTreeMap<String, u64> = BTreeMap::new();
        for (name, per_basis) in bases {
            if stage.is_none_or(|s| s == name) {
                for (basis, files) in per_basis {
                    *out.entry(basis.as_str().to_string()).or_default() += files;
                }
            }
        }
        out
    };
    let row = |stage: &str, v: &GroupStats, basis: BTreeMap<String, u64>| StageRow {
        basis,
        stage: stage.to_string(),
        files: v.files,
        records: v.content.records,
        bytes: v.bytes,
        characters: v.content.characters,
        estimated_tokens: v.content.estimated_tokens,
        record_share: share(v.content.records, total_records),
        byte_share: share(v.bytes, total_bytes),
    };
    let none = GroupStats::default();
    let stages = names
        .iter()
        .map(|name| {
            let v = s.per_stage.get(name).unwrap_or(&none);
            row(name.as_str(), v, basis_of(Some(name)))
        })
        .collect();
    Overview {
        stages,
        total: row("total", totals, basis_of(None)),
    }
}

/// The serde name of a declared enum value (`web_crawl`, `domestic`), as the summary
/// writes it.
fn serde_name(value: &impl Serialize) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Some(text),
        _ => None,
    }
}

fn source_info(audit: &Audit, id: &str, v: &SourceSummary) -> SourceInfo {
    let declared = &v.declared;
    let src = declared.manifest.as_ref().map(|m| &m.source);
    let card = declared.card.as_ref();
    let card_license = card.map(|c| c.license.clone()).unwrap_or_default();
    let (license, license_from) = match &v.stats.license.summary.declared {
        Some(d) => (given(&d.expression), Some(d.from.as_str().to_string())),
        None => match src.and_then(|s| s.license.as_deref()).and_then(given) {
            Some(l) => (Some(l), Some("manifest".into())),
            None if !card_license.is_empty() => (
                Some(card_license.join(" AND ")),
                Some("dataset_card".into()),
            ),
            None => (None, None),
        },
    };
    let text = |f: fn(&SourceDecl) -> Option<&String>| src.and_then(f).and_then(|t| given(t));
    SourceInfo {
        id: id.to_string(),
        name: text(|s| s.name.as_ref())
            .or_else(|| card.and_then(|c| c.pretty_name.as_deref()).and_then(given)),
        basis: serde_name(&declared.basis).unwrap_or_else(|| "directory".into()),
        declared_in: declared
            .manifest_path
            .clone()
            .or_else(|| declared.card_path.clone()),
        declared_stage: src
            .and_then(|s| s.stage.as_ref())
            .map(|st| st.as_str().to_string()),
        category: src.and_then(|s| s.category.as_ref()).and_then(serde_name),
        originator: text(|s| s.originator.as_ref()),
        origin: src.and_then(|s| s.origin.as_ref()).and_then(serde_name),
        url: text(|s| s.url.as_ref()),
        collected: text(|s| s.collected.as_ref()),
        released: text(|s| s.released.as_ref()),
        license,
        license_from,
        evidence: src.map(|s| s.evidence.clone()).unwrap_or_default(),
        consent_basis: text(|s| s.consent_basis.as_ref()),
        ip_owner: text(|s| s.ip_owner.as_ref()),
        crawler: text(|s| s.crawler.as_ref()),
        robots: text(|s| s.robots.as_ref()),
        generator: text(|s| s.generator.as_ref()),
        processing: src.map(|s| s.processing.clone()).unwrap_or_default(),
        illegal_content_removal: text(|s| s.illegal_content_removal.as_ref()),
        files_sha256: audit.source_files_sha256.get(id).cloned(),
        card_languages: card.map(|c| c.language.clone()).unwrap_or_default(),
        card_task_categories: card.map(|c| c.task_categories.clone()).unwrap_or_default(),
        stages: audit.source_stages.get(id).cloned().unwrap_or_default(),
        files: v.stats.files,
        records: v.stats.content.records,
        bytes: v.stats.bytes,
        characters: v.stats.content.characters,
        estimated_tokens: v.stats.content.estimated_tokens,
        status: v.stats.status.clone(),
        latest_modified: audit
            .source_latest_modified
            .get(id)
            .and_then(|t| crate::civil::utc_seconds(t))
            .map(|t| format!("{t}Z")),
        web: web_source(audit, id, v),
    }
}

fn web_source(audit: &Audit, id: &str, v: &SourceSummary) -> Option<WebSource> {
    use crate::analyze::web_hosts::Side;
    let counts = v.stats.web_hosts.as_ref()?;
    let lists = audit.summary.web_hosts.as_ref();
    let hosts = lists.and_then(|w| w.per_source.get(id));
    let mut regions: Vec<KeyCount> = counts
        .bytes_by_region
        .iter()
        .map(|(region, &bytes)| KeyCount {
            key: region.clone(),
            count: bytes,
            share: share(bytes, counts.bytes),
        })
        .collect();
    regions.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    Some(WebSource {
        records: counts.records,
        bytes: counts.bytes,
        domestic_share: share(counts.bytes_on(Side::Domestic), counts.bytes),
        foreign_share: share(counts.bytes_on(Side::Foreign), counts.bytes),
        unattributed_share: share(counts.bytes_on(Side::Unattributed), counts.bytes),
        regions,
        distinct_hosts: hosts.map(|h| h.distinct_hosts),
        top_hosts: hosts.map_or(0, |h| h.top_hosts),
        top_share: hosts.map_or(0.0, |h| share(h.top_bytes, h.bytes)),
        listed: hosts.map(|h| h.listed.clone()).unwrap_or_default(),
        lists_partial: lists.is_none_or(|w| w.capped || w.untallied_files > 0),
    })
}

fn files_bytes<K: AsRef<str>>(
    map: &BTreeMap<K, crate::ledger::summary::FilesBytes>,
) -> Vec<FilesBytes> {
    let mut rows: Vec<FilesBytes> = map
        .iter()
        .map(|(k, e)| FilesBytes {
            key: k.as_ref().to_string(),
            files: e.files,
            bytes: e.bytes,
        })
        .collect();
    rows.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.key.cmp(&b.key)));
    rows
}

fn key_counts<K: AsRef<str>>(map: &BTreeMap<K, u64>) -> Vec<KeyCount> {
    let total = saturating_sum(map.values().copied());
    let mut rows: Vec<KeyCount> = map
        .iter()
        .map(|(k, &c)| KeyCount {
            key: k.as_ref().to_string(),
            count: c,
            share: share(c, total),
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    rows
}

fn language_shares(v: &GroupStats) -> LanguageShares {
    let mut detail: Vec<LanguageRow> = v
        .content
        .languages
        .iter()
        .map(|(k, e)| LanguageRow {
            language: k.clone(),
            records: e.records,
            characters: e.characters,
            character_share: 0.0,
        })
        .collect();
    let total = saturating_sum(detail.iter().map(|r| r.characters));
    for r in &mut detail {
        r.character_share = share(r.characters, total);
    }
    detail.sort_by(|a, b| {
        b.characters
            .cmp(&a.characters)
            .then_with(|| a.language.cmp(&b.language))
    });
    let chars = |lang: &str| {
        detail
            .iter()
            .filter(|r| r.language == lang)
            .map(|r| r.characters)
            .fold(0u64, u64::saturating_add)
    };
    let zh = chars("zh");
    let en = chars("en");
    let other = total.saturating_sub(zh).saturating_sub(en);
    LanguageShares {
        zh_characters: zh,
        en_characters: en,
        other_characters: other,
        zh_share: share(zh, total),
        en_share: share(en, total),
        other_share: share(other, total),
        detail,
    }
}

/// Lower bound of a length bucket label (`"0"`, `"17-64"`, `">65536"`).
fn bucket_lower(label: &str) -> u64 {
    let digits: String = label
        .trim_start_matches('>')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let n = digits.parse().unwrap_or(u64::MAX);
    if label.starts_with('>') {
        n.saturating_add(1)
    } else {
        n
    }
}

type Sources<'a> = [(&'a String, &'a SourceSummary)];

fn diversity(totals: &GroupStats, sources: &Sources<'_>) -> Diversity {
    let mut length_histogram = key_counts(&totals.content.length_histogram);
    length_histogram.sort_by_key(|r| bucket_lower(&r.key));
    Diversity {
        modalities: files_bytes(&totals.modalities),
        formats: files_bytes(&totals.formats),
        record_kinds: key_counts(&totals.content.record_kinds),
        languages: language_shares(totals),
        length_histogram,
        per_source: sources
            .iter()
            .map(|(id, v)| {
                let langs = language_shares(&v.stats);
                SourceDiversity {
                    source: id.to_string(),
                    modalities: v.stats.modalities.keys().cloned().collect(),
                    formats: v.stats.formats.keys().cloned().collect(),
                    record_kinds: v.stats.content.record_kinds.clone(),
                    zh_share: langs.zh_share,
                    en_share: langs.en_share,
                    other_share: langs.other_share,
                }
            })
            .collect(),
    }
}

fn quality_row(name: &str, v: &GroupStats) -> QualityRow {
    let records = v.content.records;
    let d = &v.duplicates;
    let q = &v.content.quality;
    QualityRow {
        source: name.to_string(),
        records,
        duplicates_within_file: d.within_file,
        duplicates_within_scan: d.within_scan,
        normalized_duplicates_within_file: d.normalized_within_file,
        normalized_duplicates_within_scan: d.normalized_within_scan,
        duplicate_share: share(d.within_scan, records),
        empty: q.empty,
        very_short: q.very_short,
        replacement_chars: q.replacement_chars,
        control_chars: q.control_chars,
        invalid_utf8: q.invalid_utf8,
        error_count: v.error_count,
        files_with_errors: v.files_with_errors,
        skipped_files: v.status.get(&Status::Skipped).copied().unwrap_or(0),
        near_duplicates: v.near_duplicates.as_ref().map(|nd| NearDupShare {
            within_file: nd.within_file,
            within_scan: nd.within_scan,
            clusters: nd.clusters,
            share: share(nd.within_scan, records),
        }),
    }
}

fn file_error(r: &LedgerRow) -> FileError {
    let first = r.first_error.as_ref();
    FileError {
        path: r.path.clone(),
        source: r.source.clone(),
        status: r.status.as_str().to_string(),
        error_count: r.error_count,
        kind: first.and_then(serde_name_of_kind),
        message: first.map(|e| e.message.clone()),
        location: first
            .filter(|e| e.location != Default::default())
            .map(|e| e.location.to_string()),
    }
}

fn serde_name_of_kind(e: &crate::formats::ReadError) -> Option<String> {
    serde_name(&e.kind)
}

fn quality(audit: &Audit, totals: &GroupStats, sources: &Sources<'_>) -> QualitySection {
    let rows: &[LedgerRow] = &audit.problem_rows;
    QualitySection {
        total: quality_row("total", totals),
        per_source: sources
            .iter()
            .map(|(id, v)| quality_row(id, &v.stats))
            .collect(),
        files_with_errors: rows
            .iter()
            .filter(|r| r.error_count > 0 || r.status == Status::Error)
            .map(file_error)
            .collect(),
        skipped_files: rows
            .iter()
            .filter(|r| r.status == Status::Skipped)
            .map(|r| SkippedFile {
                path: r.path.clone(),
                source: r.source.clone(),
                bytes: r.bytes,
                reason: r.skip_reason.clone(),
            })
            .collect(),
        files_not_listed: audit.problem_rows_omitted,
        near_duplicate_parameters: audit.summary.near_duplicates.as_ref().map(|s| s.parameters),
        contamination: contamination(audit, totals, sources),
    }
}

fn contamination(
    audit: &Audit,
    totals: &GroupStats,
    sources: &Sources<'_>,
) -> Option<ContaminationSection> {
    let checked = audit.summary.contamination.as_ref()?;
    let found = totals.contamination.clone().unwrap_or_default();
    let overlap = |id: &str, v: &GroupStats| OverlapRow {
        source: id.to_string(),
        records: v.content.records,
        overlapping_records: v.contamination.as_ref().map_or(0, |c| c.records),
        share: share(
            v.contamination.as_ref().map_or(0, |c| c.records),
            v.content.records,
        ),
    };
    let mut per_source: Vec<OverlapRow> = sources
        .iter()
        .map(|(id, v)| overlap(id, &v.stats))
        .collect();
    per_source.push(overlap("total", totals));
    Some(ContaminationSection {
        ngram_words: checked.parameters.ngram_words,
        cjk_chars: checked.parameters.cjk_chars,
        benchmarks: checked
            .benchmarks
            .iter()
            .map(|b| {
                let hits = found.by_benchmark.get(&b.name);
                let items = hits.map_or(0, |h| h.items.len() as u64);
                BenchmarkRow {
                    benchmark: b.name.clone(),
                    items: b.items,
                    short_items: b.short_items,
                    contaminated_items: items,
                    item_share: share(items, b.items),
                    training_records: hits.map_or(0, |h| h.records),
                }
            })
            .collect(),
        per_source,
    })
}

fn category_rank(c: &Category) -> usize {
    LICENSE_CATEGORIES
        .iter()
        .position(|k| k == c)
        .unwrap_or(LICENSE_CATEGORIES.len())
}

/// A group's files, records and bytes per category and basis, largest share first.
fn composition(stats: &GroupStats) -> Vec<CompositionRow> {
    let records: u64 = stats.license_categories.values().map(|c| c.records).sum();
    let bytes: u64 = stats.license_categories.values().map(|c| c.bytes).sum();
    let mut rows: Vec<CompositionRow> = stats
        .license_categories
        .iter()
        .flat_map(|(category, count)| {
            let by_basis: Vec<(String, u64, u64, u64)> = match count.by_basis.is_empty() {
                // Audits written before bases were recorded.
                true => vec![(String::new(), count.files, count.records, count.bytes)],
                false => count
                    .by_basis
                    .iter()
                    .map(|(b, c)| (b.clone(), c.files, c.records, c.bytes))
                    .collect(),
            };
            by_basis
                .into_iter()
                .map(move |(basis, files, r, b)| CompositionRow {
                    category: category.clone(),
                    basis,
                    files,
                    records: r,
                    bytes: b,
                    share: match records {
                        0 => share(b, bytes),
                        _ => share(r, records),
                    },
                })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| category_rank(&a.category).cmp(&category_rank(&b.category)))
            .then_with(|| a.basis.cmp(&b.basis))
    });
    rows
}

fn source_license(id: &str, stats: &GroupStats) -> SourceLicense {
    let lic = &stats.license;
    let declared = lic.summary.declared.as_ref();
    SourceLicense {
        source: id.to_string(),
        declared: declared.and_then(|d| given(&d.expression)),
        declared_from: declared.map(|d| d.from.as_str().to_string()),
        detected: lic
            .summary
            .detected
            .iter()
            .map(|(k, e)| DetectedLicense {
                license: k.clone(),
                evidence: e.clone(),
            })
            .collect(),
        category: given(lic.category.as_str()).map_or(Category::Unknown, |_| lic.category.clone()),
        composition: composition(stats),
        records_with_markers: lic.summary.records_with_markers,
        copyright_notices: lic.summary.copyright_notices,
        all_rights_reserved: lic.summary.all_rights_reserved,
        all_rights_reserved_with_grant: lic.summary.all_rights_reserved_with_grant,
        tdm_opt_outs: lic.summary.tdm_opt_outs,
        conflicts: lic
            .conflicts
            .iter()
            .map(|c| Conflict {
                kind: given(c.kind.as_str()).unwrap_or_else(|| "unspecified".into()),
                declared: c.declared.clone(),
                detected: c.detected.clone(),
                detail: given(&c.detail),
            })
            .collect(),
    }
}

fn intellectual_property(totals: &GroupStats, sources: &Sources<'_>) -> IntellectualProperty {
    let total_records = totals.content.records;
    let total_bytes = totals.bytes;
    let mut categories: Vec<LicenseCategoryRow> = totals
        .license_categories
        .iter()
        .map(|(k, e)| LicenseCategoryRow {
            category: k.clone(),
            files: e.files,
            records: e.records,
            bytes: e.bytes,
            record_share: share(e.records, total_records),
            byte_share: share(e.bytes, total_bytes),
        })
        .collect();
    categories.sort_by(|a, b| {
        category_rank(&a.category)
            .cmp(&category_rank(&b.category))
            .then_with(|| a.category.cmp(&b.category))
    });

    let per_source: Vec<SourceLicense> = sources
        .iter()
        .map(|(id, v)| source_license(id, &v.stats))
        .collect();
    let flagged_sources = per_source
        .iter()
        .filter(|s| s.category == Category::Unknown || !s.conflicts.is_empty())
        .map(|s| s.source.clone())
        .collect();
    IntellectualProperty {
        categories,
        copyright_notices: totals.license.summary.copyright_notices,
        all_rights_reserved: totals.license.summary.all_rights_reserved,
        all_rights_reserved_with_grant: totals.license.summary.all_rights_reserved_with_grant,
        tdm_opt_outs: totals.license.summary.tdm_opt_outs,
        per_source,
        flagged_sources,
    }
}

/// Known types in report order (`PiiType::ALL`), then any type another version wrote.
fn sorted_pii_types<'a>(keys: impl Iterator<Item = &'a PiiType>) -> Vec<PiiType> {
    let set: BTreeSet<&PiiType> = keys.collect();
    let mut out: Vec<PiiType> = PiiType::ALL
        .iter()
        .filter(|t| set.contains(t))
        .cloned()
        .collect();
    out.extend(set.into_iter().filter(|k| !k.is_known()).cloned());
    out
}

fn personal_information(
    audit: &Audit,
    totals: &GroupStats,
    sources: &Sources<'_>,
) -> PersonalInformation {
    let counts = &totals.pii.counts;
    let by_record = &totals.pii.records_by_type;
    let records = totals.content.records;
    let records_with_pii = totals.pii.records_with_pii;
    // The measured figures describe today's rules: they apply when the audit states
    // today's method, not to an audit made by a version that detected otherwise.
    let applies = audit.summary.methods.pii == METHODS.pii;
    PersonalInformation {
        records,
        records_with_pii,
        record_share: share(records_with_pii, records),
        by_type: sorted_pii_types(counts.keys().chain(by_record.keys()))
            .into_iter()
            .map(|t| PiiTypeRow {
                occurrences: counts.get(&t).copied().unwrap_or(0),
                records: by_record.get(&t).copied().unwrap_or(0),
                pii_type: t,
            })
            .collect(),
        per_source: sources
            .iter()
            .map(|(id, v)| {
                let records = v.stats.content.records;
                let with = v.stats.pii.records_with_pii;
                SourcePii {
                    source: id.to_string(),
                    records,
                    records_with_pii: with,
                    record_share: share(with, records),
                    records_by_type: v.stats.pii.records_by_type.clone(),
                    occurrences_by_type: v.stats.pii.counts.clone(),
                    occurrences_by_confidence: v.stats.pii.by_confidence.clone(),
                    records_with_sensitive: v.stats.pii.records_with_sensitive,
                    sensitive_by_category: v.stats.pii.sensitive.clone(),
                    consent_basis: v
                        .declared
                        .manifest
                        .as_ref()
                        .and_then(|m| m.source.consent_basis.as_deref())
                        .and_then(given),
                }
            })
            .collect(),
        records_with_sensitive: totals.pii.records_with_sensitive,
        sensitive: sensitive_rows(&totals.pii.sensitive),
        masked_examples: audit.examples.clone(),
        findings_present: audit.findings_present,
        by_confidence: totals.pii.by_confidence.clone(),
        coverage: given(&audit.summary.methods.pii),
        accuracy: if applies { accuracy_rows() } else { Vec::new() },
        accuracy_applies: applies,
    }
}

/// The measured accuracy table, rows whose data set is known.
fn accuracy_rows() -> Vec<AccuracyRow> {
    accuracy::ACCURACY
        .iter()
        .filter_map(|a| {
            Some(AccuracyRow {
                pii_type: a.pii_type.clone(),
                data_set: *accuracy::data_set(a.data_set)?,
                precision: a.precision,
                recall: a.recall,
                support: a.support,
            })
        })
        .collect()
}

/// Known categories in canonical order (`SensitiveCategory::ALL`), then any another
/// version wrote; categories with no records left out.
fn sensitive_rows(counts: &BTreeMap<SensitiveCategory, u64>) -> Vec<SensitiveRow> {
    let known = SensitiveCategory::ALL.iter();
    let other = counts.keys().filter(|c| !c.is_known());
    known
        .chain(other)
        .filter_map(|c| {
            let records = counts.get(c).copied().unwrap_or(0);
            (records > 0).then(|| SensitiveRow {
                category: c.clone(),
                records,
            })
        })
        .collect()
}

fn labelled_row(name: &str, v: &GroupStats, annotation: Option<&Annotation>) -> LabelledRow {
    let kinds = &v.content.record_kinds;
    let k = |key: RecordKind| kinds.get(&key).copied().unwrap_or(0);
    LabelledRow {
        source: name.to_string(),
        records: v.content.records,
        preference: k(RecordKind::Preference),
        instruction: k(RecordKind::Instruction),
        chat: k(RecordKind::Chat),
        labeled: k(RecordKind::Labeled),
        labelled_records: saturating_sum(
            [
                RecordKind::Preference,
                RecordKind::Instruction,
                RecordKind::Chat,
                RecordKind::Labeled,
            ]
            .into_iter()
            .filter(|kind| kind.is_labelled() || annotation.is_some())
            .map(k),
        ),
        annotation_rules: annotation.and_then(|a| a.rules.as_deref()).and_then(given),
        annotators: annotation.and_then(|a| a.annotators),
        annotators_trained: annotation.and_then(|a| a.trained),
        spot_check_rate: annotation.and_then(|a| a.spot_check_rate),
        annotation_rules_version: annotation
            .and_then(|a| a.rules_version.as_deref())
            .and_then(given),
        annotation_rules_sha256: annotation
            .and_then(|a| a.rules_sha256.as_deref())
            .and_then(given),
        spot_checked: annotation.and_then(|a| a.spot_checked),
        spot_check_accuracy: annotation.and_then(|a| a.spot_check_accuracy),
    }
}

fn labelled_data(totals: &GroupStats, sources: &Sources<'_>) -> LabelledData {
    let rows: Vec<LabelledRow> = sources
        .iter()
        .map(|(id, v)| {
            let annotation = v
                .declared
                .manifest
                .as_ref()
                .and_then(|m| m.annotation.as_ref());
            labelled_row(id, &v.stats, annotation)
        })
        .collect();
    let mut total = labelled_row("total", totals, None);
    // What counts as labelled depends on each source's declaration: the total is
    // the sum of the sources, not a recount of the totals' kinds.
    total.labelled_records = saturating_sum(rows.iter().map(|r| r.labelled_records));
    LabelledData {
        total,
        per_source: rows
            .into_iter()
            .filter(|r| {
                r.labelled_records > 0
                    || r.annotation_rules.is_some()
                    || r.annotators.is_some()
                    || r.annotators_trained.is_some()
                    || r.spot_check_rate.is_some()
                    || r.spot_checked.is_some()
                    || r.spot_check_accuracy.is_some()
            })
            .collect(),
    }
}

fn source_check(id: &str, v: &GroupStats, checks: &Checks) -> SourceCheck {
    let records = v.content.records;
    let pii = CheckFigure::new(
        v.pii.records_with_pii,
        records,
        checks.max_pii_record_share,
        "records",
    );
    let unknown_category = v.license_categories.get(&Category::Unknown);
    let unknown = if records > 0 {
        CheckFigure::new(
            unknown_category.map_or(0, |c| c.records),
            records,
            checks.max_unknown_license_share,
            "records",
        )
    } else {
        CheckFigure::new(
            unknown_category.map_or(0, |c| c.bytes),
            v.bytes,
            checks.max_unknown_license_share,
            "bytes",
        )
    };
    let errors = v.error_count;
    let error = CheckFigure::new(
        errors,
        records.saturating_add(errors),
        checks.max_error_share,
        "records",
    );
    let flags = [
        ("pii_record_share", pii.flagged),
        ("unknown_license_share", unknown.flagged),
        ("error_share", error.flagged),
    ]
    .iter()
    .filter(|(_, f)| *f)
    .map(|(n, _)| n.to_string())
    .collect();
    SourceCheck {
        source: id.to_string(),
        pii_record_share: pii,
        unknown_license_share: unknown,
        error_share: error,
        flags,
    }
}

/// A policy violation as the report lists it: its scalar fields as text.
fn violation_fields(v: &Violation) -> BTreeMap<String, String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::Object(fields)) => fields
            .iter()
            .filter_map(|(k, v)| scalar_text(v).map(|t| (k.clone(), t)))
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn checks_section(s: &Summary, checks: &Checks, sources: &Sources<'_>) -> ChecksSection {
    let per_source: Vec<SourceCheck> = sources
        .iter()
        .map(|(id, v)| source_check(id, &v.stats, checks))
        .collect();
    let flagged_sources = per_source
        .iter()
        .filter(|c| !c.flags.is_empty())
        .map(|c| c.source.clone())
        .collect();
    ChecksSection {
        thresholds: checks.clone(),
        per_source,
        flagged_sources,
        policy_violations: s
            .policy
            .as_ref()
            .map(|p| p.violations.iter().map(violation_fields).collect())
            .unwrap_or_default(),
        policy_present: s.policy.is_some(),
        left_out: s.discovery.clone(),
        safety: safety_screening(s, sources),
        manual_review: None,
    }
}

fn safety_screening(s: &Summary, sources: &Sources<'_>) -> Option<SafetyScreening> {
    let screening = s.safety.as_ref()?;
    let threshold = screening.max_source_share;
    let per_source: Vec<SafetySourceCheck> = sources
        .iter()
        .filter_map(|(id, v)| {
            let safety = v.stats.safety.as_ref()?;
            Some(SafetySourceCheck {
                source: (*id).clone(),
                share: CheckFigure::new(
                    safety.counts.records_with_hits,
                    v.stats.content.records,
                    threshold,
                    "records",
                ),
                records_by_category: safety.counts.records_by_category.clone(),
            })
        })
        .collect();
    Some(SafetyScreening {
        lexicons: screening.lexicons.clone(),
        threshold,
        citation: SAFETY_CITATION.to_string(),
        flagged_sources: per_source
            .iter()
            .filter(|c| c.share.flagged)
            .map(|c| c.source.clone())
            .collect(),
        per_source,
    })
}

fn method(audit: &Audit, s: &Summary) -> Method {
    let options = match &s.options {
        serde_json::Value::Object(fields) => fields
            .iter()
            .filter_map(|(k, v)| scalar_text(v).map(|t| (k.clone(), t)))
            .collect(),
        _ => BTreeMap::new(),
    };
    let methods = s
        .methods
        .entries()
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(k, text)| (k.to_string(), text.to_string()))
        .collect();
    let totals = &s.totals;
    Method {
        roots: s.roots.clone(),
        files: totals.files,
        bytes: totals.bytes,
        records: totals.content.records,
        status: totals.status.clone(),
        stage_basis: audit.stage_basis.clone(),
        options,
        methods,
        estimates: vec![
            "estimated_tokens".into(),
            "languages".into(),
            "stage_inferred".into(),
            "labelled_records".into(),
        ],
    }
}

/// A scalar as text (arrays joined): how recorded options and policy figures are shown.
fn scalar_text(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

fn saturating_sum(values: impl Iterator<Item = u64>) -> u64 {
    values.fold(0, u64::saturating_add)
}

/// `part / whole`, 0 when `whole` is 0.
pub fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
