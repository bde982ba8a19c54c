//! Near-duplicate settlement: files taken in ledger order, each record looked up in a
//! locality-sensitive index of every earlier record's band keys, candidates confirmed
//! by their estimated similarity, confirmed pairs joined into clusters (union-find).
//!
//! As for exact duplicates ([`super::dedup::ScanFirsts`]), scan order is record order
//! within a file and ledger order across files, and a file is settled the moment it is
//! finished. A record is a near-duplicate *within the scan* when an earlier record
//! anywhere is confirmed similar, *within the file* when an earlier record of its own
//! file is. The index keeps, per band key, the first record that had it: a later
//! record is compared with that one, so a pair whose shared key was first taken by a
//! third, dissimilar record can be missed (rare: dissimilar records seldom share a
//! key). Within a file a second, file-local index gives the same guarantee for
//! `within_file`, whatever earlier files hold.
//!
//! Memory held scan-wide per record with a signature: its union-find parent (4 bytes)
//! and `bands` entries of the index (6 bytes each in tables kept 64–80% full, so
//! 7.5–9.4 bytes each: 45–56 for the default 6 bands), about 49–60 bytes per record,
//! plus 12 per near-duplicate record for the pair list and 16 per run of consecutive
//! ordinals (a file whose records all have a signature is one run). Sketches
//! (`permutations / 2` bytes, 32 by default) go to a file in the audit directory
//! ([`NearDupIndex::on_disk`]) and are read back only to confirm a candidate; a file's
//! records wait for settlement on disk ([`RecordSpill`]). The band index is not
//! spilled: records beyond 2^32 − 2 in one scan are not indexed, and a scan of 10^9
//! records needs about 55 GB for it.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::analyze::minhash::{MinHashParams, estimate};

/// Near-duplicate counts of one file (ledger column `near_duplicates`).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NearDuplicates {
    /// Records confirmed similar to an earlier record of the same file.
    pub within_file: u64,
    /// Records confirmed similar to an earlier record anywhere in the scan (includes
    /// `within_file`).
    pub within_scan: u64,
    /// Distinct clusters this file's near-duplicate records belong to, as known when
    /// the file was settled (a later record can join two clusters into one).
    pub clusters: u64,
}

impl NearDuplicates {
    /// Adds another file's or group's counts (clusters add up: a cluster spanning two
    /// files counts in each).
    pub fn merge(&mut self, other: &NearDuplicates) {
        self.within_file += other.within_file;
        self.within_scan += other.within_scan;
        self.clusters += other.clusters;
    }
}

/// The records of a unit, then of a file, that have a signature, in record order:
/// per record its ordinal, `bands` band keys and a sketch of `sketch_bytes`.
///
/// Units append in record order and a file's units are merged in unit order (see
/// `scan::merge_file`), so the file's records come out in file order, which is what
/// scan-order settlement needs. Held until the file is settled: 8 + 8 × bands +
/// sketch bytes (8 + 48 + 32 = 88 with the defaults) per record of the file, which
/// for a file of ten million short records was 880 MB (and as much again while its
/// vectors grew). With a [`RecordSpill`], a unit writes its records to disk every
/// [`SPILL_RECORDS`] ([`NearDupRecords::spill_if_full`]), so it holds at most that
/// many in memory; settlement reads them back a run at a time
/// ([`NearDupRecords::for_each_chunk`]).
#[derive(Debug, Default)]
pub struct NearDupRecords {
    /// Each record's ordinal (in the unit until the file is merged, then in the file).
    pub ordinals: Vec<u64>,
    /// Each record's band keys, `bands` per record.
    pub band_keys: Vec<u64>,
    /// Each record's sketch ([`crate::analyze::minhash::sketch`]).
    pub sketches: Vec<u8>,
    /// Records before those above, in order (empty unless spilled or merged after a
    /// spill).
    earlier: Vec<Earlier>,
    /// The file this unit's records are spilled to, once one was.
    file: Option<Arc<SpillFile>>,
}

/// Records a unit spills to disk at a time: 2.8 MB with the default parameters.
pub const SPILL_RECORDS: usize = 1 << 15;

/// A run of records before a [`NearDupRecords`]' own vectors.
#[derive(Debug)]
enum Earlier {
    /// A unit's records kept in memory, followed by a later unit's spilled ones.
    Memory(NearDupRecords),
    /// `records` records written at byte `at` of `file` (ordinals, then band keys,
    /// then sketches), their ordinals to be shifted by `shift`.
    Disk {
        file: Arc<SpillFile>,
        at: u64,
        records: usize,
        shift: u64,
    },
}

/// The directory the units of a scan spill their records into
/// (`.near_records.partial` in the audit directory), removed when dropped.
#[derive(Debug)]
pub struct RecordSpill {
    dir: std::path::PathBuf,
    next: AtomicU64,
}

impl RecordSpill {
    /// Creates (or clears) the spill directory in `out`.
    pub fn new(out: &Path) -> std::io::Result<Self> {
        let dir = out.join(".near_records.partial");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(RecordSpill {
            dir,
            next: AtomicU64::new(0),
        })
    }

    fn file(&self) -> std::io::Result<SpillFile> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        SpillFile::create(self.dir.join(format!("unit-{n:08}.bin")))
    }
}

