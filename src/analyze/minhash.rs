//! MinHash signatures of a record's normalised text, for near-duplicate detection.
//!
//! A record's text is cut into shingles after the exact-duplicate normalisation
//! ([`super::fingerprint::Normalizer`]: NFKC, lower case, collapsed whitespace):
//! word n-grams (default 5) over space-delimited scripts and character n-grams
//! (default 5) over CJK (Han and kana, which write no spaces), each run of one script
//! shingled on its own, so mixed text is handled per run; punctuation separates tokens
//! without being one. A run shorter than n is one
//! shingle, so short and one-word records still have a signature.
//!
//! Each shingle is hashed once (64 bits) and the signature is made by one-permutation
//! hashing with optimal densification (Li, Owen and Zhang 2012; Shrivastava 2017): the
//! hash's high bits pick one of k bins, its low 32 bits are the value, each bin keeps
//! its minimum, and a bin no shingle fell into borrows the value of the first
//! non-empty bin along a fixed pseudo-random probe sequence of its own. Two texts'
//! values then agree in a bin with probability equal to their Jaccard similarity, as
//! with k independent permutations, at one update per shingle instead of k: with 64
//! seeded permutation mixes per shingle (the first version, 8 AVX2 lanes at a time)
//! the mixing alone took 26% of a whole scan's CPU on the generated corpus.
//!
//! The signature's first `bands × rows` values are cut into bands, each hashed to a
//! 64-bit band key: two records sharing any band key are candidates (locality-
//! sensitive hashing); a candidate is confirmed by the similarity estimated from the
//! whole signature, kept compactly as a [`Sketch`] of 4 bits per permutation.

use xxhash_rust::xxh3::xxh3_64;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Separates fields in the normalised text (see [`super::fingerprint`]).
const FIELD_SEPARATOR: u8 = 0x1e;

/// The longest shingle (words or characters) a parameter set may ask for.
pub const MAX_SHINGLE: usize = 16;

/// Signatures are a multiple of this many values long.
const LANES: usize = 8;

/// Bits of each permutation's minimum kept in a [`Sketch`].
pub const SKETCH_BITS: u32 = 4;

/// The parameters of signatures, bands and confirmation (`[near_duplicates]`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MinHashParams {
    /// Values in a signature, k (a multiple of 8, at most 1024): the bins of
    /// one-permutation hashing, standing for k permutations; the similarity estimate's
    /// precision (standard deviation about √(s(1−s)/k)).
    pub permutations: usize,
    /// Bands of the locality-sensitive index.
    pub bands: usize,
    /// Signature values per band (`bands × rows ≤ permutations`).
    pub rows: usize,
    /// Words per shingle in space-delimited scripts.
    pub shingle_words: usize,
    /// Characters per shingle in CJK text.
    pub cjk_chars: usize,
    /// A candidate pair is a near-duplicate when its estimated Jaccard similarity is
    /// at least this.
    pub threshold: f64,
}

impl Default for MinHashParams {
    /// 64 permutations, 6 bands × 4 rows, 5-word / 5-character shingles, threshold
    /// 0.7. The bands catch 98.8% of pairs at Jaccard 0.85 (FineWeb's 14 × 8 catches
    /// 98.8% too, with 112 values per record to compute and 14 keys to hold); the
    /// confirmation on 64 permutations keeps pairs below 0.5 out (its estimate has a
    /// standard deviation of 0.06–0.07 there). Six keys a record instead of fourteen
    /// keep the scan-wide index at about half the memory.
    fn default() -> Self {
        MinHashParams {
            permutations: 64,
            bands: 6,
            rows: 4,
            shingle_words: 5,
            cjk_chars: 5,
            threshold: 0.7,
        }
    }
}

