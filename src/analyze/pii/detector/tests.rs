//! Detector tests: per type, glued to CJK, full-width, negatives, config,
//! fingerprint, and equivalence with an unoptimised reference search.
//! Values are generated (`synth`) or built from check-digit algorithms here.

use std::sync::OnceLock;

use super::super::synth::{self, to_full_width, with_luhn_digit};
use super::*;
use crate::synth::Rng;

fn det() -> &'static PiiDetector {
    static D: OnceLock<PiiDetector> = OnceLock::new();
    D.get_or_init(PiiDetector::builtin)
}

fn scan(text: &str) -> Vec<PiiMatch> {
    let mut out = Vec::new();
    det().scan(text, &mut out);
    out
}

/// (type, matched span) of every match.
fn spans(text: &str) -> Vec<(PiiType, &str)> {
    scan(text)
        .iter()
        .map(|m| (m.pii_type.clone(), text.get(m.start..m.end).unwrap_or("")))
        .collect()
}

fn assert_finds(t: PiiType, value: &str, templates: &[&str]) {
    for tpl in templates {
        let text = tpl.replace("{}", value);
        let got = spans(&text);
        assert!(
            got.contains(&(t.clone(), value)),
            "{t} not found exactly in template {tpl:?} (masked: {}); got types {:?}",
            super::mask::mask(&t, value),
            got.iter().map(|g| g.0.clone()).collect::<Vec<_>>()
        );
    }
}

fn assert_none(text: &str) {
    let got = scan(text);
    let rules: Vec<&str> = got.iter().map(|m| det().rule_id(m.rule)).collect();
    assert!(got.is_empty(), "expected nothing, rules fired: {rules:?}");
}

const GLUED: &[&str] = &[
    "{}",
    "信息{}已记录",
    "（{}）",
    "号码：{}。",
    "see {} now",
    "「{}」",
];

fn mobile(rng: &mut Rng) -> String {
    format!("1{}{:09}", 3 + rng.below(7), rng.next_u64() % 1_000_000_000)
}

