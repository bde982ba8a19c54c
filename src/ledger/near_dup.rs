//! `near_duplicates.parquet`: one row per near-duplicate record, so a user can act on
//! the ledger's counts (drop, keep one per cluster, inspect a pair).
//!
//! Written at the end of a scan with `--near-duplicates`, when clusters are final:
//! rows in scan order; files as `root/path` (the ledger's full path), records as
//! 0-based ordinals in their file (as in `findings.jsonl`).

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::aggregate::near_dup::{NearDupIndex, NearDupRow};
use crate::discover::DiscoveredFile;

/// The file's name in the audit directory.
pub const NEAR_DUPLICATES_PARQUET: &str = "near_duplicates.parquet";

/// The files only a scan with `--near-duplicates` writes: removed before any run
/// writes ([`super::retract_completion`]), hashed into `summary.json`'s `outputs`
/// when written ([`output_hashes`]).
pub const OPTIONAL_OUTPUTS: [&str; 2] = [
    NEAR_DUPLICATES_PARQUET,
    super::near_dup_keys::NEAR_DUPLICATES_BIN,
];

/// SHA-256 of each of [`OPTIONAL_OUTPUTS`] in `out` (both written), recorded like the
/// other outputs so `verify` and `merge` notice an edited list or sidecar.
pub fn output_hashes(out: &Path) -> anyhow::Result<std::collections::BTreeMap<String, String>> {
    OPTIONAL_OUTPUTS
        .iter()
        .map(|name| {
            let path = out.join(name);
            let hash =
                super::hash_file(&path).with_context(|| format!("hashing {}", path.display()))?;
            Ok((name.to_string(), hash))
        })
        .collect()
}

/// Rows per record batch (and so at most per row group's batch).
const BATCH_ROWS: usize = 65_536;

/// The columns, in order.
fn schema() -> Arc<Schema> {
    let text = |name| Field::new(name, DataType::Utf8, false);
    let count = |name| Field::new(name, DataType::UInt64, false);
    Arc::new(Schema::new(vec![
        count("cluster"),
        text("root_file"),
        count("root_record"),
        text("file"),
        count("record"),
        text("representative_file"),
        count("representative_record"),
        Field::new("similarity", DataType::Float64, false),
    ]))
}

/// Writes `near_duplicates.parquet` into `out` (an empty file of the schema when
/// there is no near-duplicate) from the settled `index`, a batch of rows at a time.
/// `files` are the scan's files by ledger index.
pub fn write(out: &Path, index: &mut NearDupIndex, files: &[DiscoveredFile]) -> anyhow::Result<()> {
    write_named(out, index, |f: u32| {
        files
            .get(f as usize)
            .map(|d| super::row::join(&d.root, &d.path))
            .unwrap_or_default()
    })
}

/// [`write`] with each ledger index's full path from `name` (a merge has rows, not
/// discovered files).
pub fn write_named(
    out: &Path,
    index: &mut NearDupIndex,
    name: impl Fn(u32) -> String,
) -> anyhow::Result<()> {
    let path = out.join(NEAR_DUPLICATES_PARQUET);
    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_created_by(format!("provaudit {}", env!("CARGO_PKG_VERSION")))
        .build();
    let schema = schema();
    let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(props))?;
    let mut written = 0;
    loop {
        let batch = index.rows_from(written, BATCH_ROWS);
        if batch.is_empty() {
            break;
        }
        written += batch.len();
        let chunk = &batch[..];
        let counts = |f: fn(&NearDupRow) -> u64| -> ArrayRef {
            Arc::new(UInt64Array::from_iter_values(chunk.iter().map(f)))
        };
        let names = |f: fn(&NearDupRow) -> u32| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(
                chunk.iter().map(|r| name(f(r))),
            ))
        };
        let columns = vec![
            counts(|r| r.cluster),
            names(|r| r.root_file),
            counts(|r| r.root_record),
            names(|r| r.file),
            counts(|r| r.record),
            names(|r| r.representative_file),
            counts(|r| r.representative_record),
            Arc::new(Float64Array::from_iter_values(
                chunk.iter().map(|r| r.similarity),
            )) as ArrayRef,
        ];
        writer.write(&RecordBatch::try_new(schema.clone(), columns)?)?;
    }
    writer.close()?;
    Ok(())
}
