//! Test audits under `tests/data/audits` (see its README), written by an earlier
//! `provaudit scan` over a small copy of fixtures/demo and kept frozen on purpose: every
//! verb must keep opening audits that older versions wrote.
//!
//! `old` scanned the copy; `new` scanned it after removing `code/tokenize.py`, adding
//! `sft/extra.jsonl` (one record with an e-mail address) and appending a line to
//! `web-zh/notes.md`.

use std::path::PathBuf;

fn dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/audits")
        .join(name)
}

pub fn old() -> PathBuf {
    dir("old")
}

pub fn new() -> PathBuf {
    dir("new")
}

pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A copy of an audit directory that a test may tamper with.
pub fn copy_of(src: &std::path::Path) -> tempfile::TempDir {
    let out = scratch();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), out.path().join(entry.file_name())).unwrap();
    }
    out
}
