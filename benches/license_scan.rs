//! Throughput of `LicenseDetector::scan_text` on ~8 MB of ordinary mixed
//! English/Chinese prose, and on the same prose with license headers in 1%
//! of the records. Run: `cargo bench --bench license_scan`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use provaudit::analyze::license::{LicenseDetector, synth};

const BYTES: usize = 8 * 1024 * 1024;

fn scan_all(
    detector: &LicenseDetector,
    records: &[String],
    out: &mut Vec<provaudit::analyze::license::LicenseMatch>,
) -> usize {
    let mut found = 0;
    for r in records {
        out.clear();
        detector.scan_text(r, out);
        found += out.len();
    }
    found
}

fn bench(c: &mut Criterion) {
    let detector = LicenseDetector::builtin();
    let cases = [
        ("ordinary_prose", synth::ordinary_prose(BYTES, 42)),
        (
            "prose_1pct_license_headers",
            synth::license_mix(BYTES, 1, 42),
        ),
    ];
    let mut group = c.benchmark_group("license_scan");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15))
        .warm_up_time(Duration::from_secs(2));
    for (name, records) in &cases {
        let bytes: usize = records.iter().map(String::len).sum();
        let mut out = Vec::new();
        let found = scan_all(&detector, records, &mut out);
        println!(
            "{name}: {} records, {bytes} bytes, {found} markers",
            records.len()
        );
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(*name, |b| {
            b.iter(|| black_box(scan_all(&detector, black_box(records), &mut out)))
        });
    }
    group.finish();
}

/// Cold start: loading spdx's license store (zstd-compressed n-gram sets of
/// ~700 licenses) and compiling the rule tables.
fn bench_builtin(c: &mut Criterion) {
    let mut group = c.benchmark_group("license_detector");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("builtin", |b| {
        b.iter(|| black_box(LicenseDetector::builtin()))
    });
    group.finish();
}

criterion_group!(benches, bench, bench_builtin);
criterion_main!(benches);
