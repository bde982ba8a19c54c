//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use provaudit::ledger::ScanOutcome;
use provaudit::ledger::{self, LedgerRow};
use provaudit::scan::{self, ScanOptions};

pub fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo")
}

/// The shared third-party corpora, when this checkout sits beside them.
pub fn corpora() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    dir.is_dir().then_some(dir)
}

pub fn scan_dir(root: &Path, out: &Path) -> ScanOutcome {
    let mut options = ScanOptions::new(vec![root.to_path_buf()], out.to_path_buf());
    options.threads = Some(2);
    scan::run(&options).expect("scan runs")
}

pub fn scan_with(options: &ScanOptions) -> ScanOutcome {
    scan::run(options).expect("scan runs")
}

pub fn rows(out: &Path) -> Vec<LedgerRow> {
    ledger::read_jsonl(&out.join(ledger::LEDGER_JSONL)).expect("ledger readable")
}

pub fn row<'a>(rows: &'a [LedgerRow], path: &str) -> &'a LedgerRow {
    rows.iter()
        .find(|r| r.path == path)
        .unwrap_or_else(|| panic!("no row for {path}"))
}

pub fn provaudit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provaudit"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// Runs the binary from `dir`, for tests that use relative paths.
pub fn provaudit_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provaudit"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("binary runs")
}

/// Stdout then stderr, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `provaudit report AUDIT --format spdx -o REP`, asserting success; the SPDX text.
#[allow(dead_code)]
pub fn spdx_report(audit: &Path, rep: &Path) -> String {
    let written = provaudit(&[
        "report",
        audit.to_str().unwrap(),
        "--format",
        "spdx",
        "-o",
        rep.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0), "{written:?}");
    std::fs::read_to_string(rep.join("disclosure.spdx.json")).unwrap()
}

/// A Python that can import `module`: the one named by the environment variable
/// `env` (a scratch venv, say), else `python3`; `None` when neither can.
#[allow(dead_code)]
pub fn python_with(module: &str, env: &str) -> Option<String> {
    let python = std::env::var(env).unwrap_or_else(|_| "python3".into());
    std::process::Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| python)
}

/// A document of `words` made-up words (three syllables each): unrelated documents
/// share no 5-word shingle, let alone a 13-word n-gram.
pub fn made_up_doc(rng: &mut provaudit::synth::Rng, words: usize) -> String {
    const SYL: &[&str] = &[
        "ka", "to", "ri", "men", "sa", "lo", "ve", "tan", "pi", "dor",
    ];
    (0..words)
        .map(|_| (0..3).map(|_| rng.word(SYL)).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `chars` random Han characters.
pub fn zh_doc(rng: &mut provaudit::synth::Rng, chars: usize) -> String {
    (0..chars)
        .filter_map(|_| char::from_u32(0x4e00 + rng.below(3000) as u32))
        .collect()
}

/// Chromium for the rendering tests: Debian's `/usr/bin/chromium`, else one on `PATH`.
pub fn chromium() -> Option<PathBuf> {
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
}
