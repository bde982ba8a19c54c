//! `provaudit diff OLD NEW`: what changed between two audits, file by file and per source.
//!
//! Per-source figures are recomputed from ledger rows rather than read from
//! `summary.json`, so two audits diff correctly even when written by provaudit versions
//! whose summary shapes differ.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::policy::thousands;
use crate::contract::AuditError;
use crate::contract::{AuditDir, LedgerRow as Row, Summary};
use crate::ledger::row::join;

/// Columns that change without the data changing (a copy or `touch` moves mtime), so a
/// difference in them alone does not make a file "changed".
const IGNORED_COLUMNS: &[&str] = &["modified"];

/// Text output lists at most this many files per section; `--json` lists all.
const TEXT_LIST_LIMIT: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditDiff {
    pub old: AuditInfo,
    pub new: AuditInfo,
    /// The detection rules differ: figures may move without the data changing.
    pub rules_changed: bool,
    /// The scan options differ: likewise.
    pub config_changed: bool,
    pub added: Vec<FileInfo>,
    pub removed: Vec<FileInfo>,
    pub changed: Vec<FileChange>,
    /// Sources whose headline figures moved, by name.
    pub sources: Vec<SourceDelta>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditInfo {
    pub dir: String,
    pub audit_id: Option<String>,
    pub merkle_root: Option<String>,
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileInfo {
    pub root: String,
    pub path: String,
    pub source: String,
    pub bytes: u64,
    pub records: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileChange {
    pub root: String,
    pub path: String,
    /// The new audit's source (a file can move between sources when a manifest changes).
    pub source: String,
    /// Changed columns, one level deep for objects (`pii.counts`, `license.category`).
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceDelta {
    pub source: String,
    /// `added`, `removed` or `changed`.
    pub status: &'static str,
    pub figures: Vec<FigureDelta>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureDelta {
    /// `files`, `records`, `bytes`, `records_with_pii`, `pii.<type>` (occurrences),
    /// `license.<category>` (records), `duplicates.within_scan`,
    /// `duplicates.normalized_within_scan` or `errors`.
    pub figure: String,
    pub old: u64,
    pub new: u64,
    pub delta: i128,
}

impl AuditDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.sources.is_empty()
    }
}

pub fn diff(old_dir: &Path, new_dir: &Path) -> Result<AuditDiff, AuditError> {
    let (old_audit, new_audit) = (AuditDir::new(old_dir), AuditDir::new(new_dir));
    let (old_summary, new_summary) = (old_audit.summary()?, new_audit.summary()?);
    let old = entries(&old_audit)?;
    let new = entries(&new_audit)?;
    let mut d = diff_entries(&old, &new);
    d.old = audit_info(old_dir, &old_summary, old.len());
    d.new = audit_info(new_dir, &new_summary, new.len());
    d.rules_changed = old_summary.rules_hash != new_summary.rules_hash;
    d.config_changed = old_summary.config_hash != new_summary.config_hash;
    Ok(d)
}

fn audit_info(dir: &Path, s: &Summary, rows: usize) -> AuditInfo {
    let given = |text: &str| Some(text.to_string()).filter(|t| !t.is_empty());
    AuditInfo {
        dir: dir.display().to_string(),
        audit_id: given(&s.audit_id),
        merkle_root: given(&s.ledger.merkle_root),
        rows: rows as u64,
    }
}

/// A ledger row with its columns as JSON: a diff names every column that changed,
/// including columns of a newer provaudit that this one has no field for.
#[derive(Debug, Clone)]
pub struct Entry {
    pub row: Row,
    pub columns: Map<String, Value>,
}

impl Entry {
    /// `text` is a ledger line that parsed as `row`, so it is a JSON object.
    fn new(row: Row, text: &str) -> Entry {
        let columns = match serde_json::from_str(text) {
            Ok(Value::Object(columns)) => columns,
            _ => Map::new(),
        };
        Entry { row, columns }
    }
}

fn entries(audit: &AuditDir) -> Result<Vec<Entry>, AuditError> {
    Ok(audit
        .lines()?
        .into_iter()
        .map(|line| Entry::new(line.row, &line.text))
        .collect())
}

type Key<'a> = (&'a str, &'a str);

fn by_key(entries: &[Entry]) -> BTreeMap<Key<'_>, &Entry> {
    entries
        .iter()
        .map(|e| ((e.row.root.as_str(), e.row.path.as_str()), e))
        .collect()
}

/// The diff of two ledgers' rows, without the audit metadata `diff` adds.
pub fn diff_entries(old: &[Entry], new: &[Entry]) -> AuditDiff {
    let (before, after) = (by_key(old), by_key(new));
    let removed = before
        .iter()
        .filter(|(k, _)| !after.contains_key(*k))
        .map(|(_, e)| file_info(&e.row))
        .collect();
    let added = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .map(|(_, e)| file_info(&e.row))
        .collect();
    let changed = after
        .iter()
        .filter_map(|(k, n)| file_change(before.get(k)?, n))
        .collect();
    let rows = |es: &[Entry]| es.iter().map(|e| e.row.clone()).collect::<Vec<_>>();
    AuditDiff {
        old: AuditInfo::empty(),
        new: AuditInfo::empty(),
        rules_changed: false,
        config_changed: false,
        added,
        removed,
        changed,
        sources: source_deltas(&rows(old), &rows(new)),
    }
}

impl AuditInfo {
    fn empty() -> AuditInfo {
        AuditInfo {
            dir: String::new(),
            audit_id: None,
            merkle_root: None,
            rows: 0,
        }
    }
}

fn file_info(r: &Row) -> FileInfo {
    FileInfo {
        root: r.root.clone(),
        path: r.path.clone(),
        source: r.source.clone(),
        bytes: r.bytes,
        records: r.records,
    }
}

fn file_change(old: &Entry, new: &Entry) -> Option<FileChange> {
    let columns = changed_columns(&old.columns, &new.columns);
    (!columns.is_empty()).then(|| FileChange {
        root: new.row.root.clone(),
        path: new.row.path.clone(),
        source: new.row.source.clone(),
        columns,
    })
}

/// Column names whose values differ: content and status first, the rest alphabetical;
/// objects on both sides are compared one level down.
fn changed_columns(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<String> {
    let mut names: Vec<&String> = new.keys().chain(old.keys()).collect();
    names.sort_by_key(|n| (column_rank(n), *n));
    names.dedup();
    let mut out = Vec::new();
    for name in names
        .into_iter()
        .filter(|n| !IGNORED_COLUMNS.contains(&n.as_str()))
    {
        match (old.get(name), new.get(name)) {
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                out.extend(
                    keys.into_iter()
                        .filter(|k| a.get(*k) != b.get(*k))
                        .map(|k| format!("{name}.{k}")),
                );
            }
            (a, b) if a != b => out.push(name.clone()),
            _ => {}
        }
    }
    out
}

fn column_rank(name: &str) -> usize {
    const FIRST: &[&str] = &["sha256", "bytes", "status", "records", "source", "stage"];
    FIRST.iter().position(|f| *f == name).unwrap_or(FIRST.len())
}

/// Headline figures of one source, keyed by [`FigureDelta::figure`] names.
pub fn source_figures(rows: &[Row]) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for row in rows {
        let f = out.entry(row.source.clone()).or_default();
        let mut add = |name: String, n: u64| *f.entry(name).or_default() += n;
        add("files".into(), 1);
        add("records".into(), row.records);
        add("bytes".into(), row.bytes);
        add("records_with_pii".into(), row.pii.records_with_pii);
        for (kind, n) in &row.pii.counts {
            add(format!("pii.{kind}"), *n);
        }
        add(format!("license.{}", row.category()), row.records);
        add("duplicates.within_scan".into(), row.duplicates.within_scan);
        add(
            "duplicates.normalized_within_scan".into(),
            row.duplicates.normalized_within_scan,
        );
        add("errors".into(), row.error_count);
    }
    out
}

fn source_deltas(old: &[Row], new: &[Row]) -> Vec<SourceDelta> {
    let (before, after) = (source_figures(old), source_figures(new));
    let empty = BTreeMap::new();
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let (a, b) = (before.get(name), after.get(name));
            let status = match (a, b) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            let figures = figure_deltas(a.unwrap_or(&empty), b.unwrap_or(&empty));
            (!figures.is_empty()).then(|| SourceDelta {
                source: name.clone(),
                status,
                figures,
            })
        })
        .collect()
}

