//! The detector: the effective rule table plus its compiled automaton.

use std::borrow::Cow;
use std::fmt::Write as _;

use aho_corasick::AhoCorasick;

use crate::analyze::literals::{Hit, Literal};
use sha2::{Digest, Sha256};

use super::config::{PiiConfig, PiiConfigError, UserRule, shown, valid_rule_id};
use super::edge::{Edge, context_window, preceded_by_word};
use super::engine::{Caches, Engine, GroupKey, MAX_GROUPS, PatternSpec, check_pattern};
use super::prose::Prose;
use super::rules::{BUILTIN, EndPref, GROUP_USER, RuleDef};
use super::validate::{Env, Validator, Verdict};
use super::veto::Veto;
use super::{Confidence, PiiMatch, PiiType, mask};

/// At most this many ends of one rule are validated at one start; enough for
/// an IBAN backing off group by group, small enough to bound the work.
const MAX_TRIES_PER_RULE: usize = 32;

/// One rule of the effective table, built-in or user-defined.
struct Rule {
    id: Cow<'static, str>,
    pii_type: PiiType,
    pattern: Cow<'static, str>,
    /// Finder prefix (see `engine::PatternSpec::start`); user rules have none.
    start: &'static str,
    validator: Validator,
    context: Vec<Cow<'static, str>>,
    context_matcher: Option<AhoCorasick>,
    deny_before: &'static [&'static str],
    vetoes: &'static [Veto],
    left: Edge,
    right: Edge,
    ends: EndPref,
    score: u8,
    group: GroupKey,
}

/// Finds PII in text. Built once, then shared by every thread (`Send + Sync`):
/// per-thread search state lives in an internal pool.
pub struct PiiDetector {
    rules: Vec<Rule>,
    engine: Option<Engine>,
    /// Names and addresses (`prose`); their rule indices follow `rules`.
    prose: Prose,
    /// ASCII bytes that, right before a candidate, disqualify it for every
    /// rule: the scanner skips through runs of them.
    left_blocks_all: [bool; 128],
    /// Texts shorter than the shortest possible match are skipped outright.
    min_len: usize,
    env: Env,
    fingerprint: String,
}

/// A worker's own regex caches for [`PiiDetector::scan_with`], made by
/// [`PiiDetector::scratch`] of the same detector.
pub struct PiiScratch(Option<Caches>);

impl PiiDetector {
    /// The built-in rule table with nothing disabled.
    pub fn builtin() -> Self {
        match Self::with_config(&PiiConfig::default()) {
            Ok(d) => d,
            // Not reachable from input: the table is static and a unit test
            // builds it. Failing loudly beats silently detecting nothing.
            Err(e) => panic!("built-in PII rule table is invalid: {e}"),
        }
    }

    /// The built-in rules with the user's rules added and the disabled ones removed;
    /// errs on an unknown disable entry or an invalid user rule.
    pub fn with_config(cfg: &PiiConfig) -> Result<Self, PiiConfigError> {
        check_disable(cfg)?;
        let mut rules = Vec::new();
        for def in BUILTIN {
            if !disabled(cfg, def.id, &def.pii_type) {
                rules.push(builtin_rule(def));
            }
        }
        for user in &cfg.rules {
            let rule = user_rule(user)?;
            if rules.iter().any(|r| r.id == rule.id) {
                return Err(PiiConfigError::invalid(&user.id, "id", "duplicate rule id"));
            }
            if !cfg.disable.iter().any(|d| *d == rule.id) {
                rules.push(rule);
            }
        }
        if rules.len() > usize::from(u16::MAX) - 64 {
            return Err(PiiConfigError::Build("more than 65471 rules".into()));
        }
        let prose = Prose::build(|id, t| !disabled(cfg, id, t));
        Self::compile(rules, prose, env(cfg)?)
    }

