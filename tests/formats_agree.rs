//! The same rows stored as JSONL, JSON, CSV (flat layouts), Parquet and Arrow (file and
//! stream forms) are the same records: same kinds, stages and counts in the ledger,
//! same text fields with the same paths from the readers, and the same normalised
//! fingerprints. Before columnar readers decoded every column, a `{text, label: int}`
//! file was `labeled`/finetune from JSONL and `text`/pretrain from Parquet, and a
//! boolean KTO label was lost the same way.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::ipc::writer::{FileWriter, StreamWriter};
use common::*;
use parquet::arrow::ArrowWriter;
use provaudit::bytesource::MemorySource;
use provaudit::formats::sink::{CollectSink, OwnedRecord};
use provaudit::formats::{self, Format, ReadOptions};
use provaudit::ledger::{LedgerRow, Status};
use provaudit::record::kind::RecordKind;
use serde_json::{Value, json};

/// One dataset layout: its rows, and whether a CSV header can hold it.
struct Layout {
    name: &'static str,
    rows: Vec<Value>,
    flat: bool,
    /// Every value is a string, so CSV (which has no types) reads the same fields.
    strings_only: bool,
}

const ROWS: usize = 6;

fn messages(i: usize, topic: &str) -> Value {
    json!([
        {"role": "user", "content": format!("Question {i} about {topic}?")},
        {"role": "assistant", "content": format!("Answer {i}: {topic} is explained here.")},
    ])
}

fn layouts() -> Vec<Layout> {
    let rows = |f: &dyn Fn(usize) -> Value| (0..ROWS).map(f).collect::<Vec<_>>();
    vec![
        Layout {
            name: "reviews",
            rows: rows(
                &|i| json!({"text": format!("Review {i}: the parcel arrived on day {i}."), "label": i % 3}),
            ),
            flat: true,
            strings_only: false,
        },
        Layout {
            name: "alpaca",
            rows: rows(&|i| {
                json!({
                    "instruction": format!("Add {i} and {i}."),
                    "input": format!("{i} + {i}"),
                    "output": format!("{}", i * 2),
                })
            }),
            flat: true,
            strings_only: true,
        },
        Layout {
            name: "chat",
            rows: rows(&|i| json!({"messages": messages(i, "tides")})),
            flat: false,
            strings_only: false,
        },
        Layout {
            name: "dpo",
            rows: rows(&|i| {
                json!({
                    "prompt": [{"role": "user", "content": format!("Name a colour ({i}).")}],
                    "chosen": [{"role": "assistant", "content": format!("Blue, shade {i}.")}],
                    "rejected": [{"role": "assistant", "content": format!("Seven {i}.")}],
                    "score": 0.25 * i as f64,
                })
            }),
            flat: false,
            strings_only: false,
        },
        Layout {
            name: "kto_messages",
            rows: rows(&|i| json!({"messages": messages(i, "comets"), "label": i % 2 == 0})),
            flat: false,
            strings_only: false,
        },
        Layout {
            name: "kto_completion",
            rows: rows(&|i| {
                json!({
                    "prompt": format!("Describe planet {i}."),
                    "completion": format!("Planet {i} is a gas giant."),
                    "label": i % 2 == 1,
                })
            }),
            flat: true,
            strings_only: false,
        },
        Layout {
            name: "web",
            rows: rows(&|i| {
                json!({
                    "id": i,
                    "text": format!("Page {i} explains how rivers carve valleys."),
                    "meta": {"lang": "en", "quality": 0.5 + i as f64, "tags": ["geo", "rivers"]},
                })
            }),
            flat: false,
            strings_only: false,
        },
    ]
}

fn jsonl(rows: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for row in rows {
        serde_json::to_writer(&mut out, row).unwrap();
        out.push(b'\n');
    }
    out
}

fn json_array(rows: &[Value]) -> Vec<u8> {
    serde_json::to_vec_pretty(rows).unwrap()
}

fn csv(rows: &[Value]) -> Vec<u8> {
    let cell = |v: &Value| {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        format!("\"{}\"", text.replace('"', "\"\""))
    };
    let header: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    let mut out = String::new();
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out += &line(header.iter().map(|k| format!("\"{k}\"")).collect());
    for row in rows {
        out += &line(header.iter().map(|k| cell(&row[k.as_str()])).collect());
    }
    out.into_bytes()
}

