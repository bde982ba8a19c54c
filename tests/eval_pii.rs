//! `provaudit eval-pii` (issue 15 item 7): exact figures on a tiny synthetic labelled
//! directory, located errors that show no text, and the CI recall floor on the
//! generated structured-type set written in the labelled format.
//!
//! Output never shows a value: the assertions check that none is printed.

mod common;

use std::path::{Path, PathBuf};

use provaudit::analyze::pii::synth::{self, structured};
use provaudit::analyze::pii::{PiiDetector, accuracy};
use provaudit::eval::labelled::{self, LabelledText, Span};
use provaudit::eval::{self, TypeMap};
use provaudit::synth::Rng;

fn span(kind: &str, start: usize, end: usize) -> Span {
    Span {
        kind: kind.into(),
        start,
        end,
    }
}

fn item(id: u64, text: &str, spans: Vec<Span>) -> LabelledText {
    LabelledText {
        id: id.into(),
        text: text.into(),
        spans,
    }
}

/// Five synthetic texts: a labelled e-mail address found (TP), an unlabelled one (FP),
/// a passport number without its context word (labelled, missed: FN), a resident ID
/// after its label (TP), and a place name whose label type `--map location=` drops.
fn tiny(dir: &Path) -> Vec<String> {
    let id = synth::resident_id(&mut Rng::new(0xE7A1));
    let texts = vec![
        item(
            0,
            "write to li.wei@qq.com today",
            vec![span("email", 9, 22)],
        ),
        item(1, "cc anna.kim07@163.com too", vec![]),
        item(2, "ref E12345678 filed", vec![span("passport", 4, 13)]),
        item(
            3,
            &format!("身份证号 {id}"),
            vec![span("cn_resident_id", 5, 23)],
        ),
        item(4, "we met in Paris", vec![span("location", 10, 15)]),
    ];
    labelled::write_dir(dir, &texts).unwrap();
    vec![
        "li.wei@qq.com".into(),
        "anna.kim07@163.com".into(),
        "E12345678".into(),
        id,
    ]
}

fn assert_no_value(output: &str, values: &[String]) {
    for v in values {
        assert!(!output.contains(v.as_str()), "a value was printed");
    }
}

#[test]
fn cli_gives_exact_figures_on_a_tiny_labelled_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny");
    let values = tiny(&dir);
    let dir_arg = dir.to_str().unwrap();
    let args = [
        "eval-pii",
        dir_arg,
        "--map",
        "passport=cn_passport",
        "--map",
        "location=",
    ];
    let json = common::provaudit(&[&args[..], &["--json"]].concat());
    let printed = common::text(&json);
    assert!(json.status.success(), "{printed}");
    assert_no_value(&printed, &values);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let d = &v["directories"][0];
    assert_eq!(d["texts"], 5);
    let fig = |t: &str, k: &str| d["types"][t][k].clone();
    let expect = |t: &str, counts: [u64; 5]| {
        let keys = ["labels", "detections", "tp", "fp", "fn"];
        for (k, n) in keys.iter().zip(counts) {
            assert_eq!(fig(t, k), n, "{t} {k}");
        }
    };
    expect("email", [1, 2, 1, 1, 0]);
    expect("cn_passport", [1, 0, 0, 0, 1]);
    expect("cn_resident_id", [1, 1, 1, 0, 0]);
    assert_eq!(fig("email", "precision"), 0.5);
    assert_eq!(fig("email", "recall"), 1.0);
    assert_eq!(fig("cn_passport", "recall"), 0.0);
    assert!(fig("cn_passport", "precision").is_null());
    assert!(d["types"].get("location").is_none(), "a dropped label type");
    let all = &d["all"];
    assert_eq!(
        (all["labels"].clone(), all["tp"].clone()),
        (3.into(), 2.into())
    );
    let p = all["precision"].as_f64().unwrap();
    assert!((p - 2.0 / 3.0).abs() < 1e-12 && all["recall"] == all["precision"]);

    let table = common::provaudit(&args);
    let printed = common::text(&table);
    assert!(table.status.success(), "{printed}");
    assert_no_value(&printed, &values);
    let row = |t: &str| {
        let line = printed.lines().find(|l| l.starts_with(&format!("{t} ")));
        line.map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
    };
    assert_eq!(
        row("email").as_deref(),
        Some("1 2 1 1 0 0.5000 1.0000 0.6667")
    );
    assert_eq!(row("cn_passport").as_deref(), Some("1 0 0 0 1 - 0.0000 -"));
}

