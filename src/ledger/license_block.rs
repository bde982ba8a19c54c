//! The ledger's license column: a file's (or a group's) [`LicenseSummary`] with the
//! figures derived from it, so readers of the ledger need no license logic.

use serde::{Deserialize, Serialize};

use crate::analyze::license::{Category, Conflict, ConflictKind, LicenseSummary};

/// A row's (or group's) license columns: the evidence, and what it adds up to.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LicenseBlock {
    /// Declared and detected licenses and marker counts, flattened into the block.
    #[serde(flatten)]
    pub summary: LicenseSummary,
    /// Strictest-wins category over declared, license-file and detected terms
    /// (`unknown` when there are none: never assumed free).
    pub category: Category,
    /// What the category rests on: `manifest`, `dataset_card`, `license_file`,
    /// `content` (licenses or reservations of whole documents), joined by `+`, or
    /// `none`.
    pub basis: String,
    /// Some applicable term requires attribution.
    pub attribution: bool,
    /// Some applicable term requires share-alike.
    pub share_alike: bool,
    /// Conflicts between declaration and evidence, for review.
    pub conflicts: Vec<ConflictRow>,
}

/// A [`Conflict`] as stored in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRow {
    /// `stricter_than_declared`, `no_license`, `unknown_license`,
    /// `all_rights_reserved` or `tdm_opt_out`.
    pub kind: ConflictKind,
    /// The declared expression, when there is one.
    pub declared: Option<String>,
    /// The detected license or category, when there is one.
    pub detected: Option<String>,
    /// A human-readable explanation.
    pub detail: String,
}

impl From<&Conflict> for ConflictRow {
    fn from(c: &Conflict) -> Self {
        ConflictRow {
            kind: c.kind.clone(),
            declared: c.declared.clone(),
            detected: c.detected.clone(),
            detail: c.detail.clone(),
        }
    }
}

impl LicenseBlock {
    /// Derives the category, obligations and conflicts from `summary`.
    pub fn of(summary: LicenseSummary) -> Self {
        let flags = summary.flags();
        LicenseBlock {
            category: summary.category(),
            basis: summary.basis(),
            attribution: flags.attribution,
            share_alike: flags.share_alike,
            conflicts: summary.conflicts().iter().map(ConflictRow::from).collect(),
            summary,
        }
    }
}
