//! Deterministic synthetic corpora.
//!
//! [`labelled_corpus`] builds Chinese and English documents with values of
//! every type inserted both spaced and glued to CJK text, plus look-alike
//! decoys that must not be reported; each document carries its labels.
//! [`mixed_text`] builds realistic mixed zh/en prose with a low density of
//! values, for benchmarks and provaudit's generated test corpus.
//!
//! Every value is generated from a seeded PRNG with computed check
//! characters, reserved example domains and documentation address ranges
//! where they exist: none belongs to a real person or organisation.

pub mod structured;

use super::PiiType;
use super::civil::days_in_month;
use super::tables::{CN_PROVINCES, GB32100_ALPHABET};
use super::validate::{
    Validator, Verdict, gb11643_check, gb11714_check, gb32100_check, iban_remainder, luhn,
};
use crate::synth::Rng;

/// A labelled occurrence: the type and byte span of an inserted value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The type of the inserted value.
    pub pii_type: PiiType,
    /// Byte offset of the value's first byte in `LabelledDoc::text`.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
}

/// A look-alike that a correct detector must not report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decoy {
    /// What the decoy imitates, for failure messages.
    pub kind: &'static str,
    /// Byte offset of the decoy's first byte in `LabelledDoc::text`.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
}

/// One generated document. No `Debug`: the text holds (synthetic) values,
/// and test output should show masks only.
pub struct LabelledDoc {
    /// The document, with the values and decoys in place.
    pub text: String,
    /// Every value a correct detector must report.
    pub labels: Vec<Label>,
    /// Every look-alike a correct detector must not report.
    pub decoys: Vec<Decoy>,
}

/// Words a value needs nearby before it is reported (see the rule table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Resident-ID words (身份证, ID number).
    Id,
    /// Social-security words (SSN).
    Ssn,
    /// Passport words (护照, passport).
    Passport,
    /// Card words (银行卡, card number).
    Card,
    /// Phone words (电话, phone).
    Phone,
    /// A label, title or self-introduction before a Chinese name (姓名：, 我叫).
    ZhName,
    /// A salutation, honorific, intro or closing around an English name.
    EnName,
}

/// A generated value of a known type.
pub struct Value {
    /// The type a detector must report it as.
    pub pii_type: PiiType,
    /// The value as it appears in text (synthetic: valid checks, never a real one).
    pub text: String,
    /// Context words the value needs nearby to be reported, if any.
    pub context: Option<Context>,
}

impl Value {
    fn plain(pii_type: PiiType, text: String) -> Self {
        Value {
            pii_type,
            text,
            context: None,
        }
    }

    fn with_context(pii_type: PiiType, text: String, context: Context) -> Self {
        Value {
            pii_type,
            text,
            context: Some(context),
        }
    }
}

// ------------------------------------------------------------- value makers

const DIGITS: &[u8] = b"0123456789";
const UPPER_NO_IO: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// ASCII digits and X as full-width forms, as typed with a Chinese IME.
pub fn to_full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | 'A'..='Z' | 'a'..='z' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Region code (valid province) + 4 digits.
fn cn_region(rng: &mut Rng) -> String {
    let province = rng.pick(CN_PROVINCES).copied().unwrap_or(11);
    format!(
        "{province:02}{:02}{:02}",
        rng.range(1, 30),
        rng.range(1, 30)
    )
}

/// A valid 18-digit resident id born between 1950 and 2008.
pub fn resident_id(rng: &mut Rng) -> String {
    let y = rng.range(1950, 2008);
    let m = rng.range(1, 12);
    let d = rng.range(1, days_in_month(y, m));
    let body = format!(
        "{}{y:04}{m:02}{d:02}{:03}",
        cn_region(rng),
        rng.range(0, 999)
    );
    let check = gb11643_check(body.as_bytes()).map_or('0', char::from);
    format!("{body}{check}")
}

/// A valid pre-1999 15-digit resident id.
pub fn resident_id_legacy(rng: &mut Rng) -> String {
    let y = rng.range(1930, 1998);
    let m = rng.range(1, 12);
    let d = rng.range(1, days_in_month(y, m));
    format!(
        "{}{:02}{m:02}{d:02}{:03}",
        cn_region(rng),
        y % 100,
        rng.range(0, 999)
    )
}

/// A valid unified social credit code with a valid embedded organisation code.
pub fn uscc(rng: &mut Rng) -> String {
    let authority = rng.pick_byte(b"99995Y1");
    let category = rng.pick_byte(b"1123");
    let org_alphabet: &[u8] = if rng.chance(50) {
        DIGITS
    } else {
        GB32100_ALPHABET
    };
    let org = rng.chars_from(org_alphabet, 8);
    let org_check = gb11714_check(org.as_bytes()).map_or('0', char::from);
    let body = format!("{authority}{category}{}{org}{org_check}", cn_region(rng));
    let check = gb32100_check(body.as_bytes()).map_or('0', char::from);
    format!("{body}{check}")
}

/// Completes `body` with the digit that makes it Luhn-valid.
pub fn with_luhn_digit(body: &str) -> String {
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|s| luhn(s.as_bytes()))
        .unwrap_or_else(|| format!("{body}0"))
}

