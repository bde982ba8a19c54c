//! Which reader a file gets: by extension first (cheap, and what users expect), then by
//! magic bytes for files whose name says nothing.
//!
//! Extensions are a data table, as tokei keeps its languages, so teaching provaudit a
//! new extension is a one-line change.

use serde::{Deserialize, Serialize};

use crate::discover::source::PROVENANCE_FILE;
use crate::wire::wire_enum;

wire_enum! {
    /// A file format provaudit knows.
    pub enum Format("format") {
        /// JSON Lines: one JSON value per line.
        Jsonl = "jsonl",
        /// One JSON document: an array of records or an object holding one.
        Json = "json",
        /// Comma-separated values with a header row.
        Csv = "csv",
        /// Tab-separated values with a header row.
        Tsv = "tsv",
        /// Plain text, cut into records by `--text-unit`.
        Text = "text",
        /// Markdown, read as text.
        Markdown = "markdown",
        /// Apache Parquet.
        Parquet = "parquet",
        /// Arrow IPC, file (`ARROW1` magic) or stream form; the reader tells them apart.
        Arrow = "arrow",
        /// Source code: one record per file.
        Code = "code",
        /// An image: counted and hashed, not read.
        Image = "image",
        /// Audio: counted and hashed, not read.
        Audio = "audio",
        /// Video: counted and hashed, not read.
        Video = "video",
        /// A `provenance.toml`: metadata about the data, not data.
        Provenance = "provenance",
        /// Anything else: counted and hashed, not read.
        Unknown = "unknown",
    }
}

/// An older ledger row without a format reads as `unknown`.
impl Default for Format {
    fn default() -> Self {
        Format::Unknown
    }
}

impl Format {
    /// The modality the format's content counts under in the disclosure.
    pub fn modality(&self) -> Modality {
        match self {
            Format::Image => Modality::Image,
            Format::Audio => Modality::Audio,
            Format::Video => Modality::Video,
            Format::Provenance => Modality::Metadata,
            Format::Unknown | Format::Other(_) => Modality::Unknown,
            _ => Modality::Text,
        }
    }

    /// Formats read a line at a time, which can be split into byte ranges at newlines.
    pub fn is_line_based(&self) -> bool {
        matches!(self, Format::Jsonl | Format::Text | Format::Markdown)
    }

    /// Formats whose file is one work (prose, markup, source code) rather than a
    /// collection of records: a license stated anywhere in it covers all of it.
    pub fn is_document(&self) -> bool {
        matches!(self, Format::Text | Format::Markdown | Format::Code)
    }

    /// Formats whose records provaudit reads (the rest are counted and hashed only).
    pub fn has_records(&self) -> bool {
        self.modality() == Modality::Text
    }
}

wire_enum! {
    /// What kind of content a file holds, for the disclosure's modality breakdown.
    pub enum Modality("modality") {
        /// Text, in any of the record formats.
        Text = "text",
        /// Images.
        Image = "image",
        /// Audio.
        Audio = "audio",
        /// Video.
        Video = "video",
        /// Declarations about the data (`provenance.toml`), not data.
        Metadata = "metadata",
        /// Files of no known format.
        Unknown = "unknown",
    }
}

/// An older ledger row without a modality reads as `unknown`.
impl Default for Modality {
    fn default() -> Self {
        Modality::Unknown
    }
}

