//! The built-in lexicons (text files beside this module, compiled in) and their parser.
//! Data only: terms are added or removed in `lexicon/*.txt`, never in code. The parser
//! also reads the plain-text safety lexicons (`analyze::safety::lexicon`): same lines,
//! same `[group]` headers and `!` exclusions.

use super::SensitiveCategory;

/// Each category's built-in terms, in category order.
pub(super) const LEXICONS: &[(SensitiveCategory, &str)] = &[
    (
        SensitiveCategory::Health,
        include_str!("lexicon/health.txt"),
    ),
    (
        SensitiveCategory::Biometric,
        include_str!("lexicon/biometric.txt"),
    ),
    (
        SensitiveCategory::Religion,
        include_str!("lexicon/religion.txt"),
    ),
    (
        SensitiveCategory::SpecificIdentity,
        include_str!("lexicon/specific_identity.txt"),
    ),
    (
        SensitiveCategory::FinancialAccount,
        include_str!("lexicon/financial_account.txt"),
    ),
    (
        SensitiveCategory::Whereabouts,
        include_str!("lexicon/whereabouts.txt"),
    ),
    (SensitiveCategory::Minor, include_str!("lexicon/minor.txt")),
];

/// References to a person (first person, a named subject, a third person with a
/// disclosure verb) and the vetoes that cancel a cue inside them.
pub(super) const PERSON_CUES: &str = include_str!("lexicon/person.txt");

/// What a group's hits must pass besides the term itself (`[group: check]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Check {
    /// The term alone.
    None,
    /// The number right before the term is below 14 (PIPL's age for a minor's data):
    /// `8岁`, `十二岁`, `5-year-old`.
    Under14,
}

impl Check {
    /// The name written in a group header, also hashed into the rules fingerprint.
    pub(super) fn name(self) -> &'static str {
        match self {
            Check::None => "",
            Check::Under14 => "under_14",
        }
    }

    fn from_name(name: &str) -> Option<Check> {
        match name {
            "" => Some(Check::None),
            "under_14" => Some(Check::Under14),
            _ => None,
        }
    }
}

/// One line of a lexicon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// The literal searched for.
    pub term: &'a str,
    /// The `[group]` it is listed under (`""` before any header).
    pub group: &'a str,
    /// The group's check.
    pub check: Check,
    /// A `!TERM` line: where it matches, cues inside it do not count.
    pub veto: bool,
}

/// The entries of a lexicon text; errs with the 1-based line of a malformed header,
/// an unknown check or an empty veto.
pub(crate) fn parse(text: &str) -> Result<Vec<Entry<'_>>, String> {
    let mut out = Vec::new();
    let mut group = "";
    let mut check = Check::None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let inner = header
                .strip_suffix(']')
                .ok_or_else(|| format!("line {}: unclosed group header", n + 1))?;
            let (name, check_name) = inner.split_once(':').unwrap_or((inner, ""));
            group = name.trim();
            check = Check::from_name(check_name.trim())
                .ok_or_else(|| format!("line {}: unknown check", n + 1))?;
            continue;
        }
        let (term, veto) = match line.strip_prefix('!') {
            Some(rest) => (rest.trim(), true),
            None => (line, false),
        };
        if term.is_empty() {
            return Err(format!("line {}: empty term", n + 1));
        }
        out.push(Entry {
            term,
            group,
            check,
            veto,
        });
    }
    Ok(out)
}

/// A character before a number (spaces between) that makes it no age: an operator,
/// a range's dash.
const NOT_AN_AGE_BEFORE: &[char] = &['+', '-', '*', '/', '×', '=', '＋', '－', '~', '～'];

/// Number words below 14, for `five-year-old`.
const SMALL_NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
];

/// Chinese numerals and their values (`十` is handled as a multiplier).
const CN_DIGITS: &[(char, u32)] = &[
    ('零', 0),
    ('一', 1),
    ('二', 2),
    ('两', 2),
    ('三', 3),
    ('四', 4),
    ('五', 5),
    ('六', 6),
    ('七', 7),
    ('八', 8),
    ('九', 9),
];

/// The number written right before `end` in `text` (spaces and hyphens between are
/// skipped): ASCII or full-width digits, Chinese numerals up to 99, or an English
/// number word below 14. `None` when there is none.
pub(super) fn number_before(text: &str, end: usize) -> Option<u32> {
    let head = text.get(..end)?.trim_end_matches([' ', '-', '\u{3000}']);
    let (mut value, mut place, mut count) = (0u32, 1u32, 0);
    let mut rest = head.chars().rev().peekable();
    while let Some(&c) = rest.peek() {
        let d = match c {
            '0'..='9' => u32::from(c) - u32::from('0'),
            '０'..='９' => u32::from(c) - u32::from('０'),
            _ => break,
        };
        if count == 3 {
            return None; // a year or an id, not an age
        }
        value += d * place;
        place *= 10;
        count += 1;
        rest.next();
    }
    if count > 0 {
        // `38.4`, `1,5`, `X + 3`, `3-5`: a fraction, a term of a sum or a range is no
        // age (`my son, 5 years old` is).
        let glued = rest.peek().is_some_and(|c| matches!(c, '.' | ','));
        let operator = rest
            .find(|c| *c != ' ')
            .is_some_and(|c| NOT_AN_AGE_BEFORE.contains(&c));
        return (!glued && !operator).then_some(value);
    }
    if let Some(n) = chinese_number_before(head) {
        return Some(n);
    }
    let word_start = head
        .bytes()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let word = head.get(word_start..)?;
    SMALL_NUMBER_WORDS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|&(_, n)| n)
}

/// `三` → 3, `十二` → 12, `二十` → 20, `三十五` → 35, at the end of `head`.
fn chinese_number_before(head: &str) -> Option<u32> {
    let digit = |c: char| CN_DIGITS.iter().find(|(d, _)| *d == c).map(|&(_, v)| v);
    let mut chars = head.chars().rev();
    let last = chars.next()?;
    if last == '十' {
        let tens = chars.next().and_then(digit).unwrap_or(1);
        return Some(tens * 10);
    }
    let ones = digit(last)?;
    match chars.next() {
        Some('十') => Some(chars.next().and_then(digit).unwrap_or(1) * 10 + ones),
        _ => Some(ones),
    }
}

/// Words that end an organisation's name. A term that begins one (`基督教人民党`,
/// `佛教协会`, `残疾人联合会`) names the organisation, not a belief or a condition of a
/// person, so it is no disclosure. Found on ner-public (a party's name beside its named
/// leader). `会` alone is left out: it is also "will".
const ORGANISATION_ENDS: &[&str] = &[
    "党",
    "协会",
    "联合会",
    "委员会",
    "学会",
    "基金会",
    "联盟",
    "组织",
    "团体",
    "大学",
    "学院",
    "医院",
    "中学",
    "小学",
    "出版社",
    "电视台",
];

/// How many characters after a term an organisation's name may still run before its end
/// word (`基督教` + `人民` + `党`).
const ORGANISATION_GAP: usize = 3;

/// Whether the term ending at `end` begins an organisation's name: an end word within a
/// few Han characters, with no punctuation or space between.
pub(super) fn begins_organisation(text: &str, end: usize) -> bool {
    let Some(rest) = text.get(end..) else {
        return false;
    };
    for (i, c) in rest.char_indices().take(ORGANISATION_GAP + 1) {
        let tail = rest.get(i..).unwrap_or("");
        if ORGANISATION_ENDS.iter().any(|w| tail.starts_with(w)) {
            return true;
        }
        if !is_han(c) {
            return false;
        }
    }
    false
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}
