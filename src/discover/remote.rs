//! Discovery under an object-store prefix: the listing stands in for the walk.
//!
//! The rules are the local ones, applied to keys relative to the prefix: hidden and VCS
//! "directories" are skipped, globs filter, sources resolve from the nearest
//! `provenance.toml` or dataset card found in the listing. Only those few declaration
//! objects are downloaded here; data objects are opened when their turn comes.

use std::collections::HashSet;
use std::io;
use std::sync::Arc;

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
        self.root.url_of(rel)
    }
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
    let mut resolver = SourceResolver::new(Box::new(declarations), root.root_name());
    for object in objects {
        let rel = object.rel.clone();
        if rel.split('/').any(|part| is_hidden(part.as_ref())) || !filters.wanted(&rel) {
            continue;
        }
        let source = resolver.resolve(&rel)?;
        files.push(DiscoveredFile {
            root_index,
            root: url.to_string(),
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
