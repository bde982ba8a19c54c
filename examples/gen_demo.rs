//! Regenerates the binary files of `fixtures/demo` (Parquet, Arrow, compressed JSONL,
//! tiny media files). The text fixtures are written by hand; these are generated so
//! they stay reproducible: `cargo run --example gen_demo`.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::ipc::writer::{FileWriter, StreamWriter};
use parquet::arrow::ArrowWriter;

fn main() -> anyhow::Result<()> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    write_dpo_parquet(&demo.join("preference/dpo.parquet"))?;
    write_labeled_parquet(&demo.join("labeled/reviews.parquet"))?;
    write_kto_zst(&demo.join("preference/kto.jsonl.zst"))?;
    write_web_gz(&demo.join("web-zh/part-001.jsonl.gz"))?;
    write_arrow(
        &demo.join("hf-cache/train.arrow"),
        &demo.join("hf-cache/train.feather"),
    )?;
    write_media(&demo)?;
    Ok(())
}

fn strings(values: &[&str]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

fn write_dpo_parquet(path: &Path) -> anyhow::Result<()> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("prompt", DataType::Utf8, false),
        Field::new("chosen", DataType::Utf8, false),
        Field::new("rejected", DataType::Utf8, false),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            strings(&[
                "如何保护个人信息？",
                "Explain deduplication.",
                "推荐一本书。",
            ]),
            strings(&[
                "收集前取得同意，最小化存储，并对数据进行脱敏。",
                "Deduplication removes repeated records so each example counts once.",
                "《红楼梦》是一部经典小说，值得细读。",
            ]),
            strings(&[
                "随便放在网上就行。",
                "It makes the data bigger.",
                "不知道。",
            ]),
        ],
    )?;
    let mut writer = ArrowWriter::try_new(File::create(path)?, schema, None)?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(())
}

/// Review texts with an integer class label, as Hugging Face classification sets store
/// them: the label column is what makes the rows `labeled`.
fn write_labeled_parquet(path: &Path) -> anyhow::Result<()> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("text", DataType::Utf8, false),
        Field::new("label", DataType::Int64, false),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            strings(&[
                "快递第二天就到了，很满意。",
                "The charger stopped working after a week.",
                "A decent kettle for the price.",
            ]),
            Arc::new(Int64Array::from(vec![2, 0, 1])),
        ],
    )?;
    let mut writer = ArrowWriter::try_new(File::create(path)?, schema, None)?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(())
}

fn write_kto_zst(path: &Path) -> anyhow::Result<()> {
    let lines = [
        r#"{"prompt": "用一句话介绍长城。", "completion": "长城是中国古代修建的军事防御工程。", "label": true}"#,
        r#"{"prompt": "Describe the Moon in one sentence.", "completion": "The Moon is made of cheese.", "label": false}"#,
    ];
    let mut encoder = zstd::stream::write::Encoder::new(File::create(path)?, 3)?;
    for line in lines {
        writeln!(encoder, "{line}")?;
    }
    encoder.finish()?;
    Ok(())
}

fn write_web_gz(path: &Path) -> anyhow::Result<()> {
    let lines = [
        r#"{"text": "开放数据集应当附带数据卡片，说明许可、语言和用途。", "url": "https://example.org/b/1"}"#,
        r#"{"text": "A dataset card states the license, languages and intended uses of a dataset.", "url": "https://example.org/b/2"}"#,
        r#"{"text": "The provenance of training data should be recorded: where it came from, when, and on what terms.", "url": "https://example.org/a/2"}"#,
    ];
    // Fixed header fields (no file name, zero mtime) keep the bytes reproducible.
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(File::create(path)?, flate2::Compression::default());
    for line in lines {
        writeln!(encoder, "{line}")?;
    }
    encoder.finish()?;
    Ok(())
}

fn write_arrow(stream_path: &Path, file_path: &Path) -> anyhow::Result<()> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("text", DataType::Utf8, false),
        Field::new("label", DataType::Utf8, false),
        Field::new("reviewed", DataType::Boolean, false),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            strings(&[
                "物流很快，包装完好。",
                "The battery died after two days.",
                "质量一般。",
            ]),
            strings(&["positive", "negative", "neutral"]),
            Arc::new(BooleanArray::from(vec![true, true, false])),
        ],
    )?;
    // The Hugging Face datasets cache stores Arrow IPC *streams* under `.arrow`.
    let mut stream = StreamWriter::try_new(File::create(stream_path)?, &schema)?;
    stream.write(&batch)?;
    stream.finish()?;
    let mut file = FileWriter::try_new(File::create(file_path)?, &schema)?;
    file.write(&batch)?;
    file.finish()?;
    Ok(())
}

fn write_media(demo: &Path) -> anyhow::Result<()> {
    // A 1x1 PNG and a silent 8-sample WAV: counted by modality, bytes and hash.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    std::fs::write(demo.join("media/cat.png"), PNG)?;
    let mut wav = Vec::new();
    let samples = 8u32;
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples * 2).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&8000u32.to_le_bytes());
    wav.extend_from_slice(&16000u32.to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples * 2).to_le_bytes());
    wav.extend(std::iter::repeat_n(0u8, samples as usize * 2));
    std::fs::write(demo.join("media/chime.wav"), wav)?;
    // An opaque binary blob, listed as skipped.
    std::fs::write(
        demo.join("misc/weights.bin"),
        [0u8, 1, 2, 3, 0, 0, 0xde, 0xad, 0xbe, 0xef],
    )?;
    // A hidden file (an editor's backup): a skipped row saying why, read with --hidden.
    std::fs::write(
        demo.join("misc/.draft.jsonl"),
        "{\"text\":\"an unsaved draft, hidden from the scan\"}\n",
    )?;
    Ok(())
}
