//! The screen's literal search: every occurrence of every term in a text, ASCII case
//! folded, in the order an overlapping Aho–Corasick search reports them (by end, then
//! longest first, then by term index).
//!
//! An automaton pays a table walk at every character of every field (17 instructions a
//! byte with 20,000 terms), yet terms can only begin at few places: a term that starts
//! with an ASCII letter or digit only counts at a word start (its left edge,
//! `sensitive::Shape`), and one that starts with another character only at a
//! character start. So the search finds those places a word (8 bytes) at a time, and
//! at each asks a table whether a term begins with the next bytes (its *key*: the
//! term's first bytes, up to 8, case folded and hashed into a bitset, a small bucket
//! of candidates behind a hit), then compares the candidates whole. English prose
//! costs one look a word, Chinese one a character, and a text without terms no more.
//!
//! Where the searched text is a normalised copy, a word start there is not always one
//! in the field (`a.b` → `ab`), so every letter and digit is looked at.

use std::collections::HashMap;

/// One occurrence of a term in the searched text (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Occurrence {
    /// The term's index.
    pub literal: usize,
    pub start: usize,
    pub end: usize,
}

/// Where terms may start in the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Starts {
    /// The field itself: terms that begin with an ASCII letter or digit are looked for
    /// only at word starts (anywhere else they would not count).
    Words,
    /// A normalised copy: at every character.
    Chars,
}

/// The longest key: one 64-bit load.
const KEY_BYTES: usize = 8;

/// Keys ignore bit 5 of every byte: ASCII case (and some collisions a key can afford,
/// since candidates are compared whole).
const FOLD: u64 = 0x2020_2020_2020_2020;
const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// A term's first byte's class: which starts it is looked for at.
const ALNUM: usize = 0;
const OTHER_ASCII: usize = 1;
const NON_ASCII: usize = 2;

fn class_of(first: u8) -> usize {
    if first >= 0x80 {
        NON_ASCII
    } else if first.is_ascii_alphanumeric() {
        ALNUM
    } else {
        OTHER_ASCII
    }
}

/// One pattern's key, in its hash bucket.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u64,
    len: u8,
    group: u32,
}

/// The compiled terms (see the module doc).
pub(super) struct Matcher {
    /// The distinct lower-cased terms; pattern `g` is group `g`.
    patterns: Vec<Box<[u8]>>,
    /// Group `g`'s term indexes, ascending: `ids[groups[g]..groups[g + 1]]` (terms
    /// that are equal once lower-cased share one pattern).
    groups: Vec<usize>,
    ids: Vec<usize>,
    /// Per start class, the key length its patterns of 4 bytes or more share (their
    /// shortest, at most 8; 0 when it has none) ...
    key_len: [u8; 3],
    /// ... and the lengths of its shorter patterns, each its own key (rare: a
    /// one-character Chinese term, a short English word).
    short_lengths: [Vec<u8>; 3],
    /// One bit per hashed key: most looks end here.
    bits: Vec<u64>,
    bits_shift: u32,
    /// `entries[buckets[b]..buckets[b + 1]]`: the keys of hash bucket `b`.
    buckets: Vec<u32>,
    bucket_shift: u32,
    entries: Vec<Entry>,
}

/// Sizes only: the terms are the user's.
impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("terms", &self.ids.len())
            .field("patterns", &self.patterns.len())
            .finish_non_exhaustive()
    }
}

/// The first `len` bytes of `w` (little-endian), the rest zero.
#[inline(always)]
fn keep(w: u64, len: u8) -> u64 {
    if usize::from(len) >= KEY_BYTES {
        w
    } else {
        w & ((1u64 << (8 * u32::from(len))) - 1)
    }
}

/// A key's hash (its length is compared in the bucket, not hashed: one multiply).
#[inline(always)]
fn hash(key: u64) -> u64 {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Up to 8 bytes of `b` from `at`, little-endian, zero-padded past the end.
#[inline(always)]
fn load8(b: &[u8], at: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(w) => u64::from_le_bytes(w.try_into().unwrap_or([0; 8])),
        None => {
            let mut w = [0u8; 8];
            for (w, &byte) in w.iter_mut().zip(b.get(at..).unwrap_or(&[])) {
                *w = byte;
            }
            u64::from_le_bytes(w)
        }
    }
}

