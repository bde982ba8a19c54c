//! The unit every reader produces and every analyzer consumes.
//!
//! Records borrow from the reader's buffers (`Cow`) so the hot path of a JSONL scan
//! allocates only for strings that contained escapes.

pub mod kind;

use std::borrow::Cow;

use kind::RecordKind;

/// One text field of a record: where it sits in the record and what it says.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    /// A path such as `messages[2].content` or `text`, stable across records of one
    /// layout so findings can point at the same column in every row.
    pub path: Cow<'a, str>,
    /// The field's text, decoded and unescaped.
    pub text: Cow<'a, str>,
}

/// One record as read from a file, before analysis.
#[derive(Debug)]
pub struct Record<'a> {
    /// 0-based ordinal within the work unit; units that start mid-file are shifted to
    /// file ordinals when the file's units are merged.
    pub ordinal: u64,
    /// 1-based line within the work unit, for line-based formats.
    pub line: Option<u64>,
    /// Absolute byte offset in the (decompressed) stream, where the format has one.
    pub offset: Option<u64>,
    /// The record's exact bytes: the raw line or element for text formats; a canonical
    /// serialisation of its values (binary ones aside) for CSV and columnar formats,
    /// which have no raw bytes of a record, so rows differing in any value differ here.
    pub raw: Cow<'a, [u8]>,
    /// The kind the reader recognised from the field names.
    pub kind: RecordKind,
    /// The text fields, in reading order; non-text values are not fields.
    pub fields: Vec<Field<'a>>,
    /// The raw bytes were not valid UTF-8 and were decoded with replacement characters.
    pub lossy_utf8: bool,
    /// The record's one field is the whole file's text (source code), so a position in
    /// it is a line of the file; findings then carry their line number.
    pub whole_file: bool,
}

impl<'a> Record<'a> {
    /// An empty record of `kind` at `ordinal`, for readers to fill.
    pub fn new(ordinal: u64, kind: RecordKind) -> Self {
        Record {
            ordinal,
            line: None,
            offset: None,
            raw: Cow::Borrowed(&[]),
            kind,
            fields: Vec::new(),
            lossy_utf8: false,
            whole_file: false,
        }
    }
}
