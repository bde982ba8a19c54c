//! Sensitive personal information (PIPL Art. 28) at record level.
//!
//! A record is flagged for a category (`health`, `biometric`, ...) when a term of the
//! category's lexicon (`lexicon/*.txt`, plus the user's `[pii.sensitive]` terms)
//! co-occurs with a reference to a person, so a medical encyclopedia is not someone's
//! medical record:
//! - a counted personal value the PII pass already found in the record (an e-mail, a
//!   phone, an ID, a card, a name): in the same field within [`WINDOW`] bytes and in
//!   the same sentence, or anywhere in the record when both fields are short
//!   ([`SHORT_FIELD`], the columns of a structured row);
//! - a person cue (`lexicon/person.txt`: `我`, `本人`, `my`, `I was`, `患者：`,
//!   `王先生`, `she was diagnosed` ...) within [`WINDOW`] bytes in the same sentence,
//!   not overlapping the term, unless a veto covers it (`我们` is "we", `我院` "our
//!   hospital") or the field's first person is a model (`作为人工智能`, `as an AI`).
//!
//! Cost: one sampled literal search over each field for the lexicon terms
//! (`analyze::literals`, which looks at a fraction of the bytes); only a field with a
//! term is searched for person cues, once. No allocation per record once the
//! caller's [`SensitiveScratch`] has grown.
//!
//! Terms are taken leftmost-longest (`我们` wins over `我`, `银行卡号` over `银行卡`)
//! among the occurrences whose case and edges let them stand as terms, so a glued
//! fragment (`gay` in `gayer`) neither counts nor hides a term that overlaps it.

mod config;
pub(crate) mod lexicon;
#[cfg(test)]
mod tests;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use sha2::{Digest, Sha256};

use crate::analyze::literals::{Hit, Literal, LiteralSearch};
use crate::analyze::pii::{PiiConfigError, PiiMatch};
use crate::record::Field;
use crate::wire::wire_enum;
pub use config::SensitiveConfig;
use lexicon::{Check, Entry};

wire_enum! {
    /// Categories of sensitive personal information (PIPL Art. 28; `docs/ARCHITECTURE.md`,
    /// "Canonical identifiers").
    pub enum SensitiveCategory("sensitive category") {
        /// `health`: medical conditions, symptoms, diagnoses, treatment, medication.
        Health = "health",
        /// `biometric`: fingerprints, faces, irises, voiceprints, DNA.
        Biometric = "biometric",
        /// `religion`: religious belief and practice.
        Religion = "religion",
        /// `specific_identity`: disability, sexual orientation, criminal record,
        /// ethnicity (`lexicon/specific_identity.txt` says why these).
        SpecificIdentity = "specific_identity",
        /// `financial_account`: bank accounts, cards, balances, transactions, credit.
        FinancialAccount = "financial_account",
        /// `whereabouts`: tracking, location history, stays and trips.
        Whereabouts = "whereabouts",
        /// `minor`: a child under 14.
        Minor = "minor",
    }
}

/// Bytes either side of a term within which a person reference counts (about 50 CJK
/// characters or 25 English words): a disclosure names its subject in the same breath.
pub const WINDOW: usize = 150;

/// Fields at most this long are columns of a structured row (name, phone, diagnosis):
/// a person value in one confirms a term in another.
pub const SHORT_FIELD: usize = 256;

/// PII types that point at a person. A company code (`cn_uscc`), a network address
/// or an API key names no one whose health or faith a term could be about. Ids as
/// strings, so the name and address types count as soon as the PII engine has them.
const PERSON_TYPES: &[&str] = &[
    "email",
    "phone",
    "cn_resident_id",
    "cn_passport",
    "bank_card",
    "us_ssn",
    "iban",
    "cn_license_plate",
    "person_name",
];

/// The group name user terms and cues are listed under.
const USER_GROUP: &str = "user";

/// One lexicon term as the matcher needs it.
#[derive(Debug)]
struct Term {
    category: usize,
    /// Index into `SensitiveDetector::rules`.
    rule: u16,
    check: Check,
    shape: Shape,
}

