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
use provaudit::analyze::{Detectors, LexiconScratch};
use provaudit::record::kind::RecordKind;
use provaudit::record::{Field, Record};
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
    // As the scan runs it: one literal search per field for the context words and the
    // sensitive terms (`Detectors::pii_and_sensitive`).
    let detectors = Detectors::builtin();
    let mut scratch = detectors.pii.scratch();
    let mut lexicon = LexiconScratch::default();
    let (mut matches, mut flags) = (Vec::new(), Vec::new());
    let mut sensitive_scratch = SensitiveScratch::default();
    measure("per paragraph, with sensitive", text.len(), rounds, || {
        let mut n = 0;
        for line in &lines {
            matches.clear();
            flags.clear();
            let mut record = Record::new(0, RecordKind::Text);
            record.fields.push(field_of(line));
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
