//! Byte-offset helpers. Every offset handed out by this module is on a UTF-8
//! character boundary, so callers can slice without panicking on any input.

/// Largest character boundary not above `i` (clamped to the text).
pub(super) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Smallest character boundary not below `i` (clamped to the text).
pub(super) fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Start of the line holding `pos`, but never more than `limit` bytes back:
/// minified HTML or JSON can put megabytes on one line.
pub(super) fn line_start(s: &str, pos: usize, limit: usize) -> usize {
    let pos = floor_boundary(s, pos);
    let floor = ceil_boundary(s, pos.saturating_sub(limit));
    match s.as_bytes()[floor..pos].iter().rposition(|&b| b == b'\n') {
        Some(nl) => floor + nl + 1,
        None => floor,
    }
}

/// End of the line holding `pos` (the newline's index, or the text's end),
/// never more than `limit` bytes forward.
pub(super) fn line_end(s: &str, pos: usize, limit: usize) -> usize {
    let pos = floor_boundary(s, pos);
    let ceil = floor_boundary(s, pos.saturating_add(limit));
    match s.as_bytes()[pos..ceil].iter().position(|&b| b == b'\n') {
        Some(nl) => pos + nl,
        None => ceil,
    }
}

/// The span of the line(s) around `pos`: `before` extra lines above and
/// `after` below, each line clipped to `clip` bytes.
pub(super) fn lines_around(
    s: &str,
    pos: usize,
    before: usize,
    after: usize,
    clip: usize,
) -> (usize, usize) {
    let mut start = line_start(s, pos, clip);
    for _ in 0..before {
        if start == 0 || s.as_bytes().get(start - 1) != Some(&b'\n') {
            break;
        }
        start = line_start(s, start - 1, clip);
    }
    let mut end = line_end(s, pos, clip);
    for _ in 0..after {
        if end >= s.len() || s.as_bytes().get(end) != Some(&b'\n') {
            break;
        }
        end = line_end(s, end + 1, clip);
    }
    (start, end)
}

/// Like [`lines_around`], but the `after` lines below count only lines with
/// words: a blank (or comment-leader-only) line between two paragraphs of
/// one notice does not use up the reach ("... as long as this notice is
/// preserved." / blank / "This program is distributed ..."). At most
/// [`BLANK_SKIP`] blank lines are passed over, so the span stays bounded.
pub(super) fn lines_around_past_blanks(
    s: &str,
    pos: usize,
    before: usize,
    after: usize,
    clip: usize,
) -> (usize, usize) {
    let (start, mut end) = lines_around(s, pos, before, 0, clip);
    let (mut words, mut blanks) = (0, 0);
    while words < after && end < s.len() && s.as_bytes().get(end) == Some(&b'\n') {
        let next = line_end(s, end + 1, clip);
        let blank = s[end + 1..next]
            .trim_matches(|c: char| c.is_whitespace() || "#*/;!%-".contains(c))
            .is_empty();
        if blank {
            if blanks == BLANK_SKIP {
                break;
            }
            blanks += 1;
        } else {
            words += 1;
        }
        end = next;
    }
    (start, end)
}

/// Blank lines [`lines_around_past_blanks`] passes over at most.
const BLANK_SKIP: usize = 2;

/// Whether `line` separates two texts: a rule of at least [`RULE_MIN`]
/// punctuation marks and nothing else (`-----`, `=-=-=-`, `*****`). Files
/// that bundle several licenses (a crate's MIT text above its Apache text,
/// third-party notices) put one between them. A markdown title's underline
/// is one too; the title line alone is too short for the matcher, so
/// splitting there costs nothing.
pub(super) fn is_rule_line(line: &str) -> bool {
    let t = line.trim();
    t.len() >= RULE_MIN && t.bytes().all(|b| b"-=*_~#+/".contains(&b))
}

/// Marks a separator line needs at least (see [`is_rule_line`]).
const RULE_MIN: usize = 8;