/// How a literal found case-insensitively is confirmed (shared with the safety
/// lexicons, `analyze::safety`, whose terms stand by the same edges).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// The term has a capital: it matches only as written.
    exact: bool,
    /// The term starts with an ASCII letter or digit: none may come right before.
    left_edge: bool,
    /// The term ends with an ASCII letter or digit: none may come right after.
    right_edge: bool,
}

impl Shape {
    /// The shape of `term` as written.
    pub(crate) fn of(term: &str) -> Shape {
        let b = term.as_bytes();
        Shape {
            exact: b.iter().any(u8::is_ascii_uppercase),
            left_edge: b.first().is_some_and(u8::is_ascii_alphanumeric),
            right_edge: b.last().is_some_and(u8::is_ascii_alphanumeric),
        }
    }

    /// Whether the literal `term` found at `start..end` of `text` stands as a term.
    pub(crate) fn accepts(self, term: &str, text: &str, start: usize, end: usize) -> bool {
        let bytes = text.as_bytes();
        let alnum_at = |i: Option<usize>| {
            i.and_then(|i| bytes.get(i))
                .is_some_and(u8::is_ascii_alphanumeric)
        };
        let glued = (self.left_edge && alnum_at(start.checked_sub(1)))
            || (self.right_edge && alnum_at(Some(end)));
        let wrong_case = self.exact && text.get(start..end) != Some(term);
        !glued && !wrong_case
    }
}

/// A person cue, or a phrase that changes what the cues around it mean.
#[derive(Debug)]
struct Cue {
    role: Role,
    shape: Shape,
}

/// What a `person.txt` entry does, from its group (or a `!` veto).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `[first_person]`: the writer speaks of themself.
    FirstPerson,
    /// Any other group (and the user's cues): a named, addressed or described person.
    Subject,
    /// `!TERM`: cancels the cue it covers (`我们`, `我院`).
    Veto,
    /// `[ai_speaker]`: the field's first person is a model, so its first-person cues
    /// do not count.
    AiSpeaker,
}

impl Role {
    fn of(e: &Entry<'_>) -> Role {
        match (e.veto, e.group) {
            (true, _) => Role::Veto,
            (false, "first_person") => Role::FirstPerson,
            (false, "ai_speaker") => Role::AiSpeaker,
            _ => Role::Subject,
        }
    }
}

/// One flagged category of a record: where its first confirmed term is. Offsets
/// only, never text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveFlag {
    /// The category.
    pub category: SensitiveCategory,
    /// Index of the field holding the term.
    pub field: usize,
    /// Byte offset of the term in the field.
    pub start: usize,
    /// Byte offset one past the term.
    pub end: usize,
    /// The lexicon group's rule ([`SensitiveDetector::rule_id`]).
    pub rule: u16,
}

/// A worker's reusable buffers for [`SensitiveDetector::flag_record`].
#[derive(Debug, Default)]
pub struct SensitiveScratch {
    /// Person cues of the field being looked at, by start, each marked when it is a
    /// first-person cue.
    cues: Vec<(usize, usize, bool)>,
    /// Which field `cues` belongs to.
    cues_of: Option<usize>,
    /// The record's first two short fields holding a person value, once needed.
    row: Option<[Option<usize>; 2]>,
    /// Term occurrences in the field being looked at.
    hits: Vec<Hit>,
}

/// The lexicons and person cues, compiled once per scan and shared by every thread.
pub struct SensitiveDetector {
    /// Every term, each matched as its [`Shape`] says (case, left edge).
    terms: LiteralSearch,
    term_info: Vec<Term>,
    /// Literal of each term, for exact (capitalised) terms.
    literals: Vec<String>,
    cues: AhoCorasick,
    cue_info: Vec<Cue>,
    cue_literals: Vec<String>,
    /// Rule ids: `sensitive.CATEGORY.GROUP`.
    rules: Vec<String>,
    fingerprint: String,
}

