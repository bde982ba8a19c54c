//! Which license file covers which data: a LICENSE / COPYING file applies to the data
//! files in its folder and below, the nearest one winning.
//!
//! Dataset folders carry their terms in a LICENSE file far more often than in a card
//! or a manifest. Read as one more text file, its license made the whole source look
//! licensed while its data rows said "no evidence"; applied to the data beside it, on
//! a basis of its own (`license_file`), each data row says what covers it. License
//! files are identified before sharding, so every shard of a scan applies the same
//! terms to its rows.

use std::collections::HashMap;
use std::io::Read;

use rayon::prelude::*;

use crate::analyze::license::{Declared, DeclaredFrom, LicenseDetector};
use crate::discover::role::{MetadataKind, metadata_kind};
use crate::discover::{DiscoveredFile, Entry};

/// License files larger than this are not read: a license is a page or two of text.
const LICENSE_FILE_MAX: u64 = 1 << 20;

/// The identified license of each folder holding a license file, per root.
#[derive(Debug, Default)]
pub struct LicenseScope {
    by_dir: HashMap<(usize, String), Declared>,
}

impl LicenseScope {
    /// Reads and identifies every license file among `files` (in parallel). Several
    /// license files in one folder (`LICENSE-MIT`, `LICENSE-APACHE`) combine with AND,
    /// the reading that never understates obligations; unreadable or unidentified
    /// ones cover nothing.
    pub fn identify(files: &[DiscoveredFile], detector: &LicenseDetector) -> Self {
        let found: Vec<((usize, String), String)> = files
            .par_iter()
            .filter(|f| is_scoping_license_file(f))
            .filter_map(|f| {
                let license = identify_file(f, detector)?;
                Some(((f.root_index, parent(&f.path).to_string()), license))
            })
            .collect();
        let mut by_dir: HashMap<(usize, String), Declared> = HashMap::new();
        for (dir, license) in found {
            let terms = match by_dir.remove(&dir) {
                Some(prior) => format!("{} AND {license}", prior.expression),
                None => license,
            };
            by_dir.insert(dir, Declared::new(terms, DeclaredFrom::LicenseFile));
        }
        LicenseScope { by_dir }
    }

    /// The license of the license file nearest above `file` within its root.
    pub fn for_file(&self, file: &DiscoveredFile) -> Option<&Declared> {
        if self.by_dir.is_empty() {
            return None;
        }
        let mut dir = parent(&file.path);
        loop {
            if let Some(found) = self.by_dir.get(&(file.root_index, dir.to_string())) {
                return Some(found);
            }
            if dir.is_empty() {
                return None;
            }
            dir = parent(dir);
        }
    }
}

/// LICENSE, LICENCE and COPYING files that will be read; NOTICE files attribute, they
/// do not license.
pub(crate) fn is_scoping_license_file(file: &DiscoveredFile) -> bool {
    let name = file.file_name();
    file.entry == Entry::File
        && file.bytes <= LICENSE_FILE_MAX
        && metadata_kind(&name) == Some(MetadataKind::LicenseFile)
        && !name.to_ascii_uppercase().starts_with("NOTICE")
}

/// The identified license expression of one license file.
fn identify_file(file: &DiscoveredFile, detector: &LicenseDetector) -> Option<String> {
    let source = file.location.open(&file.path).ok()?;
    let mut bytes = Vec::new();
    crate::bytesource::SourceCursor::new(source, 0)
        .take(LICENSE_FILE_MAX + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    detector.identify_license_file(&text)?.license
}

/// The folder part of a root-relative path (`""` at the root).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}
