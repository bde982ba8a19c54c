//! The generated structured-type set: every card brand and length, phones of every
//! default region in international, national, regrouped, trunk-prefix, extension and
//! short local layouts, IPv4 and IPv6 forms, resident IDs, SSNs and IBANs, each written
//! once into a short Chinese or English sentence, some after a context word.
//!
//! Recall on it is the CI floor of every structured type (`tests/pii_real_text.rs`,
//! `tests/eval_pii.rs`), and `examples/pii_gen_labelled.rs` writes it in the labelled
//! format of `provaudit eval-pii`, so the command measures the same figure. Values are
//! synthetic: computed check digits, numbers drawn from the ranges the plans assign.

use phonenumber::Mode;

use crate::analyze::pii::PiiType;
use crate::synth::Rng;

/// One generated text: the value's kind and type, and its byte span in `text`.
pub struct Generated {
    /// The type and layout of the value, e.g. `card.amex15`.
    pub kind: String,
    /// The type a detector must report.
    pub pii_type: PiiType,
    /// The sentence with the value in place. No `Debug`: it holds a (synthetic) value.
    pub text: String,
    /// Byte offset of the value's first byte.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
}

/// `n` generated texts from `seed`, one value each.
pub fn set(n: usize, seed: u64) -> Vec<Generated> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| text(&mut rng)).collect()
}

/// The seed and size of the set whose recall is the CI floor.
pub const SEED: u64 = 0x15_2026;
/// Texts in that set.
pub const SIZE: usize = 6000;

/// A value in one of its templates, between two filler sentences.
fn text(rng: &mut Rng) -> Generated {
    let v = value(rng);
    let template = rng.word(v.context);
    let text = format!(
        "{} {} {}",
        rng.word(FILLER),
        template.replace("{}", &v.text),
        rng.word(FILLER)
    );
    let start = text.find(&v.text).unwrap_or(0);
    Generated {
        end: start + v.text.len(),
        start,
        kind: v.kind,
        pii_type: v.pii_type,
        text,
    }
}

fn grouped(d: &str, layout: &[usize], sep: &str) -> String {
    let mut out = String::new();
    let mut rest = d;
    for (i, &n) in layout.iter().enumerate() {
        let (head, tail) = rest.split_at(n.min(rest.len()));
        if i > 0 && !head.is_empty() {
            out.push_str(sep);
        }
        out.push_str(head);
        rest = tail;
    }
    if !rest.is_empty() {
        out.push_str(sep);
        out.push_str(rest);
    }
    out
}

/// One generated value: its kind (for per-layout recall), type, text, and
/// whether it is written after a context word of its type.
pub struct Value {
    /// The type and layout, e.g. `card.amex15` or `phone.trunk_prefix`.
    pub kind: String,
    /// The type a detector must report it as.
    pub pii_type: PiiType,
    /// The value as written.
    pub text: String,
    /// Templates (`{}` is the value) it may be written in: context words for the
    /// shapes that need one.
    pub context: &'static [&'static str],
}

const CARD_WORDS: &[&str] = &[
    "卡号：{}。",
    "card number {} ",
    "银行卡号{}，",
    "Card no. {}. ",
];
const PHONE_WORDS: &[&str] = &[
    "电话：{}。",
    "Tel: {} ",
    "call me at {} today.",
    "联系电话{}，",
];
const PLAIN: &[&str] = &[
    "{}",
    "请核对{}是否正确。",
    "The value {} was in the export. ",
    "（{}）",
    "记录：{}；",
    "see {} for details",
];

/// (kind, prefix, length, group layout) of every card brand and length.
const CARDS: &[(&str, &str, usize, &[usize])] = &[
    ("maestro12", "50", 12, &[4, 4, 4]),
    ("maestro13", "58", 13, &[4, 4, 5]),
    ("visa13", "4", 13, &[4, 4, 5]),
    ("diners14", "36", 14, &[4, 6, 4]),
    ("maestro14", "67", 14, &[4, 4, 4, 2]),
    ("amex15", "37", 15, &[4, 6, 5]),
    ("maestro15", "63", 15, &[4, 4, 4, 3]),
    ("visa16", "4", 16, &[4, 4, 4, 4]),
    ("mastercard16", "53", 16, &[4, 4, 4, 4]),
    ("mastercard2_16", "2223", 16, &[4, 4, 4, 4]),
    ("unionpay16", "62", 16, &[4, 4, 4, 4]),
    ("jcb16", "3530", 16, &[4, 4, 4, 4]),
    ("discover16", "6011", 16, &[4, 4, 4, 4]),
    ("unionpay17", "62", 17, &[4, 4, 4, 4, 1]),
    ("unionpay18", "62", 18, &[6, 12]),
    ("maestro18", "50", 18, &[4, 4, 4, 4, 2]),
    ("unionpay19", "62", 19, &[6, 13]),
    ("visa19", "4", 19, &[4, 4, 4, 4, 3]),
];

