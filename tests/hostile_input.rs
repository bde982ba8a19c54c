//! Hostile input (issue 13): crafted files and directory entries that hung, aborted or
//! silently gave wrong rows. Each input is built here, in a temporary directory; runs
//! that could exhaust memory go through the binary under an address-space limit
//! (`ulimit -v`), where an unchecked allocation aborts (exit 134) and loses the audit.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{ArrayRef, Int64Builder, MapBuilder, RecordBatch, StringArray, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema};
use common::*;
use provaudit::formats::ErrorKind;
use provaudit::ledger::{LedgerRow, Status};
use provaudit::scan::ScanOptions;

/// Address space for runs that must stay bounded: far above what a scan of these
/// small inputs needs, far below what the hostile claims would allocate.
const ADDRESS_SPACE_KIB: u64 = 1 << 20;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Runs `provaudit scan` under the address-space limit and a deadline (a hang fails
/// the test instead of blocking the suite).
fn bounded_scan(data: &Path, out: &Path, extra: &str) -> Output {
    let command = format!(
        "ulimit -v {ADDRESS_SPACE_KIB} && exec '{}' scan '{}' -o '{}' -q --no-report --threads 2 {extra}",
        env!("CARGO_BIN_EXE_provaudit"),
        data.display(),
        out.display()
    );
    let mut child = Command::new("sh")
        .args(["-c", &command])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the scan hung: still running after 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn bounded_rows(data: &Path, extra: &str) -> Vec<LedgerRow> {
    let out = tempfile::tempdir().unwrap();
    let run = bounded_scan(data, out.path(), extra);
    assert!(
        matches!(run.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        run.status.code(),
        text(&run)
    );
    rows(out.path())
}

fn first_error(row: &LedgerRow) -> (ErrorKind, String) {
    let e = row.first_error.as_ref().expect("the row has an error");
    (e.kind, e.message.clone())
}

// ---- Aborts become bounded memory (defect 3) ----

#[test]
fn a_csv_gz_with_one_huge_field_is_skipped_in_bounded_memory() {
    let data = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"text,label\n\"").unwrap();
    let block = vec![b'x'; 1 << 20];
    // 600 MiB in one field: buffered whole (growing by doubling to 1 GiB), it does not
    // fit in the 1 GiB address space.
    for _ in 0..600 {
        gz.write_all(&block).unwrap();
    }
    gz.write_all(b"\",big\nsmall row,ok\n").unwrap();
    write(data.path(), "huge.csv.gz", &gz.finish().unwrap());
    let rows = bounded_rows(data.path(), "--max-record-bytes 1048576");
    let r = row(&rows, "huge.csv.gz");
    assert_eq!((r.status.clone(), r.records), (Status::Partial, 1));
    assert_eq!(first_error(r).0, ErrorKind::TooLarge);
    assert_eq!(r.first_error.as_ref().unwrap().location.line, Some(2));
}

#[test]
fn a_record_bound_the_machine_cannot_hold_is_refused_up_front() {
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "a.jsonl", b"{\"text\": \"x\"}\n");
    let out = tempfile::tempdir().unwrap();
    let run = bounded_scan(data.path(), out.path(), "--max-record-bytes 3000000000");
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(text(&run).contains("--max-record-bytes"), "{}", text(&run));
}

/// A minimal Thrift compact-protocol writer, to build Parquet files whose metadata
/// lies (no Parquet writer produces them).
#[derive(Default)]
struct Thrift {
    bytes: Vec<u8>,
    last: Vec<i16>,
}

impl Thrift {
    fn new() -> Self {
        Thrift {
            bytes: Vec::new(),
            last: vec![0],
        }
    }
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }
    fn field(&mut self, id: i16, kind: u8) {
        let last = self.last.last_mut().unwrap();
        let delta = id - *last;
        if (1..=15).contains(&delta) {
            self.bytes.push(((delta as u8) << 4) | kind);
        } else {
            self.bytes.push(kind);
            let zz = ((i64::from(id) << 1) ^ (i64::from(id) >> 63)) as u64;
            self.varint(zz);
        }
        *self.last.last_mut().unwrap() = id;
    }
    fn int(&mut self, id: i16, kind: u8, v: i64) {
        self.field(id, kind);
        self.varint(((v << 1) ^ (v >> 63)) as u64);
    }
    fn i32(&mut self, id: i16, v: i64) {
        self.int(id, 5, v);
    }
    fn i64(&mut self, id: i16, v: i64) {
        self.int(id, 6, v);
    }
    fn binary(&mut self, id: i16, b: &[u8]) {
        self.field(id, 8);
        self.varint(b.len() as u64);
        self.bytes.extend_from_slice(b);
    }
    fn list(&mut self, id: i16, len: u8, element: u8) {
        self.field(id, 9);
        self.bytes.push((len << 4) | element);
    }
    fn open(&mut self, id: Option<i16>) {
        if let Some(id) = id {
            self.field(id, 12);
        }
        self.last.push(0);
    }
    fn close(&mut self) {
        self.bytes.push(0);
        self.last.pop();
    }
}

