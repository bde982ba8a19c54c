//! `provaudit findings`: an audit's findings for other tools: JSON lines as written,
//! CSV for spreadsheets, SARIF 2.1.0 for code-scanning dashboards. Reads only the
//! audit directory; values are the masked ones `findings.jsonl` holds, never raw.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Value, json};

use super::{exit, output};
use crate::analyze::pii::PiiType;
use crate::contract::{AuditDir, AuditError, Finding};
use crate::formats::Format;

#[derive(Debug, Args)]
pub struct FindingsArgs {
    /// An audit directory written by `provaudit scan` or `merge`.
    #[arg(value_name = "AUDIT_DIR")]
    pub audit: PathBuf,

    /// jsonl: findings.jsonl as written; csv: one row per finding, a header first;
    /// sarif: SARIF 2.1.0 of the personal information and secrets found in
    /// source-code files, with line numbers.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Jsonl)]
    pub format: FindingsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FindingsFormat {
    Jsonl,
    Csv,
    Sarif,
}

pub fn run_findings(args: &FindingsArgs) -> ExitCode {
    let audit = AuditDir::new(&args.audit);
    let result = match args.format {
        FindingsFormat::Jsonl => stream(&audit, |w, line, _| writeln!(w, "{line}")),
        FindingsFormat::Csv => csv(&audit),
        FindingsFormat::Sarif => sarif(&audit).map(|log| {
            output::json("the SARIF log", &log);
        }),
    };
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            eprintln!("provaudit: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

/// Streams every finding through `each` onto stdout. A closed pipe ends the stream
/// quietly (see [`output`]); an audit without findings.jsonl has none to print.
fn stream(
    audit: &AuditDir,
    mut each: impl FnMut(&mut dyn Write, &str, &Finding) -> std::io::Result<()>,
) -> Result<(), AuditError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut printing = Ok(());
    audit.for_each_finding(|_, line, finding| {
        printing = each(&mut out, line, &finding);
        Ok(printing.is_ok())
    })?;
    output::failed("the findings", printing.and_then(|()| out.flush()));
    Ok(())
}

/// The CSV columns, in order: every field of a finding.
const CSV_HEADER: &str = "root,file,record,field,start,end,line,type,rule,tag,license,evidence,masked,confidence,category,overlap";

fn csv(audit: &AuditDir) -> Result<(), AuditError> {
    let mut header = Some(CSV_HEADER);
    stream(audit, |w, _, f| {
        if let Some(header) = header.take() {
            writeln!(w, "{header}")?;
        }
        let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        let cells = [
            f.root.clone(),
            f.file.clone(),
            f.record.to_string(),
            f.field.clone(),
            f.start.to_string(),
            f.end.to_string(),
            number(f.line),
            f.kind.clone(),
            f.rule.clone(),
            f.tag.clone().unwrap_or_default(),
            f.license.clone().unwrap_or_default(),
            f.evidence.clone().unwrap_or_default(),
            f.masked.clone().unwrap_or_default(),
            f.confidence.clone().unwrap_or_default(),
            f.category.clone().unwrap_or_default(),
            number(f.overlap),
        ];
        let quoted: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        writeln!(w, "{}", quoted.join(","))
    })
}

/// RFC 4180 quoting: a cell holding a comma, quote or line break is quoted, its
/// quotes doubled.
fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The SARIF 2.1.0 log of the personal information (and secrets) found in
/// source-code files. Findings a tag keeps out of the counts (placeholders, private
/// addresses) are left out, as are license and copyright findings, which are not
/// problems in code. Positions: `startLine` where the finding records its line
/// (audits before it was recorded have none), and always `charOffset`/`charLength` in
/// code points (`columnKind`), which locate it exactly because a code file is one
/// record holding the whole file.
pub fn sarif(audit: &AuditDir) -> Result<Value, AuditError> {
    let code = code_files(audit)?;
    let mut rules: BTreeMap<String, String> = BTreeMap::new();
    let mut results = Vec::new();
    audit.for_each_finding(|_, _, f| {
        if f.tag.is_none()
            && is_personal(&f.kind)
            && code.contains(&(f.root.clone(), f.file.clone()))
        {
            rules
                .entry(f.rule.clone())
                .or_insert_with(|| f.kind.clone());
            results.push(f);
        }
        Ok(true)
    })?;
    let index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    let results: Vec<Value> = results
        .iter()
        .map(|f| sarif_result(f, index.get(f.rule.as_str()).copied().unwrap_or(0)))
        .collect();
    let rules: Vec<Value> = rules
        .iter()
        .map(|(id, kind)| {
            json!({
                "id": id,
                "shortDescription": {"text": format!("{kind} found by rule {id}")},
                "properties": {"type": kind},
            })
        })
        .collect();
    Ok(json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "provaudit",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }))
}

/// Personal information in the SARIF sense: a canonical PII type (secrets included)
/// or a record flagged for sensitive personal information.
fn is_personal(kind: &str) -> bool {
    PiiType::known(kind).is_ok() || kind == "sensitive"
}

/// The (root, path) of every source-code file in the ledger.
fn code_files(audit: &AuditDir) -> Result<HashSet<(String, String)>, AuditError> {
    let mut code = HashSet::new();
    audit.for_each_row(|line| {
        if line.row.format == Format::Code {
            code.insert((line.row.root, line.row.path));
        }
        Ok(())
    })?;
    Ok(code)
}

fn sarif_result(f: &Finding, rule_index: usize) -> Value {
    let mut region = json!({
        "charOffset": f.start,
        "charLength": f.end.saturating_sub(f.start),
    });
    if let Some(line) = f.line {
        region["startLine"] = json!(line);
    }
    let what = match &f.masked {
        Some(masked) => format!("{} ({masked})", f.kind),
        None => f.kind.clone(),
    };
    let mut properties = json!({"type": f.kind, "record": f.record, "field": f.field});
    for (key, value) in [
        ("masked", &f.masked),
        ("confidence", &f.confidence),
        ("category", &f.category),
    ] {
        if let Some(value) = value {
            properties[key] = json!(value);
        }
    }
    json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": format!("{} in source code: {what}", if f.kind == "secret" { "A secret" } else { "Personal information" })},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(&f.root, &f.file)},
            "region": region,
        }}],
        "properties": properties,
    })
}

/// The file as a relative URI reference: root and path joined (a `.` root left
/// out), each byte outside RFC 3986's unreserved set and `/` percent-encoded.
fn artifact_uri(root: &str, path: &str) -> String {
    let joined = match root.trim_end_matches('/') {
        "" | "." => path.to_string(),
        root => format!("{root}/{path}"),
    };
    let mut uri = String::with_capacity(joined.len());
    for byte in joined.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        assert_eq!(artifact_uri("data", "code/app.py"), "data/code/app.py");
        assert_eq!(artifact_uri(".", "a b.py"), "a%20b.py");
        assert_eq!(artifact_uri("", "代码.py"), "%E4%BB%A3%E7%A0%81.py");
    }
}
