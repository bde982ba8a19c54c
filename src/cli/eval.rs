//! `eval-pii`: the detector's precision and recall on labelled directories. Parsing and
//! printing only; the scoring is `crate::eval`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::exit;
use crate::analyze::pii::PiiDetector;
use crate::eval::{self, TypeMap};

#[derive(Debug, Args)]
pub struct EvalPiiArgs {
    /// Labelled directories, each holding corpus.jsonl and labels.jsonl.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// A label type scored as a provaudit type, e.g. `location=address`; `LABEL=`
    /// leaves that label type out. Repeatable. Unmapped label types are scored under
    /// their own name.
    #[arg(long = "map", value_name = "LABEL=TYPE")]
    pub map: Vec<String>,

    /// A TOML file with user PII rules, as `scan --config` takes.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print the figures as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the evaluation and prints it; 2 on any unusable input.
pub fn run_eval_pii(args: &EvalPiiArgs) -> ExitCode {
    match evaluate(args) {
        Ok(text) => {
            super::output::emit("the figures", |w| w.write_all(text.as_bytes()));
            ExitCode::from(exit::OK)
        }
        Err(e) => {
            eprintln!("provaudit: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

fn evaluate(args: &EvalPiiArgs) -> anyhow::Result<String> {
    let map = TypeMap::parse(&args.map).map_err(anyhow::Error::msg)?;
    let detector = match &args.config {
        Some(path) => PiiDetector::with_config(&crate::config::Config::load(path)?.pii)?,
        None => PiiDetector::builtin(),
    };
    let result = eval::evaluate(&detector, &map, &args.dirs)?;
    Ok(if args.json {
        format!("{}\n", serde_json::to_string_pretty(&result)?)
    } else {
        result.table()
    })
}
