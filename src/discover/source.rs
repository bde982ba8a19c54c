//! Attaching files to sources.
//!
//! A file belongs to the nearest `provenance.toml` above it (within its root); failing
//! that, to the nearest Hugging Face dataset card (`README.md` with front matter);
//! failing that, to the top-level directory under its root. Declared facts come only
//! from those files: what is not there reads "not declared", never a guess.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::card::DatasetCard;
use super::manifest::{Manifest, ManifestError};
use super::path_text::{self, PathMask};

/// The manifest file name that declares a source.
pub const PROVENANCE_FILE: &str = "provenance.toml";

/// Where a source's identity came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceBasis {
    /// Named by a `provenance.toml`.
    Manifest,
    /// Named by a Hugging Face dataset card (`README.md` front matter).
    DatasetCard,
    /// Named after the top-level folder under its root (nothing declared).
    #[default]
    Directory,
    /// Named by the repo id of a Hugging Face hub cache folder (`datasets--org--name`).
    HubCache,
}

/// A source: a body of data with one provenance. Deserialised when `merge` reads the
/// sources shard summaries declare.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Source {
    /// The id written in every row of the source's files.
    pub id: String,
    /// Where the id came from.
    pub basis: SourceBasis,
    /// The manifest's path relative to its root, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_path: Option<String>,
    /// Shared by every directory below the manifest, never copied per directory.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "shared")]
    pub manifest: Option<Arc<Manifest>>,
    /// The dataset card's path relative to its root, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_path: Option<String>,
    /// The parsed card, shared like the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "shared")]
    pub card: Option<Arc<DatasetCard>>,
    /// For a hub cache, the snapshot revisions (commit hashes) the scan reads: each
    /// row's path names its own (`snapshots/REV/...`), but a root inside one snapshot
    /// does not, so the source says it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<String>,
}

/// Serde for a shared declaration, written as the declaration itself (serde's `rc`
/// feature would do the same, at the price of rebuilding every crate that uses serde).
mod shared {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Arc<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.as_deref().serialize(serializer)
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Arc<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(|v| v.map(Arc::new))
    }
}

/// How the resolver reads the few small files that declare sources (`provenance.toml`,
/// `README.md`), by path relative to the root: from a local directory or an
/// object-store prefix alike.
pub trait DeclarationReader {
    /// The file's text; `Ok(None)` when there is no such file.
    fn read(&self, rel: &str) -> std::io::Result<Option<String>>;
    /// How `rel` is named in messages.
    fn display(&self, rel: &str) -> String;
}

/// Declarations in a local directory.
pub struct LocalDeclarations {
    /// The directory relative paths are resolved against.
    pub base: PathBuf,
}

/// The largest declaration read, locally or from an object store (where a larger one
/// is refused rather than downloaded): a manifest or card is a page of text, and one
/// is held per source for the whole scan.
pub const DECLARATION_LIMIT: u64 = 1 << 20;

impl DeclarationReader for LocalDeclarations {
    fn read(&self, rel: &str) -> std::io::Result<Option<String>> {
        use std::io::Read;
        let path = self.base.join(path_text::to_path(rel));
        // Only a regular file is opened: a FIFO named provenance.toml would block.
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        std::fs::File::open(&path)?
            .take(DECLARATION_LIMIT + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > DECLARATION_LIMIT {
            // A large README without front matter is documentation, not a card.
            if rel.ends_with("README.md") && !starts_front_matter(&bytes) {
                return Ok(None);
            }
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                format!("over the {DECLARATION_LIMIT}-byte limit for declarations"),
            ));
        }
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    fn display(&self, rel: &str) -> String {
        let path = self.base.join(path_text::to_path(rel));
        path_text::escape_os(path.as_os_str()).into_owned()
    }
}

type Declared<T> = Option<(String, Arc<T>)>;

/// Resolves and caches the source of each directory under one root. Paths are
/// relative to the root's base, `/`-separated; `""` is the base itself.
pub struct SourceResolver {
    reader: Box<dyn DeclarationReader>,
    root_name: String,
    manifests: HashMap<String, Declared<Manifest>>,
    cards: HashMap<String, Declared<DatasetCard>>,
    sources: HashMap<String, Arc<Source>>,
    /// Source ids taken from directory names, and declaration paths, are path text.
    mask: Option<Arc<dyn PathMask>>,
    /// The root is one `datasets` library folder (`save_to_disk`, or a cache entry):
    /// its split folders and shard files are one dataset, named after the root.
    datasets_folder: bool,
}

