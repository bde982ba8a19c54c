//! Arrow record batches → records, shared by the Parquet and Arrow IPC readers.
//!
//! Every string leaf becomes a field whose path follows the nesting
//! (`messages[1].content`), the same paths the JSON readers produce, so findings point
//! at the same place whatever the storage format. Columnar formats have no raw record
//! bytes; a row's "exact" bytes are its fields serialised canonically (path, 0x1F,
//! text, 0x1E), so two rows with the same text fields are exact duplicates.

use std::borrow::Cow;
use std::fmt::Write as _;

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use arrow::datatypes::DataType;

use super::error::ErrorLocation;
use super::sink::RecordSink;
use super::too_large;
use crate::record::kind;
use crate::record::{Field, Record};

/// Wraps a batch iterator so a panic inside the decoding library (seen on fuzzed Arrow
/// files) ends the iteration with an error at the batch where it happened, instead of
/// unwinding through the scan.
pub fn contained<I>(batches: I) -> impl Iterator<Item = Result<RecordBatch, String>>
where
    I: Iterator<Item = Result<RecordBatch, arrow::error::ArrowError>>,
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

/// Emits every row of a batch. `first_ordinal` is the ordinal of the batch's first row
/// within the work unit. A row whose text is over `max_record` bytes is reported at
/// `at` and skipped, as an over-long JSONL line is.
pub fn emit_batch(
    batch: &RecordBatch,
    first_ordinal: u64,
    max_record: usize,
    at: &ErrorLocation,
    sink: &mut dyn RecordSink,
) {
    let schema = batch.schema();
    let kind = kind::classify(schema.fields().iter().map(|f| f.name().as_str()));
    let columns: Vec<(&str, ArrayRef)> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, c)| (f.name().as_str(), as_plain_strings(c)))
        .collect();
    let mut path = String::new();
    let mut raw = Vec::new();
    for row in 0..batch.num_rows() {
        let mut record = Record::new(first_ordinal + row as u64, kind.clone());
        for (name, column) in &columns {
            path.clear();
            path.push_str(name);
            walk(column.as_ref(), row, &mut path, &mut record.fields);
        }
        let text_bytes: usize = record.fields.iter().map(|f| f.text.len()).sum();
        if text_bytes > max_record {
            let location = ErrorLocation {
                row: Some(record.ordinal),
                ..at.clone()
            };
            sink.error(too_large(text_bytes as u64, location));
            continue;
        }
        canonical_bytes(&record.fields, &mut raw);
        record.raw = Cow::Borrowed(&raw);
        sink.record(&record);
    }
}

/// Dictionary-encoded string columns (common in Parquet) are decoded once per batch.
fn as_plain_strings(column: &ArrayRef) -> ArrayRef {
    if let DataType::Dictionary(_, value) = column.data_type()
        && matches!(
            value.as_ref(),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        )
        && let Ok(plain) = arrow::compute::cast(column, &DataType::Utf8)
    {
        return plain;
    }
    column.clone()
}

fn walk<'a>(array: &'a dyn Array, row: usize, path: &mut String, out: &mut Vec<Field<'a>>) {
    if array.is_null(row) {
        return;
    }
    let text = match array.data_type() {
        DataType::Utf8 => array.as_string_opt::<i32>().map(|a| a.value(row)),
        DataType::LargeUtf8 => array.as_string_opt::<i64>().map(|a| a.value(row)),
        DataType::Utf8View => array.as_string_view_opt().map(|a| a.value(row)),
        _ => None,
    };
    if let Some(text) = text {
        out.push(Field {
            path: Cow::Owned(path.clone()),
            text: Cow::Borrowed(text),
        });
        return;
    }
    match array.data_type() {
        DataType::List(_) => {
            if let Some(list) = array.as_list_opt::<i32>() {
                let offsets = list.value_offsets();
                walk_items(
                    list.values().as_ref(),
                    offsets[row] as usize,
                    offsets[row + 1] as usize,
                    path,
                    out,
                );
            }
        }
        DataType::LargeList(_) => {
            if let Some(list) = array.as_list_opt::<i64>() {
                let offsets = list.value_offsets();
                walk_items(
                    list.values().as_ref(),
                    offsets[row] as usize,
                    offsets[row + 1] as usize,
                    path,
                    out,
                );
            }
        }
        DataType::FixedSizeList(_, size) => {
            if let Some(list) = array.as_fixed_size_list_opt() {
                let size = *size as usize;
                walk_items(
                    list.values().as_ref(),
                    row * size,
                    (row + 1) * size,
                    path,
                    out,
                );
            }
        }
        DataType::Struct(fields) => {
            if let Some(st) = array.as_struct_opt() {
                let base = path.len();
                for (field, child) in fields.iter().zip(st.columns()) {
                    path.truncate(base);
                    path.push('.');
                    path.push_str(field.name());
                    walk(child.as_ref(), row, path, out);
                }
                path.truncate(base);
            }
        }
        DataType::Map(_, _) => {
            if let Some(map) = array.as_map_opt() {
                let offsets = map.value_offsets();
                let entries: &dyn Array = map.entries();
                walk_items(
                    entries,
                    offsets[row] as usize,
                    offsets[row + 1] as usize,
                    path,
                    out,
                );
            }
        }
        _ => {}
    }
}

fn walk_items<'a>(
    values: &'a dyn Array,
    start: usize,
    end: usize,
    path: &mut String,
    out: &mut Vec<Field<'a>>,
) {
    let base = path.len();
    for (index, item) in (start..end.min(values.len())).enumerate() {
        path.truncate(base);
        let _ = write!(path, "[{index}]");
        walk(values, item, path, out);
    }
    path.truncate(base);
}

fn canonical_bytes(fields: &[Field<'_>], out: &mut Vec<u8>) {
    out.clear();
    for field in fields {
        out.extend_from_slice(field.path.as_bytes());
        out.push(0x1f);
        out.extend_from_slice(field.text.as_bytes());
        out.push(0x1e);
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
        emit_batch(&batch, 10, 1000, &ErrorLocation::default(), &mut sink);
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
