//! Turning discovered files into work units.
//!
//! Work units are what rayon schedules: whole files, byte ranges of large line-based
//! files (split at newlines by the reader, so a single 5 GB JSONL keeps every core busy),
//! Parquet row groups, and a separate hashing unit for files whose records are read out
//! of order. Planning reads each file's first bytes (format sniffing) and, for Parquet,
//! the footer; it runs in parallel too.

use std::sync::Arc;

use crate::bytesource::{ByteSource, Location};
use crate::discover::{DiscoveredFile, Entry};
use crate::formats::parquet::{self, ParquetPlan};
use crate::formats::{Compression, ErrorKind, ErrorLocation, Format, ReadError, TextUnit, detect};

/// One piece of work on one file.
#[derive(Clone)]
pub enum Work {
    /// Read the whole file as a stream, hashing it on the way.
    Stream,
    /// Read a random-access file (uncompressed Arrow) whole; hashed by a `Hash` unit.
    RandomAccess,
    /// Lines starting in `[start, end)` of an uncompressed line-based file.
    Range { start: u64, end: u64 },
    /// One Parquet row group; `first_row` is its first row's ordinal in the file.
    RowGroup {
        index: usize,
        first_row: u64,
        plan: Arc<ParquetPlan>,
    },
    /// Only compute the file's SHA-256.
    Hash,
    /// Match a LICENSE / COPYING / NOTICE file against license texts as a whole.
    LicenseFile,
}

impl Work {
    /// Bytes of the file this unit accounts for in progress reporting.
    pub fn progress_bytes(&self, file_bytes: u64, parts: usize) -> u64 {
        match self {
            Work::Range { start, end } => end - start,
            Work::Hash | Work::LicenseFile if parts > 1 => 0,
            Work::RowGroup { .. } => file_bytes / (parts.max(2) as u64 - 1),
            _ => file_bytes,
        }
    }
}

/// What planning decided for one file.
pub struct FilePlan {
    pub format: Format,
    pub compression: Compression,
    pub source: Option<Arc<dyn ByteSource>>,
    /// A reason the file is listed but not read (`skipped`).
    pub skip_reason: Option<String>,
    /// An error that stops the file before any record (`error`).
    pub fatal: Option<ReadError>,
    pub work: Vec<Work>,
}

impl FilePlan {
    fn unread(format: Format, compression: Compression) -> Self {
        FilePlan {
            format,
            compression,
            source: None,
            skip_reason: None,
            fatal: None,
            work: Vec::new(),
        }
    }
}

/// How many bytes of a file are looked at to recognise its format.
const SNIFF_BYTES: usize = 512;

/// Plans one file. `chunk_bytes` is the byte-range size for splitting; 0 disables it.
/// A split file is hashed by a unit of its own, which for an object means downloading
/// it twice; objects are split only when they are large enough for the parallel
/// parsing to be worth that.
pub const REMOTE_MIN_CHUNK_BYTES: u64 = 1 << 30;

pub fn plan_file(file: &DiscoveredFile, chunk_bytes: u64, text_unit: TextUnit) -> FilePlan {
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    match &file.entry {
        Entry::File => {}
        Entry::Symlink { target } => {
            let (format, compression) = detect::detect(name, &[]);
            let mut plan = FilePlan::unread(format, compression);
            plan.skip_reason = Some(format!(
                "symbolic link to {target}, not followed (pass --follow-symlinks to read it)"
            ));
            return plan;
        }
        Entry::Broken { message } => {
            let (format, compression) = detect::detect(name, &[]);
            let mut plan = FilePlan::unread(format, compression);
            plan.fatal = Some(ReadError::new(
                ErrorKind::Io,
                message,
                ErrorLocation::default(),
            ));
            return plan;
        }
    }
    let source = match file.location.open(&file.path) {
        Ok(s) => s,
        Err(e) => {
            let (format, compression) = detect::detect(name, &[]);
            let mut plan = FilePlan::unread(format, compression);
            plan.fatal = Some(ReadError::new(
                ErrorKind::Io,
                open_error_message(&e),
                ErrorLocation::default(),
            ));
            return plan;
        }
    };
    let mut head = vec![0u8; SNIFF_BYTES];
    let n = read_head(source.as_ref(), &mut head);
    head.truncate(n);
    let (format, compression) = detect::detect(name, &head);
    let mut plan = FilePlan::unread(format, compression);
    // Paragraphs and whole-file records can straddle any byte boundary: only line
    // records may be split.
    let splittable =
        format == Format::Jsonl || (format.is_line_based() && text_unit == TextUnit::Line);
    let chunk_bytes = match (splittable, &file.location) {
        (false, _) => 0,
        (true, Location::Remote(_)) => chunk_bytes.max(REMOTE_MIN_CHUNK_BYTES),
        (true, Location::Local(_)) => chunk_bytes,
    };
    plan.work = units_for(format, compression, &source, chunk_bytes, &mut plan);
    if compression == Compression::None && format.has_records() && is_license_file_name(name) {
        plan.work.push(Work::LicenseFile);
    }
    source.release();
    plan.source = Some(source);
    plan
}

/// `LICENSE`, `LICENSE.md`, `COPYING.txt`, `NOTICE`, `LICENCE-MIT`...
pub fn is_license_file_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["LICENSE", "LICENCE", "COPYING", "NOTICE"]
        .iter()
        .any(|stem| {
            upper == *stem
                || upper
                    .strip_prefix(stem)
                    .is_some_and(|rest| rest.starts_with(['.', '-', '_']))
        })
}

fn units_for(
    format: Format,
    compression: Compression,
    source: &Arc<dyn ByteSource>,
    chunk_bytes: u64,
    plan: &mut FilePlan,
) -> Vec<Work> {
    let len = source.len();
    if format == Format::Unknown {
        plan.skip_reason = Some("unrecognised binary format: listed and hashed, not read".into());
        return vec![Work::Hash];
    }
    if !format.has_records() {
        return vec![Work::Hash];
    }
    if compression != Compression::None {
        return vec![Work::Stream];
    }
    match format {
        Format::Parquet => match parquet::plan(source.clone()) {
            Ok(pq) => {
                let pq = Arc::new(pq);
                let mut first_row = 0;
                let mut work = vec![Work::Hash];
                for (index, rows) in pq.row_group_rows.iter().enumerate() {
                    work.push(Work::RowGroup {
                        index,
                        first_row,
                        plan: pq.clone(),
                    });
                    first_row += rows;
                }
                work
            }
            Err(e) => {
                plan.fatal = Some(e);
                vec![Work::Hash]
            }
        },
        Format::Arrow => vec![Work::Hash, Work::RandomAccess],
        f if f.is_line_based() && len > chunk_bytes && chunk_bytes > 0 => {
            let mut work = vec![Work::Hash];
            let mut start = 0;
            while start < len {
                let end = (start + chunk_bytes).min(len);
                work.push(Work::Range { start, end });
                start = end;
            }
            work
        }
        _ => vec![Work::Stream],
    }
}

fn read_head(source: &dyn ByteSource, head: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < head.len() {
        match source.read_at(filled as u64, &mut head[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    filled
}

fn open_error_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            format!("cannot open: {e}; grant read access to the user running provaudit")
        }
        _ => format!("cannot open: {e}"),
    }
}
