//! The text a lexicon is matched against: width, compatibility forms and case folded,
//! spliced characters joined, with every byte mapped back to the field.
//!
//! - Full-width letters and digits fold to ASCII and the ideographic space to a space
//!   (full-width punctuation stays, see [`fold_width`]); other non-ASCII characters
//!   take their NFKC form one by one (NFKC-ish: compositions across characters are
//!   left); everything is lower-cased.
//! - A run of separators (whitespace, `. - _ * / | ~ + ^ #`, middle dots) is removed
//!   where it splices: between two one-character pieces (`t.e.r.m`, `t e r m`) or
//!   between two Han characters (`词 语`, `词*语`, which Chinese prose never spaces).
//!   Sentence punctuation (`，。,;:!?`) never splices, so `用词，语言` holds no `词语`.
//!
//! Most fields need none of this: [`needs_copy`] says whether the field itself, ASCII
//! case aside, is already its normal form, and then the search reads the field as it is.

use unicode_normalization::UnicodeNormalization;

use crate::analyze::profile::NormalForm;

/// A field's normal form, and for each of its bytes the field byte its character
/// came from.
#[derive(Debug, Default)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Per byte of `text`: the byte offset in the field of the character it came from.
    pub origin: Vec<u32>,
    /// Scratch: the folded characters and their field offsets before joining.
    chars: Vec<(char, u32)>,
}

/// Whether `c` separates the pieces of a spliced term.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return ascii_separator(c as u8);
    }
    c.is_whitespace()
        || matches!(
            c,
            '.' | '-' | '_' | '*' | '/' | '|' | '~' | '+' | '^' | '#' | '·' | '•' | '・'
        )
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Full-width letters and digits to ASCII and the ideographic space to a space.
/// Full-width punctuation stays: it is how Chinese is written (`，`), and a term is
/// words, so folding it would send nearly every Chinese field down the copying path.
fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
        }
        _ => c,
    }
}

/// Whether `text` holds a full-width letter or digit (`EF BC 90..99`, `EF BC A1..BA`,
/// `EF BD 81..9A` in UTF-8).
fn has_fullwidth_alnum(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(0xEF, b).any(|i| {
        matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0xBC), Some(0x90..=0x99 | 0xA1..=0xBA)) | (Some(0xBD), Some(0x81..=0x9A))
        )
    })
}

/// Pushes the folded forms of `c` (from field offset `at`).
fn push_folded(out: &mut Vec<(char, u32)>, c: char, at: u32) {
    let c = fold_width(c);
    if c.is_ascii() {
        out.push((c.to_ascii_lowercase(), at));
        return;
    }
    if is_han(c) {
        // CJK ideographs have no compatibility decomposition and no case, and are
        // most of the non-ASCII characters of the fields copied.
        out.push((c, at));
        return;
    }
    for n in std::iter::once(c).nfkc() {
        out.extend(n.to_lowercase().map(|l| (l, at)));
    }
}

/// Whether `text` differs from its normal form other than by ASCII case (which the
/// search folds itself): it has characters NFKC or case folding change, or a
/// separator run that splices.
pub fn needs_copy(text: &str) -> bool {
    needs_copy_as(text, NormalForm::of(text))
}

/// [`needs_copy`] for a text whose characters allow `form` (its own, or its record's:
/// a record's form is the widest of its fields', and a field's full-width letters
/// and digits are looked for by bytes).
pub fn needs_copy_as(text: &str, form: NormalForm) -> bool {
    match form {
        NormalForm::Bytes => splices(text),
        NormalForm::Fullwidth => has_fullwidth_alnum(text) || splices(text),
        NormalForm::Unicode => true,
    }
}

/// ASCII separator bytes ([`is_separator`] below 0x80).
const ASCII_SEPARATOR: [bool; 128] = {
    let mut table = [false; 128];
    let seps = b" \t\n\r\x0b\x0c.-_*/|~+^#";
    let mut i = 0;
    while i < seps.len() {
        table[seps[i] as usize] = true;
        i += 1;
    }
    table
};

fn ascii_separator(b: u8) -> bool {
    ASCII_SEPARATOR
        .get(usize::from(b))
        .copied()
        .unwrap_or(false)
}