/// Claims a hostile Parquet file makes about itself.
#[derive(Clone, Copy)]
struct Claims {
    uncompressed_page: i64,
    rows: i64,
    root_children: i64,
}

const HONEST: Claims = Claims {
    uncompressed_page: 9,
    rows: 1,
    root_children: 1,
};

/// One SNAPPY page holding the string "hello" in a column `text`, with the claims.
fn parquet_with(claims: Claims) -> Vec<u8> {
    // Snappy: length 9, one literal of 9 bytes (PLAIN: u32 length + "hello").
    let body = [0x09, 0x20, 5, 0, 0, 0, b'h', b'e', b'l', b'l', b'o'];
    let mut page = Thrift::new();
    page.i32(1, 0);
    page.i32(2, claims.uncompressed_page);
    page.i32(3, body.len() as i64);
    page.open(Some(5));
    page.i32(1, 1);
    page.i32(2, 0);
    page.i32(3, 3);
    page.i32(4, 3);
    page.close();
    page.close();
    let mut file = b"PAR1".to_vec();
    file.extend_from_slice(&page.bytes);
    file.extend_from_slice(&body);
    let chunk = (file.len() - 4) as i64;

    let mut f = Thrift::new();
    f.i32(1, 1);
    f.list(2, 2, 12);
    f.open(None);
    f.binary(4, b"schema");
    f.i32(5, claims.root_children);
    f.close();
    f.open(None);
    f.i32(1, 6);
    f.i32(3, 0);
    f.binary(4, b"text");
    f.i32(6, 0);
    f.close();
    f.i64(3, claims.rows);
    f.list(4, 1, 12);
    f.open(None);
    f.list(1, 1, 12);
    f.open(None);
    f.i64(2, 4);
    f.open(Some(3));
    f.i32(1, 6);
    f.list(2, 1, 5);
    f.varint(0);
    f.list(3, 1, 8);
    f.varint(4);
    f.bytes.extend_from_slice(b"text");
    f.i32(4, 1);
    f.i64(5, 1);
    f.i64(6, chunk);
    f.i64(7, chunk);
    f.i64(9, 4);
    f.close();
    f.close();
    f.i64(2, chunk);
    f.i64(3, claims.rows);
    f.close();
    f.close();
    file.extend_from_slice(&f.bytes);
    file.extend_from_slice(&(f.bytes.len() as u32).to_le_bytes());
    file.extend_from_slice(b"PAR1");
    file
}

#[test]
fn parquet_size_claims_are_checked_before_allocating() {
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "honest.parquet", &parquet_with(HONEST));
    let page = Claims {
        uncompressed_page: i64::from(i32::MAX),
        ..HONEST
    };
    // Four of them: one per worker at once was 8 GB on four threads.
    for i in 0..4 {
        write(
            data.path(),
            &format!("page-{i}.parquet"),
            &parquet_with(page),
        );
    }
    let children = Claims {
        root_children: 1 << 30,
        ..HONEST
    };
    write(data.path(), "children.parquet", &parquet_with(children));
    let rows = bounded_rows(data.path(), "");

    let honest = row(&rows, "honest.parquet");
    assert_eq!((honest.status.clone(), honest.records), (Status::Ok, 1));
    for i in 0..4 {
        let r = row(&rows, &format!("page-{i}.parquet"));
        assert_eq!(r.status.clone(), Status::Error);
        assert!(
            first_error(r).1.contains("--max-record-bytes"),
            "{:?}",
            r.first_error
        );
        assert_eq!(r.first_error.as_ref().unwrap().location.row_group, Some(0));
    }
    let r = row(&rows, "children.parquet");
    assert_eq!(r.status.clone(), Status::Error);
    assert!(first_error(r).1.contains("children"), "{:?}", r.first_error);
}

// ---- Silent wrong rows (defect 5) ----

