//! The language identifier as it was at c3a0cf7 (script, then one stop-word table for
//! seven Latin-script languages), frozen here so that `langid_eval` can set today's
//! identifier against it on the same sentences. Not used by the tool.
//!
//! Its original notes follow.
//!
//! Script decides Chinese, Japanese and Korean reliably (kana marks Japanese even in
//! Han-heavy text, hangul marks Korean). Latin text is told apart by the share of each
//! language's commonest function words, which is enough at record level for the
//! disclosure's "share of Chinese, English, other". The stop-word lists are data.

use provaudit::analyze::profile::TextProfile;

/// Function words per language. Short, frequent and rarely shared across the set.
const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "a", "is", "in", "that", "it", "for", "was", "with", "you",
            "this", "are", "on", "be", "as", "have", "not", "what", "how", "which", "from", "by",
            "an", "or", "were", "here", "all", "so",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "des", "est", "une", "un", "du", "dans", "que", "qui", "pour",
            "pas", "sur", "au", "avec", "ce", "sont",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "sich",
            "des", "auf", "für", "im", "dem", "sie", "auch",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "de", "que", "y", "los", "en", "las", "por", "un", "una", "es", "con",
            "para", "del", "se", "no", "al", "lo",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "e", "la", "per", "un", "una", "non", "sono", "gli", "del", "della",
            "con", "le", "si", "da", "nel",
        ],
    ),
    (
        "pt",
        &[
            "o", "de", "que", "e", "do", "da", "em", "um", "uma", "para", "com", "não", "os", "no",
            "na", "se", "por", "mais", "as",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "van", "en", "is", "dat", "niet", "op", "te", "zijn", "voor",
            "met", "die", "ook", "maar",
        ],
    ),
];

/// How many words of a Latin-script text are looked at: enough to decide, bounded so
/// a long document costs no more than a short one.
const SAMPLE_WORDS: usize = 24;

/// Stop words packed into a `u64` (see [`word_key`]) in an open-addressing table, each
/// with the bit set of the languages (indexes into [`STOPWORDS`]) that use it. Every
/// record looks up a couple of dozen words: one multiply and usually one probe each.
static STOPWORD_INDEX: std::sync::LazyLock<StopWordTable> = std::sync::LazyLock::new(|| {
    let mut table = StopWordTable {
        slots: vec![(0, 0); STOPWORD_SLOTS],
    };
    for (i, (_, words)) in STOPWORDS.iter().enumerate() {
        for key in words.iter().filter_map(|w| word_key(w.as_bytes())) {
            table.insert(key, 1 << i);
        }
    }
    table
});

/// A power of two, over twice the number of stop words, so probes stay short.
const STOPWORD_SLOTS: usize = 512;

struct StopWordTable {
    /// (key, language bits); key 0 marks an empty slot (no word packs to 0).
    slots: Vec<(u64, u8)>,
}

impl StopWordTable {
    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 55) as usize & (STOPWORD_SLOTS - 1)
    }

    fn insert(&mut self, key: u64, langs: u8) {
        let mut at = Self::slot(key);
        loop {
            match &mut self.slots[at] {
                (0, bits) => {
                    self.slots[at] = (key, *bits | langs);
                    return;
                }
                (k, bits) if *k == key => {
                    *bits |= langs;
                    return;
                }
                _ => at = (at + 1) & (STOPWORD_SLOTS - 1),
            }
        }
    }

    fn get(&self, key: u64) -> Option<u8> {
        let mut at = Self::slot(key);
        loop {
            match self.slots.get(at)? {
                (0, _) => return None,
                (k, bits) if *k == key => return Some(*bits),
                _ => at = (at + 1) & (STOPWORD_SLOTS - 1),
            }
        }
    }
}

/// A word of at most eight bytes, ASCII-lower-cased and packed into an integer; longer
/// words are never function words.
fn word_key(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 8 {
        return None;
    }
    let mut packed = [0u8; 8];
    for (slot, b) in packed.iter_mut().zip(word) {
        *slot = b.to_ascii_lowercase();
    }
    Some(u64::from_le_bytes(packed))
}

