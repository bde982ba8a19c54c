//! Writes synthetic mixed zh/en prose (see `pii::synth::mixed_text`) to a
//! file, for the ripgrep comparison and for provaudit's generated corpus.
//!
//! Usage: cargo run --release --example pii_gen_text -- OUT_PATH [MEGABYTES] [SEED]

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: gen_text OUT_PATH [MEGABYTES] [SEED]");
        std::process::exit(2);
    };
    let megabytes: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(42);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    // Written in 8 MiB pieces so memory stays flat for any size.
    const PIECE: usize = 8 << 20;
    let total = megabytes << 20;
    let mut written = 0;
    let mut piece_seed = seed;
    while written < total {
        let text =
            provaudit::analyze::pii::synth::mixed_text(PIECE.min(total - written), piece_seed);
        out.write_all(text.as_bytes())?;
        written += text.len().max(1);
        piece_seed = piece_seed.wrapping_add(1);
    }
    out.flush()?;
    eprintln!("wrote {written} bytes to {path}");
    Ok(())
}
