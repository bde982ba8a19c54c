//! Validators: the checks a candidate must pass after its pattern matched.
//!
//! Patterns only describe shape; these functions carry the precision
//! (check digits, calendars, number plans, address classes, entropy). Each
//! takes the matched slice and never allocates or panics on any input.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use super::civil::is_valid_date;
use super::tables::{
    CALLING_CODES_2, CALLING_CODES_3, CARD_BRANDS, CN_PROVINCES, FILE_EXTENSION_TLDS,
    GB11643_CHECK, GB11643_WEIGHTS, GB11714_WEIGHTS, GB32100_ALPHABET, GB32100_AUTHORITIES,
    GB32100_WEIGHTS, IBAN_LENGTHS, PLACEHOLDER_CREDENTIALS, PLACEHOLDER_DOMAINS,
    PLACEHOLDER_LOCAL_PARTS, SSN_PUBLISHED_EXAMPLES,
};

/// What validators may consult besides the value: the date that bounds birth
/// dates, and the regions whose numbering plans national phone numbers must fit.
pub(super) struct Env {
    /// yyyymmdd.
    pub today: u32,
    pub regions: Vec<phonenumber::country::Id>,
    /// `[pii] placeholder_domains`, after the built-in table.
    pub placeholder_domains: Vec<String>,
}

impl Env {
    pub(super) fn new(today: u32) -> Env {
        Env {
            today,
            regions: super::phone::default_regions(),
            placeholder_domains: Vec::new(),
        }
    }

    /// A reserved or sample domain, or one below it (`mail.example.com`).
    pub(super) fn placeholder_domain(&self, domain: &str) -> bool {
        let builtin = PLACEHOLDER_DOMAINS.iter().copied();
        let user = self.placeholder_domains.iter().map(String::as_str);
        // `example-domain.com`, `examples.org`: named to be an example.
        let example_label = domain.split('.').any(|l| {
            let l = l.to_ascii_lowercase();
            l == "example" || l.starts_with("example-") || l == "examples"
        });
        example_label || builtin.chain(user).any(|p| is_at_or_below(domain, p))
    }
}

fn is_at_or_below(domain: &str, base: &str) -> bool {
    let (d, b) = (domain.as_bytes(), base.as_bytes());
    d.len() >= b.len()
        && d[d.len() - b.len()..].eq_ignore_ascii_case(b)
        && (d.len() == b.len() || d[d.len() - b.len() - 1] == b'.')
}

/// What a validator concluded about a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Reject,
    Accept(Option<&'static str>),
}

impl Verdict {
    fn from_bool(ok: bool) -> Verdict {
        if ok {
            Verdict::Accept(None)
        } else {
            Verdict::Reject
        }
    }
}

/// Built-in validators. User rules may name any of them in `validator = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Validator {
    None,
    Luhn,
    CardLong,
    CardShort,
    CardAmex,
    Mod97,
    Gb11643,
    Gb11643Legacy,
    Gb32100,
    CnMobile,
    CnLandline,
    Nanp,
    E164,
    PhonePlan,
    PhoneShape,
    UrlCredentials,
    UsSsn,
    Email,
    Ipv4,
    Ipv6,
    CnPassport,
    CnPlate,
    AwsKeyId,
    GithubToken,
    SlackToken,
    OpenAiKey,
    Jwt,
    PemBlock,
    Entropy,
}

/// Validator names as written in configs and hashed into the rules fingerprint.
const NAMES: &[(&str, Validator)] = &[
    ("none", Validator::None),
    ("luhn", Validator::Luhn),
    ("bank_card", Validator::CardLong),
    ("bank_card_short", Validator::CardShort),
    ("amex", Validator::CardAmex),
    ("mod97", Validator::Mod97),
    ("gb11643", Validator::Gb11643),
    ("gb11643_15", Validator::Gb11643Legacy),
    ("gb32100", Validator::Gb32100),
    ("cn_mobile", Validator::CnMobile),
    ("cn_landline", Validator::CnLandline),
    ("nanp", Validator::Nanp),
    ("e164", Validator::E164),
    ("phone_plan", Validator::PhonePlan),
    ("phone_shape", Validator::PhoneShape),
    ("url_credentials", Validator::UrlCredentials),
    ("us_ssn", Validator::UsSsn),
    ("email", Validator::Email),
    ("ipv4", Validator::Ipv4),
    ("ipv6", Validator::Ipv6),
    ("cn_passport", Validator::CnPassport),
    ("cn_plate", Validator::CnPlate),
    ("aws_key_id", Validator::AwsKeyId),
    ("github_token", Validator::GithubToken),
    ("slack_token", Validator::SlackToken),
    ("openai_key", Validator::OpenAiKey),
    ("jwt", Validator::Jwt),
    ("pem", Validator::PemBlock),
    ("entropy", Validator::Entropy),
];

