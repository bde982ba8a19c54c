//! Arrow IPC, file form (`ARROW1` magic) and stream form (the Hugging Face `datasets`
//! cache). Both are read as a stream of messages feeding the shared columnar walker.
//!
//! The file form holds the stream form between its 8-byte header and its footer, so it
//! is read the same way: a truncated file keeps every complete batch before the cut
//! (the footer, which the random-access reader needs first, is what a cut loses).
//! Every message passes through a [`MessageGuard`], which checks the lengths a message
//! declares before the `arrow` crate allocates by them.

use std::io::{self, BufReader, Read};
use std::sync::Arc;

use arrow_ipc::reader::StreamReader;

use super::ReadOptions;
use super::columnar::{contained, emit_batch, kind_of};
use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::sink::RecordSink;
use crate::bytesource::{ByteSource, SourceCursor};

const FILE_MAGIC: &[u8] = b"ARROW1";
/// The file form's header: the magic padded to 8 bytes.
const FILE_HEADER: u64 = 8;
/// The largest alignment IPC writers pad to.
const MAX_ALIGNMENT: u64 = 64;
/// The file form's trailer after the footer: its length (4 bytes) and the magic.
const FILE_TRAILER: u64 = 10;

/// Reads an uncompressed Arrow file in either form, chosen by its magic.
pub fn read_source(
    source: Arc<dyn ByteSource>,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let mut magic = [0u8; 6];
    let n = source
        .read_at(0, &mut magic)
        .map_err(|e| ReadError::io(&e, ErrorLocation::byte(0)))?;
    let len = source.len();
    let (start, end) = if magic[..n] == *FILE_MAGIC {
        (stream_start(source.as_ref()), stream_end(source.as_ref()))
    } else {
        (0, len)
    };
    let start = start.min(end);
    let cursor = BufReader::new(SourceCursor::new(source, start));
    let guard = MessageGuard::new(cursor, options.max_record_bytes, Some(end - start));
    emit_batches(guard, options, sink)
}

/// Reads the stream form from any reader (compressed Arrow files are only readable in
/// stream form, which needs no seeking).
pub fn read_stream(
    input: impl Read,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    emit_batches(
        MessageGuard::new(input, options.max_record_bytes, None),
        options,
        sink,
    )
}

/// Where the stream inside a file form starts: after the magic, padded to the writer's
/// alignment (8 bytes in the format's text, 64 from arrow-rs). A stream never opens
/// with a zero word, so the first non-zero aligned word is its first message.
fn stream_start(source: &dyn ByteSource) -> u64 {
    (FILE_HEADER..=MAX_ALIGNMENT)
        .step_by(FILE_HEADER as usize)
        .find(|&at| {
            let mut word = [0u8; 4];
            source.read_at(at, &mut word).ok() == Some(4) && word != [0; 4]
        })
        .unwrap_or(FILE_HEADER)
}

/// Where the stream inside a file form ends: at its footer when the trailer is intact,
/// else at the end of the file (a truncated file).
fn stream_end(source: &dyn ByteSource) -> u64 {
    let len = source.len();
    let mut trailer = [0u8; FILE_TRAILER as usize];
    let Some(at) = len.checked_sub(FILE_TRAILER) else {
        return len;
    };
    if source.read_at(at, &mut trailer).ok() != Some(trailer.len()) || &trailer[4..] != FILE_MAGIC {
        return len;
    }
    let footer = u64::from(u32::from_le_bytes([
        trailer[0], trailer[1], trailer[2], trailer[3],
    ]));
    at.checked_sub(footer)
        .filter(|&end| end >= FILE_HEADER)
        .unwrap_or(len)
}

fn emit_batches(
    input: impl Read,
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let reader = open_contained(|| StreamReader::try_new(input, None))?;
    let kind = kind_of(&reader.schema());
    let mut ordinal = 0u64;
    for (index, batch) in contained(reader).enumerate() {
        let location = ErrorLocation::batch(index as u64);
        let batch = batch.map_err(|e| ReadError::new(ErrorKind::Structure, e, location.clone()))?;
        emit_batch(
            &batch,
            &kind,
            ordinal,
            options.max_record_bytes,
            &location,
            sink,
        );
        ordinal += batch.num_rows() as u64;
    }
    Ok(())
}

/// Opens a reader, which parses the schema at the start of the stream; errors and
/// contained library panics there are located at byte 0.
fn open_contained<R>(
    open: impl FnOnce() -> Result<R, arrow_schema::ArrowError>,
) -> Result<R, ReadError> {
    let start = ErrorLocation::byte(0);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(open)) {
        Ok(Ok(reader)) => Ok(reader),
        Ok(Err(e)) => Err(ReadError::new(ErrorKind::Structure, e, start)),
        Err(_) => Err(ReadError::new(
            ErrorKind::Structure,
            "the Arrow library crashed reading the schema (contained); the file is malformed",
            start,
        )),
    }
}

