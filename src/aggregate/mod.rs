//! The aggregate stage: statistics that merge.
//!
//! Every figure is a sum, a count map or a "first" chosen by a total order, so merging
//! is associative and commutative: byte ranges of one file, files of one source, and
//! (later) shards of one audit all combine with the same [`ContentStats::merge`], in any
//! order, to the same result.

pub mod dedup;
pub mod hll;
pub mod near_dup;
pub mod web_hosts;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analyze::RecordFacts;
use crate::analyze::license::LicenseSummary;
use crate::analyze::pii::{Confidence, PiiType};
use crate::analyze::quality::Quality;
use crate::analyze::sensitive::SensitiveCategory;
use crate::formats::ReadError;
use crate::record::kind::RecordKind;

/// Per-language tallies.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LanguageCount {
    /// Records identified as this language.
    pub records: u64,
    /// Characters in those records.
    pub characters: u64,
}

/// Upper bounds (in characters) of the record-length histogram's buckets; the last
/// bucket is open. Powers of four keep it short and readable in a report.
pub const LENGTH_BUCKETS: [u64; 8] = [0, 16, 64, 256, 1024, 4096, 16_384, 65_536];

/// What the records of a file (or a range of it, or a source) contain.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContentStats {
    /// Records read.
    pub records: u64,
    /// Records per record kind (`text`, `chat`, ...).
    pub record_kinds: BTreeMap<RecordKind, u64>,
    /// Unicode scalar values over every text field.
    pub characters: u64,
    /// An estimate: one token per CJK character plus one per four other characters.
    pub estimated_tokens: u64,
    /// Records and characters per language code.
    pub languages: BTreeMap<String, LanguageCount>,
    /// Records per length bucket, keyed by the bucket's label (`"0"`, `"1-16"`, ...,
    /// `">65536"`).
    pub length_histogram: BTreeMap<String, u64>,
    /// Records with quality problems, per problem.
    pub quality: Quality,
}

impl ContentStats {
    /// Counts one record.
    pub fn observe(&mut self, facts: &RecordFacts) {
        self.records += 1;
        *self.record_kinds.entry(facts.kind.clone()).or_default() += 1;
        self.characters += facts.profile.chars;
        self.estimated_tokens += facts.profile.estimated_tokens();
        match self.languages.get_mut(facts.language) {
            Some(lang) => {
                lang.records += 1;
                lang.characters += facts.profile.chars;
            }
            None => {
                let count = LanguageCount {
                    records: 1,
                    characters: facts.profile.chars,
                };
                self.languages.insert(facts.language.to_string(), count);
            }
        }
        bump(
            &mut self.length_histogram,
            length_bucket(facts.profile.chars),
            1,
        );
        self.quality.observe(&facts.profile, facts.lossy_utf8);
    }

    /// Adds another range's, file's or group's figures (sums, so any order works).
    pub fn merge(&mut self, other: &ContentStats) {
        self.records += other.records;
        merge_counts(&mut self.record_kinds, &other.record_kinds);
        self.characters += other.characters;
        self.estimated_tokens += other.estimated_tokens;
        for (lang, count) in &other.languages {
            let mine = self.languages.entry(lang.clone()).or_default();
            mine.records += count.records;
            mine.characters += count.characters;
        }
        merge_counts(&mut self.length_histogram, &other.length_histogram);
        self.quality.merge(&other.quality);
    }
}

/// Adds every count of `from` into `into`.
pub fn merge_counts<K: Ord + Clone>(into: &mut BTreeMap<K, u64>, from: &BTreeMap<K, u64>) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}

/// Labels of the length buckets, one per bound in [`LENGTH_BUCKETS`] plus the open one.
pub(crate) const LENGTH_LABELS: [&str; 9] = [
    "0",
    "1-16",
    "17-64",
    "65-256",
    "257-1024",
    "1025-4096",
    "4097-16384",
    "16385-65536",
    ">65536",
];

fn length_bucket(chars: u64) -> &'static str {
    LENGTH_LABELS[length_index(chars)]
}

/// The index of a record length's bucket in [`LENGTH_LABELS`].
pub(crate) fn length_index(chars: u64) -> usize {
    LENGTH_BUCKETS
        .iter()
        .position(|&upper| chars <= upper)
        .unwrap_or(LENGTH_BUCKETS.len())
}

