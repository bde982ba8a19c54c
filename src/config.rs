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
//! [near_duplicates]                             # with scan --near-duplicates
//! permutations = 64
//! bands = 6
//! rows = 4
//! threshold = 0.7
//! [safety]                                      # corpus safety screening
//! lexicons = ["lexicons/"]
//! max_source_share = 0.05
//! [contamination]                               # benchmark contamination
//! eval_sets = ["evals/"]
//! ngram_words = 13
//! cjk_chars = 20
//! ```
//! Unknown keys are errors naming the key, as in `provenance.toml`.

pub mod policy;

use std::path::Path;

use serde::Deserialize;

use crate::analyze::pii::PiiConfig;

/// The `--config FILE` settings: user PII rules and report thresholds. Unknown keys
/// are errors, so a misspelt setting is never silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[pii]`: rules to disable, user rules, placeholder domains.
    #[serde(default)]
    pub pii: PiiConfig,
    /// `[report]`: thresholds of the disclosure's checks.
    #[serde(default)]
    pub report: ReportConfig,
    /// `[near_duplicates]`: MinHash-LSH parameters for `scan --near-duplicates`
    /// (permutations, bands, rows, shingle_words, cjk_chars, threshold); the section
    /// alone does not turn detection on.
    #[serde(default)]
    pub near_duplicates: Option<crate::analyze::minhash::MinHashParams>,
    /// `[safety]`: risk lexicons to screen with and the per-source limit.
    #[serde(default)]
    pub safety: SafetyConfig,
    /// `[contamination]`: evaluation sets to check training records against, and the
    /// n-gram lengths.
    #[serde(default)]
    pub contamination: ContaminationConfig,
}

/// `[contamination]`: benchmark contamination (`--eval-sets`, README).
///
/// ```toml
/// [contamination]
/// eval_sets = ["evals/"]   # files or directories, relative to this config file
/// ngram_words = 13         # words per n-gram (GPT-3's 13)
/// cjk_chars = 20           # characters per n-gram in CJK text
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContaminationConfig {
    /// Evaluation set files or directories, as `--eval-sets` takes them (relative
    /// paths resolved against the config file's directory by [`Config::load`]).
    pub eval_sets: Vec<std::path::PathBuf>,
    /// Words per n-gram in space-delimited scripts.
    pub ngram_words: usize,
    /// Characters per n-gram in CJK text.
    pub cjk_chars: usize,
}

impl Default for ContaminationConfig {
    fn default() -> Self {
        let params = crate::analyze::contamination::ContaminationParams::default();
        ContaminationConfig {
            eval_sets: Vec::new(),
            ngram_words: params.ngram_words,
            cjk_chars: params.cjk_chars,
        }
    }
}

impl ContaminationConfig {
    /// The n-gram lengths.
    pub fn params(&self) -> crate::analyze::contamination::ContaminationParams {
        crate::analyze::contamination::ContaminationParams {
            ngram_words: self.ngram_words,
            cjk_chars: self.cjk_chars,
        }
    }
}

/// `[safety]`: corpus safety screening (`docs/safety.md`).
///
/// ```toml
/// [safety]
/// lexicons = ["lexicons/"]     # files or directories, relative to this config file
/// max_source_share = 0.05      # GB/T 45654-2025's 5% (the default)
/// ```
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafetyConfig {
    /// Lexicon files or directories, as `--safety-lexicon` takes them (relative paths
    /// are resolved against the config file's directory by [`Config::load`]).
    #[serde(default)]
    pub lexicons: Vec<std::path::PathBuf>,
    /// Per source: records the lexicons flag / records, above which the source breaks
    /// the policy and the report's check. Unset: GB/T 45654-2025's 5%
    /// ([`crate::analyze::safety::STANDARD_MAX_SOURCE_SHARE`]).
    pub max_source_share: Option<f64>,
}

/// Settings of the disclosure report.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Thresholds of the per-source checks (section 9).
    #[serde(default)]
    pub checks: Checks,
}

/// Thresholds of the per-source checks of the disclosure (section 9). Each figure is a
/// share in 0..=1; a source is flagged when its measured share is strictly above the
/// threshold. They live with the configuration, not the report, so the analysis stages
/// that read a config never depend on the report.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
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
    /// 5 % each: provaudit's own defaults for flagging a source for review. They are
    /// not a figure of any standard (GB/T 45654-2025's 5 % concerns illegal and harmful
    /// content, which these checks do not measure; the screening check, `[safety]
    /// max_source_share`, is the one that applies it).
    fn default() -> Self {
        Checks {
            max_pii_record_share: 0.05,
            max_unknown_license_share: 0.05,
            max_error_share: 0.05,
        }
    }
}

/// Why a `--config` file is unusable (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Read {
        /// The file as given on the command line.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or holds an unknown key or a value of the wrong type.
    #[error("config {path}: {message}")]
    Invalid {
        /// The file as given on the command line.
        path: String,
        /// The parser's explanation, naming the key or line at fault.
        message: String,
    },
}

impl Config {
    /// Reads and parses a config file; errs naming the file when it cannot be read or
    /// parsed.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: shown.clone(),
            message: crate::discover::manifest::one_line(&e.to_string()),
        })?;
        if let Some(params) = &config.near_duplicates {
            params.validate().map_err(|message| ConfigError::Invalid {
                path: shown.clone(),
                message,
            })?;
        }
        if let Some(share) = config.safety.max_source_share
            && !(0.0..=1.0).contains(&share)
        {
            return Err(ConfigError::Invalid {
                path: shown,
                message: format!(
                    "safety.max_source_share = {share} is not a share between 0 and 1; write 0.05 for 5%"
                ),
            });
        }
        config
            .contamination
            .params()
            .validate()
            .map_err(|message| ConfigError::Invalid {
                path: shown.clone(),
                message,
            })?;
        let base = path.parent().unwrap_or(Path::new(""));
        for lexicon in config
            .safety
            .lexicons
            .iter_mut()
            .chain(&mut config.contamination.eval_sets)
        {
            if lexicon.is_relative() {
                *lexicon = base.join(&*lexicon);
            }
        }
        Ok(config)
    }
}
