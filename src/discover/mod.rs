//! The discover stage: which files an audit covers, and which source each belongs to.
//!
//! Walking is separate from reading (as ripgrep separates its walker from its
//! searcher): this stage only lists, stats and attributes files. Every file it finds
//! becomes exactly one ledger row, including the ones that will not be read (symlinks
//! not followed, loops, unreadable entries), so nothing disappears silently.
//!
//! Hidden entries (a leading `.`, and the VCS folders `CVS`, `_darcs`, `__MACOSX`) are
//! not read unless `--hidden` is given, but they are not dropped either: a hidden file
//! in a folder that is walked gets a `skipped` row saying why, and a hidden folder is
//! not entered (`.git` can hold a hundred thousand objects that would flood the
//! ledger) but counted, with the files under it, in [`DiscoveryCounts`]. Files left out
//! by `--include`/`--exclude` are counted there too.

pub mod card;
mod hf_cache;
pub mod init;
pub mod manifest;
pub mod path_text;
pub mod provider;
mod remote;
pub mod role;
pub mod shard;
pub mod source;
pub mod split;

use std::cell::Cell;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::bytesource::{self, ByteSource};
use crate::remote::{RemoteObject, RemoteRoot};
pub use path_text::PathMask;
pub use source::{DeclarationReader, LocalDeclarations, Source, SourceResolver};

/// What the user asked the walk to do.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Globs over paths relative to their root; when any are given, a file must match one.
    pub include: Vec<String>,
    /// Globs over paths relative to their root; a file matching any is left out.
    pub exclude: Vec<String>,
    /// Follow symbolic links (loops become `error` rows); otherwise links get
    /// `skipped` rows.
    pub follow_symlinks: bool,
    /// Paths never to enter (the output directory, when it sits inside a root).
    pub skip: Vec<PathBuf>,
    /// Read hidden files and folders like any other (`--hidden`); otherwise hidden
    /// files get `skipped` rows and hidden folders are only counted.
    pub hidden: bool,
    /// How object-store roots (`s3://...`) are reached.
    pub remote: crate::remote::RemoteOptions,
    /// Request counters shared by every object-store root of the run.
    pub remote_stats: Arc<crate::remote::RemoteStats>,
    /// Hides personal information in recorded paths (`path_text`); the scan and
    /// `verify` both set the same one, so both record the same text.
    pub mask: Option<Arc<dyn PathMask>>,
    /// Counts the files listed so far, for progress while a large bucket is listed.
    pub listed: crate::progress::Meter,
}

/// Why a discovered entry will not be read, when that is known before reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A regular file, to be read.
    File,
    /// A hidden file (no `--hidden`): listed with its size and time, never opened.
    Hidden,
    /// A symbolic link left unfollowed (no `--follow-symlinks`).
    Symlink {
        /// Where the link points, as path text, masked like any recorded path.
        target: String,
    },
    /// A file whose bytes another row reads (a hub cache's blob, read through its
    /// snapshot path): listed, never opened, so nothing is counted twice.
    ReadElsewhere {
        /// Why, naming the path that reads it, for the row's skip reason.
        reason: String,
    },
    /// A path the walk could not use: a symlink loop, a dangling link, a permission error.
    Broken {
        /// What went wrong, for the row's skip reason.
        message: String,
    },
    /// Not a regular file (a named pipe, a socket, a device), directly or through a
    /// followed link: never opened, since opening a FIFO blocks until a writer comes
    /// and a device such as `/dev/zero` never ends.
    Special {
        /// What it is, in words ("a named pipe (FIFO)").
        what: &'static str,
    },
}

/// What a non-regular, non-directory entry is, in words; `None` for a regular file
/// (and a symbolic link, which the caller handles).
fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_file() || file_type.is_symlink() || file_type.is_dir() {
        None
    } else if file_type.is_fifo() {
        Some(SPECIAL_KINDS[0])
    } else if file_type.is_socket() {
        Some(SPECIAL_KINDS[1])
    } else if file_type.is_block_device() {
        Some(SPECIAL_KINDS[2])
    } else if file_type.is_char_device() {
        Some(SPECIAL_KINDS[3])
    } else {
        Some(SPECIAL_KINDS[4])
    }
}

/// What an [`Entry::Special`] is, in words; the last is the catch-all.
const SPECIAL_KINDS: [&str; 5] = [
    "a named pipe (FIFO)",
    "a socket",
    "a block device",
    "a character device",
    "not a regular file",
];

/// The [`Entry::Special`] description spelled `text` (as a shard plan stores it).
pub fn special_name(text: &str) -> &'static str {
    SPECIAL_KINDS
        .into_iter()
        .find(|name| *name == text)
        .unwrap_or(SPECIAL_KINDS[4])
}

