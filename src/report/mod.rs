//! The disclosure report (issue #5): turns an audit directory written by
//! `provaudit scan` (`summary.json`, `ledger.jsonl`, `findings.jsonl`) into a bilingual
//! (Chinese / English) disclosure in Markdown, self-contained HTML, JSON and SPDX 3.0.1
//! JSON-LD.
//!
//! The flow is one direction: [`Audit::load`] reads the audit leniently (missing keys
//! read as 0 or "not declared"), [`build`] computes every figure once into a
//! [`Disclosure`], and the renderers only format that struct. The report never reads
//! the data itself; every figure comes from the ledger and its summary.

mod audit;
mod croissant;
mod disclosure;
mod doc;
pub mod filing;
mod html;
mod i18n;
mod markdown;
mod spdx;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use self::audit::{Audit, LedgerDigest, MaskedExample};
pub use self::disclosure::{
    CheckFigure, Checks, ChecksSection, Conflict, DetectedLicense, Disclosure, Diversity,
    FileError, FilesBytes, Identification, IntellectualProperty, KeyCount, LabelledData,
    LabelledRow, LanguageRow, LanguageShares, LicenseCategoryRow, Method, Overview,
    PersonalInformation, PiiTypeRow, QualityRow, QualitySection, SCHEMA_VERSION, SkippedFile,
    SourceCheck, SourceDiversity, SourceInfo, SourceLicense, SourcePii, StageRow, build,
};

/// Errors of loading an audit and writing a report. Each message names the file and
/// says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The audit directory could not be read; the message names the file and the fix.
    #[error(transparent)]
    Audit(#[from] crate::contract::AuditError),
    #[error(
        "{path}: cannot be written ({source}); check that the directory exists and is writable"
    )]
    /// A report file could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A report could not be serialised (a bug, not an input problem).
    #[error("serialising the {what} report failed: {message}")]
    Serialize {
        /// Which report.
        what: &'static str,
        /// The serialiser's explanation.
        message: String,
    },
    /// A `--format` value names no format.
    #[error("unknown report format `{0}`; use one of md, html, json, spdx, croissant")]
    UnknownFormat(String),
}

/// Report language(s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Chinese only.
    Zh,
    /// English only.
    En,
    /// Chinese and English side by side.
    Both,
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            "both" | "zh+en" | "en+zh" => Ok(Lang::Both),
            other => Err(format!("unknown language `{other}`; use zh, en or both")),
        }
    }
}

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `disclosure.md`.
    Markdown,
    /// `disclosure.html`.
    Html,
    /// `disclosure.json`, the `Disclosure` struct as JSON.
    Json,
    /// `disclosure.spdx.json`, an SPDX 3.0.1 dataset document.
    Spdx,
    /// `disclosure.croissant.json`, Croissant 1.1 with the RAI vocabulary.
    Croissant,
}

/// What `scan` writes at the end: the human and machine reports; SPDX on request.
pub const SCAN_FORMATS: [Format; 3] = [Format::Markdown, Format::Html, Format::Json];

impl Format {
    /// Every format, in the order they are written.
    pub const ALL: [Format; 5] = [
        Format::Markdown,
        Format::Html,
        Format::Json,
        Format::Spdx,
        Format::Croissant,
    ];

    /// The file name the format is written to by [`write_all`].
    pub fn file_name(self) -> &'static str {
        let [md, html, json, spdx, croissant] = crate::ledger::DISCLOSURE_FILES;
        match self {
            Format::Markdown => md,
            Format::Html => html,
            Format::Json => json,
            Format::Spdx => spdx,
            Format::Croissant => croissant,
        }
    }
}

impl FromStr for Format {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            "spdx" | "spdx.json" | "spdx-json" => Ok(Format::Spdx),
            "croissant" | "croissant.json" => Ok(Format::Croissant),
            _ => Err(ReportError::UnknownFormat(s.to_string())),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Spdx => "spdx",
            Format::Croissant => "croissant",
        })
    }
}

/// Renders the disclosure in one format. `lang` does not apply to JSON and SPDX, which
/// carry stable machine keys.
pub fn render(d: &Disclosure, format: Format, lang: Lang) -> Result<String, ReportError> {
    match format {
        Format::Markdown => Ok(markdown::render(d, lang)),
        Format::Html => Ok(html::render(d, lang)),
        Format::Json => serde_json::to_string_pretty(d)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| ReportError::Serialize {
                what: "JSON",
                message: e.to_string(),
            }),
        Format::Spdx => spdx::render(d),
        Format::Croissant => croissant::render(d),
    }
}

