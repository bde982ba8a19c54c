//! License, copyright and opt-out markers in training data.
//!
//! One [`LicenseDetector`] is built per process (loading spdx's license store
//! takes about a third of a second) and shared by every worker thread.
//! Scanning is layered so that ordinary text costs almost nothing:
//!
//! 1. `gate`: a sampled 4-gram hash finds the rare places where a marker
//!    could start (needles such as "license", "opyrigh", "版权所", "=\"robots").
//! 2. Detailed triggers (Aho–Corasick) run only in windows around those
//!    places and wake the rule families that apply: SPDX tags, names and
//!    notices, URLs, copyright, reservations, TDM opt-outs.
//! 3. Clusters of license vocabulary go to spdx's matcher, first against a
//!    tier of common licenses, then the whole SPDX store (results cached by
//!    text, at most 64 matcher calls per scanned text). Each store text is
//!    scored at most once per call, and texts whose size alone keeps their
//!    score below the matcher's floor are not scored at all. Scores come
//!    from an inverted bigram index of the store (`grams`): a whole tier in
//!    one pass over the text's bigrams, equal to spdx's own scores.
//!
//! Offsets in [`LicenseMatch`] are byte offsets into the scanned string and
//! always fall on character boundaries.
//!
//! # Decisions a reader of the ledger should know
//!
//! - **Identifiers.** GNU texts do not state "or later" themselves: a full
//!   GPL/LGPL/AGPL text is reported `-only`; a standard header is
//!   `-or-later` exactly when it grants "any later version"; a name without
//!   a version ("the GPL") means any version (GPL-2.0 §9, GPL-3.0 §14), i.e.
//!   `GPL-1.0-or-later` (`LGPL-2.0-or-later`, `AGPL-3.0-or-later`); the
//!   "Lesser" GPL, so named from version 2.1 on, is `LGPL-2.1-or-later`
//!   (the "Library" GPL and a bare "LGPL" stay `LGPL-2.0-or-later`). A bare
//!   `GPL-3.0` is `-only`, as spdx canonicalises it. Apache, MPL, EPL, EUPL
//!   without a version take the current version; the CDDL without one is
//!   `CDDL-1.0`: its unversioned header is Sun's, written for 1.0 years
//!   before Oracle's 1.1, and a later version is only the recipient's
//!   option (CDDL section 4.3, read as the GPL's "any version" is). A bare "BSD" is
//!   `BSD-3-Clause` (UC's license after 1999, as ScanCode reads it). A GNU
//!   header the matcher finds takes its version, family and "or later" from
//!   its own notice wording; an unversioned GNU notice takes the version of
//!   the same family's name in the sentence after it. Deprecated ids (from
//!   the matcher's store or a tag) are written as SPDX writes them today
//!   (`BSD-2-Clause-NetBSD` is `BSD-2-Clause`). Texts SPDX defines as a stack
//!   (`Python-2.0`: PSF, BeOpen, CNRI; `OpenSSL`: OpenSSL and SSLeay) are the
//!   stack when one part is found beside another's title. Deprecated bundles (`GPL-2.0-with-classpath-exception`)
//!   are reported as their `WITH` expression. Creative Commons
//!   names without a version become `LicenseRef-CC-<elements>`: SPDX has no
//!   unversioned CC ids and we do not invent a version.
//! - **Evidence.** A license name in running prose is a mention, not a
//!   grant: it counts only after notice wording ("licensed under",
//!   "subject to the terms of", 采用 … 许可证), as a label (`License: MIT`,
//!   `"license": "MIT"`, a `## License` heading), or when the name is
//!   specific on its own (an exact SPDX id with a version such as
//!   `GPL-3.0-or-later`, "CC BY-NC 4.0", "Llama 2 Community License").
//!   Names, notices and URLs inside an identified license text are part of
//!   that text, not extra evidence. Notice wording may name any SPDX license
//!   by id or full name ("the OpenSSL license", "PHP License 3.01"); names
//!   joined to a notice by "or" / "and" / "/" / "as well as" (a short aside
//!   in parentheses between them allowed) are notices too (dual licenses),
//!   whichever end the wording sits at ("GPL 2.0/LGPL 2.1/MPL 1.1
//!   tri-license"), and so is each item of a bulleted list under a grant
//!   ("licensed under either of:"). Markdown links, HTML anchors and emphasis
//!   around a name do not hide it. "See LICENSE for details" is `LicenseRef-See-License-File`
//!   unless the same text names the license; so are references that name
//!   the file ("Licensing details are in the COPYING file"). References to a
//!   project whose license is a fact name it: "see copyright notice in
//!   zlib.h" (`Zlib`; `png.h`, `Libpng`), a project's license page (curl,
//!   ISC, OpenLDAP, jQuery, Kitware), "part of the Independent JPEG Group's
//!   software", iPXE's `FILE_LICENCE(...)`. "Under the same terms as Perl
//!   itself" (Ruby, Python, OpenSSL, Tcl) names that language's license;
//!   Perl's "the GNU General Public License ... or the Artistic License" is
//!   `Artistic-1.0-Perl`; "the GNU General Public License, version 2.1"
//!   (there was none) is the LGPL 2.1. A grant of the usual permissions in a
//!   license no table names, in a notice's words or freeware's ("you may
//!   copy and distribute this file freely"), is
//!   `LicenseRef-Permissive-Grant` (`permissive`): a file that grants rights
//!   is not left as "nothing found", nor made `proprietary` by its "All
//!   rights reserved"; so is a freeware grant with the work as its object
//!   ("It may be used and distributed freely", "... for any purpose as long
//!   as this notice remains", "The author grants anyone permission to use,
//!   copy ..."). A notice naming a license no table knows ("distributed
//!   under the terms of the Acme license") is `LicenseRef-Unlisted-License`
//!   (`unknown`), read only where the text names no license at all. A name
//!   before an alternative that counts joins it ("MIT OR Apache-2.0", "MIT &
//!   BSD"), and so does a field of a minified script's banner ("/*! lib
//!   v1.2 | MIT License */"). EULAs, terms of use, "proprietary and
//!   confidential", "company confidential", acceptance by use ("by installing
//!   ... you agree to") and vendor agreement titles are `proprietary`
//!   evidence. Wording that names no license (references, unnamed grants,
//!   agreement wording) gives way to a license the same text names, and does
//!   not stop the search for the license text.
//! - **Texts.** A short text dense in license vocabulary goes to the matcher
//!   whole (under 2 KB, three distinct phrases suffice: short licenses hold
//!   no more), and so does any text up to 48 KB with ten distinct phrases
//!   (English or French) where no license text was found, or twenty if it
//!   names other licenses (the GFDL's Creative Commons section). A text scoring at
//!   least 0.75 against one license and 0.15 less against every other is
//!   that license with local edits (a libtiff-style notice with its own
//!   names); an Apache-worded header without "Apache" is the notice of the
//!   license it names. Where nothing names a license, the unit around a
//!   copyright line or an unnamed grant is read whole too (a comment block
//!   up to 4 KB in code; in plain text the paragraphs in license language
//!   around it, up to 2 KB): a short notice in its author's words (Zeeff,
//!   Cronyx) holds too few phrases to form a cluster. A license the matcher does not know still names
//!   itself in a title line near the top; when the matcher declines a block,
//!   BSD 2/3/4-clause, MIT, X11, MIT-open-group, ISC, Zlib, HPND (and its
//!   "sell" variant) and their no-condition forms are told by their
//!   clauses. A file bundling several texts is read text by text: a rule
//!   line (`-----`, `=-=-=`) or a block comment opening after one closed
//!   starts the next. RTF markup is blanked in
//!   place first, and CRLF / CR line ends read as LF, so offsets hold. A variant
//!   (Pixar, BSD-3-Clause-HP) is kept only when the text names its mark.
//!   [`LicenseMatch::confidence`] grades each detection.
//! - **Copyright.** `©`, `&copy;`, `(c)` + year or name, "Copyright" + year
//!   or symbol, 版权所有 / 版權所有 / 版权归…所有 and REUSE tags are notices; one
//!   notice is counted per line. 版权所有者 ("copyright owner") is a noun.
//! - **Reservations.** "All rights reserved" and its translations, 保留所有权利,
//!   翻印必究, 未经许可不得转载, 禁止转载 reserve rights. 转载请注明出处 ("repost
//!   with attribution") grants reposting, so it is *not* a reservation. A
//!   reservation beside a license grant (same record, or anywhere in a
//!   document) is an attribution notice; only one with no grant makes data
//!   `proprietary` ([`LicenseSummary::all_rights_reserved_with_grant`]).
//! - **TDM opt-outs.** `noai`/`noimageai` robots meta tags and X-Robots-Tag,
//!   `tdm-reservation` = 1 (meta, header, TDMRep JSON), and robots.txt groups
//!   that `Disallow: /` a known AI crawler (one match per crawler line).
//!   `User-agent: *` blocks everyone and is not read as a TDM statement.
//! - **Categories**: see [`Category`] for the strictness order and where
//!   `unknown` sits; [`LicenseSummary`] for how declared and detected
//!   licenses combine.