impl Validator {
    pub(super) fn from_name(name: &str) -> Option<Validator> {
        NAMES.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }

    pub(super) fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|&&(_, v)| v == self)
            .map_or("none", |&(n, _)| n)
    }

    /// Whether an accepted value is confirmed by a check digit or a numbering
    /// plan (confidence `high`), not just plausible in shape.
    pub(super) fn confirms(self) -> bool {
        matches!(
            self,
            Validator::Luhn
                | Validator::CardLong
                | Validator::CardShort
                | Validator::CardAmex
                | Validator::Mod97
                | Validator::Gb11643
                | Validator::Gb32100
                | Validator::CnMobile
                | Validator::CnLandline
                | Validator::Nanp
                | Validator::E164
                | Validator::PhonePlan
        )
    }

    /// Whether the check costs microseconds (a numbering-plan parse): the
    /// detector then checks cheaper context words first.
    pub(super) fn costly(self) -> bool {
        matches!(self, Validator::PhonePlan | Validator::E164)
    }

    /// The check under the default environment on `today` (yyyymmdd): for
    /// generators and tests, which need no configured regions or domains.
    #[cfg(any(test, feature = "testkit"))]
    pub(super) fn check(self, value: &str, today: u32) -> Verdict {
        self.check_in(value, &Env::new(today))
    }

    pub(super) fn check_in(self, value: &str, env: &Env) -> Verdict {
        match self {
            Validator::Ipv4 => ipv4(value),
            Validator::Ipv6 => ipv6(value),
            Validator::Email => email(value, env),
            Validator::UrlCredentials => url_credentials(value, env),
            Validator::CardLong => branded_card(value, 16..=19),
            Validator::CardShort => branded_card(value, 12..=15),
            Validator::CardAmex => branded_card(value, 15..=15),
            other => Verdict::from_bool(other.check_bool(value, env)),
        }
    }

    fn check_bool(self, v: &str, env: &Env) -> bool {
        let today = env.today;
        match self {
            Validator::None | Validator::PemBlock => true,
            Validator::Luhn => Folded::alnum(v).is_some_and(|f| f.all_digits() && luhn(f.bytes())),
            Validator::CardLong | Validator::CardShort | Validator::CardAmex => false,
            Validator::Mod97 => iban(v),
            Validator::Gb11643 => gb11643(v, today),
            Validator::Gb11643Legacy => gb11643_legacy(v),
            Validator::Gb32100 => gb32100(v),
            Validator::CnMobile => cn_mobile(v),
            Validator::CnLandline => cn_landline(v),
            Validator::Nanp => Folded::alnum(v).is_some_and(|f| nanp(f.bytes())),
            Validator::E164 => e164(v) && super::phone::valid(v, &env.regions),
            Validator::PhonePlan => phone_shape(v) && super::phone::valid(v, &env.regions),
            Validator::PhoneShape => phone_shape(v),
            Validator::UsSsn => us_ssn(v),
            Validator::CnPassport => cn_passport(v),
            Validator::CnPlate => cn_plate(v),
            Validator::AwsKeyId => aws_key_id(v),
            Validator::GithubToken => github_token(v),
            Validator::SlackToken => slack_token(v),
            Validator::OpenAiKey => openai_key(v),
            Validator::Jwt => jwt(v),
            Validator::Entropy => v.len() >= 16 && shannon(v.as_bytes()) >= 3.0,
            Validator::Ipv4 | Validator::Ipv6 | Validator::Email | Validator::UrlCredentials => {
                false
            }
        }
    }
}