/// A Luhn-valid card number: (digits, group layout).
fn card_digits(rng: &mut Rng) -> (String, &'static [usize]) {
    match rng.below(6) {
        0 => (
            with_luhn_digit(&format!("62{}", rng.digits(13))),
            &[4, 4, 4, 4],
        ),
        1 => (with_luhn_digit(&format!("62{}", rng.digits(16))), &[6, 13]),
        2 => (
            with_luhn_digit(&format!("4{}", rng.digits(14))),
            &[4, 4, 4, 4],
        ),
        3 => (
            with_luhn_digit(&format!("5{}{}", rng.range(1, 5), rng.digits(13))),
            &[4, 4, 4, 4],
        ),
        4 => (
            with_luhn_digit(&format!("3{}{}", rng.pick_byte(b"47"), rng.digits(12))),
            &[4, 6, 5],
        ),
        _ => (
            with_luhn_digit(&format!("62{}", rng.digits(16))),
            &[4, 4, 4, 4, 3],
        ),
    }
}

fn group(digits: &str, layout: &[usize], sep: &str) -> String {
    let mut out = String::new();
    let mut rest = digits;
    for (i, &n) in layout.iter().enumerate() {
        let (head, tail) = rest.split_at(n.min(rest.len()));
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(head);
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A Luhn-valid card number, grouped or not; short (Diners-style) numbers come
/// with a card-word context.
pub fn bank_card(rng: &mut Rng) -> Value {
    if rng.chance(12) {
        let short = with_luhn_digit(&format!("36{}", rng.digits(11)));
        let text = if rng.chance(50) {
            short
        } else {
            group(&short, &[4, 6, 4], " ")
        };
        return Value::with_context(PiiType::BankCard, text, Context::Card);
    }
    let (digits, layout) = card_digits(rng);
    let text = match rng.below(10) {
        0..=4 => digits,
        5..=7 => group(&digits, layout, " "),
        _ => group(&digits, layout, "-"),
    };
    let text = if rng.chance(8) {
        to_full_width(&text)
    } else {
        text
    };
    Value::plain(PiiType::BankCard, text)
}

fn cn_mobile_digits(rng: &mut Rng) -> String {
    format!("1{}{}", rng.pick_byte(b"3456789"), rng.digits(9))
}

/// A Chinese mobile or landline, NANP or E.164 number in the usual spellings.
pub fn phone(rng: &mut Rng) -> Value {
    match rng.below(20) {
        0..=9 => Value::plain(PiiType::Phone, cn_mobile_format(rng)),
        10..=12 => Value::plain(PiiType::Phone, cn_landline(rng)),
        13 => Value::with_context(PiiType::Phone, cn_landline_compact(rng), Context::Phone),
        14..=16 => Value::plain(PiiType::Phone, nanp(rng)),
        _ => Value::plain(PiiType::Phone, e164(rng)),
    }
}

fn cn_mobile_format(rng: &mut Rng) -> String {
    let m = cn_mobile_digits(rng);
    let (a, rest) = m.split_at(3);
    let (b, c) = rest.split_at(4);
    match rng.below(9) {
        0..=2 => m,
        3 => format!("+86{m}"),
        4 => format!("+86 {a} {b} {c}"),
        5 => format!("{a}-{b}-{c}"),
        6 => format!("{a} {b} {c}"),
        7 => format!("(+86){m}"),
        _ => to_full_width(&m),
    }
}

const AREA_3: &[&str] = &[
    "010", "020", "021", "022", "023", "024", "025", "027", "028", "029",
];
const AREA_4: &[&str] = &[
    "0571", "0755", "0512", "0731", "0371", "0531", "0591", "0898", "0871",
];

fn cn_landline_parts(rng: &mut Rng) -> (&'static str, String) {
    let first = rng.pick_byte(b"23456789");
    if rng.chance(50) {
        (rng.word(AREA_3), format!("{first}{}", rng.digits(7)))
    } else {
        let n = if rng.chance(50) { 6 } else { 7 };
        (rng.word(AREA_4), format!("{first}{}", rng.digits(n)))
    }
}

fn cn_landline(rng: &mut Rng) -> String {
    let (area, sub) = cn_landline_parts(rng);
    match rng.below(4) {
        0 => format!("{area}-{sub}"),
        1 => format!("({area}){sub}"),
        2 => format!("（{area}）{sub}"),
        _ => format!("{area} {sub}"),
    }
}

fn cn_landline_compact(rng: &mut Rng) -> String {
    let (area, sub) = cn_landline_parts(rng);
    format!("{area}{sub}")
}

/// Draws candidates until `ok` accepts one, at most 64 times, then returns
/// the last: generation never loops forever, even when a validator it relies
/// on is broken (the accuracy test then fails instead of hanging).
fn draw<T>(rng: &mut Rng, mut make: impl FnMut(&mut Rng) -> T, ok: impl Fn(&T) -> bool) -> T {
    let mut last = make(rng);
    for _ in 0..64 {
        if ok(&last) {
            break;
        }
        last = make(rng);
    }
    last
}

/// NXX code: 2-9 then two digits, never N11.
fn nxx(rng: &mut Rng) -> String {
    draw(
        rng,
        |rng| format!("{}{}", rng.pick_byte(b"23456789"), rng.digits(2)),
        |code| !code.ends_with("11"),
    )
}

fn nanp(rng: &mut Rng) -> String {
    let (area, exchange, line) = (nxx(rng), nxx(rng), rng.digits(4));
    match rng.below(6) {
        0 => format!("({area}) {exchange}-{line}"),
        1 => format!("{area}-{exchange}-{line}"),
        2 => format!("{area}.{exchange}.{line}"),
        3 => format!("+1 {area} {exchange} {line}"),
        4 => format!("+1-{area}-{exchange}-{line}"),
        _ => format!("+1{area}{exchange}{line}"),
    }
}

fn e164(rng: &mut Rng) -> String {
    let first = rng.pick_byte(b"23456789");
    match rng.below(7) {
        0 => format!("+44 20 {first}{} {}", rng.digits(3), rng.digits(4)),
        1 => format!("+49 30 {first}{}", rng.digits(7)),
        2 => format!("+81 3-{first}{}-{}", rng.digits(3), rng.digits(4)),
        3 => format!(
            "+33 1 {first}{} {} {} {}",
            rng.digits(1),
            rng.digits(2),
            rng.digits(2),
            rng.digits(2)
        ),
        4 => format!("+61 2 {first}{} {}", rng.digits(3), rng.digits(4)),
        5 => format!("+852 {first}{} {}", rng.digits(3), rng.digits(4)),
        _ => format!("+886 2 {first}{} {}", rng.digits(3), rng.digits(4)),
    }
}

const LOCALS: &[&str] = &[
    "zhang.wei",
    "li_na",
    "wang.fang88",
    "john.smith",
    "alice",
    "bob+news",
    "chen.jie",
    "m.garcia",
    "data-team",
    "liu.yang2019",
    "sato.k",
    "info",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "corp.example.org",
    "dept.example.net",
];

/// An address on a reserved example domain.
pub fn email(rng: &mut Rng) -> Value {
    let local = if rng.chance(15) {
        let n = rng.range(5, 9) as usize;
        format!("{}{}", rng.range(1, 9), rng.digits(n))
    } else {
        let base = rng.word(LOCALS);
        if rng.chance(30) {
            format!("{base}{}", rng.digits(2))
        } else {
            base.to_string()
        }
    };
    Value::plain(PiiType::Email, format!("{local}@{}", rng.word(DOMAINS)))
}

/// An IPv4 or IPv6 address, private and documentation ranges included.
pub fn ip_address(rng: &mut Rng) -> Value {
    let r = |rng: &mut Rng, lo, hi| rng.range(lo, hi);
    let text = match rng.below(10) {
        0 => format!(
            "10.{}.{}.{}",
            r(rng, 0, 255),
            r(rng, 0, 255),
            r(rng, 1, 254)
        ),
        1 => format!("192.168.{}.{}", r(rng, 0, 255), r(rng, 1, 254)),
        2 => format!(
            "172.{}.{}.{}",
            r(rng, 16, 31),
            r(rng, 0, 255),
            r(rng, 1, 254)
        ),
        3 => format!("203.0.113.{}", r(rng, 1, 254)),
        4 => format!("198.51.100.{}", r(rng, 1, 254)),
        5 => format!(
            "{}.{}.{}.{}",
            r(rng, 11, 99),
            r(rng, 0, 255),
            r(rng, 0, 255),
            r(rng, 1, 254)
        ),
        6 => format!("2001:db8:{:x}::{:x}", r(rng, 1, 0xffff), r(rng, 1, 0xffff)),
        7 => format!("fe80::{:x}:{:x}", r(rng, 1, 0xffff), r(rng, 1, 0xffff)),
        8 => format!(
            "2001:db8:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
            r(rng, 1, 0xffff),
            r(rng, 0, 0xffff),
            r(rng, 0, 0xffff),
            r(rng, 0, 0xffff),
            r(rng, 0, 0xffff),
            r(rng, 1, 0xffff)
        ),
        _ => format!(
            "fd{:02x}:{:x}::{}",
            r(rng, 0, 255),
            r(rng, 1, 0xffff),
            r(rng, 1, 99)
        ),
    };
    Value::plain(PiiType::IpAddress, text)
}

/// Country, BBAN letter prefix length, BBAN digit count.
const IBAN_SPECS: &[(&str, usize, usize)] = &[
    ("DE", 0, 18),
    ("GB", 4, 14),
    ("FR", 0, 23),
    ("NL", 4, 10),
    ("ES", 0, 20),
    ("IT", 1, 22),
    ("CH", 0, 17),
    ("BE", 0, 12),
    ("PL", 0, 24),
    ("SE", 0, 20),
    ("NO", 0, 11),
    ("AT", 0, 16),
    ("DK", 0, 14),
    ("FI", 0, 14),
    ("IE", 4, 14),
    ("PT", 0, 21),
];

/// (country, bban, correct check digits).
fn iban_parts(rng: &mut Rng) -> (&'static str, String, u32) {
    let &(country, letters, digits) = rng.pick(IBAN_SPECS).unwrap_or(&("DE", 0, 18));
    let bban = format!(
        "{}{}",
        rng.chars_from(UPPER_NO_IO, letters),
        rng.digits(digits)
    );
    let rem = iban_remainder(format!("{country}00{bban}").as_bytes()).unwrap_or(0);
    (country, bban, 98 - rem)
}

fn iban_format(rng: &mut Rng, compact: String) -> String {
    if rng.chance(50) {
        return compact;
    }
    let chunks: Vec<String> = compact
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    chunks.join(" ")
}

/// An IBAN with a computed check, grouped by fours or not.
pub fn iban(rng: &mut Rng) -> Value {
    let (country, bban, check) = iban_parts(rng);
    let text = iban_format(rng, format!("{country}{check:02}{bban}"));
    Value::plain(PiiType::Iban, text)
}

fn ssn_digits(rng: &mut Rng) -> (u32, u32, u32) {
    let mut area = rng.range(1, 899);
    if area == 666 {
        area = 665;
    }
    (area, rng.range(1, 99), rng.range(1, 9999))
}

/// An SSN outside the never-issued ranges; undashed forms need a context word.
pub fn us_ssn(rng: &mut Rng) -> Value {
    let (a, g, s) = ssn_digits(rng);
    match rng.below(10) {
        0..=6 => Value::plain(PiiType::UsSsn, format!("{a:03}-{g:02}-{s:04}")),
        7 | 8 => Value::with_context(PiiType::UsSsn, format!("{a:03}{g:02}{s:04}"), Context::Ssn),
        _ => Value::with_context(
            PiiType::UsSsn,
            format!("{a:03} {g:02} {s:04}"),
            Context::Ssn,
        ),
    }
}

/// A Chinese passport number (E, G or the newer lettered E series).
pub fn cn_passport(rng: &mut Rng) -> Value {
    let text = match rng.below(3) {
        0 => format!("E{}{}", rng.range(1, 9), rng.digits(7)),
        1 => format!("G{}{}", rng.range(1, 9), rng.digits(7)),
        _ => format!(
            "E{}{}{}",
            rng.pick_byte(UPPER_NO_IO),
            rng.range(1, 9),
            rng.digits(6)
        ),
    };
    Value::with_context(PiiType::CnPassport, text, Context::Passport)
}

const PLATE_PROVINCES: &[&str] = &[
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
    "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
];

/// A Chinese licence plate, ordinary or new-energy.
pub fn cn_license_plate(rng: &mut Rng) -> Value {
    let province = rng.word(PLATE_PROVINCES);
    let city = rng.pick_byte(UPPER_NO_IO);
    let tail = match rng.below(10) {
        0..=6 => rng.digits(5),
        7 => {
            let mut t: Vec<char> = rng.digits(5).chars().collect();
            let at = rng.below(5);
            t[at] = rng.pick_byte(UPPER_NO_IO);
            t.into_iter().collect()
        }
        8 => format!(
            "{}{}{}",
            rng.pick_byte(b"DF"),
            rng.pick_byte(UPPER_NO_IO),
            rng.digits(4)
        ),
        _ => format!("{}{}", rng.digits(5), rng.pick_byte(b"DF")),
    };
    let dot = if rng.chance(30) { "·" } else { "" };
    Value::plain(
        PiiType::CnLicensePlate,
        format!("{province}{city}{dot}{tail}"),
    )
}

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(BASE64URL[idx as usize]));
        }
    }
    out
}

