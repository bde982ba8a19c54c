//! CSV and TSV with a header row. Each row is a record whose fields are named by the
//! header; the record kind comes from the header names.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};

use csv_core::ReadRecordResult;

use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::sink::RecordSink;
use super::{decode_utf8, too_large};
use crate::bytesource::READ_BUFFER;
use crate::record::kind;
use crate::record::{Field, Record};

/// Separates header name from value, and fields from each other, in a row's canonical
/// bytes (the row's "exact" form for fingerprints).
const UNIT_SEPARATOR: u8 = 0x1f;
const RECORD_SEPARATOR: u8 = 0x1e;

/// How a delimited file is parsed.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    /// The field separator (`,` or tab).
    pub delimiter: u8,
    /// Whether `"` opens a quoted field. TSV (IANA `text/tab-separated-values`) has no
    /// quoting: a TSV field that starts with a quote is text, and with quoting on it
    /// would swallow every row up to the next lone quote.
    pub quoting: bool,
}

impl Dialect {
    /// RFC 4180 CSV: comma-separated, `"` quotes fields.
    pub const CSV: Dialect = Dialect {
        delimiter: b',',
        quoting: true,
    };
    /// TSV: tab-separated, no quoting.
    pub const TSV: Dialect = Dialect {
        delimiter: b'\t',
        quoting: false,
    };
}

/// Reads a delimited file with a header row: one record per row, its fields named by
/// the header. A row over `max_record` bytes is reported `too_large` and skipped
/// (an oversized header row fails the file).
pub fn read(
    input: &mut dyn Read,
    dialect: Dialect,
    max_record: usize,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let mut rows = Rows::new(
        BufReader::with_capacity(READ_BUFFER, input),
        dialect,
        max_record,
    );
    let headers: Vec<String> = match rows.next_row()? {
        None => return Ok(()),
        Some(Row::Oversized { bytes, location }) => return Err(too_large(bytes, location)),
        Some(Row::Fields { .. }) => rows
            .fields()
            .map(|name| decode_utf8(name).0.into_owned())
            .collect(),
    };
    let kind = kind::classify(headers.iter().map(String::as_str));
    let mut raw = Vec::new();
    let mut ordinal = 0u64;
    while let Some(row) = rows.next_row()? {
        let location = match row {
            Row::Oversized { bytes, location } => {
                sink.error(too_large(bytes, location));
                continue;
            }
            Row::Fields { location } => location,
        };
        if rows.len() != headers.len() {
            sink.error(ReadError::new(
                ErrorKind::Syntax,
                format!(
                    "row has {} fields but the header has {}",
                    rows.len(),
                    headers.len()
                ),
                location,
            ));
            continue;
        }
        canonical_bytes(&headers, rows.fields(), &mut raw);
        let mut record = Record::new(ordinal, kind.clone());
        record.line = location.line;
        record.offset = location.byte_offset;
        for (name, value) in headers.iter().zip(rows.fields()) {
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
    Ok(())
}

/// What [`Rows::next_row`] found.
enum Row {
    /// A row whose fields [`Rows::fields`] now gives.
    Fields { location: ErrorLocation },
    /// A row over the bound, streamed past without being kept.
    Oversized { bytes: u64, location: ErrorLocation },
}

/// Rows pulled from a stream by `csv-core`, keeping at most `max_row` bytes of any
/// row: the `csv` crate buffers a whole row before anyone can look at its size, so
/// one 6 GB field in a `.csv.gz` took the process down.
struct Rows<R> {
    input: R,
    core: csv_core::Reader,
    /// Field bytes of the current row; grows on demand up to `max_row + 1`.
    out: Vec<u8>,
    /// End offsets of the current row's fields in `out`; bounded like `out`.
    ends: Vec<usize>,
    out_len: usize,
    ends_len: usize,
    /// Bytes consumed from the (decompressed) stream.
    byte: u64,
    max_row: usize,
}

impl<R: BufRead> Rows<R> {
    fn new(input: R, dialect: Dialect, max_row: usize) -> Self {
        let core = csv_core::ReaderBuilder::new()
            .delimiter(dialect.delimiter)
            .quoting(dialect.quoting)
            .build();
        let bound = max_row.saturating_add(1);
        Rows {
            input,
            core,
            out: vec![0; bound.min(4096)],
            ends: vec![0; bound.min(64)],
            out_len: 0,
            ends_len: 0,
            byte: 0,
            max_row,
        }
    }

    /// The next row, `None` at the end. Only an I/O error (a corrupt compressed
    /// stream) fails: `csv-core` prefers a parse to no parse.
    fn next_row(&mut self) -> Result<Option<Row>, ReadError> {
        let start = self.byte;
        let location = ErrorLocation::line(self.core.line(), start);
        self.out_len = 0;
        self.ends_len = 0;
        let mut oversized = false;
        let mut discard = [0u8; 4096];
        let mut discard_ends = [0usize; 64];
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ReadError::io(&e, ErrorLocation::byte(self.byte))),
            };
            let (result, nin, nout, nend) = if oversized {
                self.core
                    .read_record(input, &mut discard, &mut discard_ends)
            } else {
                self.core.read_record(
                    input,
                    &mut self.out[self.out_len..],
                    &mut self.ends[self.ends_len..],
                )
            };
            self.input.consume(nin);
            self.byte += nin as u64;
            if !oversized {
                self.out_len += nout;
                self.ends_len += nend;
            }
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull if oversized => {}
                ReadRecordResult::OutputFull => oversized = !grow(&mut self.out, self.max_row),
                ReadRecordResult::OutputEndsFull => {
                    oversized = !grow(&mut self.ends, self.max_row);
                }
                ReadRecordResult::Record if oversized || self.out_len > self.max_row => {
                    let bytes = self.byte - start;
                    return Ok(Some(Row::Oversized { bytes, location }));
                }
                ReadRecordResult::Record => return Ok(Some(Row::Fields { location })),
                ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// How many fields the current row has.
    fn len(&self) -> usize {
        self.ends_len
    }

    /// The current row's fields.
    fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends[..self.ends_len].iter().map(move |&end| {
            let field = self.out.get(start..end).unwrap_or_default();
            start = end;
            field
        })
    }
}

/// Doubles a buffer up to `max + 1` elements; false when it is already that large.
fn grow<T: Default + Clone>(buf: &mut Vec<T>, max: usize) -> bool {
    let bound = max.saturating_add(1);
    if buf.len() >= bound {
        return false;
    }
    let len = buf.len().saturating_mul(2).clamp(1, bound);
    buf.resize(len, T::default());
    true
}

fn canonical_bytes<'a>(headers: &[String], row: impl Iterator<Item = &'a [u8]>, out: &mut Vec<u8>) {
    out.clear();
    for (name, value) in headers.iter().zip(row) {
        out.extend_from_slice(name.as_bytes());
        out.push(UNIT_SEPARATOR);
        out.extend_from_slice(value);
        out.push(RECORD_SEPARATOR);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::sink::CollectSink;
    use crate::record::kind::RecordKind;

    #[test]
    fn rows_become_records_named_by_the_header() {
        let mut sink = CollectSink::default();
        let mut input: &[u8] = b"question,answer\n\"What, exactly?\",42\nonly-one-field\nq2,a2\n";
        read(&mut input, Dialect::CSV, 1000, &mut sink).unwrap();
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
        read(&mut input, Dialect::TSV, 1000, &mut sink).unwrap();
        assert_eq!(sink.records[0].kind, RecordKind::Labeled);
    }
}
