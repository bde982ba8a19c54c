//! Attaching files to sources.
//!
//! A file belongs to the nearest `provenance.toml` above it (within its root); failing
//! that, to the nearest Hugging Face dataset card (`README.md` with front matter);
//! failing that, to the top-level directory under its root. Declared facts come only
//! from those files: what is not there reads "not declared", never a guess.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::card::DatasetCard;
use super::manifest::{Manifest, ManifestError};
use crate::formats::detect::PROVENANCE_FILE;

/// Where a source's identity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceBasis {
    Manifest,
    DatasetCard,
    Directory,
}

/// A source: a body of data with one provenance. Deserialised when `merge` reads the
/// sources shard summaries declare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    pub basis: SourceBasis,
    /// The manifest's path relative to its root, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Manifest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<DatasetCard>,
}

/// Resolves and caches the source of each directory under one root.
pub struct SourceResolver {
    base: PathBuf,
    root_name: String,
    manifests: HashMap<PathBuf, Option<(String, Arc<Manifest>)>>,
    cards: HashMap<PathBuf, Option<(String, Arc<DatasetCard>)>>,
    sources: HashMap<PathBuf, Arc<Source>>,
}

impl SourceResolver {
    /// `base` is the directory paths are relative to; `root` the root as given.
    pub fn new(base: &Path, root: &Path) -> Self {
        let root_name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| root.display().to_string());
        SourceResolver {
            base: base.to_path_buf(),
            root_name,
            manifests: HashMap::new(),
            cards: HashMap::new(),
            sources: HashMap::new(),
        }
    }

    pub fn resolve(&mut self, file: &Path) -> Result<Arc<Source>, ManifestError> {
        let dir = file.parent().unwrap_or(&self.base).to_path_buf();
        if let Some(source) = self.sources.get(&dir) {
            return Ok(source.clone());
        }
        let manifest = self.nearest_manifest(&dir)?;
        let card = self.nearest_card(&dir);
        let (id, basis) = match (&manifest, &card) {
            (Some((_, m)), _) => (m.source.id.clone(), SourceBasis::Manifest),
            (None, Some((path, _))) => (
                card_source_id(path, &self.root_name),
                SourceBasis::DatasetCard,
            ),
            (None, None) => (self.top_level_dir(file), SourceBasis::Directory),
        };
        let source = Arc::new(Source {
            id,
            basis,
            manifest_path: manifest.as_ref().map(|(p, _)| p.clone()),
            manifest: manifest.map(|(_, m)| (*m).clone()),
            card_path: card.as_ref().map(|(p, _)| p.clone()),
            card: card.map(|(_, c)| (*c).clone()),
        });
        self.sources.insert(dir, source.clone());
        Ok(source)
    }

    fn nearest_manifest(
        &mut self,
        dir: &Path,
    ) -> Result<Option<(String, Arc<Manifest>)>, ManifestError> {
        for ancestor in self.ancestors(dir) {
            if let Some(hit) = self.manifests.get(&ancestor) {
                if hit.is_some() {
                    return Ok(hit.clone());
                }
                continue;
            }
            let candidate = ancestor.join(PROVENANCE_FILE);
            let hit = if candidate.is_file() {
                Some((self.rel(&candidate), Arc::new(Manifest::load(&candidate)?)))
            } else {
                None
            };
            self.manifests.insert(ancestor, hit.clone());
            if hit.is_some() {
                return Ok(hit);
            }
        }
        Ok(None)
    }

    fn nearest_card(&mut self, dir: &Path) -> Option<(String, Arc<DatasetCard>)> {
        for ancestor in self.ancestors(dir) {
            let hit = match self.cards.get(&ancestor) {
                Some(hit) => hit.clone(),
                None => {
                    let readme = ancestor.join("README.md");
                    let hit = std::fs::read_to_string(&readme)
                        .ok()
                        .and_then(|text| DatasetCard::parse(&text))
                        .map(|card| (self.rel(&readme), Arc::new(card)));
                    self.cards.insert(ancestor, hit.clone());
                    hit
                }
            };
            if hit.is_some() {
                return hit;
            }
        }
        None
    }

    /// `dir` and its ancestors up to the base, nearest first.
    fn ancestors(&self, dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut current = Some(dir);
        while let Some(d) = current {
            out.push(d.to_path_buf());
            if d == self.base || !d.starts_with(&self.base) {
                break;
            }
            current = d.parent();
        }
        out
    }

    fn rel(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.base).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    fn top_level_dir(&self, file: &Path) -> String {
        let rel = file.strip_prefix(&self.base).unwrap_or(file);
        let mut parts = rel.components();
        match (parts.next(), parts.next()) {
            (Some(first), Some(_)) => first.as_os_str().to_string_lossy().into_owned(),
            _ => self.root_name.clone(),
        }
    }
}

/// A card-declared source is named by the directory that holds the card.
fn card_source_id(card_path: &str, root_name: &str) -> String {
    match card_path.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => root_name.to_string(),
    }
}