/// The ASCII letters and digits of a candidate, with full-width forms folded
/// to ASCII and every separator dropped. Fixed capacity: no allocation, and
/// anything longer than any identifier we validate is rejected.
pub(super) struct Folded {
    buf: [u8; 64],
    len: usize,
}

impl Folded {
    pub(super) fn alnum(s: &str) -> Option<Folded> {
        let mut f = Folded {
            buf: [0; 64],
            len: 0,
        };
        for c in s.chars() {
            let c = fold_width(c);
            if c.is_ascii_alphanumeric() {
                *f.buf.get_mut(f.len)? = c as u8;
                f.len += 1;
            }
        }
        Some(f)
    }

    pub(super) fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    fn all_digits(&self) -> bool {
        self.bytes().iter().all(u8::is_ascii_digit)
    }
}

/// Full-width digits and Latin letters (U+FF10–FF5A) to their ASCII forms.
pub(super) fn fold_width(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

fn digit(b: u8) -> u32 {
    u32::from(b.wrapping_sub(b'0'))
}

/// Parses up to 8 ASCII digits; callers pass slices already known to be digits.
fn number(d: &[u8]) -> u32 {
    d.iter().fold(0, |n, &b| n * 10 + digit(b))
}

fn all_same(d: &[u8]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

fn is_province(code: &[u8]) -> bool {
    code.len() == 2
        && code.iter().all(u8::is_ascii_digit)
        && CN_PROVINCES.contains(&(number(code) as u8))
}

// ---------------------------------------------------------------- checksums

pub(super) fn luhn(digits: &[u8]) -> bool {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &b)| {
            let v = digit(b);
            if i % 2 == 1 {
                let d = v * 2;
                if d > 9 { d - 9 } else { d }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// GB 11643 check character for the first 17 digits.
pub(super) fn gb11643_check(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17
        .iter()
        .zip(GB11643_WEIGHTS)
        .map(|(&b, w)| digit(b) * w)
        .sum();
    GB11643_CHECK.get((sum % 11) as usize).copied()
}

/// GB 32100 check character for the first 17 characters.
pub(super) fn gb32100_check(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (&c, w) in first17.iter().zip(GB32100_WEIGHTS) {
        sum += gb32100_value(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    GB32100_ALPHABET.get(check as usize).copied()
}

fn gb32100_value(c: u8) -> Option<u32> {
    GB32100_ALPHABET
        .iter()
        .position(|&a| a == c)
        .map(|p| p as u32)
}

/// GB 11714 organisation-code check character for its first 8 characters.
pub(super) fn gb11714_check(first8: &[u8]) -> Option<u8> {
    if first8.len() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (&c, w) in first8.iter().zip(GB11714_WEIGHTS) {
        let v = match c {
            b'0'..=b'9' => digit(c),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return None,
        };
        sum += v * w;
    }
    Some(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        n => b'0' + n as u8,
    })
}

/// ISO 7064 MOD 97-10 over an IBAN already rearranged or not: takes the IBAN
/// in its written order and returns the remainder.
pub(super) fn iban_remainder(iban: &[u8]) -> Option<u32> {
    if iban.len() < 5 {
        return None;
    }
    let (head, tail) = iban.split_at(4);
    let mut rem = 0u32;
    for &c in tail.iter().chain(head) {
        rem = match c {
            b'0'..=b'9' => (rem * 10 + digit(c)) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(c - b'A') + 10) % 97,
            _ => return None,
        };
    }
    Some(rem)
}

// ------------------------------------------------------------ identity cards

fn gb11643(v: &str, today: u32) -> bool {
    let Some(f) = Folded::alnum(v) else {
        return false;
    };
    let d = f.bytes();
    let [first17 @ .., last] = d else {
        return false;
    };
    if d.len() != 18 || !is_province(&d[..2]) {
        return false;
    }
    let date = number(&d[6..14]);
    if !birth_date_ok(date, today) {
        return false;
    }
    gb11643_check(first17) == Some(last.to_ascii_uppercase())
}

fn birth_date_ok(yyyymmdd: u32, today: u32) -> bool {
    let (y, m, d) = (yyyymmdd / 10_000, yyyymmdd / 100 % 100, yyyymmdd % 100);
    y >= 1900 && is_valid_date(y, m, d) && yyyymmdd <= today
}

/// The pre-1999 15-digit id: province, 6-digit birth date 19YYMMDD, sequence.
fn gb11643_legacy(v: &str) -> bool {
    let Some(f) = Folded::alnum(v) else {
        return false;
    };
    let d = f.bytes();
    if d.len() != 15 || !f.all_digits() || !is_province(&d[..2]) {
        return false;
    }
    let yy = number(&d[6..8]);
    let (m, day) = (number(&d[8..10]), number(&d[10..12]));
    is_valid_date(1900 + yy, m, day)
}

fn gb32100(v: &str) -> bool {
    let Some(f) = Folded::alnum(v) else {
        return false;
    };
    let d = f.bytes();
    if d.len() != 18 || !GB32100_AUTHORITIES.contains(&d[0]) || !(b'1'..=b'9').contains(&d[1]) {
        return false;
    }
    if !is_province(&d[2..4]) || gb32100_check(&d[..17]) != Some(d[17]) {
        return false;
    }
    // An all-digit USCC is indistinguishable in shape from other long
    // numbers; demand its embedded GB 11714 organisation code check too.
    !f.all_digits() || gb11714_check(&d[8..16]) == Some(d[16])
}

/// Passport number after its series letter(s): at least 7 digits, not one
/// repeated digit (placeholders like E00000000).
fn cn_passport(v: &str) -> bool {
    Folded::alnum(v).is_some_and(|f| {
        let rest = f.bytes().get(1..).unwrap_or(&[]);
        let letters = rest.iter().take_while(|b| b.is_ascii_uppercase()).count();
        let digits = &rest[letters..];
        digits.len() >= 7 && digits.iter().all(u8::is_ascii_digit) && !all_same(digits)
    })
}

// ------------------------------------------------------------------- cards

/// Groups of digits between separators, e.g. [4, 4, 4, 4].
fn digit_groups(v: &str) -> (usize, [u8; 8], bool) {
    let mut groups = [0u8; 8];
    let mut n = 0usize;
    let mut sep: Option<char> = None;
    let mut consistent = true;
    for c in v.chars() {
        if super::edge::is_digit(c) {
            if let Some(g) = groups.get_mut(n) {
                *g = g.saturating_add(1);
            }
        } else {
            consistent &= sep.is_none_or(|s| s == c);
            sep = Some(c);
            n += 1;
        }
    }
    (n + 1, groups, consistent && n < 8)
}

/// Accepts the layouts printed on cards and statements: 4-4-4-4(-x),
/// 4-6-5 / 4-6-4 (Amex, Diners), 4-4-5 / 4-3-3-3 (13-digit Visa, Maestro)
/// and 6-n (UnionPay); or no separators.
fn card_layout_ok(v: &str) -> bool {
    let (count, groups, consistent) = digit_groups(v);
    if !consistent {
        return false;
    }
    let g = &groups[..count.min(8)];
    match g {
        [_] => true,
        [4, 6, 5] | [4, 6, 4] | [4, 4, 5] | [4, 3, 3, 3] => true,
        [6, rest] => *rest >= 6,
        [init @ .., last] => init.iter().all(|&x| x == 4) && (1..=4).contains(last),
        [] => false,
    }
}

/// Luhn-valid primary account number of `len` digits in a card layout.
fn card(v: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    let Some(f) = Folded::alnum(v) else {
        return false;
    };
    let d = f.bytes();
    len.contains(&d.len()) && f.all_digits() && !all_same(d) && card_layout_ok(v) && luhn(d)
}

/// The scheme whose issuer range holds `digits` and which issues cards of
/// that length: random Luhn-valid numbers (one in ten passes) mostly fall
/// outside every range or have the wrong length for theirs.
pub(super) fn card_brand(digits: &[u8]) -> Option<&'static str> {
    let n = digits.len();
    CARD_BRANDS
        .iter()
        .find(|(_, lo, hi, min, max)| {
            let p = digits.get(..lo.len()).unwrap_or(&[]);
            (usize::from(*min)..=usize::from(*max)).contains(&n)
                && p >= lo.as_bytes()
                && p <= hi.as_bytes()
        })
        .map(|&(brand, ..)| brand)
}

/// A card of `len` digits in a card layout whose brand fits; tagged with it.
fn branded_card(v: &str, len: std::ops::RangeInclusive<usize>) -> Verdict {
    if !card(v, len) {
        return Verdict::Reject;
    }
    let brand = Folded::alnum(v).and_then(|f| card_brand(f.bytes()));
    brand.map_or(Verdict::Reject, |b| Verdict::Accept(Some(b)))
}

fn iban(v: &str) -> bool {
    let Some(f) = Folded::alnum(v) else {
        return false;
    };
    let d = f.bytes();
    let Some(country) = d.get(..2).and_then(|c| std::str::from_utf8(c).ok()) else {
        return false;
    };
    let expected = IBAN_LENGTHS.iter().find(|(c, _)| *c == country);
    let length_ok = expected.is_some_and(|&(_, n)| usize::from(n) == d.len());
    let check = d.get(2..4).filter(|c| c.iter().all(u8::is_ascii_digit));
    let check_ok = check.is_some_and(|c| (2..=98).contains(&number(c)));
    let groups_ok = v.split(' ').rev().skip(1).all(|g| g.len() == 4);
    length_ok && check_ok && groups_ok && iban_remainder(d) == Some(1)
}

// ------------------------------------------------------------------ phones

/// Mainland mobile: 1[3-9] + 9 digits, after an optional 86 / 0086 prefix.
fn cn_mobile(v: &str) -> bool {
    let Some(f) = Folded::alnum(v) else {
        return false;
    };
    let d = f.bytes();
    let national = d
        .strip_prefix(b"0086")
        .or_else(|| d.strip_prefix(b"86").filter(|n| n.len() == 11))
        .unwrap_or(d);
    is_cn_mobile_digits(national)
}

fn is_cn_mobile_digits(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1]) && !all_same(&d[3..])
}

/// Mainland landline: area code (010, 02x, or 0[3-9]xx) then a 7–8 digit
/// subscriber number that does not start with 0 or 1.
fn cn_landline(v: &str) -> bool {
    let (area, subscriber) = split_landline(v);
    let (Some(area), Some(sub)) = (Folded::alnum(area), Folded::alnum(subscriber)) else {
        return false;
    };
    cn_area_and_subscriber(area.bytes(), sub.bytes())
}

/// Splits at the closing parenthesis or first separator; a compact number is
/// split by the known area-code lengths (3 for 010/02x, else 4).
fn split_landline(v: &str) -> (&str, &str) {
    if let Some(close) = v.find([')', '）']) {
        return (v.get(..close).unwrap_or(""), v.get(close..).unwrap_or(""));
    }
    if let Some(sep) = v.find([' ', '-']) {
        return (v.get(..sep).unwrap_or(""), v.get(sep..).unwrap_or(""));
    }
    let mut chars = v.char_indices().map(|(i, c)| (i, fold_width(c)));
    let second = chars.nth(1).map(|(_, c)| c);
    let area_len = if matches!(second, Some('1' | '2')) {
        3
    } else {
        4
    };
    let cut = v.char_indices().nth(area_len).map_or(v.len(), |(i, _)| i);
    (v.get(..cut).unwrap_or(""), v.get(cut..).unwrap_or(""))
}

fn cn_area_and_subscriber(area: &[u8], sub: &[u8]) -> bool {
    let area_ok = matches!(
        area,
        [b'0', b'1', b'0'] | [b'0', b'2', _] | [b'0', b'3'..=b'9', _, _]
    );
    let sub_len_ok = if area.len() == 3 {
        sub.len() == 8
    } else {
        (7..=8).contains(&sub.len())
    };
    area_ok
        && sub_len_ok
        && sub.iter().all(u8::is_ascii_digit)
        && sub.first().is_some_and(|b| (b'2'..=b'9').contains(b))
        && !all_same(sub)
}

/// North American Numbering Plan: NXX-NXX-XXXX, neither part an N11 code.
fn nanp(d: &[u8]) -> bool {
    let d = if d.len() == 11 && d[0] == b'1' {
        &d[1..]
    } else {
        d
    };
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let nxx_ok = |p: &[u8]| p[0] >= b'2' && !(p[1] == b'1' && p[2] == b'1');
    nxx_ok(&d[..3]) && nxx_ok(&d[3..6]) && !all_same(&d[6..])
}

/// `+CC national`: a real ITU country code and 8–15 digits in all. +86 and
/// +1 numbers must also satisfy the Chinese and NANP plans.
fn e164(v: &str) -> bool {
    if !v.starts_with('+') {
        return false;
    }
    let Some(f) = Folded::alnum(v) else {
        return false;
    };
    let d = f.bytes();
    let Some(cc_len) = calling_code_len(d) else {
        return false;
    };
    let national = &d[cc_len..];
    if !(8..=15).contains(&d.len()) || national.len() < 6 || all_same(national) {
        return false;
    }
    match &d[..cc_len] {
        b"86" => is_cn_mobile_digits(national) || cn_national_landline(national),
        b"1" => nanp(national),
        _ => true,
    }
}

/// Cheap plausibility before a plan parse: 7 to 15 digits, not one repeated.
fn phone_shape(v: &str) -> bool {
    let mut digits = [0u8; 24];
    let mut n = 0;
    for c in super::phone::number_part(v).chars().map(fold_width) {
        if c.is_ascii_digit() {
            let Some(slot) = digits.get_mut(n) else {
                return false;
            };
            *slot = c as u8;
            n += 1;
        }
    }
    let d = &digits[..n];
    (7..=15).contains(&n) && !all_same(d)
}

/// A landline dialled from abroad: the area code loses its leading 0.
fn cn_national_landline(d: &[u8]) -> bool {
    let area_len = if matches!(d.first(), Some(b'1' | b'2')) {
        2
    } else {
        3
    };
    let Some((area, sub)) = (area_len <= d.len()).then(|| d.split_at(area_len)) else {
        return false;
    };
    let mut with_trunk = [b'0'; 4];
    with_trunk[1..=area_len].copy_from_slice(area);
    cn_area_and_subscriber(&with_trunk[..=area_len], sub)
}

fn calling_code_len(d: &[u8]) -> Option<usize> {
    if !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    match d.first()? {
        b'1' | b'7' => return Some(1),
        b'0' => return None,
        _ => {}
    }
    let two = number(d.get(..2)?) as u16;
    if CALLING_CODES_2.contains(&two) {
        return Some(2);
    }
    let three = number(d.get(..3)?) as u16;
    CALLING_CODES_3
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&three))
        .then_some(3)
}