/// Per byte of `w`, 0x80 where it is an ASCII letter or digit.
#[inline(always)]
fn alnum8(w: u64) -> u64 {
    let seven = w & !HIGH;
    let digit =
        seven.wrapping_add(ONES * (0x80 - 0x30)) & !seven.wrapping_add(ONES * (0x80 - 0x3a));
    let folded = seven | (ONES * 0x20);
    let letter =
        folded.wrapping_add(ONES * (0x80 - 0x61)) & !folded.wrapping_add(ONES * (0x80 - 0x7b));
    (digit | letter) & !w & HIGH
}

impl Matcher {
    /// Compiles `terms` (their normal forms; an empty one never matches). Fails only
    /// past 2^32 distinct terms.
    pub(super) fn new(terms: &[String]) -> Result<Self, String> {
        let mut patterns: Vec<Box<[u8]>> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        for (i, term) in terms.iter().enumerate() {
            if term.is_empty() {
                continue;
            }
            let lower = term.to_ascii_lowercase();
            let group = *group_of.entry(lower.clone()).or_insert_with(|| {
                patterns.push(lower.into_bytes().into_boxed_slice());
                members.push(Vec::new());
                members.len() - 1
            });
            members[group].push(i);
        }
        if u32::try_from(patterns.len()).is_err() {
            return Err(format!("{} distinct terms", patterns.len()));
        }
        let mut groups = vec![0];
        let mut ids = Vec::with_capacity(terms.len());
        for m in &members {
            ids.extend_from_slice(m);
            groups.push(ids.len());
        }
        // A class's key length: its shortest pattern of 4 bytes or more, at most 8;
        // shorter patterns are their own keys.
        let mut long_min = [KEY_BYTES; 3];
        for p in &patterns {
            let class = class_of(p[0]);
            if p.len() >= 4 {
                long_min[class] = long_min[class].min(p.len());
            }
        }
        let key_len_of = |p: &[u8]| -> u8 {
            let len = if p.len() < 4 {
                p.len()
            } else {
                long_min[class_of(p[0])]
            };
            len as u8
        };
        let mut key_len = [0u8; 3];
        let mut short_lengths: [Vec<u8>; 3] = Default::default();
        for p in &patterns {
            let (class, len) = (class_of(p[0]), key_len_of(p));
            if p.len() >= 4 {
                key_len[class] = len;
            } else if !short_lengths[class].contains(&len) {
                short_lengths[class].push(len);
            }
        }
        let count = patterns.len().max(1);
        let bits_log = (count * 32)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(10, 26);
        let bucket_log = count.next_power_of_two().trailing_zeros().clamp(4, 24);
        let mut bits = vec![0u64; 1 << (bits_log - 6)];
        let (bits_shift, bucket_shift) = (64 - bits_log, 64 - bucket_log);
        let mut entries: Vec<(usize, Entry)> = patterns
            .iter()
            .enumerate()
            .map(|(g, p)| {
                let len = key_len_of(p);
                let key = keep(load8(p, 0) | FOLD, len);
                let h = hash(key);
                let bit = (h >> bits_shift) as usize;
                bits[bit / 64] |= 1 << (bit % 64);
                let entry = Entry {
                    key,
                    len,
                    group: g as u32,
                };
                ((h >> bucket_shift) as usize, entry)
            })
            .collect();
        entries.sort_by_key(|(b, e)| (*b, e.group));
        let mut buckets = vec![0u32; (1 << bucket_log) + 1];
        for (b, _) in &entries {
            buckets[b + 1] += 1;
        }
        for b in 1..buckets.len() {
            buckets[b] += buckets[b - 1];
        }
        Ok(Matcher {
            patterns,
            groups,
            ids,
            key_len,
            short_lengths,
            bits,
            bits_shift,
            buckets,
            bucket_shift,
            entries: entries.into_iter().map(|(_, e)| e).collect(),
        })
    }

    /// Appends every occurrence of a term in `text` that starts where `starts` says
    /// to `out` (cleared first), in overlapping Aho–Corasick order.
    pub(super) fn find(&self, text: &str, starts: Starts, out: &mut Vec<Occurrence>) {
        out.clear();
        let wants =
            |class: usize| self.key_len[class] != 0 || !self.short_lengths[class].is_empty();
        // One copy of the scan per case, so the loop tests nothing but the text.
        match (starts, wants(OTHER_ASCII)) {
            (Starts::Words, false) => self.scan::<true, false>(text.as_bytes(), out),
            (Starts::Words, true) => self.scan::<true, true>(text.as_bytes(), out),
            (Starts::Chars, false) => self.scan::<false, false>(text.as_bytes(), out),
            (Starts::Chars, true) => self.scan::<false, true>(text.as_bytes(), out),
        }
        if out.len() > 1 {
            // Aho–Corasick's overlapping order: by end; at one end the longest first
            // (a state's own match before its suffixes'); equal texts by index.
            out.sort_unstable_by_key(|o| (o.end, o.start, o.literal));
        }
    }

