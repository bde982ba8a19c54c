//! `--policy FILE` and `--fail-on`: thresholds a scheduled audit must meet. The schema
//! and its parsing live with the other settings files, below the ledger, because
//! `summary.json` records the policy it was checked against; the gates themselves are
//! evaluated on ledger rows by `audit::policy`.
//!
//! ```toml
//! [pii]
//! max_record_share = 0.01          # per source: records with PII / records
//! [license]
//! forbid = { pretrain = ["non_commercial"], finetune = ["non_commercial", "no_derivatives"] }
//! max_unknown_share = 0.05         # per source, by records
//! [quality]
//! max_error_share = 0.001          # per source: read errors / (records + read errors)
//! [safety]
//! max_source_share = 0.05          # per source: records a risk lexicon flags / records
//! ```
//! Unknown keys are errors: a
//! misspelt threshold that silently gates nothing is worse than a failed job.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analyze::license::Category;
use crate::discover::manifest::Stage;

/// Gates checked on a finished ledger (`--policy FILE`, `--fail-on RULE=VALUE`):
/// a broken one makes the run exit 3. Every limit is optional; an empty policy
/// passes everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// `[pii]` limits.
    #[serde(default)]
    pub pii: PiiPolicy,
    /// `[license]` limits.
    #[serde(default)]
    pub license: LicensePolicy,
    /// `[quality]` limits.
    #[serde(default)]
    pub quality: QualityPolicy,
    /// `[safety]` limits (recorded only when set, so policies without one keep their
    /// recorded form).
    #[serde(default, skip_serializing_if = "SafetyPolicy::is_unset")]
    pub safety: SafetyPolicy,
}

/// `[safety]`: how much of a source the risk lexicons may flag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafetyPolicy {
    /// Per source: records a risk lexicon flags / records. GB/T 45654-2025's rule is
    /// 5% (a source whose content is more than 5% illegal or harmful information is not
    /// to be used), the default whenever a lexicon is given.
    pub max_source_share: Option<f64>,
}

impl SafetyPolicy {
    /// No limit set.
    pub fn is_unset(&self) -> bool {
        self.max_source_share.is_none()
    }
}

/// `[pii]`: how much personal information a source may hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PiiPolicy {
    /// Per source: records with any PII / records. A source with no records has share 0.
    pub max_record_share: Option<f64>,
}

/// `[license]`: which categories are acceptable where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LicensePolicy {
    /// Stage → license categories no file of that stage may carry (rows without a stage
    /// count as `unknown`).
    #[serde(default, serialize_with = "stages_in_order")]
    pub forbid: BTreeMap<Stage, Vec<Category>>,
    /// Per source: records whose file's license category is `unknown` / records.
    pub max_unknown_share: Option<f64>,
}

/// `[quality]`: how many read errors a source may have.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityPolicy {
    /// Per source: see [`crate::audit::policy::error_share`].
    pub max_error_share: Option<f64>,
}

/// Why a policy is unusable (exit code 2, never a silent pass).
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The policy file could not be read.
    #[error("cannot read policy {path}: {source}")]
    Read {
        /// The file, as shown in messages.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The policy is not valid TOML, has an unknown key or a value out of range.
    #[error(
        "policy {origin}: {message}\n  (a policy accepts [pii] max_record_share; [license] forbid, max_unknown_share; [quality] max_error_share; [safety] max_source_share)"
    )]
    Invalid {
        /// Where the text came from (a file, or `--fail-on`).
        origin: String,
        /// What is wrong, on one line.
        message: String,
    },
}

