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
}

const OTHER: u8 = 0;
const LETTER: u8 = 1;
const SPACE: u8 = 2;
const CONTROL: u8 = 3;

/// Class of each ASCII byte, so the ASCII loop is branch-free and vectorises.
const ASCII_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => SPACE,
            0x00..=0x1f | 0x7f => CONTROL,
            _ => OTHER,
        };
        b += 1;
    }
    table
};

impl TextProfile {
    pub fn of(text: &str) -> Self {
        let mut p = TextProfile::default();
        p.add(text);
        p
    }

    /// Adds a text to the profile (a record's fields are profiled together).
    pub fn add(&mut self, text: &str) {
        if text.is_ascii() {
            self.add_ascii(text.as_bytes());
            return;
        }
        // Mixed text: ASCII runs take the table path, other characters are decoded.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let run = bytes[i..]
                .iter()
                .position(|&b| b >= 0x80)
                .unwrap_or(bytes.len() - i);
            self.add_ascii(&bytes[i..i + run]);
            i += run;
            if let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
                self.add_char(c);
                i += c.len_utf8();
            }
        }
    }

    fn add_ascii(&mut self, bytes: &[u8]) {
        self.chars += bytes.len() as u64;
        let (mut latin, mut space, mut control) = (0u64, 0u64, 0u64);
        for &b in bytes {
            let class = ASCII_CLASS[b as usize];
            latin += u64::from(class == LETTER);
            space += u64::from(class == SPACE);
            control += u64::from(class == CONTROL);
        }
        self.latin += latin;
        self.control += control;
        self.visible += bytes.len() as u64 - space;
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
    fn tokens_count_cjk_per_character() {
        assert_eq!(TextProfile::of("你好世界").estimated_tokens(), 4);
        assert_eq!(TextProfile::of("abcdefgh").estimated_tokens(), 2);
        assert_eq!(TextProfile::of("").estimated_tokens(), 0);
    }
}