    fn compile(rules: Vec<Rule>, prose: Prose, env: Env) -> Result<Self, PiiConfigError> {
        let specs: Vec<PatternSpec<'_>> = rules
            .iter()
            .map(|r| PatternSpec {
                pattern: &r.pattern,
                start: r.start,
                guarded: r.left.blocks_ascii_word(),
                key: r.group,
            })
            .collect();
        let engine = if specs.is_empty() {
            None
        } else {
            Some(
                Engine::build(&specs).map_err(|e| match e.index.and_then(|i| rules.get(i)) {
                    Some(r) => PiiConfigError::invalid(&r.id, "pattern", e.reason),
                    None => PiiConfigError::Build(e.reason),
                })?,
            )
        };
        let min_len = rules
            .iter()
            .map(|r| min_len(&r.pattern))
            .min()
            .unwrap_or(usize::MAX);
        let fingerprint = fingerprint(&rules, &prose, &env);
        Ok(PiiDetector {
            left_blocks_all: left_blocks_all(&rules),
            rules,
            engine,
            prose,
            min_len,
            env,
            fingerprint,
        })
    }

    /// The id of rule `rule` (as in [`PiiMatch::rule`]); `""` if out of range.
    pub fn rule_id(&self, rule: u16) -> &str {
        match self.rules.get(usize::from(rule)) {
            Some(r) => &r.id,
            None => self
                .prose_rule(rule)
                .and_then(|i| self.prose.rule_id(i))
                .unwrap_or(""),
        }
    }

    /// The index into the prose rules of rule `rule`, when it is one.
    fn prose_rule(&self, rule: u16) -> Option<usize> {
        usize::from(rule).checked_sub(self.rules.len())
    }

    /// The pattern of rule `rule` (`""` if out of range or a prose rule, which
    /// has none): for listing the effective rules in a report, or exporting
    /// them to other tools.
    pub fn rule_pattern(&self, rule: u16) -> &str {
        self.rules.get(usize::from(rule)).map_or("", |r| &r.pattern)
    }

    /// The type rule `rule` reports.
    pub fn rule_type(&self, rule: u16) -> Option<PiiType> {
        match self.rules.get(usize::from(rule)) {
            Some(r) => Some(r.pii_type.clone()),
            None => self.prose_rule(rule).and_then(|i| self.prose.rule_type(i)),
        }
    }

    /// Confidence 0–100 of rule `rule`, for ranking findings.
    pub fn rule_score(&self, rule: u16) -> u8 {
        match self.rules.get(usize::from(rule)) {
            Some(r) => r.score,
            None => self.prose_rule(rule).map_or(0, |_| PROSE_SCORE),
        }
    }

    /// Number of rules in the effective table (pattern rules, then prose rules).
    pub fn rule_count(&self) -> usize {
        self.rules.len() + self.prose.rule_count()
    }

    /// Hex SHA-256 of the effective rule table: ids, types, patterns,
    /// validators, context words and edges. Changes whenever detection could.
    pub fn rules_fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    /// Appends the PII found in `text` to `out`, sorted by start, without
    /// overlaps. At each position the longest valid match wins.
    pub fn scan(&self, text: &str, out: &mut Vec<PiiMatch>) {
        let base = out.len();
        if let Some(engine) = &self.engine
            && text.len() >= self.min_len
        {
            self.scan_in(engine, &mut engine.caches(), text, out);
        }
        self.prose.scan(text, self.rules.len(), base, out);
    }

    /// Per-worker scratch for [`PiiDetector::scan_with`].
    pub fn scratch(&self) -> PiiScratch {
        PiiScratch(self.engine.as_ref().map(Engine::new_caches))
    }

    /// [`PiiDetector::scan`] with the caller's own regex caches: what a worker thread
    /// scanning millions of fields uses, since the shared pool locks on all threads
    /// but one.
    pub fn scan_with(&self, scratch: &mut PiiScratch, text: &str, out: &mut Vec<PiiMatch>) {
        let base = self.patterns_with(scratch, text, out);
        self.prose.scan(text, self.rules.len(), base, out);
    }

