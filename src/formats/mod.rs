//! The read stage: one module per format, each turning bytes into [`Record`]s pushed
//! into a [`RecordSink`].
//!
//! Readers are given bytes (a [`ByteSource`] or a stream), never a path. They never
//! panic on bad input: a bad record is reported to the sink and skipped, and a broken
//! stream ends the read with a located [`ReadError`], keeping every record read before.
//!
//! [`Record`]: crate::record::Record

pub mod arrow_ipc;
pub mod code;
pub mod columnar;
pub mod csv;
pub mod detect;
pub mod error;
pub mod json;
pub mod json_walk;
pub mod jsonl;
pub mod lines;
pub mod parquet;
pub mod sink;
pub mod text;
pub mod thrift;

use std::borrow::Cow;
use std::io::{self, BufReader, Read};
use std::sync::Arc;

pub use detect::{Compression, Format, Modality};
pub use error::{ErrorKind, ErrorLocation, ReadError};
pub use sink::RecordSink;
pub use text::TextUnit;

use crate::bytesource::{ByteSource, READ_BUFFER};
use lines::LineReader;

/// Options every reader honours.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// How text and Markdown files are cut into records (`--text-unit`).
    pub text_unit: TextUnit,
    /// Records longer than this are reported and skipped, so memory stays bounded.
    pub max_record_bytes: usize,
    /// Decompressed bytes allowed per compressed byte (`--max-expansion`); see
    /// [`expansion_cap`].
    pub max_expansion: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_unit: TextUnit::Line,
            max_record_bytes: 32 << 20,
            max_expansion: DEFAULT_MAX_EXPANSION,
        }
    }
}

/// Gzip text reaches 5–10×, zstd at high levels on repetitive logs a few hundred
/// times; 1000× is beyond honest data and still stops a bomb (42 KB → 4.5 PB) early.
pub const DEFAULT_MAX_EXPANSION: u64 = 1000;

/// The cap is never below this, so small compressed files of very repetitive but
/// honest content (a few KB of gzip over blank CSV rows) are never flagged.
pub const MIN_EXPANSION_CAP: u64 = 64 << 20;

/// How many decompressed bytes a compressed file of `compressed` bytes may yield.
pub fn expansion_cap(compressed: u64, ratio: u64) -> u64 {
    compressed.saturating_mul(ratio).max(MIN_EXPANSION_CAP)
}

/// A decompressed stream cut off at its cap: reading past it fails, and `tripped`
/// tells the caller why the reader stopped (the reader sees only an I/O error).
pub struct Capped<R> {
    inner: R,
    left: u64,
    tripped: bool,
}

impl<R: Read> Capped<R> {
    /// `inner` yields at most `cap` bytes through this reader (see [`expansion_cap`]).
    pub fn new(inner: R, cap: u64) -> Self {
        Capped {
            inner,
            left: cap,
            tripped: false,
        }
    }

    /// Whether the stream went on past the cap.
    pub fn tripped(&self) -> bool {
        self.tripped
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // Exactly at the cap is allowed: only a byte beyond it trips.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.tripped = true;
            return Err(io::Error::other("decompressed size over --max-expansion"));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

impl ReadOptions {
    /// Copies of one record a worker may hold at once: the reader's buffer, a lossy
    /// UTF-8 decoding, the extracted field text and the analysers' normalised text.
    pub const COPIES_PER_RECORD: u64 = 4;

    /// Refuses a record bound the machine cannot honour on `threads` workers at once
    /// (the smaller of physical memory and the address-space limit), so a large
    /// `--max-record-bytes` fails up front instead of aborting the audit half-way.
    pub fn check_memory(&self, threads: usize) -> Result<(), String> {
        let Some(available) = memory_limit() else {
            return Ok(());
        };
        let need = (self.max_record_bytes as u64)
            .saturating_mul(Self::COPIES_PER_RECORD)
            .saturating_mul(threads.max(1) as u64);
        if need <= available {
            return Ok(());
        }
        Err(format!(
            "--max-record-bytes {} needs up to {need} bytes ({} copies of a record on each of \
             {threads} threads) but this machine allows {available}; lower it, or use fewer \
             --threads",
            self.max_record_bytes,
            Self::COPIES_PER_RECORD
        ))
    }
}

/// The memory a process may use: physical memory (`/proc/meminfo`), bounded by the
/// address-space limit (`ulimit -v`) when one is set. `None` where neither is known.
fn memory_limit() -> Option<u64> {
    let physical = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| proc_value(&text, "MemTotal:").map(|kib| kib.saturating_mul(1024)));
    let address_space = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| proc_value(&text, "Max address space"));
    match (physical, address_space) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The first number after `key` on its line (`unlimited` is none).
fn proc_value(text: &str, key: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

/// Wraps a raw stream in its decompressor.
pub fn decompress<'a>(
    raw: impl Read + 'a,
    compression: Compression,
) -> io::Result<Box<dyn Read + 'a>> {
    Ok(match compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            READ_BUFFER,
            raw,
        ))),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(raw)?),
    })
}