/// Random base62 with at least one upper, lower and digit (as real keys have).
fn mixed_token(rng: &mut Rng, alphabet: &[u8], n: usize) -> String {
    draw(
        rng,
        |rng| rng.chars_from(alphabet, n),
        |t| {
            let b = t.as_bytes();
            b.iter().any(u8::is_ascii_uppercase)
                && b.iter().any(u8::is_ascii_lowercase)
                && b.iter().any(u8::is_ascii_digit)
        },
    )
}

/// A token in one of the secret formats the rules know (AWS, GitHub, Slack, ...).
pub fn secret(rng: &mut Rng) -> Value {
    let text = match rng.below(8) {
        0 => format!(
            "AKIA{}",
            rng.chars_from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        ),
        1 => format!("ghp_{}", mixed_token(rng, ALNUM, 36)),
        2 => format!(
            "github_pat_{}_{}",
            mixed_token(rng, ALNUM, 22),
            mixed_token(rng, ALNUM, 59)
        ),
        3 => format!(
            "xoxb-{}-{}-{}",
            rng.digits(12),
            rng.digits(13),
            mixed_token(rng, ALNUM, 24)
        ),
        4 => format!("sk-proj-{}", mixed_token(rng, BASE64URL, 56)),
        5 => format!("sk-{}", mixed_token(rng, ALNUM, 48)),
        6 => jwt(rng),
        _ => pem(rng),
    };
    Value::plain(PiiType::Secret, text)
}

