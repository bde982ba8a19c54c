//! Record fingerprints: SHA-256 of the exact bytes and of the normalised text.
//!
//! Both are truncated to 128 bits for the duplicate sets: at a billion records the
//! chance of any collision stays below 10^-20, and the sets take half the memory.
//! The normalised form is Unicode NFKC, lower-cased (Unicode simple case mapping, a
//! close stand-in for case folding), with every run of whitespace collapsed to one
//! space and the ends trimmed, so copies that differ only in width, case or spacing
//! count as duplicates.

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::{IsNormalized, is_nfkc_quick};

/// A 128-bit record fingerprint.
pub type Fingerprint = u128;

/// Separates fields in the normalised stream so `["ab", "c"]` and `["a", "bc"]` differ.
const FIELD_SEPARATOR: u8 = 0x1e;

pub fn exact(raw: &[u8]) -> Fingerprint {
    truncate(&Sha256::digest(raw))
}

/// Fingerprint of the normalised text of a record's fields, in field order.
pub fn normalized<'t>(texts: impl IntoIterator<Item = &'t str>) -> Fingerprint {
    let mut hasher = Sha256::new();
    let mut buf = Normalizer::default();
    for (i, text) in texts.into_iter().enumerate() {
        if i > 0 {
            buf.flush(&mut hasher);
            hasher.update([FIELD_SEPARATOR]);
        }
        buf.push_text(text, &mut hasher);
    }
    buf.flush(&mut hasher);
    truncate(&hasher.finalize())
}

/// Characters that NFKC leaves alone and that have no case: CJK unified ideographs and
/// the common CJK punctuation (U+3000, the ideographic space, is excluded: NFKC maps it
/// to a space).
fn is_stable_caseless(c: char) -> bool {
    matches!(c as u32, 0x4e00..=0x9fff | 0x3001..=0x3002 | 0x3008..=0x3011)
}

fn truncate(digest: &[u8]) -> Fingerprint {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(bytes)
}

/// Streams normalised text into the hasher through a small buffer, collapsing
/// whitespace across field boundaries of one text without allocating per record.
#[derive(Default)]
struct Normalizer {
    buf: Vec<u8>,
    /// A space is owed before the next visible character.
    pending_space: bool,
    /// Nothing visible has been written in this field yet (leading spaces are dropped).
    at_start: bool,
}

impl Normalizer {
    fn push_text(&mut self, text: &str, hasher: &mut Sha256) {
        self.pending_space = false;
        self.at_start = true;
        if text.is_ascii() {
            self.push_ascii_text(text.as_bytes(), hasher);
        } else if text.chars().all(|c| c.is_ascii() || is_stable_caseless(c)) {
            // Chinese prose: ideographs and CJK punctuation are their own NFKC form,
            // have no case and are not whitespace, so the word-at-a-time ASCII path
            // handles their UTF-8 bytes unchanged (ASCII lower-casing leaves bytes
            // >= 0x80 alone).
            self.push_ascii_text(text.as_bytes(), hasher);
        } else if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            text.chars().for_each(|c| self.push_char(c, hasher));
        } else {
            text.nfkc().for_each(|c| self.push_char(c, hasher));
        }
    }

    /// The common case, a word at a time: lower-case each run of non-space bytes and
    /// join runs with single spaces. Also used for UTF-8 text whose non-ASCII
    /// characters are all caseless, NFKC-stable and not spaces.
    fn push_ascii_text(&mut self, bytes: &[u8], hasher: &mut Sha256) {
        let mut words = bytes
            .split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .peekable();
        let trailing_space = bytes.last().is_some_and(u8::is_ascii_whitespace);
        while let Some(word) = words.next() {
            self.emit_pending_space();
            self.buf.extend(word.iter().map(u8::to_ascii_lowercase));
            self.at_start = false;
            self.pending_space = words.peek().is_some() || trailing_space;
            if self.buf.len() >= 4096 {
                self.flush(hasher);
            }
        }
    }

    fn push_ascii(&mut self, b: u8, hasher: &mut Sha256) {
        if b.is_ascii_whitespace() {
            self.pending_space = !self.at_start;
            return;
        }
        self.emit_pending_space();
        self.buf.push(b.to_ascii_lowercase());
        self.at_start = false;
        if self.buf.len() >= 4096 {
            self.flush(hasher);
        }
    }

    fn push_char(&mut self, c: char, hasher: &mut Sha256) {
        if c.is_ascii() {
            return self.push_ascii(c as u8, hasher);
        }
        if c.is_whitespace() {
            self.pending_space = !self.at_start;
            return;
        }
        self.emit_pending_space();
        let mut utf8 = [0u8; 4];
        for lower in c.to_lowercase() {
            self.buf
                .extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
        }
        self.at_start = false;
        if self.buf.len() >= 4096 {
            self.flush(hasher);
        }
    }

    fn emit_pending_space(&mut self) {
        if self.pending_space {
            self.buf.push(b' ');
            self.pending_space = false;
        }
    }

    fn flush(&mut self, hasher: &mut Sha256) {
        hasher.update(&self.buf);
        self.buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_ignores_width_case_and_spacing() {
        let a = normalized(["  Hello,   World！ ＡＢＣ１２３ "]);
        let b = normalized(["hello, world! abc123"]);
        assert_eq!(a, b);
        assert_ne!(normalized(["hello world"]), normalized(["hello  worlds"]));
    }

    #[test]
    fn field_boundaries_matter() {
        assert_ne!(normalized(["ab", "c"]), normalized(["a", "bc"]));
        assert_eq!(normalized(["ab ", " c"]), normalized(["ab", "c"]));
    }

    #[test]
    fn exact_sees_every_byte() {
        assert_ne!(exact(b"a b"), exact(b"a  b"));
        assert_eq!(exact(b"x"), exact(b"x"));
    }

    #[test]
    fn the_cjk_fast_path_agrees_with_full_normalisation() {
        // Same text, once all fast-path characters, once forcing the NFKC path with a
        // fullwidth comma that NFKC maps to ','.
        assert_eq!(normalized(["数据,训练。"]), normalized(["数据，训练。"]));
        assert_eq!(normalized(["数据 训练"]), normalized(["数据\u{3000}训练"]));
    }

    #[test]
    fn long_texts_hash_like_short_ones() {
        let long = "ab ".repeat(5000);
        let collapsed = "AB  ".repeat(5000);
        assert_eq!(
            normalized([long.as_str()]),
            normalized([collapsed.as_str()])
        );
    }
}
