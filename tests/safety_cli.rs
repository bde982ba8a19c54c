//! Corpus safety screening from the command line (`--safety-lexicon`): planted made-up
//! terms are found in the ledger, findings and summary; findings name terms by id and
//! carry neither the term nor the record; a source above 5% breaks the policy (exit 3,
//! cited to GB/T 45654-2025); a bad lexicon stops the scan naming file and line; and
//! without a lexicon nothing of it appears.

mod common;

use std::path::{Path, PathBuf};

use common::{demo, provaudit, text};
use serde_json::Value;

/// Two sources: `flagged` with planted terms in 3 of 10 records (30%, above 5%), and
/// `clean` with one in 40 (2.5%).
fn corpus(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-safety-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let flagged = dir.join("data/flagged");
    let clean = dir.join("data/clean");
    std::fs::create_dir_all(&flagged).unwrap();
    std::fs::create_dir_all(&clean).unwrap();
    let mut body = String::new();
    for (i, text) in [
        "a ZORBLAX here",
        "spliced z.o.r.b.l.a.x there",
        "全角 ＺＯＲＢＬＡＸ 词",
        "the flumwort museum is excluded",
        "quibbleton alone weighs one half",
    ]
    .iter()
    .enumerate()
    {
        body.push_str(&format!("{{\"id\": {i}, \"text\": \"{text}\"}}\n"));
    }
    for i in 5..10 {
        body.push_str(&format!(
            "{{\"id\": {i}, \"text\": \"plain record {i}\"}}\n"
        ));
    }
    std::fs::write(flagged.join("part.jsonl"), body).unwrap();
    let mut body = String::new();
    for i in 0..39 {
        body.push_str(&format!("{{\"text\": \"nothing to see {i}\"}}\n"));
    }
    body.push_str("{\"text\": \"贼 猫 词 once\"}\n");
    std::fs::write(clean.join("part.jsonl"), body).unwrap();
    dir
}

fn lexicon() -> PathBuf {
    demo().parent().unwrap().join("safety-demo.toml")
}

/// `provaudit scan DATA -o OUT -q` with `extra` arguments.
fn scan(data: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "scan",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    provaudit(&args)
}

fn json_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Screening finds the planted terms in every disguise, writes the ledger block,
/// findings by term id, the lexicon's identity and per-source shares, and fails the
/// source above 5% with the standard cited.
#[test]
fn screening_flags_the_source_above_five_percent() {
    let dir = corpus("flag");
    let out = dir.join("out");
    let lex = lexicon();
    let run = scan(
        &dir.join("data"),
        &out,
        &[
            "--findings",
            "all",
            "--safety-lexicon",
            lex.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(3), "{}", text(&run));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("safety.max_source_share = 5%"), "{stderr}");
    assert!(stderr.contains("GB/T 45654-2025"), "{stderr}");
    assert!(stderr.contains("source flagged"), "{stderr}");
    assert!(!stderr.contains("source clean"), "{stderr}");

    let rows = json_lines(&out.join("ledger.jsonl"));
    let by_source = |s: &str| {
        rows.iter()
            .find(|r| r["source"] == s)
            .map(|r| r["safety"].clone())
            .unwrap()
    };
    let flagged = by_source("flagged");
    assert_eq!(flagged["records_with_hits"], 3, "{flagged}");
    assert_eq!(flagged["records_by_category"]["A.1.1"], 3, "{flagged}");
    assert_eq!(by_source("clean")["records_by_category"]["A.4.6"], 1);

    let findings = json_lines(&out.join("findings.jsonl"));
    let safety: Vec<&Value> = findings.iter().filter(|f| f["type"] == "safety").collect();
    assert_eq!(safety.len(), 5, "{safety:?}");
    let raw = std::fs::read_to_string(out.join("findings.jsonl")).unwrap();
    for secret in [
        "zorblax",
        "ZORBLAX",
        "ＺＯＲＢＬＡＸ",
        "quibbleton",
        "贼",
        "plain record",
    ] {
        assert!(!raw.contains(secret), "findings hold {secret:?}");
    }
    assert!(
        safety
            .iter()
            .all(|f| f["rule"].as_str().unwrap().starts_with("safety-demo#"))
    );

    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let identity = &summary["safety"]["lexicons"][0];
    assert_eq!(identity["name"], "safety-demo");
    assert_eq!(identity["version"], "2026.12");
    assert_eq!(identity["terms"]["A.1.1"], 2);
    let bytes = std::fs::read(&lex).unwrap();
    use sha2::Digest;
    let sha = sha2::Sha256::digest(&bytes);
    let hex: String = sha.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(identity["sha256"], hex.as_str());
    assert_eq!(summary["safety"]["max_source_share"], 0.05);
    let share = &summary["per_source"]["flagged"]["safety"]["record_share"];
    assert_eq!(share.as_f64(), Some(0.3));

    let report = std::fs::read_to_string(out.join("disclosure.md")).unwrap();
    assert!(report.contains("Corpus safety screening"), "{report}");
    assert!(report.contains("GB/T 45654-2025"));
    // The filing checklist's source-safety item quotes the measured shares.
    let disclosure: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("disclosure.json")).unwrap())
            .unwrap();
    let item = disclosure["filings"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["clause"] == "GB/T 45654-2025")
        .unwrap();
    assert_eq!(item["basis"], "measured", "{item}");
    let answer = item["answer_en"].as_str().unwrap();
    assert!(answer.contains("flagged: 30.0% (3/10)"), "{answer}");
    assert!(answer.contains("sources above 5.0%: flagged"), "{answer}");

    // `--fail-on` sets the limit over the default: 30% is within 50%.
    let lenient = scan(
        &dir.join("data"),
        &dir.join("out2"),
        &[
            "--safety-lexicon",
            lex.to_str().unwrap(),
            "--fail-on",
            "safety.max_source_share=50%",
        ],
    );
    assert_eq!(lenient.status.code(), Some(0), "{}", text(&lenient));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A lexicon with an unknown category stops the scan before it starts, naming the file and