/// The rows as one Arrow batch, typed as a JSON-to-Arrow conversion would type them
/// (integers Int64, booleans Boolean, lists of objects List<Struct>).
fn batch(rows: &[Value]) -> RecordBatch {
    let schema = arrow::json::reader::infer_json_schema_from_iterator(rows.iter().map(Ok))
        .expect("schema inferred");
    let mut decoder = arrow::json::ReaderBuilder::new(Arc::new(schema))
        .build_decoder()
        .unwrap();
    decoder.serialize(rows).unwrap();
    decoder.flush().unwrap().expect("one batch")
}

fn parquet(rows: &[Value]) -> Vec<u8> {
    let batch = batch(rows);
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    out
}

fn arrow_file(rows: &[Value]) -> Vec<u8> {
    let batch = batch(rows);
    let mut out = Vec::new();
    let mut writer = FileWriter::try_new(&mut out, &batch.schema()).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    drop(writer);
    out
}

/// The stream form, as the Hugging Face `datasets` cache writes it.
fn arrow_stream(rows: &[Value]) -> Vec<u8> {
    let batch = batch(rows);
    let mut out = Vec::new();
    let mut writer = StreamWriter::try_new(&mut out, &batch.schema()).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    drop(writer);
    out
}

/// Every form of a layout: (extension, format, bytes).
fn forms(layout: &Layout) -> Vec<(&'static str, Format, Vec<u8>)> {
    let mut out = vec![
        ("arrow", Format::Arrow, arrow_file(&layout.rows)),
        ("arrows", Format::Arrow, arrow_stream(&layout.rows)),
        ("json", Format::Json, json_array(&layout.rows)),
        ("jsonl", Format::Jsonl, jsonl(&layout.rows)),
        ("parquet", Format::Parquet, parquet(&layout.rows)),
    ];
    if layout.flat {
        out.push(("csv", Format::Csv, csv(&layout.rows)));
    }
    out
}

fn read(format: &Format, bytes: &[u8]) -> CollectSink {
    let mut sink = CollectSink::default();
    let options = ReadOptions::default();
    let outcome = if formats::needs_random_access(format, formats::Compression::None) {
        let source = Arc::new(MemorySource::new("rows", bytes.to_vec()));
        formats::read_random_access(format, source, &options, &mut sink)
    } else {
        formats::read_stream(format, &mut &bytes[..], &options, &mut sink)
    };
    assert!(outcome.is_ok(), "{format}: {outcome:?}");
    assert!(sink.errors.is_empty(), "{format}: {:?}", sink.errors);
    sink
}

fn kinds_and_fields(records: &[OwnedRecord]) -> Vec<(RecordKind, Vec<(String, String)>)> {
    records
        .iter()
        .map(|r| (r.kind.clone(), r.fields.clone()))
        .collect()
}

#[test]
fn readers_give_the_same_kinds_and_field_paths_in_every_format() {
    for layout in layouts() {
        let jsonl = read(&Format::Jsonl, &jsonl(&layout.rows));
        assert_eq!(jsonl.records.len(), ROWS, "{}", layout.name);
        let want = kinds_and_fields(&jsonl.records);
        for (ext, format, bytes) in forms(&layout) {
            let got = read(&format, &bytes);
            if ext == "csv" && !layout.strings_only {
                // CSV has no types: a label is a text cell there. Kinds still agree.
                let kinds: Vec<_> = got.records.iter().map(|r| r.kind.clone()).collect();
                let want_kinds: Vec<_> = want.iter().map(|(k, _)| k.clone()).collect();
                assert_eq!(kinds, want_kinds, "{}.{ext}", layout.name);
                continue;
            }
            assert_eq!(
                kinds_and_fields(&got.records),
                want,
                "{}.{ext} reads differently from JSONL",
                layout.name
            );
        }
    }
}

fn write_tree(root: &Path) {
    for layout in layouts() {
        let dir = root.join(layout.name);
        std::fs::create_dir_all(&dir).unwrap();
        for (ext, _, bytes) in forms(&layout) {
            let mut file = std::fs::File::create(dir.join(format!("rows.{ext}"))).unwrap();
            file.write_all(&bytes).unwrap();
        }
    }
}