mod bounds;
mod category;
mod expr;
mod gate;
mod grams;
mod lines;
mod markers;
mod matcher;
mod names;
mod rules;
mod summary;
#[cfg(any(test, feature = "testkit"))]
pub mod synth;

use std::fmt::Write as _;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use category::{Category, LicenseFlags, category_of, flags_of};
pub use summary::{Conflict, ConflictKind, Declared, DeclaredFrom, LicenseSummary};

use gate::Gate;
use lines::{ceil_boundary, floor_boundary, lines_around, lines_around_past_blanks, merge_spans};
use markers::Markers;
use matcher::{Matcher, strip_lines};
use names::{Names, license_match};
use rules::{
    GNU_HEADER_MAX_BYTES, METADATA_FIELDS, SHORT_TEXT_MAX_BYTES, SHORT_TEXT_MIN_DISTINCT,
    TITLE_MIN_DISTINCT, TRIGGERS, WHOLE_NAMED_MIN_DISTINCT, WHOLE_TEXT_MAX_BYTES,
    WHOLE_TEXT_MIN_DISTINCT, WINDOW, fam,
};

/// Where a piece of license evidence was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceKind {
    /// An `SPDX-License-Identifier:` tag.
    SpdxTag,
    /// A full license text, or a standard header, recognised by the SPDX matcher.
    LicenseText,
    /// A short notice naming a license ("licensed under the MIT license").
    LicenseNotice,
    /// A URL of a license text (Creative Commons, opensource.org, gnu.org, ...).
    LicenseUrl,
    /// A bare license name or short name, the weakest evidence.
    LicenseName,
    /// A per-record license field (`license`, `max_stars_repo_licenses`, ...).
    MetadataField,
    /// The `license` of a Hugging Face dataset card.
    DatasetCard,
    /// The `license` declared in `provenance.toml`.
    Manifest,
    /// A whole LICENSE, COPYING or NOTICE file.
    LicenseFile,
}

