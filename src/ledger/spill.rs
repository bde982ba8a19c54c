//! What finished files leave for the end of the scan (findings lines, fingerprint
//! keys), kept on disk in a bounded number of files whatever the number of input files.
//!
//! Files finish in any order but their outputs are written in ledger order. Entries
//! are buffered in memory up to [`RUN_BYTES`], then written as one run sorted by file
//! index; the end of the scan merges the runs by index. One spill file per input file
//! filled a small tmpfs at about 6,000 files; runs grow with the bytes spilled, not
//! with the files. The spill directory is removed when the spill is finished,
//! discarded or dropped on an error path, so a failed scan leaves no `.partial`
//! directory behind.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;

/// Bytes buffered before a run is written.
pub const RUN_BYTES: usize = 8 << 20;

/// A directory of sorted runs of `(file index, bytes)` entries.
pub struct Spill {
    dir: PathBuf,
    state: Mutex<Pending>,
    run_bytes: usize,
}

#[derive(Default)]
struct Pending {
    entries: Vec<(u64, Vec<u8>)>,
    bytes: usize,
    runs: usize,
}

impl Spill {
    /// Creates (or clears) `out/name`.
    pub fn new(out: &Path, name: &str) -> anyhow::Result<Spill> {
        Self::with_run_bytes(out, name, RUN_BYTES)
    }

