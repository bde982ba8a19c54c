//! Benchmark contamination: n-gram overlap between training records and the items of
//! evaluation sets (`--eval-sets`).
//!
//! # The overlap rule, and where it comes from
//!
//! A training record overlaps an evaluation item when they share one n-gram of
//! normalised tokens: words (runs of letters and digits, lower-cased; punctuation and
//! spaces only separate) in space-delimited scripts, single characters in CJK (Han,
//! kana), which writes no spaces. The default n is 13 words, the length GPT-3 used
//! (Brown et al. 2020, section 4 and appendix C: an example is "dirty" when it shares
//! a 13-gram with the training data, words lower-cased and punctuation dropped). Llama
//! 2 (Touvron et al. 2023, appendix A.6) counts tokenizer tokens in shared n-grams
//! longer than 10 tokens; a tokenizer is not available to an auditor of raw text, so
//! words it is. CJK text defaults to 20 characters: a Chinese word averages about 1.5
//! characters, so 20 characters carry about what 13 words do; fewer would match
//! boilerplate phrases, more would miss a reworded line. Both lengths are options
//! (`[contamination] ngram_words`, `cjk_chars`).
//!
//! Mixed text (a Chinese maths problem with Arabic digits, an English sentence with a
//! Chinese name) is one token stream, where a word weighs `cjk_chars` and a CJK
//! character `ngram_words`: an n-gram is the shortest run of tokens ending at a token
//! whose weight reaches `ngram_words × cjk_chars`. So pure English gives 13-word grams,
//! pure Chinese 20-character grams, and a mix something in between, the same on both
//! sides. Grams never span fields.
//!
//! Items with less than one gram of text (under 13 words) cannot overlap by this rule
//! and are counted as `short_items`, never silently reported clean. GPT-3 matched such
//! items whole; doing that here would need every training record's grams at every
//! shorter length.
//!
//! # Cost
//!
//! Every item's grams go into one hash table (gram → items). A training record costs
//! one rolling-hash step per token and a probe of a bit filter (8 to 16 bits per
//! indexed gram, small enough to stay in cache; a few percent of probes go on to the
//! table): no allocation per record, nothing held per record. Hashes are 64-bit; two different grams share one with probability
//! about 2^-64 per pair.

pub mod load;

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

// CJK characters are tokens of their own here as in the MinHash shingles.
use crate::analyze::minhash::{decode_at, is_cjk};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The longest gram, in tokens, a parameter set may ask for.
pub const MAX_NGRAM: usize = 48;
/// Ring buffer size of the rolling window (a power of two above [`MAX_NGRAM`]).
const RING: usize = 64;
/// The rolling hash's base (odd, so multiplying by it is invertible mod 2^64).
const BASE: u64 = 0x9e37_79b9_7f4a_7c15;

/// `[contamination]`: n-gram lengths and the evaluation sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContaminationParams {
    /// Words per gram in space-delimited scripts (GPT-3's 13).
    pub ngram_words: usize,
    /// Characters per gram in CJK text.
    pub cjk_chars: usize,
}

impl Default for ContaminationParams {
    fn default() -> Self {
        ContaminationParams {
            ngram_words: 13,
            cjk_chars: 20,
        }
    }
}

impl ContaminationParams {
    /// Checks the lengths; the message names the one at fault.
    pub fn validate(&self) -> Result<(), String> {
        crate::analyze::minhash::check_lengths(
            "contamination",
            &[
                ("ngram_words", self.ngram_words),
                ("cjk_chars", self.cjk_chars),
            ],
            MAX_NGRAM,
        )
    }

    /// (word weight, CJK character weight, gram weight).
    fn weights(&self) -> (u32, u32, u32) {
        (
            self.cjk_chars as u32,
            self.ngram_words as u32,
            (self.ngram_words * self.cjk_chars) as u32,
        )
    }
}

/// One file of a benchmark, as recorded in `summary.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BenchmarkFile {
    /// The path as given (or found under the directory given).
    pub path: String,
    /// Its SHA-256, so the audit says exactly which items it checked.
    pub sha256: String,
    /// Items read from it.
    pub items: u64,
}

/// A benchmark as recorded in `summary.json`: its files and item counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BenchmarkIdentity {
    /// Its name (the file stem, or the manifest's name).
    pub name: String,
    /// Its files, in item order (item ids count on from one file to the next).
    pub files: Vec<BenchmarkFile>,
    /// Items in all.
    pub items: u64,
    /// Items with less text than one gram: they cannot be found by this rule.
    pub short_items: u64,
}

