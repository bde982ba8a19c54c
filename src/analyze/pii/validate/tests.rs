//! Validator unit tests. Every value is generated (`synth`) or built here
//! from its check-digit algorithm; none identifies a real person.

use super::super::synth::{self, to_full_width, with_luhn_digit};
use super::*;
use crate::synth::Rng;

const FAR_FUTURE: u32 = 99991231;

fn ok(v: Validator, s: &str) -> bool {
    v.check(s, FAR_FUTURE) != Verdict::Reject
}

/// An 18-digit id for `region` + `birth` + `seq`, with its correct check.
fn id(region: &str, birth: &str, seq: &str) -> String {
    let body = format!("{region}{birth}{seq}");
    let check = gb11643_check(body.as_bytes()).map_or('?', char::from);
    format!("{body}{check}")
}

/// Same body, every wrong check character.
fn wrong_checks(valid: &str) -> Vec<String> {
    let (body, check) = valid.split_at(17);
    "0123456789X"
        .chars()
        .filter(|c| !check.eq_ignore_ascii_case(&c.to_string()))
        .map(|c| format!("{body}{c}"))
        .collect()
}

#[test]
fn luhn_known_and_generated() {
    assert!(luhn(b"79927398713"));
    assert!(!luhn(b"79927398710"));
    assert!(!luhn(b""));
    assert!(!luhn(b"7992739871x"));
    let mut rng = Rng::new(1);
    for _ in 0..200 {
        let body: String = (0..15)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        let good = with_luhn_digit(&body);
        assert!(luhn(good.as_bytes()));
        assert!(ok(Validator::Luhn, &good));
    }
}

#[test]
fn gb11643_check_digit_date_and_province() {
    let good = id("110101", "19900307", "123");
    assert!(ok(Validator::Gb11643, &good));
    for bad in wrong_checks(&good) {
        assert!(!ok(Validator::Gb11643, &bad), "wrong check accepted");
    }
    // Province 99 does not exist; 1990-02-30 is no date; 1899 too early.
    assert!(!ok(Validator::Gb11643, &id("990101", "19900307", "123")));
    assert!(!ok(Validator::Gb11643, &id("110101", "19900230", "123")));
    assert!(!ok(Validator::Gb11643, &id("110101", "18991231", "123")));
    assert!(ok(Validator::Gb11643, &id("110101", "20000229", "123")));
    assert!(!ok(Validator::Gb11643, &id("110101", "19000229", "123")));
}

#[test]
fn gb11643_rejects_future_birth_dates() {
    let v = id("310101", "20300101", "001");
    assert!(Validator::Gb11643.check(&v, 20250601) == Verdict::Reject);
    assert!(Validator::Gb11643.check(&v, 20300101) != Verdict::Reject);
}

#[test]
fn gb11643_x_case_and_full_width() {
    let mut rng = Rng::new(2);
    let with_x = (0..2000)
        .map(|_| synth::resident_id(&mut rng))
        .find(|v| v.ends_with('X'))
        .unwrap_or_default();
    assert!(ok(Validator::Gb11643, &with_x));
    assert!(ok(Validator::Gb11643, &with_x.to_lowercase()));
    assert!(ok(Validator::Gb11643, &to_full_width(&with_x)));
}

#[test]
fn gb11643_legacy_15() {
    assert!(ok(Validator::Gb11643Legacy, "110101900307123"));
    assert!(!ok(Validator::Gb11643Legacy, "110101901307123"));
    assert!(!ok(Validator::Gb11643Legacy, "990101900307123"));
    assert!(!ok(Validator::Gb11643Legacy, "11010190030712"));
}

