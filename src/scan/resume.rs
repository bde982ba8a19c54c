//! `scan --resume`: leave an audit directory that is already finished alone.
//!
//! A job of a thousand shards that lost twelve to a spot-instance reclaim is rerun as a
//! whole; each shard that already wrote its audit must then cost a file read, not a
//! rescan. "Finished" means more than "summary.json exists": the summary must be this
//! request's (same roots, shard, rules, options and policy) and every output must
//! still hash to what it recorded, so a half-copied or edited directory is scanned
//! again rather than trusted. And the data must still list the same (the listing's
//! SHA-256 over paths, sizes and times): a run folder reused next month after the
//! data changed is scanned again instead of keeping last month's shards.

use super::{Listed, ScanError, ScanOptions};
use crate::contract::{AuditDir, SUMMARY_JSON, Summary};

/// A finished audit that `--resume` keeps.
#[derive(Debug)]
pub struct Completed {
    /// The kept audit's id.
    pub audit_id: String,
    /// Files with read errors in the kept audit (for the exit code).
    pub files_with_errors: u64,
    /// Policy violations in the kept audit (for the exit code).
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
    /// When the check listed the roots, the listing is handed on to the scan.
    Scan(Option<String>, Option<Listed>),
}

/// Why a kept audit is not this request's finished audit, with the listing when the
/// check got as far as making one (boxed: the answer travels through every `?`).
struct NotFinished {
    why: String,
    listed: Option<Box<Listed>>,
}

impl From<String> for NotFinished {
    fn from(why: String) -> Self {
        NotFinished { why, listed: None }
    }
}

impl From<&str> for NotFinished {
    fn from(why: &str) -> Self {
        why.to_string().into()
    }
}

/// Looks at `options.out`. Only an unusable request (invalid rules) is an error.
pub fn check(options: &ScanOptions) -> Result<Resume, ScanError> {
    check_at(options, &options.out)
}

/// [`check`] of the audit kept at `audit` (a downloaded copy, when `--out` is an
/// object-store prefix). The roots are listed as the scan would list them, so the
/// listing can be handed on to it.
pub fn check_at(options: &ScanOptions, audit: &std::path::Path) -> Result<Resume, ScanError> {
    let audit = AuditDir::new(audit);
    let Ok(text) = audit.summary_text() else {
        return Ok(Resume::Scan(None, None));
    };
    // The safety lexicons and evaluation sets are part of the rules hash the kept
    // audit must match, so the scan's own constructor builds them.
    let detectors = options.detectors()?;
    let basis = options.basis(&detectors);
    let (rules, config_hash) = (basis.rules_hash, basis.config_hash);
    Ok(
        match mismatch(options, &audit, &text, &rules, &config_hash) {
            Ok(completed) => Resume::Complete(completed),
            Err(not) => Resume::Scan(Some(not.why), not.listed.map(|l| *l)),
        },
    )
}

fn mismatch(
    options: &ScanOptions,
    audit: &AuditDir,
    text: &str,
    rules: &str,
    config_hash: &str,
) -> Result<Completed, NotFinished> {
    let summary = Summary::parse(&audit.file(SUMMARY_JSON), text)
        .map_err(|e| format!("its summary.json is unreadable: {e}"))?;
    summary
        .check_made_with(rules, config_hash)
        .map_err(|e| e.to_string())?;
    let roots: Vec<String> = options
        .roots
        .iter()
        .map(|r| crate::discover::root_text(r))
        .collect();
    if summary.roots != roots {
        return Err("it audits other roots".into());
    }
    let recorded_shard = summary.shard.as_ref().map(|s| s.spec.as_str());
    let shard = options.shard.map(|s| s.to_string());
    if recorded_shard != shard.as_deref() {
        let why = match recorded_shard {
            Some(spec) => format!("it is shard {spec}"),
            None => "it is not a shard audit".into(),
        };
        return Err(why.into());
    }
    let recorded_policy = summary.policy.as_ref().map(|p| &p.policy);
    if recorded_policy != options.policy.as_ref() {
        return Err("it was checked against another policy".into());
    }
    crate::audit::integrity::recorded_outputs_intact(audit.path(), &summary)?;
    same_listing(options, &summary)?;
    Ok(Completed {
        audit_id: summary.audit_id.clone(),
        files_with_errors: summary.totals.files_with_errors,
        violations: summary.policy.as_ref().map_or(0, |p| p.violations.len()),
        summary_json: text.to_string(),
    })
}

/// The roots list as they did when the audit was written (checked last: it lists them,
/// unless a plan already did). A listing that differs goes with the answer, for the scan.
fn same_listing(options: &ScanOptions, summary: &Summary) -> Result<(), NotFinished> {
    let recorded = summary
        .listing_sha256
        .as_deref()
        .or(summary.shard.as_ref().map(|s| s.listing_sha256.as_str()))
        .ok_or("it records no listing hash (an older provaudit wrote it), so whether the data changed is unknown")?;
    let current =
        Listed::now(options).map_err(|e| format!("the roots could not be listed again ({e})"))?;
    if current.sha256() != recorded {
        return Err(NotFinished {
            why: "the data changed since it was written: files were added, removed, \
                  resized or modified (the listing's SHA-256 differs)"
                .into(),
            listed: Some(Box::new(current)),
        });
    }
    Ok(())
}