impl EvidenceKind {
    /// The wire value written to ledgers and findings (`spdx_tag`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::SpdxTag => "spdx_tag",
            EvidenceKind::LicenseText => "license_text",
            EvidenceKind::LicenseNotice => "license_notice",
            EvidenceKind::LicenseUrl => "license_url",
            EvidenceKind::LicenseName => "license_name",
            EvidenceKind::MetadataField => "metadata_field",
            EvidenceKind::DatasetCard => "dataset_card",
            EvidenceKind::Manifest => "manifest",
            EvidenceKind::LicenseFile => "license_file",
        }
    }
}

/// Serialised as [`EvidenceKind::as_str`], so the ledger and `as_str` cannot drift.
impl Serialize for EvidenceKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What a match is evidence of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkerKind {
    /// A license (see `LicenseMatch::license`).
    License,
    /// A copyright line ("Copyright (c) 2020 ...", "版权所有").
    CopyrightNotice,
    /// A rights reservation ("All rights reserved", 未经许可不得转载).
    AllRightsReserved,
    /// A text-and-data-mining opt-out (robots `noai`, TDMRep, AI-crawler disallows).
    TdmOptOut,
}

impl MarkerKind {
    /// The wire value written to findings (`license`, `copyright_notice`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerKind::License => "license",
            MarkerKind::CopyrightNotice => "copyright_notice",
            MarkerKind::AllRightsReserved => "all_rights_reserved",
            MarkerKind::TdmOptOut => "tdm_opt_out",
        }
    }
}

/// Serialised as [`MarkerKind::as_str`], so the ledger and `as_str` cannot drift.
impl Serialize for MarkerKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One marker occurrence. `license` is set for `MarkerKind::License` (an
/// SPDX id or expression, or a `LicenseRef-*`), `evidence` says how it was
/// found, `rule` names the rule table entry, `start..end` are byte offsets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LicenseMatch {
    /// What the match is evidence of.
    pub kind: MarkerKind,
    /// How a license was found; `None` for the other marker kinds.
    pub evidence: Option<EvidenceKind>,
    /// The SPDX id or expression (or `LicenseRef-*`) for a license; `None` otherwise.
    pub license: Option<String>,
    /// The id of the rule table entry that fired, written to findings.
    pub rule: &'static str,
    /// Byte offset of the first byte in the scanned text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl LicenseMatch {
    /// How much a license match can be trusted, in the findings' vocabulary:
    /// `high` for a whole license text accepted by the matcher (score >= 0.9
    /// against SPDX's text), an SPDX tag, a metadata field or a declared
    /// license; `medium` for a notice, a license URL, a text told by its
    /// clauses or located inside a longer text; `low` for a bare name or a
    /// label. Markers other than licenses are `high`: their rules are literal.
    pub fn confidence(&self) -> &'static str {
        match (self.evidence, self.rule) {
            (Some(EvidenceKind::LicenseText), "text.contained" | "text.clauses") => "medium",
            (
                Some(
                    EvidenceKind::LicenseText
                    | EvidenceKind::LicenseFile
                    | EvidenceKind::SpdxTag
                    | EvidenceKind::MetadataField
                    | EvidenceKind::DatasetCard
                    | EvidenceKind::Manifest,
                ),
                _,
            ) => "high",
            (Some(EvidenceKind::LicenseNotice | EvidenceKind::LicenseUrl), _) => "medium",
            (Some(EvidenceKind::LicenseName), _) => "low",
            (None, _) => "high",
        }
    }
}