#[test]
fn builtin_table_builds_with_unique_ids() {
    let d = PiiDetector::reference();
    assert!(d.is_ok());
    let mut ids: Vec<&str> = BUILTIN.iter().map(|r| r.id).chain(Prose::ids()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate rule id");
    for r in BUILTIN {
        assert!(
            r.id.starts_with(r.pii_type.as_str()),
            "{} should start with its type",
            r.id
        );
        assert!(valid_rule_id(r.id));
    }
    assert_eq!(det().rule_count(), BUILTIN.len() + Prose::ids().count());
}

#[test]
fn detector_is_send_and_sync() {
    fn both<T: Send + Sync>() {}
    both::<PiiDetector>();
}

#[test]
fn phones_glued_spaced_and_full_width() {
    let mut rng = Rng::new(11);
    for _ in 0..50 {
        let m = mobile(&mut rng);
        assert_finds(PiiType::Phone, &m, GLUED);
        assert_finds(PiiType::Phone, &format!("+86{m}"), GLUED);
        assert_finds(
            PiiType::Phone,
            &format!("{}-{}-{}", &m[..3], &m[3..7], &m[7..]),
            GLUED,
        );
        assert_finds(
            PiiType::Phone,
            &format!("+86 {} {} {}", &m[..3], &m[3..7], &m[7..]),
            GLUED,
        );
        assert_finds(PiiType::Phone, &to_full_width(&m), GLUED);
    }
    assert_finds(PiiType::Phone, "010-62345678", GLUED);
    assert_finds(PiiType::Phone, "(0755)86001234", GLUED);
    assert_finds(PiiType::Phone, "(212) 555-0147", GLUED);
    assert_finds(PiiType::Phone, "+1 415 555 0199", GLUED);
    assert_finds(PiiType::Phone, "+44 20 7946 0958", GLUED);
}

#[test]
fn phone_negatives() {
    let mut rng = Rng::new(12);
    for _ in 0..50 {
        let m = mobile(&mut rng);
        // 12x prefix; glued to longer digit runs or letters; decimals.
        assert_none(&format!("编号12{}结束", &m[2..]));
        assert_none(&format!("订单{m}7号"));
        assert_none(&format!("x{m}"));
        assert_none(&format!("3.{m}"));
    }
    // A short local number needs a phone word right before it.
    assert_none("order 555-0123 now");
    assert!(!scan("call 555-0123 now").is_empty());
    assert_none("011-62345678");
}

#[test]
fn resident_ids() {
    let mut rng = Rng::new(13);
    for _ in 0..50 {
        let v = synth::resident_id(&mut rng);
        assert_finds(PiiType::CnResidentId, &v, GLUED);
        assert_finds(PiiType::CnResidentId, &to_full_width(&v), GLUED);
        let (body, check) = v.split_at(17);
        for d in "0123456789X".chars().filter(|d| d.to_string() != check) {
            let wrong = format!("{body}{d}");
            let text = format!("号码{wrong}。");
            assert!(
                !spans(&text).iter().any(|g| g.0 == PiiType::CnResidentId),
                "wrong check accepted"
            );
        }
    }
}

#[test]
fn legacy_ids_need_context() {
    let mut rng = Rng::new(14);
    for _ in 0..30 {
        let v = synth::resident_id_legacy(&mut rng);
        assert_finds(
            PiiType::CnResidentId,
            &v,
            &["身份证号{}", "身份证号码：{}。", "ID card number {}"],
        );
        let text = format!("订单号{v}已发货");
        assert!(!spans(&text).iter().any(|g| g.0 == PiiType::CnResidentId));
    }
}

#[test]
fn uscc_codes() {
    let mut rng = Rng::new(15);
    for _ in 0..50 {
        let v = synth::uscc(&mut rng);
        assert_finds(PiiType::CnUscc, &v, GLUED);
        assert_none(&format!("A{v}"));
    }
}

#[test]
fn bank_cards() {
    let mut rng = Rng::new(16);
    for _ in 0..50 {
        let v = synth::bank_card(&mut rng);
        if v.context.is_some() {
            assert_finds(PiiType::BankCard, &v.text, &["卡号{}", "card number {}"]);
            assert_none(&format!("编号 {} 结束", v.text));
        } else {
            assert_finds(PiiType::BankCard, &v.text, GLUED);
        }
    }
    let c = with_luhn_digit("621700123456789");
    let bad = format!("{}{}", &c[..15], (c.as_bytes()[15] - b'0' + 1) % 10);
    assert_none(&format!("卡号{bad}"));
    // A grouped card is not the head of a longer grouped number.
    let grouped = format!("{} {} {} {}", &c[..4], &c[4..8], &c[8..12], &c[12..]);
    assert!(spans(&format!("{grouped} 1234")).is_empty());
}

#[test]
fn emails_and_longest_match() {
    assert_finds(PiiType::Email, "zhang.wei@example.com", GLUED);
    assert_finds(
        PiiType::Email,
        "bob+news@mail.example.org",
        &["邮箱bob+news@mail.example.org联系", "<{}>"],
    );
    let mut rng = Rng::new(17);
    let qq = format!("{}@example.com", mobile(&mut rng));
    assert_eq!(
        spans(&format!("邮箱{qq}。")),
        vec![(PiiType::Email, qq.as_str())]
    );
    assert_none("icon@2x.png and user@localhost");
}

#[test]
fn ip_addresses() {
    assert_finds(PiiType::IpAddress, "192.168.1.20", GLUED);
    assert_finds(PiiType::IpAddress, "203.0.113.9", GLUED);
    assert_finds(PiiType::IpAddress, "2001:db8::8a2e:370", GLUED);
    assert_finds(PiiType::IpAddress, "fe80::1ff:fe23:4567", GLUED);
    let tags: Vec<Option<&str>> = scan("ip: a 10.1.2.3 b 8.8.4.4 c fd00::1:2")
        .iter()
        .map(|m| m.tag)
        .collect();
    assert_eq!(tags, vec![Some("private"), Some("public"), Some("private")]);
    for text in [
        "version 1.2.3.4",
        "v1.2.3.4",
        "ver. 4.3.2.1",
        "版本1.2.3.4",
        "版本号：2.0.1.7",
        "Version: 10.0.19041.1",
        "section 1.2.3.4",
        "192.168.1.256",
        "300.1.1.1",
        "1.2.3.4.5",
        "std::vector<int> a::b",
        "at 12:30:45 today",
        "mac 00:1a:2b:3c:4d:5e",
    ] {
        assert_none(text);
    }
}

#[test]
fn ibans() {
    let mut rng = Rng::new(18);
    for _ in 0..50 {
        let v = synth::iban(&mut rng).text;
        assert_finds(PiiType::Iban, &v, GLUED);
    }
    assert_none("ISO 9001 and DE00 0000 0000 0000 0000 00");
}

#[test]
fn ssns() {
    assert_finds(PiiType::UsSsn, "219-45-6789", GLUED);
    assert_finds(
        PiiType::UsSsn,
        "219456789",
        &["SSN {}", "social security number: {}"],
    );
    assert_none("order 219456789 shipped");
    assert_none("000-45-6789 666-45-6789 912-45-6789");
}

#[test]
fn passports_need_context() {
    assert_finds(
        PiiType::CnPassport,
        "E12345678",
        &["护照号码{}", "passport no. {}", "护照：{}。"],
    );
    assert_none("型号E12345678已停产");
}

#[test]
fn plates() {
    for v in ["京A12345", "粤B·D12345", "沪C1234D", "苏E12345F"] {
        assert_finds(
            PiiType::CnLicensePlate,
            v,
            &["车牌{}的车", "plate {} parked", "{}"],
        );
    }
    assert_none("北京ABC大学");
}

#[test]
fn secrets_glued() {
    let mut rng = Rng::new(19);
    for _ in 0..80 {
        let v = synth::secret(&mut rng).text;
        assert_finds(
            PiiType::Secret,
            &v,
            &["{}", "密钥{}已泄露", "token: {}\n", "(\"{}\")"],
        );
    }
    assert_none("AKIAIOSFODNN7EXAMPLE");
    assert_none("use sk-learn-compatible-estimators-for-everything here");
    assert_none("-----BEGIN PUBLIC KEY-----");
}

#[test]
fn pem_block_is_one_match() {
    let mut rng = Rng::new(20);
    let v = synth::secret(&mut rng);
    let pem = (0..50)
        .map(|_| synth::secret(&mut rng).text)
        .find(|s| s.starts_with("-----BEGIN"))
        .unwrap_or(v.text);
    let two = format!("{pem}\n\n{pem}");
    let got = scan(&two);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].end - got[0].start, pem.len());
}

