//! Postal addresses by grammar: Chinese administrative levels anchored on a
//! division table, English house number + street + street type.
//!
//! A place name alone (`北京`, `London`) is no address: every match holds at
//! least two levels (city + district, district + road, number + street
//! type), and a Chinese one starts at a known division or right after an
//! address label.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::lexicon::{
    EN_STREET_ABBREVIATIONS, EN_UNIT_WORDS, US_STATES, ZH_ADDRESS_STOP, ZH_CITIES,
    ZH_LEVEL_SUFFIXES, ZH_NUMBER_SUFFIXES, ZH_PROVINCE_SUFFIXES, ZH_PROVINCES,
};
use super::names::{after_label, is_han};
use crate::analyze::literals::KeyHasher;

/// Longest Chinese address read, in characters: bounds the work per anchor.
const MAX_ZH_CHARS: usize = 48;
/// Longest name part of one level (`西双版纳傣族自治州` has 7 before the suffix).
const MAX_LEVEL_NAME: usize = 8;

/// The division table for lookups while parsing, with the small tables the
/// parser consults at every character indexed by character: a division name
/// anchors a parse at every mention of a city, and reading its levels tried
/// every suffix at every character (about 8,000 instructions per anchor,
/// 14% of the PII scan on mixed zh/en text, callgrind).
pub(super) struct Divisions {
    /// Hashed with the literal search's multiplicative hasher: SipHash of the two to
    /// four characters tried at each division mention was a third of the parse
    /// (callgrind, mixed zh/en text).
    names: HashSet<&'static str, BuildHasherDefault<KeyHasher>>,
    /// First characters of the division names, sorted: most characters start
    /// none, and a binary search is cheaper than hashing three prefixes.
    name_starts: Vec<char>,
    /// [`ZH_LEVEL_SUFFIXES`] stably sorted by first character: table order is
    /// kept among the suffixes one character can start.
    level_suffixes: Vec<(char, &'static str)>,
    /// [`ZH_ADDRESS_STOP`], sorted.
    stop: Vec<char>,
}

impl Divisions {
    pub(super) fn load() -> Self {
        let names: HashSet<&'static str, _> =
            ZH_PROVINCES.iter().chain(ZH_CITIES).copied().collect();
        let mut name_starts: Vec<char> = names.iter().filter_map(|n| n.chars().next()).collect();
        name_starts.sort_unstable();
        name_starts.dedup();
        let mut level_suffixes: Vec<(char, &'static str)> = ZH_LEVEL_SUFFIXES
            .iter()
            .filter_map(|(x, _)| Some((x.chars().next()?, *x)))
            .collect();
        level_suffixes.sort_by_key(|(first, _)| *first);
        let mut stop: Vec<char> = ZH_ADDRESS_STOP.chars().collect();
        stop.sort_unstable();
        Divisions {
            names,
            name_starts,
            level_suffixes,
            stop,
        }
    }

    /// Byte length of the longest division name (2–4 characters) at the start of `s`.
    fn at(&self, s: &str) -> Option<usize> {
        let first = s.chars().next()?;
        if self.name_starts.binary_search(&first).is_err() {
            return None;
        }
        let mut best = None;
        for (count, (i, c)) in s.char_indices().enumerate().take(4) {
            let end = i + c.len_utf8();
            if count >= 1 && s.get(..end).is_some_and(|p| self.names.contains(p)) {
                best = Some(end);
            }
        }
        best
    }

    fn is_stop(&self, c: char) -> bool {
        self.stop.binary_search(&c).is_ok()
    }

    /// The first suffix of [`ZH_LEVEL_SUFFIXES`] (table order) that `rest`, starting
    /// with `first`, starts with.
    fn level_suffix(&self, first: char, rest: &str) -> Option<&'static str> {
        let from = self.level_suffixes.partition_point(|(f, _)| *f < first);
        self.level_suffixes
            .get(from..)?
            .iter()
            .take_while(|(f, _)| *f == first)
            .map(|(_, x)| *x)
            .find(|x| rest.starts_with(x))
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_cn_numeral(c: char) -> bool {
    "一二三四五六七八九十百零〇甲乙丙丁".contains(c)
}

/// One level read at the start of `s`: its byte length.
fn level(div: &Divisions, s: &str) -> Option<usize> {
    number_level(s)
        .or_else(|| named_level(div, s))
        .or_else(|| division_level(div, s))
}

/// A table division, with its own suffix when written (`北京市`, `江苏`).
fn division_level(div: &Divisions, s: &str) -> Option<usize> {
    let n = div.at(s)?;
    let rest = s.get(n..)?;
    let suffix = ZH_PROVINCE_SUFFIXES
        .iter()
        .find(|x| rest.starts_with(**x))
        .map_or(0, |x| x.len());
    Some(n + suffix)
}

/// Han name characters then a level suffix, shortest first (`海淀区`,
/// `中关村大街`).
fn named_level(div: &Divisions, s: &str) -> Option<usize> {
    for (count, (i, c)) in s.char_indices().enumerate() {
        if count > MAX_LEVEL_NAME || !is_han(c) || div.is_stop(c) {
            return None;
        }
        if count == 0 {
            continue;
        }
        if let Some(suffix) = div.level_suffix(c, s.get(i..)?) {
            return Some(i + suffix.len());
        }
    }
    None
}

/// A number and a number suffix (`27号`, `3单元`, `502室`, `5-1号`).
fn number_level(s: &str) -> Option<usize> {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if is_digit(c) || is_cn_numeral(c) || (i > 0 && matches!(c, '-' | '－')) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    if end == 0 {
        return None;
    }
    let rest = s.get(end..)?;
    let suffix = ZH_NUMBER_SUFFIXES.iter().find(|x| rest.starts_with(**x))?;
    Some(end + suffix.len())
}

/// Reads levels from `at`; the end when at least two were read.
pub(super) fn zh_levels(div: &Divisions, text: &str, at: usize) -> Option<usize> {
    let limit = text
        .get(at..)?
        .char_indices()
        .nth(MAX_ZH_CHARS)
        .map_or(text.len(), |(i, _)| at + i);
    let mut pos = at;
    let mut levels = 0;
    while let Some(n) = text.get(pos..limit).and_then(|s| level(div, s)) {
        pos += n;
        levels += 1;
    }
    (levels >= 2).then_some(pos)
}

/// After an address label: optional colon and spaces, then two levels or more.
pub(super) fn zh_after_label(div: &Divisions, text: &str, at: usize) -> Option<(usize, usize)> {
    let start = after_label(text, at)?;
    zh_levels(div, text, start).map(|end| (start, end))
}

// ------------------------------------------------------------------ English

fn word_before(text: &str, end: usize) -> Option<(usize, &str)> {
    let before = text.get(..end)?;
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '\''))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let w = text.get(start..end)?;
    (!w.is_empty()).then_some((start, w))
}

fn is_house_number(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    (1..=6).contains(&digits)
        && w.len() - digits <= 1
        && w.bytes().skip(digits).all(|b| b.is_ascii_uppercase())
}

/// `Springfield`, `York`: a capitalised word of lower-case letters.
fn is_city_word(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 2
        && b.first().is_some_and(u8::is_ascii_uppercase)
        && b.iter().skip(1).all(u8::is_ascii_lowercase)
}

fn is_street_word(w: &str) -> bool {
    let bytes = w.as_bytes();
    let capitalised = bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes
            .iter()
            .skip(1)
            .all(|b| b.is_ascii_lowercase() || *b == b'\'')
        && bytes.len() >= 2;
    let ordinal = bytes.first().is_some_and(u8::is_ascii_digit)
        && ["st", "nd", "rd", "th"].iter().any(|s| w.ends_with(s))
        && w.bytes().filter(u8::is_ascii_digit).count() + 2 == w.len();
    let direction = matches!(w, "N" | "S" | "E" | "W" | "NE" | "NW" | "SE" | "SW");
    capitalised || ordinal || direction
}

/// The start of `1234 Main Street`-like text ending at the street type at
/// `type_start`: one to four street words and a house number before them.
fn en_street_start(text: &str, type_start: usize) -> Option<usize> {
    let mut pos = type_start;
    let mut words = 0;
    loop {
        if pos == 0 || text.as_bytes().get(pos - 1) != Some(&b' ') {
            return None;
        }
        let (start, w) = word_before(text, pos - 1)?;
        if words >= 1 && is_house_number(w) {
            // Not glued to a longer token (`v2.1234 Main`, `A-12 Oak`).
            let left_ok = start == 0
                || text.as_bytes().get(start - 1).is_some_and(|b| {
                    !b.is_ascii_alphanumeric() && !matches!(b, b'.' | b'-' | b'/' | b'#')
                });
            return left_ok.then_some(start);
        }
        if words >= 4 || !is_street_word(w) {
            return None;
        }
        words += 1;
        pos = start;
    }
}

/// `, Apt 4B` / `, Suite 200` / ` #5`: the end of a unit after `at`.
fn en_unit(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let body = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(' '))?;
    let word = EN_UNIT_WORDS.iter().find(|w| body.starts_with(**w))?;
    let after = body.get(word.len()..)?;
    let after_sep = after.trim_start_matches(['.', ' ']);
    let id = after_sep
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    (id > 0
        && id <= 8
        && after_sep
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || word == &"#" || b.is_ascii_uppercase()))
    .then(|| text.len() - after_sep.len() + id)
}

