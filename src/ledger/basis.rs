//! What an audit was made with: the rules hash and the effective options, hashed once
//! from their canonical serialisation.
//!
//! Two audits with the same rules hash classified data the same way, and two with the
//! same config hash were asked the same question; `--baseline`, `--resume` and `merge`
//! refuse audits where either differs, so both must be computed the same way by
//! every version that writes or reads them.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::analyze::Detectors;
use crate::analyze::minhash::MinHashParams;
use crate::discover::DiscoverOptions;
use crate::formats::{ReadOptions, TextUnit};
use crate::ledger::findings::FindingsMode;

/// The rules hash, the effective options as `summary.json` records them, and their hash.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanBasis {
    /// Hex SHA-256 over every rule table (see `rules_hash`).
    pub rules_hash: String,
    /// The effective options, as `summary.json` records them.
    pub options: serde_json::Value,
    /// Hex SHA-256 of the options' canonical JSON text.
    pub config_hash: String,
}

impl ScanBasis {
    /// The basis of a scan with these detectors and options.
    pub fn of(
        detectors: &Detectors,
        read: &ReadOptions,
        discover: &DiscoverOptions,
        findings: FindingsMode,
        near_duplicates: Option<MinHashParams>,
    ) -> Self {
        let mut effective = EffectiveOptions::of(read, discover, findings);
        effective.near_duplicates = near_duplicates;
        let (options, config_hash) = effective.hashed();
        ScanBasis {
            rules_hash: rules_hash(detectors),
            options,
            config_hash,
        }
    }
}

/// Hex SHA-256 over the rule tables: record layouts, language stop words and
/// identifier, format extensions and every detector's rules.
pub fn rules_hash(detectors: &Detectors) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    h.update(detectors.rules_fingerprint());
    for layout in crate::record::kind::LAYOUTS {
        h.update(format!(
            "{}|{:?}|{:?}|{:?}\n",
            layout.name, layout.kind, layout.all, layout.any
        ));
    }
    for (lang, words) in crate::analyze::language::STOPWORDS {
        h.update(format!("{lang}|{words:?}\n"));
    }
    h.update(crate::analyze::language::IDENTIFIER);
    for (ext, format) in crate::formats::detect::EXTENSIONS {
        h.update(format!("{ext}|{format:?}\n"));
    }
    crate::bytesource::hex(&h.finalize())
}

/// The options that change what the ledger says (not threads, chunking or progress).
/// Field order is the hashed text's order: changing it changes every config hash.
#[derive(Serialize)]
pub struct EffectiveOptions<'a> {
    text_unit: TextUnit,
    max_record_bytes: usize,
    include: &'a [String],
    exclude: &'a [String],
    follow_symlinks: bool,
    findings: FindingsMode,
    /// Left out at its default, so audits made before the option existed keep their
    /// config hash (and stay usable as baselines) and still compare equal.
    #[serde(skip_serializing_if = "is_default_expansion")]
    max_expansion: u64,
    /// `--hidden`, left out when not given for the same reason.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    hidden: bool,
    /// `--near-duplicates` and its parameters, left out when not given (same reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    near_duplicates: Option<MinHashParams>,
}

fn is_default_expansion(ratio: &u64) -> bool {
    *ratio == crate::formats::DEFAULT_MAX_EXPANSION
}

impl<'a> EffectiveOptions<'a> {
    /// The options of a scan that change its figures.
    pub fn of(read: &ReadOptions, discover: &'a DiscoverOptions, findings: FindingsMode) -> Self {
        EffectiveOptions {
            text_unit: read.text_unit,
            max_record_bytes: read.max_record_bytes,
            include: &discover.include,
            exclude: &discover.exclude,
            follow_symlinks: discover.follow_symlinks,
            findings,
            max_expansion: read.max_expansion,
            hidden: discover.hidden,
            near_duplicates: None,
        }
    }

    /// The options as JSON and the hex SHA-256 of that JSON's compact text.
    pub fn hashed(&self) -> (serde_json::Value, String) {
        let options = serde_json::to_value(self).unwrap_or_default();
        let config_hash = crate::bytesource::hex(&Sha256::digest(options.to_string()));
        (options, config_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_is_recorded_and_hashed_only_when_given() {
        let read = ReadOptions::default();
        let plain = DiscoverOptions::default();
        let hidden = DiscoverOptions {
            hidden: true,
            ..DiscoverOptions::default()
        };
        let (plain_options, plain_hash) =
            EffectiveOptions::of(&read, &plain, FindingsMode::None).hashed();
        let (options, hash) = EffectiveOptions::of(&read, &hidden, FindingsMode::None).hashed();
        assert!(plain_options.get("hidden").is_none());
        assert_eq!(options["hidden"], true);
        assert_ne!(hash, plain_hash);
    }

    /// Audits written before the options were serialised canonically hashed these
    /// exact texts: a change here makes every earlier audit unusable as a baseline.
    #[test]
    fn the_default_options_hash_as_they_always_did() {
        let discover = DiscoverOptions::default();
        let read = ReadOptions::default();
        let (options, hash) =
            EffectiveOptions::of(&read, &discover, FindingsMode::Sample(20)).hashed();
        assert_eq!(
            options.to_string(),
            r#"{"exclude":[],"findings":"Sample(20)","follow_symlinks":false,"include":[],"max_record_bytes":33554432,"text_unit":"line"}"#
        );
        assert_eq!(
            hash,
            crate::bytesource::hex(&Sha256::digest(options.to_string()))
        );
    }

    #[test]
    fn a_non_default_expansion_ratio_is_recorded_and_hashed() {
        let discover = DiscoverOptions::default();
        let read = ReadOptions {
            max_expansion: 10,
            ..ReadOptions::default()
        };
        let (default_options, default_hash) =
            EffectiveOptions::of(&ReadOptions::default(), &discover, FindingsMode::None).hashed();
        let (options, hash) = EffectiveOptions::of(&read, &discover, FindingsMode::None).hashed();
        assert_eq!(options["max_expansion"], 10);
        assert!(default_options.get("max_expansion").is_none());
        assert_ne!(hash, default_hash);
    }
}
