//! Discovery under an object-store prefix: the listing stands in for the walk.
//!
//! The rules are the local ones, applied to keys relative to the prefix: hidden and VCS
//! "directories" are counted and left out, hidden object names get `skipped` rows
//! (both unless `--hidden`), globs filter and count what they leave out, sources resolve from the nearest
//! `provenance.toml` or dataset card found in the listing. Only those few declaration
//! objects are downloaded here; data objects are opened when their turn comes.

use std::collections::HashSet;
use std::io;
use std::sync::Arc;

use super::is_hidden;
use super::path_text;
use super::source::{DECLARATION_LIMIT, DeclarationReader, SourceResolver};
use super::{DiscoverError, DiscoverOptions, DiscoveredFile, DiscoveryCounts, Entry, Filters};
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
    (files, counts): (&mut Vec<DiscoveredFile>, &mut DiscoveryCounts),
) -> Result<(), DiscoverError> {
    let root = RemoteRoot::open(url, &options.remote, options.remote_stats.clone())?;
    let objects = root.list_counted(&|bytes| options.listed.found(bytes))?;
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
    let mut hidden_dirs = HashSet::new();
    for object in objects {
        let rel = path_text::escape(object.rel.as_bytes()).into_owned();
        let hidden = (!options.hidden).then(|| hidden_part(&rel)).flatten();
        if let Some(HiddenPart::Dir(dir)) = hidden {
            hidden_dirs.insert(dir.to_string());
            counts.hidden_files_in_hidden_dirs += 1;
            continue;
        }
        if !filters.wanted(&rel) {
            counts.excluded_by_glob += 1;
            continue;
        }
        let entry = match hidden {
            Some(_) => Entry::Hidden,
            None => Entry::File,
        };
        counts.hidden_files += u64::from(entry == Entry::Hidden);
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
            entry,
            role: None,
        });
    }
    counts.hidden_dirs += hidden_dirs.len() as u64;
    Ok(())
}

/// Where a key is hidden: under a hidden "folder" (the outermost one, so a folder
/// inside another is not counted again), or in its own name.
enum HiddenPart<'a> {
    Dir(&'a str),
    Name,
}

fn hidden_part(rel: &str) -> Option<HiddenPart<'_>> {
    let mut end = 0;
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        end += part.len();
        if is_hidden(part.as_ref()) {
            return Some(match parts.peek() {
                Some(_) => HiddenPart::Dir(&rel[..end]),
                None => HiddenPart::Name,
            });
        }
        end += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_hidden_by_its_outermost_hidden_folder_or_its_own_name() {
        let dir = |rel| match hidden_part(rel) {
            Some(HiddenPart::Dir(d)) => Some(d),
            _ => None,
        };
        assert_eq!(dir(".git/objects/ab"), Some(".git"));
        assert_eq!(dir("a/.cache/.b/c.jsonl"), Some("a/.cache"));
        assert_eq!(dir("a/__MACOSX/._x"), Some("a/__MACOSX"));
        assert!(matches!(hidden_part("a/.x.jsonl"), Some(HiddenPart::Name)));
        assert!(hidden_part("a/b.jsonl").is_none());
        assert!(hidden_part("a.b/c").is_none());
    }
}