/// Where a discovered file lives, so the scanner can open it when its turn comes
/// rather than holding thousands of descriptors open.
#[derive(Debug, Clone)]
pub enum Location {
    /// A file on a local disk.
    Local(PathBuf),
    /// An object under an object-store root (`s3://...`).
    Remote(Arc<RemoteFile>),
}

/// An object and the root it was listed under.
#[derive(Debug)]
pub struct RemoteFile {
    /// The object-store root the object was listed under.
    pub root: RemoteRoot,
    /// The object's key, size and modification time as listed.
    pub object: RemoteObject,
}

impl Location {
    /// SHA-256 of the file as it is now (`verify`, `scan --rehash`), hex.
    pub fn sha256_hex(&self, name: &str) -> io::Result<String> {
        bytesource::sha256(&self.open(name)?).map(|d| bytesource::hex(&d))
    }

    /// Opens `path` and records its size and modification time, so a change while it
    /// is read can be told; `name` is what messages show instead of the full path.
    pub fn open(&self, name: &str) -> io::Result<Arc<dyn ByteSource>> {
        match self {
            Location::Local(path) => Ok(Arc::new(bytesource::LocalFile::open(
                path,
                name.to_string(),
            )?)),
            Location::Remote(file) => Ok(file.root.open_object(&file.object, name.to_string())),
        }
    }
}

/// One discovered file.
#[derive(Debug, Clone)]
pub struct DiscoveredFile {
    /// Index of the root in the order given on the command line.
    pub root_index: usize,
    /// The root as given, escaped (`path_text::escape`) but not masked: `verify`
    /// walks it again from `summary.json`.
    pub root: String,
    /// Path relative to the root, `/`-separated; for a root that is a file, its name.
    /// Path text (`path_text`): escaped, masked, unique within its root.
    pub path: String,
    /// How to open the file when its turn comes.
    pub location: Location,
    /// Size in bytes when listed; a read that finds another size is an error.
    pub bytes: u64,
    /// Modification time, RFC 3339 UTC, when the file system has one.
    pub modified: Option<String>,
    /// The source the file belongs to.
    pub source: Arc<Source>,
    /// Whether the file will be read, and why not.
    pub entry: Entry,
    /// A role the layout decides before the file is read (a hub cache's `refs/*` are
    /// metadata whatever their name); `None` leaves it to the name and format.
    pub role: Option<role::FileRole>,
}

impl DiscoveredFile {
    /// The file's own name, for telling its format by extension: the recorded path
    /// may be masked or carry a `~2` uniqueness suffix, the name on disk does not.
    pub fn file_name(&self) -> std::borrow::Cow<'_, str> {
        let own = match &self.location {
            Location::Local(path) => path.file_name().map(|n| n.to_string_lossy()),
            Location::Remote(file) => file.object.rel.rsplit('/').next().map(Into::into),
        };
        own.unwrap_or_else(|| self.path.rsplit('/').next().unwrap_or(&self.path).into())
    }
}

/// What the walk left out without a row, for `summary.json` → `discovery` and the
/// report's checks section: nothing is left out without being counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DiscoveryCounts {
    /// Files left out by `--include` or `--exclude` (files under a hidden folder are
    /// counted with it instead: the folder is not entered, so no glob is tried).
    pub excluded_by_glob: u64,
    /// Hidden files listed with a `skipped` row (without `--hidden`).
    pub hidden_files: u64,
    /// Hidden folders not entered (without `--hidden`) that hold any file; one inside
    /// another is not counted again, and neither is one that holds nothing but the
    /// output directory (which would make the count depend on an earlier run).
    pub hidden_dirs: u64,
    /// Entries other than folders under those hidden folders, counted by a walk that
    /// opens no file and follows no link.
    pub hidden_files_in_hidden_dirs: u64,
}

/// A problem with the request itself, before any file is read (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A root does not exist.
    #[error("{root}: no such file or directory")]
    MissingRoot {
        /// The root as given.
        root: String,
    },
    /// An `--include` or `--exclude` glob does not parse.
    #[error("invalid glob `{glob}`: {message}")]
    Glob {
        /// The glob as given.
        glob: String,
        /// The parser's explanation.
        message: String,
    },
    /// An invalid `provenance.toml`.
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    /// An object-store root that cannot be opened or listed.
    #[error(transparent)]
    Remote(#[from] crate::remote::RemoteError),
}

/// The `--include` and `--exclude` globs, compiled once.
pub(crate) struct Filters {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filters {
    fn new(options: &DiscoverOptions) -> Result<Self, DiscoverError> {
        Ok(Filters {
            include: glob_set(&options.include)?,
            exclude: glob_set(&options.exclude)?,
        })
    }

