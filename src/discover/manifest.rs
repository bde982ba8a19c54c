//! `provenance.toml`: the human-declared facts about a source (schema: `docs/manifest.md`).
//!
//! Unknown keys are errors, not warnings: a misspelt `consent_basis` would otherwise
//! silently turn into "not declared" in a report handed to a regulator.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;

/// The whole manifest file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub source: SourceDecl,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
}

/// `[source]`: where the data came from and on what terms.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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

wire_enum! {
    /// The training stage a source feeds; `unknown` when neither declared nor inferable
    /// (a grouping and a policy key, never a declaration).
    pub enum Stage("stage") {
        Pretrain = "pretrain",
        Finetune = "finetune",
        Preference = "preference",
        Eval = "eval",
        Unknown = "unknown",
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
        let manifest: Manifest = toml::from_str(text).map_err(|e| one_line(&e.to_string()))?;
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
        let err = Manifest::parse("[source]\nid = \"x\"\nstage = \"training\"\n").unwrap_err();
        assert!(err.contains("training"), "{err}");
    }
}
