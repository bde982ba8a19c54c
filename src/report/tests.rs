//! Tests of the report module. The fixture `tests/data/audits/report-demo` is a real audit of the
//! demo dataset plus a hostile source (a directory named `<img src=x onerror=...>`,
//! a manifest full of markup, a file named `<script>...`), and two synthetic findings:
//! a hostile masked value and an unmasked one that must never be shown.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/audits/report-demo")
}

fn load() -> Audit {
    match Audit::load(&fixture()) {
        Ok(a) => a,
        Err(e) => panic!("fixture does not load: {e}"),
    }
}

fn summary() -> Value {
    let text = fs::read_to_string(fixture().join("summary.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn disclosure() -> Disclosure {
    build(&load(), &Checks::default())
}

fn out(d: &Disclosure, f: Format, l: Lang) -> String {
    render(d, f, l).unwrap()
}

/// A fresh scratch directory, holding a copy of the fixture when `copy` is set.
fn scratch(name: &str, copy: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-report-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    if copy {
        for f in ["summary.json", "ledger.jsonl", "findings.jsonl"] {
            fs::copy(fixture().join(f), dir.join(f)).unwrap();
        }
    }
    dir
}

const HOSTILE: &[&str] = &[
    "<script",
    "<img",
    "<svg onload",
    "<b>bold",
    "<a href=x>",
    "<i>2024",
];

// ------------------------------------------------------------------ figures

#[test]
fn stage_figures_match_summary() {
    let s = summary();
    let d = disclosure();
    let md = out(&d, Format::Markdown, Lang::En);
    let json: Value = serde_json::from_str(&out(&d, Format::Json, Lang::En)).unwrap();
    let stages = json["overview"]["stages"].as_array().unwrap();
    assert_eq!(
        stages
            .iter()
            .map(|r| r["stage"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["pretrain", "finetune", "preference", "eval", "unknown"]
    );
    for row in stages {
        let stage = row["stage"].as_str().unwrap();
        let want = &s["per_stage"][stage];
        for key in [
            "files",
            "records",
            "bytes",
            "characters",
            "estimated_tokens",
        ] {
            assert_eq!(row[key], want[key], "{stage}.{key}");
        }
        let records = want["records"].as_u64().unwrap();
        let files = want["files"].as_u64().unwrap();
        let bytes = want["bytes"].as_u64().unwrap();
        let prefix = format!(
            "| {stage} | {} | {} | {}",
            doc::grouped(files),
            doc::grouped(records),
            doc::grouped(bytes)
        );
        assert!(md.contains(&prefix), "markdown lacks `{prefix}`");
    }
    assert_eq!(json["overview"]["total"]["records"], s["totals"]["records"]);
    assert_eq!(json["overview"]["total"]["bytes"], s["totals"]["bytes"]);
    // Shares add up.
    let share: f64 = d.overview.stages.iter().map(|r| r.record_share).sum();
    assert!((share - 1.0).abs() < 1e-9);
}

#[test]
fn pii_and_license_figures_match_summary() {
    let s = summary();
    let d = disclosure();
    let md = out(&d, Format::Markdown, Lang::En);
    let counts = s["totals"]["pii"]["counts"].as_object().unwrap();
    assert_eq!(d.personal_information.by_type.len(), counts.len());
    for row in &d.personal_information.by_type {
        assert_eq!(
            Some(row.occurrences),
            counts[row.pii_type.as_str()].as_u64()
        );
        assert_eq!(
            Some(row.records),
            s["totals"]["pii"]["records_by_type"][row.pii_type.as_str()].as_u64()
        );
    }
    assert!(md.contains("| email | 2 | 2 |"), "{md}");
    assert!(md.contains("| CN resident ID | 1 | 1 |"));
    assert_eq!(
        Some(d.personal_information.records_with_pii),
        s["totals"]["pii"]["records_with_pii"].as_u64()
    );

    let cats = s["totals"]["license_categories"].as_object().unwrap();
    assert_eq!(d.intellectual_property.categories.len(), cats.len());
    for c in &d.intellectual_property.categories {
        let want = &cats[c.category.as_str()];
        assert_eq!(Some(c.files), want["files"].as_u64());
        assert_eq!(Some(c.records), want["records"].as_u64());
        assert_eq!(Some(c.bytes), want["bytes"].as_u64());
    }
    assert!(
        md.contains("| permissive | 11 | 44 | 4,519 (4.4 KiB) |"),
        "{md}"
    );
    // Canonical order: permissive before unknown.
    let order: Vec<&str> = d
        .intellectual_property
        .categories
        .iter()
        .map(|c| c.category.as_str())
        .collect();
    assert_eq!(order.last(), Some(&"unknown"));
    assert!(
        d.intellectual_property
            .flagged_sources
            .contains(&"web-zh-demo".to_string())
    );
}

#[test]
fn declared_facts_and_labelled_data() {
    let d = disclosure();
    let sft = d.sources.iter().find(|s| s.id == "sft-demo").unwrap();
    assert_eq!(sft.basis, "manifest");
    assert_eq!(sft.license.as_deref(), Some("Apache-2.0"));
    assert_eq!(sft.origin.as_deref(), Some("domestic"));
    let pref = d.sources.iter().find(|s| s.id == "preference").unwrap();
    assert_eq!(pref.name.as_deref(), Some("Demo preference pairs"));
    assert_eq!(pref.basis, "dataset_card");
    assert_eq!(pref.consent_basis, None);
    let code = d.sources.iter().find(|s| s.id == "code").unwrap();
    assert_eq!(code.name, None);
    assert_eq!(code.display_name(), "code");

    let l = &d.labelled_data;
    let sft = l
        .per_source
        .iter()
        .find(|r| r.source == "sft-demo")
        .unwrap();
    assert_eq!((sft.instruction, sft.chat), (10, 3));
    assert_eq!(sft.annotators, Some(4));
    assert_eq!(sft.annotators_trained, Some(true));
    assert_eq!(sft.spot_check_rate, Some(0.1));
    let pref = l
        .per_source
        .iter()
        .find(|r| r.source == "preference")
        .unwrap();
    assert_eq!(pref.preference, 5);
    assert_eq!(pref.annotators, None);
    assert!(l.per_source.iter().all(|r| r.source != "code"));
    assert_eq!(
        l.total.labelled_records,
        l.total.preference + l.total.instruction + l.total.chat + l.total.labeled
    );

    let md = out(&d, Format::Markdown, Lang::En);
    assert!(md.contains("*not declared*"));
    let zh = out(&d, Format::Markdown, Lang::Zh);
    assert!(zh.contains("*未声明*"));
}

#[test]
fn quality_lists_each_file_with_errors() {
    let d = disclosure();
    let q = &d.quality;
    assert_eq!(q.total.error_count, 3);
    assert_eq!(q.files_with_errors.len(), 2);
    let broken = q
        .files_with_errors
        .iter()
        .find(|f| f.path == "sft/broken.jsonl")
        .unwrap();
    assert_eq!(broken.error_count, 2);
    assert_eq!(broken.location.as_deref(), Some("line 2, byte 55"));
    assert_eq!(q.skipped_files.len(), 1);
    assert_eq!(q.skipped_files[0].path, "misc/weights.bin");
    let md = out(&d, Format::Markdown, Lang::En);
    assert!(md.contains("truncated JSON at column 49 @ line 2"));
}

#[test]
fn checks_flag_sources_above_threshold() {
    let d = disclosure();
    let sft = d
        .checks
        .per_source
        .iter()
        .find(|c| c.source == "sft-demo")
        .unwrap();
    assert_eq!(sft.flags, ["pii_record_share", "error_share"]);
    assert_eq!(
        (sft.error_share.numerator, sft.error_share.denominator),
        (2, 15)
    );
    let web = d
        .checks
        .per_source
        .iter()
        .find(|c| c.source == "web-zh-demo")
        .unwrap();
    assert!(web.flags.is_empty());
    let media = d
        .checks
        .per_source
        .iter()
        .find(|c| c.source == "media")
        .unwrap();
    assert_eq!(media.unknown_license_share.unit, "bytes");
    assert!(media.unknown_license_share.flagged);

    let lenient = Checks {
        max_pii_record_share: 0.5,
        max_unknown_license_share: 1.0,
        max_error_share: 0.5,
    };
    let d2 = build(&load(), &lenient);
    assert!(d2.checks.flagged_sources.is_empty());
    assert!(!d2.checks.policy_present);
}

#[test]
fn checks_deserialise_with_defaults_and_reject_unknown_keys() {
    let c: Checks = serde_json::from_str(r#"{"max_error_share": 0.2}"#).unwrap();
    assert_eq!(c.max_error_share, 0.2);
    assert_eq!(c.max_pii_record_share, 0.05);
    assert_eq!(Checks::default().max_unknown_license_share, 0.05);
    assert!(serde_json::from_str::<Checks>(r#"{"max_pii": 0.1}"#).is_err());
}

#[test]
fn policy_violations_are_listed_and_escaped() {
    let dir = scratch("policy", true);
    let mut s = summary();
    s["policy"] = serde_json::json!({
        "violations": [
            {"rule": "no_pii", "source": "sft-demo",
             "figure": {"share": 0.15, "count": 3, "records": 20},
             "threshold": 0.05, "message": "<b>too much</b> PI"},
            {"rule": "license", "source": "demo",
             "figure": {"category": "proprietary", "files": 1, "records": 2},
             "threshold": ["proprietary"], "message": "forbidden"}
        ]
    });
    fs::write(dir.join("summary.json"), s.to_string()).unwrap();
    let d = build(&Audit::load(&dir).unwrap(), &Checks::default());
    assert!(d.checks.policy_present);
    assert_eq!(d.checks.policy_violations.len(), 2);
    assert_eq!(d.checks.policy_violations[0]["threshold"], "0.05");
    assert_eq!(d.checks.policy_violations[1]["threshold"], "proprietary");
    let md = out(&d, Format::Markdown, Lang::En);
    assert!(md.contains("### Policy violations"));
    assert!(md.contains("no\\_pii"));
    let html = out(&d, Format::Html, Lang::Both);
    assert!(html.contains("&lt;b&gt;too much&lt;/b&gt; PI"));
    assert!(!html.contains("<b>too much"));
    let _ = fs::remove_dir_all(dir);
}

// ------------------------------------------------------------------ integrity

#[test]
fn merkle_root_is_recomputed_and_verified() {
    let d = disclosure();
    assert!(d.identification.merkle_root_verified);
    assert_eq!(
        d.identification.merkle_root.as_deref(),
        Some(d.identification.merkle_root_recomputed.as_str())
    );

    let dir = scratch("tampered", true);
    let ledger = fs::read_to_string(dir.join("ledger.jsonl")).unwrap();
    fs::write(
        dir.join("ledger.jsonl"),
        ledger.replacen("\"bytes\":198", "\"bytes\":199", 1),
    )
    .unwrap();
    let d = build(&Audit::load(&dir).unwrap(), &Checks::default());
    assert!(!d.identification.merkle_root_verified);
    assert!(out(&d, Format::Markdown, Lang::En).contains("MISMATCH"));
    let _ = fs::remove_dir_all(dir);
}

// ------------------------------------------------------------------ escaping

/// Tags the HTML back end writes; any other `<name` would be injected markup.
const ALLOWED_TAGS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "input",
    "div",
    "header",
    "label",
    "h1",
    "h2",
    "h3",
    "nav",
    "ol",
    "li",
    "a",
    "main",
    "section",
    "p",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "span",
    "strong",
    "figure",
    "figcaption",
    "svg",
    "g",
    "text",
    "rect",
    "tspan",
];

fn tags(html: &str) -> BTreeSet<String> {
    html.split('<')
        .skip(1)
        .map(|rest| {
            rest.trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
                .collect::<String>()
        })
        .collect()
}

/// Up to 40 characters around byte `i`.
fn context(s: &str, i: usize) -> String {
    let before: String = s[..i]
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = s[i..].chars().take(40).collect();
    before + &after
}

#[test]
fn hostile_strings_never_reach_html_unescaped() {
    let d = disclosure();
    for lang in [Lang::Zh, Lang::En, Lang::Both] {
        let html = out(&d, Format::Html, lang);
        for bad in HOSTILE {
            assert!(!html.contains(bad), "{bad} unescaped in HTML ({lang:?})");
        }
        // A declared URL is shown as inert text, never as a link or a source.
        assert!(
            html.contains("<code>javascript:alert(1)</code>"),
            "{lang:?}"
        );
        let links: Vec<&str> = html.split("href=\"").skip(1).collect();
        assert!(
            links.iter().all(|rest| rest.starts_with("#s")),
            "a link that is not the table of contents ({lang:?})"
        );
        let unexpected: Vec<String> = tags(&html)
            .into_iter()
            .filter(|t| !ALLOWED_TAGS.contains(&t.as_str()))
            .collect();
        assert!(unexpected.is_empty(), "unexpected tags {unexpected:?}");
        // The hostile values are there, escaped.
        assert!(
            html.contains(
                "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"
            )
        );
        assert!(html.contains(
            "&lt;img src=x onerror=alert(1)&gt;/&lt;script&gt;alert(3)&lt;:script&gt;.jsonl"
        ));
        assert!(html.contains("&lt;script&gt;***&lt;/script&gt;"));
        // Self-contained: no external reference of any kind. A declared URL shown as
        // text (a code span's whole content) is not one.
        for external in ["http://", "https://", "src=", "@import", "url("] {
            let hits: Vec<String> = html
                .match_indices(external)
                .filter(|(i, _)| !html[..*i].ends_with("<code>"))
                .map(|(i, _)| context(&html, i))
                .filter(|ctx| {
                    !ctx.contains("http://www.w3.org/2000/svg") && !ctx.contains("&lt;img src=x")
                })
                .collect();
            assert!(hits.is_empty(), "external reference {external}: {hits:?}");
        }
    }
}

#[test]
fn hostile_strings_are_inert_in_markdown() {
    let d = disclosure();
    let md = out(&d, Format::Markdown, Lang::Both);
    for line in md.lines() {
        // Outside code spans no raw `<` may remain.
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                assert!(!part.contains('<'), "raw `<` outside code in: {line}");
            }
        }
    }
    assert!(md.contains("&lt;script&gt;alert('name')&lt;/script&gt; &amp; \"Co\""));
}

#[test]
fn unmasked_values_are_never_shown() {
    let d = disclosure();
    assert!(
        d.personal_information
            .masked_examples
            .iter()
            .all(|e| e.masked.contains('*'))
    );
    for f in Format::ALL {
        for l in [Lang::Zh, Lang::En, Lang::Both] {
            assert!(!out(&d, f, l).contains("13812345678"), "{f} {l:?}");
        }
    }
    // Only a few per type.
    let phones = d
        .personal_information
        .masked_examples
        .iter()
        .filter(|e| e.pii_type == "phone")
        .count();
    assert!(phones <= 2);
}

// ------------------------------------------------------------------ languages

const ZH_HEADINGS: &[&str] = &["标识信息", "按阶段概览", "数据来源", "个人信息", "方法说明"];
const EN_HEADINGS: &[&str] = &[
    "Identification",
    "Overview by stage",
    "Sources",
    "Personal information",
    "Labelled data (Article 8)",
];

#[test]
fn language_selection() {
    let d = disclosure();
    for f in [Format::Markdown, Format::Html] {
        let zh = out(&d, f, Lang::Zh);
        let en = out(&d, f, Lang::En);
        let both = out(&d, f, Lang::Both);
        for h in ZH_HEADINGS {
            assert!(zh.contains(h) && both.contains(h), "{f}: {h}");
            assert!(!en.contains(h), "{f}: English output has {h}");
        }
        for h in EN_HEADINGS {
            assert!(en.contains(h) && both.contains(h), "{f}: {h}");
            assert!(!zh.contains(h), "{f}: Chinese output has {h}");
        }
    }
    let md = out(&d, Format::Markdown, Lang::Both);
    assert!(md.contains("## 3. 数据来源 / Sources"));
    let html = out(&d, Format::Html, Lang::Both);
    assert!(html.contains("id=\"lang-zh\""));
    assert!(html.contains("@media print"));
    assert!(!out(&d, Format::Html, Lang::En).contains("id=\"lang-zh\""));
}

// ------------------------------------------------------------------ JSON

#[test]
fn json_keys_are_stable() {
    let d = disclosure();
    let v: Value = serde_json::from_str(&out(&d, Format::Json, Lang::Both)).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "checks",
            "diversity",
            "filings",
            "identification",
            "intellectual_property",
            "labelled_data",
            "method",
            "overview",
            "personal_information",
            "quality",
            "schema_version",
            "sources"
        ]
    );
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["identification"]["tool_name"], "provaudit");
    assert_eq!(v["sources"][0]["license"], Value::Null);
    // Every key is snake_case.
    fn walk(v: &Value, bad: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let dynamic = k.contains(['-', '<', '.', ' '])
                        || k.chars().any(|c| c.is_ascii_uppercase());
                    let map_key = matches!(x, Value::Number(_) | Value::String(_));
                    if dynamic && !map_key {
                        bad.push(k.clone());
                    }
                    walk(x, bad);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, bad)),
            _ => {}
        }
    }
    let mut bad = Vec::new();
    walk(&v, &mut bad);
    assert!(bad.is_empty(), "{bad:?}");
    // Byte-for-byte deterministic.
    assert_eq!(
        out(&d, Format::Json, Lang::En),
        out(&disclosure(), Format::Json, Lang::Zh)
    );
}

