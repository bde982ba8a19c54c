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

/// The whole manifest file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Manifest {
    pub source: SourceDecl,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
}

/// `[source]`: where the data came from and on what terms.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct SourceDecl {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<SourceCategory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// `[annotation]`: the labelling facts Article 8 asks about.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Annotation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotators: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trained: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_check_rate: Option<f64>,
}

/// The training stage a source feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Pretrain,
    Finetune,
    Preference,
    Eval,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Pretrain => "pretrain",
            Stage::Finetune => "finetune",
            Stage::Preference => "preference",
            Stage::Eval => "eval",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceCategory {
    PublicDataset,
    Licensed,
    WebCrawl,
    UserData,
    Synthetic,
    SelfProduced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Domestic,
    Foreign,
}

/// A manifest that could not be used, naming the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: {message}\n  (the schema is in docs/manifest.md: [source] id, name, stage, category, origin, url, license, collected, consent_basis, evidence; [annotation] rules, annotators, trained, spot_check_rate)"
    )]
    Invalid { path: String, message: String },
}

impl Manifest {
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

    pub fn parse(text: &str) -> Result<Manifest, String> {
        let manifest: Manifest = parse_strict(text)?;
        if manifest.source.id.trim().is_empty() {
            return Err("[source] id must not be empty".into());
        }
        if let Some(rate) = manifest.annotation.as_ref().and_then(|a| a.spot_check_rate)
            && !(0.0..=1.0).contains(&rate)
        {
            return Err(format!(
                "[annotation] spot_check_rate must be between 0 and 1, got {rate}"
            ));
        }
        Ok(manifest)
    }
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

    /// A manifest as a newer provaudit records it in `summary.json` (a key this version
    /// does not know) still reads there; only `provenance.toml` itself is strict.
    #[test]
    fn manifests_recorded_by_newer_versions_still_read() {
        let json = r#"{"source": {"id": "x", "retention": "5y"}, "annotation": {"vendor": "v"}}"#;
        let m: Manifest = serde_json::from_str(json).unwrap();
        assert_eq!(m.source.id, "x");
    }
}
