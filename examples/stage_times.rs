//! Times each per-record stage on one JSONL file, on one core:
//! `cargo run --release --example stage_times -- FILE`. MB/s are per CPU-second
//! of this thread where Linux reports it (comparable on a loaded machine), per
//! wall-clock second elsewhere.

use provaudit::analyze::profile::{NormalForm, TextProfile};
use provaudit::analyze::{fingerprint, language};
use provaudit::formats::json_walk;
use provaudit::synth::Stopwatch;

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: stage_times FILE"))?;
    let data = std::fs::read(&path)?;
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let mb = data.len() as f64 / 1e6;
    let time = |name: &str, f: &mut dyn FnMut() -> u64| {
        let clock = Stopwatch::start();
        let n = f();
        let s = clock.seconds();
        println!("{name:<22} {:>8.1} MB/s  ({n})", mb / s);
    };
    time("json extract", &mut || {
        lines
            .iter()
            .map(|l| {
                std::str::from_utf8(l)
                    .ok()
                    .and_then(|t| json_walk::extract(t).ok())
                    .map(|e| e.fields.len() as u64)
                    .unwrap_or(0)
            })
            .sum()
    });
    let texts: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            std::str::from_utf8(l)
                .ok()
                .and_then(|t| json_walk::extract(t).ok())
                .map(|e| e.fields.iter().map(|f| f.text.to_string()).collect())
                .unwrap_or_default()
        })
        .collect();
    time("profile", &mut || {
        texts
            .iter()
            .flatten()
            .map(|t| TextProfile::of(t).chars)
            .sum()
    });
    time("language", &mut || {
        texts
            .iter()
            .flatten()
            .map(|t| language::identify(t, &TextProfile::of(t)).len() as u64)
            .sum()
    });
    time("exact xxh3", &mut || {
        lines.iter().map(|l| fingerprint::exact(l) as u64 & 1).sum()
    });
    time("normalized xxh3", &mut || {
        texts
            .iter()
            .map(|fs| {
                let mut n = fingerprint::Normalizer::default();
                for t in fs {
                    n.push(t, NormalForm::of(t));
                }
                n.finish() as u64 & 1
            })
            .sum()
    });
    let pii = provaudit::analyze::pii::PiiDetector::builtin();
    let mut found = Vec::new();
    // Twice: the first pass pays once-per-process costs (the lazy DFAs' states, the
    // phone validator's numbering-plan metadata and per-region patterns, about 0.2 s
    // of CPU), which on a few MB hide the steady speed a long scan runs at.
    for label in ["pii scan, cold", "pii scan, warm"] {
        time(label, &mut || {
            texts
                .iter()
                .flatten()
                .map(|t| {
                    found.clear();
                    pii.scan(t, &mut found);
                    found.len() as u64
                })
                .sum()
        });
    }
    // Sensitive categories per record, given the record's PII matches (found
    // before the clock starts, as the scan hands them over from the PII pass).
    let sensitive = provaudit::analyze::sensitive::SensitiveDetector::builtin();
    let records: Vec<(Vec<provaudit::record::Field<'_>>, Vec<_>)> = texts
        .iter()
        .map(|fs| {
            let fields: Vec<provaudit::record::Field<'_>> = fs
                .iter()
                .map(|t| provaudit::record::Field {
                    path: "text".into(),
                    text: t.as_str().into(),
                })
                .collect();
            let mut matches = Vec::new();
            for (i, f) in fields.iter().enumerate() {
                found.clear();
                pii.scan(&f.text, &mut found);
                matches.extend(found.drain(..).map(|m| (i, m)));
            }
            (fields, matches)
        })
        .collect();
    let mut sensitive_scratch = provaudit::analyze::sensitive::SensitiveScratch::default();
    let mut flags = Vec::new();
    time("sensitive flag_record", &mut || {
        records
            .iter()
            .map(|(fields, matches)| {
                flags.clear();
                sensitive.flag_record(&mut sensitive_scratch, fields, matches, &mut flags);
                flags.len() as u64
            })
            .sum()
    });
    let license = provaudit::analyze::license::LicenseDetector::builtin();
    let mut marks = Vec::new();
    time("license scan_text", &mut || {
        texts
            .iter()
            .flatten()
            .map(|t| {
                marks.clear();
                license.scan_text(t, &mut marks);
                marks.len() as u64
            })
            .sum()
    });
    time("license scan_metadata", &mut || {
        texts
            .iter()
            .flatten()
            .map(|t| {
                marks.clear();
                license.scan_metadata("text", t, &mut marks);
                marks.len() as u64
            })
            .sum()
    });
    Ok(())
}