fn jwt(rng: &mut Rng) -> String {
    let header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = format!(
        r#"{{"sub":"{}","iat":{}}}"#,
        rng.digits(8),
        rng.range(1_600_000_000, 1_800_000_000)
    );
    let sig = mixed_token(rng, BASE64URL, 43);
    format!("{header}.{}.{sig}", base64url(claims.as_bytes()))
}

fn pem(rng: &mut Rng) -> String {
    let kind = rng.word(&[
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
        "PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
    ]);
    let lines: Vec<String> = (0..rng.range(2, 5))
        .map(|_| rng.chars_from(BASE64, 64))
        .collect();
    format!(
        "-----BEGIN {kind}-----\n{}\n-----END {kind}-----",
        lines.join("\n")
    )
}

/// A valid value of type `t`, in one of its realistic written forms.
pub fn value(rng: &mut Rng, t: PiiType) -> Value {
    match t {
        PiiType::Email => email(rng),
        PiiType::Phone => phone(rng),
        PiiType::CnResidentId => match rng.below(10) {
            0..=6 => Value::plain(t, resident_id(rng)),
            7 | 8 => Value::plain(t, to_full_width(&resident_id(rng))),
            _ => Value::with_context(t, resident_id_legacy(rng), Context::Id),
        },
        PiiType::CnUscc => Value::plain(t, uscc(rng)),
        PiiType::CnPassport => cn_passport(rng),
        PiiType::BankCard => bank_card(rng),
        PiiType::UsSsn => us_ssn(rng),
        PiiType::Iban => iban(rng),
        PiiType::IpAddress => ip_address(rng),
        PiiType::CnLicensePlate => cn_license_plate(rng),
        PiiType::Secret => secret(rng),
        PiiType::PersonName => person_name(rng),
        PiiType::Address => address(rng),
        // Callers draw from `PiiType::ALL`; a type no generator knows gets a secret.
        PiiType::Other(_) => secret(rng),
    }
}