// --------------------------------------------------------------- US, email

fn us_ssn(v: &str) -> bool {
    let Some(f) = Folded::alnum(v) else {
        return false;
    };
    let d = f.bytes();
    if d.len() != 9 || !f.all_digits() {
        return false;
    }
    let (area, group, serial) = (number(&d[..3]), number(&d[3..5]), number(&d[5..]));
    let published = SSN_PUBLISHED_EXAMPLES.iter().any(|e| e.as_bytes() == d);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !published
}

fn email(v: &str, env: &Env) -> Verdict {
    let Some((local, domain)) = v.rsplit_once('@') else {
        return Verdict::Reject;
    };
    let local_ok = (1..=64).contains(&local.len())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    if !(local_ok && domain_ok(domain)) {
        return Verdict::Reject;
    }
    let sample_local = PLACEHOLDER_LOCAL_PARTS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(local));
    // `a@d.co`: one-letter mailbox at a one-letter domain, a toy example.
    let toy = local.len() == 1 && domain.split('.').next().is_some_and(|l| l.len() == 1);
    let placeholder = sample_local || toy || env.placeholder_domain(domain);
    Verdict::Accept(placeholder.then_some("placeholder"))
}

/// `scheme://user:password@host`. Sample credentials (`user:pass`, a
/// `${VAR}` or `<password>` template) or an example host make it a
/// `placeholder`; a password of one repeated character is no password.
fn url_credentials(v: &str, env: &Env) -> Verdict {
    let Some((_, rest)) = v.split_once("://") else {
        return Verdict::Reject;
    };
    let Some((creds, host)) = rest.rsplit_once('@') else {
        return Verdict::Reject;
    };
    let Some((user, password)) = creds.split_once(':') else {
        return Verdict::Reject;
    };
    if password.is_empty() || all_same(password.as_bytes()) && password.len() < 3 {
        return Verdict::Reject;
    }
    let sample = |s: &str| {
        s.starts_with(['$', '<', '{', '%', '['])
            || PLACEHOLDER_CREDENTIALS
                .iter()
                .any(|p| p.eq_ignore_ascii_case(s))
    };
    let placeholder = sample(password) || sample(user) && password.len() < 4;
    let placeholder = placeholder || env.placeholder_domain(host);
    Verdict::Accept(placeholder.then_some("placeholder"))
}

