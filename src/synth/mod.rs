//! Synthetic data for tests and benchmarks: deterministic, generated, never real people.
//!
//! The corpus generator writes JSONL in the layouts real training sets use (pre-training
//! text, Alpaca instructions, OpenAI chat, DPO pairs) with mixed Chinese and English
//! prose and a controlled share of exact duplicates, so benchmarks measure realistic
//! work and tests can assert exact counts.

pub mod near_dup;
pub mod real;

use std::io::{self, Write};
use std::path::Path;

/// splitmix64: tiny, fast and good enough for test data; no dependency needed. The one
/// generator of every synthetic corpus and fixture (`analyze::pii::synth`,
/// `analyze::license::synth`, tests, benches), so a seed means the same draws everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`: the same seed gives the same data.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; 0 without a draw when `n` is 0, so an empty table never panics.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi.saturating_sub(lo) + 1) as usize) as u32
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    /// A random element; `None` only for an empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// A random word of a table (`""` for an empty one).
    pub fn word<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.pick(items).copied().unwrap_or("")
    }

    /// A random byte of an alphabet, as a char (`'0'` for an empty one).
    pub fn pick_byte(&mut self, items: &[u8]) -> char {
        self.pick(items).map_or('0', |&b| char::from(b))
    }

    /// `n` random decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| self.pick_byte(b"0123456789")).collect()
    }

    /// `n` random characters of an ASCII alphabet.
    pub fn chars_from(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| self.pick_byte(alphabet)).collect()
    }
}

const EN_WORDS: &[&str] = &[
    "the",
    "model",
    "data",
    "training",
    "of",
    "and",
    "is",
    "a",
    "to",
    "in",
    "language",
    "system",
    "learning",
    "results",
    "we",
    "this",
    "paper",
    "method",
    "performance",
    "for",
    "with",
    "large",
    "text",
    "quality",
    "dataset",
    "that",
    "on",
    "are",
    "by",
    "from",
    "evaluation",
    "shows",
    "improves",
    "network",
    "public",
];
const ZH_WORDS: &[&str] = &[
    "数据",
    "模型",
    "训练",
    "语言",
    "我们",
    "研究",
    "方法",
    "结果",
    "表明",
    "提高",
    "质量",
    "生成",
    "人工智能",
    "系统",
    "中国",
    "发展",
    "技术",
    "问题",
    "分析",
    "信息",
    "的",
    "了",
    "和",
    "在",
    "是",
    "对",
    "进行",
    "通过",
];

/// A sentence of mixed prose: mostly one language, as real documents are.
pub fn sentence(rng: &mut Rng) -> String {
    let chinese = rng.below(2) == 0;
    let words = 8 + rng.below(16);
    let mut s = String::new();
    for i in 0..words {
        if chinese {
            let word = rng.word(ZH_WORDS);
            s.push_str(word);
        } else {
            if i > 0 {
                s.push(' ');
            }
            let word = rng.word(EN_WORDS);
            s.push_str(word);
        }
    }
    s.push_str(if chinese { "。" } else { "." });
    s
}

/// A paragraph of `sentences` sentences.
pub fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(rng))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One JSONL record (without newline) in one of the common layouts.
pub fn record(rng: &mut Rng) -> String {
    let value = match rng.below(5) {
        0 | 1 => {
            let sentences = 6 + rng.below(10);
            let doc = rng.below(1_000_000);
            serde_json::json!({ "text": paragraph(rng, sentences), "url": format!("https://example.org/doc/{doc}") })
        }
        2 => {
            serde_json::json!({ "instruction": sentence(rng), "input": "", "output": paragraph(rng, 3) })
        }
        3 => serde_json::json!({ "messages": [
            { "role": "user", "content": sentence(rng) },
            { "role": "assistant", "content": paragraph(rng, 3) },
        ] }),
        _ => {
            serde_json::json!({ "prompt": sentence(rng), "chosen": paragraph(rng, 2), "rejected": paragraph(rng, 2) })
        }
    };
    value.to_string()
}

/// Writes about `bytes` of JSONL; every `dup_every`-th record repeats an earlier one
/// (0 for none). Returns (records, duplicates written).
pub fn write_jsonl(
    out: &mut dyn Write,
    bytes: u64,
    seed: u64,
    dup_every: u64,
) -> io::Result<(u64, u64)> {
    let mut rng = Rng::new(seed);
    let mut written = 0u64;
    let mut records = 0u64;
    let mut dups = 0u64;
    let mut recent: Vec<String> = Vec::new();
    while written < bytes {
        let line = if dup_every > 0
            && records > 0
            && records.is_multiple_of(dup_every)
            && !recent.is_empty()
        {
            dups += 1;
            recent[rng.below(recent.len())].clone()
        } else {
            let line = record(&mut rng);
            if recent.len() < 64 {
                recent.push(line.clone());
            } else {
                let slot = rng.below(64);
                recent[slot] = line.clone();
            }
            line
        };
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        written += line.len() as u64 + 1;
        records += 1;
    }
    Ok((records, dups))
}

