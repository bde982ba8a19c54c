//! `provenance.toml`: the human-declared facts about a source (schema: `docs/manifest.md`).
//!
//! Unknown keys in `provenance.toml` are errors, not warnings: a misspelt `consent_basis`
//! would otherwise silently turn into "not declared" in a report handed to a regulator.
//! The types themselves accept unknown keys, because they are also read back from
//! `summary.json`, where a manifest written by a newer provaudit (with keys this version
//! does not know) must not stop the audit from opening; [`Manifest::parse`] is where
//! unknown keys are refused.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;

/// The whole manifest file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Manifest {
    /// `[source]`, required.
    pub source: SourceDecl,
    /// `[annotation]`, for labelled data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
}

/// `[source]`: where the data came from and on what terms.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct SourceDecl {
    /// The source id written in every row of the files it covers; must not be empty,
    /// and should stay stable across audits so `diff` can follow the source.
    pub id: String,
    /// A human name for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The training stage the source feeds; without it the stage is inferred from
    /// record kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// How the data was obtained (the "source type" of Article 19 filings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<SourceCategory>,
    /// Whether it was collected inside or outside the filing jurisdiction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Where the data was obtained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The declared license, an SPDX expression or `LicenseRef-*`; detected licenses
    /// are compared with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// When the data was collected, e.g. an ISO 8601 interval `2025-01/2025-03`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<String>,
    /// When the source was published or released: an ISO 8601 date `2025-03-01` or a
    /// UTC date-time `2025-03-01T12:00:00Z` (SPDX `releaseTime`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<String>,
    /// The lawful basis for personal information in the data (PIPL Art. 13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_basis: Option<String>,
    /// Documents that back the declaration (contracts, licenses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The organisation or person the data comes from (SPDX `originatedBy`, the EU
    /// summary's list of datasets and their providers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originator: Option<String>,
    /// Who holds the intellectual-property rights in the data, when not the
    /// originator (Art. 7's IP question; AB 2013 item 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_owner: Option<String>,
    /// For crawled data: the crawler's name or user agent (EU summary section 2.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crawler: Option<String>,
    /// For crawled data: how robots.txt and text-and-data-mining reservations were
    /// respected (EU summary section 2.3, the DSM Directive's Art. 4(3) opt-out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robots: Option<String>,
    /// For synthetic data: the model or program that generated it (EU summary 2.5,
    /// AB 2013 item 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    /// Processing applied before training: cleaning, filtering, deduplication,
    /// anonymisation steps, in order (AB 2013 item 11, SPDX `dataPreprocessing`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub processing: Vec<String>,
    /// How illegal and harmful content was removed (GB/T 45654-2025's source safety,
    /// EU summary section 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub illegal_content_removal: Option<String>,
}

/// `[annotation]`: the labelling facts Article 8 asks about.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Annotation {
    /// Where the labelling rules are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    /// How many people labelled the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotators: Option<u64>,
    /// Whether annotators were trained on the rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trained: Option<bool>,
    /// Share of labels checked by a second person, in 0..=1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_check_rate: Option<f64>,
    /// The version of the labelling rules the data was labelled under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_version: Option<String>,
    /// SHA-256 of the rules document (64 hex digits), so a filing names exactly
    /// which rules applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_sha256: Option<String>,
    /// How many labels the spot check looked at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_checked: Option<u64>,
    /// The share of checked labels found correct, in 0..=1 (Art. 8's "assess the
    /// quality of labelling": a rate of checking says nothing of the result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_check_accuracy: Option<f64>,
}

wire_enum! {
    /// The training stage a source feeds; `unknown` when neither declared nor inferable
    /// (a grouping and a policy key, never a declaration).
    pub enum Stage("stage") {
        /// `pretrain`: pre-training text.
        Pretrain = "pretrain",
        /// `finetune`: supervised fine-tuning (instructions, chats).
        Finetune = "finetune",
        /// `preference`: preference tuning (DPO, KTO, reward models).
        Preference = "preference",
        /// `eval`: evaluation data, not trained on.
        Eval = "eval",
        /// `unknown`: neither declared nor inferable (rows and policies only).
        Unknown = "unknown",
    }
}

/// How a source's data was obtained (`category` in `provenance.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceCategory {
    /// `public_dataset`: a published dataset.
    PublicDataset,
    /// `licensed`: obtained under a contract or purchased license.
    Licensed,
    /// `web_crawl`: collected from the web.
    WebCrawl,
    /// `user_data`: provided by users of a service.
    UserData,
    /// `synthetic`: generated by a model or program.
    Synthetic,
    /// `self_produced`: written or recorded by the provider itself.
    SelfProduced,
    /// `other`: none of the above (say how in `processing` or `evidence`).
    Other,
}