/// Adds to a count map without allocating a key when it is already there (the
/// per-record path).
pub fn bump(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match map.get_mut(key) {
        Some(v) => *v += n,
        None => {
            map.insert(key.to_string(), n);
        }
    }
}

/// A file's figures, its work units merged in order: what its ledger row is built from.
#[derive(Default)]
pub struct FileResult {
    /// Record counts, lengths, languages and quality.
    pub content: ContentStats,
    /// Read errors: how many, and the first.
    pub errors: ErrorStats,
    /// Records that have text and so take part in duplicate counting.
    pub dedup_records: u64,
    /// Duplicate counts, settled once the scan knows every earlier file.
    pub duplicates: Duplicates,
    /// SHA-256 of the file's bytes as stored.
    pub sha256: Option<[u8; 32]>,
    /// License evidence found in the file.
    pub license: LicenseSummary,
    /// Personal information found in the file.
    pub pii: PiiStats,
    /// Near-duplicate counts, settled in ledger order; `None` unless the scan looks
    /// for near-duplicates.
    pub near_duplicates: Option<near_dup::NearDuplicates>,
    /// Records the risk lexicons flag; `None` when screening is off.
    pub safety: Option<crate::analyze::safety::SafetyCounts>,
    /// Records with a web address and their bytes per region; `None` when no record of
    /// the file names one.
    pub web_hosts: Option<crate::analyze::web_hosts::WebHostCounts>,
    /// The same records per host, for the scan's per-source list (not a ledger column:
    /// a crawl shard names hundreds of thousands of hosts).
    pub host_tallies: crate::analyze::web_hosts::HostTallies,
    /// Records overlapping evaluation items; `None` without `--eval-sets`.
    pub contamination: Option<crate::analyze::contamination::ContaminationCounts>,
}

/// Exact-duplicate counts. A record is a duplicate when an identical one comes earlier:
/// earlier in the same file (`within_file`), or anywhere earlier in the scan, ordering
/// files by path (`within_scan`, which includes `within_file`). The `normalized_*`
/// figures compare normalised text instead of exact bytes.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Duplicates {
    /// Records identical to an earlier record of the same file.
    pub within_file: u64,
    /// Records identical to an earlier record anywhere in the scan.
    pub within_scan: u64,
    /// As `within_file`, over normalised text.
    pub normalized_within_file: u64,
    /// As `within_scan`, over normalised text.
    pub normalized_within_scan: u64,
}

impl Duplicates {
    /// Adds another file's or group's counts.
    pub fn merge(&mut self, other: &Duplicates) {
        self.within_file += other.within_file;
        self.within_scan += other.within_scan;
        self.normalized_within_file += other.normalized_within_file;
        self.normalized_within_scan += other.normalized_within_scan;
    }
}

/// Read errors of a file: how many, and the first by location.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorStats {
    /// Errors met, the first included.
    pub count: u64,
    /// The earliest error by location, whatever order ranges were merged in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<ReadError>,
}

impl ErrorStats {
    /// Counts `error`, keeping it when it comes before the current first.
    pub fn record(&mut self, error: ReadError) {
        self.count += 1;
        if self
            .first
            .as_ref()
            .is_none_or(|f| error.location < f.location)
        {
            self.first = Some(error);
        }
    }

