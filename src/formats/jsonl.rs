//! JSON Lines / NDJSON: one JSON value per line; blank lines are not records.

use std::borrow::Cow;
use std::io::BufRead;

use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::lines::LineReader;
use super::sink::RecordSink;
use super::{decode_utf8, json_walk, too_large};
use crate::record::Record;
use crate::record::kind;

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads every line the reader hands out. Returns an error only when the stream itself
/// fails (a truncated compressed file, an I/O error): bad lines are reported to the
/// sink and skipped.
pub fn read<R: BufRead>(
    lines: &mut LineReader<R>,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let mut ordinal = 0u64;
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => return Ok(()),
            Err(e) => return Err(ReadError::io(&e, ErrorLocation::byte(lines.offset()))),
        };
        let location = ErrorLocation::line(line.number, line.offset);
        if let Some(len) = line.oversized {
            sink.error(too_large(len, location));
            continue;
        }
        // A byte-order mark opens many files written on Windows; JSON has no place for
        // it, and left in it made the first record invalid.
        let bytes = match line.offset {
            0 => line.bytes.strip_prefix(UTF8_BOM).unwrap_or(line.bytes),
            _ => line.bytes,
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (text, lossy) = decode_utf8(bytes);
        if lossy {
            sink.error(ReadError::new(
                ErrorKind::Encoding,
                "invalid UTF-8; the line was read with replacement characters",
                location.clone(),
            ));
        }
        let extracted = match json_walk::extract(&text) {
            Ok(e) => e,
            Err(e) => {
                sink.error(syntax_error(&e, location));
                continue;
            }
        };
        let mut record = Record::new(
            ordinal,
            kind::classify(extracted.top_keys.iter().map(|k| k.as_ref())),
        );
        record.line = Some(line.number);
        record.offset = Some(line.offset);
        record.raw = Cow::Borrowed(bytes);
        record.fields = extracted.fields;
        record.lossy_utf8 = lossy;
        sink.record(&record);
        ordinal += 1;
    }
}

/// serde_json counts lines and columns within the one line it was given; keep the
/// column and the category, and let the location carry the file line.
pub(super) fn syntax_error(e: &serde_json::Error, location: ErrorLocation) -> ReadError {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "truncated JSON",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "unexpected JSON value",
        serde_json::error::Category::Io => "unreadable JSON",
    };
    ReadError::new(
        ErrorKind::Syntax,
        format!("{what} at column {}", e.column()),
        location,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::sink::CollectSink;
    use crate::record::kind::RecordKind;

    fn run(input: &[u8]) -> CollectSink {
        let mut sink = CollectSink::default();
        read(&mut LineReader::new(input, 0, 1 << 20), &mut sink).unwrap();
        sink
    }

    #[test]
    fn reads_records_and_locates_bad_lines() {
        let sink = run(
            b"{\"text\": \"a\"}\n\n{\"text\": oops}\n{\"prompt\":\"p\",\"completion\":\"c\"}\n",
        );
        assert_eq!(sink.records.len(), 2);
        assert_eq!(sink.records[0].kind, RecordKind::Text);
        assert_eq!(sink.records[1].kind, RecordKind::Instruction);
        assert_eq!(sink.records[1].line, Some(4));
        assert_eq!(sink.records[1].ordinal, 1);
        assert_eq!(sink.errors.len(), 1);
        assert_eq!(sink.errors[0].location, ErrorLocation::line(3, 15));
        assert_eq!(sink.errors[0].kind, ErrorKind::Syntax);
    }

    #[test]
    fn a_byte_order_mark_does_not_break_the_first_record() {
        let sink = run(b"\xef\xbb\xbf{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
        assert_eq!(sink.records.len(), 2);
        assert!(sink.errors.is_empty(), "{:?}", sink.errors);
    }

    #[test]
    fn invalid_utf8_is_read_lossily_and_reported() {
        let sink = run(b"{\"text\": \"caf\xe9\"}\n");
        assert_eq!(sink.records.len(), 1);
        assert!(sink.records[0].lossy_utf8);
        assert_eq!(sink.errors[0].kind, ErrorKind::Encoding);
    }
}
