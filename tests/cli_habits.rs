//! What users of command-line tools expect: sizes with units, `diff --exit-code`,
//! quiet exits on a closed pipe, one message for a folder that is not an audit,
//! completions and a man page, findings as CSV and SARIF, progress in logs.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{demo, provaudit, text};

fn audits() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/audits")
}

fn audit(name: &str) -> String {
    audits().join(name).display().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn byte_options_take_units_and_say_which_when_they_cannot() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("a.jsonl"), "{\"text\":\"hello\"}\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let outdir = out.path().join("audit");
    let run = provaudit(&[
        "scan",
        data.path().to_str().unwrap(),
        "-o",
        outdir.to_str().unwrap(),
        "-q",
        "--no-report",
        "--max-record-bytes",
        "1.5MiB",
        "--chunk-bytes",
        "64KiB",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outdir.join("summary.json")).unwrap()).unwrap();
    let recorded = summary.to_string();
    assert!(
        recorded.contains("\"max_record_bytes\":1572864"),
        "{recorded}"
    );

    let bad = provaudit(&["scan", "x", "--max-record-bytes", "32 parsecs"]);
    assert_eq!(bad.status.code(), Some(2));
    let said = stderr(&bad);
    assert!(said.contains("32MiB") && said.contains("KiB/MiB"), "{said}");
}

