//! Record fingerprints: a 128-bit hash of the exact bytes and of the normalised text.
//!
//! Record fingerprints only ever key the duplicate sets: they are counted, never
//! written, so they need to be well distributed and stable, not collision-resistant
//! against an adversary. XXH3-128 is both (a published, fixed algorithm, so shards on
//! different machines agree) and costs a fraction of SHA-256, which matters because
//! every byte is hashed twice per record. File hashes, which are evidence, stay SHA-256.
//!
//! The normalised form is Unicode NFKC, lower-cased (Unicode simple case mapping, a
//! close stand-in for case folding), with every run of whitespace collapsed to one
//! space and each field's ends trimmed, so copies that differ only in width, case or
//! spacing count as duplicates.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::{IsNormalized, is_nfkc_quick};
use xxhash_rust::xxh3::xxh3_128;

use super::profile::NormalForm;

/// A 128-bit record fingerprint.
pub type Fingerprint = u128;

/// Separates fields in the normalised stream so `["ab", "c"]` and `["a", "bc"]` differ.
const FIELD_SEPARATOR: u8 = 0x1e;

/// A normaliser that held a record larger than this gives its buffer back, so one huge
/// record does not pin its size in every worker for the rest of the scan.
const KEEP_BUFFER_BYTES: usize = 1 << 20;

/// Fingerprint of a record's exact bytes: equal only for byte-identical records,
/// so exact duplicates are counted without normalising anything.
pub fn exact(raw: &[u8]) -> Fingerprint {
    xxh3_128(raw)
}

/// Fingerprint of the normalised text of a record's fields, in field order (a one-off;
/// per-record callers keep a [`Normalizer`] to reuse its buffers).
pub fn normalized<'t>(texts: impl IntoIterator<Item = &'t str>) -> Fingerprint {
    let mut normalizer = Normalizer::default();
    for text in texts {
        normalizer.push(text, NormalForm::of(text));
    }
    normalizer.finish()
}

/// Builds one record's normalised text field by field, then hashes it in one call.
/// Its buffers are reused across records.
#[derive(Default)]
pub struct Normalizer {
    out: Vec<u8>,
    /// Mapped characters of a field on the slower paths, before whitespace collapsing.
    scratch: String,
    fields: usize,
}

/// The fast path's byte map: ASCII upper case to lower case, ASCII whitespace (what
/// `char::is_whitespace` accepts below 0x80) to a space, every other byte, including
/// all bytes of multi-byte UTF-8 sequences, unchanged. Arithmetic, so it vectorises.
fn fold(b: u8) -> u8 {
    if b.wrapping_sub(b'\t') < 5 {
        b' '
    } else {
        b + 32 * u8::from(b.wrapping_sub(b'A') < 26)
    }
}

impl Normalizer {
    /// Adds one field; `form` says which path its characters allow (from the profile
    /// pass, so the text is not classified twice).
    pub fn push(&mut self, text: &str, form: NormalForm) {
        if self.fields > 0 {
            self.out.push(FIELD_SEPARATOR);
        }
        self.fields += 1;
        match form {
            // ASCII and NFKC-stable caseless characters (Chinese prose): bytes >= 0x80
            // pass the byte map unchanged, which is exactly their normal form.
            NormalForm::Bytes => collapse_into(&mut self.out, text.as_bytes()),
            NormalForm::Fullwidth => {
                self.scratch.clear();
                self.scratch.extend(text.chars().map(fold_fullwidth));
                collapse_into(&mut self.out, self.scratch.as_bytes());
            }
            NormalForm::Unicode => {
                self.scratch.clear();
                if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
                    push_folded(&mut self.scratch, text.chars());
                } else {
                    push_folded(&mut self.scratch, text.nfkc());
                }
                collapse_into(&mut self.out, self.scratch.as_bytes());
            }
        }
    }

    /// The fingerprint of everything pushed; the normaliser is ready for the next record.
    pub fn finish(&mut self) -> Fingerprint {
        let fingerprint = xxh3_128(&self.out);
        self.reset();
        fingerprint
    }

    /// [`Self::finish`], handing the normalised text out (and taking `spare`, cleared,
    /// as the next record's buffer) instead of dropping it.
    pub fn finish_into(&mut self, mut spare: Vec<u8>) -> (Fingerprint, Vec<u8>) {
        let fingerprint = xxh3_128(&self.out);
        spare.clear();
        if spare.capacity() > KEEP_BUFFER_BYTES {
            spare = Vec::new();
        }
        let text = std::mem::replace(&mut self.out, spare);
        self.reset();
        (fingerprint, text)
    }

    /// The normalised text pushed since the last [`Self::finish`] or [`Self::reset`]
    /// (fields joined by a 0x1e byte): what near-duplicate shingling reads.
    pub fn text(&self) -> &[u8] {
        &self.out
    }

    /// Forgets what was pushed, as [`Self::finish`] does, without hashing it.
    pub fn reset(&mut self) {
        self.out.clear();
        self.fields = 0;
        if self.out.capacity() > KEEP_BUFFER_BYTES {
            self.out = Vec::new();
        }
        if self.scratch.capacity() > KEEP_BUFFER_BYTES {
            self.scratch = String::new();
        }
    }
}

