//! `ledger.parquet`: the same rows and columns as `ledger.jsonl`, typed, for DuckDB,
//! Spark and pandas.
//!
//! Rows are serialised through serde and converted against the explicit schema below,
//! so the JSONL and Parquet ledgers cannot drift apart silently: a column missing from
//! the schema fails the round-trip test. The converter ([`record_batch`]) is our own, a
//! walk over the schema's `DataType`s, rather than `arrow-json`'s serde decoder: that
//! decoder brings arrow-cast, arrow-ord and their kin into every fresh build (issue 21).
//!
//! Columns are typed where a query engine benefits: `modified` is a UTC timestamp in
//! microseconds (the RFC 3339 text of `ledger.jsonl` parsed, its nanoseconds truncated
//! as `arrow-json` did), so `WHERE modified > ...` works without a cast. The key-value
//! metadata records [`super::SCHEMA_VERSION`].

use std::fs::File;
use std::sync::Arc;

use anyhow::Context;
use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use super::row::LedgerRow;

mod convert;

/// Rows per record batch and row group.
const BATCH_ROWS: usize = 8192;

/// Rows converted to Arrow at once (see `RowWriter::write_batch`).
const ENCODE_ROWS: usize = 512;

fn u64_field(name: &str) -> Field {
    Field::new(name, DataType::UInt64, true)
}

fn text(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn map_of(name: &str, value: DataType) -> Field {
    let key = Field::new("key", DataType::Utf8, false);
    let value = Field::new("value", value, true);
    Field::new_map(name, "entries", key, value, false, false)
}

fn counts_struct(names: &[&str]) -> DataType {
    DataType::Struct(names.iter().map(|n| u64_field(n)).collect::<Fields>())
}

/// A declaration (a manifest's or card's license, or a license file's).
fn declared_struct() -> DataType {
    DataType::Struct(Fields::from(vec![
        text("expression", false),
        text("from", false),
    ]))
}

fn license_struct() -> DataType {
    let declared = declared_struct();
    let conflict = DataType::Struct(Fields::from(vec![
        text("kind", false),
        text("declared", true),
        text("detected", true),
        text("detail", false),
    ]));
    DataType::Struct(Fields::from(vec![
        Field::new("declared", declared, true),
        map_of(
            "detected",
            map_of("evidence", DataType::UInt64).data_type().clone(),
        ),
        u64_field("copyright_notices"),
        u64_field("all_rights_reserved"),
        u64_field("tdm_opt_outs"),
        u64_field("all_rights_reserved_with_grant"),
        Field::new("license_file", declared_struct(), true),
        Field::new(
            "detected_in_records",
            map_of(
                "detected_in_records",
                map_of("evidence", DataType::UInt64).data_type().clone(),
            )
            .data_type()
            .clone(),
            true,
        ),
        u64_field("all_rights_reserved_in_records"),
        u64_field("records_with_markers"),
        text("category", false),
        text("basis", false),
        Field::new("attribution", DataType::Boolean, false),
        Field::new("share_alike", DataType::Boolean, false),
        Field::new(
            "conflicts",
            DataType::List(Arc::new(Field::new("item", conflict, true))),
            false,
        ),
    ]))
}

/// The ledger's Arrow schema, column for column with [`LedgerRow`], for an audit
/// without near-duplicates.
pub fn schema() -> SchemaRef {
    schema_with(false)
}

/// The ledger's Arrow schema; `near_duplicates` adds that column at the end (audits
/// made with `--near-duplicates`), as `ledger.jsonl` has it only then.
pub fn schema_with(near_duplicates: bool) -> SchemaRef {
    let location = counts_struct(&["row_group", "batch", "line", "byte_offset"]);
    let first_error = DataType::Struct(Fields::from(vec![
        text("kind", false),
        text("message", false),
        Field::new("location", location, false),
    ]));
    let mut fields = vec![
        text("path", false),
        text("root", false),
        text("source", false),
        text("stage", true),
        text("stage_basis", false),
        text("split", true),
        text("format", false),
        text("compression", false),
        text("modality", false),
        text("role", false),
        u64_field("bytes"),
        text("sha256", true),
        // An offset rather than "UTC": arrow parses named zones only with chrono-tz.
        // Either way Parquet records the column as adjusted to UTC.
        Field::new(
            "modified",
            DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into())),
            true,
        ),
        text("status", false),
        text("skip_reason", true),
        u64_field("error_count"),
        Field::new("first_error", first_error, true),
        u64_field("records"),
        map_of("record_kinds", DataType::UInt64),
        u64_field("characters"),
        u64_field("estimated_tokens"),
        map_of("languages", counts_struct(&["records", "characters"])),
        map_of("length_histogram", DataType::UInt64),
        Field::new(
            "duplicates",
            counts_struct(&[
                "within_file",
                "within_scan",
                "normalized_within_file",
                "normalized_within_scan",
            ]),
            false,
        ),
        Field::new(
            "quality",
            counts_struct(&[
                "empty",
                "very_short",
                "replacement_chars",
                "control_chars",
                "invalid_utf8",
            ]),
            false,
        ),
        Field::new(
            "pii",
            DataType::Struct(Fields::from(vec![
                map_of("counts", DataType::UInt64),
                map_of("tags", DataType::UInt64),
                u64_field("records_with_pii"),
                map_of("records_by_type", DataType::UInt64),
                Field::new("record_share", DataType::Float64, false),
                map_of("by_confidence", DataType::UInt64),
                map_of("sensitive", DataType::UInt64),
                u64_field("records_with_sensitive"),
            ])),
            false,
        ),
        Field::new("license", license_struct(), false),
        Field::new(
            "risk_flags",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            false,
        ),
        // Null for files whose records name no web address (the JSON line has no key).
        Field::new(
            "web_hosts",
            DataType::Struct(Fields::from(vec![
                u64_field("records"),
                u64_field("bytes"),
                map_of("bytes_by_region", DataType::UInt64),
            ])),
            true,
        ),
    ];
    if near_duplicates {
        fields.push(Field::new(
            "near_duplicates",
            counts_struct(&["within_file", "within_scan", "clusters"]),
            true,
        ));
    }
    Arc::new(Schema::new(fields))
}