impl Policy {
    /// Reads and validates a policy file; errs naming the file on an unknown key or a
    /// value out of range.
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
            path: shown.clone(),
            source,
        })?;
        Policy::parse(&text, &shown)
    }

    /// `origin` names where the text came from (a file path) in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Policy, PolicyError> {
        let invalid = |message: String| PolicyError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let policy: Policy = crate::discover::manifest::parse_strict(text).map_err(invalid)?;
        policy.validate().map_err(invalid)?;
        Ok(policy)
    }

    /// Parses `--fail-on` expressions such as `pii.max_record_share=0.01` or
    /// `license.forbid.pretrain=non_commercial,no_derivatives` into a policy holding only
    /// those rules; a later expression for the same rule wins. Shares may be written as
    /// percentages (`1%`).
    pub fn parse_fail_on(expressions: &[String]) -> Result<Policy, PolicyError> {
        let mut policy = Policy::default();
        for expr in expressions {
            policy.apply(expr).map_err(|message| PolicyError::Invalid {
                origin: format!("--fail-on {expr}"),
                message,
            })?;
        }
        Ok(policy)
    }

    fn apply(&mut self, expr: &str) -> Result<(), String> {
        let (key, value) = expr
            .split_once('=')
            .ok_or("expected RULE=VALUE, e.g. pii.max_record_share=0.01")?;
        let (key, value) = (key.trim(), value.trim());
        let share = || parse_share(key, value).map(Some);
        match key {
            "pii.max_record_share" => self.pii.max_record_share = share()?,
            "license.max_unknown_share" => self.license.max_unknown_share = share()?,
            "quality.max_error_share" => self.quality.max_error_share = share()?,
            "safety.max_source_share" => self.safety.max_source_share = share()?,
            _ => match key.strip_prefix("license.forbid.") {
                Some(stage) => {
                    let stage = Stage::known(stage)?;
                    self.license.forbid.insert(stage, parse_categories(value)?);
                }
                None => {
                    return Err(format!(
                        "unknown rule {key:?}; expected pii.max_record_share, license.max_unknown_share, quality.max_error_share, safety.max_source_share or license.forbid.STAGE"
                    ));
                }
            },
        }
        Ok(())
    }

    /// `over` wins rule by rule: its thresholds replace ours, and its forbid list for a
    /// stage replaces ours for that stage (so a command line can relax a file, too).
    pub fn merge(mut self, over: Policy) -> Policy {
        self.pii.max_record_share = over.pii.max_record_share.or(self.pii.max_record_share);
        self.license.max_unknown_share = over
            .license
            .max_unknown_share
            .or(self.license.max_unknown_share);
        self.quality.max_error_share = over
            .quality
            .max_error_share
            .or(self.quality.max_error_share);
        self.license.forbid.extend(over.license.forbid);
        self.safety.max_source_share = over
            .safety
            .max_source_share
            .or(self.safety.max_source_share);
        self
    }

    /// No rule set: nothing can fail.
    pub fn is_empty(&self) -> bool {
        *self == Policy::default()
    }

    fn validate(&self) -> Result<(), String> {
        let shares = [
            ("pii.max_record_share", self.pii.max_record_share),
            ("license.max_unknown_share", self.license.max_unknown_share),
            ("quality.max_error_share", self.quality.max_error_share),
            ("safety.max_source_share", self.safety.max_source_share),
        ];
        for (key, value) in shares {
            if let Some(v) = value {
                check_share(key, v)?;
            }
        }
        // Read leniently like every wire enum, so a misspelt stage or category is
        // refused here by name rather than gating nothing.
        for (stage, categories) in &self.license.forbid {
            Stage::known(stage.as_str())?;
            for category in categories {
                Category::known(category.as_str())?;
            }
        }
        Ok(())
    }
}

/// `forbid` in stage order (pretrain, finetune, preference, eval, unknown), as policies
/// recorded in `summary.json` have always listed it, rather than the map's string order.
fn stages_in_order<S: serde::Serializer>(
    forbid: &BTreeMap<Stage, Vec<Category>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut entries: Vec<_> = forbid.iter().collect();
    entries.sort_by_key(|(stage, _)| stage.position().unwrap_or(usize::MAX));
    s.collect_map(entries)
}

fn check_share(key: &str, value: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{key} = {value} is not a share between 0 and 1; write 0.01 for 1%"
        ))
    }
}

fn parse_share(key: &str, value: &str) -> Result<f64, String> {
    let (number, scale) = match value.strip_suffix('%') {
        Some(n) => (n.trim(), 100.0),
        None => (value, 1.0),
    };
    let v = number
        .parse::<f64>()
        .map_err(|_| format!("{key}: {value:?} is not a number; write 0.01 or 1%"))?;
    let v = v / scale;
    check_share(key, v)?;
    Ok(v)
}

fn parse_categories(value: &str) -> Result<Vec<Category>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(Category::known)
        .collect()
}

/// A rule broken by one source (and, for `license.forbid`, one stage and category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// The policy key, e.g. `pii.max_record_share` or `license.forbid.pretrain`.
    pub rule: String,
    /// The source that breaks the rule.
    pub source: String,
    /// The stage, for `license.forbid` rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// The measured figure.
    pub figure: Figure,
    /// The limit it broke.
    pub threshold: Threshold,
    /// One English line for logs and CI output.
    pub message: String,
}

/// What was measured for a violation (written untagged in `summary.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Figure {
    /// `count` of `records`, as a share.
    Share {
        /// `count / records`, in 0..=1.
        share: f64,
        /// Records with the property.
        count: u64,
        /// Records of the source.
        records: u64,
    },
    /// Files and records of a forbidden category.
    Category {
        /// The forbidden category found.
        category: Category,
        /// Files of that category.
        files: u64,
        /// Records in those files.
        records: u64,
    },
}

/// The limit a violation broke (written untagged in `summary.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Threshold {
    /// A share the figure must not exceed, in 0..=1.
    MaxShare(f64),
    /// Categories the stage must not carry.
    Forbidden(Vec<Category>),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `summary.json` records the policy; its stages keep the order they always had
    /// (pretrain before eval), not the string order of the map's keys.
    #[test]
    fn forbid_is_written_in_stage_order() {
        let policy = Policy::parse(
            "[license]\nforbid = { eval = [\"proprietary\"], pretrain = [\"non_commercial\"] }\n",
            "p.toml",
        )
        .unwrap();
        let json = serde_json::to_string(&policy.license).unwrap();
        assert_eq!(
            json,
            r#"{"forbid":{"pretrain":["non_commercial"],"eval":["proprietary"]},"max_unknown_share":null}"#
        );
    }
}