/// Sources (top-level folders) of [`write_small_files`].
pub const SMALL_FILE_SOURCES: usize = 4;
/// Files per folder in [`write_small_files`], so no directory listing grows huge.
pub const SMALL_FILES_PER_DIR: usize = 1000;

/// The text of one small file of about `bytes` bytes (at least one record): JSONL
/// records of one sentence in the common layouts, or plain text lines.
fn small_file(rng: &mut Rng, bytes: usize, jsonl: bool) -> String {
    let mut out = String::new();
    while out.is_empty() || out.len() < bytes {
        let line = if jsonl {
            let value = match rng.below(3) {
                0 => serde_json::json!({ "text": sentence(rng) }),
                1 => serde_json::json!({ "instruction": sentence(rng), "output": sentence(rng) }),
                _ => serde_json::json!({ "messages": [
                    { "role": "user", "content": sentence(rng) },
                    { "role": "assistant", "content": sentence(rng) },
                ] }),
            };
            value.to_string()
        } else {
            sentence(rng)
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Writes `files` small files (200–2,000 bytes: the many-small-files workload) under
/// `dir`: [`SMALL_FILE_SOURCES`] top-level folders (one source each), sub-folders of
/// [`SMALL_FILES_PER_DIR`] files, JSONL and plain text alternating, and every
/// `dup_every`-th file (0 for none) an exact copy of an earlier one, so scan-level
/// duplicates cross files. Returns the bytes written.
pub fn write_small_files(dir: &Path, files: u64, seed: u64, dup_every: u64) -> io::Result<u64> {
    let mut rng = Rng::new(seed);
    // Copies come from files of the same kind, so a copy is as readable as its original.
    let mut recent: [Vec<String>; 2] = Default::default();
    let mut total = 0u64;
    for i in 0..files {
        let jsonl = i % 2 == 0;
        let folder = dir
            .join(format!("source-{}", i as usize % SMALL_FILE_SOURCES))
            .join(format!(
                "d{:05}",
                i as usize / (SMALL_FILE_SOURCES * SMALL_FILES_PER_DIR)
            ));
        if i as usize % (SMALL_FILE_SOURCES * SMALL_FILES_PER_DIR) < SMALL_FILE_SOURCES {
            std::fs::create_dir_all(&folder)?;
        }
        let recent = &mut recent[usize::from(jsonl)];
        let text = if dup_every > 0 && i > 0 && i.is_multiple_of(dup_every) && !recent.is_empty() {
            recent[rng.below(recent.len())].clone()
        } else {
            let bytes = rng.range(200, 1800) as usize;
            let text = small_file(&mut rng, bytes, jsonl);
            if recent.len() < 64 {
                recent.push(text.clone());
            } else {
                let slot = rng.below(64);
                recent[slot] = text.clone();
            }
            text
        };
        let name = format!("f{i:08}.{}", if jsonl { "jsonl" } else { "txt" });
        std::fs::write(folder.join(name), &text)?;
        total += text.len() as u64;
    }
    Ok(total)
}

/// Times a stretch of work for the examples that report MB/s per core: in the
/// calling thread's own CPU time (Linux `/proc/thread-self/schedstat`), which does
/// not fall with other processes' load as wall time does on a shared machine.
pub struct Stopwatch {
    cpu: Option<f64>,
    wall: std::time::Instant,
}

impl Stopwatch {
    /// Starts both clocks.
    pub fn start() -> Self {
        Stopwatch {
            cpu: thread_cpu_seconds(),
            wall: std::time::Instant::now(),
        }
    }

    /// Seconds since `start`: the thread's CPU time, or wall time where the kernel
    /// does not say or the stretch is too short for its figure (updated every few ms).
    pub fn seconds(&self) -> f64 {
        match (self.cpu, thread_cpu_seconds()) {
            (Some(a), Some(b)) if b - a > 0.05 => b - a,
            _ => self.wall.elapsed().as_secs_f64(),
        }
    }
}

/// Seconds the calling thread has spent on a CPU, `None` where the kernel does not say.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_jsonl(&mut a, 10_000, 7, 10).unwrap();
        write_jsonl(&mut b, 10_000, 7, 10).unwrap();
        assert_eq!(a, b);
        assert!(a.len() >= 10_000);
    }
}