/// Surnames and given characters of generated Chinese names (common ones;
/// a generated name is a combination, not a person).
const SYNTH_ZH_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳", "司马",
];
const SYNTH_ZH_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "超",
    "秀", "霞", "刚", "英", "华", "玉", "兰", "萍", "红",
];
const SYNTH_EN_FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Linda",
    "Michael",
    "Barbara",
    "William",
    "Elizabeth",
    "David",
    "Jennifer",
    "Richard",
    "Susan",
    "Joseph",
    "Margaret",
];
const SYNTH_EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Moore",
    "Taylor", "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin",
];

/// A generated person name with the context that confirms it.
pub fn person_name(rng: &mut Rng) -> Value {
    if rng.chance(50) {
        let mut name = rng.word(SYNTH_ZH_SURNAMES).to_string();
        for _ in 0..1 + rng.below(2) {
            name.push_str(rng.word(SYNTH_ZH_GIVEN));
        }
        Value::with_context(PiiType::PersonName, name, Context::ZhName)
    } else {
        let name = format!("{} {}", rng.word(SYNTH_EN_FIRST), rng.word(SYNTH_EN_LAST));
        Value::with_context(PiiType::PersonName, name, Context::EnName)
    }
}

const SYNTH_PROVINCES: &[&str] = &["广东省", "浙江省", "江苏省", "北京市", "上海市", "四川省"];
const SYNTH_CITIES: &[&str] = &["深圳市", "杭州市", "南京市", "成都市", "苏州市", ""];
const SYNTH_DISTRICTS: &[&str] = &["南山", "西湖", "鼓楼", "武侯", "海淀", "浦东新", "天河"];
const SYNTH_ROADS: &[&str] = &["中山", "人民", "建设", "解放", "科技", "文化", "学院"];
const SYNTH_STREETS: &[&str] = &[
    "Main", "Oak", "Maple", "Park", "Elm", "Cedar", "Lake", "Hill",
];
const SYNTH_STREET_TYPES: &[&str] = &[
    "Street", "St", "Avenue", "Ave", "Road", "Rd", "Lane", "Drive",
];
const SYNTH_LOCALITIES: &[&str] = &[
    "",
    ", Springfield, IL 62704",
    ", Portland, OR 97205",
    ", Austin, TX 78701",
    ", London SW1A 1AA",
];

/// A generated postal address: a Chinese one from province to room, or an
/// English house number, street and locality.
pub fn address(rng: &mut Rng) -> Value {
    let text = if rng.chance(50) {
        let mut a = format!(
            "{}{}{}区{}路{}号",
            rng.word(SYNTH_PROVINCES),
            rng.word(SYNTH_CITIES),
            rng.word(SYNTH_DISTRICTS),
            rng.word(SYNTH_ROADS),
            rng.range(1, 999)
        );
        if rng.chance(50) {
            a.push_str(&format!("{}栋{}室", rng.range(1, 30), rng.range(101, 2999)));
        }
        a
    } else {
        let unit = if rng.chance(30) {
            format!(", Apt {}", rng.range(1, 40))
        } else {
            String::new()
        };
        format!(
            "{} {} {}{unit}{}",
            rng.range(1, 9999),
            rng.word(SYNTH_STREETS),
            rng.word(SYNTH_STREET_TYPES),
            rng.word(SYNTH_LOCALITIES)
        )
    };
    Value::plain(PiiType::Address, text)
}

// ------------------------------------------------------------------ decoys

/// A look-alike: (kind, text, words that must precede it).
pub fn decoy(rng: &mut Rng) -> (&'static str, String, &'static str) {
    match rng.below(16) {
        0 => ("id_bad_check", id_bad_check(rng), ""),
        1 | 15 => ("luhn_fail", luhn_fail(rng), ""),
        2 => ("mobile_12x", format!("12{}", rng.digits(9)), ""),
        3 => ("ip_octet_over_255", ip_over_255(rng), ""),
        4 => {
            let word = rng.word(&[
                "version ",
                "v",
                "v ",
                "ver. ",
                "版本",
                "版本号：",
                "Version: ",
            ]);
            let v = format!(
                "{}.{}.{}.{}",
                rng.range(0, 20),
                rng.range(0, 30),
                rng.range(0, 99),
                rng.range(0, 999)
            );
            ("version_string", v, word)
        }
        5 => ("date", date(rng), ""),
        6 => ("iban_bad_check", iban_bad_check(rng), ""),
        7 => ("ssn_bad_area", ssn_bad_area(rng), ""),
        8 => ("uscc_bad_check", uscc_bad_check(rng), ""),
        9 => ("hex_digest", rng.chars_from(b"0123456789abcdef", 64), ""),
        10 => ("uuid", uuid(rng), ""),
        11 => ("timestamp_ms", format!("1{}", rng.digits(12)), ""),
        12 => {
            let n = 20 + rng.below(5);
            (
                "long_number",
                format!("{}{}", rng.range(1, 9), rng.digits(n)),
                "",
            )
        }
        13 => {
            let t = format!(
                "{:02}:{:02}:{:02}",
                rng.range(0, 23),
                rng.range(0, 59),
                rng.range(0, 59)
            );
            ("time_of_day", t, "")
        }
        _ => {
            let code = rng.word(&[
                "std::vector<int>",
                "a::b::c",
                "Foo::bar()",
                "sk-learn",
                "xox-xox",
            ]);
            ("code", code.to_string(), "")
        }
    }
}

