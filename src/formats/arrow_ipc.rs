//! Arrow IPC, file form (`ARROW1` magic, random access) and stream form (the Hugging
//! Face `datasets` cache). Both yield record batches for the shared columnar walker.

use std::io::{BufReader, Read};
use std::sync::Arc;

use arrow::ipc::reader::{FileReader, StreamReader};

use super::columnar::emit_batch;
use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::sink::RecordSink;
use crate::bytesource::{ByteSource, SourceCursor};

const FILE_MAGIC: &[u8] = b"ARROW1";

/// Reads an uncompressed Arrow file, choosing the file or stream reader by its magic.
pub fn read_source(
    source: Arc<dyn ByteSource>,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let mut magic = [0u8; 6];
    let n = source
        .read_at(0, &mut magic)
        .map_err(|e| ReadError::io(&e, ErrorLocation::byte(0)))?;
    let cursor = BufReader::new(SourceCursor::new(source, 0));
    if magic[..n] == *FILE_MAGIC {
        let reader = FileReader::try_new(cursor, None)
            .map_err(|e| structure(e, ErrorLocation::default()))?;
        emit_batches(reader, sink)
    } else {
        read_stream(cursor, sink)
    }
}

/// Reads the stream form from any reader (compressed Arrow files are only readable in
/// stream form, which needs no seeking).
pub fn read_stream(input: impl Read, sink: &mut dyn RecordSink) -> Result<(), ReadError> {
    let reader =
        StreamReader::try_new(input, None).map_err(|e| structure(e, ErrorLocation::default()))?;
    emit_batches(reader, sink)
}

fn emit_batches<I>(batches: I, sink: &mut dyn RecordSink) -> Result<(), ReadError>
where
    I: Iterator<Item = Result<arrow::array::RecordBatch, arrow::error::ArrowError>>,
{
    let mut ordinal = 0u64;
    for (index, batch) in batches.enumerate() {
        let batch = batch.map_err(|e| structure(e, ErrorLocation::batch(index as u64)))?;
        emit_batch(&batch, ordinal, sink);
        ordinal += batch.num_rows() as u64;
    }
    Ok(())
}

fn structure(e: arrow::error::ArrowError, location: ErrorLocation) -> ReadError {
    ReadError::new(ErrorKind::Structure, e, location)
}
