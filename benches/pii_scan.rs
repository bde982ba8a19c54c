//! Throughput of `PiiDetector::scan` on ~8 MiB of synthetic mixed zh/en prose
//! (`synth::mixed_text`, about one PII value per 3 KB plus look-alikes).
//!
//! `cargo bench --bench pii_scan` (release profile, thin LTO).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use provaudit::analyze::pii::{PiiConfig, PiiDetector, synth};
use provaudit::analyze::sensitive::SensitiveScratch;
use provaudit::analyze::{Detectors, LexiconScratch};
use provaudit::record::kind::RecordKind;
use provaudit::record::{Field, Record};

fn scan(c: &mut Criterion) {
    let det = PiiDetector::builtin();
    let text = synth::mixed_text(8 << 20, 42);
    let lines: Vec<&str> = text.lines().collect();
    let mut group = c.benchmark_group("pii_scan");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(12));
    group.bench_function("mixed_8MiB_whole_text", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            det.scan(black_box(&text), &mut out);
            out.len()
        })
    });
    // Records as provaudit feeds them: one paragraph at a time.
    group.bench_function("mixed_8MiB_per_paragraph", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            for line in &lines {
                det.scan(black_box(line), &mut out);
            }
            out.len()
        })
    });
    // What the scan's PII detector does per record since issue 15 item 5: the PII
    // pass, then the sensitive-category pass over the same field with its matches,
    // the context words and the terms found by one literal search
    // (`Detectors::pii_and_sensitive`).
    let detectors = Detectors::builtin();
    group.bench_function("mixed_8MiB_per_paragraph_with_sensitive", |b| {
        let mut scratch = detectors.pii.scratch();
        let mut lexicon = LexiconScratch::default();
        let mut sensitive_scratch = SensitiveScratch::default();
        let (mut matches, mut flags) = (Vec::new(), Vec::new());
        b.iter(|| {
            let mut n = 0;
            for line in &lines {
                matches.clear();
                flags.clear();
                let mut record = Record::new(0, RecordKind::Text);
                record.fields.push(Field {
                    path: "text".into(),
                    text: (*black_box(line)).into(),
                });
                detectors.pii_and_sensitive(
                    &mut scratch,
                    &mut lexicon,
                    &mut sensitive_scratch,
                    &record,
                    &mut matches,
                    &mut flags,
                );
                n += matches.len() + flags.len();
            }
            n
        })
    });
    // The same without the name and address recognisers: what the prose pass
    // (one literal search plus recognisers at its hits) costs.
    let patterns_only = PiiDetector::with_config(&PiiConfig {
        disable: vec!["person_name".into(), "address".into()],
        ..Default::default()
    })
    .expect("built-in types can be disabled");
    group.bench_function("mixed_8MiB_per_paragraph_no_names_addresses", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            for line in &lines {
                patterns_only.scan(black_box(line), &mut out);
            }
            out.len()
        })
    });
    group.finish();

    // Bad input (issue 15): one field of digits and separators, one of 10^6 `@`.
    // Time per MB should stay within a small factor of the ordinary text's.
    let mut bad = c.benchmark_group("pii_adversarial");
    bad.sample_size(10);
    let digits = "1234 5678-90.12 ".repeat(1 << 20);
    bad.throughput(Throughput::Bytes(digits.len() as u64));
    bad.bench_function("digits_and_separators_16MiB", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            det.scan(black_box(&digits), &mut out);
            out.len()
        })
    });
    let ats = "@".repeat(1_000_000);
    bad.throughput(Throughput::Bytes(ats.len() as u64));
    bad.bench_function("at_signs_1e6", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            det.scan(black_box(&ats), &mut out);
            out.len()
        })
    });
    bad.finish();

    // One-time costs: building the automata, and a first scan on cold lazy-DFA caches.
    let mut cold = c.benchmark_group("pii_cold");
    cold.sample_size(10);
    cold.bench_function("builtin_build", |b| b.iter(PiiDetector::builtin));
    let small = synth::mixed_text(1 << 20, 7);
    cold.throughput(Throughput::Bytes(small.len() as u64));
    cold.bench_function("build_and_first_scan_1MiB", |b| {
        b.iter(|| {
            let det = PiiDetector::builtin();
            let mut out = Vec::new();
            det.scan(black_box(&small), &mut out);
            out.len()
        })
    });
    cold.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
