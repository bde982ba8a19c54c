//! Building a ledger row from a file's merged figures.
//!
//! Rows are built here, beside their type, so the scan only hands figures on: the
//! status, the stage (declared or inferred), the declared license and the risk flags
//! are decided in one place, which a merge of shards also uses.

use crate::aggregate::{ContentStats, FileResult};
use crate::analyze::license::{ConflictKind, Declared, DeclaredFrom, LicenseDetector};
use crate::analyze::pii::PiiType;
use crate::discover::manifest::Stage;
use crate::discover::role::FileRole;
use crate::discover::split;
use crate::discover::{DiscoveredFile, Source};
use crate::formats::{Compression, Format, Modality, ReadError};
use crate::ledger::license_block::LicenseBlock;
use crate::ledger::row::{LedgerRow, StageBasis, Status};
use crate::record::kind::RecordKind;

/// How the scan planned to read a file: what a row needs from the plan.
#[derive(Debug, Clone)]
pub struct ReadAs<'a> {
    /// The format the file was read as.
    pub format: Format,
    /// Its compression wrapper.
    pub compression: Compression,
    /// Why the file is listed but not read.
    pub skip_reason: Option<&'a str>,
    /// An error that stopped the file before any record.
    pub fatal: Option<&'a ReadError>,
    /// What the file is to its dataset.
    pub role: FileRole,
}

/// A file's row from its merged figures. The license detector normalises the license
/// the file's source declares; `license_file` is the license of the nearest LICENSE /
/// COPYING file above the file, applied to data files only.
pub fn build_row(
    file: &DiscoveredFile,
    read: ReadAs<'_>,
    mut result: FileResult,
    detector: &LicenseDetector,
    license_file: Option<&Declared>,
) -> LedgerRow {
    if let Some(fatal) = read.fatal {
        result.errors.record(fatal.clone());
    }
    let status = status_of(read.skip_reason.is_some(), &result);
    let split = match read.role {
        FileRole::Data => split::split_of(&file.path, &file.source),
        _ => None,
    };
    let (stage, stage_basis) = match read.role {
        FileRole::Data if is_evaluation(&file.path, split.as_deref()) => {
            match stage_of(&file.source, &result.content) {
                (Some(stage), StageBasis::Declared) => (Some(stage), StageBasis::Declared),
                _ => (Some(Stage::Eval), StageBasis::Inferred),
            }
        }
        FileRole::Data => stage_of(&file.source, &result.content),
        _ => (None, StageBasis::Unknown),
    };
    let mut license = std::mem::take(&mut result.license);
    license.close_file(read.format.is_document());
    if let Some(declared) = declared_license(&file.source, detector) {
        license.declare(declared);
    }
    // A license file's terms reach the data beside it, not the files around it.
    license.apply_license_file(
        license_file
            .filter(|_| read.role == FileRole::Data)
            .cloned(),
    );
    let mut pii = std::mem::take(&mut result.pii);
    pii.finish(result.content.records);
    let c = result.content;
    let mut row = LedgerRow {
        path: file.path.clone(),
        root: file.root.clone(),
        source: file.source.id.clone(),
        stage,
        stage_basis,
        split,
        format: read.format.clone(),
        compression: read.compression.as_str().to_string(),
        modality: match read.role {
            FileRole::Metadata => Modality::Metadata,
            _ => read.format.modality(),
        },
        role: read.role.clone(),
        bytes: file.bytes,
        sha256: result.sha256.map(|d| crate::bytesource::hex(&d)),
        modified: file.modified.clone(),
        status,
        skip_reason: read.skip_reason.map(str::to_string),
        error_count: result.errors.count,
        first_error: result.errors.first,
        records: c.records,
        record_kinds: c.record_kinds,
        characters: c.characters,
        estimated_tokens: c.estimated_tokens,
        languages: c.languages,
        length_histogram: c.length_histogram,
        duplicates: result.duplicates,
        quality: c.quality,
        pii,
        license: LicenseBlock::of(license),
        risk_flags: Vec::new(),
        web_hosts: result.web_hosts,
        near_duplicates: result.near_duplicates,
        safety: result.safety,
        contamination: result.contamination,
    };
    row.risk_flags = risk_flags(&row, result.dedup_records);
    row
}

/// A skipped file stays `skipped` unless reading it failed; a file with errors is
/// `partial` when some records were read and `error` when none were.
fn status_of(skipped: bool, result: &FileResult) -> Status {
    if skipped && result.errors.count == 0 {
        Status::Skipped
    } else if result.errors.count == 0 {
        Status::Ok
    } else if result.content.records == 0 || unusable_whole(&result.errors) {
        Status::Error
    } else {
        Status::Partial
    }
}