#[test]
fn a_scan_gives_the_same_kinds_stages_and_counts_in_every_format() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    write_tree(data.path());
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    for layout in layouts() {
        let of_layout: Vec<&LedgerRow> = rows
            .iter()
            .filter(|r| r.path.starts_with(&format!("{}/", layout.name)))
            .collect();
        assert_eq!(of_layout.len(), forms(&layout).len(), "{}", layout.name);
        let jsonl = row(&rows, &format!("{}/rows.jsonl", layout.name));
        assert_eq!(jsonl.records, ROWS as u64);
        for r in &of_layout {
            assert_eq!(r.status, Status::Ok, "{}", r.path);
            assert_eq!(
                (&r.record_kinds, &r.stage, r.records),
                (&jsonl.record_kinds, &jsonl.stage, jsonl.records),
                "{} disagrees with {}",
                r.path,
                jsonl.path
            );
        }
        // Files in path order: `rows.arrow` is the first of each layout, and every other
        // form holding the same text fields repeats its normalised fingerprints.
        for r in of_layout.iter().filter(|r| !r.path.ends_with(".arrow")) {
            if r.path.ends_with(".csv") && !layout.strings_only {
                continue;
            }
            assert_eq!(
                r.duplicates.normalized_within_scan, r.records,
                "{}: its text fields differ from rows.arrow",
                r.path
            );
        }
        // Parquet and Arrow share one canonical serialisation of a row (every column,
        // typed values included), so they are exact duplicates of each other.
        // A flat row serialises as CSV serialises it, so CSV copies are exact too.
        let parquet = row(&rows, &format!("{}/rows.parquet", layout.name));
        assert_eq!(
            parquet.duplicates.within_scan, parquet.records,
            "{}",
            parquet.path
        );
        if layout.flat {
            let csv = row(&rows, &format!("{}/rows.csv", layout.name));
            assert_eq!(csv.duplicates.within_scan, csv.records, "{}", csv.path);
        }
    }
    let labeled = row(&rows, "reviews/rows.parquet");
    assert_eq!(
        labeled.record_kinds.get(&RecordKind::Labeled).copied(),
        Some(ROWS as u64),
        "an integer label column makes the rows labelled"
    );
    let kto = row(&rows, "kto_completion/rows.parquet");
    assert_eq!(
        kto.record_kinds.get(&RecordKind::Preference).copied(),
        Some(ROWS as u64),
        "a boolean KTO label reaches kind detection"
    );
}

/// Rows that differ only in a non-text column are distinct records, as they are in
/// JSONL (whose raw line holds every value); rows equal in every column are exact
/// duplicates.
#[test]
fn non_text_columns_take_part_in_exact_duplicates() {
    let values = [
        json!({"text": "same words", "label": 0}),
        json!({"text": "same words", "label": 1}),
        json!({"text": "same words", "label": 1}),
    ];
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("labels.parquet"), parquet(&values)).unwrap();
    std::fs::write(data.path().join("labels.jsonl"), jsonl(&values)).unwrap();
    scan_dir(data.path(), out.path());
    let rows = rows(out.path());
    for path in ["labels.parquet", "labels.jsonl"] {
        let r = row(&rows, path);
        assert_eq!(
            (
                r.duplicates.within_file,
                r.duplicates.normalized_within_file
            ),
            (1, 2),
            "{path}"
        );
    }
}

/// A list column spanning many pages: the Parquet crate opens a reader at a page body
/// whose header it has already read (and then drops it), which the page-size check
/// took for a malformed header, failing every real-sized chat file.
#[test]
fn a_chat_column_of_many_pages_is_read_whole() {
    let rows: Vec<Value> = (0..4000)
        .map(|i| json!({"messages": messages(i, "tides")}))
        .collect();
    let batch = batch(&rows);
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_data_page_size_limit(4096)
        .set_write_batch_size(64)
        .build();
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let sink = read(&Format::Parquet, &bytes);
    assert_eq!(sink.records.len(), rows.len());
    assert_eq!(
        kinds_and_fields(&sink.records),
        kinds_and_fields(&read(&Format::Jsonl, &jsonl(&rows)).records)
    );
}
