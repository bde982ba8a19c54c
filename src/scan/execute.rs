//! Running one work unit: read, run the registered detectors, and hand their figures
//! on in a [`UnitResult`].

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::plan::Work;
use crate::aggregate::ErrorStats;
use crate::analyze::{self, Detectors};
use crate::bytesource::{ByteSource, HashingReader, SourceCursor};
use crate::detect::{self, Findings};
use crate::formats::{
    self, Compression, ErrorKind, ErrorLocation, Format, ReadError, ReadOptions, RecordSink,
};
use crate::ledger::findings::FindingsMode;
use crate::record::Record;

/// What one unit learned.
#[derive(Default)]
pub struct UnitResult {
    /// Every detector's figures.
    pub stats: detect::Stats,
    /// Recoverable read errors: how many, and the first.
    pub errors: ErrorStats,
    /// Lines the unit consumed (byte-range units), to shift later ranges' line numbers.
    pub lines: u64,
    /// SHA-256 of the file, from the unit that read it whole (or hashed it).
    pub sha256: Option<[u8; 32]>,
    /// An error that ended the unit early.
    pub fatal: Option<ReadError>,
    /// Findings with ordinals relative to the unit (shifted when the file is merged).
    pub findings: Findings,
}

/// What every unit shares: read options, detectors, findings policy.
pub struct UnitContext<'a> {
    /// Options every reader honours.
    pub read: ReadOptions,
    /// Rule engines, built once per scan.
    pub detectors: &'a Detectors,
    /// Which findings are kept.
    pub findings: FindingsMode,
    /// Per-worker set-up kept from unit to unit, made for `detectors` (`None`: every
    /// unit sets up afresh).
    pub spares: Option<&'a detect::Spares>,
}

/// Runs the detectors on records as a reader pushes them. It is begun before the
/// reader runs and finished after it returns (or panics), so nothing depends on
/// when it is dropped.
struct UnitSink<'r, 'c> {
    result: &'r mut UnitResult,
    detectors: &'c Detectors,
    analyzer: analyze::Analyzer,
    units: detect::Units,
    spare: detect::Spare,
    spares: Option<&'c detect::Spares>,
}

impl<'r, 'c> UnitSink<'r, 'c> {
    fn begin(result: &'r mut UnitResult, context: &UnitContext<'c>) -> Self {
        result.findings = Findings::new(context.findings);
        let mut spare = context.spares.map(detect::Spares::take).unwrap_or_default();
        let units = detect::begin_reusing(context.detectors, &mut spare);
        UnitSink {
            result,
            detectors: context.detectors,
            analyzer: analyze::Analyzer::default(),
            units,
            spare,
            spares: context.spares,
        }
    }

    /// Hands the detectors' tallies on to the unit's result, and their set-up back to
    /// the worker's spare.
    fn finish(mut self) {
        detect::finish_keeping(self.units, &mut self.result.stats, &mut self.spare);
        if let Some(spares) = self.spares {
            spares.put(self.spare);
        }
    }
}

impl RecordSink for UnitSink<'_, '_> {
    #[inline]
    fn record(&mut self, record: &Record<'_>) {
        let facts = self.analyzer.analyze(record);
        detect::record(
            self.detectors,
            &mut self.units,
            record,
            &facts,
            &mut self.result.findings,
        );
        self.analyzer.recycle(facts);
    }

    fn error(&mut self, error: ReadError) {
        self.result.errors.record(error);
    }
}

/// Runs `read` with a begun sink and finishes the sink however `read` ends: records
/// tallied before a reader library panicked still count. The panic is handed back
/// for the caller to stop at.
fn read_records(
    result: &mut UnitResult,
    context: &UnitContext<'_>,
    read: impl FnOnce(&mut UnitSink<'_, '_>) -> Result<(), ReadError>,
) -> std::thread::Result<Result<(), ReadError>> {
    let mut sink = UnitSink::begin(result, context);
    let outcome = catch_unwind(AssertUnwindSafe(|| read(&mut sink)));
    sink.finish();
    outcome
}

/// A read's outcome with a contained panic as its error.
fn settled(outcome: std::thread::Result<Result<(), ReadError>>) -> Result<(), ReadError> {
    outcome.unwrap_or_else(|panic| Err(contained(panic)))
}

/// The error a contained reader panic becomes.
fn contained(panic: Box<dyn std::any::Any + Send>) -> ReadError {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    ReadError::new(
        ErrorKind::Structure,
        format!("the reader library crashed on this file and the crash was contained: {what}"),
        ErrorLocation::default(),
    )
}

/// Runs a unit. Never panics: a panic inside a reader library (seen on fuzzed Arrow
/// files) is caught and reported as the file's error.
pub fn execute(
    work: &Work,
    format: &Format,
    compression: Compression,
    source: &Arc<dyn ByteSource>,
    context: &UnitContext<'_>,
) -> UnitResult {
    let mut result = UnitResult::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        run(work, format, compression, source, context, &mut result)
    }));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => result.fatal = Some(e),
        Err(panic) => result.fatal = Some(contained(panic)),
    }
    result
}