/// The language of a text with its profile, as a short code: `zh`, `ja`, `ko`, `en`,
/// `fr`, `de`, `es`, `it`, `pt`, `nl`, `ru` (Cyrillic), `ar` (Arabic script), `other`,
/// or `und` when there are no letters at all.
pub fn identify(text: &str, profile: &TextProfile) -> &'static str {
    let letters = profile.letters();
    if letters == 0 {
        return "und";
    }
    if profile.kana > 0 && profile.kana * 10 >= profile.han {
        return "ja";
    }
    let scripts = [
        (profile.han, "zh"),
        (profile.hangul, "ko"),
        (profile.cyrillic, "ru"),
        (profile.arabic, "ar"),
        (profile.latin, "latin"),
        (profile.other_letters, "other"),
    ];
    let (_, script) = scripts
        .iter()
        .copied()
        .max_by_key(|&(n, _)| n)
        .unwrap_or((0, "other"));
    // Chinese text routinely carries Latin words (names, code, units): give Han the
    // record once it is a fair share of the letters, since one Han character carries
    // the weight of a whole Latin word.
    if profile.han * 4 >= letters {
        return "zh";
    }
    match script {
        "latin" => latin_language(text),
        other => other,
    }
}

/// Words are runs of ASCII letters and non-ASCII bytes (so `für` and `não` stay whole),
/// lower-cased in ASCII only and packed into an integer: enough for function words,
/// with no decoding and no allocation. The first [`SAMPLE_WORDS`] words of one to
/// eight bytes are looked up; longer words are skipped (they are never function words).
fn latin_language(text: &str) -> &'static str {
    verdict(&stop_word_hits(text))
}

/// Function-word hits per language among the first [`SAMPLE_WORDS`] candidate words.
///
/// Words are found 64 bytes at a time: a bit mask marks the word bytes of a block, and
/// word starts and ends are the next set and clear bits. A byte-at-a-time reader
/// mispredicts a branch at every word boundary, which made this the costliest step
/// of record analysis on Latin text (8% of a scan's CPU); masks have no such branch.
fn stop_word_hits(text: &str) -> [u32; STOPWORDS.len()] {
    let bytes = text.as_bytes();
    let mut hits = LaneHits::default();
    let mut seen = 0;
    // The start of a word that runs on past the block being read.
    let mut open: Option<usize> = None;
    let mut base = 0;
    while base < bytes.len() && seen < SAMPLE_WORDS {
        let words = word_bits(bytes, base);
        let mut starts = words;
        let mut ends = !words;
        while seen < SAMPLE_WORDS {
            let start = match open {
                Some(start) => start,
                None if starts == 0 => break,
                None => {
                    let at = starts.trailing_zeros();
                    ends &= u64::MAX << at;
                    base + at as usize
                }
            };
            if ends == 0 {
                // The word runs into the next block.
                open = Some(start);
                break;
            }
            let at = ends.trailing_zeros();
            starts &= u64::MAX << at;
            open = None;
            if let Some(key) = packed_word(bytes, start, base + at as usize) {
                hits.count(key);
                seen += 1;
            }
        }
        base += 64;
    }
    if let Some(start) = open
        && seen < SAMPLE_WORDS
        && let Some(key) = packed_word(bytes, start, bytes.len())
    {
        hits.count(key);
    }
    hits.per_language()
}

/// Bit `i` set when byte `base + i` is a word byte (an ASCII letter or a non-ASCII
/// byte); bytes past the end count as boundaries. Eight bytes at a time in a `u64`.
fn word_bits(bytes: &[u8], base: usize) -> u64 {
    let rest = bytes.get(base..).unwrap_or_default();
    let mut bits = 0u64;
    for (j, lane) in rest.chunks(8).take(8).enumerate() {
        let x = match <[u8; 8]>::try_from(lane) {
            Ok(full) => u64::from_le_bytes(full),
            Err(_) => {
                let mut padded = [0u8; 8];
                padded[..lane.len()].copy_from_slice(lane);
                u64::from_le_bytes(padded)
            }
        };
        bits |= lane_bits(x) << (8 * j);
    }
    bits
}

