//! Building blocks for scheduled audits (issue #6): integrity checks, inclusion proofs,
//! audit diffs and policy gates.
//!
//! Everything here works from an audit directory's files alone (`summary.json`,
//! `ledger.jsonl`, ...) and reads them leniently, so an audit written by an older or
//! newer provaudit can still be verified, diffed and gated.

pub(crate) mod diff;

pub(crate) mod integrity;
pub(crate) mod merge;
mod near_merge;
/// The Merkle tree lives with the ledger that writes it; re-exported for the
/// verifiers here.
pub use crate::ledger::merkle;
pub mod policy;
pub(crate) mod rehash;

pub use crate::contract::AuditError;

#[cfg(test)]
pub(crate) mod testdata;