fn run(
    work: &Work,
    format: &Format,
    compression: Compression,
    source: &Arc<dyn ByteSource>,
    context: &UnitContext<'_>,
    result: &mut UnitResult,
) -> Result<(), ReadError> {
    let options = &context.read;
    match work {
        Work::Hash => {
            result.sha256 = Some(hash_source(source)?);
            Ok(())
        }
        Work::Stream => stream(format, compression, source, context, result),
        Work::LicenseFile => {
            license_file(source, context, result);
            Ok(())
        }
        Work::RandomAccess => settled(read_records(result, context, |sink| {
            formats::read_random_access(format, source.clone(), options, sink)
        })),
        Work::Range { start, end } => {
            let mut lines = 0;
            let outcome = read_records(result, context, |sink| {
                let (read, outcome) =
                    formats::read_line_range(format, source.clone(), *start, *end, options, sink);
                lines = read;
                outcome
            });
            result.lines = lines;
            settled(outcome)
        }
        Work::RowGroup { index, plan, .. } => settled(read_records(result, context, |sink| {
            formats::parquet::read_row_group(source.clone(), plan, *index, options, sink)
        })),
    }
}

/// Reads a file front to back once: the raw bytes feed SHA-256, the decompressed bytes
/// feed the reader. Bytes the reader leaves unread (after a fatal error) are still hashed.
fn stream(
    format: &Format,
    compression: Compression,
    source: &Arc<dyn ByteSource>,
    context: &UnitContext<'_>,
    result: &mut UnitResult,
) -> Result<(), ReadError> {
    let mut raw = HashingReader::new(SourceCursor::new(source.clone(), 0));
    let ratio = context.read.max_expansion;
    let outcome = read_records(result, context, |sink| {
        let input = match formats::decompress(&mut raw, compression) {
            Ok(input) => input,
            Err(e) => return Err(ReadError::io(&e, ErrorLocation::byte(0))),
        };
        if compression == Compression::None {
            let mut input = input;
            let len = Some(source.len());
            return formats::read_stream_sized(format, &mut input, len, &context.read, sink);
        }
        let cap = formats::expansion_cap(source.len(), ratio);
        let mut input = formats::Capped::new(input, cap);
        let read = formats::read_stream(format, &mut input, &context.read, sink);
        if input.tripped() {
            return Err(over_expansion(source.len(), cap, ratio));
        }
        read
    });
    // After a contained panic the file is not hashed, as when the panic ended the unit.
    let outcome = outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let hashed = raw
        .finish_counted()
        .map_err(|e| ReadError::io(&e, ErrorLocation::default()))
        .and_then(|(digest, bytes)| unchanged(source, bytes).map(|()| digest));
    match hashed {
        Ok(digest) => result.sha256 = Some(digest),
        Err(e) => return outcome.and(Err(e)),
    }
    outcome
}

/// A decompression bomb: the whole file is in error (its records are a prefix of
/// nothing the file means to say), named by the option that stopped it.
fn over_expansion(compressed: u64, cap: u64, ratio: u64) -> ReadError {
    ReadError::new(
        formats::ErrorKind::TooLarge,
        format!(
            "decompresses to more than {cap} bytes ({ratio}× its {compressed} compressed \
             bytes, at least 64 MiB): stopped by --max-expansion {ratio}; raise it to read \
             this file"
        ),
        ErrorLocation::default(),
    )
}

/// A file that changed while it was read is an error, whatever its reader saw.
fn unchanged(source: &Arc<dyn ByteSource>, hashed: u64) -> Result<(), ReadError> {
    crate::bytesource::check_unchanged(source.as_ref(), hashed)
        .map_err(|why| ReadError::changed(&why))
}

/// License files larger than this are not whole-text matched (their lines still are).
const LICENSE_FILE_MAX: u64 = 1 << 20;

/// Identifies a LICENSE / COPYING / NOTICE file as a whole: the strongest evidence a
/// dataset folder can carry about its terms.
fn license_file(source: &Arc<dyn ByteSource>, context: &UnitContext<'_>, result: &mut UnitResult) {
    if source.len() > LICENSE_FILE_MAX {
        return;
    }
    let mut bytes = Vec::new();
    if SourceCursor::new(source.clone(), 0)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return;
    }
    let text = String::from_utf8_lossy(&bytes);
    if let Some(m) = context.detectors.license.identify_license_file(&text) {
        result.stats.licenses.add(&m);
    }
}

fn hash_source(source: &Arc<dyn ByteSource>) -> Result<[u8; 32], ReadError> {
    let (digest, bytes) = crate::bytesource::sha256_counted(source)
        .map_err(|e| ReadError::io(&e, ErrorLocation::default()))?;
    unchanged(source, bytes)?;
    Ok(digest)
}
