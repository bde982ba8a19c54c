//! Benchmark contamination (`--eval-sets`, issue 19 item 5): evaluation items planted
//! in generated training text are found per file and benchmark, with findings that
//! name the benchmark and item but carry no text; near misses are not; the summary and
//! report state items contaminated per benchmark; shards merge to the same figures;
//! without the option nothing changes. GSM8K from the shared corpora when present.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{corpora, made_up_doc as doc, provaudit_in, rows, scan_with, text};
use provaudit::analyze::contamination::{ContaminationParams, EvalIndex, load};
use provaudit::formats::ReadOptions;
use provaudit::scan::ScanOptions;
use provaudit::synth::Rng;
use serde_json::Value;

fn line(text: &str) -> String {
    serde_json::json!({ "text": text }).to_string() + "\n"
}

fn index(paths: &[&Path]) -> Arc<EvalIndex> {
    let paths: Vec<_> = paths.iter().map(|p| p.to_path_buf()).collect();
    let sets = load::load(&paths, &ReadOptions::default()).unwrap();
    Arc::new(EvalIndex::new(ContaminationParams::default(), sets))
}

fn scan(data: &Path, out: &Path, eval: Option<Arc<EvalIndex>>) -> Value {
    let mut options = ScanOptions::new(vec![data.to_path_buf()], out.to_path_buf());
    options.threads = Some(2);
    options.eval_sets = eval;
    options.report = Some(Default::default());
    scan_with(&options);
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap()
}

fn findings(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("findings.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|f| f["type"] == "contamination")
        .collect()
}

/// `evals/quiz.jsonl`: 40 items of question and answer. `data/a.jsonl`: items 3 and 17
/// inside longer records, item 17 a second time upper-cased with other punctuation;
/// `data/b.csv`: item 30's answer, and 12 words of item 5 (one short of a 13-gram).
fn synthetic(dir: &Path) -> Vec<(String, String)> {
    let mut rng = Rng::new(5);
    let items: Vec<(String, String)> = (0..40)
        .map(|_| (doc(&mut rng, 25), doc(&mut rng, 15)))
        .collect();
    std::fs::create_dir_all(dir.join("evals")).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let quiz: String = items
        .iter()
        .map(|(q, a)| serde_json::json!({ "question": q, "answer": a }).to_string() + "\n")
        .collect();
    std::fs::write(dir.join("evals/quiz.jsonl"), quiz).unwrap();
    let mut a = String::new();
    for r in 0..30 {
        a += &line(&match r {
            4 => format!("{} {} {}", doc(&mut rng, 40), items[3].0, items[3].1),
            11 => format!("Q: {}\nA: {}", items[17].0, items[17].1),
            20 => format!(
                "{}!!! {}",
                doc(&mut rng, 5),
                items[17].0.to_uppercase().replace(' ', ", ")
            ),
            _ => doc(&mut rng, 60),
        });
    }
    std::fs::write(dir.join("data/a.jsonl"), a).unwrap();
    let twelve: Vec<&str> = items[5].0.split(' ').take(12).collect();
    let mut b = String::from("id,body\n");
    for r in 0..10 {
        let body = match r {
            2 => format!("{} {}", doc(&mut rng, 30), items[30].1),
            6 => format!(
                "{} {} {}",
                doc(&mut rng, 3),
                twelve.join(" "),
                doc(&mut rng, 3)
            ),
            _ => doc(&mut rng, 40),
        };
        b += &format!("{r},\"{body}\"\n");
    }
    std::fs::write(dir.join("data/b.csv"), b).unwrap();
    items
}

#[test]
fn planted_items_are_found_per_file_benchmark_and_item() {
    let dir = tempfile::tempdir().unwrap();
    let items = synthetic(dir.path());
    let out = dir.path().join("out");
    let summary = scan(
        &dir.path().join("data"),
        &out,
        Some(index(&[&dir.path().join("evals")])),
    );
    let rows = rows(&out);
    let a = rows.iter().find(|r| r.path == "a.jsonl").unwrap();
    let a = a.contamination.as_ref().unwrap();
    assert_eq!(a.records, 3);
    assert_eq!(a.by_benchmark["quiz"].records, 3);
    assert_eq!(a.by_benchmark["quiz"].items, vec![3, 17]);
    let b = rows.iter().find(|r| r.path == "b.csv").unwrap();
    let b = b.contamination.as_ref().unwrap();
    assert_eq!(b.records, 1, "twelve words are not an overlap");
    assert_eq!(b.by_benchmark["quiz"].items, vec![30]);

    let totals = &summary["totals"]["contamination"];
    assert_eq!(totals["records"], 4);
    assert_eq!(
        totals["by_benchmark"]["quiz"]["items"],
        serde_json::json!([3, 17, 30])
    );
    let checked = &summary["contamination"]["benchmarks"][0];
    assert_eq!(checked["name"], "quiz");
    assert_eq!(checked["items"], 40);
    assert_eq!(checked["files"][0]["sha256"].as_str().unwrap().len(), 64);

    // Findings: benchmark and item, located in the record, never the item's text.
    let found = findings(&out);
    let rules: Vec<&str> = found.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["quiz#3", "quiz#17", "quiz#17", "quiz#30"]);
    for f in &found {
        assert_eq!(f["category"], "quiz");
        assert!(f["overlap"].as_u64().unwrap() >= 1);
        assert!(f["end"].as_u64().unwrap() > f["start"].as_u64().unwrap());
    }
    let all = std::fs::read_to_string(out.join("findings.jsonl")).unwrap();
    let word = items[3].0.split(' ').nth(4).unwrap();
    assert!(!all.contains(word), "a finding carries item text");
    // Located at the overlap: record 11's finding starts where the question does.
    let q17 = &found[1];
    assert_eq!(
        (q17["record"].as_u64(), q17["start"].as_u64()),
        (Some(11), Some(3))
    );

    for (file, heading) in [
        ("disclosure.md", "Evaluation data overlap"),
        ("disclosure.md", "评测数据重叠"),
    ] {
        let report = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(report.contains(heading), "{file} lacks {heading}");
    }
}