/// `, Springfield, IL 62704` / `, London SW1A 1AA`: a city closed by a state
/// code, ZIP code or postcode; the end after it.
fn en_locality(text: &str, at: usize) -> Option<usize> {
    let body = text.get(at..)?.strip_prefix(", ")?;
    let mut pos = text.len() - body.len();
    let mut city_end = pos;
    let mut words = 0;
    while words < 3 {
        let Some(rest) = text.get(pos..) else { break };
        let n = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let w = rest.get(..n).unwrap_or("");
        let glued = rest
            .as_bytes()
            .get(n)
            .is_some_and(u8::is_ascii_alphanumeric);
        if glued || !is_city_word(w) {
            break;
        }
        words += 1;
        city_end = pos + n;
        if text.as_bytes().get(city_end) != Some(&b' ') {
            break;
        }
        pos = city_end + 1;
    }
    let pos = city_end;
    if words == 0 {
        return None;
    }
    let rest = text.get(pos..)?;
    let sep = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(' '))?;
    let after = text.len() - sep.len();
    if state_at(sep) {
        let end = after + 2;
        return Some(zip_after(text, end).unwrap_or(end));
    }
    uk_postcode(sep)
        .map(|n| after + n)
        .or_else(|| zip_after(text, pos))
}

fn state_at(s: &str) -> bool {
    let code = s.get(..2).unwrap_or("");
    US_STATES.contains(&code) && !s.as_bytes().get(2).is_some_and(u8::is_ascii_alphanumeric)
}

