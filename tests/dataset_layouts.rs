//! Real dataset layouts, built in the test: the files around the data (cards, LICENSE
//! files, library state, locks) are metadata, not records; a license file's terms reach
//! the data beside it; sources, splits and stages follow what the layout says.

mod common;

use std::path::Path;

use common::*;
use provaudit::analyze::license::Category;
use provaudit::discover::manifest::Stage;
use provaudit::discover::role::FileRole;
use provaudit::ledger::LedgerRow;

const APACHE_HEAD: &str = "                                 Apache License\n                           Version 2.0, January 2004\n                        http://www.apache.org/licenses/\n\n   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n";

const MIT: &str = "MIT License\n\nCopyright (c) 2020 Example Maintainers\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    std::fs::write(path, text).expect("a file");
}

fn text_lines(n: usize, tag: &str) -> String {
    (0..n)
        .map(|i| format!("{{\"text\": \"{tag} line {i} about the weather in the hills\"}}\n"))
        .collect()
}

fn scan(root: &Path) -> (tempfile::TempDir, Vec<LedgerRow>) {
    let out = tempfile::tempdir().expect("an output folder");
    scan_dir(root, out.path());
    let rows = rows(out.path());
    (out, rows)
}

#[test]
fn files_around_the_data_are_metadata_and_add_no_records() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    for source in ["code", "web"] {
        write(root, &format!("{source}/LICENSE"), MIT);
        write(root, &format!("{source}/NOTICE"), APACHE_HEAD);
        write(
            root,
            &format!("{source}/data.jsonl"),
            &text_lines(3, source),
        );
    }
    write(
        root,
        "web/README.md",
        "---\nlicense: mit\nlanguage:\n- de\n- es\npretty_name: Web Sample\n---\n# Web\n\nSome words.\n",
    );
    write(
        root,
        "web/dataset_info.json",
        "{\"description\": \"a sample\", \"citation\": \"x\"}",
    );
    write(
        root,
        "web/state.json",
        "{\"_data_files\": [{\"filename\": \"data.jsonl\"}]}",
    );
    write(root, "web/dataset_dict.json", "{\"splits\": [\"train\"]}");
    write(root, "code/poetry.lock", "[[package]]\nname = \"x\"\n");
    let (out, rows) = scan(root);

    for path in [
        "code/LICENSE",
        "code/NOTICE",
        "web/LICENSE",
        "web/README.md",
        "web/dataset_info.json",
        "web/state.json",
        "web/dataset_dict.json",
        "code/poetry.lock",
    ] {
        let r = row(&rows, path);
        assert_eq!(r.role, FileRole::Metadata, "{path}");
        assert_eq!((r.records, r.characters), (0, 0), "{path} adds no records");
        assert_eq!(r.stage, None, "{path} feeds no stage");
        assert!(r.sha256.is_some(), "{path} is still hashed");
        assert_eq!(r.duplicates.within_scan, 0, "{path}");
    }
    assert!(
        row(&rows, "code/LICENSE")
            .license
            .summary
            .detected
            .contains_key("MIT"),
        "the license file keeps its evidence"
    );
    for path in ["code/data.jsonl", "web/data.jsonl"] {
        let r = row(&rows, path);
        assert_eq!((r.role.clone(), r.records), (FileRole::Data, 3), "{path}");
    }
    let summary = read_summary(out.path());
    assert_eq!(
        summary.totals.content.records, 6,
        "only the data's records count"
    );
    assert_eq!(
        summary.totals.duplicates.within_scan, 0,
        "identical LICENSE texts are not duplicates"
    );
    let metadata = summary
        .totals
        .roles
        .get(&FileRole::Metadata)
        .map(|f| f.files);
    assert_eq!(
        metadata,
        Some(9),
        "two LICENSE, two NOTICE, a card, three state files, a lock"
    );
    let stages: u64 = summary.per_stage.values().map(|s| s.files).sum();
    assert_eq!(stages, 2, "metadata rows are in no stage group");
}

fn read_summary(out: &Path) -> provaudit::ledger::Summary {
    let text = std::fs::read_to_string(out.join(provaudit::ledger::SUMMARY_JSON)).expect("summary");
    serde_json::from_str(&text).expect("summary parses")
}

