//! Every category with true and false positives in Chinese and English, the
//! co-occurrence rule, the age check and the user's additions. All texts are
//! made up; the few values in them are synthetic.

use std::borrow::Cow;

use super::*;
use crate::analyze::pii::{PiiConfig, PiiDetector};

fn field<'a>(path: &'a str, text: &'a str) -> Field<'a> {
    Field {
        path: Cow::Borrowed(path),
        text: Cow::Borrowed(text),
    }
}

/// The categories flagged in a record of these fields, with the PII pass run first as
/// the scan does.
fn flagged_with(det: &SensitiveDetector, fields: &[Field<'_>]) -> Vec<String> {
    let pii = PiiDetector::builtin();
    let mut scratch = pii.scratch();
    let mut matches = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let mut found = Vec::new();
        pii.scan_with(&mut scratch, &f.text, &mut found);
        matches.extend(found.into_iter().map(|m| (i, m)));
    }
    let mut out = Vec::new();
    det.flag_record(&mut SensitiveScratch::default(), fields, &matches, &mut out);
    out.iter()
        .map(|f| f.category.as_str().to_string())
        .collect()
}

fn flagged(text: &str) -> Vec<String> {
    flagged_with(&SensitiveDetector::builtin(), &[field("text", text)])
}

/// (category, disclosures that must be flagged, texts that must not be).
const CASES: &[(&str, &[&str], &[&str])] = &[
    (
        "health",
        &[
            "我上个月体检查出了糖尿病，现在每天打胰岛素。",
            "本人高血压三年，一直在吃降压药。",
            "患者：男，56岁，确诊肺癌两年。",
            "I was diagnosed with diabetes last year and take metformin.",
            "My mother has breast cancer.",
            "她被诊断为抑郁症。",
        ],
        &[
            "糖尿病是一种以高血糖为特征的代谢性疾病。",
            "Diabetes is a chronic condition that affects how the body turns food into energy.",
            "我们医院专治各类糖尿病并发症。",
            "我院开展胃癌早筛项目。",
            "I'm sorry, but I cannot give advice about cancer treatment.",
            // The person cue is on another line: a list, not a disclosure.
            "我的购物清单\n\n\n糖尿病科普手册一本",
            // ... or in another sentence: `我` is not the one in surgery.
            "她当时在医院接受手术。如果我回答问题可以吗？",
            "Autism was named in 1943. I read about it.",
        ],
    ),
    (
        "biometric",
        &[
            "我的指纹录入失败了三次。",
            "I set up Face ID on my phone yesterday.",
        ],
        &[
            "指纹识别技术广泛应用于门禁系统。",
            "Facial recognition systems are used at airports.",
        ],
    ),
    (
        "religion",
        &[
            "我是基督徒，每周日去做礼拜。",
            "I'm a Buddhist and meditate every morning.",
        ],
        &[
            "佛教于东汉时期传入中国。",
            "Judaism is one of the oldest monotheistic religions.",
        ],
    ),
    (
        "specific_identity",
        &[
            "我有残疾证，出行需要轮椅。",
            "本人有前科，找工作很难。",
            "I'm gay and came out to my parents last year.",
            "I was convicted of a felony in 2010.",
        ],
        &[
            "残疾人保障法于1990年通过。",
            "A felony is a serious crime in common-law countries.",
        ],
    ),
    (
        "financial_account",
        &[
            "我的银行卡被冻结了，余额也查不到。",
            "My credit card was charged twice.",
        ],
        &[
            "信用卡是一种非现金交易付款的方式。",
            "A credit card lets you borrow funds to pay for goods.",
        ],
    ),
    (
        "whereabouts",
        &[
            "我的行程轨迹显示上周去过上海。",
            "My location history shows I was there.",
        ],
        &[
            "行踪轨迹信息属于敏感个人信息。",
            "Apps may collect location history to improve maps.",
        ],
    ),
    (
        "minor",
        &[
            "我女儿今年8岁，上小学二年级。",
            "我家宝宝三岁半了，还不太会说话。",
            "My 5-year-old won't eat vegetables.",
            "My son is ten years old.",
        ],
        &[
            "我今年35岁，在北京工作。",
            "I am 40 years old.",
            "幼儿园教育是基础教育的重要组成部分。",
            "Kindergarten curricula vary between countries.",
        ],
    ),
];