    /// Whether a path relative to its root passes both.
    fn wanted(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

/// Lists every file under the roots, sorted by root then path.
pub fn discover(
    roots: &[PathBuf],
    options: &DiscoverOptions,
) -> Result<Vec<DiscoveredFile>, DiscoverError> {
    discover_counted(roots, options).map(|(files, _)| files)
}

/// Lists every file under the roots, sorted by root then path, with the counts of what
/// was left out without a row.
pub fn discover_counted(
    roots: &[PathBuf],
    options: &DiscoverOptions,
) -> Result<(Vec<DiscoveredFile>, DiscoveryCounts), DiscoverError> {
    let filters = Filters::new(options)?;
    let mut counts = DiscoveryCounts::default();
    let skip: Vec<PathBuf> = options
        .skip
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut files = Vec::new();
    for (root_index, root) in roots.iter().enumerate() {
        let text = root.to_string_lossy();
        if crate::remote::is_remote(&text) {
            let found = (&mut files, &mut counts);
            remote::discover_remote(root_index, &text, options, &filters, found)?;
            continue;
        }
        let meta = std::fs::symlink_metadata(root).map_err(|_| DiscoverError::MissingRoot {
            root: root.display().to_string(),
        })?;
        let base = if meta.is_dir() {
            root.clone()
        } else {
            root.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let root_text = root_text(root);
        let root_name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| path_text::escape_os(n).into_owned()))
            .unwrap_or_else(|| root_text.clone());
        let declarations = LocalDeclarations { base: base.clone() };
        let mut resolver = SourceResolver::new(Box::new(declarations), root_name)
            .masked_by(options.mask.clone())
            .datasets_folder(meta.is_dir() && source::is_datasets_folder(&base));
        let mut hub = hf_cache::HubCaches::new(&base, root, options.hidden, options.mask.clone());
        let hidden_dirs = Cell::new((0u64, 0u64));
        let walker = WalkDir::new(root)
            .follow_links(options.follow_symlinks)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 || !e.file_type().is_dir() {
                    return true;
                }
                if is_skipped(e.path(), &skip) {
                    return false;
                }
                if options.hidden || !is_hidden(e.file_name()) {
                    return true;
                }
                let (dirs, files) = hidden_dirs.get();
                let inside = count_files(e.path(), &skip);
                hidden_dirs.set((dirs + u64::from(inside > 0), files + inside));
                false
            });
        for item in walker {
            let found = match item {
                Ok(entry) if entry.file_type().is_dir() => continue,
                Ok(entry) => {
                    let path = entry.path().to_path_buf();
                    let kind =
                        if !options.hidden && entry.depth() > 0 && is_hidden(entry.file_name()) {
                            Entry::Hidden
                        } else if entry.path_is_symlink() && !options.follow_symlinks {
                            let target = std::fs::read_link(&path)
                                .map(|t| path_text::escape_os(t.as_os_str()).into_owned())
                                .unwrap_or_default();
                            Entry::Symlink { target }
                        } else if let Some(what) = special_kind(entry.file_type()) {
                            Entry::Special { what }
                        } else {
                            Entry::File
                        };
                    (path, kind)
                }
                Err(err) => match err.path() {
                    Some(path) => (
                        path.to_path_buf(),
                        Entry::Broken {
                            message: walk_error_message(&err),
                        },
                    ),
                    None => continue,
                },
            };
            let (path, entry) = found;
            let rel = relative(&base, &path, root, meta.is_dir());
            if !filters.wanted(&rel) {
                counts.excluded_by_glob += 1;
                continue;
            }
            counts.hidden_files += u64::from(entry == Entry::Hidden);
            let source = resolver.resolve(&rel)?;
            let (entry, role, source) = hub.place(&base, &path, entry, source);
            let (bytes, modified) = stat(&path, &entry);
            options.listed.found(bytes);
            files.push(DiscoveredFile {
                root_index,
                root: root_text.clone(),
                path: rel,
                location: Location::Local(path),
                bytes,
                modified,
                source,
                entry,
                role,
            });
        }
        let (dirs, files_inside) = hidden_dirs.get();
        counts.hidden_dirs += dirs;
        counts.hidden_files_in_hidden_dirs += files_inside;
    }
    record_paths(&mut files, options.mask.as_deref());
    files.sort_by(|a, b| (a.root_index, &a.path).cmp(&(b.root_index, &b.path)));
    Ok((files, counts))
}

/// Entries other than folders under `dir`, for the count of what a hidden folder holds:
/// no file is opened and no link followed, and the output directory is not counted
/// (it changes from one run to the next).
fn count_files(dir: &Path, skip: &[PathBuf]) -> u64 {
    WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !(e.file_type().is_dir() && is_skipped(e.path(), skip)))
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .count() as u64
}

