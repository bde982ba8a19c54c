//! Person names, found from the words around them (`prose` finds the words).
//!
//! A name has no checksum, and a surname character or a capitalised word
//! alone is everyday text (`张力很大`, `王国`, `Main`), so every function here
//! starts from a context that a trigger confirmed (a label, a title, a
//! salutation) and returns a span only when the shape next to it is a name
//! from the tables: a known surname and one or two given characters whose end
//! is confirmed, or capitalised words from the Census name lists.

use std::collections::HashSet;

use super::lexicon::{
    EN_NOT_NAMES, ZH_AMBIGUOUS_LEAD, ZH_COMPOUND_SURNAMES, ZH_GIVEN_NOT_LAST, ZH_GIVEN_STOP,
    ZH_NAME_FOLLOW, ZH_NAME_LEFT, ZH_NOT_NAMES, ZH_SURNAMES, ZH_TITLE_NOT_BEFORE, ZH_TITLES_AFTER,
    ZH_TITLES_EITHER,
};

/// The Census first-name and surname lists, lower-cased for lookup.
pub(super) struct EnNames {
    first: HashSet<&'static str>,
    last: HashSet<&'static str>,
}

/// One name per line; `#` lines are the provenance header.
fn entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Lower-cased copies, leaked once per process: the tables are built once
/// per detector and live as long as it.
fn lower_set(list: &'static str) -> HashSet<&'static str> {
    entries(list)
        .map(|n| &*Box::leak(n.to_ascii_lowercase().into_boxed_str()))
        .collect()
}

impl EnNames {
    pub(super) fn load() -> Self {
        static TABLES: std::sync::LazyLock<(HashSet<&'static str>, HashSet<&'static str>)> =
            std::sync::LazyLock::new(|| {
                (
                    lower_set(include_str!("lexicon/en_first.txt")),
                    lower_set(include_str!("lexicon/en_last.txt")),
                )
            });
        EnNames {
            first: TABLES.0.clone(),
            last: TABLES.1.clone(),
        }
    }

    fn is_first(&self, token: &str) -> bool {
        lookup(&self.first, token)
    }

    fn is_last(&self, token: &str) -> bool {
        lookup(&self.last, token)
    }
}

/// Case-insensitive lookup without allocating: tokens are at most
/// [`MAX_TOKEN`] ASCII bytes.
fn lookup(set: &HashSet<&'static str>, token: &str) -> bool {
    let mut buf = [0u8; MAX_TOKEN];
    let Some(slot) = buf.get_mut(..token.len()) else {
        return false;
    };
    slot.copy_from_slice(token.as_bytes());
    slot.make_ascii_lowercase();
    std::str::from_utf8(slot).is_ok_and(|s| set.contains(s))
}

// ------------------------------------------------------------------ Chinese

/// A CJK unified ideograph (basic block or extension A).
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn is_surname(c: char) -> bool {
    ZH_SURNAMES.contains(c)
}

/// Byte length of the surname at the start of `s` (compound first), if any.
fn surname_len(s: &str) -> Option<usize> {
    if let Some(c) = ZH_COMPOUND_SURNAMES.iter().find(|c| s.starts_with(**c)) {
        return Some(c.len());
    }
    s.chars()
        .next()
        .filter(|&c| is_surname(c))
        .map(char::len_utf8)
}

fn given_ok(given: &str) -> bool {
    let mut chars = given.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_han(c) || ZH_GIVEN_STOP.contains(c) {
            return false;
        }
        if chars.peek().is_none() && ZH_GIVEN_NOT_LAST.contains(c) {
            return false;
        }
    }
    !given.is_empty()
}

/// Where a name may end: the text ends, a non-Han character, a follow word,
/// or a title.
fn name_ends_at(text: &str, at: usize) -> bool {
    let Some(rest) = text.get(at..) else {
        return false;
    };
    match rest.chars().next() {
        None => true,
        Some(c) if !is_han(c) => true,
        Some(c) => {
            ZH_NAME_FOLLOW.contains(c)
                || ZH_TITLES_AFTER.iter().any(|t| rest.starts_with(t))
                || ZH_TITLES_EITHER.iter().any(|t| rest.starts_with(t))
        }
    }
}

/// A name starting at `at`: a surname, one or two given characters, and an
/// end confirmed by what follows. The longer reading is tried first.
pub(super) fn zh_name_after(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let sn = surname_len(rest)?;
    let given_from = at + sn;
    let mut ends = [0usize; 2];
    let mut n = 0;
    for (i, (off, c)) in text.get(given_from..)?.char_indices().take(2).enumerate() {
        if let Some(slot) = ends.get_mut(i) {
            *slot = given_from + off + c.len_utf8();
            n = i + 1;
        }
    }
    ends.iter().take(n).rev().copied().find(|&end| {
        text.get(given_from..end).is_some_and(given_ok)
            && name_ends_at(text, end)
            && !text.get(at..end).is_some_and(|w| ZH_NOT_NAMES.contains(&w))
    })
}

