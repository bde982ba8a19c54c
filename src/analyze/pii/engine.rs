//! The compiled automaton: a few fast passes find candidate starts, then one
//! short anchored pass at each start reports every rule that matches there,
//! with every possible end.
//!
//! Candidate finders (pattern id = rule index throughout):
//! - Rules are split into finder groups, each a leftmost-first meta regex over
//!   its patterns, whose match start is the leftmost position where any rule
//!   of the group matches. Splitting matters: one union of every pattern has
//!   so many lazy-DFA states that the cache thrashes (measured ~40 MB/s),
//!   while literal-prefixed secrets keep the regex engine's literal prefilter
//!   (GB/s) and e-mail keeps its inner-literal `@` search only when alone.
//! - The number-shaped group (`GroupKey::NearDigits`) is searched only inside
//!   windows around digit runs (see `window`), and IPv6 (`GroupKey::NearColonPair`)
//!   only around colon pairs, so prose is skipped at memory speed.
//!
//! Then `ends`: a lazy DFA over all patterns with `MatchKind::All`, run
//! anchored at a candidate start. Overlapping search yields (rule, end) for
//! all rules and lengths at once, so an 18-digit run is tried as resident id
//! *and* bank card, and an e-mail's domain can back off to a valid end.
//!
//! If the lazy DFA gives up (only possible with exotic user patterns such as
//! Unicode `\b` next to non-ASCII), each rule's own anchored regex is used.

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA, OverlappingState};
use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind};

use super::window;

/// A candidate never spans more than this many bytes (a PEM key block is the
/// longest legitimate value); bounds the work per candidate on any input.
pub(super) const MAX_MATCH_LEN: usize = 16 * 1024;
/// Bounds the (rule, end) pairs gathered at one start, for patterns like
/// `[a-z]{3,}` that end at every following byte.
const MAX_ENDS: usize = 1024;

/// At most this many finder groups: `NearDigits`, `NearColonPair`,
/// `NearSchemeSeparator` and `Text(0..=2)`.
pub(super) const MAX_GROUPS: usize = 6;

/// Which finder group a rule's pattern joins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum GroupKey {
    /// Searched only near digits: every match holds a digit (see `window`).
    NearDigits,
    /// Searched only around colon pairs (`::`, `x:x:`; see `window::colon_pair`):
    /// every match opens with at most [`window::HEX_GROUP`] hex digits, a colon, as
    /// many again and a second colon. IPv6 has its own group because its first digit
    /// can come late (`fdab:cdef::1`): in the digit group it stretched every digit
    /// run's window for all the other rules.
    NearColonPair,
    /// Searched only around `://`: every match is a URL whose scheme ends at most
    /// [`SCHEME_BEFORE`] bytes before it. Case-folded scheme alternatives defeat the
    /// regex engine's literal prefilter, and a lazy DFA over all text costs more than
    /// the whole e-mail and secret search (measured: +70% of the PII scan's
    /// instructions on the generated corpus), while `://` is found at memory speed.
    NearSchemeSeparator,
    /// Searched over the whole text, in a union with the same key.
    Text(u8),
}

struct Group {
    key: GroupKey,
    finder: Regex,
}

pub(super) struct Caches {
    groups: Vec<meta::Cache>,
    ends: DfaCache,
}

type MakeCaches = Box<dyn Fn() -> Caches + Send + Sync + UnwindSafe + RefUnwindSafe>;

pub(super) struct Engine {
    groups: Vec<Group>,
    ends: DFA,
    singles: Vec<Regex>,
    pool: Pool<Caches, MakeCaches>,
}

/// Why one pattern, or the combined automaton, could not be built. Carries
/// only the regex engine's description of the problem, never the pattern.
#[derive(Debug)]
pub(super) struct PatternError {
    /// Index of the offending pattern, if one pattern is at fault.
    pub index: Option<usize>,
    pub reason: String,
}

fn syntax_config() -> syntax::Config {
    syntax::Config::new().utf8(true).unicode(true)
}

/// The last line of a regex error ("error: unclosed group"): the earlier
/// lines quote the pattern, which may itself contain a value to hide.
fn describe(err: &dyn std::fmt::Display) -> String {
    let text = err.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let last = last.trim().trim_start_matches("error:").trim();
    if last.is_empty() || text.lines().count() == 1 && text.len() > 200 {
        "invalid regular expression".to_string()
    } else {
        last.to_string()
    }
}

/// Checks one pattern: it must parse and must not match the empty string
/// (an empty match would be a candidate at every position).
pub(super) fn check_pattern(pattern: &str) -> Result<(), String> {
    let hir = syntax::parse_with(pattern, &syntax_config()).map_err(|e| describe(&e))?;
    match hir.properties().minimum_len() {
        Some(n) if n > 0 => Ok(()),
        _ => Err("pattern can match the empty string".to_string()),
    }
}

