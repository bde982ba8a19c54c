//! Near-duplicate accuracy on generated pairs (`synth::near_dup`), written out for a
//! side-by-side run of another MinHash-LSH (README: datasketch).
//!
//! `cargo run --release --example near_dup_eval -- OUT.jsonl [PAIRS]` writes one line
//! per pair (`original`, `edited`, `edit`, `chinese`, `jaccard`: the true Jaccard of
//! the shingle sets, `estimate`, `candidate`, `caught`) and prints recall at
//! Jaccard ≥ 0.85, the false-positive rate at ≤ 0.5 and the signature throughput.

use std::io::Write;
use std::time::Instant;

use provaudit::analyze::fingerprint::Normalizer;
use provaudit::analyze::minhash::{MinHashParams, MinHasher, estimate, jaccard};
use provaudit::analyze::profile::NormalForm;
use provaudit::synth::near_dup::pairs;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "near_dup_pairs.jsonl".into());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3000);
    let params = MinHashParams::default();
    let generated = pairs(19, n);
    let mut normalizer = Normalizer::default();
    let mut norm = |text: &str| {
        normalizer.push(text, NormalForm::of(text));
        let t = normalizer.text().to_vec();
        normalizer.reset();
        t
    };
    let texts: Vec<(Vec<u8>, Vec<u8>)> = generated
        .iter()
        .map(|p| (norm(&p.original), norm(&p.edited)))
        .collect();
    let mut hasher = MinHasher::new(params);
    let (mut keys, mut sketches) = (Vec::new(), Vec::new());
    let clock = Instant::now();
    let mut bytes = 0;
    for (a, b) in &texts {
        hasher.add(a, &mut keys, &mut sketches);
        hasher.add(b, &mut keys, &mut sketches);
        bytes += a.len() + b.len();
    }
    let seconds = clock.elapsed().as_secs_f64();
    let (sb, bands) = (params.sketch_bytes(), params.bands);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
    let (mut high, mut high_caught, mut low, mut low_caught) = (0, 0, 0, 0);
    for (i, (p, (a, b))) in generated.iter().zip(&texts).enumerate() {
        let (ka, kb) = (
            &keys[2 * i * bands..(2 * i + 1) * bands],
            &keys[(2 * i + 1) * bands..(2 * i + 2) * bands],
        );
        let (sa, sk) = (
            &sketches[2 * i * sb..(2 * i + 1) * sb],
            &sketches[(2 * i + 1) * sb..(2 * i + 2) * sb],
        );
        let truth = jaccard(&params, a, b);
        let est = estimate(sa, sk, params.permutations);
        let candidate = ka.iter().zip(kb).any(|(x, y)| x == y);
        let caught = candidate && est >= params.threshold;
        if truth >= 0.85 {
            high += 1;
            high_caught += usize::from(caught);
        } else if truth <= 0.5 {
            low += 1;
            low_caught += usize::from(caught);
        }
        let line = serde_json::json!({
            "original": p.original, "edited": p.edited, "edit": p.edit, "chinese": p.chinese,
            "jaccard": truth, "estimate": est, "candidate": candidate, "caught": caught,
        });
        writeln!(file, "{line}")?;
    }
    file.flush()?;
    println!(
        "{n} pairs: recall {:.4} ({high_caught}/{high}) at J >= 0.85, false positives {:.4} ({low_caught}/{low}) at J <= 0.5",
        high_caught as f64 / high.max(1) as f64,
        low_caught as f64 / low.max(1) as f64
    );
    println!(
        "signatures: {} texts, {:.1} MB in {:.3} s = {:.0} MB/s on one core",
        2 * n,
        bytes as f64 / 1e6,
        seconds,
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
