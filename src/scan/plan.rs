//! Turning discovered files into work units.
//!
//! Work units are what rayon schedules: whole files, byte ranges of large line-based
//! files (split at newlines by the reader, so a single 5 GB JSONL keeps every core busy),
//! Parquet row groups, and a separate hashing unit for files whose records are read out
//! of order. Planning reads each file's first bytes (format sniffing) and, for Parquet,
//! the footer; the scan plans each file on a worker just before running its units.

use std::sync::Arc;

use crate::bytesource::ByteSource;
use crate::discover::Location;
use crate::discover::role::{self, FileRole};
use crate::discover::{DiscoveredFile, Entry};
use crate::formats::parquet::{self, ParquetPlan};
use crate::formats::{
    Compression, ErrorKind, ErrorLocation, Format, Modality, ReadError, TextUnit, detect,
};

/// One piece of work on one file.
#[derive(Clone)]
pub enum Work {
    /// Read the whole file as a stream, hashing it on the way.
    Stream,
    /// Read a random-access file (uncompressed Arrow) whole; hashed by a `Hash` unit.
    RandomAccess,
    /// Lines starting in `[start, end)` of an uncompressed line-based file.
    Range {
        /// First byte of the range.
        start: u64,
        /// One past its last byte.
        end: u64,
    },
    /// One Parquet row group; `first_row` is its first row's ordinal in the file.
    RowGroup {
        /// 0-based row group.
        index: usize,
        /// Ordinal of its first row in the file.
        first_row: u64,
        /// The file's parsed footer, shared by its row groups.
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
    /// The format the file is read as.
    pub format: Format,
    /// The compression wrapper, undone before reading.
    pub compression: Compression,
    /// The opened file; `None` when it is skipped or failed to open.
    pub source: Option<Arc<dyn ByteSource>>,
    /// A reason the file is listed but not read (`skipped`).
    pub skip_reason: Option<String>,
    /// An error that stops the file before any record (`error`).
    pub fatal: Option<ReadError>,
    /// The units to run, in order; empty for a skipped or failed file.
    pub work: Vec<Work>,
    /// What the file is to its dataset; metadata is hashed and matched, not counted.
    pub role: FileRole,
}

impl FilePlan {
    /// What the file's ledger row needs from the plan.
    pub fn read_as(&self) -> crate::ledger::build::ReadAs<'_> {
        crate::ledger::build::ReadAs {
            format: self.format.clone(),
            compression: self.compression,
            skip_reason: self.skip_reason.as_deref(),
            fatal: self.fatal.as_ref(),
            role: match self.skip_reason {
                Some(_) => FileRole::Skipped,
                None => self.role.clone(),
            },
        }
    }

    fn unread(format: Format, compression: Compression) -> Self {
        FilePlan {
            format,
            compression,
            source: None,
            skip_reason: None,
            fatal: None,
            work: Vec::new(),
            role: FileRole::Data,
        }
    }
}

/// How many bytes of a file are looked at to recognise its format.
const SNIFF_BYTES: usize = 512;

/// A split file is hashed by a unit of its own, which for an object means downloading
/// it twice; objects are split only when they are large enough for the parallel
/// parsing to be worth that.
pub const REMOTE_MIN_CHUNK_BYTES: u64 = 1 << 30;

/// The smallest byte range the automatic rule cuts: per-unit overhead vanishes at this
/// size.
pub const MIN_AUTO_RANGE_BYTES: u64 = 64 << 20;

/// When and how finely uncompressed line-based files are cut into byte ranges.
///
/// Splitting is not free: a split file's SHA-256 needs a unit of its own that reads
/// the whole file again (SHA-256 cannot be computed in pieces), so a split file is
/// read twice, while a whole file is hashed as it is parsed. Splitting pays only when
/// one file is a large part of the scan; a dataset of many files already keeps every
/// thread busy file by file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunking {
    /// Files larger than this are split (`u64::MAX`: never).
    pub split_above: u64,
    /// The largest range a split file is cut into (ranges are of equal size).
    pub range_bytes: u64,
}

impl Chunking {
    /// Never split.
    pub const NEVER: Chunking = Chunking {
        split_above: u64::MAX,
        range_bytes: u64::MAX,
    };

    /// `--chunk-bytes N`: every file over N bytes is cut into ranges of at most N; 0
    /// never splits.
    pub fn fixed(bytes: u64) -> Self {
        match bytes {
            0 => Chunking::NEVER,
            n => Chunking {
                split_above: n,
                range_bytes: n,
            },
        }
    }

