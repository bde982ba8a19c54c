//! The scheduled-audit commands: `verify`, `prove` and `diff`, and the policy flags
//! `scan` and `verify` share. Each reads audit directories only; `verify` also walks
//! the data again unless told `--ledger-only`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{exit, output};
use crate::audit::integrity::{self, DataCheck, Proof};
use crate::audit::{diff, rehash};
use crate::config::policy::{Policy, Violation};
use crate::contract::{AuditDir, SUMMARY_JSON};

/// `--policy FILE` and `--fail-on RULE=VALUE`, on `scan` and `verify`.
#[derive(Debug, Args, Default)]
pub struct PolicyArgs {
    /// A policy.toml of gates ([pii] max_record_share, [license] forbid and
    /// max_unknown_share, [quality] max_error_share); a broken gate exits with 3.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// A gate on the command line, over the policy file's: e.g.
    /// `pii.max_record_share=0.01`, `license.forbid.pretrain=non_commercial`. Repeatable.
    #[arg(long, value_name = "RULE=VALUE")]
    pub fail_on: Vec<String>,
}

impl PolicyArgs {
    /// The merged policy, or `None` when neither flag was given.
    pub fn load(&self) -> Result<Option<Policy>, crate::config::policy::PolicyError> {
        if self.policy.is_none() && self.fail_on.is_empty() {
            return Ok(None);
        }
        let file = match &self.policy {
            Some(path) => Policy::load(path)?,
            None => Policy::default(),
        };
        Ok(Some(file.merge(Policy::parse_fail_on(&self.fail_on)?)))
    }
}

/// Prints each violation with its figure and threshold, on stderr.
pub fn print_violations(violations: &[Violation]) {
    for v in violations {
        eprintln!("policy violation: {}", v.message);
    }
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// An audit directory written by `provaudit scan`.
    #[arg(value_name = "AUDIT_DIR")]
    pub audit: PathBuf,

    /// Check the ledger and outputs against summary.json only; do not re-hash the data.
    #[arg(long)]
    pub ledger_only: bool,

    /// Check an inclusion proof written by `provaudit prove` against this audit.
    #[arg(long, value_name = "PROOF_FILE")]
    pub proof: Option<PathBuf>,

    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Print the result as JSON on stdout (and no progress on stderr).
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub progress: super::logs::ProgressArgs,
}

#[derive(Debug, Args)]
pub struct ProveArgs {
    /// An audit directory written by `provaudit scan`.
    #[arg(value_name = "AUDIT_DIR")]
    pub audit: PathBuf,

    /// The file, as its ledger row names it (`path`, or `root/path`).
    #[arg(value_name = "PATH")]
    pub path: String,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier audit directory.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The later audit directory.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Print the difference as JSON on stdout.
    #[arg(long)]
    pub json: bool,

    /// Exit with 1 when the audits differ (files added, removed or changed, or a
    /// source's figures moved) and 0 when they do not, as `git diff --exit-code`.
    /// Without it `diff` exits 0 whenever it could compare.
    #[arg(long)]
    pub exit_code: bool,
}

/// Everything `verify` found, for `--json` and the exit code.
#[derive(Debug, serde::Serialize)]
struct Verification {
    ledger: integrity::LedgerCheck,
    outputs: Vec<integrity::OutputMismatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<DataCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proof: Option<Result<(), String>>,
    violations: Vec<Violation>,
}

impl Verification {
    fn matches(&self) -> bool {
        self.ledger.is_ok()
            && self.outputs.is_empty()
            && self.data.as_ref().is_none_or(DataCheck::is_clean)
            && self.proof.as_ref().is_none_or(Result::is_ok)
    }
}

pub fn run_verify(args: &VerifyArgs) -> ExitCode {
    match verify(args) {
        Ok(v) => {
            if args.json {
                output::json("the result", &v);
            } else {
                output::emit("the result", |w| print_verification(w, &v, args));
            }
            print_violations(&v.violations);
            ExitCode::from(if !v.violations.is_empty() {
                exit::POLICY
            } else if v.matches() {
                exit::OK
            } else {
                exit::MISMATCH
            })
        }
        Err(e) => {
            eprintln!("provaudit: {e:#}");
            ExitCode::from(exit::USAGE)
        }
    }
}

