//! `provaudit plan` and `scan --plan`: list once, then shard without listing again.
//!
//! With `scan --shard I/N` alone every shard lists the whole dataset, so listing cost
//! and throttling grow with the shard count. A plan is that listing done once: a
//! manifest (`plan.json`: roots, shard count, listing options, the listing's hash and
//! the whole-listing facts every shard records) and one file list per shard. A shard
//! scanned from a plan reads its own list and the few license files that cover its
//! data, and writes the audit that `scan --shard I/N` would have written over the
//! same listing, so `merge` treats both alike.
//!
//! What discovery decided is kept, not recomputed: sources (from manifests and cards
//! read at planning time), masked paths, skip reasons. `plan.json` is written last, so
//! a plan folder without it is an interrupted one, and each list's SHA-256 is in it, so
//! an edited list is refused.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::license_scope::is_scoping_license_file;
use crate::bytesource::hex;
use crate::discover::role::FileRole;
use crate::discover::shard::{Shard, ShardInfo, listing_digest};
use crate::discover::{
    self, DiscoverOptions, DiscoveredFile, DiscoveryCounts, Entry, Location, RemoteFile, Source,
    path_text,
};
use crate::remote::{RemoteObject, RemoteRoot};

/// The plan's manifest; a folder without it is not a (finished) plan.
pub const PLAN_JSON: &str = "plan.json";
const FORMAT: &str = "provaudit-shard-plan";
const VERSION: u32 = 1;

/// Why a plan cannot be written or used (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Listing the roots failed.
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    /// The plan folder or one of its files cannot be read or written.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What went wrong and what to do.
        message: String,
    },
    /// The plan does not fit the request.
    #[error("{0}")]
    Mismatch(String),
}

impl PlanError {
    fn file(path: &Path, message: impl std::fmt::Display) -> PlanError {
        PlanError::File {
            path: path.display().to_string(),
            message: message.to_string(),
        }
    }
}

/// The discover options that change the listing: a shard must list as the plan did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingOptions {
    /// `--include` globs.
    pub include: Vec<String>,
    /// `--exclude` globs.
    pub exclude: Vec<String>,
    /// `--hidden`.
    pub hidden: bool,
    /// `--follow-symlinks`.
    pub follow_symlinks: bool,
}

impl ListingOptions {
    /// The listing-relevant part of `options`.
    pub fn of(options: &DiscoverOptions) -> Self {
        ListingOptions {
            include: options.include.clone(),
            exclude: options.exclude.clone(),
            hidden: options.hidden,
            follow_symlinks: options.follow_symlinks,
        }
    }

