//! Sampled human review from the command line: `sample` draws the same records and
//! writes the same bytes for the same seed, masks every detected personal-information
//! value, marks lexicon hits by category and term id, and refuses data changed since the
//! audit; `review` records pass rates with Wilson intervals in `review.json`, which
//! `verify` then covers, and refuses verdicts that do not fit the sample (a record not in
//! it, a duplicate, an unknown category, another seed, a damaged file) without changing
//! what was recorded.

mod common;
#[allow(dead_code)]
mod support {
    pub mod seaweed;
}

use std::path::{Path, PathBuf};

use common::{demo, provaudit, text};
use serde_json::{Value, json};

/// Raw personal-information values planted in the corpus: none may reach the review set.
const RAW_PI: [&str; 3] = ["13912345678", "wang.lei@corpmail.cn", "11010519491231002X"];

/// Two sources, `web` (60 records, some with PI, some with demo-lexicon terms) and
/// `chat` (40 records), scanned with the demo lexicon into `DIR/audit`.
fn audited(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-review-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let web = dir.join("data/web");
    let chat = dir.join("data/chat");
    std::fs::create_dir_all(&web).unwrap();
    std::fs::create_dir_all(&chat).unwrap();
    let mut body = String::new();
    for i in 0..60 {
        let text = match i % 6 {
            0 => format!("record {i}: call 13912345678 or mail wang.lei@corpmail.cn"),
            1 => format!("record {i} mentions zorblax and <b>markup</b> & more"),
            2 => format!("记录 {i}：身份证 11010519491231002X，贼猫词"),
            _ => format!("plain web record number {i}"),
        };
        body.push_str(&serde_json::to_string(&json!({ "text": text })).unwrap());
        body.push('\n');
    }
    std::fs::write(web.join("part-0.jsonl"), body).unwrap();
    let mut body = String::new();
    for i in 0..40 {
        let reply = if i % 10 == 0 { "snarkle pie" } else { "fine" };
        body.push_str(
            &serde_json::to_string(&json!({ "messages": [
                { "role": "user", "content": format!("question {i}") },
                { "role": "assistant", "content": reply }
            ]}))
            .unwrap(),
        );
        body.push('\n');
    }
    std::fs::write(chat.join("dialogues.jsonl"), body).unwrap();
    let out = dir.join("audit");
    let scanned = provaudit(&[
        "scan",
        dir.join("data").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--findings",
        "all",
        "--safety-lexicon",
        lexicon().to_str().unwrap(),
    ]);
    assert!(
        matches!(scanned.status.code(), Some(0 | 3)),
        "{}",
        text(&scanned)
    );
    dir
}

fn lexicon() -> PathBuf {
    demo().parent().unwrap().join("safety-demo.toml")
}