#[test]
fn hashes_and_ids_in_code_are_quiet() {
    assert_none("sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    assert_none("uuid 550e8400-e29b-41d4-a716-446655440000");
    assert_none("ts=1699999999999 id_13800138000_x");
    assert_none("2024-03-15 2024/03/15 2024年3月15日 15.03.2024 20240315");
}

#[test]
fn output_sorted_non_overlapping_and_appended() {
    let text = synth::mixed_text(200_000, 21);
    let mut out = vec![PiiMatch {
        pii_type: PiiType::Email,
        rule: 0,
        start: 0,
        end: 0,
        tag: None,
        confidence: Confidence::Low,
    }];
    det().scan(&text, &mut out);
    assert!(out.len() > 20);
    assert_eq!(out[0].end, 0, "existing content kept");
    for w in out[1..].windows(2) {
        assert!(w[0].end <= w[1].start, "overlap or disorder");
    }
    for m in &out[1..] {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start < m.end);
    }
}

#[test]
fn windows_and_prefixes_change_nothing() {
    let reference = PiiDetector::reference();
    let Ok(reference) = reference else {
        panic!("reference build failed");
    };
    let mut texts: Vec<String> = synth::labelled_corpus(1500, 22)
        .into_iter()
        .map(|d| d.text)
        .collect();
    texts.push(synth::mixed_text(300_000, 23));
    let dense: String = synth::mixed_text(60_000, 24)
        .lines()
        .collect::<Vec<_>>()
        .join("");
    texts.push(dense);
    texts.push(url_credential_text());
    let (mut a, mut b) = (Vec::new(), Vec::new());
    det().scan(&url_credential_text(), &mut a);
    let credentials = a.iter().filter(|m| m.pii_type == PiiType::Secret).count();
    assert!(credentials >= 12, "{credentials} URL credentials found");
    for (i, t) in texts.iter().enumerate() {
        a.clear();
        b.clear();
        det().scan(t, &mut a);
        reference.scan(t, &mut b);
        assert!(
            a == b,
            "text {i}: windowed {} matches, reference {}",
            a.len(),
            b.len()
        );
    }
}

