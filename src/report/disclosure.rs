//! Every figure of the report, computed once from an [`Audit`]. Renderers only format
//! this struct. Declared facts are `Option`s (`None` renders as "not declared" /
//! "未声明"); measured figures are numbers that default to 0 when the summary lacks
//! them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::audit::{Audit, LedgerRow, MaskedExample};

/// Version of the `disclosure.json` layout; bumped when a key changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// Stages in report order; any other stage in the summary follows them.
pub const STAGES: [&str; 5] = ["pretrain", "finetune", "preference", "eval", "unknown"];

/// PII types in report order (DESIGN.md's canonical identifiers); others follow.
pub const PII_TYPES: [&str; 11] = [
    "email",
    "phone",
    "cn_resident_id",
    "cn_uscc",
    "cn_passport",
    "bank_card",
    "us_ssn",
    "iban",
    "ip_address",
    "cn_license_plate",
    "secret",
];

/// License categories in report order (most to least permissive, unknown last).
pub const LICENSE_CATEGORIES: [&str; 9] = [
    "public_domain",
    "permissive",
    "weak_copyleft",
    "strong_copyleft",
    "non_commercial",
    "no_derivatives",
    "proprietary",
    "model_terms",
    "unknown",
];

/// Thresholds of the per-source checks (section 9). Each figure is a share in 0..=1;
/// a source is flagged when its measured share is strictly above the threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Checks {
    /// Records with personal information / records.
    pub max_pii_record_share: f64,
    /// Records in license category `unknown` / records (bytes when a source has no
    /// records, e.g. media only).
    pub max_unknown_license_share: f64,
    /// Read errors / (records + read errors).
    pub max_error_share: f64,
}