    fn with_run_bytes(out: &Path, name: &str, run_bytes: usize) -> anyhow::Result<Spill> {
        let dir = out.join(name);
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Spill {
            dir,
            state: Mutex::new(Pending::default()),
            run_bytes,
        })
    }

    /// Keeps one file's bytes until [`Spill::finish`]. A file puts at most once.
    pub fn put(&self, index: usize, bytes: Vec<u8>) -> anyhow::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        let mut pending = self
            .state
            .lock()
            .map_err(|_| anyhow::anyhow!("a worker failed while spilling"))?;
        pending.bytes += bytes.len() + 16;
        pending.entries.push((index as u64, bytes));
        if pending.bytes >= self.run_bytes {
            self.write_run(&mut pending)?;
        }
        Ok(())
    }

    fn run_path(&self, run: usize) -> PathBuf {
        self.dir.join(format!("run-{run:06}.bin"))
    }

    fn write_run(&self, pending: &mut Pending) -> anyhow::Result<()> {
        if pending.entries.is_empty() {
            return Ok(());
        }
        pending.entries.sort_unstable_by_key(|(index, _)| *index);
        let path = self.run_path(pending.runs);
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut w = BufWriter::new(file);
        for (index, bytes) in pending.entries.drain(..) {
            w.write_all(&index.to_le_bytes())?;
            w.write_all(&(bytes.len() as u64).to_le_bytes())?;
            w.write_all(&bytes)?;
        }
        w.flush()
            .with_context(|| format!("writing {}", path.display()))?;
        pending.runs += 1;
        pending.bytes = 0;
        Ok(())
    }

    /// Calls `each(index, bytes)` for every entry in ascending file index, merging the
    /// runs, then removes the spill directory.
    pub fn finish(
        self,
        mut each: impl FnMut(usize, &[u8]) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let mut pending = self
            .state
            .lock()
            .map_err(|_| anyhow::anyhow!("a worker failed while spilling"))?;
        let mut buffered = std::mem::take(&mut pending.entries);
        buffered.sort_unstable_by_key(|(index, _)| *index);
        let mut runs = (0..pending.runs)
            .map(|r| Run::open(&self.run_path(r)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        drop(pending);
        // The in-memory entries are one more sorted run, read from the end.
        buffered.reverse();
        let mut heap = BinaryHeap::new();
        for (r, run) in runs.iter_mut().enumerate() {
            if let Some(index) = run.peek_index()? {
                heap.push(Reverse((index, r)));
            }
        }
        let memory = runs.len();
        if let Some((index, _)) = buffered.last() {
            heap.push(Reverse((*index, memory)));
        }
        let mut bytes = Vec::new();
        while let Some(Reverse((index, r))) = heap.pop() {
            if r == memory {
                if let Some((_, entry)) = buffered.pop() {
                    each(index as usize, &entry)?;
                }
                if let Some((next, _)) = buffered.last() {
                    heap.push(Reverse((*next, memory)));
                }
                continue;
            }
            let run = &mut runs[r];
            run.read_entry(&mut bytes)?;
            each(index as usize, &bytes)?;
            if let Some(next) = run.peek_index()? {
                heap.push(Reverse((next, r)));
            }
        }
        Ok(())
    }

    /// Drops everything spilled (the output comes from elsewhere).
    pub fn discard(self) {}
}

impl Drop for Spill {
    /// Every exit path, finished or failed, removes the spill directory.
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// One run being merged: its reader and the index of its next entry.
struct Run {
    path: PathBuf,
    reader: BufReader<File>,
    next: Option<u64>,
}

impl Run {
    fn open(path: &Path) -> anyhow::Result<Run> {
        let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        Ok(Run {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 16, file),
            next: None,
        })
    }

    /// The index of the next entry, reading its header; `None` at the end.
    fn peek_index(&mut self) -> anyhow::Result<Option<u64>> {
        if self.next.is_none() {
            let mut word = [0u8; 8];
            match self.reader.read_exact(&mut word) {
                Ok(()) => self.next = Some(u64::from_le_bytes(word)),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
                Err(e) => {
                    return Err(
                        anyhow::Error::new(e).context(format!("reading {}", self.path.display()))
                    );
                }
            }
        }
        Ok(self.next)
    }

    /// Reads the bytes of the entry whose index [`Run::peek_index`] returned.
    fn read_entry(&mut self, bytes: &mut Vec<u8>) -> anyhow::Result<()> {
        self.next = None;
        let mut word = [0u8; 8];
        self.reader
            .read_exact(&mut word)
            .with_context(|| format!("reading {}", self.path.display()))?;
        let len = usize::try_from(u64::from_le_bytes(word))
            .with_context(|| format!("{}: an entry too large", self.path.display()))?;
        bytes.clear();
        bytes.resize(len, 0);
        self.reader
            .read_exact(bytes)
            .with_context(|| format!("reading {}", self.path.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(spill: Spill) -> Vec<(usize, Vec<u8>)> {
        let mut out = Vec::new();
        spill
            .finish(|i, b| {
                out.push((i, b.to_vec()));
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn entries_come_back_in_index_order_across_runs_and_memory() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::with_run_bytes(dir.path(), ".t.partial", 64).unwrap();
        let order = [7usize, 3, 9, 0, 12, 5, 1, 8, 2, 11, 4, 10, 6];
        for &i in &order {
            spill.put(i, vec![i as u8; 20 + i]).unwrap();
        }
        spill.put(13, Vec::new()).unwrap();
        let runs = fs::read_dir(dir.path().join(".t.partial")).unwrap().count();
        assert!(runs > 1, "{runs} runs");
        let got = collect(spill);
        let want: Vec<(usize, Vec<u8>)> = (0..13).map(|i| (i, vec![i as u8; 20 + i])).collect();
        assert_eq!(got, want);
        assert!(!dir.path().join(".t.partial").exists());
    }

    #[test]
    fn many_files_make_few_spill_files_and_a_dropped_spill_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::with_run_bytes(dir.path(), ".t.partial", 1 << 16).unwrap();
        for i in 0..20_000 {
            spill.put(i, b"{\"x\":1}\n".to_vec()).unwrap();
        }
        let files = fs::read_dir(dir.path().join(".t.partial")).unwrap().count();
        assert!(files <= 8, "{files} spill files for 20,000 inputs");
        drop(spill);
        assert!(!dir.path().join(".t.partial").exists());
    }
}