impl MinHashParams {
    /// Checks the parameters fit together; the message names the one at fault.
    pub fn validate(&self) -> Result<(), String> {
        let k = self.permutations;
        if k == 0 || !k.is_multiple_of(LANES) || k > 1024 {
            return Err(format!(
                "near_duplicates.permutations must be a multiple of 8 between 8 and 1024, not {k}"
            ));
        }
        if self.bands == 0 || self.rows == 0 || self.bands * self.rows > k {
            return Err(format!(
                "near_duplicates: bands ({}) × rows ({}) must be at least 1 and at most permutations ({k})",
                self.bands, self.rows
            ));
        }
        check_lengths(
            "near_duplicates",
            &[
                ("shingle_words", self.shingle_words),
                ("cjk_chars", self.cjk_chars),
            ],
            MAX_SHINGLE,
        )?;
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(format!(
                "near_duplicates.threshold must be in (0, 1], not {}",
                self.threshold
            ));
        }
        Ok(())
    }

    /// Bytes of one record's [`Sketch`].
    pub fn sketch_bytes(&self) -> usize {
        self.permutations * SKETCH_BITS as usize / 8
    }

    /// The probability that a pair of Jaccard similarity `s` shares at least one band
    /// key: 1 − (1 − s^rows)^bands.
    pub fn detection_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }
}

/// Checks that each `(name, length)` of `section` is between 1 and `max` (n-gram
/// lengths in words or characters); the message names the one at fault.
pub(crate) fn check_lengths(
    section: &str,
    lengths: &[(&str, usize)],
    max: usize,
) -> Result<(), String> {
    for &(name, n) in lengths {
        if n == 0 || n > max {
            return Err(format!(
                "{section}.{name} must be between 1 and {max}, not {n}"
            ));
        }
    }
    Ok(())
}

/// Which script run a token belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Words,
    Cjk,
}

/// Computes signatures record after record; its buffers are reused, so the record path
/// does not allocate.
pub struct MinHasher {
    params: MinHashParams,
    /// One minimum per bin (`u32::MAX`: empty so far).
    mins: Vec<u32>,
    /// Which bins no shingle fell into (densification's scratch).
    empty: Vec<bool>,
    /// The last tokens' hashes of the current run (a ring of `MAX_SHINGLE`).
    ring: [u64; MAX_SHINGLE],
    /// Tokens in the current run so far.
    run_len: usize,
    run: Run,
    shingles: u64,
    band_bytes: Vec<u8>,
    /// Every shingle hash seen, when computing exact Jaccard similarities ([`jaccard`]).
    recording: Option<std::collections::HashSet<u64>>,
}

/// The SplitMix64 finaliser: every output bit depends on every input bit, so a
/// shingle hash's high bits (its bin) and low bits (its value) look independent.
#[inline(always)]
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Is `c` written without spaces between words (Han ideographs, kana)?
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff   // hiragana, katakana
        | 0x3400..=0x4dbf // CJK extension A
        | 0x4e00..=0x9fff // CJK unified ideographs
        | 0xf900..=0xfaff // compatibility ideographs
        | 0x20000..=0x3ffff) // extensions B and later
}

/// The character starting at byte `at` of `text` (a character boundary) and its
/// length; three-byte characters (all of Han and kana) decoded here, without the
/// slice and iterator of the general case.
#[inline(always)]
pub(crate) fn decode_at(text: &str, at: usize) -> Option<(char, usize)> {
    let bytes = text.as_bytes();
    if let (Some(&b @ 0xE0..=0xEF), Some(&b1), Some(&b2)) =
        (bytes.get(at), bytes.get(at + 1), bytes.get(at + 2))
    {
        let code = (u32::from(b & 0x0f) << 12) | (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f);
        return Some((
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
            3,
        ));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// [`is_separator`] for ASCII bytes, as a table: the tokenisers classify every byte
/// of the text, and four range checks a byte cost more than one load.
const ASCII_SEPARATOR: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c == b' ' || c == FIELD_SEPARATOR || c.is_ascii_punctuation();
        b += 1;
    }
    table
};

/// Whether the ASCII byte `b` separates tokens ([`ASCII_SEPARATOR`]).
#[inline(always)]
fn ascii_separator(b: u8) -> bool {
    ASCII_SEPARATOR[usize::from(b & 0x7f)]
}

/// The hash of a shingle of `N` tokens from the ring's slot `first` on, seeded by
/// its run's script: one function per common length so the loop unrolls.
#[inline(always)]
fn fold_shingle<const N: usize>(ring: &[u64; MAX_SHINGLE], first: usize, mut h: u64) -> u64 {
    for i in 0..N {
        h = (h.rotate_left(23) ^ ring[(first + i) % MAX_SHINGLE]).wrapping_mul(K1);
    }
    h
}