/// the line of the first term under it; without a lexicon the outputs hold nothing of
/// the screening.
#[test]
fn bad_lexicons_are_refused_and_no_lexicon_screens_nothing() {
    let dir = corpus("bad");
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, "[A.1.1]\nzorblax\n[A.7.1]\nfoo\n").unwrap();
    let out = dir.join("out");
    let data = dir.join("data");
    let run = scan(&data, &out, &["--safety-lexicon", bad.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("bad.txt:4"), "{stderr}");
    assert!(stderr.contains("unknown category"), "{stderr}");

    let run = provaudit(&[
        "scan",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    for file in ["ledger.jsonl", "findings.jsonl", "summary.json"] {
        let body = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(!body.contains("\"safety\""), "{file} mentions safety");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Both optional blocks at once (`--near-duplicates` and a lexicon): every row has
/// both, in the same order in `ledger.jsonl` and `ledger.parquet`, and the audit
/// verifies.
#[test]
fn near_duplicates_and_screening_together() {
    let dir = std::env::temp_dir().join(format!("provaudit-safety-both-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let lexicon = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/safety-demo.toml");
    let out = dir.join("audit");
    let scan = provaudit(&[
        "scan",
        demo().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--near-duplicates",
        "--safety-lexicon",
        lexicon.to_str().unwrap(),
    ]);
    assert!(matches!(scan.status.code(), Some(1)), "{}", text(&scan));
    let ledger = std::fs::read_to_string(out.join("ledger.jsonl")).unwrap();
    let rows: Vec<&str> = ledger.lines().collect();
    for row in &rows {
        let at = |key: &str| {
            row.find(&format!("\"{key}\":"))
                .unwrap_or_else(|| panic!("{key} missing"))
        };
        assert!(at("risk_flags") < at("near_duplicates") && at("near_duplicates") < at("safety"));
    }
    let file = std::fs::File::open(out.join("ledger.parquet")).unwrap();
    let builder =
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let names: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names[names.len() - 2..], ["near_duplicates", "safety"]);
    let parquet_rows: usize = builder
        .build()
        .unwrap()
        .map(|b| b.unwrap().num_rows())
        .sum();
    assert_eq!(parquet_rows, rows.len());
    let verify = provaudit(&["verify", out.to_str().unwrap(), "--ledger-only"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Shards screened with the same lexicons merge into the unsharded scan's screening:
/// the lexicons' identities and the limit, not only the per-source figures.
#[test]
fn merged_shards_keep_the_screening_block() {
    let dir = corpus("merge");
    let lex = lexicon();
    let lex = lex.to_str().unwrap();
    let data = dir.join("data");
    let full = dir.join("full");
    assert_eq!(
        scan(&data, &full, &["--safety-lexicon", lex, "--no-report"])
            .status
            .code(),
        Some(3)
    );
    let mut parts = Vec::new();
    for i in 0..2 {
        let out = dir.join(format!("s{i}"));
        let spec = format!("{i}/2");
        let done = scan(
            &data,
            &out,
            &["--safety-lexicon", lex, "--no-report", "--shard", &spec],
        );
        assert!(matches!(done.status.code(), Some(0 | 3)), "{}", text(&done));
        parts.push(out);
    }
    let merged = dir.join("merged");
    let mut args = vec!["merge", "-o", merged.to_str().unwrap(), "-q"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    let done = provaudit(&args);
    assert!(matches!(done.status.code(), Some(0 | 3)), "{}", text(&done));
    let summary = |d: &Path| -> Value {
        serde_json::from_slice(&std::fs::read(d.join("summary.json")).unwrap()).unwrap()
    };
    assert!(summary(&full)["safety"].is_object());
    assert_eq!(summary(&full)["safety"], summary(&merged)["safety"]);
}
