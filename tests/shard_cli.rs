//! Sharded scans, merge and resume from the command line: N shards merged must be the
//! audit one unsharded scan writes, and every way shards can fail to belong together
//! must be refused with the shard named.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{demo, provaudit_in, text};
use serde_json::Value;

/// Two roots: the demo, and files that share most of their records with each other,
/// so scan-level duplicates (and the high-duplication flag) depend on files in other
/// shards.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-shard-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dups = dir.join("dups");
    std::fs::create_dir_all(&dups).unwrap();
    for f in 0..12 {
        let mut body = String::new();
        for r in 0..20 {
            let text = if r < 15 {
                format!("shared record {r} about tea")
            } else {
                format!("record {r} of file {f}")
            };
            body.push_str(&format!("{{\"text\": \"{text}\"}}\n"));
        }
        // Upper-case copies: duplicates only after normalisation.
        body.push_str(&format!("{{\"text\": \"SHARED RECORD {f} ABOUT TEA\"}}\n"));
        std::fs::write(dups.join(format!("part-{f:02}.jsonl")), body).unwrap();
    }
    dir
}

fn scan(dir: &Path, out: &str, extra: &[&str]) -> Output {
    let demo = demo();
    let mut args = vec!["scan", demo.to_str().unwrap(), "dups", "-o", out, "-q"];
    args.extend_from_slice(extra);
    provaudit_in(dir, &args)
}

fn shards(dir: &Path, n: u32, extra: &[&str]) -> Vec<String> {
    (0..n)
        .map(|i| {
            let out = format!("shard-{n}-{i}");
            let spec = format!("{i}/{n}");
            let mut args = vec!["--shard", spec.as_str(), "--no-report"];
            args.extend_from_slice(extra);
            let done = scan(dir, &out, &args);
            assert!(matches!(done.status.code(), Some(0 | 1)), "{}", text(&done));
            out
        })
        .collect()
}

fn merge(dir: &Path, shard_dirs: &[String], out: &str) -> Output {
    let mut args = vec!["merge", "-o", out, "-q"];
    args.extend(shard_dirs.iter().map(String::as_str));
    provaudit_in(dir, &args)
}

/// The files an unsharded scan and a merge must agree on byte for byte.
fn same_outputs(full: &Path, merged: &Path, what: &str) {
    for file in [
        "ledger.jsonl",
        "ledger.parquet",
        "findings.jsonl",
        "fingerprints.bin",
    ] {
        assert_eq!(
            std::fs::read(full.join(file)).unwrap(),
            std::fs::read(merged.join(file)).unwrap(),
            "{file} ({what})"
        );
    }
}