#[test]
fn each_category_flags_disclosures_and_not_general_text() {
    for (category, positives, negatives) in CASES {
        for text in *positives {
            assert!(
                flagged(text).iter().any(|c| c == category),
                "{category}: a disclosure not flagged: {text}"
            );
        }
        for text in *negatives {
            assert!(
                !flagged(text).iter().any(|c| c == category),
                "{category}: general text flagged: {text}"
            );
        }
    }
}

#[test]
fn a_personal_value_near_the_term_is_a_person_reference() {
    // Synthetic phone number, valid in its numbering plan: no cue word in the text.
    assert_eq!(flagged("联系电话 13912345678，糖尿病随访"), ["health"]);
    assert!(flagged("糖尿病随访").is_empty());
    // Too far away, or in another sentence: the value names no one the term is about.
    let far = format!("联系电话 13912345678，{}糖尿病随访", "的".repeat(60));
    assert!(flagged(&far).is_empty());
    assert!(flagged("联系电话 13912345678。糖尿病随访").is_empty());
}

#[test]
fn a_structured_row_is_one_subject() {
    let det = SensitiveDetector::builtin();
    let row = [
        field("phone", "13912345678"),
        field("diagnosis", "2型糖尿病"),
    ];
    assert_eq!(flagged_with(&det, &row), ["health"]);
    // A long document field is not a column: the value may belong to anyone.
    let long = "糖尿病的治疗包括饮食控制和运动。".repeat(30);
    let doc = [field("contact", "13912345678"), field("text", &long)];
    assert!(flagged_with(&det, &doc).is_empty());
}

#[test]
fn non_personal_values_and_company_codes_are_no_person() {
    // A documentation-range IP address and an e-mail on a reserved domain are tagged,
    // not counted, so they confirm nothing.
    assert!(flagged("糖尿病资料 192.0.2.10").is_empty());
    assert!(flagged("糖尿病资料 user@example.com").is_empty());
}

#[test]
fn a_record_counts_once_per_category_at_its_first_confirmed_term() {
    let det = SensitiveDetector::builtin();
    let text = "我有糖尿病和高血压，也在吃二甲双胍。我的银行卡丢了。";
    let mut out = Vec::new();
    det.flag_record(
        &mut SensitiveScratch::default(),
        &[field("text", text)],
        &[],
        &mut out,
    );
    let categories: Vec<&str> = out.iter().map(|f| f.category.as_str()).collect();
    assert_eq!(categories, ["health", "financial_account"]);
    let first = &out[0];
    assert_eq!(text.get(first.start..first.end), Some("糖尿病"));
    assert_eq!(det.rule_id(first.rule), "sensitive.health.condition");
}

#[test]
fn english_terms_need_word_edges_and_capitalised_terms_their_case() {
    assert!(flagged("My hobby is visiting cancerous-looking rocks").is_empty());
    // `AIDS` is written with capitals: the verb `aids` is not it.
    assert!(flagged("My diet aids digestion.").is_empty());
    assert_eq!(flagged("My brother has AIDS."), ["health"]);
}

#[test]
fn ages_count_below_fourteen_only() {
    for (text, age) in [
        ("8岁", Some(8)),
        ("十二岁", Some(12)),
        ("二十岁", Some(20)),
        ("三十五岁", Some(35)),
        ("十岁", Some(10)),
        ("５岁", Some(5)),
        ("5-year-old", Some(5)),
        ("five-year-old", Some(5)),
        ("2023岁", None),
        ("岁", None),
    ] {
        let at = text.find(['岁', 'y']).unwrap_or(text.len());
        let at = if text.contains("year") {
            text.find("year").unwrap_or(at)
        } else {
            at
        };
        assert_eq!(lexicon::number_before(text, at), age, "{text}");
    }
}

