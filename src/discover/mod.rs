//! The discover stage: which files an audit covers, and which source each belongs to.
//!
//! Walking is separate from reading (as ripgrep separates its walker from its
//! searcher): this stage only lists, stats and attributes files. Every file it finds
//! becomes exactly one ledger row, including the ones that will not be read (symlinks
//! not followed, loops, unreadable entries), so nothing disappears silently.

pub mod card;
pub mod manifest;
mod remote;
pub mod shard;
pub mod source;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::bytesource::{self, ByteSource};
use crate::remote::{RemoteObject, RemoteRoot};
pub use source::{DeclarationReader, LocalDeclarations, Source, SourceResolver};

/// What the user asked the walk to do.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Globs over paths relative to their root; when any are given, a file must match one.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub follow_symlinks: bool,
    /// Paths never to enter (the output directory, when it sits inside a root).
    pub skip: Vec<PathBuf>,
    /// How object-store roots (`s3://...`) are reached.
    pub remote: crate::remote::RemoteOptions,
    /// Request counters shared by every object-store root of the run.
    pub remote_stats: Arc<crate::remote::RemoteStats>,
}

/// Why a discovered entry will not be read, when that is known before reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A regular file, to be read.
    File,
    /// A symbolic link left unfollowed (no `--follow-symlinks`).
    Symlink { target: String },
    /// A path the walk could not use: a symlink loop, a dangling link, a permission error.
    Broken { message: String },
    /// Not a regular file (a named pipe, a socket, a device), directly or through a
    /// followed link: never opened, since opening a FIFO blocks until a writer comes
    /// and a device such as `/dev/zero` never ends.
    Special { what: &'static str },
}

/// What a non-regular, non-directory entry is, in words; `None` for a regular file
/// (and a symbolic link, which the caller handles).
fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_file() || file_type.is_symlink() || file_type.is_dir() {
        None
    } else if file_type.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if file_type.is_socket() {
        Some("a socket")
    } else if file_type.is_block_device() {
        Some("a block device")
    } else if file_type.is_char_device() {
        Some("a character device")
    } else {
        Some("not a regular file")
    }
}

/// Where a discovered file lives, so the scanner can open it when its turn comes
/// rather than holding thousands of descriptors open.
#[derive(Debug, Clone)]
pub enum Location {
    Local(PathBuf),
    /// An object under an object-store root (`s3://...`).
    Remote(Arc<RemoteFile>),
}

/// An object and the root it was listed under.
#[derive(Debug)]
pub struct RemoteFile {
    pub root: RemoteRoot,
    pub object: RemoteObject,
}

impl Location {
    /// SHA-256 of the file as it is now (`verify`, `scan --rehash`), hex.
    pub fn sha256_hex(&self, name: &str) -> io::Result<String> {
        bytesource::sha256(&self.open(name)?).map(|d| bytesource::hex(&d))
    }

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
    /// The root as given.
    pub root: String,
    /// Path relative to the root, `/`-separated; for a root that is a file, its name.
    pub path: String,
    pub location: Location,
    pub bytes: u64,
    /// Modification time, RFC 3339 UTC, when the file system has one.
    pub modified: Option<String>,
    pub source: Arc<Source>,
    pub entry: Entry,
}

/// A problem with the request itself, before any file is read (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{root}: no such file or directory")]
    MissingRoot { root: String },
    #[error("invalid glob `{glob}`: {message}")]
    Glob { glob: String, message: String },
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
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
    let filters = Filters::new(options)?;
    let skip: Vec<PathBuf> = options
        .skip
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut files = Vec::new();
    for (root_index, root) in roots.iter().enumerate() {
        let text = root.to_string_lossy();
        if crate::remote::is_remote(&text) {
            remote::discover_remote(root_index, &text, options, &filters, &mut files)?;
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
        let root_name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| root.display().to_string());
        let declarations = LocalDeclarations { base: base.clone() };
        let mut resolver = SourceResolver::new(Box::new(declarations), root_name);
        let walker = WalkDir::new(root)
            .follow_links(options.follow_symlinks)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(is_hidden(e.file_name())
                        || (e.file_type().is_dir() && is_skipped(e.path(), &skip)))
            });
        for item in walker {
            let found = match item {
                Ok(entry) if entry.file_type().is_dir() => continue,
                Ok(entry) => {
                    let path = entry.path().to_path_buf();
                    let kind = if entry.path_is_symlink() && !options.follow_symlinks {
                        let target = std::fs::read_link(&path)
                            .map(|t| t.display().to_string())
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
                continue;
            }
            let source = resolver.resolve(&rel)?;
            let (bytes, modified) = stat(&path, &entry);
            files.push(DiscoveredFile {
                root_index,
                root: root.display().to_string(),
                path: rel,
                location: Location::Local(path),
                bytes,
                modified,
                source,
                entry,
            });
        }
    }
    files.sort_by(|a, b| (a.root_index, &a.path).cmp(&(b.root_index, &b.path)));
    Ok(files)
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

/// Hidden entries (`.git`, `.cache`, editor files) and VCS metadata are never data.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || matches!(name.as_ref(), "CVS" | "_darcs" | "__MACOSX")
}

fn is_skipped(path: &Path, skip: &[PathBuf]) -> bool {
    !skip.is_empty() && path.canonicalize().is_ok_and(|p| skip.contains(&p))
}

fn walk_error_message(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!(
            "symbolic link loop: points back to its ancestor {}",
            ancestor.display()
        );
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
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
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
