//! Hugging Face hub caches (`hub/datasets--ORG--NAME/{blobs,refs,snapshots}`).
//!
//! The hub stores each file once, as a blob named by its hash (no extension), and
//! gives every revision a snapshot folder of symbolic links to those blobs. Walked as
//! an ordinary folder, the snapshot links are skipped (or, with `--follow-symlinks`,
//! read beside the blobs, so every file counts twice) and the blobs are read as
//! unattributed data of unknown format. So a file inside a cache is placed here:
//!
//! - a snapshot link whose blob lies inside the cache is read through the link (its
//!   name gives the format), without `--follow-symlinks`; a link out of the cache is
//!   left as any link;
//! - a data blob that two revisions (or two paths) share is one file on disk and is
//!   read once, under the first of its snapshot paths (revisions a ref names first,
//!   then by name), so its records count once; the other links get `skipped` rows
//!   naming that path. Metadata (a LICENSE, a card) is read in every revision: it adds
//!   no records, and each revision's license file covers the data beside it;
//! - a blob gets a `skipped` row naming the snapshot path that reads it (or saying no
//!   snapshot links to it: an unfinished or superseded download);
//! - `refs/*` (a branch's commit hash) are metadata;
//! - every file of the repo belongs to one source named by the repo id (`org/name`),
//!   unless a `provenance.toml` declares one; the revisions read are on the source.
//!
//! Links are found by reading the cache's own `snapshots/` folder, so the answer does
//! not depend on which part of the cache the root names.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::path_text::{self, PathMask};
use super::source::{Source, SourceBasis};
use super::{Entry, role::FileRole};

/// The folder name prefix of a dataset repo in the hub cache.
const REPO_PREFIX: &str = "datasets--";

/// One cached repo, as seen from one root.
#[derive(Debug)]
struct Repo {
    /// The repo folder, canonical.
    dir: PathBuf,
    /// `org/name` (masked like any path text).
    id: String,
    /// Snapshot folder names (commit hashes) under the root, sorted.
    revisions: Vec<String>,
    /// Each blob (canonical path) and the snapshot paths linking to it under the
    /// root, the one that reads it first.
    readers: HashMap<PathBuf, Vec<String>>,
    /// Blobs only hidden snapshot files link to (`.gitattributes`, without
    /// `--hidden`), and the first such link: no row reads them.
    hidden: HashMap<PathBuf, String>,
}

/// What a file inside a cache is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placed {
    /// The entry the file gets in place of the walk's.
    pub entry: Entry,
    /// A role known from the layout (`refs/*` are metadata).
    pub role: Option<FileRole>,
}

/// Finds and places the files of hub caches under one root.
pub(crate) struct HubCaches {
    /// The root's base folder, canonical, to turn walked paths into real ones.
    base: Option<PathBuf>,
    /// The root, canonical: snapshot paths outside it are not read by this scan.
    root: Option<PathBuf>,
    /// Whether hidden files are read (`--hidden`): a hidden link reads no blob otherwise.
    read_hidden: bool,
    /// Repo folders seen, and folders known not to be repos.
    repos: HashMap<PathBuf, Option<Arc<Repo>>>,
    /// One source per repo and card, shared by its files.
    sources: HashMap<(PathBuf, Option<String>), Arc<Source>>,
    mask: Option<Arc<dyn PathMask>>,
}

impl HubCaches {
    /// For the root `root`, whose files are walked under `base`.
    pub fn new(
        base: &Path,
        root: &Path,
        read_hidden: bool,
        mask: Option<Arc<dyn PathMask>>,
    ) -> Self {
        HubCaches {
            base: base.canonicalize().ok(),
            root: root.canonicalize().ok(),
            read_hidden,
            repos: HashMap::new(),
            sources: HashMap::new(),
            mask,
        }
    }

    /// The entry, role and source of a walked file: unchanged outside a hub cache.
    /// `walked` is the path the walk gave under `base`.
    pub fn place(
        &mut self,
        base: &Path,
        walked: &Path,
        entry: Entry,
        source: Arc<Source>,
    ) -> (Entry, Option<FileRole>, Arc<Source>) {
        let Some(path) = self.real_path(base, walked) else {
            return (entry, None, source);
        };
        let Some(repo) = self.repo_of(&path) else {
            return (entry, None, source);
        };
        let placed = place_in(&repo, &path, entry);
        let source = self.source_of(&repo, source);
        (placed.entry, placed.role, source)
    }

    /// The walked path with the canonical base in front, so its folders' names are
    /// the real ones (a root given as `.` or through a link has none).
    fn real_path(&self, base: &Path, walked: &Path) -> Option<PathBuf> {
        let rel = walked.strip_prefix(base).ok()?;
        Some(self.base.as_ref()?.join(rel))
    }

