//! CSV and TSV with a header row. Each row is a record whose fields are named by the
//! header; the record kind comes from the header names.

use std::borrow::Cow;
use std::io::Read;

use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::sink::RecordSink;
use super::{decode_utf8, too_large};
use crate::analyze::kind;
use crate::record::{Field, Record};

/// Separates header name from value, and fields from each other, in a row's canonical
/// bytes (the row's "exact" form for fingerprints).
const UNIT_SEPARATOR: u8 = 0x1f;
const RECORD_SEPARATOR: u8 = 0x1e;

pub fn read(
    input: &mut dyn Read,
    delimiter: u8,
    max_record: usize,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|name| decode_utf8(name).0.into_owned())
            .collect(),
        Err(e) => return Err(csv_error(&e, ErrorLocation::line(1, 0))),
    };
    let kind = kind::classify(headers.iter().map(String::as_str));
    let mut row = ::csv::ByteRecord::new();
    let mut raw = Vec::new();
    let mut ordinal = 0u64;
    loop {
        match reader.read_byte_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let location = e
                    .position()
                    .map(|p| ErrorLocation::line(p.line(), p.byte()))
                    .unwrap_or_default();
                let err = csv_error(&e, location);
                if matches!(e.kind(), ::csv::ErrorKind::Io(_)) {
                    return Err(err);
                }
                sink.error(err);
                continue;
            }
        }
        let location = row
            .position()
            .map(|p| ErrorLocation::line(p.line(), p.byte()))
            .unwrap_or_default();
        if row.len() != headers.len() {
            sink.error(ReadError::new(
                ErrorKind::Syntax,
                format!(
                    "row has {} fields but the header has {}",
                    row.len(),
                    headers.len()
                ),
                location,
            ));
            continue;
        }
        if row.as_slice().len() > max_record {
            sink.error(too_large(row.as_slice().len() as u64, location));
            continue;
        }
        canonical_bytes(&headers, &row, &mut raw);
        let mut record = Record::new(ordinal, kind);
        record.line = location.line;
        record.offset = location.byte_offset;
        for (name, value) in headers.iter().zip(row.iter()) {
            let (text, lossy) = decode_utf8(value);
            record.lossy_utf8 |= lossy;
            record.fields.push(Field {
                path: Cow::Borrowed(name.as_str()),
                text,
            });
        }
        if record.lossy_utf8 {
            sink.error(ReadError::new(
                ErrorKind::Encoding,
                "invalid UTF-8; the row was read with replacement characters",
                location,
            ));
        }
        record.raw = Cow::Borrowed(&raw);
        sink.record(&record);
        ordinal += 1;
    }
}

fn canonical_bytes(headers: &[String], row: &::csv::ByteRecord, out: &mut Vec<u8>) {
    out.clear();
    for (name, value) in headers.iter().zip(row.iter()) {
        out.extend_from_slice(name.as_bytes());
        out.push(UNIT_SEPARATOR);
        out.extend_from_slice(value);
        out.push(RECORD_SEPARATOR);
    }
}

fn csv_error(e: &::csv::Error, location: ErrorLocation) -> ReadError {
    match e.kind() {
        ::csv::ErrorKind::Io(io) => ReadError::io(io, location),
        _ => ReadError::new(ErrorKind::Syntax, "malformed CSV row", location),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::kind::RecordKind;
    use crate::formats::sink::CollectSink;

    #[test]
    fn rows_become_records_named_by_the_header() {
        let mut sink = CollectSink::default();
        let mut input: &[u8] = b"question,answer\n\"What, exactly?\",42\nonly-one-field\nq2,a2\n";
        read(&mut input, b',', 1000, &mut sink).unwrap();
        assert_eq!(sink.records.len(), 2);
        assert_eq!(sink.records[0].kind, RecordKind::Instruction);
        assert_eq!(
            sink.records[0].fields[0],
            ("question".to_string(), "What, exactly?".to_string())
        );
        assert_eq!(sink.errors.len(), 1);
        assert_eq!(sink.errors[0].location.line, Some(3));
    }

    #[test]
    fn tabs_separate_tsv() {
        let mut sink = CollectSink::default();
        let mut input: &[u8] = b"text\tlabel\ngood movie\tpositive\n";
        read(&mut input, b'\t', 1000, &mut sink).unwrap();
        assert_eq!(sink.records[0].kind, RecordKind::Labeled);
    }
}
