//! `provaudit init DIR`: commented templates (Chinese and English) of the two
//! declaration files, so a provider starts from every key a filing asks for instead
//! of from the documentation. The templates are data files (`templates/`); each
//! parses as it is written (every key commented out but the source id), so a
//! template left untouched declares nothing rather than something false.

use std::path::{Path, PathBuf};

const PROVENANCE: &str = include_str!("templates/provenance.toml");
const PROVIDER: &str = include_str!("templates/provaudit.toml");

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A file of that name is there already: a declaration is never overwritten.
    #[error(
        "{0} exists already; init never overwrites a declaration (edit it, or move it away first)"
    )]
    Exists(PathBuf),
    /// The directory or a file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The templates for `dir`: (`provenance.toml` with the directory's name as source id,
/// `provaudit.toml`).
pub fn templates(dir: &Path) -> (String, String) {
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "my-source".into());
    // The id goes into a TOML basic string: keep it to characters that need no escape.
    let id: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    (PROVENANCE.replace("{id}", &id), PROVIDER.to_string())
}

/// Writes both templates into `dir` (created when missing); refuses, writing
/// nothing, when either file exists.
pub fn write_templates(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let targets = [dir.join("provenance.toml"), dir.join("provaudit.toml")];
    if let Some(existing) = targets.iter().find(|p| p.exists()) {
        return Err(InitError::Exists(existing.clone()));
    }
    std::fs::create_dir_all(dir).map_err(|source| InitError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let (provenance, provider) = templates(dir);
    for (path, text) in targets.iter().zip([provenance, provider]) {
        std::fs::write(path, text).map_err(|source| InitError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(targets.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::manifest::{Manifest, parse_strict};
    use crate::discover::provider::ProviderDecl;

    /// Untouched templates parse and declare nothing but the source id.
    #[test]
    fn templates_parse_and_declare_nothing() {
        let (provenance, provider) = templates(Path::new("/data/web crawl 2025"));
        let m = Manifest::parse(&provenance).unwrap();
        assert_eq!(m.source.id, "web-crawl-2025");
        let bare = crate::discover::manifest::SourceDecl {
            id: "web-crawl-2025".into(),
            ..Default::default()
        };
        assert_eq!(m.source, bare);
        assert!(m.annotation.is_none());
        let p: ProviderDecl = parse_strict(&provider).unwrap();
        assert_eq!(p, ProviderDecl::default());
    }

    /// Every key of the schema is in the templates, so a provider sees them all.
    #[test]
    fn templates_name_every_key() {
        let (provenance, provider) = templates(Path::new("x"));
        for key in [
            "name",
            "stage",
            "category",
            "origin",
            "url",
            "license",
            "collected",
            "consent_basis",
            "evidence",
            "originator",
            "ip_owner",
            "crawler",
            "robots",
            "generator",
            "processing",
            "illegal_content_removal",
            "rules",
            "rules_version",
            "rules_sha256",
            "annotators",
            "trained",
            "spot_check_rate",
            "spot_checked",
            "spot_check_accuracy",
        ] {
            assert!(
                provenance.contains(&format!("# {key} = ")),
                "provenance.toml lacks {key}"
            );
        }
        for key in [
            "name",
            "responsible_person",
            "contact",
            "complaint_channel",
            "version",
            "filing_id",
            "intended_purpose",
            "data_first_used",
            "aggregate_consumer_information",
        ] {
            assert!(
                provider.contains(&format!("# {key} = ")),
                "provaudit.toml lacks {key}"
            );
        }
    }

    #[test]
    fn never_overwrites() {
        let dir = std::env::temp_dir().join(format!("provaudit-init-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(write_templates(&dir).unwrap().len(), 2);
        assert!(matches!(write_templates(&dir), Err(InitError::Exists(_))));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
