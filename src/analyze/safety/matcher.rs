//! The screen's literal search: every occurrence of every term in a text, ASCII case
//! folded, in the order an overlapping Aho–Corasick search reports them (by end, then
//! longest first, then by term index), without walking an automaton byte by byte.
//!
//! Why not the automaton: with 20,000 terms its DFA is about 40 MB, and mixed zh/en
//! prose keeps it in states whose rows miss the caches: about 6.7 ns a byte, more than
//! the whole rest of the scan, plus 0.2–0.3 s to build per scan. Occurrences are rare,
//! so this search only looks where one can start, and most looks end in one bit test:
//!
//! - A term starts on a character, never on a UTF-8 continuation byte; and a term that
//!   begins with an ASCII letter or digit does not stand glued to one before it
//!   (`sensitive::Shape`), so when the text searched is the field itself, such a start
//!   is not looked at (the screen checks edges on the field, so a normalised copy is
//!   searched at every character).
//! - A table per pair of first bytes says which prefix lengths the terms starting with
//!   them have: terms of 1–7 bytes are keyed by their whole text, longer ones by their
//!   first 8 bytes.
//! - The text's next 8 bytes, ASCII lower-cased in one word, masked to each such
//!   length and hashed, are tested against a bitset of the keys (about 1 in 25 tests
//!   passes by chance); only a passing key is looked up and its terms compared.

/// Bits of the key bitset per key (a power of two): a false pass about 1 in 16.
const FILTER_BITS_PER_KEY: usize = 16;

/// Odd multipliers (SplitMix64, xxHash) for the key hash.
const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// One occurrence of a term in the searched text (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Occurrence {
    /// The term's index.
    pub literal: usize,
    pub start: usize,
    pub end: usize,
}

/// A key's terms: the slot of the lookup table.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The key: the prefix bytes (little-endian, masked), 0 in an empty slot.
    prefix: u64,
    /// Prefix length 1–8; 0 marks an empty slot.
    class: u8,
    /// `ids[first..first + count]` are the key's terms, ascending.
    first: u32,
    count: u32,
}

/// The compiled terms (see the module doc).
#[derive(Debug)]
pub(super) struct Matcher {
    /// Per pair of bytes (`first | second << 8`): bit `c - 1` set when a term of prefix
    /// length `c` starts with them (a one-byte term with its byte and any other; ASCII
    /// capitals as their lower case; 0 for continuation bytes). Two bytes, not one:
    /// English words begin with the first letter of some term far more often than
    /// with its first two, and a table look costs less than the hashed tests after it.
    starts: Vec<u8>,
    /// Some term starts with an ASCII byte that is not a letter or digit.
    punctuation_starts: bool,
    /// Bitset of hashed keys; `filter_shift` = 64 − log2(bits).
    filter: Vec<u64>,
    filter_shift: u32,
    /// Open-addressed key table; `table_shift` = 64 − log2(slots).
    table: Vec<Slot>,
    table_shift: u32,
    ids: Vec<u32>,
    /// Each term's bytes, lower-cased: `bytes[offsets[i]..offsets[i + 1]]`.
    bytes: Vec<u8>,
    offsets: Vec<usize>,
}

/// ASCII capitals to lower case in all 8 bytes of `x` at once; other bytes, non-ASCII
/// ones included, unchanged.
#[inline(always)]
fn lower8(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let seven = x & !HIGH;
    let at_least_a = seven.wrapping_add(ONES * (0x80 - u64::from(b'A')));
    let past_z = seven.wrapping_add(ONES * (0x80 - u64::from(b'Z') - 1));
    let upper = at_least_a & !past_z & !x & HIGH;
    x | (upper >> 2)
}

/// The low `class` bytes of `x`.
#[inline(always)]
fn masked(x: u64, class: u32) -> u64 {
    if class >= 8 {
        x
    } else {
        x & ((1u64 << (8 * class)) - 1)
    }
}