/// ` 62704` or ` 62704-1234` after `at`.
fn zip_after(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?.strip_prefix(' ')?;
    let five = rest.bytes().take_while(u8::is_ascii_digit).count();
    if five != 5 {
        return None;
    }
    let mut end = at + 1 + 5;
    if let Some(plus4) = text.get(end..).and_then(|r| r.strip_prefix('-'))
        && plus4.bytes().take_while(u8::is_ascii_digit).count() == 4
    {
        end += 5;
    }
    (!text
        .as_bytes()
        .get(end)
        .is_some_and(u8::is_ascii_alphanumeric))
    .then_some(end)
}

/// A UK postcode at the start of `s` (`SW1A 1AA`): its length.
fn uk_postcode(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let outward = b
        .iter()
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        .count();
    if !(2..=4).contains(&outward)
        || !b.first()?.is_ascii_uppercase()
        || b.get(outward) != Some(&b' ')
    {
        return None;
    }
    let inward = b.get(outward + 1..outward + 4)?;
    let shape =
        inward.first()?.is_ascii_digit() && inward.iter().skip(1).all(u8::is_ascii_uppercase);
    let glued = b.get(outward + 4).is_some_and(u8::is_ascii_alphanumeric);
    (shape && !glued).then_some(outward + 4)
}