/// Renders each format and writes it into `out` (`disclosure.md`, `.html`, `.json`,
/// `.spdx.json`), each through a temporary file in `out` renamed into place, so a
/// reader never sees a half-written report. Returns the paths written, in order.
pub fn write_all(
    d: &Disclosure,
    formats: &[Format],
    lang: Lang,
    out: &Path,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut written = Vec::with_capacity(formats.len());
    for &format in formats {
        let target = out.join(format.file_name());
        if written.contains(&target) {
            continue;
        }
        let text = render(d, format, lang)?;
        write_atomic(&target, text.as_bytes())?;
        written.push(target);
    }
    Ok(written)
}

/// The disclosure files a scan or merge writes, rendered before `summary.json` from
/// the summary about to be written, and their SHA-256 for its `outputs`: `verify`
/// then notices an edited disclosure like an edited ledger. The summary goes through
/// its own JSON first, so the disclosure is the one `provaudit report` makes later.
pub fn write_for_summary(
    out: &Path,
    summary: &crate::contract::Summary,
    checks: &Checks,
) -> Result<BTreeMap<String, String>, ReportError> {
    write_disclosure(out, summary, checks, None)
}

/// [`write_for_summary`] for the scan, which added the ledger's figures up as it
/// streamed the rows (`digest`), so the ledger is not read back.
pub fn write_for_scan(
    out: &Path,
    summary: &crate::contract::Summary,
    checks: &Checks,
    digest: LedgerDigest,
) -> Result<BTreeMap<String, String>, ReportError> {
    write_disclosure(out, summary, checks, Some(digest))
}

fn write_disclosure(
    out: &Path,
    summary: &crate::contract::Summary,
    checks: &Checks,
    digest: Option<LedgerDigest>,
) -> Result<BTreeMap<String, String>, ReportError> {
    let serialize = |e: serde_json::Error| ReportError::Serialize {
        what: "summary",
        message: e.to_string(),
    };
    let text = serde_json::to_string(summary).map_err(serialize)?;
    let path = out.join(crate::contract::SUMMARY_JSON);
    let summary = crate::contract::Summary::parse(&path, &text)?;
    let audit = match digest {
        Some(digest) => {
            let root = summary.ledger.merkle_root.clone();
            Audit::with_digest(out, summary, digest, root)?
        }
        None => Audit::with_summary(out, summary)?,
    };
    let written = write_all(&build(&audit, checks), &SCAN_FORMATS, Lang::Both, out)?;
    hashes_of(&written)
}

/// After `provaudit report` wrote into an audit directory: the summary's recorded
/// hash of each file written is brought up to date, so re-rendering (another
/// language, SPDX) never makes a good audit fail `verify`. Audits that record no
/// output hashes (older ones) are left as they are.
pub fn record_rewritten(dir: &Path, written: &[PathBuf]) -> Result<(), ReportError> {
    let audit = crate::contract::AuditDir::new(dir);
    let mut summary = audit.summary()?;
    if summary.outputs.is_empty() {
        return Ok(());
    }
    let fresh = hashes_of(written)?;
    let changed = fresh
        .iter()
        .any(|(name, hash)| summary.outputs.get(name) != Some(hash));
    if !changed {
        return Ok(());
    }
    summary.outputs.extend(fresh);
    crate::ledger::write_summary(dir, &summary).map_err(|e| ReportError::Write {
        path: audit.file(crate::contract::SUMMARY_JSON),
        source: std::io::Error::other(format!("{e:#}")),
    })
}

fn hashes_of(written: &[PathBuf]) -> Result<BTreeMap<String, String>, ReportError> {
    let mut hashes = BTreeMap::new();
    for path in written {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        hashes.insert(name, crate::audit::integrity::hash_file(path)?);
    }
    Ok(hashes)
}

/// Through the ledger's atomic writer; its error chain is kept in the message.
fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    crate::ledger::write_atomic(target, |w| Ok(w.write_all(bytes)?)).map_err(|e| {
        ReportError::Write {
            path: target.to_path_buf(),
            source: std::io::Error::other(format!("{e:#}")),
        }
    })
}