#[test]
fn sources_are_named_per_top_level_file_group_and_by_the_card() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    write(root, "web_sample.jsonl", &text_lines(2, "web"));
    write(
        root,
        "dpo_train.jsonl",
        "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n",
    );
    write(
        root,
        "dpo_test.jsonl",
        "{\"prompt\": \"q\", \"chosen\": \"c\", \"rejected\": \"d\"}\n",
    );
    write(
        root,
        "kto.jsonl",
        "{\"prompt\": \"p\", \"completion\": \"a\", \"label\": true}\n",
    );
    write(
        root,
        "carded/README.md",
        "---\nlicense: cc-by-4.0\npretty_name: Carded Sample\n---\n# Card\n",
    );
    write(root, "carded/data.jsonl", &text_lines(2, "carded"));
    let (_out, rows) = scan(root);
    let source = |path: &str| row(&rows, path).source.clone();
    assert_eq!(source("web_sample.jsonl"), "web_sample");
    assert_eq!(source("dpo_train.jsonl"), "dpo");
    assert_eq!(
        source("dpo_test.jsonl"),
        "dpo",
        "splits of one set are one source"
    );
    assert_eq!(source("kto.jsonl"), "kto");
    assert_eq!(
        source("carded/data.jsonl"),
        "Carded Sample",
        "the card's pretty_name"
    );
}

#[test]
fn splits_benchmarks_and_kto_get_their_stage() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    let qa = "{\"question\": \"What is 2 and 3?\", \"answer\": \"5\"}\n";
    write(root, "grade-school-math/test.jsonl", qa);
    write(root, "qa/train.jsonl", qa);
    write(root, "qa/validation.jsonl", qa);
    write(
        root,
        "humaneval.jsonl",
        "{\"prompt\": \"def f():\", \"completion\": \"pass\"}\n",
    );
    write(
        root,
        "kto/kto.jsonl",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}], \"label\": true}\n",
    );
    write(
        root,
        "uf/README.md",
        "---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train_prefs\n    path: data/train_prefs-*\n  - split: test_prefs\n    path: data/test_prefs-*\n---\n",
    );
    let pair = "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n";
    write(root, "uf/data/train_prefs-00000-of-00001.jsonl", pair);
    write(root, "uf/data/test_prefs-00000-of-00001.jsonl", pair);
    let (_out, rows) = scan(root);
    let got = |path: &str| {
        let r = row(&rows, path);
        (r.split.clone(), r.stage.clone())
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        got("grade-school-math/test.jsonl"),
        (some("test"), Some(Stage::Eval))
    );
    assert_eq!(
        got("qa/train.jsonl"),
        (some("train"), Some(Stage::Finetune))
    );
    assert_eq!(
        got("qa/validation.jsonl"),
        (some("validation"), Some(Stage::Eval))
    );
    assert_eq!(
        got("humaneval.jsonl"),
        (None, Some(Stage::Eval)),
        "a known benchmark"
    );
    assert_eq!(
        got("kto/kto.jsonl"),
        (None, Some(Stage::Preference)),
        "KTO is preference"
    );
    assert_eq!(
        got("uf/data/train_prefs-00000-of-00001.jsonl"),
        (some("train_prefs"), Some(Stage::Preference))
    );
    assert_eq!(
        got("uf/data/test_prefs-00000-of-00001.jsonl"),
        (some("test_prefs"), Some(Stage::Eval)),
        "the card's data_files name the split"
    );
}

#[test]
fn only_annotated_records_count_as_labelled_data() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    let instruction = "{\"instruction\": \"Say hi\", \"output\": \"hi\"}\n";
    write(root, "sft/a.jsonl", &instruction.repeat(4));
    write(
        root,
        "prefs/a.jsonl",
        "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n",
    );
    write(root, "annotated/a.jsonl", &instruction.repeat(2));
    write(
        root,
        "annotated/provenance.toml",
        "[source]\nid = \"annotated\"\n[annotation]\nannotators = 3\n",
    );
    let out = tempfile::tempdir().expect("an output folder");
    let audit = out.path().join("audit");
    let (root_arg, out_arg) = (root.to_string_lossy(), audit.to_string_lossy());
    let run = provaudit(&["scan", &root_arg, "-o", &out_arg, "-q"]);
    assert!(run.status.success(), "{}", text(&run));
    let text = std::fs::read_to_string(audit.join("disclosure.json")).expect("disclosure");
    let d: serde_json::Value = serde_json::from_str(&text).expect("json");
    let labelled = &d["labelled_data"];
    let of = |source: &str| {
        labelled["per_source"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["source"] == source))
            .map(|r| r["labelled_records"].as_u64())
    };
    assert_eq!(
        of("sft"),
        None,
        "written instructions are not labelled data"
    );
    assert_eq!(of("prefs"), Some(Some(1)));
    assert_eq!(
        of("annotated"),
        Some(Some(2)),
        "a declared [annotation] labels them"
    );
    assert_eq!(labelled["total"]["labelled_records"].as_u64(), Some(3));
}

