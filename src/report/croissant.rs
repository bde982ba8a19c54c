//! Croissant 1.1 JSON-LD with the Responsible-AI vocabulary (RAI 1.0): the audited
//! training data as one `sc:Dataset` whose `distribution` lists the files (a
//! `cr:FileObject` with its SHA-256 each, up to [`super::audit::MAX_LISTED_FILES`],
//! then `ledger.jsonl`, which lists them all), and whose `rai:` properties say how the
//! data was collected, processed and annotated and what personal information it holds.
//!
//! Everything here is either measured by the scan (sizes, hashes, languages, personal
//! information found) or declared in a manifest (collection, processing, annotation),
//! and says which; a fact nobody declared is left out rather than invented. The
//! `@context` is Croissant's standard one (as `mlcroissant` writes it for 1.1), so
//! validators do not warn about a non-standard context.

use serde_json::{Map, Value, json};

use super::ReportError;
use super::disclosure::{Disclosure, SourceInfo};

/// Croissant and RAI versions this export conforms to.
pub const CONFORMS_TO: [&str; 2] = [
    "http://mlcommons.org/croissant/1.1",
    "http://mlcommons.org/croissant/RAI/1.0",
];

/// Croissant's standard JSON-LD context for 1.1 (the keys `mlcroissant` writes).
fn context() -> Value {
    json!({
        "@language": "en",
        "@vocab": "https://schema.org/",
        "arrayShape": "cr:arrayShape",
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "containedIn": "cr:containedIn",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "dct": "http://purl.org/dc/terms/",
        "description": {"@container": "@language"},
        "equivalentProperty": "cr:equivalentProperty",
        "examples": {"@id": "cr:examples", "@type": "@json"},
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isArray": "cr:isArray",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "name": {"@container": "@language"},
        "parentField": "cr:parentField",
        "path": "cr:path",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
        "samplingRate": "cr:samplingRate",
        "sc": "https://schema.org/",
        "separator": "cr:separator",
        "source": "cr:source",
        "subField": "cr:subField",
        "transform": "cr:transform",
    })
}

/// The export as pretty JSON text.
pub fn render(d: &Disclosure) -> Result<String, ReportError> {
    serde_json::to_string_pretty(&document(d))
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| ReportError::Serialize {
            what: "Croissant",
            message: e.to_string(),
        })
}

/// The Croissant document of a disclosure.
pub fn document(d: &Disclosure) -> Value {
    let audit = d.identification.audit_id_or_unknown();
    let mut m = Map::new();
    m.insert("@context".into(), context());
    m.insert("@type".into(), json!("sc:Dataset"));
    m.insert("conformsTo".into(), json!(CONFORMS_TO));
    m.insert(
        "name".into(),
        json!(format!("provaudit-audit-{}", safe_name(&audit))),
    );
    m.insert("description".into(), json!(description(d, &audit)));
    let licenses: Vec<&str> = d
        .sources
        .iter()
        .filter_map(|s| s.license.as_deref())
        .collect();
    if !licenses.is_empty() {
        m.insert("license".into(), json!(dedup(licenses)));
    }
    let originators: Vec<Value> = dedup(
        d.sources
            .iter()
            .filter_map(|s| s.originator.as_deref())
            .collect(),
    )
    .into_iter()
    .map(|name| json!({"@type": "sc:Organization", "name": name}))
    .collect();
    if !originators.is_empty() {
        m.insert("creator".into(), json!(originators));
    }
    if let Some(date) = &d.identification.scan_date {
        m.insert("dateModified".into(), json!(date));
    }
    let languages: Vec<&str> = d
        .diversity
        .languages
        .detail
        .iter()
        .map(|r| r.language.as_str())
        .filter(|l| *l != "und")
        .collect();
    if !languages.is_empty() {
        m.insert("inLanguage".into(), json!(languages));
    }
    m.insert("distribution".into(), json!(distribution(d)));
    rai(d, &mut m);
    Value::Object(m)
}

/// Croissant names are identifiers: letters, digits, `-`, `_` and `.`.
fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn dedup(items: Vec<&str>) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn description(d: &Disclosure, audit: &str) -> String {
    format!(
        "Training data audited by provaudit (audit {audit}): {} files, {} records, {} bytes in {} sources. Sizes, hashes, languages and personal information are measured by the scan; collection, processing and annotation facts are as the data provider declared them in provenance.toml. Ledger Merkle root (SHA-256): {}.",
        d.method.files,
        d.method.records,
        d.method.bytes,
        d.sources.len(),
        d.identification
            .merkle_root
            .as_deref()
            .unwrap_or("not recorded")
    )
}

/// A MIME type for a ledger format id, `application/octet-stream` when none fits.
fn encoding_format(format: &str) -> &'static str {
    match format {
        "jsonl" => "application/jsonlines",
        "json" => "application/json",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "parquet" => "application/x-parquet",
        "arrow" => "application/vnd.apache.arrow.file",
        "text" | "code" => "text/plain",
        "markdown" => "text/markdown",
        "provenance" => "application/toml",
        _ => "application/octet-stream",
    }
}

