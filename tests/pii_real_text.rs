//! Personal information on real text (issue 15): the false-positive shapes
//! measured on real corpora, recall on a generated set of every structured
//! type and layout, and precision on hand-labelled real fine-tuning samples.
//!
//! Output never shows a value: findings are reported by file, record, field,
//! offsets, type and rule, or by mask.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use provaudit::analyze::pii::synth::{self, structured};
use provaudit::analyze::pii::{Confidence, PiiConfig, PiiDetector, PiiMatch, PiiType};
use provaudit::synth::Rng;

fn scan(det: &PiiDetector, text: &str) -> Vec<PiiMatch> {
    let mut out = Vec::new();
    det.scan(text, &mut out);
    out
}

/// (type, tag) of each match over `value` placed at `{}` in `template`.
fn found(det: &PiiDetector, template: &str, value: &str) -> Vec<(PiiType, Option<&'static str>)> {
    let text = template.replace("{}", value);
    let start = template.find("{}").unwrap_or(0);
    let end = start + value.len();
    scan(det, &text)
        .into_iter()
        .filter(|m| m.start < end && start < m.end)
        .map(|m| (m.pii_type, m.tag))
        .collect()
}

// ----------------------------- generated set (`analyze::pii::synth::structured`)

fn with_luhn(body: &str) -> String {
    synth::with_luhn_digit(body)
}

#[derive(Default, Clone, Copy)]
struct Tally {
    tp: u32,
    fn_: u32,
}

#[test]
fn generated_recall_of_every_structured_type_and_layout() {
    let det = PiiDetector::builtin();
    let mut by_kind: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_type: BTreeMap<PiiType, Tally> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    for g in structured::set(structured::SIZE, structured::SEED) {
        let (start, end) = (g.start, g.end);
        let hit = scan(&det, &g.text)
            .iter()
            .any(|m| m.pii_type == g.pii_type && m.start < end && start < m.end);
        let (k, t) = (
            by_kind.entry(g.kind.clone()).or_default(),
            by_type.entry(g.pii_type.clone()).or_default(),
        );
        if hit {
            k.tp += 1;
            t.tp += 1;
        } else {
            k.fn_ += 1;
            t.fn_ += 1;
            if misses.len() < 30 {
                let m = PiiMatch {
                    pii_type: g.pii_type,
                    rule: 0,
                    start,
                    end,
                    tag: None,
                    confidence: Confidence::Low,
                };
                misses.push(format!("{} {}", g.kind, det.mask(&m, &g.text)));
            }
        }
    }
    let recall = |t: &Tally| f64::from(t.tp) / f64::from((t.tp + t.fn_).max(1));
    let mut failures = Vec::new();
    for (name, t) in by_kind
        .iter()
        .map(|(k, t)| (k.clone(), t))
        .chain(by_type.iter().map(|(k, t)| (k.as_str().to_string(), t)))
    {
        println!(
            "{name:<28} {:>5} {:>4} recall {:.4}",
            t.tp,
            t.fn_,
            recall(t)
        );
        if recall(t) < 0.98 || t.tp + t.fn_ < 20 {
            failures.push(format!(
                "{name}: recall {:.4} over {}",
                recall(t),
                t.tp + t.fn_
            ));
        }
    }
    println!("misses (masked): {misses:#?}");
    assert!(failures.is_empty(), "{failures:#?}");
}

// ------------------------------------------------------- shapes from real text

#[test]
fn arithmetic_is_not_personal_information() {
    let det = PiiDetector::builtin();
    let sum = with_luhn("62220200123456");
    let text = format!("1234567 + 9876543 + 12345678 = {sum}");
    assert!(found(&det, &text, &sum).is_empty(), "a Luhn-passing sum");
    assert!(found(&det, "预算区间 {} 元", "150-1200-2000").is_empty());
    assert!(found(&det, "3 × 5 +{} = 36", "2012345678").is_empty());
    assert!(found(&det, "100 {} = 2000", "+20123456789").is_empty());
    // Still found outside arithmetic.
    assert!(!found(&det, "手机：{}", "138-1234-5678").is_empty());
}

