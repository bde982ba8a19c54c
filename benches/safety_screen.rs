//! Throughput of corpus safety screening (`SafetyScreen::screen_field`) with a generated
//! 20,000-term made-up lexicon over ~8 MiB of synthetic mixed zh/en prose
//! (`synth::mixed_text`), one paragraph per field as a scan feeds it; and the same text
//! with every paragraph's words spliced (`t.e.r.m`), which takes the copying path.
//!
//! `cargo bench --bench safety_screen` (release profile, thin LTO).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use provaudit::analyze::pii::synth;
use provaudit::analyze::safety::{SafetyScratch, SafetyScreen};

fn screen(c: &mut Criterion) {
    let lexicon = provaudit::analyze::safety::synth::lexicon(20_000, 7);
    let screen = SafetyScreen::new(vec![lexicon]).expect("the generated lexicon compiles");
    let text = synth::mixed_text(8 << 20, 42);
    let lines: Vec<&str> = text.lines().collect();
    let mut group = c.benchmark_group("safety_screen");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    let mut run = |name: &str, lines: &[&str]| {
        let bytes: usize = lines.iter().map(|l| l.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(name, |b| {
            let mut scratch = SafetyScratch::default();
            let mut hits = Vec::new();
            b.iter(|| {
                hits.clear();
                for line in lines {
                    screen.screen_field(&mut scratch, black_box(line), &mut hits);
                }
                hits.len()
            })
        });
    };
    run("mixed_8MiB_per_paragraph_20k_terms", &lines);
    let spliced: String = text
        .lines()
        .take(2000)
        .map(|l| l.chars().map(|c| format!("{c}.")).collect::<String>() + "\n")
        .collect();
    let spliced_lines: Vec<&str> = spliced.lines().collect();
    run("spliced_paragraphs_20k_terms", &spliced_lines);
    group.finish();
}

criterion_group!(benches, screen);
criterion_main!(benches);