fn uuid(rng: &mut Rng) -> String {
    let hex = |rng: &mut Rng, n| rng.chars_from(b"0123456789abcdef", n);
    format!(
        "{}-{}-4{}-a{}-{}",
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 3),
        hex(rng, 3),
        hex(rng, 12)
    )
}

/// True if some long-number validator accepts `s`. A decoy must be invalid
/// for every type: an 18-digit number with a wrong id check digit that
/// happens to be Luhn-valid *is* a well-formed card number.
fn valid_as_any_long_number(s: &str) -> bool {
    [
        Validator::Gb11643,
        Validator::Gb32100,
        Validator::CardLong,
        Validator::CardAmex,
        Validator::Mod97,
    ]
    .iter()
    .any(|v| v.check(s, 99991231) != Verdict::Reject)
}

/// An id-shaped number with a wrong check digit.
fn id_bad_check(rng: &mut Rng) -> String {
    let wrong_check = |rng: &mut Rng| {
        let good = resident_id(rng);
        let (body, check) = good.split_at(17);
        let d = (check.parse::<u32>().unwrap_or(9) + rng.range(1, 9)) % 10;
        format!("{body}{d}")
    };
    draw(rng, wrong_check, |s| !valid_as_any_long_number(s))
}

fn luhn_fail(rng: &mut Rng) -> String {
    let valid = with_luhn_digit(&format!("{}{}", rng.range(1, 9), rng.digits(14)));
    let (body, check) = valid.split_at(15);
    let bad = (check.parse::<u32>().unwrap_or(0) + rng.range(1, 9)) % 10;
    let digits = format!("{body}{bad}");
    if rng.chance(50) {
        digits
    } else {
        group(&digits, &[4, 4, 4, 4], " ")
    }
}

fn ip_over_255(rng: &mut Rng) -> String {
    let big = rng.range(256, 999);
    match rng.below(3) {
        0 => format!("192.168.{}.{big}", rng.range(0, 255)),
        1 => format!(
            "{big}.{}.{}.{}",
            rng.range(0, 255),
            rng.range(0, 255),
            rng.range(0, 255)
        ),
        _ => format!("10.{big}.{}.{}", rng.range(0, 255), rng.range(1, 255)),
    }
}

fn date(rng: &mut Rng) -> String {
    let (y, m, d) = (rng.range(1990, 2030), rng.range(1, 12), rng.range(1, 28));
    match rng.below(5) {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{y}/{m:02}/{d:02}"),
        2 => format!("{y}年{m}月{d}日"),
        3 => format!("{d:02}.{m:02}.{y}"),
        _ => format!("{y}{m:02}{d:02}"),
    }
}

fn iban_bad_check(rng: &mut Rng) -> String {
    let (country, bban, check) = iban_parts(rng);
    let wrong = if check > 50 {
        check - rng.range(1, 40)
    } else {
        check + rng.range(1, 40)
    };
    iban_format(rng, format!("{country}{wrong:02}{bban}"))
}

fn ssn_bad_area(rng: &mut Rng) -> String {
    let (_, g, s) = ssn_digits(rng);
    let area = rng.pick(&[0u32, 666, 900, 912, 987]).copied().unwrap_or(0);
    format!("{area:03}-{g:02}-{s:04}")
}

fn uscc_bad_check(rng: &mut Rng) -> String {
    let wrong_check = |rng: &mut Rng| {
        let good = uscc(rng);
        let (body, check) = good.split_at(17);
        let pos = GB32100_ALPHABET
            .iter()
            .position(|&c| check.as_bytes().first() == Some(&c))
            .unwrap_or(0);
        let wrong = GB32100_ALPHABET
            .get((pos + 1 + rng.below(29)) % 31)
            .map_or('0', |&c| char::from(c));
        format!("{body}{wrong}")
    };
    draw(rng, wrong_check, |s| !valid_as_any_long_number(s))
}

// ----------------------------------------------------------------- prose

const ZH_FILLER: &[&str] = &[
    "本数据集收集于2023年，主要用于中文问答模型的训练。",
    "我们对原始网页进行了去重和质量过滤，保留了约百分之六十的内容。",
    "今天天气不错，适合去公园散步。",
    "这篇文章介绍了机器学习的基本概念和常见算法。",
    "模型在第3轮训练后损失明显下降。",
    "用户反馈说界面响应速度比上个版本快了1.5倍。",
    "会议定于下周三下午两点在三楼会议室举行。",
    "请各部门在月底前提交年度总结报告。",
    "该地区的年平均降水量约为800毫米。",
    "城市交通拥堵问题日益严重，需要综合治理。",
    "研究人员发现睡眠质量与记忆力密切相关。",
    "这款手机的电池续航时间达到了两天。",
    "共有45个样本被标注为负面情感。",
    "他毕业于北京大学，现在在上海工作。",
    "公司计划在2025年扩大研发团队的规模。",
    "训练语料包括新闻、百科、论坛和小说等多种来源。",
    "注意：请勿在公共场合泄露个人信息。",
    "根据统计，增长率约为12%，高于预期。",
    "我们使用了开源的分词工具对文本进行处理。",
    "第二章主要讨论了数据标注的规范和流程。",
    "孩子们在操场上踢足球，笑声不断。",
    "这家餐厅的招牌菜是红烧肉和清蒸鱼。",
];