impl Engine {
    pub(super) fn build(specs: &[PatternSpec<'_>]) -> Result<Engine, PatternError> {
        let mut singles = Vec::with_capacity(specs.len());
        for (i, spec) in specs.iter().enumerate() {
            let at = |reason| PatternError {
                index: Some(i),
                reason,
            };
            check_pattern(spec.pattern).map_err(at)?;
            if !spec.start.is_empty() {
                check_pattern(spec.start).map_err(at)?;
            }
            singles.push(single(spec.pattern).map_err(at)?);
        }
        let whole = |e: &dyn std::fmt::Display| PatternError {
            index: None,
            reason: describe(e),
        };
        let mut distinct: Vec<GroupKey> = specs.iter().map(|s| s.key).collect();
        distinct.sort();
        distinct.dedup();
        let mut groups = Vec::with_capacity(distinct.len());
        for key in distinct {
            let members: Vec<String> = specs
                .iter()
                .filter(|s| s.key == key)
                .map(PatternSpec::finder_pattern)
                .collect();
            let finder = Regex::builder()
                .syntax(syntax_config())
                .configure(Regex::config().match_kind(MatchKind::LeftmostFirst))
                .build_many(&members)
                .map_err(|e| whole(&e))?;
            groups.push(Group { key, finder });
        }
        let patterns: Vec<&str> = specs.iter().map(|s| s.pattern).collect();
        let ends = DFA::builder()
            .syntax(syntax_config())
            .thompson(thompson::Config::new().which_captures(thompson::WhichCaptures::None))
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true),
            )
            .build_many(&patterns)
            .map_err(|e| whole(&e))?;
        let finders: Vec<Regex> = groups.iter().map(|g| g.finder.clone()).collect();
        let ends2 = ends.clone();
        let make: MakeCaches = Box::new(move || Caches {
            groups: finders.iter().map(Regex::create_cache).collect(),
            ends: ends2.create_cache(),
        });
        Ok(Engine {
            groups,
            ends,
            singles,
            pool: Pool::new(make),
        })
    }

    pub(super) fn group_count(&self) -> usize {
        self.groups.len()
    }

    pub(super) fn caches(&self) -> PoolGuard<'_, Caches, MakeCaches> {
        self.pool.get()
    }

    /// Caches of one's own, for a worker that scans many texts: the shared pool's fast
    /// path serves only the thread that first used it, every other thread takes a lock
    /// per text.
    pub(super) fn new_caches(&self) -> Caches {
        Caches {
            groups: self
                .groups
                .iter()
                .map(|g| g.finder.create_cache())
                .collect(),
            ends: self.ends.create_cache(),
        }
    }

    /// Start of group `g`'s leftmost candidate at or after `from`. `window`
    /// remembers the current digit window between calls, so a long run of
    /// candidates inside one window does not recompute it each time.
    pub(super) fn next_start(
        &self,
        caches: &mut Caches,
        g: usize,
        text: &str,
        from: usize,
        window: &mut Option<(usize, usize)>,
    ) -> Option<usize> {
        let group = self.groups.get(g)?;
        let cache = caches.groups.get_mut(g)?;
        match group.key {
            GroupKey::Text(_) => group
                .finder
                .search_with(cache, &Input::new(text).range(from..))
                .map(|m| m.start()),
            GroupKey::NearDigits => near_digits(&group.finder, cache, text, from, window),
            GroupKey::NearColonPair => {
                near_marker(&group.finder, cache, text, from, &COLON, window::colon_pair)
            }
            GroupKey::NearSchemeSeparator => {
                near_marker(&group.finder, cache, text, from, &SEPARATOR, scheme_window)
            }
        }
    }

    /// Appends (rule, end) for every rule and every end matching at `start`.
    pub(super) fn ends_at(
        &self,
        caches: &mut Caches,
        text: &str,
        start: usize,
        out: &mut Vec<(u16, usize)>,
    ) {
        let stop = text.len().min(start.saturating_add(MAX_MATCH_LEN));
        let input = Input::new(text).range(start..stop).anchored(Anchored::Yes);
        if self.overlapping(caches, &input, out).is_err() {
            out.clear();
            self.fallback(&input, out);
        }
    }

    fn overlapping(
        &self,
        caches: &mut Caches,
        input: &Input<'_>,
        out: &mut Vec<(u16, usize)>,
    ) -> Result<(), regex_automata::MatchError> {
        let mut state = OverlappingState::start();
        while out.len() < MAX_ENDS {
            self.ends
                .try_search_overlapping_fwd(&mut caches.ends, input, &mut state)?;
            let Some(hm) = state.get_match() else { break };
            out.push((hm.pattern().as_usize() as u16, hm.offset()));
        }
        Ok(())
    }

    /// One anchored leftmost-first search per rule: fewer ends than the DFA
    /// reports, but it never gives up.
    fn fallback(&self, input: &Input<'_>, out: &mut Vec<(u16, usize)>) {
        for (i, re) in self.singles.iter().enumerate() {
            if let Some(m) = re.search(input) {
                out.push((i as u16, m.end()));
            }
        }
    }
}