/// Appends `bytes` through [`fold`], then drops leading and trailing spaces and keeps
/// one space of each run. Runs are found with a vectorised search and the text between
/// them moved in blocks, since prose has few of them. Multi-byte UTF-8 sequences
/// contain no byte below 0x80, so working on bytes never splits a character.
fn collapse_into(out: &mut Vec<u8>, bytes: &[u8]) {
    let start = out.len();
    out.extend_from_slice(bytes);
    fold_in_place(&mut out[start..]);
    let mut read = start;
    while out.get(read) == Some(&b' ') {
        read += 1;
    }
    let mut write = start;
    while let Some(at) = DOUBLE_SPACE.find(&out[read..]) {
        let keep_to = read + at + 1;
        out.copy_within(read..keep_to, write);
        write += keep_to - read;
        read = keep_to;
        while out.get(read) == Some(&b' ') {
            read += 1;
        }
    }
    let end = out.len();
    out.copy_within(read..end, write);
    write += end - read;
    if write > start && out[write - 1] == b' ' {
        write -= 1;
    }
    out.truncate(write);
}

/// Built once: `memmem::find` would build a searcher on every call, which costs a
/// short field more than the search itself.
static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));

/// Bytes folded together: one SSE2 register.
const FOLD_BLOCK: usize = 16;

/// Applies [`fold`] to every byte, a whole block at a time, the last partial block
/// too (through a padded copy), so no field ends in a byte-at-a-time loop.
fn fold_in_place(bytes: &mut [u8]) {
    let mut blocks = bytes.chunks_exact_mut(FOLD_BLOCK);
    for block in &mut blocks {
        for b in block.iter_mut() {
            *b = fold(*b);
        }
    }
    let rest = blocks.into_remainder();
    if !rest.is_empty() {
        let mut padded = [0u8; FOLD_BLOCK];
        padded[..rest.len()].copy_from_slice(rest);
        for b in padded.iter_mut() {
            *b = fold(*b);
        }
        rest.copy_from_slice(&padded[..rest.len()]);
    }
}

/// NFKC of the fullwidth ASCII variants and the ideographic space is plain ASCII; the
/// only other characters on this path are ASCII and stable caseless ones.
fn fold_fullwidth(c: char) -> char {
    match c as u32 {
        0x3000 => ' ',
        u @ 0xff01..=0xff5e => char::from_u32(u - 0xfee0).map_or(c, |a| a.to_ascii_lowercase()),
        _ => c,
    }
}

/// Lower-cases and turns every Unicode whitespace into a space; collapsing follows.
fn push_folded(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        if c.is_whitespace() {
            out.push(' ');
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
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
        assert_eq!(normalized(["a\t\n\u{b}b"]), normalized(["a b"]));
    }

    #[test]
    fn field_boundaries_matter() {
        assert_ne!(normalized(["ab", "c"]), normalized(["a", "bc"]));
        assert_eq!(normalized(["ab ", " c"]), normalized(["ab", "c"]));
        assert_ne!(normalized(["ab", ""]), normalized(["ab"]));
    }

    #[test]
    fn exact_sees_every_byte() {
        assert_ne!(exact(b"a b"), exact(b"a  b"));
        assert_eq!(exact(b"x"), exact(b"x"));
    }

    #[test]
    fn every_path_agrees_with_full_normalisation() {
        // Byte path, fullwidth path and the NFKC path must give the same result for
        // the same normal form.
        assert_eq!(normalized(["数据,训练。"]), normalized(["数据，训练。"]));
        assert_eq!(normalized(["数据 训练"]), normalized(["数据\u{3000}训练"]));
        assert_eq!(normalized(["Straße ＡＢ"]), normalized(["straße ab"]));
        assert_eq!(normalized(["ÉTÉ\u{a0}x"]), normalized(["été x"]));
        // NFKC composes: e + combining acute is é.
        assert_eq!(normalized(["e\u{301}t\u{e9}"]), normalized(["été"]));
        for text in ["  Mixed 文本，ＡＢＣ\u{3000} end ", "ÅNGSTRÖM\n\n数据", "x"] {
            let mut reference = String::new();
            push_folded(&mut reference, text.nfkc());
            let mut expected = Vec::new();
            collapse_into(&mut expected, reference.as_bytes());
            assert_eq!(normalized([text]), xxh3_128(&expected), "{text}");
        }
    }

    #[test]
    fn block_fold_equals_byte_fold() {
        let all: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        for len in 0..all.len() {
            let mut folded = all[..len].to_vec();
            fold_in_place(&mut folded);
            let expected: Vec<u8> = all[..len].iter().map(|&b| fold(b)).collect();
            assert_eq!(folded, expected, "{len}");
        }
    }

    #[test]
    fn whitespace_collapses_inside_and_trims_ends() {
        let mut out = Vec::new();
        collapse_into(&mut out, b"  A  b\n\nC ");
        assert_eq!(out, b"a b c");
        out.clear();
        collapse_into(&mut out, b" \t ");
        assert!(out.is_empty());
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