const EN_FILLER: &[&str] = &[
    "The dataset was collected from public web pages in 2022.",
    "We removed near-duplicate documents using MinHash with 128 permutations.",
    "Quality filtering kept roughly 60% of the original tokens.",
    "The weather in the city was mild for most of the year.",
    "Researchers found that sleep quality is linked to memory.",
    "Section 4 describes the annotation guidelines in detail.",
    "The model reached 3.5 perplexity after the second epoch.",
    "Please submit the quarterly report before the end of the month.",
    "Our team reviewed 1200 samples by hand and labeled them.",
    "Traffic congestion keeps getting worse in large cities.",
    "This library supports streaming reads of very large files.",
    "The new release improves throughput by about 40 percent.",
    "She moved to Shanghai after graduating from university.",
    "Training used a cosine schedule with a warmup of 2000 steps.",
    "Most licenses in the corpus are permissive, such as MIT or Apache.",
    "The committee will meet again next Tuesday afternoon.",
    "Each record contains a prompt, a response and a quality score.",
    "We thank the annotators for their careful work.",
];

const ZH_SLOTS: &[&str] = &[
    "请把资料发到{}，我们会尽快处理。",
    "登记信息：{}。",
    "他留下的信息是{}，请核实。",
    "记录{}已经归档。",
    "备注{}待确认",
    "系统日志显示{}。",
    "数据{}来自用户提交。",
    "（{}）",
    "信息为「{}」。",
    "对方提供了{}作为凭证，",
];

const EN_SLOTS: &[&str] = &[
    "Please send it to {} by Friday.",
    "The form lists {} as the contact.",
    "Record: {}.",
    "We found {} in the export.",
    "Details ({}) were redacted later.",
    "See {} for the entry.",
];

fn context_slots(c: Context) -> &'static [&'static str] {
    match c {
        Context::Id => &[
            "身份证号{}，",
            "身份证号码：{}。",
            "公民身份号码 {}",
            "ID card number: {}. ",
        ],
        Context::Ssn => &[
            "SSN {} on file. ",
            "Social Security number: {}. ",
            "his SSN is {}. ",
        ],
        Context::Passport => &[
            "护照号码{}，",
            "护照号：{}。",
            "Passport No. {} ",
            "passport number {}. ",
        ],
        Context::Card => &[
            "银行卡号{}，",
            "卡号：{}。",
            "card number {} ",
            "account {}. ",
        ],
        Context::Phone => &["电话{}，", "联系电话：{}。", "Tel: {} ", "call {} today. "],
        Context::ZhName => &[
            "姓名：{}，",
            "联系人：{}，",
            "收件人{}，",
            "我叫{}。",
            "患者{}，男，",
            "记者{}报道。",
            "，{}先生，",
            "，{}老师说",
        ],
        Context::EnName => &[
            "Dear {},\n",
            "My name is {}. ",
            "Name: {}\n",
            "Mr. {} said ",
            "Regards,\n{}\n",
        ],
    }
}

/// Builds a document left to right, recording spans as values are written.
struct Doc {
    text: String,
    labels: Vec<Label>,
    decoys: Vec<Decoy>,
}

impl Doc {
    fn new() -> Self {
        Doc {
            text: String::new(),
            labels: Vec::new(),
            decoys: Vec::new(),
        }
    }

    fn filler(&mut self, rng: &mut Rng, sentences: usize) {
        for _ in 0..sentences {
            if rng.chance(60) {
                self.text.push_str(rng.word(ZH_FILLER));
            } else {
                self.text.push_str(rng.word(EN_FILLER));
                self.text.push(' ');
            }
        }
    }

    /// Writes `slot` with `{}` replaced by `value`; returns the value's span.
    fn slot(&mut self, slot: &str, value: &str) -> (usize, usize) {
        let (before, after) = slot.split_once("{}").unwrap_or((slot, ""));
        self.text.push_str(before);
        let start = self.text.len();
        self.text.push_str(value);
        let end = self.text.len();
        self.text.push_str(after);
        if !after.ends_with(' ') && after.is_ascii() {
            self.text.push(' ');
        }
        (start, end)
    }

    fn value(&mut self, rng: &mut Rng, v: &Value) {
        let slot = match v.context {
            Some(c) => rng.word(context_slots(c)),
            None if rng.chance(60) => rng.word(ZH_SLOTS),
            None => rng.word(EN_SLOTS),
        };
        let (start, end) = self.slot(slot, &v.text);
        self.labels.push(Label {
            pii_type: v.pii_type.clone(),
            start,
            end,
        });
    }

    fn decoy(&mut self, rng: &mut Rng) {
        let (kind, text, word) = decoy(rng);
        let slot = if rng.chance(60) {
            rng.word(ZH_SLOTS)
        } else {
            rng.word(EN_SLOTS)
        };
        let (before, after) = slot.split_once("{}").unwrap_or((slot, ""));
        let with_word = format!("{before}{word}{{}}{after}");
        let (start, end) = self.slot(&with_word, &text);
        self.decoys.push(Decoy { kind, start, end });
    }
}