#[test]
fn gb32100_check_and_structure() {
    let mut rng = Rng::new(3);
    for _ in 0..300 {
        let good = synth::uscc(&mut rng);
        assert!(ok(Validator::Gb32100, &good));
        let (body, check) = good.split_at(17);
        let wrong = GB32100_ALPHABET
            .iter()
            .map(|&c| char::from(c))
            .find(|c| c.to_string() != check)
            .unwrap_or('0');
        assert!(!ok(Validator::Gb32100, &format!("{body}{wrong}")));
    }
    // The alphabet has no I, O, S, V, Z; first character must be an authority.
    assert!(gb32100_value(b'I').is_none());
    let bad_authority = format!("X{}", &synth::uscc(&mut rng)[1..]);
    assert!(!ok(Validator::Gb32100, &bad_authority));
}

#[test]
fn gb32100_all_digit_needs_organisation_check() {
    let org = "12345678";
    let org_check = gb11714_check(org.as_bytes()).map_or('?', char::from);
    let mk = |org_check: char| {
        let body = format!("91110000{org}{org_check}");
        let check = gb32100_check(body.as_bytes()).map_or('?', char::from);
        format!("{body}{check}")
    };
    let good = mk(org_check);
    if good.bytes().all(|b| b.is_ascii_digit()) {
        assert!(ok(Validator::Gb32100, &good));
    }
    let wrong_org = if org_check == '1' { '2' } else { '1' };
    let bad = mk(wrong_org);
    if bad.bytes().all(|b| b.is_ascii_digit()) {
        assert!(!ok(Validator::Gb32100, &bad));
    }
}

#[test]
fn gb11714_known_value() {
    // Worked example of the standard's algorithm on synthetic digits.
    assert_eq!(gb11714_check(b"12345678"), Some(b'8'));
    assert_eq!(gb11714_check(b"1234567"), None);
}

#[test]
fn card_lengths_layouts_and_luhn() {
    let c16 = with_luhn_digit("621700123456789");
    assert!(ok(Validator::CardLong, &c16));
    let spaced = format!(
        "{} {} {} {}",
        &c16[..4],
        &c16[4..8],
        &c16[8..12],
        &c16[12..]
    );
    assert!(ok(Validator::CardLong, &spaced));
    assert!(ok(Validator::CardLong, &spaced.replace(' ', "-")));
    assert!(ok(Validator::CardLong, &to_full_width(&c16)));
    // Mixed separators and odd groupings are not card layouts.
    let mixed = format!(
        "{} {}-{} {}",
        &c16[..4],
        &c16[4..8],
        &c16[8..12],
        &c16[12..]
    );
    assert!(!ok(Validator::CardLong, &mixed));
    let odd = format!("{} {} {}", &c16[..3], &c16[3..9], &c16[9..]);
    assert!(!ok(Validator::CardLong, &odd));
    let bad = format!("{}{}", &c16[..15], (c16.as_bytes()[15] - b'0' + 1) % 10);
    assert!(!ok(Validator::CardLong, &bad));
    assert!(!ok(Validator::CardLong, "0000000000000000"));
    // 12-15 digits are the short rule's; 16-19 the long one's.
    let c14 = with_luhn_digit("3600123456789");
    assert!(ok(Validator::CardShort, &c14));
    assert!(!ok(Validator::CardLong, &c14));
    let amex = with_luhn_digit("37828224631000");
    assert!(ok(Validator::CardAmex, &amex));
    let amex_spaced = format!("{} {} {}", &amex[..4], &amex[4..10], &amex[10..]);
    assert!(ok(Validator::CardAmex, &amex_spaced));
    assert!(!ok(Validator::CardAmex, &with_luhn_digit("35828224631000")));
}

#[test]
fn iban_mod97_and_lengths() {
    let mut rng = Rng::new(4);
    for _ in 0..300 {
        let v = synth::iban(&mut rng).text;
        assert!(ok(Validator::Mod97, &v));
        let compact: String = v.chars().filter(|c| *c != ' ').collect();
        let (head, tail) = compact.split_at(2);
        let check: u32 = tail[..2].parse().unwrap_or(0);
        let wrong = if check > 50 { check - 1 } else { check + 1 };
        assert!(!ok(
            Validator::Mod97,
            &format!("{head}{wrong:02}{}", &tail[2..])
        ));
        // One character more or less breaks the country length.
        assert!(!ok(Validator::Mod97, &compact[..compact.len() - 1]));
    }
    assert!(!ok(Validator::Mod97, "ZZ00123456789012"));
}

