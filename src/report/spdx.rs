//! SPDX 3.0.1 JSON-LD: one `dataset_DatasetPackage` per source, its declared license as
//! a `simplelicensing_LicenseExpression` linked by `hasDeclaredLicense`, and an
//! `SpdxDocument` that `describes` the packages.
//!
//! Property names follow the SPDX 3.0.1 model (Core, Software, Dataset and
//! SimpleLicensing profiles) as serialised by the official JSON-LD context: profile
//! properties carry their profile prefix (`dataset_datasetType`), core ones do not.
//! Identifiers are deterministic: `urn:provaudit:<audit_id>:<kind>:<id>`, with every
//! character outside RFC 3986's unreserved set percent-encoded.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::ReportError;
use super::disclosure::{Disclosure, SourceInfo};
use crate::discover::manifest::Stage;
use crate::record::kind::RecordKind;

pub const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
pub const SPEC_VERSION: &str = "3.0.1";
const CREATION_INFO: &str = "_:creationinfo";

/// SPDX `DatasetType` vocabulary.
#[cfg_attr(not(test), allow(dead_code))]
pub const DATASET_TYPES: [&str; 14] = [
    "audio",
    "categorical",
    "graph",
    "image",
    "noAssertion",
    "numeric",
    "other",
    "sensor",
    "structured",
    "syntactic",
    "text",
    "timeseries",
    "timestamp",
    "video",
];

pub fn render(d: &Disclosure) -> Result<String, ReportError> {
    let doc = document(d);
    serde_json::to_string_pretty(&doc)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| ReportError::Serialize {
            what: "SPDX",
            message: e.to_string(),
        })
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn iri_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn short_hash(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn element(kind: &str, id: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), json!(kind));
    m.insert("spdxId".into(), json!(id));
    m.insert("creationInfo".into(), json!(CREATION_INFO));
    m
}

