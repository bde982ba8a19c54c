//! The disclosure report from the command line: `scan` writes it by default, `report`
//! rewrites it from the audit directory alone, in the formats and language asked for.

mod common;

use common::{demo, provaudit, spdx_report};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn scan_writes_the_report_and_report_rewrites_it_from_the_audit_alone() {
    let out = scratch("report-cli");
    let audit = out.join("audit");
    let demo = demo();
    let scanned = provaudit(&[
        "scan",
        demo.to_str().unwrap(),
        "-o",
        audit.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        scanned.status.code(),
        Some(1),
        "the demo has one broken file"
    );
    for name in ["disclosure.md", "disclosure.html", "disclosure.json"] {
        assert!(audit.join(name).is_file(), "{name} written by scan");
    }
    assert!(
        !audit.join("disclosure.spdx.json").exists(),
        "SPDX only on request"
    );

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(audit.join("summary.json")).unwrap()).unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(audit.join("disclosure.json")).unwrap()).unwrap();
    assert_eq!(
        report["overview"]["total"]["records"],
        summary["totals"]["records"]
    );
    assert_eq!(report["identification"]["merkle_root_verified"], true);

    // The report command reads only the audit directory: move it away from the data.
    let moved = out.join("elsewhere");
    std::fs::rename(&audit, &moved).unwrap();
    let rep = out.join("rep");
    let written = provaudit(&[
        "report",
        moved.to_str().unwrap(),
        "--format",
        "md,spdx",
        "--lang",
        "zh",
        "-o",
        rep.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0), "{written:?}");
    let md = std::fs::read_to_string(rep.join("disclosure.md")).unwrap();
    assert!(
        md.contains("数据来源") || md.contains("来源"),
        "Chinese headings"
    );
    assert!(
        !md.contains("## 3. Sources"),
        "no English headings with --lang zh"
    );
    let spdx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rep.join("disclosure.spdx.json")).unwrap()).unwrap();
    assert!(
        spdx["@graph"]
            .as_array()
            .is_some_and(|g| g.iter().any(|e| e["type"] == "dataset_DatasetPackage"))
    );
    assert!(!rep.join("disclosure.html").exists());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn report_errors_say_what_to_do() {
    let missing = scratch("report-missing");
    let run = provaudit(&["report", missing.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("provaudit scan"), "{stderr}");

    let bad = provaudit(&["report", ".", "--format", "pdf"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("md, html, json, spdx"));
}

#[test]
fn no_report_skips_it() {
    let out = scratch("no-report");
    let demo = demo();
    let run = provaudit(&[
        "scan",
        demo.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--no-report",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(out.join("summary.json").is_file());
    assert!(!out.join("disclosure.md").exists());
    let _ = std::fs::remove_dir_all(&out);
}

/// Manifest v2 keys (issue 20): what a source declares about how it was obtained and
/// processed reaches every report and the SPDX export, and only what was declared.
#[test]
fn declared_acquisition_and_processing_reach_the_reports() {
    let out = scratch("report-manifest-v2");
    let data = out.join("data/crawl");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("provenance.toml"),
        r#"[source]
id = "crawl"
category = "web_crawl"
originator = "Example Crawl Org"
ip_owner = "the page authors"
crawler = "ExampleBot/2.1"
robots = "robots.txt and TDMRep honoured at fetch time"
processing = ["language filter", "exact dedup"]
illegal_content_removal = "keyword screening"
[annotation]
rules = "rules.md"
rules_version = "v3"
spot_checked = 4000
spot_check_accuracy = 0.97
"#,
    )
    .unwrap();
    std::fs::write(data.join("part.jsonl"), "{\"text\":\"hello world\"}\n").unwrap();
    let audit = out.join("audit");
    let scanned = provaudit(&[
        "scan",
        out.join("data").to_str().unwrap(),
        "-o",
        audit.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(scanned.status.code(), Some(0), "{scanned:?}");
    let md = std::fs::read_to_string(audit.join("disclosure.md")).unwrap();
    for declared in [
        "Example Crawl Org",
        "the page authors",
        "ExampleBot/2.1",
        "robots.txt and TDMRep honoured at fetch time",
        "language filter → exact dedup",
        "keyword screening",
        "rules.md (v3)",
        "4,000",
        "97.0%",
    ] {
        assert!(md.contains(declared), "disclosure.md lacks {declared}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(audit.join("disclosure.json")).unwrap()).unwrap();
    let source = &json["sources"][0];
    assert_eq!(source["originator"], "Example Crawl Org");
    assert_eq!(source["generator"], serde_json::Value::Null, "not declared");
    let spdx = spdx_report(&audit, &out.join("rep"));
    assert!(spdx.contains("Example Crawl Org"), "originatedBy in SPDX");
    let _ = std::fs::remove_dir_all(&out);
}

/// Scans `data` into `out/audit` and writes the JSON report with `provider`; returns
/// the filings of `disclosure.json`.
fn filings_of(out: &std::path::Path, provider: Option<&std::path::Path>) -> Vec<serde_json::Value> {
    let audit = out.join("audit");
    let scanned = provaudit(&[
        "scan",
        out.join("data").to_str().unwrap(),
        "-o",
        audit.to_str().unwrap(),
        "-q",
        "--no-report",
    ]);
    assert_eq!(scanned.status.code(), Some(0), "{scanned:?}");
    let rep = out.join("rep");
    let mut args = vec![
        "report",
        audit.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        rep.to_str().unwrap(),
    ];
    if let Some(p) = provider {
        args.extend(["--provider", p.to_str().unwrap()]);
    }
    let written = provaudit(&args);
    assert_eq!(written.status.code(), Some(0), "{written:?}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rep.join("disclosure.json")).unwrap()).unwrap();
    json["filings"].as_array().unwrap().clone()
}

fn items(filings: &[serde_json::Value]) -> Vec<(String, String, String, String)> {
    filings
        .iter()
        .flat_map(|f| f["items"].as_array().unwrap().iter())
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap().to_string();
            (s("clause"), s("basis"), s("answer_en"), s("answer_zh"))
        })
        .collect()
}

/// Issue 20's must-hold: with every fact declared, no filing item reads "not
/// declared"; with none declared, no item claims a declaration.
#[test]
fn filings_quote_only_what_was_declared() {
    let out = scratch("report-filings");
    let data = out.join("data/crawl");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("part.jsonl"),
        "{\"text\":\"hello world, a plain sentence\"}\n",
    )
    .unwrap();

    // Nothing declared: nothing may read as declared.
    for (clause, basis, en, _) in items(&filings_of(&out, None)) {
        assert!(
            basis == "measured" || basis == "not_declared",
            "{clause}: {basis} ({en}) with nothing declared"
        );
    }

    std::fs::write(
        data.join("provenance.toml"),
        r#"[source]
id = "crawl"
name = "Example crawl"
category = "web_crawl"
origin = "foreign"
url = "https://example.org/dump"
license = "CC-BY-4.0"
collected = "2025-01/2025-03"
released = "2025-03-01"
consent_basis = "public information"
evidence = ["contract.pdf"]
originator = "Example Crawl Org"
ip_owner = "the page authors"
crawler = "ExampleBot/2.1"
robots = "robots.txt honoured"
generator = "none"
processing = ["language filter"]
illegal_content_removal = "keyword screening"
"#,
    )
    .unwrap();
    let provider = out.join("provaudit.toml");
    std::fs::write(
        &provider,
        r#"[provider]
name = "Example AI Ltd"
responsible_person = "compliance officer"
contact = "compliance@example.com"
complaint_channel = "https://example.com/complaints"
[model]
name = "Example-7B"
version = "1.0"
filing_id = "X-1"
intended_purpose = "a bilingual assistant"
data_first_used = "2025-05"
aggregate_consumer_information = "none"
"#,
    )
    .unwrap();
    let all = items(&filings_of(&out, Some(&provider)));
    assert!(all.len() >= 30, "three filings, item by item");
    // The EU template's latest collection date: declared, beside the newest file date.
    let latest = all.iter().find(|(clause, ..)| clause == "1.3").unwrap();
    assert_eq!(latest.1, "measured_and_declared", "{latest:?}");
    assert!(latest.2.contains("files last modified"), "{latest:?}");
    for (clause, basis, en, zh) in all {
        assert!(
            basis != "not_declared" && basis != "partly_declared",
            "{clause}: {basis} ({en}) with everything declared"
        );
        assert!(
            !en.contains("not declared") && !zh.contains("未声明"),
            "{clause}: {en}"
        );
    }
    // The declared release date reaches SPDX as its DateTime.
    let spdx = common::spdx_report(&out.join("audit"), &out.join("spdx"));
    assert!(
        spdx.contains(r#""releaseTime": "2025-03-01T00:00:00Z""#),
        "{spdx}"
    );
    let _ = std::fs::remove_dir_all(&out);
}