/// URLs with credentials where the `://` windows could cut them: at the very start
/// and end, long schemes, 64-character user names of 4-byte characters, `://`
/// runs and URLs back to back (all synthetic; hosts under example domains or made up).
fn url_credential_text() -> String {
    let long_user = "𝔘".repeat(64);
    let mut t = String::from("postgres://svc_reader:Tr0ub4dor-x9@db7.corp-int.net/x ");
    for (i, scheme) in [
        "https",
        "HTTP",
        "jdbc:postgresql",
        "mongodb+srv",
        "redis",
        "sftp",
    ]
    .iter()
    .enumerate()
    {
        t.push_str(&format!(
            "{scheme}://u{i}:Kq{i}zP7vLm2w@h{i}.dbhost{i}.net:5432 "
        ));
        t.push_str(&format!(
            "see {scheme}://{long_user}:Zx9vQ{i}t8Rw@cache{i}.svc-int.net "
        ));
        t.push_str(":// ://:// a://b https://no-credentials.example.org/path?q=1 ");
        t.push_str(&format!(
            "x{scheme}://w{i}:Jm4nB{i}c7Vx@q{i}.intra-node.net"
        ));
        t.push_str(&"中".repeat(30));
    }
    t.push_str("ftp://relay:P8s7d6f5g4h3@files.relay-node.net");
    t
}