fn sample(audit: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "sample",
        audit.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    provaudit(&args)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_lines(path: &Path) -> Vec<Value> {
    String::from_utf8(read(path))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_masks_every_value() {
    let dir = audited("seed");
    let audit = dir.join("audit");
    let (a, b, c) = (dir.join("a"), dir.join("b"), dir.join("c"));
    for (out, seed) in [(&a, "7"), (&b, "7"), (&c, "8")] {
        let run = sample(&audit, out, &["--size", "30", "--seed", seed]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    }
    for name in ["sample.jsonl", "sample.json", "review.html"] {
        assert_eq!(read(&a.join(name)), read(&b.join(name)), "{name} differs");
    }
    let manifest: Value = serde_json::from_slice(&read(&a.join("sample.json"))).unwrap();
    let other: Value = serde_json::from_slice(&read(&c.join("sample.json"))).unwrap();
    assert_ne!(
        manifest["records"], other["records"],
        "seed 8 drew seed 7's sample"
    );
    assert_eq!(manifest["seed"], 7);
    assert_eq!(manifest["drawn"], 30);
    let summary: Value = serde_json::from_slice(&read(&audit.join("summary.json"))).unwrap();
    assert_eq!(manifest["merkle_root"], summary["ledger"]["merkle_root"]);
    assert_eq!(
        manifest["sample_jsonl_sha256"].as_str().unwrap(),
        sha256_hex(&read(&a.join("sample.jsonl")))
    );
    let items = json_lines(&a.join("sample.jsonl"));
    let ids: Vec<&Value> = items.iter().map(|i| &i["id"]).collect();
    let listed: Vec<&Value> = manifest["records"].as_array().unwrap().iter().collect();
    assert_eq!(ids, listed);

    // The whole population, so every planted value and term is in the sample.
    let all = dir.join("all");
    let run = sample(&audit, &all, &["--size", "4000"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let manifest: Value = serde_json::from_slice(&read(&all.join("sample.json"))).unwrap();
    assert_eq!(manifest["drawn"], 100);
    assert_eq!(manifest["seed"], 45654, "the documented default seed");
    for name in ["sample.jsonl", "sample.json", "review.html"] {
        let written = String::from_utf8(read(&all.join(name))).unwrap();
        for raw in RAW_PI {
            assert!(!written.contains(raw), "{name} holds a raw value");
        }
    }
    let jsonl = String::from_utf8(read(&all.join("sample.jsonl"))).unwrap();
    assert!(jsonl.contains("139****5678"), "phone mask missing");
    let items = json_lines(&all.join("sample.jsonl"));
    let hits: Vec<&Value> = items
        .iter()
        .flat_map(|i| i["fields"].as_array().unwrap())
        .flat_map(|f| f["hits"].as_array().unwrap())
        .collect();
    let categories: std::collections::BTreeSet<&str> = hits
        .iter()
        .map(|h| h["category"].as_str().unwrap())
        .collect();
    assert!(
        categories.contains("A.1.1") && categories.contains("A.4.6"),
        "{categories:?}"
    );
    assert!(categories.contains("user.demo"), "{categories:?}");
    for h in &hits {
        let term = h["term"].as_str().unwrap();
        assert!(term.starts_with("safety-demo#"), "{term}");
        assert_eq!(h.as_object().unwrap().len(), 4, "a hit carries more: {h}");
    }
    // Hit offsets point at the term in the masked text (character offsets).
    let item = items
        .iter()
        .find(|i| i["fields"][0]["text"].as_str().unwrap().contains("贼猫词"))
        .unwrap();
    let field = &item["fields"][0];
    let chars: Vec<char> = field["text"].as_str().unwrap().chars().collect();
    let hit = &field["hits"][0];
    let (s, e) = (
        hit["start"].as_u64().unwrap() as usize,
        hit["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[s..e].iter().collect::<String>(), "贼猫词");
    assert_eq!(item["flagged"], json!(["A.4.6"]));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn strata_and_per_source_draw_from_every_source() {
    let dir = audited("strata");
    let audit = dir.join("audit");
    let out = dir.join("per-source");
    let run = sample(&audit, &out, &["--size", "10", "--per-source"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let items = json_lines(&out.join("sample.jsonl"));
    let count = |source: &str| items.iter().filter(|i| i["source"] == source).count();
    assert_eq!((count("web"), count("chat")), (10, 10));

    let out = dir.join("stratified");
    let run = sample(
        &audit,
        &out,
        &["--size", "10", "--stratify", "stage,source"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let manifest: Value = serde_json::from_slice(&read(&out.join("sample.json"))).unwrap();
    assert_eq!(manifest["strata"], json!(["source", "stage"]));
    let items = json_lines(&out.join("sample.jsonl"));
    // 60 and 40 records: 6 and 4 of 10.
    let count = |source: &str| items.iter().filter(|i| i["source"] == source).count();
    assert_eq!((count("web"), count("chat")), (6, 4));

    let run = sample(&audit, &dir.join("bad"), &["--stratify", "language"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run).contains("--stratify"), "{}", text(&run));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn data_changed_since_the_audit_is_refused() {
    let dir = audited("changed");
    let file = dir.join("data/web/part-0.jsonl");
    let mut body = read(&file);
    body.extend_from_slice(b"{\"text\": \"added later\"}\n");
    std::fs::write(&file, body).unwrap();
    let run = sample(&dir.join("audit"), &dir.join("s"), &["--size", "100"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(
        text(&run).contains("changed since the audit"),
        "{}",
        text(&run)
    );
    assert!(!dir.join("s/sample.jsonl").exists());
    let _ = std::fs::remove_dir_all(dir);
}

/// Verdicts as the page exports them, for the sample in `review_dir`: the first
/// `fail` records marked A.1.1, the rest pass.
fn verdicts(review_dir: &Path, fail: usize) -> Value {
    let manifest: Value = serde_json::from_slice(&read(&review_dir.join("sample.json"))).unwrap();
    let verdicts: Vec<Value> = manifest["records"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let verdict = if i < fail { "A.1.1" } else { "pass" };
            json!({ "id": id, "verdict": verdict, "note": "" })
        })
        .collect();
    json!({
        "format": "provaudit.verdicts/1",
        "sample_id": manifest["sample_id"],
        "seed": manifest["seed"],
        "size": manifest["size"],
        "per_source": manifest["per_source"],
        "strata": manifest["strata"],
        "audit_id": manifest["audit_id"],
        "merkle_root": manifest["merkle_root"],
        "reviewer": "page name",
        "verdicts": verdicts,
    })
}

/// `provaudit report AUDIT --format md -o REP`, asserting success; the Markdown.
fn report_md(audit: &Path, rep: &Path) -> String {
    let run = provaudit(&[
        "report",
        audit.to_str().unwrap(),
        "--format",
        "md",
        "-o",
        rep.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    String::from_utf8(read(&rep.join("disclosure.md"))).unwrap()
}

fn review(audit: &Path, verdicts: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "review",
        audit.to_str().unwrap(),
        verdicts.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    provaudit(&args)
}

#[test]
fn review_records_pass_rates_and_verify_covers_them() {
    let dir = audited("review");
    let audit = dir.join("audit");
    let set = dir.join("set");
    let run = sample(&audit, &set, &["--size", "50"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let file = dir.join("verdicts.json");
    std::fs::write(&file, verdicts(&set, 2).to_string()).unwrap();
    let run = review(&audit, &file, &["--reviewer", "Li Na"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let record: Value = serde_json::from_slice(&read(&audit.join("review.json"))).unwrap();
    assert_eq!(record["reviewer"], "Li Na");
    assert_eq!(record["sampled"], 50);
    assert_eq!(record["overall"]["reviewed"], 50);
    assert_eq!(record["overall"]["passed"], 48);
    assert_eq!(record["overall"]["rate"], 0.96);
    let low = record["overall"]["wilson_low"].as_f64().unwrap();
    let high = record["overall"]["wilson_high"].as_f64().unwrap();
    assert!(low < 0.96 && 0.96 < high && high <= 1.0, "{low} {high}");
    assert_eq!(record["categories"], json!({ "A.1.1": 2 }));
    assert_eq!(record["thresholds"]["min_items"], 4000);
    assert_eq!(record["thresholds"]["min_pass_rate"], 0.96);
    let per_source = record["per_source_results"].as_object().unwrap();
    assert_eq!(per_source.len(), 2);
    let sampled: u64 = per_source
        .values()
        .map(|r| r["sampled"].as_u64().unwrap())
        .sum();
    assert_eq!(sampled, 50);
    assert!(record["technical"]["screened"].as_bool().unwrap());
    assert!(record["technical"]["records_with_hits"].as_u64().unwrap() > 0);
    let summary: Value = serde_json::from_slice(&read(&audit.join("summary.json"))).unwrap();
    assert!(summary["outputs"]["review.json"].is_string());

    let verify = provaudit(&["verify", audit.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    // The report states the manual review beside the standard's thresholds.
    let md = report_md(&audit, &dir.join("rep"));
    assert!(md.contains("96%") && md.contains("4,000"), "{md}");
    assert!(md.contains("Li Na"), "reviewer missing from the report");
    // The China filing checklist's GB/T 45654-2025 item quotes the manual review.
    assert!(
        md.contains("manual sampled review passed 48/50, 96.0%"),
        "filing item lacks the review"
    );
    assert!(
        md.contains("人工抽检合格 48/50"),
        "filing item lacks the review (zh)"
    );

    let mut edited = read(&audit.join("review.json"));
    edited.extend_from_slice(b" ");
    std::fs::write(audit.join("review.json"), edited).unwrap();
    let verify = provaudit(&["verify", audit.to_str().unwrap(), "--ledger-only"]);
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify));
    assert!(text(&verify).contains("review.json"), "{}", text(&verify));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn verdicts_that_do_not_fit_the_sample_are_refused_and_change_nothing() {
    let dir = audited("refuse");
    let audit = dir.join("audit");
    let set = dir.join("set");
    let run = sample(&audit, &set, &["--size", "20", "--seed", "3"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let good = dir.join("good.json");
    std::fs::write(&good, verdicts(&set, 1).to_string()).unwrap();
    let run = review(&audit, &good, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let recorded = read(&audit.join("review.json"));
    let summary = read(&audit.join("summary.json"));
    let record: Value = serde_json::from_slice(&recorded).unwrap();
    assert_eq!(
        record["reviewer"], "page name",
        "the page's reviewer is kept"
    );

    let base = verdicts(&set, 0);
    let mut cases: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    let mut stranger = base.clone();
    stranger["verdicts"][0]["id"] = json!("data/web/part-0.jsonl#9999");
    cases.push(("stranger", stranger.to_string().into(), "not in sample"));
    let mut twice = base.clone();
    let first = twice["verdicts"][0].clone();
    twice["verdicts"].as_array_mut().unwrap().push(first);
    cases.push(("duplicate", twice.to_string().into(), "second verdict"));
    let mut unknown = base.clone();
    unknown["verdicts"][1]["verdict"] = json!("A.9.9");
    cases.push(("category", unknown.to_string().into(), "unknown category"));
    let mut seed = base.clone();
    seed["seed"] = json!(4);
    cases.push(("seed", seed.to_string().into(), "is not the sample"));
    let mut root = base.clone();
    root["merkle_root"] = json!("00".repeat(32));
    cases.push(("root", root.to_string().into(), "Merkle root"));
    let mut damaged = base.to_string().into_bytes();
    damaged.truncate(damaged.len() / 2);
    cases.push(("damaged", damaged, "not a verdicts file"));
    for (name, body, reason) in cases {
        let file = dir.join(format!("{name}.json"));
        std::fs::write(&file, body).unwrap();
        let run = review(&audit, &file, &[]);
        assert_eq!(run.status.code(), Some(2), "{name}: {}", text(&run));
        assert!(text(&run).contains(reason), "{name}: {}", text(&run));
        assert_eq!(read(&audit.join("review.json")), recorded, "{name}");
        assert_eq!(read(&audit.join("summary.json")), summary, "{name}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_report_says_when_no_manual_review_is_recorded() {
    let dir = audited("none");
    let md = report_md(&dir.join("audit"), &dir.join("rep"));
    assert!(md.contains("no manual review recorded"), "{md}");
    assert!(md.contains("未记录人工抽检"), "{md}");
    let _ = std::fs::remove_dir_all(dir);
}

fn demo_classifier() -> String {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/classifier/demo-classifier.sh");
    format!("sh {}", script.display())
}

#[test]
fn a_classifier_scores_the_masked_sample_and_joins_the_technical_sample() {
    let dir = audited("classifier");
    let audit = dir.join("audit");
    let set = dir.join("set");
    let classifier = demo_classifier();
    let run = sample(
        &audit,
        &set,
        &["--size", "4000", "--classifier", &classifier],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let manifest: Value = serde_json::from_slice(&read(&set.join("sample.json"))).unwrap();
    let info = &manifest["classifier"];
    assert_eq!(info["version"], "demo-classifier 1.0");
    assert_eq!(info["records_scored"], 100);
    // Records 1, 7, 13, ... of the 60 web records hold "zorblax": 10 of them.
    assert_eq!(info["records_flagged"], 10);
    let items = json_lines(&set.join("sample.jsonl"));
    let flagged = items
        .iter()
        .filter(|i| i["classifier"]["category"] == "A.1.1")
        .count();
    assert_eq!(flagged, 10);
    assert!(items.iter().all(|i| i["classifier"]["score"].is_number()));

    // Carried into review.json by `review --sample`, and stated in the report.
    let file = dir.join("verdicts.json");
    std::fs::write(&file, verdicts(&set, 0).to_string()).unwrap();
    let run = review(&audit, &file, &["--sample", set.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let record: Value = serde_json::from_slice(&read(&audit.join("review.json"))).unwrap();
    assert_eq!(record["technical"]["classifier"]["records_flagged"], 10);
    let md = report_md(&audit, &dir.join("rep"));
    assert!(
        md.contains("demo-classifier 1.0"),
        "classifier missing from the report"
    );

    // An edited review set is not taken.
    let mut edited = read(&set.join("sample.jsonl"));
    edited.push(b'\n');
    std::fs::write(set.join("sample.jsonl"), edited).unwrap();
    let run = review(&audit, &file, &["--sample", set.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));

    // A classifier that writes too few lines, or fails, stops the sample.
    for bad in ["head -n 1 >/dev/null; echo 0.5", "exit 3"] {
        let run = sample(
            &audit,
            &dir.join("bad"),
            &["--size", "5", "--classifier", bad],
        );
        assert_eq!(run.status.code(), Some(2), "{bad}: {}", text(&run));
        assert!(text(&run).contains("--classifier"), "{}", text(&run));
    }
    // Without --classifier, no classifier field at all.
    let plain = dir.join("plain");
    let run = sample(&audit, &plain, &["--size", "5"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let manifest: Value = serde_json::from_slice(&read(&plain.join("sample.json"))).unwrap();
    assert!(manifest.get("classifier").is_none());
    assert!(
        json_lines(&plain.join("sample.jsonl"))
            .iter()
            .all(|i| i.get("classifier").is_none())
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// The items of a sample with what differs between a disk and a bucket (the root, and so
/// the id) taken out.
fn items_without_root(set: &Path) -> Vec<Value> {
    json_lines(&set.join("sample.jsonl"))
        .into_iter()
        .map(|mut item| {
            let object = item.as_object_mut().unwrap();
            object.remove("root");
            object.remove("id");
            item
        })
        .collect()
}

/// The same seed draws the same records from the demo on disk and from the same files
/// in an S3 bucket (SeaweedFS on loopback; SKIPPED without `weed`).
#[test]
fn the_same_seed_samples_a_bucket_as_the_disk() {
    let Some(server) = support::seaweed::Seaweed::start() else {
        return;
    };
    server.create_bucket("lake");
    server.upload_dir("lake", "datasets/demo", &demo());
    let dir = std::env::temp_dir().join(format!("provaudit-review-s3-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let run_in = |args: &[&str]| support::seaweed::provaudit_anonymous(&dir, args);
    let endpoint = server.endpoint();
    let demo = demo();
    let local = run_in(&["scan", demo.to_str().unwrap(), "-o", "local", "-q"]);
    let remote = run_in(&[
        "scan",
        "s3://lake/datasets/demo",
        "--s3-endpoint",
        &endpoint,
        "-o",
        "remote",
        "-q",
    ]);
    assert_eq!(
        remote.status.code(),
        local.status.code(),
        "{}",
        text(&remote)
    );
    for audit in ["local", "remote"] {
        let out = format!("{audit}-set");
        let run = run_in(&[
            "sample", audit, "--size", "25", "--seed", "11", "--out", &out,
        ]);
        assert_eq!(run.status.code(), Some(0), "{audit}: {}", text(&run));
    }
    let on_disk = items_without_root(&dir.join("local-set"));
    assert_eq!(on_disk.len(), 25);
    assert_eq!(items_without_root(&dir.join("remote-set")), on_disk);
    let _ = std::fs::remove_dir_all(dir);
}

/// The scan's user PII rules (`--config`) mask their values in the sample too.
#[test]
fn user_pii_rules_mask_their_values_in_the_sample() {
    let dir = std::env::temp_dir().join(format!("provaudit-review-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data/hr")).unwrap();
    std::fs::write(
        dir.join("data/hr/staff.jsonl"),
        "{\"text\": \"employee EMP-493817 joined\"}\n{\"text\": \"nothing here\"}\n",
    )
    .unwrap();
    let config = dir.join("provaudit-config.toml");
    std::fs::write(
        &config,
        "[[pii.rules]]\nid = \"employee_id\"\ntype = \"secret\"\npattern = \"EMP-[0-9]{6}\"\n",
    )
    .unwrap();
    let audit = dir.join("audit");
    let scanned = provaudit(&[
        "scan",
        dir.join("data").to_str().unwrap(),
        "-o",
        audit.to_str().unwrap(),
        "-q",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(scanned.status.code(), Some(0), "{}", text(&scanned));
    let plain = dir.join("plain");
    let run = sample(&audit, &plain, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let with = dir.join("with-config");
    let run = sample(&audit, &with, &["--config", config.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let written = String::from_utf8(read(&with.join("sample.jsonl"))).unwrap();
    assert!(!written.contains("493817"), "{written}");
    assert!(written.contains("\"secret\":1"), "{written}");
    // Without the rules the value is not personal information to provaudit.
    let plain = String::from_utf8(read(&plain.join("sample.jsonl"))).unwrap();
    assert!(plain.contains("EMP-493817"), "{plain}");
    let _ = std::fs::remove_dir_all(dir);
}