/// What the engine needs to know about one rule's pattern.
pub(super) struct PatternSpec<'a> {
    /// The full pattern: what a match is.
    pub pattern: &'a str,
    /// A pattern matching a prefix of every valid match, for the finder; empty
    /// means the full pattern. Short starts keep the finder's DFA small:
    /// patterns with optional separators restart after every separator, and
    /// the union of their restarts is what overflows a lazy DFA's cache.
    pub start: &'a str,
    /// The rule never starts right after an ASCII word character.
    pub guarded: bool,
    pub key: GroupKey,
}

impl PatternSpec<'_> {
    /// The pattern the candidate finder searches for.
    ///
    /// Unanchored, a pattern like `[0-9A-Z]{2}[0-9]{6}[0-9A-Z]{10}` is alive at
    /// every offset of an alphanumeric run, and the lazy DFA must track every
    /// combination of offsets. Guarded rules can only start where
    /// `(?-u:\b{start-half})` holds (left side not `[0-9A-Za-z_]`; CJK counts
    /// as non-word, so this works next to Chinese), which leaves one live
    /// offset per run. It is a necessary condition only: the authoritative
    /// edge check is still `Edge::left_ok`.
    fn finder_pattern(&self) -> String {
        let body = if self.start.is_empty() {
            self.pattern
        } else {
            self.start
        };
        if self.guarded {
            format!("(?-u:\\b{{start-half}})(?:{body})")
        } else {
            body.to_string()
        }
    }
}

/// The leftmost match start of `finder` at or after `from`, searching only
/// the windows around digit runs.
fn near_digits(
    finder: &Regex,
    cache: &mut meta::Cache,
    text: &str,
    from: usize,
    current: &mut Option<(usize, usize)>,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut floor = from;
    loop {
        let (start, end) = match *current {
            Some((start, end)) if start <= floor && floor < end => (floor, end),
            _ => {
                let first = window::next_digit(bytes, floor)?;
                let (start, end) = window::window(bytes, first, floor);
                let w = (
                    floor_boundary(text, start).max(floor),
                    ceil_boundary(text, end),
                );
                *current = Some(w);
                w
            }
        };
        let input = Input::new(text).range(start..end);
        if let Some(m) = finder.search_with(cache, &input) {
            return Some(m.start());
        }
        floor = end;
    }
}

// Built once: constructing a substring searcher costs more than searching a typical
// field with it.
static COLON: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b":"));
static SEPARATOR: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"://"));

/// Bytes from a URL's start to its `://`, at most: the longest scheme a rule of this
/// group names (`jdbc:postgresql`) with room to spare.
pub(super) const SCHEME_BEFORE: usize = 24;
/// Bytes after `://` a finder pattern of the group may need: `://`, a user name of up
/// to 64 characters of up to 4 bytes, and the `:` after it.
const SCHEME_AFTER: usize = 3 + 64 * 4 + 1;

/// The window around a `://` at `sep`: from [`SCHEME_BEFORE`] bytes before it to the
/// `:` that ends the user name, since the group's finder patterns are `scheme://user:`
/// (see `secret.url_credentials`). A separator followed by `/`, `@`, white space or no
/// `:` within reach (a plain `https://host/path`) gets none, so it costs no regex
/// search at all, and a flood of `://` stays linear with a small factor.
fn scheme_window(bytes: &[u8], sep: usize) -> Option<(usize, usize)> {
    let end = user_name_end(bytes, sep + 3)?;
    Some((sep.saturating_sub(SCHEME_BEFORE), end))
}

/// The byte range to search around a marker found at the given offset, if any.
type WindowAt = fn(&[u8], usize) -> Option<(usize, usize)>;

/// The leftmost match start of `finder` at or after `from`, searching only the windows
/// `window` gives around each occurrence of `marker` (`None`: no search there).
fn near_marker(
    finder: &Regex,
    cache: &mut meta::Cache,
    text: &str,
    from: usize,
    marker: &memchr::memmem::Finder<'_>,
    window: WindowAt,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut floor = from;
    loop {
        let at = floor + marker.find(bytes.get(floor..)?)?;
        floor = at + 1;
        let Some((start, end)) = window(bytes, at) else {
            continue;
        };
        let input = Input::new(text).range(floor_boundary(text, start).max(from)..end);
        if let Some(m) = finder.search_with(cache, &input) {
            return Some(m.start());
        }
    }
}

/// Just past the `:` ending a non-empty user name that starts at `at`, or `None` when
/// a byte no user name holds (`/`, `@`, ASCII white space) or the end of reach comes
/// first. Non-ASCII white space is left to the regex, which stays authoritative.
fn user_name_end(bytes: &[u8], at: usize) -> Option<usize> {
    let reach = bytes.get(at..)?;
    let reach = reach.get(..SCHEME_AFTER - 3).unwrap_or(reach);
    let colon = reach
        .iter()
        .position(|&b| matches!(b, b':' | b'/' | b'@') || b.is_ascii_whitespace())?;
    (colon > 0 && reach.get(colon) == Some(&b':')).then_some(at + colon + 1)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

fn single(pattern: &str) -> Result<Regex, String> {
    Regex::builder()
        .syntax(syntax_config())
        .build(pattern)
        .map_err(|e| describe(&e))
}
