//! Writes the generated structured-type set (`analyze::pii::synth::structured`: every
//! card brand and length, phones of every default region and layout, IPv4/IPv6,
//! resident IDs, SSNs, IBANs, e-mail) as a labelled directory, so `provaudit eval-pii`
//! measures its recall like any labelled corpus.
//!
//! ```text
//! cargo run --example pii_gen_labelled -- DIR [TEXTS] [SEED]
//! provaudit eval-pii DIR
//! ```
//! Defaults: the CI floor's set (6000 texts, seed 0x152026). Values are synthetic.

use std::path::PathBuf;

use provaudit::analyze::pii::synth::structured;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: pii_gen_labelled DIR [TEXTS] [SEED]");
        return std::process::ExitCode::from(2);
    };
    let texts = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(structured::SIZE);
    let seed = args
        .next()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or(structured::SEED);
    let set = provaudit::eval::generated(texts, seed);
    match provaudit::eval::labelled::write_dir(&dir, &set) {
        Ok(()) => {
            eprintln!("{} texts (seed {seed:#x}) in {}", set.len(), dir.display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", dir.display());
            std::process::ExitCode::FAILURE
        }
    }
}
