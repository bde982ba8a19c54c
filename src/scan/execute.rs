//! Running one work unit: read, analyse, and tally into a [`UnitResult`].

use std::hash::Hasher;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::plan::Work;
use crate::aggregate::{ContentStats, ContentTally, ErrorStats, PiiStats};
use crate::analyze::license::{LicenseMatch, LicenseSummary};
use crate::analyze::pii::PiiMatch;
use crate::analyze::{self, Detectors, fingerprint::Fingerprint};
use crate::bytesource::{ByteSource, HashingReader, SourceCursor};
use crate::formats::{
    self, Compression, ErrorKind, ErrorLocation, Format, ReadError, ReadOptions, RecordSink,
};
use crate::ledger::findings::{Finding, FindingsMode, char_offset};
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
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Duplicate counting holds 64 bits of each 128-bit fingerprint: half the memory, and
/// a collision chance that stays below one in ten million at a billion records, which
/// moves a duplicate count by one.
pub fn set_key(fingerprint: Fingerprint) -> u64 {
    fingerprint as u64
}

/// The fingerprint keys of a unit, then of a file, on the way to its distinct keys.
///
/// Keys are appended and sorted once, not hashed into a set per record: a set's
/// inserts miss the cache once it outgrows it (4–6% of a scan's CPU on the 1 GB
/// corpus), while appending streams and the file's key list must come out sorted
/// anyway (`fingerprints.bin`). The bag compacts itself (sort, dedup) each time it
/// doubles past its last distinct count, so duplicate-heavy input stays near its
/// distinct size: 16 bytes per distinct record at the most, 32 with the vector's
/// spare capacity, above a floor of 2^20 keys (8 MiB).
#[derive(Debug, Default)]
pub struct KeyBag {
    keys: Vec<u64>,
    /// Length at which the next compaction runs; at least [`KeyBag::MIN_COMPACT`].
    compact_at: usize,
}

impl KeyBag {
    /// Below this many keys (8 MiB) a bag is never compacted before it is finished.
    const MIN_COMPACT: usize = 1 << 20;

    pub fn push(&mut self, key: u64) {
        self.keys.push(key);
        self.compact_if_due();
    }

    /// Adds another bag's keys (bags union in any order).
    pub fn absorb(&mut self, other: KeyBag) {
        if self.keys.is_empty() {
            self.keys = other.keys;
        } else {
            self.keys.extend_from_slice(&other.keys);
        }
        self.compact_if_due();
    }

    /// The distinct keys, ascending.
    pub fn into_distinct(mut self) -> Vec<u64> {
        self.compact();
        self.keys
    }

    fn compact_if_due(&mut self) {
        if self.keys.len() >= self.compact_at.max(Self::MIN_COMPACT) {
            self.compact();
        }
    }

    fn compact(&mut self) {
        self.keys.sort_unstable();
        self.keys.dedup();
        self.compact_at = self.keys.len() * 2;
    }
}

/// What one unit learned.
#[derive(Default)]
pub struct UnitResult {
    pub content: ContentStats,
    pub errors: ErrorStats,
    /// Records that have text and so take part in duplicate counting.
    pub dedup_records: u64,
    pub exact: KeyBag,
    pub normalized: KeyBag,
    /// Lines the unit consumed (byte-range units), to shift later ranges' line numbers.
    pub lines: u64,
    pub sha256: Option<[u8; 32]>,
    /// An error that ended the unit early.
    pub fatal: Option<ReadError>,
    pub license: LicenseSummary,
    pub pii: PiiStats,
    /// Findings with ordinals relative to the unit (shifted when the file is merged).
    pub findings: Vec<Finding>,
    /// Findings kept per type, to honour `--findings sample`.
    pub findings_per_type: std::collections::BTreeMap<String, usize>,
}

/// What every unit shares: read options, detectors, findings policy.
pub struct UnitContext<'a> {
    pub read: ReadOptions,
    pub detectors: &'a Detectors,
    pub findings: FindingsMode,
}