impl Drop for RecordSpill {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A file of spilled data, removed when dropped: a unit's records (dropped with the
/// last run in it, once its file is settled, so the disk holds the files of the
/// reorder window, not the scan's) or the index's sketches.
#[derive(Debug)]
struct SpillFile {
    path: std::path::PathBuf,
    file: std::fs::File,
    len: AtomicU64,
}

impl SpillFile {
    /// Creates (or empties) the file at `path`, for writing and reading back.
    fn create(path: std::path::PathBuf) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)?;
        Ok(SpillFile {
            path,
            file,
            len: AtomicU64::new(0),
        })
    }
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl NearDupRecords {
    /// Records held, in memory and spilled.
    pub fn len(&self) -> usize {
        let earlier: usize = self
            .earlier
            .iter()
            .map(|e| match e {
                Earlier::Memory(m) => m.len(),
                Earlier::Disk { records, .. } => *records,
            })
            .sum();
        earlier + self.ordinals.len()
    }

    /// No record held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Shifts unit-relative ordinals by `base` (the records of the units before).
    pub fn shift(&mut self, base: u64) {
        self.ordinals.iter_mut().for_each(|o| *o += base);
        for earlier in &mut self.earlier {
            match earlier {
                Earlier::Memory(m) => m.shift(base),
                Earlier::Disk { shift, .. } => *shift += base,
            }
        }
    }

    /// Gives back the room the vectors grew into: a unit's records wait for their
    /// file's turn in ledger order, and a doubling vector is up to half empty.
    pub fn shrink_to_fit(&mut self) {
        self.ordinals.shrink_to_fit();
        self.band_keys.shrink_to_fit();
        self.sketches.shrink_to_fit();
    }

    /// Appends `other`'s records after these.
    pub fn append(&mut self, mut other: NearDupRecords) {
        if self.is_empty() {
            *self = other;
            return;
        }
        if other.earlier.is_empty() {
            self.ordinals.extend_from_slice(&other.ordinals);
            self.band_keys.extend_from_slice(&other.band_keys);
            self.sketches.extend_from_slice(&other.sketches);
            return;
        }
        let own = NearDupRecords {
            ordinals: std::mem::take(&mut self.ordinals),
            band_keys: std::mem::take(&mut self.band_keys),
            sketches: std::mem::take(&mut self.sketches),
            ..Default::default()
        };
        if !own.is_empty() {
            self.earlier.push(Earlier::Memory(own));
        }
        self.earlier.append(&mut other.earlier);
        self.ordinals = other.ordinals;
        self.band_keys = other.band_keys;
        self.sketches = other.sketches;
    }

    /// Writes the records held in memory to `spill` once they are [`SPILL_RECORDS`];
    /// if that fails they stay in memory (the scan goes on with more memory, as
    /// without a spill).
    pub fn spill_if_full(&mut self, spill: &RecordSpill) {
        if self.ordinals.len() < SPILL_RECORDS {
            return;
        }
        if self.file.is_none() {
            self.file = spill.file().ok().map(Arc::new);
        }
        let Some(file) = &self.file else { return };
        let mut bytes = Vec::with_capacity(
            8 * (self.ordinals.len() + self.band_keys.len()) + self.sketches.len(),
        );
        for word in self.ordinals.iter().chain(&self.band_keys) {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        bytes.extend_from_slice(&self.sketches);
        let at = file.len.load(Ordering::Relaxed);
        if positioned::write_all_at(&file.file, &bytes, at).is_err() {
            return;
        }
        file.len.store(at + bytes.len() as u64, Ordering::Relaxed);
        self.earlier.push(Earlier::Disk {
            file: Arc::clone(file),
            at,
            records: self.ordinals.len(),
            shift: 0,
        });
        self.ordinals.clear();
        self.band_keys.clear();
        self.sketches.clear();
    }

    /// Calls `each` on the records in order, a run at a time (spilled runs read back
    /// into one buffer), each run's vectors complete and in memory.
    pub fn for_each_chunk(
        &self,
        bands: usize,
        sketch_bytes: usize,
        each: &mut dyn FnMut(&NearDupRecords),
    ) -> std::io::Result<()> {
        let mut read = NearDupRecords::default();
        let mut bytes = Vec::new();
        for earlier in &self.earlier {
            match earlier {
                Earlier::Memory(m) => m.for_each_chunk(bands, sketch_bytes, each)?,
                Earlier::Disk {
                    file,
                    at,
                    records,
                    shift,
                } => {
                    let n = *records;
                    bytes.resize(n * (8 + 8 * bands + sketch_bytes), 0);
                    positioned::read_exact_at(&file.file, &mut bytes, *at)?;
                    let (words, sketches) = bytes.split_at(8 * n * (1 + bands));
                    let mut words = words
                        .chunks_exact(8)
                        .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()));
                    read.ordinals.clear();
                    read.ordinals
                        .extend(words.by_ref().take(n).map(|o| o + shift));
                    read.band_keys.clear();
                    read.band_keys.extend(words);
                    read.sketches.clear();
                    read.sketches.extend_from_slice(sketches);
                    each(&read);
                }
            }
        }
        if !self.ordinals.is_empty() {
            each(self);
        }
        Ok(())
    }
}

