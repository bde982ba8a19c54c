//! Per-language accuracy of the language identifier against the one it replaced (c3a0cf7,
//! frozen in `langid_eval/old_identifier.rs`), on real sentences nobody on the project
//! wrote: `cargo run --release --example langid_eval -- DIR [MIN_CHARS]`.
//!
//! DIR holds one `CODE.txt` per language (ISO 639-1 code, one sentence a line); lines of
//! fewer than MIN_CHARS characters (default 50) are left out. Prints accuracy per
//! language for both identifiers, what the worst-read languages were taken for, and
//! each identifier's speed on one core. The sentences used for the README's table come
//! from the `testdata/sentences.txt` of the lingua language-model crates (Leipzig
//! corpora); they are not part of this repository.

#[path = "langid_eval/old_identifier.rs"]
mod old_identifier;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use provaudit::analyze::language;
use provaudit::analyze::profile::TextProfile;

type Identifier = fn(&str) -> &'static str;

const IDENTIFIERS: [(&str, Identifier); 2] = [("c3a0cf7", old), ("now", new)];

fn old(text: &str) -> &'static str {
    old_identifier::identify(text, &TextProfile::of(text))
}

fn new(text: &str) -> &'static str {
    language::identify(text, &TextProfile::of(text))
}

/// How many of the worst-read languages get their confusion printed.
const WORST: usize = 6;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: langid_eval DIR [MIN_CHARS]";
    let dir = args.next().ok_or_else(|| anyhow::anyhow!(usage))?;
    let min_chars: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(50);
    let data = read_sentences(Path::new(&dir), min_chars)?;
    anyhow::ensure!(!data.is_empty(), "no CODE.txt files in {dir}");
    let results: Vec<Tally> = IDENTIFIERS
        .iter()
        .map(|&(_, identify)| Tally::of(&data, identify))
        .collect();
    print_accuracy(&data, &results);
    for ((name, _), tally) in IDENTIFIERS.iter().zip(&results) {
        print_confusion(name, tally);
    }
    print_speed(&data);
    Ok(())
}

/// Sentences per language code, in code order.
fn read_sentences(dir: &Path, min_chars: usize) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let mut data = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let Some(code) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(&path)?;
        let lines = text
            .lines()
            .map(str::trim)
            .filter(|l| l.chars().count() >= min_chars)
            .map(String::from)
            .collect();
        data.insert(code.to_string(), lines);
    }
    Ok(data)
}

/// Right answers and wrong answers (by what was answered) per language.
struct Tally(BTreeMap<String, (usize, BTreeMap<&'static str, usize>)>);

impl Tally {
    fn of(data: &BTreeMap<String, Vec<String>>, identify: Identifier) -> Self {
        let mut tally = BTreeMap::new();
        for (code, lines) in data {
            let mut right = 0;
            let mut wrong: BTreeMap<&'static str, usize> = BTreeMap::new();
            for line in lines {
                match identify(line) {
                    got if got == code => right += 1,
                    got => *wrong.entry(got).or_default() += 1,
                }
            }
            tally.insert(code.clone(), (right, wrong));
        }
        Tally(tally)
    }

    fn accuracy(&self, code: &str, n: usize) -> f64 {
        let right = self.0.get(code).map_or(0, |(r, _)| *r);
        100.0 * right as f64 / n.max(1) as f64
    }
}

fn print_accuracy(data: &BTreeMap<String, Vec<String>>, results: &[Tally]) {
    print!("| lang | sentences |");
    for (name, _) in IDENTIFIERS {
        print!(" {name} |");
    }
    println!();
    println!("|---|---:|{}", "---:|".repeat(IDENTIFIERS.len()));
    for (code, lines) in data {
        print!("| {code} | {} |", lines.len());
        for tally in results {
            print!(" {:.1}% |", tally.accuracy(code, lines.len()));
        }
        println!();
    }
    let total: usize = data.values().map(Vec::len).sum();
    print!("| all (micro) | {total} |");
    for tally in results {
        let right: usize = tally.0.values().map(|(r, _)| r).sum();
        print!(" {:.1}% |", 100.0 * right as f64 / total.max(1) as f64);
    }
    println!();
    print!("| answered und or other | {total} |");
    for tally in results {
        let unsure: usize = tally
            .0
            .values()
            .flat_map(|(_, wrong)| wrong.iter())
            .filter(|(got, _)| matches!(**got, "und" | "other"))
            .map(|(_, n)| n)
            .sum();
        print!(" {:.1}% |", 100.0 * unsure as f64 / total.max(1) as f64);
    }
    println!();
    print!("| mean of languages | {} |", data.len());
    for tally in results {
        let mean = data
            .iter()
            .map(|(code, lines)| tally.accuracy(code, lines.len()))
            .sum::<f64>()
            / data.len().max(1) as f64;
        print!(" {mean:.1}% |");
    }
    println!();
}

/// The languages read worst, each with its commonest wrong answers.
fn print_confusion(name: &str, tally: &Tally) {
    let mut by_errors: Vec<(&String, usize, &BTreeMap<&str, usize>)> = tally
        .0
        .iter()
        .map(|(code, (_, wrong))| (code, wrong.values().sum(), wrong))
        .filter(|(_, errors, _)| *errors > 0)
        .collect();
    by_errors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    println!("\n{name}: worst-read languages (wrong answers, commonest first)");
    for (code, errors, wrong) in by_errors.into_iter().take(WORST) {
        let mut wrong: Vec<_> = wrong.iter().collect();
        wrong.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let list: Vec<String> = wrong
            .iter()
            .take(4)
            .map(|(got, n)| format!("{got} {n}"))
            .collect();
        println!("  {code}: {errors} wrong: {}", list.join(", "));
    }
}

/// Each identifier over every sentence, three times, on this thread.
fn print_speed(data: &BTreeMap<String, Vec<String>>) {
    let bytes: usize = data.values().flatten().map(String::len).sum();
    let sentences: usize = data.values().map(Vec::len).sum();
    println!();
    for (name, identify) in IDENTIFIERS {
        let start = Instant::now();
        let mut codes = 0;
        for _ in 0..3 {
            codes += data
                .values()
                .flatten()
                .map(|l| identify(l).len())
                .sum::<usize>();
        }
        let seconds = start.elapsed().as_secs_f64() / 3.0;
        println!(
            "{name}: {:.1} MB/s, {:.2} µs a sentence on one core ({codes} code bytes)",
            bytes as f64 / seconds / 1e6,
            seconds * 1e6 / sentences.max(1) as f64,
        );
    }
}
