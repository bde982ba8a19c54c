//! Per-file / per-source license summaries. Every field merges by a
//! commutative, associative operation, so chunks, files, shards and audits
//! combine in any order to the same result.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::category::{Category, LicenseFlags, category_of, flags_of};
use super::{LicenseMatch, MarkerKind};
use crate::wire::wire_enum;

/// Where a declared license came from. `mixed` appears when summaries with
/// different origins merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclaredFrom {
    /// `provenance.toml`.
    Manifest,
    /// A Hugging Face dataset card.
    DatasetCard,
    /// A LICENSE / COPYING file in the data's folder or above it (nearest wins).
    LicenseFile,
    /// Merged from summaries with different origins.
    Mixed,
}

impl DeclaredFrom {
    /// The wire value written to ledgers (`manifest`, `dataset_card`, `mixed`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeclaredFrom::Manifest => "manifest",
            DeclaredFrom::DatasetCard => "dataset_card",
            DeclaredFrom::LicenseFile => "license_file",
            DeclaredFrom::Mixed => "mixed",
        }
    }
}

/// Serialised as [`DeclaredFrom::as_str`], so the ledger and `as_str` cannot drift.
impl Serialize for DeclaredFrom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Read back from a ledger, so reports and merges never rescan data.
impl<'de> Deserialize<'de> for DeclaredFrom {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        [
            DeclaredFrom::Manifest,
            DeclaredFrom::DatasetCard,
            DeclaredFrom::LicenseFile,
            DeclaredFrom::Mixed,
        ]
        .into_iter()
        .find(|f| f.as_str() == text)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown declared-license origin {text}")))
    }
}

/// A human-declared license. Merging two different declarations keeps both:
/// the expression becomes the AND of their terms (sorted, deduplicated),
/// because data under both declarations must satisfy both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    /// SPDX expression; after a merge, the AND of the merged declarations.
    pub expression: String,
    /// Where the declaration came from.
    pub from: DeclaredFrom,
}

/// License evidence of a file or of a group of files: the declaration, every license
/// found with how it was found, and the marker counts that decide conflicts.
#[derive(Default, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LicenseSummary {
    /// The human declaration that applies, if any.
    pub declared: Option<Declared>,
    /// license -> evidence kind -> occurrences.
    pub detected: BTreeMap<String, BTreeMap<String, u64>>,
    /// Copyright lines found.
    pub copyright_notices: u64,
    /// Every rights reservation ("All rights reserved", 保留所有权利, 未经许可不得转载).
    pub all_rights_reserved: u64,
    /// Text-and-data-mining opt-outs found: each is a conflict to review.
    pub tdm_opt_outs: u64,
    /// Of `all_rights_reserved`, those beside a license grant in the same record
    /// or document: BSD-style texts carry the phrase above the grant, so there it
    /// is an attribution notice. Only the rest (the difference) reserve the data.
    /// Absent in ledgers written before it existed: read as 0, every reservation
    /// standing alone, which is what those ledgers' categories assumed.
    #[serde(default)]
    pub all_rights_reserved_with_grant: u64,
    /// The license of the nearest LICENSE / COPYING file above the data (its own
    /// basis, `license_file`): neither a human declaration nor found in the content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_file: Option<Declared>,
    /// Licenses found inside records of record collections (JSONL, Parquet, CSV):
    /// license -> evidence kind -> occurrences. One licensed record does not license
    /// its file, so these are counted as records with markers, not as the file's terms.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub detected_in_records: BTreeMap<String, BTreeMap<String, u64>>,
    /// Of the reservations standing alone, those inside records of record collections:
    /// they flag records, not the file's category.
    #[serde(skip_serializing_if = "is_zero")]
    pub all_rights_reserved_in_records: u64,
    /// Records with any license or copyright marker.
    #[serde(skip_serializing_if = "is_zero")]
    pub records_with_markers: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A license match that grants rights: any license but a proprietary one
/// (`LicenseRef-Proprietary`, EULAs, terms of use). A license nobody has
/// assessed still grants something; its category stays `unknown`.
fn is_grant(m: &LicenseMatch) -> bool {
    m.kind == MarkerKind::License && m.license.as_deref().is_some_and(grants)
}

fn grants(license: &str) -> bool {
    category_of(license) != Category::Proprietary
}