#[test]
fn bad_labels_are_located_errors_without_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bad");
    let secret = "write to li.wei@qq.com today";
    let texts = [
        item(0, "fine", vec![]),
        item(1, secret, vec![span("email", 9, 99)]),
    ];
    labelled::write_dir(&dir, &texts).unwrap();
    let out = common::provaudit(&["eval-pii", dir.to_str().unwrap()]);
    let printed = common::text(&out);
    assert_eq!(out.status.code(), Some(2), "{printed}");
    assert!(
        printed.contains("labels.jsonl:2: span 0 ends past its text"),
        "{printed}"
    );
    assert!(!printed.contains("li.wei"), "a text was printed");

    std::fs::write(
        dir.join(labelled::LABELS),
        "{\"id\": 0, \"spans\": [{\"type\": \"li.wei@qq.com\"}]}\n",
    )
    .unwrap();
    let out = common::provaudit(&["eval-pii", dir.to_str().unwrap()]);
    let printed = common::text(&out);
    assert_eq!(out.status.code(), Some(2), "{printed}");
    assert!(printed.contains("labels.jsonl:1:"), "{printed}");
    assert!(!printed.contains("li.wei"), "a label was printed");
    let missing = common::provaudit(&["eval-pii", "--map", "nothing", dir.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
}

/// The CI floor: recall of every structured type on the generated set, measured by
/// the evaluation itself over the set written in the labelled format.
#[test]
fn generated_set_recall_is_at_least_0_98_per_structured_type() {
    let tmp = tempfile::tempdir().unwrap();
    let dir: PathBuf = tmp.path().join("generated");
    let set = eval::generated(structured::SIZE, structured::SEED);
    labelled::write_dir(&dir, &set).unwrap();
    let det = PiiDetector::builtin();
    let result = eval::evaluate(&det, &TypeMap::default(), &[dir]).unwrap();
    print!("{}", result.table());
    let mut failures = Vec::new();
    let labelled = result.total.types.iter().filter(|(_, c)| c.labels > 0);
    for (kind, c) in labelled {
        let recall = c.recall().unwrap_or(0.0);
        if c.labels < 200 || recall < 0.98 {
            failures.push(format!(
                "{kind}: recall {recall:.4} over {} labels",
                c.labels
            ));
        }
    }
    assert_eq!(result.total.texts, structured::SIZE as u64);
    let types = result.total.types.values().filter(|c| c.labels > 0).count();
    assert_eq!(types, 7, "{:?}", result.total.types.keys());
    assert!(failures.is_empty(), "{failures:#?}");
    // The report's accuracy table states what this measures (within 0.005).
    let stated = accuracy::ACCURACY
        .iter()
        .filter(|a| a.data_set == accuracy::GENERATED);
    for a in stated {
        let c = result
            .total
            .types
            .get(a.pii_type.as_str())
            .copied()
            .unwrap_or_default();
        let off = |stated: Option<f64>, measured: Option<f64>| match (stated, measured) {
            (Some(s), Some(m)) => (s - m).abs() > 0.005,
            (s, _) => s.is_some(),
        };
        assert!(
            !off(a.precision, c.precision()) && !off(a.recall, c.recall()),
            "{}: the accuracy table states P {:?} R {:?}, measured {:?} {:?}",
            a.pii_type,
            a.precision,
            a.recall,
            c.precision(),
            c.recall()
        );
    }
}
