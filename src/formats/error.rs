//! Located, typed read errors.
//!
//! A reader error always says where it happened, in the units an editor or a Parquet
//! tool understands (1-based line, row group, record batch, byte offset), so a user can
//! open the file at the spot. Messages never quote record content: library messages are
//! cut short and stripped of anything that looks like quoted input.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where in a file an error happened. Every field is optional because formats differ
/// in what they can say.
#[derive(Debug, Default, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ErrorLocation {
    /// 0-based row group of a Parquet file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_group: Option<u64>,
    /// 0-based record batch of an Arrow IPC file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<u64>,
    /// 0-based row of a columnar file (within its row group for Parquet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// 1-based line number (in the decompressed stream for compressed files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Byte offset (in the decompressed stream for compressed files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_offset: Option<u64>,
}

impl ErrorLocation {
    /// A line of a line-based format and the byte offset where it starts.
    pub fn line(line: u64, byte_offset: u64) -> Self {
        ErrorLocation {
            line: Some(line),
            byte_offset: Some(byte_offset),
            ..Default::default()
        }
    }
    /// A byte offset, for formats without lines.
    pub fn byte(byte_offset: u64) -> Self {
        ErrorLocation {
            byte_offset: Some(byte_offset),
            ..Default::default()
        }
    }
    /// A Parquet row group.
    pub fn row_group(index: u64) -> Self {
        ErrorLocation {
            row_group: Some(index),
            ..Default::default()
        }
    }
    /// An Arrow IPC record batch.
    pub fn batch(index: u64) -> Self {
        ErrorLocation {
            batch: Some(index),
            ..Default::default()
        }
    }
}

impl ErrorLocation {
    /// Whether the location says nothing more precise than "the file".
    pub fn is_whole_file(&self) -> bool {
        *self == ErrorLocation::default()
    }
}

/// The one way a location is written, in the ledger's messages and in reports alike.
impl fmt::Display for ErrorLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(rg) = self.row_group {
            parts.push(format!("row group {rg}"));
        }
        if let Some(b) = self.batch {
            parts.push(format!("record batch {b}"));
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        if let Some(o) = self.byte_offset {
            parts.push(format!("byte {o}"));
        }
        if parts.is_empty() {
            f.write_str("whole file")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// What went wrong, coarse enough to count and filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file could not be opened or read.
    Io,
    /// A compressed stream was corrupt or truncated.
    Decompress,
    /// A record did not parse in its format.
    Syntax,
    /// Bytes that are not valid UTF-8 (the record was still read, lossily).
    Encoding,
    /// A record longer than `--max-record-bytes`, skipped to keep memory bounded.
    TooLarge,
    /// The file's structure (footer, schema, header) is unusable.
    Structure,
    /// The file is in a form provaudit does not read (encrypted, compressed columnar).
    Unsupported,
    /// The file changed while it was read (size, modification time or identity differ
    /// from the plan, or fewer bytes than planned): its records and hash describe no
    /// single version of it.
    Changed,
}

impl ReadError {
    /// The error a file gets when it changed while it was read; `why` says how.
    pub fn changed(why: &str) -> Self {
        ReadError::new(
            ErrorKind::Changed,
            format!("changed during the scan: {why}; scan it again once it is stable"),
            ErrorLocation::default(),
        )
    }
}

/// A located read error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadError {
    /// What went wrong, as counted in the ledger.
    pub kind: ErrorKind,
    /// A one-line explanation of bounded length whose quoted fragments are replaced by
    /// `"…"`: library messages can quote the input, which may hold personal information.
    pub message: String,
    /// Where in the file it went wrong.
    pub location: ErrorLocation,
}

/// Library messages longer than this are cut: they can embed whole input fragments.
const MAX_MESSAGE: usize = 160;

impl ReadError {
    /// A located error; `message` is sanitised (bounded, one line) before it is kept.
    pub fn new(kind: ErrorKind, message: impl fmt::Display, location: ErrorLocation) -> Self {
        ReadError {
            kind,
            message: sanitize(&message.to_string()),
            location,
        }
    }

    /// A located error from an I/O error: invalid data and an early end count as
    /// `decompress` errors (a damaged stream), anything else as `io`.
    pub fn io(err: &std::io::Error, location: ErrorLocation) -> Self {
        let kind = match err.kind() {
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof => {
                ErrorKind::Decompress
            }
            _ => ErrorKind::Io,
        };
        ReadError::new(kind, err, location)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {})", self.message, self.location)
    }
}

impl std::error::Error for ReadError {}

/// Keeps messages to one short line and drops quoted fragments: a parser that echoes
/// "invalid value \"13800138000\"" must not carry the value into the ledger.
fn sanitize(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE));
    let mut in_quote: Option<char> = None;
    for c in message.chars() {
        match (in_quote, c) {
            (None, '"' | '`' | '\'') if out.ends_with([' ', ':', '(']) || out.is_empty() => {
                in_quote = Some(c);
                out.push_str("\"…\"");
            }
            (Some(q), c) if c == q => in_quote = None,
            (Some(_), _) => {}
            (None, '\n' | '\r' | '\t') => out.push(' '),
            (None, c) => out.push(c),
        }
        if out.chars().count() >= MAX_MESSAGE {
            out.push('…');
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_drop_quoted_input() {
        let e = ReadError::new(
            ErrorKind::Syntax,
            "invalid value: string \"13800138000\", expected u8",
            ErrorLocation::line(3, 120),
        );
        assert!(!e.message.contains("13800138000"), "{}", e.message);
        assert_eq!(
            e.to_string(),
            "invalid value: string \"…\", expected u8 (at line 3, byte 120)"
        );
    }

    #[test]
    fn keeps_apostrophes_inside_words() {
        let e = ReadError::new(ErrorKind::Syntax, "can't parse", ErrorLocation::default());
        assert_eq!(e.message, "can't parse");
    }
}
