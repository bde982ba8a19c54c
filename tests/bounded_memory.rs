//! Bounded memory on the three shapes of input that grow a scan's per-record state
//! (issue 19): one huge record, a file of millions of one-word records, and a file of
//! one record repeated. Each runs the binary with and without `--near-duplicates
//! --eval-sets` and bounds the child's peak resident memory (read through
//! `/usr/bin/time -f %M`; skipped with a message where that is missing). The inputs
//! are scaled down from the (100 MB, 10^7, 10^6; README "Bounded memory"
//! has those figures) so the tests take seconds; the bounds are per record or per
//! byte of input over the scan's own floor, so they catch a structure that grows
//! with the input, never a time.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

const TIME: &str = "/usr/bin/time";

/// One measured scan at a time: the bounds are on each child's own peak, but two
/// scans on a small machine slow each other into other interleavings.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Peak resident kilobytes of `provaudit scan root -o out -q` with `extra`, or `None`
/// when `/usr/bin/time` cannot measure it here.
fn peak_kb(root: &Path, out: &Path, extra: &[&str]) -> Option<u64> {
    let report = out.with_extension("rss");
    let status = Command::new(TIME)
        // One malloc arena: per-thread arenas keep freed memory by timing, which
        // made the figure jump by tens of MB between runs.
        .env("MALLOC_ARENA_MAX", "1")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_provaudit"))
        .args(["scan", "--no-report", "-q", "--threads", "2", "-o"])
        .arg(out)
        .arg(root)
        .args(extra)
        .status()
        .ok()?;
    assert!(status.success(), "the scan of {} failed", root.display());
    let text = fs::read_to_string(&report).ok()?;
    text.lines().last()?.trim().parse().ok()
}

/// A small evaluation set (two made-up items).
fn eval_set(dir: &Path) -> String {
    let path = dir.join("eval.jsonl");
    fs::write(
        &path,
        "{\"question\": \"a farmer sells eggs at the market every morning and counts the coins twice before noon\"}\n\
         {\"question\": \"the train leaves the station at nine and travels four hundred miles across the plain\"}\n",
    )
    .unwrap();
    path.display().to_string()
}

/// Whether the child's peak memory can be read here; says why not when it cannot.
fn measurable() -> bool {
    let here = Path::new(TIME).exists();
    if !here {
        eprintln!("SKIPPED: {TIME} is not here to read the scan's peak memory");
    }
    here
}

/// Writes `lines` lines made by `line` into `root/data.jsonl`.
fn jsonl(root: &Path, lines: usize, line: impl Fn(usize) -> String) {
    fs::create_dir_all(root).unwrap();
    let mut w = std::io::BufWriter::new(fs::File::create(root.join("data.jsonl")).unwrap());
    for i in 0..lines {
        writeln!(w, "{}", line(i)).unwrap();
    }
    w.flush().unwrap();
}

/// Bytes of peak memory a record adds with `--near-duplicates --eval-sets`: the
/// peaks of a file of `SMALL` and one of `LARGE` records made by `line`, their
/// difference over the records' (what does not grow with the records, such as
/// the Parquet writer's buffers and the tables, cancels out).
fn bytes_per_record(line: impl Fn(usize) -> String + Copy) -> Option<u64> {
    const SMALL: usize = 50_000;
    const LARGE: usize = 250_000;
    if !measurable() {
        return None;
    }
    let _one = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let eval = eval_set(dir.path());
    let mut peaks = Vec::new();
    for records in [SMALL, LARGE] {
        let root = dir.path().join(format!("in-{records}"));
        jsonl(&root, records, line);
        let out = dir.path().join(format!("out-{records}"));
        let args = ["--near-duplicates", "--eval-sets", &eval];
        peaks.push(peak_kb(&root, &out, &args)?);
    }
    let grown = peaks[1].saturating_sub(peaks[0]) * 1024;
    let per_record = grown / (LARGE - SMALL) as u64;
    eprintln!("peak RSS {peaks:?} KB: {per_record} bytes a record");
    Some(per_record)
}

/// A file of one-word records: what a record costs must be small. With
/// near-duplicates it was ~380 bytes (every record's band keys and sketch held
/// until the file was settled, in vectors that doubled, and a file-local band table
/// as large as the scan-wide one); now ~150: the scan-wide index (six band entries
/// of 7.5–9.4 bytes and a parent, ~55), the exact-duplicate fingerprints (~60, with
/// or without near-duplicates) and the allocator's slack.
#[test]
fn one_word_records_keep_little_per_record() {
    let Some(per_record) = bytes_per_record(|i| format!("{{\"text\":\"w{i}\"}}")) else {
        return;
    };
    assert!(
        per_record <= 220,
        "{per_record} bytes a record with near-duplicates (bound 220)"
    );
}

/// One record repeated: one cluster and one pair a record (12 bytes, plus a parent),
/// the Parquet writer's buffer for its row (up to a row group), no list of rows built
/// whole and no sketch a record in memory: 55–115 bytes a record measured here
/// (timing moves it), ~128 before the spill. The bound catches a pair or cluster
/// structure that grows faster than the records.
#[test]
fn identical_records_keep_little_per_record() {
    let Some(per_record) = bytes_per_record(|_| {
        "{\"text\": \"the quick brown fox jumps over the lazy dog while five boxing wizards jump quickly by the river\"}"
            .to_string()
    }) else {
        return;
    };
    assert!(
        per_record <= 200,
        "{per_record} bytes a record with near-duplicates (bound 200)"
    );
}

/// One huge record: a few copies of it at most (the read buffer, its decoded text,
/// the normalised text), with or without near-duplicates.
#[test]
fn a_huge_record_is_held_a_few_times_at_most() {
    const BYTES: usize = 24 << 20;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("big");
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"];
    let mut text = String::with_capacity(BYTES + 16);
    let mut i = 0usize;
    while text.len() < BYTES {
        text.push_str(words[i % words.len()]);
        text.push_str(&(i % 9973).to_string());
        text.push(' ');
        i += 1;
    }
    jsonl(&root, 1, |_| format!("{{\"text\": \"{text}\"}}"));
    if !measurable() {
        return;
    }
    let _one = one_at_a_time();
    let eval = eval_set(dir.path());
    let limit = ["--max-record-bytes", "64MiB"];
    let off = peak_kb(&root, &dir.path().join("off"), &limit).unwrap();
    let mut with = limit.to_vec();
    with.extend(["--near-duplicates", "--eval-sets", &eval]);
    let on = peak_kb(&root, &dir.path().join("on"), &with).unwrap();
    // A small floor (the binary, its tables) plus four copies of the record.
    let floor_kb = 64 << 10;
    let bound_kb = floor_kb + 4 * (BYTES as u64 >> 10);
    eprintln!(
        "peak RSS for a {} MB record: {off} KB without near-duplicates, {on} KB with",
        BYTES >> 20
    );
    for (what, kb) in [("without", off), ("with", on)] {
        assert!(
            kb <= bound_kb,
            "{kb} KB {what} near-duplicates for a {} MB record (bound {bound_kb} KB)",
            BYTES >> 20
        );
    }
}
