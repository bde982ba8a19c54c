//! A line reader with a memory bound, shared by the line-based formats.
//!
//! `BufRead::read_until` would happily buffer a 2 GB line. This reader keeps at most
//! `max_line` bytes of any line and streams past the rest, so one pathological record
//! cannot take the process's memory with it. It also knows where each line starts, which
//! is how errors get byte offsets and how byte-range work units find their lines.

use std::io::{self, BufRead};

/// One line, without its terminator (`\n` or `\r\n`).
pub struct Line<'b> {
    /// The line's bytes, empty when the line is oversized.
    pub bytes: &'b [u8],
    /// Offset of the line's first byte in the stream.
    pub offset: u64,
    /// 1-based line number within this reader.
    pub number: u64,
    /// Set when the line was longer than the bound: `bytes` is then empty and this is
    /// the line's full length.
    pub oversized: Option<u64>,
}

/// Reads lines from a byte stream with a bound on line length, knowing each line's
/// offset; see the module documentation.
pub struct LineReader<R> {
    input: R,
    buf: Vec<u8>,
    offset: u64,
    number: u64,
    max_line: usize,
    /// Lines starting at or after this offset belong to the next work unit.
    limit: Option<u64>,
}

impl<R: BufRead> LineReader<R> {
    /// `offset` is where `input` starts in the stream; `max_line` bounds memory.
    pub fn new(input: R, offset: u64, max_line: usize) -> Self {
        LineReader {
            input,
            buf: Vec::new(),
            offset,
            number: 0,
            max_line,
            limit: None,
        }
    }

    /// Stops before any line that starts at or after `limit`.
    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Skips the rest of the current line, for a work unit that starts mid-line: that
    /// line belongs to the previous unit. Returns the bytes skipped.
    pub fn skip_partial_line(&mut self) -> io::Result<u64> {
        let (len, _) = self.consume_line(false)?;
        self.offset += len;
        Ok(len)
    }

    /// Lines handed out so far.
    pub fn lines_read(&self) -> u64 {
        self.number
    }

    /// Bytes consumed so far, as a stream offset.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The next line, `None` at the end of the stream or of the reader's byte range.
    /// A line over the bound is skipped and returned with `oversized` set, never
    /// buffered whole.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        if self.limit.is_some_and(|limit| self.offset >= limit) {
            return Ok(None);
        }
        let start = self.offset;
        let (len, complete_or_eof) = self.consume_line(true)?;
        if len == 0 && !complete_or_eof {
            return Ok(None);
        }
        self.offset += len;
        self.number += 1;
        let complete = self.buf.len() as u64 == len;
        if complete {
            trim_terminator(&mut self.buf);
        }
        let oversized = (!complete || self.buf.len() > self.max_line).then_some(len);
        if oversized.is_some() {
            self.buf.clear();
        }
        Ok(Some(Line {
            bytes: &self.buf,
            offset: start,
            number: self.number,
            oversized,
        }))
    }

    /// Reads through the next `\n`. Returns the bytes consumed and whether a terminator
    /// was seen. Keeps at most `max_line + 2` bytes (room for `\r\n`) in `buf` when
    /// `keep` is set.
    fn consume_line(&mut self, keep: bool) -> io::Result<(u64, bool)> {
        self.buf.clear();
        let mut consumed = 0u64;
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok((consumed, false));
            }
            let (chunk, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            if keep && self.buf.len() < self.max_line + 2 {
                let room = (self.max_line + 2 - self.buf.len()).min(chunk.len());
                self.buf.extend_from_slice(&chunk[..room]);
            }
            let n = chunk.len();
            consumed += n as u64;
            self.input.consume(n);
            if done {
                return Ok((consumed, true));
            }
        }
    }
}

fn trim_terminator(buf: &mut Vec<u8>) {
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(String, u64, u64, Option<u64>)> {
        let mut r = LineReader::new(input, 0, max);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push((
                String::from_utf8_lossy(l.bytes).into_owned(),
                l.offset,
                l.number,
                l.oversized,
            ));
        }
        out
    }

    #[test]
    fn splits_lines_with_offsets() {
        let got = lines(b"ab\r\ncd\n\nef", 100);
        assert_eq!(
            got,
            vec![
                ("ab".into(), 0, 1, None),
                ("cd".into(), 4, 2, None),
                ("".into(), 7, 3, None),
                ("ef".into(), 8, 4, None)
            ]
        );
    }

    #[test]
    fn oversized_lines_are_reported_not_buffered() {
        let mut input = vec![b'x'; 1000];
        input.extend_from_slice(b"\nok\n");
        let got = lines(&input, 10);
        assert_eq!(got[0], ("".into(), 0, 1, Some(1001)));
        assert_eq!(got[1], ("ok".into(), 1001, 2, None));
    }

    #[test]
    fn a_limit_hands_later_lines_to_the_next_unit() {
        let data = b"aaa\nbbb\nccc\n";
        let mut first = LineReader::new(&data[..], 0, 100).with_limit(5);
        let mut seen = Vec::new();
        while let Some(l) = first.next_line().unwrap() {
            seen.push(l.bytes.to_vec());
        }
        assert_eq!(seen, vec![b"aaa".to_vec(), b"bbb".to_vec()]);
        let mut second = LineReader::new(&data[4..], 4, 100);
        second.skip_partial_line().unwrap();
        assert_eq!(
            second.next_line().unwrap().map(|l| l.bytes.to_vec()),
            Some(b"ccc".to_vec())
        );
    }
}