#[test]
fn cn_mobile_forms() {
    for v in [
        "13800138000",
        "+8613800138000",
        "+86 138 0013 8000",
        "008613800138000",
        "86-13800138000",
        "138-0013-8000",
        "１３８００１３８０００",
    ] {
        assert!(ok(Validator::CnMobile, v), "{v}");
    }
    for v in ["12800138000", "1380013800", "138001380001", "10000000000"] {
        assert!(!ok(Validator::CnMobile, v), "{v}");
    }
}

#[test]
fn cn_landline_area_codes() {
    for v in [
        "010-62345678",
        "(021)64871234",
        "（0755）86001234",
        "0571 8765432",
        "01062345678",
    ] {
        assert!(ok(Validator::CnLandline, v), "{v}");
    }
    // 011 is no area code; subscriber numbers do not start with 0/1; 3-digit
    // areas need 8-digit subscribers.
    for v in [
        "011-62345678",
        "010-02345678",
        "010-6234567",
        "0571-1234567",
    ] {
        assert!(!ok(Validator::CnLandline, v), "{v}");
    }
}

#[test]
fn nanp_plan() {
    for v in [
        "(212) 555-0123",
        "212-555-0123",
        "+1 212 555 0123",
        "+12125550123",
    ] {
        assert!(ok(Validator::Nanp, v), "{v}");
    }
    // N11 area or exchange; area or exchange starting 0/1.
    for v in [
        "(211) 555-0123",
        "212-411-0123",
        "112-555-0123",
        "212-055-0123",
    ] {
        assert!(!ok(Validator::Nanp, v), "{v}");
    }
}

#[test]
fn e164_country_codes() {
    for v in [
        "+44 20 7946 0958",
        "+49 30 12345678",
        "+852 2123 4567",
        "+886 2 2345 6789",
    ] {
        assert!(ok(Validator::E164, v), "{v}");
    }
    // 999 and 0 are not country codes; too short; +86 must be a CN number.
    for v in [
        "+999 1234 5678",
        "+0 1234 5678",
        "+44 123",
        "+86 12800138000",
        "44 20 7946 0958",
    ] {
        assert!(!ok(Validator::E164, v), "{v}");
    }
    assert!(ok(Validator::E164, "+86 138 0013 8000"));
    assert!(ok(Validator::E164, "+86 10 6234 5678"));
}

#[test]
fn us_ssn_rules() {
    assert!(ok(Validator::UsSsn, "219-45-6789"));
    assert!(ok(Validator::UsSsn, "219456789"));
    for v in [
        "000-45-6789",
        "666-45-6789",
        "900-45-6789",
        "219-00-6789",
        "219-45-0000",
        "078-05-1120",
    ] {
        assert!(!ok(Validator::UsSsn, v), "{v}");
    }
}

#[test]
fn email_structure() {
    for v in [
        "alice@example.org",
        "a.b+tag@mail.example.com",
        "12345678@example.net",
    ] {
        assert!(ok(Validator::Email, v), "{v}");
    }
    for v in [
        ".a@example.org",
        "a..b@example.org",
        "logo@2x.png",
        "a@example",
        "a@-x.example.com",
        "a@b.c1",
    ] {
        assert!(!ok(Validator::Email, v), "{v}");
    }
}

