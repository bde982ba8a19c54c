//! Running one work unit: read, analyse, and tally into a [`UnitResult`].

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::plan::Work;
use crate::aggregate::{ContentStats, ErrorStats};
use crate::analyze::{self, fingerprint::Fingerprint};
use crate::bytesource::{ByteSource, SourceCursor};
use crate::formats::{
    self, Compression, ErrorKind, ErrorLocation, Format, ReadError, ReadOptions, RecordSink,
};
use crate::record::Record;

/// Fingerprints are already uniformly distributed: hashing them again is wasted work.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

pub type FingerprintSet = HashSet<Fingerprint, BuildHasherDefault<IdentityHasher>>;

/// What one unit learned.
#[derive(Default)]
pub struct UnitResult {
    pub content: ContentStats,
    pub errors: ErrorStats,
    /// Records that have text and so take part in duplicate counting.
    pub dedup_records: u64,
    pub exact: FingerprintSet,
    pub normalized: FingerprintSet,
    /// Lines the unit consumed (byte-range units), to shift later ranges' line numbers.
    pub lines: u64,
    pub sha256: Option<[u8; 32]>,
    /// An error that ended the unit early.
    pub fatal: Option<ReadError>,
}

/// Tallies records as a reader pushes them.
struct UnitSink<'r> {
    result: &'r mut UnitResult,
}

impl RecordSink for UnitSink<'_> {
    fn record(&mut self, record: &Record<'_>) {
        let facts = analyze::analyze(record);
        self.result.content.observe(&facts);
        if !record.fields.is_empty() {
            self.result.dedup_records += 1;
            self.result.exact.insert(facts.exact);
            self.result.normalized.insert(facts.normalized);
        }
    }

    fn error(&mut self, error: ReadError) {
        self.result.errors.record(error);
    }
}

/// Runs a unit. Never panics: a panic inside a reader library (seen on fuzzed Arrow
/// files) is caught and reported as the file's error.
pub fn execute(
    work: &Work,
    format: Format,
    compression: Compression,
    source: &Arc<dyn ByteSource>,
    options: &ReadOptions,
) -> UnitResult {
    let mut result = UnitResult::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        run(work, format, compression, source, options, &mut result)
    }));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => result.fatal = Some(e),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            result.fatal = Some(ReadError::new(
                ErrorKind::Structure,
                format!(
                    "the reader library crashed on this file and the crash was contained: {what}"
                ),
                ErrorLocation::default(),
            ));
        }
    }
    result
}

fn run(
    work: &Work,
    format: Format,
    compression: Compression,
    source: &Arc<dyn ByteSource>,
    options: &ReadOptions,
    result: &mut UnitResult,
) -> Result<(), ReadError> {
    match work {
        Work::Hash => {
            result.sha256 = Some(hash_source(source)?);
            Ok(())
        }
        Work::Stream => stream(format, compression, source, options, result),
        Work::RandomAccess => {
            let mut sink = UnitSink { result };
            formats::read_random_access(format, source.clone(), &mut sink)
        }
        Work::Range { start, end } => {
            let mut sink = UnitSink { result };
            let (lines, outcome) =
                formats::read_line_range(format, source.clone(), *start, *end, options, &mut sink);
            result.lines = lines;
            outcome
        }
        Work::RowGroup { index, plan, .. } => {
            let mut sink = UnitSink { result };
            formats::parquet::read_row_group(source.clone(), plan, *index, &mut sink)
        }
    }
}

/// Reads a file front to back once: the raw bytes feed SHA-256, the decompressed bytes
/// feed the reader. Bytes the reader leaves unread (after a fatal error) are still hashed.
fn stream(
    format: Format,
    compression: Compression,
    source: &Arc<dyn ByteSource>,
    options: &ReadOptions,
    result: &mut UnitResult,
) -> Result<(), ReadError> {
    let mut raw = HashingReader::new(SourceCursor::new(source.clone(), 0));
    let outcome = {
        let mut sink = UnitSink { result };
        match formats::decompress(&mut raw, compression) {
            Ok(mut input) => formats::read_stream(format, &mut input, options, &mut sink),
            Err(e) => Err(ReadError::io(&e, ErrorLocation::byte(0))),
        }
    };
    let hashed = raw
        .finish()
        .map_err(|e| ReadError::io(&e, ErrorLocation::default()));
    match hashed {
        Ok(digest) => result.sha256 = Some(digest),
        Err(e) => return outcome.and(Err(e)),
    }
    outcome
}

fn hash_source(source: &Arc<dyn ByteSource>) -> Result<[u8; 32], ReadError> {
    HashingReader::new(SourceCursor::new(source.clone(), 0))
        .finish()
        .map_err(|e| ReadError::io(&e, ErrorLocation::default()))
}

/// Hashes every byte that passes through it.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> HashingReader<R> {
    fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Hashes whatever is left unread and returns the digest.
    fn finish(mut self) -> io::Result<[u8; 32]> {
        let mut buf = vec![0u8; formats::READ_BUFFER];
        loop {
            match self.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.hasher.finalize().into())
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}
