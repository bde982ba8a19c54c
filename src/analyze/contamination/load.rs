//! Reading evaluation sets (`--eval-sets DIR|FILE`) through the scan's own format
//! readers: JSONL, JSON, CSV/TSV, Parquet and Arrow, compressed or not.
//!
//! Each data file is one benchmark named by its file stem (`gsm8k.jsonl` → `gsm8k`),
//! each record one item, its text fields the item's text. A `benchmarks.toml` in a
//! directory given (or given itself) names benchmarks instead:
//!
//! ```toml
//! [[benchmark]]
//! name = "gsm8k"                  # the name in the ledger, summary and findings
//! files = ["main/test.jsonl"]     # relative to the manifest; items in this order
//! fields = ["question", "answer"] # optional: only these fields are item text
//! ```
//!
//! Files a manifest names are not benchmarks of their own. The sets are what the
//! request checks against, like a rule table: a file that cannot be read stops the
//! scan before it starts, with the file and location named (unlike training data, where
//! one bad file never stops a scan).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use super::{BenchmarkFile, BenchmarkIdentity, EvalSet};
use crate::formats::{self, Format, ReadOptions, RecordSink};
use crate::record::Record;

/// The manifest's file name.
pub const MANIFEST: &str = "benchmarks.toml";

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    benchmark: Vec<ManifestEntry>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestEntry {
    name: String,
    files: Vec<PathBuf>,
    #[serde(default)]
    fields: Vec<String>,
}

/// Reads every benchmark of `paths` (files or directories), in the order given and, in
/// a directory, in path order. Benchmark names must be unique.
pub fn load(paths: &[PathBuf], read: &ReadOptions) -> anyhow::Result<Vec<EvalSet>> {
    let mut sets: Vec<EvalSet> = Vec::new();
    for path in paths {
        let (manifest, files) = listing(path)?;
        let mut named = Vec::new();
        if let Some(manifest_path) = &manifest {
            let text = std::fs::read_to_string(manifest_path)
                .with_context(|| format!("reading {}", manifest_path.display()))?;
            let manifest: Manifest = toml::from_str(&text).with_context(|| {
                format!("{} is not a valid {MANIFEST}", manifest_path.display())
            })?;
            let base = manifest_path.parent().unwrap_or(Path::new("."));
            for entry in manifest.benchmark {
                let mut set = EvalSet {
                    identity: BenchmarkIdentity {
                        name: entry.name.clone(),
                        ..Default::default()
                    },
                    items: Vec::new(),
                };
                for file in &entry.files {
                    let file = base.join(file);
                    named.push(file.clone());
                    read_file(&file, &entry.fields, read, &mut set)?;
                }
                sets.push(set);
            }
        }
        for file in files.iter().filter(|f| !named.contains(f)) {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // The stem without format and compression extensions.
            let stem = name.split('.').next().unwrap_or(&name).to_string();
            let mut set = EvalSet {
                identity: BenchmarkIdentity {
                    name: stem,
                    ..Default::default()
                },
                items: Vec::new(),
            };
            read_file(file, &[], read, &mut set)?;
            sets.push(set);
        }
    }
    let mut names: Vec<&str> = sets.iter().map(|s| s.identity.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        bail!(
            "two evaluation sets are named {:?}: name them apart in a {MANIFEST}",
            w[0]
        );
    }
    if sets.is_empty() {
        bail!("no evaluation data found in {paths:?} (JSONL, JSON, CSV, Parquet or Arrow files)");
    }
    Ok(sets)
}

/// The manifest and the data files under `path`, sorted.
fn listing(path: &Path) -> anyhow::Result<(Option<PathBuf>, Vec<PathBuf>)> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("evaluation set {}", path.display()))?;
    if meta.is_file() {
        if path.file_name().is_some_and(|n| n == MANIFEST) {
            return Ok((Some(path.to_path_buf()), Vec::new()));
        }
        return Ok((None, vec![path.to_path_buf()]));
    }
    let mut manifest = None;
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
        let entry = entry.with_context(|| format!("listing {}", path.display()))?;
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && name.starts_with('.') {
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if entry.depth() == 1 && name == MANIFEST {
            manifest = Some(entry.path().to_path_buf());
        } else if is_item_format(&formats::detect::detect(&name, &[]).0) {
            files.push(entry.path().to_path_buf());
        }
    }
    Ok((manifest, files))
}

fn is_item_format(format: &Format) -> bool {
    matches!(
        format,
        Format::Jsonl | Format::Json | Format::Csv | Format::Tsv | Format::Parquet | Format::Arrow
    )
}

/// Collects items; the first read error is kept.
struct Items<'a> {
    fields: &'a [String],
    items: &'a mut Vec<Vec<String>>,
    error: Option<formats::ReadError>,
}

impl RecordSink for Items<'_> {
    fn record(&mut self, record: &Record<'_>) {
        let keep = |path: &str| {
            self.fields.is_empty()
                || self.fields.iter().any(|f| {
                    path == f
                        || path
                            .strip_prefix(f.as_str())
                            .is_some_and(|rest| rest.starts_with(['.', '[']))
                })
        };
        self.items.push(
            record
                .fields
                .iter()
                .filter(|f| keep(&f.path))
                .map(|f| f.text.to_string())
                .collect(),
        );
    }

    fn error(&mut self, error: formats::ReadError) {
        self.error.get_or_insert(error);
    }
}

/// Appends `path`'s records to `set` as items.
fn read_file(
    path: &Path,
    fields: &[String],
    read: &ReadOptions,
    set: &mut EvalSet,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let sha256 = crate::bytesource::hex(&Sha256::digest(&bytes));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (format, compression) = formats::detect::detect(&name, &bytes[..bytes.len().min(4096)]);
    if !is_item_format(&format) {
        bail!(
            "{}: not an evaluation set format (JSONL, JSON, CSV, Parquet or Arrow)",
            path.display()
        );
    }
    let before = set.items.len();
    let mut sink = Items {
        fields,
        items: &mut set.items,
        error: None,
    };
    let len = bytes.len() as u64;
    let outcome = if formats::needs_random_access(&format, compression) {
        let source = std::sync::Arc::new(crate::bytesource::MemorySource::new(name.clone(), bytes));
        formats::read_random_access(&format, source, read, &mut sink)
    } else {
        let raw = std::io::Cursor::new(bytes);
        let mut input = formats::decompress(raw, compression)
            .with_context(|| format!("reading {}", path.display()))?;
        formats::read_stream_sized(&format, &mut input, Some(len), read, &mut sink)
    };
    if let Some(e) = outcome.err().or(sink.error) {
        bail!("{}: {e}", path.display());
    }
    set.identity.files.push(BenchmarkFile {
        path: crate::discover::path_text::escape_os(path.as_os_str()).into_owned(),
        sha256,
        items: (set.items.len() - before) as u64,
    });
    Ok(())
}