#[test]
fn a_row_group_claiming_more_rows_than_it_holds_is_an_error() {
    let data = tempfile::tempdir().unwrap();
    let lie = Claims {
        rows: 1 << 40,
        ..HONEST
    };
    write(data.path(), "lie.parquet", &parquet_with(lie));
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let r = row(&rows(out.path()), "lie.parquet").clone();
    assert_eq!(r.status.clone(), Status::Error);
    assert!(first_error(&r).1.contains("rows"), "{:?}", r.first_error);
}

#[test]
fn a_byte_order_mark_does_not_break_the_first_jsonl_record() {
    let data = tempfile::tempdir().unwrap();
    write(
        data.path(),
        "bom.jsonl",
        b"\xef\xbb\xbf{\"text\": \"first\"}\n{\"text\": \"second\"}\n",
    );
    write(
        data.path(),
        "bom.csv",
        b"\xef\xbb\xbftext,label\nfirst,a\nsecond,b\n",
    );
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    for name in ["bom.jsonl", "bom.csv"] {
        let r = row(&rows, name);
        assert_eq!((r.status.clone(), r.records), (Status::Ok, 2), "{name}");
    }
}

#[test]
fn a_tsv_field_that_starts_with_a_quote_is_text() {
    let data = tempfile::tempdir().unwrap();
    let mut tsv = b"text\tlabel\n\"quoted start of a review\tpositive\n".to_vec();
    for i in 0..1000 {
        tsv.extend_from_slice(format!("review number {i}\tnegative\n").as_bytes());
    }
    write(data.path(), "reviews.tsv", &tsv);
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let r = row(&rows(out.path()), "reviews.tsv").clone();
    assert_eq!((r.status.clone(), r.records), (Status::Ok, 1001));
}

fn arrow_batches(n: usize) -> (Arc<Schema>, Vec<RecordBatch>) {
    let schema = Arc::new(Schema::new(vec![Field::new("text", DataType::Utf8, false)]));
    let batches = (0..n)
        .map(|b| {
            let texts: Vec<String> = (0..10).map(|i| format!("batch {b} row {i}")).collect();
            let column = Arc::new(StringArray::from(texts)) as ArrayRef;
            RecordBatch::try_new(schema.clone(), vec![column]).unwrap()
        })
        .collect();
    (schema, batches)
}

#[test]
fn a_truncated_arrow_file_keeps_its_complete_batches() {
    let (schema, batches) = arrow_batches(4);
    let mut bytes = Vec::new();
    {
        let mut writer = arrow::ipc::writer::FileWriter::try_new(&mut bytes, &schema).unwrap();
        for batch in &batches {
            writer.write(batch).unwrap();
        }
        writer.finish().unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "whole.arrow", &bytes);
    // Cut inside the last batch: the footer and that batch are lost, three remain.
    let cut = bytes.len() - bytes.len() / 5 - 100;
    write(data.path(), "cut.arrow", &bytes[..cut]);
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    let whole = row(&rows, "whole.arrow");
    assert_eq!(
        (whole.status.clone(), whole.records),
        (Status::Ok, 40),
        "{:?}",
        whole.first_error
    );
    let cut = row(&rows, "cut.arrow");
    assert_eq!(cut.status.clone(), Status::Partial);
    assert!(cut.records >= 20 && cut.records < 40, "{}", cut.records);
}

fn write_parquet(path: &Path, batch: &RecordBatch) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}

#[test]
fn a_parquet_map_column_does_not_lose_the_text_columns() {
    let mut map = MapBuilder::new(None, StringBuilder::new(), Int64Builder::new());
    for i in 0..3 {
        map.keys().append_value("count");
        map.values().append_value(i);
        map.append(true).unwrap();
    }
    let text = Arc::new(StringArray::from(vec!["one", "two", "three"])) as ArrayRef;
    let map = Arc::new(map.finish()) as ArrayRef;
    let batch = RecordBatch::try_from_iter(vec![("text", text), ("stats", map)]).unwrap();
    let data = tempfile::tempdir().unwrap();
    write_parquet(&data.path().join("mapped.parquet"), &batch);
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let r = row(&rows(out.path()), "mapped.parquet").clone();
    assert_eq!((r.status.clone(), r.records), (Status::Ok, 3));
    assert!(r.characters >= 11, "{} characters", r.characters);
}

