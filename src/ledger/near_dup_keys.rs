//! `near_duplicates.bin`: each file's MinHash band keys and sketches, so `merge` and
//! `--baseline` settle near-duplicates without reading the data again.
//!
//! Near-duplicate figures depend on every earlier record of the scan (ledger order),
//! which no shard and no reused row knows. The ledger carries the counts; this sidecar
//! carries what settlement needs ([`crate::aggregate::near_dup::NearDupRecords`]),
//! positionally: entry `i` belongs to ledger row `i`, as in `fingerprints.bin`.
//!
//! Layout (little-endian): the magic line `provaudit-near-duplicates 1\n`, a header of
//! the parameters that shape an entry (`u32` bands, `u32` sketch bytes, `u32`
//! permutations), then per ledger row a `u64` record count n, n `u64` ordinals
//! (ascending), n × bands `u64` band keys and n × sketch-bytes sketch bytes. With the
//! default parameters that is 88 bytes per record with a signature. The whole
//! [`crate::analyze::minhash::MinHashParams`] set is in `summary.json`'s options
//! (and so in `config_hash`): the header only lets a reader refuse a file whose
//! entries it would cut wrongly.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::aggregate::near_dup::NearDupRecords;
use crate::analyze::minhash::MinHashParams;

/// The file's name in the audit directory.
pub const NEAR_DUPLICATES_BIN: &str = "near_duplicates.bin";

const MAGIC: &[u8] = b"provaudit-near-duplicates 1\n";

/// The header: what an entry's size depends on.
fn header(params: &MinHashParams) -> [u8; 12] {
    let mut h = [0u8; 12];
    h[..4].copy_from_slice(&(params.bands as u32).to_le_bytes());
    h[4..8].copy_from_slice(&(params.sketch_bytes() as u32).to_le_bytes());
    h[8..].copy_from_slice(&(params.permutations as u32).to_le_bytes());
    h
}

/// Writes the sidecar one ledger row at a time, in ledger order (the scan's finisher
/// and `merge` both settle files in that order), through a temporary file renamed into
/// place by [`Writer::finish`]. The first write error is kept and returned there.
pub struct Writer {
    tmp: PathBuf,
    target: PathBuf,
    w: Option<BufWriter<File>>,
    failed: Option<anyhow::Error>,
    /// Bands and sketch bytes.
    shape: (usize, usize),
}

impl Writer {
    /// Starts `out/near_duplicates.bin` for `params`.
    pub fn create(out: &Path, params: &MinHashParams) -> anyhow::Result<Self> {
        let target = out.join(NEAR_DUPLICATES_BIN);
        let tmp = out.join(format!(".{NEAR_DUPLICATES_BIN}.partial"));
        let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        w.write_all(MAGIC)?;
        w.write_all(&header(params))?;
        Ok(Writer {
            tmp,
            target,
            w: Some(w),
            failed: None,
            shape: (params.bands, params.sketch_bytes()),
        })
    }

    /// Appends the next ledger row's records (an empty entry for a file without).
    pub fn put(&mut self, records: &NearDupRecords) {
        if self.failed.is_some() {
            return;
        }
        let Some(w) = &mut self.w else { return };
        if let Err(e) = write_entry(w, records, self.shape) {
            self.failed =
                Some(anyhow::Error::new(e).context(format!("writing {}", self.target.display())));
        }
    }

    /// Flushes and renames the file into place.
    pub fn finish(mut self) -> anyhow::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let Some(w) = self.w.take() else {
            bail!("{} was already finished", self.target.display());
        };
        w.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .with_context(|| format!("flushing {}", self.target.display()))?;
        std::fs::rename(&self.tmp, &self.target)
            .with_context(|| format!("renaming {} into place", self.tmp.display()))
    }
}