impl std::fmt::Debug for SensitiveDetector {
    /// Counts and the fingerprint only: terms may be user-supplied.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SensitiveDetector")
            .field("terms", &self.term_info.len())
            .field("cues", &self.cue_info.len())
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// A configuration error, in the PII config's error type (the section is `[pii]`'s).
fn invalid(field: &'static str, reason: impl Into<String>) -> PiiConfigError {
    PiiConfigError::Invalid {
        rule: "pii.sensitive".into(),
        field,
        reason: reason.into(),
    }
}

/// The category a user-given id names, or an error that shows only a valid-looking id.
fn category_named(id: &str, field: &'static str) -> Result<SensitiveCategory, PiiConfigError> {
    SensitiveCategory::known(id).map_err(|_| {
        let shown: String =
            if id.len() <= 32 && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                id.to_string()
            } else {
                "(not shown)".to_string()
            };
        let all: Vec<&str> = SensitiveCategory::ALL.iter().map(|c| c.as_str()).collect();
        invalid(
            field,
            format!(
                "unknown category `{shown}`; expected one of {}",
                all.join(", ")
            ),
        )
    })
}

impl SensitiveDetector {
    /// The built-in lexicons.
    pub fn builtin() -> Self {
        match Self::with_config(&SensitiveConfig::default()) {
            Ok(d) => d,
            // Not reachable from input: the lexicons are compiled in and a unit test
            // builds them. Failing loudly beats silently finding nothing.
            Err(e) => panic!("built-in sensitive lexicons are invalid: {e}"),
        }
    }

    /// The built-in lexicons with the user's terms and cues added and the disabled
    /// categories left out; errs on an unknown category or an empty term.
    pub fn with_config(cfg: &SensitiveConfig) -> Result<Self, PiiConfigError> {
        let mut disabled = Vec::new();
        for id in &cfg.disable {
            disabled.push(category_named(id, "disable")?);
        }
        let mut b = Builder::default();
        for (category, text) in lexicon::LEXICONS {
            if disabled.contains(category) {
                continue;
            }
            let entries =
                lexicon::parse(text).map_err(|e| invalid("lexicon", format!("{category}: {e}")))?;
            for e in entries {
                b.term(category, &e);
            }
        }
        for (id, terms) in &cfg.terms {
            let category = category_named(id, "terms")?;
            if disabled.contains(&category) {
                continue;
            }
            for term in terms {
                b.term(&category, &user_entry(term, "terms")?);
            }
        }
        let cues = lexicon::parse(lexicon::PERSON_CUES).map_err(|e| invalid("lexicon", e))?;
        for e in &cues {
            b.cue(e);
        }
        for cue in &cfg.person_cues {
            b.cue(&user_entry(cue, "person_cues")?);
        }
        b.build()
    }

    /// Rule id of `rule` (as in [`SensitiveFlag::rule`]): `sensitive.health.condition`;
    /// `""` if out of range.
    pub fn rule_id(&self, rule: u16) -> &str {
        self.rules.get(usize::from(rule)).map_or("", String::as_str)
    }

    /// Hex SHA-256 over every term, group, check and cue: changes whenever what is
    /// flagged could.
    pub fn rules_fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    /// Appends each category flagged in a record (once, at its first confirmed term)
    /// to `out`. `pii` are the record's PII matches, paired with their field index, as
    /// the PII pass found them.
    pub fn flag_record(
        &self,
        scratch: &mut SensitiveScratch,
        fields: &[Field<'_>],
        pii: &[(usize, PiiMatch)],
        out: &mut Vec<SensitiveFlag>,
    ) {
        self.flag_fields(scratch, fields, pii, out, |_, text, hits| {
            self.terms.find_all(text, hits);
        });
    }

    /// The terms, numbered as [`Self::flag_record_found`] takes their hits: a caller
    /// that searches for other literals too (`Detectors`, with the name and address
    /// context words) finds both in one pass.
    pub(crate) fn term_literals(&self) -> Vec<Literal<'_>> {
        self.literals
            .iter()
            .zip(&self.term_info)
            .map(|(text, term)| term_literal(text, term))
            .collect()
    }

