//! What a discovered file is to the dataset: training data, or the files around it.
//!
//! A dataset folder holds more than data: its card, its LICENSE, the `datasets`
//! library's state files, lock files and checksums. Read as data they distort every
//! figure a regulator reads (identical Apache texts become cross-source duplicates, a
//! card's YAML becomes German "text"), so they get the `metadata` role: hashed and kept
//! as evidence, never counted as records. The names are a table, so recognising
//! another tool's files is a data change.

use crate::wire::wire_enum;

wire_enum! {
    /// The role of a file in its dataset, a ledger column.
    pub enum FileRole("file role") {
        /// Training or evaluation data: its records are counted.
        Data = "data",
        /// About the data (cards, license files, library state, locks, checksums):
        /// hashed, its license evidence kept, no records counted.
        Metadata = "metadata",
        /// Images, audio and video: hashed and counted by modality, not read as records.
        Media = "media",
        /// Listed but not read: links not followed, special files, hidden files,
        /// unrecognised binaries.
        Skipped = "skipped",
    }
}

/// A row that does not say otherwise (one written before roles existed) is data.
impl Default for FileRole {
    fn default() -> Self {
        FileRole::Data
    }
}

/// How a metadata file name is recognised.
enum NameRule {
    /// The whole name, compared without regard to ASCII case.
    Exact(&'static str),
    /// A name that starts with this stem, alone or followed by `.`, `-` or `_`
    /// (`LICENSE`, `LICENSE.md`, `LICENCE-MIT`, `COPYING_GPL`).
    Stem(&'static str),
    /// A name ending with this extension (with its dot), any case.
    Extension(&'static str),
}

/// One row of the metadata table: how to recognise the file and what it is.
struct MetadataName {
    rule: NameRule,
    what: MetadataKind,
}

/// Why a file is metadata; license files are also matched as whole texts, and their
/// license applies to the data beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataKind {
    /// LICENSE, COPYING, NOTICE: the folder's terms.
    LicenseFile,
    /// A README or dataset card: documentation of the data.
    Card,
    /// Files written by the Hugging Face `datasets` library or hub around the data.
    LibraryState,
    /// `provenance.toml`: provaudit's own declaration.
    Manifest,
    /// Lock files and checksum lists.
    Integrity,
    /// Citation files.
    Citation,
}

const METADATA_NAMES: &[MetadataName] = &[
    MetadataName {
        rule: NameRule::Stem("LICENSE"),
        what: MetadataKind::LicenseFile,
    },
    MetadataName {
        rule: NameRule::Stem("LICENCE"),
        what: MetadataKind::LicenseFile,
    },
    MetadataName {
        rule: NameRule::Stem("COPYING"),
        what: MetadataKind::LicenseFile,
    },
    MetadataName {
        rule: NameRule::Stem("NOTICE"),
        what: MetadataKind::LicenseFile,
    },
    MetadataName {
        rule: NameRule::Exact("README.md"),
        what: MetadataKind::Card,
    },
    MetadataName {
        rule: NameRule::Exact("README.txt"),
        what: MetadataKind::Card,
    },
    MetadataName {
        rule: NameRule::Exact("README.rst"),
        what: MetadataKind::Card,
    },
    MetadataName {
        rule: NameRule::Exact("README"),
        what: MetadataKind::Card,
    },
    MetadataName {
        rule: NameRule::Exact("dataset_info.json"),
        what: MetadataKind::LibraryState,
    },
    MetadataName {
        rule: NameRule::Exact("dataset_infos.json"),
        what: MetadataKind::LibraryState,
    },
    MetadataName {
        rule: NameRule::Exact("dataset_dict.json"),
        what: MetadataKind::LibraryState,
    },
    MetadataName {
        rule: NameRule::Exact("state.json"),
        what: MetadataKind::LibraryState,
    },
    MetadataName {
        rule: NameRule::Exact("provenance.toml"),
        what: MetadataKind::Manifest,
    },
    MetadataName {
        rule: NameRule::Exact("provaudit.toml"),
        what: MetadataKind::Manifest,
    },
    MetadataName {
        rule: NameRule::Extension(".lock"),
        what: MetadataKind::Integrity,
    },
    MetadataName {
        rule: NameRule::Extension(".sha256"),
        what: MetadataKind::Integrity,
    },
    MetadataName {
        rule: NameRule::Extension(".sha1"),
        what: MetadataKind::Integrity,
    },
    MetadataName {
        rule: NameRule::Extension(".md5"),
        what: MetadataKind::Integrity,
    },
    MetadataName {
        rule: NameRule::Exact("SHA256SUMS"),
        what: MetadataKind::Integrity,
    },
    MetadataName {
        rule: NameRule::Exact("MD5SUMS"),
        what: MetadataKind::Integrity,
    },
    MetadataName {
        rule: NameRule::Exact("checksums.txt"),
        what: MetadataKind::Integrity,
    },
    MetadataName {
        rule: NameRule::Exact("CITATION.cff"),
        what: MetadataKind::Citation,
    },
    MetadataName {
        rule: NameRule::Exact("CITATION.bib"),
        what: MetadataKind::Citation,
    },
];

impl NameRule {
    fn matches(&self, name: &str) -> bool {
        match self {
            NameRule::Exact(exact) => name.eq_ignore_ascii_case(exact),
            NameRule::Stem(stem) => {
                name.len() >= stem.len()
                    && name.is_char_boundary(stem.len())
                    && name[..stem.len()].eq_ignore_ascii_case(stem)
                    && (name.len() == stem.len() || name[stem.len()..].starts_with(['.', '-', '_']))
            }
            NameRule::Extension(ext) => {
                name.len() > ext.len()
                    && name.is_char_boundary(name.len() - ext.len())
                    && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext)
            }
        }
    }
}

/// What kind of metadata a file name says the file is, or `None` for a name that
/// may hold data.
pub fn metadata_kind(name: &str) -> Option<MetadataKind> {
    METADATA_NAMES
        .iter()
        .find(|m| m.rule.matches(name))
        .map(|m| m.what)
}

/// `LICENSE`, `LICENSE.md`, `COPYING.txt`, `NOTICE`, `LICENCE-MIT`...
pub fn is_license_file_name(name: &str) -> bool {
    metadata_kind(name) == Some(MetadataKind::LicenseFile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_metadata_is_told_from_data_by_name() {
        for (name, kind) in [
            ("LICENSE", Some(MetadataKind::LicenseFile)),
            ("license.md", Some(MetadataKind::LicenseFile)),
            ("LICENCE-MIT", Some(MetadataKind::LicenseFile)),
            ("COPYING_GPL", Some(MetadataKind::LicenseFile)),
            ("README.md", Some(MetadataKind::Card)),
            ("dataset_info.json", Some(MetadataKind::LibraryState)),
            ("state.json", Some(MetadataKind::LibraryState)),
            ("dataset_dict.json", Some(MetadataKind::LibraryState)),
            ("poetry.lock", Some(MetadataKind::Integrity)),
            ("train.jsonl.sha256", Some(MetadataKind::Integrity)),
            ("provenance.toml", Some(MetadataKind::Manifest)),
            ("provaudit.toml", Some(MetadataKind::Manifest)),
            ("licenses.jsonl", None),
            ("LICENSEE.txt", None),
            ("train.jsonl", None),
            ("readme_corpus.jsonl", None),
            ("é", None),
        ] {
            assert_eq!(metadata_kind(name), kind, "{name}");
        }
    }
}