/// Whether `line` opens a block comment (`/*`, `/**`): after a line that
/// closed one, a new comment is a new text (each file's header in a
/// concatenation of source files).
pub(super) fn opens_block_comment(line: &str) -> bool {
    line.trim_start().starts_with("/*")
}

/// Whether `line` closes a block comment.
pub(super) fn closes_block_comment(line: &str) -> bool {
    line.trim_end().ends_with("*/")
}

/// Merges overlapping or touching spans in place.
pub(super) fn merge_spans(spans: &mut Vec<(usize, usize)>) {
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for &(s, e) in spans.iter() {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *spans = merged;
}

/// Comment leaders stripped from the start of a line, longest first.
const LEADERS: &[&str] = &[
    "<!--", "///", "//!", "/**", "/*!", "/*", "//", "\"\"\"", "'''", "-->", "*/", "(*", "{-", ";;",
    "--", "dnl ", "REM ", "rem ", "*", "#", ";", "%", "!", "'",
];
/// Comment closers stripped from the end of a line.
const CLOSERS: &[&str] = &["*/", "-->", "*)", "-}", "\"\"\"", "'''", "*", "#"];

/// The line without comment decoration, as (offset into `line`, content).
/// Source headers wrap license texts in `# `, `// ` or ` * `; the matcher
/// must see the words only, with the line count unchanged.
pub(super) fn strip_comment(line: &str) -> (usize, &str) {
    let mut rest = line.trim_start();
    loop {
        let before = rest.len();
        for leader in LEADERS {
            if let Some(r) = rest.strip_prefix(leader) {
                rest = r.trim_start();
                break;
            }
        }
        if rest.len() == before {
            break;
        }
    }
    let mut body = rest.trim_end();
    loop {
        let before = body.len();
        for closer in CLOSERS {
            if let Some(r) = body.strip_suffix(closer) {
                body = r.trim_end();
                break;
            }
        }
        if body.len() == before {
            break;
        }
    }
    (line.len() - rest.len(), body)
}

/// Leaders that mark a line as a source comment for finding where a header
/// comment ends. Narrower than `LEADERS`: a markdown bullet (`* item`,
/// `- item`) or a quoted word (`'originates'`) inside a license text must
/// not split it. A lone `*` counts only when indented, as block-comment
/// continuation lines are.
const BLOCK_LEADERS: &[&str] = &[
    "#", "//", "/*", "*/", "--", ";", "%", "<!--", "-->", "\"\"\"",
];

/// True when the line is part of a source comment.
pub(super) fn is_commented(line: &str) -> bool {
    let t = line.trim_start();
    BLOCK_LEADERS.iter().any(|l| t.starts_with(l)) || (t.starts_with('*') && t.len() < line.len())
}

/// Byte offsets where each line of `s` starts (the first is 0).
pub(super) fn line_starts(s: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(
        s.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_never_split_chars() {
        let s = "a版权b";
        for i in 0..=s.len() + 2 {
            assert!(s.is_char_boundary(floor_boundary(s, i)));
            assert!(s.is_char_boundary(ceil_boundary(s, i)));
        }
    }

    #[test]
    fn lines_are_clipped() {
        let s = "one\ntwo two\nthree";
        assert_eq!(lines_around(s, 5, 0, 0, 100), (4, 11));
        assert_eq!(lines_around(s, 5, 1, 1, 100), (0, s.len()));
        assert!(is_rule_line("  ------------------------------  "));
        assert!(is_rule_line("=-=-=-=-=-=-=-=-"));
        assert!(!is_rule_line("-- a comment --------"));
        assert!(!is_rule_line("-----"));
        assert!(opens_block_comment("  /* $Id$ */") && closes_block_comment(" */ "));
        // Blank lines do not use up the reach below, up to BLANK_SKIP of them.
        let t = "a\nb\n\n#\nc\nd\n\n\n\ne";
        assert_eq!(lines_around_past_blanks(t, 2, 0, 1, 100), (2, 8));
        assert_eq!(lines_around_past_blanks(t, 2, 0, 2, 100), (2, 10));
        assert_eq!(lines_around_past_blanks(t, 2, 0, 9, 100), (2, 10));
        assert_eq!(line_end(s, 4, 2), 6);
    }

    #[test]
    fn comment_leaders_are_removed() {
        assert_eq!(strip_comment(" * Licensed under").1, "Licensed under");
        assert_eq!(strip_comment("// foo */").1, "foo");
        assert_eq!(strip_comment("# bar").1, "bar");
        assert_eq!(strip_comment("plain").1, "plain");
        assert!(is_commented("  // x"));
        assert!(is_commented(" * x"));
        assert!(!is_commented("* bullet"));
        assert!(!is_commented("'quoted' words"));
        assert!(!is_commented("let x"));
    }
}

/// A text with carriage returns made plain line breaks in place: `\r\n`
/// becomes ` \n` and a lone `\r` (old Mac text) `\n`, so rules that read
/// line by line (list items after a colon, headings, banners, `$` anchors)
/// read Windows and Mac files as they read Unix ones. Same length, ASCII
/// for ASCII, so every offset and character boundary holds. `None` when
/// the text holds no `\r`.
pub(super) fn cr_normalised(s: &str) -> Option<String> {
    if !s.contains('\r') {
        return None;
    }
    let bytes = s.as_bytes();
    let mut out = bytes.to_vec();
    for (i, _) in s.match_indices('\r') {
        out[i] = if bytes.get(i + 1) == Some(&b'\n') {
            b' '
        } else {
            b'\n'
        };
    }
    String::from_utf8(out).ok()
}

/// An RTF text with its markup blanked out in place: control words (`\par`,
/// `\fs20`), control symbols, hex escapes (`\'93`) and group braces become
/// spaces of the same length, so a license saved from a word processor reads
/// as plain text while every offset still points into the original (only
/// ASCII bytes are replaced, so character boundaries stay where they were).
/// `None` unless the text starts as RTF does. One pass, linear.
pub(super) fn rtf_blanked(s: &str) -> Option<String> {
    if !s.trim_start().starts_with("{\\rtf") {
        return None;
    }
    let b = s.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' | b'}' => {
                out[i] = b' ';
                i += 1;
            }
            b'\\' => {
                let start = i;
                i += 1;
                match b.get(i) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                            i += 1;
                        }
                        if b.get(i) == Some(&b'-') {
                            i += 1;
                        }
                        while b.get(i).is_some_and(u8::is_ascii_digit) {
                            i += 1;
                        }
                        if b.get(i) == Some(&b' ') {
                            i += 1;
                        }
                    }
                    Some(b'\'') => {
                        i += 1;
                        let mut n = 0;
                        while n < 2 && b.get(i).is_some_and(u8::is_ascii_hexdigit) {
                            i += 1;
                            n += 1;
                        }
                    }
                    Some(c) if c.is_ascii() && *c != b'\n' => i += 1,
                    _ => {}
                }
                for x in out.get_mut(start..i).unwrap_or_default() {
                    *x = b' ';
                }
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod rtf_tests {
    use super::rtf_blanked;

    #[test]
    fn rtf_markup_blanks_in_place() {
        let rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard\\fs20 Licensed under the\\par\nMIT License \\'93here\\'94 \u{e9}t\u{e9}.\\par\n}";
        let plain = rtf_blanked(rtf).unwrap_or_default();
        assert_eq!(plain.len(), rtf.len());
        let words: Vec<&str> = plain.split_whitespace().collect();
        assert_eq!(
            words,
            [
                "Arial;",
                "Licensed",
                "under",
                "the",
                "MIT",
                "License",
                "here",
                "\u{e9}t\u{e9}."
            ]
        );
        assert_eq!(rtf_blanked("Licensed under the MIT License"), None);
        // A backslash at the end, or before a multi-byte character, is safe.
        assert!(rtf_blanked("{\\rtf1 x\\").is_some());
        assert!(rtf_blanked("{\\rtf1 x\\\u{e9}").is_some());
    }
}