/// A title at `title_start..title_end` names a person, not an organisation
/// (`同学会`, `主席台`).
pub(super) fn zh_title_ok(text: &str, title_end: usize) -> bool {
    let next = text.get(title_end..).and_then(|r| r.chars().next());
    !next.is_some_and(|c| ZH_TITLE_NOT_BEFORE.contains(c))
}

/// A name written before its title starts at `start`: at the floor (the end
/// of the previous context word), after a non-Han character, or after a
/// function word or verb of meeting (`会见了`, `和`).
fn zh_left_ok(text: &str, start: usize, floor: usize) -> bool {
    start == floor
        || text
            .get(..start)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !is_han(c) || ZH_NAME_LEFT.contains(c))
}

/// A name ending at `end` (right before a title), starting at or after
/// `floor`: the longest reading whose first characters are a surname, except
/// that a lead character that is usually a function word (`向李明`) yields to
/// the shorter reading.
pub(super) fn zh_name_before(text: &str, end: usize, floor: usize) -> Option<usize> {
    let before = text.get(floor..end)?;
    let mut starts = [usize::MAX; 4];
    for (slot, (i, _)) in starts.iter_mut().zip(before.char_indices().rev()) {
        *slot = floor + i;
    }
    // starts[k] is where a name of k+1 characters would begin.
    let valid = |start: usize| -> bool {
        let Some(cand) = text.get(start..end) else {
            return false;
        };
        let Some(sn) = surname_len(cand) else {
            return false;
        };
        let len = cand.chars().count();
        let compound = sn > cand.chars().next().map_or(0, char::len_utf8);
        let fits = if compound {
            (3..=4).contains(&len)
        } else {
            (2..=3).contains(&len)
        };
        fits && cand.get(sn..).is_some_and(given_ok)
            && !ZH_NOT_NAMES.contains(&cand)
            && zh_left_ok(text, start, floor)
    };
    let at = |k: usize| {
        starts
            .get(k)
            .copied()
            .filter(|&s| s != usize::MAX && valid(s))
    };
    let (four, three, two) = (at(3), at(2), at(1));
    if let Some(s) = four {
        return Some(s);
    }
    match (three, two) {
        (Some(s3), Some(s2)) => {
            let lead = text.get(s3..).and_then(|t| t.chars().next());
            Some(if lead.is_some_and(|c| ZH_AMBIGUOUS_LEAD.contains(c)) {
                s2
            } else {
                s3
            })
        }
        (Some(s), None) | (None, Some(s)) => Some(s),
        (None, None) => None,
    }
}

/// Where the value after a label starts: past an optional colon and spaces
/// (at most two characters' worth), or `None` when the gap is longer.
pub(super) fn after_label(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let trimmed = rest.trim_start_matches([' ', '\t', ':', '：', '\u{3000}']);
    let gap = rest.len() - trimmed.len();
    (gap <= 6).then_some(at + gap)
}

/// After a label: optional colon and spaces, then a name.
pub(super) fn zh_name_after_label(text: &str, at: usize) -> Option<(usize, usize)> {
    let start = after_label(text, at)?;
    let end = zh_name_after(text, start)?;
    // Without a colon (`患者康复的`) only punctuation, a title or a sex closes
    // the name: a label word also starts ordinary phrases.
    let separated = start > at;
    (separated || closed_strictly(text, end)).then_some((start, end))
}

/// What may follow a name read without a separator: punctuation, the end of
/// the text, a title, or the sex written after it.
fn closed_strictly(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    match rest.chars().next() {
        None => true,
        Some(c) if !is_han(c) => !c.is_alphanumeric(),
        Some(c) => {
            matches!(c, '男' | '女')
                || ZH_TITLES_AFTER.iter().any(|t| rest.starts_with(t))
                || ZH_TITLES_EITHER.iter().any(|t| rest.starts_with(t))
        }
    }
}

/// After `我是`: only a name closed by punctuation or the end of the text
/// (`我是程序员` and `我是江苏人` are no introductions).
pub(super) fn zh_name_after_weak_intro(text: &str, at: usize) -> Option<(usize, usize)> {
    let end = zh_name_after(text, at)?;
    let next = text.get(end..).and_then(|r| r.chars().next());
    let closed = next.is_none_or(|c| {
        matches!(
            c,
            '，' | '。' | '！' | '、' | '；' | ',' | '!' | '.' | ' ' | '\n'
        )
    });
    let last = text.get(at..end).and_then(|n| n.chars().last());
    let noun_tail = last.is_some_and(|c| "人员生者家手座族们友迷粉".contains(c));
    (closed && !noun_tail).then_some((at, end))
}

// ------------------------------------------------------------------ English

/// Longest capitalised token the recognisers read.
const MAX_TOKEN: usize = 24;

