//! Accuracy of license / copyright / opt-out detection on the synthetic,
//! labelled fixture set of `synth.rs`. Prints a table and fails when a group
//! falls below its floor.

use std::collections::{BTreeMap, BTreeSet};

use provaudit::analyze::license::synth::{self, Expect, Fixture};
use provaudit::analyze::license::{LicenseDetector, LicenseMatch, MarkerKind};

/// Minimum share of correct fixtures per group (negatives: maximum share of
/// texts with any marker).
fn floor(group: &str) -> f64 {
    match group {
        "full_text" | "header" => 0.97,
        _ => 0.95,
    }
}
const MAX_FALSE_RATE: f64 = 0.01;

fn licenses(v: &[LicenseMatch]) -> BTreeSet<&str> {
    v.iter()
        .filter(|m| m.kind == MarkerKind::License)
        .filter_map(|m| m.license.as_deref())
        .collect()
}

/// A license fixture is right only if exactly the expected id is reported.
fn judge(expect: &Expect, found: &[LicenseMatch]) -> bool {
    match expect {
        Expect::License(id) => licenses(found) == BTreeSet::from([id.as_str()]),
        Expect::Marker(k) => found.iter().any(|m| m.kind == *k),
        Expect::Nothing => found.is_empty(),
    }
}

fn offsets_valid(text: &str, found: &[LicenseMatch]) -> bool {
    found.iter().all(|m| {
        m.start <= m.end
            && m.end <= text.len()
            && text.is_char_boundary(m.start)
            && text.is_char_boundary(m.end)
    })
}

#[derive(Default)]
struct Tally {
    n: usize,
    correct: usize,
    failures: Vec<String>,
}

fn describe(f: &Fixture, found: &[LicenseMatch]) -> String {
    let got: Vec<String> = found
        .iter()
        .map(|m| {
            format!(
                "{}:{}:{}",
                m.kind.as_str(),
                m.license.as_deref().unwrap_or("-"),
                m.rule
            )
        })
        .collect();
    let head: String = f
        .text
        .chars()
        .take(90)
        .collect::<String>()
        .replace('\n', "⏎");
    format!("expected {:?}, got {:?} in {head:?}", f.expect, got)
}

#[test]
fn accuracy_table() {
    let detector = LicenseDetector::builtin();
    let fixtures = synth::all();
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for f in &fixtures {
        let mut found = Vec::new();
        detector.scan_text(&f.text, &mut found);
        assert!(
            offsets_valid(&f.text, &found),
            "bad offsets: {}",
            describe(f, &found)
        );
        let t = tallies.entry(f.group).or_default();
        t.n += 1;
        if judge(&f.expect, &found) {
            t.correct += 1;
        } else if t.failures.len() < 40 {
            t.failures.push(describe(f, &found));
        }
    }
    println!(
        "\n{:<22} {:>6} {:>8} {:>8}  floor",
        "fixture category", "n", "correct", "rate"
    );
    let mut failed = Vec::new();
    for (group, t) in &tallies {
        let rate = t.correct as f64 / t.n.max(1) as f64;
        let (ok, bound) = if *group == "negative" {
            let false_rate = 1.0 - rate;
            (
                false_rate <= MAX_FALSE_RATE,
                format!(
                    "false markers {:.2}% <= {:.0}%",
                    false_rate * 100.0,
                    MAX_FALSE_RATE * 100.0
                ),
            )
        } else {
            (
                rate >= floor(group),
                format!(">= {:.0}%", floor(group) * 100.0),
            )
        };
        println!(
            "{group:<22} {:>6} {:>8} {:>7.2}%  {bound}{}",
            t.n,
            t.correct,
            rate * 100.0,
            if ok { "" } else { "  FAIL" }
        );
        for fail in &t.failures {
            println!("    miss: {fail}");
        }
        if !ok {
            failed.push(*group);
        }
    }
    let licenses_with_texts: BTreeSet<&str> =
        synth::FULL_TEXT_IDS.iter().map(|(id, _)| *id).collect();
    assert!(
        licenses_with_texts.len() >= 20,
        "need >= 20 licenses with full texts"
    );
    assert!(
        tallies.get("negative").map_or(0, |t| t.n) >= 300,
        "need >= 300 negatives"
    );
    assert!(failed.is_empty(), "groups below their floor: {failed:?}");
}

/// The judge must reject wrong answers, or the table above proves nothing.
#[test]
fn judge_rejects_wrong_answers() {
    let m = |l: &str| LicenseMatch {
        kind: MarkerKind::License,
        evidence: None,
        license: Some(l.to_string()),
        rule: "t",
        start: 0,
        end: 0,
    };
    assert!(judge(&Expect::License("MIT".into()), &[m("MIT")]));
    assert!(!judge(&Expect::License("MIT".into()), &[m("MIT-0")]));
    assert!(!judge(
        &Expect::License("MIT".into()),
        &[m("MIT"), m("GPL-3.0-only")]
    ));
    assert!(!judge(&Expect::License("MIT".into()), &[]));
    assert!(!judge(&Expect::Nothing, &[m("MIT")]));
    assert!(!judge(&Expect::Marker(MarkerKind::TdmOptOut), &[m("MIT")]));
}
