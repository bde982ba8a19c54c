//! provaudit: a one-pass auditor of AI training data.
//!
//! The crate is laid out along the data flow described in `docs/ARCHITECTURE.md`, one module per
//! stage, each feeding the next and never reaching back:
//!
//! ```text
//! discover ──► formats (read) ──► analyze ──► aggregate ──► ledger ──► (report)
//! ```
//!
//! [`scan`] wires the stages together and runs them in parallel; [`cli`] is the thin
//! command-line front end the `provaudit` binary calls.

#![warn(missing_docs)]

pub mod aggregate;
pub mod analyze;
pub mod audit;
pub mod bytesource;
pub mod civil;
pub mod cli;
pub mod config;
pub mod contract;
pub mod detect;
pub mod discover;
pub mod eval;
pub mod formats;
pub mod ledger;
pub mod progress;
pub mod record;
pub mod remote;
pub mod report;
pub mod review;
pub mod rng;
pub mod scan;
#[cfg(any(test, feature = "testkit"))]
pub mod synth;
pub mod wire;