/// Separates tokens without being one: spaces, the field separator, ASCII, CJK and
/// general punctuation (so "word," and "word" are one token, and CJK text's
/// punctuation, which NFKC turns into ASCII for the fullwidth forms, splits nothing).
fn is_separator(c: char) -> bool {
    c == ' '
        || c == FIELD_SEPARATOR as char
        || c.is_ascii_punctuation()
        || matches!(c as u32, 0x3000..=0x303f | 0xff01..=0xff65 | 0x2000..=0x206f)
}

impl MinHasher {
    /// A hasher for `params` (checked with [`MinHashParams::validate`]).
    pub fn new(params: MinHashParams) -> Self {
        MinHasher {
            mins: vec![u32::MAX; params.permutations],
            empty: Vec::with_capacity(params.permutations),
            ring: [0; MAX_SHINGLE],
            run_len: 0,
            run: Run::Words,
            shingles: 0,
            band_bytes: Vec::with_capacity(4 * params.rows),
            recording: None,
            params,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &MinHashParams {
        &self.params
    }

    /// Computes the signature of a normalised text; `false` when it has no token
    /// (empty, or only separators): such a record takes no part in near-duplicate
    /// detection. The signature stays in the hasher until the next call.
    pub fn compute(&mut self, text: &[u8]) -> bool {
        self.mins.fill(u32::MAX);
        self.shingles = 0;
        self.run_len = 0;
        if text.is_ascii() {
            self.ascii_tokens(text);
        } else {
            // Normalised text is valid UTF-8 (it is built from `str`s); anything else
            // would only lose its invalid bytes.
            match simdutf8::basic::from_utf8(text) {
                Ok(text) => self.unicode_tokens(text),
                Err(_) => self.unicode_tokens(&String::from_utf8_lossy(text)),
            }
        }
        self.end_run();
        if self.shingles == 0 {
            return false;
        }
        self.densify();
        true
    }

    /// The last computed signature: one minimum per permutation.
    pub fn signature(&self) -> &[u32] {
        &self.mins
    }

    /// Computes a text's signature and appends its band keys and sketch; `false` (and
    /// nothing appended) when the text has no token.
    pub fn add(&mut self, text: &[u8], band_keys: &mut Vec<u64>, sketches: &mut Vec<u8>) -> bool {
        if !self.compute(text) {
            return false;
        }
        self.band_keys(band_keys);
        sketch(&self.mins, sketches);
        true
    }

    /// ASCII text: tokens are the words between spaces, punctuation and field
    /// separators.
    fn ascii_tokens(&mut self, text: &[u8]) {
        for word in text.split(|&b| ascii_separator(b)) {
            if !word.is_empty() {
                self.token(Run::Words, xxh3_64(word));
            }
        }
    }

    /// Any text: words between separators, each CJK character a token of its own.
    /// ASCII bytes are classified as bytes; only the other characters are decoded
    /// (decoding every character was 36 instructions a byte of mixed prose).
    fn unicode_tokens(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut word_start = None;
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if b < 0x80 {
                // ASCII: a separator ends the word; a word's bytes are run through at
                // once.
                if ascii_separator(b) {
                    if let Some(start) = word_start.take() {
                        self.token(Run::Words, xxh3_64(&bytes[start..at]));
                    }
                    at += 1;
                } else {
                    word_start.get_or_insert(at);
                    at += 1;
                    while bytes
                        .get(at)
                        .is_some_and(|&n| n < 0x80 && !ascii_separator(n))
                    {
                        at += 1;
                    }
                }
                continue;
            }
            let Some((c, len)) = decode_at(text, at) else {
                break;
            };
            let cjk = is_cjk(c);
            // CJK characters are no separators: the separator test (a few ranges) is
            // not spent on every Chinese character.
            let separator = !cjk && is_separator(c);
            if cjk || separator {
                if let Some(start) = word_start.take() {
                    self.token(Run::Words, xxh3_64(&bytes[start..at]));
                }
                if cjk {
                    self.token(Run::Cjk, u64::from(u32::from(c)).wrapping_mul(K1));
                }
            } else if word_start.is_none() {
                word_start = Some(at);
            }
            at += len;
        }
        if let Some(start) = word_start {
            self.token(Run::Words, xxh3_64(&bytes[start..]));
        }
    }

    fn n(&self, run: Run) -> usize {
        match run {
            Run::Words => self.params.shingle_words,
            Run::Cjk => self.params.cjk_chars,
        }
    }

    /// Adds one token: a change of script ends the current run; a full window makes a
    /// shingle.
    #[inline]
    fn token(&mut self, run: Run, hash: u64) {
        if run != self.run {
            self.end_run();
            self.run = run;
        }
        self.ring[self.run_len % MAX_SHINGLE] = hash;
        self.run_len += 1;
        let n = self.n(run);
        if self.run_len >= n {
            self.shingle(self.run_len - n, n);
        }
    }

    /// A run shorter than its shingle length is one shingle of all its tokens.
    fn end_run(&mut self) {
        let n = self.n(self.run);
        if self.run_len > 0 && self.run_len < n {
            self.shingle(0, self.run_len);
        }
        self.run_len = 0;
    }

    /// The shingle of `len` tokens of the run from `first`: its hash, then every
    /// permutation's minimum updated.
    #[inline]
    fn shingle(&mut self, first: usize, len: usize) {
        let seed = (self.run as u64 + 1).wrapping_mul(K2);
        let first = first % MAX_SHINGLE;
        let h = match len {
            5 => fold_shingle::<5>(&self.ring, first, seed),
            4 => fold_shingle::<4>(&self.ring, first, seed),
            3 => fold_shingle::<3>(&self.ring, first, seed),
            _ => {
                let mut h = seed;
                for i in first..first + len {
                    h = (h.rotate_left(23) ^ self.ring[i % MAX_SHINGLE]).wrapping_mul(K1);
                }
                h
            }
        };
        let x = mix64(h);
        self.shingles += 1;
        if let Some(set) = &mut self.recording {
            set.insert(x);
        }
        let bin = ((x >> 32) * self.mins.len() as u64) >> 32;
        if let Some(slot) = self.mins.get_mut(bin as usize) {
            *slot = (*slot).min(x as u32);
        }
    }

    /// Fills each empty bin from the first non-empty bin along its own probe sequence
    /// (the same for every text, so two texts borrow alike), which keeps the chance
    /// that two texts agree in a bin equal to their Jaccard similarity. A value of
    /// `u32::MAX` that a shingle really had is taken for empty: a 2^-32 event that
    /// only shifts one bin's value.
    fn densify(&mut self) {
        self.empty.clear();
        self.empty.extend(self.mins.iter().map(|&v| v == u32::MAX));
        let filled = self.empty.iter().filter(|&&e| !e).count();
        match filled {
            // Nothing to borrow from (one shingle whose value was `u32::MAX`): the
            // probes below would never end.
            0 => return,
            // Every probe sequence ends at the one filled bin; a text of fewer words
            // than a shingle is one shingle, and probing for it took ~k probes a bin
            // (a file of one-word records ran ten times slower than without).
            1 => {
                let value = self.mins.iter().copied().min().unwrap_or(u32::MAX);
                self.mins.fill(value);
                return;
            }
            f if f == self.mins.len() => return,
            _ => {}
        }
        let k = self.mins.len() as u64;
        for bin in 0..self.mins.len() {
            if !self.empty[bin] {
                continue;
            }
            for attempt in 1u64.. {
                let probe = mix64(((bin as u64) << 32) | attempt);
                let from = (((probe >> 32) * k) >> 32) as usize;
                if !self.empty[from] {
                    self.mins[bin] = self.mins[from];
                    break;
                }
            }
        }
    }

    /// The band keys of the last signature, one per band, into `out`: each a 64-bit
    /// hash of the band's values seeded by the band's index, so equal values in two
    /// different bands give different keys (one table can hold every band).
    pub fn band_keys(&mut self, out: &mut Vec<u64>) {
        let rows = self.params.rows;
        for (band, values) in self
            .mins
            .chunks_exact(rows)
            .take(self.params.bands)
            .enumerate()
        {
            self.band_bytes.clear();
            for v in values {
                self.band_bytes.extend_from_slice(&v.to_le_bytes());
            }
            out.push(xxh3_64_with_seed(&self.band_bytes, band as u64));
        }
    }
}

/// Odd multipliers (from SplitMix64 and xxHash) for the shingle combine.
const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// A signature's 4 low bits per permutation, two to a byte: 32 bytes for 64
/// permutations instead of 256. Two minima's low bits agree by chance one time in 16,
/// which [`estimate`] corrects for (b-bit minwise hashing, Li and König 2010); the
/// estimate's variance grows by about (16/15)², a small price for an eighth of the
/// memory.
pub fn sketch(signature: &[u32], out: &mut Vec<u8>) {
    for pair in signature.chunks(2) {
        let lo = pair[0] as u8 & 0x0f;
        let hi = pair.get(1).map_or(0, |&v| v as u8 & 0x0f);
        out.push(lo | (hi << 4));
    }
}

/// The Jaccard similarity estimated from two records' sketches of `permutations`
/// values: the share of agreeing 4-bit values, less the 1/16 that agree by chance.
pub fn estimate(a: &[u8], b: &[u8], permutations: usize) -> f64 {
    let agree: u32 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| {
            let d = x ^ y;
            u32::from(d & 0x0f == 0) + u32::from(d & 0xf0 == 0)
        })
        .sum();
    let share = f64::from(agree) / permutations as f64;
    let chance = 1.0 / f64::from(1u32 << SKETCH_BITS);
    ((share - chance) / (1.0 - chance)).clamp(0.0, 1.0)
}

