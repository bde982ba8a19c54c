//! Context vetoes: checks on the text *around* a candidate that validators,
//! which see only the value, cannot make. Each one encodes a false-positive
//! shape measured on real text (issue 15): arithmetic, quantity lists,
//! outline numbering and versions read as addresses, identity numbers read as
//! cards, ordinary numbers read as local phone numbers.
//!
//! Every veto looks at a bounded neighbourhood (a line, or a few dozen
//! bytes), so its cost does not grow with the text.

use super::edge::{is_digit, preceded_by_word};

/// One context check a rule opts into (rules.rs). A veto returns true when
/// the candidate is something else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Veto {
    /// An operand or result of arithmetic: `12 + 4111…`, `… = 1500`.
    Arithmetic,
    /// Digit groups that are quantities: `150-1200-2000` (every group after
    /// the first a round hundred).
    Quantities,
    /// Dotted numbers that are outline numbering, versions or measurements
    /// rather than IPv4 addresses.
    NotAnAddress,
    /// An 18-digit number after an identity-card word is an id (perhaps with
    /// a wrong check digit), never a bank card.
    IdentityNumber,
    /// A short local number counts only right after a phone word.
    PhoneWordBefore,
    /// A calendar date (`2022-05-01`, `2022.05.01`) is no phone number.
    Date,
    /// The exact written shape of another identifier (a dotted quad, an SSN's
    /// 3-2-4, the tail of a grouped IBAN): loose phone shapes leave those to
    /// their own rules.
    OtherShape,
}

impl Veto {
    pub(super) fn name(self) -> &'static str {
        match self {
            Veto::Arithmetic => "arithmetic",
            Veto::Quantities => "quantities",
            Veto::NotAnAddress => "not_an_address",
            Veto::IdentityNumber => "identity_number",
            Veto::PhoneWordBefore => "phone_word_before",
            Veto::Date => "date",
            Veto::OtherShape => "other_shape",
        }
    }

    pub(super) fn applies(self, text: &str, start: usize, end: usize) -> bool {
        let value = text.get(start..end).unwrap_or("");
        match self {
            Veto::Arithmetic => arithmetic(text, start, end),
            Veto::Quantities => quantities(value),
            Veto::NotAnAddress => not_an_address(text, start, end, value),
            Veto::IdentityNumber => identity_number(text, start, value),
            Veto::PhoneWordBefore => !word_shortly_before(text, start, PHONE_WORDS, 24),
            Veto::Date => is_date(value) || compact_date(value),
            Veto::OtherShape => other_shape(value) || after_iban_groups(text, start),
        }
    }
}

/// Operators of arithmetic, ASCII and full-width. `-` and `/` are left out:
/// they join phone numbers in lists (`010-1234 / 138…`) far more often than
/// they subtract or divide one identifier-sized number by another.
const OPERATORS: &[char] = &[
    '+', '*', '×', '÷', '=', '＝', '＋', '−', '≈', '<', '>', '≤', '≥',
];

/// Words that make a dotted quad a network address.
const NETWORK_WORDS: &[&str] = &[
    "ip",
    "ipv4",
    "address",
    "addr",
    "host",
    "server",
    "dns",
    "gateway",
    "router",
    "ping",
    "subnet",
    "proxy",
    "nginx",
    "ssh",
    "http",
    "listen",
    "bind",
    "地址",
    "服务器",
    "网关",
    "主机",
    "路由",
    "代理",
    "域名",
    "网段",
    "访问",
];

/// Words before a dotted number that make it a version or a section number.
const VERSION_WORDS: &[&str] = &[
    "version",
    "ver",
    "ver.",
    "v",
    "v.",
    "release",
    "build",
    "firmware",
    "版本",
    "版本号",
    "版本號",
    "固件",
    "section",
    "chapter",
    "figure",
    "table",
    "§",
    "第",
];