    /// [`Self::flag_record`] with the terms already found: `found[i]` holds field
    /// `i`'s hits, numbered as [`Self::term_literals`] and sorted by start. Same flags.
    pub(crate) fn flag_record_found(
        &self,
        scratch: &mut SensitiveScratch,
        fields: &[Field<'_>],
        pii: &[(usize, PiiMatch)],
        found: &[Vec<Hit>],
        out: &mut Vec<SensitiveFlag>,
    ) {
        self.flag_fields(scratch, fields, pii, out, |index, _, hits| {
            hits.clear();
            hits.extend_from_slice(found.get(index).map_or(&[][..], Vec::as_slice));
        });
    }

    /// The flagging itself; `term_hits(field index, text, hits)` fills `hits` with
    /// the field's term occurrences.
    fn flag_fields(
        &self,
        scratch: &mut SensitiveScratch,
        fields: &[Field<'_>],
        pii: &[(usize, PiiMatch)],
        out: &mut Vec<SensitiveFlag>,
        mut term_hits: impl FnMut(usize, &str, &mut Vec<Hit>),
    ) {
        // Every category switched off: no pass at all (an empty search still
        // walks every byte).
        if self.term_info.is_empty() {
            return;
        }
        let mut found = [false; SensitiveCategory::ALL.len()];
        scratch.cues_of = None;
        scratch.row = None;
        let mut hits = std::mem::take(&mut scratch.hits);
        for (index, field) in fields.iter().enumerate() {
            let text: &str = &field.text;
            term_hits(index, text, &mut hits);
            self.leftmost_longest(text, &mut hits);
            for m in &hits {
                let Some(term) = self.term_info.get(m.literal) else {
                    continue;
                };
                if found.get(term.category).copied().unwrap_or(true)
                    || !self.stands(term, m.literal, text, m.start, m.end)
                    || !self.person_near(scratch, fields, index, m.start, m.end, pii)
                {
                    continue;
                }
                if let (Some(slot), Some(category)) = (
                    found.get_mut(term.category),
                    SensitiveCategory::ALL.get(term.category),
                ) {
                    *slot = true;
                    out.push(SensitiveFlag {
                        category: category.clone(),
                        field: index,
                        start: m.start,
                        end: m.end,
                        rule: term.rule,
                    });
                }
            }
        }
        scratch.hits = hits;
    }

    /// Keeps, of `hits` (sorted by start), the occurrences that stand on their right
    /// edge, then of those the leftmost-longest run: the longest at the leftmost
    /// start, then the same from its end on, as an automaton with leftmost-longest
    /// semantics reports them.
    fn leftmost_longest(&self, text: &str, hits: &mut Vec<Hit>) {
        let bytes = text.as_bytes();
        hits.retain(|h| {
            let glued = bytes.get(h.end).is_some_and(u8::is_ascii_alphanumeric);
            !(glued
                && self
                    .term_info
                    .get(h.literal)
                    .is_some_and(|t| t.shape.right_edge))
        });
        hits.sort_unstable_by_key(|h| (h.start, std::cmp::Reverse(h.end), h.literal));
        let mut cursor = 0;
        hits.retain(|h| {
            let take = h.start >= cursor;
            if take {
                cursor = h.end;
            }
            take
        });
    }

    /// Edges, case and the group's check.
    fn stands(&self, term: &Term, pattern: usize, text: &str, start: usize, end: usize) -> bool {
        let literal = self.literals.get(pattern).map_or("", String::as_str);
        term.shape.accepts(literal, text, start, end)
            && !lexicon::begins_organisation(text, end)
            && match term.check {
                Check::None => true,
                Check::Under14 => lexicon::number_before(text, start).is_some_and(|n| n < 14),
            }
    }

    /// A person reference near the term at `start..end` of field `index`.
    fn person_near(
        &self,
        scratch: &mut SensitiveScratch,
        fields: &[Field<'_>],
        index: usize,
        start: usize,
        end: usize,
        pii: &[(usize, PiiMatch)],
    ) -> bool {
        let Some(field) = fields.get(index) else {
            return false;
        };
        let text: &str = &field.text;
        if value_near(text, pii, index, start, end) {
            return true;
        }
        if text.len() <= SHORT_FIELD {
            let row = *scratch.row.get_or_insert_with(|| row_fields(fields, pii));
            if row.iter().flatten().any(|&i| i != index) {
                return true;
            }
        }
        if scratch.cues_of != Some(index) {
            self.find_cues(text, &mut scratch.cues);
            scratch.cues_of = Some(index);
        }
        let from = start.saturating_sub(WINDOW);
        let first = scratch.cues.partition_point(|&(_, e, _)| e < from);
        scratch
            .cues
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(s, _, _)| s <= end + WINDOW)
            .any(|&(s, e, _)| (e <= start || end <= s) && near(text, (s, e), (start, end)))
    }

    /// The person cues of `text` that no veto covers, by start (their ends ascend too:
    /// matches do not overlap); none of the first-person ones when a model speaks.
    fn find_cues(&self, text: &str, out: &mut Vec<(usize, usize, bool)>) {
        out.clear();
        let mut ai_speaks = false;
        for m in self.cues.find_iter(text) {
            let p = m.pattern().as_usize();
            let (Some(cue), Some(literal)) = (self.cue_info.get(p), self.cue_literals.get(p))
            else {
                continue;
            };
            if !cue.shape.accepts(literal, text, m.start(), m.end()) {
                continue;
            }
            match cue.role {
                Role::Veto => {}
                Role::AiSpeaker => ai_speaks = true,
                Role::FirstPerson => out.push((m.start(), m.end(), true)),
                Role::Subject => out.push((m.start(), m.end(), false)),
            }
        }
        if ai_speaks {
            out.retain(|&(_, _, first_person)| !first_person);
        }
    }
}

/// A person value of field `index` near its `start..end`. `pii` is in field order,
/// each field's matches by start without overlaps (as the PII pass gives them), so a
/// binary search finds the window: many terms and many values in one field stay
/// linear.
fn value_near(
    text: &str,
    pii: &[(usize, PiiMatch)],
    index: usize,
    start: usize,
    end: usize,
) -> bool {
    let from = start.saturating_sub(WINDOW);
    let first = pii.partition_point(|(i, m)| *i < index || (*i == index && m.end < from));
    pii.get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(|(i, m)| *i == index && m.start <= end + WINDOW)
        .any(|(_, m)| names_person(m) && near(text, (m.start, m.end), (start, end)))
}

/// The first two short fields ([`SHORT_FIELD`]) that hold a person value: in a
/// structured row, one confirms a term in any other short field.
fn row_fields(fields: &[Field<'_>], pii: &[(usize, PiiMatch)]) -> [Option<usize>; 2] {
    let short = |i: usize| fields.get(i).is_some_and(|f| f.text.len() <= SHORT_FIELD);
    let mut row = [None, None];
    for (i, m) in pii {
        if !names_person(m) || !short(*i) {
            continue;
        }
        match row {
            [None, _] => row[0] = Some(*i),
            [Some(first), None] if first != *i => {
                row[1] = Some(*i);
                break;
            }
            _ => {}
        }
    }
    row
}

/// A counted value of a type that points at a person.
fn names_person(m: &PiiMatch) -> bool {
    m.is_personal() && PERSON_TYPES.contains(&m.pii_type.as_str())
}

/// Characters that end a sentence or a line: a person reference counts only in the
/// term's own sentence (`她正在接受手术。如果我回答…`: the `我` is someone else).
const SENTENCE_ENDS: &[char] = &['\n', '。', '！', '？', '!', '?', '；'];

/// Two spans of `text` at most [`WINDOW`] bytes apart in one sentence: no line
/// break, sentence-ending mark or `. ` between them.
fn near(text: &str, a: (usize, usize), b: (usize, usize)) -> bool {
    let (gap_start, gap_end) = if a.1 <= b.0 {
        (a.1, b.0)
    } else if b.1 <= a.0 {
        (b.1, a.0)
    } else {
        return true;
    };
    gap_end - gap_start <= WINDOW
        && text
            .get(gap_start..gap_end)
            .is_some_and(|gap| !gap.contains(SENTENCE_ENDS) && !gap.contains(". "))
}

/// A term as the literal search takes it: case folded unless it has a capital, found
/// only at a word start when it begins with a letter or digit (its [`Shape`]).
fn term_literal<'a>(text: &'a str, term: &Term) -> Literal<'a> {
    Literal {
        text,
        fold: !term.shape.exact,
        word_start: term.shape.left_edge,
    }
}

/// A user term or cue as a lexicon entry (group `user`, no check).
fn user_entry<'a>(term: &'a str, field: &'static str) -> Result<Entry<'a>, PiiConfigError> {
    let term = term.trim();
    if term.is_empty() {
        return Err(invalid(field, "empty term"));
    }
    Ok(Entry {
        term,
        group: USER_GROUP,
        check: Check::None,
        veto: false,
    })
}

/// Collects terms and cues, then compiles the two automata.
#[derive(Default)]
struct Builder {
    terms: Vec<Term>,
    literals: Vec<String>,
    cues: Vec<Cue>,
    cue_literals: Vec<String>,
    rules: Vec<String>,
    hash: Sha256,
}

impl Builder {
    fn term(&mut self, category: &SensitiveCategory, e: &Entry<'_>) {
        let rule_id = format!("sensitive.{category}.{}", e.group);
        let rule = match self.rules.iter().position(|r| *r == rule_id) {
            Some(i) => i,
            None => {
                self.rules.push(rule_id);
                self.rules.len() - 1
            }
        };
        self.hash_fields(&[category.as_str(), e.group, e.check.name(), e.term]);
        self.terms.push(Term {
            category: category.position().unwrap_or(usize::MAX),
            rule: u16::try_from(rule).unwrap_or(u16::MAX),
            check: e.check,
            shape: Shape::of(e.term),
        });
        self.literals.push(e.term.to_string());
    }