/// A compression wrapper around a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (`.gz`).
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Compression {
    /// The wire value written to the ledger's `compression` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// Extension (lower-case, without the dot) → format.
pub const EXTENSIONS: &[(&str, Format)] = &[
    ("jsonl", Format::Jsonl),
    ("ndjson", Format::Jsonl),
    ("jsonlines", Format::Jsonl),
    ("json", Format::Json),
    ("csv", Format::Csv),
    ("tsv", Format::Tsv),
    ("tab", Format::Tsv),
    ("txt", Format::Text),
    ("text", Format::Text),
    ("md", Format::Markdown),
    ("markdown", Format::Markdown),
    ("rst", Format::Text),
    ("parquet", Format::Parquet),
    ("pq", Format::Parquet),
    ("arrow", Format::Arrow),
    ("feather", Format::Arrow),
    ("arrows", Format::Arrow),
    ("ipc", Format::Arrow),
    // Source code: one record per file, as code corpora store it.
    ("py", Format::Code),
    ("rs", Format::Code),
    ("js", Format::Code),
    ("mjs", Format::Code),
    ("ts", Format::Code),
    ("tsx", Format::Code),
    ("jsx", Format::Code),
    ("java", Format::Code),
    ("kt", Format::Code),
    ("scala", Format::Code),
    ("go", Format::Code),
    ("c", Format::Code),
    ("h", Format::Code),
    ("cc", Format::Code),
    ("cpp", Format::Code),
    ("hpp", Format::Code),
    ("cs", Format::Code),
    ("rb", Format::Code),
    ("php", Format::Code),
    ("swift", Format::Code),
    ("m", Format::Code),
    ("sh", Format::Code),
    ("bash", Format::Code),
    ("sql", Format::Code),
    ("r", Format::Code),
    ("lua", Format::Code),
    ("pl", Format::Code),
    ("hs", Format::Code),
    ("html", Format::Code),
    ("htm", Format::Code),
    ("css", Format::Code),
    ("xml", Format::Code),
    ("yaml", Format::Code),
    ("yml", Format::Code),
    ("toml", Format::Code),
    ("ipynb", Format::Code),
    // Media: counted by modality, bytes and hash; never opened as records.
    ("png", Format::Image),
    ("jpg", Format::Image),
    ("jpeg", Format::Image),
    ("gif", Format::Image),
    ("webp", Format::Image),
    ("bmp", Format::Image),
    ("tif", Format::Image),
    ("tiff", Format::Image),
    ("heic", Format::Image),
    ("svg", Format::Image),
    ("wav", Format::Audio),
    ("mp3", Format::Audio),
    ("flac", Format::Audio),
    ("ogg", Format::Audio),
    ("opus", Format::Audio),
    ("m4a", Format::Audio),
    ("aac", Format::Audio),
    ("mp4", Format::Video),
    ("mkv", Format::Video),
    ("webm", Format::Video),
    ("avi", Format::Video),
    ("mov", Format::Video),
];

/// File names without a telling extension that are still text worth reading.
const TEXT_NAMES: &[&str] = &[
    "license",
    "licence",
    "copying",
    "notice",
    "readme",
    "authors",
    "robots.txt",
];

/// Decides format and compression from a file name and its first bytes.
pub fn detect(file_name: &str, head: &[u8]) -> (Format, Compression) {
    let lower = file_name.to_ascii_lowercase();
    // provaudit.toml (provider and model, `init` writes it beside provenance.toml)
    // is a declaration too, never data.
    if lower == PROVENANCE_FILE || lower == "provaudit.toml" {
        return (Format::Provenance, Compression::None);
    }
    let (stem, compression) = strip_compression(&lower, head);
    let by_extension = stem
        .rsplit_once('.')
        .and_then(|(_, ext)| EXTENSIONS.iter().find(|(e, _)| *e == ext))
        .map(|(_, f)| f.clone());
    if let Some(format) = by_extension {
        return (format, compression);
    }
    if compression != Compression::None {
        // A compressed file without an inner extension: most likely text lines.
        return (Format::Text, compression);
    }
    (sniff(stem, head), Compression::None)
}

fn strip_compression<'a>(name: &'a str, head: &[u8]) -> (&'a str, Compression) {
    if let Some(stem) = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".gzip"))
    {
        return (stem, Compression::Gzip);
    }
    if let Some(stem) = name
        .strip_suffix(".zst")
        .or_else(|| name.strip_suffix(".zstd"))
    {
        return (stem, Compression::Zstd);
    }
    match head {
        [0x1f, 0x8b, ..] => (name, Compression::Gzip),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => (name, Compression::Zstd),
        _ => (name, Compression::None),
    }
}

