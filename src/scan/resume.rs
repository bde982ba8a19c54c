//! `scan --resume`: leave an audit directory that is already finished alone.
//!
//! A job of a thousand shards that lost twelve to a spot-instance reclaim is rerun as a
//! whole; each shard that already wrote its audit must then cost a file read, not a
//! rescan. "Finished" means more than "summary.json exists": the summary must be this
//! request's (same roots, shard, rules, options and policy) and every output must
//! still hash to what it recorded, so a half-copied or edited directory is scanned
//! again rather than trusted.

use super::{ScanError, ScanOptions, effective_options, rules_hash};
use crate::analyze::Detectors;
use crate::ledger;

/// A finished audit that `--resume` keeps.
#[derive(Debug)]
pub struct Completed {
    pub audit_id: String,
    pub files_with_errors: u64,
    pub violations: usize,
    /// `summary.json` as written, for `--json`.
    pub summary_json: String,
}

/// What `--resume` found in the output directory.
#[derive(Debug)]
pub enum Resume {
    /// A finished audit of the same request: nothing to do.
    Complete(Completed),
    /// Nothing finished there, or something else: scan, and say why when it is the latter.
    Scan(Option<String>),
}

/// Looks at `options.out`. Only an unusable request (invalid rules) is an error.
pub fn check(options: &ScanOptions) -> Result<Resume, ScanError> {
    let path = options.out.join(ledger::SUMMARY_JSON);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Resume::Scan(None));
    };
    let detectors = Detectors::with_config(&options.config)?;
    let rules = rules_hash(&detectors);
    let (_, config_hash) = effective_options(options);
    Ok(match mismatch(options, &text, &rules, &config_hash) {
        Ok(completed) => Resume::Complete(completed),
        Err(why) => Resume::Scan(Some(why)),
    })
}

fn mismatch(
    options: &ScanOptions,
    text: &str,
    rules: &str,
    config_hash: &str,
) -> Result<Completed, String> {
    let summary: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("its summary.json is unreadable: {e}"))?;
    if summary["rules_hash"].as_str() != Some(rules) {
        return Err("it was made with other rules or another provaudit version".into());
    }
    if summary["config_hash"].as_str() != Some(config_hash) {
        return Err("it was made with other options".into());
    }
    let roots: Vec<String> = options
        .roots
        .iter()
        .map(|r| r.display().to_string())
        .collect();
    if summary["roots"] != serde_json::json!(roots) {
        return Err("it audits other roots".into());
    }
    let shard = options.shard.map(|s| s.to_string());
    if summary["shard"]["spec"].as_str() != shard.as_deref() {
        return Err(match summary["shard"]["spec"].as_str() {
            Some(spec) => format!("it is shard {spec}"),
            None => "it is not a shard audit".into(),
        });
    }
    let policy = options
        .policy
        .as_ref()
        .and_then(|p| serde_json::to_value(p).ok());
    if summary["policy"].get("policy") != policy.as_ref() {
        return Err("it was checked against another policy".into());
    }
    crate::audit::integrity::recorded_outputs_intact(&options.out, &summary)?;
    Ok(Completed {
        audit_id: summary["audit_id"].as_str().unwrap_or_default().to_string(),
        files_with_errors: summary["totals"]["files_with_errors"]
            .as_u64()
            .unwrap_or_default(),
        violations: summary["policy"]["violations"]
            .as_array()
            .map_or(0, Vec::len),
        summary_json: text.to_string(),
    })
}
