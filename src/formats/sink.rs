//! The reader → analyzer seam.
//!
//! As in ripgrep, a reader pushes into a sink instead of returning an iterator: records
//! borrow the reader's buffers, and the sink decides what to keep.

use super::error::ReadError;
use crate::record::Record;

/// Receives what a reader finds.
pub trait RecordSink {
    /// One record; it borrows the reader's buffers only for the call.
    fn record(&mut self, record: &Record<'_>);
    /// A recoverable error: the reader has skipped the bad part and carries on.
    fn error(&mut self, error: ReadError);
}

/// A sink that keeps everything, for tests and small tools.
#[derive(Default)]
pub struct CollectSink {
    /// Records in the order they were read.
    pub records: Vec<OwnedRecord>,
    /// Recoverable errors in the order they were met.
    pub errors: Vec<ReadError>,
}

/// A record copied out of the reader's buffers.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedRecord {
    /// See `Record::ordinal`.
    pub ordinal: u64,
    /// See `Record::line`.
    pub line: Option<u64>,
    /// See `Record::offset`.
    pub offset: Option<u64>,
    /// See `Record::kind`.
    pub kind: crate::record::kind::RecordKind,
    /// The text fields as (path, text) pairs.
    pub fields: Vec<(String, String)>,
    /// See `Record::lossy_utf8`.
    pub lossy_utf8: bool,
}

impl RecordSink for CollectSink {
    fn record(&mut self, r: &Record<'_>) {
        self.records.push(OwnedRecord {
            ordinal: r.ordinal,
            line: r.line,
            offset: r.offset,
            kind: r.kind.clone(),
            fields: r
                .fields
                .iter()
                .map(|f| (f.path.to_string(), f.text.to_string()))
                .collect(),
            lossy_utf8: r.lossy_utf8,
        });
    }
    fn error(&mut self, error: ReadError) {
        self.errors.push(error);
    }
}