pub fn document(d: &Disclosure) -> Value {
    let audit = d.identification.audit_id_or_unknown();
    let base = format!("urn:provaudit:{}", iri_part(&audit));
    let id = |kind: &str, name: &str| format!("{base}:{kind}:{}", iri_part(name));
    let tool_name = d
        .identification
        .tool_name
        .clone()
        .unwrap_or_else(|| "provaudit".into());
    let tool_version = d.identification.tool_version.clone();

    let created = d
        .identification
        .scan_finished
        .clone()
        .or_else(|| d.identification.scan_started.clone())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());

    let agent_id = id("agent", &tool_name);
    let tool_id = id("tool", &tool_name);
    let doc_id = format!("{base}:document");

    let mut graph: Vec<Value> = Vec::new();
    graph.push(json!({
        "type": "CreationInfo",
        "@id": CREATION_INFO,
        "specVersion": SPEC_VERSION,
        "created": created,
        "createdBy": [agent_id],
        "createdUsing": [tool_id],
    }));
    let mut agent = element("SoftwareAgent", &agent_id);
    agent.insert("name".into(), json!(tool_name));
    graph.push(Value::Object(agent));
    let mut tool = element("Tool", &tool_id);
    tool.insert(
        "name".into(),
        json!(match &tool_version {
            Some(v) => format!("{tool_name} {v}"),
            None => tool_name.clone(),
        }),
    );
    graph.push(Value::Object(tool));

    let mut elements: Vec<String> = vec![agent_id.clone(), tool_id.clone()];
    let mut packages: Vec<String> = Vec::new();
    let mut licenses: Vec<(String, String)> = Vec::new(); // (expression, spdxId)
    let mut relationships: Vec<Value> = Vec::new();

    for s in &d.sources {
        let pkg_id = id("source", &s.id);
        let mut pkg = element("dataset_DatasetPackage", &pkg_id);
        pkg.insert("name".into(), json!(s.display_name()));
        pkg.insert("software_primaryPurpose".into(), json!("data"));
        pkg.insert("dataset_datasetType".into(), json!(dataset_types(d, s)));
        pkg.insert("dataset_datasetSize".into(), json!(s.bytes));
        pkg.insert(
            "dataset_hasSensitivePersonalInformation".into(),
            json!(sensitive(d, s)),
        );
        // Declared steps only: the provider's processing, never provaudit's
        // measurements of the data (those are noise figures, below).
        if !s.processing.is_empty() {
            pkg.insert("dataset_dataPreprocessing".into(), json!(s.processing));
        }
        let noise = noise(d, s);
        if !noise.is_empty() {
            pkg.insert("dataset_datasetNoise".into(), json!(noise.join("; ")));
        }
        if let Some(hash) = &s.files_sha256 {
            pkg.insert(
                "verifiedUsing".into(),
                json!([{
                    "type": "Hash",
                    "algorithm": "sha256",
                    "hashValue": hash,
                    "comment": "SHA-256 over the sha256 values of this source's files in ledger.jsonl, one per line in ledger order ('-' for a file that could not be hashed): sha256sum of those lines",
                }]),
            );
        }
        if let Some(process) = collection_process(s) {
            pkg.insert("dataset_dataCollectionProcess".into(), json!(process));
        }
        let stage = s
            .declared_stage
            .clone()
            .map(|st| format!("{st} (declared)"))
            .or_else(|| {
                let stages: Vec<&Stage> = s.stages.keys().collect();
                (!stages.is_empty()).then(|| {
                    format!(
                        "{} (measured by provaudit)",
                        stages
                            .iter()
                            .map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            });
        if let Some(stage) = stage {
            pkg.insert(
                "dataset_intendedUse".into(),
                json!(format!("training stage: {stage}")),
            );
        }
        if let Some(url) = &s.url {
            pkg.insert("software_downloadLocation".into(), json!(url));
        }
        pkg.insert(
            "comment".into(),
            json!(format!(
                "source id {}; facts declared via {}{}; {} files, {} records measured by provaudit; builtTime, when given, is the newest modification time of its files as the file system recorded it; personal information by provaudit's rule-based detectors (checksums, numbering plans, context words; see the disclosure's method), which can show presence, not absence",
                s.id,
                s.basis,
                s.declared_in
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default(),
                s.files,
                s.records
            )),
        );
        // Measured, not declared: the newest modification time of the source's files,
        // as the file system recorded it (a copy's time, for copied data).
        if let Some(built) = &s.latest_modified {
            pkg.insert("builtTime".into(), json!(built));
        }
        // Declared (manifest `released`), as SPDX's DateTime.
        if let Some(released) = s
            .released
            .as_deref()
            .and_then(crate::discover::manifest::release_time)
        {
            pkg.insert("releaseTime".into(), json!(released));
        }
        if let Some(originator) = &s.originator {
            let org_id = id("originator", &format!("{}:{originator}", s.id));
            let mut org = element("Organization", &org_id);
            org.insert("name".into(), json!(originator));
            graph.push(Value::Object(org));
            elements.push(org_id.clone());
            pkg.insert("originatedBy".into(), json!([org_id]));
        }
        graph.push(Value::Object(pkg));
        elements.push(pkg_id.clone());
        packages.push(pkg_id.clone());

        let mut license_id = |expr: &str| match licenses.iter().find(|(e, _)| e == expr) {
            Some((_, lid)) => lid.clone(),
            None => {
                let lid = format!("{base}:license:{}", short_hash(expr));
                licenses.push((expr.to_string(), lid.clone()));
                lid
            }
        };
        if let Some(expr) = &s.license {
            let lic_id = license_id(expr);
            relationships.push(license_relationship(&pkg_id, "hasDeclaredLicense", lic_id));
        }
        let concluded = concluded_license(d, s).map_or_else(
            || NO_ASSERTION_LICENSE.to_string(),
            |expr| license_id(&expr),
        );
        relationships.push(license_relationship(
            &pkg_id,
            "hasConcludedLicense",
            concluded,
        ));
    }
    for (expr, lid) in &licenses {
        let mut lic = element("simplelicensing_LicenseExpression", lid);
        lic.insert("simplelicensing_licenseExpression".into(), json!(expr));
        graph.push(Value::Object(lic));
        elements.push(lid.clone());
    }
    if !packages.is_empty() {
        let mut rel = element("Relationship", &format!("{doc_id}:describes"));
        rel.insert("from".into(), json!(doc_id));
        rel.insert("relationshipType".into(), json!("describes"));
        rel.insert("to".into(), json!(packages));
        relationships.insert(0, Value::Object(rel));
    }
    for rel in &relationships {
        if let Some(rid) = rel.get("spdxId").and_then(Value::as_str) {
            elements.push(rid.to_string());
        }
    }
    graph.extend(relationships);

    let mut doc = element("SpdxDocument", &doc_id);
    doc.insert(
        "name".into(),
        json!(format!("provaudit disclosure {audit}")),
    );
    doc.insert(
        "comment".into(),
        json!(format!(
            "Training-data disclosure for audit {audit}; ledger Merkle root (SHA-256, RFC 6962 over ledger.jsonl lines): {}{}",
            d.identification.merkle_root.as_deref().unwrap_or("not recorded"),
            if d.identification.merkle_root_verified { " (verified)" } else { " (NOT verified against ledger.jsonl)" }
        )),
    );
    doc.insert(
        "profileConformance".into(),
        json!(["core", "software", "dataset", "simpleLicensing"]),
    );
    doc.insert("rootElement".into(), json!(packages));
    doc.insert("element".into(), json!(elements));
    graph.insert(1, Value::Object(doc));

    json!({
        "@context": CONTEXT,
        "@graph": graph,
    })
}

fn dataset_types(d: &Disclosure, s: &SourceInfo) -> Vec<&'static str> {
    let div = d.diversity.per_source.iter().find(|x| x.source == s.id);
    let mut types: Vec<&'static str> = Vec::new();
    let mut add = |t: &'static str| {
        if !types.contains(&t) {
            types.push(t);
        }
    };
    if let Some(div) = div {
        for m in &div.modalities {
            match m.as_str() {
                "text" => add("text"),
                "image" => add("image"),
                "audio" => add("audio"),
                "video" => add("video"),
                _ => {}
            }
        }
        if div
            .record_kinds
            .get(&RecordKind::Labeled)
            .copied()
            .unwrap_or(0)
            > 0
        {
            add("categorical");
        }
        if div
            .formats
            .iter()
            .any(|f| matches!(f.as_str(), "csv" | "tsv" | "parquet" | "arrow"))
        {
            add("structured");
        }
    }
    if types.is_empty() {
        types.push("noAssertion");
    }
    types.sort_unstable();
    types
}

