//! `--config FILE`: user rules layered over the built-in tables.
//!
//! ```toml
//! [pii]
//! disable = ["ip_address", "phone_e164"]      # rule ids or type ids
//! [[pii.rules]]
//! id = "employee_id"
//! type = "secret"
//! pattern = "EMP-[0-9]{6}"
//! context = ["employee", "工号"]
//! [report.checks]                               # per-source flags in the disclosure
//! max_pii_record_share = 0.05
//! max_unknown_license_share = 0.05
//! max_error_share = 0.05
//! ```
//! Unknown keys are errors naming the key, as in `provenance.toml`.

use std::path::Path;

use serde::Deserialize;

use crate::analyze::pii::PiiConfig;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub pii: PiiConfig,
    #[serde(default)]
    pub report: ReportConfig,
}

/// Settings of the disclosure report.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Thresholds of the per-source checks (section 9); TC260-003's 5% by default.
    #[serde(default)]
    pub checks: crate::report::Checks,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("config {path}: {message}")]
    Invalid { path: String, message: String },
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: shown,
            message: crate::discover::manifest::one_line(&e.to_string()),
        })
    }
}