    /// The default: a file is split only when it alone is over half of one thread's
    /// share of the scan's bytes, into ranges of a quarter of that share (at least
    /// [`MIN_AUTO_RANGE_BYTES`]). Eight 125 MB files on two threads are read whole; a
    /// single 5 GB file on two threads becomes eight ranges of 625 MB.
    pub fn auto(total_bytes: u64, threads: usize) -> Self {
        if threads <= 1 {
            return Chunking::NEVER;
        }
        let share = total_bytes / threads as u64;
        Chunking {
            split_above: (share / 2).max(MIN_AUTO_RANGE_BYTES),
            range_bytes: (share / 4).max(MIN_AUTO_RANGE_BYTES),
        }
    }

    /// Objects are cut no finer than [`REMOTE_MIN_CHUNK_BYTES`].
    fn for_location(self, location: &Location) -> Self {
        match location {
            Location::Local(_) => self,
            Location::Remote(_) => Chunking {
                split_above: self.split_above.max(REMOTE_MIN_CHUNK_BYTES),
                range_bytes: self.range_bytes.max(REMOTE_MIN_CHUNK_BYTES),
            },
        }
    }

    /// The ranges `[start, end)` of a file of `len` bytes, or `None` when it is read
    /// whole.
    fn ranges(self, len: u64) -> Option<Vec<(u64, u64)>> {
        if len <= self.split_above || self.range_bytes == 0 {
            return None;
        }
        let pieces = len.div_ceil(self.range_bytes);
        let piece = len.div_ceil(pieces);
        let mut ranges = Vec::with_capacity(pieces as usize);
        let mut start = 0;
        while start < len {
            let end = (start + piece).min(len);
            ranges.push((start, end));
            start = end;
        }
        Some(ranges)
    }
}

/// Plans one file: sniffs its format and cuts it into work units. The file is left
/// open in [`FilePlan::source`] for its units; release it when they are done.
pub fn plan_file(file: &DiscoveredFile, chunking: Chunking, text_unit: TextUnit) -> FilePlan {
    let name = file.file_name();
    let name = name.as_ref();
    match &file.entry {
        Entry::File => {}
        Entry::Hidden => {
            let (format, compression) = detect::detect(name, &[]);
            let mut plan = FilePlan::unread(format.clone(), compression);
            plan.skip_reason = Some("hidden file; pass --hidden to read it".to_string());
            return plan;
        }
        Entry::Symlink { target } => {
            let (format, compression) = detect::detect(name, &[]);
            let mut plan = FilePlan::unread(format.clone(), compression);
            plan.skip_reason = Some(format!(
                "symbolic link to {target}, not followed (pass --follow-symlinks to read it)"
            ));
            return plan;
        }
        Entry::ReadElsewhere { reason } => {
            let (format, compression) = detect::detect(name, &[]);
            let mut plan = FilePlan::unread(format.clone(), compression);
            plan.skip_reason = Some(reason.clone());
            return plan;
        }
        Entry::Special { what } => {
            let (format, compression) = detect::detect(name, &[]);
            let mut plan = FilePlan::unread(format.clone(), compression);
            plan.skip_reason = Some(format!("{what}, not a regular file: listed, never opened"));
            return plan;
        }
        Entry::Broken { message } => {
            let (format, compression) = detect::detect(name, &[]);
            let mut plan = FilePlan::unread(format.clone(), compression);
            plan.role = FileRole::Skipped;
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
            let mut plan = FilePlan::unread(format.clone(), compression);
            plan.fatal = Some(ReadError::new(
                ErrorKind::Io,
                open_error_message(&e),
                ErrorLocation::default(),
            ));
            return plan;
        }
    };
    if source.len() != file.bytes {
        let (format, compression) = detect::detect(name, &[]);
        let mut plan = FilePlan::unread(format.clone(), compression);
        plan.fatal = Some(ReadError::changed(&format!(
            "{} bytes when listed, {} when opened",
            file.bytes,
            source.len()
        )));
        return plan;
    }
    let mut head = vec![0u8; SNIFF_BYTES];
    let n = read_head(source.as_ref(), &mut head);
    head.truncate(n);
    let (format, compression) = detect::detect(name, &head);
    let mut plan = FilePlan::unread(format.clone(), compression);
    // Paragraphs and whole-file records can straddle any byte boundary: only line
    // records may be split.
    let splittable =
        format == Format::Jsonl || (format.is_line_based() && text_unit == TextUnit::Line);
    let chunking = match splittable {
        false => Chunking::NEVER,
        true => chunking.for_location(&file.location),
    };
    plan.role = file.role.clone().unwrap_or_else(|| role_of(name, &format));
    plan.work = match plan.role {
        FileRole::Metadata => metadata_units(name, &format, compression),
        _ => units_for(&format, compression, &source, chunking, &mut plan),
    };
    // The descriptor stays open: the scan plans a file on a worker just before running
    // its units, which release it, so a small file is opened once, not twice.
    plan.source = Some(source);
    plan
}

