//! Where a file's bytes come from.
//!
//! Readers never see a path: they get a [`ByteSource`], which a local file implements
//! today and an object-store object can implement tomorrow (ranged GETs map onto
//! [`ByteSource::read_at`]). Keeping that seam here is what lets `s3://` data lakes and
//! local disks share every reader.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::progress::Meter;

/// Read buffer size of every reader and hasher: large enough that syscalls vanish from
/// profiles.
pub const READ_BUFFER: usize = 256 * 1024;

/// Random-access, thread-safe access to one file's bytes.
pub trait ByteSource: Send + Sync {
    /// Total length in bytes, as listed when the file was discovered.
    fn len(&self) -> u64;
    /// Reads up to `buf.len()` bytes at `offset`; returns how many were read (0 at end).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;
    /// A display name for messages (a relative path or an object key).
    fn name(&self) -> &str;

    /// Whether the source holds no bytes at all.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops whatever the source caches; it stays readable. The scan calls it when it
    /// is done with a file for now (after planning, after the file's last unit), so
    /// sources that cache (object-store blocks) hold memory only while in use.
    fn release(&self) {}

    /// Why the file is no longer what was planned (size, modification time or
    /// identity differ from when it was opened), or `None`. Sources that cannot tell
    /// say `None`; a short read is caught by [`check_unchanged`] whatever the source.
    fn changed(&self) -> Option<String> {
        None
    }
}

/// Whether a source still is what was planned after `hashed` bytes were read from it:
/// a file that shrank at a line boundary otherwise reads cleanly, and its row would
/// pair the planned size with the hash of what remained.
pub fn check_unchanged(source: &dyn ByteSource, hashed: u64) -> Result<(), String> {
    if hashed != source.len() {
        return Err(format!(
            "{hashed} bytes were read where {} were planned",
            source.len()
        ));
    }
    source.changed().map_or(Ok(()), Err)
}

/// A byte source that counts what is read from it into a [`Meter`], up to `cap`
/// bytes (the share of the file its unit stands for), so bytes advance while a large
/// file is read instead of when it is finished. A reader that reads some bytes twice
/// (a footer, a hash pass) cannot push the count past the cap, and whatever of the cap
/// was not read (a reader that stopped early) is counted when the source is dropped,
/// so the total ends exact.
pub struct Metered {
    inner: Arc<dyn ByteSource>,
    meter: Meter,
    left: AtomicU64,
}

impl Metered {
    /// `inner`, counting at most `cap` bytes into `meter`.
    pub fn wrap(inner: Arc<dyn ByteSource>, cap: u64, meter: &Meter) -> Arc<dyn ByteSource> {
        Arc::new(Metered {
            inner,
            meter: meter.clone(),
            left: AtomicU64::new(cap),
        })
    }

    fn count(&self, read: u64) {
        let taken = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                Some(left.saturating_sub(read))
            })
            .map_or(0, |left| left.min(read));
        self.meter.add(0, taken);
    }
}

impl Drop for Metered {
    fn drop(&mut self) {
        let rest = self.left.swap(0, Ordering::Relaxed);
        self.meter.add(0, rest);
    }
}

impl ByteSource for Metered {
    fn len(&self) -> u64 {
        self.inner.len()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read_at(offset, buf)?;
        self.count(n as u64);
        Ok(n)
    }

    fn name(&self) -> &str {
        self.inner.name()
    }

    fn release(&self) {
        self.inner.release();
    }

    fn changed(&self) -> Option<String> {
        self.inner.changed()
    }
}

/// What identifies a local file's content cheaply: size, modification time (full
/// precision), device and inode (a file replaced by a rename has a new inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    dev: u64,
    ino: u64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    /// How `now` differs from `self`, in words.
    fn difference(&self, now: &Stamp) -> Option<String> {
        if (now.dev, now.ino) != (self.dev, self.ino) {
            Some("the file was replaced".into())
        } else if now.len != self.len {
            Some(format!(
                "its size went from {} to {} bytes",
                self.len, now.len
            ))
        } else if now.modified != self.modified {
            Some("its modification time changed".into())
        } else {
            None
        }
    }
}

