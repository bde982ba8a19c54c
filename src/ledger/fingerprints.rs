//! `fingerprints.bin`: each file's distinct record fingerprints, for incremental audits.
//!
//! Scan-level duplicates depend on every earlier file's records, so a re-audit that
//! reuses unchanged files' rows (`scan --baseline`) still needs their fingerprints to
//! count duplicates in the files it does read, and to recount them when an earlier file
//! changes. The ledger carries counts only; this sidecar carries the sets, 16 bytes per
//! distinct record, positionally: entry `i` belongs to ledger row `i`.
//!
//! Layout: the magic line `provaudit-fingerprints 1\n`, then per ledger row a
//! little-endian `u64` count and that many `u64` exact keys, then the same for
//! normalised keys; keys ascending, so identical input gives identical bytes.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use anyhow::{Context, bail};

use super::FINGERPRINTS_BIN;

const MAGIC: &[u8] = b"provaudit-fingerprints 1\n";

/// One file's distinct fingerprint keys, each list ascending.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileKeys {
    /// Distinct raw-byte fingerprint keys, ascending.
    pub exact: Vec<u64>,
    /// Distinct normalised-text fingerprint keys, ascending.
    pub normalized: Vec<u64>,
}

impl FileKeys {
    /// Sorts both lists, as the file format requires.
    pub fn new(mut exact: Vec<u64>, mut normalized: Vec<u64>) -> Self {
        exact.sort_unstable();
        normalized.sort_unstable();
        FileKeys { exact, normalized }
    }
}

/// Files finish in any order; each one's keys wait in a batched spill until the scan
/// ends, so the sets never all sit in memory.
pub struct FingerprintSpill {
    spill: super::spill::Spill,
}

impl FingerprintSpill {
    /// A spill under `out` (a `.partial` directory, removed when written).
    pub fn new(out: &Path) -> anyhow::Result<Self> {
        Ok(FingerprintSpill {
            spill: super::spill::Spill::new(out, ".fingerprints.partial")?,
        })
    }

    /// Stores file `index`'s keys (nothing for a file without keys).
    pub fn put(&self, index: usize, keys: &FileKeys) -> anyhow::Result<()> {
        if keys.exact.is_empty() && keys.normalized.is_empty() {
            return Ok(());
        }
        let mut bytes = Vec::with_capacity(16 + 8 * (keys.exact.len() + keys.normalized.len()));
        write_list(&mut bytes, &keys.exact)?;
        write_list(&mut bytes, &keys.normalized)?;
        self.spill.put(index, bytes)
    }

    /// Writes `fingerprints.bin` with one entry per file, in ledger order (two empty
    /// lists for a file that put nothing).
    pub fn finish(self, out: &Path, files: usize) -> anyhow::Result<()> {
        let spill = self.spill;
        super::write_atomic(&out.join(FINGERPRINTS_BIN), |w| {
            w.write_all(MAGIC)?;
            let mut next = 0;
            spill.finish(|index, bytes| {
                for _ in next..index {
                    w.write_all(&[0u8; 16])?;
                }
                next = index + 1;
                w.write_all(bytes)
            })?;
            for _ in next..files {
                w.write_all(&[0u8; 16])?;
            }
            Ok(())
        })
    }

    /// Drops the keys when the sidecar comes from elsewhere (an unchanged baseline).
    pub fn discard(self) -> anyhow::Result<()> {
        self.spill.discard();
        Ok(())
    }
}

/// Writes `fingerprints.bin` from entries already in ledger order (a merge holds them
/// all).
pub fn write_all(out: &Path, entries: &[FileKeys]) -> anyhow::Result<()> {
    super::write_atomic(&out.join(FINGERPRINTS_BIN), |w| {
        w.write_all(MAGIC)?;
        for keys in entries {
            write_list(w, &keys.exact)?;
            write_list(w, &keys.normalized)?;
        }
        Ok(())
    })
}

fn write_list(w: &mut dyn Write, keys: &[u64]) -> std::io::Result<()> {
    w.write_all(&(keys.len() as u64).to_le_bytes())?;
    for k in keys {
        w.write_all(&k.to_le_bytes())?;
    }
    Ok(())
}

/// Reads every entry; `rows` is the ledger's row count, which the file must match.
pub fn read_all(path: &Path, rows: usize) -> anyhow::Result<Vec<FileKeys>> {
    let (mut r, mut left) = open_sidecar(path, MAGIC, "a provaudit fingerprints file")?;
    let mut out = Vec::with_capacity(rows);
    for _ in 0..rows {
        let exact = read_list(&mut r, &mut left)?;
        let normalized = read_list(&mut r, &mut left)?;
        out.push(FileKeys { exact, normalized });
    }
    if left != 0 {
        bail!(
            "{} has entries beyond its ledger's {rows} rows",
            path.display()
        );
    }
    Ok(out)
}

/// Opens a binary sidecar and checks its magic line (`what` it must be, for the
/// message); returns the reader after the magic and the bytes left.
pub(super) fn open_sidecar(
    path: &Path,
    magic: &[u8],
    what: &str,
) -> anyhow::Result<(BufReader<File>, u64)> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let len = file.metadata()?.len();
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut found = vec![0u8; magic.len()];
    r.read_exact(&mut found)
        .with_context(|| format!("reading {}", path.display()))?;
    if found != magic {
        bail!("{} is not {what}", path.display());
    }
    Ok((r, len - magic.len() as u64))
}

fn read_list(r: &mut impl Read, left: &mut u64) -> anyhow::Result<Vec<u64>> {
    let mut word = [0u8; 8];
    r.read_exact(&mut word)
        .context("truncated fingerprints file")?;
    let count = u64::from_le_bytes(word);
    *left = left.saturating_sub(8);
    // Refuse counts the file cannot hold, before allocating for them.
    if count > *left / 8 {
        bail!("fingerprints file is truncated or corrupt");
    }
    *left -= count * 8;
    let mut keys = Vec::with_capacity(count as usize);
    for _ in 0..count {
        r.read_exact(&mut word)?;
        keys.push(u64::from_le_bytes(word));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn round_trips_in_ledger_order_with_gaps() {
        let dir = std::env::temp_dir().join(format!("provaudit-fp-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let spill = FingerprintSpill::new(&dir).unwrap();
        let a = FileKeys::new(vec![3, 1, 2], vec![9]);
        let c = FileKeys::new(vec![7], vec![]);
        spill.put(2, &c).unwrap();
        spill.put(0, &a).unwrap();
        spill.finish(&dir, 3).unwrap();
        let read = read_all(&dir.join(FINGERPRINTS_BIN), 3).unwrap();
        assert_eq!(read, vec![a, FileKeys::default(), c]);
        assert!(read_all(&dir.join(FINGERPRINTS_BIN), 4).is_err());
        assert!(read_all(&dir.join(FINGERPRINTS_BIN), 2).is_err());
        let _ = fs::remove_dir_all(&dir);
    }
}