#[test]
fn ip_parsing_and_tags() {
    let tag = |v: &str, val: Validator| match val.check(v, 0) {
        Verdict::Accept(t) => t,
        Verdict::Reject => None,
    };
    assert_eq!(tag("192.168.1.20", Validator::Ipv4), Some("private"));
    assert_eq!(tag("10.0.0.1", Validator::Ipv4), Some("private"));
    assert_eq!(tag("127.0.0.1", Validator::Ipv4), Some("loopback"));
    assert_eq!(tag("169.254.3.4", Validator::Ipv4), Some("link_local"));
    assert_eq!(tag("100.64.0.9", Validator::Ipv4), Some("private"));
    assert_eq!(tag("203.0.113.9", Validator::Ipv4), Some("documentation"));
    assert_eq!(tag("10.8.0.0/24", Validator::Ipv4), Some("cidr"));
    assert_eq!(tag("10.8.0.0/33", Validator::Ipv4), None);
    assert_eq!(tag("8.8.4.4", Validator::Ipv4), Some("public"));
    for v in ["256.1.1.1", "1.2.3.999", "01.2.3.4", "1.2.3"] {
        assert_eq!(tag(v, Validator::Ipv4), None, "{v}");
    }
    assert_eq!(tag("2001:db8::1", Validator::Ipv6), Some("documentation"));
    assert_eq!(
        tag("2400:cb00:2048:1::c629:d7a2", Validator::Ipv6),
        Some("public")
    );
    assert_eq!(
        tag("2400:CB00:2048:1:0:0:C629:D7A2", Validator::Ipv6),
        Some("public")
    );
    assert_eq!(tag("64:ff9b::198.51.7.1", Validator::Ipv6), Some("public"));
    assert_eq!(tag("fe80::1:2", Validator::Ipv6), Some("link_local"));
    assert_eq!(tag("fe80::1:2%eth0", Validator::Ipv6), Some("link_local"));
    assert_eq!(tag("2400:cb00::/32", Validator::Ipv6), Some("cidr"));
    assert_eq!(tag("fd12:3456::1", Validator::Ipv6), Some("private"));
    assert_eq!(tag("::ffff:192.168.1.1", Validator::Ipv6), Some("private"));
    for v in ["::", "::1", "a::b", "12:30:45", "00:1a:2b:3c:4d:5e"] {
        assert_eq!(tag(v, Validator::Ipv6), None, "{v}");
    }
}

#[test]
fn plates() {
    for v in [
        "京A12345",
        "粤B·D12345",
        "沪C1234D",
        "苏E12345F",
        "浙AB1234",
    ] {
        assert!(ok(Validator::CnPlate, v), "{v}");
    }
    for v in ["京ABCDEF", "京AB12", "粤BX12345"] {
        assert!(!ok(Validator::CnPlate, v), "{v}");
    }
}

#[test]
fn passports() {
    assert!(ok(Validator::CnPassport, "E12345678"));
    assert!(ok(Validator::CnPassport, "EA1234567"));
    assert!(!ok(Validator::CnPassport, "E00000000"));
    assert!(!ok(Validator::CnPassport, "E123"));
}

#[test]
fn secrets() {
    let mut rng = Rng::new(5);
    for _ in 0..100 {
        let v = synth::secret(&mut rng).text;
        let validator = if v.starts_with("AKIA") {
            Validator::AwsKeyId
        } else if v.starts_with("gh") {
            Validator::GithubToken
        } else if v.starts_with("xox") {
            Validator::SlackToken
        } else if v.starts_with("sk-") {
            Validator::OpenAiKey
        } else if v.starts_with("eyJ") {
            Validator::Jwt
        } else {
            Validator::PemBlock
        };
        assert!(ok(validator, &v), "{}", validator.name());
    }
    // The documentation's example key and low-entropy placeholders.
    assert!(!ok(Validator::AwsKeyId, "AKIAIOSFODNN7EXAMPLE"));
    assert!(!ok(Validator::AwsKeyId, "AKIAAAAAAAAAAAAAAAAA"));
    assert!(!ok(Validator::OpenAiKey, "sk-learn-compatible-estimators"));
    assert!(!ok(Validator::Jwt, "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.x"));
    assert!(!ok(
        Validator::Jwt,
        "eyJub3RqdXN0b24.eyJub3RqdXN0b24.AAAAAAAAAAAAAAAAAAAA"
    ));
}