impl SourceResolver {
    /// `root_name` names the source of files directly under the base.
    pub fn new(reader: Box<dyn DeclarationReader>, root_name: String) -> Self {
        SourceResolver {
            reader,
            root_name,
            manifests: HashMap::new(),
            cards: HashMap::new(),
            sources: HashMap::new(),
            mask: None,
            datasets_folder: false,
        }
    }

    /// Marks the root as one `datasets` library folder ([`is_datasets_folder`]).
    pub fn datasets_folder(mut self, yes: bool) -> Self {
        self.datasets_folder = yes;
        self
    }

    /// Masks personal information in what it records from paths (see `path_text`).
    pub fn masked_by(mut self, mask: Option<Arc<dyn PathMask>>) -> Self {
        self.mask = mask;
        self
    }

    fn masked(&self, text: String) -> String {
        match self.mask.as_deref().and_then(|m| m.mask(&text)) {
            Some(hidden) => hidden,
            None => text,
        }
    }

    /// The source of the file at `rel`.
    pub fn resolve(&mut self, rel: &str) -> Result<Arc<Source>, ManifestError> {
        let dir = parent(rel).to_string();
        // Files directly under the root are sourced per file group, so they are cached
        // under their group (a key no directory can have).
        let key = match dir.is_empty() {
            true => format!("/{}", self.top_level_dir(rel)),
            false => dir.clone(),
        };
        if let Some(source) = self.sources.get(&key) {
            return Ok(source.clone());
        }
        let manifest = self.nearest_manifest(&dir)?;
        let card = self.nearest_card(&dir)?;
        let (id, basis) = match (&manifest, &card) {
            (Some((_, m)), _) => (m.source.id.clone(), SourceBasis::Manifest),
            (None, Some((path, card))) => (
                match (&card.pretty_name, path.rsplit_once('/')) {
                    (Some(name), _) if !name.trim().is_empty() => self.masked(name.trim().into()),
                    (_, Some((dir, _))) => self.masked(dir.to_string()),
                    (_, None) => self.root_name.clone(),
                },
                SourceBasis::DatasetCard,
            ),
            (None, None) => (self.top_level_dir(rel), SourceBasis::Directory),
        };
        let source = Arc::new(Source {
            id,
            basis,
            manifest_path: manifest.as_ref().map(|(p, _)| self.masked(p.clone())),
            manifest: manifest.map(|(_, m)| m),
            card_path: card.as_ref().map(|(p, _)| self.masked(p.clone())),
            card: card.map(|(_, c)| c),
            revisions: Vec::new(),
        });
        self.sources.insert(key, source.clone());
        Ok(source)
    }

    fn nearest_manifest(&mut self, dir: &str) -> Result<Declared<Manifest>, ManifestError> {
        for ancestor in ancestors(dir) {
            if let Some(hit) = self.manifests.get(ancestor) {
                if hit.is_some() {
                    return Ok(hit.clone());
                }
                continue;
            }
            let candidate = join(ancestor, PROVENANCE_FILE);
            let shown = || self.reader.display(&candidate);
            let text = self
                .reader
                .read(&candidate)
                .map_err(|source| ManifestError::Read {
                    path: shown(),
                    source,
                })?;
            let hit = match text {
                Some(text) => {
                    let manifest =
                        Manifest::parse(&text).map_err(|message| ManifestError::Invalid {
                            path: shown(),
                            message,
                        })?;
                    Some((candidate.clone(), Arc::new(manifest)))
                }
                None => None,
            };
            self.manifests.insert(ancestor.to_string(), hit.clone());
            if hit.is_some() {
                return Ok(hit);
            }
        }
        Ok(None)
    }

