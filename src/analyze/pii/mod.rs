//! Personal-information (PII) detection.
//!
//! Rules are data (`rules.rs`): a pattern, a validator, optional context words
//! and edge conditions. A [`PiiMatch`] holds offsets and a rule index but never
//! the value, so no log line or `Debug` print can leak one by accident:
//! [`PiiDetector::mask`] is the only way to render a match.
//!
//! How a text is scanned (details in `engine` and `window`):
//! 1. Candidate starts come from a few multi-pattern finders: number-shaped
//!    rules are searched only in windows around digit runs (found by a
//!    vectorised byte scan), literal-prefixed secrets and e-mail over the
//!    whole text with the regex engine's literal prefilters.
//! 2. At each candidate start one anchored lazy-DFA pass over *all* patterns
//!    reports every (rule, end) pair.
//! 3. Per rule, longest end first: edge check (instead of `\b`, which fails
//!    next to CJK), veto words, validator (check digits, calendars, number
//!    plans, address classes, entropy), then context words. The longest valid
//!    match wins; ties go to the earlier rule.

pub mod accuracy;
mod address;
pub mod civil;
mod config;
mod detector;
mod edge;
mod engine;
mod lexicon;
mod mask;
mod names;
mod path;
mod phone;
mod prose;
mod rules;
#[cfg(any(test, feature = "testkit"))]
pub mod synth;
mod tables;
mod validate;
mod veto;
mod window;

use crate::wire::wire_enum;

pub use config::{PiiConfig, PiiConfigError, UserRule};
pub use detector::{PiiDetector, PiiScratch};
pub use path::path_mask;
pub use phone::DEFAULT_REGIONS as DEFAULT_PHONE_REGIONS;

wire_enum! {
    /// The canonical PII types of provaudit's outputs (`docs/ARCHITECTURE.md`, "Canonical identifiers").
    pub enum PiiType("PII type") {
        /// `email`: an email address (placeholder domains are tagged, not counted).
        Email = "email",
        /// `phone`: a phone number valid in its numbering plan.
        Phone = "phone",
        /// `cn_resident_id`: an 18-digit Chinese resident ID with a valid check digit.
        CnResidentId = "cn_resident_id",
        /// `cn_uscc`: a Chinese unified social credit code (GB 32100 check character).
        CnUscc = "cn_uscc",
        /// `cn_passport`: a Chinese passport number, near a passport word.
        CnPassport = "cn_passport",
        /// `bank_card`: a Luhn-valid payment card number of a known network.
        BankCard = "bank_card",
        /// `us_ssn`: a US social security number outside the never-issued ranges.
        UsSsn = "us_ssn",
        /// `iban`: an IBAN with a valid mod-97 check and its country's length.
        Iban = "iban",
        /// `ip_address`: an IPv4 or IPv6 address (private and reserved ranges are tagged).
        IpAddress = "ip_address",
        /// `cn_license_plate`: a Chinese vehicle licence plate.
        CnLicensePlate = "cn_license_plate",
        /// `secret`: a private key, access token or password in a URL.
        Secret = "secret",
        /// `person_name`: a person's name, confirmed by a label, title,
        /// salutation or signature next to it (`names`).
        PersonName = "person_name",
        /// `address`: a postal address of two levels or more (city and
        /// district, number and street), by grammar (`address`).
        Address = "address",
    }
}

impl PiiType {
    /// Types whose every match is confirmed by a check digit or a strict
    /// structural rule; the accuracy gate holds these to the highest bar.
    pub fn is_checksummed(&self) -> bool {
        matches!(
            self,
            PiiType::CnResidentId
                | PiiType::CnUscc
                | PiiType::BankCard
                | PiiType::Iban
                | PiiType::UsSsn
        )
    }
}

/// One detected occurrence. Deliberately carries no text: offsets into the
/// scanned string plus the rule that fired are enough to mask, count and
/// locate it, and nothing here can print the raw value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PiiMatch {
    /// The type of the value found.
    pub pii_type: PiiType,
    /// Index into the detector's effective rule table ([`PiiDetector::rule_id`]).
    pub rule: u16,
    /// Byte offset of the first byte, on a char boundary.
    pub start: usize,
    /// Byte offset one past the last byte, on a char boundary.
    pub end: usize,
    /// A refinement of the type, e.g. `"private"`/`"public"` for IP addresses.
    pub tag: Option<&'static str>,
    /// How the match was confirmed (`docs/ARCHITECTURE.md`, "Canonical identifiers").
    pub confidence: Confidence,
}

impl PiiMatch {
    /// False for matches whose tag names something that identifies no person
    /// (a private network, a documentation address, a placeholder domain):
    /// they must not be tallied as personal information, or a VPN how-to
    /// reads like a customer database. They still appear in findings (with
    /// their tag) and in the ledger's per-tag counts, so a reviewer sees what
    /// was set aside; they are left out of the per-type counts,
    /// `records_with_pii` and `records_by_type`.
    pub fn is_personal(&self) -> bool {
        self.tag.is_none_or(|t| !NON_PERSONAL_TAGS.contains(&t))
    }
}

/// Tags that do not count as personal information (`docs/ARCHITECTURE.md`, "Canonical
/// identifiers"). A table, so a new non-personal refinement is one row.
pub const NON_PERSONAL_TAGS: &[&str] = &[
    "private",
    "loopback",
    "link_local",
    "documentation",
    "cidr",
    "placeholder",
];

wire_enum! {
    /// How far a match can be trusted, from how it was confirmed. A wire enum so the
    /// ledger can count by it (`pii.by_confidence`) and an audit written by another
    /// version, with a level this one does not know, still opens.
    pub enum Confidence("confidence") {
        /// `high`: a check digit or a numbering plan confirmed it.
        High = "high",
        /// `medium`: a context word near the match confirmed what the shape suggests.
        Medium = "medium",
        /// `low`: the shape matched and plausibility checks passed, nothing more.
        Low = "low",
    }
}
