//! `provaudit.toml`: the audit-level facts a filing names and no scan can measure:
//! who provides the service, which model the data trained, who answers for it, where
//! complaints go (schema: `docs/manifest.md`). Read by `report --provider FILE`;
//! strict like `provenance.toml` (an unknown key is an error naming it), because a
//! misspelt key would silently turn a declared fact into "not declared" in a filing.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::manifest::{one_line, parse_strict};

/// A `provaudit.toml` that could not be used, naming the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
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
        "{path}: {message}\n  (provaudit.toml keys, see docs/manifest.md: [provider] name, responsible_person, contact, complaint_channel; [model] name, version, filing_id, intended_purpose, data_first_used, aggregate_consumer_information)"
    )]
    Invalid {
        /// The file, as shown in messages.
        path: String,
        /// What breaks the schema, on one line.
        message: String,
    },
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ProviderDecl {
    /// `[provider]`: the organisation that provides the generative-AI service.
    #[serde(default)]
    pub provider: Provider,
    /// `[model]`: the model trained on the audited data.
    #[serde(default)]
    pub model: Model,
}

/// `[provider]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Provider {
    /// Legal name of the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The person responsible for the filing (Art. 19's responsible person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_person: Option<String>,
    /// How to reach the provider about the data (address, e-mail of a role, not of a
    /// private person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Where users file complaints (Interim Measures Art. 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_channel: Option<String>,
}

/// `[model]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Model {
    /// The model's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The filing (备案) number, once granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filing_id: Option<String>,
    /// What the model is for, and how the training data serves it (AB 2013 item 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_purpose: Option<String>,
    /// When the datasets were first used in training, ISO 8601 (AB 2013 item 11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_first_used: Option<String>,
    /// Whether the data includes aggregate consumer information (AB 2013 item 8), in
    /// the provider's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_consumer_information: Option<String>,
}

impl ProviderDecl {
    /// Reads and validates a `provaudit.toml`; errs naming the file.
    pub fn load(path: &Path) -> Result<ProviderDecl, ProviderError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ProviderError::Read {
            path: shown.clone(),
            source,
        })?;
        parse_strict::<ProviderDecl>(&text).map_err(|message| ProviderError::Invalid {
            path: shown,
            message: one_line(&message),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses_unknown_keys() {
        let decl: ProviderDecl = parse_strict(
            "[provider]\nname = \"Example AI Ltd\"\ncomplaint_channel = \"https://example.com/complaints\"\n[model]\nname = \"m\"\nfiling_id = \"X-1\"\n",
        )
        .unwrap();
        assert_eq!(decl.provider.name.as_deref(), Some("Example AI Ltd"));
        assert_eq!(decl.model.filing_id.as_deref(), Some("X-1"));
        let err = parse_strict::<ProviderDecl>("[provider]\nnmae = \"x\"\n").unwrap_err();
        assert!(err.contains("unknown field `nmae` in [provider]"), "{err}");
    }
}