    /// The name and address recognisers' context words, numbered as
    /// [`Self::scan_with_words`] takes their hits: a caller that searches for other
    /// literals too (`Detectors`, with the sensitive terms) finds both in one pass.
    pub(crate) fn context_words(&self) -> Vec<Literal<'static>> {
        self.prose.literals()
    }

    /// [`Self::scan_with`] with the context words already found in `text` (`words`,
    /// numbered as [`Self::context_words`]; reordered here). Same matches.
    pub(crate) fn scan_with_words(
        &self,
        scratch: &mut PiiScratch,
        text: &str,
        words: &mut [Hit],
        out: &mut Vec<PiiMatch>,
    ) {
        let base = self.patterns_with(scratch, text, out);
        self.prose
            .scan_hits(text, words, self.rules.len(), base, out);
    }

    /// The pattern rules' matches appended to `out`; returns where they begin.
    fn patterns_with(
        &self,
        scratch: &mut PiiScratch,
        text: &str,
        out: &mut Vec<PiiMatch>,
    ) -> usize {
        let base = out.len();
        if let (Some(engine), Some(caches)) = (&self.engine, scratch.0.as_mut())
            && text.len() >= self.min_len
        {
            self.scan_in(engine, caches, text, out);
        }
        base
    }

    fn scan_in(&self, engine: &Engine, caches: &mut Caches, text: &str, out: &mut Vec<PiiMatch>) {
        let mut next = Lookahead::new(engine.group_count());
        let mut ends = Vec::new();
        let mut pos = 0;
        while let Some(start) = next.first_from(engine, caches, text, pos) {
            if self.blocked_for_all(text, start) {
                pos = self.skip_blocked_run(text, start);
                continue;
            }
            match self.best_at(engine, caches, text, start, &mut ends) {
                Some(m) => {
                    pos = m.end.max(next_char(text, start));
                    out.push(m);
                }
                None => pos = next_char(text, start),
            }
        }
    }

    /// The masked rendering of a match, e.g. `138****1706`. Only masks ever
    /// leave the process; an out-of-range match yields `****`.
    pub fn mask(&self, m: &PiiMatch, text: &str) -> String {
        match text.get(m.start..m.end) {
            Some(value) if !value.is_empty() => mask::mask(&m.pii_type, value),
            _ => "****".to_string(),
        }
    }

    fn blocked_for_all(&self, text: &str, start: usize) -> bool {
        let prev = start.checked_sub(1).and_then(|i| text.as_bytes().get(i));
        prev.is_some_and(|&b| self.left_blocks_all.get(usize::from(b)) == Some(&true))
    }

    /// First position after `start` whose left neighbour does not block every
    /// rule: every candidate inside a run of such bytes is hopeless.
    fn skip_blocked_run(&self, text: &str, start: usize) -> usize {
        let bytes = text.as_bytes();
        let mut q = start;
        while let Some(&b) = bytes.get(q) {
            if self.left_blocks_all.get(usize::from(b)) != Some(&true) {
                break;
            }
            q += 1;
        }
        if q > start { q } else { next_char(text, start) }
    }

    fn best_at(
        &self,
        engine: &Engine,
        caches: &mut Caches,
        text: &str,
        start: usize,
        ends: &mut Vec<(u16, usize)>,
    ) -> Option<PiiMatch> {
        ends.clear();
        engine.ends_at(caches, text, start, ends);
        ends.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut best: Option<PiiMatch> = None;
        for group in ends.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(index, _)) = group.first() else {
                continue;
            };
            let Some(rule) = self.rules.get(usize::from(index)) else {
                continue;
            };
            let floor = best.as_ref().map_or(start, |b| b.end);
            if let Some(m) = self.try_rule(rule, index, text, start, group, floor) {
                best = Some(m);
            }
        }
        best
    }

    /// The preferred valid end of one rule at `start` that is longer than `floor`.
    fn try_rule(
        &self,
        rule: &Rule,
        index: u16,
        text: &str,
        start: usize,
        group: &[(u16, usize)],
        floor: usize,
    ) -> Option<PiiMatch> {
        if !rule.left.left_ok(text, start) {
            return None;
        }
        let mut tries = 0;
        let mut attempt = |end: usize| {
            if end <= floor || tries >= MAX_TRIES_PER_RULE {
                return None;
            }
            tries += 1;
            let tag = self.accept(rule, text, start, end)?;
            Some(PiiMatch {
                pii_type: rule.pii_type.clone(),
                rule: index,
                start,
                end,
                tag,
                confidence: confidence(rule),
            })
        };
        match rule.ends {
            EndPref::Longest => group.iter().find_map(|e| attempt(e.1)),
            EndPref::Shortest => group.iter().rev().find_map(|e| attempt(e.1)),
        }
    }

    /// Edges, veto words, context vetoes, validator, then context: cheapest
    /// checks first (context before a validator that parses numbering plans).
    fn accept(
        &self,
        rule: &Rule,
        text: &str,
        start: usize,
        end: usize,
    ) -> Option<Option<&'static str>> {
        if !rule.right.right_ok(text, end) {
            return None;
        }
        if !rule.deny_before.is_empty() && preceded_by_word(text, start, rule.deny_before) {
            return None;
        }
        if rule.vetoes.iter().any(|v| v.applies(text, start, end)) {
            return None;
        }
        let context_ok = || {
            rule.context_matcher
                .as_ref()
                .is_none_or(|ctx| has_context_word(ctx, context_window(text, start, end)))
        };
        let costly = rule.validator.costly();
        if costly && !context_ok() {
            return None;
        }
        let value = text.get(start..end)?;
        let Verdict::Accept(tag) = rule.validator.check_in(value, &self.env) else {
            return None;
        };
        if !costly && !context_ok() {
            return None;
        }
        Some(tag)
    }
}