/// A benchmark's items, read: per item its text fields.
#[derive(Debug, Default)]
pub struct EvalSet {
    /// Its name and files (item counts are filled in by [`EvalIndex::new`]).
    pub identity: BenchmarkIdentity,
    /// Each item's text fields, in item order.
    pub items: Vec<Vec<String>>,
}

/// One record's or file's overlap with one benchmark.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BenchmarkHits {
    /// Training records sharing a gram with an item of the benchmark.
    pub records: u64,
    /// The items (0-based ids within the benchmark) that share one, ascending.
    pub items: Vec<u32>,
}

impl BenchmarkHits {
    /// Adds another's records and the union of items.
    pub fn merge(&mut self, other: &BenchmarkHits) {
        self.records += other.records;
        if other.items.is_empty() {
            return;
        }
        let mut items = Vec::with_capacity(self.items.len() + other.items.len());
        let (mut a, mut b) = (self.items.iter().peekable(), other.items.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x < y => a.next(),
                (Some(&&x), Some(&&y)) if y < x => b.next(),
                (Some(_), Some(_)) => {
                    b.next();
                    a.next()
                }
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            items.extend(next.copied());
        }
        self.items = items;
    }
}

/// A file's, group's or scan's overlap (ledger column `contamination`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContaminationCounts {
    /// Records sharing a gram with any benchmark's item.
    pub records: u64,
    /// Per benchmark with an overlap: records and items.
    pub by_benchmark: BTreeMap<String, BenchmarkHits>,
}

impl ContaminationCounts {
    /// Adds another file's or group's counts (records add, items unite).
    pub fn merge(&mut self, other: &ContaminationCounts) {
        self.records += other.records;
        for (name, hits) in &other.by_benchmark {
            match self.by_benchmark.get_mut(name) {
                Some(mine) => mine.merge(hits),
                None => {
                    self.by_benchmark.insert(name.clone(), hits.clone());
                }
            }
        }
    }
}

/// One item a record overlaps: which, how many of the record's grams, and where the
/// first and last of them lie (field index, byte range in that field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemHit {
    /// The benchmark's index.
    pub benchmark: u32,
    /// The item's id within its benchmark.
    pub item: u32,
    /// Grams of the record found in the item.
    pub grams: u32,
    /// The field of the first shared gram.
    pub field: usize,
    /// Byte offset in that field where the first shared gram starts.
    pub start: usize,
    /// Byte offset where the last shared gram in the same field ends.
    pub end: usize,
}

/// The evaluation items' grams, built once per scan.
pub struct EvalIndex {
    params: ContaminationParams,
    benchmarks: Vec<BenchmarkIdentity>,
    /// Global item id of each benchmark's first item, and the total at the end.
    first_item: Vec<u32>,
    filter: BitFilter,
    /// Every token of every item (words and CJK characters), as a [`BitFilter`]: a
    /// gram with a token no item has cannot be indexed, so it is not looked up.
    vocabulary: BitFilter,
    /// Gram → range of `postings` (global item ids, ascending).
    grams: HashMap<u64, (u32, u32), BuildHasherDefault<GramHasher>>,
    postings: Vec<u32>,
    fingerprint: String,
}

/// A worker's buffers for [`EvalIndex::record`].
#[derive(Debug, Default)]
pub struct ContaminationScratch {
    window: Window,
    /// (global item, field, start, end) per shared gram of the record.
    found: Vec<(u32, usize, usize, usize)>,
    /// Grams looked up in the filter so far: those of tokens all in the vocabulary.
    lookups: u64,
}

