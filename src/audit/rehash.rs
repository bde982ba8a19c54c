//! The data as it is now, for `verify`: the scan's own walk over the roots and options
//! `summary.json` recorded, each file hashed again.
//!
//! Reusing the discovery stage (not a second walker) is what makes "new" and "missing"
//! trustworthy: a file the scan left out (excluded, in a hidden folder, the audit
//! directory itself) is left out here for the same reason, and a hidden file the scan
//! listed unread is listed unread here too (`--hidden` as recorded).

use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;

use super::integrity::CurrentFile;
use crate::bytesource;
use crate::contract::Summary;
use crate::discover::{self, DiscoverOptions, Entry};
use crate::progress::{Meter, Phase, Progress, ProgressOptions};

/// The files under the recorded roots as the scan's walk finds them now, with the
/// recorded options (relative roots from the current directory, as the scan did):
/// `verify` hashes them, `sample` opens those holding a drawn record. `audit_dir` is
/// never listed.
pub fn rediscover(
    summary: &Summary,
    audit_dir: &Path,
    listed: &Meter,
) -> anyhow::Result<Vec<discover::DiscoveredFile>> {
    let roots = recorded_roots(summary)?;
    let recorded = summary.recorded_options();
    let options = DiscoverOptions {
        include: recorded.include,
        exclude: recorded.exclude,
        follow_symlinks: recorded.follow_symlinks,
        skip: vec![audit_dir.to_path_buf()],
        hidden: recorded.hidden,
        remote: crate::remote::RemoteOptions {
            s3_endpoint: summary.remote.as_ref().and_then(|r| r.s3_endpoint.clone()),
            ..Default::default()
        },
        remote_stats: Default::default(),
        mask: Some(crate::analyze::pii::path_mask()),
        listed: listed.clone(),
    };
    let mut files = discover::discover(&roots, &options).with_context(|| {
        "cannot walk the audited roots again; run from the directory the scan ran in \
         (verify can check the ledger alone with --ledger-only)"
            .to_string()
    })?;
    // An audit from before hidden files were listed (no `discovery` in its summary) did
    // not see them: they are not "new" files for it.
    if summary.discovery.is_none() {
        files.retain(|f| f.entry != Entry::Hidden);
    }
    Ok(files)
}

/// Walks the recorded roots (relative ones from the current directory, as the scan
/// did) and hashes every file in parallel, showing `progress` for both. `audit_dir`
/// is never listed.
pub fn current_files(
    summary: &Summary,
    audit_dir: &Path,
    progress: ProgressOptions,
) -> anyhow::Result<Vec<CurrentFile>> {
    let listing = Progress::start(progress, Phase::List);
    let files = rediscover(summary, audit_dir, listing.meter())?;
    listing.finish();
    let hashing = Progress::start(progress, Phase::Verify);
    let meter = hashing.meter();
    let to_hash = files.iter().filter(|f| f.entry == Entry::File);
    meter.set_total(
        to_hash.clone().count() as u64,
        to_hash.map(|f| f.bytes).sum(),
    );
    let current = files
        .par_iter()
        .map(|f| {
            let unread = matches!(
                f.entry,
                Entry::Hidden
                    | Entry::Symlink { .. }
                    | Entry::Special { .. }
                    | Entry::ReadElsewhere { .. }
            );
            let sha256 = match f.entry {
                Entry::File => hash_metered(f, meter),
                _ => None,
            };
            CurrentFile {
                root: f.root.clone(),
                path: f.path.clone(),
                bytes: f.bytes,
                sha256,
                unread,
            }
        })
        .collect();
    hashing.finish();
    Ok(current)
}

/// The file's SHA-256, its bytes counted into `meter` as they are read (all of them
/// when it cannot be read, so the bar still ends full).
fn hash_metered(f: &discover::DiscoveredFile, meter: &Meter) -> Option<String> {
    let digest = f
        .location
        .open(&f.path)
        .and_then(|source| bytesource::sha256(&bytesource::Metered::wrap(source, f.bytes, meter)));
    if digest.is_err() {
        meter.add(0, f.bytes);
    }
    meter.add(1, 0);
    digest.ok().map(|d| bytesource::hex(&d))
}

fn recorded_roots(summary: &Summary) -> anyhow::Result<Vec<PathBuf>> {
    if summary.roots.is_empty() {
        anyhow::bail!(
            "summary.json records no roots; re-run `provaudit scan` or use --ledger-only"
        );
    }
    Ok(summary
        .roots
        .iter()
        .map(|r| discover::path_text::to_path(r))
        .collect())
}