#[test]
fn odd_input_never_panics() {
    let mut rng = Rng::new(25);
    let mut out = Vec::new();
    for _ in 0..300 {
        let bytes: Vec<u8> = (0..rng.below(400)).map(|_| rng.next_u64() as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        det().scan(&text, &mut out);
    }
    // Real documents with random damage: inserted separators, full-width
    // digits, CJK, truncation inside multi-byte characters (lossy-decoded).
    let tricky = [
        '-', ' ', '.', '@', ':', '１', '京', 'X', '０', '+', '(', '）', '_', '\n',
    ];
    for doc in synth::labelled_corpus(300, 26) {
        let mut chars: Vec<char> = doc.text.chars().collect();
        for _ in 0..rng.below(12) {
            let at = rng.below(chars.len() + 1);
            chars.insert(at, tricky[rng.below(tricky.len())]);
        }
        let text: String = chars.into_iter().collect();
        let cut = rng.below(text.len() + 1);
        let text = String::from_utf8_lossy(&text.as_bytes()[..cut]).into_owned();
        out.clear();
        det().scan(&text, &mut out);
        for w in out.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
    }
    let long_digits = "7".repeat(200_000);
    det().scan(&long_digits, &mut out);
    let spaced = "1234 ".repeat(50_000);
    det().scan(&spaced, &mut out);
    let dotted = "1.".repeat(50_000);
    det().scan(&dotted, &mut out);
    let pem = format!("-----BEGIN RSA PRIVATE KEY-----{}", "A".repeat(100_000));
    det().scan(&pem, &mut out);
    let m = PiiMatch {
        pii_type: PiiType::Phone,
        rule: 999,
        start: 5,
        end: 1,
        tag: None,
        confidence: Confidence::Low,
    };
    assert_eq!(det().mask(&m, "abc"), "****");
    assert_eq!(det().rule_id(999), "");
}

#[test]
fn disable_by_type_and_rule() {
    let text = "电话13912345678，邮箱alice@example.org";
    let cfg = PiiConfig {
        disable: vec!["phone".into()],
        rules: vec![],
        ..Default::default()
    };
    let d = PiiDetector::with_config(&cfg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        d.rule_count(),
        BUILTIN.len()
            - BUILTIN
                .iter()
                .filter(|r| r.pii_type == PiiType::Phone)
                .count()
            + Prose::ids().count()
    );
    let mut out = Vec::new();
    d.scan(text, &mut out);
    assert_eq!(
        out.iter().map(|m| m.pii_type.clone()).collect::<Vec<_>>(),
        vec![PiiType::Email]
    );
    let cfg = PiiConfig {
        disable: vec!["email.address".into()],
        rules: vec![],
        ..Default::default()
    };
    let d = PiiDetector::with_config(&cfg).unwrap_or_else(|e| panic!("{e}"));
    out.clear();
    d.scan(text, &mut out);
    assert_eq!(
        out.iter().map(|m| m.pii_type.clone()).collect::<Vec<_>>(),
        vec![PiiType::Phone]
    );
    let everything: Vec<String> = PiiType::ALL
        .iter()
        .map(|t| t.as_str().to_string())
        .collect();
    let d = PiiDetector::with_config(&PiiConfig {
        disable: everything,
        rules: vec![],
        ..Default::default()
    });
    let d = d.unwrap_or_else(|e| panic!("{e}"));
    out.clear();
    d.scan(text, &mut out);
    assert!(out.is_empty());
}

fn user(id: &str, t: &str, pattern: &str) -> UserRule {
    UserRule {
        id: id.into(),
        pii_type: t.into(),
        pattern: pattern.into(),
        ..UserRule::default()
    }
}

#[test]
fn user_rules_detect_with_validator_and_context() {
    let card = with_luhn_digit("888812345678901");
    let rule = UserRule {
        validator: Some("luhn".into()),
        context: vec!["工牌".into()],
        ..user("acme.badge", "bank_card", "8888[0-9]{12}")
    };
    let d = PiiDetector::with_config(&PiiConfig {
        disable: vec!["bank_card".into()],
        rules: vec![rule],
        ..Default::default()
    });
    let d = d.unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    d.scan(&format!("工牌{card}"), &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(d.rule_id(out[0].rule), "acme.badge");
    out.clear();
    d.scan(&format!("编号{card}"), &mut out);
    assert!(out.is_empty(), "context required");
    out.clear();
    let bad = format!("{}{}", &card[..15], (card.as_bytes()[15] - b'0' + 1) % 10);
    d.scan(&format!("工牌{bad}"), &mut out);
    assert!(out.is_empty(), "validator applied");
}

#[test]
fn config_errors_name_rule_and_field() {
    let cases: Vec<(PiiConfig, &str)> = vec![
        (
            PiiConfig {
                disable: vec!["phnoe".into()],
                rules: vec![],
                ..Default::default()
            },
            "`phnoe`",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![user("x", "phone", "(13800")],
                ..Default::default()
            },
            "rule `x`: field `pattern`",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![user("x", "phone", "a*")],
                ..Default::default()
            },
            "empty string",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![user("x", "fone", "a")],
                ..Default::default()
            },
            "field `type`",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![user("bad id!", "phone", "a")],
                ..Default::default()
            },
            "field `id`",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![user("phone.e164", "phone", "a")],
                ..Default::default()
            },
            "field `id`",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![user("x", "phone", "a"), user("x", "phone", "b")],
                ..Default::default()
            },
            "duplicate",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![UserRule {
                    validator: Some("md5".into()),
                    ..user("x", "phone", "a")
                }],
                ..Default::default()
            },
            "field `validator`",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![UserRule {
                    boundary: Some("word".into()),
                    ..user("x", "phone", "a")
                }],
                ..Default::default()
            },
            "field `boundary`",
        ),
        (
            PiiConfig {
                disable: vec![],
                rules: vec![UserRule {
                    context: vec![" ".into()],
                    ..user("x", "phone", "a")
                }],
                ..Default::default()
            },
            "field `context`",
        ),
    ];
    for (cfg, expected) in cases {
        match PiiDetector::with_config(&cfg) {
            Ok(_) => panic!("config accepted, expected error containing {expected}"),
            Err(e) => assert!(e.to_string().contains(expected), "{e} lacks {expected}"),
        }
    }
}

#[test]
fn config_from_toml_denies_unknown_keys() {
    let good = r#"
        disable = ["cn_license_plate"]
        [[rules]]
        id = "acme.emp"
        type = "cn_passport"
        pattern = "EMP[0-9]{6}"
        context = ["员工"]
    "#;
    let cfg: Result<PiiConfig, _> = toml::from_str(good);
    let cfg = cfg.unwrap_or_else(|e| panic!("{e}"));
    assert!(PiiDetector::with_config(&cfg).is_ok());
    let bad = "disable = []\n[[rules]]\nid = \"a\"\ntype = \"phone\"\npattern = \"a\"\nscore = 3\n";
    let err = toml::from_str::<PiiConfig>(bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("score"), "{err}");
}