/// Looks at the first bytes of a file whose name did not tell.
fn sniff(name: &str, head: &[u8]) -> Format {
    // PARE: a Parquet file with an encrypted footer; the reader reports it clearly.
    if head.starts_with(b"PAR1") || head.starts_with(b"PARE") {
        return Format::Parquet;
    }
    if head.starts_with(b"ARROW1") || head.starts_with(&[0xff, 0xff, 0xff, 0xff]) {
        return Format::Arrow;
    }
    if let Some(format) = sniff_media(head) {
        return format;
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    let known_text = TEXT_NAMES
        .iter()
        .any(|t| base == *t || base.starts_with(&format!("{t}.")));
    if known_text || looks_like_text(head) {
        return Format::Text;
    }
    Format::Unknown
}

fn sniff_media(head: &[u8]) -> Option<Format> {
    const SIGNATURES: &[(&[u8], Format)] = &[
        (b"\x89PNG", Format::Image),
        (b"\xff\xd8\xff", Format::Image),
        (b"GIF8", Format::Image),
        (b"ID3", Format::Audio),
        (b"fLaC", Format::Audio),
        (b"OggS", Format::Audio),
        (b"\x1a\x45\xdf\xa3", Format::Video),
    ];
    if head.len() >= 12 && &head[0..4] == b"RIFF" {
        return match &head[8..12] {
            b"WAVE" => Some(Format::Audio),
            b"WEBP" => Some(Format::Image),
            b"AVI " => Some(Format::Video),
            _ => None,
        };
    }
    if head.len() >= 8 && &head[4..8] == b"ftyp" {
        return Some(Format::Video);
    }
    SIGNATURES
        .iter()
        .find(|(sig, _)| head.starts_with(sig))
        .map(|(_, f)| f.clone())
}

/// Text if there is no NUL and the bytes are UTF-8 (allowing a character cut off at the
/// end of the sample).
fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() || head.contains(&0) {
        return head.is_empty();
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_and_compression() {
        assert_eq!(detect("a.jsonl", b""), (Format::Jsonl, Compression::None));
        assert_eq!(
            detect("a.JSONL.GZ", b""),
            (Format::Jsonl, Compression::Gzip)
        );
        assert_eq!(detect("a.csv.zst", b""), (Format::Csv, Compression::Zstd));
        assert_eq!(
            detect("train.feather", b""),
            (Format::Arrow, Compression::None)
        );
        assert_eq!(
            detect("provenance.toml", b""),
            (Format::Provenance, Compression::None)
        );
        assert_eq!(
            detect("provaudit.toml", b""),
            (Format::Provenance, Compression::None)
        );
        assert_eq!(detect("x.py", b""), (Format::Code, Compression::None));
        assert_eq!(detect("cat.jpg", b""), (Format::Image, Compression::None));
    }

    #[test]
    fn sniffs_nameless_files() {
        assert_eq!(
            detect("LICENSE", b"\x00\x01"),
            (Format::Text, Compression::None)
        );
        assert_eq!(
            detect("data", b"PAR1\x15"),
            (Format::Parquet, Compression::None)
        );
        assert_eq!(
            detect("blob", b"\x89PNG\r\n"),
            (Format::Image, Compression::None)
        );
        assert_eq!(
            detect("notes", "纯文本".as_bytes()),
            (Format::Text, Compression::None)
        );
        assert_eq!(
            detect("model.bin", b"\x00\x00\x13\x37"),
            (Format::Unknown, Compression::None)
        );
        assert_eq!(
            detect("dump", b"\x1f\x8b\x08"),
            (Format::Text, Compression::Gzip)
        );
    }
}
