//! Writes a generated made-up risk lexicon (TOML) for whole-scan measurements:
//! `cargo run --release --example gen_safety_lexicon -- OUT.toml [TERMS]` (default
//! 20,000 terms). The terms mean nothing (`analyze::safety::synth`).

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .unwrap_or_else(|| "safety-generated.toml".into());
    let count = args.next().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let lexicon = provaudit::analyze::safety::synth::lexicon(count, 7);
    std::fs::write(&out, provaudit::analyze::safety::synth::to_toml(&lexicon))?;
    println!("{out}: {count} made-up terms");
    Ok(())
}
