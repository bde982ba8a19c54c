//! Discovery under an object-store prefix: the listing stands in for the walk.
//!
//! The rules are the local ones, applied to keys relative to the prefix: hidden and VCS
//! "directories" are skipped, globs filter, sources resolve from the nearest
//! `provenance.toml` or dataset card found in the listing. Only those few declaration
//! objects are downloaded here; data objects are opened when their turn comes.

use std::collections::HashSet;
use std::io;
use std::sync::Arc;

use super::path_text;
use super::source::{DECLARATION_LIMIT, DeclarationReader, SourceResolver};
use super::{DiscoverError, DiscoverOptions, DiscoveredFile, Entry, Filters, is_hidden};
use super::{Location, RemoteFile};
use crate::remote::RemoteRoot;

/// Reads `provenance.toml` and `README.md` objects, and only those the listing has, so
/// resolving a source costs no request for files that are not there.
struct RemoteDeclarations {
    root: RemoteRoot,
    keys: HashSet<String>,
}

impl DeclarationReader for RemoteDeclarations {
    fn read(&self, rel: &str) -> io::Result<Option<String>> {
        let Some(rel) = key(rel) else {
            return Ok(None);
        };
        let rel = rel.as_str();
        if !self.keys.contains(rel) {
            return Ok(None);
        }
        match self.root.read_small(rel, DECLARATION_LIMIT) {
            Ok(Some(bytes)) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Ok(None) => Ok(None),
            Err(e) => Err(io::Error::other(e.to_string())),
        }
    }

    fn display(&self, rel: &str) -> String {
        let url = self
            .root
            .url_of(&key(rel).unwrap_or_else(|| rel.to_string()));
        path_text::escape(url.as_bytes()).into_owned()
    }
}

/// The listing's key recorded as path text `rel`.
fn key(rel: &str) -> Option<String> {
    path_text::unescape(rel).and_then(|b| String::from_utf8(b).ok())
}

/// Lists one remote root into `files`.
pub(super) fn discover_remote(
    root_index: usize,
    url: &str,
    options: &DiscoverOptions,
    filters: &Filters,
    files: &mut Vec<DiscoveredFile>,
) -> Result<(), DiscoverError> {
    let root = RemoteRoot::open(url, &options.remote, options.remote_stats.clone())?;
    let objects = root.list()?;
    if objects.is_empty() {
        return Err(DiscoverError::MissingRoot {
            root: url.to_string(),
        });
    }
    let keys = objects.iter().map(|o| o.rel.clone()).collect();
    let declarations = RemoteDeclarations {
        root: root.clone(),
        keys,
    };
    let root_name = path_text::escape(root.root_name().as_bytes()).into_owned();
    let mut resolver =
        SourceResolver::new(Box::new(declarations), root_name).masked_by(options.mask.clone());
    let root_text = path_text::escape(url.as_bytes()).into_owned();
    for object in objects {
        let rel = path_text::escape(object.rel.as_bytes()).into_owned();
        if rel.split('/').any(|part| is_hidden(part.as_ref())) || !filters.wanted(&rel) {
            continue;
        }
        let source = resolver.resolve(&rel)?;
        files.push(DiscoveredFile {
            root_index,
            root: root_text.clone(),
            path: rel,
            bytes: object.size,
            modified: object.modified.map(crate::civil::rfc3339_precise),
            location: Location::Remote(Arc::new(RemoteFile {
                root: root.clone(),
                object,
            })),
            source,
            entry: Entry::File,
        });
    }
    Ok(())
}