/// A near-duplicate record: its index id, the earlier record it is most similar to
/// (of those confirmed), and that similarity.
#[derive(Debug, Clone, Copy)]
struct Pair {
    record: u32,
    representative: u32,
    similarity: f32,
}

/// An open-addressing table from band key to the first record id that had it, the
/// key's high 32 bits as its tag and the id + 1 in each slot (0: empty). Two keys with
/// one tag are taken for one: with n entries a new key meets a taken tag with
/// probability n / 2^32 (0.2% at ten million), which costs a candidate that
/// confirmation rejects, or the key's first record not being noted.
///
/// The table is kept between 64% and 80% full: it grows by a quarter, not by
/// doubling (its slots are any number, a tag's first slot its multiplied tag scaled to
/// them), so its entries take 1.25–1.56 slots each instead of the 1.33–2.67 of a
/// power-of-two table kept at most 3/4 full; at the scan-wide index's millions of
/// entries that is tens of MB. How a slot holds its tag is [`Slots`]': whole (8
/// bytes, [`Wide`]) or, in a table whose tags share their top 16 bits, only the low
/// 16 (6 bytes, [`Narrow`]).
#[derive(Debug, Default)]
struct BandTable<S> {
    slots: S,
    len: usize,
}

/// The slots of a [`BandTable`].
trait Slots: Default {
    /// The fewest slots a table that holds anything has.
    const MIN_SLOTS: usize;
    fn count(&self) -> usize;
    /// A table of `n` empty slots.
    fn empty(n: usize) -> Self;
    /// Empties every slot, keeping the room.
    fn reset(&mut self);
    /// Slot `at`'s id + 1 (0: empty).
    fn id(&self, at: usize) -> u32;
    /// Whether slot `at` (not empty) holds `tag`.
    fn holds(&self, at: usize, tag: u32) -> bool;
    /// The tag of slot `at` (not empty), given one tag of the table (tags a narrow
    /// table does not keep whole are the same in all its entries).
    fn tag(&self, at: usize, any: u32) -> u32;
    fn set(&mut self, at: usize, tag: u32, id: u32);
    fn bytes(&self) -> usize;
}

/// Whole tags: `tag << 32 | id + 1` a slot.
#[derive(Debug, Default)]
struct Wide(Vec<u64>);

impl Slots for Wide {
    const MIN_SLOTS: usize = 1 << 10;
    fn count(&self) -> usize {
        self.0.len()
    }
    fn empty(n: usize) -> Self {
        Wide(vec![0; n])
    }
    fn reset(&mut self) {
        self.0.fill(0);
    }
    #[inline]
    fn id(&self, at: usize) -> u32 {
        self.0[at] as u32
    }
    #[inline]
    fn holds(&self, at: usize, tag: u32) -> bool {
        (self.0[at] >> 32) as u32 == tag
    }
    fn tag(&self, at: usize, _: u32) -> u32 {
        (self.0[at] >> 32) as u32
    }
    fn set(&mut self, at: usize, tag: u32, id: u32) {
        self.0[at] = (u64::from(tag) << 32) | u64::from(id);
    }
    fn bytes(&self) -> usize {
        self.0.capacity() * 8
    }
}

/// The low 16 bits of each tag and the id + 1, side by side in three 16-bit words:
/// for a table whose tags all share their top 16 bits ([`BandIndex`]' shards), 6
/// bytes a slot holding exactly what 8 did. One array, not one of tags and one of
/// ids: a probe of the scan-wide index is a cache miss, and two arrays made it two.
#[derive(Debug, Default)]
struct Narrow(Vec<[u16; 3]>);

impl Slots for Narrow {
    const MIN_SLOTS: usize = 8;
    fn count(&self) -> usize {
        self.0.len()
    }
    fn empty(n: usize) -> Self {
        Narrow(vec![[0; 3]; n])
    }
    fn reset(&mut self) {
        self.0.fill([0; 3]);
    }
    #[inline]
    fn id(&self, at: usize) -> u32 {
        let [_, low, high] = self.0[at];
        u32::from(low) | (u32::from(high) << 16)
    }
    #[inline]
    fn holds(&self, at: usize, tag: u32) -> bool {
        self.0[at][0] == tag as u16
    }
    fn tag(&self, at: usize, any: u32) -> u32 {
        (any & 0xffff_0000) | u32::from(self.0[at][0])
    }
    fn set(&mut self, at: usize, tag: u32, id: u32) {
        self.0[at] = [tag as u16, id as u16, (id >> 16) as u16];
    }
    fn bytes(&self) -> usize {
        self.0.capacity() * 6
    }
}

impl<S: Slots> BandTable<S> {
    fn clear(&mut self) {
        if self.slots.count() > 1 << 20 {
            self.slots = S::default();
        } else {
            self.slots.reset();
        }
        self.len = 0;
    }

    fn tag(key: u64) -> u32 {
        (key >> 32) as u32
    }

