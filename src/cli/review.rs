//! `sample` and `review`: the sampled human review of GB/T 45654-2025. Parsing and
//! printing only; the work is `crate::review`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::exit;
use crate::contract::AuditDir;
use crate::review::{self, SampleParams};

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// An audit directory written by `provaudit scan` (its data must still be where the
    /// scan read it, unchanged).
    #[arg(value_name = "AUDIT_DIR")]
    pub audit: PathBuf,

    /// Records to draw (per source with --per-source). GB/T 45654-2025 asks for at
    /// least 4,000.
    #[arg(long, default_value_t = review::STANDARD_MIN_ITEMS)]
    pub size: u64,

    /// Draw --size records from every source rather than from the whole audit.
    #[arg(long)]
    pub per_source: bool,

    /// The random seed; the same seed, options and audit draw the same records and write
    /// the same bytes. Recorded in sample.json.
    #[arg(long, default_value_t = review::DEFAULT_SEED)]
    pub seed: u64,

    /// Draw from each stratum in proportion to its records: source, stage or both
    /// (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "source,stage")]
    pub stratify: Vec<String>,

    /// Risk lexicons to mark hits with (default: those the audit recorded, read from
    /// their recorded paths); each must be one the audit was screened with.
    #[arg(long, value_name = "DIR|FILE")]
    pub safety_lexicon: Vec<PathBuf>,

    /// An external classification model run over the sampled records under `sh -c`: it
    /// reads JSON lines {"id", "text"} (personal information masked) on stdin and writes
    /// one score a line (a number, or {"score", "category"}); `CMD --version` is recorded.
    #[arg(long, value_name = "CMD")]
    pub classifier: Option<String>,

    /// The scan's `--config`: its `[pii]` rules are layered on the built-in ones, so
    /// every value they find in a sampled record is masked too.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Classifier scores at or above this flag a record.
    #[arg(long, default_value_t = 0.5, value_name = "SCORE")]
    pub classifier_threshold: f64,

    /// Where to write sample.jsonl, sample.json and review.html.
    #[arg(long, short, value_name = "REVIEW_DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The audit directory the sample was drawn from; review.json is written into it.
    #[arg(value_name = "AUDIT_DIR")]
    pub audit: PathBuf,

    /// The verdicts exported from review.html.
    #[arg(value_name = "VERDICTS_JSON")]
    pub verdicts: PathBuf,

    /// Who reviewed (default: the name typed in the page).
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,

    /// The review set `sample` wrote: its classifier figures (`--classifier`) join the
    /// technical sample, once its sample id and sample.jsonl hash are checked.
    #[arg(long, value_name = "REVIEW_DIR")]
    pub sample: Option<PathBuf>,
}

pub fn run_sample(args: &SampleArgs) -> ExitCode {
    let params = SampleParams {
        seed: args.seed,
        size: args.size,
        per_source: args.per_source,
        strata: args.stratify.clone(),
    };
    let pii = match &args.config {
        Some(path) => match crate::config::Config::load(path) {
            Ok(config) => Some(config.pii),
            Err(e) => {
                eprintln!("provaudit: {e}");
                return ExitCode::from(exit::USAGE);
            }
        },
        None => None,
    };
    let options = review::sample::SampleOptions {
        pii,
        out: args.out.clone(),
        lexicons: (!args.safety_lexicon.is_empty()).then(|| args.safety_lexicon.clone()),
        classifier: args
            .classifier
            .clone()
            .map(|c| (c, args.classifier_threshold)),
    };
    if let Err(e) = crate::contract::refuse_url_output(&args.out) {
        eprintln!("provaudit: {e}");
        return ExitCode::from(exit::USAGE);
    }
    match review::sample::run(&AuditDir::new(&args.audit), &params, &options) {
        Ok(written) => {
            let m = &written.manifest;
            eprintln!(
                "provaudit: sample {} of {} records (seed {}) from audit {}",
                m.sample_id, m.drawn, m.params.seed, m.audit_id
            );
            super::output::paths(&written.files);
            ExitCode::from(exit::OK)
        }
        Err(e) => {
            eprintln!("provaudit: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

pub fn run_review(args: &ReviewArgs) -> ExitCode {
    let today = crate::civil::rfc3339(std::time::SystemTime::now());
    let today = today.get(..10).unwrap_or(&today);
    let audit = AuditDir::new(&args.audit);
    let how = review::verdicts::ReviewOptions {
        reviewer: args.reviewer.as_deref(),
        sample_dir: args.sample.as_deref(),
        today,
    };
    match review::verdicts::run(&audit, &args.verdicts, &how) {
        Ok(record) => {
            let o = &record.overall;
            let lines = |w: &mut dyn std::io::Write| {
                writeln!(
                    w,
                    "review {}: {} of {} sampled records reviewed, {} passed ({:.2}%, 95% Wilson {:.2}%–{:.2}%); \
                 GB/T 45654-2025 asks for at least {} items and {:.0}%: {}",
                    record.sample_id,
                    o.reviewed,
                    record.sampled,
                    o.passed,
                    100.0 * o.rate,
                    100.0 * o.wilson_low,
                    100.0 * o.wilson_high,
                    record.thresholds.min_items,
                    100.0 * record.thresholds.min_pass_rate,
                    if record.meets_standard() {
                        "met"
                    } else {
                        "not met"
                    }
                )?;
                writeln!(w, "{}", audit.file(review::REVIEW_JSON).display())
            };
            super::output::emit("the review", lines);
            ExitCode::from(exit::OK)
        }
        Err(e) => {
            eprintln!("provaudit: review refused, nothing recorded: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}