fn figure_deltas(old: &BTreeMap<String, u64>, new: &BTreeMap<String, u64>) -> Vec<FigureDelta> {
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort_by_key(|n| (figure_rank(n), *n));
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (o, n) = (
                old.get(name).copied().unwrap_or(0),
                new.get(name).copied().unwrap_or(0),
            );
            (o != n).then(|| FigureDelta {
                figure: name.clone(),
                old: o,
                new: n,
                delta: i128::from(n) - i128::from(o),
            })
        })
        .collect()
}

/// Display order: size first, then personal information, licenses, duplicates, errors.
fn figure_rank(name: &str) -> u8 {
    match name {
        "files" => 0,
        "records" => 1,
        "bytes" => 2,
        "records_with_pii" => 3,
        n if n.starts_with("pii.") => 4,
        n if n.starts_with("license.") => 5,
        n if n.starts_with("duplicates.") => 6,
        _ => 7,
    }
}

// ---------------------------------------------------------------------------------------
// Text

pub fn render_text(d: &AuditDiff) -> String {
    let mut out = String::new();
    let id = |a: &AuditInfo| a.audit_id.clone().unwrap_or_else(|| a.dir.clone());
    let _ = writeln!(out, "audit {} → {}", id(&d.old), id(&d.new));
    if d.rules_changed || d.config_changed {
        let _ = writeln!(
            out,
            "note: the {} differ, so figures may change without the data changing",
            match (d.rules_changed, d.config_changed) {
                (true, true) => "rules and scan options",
                (true, false) => "rules",
                _ => "scan options",
            }
        );
    }
    if d.is_empty() {
        out.push_str("no differences\n");
        return out;
    }
    let _ = writeln!(
        out,
        "files: {} added, {} removed, {} changed",
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    );
    list(&mut out, &d.added, |f| format!("+ {}", describe(f)));
    list(&mut out, &d.removed, |f| format!("- {}", describe(f)));
    list(&mut out, &d.changed, |c| {
        format!("~ {}  {}", join(&c.root, &c.path), c.columns.join(", "))
    });
    if !d.sources.is_empty() {
        out.push_str("sources:\n");
    }
    for s in &d.sources {
        let figures: Vec<String> = s.figures.iter().map(render_figure).collect();
        let tag = if s.status == "changed" {
            String::new()
        } else {
            format!(" ({})", s.status)
        };
        let _ = writeln!(out, "  {}{tag}: {}", s.source, figures.join(", "));
    }
    out
}

