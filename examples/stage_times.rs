//! Times each per-record stage on one JSONL file, on one core:
//! `cargo run --release --example stage_times -- FILE`.

use std::time::Instant;

use provaudit::analyze::profile::{NormalForm, TextProfile};
use provaudit::analyze::{fingerprint, language};
use provaudit::formats::json_walk;

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
        let t = Instant::now();
        let n = f();
        let s = t.elapsed().as_secs_f64();
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
    time("pii scan", &mut || {
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