/// A capitalised word starting at `at` (`Smith`, `O'Neil`, `McDonald`,
/// `Smith-Jones`): its end, when at least two letters and nothing glued on.
fn cap_token(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.get(at)?.is_ascii_uppercase() {
        return None;
    }
    let mut i = at + 1;
    let mut prev = bytes.get(at).copied().unwrap_or(b'A');
    while let Some(&b) = bytes.get(i) {
        let ok = b.is_ascii_lowercase()
            || (b.is_ascii_uppercase()
                && (matches!(prev, b'\'' | b'-')
                    || i == at + 2 && bytes.get(at..at + 2) == Some(b"Mc")))
            || (matches!(b, b'\'' | b'-') && prev.is_ascii_lowercase());
        if !ok {
            break;
        }
        prev = b;
        i += 1;
    }
    let glued = bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80);
    let len = i - at;
    ((2..=MAX_TOKEN).contains(&len) && prev.is_ascii_lowercase() && !glued).then_some(i)
}

/// Up to `max` capitalised tokens separated by single spaces, from `at`.
fn cap_tokens(text: &str, at: usize, max: usize, out: &mut [(usize, usize); 3]) -> usize {
    let mut n = 0;
    let mut pos = at;
    while n < max.min(out.len()) {
        let Some(end) = cap_token(text, pos) else {
            break;
        };
        if let Some(slot) = out.get_mut(n) {
            *slot = (pos, end);
        }
        n += 1;
        if text.as_bytes().get(end) != Some(&b' ') {
            break;
        }
        pos = end + 1;
    }
    n
}

fn not_a_name(token: &str) -> bool {
    EN_NOT_NAMES.contains(&token)
}

/// The left edge of a trigger: nothing that makes it the tail of a word.
pub(super) fn en_left_ok(text: &str, at: usize) -> bool {
    at == 0
        || text
            .as_bytes()
            .get(at - 1)
            .is_some_and(|b| !b.is_ascii_alphanumeric())
}

/// After an honorific (`Dr. `): one to three capitalised words, at least one
/// of them a Census first name or surname, the first never a stop word.
pub(super) fn en_after_honorific(
    tables: &EnNames,
    text: &str,
    at: usize,
) -> Option<(usize, usize)> {
    let mut toks = [(0, 0); 3];
    let n = cap_tokens(text, at, 3, &mut toks);
    let words = || toks.iter().take(n).filter_map(|&(s, e)| text.get(s..e));
    let first = words().next()?;
    if not_a_name(first) || !words().any(|w| tables.is_last(w) || tables.is_first(w)) {
        return None;
    }
    let (s, _) = *toks.first()?;
    let (_, e) = *toks.get(n.checked_sub(1)?)?;
    Some((s, e))
}

/// After a salutation or an introduction: a Census first name, optionally
/// followed by a capitalised surname.
pub(super) fn en_first_last(tables: &EnNames, text: &str, at: usize) -> Option<(usize, usize)> {
    let mut toks = [(0, 0); 3];
    let n = cap_tokens(text, at, 2, &mut toks);
    let (s, e1) = *toks.first().filter(|_| n >= 1)?;
    let first = text.get(s..e1)?;
    if not_a_name(first) || !tables.is_first(first) {
        return None;
    }
    let end = match toks.get(1).filter(|_| n == 2) {
        Some(&(s2, e2)) if text.get(s2..e2).is_some_and(|w| tables.is_last(w)) => e2,
        _ => e1,
    };
    Some((s, end))
}

/// After a closing (`Regards,`): a line break, then a signature of a first
/// name and a surname from the tables.
pub(super) fn en_signature(tables: &EnNames, text: &str, at: usize) -> Option<(usize, usize)> {
    let rest = text.get(at..)?;
    let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
    let gap = rest.get(..rest.len() - trimmed.len())?;
    if !gap.contains('\n') || gap.len() > 8 {
        return None;
    }
    let start = at + gap.len();
    let (s, e) = en_first_last(tables, text, start)?;
    // A lone first name is a sign-off too, but a surname makes it a person.
    (text.get(s..e)?.contains(' ')).then_some((s, e))
}

/// `张*`, `欧阳**`, `J*** S****`: the first character of each name part (the
/// whole surname for a compound Chinese one), stars for the rest.
pub(super) fn mask(value: &str) -> String {
    if value.chars().next().is_some_and(is_han) {
        let keep = ZH_COMPOUND_SURNAMES
            .iter()
            .find(|c| value.starts_with(**c))
            .map_or(1, |_| 2);
        let n = value.chars().count();
        let mut out: String = value.chars().take(keep).collect();
        out.extend(std::iter::repeat_n('*', n.saturating_sub(keep).max(1)));
        return out;
    }
    value
        .split(' ')
        .filter(|p| !p.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first: String = chars.next().into_iter().collect();
            format!("{first}{}", "*".repeat(chars.count().max(1)))
        })
        .collect::<Vec<_>>()
        .join(" ")
}
