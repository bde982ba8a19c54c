//! Arrow record batches → records, shared by the Parquet and Arrow IPC readers.
//!
//! A row is handed on as the JSON readers hand on the same row written as JSON: every
//! column name is a key for kind detection whatever its type (so an integer `label`
//! makes a `labeled` record, a boolean one a KTO pair), every string leaf is a field
//! whose path follows the nesting (`messages[1].content`, `meta.lang`, a map's string
//! key as a JSON object key), and other values are not fields. So kinds, findings and
//! normalised fingerprints agree across storage formats.
//!
//! Columnar formats have no raw record bytes; a row's "exact" bytes are its values
//! serialised canonically in column order (path, 0x1F, value, 0x1E), strings as they
//! are and other values in their Arrow display form (`1`, `true`, `0.25`), as a JSONL
//! line holds every value of its record. Two rows are then exact duplicates only when
//! every column agrees, and a flat row serialises as the CSV reader serialises the same
//! row. Binary values (images, audio) are left out: decoding them to compare costs as
//! much as reading the file, and they carry no text.

use std::borrow::Cow;
use std::fmt::Write as _;

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, FixedSizeListArray, GenericListArray, LargeStringArray, MapArray,
    OffsetSizeTrait, RecordBatch, StringArray, StringViewArray, StructArray,
};
use arrow_schema::{DataType, Field as ArrowField, FieldRef, Schema};

mod scalar;

use super::error::ErrorLocation;
use super::sink::RecordSink;
use super::too_large;
use crate::record::kind::{self, RecordKind};
use crate::record::{Field, Record};

/// Separates a path from its value, and one value from the next, in a row's canonical
/// bytes (the same separators the CSV reader uses).
const UNIT_SEPARATOR: u8 = 0x1f;
const RECORD_SEPARATOR: u8 = 0x1e;

/// Wraps a batch iterator so a panic inside the decoding library (seen on fuzzed Arrow
/// files) ends the iteration with an error at the batch where it happened, instead of
/// unwinding through the scan.
pub fn contained<I>(batches: I) -> impl Iterator<Item = Result<RecordBatch, String>>
where
    I: Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>>,
{
    let mut batches = batches;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| batches.next()));
        match next {
            Ok(None) => None,
            Ok(Some(Ok(batch))) => Some(Ok(batch)),
            Ok(Some(Err(e))) => {
                done = true;
                Some(Err(e.to_string()))
            }
            Err(_) => {
                done = true;
                Some(Err(
                    "the decoding library crashed on this batch (contained); the file is malformed"
                        .into(),
                ))
            }
        }
    })
}

/// The kind of every row of a file, from all its column names: the file's whole
/// schema, not the columns a reader chose to decode (a JSON record's keys are its keys
/// whatever their values).
pub fn kind_of(schema: &Schema) -> RecordKind {
    kind::classify(schema.fields().iter().map(|f| f.name().as_str()))
}

/// Emits every row of a batch as a record of `kind`. `first_ordinal` is the ordinal of
/// the batch's first row within the work unit. A row whose text is over `max_record`
/// bytes is reported at `at` and skipped, as an over-long JSONL line is.
pub fn emit_batch(
    batch: &RecordBatch,
    kind: &RecordKind,
    first_ordinal: u64,
    max_record: usize,
    at: &ErrorLocation,
    sink: &mut dyn RecordSink,
) {
    let schema = batch.schema();
    let plain: Vec<ArrayRef> = batch.columns().iter().map(decoded).collect();
    let columns = nodes(&schema, &plain);
    let mut path = String::new();
    let mut raw = Vec::new();
    let mut width = 0;
    for row in 0..batch.num_rows() {
        let mut record = Record::new(first_ordinal + row as u64, kind.clone());
        // One allocation per row, sized by the previous row, as the JSON walker's.
        record.fields = Vec::with_capacity(width);
        raw.clear();
        let mut out = RowOut {
            path: &mut path,
            raw: &mut raw,
            fields: &mut record.fields,
        };
        columns
            .iter()
            .for_each(|(name, node)| node.emit_column(name, row, &mut out));
        width = record.fields.len();
        let text_bytes: usize = record.fields.iter().map(|f| f.text.len()).sum();
        if text_bytes > max_record {
            let location = ErrorLocation {
                row: Some(record.ordinal),
                ..at.clone()
            };
            sink.error(too_large(text_bytes as u64, location));
            continue;
        }
        record.raw = Cow::Borrowed(&raw);
        sink.record(&record);
    }
}

