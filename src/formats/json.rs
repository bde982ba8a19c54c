//! JSON files: an array of records, an object holding record lists (`{"data": [...]}`),
//! or a single object that is itself one record.
//!
//! A JSON file can be gigabytes, so it is not parsed whole. A small scanner follows
//! strings and brackets to find where each top-level element begins and ends, keeps at
//! most `--max-record-bytes` of it, and hands each element to the same field walker
//! JSONL uses.

use std::borrow::Cow;
use std::io::{self, Read};

use super::error::{ErrorKind, ErrorLocation, ReadError};
use super::jsonl::syntax_error;
use super::sink::RecordSink;
use super::{decode_utf8, json_walk, too_large};
use crate::record::Record;
use crate::record::kind;

/// Reads one JSON document: each element of a top-level array is a record, as is
/// each element of a top-level object's lists (or the object itself when it holds
/// no list). An element over `max_record` bytes is reported `too_large` and skipped.
pub fn read(
    input: &mut dyn Read,
    max_record: usize,
    sink: &mut dyn RecordSink,
) -> Result<(), ReadError> {
    let mut scanner = Scanner::new(input, max_record);
    let mut ordinal = 0u64;
    let result = read_top(&mut scanner, &mut ordinal, sink);
    result.map_err(|e| e.locate(&scanner))
}

fn read_top(s: &mut Scanner<'_>, ordinal: &mut u64, sink: &mut dyn RecordSink) -> Result<(), Fail> {
    s.skip_bom()?;
    match s.skip_ws()? {
        None => Ok(()),
        Some(b'[') => {
            s.bump();
            read_array(s, ordinal, sink)?;
            s.expect_end()
        }
        Some(b'{') if s.object_holds_lists()? => {
            read_object_lists(s, ordinal, sink)?;
            s.expect_end()
        }
        Some(_) => {
            emit_element(s, ordinal, sink)?;
            s.expect_end()
        }
    }
}

/// After the opening `[`: elements separated by commas up to `]`.
fn read_array(
    s: &mut Scanner<'_>,
    ordinal: &mut u64,
    sink: &mut dyn RecordSink,
) -> Result<(), Fail> {
    if s.skip_ws()? == Some(b']') {
        s.bump();
        return Ok(());
    }
    loop {
        emit_element(s, ordinal, sink)?;
        match s.skip_ws()? {
            Some(b',') => s.bump(),
            Some(b']') => {
                s.bump();
                return Ok(());
            }
            Some(_) => {
                return Err(Fail::syntax(
                    "expected a comma or a closing bracket between array elements",
                ));
            }
            None => return Err(Fail::syntax("the file ends inside an array")),
        }
    }
}

/// `{"version": 1, "data": [ ... ]}`: every list-valued key holds records; other values
/// are skipped.
fn read_object_lists(
    s: &mut Scanner<'_>,
    ordinal: &mut u64,
    sink: &mut dyn RecordSink,
) -> Result<(), Fail> {
    s.bump();
    if s.skip_ws()? == Some(b'}') {
        s.bump();
        return Ok(());
    }
    loop {
        if s.skip_ws()? != Some(b'"') {
            return Err(Fail::syntax("expected an object key"));
        }
        s.capture_value(false)?;
        if s.skip_ws()? != Some(b':') {
            return Err(Fail::syntax("expected a colon after an object key"));
        }
        s.bump();
        if s.skip_ws()? == Some(b'[') {
            s.bump();
            read_array(s, ordinal, sink)?;
        } else {
            s.capture_value(false)?;
        }
        match s.skip_ws()? {
            Some(b',') => s.bump(),
            Some(b'}') => {
                s.bump();
                return Ok(());
            }
            _ => {
                return Err(Fail::syntax(
                    "expected a comma or a closing brace in the top-level object",
                ));
            }
        }
    }
}

fn emit_element(
    s: &mut Scanner<'_>,
    ordinal: &mut u64,
    sink: &mut dyn RecordSink,
) -> Result<(), Fail> {
    let start = s.capture_value(true)?;
    let location = ErrorLocation::line(start.line, start.offset);
    if start.oversized {
        sink.error(too_large(start.len, location));
        return Ok(());
    }
    let (text, lossy) = decode_utf8(&s.element);
    if lossy {
        sink.error(ReadError::new(
            ErrorKind::Encoding,
            "invalid UTF-8; the element was read with replacement characters",
            location.clone(),
        ));
    }
    match json_walk::extract(&text) {
        Ok(extracted) => {
            let mut record = Record::new(
                *ordinal,
                kind::classify(extracted.top_keys.iter().map(|k| k.as_ref())),
            );
            record.line = Some(start.line);
            record.offset = Some(start.offset);
            record.raw = Cow::Borrowed(&s.element);
            record.fields = extracted.fields;
            record.lossy_utf8 = lossy;
            sink.record(&record);
            *ordinal += 1;
        }
        Err(e) => sink.error(syntax_error(&e, location)),
    }
    Ok(())
}