/// Each finder group's next candidate start, kept until the scan passes it:
/// a group with no candidates in the rest of the text is searched only once.
struct Lookahead {
    slots: [Slot; MAX_GROUPS],
    groups: usize,
    /// The digit window being searched (see `engine::near_digits`).
    window: Option<(usize, usize)>,
}

#[derive(Clone, Copy)]
enum Slot {
    Unknown,
    At(usize),
    Exhausted,
}

impl Lookahead {
    fn new(groups: usize) -> Self {
        Lookahead {
            slots: [Slot::Unknown; MAX_GROUPS],
            groups: groups.min(MAX_GROUPS),
            window: None,
        }
    }

    /// The earliest candidate of any group at or after `pos`.
    fn first_from(
        &mut self,
        engine: &Engine,
        caches: &mut Caches,
        text: &str,
        pos: usize,
    ) -> Option<usize> {
        let mut first: Option<usize> = None;
        for (g, slot) in self.slots.iter_mut().enumerate().take(self.groups) {
            let stale = match *slot {
                Slot::Unknown => true,
                Slot::At(s) => s < pos,
                Slot::Exhausted => false,
            };
            if stale {
                *slot = engine
                    .next_start(caches, g, text, pos, &mut self.window)
                    .map_or(Slot::Exhausted, Slot::At);
            }
            if let Slot::At(s) = *slot {
                first = Some(first.map_or(s, |f| f.min(s)));
            }
        }
        first
    }
}

