//! Loading risk lexicons (`--safety-lexicon DIR|FILE`, `[safety] lexicons`): plain text
//! or TOML, checked line by line, identified by name, version and SHA-256.
//!
//! Plain text (`*.txt`) is read by the PIPL lexicons' parser
//! (`analyze::sensitive::lexicon::parse`): `[A.1.1]` headers name the category of the
//! terms below them, one term per line, `!PHRASE` an exclusion for the category's
//! terms, `#` comments, with `# name:` and `# version:` comment lines for the
//! lexicon's identity. TOML (`*.toml`) adds per-term weights and exclusions:
//!
//! ```toml
//! name = "my-library"
//! version = "2026.1"
//! [[term]]
//! category = "A.1.1"
//! text = "zorblax"
//! weight = 0.5                  # optional, default 1
//! exclude = ["zorblax museum"]  # optional
//! ```
//! `docs/safety.md` is the user's reference.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analyze::sensitive::lexicon::{Check, parse};

/// A term longer than this (bytes, as written) is refused: a keyword is a word or a
/// phrase, and a huge one is a damaged file, not a term.
pub const MAX_TERM_BYTES: usize = 256;

/// A lexicon file larger than this is refused before it is read whole.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The GB/T 45654-2025 Appendix A classes and their item counts (data file).
const APPENDIX_A: &str = include_str!("appendix_a.txt");

/// The prefix of a user-defined category: `user.<name>` never collides with a standard id.
pub const USER_PREFIX: &str = "user.";

/// Why a lexicon is unusable (exit code 2). Names the file, and the line when one is at
/// fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("safety lexicon {path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct LexiconError {
    /// The file as given or found.
    pub path: String,
    /// The 1-based line at fault, when one is.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

/// One term as loaded: its category, weight and exclusion phrases, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct TermEntry {
    /// The category id (`A.1.1`, `user.spam`).
    pub category: String,
    /// The term as written.
    pub text: String,
    /// How much one occurrence counts toward flagging a record (1 unless given).
    pub weight: f64,
    /// Phrases that, where they cover an occurrence, make it not count.
    pub exclude: Vec<String>,
}

/// One lexicon file, loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicon {
    /// What `summary.json` records of it.
    pub identity: LexiconIdentity,
    /// Its terms, in file order (a term's id is its lexicon's name and its 1-based
    /// position here).
    pub terms: Vec<TermEntry>,
}

/// What an audit records of a lexicon: exactly which library it screened with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LexiconIdentity {
    /// The lexicon's name (`name =`, `# name:`, else the file's stem).
    pub name: String,
    /// Its version, when the file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The file it was read from, as given or found.
    pub path: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Terms per category.
    pub terms: BTreeMap<String, u64>,
    /// Exclusion phrases, all terms together.
    pub exclusions: u64,
}

/// Loads every lexicon `path` names: a file, or each `*.txt` and `*.toml` file of a
/// directory (not recursive), in name order.
pub fn load(path: &Path) -> Result<Vec<Lexicon>, LexiconError> {
    let error = |message: String| LexiconError {
        path: path.display().to_string(),
        line: None,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| error(format!("cannot read: {e}")))?;
    if !meta.is_dir() {
        return load_file(path).map(|l| vec![l]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| error(format!("cannot list: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(extension(p), "txt" | "toml") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(error("no *.txt or *.toml lexicon in this directory".into()));
    }
    files.iter().map(|f| load_file(f)).collect()
}

fn extension(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// Loads one lexicon file, by its extension (`.toml`, anything else plain text).
pub fn load_file(path: &Path) -> Result<Lexicon, LexiconError> {
    let shown = path.display().to_string();
    let error = |message: String| LexiconError {
        path: shown.clone(),
        line: None,
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| error(format!("cannot read: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(error(format!(
            "{size} bytes, over the {MAX_FILE_BYTES}-byte limit for a lexicon; split it into several files"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| error(format!("cannot read: {e}")))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        error(format!(
            "not UTF-8 (byte {}); save it as UTF-8",
            e.valid_up_to()
        ))
    })?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("lexicon");
    let parsed = if extension(path) == "toml" {
        parse_toml(text, stem)
    } else {
        parse_text(text, stem)
    };
    let (name, version, terms) = parsed.map_err(|(line, message)| LexiconError {
        path: shown.clone(),
        line,
        message,
    })?;
    let mut identity = LexiconIdentity {
        name,
        version,
        path: shown,
        sha256: crate::bytesource::hex(&Sha256::digest(&bytes)),
        ..Default::default()
    };
    for term in &terms {
        *identity.terms.entry(term.category.clone()).or_default() += 1;
        identity.exclusions += term.exclude.len() as u64;
    }
    Ok(Lexicon { identity, terms })
}

/// A parse error: the 1-based line when one is at fault, and the message.
type ParseError = (Option<usize>, String);

/// What a parser returns: name, version and terms.
type Parsed = (String, Option<String>, Vec<TermEntry>);

/// The plain-text format, through the PIPL lexicons' parser.
fn parse_text(text: &str, stem: &str) -> Result<Parsed, ParseError> {
    let entries = parse(text).map_err(|e| split_line(&e))?;
    let header = |key: &str| {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix('#'))
            .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_string()))
            .filter(|v| !v.is_empty())
    };
    let name = header("name:").unwrap_or_else(|| stem.to_string());
    let version = header("version:");
    // `parse` gives entries, not lines: walk the lines again to locate each entry.
    let lines = entry_lines(text);
    let mut terms: Vec<TermEntry> = Vec::new();
    let mut exclusions: Vec<(String, String)> = Vec::new();
    for (e, line) in entries.iter().zip(lines) {
        let at = |message: String| (Some(line), message);
        if e.check != Check::None {
            return Err(at(
                "a group check (`[id: check]`) means nothing here; write `[A.1.1]`".into(),
            ));
        }
        if e.group.is_empty() {
            return Err(at(
                "term before any category header; start with a line such as `[A.1.1]`".into(),
            ));
        }
        check_category(e.group).map_err(at)?;
        check_term(e.term).map_err(at)?;
        if e.veto {
            exclusions.push((e.group.to_string(), e.term.to_string()));
        } else {
            terms.push(TermEntry {
                category: e.group.to_string(),
                text: e.term.to_string(),
                weight: 1.0,
                exclude: Vec::new(),
            });
        }
    }
    for term in &mut terms {
        term.exclude = exclusions
            .iter()
            .filter(|(c, _)| *c == term.category)
            .map(|(_, p)| p.clone())
            .collect();
    }
    Ok((name, version, terms))
}

/// `"line 3: empty term"` → `(Some(3), "empty term")`.
fn split_line(message: &str) -> ParseError {
    message
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(n, m)| Some((Some(n.parse().ok()?), m.to_string())))
        .unwrap_or((None, message.to_string()))
}