#[test]
fn outline_numbers_versions_and_measurements_are_not_addresses() {
    let det = PiiDetector::builtin();
    let outline = "1.1.1.1 总体要求\n1.1.1.2 适用范围\n## 2.3.1.4 方法\n";
    assert!(scan(&det, outline).is_empty());
    assert!(found(&det, "version {}", "10.2.3.4").is_empty());
    assert!(found(&det, "结节大小约 {} 之间", "12.5.3.10").is_empty());
    // Three-digit octets are no version: still an address after "version".
    let v = found(&det, "version {} ", "190.110.148.227");
    assert_eq!(v, vec![(PiiType::IpAddress, Some("public"))]);
    assert_eq!(
        found(&det, "服务器地址：{}", "47.96.12.34"),
        vec![(PiiType::IpAddress, Some("public"))]
    );
}

#[test]
fn network_notation_is_tagged_and_not_personal() {
    let det = PiiDetector::builtin();
    let cases = [
        ("192.168.1.1", "private"),
        ("10.8.0.0/24", "cidr"),
        ("127.0.0.1", "loopback"),
        ("169.254.10.20", "link_local"),
        ("198.51.100.23", "documentation"),
        ("fe80::1c2d:3e4f%eth0", "link_local"),
        ("2001:db8:85a3::8a2e:370:7334", "documentation"),
        ("fd00:1234:5678::/48", "cidr"),
    ];
    for (value, tag) in cases {
        let text = format!("router ip {value} ok");
        let got = scan(&det, &text);
        assert_eq!(got.len(), 1, "{tag}");
        assert_eq!(got[0].tag, Some(tag));
        assert!(!got[0].is_personal(), "{tag}");
    }
    let public = scan(&det, "server ip 203.119.24.7 ok");
    assert!(public.iter().all(PiiMatch::is_personal) && public.len() == 1);
}

#[test]
fn placeholder_addresses_and_sample_credentials() {
    let det = PiiDetector::builtin();
    for (text, want) in [
        ("mail alice@example.com now", Some("placeholder")),
        ("send to admin@yourdomain.com", Some("placeholder")),
        ("e.g. alice@email.com", Some("placeholder")),
        ("host smtp.test or a@mail.test ok", Some("placeholder")),
        ("write to li.wei@qq.com today", None),
    ] {
        let got = scan(&det, text);
        assert_eq!(got.len(), 1, "{want:?}");
        assert_eq!(got[0].pii_type, PiiType::Email);
        assert_eq!(got[0].tag, want);
    }
    let sample = scan(&det, "curl ftp://user:pass@ftp.example.com/file");
    assert!(
        sample.iter().all(|m| !m.is_personal()),
        "sample credentials"
    );
    let real = scan(
        &det,
        "postgres://svc:Q7v9xk2LmP@db.internal.acme-corp.net/app",
    );
    assert_eq!(real.len(), 1);
    assert_eq!(real[0].pii_type, PiiType::Secret);
    assert!(real[0].is_personal());
    assert_eq!(
        det.mask(
            &real[0],
            "postgres://svc:Q7v9xk2LmP@db.internal.acme-corp.net/app"
        ),
        "postgres://****"
    );
    // User-extended placeholder domains, matched at or below the domain.
    let text = "write ops@mail.corp-internal.net now";
    assert_eq!(scan(&det, text).first().and_then(|m| m.tag), None);
    let cfg = toml_cfg("placeholder_domains = [\"corp-internal.net\"]");
    let mine = PiiDetector::with_config(&cfg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        scan(&mine, text).first().and_then(|m| m.tag),
        Some("placeholder")
    );
}

fn toml_cfg(s: &str) -> PiiConfig {
    toml::from_str(s).unwrap_or_else(|e| panic!("config: {e}"))
}