fn card(rng: &mut Rng) -> Value {
    let &(kind, prefix, len, layout) = &CARDS[rng.below(CARDS.len())];
    let digits = loop {
        let d = super::with_luhn_digit(&format!("{prefix}{}", rng.digits(len - prefix.len() - 1)));
        // A Luhn number whose groups are all round hundreds reads as prices.
        if !d.ends_with("00") {
            break d;
        }
    };
    let text = match rng.below(3) {
        0 => digits,
        1 => grouped(&digits, layout, " "),
        _ => grouped(&digits, layout, "-"),
    };
    // Short cards need a card word near them; long ones need none.
    let context = if len < 16 || rng.below(2) == 0 {
        CARD_WORDS
    } else {
        PLAIN
    };
    Value {
        kind: format!("card.{kind}"),
        pii_type: PiiType::BankCard,
        text,
        context,
    }
}

/// Number templates per region: `#` is a random digit. Each is a range the
/// region's plan assigns; the generator keeps only what the plan accepts.
const PLAN_SHAPES: &[(&str, &str)] = &[
    ("CN", "13#########"),
    ("HK", "9#######"),
    ("TW", "9########"),
    ("US", "2#2#######"),
    ("CA", "4162######"),
    ("GB", "7700######"),
    ("GB", "20794#####"),
    ("DE", "3012345###"),
    ("DE", "15123######"),
    ("FR", "6########"),
    ("FR", "1423#####"),
    ("IN", "98#######"),
    ("JP", "90########"),
    ("JP", "312345###"),
    ("KR", "10########"),
    ("SG", "9#######"),
    ("AU", "412######"),
    ("AU", "29#######"),
    ("BR", "119########"),
    ("BR", "1134######"),
];

fn plan_number(rng: &mut Rng) -> (String, phonenumber::PhoneNumber) {
    loop {
        let (region, shape) = PLAN_SHAPES[rng.below(PLAN_SHAPES.len())];
        let national: String = shape
            .chars()
            .map(|c| {
                if c == '#' {
                    char::from(b'0' + rng.below(10) as u8)
                } else {
                    c
                }
            })
            .collect();
        let Ok(id) = region.parse() else { continue };
        if let Ok(n) = phonenumber::parse(Some(id), &national)
            && phonenumber::is_valid(&n)
        {
            return (region.to_string(), n);
        }
    }
}

/// European and Latin American groupings of a national number.
fn regroup(national: &str, rng: &mut Rng) -> String {
    let d: String = national.chars().filter(char::is_ascii_digit).collect();
    let layouts: &[&[usize]] = match d.len() {
        10 => &[&[4, 2, 2, 2], &[2, 2, 2, 2, 2], &[3, 3, 4]],
        9 => &[&[3, 3, 3], &[3, 2, 2, 2]],
        _ => &[&[4, 4]],
    };
    let layout = layouts[rng.below(layouts.len())];
    let sep = rng.word(&[" ", ".", "-"]);
    grouped(&d, layout, sep)
}

