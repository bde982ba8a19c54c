//! A benchmark corpus of real text, assembled from the third-party corpora in
//! `../shared/corpora` (never copied into the repository): the synthetic corpus
//! under-states what real records cost (nested chats, long documents, mixed scripts,
//! license texts), so speed is measured on both.
//!
//! Each source keeps its record shape: Alpaca instructions (zh, en), DPO preference
//! pairs, Glaive tool-call and ShareGPT chats, GSM8K question/answer, Self-Instruct
//! tasks, Wikipedia text lines, NER sentences (zh Weibo and MSRA news, en social
//! media) and whole license files as long documents. Records are repeated in turn until
//! the requested size; each copy carries an integer `copy` field, so exact duplicates
//! are as rare as in real data while the text itself (and so normalised duplicates)
//! repeats.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// One output file: a record shape and the records of that shape.
struct Shape {
    name: &'static str,
    records: Vec<Map<String, Value>>,
}

/// JSON arrays, JSON lines and text lines under `llm-samples` and `ner-public`, by
/// the output file they feed.
const SOURCES: &[(&str, &str)] = &[
    (
        "instruction",
        "llm-samples/llama-factory/alpaca_en_demo.json",
    ),
    (
        "instruction",
        "llm-samples/llama-factory/alpaca_zh_demo.json",
    ),
    ("instruction", "llm-samples/llama-factory/identity.json"),
    ("instruction", "llm-samples/grade-school-math/test.jsonl"),
    ("instruction", "llm-samples/self-instruct/seed_tasks.jsonl"),
    ("preference", "llm-samples/llama-factory/dpo_zh_demo.json"),
    (
        "chat",
        "llm-samples/llama-factory/glaive_toolcall_en_demo.json",
    ),
    ("chat", "llm-samples/llama-factory/v1_sft_demo.jsonl"),
    ("text", "llm-samples/llama-factory/wiki_demo.txt"),
    ("text", "ner-public/zh-weibo-test/corpus.jsonl"),
    ("text", "ner-public/zh-msra-test/corpus.jsonl"),
    ("text", "ner-public/en-wnut17-test/corpus.jsonl"),
];

/// Writes about `bytes` bytes of JSONL into `out` (one file per shape) from the
/// corpora in `corpora`; returns the files written and their total size.
pub fn assemble(corpora: &Path, out: &Path, bytes: u64) -> io::Result<(Vec<PathBuf>, u64)> {
    let shapes = load(corpora)?;
    if shapes.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no records found under {}", corpora.display()),
        ));
    }
    std::fs::create_dir_all(out)?;
    let per_shape = bytes / shapes.len() as u64;
    let mut written = Vec::new();
    let mut total = 0;
    for shape in &shapes {
        let path = out.join(format!("real-{}.jsonl", shape.name));
        let mut w = io::BufWriter::new(std::fs::File::create(&path)?);
        total += write_shape(&mut w, shape, per_shape)?;
        w.flush()?;
        written.push(path);
    }
    Ok((written, total))
}

fn write_shape(w: &mut impl Write, shape: &Shape, bytes: u64) -> io::Result<u64> {
    let mut size = 0;
    let mut copy = 0u64;
    while size < bytes {
        for record in &shape.records {
            let mut record = record.clone();
            record.insert("copy".into(), Value::from(copy));
            let line = serde_json::to_string(&record)?;
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
            size += line.len() as u64 + 1;
            if size >= bytes {
                break;
            }
        }
        copy += 1;
    }
    Ok(size)
}

fn load(corpora: &Path) -> io::Result<Vec<Shape>> {
    let mut shapes: Vec<Shape> = Vec::new();
    for (name, rel) in SOURCES {
        let path = corpora.join(rel);
        if !path.is_file() {
            continue;
        }
        let records = read_records(&path)?;
        match shapes.iter_mut().find(|s| s.name == *name) {
            Some(shape) => shape.records.extend(records),
            None => shapes.push(Shape { name, records }),
        }
    }
    let licenses = license_documents(&corpora.join("licenses-scancode-external/cases"))?;
    if !licenses.is_empty() {
        shapes.push(Shape {
            name: "license-documents",
            records: licenses,
        });
    }
    shapes.retain(|s| !s.records.is_empty());
    Ok(shapes)
}

/// The objects of a JSON array, a JSON-lines file, or text lines as `{"text": line}`.
fn read_records(path: &Path) -> io::Result<Vec<Map<String, Value>>> {
    let text = std::fs::read_to_string(path)?;
    let objects = |values: Vec<Value>| {
        values
            .into_iter()
            .filter_map(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .collect()
    };
    Ok(match path.extension().and_then(|e| e.to_str()) {
        Some("json") => objects(serde_json::from_str::<Vec<Value>>(&text).unwrap_or_default()),
        Some("jsonl") => objects(
            text.lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect(),
        ),
        _ => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| Map::from_iter([("text".to_string(), Value::from(l))]))
            .collect(),
    })
}

/// Every license case file as one long `{"text": ...}` document, in path order.
fn license_documents(cases: &Path) -> io::Result<Vec<Map<String, Value>>> {
    let mut files = Vec::new();
    collect_files(cases, &mut files)?;
    files.sort();
    let mut out = Vec::new();
    for path in files {
        if path.extension().is_some_and(|e| e == "yml") {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        out.push(Map::from_iter([("text".to_string(), Value::from(text))]));
    }
    Ok(out)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// Counts the lines of a file (for the example's summary).
pub fn count_lines(path: &Path) -> io::Result<u64> {
    let file = io::BufReader::new(std::fs::File::open(path)?);
    Ok(file.lines().count() as u64)
}
