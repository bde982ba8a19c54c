//! Parquet, read a row group at a time so one large file keeps every core busy.
//!
//! Every leaf but binary blobs is decoded: strings are the text to analyse, numbers and
//! booleans name a row's kind and belong to its canonical bytes, as in JSON; rows are
//! still counted when a file has only binary columns. A column holding
//! a map is decoded whole (the reader cannot project part of a map, and failing on it
//! lost every column of the file, `ledger.parquet` among them).
//! The footer is parsed once at planning time and shared by the row-group units.
//!
//! Sizes the file declares are checked before the `parquet` crate allocates by them
//! (see [`super::thrift`]): schema children against the schema, row counts against
//! the values the columns hold, page sizes against `--max-record-bytes`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::basic::{ConvertedType, LogicalType, Type as PhysicalType};
use parquet::errors::ParquetError;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::reader::{ChunkReader, Length};
use parquet::schema::types::{ColumnDescriptor, SchemaDescriptor, Type};

use super::ReadOptions;
use super::columnar::{contained, emit_batch, kind_of};
use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::sink::RecordSink;
use super::thrift;
use crate::bytesource::{ByteSource, SourceCursor};

/// Rows decoded at a time: bounds memory per work unit whatever the row group size.
const BATCH_ROWS: usize = 1024;

/// A parsed footer plus what the row-group units need from it.
#[derive(Clone)]
pub struct ParquetPlan {
    /// The parsed footer: schema and row-group metadata, read once per file.
    pub metadata: ArrowReaderMetadata,
    /// Rows per row group, to turn row-group ordinals into file ordinals.
    pub row_group_rows: Vec<u64>,
}

/// Reads the footer. A file whose footer is unusable (corrupt, truncated, encrypted)
/// fails here, before any row group is scheduled.
pub fn plan(source: Arc<dyn ByteSource>) -> Result<ParquetPlan, ReadError> {
    // Footer problems are located at the footer: the last 8 bytes hold its length.
    let footer = ErrorLocation::byte(source.len().saturating_sub(8));
    check_schema_claims(&source)
        .map_err(|(kind, message)| ReadError::new(kind, message, footer.clone()))?;
    let reader = SourceChunks::new(source.clone(), None);
    let metadata = ArrowReaderMetadata::load(&reader, ArrowReaderOptions::new())
        .map_err(|e| parquet_error(&e, footer))?;
    let row_group_rows = row_counts(metadata.metadata())?;
    Ok(ParquetPlan {
        metadata,
        row_group_rows,
    })
}

/// Reads the footer's schema with [`thrift`] before the crate does: a schema element
/// claiming more children than the schema has elements would make it reserve memory
/// for all of them. Encrypted footers (`PARE`) are left to the crate, which refuses them;
/// a plaintext footer over encrypted columns is refused here, as plainly (the crate
/// fails on the first encrypted page with a message about a missing field).
fn check_schema_claims(source: &Arc<dyn ByteSource>) -> Result<(), (ErrorKind, String)> {
    let len = source.len();
    let mut tail = [0u8; 8];
    if len < 8 || source.read_at(len - 8, &mut tail).ok() != Some(8) || &tail[4..] != b"PAR1" {
        return Ok(());
    }
    let footer_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    let Some(start) = (len - 8).checked_sub(footer_len) else {
        return Ok(()); // The crate reports a footer longer than the file.
    };
    let cursor = std::io::BufReader::new(SourceCursor::new(source.clone(), start));
    let mut input = thrift::Input::new(cursor, footer_len);
    let claims = thrift::schema_children(&mut input).map_err(|e| {
        (
            ErrorKind::Structure,
            format!("the footer is malformed: {e}"),
        )
    })?;
    let (widest, elements) = (claims.widest, claims.elements);
    if widest < 0 || widest as u64 >= elements.max(1) {
        return Err((
            ErrorKind::Structure,
            format!(
                "a schema element claims {widest} children but the schema has {elements} elements"
            ),
        ));
    }
    if claims.encrypted_columns {
        return Err((
            ErrorKind::Unsupported,
            "Parquet file has encrypted columns (a plaintext footer); encrypted Parquet cannot be read"
                .into(),
        ));
    }
    Ok(())
}

/// Rows per row group, checked: a row group whose flat columns hold fewer values than
/// it claims rows (2^40 rows over 10,000 values) is corrupt, not a dataset of 10,000.
fn row_counts(metadata: &ParquetMetaData) -> Result<Vec<u64>, ReadError> {
    let schema = metadata.file_metadata().schema_descr();
    let mut total = 0u64;
    let mut rows = Vec::with_capacity(metadata.num_row_groups());
    for (index, rg) in metadata.row_groups().iter().enumerate() {
        let claimed = u64::try_from(rg.num_rows()).ok();
        let flat = (0..rg.num_columns())
            .filter(|&c| schema.column(c).max_rep_level() == 0)
            .map(|c| rg.column(c).num_values())
            .find(|&values| u64::try_from(values).ok() != claimed);
        let fail = |message: String| {
            ReadError::new(
                ErrorKind::Structure,
                message,
                ErrorLocation::row_group(index as u64),
            )
        };
        let count = match (claimed, flat) {
            (Some(count), None) => count,
            (_, Some(values)) => {
                return Err(fail(format!(
                    "the row group claims {} rows but its columns hold {values} values",
                    rg.num_rows()
                )));
            }
            (None, None) => return Err(fail(format!("a row count of {}", rg.num_rows()))),
        };
        total = total
            .checked_add(count)
            .ok_or_else(|| fail("row counts add up past 2^64".into()))?;
        rows.push(count);
    }
    Ok(rows)
}

