//! The command line: argument parsing and the human-facing summary. The binary's
//! `main` only calls [`main`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::formats::{ReadOptions, TextUnit};
use crate::ledger::ScanOutcome;
use crate::ledger::findings::FindingsMode;
use crate::report;
use crate::scan::{self, ScanOptions};

/// Exit codes, stable for scripts and schedulers.
pub mod exit {
    /// Everything read cleanly.
    pub const OK: u8 = 0;
    /// The audit was written, but some files had read errors (`partial` or `error`).
    pub const FILE_ERRORS: u8 = 1;
    /// `verify`: the ledger, an output, the data or a proof does not match the audit.
    pub const MISMATCH: u8 = 1;
    /// `diff --exit-code`: the two audits differ.
    pub const DIFFERENCES: u8 = 1;
    /// The request was unusable (bad arguments, missing root, invalid manifest) or the
    /// outputs could not be written.
    pub const USAGE: u8 = 2;
    /// A policy gate (`--policy`, `--fail-on`) is broken.
    pub const POLICY: u8 = 3;
}

mod audit;
mod eval;
mod findings;
mod generate;
mod logs;
mod output;
mod plan;
mod remote_io;
mod review;
pub(crate) mod size;

#[derive(Debug, Parser)]
#[command(
    name = "provaudit",
    version,
    about = "Audit AI training data: provenance ledger, content statistics and disclosure facts in one pass",
    long_about = None,
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan dataset roots and write the audit: ledger.jsonl, ledger.parquet, summary.json,
    /// findings.jsonl, fingerprints.bin and the disclosure report.
    ///
    /// Exit codes: 0 all files read cleanly; 1 some files had read errors (every
    /// output is still written); 2 unusable arguments, a missing root, an invalid
    /// provenance.toml, config or policy, or outputs that could not be written; 3 a
    /// policy gate is broken (takes precedence over 1).
    Scan(Box<ScanArgs>),

    /// Write the disclosure report from an audit directory: disclosure.md, .html,
    /// .json, .spdx.json and .croissant.json. Reads only summary.json, ledger.jsonl and findings.jsonl,
    /// never the data.
    ///
    /// Exit codes: 0 written; 2 the audit directory is missing or unreadable, or the
    /// report could not be written.
    Report(ReportArgs),

    /// Check an audit: the ledger against its Merkle root, the outputs against their
    /// recorded hashes, and (unless --ledger-only) the data against the ledger, listing
    /// changed, missing and new files.
    ///
    /// Exit codes: 0 everything matches; 1 something does not; 2 unusable arguments
    /// or an unreadable audit; 3 a policy gate is broken.
    Verify(audit::VerifyArgs),

    /// Print an inclusion proof (JSON) that one file's row is in an audit, checkable
    /// with `verify --proof` without the rest of the ledger.
    Prove(audit::ProveArgs),

    /// What changed between two audits: added, removed and changed files, and every
    /// headline figure per source.
    ///
    /// Exit codes: 0 compared (with --exit-code: no differences); 1 with --exit-code,
    /// the audits differ; 2 an audit directory is missing or unreadable.
    Diff(audit::DiffArgs),

    /// List the roots once and write a plan for N shards: plan.json (roots, listing
    /// options, the listing's SHA-256) and one file list per shard, which
    /// `scan --plan PLAN --shard I/N` reads instead of listing the roots again.
    ///
    /// Exit codes: 0 written; 2 unusable arguments, a missing or unlistable root, or a
    /// plan that could not be written.
    Plan(plan::PlanArgs),

    /// Combine the audits of `scan --shard I/N` (all N of them) into one audit: the
    /// ledger, findings, fingerprints and Merkle root an unsharded scan would have
    /// written, with scan-level duplicates recounted exactly across shards. Never reads
    /// the data.
    ///
    /// Exit codes: 0 merged; 1 merged, but some files had read errors; 2 the shards are
    /// missing, incomplete, altered or from different jobs (the message names which),
    /// or the output could not be written; 3 a policy gate is broken.
    Merge(MergeArgs),

    /// Measure the PII detector on labelled text: precision, recall and F1 per type and
    /// per directory. Each DIR holds corpus.jsonl ({"id", "text"}) and labels.jsonl
    /// ({"id", "spans": [{"type", "start", "end"}]}, code-point offsets, end
    /// exclusive). A detection is a true positive when it overlaps a labelled span of
    /// the same type; a labelled span no such detection overlaps is a miss. Prints
    /// counts only, never a value.
    ///
    /// Exit codes: 0 measured; 2 unusable arguments, config or labelled files (the
    /// message names the file and line).
    EvalPii(eval::EvalPiiArgs),

    /// Write commented templates (Chinese and English) of provenance.toml and
    /// provaudit.toml into DIR: every key a filing asks for, commented out, so an
    /// untouched template declares nothing. Never overwrites an existing file.
    ///
    /// Exit codes: 0 written; 2 a file exists already or cannot be written.
    Init(InitArgs),

    /// Draw a reproducible random sample of records from an audit for manual review
    /// (GB/T 45654-2025: at least 4,000 items): sample.jsonl (personal information
    /// masked, risk lexicon hits marked by category and term id), sample.json (seed,
    /// strata, Merkle root, record ids, hash) and review.html, a self-contained review
    /// page. Re-reads only the files holding a drawn record.
    ///
    /// Exit codes: 0 written; 2 unusable options, an unreadable audit, data changed
    /// since the audit, or outputs that could not be written.
    Sample(review::SampleArgs),

    /// Record a manual review: checks verdicts.json (exported from review.html) against
    /// the audit's sample and writes review.json (pass rate per source and overall with
    /// 95% Wilson intervals, counts per category, lexicon hits within the sample,
    /// reviewer, date) into the audit directory, its hash in summary.json.
    ///
    /// Exit codes: 0 recorded; 2 the verdicts do not match the sample (the message
    /// says why) or the audit is unreadable; nothing is written then.
    Review(review::ReviewArgs),

    /// Print an audit's findings: as findings.jsonl holds them, as CSV, or as SARIF
    /// 2.1.0 (personal information and secrets in source-code files, with line
    /// numbers) for code-scanning dashboards. Values are always the masked ones.
    ///
    /// Exit codes: 0 printed; 2 the audit directory is missing or unreadable.
    Findings(findings::FindingsArgs),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(generate::CompletionsArgs),

    /// Print the manual page provaudit(1) in roff, or write one page per command
    /// with --out DIR.
    Man(generate::ManArgs),
}