#[test]
fn phone_regions_are_configurable() {
    let fr = "phone: 06 12 34 56 78";
    assert!(!scan(&PiiDetector::builtin(), fr).is_empty());
    let only_us = PiiDetector::with_config(&toml_cfg("phone_regions = [\"US\"]"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(scan(&only_us, fr).is_empty());
    assert!(PiiDetector::with_config(&toml_cfg("phone_regions = [\"QQ\"]")).is_err());
}

#[test]
fn resident_id_after_its_label_is_never_a_card() {
    let det = PiiDetector::builtin();
    // An 18-digit id shape whose GB 11643 check digit is wrong but whose
    // digits pass Luhn: after 身份证号 it is an id typo, not a card.
    let mut rng = Rng::new(7);
    let mut tried = 0;
    while tried < 200 {
        let id = synth::resident_id(&mut rng);
        let Some(body) = id.get(..17) else { continue };
        let wrong = with_luhn(body);
        if wrong == id || wrong.len() != 18 {
            continue;
        }
        tried += 1;
        let got = found(&det, "身份证号：{}", &wrong);
        assert!(!got.iter().any(|(t, _)| *t == PiiType::BankCard));
    }
}

#[test]
fn confidence_follows_how_a_match_was_confirmed() {
    let det = PiiDetector::builtin();
    let card = with_luhn("622202001234567");
    let c = scan(&det, &format!("x {card} y"));
    assert_eq!(
        c.first().map(|m| m.confidence.clone()),
        Some(Confidence::High)
    );
    // A pre-1999 id has no check digit: its label word confirms it.
    let legacy = scan(&det, "身份证号 110101900307123");
    assert_eq!(
        legacy.first().map(|m| m.confidence.clone()),
        Some(Confidence::Medium)
    );
    let mail = scan(&det, "li.wei@qq.com");
    assert_eq!(
        mail.first().map(|m| m.confidence.clone()),
        Some(Confidence::Low)
    );
}

// ---------------------------------------------------- hand-labelled real text

fn corpora() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora")
}

/// Every string of a JSON value with its field path (`messages[0].content`).
fn strings<'a>(v: &'a serde_json::Value, path: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        serde_json::Value::String(s) => out.push((path, s)),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                strings(item, p, out);
            }
        }
        _ => {}
    }
}

/// Records of one corpus file: JSON arrays by element, JSONL and text by line.
fn records(path: &Path) -> Vec<Vec<(String, String)>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let name = path.to_string_lossy();
    let values: Vec<serde_json::Value> = if name.ends_with(".jsonl") {
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    } else if name.ends_with(".json") {
        match serde_json::from_str(&text) {
            Ok(serde_json::Value::Array(items)) => items,
            Ok(other) => vec![other],
            Err(_) => Vec::new(),
        }
    } else {
        text.lines()
            .map(|l| serde_json::json!({ "text": l }))
            .collect()
    };
    values
        .iter()
        .map(|v| {
            let mut out = Vec::new();
            strings(v, String::new(), &mut out);
            out.into_iter().map(|(p, s)| (p, s.to_string())).collect()
        })
        .collect()
}

/// One finding located without its value: (file, record, field, start, end
/// in chars, type).
type Key = (String, usize, String, usize, usize, String);

fn findings_under(det: &PiiDetector, root: &Path, files: &[&str]) -> Vec<(Key, String)> {
    let mut out = Vec::new();
    for file in files {
        for (r, fields) in records(&root.join(file)).iter().enumerate() {
            for (field, text) in fields {
                for m in scan(det, text) {
                    let chars = |b: usize| text.get(..b).map_or(0, |s| s.chars().count());
                    let key = (
                        file.to_string(),
                        r,
                        field.clone(),
                        chars(m.start),
                        chars(m.end),
                        m.pii_type.as_str().to_string(),
                    );
                    out.push((key, det.rule_id(m.rule).to_string()));
                }
            }
        }
    }
    out
}