/// `yes` when personal information or sensitive personal information (PIPL Art. 28:
/// a health, faith, identity ... term next to a person reference) was found, else
/// `noAssertion`: detectors that found nothing have not shown there is nothing (names
/// in free text, identifiers of countries without a rule), so `no` would state the
/// absence of evidence as a fact. The method is in the package's comment.
fn sensitive(d: &Disclosure, s: &SourceInfo) -> &'static str {
    let found = d
        .personal_information
        .per_source
        .iter()
        .find(|x| x.source == s.id)
        .is_some_and(|p| p.records_with_pii > 0 || p.records_with_sensitive > 0);
    if found { "yes" } else { "noAssertion" }
}

/// SPDX's individual for "no assertion can be made" about a license, as an IRI (it is
/// a named individual, not a term of the JSON-LD context's vocabulary).
const NO_ASSERTION_LICENSE: &str =
    "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense";

fn license_relationship(pkg_id: &str, kind: &str, license_id: String) -> Value {
    let mut rel = element("Relationship", &format!("{pkg_id}:{kind}"));
    rel.insert("from".into(), json!(pkg_id));
    rel.insert("relationshipType".into(), json!(kind));
    rel.insert("to".into(), json!([license_id]));
    Value::Object(rel)
}

/// What the source's data is under as far as the audit can tell: every declared and
/// detected license together (AND: each applies to some of the data, and a user must
/// honour them all), `None` (SPDX
/// NoAssertion) when the category is unknown for any of it, since a license found in
/// part of the data says nothing of the rest.
fn concluded_license(d: &Disclosure, s: &SourceInfo) -> Option<String> {
    let ip = d
        .intellectual_property
        .per_source
        .iter()
        .find(|x| x.source == s.id)?;
    if ip.category == crate::analyze::license::Category::Unknown
        || ip
            .composition
            .iter()
            .any(|c| c.category == crate::analyze::license::Category::Unknown)
    {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for expr in ip
        .declared
        .iter()
        .map(String::as_str)
        .chain(ip.detected.iter().map(|x| x.license.as_str()))
        // Licenses found only in some records (a notice inside a document) apply to
        // those records: the conflicts name them.
        .chain(ip.conflicts.iter().filter_map(|c| c.detected.as_deref()))
    {
        if !parts.contains(&expr) {
            parts.push(expr);
        }
    }
    match parts.len() {
        0 => None,
        1 => Some(parts[0].to_string()),
        _ => Some(
            parts
                .iter()
                .map(|p| {
                    if p.contains(' ') {
                        format!("({p})")
                    } else {
                        (*p).to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

/// The data's noise as measured by provaudit (duplicates, empty and very short
/// records, invalid text, read errors), and the personal information in it: what
/// SPDX's `datasetNoise` asks for, as figures.
fn noise(d: &Disclosure, s: &SourceInfo) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(q) = d.quality.per_source.iter().find(|q| q.source == s.id) {
        out.push(format!(
            "measured by provaudit: {} exact and {} normalized duplicate records within the scan, of {} records (present in the data)",
            q.duplicates_within_scan, q.normalized_duplicates_within_scan, q.records
        ));
        out.push(format!(
            "measured by provaudit: {} empty and {} very short records; {} records with invalid UTF-8; {} read errors",
            q.empty, q.very_short, q.invalid_utf8, q.error_count
        ));
    }
    if let Some(p) = d
        .personal_information
        .per_source
        .iter()
        .find(|p| p.source == s.id)
    {
        out.push(format!(
            "measured by provaudit: {} records with personal information (not masked in the data)",
            p.records_with_pii
        ));
        if p.records_with_sensitive > 0 {
            out.push(format!(
                "measured by provaudit: {} records with sensitive personal information (PIPL Art. 28, by lexicon and person reference; not masked in the data)",
                p.records_with_sensitive
            ));
        }
    }
    out
}

fn collection_process(s: &SourceInfo) -> Option<String> {
    let parts = s.declared_acquisition();
    (!parts.is_empty()).then(|| format!("{} (declared)", parts.join("; ")))
}
