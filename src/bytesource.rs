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
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

/// Random-access, thread-safe access to one file's bytes.
pub trait ByteSource: Send + Sync {
    /// Total length in bytes, as listed when the file was discovered.
    fn len(&self) -> u64;
    /// Reads up to `buf.len()` bytes at `offset`; returns how many were read (0 at end).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;
    /// A display name for messages (a relative path or an object key).
    fn name(&self) -> &str;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops whatever the source caches; it stays readable. The scan calls it when it
    /// is done with a file for now (after planning, after the file's last unit), so
    /// sources that cache (object-store blocks) hold memory only while in use.
    fn release(&self) {}
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
}

impl LocalFile {
    pub fn open(path: &Path, name: String) -> io::Result<Self> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(LocalFile {
            path: path.to_path_buf(),
            file: Mutex::new(Some(Arc::new(file))),
            len,
            name,
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
}

/// An in-memory source, used by tests and by callers that already hold the bytes.
pub struct MemorySource {
    bytes: Vec<u8>,
    name: String,
}

impl MemorySource {
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
    pub fn new(source: Arc<dyn ByteSource>, start: u64) -> Self {
        let end = source.len();
        SourceCursor {
            source,
            pos: start,
            end,
        }
    }

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
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Hashes whatever is left unread and returns the digest.
    pub fn finish(mut self) -> io::Result<[u8; 32]> {
        let mut buf = vec![0u8; crate::formats::READ_BUFFER];
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

/// SHA-256 of a source's whole content, streamed.
pub fn sha256(source: &Arc<dyn ByteSource>) -> io::Result<[u8; 32]> {
    HashingReader::new(SourceCursor::new(source.clone(), 0)).finish()
}

/// Where a discovered file lives, so the scanner can open it when its turn comes
/// rather than holding thousands of descriptors open.
#[derive(Debug, Clone)]
pub enum Location {
    Local(PathBuf),
    /// An object under an object-store root (`s3://...`).
    Remote(Arc<RemoteFile>),
}

/// An object and the root it was listed under.
#[derive(Debug)]
pub struct RemoteFile {
    pub root: crate::remote::RemoteRoot,
    pub object: crate::remote::RemoteObject,
}

impl Location {
    /// SHA-256 of the file as it is now (`verify`, `scan --rehash`), hex.
    pub fn sha256_hex(&self, name: &str) -> io::Result<String> {
        sha256(&self.open(name)?).map(|d| crate::ledger::merkle::hex(&d))
    }

    pub fn open(&self, name: &str) -> io::Result<Arc<dyn ByteSource>> {
        match self {
            Location::Local(path) => Ok(Arc::new(LocalFile::open(path, name.to_string())?)),
            Location::Remote(file) => Ok(file.root.open_object(&file.object, name.to_string())),
        }
    }
}