fn phone(rng: &mut Rng) -> Value {
    let (region, n) = plan_number(rng);
    let international = n.format().mode(Mode::International).to_string();
    let national = n.format().mode(Mode::National).to_string();
    let (kind, text, context) = match rng.below(8) {
        0 | 1 => ("international", international, PLAIN),
        2 => {
            // `+44 (0)20 …`: the trunk prefix written in brackets.
            let (cc, rest) = international.split_once(' ').unwrap_or(("", ""));
            (
                "trunk_prefix",
                format!("{cc} (0){rest}"),
                if region == "GB" || region == "DE" {
                    PLAIN
                } else {
                    return phone(rng);
                },
            )
        }
        3 => (
            "international_ext",
            format!("{international} ext. {}", rng.digits(3)),
            PLAIN,
        ),
        4 | 5 => ("national", national, PHONE_WORDS),
        6 => ("national_regrouped", regroup(&national, rng), PHONE_WORDS),
        _ => {
            let local = format!("{}{}", 2 + rng.below(8), rng.digits(6));
            let text = if rng.below(2) == 0 {
                format!("{}-{}", &local[..3], &local[3..])
            } else {
                local
            };
            (
                "local7",
                text,
                &["Call {} now", "电话：{}", "Phone: {}. "][..],
            )
        }
    };
    if kind == "national_regrouped" && !region_plans_accept(&text) {
        return phone(rng);
    }
    Value {
        kind: format!("phone.{kind}"),
        pii_type: PiiType::Phone,
        text,
        context,
    }
}

/// A regrouped national number still names a valid number in some default region.
fn region_plans_accept(text: &str) -> bool {
    crate::analyze::pii::DEFAULT_PHONE_REGIONS
        .iter()
        .filter_map(|r| r.parse().ok())
        .any(|r| phonenumber::parse(Some(r), text).is_ok_and(|n| phonenumber::is_valid(&n)))
}

fn email(rng: &mut Rng) -> Value {
    let local = format!(
        "{}.{}{}",
        rng.word(&["li", "wang", "zhang", "anna", "jose", "kim"]),
        rng.word(&["wei", "lee", "park", "smith", "chen"]),
        rng.digits(2)
    );
    let domain = rng.word(&[
        "qq.com",
        "163.com",
        "gmail.com",
        "outlook.com",
        "tsinghua.edu.cn",
    ]);
    Value {
        kind: "email".into(),
        pii_type: PiiType::Email,
        text: format!("{local}@{domain}"),
        context: PLAIN,
    }
}

/// An IPv4 address with a first octet in 101..=190 (mostly public ranges).
fn ipv4(rng: &mut Rng) -> String {
    format!(
        "{}.{}.{}.{}",
        101 + rng.below(90),
        rng.below(256),
        rng.below(256),
        1 + rng.below(254)
    )
}

fn ip(rng: &mut Rng) -> Value {
    let (kind, text) = match rng.below(5) {
        0 | 1 => ("ipv4", ipv4(rng)),
        2 => (
            "ipv6_compressed",
            format!(
                "2400:{:x}:{:x}::{:x}",
                rng.below(65536),
                rng.below(65536),
                1 + rng.below(65535)
            ),
        ),
        3 => (
            "ipv6_full",
            (0..8)
                .map(|i| format!("{:x}", if i == 0 { 0x2408 } else { rng.below(65536) }))
                .collect::<Vec<_>>()
                .join(":"),
        ),
        _ => ("ipv6_embedded_v4", format!("64:ff9b::{}", ipv4(rng))),
    };
    Value {
        kind: format!("ip.{kind}"),
        pii_type: PiiType::IpAddress,
        text,
        context: PLAIN,
    }
}

fn resident_id(rng: &mut Rng) -> Value {
    Value {
        kind: "cn_resident_id".into(),
        pii_type: PiiType::CnResidentId,
        text: super::resident_id(rng),
        context: PLAIN,
    }
}

fn ssn(rng: &mut Rng) -> Value {
    Value {
        kind: "us_ssn".into(),
        pii_type: PiiType::UsSsn,
        text: format!(
            "{:03}-{:02}-{:04}",
            1 + rng.below(664),
            1 + rng.below(98),
            1 + rng.below(9998)
        ),
        context: PLAIN,
    }
}

fn iban(rng: &mut Rng) -> Value {
    Value {
        kind: "iban".into(),
        pii_type: PiiType::Iban,
        text: super::iban(rng).text,
        context: PLAIN,
    }
}

/// One value of a random structured type and layout.
pub fn value(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0..=2 => card(rng),
        3..=5 => phone(rng),
        6 => email(rng),
        7 => ip(rng),
        8 => resident_id(rng),
        _ => match rng.below(2) {
            0 => ssn(rng),
            _ => iban(rng),
        },
    }
}

const FILLER: &[&str] = &[
    "今天天气不错，我们讨论了项目进度。",
    "The meeting covered the budget for 2024 and three new hires. ",
    "请在周五之前提交报告。",
    "We shipped version 2.1 last week. ",
    "患者主诉头痛三天。",
    "",
];