/// Words that label an identity-card number.
pub(super) const ID_WORDS: &[&str] = &[
    "身份证",
    "身份證",
    "证件号",
    "證件號",
    "公民身份",
    "id card",
    "id no",
    "id number",
    "identity card",
    "identity number",
    "resident id",
    "idcard",
    "id_card",
];

pub(super) const PHONE_WORDS: &[&str] = &[
    "电话", "電話", "手机", "手機", "座机", "联系", "聯繫", "热线", "熱線", "传真", "分机", "致电",
    "拨打", "tel", "phone", "mobile", "cell", "fax", "call", "dial", "contact", "hotline",
];

fn skip_spaces_back(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while i > 0 && matches!(b.get(i - 1), Some(b' ' | b'\t')) {
        i -= 1;
    }
    i
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// `operand op [match]` or `[match] op operand`: an operator with a number
/// (or a closing bracket) on its far side.
fn arithmetic(text: &str, start: usize, end: usize) -> bool {
    let left = {
        let i = skip_spaces_back(text, start);
        char_before(text, i).is_some_and(|op| {
            OPERATORS.contains(&op) && {
                let j = skip_spaces_back(text, i - op.len_utf8());
                char_before(text, j).is_some_and(|c| is_digit(c) || c == ')')
            }
        })
    };
    // A match that starts with `+` is itself read as `operand + number`.
    let signed_operand = text.get(start..).is_some_and(|t| t.starts_with('+'))
        && char_before(text, skip_spaces_back(text, start)).is_some_and(is_digit);
    let right = {
        let rest = text
            .get(end..)
            .unwrap_or("")
            .trim_start_matches([' ', '\t']);
        let mut chars = rest.chars();
        chars.next().is_some_and(|op| {
            OPERATORS.contains(&op) && {
                let after = chars.as_str().trim_start_matches([' ', '\t']);
                after
                    .chars()
                    .next()
                    .is_some_and(|c| is_digit(c) || c == '(')
            }
        })
    };
    left || right || signed_operand
}

/// Groups after the first are all round hundreds: prices, ranges, counts.
fn quantities(value: &str) -> bool {
    let groups: Vec<&str> = value
        .split(|c: char| !is_digit(c))
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() >= 3
        && groups
            .iter()
            .skip(1)
            .all(|g| g.len() >= 3 && (g.ends_with("00") || g.ends_with("００")))
}

/// Dotted quads whose octets are all one or two digits are outline numbers
/// (`1.1.1.1 概述`), versions or measurements unless a network word is near.
/// After a version word only a quad opening with three-digit octets
/// (`190.110.148.227`) stays an address: build numbers are wide, majors are not.
fn not_an_address(text: &str, start: usize, end: usize, value: &str) -> bool {
    let host = value.split('/').next().unwrap_or(value);
    let octets: Vec<usize> = host.split('.').map(str::len).collect();
    if preceded_by_word(text, start, VERSION_WORDS) {
        // Versions open with a small major number; an address whose first
        // octets are three digits wide is written by no version scheme.
        let wide = octets.iter().filter(|&&n| n == 3).count();
        return !(octets.first() == Some(&3) && wide >= 2);
    }
    if octets.iter().any(|&n| n > 2) {
        return false;
    }
    at_line_start(text, start) || !network_word_near(text, start, end)
}

/// Only indentation or list and heading marks before it on its line.
fn at_line_start(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.chars()
        .all(|c| c.is_whitespace() || matches!(c, '#' | '*' | '-' | '>' | '|'))
}

fn network_word_near(text: &str, start: usize, end: usize) -> bool {
    let window = super::edge::context_window(text, start, end);
    let lower = window.to_ascii_lowercase();
    NETWORK_WORDS.iter().any(|w| contains_word(&lower, w))
}

/// `word` in `hay` (lowercase) not glued to ASCII letters on either side, so
/// "ip" is found in "ip: " but not in "ship" or "tips".
fn contains_word(hay: &str, word: &str) -> bool {
    let ascii = word.bytes().all(|b| b.is_ascii_alphabetic());
    hay.match_indices(word).any(|(i, _)| {
        if !ascii {
            return true;
        }
        let b = hay.as_bytes();
        let before_ok = i == 0 || !b.get(i - 1).is_some_and(u8::is_ascii_alphabetic);
        let after_ok = !b.get(i + word.len()).is_some_and(u8::is_ascii_alphabetic);
        before_ok && after_ok
    })
}

/// `yyyy-mm-dd` (or `.`/`/`), optionally with more after it: years 1900–2099.
fn is_date(value: &str) -> bool {
    let mut groups = value.split(['-', '.', '/']);
    let (Some(y), Some(m), Some(d)) = (groups.next(), groups.next(), groups.next()) else {
        return false;
    };
    let num = |g: &str| g.parse::<u32>().ok();
    let ymd = |y: &str, m: &str, d: &str| {
        let year_ok = y.len() == 4 && num(y).is_some_and(|y| (1900..=2099).contains(&y));
        let month_ok = m.len() <= 2 && num(m).is_some_and(|m| (1..=12).contains(&m));
        let day_ok = d.len() <= 2 && num(d).is_some_and(|d| (1..=31).contains(&d));
        year_ok && month_ok && day_ok
    };
    ymd(y, m, d) || ymd(d, m, y)
}

/// `20240315`: eight digits that read as a date.
fn compact_date(value: &str) -> bool {
    value.len() == 8
        && value.bytes().all(|b| b.is_ascii_digit())
        && is_date(&format!("{}-{}-{}", &value[..4], &value[4..6], &value[6..]))
}

fn other_shape(value: &str) -> bool {
    let lens = |sep: char| -> Vec<usize> { value.split(sep).map(str::len).collect() };
    let dotted = lens('.');
    let quad = dotted.len() == 4 && dotted.iter().all(|&n| (1..=3).contains(&n));
    quad || lens('-') == [3, 2, 4]
}

/// Right after `GB82 WEST ` (an IBAN's country, check digits and groups).
fn after_iban_groups(text: &str, start: usize) -> bool {
    let mut lo = start.saturating_sub(48);
    while lo > 0 && !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let before = text.get(lo..start).unwrap_or("");
    let Some(head) = before.strip_suffix(' ') else {
        return false;
    };
    let groups: Vec<&str> = head.rsplit(' ').collect();
    let is_group = |g: &str| {
        g.len() == 4
            && g.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    let opens_iban = |g: &str| {
        let b = g.as_bytes();
        b.len() >= 4
            && b[b.len() - 4..b.len() - 2]
                .iter()
                .all(u8::is_ascii_uppercase)
            && b[b.len() - 2..].iter().all(u8::is_ascii_digit)
    };
    groups
        .iter()
        .take_while(|g| is_group(g) || opens_iban(g))
        .any(|g| opens_iban(g))
}

fn identity_number(text: &str, start: usize, value: &str) -> bool {
    let digits = value.chars().filter(|&c| is_digit(c)).count();
    digits == 18 && word_shortly_before(text, start, ID_WORDS, 48)
}

/// One of `words` (ASCII case-insensitive) within `span` bytes before `start`.
fn word_shortly_before(text: &str, start: usize, words: &[&str], span: usize) -> bool {
    let mut lo = start.saturating_sub(span);
    while lo > 0 && !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let before = text.get(lo..start).unwrap_or("").to_ascii_lowercase();
    words.iter().any(|w| contains_word(&before, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> (usize, usize) {
        let s = text.find(needle).unwrap_or(0);
        (s, s + needle.len())
    }

    fn vetoed(v: Veto, text: &str, needle: &str) -> bool {
        let (s, e) = at(text, needle);
        v.applies(text, s, e)
    }

    #[test]
    fn arithmetic_operands_and_results() {
        assert!(vetoed(
            Veto::Arithmetic,
            "12 + 4000123412341234",
            "4000123412341234"
        ));
        assert!(vetoed(
            Veto::Arithmetic,
            "4000123412341234 × 3 =",
            "4000123412341234"
        ));
        assert!(vetoed(Veto::Arithmetic, "3 = 13800138000", "13800138000"));
        assert!(vetoed(Veto::Arithmetic, "100 +2012345678", "+2012345678"));
        assert!(!vetoed(
            Veto::Arithmetic,
            "phone=13800138000",
            "13800138000"
        ));
        assert!(!vetoed(
            Veto::Arithmetic,
            "电话 +2012345678。",
            "+2012345678"
        ));
        assert!(!vetoed(
            Veto::Arithmetic,
            "010-1234 / 13800138000",
            "13800138000"
        ));
    }

    #[test]
    fn round_groups_are_quantities() {
        assert!(Veto::Quantities.applies("150-1200-2000", 0, 13));
        assert!(!Veto::Quantities.applies("138-1234-5678", 0, 13));
        assert!(!Veto::Quantities.applies("13812002000", 0, 11));
    }

    #[test]
    fn outline_versions_and_measurements_are_not_addresses() {
        assert!(vetoed(Veto::NotAnAddress, "1.1.1.1 概述", "1.1.1.1"));
        assert!(vetoed(Veto::NotAnAddress, "## 2.3.1.4 方法", "2.3.1.4"));
        assert!(vetoed(Veto::NotAnAddress, "version 10.2.3.4", "10.2.3.4"));
        assert!(vetoed(
            Veto::NotAnAddress,
            "大小约 12.5.3.10 之间",
            "12.5.3.10"
        ));
        assert!(!vetoed(
            Veto::NotAnAddress,
            "server at 10.2.3.4",
            "10.2.3.4"
        ));
        let v = "version 190.110.148.227";
        assert!(!vetoed(Veto::NotAnAddress, v, "190.110.148.227"));
    }

    #[test]
    fn id_context_is_not_a_card() {
        let t = "身份证号：110101199003071234";
        assert!(vetoed(Veto::IdentityNumber, t, "110101199003071234"));
        let t = "卡号：6222021234567890123";
        assert!(!vetoed(Veto::IdentityNumber, t, "6222021234567890123"));
    }

    #[test]
    fn other_identifier_shapes() {
        assert!(Veto::OtherShape.applies("56.78.90.12", 0, 11));
        assert!(Veto::OtherShape.applies("219-45-6789", 0, 11));
        assert!(!Veto::OtherShape.applies("06.12.34.56.78", 0, 14));
        let iban = "GB82 WEST 1234 5698 7654 32";
        assert!(Veto::OtherShape.applies(iban, 10, iban.len()));
        assert!(!Veto::OtherShape.applies("Tel 1234 5698", 4, 13));
    }

    #[test]
    fn dates_are_not_phones() {
        assert!(Veto::Date.applies("2022-05-01", 0, 10));
        assert!(Veto::Date.applies("2022.5.1", 0, 8));
        assert!(!Veto::Date.applies("2022-5678", 0, 9));
        assert!(Veto::Date.applies("15.03.2024", 0, 10));
        assert!(Veto::Date.applies("20240315", 0, 8));
        assert!(!Veto::Date.applies("0612-34-56", 0, 10));
    }

    #[test]
    fn local_numbers_need_a_phone_word_before() {
        assert!(!vetoed(
            Veto::PhoneWordBefore,
            "Call 555-0123 today",
            "555-0123"
        ));
        assert!(!vetoed(Veto::PhoneWordBefore, "电话：8123456", "8123456"));
        assert!(vetoed(
            Veto::PhoneWordBefore,
            "in 555-0123 cases",
            "555-0123"
        ));
    }
}