fn domain_ok(domain: &str) -> bool {
    if domain.len() > 253 {
        return false;
    }
    let labels_ok = domain
        .split('.')
        .all(|l| (1..=63).contains(&l.len()) && !l.starts_with('-') && !l.ends_with('-'));
    let tld = domain.rsplit('.').next().unwrap_or("");
    let tld_ok = tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && !FILE_EXTENSION_TLDS
            .iter()
            .any(|ext| ext.eq_ignore_ascii_case(tld));
    labels_ok && tld_ok && domain.contains('.')
}

// ---------------------------------------------------------------------- IP

/// An IPv4 address, optionally with a `/len` prefix (then tagged `cidr`: a
/// network, not a host).
fn ipv4(v: &str) -> Verdict {
    let (host, prefix) = split_prefix(v);
    match (Ipv4Addr::from_str(host), prefix) {
        (Ok(_), Some(p)) if p <= 32 => Verdict::Accept(Some("cidr")),
        (Ok(ip), None) => Verdict::Accept(Some(ipv4_class(ip))),
        _ => Verdict::Reject,
    }
}

/// `host/len` into the host and a prefix length (`Some(u32::MAX)` when the
/// length is not a number, which every caller rejects).
fn split_prefix(v: &str) -> (&str, Option<u32>) {
    match v.split_once('/') {
        Some((host, len)) => (host, Some(len.parse().unwrap_or(u32::MAX))),
        None => (v, None),
    }
}