    /// The first slot a tag is looked for in: its tag multiplied (all of its bits
    /// reach the high half, though a shard's tags share their top bits) and scaled.
    #[inline]
    fn home(tag: u32, slots: usize) -> usize {
        let mixed = tag.wrapping_mul(0x9e37_79b1);
        ((u64::from(mixed) * slots as u64) >> 32) as usize
    }

    /// The id stored for `key`, if any.
    fn get(&self, key: u64) -> Option<u32> {
        let n = self.slots.count();
        if n == 0 {
            return None;
        }
        let tag = Self::tag(key);
        let mut at = Self::home(tag, n);
        loop {
            let id = self.slots.id(at);
            if id == 0 {
                return None;
            }
            if self.slots.holds(at, tag) {
                return Some(id.wrapping_sub(1));
            }
            at = if at + 1 == n { 0 } else { at + 1 };
        }
    }

    /// Stores `id` (below `u32::MAX`) for `key` unless its tag is there already;
    /// returns the id that was there (`None`: `id` was stored). One probe does the
    /// lookup and the insertion, which were two cache misses.
    fn insert_first(&mut self, key: u64, id: u32) -> Option<u32> {
        if (self.len + 1) * 5 > self.slots.count() * 4 {
            self.grow(Self::tag(key));
        }
        let tag = Self::tag(key);
        let n = self.slots.count();
        let mut at = Self::home(tag, n);
        loop {
            let there = self.slots.id(at);
            if there == 0 {
                self.slots.set(at, tag, id + 1);
                self.len += 1;
                return None;
            }
            if self.slots.holds(at, tag) {
                return Some(there - 1);
            }
            at = if at + 1 == n { 0 } else { at + 1 };
        }
    }

    /// Grows the table by a quarter, re-placing every entry from its tag (`any`: a
    /// tag of this table, for the bits a narrow table does not keep).
    fn grow(&mut self, any: u32) {
        let old = std::mem::take(&mut self.slots);
        let size = (old.count() + old.count() / 4).max(S::MIN_SLOTS);
        self.slots = S::empty(size);
        for from in (0..old.count()).filter(|&i| old.id(i) != 0) {
            let tag = old.tag(from, any);
            let mut at = Self::home(tag, size);
            while self.slots.id(at) != 0 {
                at = if at + 1 == size { 0 } else { at + 1 };
            }
            self.slots.set(at, tag, old.id(from));
        }
    }

    /// Bytes held.
    fn bytes(&self) -> usize {
        self.slots.bytes()
    }
}

/// The scan-wide band index: narrow [`BandTable`]s chosen by a key's top 16 tag bits,
/// so each keeps only the other 16 (6 bytes a slot, not 8: a quarter of the index,
/// 25 MB on the 1 GB corpus) and grows on its own (growing one briefly holds
/// 1/65,536 of the index twice, not the whole index: a single table peaked at three
/// times its entries' size).
struct BandIndex {
    shards: Vec<BandTable<Narrow>>,
}

impl BandIndex {
    const SHARDS: usize = 1 << 16;

    fn new() -> Self {
        BandIndex {
            shards: (0..Self::SHARDS).map(|_| BandTable::default()).collect(),
        }
    }

    fn shard(key: u64) -> usize {
        (key >> 48) as usize
    }

    fn insert_first(&mut self, key: u64, id: u32) -> Option<u32> {
        self.shards[Self::shard(key)].insert_first(key, id)
    }

    fn bytes(&self) -> usize {
        self.shards.iter().map(BandTable::bytes).sum::<usize>()
            + self.shards.capacity() * std::mem::size_of::<BandTable<Narrow>>()
    }
}

/// A growing list kept in blocks of [`Blocks::BLOCK`] items, so growing it never
/// copies it: a `Vec` that doubles holds its old and new buffers at once, 1.5 to 3
/// times its contents for a moment, which for the scan-wide sketches is tens of MB.
#[derive(Debug)]
struct Blocks<T> {
    blocks: Vec<Vec<T>>,
    /// Items per entry (a sketch is several bytes).
    width: usize,
}

impl<T: Copy> Blocks<T> {
    /// Entries per block.
    const BLOCK: usize = 1 << 16;

    fn new(width: usize) -> Self {
        Blocks {
            blocks: Vec::new(),
            width,
        }
    }

    fn push(&mut self, entry: &[T]) {
        if self
            .blocks
            .last()
            .is_none_or(|b| b.len() == Self::BLOCK * self.width)
        {
            self.blocks
                .push(Vec::with_capacity(Self::BLOCK * self.width));
        }
        if let Some(block) = self.blocks.last_mut() {
            block.extend_from_slice(entry);
        }
    }

    fn get(&self, id: u32) -> &[T] {
        let (block, at) = (id as usize / Self::BLOCK, id as usize % Self::BLOCK);
        &self.blocks[block][at * self.width..(at + 1) * self.width]
    }

    fn bytes(&self) -> usize {
        self.blocks.len() * Self::BLOCK * self.width * std::mem::size_of::<T>()
    }
}

/// The sketches of every indexed record, by id: in memory, or appended to a file and
/// read back with positioned reads. A sketch is read only to confirm a candidate, and
/// candidates are few (a record shares a band key with an earlier one), so on disk
/// they cost the scan little and take 32 bytes a record (a third of the index) out
/// of memory.
enum Sketches {
    Memory(Blocks<u8>),
    File(SketchFile),
}