#[test]
fn a_license_file_covers_the_data_beside_it_and_markers_in_records_stay_records() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    write(root, "corpus/LICENSE", MIT);
    write(root, "corpus/a.jsonl", &text_lines(3, "a"));
    write(root, "corpus/nested/b.jsonl", &text_lines(2, "b"));
    write(
        root,
        "corpus/other/COPYING",
        "SPDX-License-Identifier: Apache-2.0\n",
    );
    write(root, "corpus/other/c.jsonl", &text_lines(2, "c"));
    let mut web = text_lines(20, "web");
    for i in 0..5 {
        web.push_str(&format!(
            "{{\"text\": \"Footer {i}. Copyright 2020 Example Ltd. All rights reserved.\"}}\n"
        ));
    }
    write(root, "web/part-0.jsonl", &web);
    let (out, rows) = scan(root);

    let a = row(&rows, "corpus/a.jsonl");
    assert_eq!(a.license.category, Category::Permissive, "{:?}", a.license);
    assert_eq!(a.license.basis, "license_file");
    let lf = a
        .license
        .summary
        .license_file
        .as_ref()
        .map(|d| d.expression.as_str());
    assert_eq!(lf, Some("MIT"));
    let nested = row(&rows, "corpus/nested/b.jsonl");
    assert_eq!(
        nested.license.summary.license_file, a.license.summary.license_file,
        "and below"
    );
    let other = row(&rows, "corpus/other/c.jsonl");
    let near = other
        .license
        .summary
        .license_file
        .as_ref()
        .map(|d| d.expression.as_str());
    assert_eq!(near, Some("Apache-2.0"), "the nearest license file wins");
    let license_row = row(&rows, "corpus/LICENSE");
    assert_eq!(
        license_row.license.summary.license_file, None,
        "a license file covers data only"
    );

    let web = row(&rows, "web/part-0.jsonl");
    assert_eq!(
        web.license.category,
        Category::Unknown,
        "five reserved records do not make a 25-record file proprietary"
    );
    assert_eq!(web.license.summary.all_rights_reserved, 5);
    assert_eq!(web.license.summary.records_with_markers, 5);

    let summary = read_summary(out.path());
    let corpus = &summary.per_source["corpus"].stats.license_categories;
    let permissive = &corpus[&Category::Permissive];
    assert_eq!((permissive.files, permissive.records), (3, 7));
    assert_eq!(permissive.by_basis["license_file"].records, 7);
    let web_source = &summary.per_source["web"].stats;
    assert_eq!(web_source.license.category, Category::Unknown);
}

#[test]
fn the_report_shows_a_source_s_license_composition_not_one_label() {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    write(root, "lake/a/LICENSE", MIT);
    write(root, "lake/a/x.jsonl", &text_lines(3, "x"));
    write(root, "lake/b/y.jsonl", &text_lines(7, "y"));
    let out = tempfile::tempdir().expect("an output folder");
    let audit = out.path().join("audit");
    let (root_arg, out_arg) = (root.to_string_lossy(), audit.to_string_lossy());
    let run = provaudit(&["scan", &root_arg, "-o", &out_arg, "-q"]);
    assert!(run.status.success(), "{}", text(&run));
    let json = std::fs::read_to_string(audit.join("disclosure.json")).expect("disclosure");
    let d: serde_json::Value = serde_json::from_str(&json).expect("json");
    let lake = d["intellectual_property"]["per_source"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["source"] == "lake"))
        .expect("the lake source");
    let parts: Vec<(String, String, u64)> = lake["composition"]
        .as_array()
        .expect("a composition")
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (
                text("category"),
                text("basis"),
                c["records"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("unknown".to_string(), "none".to_string(), 7),
            ("permissive".to_string(), "license_file".to_string(), 3)
        ]
    );
    let md = std::fs::read_to_string(audit.join("disclosure.md")).expect("markdown");
    assert!(
        md.contains("unknown 70.0% (none); permissive 30.0% (license\\_file)"),
        "{md}"
    );
    assert_eq!(
        lake["category"], "unknown",
        "a partly unknown source is unknown"
    );
}