/// Each column's name and walker, resolved once per batch.
fn nodes<'a>(schema: &'a Schema, columns: &'a [ArrayRef]) -> Vec<(&'a str, Node<'a>)> {
    schema
        .fields()
        .iter()
        .zip(columns)
        .map(|(f, c)| (f.name().as_str(), Node::of(c.as_ref())))
        .collect()
}

/// A column as the walker can read it: dictionaries decoded, once per batch rather
/// than per row, at any depth (a list of dictionary strings is a list of strings).
/// Unchanged, and not copied, when there is none; a dictionary that cannot be decoded
/// (keys out of range in a damaged file) is left as it is and walked as unsupported.
fn decoded(column: &ArrayRef) -> ArrayRef {
    decode(column).unwrap_or_else(|| column.clone())
}

fn has_dictionary(data_type: &DataType) -> bool {
    match data_type {
        DataType::Dictionary(_, _) => true,
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            has_dictionary(f.data_type())
        }
        DataType::Map(f, _) => has_dictionary(f.data_type()),
        DataType::Struct(fields) => fields.iter().any(|f| has_dictionary(f.data_type())),
        _ => false,
    }
}

/// Rebuilds `column` with its dictionaries replaced by their values.
fn decode(column: &ArrayRef) -> Option<ArrayRef> {
    if !has_dictionary(column.data_type()) {
        return Some(column.clone());
    }
    let retyped = |f: &FieldRef, values: &ArrayRef| -> FieldRef {
        Arc::new(ArrowField::clone(f).with_data_type(values.data_type().clone()))
    };
    Some(match column.data_type() {
        DataType::Dictionary(_, _) => {
            let dictionary = column.as_any_dictionary_opt()?;
            let values = arrow_select::take::take(dictionary.values(), dictionary.keys(), None);
            decode(&values.ok()?)?
        }
        DataType::List(f) => decode_list(f, column.as_list_opt::<i32>()?)?,
        DataType::LargeList(f) => decode_list(f, column.as_list_opt::<i64>()?)?,
        DataType::FixedSizeList(f, size) => {
            let list = column.as_fixed_size_list_opt()?;
            let values = decode(list.values())?;
            let nulls = list.nulls().cloned();
            let field = retyped(f, &values);
            Arc::new(FixedSizeListArray::try_new(field, *size, values, nulls).ok()?)
        }
        DataType::Struct(_) => Arc::new(decode_struct(column.as_struct_opt()?)?),
        DataType::Map(f, sorted) => {
            let map = column.as_map_opt()?;
            let entries = decode_struct(map.entries())?;
            let field = Arc::new(ArrowField::clone(f).with_data_type(entries.data_type().clone()));
            let offsets = map.offsets().clone();
            let nulls = map.nulls().cloned();
            Arc::new(MapArray::try_new(field, offsets, entries, nulls, *sorted).ok()?)
        }
        _ => column.clone(),
    })
}

fn decode_list<O: OffsetSizeTrait>(f: &FieldRef, list: &GenericListArray<O>) -> Option<ArrayRef> {
    let values = decode(list.values())?;
    let field = Arc::new(ArrowField::clone(f).with_data_type(values.data_type().clone()));
    let offsets = list.offsets().clone();
    let nulls = list.nulls().cloned();
    let decoded = GenericListArray::<O>::try_new(field, offsets, values, nulls).ok()?;
    Some(Arc::new(decoded))
}

