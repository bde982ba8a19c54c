//! Policy gates evaluated on ledger rows: which sources break the thresholds of a
//! [`Policy`] (`--policy`, `--fail-on`; the policy's schema and parsing are in
//! [`crate::config::policy`]).
//!
//! Figures come from the ledger rows, not from `summary.json`, so a gate means the same
//! thing whatever summary shape the audit was written with.

use std::collections::BTreeMap;

use crate::analyze::license::Category;
use crate::config::policy::{Figure, Policy, Threshold, Violation};
use crate::contract::LedgerRow as Row;
use crate::discover::manifest::Stage;
use crate::ledger::summary::PolicyOutcome;

// ---------------------------------------------------------------------------------------
// Evaluation

/// Evaluates the policy on the rows as the ledger has them, so `verify --policy` on the
/// written audit reaches the same verdict.
pub fn check_policy(policy: &Policy, rows: &[Row]) -> PolicyOutcome {
    let mut tally = PolicyTally::new(policy);
    rows.iter().for_each(|r| tally.add(r));
    tally.finish()
}

/// A policy's figures added up one row at a time, so a scan that streams its rows to
/// the ledger checks the policy without holding them: memory follows the sources (and
/// stages and categories, for the forbid rules), not the files. Gives exactly what
/// [`check_policy`] gives on the same rows.
#[derive(Debug)]
pub struct PolicyTally {
    policy: Policy,
    shares: BTreeMap<String, Tally>,
    stages: StageTally,
}

impl PolicyTally {
    /// An empty tally for `policy`.
    pub fn new(policy: &Policy) -> Self {
        PolicyTally {
            policy: policy.clone(),
            shares: BTreeMap::new(),
            stages: StageTally::new(),
        }
    }

    /// Adds one row.
    pub fn add(&mut self, row: &Row) {
        let t = match self.shares.get_mut(&row.source) {
            Some(t) => t,
            None => self.shares.entry(row.source.clone()).or_default(),
        };
        t.records += row.records;
        t.records_with_pii += row.pii.records_with_pii;
        t.errors += row.error_count;
        if row.category() == Category::Unknown {
            t.unknown_license_records += row.records;
        }
        if let Some(safety) = &row.safety {
            t.screened = true;
            t.records_flagged += safety.records_with_hits;
        }
        if !self.policy.license.forbid.is_empty() {
            // A stage outside the known set still gets gated as `unknown`, never skipped.
            let stage = Some(row.stage_or_unknown())
                .filter(Stage::is_known)
                .unwrap_or(Stage::Unknown);
            let key = (row.source.clone(), stage, row.category());
            let (files, records) = self.stages.entry(key).or_default();
            *files += 1;
            *records += row.records;
        }
    }

    /// The violations of the rows added, ordered by source, then rule, then stage, then
    /// category.
    pub fn violations(&self) -> Vec<Violation> {
        let policy = &self.policy;
        let mut out = Vec::new();
        for (source, t) in &self.shares {
            out.extend(share_violations(policy, source, *t));
        }
        out.extend(forbid_violations(policy, &self.stages));
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

    /// The policy with the violations of the rows added.
    pub fn finish(self) -> PolicyOutcome {
        let violations = self.violations();
        PolicyOutcome {
            policy: self.policy,
            violations,
        }
    }
}

/// Per-source tallies every share rule needs, summed over that source's rows.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    records: u64,
    records_with_pii: u64,
    unknown_license_records: u64,
    errors: u64,
    /// Records a risk lexicon flags.
    records_flagged: u64,
    /// Some row of the source was screened: a source never screened breaks no
    /// screening rule.
    screened: bool,
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
    let mut tally = PolicyTally::new(policy);
    rows.iter().for_each(|r| tally.add(r));
    tally.violations()
}

fn figure_key(f: &Figure) -> &str {
    match f {
        Figure::Category { category, .. } => category.as_str(),
        Figure::Share { .. } => "",
    }
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
        (
            SAFETY_RULE,
            policy.safety.max_source_share.filter(|_| t.screened),
            t.records_flagged,
            record_share(t.records_flagged, t.records),
            "of records are flagged by the risk lexicons",
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
    let cited = if rule == SAFETY_RULE {
        SAFETY_CITATION
    } else {
        ""
    };
    format!("source {source}: {shown} {what} ({counts}); policy {rule} = {limit}{cited}")
}

/// The policy key of the per-source screening rule.
pub const SAFETY_RULE: &str = "safety.max_source_share";

/// Where the screening rule's 5% comes from (no clause number: the clause could not be
/// checked against the standard's text; `docs/safety.md`).
const SAFETY_CITATION: &str = " (GB/T 45654-2025, training-data source security: a source whose content is more than 5% illegal or harmful information is not to be used)";

/// Files and records per (source, stage, category), for the forbid rule.
type StageTally = BTreeMap<(String, Stage, Category), (u64, u64)>;

fn forbid_violations(policy: &Policy, tally: &StageTally) -> Vec<Violation> {
    if policy.license.forbid.is_empty() {
        return Vec::new();
    }
    tally
        .iter()
        .filter_map(|((source, stage, category), &(files, records))| {
            let forbidden = policy.license.forbid.get(stage)?;
            forbidden.contains(category).then(|| {
                forbid_violation(
                    source.clone(),
                    stage.clone(),
                    category.clone(),
                    files,
                    records,
                    forbidden,
                )
            })
        })
        .collect()
}

fn forbid_violation(
    source: String,
    stage: Stage,
    category: Category,
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
        stage: Some(stage),
        figure: Figure::Category {
            category,
            files,
            records,
        },
        threshold: Threshold::Forbidden(forbidden.to_vec()),
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
            stage: stage.map(Stage::from),
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
        assert_eq!(v[0].stage, Some(Stage::Pretrain));
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
