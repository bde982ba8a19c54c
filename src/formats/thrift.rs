//! Just enough of the Thrift compact protocol to check the sizes a Parquet file
//! declares before the `parquet` crate allocates by them.
//!
//! The crate trusts some claims: a page header's `uncompressed_page_size` becomes a
//! `Vec::with_capacity` (2 GB from a 119 KB file), a schema element's `num_children`
//! another (2^30 children: 8 GB). Walking the same bytes first, without allocating
//! anything and checking every length against the bytes that are really there, turns
//! those claims into located errors.

use std::io::{self, BufRead, Read};

/// Field and element types of the compact protocol.
const STOP: u8 = 0;
const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;
const UUID: u8 = 13;

/// Nesting deeper than this is not a Parquet structure (the real ones nest about 6).
const MAX_DEPTH: usize = 64;

/// Why a walk stopped.
#[derive(Debug)]
pub enum WalkError {
    /// The bytes end (or a length points) past what is there.
    Truncated,
    /// Something no Parquet writer produces (unknown type, absurd nesting).
    Malformed(&'static str),
    /// The underlying read failed.
    Io(io::Error),
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalkError::Truncated => f.write_str("a length runs past the end of the file"),
            WalkError::Malformed(what) => f.write_str(what),
            WalkError::Io(e) => write!(f, "{e}"),
        }
    }
}

type Result<T> = std::result::Result<T, WalkError>;

/// A bounded byte stream: `remaining` is what the file really holds from here, so a
/// declared length is checked before anything is skipped or read.
pub struct Input<R> {
    inner: R,
    remaining: u64,
    consumed: u64,
}

impl<R: BufRead> Input<R> {
    /// A stream over `inner` that holds at most `remaining` more bytes.
    pub fn new(inner: R, remaining: u64) -> Self {
        Input {
            inner,
            remaining,
            consumed: 0,
        }
    }

    /// Bytes walked so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    fn byte(&mut self) -> Result<u8> {
        let mut b = [0u8; 1];
        self.take(1)?;
        self.inner.read_exact(&mut b).map_err(eof_or_io)?;
        Ok(b[0])
    }

    fn skip(&mut self, n: u64) -> Result<()> {
        self.take(n)?;
        let copied =
            io::copy(&mut (&mut self.inner).take(n), &mut io::sink()).map_err(WalkError::Io)?;
        if copied < n {
            return Err(WalkError::Truncated);
        }
        Ok(())
    }

    fn take(&mut self, n: u64) -> Result<()> {
        if n > self.remaining {
            return Err(WalkError::Truncated);
        }
        self.remaining -= n;
        self.consumed += n;
        Ok(())
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift.min(63);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(WalkError::Malformed("a varint longer than ten bytes"))
    }

    fn zigzag(&mut self) -> Result<i64> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// Reads a field header: `None` at the struct's end, else (field id, type).
    pub fn field(&mut self, last_id: i16) -> Result<Option<(i16, u8)>> {
        let header = self.byte()?;
        let kind = header & 0x0f;
        if kind == STOP {
            return Ok(None);
        }
        let delta = header >> 4;
        let id = if delta == 0 {
            i16::try_from(self.zigzag()?)
                .map_err(|_| WalkError::Malformed("a field id out of range"))?
        } else {
            last_id.wrapping_add(i16::from(delta))
        };
        Ok(Some((id, kind)))
    }

    /// An i32 value (for fields whose type the caller checked).
    pub fn i32(&mut self) -> Result<i64> {
        self.zigzag()
    }

    /// A list header: (element count, element type).
    pub fn list(&mut self) -> Result<(u64, u8)> {
        let header = self.byte()?;
        let short = u64::from(header >> 4);
        let size = if short == 15 { self.varint()? } else { short };
        // Every element takes at least one byte: a count over the bytes left is a lie.
        if size > self.remaining {
            return Err(WalkError::Truncated);
        }
        Ok((size, header & 0x0f))
    }

    /// Skips a value of type `kind`, checking every length on the way.
    pub fn skip_value(&mut self, kind: u8, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(WalkError::Malformed("structures nested too deeply"));
        }
        match kind {
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            BYTE => self.skip(1),
            I16 | I32 | I64 => self.varint().map(drop),
            DOUBLE => self.skip(8),
            BINARY => {
                let len = self.varint()?;
                self.skip(len)
            }
            UUID => self.skip(16),
            LIST | SET => {
                let (size, element) = self.list()?;
                self.skip_elements(size, element, depth)
            }
            MAP => {
                let size = self.varint()?;
                if size == 0 {
                    return Ok(());
                }
                if size > self.remaining {
                    return Err(WalkError::Truncated);
                }
                let types = self.byte()?;
                for _ in 0..size {
                    self.skip_element(types >> 4, depth)?;
                    self.skip_element(types & 0x0f, depth)?;
                }
                Ok(())
            }
            STRUCT => self.skip_struct(depth + 1),
            _ => Err(WalkError::Malformed("an unknown Thrift type")),
        }
    }

    /// Skips `size` list elements of type `element`.
    pub fn skip_elements(&mut self, size: u64, element: u8, depth: usize) -> Result<()> {
        (0..size).try_for_each(|_| self.skip_element(element, depth))
    }

    /// In lists and maps a boolean takes a byte of its own.
    fn skip_element(&mut self, kind: u8, depth: usize) -> Result<()> {
        match kind {
            BOOL_TRUE | BOOL_FALSE => self.skip(1),
            _ => self.skip_value(kind, depth + 1),
        }
    }

    /// Skips the rest of a struct, after its opening (structs have none).
    pub fn skip_struct(&mut self, depth: usize) -> Result<()> {
        let mut last = 0;
        while let Some((id, kind)) = self.field(last)? {
            self.skip_value(kind, depth)?;
            last = id;
        }
        Ok(())
    }
}