#[test]
fn fingerprint_tracks_the_effective_table() {
    let a = det().rules_fingerprint();
    assert_eq!(a.len(), 64);
    assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(a, PiiDetector::builtin().rules_fingerprint());
    let off = PiiDetector::with_config(&PiiConfig {
        disable: vec!["phone.e164".into()],
        rules: vec![],
        ..Default::default()
    });
    let off = off.unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(a, off.rules_fingerprint());
    let more = PiiConfig {
        disable: vec![],
        rules: vec![user("acme.x", "phone", "X[0-9]{5}")],
        ..Default::default()
    };
    let more = PiiDetector::with_config(&more).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(a, more.rules_fingerprint());
    let ctx = PiiConfig {
        disable: vec![],
        rules: vec![UserRule {
            context: vec!["员工".into()],
            ..user("acme.x", "phone", "X[0-9]{5}")
        }],
        ..Default::default()
    };
    let ctx = PiiDetector::with_config(&ctx).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(more.rules_fingerprint(), ctx.rules_fingerprint());
}

#[test]
fn type_ids_round_trip() {
    for t in PiiType::ALL {
        assert_eq!(PiiType::known(t.as_str()).ok(), Some(t.clone()));
        assert_eq!(t.to_string(), t.as_str());
    }
    assert_eq!(PiiType::known("Phone").ok(), None);
}

/// IPv6 in every textual form where the colon-pair windows could cut it: letters-only
/// first groups (the first digit 20 bytes in), `::` at the very start and end, zone
/// ids, embedded IPv4, prefixes, glued to CJK, next to times, `key: value` colons and
/// `::` paths in code (all private, link-local or documentation addresses).
fn ipv6_text() -> String {
    let forms = [
        "fdab:cdef::1",
        "fdab:cdef:abcd:ef01::2",
        "fdcb:acbd:ecfa:bdec::fe80:1",
        "::1",
        "::ffff:192.0.2.33",
        "fe80::abcd:ef12%eth0",
        "fe80::1ff:fe23:4567/64",
        "2001:db8::8a2e:370",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "fdff::",
    ];
    let glue = ["", " ", "地址", "ip=", "[", "（", "\n", ":", "a::b "];
    let mut t = String::new();
    for (i, form) in forms.iter().cycle().take(90).enumerate() {
        t.push_str(glue[i % glue.len()]);
        t.push_str(form);
        t.push_str(["。", " at 12:30:45 ", ", key: value ", " std::vec ", ""][i % 5]);
        t.push_str(&"中".repeat(i % 7));
    }
    t.push_str("fdab:cdef:abcd::9");
    t
}

#[test]
fn ipv6_windows_find_what_the_whole_text_finds() {
    let Ok(reference) = PiiDetector::reference() else {
        panic!("reference build failed");
    };
    let text = ipv6_text();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    det().scan(&text, &mut a);
    reference.scan(&text, &mut b);
    let found = |v: &[PiiMatch]| {
        v.iter()
            .filter(|m| m.pii_type == PiiType::IpAddress)
            .count()
    };
    assert!(found(&b) >= 60, "{} addresses in the reference", found(&b));
    assert_eq!(found(&a), found(&b), "windowed against reference");
    assert!(a == b);
}

/// Upper bounds on where a pattern's first digit (ASCII or full-width) can be.
struct Reach {
    /// Bytes before the first digit, over matches that hold one (`None`: none does).
    before: Option<usize>,
    /// Bytes of the longest digit-free match (`None`: every match holds a digit).
    free: Option<usize>,
}

/// Stands for "unbounded" in [`reach`].
const FAR: usize = 1 << 20;

fn is_digit_char(c: char) -> bool {
    c.is_ascii_digit() || ('\u{ff10}'..='\u{ff19}').contains(&c)
}

/// The largest non-digit character in `lo..=hi`, if any.
fn top_non_digit(lo: char, hi: char) -> Option<char> {
    let mut c = hi;
    while is_digit_char(c) {
        let below = if c.is_ascii_digit() { '/' } else { '\u{ff0f}' };
        if below < lo {
            return None;
        }
        c = below;
    }
    Some(c)
}

