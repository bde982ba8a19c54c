//! The ledger's license column: a file's (or a group's) [`LicenseSummary`] with the
//! figures derived from it, so readers of the ledger need no license logic.

use serde::{Deserialize, Serialize};

use crate::analyze::license::{Category, Conflict, ConflictKind, LicenseSummary};

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LicenseBlock {
    #[serde(flatten)]
    pub summary: LicenseSummary,
    /// Strictest-wins category over declared and detected terms (`unknown` when there
    /// are none: never assumed free).
    pub category: Category,
    pub attribution: bool,
    pub share_alike: bool,
    pub conflicts: Vec<ConflictRow>,
}

/// A [`Conflict`] as stored in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRow {
    pub kind: ConflictKind,
    pub declared: Option<String>,
    pub detected: Option<String>,
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
    pub fn of(summary: LicenseSummary) -> Self {
        let flags = summary.flags();
        LicenseBlock {
            category: summary.category(),
            attribution: flags.attribution,
            share_alike: flags.share_alike,
            conflicts: summary.conflicts().iter().map(ConflictRow::from).collect(),
            summary,
        }
    }
}