    /// The nearest dataset card. An unreadable README is not a card, but a card over
    /// [`DECLARATION_LIMIT`] stops the scan naming it, as a manifest would.
    fn nearest_card(&mut self, dir: &str) -> Result<Declared<DatasetCard>, ManifestError> {
        for ancestor in ancestors(dir) {
            let hit = match self.cards.get(ancestor) {
                Some(hit) => hit.clone(),
                None => {
                    let readme = join(ancestor, "README.md");
                    let text = match self.reader.read(&readme) {
                        Ok(text) => text,
                        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
                            return Err(ManifestError::Read {
                                path: self.reader.display(&readme),
                                source: e,
                            });
                        }
                        Err(_) => None,
                    };
                    let hit = text
                        .and_then(|text| DatasetCard::parse(&text))
                        .map(|card| (readme, Arc::new(card)));
                    self.cards.insert(ancestor.to_string(), hit.clone());
                    hit
                }
            };
            if hit.is_some() {
                return Ok(hit);
            }
        }
        Ok(None)
    }

    /// A file in a folder belongs to the folder under the root; a file directly under
    /// the root to its file group (`dpo_zh.json` → `dpo_zh`, `web-00001-of-00004.jsonl`
    /// → `web`), so a web-text sample and a DPO set scanned together stay two sources.
    /// Names that are only a split (`train.jsonl`), metadata files and a root that is
    /// itself a file keep the root's name.
    fn top_level_dir(&self, rel: &str) -> String {
        if self.datasets_folder {
            return self.root_name.clone();
        }
        match rel.split_once('/') {
            Some((first, _)) => self.masked(first.to_string()),
            None if rel == self.root_name || super::role::metadata_kind(rel).is_some() => {
                self.root_name.clone()
            }
            None => match file_group(rel) {
                Some(group) => self.masked(group.to_string()),
                None => self.root_name.clone(),
            },
        }
    }
}

/// Compression suffixes stripped before the format's extension.
const COMPRESSION_EXTENSIONS: &[&str] = &["gz", "zst", "zstd", "bz2", "xz", "lz4", "br"];

/// Split names that say which part of a dataset a file is, not which dataset.
pub const SPLIT_WORDS: &[&str] = &["train", "test", "validation", "valid", "val", "dev"];

/// The group a top-level file belongs to: its name without extensions, shard numbers
/// (`-00000-of-00004`, `_part-003`, `-12`) and split words; `None` when nothing is
/// left (`train.jsonl`, `00001.parquet`).
pub fn file_group(name: &str) -> Option<&str> {
    let mut stem = name;
    if let Some((head, ext)) = stem.rsplit_once('.')
        && COMPRESSION_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    {
        stem = head;
    }
    if let Some((head, _)) = stem.rsplit_once('.')
        && !head.is_empty()
    {
        stem = head;
    }
    stem = strip_shard(stem);
    for word in SPLIT_WORDS {
        stem = strip_word(stem, word);
    }
    stem = strip_shard(stem).trim_matches(['-', '_', '.', ' ']);
    (!stem.is_empty() && !stem.bytes().all(|b| b.is_ascii_digit())).then_some(stem)
}

/// `x-00000-of-00004` → `x`, `x_part-003` → `x`, `x-12` → `x`.
fn strip_shard(stem: &str) -> &str {
    let mut stem = stem;
    if let Some(i) = stem.rfind("-of-")
        && stem[i + 4..].bytes().all(|b| b.is_ascii_digit())
    {
        stem = stem[..i].trim_end_matches(|c: char| c.is_ascii_digit());
    }
    let trimmed = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() < stem.len() && trimmed.ends_with(['-', '_', '.']) {
        stem = trimmed.trim_end_matches(['-', '_', '.']);
        for part in ["part", "shard", "chunk"] {
            if stem.len() > part.len() && stem.to_ascii_lowercase().ends_with(part) {
                stem = &stem[..stem.len() - part.len()];
            }
        }
    }
    stem.trim_end_matches(['-', '_', '.'])
}

/// Removes a split word standing alone at either end of a stem (`dpo_train` → `dpo`,
/// `test-gsm8k` → `gsm8k`), never inside a word (`trains`, `devices`).
fn strip_word<'s>(stem: &'s str, word: &str) -> &'s str {
    let lower = stem.to_ascii_lowercase();
    if lower == word {
        return "";
    }
    let separated = |c: char| matches!(c, '-' | '_' | '.');
    if lower.ends_with(word) && stem[..stem.len() - word.len()].ends_with(separated) {
        return &stem[..stem.len() - word.len() - 1];
    }
    if lower.starts_with(word) && stem[word.len()..].starts_with(separated) {
        return &stem[word.len() + 1..];
    }
    stem
}