fn decode_struct(array: &StructArray) -> Option<StructArray> {
    let columns = array
        .columns()
        .iter()
        .map(decode)
        .collect::<Option<Vec<_>>>()?;
    let fields = array
        .fields()
        .iter()
        .zip(&columns)
        .map(|(f, c)| Arc::new(ArrowField::clone(f).with_data_type(c.data_type().clone())))
        .collect::<Vec<FieldRef>>();
    let nulls = array.nulls().cloned();
    StructArray::try_new(fields.into(), columns, nulls).ok()
}

/// What walking one row writes to: the path of the value being walked, the row's
/// canonical bytes and its text fields.
struct RowOut<'o, 'a> {
    path: &'o mut String,
    raw: &'o mut Vec<u8>,
    fields: &'o mut Vec<Field<'a>>,
}

impl<'a> RowOut<'_, 'a> {
    /// A text field at `path` (the current path), in the fields and the canonical bytes.
    fn text(&mut self, path: Cow<'a, str>, text: &'a str) {
        self.raw_entry(|raw| {
            raw.extend_from_slice(text.as_bytes());
            true
        });
        self.fields.push(Field {
            path,
            text: Cow::Borrowed(text),
        });
    }

    /// Appends one value's canonical bytes: path, unit separator, `value`.
    fn raw_entry(&mut self, write: impl FnOnce(&mut Vec<u8>) -> bool) {
        let start = self.raw.len();
        self.raw.extend_from_slice(self.path.as_bytes());
        self.raw.push(UNIT_SEPARATOR);
        if write(self.raw) {
            self.raw.push(RECORD_SEPARATOR);
        } else {
            self.raw.truncate(start);
        }
    }
}

/// The string arrays a text leaf can be.
enum Strings<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
}

impl<'a> Strings<'a> {
    fn of(array: &'a dyn Array) -> Option<Self> {
        match array.data_type() {
            DataType::Utf8 => array.as_string_opt::<i32>().map(Strings::Utf8),
            DataType::LargeUtf8 => array.as_string_opt::<i64>().map(Strings::Large),
            DataType::Utf8View => array.as_string_view_opt().map(Strings::View),
            _ => None,
        }
    }

    fn get(&self, row: usize) -> Option<&'a str> {
        match self {
            Strings::Utf8(a) => (!a.is_null(row)).then(|| a.value(row)),
            Strings::Large(a) => (!a.is_null(row)).then(|| a.value(row)),
            Strings::View(a) => (!a.is_null(row)).then(|| a.value(row)),
        }
    }
}