/// A street address whose street type is the word at `type_start..type_end`.
pub(super) fn en_street(text: &str, type_start: usize, type_end: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    if bytes
        .get(type_end)
        .is_some_and(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let start = en_street_start(text, type_start)?;
    let mut end = type_end;
    let abbreviated = text
        .get(type_start..type_end)
        .is_some_and(|w| EN_STREET_ABBREVIATIONS.contains(&w));
    if abbreviated && bytes.get(end) == Some(&b'.') {
        end += 1;
    }
    if let Some(u) = en_unit(text, end) {
        end = u;
    }
    if let Some(l) = en_locality(text, end) {
        end = l;
    }
    Some((start, end))
}

/// Masks an address: a Chinese one keeps its leading coarse divisions
/// (province, city, district, county) and hides the rest as `****`; an
/// English one keeps the first letter of each street word, a city and a state
/// code, and never a digit.
pub(super) fn mask(value: &str) -> String {
    if value.chars().any(is_han) {
        let keep = zh_coarse_prefix(value);
        return format!("{}****", value.get(..keep).unwrap_or(""));
    }
    en_mask(value)
}

/// Byte length of the leading levels that end in a coarse suffix.
fn zh_coarse_prefix(value: &str) -> usize {
    let mut keep = 0;
    while let Some(n) = value.get(keep..).and_then(coarse_level) {
        keep += n;
    }
    keep
}

/// One level at the start of `rest` ending in a coarse suffix (`海淀区`), not
/// a residential one (`望京小区`): its byte length.
fn coarse_level(rest: &str) -> Option<usize> {
    for (count, (i, c)) in rest.char_indices().enumerate() {
        if count > MAX_LEVEL_NAME || !is_han(c) {
            return None;
        }
        let tail = rest.get(i..).unwrap_or("");
        if ["小区", "社区", "开发区"]
            .iter()
            .any(|x| tail.starts_with(x))
        {
            return None;
        }
        if let Some((suffix, coarse)) = ZH_LEVEL_SUFFIXES.iter().find(|(x, _)| tail.starts_with(*x))
        {
            return (*coarse && count > 0).then_some(i + suffix.len());
        }
    }
    None
}

/// `1*** M*** S*****, Springfield, IL *****`.
fn en_mask(value: &str) -> String {
    let (street, locality) = value.split_once(", ").map_or((value, ""), |(a, b)| (a, b));
    let mut out = mask_words(street);
    for part in locality.split(", ").filter(|p| !p.is_empty()) {
        out.push_str(", ");
        let unit = EN_UNIT_WORDS.iter().any(|w| part.starts_with(*w));
        if unit {
            out.push_str(&mask_words(part));
            continue;
        }
        let kept: Vec<String> = part
            .split(' ')
            .map(|w| {
                if w.bytes().any(|b| b.is_ascii_digit()) {
                    "*".repeat(w.len())
                } else {
                    w.to_string()
                }
            })
            .collect();
        out.push_str(&kept.join(" "));
    }
    out
}

/// First character of each word, stars for the rest (digits never kept).
fn mask_words(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut chars = w.chars();
            let first = chars
                .next()
                .filter(|c| !c.is_ascii_digit())
                .map_or('*', |c| c);
            format!("{first}{}", "*".repeat(chars.count().max(1)))
        })
        .collect::<Vec<_>>()
        .join(" ")
}