/// Tallies records as a reader pushes them.
struct UnitSink<'r, 'c> {
    result: &'r mut UnitResult,
    context: &'r UnitContext<'c>,
    analyzer: analyze::Analyzer,
    /// Per-record content figures, folded into `result.content` when the sink is
    /// dropped (see the `Drop` impl), so a record costs no map lookup.
    tally: ContentTally,
    pii_scratch: crate::analyze::pii::PiiScratch,
    markers: Vec<(usize, LicenseMatch)>,
    pii: Vec<(usize, PiiMatch)>,
}

impl<'r, 'c> UnitSink<'r, 'c> {
    fn new(result: &'r mut UnitResult, context: &'r UnitContext<'c>) -> Self {
        UnitSink {
            result,
            context,
            analyzer: analyze::Analyzer::default(),
            tally: ContentTally::default(),
            pii_scratch: context.detectors.pii.scratch(),
            markers: Vec::new(),
            pii: Vec::new(),
        }
    }

    fn license_findings(&mut self, record: &Record<'_>) {
        let mut markers = std::mem::take(&mut self.markers);
        markers.clear();
        self.context.detectors.license_markers(record, &mut markers);
        for (index, m) in &markers {
            self.result.license.add(m);
            if self.admit(m.kind.as_str()) {
                self.result.findings.push(Finding {
                    // The license id, never the matched text: a copyright line names people.
                    license: m.license.clone(),
                    evidence: m.evidence.map(|e| e.as_str().to_string()),
                    ..located(record, *index, m.start, m.end, m.kind.as_str(), m.rule)
                });
            }
        }
        self.markers = markers;
    }

    /// Counts PII per type and record, and keeps masked findings. The raw value never
    /// leaves this function: only the detector's mask is stored.
    fn pii_findings(&mut self, record: &Record<'_>) {
        let mut matches = std::mem::take(&mut self.pii);
        matches.clear();
        let detector = &self.context.detectors.pii;
        self.context
            .detectors
            .pii_matches(&mut self.pii_scratch, record, &mut matches);
        // Non-personal matches (private networks, placeholders) keep their tag
        // count and findings but are not tallied as personal information.
        if matches.iter().any(|(_, m)| m.is_personal()) {
            self.result.pii.records_with_pii += 1;
        }
        let mut types_seen: Vec<&'static str> = Vec::new();
        for (index, m) in &matches {
            let kind = m.pii_type.as_str();
            if m.is_personal() {
                *self.result.pii.counts.entry(kind.to_string()).or_default() += 1;
            }
            if let Some(tag) = m.tag {
                *self
                    .result
                    .pii
                    .tags
                    .entry(format!("{kind}.{tag}"))
                    .or_default() += 1;
            }
            if m.is_personal() && !types_seen.contains(&kind) {
                types_seen.push(kind);
                *self
                    .result
                    .pii
                    .records_by_type
                    .entry(kind.to_string())
                    .or_default() += 1;
            }
            if self.admit(kind) {
                let text = &record.fields[*index].text;
                self.result.findings.push(Finding {
                    tag: m.tag.map(str::to_string),
                    masked: Some(detector.mask(m, text)),
                    ..located(
                        record,
                        *index,
                        m.start,
                        m.end,
                        kind,
                        detector.rule_id(m.rule),
                    )
                });
            }
        }
        self.pii = matches;
    }

    /// Whether another finding of `kind` fits the findings policy (and counts it), so
    /// masks and strings are only built for findings that will be written.
    fn admit(&mut self, kind: &str) -> bool {
        let limit = self.context.findings.limit();
        if limit == 0 {
            return false;
        }
        let kept = self
            .result
            .findings_per_type
            .entry(kind.to_string())
            .or_default();
        let admitted = *kept < limit;
        *kept += usize::from(admitted);
        admitted
    }
}

