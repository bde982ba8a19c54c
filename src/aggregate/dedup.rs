//! Duplicate bookkeeping: a file's fingerprint keys on their way to its distinct keys,
//! and the first file of each distinct key in the scan, from which scan-level
//! duplicates are settled once every file is known.
//!
//! Everything here unions in any order (bags of keys, first-seen minima), so units of
//! a file, files of a scan and shards of a job combine to the same counts.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::FileResult;
use super::hll::HyperLogLog;
use crate::analyze::fingerprint::Fingerprint;

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

    /// Adds one record's key; compacts the bag (sort, deduplicate) when it has grown
    /// enough, so a large file's keys stay bounded by its distinct records.
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

/// The first file (by ledger index) of each distinct fingerprint key.
pub type FirstSeen = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

/// Lowers each key's first file to `file_index` where that is earlier: files may be
/// noted in any order.
pub fn note_first_seen(
    first: &mut FirstSeen,
    keys: impl IntoIterator<Item = u64>,
    file_index: u32,
) {
    for fp in keys {
        first
            .entry(fp)
            .and_modify(|f| *f = (*f).min(file_index))
            .or_insert(file_index);
    }
}

/// How many distinct keys each of `files` files is the first of.
pub fn firsts_per_file(first: &FirstSeen, files: usize) -> Vec<u64> {
    let mut firsts = vec![0u64; files];
    for &f in first.values() {
        if let Some(n) = firsts.get_mut(f as usize) {
            *n += 1;
        }
    }
    firsts
}

/// A HyperLogLog sketch over every distinct key.
pub fn sketch_of(first: &FirstSeen) -> HyperLogLog {
    let mut hll = HyperLogLog::default();
    first.keys().for_each(|&k| hll.insert(k));
    hll
}

/// At most this many entries are reserved up front in each scan-wide map (2^21 buckets
/// of 17 bytes: 34 MiB).
const MAX_RESERVED_FIRST_SEEN: u64 = 1 << 20;

/// The scan's first-seen maps for exact and normalised fingerprints.
#[derive(Default)]
pub struct ScanFirsts {
    /// First sightings of exact fingerprints.
    pub exact: FirstSeen,
    /// First sightings of normalised fingerprints.
    pub normalized: FirstSeen,
}

impl ScanFirsts {
    /// Reserved for about one record per KiB of the scan, so the maps, filled while
    /// the workers run, do not rehash as they grow.
    pub fn for_bytes(total_bytes: u64) -> Self {
        let expected = (total_bytes / 1024).min(MAX_RESERVED_FIRST_SEEN) as usize;
        ScanFirsts {
            exact: FirstSeen::with_capacity_and_hasher(expected, Default::default()),
            normalized: FirstSeen::with_capacity_and_hasher(expected, Default::default()),
        }
    }

    /// Notes one file's distinct keys.
    pub fn note(&mut self, exact: &[u64], normalized: &[u64], file_index: u32) {
        note_first_seen(&mut self.exact, exact.iter().copied(), file_index);
        note_first_seen(&mut self.normalized, normalized.iter().copied(), file_index);
    }

    /// A record is a scan-level duplicate unless it is the first of its fingerprint in
    /// the whole scan, files ordered by path: so each file's count is its records minus
    /// the fingerprints whose first file it is.
    pub fn settle(&self, results: &mut [FileResult]) {
        let exact = firsts_per_file(&self.exact, results.len());
        let normalized = firsts_per_file(&self.normalized, results.len());
        for ((result, exact), normalized) in results.iter_mut().zip(exact).zip(normalized) {
            result.duplicates.within_scan = result.dedup_records - exact;
            result.duplicates.normalized_within_scan = result.dedup_records - normalized;
        }
    }

    /// Sketches of the distinct exact and normalised keys.
    pub fn sketches(&self) -> (HyperLogLog, HyperLogLog) {
        (sketch_of(&self.exact), sketch_of(&self.normalized))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Files noted in any order settle to the same counts: the earliest file owns a key.
    #[test]
    fn scan_duplicates_settle_the_same_in_any_noting_order() {
        let files: [(&[u64], u64); 3] = [(&[1, 2, 3], 4), (&[2, 3, 4], 3), (&[1, 5], 2)];
        let settle = |order: &[usize]| {
            let mut firsts = ScanFirsts::for_bytes(0);
            for &f in order {
                firsts.note(files[f].0, files[f].0, f as u32);
            }
            let mut results: Vec<FileResult> = files
                .iter()
                .map(|&(_, dedup_records)| FileResult {
                    dedup_records,
                    ..FileResult::default()
                })
                .collect();
            firsts.settle(&mut results);
            results
                .iter()
                .map(|r| {
                    (
                        r.duplicates.within_scan,
                        r.duplicates.normalized_within_scan,
                    )
                })
                .collect::<Vec<_>>()
        };
        let expected = vec![(1, 1), (2, 2), (1, 1)];
        assert_eq!(settle(&[0, 1, 2]), expected);
        assert_eq!(settle(&[2, 1, 0]), expected);
        assert_eq!(settle(&[1, 2, 0]), expected);
    }
}