/// An append-only file of sketches: written in [`SketchFile::BUFFER`]-byte batches,
/// the unwritten tail read from memory. Removed when dropped (its [`SpillFile`]).
struct SketchFile {
    file: SpillFile,
    width: usize,
    /// Bytes written to the file; the sketches from there on are in `pending`.
    written: u64,
    pending: Vec<u8>,
    /// The last sketch read from the file, and its id: a record like many before it
    /// meets the same earlier record again and again.
    last: Option<u32>,
    read: Vec<u8>,
    /// The first I/O error; the scan fails with it at the end ([`NearDupIndex::check`]).
    failed: Option<std::io::Error>,
}

impl SketchFile {
    const BUFFER: usize = 1 << 20;

    fn create(path: std::path::PathBuf, width: usize) -> std::io::Result<Self> {
        Ok(SketchFile {
            file: SpillFile::create(path)?,
            width,
            written: 0,
            pending: Vec::with_capacity(Self::BUFFER),
            last: None,
            read: vec![0; width],
            failed: None,
        })
    }

    fn push(&mut self, sketch: &[u8]) {
        self.pending.extend_from_slice(sketch);
        if self.pending.len() >= Self::BUFFER {
            let written = positioned::write_all_at(&self.file.file, &self.pending, self.written);
            if let Err(e) = written {
                self.failed.get_or_insert(e);
            }
            // Counted as written even when the write failed, so later ids still map
            // to their own sketches (the scan fails with the error at the end).
            self.written += self.pending.len() as u64;
            self.pending.clear();
        }
    }

    /// Sketch `id`; `None` after an I/O error (kept for [`NearDupIndex::check`]).
    fn get(&mut self, id: u32) -> Option<&[u8]> {
        let at = u64::from(id) * self.width as u64;
        if at >= self.written {
            let from = usize::try_from(at - self.written).ok()?;
            return self.pending.get(from..from + self.width);
        }
        if self.last != Some(id) {
            self.last = None;
            if let Err(e) = positioned::read_exact_at(&self.file.file, &mut self.read, at) {
                self.failed.get_or_insert(e);
                return None;
            }
            self.last = Some(id);
        }
        Some(&self.read)
    }
}

/// Positioned reads and writes, which leave the file's cursor alone.
mod positioned {
    use std::fs::File;
    use std::io::Result;

    #[cfg(unix)]
    pub fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
    }

    #[cfg(unix)]
    pub fn write_all_at(file: &File, buf: &[u8], at: u64) -> Result<()> {
        std::os::unix::fs::FileExt::write_all_at(file, buf, at)
    }

    // Elsewhere a seek then a read or write: each spill file has one reader or
    // writer at a time (a unit writes its own, the collector reads it once the
    // unit is done; the index alone uses its sketches).
    #[cfg(not(unix))]
    pub fn read_exact_at(mut file: &File, buf: &mut [u8], at: u64) -> Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(buf)
    }

    #[cfg(not(unix))]
    pub fn write_all_at(mut file: &File, buf: &[u8], at: u64) -> Result<()> {
        use std::io::{Seek, SeekFrom, Write};
        file.seek(SeekFrom::Start(at))?;
        file.write_all(buf)
    }
}

impl Sketches {
    fn push(&mut self, sketch: &[u8]) {
        match self {
            Sketches::Memory(blocks) => blocks.push(sketch),
            Sketches::File(file) => file.push(sketch),
        }
    }

    fn get(&mut self, id: u32) -> Option<&[u8]> {
        match self {
            Sketches::Memory(blocks) => Some(blocks.get(id)),
            Sketches::File(file) => file.get(id),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Sketches::Memory(blocks) => blocks.bytes(),
            Sketches::File(file) => file.pending.capacity() + file.read.capacity(),
        }
    }

    fn take_error(&mut self) -> Option<std::io::Error> {
        match self {
            Sketches::Memory(_) => None,
            Sketches::File(file) => file.failed.take(),
        }
    }
}

/// Ids beyond this are not indexed (the table stores id + 1 in 32 bits).
const MAX_ID: u32 = u32::MAX - 1;

/// The records of the files settled so far, in scan order: the band index, sketches
/// and clusters.
pub struct NearDupIndex {
    params: MinHashParams,
    sketch_bytes: usize,
    /// Every band key's first record.
    table: BandIndex,
    /// The current file's first record (file-relative id) of each band key whose
    /// first record in the scan is an earlier file's. Keys first seen in this file
    /// need no entry (the scan-wide table has the same first record), so a file of
    /// ten million new records keeps none here rather than 60 million.
    local: BandTable<Wide>,
    /// The current record's keys that an earlier file had first.
    earlier_keys: Vec<u64>,
    sketches: Sketches,
    /// Record ordinals as runs: `(first id, its ordinal)` wherever an id's ordinal is
    /// not the one before's plus one (a file's first record, a record after one with
    /// no signature), so a file whose records all have one costs 16 bytes, not 8 a
    /// record.
    ordinal_runs: Vec<(u32, u64)>,
    parent: Vec<u32>,
    /// `(first id, ledger index)` of each file with records, in ledger order.
    files: Vec<(u32, u32)>,
    pairs: Vec<Pair>,
    candidates: Vec<u32>,
    /// The first error reading spilled records back.
    failed: Option<std::io::Error>,
}