    /// Sets these on `options`.
    pub fn apply(&self, options: &mut DiscoverOptions) {
        options.include = self.include.clone();
        options.exclude = self.exclude.clone();
        options.hidden = self.hidden;
        options.follow_symlinks = self.follow_symlinks;
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    tool_version: String,
    /// The roots as scans record them (escaped path text or URLs).
    roots: Vec<String>,
    shards: u32,
    listing: ListingOptions,
    listing_sha256: String,
    discovered_files: u64,
    discovery: DiscoveryCounts,
    /// Per object-store root (by position): what its keys are relative to.
    remote_bases: BTreeMap<usize, String>,
    /// Every source a file belongs to, referenced by position.
    sources: Vec<Source>,
    /// The license files of the whole listing: each covers data in any shard.
    license_files: Vec<PlanEntry>,
    /// One list per shard, in shard order.
    lists: Vec<ListFile>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ListFile {
    name: String,
    files: u64,
    sha256: String,
}

/// One discovered file as a list holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PlanEntry {
    root: usize,
    /// The recorded path (escaped, masked, unique).
    path: String,
    /// Where it is: the local path as escaped path text, or the object's key relative
    /// to its root's base.
    at: String,
    bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    e_tag: Option<String>,
    source: usize,
    entry: EntryRecord,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<FileRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum EntryRecord {
    File,
    Hidden,
    Symlink { target: String },
    ReadElsewhere { reason: String },
    Broken { message: String },
    Special { what: String },
}

impl EntryRecord {
    fn of(entry: &Entry) -> Self {
        match entry {
            Entry::File => EntryRecord::File,
            Entry::Hidden => EntryRecord::Hidden,
            Entry::Symlink { target } => EntryRecord::Symlink {
                target: target.clone(),
            },
            Entry::ReadElsewhere { reason } => EntryRecord::ReadElsewhere {
                reason: reason.clone(),
            },
            Entry::Broken { message } => EntryRecord::Broken {
                message: message.clone(),
            },
            Entry::Special { what } => EntryRecord::Special {
                what: what.to_string(),
            },
        }
    }

    fn entry(self) -> Entry {
        match self {
            EntryRecord::File => Entry::File,
            EntryRecord::Hidden => Entry::Hidden,
            EntryRecord::Symlink { target } => Entry::Symlink { target },
            EntryRecord::ReadElsewhere { reason } => Entry::ReadElsewhere { reason },
            EntryRecord::Broken { message } => Entry::Broken { message },
            EntryRecord::Special { what } => Entry::Special {
                what: discover::special_name(&what),
            },
        }
    }
}

/// What `provaudit plan` wrote.
#[derive(Debug, Clone)]
pub struct PlanWritten {
    /// Files in the whole listing.
    pub files: u64,
    /// Files per shard, in shard order.
    pub per_shard: Vec<u64>,
    /// The listing's SHA-256.
    pub listing_sha256: String,
}

/// Lists `roots` once and writes the plan of `shards` shards into `out` (`plan.json`
/// last). `options.mask` and `options.skip` must be set as a scan sets them.
pub fn write(
    roots: &[PathBuf],
    shards: u32,
    options: &DiscoverOptions,
    out: &Path,
) -> Result<PlanWritten, PlanError> {
    if shards == 0 {
        return Err(PlanError::Mismatch("--shards must be at least 1".into()));
    }
    let (files, discovery) = discover::discover_counted(roots, options)?;
    std::fs::create_dir_all(out).map_err(|e| PlanError::file(out, e))?;
    let manifest_path = out.join(PLAN_JSON);
    match std::fs::remove_file(&manifest_path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(PlanError::file(&manifest_path, e)),
    }
    let mut sources = SourceTable::default();
    let mut remote_bases = BTreeMap::new();
    let mut entry_of = |f: &DiscoveredFile| {
        if let Location::Remote(file) = &f.location
            && let Some(base) = file.root.listing_base()
        {
            remote_bases.insert(f.root_index, base.to_string());
        }
        PlanEntry::of(f, sources.index(&f.source))
    };
    let mut lists = Vec::with_capacity(shards as usize);
    let mut per_shard = Vec::with_capacity(shards as usize);
    for index in 0..shards {
        let shard = Shard {
            index,
            count: shards,
        };
        let name = format!("shard-{index:05}-of-{shards:05}.jsonl");
        let mut writer = ListWriter::create(&out.join(&name))?;
        for file in files.iter().filter(|f| shard.owns(f.root_index, &f.path)) {
            writer.push(&entry_of(file))?;
        }
        let (count, sha256) = writer.finish()?;
        per_shard.push(count);
        lists.push(ListFile {
            name,
            files: count,
            sha256,
        });
    }
    let license_files = files
        .iter()
        .filter(|f| is_scoping_license_file(f))
        .map(&mut entry_of)
        .collect();
    let listing_sha256 = listing_digest(&files);
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        tool_version: env!("CARGO_PKG_VERSION").into(),
        roots: roots.iter().map(|r| discover::root_text(r)).collect(),
        shards,
        listing: ListingOptions::of(options),
        listing_sha256: listing_sha256.clone(),
        discovered_files: files.len() as u64,
        discovery,
        remote_bases,
        sources: sources.list,
        license_files,
        lists,
    };
    let text =
        serde_json::to_vec_pretty(&manifest).map_err(|e| PlanError::file(&manifest_path, e))?;
    std::fs::write(&manifest_path, text).map_err(|e| PlanError::file(&manifest_path, e))?;
    Ok(PlanWritten {
        files: files.len() as u64,
        per_shard,
        listing_sha256,
    })
}

/// Sources by position, each distinct one once.
#[derive(Default)]
struct SourceTable {
    list: Vec<Source>,
    seen: HashMap<*const Source, usize>,
}

impl SourceTable {
    fn index(&mut self, source: &Arc<Source>) -> usize {
        if let Some(&i) = self.seen.get(&Arc::as_ptr(source)) {
            return i;
        }
        let i = match self.list.iter().position(|s| s == source.as_ref()) {
            Some(i) => i,
            None => {
                self.list.push(source.as_ref().clone());
                self.list.len() - 1
            }
        };
        self.seen.insert(Arc::as_ptr(source), i);
        i
    }
}

impl PlanEntry {
    fn of(file: &DiscoveredFile, source: usize) -> Self {
        let (at, e_tag) = match &file.location {
            Location::Local(path) => (path_text::escape_os(path.as_os_str()).into_owned(), None),
            Location::Remote(remote) => (remote.object.rel.clone(), remote.object.e_tag.clone()),
        };
        PlanEntry {
            root: file.root_index,
            path: file.path.clone(),
            at,
            bytes: file.bytes,
            modified: file.modified.clone(),
            e_tag,
            source,
            entry: EntryRecord::of(&file.entry),
            role: file.role.clone(),
        }
    }
}

/// Writes one list, hashing what it writes.
struct ListWriter {
    path: PathBuf,
    out: BufWriter<std::fs::File>,
    hash: Sha256,
    count: u64,
}

impl ListWriter {
    fn create(path: &Path) -> Result<Self, PlanError> {
        let file = std::fs::File::create(path).map_err(|e| PlanError::file(path, e))?;
        Ok(ListWriter {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            hash: Sha256::new(),
            count: 0,
        })
    }