    fn cue(&mut self, e: &Entry<'_>) {
        self.hash_fields(&["cue", e.group, if e.veto { "!" } else { "" }, e.term]);
        self.cues.push(Cue {
            role: Role::of(e),
            shape: Shape::of(e.term),
        });
        self.cue_literals.push(e.term.to_string());
    }

    fn hash_fields(&mut self, fields: &[&str]) {
        for f in fields {
            self.hash.update(f.as_bytes());
            self.hash.update([0x1f]);
        }
        self.hash.update(b"\n");
    }

    fn build(mut self) -> Result<SensitiveDetector, PiiConfigError> {
        self.hash
            .update(format!("window={WINDOW};short={SHORT_FIELD}\n").as_bytes());
        self.hash_fields(PERSON_TYPES);
        let fingerprint = crate::bytesource::hex(&self.hash.finalize());
        let literals: Vec<Literal<'_>> = self
            .literals
            .iter()
            .zip(&self.terms)
            .map(|(text, term)| term_literal(text, term))
            .collect();
        let terms = LiteralSearch::new(&literals).map_err(|e| invalid("terms", e.to_string()))?;
        Ok(SensitiveDetector {
            terms,
            cues: automaton(&self.cue_literals)?,
            term_info: self.terms,
            literals: self.literals,
            cue_info: self.cues,
            cue_literals: self.cue_literals,
            rules: self.rules,
            fingerprint,
        })
    }
}

/// The person cues: leftmost-longest (`我们` wins over `我`), ASCII case folded (exact
/// cues are checked afterwards), as a contiguous NFA: quick to build (about 1 ms) and
/// run only over a field that holds a term.
fn automaton(literals: &[String]) -> Result<AhoCorasick, PiiConfigError> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(literals)
        .map_err(|e| invalid("terms", e.to_string()))
}