/// The word bytes of eight bytes as eight bits (bit `k` for byte `k`). Per byte, with
/// no carry between bytes: ASCII is folded to lower case and tested for `a..=z` by
/// two additions that set the top bit from `a` and from past `z`; non-ASCII bytes have
/// the top bit already. A multiply then gathers the eight top bits into one byte.
fn lane_bits(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOP: u64 = 0x80 * ONES;
    const CASE: u64 = 0x20 * ONES;
    const LOW7: u64 = 0x7f * ONES;
    const TO_A: u64 = (0x80 - b'a' as u64) * ONES;
    const PAST_Z: u64 = (0x80 - b'z' as u64 - 1) * ONES;
    let low7 = (x | CASE) & LOW7;
    let from_a = low7 + TO_A;
    let past_z = low7 + PAST_Z;
    let top = ((from_a & !past_z) | x) & TOP;
    top.wrapping_mul(0x0002_0408_1020_4081) >> 56
}

/// The word `bytes[start..end]` packed as [`word_key`] packs it, if it has one to
/// eight bytes. Its bytes are letters or non-ASCII, so setting 0x20 on every ASCII
/// byte lower-cases it, eight bytes at once.
fn packed_word(bytes: &[u8], start: usize, end: usize) -> Option<u64> {
    let len = end.checked_sub(start)?;
    if !(1..=8).contains(&len) {
        return None;
    }
    // One unaligned load when eight bytes are there, else a padded copy (text end).
    let raw = match bytes.get(start..start + 8) {
        Some(eight) => u64::from_le_bytes(<[u8; 8]>::try_from(eight).ok()?),
        None => {
            let mut padded = [0u8; 8];
            padded[..len].copy_from_slice(bytes.get(start..end)?);
            u64::from_le_bytes(padded)
        }
    };
    let keep = u64::MAX >> (64 - 8 * len);
    Some((raw | (!raw & 0x8080_8080_8080_8080) >> 2) & keep)
}

/// The language with the most function-word hits (ties to the earlier table entry).
fn verdict(hits: &[u32; STOPWORDS.len()]) -> &'static str {
    let best = hits
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)));
    match best {
        Some((i, &n)) if n > 0 => STOPWORDS[i].0,
        // Latin letters but no function words: identifiers, short titles, code.
        _ => "other",
    }
}

/// Hits per language in one byte lane each of a `u64`, so a word is counted for all
/// its languages with one addition. A sample never exceeds [`SAMPLE_WORDS`] words, so
/// no lane overflows.
#[derive(Default)]
struct LaneHits(u64);

const _: () = assert!(STOPWORDS.len() <= 8 && SAMPLE_WORDS < 256);

/// A language bit set spread to byte lanes: bit `i` becomes byte `i`.
const SPREAD: [u64; 1 << STOPWORDS.len()] = {
    let mut table = [0u64; 1 << STOPWORDS.len()];
    let mut bits = 0;
    while bits < table.len() {
        let mut i = 0;
        while i < STOPWORDS.len() {
            if bits >> i & 1 != 0 {
                table[bits] |= 1 << (8 * i);
            }
            i += 1;
        }
        bits += 1;
    }
    table
};

impl LaneHits {
    fn count(&mut self, key: u64) {
        if let Some(langs) = STOPWORD_INDEX.get(key) {
            self.0 += SPREAD[usize::from(langs) % SPREAD.len()];
        }
    }

    fn per_language(&self) -> [u32; STOPWORDS.len()] {
        std::array::from_fn(|i| (self.0 >> (8 * i) & 0xff) as u32)
    }
}
