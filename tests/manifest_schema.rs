//! The JSON Schemas for editors (`docs/schemas/`) say what the parsers accept: the same
//! keys, the same enumerations, the same limits. A key added to the manifest types
//! without its schema entry fails here (the full values below are struct literals, so a
//! new field does not even compile until it is listed), and every case the parser
//! refuses is refused by the schema too, checked with Python's `jsonschema` when it is
//! installed (SKIPPED otherwise).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use provaudit::discover::manifest::{
    Annotation, Manifest, Origin, SourceCategory, SourceDecl, Stage,
};
use provaudit::discover::provider::{Model, Provider, ProviderDecl};
use serde_json::Value;

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schemas")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn text() -> Option<String> {
    Some("x".into())
}

fn full_manifest() -> Manifest {
    Manifest {
        source: SourceDecl {
            id: "web".into(),
            name: text(),
            stage: Some(Stage::Pretrain),
            category: Some(SourceCategory::WebCrawl),
            origin: Some(Origin::Domestic),
            url: text(),
            license: text(),
            collected: text(),
            released: Some("2025-03-01".into()),
            consent_basis: text(),
            evidence: vec!["x".into()],
            originator: text(),
            ip_owner: text(),
            crawler: text(),
            robots: text(),
            generator: text(),
            processing: vec!["x".into()],
            illegal_content_removal: text(),
        },
        annotation: Some(Annotation {
            rules: text(),
            annotators: Some(1),
            trained: Some(true),
            spot_check_rate: Some(0.5),
            rules_version: text(),
            rules_sha256: Some("a".repeat(64)),
            spot_checked: Some(1),
            spot_check_accuracy: Some(0.5),
        }),
    }
}

fn full_provider() -> ProviderDecl {
    ProviderDecl {
        provider: Provider {
            name: text(),
            responsible_person: text(),
            contact: text(),
            complaint_channel: text(),
        },
        model: Model {
            name: text(),
            version: text(),
            filing_id: text(),
            intended_purpose: text(),
            data_first_used: text(),
            aggregate_consumer_information: text(),
        },
    }
}

/// `table.key` for every key of a value, and for every property of a schema.
fn value_keys(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Value::Object(map) = v {
        for (k, child) in map {
            let path = format!("{prefix}{k}");
            value_keys(child, &format!("{path}."), out);
            out.insert(path);
        }
    }
}

fn schema_keys(s: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Some(Value::Object(props)) = s.get("properties") {
        for (k, child) in props {
            let path = format!("{prefix}{k}");
            schema_keys(child, &format!("{path}."), out);
            out.insert(path);
        }
    }
}

fn assert_same_keys(schema_name: &str, full: Value) {
    let mut declared = BTreeSet::new();
    value_keys(&full, "", &mut declared);
    let mut listed = BTreeSet::new();
    schema_keys(&schema(schema_name), "", &mut listed);
    assert_eq!(
        declared, listed,
        "{schema_name} and the parser's keys differ"
    );
}

#[test]
fn the_schemas_list_exactly_the_parsers_keys() {
    assert_same_keys(
        "provenance.schema.json",
        serde_json::to_value(full_manifest()).unwrap(),
    );
    assert_same_keys(
        "provaudit.schema.json",
        serde_json::to_value(full_provider()).unwrap(),
    );
}

#[test]
fn every_enumerated_value_parses_and_nothing_else_is_listed() {
    let s = schema("provenance.schema.json");
    let props = &s["properties"]["source"]["properties"];
    for key in ["stage", "category", "origin"] {
        let values = props[key]["enum"].as_array().unwrap();
        assert!(!values.is_empty());
        for v in values {
            let v = v.as_str().unwrap();
            let text = format!("[source]\nid = \"a\"\n{key} = \"{v}\"\n");
            assert!(Manifest::parse(&text).is_ok(), "{key} = {v}");
        }
        let text = format!("[source]\nid = \"a\"\n{key} = \"unknown\"\n");
        assert!(Manifest::parse(&text).is_err(), "{key} = unknown parses");
    }
}

/// Manifests the parser refuses (and one it accepts): the schema must agree on each.
const CASES: &[(&str, bool)] = &[
    ("[source]\nid = \"a\"\n", true),
    ("[source]\nid = \"\"\n", false),
    ("[source]\nname = \"no id\"\n", false),
    ("[source]\nid = \"a\"\nconsent = \"x\"\n", false),
    ("[source]\nid = \"a\"\ncategory = \"crawl\"\n", false),
    ("[source]\nid = \"a\"\nstage = \"unknown\"\n", false),
    (
        "[source]\nid = \"a\"\n[annotation]\nspot_check_rate = 1.5\n",
        false,
    ),
    (
        "[source]\nid = \"a\"\n[annotation]\nspot_check_accuracy = -0.1\n",
        false,
    ),
    (
        "[source]\nid = \"a\"\n[annotation]\nrules_sha256 = \"abc\"\n",
        false,
    ),
    (
        "[source]\nid = \"a\"\n[annotation]\nvendor = \"x\"\n",
        false,
    ),
    ("[sources]\nid = \"a\"\n", false),
    ("[source]\nid = \"a\"\nreleased = \"2025-03-01\"\n", true),
    (
        "[source]\nid = \"a\"\nreleased = \"2025-03-01T12:00:00Z\"\n",
        true,
    ),
    ("[source]\nid = \"a\"\nreleased = \"March 2025\"\n", false),
    ("[source]\nid = \"a\"\nreleased = \"2025-13-01\"\n", false),
];

#[test]
fn the_parser_refuses_what_the_cases_say() {
    for (text, ok) in CASES {
        assert_eq!(Manifest::parse(text).is_ok(), *ok, "{text}");
    }
}

#[test]
fn the_schema_refuses_what_the_parser_refuses() {
    let Some(python) = common::python_with("jsonschema", "PROVAUDIT_JSONSCHEMA_PYTHON") else {
        eprintln!("SKIPPED: python3 cannot import jsonschema");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, bool)> = CASES.iter().map(|(t, ok)| (t.to_string(), *ok)).collect();
    cases.push((toml::to_string(&full_manifest()).unwrap(), true));
    for (i, (text, _)) in cases.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.toml")), text).unwrap();
    }
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas/provenance.schema.json");
    let script = r#"
import json, sys, tomllib, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    print("ok" if v.is_valid(doc) else "invalid")
"#;
    let mut args = vec![
        "-c".to_string(),
        script.to_string(),
        schema_path.display().to_string(),
    ];
    args.extend(
        (0..cases.len()).map(|i| dir.path().join(format!("{i}.toml")).display().to_string()),
    );
    let out = std::process::Command::new(python)
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(verdicts.len(), cases.len());
    for ((text, ok), verdict) in cases.iter().zip(&verdicts) {
        assert_eq!(
            verdict == "ok",
            *ok,
            "the schema says {verdict} of:\n{text}"
        );
    }
}