/// The exact Jaccard similarity of two normalised texts' shingle sets, as
/// [`MinHasher`] cuts them (for accuracy tests and evaluation, not the scan).
pub fn jaccard(params: &MinHashParams, a: &[u8], b: &[u8]) -> f64 {
    let set_a = shingle_set(params, a);
    let set_b = shingle_set(params, b);
    let union = set_a.union(&set_b).count();
    if union == 0 {
        return 1.0;
    }
    set_a.intersection(&set_b).count() as f64 / union as f64
}

/// The 64-bit shingle hashes of a text (what the bins see).
fn shingle_set(params: &MinHashParams, text: &[u8]) -> std::collections::HashSet<u64> {
    let mut recorder = MinHasher::new(MinHashParams {
        permutations: LANES,
        bands: 1,
        rows: 1,
        ..*params
    });
    recorder.recording = Some(Default::default());
    recorder.compute(text);
    recorder.recording.take().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::fingerprint::Normalizer;
    use crate::analyze::profile::NormalForm;

    fn normalised(text: &str) -> Vec<u8> {
        let mut n = Normalizer::default();
        n.push(text, NormalForm::of(text));
        n.text().to_vec()
    }

    fn sketch_of(hasher: &mut MinHasher, text: &str) -> Option<(Vec<u64>, Vec<u8>)> {
        let (mut bands, mut sketch) = (Vec::new(), Vec::new());
        hasher
            .add(&normalised(text), &mut bands, &mut sketch)
            .then_some((bands, sketch))
    }

    const DOC: &str = "the quick brown fox jumps over the lazy dog while the cat sleeps on a warm mat near the kitchen door and the bird sings";

    #[test]
    fn identical_texts_agree_and_unrelated_ones_do_not() {
        let params = MinHashParams::default();
        let mut h = MinHasher::new(params);
        let (ka, sa) = sketch_of(&mut h, DOC).unwrap();
        let (kb, sb) = sketch_of(&mut h, &DOC.to_uppercase()).unwrap();
        assert_eq!((ka.len(), sa.len()), (params.bands, params.sketch_bytes()));
        assert_eq!(ka, kb);
        assert_eq!(estimate(&sa, &sb, params.permutations), 1.0);
        let other = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua";
        let (kc, sc) = sketch_of(&mut h, other).unwrap();
        assert!(ka.iter().zip(&kc).all(|(a, c)| a != c));
        assert!(estimate(&sa, &sc, params.permutations) < 0.3);
    }

    #[test]
    fn empty_and_one_word_records() {
        let mut h = MinHasher::new(MinHashParams::default());
        assert!(sketch_of(&mut h, "").is_none());
        assert!(sketch_of(&mut h, "   \t ").is_none());
        assert!(sketch_of(&mut h, "，。").is_none());
        let (a, _) = sketch_of(&mut h, "hello").unwrap();
        let (b, _) = sketch_of(&mut h, "  HELLO ").unwrap();
        let (c, _) = sketch_of(&mut h, "world").unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn cjk_is_shingled_by_characters_and_mixed_text_by_runs() {
        let p = MinHashParams::default();
        let zh = "我们研究大规模语言模型的训练数据质量问题并提出一种新的去重方法";
        let edited = "我们研究大规模语言模型的训练数据质量问题并提出一种新的去重算法";
        let s = jaccard(&p, &normalised(zh), &normalised(edited));
        // 31 characters, the last two of 27 five-character shingles changed.
        assert!(s > 0.8 && s < 1.0, "{s}");
        // Fullwidth punctuation and spaces between the characters change nothing.
        let spaced = "我们研究，大规模 语言模型的训练数据质量问题并提出一种新的去重方法。";
        assert_eq!(jaccard(&p, &normalised(zh), &normalised(spaced)), 1.0);
        let mixed = "使用 Python 进行数据分析 and then train the model on it";
        let mixed_edit = "使用 Python 进行数据分析 and then train the model on them";
        let s = jaccard(&p, &normalised(mixed), &normalised(mixed_edit));
        assert!(s > 0.5 && s < 1.0, "{s}");
    }

    #[test]
    fn estimates_track_true_similarity() {
        let p = MinHashParams::default();
        let mut h = MinHasher::new(p);
        let words: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
        let a = words.join(" ");
        let b = words[..170].join(" ")
            + " "
            + &(0..30)
                .map(|i| format!("x{i}"))
                .collect::<Vec<_>>()
                .join(" ");
        let truth = jaccard(&p, a.as_bytes(), b.as_bytes());
        let (_, sa) = sketch_of(&mut h, &a).unwrap();
        let (_, sb) = sketch_of(&mut h, &b).unwrap();
        let est = estimate(&sa, &sb, p.permutations);
        assert!((est - truth).abs() < 0.2, "{est} vs {truth}");
    }

    #[test]
    fn short_texts_fill_every_bin() {
        let mut h = MinHasher::new(MinHashParams::default());
        assert!(h.compute(b"one two"));
        assert!(h.signature().iter().all(|&v| v != u32::MAX));
        let one = h.signature().to_vec();
        assert!(h.compute(b"one two"));
        assert_eq!(h.signature(), &one[..]);
    }

    /// The unrolled shingle hashes equal the loop over the ring they replaced, wherever
    /// the window wraps.
    #[test]
    fn unrolled_shingle_hashes_equal_the_loop() {
        let mut ring = [0u64; MAX_SHINGLE];
        for (i, slot) in ring.iter_mut().enumerate() {
            *slot = mix64(i as u64 + 1);
        }
        let looped = |first: usize, len: usize, seed: u64| {
            let mut h = seed;
            for i in first..first + len {
                h = (h.rotate_left(23) ^ ring[i % MAX_SHINGLE]).wrapping_mul(K1);
            }
            h
        };
        for first in 0..3 * MAX_SHINGLE {
            let at = first % MAX_SHINGLE;
            assert_eq!(fold_shingle::<3>(&ring, at, K2), looped(first, 3, K2));
            assert_eq!(fold_shingle::<4>(&ring, at, K2), looped(first, 4, K2));
            assert_eq!(
                fold_shingle::<5>(&ring, at, K2.wrapping_mul(2)),
                looped(first, 5, K2.wrapping_mul(2))
            );
        }
        for b in 0..=255u8 {
            let c = char::from(b);
            let want = b < 0x80 && is_separator(c);
            assert_eq!(b < 0x80 && ascii_separator(b), want, "{b:#x}");
        }
    }

    #[test]
    fn parameters_are_checked() {
        assert!(MinHashParams::default().validate().is_ok());
        let bad = |f: fn(&mut MinHashParams)| {
            let mut p = MinHashParams::default();
            f(&mut p);
            p.validate().is_err()
        };
        assert!(bad(|p| p.permutations = 60));
        assert!(bad(|p| p.bands = 17));
        assert!(bad(|p| p.rows = 0));
        assert!(bad(|p| p.shingle_words = 0));
        assert!(bad(|p| p.cjk_chars = 17));
        assert!(bad(|p| p.threshold = 0.0));
        let d = MinHashParams::default();
        assert!(d.detection_probability(0.85) > 0.98);
        assert!(d.detection_probability(0.3) < 0.05);
    }
}
