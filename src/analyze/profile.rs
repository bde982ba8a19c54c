//! One pass over a record's characters that feeds language, quality and token figures.
//!
//! Language, quality and token estimates all need a per-character look at the text;
//! doing it once keeps the per-record cost at a single walk. ASCII bytes and common
//! Han ideographs are classified sixteen at a time (32 on CPUs with AVX2) without
//! decoding UTF-8; only the other non-ASCII characters are decoded.

/// Character counts of one text, by script and by what quality checks care about.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TextProfile {
    /// Unicode scalar values.
    pub chars: u64,
    /// Characters that are not whitespace.
    pub visible: u64,
    /// Latin letters.
    pub latin: u64,
    /// Han ideographs.
    pub han: u64,
    /// Hiragana and katakana.
    pub kana: u64,
    /// Hangul syllables and jamo.
    pub hangul: u64,
    /// Cyrillic letters.
    pub cyrillic: u64,
    /// Arabic letters.
    pub arabic: u64,
    /// Letters of any other script.
    pub other_letters: u64,
    /// U+FFFD: the mark of bytes that were not valid UTF-8 somewhere upstream.
    pub replacement: u64,
    /// C0/C1 controls other than tab, newline and carriage return.
    pub control: u64,
    /// Fullwidth ASCII variants and the ideographic space, whose NFKC is plain ASCII.
    pub fullwidth: u64,
    /// Other characters that are not ASCII and not NFKC-stable caseless CJK: the text
    /// needs full Unicode normalisation.
    pub unstable: u64,
}

/// The cheapest normalisation path a text allows, learned from the profile pass so the
/// normaliser does not classify the characters a second time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NormalForm {
    /// ASCII and NFKC-stable caseless characters only: a byte map suffices.
    Bytes,
    /// Also fullwidth ASCII variants or ideographic spaces: a character map suffices.
    Fullwidth,
    /// Anything else: full NFKC and Unicode lower-casing.
    Unicode,
}

impl NormalForm {
    /// The cheapest normalisation path the characters of `text` allow.
    pub fn of(text: &str) -> Self {
        TextProfile::default().add_field(text)
    }
}

/// Bytes classified together by the block path: one SSE2 register, which every
/// x86-64 CPU has. The per-lane loops below are written so the compiler turns each
/// into a handful of vector instructions, without intrinsics. On CPUs with AVX2 the
/// same code runs with [`WIDE_BLOCK`] lanes (see [`TextProfile::add`]).
const BLOCK: usize = 16;

/// Bytes per block on AVX2 CPUs: one 256-bit register.
#[cfg(target_arch = "x86_64")]
const WIDE_BLOCK: usize = 32;

/// A byte that counts for nothing in the block path: a UTF-8 continuation byte is
/// neither ASCII nor a character start, so it pads a short last block harmlessly.
const NEUTRAL: u8 = 0x80;

/// Per-lane class counts of the blocks seen since the last flush. `u8` lanes keep a
/// block's counts in one register each; they are flushed before they can overflow.
struct Lanes<const N: usize> {
    ascii: [u8; N],
    letter: [u8; N],
    space: [u8; N],
    control: [u8; N],
    han: [u8; N],
    blocks: u8,
}

impl<const N: usize> Lanes<N> {
    #[inline(always)]
    fn new() -> Self {
        Lanes {
            ascii: [0; N],
            letter: [0; N],
            space: [0; N],
            control: [0; N],
            han: [0; N],
            blocks: 0,
        }
    }

    /// Counts the classes of one block's bytes into the lanes and returns, one byte
    /// per lane, 1 where a character starts that the block path cannot classify
    /// (any non-ASCII character but a common Han ideograph). `next` is the block
    /// shifted by one byte: a Han ideograph is told from its lead byte (E5..E9) or
    /// from E4 followed by B8..BF (U+4E00..U+4FFF), never by decoding.
    #[inline(always)]
    fn add(&mut self, block: &[u8; N], next: &[u8; N]) -> [u8; N] {
        let mut other = [0u8; N];
        for j in 0..N {
            let b = block[j];
            // Whitespace below 0x80 is what `char::is_whitespace` accepts: \t..=\r, ' '.
            let tab_to_cr = b.wrapping_sub(b'\t') < 5;
            let letter = (b | 0x20).wrapping_sub(b'a') < 26;
            let space = tab_to_cr | (b == b' ');
            let control = ((b < 0x20) & !tab_to_cr) | (b == 0x7f);
            let han = (b.wrapping_sub(0xe5) < 5) | ((b == 0xe4) & (next[j] >= 0xb8));
            self.ascii[j] += u8::from(b < 0x80);
            self.letter[j] += u8::from(letter);
            self.space[j] += u8::from(space);
            self.control[j] += u8::from(control);
            self.han[j] += u8::from(han);
            other[j] = u8::from((b >= 0xc0) & !han);
        }
        other
    }