#[test]
fn diff_exit_code_says_whether_the_audits_differ() {
    let differ = provaudit(&["diff", &audit("old"), &audit("new"), "--exit-code"]);
    assert_eq!(differ.status.code(), Some(1), "{}", text(&differ));
    let same = provaudit(&["diff", &audit("old"), &audit("old"), "--exit-code"]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    let default = provaudit(&["diff", &audit("old"), &audit("new")]);
    assert_eq!(default.status.code(), Some(0), "{}", text(&default));
}

/// Runs the binary with stdout a pipe whose reading end is already closed, as
/// `provaudit … | head` becomes once `head` has had enough.
fn into_closed_pipe(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_provaudit"))
        .args(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_commands_own_status() {
    let cases: [(Vec<String>, i32); 4] = [
        (vec!["diff".into(), audit("old"), audit("new")], 0),
        (
            vec![
                "diff".into(),
                audit("old"),
                audit("new"),
                "--exit-code".into(),
            ],
            1,
        ),
        (vec!["findings".into(), audit("new")], 0),
        (vec!["completions".into(), "bash".into()], 0),
    ];
    for (args, code) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = into_closed_pipe(&args);
        assert_eq!(run.status.code(), Some(code), "{args:?}: {}", stderr(&run));
        assert_eq!(stderr(&run), "", "{args:?}");
    }
}

#[test]
fn a_folder_that_is_not_an_audit_gets_one_clear_message() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    let missing = empty.path().join("nowhere");
    let missing = missing.to_str().unwrap();
    let commands: [Vec<&str>; 7] = [
        vec!["verify", dir],
        vec!["report", dir],
        vec!["prove", dir, "a.jsonl"],
        vec!["diff", dir, dir],
        vec!["merge", dir, "-o", missing],
        vec!["findings", dir],
        vec!["verify", missing],
    ];
    for args in commands {
        let run = provaudit(&args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", text(&run));
        let said = stderr(&run);
        assert_eq!(said.lines().count(), 1, "{args:?}: {said}");
        assert!(
            said.contains("is not a provaudit audit directory"),
            "{args:?}: {said}"
        );
        assert!(said.contains("provaudit scan"), "{said}");
        assert!(!said.contains("os error"), "{args:?}: {said}");
    }
}

#[test]
fn completions_and_man_page_come_from_the_command_definitions() {
    for shell in ["bash", "zsh", "fish"] {
        let run = provaudit(&["completions", shell]);
        assert_eq!(run.status.code(), Some(0), "{shell}");
        let script = stdout(&run);
        for sub in ["scan", "verify", "diff", "findings", "merge"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    let man = provaudit(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = stdout(&man);
    assert!(
        page.starts_with(".ie") || page.contains(".TH provaudit"),
        "{page}"
    );
    for sub in ["scan", "verify", "findings", "completions"] {
        assert!(page.contains(sub), "man page lacks {sub}");
    }
    let dir = tempfile::tempdir().unwrap();
    let pages = provaudit(&["man", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(pages.status.code(), Some(0), "{}", text(&pages));
    assert!(dir.path().join("provaudit-scan.1").is_file());
    assert!(dir.path().join("provaudit-findings.1").is_file());
}

#[test]
fn findings_as_csv_have_a_header_and_one_row_per_finding() {
    let jsonl = provaudit(&["findings", &audit("new")]);
    let csv = provaudit(&["findings", &audit("new"), "--format", "csv"]);
    assert_eq!(csv.status.code(), Some(0), "{}", text(&csv));
    let rows: Vec<String> = stdout(&csv).lines().map(str::to_string).collect();
    assert!(rows[0].starts_with("root,file,record,field,start,end,line,type,rule"));
    assert_eq!(rows.len() - 1, stdout(&jsonl).lines().count());
    let written = std::fs::read_to_string(audits().join("new/findings.jsonl")).unwrap();
    assert_eq!(stdout(&jsonl), written, "jsonl is the file as written");
}

/// The synthetic address planted in the code file; it must never be printed whole.
const PLANTED: &str = "li.ming1987@163.com";

#[test]
fn sarif_locates_personal_information_in_code_by_line_with_masked_values() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("src")).unwrap();
    std::fs::write(
        data.path().join("src/app.py"),
        format!("import os\n\n# maintainer\nOWNER = \"{PLANTED}\"\n"),
    )
    .unwrap();
    std::fs::write(
        data.path().join("notes.jsonl"),
        format!("{{\"text\": \"write to {PLANTED}\"}}\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let outdir = out.path().join("audit");
    let outdir = outdir.to_str().unwrap();
    let scan = provaudit(&["scan", data.path().to_str().unwrap(), "-o", outdir, "-q"]);
    assert_eq!(scan.status.code(), Some(0), "{}", text(&scan));

    let run = provaudit(&["findings", outdir, "--format", "sarif"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let log = stdout(&run);
    assert!(!log.contains(PLANTED), "a raw value in SARIF: {log}");
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "provaudit");
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let results = run0["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        1,
        "only the code file's finding: {results:?}"
    );
    let result = &results[0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], result["ruleId"]);
    let location = &result["locations"][0]["physicalLocation"];
    assert!(
        location["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/src/app.py")
    );
    assert_eq!(location["region"]["startLine"], 4);
    assert_eq!(location["region"]["charOffset"], 33);
    assert_eq!(location["region"]["charLength"], PLANTED.len());
    assert_eq!(result["properties"]["type"], "email");
    assert!(result["message"]["text"].as_str().unwrap().contains("***"));
}

/// Progress lines on stderr (not a terminal here), parsed as JSON.
fn progress_lines(run: &Output) -> Vec<serde_json::Value> {
    stderr(run)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

#[test]
fn logs_get_json_progress_lines_for_listing_scan_and_verify() {
    let out = tempfile::tempdir().unwrap();
    let outdir = out.path().join("audit");
    let outdir = outdir.to_str().unwrap();
    let demo = demo();
    let args = [
        "scan",
        demo.to_str().unwrap(),
        "-o",
        outdir,
        "--no-report",
        "--progress-interval",
        "0.01",
        "--log-format",
        "json",
    ];
    let run = provaudit(&args);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let lines = progress_lines(&run);
    let finished = |phase: &str| {
        lines
            .iter()
            .find(|l| l["phase"] == phase && l["done"] == true)
            .unwrap_or_else(|| panic!("no finished {phase} line in {lines:?}"))
            .clone()
    };
    let listed = finished("list");
    let scanned = finished("scan");
    assert!(listed["files_done"].as_u64().unwrap() > 10);
    assert_eq!(scanned["files_done"], scanned["files_total"]);
    assert_eq!(scanned["bytes_done"], scanned["bytes_total"]);
    assert_eq!(scanned["bytes_done"], listed["bytes_done"]);
    for line in &lines {
        assert_eq!(line["event"], "progress");
        for key in [
            "elapsed_s",
            "bytes_per_s",
            "files_done",
            "bytes_done",
            "eta_s",
        ] {
            assert!(line.get(key).is_some(), "{key} missing in {line}");
        }
    }
    let said = stderr(&run);
    assert!(
        !said.contains("support.jsonl"),
        "a path in progress: {said}"
    );

    let verify = provaudit(&["verify", outdir, "--log-format", "json"]);
    let lines = progress_lines(&verify);
    assert!(
        lines
            .iter()
            .any(|l| l["phase"] == "verify" && l["done"] == true),
        "{}",
        stderr(&verify)
    );

    let plain = provaudit(&["verify", outdir, "--progress-interval", "5m"]);
    let said = stderr(&plain);
    assert!(said.contains("provaudit: verify: "), "{said}");
    assert!(said.contains("MB/s, done in"), "{said}");

    let off = provaudit(&["verify", outdir, "--progress-interval", "0"]);
    assert!(
        !stderr(&off).contains("provaudit: verify: "),
        "{}",
        stderr(&off)
    );
}