/// Where a list row's items sit in its child array.
enum Items<'a> {
    Small(&'a [i32]),
    Large(&'a [i64]),
    Fixed(&'a FixedSizeListArray),
}

impl Items<'_> {
    /// The child range of `row`, empty when the offsets are out of order or negative.
    fn range(&self, row: usize, len: usize) -> std::ops::Range<usize> {
        let (start, end) = match self {
            Items::Small(o) => (to_index(o[row]), to_index(o[row + 1])),
            Items::Large(o) => (to_index(o[row]), to_index(o[row + 1])),
            Items::Fixed(list) => {
                let start = list.value_offset_at(row);
                (
                    start,
                    start.saturating_add(list.value_length().max(0) as usize),
                )
            }
        };
        start.min(len)..end.min(len)
    }
}

fn to_index<O: TryInto<usize>>(offset: O) -> usize {
    offset.try_into().unwrap_or(0)
}

/// One column of a batch, resolved once per batch so rows are walked without looking
/// at data types again.
enum Node<'a> {
    /// A string leaf: a text field.
    Text(Strings<'a>),
    /// Any other scalar (numbers, booleans, dates, decimals): in the canonical bytes only.
    Value(&'a dyn Array),
    List(&'a dyn Array, Items<'a>, Box<Node<'a>>),
    Struct(&'a StructArray, Vec<(&'a str, Node<'a>)>),
    /// A map: keys become path segments, as a JSON object's keys do.
    Map(&'a MapArray, Box<Node<'a>>, Box<Node<'a>>),
    /// Binary, null-typed and unsupported columns.
    Skip,
}

impl<'a> Node<'a> {
    fn of(array: &'a dyn Array) -> Self {
        if let Some(strings) = Strings::of(array) {
            return Node::Text(strings);
        }
        let child = |a: &'a ArrayRef| Box::new(Node::of(a.as_ref()));
        match array.data_type() {
            DataType::List(_) => array
                .as_list_opt::<i32>()
                .map_or(Node::Skip, |l| list(l, Items::Small(l.value_offsets()))),
            DataType::LargeList(_) => array
                .as_list_opt::<i64>()
                .map_or(Node::Skip, |l| list(l, Items::Large(l.value_offsets()))),
            DataType::FixedSizeList(_, _) => {
                array.as_fixed_size_list_opt().map_or(Node::Skip, |l| {
                    Node::List(array, Items::Fixed(l), child(l.values()))
                })
            }
            DataType::Struct(fields) => array.as_struct_opt().map_or(Node::Skip, |s| {
                let children = fields.iter().zip(s.columns());
                Node::Struct(
                    s,
                    children
                        .map(|(f, c)| (f.name().as_str(), Node::of(c.as_ref())))
                        .collect(),
                )
            }),
            DataType::Map(_, _) => array.as_map_opt().map_or(Node::Skip, |m| {
                Node::Map(m, child(m.keys()), child(m.values()))
            }),
            t if scalar::is_scalar(t) => Node::Value(array),
            _ => Node::Skip,
        }
    }

    /// Emits a top-level column: a string there takes the column name as its path
    /// without allocating, as a top-level JSON key does.
    fn emit_column(&self, name: &'a str, row: usize, out: &mut RowOut<'_, 'a>) {
        out.path.clear();
        out.path.push_str(name);
        if let Node::Text(strings) = self {
            if let Some(text) = strings.get(row) {
                out.text(Cow::Borrowed(name), text);
            }
            return;
        }
        self.emit(row, out);
    }

    /// Emits the value at `row` under the path in `out`.
    fn emit(&self, row: usize, out: &mut RowOut<'_, 'a>) {
        match self {
            Node::Text(strings) => {
                if let Some(text) = strings.get(row) {
                    out.text(Cow::Owned(out.path.clone()), text);
                }
            }
            Node::Value(array) => {
                if !array.is_null(row) {
                    out.raw_entry(|raw| scalar::write_value(*array, row, &mut ByteWriter(raw)));
                }
            }
            Node::List(array, items, values) => {
                if !array.is_null(row) {
                    let range = items.range(row, values.len());
                    emit_items(values, range, out);
                }
            }
            Node::Struct(array, children) => {
                if !array.is_null(row) {
                    let base = out.path.len();
                    for (name, child) in children {
                        out.path.truncate(base);
                        out.path.push('.');
                        out.path.push_str(name);
                        child.emit(row, out);
                    }
                    out.path.truncate(base);
                }
            }
            Node::Map(array, keys, values) => {
                if !array.is_null(row) {
                    let offsets = array.value_offsets();
                    let range = Items::Small(offsets).range(row, values.len());
                    emit_entries(keys, values, range, out);
                }
            }
            Node::Skip => {}
        }
    }

    /// Rows in the node's array (for bounding list ranges).
    fn len(&self) -> usize {
        match self {
            Node::Text(Strings::Utf8(a)) => a.len(),
            Node::Text(Strings::Large(a)) => a.len(),
            Node::Text(Strings::View(a)) => a.len(),
            Node::Value(a) | Node::List(a, _, _) => a.len(),
            Node::Struct(a, _) => a.len(),
            Node::Map(a, _, _) => a.len(),
            Node::Skip => 0,
        }
    }

    /// Writes a map key at `row` as a path segment; false when it has no text form.
    fn write_key(&self, row: usize, path: &mut String) -> bool {
        match self {
            Node::Text(strings) => strings.get(row).is_some_and(|key| {
                path.push_str(key);
                true
            }),
            Node::Value(array) => !array.is_null(row) && scalar::write_value(*array, row, path),
            _ => false,
        }
    }
}

fn list<'a, O: OffsetSizeTrait>(array: &'a GenericListArray<O>, items: Items<'a>) -> Node<'a> {
    Node::List(array, items, Box::new(Node::of(array.values().as_ref())))
}

fn emit_items<'a>(values: &Node<'a>, range: std::ops::Range<usize>, out: &mut RowOut<'_, 'a>) {
    let base = out.path.len();
    for (index, item) in range.enumerate() {
        out.path.truncate(base);
        let _ = write!(out.path, "[{index}]");
        values.emit(item, out);
    }
    out.path.truncate(base);
}

/// A map's entries under `key` path segments (`meta.lang`); an entry whose key has no
/// text form falls back to its index (`meta[0]`).
fn emit_entries<'a>(
    keys: &Node<'a>,
    values: &Node<'a>,
    range: std::ops::Range<usize>,
    out: &mut RowOut<'_, 'a>,
) {
    let base = out.path.len();
    for (index, entry) in range.enumerate() {
        out.path.truncate(base);
        out.path.push('.');
        if !keys.write_key(entry, out.path) {
            out.path.truncate(base);
            let _ = write!(out.path, "[{index}]");
        }
        values.emit(entry, out);
    }
    out.path.truncate(base);
}

/// Lets a value's display form be written straight into the canonical bytes.
struct ByteWriter<'b>(&'b mut Vec<u8>);

impl std::fmt::Write for ByteWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{ListArray, StringArray, StructArray};
    use arrow::datatypes::{Field as ArrowField, Fields, Schema};

    use super::*;
    use crate::formats::sink::CollectSink;
    use crate::record::kind::RecordKind;

    #[test]
    fn nested_messages_become_paths() {
        let role = Arc::new(StringArray::from(vec!["user", "assistant", "user"])) as ArrayRef;
        let content =
            Arc::new(StringArray::from(vec![Some("hi"), Some("hello"), None])) as ArrayRef;
        let fields = Fields::from(vec![
            ArrowField::new("role", DataType::Utf8, true),
            ArrowField::new("content", DataType::Utf8, true),
        ]);
        let structs = StructArray::new(fields.clone(), vec![role, content], None);
        let item = Arc::new(ArrowField::new("item", DataType::Struct(fields), true));
        let offsets = arrow::buffer::OffsetBuffer::from_lengths([2, 1]);
        let list = ListArray::new(item.clone(), offsets, Arc::new(structs), None);
        let schema = Arc::new(Schema::new(vec![ArrowField::new(
            "messages",
            DataType::List(item),
            true,
        )]));
        let batch = RecordBatch::try_new(schema, vec![Arc::new(list)]).unwrap();
        let mut sink = CollectSink::default();
        let kind = kind_of(&batch.schema());
        emit_batch(
            &batch,
            &kind,
            10,
            1000,
            &ErrorLocation::default(),
            &mut sink,
        );
        assert_eq!(sink.records.len(), 2);
        assert_eq!(sink.records[0].kind, RecordKind::Chat);
        assert_eq!(sink.records[0].ordinal, 10);
        assert_eq!(
            sink.records[0].fields,
            vec![
                ("messages[0].role".to_string(), "user".to_string()),
                ("messages[0].content".to_string(), "hi".to_string()),
                ("messages[1].role".to_string(), "assistant".to_string()),
                ("messages[1].content".to_string(), "hello".to_string()),
            ]
        );
        assert_eq!(
            sink.records[1].fields,
            vec![("messages[0].role".to_string(), "user".to_string())]
        );
    }
}

#[cfg(test)]
mod value_tests {
    use std::sync::Arc;

    use arrow::array::builder::{ListBuilder, MapBuilder, StringBuilder, StringDictionaryBuilder};
    use arrow::array::{BinaryArray, BooleanArray, Float64Array, Int64Array, TimestampSecondArray};
    use arrow::datatypes::Int32Type;

    use super::*;
    use crate::formats::error::ReadError;
    use crate::formats::sink::CollectSink;

    /// Keeps each record's canonical bytes beside what `CollectSink` keeps.
    #[derive(Default)]
    struct RawSink {
        raws: Vec<Vec<u8>>,
        collect: CollectSink,
    }

    impl RecordSink for RawSink {
        fn record(&mut self, record: &Record<'_>) {
            self.raws.push(record.raw.to_vec());
            self.collect.record(record);
        }
        fn error(&mut self, error: ReadError) {
            self.collect.error(error);
        }
    }

    fn emit(columns: Vec<(&str, ArrayRef)>) -> RawSink {
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        let mut sink = RawSink::default();
        let kind = kind_of(&batch.schema());
        emit_batch(
            &batch,
            &kind,
            0,
            1 << 20,
            &ErrorLocation::default(),
            &mut sink,
        );
        sink
    }

    #[test]
    fn typed_values_name_the_kind_and_enter_the_canonical_bytes() {
        let sink = emit(vec![
            (
                "text",
                Arc::new(StringArray::from(vec!["hi", "ho"])) as ArrayRef,
            ),
            ("label", Arc::new(Int64Array::from(vec![3, -1]))),
            ("ok", Arc::new(BooleanArray::from(vec![true, false]))),
            ("score", Arc::new(Float64Array::from(vec![Some(0.5), None]))),
            (
                "blob",
                Arc::new(BinaryArray::from(vec![&b"\x00"[..], b"\x01"])),
            ),
        ]);
        let records = &sink.collect.records;
        assert_eq!(records[0].kind, RecordKind::Labeled);
        assert_eq!(records[0].fields, vec![("text".into(), "hi".into())]);
        assert_eq!(
            sink.raws[0],
            b"text\x1fhi\x1elabel\x1f3\x1eok\x1ftrue\x1escore\x1f0.5\x1e".to_vec()
        );
        assert_eq!(
            sink.raws[1],
            b"text\x1fho\x1elabel\x1f-1\x1eok\x1ffalse\x1e".to_vec(),
            "a null is no value, and binary values are left out"
        );
    }

    #[test]
    fn string_only_rows_keep_their_canonical_bytes() {
        let sink = emit(vec![
            ("prompt", Arc::new(StringArray::from(vec!["p"])) as ArrayRef),
            ("response", Arc::new(StringArray::from(vec!["r"]))),
        ]);
        assert_eq!(sink.raws[0], b"prompt\x1fp\x1eresponse\x1fr\x1e".to_vec());
    }

    #[test]
    fn map_keys_are_path_segments_as_json_object_keys_are() {
        let mut map = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
        map.keys().append_value("lang");
        map.values().append_value("en");
        map.append(true).unwrap();
        let sink = emit(vec![("meta", Arc::new(map.finish()) as ArrayRef)]);
        assert_eq!(
            sink.collect.records[0].fields,
            vec![("meta.lang".into(), "en".into())]
        );
    }

    #[test]
    fn timestamps_in_named_zones_are_written_in_utc() {
        let at = TimestampSecondArray::from(vec![86_400]).with_timezone("Europe/Paris");
        let sink = emit(vec![
            ("text", Arc::new(StringArray::from(vec!["t"])) as ArrayRef),
            ("at", Arc::new(at)),
        ]);
        assert_eq!(
            sink.raws[0],
            b"text\x1ft\x1eat\x1f1970-01-02T00:00:00Z\x1e".to_vec()
        );
    }

    #[test]
    fn dictionary_strings_inside_lists_are_read() {
        let mut tags = ListBuilder::new(StringDictionaryBuilder::<Int32Type>::new());
        tags.values().append_value("geo");
        tags.values().append_value("rivers");
        tags.append(true);
        let sink = emit(vec![("tags", Arc::new(tags.finish()) as ArrayRef)]);
        assert_eq!(
            sink.collect.records[0].fields,
            vec![
                ("tags[0]".into(), "geo".into()),
                ("tags[1]".into(), "rivers".into())
            ]
        );
    }
}
