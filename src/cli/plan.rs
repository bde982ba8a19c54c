//! `provaudit plan` and `scan --plan`: the command-line side of [`shard_plan`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::exit;
use super::remote_io::RemoteArgs;
use crate::scan::shard_plan::{self, ListingOptions, ShardPlan};
use crate::scan::{self, ScanOptions};

/// The options that decide what a listing holds, shared by `scan` and `plan`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ListingArgs {
    /// Only scan files whose path (relative to its root) matches this glob; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip files whose path (relative to its root) matches this glob; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Follow symbolic links (loops are detected and reported). Without it, links are
    /// listed as skipped.
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Read hidden files and folders (`.name`, and the VCS folders CVS, _darcs,
    /// __MACOSX) like any other. Without it a hidden file is listed as skipped and a
    /// hidden folder is not entered; summary.json counts both.
    #[arg(long)]
    pub hidden: bool,
}

impl ListingArgs {
    pub fn options(&self) -> ListingOptions {
        ListingOptions {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            hidden: self.hidden,
            follow_symlinks: self.follow_symlinks,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    /// Dataset roots, as `scan` takes them: directories, files, object-store URLs.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How many shards to plan for.
    #[arg(long, value_name = "N")]
    pub shards: u32,

    /// The plan folder (created; a plan already there is replaced).
    #[arg(long, short, value_name = "PLAN_DIR")]
    pub out: PathBuf,

    /// How the roots are listed; every shard scanned from the plan lists this way.
    #[command(flatten)]
    pub listing: ListingArgs,

    #[command(flatten)]
    pub remote: RemoteArgs,

    /// No summary line on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

pub(crate) fn run_plan(args: &PlanArgs) -> ExitCode {
    if let Err(e) = crate::contract::refuse_url_output(&args.out)
        .and_then(|()| crate::contract::refuse_overlap(&args.out, &args.paths, true))
    {
        eprintln!("provaudit: {e}");
        return ExitCode::from(exit::USAGE);
    }
    // The listing a scan of these roots would make, the plan folder left out as a
    // scan leaves its --out out.
    let mut options = ScanOptions::new(args.paths.clone(), args.out.clone());
    args.listing.options().apply(&mut options.discover);
    args.remote.apply(&mut options.discover.remote);
    let discover = scan::discover_options(&options);
    match shard_plan::write(&args.paths, args.shards, &discover, &args.out) {
        Ok(written) => {
            if !args.quiet {
                let (min, max) = written
                    .per_shard
                    .iter()
                    .fold((u64::MAX, 0), |(lo, hi), &n| (lo.min(n), hi.max(n)));
                println!(
                    "provaudit: planned {} files in {} shards ({min}–{max} per shard), listing {}; \
                     wrote {}",
                    written.files,
                    args.shards,
                    &written.listing_sha256[..16.min(written.listing_sha256.len())],
                    args.out.display()
                );
            }
            ExitCode::from(exit::OK)
        }
        Err(e) => {
            eprintln!("provaudit: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

/// Points a scan at shard `--shard`'s list of the plan in `dir`: its roots and listing
/// options become the plan's; roots or listing options given on the command line that
/// differ are refused rather than silently ignored.
pub(crate) fn use_plan(dir: &Path, options: &mut ScanOptions) -> anyhow::Result<()> {
    let shard = options.shard.ok_or_else(|| {
        anyhow::anyhow!("--plan needs --shard I/N: which of the plan's shards to scan")
    })?;
    let plan = ShardPlan::load(dir, shard, &options.discover)?;
    let given: Vec<String> = options
        .roots
        .iter()
        .map(|r| crate::discover::root_text(r))
        .collect();
    let planned: Vec<String> = plan
        .roots
        .iter()
        .map(|r| crate::discover::root_text(r))
        .collect();
    if !given.is_empty() && given != planned {
        anyhow::bail!(
            "the roots given ({}) are not the plan's ({}); give the plan's roots or none",
            given.join(" "),
            planned.join(" ")
        );
    }
    let given_listing = ListingOptions::of(&options.discover);
    if given_listing != ListingOptions::default() && given_listing != plan.listing {
        anyhow::bail!(
            "--include, --exclude, --hidden and --follow-symlinks are the plan's ({}); \
             leave them out or write a new plan with them",
            dir.display()
        );
    }
    options.roots = plan.roots.clone();
    plan.listing.apply(&mut options.discover);
    options.plan = Some(std::sync::Arc::new(plan));
    Ok(())
}