impl Command {
    /// The audit directories the command reads, refused up front with one message
    /// when one is not an audit at all (see [`crate::contract::AuditDir::require`]).
    fn audit_inputs(&self) -> Vec<&std::path::Path> {
        match self {
            Command::Report(a) => vec![a.audit.as_path()],
            Command::Verify(a) => vec![a.audit.as_path()],
            Command::Prove(a) => vec![a.audit.as_path()],
            Command::Diff(a) => vec![a.old.as_path(), a.new.as_path()],
            // Object-store prefixes are checked after their download.
            Command::Merge(a) => a
                .shards
                .iter()
                .map(PathBuf::as_path)
                .filter(|p| !crate::remote::is_remote(&p.to_string_lossy()))
                .collect(),
            Command::Sample(a) => vec![a.audit.as_path()],
            Command::Review(a) => vec![a.audit.as_path()],
            Command::Findings(a) => vec![a.audit.as_path()],
            Command::Scan(_)
            | Command::EvalPii(_)
            | Command::Init(_)
            | Command::Plan(_)
            | Command::Completions(_)
            | Command::Man(_) => Vec::new(),
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The source directory to describe (created when missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// The shard audits, one per shard, in any order: directories or object-store
    /// prefixes (downloaded first; a prefix without summary.json is refused).
    #[arg(required = true, value_name = "SHARD_DIR|URL")]
    pub shards: Vec<PathBuf>,

    /// Directory for the merged audit, or an object-store prefix (written to
    /// --staging, then uploaded with summary.json last).
    #[arg(long, short, default_value = "provaudit-out", value_name = "DIR|URL")]
    pub out: PathBuf,

    /// With an object-store --out: the local folder the merged audit is written to
    /// before it is uploaded (default: a temporary folder).
    #[arg(long, value_name = "DIR")]
    pub staging: Option<PathBuf>,

    #[command(flatten)]
    pub remote: remote_io::RemoteArgs,

    /// No summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,

    /// Print the merged summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub policy: audit::PolicyArgs,

    /// Do not write the disclosure report.
    #[arg(long)]
    pub no_report: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// An audit directory written by `provaudit scan`.
    #[arg(value_name = "AUDIT_DIR")]
    pub audit: PathBuf,

    /// Formats to write, comma-separated: md, html, json, spdx, croissant.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "md,html,json,spdx,croissant"
    )]
    pub format: Vec<report::Format>,

    /// Language of the Markdown and HTML reports: zh, en, or both (HTML then has a
    /// switch). JSON and SPDX carry language-neutral keys.
    #[arg(long, default_value = "both")]
    pub lang: report::Lang,

    /// Where to write the report (default: the audit directory).
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// A TOML file whose `[report.checks]` sets the per-source thresholds.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// A `provaudit.toml` declaring the provider and the model (docs/manifest.md):
    /// the filing checklists (section 11) quote it; without it those items read
    /// "not declared".
    #[arg(long, value_name = "FILE")]
    pub provider: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Dataset roots: directories, single files, or object-store URLs (s3://bucket/prefix,
    /// gs://, az://, abfs://, or http(s):// to one file or a WebDAV listing). With
    /// --plan, the plan's roots (given or not).
    #[arg(required_unless_present = "plan", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Directory for the audit outputs (created if missing; never scanned itself), or an
    /// object-store prefix (s3://bucket/audits/x, gs://, az://): written to --staging,
    /// then uploaded with summary.json last.
    #[arg(long, short, default_value = "provaudit-out", value_name = "DIR|URL")]
    pub out: PathBuf,

    #[command(flatten)]
    pub listing: plan::ListingArgs,

    /// How text and Markdown files are cut into records (as the Hugging Face `text`
    /// loader): every line, blank-line-separated paragraphs, or the whole file.
    #[arg(long, value_enum, default_value_t = TextUnit::Line)]
    pub text_unit: TextUnit,

    /// Records larger than this many bytes are reported as errors and skipped, which
    /// keeps memory bounded on pathological input.
    #[arg(long, default_value = "32MiB", value_name = "BYTES", value_parser = size::parse_bytes_usize)]
    pub max_record_bytes: usize,

    /// A compressed file (.gz, .zst) may decompress to at most RATIO times its own
    /// size, and never less than 64 MiB; beyond that (a decompression bomb) it gets an
    /// error row and the scan goes on.
    #[arg(long, default_value_t = crate::formats::DEFAULT_MAX_EXPANSION, value_name = "RATIO")]
    pub max_expansion: u64,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Uncompressed JSONL and text files larger than this are split into byte ranges
    /// read in parallel (0 never splits). Default: a file is split only when it is
    /// over half of one thread's share of the scan, into ranges of at least 64 MiB
    /// (a split file is read twice: once more for its SHA-256). Does not change any
    /// output.
    #[arg(long, value_name = "BYTES", value_parser = size::parse_bytes)]
    pub chunk_bytes: Option<u64>,

    /// Which findings go to findings.jsonl: none, a sample (the first N per file and
    /// type, see --findings-sample), or all. Values are always masked.
    #[arg(long, value_enum, default_value_t = FindingsArg::Sample)]
    pub findings: FindingsArg,

    /// Findings kept per file and type with `--findings sample`.
    #[arg(long, default_value_t = scan::DEFAULT_FINDINGS_SAMPLE, value_name = "N")]
    pub findings_sample: usize,

    /// A TOML file with user PII rules (`[pii] disable = [...]`, `[[pii.rules]]`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// A risk lexicon (file, or a directory of *.txt and *.toml lexicons) to screen
    /// every text field with, per GB/T 45654-2025 category (docs/safety.md); repeatable,
    /// added to the config's `[safety] lexicons`. Turns on the per-source 5% rule.
    #[arg(long, value_name = "DIR|FILE")]
    pub safety_lexicon: Vec<PathBuf>,

    /// No progress bar and no summary on stderr/stdout.
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub progress: logs::ProgressArgs,

    /// Print the summary as JSON on stdout instead of the human summary.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub policy: audit::PolicyArgs,

    /// A prior audit directory: files whose path, size and modification time match
    /// their row there keep that row instead of being read again (when the prior audit
    /// used the same rules and options). The outputs equal a full scan's.
    #[arg(long, value_name = "PRIOR_AUDIT_DIR")]
    pub baseline: Option<PathBuf>,

    /// With --baseline, also compare each file's SHA-256 before reusing its row.
    #[arg(long, requires = "baseline")]
    pub rehash: bool,

    /// Do not write the disclosure report (disclosure.md, .html, .json) at the end;
    /// `provaudit report` can write it later from the same outputs.
    #[arg(long)]
    pub no_report: bool,

    /// Scan only shard I of N (0-based): the files whose root position and path hash to
    /// I. Each shard writes a complete audit; `provaudit merge` combines all N.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::discover::shard::Shard>,

    /// A plan written by `provaudit plan` (with --shard I/N): scan the shard's file list
    /// from it instead of listing the roots; the audit equals `--shard I/N`'s over
    /// the plan's listing.
    #[arg(long, value_name = "PLAN_DIR", requires = "shard")]
    pub plan: Option<PathBuf>,

    #[command(flatten)]
    pub remote: remote_io::RemoteArgs,

    /// With an object-store --out: the local folder the audit is written to before it
    /// is uploaded (default: a temporary folder, removed after the upload).
    #[arg(long, value_name = "DIR")]
    pub staging: Option<PathBuf>,

    /// When --out already holds a finished audit of the same roots, shard, rules,
    /// options and policy, whose outputs still match their hashes, keep it and exit
    /// with its status instead of scanning again: a failed many-shard job is rerun as a
    /// whole and only the unfinished shards do work.
    #[arg(long)]
    pub resume: bool,

    /// Also find near-duplicate records (MinHash-LSH over word 5-grams, CJK character
    /// 5-grams): ledger column `near_duplicates`, near_duplicates.parquet, summary and
    /// report figures. Parameters from --config's [near_duplicates] (README). Reads
    /// every file (no --baseline reuse).
    #[arg(long)]
    pub near_duplicates: bool,

    /// Evaluation items to look for in the training records (benchmark contamination):
    /// a JSONL, JSON, CSV or Parquet file (one benchmark, named by its stem) or a
    /// directory of them (a benchmarks.toml there names benchmarks). Repeatable, added
    /// to the config's `[contamination] eval_sets`. Shared 13-word (20 CJK character)
    /// n-grams: ledger column `contamination`, findings, summary and report figures.
    #[arg(long, value_name = "DIR|FILE")]
    pub eval_sets: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FindingsArg {
    None,
    Sample,
    All,
}

impl ScanArgs {
    pub fn to_options(&self) -> anyhow::Result<ScanOptions> {
        let mut options = ScanOptions::new(self.paths.clone(), self.out.clone());
        self.listing.options().apply(&mut options.discover);
        options.read = ReadOptions {
            text_unit: self.text_unit,
            max_record_bytes: self.max_record_bytes.max(1),
            max_expansion: self.max_expansion.max(1),
        };
        let threads = self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        options
            .read
            .check_memory(threads)
            .map_err(anyhow::Error::msg)?;
        options.chunk_bytes = self.chunk_bytes;
        options.threads = self.threads;
        options.progress = self.progress.options(!self.quiet && !self.json);
        options.findings = match self.findings {
            FindingsArg::None => FindingsMode::None,
            FindingsArg::Sample => FindingsMode::Sample(self.findings_sample),
            FindingsArg::All => FindingsMode::All,
        };
        if let Some(path) = &self.config {
            options.config = std::sync::Arc::new(crate::config::Config::load(path)?);
        }
        options.policy = self.policy.load()?;
        options.baseline = self.baseline.clone();
        options.rehash = self.rehash;
        options.shard = self.shard;
        self.remote.apply(&mut options.discover.remote);
        if let Some(dir) = &self.plan {
            plan::use_plan(dir, &mut options)?;
        }
        options.report = (!self.no_report).then(|| options.config.report.checks.clone());
        options.near_duplicates = self
            .near_duplicates
            .then(|| options.config.near_duplicates.unwrap_or_default());
        self.load_safety(&mut options)?;
        self.load_eval_sets(&mut options)?;
        Ok(options)
    }

    /// Reads the evaluation sets (config's, then `--eval-sets`') into the index the
    /// scan checks records against.
    fn load_eval_sets(&self, options: &mut ScanOptions) -> anyhow::Result<()> {
        let config = &options.config.contamination;
        let paths: Vec<PathBuf> = config
            .eval_sets
            .iter()
            .chain(&self.eval_sets)
            .cloned()
            .collect();
        if paths.is_empty() {
            return Ok(());
        }
        let sets = crate::analyze::contamination::load::load(&paths, &options.read)?;
        let index = crate::analyze::contamination::EvalIndex::new(config.params(), sets);
        options.eval_sets = Some(std::sync::Arc::new(index));
        Ok(())
    }

    /// Loads the lexicons (config's, then `--safety-lexicon`'s) and, when there are any,
    /// gives the policy its per-source screening limit unless it sets one.
    fn load_safety(&self, options: &mut ScanOptions) -> anyhow::Result<()> {
        let safety = &options.config.safety;
        let paths: Vec<PathBuf> = safety
            .lexicons
            .iter()
            .chain(&self.safety_lexicon)
            .cloned()
            .collect();
        if paths.is_empty() {
            return Ok(());
        }
        let mut lexicons = Vec::new();
        for path in &paths {
            lexicons.extend(crate::analyze::safety::lexicon::load(path)?);
        }
        let screen = crate::analyze::safety::SafetyScreen::new(lexicons)?;
        let max = safety
            .max_source_share
            .unwrap_or(crate::analyze::safety::STANDARD_MAX_SOURCE_SHARE);
        let policy = options.policy.get_or_insert_with(Default::default);
        policy.safety.max_source_share.get_or_insert(max);
        options.safety = Some(std::sync::Arc::new(screen));
        Ok(())
    }
}

/// Parses arguments, runs the command and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    install_quiet_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    for dir in cli.command.audit_inputs() {
        if let Err(e) = crate::contract::AuditDir::new(dir).require() {
            eprintln!("provaudit: {e}");
            return ExitCode::from(exit::USAGE);
        }
    }
    match cli.command {
        Command::Scan(args) => run_scan(&args),
        Command::Report(args) => run_report(&args),
        Command::Init(args) => print_written(crate::discover::init::write_templates(&args.dir)),
        Command::Verify(args) => audit::run_verify(&args),
        Command::Prove(args) => audit::run_prove(&args),
        Command::Diff(args) => audit::run_diff(&args),
        Command::Merge(args) => run_merge(&args),
        Command::Plan(args) => plan::run_plan(&args),
        Command::EvalPii(args) => eval::run_eval_pii(&args),
        Command::Sample(args) => review::run_sample(&args),
        Command::Review(args) => review::run_review(&args),
        Command::Findings(args) => findings::run_findings(&args),
        Command::Completions(args) => generate::run_completions(&args),
        Command::Man(args) => generate::run_man(&args),
    }
}

/// Where a scan or merge writes: `out` itself, or a staging folder uploaded to `out`,
/// refused (exit 2, said on stderr) when it overlaps what is read (`above_too`: also
/// when it contains an input, as a scan's roots must not).
fn output_for(
    out: &Path,
    staging: Option<&Path>,
    inputs: &[PathBuf],
    above_too: bool,
) -> Result<remote_io::Output, ExitCode> {
    remote_io::Output::new(out, staging)
        .and_then(|o| crate::contract::refuse_overlap(o.local(), inputs, above_too).map(|()| o))
        .map_err(|e| {
            eprintln!("provaudit: {e}");
            ExitCode::from(exit::USAGE)
        })
}

fn run_scan(args: &ScanArgs) -> ExitCode {
    let mut options = match args.to_options() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("provaudit: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let output = match output_for(&args.out, args.staging.as_deref(), &options.roots, true) {
        Ok(output) => output,
        Err(code) => return code,
    };
    options.out = output.local().to_path_buf();
    // Kept alive until the scan has read it.
    let baseline = fetch_baseline(&mut options);
    let mut listed = None;
    if args.resume {
        match remote_io::prior_audit(&args.out, &options) {
            Ok(scan::resume::Resume::Complete(done)) => return resumed(args, &done),
            Ok(scan::resume::Resume::Scan(why, relisted)) => {
                if let Some(why) = why {
                    eprintln!(
                        "provaudit: {} is not resumed ({why}); scanning",
                        args.out.display()
                    );
                }
                listed = relisted;
            }
            Err(e) => {
                eprintln!("provaudit: {e}");
                return ExitCode::from(exit::USAGE);
            }
        }
    }
    let outcome = match scan::run_listed(&options, listed) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("provaudit: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    drop(baseline);
    let finish = Finish {
        json: args.json,
        quiet: args.quiet,
    };
    publish_and_finish(
        output,
        &options.discover.remote,
        &outcome,
        &args.out,
        finish,
    )
}

/// Uploads an audit written for an object-store `--out` (nothing to do for a local
/// one), then reports it as [`finish_audit`] does; a failed upload exits with 2.
fn publish_and_finish(
    output: remote_io::Output,
    remote: &crate::remote::RemoteOptions,
    outcome: &ScanOutcome,
    out: &std::path::Path,
    finish: Finish,
) -> ExitCode {
    if let Err(e) = output.publish(remote) {
        eprintln!("provaudit: {e}");
        return ExitCode::from(exit::USAGE);
    }
    finish_audit(outcome, out, finish)
}

/// Downloads an object-store `--baseline` and points the scan at the copy; an
/// unusable one is left out with a note, as an unusable local baseline is.
fn fetch_baseline(options: &mut ScanOptions) -> Option<remote_io::Input> {
    let given = options.baseline.clone()?;
    match remote_io::Input::fetch(&given, &options.discover.remote) {
        Ok(input) => {
            options.baseline = Some(input.path().to_path_buf());
            Some(input)
        }
        Err(e) => {
            eprintln!(
                "provaudit: baseline {} not used ({e}); every file is read",
                given.display()
            );
            options.baseline = None;
            None
        }
    }
}

/// How a finished audit is reported to the user (its disclosure is already written:
/// `summary.json` records the disclosure's hashes).
struct Finish {
    json: bool,
    quiet: bool,
}

/// Prints the summary and violations, and maps the audit to its exit code: shared by
/// `scan` and `merge`, whose outputs are the same kind of audit.
fn finish_audit(outcome: &ScanOutcome, out: &std::path::Path, finish: Finish) -> ExitCode {
    if finish.json {
        output::json("the summary", &outcome.summary);
    } else if !finish.quiet {
        output::emit("the summary", |w| print_summary(w, outcome, out));
    }
    audit::print_violations(outcome.violations());
    ExitCode::from(audit_status(
        outcome.violations().len(),
        outcome.files_with_errors(),
    ))
}

fn audit_status(violations: usize, files_with_errors: u64) -> u8 {
    if violations > 0 {
        exit::POLICY
    } else if files_with_errors > 0 {
        exit::FILE_ERRORS
    } else {
        exit::OK
    }
}

/// `--resume` found the audit finished: say so, print what was asked, and exit with the
/// status the scan that wrote it had.
fn resumed(args: &ScanArgs, done: &scan::resume::Completed) -> ExitCode {
    if args.json {
        output::emit("the summary", |w| write!(w, "{}", done.summary_json));
    } else if !args.quiet {
        output::emit("the summary", |w| {
            writeln!(
                w,
                "provaudit: {} already holds finished audit {} of this request; kept as it is (--resume)",
                args.out.display(),
                done.audit_id
            )
        });
    }
    ExitCode::from(audit_status(done.violations, done.files_with_errors))
}

fn run_merge(args: &MergeArgs) -> ExitCode {
    let policy = match args.policy.load() {
        Ok(policy) => policy,
        Err(e) => {
            eprintln!("provaudit: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let remote = args.remote.options();
    let output = match output_for(&args.out, args.staging.as_deref(), &args.shards, false) {
        Ok(output) => output,
        Err(code) => return code,
    };
    let inputs = match args
        .shards
        .iter()
        .map(|shard| remote_io::Input::fetch(shard, &remote))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(inputs) => inputs,
        Err(e) => {
            eprintln!("provaudit: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let options = crate::audit::merge::MergeOptions {
        shards: inputs.iter().map(|i| i.path().to_path_buf()).collect(),
        out: output.local().to_path_buf(),
        policy,
        report: (!args.no_report).then(|| {
            crate::audit::merge::DisclosureWriter(std::sync::Arc::new(|out, summary| {
                Ok(report::write_for_summary(
                    out,
                    summary,
                    &report::Checks::default(),
                )?)
            }))
        }),
    };
    let outcome = match crate::audit::merge::run(&options) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("provaudit: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    drop(inputs);
    let finish = Finish {
        json: args.json,
        quiet: args.quiet,
    };
    publish_and_finish(output, &remote, &outcome, &args.out, finish)
}

fn run_report(args: &ReportArgs) -> ExitCode {
    let checks = match &args.config {
        Some(path) => match crate::config::Config::load(path) {
            Ok(config) => config.report.checks,
            Err(e) => {
                eprintln!("provaudit: {e}");
                return ExitCode::from(exit::USAGE);
            }
        },
        None => report::Checks::default(),
    };
    let out = args.out.as_ref().unwrap_or(&args.audit);
    if let Err(e) = crate::contract::refuse_url_output(out) {
        eprintln!("provaudit: {e}");
        return ExitCode::from(exit::USAGE);
    }
    let provider = match &args.provider {
        Some(path) => match crate::discover::provider::ProviderDecl::load(path) {
            Ok(decl) => Some(decl),
            Err(e) => {
                eprintln!("provaudit: {e}");
                return ExitCode::from(exit::USAGE);
            }
        },
        None => None,
    };
    print_written(write_report(
        &args.audit,
        out,
        &args.format,
        args.lang,
        &checks,
        provider,
    ))
}

/// The files a verb wrote, one per line on stdout (exit 0), or its error (exit 2).
fn print_written<E: std::fmt::Display>(result: Result<Vec<PathBuf>, E>) -> ExitCode {
    match result {
        Ok(written) => {
            output::paths(&written);
            ExitCode::from(exit::OK)
        }
        Err(e) => {
            eprintln!("provaudit: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

fn write_report(
    audit: &std::path::Path,
    out: &std::path::Path,
    formats: &[report::Format],
    lang: report::Lang,
    checks: &report::Checks,
    provider: Option<crate::discover::provider::ProviderDecl>,
) -> Result<Vec<PathBuf>, report::ReportError> {
    let mut loaded = report::Audit::load(audit)?;
    loaded.provider = provider;
    let disclosure = report::build(&loaded, checks);
    std::fs::create_dir_all(out).map_err(|source| report::ReportError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    let written = report::write_all(&disclosure, formats, lang, out)?;
    if same_dir(audit, out) {
        report::record_rewritten(audit, &written)?;
    }
    Ok(written)
}

fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// How many problem files the human summary lists before pointing at the ledger.
const LISTED_PROBLEMS: usize = ScanOutcome::PROBLEMS_KEPT;

fn print_summary(
    w: &mut dyn Write,
    outcome: &ScanOutcome,
    out: &std::path::Path,
) -> std::io::Result<()> {
    let t = &outcome.summary.totals;
    let c = &t.content;
    writeln!(
        w,
        "provaudit {} · audit {}",
        outcome.summary.tool.version, outcome.summary.audit_id
    )?;
    writeln!(
        w,
        "files      {} ({}) in {:.1}s",
        t.files,
        crate::progress::human_bytes(t.bytes),
        outcome.summary.duration_seconds
    )?;
    writeln!(
        w,
        "status     {}",
        join_counts(t.status.iter().map(|(k, v)| (k.as_str(), *v)))
    )?;
    writeln!(
        w,
        "formats    {}",
        join_counts(t.formats.iter().map(|(k, v)| (k.as_str(), v.files)))
    )?;
    writeln!(
        w,
        "records    {} · {} characters · ~{} tokens (estimate)",
        c.records, c.characters, c.estimated_tokens
    )?;
    writeln!(
        w,
        "kinds      {}",
        join_counts(c.record_kinds.iter().map(|(k, v)| (k.as_str(), *v)))
    )?;
    let mut langs: Vec<_> = c.languages.iter().collect();
    langs.sort_by(|a, b| b.1.characters.cmp(&a.1.characters).then(a.0.cmp(b.0)));
    let total_chars = c.characters.max(1) as f64;
    let lang_text: Vec<String> = langs
        .iter()
        .take(6)
        .map(|(k, v)| format!("{k} {:.1}%", 100.0 * v.characters as f64 / total_chars))
        .collect();
    writeln!(w, "languages  {} (by characters)", lang_text.join(", "))?;
    let d = &t.duplicates;
    writeln!(
        w,
        "duplicates {} within files, {} across the scan ({} after normalisation)",
        d.within_file, d.within_scan, d.normalized_within_scan
    )?;
    let pii: Vec<String> = t
        .pii
        .counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    writeln!(
        w,
        "personal   {} records ({:.2}%){}{}",
        t.pii.records_with_pii,
        100.0 * t.pii.record_share,
        if pii.is_empty() { "" } else { ": " },
        pii.join(", ")
    )?;
    let cats = join_counts(
        t.license_categories
            .iter()
            .map(|(k, v)| (k.as_str(), v.files)),
    );
    writeln!(w, "licenses   {cats} (files by category)")?;
    writeln!(
        w,
        "errors     {} in {} files",
        t.error_count, t.files_with_errors
    )?;
    for row in outcome.problems.iter().take(LISTED_PROBLEMS) {
        let first = row
            .first_error
            .as_ref()
            .map(|e| e.to_string())
            .unwrap_or_default();
        writeln!(w, "  {} {}: {}", row.status.as_str(), row.path, first)?;
    }
    let problems = outcome.problem_files();
    if problems > LISTED_PROBLEMS as u64 {
        writeln!(
            w,
            "  … and {} more (see the ledger)",
            problems - LISTED_PROBLEMS as u64
        )?;
    }
    writeln!(
        w,
        "wrote      {}/{{ledger.jsonl, ledger.parquet, summary.json, findings.jsonl}}",
        out.display()
    )?;
    Ok(())
}

fn join_counts<'a>(items: impl Iterator<Item = (&'a str, u64)>) -> String {
    let parts: Vec<String> = items.map(|(k, v)| format!("{k} {v}")).collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

/// Reader libraries can panic on hostile files; the scan contains those panics and
/// reports the file, so the default hook's message (which may quote file content) is
/// replaced by a location-only line.
fn install_quiet_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "provaudit: internal panic at {at} (contained when inside a reader; the file is marked error)"
        );
    }));
}