#[test]
fn a_previous_audits_ledger_parquet_can_be_scanned() {
    let first = tempfile::tempdir().unwrap();
    scan_dir(&demo(), first.path());
    let data = tempfile::tempdir().unwrap();
    std::fs::copy(
        first.path().join("ledger.parquet"),
        data.path().join("ledger.parquet"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let r = row(&rows(out.path()), "ledger.parquet").clone();
    assert_eq!(r.status.clone(), Status::Ok, "{:?}", r.first_error);
    assert!(r.records > 0);
}

#[test]
fn a_columnar_row_over_the_record_bound_is_reported_and_skipped() {
    let wide = "w".repeat(6000);
    let a = Arc::new(StringArray::from(vec![wide.as_str(), "short"])) as ArrayRef;
    let b = Arc::new(StringArray::from(vec![wide.as_str(), "also short"])) as ArrayRef;
    let batch = RecordBatch::try_from_iter(vec![("prompt", a), ("response", b)]).unwrap();
    let data = tempfile::tempdir().unwrap();
    write_parquet(&data.path().join("wide.parquet"), &batch);
    let out = tempfile::tempdir().unwrap();
    let mut options = ScanOptions::new(vec![data.path().to_path_buf()], out.path().to_path_buf());
    options.read.max_record_bytes = 10_000;
    scan_with(&options);
    let r = row(&rows(out.path()), "wide.parquet").clone();
    assert_eq!((r.status.clone(), r.records), (Status::Partial, 1));
    let e = r.first_error.as_ref().unwrap();
    assert_eq!(e.kind, ErrorKind::TooLarge);
    assert_eq!((e.location.row_group, e.location.row), (Some(0), Some(0)));
}

// ---- Discovery (defects 1 and 4) ----

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

#[test]
fn fifos_and_devices_are_listed_skipped_and_never_opened() {
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "a.jsonl", b"{\"text\": \"x\"}\n");
    write(data.path(), "sub/b.jsonl", b"{\"text\": \"y\"}\n");
    mkfifo(&data.path().join("p.jsonl"));
    mkfifo(&data.path().join("q"));
    mkfifo(&data.path().join("sub/provenance.toml"));
    std::os::unix::fs::symlink("/dev/zero", data.path().join("zero.jsonl")).unwrap();
    let rows = bounded_rows(data.path(), "--follow-symlinks");
    assert_eq!(row(&rows, "a.jsonl").status, Status::Ok);
    assert_eq!(row(&rows, "sub/b.jsonl").status, Status::Ok);
    for (name, what) in [
        ("p.jsonl", "named pipe"),
        ("q", "named pipe"),
        ("sub/provenance.toml", "named pipe"),
        ("zero.jsonl", "character device"),
    ] {
        let r = row(&rows, name);
        assert_eq!(r.status.clone(), Status::Skipped, "{name}");
        let reason = r.skip_reason.as_deref().unwrap_or_default();
        assert!(reason.contains(what), "{name}: {reason}");
    }
}

#[test]
fn declarations_over_the_size_limit_stop_the_scan_naming_the_file() {
    let filler = "# padding\n".repeat(120_000);
    for (name, content) in [
        (
            "src/provenance.toml",
            format!("[source]\nid = \"x\"\n{filler}"),
        ),
        ("src/README.md", format!("---\nlicense: mit\n{filler}---\n")),
    ] {
        let data = tempfile::tempdir().unwrap();
        write(data.path(), name, content.as_bytes());
        write(data.path(), "src/a.jsonl", b"{\"text\": \"a\"}\n");
        let out = tempfile::tempdir().unwrap();
        let run = bounded_scan(data.path(), out.path(), "");
        assert_eq!(run.status.code(), Some(2), "{name}: {}", text(&run));
        let file = name.rsplit('/').next().unwrap();
        assert!(text(&run).contains(file), "{}", text(&run));
    }
    // A large README without front matter is documentation, not a card.
    let data = tempfile::tempdir().unwrap();
    write(
        data.path(),
        "src/README.md",
        format!("# Notes\n{filler}").as_bytes(),
    );
    write(data.path(), "src/a.jsonl", b"{\"text\": \"a\"}\n");
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        bounded_scan(data.path(), out.path(), "").status.code(),
        Some(0)
    );
}

// ---- A file that changes while it is read (defect 5) ----