    fn push(&mut self, entry: &PlanEntry) -> Result<(), PlanError> {
        let mut line = serde_json::to_vec(entry).map_err(|e| PlanError::file(&self.path, e))?;
        line.push(b'\n');
        self.hash.update(&line);
        self.count += 1;
        self.out
            .write_all(&line)
            .map_err(|e| PlanError::file(&self.path, e))
    }

    fn finish(mut self) -> Result<(u64, String), PlanError> {
        self.out
            .flush()
            .map_err(|e| PlanError::file(&self.path, e))?;
        Ok((self.count, hex(&self.hash.finalize())))
    }
}

/// One shard's share of a plan, ready to scan.
#[derive(Debug, Clone)]
pub struct ShardPlan {
    /// The plan folder.
    pub dir: PathBuf,
    /// The roots, as the plan recorded them.
    pub roots: Vec<PathBuf>,
    /// The listing options the plan listed with.
    pub listing: ListingOptions,
    /// The shard's files, in ledger order.
    pub files: Vec<DiscoveredFile>,
    /// The license files of the whole listing.
    pub license_files: Vec<DiscoveredFile>,
    /// What the listing left out, over the whole listing.
    pub discovery: DiscoveryCounts,
    /// The shard's facts over the whole listing.
    pub shard: ShardInfo,
}

impl ShardPlan {
    /// Reads shard `shard`'s list of the plan in `dir`. Remote roots are opened with
    /// `remote` but never listed.
    pub fn load(
        dir: &Path,
        shard: Shard,
        remote: &DiscoverOptions,
    ) -> Result<ShardPlan, PlanError> {
        let manifest_path = dir.join(PLAN_JSON);
        let text = std::fs::read(&manifest_path).map_err(|e| {
            PlanError::file(
                &manifest_path,
                format!(
                    "{e}; write the plan with `provaudit plan ROOTS --shards N --out {}`",
                    dir.display()
                ),
            )
        })?;
        let manifest: Manifest = serde_json::from_slice(&text)
            .map_err(|e| PlanError::file(&manifest_path, format!("not a provaudit plan ({e})")))?;
        if manifest.format != FORMAT || manifest.version != VERSION {
            return Err(PlanError::file(
                &manifest_path,
                format!(
                    "a plan of format {} version {}, which this provaudit ({}) does not read; \
                     write the plan again with this version",
                    manifest.format,
                    manifest.version,
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
        if manifest.shards != shard.count {
            return Err(PlanError::Mismatch(format!(
                "the plan {} has {} shards, not {}; use --shard I/{}",
                dir.display(),
                manifest.shards,
                shard.count,
                manifest.shards
            )));
        }
        let list = manifest.lists.get(shard.index as usize).ok_or_else(|| {
            PlanError::file(
                &manifest_path,
                "the plan lists fewer shard files than shards",
            )
        })?;
        let roots = RootOpener::new(&manifest, remote);
        let entries = read_list(&dir.join(&list.name), list)?;
        let sources: Vec<Arc<Source>> = manifest.sources.iter().cloned().map(Arc::new).collect();
        let to_file = |e: PlanEntry| roots.file(e, &sources);
        let files = entries
            .into_iter()
            .map(to_file)
            .collect::<Result<Vec<_>, _>>()?;
        let license_files = manifest
            .license_files
            .iter()
            .cloned()
            .map(to_file)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ShardPlan {
            dir: dir.to_path_buf(),
            roots: manifest
                .roots
                .iter()
                .map(|r| path_text::to_path(r))
                .collect(),
            listing: manifest.listing.clone(),
            files,
            license_files,
            discovery: manifest.discovery.clone(),
            shard: ShardInfo::with_digest(
                shard,
                manifest.discovered_files,
                manifest.listing_sha256.clone(),
            ),
        })
    }
}

/// Reads a list, checking it against the manifest's count and hash.
fn read_list(path: &Path, list: &ListFile) -> Result<Vec<PlanEntry>, PlanError> {
    let bytes = std::fs::read(path).map_err(|e| PlanError::file(path, e))?;
    if hex(&Sha256::digest(&bytes)) != list.sha256 {
        return Err(PlanError::file(
            path,
            "does not match the SHA-256 plan.json records for it; it was altered or \
             only partly copied: copy the plan folder again or write a new plan",
        ));
    }
    let mut entries = Vec::with_capacity(list.files as usize);
    for (n, line) in bytes.lines().enumerate() {
        let line = line.map_err(|e| PlanError::file(path, e))?;
        let entry = serde_json::from_str(&line)
            .map_err(|e| PlanError::file(path, format!("line {}: {e}", n + 1)))?;
        entries.push(entry);
    }
    Ok(entries)
}

/// Turns plan entries back into discovered files, opening each remote root once.
struct RootOpener {
    roots: Vec<String>,
    remote: HashMap<usize, Result<RemoteRoot, String>>,
}

impl RootOpener {
    fn new(manifest: &Manifest, options: &DiscoverOptions) -> Self {
        let mut remote = HashMap::new();
        for (index, root) in manifest.roots.iter().enumerate() {
            let url = path_text::unescape(root)
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_else(|| root.clone());
            if !crate::remote::is_remote(&url) {
                continue;
            }
            let opened = RemoteRoot::open(&url, &options.remote, options.remote_stats.clone())
                .map_err(|e| e.to_string());
            if let (Ok(root), Some(base)) = (&opened, manifest.remote_bases.get(&index)) {
                root.assume_listing_base(base);
            }
            remote.insert(index, opened);
        }
        RootOpener {
            roots: manifest.roots.clone(),
            remote,
        }
    }

    fn file(&self, e: PlanEntry, sources: &[Arc<Source>]) -> Result<DiscoveredFile, PlanError> {
        let bad =
            |what: &str| PlanError::Mismatch(format!("the plan names {what} for `{}`", e.path));
        let root = self
            .roots
            .get(e.root)
            .ok_or_else(|| bad("an unknown root"))?;
        let source = sources
            .get(e.source)
            .ok_or_else(|| bad("an unknown source"))?;
        let location = match self.remote.get(&e.root) {
            None => Location::Local(path_text::to_path(&e.at)),
            Some(Err(message)) => return Err(PlanError::Mismatch(message.clone())),
            Some(Ok(remote)) => {
                let key = remote.key_of(&e.at);
                Location::Remote(Arc::new(RemoteFile {
                    root: remote.clone(),
                    object: RemoteObject {
                        rel: e.at.clone(),
                        key,
                        size: e.bytes,
                        modified: None,
                        e_tag: e.e_tag.clone(),
                    },
                }))
            }
        };
        Ok(DiscoveredFile {
            root_index: e.root,
            root: root.clone(),
            path: e.path,
            location,
            bytes: e.bytes,
            modified: e.modified,
            source: Arc::clone(source),
            entry: e.entry.entry(),
            role: e.role,
        })
    }
}