impl EvalIndex {
    /// Builds the index of `sets` (their identities recorded as given).
    pub fn new(params: ContaminationParams, sets: Vec<EvalSet>) -> Self {
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        let mut first_item = Vec::with_capacity(sets.len() + 1);
        let mut benchmarks = Vec::with_capacity(sets.len());
        let mut window = Window::default();
        let mut next = 0u32;
        let mut item_grams: Vec<u64> = Vec::new();
        let mut item_tokens: Vec<u64> = Vec::new();
        for set in sets {
            first_item.push(next);
            let mut identity = set.identity;
            identity.items = set.items.len() as u64;
            identity.short_items = 0;
            for fields in &set.items {
                item_grams.clear();
                for text in fields {
                    window.field(&params, text, |_| true, |gram, _, _| item_grams.push(gram));
                    tokens(&params, text, |token, _, _, _| item_tokens.push(token));
                }
                item_grams.sort_unstable();
                item_grams.dedup();
                identity.short_items += u64::from(item_grams.is_empty());
                pairs.extend(item_grams.iter().map(|&g| (g, next)));
                next = next.saturating_add(1);
            }
            benchmarks.push(identity);
        }
        first_item.push(next);
        pairs.sort_unstable();
        pairs.dedup();
        let mut filter = BitFilter::new(pairs.len(), FILTER_BITS);
        let mut grams = HashMap::with_capacity_and_hasher(pairs.len(), Default::default());
        let mut postings = Vec::with_capacity(pairs.len());
        let mut at = 0;
        while at < pairs.len() {
            let gram = pairs[at].0;
            let start = postings.len() as u32;
            while at < pairs.len() && pairs[at].0 == gram {
                postings.push(pairs[at].1);
                at += 1;
            }
            filter.insert(gram);
            grams.insert(gram, (start, postings.len() as u32 - start));
        }
        item_tokens.sort_unstable();
        item_tokens.dedup();
        let mut vocabulary = BitFilter::new(item_tokens.len(), VOCABULARY_BITS);
        item_tokens
            .iter()
            .for_each(|&token| vocabulary.insert(token));
        let fingerprint = fingerprint(&params, &benchmarks);
        EvalIndex {
            params,
            benchmarks,
            first_item,
            filter,
            vocabulary,
            grams,
            postings,
            fingerprint,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &ContaminationParams {
        &self.params
    }

    /// The benchmarks, in the order their indices refer to.
    pub fn benchmarks(&self) -> &[BenchmarkIdentity] {
        &self.benchmarks
    }

    /// Distinct grams indexed.
    pub fn grams(&self) -> usize {
        self.grams.len()
    }

    /// Hex SHA-256 over the parameters and every benchmark's name, files and hashes:
    /// part of the rules hash, so audits checked against other items do not mix.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The items `fields` (a record's text fields) overlap, one [`ItemHit`] per item,
    /// ordered by benchmark and item.
    pub fn record<'t>(
        &self,
        scratch: &mut ContaminationScratch,
        fields: impl Iterator<Item = &'t str>,
        out: &mut Vec<ItemHit>,
    ) {
        out.clear();
        scratch.found.clear();
        let found = &mut scratch.found;
        let lookups = &mut scratch.lookups;
        for (index, text) in fields.enumerate() {
            scratch.window.field(
                &self.params,
                text,
                |token| self.vocabulary.may_hold(token),
                |gram, start, end| {
                    *lookups += 1;
                    if !self.filter.may_hold(gram) {
                        return;
                    }
                    if let Some(&(from, len)) = self.grams.get(&gram) {
                        let items = &self.postings[from as usize..(from + len) as usize];
                        found.extend(items.iter().map(|&i| (i, index, start, end)));
                    }
                },
            );
        }
        if found.is_empty() {
            return;
        }
        // Stable: each item's grams stay in text order.
        found.sort_by_key(|&(item, ..)| item);
        let mut at = 0;
        while at < found.len() {
            let (item, field, start, mut end) = found[at];
            let mut grams = 0u32;
            while at < found.len() && found[at].0 == item {
                if found[at].1 == field {
                    end = end.max(found[at].3);
                }
                grams += 1;
                at += 1;
            }
            let benchmark = self.first_item.partition_point(|&f| f <= item) - 1;
            out.push(ItemHit {
                benchmark: benchmark as u32,
                item: item - self.first_item[benchmark],
                grams,
                field,
                start,
                end,
            });
        }
    }
}

/// Names the sets, not their grams (a scan's options print it).
impl std::fmt::Debug for EvalIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvalIndex")
            .field("params", &self.params)
            .field("benchmarks", &self.benchmarks)
            .field("grams", &self.grams.len())
            .finish()
    }
}

fn fingerprint(params: &ContaminationParams, benchmarks: &[BenchmarkIdentity]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("{}:{}", params.ngram_words, params.cjk_chars));
    for b in benchmarks {
        hasher.update(format!("|{}", b.name));
        for f in &b.files {
            hasher.update(format!(":{}", f.sha256));
        }
    }
    crate::bytesource::hex(&hasher.finalize())
}