/// The 1-based lines that hold entries (neither blank, comment nor header), in order.
fn entry_lines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.lines().enumerate().filter_map(|(n, raw)| {
        let line = raw.trim();
        let skip = line.is_empty() || line.starts_with('#') || line.starts_with('[');
        (!skip).then_some(n + 1)
    })
}

/// The TOML format.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlLexicon {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    term: Vec<toml::Spanned<TomlTerm>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlTerm {
    category: String,
    text: String,
    weight: Option<f64>,
    #[serde(default)]
    exclude: Vec<String>,
}

fn parse_toml(text: &str, stem: &str) -> Result<Parsed, ParseError> {
    let lexicon: TomlLexicon = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        (line, crate::discover::manifest::one_line(e.message()))
    })?;
    let mut terms = Vec::with_capacity(lexicon.term.len());
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    for spanned in lexicon.term {
        // Binary search over the newlines: counting them per term was quadratic.
        let line = newlines.partition_point(|&n| n < spanned.span().start) + 1;
        let t = spanned.into_inner();
        let at = |message: String| (Some(line), message);
        check_category(&t.category).map_err(at)?;
        check_term(&t.text).map_err(at)?;
        for phrase in &t.exclude {
            check_term(phrase).map_err(|m| at(format!("exclusion: {m}")))?;
        }
        let weight = t.weight.unwrap_or(1.0);
        if !(weight.is_finite() && weight > 0.0) {
            return Err(at(format!("weight {weight}: a weight is a number above 0")));
        }
        terms.push(TermEntry {
            category: t.category,
            text: t.text.trim().to_string(),
            weight,
            exclude: t.exclude.iter().map(|p| p.trim().to_string()).collect(),
        });
    }
    let name = lexicon
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| stem.to_string());
    Ok((name, lexicon.version, terms))
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    let head = text.get(..offset.min(text.len())).unwrap_or(text);
    head.bytes().filter(|&b| b == b'\n').count() + 1
}

/// A term or exclusion phrase is neither empty nor over [`MAX_TERM_BYTES`].
fn check_term(term: &str) -> Result<(), String> {
    let term = term.trim();
    if term.is_empty() {
        return Err("empty term".into());
    }
    if term.len() > MAX_TERM_BYTES {
        return Err(format!(
            "term of {} bytes, over the {MAX_TERM_BYTES}-byte limit",
            term.len()
        ));
    }
    if super::normalize::normalized_term(term).is_empty() {
        return Err("term of separators only (spaces, dots, dashes)".into());
    }
    Ok(())
}

/// A category is an Appendix A item id (`A.1.1` … within the class's item count) or a
/// user id `user.<name>` (lower-case ASCII letters, digits, `_` and `-`).
pub fn check_category(id: &str) -> Result<(), String> {
    if let Some(name) = id.strip_prefix(USER_PREFIX) {
        let ok = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        return if ok {
            Ok(())
        } else {
            Err(format!(
                "category {id:?}: a user category is `user.` and lower-case letters, digits, `_` or `-`"
            ))
        };
    }
    let item = id.strip_prefix("A.").and_then(|rest| rest.split_once('.'));
    let known = item.is_some_and(|(class, item)| {
        let items = appendix_a().find(|(c, _)| *c == class).map(|(_, n)| n);
        let n: Option<u32> = item.parse().ok().filter(|_| !item.starts_with('0'));
        matches!((items, n), (Some(max), Some(n)) if (1..=max).contains(&n))
    });
    if known {
        Ok(())
    } else {
        Err(format!(
            "unknown category {id:?}: use a GB/T 45654-2025 Appendix A item ({}) or a user category `user.<name>`",
            appendix_a()
                .map(|(c, n)| format!("A.{c}.1–A.{c}.{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// Every Appendix A item id, in the table's order (`A.1.1`, `A.1.2`, ...): the categories a
/// reviewer can mark in `review.html`.
pub fn appendix_a_items() -> Vec<String> {
    appendix_a()
        .flat_map(|(class, n)| (1..=n).map(move |item| format!("A.{class}.{item}")))
        .collect()
}

/// (class number, item count) of each Appendix A class.
fn appendix_a() -> impl Iterator<Item = (&'static str, u32)> {
    APPENDIX_A.lines().filter_map(|l| {
        let l = l.trim();
        if l.starts_with('#') {
            return None;
        }
        let (id, n) = l.split_once(' ')?;
        Some((id.strip_prefix("A.")?, n.trim().parse().ok()?))
    })
}