/// Where the settlement of one file is.
struct Settling {
    /// The file's first record's id.
    start: u32,
    /// Records of the file settled so far.
    next: u64,
    /// The ordinal that continues the current run.
    next_ordinal: Option<u64>,
    counts: NearDuplicates,
}

/// A near-duplicate record as written to `near_duplicates.parquet`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearDupRow {
    /// The cluster's id: its root's scan-order index among records with a signature.
    pub cluster: u64,
    /// The ledger index of the cluster's root record's file.
    pub root_file: u32,
    /// The root record's ordinal in its file.
    pub root_record: u64,
    /// The ledger index of this record's file.
    pub file: u32,
    /// This record's ordinal in its file.
    pub record: u64,
    /// The ledger index of the file of the earlier record it is most similar to.
    pub representative_file: u32,
    /// That record's ordinal.
    pub representative_record: u64,
    /// Their estimated Jaccard similarity.
    pub similarity: f64,
}

impl NearDupIndex {
    /// An empty index for `params`.
    pub fn new(params: MinHashParams) -> Self {
        NearDupIndex {
            params,
            sketch_bytes: params.sketch_bytes(),
            table: BandIndex::new(),
            local: BandTable::default(),
            sketches: Sketches::Memory(Blocks::new(params.sketch_bytes())),
            ordinal_runs: Vec::new(),
            parent: Vec::new(),
            files: Vec::new(),
            pairs: Vec::new(),
            candidates: Vec::new(),
            earlier_keys: Vec::new(),
            failed: None,
        }
    }

    /// An empty index for `params` whose sketches go to a file in `dir` (removed when
    /// the index is dropped), as a scan's and a merge's do.
    pub fn on_disk(params: MinHashParams, dir: &std::path::Path) -> std::io::Result<Self> {
        let path = dir.join(".near_sketches.partial");
        let mut index = Self::new(params);
        index.sketches = Sketches::File(SketchFile::create(path, params.sketch_bytes())?);
        Ok(index)
    }

    /// The parameters.
    pub fn params(&self) -> &MinHashParams {
        &self.params
    }

