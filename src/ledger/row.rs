//! One ledger row: everything provaudit knows about one discovered file.
//!
//! The ledger is the single source of truth: the summary, reports, diffs and merges are
//! computed from rows alone, so a row carries every per-file figure, not just a digest.
//! Field order here is column order in both `ledger.jsonl` and `ledger.parquet`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aggregate::near_dup::NearDuplicates;
use crate::aggregate::{Duplicates, LanguageCount, PiiStats};
use crate::analyze::license::Category;
use crate::analyze::quality::Quality;
use crate::discover::manifest::Stage;
use crate::discover::role::FileRole;
use crate::formats::{Format, Modality, ReadError};
use crate::ledger::license_block::LicenseBlock;
use crate::record::kind::RecordKind;
use crate::wire::wire_enum;

wire_enum! {
    /// File status: `ok`, `partial` (read with errors), `error` (nothing usable read) or
    /// `skipped` (listed and hashed, not opened as records).
    pub enum Status("file status") {
        /// Read cleanly.
        Ok = "ok",
        /// Read, with errors: some records were lost.
        Partial = "partial",
        /// Nothing usable was read.
        Error = "error",
        /// Listed and hashed, not opened as records (links, special files, media).
        Skipped = "skipped",
    }
}

/// A row that does not say otherwise was read cleanly.
impl Default for Status {
    fn default() -> Self {
        Status::Ok
    }
}

wire_enum! {
    /// How a row's stage was decided.
    pub enum StageBasis("stage basis") {
        /// From the source's `provenance.toml`.
        Declared = "declared",
        /// From the file's split or benchmark name (test/validation, GSM8K → eval),
        /// else its dominant record kind: text → pretrain, instruction/chat/labeled →
        /// finetune, preference → preference. Labelled as an inference in every report.
        Inferred = "inferred",
        /// Neither: no manifest and no records to infer from.
        Unknown = "unknown",
    }
}

/// A row that does not say how its stage was decided did not decide one.
impl Default for StageBasis {
    fn default() -> Self {
        StageBasis::Unknown
    }
}

/// Read back leniently: a column an older audit lacks takes its default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LedgerRow {
    /// Path relative to `root`, `/`-separated.
    pub path: String,
    /// The root as given on the command line.
    pub root: String,
    /// The id of the file's source.
    pub source: String,
    /// `pretrain`, `finetune`, `preference` or `eval`; `None` when neither declared
    /// nor inferable.
    pub stage: Option<Stage>,
    /// Whether the stage was declared or inferred.
    pub stage_basis: StageBasis,
    /// The dataset split (`train`, `validation`, `test`, ...) from the dataset card's
    /// `configs`/`data_files` or the file's conventional name; `None` when neither says.
    pub split: Option<String>,
    /// The format the file was read as (`jsonl`, `parquet`, ...).
    pub format: Format,
    /// `none`, `gzip` or `zstd`.
    pub compression: String,
    /// `text`, `image`, `audio`, `video`, `metadata` or `unknown`.
    pub modality: Modality,
    /// `data`, `metadata`, `media` or `skipped`: only data rows add records,
    /// characters, duplicates and stage figures.
    pub role: FileRole,
    /// Size in bytes as stored.
    pub bytes: u64,
    /// Hex SHA-256 of the file's bytes as stored (compressed files: the compressed bytes).
    pub sha256: Option<String>,
    /// Modification time, RFC 3339 UTC, when known.
    pub modified: Option<String>,
    /// Whether the file was read whole, in part, not at all, or skipped.
    pub status: Status,
    /// Why a `skipped` file was not read.
    pub skip_reason: Option<String>,
    /// Read errors met.
    pub error_count: u64,
    /// The earliest error by location.
    pub first_error: Option<ReadError>,
    /// Records read.
    pub records: u64,
    /// Records per record kind.
    pub record_kinds: BTreeMap<RecordKind, u64>,
    /// Unicode scalar values over every text field.
    pub characters: u64,
    /// An estimate: one token per CJK character plus one per four other characters.
    pub estimated_tokens: u64,
    /// Records and characters per language code.
    pub languages: BTreeMap<String, LanguageCount>,
    /// Records per length bucket (`"0"`, `"1-16"`, ..., `">65536"`).
    pub length_histogram: BTreeMap<String, u64>,
    /// Duplicate records, within the file and the scan.
    pub duplicates: Duplicates,
    /// Records with quality problems, per problem.
    pub quality: Quality,
    /// Personal information: occurrences and records, per type.
    pub pii: PiiStats,
    /// License evidence, category, obligations and conflicts.
    pub license: LicenseBlock,
    /// Reasons for review (`read_errors`, `personal_information`, `secrets`,
    /// `encoding_problems`, `high_duplication`, ...).
    pub risk_flags: Vec<String>,
    /// Records whose metadata names the web address they were fetched from, their
    /// bytes, and the bytes per region the host is attributed to (an estimate read off
    /// the host's name). Absent when no record of the file names an address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_hosts: Option<crate::analyze::web_hosts::WebHostCounts>,
    /// Near-duplicate records within the file and the scan, and their clusters; only
    /// in audits made with `--near-duplicates` (absent otherwise, in both ledger files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicates: Option<NearDuplicates>,
    /// Corpus safety screening (`--safety-lexicon`): records flagged in total and per
    /// risk category, and counted term occurrences. Absent (no column in either ledger
    /// file) when the scan screened nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety: Option<crate::analyze::safety::SafetyCounts>,
    /// Benchmark contamination (`--eval-sets`): records sharing an n-gram with an
    /// evaluation item, in total and per benchmark with the items they share it with.
    /// Absent (no column in either ledger file) without evaluation sets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contamination: Option<crate::analyze::contamination::ContaminationCounts>,
}

impl LedgerRow {
    /// `root/path`: unique across a multi-root audit, and what users type.
    pub fn full_path(&self) -> String {
        join(&self.root, &self.path)
    }

    /// The stage rows are grouped by: rows with no stage belong to `unknown`.
    pub fn stage_or_unknown(&self) -> Stage {
        self.stage.clone().unwrap_or(Stage::Unknown)
    }

    /// The file's license category; a missing one (an older ledger) reads as `unknown`,
    /// so it can never pass a license gate.
    pub fn category(&self) -> Category {
        match &self.license.category {
            Category::Other(c) if c.is_empty() => Category::Unknown,
            c => c.clone(),
        }
    }
}

/// `root/path`, or `path` alone for an empty root.
pub fn join(root: &str, path: &str) -> String {
    if root.is_empty() {
        path.to_string()
    } else {
        format!("{}/{path}", root.trim_end_matches('/'))
    }
}