/// Whether some separator run of `text` is removed by the normalisation. Bytes first:
/// a run can only splice next to a one-character piece (a separator two or four bytes
/// further on, or the text's start) or between Han characters (a UTF-8 continuation
/// byte before it), and most separators of prose are neither, so the exact check
/// ([`splices_here`]) runs at few of them. The non-ASCII separators (middle dots, the
/// ideographic space, no-break space) are looked for by their lead bytes.
///
/// A block of bytes at a time in vector lanes, as the text profile does
/// (`analyze::profile`): byte-wise and word-at-a-time versions of this first look cost
/// 11 instructions a byte, as much as the term search. ASCII that is not a letter or
/// digit stands for the ASCII separators: a superset, which the exact check sorts out.
fn splices(text: &str) -> bool {
    let mut any = false;
    splice_runs(text, &mut |_| {
        any = true;
        false
    });
    any
}

/// Calls `found` with the start of each separator run the normalisation removes, in
/// order, while it returns true (see [`splices`]).
fn splice_runs(text: &str, found: &mut dyn FnMut(usize) -> bool) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: `splice_runs_wide` only requires the AVX2 target feature, and the
        // CPU running this code has it (checked just above; the result is cached).
        return unsafe { splice_runs_wide(text, found) };
    }
    splice_runs_in::<16>(text, found);
}

/// [`splice_runs_in`] compiled for AVX2, 32 bytes a block.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn splice_runs_wide(text: &str, found: &mut dyn FnMut(usize) -> bool) {
    splice_runs_in::<32>(text, found);
}

/// Look-behind of the first look: a 3-byte character and the separator before it.
const BEHIND: usize = 4;

#[inline(always)]
fn splice_runs_in<const N: usize>(text: &str, found: &mut dyn FnMut(usize) -> bool) {
    let b = text.as_bytes();
    let mut at = 0;
    while at < b.len() {
        let marks = match b.get(at.wrapping_sub(BEHIND)..at + N) {
            Some(window) if at >= BEHIND => first_look::<N>(window),
            _ => first_look::<N>(&padded(b, at, N)),
        };
        // Eight lanes at a time as one integer: a block usually has none or one.
        for (c, lanes) in marks.chunks_exact(8).enumerate() {
            let mut set = u64::from_le_bytes(<[u8; 8]>::try_from(lanes).unwrap_or_default());
            while set != 0 {
                let i = at + 8 * c + (set.trailing_zeros() / 8) as usize;
                set &= set - 1;
                if splices_here(text, i) && !found(i) {
                    return;
                }
            }
        }
        at += N;
    }
}

/// The bytes `at - BEHIND .. at + N` of `b`, spaces before its start (separators: a
/// piece at the start is "one character" when a separator follows it) and letters past
/// its end (never a mark).
fn padded(b: &[u8], at: usize, n: usize) -> [u8; 64] {
    let mut out = [b'A'; 64];
    let first = at.saturating_sub(BEHIND);
    let spaces = BEHIND - (at - first);
    let bytes = b.get(first..(at + n).min(b.len())).unwrap_or_default();
    if let Some(head) = out.get_mut(..spaces) {
        head.fill(b' ');
    }
    if let Some(copy) = out.get_mut(spaces..spaces + bytes.len()) {
        copy.copy_from_slice(bytes);
    }
    out
}

/// Per byte of `window[BEHIND..BEHIND + N]`, 1 where a splice may start.
#[inline(always)]
fn first_look<const N: usize>(window: &[u8]) -> [u8; N] {
    let lane = |shift: usize| -> [u8; N] {
        let mut out = [0; N];
        if let Some(w) = window.get(BEHIND - shift..BEHIND - shift + N) {
            out.copy_from_slice(w);
        }
        out
    };
    let (x, m1, m2, m3, m4) = (lane(0), lane(1), lane(2), lane(3), lane(4));
    let other = |c: u8| {
        let letter = (c | 0x20).wrapping_sub(b'a') < 26;
        let digit = c.wrapping_sub(b'0') < 10;
        (c < 0x80) & !letter & !digit
    };
    let mut marks = [0u8; N];
    for j in 0..N {
        let c = x[j];
        let one_char_before = other(m2[j]) | (other(m4[j]) & (m3[j] >= 0xc0));
        let han_before = m1[j] & 0xc0 == 0x80;
        let non_ascii = (c == 0xc2) | (c & 0xfe == 0xe2);
        marks[j] = u8::from(non_ascii | (other(c) & (one_char_before | han_before)));
    }
    marks
}

/// Whether a separator run removed by the normalisation starts at byte `i`: the exact
/// check behind a first look that found a candidate there.
fn splices_here(text: &str, i: usize) -> bool {
    splice_candidate(text.as_bytes(), i) && splices_at(text, i)
}

