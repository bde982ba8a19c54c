//! Web hosts from the addresses crawled records keep: the ledger's per-region bytes,
//! the per-source top-10% list in `summary.json` and `web_hosts.jsonl`, the report's
//! table and filing items, and what never leaves the scan (paths, queries, user
//! information, IP addresses).

mod common;

use std::path::{Path, PathBuf};

use common::{provaudit_in, rows, text};
use serde_json::Value;

fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-web-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A crawl of 40 records over hosts of known regions, with addresses in the shapes
/// corpora keep them (`url`, `meta.url`, `WARC-Target-URI`), plus one file without any.
fn crawl(dir: &Path) {
    let web = dir.join("data/crawl");
    std::fs::create_dir_all(&web).unwrap();
    let mut a = String::new();
    for i in 0..20 {
        // zhihu.com (CN) carries the most bytes, then spiegel.de (DE).
        let (url, body) = match i % 4 {
            0 | 1 => (
                format!("https://www.zhihu.com/question/{i}?from=alice"),
                "知乎上的一个回答，内容相当长。".repeat(4),
            ),
            2 => (
                format!("http://user:hunter2@www.spiegel.de:8080/artikel/{i}"),
                "Ein Artikel über Tee.".into(),
            ),
            _ => (
                format!("https://198.51.100.{i}/private/page"),
                "ip host".into(),
            ),
        };
        a.push_str(&serde_json::json!({ "text": body, "url": url }).to_string());
        a.push('\n');
    }
    std::fs::write(web.join("part-0.jsonl"), a).unwrap();
    let mut b = String::new();
    for i in 0..20 {
        let record = if i % 2 == 0 {
            serde_json::json!({ "text": "an example page", "meta": { "url": format!("https://Example.COM/p/{i}") } })
        } else {
            serde_json::json!({ "text": "a news page", "WARC-Target-URI": format!("https://www.bbc.co.uk/news/{i}") })
        };
        b.push_str(&record.to_string());
        b.push('\n');
    }
    std::fs::write(web.join("part-1.jsonl"), b).unwrap();
    std::fs::write(web.join("notes.txt"), "no addresses here\n").unwrap();
}

fn scan(dir: &Path, out: &str, extra: &[&str]) {
    let mut args = vec!["scan", "data", "-o", out, "-q"];
    args.extend_from_slice(extra);
    let done = provaudit_in(dir, &args);
    assert_eq!(done.status.code(), Some(0), "{}", text(&done));
}

