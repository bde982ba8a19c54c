//! Writes a synthetic JSONL corpus for benchmarks and throughput measurements.
//!
//! `cargo run --release --example gen_corpus -- DIR MEGABYTES [FILES]` writes FILES
//! (default 8) files totalling about MEGABYTES MB of mixed zh/en records in the common
//! layouts, with one record in ten an exact duplicate.
//!
//! `cargo run --release --example gen_corpus -- DIR --small-files N` writes N files of
//! 200–2,000 bytes instead (`synth::write_small_files`: 4 sources, JSONL and text, one
//! file in twenty an exact copy of an earlier one): the many-small-files workload.

use std::io::BufWriter;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen_corpus DIR MEGABYTES [FILES] | gen_corpus DIR --small-files N";
    let dir = PathBuf::from(args.next().ok_or_else(|| anyhow::anyhow!(usage))?);
    let first = args.next().ok_or_else(|| anyhow::anyhow!(usage))?;
    if first == "--small-files" {
        let files: u64 = args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?;
        let bytes = provaudit::synth::write_small_files(&dir, files, 17, 20)?;
        println!("wrote {files} small files, {bytes} bytes");
        return Ok(());
    }
    let megabytes: u64 = first.parse()?;
    let files: u64 = args
        .next()
        .map(|f| f.parse())
        .transpose()?
        .unwrap_or(8)
        .max(1);
    std::fs::create_dir_all(&dir)?;
    let per_file = megabytes * 1_000_000 / files;
    let mut total = (0, 0);
    for i in 0..files {
        let path = dir.join(format!("part-{i:05}.jsonl"));
        let mut out = BufWriter::new(std::fs::File::create(&path)?);
        let (records, dups) = provaudit::synth::write_jsonl(&mut out, per_file, 1000 + i, 10)?;
        total = (total.0 + records, total.1 + dups);
    }
    println!(
        "wrote {files} files, {megabytes} MB, {} records, {} planted duplicates",
        total.0, total.1
    );
    Ok(())
}