/// Whether a separator run may splice at byte `i` (see [`splices`]).
fn splice_candidate(b: &[u8], i: usize) -> bool {
    let Some(&c) = b.get(i) else {
        return false;
    };
    let sep_at = |i: usize| b.get(i).copied().is_some_and(ascii_separator);
    if ascii_separator(c) {
        let one_char_before = i == 1
            || (i >= 2 && sep_at(i - 2))
            || (i == 3 || (i >= 4 && sep_at(i - 4))) && b[i - 3] >= 0xC0;
        let han_join = i > 0
            && (0x80..0xC0).contains(&b[i - 1])
            && b.get(i + 1)
                .is_some_and(|&n| (0xE3..=0xE9).contains(&n) || ascii_separator(n));
        one_char_before || han_join
    } else {
        matches!(c, 0xC2 | 0xE2 | 0xE3) && non_ascii_separator(&b[i..])
    }
}

/// Whether `b` starts with a non-ASCII separator ([`is_separator`]).
fn non_ascii_separator(b: &[u8]) -> bool {
    b.starts_with("·".as_bytes())
        || b.starts_with("•".as_bytes())
        || b.starts_with("・".as_bytes())
        || b.starts_with("\u{3000}".as_bytes())
        || b.starts_with("\u{a0}".as_bytes())
}

/// Whether a separator run starting at byte `i` (if one starts there) splices.
fn splices_at(text: &str, i: usize) -> bool {
    let (Some(head), Some(tail)) = (text.get(..i), text.get(i..)) else {
        return false;
    };
    let mut after = tail.chars().skip_while(|c| is_separator(*c));
    let run_is_separators = tail.chars().next().is_some_and(is_separator);
    if !run_is_separators || head.chars().next_back().is_some_and(is_separator) {
        return false;
    }
    let mut before = head.chars().rev();
    let (Some(p), Some(n)) = (before.next(), after.next()) else {
        return false;
    };
    let single_before = before.next().is_none_or(is_separator);
    let single_after = after.next().is_none_or(is_separator);
    (single_before && single_after) || (is_han(p) && is_han(n))
}

impl Normalized {
    /// Normalises `text`, whose characters allow `form` (see [`needs_copy_as`]), into
    /// this buffer when it is not its own normal form (ASCII case aside); says whether
    /// it did. A text of ASCII and caseless characters that NFKC keeps (`Bytes`) is
    /// copied by runs, the spliced separators left out, without decoding a character:
    /// the character-wise path cost 40 instructions a byte.
    pub fn fill_as(&mut self, text: &str, form: NormalForm) -> bool {
        if form != NormalForm::Bytes {
            let copy = needs_copy_as(text, form);
            if copy {
                self.fill(text);
            }
            return copy;
        }
        self.text.clear();
        self.origin.clear();
        let mut from = 0;
        splice_runs(text, &mut |i| {
            self.push_run(text, from, i);
            from = i + text
                .get(i..)
                .unwrap_or_default()
                .chars()
                .take_while(|c| is_separator(*c))
                .map(char::len_utf8)
                .sum::<usize>();
            true
        });
        if from == 0 {
            return false;
        }
        self.push_run(text, from, text.len());
        true
    }

    /// Appends `text[from..to]`, ASCII lower-cased, each byte from its character.
    fn push_run(&mut self, text: &str, from: usize, to: usize) {
        let Some(run) = text.get(from..to) else {
            return;
        };
        let start = self.text.len();
        self.text.push_str(run);
        if let Some(copied) = self.text.get_mut(start..) {
            copied.make_ascii_lowercase();
        }
        let mut character = from as u32;
        self.origin.extend(run.bytes().enumerate().map(|(k, byte)| {
            if byte & 0xc0 != 0x80 {
                character = (from + k) as u32;
            }
            character
        }));
    }

    /// Normalises `text` into this buffer (see the module doc).
    pub fn fill(&mut self, text: &str) {
        self.text.clear();
        self.origin.clear();
        self.chars.clear();
        for (at, c) in text.char_indices() {
            push_folded(&mut self.chars, c, at as u32);
        }
        let chars = std::mem::take(&mut self.chars);
        let mut i = 0;
        while i < chars.len() {
            let (c, at) = chars[i];
            if is_separator(c) {
                let end = chars[i..]
                    .iter()
                    .position(|(c, _)| !is_separator(*c))
                    .map_or(chars.len(), |n| i + n);
                if !joins(&chars, i, end) {
                    for &(c, at) in &chars[i..end] {
                        self.push(c, at);
                    }
                }
                i = end;
                continue;
            }
            self.push(c, at);
            i += 1;
        }
        self.chars = chars;
    }

