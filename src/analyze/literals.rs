//! Every occurrence of a few hundred fixed strings, found without walking every byte.
//!
//! The name and address recognisers' context words and the sensitive lexicon's terms
//! were each one Aho–Corasick DFA pass, and such a pass costs about 2 ns a byte here
//! whatever its size: the two together doubled a whole scan (README, "Measured speed").
//! Most text holds none of the words, so this search looks at a sample of it:
//! - **Literals of 6 bytes or more** (every Chinese word of two characters or more,
//!   `Street`, `diabetes`): one 4-byte window every 3 bytes of the text, with bit 5 of
//!   every ASCII byte set (see [`key8`]), is looked up in a bitset of the literals' windows at
//!   offsets 0, 1 and 2. Any occurrence of such a literal holds one sampled window at
//!   one of those offsets, so none is missed; the rare marked window is confirmed
//!   against the literals that own it (the license gate, `license/gate.rs`, works the
//!   same way).
//! - **Shorter literals that begin with an ASCII letter** (`Dr `, `St`, `HIV`, `gay`):
//!   only where one can begin — at a capital letter, for case-sensitive literals that
//!   begin with one, and at a word start, for literals that only count at one — found 8
//!   bytes at a time with SWAR arithmetic, then a table of the literals' first two
//!   bytes. Chinese text has almost no such positions.
//! - **Anything else** (`岁`, a user's one-letter term): `memchr::memmem` per literal,
//!   or one Aho–Corasick automaton when there are many or they fold case.
//!
//! [`LiteralSearch::find_all`] returns exactly the occurrences a naive search would
//! (overlapping ones included), sorted; callers impose their own match semantics
//! (overlapping triggers, leftmost-longest terms) on that set.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem;

/// One string to find.
#[derive(Debug, Clone, Copy)]
pub struct Literal<'a> {
    /// The bytes to find (valid UTF-8, so a match never starts inside a character).
    pub text: &'a str,
    /// ASCII letters match in either case.
    pub fold: bool,
    /// An occurrence counts only where the byte before it is not an ASCII letter or
    /// digit (or at the start of the text).
    pub word_start: bool,
}

/// One occurrence: byte offsets into the text and the literal's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Index of the literal in the list the search was built from.
    pub literal: usize,
}

/// Sampling step and window: a literal of `STEP + WINDOW - 1` bytes or more always
/// holds a sampled window starting at one of its first `STEP` offsets.
const STEP: usize = 3;
const WINDOW: usize = 4;
const LONG: usize = STEP + WINDOW - 1;
/// Bitset size for the long literals' windows: 32 KB, so it stays in L1; with about
/// 3,000 windows a random text window is marked about once in 90.
const BITS: u32 = 18;

/// Bit 5 set in every ASCII byte: the windows' key, shared by a window and all its
/// ASCII case variants (`A` 0x41 and `a` 0x61 differ in that bit only), in four
/// instructions per 8 bytes where folding the capitals took eleven, a quarter of the
/// sampled loop (callgrind). The key is lossy for a few other ASCII bytes (`@` and
/// `` ` ``), which only lets a few more windows through to the confirmation, which
/// compares the literal's exact bytes. Bytes of other characters are kept as they are:
/// setting bit 5 in all of them made four Chinese characters share a key, and the
/// confirmations (a mispredicted branch and a map lookup each) rose 2.4-fold.
#[inline(always)]
fn key8(q: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    q | ((!q & HIGH) >> 2)
}

fn key4(w: u32) -> u32 {
    key8(u64::from(w)) as u32
}

fn bucket(w: u32) -> usize {
    (w.wrapping_mul(0x9E37_79B1) >> (32 - BITS)) as usize
}

