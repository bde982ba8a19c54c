//! Policy gates: thresholds a scheduled audit must meet, checked from ledger rows.
//!
//! ```toml
//! [pii]
//! max_record_share = 0.01          # per source: records with PII / records
//! [license]
//! forbid = { pretrain = ["non_commercial"], finetune = ["non_commercial", "no_derivatives"] }
//! max_unknown_share = 0.05         # per source, by records
//! [quality]
//! max_error_share = 0.001          # per source: read errors / (records + read errors)
//! ```
//! Figures come from the ledger rows, not from `summary.json`, so a gate means the same
//! thing whatever summary shape the audit was written with. Unknown keys are errors: a
//! misspelt threshold that silently gates nothing is worse than a failed job.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::contract::LedgerRow as Row;

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
    #[serde(default)]
    pub forbid: BTreeMap<Stage, Vec<Category>>,
    /// Per source: records whose file's license category is `unknown` / records.
    pub max_unknown_share: Option<f64>,
}

/// `[quality]`: how many read errors a source may have.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityPolicy {
    /// Per source: see [`error_share`].
    pub max_error_share: Option<f64>,
}

/// Defines a canonical-identifier enum whose serde form and `FromStr` agree, so TOML and
/// `--fail-on` accept exactly the same words and reject the rest by name.
macro_rules! identifiers {
    ($name:ident, $what:literal, { $($variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[doc = concat!("A ", $what, " as policies and `--fail-on` name it.")]
        pub enum $name {
            $(
                #[doc = concat!("`", $text, "`.")]
                #[serde(rename = $text)]
                $variant
            ),+
        }

        impl $name {
            /// Every value, in declaration order (error messages list them).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word policies use, as serialised.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| {
                        let all: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        format!("{s:?} is not a {}; expected one of {}", $what, all.join(", "))
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

identifiers!(Stage, "stage", {
    Pretrain = "pretrain",
    Finetune = "finetune",
    Preference = "preference",
    Eval = "eval",
    Unknown = "unknown",
});

identifiers!(Category, "license category", {
    PublicDomain = "public_domain",
    Permissive = "permissive",
    WeakCopyleft = "weak_copyleft",
    StrongCopyleft = "strong_copyleft",
    NonCommercial = "non_commercial",
    NoDerivatives = "no_derivatives",
    Proprietary = "proprietary",
    ModelTerms = "model_terms",
    Unknown = "unknown",
});

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
        "policy {origin}: {message}\n  (a policy accepts [pii] max_record_share; [license] forbid, max_unknown_share; [quality] max_error_share)"
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
            _ => match key.strip_prefix("license.forbid.") {
                Some(stage) => {
                    let stage = Stage::from_str(stage)?;
                    self.license.forbid.insert(stage, parse_categories(value)?);
                }
                None => {
                    return Err(format!(
                        "unknown rule {key:?}; expected pii.max_record_share, license.max_unknown_share, quality.max_error_share or license.forbid.STAGE"
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
        ];
        for (key, value) in shares {
            if let Some(v) = value {
                check_share(key, v)?;
            }
        }
        Ok(())
    }
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
        .map(Category::from_str)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Evaluation

/// A rule broken by one source (and, for `license.forbid`, one stage and category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// The policy key, e.g. `pii.max_record_share` or `license.forbid.pretrain`.
    pub rule: String,
    /// The source that breaks the rule.
    pub source: String,
    /// The stage, for `license.forbid` rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
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
        category: String,
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
    Forbidden(Vec<String>),
}

/// Per-source tallies every share rule needs, summed over that source's rows.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    records: u64,
    records_with_pii: u64,
    unknown_license_records: u64,
    errors: u64,
}

/// The share of unreadable records: `error_count / (records + error_count)` summed over
/// the source's rows. An error is one unreadable line, row group or byte range, which
/// would have been a record, so the denominator counts it too and the share stays in
/// 0..=1 (2 good lines and 2 bad ones: 0.5; nothing readable: 1.0). The disclosure
/// report's per-source check uses the same definition.
pub fn error_share(errors: u64, records: u64) -> f64 {
    match errors {
        0 => 0.0,
        e => e as f64 / (records.saturating_add(e)) as f64,
    }
}

/// `count / records`, 0 when there are no records: no records, nothing to leak.
fn record_share(count: u64, records: u64) -> f64 {
    if records == 0 {
        0.0
    } else {
        count as f64 / records as f64
    }
}

/// Every violation, ordered by source, then rule, then stage, then category.
pub fn evaluate(policy: &Policy, rows: &[Row]) -> Vec<Violation> {
    let mut out = Vec::new();
    for (source, t) in tally(rows) {
        out.extend(share_violations(policy, &source, t));
    }
    out.extend(forbid_violations(policy, rows));
    out.sort_by(|a, b| {
        (&a.source, &a.rule, &a.stage, figure_key(&a.figure)).cmp(&(
            &b.source,
            &b.rule,
            &b.stage,
            figure_key(&b.figure),
        ))
    });
    out
}

fn figure_key(f: &Figure) -> &str {
    match f {
        Figure::Category { category, .. } => category,
        Figure::Share { .. } => "",
    }
}

fn tally(rows: &[Row]) -> BTreeMap<String, Tally> {
    let mut by_source: BTreeMap<String, Tally> = BTreeMap::new();
    for row in rows {
        let t = by_source.entry(row.source.clone()).or_default();
        t.records += row.records;
        t.records_with_pii += row.pii.records_with_pii;
        t.errors += row.error_count;
        if row.category() == Category::Unknown.as_str() {
            t.unknown_license_records += row.records;
        }
    }
    by_source
}

fn share_violations(policy: &Policy, source: &str, t: Tally) -> Vec<Violation> {
    let rules = [
        (
            "pii.max_record_share",
            policy.pii.max_record_share,
            t.records_with_pii,
            record_share(t.records_with_pii, t.records),
            "of records have personal information",
        ),
        (
            "license.max_unknown_share",
            policy.license.max_unknown_share,
            t.unknown_license_records,
            record_share(t.unknown_license_records, t.records),
            "of records have no known license",
        ),
        (
            "quality.max_error_share",
            policy.quality.max_error_share,
            t.errors,
            error_share(t.errors, t.records),
            "read errors per record read",
        ),
    ];
    rules
        .into_iter()
        .filter_map(|(rule, max, count, share, what)| {
            let max = max?;
            (share > max).then(|| {
                let message = share_message(rule, source, what, share, max, count, t.records);
                Violation {
                    rule: rule.to_string(),
                    source: source.to_string(),
                    stage: None,
                    figure: Figure::Share {
                        share,
                        count,
                        records: t.records,
                    },
                    threshold: Threshold::MaxShare(max),
                    message,
                }
            })
        })
        .collect()
}

fn share_message(
    rule: &str,
    source: &str,
    what: &str,
    share: f64,
    max: f64,
    count: u64,
    records: u64,
) -> String {
    let (shown, limit) = percentages(share, max);
    let counts = if rule == "quality.max_error_share" {
        format!(
            "{}, {}",
            plural(count, "error", "errors"),
            plural(records, "record", "records")
        )
    } else {
        format!("{} of {}", thousands(count), thousands(records))
    };
    format!("source {source}: {shown} {what} ({counts}); policy {rule} = {limit}")
}

/// Files and records per (source, stage, category), for the forbid rule.
type StageTally = BTreeMap<(String, Stage, String), (u64, u64)>;

fn forbid_violations(policy: &Policy, rows: &[Row]) -> Vec<Violation> {
    if policy.license.forbid.is_empty() {
        return Vec::new();
    }
    let mut tally = StageTally::new();
    for row in rows {
        // A stage outside the known set still gets gated as `unknown`, never skipped.
        let stage = Stage::from_str(row.stage_or_unknown()).unwrap_or(Stage::Unknown);
        let key = (row.source.clone(), stage, row.category().to_string());
        let (files, records) = tally.entry(key).or_default();
        *files += 1;
        *records += row.records;
    }
    tally
        .into_iter()
        .filter_map(|((source, stage, category), (files, records))| {
            let forbidden = policy.license.forbid.get(&stage)?;
            forbidden
                .iter()
                .any(|c| c.as_str() == category)
                .then(|| forbid_violation(source, stage, category, files, records, forbidden))
        })
        .collect()
}

fn forbid_violation(
    source: String,
    stage: Stage,
    category: String,
    files: u64,
    records: u64,
    forbidden: &[Category],
) -> Violation {
    let rule = format!("license.forbid.{stage}");
    let message = format!(
        "source {source}, stage {stage}: {} ({} {}) under license category {category}, which policy {rule} forbids",
        plural(files, "file", "files"),
        thousands(records),
        if records == 1 { "record" } else { "records" },
    );
    Violation {
        rule,
        source,
        stage: Some(stage.to_string()),
        figure: Figure::Category {
            category,
            files,
            records,
        },
        threshold: Threshold::Forbidden(forbidden.iter().map(|c| c.to_string()).collect()),
        message,
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Formats a share and its limit as percentages with just enough decimals that a share
/// above the limit never prints equal to it (1.04% against 1% reads "1.04%", not "1%"),
/// nor a small non-zero share as 0%.
fn percentages(share: f64, max: f64) -> (String, String) {
    let limit = trim_number(max * 100.0, 6);
    let shown = (1..=6)
        .map(|d| trim_number(share * 100.0, d))
        .find(|s| *s != limit && !(share > 0.0 && s == "0"))
        .unwrap_or_else(|| trim_number(share * 100.0, 6));
    (format!("{shown}%"), format!("{limit}%"))
}

fn trim_number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata;
    use super::*;
    use crate::contract::AuditDir;

    fn row(source: &str, stage: Option<&str>, records: u64) -> Row {
        Row {
            path: format!("{source}/{records}"),
            root: "r".into(),
            source: source.into(),
            stage: stage.map(String::from),
            records,
            license: crate::ledger::license_block::LicenseBlock {
                category: "permissive".into(),
                ..Default::default()
            },
            ..Row::default()
        }
    }

    fn with_pii(mut r: Row, n: u64) -> Row {
        r.pii.records_with_pii = n;
        r
    }

    fn with_category(mut r: Row, c: &str) -> Row {
        r.license.category = c.into();
        r
    }

    fn with_errors(mut r: Row, n: u64) -> Row {
        r.error_count = n;
        r
    }

    fn fail_on(exprs: &[&str]) -> Policy {
        let owned: Vec<String> = exprs.iter().map(|s| s.to_string()).collect();
        Policy::parse_fail_on(&owned).unwrap()
    }

    #[test]
    fn parses_the_documented_shape() {
        let p = Policy::parse(
            r#"
[pii]
max_record_share = 0.01
[license]
forbid = { pretrain = ["non_commercial"], finetune = ["non_commercial", "no_derivatives"] }
max_unknown_share = 0.05
[quality]
max_error_share = 0.001
"#,
            "policy.toml",
        )
        .unwrap();
        assert_eq!(p.pii.max_record_share, Some(0.01));
        assert_eq!(p.license.max_unknown_share, Some(0.05));
        assert_eq!(p.quality.max_error_share, Some(0.001));
        assert_eq!(
            p.license.forbid[&Stage::Finetune],
            [Category::NonCommercial, Category::NoDerivatives]
        );
        assert!(Policy::parse("", "empty.toml").unwrap().is_empty());
    }

    /// The policy recorded in a newer audit's `summary.json` may hold rules this version
    /// does not know; the audit must still open (only a policy file is strict).
    #[test]
    fn policies_recorded_by_newer_versions_still_read() {
        let json = r#"{"pii": {"max_record_share": 0.1, "max_sensitive_share": 0}, "safety": {}}"#;
        let p: Policy = serde_json::from_str(json).unwrap();
        assert_eq!(p.pii.max_record_share, Some(0.1));
    }

    #[test]
    fn unknown_keys_name_key_and_file_at_every_level() {
        for (text, key) in [
            ("[pi]\nmax_record_share = 0.1\n", "pi"),
            ("[pii]\nmax_share = 0.1\n", "max_share"),
            ("[license]\nforbidden = {}\n", "forbidden"),
            ("[quality]\nmax_errors = 0\n", "max_errors"),
        ] {
            let err = Policy::parse(text, "gates/policy.toml")
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("policy gates/policy.toml: "), "{err}");
            assert!(err.contains(&format!("unknown field `{key}`")), "{err}");
            assert!(err.contains("line"), "{err}");
        }
    }

    #[test]
    fn bad_values_are_named() {
        for (text, needle) in [
            (
                "[pii]\nmax_record_share = 1.5\n",
                "pii.max_record_share = 1.5",
            ),
            (
                "[quality]\nmax_error_share = -0.1\n",
                "quality.max_error_share = -0.1",
            ),
            (
                "[license]\nmax_unknown_share = nan\n",
                "license.max_unknown_share = NaN",
            ),
            ("[license]\nforbid = { pretrian = [] }\n", "pretrian"),
            (
                "[license]\nforbid = { pretrain = [\"non_comercial\"] }\n",
                "non_comercial",
            ),
            ("[pii]\nmax_record_share = \"1%\"\n", "invalid type"),
        ] {
            let err = Policy::parse(text, "p.toml").unwrap_err().to_string();
            assert!(err.contains(needle), "{needle}: {err}");
            assert!(err.contains("p.toml"), "{err}");
        }
    }

    #[test]
    fn fail_on_expressions_parse() {
        let p = fail_on(&[
            "pii.max_record_share=0.01",
            "license.max_unknown_share = 5%",
            "quality.max_error_share=0",
            "license.forbid.pretrain=non_commercial,no_derivatives",
            "license.forbid.eval=",
        ]);
        assert_eq!(p.pii.max_record_share, Some(0.01));
        assert_eq!(p.license.max_unknown_share, Some(0.05));
        assert_eq!(p.quality.max_error_share, Some(0.0));
        assert_eq!(
            p.license.forbid[&Stage::Pretrain],
            [Category::NonCommercial, Category::NoDerivatives]
        );
        assert_eq!(p.license.forbid[&Stage::Eval], []);
        let later_wins = fail_on(&["pii.max_record_share=0.5", "pii.max_record_share=0.2"]);
        assert_eq!(later_wins.pii.max_record_share, Some(0.2));
    }

    #[test]
    fn bad_fail_on_expressions_say_what_is_wrong() {
        for (expr, needle) in [
            ("pii.max_record_share", "expected RULE=VALUE"),
            ("pii.max=0.1", "unknown rule \"pii.max\""),
            ("pii.max_record_share=lots", "not a number"),
            ("pii.max_record_share=2", "not a share between 0 and 1"),
            (
                "license.forbid.pretrian=non_commercial",
                "\"pretrian\" is not a stage",
            ),
            (
                "license.forbid.pretrain=nc",
                "\"nc\" is not a license category",
            ),
        ] {
            let err = Policy::parse_fail_on(&[expr.to_string()])
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("--fail-on {expr}")), "{err}");
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }

    #[test]
    fn command_line_rules_override_the_file_rule_by_rule() {
        let file = Policy::parse(
            "[pii]\nmax_record_share = 0.01\n[quality]\nmax_error_share = 0.001\n[license]\nforbid = { pretrain = [\"non_commercial\"], finetune = [\"proprietary\"] }\n",
            "p.toml",
        )
        .unwrap();
        let merged = file.merge(fail_on(&[
            "pii.max_record_share=0.2",
            "license.forbid.pretrain=no_derivatives",
            "license.max_unknown_share=0.1",
        ]));
        assert_eq!(merged.pii.max_record_share, Some(0.2));
        assert_eq!(merged.quality.max_error_share, Some(0.001));
        assert_eq!(merged.license.max_unknown_share, Some(0.1));
        assert_eq!(
            merged.license.forbid[&Stage::Pretrain],
            [Category::NoDerivatives]
        );
        assert_eq!(
            merged.license.forbid[&Stage::Finetune],
            [Category::Proprietary]
        );
    }

    #[test]
    fn pii_share_rule() {
        let rows = [
            with_pii(row("web-zh", Some("pretrain"), 38_000), 1_200),
            with_pii(row("web-zh", Some("pretrain"), 567), 34),
            with_pii(row("clean", Some("pretrain"), 100), 1),
        ];
        let v = evaluate(&fail_on(&["pii.max_record_share=0.01"]), &rows);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(
            v[0].message,
            "source web-zh: 3.2% of records have personal information (1,234 of 38,567); policy pii.max_record_share = 1%"
        );
        assert_eq!(v[0].rule, "pii.max_record_share");
        assert_eq!(v[0].threshold, Threshold::MaxShare(0.01));
        assert!(matches!(
            v[0].figure,
            Figure::Share {
                count: 1_234,
                records: 38_567,
                ..
            }
        ));
    }

    #[test]
    fn a_share_just_over_the_limit_does_not_print_as_the_limit() {
        let rows = [with_pii(row("s", None, 10_000), 104)];
        let v = evaluate(&fail_on(&["pii.max_record_share=1%"]), &rows);
        assert!(
            v[0].message.contains("1.04% of records"),
            "{}",
            v[0].message
        );
        let rows = [with_pii(row("s", None, 1_000_000), 3)];
        let v = evaluate(&fail_on(&["pii.max_record_share=0"]), &rows);
        assert!(
            v[0].message.contains(" 0.0003% of records"),
            "{}",
            v[0].message
        );
        assert!(v[0].message.ends_with("= 0%"), "{}", v[0].message);
    }

    #[test]
    fn unknown_license_share_rule_counts_records() {
        let rows = [
            with_category(row("a", None, 10), "unknown"),
            row("a", None, 90),
            with_category(row("b", None, 0), "unknown"),
            Row {
                source: "c".into(),
                records: 5,
                ..Row::default()
            },
        ];
        let v = evaluate(&fail_on(&["license.max_unknown_share=0.05"]), &rows);
        let got: Vec<&str> = v.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "source a: 10% of records have no known license (10 of 100); policy license.max_unknown_share = 5%",
                "source c: 100% of records have no known license (5 of 5); policy license.max_unknown_share = 5%",
            ]
        );
    }

    #[test]
    fn error_share_rule_and_its_edge_cases() {
        assert_eq!(error_share(0, 0), 0.0);
        assert_eq!(error_share(3, 0), 1.0);
        assert_eq!(error_share(2, 2), 0.5);
        assert_eq!(error_share(1, 3), 0.25);
        let rows = [
            with_errors(row("broken", None, 0), 1),
            with_errors(row("ok", None, 1000), 1),
            row("empty", None, 0),
        ];
        let v = evaluate(&fail_on(&["quality.max_error_share=0.001"]), &rows);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(
            v[0].message,
            "source broken: 100% read errors per record read (1 error, 0 records); policy quality.max_error_share = 0.1%"
        );
    }

    #[test]
    fn forbidden_categories_per_stage() {
        let rows = [
            with_category(row("books", Some("pretrain"), 12), "non_commercial"),
            with_category(row("books", Some("pretrain"), 1), "non_commercial"),
            with_category(row("books", Some("finetune"), 7), "non_commercial"),
            with_category(row("img", None, 0), "no_derivatives"),
            with_category(row("odd", Some("rlhf"), 1), "no_derivatives"),
        ];
        let p = fail_on(&[
            "license.forbid.pretrain=non_commercial",
            "license.forbid.unknown=no_derivatives",
        ]);
        let v = evaluate(&p, &rows);
        let got: Vec<&str> = v.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "source books, stage pretrain: 2 files (13 records) under license category non_commercial, which policy license.forbid.pretrain forbids",
                "source img, stage unknown: 1 file (0 records) under license category no_derivatives, which policy license.forbid.unknown forbids",
                "source odd, stage unknown: 1 file (1 record) under license category no_derivatives, which policy license.forbid.unknown forbids",
            ]
        );
        assert_eq!(v[0].stage.as_deref(), Some("pretrain"));
        assert_eq!(
            v[0].figure,
            Figure::Category {
                category: "non_commercial".into(),
                files: 2,
                records: 13
            }
        );
    }

    #[test]
    fn violations_are_ordered_and_serialise() {
        let rows = [
            with_errors(with_pii(row("z", Some("pretrain"), 10), 5), 5),
            with_category(
                with_pii(row("a", Some("pretrain"), 10), 5),
                "non_commercial",
            ),
        ];
        let p = fail_on(&[
            "pii.max_record_share=0",
            "quality.max_error_share=0",
            "license.forbid.pretrain=non_commercial",
        ]);
        let v = evaluate(&p, &rows);
        let order: Vec<(&str, &str)> = v
            .iter()
            .map(|v| (v.source.as_str(), v.rule.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("a", "license.forbid.pretrain"),
                ("a", "pii.max_record_share"),
                ("z", "pii.max_record_share"),
                ("z", "quality.max_error_share"),
            ]
        );
        let json = serde_json::to_value(&v[0]).unwrap();
        assert_eq!(json["figure"]["files"], 1);
        assert_eq!(json["threshold"][0], "non_commercial");
        assert!(evaluate(&Policy::default(), &rows).is_empty());
    }

    #[test]
    fn gates_a_real_audit() {
        let rows = AuditDir::new(testdata::old()).rows().unwrap();
        let p = fail_on(&[
            "license.forbid.pretrain=non_commercial",
            "quality.max_error_share=0.1",
        ]);
        let v = evaluate(&p, &rows);
        let got: Vec<(&str, &str)> = v
            .iter()
            .map(|v| (v.source.as_str(), v.rule.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("preference", "license.forbid.pretrain"),
                ("sft-demo", "quality.max_error_share"),
            ]
        );
    }
}