#[test]
fn without_eval_sets_there_is_no_column_and_with_them_shards_merge() {
    let dir = tempfile::tempdir().unwrap();
    synthetic(dir.path());
    let out = dir.path().join("plain");
    let summary = scan(&dir.path().join("data"), &out, None);
    assert!(summary.get("contamination").is_none());
    let ledger = std::fs::read_to_string(out.join("ledger.jsonl")).unwrap();
    assert!(!ledger.contains("contamination"));

    // The CLI: a full scan and two merged shards agree.
    let cli = |args: &[&str]| {
        let done = provaudit_in(dir.path(), args);
        assert!(matches!(done.status.code(), Some(0 | 1)), "{}", text(&done));
    };
    let base = ["scan", "data", "-q", "--no-report", "--eval-sets", "evals"];
    cli(&[&base[..], &["-o", "full"]].concat());
    cli(&[&base[..], &["-o", "s0", "--shard", "0/2"]].concat());
    cli(&[&base[..], &["-o", "s1", "--shard", "1/2"]].concat());
    cli(&["merge", "-o", "merged", "-q", "--no-report", "s0", "s1"]);
    for file in ["ledger.jsonl", "ledger.parquet", "findings.jsonl"] {
        assert!(
            std::fs::read(dir.path().join("full").join(file)).unwrap()
                == std::fs::read(dir.path().join("merged").join(file)).unwrap(),
            "{file}"
        );
    }
    let read = |d: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(d).join("summary.json")).unwrap())
            .unwrap()
    };
    let (full, merged) = (read("full"), read("merged"));
    assert_eq!(
        full["totals"]["contamination"],
        merged["totals"]["contamination"]
    );
    assert_eq!(full["contamination"], merged["contamination"]);
}

/// GSM8K's test items planted into generated training text: exactly the planted items
/// are found (skipped without the shared corpora).
#[test]
fn gsm8k_items_planted_in_training_text_are_found() {
    let Some(corpora) = corpora() else {
        eprintln!("SKIPPED: ../shared/corpora is not here");
        return;
    };
    let gsm8k = corpora.join("llm-samples/grade-school-math/test.jsonl");
    if !gsm8k.is_file() {
        eprintln!("SKIPPED: {} is not here", gsm8k.display());
        return;
    }
    let items: Vec<Value> = std::fs::read_to_string(&gsm8k)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    // The benchmark named by a manifest, its file where the corpora keep it.
    std::fs::create_dir_all(dir.path().join("evals")).unwrap();
    std::fs::write(
        dir.path().join("evals/benchmarks.toml"),
        format!(
            "[[benchmark]]\nname = \"gsm8k\"\nfiles = [{:?}]\n",
            gsm8k.display().to_string()
        ),
    )
    .unwrap();
    let planted = [6usize, 249, 666, 1200];
    let mut rng = Rng::new(8);
    let mut body = String::new();
    for r in 0..450 {
        let text = match planted.iter().position(|&p| p == r * 3) {
            // A question alone, inside a forum post.
            Some(0) | Some(2) => format!(
                "{} Here is a question from my homework: {} Thanks!",
                doc(&mut rng, 20),
                items[r * 3]["question"].as_str().unwrap()
            ),
            // Question and worked answer, as a tutoring transcript.
            Some(_) => format!(
                "Student: {}\nTutor: {}",
                items[r * 3]["question"].as_str().unwrap(),
                items[r * 3]["answer"].as_str().unwrap()
            ),
            None => doc(&mut rng, 80),
        };
        body += &line(&text);
    }
    std::fs::write(dir.path().join("data/train.jsonl"), body).unwrap();
    let out = dir.path().join("out");
    let summary = scan(
        &dir.path().join("data"),
        &out,
        Some(index(&[&dir.path().join("evals")])),
    );
    let checked = &summary["contamination"]["benchmarks"][0];
    assert_eq!(checked["name"], "gsm8k");
    assert_eq!(checked["items"], 1319);
    let found = &summary["totals"]["contamination"]["by_benchmark"]["gsm8k"];
    assert_eq!(found["items"], serde_json::json!(planted), "{found}");
    assert_eq!(found["records"], 4);
}
