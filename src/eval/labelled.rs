//! The labelled-text format `provaudit eval-pii` reads: a directory holding
//! `corpus.jsonl` (`{"id", "text"}` per line) and `labels.jsonl` (`{"id", "spans":
//! [{"type", "start", "end"}]}` per line), offsets in Unicode code points with `end`
//! exclusive: the format of the shared `ner-public` corpora, so public labelled sets
//! and provaudit's generated one are measured the same way.
//!
//! Errors name the file and the 1-based line, never a text or an id (either may hold
//! personal information).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The texts of a labelled directory.
pub const CORPUS: &str = "corpus.jsonl";
/// Their labels, one line per text.
pub const LABELS: &str = "labels.jsonl";

/// One labelled span: a type and code-point offsets into its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// The label's type as the data set names it (`person_name`, `location`, `email`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Code point offset of the first character.
    pub start: usize,
    /// Code point offset one past the last character.
    pub end: usize,
}

/// One text with its labels. No `Debug`: the text may hold personal information.
#[derive(Clone, PartialEq)]
pub struct LabelledText {
    /// The id both files give it (a number or a string).
    pub id: serde_json::Value,
    /// The text.
    pub text: String,
    /// Its labelled spans.
    pub spans: Vec<Span>,
}

/// Why a labelled directory cannot be evaluated (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LabelledError {
    /// A file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not what the format says, or does not agree with the other file.
    #[error("{path}:{line}: {message}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong, without the line's content.
        message: String,
    },
}

#[derive(Deserialize)]
struct CorpusLine {
    id: serde_json::Value,
    text: String,
}

#[derive(Deserialize)]
struct LabelsLine {
    id: serde_json::Value,
    #[serde(default)]
    spans: Vec<Span>,
}

/// A located line error.
fn line_error(path: &Path, line: usize, message: impl Into<String>) -> LabelledError {
    LabelledError::Line {
        path: path.display().to_string(),
        line,
        message: message.into(),
    }
}

/// What a JSON error says about the line's shape, never its content (serde's messages
/// quote the offending value).
fn shape_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax | Category::Eof => "not valid JSON",
        Category::Data => "a JSON object without the expected fields and types",
        Category::Io => "unreadable",
    };
    format!("{what} (column {})", e.column())
}

/// The non-empty lines of a JSONL file with their 1-based numbers, parsed.
fn for_each_line<T: serde::de::DeserializeOwned>(
    path: &Path,
    mut f: impl FnMut(usize, T) -> Result<(), LabelledError>,
) -> Result<(), LabelledError> {
    let read_error = |source| LabelledError::Read {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(read_error)?;
        if line.trim().is_empty() {
            continue;
        }
        let value =
            serde_json::from_str(&line).map_err(|e| line_error(path, i + 1, shape_error(&e)))?;
        f(i + 1, value)?;
    }
    Ok(())
}

/// Labels by id (its JSON text), with the line each came from.
type LabelIndex = HashMap<String, (usize, Vec<Span>)>;

fn read_labels(path: &Path) -> Result<LabelIndex, LabelledError> {
    let mut out = LabelIndex::new();
    for_each_line(path, |line, l: LabelsLine| {
        if let Some(bad) = l.spans.iter().position(|s| s.start >= s.end) {
            return Err(line_error(
                path,
                line,
                format!("span {bad} is empty or reversed"),
            ));
        }
        match out.insert(l.id.to_string(), (line, l.spans)) {
            Some((first, _)) => Err(line_error(path, line, format!("same id as line {first}"))),
            None => Ok(()),
        }
    })?;
    Ok(out)
}

/// Calls `f` on every text of `dir` with its labels, in `corpus.jsonl` order. Errs on
/// an unreadable or malformed line, a text without labels or labels without a text, a
/// duplicated id, or a span outside its text.
pub fn for_each_text(dir: &Path, mut f: impl FnMut(&LabelledText)) -> Result<(), LabelledError> {
    let (corpus, labels_path) = (dir.join(CORPUS), dir.join(LABELS));
    let mut labels = read_labels(&labels_path)?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for_each_line(&corpus, |line, c: CorpusLine| {
        let key = c.id.to_string();
        if let Some(first) = seen.insert(key.clone(), line) {
            return Err(line_error(
                &corpus,
                line,
                format!("same id as line {first}"),
            ));
        }
        let Some((label_line, spans)) = labels.remove(&key) else {
            return Err(line_error(
                &corpus,
                line,
                format!("its id has no line in {LABELS}"),
            ));
        };
        let chars = c.text.chars().count();
        if let Some(bad) = spans.iter().position(|s| s.end > chars) {
            let message = format!("span {bad} ends past its text ({chars} characters)");
            return Err(line_error(&labels_path, label_line, message));
        }
        f(&LabelledText {
            id: c.id,
            text: c.text,
            spans,
        });
        Ok(())
    })?;
    match labels.values().map(|(line, _)| *line).min() {
        Some(line) => Err(line_error(
            &labels_path,
            line,
            format!("its id has no line in {CORPUS}"),
        )),
        None => Ok(()),
    }
}

/// Writes `texts` as a labelled directory (created if missing).
pub fn write_dir(dir: &Path, texts: &[LabelledText]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let open = |name: &str| -> std::io::Result<std::io::BufWriter<std::fs::File>> {
        Ok(std::io::BufWriter::new(std::fs::File::create(
            dir.join(name),
        )?))
    };
    let (mut corpus, mut labels) = (open(CORPUS)?, open(LABELS)?);
    for t in texts {
        let c = serde_json::json!({ "id": t.id, "text": t.text });
        let l = serde_json::json!({ "id": t.id, "spans": t.spans });
        writeln!(corpus, "{c}")?;
        writeln!(labels, "{l}")?;
    }
    corpus.flush()?;
    labels.flush()
}