/// How a root is recorded (rows, `summary.json`): escaped, never masked, since
/// `verify` turns it back into the path to walk ([`path_text::to_path`]).
pub fn root_text(root: &Path) -> String {
    path_text::escape_os(root.as_os_str()).into_owned()
}

/// Masks personal information in each file's path and link target, then keeps paths
/// unique within a root: when masking makes two paths equal, the later ones in the
/// order of their bytes get `~2`, `~3`, ... (the first free suffix).
fn record_paths(files: &mut [DiscoveredFile], mask: Option<&dyn PathMask>) {
    let Some(mask) = mask else { return };
    let mut masked = Vec::new();
    for (i, file) in files.iter_mut().enumerate() {
        mask_entry(&mut file.entry, mask);
        if let Some(hidden) = mask.mask(&file.path) {
            let bytes = path_text::unescape(&file.path).unwrap_or_default();
            masked.push((file.root_index, bytes, i, hidden));
        }
    }
    if masked.is_empty() {
        return;
    }
    masked.sort();
    let masked_at: HashSet<usize> = masked.iter().map(|m| m.2).collect();
    let mut taken: HashSet<(usize, String)> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| !masked_at.contains(i))
        .map(|(_, f)| (f.root_index, f.path.clone()))
        .collect();
    for (root_index, _, i, hidden) in masked {
        let mut candidate = hidden.clone();
        let mut n = 2u64;
        while taken.contains(&(root_index, candidate.clone())) {
            candidate = format!("{hidden}~{n}");
            n += 1;
        }
        taken.insert((root_index, candidate.clone()));
        if let Some(file) = files.get_mut(i) {
            file.path = candidate;
        }
    }
}

/// Link targets and walk errors name paths too (a loop names its ancestor).
fn mask_entry(entry: &mut Entry, mask: &dyn PathMask) {
    let text = match entry {
        Entry::Symlink { target } => target,
        Entry::Broken { message } => message,
        Entry::ReadElsewhere { reason } => reason,
        Entry::File | Entry::Hidden | Entry::Special { .. } => return,
    };
    if let Some(hidden) = mask.mask(text) {
        *text = hidden;
    }
}

fn glob_set(globs: &[String]) -> Result<Option<GlobSet>, DiscoverError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let parsed = Glob::new(glob).map_err(|e| DiscoverError::Glob {
            glob: glob.clone(),
            message: e.kind().to_string(),
        })?;
        builder.add(parsed);
    }
    builder.build().map(Some).map_err(|e| DiscoverError::Glob {
        glob: globs.join(", "),
        message: e.to_string(),
    })
}

/// Hidden entries (`.git`, `.cache`, editor files) and VCS metadata: not data unless
/// `--hidden` says so.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || matches!(name.as_ref(), "CVS" | "_darcs" | "__MACOSX")
}

fn is_skipped(path: &Path, skip: &[PathBuf]) -> bool {
    !skip.is_empty() && path.canonicalize().is_ok_and(|p| skip.contains(&p))
}

fn walk_error_message(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        let ancestor = path_text::escape_os(ancestor.as_os_str());
        return format!("symbolic link loop: points back to its ancestor {ancestor}");
    }
    match err.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "dangling symbolic link: its target does not exist".into()
        }
        Some(io) => io.to_string(),
        None => err.to_string(),
    }
}

fn relative(base: &Path, path: &Path, root: &Path, root_is_dir: bool) -> String {
    let rel = if root_is_dir {
        path.strip_prefix(base).unwrap_or(path)
    } else {
        Path::new(root.file_name().unwrap_or(root.as_os_str()))
    };
    let parts: Vec<std::borrow::Cow<'_, str>> = rel
        .components()
        .map(|c| path_text::escape_os(c.as_os_str()))
        .collect();
    parts.join("/")
}

fn stat(path: &Path, entry: &Entry) -> (u64, Option<String>) {
    let meta = match entry {
        Entry::File => std::fs::metadata(path),
        _ => std::fs::symlink_metadata(path),
    };
    match meta {
        Ok(m) => (
            if m.is_file() { m.len() } else { 0 },
            m.modified().ok().map(crate::civil::rfc3339_precise),
        ),
        Err(_) => (0, None),
    }
}

/// Formats a time as RFC 3339 UTC with second precision (no date dependency needed).
/// Audit times to the second; file times use [`crate::civil::rfc3339_precise`].
pub use crate::civil::rfc3339;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::civil::civil_from_days;

    #[test]
    fn formats_times() {
        let t = std::time::SystemTime::UNIX_EPOCH
            + std::time::Duration::from_secs(1_735_689_600 + 3661);
        assert_eq!(rfc3339(t), "2025-01-01T01:01:01Z");
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
