//! Throughput of the whole scan (discover + read + analyse + fingerprint + ledger) on a
//! generated JSONL corpus, and of its hot per-record stages alone.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use provaudit::formats::lines::LineReader;
use provaudit::formats::sink::RecordSink;
use provaudit::formats::{ReadError, jsonl};
use provaudit::record::Record;
use provaudit::scan::{self, ScanOptions};

const CORPUS_BYTES: u64 = 64_000_000;

fn corpus() -> (tempfile::TempDir, u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut total = 0;
    for i in 0..4 {
        let mut bytes = Vec::new();
        provaudit::synth::write_jsonl(&mut bytes, CORPUS_BYTES / 4, 42 + i, 10).expect("generate");
        total += bytes.len() as u64;
        std::fs::write(dir.path().join(format!("part-{i}.jsonl")), bytes).expect("write");
    }
    (dir, total)
}

fn whole_scan(c: &mut Criterion) {
    let (data, bytes) = corpus();
    let out = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    bench_full_scan(&mut group, "jsonl_64MB_all_cores", data.path(), out.path());
    // Re-auditing the unchanged corpus against the audit just written: what
    // `scan --baseline` costs over the listing (the target is <= 5% of a full scan).
    let prior = tempfile::tempdir().expect("temp dir");
    let mut options = ScanOptions::new(vec![data.path().to_path_buf()], prior.path().to_path_buf());
    scan::run(&options).expect("prior scan");
    options.out = out.path().to_path_buf();
    options.baseline = Some(prior.path().to_path_buf());
    group.bench_function("jsonl_64MB_unchanged_baseline", |b| {
        b.iter(|| black_box(scan::run(&options).expect("scan")))
    });
    group.finish();
    real_text_scan(c);
}

/// The whole scan over real records assembled from `../shared/corpora`
/// (`synth::real`), beside the generated corpus: real text costs what generated text
/// does not (nested chats, long documents, license texts).
fn real_text_scan(c: &mut Criterion) {
    let corpora = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if !corpora.is_dir() {
        eprintln!("SKIPPED: scan/real_text_64MB needs ../shared/corpora");
        return;
    }
    let data = tempfile::tempdir().expect("temp dir");
    let (_, bytes) =
        provaudit::synth::real::assemble(&corpora, data.path(), CORPUS_BYTES).expect("assemble");
    let out = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    bench_full_scan(
        &mut group,
        "real_text_64MB_all_cores",
        data.path(),
        out.path(),
    );
    group.finish();
}

/// A whole scan of `data` with default options, writing into `out`.
fn bench_full_scan(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    data: &std::path::Path,
    out: &std::path::Path,
) {
    group.bench_function(name, |b| {
        b.iter(|| {
            let options = ScanOptions::new(vec![data.to_path_buf()], out.to_path_buf());
            black_box(scan::run(&options).expect("scan"))
        })
    });
}

/// Counts records: the cheapest sink, to isolate reading and JSON field extraction.
struct Count(u64);
impl RecordSink for Count {
    fn record(&mut self, r: &Record<'_>) {
        self.0 += r.fields.len() as u64;
    }
    fn error(&mut self, _: ReadError) {}
}

/// Analyses records: fingerprints, language, quality, on one core.
struct Analyze(u64);
impl RecordSink for Analyze {
    fn record(&mut self, r: &Record<'_>) {
        self.0 += black_box(provaudit::analyze::analyze(r)).profile.chars;
    }
    fn error(&mut self, _: ReadError) {}
}

fn per_core_stages(c: &mut Criterion) {
    let mut bytes = Vec::new();
    provaudit::synth::write_jsonl(&mut bytes, 16_000_000, 7, 10).expect("generate");
    let mut group = c.benchmark_group("one_core");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("jsonl_read_extract", |b| {
        b.iter(|| {
            let mut sink = Count(0);
            let _ = jsonl::read(&mut LineReader::new(&bytes[..], 0, 1 << 25), &mut sink);
            black_box(sink.0)
        })
    });
    group.bench_function("jsonl_read_analyze", |b| {
        b.iter(|| {
            let mut sink = Analyze(0);
            let _ = jsonl::read(&mut LineReader::new(&bytes[..], 0, 1 << 25), &mut sink);
            black_box(sink.0)
        })
    });
    group.finish();
}

criterion_group!(benches, whole_scan, per_core_stages);
criterion_main!(benches);