fn summary(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

fn host_lines(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("web_hosts.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn hosts_regions_and_the_top_list_are_measured_per_source() {
    let dir = workspace("measured");
    crawl(&dir);
    scan(&dir, "out", &[]);
    let out = dir.join("out");

    let rows = rows(&out);
    let a = rows
        .iter()
        .find(|r| r.path.ends_with("part-0.jsonl"))
        .unwrap();
    let web = a
        .web_hosts
        .as_ref()
        .expect("a block for a file with addresses");
    assert_eq!(web.records, 20);
    assert_eq!(
        web.bytes_by_region.keys().collect::<Vec<_>>(),
        ["CN", "DE", "ip"]
    );
    assert!(web.bytes_by_region["CN"] > web.bytes_by_region["DE"]);
    let notes = rows.iter().find(|r| r.path.ends_with("notes.txt")).unwrap();
    assert!(notes.web_hosts.is_none(), "no block without addresses");
    let line = std::fs::read_to_string(out.join("ledger.jsonl")).unwrap();
    let notes_line = line.lines().find(|l| l.contains("notes.txt")).unwrap();
    assert!(!notes_line.contains("web_hosts"), "{notes_line}");

    let hosts = host_lines(&out);
    let names: Vec<&str> = hosts.iter().map(|h| h["host"].as_str().unwrap()).collect();
    // Largest first; `www.` and case dropped; every IP under one placeholder.
    assert_eq!(names[0], "zhihu.com");
    for want in ["spiegel.de", "example.com", "bbc.co.uk", "(IP address)"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert_eq!(hosts.len(), 5);
    let bytes: Vec<u64> = hosts.iter().map(|h| h["bytes"].as_u64().unwrap()).collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]), "{bytes:?}");

    let s = summary(&out);
    let list = &s["web_hosts"]["per_source"]["crawl"];
    assert_eq!(list["distinct_hosts"], 5);
    assert_eq!(list["top_hosts"], 1, "10% of 5 hosts, rounded up");
    assert_eq!(list["listed"][0]["host"], "zhihu.com");
    assert_eq!(list["listed"][0]["region"], "CN");
    assert!(
        s["outputs"]["web_hosts.jsonl"].is_string(),
        "the sidecar's hash is recorded, so verify covers it"
    );
    let group = &s["per_source"]["crawl"]["web_hosts"];
    assert_eq!(group["records"], 40);

    // Nothing of an address but its host is kept, anywhere in the audit.
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let Ok(body) = std::fs::read_to_string(&path) else {
            continue;
        };
        for secret in [
            "hunter2",
            "from=alice",
            "198.51.100.",
            "/question/",
            "artikel",
        ] {
            assert!(!body.contains(secret), "{secret} in {}", path.display());
        }
    }

    let verify = provaudit_in(&dir, &["verify", "out", "--ledger-only"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    std::fs::write(out.join("web_hosts.jsonl"), "{}\n").unwrap();
    let verify = provaudit_in(&dir, &["verify", "out", "--ledger-only"]);
    assert_eq!(verify.status.code(), Some(1), "an edited list is noticed");
}

#[test]
fn the_report_and_filings_quote_the_hosts() {
    let dir = workspace("report");
    crawl(&dir);
    std::fs::write(
        dir.join("data/crawl/provenance.toml"),
        "[source]\nid = \"crawl\"\ncategory = \"web_crawl\"\n",
    )
    .unwrap();
    scan(&dir, "out", &[]);
    let md = std::fs::read_to_string(dir.join("out/disclosure.md")).unwrap();
    assert!(md.contains("Web hosts (measured"), "{md}");
    assert!(md.contains("zhihu.com"));
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/disclosure.json")).unwrap()).unwrap();
    let web = &json["sources"][0]["web"];
    assert!(web["domestic_share"].as_f64().unwrap() > 0.5, "{web}");
    assert!(web["foreign_share"].as_f64().unwrap() > 0.0);
    let item = |filing: &str, asks: &str| {
        json["filings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == filing)
            .unwrap()["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["asks_en"].as_str().unwrap().starts_with(asks))
            .cloned()
            .unwrap()
    };
    let crawled = item("eu", "Crawled data");
    assert_eq!(crawled["basis"], "measured_and_declared", "{crawled}");
    assert!(crawled["answer_en"].as_str().unwrap().contains("zhihu.com"));
    let origin = item("china", "Domestic and foreign");
    assert_eq!(origin["basis"], "measured", "{origin}");
    assert!(origin["answer_zh"].as_str().unwrap().contains("境内"));
}

#[test]
fn a_rerun_without_addresses_leaves_no_stale_list() {
    let dir = workspace("stale");
    crawl(&dir);
    scan(&dir, "out", &["--no-report"]);
    assert!(dir.join("out/web_hosts.jsonl").exists());
    std::fs::remove_dir_all(dir.join("data/crawl")).unwrap();
    std::fs::create_dir_all(dir.join("data/plain")).unwrap();
    std::fs::write(dir.join("data/plain/a.jsonl"), "{\"text\": \"hello\"}\n").unwrap();
    scan(&dir, "out", &["--no-report"]);
    assert!(!dir.join("out/web_hosts.jsonl").exists());
    assert!(summary(&dir.join("out")).get("web_hosts").is_none());
}

#[test]
fn shards_merge_to_the_unsharded_lists_and_a_baseline_keeps_them() {
    let dir = workspace("merge");
    crawl(&dir);
    scan(&dir, "full", &["--no-report"]);
    for i in 0..3 {
        scan(
            &dir,
            &format!("s{i}"),
            &["--no-report", "--shard", &format!("{i}/3")],
        );
    }
    let merged = provaudit_in(&dir, &["merge", "-o", "merged", "-q", "s2", "s0", "s1"]);
    assert_eq!(merged.status.code(), Some(0), "{}", text(&merged));
    assert_eq!(
        std::fs::read(dir.join("full/web_hosts.jsonl")).unwrap(),
        std::fs::read(dir.join("merged/web_hosts.jsonl")).unwrap()
    );
    assert_eq!(
        summary(&dir.join("full"))["web_hosts"],
        summary(&dir.join("merged"))["web_hosts"]
    );

    // Every file unchanged: the baseline's lists carry over whole.
    scan(&dir, "again", &["--no-report", "--baseline", "full"]);
    assert_eq!(
        summary(&dir.join("again"))["incremental"]["read_files"],
        0,
        "every file reused"
    );
    assert_eq!(
        std::fs::read(dir.join("full/web_hosts.jsonl")).unwrap(),
        std::fs::read(dir.join("again/web_hosts.jsonl")).unwrap()
    );
    assert_eq!(
        summary(&dir.join("again"))["web_hosts"]["untallied_files"],
        0
    );
}

#[test]
fn a_host_that_is_a_phone_number_is_masked() {
    let dir = workspace("masked");
    let data = dir.join("data/personal");
    std::fs::create_dir_all(&data).unwrap();
    // A subdomain that is a (made-up) mainland mobile number.
    std::fs::write(
        data.join("a.jsonl"),
        "{\"text\": \"a personal page\", \"url\": \"https://13812345678.example.cn/\"}\n",
    )
    .unwrap();
    scan(&dir, "out", &["--no-report"]);
    let hosts = host_lines(&dir.join("out"));
    assert_eq!(hosts.len(), 1);
    let host = hosts[0]["host"].as_str().unwrap();
    assert!(!host.contains("13812345678"), "{host}");
    assert!(host.ends_with(".example.cn"), "{host}");
    assert_eq!(hosts[0]["region"], "CN");
    for name in ["web_hosts.jsonl", "summary.json", "ledger.jsonl"] {
        let body = std::fs::read_to_string(dir.join("out").join(name)).unwrap();
        assert!(!body.contains("13812345678"), "{name}");
    }
}