/// Writes the rows to a Parquet file (zstd-compressed pages), with a `safety` column
/// when some row has a safety block.
pub fn write(rows: &[LedgerRow], file: File) -> anyhow::Result<()> {
    let near = rows.iter().any(|r| r.near_duplicates.is_some());
    let mut writer = RowWriter::with_near_duplicates(file, near)?
        .with_safety(rows.iter().any(|r| r.safety.is_some()))
        .with_contamination(rows.iter().any(|r| r.contamination.is_some()));
    for chunk in rows.chunks(BATCH_ROWS) {
        writer.write_batch(chunk)?;
    }
    writer.finish_writer()
}

/// `schema` with the `safety` column last: only for a screened scan, so a ledger
/// without screening keeps its bytes.
pub fn with_safety_field(schema: &SchemaRef) -> SchemaRef {
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    fields.push(Field::new(
        "safety",
        DataType::Struct(Fields::from(vec![
            u64_field("records_with_hits"),
            map_of("records_by_category", DataType::UInt64),
            u64_field("hits"),
        ])),
        true,
    ));
    Arc::new(Schema::new(fields))
}

/// `schema` with the `contamination` column last (after `safety` when both): only for
/// a scan with evaluation sets, so other ledgers keep their bytes.
pub fn with_contamination_field(schema: &SchemaRef) -> SchemaRef {
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    let items = DataType::List(Arc::new(Field::new("item", DataType::UInt32, true)));
    let hits = DataType::Struct(Fields::from(vec![
        u64_field("records"),
        Field::new("items", items, false),
    ]));
    fields.push(Field::new(
        "contamination",
        DataType::Struct(Fields::from(vec![
            u64_field("records"),
            map_of("by_benchmark", hits),
        ])),
        true,
    ));
    Arc::new(Schema::new(fields))
}

/// The rows as one record batch of `schema`: each row serialised, then converted column
/// by column against the schema's types. A row that does not fit the schema (a
/// non-nullable column missing or null, a value of another type) is an error naming
/// the column's path and the row within `rows`; keys the schema lacks are ignored.
pub fn record_batch(schema: &SchemaRef, rows: &[LedgerRow]) -> anyhow::Result<RecordBatch> {
    convert::record_batch(schema, rows)
}

/// Writes `ledger.parquet` as rows arrive, holding at most one batch of rows
/// (8,192) besides the writer's row group in progress.
///
/// Batches are cut at the same row counts as [`write`] cuts a slice, so the same rows
/// give the same bytes whichever way they are written. The Arrow writer starts at the
/// first batch, once the schema is settled ([`RowWriter::with_safety`]).
pub struct RowWriter {
    file: Option<File>,
    writer: Option<ArrowWriter<File>>,
    schema: SchemaRef,
    pending: Vec<LedgerRow>,
    /// Rows encoded so far, to locate an encoding error.
    written: usize,
}

impl RowWriter {
    /// A writer of the ledger's schema and properties into `file`.
    pub fn new(file: File) -> anyhow::Result<Self> {
        Self::with_near_duplicates(file, false)
    }