/// Where data was collected, relative to the filing jurisdiction (`origin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// `domestic`: inside the jurisdiction.
    Domestic,
    /// `foreign`: outside it.
    Foreign,
}

/// A manifest that could not be used, naming the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file, as shown in messages.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or breaks the schema.
    #[error(
        "{path}: {message}\n  (the schema is in docs/manifest.md: [source] id, name, stage, category, origin, url, license, collected, released, consent_basis, evidence, originator, ip_owner, crawler, robots, generator, processing, illegal_content_removal; [annotation] rules, annotators, trained, spot_check_rate, rules_version, rules_sha256, spot_checked, spot_check_accuracy)"
    )]
    Invalid {
        /// The file, as shown in messages.
        path: String,
        /// What breaks the schema, on one line.
        message: String,
    },
}

impl Manifest {
    /// Reads and validates a `provenance.toml`; errs naming the file when it cannot be
    /// read or breaks the schema.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Read {
            path: shown.clone(),
            source,
        })?;
        Manifest::parse(&text).map_err(|message| ManifestError::Invalid {
            path: shown,
            message,
        })
    }

    /// Parses and validates manifest text: unknown keys, an empty `id` and a
    /// `spot_check_rate` outside 0..=1 are errors (one line, for messages).
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let manifest: Manifest = parse_strict(text)?;
        if manifest.source.id.trim().is_empty() {
            return Err("[source] id must not be empty".into());
        }
        if let Some(stage) = &manifest.source.stage
            && (!stage.is_known() || *stage == Stage::Unknown)
        {
            return Err(format!(
                "[source] stage {:?} is not a stage; expected one of pretrain, finetune, preference, eval",
                stage.as_str()
            ));
        }
        if let Some(released) = &manifest.source.released
            && release_time(released).is_none()
        {
            return Err(format!(
                "[source] released must be an ISO 8601 date (2025-03-01) or UTC date-time (2025-03-01T12:00:00Z), got {released:?}"
            ));
        }
        if let Some(annotation) = &manifest.annotation {
            check_annotation(annotation)?;
        }
        Ok(manifest)
    }
}

/// A declared `released` as an SPDX DateTime (`2025-03-01` → `2025-03-01T00:00:00Z`);
/// `None` when it is neither a date nor a UTC date-time in whole seconds.
pub fn release_time(released: &str) -> Option<String> {
    let full = match released.len() {
        10 => format!("{released}T00:00:00Z"),
        20 => released.to_string(),
        _ => return None,
    };
    crate::civil::utc_seconds(&full)?;
    Some(full)
}

/// Rates within 0..=1 and a SHA-256 of 64 hex digits: a filing quotes them as given.
fn check_annotation(a: &Annotation) -> Result<(), String> {
    for (key, rate) in [
        ("spot_check_rate", a.spot_check_rate),
        ("spot_check_accuracy", a.spot_check_accuracy),
    ] {
        if let Some(rate) = rate
            && !(0.0..=1.0).contains(&rate)
        {
            return Err(format!(
                "[annotation] {key} must be between 0 and 1, got {rate}"
            ));
        }
    }
    if let Some(hash) = &a.rules_sha256
        && !(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(format!(
            "[annotation] rules_sha256 must be 64 hexadecimal digits (sha256sum of the rules document), got {} characters",
            hash.chars().count()
        ));
    }
    Ok(())
}

/// Deserialises a user's TOML file, refusing any key the schema does not know, named
/// with its table. The schema types stay lenient (no `deny_unknown_fields`) because they
/// are also read back from audits, where keys of newer versions must not be fatal.
pub(crate) fn parse_strict<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let de = toml::Deserializer::parse(text).map_err(|e| one_line(&e.to_string()))?;
    let mut unknown: Vec<String> = Vec::new();
    let parsed: Result<T, _> =
        serde_ignored::deserialize(de, |path| unknown.push(path.to_string()));
    // An unknown key is the likelier cause of a failure too (`[sources]` for `[source]`
    // also leaves `source` missing), so it is named first.
    if let Some(path) = unknown.first() {
        return Err(unknown_key_message(text, path));
    }
    parsed.map_err(|e| one_line(&e.to_string()))
}

/// `source.consent` → "unknown field `consent` in [source]". serde_ignored writes `?`
/// for the inside of an `Option` (`annotation.?.vendor`), which is not the user's word.
fn unknown_key_message(text: &str, path: &str) -> String {
    let path = path.replace(".?", "");
    let (table, key) = path.rsplit_once('.').unwrap_or(("", &path));
    let line = line_of_key(text, key).map_or(String::new(), |n| format!(", line {n}"));
    match table {
        "" => format!("unknown field `{key}`{line}"),
        table => format!("unknown field `{key}` in [{table}]{line}"),
    }
}