/// The stream form's continuation marker, before each message's metadata length.
const CONTINUATION: [u8; 4] = [0xff; 4];

/// Passes an IPC stream through unchanged while following its framing (length prefix,
/// metadata, body), so a message that declares metadata or a body over
/// `--max-record-bytes`, or past the end of the file, fails as an I/O error before the
/// `arrow` crate reserves that many bytes.
pub struct MessageGuard<R> {
    inner: R,
    limit: usize,
    /// Bytes the file still holds, when it is a file; reading stops there.
    remaining: Option<u64>,
    /// Prefix and metadata of the current message, checked, waiting to be handed on.
    pending: Vec<u8>,
    served: usize,
    /// Body bytes of the current message still to pass through.
    body: u64,
}

impl<R: Read> MessageGuard<R> {
    /// Guards `inner`: messages over `limit` bytes, or claiming more than `remaining`
    /// bytes (when the file's size is known), are refused before they are buffered.
    pub fn new(inner: R, limit: usize, remaining: Option<u64>) -> Self {
        MessageGuard {
            inner,
            limit,
            remaining,
            pending: Vec::new(),
            served: 0,
            body: 0,
        }
    }

    /// Reads the next message's prefix and metadata into `pending`, checking both
    /// declared lengths.
    fn next_message(&mut self) -> io::Result<()> {
        self.pending.clear();
        self.served = 0;
        let mut word = [0u8; 4];
        if self.fill(&mut word)? < 4 {
            return Ok(()); // the end, or a truncation the reader reports
        }
        if word == CONTINUATION && self.fill(&mut word)? < 4 {
            return Ok(());
        }
        let meta_len = u32::from_le_bytes(word) as u64;
        self.check(meta_len, "metadata")?;
        let prefix = self.pending.len();
        self.pending.resize(prefix + meta_len as usize, 0);
        let got = read_full(&mut self.inner, &mut self.pending[prefix..])?;
        self.pending.truncate(prefix + got);
        self.spend(got as u64);
        if got as u64 != meta_len || meta_len == 0 {
            return Ok(());
        }
        let Ok(message) = arrow_ipc::root_as_message(&self.pending[prefix..]) else {
            return Ok(());
        };
        let body = u64::try_from(message.bodyLength()).map_err(|_| {
            invalid(format!(
                "a message declares a body of {} bytes",
                message.bodyLength()
            ))
        })?;
        self.check(body, "body")?;
        let batch = message
            .header_as_record_batch()
            .or_else(|| message.header_as_dictionary_batch().and_then(|d| d.data()));
        let buffers = match batch {
            Some(batch) if batch.compression().is_some() => batch.buffers(),
            _ => None,
        };
        let Some(buffers) = buffers else {
            self.body = body;
            return Ok(());
        };
        // Compressed buffers each open with their decompressed length, which arrow
        // allocates: the body is read (it is within the bound) and those checked.
        let spans: Vec<(i64, i64)> = buffers.iter().map(|b| (b.offset(), b.length())).collect();
        let start = self.pending.len();
        self.pending.resize(start + body as usize, 0);
        let got = read_full(&mut self.inner, &mut self.pending[start..])?;
        self.pending.truncate(start + got);
        self.spend(got as u64);
        let declared = decompressed_total(&self.pending[start..], &spans);
        self.check_bound(declared, "decompressed buffers")
    }

    /// Reads up to 4 bytes of framing into `word`, keeping them for the reader.
    fn fill(&mut self, word: &mut [u8; 4]) -> io::Result<usize> {
        let want = match self.remaining {
            Some(r) => r.min(4) as usize,
            None => 4,
        };
        let got = read_full(&mut self.inner, &mut word[..want])?;
        self.pending.extend_from_slice(&word[..got]);
        self.spend(got as u64);
        Ok(got)
    }

    /// Checks a length read from the file: within the bound and within the file.
    fn check(&self, declared: u64, what: &str) -> io::Result<()> {
        self.check_bound(declared, what)?;
        if self.remaining.is_some_and(|r| declared > r) {
            return Err(invalid(format!(
                "a message declares {declared} bytes of {what}, past the end of the file"
            )));
        }
        Ok(())
    }

    /// Checks a size to be materialised (decompressed sizes may exceed the file).
    fn check_bound(&self, declared: u64, what: &str) -> io::Result<()> {
        if declared > self.limit as u64 {
            return Err(invalid(format!(
                "a message declares {declared} bytes of {what}, over --max-record-bytes ({}); \
                 raise the limit to read it",
                self.limit
            )));
        }
        Ok(())
    }

    fn spend(&mut self, n: u64) {
        if let Some(r) = &mut self.remaining {
            *r = r.saturating_sub(n);
        }
    }
}