/// One labelled document: 1–3 values of random types and 0–2 decoys among
/// zh/en filler sentences.
pub fn labelled_doc(rng: &mut Rng) -> LabelledDoc {
    let mut doc = Doc::new();
    let values = 1 + rng.below(3);
    let decoys = rng.below(3);
    let mut order: Vec<bool> = (0..values)
        .map(|_| true)
        .chain((0..decoys).map(|_| false))
        .collect();
    shuffle(rng, &mut order);
    let n = rng.below(3);
    doc.filler(rng, n);
    for is_value in order {
        if is_value {
            let t = rng.pick(PATTERN_TYPES).cloned().unwrap_or(PiiType::Email);
            let v = value(rng, t);
            doc.value(rng, &v);
        } else {
            doc.decoy(rng);
        }
        let n = rng.below(3);
        doc.filler(rng, n);
    }
    LabelledDoc {
        text: doc.text,
        labels: doc.labels,
        decoys: doc.decoys,
    }
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

/// The types `labelled_doc` and `mixed_text` draw from: those found by
/// pattern rules, the list as it was before names and addresses existed, so
/// the same seed still gives the same documents (and benchmarks stay
/// comparable). Names and addresses join through a side stream
/// ([`labelled_corpus`]).
const PATTERN_TYPES: &[PiiType] = &[
    PiiType::Email,
    PiiType::Phone,
    PiiType::CnResidentId,
    PiiType::CnUscc,
    PiiType::CnPassport,
    PiiType::BankCard,
    PiiType::UsSsn,
    PiiType::Iban,
    PiiType::IpAddress,
    PiiType::CnLicensePlate,
    PiiType::Secret,
];

/// `n` labelled documents from `seed` (same seed, same corpus). About a third
/// end with a person name or an address, drawn from a side stream so the rest
/// of each document is what it was before those types existed.
pub fn labelled_corpus(n: usize, seed: u64) -> Vec<LabelledDoc> {
    let mut rng = Rng::new(seed);
    let mut side = Rng::new(seed ^ 0x5052_4F53_4500);
    (0..n)
        .map(|_| {
            let doc = labelled_doc(&mut rng);
            if side.chance(33) {
                with_prose_value(&mut side, doc)
            } else {
                doc
            }
        })
        .collect()
}

/// `doc` with a person name or an address appended in one of its templates.
fn with_prose_value(rng: &mut Rng, doc: LabelledDoc) -> LabelledDoc {
    let mut d = Doc {
        text: doc.text,
        labels: doc.labels,
        decoys: doc.decoys,
    };
    let t = if rng.chance(50) {
        PiiType::PersonName
    } else {
        PiiType::Address
    };
    d.filler(rng, 1);
    let v = value(rng, t);
    d.value(rng, &v);
    LabelledDoc {
        text: d.text,
        labels: d.labels,
        decoys: d.decoys,
    }
}

/// About `bytes` bytes (never more) of mixed Chinese/English prose in
/// paragraphs, with roughly one PII value per 3 KB and a few look-alikes
/// (dates, versions, bad check digits), cut at a char boundary.
pub fn mixed_text(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut doc = Doc::new();
    while doc.text.len() < bytes {
        for _ in 0..rng.range(3, 8) {
            match rng.below(100) {
                0 | 1 => {
                    let t = rng.pick(PATTERN_TYPES).cloned().unwrap_or(PiiType::Email);
                    let v = value(&mut rng, t);
                    doc.value(&mut rng, &v);
                }
                2 | 3 => doc.decoy(&mut rng),
                _ => doc.filler(&mut rng, 1),
            }
        }
        doc.text.push('\n');
    }
    let mut cut = bytes.min(doc.text.len());
    while !doc.text.is_char_boundary(cut) {
        cut -= 1;
    }
    doc.text.truncate(cut);
    doc.text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_pass_their_validators() {
        let mut rng = Rng::new(7);
        for _ in 0..500 {
            let id = resident_id(&mut rng);
            assert_ne!(Validator::Gb11643.check(&id, 20990101), Verdict::Reject);
            let legacy = resident_id_legacy(&mut rng);
            assert_ne!(Validator::Gb11643Legacy.check(&legacy, 0), Verdict::Reject);
            assert_ne!(
                Validator::Gb32100.check(&uscc(&mut rng), 0),
                Verdict::Reject
            );
            assert_ne!(
                Validator::Mod97.check(&iban(&mut rng).text, 0),
                Verdict::Reject
            );
        }
    }

    #[test]
    fn decoys_fail_their_validators() {
        let mut rng = Rng::new(8);
        for _ in 0..500 {
            assert_eq!(
                Validator::Gb11643.check(&id_bad_check(&mut rng), 20990101),
                Verdict::Reject
            );
            assert_eq!(
                Validator::Mod97.check(&iban_bad_check(&mut rng), 0),
                Verdict::Reject
            );
            assert_eq!(
                Validator::Gb32100.check(&uscc_bad_check(&mut rng), 0),
                Verdict::Reject
            );
            assert_eq!(
                Validator::CardLong.check(&luhn_fail(&mut rng), 0),
                Verdict::Reject
            );
        }
    }

    #[test]
    fn deterministic_and_bounded() {
        assert_eq!(mixed_text(10_000, 3), mixed_text(10_000, 3));
        assert_ne!(mixed_text(10_000, 3), mixed_text(10_000, 4));
        let t = mixed_text(12_345, 9);
        assert!(t.len() <= 12_345 && t.len() > 12_000);
        let a = labelled_corpus(20, 1);
        let b = labelled_corpus(20, 1);
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.text == y.text && x.labels == y.labels)
        );
    }

    #[test]
    fn labels_point_at_values() {
        for doc in labelled_corpus(200, 5) {
            for l in &doc.labels {
                assert!(doc.text.get(l.start..l.end).is_some_and(|v| !v.is_empty()));
            }
        }
    }
}