    /// Adds another range's errors; the first stays the earliest by location.
    pub fn merge(&mut self, other: ErrorStats) {
        self.count += other.count;
        if let Some(first) = other.first {
            self.count -= 1;
            self.record(first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{ErrorKind, ErrorLocation};

    #[test]
    fn pii_keys_keep_their_text_and_order_whatever_version_wrote_them() {
        let text = r#"{"counts":{"email":1,"face_print":2,"ip_address":3},"tags":{"email.placeholder":1,"ip_address.documentation":2,"ip_address_v9.x":3,"newtype":4},"records_with_pii":1,"records_by_type":{"email":1},"record_share":0.5,"by_confidence":{"high":2,"low":1,"sure":3},"sensitive":{"face_print":1,"health":2},"records_with_sensitive":2}"#;
        let stats: PiiStats = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&stats).unwrap(), text);
        assert_eq!(stats.counts[&PiiType::Other("face_print".into())], 2);
        let documentation = PiiTag {
            pii_type: PiiType::IpAddress,
            tag: "documentation".into(),
        };
        assert_eq!(stats.tags[&documentation], 2);
        assert_eq!(stats.by_confidence[&Confidence::Other("sure".into())], 3);
    }

    #[test]
    fn buckets_are_labelled_by_range() {
        assert_eq!(length_bucket(0), "0");
        assert_eq!(length_bucket(1), "1-16");
        assert_eq!(length_bucket(16), "1-16");
        assert_eq!(length_bucket(17), "17-64");
        assert_eq!(length_bucket(70_000), ">65536");
    }

    #[test]
    fn first_error_is_the_earliest_whatever_the_merge_order() {
        let e = |line| {
            ReadError::new(
                ErrorKind::Syntax,
                "bad",
                ErrorLocation::line(line, line * 10),
            )
        };
        let mut a = ErrorStats::default();
        a.record(e(7));
        let mut b = ErrorStats::default();
        b.record(e(3));
        b.record(e(9));
        let mut ab = a.clone();
        ab.merge(b.clone());
        let mut ba = b;
        ba.merge(a);
        assert_eq!(ab, ba);
        assert_eq!(ab.count, 3);
        assert_eq!(ab.first.unwrap().location.line, Some(3));
    }
}

/// A type refinement, written as one `type.tag` string (`ip_address.private`). Ordered
/// by type, then tag: the order of the strings, since `.` sorts before every character
/// of a type id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PiiTag {
    /// A canonical PII type id such as `phone`.
    pub pii_type: PiiType,
    /// A refinement of the type, e.g. `"private"`/`"public"` for IP addresses.
    pub tag: String,
}

impl Serialize for PiiTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.tag.is_empty() {
            s.serialize_str(self.pii_type.as_str())
        } else {
            s.collect_str(&format_args!("{}.{}", self.pii_type, self.tag))
        }
    }
}

impl<'de> Deserialize<'de> for PiiTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(crate::wire::StrVisitor(|text: &str| {
            let (kind, tag) = text.split_once('.').unwrap_or((text, ""));
            PiiTag {
                pii_type: PiiType::parse(kind),
                tag: tag.to_string(),
            }
        }))
    }
}

/// Personal information in a file or group: occurrences per type, and records with any.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PiiStats {
    /// Occurrences per canonical type id.
    pub counts: BTreeMap<PiiType, u64>,
    /// Occurrences per type refinement, e.g. `ip_address.private` / `ip_address.public`.
    pub tags: BTreeMap<PiiTag, u64>,
    /// Records with at least one counted value (tagged ones excluded).
    pub records_with_pii: u64,
    /// Records with PII per type (a record counts once per type it contains).
    pub records_by_type: BTreeMap<PiiType, u64>,
    /// `records_with_pii / records`, derived when a row or group is finished.
    pub record_share: f64,
    /// Occurrences of counted values per confidence (`high`: checksum or numbering
    /// plan, `medium`: context word, `low`: pattern only), so a reader can weigh the
    /// counts instead of taking them as exact. Empty in audits made before it existed.
    pub by_confidence: BTreeMap<Confidence, u64>,
    /// Records with sensitive personal information (PIPL Art. 28) per category: a
    /// category term next to a reference to a person (`analyze::sensitive`).
    pub sensitive: BTreeMap<SensitiveCategory, u64>,
    /// Records flagged for at least one sensitive category.
    pub records_with_sensitive: u64,
}

impl PiiStats {
    /// Adds another file's or group's counts; call `finish` afterwards for the share.
    pub fn merge(&mut self, other: &PiiStats) {
        merge_counts(&mut self.counts, &other.counts);
        merge_counts(&mut self.tags, &other.tags);
        merge_counts(&mut self.records_by_type, &other.records_by_type);
        merge_counts(&mut self.by_confidence, &other.by_confidence);
        self.records_with_pii += other.records_with_pii;
        merge_counts(&mut self.sensitive, &other.sensitive);
        self.records_with_sensitive += other.records_with_sensitive;
    }

    /// Sets the share against the records it was counted over.
    pub fn finish(&mut self, records: u64) {
        self.record_share = if records == 0 {
            0.0
        } else {
            self.records_with_pii as f64 / records as f64
        };
    }
}