impl<R: Read> Read for MessageGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.served == self.pending.len() && self.body == 0 {
            self.next_message()?;
        }
        if self.served < self.pending.len() {
            let n = buf.len().min(self.pending.len() - self.served);
            buf[..n].copy_from_slice(&self.pending[self.served..self.served + n]);
            self.served += n;
            return Ok(n);
        }
        let want = (buf.len() as u64).min(self.body) as usize;
        let n = self.inner.read(&mut buf[..want])?;
        self.body -= n as u64;
        if n == 0 {
            self.body = 0; // truncated: the reader sees the end
        }
        self.spend(n as u64);
        Ok(n)
    }
}

/// The decompressed sizes a compressed batch's buffers declare (each buffer's first 8
/// bytes; -1 means stored uncompressed), added up.
fn decompressed_total(body: &[u8], spans: &[(i64, i64)]) -> u64 {
    spans
        .iter()
        .filter_map(|&(offset, length)| {
            let start = usize::try_from(offset).ok()?;
            (length >= 8).then_some(())?;
            let prefix: [u8; 8] = body.get(start..start.checked_add(8)?)?.try_into().ok()?;
            u64::try_from(i64::from_le_bytes(prefix)).ok()
        })
        .fold(0u64, u64::saturating_add)
}

/// Reads until `buf` is full or the input ends; returns how much was read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use arrow::array::{ArrayRef, RecordBatch, StringArray};

    use super::*;
    use crate::bytesource::MemorySource;
    use crate::formats::sink::CollectSink;

    #[test]
    fn a_message_claiming_2gb_of_metadata_is_refused_before_allocation() {
        let mut stream = CONTINUATION.to_vec();
        stream.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
        let options = ReadOptions::default();
        let mut sink = CollectSink::default();
        let err = read_stream(&stream[..], &options, &mut sink).unwrap_err();
        assert!(
            err.message.contains("--max-record-bytes"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_message_past_the_end_of_the_file_is_refused() {
        let mut stream = CONTINUATION.to_vec();
        stream.extend_from_slice(&4096u32.to_le_bytes());
        stream.extend_from_slice(&[0; 16]);
        let len = stream.len() as u64;
        let mut guard = MessageGuard::new(&stream[..], 1 << 20, Some(len));
        let err = guard.read(&mut [0u8; 8]).unwrap_err();
        assert!(err.to_string().contains("past the end"), "{err}");
    }

    #[test]
    fn the_file_form_is_read_as_its_stream() {
        let column = Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef;
        let batch = RecordBatch::try_from_iter(vec![("text", column)]).unwrap();
        let mut bytes = Vec::new();
        {
            let mut w =
                arrow::ipc::writer::FileWriter::try_new(&mut bytes, &batch.schema()).unwrap();
            w.write(&batch).unwrap();
            w.finish().unwrap();
        }
        let source: Arc<dyn ByteSource> = Arc::new(MemorySource::new("a.arrow", bytes.clone()));
        let mut sink = CollectSink::default();
        read_source(source, &ReadOptions::default(), &mut sink).unwrap();
        assert_eq!(sink.records.len(), 2);
    }

    /// Walks a stream's framing to the first record batch: (body start, buffer spans).
    fn first_batch_body(stream: &[u8]) -> (usize, Vec<(i64, i64)>) {
        let mut at = 0;
        loop {
            let len = u32::from_le_bytes(stream[at + 4..at + 8].try_into().unwrap()) as usize;
            let message = arrow::ipc::root_as_message(&stream[at + 8..at + 8 + len]).unwrap();
            let body = at + 8 + len;
            if let Some(batch) = message.header_as_record_batch() {
                let spans = batch.buffers().unwrap().iter();
                return (body, spans.map(|b| (b.offset(), b.length())).collect());
            }
            at = body + message.bodyLength() as usize;
        }
    }

    #[test]
    fn a_compressed_buffer_claiming_a_terabyte_is_refused_before_allocation() {
        let column = Arc::new(StringArray::from(vec!["compressible text"; 64])) as ArrayRef;
        let batch = RecordBatch::try_from_iter(vec![("text", column)]).unwrap();
        let options = arrow::ipc::writer::IpcWriteOptions::default()
            .try_with_compression(Some(arrow::ipc::CompressionType::ZSTD))
            .unwrap();
        let mut stream = Vec::new();
        {
            let mut w = arrow::ipc::writer::StreamWriter::try_new_with_options(
                &mut stream,
                &batch.schema(),
                options,
            )
            .unwrap();
            w.write(&batch).unwrap();
            w.finish().unwrap();
        }
        let (body, spans) = first_batch_body(&stream);
        let (offset, _) = spans.iter().copied().find(|&(_, len)| len >= 8).unwrap();
        let at = body + offset as usize;
        stream[at..at + 8].copy_from_slice(&(1i64 << 40).to_le_bytes());
        let mut sink = CollectSink::default();
        let err = read_stream(&stream[..], &ReadOptions::default(), &mut sink).unwrap_err();
        assert!(err.message.contains("decompressed"), "{}", err.message);
    }
}