/// Percent-encodes what cannot stand in a relative URL or an `@id`.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn distribution(d: &Disclosure) -> Vec<Value> {
    let mut out: Vec<Value> = d
        .files
        .listed
        .iter()
        .filter_map(|f| {
            // Croissant wants a checksum per file; one that could not be hashed is
            // left to ledger.jsonl, which records why.
            let sha256 = f.sha256.as_deref()?;
            Some(json!({
                "@type": "cr:FileObject",
                "@id": format!("file/{}", url_path(&f.path)),
                "name": format!("file/{}", url_path(&f.path)),
                "description": format!("{} (source {})", f.path, f.source),
                "contentUrl": url_path(&f.path),
                "contentSize": format!("{} B", f.bytes),
                "encodingFormat": encoding_format(&f.format),
                "sha256": sha256,
            }))
        })
        .collect();
    if d.files.omitted > 0 {
        // Beyond the listed files: the rest as a set, each with its SHA-256 in
        // ledger.jsonl (pinned by the ledger's Merkle root).
        out.push(json!({
            "@type": "cr:FileSet",
            "@id": "unlisted-files",
            "name": "unlisted-files",
            "description": format!(
                "{} more files, each listed with its SHA-256 in provaudit's ledger.jsonl (Merkle root {}).",
                d.files.omitted,
                d.identification.merkle_root.as_deref().unwrap_or("not recorded")
            ),
            "encodingFormat": "application/octet-stream",
            "includes": "**",
        }));
    }
    out
}

/// Declared facts per source, as `source: fact` lines (absent when none declared).
fn per_source(d: &Disclosure, fact: impl Fn(&SourceInfo) -> Option<String>) -> Option<String> {
    let lines: Vec<String> = d
        .sources
        .iter()
        .filter_map(|s| fact(s).map(|f| format!("{}: {f}", s.id)))
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn put(m: &mut Map<String, Value>, key: &str, value: Option<String>) {
    if let Some(v) = value {
        m.insert(key.into(), json!(v));
    }
}

/// The declared collection periods as ISO 8601 dates (`2025-01/2025-03` gives its two
/// ends), which is what Croissant's `dataCollectionTimeFrame` holds; a period written
/// otherwise stays in `dataCollection`'s text.
fn time_frame(d: &Disclosure) -> Vec<String> {
    let mut out: Vec<String> = d
        .sources
        .iter()
        .filter_map(|s| s.collected.as_deref())
        .flat_map(|c| c.split('/').map(str::trim))
        .filter(|part| is_iso_date(part))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

fn rai(d: &Disclosure, m: &mut Map<String, Value>) {
    put(
        m,
        "rai:dataCollection",
        per_source(d, |s| {
            let parts = s.declared_acquisition();
            (!parts.is_empty()).then(|| format!("{} (declared)", parts.join("; ")))
        }),
    );
    put(
        m,
        "rai:dataCollectionType",
        per_source(d, |s| s.category.clone().map(|c| format!("{c} (declared)"))),
    );
    let frame = time_frame(d);
    if !frame.is_empty() {
        m.insert("rai:dataCollectionTimeFrame".into(), json!(frame));
    }
    put(
        m,
        "rai:dataPreprocessingProtocol",
        per_source(d, |s| {
            let mut steps = s.processing.clone();
            if let Some(removal) = &s.illegal_content_removal {
                steps.push(format!("illegal content removal: {removal}"));
            }
            (!steps.is_empty()).then(|| format!("{} (declared)", steps.join(" -> ")))
        }),
    );
    let annotation: Vec<String> = d
        .labelled_data
        .per_source
        .iter()
        .filter_map(|r| {
            let mut parts = Vec::new();
            if let Some(rules) = &r.annotation_rules {
                parts.push(format!("rules {rules}"));
            }
            if let Some(v) = &r.annotation_rules_version {
                parts.push(format!("version {v}"));
            }
            if let Some(n) = r.annotators {
                parts.push(format!("{n} annotators"));
            }
            if let Some(rate) = r.spot_check_rate {
                parts.push(format!("spot-check rate {:.1}%", rate * 100.0));
            }
            if let Some(acc) = r.spot_check_accuracy {
                parts.push(format!("spot-check accuracy {:.1}%", acc * 100.0));
            }
            (!parts.is_empty()).then(|| format!("{}: {} (declared)", r.source, parts.join("; ")))
        })
        .collect();
    put(
        m,
        "rai:dataAnnotationProtocol",
        (!annotation.is_empty()).then(|| annotation.join("\n")),
    );
    put(m, "rai:personalSensitiveInformation", Some(personal(d)));
    put(m, "rai:dataLimitations", Some(LIMITATIONS.to_string()));
    let langs = &d.diversity.languages;
    put(
        m,
        "rai:dataBiases",
        Some(format!(
            "Language composition by characters (measured, an estimate): zh {:.1}%, en {:.1}%, other {:.1}%. Other biases were not assessed by the audit.",
            langs.zh_share * 100.0,
            langs.en_share * 100.0,
            langs.other_share * 100.0
        )),
    );
}

/// What the audit says it could not establish.
const LIMITATIONS: &str = "Figures come from rule-based detectors: personal information by checksums, numbering plans and context words; licenses by SPDX texts, notices and names; stages inferred from file names and record kinds unless declared. Detectors show presence, not absence. Language shares and labelled-record counts are estimates.";

fn personal(d: &Disclosure) -> String {
    let pi = &d.personal_information;
    let types: Vec<String> = pi
        .by_type
        .iter()
        .map(|r| format!("{} in {} records", r.pii_type.as_str(), r.records))
        .collect();
    let sensitive: Vec<String> = pi
        .sensitive
        .iter()
        .map(|r| format!("{} in {} records", r.category.as_str(), r.records))
        .collect();
    format!(
        "Measured by provaudit (rule-based, values not masked in the data): {} of {} records hold personal information{}; sensitive personal information (PIPL Art. 28, by lexicon beside a person reference): {} records{}. Nothing found is not evidence of absence.",
        pi.records_with_pii,
        pi.records,
        if types.is_empty() {
            String::new()
        } else {
            format!(" ({})", types.join(", "))
        },
        pi.records_with_sensitive,
        if sensitive.is_empty() {
            String::new()
        } else {
            format!(" ({})", sensitive.join(", "))
        },
    )
}