#[test]
fn names_round_trip() {
    for (name, v) in NAMES {
        assert_eq!(Validator::from_name(name), Some(*v));
        assert_eq!(v.name(), *name);
    }
    assert_eq!(Validator::from_name("nope"), None);
}

#[test]
fn never_panics_on_odd_input() {
    let odd = [
        "",
        "x",
        "@",
        "+",
        "-----BEGIN",
        "１",
        "\u{FFFF}\u{0}",
        "eyJ.eyJ.",
        "京",
        "0086",
    ];
    for (_, v) in NAMES {
        for s in odd {
            let _ = v.check(s, 0);
        }
    }
}

/// Independent formulations of each checksum, compared on random inputs, so
/// a slip in the table-driven code cannot hide behind generated test data
/// that was made with the same code.
mod cross_check {
    use super::*;

    fn digits(rng: &mut Rng, n: usize) -> Vec<u8> {
        (0..n).map(|_| b'0' + rng.below(10) as u8).collect()
    }

    #[test]
    fn gb11643_against_closed_form() {
        let mut rng = Rng::new(31);
        for _ in 0..2000 {
            let d = digits(&mut rng, 17);
            // Weight of position i is 2^(17-i) mod 11; check = (12 - sum) mod 11.
            let sum: u32 = d
                .iter()
                .enumerate()
                .map(|(i, &b)| u32::from(b - b'0') * (1u32 << (17 - i)) % 11)
                .sum();
            let v = (12 - sum % 11) % 11;
            let expected = if v == 10 { b'X' } else { b'0' + v as u8 };
            assert_eq!(gb11643_check(&d), Some(expected));
        }
    }

    #[test]
    fn gb32100_against_powers_of_three() {
        let mut rng = Rng::new(32);
        for _ in 0..2000 {
            let chars: Vec<u8> = (0..17).map(|_| GB32100_ALPHABET[rng.below(31)]).collect();
            let mut weight = 1u32;
            let mut sum = 0u32;
            for &c in &chars {
                let value = GB32100_ALPHABET.iter().position(|&a| a == c).unwrap_or(0) as u32;
                sum += value * weight;
                weight = weight * 3 % 31;
            }
            let expected = GB32100_ALPHABET[((31 - sum % 31) % 31) as usize];
            assert_eq!(gb32100_check(&chars), Some(expected));
        }
    }

    #[test]
    fn iban_against_big_integer() {
        let mut rng = Rng::new(33);
        for _ in 0..2000 {
            let mut iban = b"DE".to_vec();
            iban.extend(digits(&mut rng, 20));
            // Rearrange, expand letters to two digits, reduce in u128 chunks.
            let moved: Vec<u8> = iban[4..].iter().chain(&iban[..4]).copied().collect();
            let mut numeric = String::new();
            for c in moved {
                if c.is_ascii_uppercase() {
                    numeric.push_str(&(u32::from(c - b'A') + 10).to_string());
                } else {
                    numeric.push(char::from(c));
                }
            }
            let rem = numeric.as_bytes().chunks(30).fold(0u128, |r, chunk| {
                let part: u128 = std::str::from_utf8(chunk)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0);
                (r * 10u128.pow(chunk.len() as u32) + part) % 97
            });
            assert_eq!(iban_remainder(&iban), Some(rem as u32));
        }
    }

    #[test]
    fn luhn_against_digit_sums() {
        let mut rng = Rng::new(34);
        for _ in 0..2000 {
            let n = 12 + rng.below(8);
            let d = digits(&mut rng, n);
            let total: u32 = d
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &b)| {
                    let v = u32::from(b - b'0') * if i % 2 == 1 { 2 } else { 1 };
                    v / 10 + v % 10
                })
                .sum();
            assert_eq!(luhn(&d), total.is_multiple_of(10));
        }
    }
}
