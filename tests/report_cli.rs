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