fn eof_or_io(e: io::Error) -> WalkError {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => WalkError::Truncated,
        _ => WalkError::Io(e),
    }
}

/// The sizes a page header declares.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PageSizes {
    /// Declared uncompressed size of the page, in bytes (checked before allocation).
    pub uncompressed: i64,
    /// Declared compressed size of the page, in bytes.
    pub compressed: i64,
}

/// Walks one `PageHeader` struct (fields 2 and 3 are the two sizes).
pub fn page_sizes<R: BufRead>(input: &mut Input<R>) -> Result<PageSizes> {
    let mut sizes = PageSizes::default();
    let mut last = 0;
    while let Some((id, kind)) = input.field(last)? {
        match (id, kind) {
            (2, I32) => sizes.uncompressed = input.i32()?,
            (3, I32) => sizes.compressed = input.i32()?,
            _ => input.skip_value(kind, 0)?,
        }
        last = id;
    }
    Ok(sizes)
}

/// What a `FileMetaData` footer claims that must be checked before the crate reads it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FooterClaims {
    /// The largest `num_children` any schema element claims.
    pub widest: i64,
    /// The number of schema elements.
    pub elements: u64,
    /// An `encryption_algorithm` (field 8): a plaintext footer over encrypted columns.
    pub encrypted_columns: bool,
}

/// Walks a `FileMetaData` footer for its [`FooterClaims`].
pub fn schema_children<R: BufRead>(input: &mut Input<R>) -> Result<FooterClaims> {
    let mut claims = FooterClaims::default();
    let mut last = 0;
    while let Some((id, kind)) = input.field(last)? {
        if (id, kind) == (2, LIST) {
            let (size, element) = input.list()?;
            if element != STRUCT {
                return Err(WalkError::Malformed("the schema is not a list of elements"));
            }
            claims.elements = size;
            for _ in 0..size {
                claims.widest = claims.widest.max(element_children(input)?);
            }
        } else {
            claims.encrypted_columns |= (id, kind) == (8, STRUCT);
            input.skip_value(kind, 0)?;
        }
        last = id;
    }
    Ok(claims)
}

/// A `SchemaElement`'s `num_children` (field 5), 0 when absent.
fn element_children<R: BufRead>(input: &mut Input<R>) -> Result<i64> {
    let mut children = 0;
    let mut last = 0;
    while let Some((id, kind)) = input.field(last)? {
        match (id, kind) {
            (5, I32) => children = input.i32()?,
            _ => input.skip_value(kind, 1)?,
        }
        last = id;
    }
    Ok(children)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(bytes: &[u8]) -> Input<&[u8]> {
        Input::new(bytes, bytes.len() as u64)
    }

    #[test]
    fn reads_the_sizes_of_a_page_header() {
        // type=0 (i32), uncompressed=100, compressed=60, then a data page header struct
        // holding num_values=3, then stop.
        let bytes = [
            0x15, 0x00, 0x15, 0xc8, 0x01, 0x15, 0x78, 0x2c, 0x15, 0x06, 0x00, 0x00,
        ];
        let sizes = page_sizes(&mut input(&bytes)).unwrap();
        assert_eq!(
            sizes,
            PageSizes {
                uncompressed: 100,
                compressed: 60
            }
        );
    }

    #[test]
    fn a_length_past_the_end_is_truncated_not_allocated() {
        // Field 1 as binary claiming 2^40 bytes.
        let bytes = [0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20];
        assert!(matches!(
            page_sizes(&mut input(&bytes)),
            Err(WalkError::Truncated)
        ));
        // A list claiming more elements than there are bytes.
        let bytes = [0x19, 0xfc, 0x80, 0x80, 0x80, 0x04];
        assert!(matches!(
            page_sizes(&mut input(&bytes)),
            Err(WalkError::Truncated)
        ));
    }

    #[test]
    fn finds_the_widest_schema_element() {
        // Field 2: list of 2 structs; the first has num_children (field 5) = 1, the
        // second has a name (field 4) "a".
        let bytes = [0x29, 0x2c, 0x55, 0x02, 0x00, 0x48, 0x01, b'a', 0x00, 0x00];
        let claims = schema_children(&mut input(&bytes)).unwrap();
        assert_eq!((claims.widest, claims.elements), (1, 2));
        assert!(!claims.encrypted_columns);
    }

    #[test]
    fn notices_encrypted_columns_under_a_plaintext_footer() {
        // The schema above, then field 8 (encryption_algorithm): an empty struct.
        let bytes = [
            0x29, 0x2c, 0x55, 0x02, 0x00, 0x48, 0x01, b'a', 0x00, 0x6c, 0x00, 0x00,
        ];
        assert!(
            schema_children(&mut input(&bytes))
                .unwrap()
                .encrypted_columns
        );
    }
}
