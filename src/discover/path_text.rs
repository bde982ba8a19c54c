//! Path text: how a path's bytes are written into an audit.
//!
//! A file name is bytes chosen by whoever made the data, not text: it may be invalid
//! UTF-8, hold a newline that breaks a Markdown table, a right-to-left override that
//! makes `gpj.exe` read `exe.jpg`, or a person's e-mail address. Every recorded path
//! (paths relative to a root, object keys, roots, symbolic-link targets) goes through
//! [`escape`], which is lossless, and then through a [`PathMask`], which is not:
//!
//! - `\\` is a literal backslash;
//! - `\xHH` is one byte that is not part of valid UTF-8;
//! - `\u{HHHH}` is a C0 or C1 control character (U+0000–001F, U+007F–009F) or a
//!   bidirectional control (U+061C, U+200E, U+200F, U+202A–202E, U+2066–2069);
//! - every other character stands for itself, so a plain name is recorded unchanged.
//!
//! [`unescape`] inverts [`escape`]; verify, `--baseline`, `--resume` and `diff` compare
//! recorded text, and discovery turns the text back into bytes only to open a
//! declaration or re-walk a recorded root.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

/// Hides personal information in path text. Implemented by the PII detector
/// (`analyze::pii`): discovery comes before analysis, so it only knows this trait.
pub trait PathMask: Send + Sync + std::fmt::Debug {
    /// The text with every personal value replaced by its mask, or `None` when
    /// there is nothing to hide (the overwhelming case, so no allocation then).
    fn mask(&self, text: &str) -> Option<String>;
}

/// The recorded text of a path's bytes; borrowed when nothing needs escaping.
pub fn escape(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) if is_plain(text) => Cow::Borrowed(text),
        _ => Cow::Owned(escape_all(bytes)),
    }
}

/// [`escape`] of an OS string (a path component, a root, a link target).
pub fn escape_os(os: &OsStr) -> Cow<'_, str> {
    escape(os.as_bytes())
}

/// The bytes [`escape`] turned into `text`; `None` for text it cannot have produced
/// (a lone backslash, a malformed escape).
pub fn unescape(text: &str) -> Option<Vec<u8>> {
    if !text.contains('\\') {
        return Some(text.as_bytes().to_vec());
    }
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(rest.get(..at)?.as_bytes());
        let (bytes, used) = unescape_one(rest.get(at + 1..)?)?;
        out.extend_from_slice(&bytes);
        rest = rest.get(at + 1 + used..)?;
    }
    out.extend_from_slice(rest.as_bytes());
    Some(out)
}

/// The local path recorded as `text`; text that is not an escape's output is taken
/// as it stands (a root typed by hand in an older audit).
pub fn to_path(text: &str) -> PathBuf {
    let bytes = unescape(text).unwrap_or_else(|| text.as_bytes().to_vec());
    PathBuf::from(OsString::from_vec(bytes))
}

/// Whether a character is written as `\u{HHHH}`.
fn is_hidden_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The Unicode bidirectional controls: invisible, and able to make a name read
/// backwards (`gpj.exe` shown as `exe.jpg`). Renderers neutralise them too.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// True when valid UTF-8 text needs no escape: one pass, no allocation.
fn is_plain(text: &str) -> bool {
    if text.is_ascii() {
        return !text.bytes().any(|b| b == b'\\' || b < 0x20 || b == 0x7F);
    }
    !text.chars().any(|c| c == '\\' || is_hidden_char(c))
}

