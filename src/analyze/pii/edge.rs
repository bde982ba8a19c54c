//! Neighbour checks that replace `\b`.
//!
//! `\b` treats CJK characters as word characters, so "电话18377631706联系" has no
//! boundary around the number. Instead each rule says which ASCII neighbours
//! would make the candidate part of a longer token, and everything else —
//! CJK, punctuation, spaces, text edges — is a valid edge.

/// Which neighbouring characters disqualify a candidate on one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Edge {
    /// Any neighbour is fine.
    None,
    /// No letter, digit (ASCII or full-width) or `_` glued on.
    Alnum,
    /// `Alnum`, and no decimal point continuing a number (`3.` / `.5`), so
    /// digits inside decimals and dotted version strings are not taken.
    Number,
    /// `Number`, and no space or hyphen followed by a digit: a grouped card
    /// number is not the first groups of a longer grouped number.
    Grouped,
    /// `Alnum` plus `_` and `-`: tokens and keys are runs of these.
    Token,
    /// Left of an e-mail: nothing that could extend the local part.
    EmailLocal,
    /// Right of an e-mail: nothing that could extend the domain.
    Domain,
    /// IPv6: `Number` plus `:`, so the address is not part of a longer run.
    Ipv6,
}

impl Edge {
    /// The name user rules use for this edge in `boundary = "..."`.
    pub(super) fn from_name(name: &str) -> Option<Edge> {
        match name {
            "none" => Some(Edge::None),
            "alnum" => Some(Edge::Alnum),
            "number" => Some(Edge::Number),
            "grouped" => Some(Edge::Grouped),
            "token" => Some(Edge::Token),
            _ => None,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Edge::None => "none",
            Edge::Alnum => "alnum",
            Edge::Number => "number",
            Edge::Grouped => "grouped",
            Edge::Token => "token",
            Edge::EmailLocal => "email_local",
            Edge::Domain => "domain",
            Edge::Ipv6 => "ipv6",
        }
    }

    /// True when ASCII byte `b` next to a candidate always disqualifies it,
    /// whatever lies beyond. Lets the scanner skip through word runs.
    pub(super) fn always_blocks_ascii(self, b: u8) -> bool {
        self.blocks_ascii_word() && (b.is_ascii_alphanumeric() || b == b'_')
    }

    /// Every edge but `None` rejects an ASCII word character (`[0-9A-Za-z_]`)
    /// as neighbour. On the left this is exactly `(?-u:\b{start-half})`, which
    /// the candidate finder uses as a prefilter (see `engine`).
    pub(super) fn blocks_ascii_word(self) -> bool {
        self != Edge::None
    }

    /// `near` is the neighbour, `beyond` the character past it (away from the match).
    fn blocks(self, near: char, beyond: Option<char>) -> bool {
        let alnum = is_alnum(near) || near == '_';
        let dot_number = near == '.' && beyond.is_some_and(is_digit);
        match self {
            Edge::None => false,
            Edge::Alnum => alnum,
            Edge::Number => alnum || dot_number,
            Edge::Grouped => {
                alnum || dot_number || (matches!(near, ' ' | '-') && beyond.is_some_and(is_digit))
            }
            Edge::Token => alnum || near == '-',
            Edge::EmailLocal => alnum || matches!(near, '.' | '_' | '%' | '+' | '-'),
            Edge::Domain => alnum || near == '-' || (near == '.' && beyond.is_some_and(is_alnum)),
            Edge::Ipv6 => alnum || near == ':' || dot_number,
        }
    }

    /// Whether a candidate may start at byte `start` of `text`.
    pub(super) fn left_ok(self, text: &str, start: usize) -> bool {
        let Some(before) = text.get(..start) else {
            return false;
        };
        let mut chars = before.chars().rev();
        match chars.next() {
            None => true,
            Some(near) => !self.blocks(near, chars.next()),
        }
    }