fn list<T>(out: &mut String, items: &[T], line: impl Fn(&T) -> String) {
    for item in items.iter().take(TEXT_LIST_LIMIT) {
        let _ = writeln!(out, "  {}", line(item));
    }
    if items.len() > TEXT_LIST_LIMIT {
        let _ = writeln!(
            out,
            "  … and {} more (--json lists all)",
            thousands((items.len() - TEXT_LIST_LIMIT) as u64)
        );
    }
}

fn describe(f: &FileInfo) -> String {
    format!(
        "{}  ({}, {} {}, {} bytes)",
        join(&f.root, &f.path),
        f.source,
        thousands(f.records),
        if f.records == 1 { "record" } else { "records" },
        thousands(f.bytes)
    )
}

fn render_figure(f: &FigureDelta) -> String {
    let sign = if f.delta >= 0 { "+" } else { "-" };
    format!(
        "{} {} → {} ({sign}{})",
        f.figure,
        thousands(f.old),
        thousands(f.new),
        thousands(f.delta.unsigned_abs().try_into().unwrap_or(u64::MAX))
    )
}

#[cfg(test)]
mod tests {
    use super::super::testdata;
    use super::*;

    fn figure<'a>(d: &'a AuditDiff, source: &str, name: &str) -> Option<&'a FigureDelta> {
        d.sources
            .iter()
            .find(|s| s.source == source)?
            .figures
            .iter()
            .find(|f| f.figure == name)
    }

    #[test]
    fn added_removed_and_modified_files_between_real_audits() {
        let d = diff(&testdata::old(), &testdata::new()).unwrap();
        let paths = |v: &[FileInfo]| v.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&d.added), ["sft/extra.jsonl"]);
        assert_eq!(paths(&d.removed), ["code/tokenize.py"]);
        assert_eq!(d.changed.len(), 1);
        let notes = &d.changed[0];
        assert_eq!(notes.path, "web-zh/notes.md");
        assert_eq!(
            notes.columns[..4],
            ["sha256", "bytes", "records", "characters"]
        );
        assert!(!notes.columns.iter().any(|c| c == "modified"));
        assert!(!d.rules_changed && !d.config_changed);
        assert_eq!(d.old.rows, 15);
    }

    #[test]
    fn per_source_figures_move_with_the_files() {
        let d = diff(&testdata::old(), &testdata::new()).unwrap();
        let names: Vec<&str> = d.sources.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(names, ["code", "sft-demo", "web-zh-demo"]);
        let files = figure(&d, "code", "files").unwrap();
        assert_eq!((files.old, files.new, files.delta), (2, 1, -1));
        assert_eq!(figure(&d, "sft-demo", "pii.email").unwrap().delta, 1);
        assert_eq!(figure(&d, "sft-demo", "records_with_pii").unwrap().delta, 1);
        assert_eq!(figure(&d, "sft-demo", "records").unwrap().delta, 2);
        assert_eq!(figure(&d, "web-zh-demo", "records").unwrap().delta, 1);
        assert!(figure(&d, "web-zh-demo", "files").is_none());
        assert!(figure(&d, "sft-demo", "errors").is_none());
    }

    #[test]
    fn text_shows_signs_and_deltas() {
        let text = render_text(&diff(&testdata::old(), &testdata::new()).unwrap());
        assert!(
            text.contains("files: 1 added, 1 removed, 1 changed"),
            "{text}"
        );
        assert!(
            text.contains("  + data/sft/extra.jsonl  (sft-demo, 2 records, 82 bytes)"),
            "{text}"
        );
        assert!(
            text.contains("  - data/code/tokenize.py  (code, 1 record, 157 bytes)"),
            "{text}"
        );
        assert!(
            text.contains("  ~ data/web-zh/notes.md  sha256, bytes, records"),
            "{text}"
        );
        assert!(
            text.contains(
                "code: files 2 → 1 (-1), records 22 → 21 (-1), bytes 1,226 → 1,069 (-157)"
            ),
            "{text}"
        );
        assert!(text.contains("pii.email 1 → 2 (+1)"), "{text}");
    }

    #[test]
    fn an_audit_against_itself_has_no_differences() {
        let d = diff(&testdata::old(), &testdata::old()).unwrap();
        assert!(d.is_empty());
        assert!(render_text(&d).ends_with("no differences\n"));
    }

    #[test]
    fn json_carries_everything() {
        let d = diff(&testdata::old(), &testdata::new()).unwrap();
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["added"][0]["path"], "sft/extra.jsonl");
        assert_eq!(v["sources"][0]["figures"][0]["delta"], -1);
        assert_eq!(v["old"]["audit_id"], "c1ead8879ec6d710");
    }

    fn entry(root: &str, path: &str, columns: Value) -> Entry {
        let line = columns.to_string();
        let mut e = Entry::new(serde_json::from_value(columns).unwrap(), &line);
        e.row.root = root.into();
        e.row.path = path.into();
        e
    }

    #[test]
    fn new_sources_figures_status_and_long_lists() {
        let old = [entry(
            "r",
            "a",
            serde_json::json!({"source": "s", "status": "ok", "modified": "1"}),
        )];
        let mut new = vec![entry(
            "r",
            "a",
            serde_json::json!({"source": "s", "status": "partial", "error_count": 3, "modified": "2"}),
        )];
        for i in 0..60 {
            new.push(entry(
                "r",
                &format!("f{i:02}"),
                serde_json::json!({"source": "t", "records": 1}),
            ));
        }
        let d = diff_entries(&old, &new);
        assert_eq!(d.changed[0].columns, ["status", "error_count"]);
        assert_eq!(figure(&d, "s", "errors").unwrap().new, 3);
        let t = d.sources.iter().find(|s| s.source == "t").unwrap();
        assert_eq!(t.status, "added");
        let text = render_text(&d);
        assert!(text.contains("… and 10 more (--json lists all)"), "{text}");
        assert!(text.contains("t (added): files 0 → 60 (+60)"), "{text}");
        let touched = [entry(
            "r",
            "a",
            serde_json::json!({"source": "s", "modified": "9"}),
        )];
        let same = [entry(
            "r",
            "a",
            serde_json::json!({"source": "s", "modified": "1"}),
        )];
        assert!(diff_entries(&same, &touched).is_empty());
    }
}