/// Reads one row group. Ordinals in the sink are relative to the row group's first row.
pub fn read_row_group(
    source: Arc<dyn ByteSource>,
    plan: &ParquetPlan,
    row_group: usize,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let location = ErrorLocation::row_group(row_group as u64);
    let schema = plan.metadata.metadata().file_metadata().schema_descr();
    let chunks = SourceChunks::new(source, Some(options.max_record_bytes));
    let (projection, decodes_any) = value_projection(schema);
    let kind = kind_of(plan.metadata.schema());
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(chunks, plan.metadata.clone())
        .with_row_groups(vec![row_group])
        .with_projection(projection)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| parquet_error(&e, location.clone()))?;
    let mut ordinal = 0u64;
    for (index, batch) in contained(reader).enumerate() {
        let at = ErrorLocation {
            batch: Some(index as u64),
            ..location.clone()
        };
        let batch = batch.map_err(|e| ReadError::new(ErrorKind::Structure, e, at.clone()))?;
        emit_batch(&batch, &kind, ordinal, options.max_record_bytes, &at, sink);
        ordinal += batch.num_rows() as u64;
    }
    // With no text column nothing is decoded, and no rows are counted to compare.
    let claimed = plan.row_group_rows.get(row_group).copied().unwrap_or(0);
    if decodes_any && ordinal != claimed {
        return Err(ReadError::new(
            ErrorKind::Structure,
            format!("{ordinal} rows were read of the {claimed} the row group claims"),
            location,
        ));
    }
    Ok(())
}

/// The leaves worth decoding: every leaf but binary ones (images, audio: no text, and
/// the bulk of a file's bytes), and every leaf of a column that holds a map (the reader
/// cannot project part of a map); with whether there is any. Numbers and booleans are
/// decoded because they are part of a row's canonical bytes (see [`super::columnar`]).
fn value_projection(schema: &SchemaDescriptor) -> (ProjectionMask, bool) {
    let roots = schema.root_schema().get_fields();
    let map_roots: Vec<bool> = roots.iter().map(|t| holds_map(t)).collect();
    let leaves = schema.columns().iter().enumerate().filter(|(i, c)| {
        !is_binary(c)
            || map_roots
                .get(schema.get_column_root_idx(*i))
                .copied()
                .unwrap_or(false)
    });
    let leaves: Vec<usize> = leaves.map(|(i, _)| i).collect();
    let any = !leaves.is_empty();
    (ProjectionMask::leaves(schema, leaves), any)
}

/// A leaf of bytes that are neither text nor a number stored as bytes (decimals,
/// half floats, intervals).
fn is_binary(column: &ColumnDescriptor) -> bool {
    let (logical, converted) = (column.logical_type_ref(), column.converted_type());
    matches!(
        column.physical_type(),
        PhysicalType::BYTE_ARRAY | PhysicalType::FIXED_LEN_BYTE_ARRAY
    ) && !is_text(logical, converted)
        && !matches!(
            logical,
            Some(LogicalType::Decimal { .. } | LogicalType::Float16)
        )
        && !matches!(converted, ConvertedType::DECIMAL | ConvertedType::INTERVAL)
}

fn holds_map(t: &Type) -> bool {
    t.is_group()
        && (matches!(
            t.get_basic_info().logical_type_ref(),
            Some(LogicalType::Map)
        ) || matches!(
            t.get_basic_info().converted_type(),
            ConvertedType::MAP | ConvertedType::MAP_KEY_VALUE
        ) || t.get_fields().iter().any(|f| holds_map(f)))
}

fn is_text(logical: Option<&LogicalType>, converted: ConvertedType) -> bool {
    matches!(
        logical,
        Some(LogicalType::String | LogicalType::Json | LogicalType::Enum)
    ) || matches!(
        converted,
        ConvertedType::UTF8 | ConvertedType::JSON | ConvertedType::ENUM
    )
}

fn parquet_error(e: &ParquetError, location: ErrorLocation) -> ReadError {
    let message = e.to_string();
    let kind = if message.to_ascii_lowercase().contains("encrypt") {
        ErrorKind::Unsupported
    } else {
        ErrorKind::Structure
    };
    ReadError::new(kind, message, location)
}

/// Adapts a byte source to parquet's random-access reader trait.
struct SourceChunks {
    source: Arc<dyn ByteSource>,
    /// When reading pages: the largest uncompressed page allowed (`--max-record-bytes`).
    page_limit: Option<usize>,
    /// Where the bodies of the page headers checked so far start. Having read a header
    /// ahead (to find record boundaries in list columns), the crate asks for a reader
    /// at that page's body and drops it unread; checking the body as a header there
    /// failed every list column longer than a few pages. A reader there checks on its
    /// first read instead, in case a hostile file's column chunks overlap and a header
    /// really is read from there.
    checked_bodies: Mutex<HashSet<u64>>,
}

