//! `scan --shard I/N`: one machine's share of an audit too big for one machine.
//!
//! Every shard lists the whole dataset (listing is cheap next to reading) and keeps the
//! files whose name hashes to its index. The share of a file depends on nothing but its
//! root's position on the command line and its path, so it is stable under listing
//! order and under files appearing or vanishing elsewhere, and needs no coordinator.
//! Each shard also records a digest of the complete listing: `provaudit merge` refuses
//! shards that saw different data, which is how a file added mid-job is caught instead
//! of being silently in no shard or in two.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use xxhash_rust::xxh3::xxh3_64;

use super::DiscoveredFile;

/// Shard `index` of `count`, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based, below `count`.
    pub index: u32,
    /// Shards of the job, at least 1.
    pub count: u32,
}

impl Shard {
    /// Whether the file at `path` under the root given in position `root_index` is this
    /// shard's.
    pub fn owns(&self, root_index: usize, path: &str) -> bool {
        shard_of(root_index, path, self.count) == self.index
    }
}

/// The shard (of `count`) a file belongs to: XXH3-64 over the root's position and the
/// path, modulo `count`.
pub fn shard_of(root_index: usize, path: &str, count: u32) -> u32 {
    let mut key = Vec::with_capacity(path.len() + 9);
    key.extend_from_slice(&(root_index as u64).to_le_bytes());
    key.push(0);
    key.extend_from_slice(path.as_bytes());
    (xxh3_64(&key) % u64::from(count.max(1))) as u32
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let usage = || format!("`{text}` is not a shard: write I/N with 0 <= I < N, e.g. 0/8");
        let (index, count) = text.split_once('/').ok_or_else(usage)?;
        let index: u32 = index.trim().parse().map_err(|_| usage())?;
        let count: u32 = count.trim().parse().map_err(|_| usage())?;
        if count == 0 || index >= count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

/// What a shard's `summary.json` says about its share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// `I/N`, as given.
    pub spec: String,
    /// See `Shard::index`.
    pub index: u32,
    /// See `Shard::count`.
    pub count: u32,
    /// Files in the whole listing, every shard's together.
    pub discovered_files: u64,
    /// SHA-256 over every discovered file's root position, path, size and modification
    /// time: equal in all shards of one job unless the data changed while it ran.
    pub listing_sha256: String,
}

impl ShardInfo {
    /// The shard's facts over the whole listing (every shard's files).
    pub fn new(shard: Shard, listing: &[DiscoveredFile]) -> Self {
        Self::with_digest(shard, listing.len() as u64, listing_digest(listing))
    }

    /// The shard's facts from a listing summarised earlier (a shard plan's).
    pub fn with_digest(shard: Shard, discovered_files: u64, listing_sha256: String) -> Self {
        ShardInfo {
            spec: shard.to_string(),
            index: shard.index,
            count: shard.count,
            discovered_files,
            listing_sha256,
        }
    }
}

/// The SHA-256 recorded as `listing_sha256`: over every discovered file's root
/// position, path, size and modification time, in listing order.
pub fn listing_digest(files: &[DiscoveredFile]) -> String {
    let mut h = Sha256::new();
    for f in files {
        h.update((f.root_index as u64).to_le_bytes());
        h.update(f.path.as_bytes());
        h.update([0]);
        h.update(f.bytes.to_le_bytes());
        h.update(f.modified.as_deref().unwrap_or("").as_bytes());
        h.update([b'\n']);
    }
    crate::bytesource::hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_valid_specs() {
        assert_eq!("3/8".parse(), Ok(Shard { index: 3, count: 8 }));
        for bad in ["8/8", "1/0", "x/2", "2", "-1/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(Shard { index: 0, count: 4 }.to_string(), "0/4");
    }

    #[test]
    fn every_file_has_exactly_one_shard_and_shares_are_balanced() {
        let paths: Vec<String> = (0..4000)
            .map(|i| format!("dir{}/part-{i}.jsonl", i % 7))
            .collect();
        let mut sizes = [0usize; 8];
        for path in &paths {
            let owners: Vec<u32> = (0..8)
                .filter(|&i| Shard { index: i, count: 8 }.owns(0, path))
                .collect();
            assert_eq!(owners.len(), 1, "{path}");
            sizes[owners[0] as usize] += 1;
        }
        assert!(sizes.iter().all(|&n| (400..600).contains(&n)), "{sizes:?}");
        // The root's position matters, not its spelling or the listing order.
        assert_eq!(shard_of(1, "a.jsonl", 1000), shard_of(1, "a.jsonl", 1000));
        assert_ne!(
            (0..64)
                .map(|i| shard_of(0, &format!("f{i}"), 16))
                .collect::<Vec<_>>(),
            (0..64)
                .map(|i| shard_of(1, &format!("f{i}"), 16))
                .collect::<Vec<_>>()
        );
    }
}