// ------------------------------------------------------------------ SPDX

fn spdx() -> Value {
    serde_json::from_str(&out(&disclosure(), Format::Spdx, Lang::En)).unwrap()
}

#[test]
fn spdx_shape_is_valid() {
    let v = spdx();
    assert_eq!(
        v["@context"],
        "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    );
    let graph = v["@graph"].as_array().unwrap();

    let creation: Vec<&Value> = graph
        .iter()
        .filter(|e| e["type"] == "CreationInfo")
        .collect();
    assert_eq!(creation.len(), 1);
    let ci = creation[0];
    assert_eq!(ci["specVersion"], "3.0.1");
    assert!(ci["@id"].as_str().unwrap().starts_with("_:"));
    assert!(ci["created"].as_str().unwrap().ends_with('Z'));

    let mut ids = BTreeSet::new();
    for e in graph.iter().filter(|e| e["type"] != "CreationInfo") {
        let id = e["spdxId"]
            .as_str()
            .unwrap_or_else(|| panic!("no spdxId: {e}"));
        assert!(id.starts_with("urn:provaudit:"), "{id}");
        assert!(!id.contains(['<', '>', ' ', '"']), "{id}");
        assert!(ids.insert(id.to_string()), "duplicate {id}");
        assert_eq!(e["creationInfo"], ci["@id"], "{id}");
        assert!(e["type"].is_string());
    }
    let type_of = |id: &str| {
        graph
            .iter()
            .find(|e| e["spdxId"] == id)
            .and_then(|e| e["type"].as_str())
            .unwrap_or("")
            .to_string()
    };
    let agent = ci["createdBy"][0].as_str().unwrap();
    assert!(
        ["SoftwareAgent", "Agent", "Organization", "Person"].contains(&type_of(agent).as_str())
    );
    assert_eq!(type_of(ci["createdUsing"][0].as_str().unwrap()), "Tool");

    let docs: Vec<&Value> = graph
        .iter()
        .filter(|e| e["type"] == "SpdxDocument")
        .collect();
    assert_eq!(docs.len(), 1);
    for key in ["rootElement", "element"] {
        for id in docs[0][key].as_array().unwrap() {
            assert!(
                ids.contains(id.as_str().unwrap()),
                "{key} {id} does not resolve"
            );
        }
    }

    let packages: Vec<&Value> = graph
        .iter()
        .filter(|e| e["type"] == "dataset_DatasetPackage")
        .collect();
    assert_eq!(packages.len(), disclosure().sources.len());
    for p in &packages {
        let types = p["dataset_datasetType"].as_array().unwrap();
        assert!(!types.is_empty());
        for t in types {
            assert!(spdx::DATASET_TYPES.contains(&t.as_str().unwrap()), "{t}");
        }
        assert!(p["dataset_datasetSize"].is_u64());
        assert!(
            ["yes", "no", "noAssertion"].contains(
                &p["dataset_hasSensitivePersonalInformation"]
                    .as_str()
                    .unwrap()
            )
        );
        assert_eq!(p["software_primaryPurpose"], "data");
        assert!(p["name"].is_string());
        // Declared processing steps only (the fixture declares none); measurements
        // are the dataset's noise.
        assert!(p.get("dataset_dataPreprocessing").is_none());
        assert!(p["dataset_datasetNoise"].is_string());
    }

    let rels: Vec<&Value> = graph
        .iter()
        .filter(|e| e["type"] == "Relationship")
        .collect();
    for r in &rels {
        assert!(ids.contains(r["from"].as_str().unwrap()), "from {r}");
        let to = r["to"].as_array().unwrap();
        assert!(!to.is_empty());
        for t in to {
            let t = t.as_str().unwrap();
            let no_assertion =
                t == "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense";
            assert!(ids.contains(t) || no_assertion, "to {t}");
        }
        assert!(
            ["describes", "hasDeclaredLicense", "hasConcludedLicense"]
                .contains(&r["relationshipType"].as_str().unwrap())
        );
    }
    let describes = rels
        .iter()
        .find(|r| r["relationshipType"] == "describes")
        .unwrap();
    assert_eq!(describes["to"].as_array().unwrap().len(), packages.len());
    // Every declared license has its expression and relationship.
    let declared = rels
        .iter()
        .filter(|r| r["relationshipType"] == "hasDeclaredLicense")
        .count();
    assert_eq!(
        declared,
        disclosure()
            .sources
            .iter()
            .filter(|s| s.license.is_some())
            .count()
    );
    for r in rels
        .iter()
        .filter(|r| r["relationshipType"] == "hasDeclaredLicense")
    {
        let lic = r["to"][0].as_str().unwrap();
        assert_eq!(type_of(lic), "simplelicensing_LicenseExpression");
        assert_eq!(
            type_of(r["from"].as_str().unwrap()),
            "dataset_DatasetPackage"
        );
    }
}

#[test]
fn spdx_dataset_fields() {
    let v = spdx();
    let graph = v["@graph"].as_array().unwrap();
    let pkg = |id: &str| {
        graph
            .iter()
            .find(|e| e["spdxId"] == format!("urn:provaudit:3898b029c09d3b4d:source:{id}"))
            .unwrap()
            .clone()
    };
    let sft = pkg("sft-demo");
    assert_eq!(sft["dataset_hasSensitivePersonalInformation"], "yes");
    assert_eq!(sft["dataset_datasetSize"], 2480);
    assert!(
        sft["dataset_dataCollectionProcess"]
            .as_str()
            .unwrap()
            .contains("collected: 2025-04")
    );
    let code = pkg("code");
    // Nothing found is not "none there": detectors show presence, not absence.
    assert_eq!(
        code["dataset_hasSensitivePersonalInformation"],
        "noAssertion"
    );
    assert!(code.get("dataset_dataCollectionProcess").is_none());
    let media = pkg("media");
    assert_eq!(
        media["dataset_hasSensitivePersonalInformation"],
        "noAssertion"
    );
    assert_eq!(
        media["dataset_datasetType"],
        serde_json::json!(["audio", "image"])
    );
    assert_eq!(
        pkg("misc")["dataset_datasetType"],
        serde_json::json!(["noAssertion"])
    );
    assert_eq!(
        pkg("labeled")["dataset_datasetType"],
        serde_json::json!(["categorical", "structured", "text"])
    );
    assert_eq!(
        pkg("web-zh-demo")["software_downloadLocation"],
        "https://example.org/demo-crawl"
    );
}

// ------------------------------------------------------------------ leniency and errors

#[test]
fn missing_keys_degrade_to_zero_and_not_declared() {
    let dir = scratch("sparse", false);
    fs::write(
        dir.join("summary.json"),
        r#"{"per_source": {"x": {"declared": {"manifest": {"source": {"id": "x", "name": "7"}}}}},
            "totals": {"bytes": 1}, "policy": {}}"#,
    )
    .unwrap();
    fs::write(dir.join("ledger.jsonl"), "{}\n{\"path\": \"a\"}\n").unwrap();
    let audit = Audit::load(&dir).unwrap();
    assert_eq!(audit.ledger_rows, 2);
    assert!(!audit.findings_present);
    let d = build(&audit, &Checks::default());
    assert_eq!(d.overview.total.records, 0);
    assert_eq!(d.overview.total.bytes, 1);
    assert_eq!(d.sources[0].name.as_deref(), Some("7"));
    assert_eq!(d.sources[0].basis, "directory");
    assert!(!d.identification.merkle_root_verified);
    assert!(d.checks.policy_present && d.checks.policy_violations.is_empty());
    for f in Format::ALL {
        for l in [Lang::Zh, Lang::En, Lang::Both] {
            let text = out(&d, f, l);
            assert!(!text.is_empty());
        }
    }
    assert!(out(&d, Format::Markdown, Lang::Zh).contains("未声明"));
    assert!(out(&d, Format::Markdown, Lang::En).contains("findings.jsonl not found"));

    // A value of the wrong type is not guessed at: the error names file and fix.
    fs::write(
        dir.join("summary.json"),
        r#"{"totals": {"records": "many"}}"#,
    )
    .unwrap();
    let err = Audit::load(&dir).unwrap_err().to_string();
    assert!(
        err.contains("summary.json") && err.contains("re-run `provaudit scan`"),
        "{err}"
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn errors_name_the_file_and_the_fix() {
    let dir = scratch("errors", false);
    let err = Audit::load(&dir).unwrap_err().to_string();
    assert!(
        err.contains("summary.json") && err.contains("run `provaudit scan"),
        "{err}"
    );

    fs::write(dir.join("summary.json"), "{}").unwrap();
    let err = Audit::load(&dir).unwrap_err().to_string();
    assert!(
        err.contains("ledger.jsonl") && err.contains("run `provaudit scan"),
        "{err}"
    );

    fs::write(dir.join("ledger.jsonl"), "{}\n{}\n{\"path\": \n").unwrap();
    let err = Audit::load(&dir).unwrap_err().to_string();
    assert!(err.contains("ledger.jsonl:3: not JSON"), "{err}");

    fs::write(dir.join("ledger.jsonl"), "{}\n").unwrap();
    fs::write(dir.join("summary.json"), "{\n  \"a\": 1,\n  oops\n}").unwrap();
    let err = Audit::load(&dir).unwrap_err().to_string();
    assert!(err.contains("summary.json:3: not JSON"), "{err}");

    fs::write(dir.join("summary.json"), "[1]").unwrap();
    let err = Audit::load(&dir).unwrap_err().to_string();
    assert!(err.contains("expected a JSON object"), "{err}");

    fs::write(dir.join("summary.json"), "{}").unwrap();
    fs::write(dir.join("findings.jsonl"), "nope\n").unwrap();
    let err = Audit::load(&dir).unwrap_err().to_string();
    assert!(err.contains("findings.jsonl:1: not a finding"), "{err}");

    let missing = dir.join("no/such/dir");
    let d = disclosure();
    let err = write_all(&d, &[Format::Json], Lang::En, &missing)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("disclosure.json") && err.contains("writable"),
        "{err}"
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn write_all_writes_each_format_atomically() {
    let dir = scratch("write", false);
    let d = disclosure();
    let paths = write_all(&d, &Format::ALL, Lang::Both, &dir).unwrap();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "disclosure.md",
            "disclosure.html",
            "disclosure.json",
            "disclosure.spdx.json",
            "disclosure.croissant.json"
        ]
    );
    let mut listed: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            "disclosure.croissant.json",
            "disclosure.html",
            "disclosure.json",
            "disclosure.md",
            "disclosure.spdx.json"
        ],
        "no temporary files left behind"
    );
    assert_eq!(
        fs::read_to_string(dir.join("disclosure.md")).unwrap(),
        out(&d, Format::Markdown, Lang::Both)
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn format_and_lang_parse() {
    assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
    assert_eq!("html".parse::<Format>().unwrap(), Format::Html);
    assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
    assert_eq!("spdx".parse::<Format>().unwrap(), Format::Spdx);
    let err = "pdf".parse::<Format>().unwrap_err().to_string();
    assert!(err.contains("md, html, json, spdx"));
    assert_eq!("both".parse::<Lang>().unwrap(), Lang::Both);
    assert_eq!("zh".parse::<Lang>().unwrap(), Lang::Zh);
    assert!("fr".parse::<Lang>().is_err());
}

#[test]
fn huge_counts_do_not_overflow() {
    let dir = scratch("huge", false);
    let max = u64::MAX;
    let group = format!(
        r#"{{"records": {max}, "bytes": {max}, "error_count": {max},
            "record_kinds": {{"preference": {max}, "chat": {max}}},
            "languages": {{"zh": {{"characters": {max}}}, "en": {{"characters": {max}}}, "xx": {{"characters": {max}}}}},
            "length_histogram": {{"0": {max}, ">65536": {max}}},
            "pii": {{"records_with_pii": {max}}}}}"#
    );
    fs::write(
        dir.join("summary.json"),
        format!(r#"{{"totals": {group}, "per_source": {{"x": {group}}}, "per_stage": {{"pretrain": {group}}}}}"#),
    )
    .unwrap();
    fs::write(dir.join("ledger.jsonl"), "").unwrap();
    let d = build(&Audit::load(&dir).unwrap(), &Checks::default());
    assert_eq!(d.labelled_data.total.labelled_records, max);
    for f in Format::ALL {
        assert!(!out(&d, f, Lang::Both).is_empty());
    }
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn bidi_controls_are_neutralised_in_html_and_markdown() {
    for s in [
        "MIT\u{202E}LPG",
        "src\u{2066}x\u{2069}",
        "a\u{200F}b\u{061C}",
    ] {
        for out in [
            super::html::esc(s),
            super::markdown::esc(s),
            super::markdown::code(s),
        ] {
            assert!(
                !out.chars().any(crate::discover::path_text::is_bidi_control),
                "{out:?}"
            );
        }
    }
}

/// Section 7 states counts by confidence per source, the audit's method and coverage
/// (naming what is not detected) and the measured accuracy with its data sets, in both
/// languages. The fixture is an audit made before these were recorded: it gets no
/// accuracy figures, and says why.
#[test]
fn personal_information_states_confidence_coverage_and_accuracy() {
    use crate::analyze::pii::Confidence;
    let old = disclosure();
    assert!(old.personal_information.coverage.is_none());
    assert!(!old.personal_information.accuracy_applies);
    let md = out(&old, Format::Markdown, Lang::En);
    assert!(md.contains("measured accuracy does not apply"), "{md}");

    let mut audit = load();
    audit.summary.methods = crate::ledger::summary::METHODS;
    let levels = [(Confidence::High, 3), (Confidence::Low, 1)];
    for (c, n) in levels.clone() {
        audit.summary.totals.pii.by_confidence.insert(c, n);
    }
    let sft = audit.summary.per_source.get_mut("sft-demo").unwrap();
    sft.stats.pii.by_confidence.extend(levels);
    let d = build(&audit, &Checks::default());
    let pi = &d.personal_information;
    assert!(pi.accuracy_applies && !pi.accuracy.is_empty());
    let sft = pi
        .per_source
        .iter()
        .find(|s| s.source == "sft-demo")
        .unwrap();
    assert_eq!(sft.occurrences_by_confidence.len(), 2);
    let en = out(&d, Format::Markdown, Lang::En);
    let zh = out(&d, Format::Markdown, Lang::Zh);
    assert!(
        en.contains("| Source | high | medium | low | Total |"),
        "{en}"
    );
    assert!(en.contains("| `sft-demo` | 3 | 0 | 1 | 4 |"), "{en}");
    assert!(en.contains("| **Total** | 3 | 0 | 1 | 4 |"), "{en}");
    assert!(
        en.contains("NOT detected: person names and addresses without a context word"),
        "{en}"
    );
    assert!(
        zh.contains("未检测：没有语境词或地址结构的人名与地址"),
        "{zh}"
    );
    assert!(en.contains("every finding read by hand"), "{en}");
    assert!(
        en.contains("| email | llm-samples (hand-labelled) | 1.0000 | not measured | 60 |"),
        "{en}"
    );
    assert!(zh.contains("未测量"), "{zh}");
    assert!(
        en.contains("whose precision was not measured on real text: CN resident ID"),
        "{en}"
    );
    // Section 10 leaves the statement to section 7.
    let method = en.split("## 10").nth(1).unwrap_or_default();
    assert!(!method.contains("NOT detected"), "{method}");
}

/// A source with no personal values but records flagged for sensitive personal
/// information (a medical Q&A with first-person disclosures) is `yes` in SPDX, and
/// section 7 lists its records per category, in both languages.
#[test]
fn sensitive_records_make_spdx_say_yes_and_show_per_category() {
    use crate::analyze::sensitive::SensitiveCategory;
    let mut d = disclosure();
    let code = d
        .personal_information
        .per_source
        .iter_mut()
        .find(|s| s.source == "code")
        .unwrap();
    assert_eq!(code.records_with_pii, 0);
    code.records_with_sensitive = 3;
    code.sensitive_by_category = [(SensitiveCategory::Health, 3)].into();
    d.personal_information.records_with_sensitive = 3;
    d.personal_information.sensitive = vec![disclosure::SensitiveRow {
        category: SensitiveCategory::Health,
        records: 3,
    }];
    let v: Value = serde_json::from_str(&out(&d, Format::Spdx, Lang::En)).unwrap();
    let pkg = v["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["spdxId"] == "urn:provaudit:3898b029c09d3b4d:source:code")
        .unwrap();
    assert_eq!(pkg["dataset_hasSensitivePersonalInformation"], "yes");
    assert!(
        pkg["dataset_datasetNoise"]
            .to_string()
            .contains("3 records with sensitive personal information")
    );
    let en = out(&d, Format::Markdown, Lang::En);
    assert!(
        en.contains("Sensitive personal information (PIPL Art. 28)"),
        "{en}"
    );
    assert!(en.contains("| `code` | "), "{en}");
    assert!(en.contains("health 3"), "{en}");
    let zh = out(&d, Format::Markdown, Lang::Zh);
    assert!(zh.contains("医疗健康 3"), "{zh}");
}

// ------------------------------------------------------------------ readability

#[test]
fn counts_carry_thousands_separators() {
    assert_eq!(doc::grouped(0), "0");
    assert_eq!(doc::grouped(999), "999");
    assert_eq!(doc::grouped(1_000), "1,000");
    assert_eq!(doc::grouped(33_554_432), "33,554,432");
    assert_eq!(doc::grouped(u64::MAX), "18,446,744,073,709,551,615");
}

#[test]
fn options_read_as_a_table_not_as_debug_text() {
    let d = disclosure();
    for lang in [Lang::Zh, Lang::En] {
        let md = out(&d, Format::Markdown, lang);
        assert!(!md.contains("Sample("), "{lang:?}");
        assert!(!md.contains("max_record_bytes ="), "{lang:?}");
        assert!(md.contains("| `--max-record-bytes` | 33,554,432 (32.0 MiB) |"));
    }
    let en = out(&d, Format::Markdown, Lang::En);
    assert!(en.contains("sample: the first 20 per file and type"));
    let zh = out(&d, Format::Markdown, Lang::Zh);
    assert!(zh.contains("抽样：每个文件每种类型前 20 条"));
}

#[test]
fn conflict_explanations_are_translated_from_their_fixed_shapes() {
    let zh = out(&disclosure(), Format::Markdown, Lang::Zh);
    assert!(!zh.contains("no declared license and no license evidence"));
    assert!(zh.contains("无声明的许可，也未检出许可证据"));
    // Every shape the scanner writes has a Chinese reading.
    for (kind, en, want) in [
        (
            "no_license",
            "no declared license or license file; 1200 records carry license markers (MIT, GPL-3.0-only), which do not license the rest; category unknown",
            "1,200 条记录带有许可标记（MIT, GPL-3.0-only）",
        ),
        (
            "unknown_license",
            "LicenseRef-x has no known category; review its terms",
            "LicenseRef-x 的许可类别未知",
        ),
        (
            "stricter_than_declared",
            "detected GPL-3.0-only (strong_copyleft) is stricter than declared MIT (permissive)",
            "检出的 GPL-3.0-only（强著佐权）严于声明的 MIT（宽松许可）",
        ),
        (
            "all_rights_reserved",
            "3 all-rights-reserved notices without a license grant in data declared CC-BY-4.0",
            "声明为 CC-BY-4.0 的数据中有 3 处",
        ),
        (
            "tdm_opt_out",
            "2 text-and-data-mining reservations (robots noai, TDMRep, AI-crawler disallow)",
            "2 处文本与数据挖掘保留声明",
        ),
    ] {
        let zh = doc::conflict_detail_zh(kind, en).unwrap_or_default();
        assert!(zh.contains(want), "{kind}: {zh}");
    }
    assert_eq!(doc::conflict_detail_zh("no_license", "something new"), None);
}

#[test]
fn language_codes_are_named() {
    let t = i18n::language("ro").unwrap();
    assert_eq!((t.zh, t.en), ("罗马尼亚语 ro", "Romanian (ro)"));
    assert_eq!(i18n::language("en").unwrap().zh, "英文");
    assert!(i18n::language("xx").is_none());
}

#[test]
fn the_overview_says_how_each_stage_was_set() {
    let d = disclosure();
    for row in d.overview.stages.iter().chain([&d.overview.total]) {
        assert_eq!(row.basis.values().sum::<u64>(), row.files, "{}", row.stage);
    }
    assert!(
        d.overview.total.basis.contains_key("inferred"),
        "{:?}",
        d.overview.total.basis
    );
    let md = out(&d, Format::Markdown, Lang::En);
    let header = md
        .lines()
        .find(|l| l.starts_with("| Stage |"))
        .unwrap_or_default();
    assert!(header.ends_with("| Stage basis (files) |"), "{header}");
}

// ------------------------------------------------------------------ Croissant

#[test]
fn croissant_lists_files_with_their_hashes_and_states_rai_facts() {
    let d = disclosure();
    let v: Value = serde_json::from_str(&out(&d, Format::Croissant, Lang::En)).unwrap();
    assert_eq!(v["@type"], "sc:Dataset");
    assert_eq!(
        v["conformsTo"],
        serde_json::json!(croissant::CONFORMS_TO.to_vec())
    );
    let files: Vec<&Value> = v["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["@type"] == "cr:FileObject")
        .collect();
    let hashed = d.files.listed.iter().filter(|f| f.sha256.is_some()).count();
    assert_eq!(files.len(), hashed);
    for (file, listed) in files
        .iter()
        .zip(d.files.listed.iter().filter(|f| f.sha256.is_some()))
    {
        assert_eq!(file["sha256"].as_str(), listed.sha256.as_deref());
    }
    let pi = v["rai:personalSensitiveInformation"].as_str().unwrap();
    assert!(pi.contains("not evidence of absence"), "{pi}");
    // Declared periods become ISO dates; nothing undeclared is invented.
    assert_eq!(
        v["rai:dataCollectionTimeFrame"],
        serde_json::json!(["2024-06", "2025-01", "2025-03", "2025-04"])
    );
    assert!(v.get("citeAs").is_none() && v.get("datePublished").is_none());
}

#[test]
fn croissant_points_to_the_ledger_beyond_the_listed_files() {
    let mut digest = LedgerDigest::default();
    for i in 0..=audit::MAX_LISTED_FILES {
        digest.add(&crate::contract::LedgerRow {
            path: format!("f{i:05}.jsonl"),
            source: "s".into(),
            sha256: Some("ab".repeat(32)),
            ..Default::default()
        });
    }
    let a = load();
    let audit = Audit::with_digest(&a.dir, a.summary.clone(), digest, String::new()).unwrap();
    let d = build(&audit, &Checks::default());
    assert_eq!(d.files.listed.len(), audit::MAX_LISTED_FILES);
    assert_eq!(d.files.omitted, 1);
    let v: Value = serde_json::from_str(&out(&d, Format::Croissant, Lang::En)).unwrap();
    let rest = v["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["@type"] == "cr:FileSet")
        .unwrap();
    assert!(
        rest["description"]
            .as_str()
            .unwrap()
            .starts_with("1 more files")
    );
}