impl SourceChunks {
    fn new(source: Arc<dyn ByteSource>, page_limit: Option<usize>) -> Self {
        SourceChunks {
            source,
            page_limit,
            checked_bodies: Mutex::default(),
        }
    }

    fn checked_bodies(&self) -> std::sync::MutexGuard<'_, HashSet<u64>> {
        self.checked_bodies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn cursor(&self, start: u64) -> std::io::BufReader<SourceCursor> {
        std::io::BufReader::new(SourceCursor::new(self.source.clone(), start))
    }

    /// The crate asks for a reader to parse a page header (and the footer's last 8
    /// bytes while planning, when there is no limit), or at a body whose header it has
    /// read (see `checked_bodies`): the header is walked first and a page larger than
    /// the limit, or one whose lengths run past the file, is an error before the crate
    /// reserves its size. Returns where the page's body starts.
    fn check_page(&self, start: u64, limit: usize) -> parquet::errors::Result<u64> {
        let remaining = self.source.len().saturating_sub(start);
        let mut input = thrift::Input::new(self.cursor(start), remaining);
        let sizes = thrift::page_sizes(&mut input).map_err(|e| {
            ParquetError::General(format!("page header at byte {start} is malformed: {e}"))
        })?;
        let body = start.saturating_add(input.consumed());
        if sizes.compressed < 0 || body.saturating_add(sizes.compressed as u64) > self.source.len()
        {
            return Err(ParquetError::General(format!(
                "page at byte {start} declares {} bytes, past the end of the file",
                sizes.compressed
            )));
        }
        if sizes.uncompressed < 0 || sizes.uncompressed as u64 > limit as u64 {
            return Err(ParquetError::General(format!(
                "page at byte {start} declares {} bytes uncompressed, over --max-record-bytes \
                 ({limit}); raise the limit to read it",
                sizes.uncompressed
            )));
        }
        Ok(body)
    }
}

impl Length for SourceChunks {
    fn len(&self) -> u64 {
        self.source.len()
    }
}

impl ChunkReader for SourceChunks {
    type T = PageRead;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        let mut deferred = None;
        if let Some(limit) = self.page_limit {
            if self.checked_bodies().contains(&start) {
                deferred = Some(limit);
            } else {
                let body = self.check_page(start, limit)?;
                self.checked_bodies().insert(body);
            }
        }
        Ok(PageRead {
            chunks: SourceChunks::new(self.source.clone(), deferred),
            start,
            cursor: self.cursor(start),
        })
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let end = start
            .checked_add(length as u64)
            .filter(|&end| end <= self.source.len());
        if end.is_none() {
            return Err(ParquetError::EOF(format!(
                "range of {length} bytes at {start} runs past the end of the file"
            )));
        }
        let mut buf = vec![0u8; length];
        let mut filled = 0;
        while filled < length {
            let n = self
                .source
                .read_at(start + filled as u64, &mut buf[filled..])
                .map_err(|e| ParquetError::External(Box::new(e)))?;
            if n == 0 {
                return Err(ParquetError::EOF(
                    "file shorter than its listed length".into(),
                ));
            }
            filled += n;
        }
        Ok(Bytes::from(buf))
    }
}

/// A reader from a byte of the file. When its page header was not checked when it was
/// handed out (see `SourceChunks::checked_bodies`), it is checked on the first read.
pub struct PageRead {
    /// The file, with the page limit still to enforce (none once checked).
    chunks: SourceChunks,
    start: u64,
    cursor: std::io::BufReader<SourceCursor>,
}

impl std::io::Read for PageRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(limit) = self.chunks.page_limit.take() {
            self.chunks
                .check_page(self.start, limit)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        self.cursor.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::bytesource::MemorySource;

    /// A data page header declaring 100 bytes uncompressed and 60 compressed, then its
    /// 60-byte body.
    fn page() -> Arc<dyn ByteSource> {
        let mut bytes = vec![
            0x15, 0x00, 0x15, 0xc8, 0x01, 0x15, 0x78, 0x2c, 0x15, 0x06, 0x00, 0x00,
        ];
        bytes.resize(bytes.len() + 60, 0);
        Arc::new(MemorySource::new("page", bytes))
    }

    #[test]
    fn a_page_over_the_limit_fails_when_its_reader_is_asked_for() {
        let chunks = SourceChunks::new(page(), Some(50));
        let e = chunks.get_read(0).err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("--max-record-bytes")));
    }

    #[test]
    fn a_reader_at_a_checked_body_is_checked_only_if_read() {
        let chunks = SourceChunks::new(page(), Some(50));
        chunks.checked_bodies().insert(0);
        let mut reader = chunks.get_read(0).expect("handed out unchecked");
        let mut byte = [0u8; 1];
        let e = reader.read(&mut byte).err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("--max-record-bytes")));
    }
}
