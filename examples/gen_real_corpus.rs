//! Assembles a benchmark corpus of real text from `../shared/corpora` (see
//! `provaudit::synth::real`): the whole-scan speed figure on real records.
//!
//! `cargo run --release --example gen_real_corpus -- DIR MEGABYTES [CORPORA]`
//! (CORPORA defaults to `../shared/corpora`), then
//! `provaudit scan DIR -o OUT -q --no-report` under `/usr/bin/time`.

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen_real_corpus DIR MEGABYTES [CORPORA]";
    let dir = PathBuf::from(args.next().ok_or_else(|| anyhow::anyhow!(usage))?);
    let megabytes: u64 = args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?;
    let corpora = PathBuf::from(args.next().unwrap_or_else(|| "../shared/corpora".into()));
    let (files, bytes) = provaudit::synth::real::assemble(&corpora, &dir, megabytes * 1_000_000)?;
    for file in &files {
        let lines = provaudit::synth::real::count_lines(file)?;
        println!("{}: {lines} records", file.display());
    }
    println!("wrote {} files, {bytes} bytes", files.len());
    Ok(())
}