fn verify(args: &VerifyArgs) -> anyhow::Result<Verification> {
    let dir = &args.audit;
    let policy = args.policy.load()?;
    let ledger = integrity::check_ledger(dir)?;
    let audit = AuditDir::new(dir);
    let summary_path = audit.file(SUMMARY_JSON);
    let summary = audit.summary()?;
    let outputs = integrity::check_outputs(dir, &summary.outputs);
    let needs_rows = !args.ledger_only || policy.is_some();
    let rows = if needs_rows {
        audit.rows()?
    } else {
        Vec::new()
    };
    let data = if args.ledger_only {
        None
    } else {
        let current = rehash::current_files(&summary, dir, args.progress.options(!args.json))?;
        Some(integrity::compare(&rows, &current))
    };
    let proof = args
        .proof
        .as_ref()
        .map(|path| check_proof(path, &summary_path));
    let violations = policy
        .map(|p| crate::audit::policy::evaluate(&p, &rows))
        .unwrap_or_default();
    Ok(Verification {
        ledger,
        outputs,
        data,
        proof,
        violations,
    })
}

fn check_proof(path: &Path, summary: &Path) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let proof: Proof = serde_json::from_slice(&text)
        .map_err(|e| format!("{} is not a provaudit proof: {e}", path.display()))?;
    integrity::verify_proof_against_summary(&proof, summary).map_err(|e| e.to_string())
}

fn print_verification(
    w: &mut dyn Write,
    v: &Verification,
    args: &VerifyArgs,
) -> std::io::Result<()> {
    let problems = v.ledger.problems();
    if problems.is_empty() {
        writeln!(
            w,
            "ledger: {} rows, Merkle root {} matches summary.json",
            v.ledger.rows, v.ledger.merkle_root
        )?;
    }
    for p in problems {
        writeln!(w, "ledger: MISMATCH: {p}")?;
    }
    for o in &v.outputs {
        writeln!(w, "output: MISMATCH: {}", o.message)?;
    }
    if let Some(data) = &v.data {
        for c in &data.changed {
            let what: Vec<String> = c.differences.iter().map(describe).collect();
            writeln!(
                w,
                "changed: {}/{} ({})",
                c.file.root,
                c.file.path,
                what.join(", ")
            )?;
        }
        for m in &data.missing {
            writeln!(w, "missing: {}/{}", m.root, m.path)?;
        }
        for n in &data.new {
            writeln!(w, "new:     {}/{}", n.root, n.path)?;
        }
        if data.is_clean() {
            writeln!(w, "data: {} files match their ledger rows", data.compared)?;
        }
    }
    match &v.proof {
        Some(Ok(())) => writeln!(w, "proof: the row is in this audit")?,
        Some(Err(e)) => writeln!(w, "proof: INVALID: {e}")?,
        None => {}
    }
    let verdict = if v.matches() {
        "verified"
    } else {
        "NOT verified"
    };
    writeln!(w, "{}: {verdict}", args.audit.display())
}

fn describe(d: &integrity::Difference) -> String {
    match d {
        integrity::Difference::Sha256 { .. } => "content (SHA-256) differs".to_string(),
        integrity::Difference::Bytes { ledger, current } => format!("{ledger} → {current} bytes"),
    }
}

pub fn run_prove(args: &ProveArgs) -> ExitCode {
    match integrity::prove(&args.audit, &args.path) {
        Ok(proof) => ExitCode::from(if output::json("the proof", &proof) {
            exit::USAGE
        } else {
            exit::OK
        }),
        Err(e) => {
            eprintln!("provaudit: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

pub fn run_diff(args: &DiffArgs) -> ExitCode {
    match diff::diff(&args.old, &args.new) {
        Ok(d) => {
            if args.json {
                output::json("the diff", &d);
            } else {
                output::emit("the diff", |w| {
                    w.write_all(diff::render_text(&d).as_bytes())
                });
            }
            ExitCode::from(if args.exit_code && !d.is_empty() {
                exit::DIFFERENCES
            } else {
                exit::OK
            })
        }
        Err(e) => {
            eprintln!("provaudit: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}