    /// The nearest repo folder above `path`; only folders named `datasets--...` are
    /// looked at, so an ordinary dataset costs a name comparison per folder.
    fn repo_of(&mut self, path: &Path) -> Option<Arc<Repo>> {
        for dir in path.ancestors().skip(1) {
            let named = dir
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(REPO_PREFIX));
            if !named {
                continue;
            }
            if let Some(known) = self.repos.get(dir) {
                return known.clone();
            }
            let repo = self.open_repo(dir).map(Arc::new);
            self.repos.insert(dir.to_path_buf(), repo.clone());
            return repo;
        }
        None
    }

    fn open_repo(&self, dir: &Path) -> Option<Repo> {
        if !dir.join("blobs").is_dir() || !dir.join("snapshots").is_dir() {
            return None;
        }
        let name = dir.file_name()?.to_str()?.strip_prefix(REPO_PREFIX)?;
        let id = repo_id(name)?;
        let canonical = dir.canonicalize().ok()?;
        let refs = ref_targets(&canonical);
        let links = snapshot_links(&canonical, self.root.as_deref());
        let revisions = revisions(&canonical, self.root.as_deref());
        let mut readers: HashMap<PathBuf, Vec<(u8, String, String)>> = HashMap::new();
        let mut hidden: HashMap<PathBuf, (u8, String)> = HashMap::new();
        for link in links {
            let rank = match refs.get(&link.revision) {
                Some(true) => 0,
                Some(false) => 1,
                None => 2,
            };
            let text = format!("snapshots/{}/{}", link.revision, link.rel);
            if link.hidden && !self.read_hidden {
                let candidate = (rank, text);
                if hidden
                    .get(&link.blob)
                    .is_none_or(|known| candidate < *known)
                {
                    hidden.insert(link.blob, candidate);
                }
                continue;
            }
            readers
                .entry(link.blob)
                .or_default()
                .push((rank, link.revision, text));
        }
        let readers = readers
            .into_iter()
            .map(|(blob, mut paths)| {
                paths.sort();
                (blob, paths.into_iter().map(|(_, _, p)| p).collect())
            })
            .collect();
        Some(Repo {
            dir: canonical,
            id: self.masked(id),
            revisions: revisions.into_iter().map(|r| self.masked(r)).collect(),
            readers,
            hidden: hidden.into_iter().map(|(b, (_, p))| (b, p)).collect(),
        })
    }

    /// The repo's source: a manifest's source is kept (a declaration wins), any
    /// other takes the repo id and keeps the card it found.
    fn source_of(&mut self, repo: &Repo, found: Arc<Source>) -> Arc<Source> {
        if found.basis == SourceBasis::Manifest {
            return found;
        }
        let key = (repo.dir.clone(), found.card_path.clone());
        self.sources
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Source {
                    id: repo.id.clone(),
                    basis: SourceBasis::HubCache,
                    revisions: repo.revisions.clone(),
                    ..(*found).clone()
                })
            })
            .clone()
    }

    fn masked(&self, text: String) -> String {
        match self.mask.as_deref().and_then(|m| m.mask(&text)) {
            Some(hidden) => hidden,
            None => text,
        }
    }
}

/// `org--name` → `org/name`; a repo without an organisation keeps its bare name.
fn repo_id(name: &str) -> Option<String> {
    let id = name.replacen("--", "/", 1);
    let valid = !id.is_empty() && id.split('/').all(|part| !part.is_empty());
    valid.then(|| path_text::escape(id.as_bytes()).into_owned())
}

/// The snapshot folders (revisions) under the root, sorted.
fn revisions(repo: &Path, root: Option<&Path>) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(repo.join("snapshots")) else {
        return BTreeSet::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) && under_root(&e.path(), root))
        .map(|e| path_text::escape_os(&e.file_name()).into_owned())
        .collect()
}

/// Each revision a ref names, and whether it is `main` (read first).
fn ref_targets(repo: &Path) -> HashMap<String, bool> {
    let mut targets: HashMap<String, bool> = HashMap::new();
    let refs = repo.join("refs");
    for entry in walkdir::WalkDir::new(&refs)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(text) = read_small(entry.path()) else {
            continue;
        };
        let is_main = entry.path() == refs.join("main");
        let slot = targets.entry(text.trim().to_string()).or_default();
        *slot |= is_main;
    }
    targets
}

/// A ref is a commit hash; anything longer is not a ref and is not read.
fn read_small(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(256)
        .read_to_string(&mut text)?;
    Ok(text)
}

/// One snapshot link to a blob of its repo.
struct Link {
    revision: String,
    /// Path under the revision folder, `/`-separated path text.
    rel: String,
    /// The blob, canonical.
    blob: PathBuf,
    /// Whether a part of its path is hidden (`.gitattributes`): read only with
    /// `--hidden`.
    hidden: bool,
}