/// The address class as a tag. Every class but `public` names an address
/// that identifies no person on the internet (the non-personal tags of `docs/ARCHITECTURE.md`):
/// loopback, link-local, documentation ranges (RFC 5737), and `private` for
/// RFC 1918, CGNAT 100.64/10, unspecified, broadcast, multicast and reserved.
fn ipv4_class(ip: Ipv4Addr) -> &'static str {
    let o = ip.octets();
    let cgnat = o[0] == 100 && (64..128).contains(&o[1]);
    let documentation = matches!(o, [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _]);
    if ip.is_loopback() {
        "loopback"
    } else if ip.is_link_local() {
        "link_local"
    } else if documentation {
        "documentation"
    } else if ip.is_private()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || o[0] >= 240
        || o[0] == 0
        || cgnat
    {
        "private"
    } else {
        "public"
    }
}

/// IPv6 in any textual form (full, compressed, embedded IPv4, `%zone`,
/// `/len`) via the std parser, but only with at least two non-empty groups
/// and a digit, so `::`, `a::b` or `Foo::bar` in code never count.
fn ipv6(v: &str) -> Verdict {
    let (addr, prefix) = split_prefix(v);
    let (addr, zone) = match addr.split_once('%') {
        Some((a, z)) => (a, Some(z)),
        None => (addr, None),
    };
    let Ok(ip) = Ipv6Addr::from_str(addr) else {
        return Verdict::Reject;
    };
    let groups = addr.split([':', '.']).filter(|g| !g.is_empty()).count();
    let zone_ok = zone.is_none_or(|z| !z.is_empty());
    if groups < 2 || !addr.bytes().any(|b| b.is_ascii_digit()) || !zone_ok {
        return Verdict::Reject;
    }
    match prefix {
        Some(p) if p <= 128 => Verdict::Accept(Some("cidr")),
        Some(_) => Verdict::Reject,
        None => Verdict::Accept(Some(ipv6_class(ip))),
    }
}