/// The 1-based line where `key` is first written as a key or a table header, so the
/// user can go straight to it.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches('[').trim_start();
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(['=', ']', '.']))
        })
        .map(|i| i + 1)
}

/// toml's messages span several lines with a source excerpt; keep the first line and
/// the "unknown field" explanation, which is what the user needs.
pub(crate) fn one_line(message: &str) -> String {
    message
        .lines()
        .filter(|l| {
            !l.trim().is_empty()
                && !l.trim_start().starts_with('|')
                && !l.trim_start().starts_with(char::is_numeric)
        })
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_times_are_dates_or_utc_date_times() {
        assert_eq!(
            release_time("2025-03-01").as_deref(),
            Some("2025-03-01T00:00:00Z")
        );
        assert_eq!(
            release_time("2025-03-01T12:30:00Z").as_deref(),
            Some("2025-03-01T12:30:00Z")
        );
        for bad in [
            "2025-3-1",
            "2025-00-10",
            "2025-03-32",
            "2025-03-01T12:30Z",
            "2025-03-01T12:30:00+08:00",
            "March 2025",
            "",
        ] {
            assert_eq!(release_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_the_design_example() {
        let m = Manifest::parse(
            r#"
[source]
id = "web-zh-2025q1"
name = "Chinese web crawl, Q1 2025"
stage = "pretrain"
category = "web_crawl"
origin = "domestic"
license = "CC-BY-4.0"
evidence = ["contracts/2025-017.pdf"]
[annotation]
annotators = 12
trained = true
spot_check_rate = 0.05
"#,
        )
        .unwrap();
        assert_eq!(m.source.stage, Some(Stage::Pretrain));
        assert_eq!(m.annotation.unwrap().annotators, Some(12));
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = Manifest::parse("[source]\nid = \"x\"\nconsent = \"yes\"\n").unwrap_err();
        assert!(err.contains("unknown field `consent`"), "{err}");
        let err =
            Manifest::parse("[annotation]\nrules = \"r\"\nreviewers = 3\n[source]\nid = \"x\"\n")
                .unwrap_err();
        assert!(
            err.contains("unknown field `reviewers` in [annotation]"),
            "{err}"
        );
        let err = Manifest::parse("[sources]\nid = \"x\"\n").unwrap_err();
        assert!(err.contains("unknown field `sources`"), "{err}");
        let err = Manifest::parse("[source]\nid = \"x\"\nstage = \"training\"\n").unwrap_err();
        assert!(err.contains("training"), "{err}");
    }

    #[test]
    fn version_two_keys_parse_and_are_checked() {
        let m = Manifest::parse(
            r#"
[source]
id = "crawl"
category = "web_crawl"
originator = "Example Crawl Org"
ip_owner = "the page authors"
crawler = "ExampleBot/2.1"
robots = "robots.txt and TDMRep honoured at fetch time"
generator = "none"
processing = ["language filter", "exact dedup", "PII masking"]
illegal_content_removal = "keyword screening and manual review"
[annotation]
rules = "docs/rules.md"
rules_version = "v3"
rules_sha256 = "aa3b0b3d3c6a1d4c3b0f8e8e7d6c5b4a39281706f5e4d3c2b1a0998877665544"
spot_checked = 4000
spot_check_accuracy = 0.97
"#,
        )
        .unwrap();
        assert_eq!(m.source.originator.as_deref(), Some("Example Crawl Org"));
        assert_eq!(m.source.processing.len(), 3);
        assert_eq!(m.annotation.unwrap().spot_checked, Some(4000));
        let other = Manifest::parse("[source]\nid = \"x\"\ncategory = \"other\"\n").unwrap();
        assert_eq!(other.source.category, Some(SourceCategory::Other));
        let err = Manifest::parse("[source]\nid = \"x\"\n[annotation]\nspot_check_accuracy = 97\n")
            .unwrap_err();
        assert!(
            err.contains("spot_check_accuracy must be between 0 and 1"),
            "{err}"
        );
        let err = Manifest::parse("[source]\nid = \"x\"\n[annotation]\nrules_sha256 = \"abc\"\n")
            .unwrap_err();
        assert!(
            err.contains("rules_sha256 must be 64 hexadecimal digits"),
            "{err}"
        );
    }

    /// A manifest as a newer provaudit records it in `summary.json` (a key this version
    /// does not know) still reads there; only `provenance.toml` itself is strict.
    #[test]
    fn manifests_recorded_by_newer_versions_still_read() {
        let json = r#"{"source": {"id": "x", "retention": "5y"}, "annotation": {"vendor": "v"}}"#;
        let m: Manifest = serde_json::from_str(json).unwrap();
        assert_eq!(m.source.id, "x");
    }
}