#[test]
fn the_builtin_lexicons_parse_and_name_every_category() {
    for (category, text) in lexicon::LEXICONS {
        let entries = lexicon::parse(text).unwrap_or_else(|e| panic!("{category}: {e}"));
        assert!(!entries.is_empty(), "{category}");
        assert!(
            entries.iter().all(|e| !e.veto),
            "{category}: vetoes are cues' only"
        );
    }
    let listed: Vec<&SensitiveCategory> = lexicon::LEXICONS.iter().map(|(c, _)| c).collect();
    assert_eq!(listed, SensitiveCategory::ALL.iter().collect::<Vec<_>>());
    assert!(lexicon::parse("[x: no_such_check]\nterm").is_err());
    assert!(lexicon::parse("[unclosed\nterm").is_err());
}

fn config(toml_text: &str) -> SensitiveConfig {
    let cfg: PiiConfig = toml::from_str(toml_text).unwrap_or_else(|e| panic!("{e}"));
    cfg.sensitive
}

#[test]
fn the_config_adds_terms_and_cues_and_disables_categories() {
    let text = "我最近得了长新冠，一直咳不停";
    let extended = "[sensitive.terms]\nhealth = [\"长新冠\"]\n";
    assert!(flagged_with(&SensitiveDetector::builtin(), &[field("t", "我得了长新冠")]).is_empty());
    let det = SensitiveDetector::with_config(&config(extended)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(flagged_with(&det, &[field("t", text)]), ["health"]);
    assert_ne!(
        det.rules_fingerprint(),
        SensitiveDetector::builtin().rules_fingerprint()
    );

    let cue = "[sensitive]\nperson_cues = [\"our client\"]\n";
    let det = SensitiveDetector::with_config(&config(cue)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        flagged_with(&det, &[field("t", "Our client has diabetes.")]),
        ["health"]
    );

    let off = "[sensitive]\ndisable = [\"health\"]\n";
    let det = SensitiveDetector::with_config(&config(off)).unwrap_or_else(|e| panic!("{e}"));
    assert!(flagged_with(&det, &[field("t", "我有糖尿病")]).is_empty());
}

#[test]
fn config_errors_name_the_field_and_never_the_term() {
    for (text, field) in [
        ("[sensitive]\ndisable = [\"helth\"]\n", "disable"),
        ("[sensitive.terms]\nhealthy = [\"x\"]\n", "terms"),
        ("[sensitive.terms]\nhealth = [\"  \"]\n", "terms"),
        ("[sensitive]\nperson_cues = [\"\"]\n", "person_cues"),
    ] {
        let err = SensitiveDetector::with_config(&config(text))
            .err()
            .unwrap_or_else(|| panic!("accepted: {text}"));
        let shown = err.to_string();
        assert!(shown.contains(field), "{shown}");
    }
    let secret = "[sensitive]\ndisable = [\"13912345678\"]\n";
    let err = SensitiveDetector::with_config(&config(secret))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(!err.contains("13912345678"), "{err}");
    assert!(toml::from_str::<PiiConfig>("[sensitive]\nterm = []\n").is_err());
}

#[test]
fn a_model_speaking_in_the_first_person_is_no_disclosure() {
    assert!(flagged("作为人工智能助手，我建议糖尿病患者多运动，我会为您列出食谱。").is_empty());
    assert!(flagged("As an AI language model, I am not able to diagnose diabetes.").is_empty());
    // A named or described subject still counts in the model's answer.
    assert_eq!(
        flagged("作为人工智能，我注意到王先生提到他确诊了糖尿病。"),
        ["health"]
    );
    // Assistant phrases and idioms are vetoed where they stand.
    assert!(flagged("我在这里为您解答糖尿病的问题。").is_empty());
    assert!(flagged("你能像我五岁那样解释一下吗？").is_empty());
}

#[test]
fn a_cue_inside_the_term_is_no_subject() {
    // `year-old girl` describes the age term itself: nobody is named.
    assert!(flagged("Identify the phrase: \"an eight year-old girl\".").is_empty());
    // Apart from the term, a described subject counts.
    assert_eq!(
        flagged("A 45-year-old woman was diagnosed with diabetes."),
        ["health"]
    );
}

#[test]
fn fractions_sums_and_ranges_are_no_ages() {
    assert_eq!(lexicon::number_before("38.4 years old", 5), None);
    assert_eq!(lexicon::number_before("X + 3 years old", 6), None);
    assert_eq!(lexicon::number_before("3-5岁", 3), None);
    assert_eq!(lexicon::number_before("my son, 5 years old", 10), Some(5));
    assert!(flagged("The median age in 2019 was 38.4 years old, my data says.").is_empty());
}

/// Many unconfirmed terms and many person values in one field: each term looks only
/// at the values in its window (binary search), so this finishes in linear time
/// (quadratic was 10^10 steps) and flags nothing, the values being in another sentence.
#[test]
fn many_terms_and_many_values_stay_linear() {
    let terms = "糖尿病，".repeat(100_000);
    let values = "13912345678，".repeat(100_000);
    let text = format!("{terms}。{values}");
    let det = SensitiveDetector::builtin();
    let pii = PiiDetector::builtin();
    let mut found = Vec::new();
    pii.scan(&text, &mut found);
    assert!(found.len() >= 100_000);
    let matches: Vec<(usize, PiiMatch)> = found.into_iter().map(|m| (0, m)).collect();
    let mut out = Vec::new();
    det.flag_record(
        &mut SensitiveScratch::default(),
        &[field("text", &text)],
        &matches,
        &mut out,
    );
    assert!(out.is_empty());
    // 10^6 cue characters and no term: the cue pass never runs.
    let cues = "我".repeat(1_000_000);
    det.flag_record(
        &mut SensitiveScratch::default(),
        &[field("text", &cues)],
        &[],
        &mut out,
    );
    assert!(out.is_empty());
}

/// A term that begins an organisation's name discloses nothing about the person named
/// beside it (ner-public: a party's name next to its leader); the same term as the
/// person's own belief or condition still counts.
#[test]
fn a_term_inside_an_organisation_name_is_no_disclosure() {
    assert!(flagged("我叫李明，是基督教民主党的党员。").is_empty());
    assert!(flagged("我参加了佛教协会组织的活动。").is_empty());
    assert!(flagged("本人在残疾人联合会工作。").is_empty());
    assert_eq!(flagged("我信仰基督教，每周做礼拜。"), ["religion"]);
    assert_eq!(flagged("我是残疾人，行动不便。"), ["specific_identity"]);
}

/// The sampled search, taken leftmost-longest, reports the terms the automaton it
/// replaced did (leftmost-longest over every case-folded occurrence, then the terms'
/// case and edges checked): on generated mixed prose with every seventh lexicon term
/// written into it, in its own case, upper case and glued to letters.
#[test]
fn the_sampled_search_agrees_with_the_automaton() {
    let det = SensitiveDetector::builtin();
    let mut text = crate::analyze::pii::synth::mixed_text(64 << 10, 3);
    for literal in det.literals.iter().step_by(7) {
        text.push_str(literal);
        text.push_str(" x ");
        text.push_str(&literal.to_uppercase());
        text.push_str("。a");
        text.push_str(literal);
        text.push_str("b ");
    }
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&det.literals)
        .unwrap();
    let standing = |p: usize, start: usize, end: usize| {
        let shape = det.term_info[p].shape;
        shape.accepts(&det.literals[p], &text, start, end)
    };
    let mut want = Vec::new();
    let mut got = Vec::new();
    for line in text.lines() {
        let base = line.as_ptr() as usize - text.as_ptr() as usize;
        want.extend(
            automaton
                .find_iter(line)
                .map(|m| (m.pattern().as_usize(), base + m.start(), base + m.end()))
                .filter(|&(p, s, e)| standing(p, s, e)),
        );
        let mut hits = Vec::new();
        det.terms.find_all(line, &mut hits);
        det.leftmost_longest(line, &mut hits);
        got.extend(
            hits.iter()
                .map(|h| (h.literal, base + h.start, base + h.end)),
        );
    }
    assert!(want.len() > 50, "the text holds lexicon terms");
    assert_eq!(got, want);
}

/// Switching every category off saves the pass: no automaton is built or run.
#[test]
fn every_category_off_costs_no_pass() {
    let all: Vec<String> = SensitiveCategory::ALL
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect();
    let off = format!("[sensitive]\ndisable = [{}]\n", all.join(", "));
    let det = SensitiveDetector::with_config(&config(&off)).unwrap_or_else(|e| panic!("{e}"));
    assert!(flagged_with(&det, &[field("t", "我有糖尿病，我是基督徒")]).is_empty());
    assert!(det.terms.is_empty(), "no term is searched for");
}