/// Built-in tables failed to compile or load. Only a broken build can cause
/// this; input text never can.
#[derive(Debug)]
pub enum BuildError {
    /// A built-in regular expression does not compile.
    Regex(regex::Error),
    /// The literal prefilter automaton could not be built.
    AhoCorasick(aho_corasick::BuildError),
    /// The SPDX text store could not be loaded.
    Store(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Regex(e) => write!(f, "license rule regex: {e}"),
            BuildError::AhoCorasick(e) => write!(f, "license trigger automaton: {e}"),
            BuildError::Store(e) => write!(f, "spdx license store: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<regex::Error> for BuildError {
    fn from(e: regex::Error) -> Self {
        BuildError::Regex(e)
    }
}

impl From<aho_corasick::BuildError> for BuildError {
    fn from(e: aho_corasick::BuildError) -> Self {
        BuildError::AhoCorasick(e)
    }
}

/// Byte budget either side of a hit for the lines a rule family reads.
const LINE_CLIP: usize = 400;

/// Compiled rules plus spdx's license store. `Send + Sync`; build once.
pub struct LicenseDetector {
    gate: Gate,
    triggers: AhoCorasick,
    trigger_fams: Vec<u16>,
    names: Names,
    markers: Markers,
    matcher: LazyMatcher,
    fingerprint: String,
}

/// spdx's license store takes about a third of a second to load, longer than a small
/// scan itself, and most texts never reach it: it is loaded on first need. The built-in
/// store cannot fail to load (the matcher's tests build it); were it to, license texts
/// would go unmatched while every other marker still counts.
#[derive(Default)]
struct LazyMatcher(std::sync::OnceLock<Option<Matcher>>);

impl LazyMatcher {
    fn get(&self) -> Option<&Matcher> {
        self.0.get_or_init(|| Matcher::new().ok()).as_ref()
    }
}

/// Spans each rule family must read, gathered from trigger hits.
#[derive(Default)]
struct Spans {
    tag: Vec<(usize, usize)>,
    name: Vec<(usize, usize)>,
    url: Vec<(usize, usize)>,
    copy: Vec<(usize, usize)>,
    arr: Vec<(usize, usize)>,
    tdm: Vec<(usize, usize)>,
    anchors: Vec<usize>,
    /// Distinct license-text phrases (strong or weak) seen in the gate windows.
    vocabulary: usize,
}

impl LicenseDetector {
    /// The detector with the compiled-in rules.
    ///
    /// # Panics
    /// Only if the built-in tables are invalid, which the test suite rules
    /// out; use [`LicenseDetector::try_builtin`] to handle that as an error.
    pub fn builtin() -> Self {
        match Self::try_builtin() {
            Ok(d) => d,
            Err(e) => panic!("built-in license rules are invalid: {e}"),
        }
    }

    /// The built-in tables, or the reason they cannot be built (a broken build, never
    /// input); for callers that must not panic.
    pub fn try_builtin() -> Result<Self, BuildError> {
        let mut merged: Vec<(&'static str, u16)> = Vec::new();
        for &(p, f) in TRIGGERS {
            match merged.iter_mut().find(|(q, _)| q.eq_ignore_ascii_case(p)) {
                Some(m) => m.1 |= f,
                None => merged.push((p, f)),
            }
        }
        let triggers = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(merged.iter().map(|(p, _)| p))?;
        Ok(LicenseDetector {
            gate: Gate::new(rules::GATE_NEEDLES, rules::SHORT_TOKENS)?,
            triggers,
            trigger_fams: merged.iter().map(|(_, f)| *f).collect(),
            names: Names::new()?,
            markers: Markers::new()?,
            matcher: LazyMatcher::default(),
            fingerprint: fingerprint(),
        })
    }

    /// Hex SHA-256 of every rule table, threshold and the SPDX list version.
    pub fn rules_fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    /// All markers in one text field of a record, sorted by position.
    pub fn scan_text(&self, text: &str, out: &mut Vec<LicenseMatch>) {
        // RTF markup hides wording from every rule; blanked in place, the
        // offsets found in the plain reading hold for the original.
        let blanked = lines::rtf_blanked(text);
        let text = blanked.as_deref().unwrap_or(text);
        let mut hits = Vec::new();
        self.gate.hits(text, &mut hits);
        if hits.is_empty() {
            return;
        }
        // CRLF and CR line ends read as LF (same offsets); only texts the
        // gate let through pay the search for a `\r`.
        let normalised = lines::cr_normalised(text);
        let text = normalised.as_deref().unwrap_or(text);
        let spans = self.spans(text, &hits);
        let first = out.len();
        self.run_families(text, &spans, out);
        if !spans.anchors.is_empty()
            && let Some(matcher) = self.matcher.get()
        {
            matcher.scan(text, &spans.anchors, out);
        }
        if let Some(clauses) = reads_as_license_text(text, &spans, &out[first..])
            && let Some(matcher) = self.matcher.get()
        {
            matcher.identify_whole(text, clauses, out);
        }
        // A short notice in a source file's comment names no license and
        // holds too few license phrases for a cluster: its comment block is
        // read whole, as a short text is.
        if text.len() > SHORT_TEXT_MAX_BYTES
            && !out[first..]
                .iter()
                .any(|m| m.kind == MarkerKind::License && !is_unnamed(m))
            && let Some(matcher) = self.matcher.get()
        {
            let seeds: Vec<usize> = out[first..]
                .iter()
                .filter(|m| m.kind == MarkerKind::CopyrightNotice || is_unnamed(m))
                .map(|m| m.start)
                .collect();
            matcher.identify_notice_blocks(text, &seeds, out);
        }
        // A license text the matcher does not know (a translation, an
        // older version) still names itself in its title.
        // Names inside the text (the LGPL's "the GNU GPL refers to version
        // 3") do not answer what the text itself is: only a text match does.
        if spans.vocabulary >= TITLE_MIN_DISTINCT
            && !out[first..]
                .iter()
                .any(|m| m.evidence == Some(EvidenceKind::LicenseText))
            && let Some(m) = self.names.title(text)
        {
            out.push(m);
        }
        self.gnu_headers_by_wording(text, &mut out[first..]);
        matcher::stack_parts(text, &mut out[first..]);
        tidy(out, first);
        drop_answered_references(out, first);
        // A notice naming a license no table knows counts only where nothing
        // else names one: it must never hide a license a table knows.
        if !out[first..].iter().any(|m| m.kind == MarkerKind::License) {
            let before = out.len();
            for &(s, e) in &spans.name {
                self.names.scan_unlisted(text, s, e, out);
            }
            if out.len() > before {
                tidy(out, first);
            }
        }
    }

    /// GNU headers found by the matcher take the version, family and "or later"
    /// their own notice states. Full texts (longer than a header) keep the
    /// matcher's id: their appendix shows how to apply the license, with a
    /// sample "any later version" that is not the text's own grant.
    fn gnu_headers_by_wording(&self, text: &str, found: &mut [LicenseMatch]) {
        for m in found
            .iter_mut()
            .filter(|m| m.evidence == Some(EvidenceKind::LicenseText))
            .filter(|m| m.end - m.start <= GNU_HEADER_MAX_BYTES)
        {
            let gnu = m.license.as_deref().is_some_and(|l| {
                ["GPL-", "LGPL-", "AGPL-"].iter().any(|p| l.starts_with(p)) && !l.contains(' ')
            });
            if gnu
                && let Some(id) =
                    self.names
                        .gnu_wording(text, m.start, m.end, m.license.as_deref().unwrap_or(""))
            {
                m.license = Some(id);
            }
        }
    }

    fn spans(&self, text: &str, hits: &[usize]) -> Spans {
        let mut windows: Vec<(usize, usize)> = hits
            .iter()
            .map(|&h| {
                (
                    floor_boundary(text, h.saturating_sub(WINDOW)),
                    ceil_boundary(text, h.saturating_add(WINDOW)),
                )
            })
            .collect();
        merge_spans(&mut windows);
        let mut sp = Spans::default();
        let mut seen = vec![0u64; self.trigger_fams.len().div_ceil(64)];
        for (ws, we) in windows {
            for m in self.triggers.find_overlapping_iter(&text[ws..we]) {
                let pos = ws + m.start();
                let p = m.pattern().as_usize();
                let f = self.trigger_fams.get(p).copied().unwrap_or(0);
                if f & (fam::STRONG | fam::WEAK) != 0
                    && let Some(word) = seen.get_mut(p / 64)
                {
                    *word |= 1 << (p % 64);
                }
                self.add_spans(text, pos, f, &mut sp);
            }
        }
        sp.vocabulary = seen.iter().map(|w| w.count_ones() as usize).sum();
        for v in [
            &mut sp.tag,
            &mut sp.name,
            &mut sp.url,
            &mut sp.copy,
            &mut sp.arr,
            &mut sp.tdm,
        ] {
            merge_spans(v);
        }
        sp.anchors.sort_unstable();
        sp
    }

    fn add_spans(&self, text: &str, pos: usize, f: u16, sp: &mut Spans) {
        if f & fam::STRONG != 0 {
            sp.anchors.push(pos);
        }
        // Most trigger hits are cluster vocabulary with no line rules.
        if f & !(fam::STRONG | fam::WEAK) == 0 {
            return;
        }
        let line = lines_around(text, pos, 0, 0, LINE_CLIP);
        if f & fam::TAG != 0 {
            sp.tag.push(line);
        }
        if f & fam::NAME != 0 {
            // Two lines after: "either version 2, or (at your option)" / "any
            // later version" often wraps onto the second line after the name,
            // and a notice's next paragraph may follow a blank line.
            sp.name
                .push(lines_around_past_blanks(text, pos, 1, 2, LINE_CLIP));
        }
        if f & fam::URL != 0 {
            sp.url.push(line);
        }
        if f & fam::COPY != 0 {
            sp.copy.push(line);
        }
        if f & fam::ARR != 0 {
            sp.arr.push(line);
        }
        if f & fam::TDM != 0 {
            sp.tdm.push(line);
        }
    }

    fn run_families(&self, text: &str, sp: &Spans, out: &mut Vec<LicenseMatch>) {
        for &(s, e) in &sp.tag {
            self.names.scan_tags(text, s, e, out);
        }
        for &(s, e) in &sp.name {
            self.names.scan_names(text, s, e, out);
        }
        for &(s, e) in &sp.url {
            self.names.scan_urls(text, s, e, out);
        }
        for &(s, e) in &sp.copy {
            for (ls, le) in split_lines(text, s, e) {
                self.markers.scan_copyright(text, ls, le, out);
            }
        }
        for &(s, e) in &sp.arr {
            self.markers.scan_reserved(text, s, e, out);
        }
        for &(s, e) in &sp.tdm {
            self.markers.scan_tdm(text, s, e, out);
        }
    }

    /// License values in a per-record metadata field (The Stack's
    /// `max_stars_repo_licenses`, `detected_licenses`, HF `license`, ...).
    /// Other field names yield nothing. Lists (`["MIT", "Apache-2.0"]`, or
    /// comma-separated) give one match per recognised element.
    pub fn scan_metadata(&self, field_name: &str, value: &str, out: &mut Vec<LicenseMatch>) {
        // Every field of every record passes here: compare in place, without
        // lower-casing into a new string (the table is lower case, see its test).
        let start = field_name
            .bytes()
            .rposition(|b| b == b'.' || b == b'/')
            .map_or(0, |i| i + 1);
        let last = field_name.get(start..).unwrap_or(field_name);
        if !METADATA_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(last)) {
            return;
        }
        for (s, e) in metadata_items(value) {
            if let Some(license) = self.names.declared(&value[s..e]) {
                out.push(license_match(
                    EvidenceKind::MetadataField,
                    license,
                    "metadata.field",
                    s,
                    e,
                ));
            }
        }
    }

    /// The license of a whole LICENSE / COPYING / NOTICE file. Several
    /// licenses in one file are combined with AND: we cannot tell a dual
    /// license from a bundle, and AND is the conservative reading.
    pub fn identify_license_file(&self, text: &str) -> Option<LicenseMatch> {
        if text.trim().is_empty() {
            return None;
        }
        let found = self
            .matcher
            .get()
            .map(|m| m.identify_cached(&strip_lines(text)))
            .unwrap_or_default();
        let (licenses, rule, start, end) = if found.is_empty() {
            let mut v = Vec::new();
            self.scan_text(text, &mut v);
            let lic: Vec<&LicenseMatch> =
                v.iter().filter(|m| m.kind == MarkerKind::License).collect();
            let first = lic.first()?;
            let end = lic.iter().map(|m| m.end).max().unwrap_or(first.end);
            let ids: Vec<String> = lic.iter().filter_map(|m| m.license.clone()).collect();
            (ids, first.rule, first.start, end)
        } else {
            let starts = lines::line_starts(text);
            let s = starts
                .get(found.iter().map(|f| f.lines.0).min().unwrap_or(0))
                .copied()
                .unwrap_or(0);
            let e = found
                .iter()
                .map(|f| f.lines.1)
                .max()
                .and_then(|l| starts.get(l))
                .map_or(text.len(), |&n| n.saturating_sub(1));
            let ids = found.into_iter().map(|f| f.license).collect();
            (ids, "file.spdx_matcher", s, e.max(s))
        };
        let expression = and_all(licenses)?;
        Some(LicenseMatch {
            kind: MarkerKind::License,
            evidence: Some(EvidenceKind::LicenseFile),
            license: Some(expression),
            rule,
            start,
            end,
        })
    }

    /// A declared license ("mit", "cc-by-nc-sa-4.0", "Apache 2.0", "CC BY-NC
    /// 4.0", "openrail") as a canonical SPDX expression or LicenseRef.
    /// `None` for values that carry no license ("unknown", "none").
    pub fn normalize_declared(&self, declared: &str) -> Option<String> {
        self.names.declared(declared)
    }
}

/// Whether a text with no license evidence at all still reads as a license: short
/// enough to be a license on its own, dense in license vocabulary. Such texts
/// (an APSL or BitTorrent license, a BSD text whose phrases are wrapped across
/// lines) lack the strong phrases that start clusters, or wrap them, so the
/// whole text goes to the matcher once; so does a short text with wording
/// that grants rights without naming a license. A text as rich as a full
/// license ([`WHOLE_NAMED_MIN_DISTINCT`] phrases) is read whole even when
/// names were found in it, unless a license text was: a license that names
/// others (the GFDL's Creative Commons section) is still that license, and
/// markdown headings (`## 1. Definitions`) split it into blocks the cluster
/// search scores one by one. `Some(clauses)` when the whole text goes to the
/// matcher, `clauses` telling whether the clause rules may name it (not when
/// a license is named: they would claim the whole text and hide the name).
fn reads_as_license_text(text: &str, spans: &Spans, found: &[LicenseMatch]) -> Option<bool> {
    let dense = text.len() <= WHOLE_TEXT_MAX_BYTES && spans.vocabulary >= WHOLE_TEXT_MIN_DISTINCT;
    // A short text that grants or dedicates in its own words (ANTLR's "we
    // reserve no legal rights ... fully in the public domain") may be a
    // license the matcher knows, though it holds none of the listed phrases.
    let own_words = |m: &LicenseMatch| is_unnamed(m) || m.rule == rules::PUBLIC_DOMAIN_RULE;
    let short = text.len() <= SHORT_TEXT_MAX_BYTES
        && (spans.vocabulary >= SHORT_TEXT_MIN_DISTINCT || found.iter().any(own_words));
    let named = found
        .iter()
        .any(|m| m.kind == MarkerKind::License && !own_words(m));
    let text_found = found
        .iter()
        .any(|m| m.evidence == Some(EvidenceKind::LicenseText));
    // Where a name was found, only a text as rich as a full license is read
    // whole: a GNU header names its license and holds 10 to 14 phrases.
    let full = dense && (!named || spans.vocabulary >= WHOLE_NAMED_MIN_DISTINCT);
    ((full && !text_found) || (short && !named)).then_some(!named)
}

/// Evidence that a license applies without naming it: a reference to a
/// license file, a grant of permissions in a license no table names, or the
/// wording of an agreement. It neither stops the search for the license text
/// nor stands beside a named license in the same text.
fn is_unnamed(m: &LicenseMatch) -> bool {
    m.rule == rules::SEE_FILE_RULE
        || m.rule == rules::PERMISSIVE_GRANT_RULE
        || rules::AGREEMENT_WORDING_RULES.contains(&m.rule)
        || m.license.as_deref() == Some("LicenseRef-See-License-File")
        || m.license.as_deref() == Some("LicenseRef-Permissive-Grant")
}

/// A reference to a license file ("see LICENSE for details") says only that
/// a license exists, and a grant of permissions in an unnamed license only
/// that some permissive license applies; when the same text names a license,
/// they point to it and add nothing.
fn drop_answered_references(out: &mut Vec<LicenseMatch>, first: usize) {
    let reference = is_unnamed;
    let named = out[first..]
        .iter()
        .any(|m| m.kind == MarkerKind::License && !reference(m));
    if named {
        let mut i = first;
        out.retain(|m| {
            i += 1;
            i <= first || !reference(m)
        });
    }
}

/// Lines of `text[s..e]` as spans.
fn split_lines(text: &str, s: usize, e: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut pos = s;
    std::iter::from_fn(move || {
        if pos >= e {
            return None;
        }
        let end = text[pos..e].find('\n').map_or(e, |i| pos + i);
        let span = (pos, end);
        pos = end + 1;
        Some(span)
    })
}

/// Element spans of a metadata value: the whole value if it names one
/// license or expression, else the items of a JSON/Python list or of a
/// comma/semicolon separated string.
fn metadata_items(value: &str) -> Vec<(usize, usize)> {
    let t = value.trim();
    let off = value.len() - value.trim_start().len();
    if !(t.starts_with('[') || t.contains([',', ';', '|'])) {
        return vec![(off, off + t.len())];
    }
    let mut items = Vec::new();
    let mut start = None;
    for (i, c) in value.char_indices() {
        let sep = matches!(c, ',' | ';' | '|' | '[' | ']' | '"' | '\'');
        match (sep, start) {
            (true, Some(s)) => {
                items.push((s, i));
                start = None;
            }
            (false, None) if !c.is_whitespace() => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        items.push((s, value.len()));
    }
    items
        .into_iter()
        .map(|(s, e)| (s, s + value[s..e].trim_end().len()))
        .filter(|(s, e)| e > s)
        .collect()
}

/// Sorted, deduplicated AND of license expressions (parenthesising ORs).
fn and_all(mut ids: Vec<String>) -> Option<String> {
    ids.sort();
    ids.dedup();
    match ids.len() {
        0 => None,
        1 => ids.pop(),
        _ => Some(
            ids.iter()
                .map(|e| {
                    if e.contains(" OR ") {
                        format!("({e})")
                    } else {
                        e.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

/// Sorts the new matches, drops duplicates, and drops license evidence that
/// lies inside an identified license text (a text's own mentions of its
/// name are not separate evidence) or inside a longer match of the same kind.
/// Linear after sorting: in start order, a match is contained in an earlier
/// one exactly when it ends before the furthest end seen so far.
fn tidy(out: &mut Vec<LicenseMatch>, first: usize) {
    let mut new: Vec<LicenseMatch> = out.drain(first..).collect();
    new.sort_by(|a, b| {
        (
            a.start,
            std::cmp::Reverse(a.end),
            a.kind,
            a.evidence,
            &a.license,
            a.rule,
        )
            .cmp(&(
                b.start,
                std::cmp::Reverse(b.end),
                b.kind,
                b.evidence,
                &b.license,
                b.rule,
            ))
    });
    let mut reach: [Option<usize>; 4] = [None; 4];
    let mut text_reach: Option<usize> = None;
    for m in new {
        let is_text = m.evidence == Some(EvidenceKind::LicenseText);
        let inside_text =
            m.kind == MarkerKind::License && !is_text && text_reach.is_some_and(|r| m.end <= r);
        let slot = &mut reach[m.kind as usize];
        if inside_text || slot.is_some_and(|r| m.end <= r) {
            continue;
        }
        *slot = Some(slot.map_or(m.end, |r| r.max(m.end)));
        if is_text {
            text_reach = Some(text_reach.map_or(m.end, |r| r.max(m.end)));
        }
        out.push(m);
    }
}

fn feed(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

fn fingerprint() -> String {
    use rules::*;
    let mut h = Sha256::new();
    feed(&mut h, "provaudit-license-rules/1");
    feed(&mut h, spdx::license_version());
    for n in GATE_NEEDLES
        .iter()
        .chain(SHORT_TOKENS)
        .chain(AI_CRAWLERS)
        .chain(METADATA_FIELDS)
        .chain(TIER0)
        .chain(TIER1)
    {
        feed(&mut h, n);
    }
    for (p, f) in TRIGGERS {
        feed(&mut h, &format!("{p}\u{1f}{f}"));
    }
    for r in NAME_RULES.iter().chain(MORE_NAME_RULES) {
        feed(
            &mut h,
            &format!(
                "{}\u{1f}{}\u{1f}{:?}\u{1f}{}",
                r.id, r.pattern, r.resolve, r.bare
            ),
        );
    }
    for p in NOTICE_PREFIXES
        .iter()
        .chain(LOOSE_NOTICE_PREFIXES)
        .chain(NOTICE_SUFFIXES)
        .chain(&[
            LABEL_RULE,
            DOC_TAG_RULE,
            JSON_LABEL_RULE,
            JSON_OBJECT_LABEL_RULE,
            HEADING_RULE,
            SETEXT_HEADING_RULE,
            SPDX_TAG_RULE,
            UNLISTED_NOTICE_RULE,
            TDM_META_RULE,
            ROBOTS_UA_RULE,
        ])
    {
        feed(&mut h, p);
    }
    for (id, p, _) in MORE_NOTICE_PREFIXES.iter().chain(MORE_NOTICE_SUFFIXES) {
        feed(&mut h, &format!("{id}\u{1f}{p}"));
    }
    for (id, p, l, _) in MORE_URL_RULES {
        feed(&mut h, &format!("{id}\u{1f}{p}\u{1f}{l}"));
    }
    for (id, p) in URL_RULES
        .iter()
        .chain(URL_SLUGS)
        .chain(COPYRIGHT_RULES)
        .chain(ARR_RULES)
        .chain(TDM_RULES)
        .chain(DECLARED_ALIASES)
    {
        feed(&mut h, &format!("{id}\u{1f}{p}"));
    }
    for (id, c) in LICENSE_REF_CATEGORIES.iter().chain(SPDX_CATEGORY_TABLE) {
        feed(&mut h, &format!("{id}\u{1f}{}", c.as_str()));
    }
    feed(&mut h, &format!("{ZH_COPYRIGHT_NOUN_TAILS:?}"));
    feed(&mut h, &format!("{NAME_STOP_WORDS:?}"));
    feed(&mut h, &format!("{UNLISTED_GENERIC_WORDS:?}"));
    for r in CLAUSE_RULES {
        feed(
            &mut h,
            &format!("{}\u{1f}{:?}\u{1f}{:?}", r.id, r.all, r.none),
        );
    }
    for (a, b, c, d) in VARIANT_MARKS {
        feed(&mut h, &format!("{a}\u{1f}{b}\u{1f}{c}\u{1f}{d}"));
    }
    for (id, mark) in OWN_NAME_MARKS {
        feed(&mut h, &format!("{id}\u{1f}{mark}"));
    }
    for (a, b, c) in STACK_MARKS {
        feed(&mut h, &format!("{a}\u{1f}{b}\u{1f}{c}"));
    }
    for (id, e) in DEPRECATED_WITH.iter().chain(DEPRECATED_RENAMED) {
        feed(&mut h, &format!("{id}\u{1f}{e}"));
    }
    let nums = [
        GATE_STEP,
        WINDOW,
        CLUSTER_GAP,
        CLUSTER_MIN_DISTINCT,
        CLUSTER_MIN_BYTES,
        CLUSTER_BACK,
        CLUSTER_FORWARD,
        PARAGRAPH_GROW,
        ROBOTS_GROUP_LIMIT,
        WHOLE_TEXT_MAX_BYTES,
        WHOLE_TEXT_MIN_DISTINCT,
        WHOLE_NAMED_MIN_DISTINCT,
        GNU_HEADER_MAX_BYTES,
        GNU_VERSION_NEAR,
        STACK_REACH,
        OWN_NAME_MAX_BYTES,
        SHORT_TEXT_MAX_BYTES,
        SHORT_TEXT_MIN_DISTINCT,
        TITLE_MIN_DISTINCT,
    ];
    feed(
        &mut h,
        &format!(
            "{nums:?} {TIER0_ACCEPT} {TIER1_ACCEPT} {FULL_ACCEPT} {OPTIMIZE_MIN} {NEAR_ACCEPT} {NEAR_MARGIN} {LINE_CLIP}"
        ),
    );
    let mut hex = String::with_capacity(64);
    for b in h.finalize().iter() {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

#[cfg(test)]
mod tests;
