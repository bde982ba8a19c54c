//! Plain text and Markdown, split into records by `--text-unit`.
//!
//! `line` (the default) follows the Hugging Face `text` loader: every line is a record,
//! blank ones included. `paragraph` splits on blank lines; `file` makes the whole file
//! one record. Paragraphs and files are bounded by `--max-record-bytes` like lines.

use std::borrow::Cow;
use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::lines::LineReader;
use super::sink::RecordSink;
use super::{decode_utf8, too_large};
use crate::record::kind::RecordKind;
use crate::record::{Field, Record};

/// How a text file is cut into records. The variants' doc comments are for rustdoc only
/// (`help = None`): clap would otherwise turn them into `scan --help` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum TextUnit {
    /// One record per line, as the Hugging Face `text` loader (the default).
    #[default]
    #[value(help = None)]
    Line,
    /// One record per blank-line-separated paragraph.
    #[value(help = None)]
    Paragraph,
    /// The whole file is one record.
    #[value(help = None)]
    File,
}

/// The field path text records carry, as in the Hugging Face `text` loader.
pub const TEXT_FIELD: &str = "text";

/// Reads a text or Markdown file as records of `unit`; a record over `max_record`
/// bytes is reported `too_large` and skipped.
pub fn read<R: BufRead>(
    lines: &mut LineReader<R>,
    unit: TextUnit,
    max_record: usize,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let mut block = Block::default();
    let mut ordinal = 0u64;
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                block.emit(&mut ordinal, sink);
                return Err(ReadError::io(&e, ErrorLocation::byte(lines.offset())));
            }
        };
        let location = ErrorLocation::line(line.number, line.offset);
        if let Some(len) = line.oversized {
            block.clear();
            sink.error(too_large(len, location));
            block.skipping = unit != TextUnit::Line;
            continue;
        }
        match unit {
            TextUnit::Line => {
                block.start(line.number, line.offset);
                block.bytes.extend_from_slice(line.bytes);
                block.emit(&mut ordinal, sink);
            }
            TextUnit::Paragraph if line.bytes.iter().all(u8::is_ascii_whitespace) => {
                block.emit(&mut ordinal, sink);
                block.skipping = false;
            }
            TextUnit::Paragraph | TextUnit::File => {
                if block.skipping {
                    continue;
                }
                block.append(line.bytes, line.number, line.offset);
                if block.bytes.len() > max_record {
                    sink.error(too_large(block.bytes.len() as u64, block.location()));
                    block.clear();
                    block.skipping = true;
                }
            }
        }
    }
    block.emit(&mut ordinal, sink);
    Ok(())
}

/// The record being assembled: a line, a paragraph or a whole file.
#[derive(Default)]
struct Block {
    bytes: Vec<u8>,
    line: u64,
    offset: u64,
    open: bool,
    /// The current paragraph or file went over the bound: drop lines until it ends.
    skipping: bool,
}

impl Block {
    fn start(&mut self, line: u64, offset: u64) {
        if !self.open {
            self.open = true;
            self.line = line;
            self.offset = offset;
        }
    }

    fn append(&mut self, bytes: &[u8], line: u64, offset: u64) {
        if self.open {
            self.bytes.push(b'\n');
        }
        self.start(line, offset);
        self.bytes.extend_from_slice(bytes);
    }

    fn location(&self) -> ErrorLocation {
        ErrorLocation::line(self.line, self.offset)
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.open = false;
    }

    fn emit(&mut self, ordinal: &mut u64, sink: &mut dyn RecordSink) {
        if !self.open {
            return;
        }
        let (text, lossy) = decode_utf8(&self.bytes);
        if lossy {
            sink.error(ReadError::new(
                ErrorKind::Encoding,
                "invalid UTF-8; the text was read with replacement characters",
                self.location(),
            ));
        }
        let mut record = Record::new(*ordinal, RecordKind::Text);
        record.line = Some(self.line);
        record.offset = Some(self.offset);
        record.raw = Cow::Borrowed(&self.bytes);
        record.lossy_utf8 = lossy;
        record.fields.push(Field {
            path: Cow::Borrowed(TEXT_FIELD),
            text,
        });
        sink.record(&record);
        *ordinal += 1;
        drop(record);
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::sink::CollectSink;

    fn texts(input: &str, unit: TextUnit, max: usize) -> (Vec<String>, usize) {
        let mut sink = CollectSink::default();
        read(
            &mut LineReader::new(input.as_bytes(), 0, max),
            unit,
            max,
            &mut sink,
        )
        .unwrap();
        (
            sink.records.iter().map(|r| r.fields[0].1.clone()).collect(),
            sink.errors.len(),
        )
    }

    #[test]
    fn lines_paragraphs_and_files() {
        let doc = "a\nb\n\n\nc\n";
        assert_eq!(
            texts(doc, TextUnit::Line, 100).0,
            vec!["a", "b", "", "", "c"]
        );
        assert_eq!(texts(doc, TextUnit::Paragraph, 100).0, vec!["a\nb", "c"]);
        assert_eq!(texts(doc, TextUnit::File, 100).0, vec!["a\nb\n\n\nc"]);
    }

    #[test]
    fn oversized_paragraphs_are_skipped_with_an_error() {
        let doc = "aaaa\nbbbb\ncccc\n\nok\n";
        let (got, errors) = texts(doc, TextUnit::Paragraph, 8);
        assert_eq!(got, vec!["ok"]);
        assert_eq!(errors, 1);
    }
}