/// A disagreement between what was declared and what the data says, or a
/// gap that needs a human.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// `stricter_than_declared`, `no_license`, `unknown_license`,
    /// `all_rights_reserved` or `tdm_opt_out`.
    pub kind: ConflictKind,
    /// The human declaration that applies, if any.
    pub declared: Option<String>,
    /// The detected license or category behind the conflict, when there is one.
    pub detected: Option<String>,
    /// A human-readable explanation for the report.
    pub detail: String,
}

wire_enum! {
    /// Why a file's (or group's) license evidence needs a human.
    pub enum ConflictKind("conflict kind") {
        /// Detected terms stricter than the declared license.
        StricterThanDeclared = "stricter_than_declared",
        /// Neither declared nor detected.
        NoLicense = "no_license",
        /// Declared or detected, but in category `unknown`.
        UnknownLicense = "unknown_license",
        /// An "all rights reserved" notice.
        AllRightsReserved = "all_rights_reserved",
        /// A text-and-data-mining opt-out.
        TdmOptOut = "tdm_opt_out",
    }
}

/// Adds license -> evidence -> count tallies into `into`.
fn merge_detected(
    into: &mut BTreeMap<String, BTreeMap<String, u64>>,
    from: &BTreeMap<String, BTreeMap<String, u64>>,
) {
    for (license, kinds) in from {
        let mine = into.entry(license.clone()).or_default();
        for (kind, n) in kinds {
            let v = mine.entry(kind.clone()).or_default();
            *v = v.saturating_add(*n);
        }
    }
}

/// Top-level AND terms of an expression; a top-level OR stays one term
/// (parenthesised) so joining terms with AND keeps its meaning.
fn and_terms(expr: &str) -> Vec<String> {
    let e = strip_outer_parens(expr.trim());
    let mut terms = Vec::new();
    let (mut depth, mut last, mut has_or) = (0i32, 0usize, false);
    let upper = e.to_ascii_uppercase();
    let b = upper.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b' ' if depth == 0 && upper[i..].starts_with(" AND ") => {
                terms.push(e[last..i].trim().to_string());
                last = i + 5;
                i += 4;
            }
            b' ' if depth == 0 && upper[i..].starts_with(" OR ") => has_or = true,
            _ => {}
        }
        i += 1;
    }
    if has_or {
        return vec![format!("({e})")];
    }
    terms.push(e[last.min(e.len())..].trim().to_string());
    terms.retain(|t| !t.is_empty());
    terms
}

fn strip_outer_parens(e: &str) -> &str {
    let mut e = e;
    while e.starts_with('(') && e.ends_with(')') && balanced(&e[1..e.len() - 1]) {
        e = e[1..e.len() - 1].trim();
    }
    e
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

fn join_terms(terms: &BTreeSet<String>) -> String {
    let joined = terms
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" AND ");
    if terms.len() == 1 {
        strip_outer_parens(&joined).to_string()
    } else {
        joined
    }
}

impl Declared {
    /// A declaration normalised to its sorted, deduplicated AND terms, so equal
    /// declarations written differently merge as equal.
    pub fn new(expression: impl Into<String>, from: DeclaredFrom) -> Self {
        let terms: BTreeSet<String> = and_terms(&expression.into()).into_iter().collect();
        Declared {
            expression: join_terms(&terms),
            from,
        }
    }

    fn merge(&self, other: &Declared) -> Declared {
        let terms: BTreeSet<String> = and_terms(&self.expression)
            .into_iter()
            .chain(and_terms(&other.expression))
            .collect();
        let from = if self.from == other.from {
            self.from
        } else {
            DeclaredFrom::Mixed
        };
        Declared {
            expression: join_terms(&terms),
            from,
        }
    }
}

impl LicenseSummary {
    /// Records a declaration (manifest or dataset card), merging with any
    /// declaration already present.
    pub fn declare(&mut self, declared: Declared) {
        self.declared = Some(match &self.declared {
            Some(d) => d.merge(&declared),
            None => declared,
        });
    }