fn summary(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

/// The summary without what differs between any two runs (times, ids) or says how the
/// audit was made (shard, merged).
fn comparable(mut s: Value) -> Value {
    let map = s.as_object_mut().unwrap();
    for key in [
        "audit_id",
        "started",
        "finished",
        "duration_seconds",
        "shard",
        "merged",
    ] {
        map.remove(key);
    }
    // The disclosure says it was merged (and when): its hashes differ by design.
    if let Some(outputs) = map.get_mut("outputs").and_then(Value::as_object_mut) {
        outputs.retain(|name, _| !name.starts_with("disclosure."));
    }
    s
}

#[test]
fn merged_shards_equal_one_unsharded_scan_byte_for_byte() {
    let dir = workspace("equal");
    let full = scan(&dir, "full", &["--no-report"]);
    assert_eq!(full.status.code(), Some(1), "the demo has a broken file");
    let full_summary = summary(&dir.join("full"));
    assert!(
        full_summary["totals"]["duplicates"]["within_scan"]
            .as_u64()
            .unwrap()
            > 100,
        "the data must have cross-file duplicates for this test to mean anything"
    );
    for n in [1, 3, 7] {
        let parts = shards(&dir, n, &[]);
        // Shards alone undercount scan-level duplicates: the merge must recount.
        if n > 1 {
            let shard_dups: u64 = parts
                .iter()
                .map(|p| {
                    summary(&dir.join(p))["totals"]["duplicates"]["within_scan"]
                        .as_u64()
                        .unwrap()
                })
                .sum();
            assert!(
                shard_dups
                    < full_summary["totals"]["duplicates"]["within_scan"]
                        .as_u64()
                        .unwrap()
            );
        }
        let mut reversed = parts.clone();
        reversed.reverse();
        let out = format!("merged-{n}");
        let merged = merge(&dir, &reversed, &out);
        assert_eq!(merged.status.code(), Some(1), "{}", text(&merged));
        same_outputs(&dir.join("full"), &dir.join(&out), &format!("{n} shards"));
        let merged_summary = summary(&dir.join(&out));
        assert_eq!(
            merged_summary["merged"]["shards"].as_array().unwrap().len(),
            n as usize
        );
        assert_eq!(
            comparable(merged_summary),
            comparable(full_summary.clone()),
            "{n} shards"
        );
        let report = std::fs::read_to_string(dir.join(&out).join("disclosure.md")).unwrap();
        assert!(report.contains("Merged from shards"), "{report}");
    }
    // The sketch's estimate is close to the exact distinct count.
    let t = &full_summary["totals"];
    let distinct = t["records"].as_u64().unwrap()
        - t["duplicates"]["within_scan"].as_u64().unwrap()
        - t["quality"]["empty"].as_u64().unwrap_or(0);
    let estimate = full_summary["sketches"]["records"]["distinct_estimate"]
        .as_u64()
        .unwrap();
    assert!(
        (estimate as f64 - distinct as f64).abs() <= 0.05 * distinct as f64 + 2.0,
        "estimate {estimate}, exact about {distinct}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn merge_refuses_shards_that_do_not_belong_together() {
    let dir = workspace("refuse");
    let parts = shards(&dir, 3, &[]);
    let refused = |shard_dirs: &[String], expect: &str| {
        let out = merge(&dir, shard_dirs, "merged");
        let said = text(&out);
        assert_eq!(out.status.code(), Some(2), "{said}");
        assert!(said.contains(expect), "expected {expect:?} in {said}");
        assert!(!dir.join("merged/summary.json").exists(), "{said}");
    };
    refused(&parts[..2], "missing shard 2/3");
    refused(
        &[parts[0].clone(), parts[1].clone(), parts[1].clone()],
        "shard 1/3 is given twice",
    );

    // Another option: different job.
    let other = scan(
        &dir,
        "other-2",
        &["--shard", "2/3", "--text-unit", "paragraph"],
    );
    assert!(
        matches!(other.status.code(), Some(0 | 1)),
        "{}",
        text(&other)
    );
    refused(
        &[parts[0].clone(), parts[1].clone(), "other-2".into()],
        "different options",
    );

    // A file appears before the last shard runs: the listings differ.
    std::fs::write(dir.join("dups/late.jsonl"), "{\"text\": \"late\"}\n").unwrap();
    let late = scan(&dir, "late-2", &["--shard", "2/3"]);
    assert!(matches!(late.status.code(), Some(0 | 1)), "{}", text(&late));
    refused(
        &[parts[0].clone(), parts[1].clone(), "late-2".into()],
        "saw different files",
    );
    std::fs::remove_file(dir.join("dups/late.jsonl")).unwrap();

    // An altered shard output.
    let ledger = dir.join(&parts[1]).join("ledger.jsonl");
    let original = std::fs::read(&ledger).unwrap();
    let mut edited = original.clone();
    edited.extend_from_slice(b"\n");
    std::fs::write(&ledger, &edited).unwrap();
    refused(&parts, "ledger.jsonl changed since the scan");
    std::fs::write(&ledger, &original).unwrap();

    // An unsharded audit is not a shard.
    assert!(matches!(
        scan(&dir, "whole", &[]).status.code(),
        Some(0 | 1)
    ));
    refused(&["whole".into()], "not a shard audit");
    let ok = merge(&dir, &parts, "merged");
    assert_eq!(ok.status.code(), Some(1), "{}", text(&ok));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn resume_keeps_a_finished_shard_and_rescans_anything_else() {
    let dir = workspace("resume");
    let first = scan(&dir, "s", &["--shard", "1/4", "--resume"]);
    assert!(
        matches!(first.status.code(), Some(0 | 1)),
        "{}",
        text(&first)
    );
    let written = std::fs::read(dir.join("s/summary.json")).unwrap();

    let again = scan(&dir, "s", &["--shard", "1/4", "--resume", "--json"]);
    assert_eq!(again.status.code(), first.status.code());
    assert_eq!(again.stdout, written, "--json prints the kept summary");
    assert_eq!(std::fs::read(dir.join("s/summary.json")).unwrap(), written);

    // Without --resume, or with an altered output, or as another shard: scanned again.
    let rescans = |extra: &[&str], why: &str| {
        let mut args = vec!["--resume"];
        args.extend_from_slice(extra);
        let out = scan(&dir, "s", &args);
        let said = text(&out);
        assert!(said.contains(why), "expected {why:?} in {said}");
        assert_ne!(std::fs::read(dir.join("s/summary.json")).unwrap(), written);
    };
    std::fs::write(dir.join("s/findings.jsonl"), "").unwrap();
    rescans(&["--shard", "1/4"], "findings.jsonl changed since the scan");
    rescans(&["--shard", "2/4"], "it is shard 1/4");
    rescans(
        &["--shard", "2/4", "--fail-on", "pii.max_record_share=0.99"],
        "another policy",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The safety lexicons are rules: a finished audit screened without them (or with
/// others) is not the audit `--resume --safety-lexicon` asks for, and one screened with
/// the same lexicon is kept rather than rescanned.
#[test]
fn resume_compares_the_safety_lexicons_too() {
    let dir = workspace("resume-safety");
    let lexicon = demo().join("../safety-demo.toml");
    let lexicon = lexicon.to_str().unwrap();
    let plain = scan(&dir, "s", &["--resume", "--no-report"]);
    assert!(
        matches!(plain.status.code(), Some(0 | 1)),
        "{}",
        text(&plain)
    );
    let unscreened = std::fs::read(dir.join("s/summary.json")).unwrap();

    let screened = scan(
        &dir,
        "s",
        &["--resume", "--no-report", "--safety-lexicon", lexicon],
    );
    assert!(
        text(&screened).contains("other rules"),
        "{}",
        text(&screened)
    );
    let written = std::fs::read(dir.join("s/summary.json")).unwrap();
    assert_ne!(written, unscreened, "rescanned with the lexicon");

    let again = scan(
        &dir,
        "s",
        &["--resume", "--no-report", "--safety-lexicon", lexicon],
    );
    assert_eq!(
        again.status.code(),
        screened.status.code(),
        "{}",
        text(&again)
    );
    assert_eq!(
        std::fs::read(dir.join("s/summary.json")).unwrap(),
        written,
        "kept"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn merge_names_impossible_and_missing_shards_without_trusting_their_count() {
    let dir = workspace("count");
    let parts = shards(&dir, 2, &[]);
    let path = dir.join(&parts[0]).join("summary.json");
    let original = std::fs::read_to_string(&path).unwrap();
    for (spec, count) in [("0/0", 0u64), ("0/4000000000", 4_000_000_000)] {
        let mut s: Value = serde_json::from_str(&original).unwrap();
        s["shard"]["spec"] = spec.into();
        s["shard"]["count"] = count.into();
        std::fs::write(&path, serde_json::to_string(&s).unwrap()).unwrap();
        let out = merge(&dir, &parts[..1], "merged");
        let said = text(&out);
        assert_eq!(out.status.code(), Some(2), "{said}");
        let expect = if count == 0 {
            "cannot be"
        } else {
            "and 3999999979 more"
        };
        assert!(said.contains(expect), "{said}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn resume_scans_again_when_the_data_changed_since() {
    let dir = workspace("changed");
    let first = scan(&dir, "r", &["--resume"]);
    assert!(
        matches!(first.status.code(), Some(0 | 1)),
        "{}",
        text(&first)
    );
    let written = std::fs::read(dir.join("r/summary.json")).unwrap();
    let kept = scan(&dir, "r", &["--resume"]);
    assert_eq!(kept.status.code(), first.status.code(), "{}", text(&kept));
    assert_eq!(std::fs::read(dir.join("r/summary.json")).unwrap(), written);

    // A month later the same run folder, new data: not last month's audit again.
    std::fs::write(dir.join("dups/part-99.jsonl"), "{\"text\": \"new\"}\n").unwrap();
    let again = scan(&dir, "r", &["--resume"]);
    assert!(
        text(&again).contains("the data changed"),
        "{}",
        text(&again)
    );
    let ledger = std::fs::read_to_string(dir.join("r/ledger.jsonl")).unwrap();
    assert!(ledger.contains("part-99.jsonl"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shards_scanned_from_a_plan_merge_to_the_unsharded_scan() {
    let dir = workspace("plan");
    let demo = demo();
    let demo = demo.to_str().unwrap();
    let full = scan(&dir, "full", &["--no-report"]);
    let planned = provaudit_in(&dir, &["plan", demo, "dups", "--shards", "3", "-o", "plan"]);
    assert_eq!(planned.status.code(), Some(0), "{}", text(&planned));
    assert!(text(&planned).contains("in 3 shards"), "{}", text(&planned));
    let listed = shards(&dir, 3, &[]);
    let mut parts = Vec::new();
    for (i, listed) in listed.iter().enumerate() {
        let (spec, out) = (format!("{i}/3"), format!("planned-{i}"));
        let run = provaudit_in(
            &dir,
            &[
                "scan",
                "--plan",
                "plan",
                "--shard",
                &spec,
                "-o",
                &out,
                "-q",
                "--no-report",
            ],
        );
        assert!(matches!(run.status.code(), Some(0 | 1)), "{}", text(&run));
        // The same audit as the shard that listed for itself.
        assert_eq!(
            std::fs::read(dir.join(&out).join("ledger.jsonl")).unwrap(),
            std::fs::read(dir.join(listed).join("ledger.jsonl")).unwrap(),
            "shard {i}"
        );
        parts.push(out);
    }
    let merged = merge(&dir, &parts, "merged");
    assert_eq!(
        merged.status.code(),
        full.status.code(),
        "{}",
        text(&merged)
    );
    same_outputs(&dir.join("full"), &dir.join("merged"), "plan");
    // A list edited after planning is refused, not trusted.
    let list = dir.join("plan/shard-00001-of-00003.jsonl");
    let mut edited = std::fs::read_to_string(&list).unwrap();
    edited.push('\n');
    std::fs::write(&list, edited).unwrap();
    let run = provaudit_in(
        &dir,
        &["scan", "--plan", "plan", "--shard", "1/3", "-o", "x"],
    );
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(text(&run).contains("SHA-256"), "{}", text(&run));
    let _ = std::fs::remove_dir_all(&dir);
}
