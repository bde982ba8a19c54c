//! Bad input never stops a scan: each file gets a row saying `partial` or `error`, with
//! the count and the first error's location, and every good record is still counted.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;
use provaudit::formats::ErrorKind;
use provaudit::ledger::Status;
use provaudit::scan::ScanOptions;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn malformed_json_lines_are_located_and_the_rest_counted() {
    let data = tempfile::tempdir().unwrap();
    write(
        data.path(),
        "a.jsonl",
        b"{\"text\": \"one\"}\n{\"text\": \n{\"text\": \"three\"}\n[1, 2\n{\"text\": \"five\"}\n",
    );
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    let r = row(&rows, "a.jsonl");
    assert_eq!(
        (r.status.clone(), r.records, r.error_count),
        (Status::Partial, 3, 2)
    );
    let first = r.first_error.as_ref().unwrap();
    assert_eq!(
        (first.kind, first.location.line, first.location.byte_offset),
        (ErrorKind::Syntax, Some(2), Some(16))
    );
}

#[test]
fn truncated_gzip_keeps_the_records_before_the_cut() {
    let data = tempfile::tempdir().unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..2000 {
        writeln!(
            encoder,
            "{{\"text\": \"record number {i} with some padding text to compress\"}}"
        )
        .unwrap();
    }
    let full = encoder.finish().unwrap();
    write(data.path(), "cut.jsonl.gz", &full[..full.len() / 2]);
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    let r = row(&rows, "cut.jsonl.gz");
    assert_eq!(r.status.clone(), Status::Partial);
    assert!(r.records > 100 && r.records < 2000, "{} records", r.records);
    let first = r.first_error.as_ref().unwrap();
    assert_eq!(first.kind, ErrorKind::Decompress);
    assert!(first.location.byte_offset.is_some());
    assert!(r.sha256.is_some(), "the truncated file is still hashed");
}

#[test]
fn corrupt_parquet_footer_is_an_error_row() {
    let data = tempfile::tempdir().unwrap();
    let demo_pq = std::fs::read(demo().join("preference/dpo.parquet")).unwrap();
    let mut broken = demo_pq.clone();
    let n = broken.len();
    broken[n - 8..n - 4].copy_from_slice(&[0xff, 0xff, 0xff, 0x7f]);
    write(data.path(), "broken.parquet", &broken);
    write(data.path(), "short.parquet", &demo_pq[..demo_pq.len() / 2]);
    write(data.path(), "good.parquet", &demo_pq);
    let out = tempfile::tempdir().unwrap();
    let outcome = scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    for name in ["broken.parquet", "short.parquet"] {
        let r = row(&rows, name);
        assert_eq!((r.status.clone(), r.records), (Status::Error, 0), "{name}");
        assert!(r.first_error.is_some(), "{name}");
    }
    assert_eq!(row(&rows, "good.parquet").records, 3);
    assert_eq!(outcome.files_with_errors(), 2);
}

#[test]
fn invalid_utf8_is_read_lossily_and_reported() {
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "latin1.txt", b"plain line\ncaf\xe9 au lait\n");
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    let r = row(&rows, "latin1.txt");
    assert_eq!(
        (r.status.clone(), r.records, r.error_count),
        (Status::Partial, 2, 1)
    );
    assert_eq!(r.quality.invalid_utf8, 1);
    let first = r.first_error.as_ref().unwrap();
    assert_eq!(
        (first.kind, first.location.line),
        (ErrorKind::Encoding, Some(2))
    );
}

#[test]
fn a_100mb_single_line_is_skipped_with_bounded_memory() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("huge.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(b"{\"text\": \"").unwrap();
        let block = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            f.write_all(&block).unwrap();
        }
        f.write_all(b"\"}\n{\"text\": \"after\"}\n").unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    let r = row(&rows, "huge.jsonl");
    assert_eq!(
        (r.status.clone(), r.records, r.error_count),
        (Status::Partial, 1, 1)
    );
    let first = r.first_error.as_ref().unwrap();
    assert_eq!(
        (first.kind, first.location.line),
        (ErrorKind::TooLarge, Some(1))
    );
}

#[test]
fn an_empty_file_is_ok_with_no_records_and_flagged() {
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "empty.jsonl", b"");
    write(data.path(), "empty.parquet", b"");
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    let r = row(&rows, "empty.jsonl");
    assert_eq!((r.status.clone(), r.records), (Status::Ok, 0));
    assert!(r.risk_flags.contains(&"empty_file".to_string()));
    // An empty Parquet file has no footer: that is an error, not an empty dataset.
    assert_eq!(row(&rows, "empty.parquet").status, Status::Error);
}