fn ipv6_class(ip: Ipv6Addr) -> &'static str {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4_class(v4);
    }
    let first = ip.segments()[0];
    let second = ip.segments()[1];
    if ip.is_loopback() {
        "loopback"
    } else if first & 0xffc0 == 0xfe80 {
        "link_local"
    } else if first == 0x2001 && second == 0x0db8 {
        "documentation"
    } else if ip.is_unspecified() || first & 0xfe00 == 0xfc00 || first & 0xff00 == 0xff00 {
        "private"
    } else {
        "public"
    }
}

// ------------------------------------------------------------------ plates

/// Tail after province + city letter: 5 characters with at least 2 digits,
/// or the 6-character new-energy forms (D/F-class letter first, or 5 digits
/// then D/F).
fn cn_plate(v: &str) -> bool {
    let mut tail = [b'\0'; 8];
    let mut len = 0usize;
    for c in v.chars().skip(2).filter(char::is_ascii_alphanumeric) {
        let Some(slot) = tail.get_mut(len) else {
            return false;
        };
        *slot = c as u8;
        len += 1;
    }
    let tail = &tail[..len];
    let digits = tail.iter().filter(|b| b.is_ascii_digit()).count();
    match tail {
        [_, _, _, _, _] => digits >= 2,
        [first, _, rest @ ..] if rest.len() == 4 => {
            let small = b"ABCDEFGHJK".contains(first) && rest.iter().all(u8::is_ascii_digit);
            let large = tail[..5].iter().all(u8::is_ascii_digit) && matches!(tail[5], b'D' | b'F');
            small || large
        }
        _ => false,
    }
}