fn escape_all(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else if is_hidden_char(c) {
                let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

/// Decodes the escape after a backslash: its bytes and how many characters it used.
fn unescape_one(after: &str) -> Option<(Vec<u8>, usize)> {
    let mut chars = after.chars();
    match chars.next()? {
        '\\' => Some((vec![b'\\'], 1)),
        'x' => {
            let hex = after.get(1..3).filter(|h| is_hex(h))?;
            let byte = u8::from_str_radix(hex, 16).ok()?;
            Some((vec![byte], 3))
        }
        'u' => {
            let body = after.strip_prefix("u{")?;
            let close = body.find('}')?;
            let hex = body.get(..close).filter(|h| is_hex(h) && h.len() <= 6)?;
            let code = u32::from_str_radix(hex, 16).ok()?;
            let c = char::from_u32(code)?;
            let mut buf = [0u8; 4];
            Some((c.encode_utf8(&mut buf).as_bytes().to_vec(), close + 3))
        }
        _ => None,
    }
}

/// `from_str_radix` alone would also take a sign.
fn is_hex(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_borrowed_unchanged() {
        for name in [
            "part-00001-of-00010.parquet",
            "2023-12-01/shard_0042.jsonl",
            "models--org--name/snapshots/0123456789abcdef0123456789abcdef01234567/a.json",
            "数据/训练集.jsonl",
            "",
        ] {
            assert!(matches!(escape(name.as_bytes()), Cow::Borrowed(s) if s == name));
        }
    }

    #[test]
    fn escapes_are_documented_ones() {
        assert_eq!(escape(b"bad_\xff\xfe.jsonl"), "bad_\\xFF\\xFE.jsonl");
        assert_eq!(escape(b"bad_\xfe\xff.jsonl"), "bad_\\xFE\\xFF.jsonl");
        assert_eq!(escape(b"a\\b"), "a\\\\b");
        assert_eq!(escape(b"a\nb"), "a\\u{000A}b");
        assert_eq!(escape("x\u{202E}gpj.exe".as_bytes()), "x\\u{202E}gpj.exe");
        assert_eq!(escape("c1\u{85}".as_bytes()), "c1\\u{0085}");
        assert_eq!(
            escape("\u{061C}\u{2066}\u{200F}".as_bytes()),
            "\\u{061C}\\u{2066}\\u{200F}"
        );
    }

    #[test]
    fn malformed_escapes_are_refused() {
        for text in [
            "\\",
            "a\\q",
            "\\x4",
            "\\xZZ",
            "\\u{110000}",
            "\\u{D800}",
            "\\u{41",
            "\\x+1",
            "\\u{+41}",
        ] {
            assert_eq!(unescape(text), None, "{text}");
        }
    }

    /// A byte string biased towards what needs escaping: backslashes, controls,
    /// bidirectional controls, stray continuation bytes, truncated sequences.
    fn generated(state: &mut u64) -> Vec<u8> {
        const PIECES: &[&[u8]] = &[
            b"a",
            b"Z",
            b"0",
            b".",
            b"/",
            b"_",
            b"\\",
            b"\\x41",
            b"\\u{202E}",
            b"\n",
            b"\t",
            b"\x00",
            b"\x7f",
            b"\xff",
            b"\xfe",
            b"\x80",
            b"\xc3",
            b"\xc3\xa9",
            b"\xc2\x85",
            b"\xe2\x80\xae",
            b"\xe2\x81\xa6",
            b"\xd8\x9c",
            b"\xe2\x80",
            b"\xf0\x9f\x98\x80",
            b"\xf0\x9f",
            b"\xed\xa0\x80",
            "数".as_bytes(),
            b"@",
            b"{",
            b"}",
        ];
        let mut next = || {
            *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = *state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let len = (next() % 12) as usize;
        let mut out = Vec::new();
        for _ in 0..len {
            out.extend_from_slice(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        out
    }

    #[test]
    fn escape_is_lossless_and_leaves_nothing_hidden() {
        let mut state = 7;
        for _ in 0..20_000 {
            let bytes = generated(&mut state);
            let text = escape(&bytes);
            assert_eq!(unescape(&text).as_deref(), Some(bytes.as_slice()), "{text}");
            assert!(!text.chars().any(is_hidden_char), "{text}");
            assert_eq!(to_path(&text).as_os_str().as_bytes(), bytes.as_slice());
        }
    }
}
