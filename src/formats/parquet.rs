//! Parquet, read a row group at a time so one large file keeps every core busy.
//!
//! Only top-level columns that hold a string somewhere are decoded (a projection mask
//! over root columns: the reader cannot project part of a map), since numbers and
//! binary blobs carry no text to analyse; rows are still counted when a file has no
//! string column.
//! The footer is parsed once at planning time and shared by the row-group units.

use std::sync::Arc;

use bytes::Bytes;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::basic::{ConvertedType, LogicalType};
use parquet::errors::ParquetError;
use parquet::file::reader::{ChunkReader, Length};

use super::columnar::{contained, emit_batch};
use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::sink::RecordSink;
use crate::bytesource::{ByteSource, SourceCursor};

/// Rows decoded at a time: bounds memory per work unit whatever the row group size.
const BATCH_ROWS: usize = 1024;

/// A parsed footer plus what the row-group units need from it.
#[derive(Clone)]
pub struct ParquetPlan {
    pub metadata: ArrowReaderMetadata,
    /// Rows per row group, to turn row-group ordinals into file ordinals.
    pub row_group_rows: Vec<u64>,
}

/// Reads the footer. A file whose footer is unusable (corrupt, truncated, encrypted)
/// fails here, before any row group is scheduled.
pub fn plan(source: Arc<dyn ByteSource>) -> Result<ParquetPlan, ReadError> {
    let reader = SourceChunks(source.clone());
    // Footer problems are located at the footer: the last 8 bytes hold its length.
    let footer = ErrorLocation::byte(source.len().saturating_sub(8));
    let metadata = ArrowReaderMetadata::load(&reader, ArrowReaderOptions::new())
        .map_err(|e| parquet_error(&e, footer))?;
    let row_group_rows = metadata
        .metadata()
        .row_groups()
        .iter()
        .map(|rg| u64::try_from(rg.num_rows()).unwrap_or(0))
        .collect();
    Ok(ParquetPlan {
        metadata,
        row_group_rows,
    })
}

/// Reads one row group. Ordinals in the sink are relative to the row group's first row.
pub fn read_row_group(
    source: Arc<dyn ByteSource>,
    plan: &ParquetPlan,
    row_group: usize,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let location = ErrorLocation::row_group(row_group as u64);
    let schema = plan.metadata.metadata().file_metadata().schema_descr();
    let text_leaves = schema
        .columns()
        .iter()
        .enumerate()
        .filter(|(_, c)| is_text(c.logical_type_ref(), c.converted_type()));
    let mask = ProjectionMask::leaves(schema, text_leaves.map(|(i, _)| i));
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(
        SourceChunks(source),
        plan.metadata.clone(),
    )
    .with_row_groups(vec![row_group])
    .with_projection(mask)
    .with_batch_size(BATCH_ROWS)
    .build()
    .map_err(|e| parquet_error(&e, location.clone()))?;
    let mut ordinal = 0u64;
    for (index, batch) in contained(reader).enumerate() {
        let at = ErrorLocation {
            batch: Some(index as u64),
            ..location.clone()
        };
        let batch = batch.map_err(|e| ReadError::new(ErrorKind::Structure, e, at))?;
        emit_batch(&batch, ordinal, sink);
        ordinal += batch.num_rows() as u64;
    }
    Ok(())
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
struct SourceChunks(Arc<dyn ByteSource>);

impl Length for SourceChunks {
    fn len(&self) -> u64 {
        self.0.len()
    }
}

impl ChunkReader for SourceChunks {
    type T = std::io::BufReader<SourceCursor>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(std::io::BufReader::new(SourceCursor::new(
            self.0.clone(),
            start,
        )))
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        let end = start
            .checked_add(length as u64)
            .filter(|&end| end <= self.0.len());
        if end.is_none() {
            return Err(ParquetError::EOF(format!(
                "range of {length} bytes at {start} runs past the end of the file"
            )));
        }
        let mut buf = vec![0u8; length];
        let mut filled = 0;
        while filled < length {
            let n = self
                .0
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