    /// The first error reading or writing the sketch file, if any: a candidate whose
    /// sketch could not be read was not confirmed, so the figures are not to be
    /// trusted.
    pub fn check(&mut self) -> std::io::Result<()> {
        match self.failed.take().or_else(|| self.sketches.take_error()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The root of `id`'s cluster (path halving).
    fn find(&mut self, mut id: u32) -> u32 {
        while self.parent[id as usize] != id {
            let up = self.parent[self.parent[id as usize] as usize];
            self.parent[id as usize] = up;
            id = up;
        }
        id
    }

    /// Joins two clusters under the earlier root, so a root is its cluster's first
    /// record in scan order.
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (root, child) = (ra.min(rb), ra.max(rb));
        self.parent[child as usize] = root;
    }

    /// Settles the next file in ledger order (`file` its ledger index) from its
    /// records in file order; returns its counts.
    pub fn settle_next(&mut self, file: u32, records: &NearDupRecords) -> NearDuplicates {
        let start = self.parent.len() as u32;
        let mut settling = Settling {
            start,
            next: 0,
            next_ordinal: None,
            counts: NearDuplicates::default(),
        };
        if records.is_empty() {
            return settling.counts;
        }
        self.files.push((start, file));
        self.local.clear();
        let first_pair = self.pairs.len();
        let (bands, sketch_bytes) = (self.params.bands, self.sketch_bytes);
        let read = records.for_each_chunk(bands, sketch_bytes, &mut |chunk| {
            for (j, &ordinal) in chunk.ordinals.iter().enumerate() {
                let keys = &chunk.band_keys[j * bands..(j + 1) * bands];
                let sketch = &chunk.sketches[j * sketch_bytes..(j + 1) * sketch_bytes];
                self.settle_record(&mut settling, ordinal, keys, sketch);
            }
        });
        if let Err(e) = read {
            self.failed.get_or_insert(e);
        }
        let mut counts = settling.counts;
        counts.clusters = self.distinct_roots(first_pair);
        counts
    }

    /// Settles the next record of the file being settled.
    fn settle_record(&mut self, file: &mut Settling, ordinal: u64, keys: &[u64], sketch: &[u8]) {
        let start = file.start;
        let Some(id) = u32::try_from(file.next)
            .ok()
            .and_then(|j| start.checked_add(j))
            .filter(|&id| id <= MAX_ID)
        else {
            return;
        };
        file.next += 1;
        self.candidates.clear();
        self.earlier_keys.clear();
        for &key in keys {
            // The key's first record, this one if none was before: it is noted now
            // rather than after the candidates are confirmed, which changes nothing
            // (this record is no candidate of its own).
            let first = self.table.insert_first(key, id).filter(|&g| g != id);
            self.candidates.extend(first);
            // A key whose first record is an earlier file's is the only kind the
            // file-local table must know: for the others the scan-wide table's first
            // is the file's first.
            if first.is_some_and(|g| g < start) {
                self.earlier_keys.push(key);
                self.candidates
                    .extend(self.local.get(key).map(|e| start + e));
            }
        }
        self.candidates.sort_unstable();
        self.candidates.dedup();
        self.sketches.push(sketch);
        if file.next_ordinal != Some(ordinal) {
            self.ordinal_runs.push((id, ordinal));
        }
        file.next_ordinal = ordinal.checked_add(1);
        self.parent.push(id);
        let mut best: Option<(f32, u32)> = None;
        let mut in_file = false;
        for c in 0..self.candidates.len() {
            let earlier = self.candidates[c];
            let Some(theirs) = self.sketches.get(earlier) else {
                continue;
            };
            let similarity = estimate(sketch, theirs, self.params.permutations) as f32;
            if f64::from(similarity) < self.params.threshold {
                continue;
            }
            self.union(id, earlier);
            in_file |= earlier >= start;
            if best.is_none_or(|(s, _)| similarity > s) {
                best = Some((similarity, earlier));
            }
        }
        for &key in &self.earlier_keys {
            self.local.insert_first(key, id - start);
        }
        if let Some((similarity, representative)) = best {
            file.counts.within_scan += 1;
            file.counts.within_file += u64::from(in_file);
            self.pairs.push(Pair {
                record: id,
                representative,
                similarity,
            });
        }
    }

    /// Bytes held scan-wide (the figure the README states per record).
    pub fn bytes(&self) -> usize {
        self.table.bytes()
            + self.sketches.bytes()
            + self.ordinal_runs.capacity() * std::mem::size_of::<(u32, u64)>()
            + self.parent.capacity() * 4
            + self.pairs.capacity() * std::mem::size_of::<Pair>()
    }

    /// Records with a signature settled so far.
    pub fn records(&self) -> u64 {
        self.parent.len() as u64
    }

    /// Near-duplicate records in the scan.
    pub fn near_duplicates(&self) -> u64 {
        self.pairs.len() as u64
    }

    /// Clusters with at least two records, as finally joined.
    pub fn clusters(&mut self) -> u64 {
        self.distinct_roots(0)
    }

    /// Distinct clusters of the near-duplicate records from pair `from` on.
    fn distinct_roots(&mut self, from: usize) -> u64 {
        let mut roots: Vec<u32> = (from..self.pairs.len())
            .map(|p| self.pairs[p].record)
            .collect();
        for r in &mut roots {
            *r = self.find(*r);
        }
        roots.sort_unstable();
        roots.dedup();
        roots.len() as u64
    }

    /// `(ledger index, ordinal)` of record `id`.
    fn locate(&self, id: u32) -> (u32, u64) {
        let at = self.files.partition_point(|&(first, _)| first <= id);
        let file = at.checked_sub(1).map_or(0, |i| self.files[i].1);
        let run = self.ordinal_runs.partition_point(|&(first, _)| first <= id);
        let ordinal = run.checked_sub(1).map_or(0, |r| {
            self.ordinal_runs[r].1 + u64::from(id - self.ordinal_runs[r].0)
        });
        (file, ordinal)
    }

    /// Every near-duplicate record in scan order, with its cluster as finally joined.
    pub fn rows(&mut self) -> Vec<NearDupRow> {
        self.rows_from(0, usize::MAX)
    }

    /// At most `max` of [`Self::rows`] from the `from`th on: the list is written a
    /// batch at a time, not built whole (a million near-duplicates are 56 MB of rows).
    pub fn rows_from(&mut self, from: usize, max: usize) -> Vec<NearDupRow> {
        let end = from.saturating_add(max).min(self.pairs.len());
        (from.min(end)..end)
            .map(|p| {
                let pair = self.pairs[p];
                let root = self.find(pair.record);
                let (root_file, root_record) = self.locate(root);
                let (file, record) = self.locate(pair.record);
                let (representative_file, representative_record) = self.locate(pair.representative);
                NearDupRow {
                    cluster: u64::from(root),
                    root_file,
                    root_record,
                    file,
                    record,
                    representative_file,
                    representative_record,
                    similarity: f64::from(pair.similarity),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::minhash::MinHasher;

    /// The records of one file from texts (already normalised: lower case).
    fn file(hasher: &mut MinHasher, texts: &[&str]) -> NearDupRecords {
        unit(hasher, texts, None)
    }

    fn doc(seed: usize, words: usize) -> String {
        (0..words)
            .map(|i| format!("w{}", (i * 7919 + seed * 104_729) % 100_003))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn records_settle_in_scan_order_with_clusters() {
        let params = MinHashParams::default();
        let mut hasher = MinHasher::new(params);
        let (a, b, c) = (doc(1, 200), doc(2, 200), doc(3, 200));
        let a_edit = a.clone() + " one more";
        let first = file(&mut hasher, &[&a, &b, "", &a_edit]);
        let second = file(&mut hasher, &[&c, &a, &b]);
        let mut index = NearDupIndex::new(params);
        let one = index.settle_next(0, &first);
        assert_eq!(
            one,
            NearDuplicates {
                within_file: 1,
                within_scan: 1,
                clusters: 1
            }
        );
        let two = index.settle_next(3, &second);
        assert_eq!(
            two,
            NearDuplicates {
                within_file: 0,
                within_scan: 2,
                clusters: 2
            }
        );
        assert_eq!(index.records(), 6);
        assert_eq!(index.clusters(), 2);
        let rows = index.rows();
        let places: Vec<(u32, u64, u32, u64)> = rows
            .iter()
            .map(|r| (r.file, r.record, r.root_file, r.root_record))
            .collect();
        // File 0's record 3 joins record 0; file 3's records 1 and 2 join file 0's
        // records 0 and 1.
        assert_eq!(places, vec![(0, 3, 0, 0), (3, 1, 0, 0), (3, 2, 0, 1)]);
        assert!(rows.iter().all(|r| r.similarity >= params.threshold));
    }

    /// A unit's records as the detector collects them, spilling when `spill` is given.
    fn unit<T: AsRef<str>>(
        hasher: &mut MinHasher,
        texts: &[T],
        spill: Option<&RecordSpill>,
    ) -> NearDupRecords {
        let mut records = NearDupRecords::default();
        for (i, text) in texts.iter().enumerate() {
            if hasher.add(
                text.as_ref().as_bytes(),
                &mut records.band_keys,
                &mut records.sketches,
            ) {
                records.ordinals.push(i as u64);
                if let Some(spill) = spill {
                    records.spill_if_full(spill);
                }
            }
        }
        records
    }

    #[test]
    fn spilled_records_settle_as_kept_ones() {
        let params = MinHashParams::default();
        let mut hasher = MinHasher::new(params);
        // Two units of a file, the first spilled twice and a tail, with repeats
        // across the spill boundaries (every 700th text is an earlier one's).
        let texts: Vec<String> = (0..SPILL_RECORDS * 2 + 500)
            .map(|i| doc(if i % 700 == 699 { i - 650 } else { i }, 12))
            .collect();
        let (a, b) = texts.split_at(SPILL_RECORDS + 300);
        let dir = tempfile::tempdir().unwrap();
        let spill = RecordSpill::new(dir.path()).unwrap();
        let file = |spill: Option<&RecordSpill>, hasher: &mut MinHasher| {
            let mut first = unit(hasher, a, spill);
            let mut second = unit(hasher, b, spill);
            second.shift(a.len() as u64);
            first.append(second);
            first
        };
        let kept = file(None, &mut hasher);
        let spilled = file(Some(&spill), &mut hasher);
        assert!(!spilled.earlier.is_empty(), "the records were spilled");
        assert!(spilled.ordinals.len() < SPILL_RECORDS);
        assert_eq!(spilled.len(), kept.len());
        let mut chunks = NearDupRecords::default();
        spilled
            .for_each_chunk(params.bands, params.sketch_bytes(), &mut |c| {
                chunks.ordinals.extend_from_slice(&c.ordinals);
                chunks.band_keys.extend_from_slice(&c.band_keys);
                chunks.sketches.extend_from_slice(&c.sketches);
            })
            .unwrap();
        assert_eq!(chunks.ordinals, kept.ordinals);
        assert_eq!(chunks.band_keys, kept.band_keys);
        assert_eq!(chunks.sketches, kept.sketches);
        let mut in_memory = NearDupIndex::new(params);
        let mut on_disk = NearDupIndex::on_disk(params, dir.path()).unwrap();
        for f in 0..2 {
            assert_eq!(
                in_memory.settle_next(f, &kept),
                on_disk.settle_next(f, &spilled)
            );
        }
        on_disk.check().unwrap();
        assert!(in_memory.near_duplicates() > 0);
        assert_eq!(in_memory.rows(), on_disk.rows());
    }

    #[test]
    fn the_narrow_index_tells_tags_apart_by_their_shard() {
        let mut index = BandIndex::new();
        // Keys whose tags differ only in the top 16 bits (the shard) or only in the
        // low 16 (the slot's): each keeps its own first id through growth.
        let key = |high: u64, low: u64| (high << 48) | (low << 32) | 0xdead;
        for i in 0..5_000u64 {
            assert_eq!(index.insert_first(key(i % 3, i), i as u32), None);
            assert_eq!(index.insert_first(key(i % 3, i), 9), Some(i as u32));
        }
        for i in 0..5_000u64 {
            assert_eq!(index.insert_first(key(i % 3, i), 9), Some(i as u32));
        }
        // The same tag is one entry whatever the key's low 32 bits.
        assert_eq!(index.insert_first(key(0, 0) ^ 0xffff, 9), Some(0));
        for i in 0..5_000u64 {
            assert_eq!(index.insert_first(key(i % 3 + 3, i), 9), None);
        }
    }

    #[test]
    fn the_band_table_keeps_first_ids_across_growth() {
        let mut table = BandTable::<Wide>::default();
        for i in 0..10_000u32 {
            let key = u64::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            assert_eq!(table.insert_first(key, i), None);
            assert_eq!(table.insert_first(key, i + 1), Some(i));
        }
        for i in 0..10_000u32 {
            let key = u64::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            assert_eq!(table.get(key), Some(i));
        }
        assert_eq!(table.len, 10_000);
        table.clear();
        assert_eq!(table.get(0x9e37_79b9_7f4a_7c15), None);
    }
}