/// A file's role from its name and format: media by modality, metadata by the
/// name table (and provaudit's own manifest), data otherwise.
fn role_of(name: &str, format: &Format) -> FileRole {
    match format.modality() {
        Modality::Image | Modality::Audio | Modality::Video => FileRole::Media,
        Modality::Metadata => FileRole::Metadata,
        _ if role::metadata_kind(name).is_some() => FileRole::Metadata,
        _ => FileRole::Data,
    }
}

/// Metadata is hashed, never read as records; a license file is also matched as a
/// whole text, since its license applies to the data beside it.
fn metadata_units(name: &str, format: &Format, compression: Compression) -> Vec<Work> {
    let mut work = vec![Work::Hash];
    if compression == Compression::None && format.has_records() && role::is_license_file_name(name)
    {
        work.push(Work::LicenseFile);
    }
    work
}

fn units_for(
    format: &Format,
    compression: Compression,
    source: &Arc<dyn ByteSource>,
    chunking: Chunking,
    plan: &mut FilePlan,
) -> Vec<Work> {
    let len = source.len();
    if *format == Format::Unknown {
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
        f if f.is_line_based() => match chunking.ranges(len) {
            Some(ranges) => std::iter::once(Work::Hash)
                .chain(
                    ranges
                        .into_iter()
                        .map(|(start, end)| Work::Range { start, end }),
                )
                .collect(),
            None => vec![Work::Stream],
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1_000_000;

    #[test]
    fn many_files_are_read_whole_and_hashed_as_they_are_parsed() {
        // 8 × 125 MB on two threads: four files a thread, nothing to gain by cutting.
        let auto = Chunking::auto(8 * 125 * MB, 2);
        assert_eq!(auto.ranges(125 * MB + 538), None);
    }

    #[test]
    fn one_large_file_uses_every_thread() {
        let len = 5_000 * MB;
        let ranges = Chunking::auto(len, 2).ranges(len).unwrap();
        assert_eq!(ranges.len(), 8);
        assert!(ranges.iter().all(|(s, e)| e - s >= MIN_AUTO_RANGE_BYTES));
        assert_contiguous(&ranges, len);
        // A file a bit over half a thread's share on 4 threads is still cut.
        let auto = Chunking::auto(1_000 * MB, 4);
        assert!(auto.ranges(130 * MB).is_some());
        assert_eq!(auto.ranges(120 * MB), None);
    }

    #[test]
    fn one_thread_never_splits_and_small_ranges_are_not_made() {
        assert_eq!(Chunking::auto(5_000 * MB, 1), Chunking::NEVER);
        assert_eq!(Chunking::auto(5_000 * MB, 1).ranges(5_000 * MB), None);
        // A 40 MB file alone on two threads: under the 64 MiB floor, read whole.
        assert_eq!(Chunking::auto(40 * MB, 2).ranges(40 * MB), None);
    }

    #[test]
    fn fixed_chunks_cut_into_equal_ranges_of_at_most_n() {
        assert_eq!(Chunking::fixed(0), Chunking::NEVER);
        assert_eq!(Chunking::fixed(100).ranges(100), None);
        let ranges = Chunking::fixed(100).ranges(250).unwrap();
        assert_eq!(ranges, vec![(0, 84), (84, 168), (168, 250)]);
        assert_contiguous(&ranges, 250);
    }

    #[test]
    fn objects_are_cut_no_finer_than_the_remote_floor() {
        let options = crate::remote::RemoteOptions {
            s3_endpoint: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        };
        let root = crate::remote::RemoteRoot::open("s3://bucket/data", &options, Arc::default())
            .expect("building a client makes no request");
        let object = crate::remote::RemoteObject {
            rel: "big.jsonl".into(),
            key: "data/big.jsonl".into(),
            size: 0,
            modified: None,
            e_tag: None,
        };
        let remote = Location::Remote(Arc::new(crate::discover::RemoteFile { root, object }));
        let c = Chunking::fixed(64).for_location(&remote);
        assert_eq!(c.range_bytes, REMOTE_MIN_CHUNK_BYTES);
        assert_eq!(c.ranges(REMOTE_MIN_CHUNK_BYTES), None);
    }

    fn assert_contiguous(ranges: &[(u64, u64)], len: u64) {
        assert_eq!(ranges.first().map(|r| r.0), Some(0));
        assert_eq!(ranges.last().map(|r| r.1), Some(len));
        assert!(ranges.windows(2).all(|w| w[0].1 == w[1].0));
    }
}