#[test]
fn an_unreadable_file_gets_an_error_row() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "locked.jsonl", b"{\"text\": \"secret\"}\n");
    write(data.path(), "open.jsonl", b"{\"text\": \"fine\"}\n");
    let locked = data.path().join("locked.jsonl");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&locked).is_ok() {
        // Root reads anything; a dangling link exercises the same "cannot open" path.
        eprintln!(
            "running as root: permission bits do not stop reads; testing an unopenable path instead"
        );
        std::fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink(data.path().join("missing-target"), &locked).unwrap();
        let out = tempfile::tempdir().unwrap();
        let mut options =
            ScanOptions::new(vec![data.path().to_path_buf()], out.path().to_path_buf());
        options.discover.follow_symlinks = true;
        scan_with(&options);
        let rows = rows(out.path());
        let r = row(&rows, "locked.jsonl");
        assert_eq!(r.status.clone(), Status::Error);
        assert_eq!(row(&rows, "open.jsonl").status, Status::Ok);
        return;
    }
    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    let r = row(&rows, "locked.jsonl");
    assert_eq!(r.status.clone(), Status::Error);
    assert!(
        r.first_error
            .as_ref()
            .unwrap()
            .message
            .contains("permission"),
        "{:?}",
        r.first_error
    );
    assert_eq!(row(&rows, "open.jsonl").status, Status::Ok);
}

#[test]
fn symlinks_are_listed_not_followed_and_loops_are_reported() {
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "real/a.jsonl", b"{\"text\": \"a\"}\n");
    std::os::unix::fs::symlink(
        data.path().join("real/a.jsonl"),
        data.path().join("link.jsonl"),
    )
    .unwrap();
    std::os::unix::fs::symlink(data.path(), data.path().join("real/loop")).unwrap();

    let out = tempfile::tempdir().unwrap();
    scan_dir(data.path(), out.path());
    let rows_plain = rows(out.path());
    let link = row(&rows_plain, "link.jsonl");
    assert_eq!(link.status.clone(), Status::Skipped);
    assert!(
        link.skip_reason
            .as_deref()
            .unwrap()
            .contains("--follow-symlinks")
    );
    assert_eq!(row(&rows_plain, "real/loop").status, Status::Skipped);

    let out = tempfile::tempdir().unwrap();
    let mut options = ScanOptions::new(vec![data.path().to_path_buf()], out.path().to_path_buf());
    options.discover.follow_symlinks = true;
    scan_with(&options);
    let rows_follow = rows(out.path());
    assert_eq!(row(&rows_follow, "link.jsonl").records, 1);
    let lp = row(&rows_follow, "real/loop");
    assert_eq!(lp.status.clone(), Status::Error);
    assert!(
        lp.first_error.as_ref().unwrap().message.contains("loop"),
        "{:?}",
        lp.first_error
    );
}

#[test]
fn an_unknown_manifest_key_stops_the_scan_naming_file_and_key() {
    let data = tempfile::tempdir().unwrap();
    write(
        data.path(),
        "src/provenance.toml",
        b"[source]\nid = \"x\"\nlicence = \"MIT\"\n",
    );
    write(data.path(), "src/a.jsonl", b"{\"text\": \"a\"}\n");
    let out = tempfile::tempdir().unwrap();
    let run = provaudit(&[
        "scan",
        data.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(
        err.contains("provenance.toml") && err.contains("licence"),
        "{err}"
    );
}

#[test]
fn a_large_jsonl_split_into_ranges_matches_the_unsplit_scan() {
    let data = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    provaudit::synth::write_jsonl(&mut bytes, 300_000, 11, 7).unwrap();
    // A bad line in the middle, to check line numbers survive the split.
    let mid = bytes.len() / 2;
    let cut = mid + bytes[mid..].iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.splice(cut..cut, b"{broken\n".iter().copied());
    write(data.path(), "big.jsonl", &bytes);
    let expected_line = bytes[..cut].iter().filter(|&&b| b == b'\n').count() as u64 + 1;

    let whole = tempfile::tempdir().unwrap();
    let mut options = ScanOptions::new(vec![data.path().to_path_buf()], whole.path().to_path_buf());
    options.chunk_bytes = Some(0);
    scan_with(&options);
    let split = tempfile::tempdir().unwrap();
    let mut options = ScanOptions::new(vec![data.path().to_path_buf()], split.path().to_path_buf());
    options.chunk_bytes = Some(10_000);
    scan_with(&options);
    let a = rows(whole.path());
    let b = rows(split.path());
    assert_eq!(a, b);
    assert_eq!(
        a[0].first_error.as_ref().unwrap().location.line,
        Some(expected_line)
    );
    assert!(a[0].duplicates.within_file > 0);
}

/// A dataset of many files must not need a descriptor per file: the usual soft limit is
/// 1024, and every file is planned (opened, sniffed) before any is read.
#[test]
fn many_files_scan_under_a_small_descriptor_limit() {
    let data = tempfile::tempdir().unwrap();
    for i in 0..300 {
        write(
            data.path(),
            &format!("part-{i:03}.jsonl"),
            format!("{{\"text\": \"record of file {i}\"}}\n").as_bytes(),
        );
    }
    let out = tempfile::tempdir().unwrap();
    let command = format!(
        "ulimit -n 64 && exec '{}' scan '{}' -o '{}' -q --no-report --threads 2",
        env!("CARGO_BIN_EXE_provaudit"),
        data.path().display(),
        out.path().display()
    );
    let run = std::process::Command::new("sh")
        .args(["-c", &command])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let rows = rows(out.path());
    assert_eq!(rows.len(), 300);
    assert!(
        rows.iter()
            .all(|r| r.status == Status::Ok && r.records == 1)
    );
}