    /// Inlined, like [`Lanes::add`]: a call taking the lanes' address would keep them
    /// in memory rather than in registers for the whole loop.
    #[inline(always)]
    fn flush_into(&mut self, profile: &mut TextProfile) {
        let sum = |lanes: &[u8; N]| {
            lanes
                .chunks_exact(8)
                .map(|eight| lane_sum(<[u8; 8]>::try_from(eight).unwrap_or_default()))
                .sum::<u64>()
        };
        let (ascii, space, han) = (sum(&self.ascii), sum(&self.space), sum(&self.han));
        profile.chars += ascii + han;
        profile.visible += ascii - space + han;
        profile.latin += sum(&self.letter);
        profile.control += sum(&self.control);
        profile.han += han;
        *self = Lanes::new();
    }
}

/// Decodes the character starting at `bytes[0]` (a lead byte >= 0x80 of valid UTF-8,
/// since the text is a `str`) into its code point and length.
fn decode(lead: u8, bytes: &[u8]) -> (u32, usize) {
    let cont = |i: usize| u32::from(bytes.get(i).copied().unwrap_or(0x80) & 0x3f);
    match lead {
        0xc0..=0xdf => ((u32::from(lead & 0x1f) << 6) | cont(1), 2),
        0xe0..=0xef => ((u32::from(lead & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3),
        _ => (
            (u32::from(lead & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        ),
    }
}

/// The sum of eight `u8` lanes, in a few register operations: adjacent lanes are added
/// into 16-bit lanes (at most 510 each, so no carry crosses), then one multiply adds
/// the four 16-bit lanes into the top one (at most 2040). A byte-by-byte sum compiled
/// to a load per lane.
fn lane_sum(lanes: [u8; 8]) -> u64 {
    let x = u64::from_le_bytes(lanes);
    let pairs = (x & 0x00ff_00ff_00ff_00ff) + ((x >> 8) & 0x00ff_00ff_00ff_00ff);
    pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48
}

/// The `N` bytes of `bytes` from `offset`; bytes past its end read as [`NEUTRAL`]
/// padding.
#[inline(always)]
fn block_at<const N: usize>(bytes: &[u8], offset: usize) -> [u8; N] {
    let mut block = [NEUTRAL; N];
    match bytes.get(offset..offset + N) {
        Some(src) => block.copy_from_slice(src),
        None => {
            let src = bytes.get(offset..).unwrap_or_default();
            block[..src.len()].copy_from_slice(src);
        }
    }
    block
}

impl TextProfile {
    /// The profile of one text (a one-off; records profile their fields together).
    pub fn of(text: &str) -> Self {
        let mut p = TextProfile::default();
        p.add(text);
        p
    }

    /// Adds a text to the profile (a record's fields are profiled together). One pass
    /// over the bytes, a block at a time: ASCII classes and common Han ideographs
    /// are counted in vector lanes (`Lanes::add`); the few other non-ASCII
    /// characters a block starts are decoded one by one. Every character is counted
    /// at its lead byte, so one that straddles two blocks is counted once.
    pub fn add(&mut self, text: &str) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: `add_wide` only requires the AVX2 target feature, and the CPU
            // running this code has it (checked just above; the result is cached).
            unsafe { self.add_wide(text.as_bytes()) };
            return;
        }
        self.add_blocks::<BLOCK>(text.as_bytes());
    }

    /// [`Self::add_blocks`] compiled for AVX2, with 32-byte blocks: half the
    /// instructions per byte of the SSE2 build, same results (the tests run both).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn add_wide(&mut self, bytes: &[u8]) {
        self.add_blocks::<WIDE_BLOCK>(bytes);
    }

    /// The block path with `N`-byte blocks (`N` a multiple of 16, at most 255 * N
    /// bytes between flushes so no `u8` lane overflows).
    #[inline(always)]
    fn add_blocks<const N: usize>(&mut self, bytes: &[u8]) {
        let mut lanes = Lanes::<N>::new();
        let mut at = 0;
        // Whole blocks while the byte after the block exists (the Han test reads it).
        while let Some(window) = bytes.get(at..at + N + 1) {
            let other = lanes.add(&block_at(window, 0), &block_at(window, 1));
            // Checked here so the common block makes no call, which would spill the
            // lanes out of their registers.
            if other != [0; N] {
                self.add_others(bytes, at, &other);
            }
            at += N;
            lanes.blocks += 1;
            if lanes.blocks == u8::MAX {
                lanes.flush_into(self);
            }
        }
        // The last at most N bytes, padded with bytes that count for nothing.
        let rest = bytes.get(at..).unwrap_or_default();
        if !rest.is_empty() {
            let other = lanes.add(&block_at(rest, 0), &block_at(rest, 1));
            self.add_others(bytes, at, &other);
        }
        lanes.flush_into(self);
    }

    /// Decodes and adds the characters whose lead bytes `other` marks in the block
    /// that starts at `bytes[at]`.
    #[cold]
    #[inline(never)]
    fn add_others(&mut self, bytes: &[u8], at: usize, other: &[u8]) {
        // Sixteen marks at a time as one integer: a block usually has one or two.
        for (c, chunk) in other.chunks_exact(16).enumerate() {
            let mut marks = u128::from_le_bytes(<[u8; 16]>::try_from(chunk).unwrap_or_default());
            while marks != 0 {
                let start = at + 16 * c + (marks.trailing_zeros() / 8) as usize;
                marks &= marks - 1;
                if let Some(&lead) = bytes.get(start) {
                    let (code, _) = decode(lead, &bytes[start..]);
                    self.add_code_point(code);
                }
            }
        }
    }

    /// The normalisation path every text profiled so far allows together (a record's
    /// fields at once: the paths give the same normal form, so the widest one serves
    /// every field).
    pub fn normal_form(&self) -> NormalForm {
        if self.unstable > 0 {
            NormalForm::Unicode
        } else if self.fullwidth > 0 {
            NormalForm::Fullwidth
        } else {
            NormalForm::Bytes
        }
    }

    /// Adds one field and says which normalisation path it allows.
    pub fn add_field(&mut self, text: &str) -> NormalForm {
        let (fullwidth, unstable) = (self.fullwidth, self.unstable);
        self.add(text);
        if self.unstable > unstable {
            NormalForm::Unicode
        } else if self.fullwidth > fullwidth {
            NormalForm::Fullwidth
        } else {
            NormalForm::Bytes
        }
    }

    /// The common CJK characters first, without decoding to `char` or consulting
    /// Unicode tables; the rest through [`Self::add_char`].
    fn add_code_point(&mut self, code: u32) {
        match code {
            0x4e00..=0x9fff => {
                self.chars += 1;
                self.visible += 1;
                self.han += 1;
            }
            0x3001..=0x3002 | 0x3008..=0x3011 => {
                self.chars += 1;
                self.visible += 1;
            }
            0xff01..=0xff0f | 0xff1a..=0xff20 | 0xff3b..=0xff40 | 0xff5b..=0xff5e => {
                self.chars += 1;
                self.visible += 1;
                self.fullwidth += 1;
            }
            _ => match char::from_u32(code) {
                Some(c) => {
                    self.add_char(c);
                    match code {
                        0x3000 | 0xff01..=0xff5e => self.fullwidth += 1,
                        _ => self.unstable += 1,
                    }
                }
                None => self.unstable += 1,
            },
        }
    }

    fn add_char(&mut self, c: char) {
        self.chars += 1;
        if c.is_whitespace() {
            return;
        }
        self.visible += 1;
        let u = c as u32;
        match u {
            0x41..=0x5a | 0x61..=0x7a | 0xc0..=0x24f | 0x1e00..=0x1eff => self.latin += 1,
            0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f => {
                self.han += 1
            }
            0x3040..=0x30ff | 0x31f0..=0x31ff | 0xff66..=0xff9f => self.kana += 1,
            0x1100..=0x11ff | 0x3130..=0x318f | 0xac00..=0xd7af => self.hangul += 1,
            0x400..=0x52f => self.cyrillic += 1,
            0x600..=0x6ff | 0x750..=0x77f => self.arabic += 1,
            0xfffd => self.replacement += 1,
            0x00..=0x1f | 0x7f..=0x9f => self.control += 1,
            _ if c.is_alphabetic() => self.other_letters += 1,
            _ => {}
        }
    }

    /// Characters a BPE tokenizer tends to spend one token on: CJK ideographs, kana
    /// and hangul syllables.
    pub fn cjk(&self) -> u64 {
        self.han + self.kana + self.hangul
    }

    /// Estimated tokens: one per CJK character plus one per four other characters, the
    /// usual rule of thumb for GPT-style BPE vocabularies. An estimate, labelled so.
    pub fn estimated_tokens(&self) -> u64 {
        let other = self.chars - self.cjk();
        self.cjk() + other.div_ceil(4)
    }

    /// Letters of every script, the denominator of script shares.
    pub fn letters(&self) -> u64 {
        self.latin
            + self.han
            + self.kana
            + self.hangul
            + self.cyrillic
            + self.arabic
            + self.other_letters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_scripts_and_quality_marks() {
        let p = TextProfile::of("Hello 世界！\u{fffd}\u{1}");
        assert_eq!(p.chars, 11);
        assert_eq!(p.latin, 5);
        assert_eq!(p.han, 2);
        assert_eq!(p.replacement, 1);
        assert_eq!(p.control, 1);
        assert_eq!(p.visible, 10);
    }

    #[test]
    fn ascii_and_unicode_paths_agree() {
        let ascii = "The quick brown fox\tjumps\u{1}.";
        let mut slow = TextProfile::default();
        ascii.chars().for_each(|c| slow.add_char(c));
        assert_eq!(TextProfile::of(ascii), slow);
    }

    #[test]
    fn eight_byte_words_agree_with_characters_at_every_alignment() {
        let all: String = (0u8..128).map(char::from).collect();
        let text = format!("{all}{all}中文{all}Zz~");
        for start in 0..9 {
            let piece = &text[start..];
            let mut slow = TextProfile::default();
            piece.chars().for_each(|c| slow.add_char(c));
            let mut fast = TextProfile::of(piece);
            // add_char does not track normalisation classes.
            fast.fullwidth = 0;
            fast.unstable = 0;
            assert_eq!(fast, slow, "from byte {start}");
        }
    }

    /// The block path against a character-by-character reference, on texts that mix
    /// every class the profile knows, at every alignment against the block edges and
    /// past the point where the lanes are flushed.
    #[test]
    fn blocks_agree_with_characters() {
        let reference = |text: &str| {
            let mut p = TextProfile::default();
            for c in text.chars() {
                if c.is_ascii() {
                    p.add_char(c);
                } else {
                    p.add_code_point(c as u32);
                }
            }
            p
        };
        let pieces = [
            "Hello",
            " ",
            "\t\n",
            "\u{1}\u{7f}",
            "数据",
            "丁",
            "上",
            "一",
            "䷀",
            "。",
            "，",
            "ＡＢ",
            "\u{3000}",
            "é",
            "\u{a0}",
            "Ω",
            "я",
            "ب",
            "カナ",
            "한",
            "😀",
            "\u{fffd}",
            "\u{85}",
            "𠀀",
            "~",
            "9",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut text = String::new();
        for round in 0..6000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            if round % 97 == 0 || round > 5900 {
                for start in (0..text.len()).rev().take(70) {
                    if let Some(piece) = text.get(start..) {
                        assert_eq!(TextProfile::of(piece), reference(piece), "{piece:?}");
                        let mut narrow = TextProfile::default();
                        narrow.add_blocks::<BLOCK>(piece.as_bytes());
                        assert_eq!(narrow, reference(piece), "{piece:?}");
                    }
                }
            }
        }
        assert!(text.len() > 255 * BLOCK * 4);
        assert_eq!(TextProfile::of(&text), reference(&text));
        // Both block widths, whichever the CPU running the tests picks in `add`.
        let mut narrow = TextProfile::default();
        narrow.add_blocks::<BLOCK>(text.as_bytes());
        assert_eq!(narrow, reference(&text));
        let mut wide = TextProfile::default();
        wide.add_blocks::<32>(text.as_bytes());
        assert_eq!(wide, reference(&text));
        for start in 0..8 {
            if let Some(piece) = text.get(start..) {
                assert_eq!(TextProfile::of(piece), reference(piece));
            }
        }
    }

    #[test]
    fn lane_sums_never_carry() {
        assert_eq!(lane_sum([255; 8]), 2040);
        assert_eq!(lane_sum([1, 2, 3, 4, 5, 6, 7, 8]), 36);
        assert_eq!(lane_sum([0, 255, 0, 255, 0, 255, 0, 255]), 1020);
    }

    #[test]
    fn tokens_count_cjk_per_character() {
        assert_eq!(TextProfile::of("你好世界").estimated_tokens(), 4);
        assert_eq!(TextProfile::of("abcdefgh").estimated_tokens(), 2);
        assert_eq!(TextProfile::of("").estimated_tokens(), 0);
    }
}