/// A file that changed while it was read has no version its records describe, and a
/// decompression bomb cut off at `--max-expansion` was not read as what it is: either
/// row is an error whatever was read. Both errors are located at the whole file, which
/// sorts first, so it is the row's first error (a record over `--max-record-bytes` is
/// `too_large` too, but at a line or offset).
fn unusable_whole(errors: &crate::aggregate::ErrorStats) -> bool {
    use crate::formats::ErrorKind;
    errors.first.as_ref().is_some_and(|e| {
        e.kind == ErrorKind::Changed
            || (e.kind == ErrorKind::TooLarge && e.location == Default::default())
    })
}

/// The license a file's source declares: the manifest's, else the dataset card's.
pub fn declared_license(source: &Source, detector: &LicenseDetector) -> Option<Declared> {
    let normalise = |raw: &str| {
        detector
            .normalize_declared(raw)
            .unwrap_or_else(|| raw.trim().to_string())
    };
    if let Some(raw) = source
        .manifest
        .as_ref()
        .and_then(|m| m.source.license.as_deref())
    {
        return Some(Declared::new(normalise(raw), DeclaredFrom::Manifest));
    }
    let card = source.card.as_ref()?;
    let terms: Vec<String> = card
        .license
        .iter()
        .map(|l| normalise(l))
        .filter(|l| !l.is_empty())
        .collect();
    (!terms.is_empty()).then(|| Declared::new(terms.join(" AND "), DeclaredFrom::DatasetCard))
}

/// An evaluation split (`test`, `validation`, ...), or a known benchmark's file that no
/// split says is training data: either is inferred as the `eval` stage, since counting
/// a test set as fine-tuning data hides contamination.
fn is_evaluation(path: &str, split: Option<&str>) -> bool {
    match split {
        Some(split) => split::is_evaluation_split(split),
        None => split::is_benchmark_path(path),
    }
}

/// The declared stage, else one inferred from the dominant record kind (ties go to
/// the kind whose name sorts first).
pub fn stage_of(source: &Source, content: &ContentStats) -> (Option<Stage>, StageBasis) {
    if let Some(stage) = source
        .manifest
        .as_ref()
        .and_then(|m| m.source.stage.clone())
    {
        return (Some(stage), StageBasis::Declared);
    }
    let dominant = content
        .record_kinds
        .iter()
        .max_by_key(|(kind, n)| (**n, std::cmp::Reverse(kind.as_str())));
    match dominant.and_then(|(kind, _)| inferred_stage(kind)) {
        Some(stage) => (Some(stage), StageBasis::Inferred),
        None => (None, StageBasis::Unknown),
    }
}

/// The stage a file of mostly `kind` records feeds: text → pretrain, instruction,
/// chat and labelled → finetune, preference → preference.
fn inferred_stage(kind: &RecordKind) -> Option<Stage> {
    match kind {
        RecordKind::Preference => Some(Stage::Preference),
        RecordKind::Instruction | RecordKind::Chat | RecordKind::Labeled => Some(Stage::Finetune),
        RecordKind::Text => Some(Stage::Pretrain),
        RecordKind::Unrecognised | RecordKind::Other(_) => None,
    }
}

/// Share of scan-level duplicates above which a file is flagged.
const HIGH_DUPLICATION: f64 = 0.5;

/// A row's risk flags, from its own figures; `dedup_records` (records that take part in
/// duplicate counting) is the one figure the row does not carry. A merge recomputes
/// them after recounting scan-level duplicates.
pub fn risk_flags(row: &LedgerRow, dedup_records: u64) -> Vec<String> {
    let mut flags = Vec::new();
    if row.bytes == 0 && row.status != Status::Error {
        flags.push("empty_file");
    }
    if row.error_count > 0 {
        flags.push("read_errors");
    }
    if row.pii.records_with_pii > 0 {
        flags.push("personal_information");
    }
    if row.pii.counts.contains_key(&PiiType::Secret) {
        flags.push("secrets");
    }
    if row.quality.invalid_utf8 > 0 || row.quality.replacement_chars > 0 {
        flags.push("encoding_problems");
    }
    if dedup_records >= 10
        && row.duplicates.within_scan as f64 > HIGH_DUPLICATION * dedup_records as f64
    {
        flags.push("high_duplication");
    }
    for conflict in &row.license.conflicts {
        let flag = license_flag(&conflict.kind);
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    flags.into_iter().map(String::from).collect()
}

/// The risk flag a license conflict raises; kinds this version does not know ask for
/// a review rather than pass silently.
fn license_flag(conflict_kind: &ConflictKind) -> &'static str {
    match conflict_kind {
        ConflictKind::StricterThanDeclared => "license_conflict",
        ConflictKind::NoLicense | ConflictKind::UnknownLicense => "license_unknown",
        ConflictKind::AllRightsReserved => "all_rights_reserved",
        ConflictKind::TdmOptOut => "tdm_opt_out",
        ConflictKind::Other(_) => "license_review",
    }
}

#[cfg(test)]
mod tests;