const LLM_SAMPLE_FILES: &[&str] = &[
    "llama-factory/alpaca_en_demo.json",
    "llama-factory/alpaca_zh_demo.json",
    "llama-factory/dpo_zh_demo.json",
    "llama-factory/glaive_toolcall_en_demo.json",
    "llama-factory/identity.json",
    "llama-factory/mllm_demo.json",
    "llama-factory/v1_sft_demo.jsonl",
    "llama-factory/wiki_demo.txt",
    "grade-school-math/test.jsonl",
    "self-instruct/seed_tasks.jsonl",
];

/// Precision floors per type on the hand-labelled set (what the detector
/// reached when it was labelled; the target is 0.95).
const FLOORS: &[(&str, f64)] = &[];
const DEFAULT_FLOOR: f64 = 0.95;

fn labels() -> BTreeMap<Key, bool> {
    let text = include_str!("data/pii_llm_samples_labels.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let [file, rec, field, s, e, t, verdict, ..] = f.as_slice() else {
                return None;
            };
            let key = (
                file.to_string(),
                rec.parse().ok()?,
                field.to_string(),
                s.parse().ok()?,
                e.parse().ok()?,
                t.to_string(),
            );
            Some((key, *verdict == "TP"))
        })
        .collect()
}

#[test]
fn precision_on_hand_labelled_llm_samples() {
    let root = corpora().join("llm-samples");
    if !root.is_dir() {
        println!("SKIPPED: {} is absent", root.display());
        return;
    }
    let det = PiiDetector::builtin();
    let labels = labels();
    let mut per_type: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    let mut unlabelled = Vec::new();
    for (key, rule) in findings_under(&det, &root, LLM_SAMPLE_FILES) {
        let e = per_type.entry(key.5.clone()).or_default();
        match labels.get(&key) {
            Some(true) => e.0 += 1,
            Some(false) => e.1 += 1,
            None => {
                // Not yet read by a person: counted as wrong until labelled.
                e.2 += 1;
                unlabelled.push(format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{rule}",
                    key.0, key.1, key.2, key.3, key.4, key.5
                ));
            }
        }
    }
    println!("type             TP   FP  unlabelled  precision");
    let mut failures = Vec::new();
    for (t, (tp, fp, un)) in &per_type {
        let p = f64::from(*tp) / f64::from((tp + fp + un).max(1));
        println!("{t:<16} {tp:>4} {fp:>4} {un:>10}  {p:.4}");
        let floor = FLOORS
            .iter()
            .find(|(n, _)| n == t)
            .map_or(DEFAULT_FLOOR, |f| f.1);
        if p < floor {
            failures.push(format!("{t}: precision {p:.4} < {floor}"));
        }
    }
    for u in &unlabelled {
        println!("unlabelled: {u}");
    }
    let tp_labels = labels.values().filter(|v| **v).count();
    println!("{} labels ({tp_labels} TP)", labels.len());
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What the detector reports on ner-public (sentences with person and place
/// names, no structured identifiers by construction): counts only.
#[test]
fn structured_findings_on_ner_public() {
    let root = corpora().join("ner-public");
    if !root.is_dir() {
        println!("SKIPPED: {} is absent", root.display());
        return;
    }
    let det = PiiDetector::builtin();
    let files = [
        "zh-weibo-test/corpus.jsonl",
        "zh-msra-test/corpus.jsonl",
        "en-wnut17-test/corpus.jsonl",
    ];
    let mut by_rule: BTreeMap<(String, String), u32> = BTreeMap::new();
    // Names and addresses are what these texts are about: `tests/pii_names.rs`
    // scores them against the labels.
    for (key, rule) in findings_under(&det, &root, &files) {
        if key.5 == "person_name" || key.5 == "address" {
            continue;
        }
        *by_rule.entry((key.0, rule)).or_default() += 1;
    }
    for ((file, rule), n) in &by_rule {
        println!("{file:<32} {rule:<32} {n}");
    }
    let total: u32 = by_rule.values().sum();
    println!("{total} structured findings in 4,999 texts");
    // A regression guard, not a target: these texts hold almost no identifiers.
    assert!(total <= 40, "{total} structured findings on ner-public");
}
