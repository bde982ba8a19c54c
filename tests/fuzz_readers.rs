//! A seeded mutation loop over every reader (issue 13): stable Rust has no cargo-fuzz,
//! so the fixtures and the third-party corpora are mutated here (bit flips,
//! truncations, splices, inflated length fields) a few thousand times per format, and
//! each mutant goes through its reader with a small record bound. A panic inside a
//! decoding library is contained by the scan (the file gets an error row), so it is
//! counted, not fatal; an abort (an allocation by a declared size) kills this test.
//! Then a sample of mutants is scanned end to end: every file gets a row.
//!
//! `PROVAUDIT_FUZZ_MUTATIONS` sets the mutations per format (default 2,000: about a
//! minute in a debug build); the seed is fixed, so a failure replays.

mod common;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use provaudit::bytesource::MemorySource;
use provaudit::formats::sink::CollectSink;
use provaudit::formats::{self, ReadOptions, detect};
use provaudit::synth::Rng;

const SEED: u64 = 0x5eed_f022;
/// Seeds larger than this are left out: mutating them costs time, not coverage.
const MAX_SEED_BYTES: u64 = 256 << 10;
/// Mutants of each format written to disk and scanned end to end.
const SCANNED_PER_FORMAT: usize = 12;

fn mutations_per_format() -> usize {
    std::env::var("PROVAUDIT_FUZZ_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// A seed file: its name (which decides the reader) and bytes.
struct Seed {
    name: String,
    bytes: Vec<u8>,
}

fn collect_seeds(dir: &Path, out: &mut Vec<Seed>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            collect_seeds(&path, out);
        } else if meta.is_file() && meta.len() <= MAX_SEED_BYTES {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let name = match name.rsplit_once('.') {
                Some((stem, "arrow_file" | "stream")) => format!("{stem}.arrow"),
                _ => name,
            };
            if let Ok(bytes) = std::fs::read(&path) {
                out.push(Seed { name, bytes });
            }
        }
    }
}

/// Seeds by format, from the fixtures and whichever corpora are present.
fn seeds() -> BTreeMap<String, Vec<Seed>> {
    let mut all = Vec::new();
    collect_seeds(&demo(), &mut all);
    match corpora() {
        Some(dir) => {
            for sub in [
                "parquet-testing/data",
                "parquet-testing/bad_data",
                "arrow-testing/data/arrow-ipc-stream/integration",
                "arrow-testing/data/arrow-ipc-file",
                "llm-samples",
            ] {
                collect_seeds(&dir.join(sub), &mut all);
            }
        }
        None => println!("SKIPPED: ../shared/corpora is absent; mutating the fixtures only"),
    }
    let mut by_format: BTreeMap<String, Vec<Seed>> = BTreeMap::new();
    for seed in all {
        let (format, _) = detect::detect(&seed.name, &seed.bytes);
        if format.has_records() {
            by_format.entry(format.to_string()).or_default().push(seed);
        }
    }
    by_format
}

/// One mutation of `bytes`, drawing splices from `donor`.
fn mutate(rng: &mut Rng, bytes: &[u8], donor: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.is_empty() {
        return donor.to_vec();
    }
    let at = |rng: &mut Rng, len: usize| rng.below(len);
    match rng.below(5) {
        0 => {
            for _ in 0..=rng.below(8) {
                let i = at(rng, out.len());
                out[i] ^= 1 << rng.below(8);
            }
        }
        1 => out.truncate(at(rng, out.len())),
        2 => {
            let from = at(rng, donor.len().max(1)).min(donor.len());
            let len = rng.below(512).min(donor.len() - from);
            let to = at(rng, out.len());
            out.splice(to..to, donor[from..from + len].iter().copied());
        }
        3 => {
            // A length field inflated: little-endian i32/u32 maxima and a long varint.
            let patterns: [&[u8]; 4] = [
                &[0xff, 0xff, 0xff, 0x7f],
                &[0xff, 0xff, 0xff, 0xff],
                &[0x00, 0x00, 0x00, 0x40],
                &[0xfe, 0xff, 0xff, 0xff, 0x0f],
            ];
            let pattern = rng.pick(&patterns).copied().unwrap_or_default();
            let i = at(rng, out.len());
            for (k, b) in pattern.iter().enumerate() {
                if let Some(slot) = out.get_mut(i + k) {
                    *slot = *b;
                }
            }
        }
        _ => {
            let i = at(rng, out.len());
            let len = (rng.below(64) + 1).min(out.len() - i);
            out.drain(i..i + len);
        }
    }
    out
}

/// Reads a mutant as the scan would; returns whether a library panic was contained.
fn read(name: &str, bytes: Vec<u8>, options: &ReadOptions) -> bool {
    let (format, compression) = detect::detect(name, &bytes);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut sink = CollectSink::default();
        if formats::needs_random_access(&format, compression) {
            let source = Arc::new(MemorySource::new(name, bytes));
            let _ = formats::read_random_access(&format, source, options, &mut sink);
        } else if let Ok(mut input) = formats::decompress(&bytes[..], compression) {
            let _ = formats::read_stream(&format, &mut input, options, &mut sink);
        }
    }));
    outcome.is_err()
}

#[test]
fn mutated_inputs_never_escape_their_reader() {
    let options = ReadOptions {
        max_record_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let per_format = mutations_per_format();
    let mut rng = Rng::new(SEED);
    let scanned = tempfile::tempdir().unwrap();
    let mut written = 0usize;
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut report = Vec::new();
    for (format, seeds) in seeds() {
        let mut contained = 0usize;
        for n in 0..per_format {
            let seed = &seeds[n % seeds.len()];
            let donor = &seeds[rng.below(seeds.len())].bytes;
            let mutant = mutate(&mut rng, &seed.bytes, donor);
            if n < SCANNED_PER_FORMAT {
                let name = format!("{format}-{n:02}-{}", seed.name);
                std::fs::write(scanned.path().join(&name), &mutant).unwrap();
                written += 1;
            }
            contained += usize::from(read(&seed.name, mutant, &options));
        }
        report.push(format!(
            "{format}: {per_format} mutations of {} seeds, {contained} library panics contained",
            seeds.len()
        ));
    }
    std::panic::set_hook(default_hook);
    println!("{}", report.join("\n"));

    let out = tempfile::tempdir().unwrap();
    let mut options = provaudit::scan::ScanOptions::new(
        vec![scanned.path().to_path_buf()],
        out.path().to_path_buf(),
    );
    options.read.max_record_bytes = 1 << 20;
    options.threads = Some(2);
    scan_with(&options);
    assert_eq!(rows(out.path()).len(), written, "every mutant gets a row");
    assert!(written > 0);
}