#[inline(always)]
fn key_hash(prefix: u64, class: u32) -> u64 {
    prefix
        .wrapping_add(u64::from(class).wrapping_mul(K2))
        .wrapping_mul(K1)
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

const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

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

/// Per byte of `w`, 0x80 where it is `byte`.
#[inline(always)]
fn equal8(w: u64, byte: u8) -> u64 {
    let x = w ^ (ONES * u64::from(byte));
    !(((x & !HIGH).wrapping_add(!HIGH)) | x) & HIGH
}

/// Per byte of `w`, 0x80 where a character of two or more bytes starts (0xC0 and up).
#[inline(always)]
fn lead8(w: u64) -> u64 {
    w & (w << 1) & HIGH
}

impl Matcher {
    /// Compiles `terms` (their normal forms; an empty one never matches).
    pub(super) fn new(terms: &[String]) -> Self {
        let mut bytes = Vec::new();
        let mut offsets = vec![0];
        let mut starts = vec![0u8; 1 << 16];
        let mut keys: Vec<(u8, u64, u32)> = Vec::with_capacity(terms.len());
        for (i, term) in terms.iter().enumerate() {
            let lower = term.to_ascii_lowercase();
            let t = lower.as_bytes();
            bytes.extend_from_slice(t);
            offsets.push(bytes.len());
            let Some(&first) = t.first() else {
                continue;
            };
            let class = t.len().min(8) as u8;
            let cases = |b: u8| {
                if b.is_ascii_lowercase() {
                    vec![b, b.to_ascii_uppercase()]
                } else {
                    vec![b]
                }
            };
            let seconds: Vec<u8> = match t.get(1) {
                Some(&second) => cases(second),
                None => (0..=255).collect(),
            };
            for a in cases(first) {
                for &b in &seconds {
                    starts[usize::from(a) | usize::from(b) << 8] |= 1 << (class - 1);
                }
            }
            let prefix = masked(load8(t, 0), u32::from(class));
            keys.push((class, prefix, i as u32));
        }
        keys.sort_unstable();
        let distinct = keys
            .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
            .count()
            .max(1);
        let filter_bits = (distinct * FILTER_BITS_PER_KEY)
            .next_power_of_two()
            .max(1 << 12);
        let table_slots = (distinct * 2).next_power_of_two().max(16);
        let punctuation_starts = (0..128usize)
            .filter(|&b| !(b as u8).is_ascii_alphanumeric())
            .any(|b| (0..256).any(|second| starts[b | second << 8] != 0));
        let mut matcher = Matcher {
            starts,
            punctuation_starts,
            filter: vec![0; filter_bits / 64],
            filter_shift: 64 - filter_bits.trailing_zeros(),
            table: vec![Slot::default(); table_slots],
            table_shift: 64 - table_slots.trailing_zeros(),
            ids: keys.iter().map(|k| k.2).collect(),
            bytes,
            offsets,
        };
        let mut first = 0usize;
        for group in keys.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let (class, prefix, _) = group[0];
            let h = key_hash(prefix, u32::from(class));
            let bit = (h >> matcher.filter_shift) as usize;
            matcher.filter[bit / 64] |= 1 << (bit % 64);
            let mask = matcher.table.len() - 1;
            let mut at = (h >> matcher.table_shift) as usize;
            while matcher.table[at].class != 0 {
                at = (at + 1) & mask;
            }
            matcher.table[at] = Slot {
                prefix,
                class,
                first: first as u32,
                count: group.len() as u32,
            };
            first += group.len();
        }
        matcher
    }

    fn term(&self, i: u32) -> &[u8] {
        let i = i as usize;
        &self.bytes[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Appends every occurrence of a term in `text` to `out` (cleared first), in
    /// overlapping Aho–Corasick order. With `at_word_starts`, a term beginning with an
    /// ASCII letter or digit is not looked for right after another one (the caller
    /// would refuse it glued there).
    pub(super) fn find(&self, text: &str, at_word_starts: bool, out: &mut Vec<Occurrence>) {
        self.search(text, at_word_starts, false, out);
    }

    /// [`Self::find`] in a field taken to be its own normal form (ASCII case aside, and
    /// its full-width letters and digits looked for already), looking in the same pass
    /// for a separator run the normalisation would remove (`normalize::splices`, which
    /// is its own pass over the bytes otherwise): `true`, and `out` not to be used,
    /// when there is one, so the field is to be copied and searched again.
    pub(super) fn find_in_field(&self, text: &str, out: &mut Vec<Occurrence>) -> bool {
        self.search(text, true, true, out)
    }

    #[inline(always)]
    fn search(
        &self,
        text: &str,
        at_word_starts: bool,
        check_splices: bool,
        out: &mut Vec<Occurrence>,
    ) -> bool {
        out.clear();
        let b = text.as_bytes();
        // Splice candidates, a superset of `normalize::splices`' (ASCII that is not a
        // letter or digit standing for its separators; before the text, separators),
        // each confirmed by its exact checks.
        let (mut prev_other, mut prev_lead, mut prev_cont) = (HIGH, 0u64, 0u64);
        let back = |current: u64, previous: u64, bytes: u32| {
            (current << (8 * bytes)) | (previous >> (64 - 8 * bytes))
        };
        // Eight bytes at a time, a bit per byte that may start a term: a letter or
        // digit (at a word start only, with `at_word_starts`), a character of two or
        // more bytes, other ASCII when some term starts with such a byte. Continuation
        // bytes never start one. The table of first byte pairs then tells.
        let punctuation = if self.punctuation_starts { HIGH } else { 0 };
        let mut carry = 0u64;
        for at in (0..b.len()).step_by(8) {
            let w = load8(b, at);
            let alnum = alnum8(w);
            let glued = if at_word_starts {
                alnum & ((alnum << 8) | carry)
            } else {
                0
            };
            carry = alnum >> 56;
            let lead = lead8(w);
            let other = !w & !alnum & HIGH;
            let mut candidates = (alnum & !glued) | lead | (other & punctuation);
            let valid = b.len() - at;
            if valid < 8 {
                candidates &= (1u64 << (8 * valid)) - 1;
            }
            if check_splices {
                let cont = w & !(w << 1) & HIGH;
                let mut splices = equal8(w, 0xc2)
                    | equal8(w & !(ONES), 0xe2)
                    | other
                        & (back(other, prev_other, 2)
                            | (back(other, prev_other, 4) & back(lead, prev_lead, 3))
                            | back(cont, prev_cont, 1));
                (prev_other, prev_lead, prev_cont) = (other, lead, cont);
                if valid < 8 {
                    splices &= (1u64 << (8 * valid)) - 1;
                }
                while splices != 0 {
                    let i = at + (splices.trailing_zeros() / 8) as usize;
                    splices &= splices - 1;
                    if super::normalize::splices_here(text, i) {
                        return true;
                    }
                }
            }
            while candidates != 0 {
                let i = (candidates.trailing_zeros() / 8) as usize;
                candidates &= candidates - 1;
                let pair = usize::from(b[at + i])
                    | usize::from(b.get(at + i + 1).copied().unwrap_or(0)) << 8;
                let classes = self.starts[pair];
                if classes != 0 {
                    self.find_at(b, at + i, classes, out);
                }
            }
        }
        if out.len() > 1 {
            // Aho–Corasick's overlapping order: by end; at one end the longest first
            // (a state's own match before its suffixes'); equal texts by index.
            out.sort_unstable_by_key(|o| (o.end, o.start, o.literal));
        }
        false
    }

    /// The terms starting at `at` whose prefix lengths are the bits of `classes`.
    #[inline]
    fn find_at(&self, b: &[u8], at: usize, mut classes: u8, out: &mut Vec<Occurrence>) {
        let word = lower8(load8(b, at));
        let left = b.len() - at;
        while classes != 0 {
            let class = classes.trailing_zeros() + 1;
            classes &= classes - 1;
            if (class as usize) > left {
                break;
            }
            let prefix = masked(word, class);
            let h = key_hash(prefix, class);
            let bit = (h >> self.filter_shift) as usize;
            if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let Some(slot) = self.slot(h, prefix, class as u8) else {
                continue;
            };
            for &id in &self.ids[slot.first as usize..(slot.first + slot.count) as usize] {
                let term = self.term(id);
                let end = at + term.len();
                let fits = class < 8
                    || b.get(at + 8..end)
                        .is_some_and(|rest| rest.eq_ignore_ascii_case(&term[8..]));
                if fits {
                    out.push(Occurrence {
                        literal: id as usize,
                        start: at,
                        end,
                    });
                }
            }
        }
    }

    fn slot(&self, h: u64, prefix: u64, class: u8) -> Option<Slot> {
        let mask = self.table.len() - 1;
        let mut at = (h >> self.table_shift) as usize;
        loop {
            let slot = self.table[at];
            if slot.class == 0 {
                return None;
            }
            if slot.class == class && slot.prefix == prefix {
                return Some(slot);
            }
            at = (at + 1) & mask;
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
