//! Arrow IPC, file form (`ARROW1` magic, random access) and stream form (the Hugging
//! Face `datasets` cache). Both yield record batches for the shared columnar walker.

use std::io::{BufReader, Read};
use std::sync::Arc;

use arrow::ipc::reader::{FileReader, StreamReader};

use super::columnar::{contained, emit_batch};
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
        let reader = open_contained(|| FileReader::try_new(cursor, None))?;
        emit_batches(reader, sink)
    } else {
        read_stream(cursor, sink)
    }
}

/// Reads the stream form from any reader (compressed Arrow files are only readable in
/// stream form, which needs no seeking).
pub fn read_stream(input: impl Read, sink: &mut dyn RecordSink) -> Result<(), ReadError> {
    let reader = open_contained(|| StreamReader::try_new(input, None))?;
    emit_batches(reader, sink)
}

fn emit_batches<I>(batches: I, sink: &mut dyn RecordSink) -> Result<(), ReadError>
where
    I: Iterator<Item = Result<arrow::array::RecordBatch, arrow::error::ArrowError>>,
{
    let mut ordinal = 0u64;
    for (index, batch) in contained(batches).enumerate() {
        let location = ErrorLocation::batch(index as u64);
        let batch = batch.map_err(|e| ReadError::new(ErrorKind::Structure, e, location))?;
        emit_batch(&batch, ordinal, sink);
        ordinal += batch.num_rows() as u64;
    }
    Ok(())
}

/// Opens a reader, which parses the schema and dictionaries at the start of the file;
/// errors and contained library panics there are located at byte 0.
fn open_contained<R>(
    open: impl FnOnce() -> Result<R, arrow::error::ArrowError>,
) -> Result<R, ReadError> {
    let start = ErrorLocation::byte(0);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(open)) {
        Ok(Ok(reader)) => Ok(reader),
        Ok(Err(e)) => Err(ReadError::new(ErrorKind::Structure, e, start)),
        Err(_) => Err(ReadError::new(
            ErrorKind::Structure,
            "the Arrow library crashed reading the schema (contained); the file is malformed",
            start,
        )),
    }
}