/// The rolling window over one field's tokens: prefix hashes, weights and byte spans
/// of the last [`RING`] tokens.
#[derive(Debug)]
struct Window {
    prefix: [u64; RING],
    weight: [u32; RING],
    start: [u32; RING],
    powers: [u64; RING],
}

impl Default for Window {
    fn default() -> Self {
        let mut powers = [1u64; RING];
        for i in 1..RING {
            powers[i] = powers[i - 1].wrapping_mul(BASE);
        }
        Window {
            prefix: [0; RING],
            weight: [0; RING],
            start: [0; RING],
            powers,
        }
    }
}

/// Lower-cases a character of a word (ASCII directly; fullwidth ASCII letters and
/// digits as their ASCII forms, as NFKC would).
#[inline]
fn fold(c: char) -> u32 {
    let c = match c as u32 {
        0xff10..=0xff19 | 0xff21..=0xff3a | 0xff41..=0xff5a => {
            char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
        }
        _ => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase() as u32
    } else {
        c.to_lowercase().next().unwrap_or(c) as u32
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Calls `token(hash, weight, start, end)` for every token of `text` (byte offsets in
/// it): words (weight `cjk_chars`) and CJK characters (weight `ngram_words`). One call
/// site, so the caller's closure is inlined into the loop (four of them made it a
/// call a token, half the pass's instructions).
#[inline(always)]
fn tokens(params: &ContaminationParams, text: &str, mut token: impl FnMut(u64, u32, usize, usize)) {
    let (word_weight, cjk_weight, _) = params.weights();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let b = bytes[at];
        let (hash, weight) = if b < 0x80 {
            if ASCII_FOLD[usize::from(b)] == 0 {
                at += 1;
                continue;
            }
            let (hash, end) = word(text, at);
            at = end;
            (hash, word_weight)
        } else {
            let Some((c, len)) = decode_at(text, at) else {
                break;
            };
            if is_cjk(c) {
                at += len;
                (
                    (u64::from(u32::from(c)) | CJK_TAG).wrapping_mul(BASE),
                    cjk_weight,
                )
            } else if is_letter(c) {
                let (hash, end) = word(text, at);
                at = end;
                (hash, word_weight)
            } else {
                at += len;
                continue;
            }
        };
        token(hash, weight, start, at);
    }
}

/// A word's folded characters' hash from byte `at` (its first character), and where
/// it ends: at a separator, a CJK character or the end. ASCII bytes go through a
/// table (separator, or the lower-case letter or digit); only other characters are
/// decoded.
#[inline(always)]
fn word(text: &str, mut at: usize) -> (u64, usize) {
    let bytes = text.as_bytes();
    let mut h = FNV_OFFSET;
    while let Some(&b) = bytes.get(at) {
        if b < 0x80 {
            let folded = ASCII_FOLD[usize::from(b)];
            if folded == 0 {
                break;
            }
            h = (h ^ u64::from(folded)).wrapping_mul(FNV_PRIME);
            at += 1;
            continue;
        }
        match decode_at(text, at) {
            Some((c, len)) if !is_cjk(c) && is_letter(c) => {
                h = (h ^ u64::from(fold(c))).wrapping_mul(FNV_PRIME);
                at += len;
            }
            _ => break,
        }
    }
    (h, at)
}

/// Whether a non-ASCII, non-CJK character belongs to a word.
#[inline]
fn is_letter(c: char) -> bool {
    !is_punctuation(c) && c.is_alphanumeric()
}

impl Window {
    /// Calls `gram(hash, start, end)` for every gram of `text` (byte offsets in it)
    /// whose tokens all pass `known`. A token that fails cannot be in an indexed gram,
    /// so the window starts afresh after it, as at the start of a field: a gram is the
    /// shortest run of tokens that weighs enough, so the grams that follow are the
    /// same, and those that would span the token are not looked up.
    #[inline]
    fn field(
        &mut self,
        params: &ContaminationParams,
        text: &str,
        known: impl Fn(u64) -> bool,
        mut gram: impl FnMut(u64, usize, usize),
    ) {
        let full = params.weights().2;
        let mut run = Run { t: 0, j: 0, full };
        self.restart();
        tokens(params, text, |hash, weight, start, end| {
            if known(hash) {
                self.push(&mut run, hash, weight, start, end, &mut gram);
            } else if run.t > 0 {
                run.t = 0;
                run.j = 0;
                self.restart();
            }
        });
    }

    /// An empty window: the running prefix hash and weight before the first token.
    #[inline(always)]
    fn restart(&mut self) {
        self.prefix[0] = 0;
        self.weight[0] = 0;
    }

    /// Adds one token (`hash`, `weight`, its bytes `start..end`) to the window; calls
    /// `gram` when the shortest window ending here weighs a whole gram.
    #[inline(always)]
    fn push(
        &mut self,
        run: &mut Run,
        hash: u64,
        weight: u32,
        start: usize,
        end: usize,
        gram: &mut impl FnMut(u64, usize, usize),
    ) {
        const MASK: usize = RING - 1;
        let at = run.t & MASK;
        let next = (run.t + 1) & MASK;
        self.start[at] = start as u32;
        self.prefix[next] = self.prefix[at].wrapping_mul(BASE).wrapping_add(hash);
        let w = self.weight[at].wrapping_add(weight);
        self.weight[next] = w;
        run.t += 1;
        // Keep the window the shortest that reaches a gram's weight.
        while run.t - run.j > 1 && w.wrapping_sub(self.weight[(run.j + 1) & MASK]) >= run.full {
            run.j += 1;
        }
        if run.t - run.j >= RING {
            run.j = run.t - (RING - 1);
        }
        let first = run.j & MASK;
        if w.wrapping_sub(self.weight[first]) >= run.full {
            let h = self.prefix[next]
                .wrapping_sub(self.prefix[first].wrapping_mul(self.powers[run.t - run.j]));
            gram(h, self.start[first] as usize, end);
        }
    }
}

/// A field's token count and the window's first token.
struct Run {
    t: usize,
    j: usize,
    full: u32,
}

/// Per ASCII byte: its lower-case form when it is a letter or digit, else 0 (a
/// separator).
const ASCII_FOLD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Marks a CJK character's token hash apart from words'.
const CJK_TAG: u64 = 1 << 40;

/// General, CJK and fullwidth punctuation: separators without a Unicode table lookup.
fn is_punctuation(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206f
        | 0x3000..=0x303f
        | 0xff01..=0xff0f
        | 0xff1a..=0xff20
        | 0xff3b..=0xff40
        | 0xff5b..=0xff65)
}

/// Filter bits per indexed gram (rounded up to a power of two in all): 8 to 16, so
/// 6–12% of a record's grams go on to the table. Few enough bits that GSM8K's grams
/// (about 130,000) fit a 256 KB filter, which a core's cache holds: at 32 bits a gram
/// the probes' cache misses doubled a scan's CPU time.
const FILTER_BITS: usize = 8;

/// The table's hasher: grams are hashes already; one multiplication spreads their
/// bits over the whole word (SipHash would cost more than the rest of the probe).
#[derive(Default)]
struct GramHasher(u64);

impl Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, gram: u64) {
        self.0 = (gram ^ (gram >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
}

/// Bits per distinct item token in the vocabulary filter: GSM8K's ~6,000 tokens take
/// 16 KB, which stays in a core's first-level cache, and a token no item has passes
/// one time in about 16.
const VOCABULARY_BITS: usize = 16;

/// A one-hash bit filter of 64-bit hashes: no false negatives.
#[derive(Debug)]
struct BitFilter {
    bits: Vec<u64>,
    /// 64 − log2(bits): a hash's bit is the top bits of it times a constant
    /// (Fibonacci hashing; the hashes' low bits mix less).
    shift: u32,
}

impl BitFilter {
    /// An empty filter of about `per_entry` bits for each of `entries` (a power of
    /// two, at least 4,096).
    fn new(entries: usize, per_entry: usize) -> Self {
        let bits = (entries.max(1) * per_entry)
            .next_power_of_two()
            .max(1 << 12);
        BitFilter {
            bits: vec![0; bits / 64],
            shift: 64 - bits.trailing_zeros(),
        }
    }

    #[inline(always)]
    fn bit(&self, hash: u64) -> u64 {
        hash.wrapping_mul(0xff51_afd7_ed55_8ccd) >> self.shift
    }

    fn insert(&mut self, hash: u64) {
        let bit = self.bit(hash);
        self.bits[(bit / 64) as usize] |= 1 << (bit % 64);
    }

    /// False only when `hash` was never inserted.
    #[inline(always)]
    fn may_hold(&self, hash: u64) -> bool {
        let bit = self.bit(hash);
        self.bits[(bit / 64) as usize] & (1 << (bit % 64)) != 0
    }
}

#[cfg(test)]
mod tests;
