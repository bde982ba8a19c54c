//! Duplicate bookkeeping: a file's fingerprint keys on their way to its distinct keys,
//! the keys a scan has seen (files settled in ledger order, [`ScanFirsts`]), and the
//! first file of each distinct key across shards (`merge`).
//!
//! Bags of keys and first-seen minima union in any order, so units of a file and
//! shards of a job combine to the same counts.

use std::collections::{HashMap, HashSet};
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

/// A HyperLogLog sketch over every distinct key.
pub fn sketch_of(first: &FirstSeen) -> HyperLogLog {
    let mut hll = HyperLogLog::default();
    first.keys().for_each(|&k| hll.insert(k));
    hll
}

/// At most this many entries are reserved up front in each scan-wide set (2^21 buckets
/// of 9 bytes: 18 MiB).
const MAX_RESERVED_FIRST_SEEN: u64 = 1 << 20;

/// A set of fingerprint keys.
pub type KeySet = HashSet<u64, BuildHasherDefault<IdentityHasher>>;

/// The distinct exact and normalised fingerprint keys of the files finished so far,
/// files taken in ledger order.
///
/// A record is a scan-level duplicate unless it is the first of its fingerprint in the
/// whole scan, files ordered by path. Taking files in that order, a file's own first
/// sightings are exactly its keys not yet in the set, so each file is settled the
/// moment it is finished and nothing waits for the end of the scan; a set of keys
/// (8 bytes each) replaces a map from key to first file (16).
#[derive(Default)]
pub struct ScanFirsts {
    /// Exact fingerprints seen.
    pub exact: KeySet,
    /// Normalised fingerprints seen.
    pub normalized: KeySet,
}

impl ScanFirsts {
    /// Reserved for about one record per KiB of the scan, so the sets do not rehash as
    /// they grow.
    pub fn for_bytes(total_bytes: u64) -> Self {
        let expected = (total_bytes / 1024).min(MAX_RESERVED_FIRST_SEEN) as usize;
        ScanFirsts {
            exact: KeySet::with_capacity_and_hasher(expected, Default::default()),
            normalized: KeySet::with_capacity_and_hasher(expected, Default::default()),
        }
    }

    /// Settles the next file in ledger order, given its distinct keys: its records are
    /// scan-level duplicates except the first sightings of its keys, which are then
    /// noted for the files after it.
    pub fn settle_next(&mut self, exact: &[u64], normalized: &[u64], result: &mut FileResult) {
        let new =
            |set: &mut KeySet, keys: &[u64]| keys.iter().filter(|&&k| set.insert(k)).count() as u64;
        let (exact, normalized) = (
            new(&mut self.exact, exact),
            new(&mut self.normalized, normalized),
        );
        result.duplicates.within_scan = result.dedup_records.saturating_sub(exact);
        result.duplicates.normalized_within_scan = result.dedup_records.saturating_sub(normalized);
    }

    /// Sketches of the distinct exact and normalised keys.
    pub fn sketches(&self) -> (HyperLogLog, HyperLogLog) {
        let sketch = |set: &KeySet| {
            let mut hll = HyperLogLog::default();
            set.iter().for_each(|&k| hll.insert(k));
            hll
        };
        (sketch(&self.exact), sketch(&self.normalized))
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

    /// Files settled in ledger order: a file's first sightings are its keys not seen
    /// in an earlier file.
    #[test]
    fn scan_duplicates_settle_file_by_file_in_ledger_order() {
        let files: [(&[u64], u64); 3] = [(&[1, 2, 3], 4), (&[2, 3, 4], 3), (&[1, 5], 2)];
        let mut firsts = ScanFirsts::for_bytes(0);
        let settled: Vec<(u64, u64)> = files
            .iter()
            .map(|&(keys, dedup_records)| {
                let mut result = FileResult {
                    dedup_records,
                    ..FileResult::default()
                };
                firsts.settle_next(keys, keys, &mut result);
                (
                    result.duplicates.within_scan,
                    result.duplicates.normalized_within_scan,
                )
            })
            .collect();
        assert_eq!(settled, vec![(1, 1), (2, 2), (1, 1)]);
        assert_eq!(firsts.exact.len(), 5);
    }
}
