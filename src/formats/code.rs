//! Source-code files: one record per file, as code corpora (The Stack, StarCoder data)
//! store them. The record's field is `content`, the name those corpora use.

use std::borrow::Cow;
use std::io::Read;

use super::error::{ErrorLocation, ReadError};
use super::sink::RecordSink;
use super::{decode_utf8, too_large};
use crate::record::kind::RecordKind;
use crate::record::{Field, Record};

/// The field name of a source file's one record, as in The Stack.
pub const CODE_FIELD: &str = "content";

/// Reads a whole source file as one record; a file over `max_record` bytes is
/// reported `too_large` and skipped, not read into memory.
pub fn read(
    input: &mut dyn Read,
    max_record: usize,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let mut bytes = Vec::new();
    let limit = max_record as u64 + 1;
    input
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::io(&e, ErrorLocation::byte(bytes.len() as u64)))?;
    if bytes.len() > max_record {
        let rest = std::io::copy(input, &mut std::io::sink())
            .map_err(|e| ReadError::io(&e, ErrorLocation::byte(limit)))?;
        sink.error(too_large(
            bytes.len() as u64 + rest,
            ErrorLocation::line(1, 0),
        ));
        return Ok(());
    }
    let (text, lossy) = decode_utf8(&bytes);
    if lossy {
        sink.error(ReadError::new(
            super::error::ErrorKind::Encoding,
            "invalid UTF-8; the file was read with replacement characters",
            ErrorLocation::line(1, 0),
        ));
    }
    let mut record = Record::new(0, RecordKind::Text);
    record.line = Some(1);
    record.offset = Some(0);
    record.raw = Cow::Borrowed(&bytes);
    record.lossy_utf8 = lossy;
    record.whole_file = true;
    record.fields.push(Field {
        path: Cow::Borrowed(CODE_FIELD),
        text,
    });
    sink.record(&record);
    Ok(())
}