impl std::fmt::Debug for PiiDetector {
    /// Counts and the fingerprint only: patterns may be user-supplied.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PiiDetector")
            .field("rules", &self.rules.len())
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// Ranking score of prose matches (names, addresses): context-confirmed.
const PROSE_SCORE: u8 = 70;

/// What confirmed a rule's matches: its validator when that checks digits or
/// a numbering plan, else its required context words, else only its shape.
fn confidence(rule: &Rule) -> Confidence {
    if rule.validator.confirms() {
        Confidence::High
    } else if rule.context_matcher.is_some() {
        Confidence::Medium
    } else {
        Confidence::Low
    }
}

fn next_char(text: &str, i: usize) -> usize {
    let mut j = i + 1;
    while j < text.len() && !text.is_char_boundary(j) {
        j += 1;
    }
    j
}

fn disabled(cfg: &PiiConfig, id: &str, t: &PiiType) -> bool {
    cfg.disable.iter().any(|d| d == id || d == t.as_str())
}

/// Every `disable` entry must name something, so a typo cannot silently
/// leave a rule on.
fn check_disable(cfg: &PiiConfig) -> Result<(), PiiConfigError> {
    for entry in &cfg.disable {
        let known = PiiType::known(entry).is_ok()
            || BUILTIN.iter().any(|d| d.id == entry)
            || Prose::knows(entry)
            || cfg.rules.iter().any(|r| &r.id == entry);
        if !known {
            return Err(PiiConfigError::UnknownDisable(shown(entry)));
        }
    }
    Ok(())
}

fn builtin_rule(def: &RuleDef) -> Rule {
    let context: Vec<Cow<'static, str>> = def.context.iter().map(|w| Cow::Borrowed(*w)).collect();
    Rule {
        id: Cow::Borrowed(def.id),
        pii_type: def.pii_type.clone(),
        pattern: Cow::Borrowed(def.pattern),
        start: def.start,
        validator: def.validator,
        context_matcher: context_matcher(&context),
        context,
        deny_before: def.deny_before,
        vetoes: def.vetoes,
        left: def.left,
        right: def.right,
        ends: def.ends,
        score: def.score,
        group: def.group,
    }
}

fn user_rule(u: &UserRule) -> Result<Rule, PiiConfigError> {
    if !valid_rule_id(&u.id) {
        return Err(PiiConfigError::invalid(
            &u.id,
            "id",
            "rule ids are 1-64 characters of A-Z a-z 0-9 . _ - with no run of 7+ digits",
        ));
    }
    if BUILTIN.iter().any(|d| d.id == u.id) || Prose::knows(&u.id) {
        return Err(PiiConfigError::invalid(
            &u.id,
            "id",
            "duplicates a built-in rule id",
        ));
    }
    let pii_type = PiiType::known(&u.pii_type).map_err(|_| {
        PiiConfigError::invalid(
            &u.id,
            "type",
            format!("unknown type `{}`", shown(&u.pii_type)),
        )
    })?;
    check_pattern(&u.pattern).map_err(|r| PiiConfigError::invalid(&u.id, "pattern", r))?;
    let validator = match &u.validator {
        None => Validator::None,
        Some(name) => Validator::from_name(name).ok_or_else(|| {
            PiiConfigError::invalid(
                &u.id,
                "validator",
                format!("unknown validator `{}`", shown(name)),
            )
        })?,
    };
    let edge = match &u.boundary {
        None => Edge::Alnum,
        Some(name) => Edge::from_name(name).ok_or_else(|| {
            PiiConfigError::invalid(
                &u.id,
                "boundary",
                "expected one of: alnum, number, grouped, token, none",
            )
        })?,
    };
    if u.context.iter().any(|w| w.trim().is_empty()) {
        return Err(PiiConfigError::invalid(
            &u.id,
            "context",
            "empty context word",
        ));
    }
    let context: Vec<Cow<'static, str>> = u.context.iter().map(|w| Cow::Owned(w.clone())).collect();
    Ok(Rule {
        id: Cow::Owned(u.id.clone()),
        pii_type,
        pattern: Cow::Owned(u.pattern.clone()),
        start: "",
        validator,
        context_matcher: context_matcher(&context),
        context,
        deny_before: &[],
        vetoes: &[],
        left: edge,
        right: edge,
        ends: EndPref::Longest,
        score: 70,
        group: GROUP_USER,
    })
}

/// A context word that starts a word: "tel" counts in "Tel:" and "电话tel",
/// not inside "hotel" (a hotel booking's dates are no phone numbers).
fn has_context_word(ctx: &AhoCorasick, window: &str) -> bool {
    let bytes = window.as_bytes();
    ctx.find_overlapping_iter(window).any(|m| {
        let starts_letter = bytes.get(m.start()).is_some_and(u8::is_ascii_alphabetic);
        let glued = m
            .start()
            .checked_sub(1)
            .and_then(|i| bytes.get(i))
            .is_some_and(u8::is_ascii_alphabetic);
        !(starts_letter && glued)
    })
}

fn context_matcher(words: &[Cow<'static, str>]) -> Option<AhoCorasick> {
    if words.is_empty() {
        return None;
    }
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words.iter().map(|w| w.as_bytes()))
        .ok()
}

fn min_len(pattern: &str) -> usize {
    regex_automata::util::syntax::parse(pattern)
        .ok()
        .and_then(|h| h.properties().minimum_len())
        .unwrap_or(1)
        .max(1)
}

fn left_blocks_all(rules: &[Rule]) -> [bool; 128] {
    let mut table = [false; 128];
    for (b, slot) in (0u8..128).zip(table.iter_mut()) {
        *slot = !rules.is_empty() && rules.iter().all(|r| r.left.always_blocks_ascii(b));
    }
    table
}

/// What validators consult besides the value, from the `[pii]` config.
fn env(cfg: &PiiConfig) -> Result<Env, PiiConfigError> {
    let mut env = Env::new(super::civil::today_yyyymmdd());
    if !cfg.phone_regions.is_empty() {
        env.regions = super::phone::regions(&cfg.phone_regions).map_err(|bad| {
            PiiConfigError::invalid(
                "phone_regions",
                "phone_regions",
                format!("unknown region `{}`", shown(&bad)),
            )
        })?;
    }
    env.placeholder_domains = cfg
        .placeholder_domains
        .iter()
        .map(|d| d.trim().trim_start_matches("*.").to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    Ok(env)
}

fn fingerprint(rules: &[Rule], prose: &Prose, env: &Env) -> String {
    let mut h = Sha256::new();
    // /3: ledger rows count by confidence; rows of older audits (without those
    // counts) must not be reused by `--baseline` or joined by `merge`.
    h.update(b"provaudit-pii-rules/3\n");
    for r in &env.regions {
        h.update(r.as_ref().as_bytes());
        h.update([0x1e]);
    }
    for d in &env.placeholder_domains {
        h.update(d.as_bytes());
        h.update([0x1e]);
    }
    h.update(b"\n");
    for r in rules {
        let fields: [&str; 9] = [
            &r.id,
            r.pii_type.as_str(),
            &r.pattern,
            r.validator.name(),
            r.left.name(),
            r.right.name(),
            r.ends.name(),
            &r.score.to_string(),
            &r.deny_before.join("\u{1e}"),
        ];
        for v in r.vetoes {
            h.update(v.name().as_bytes());
            h.update([0x1e]);
        }
        for f in fields {
            h.update(f.as_bytes());
            h.update([0x1f]);
        }
        for w in &r.context {
            h.update(w.as_bytes());
            h.update([0x1e]);
        }
        h.update(b"\n");
    }
    for part in prose.fingerprint_parts() {
        h.update(part.as_bytes());
        h.update([0x1e]);
    }
    h.finalize()
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
impl PiiDetector {
    /// The built-in table with one whole-text finder over the full patterns:
    /// slow, but free of the window and start-prefix shortcuts, so tests can
    /// check that those shortcuts never change a result.
    pub(super) fn reference() -> Result<Self, PiiConfigError> {
        let rules = BUILTIN
            .iter()
            .map(|d| Rule {
                group: GroupKey::Text(0),
                start: "",
                ..builtin_rule(d)
            })
            .collect();
        Self::compile(
            rules,
            Prose::build(|_, _| true),
            Env::new(super::civil::today_yyyymmdd()),
        )
    }
}

#[cfg(test)]
mod tests;