    /// The search's pass: a word (8 bytes) at a time, the places where a term may
    /// start as bit masks (word starts, or every letter and digit unless `WORDS`;
    /// character starts; other ASCII when `OTHER`), each looked at.
    #[inline(always)]
    fn scan<const WORDS: bool, const OTHER: bool>(&self, b: &[u8], out: &mut Vec<Occurrence>) {
        // The previous word's letters and digits: none before the text.
        let mut previous = 0u64;
        let mut at = 0;
        while at < b.len() {
            let w = load8(b, at);
            let alnum = alnum8(w);
            let mut words = if WORDS {
                alnum & !((alnum << 8) | (previous >> 56))
            } else {
                alnum
            };
            previous = alnum;
            // Lead bytes (11xxxxxx): a character starts.
            let mut leads = w & (w << 1) & HIGH;
            let mut others = if OTHER { !w & HIGH & !alnum } else { 0 };
            if b.len() - at < 8 {
                let inside = (1u64 << (8 * (b.len() - at))) - 1;
                (words, leads, others) = (words & inside, leads & inside, others & inside);
            }
            self.look_all(b, at, words, ALNUM, out);
            self.look_all(b, at, leads, NON_ASCII, out);
            if OTHER {
                self.look_all(b, at, others, OTHER_ASCII, out);
            }
            at += 8;
        }
    }

    /// Looks at each byte of the word at `at` that `marks` marks (0x80), where a
    /// pattern of start class `class` may begin.
    #[inline(always)]
    fn look_all(
        &self,
        b: &[u8],
        at: usize,
        mut marks: u64,
        class: usize,
        out: &mut Vec<Occurrence>,
    ) {
        if marks == 0 {
            return;
        }
        let len = self.key_len[class];
        let short = &self.short_lengths[class];
        while marks != 0 {
            let i = at + (marks.trailing_zeros() / 8) as usize;
            marks &= marks - 1;
            let w = load8(b, i) | FOLD;
            if len != 0 {
                self.probe(b, i, keep(w, len), len, out);
            }
            for &len in short {
                self.probe(b, i, keep(w, len), len, out);
            }
        }
    }

    /// Whether a pattern may begin at `i` with `key` (of `len` bytes): the bitset,
    /// then the bucket.
    #[inline(always)]
    fn probe(&self, b: &[u8], i: usize, key: u64, len: u8, out: &mut Vec<Occurrence>) {
        let h = hash(key);
        let bit = (h >> self.bits_shift) as usize;
        if self
            .bits
            .get(bit / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
        {
            self.confirm(b, i, key, len, (h >> self.bucket_shift) as usize, out);
        }
    }

    /// Compares the patterns of bucket `bucket` whose key is `key` with `b` at `i`.
    #[cold]
    fn confirm(
        &self,
        b: &[u8],
        i: usize,
        key: u64,
        len: u8,
        bucket: usize,
        out: &mut Vec<Occurrence>,
    ) {
        let (Some(&from), Some(&to)) = (self.buckets.get(bucket), self.buckets.get(bucket + 1))
        else {
            return;
        };
        for e in self.entries.get(from as usize..to as usize).unwrap_or(&[]) {
            if e.key != key || e.len != len {
                continue;
            }
            let g = e.group as usize;
            let Some(pattern) = self.patterns.get(g) else {
                continue;
            };
            let end = i + pattern.len();
            if !b
                .get(i..end)
                .is_some_and(|t| t.eq_ignore_ascii_case(pattern))
            {
                continue;
            }
            let (Some(&first), Some(&last)) = (self.groups.get(g), self.groups.get(g + 1)) else {
                continue;
            };
            for &literal in self.ids.get(first..last).unwrap_or(&[]) {
                out.push(Occurrence {
                    literal,
                    start: i,
                    end,
                });
            }
        }
    }
}

/// Whether `phrase` (lower-cased) occurs in `text`, ASCII case folded, covering
/// `start..end`: how an exclusion phrase cancels a term's occurrence.
pub(super) fn covers(text: &str, phrase: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let p = phrase.as_bytes();
    (end.saturating_sub(p.len())..=start).any(|q| {
        b.get(q..q + p.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(p))
    })
}