/// A file on a local disk, read with `pread` so many work units can share one
/// descriptor without seeking over each other.
///
/// The descriptor is opened when the file is planned (so a permission error is known
/// up front) and closed by [`ByteSource::release`] between planning and reading and
/// after the file's last unit, then reopened on demand: a scan of a million files
/// holds descriptors only for the files in flight, well under the usual limit of 1024.
pub struct LocalFile {
    path: PathBuf,
    file: Mutex<Option<Arc<File>>>,
    len: u64,
    name: String,
    /// The file as it was opened, to tell whether it changed while it was read.
    stamp: Stamp,
}

impl LocalFile {
    /// Opens `path` and records its size and modification time, so a change while it
    /// is read can be told; `name` is what messages show instead of the full path.
    pub fn open(path: &Path, name: String) -> io::Result<Self> {
        let file = File::open(path)?;
        let stamp = Stamp::of(&file.metadata()?);
        Ok(LocalFile {
            path: path.to_path_buf(),
            file: Mutex::new(Some(Arc::new(file))),
            len: stamp.len,
            name,
            stamp,
        })
    }

    /// The open descriptor, reopening the file after a release.
    fn descriptor(&self) -> io::Result<Arc<File>> {
        let mut slot = self.file.lock().unwrap_or_else(|p| p.into_inner());
        match &*slot {
            Some(file) => Ok(file.clone()),
            None => {
                let file = Arc::new(File::open(&self.path)?);
                *slot = Some(file.clone());
                Ok(file)
            }
        }
    }
}

impl ByteSource for LocalFile {
    fn len(&self) -> u64 {
        self.len
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let file = self.descriptor()?;
        loop {
            match file.read_at(buf, offset) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn release(&self) {
        *self.file.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
    fn changed(&self) -> Option<String> {
        match std::fs::metadata(&self.path) {
            Ok(meta) => self.stamp.difference(&Stamp::of(&meta)),
            Err(e) => Some(format!("it can no longer be read: {e}")),
        }
    }
}

/// An in-memory source, used by tests and by callers that already hold the bytes.
pub struct MemorySource {
    bytes: Vec<u8>,
    name: String,
}

impl MemorySource {
    /// A source over `bytes`, shown as `name` in messages.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        MemorySource {
            bytes,
            name: name.into(),
        }
    }
}

impl ByteSource for MemorySource {
    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        let n = buf.len().min(self.bytes.len() - start);
        buf[..n].copy_from_slice(&self.bytes[start..start + n]);
        Ok(n)
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// A `Read + Seek` cursor over a byte source, for decoders that want std I/O traits.
///
/// `end` bounds the cursor so a work unit reading a byte range cannot run past it by
/// accident; readers that need to finish a line beyond their range open a new cursor.
pub struct SourceCursor {
    source: Arc<dyn ByteSource>,
    pos: u64,
    end: u64,
}

impl SourceCursor {
    /// A cursor at `start`, bounded by the source's length.
    pub fn new(source: Arc<dyn ByteSource>, start: u64) -> Self {
        let end = source.len();
        SourceCursor {
            source,
            pos: start,
            end,
        }
    }

    /// The absolute offset of the next byte to read.
    pub fn position(&self) -> u64 {
        self.pos
    }
}

impl Read for SourceCursor {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.end {
            return Ok(0);
        }
        let want = buf.len().min((self.end - self.pos) as usize);
        let n = self.source.read_at(self.pos, &mut buf[..want])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SourceCursor {
    fn seek(&mut self, target: SeekFrom) -> io::Result<u64> {
        let next = match target {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.end.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match next {
            Some(p) => {
                self.pos = p;
                Ok(p)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )),
        }
    }
}

/// Hashes every byte that passes through it.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    /// Wraps `inner`; nothing is hashed until it is read.
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Hashes whatever is left unread and returns the digest.
    pub fn finish(self) -> io::Result<[u8; 32]> {
        self.finish_counted().map(|(digest, _)| digest)
    }