/// Every link under `snapshots/` whose target is a regular file inside `blobs/`,
/// and whose path lies under the root (a root inside one snapshot reads only that).
fn snapshot_links(repo: &Path, root: Option<&Path>) -> Vec<Link> {
    let snapshots = repo.join("snapshots");
    let blobs = repo.join("blobs");
    let mut links = Vec::new();
    for entry in walkdir::WalkDir::new(&snapshots)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        if !entry.path_is_symlink() || !under_root(path, root) {
            continue;
        }
        let Some(blob) = blob_of(path, &blobs) else {
            continue;
        };
        let Ok(inside) = path.strip_prefix(&snapshots) else {
            continue;
        };
        let mut parts = inside.components().filter_map(|c| match c {
            Component::Normal(part) => Some(path_text::escape_os(part).into_owned()),
            _ => None,
        });
        let Some(revision) = parts.next() else {
            continue;
        };
        let rel: Vec<String> = parts.collect();
        if rel.is_empty() {
            continue;
        }
        let hidden = inside.components().any(|c| super::is_hidden(c.as_os_str()));
        links.push(Link {
            revision,
            rel: rel.join("/"),
            blob,
            hidden,
        });
    }
    links
}

fn under_root(path: &Path, root: Option<&Path>) -> bool {
    root.is_none_or(|root| path.starts_with(root) || root.starts_with(path))
}

/// The blob a link leads to, when it is a regular file inside `blobs/`.
fn blob_of(link: &Path, blobs: &Path) -> Option<PathBuf> {
    let target = link.canonicalize().ok()?;
    let blobs = blobs.canonicalize().ok()?;
    (target.starts_with(&blobs) && target.is_file()).then_some(target)
}

/// Where in its repo a file is, and so what it is.
fn place_in(repo: &Repo, path: &Path, entry: Entry) -> Placed {
    let unchanged = Placed {
        entry: entry.clone(),
        role: None,
    };
    let Ok(inside) = path.strip_prefix(&repo.dir) else {
        return unchanged;
    };
    let first = inside.components().next().map(|c| c.as_os_str());
    // A hidden or special file keeps its row (`.no_exist/` markers are hidden).
    if !matches!(entry, Entry::File | Entry::Symlink { .. }) {
        return unchanged;
    }
    match first.and_then(|f| f.to_str()) {
        Some("snapshots") => place_snapshot(repo, path, inside, entry),
        Some("blobs") => place_blob(repo, path),
        Some("refs") if entry == Entry::File => Placed {
            entry,
            role: Some(FileRole::Metadata),
        },
        _ => unchanged,
    }
}

/// A snapshot link is read when it is its blob's first reader under the root.
fn place_snapshot(repo: &Repo, path: &Path, inside: &Path, entry: Entry) -> Placed {
    let unchanged = Placed {
        entry: entry.clone(),
        role: None,
    };
    let Some(blob) = blob_of(path, &repo.dir.join("blobs")) else {
        return unchanged;
    };
    let Some(readers) = repo.readers.get(&blob) else {
        return unchanged;
    };
    let own = repo_relative(inside);
    // Metadata adds no records, and each revision's LICENSE or card covers the data
    // beside it: every revision reads its own.
    let metadata = inside
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| super::role::metadata_kind(n).is_some());
    match readers.first() {
        Some(first) if *first == own || (metadata && readers.contains(&own)) => Placed {
            entry: Entry::File,
            role: None,
        },
        Some(first) => Placed {
            entry: Entry::ReadElsewhere {
                reason: format!(
                    "same blob as {first} in this hub cache (one file on disk), read there"
                ),
            },
            role: None,
        },
        None => unchanged,
    }
}

fn place_blob(repo: &Repo, path: &Path) -> Placed {
    let blob = path.canonicalize().ok();
    let reader = blob
        .as_ref()
        .and_then(|blob| repo.readers.get(blob)?.first());
    let hidden = blob.as_ref().and_then(|blob| repo.hidden.get(blob));
    let reason = match (reader, hidden) {
        (Some(first), _) => format!("blob of a hub cache, read through {first}"),
        (None, Some(link)) => {
            format!("blob of a hub cache behind the hidden file {link}; pass --hidden to read it")
        }
        (None, None) => "blob of a hub cache that no snapshot under the root links to \
                 (an unfinished or superseded download, or a revision not scanned)"
            .to_string(),
    };
    Placed {
        entry: Entry::ReadElsewhere { reason },
        role: None,
    }
}

/// A path inside the repo as reasons write it (`snapshots/REV/data/train.jsonl`).
fn repo_relative(inside: &Path) -> String {
    let parts: Vec<_> = inside
        .components()
        .map(|c| path_text::escape_os(c.as_os_str()))
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_ids_come_from_folder_names() {
        assert_eq!(repo_id("org--name").as_deref(), Some("org/name"));
        assert_eq!(repo_id("squad").as_deref(), Some("squad"));
        assert_eq!(repo_id("org--"), None);
        assert_eq!(repo_id(""), None);
    }
}
