//! The prefilter that keeps ordinary text cheap. Aho–Corasick over ~150
//! case-insensitive triggers runs at ~400 MB/s here; this gate runs at over
//! 1 GB/s by hashing one 4-byte window every `GATE_STEP` bytes against a
//! bitset of the needles' windows, and only then checking the needle bytes.
//! A needle of length >= `GATE_STEP + 3` always contains a sampled window that
//! starts at one of its first `GATE_STEP` offsets, so no occurrence is missed.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use aho_corasick::AhoCorasick;

use super::rules::GATE_STEP;
use crate::analyze::literals::KeyHasher as WindowHasher;

const BITS: u32 = 16;

// The unrolled loop in `hits` reads the two halves of one u64.
const _: () = assert!(GATE_STEP == 4);

pub(super) struct Gate {
    /// A fixed size, so indexing it with a bucket needs no bounds check.
    bits: Box<[u64; 1 << (BITS - 6)]>,
    /// 4-byte window value -> (needle index, offset of the window in the needle).
    verify: HashMap<u32, Vec<(u16, u8)>, BuildHasherDefault<WindowHasher>>,
    needles: Vec<&'static [u8]>,
    /// First bytes of the tokens shorter than the gate's minimum (`©`, `(c)`,
    /// `&copy;`): three today, searched with `memchr3` directly, which costs a
    /// field far less than an aho-corasick search call (measured: ~250
    /// instructions of per-call setup per field). More fall back to aho-corasick.
    short_starts: ShortStarts,
    short: Vec<&'static [u8]>,
}

fn bucket(w: u32) -> usize {
    (w.wrapping_mul(0x9E37_79B1) >> (32 - BITS)) as usize
}