    /// A writer whose schema has the `near_duplicates` column when asked.
    pub fn with_near_duplicates(file: File, near_duplicates: bool) -> anyhow::Result<Self> {
        Ok(RowWriter {
            file: Some(file),
            writer: None,
            schema: schema_with(near_duplicates),
            pending: Vec::new(),
            written: 0,
        })
    }

    /// With the `safety` column (before any row is pushed).
    pub fn with_safety(mut self, safety: bool) -> Self {
        if safety {
            self.schema = with_safety_field(&self.schema);
        }
        self
    }

    /// With the `contamination` column (before any row is pushed).
    pub fn with_contamination(mut self, contamination: bool) -> Self {
        if contamination {
            self.schema = with_contamination_field(&self.schema);
        }
        self
    }

    fn writer(&mut self) -> anyhow::Result<&mut ArrowWriter<File>> {
        if self.writer.is_none() {
            let file = self
                .file
                .take()
                .ok_or_else(|| anyhow::anyhow!("ledger.parquet writer already closed"))?;
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
                .set_created_by(format!("provaudit {}", env!("CARGO_PKG_VERSION")))
                .set_key_value_metadata(Some(vec![KeyValue::new(
                    super::PARQUET_SCHEMA_VERSION_KEY.to_string(),
                    super::SCHEMA_VERSION.to_string(),
                )]))
                .build();
            self.writer = Some(ArrowWriter::try_new(
                file,
                self.schema.clone(),
                Some(props),
            )?);
        }
        self.writer
            .as_mut()
            .ok_or_else(|| anyhow::anyhow!("ledger.parquet writer not started"))
    }

    /// Adds the next row; a full batch is encoded and written.
    pub fn push(&mut self, row: LedgerRow) -> anyhow::Result<()> {
        self.pending.push(row);
        if self.pending.len() == BATCH_ROWS {
            let mut batch = std::mem::take(&mut self.pending);
            self.write_batch(&batch)?;
            batch.clear();
            self.pending = batch;
        }
        Ok(())
    }

    /// Writes the last, partial batch and the footer.
    pub fn finish(mut self) -> anyhow::Result<()> {
        let batch = std::mem::take(&mut self.pending);
        if !batch.is_empty() {
            self.write_batch(&batch)?;
        }
        self.finish_writer()
    }

    fn finish_writer(mut self) -> anyhow::Result<()> {
        self.writer()?;
        if let Some(writer) = self.writer.take() {
            writer.close()?;
        }
        Ok(())
    }

    /// Encodes `chunk` a slice of [`ENCODE_ROWS`] at a time: the converter holds a
    /// JSON tree of every row it encodes, and a whole batch's trees cost about 10 KB
    /// a row. The writer joins the slices into the same pages and row groups.
    fn write_batch(&mut self, chunk: &[LedgerRow]) -> anyhow::Result<()> {
        for part in chunk.chunks(ENCODE_ROWS) {
            let first = self.written;
            let batch = record_batch(&self.schema, part).with_context(|| {
                format!(
                    "encoding ledger.parquet rows {first}..{} (0-based)",
                    first + part.len()
                )
            })?;
            self.written += part.len();
            self.writer()?.write(&batch)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, TimestampMicrosecondArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    /// `modified` is a timestamp column (not text) and the file says its schema version.
    #[test]
    fn modified_is_a_utc_timestamp_and_the_schema_version_is_in_the_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.parquet");
        let rows = [
            LedgerRow {
                path: "a.jsonl".into(),
                modified: Some("2025-01-01T01:01:01.123456789Z".into()),
                ..LedgerRow::default()
            },
            LedgerRow {
                path: "b.jsonl".into(),
                ..LedgerRow::default()
            },
        ];
        write(&rows, File::create(&path).unwrap()).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap()).unwrap();
        let kv = builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .unwrap();
        let version = kv
            .iter()
            .find(|kv| kv.key == crate::ledger::PARQUET_SCHEMA_VERSION_KEY)
            .and_then(|kv| kv.value.clone());
        assert_eq!(version.as_deref(), Some("1"));
        let batch = builder.build().unwrap().next().unwrap().unwrap();
        let column = batch.column_by_name("modified").unwrap();
        assert_eq!(
            column.data_type(),
            &DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into()))
        );
        let times = column
            .as_any()
            .downcast_ref::<TimestampMicrosecondArray>()
            .unwrap();
        assert_eq!(times.value(0), 1_735_693_261_123_456);
        assert!(times.is_null(1));
    }
}
