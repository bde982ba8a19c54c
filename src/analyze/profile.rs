//! One pass over a record's characters that feeds language, quality and token figures.
//!
//! Language, quality and token estimates all need a per-character look at the text;
//! doing it once keeps the per-record cost at a single walk. ASCII bytes take a fast
//! path that never decodes UTF-8.

/// Character counts of one text, by script and by what quality checks care about.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TextProfile {
    /// Unicode scalar values.
    pub chars: u64,
    /// Characters that are not whitespace.
    pub visible: u64,
    pub latin: u64,
    pub han: u64,
    pub kana: u64,
    pub hangul: u64,
    pub cyrillic: u64,
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
    pub fn of(text: &str) -> Self {
        TextProfile::default().add_field(text)
    }
}

/// Eight bytes as one little-endian word, when all eight are ASCII.
fn ascii_word(bytes: Option<&[u8]>) -> Option<u64> {
    let word = u64::from_le_bytes(bytes?.try_into().ok()?);
    (word & HIGH_BITS == 0).then_some(word)
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `word` (all bytes < 0x80) set where the byte is >= `n`
/// (`n` <= 0x80): adding `0x80 - n` carries into bit 7 exactly then, never across bytes.
fn at_least(word: u64, n: u8) -> u64 {
    word.wrapping_add(ONES * u64::from(0x80 - n)) & HIGH_BITS
}

/// The high bit of each byte set where the byte equals `value` (all bytes < 0x80).
fn equals(word: u64, value: u8) -> u64 {
    let x = word ^ (ONES * u64::from(value));
    // A byte is non-zero iff adding 0x7f to its low seven bits, or its own bit 7, sets
    // bit 7; no carry crosses bytes.
    !(((x & !HIGH_BITS).wrapping_add(!HIGH_BITS)) | x) & HIGH_BITS
}

/// Latin letters, whitespace and control characters among eight ASCII bytes, with
/// the same classes as [`ASCII_UNITS`], in a dozen register operations.
fn ascii_word_counts(word: u64) -> (u64, u64, u64) {
    let folded = word | (ONES * 0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    let tab_to_cr = at_least(word, b'\t') & !at_least(word, b'\r' + 1);
    let space = equals(word, b' ') | tab_to_cr;
    let control = (!at_least(word, 0x20) & HIGH_BITS & !tab_to_cr) | equals(word, 0x7f);
    (
        u64::from(letter.count_ones()),
        u64::from(space.count_ones()),
        u64::from(control.count_ones()),
    )
}

/// Per-class counts of ASCII bytes packed into one integer, 21 bits per class, so an
/// ASCII byte costs one table load and one add.
#[derive(Default)]
struct PackedAscii {
    sums: u64,
    bytes: u64,
}

const LATIN_UNIT: u64 = 1;
const SPACE_UNIT: u64 = 1 << 21;
const CONTROL_UNIT: u64 = 1 << 42;
const FIELD_MASK: u64 = (1 << 21) - 1;

/// The class units of each ASCII byte (whitespace is what `char::is_whitespace`
/// accepts below 0x80).
const ASCII_UNITS: [u64; 128] = {
    let mut table = [0u64; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LATIN_UNIT,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => SPACE_UNIT,
            0x00..=0x1f | 0x7f => CONTROL_UNIT,
            _ => 0,
        };
        b += 1;
    }
    table
};

impl PackedAscii {
    /// Flushed before any 21-bit field can overflow.
    const CAPACITY: u64 = FIELD_MASK;

    fn add(&mut self, b: u8) {
        self.sums += ASCII_UNITS[usize::from(b & 0x7f)];
        self.bytes += 1;
    }

    fn flush_into(&mut self, profile: &mut TextProfile) {
        let space = (self.sums >> 21) & FIELD_MASK;
        profile.chars += self.bytes;
        profile.visible += self.bytes - space;
        profile.latin += self.sums & FIELD_MASK;
        profile.control += (self.sums >> 42) & FIELD_MASK;
        *self = PackedAscii::default();
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

impl TextProfile {
    pub fn of(text: &str) -> Self {
        let mut p = TextProfile::default();
        p.add(text);
        p
    }

    /// Adds a text to the profile (a record's fields are profiled together). One pass
    /// over the bytes: eight ASCII bytes at a time are classified together in one
    /// register ([`ascii_word_counts`]), a lone ASCII byte adds its packed class
    /// counts, a non-ASCII byte starts a run of multi-byte characters.
    pub fn add(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut packed = PackedAscii::default();
        while let Some(&b) = bytes.get(i) {
            if b >= 0x80 {
                i += self.add_non_ascii_run(&bytes[i..]);
                continue;
            }
            if let Some(word) = ascii_word(bytes.get(i..i + 8)) {
                let (latin, space, control) = ascii_word_counts(word);
                self.chars += 8;
                self.latin += latin;
                self.visible += 8 - space;
                self.control += control;
                i += 8;
                continue;
            }
            packed.add(b);
            i += 1;
            if packed.bytes == PackedAscii::CAPACITY {
                packed.flush_into(self);
            }
        }
        packed.flush_into(self);
    }

    /// Characters up to the next ASCII byte; returns the bytes consumed. Han
    /// ideographs U+4E00..U+9FFF, the bulk of Chinese text, are told from their lead
    /// byte alone (E5..E9, or E4 followed by B8..BF) without decoding.
    fn add_non_ascii_run(&mut self, bytes: &[u8]) -> usize {
        let mut i = 0;
        let mut han = 0u64;
        while let Some(&lead) = bytes.get(i) {
            if lead < 0x80 {
                break;
            }
            // `&` and `|`, not a match: one well-predicted branch per character.
            let next = bytes.get(i + 1).copied().unwrap_or(0);
            let is_han = (lead.wrapping_sub(0xe5) < 5) | ((lead == 0xe4) & (next >= 0xb8));
            if is_han {
                han += 1;
                i += 3;
                continue;
            }
            let (code, len) = decode(lead, &bytes[i..]);
            self.add_code_point(code);
            i += len;
        }
        self.chars += han;
        self.visible += han;
        self.han += han;
        i.min(bytes.len())
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

    #[test]
    fn tokens_count_cjk_per_character() {
        assert_eq!(TextProfile::of("你好世界").estimated_tokens(), 4);
        assert_eq!(TextProfile::of("abcdefgh").estimated_tokens(), 2);
        assert_eq!(TextProfile::of("").estimated_tokens(), 0);
    }
}