    /// Whether a candidate may end at byte `end` of `text`.
    pub(super) fn right_ok(self, text: &str, end: usize) -> bool {
        let Some(after) = text.get(end..) else {
            return false;
        };
        let mut chars = after.chars();
        match chars.next() {
            None => true,
            Some(near) => !self.blocks(near, chars.next()),
        }
    }
}

/// ASCII digit or full-width digit (U+FF10–FF19).
pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

/// ASCII or full-width letter or digit.
pub(super) fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{FF10}'..='\u{FF19}').contains(&c)
        || ('\u{FF21}'..='\u{FF3A}').contains(&c)
        || ('\u{FF41}'..='\u{FF5A}').contains(&c)
}

/// The text around a candidate where context words are looked for, clamped
/// to char boundaries. Bytes, not chars: 64 bytes is about 21 CJK characters
/// or a dozen English words, enough for "身份证号码：" or "Social Security No.".
pub(super) fn context_window(text: &str, start: usize, end: usize) -> &str {
    const BEFORE: usize = 64;
    const AFTER: usize = 32;
    let mut lo = start.saturating_sub(BEFORE);
    while lo > 0 && !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = end.saturating_add(AFTER).min(text.len());
    while hi < text.len() && !text.is_char_boundary(hi) {
        hi += 1;
    }
    text.get(lo..hi).unwrap_or("")
}

/// True when one of `words` (ASCII case-insensitive) stands right before
/// `start`, separated only by spaces or a colon/equals sign, and is not the
/// tail of a longer ASCII word. Rejects "version 1.2.3.4" or "版本：1.2.3.4".
pub(super) fn preceded_by_word(text: &str, start: usize, words: &[&str]) -> bool {
    let Some(before) = text.get(..start) else {
        return false;
    };
    let trimmed = before.trim_end_matches([' ', '\t', ':', '：', '=', '#']);
    words.iter().any(|w| ends_with_word(trimmed, w))
}

fn ends_with_word(text: &str, word: &str) -> bool {
    if word.is_empty() || text.len() < word.len() {
        return false;
    }
    let cut = text.len() - word.len();
    let Some(tail) = text.get(cut..) else {
        return false;
    };
    if !tail.eq_ignore_ascii_case(word) {
        return false;
    }
    let starts_ascii_word = word.as_bytes()[0].is_ascii_alphanumeric();
    let prev = text.get(..cut).and_then(|p| p.chars().next_back());
    !(starts_ascii_word && prev.is_some_and(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_neighbours_are_edges() {
        let t = "电话18377631706联系";
        let s = "电话".len();
        let e = s + 11;
        assert!(Edge::Number.left_ok(t, s));
        assert!(Edge::Number.right_ok(t, e));
    }

    #[test]
    fn digits_and_letters_are_not_edges() {
        let t = "a123b";
        assert!(!Edge::Alnum.left_ok(t, 1));
        assert!(!Edge::Alnum.right_ok(t, 4));
        let fw = "１23";
        assert!(!Edge::Alnum.left_ok(fw, "１".len()));
    }

    #[test]
    fn decimal_points_block_numbers_only() {
        let t = "3.14159";
        assert!(!Edge::Number.left_ok(t, 2));
        assert!(Edge::Alnum.left_ok(t, 2));
        let t = "end. 123";
        assert!(Edge::Number.left_ok(t, 5));
    }

    #[test]
    fn version_words() {
        let words = ["version", "v", "版本"];
        assert!(preceded_by_word("version 1.2.3.4", 8, &words));
        assert!(preceded_by_word("版本：1.2.3.4", "版本：".len(), &words));
        assert!(preceded_by_word("V 1.2.3.4", 2, &words));
        assert!(!preceded_by_word("dev 1.2.3.4", 4, &words));
        assert!(!preceded_by_word("host 1.2.3.4", 5, &words));
    }

    #[test]
    fn window_is_clamped_to_char_boundaries() {
        let t = "身份证".repeat(40) + "1234";
        let s = t.len() - 4;
        let w = context_window(&t, s, t.len());
        assert!(w.ends_with("1234"));
        assert!(w.len() <= 64 + 4 + 3);
    }
}