/// Whether `dir` is a folder the Hugging Face `datasets` library wrote: a
/// `save_to_disk` dataset dict (`dataset_dict.json` over one folder per split), or a
/// dataset (`state.json` and `dataset_info.json` beside its Arrow shards). Its files are
/// one dataset, not a source per split folder or per shard name.
pub fn is_datasets_folder(dir: &std::path::Path) -> bool {
    let has = |name: &str| dir.join(name).is_file();
    has("dataset_dict.json") || (has("state.json") && has("dataset_info.json"))
}

/// Whether a README opens a YAML front matter block (a dataset card).
fn starts_front_matter(bytes: &[u8]) -> bool {
    bytes
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(bytes)
        .starts_with(b"---")
}

/// The directory part of a relative path (`""` for a file directly under the base).
fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir` and its ancestors up to the base, nearest first.
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = (!current.is_empty()).then(|| parent(current));
        Some(current)
    })
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Declarations from a map of relative paths, for resolver tests.
    struct Fixed(HashMap<String, String>);

    impl DeclarationReader for Fixed {
        fn read(&self, rel: &str) -> std::io::Result<Option<String>> {
            Ok(self.0.get(rel).cloned())
        }
        fn display(&self, rel: &str) -> String {
            rel.to_string()
        }
    }

    #[test]
    fn one_manifest_is_shared_by_every_directory_below_it() {
        let files = HashMap::from([(
            "data/provenance.toml".to_string(),
            "[source]\nid = \"crawl\"\n".to_string(),
        )]);
        let mut resolver = SourceResolver::new(Box::new(Fixed(files)), "root".into());
        let a = resolver.resolve("data/a/x.jsonl").unwrap();
        let b = resolver.resolve("data/b/c/y.jsonl").unwrap();
        assert_eq!((a.id.as_str(), b.id.as_str()), ("crawl", "crawl"));
        let (Some(ma), Some(mb)) = (&a.manifest, &b.manifest) else {
            panic!("both directories have the manifest");
        };
        assert!(Arc::ptr_eq(ma, mb), "the manifest is shared, not copied");
    }

    #[test]
    fn top_level_files_are_grouped_by_stem_not_lumped_under_the_root() {
        for (name, group) in [
            ("web_sample.jsonl", Some("web_sample")),
            ("dpo_zh.json", Some("dpo_zh")),
            ("kto.jsonl.zst", Some("kto")),
            ("dpo_train.jsonl", Some("dpo")),
            ("dpo-test.jsonl.gz", Some("dpo")),
            ("web-00001-of-00004.parquet", Some("web")),
            ("web_part-003.jsonl", Some("web")),
            ("train-00000-of-00002.parquet", None),
            ("train.jsonl", None),
            ("00001.parquet", None),
            ("devices.csv", Some("devices")),
            ("README", Some("README")),
        ] {
            assert_eq!(file_group(name), group, "{name}");
        }
        let mut resolver = SourceResolver::new(Box::new(Fixed(HashMap::new())), "root".into());
        let ids: Vec<String> = [
            "web.jsonl",
            "dpo_zh.json",
            "test.jsonl",
            "LICENSE",
            "a/x.jsonl",
        ]
        .iter()
        .map(|rel| resolver.resolve(rel).unwrap().id.clone())
        .collect();
        assert_eq!(ids, ["web", "dpo_zh", "root", "root", "a"]);
    }

    #[test]
    fn sources_serialise_their_declarations_inline() {
        let files = HashMap::from([(
            "provenance.toml".to_string(),
            "[source]\nid = \"crawl\"\n".to_string(),
        )]);
        let mut resolver = SourceResolver::new(Box::new(Fixed(files)), "root".into());
        let source = resolver.resolve("x.jsonl").unwrap();
        let json = serde_json::to_string(&*source).unwrap();
        let back: Source = serde_json::from_str(&json).unwrap();
        assert_eq!(back, *source);
        assert!(json.contains("\"manifest\":{"), "{json}");
    }
}