impl Default for Checks {
    /// 5 % each, the per-source sampling threshold of TC260-003.
    fn default() -> Self {
        Checks {
            max_pii_record_share: 0.05,
            max_unknown_license_share: 0.05,
            max_error_share: 0.05,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disclosure {
    pub schema_version: u32,
    pub identification: Identification,
    pub overview: Overview,
    pub sources: Vec<SourceInfo>,
    pub diversity: Diversity,
    pub quality: QualitySection,
    pub intellectual_property: IntellectualProperty,
    pub personal_information: PersonalInformation,
    pub labelled_data: LabelledData,
    pub checks: ChecksSection,
    pub method: Method,
}

// ---------------------------------------------------------------- 1 identification

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identification {
    pub audit_id: Option<String>,
    pub scan_started: Option<String>,
    pub scan_finished: Option<String>,
    /// `YYYY-MM-DD` of `scan_started`.
    pub scan_date: Option<String>,
    pub duration_seconds: f64,
    pub tool_name: Option<String>,
    pub tool_version: Option<String>,
    pub rules_hash: Option<String>,
    pub config_hash: Option<String>,
    pub roots: Vec<String>,
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

// ---------------------------------------------------------------- 2 overview

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    pub stages: Vec<StageRow>,
    pub total: StageRow,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageRow {
    pub stage: String,
    pub files: u64,
    pub records: u64,
    pub bytes: u64,
    pub characters: u64,
    /// An estimate (see `method.methods.estimated_tokens`).
    pub estimated_tokens: u64,
    /// Share of all records, 0..=1.
    pub record_share: f64,
    /// Share of all bytes, 0..=1.
    pub byte_share: f64,
}

// ---------------------------------------------------------------- 3 sources

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceInfo {
    pub id: String,
    /// Declared name (manifest `name`, dataset card `pretty_name`).
    pub name: Option<String>,
    /// `manifest` | `dataset_card` | `directory`.
    pub basis: String,
    /// Path of the manifest or card the facts come from.
    pub declared_in: Option<String>,
    pub declared_stage: Option<String>,
    pub category: Option<String>,
    /// Declared originator (organisation or person the data comes from): manifest
    /// `originator` or `publisher`, when the manifest has such a key.
    pub originator: Option<String>,
    /// `domestic` | `foreign` as declared.
    pub origin: Option<String>,
    pub url: Option<String>,
    /// Collection period as declared, e.g. `2025-01/2025-03`.
    pub collected: Option<String>,
    /// Declared license expression (SPDX) and where it was declared.
    pub license: Option<String>,
    pub license_from: Option<String>,
    pub evidence: Vec<String>,
    pub consent_basis: Option<String>,
    /// Dataset card `language` list.
    pub card_languages: Vec<String>,
    /// Dataset card `task_categories` list.
    pub card_task_categories: Vec<String>,
    /// Measured: files per stage (from the ledger).
    pub stages: BTreeMap<String, u64>,
    pub files: u64,
    pub records: u64,
    pub bytes: u64,
    pub characters: u64,
    pub estimated_tokens: u64,
    pub status: BTreeMap<String, u64>,
}

impl SourceInfo {
    /// The declared name, else the id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

// ---------------------------------------------------------------- 4 diversity

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diversity {
    pub modalities: Vec<FilesBytes>,
    pub formats: Vec<FilesBytes>,
    pub record_kinds: Vec<KeyCount>,
    pub languages: LanguageShares,
    /// Records per length bucket (visible characters), in bucket order.
    pub length_histogram: Vec<KeyCount>,
    pub per_source: Vec<SourceDiversity>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilesBytes {
    pub key: String,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyCount {
    pub key: String,
    pub count: u64,
    /// Share of the group total, 0..=1.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageShares {
    /// Characters of records detected as Chinese / English / anything else
    /// (including `und`, undetermined).
    pub zh_characters: u64,
    pub en_characters: u64,
    pub other_characters: u64,
    pub zh_share: f64,
    pub en_share: f64,
    pub other_share: f64,
    pub detail: Vec<LanguageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageRow {
    pub language: String,
    pub records: u64,
    pub characters: u64,
    pub character_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceDiversity {
    pub source: String,
    pub modalities: Vec<String>,
    pub formats: Vec<String>,
    pub record_kinds: BTreeMap<String, u64>,
    pub zh_share: f64,
    pub en_share: f64,
    pub other_share: f64,
}

// ---------------------------------------------------------------- 5 quality

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualitySection {
    pub total: QualityRow,
    pub per_source: Vec<QualityRow>,
    /// Files with read errors, with the first error of each.
    pub files_with_errors: Vec<FileError>,
    /// Files listed but not read (unknown binary formats), with the reason.
    pub skipped_files: Vec<SkippedFile>,
    /// Problem files beyond the listing limit, counted only.
    pub files_not_listed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityRow {
    /// Source id, or `total`.
    pub source: String,
    pub records: u64,
    pub duplicates_within_file: u64,
    pub duplicates_within_scan: u64,
    pub normalized_duplicates_within_file: u64,
    pub normalized_duplicates_within_scan: u64,
    /// Exact duplicates within the scan / records.
    pub duplicate_share: f64,
    pub empty: u64,
    pub very_short: u64,
    pub replacement_chars: u64,
    pub control_chars: u64,
    pub invalid_utf8: u64,
    pub error_count: u64,
    pub files_with_errors: u64,
    pub skipped_files: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileError {
    pub path: String,
    pub source: String,
    pub status: String,
    pub error_count: u64,
    pub kind: Option<String>,
    pub message: Option<String>,
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub source: String,
    pub bytes: u64,
    pub reason: Option<String>,
}

// ---------------------------------------------------------------- 6 IP

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntellectualProperty {
    pub categories: Vec<LicenseCategoryRow>,
    pub copyright_notices: u64,
    pub all_rights_reserved: u64,
    pub tdm_opt_outs: u64,
    pub per_source: Vec<SourceLicense>,
    /// Sources whose category is `unknown` or that have conflicts.
    pub flagged_sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenseCategoryRow {
    pub category: String,
    pub files: u64,
    pub records: u64,
    pub bytes: u64,
    pub record_share: f64,
    pub byte_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceLicense {
    pub source: String,
    /// Declared expression, as normalised by the scanner.
    pub declared: Option<String>,
    pub declared_from: Option<String>,
    /// Detected licenses with their evidence kinds and counts.
    pub detected: Vec<DetectedLicense>,
    /// The strictest category found (declared or detected).
    pub category: String,
    pub copyright_notices: u64,
    pub all_rights_reserved: u64,
    pub tdm_opt_outs: u64,
    pub conflicts: Vec<Conflict>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectedLicense {
    pub license: String,
    pub evidence: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub kind: String,
    pub declared: Option<String>,
    pub detected: Option<String>,
    pub detail: Option<String>,
}

// ---------------------------------------------------------------- 7 PI

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonalInformation {
    pub records: u64,
    pub records_with_pii: u64,
    pub record_share: f64,
    pub by_type: Vec<PiiTypeRow>,
    pub per_source: Vec<SourcePii>,
    /// Masked values from `findings.jsonl` (a few per type).
    pub masked_examples: Vec<MaskedExample>,
    pub findings_present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PiiTypeRow {
    pub pii_type: String,
    /// Occurrences found.
    pub occurrences: u64,
    /// Records with at least one occurrence of this type.
    pub records: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcePii {
    pub source: String,
    pub records: u64,
    pub records_with_pii: u64,
    pub record_share: f64,
    /// Records with at least one occurrence, per type.
    pub records_by_type: BTreeMap<String, u64>,
    pub occurrences_by_type: BTreeMap<String, u64>,
    /// Declared consent basis (manifest), if any.
    pub consent_basis: Option<String>,
}

// ---------------------------------------------------------------- 8 labelled data

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledData {
    pub total: LabelledRow,
    /// Sources with labelled records or a declared `[annotation]`.
    pub per_source: Vec<LabelledRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledRow {
    /// Source id, or `total`.
    pub source: String,
    pub records: u64,
    pub preference: u64,
    pub instruction: u64,
    pub chat: u64,
    pub labeled: u64,
    /// preference + instruction + chat + labeled.
    pub labelled_records: u64,
    pub annotation_rules: Option<String>,
    pub annotators: Option<u64>,
    pub annotators_trained: Option<bool>,
    pub spot_check_rate: Option<f64>,
}

// ---------------------------------------------------------------- 9 checks

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecksSection {
    pub thresholds: Checks,
    pub per_source: Vec<SourceCheck>,
    /// Sources with at least one flag.
    pub flagged_sources: Vec<String>,
    /// `summary.policy.violations`, each violation's scalar fields as text.
    pub policy_violations: Vec<BTreeMap<String, String>>,
    /// `summary.policy` was present.
    pub policy_present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCheck {
    pub source: String,
    pub pii_record_share: CheckFigure,
    pub unknown_license_share: CheckFigure,
    pub error_share: CheckFigure,
    /// Names of the figures above their threshold.
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckFigure {
    pub numerator: u64,
    pub denominator: u64,
    /// numerator / denominator (0 when the denominator is 0).
    pub value: f64,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    pub roots: Vec<String>,
    pub files: u64,
    pub bytes: u64,
    pub records: u64,
    pub status: BTreeMap<String, u64>,
    /// Files whose stage was declared vs inferred (`stage_basis`, from the ledger).
    pub stage_basis: BTreeMap<String, u64>,
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
    let totals = s.get("totals").unwrap_or(&Value::Null);
    let sources: Vec<(&String, &Value)> = s
        .get("per_source")
        .and_then(Value::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default();

    Disclosure {
        schema_version: SCHEMA_VERSION,
        identification: identification(audit),
        overview: overview(s, totals),
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
        method: method(audit, s, totals),
    }
}

fn identification(audit: &Audit) -> Identification {
    let s = &audit.summary;
    let merkle_root = text(s, &["ledger", "merkle_root"]);
    let started = text(s, &["started"]);
    Identification {
        audit_id: text(s, &["audit_id"]),
        scan_date: started
            .as_deref()
            .and_then(|t| t.get(..10))
            .filter(|d| is_iso_date(d))
            .map(str::to_string),
        scan_started: started,
        scan_finished: text(s, &["finished"]),
        duration_seconds: float(s, &["duration_seconds"]),
        tool_name: text(s, &["tool", "name"]),
        tool_version: text(s, &["tool", "version"]),
        rules_hash: text(s, &["rules_hash"]),
        config_hash: text(s, &["config_hash"]),
        roots: strings(s, &["roots"]),
        shard: text(s, &["shard", "spec"]),
        merged_shards: at(s, &["merged", "shards"])
            .and_then(Value::as_array)
            .map_or(0, |a| a.len() as u64),
        ledger_rows: num(s, &["ledger", "rows"]),
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

fn overview(s: &Value, totals: &Value) -> Overview {
    let per_stage = s.get("per_stage").and_then(Value::as_object);
    let total_records = num(totals, &["records"]);
    let total_bytes = num(totals, &["bytes"]);
    let mut names: Vec<String> = STAGES.iter().map(|s| s.to_string()).collect();
    if let Some(m) = per_stage {
        names.extend(m.keys().filter(|k| !STAGES.contains(&k.as_str())).cloned());
    }
    let row = |stage: &str, v: &Value| {
        let records = num(v, &["records"]);
        let bytes = num(v, &["bytes"]);
        StageRow {
            stage: stage.to_string(),
            files: num(v, &["files"]),
            records,
            bytes,
            characters: num(v, &["characters"]),
            estimated_tokens: num(v, &["estimated_tokens"]),
            record_share: share(records, total_records),
            byte_share: share(bytes, total_bytes),
        }
    };
    let stages = names
        .iter()
        .map(|name| {
            row(
                name,
                per_stage.and_then(|m| m.get(name)).unwrap_or(&Value::Null),
            )
        })
        .collect();
    Overview {
        stages,
        total: row("total", totals),
    }
}

fn source_info(audit: &Audit, id: &str, v: &Value) -> SourceInfo {
    let declared = v.get("declared").unwrap_or(&Value::Null);
    let manifest = declared.get("manifest").unwrap_or(&Value::Null);
    let src = manifest.get("source").unwrap_or(&Value::Null);
    let card = declared.get("card").unwrap_or(&Value::Null);
    let basis = text(declared, &["basis"]).unwrap_or_else(|| "directory".into());
    let card_license = strings(card, &["license"]);
    let (license, license_from) = match text(v, &["license", "declared", "expression"]) {
        Some(expr) => (Some(expr), text(v, &["license", "declared", "from"])),
        None => match text(src, &["license"]) {
            Some(l) => (Some(l), Some("manifest".into())),
            None if !card_license.is_empty() => (
                Some(card_license.join(" AND ")),
                Some("dataset_card".into()),
            ),
            None => (None, None),
        },
    };
    SourceInfo {
        id: id.to_string(),
        name: text(src, &["name"]).or_else(|| text(card, &["pretty_name"])),
        basis,
        declared_in: text(declared, &["manifest_path"]).or_else(|| text(declared, &["card_path"])),
        declared_stage: text(src, &["stage"]),
        category: text(src, &["category"]),
        originator: text(src, &["originator"]).or_else(|| text(src, &["publisher"])),
        origin: text(src, &["origin"]),
        url: text(src, &["url"]),
        collected: text(src, &["collected"]),
        license,
        license_from,
        evidence: strings(src, &["evidence"]),
        consent_basis: text(src, &["consent_basis"]),
        card_languages: strings(card, &["language"]),
        card_task_categories: strings(card, &["task_categories"]),
        stages: audit.source_stages.get(id).cloned().unwrap_or_default(),
        files: num(v, &["files"]),
        records: num(v, &["records"]),
        bytes: num(v, &["bytes"]),
        characters: num(v, &["characters"]),
        estimated_tokens: num(v, &["estimated_tokens"]),
        status: count_map(v, &["status"]),
    }
}

fn files_bytes(v: &Value, key: &str) -> Vec<FilesBytes> {
    let mut rows: Vec<FilesBytes> = object(v, &[key])
        .map(|(k, e)| FilesBytes {
            key: k.clone(),
            files: num(e, &["files"]),
            bytes: num(e, &["bytes"]),
        })
        .collect();
    rows.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.key.cmp(&b.key)));
    rows
}

fn key_counts(map: &BTreeMap<String, u64>) -> Vec<KeyCount> {
    let total = saturating_sum(map.values().copied());
    let mut rows: Vec<KeyCount> = map
        .iter()
        .map(|(k, &c)| KeyCount {
            key: k.clone(),
            count: c,
            share: share(c, total),
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    rows
}

fn language_shares(v: &Value) -> LanguageShares {
    let mut detail: Vec<LanguageRow> = object(v, &["languages"])
        .map(|(k, e)| LanguageRow {
            language: k.clone(),
            records: num(e, &["records"]),
            characters: num(e, &["characters"]),
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

fn diversity(totals: &Value, sources: &[(&String, &Value)]) -> Diversity {
    let mut length_histogram = key_counts(&count_map(totals, &["length_histogram"]));
    length_histogram.sort_by_key(|r| bucket_lower(&r.key));
    Diversity {
        modalities: files_bytes(totals, "modalities"),
        formats: files_bytes(totals, "formats"),
        record_kinds: key_counts(&count_map(totals, &["record_kinds"])),
        languages: language_shares(totals),
        length_histogram,
        per_source: sources
            .iter()
            .map(|(id, v)| {
                let langs = language_shares(v);
                SourceDiversity {
                    source: id.to_string(),
                    modalities: object(v, &["modalities"]).map(|(k, _)| k.clone()).collect(),
                    formats: object(v, &["formats"]).map(|(k, _)| k.clone()).collect(),
                    record_kinds: count_map(v, &["record_kinds"]),
                    zh_share: langs.zh_share,
                    en_share: langs.en_share,
                    other_share: langs.other_share,
                }
            })
            .collect(),
    }
}

fn quality_row(name: &str, v: &Value, skipped: u64) -> QualityRow {
    let records = num(v, &["records"]);
    let within_scan = num(v, &["duplicates", "within_scan"]);
    QualityRow {
        source: name.to_string(),
        records,
        duplicates_within_file: num(v, &["duplicates", "within_file"]),
        duplicates_within_scan: within_scan,
        normalized_duplicates_within_file: num(v, &["duplicates", "normalized_within_file"]),
        normalized_duplicates_within_scan: num(v, &["duplicates", "normalized_within_scan"]),
        duplicate_share: share(within_scan, records),
        empty: num(v, &["quality", "empty"]),
        very_short: num(v, &["quality", "very_short"]),
        replacement_chars: num(v, &["quality", "replacement_chars"]),
        control_chars: num(v, &["quality", "control_chars"]),
        invalid_utf8: num(v, &["quality", "invalid_utf8"]),
        error_count: num(v, &["error_count"]),
        files_with_errors: num(v, &["files_with_errors"]),
        skipped_files: skipped,
    }
}

fn quality(audit: &Audit, totals: &Value, sources: &[(&String, &Value)]) -> QualitySection {
    let rows: &[LedgerRow] = &audit.problem_rows;
    QualitySection {
        total: quality_row("total", totals, num(totals, &["status", "skipped"])),
        per_source: sources
            .iter()
            .map(|(id, v)| quality_row(id, v, num(v, &["status", "skipped"])))
            .collect(),
        files_with_errors: rows
            .iter()
            .filter(|r| r.error_count > 0 || r.status == "error")
            .map(|r| FileError {
                path: r.path.clone(),
                source: r.source.clone(),
                status: r.status.clone(),
                error_count: r.error_count,
                kind: r.error_kind.clone(),
                message: r.error_message.clone(),
                location: r.error_location.clone(),
            })
            .collect(),
        skipped_files: rows
            .iter()
            .filter(|r| r.status == "skipped")
            .map(|r| SkippedFile {
                path: r.path.clone(),
                source: r.source.clone(),
                bytes: r.bytes,
                reason: r.skip_reason.clone(),
            })
            .collect(),
        files_not_listed: audit.problem_rows_omitted,
    }
}

fn category_rank(c: &str) -> usize {
    LICENSE_CATEGORIES
        .iter()
        .position(|k| *k == c)
        .unwrap_or(LICENSE_CATEGORIES.len())
}

fn intellectual_property(totals: &Value, sources: &[(&String, &Value)]) -> IntellectualProperty {
    let total_records = num(totals, &["records"]);
    let total_bytes = num(totals, &["bytes"]);
    let mut categories: Vec<LicenseCategoryRow> = object(totals, &["license_categories"])
        .map(|(k, e)| {
            let records = num(e, &["records"]);
            let bytes = num(e, &["bytes"]);
            LicenseCategoryRow {
                category: k.clone(),
                files: num(e, &["files"]),
                records,
                bytes,
                record_share: share(records, total_records),
                byte_share: share(bytes, total_bytes),
            }
        })
        .collect();
    categories.sort_by(|a, b| {
        category_rank(&a.category)
            .cmp(&category_rank(&b.category))
            .then_with(|| a.category.cmp(&b.category))
    });

    let per_source: Vec<SourceLicense> = sources
        .iter()
        .map(|(id, v)| {
            let lic = v.get("license").unwrap_or(&Value::Null);
            SourceLicense {
                source: id.to_string(),
                declared: text(lic, &["declared", "expression"]),
                declared_from: text(lic, &["declared", "from"]),
                detected: object(lic, &["detected"])
                    .map(|(k, e)| DetectedLicense {
                        license: k.clone(),
                        evidence: count_map(e, &[]),
                    })
                    .collect(),
                category: text(lic, &["category"]).unwrap_or_else(|| "unknown".into()),
                copyright_notices: num(lic, &["copyright_notices"]),
                all_rights_reserved: num(lic, &["all_rights_reserved"]),
                tdm_opt_outs: num(lic, &["tdm_opt_outs"]),
                conflicts: array(lic, &["conflicts"])
                    .map(|c| Conflict {
                        kind: text(c, &["kind"]).unwrap_or_else(|| "unspecified".into()),
                        declared: text(c, &["declared"]),
                        detected: text(c, &["detected"]),
                        detail: text(c, &["detail"]),
                    })
                    .collect(),
            }
        })
        .collect();
    let flagged_sources = per_source
        .iter()
        .filter(|s| s.category == "unknown" || !s.conflicts.is_empty())
        .map(|s| s.source.clone())
        .collect();
    IntellectualProperty {
        categories,
        copyright_notices: num(totals, &["license", "copyright_notices"]),
        all_rights_reserved: num(totals, &["license", "all_rights_reserved"]),
        tdm_opt_outs: num(totals, &["license", "tdm_opt_outs"]),
        per_source,
        flagged_sources,
    }
}

fn sorted_pii_types<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<String> {
    let set: BTreeSet<&String> = keys.collect();
    let mut out: Vec<String> = PII_TYPES
        .iter()
        .filter(|t| set.iter().any(|k| k.as_str() == **t))
        .map(|t| t.to_string())
        .collect();
    out.extend(
        set.into_iter()
            .filter(|k| !PII_TYPES.contains(&k.as_str()))
            .cloned(),
    );
    out
}

fn personal_information(
    audit: &Audit,
    totals: &Value,
    sources: &[(&String, &Value)],
) -> PersonalInformation {
    let counts = count_map(totals, &["pii", "counts"]);
    let by_record = count_map(totals, &["pii", "records_by_type"]);
    let records = num(totals, &["records"]);
    let records_with_pii = num(totals, &["pii", "records_with_pii"]);
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
                let records = num(v, &["records"]);
                let with = num(v, &["pii", "records_with_pii"]);
                SourcePii {
                    source: id.to_string(),
                    records,
                    records_with_pii: with,
                    record_share: share(with, records),
                    records_by_type: count_map(v, &["pii", "records_by_type"]),
                    occurrences_by_type: count_map(v, &["pii", "counts"]),
                    consent_basis: text(v, &["declared", "manifest", "source", "consent_basis"]),
                }
            })
            .collect(),
        masked_examples: audit.examples.clone(),
        findings_present: audit.findings_present,
    }
}

fn labelled_row(name: &str, v: &Value) -> LabelledRow {
    let kinds = count_map(v, &["record_kinds"]);
    let k = |key: &str| kinds.get(key).copied().unwrap_or(0);
    let ann = v
        .get("declared")
        .and_then(|d| d.get("manifest"))
        .and_then(|m| m.get("annotation"))
        .unwrap_or(&Value::Null);
    LabelledRow {
        source: name.to_string(),
        records: num(v, &["records"]),
        preference: k("preference"),
        instruction: k("instruction"),
        chat: k("chat"),
        labeled: k("labeled"),
        labelled_records: saturating_sum(
            ["preference", "instruction", "chat", "labeled"]
                .into_iter()
                .map(k),
        ),
        annotation_rules: text(ann, &["rules"]),
        annotators: ann.get("annotators").and_then(Value::as_u64),
        annotators_trained: ann.get("trained").and_then(Value::as_bool),
        spot_check_rate: ann.get("spot_check_rate").and_then(Value::as_f64),
    }
}

fn labelled_data(totals: &Value, sources: &[(&String, &Value)]) -> LabelledData {
    LabelledData {
        total: labelled_row("total", totals),
        per_source: sources
            .iter()
            .map(|(id, v)| labelled_row(id, v))
            .filter(|r| {
                r.labelled_records > 0
                    || r.annotation_rules.is_some()
                    || r.annotators.is_some()
                    || r.annotators_trained.is_some()
                    || r.spot_check_rate.is_some()
            })
            .collect(),
    }
}

fn checks_section(s: &Value, checks: &Checks, sources: &[(&String, &Value)]) -> ChecksSection {
    let per_source: Vec<SourceCheck> = sources
        .iter()
        .map(|(id, v)| {
            let records = num(v, &["records"]);
            let pii = CheckFigure::new(
                num(v, &["pii", "records_with_pii"]),
                records,
                checks.max_pii_record_share,
                "records",
            );
            let unknown = if records > 0 {
                CheckFigure::new(
                    num(v, &["license_categories", "unknown", "records"]),
                    records,
                    checks.max_unknown_license_share,
                    "records",
                )
            } else {
                CheckFigure::new(
                    num(v, &["license_categories", "unknown", "bytes"]),
                    num(v, &["bytes"]),
                    checks.max_unknown_license_share,
                    "bytes",
                )
            };
            let errors = num(v, &["error_count"]);
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
        })
        .collect();
    let flagged_sources = per_source
        .iter()
        .filter(|c| !c.flags.is_empty())
        .map(|c| c.source.clone())
        .collect();
    let policy = s.get("policy").filter(|p| p.is_object());
    ChecksSection {
        thresholds: checks.clone(),
        per_source,
        flagged_sources,
        policy_violations: policy
            .map(|p| {
                array(p, &["violations"])
                    .filter_map(Value::as_object)
                    .map(|o| {
                        o.iter()
                            .filter_map(|(k, v)| scalar_text(v).map(|t| (k.clone(), t)))
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default(),
        policy_present: policy.is_some(),
    }
}

fn method(audit: &Audit, s: &Value, totals: &Value) -> Method {
    let options = object(s, &["options"])
        .filter_map(|(k, v)| scalar_text(v).map(|t| (k.clone(), t)))
        .collect();
    let methods = object(s, &["methods"])
        .filter_map(|(k, v)| v.as_str().map(|t| (k.clone(), t.to_string())))
        .collect();
    Method {
        roots: strings(s, &["roots"]),
        files: num(totals, &["files"]),
        bytes: num(totals, &["bytes"]),
        records: num(totals, &["records"]),
        status: count_map(totals, &["status"]),
        stage_basis: audit.stage_basis.clone(),
        options,
        methods,
        estimates: vec![
            "estimated_tokens".into(),
            "languages".into(),
            "stage_inferred".into(),
        ],
    }
}

// ================================================================ value helpers

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

/// A non-empty string (numbers and booleans as text; declared facts may be either).
pub(super) fn text(v: &Value, path: &[&str]) -> Option<String> {
    at(v, path)
        .and_then(scalar_text)
        .filter(|s| !s.trim().is_empty())
}

fn scalar_text(v: &Value) -> Option<String> {
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

/// A count: a non-negative integer (floats truncated); anything else is 0.
fn num(v: &Value, path: &[&str]) -> u64 {
    match at(v, path) {
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .map(|f| f as u64)
            })
            .unwrap_or(0),
        _ => 0,
    }
}

fn float(v: &Value, path: &[&str]) -> f64 {
    at(v, path).and_then(Value::as_f64).unwrap_or(0.0)
}

/// A string or a list of strings, as a list.
fn strings(v: &Value, path: &[&str]) -> Vec<String> {
    match at(v, path) {
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        _ => Vec::new(),
    }
}

fn object<'a>(v: &'a Value, path: &[&str]) -> impl Iterator<Item = (&'a String, &'a Value)> {
    at(v, path).and_then(Value::as_object).into_iter().flatten()
}

fn array<'a>(v: &'a Value, path: &[&str]) -> impl Iterator<Item = &'a Value> {
    at(v, path).and_then(Value::as_array).into_iter().flatten()
}

fn count_map(v: &Value, path: &[&str]) -> BTreeMap<String, u64> {
    object(v, path)
        .map(|(k, e)| (k.clone(), num(e, &[])))
        .collect()
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