/// A writer dropped unfinished (a failed scan) leaves no `.partial` file behind.
impl Drop for Writer {
    fn drop(&mut self) {
        if self.w.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

fn write_entry(
    w: &mut impl Write,
    records: &NearDupRecords,
    (bands, sketch_bytes): (usize, usize),
) -> std::io::Result<()> {
    w.write_all(&(records.len() as u64).to_le_bytes())?;
    // The entry's three sections, each over every run of the file's records (a
    // spilled run is read back once per section).
    for section in 0..3 {
        let mut result = Ok(());
        records.for_each_chunk(bands, sketch_bytes, &mut |chunk| {
            if result.is_ok() {
                result = match section {
                    0 => chunk
                        .ordinals
                        .iter()
                        .try_for_each(|o| w.write_all(&o.to_le_bytes())),
                    1 => chunk
                        .band_keys
                        .iter()
                        .try_for_each(|k| w.write_all(&k.to_le_bytes())),
                    _ => w.write_all(&chunk.sketches),
                };
            }
        })?;
        result?;
    }
    Ok(())
}

/// Reads the sidecar entry by entry, in ledger order, so a merge holds one entry per
/// shard at a time rather than whole sidecars.
pub struct Reader {
    path: PathBuf,
    r: BufReader<File>,
    /// Bytes not yet read (a count is checked against it before allocating).
    left: u64,
    bands: usize,
    sketch_bytes: usize,
}

impl Reader {
    /// Opens `path`, refusing a file that is not a sidecar of `params`.
    pub fn open(path: &Path, params: &MinHashParams) -> anyhow::Result<Self> {
        let (mut r, left) = super::fingerprints::open_sidecar(
            path,
            MAGIC,
            "a provaudit near-duplicates file (or a newer version's: upgrade provaudit)",
        )?;
        let mut head = [0u8; 12];
        r.read_exact(&mut head)
            .with_context(|| format!("reading {}", path.display()))?;
        if head != header(params) {
            bail!(
                "{} was written with other near-duplicate parameters than its summary records",
                path.display()
            );
        }
        Ok(Reader {
            path: path.to_path_buf(),
            r,
            left: left.saturating_sub(head.len() as u64),
            bands: params.bands,
            sketch_bytes: params.sketch_bytes(),
        })
    }

    /// The next ledger row's records.
    pub fn next_entry(&mut self) -> anyhow::Result<NearDupRecords> {
        let message = format!("{} is truncated or corrupt", self.path.display());
        let corrupt = || message.clone();
        let n = self.word().with_context(corrupt)?;
        let per_record = (8 + 8 * self.bands + self.sketch_bytes) as u64;
        // Refuse counts the file cannot hold, before allocating for them.
        if n > self.left / per_record {
            bail!(corrupt());
        }
        let n = n as usize;
        let mut records = NearDupRecords::default();
        records.ordinals.reserve_exact(n);
        records.band_keys.reserve_exact(n * self.bands);
        records.sketches.resize(n * self.sketch_bytes, 0);
        for _ in 0..n {
            records.ordinals.push(self.word().with_context(corrupt)?);
        }
        for _ in 0..n * self.bands {
            records.band_keys.push(self.word().with_context(corrupt)?);
        }
        self.r
            .read_exact(&mut records.sketches)
            .with_context(corrupt)?;
        self.left -= records.sketches.len() as u64;
        Ok(records)
    }

    /// Checks nothing follows the last entry (`rows` entries read).
    pub fn finish(self, rows: usize) -> anyhow::Result<()> {
        if self.left != 0 {
            bail!(
                "{} has entries beyond its ledger's {rows} rows",
                self.path.display()
            );
        }
        Ok(())
    }

    fn word(&mut self) -> std::io::Result<u64> {
        let mut word = [0u8; 8];
        self.r.read_exact(&mut word)?;
        self.left = self.left.saturating_sub(8);
        Ok(u64::from_le_bytes(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize, params: &MinHashParams, seed: u64) -> NearDupRecords {
        let mut records = NearDupRecords::default();
        records.ordinals = (0..n as u64).map(|i| i * 2 + seed).collect();
        records.band_keys = (0..(n * params.bands) as u64).map(|k| k ^ seed).collect();
        records.sketches = (0..n * params.sketch_bytes()).map(|b| b as u8).collect();
        records
    }

    fn same(a: &NearDupRecords, b: &NearDupRecords) -> bool {
        a.ordinals == b.ordinals && a.band_keys == b.band_keys && a.sketches == b.sketches
    }

    #[test]
    fn round_trips_in_ledger_order_and_refuses_other_parameters_and_truncation() {
        let dir = tempfile::tempdir().unwrap();
        let params = MinHashParams::default();
        let entries = [
            entry(3, &params, 1),
            entry(0, &params, 0),
            entry(5, &params, 7),
        ];
        let mut w = Writer::create(dir.path(), &params).unwrap();
        entries.iter().for_each(|e| w.put(e));
        w.finish().unwrap();
        let path = dir.path().join(NEAR_DUPLICATES_BIN);
        assert_eq!(
            std::fs::metadata(&path).unwrap().len(),
            (MAGIC.len() + 12 + 3 * 8 + 8 * 88) as u64
        );
        let mut r = Reader::open(&path, &params).unwrap();
        for e in &entries {
            assert!(same(&r.next_entry().unwrap(), e));
        }
        r.finish(3).unwrap();
        let mut r = Reader::open(&path, &params).unwrap();
        r.next_entry().unwrap();
        assert!(r.finish(1).is_err(), "entries beyond the rows");

        let other = MinHashParams { bands: 8, ..params };
        assert!(Reader::open(&path, &other).is_err());

        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
        let mut r = Reader::open(&path, &params).unwrap();
        r.next_entry().unwrap();
        r.next_entry().unwrap();
        assert!(r.next_entry().is_err(), "a truncated entry is an error");
        // A count no file could hold is refused before allocating.
        let mut huge = bytes[..MAGIC.len() + 12].to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, &huge).unwrap();
        assert!(Reader::open(&path, &params).unwrap().next_entry().is_err());
    }

    #[test]
    fn an_unfinished_writer_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer::create(dir.path(), &MinHashParams::default()).unwrap();
        w.put(&NearDupRecords::default());
        drop(w);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
