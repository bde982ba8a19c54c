//! Times the Parquet and Arrow readers alone (no analysis), so a change to the columnar
//! walker can be compared with the one before it on the same files.
//!
//! `cargo run --example columnar_read -- write DIR MEGABYTES` writes, from the synthetic
//! corpus of `gen_corpus`, one Parquet and one Arrow file per layout: string-only ones
//! (`web`: text and url; `sft`; `dpo`; `chat`: a list of role/content structs) and
//! `web_ids`, the web rows with an integer `id` and a float `score` column.
//! `cargo run --example columnar_read -- read ROUNDS FILE...` reads each file ROUNDS
//! times on one core and prints the best MB/s (file bytes) with the records and text
//! bytes seen.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use arrow::array::RecordBatch;
use arrow::ipc::writer::FileWriter;
use parquet::arrow::ArrowWriter;
use provaudit::bytesource::{ByteSource, LocalFile};
use provaudit::formats::{self, Format, ReadError, ReadOptions, RecordSink};
use provaudit::record::Record;
use serde_json::Value;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("write") if args.len() == 3 => write(Path::new(&args[1]), args[2].parse()?),
        Some("read") if args.len() >= 3 => read(args[1].parse()?, &args[2..]),
        _ => anyhow::bail!("usage: columnar_read write DIR MEGABYTES | read ROUNDS FILE..."),
    }
}

fn write(dir: &Path, megabytes: u64) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut jsonl = Vec::new();
    provaudit::synth::write_jsonl(&mut jsonl, megabytes * 1_000_000, 7, 10)?;
    let mut layouts: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for (i, line) in jsonl.split(|&b| b == b'\n').enumerate() {
        let Ok(Value::Object(mut row)) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let name = match () {
            _ if row.contains_key("messages") => "chat",
            _ if row.contains_key("chosen") => "dpo",
            _ if row.contains_key("instruction") => "sft",
            _ => "web",
        };
        if name == "web" {
            layouts
                .entry("web")
                .or_default()
                .push(Value::Object(row.clone()));
            row.insert("id".into(), Value::from(i as u64));
            row.insert("score".into(), Value::from(i as f64 / 7.0));
            layouts
                .entry("web_ids")
                .or_default()
                .push(Value::Object(row));
        } else {
            layouts.entry(name).or_default().push(Value::Object(row));
        }
    }
    for (name, rows) in &layouts {
        let schema = Arc::new(arrow::json::reader::infer_json_schema_from_iterator(
            rows.iter().map(Ok),
        )?);
        let mut parquet = ArrowWriter::try_new(
            std::fs::File::create(dir.join(format!("{name}.parquet")))?,
            schema.clone(),
            None,
        )?;
        let mut arrow = FileWriter::try_new(
            std::fs::File::create(dir.join(format!("{name}.arrow")))?,
            &schema,
        )?;
        for chunk in rows.chunks(4096) {
            let batch = batch(&schema, chunk)?;
            parquet.write(&batch)?;
            arrow.write(&batch)?;
        }
        parquet.close()?;
        arrow.finish()?;
        println!("{name}: {} rows", rows.len());
    }
    Ok(())
}

fn batch(schema: &Arc<arrow::datatypes::Schema>, rows: &[Value]) -> anyhow::Result<RecordBatch> {
    let mut decoder = arrow::json::ReaderBuilder::new(schema.clone())
        .with_batch_size(rows.len())
        .build_decoder()?;
    decoder.serialize(rows)?;
    decoder
        .flush()?
        .ok_or_else(|| anyhow::anyhow!("no rows decoded"))
}

/// Counts what a reader hands on, touching every field as an analyser would.
#[derive(Default)]
struct Counting {
    records: u64,
    text_bytes: u64,
    raw_bytes: u64,
}

impl RecordSink for Counting {
    fn record(&mut self, record: &Record<'_>) {
        self.records += 1;
        self.raw_bytes += record.raw.len() as u64;
        for field in &record.fields {
            self.text_bytes += (field.path.len() + field.text.len()) as u64;
        }
    }
    fn error(&mut self, _: ReadError) {}
}

fn read(rounds: usize, files: &[String]) -> anyhow::Result<()> {
    let options = ReadOptions::default();
    for file in files {
        let path = Path::new(file);
        let format = if file.ends_with(".parquet") {
            Format::Parquet
        } else {
            Format::Arrow
        };
        let source: Arc<dyn ByteSource> = Arc::new(LocalFile::open(path, file.clone())?);
        let megabytes = source.len() as f64 / 1e6;
        let mut best = f64::MAX;
        let mut seen = Counting::default();
        for _ in 0..rounds.max(1) {
            let mut sink = Counting::default();
            let start = Instant::now();
            formats::read_random_access(&format, source.clone(), &options, &mut sink)
                .map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
            best = best.min(start.elapsed().as_secs_f64());
            seen = sink;
        }
        println!(
            "{file:<40} {:>8.1} MB/s  {} records, {} text bytes, {} raw bytes",
            megabytes / best,
            seen.records,
            seen.text_bytes,
            seen.raw_bytes
        );
    }
    Ok(())
}