    /// Like [`HashingReader::finish`], with the number of bytes hashed in all.
    pub fn finish_counted(mut self) -> io::Result<([u8; 32], u64)> {
        // A reader usually leaves nothing: look with a small buffer first, since
        // zeroing a full read buffer per file was 8% of a scan of small files.
        let mut small = [0u8; 4096];
        let first = loop {
            match self.read(&mut small) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        if first == 0 {
            return Ok((self.hasher.finalize().into(), self.bytes));
        }
        let mut buf = vec![0u8; READ_BUFFER];
        loop {
            match self.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok((self.hasher.finalize().into(), self.bytes))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// SHA-256 of a source's whole content, streamed.
pub fn sha256(source: &Arc<dyn ByteSource>) -> io::Result<[u8; 32]> {
    sha256_counted(source).map(|(digest, _)| digest)
}

/// SHA-256 of a source's content with the number of bytes it really gave, which
/// [`check_unchanged`] compares with the planned length.
pub fn sha256_counted(source: &Arc<dyn ByteSource>) -> io::Result<([u8; 32], u64)> {
    HashingReader::new(SourceCursor::new(source.clone(), 0)).finish_counted()
}

/// Lower-case hex of a digest, the one spelling of every hash in provaudit's outputs.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(dir: &Path, bytes: &[u8]) -> (PathBuf, Arc<dyn ByteSource>) {
        let path = dir.join("data.jsonl");
        std::fs::write(&path, bytes).unwrap();
        let source = LocalFile::open(&path, "data.jsonl".into()).unwrap();
        source.release();
        (path, Arc::new(source))
    }

    #[test]
    fn a_file_that_shrinks_at_a_line_boundary_is_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (path, source) = planned(dir.path(), b"{\"a\":1}\n{\"a\":2}\n");
        std::fs::write(&path, b"{\"a\":1}\n").unwrap();
        let (_, hashed) = sha256_counted(&source).unwrap();
        let why = check_unchanged(source.as_ref(), hashed).unwrap_err();
        assert!(why.contains("planned"), "{why}");
    }

    #[test]
    fn a_replaced_file_of_the_same_size_is_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (path, source) = planned(dir.path(), b"{\"a\":1}\n");
        let other = dir.path().join("new");
        std::fs::write(&other, b"{\"b\":2}\n").unwrap();
        std::fs::rename(&other, &path).unwrap();
        let (_, hashed) = sha256_counted(&source).unwrap();
        let why = check_unchanged(source.as_ref(), hashed).unwrap_err();
        assert!(why.contains("replaced"), "{why}");
    }

    #[test]
    fn an_untouched_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let (_, source) = planned(dir.path(), b"{\"a\":1}\n");
        let (_, hashed) = sha256_counted(&source).unwrap();
        assert_eq!(check_unchanged(source.as_ref(), hashed), Ok(()));
    }

    #[test]
    fn a_metered_source_counts_up_to_its_cap_and_the_rest_when_dropped() {
        let meter = Meter::default();
        let source: Arc<dyn ByteSource> = Arc::new(MemorySource::new("x", vec![7; 100]));
        let metered = Metered::wrap(source, 60, &meter);
        let mut buf = [0u8; 40];
        assert_eq!(metered.read_at(0, &mut buf).ok(), Some(40));
        assert_eq!(meter.snapshot().bytes_done, 40);
        assert_eq!(metered.read_at(40, &mut buf).ok(), Some(40));
        assert_eq!(meter.snapshot().bytes_done, 60, "never past the cap");
        let short = Metered::wrap(metered, 0, &meter);
        drop(short);
        assert_eq!(meter.snapshot().bytes_done, 60);
    }

    #[test]
    fn unread_bytes_of_a_unit_are_counted_when_it_ends() {
        let meter = Meter::default();
        let source: Arc<dyn ByteSource> = Arc::new(MemorySource::new("x", vec![7; 100]));
        drop(Metered::wrap(source, 100, &meter));
        assert_eq!(meter.snapshot().bytes_done, 100);
    }
}