impl RecordSink for UnitSink<'_, '_> {
    fn record(&mut self, record: &Record<'_>) {
        let facts = self.analyzer.analyze(record);
        self.tally.observe(&facts);
        if !record.fields.is_empty() {
            self.result.dedup_records += 1;
            self.result.exact.push(set_key(facts.exact));
            self.result.normalized.push(set_key(facts.normalized));
        }
        self.pii_findings(record);
        self.license_findings(record);
    }

    fn error(&mut self, error: ReadError) {
        self.result.errors.record(error);
    }
}

/// Every way a unit ends (done, a read error, a contained panic) drops its sink: the
/// records it tallied reach the unit's result then.
impl Drop for UnitSink<'_, '_> {
    fn drop(&mut self) {
        self.tally.drain_into(&mut self.result.content);
    }
}

/// A finding located in field `index` of `record`, byte offsets turned into characters.
fn located(
    record: &Record<'_>,
    index: usize,
    start: usize,
    end: usize,
    kind: &str,
    rule: &str,
) -> Finding {
    let field = &record.fields[index];
    Finding {
        file: String::new(),
        record: record.ordinal,
        field: field.path.to_string(),
        start: char_offset(&field.text, start),
        end: char_offset(&field.text, end),
        kind: kind.to_string(),
        rule: rule.to_string(),
        tag: None,
        license: None,
        evidence: None,
        masked: None,
    }
}

/// Runs a unit. Never panics: a panic inside a reader library (seen on fuzzed Arrow
/// files) is caught and reported as the file's error.
pub fn execute(
    work: &Work,
    format: Format,
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
        Work::RandomAccess => {
            let mut sink = UnitSink::new(result, context);
            formats::read_random_access(format, source.clone(), &mut sink)
        }
        Work::Range { start, end } => {
            let (lines, outcome) = {
                let mut sink = UnitSink::new(result, context);
                formats::read_line_range(format, source.clone(), *start, *end, options, &mut sink)
            };
            result.lines = lines;
            outcome
        }
        Work::RowGroup { index, plan, .. } => {
            let mut sink = UnitSink::new(result, context);
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
    context: &UnitContext<'_>,
    result: &mut UnitResult,
) -> Result<(), ReadError> {
    let mut raw = HashingReader::new(SourceCursor::new(source.clone(), 0));
    let outcome = {
        let mut sink = UnitSink::new(result, context);
        match formats::decompress(&mut raw, compression) {
            Ok(mut input) => formats::read_stream(format, &mut input, &context.read, &mut sink),
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
        result.license.add(&m);
    }
}

fn hash_source(source: &Arc<dyn ByteSource>) -> Result<[u8; 32], ReadError> {
    crate::bytesource::sha256(source).map_err(|e| ReadError::io(&e, ErrorLocation::default()))
}

#[cfg(test)]
mod tests {
    use super::KeyBag;

    /// 1,000,003 is prime, so `i * 7919 mod p` over three times p keys visits every
    /// residue three times: three compactions' worth of duplicates.
    const P: u64 = 1_000_003;

    #[test]
    fn a_bag_gives_each_key_once_in_order_across_compactions() {
        let mut bag = KeyBag::default();
        for i in 0..3 * P {
            bag.push(i * 7919 % P);
            assert!(bag.keys.len() <= 2 * P as usize + KeyBag::MIN_COMPACT);
        }
        assert_eq!(bag.into_distinct(), (0..P).collect::<Vec<_>>());
    }

    #[test]
    fn bags_union_in_any_order() {
        let bag_of = |range: std::ops::Range<u64>| {
            let mut bag = KeyBag::default();
            range.for_each(|k| bag.push(k % 1000));
            bag
        };
        let mut forward = bag_of(0..1500);
        forward.absorb(bag_of(1500..2600));
        let mut backward = bag_of(1500..2600);
        backward.absorb(bag_of(0..1500));
        let expected: Vec<u64> = (0..1000).collect();
        assert_eq!(forward.into_distinct(), expected);
        assert_eq!(backward.into_distinct(), expected);
        assert!(KeyBag::default().into_distinct().is_empty());
    }
}