    /// Adds the markers of one record. Its reservations count as beside a grant
    /// when the same record grants a license (any license but a proprietary one).
    pub fn add_record<'m>(&mut self, markers: impl IntoIterator<Item = &'m LicenseMatch> + Clone) {
        let granted = markers.clone().into_iter().any(is_grant);
        if markers.clone().into_iter().next().is_some() {
            self.records_with_markers = self.records_with_markers.saturating_add(1);
        }
        for m in markers {
            self.add(m);
            if granted && m.kind == MarkerKind::AllRightsReserved {
                self.all_rights_reserved_with_grant =
                    self.all_rights_reserved_with_grant.saturating_add(1);
            }
        }
    }

    /// Ends a file. In a document (text, markdown, source code) a grant anywhere
    /// covers the whole file: a LICENSE file read line by line has its "All rights
    /// reserved" on one line and the grant on others. Record collections (JSONL,
    /// Parquet, CSV) keep the per-record decision: one licensed record does not
    /// license its neighbours.
    pub fn close_file(&mut self, document: bool) {
        if document && self.has_grant() {
            self.all_rights_reserved_with_grant = self.all_rights_reserved;
        }
        if !document {
            let found = std::mem::take(&mut self.detected);
            merge_detected(&mut self.detected_in_records, &found);
            self.all_rights_reserved_in_records = self.all_rights_reserved_alone();
        }
    }

    /// Sets the license of the nearest license file; nearest wins, so it replaces
    /// rather than merges.
    pub fn apply_license_file(&mut self, license_file: Option<Declared>) {
        self.license_file = license_file;
    }

    /// Whether any detected license grants rights (anything but a proprietary id).
    pub fn has_grant(&self) -> bool {
        self.detected.keys().any(|l| grants(l))
    }

    /// Reservations with no license grant beside them.
    pub fn all_rights_reserved_alone(&self) -> u64 {
        self.all_rights_reserved
            .saturating_sub(self.all_rights_reserved_with_grant)
    }

    /// Counts one match under its license and evidence kind, or under its marker.
    pub fn add(&mut self, m: &LicenseMatch) {
        match m.kind {
            MarkerKind::License => {
                let Some(license) = &m.license else { return };
                let ev = m.evidence.map_or("unknown", |e| e.as_str());
                let n = self
                    .detected
                    .entry(license.clone())
                    .or_default()
                    .entry(ev.to_string())
                    .or_default();
                *n = n.saturating_add(1);
            }
            MarkerKind::CopyrightNotice => {
                self.copyright_notices = self.copyright_notices.saturating_add(1)
            }
            MarkerKind::AllRightsReserved => {
                self.all_rights_reserved = self.all_rights_reserved.saturating_add(1)
            }
            MarkerKind::TdmOptOut => self.tdm_opt_outs = self.tdm_opt_outs.saturating_add(1),
        }
    }

    /// Adds another summary in; commutative and associative, so files, byte ranges and
    /// shards merge in any order to the same result.
    pub fn merge(&mut self, other: &LicenseSummary) {
        if let Some(d) = &other.declared {
            self.declare(d.clone());
        }
        merge_detected(&mut self.detected, &other.detected);
        merge_detected(&mut self.detected_in_records, &other.detected_in_records);
        if let Some(l) = &other.license_file {
            self.license_file = Some(match &self.license_file {
                Some(mine) => mine.merge(l),
                None => l.clone(),
            });
        }
        self.all_rights_reserved_in_records = self
            .all_rights_reserved_in_records
            .saturating_add(other.all_rights_reserved_in_records);
        self.records_with_markers = self
            .records_with_markers
            .saturating_add(other.records_with_markers);
        self.copyright_notices = self
            .copyright_notices
            .saturating_add(other.copyright_notices);
        self.all_rights_reserved = self
            .all_rights_reserved
            .saturating_add(other.all_rights_reserved);
        self.tdm_opt_outs = self.tdm_opt_outs.saturating_add(other.tdm_opt_outs);
        self.all_rights_reserved_with_grant = self
            .all_rights_reserved_with_grant
            .saturating_add(other.all_rights_reserved_with_grant);
    }

    /// Reservations that decide the file's (or group's) category: alone, and not
    /// inside a record of a record collection.
    fn reservations_of_whole_files(&self) -> u64 {
        self.all_rights_reserved_alone()
            .saturating_sub(self.all_rights_reserved_in_records)
    }

    /// What the category rests on: the declaration's origin, `license_file`,
    /// `content` (licenses or reservations of whole documents), or `none`.
    pub fn basis(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(d) = &self.declared {
            parts.push(d.from.as_str());
        }
        if self.license_file.is_some() {
            parts.push(DeclaredFrom::LicenseFile.as_str());
        }
        if !self.detected.is_empty() || self.reservations_of_whole_files() > 0 {
            parts.push("content");
        }
        match parts.is_empty() {
            true => "none".to_string(),
            false => parts.join("+"),
        }
    }

    fn detected_category(&self) -> Option<Category> {
        self.detected
            .keys()
            .map(|l| category_of(l))
            .reduce(Category::stricter)
    }

    /// Strictest of the declared and every detected license, and `proprietary`
    /// when some reservation stands with no grant beside it. With no license at
    /// all: `unknown`. "All rights reserved" beside a grant is an attribution
    /// notice, not a term: BSD-style texts carry it routinely.
    pub fn category(&self) -> Category {
        let licensed = [&self.declared, &self.license_file]
            .into_iter()
            .flatten()
            .map(|d| category_of(&d.expression))
            .chain(self.detected_category())
            .reduce(Category::stricter);
        // A reservation with no grant beside it is a proprietary term: strictest
        // wins, so it outranks licenses found elsewhere in the data (or declared).
        // Reservations inside single records of a collection flag those records only.
        match (licensed, self.reservations_of_whole_files() > 0) {
            (Some(c), true) => c.stricter(Category::Proprietary),
            (Some(c), false) => c,
            (None, true) => Category::Proprietary,
            (None, false) => Category::Unknown,
        }
    }

    /// Obligations of every license that applies (union).
    pub fn flags(&self) -> LicenseFlags {
        self.declared
            .iter()
            .chain(&self.license_file)
            .map(|d| d.expression.as_str())
            .chain(self.detected.keys().map(String::as_str))
            .map(flags_of)
            .fold(LicenseFlags::default(), LicenseFlags::union)
    }

    /// Disagreements and gaps, in a deterministic order.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut out = Vec::new();
        let declared = self
            .declared
            .as_ref()
            .map(|d| (d.expression.clone(), category_of(&d.expression)));
        if declared.is_none() && self.detected.is_empty() && self.license_file.is_none() {
            let detail = match self.detected_in_records.len() {
                0 => "no declared license and no license evidence; category unknown".to_string(),
                _ => format!(
                    "no declared license or license file; {} records carry license markers \
                     ({}), which do not license the rest; category unknown",
                    self.records_with_markers,
                    self.detected_in_records
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            out.push(Conflict {
                kind: ConflictKind::NoLicense,
                declared: None,
                detected: None,
                detail,
            });
        }
        let declared = declared.or_else(|| {
            self.license_file
                .as_ref()
                .map(|d| (d.expression.clone(), category_of(&d.expression)))
        });
        let mut found: Vec<&String> = self
            .detected
            .keys()
            .chain(self.detected_in_records.keys())
            .collect();
        found.sort();
        found.dedup();
        for license in found {
            let cat = category_of(license);
            if cat == Category::Unknown {
                out.push(Conflict {
                    kind: ConflictKind::UnknownLicense,
                    declared: declared.as_ref().map(|d| d.0.clone()),
                    detected: Some(license.clone()),
                    detail: format!("{license} has no known category; review its terms"),
                });
                continue;
            }
            if let Some((dexpr, dcat)) = &declared
                && *dcat != Category::Unknown
                && cat.strictness() > dcat.strictness()
            {
                out.push(Conflict {
                    kind: ConflictKind::StricterThanDeclared,
                    declared: Some(dexpr.clone()),
                    detected: Some(license.clone()),
                    detail: format!(
                        "detected {license} ({}) is stricter than declared {dexpr} ({})",
                        cat.as_str(),
                        dcat.as_str()
                    ),
                });
            }
        }
        if self.all_rights_reserved_alone() > 0
            && let Some((dexpr, dcat)) = &declared
            && dcat.strictness() < Category::Proprietary.strictness()
        {
            out.push(Conflict {
                kind: ConflictKind::AllRightsReserved,
                declared: Some(dexpr.clone()),
                detected: None,
                detail: format!(
                    "{} all-rights-reserved notices without a license grant in data declared {dexpr}",
                    self.all_rights_reserved_alone()
                ),
            });
        }
        if self.tdm_opt_outs > 0 {
            out.push(Conflict {
                kind: ConflictKind::TdmOptOut,
                declared: declared.map(|d| d.0),
                detected: None,
                detail: format!("{} text-and-data-mining reservations (robots noai, TDMRep, AI-crawler disallow)", self.tdm_opt_outs),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::EvidenceKind;
    use super::*;

    fn lic(l: &str, ev: EvidenceKind) -> LicenseMatch {
        LicenseMatch {
            kind: MarkerKind::License,
            evidence: Some(ev),
            license: Some(l.into()),
            rule: "t",
            start: 0,
            end: 1,
        }
    }

    #[test]
    fn declared_terms_merge_as_a_set() {
        let a = Declared::new("CC-BY-4.0", DeclaredFrom::Manifest);
        let b = Declared::new("MIT OR Apache-2.0", DeclaredFrom::DatasetCard);
        let m = a.merge(&b);
        assert_eq!(m.expression, "(MIT OR Apache-2.0) AND CC-BY-4.0");
        assert_eq!(m.from, DeclaredFrom::Mixed);
        assert_eq!(m.merge(&a), m);
        assert_eq!(
            Declared::new("(MIT)", DeclaredFrom::Manifest).expression,
            "MIT"
        );
    }

    #[test]
    fn stricter_than_declared() {
        let mut s = LicenseSummary::default();
        s.declare(Declared::new("CC-BY-4.0", DeclaredFrom::Manifest));
        s.add(&lic("CC-BY-NC-4.0", EvidenceKind::LicenseUrl));
        let c = s.conflicts();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kind, ConflictKind::StricterThanDeclared);
        assert_eq!(c[0].detected.as_deref(), Some("CC-BY-NC-4.0"));
        assert_eq!(s.category(), Category::NonCommercial);
    }

    fn reserved() -> LicenseMatch {
        LicenseMatch {
            kind: MarkerKind::AllRightsReserved,
            evidence: None,
            license: None,
            rule: "arr.en",
            start: 0,
            end: 1,
        }
    }

    #[test]
    fn a_reservation_beside_a_grant_is_attribution() {
        let mut s = LicenseSummary::default();
        s.add_record(&[reserved(), lic("BSD-3-Clause", EvidenceKind::LicenseText)]);
        assert_eq!(s.all_rights_reserved, 1);
        assert_eq!(s.all_rights_reserved_with_grant, 1);
        assert_eq!(s.category(), Category::Permissive);
        assert!(
            s.conflicts()
                .iter()
                .all(|c| c.kind != ConflictKind::AllRightsReserved)
        );
    }

    #[test]
    fn a_reservation_alone_is_proprietary() {
        let mut s = LicenseSummary::default();
        s.add_record(&[reserved()]);
        s.close_file(true);
        assert_eq!(s.category(), Category::Proprietary);
        // A proprietary id grants nothing: the reservation still stands alone.
        let mut s = LicenseSummary::default();
        s.add_record(&[
            reserved(),
            lic("LicenseRef-Proprietary", EvidenceKind::SpdxTag),
        ]);
        s.close_file(true);
        assert_eq!(s.all_rights_reserved_alone(), 1);
        assert_eq!(s.category(), Category::Proprietary);
    }

    #[test]
    fn a_document_grant_covers_reservations_on_other_lines() {
        let lines = |document| {
            let mut s = LicenseSummary::default();
            s.add_record(&[reserved()]);
            s.add_record(&[lic("MIT", EvidenceKind::LicenseNotice)]);
            s.close_file(document);
            s
        };
        assert_eq!(lines(true).category(), Category::Permissive);
        // In a record collection, the licensed record does not cover its neighbour,
        // and neither record decides the file's terms: they are records with markers.
        let records = lines(false);
        assert_eq!(records.category(), Category::Unknown);
        assert_eq!(records.records_with_markers, 2);
        assert_eq!(records.all_rights_reserved_alone(), 1);
        assert!(records.detected.is_empty() && records.detected_in_records.contains_key("MIT"));
        let kinds: Vec<ConflictKind> = records.conflicts().into_iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ConflictKind::NoLicense]);
    }

    #[test]
    fn merged_files_keep_a_lone_reservation() {
        let mut alone = LicenseSummary::default();
        alone.add_record(&[reserved()]);
        alone.close_file(true);
        let mut granted = LicenseSummary::default();
        granted.add_record(&[reserved(), lic("MIT", EvidenceKind::LicenseText)]);
        granted.close_file(true);
        let mut group = granted.clone();
        group.merge(&alone);
        assert_eq!(group.all_rights_reserved, 2);
        assert_eq!(group.all_rights_reserved_alone(), 1);
        assert_eq!(group.category(), Category::Proprietary);
        assert_eq!(granted.category(), Category::Permissive);
    }

    #[test]
    fn ledgers_without_the_field_read_every_reservation_as_alone() {
        let json = r#"{"declared":null,"detected":{},"copyright_notices":0,"all_rights_reserved":2,"tdm_opt_outs":0}"#;
        let s: LicenseSummary = serde_json::from_str(json).expect("old ledger row");
        assert_eq!(s.all_rights_reserved_alone(), 2);
    }

    #[test]
    fn nothing_means_no_license() {
        let s = LicenseSummary::default();
        let c = s.conflicts();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kind, ConflictKind::NoLicense);
        assert_eq!(s.category(), Category::Unknown);
    }
}