/// Plans `name` as the scan does (discover, open, sniff), lets `change` edit the file,
/// then reads the planned unit: the seam where the plan's size meets the hash.
fn read_after_change(change: impl FnOnce(&Path)) -> Option<provaudit::formats::ReadError> {
    use provaudit::scan::execute::{UnitContext, execute};
    use provaudit::scan::plan::{Chunking, plan_file};
    let data = tempfile::tempdir().unwrap();
    let lines: String = (0..100)
        .map(|i| format!("{{\"text\": \"line {i}\"}}\n"))
        .collect();
    write(data.path(), "data.jsonl", lines.as_bytes());
    let files =
        provaudit::discover::discover(&[data.path().to_path_buf()], &Default::default()).unwrap();
    let plan = plan_file(&files[0], Chunking::NEVER, Default::default());
    change(&data.path().join("data.jsonl"));
    let detectors = provaudit::analyze::Detectors::builtin();
    let context = UnitContext {
        read: Default::default(),
        detectors: &detectors,
        findings: provaudit::ledger::findings::FindingsMode::None,
        spares: None,
    };
    let source = plan.source.expect("planned for reading");
    let result = execute(
        &plan.work[0],
        &plan.format,
        plan.compression,
        &source,
        &context,
    );
    result.fatal
}

#[test]
fn a_file_that_shrinks_or_is_replaced_while_read_is_changed() {
    let shrink = |path: &Path| {
        let bytes = std::fs::read(path).unwrap();
        std::fs::write(path, &bytes[..bytes.len() / 2 + 1]).unwrap();
    };
    // Cut at a line boundary, so the reader itself sees nothing wrong.
    let at_line = |path: &Path| {
        let bytes = std::fs::read(path).unwrap();
        let cut = bytes[..bytes.len() / 2]
            .iter()
            .rposition(|&b| b == b'\n')
            .unwrap()
            + 1;
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .unwrap()
            .set_len(cut as u64)
            .unwrap();
    };
    let replace = |path: &Path| {
        let same_size = std::fs::read(path).unwrap().to_ascii_uppercase();
        let other = path.with_extension("new");
        std::fs::write(&other, same_size).unwrap();
        std::fs::rename(other, path).unwrap();
    };
    for (what, change) in [
        ("shrunk", &shrink as &dyn Fn(&Path)),
        ("cut at a line", &at_line),
        ("replaced", &replace),
    ] {
        let fatal = read_after_change(change).unwrap_or_else(|| panic!("{what}: no error"));
        assert_eq!(fatal.kind, ErrorKind::Changed, "{what}: {fatal}");
        assert!(fatal.message.contains("changed during the scan"), "{what}");
    }
    assert_eq!(read_after_change(|_| {}), None);
}

// ---- Decompression bombs (--max-expansion) ----

/// A JSON line, then `zeros` zero bytes: a few hundred KB compressed at most.
fn bomb_body(zeros: usize) -> impl Iterator<Item = Vec<u8>> {
    let chunk = 1 << 20;
    std::iter::once(b"{\"text\":\"before the bomb\"}\n".to_vec())
        .chain((0..zeros / chunk).map(move |_| vec![0u8; chunk]))
}

#[test]
fn decompression_bombs_get_an_error_row_naming_the_option_and_the_scan_goes_on() {
    let data = tempfile::tempdir().unwrap();
    let mut zst = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
    for part in bomb_body(80 << 20) {
        zst.write_all(&part).unwrap();
    }
    write(data.path(), "bomb.jsonl.zst", &zst.finish().unwrap());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for part in bomb_body(80 << 20) {
        gz.write_all(&part).unwrap();
    }
    write(data.path(), "bomb.jsonl.gz", &gz.finish().unwrap());
    let mut small = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    small.write_all(b"{\"text\":\"fine\"}\n").unwrap();
    write(data.path(), "small.jsonl.gz", &small.finish().unwrap());

    // gzip of zeros reaches about 1000:1, so the gzip bomb needs a lower ratio.
    let rows = bounded_rows(data.path(), "--max-expansion 100");
    for name in ["bomb.jsonl.zst", "bomb.jsonl.gz"] {
        let bomb = row(&rows, name);
        assert_eq!(bomb.status, Status::Error, "{name}");
        let (kind, message) = first_error(bomb);
        assert_eq!(kind, ErrorKind::TooLarge, "{message}");
        assert!(message.contains("--max-expansion 100"), "{message}");
    }
    assert_eq!(row(&rows, "small.jsonl.gz").status, Status::Ok);
    assert_eq!(row(&rows, "small.jsonl.gz").records, 1);

    // At the default ratio the zstd bomb (far beyond 1000:1) is still stopped.
    let rows = bounded_rows(data.path(), "");
    assert_eq!(row(&rows, "bomb.jsonl.zst").status, Status::Error);
}