fn window_at(b: &[u8], at: usize) -> Option<u32> {
    let w = b.get(at..at + WINDOW)?;
    Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// Multiplicative hash for small integer keys (sampled windows); SipHash showed up
/// in profiles. Shared with the license gate.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, v: u32) {
        self.0 = u64::from(v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u16(&mut self, v: u16) {
        self.write_u32(u32::from(v));
    }
}

type KeyMap<K, V> = HashMap<K, Vec<V>, BuildHasherDefault<KeyHasher>>;

/// A literal as stored: folded to lower case when it folds.
struct Stored {
    bytes: Box<[u8]>,
    fold: bool,
    word_start: bool,
}

impl Stored {
    /// Whether the literal occurs at `start` of `b` (and may count there).
    fn at(&self, b: &[u8], start: usize) -> bool {
        let Some(t) = b.get(start..start + self.bytes.len()) else {
            return false;
        };
        let same = if self.fold {
            t.eq_ignore_ascii_case(&self.bytes)
        } else {
            *t == *self.bytes
        };
        same && !(self.word_start && start > 0 && b[start - 1].is_ascii_alphanumeric())
    }
}

/// Short literals no sampled scan covers.
enum Rest {
    None,
    /// A few literals without case folding: one `memmem` each.
    Few(Vec<(memmem::Finder<'static>, usize)>),
    /// Many, or ones that fold case: one automaton (case-insensitive; each hit is
    /// confirmed against its literal).
    Many(AhoCorasick, Vec<usize>),
}

/// Up to this many leftover short literals are searched one `memmem` each.
const FEW: usize = 4;

/// A compiled set of literals (see the module doc).
pub struct LiteralSearch {
    literals: Vec<Stored>,
    /// Marks the keys ([`key4`]) of long literals' 4-byte windows at offsets `0..STEP`.
    bits: Box<[u64; 1 << (BITS - 6)]>,
    /// Window key -> (literal, offset of the window in it).
    windows: KeyMap<u32, (usize, usize)>,
    /// Marks the first two bytes of short literals that begin with a letter, as the
    /// text may hold them (see [`Self::add_short`]).
    pairs: Box<[u64; 1 << 10]>,
    /// First two bytes -> short literals.
    short: KeyMap<u16, usize>,
    /// Bit `c & 63` set for the first letter `c` of every short literal, in each case
    /// it may be written (`A`..`Z` and `a`..`z` fall on distinct bits): most candidate
    /// positions of English text fail this register test, and only the rest reach
    /// `pairs` (measured: the word-start scan fell from about 10 to 4 instructions a
    /// byte; a lower-case `t` no longer passes for `Trail`).
    first_letters: u64,
    /// Some short literal begins with a capital and is case-sensitive.
    capitals: bool,
    /// Some short literal begins with a letter and counts only at a word start.
    word_starts: bool,
    rest: Rest,
}

impl std::fmt::Debug for LiteralSearch {
    /// The count only: literals may be user-supplied.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiteralSearch")
            .field("literals", &self.literals.len())
            .finish_non_exhaustive()
    }
}

impl LiteralSearch {
    /// Compiles `literals`; empty ones are never found. Errs only when the fallback
    /// automaton cannot be built.
    pub fn new(literals: &[Literal<'_>]) -> Result<Self, aho_corasick::BuildError> {
        let mut search = LiteralSearch {
            literals: Vec::with_capacity(literals.len()),
            bits: Box::new([0; 1 << (BITS - 6)]),
            windows: KeyMap::default(),
            pairs: Box::new([0; 1 << 10]),
            short: KeyMap::default(),
            first_letters: 0,
            capitals: false,
            word_starts: false,
            rest: Rest::None,
        };
        let mut rest = Vec::new();
        for (index, literal) in literals.iter().enumerate() {
            let bytes: Box<[u8]> = if literal.fold {
                literal.text.to_ascii_lowercase().into_bytes().into()
            } else {
                literal.text.as_bytes().into()
            };
            let first = bytes.first().copied().unwrap_or(0);
            if bytes.len() >= LONG {
                search.add_long(index, &bytes);
            } else if bytes.len() >= 2 && first.is_ascii_uppercase() && !literal.fold {
                search.capitals = true;
                search.add_short(index, &bytes, literal.fold);
            } else if bytes.len() >= 2 && first.is_ascii_alphabetic() && literal.word_start {
                search.word_starts = true;
                search.add_short(index, &bytes, literal.fold);
            } else if !bytes.is_empty() {
                rest.push(index);
            }
            search.literals.push(Stored {
                bytes,
                fold: literal.fold,
                word_start: literal.word_start,
            });
        }
        search.rest = search.rest_of(rest)?;
        Ok(search)
    }

    fn add_long(&mut self, index: usize, bytes: &[u8]) {
        for offset in 0..STEP {
            // Keyed as the text's windows are read.
            if let Some(w) = window_at(bytes, offset).map(key4) {
                let k = bucket(w);
                self.bits[k >> 6] |= 1 << (k & 63);
                self.windows.entry(w).or_default().push((index, offset));
            }
        }
    }

    /// Keys the literal by its first two bytes exactly as the text may hold them: every
    /// case variant for a literal that folds, the bytes themselves otherwise. Folding
    /// the key instead let every lower-case `be`, `st`, `wa` of English text through to
    /// the confirmation for `Best,`, `St`, `Way` (measured: confirmations were a sixth
    /// of the search on real records).
    fn add_short(&mut self, index: usize, bytes: &[u8], fold: bool) {
        let variants = |b: u8| {
            if fold {
                [b.to_ascii_lowercase(), b.to_ascii_uppercase()]
            } else {
                [b, b]
            }
        };
        for first in variants(bytes[0]) {
            self.first_letters |= 1 << (first & 63);
        }
        let mut keys: Vec<u16> = variants(bytes[0])
            .into_iter()
            .flat_map(|a| variants(bytes[1]).map(|b| pair_key(a, b)))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            self.pairs[usize::from(key >> 6)] |= 1 << (key & 63);
            self.short.entry(key).or_default().push(index);
        }
    }

    fn rest_of(&self, rest: Vec<usize>) -> Result<Rest, aho_corasick::BuildError> {
        let literal = |i: usize| &self.literals[i];
        let plain =
            |i: usize| !literal(i).fold || !literal(i).bytes.iter().any(u8::is_ascii_alphabetic);
        Ok(match rest.len() {
            0 => Rest::None,
            n if n <= FEW && rest.iter().all(|&i| plain(i)) => Rest::Few(
                rest.iter()
                    .map(|&i| (memmem::Finder::new(&literal(i).bytes).into_owned(), i))
                    .collect(),
            ),
            _ => {
                let patterns: Vec<&[u8]> = rest.iter().map(|&i| &*literal(i).bytes).collect();
                let automaton = AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(patterns)?;
                Rest::Many(automaton, rest)
            }
        })
    }

    /// Built from no literals: finds nothing.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.literals.is_empty()
    }

    /// Appends every occurrence in `text` to `out` (cleared first), sorted by start,
    /// then end, then literal.
    pub fn find_all(&self, text: &str, out: &mut Vec<Hit>) {
        out.clear();
        let b = text.as_bytes();
        if !self.windows.is_empty() {
            self.long_pass(b, out);
        }
        if self.capitals || self.word_starts {
            self.short_pass(b, out);
        }
        self.rest_pass(b, out);
        out.sort_unstable();
    }

    /// Two sampled windows (at `i` and `i + STEP`) per 8-byte load; both bits are
    /// tested before one branch, and the rare confirmation is out of line.
    fn long_pass(&self, b: &[u8], out: &mut Vec<Hit>) {
        let mut i = 0;
        while let Some(chunk) = b.get(i..i + 8) {
            let q = key8(u64::from_le_bytes(
                <[u8; 8]>::try_from(chunk).unwrap_or([0; 8]),
            ));
            let (w0, w1) = (q as u32, (q >> (8 * STEP)) as u32);
            if self.marked(w0) | self.marked(w1) {
                self.confirm_pair(b, i, (w0, w1), out);
            }
            i += 2 * STEP;
        }
        while let Some(w) = window_at(b, i) {
            let w = key4(w);
            if self.marked(w) {
                self.confirm(b, i, w, out);
            }
            i += STEP;
        }
    }

    #[inline(always)]
    fn marked(&self, w: u32) -> bool {
        let k = bucket(w);
        self.bits[k >> 6] & (1 << (k & 63)) != 0
    }

    #[cold]
    #[inline(never)]
    fn confirm_pair(&self, b: &[u8], i: usize, (w0, w1): (u32, u32), out: &mut Vec<Hit>) {
        for (w, at) in [(w0, i), (w1, i + STEP)] {
            if self.marked(w) {
                self.confirm(b, at, w, out);
            }
        }
    }

    fn confirm(&self, b: &[u8], at: usize, w: u32, out: &mut Vec<Hit>) {
        let Some(owners) = self.windows.get(&w) else {
            return;
        };
        for &(literal, offset) in owners {
            let Some(start) = at.checked_sub(offset) else {
                continue;
            };
            self.push_if_at(b, literal, start, out);
        }
    }

    fn push_if_at(&self, b: &[u8], literal: usize, start: usize, out: &mut Vec<Hit>) {
        if let Some(stored) = self.literals.get(literal)
            && stored.at(b, start)
        {
            out.push(Hit {
                start,
                end: start + stored.bytes.len(),
                literal,
            });
        }
    }

    /// Capitals (and word starts, when a literal needs them) 16 bytes at a time.
    fn short_pass(&self, b: &[u8], out: &mut Vec<Hit>) {
        match (self.capitals, self.word_starts) {
            (true, false) => self.short_blocks::<true, false>(b, out),
            (false, true) => self.short_blocks::<false, true>(b, out),
            _ => self.short_blocks::<true, true>(b, out),
        }
    }

    /// The loop of [`Self::short_pass`], compiled once per kind of candidate so the
    /// loop body holds no test of the search's own settings.
    fn short_blocks<const CAPITALS: bool, const WORD_STARTS: bool>(
        &self,
        b: &[u8],
        out: &mut Vec<Hit>,
    ) {
        let mut at = 0;
        while at < b.len() {
            let before = at.checked_sub(1).and_then(|p| b.get(p..p + LANES));
            let (block, before) = match (b.get(at..at + LANES), before) {
                (Some(block), Some(before)) => (lanes(block), lanes(before)),
                _ => padded_lanes(b, at),
            };
            let candidates = starts::<CAPITALS, WORD_STARTS>(&block, &before);
            if candidates != 0 {
                // Each half on its own: a `u128` costs twice the instructions per
                // candidate, and English text has one about every 15 bytes.
                for (half, from) in [(candidates as u64, at), ((candidates >> 64) as u64, at + 8)] {
                    let mut marks = half;
                    while marks != 0 {
                        self.confirm_short(b, from + marks.trailing_zeros() as usize / 8, out);
                        marks &= marks - 1;
                    }
                }
            }
            at += LANES;
        }
    }

    /// A candidate position (a letter): two register and table tests inline, the
    /// rare survivor confirmed out of line.
    #[inline(always)]
    fn confirm_short(&self, b: &[u8], at: usize, out: &mut Vec<Hit>) {
        let (Some(&c0), Some(&c1)) = (b.get(at), b.get(at + 1)) else {
            return;
        };
        if self.first_letters & (1 << (c0 & 63)) == 0 {
            return;
        }
        let key = pair_key(c0, c1);
        if self.pairs[usize::from(key >> 6)] & (1 << (key & 63)) != 0 {
            self.confirm_pair_key(b, at, key, out);
        }
    }

    #[cold]
    #[inline(never)]
    fn confirm_pair_key(&self, b: &[u8], at: usize, key: u16, out: &mut Vec<Hit>) {
        for &literal in self.short.get(&key).map_or(&[][..], Vec::as_slice) {
            self.push_if_at(b, literal, at, out);
        }
    }

    fn rest_pass(&self, b: &[u8], out: &mut Vec<Hit>) {
        match &self.rest {
            Rest::None => {}
            Rest::Few(finders) => {
                for (finder, literal) in finders {
                    for start in finder.find_iter(b) {
                        self.push_if_at(b, *literal, start, out);
                    }
                }
            }
            Rest::Many(automaton, literals) => {
                for m in automaton.find_overlapping_iter(b) {
                    if let Some(&literal) = literals.get(m.pattern().as_usize()) {
                        self.push_if_at(b, literal, m.start(), out);
                    }
                }
            }
        }
    }
}

/// Bytes per block of the short pass: one SSE2 register, which every x86-64 has.
const LANES: usize = 16;

fn lanes(chunk: &[u8]) -> [u8; LANES] {
    <[u8; LANES]>::try_from(chunk).unwrap_or([0; LANES])
}

/// The block of `b` at `at` and the bytes one before each of its lanes, where either
/// runs past an end of `b` (the first and the last block): zeros, which are neither
/// letters nor digits, stand in for the missing bytes.
#[cold]
fn padded_lanes(b: &[u8], at: usize) -> ([u8; LANES], [u8; LANES]) {
    let (mut block, mut before) = ([0; LANES], [0; LANES]);
    let head = |from: usize| {
        let rest = b.get(from..).unwrap_or_default();
        rest.get(..LANES).unwrap_or(rest)
    };
    let now = head(at);
    block[..now.len()].copy_from_slice(now);
    match at.checked_sub(1) {
        Some(p) => {
            let prev = head(p);
            before[..prev.len()].copy_from_slice(prev);
        }
        None => {
            let first = now.get(..LANES - 1).unwrap_or(now);
            before[1..=first.len()].copy_from_slice(first);
        }
    }
    (block, before)
}

/// Bit 7 of each lane where a short literal may start at that byte of `block`: a
/// capital (with `CAPITALS`), or a letter whose byte before (`before`, same lane) is no
/// ASCII letter or digit (with `WORD_STARTS`). Lane by lane without a branch, which
/// the compiler turns into a few 16-byte vector compares: the same test as 64-bit
/// arithmetic on 8 bytes took 48 instructions per 8 bytes, 6 a byte (callgrind, mixed
/// zh/en text).
#[inline(always)]
fn starts<const CAPITALS: bool, const WORD_STARTS: bool>(
    block: &[u8; LANES],
    before: &[u8; LANES],
) -> u128 {
    let mut marks = [0u8; LANES];
    for ((mark, &c), &p) in marks.iter_mut().zip(block).zip(before) {
        let capital = c.wrapping_sub(b'A') < 26;
        let letter = (c | 0x20).wrapping_sub(b'a') < 26;
        let glued = ((p | 0x20).wrapping_sub(b'a') < 26) | (p.wrapping_sub(b'0') < 10);
        let start = (CAPITALS & capital) | (WORD_STARTS & letter & !glued);
        *mark = u8::from(start) << 7;
    }
    u128::from_le_bytes(marks)
}

/// The table key of a short literal's (or a text position's) first two bytes.
fn pair_key(a: u8, b: u8) -> u16 {
    u16::from(a) | (u16::from(b) << 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `find_all` must return: every position, every literal, compared naively.
    fn naive(literals: &[Literal<'_>], text: &str) -> Vec<Hit> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        for start in 0..b.len() {
            for (literal, l) in literals.iter().enumerate() {
                let n = l.text.len();
                let Some(t) = b.get(start..start + n) else {
                    continue;
                };
                let same = if l.fold {
                    t.eq_ignore_ascii_case(l.text.as_bytes())
                } else {
                    t == l.text.as_bytes()
                };
                let glued = l.word_start && start > 0 && b[start - 1].is_ascii_alphanumeric();
                if n > 0 && same && !glued {
                    out.push(Hit {
                        start,
                        end: start + n,
                        literal,
                    });
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn lit(text: &str, fold: bool, word_start: bool) -> Literal<'_> {
        Literal {
            text,
            fold,
            word_start,
        }
    }

    /// Every class of literal: long (CJK, ASCII, folded), short capitals, short word
    /// starts, leftovers (one CJK character, a digit, a one-letter term, a folded
    /// short term without a word start), duplicates and overlaps.
    fn literals() -> Vec<Literal<'static>> {
        vec![
            lit("糖尿病", true, false),
            lit("尿病人", false, false),
            lit("北京市", false, false),
            lit("Street", false, false),
            lit("diabetes", true, true),
            lit("abetes", true, true),
            lit("my name is ", false, false),
            lit("Dr. ", false, false),
            lit("Dr", false, false),
            lit("St", false, false),
            lit("HIV", false, true),
            lit("gay", true, true),
            lit("yo", true, true),
            lit("Gay", false, false),
            lit("岁", false, false),
            lit("5g", false, false),
            lit("x", true, false),
            lit("ok", true, false),
            lit("diabetes", true, true),
            lit("", false, false),
        ]
    }

    /// A deterministic text mixing the literals' pieces, case flips, CJK, digits and
    /// punctuation, so occurrences overlap, straddle block and sample boundaries and
    /// sit at both ends.
    fn text(seed: u64, len: usize) -> String {
        let pieces = [
            "糖尿病",
            "尿",
            "病人",
            "北京",
            "市",
            "Street",
            "street",
            "STREET",
            "diabetes",
            "DiAbEtEs",
            "xdiabetes",
            "my name is ",
            "My name is ",
            "Dr. ",
            "Dr",
            "dr",
            "St",
            "st",
            "HIV",
            "hiv",
            "aHIV",
            "gay",
            "GAY",
            "Gay",
            "gayer",
            "yo",
            "YO",
            "5yo",
            "岁",
            "5g",
            "x",
            "X",
            "ok",
            "OK",
            " ",
            ", ",
            ".",
            "\n",
            "a",
            "9",
            "的",
            "é",
        ];
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut out = String::new();
        while out.len() < len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            out.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        out
    }

    #[test]
    fn finds_exactly_what_a_naive_search_finds() {
        let all = literals();
        // Without the folded leftovers, the rest are `memmem`s.
        let plain: Vec<Literal<'_>> = all
            .iter()
            .copied()
            .filter(|l| !matches!(l.text, "x" | "ok"))
            .collect();
        // Without any literal that folds letters.
        let exact: Vec<Literal<'_>> = all
            .iter()
            .copied()
            .filter(|l| !l.fold || !l.text.bytes().any(|b| b.is_ascii_alphabetic()))
            .collect();
        for literals in [all, plain, exact] {
            let search = LiteralSearch::new(&literals).unwrap();
            let mut hits = Vec::new();
            for seed in 0..400 {
                let text = text(seed, (seed as usize * 7) % 300);
                search.find_all(&text, &mut hits);
                assert_eq!(hits, naive(&literals, &text), "seed {seed}");
            }
        }
    }

    #[test]
    fn many_leftover_literals_use_one_automaton() {
        let literals: Vec<Literal<'_>> = ["a", "b", "c", "d", "e", "岁", "ok"]
            .iter()
            .map(|t| lit(t, true, false))
            .collect();
        let search = LiteralSearch::new(&literals).unwrap();
        assert!(matches!(search.rest, Rest::Many(..)));
        let mut hits = Vec::new();
        for seed in 0..100 {
            let text = text(seed, 200);
            search.find_all(&text, &mut hits);
            assert_eq!(hits, naive(&literals, &text), "seed {seed}");
        }
    }

    #[test]
    fn lane_classes_match_the_byte_predicates() {
        for c in 0..=255u8 {
            for p in 0..=255u8 {
                let at = usize::from(c ^ p) % LANES;
                let (mut block, mut before) = ([b'.'; LANES], [b'x'; LANES]);
                block[at] = c;
                before[at] = p;
                let lane = |marks: u128| marks >> (8 * at) & 0xff == 0x80;
                let word_start = c.is_ascii_alphabetic() && !p.is_ascii_alphanumeric();
                assert_eq!(
                    lane(starts::<true, false>(&block, &before)),
                    c.is_ascii_uppercase()
                );
                assert_eq!(lane(starts::<false, true>(&block, &before)), word_start);
                let both = c.is_ascii_uppercase() || word_start;
                assert_eq!(lane(starts::<true, true>(&block, &before)), both, "{c} {p}");
            }
            assert_eq!(key4(u32::from(c)), key4(u32::from(c.to_ascii_lowercase())));
        }
    }

    #[test]
    fn no_literals_find_nothing() {
        let search = LiteralSearch::new(&[]).unwrap();
        let mut hits = vec![Hit {
            start: 0,
            end: 1,
            literal: 0,
        }];
        search.find_all("anything at all 北京市", &mut hits);
        assert!(hits.is_empty() && search.is_empty());
    }
}