fn window(b: &[u8]) -> u32 {
    match b {
        [a, b, c, d, ..] => u32::from_le_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}

/// Where any of a few single bytes occurs.
enum ShortStarts {
    /// Up to three bytes (repeated to fill three slots).
    Few(u8, u8, u8),
    Many(AhoCorasick),
}

impl ShortStarts {
    fn new(starts: &[[u8; 1]]) -> Result<Self, aho_corasick::BuildError> {
        Ok(match starts {
            [] => ShortStarts::Many(AhoCorasick::new(starts)?),
            [[a]] => ShortStarts::Few(*a, *a, *a),
            [[a], [b]] => ShortStarts::Few(*a, *b, *b),
            [[a], [b], [c]] => ShortStarts::Few(*a, *b, *c),
            _ => ShortStarts::Many(AhoCorasick::new(starts)?),
        })
    }

    /// Calls `f` with every position of one of the bytes, in order.
    fn for_each(&self, haystack: &[u8], mut f: impl FnMut(usize)) {
        match self {
            ShortStarts::Few(a, b, c) => memchr::memchr3_iter(*a, *b, *c, haystack).for_each(f),
            ShortStarts::Many(ac) => ac.find_iter(haystack).for_each(|m| f(m.start())),
        }
    }
}

impl Gate {
    pub(super) fn new(
        needles: &[&'static str],
        short: &[&'static str],
    ) -> Result<Self, aho_corasick::BuildError> {
        let mut starts: Vec<[u8; 1]> = short
            .iter()
            .filter_map(|t| t.as_bytes().first().map(|&b| [b]))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let mut gate = Gate {
            bits: Box::new([0; 1 << (BITS - 6)]),
            verify: HashMap::default(),
            needles: Vec::with_capacity(needles.len()),
            short_starts: ShortStarts::new(&starts)?,
            short: short.iter().map(|t| t.as_bytes()).collect(),
        };
        for (idx, needle) in needles.iter().enumerate() {
            gate.add(idx, needle.as_bytes());
        }
        Ok(gate)
    }

    fn add(&mut self, idx: usize, needle: &'static [u8]) {
        self.needles.push(needle);
        for off in 0..GATE_STEP {
            let Some(w) = needle.get(off..off + 4).map(window) else {
                continue;
            };
            let k = bucket(w);
            self.bits[k >> 6] |= 1 << (k & 63);
            self.verify
                .entry(w)
                .or_default()
                .push((idx as u16, off as u8));
        }
    }

    /// Start offsets of every gate needle and short token, sorted.
    pub(super) fn hits(&self, text: &str, out: &mut Vec<usize>) {
        let b = text.as_bytes();
        let mut i = 0;
        // Two windows (at i and i + 4) per 8-byte load.
        // Both bits are tested before one branch, and the rare confirmation is an
        // out-of-line call: the loop keeps everything in registers.
        while let Some(chunk) = b.get(i..i + 8) {
            let q = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
            if self.marked(q as u32) | self.marked((q >> 32) as u32) {
                self.confirm_pair(b, i, q, out);
            }
            i += 2 * GATE_STEP;
        }
        while let Some(chunk) = b.get(i..i + 4) {
            let w = window(chunk);
            let k = bucket(w);
            if self.bits[k >> 6] & (1 << (k & 63)) != 0 {
                self.confirm(b, i, w, out);
            }
            i += GATE_STEP;
        }
        self.short_starts.for_each(b, |at| {
            if self
                .short
                .iter()
                .any(|t| b.get(at..at + t.len()) == Some(*t))
            {
                out.push(at);
            }
        });
        out.sort_unstable();
        out.dedup();
    }

    /// Whether a needle window may hash to `w`'s bucket.
    #[inline(always)]
    fn marked(&self, w: u32) -> bool {
        let k = bucket(w);
        self.bits[k >> 6] & (1 << (k & 63)) != 0
    }

    /// Confirms the two windows of the 8-byte load `q` at `i`.
    #[cold]
    #[inline(never)]
    fn confirm_pair(&self, b: &[u8], i: usize, q: u64, out: &mut Vec<usize>) {
        for (w, at) in [(q as u32, i), ((q >> 32) as u32, i + 4)] {
            if self.marked(w) {
                self.confirm(b, at, w, out);
            }
        }
    }

    fn confirm(&self, b: &[u8], i: usize, w: u32, out: &mut Vec<usize>) {
        let Some(cands) = self.verify.get(&w) else {
            return;
        };
        for &(idx, off) in cands {
            let Some(start) = i.checked_sub(off as usize) else {
                continue;
            };
            let needle = self.needles[idx as usize];
            if b.get(start..start + needle.len()) == Some(needle) {
                out.push(start);
            }
        }
    }

    /// True when the text holds no needle at all (the common case).
    #[cfg(test)]
    pub(super) fn is_quiet(&self, text: &str) -> bool {
        let mut v = Vec::new();
        self.hits(text, &mut v);
        v.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_needles_at_every_alignment() {
        let gate = Gate::new(&["license", "版权所"], &["(c)"]).expect("gate");
        for pad in 0..8 {
            let text = format!("{}license", "x".repeat(pad));
            let mut v = Vec::new();
            gate.hits(&text, &mut v);
            assert_eq!(v, vec![pad], "pad {pad}");
            let text = format!("{}版权所", "y".repeat(pad));
            let mut v = Vec::new();
            gate.hits(&text, &mut v);
            assert_eq!(v, vec![pad], "zh pad {pad}");
        }
        assert!(gate.is_quiet("nothing to see here, really nothing"));
        // One to four distinct first bytes: memchr3 up to three, aho-corasick beyond.
        let shorts = ["(c)", "©", "&copy;", "[x]"];
        for n in 1..=shorts.len() {
            let gate = Gate::new(&["license"], &shorts[..n]).expect("gate");
            let text = "a (c) b © c &copy; d [x] e (d) [y] &amp; license";
            let mut v = Vec::new();
            gate.hits(text, &mut v);
            let mut expected: Vec<usize> = shorts[..n]
                .iter()
                .filter_map(|t| text.find(t))
                .chain(text.find("license"))
                .collect();
            expected.sort_unstable();
            assert_eq!(v, expected, "{n} short tokens");
        }
        assert!(!gate.is_quiet("a (c) b"));
    }
}

#[cfg(test)]
mod table_tests {
    use super::super::rules::{GATE_NEEDLES, GATE_STEP};

    /// A shorter needle would be found at some alignments only.
    #[test]
    fn needles_are_long_enough() {
        let short: Vec<&str> = GATE_NEEDLES
            .iter()
            .copied()
            .filter(|n| n.len() < GATE_STEP + 3)
            .collect();
        assert!(short.is_empty(), "{short:?}");
    }
}