/// Reads a whole file as a stream: every format except random-access ones (Parquet,
/// uncompressed Arrow files), which go through [`read_random_access`].
pub fn read_stream(
    format: &Format,
    input: &mut dyn Read,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    read_stream_sized(format, input, None, options, sink)
}

/// [`read_stream`] of an input known to hold `len` bytes: a small file gets a read
/// buffer of its size, not [`READ_BUFFER`], since the first fill of a buffer zeroes all
/// of it (a 256 KiB memset per file was 4% of a scan of small files). The records are
/// the same whatever the buffer.
pub fn read_stream_sized(
    format: &Format,
    input: &mut dyn Read,
    len: Option<u64>,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let buffered = |input| buffered(input, len);
    let max = options.max_record_bytes;
    match format {
        Format::Jsonl => jsonl::read(&mut LineReader::new(buffered(input), 0, max), sink),
        Format::Text | Format::Markdown => text::read(
            &mut LineReader::new(buffered(input), 0, max),
            options.text_unit,
            max,
            sink,
        ),
        Format::Json => json::read(input, max, sink),
        Format::Csv => csv::read(input, csv::Dialect::CSV, max, sink),
        Format::Tsv => csv::read(input, csv::Dialect::TSV, max, sink),
        Format::Code => code::read(input, max, sink),
        Format::Arrow => arrow_ipc::read_stream(buffered(input), options, sink),
        Format::Parquet => Err(ReadError::new(
            ErrorKind::Unsupported,
            "compressed Parquet cannot be read in place; decompress it first (Parquet compresses its own pages)",
            ErrorLocation::default(),
        )),
        Format::Image
        | Format::Audio
        | Format::Video
        | Format::Provenance
        | Format::Unknown
        | Format::Other(_) => Ok(()),
    }
}

/// Reads the lines that start in `[start, end)` of an uncompressed line-based file.
/// Line numbers in the sink are relative to the range (the scanner shifts them);
/// returns how many lines the range held, with the outcome.
pub fn read_line_range(
    format: &Format,
    source: Arc<dyn ByteSource>,
    start: u64,
    end: u64,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> (u64, Result<(), ReadError>) {
    // Open one byte early: if that byte is a newline, the range starts on a line.
    let open_at = start.saturating_sub(1);
    let cursor = crate::bytesource::SourceCursor::new(source, open_at);
    let mut lines = LineReader::new(
        BufReader::with_capacity(READ_BUFFER, cursor),
        open_at,
        options.max_record_bytes,
    )
    .with_limit(end);
    if start > 0
        && let Err(e) = lines.skip_partial_line()
    {
        return (0, Err(ReadError::io(&e, ErrorLocation::byte(open_at))));
    }
    let outcome = match format {
        Format::Jsonl => jsonl::read(&mut lines, sink),
        _ => text::read(&mut lines, TextUnit::Line, options.max_record_bytes, sink),
    };
    (lines.lines_read(), outcome)
}

/// Reads formats that need random access to the whole, uncompressed file.
pub fn read_random_access(
    format: &Format,
    source: Arc<dyn ByteSource>,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    match format {
        Format::Arrow => arrow_ipc::read_source(source, options, sink),
        Format::Parquet => {
            let plan = parquet::plan(source.clone())?;
            (0..plan.row_group_rows.len()).try_for_each(|rg| {
                parquet::read_row_group(source.clone(), &plan, rg, options, sink)
            })
        }
        _ => Ok(()),
    }
}

/// Whether a format needs [`read_random_access`] rather than a stream.
pub fn needs_random_access(format: &Format, compression: Compression) -> bool {
    compression == Compression::None && matches!(format, Format::Parquet | Format::Arrow)
}

/// The smallest read buffer [`read_stream_sized`] gives a small input.
const MIN_READ_BUFFER: usize = 8 * 1024;

fn buffered(input: &mut dyn Read, len: Option<u64>) -> BufReader<&mut dyn Read> {
    let capacity = len.map_or(READ_BUFFER, |n| {
        usize::try_from(n.saturating_add(1))
            .map_or(READ_BUFFER, |n| n.clamp(MIN_READ_BUFFER, READ_BUFFER))
    });
    BufReader::with_capacity(capacity, input)
}

/// Decodes UTF-8, falling back to replacement characters. Returns whether it had to.
pub(crate) fn decode_utf8(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    }
}

pub(crate) fn too_large(len: u64, location: ErrorLocation) -> ReadError {
    ReadError::new(
        ErrorKind::TooLarge,
        format!(
            "record of {len} bytes is over --max-record-bytes; skipped (raise the limit to read it)"
        ),
        location,
    )
}
