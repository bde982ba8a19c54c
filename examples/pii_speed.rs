//! PII throughput per core, measured in the scanning thread's own CPU time.
//!
//! Criterion's wall-clock figures (`benches/pii_scan.rs`) are the reference on an
//! idle machine; on a shared one they fall with the load. This example runs the
//! same workloads (synthetic mixed zh/en prose, `synth::mixed_text`) and divides
//! the bytes by the CPU time the thread itself spent (Linux
//! `/proc/thread-self/schedstat`), which is what "MB/s per core" means and stays
//! comparable while other processes run. Elsewhere it falls back to wall time.
//!
//! Usage: `cargo run --release --example pii_speed [MiB] [rounds]`

use provaudit::analyze::pii::{PiiConfig, PiiDetector, synth};
use provaudit::analyze::sensitive::{SensitiveDetector, SensitiveScratch};
use provaudit::record::Field;
use provaudit::synth::Stopwatch;

/// Runs `work` `rounds` times and prints the best round's MB/s over `bytes`.
fn measure(name: &str, bytes: usize, rounds: usize, mut work: impl FnMut() -> usize) {
    let mut best = f64::MAX;
    let mut found = 0;
    for _ in 0..rounds {
        let clock = Stopwatch::start();
        found = work();
        let secs = clock.seconds();
        best = best.min(secs);
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{name:<40} {:>7.1} MB/s per core ({mb:.1} MB in {best:.3} s CPU, {found} found)",
        mb / best
    );
}

/// A record of one text field, as the scan hands a paragraph to the detectors.
fn field_of<'a>(line: &&'a str) -> Field<'a> {
    Field {
        path: "text".into(),
        text: (*line).into(),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let text = synth::mixed_text(mib << 20, 42);
    let lines: Vec<&str> = text.lines().collect();
    let det = PiiDetector::builtin();
    let sensitive = SensitiveDetector::builtin();
    let patterns_only = PiiDetector::with_config(&PiiConfig {
        disable: vec!["person_name".into(), "address".into()],
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("built-in types can be disabled: {e}"));

    let mut out = Vec::new();
    measure("whole text", text.len(), rounds, || {
        out.clear();
        det.scan(&text, &mut out);
        out.len()
    });
    measure("per paragraph", text.len(), rounds, || {
        out.clear();
        for line in &lines {
            det.scan(line, &mut out);
        }
        out.len()
    });
    measure(
        "per paragraph, no names/addresses",
        text.len(),
        rounds,
        || {
            out.clear();
            for line in &lines {
                patterns_only.scan(line, &mut out);
            }
            out.len()
        },
    );
    let mut scratch = det.scratch();
    let (mut found, mut matches, mut flags) = (Vec::new(), Vec::new(), Vec::new());
    let mut sensitive_scratch = SensitiveScratch::default();
    measure("per paragraph, with sensitive", text.len(), rounds, || {
        flags.clear();
        let mut n = 0;
        for line in &lines {
            found.clear();
            matches.clear();
            det.scan_with(&mut scratch, line, &mut found);
            n += found.len();
            matches.extend(found.drain(..).map(|m| (0, m)));
            sensitive.flag_record(
                &mut sensitive_scratch,
                &[field_of(line)],
                &matches,
                &mut flags,
            );
        }
        n + flags.len()
    });
    measure(
        "sensitive alone (no PII matches)",
        text.len(),
        rounds,
        || {
            flags.clear();
            for line in &lines {
                sensitive.flag_record(&mut sensitive_scratch, &[field_of(line)], &[], &mut flags);
            }
            flags.len()
        },
    );
}
