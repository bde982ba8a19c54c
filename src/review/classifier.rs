//! `sample --classifier "CMD"`: an external classification model over the sampled
//! records, the standard's technical sample by classifier beside the lexicon's.
//!
//! The command runs under `sh -c`; it reads one JSON object a line on stdin (`id`, and
//! `text`: the record's fields joined by newlines, **personal information already
//! masked**, since nothing raw leaves the process) and writes one line a record on stdout,
//! in order: a score (a JSON number) or an object `{"score": N, "category": "A.1.1"}`.
//! `CMD --version`'s first line is recorded as its version. A command that fails, writes
//! fewer or more lines than records, or a line that is not a score stops the sample with
//! the reason: a technical sample with holes would be read as a clean one.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use super::sample::SampleItem;

/// What `sample.json` records of the classifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassifierInfo {
    /// The command as given.
    pub command: String,
    /// Its first word (the program).
    pub name: String,
    /// The first line `CMD --version` printed, if it printed one and succeeded.
    pub version: Option<String>,
    /// Scores at or above this flag a record.
    pub threshold: f64,
    /// Records scored.
    pub records_scored: u64,
    /// Records with a score at or above the threshold.
    pub records_flagged: u64,
}

/// One record's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The score the classifier gave.
    pub score: f64,
    /// The category it named, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Line {
    Number(f64),
    Object(Score),
}

/// Runs `command` over `items` and returns a score per item, in order, with what to
/// record of the run.
pub fn run(
    command: &str,
    threshold: f64,
    items: &[SampleItem],
) -> Result<(Vec<Score>, ClassifierInfo), String> {
    let mut input = Vec::new();
    for item in items {
        let text: Vec<&str> = item.fields.iter().map(|f| f.text.as_str()).collect();
        let line = serde_json::json!({ "id": item.id, "text": text.join("\n") });
        serde_json::to_writer(&mut input, &line).map_err(|e| e.to_string())?;
        input.push(b'\n');
    }
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("--classifier {command:?} cannot start: {e}"))?;
    // Feed stdin from another thread so a classifier that answers as it reads never
    // blocks on a full pipe.
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut scores = Vec::with_capacity(items.len());
    for (i, line) in BufReader::new(stdout).lines().enumerate() {
        let line = line.map_err(|e| format!("--classifier output unreadable: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let score = match serde_json::from_str::<Line>(&line) {
            Ok(Line::Number(score)) => Score {
                score,
                category: None,
            },
            Ok(Line::Object(score)) => score,
            Err(_) => {
                return Err(format!(
                    "--classifier output line {}: not a score (a number or {{\"score\": N, \"category\": \"...\"}})",
                    i + 1
                ));
            }
        };
        if !score.score.is_finite() {
            return Err(format!(
                "--classifier output line {}: the score is not a finite number",
                i + 1
            ));
        }
        scores.push(score);
    }
    let _ = feeder.join();
    let status = child
        .wait()
        .map_err(|e| format!("--classifier did not finish: {e}"))?;
    if !status.success() {
        return Err(format!("--classifier {command:?} failed ({status})"));
    }
    if scores.len() != items.len() {
        return Err(format!(
            "--classifier wrote {} scores for {} records; it must write one line per record",
            scores.len(),
            items.len()
        ));
    }
    let records_flagged = scores.iter().filter(|s| s.score >= threshold).count() as u64;
    let info = ClassifierInfo {
        command: command.to_string(),
        name: command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
        version: version(command),
        threshold,
        records_scored: scores.len() as u64,
        records_flagged,
    };
    Ok((scores, info))
}

/// The first line of `CMD --version`, when it succeeds.
fn version(command: &str) -> Option<String> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} --version"))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}