/// Why the scanner stopped: the structure is broken and nothing after can be trusted.
enum Fail {
    Io(io::Error),
    Syntax(&'static str),
}

impl Fail {
    fn syntax(what: &'static str) -> Self {
        Fail::Syntax(what)
    }

    fn locate(self, s: &Scanner<'_>) -> ReadError {
        let location = ErrorLocation::line(s.line, s.offset);
        match self {
            Fail::Io(e) => ReadError::io(&e, location),
            Fail::Syntax(what) => ReadError::new(ErrorKind::Syntax, what, location),
        }
    }
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

/// Where a captured element started.
struct Captured {
    line: u64,
    offset: u64,
    len: u64,
    oversized: bool,
}

/// A byte scanner that knows JSON strings and brackets and nothing more.
struct Scanner<'r> {
    input: &'r mut dyn Read,
    buf: Box<[u8]>,
    pos: usize,
    cap: usize,
    /// Stream offset and 1-based line of `buf[pos]`.
    offset: u64,
    line: u64,
    /// The element being captured, bounded by `max_record`.
    element: Vec<u8>,
    max_record: usize,
    /// Bytes read ahead to look inside a top-level object, replayed before `input`.
    replay: Vec<u8>,
}

impl<'r> Scanner<'r> {
    fn new(input: &'r mut dyn Read, max_record: usize) -> Self {
        Scanner {
            input,
            buf: vec![0u8; 64 * 1024].into_boxed_slice(),
            pos: 0,
            cap: 0,
            offset: 0,
            line: 1,
            element: Vec::new(),
            max_record,
            replay: Vec::new(),
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        if self.pos == self.cap {
            self.refill()?;
            if self.cap == 0 {
                return Ok(None);
            }
        }
        Ok(Some(self.buf[self.pos]))
    }

    fn refill(&mut self) -> io::Result<()> {
        self.pos = 0;
        if !self.replay.is_empty() {
            let n = self.replay.len().min(self.buf.len());
            self.buf[..n].copy_from_slice(&self.replay[..n]);
            self.replay.drain(..n);
            self.cap = n;
            return Ok(());
        }
        self.cap = loop {
            match self.input.read(&mut self.buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        Ok(())
    }

    /// Consumes the byte `peek` returned.
    fn bump(&mut self) {
        if self.buf[self.pos] == b'\n' {
            self.line += 1;
        }
        self.pos += 1;
        self.offset += 1;
    }

    fn skip_bom(&mut self) -> io::Result<()> {
        if self.peek()? == Some(0xef) {
            for _ in 0..3 {
                if self.peek()?.is_some() {
                    self.bump();
                }
            }
        }
        Ok(())
    }

    fn skip_ws(&mut self) -> io::Result<Option<u8>> {
        while let Some(b) = self.peek()? {
            if !b.is_ascii_whitespace() {
                return Ok(Some(b));
            }
            self.bump();
        }
        Ok(None)
    }

    fn expect_end(&mut self) -> Result<(), Fail> {
        match self.skip_ws()? {
            None => Ok(()),
            Some(_) => Err(Fail::syntax(
                "unexpected data after the top-level JSON value",
            )),
        }
    }

    /// Whether the top-level object at the cursor has a list-valued key (records inside)
    /// or is itself one record. Looks ahead at most one bounded element and replays it.
    fn object_holds_lists(&mut self) -> Result<bool, Fail> {
        let (saved_offset, saved_line) = (self.offset, self.line);
        let mut look = Vec::new();
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut found = false;
        let mut expecting_value = false;
        while let Some(b) = self.peek()? {
            look.push(b);
            self.bump();
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => {
                    in_string = true;
                    expecting_value = false;
                }
                b':' if depth == 1 => expecting_value = true,
                b'[' if depth == 1 && expecting_value => {
                    found = true;
                    break;
                }
                b'{' | b'[' => {
                    depth += 1;
                    expecting_value = false;
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                b if b.is_ascii_whitespace() => {}
                _ => expecting_value = false,
            }
            if look.len() > self.max_record {
                break;
            }
        }
        // Replay what was looked at, then whatever was still buffered.
        look.extend_from_slice(&self.buf[self.pos..self.cap]);
        look.append(&mut self.replay);
        self.replay = look;
        self.offset = saved_offset;
        self.line = saved_line;
        // Load the replay now: callers may `bump` the byte they peeked before this call.
        self.refill()?;
        Ok(found)
    }

    /// Consumes one JSON value. With `keep`, copies it into `element` (up to the bound).
    fn capture_value(&mut self, keep: bool) -> Result<Captured, Fail> {
        self.skip_ws()?;
        self.element.clear();
        let start = Captured {
            line: self.line,
            offset: self.offset,
            len: 0,
            oversized: false,
        };
        let mut len = 0u64;
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let Some(b) = self.peek()? else {
                if depth > 0 || in_string {
                    return Err(Fail::syntax("the file ends inside a JSON value"));
                }
                break;
            };
            if !in_string && depth == 0 && len > 0 && matches!(b, b',' | b']' | b'}' | b':') {
                break;
            }
            if !in_string && depth == 0 && len > 0 && b.is_ascii_whitespace() {
                break;
            }
            if keep && self.element.len() <= self.max_record {
                self.element.push(b);
            }
            self.bump();
            len += 1;
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => {
                        in_string = false;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    if depth == 0 {
                        return Err(Fail::syntax("unbalanced bracket"));
                    }
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        if len == 0 {
            return Err(Fail::syntax("expected a JSON value"));
        }
        let oversized = keep && self.element.len() > self.max_record;
        if oversized {
            self.element.clear();
        }
        Ok(Captured {
            len,
            oversized,
            ..start
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::sink::CollectSink;

    fn run(input: &str, max: usize) -> (CollectSink, Result<(), ReadError>) {
        let mut sink = CollectSink::default();
        let mut bytes = input.as_bytes();
        let result = read(&mut bytes, max, &mut sink);
        (sink, result)
    }

    #[test]
    fn reads_an_array_of_records() {
        let (sink, result) = run("[\n {\"text\": \"a, ]\"},\n {\"text\": \"b\"}\n]\n", 1000);
        assert!(result.is_ok());
        let texts: Vec<_> = sink
            .records
            .iter()
            .map(|r| r.fields[0].1.as_str())
            .collect();
        assert_eq!(texts, vec!["a, ]", "b"]);
        assert_eq!(sink.records[1].line, Some(3));
    }

    #[test]
    fn reads_lists_inside_an_object() {
        let (sink, result) = run(
            r#"{"version": "1.0", "meta": {"a": [1]}, "data": [{"question": "q", "answer": "a"}]}"#,
            1000,
        );
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(sink.records.len(), 1);
        assert_eq!(
            sink.records[0].kind,
            crate::record::kind::RecordKind::Instruction
        );
    }

    #[test]
    fn a_plain_object_is_one_record() {
        let (sink, result) = run(r#"{"text": "only one", "n": 3}"#, 1000);
        assert!(result.is_ok());
        assert_eq!(sink.records.len(), 1);
    }

    #[test]
    fn truncated_files_keep_what_was_read() {
        let (sink, result) = run("[{\"text\": \"a\"}, {\"text\": \"b", 1000);
        assert_eq!(sink.records.len(), 1);
        let err = result.unwrap_err();
        assert_eq!(err.kind, ErrorKind::Syntax);
        assert_eq!(err.location.line, Some(1));
    }

    #[test]
    fn bad_elements_are_skipped_and_located() {
        let (sink, result) = run(
            "[{\"text\": \"a\"},\n {\"text\" 1},\n {\"text\": \"c\"}]",
            1000,
        );
        assert!(result.is_ok());
        assert_eq!(sink.records.len(), 2);
        assert_eq!(sink.errors[0].location.line, Some(2));
    }

    #[test]
    fn oversized_elements_are_reported() {
        let big = format!(
            "[{{\"text\": \"{}\"}}, {{\"text\": \"ok\"}}]",
            "x".repeat(500)
        );
        let (sink, result) = run(&big, 100);
        assert!(result.is_ok());
        assert_eq!(sink.records.len(), 1);
        assert_eq!(sink.errors[0].kind, ErrorKind::TooLarge);
    }
}
