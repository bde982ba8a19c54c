//! Times `PiiDetector::scan` over a file, whole and line by line, and prints
//! matches per type. The counterpart of `rg -c -o -f PATTERNS FILE`.
//!
//! Usage: cargo run --release --example pii_scan_file -- PATH

use std::collections::BTreeMap;
use std::time::Instant;

use provaudit::analyze::pii::PiiDetector;

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: scan_file PATH");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path)?;
    let text = String::from_utf8_lossy(&bytes);
    let det = PiiDetector::builtin();
    let mb = text.len() as f64 / 1e6;

    let mut whole = Vec::new();
    for round in 1..=8 {
        whole.clear();
        let t = Instant::now();
        det.scan(&text, &mut whole);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "whole text, round {round}: {mb:.1} MB in {secs:.3} s = {:.0} MB/s, {} matches",
            mb / secs,
            whole.len()
        );
    }

    let t = Instant::now();
    let mut per_line = Vec::new();
    let mut found = 0usize;
    for line in text.lines() {
        per_line.clear();
        det.scan(line, &mut per_line);
        found += per_line.len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "line by line: {mb:.1} MB in {secs:.3} s = {:.0} MB/s, {found} matches",
        mb / secs
    );

    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &whole {
        *by_type.entry(m.pii_type.as_str()).or_default() += 1;
    }
    for (t, n) in by_type {
        println!("  {t:<18} {n}");
    }
    Ok(())
}