    fn push(&mut self, c: char, at: u32) {
        let mut buf = [0; 4];
        let s = c.encode_utf8(&mut buf);
        self.text.push_str(s);
        self.origin.extend(std::iter::repeat_n(at, s.len()));
    }

    /// The field's byte range of the normalised bytes `start..end`.
    pub fn field_range(&self, field: &str, start: usize, end: usize) -> (usize, usize) {
        let from = self.origin.get(start).map_or(0, |&o| o as usize);
        let last = self
            .origin
            .get(end.saturating_sub(1))
            .map_or(from, |&o| o as usize);
        let to = last
            + field
                .get(last..)
                .and_then(|t| t.chars().next())
                .map_or(0, char::len_utf8);
        (from, to.max(from))
    }
}

/// Whether the separators `chars[start..end]` splice the pieces around them.
fn joins(chars: &[(char, u32)], start: usize, end: usize) -> bool {
    let (Some(&(p, _)), Some(&(n, _))) = (
        start.checked_sub(1).and_then(|i| chars.get(i)),
        chars.get(end),
    ) else {
        return false;
    };
    let single_before = start < 2 || chars.get(start - 2).is_some_and(|(c, _)| is_separator(*c));
    let single_after = chars.get(end + 1).is_none_or(|(c, _)| is_separator(*c));
    (single_before && single_after) || (is_han(p) && is_han(n))
}

/// A term's normal form (the form it is searched for), trimmed.
pub fn normalized_term(term: &str) -> String {
    let mut n = Normalized::default();
    n.fill(term.trim());
    n.text.trim_matches(is_separator).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first version of [`splices`]: a byte at a time, [`splice_candidate`] at
    /// every byte.
    fn splices_bytewise(text: &str) -> bool {
        (0..text.len()).any(|i| splice_candidate(text.as_bytes(), i) && splices_at(text, i))
    }

    /// Half short texts, half long ones, of `pieces` drawn at random.
    fn random_text(rng: &mut crate::synth::Rng, pieces: &[&str]) -> String {
        let count = if rng.chance(50) {
            rng.below(24)
        } else {
            rng.below(160)
        };
        (0..count).map(|_| rng.word(pieces)).collect()
    }

    /// The word-at-a-time first look finds every splice the byte-at-a-time one did:
    /// random texts of separators, one- and three-byte pieces, Han characters and the
    /// non-ASCII separators, at every alignment.
    #[test]
    fn splices_equals_the_bytewise_check() {
        const PIECES: &[&str] = &[
            "a", "b", "ab", "cde", " ", " ", ".", "-", "*", "\t", ",", "词", "语", "é", "，", "。",
            "·", "\u{3000}", "\u{a0}", "・", "•", "x y", "1",
        ];
        let mut rng = crate::synth::Rng::new(77);
        let mut spliced = 0;
        for _ in 0..20_000 {
            let text = random_text(&mut rng, PIECES);
            let want = splices_bytewise(&text);
            assert_eq!(splices(&text), want, "{text:?}");
            let mut narrow = false;
            splice_runs_in::<16>(&text, &mut |_| {
                narrow = true;
                false
            });
            assert_eq!(narrow, want, "16-byte blocks: {text:?}");
            spliced += usize::from(want);
        }
        assert!(spliced > 1000 && spliced < 20_000, "{spliced}");
    }

    /// The run-wise copy of a `Bytes` text equals the character-wise normalisation,
    /// byte for byte and origin for origin, and is made exactly when one is needed.
    #[test]
    fn runwise_copy_equals_the_characterwise_one() {
        const PIECES: &[&str] = &[
            "a", "B", "ab", "Cde", " ", "  ", ".", "-", "*", "\t", ",", "词", "语", "。", "x Y",
            "1", "\n",
        ];
        let mut rng = crate::synth::Rng::new(78);
        let (mut fast, mut copies) = (Normalized::default(), 0);
        for _ in 0..20_000 {
            let text = random_text(&mut rng, PIECES);
            assert_eq!(NormalForm::of(&text), NormalForm::Bytes, "{text:?}");
            let copied = fast.fill_as(&text, NormalForm::Bytes);
            assert_eq!(copied, needs_copy(&text), "{text:?}");
            if copied {
                let mut slow = Normalized::default();
                slow.fill(&text);
                assert_eq!(fast.text, slow.text, "{text:?}");
                assert_eq!(fast.origin, slow.origin, "{text:?}");
                copies += 1;
            }
        }
        assert!(copies > 1000, "{copies}");
    }
}