// ----------------------------------------------------------------- secrets

/// Shannon entropy in bits per byte.
pub(super) fn shannon(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// AWS access key id. The documentation's `...EXAMPLE` key and degenerate
/// repeats are not credentials.
fn aws_key_id(v: &str) -> bool {
    let body = v.as_bytes().get(4..).unwrap_or(&[]);
    v.len() == 20 && !v.ends_with("EXAMPLE") && shannon(body) >= 2.5
}

fn github_token(v: &str) -> bool {
    let body = v.rsplit('_').next().unwrap_or("");
    body.len() >= 30 && shannon(body.as_bytes()) >= 3.0
}

fn slack_token(v: &str) -> bool {
    v.bytes().any(|b| b.is_ascii_digit()) && shannon(v.as_bytes()) >= 3.0
}

/// OpenAI keys are random base62/base64url: demand all three character
/// classes and high entropy so `sk-learn-compatible-models` stays prose.
fn openai_key(v: &str) -> bool {
    let body = ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-"]
        .iter()
        .find_map(|p| v.strip_prefix(p))
        .unwrap_or("");
    let b = body.as_bytes();
    b.len() >= 20
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_digit)
        && shannon(b) >= 3.5
}

/// header.payload.signature where the header decodes to a JSON object
/// naming an algorithm and the payload to a JSON object.
fn jwt(v: &str) -> bool {
    let mut parts = v.split('.');
    let (Some(header), Some(payload), Some(sig)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let mut buf = [0u8; 384];
    let header_ok = base64url_decode(header, &mut buf)
        .is_some_and(|h| h.starts_with(b"{") && contains(h, b"\"alg\""));
    let payload_ok = base64url_decode(payload, &mut buf).is_some_and(|p| p.starts_with(b"{"));
    header_ok && payload_ok && sig.len() >= 16
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Decodes a prefix of unpadded base64url into `buf` (as much as fits).
fn base64url_decode<'b>(s: &str, buf: &'b mut [u8]) -> Option<&'b [u8]> {
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut n = 0usize;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            let Some(slot) = buf.get_mut(n) else { break };
            *slot = (acc >> bits) as u8;
            acc &= (1 << bits) - 1;
            n += 1;
        }
    }
    buf.get(..n)
}

#[cfg(test)]
mod tests;