fn reach(hir: &regex_syntax::hir::Hir) -> Reach {
    use regex_syntax::hir::{Class, HirKind};
    let class = |digit: bool, widest: Option<usize>| Reach {
        before: digit.then_some(0),
        free: widest,
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Reach {
            before: None,
            free: Some(0),
        },
        HirKind::Literal(lit) => {
            let text = String::from_utf8_lossy(&lit.0);
            match text.char_indices().find(|&(_, c)| is_digit_char(c)) {
                Some((i, _)) => Reach {
                    before: Some(i),
                    free: None,
                },
                None => Reach {
                    before: None,
                    free: Some(lit.0.len()),
                },
            }
        }
        HirKind::Class(Class::Unicode(c)) => class(
            c.ranges()
                .iter()
                .any(|r| (r.start()..=r.end()).any(is_digit_char)),
            c.ranges()
                .iter()
                .filter_map(|r| top_non_digit(r.start(), r.end()))
                .map(char::len_utf8)
                .max(),
        ),
        HirKind::Class(Class::Bytes(c)) => class(
            c.ranges()
                .iter()
                .any(|r| (r.start()..=r.end()).any(|b| b.is_ascii_digit())),
            c.ranges()
                .iter()
                .any(|r| (r.start()..=r.end()).any(|b| !b.is_ascii_digit()))
                .then_some(1),
        ),
        HirKind::Capture(c) => reach(&c.sub),
        HirKind::Repetition(r) => {
            let sub = reach(&r.sub);
            let most = r.max.map_or(FAR, |m| m as usize);
            let runs = |n: usize| match sub.free {
                Some(0) => 0,
                Some(f) => f.saturating_mul(n).min(FAR),
                None => 0,
            };
            Reach {
                before: sub
                    .before
                    .map(|b| (b + runs(most.saturating_sub(1))).min(FAR)),
                free: if r.min == 0 || sub.free.is_some() {
                    Some(runs(most))
                } else {
                    None
                },
            }
        }
        HirKind::Concat(items) => {
            let (mut before, mut prefix) = (None::<usize>, Some(0usize));
            for item in items {
                let r = reach(item);
                if let (Some(p), Some(b)) = (prefix, r.before) {
                    before = Some(before.map_or(p + b, |x| x.max(p + b)).min(FAR));
                }
                prefix = prefix.zip(r.free).map(|(p, f)| (p + f).min(FAR));
            }
            Reach {
                before,
                free: prefix,
            }
        }
        HirKind::Alternation(alts) => {
            let all: Vec<Reach> = alts.iter().map(reach).collect();
            Reach {
                before: all.iter().filter_map(|r| r.before).max(),
                free: all.iter().filter_map(|r| r.free).max(),
            }
        }
    }
}

/// The digit windows start [`super::super::window::BEFORE`] bytes before a digit run:
/// every number-shaped rule's matches must hold a digit that early. Computed from
/// each pattern, so a new row with a longer lead fails here rather than going
/// quietly unfound.
#[test]
fn every_digit_rule_has_a_digit_within_before() {
    use super::super::window::BEFORE;
    let mut widest = 0;
    for rule in BUILTIN.iter().filter(|r| r.group == GroupKey::NearDigits) {
        let Ok(hir) = regex_automata::util::syntax::parse(rule.pattern) else {
            panic!("{}: pattern does not parse", rule.id);
        };
        let r = reach(&hir);
        let before = r.before.unwrap_or(FAR);
        assert!(
            before <= BEFORE,
            "{}: first digit {before} bytes in",
            rule.id
        );
        widest = widest.max(before);
        // A digit-free match must be rejected by the validator: the licence
        // plate's needs two digits in its tail, and its digit-holding matches
        // are bounded above.
        assert!(
            r.free.is_none() || rule.validator == Validator::CnPlate,
            "{}: matches without a digit",
            rule.id
        );
    }
    assert_eq!(widest, BEFORE, "BEFORE is larger than any rule needs");
    let ipv6 = BUILTIN.iter().find(|r| r.id == "ip_address.v6");
    let lead = ipv6.and_then(|r| regex_automata::util::syntax::parse(r.pattern).ok());
    assert!(
        lead.is_some_and(|h| reach(&h).before.unwrap_or(FAR) > BEFORE),
        "IPv6 could join the digit windows"
    );
}
