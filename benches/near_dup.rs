//! Throughput of the MinHash stage alone (issue 19): normalisation as the scan's
//! near-duplicate detector does it, shingling, the 64-value signature, band keys and sketch,
//! per record, on ~8 MiB of the corpus generator's records (mixed zh/en prose, as in
//! `/tmp/corpus1g`), and on English-only and Chinese-only text; one core.
//!
//! `cargo bench --bench near_dup` (release profile, thin LTO).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use provaudit::analyze::fingerprint::Normalizer;
use provaudit::analyze::minhash::{MinHashParams, MinHasher};
use provaudit::analyze::profile::NormalForm;
use provaudit::synth::{Rng, sentence};

/// Which generated sentences a text set keeps.
type Keep = fn(&str) -> bool;

/// Paragraphs of about 600 bytes from `sentence`, keeping those `keep` accepts.
fn paragraphs(bytes: usize, keep: Keep) -> Vec<String> {
    let mut rng = Rng::new(19);
    let (mut out, mut total) = (Vec::new(), 0);
    while total < bytes {
        let mut p = String::new();
        while p.len() < 600 {
            let s = sentence(&mut rng);
            if keep(&s) {
                p.push_str(&s);
                p.push(' ');
            }
        }
        total += p.len();
        out.push(p);
    }
    out
}

fn minhash(c: &mut Criterion) {
    let mut group = c.benchmark_group("near_dup");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    let sets: [(&str, Keep); 3] = [
        ("mixed", |_| true),
        ("english", |s| s.is_ascii()),
        ("chinese", |s| !s.is_ascii()),
    ];
    for (name, keep) in sets {
        let records = paragraphs(8 << 20, keep);
        let bytes: usize = records.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{name}_8MiB_per_record"), |b| {
            let mut normalizer = Normalizer::default();
            let mut hasher = MinHasher::new(MinHashParams::default());
            let (mut keys, mut sketches) = (Vec::new(), Vec::new());
            b.iter(|| {
                keys.clear();
                sketches.clear();
                for record in &records {
                    normalizer.push(record, NormalForm::of(record));
                    hasher.add(black_box(normalizer.text()), &mut keys, &mut sketches);
                    normalizer.reset();
                }
                keys.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, minhash);
criterion_main!(benches);
