//! Ledger rows to an Arrow record batch, by the schema's `DataType`s.
//!
//! Each row is serialised to a `serde_json::Value`, then every column is built from the
//! rows' values at its path, recursively, so a new ledger column needs only a schema
//! entry. A `Value` object holds its members sorted by name (no `preserve_order`), so a
//! map column's entries come in key-text order: the order of `ledger.jsonl` as long as
//! the ledger's map keys order as their text, which `String`s and wire enums do.
//!
//! Nulls follow the schema as `arrow-json`, which wrote the ledger before, read it: a
//! missing key or `null` is a null; the children of a null struct are null even when
//! declared non-nullable; a non-nullable value that is missing or null elsewhere, or a
//! value of another type, is an error naming the column's path.

use std::sync::Arc;

use anyhow::{Context, bail};
use arrow_array::types::{
    ArrowPrimitiveType, Float64Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt32Type, UInt64Type,
};
use arrow_array::{
    ArrayRef, BooleanArray, ListArray, MapArray, PrimitiveArray, RecordBatch, RecordBatchOptions,
    StringArray, StructArray,
};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{DataType, FieldRef, Fields, SchemaRef, TimeUnit};
use serde_json::{Map, Value};

use super::super::row::LedgerRow;
use crate::civil::parse_rfc3339;

/// One value per row at a column's path: `None` where the row has no such key (or its
/// parent is null).
type Cells<'a> = [Option<&'a Value>];

/// See [`super::record_batch`].
pub fn record_batch(schema: &SchemaRef, rows: &[LedgerRow]) -> anyhow::Result<RecordBatch> {
    let values = rows
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<Value>, _>>()?;
    let cells: Vec<Option<&Value>> = values.iter().map(Some).collect();
    let objects = objects("", &cells)?;
    let columns = children("", schema.fields(), false, &objects)?;
    let options = RecordBatchOptions::new().with_row_count(Some(rows.len()));
    Ok(RecordBatch::try_new_with_options(
        schema.clone(),
        columns,
        &options,
    )?)
}

/// The column at `path` of type `data_type`; `nullable` is the field's nullability or
/// an ancestor struct's, whose nulls make its children null.
fn column(
    path: &str,
    data_type: &DataType,
    nullable: bool,
    cells: &Cells<'_>,
) -> anyhow::Result<ArrayRef> {
    if !nullable && let Some(row) = cells.iter().position(|c| is_null(*c)) {
        return Err(missing(path, row));
    }
    Ok(match data_type {
        DataType::Utf8 => Arc::new(StringArray::from(leaves(
            path,
            cells,
            "a string",
            Value::as_str,
        )?)),
        DataType::Boolean => Arc::new(BooleanArray::from(leaves(
            path,
            cells,
            "a boolean",
            Value::as_bool,
        )?)),
        DataType::UInt64 => integers::<UInt64Type>(path, data_type, cells)?,
        DataType::UInt32 => integers::<UInt32Type>(path, data_type, cells)?,
        DataType::Int64 => integers::<Int64Type>(path, data_type, cells)?,
        DataType::Float64 => {
            primitive::<Float64Type>(data_type, leaves(path, cells, "a number", Value::as_f64)?)
        }
        DataType::Timestamp(unit, _) => timestamps(path, data_type, *unit, cells)?,
        DataType::Struct(fields) => structs(path, fields, nullable, cells)?,
        DataType::List(item) => lists(path, item, cells)?,
        DataType::Map(entries, sorted) => maps(path, entries, *sorted, cells)?,
        other => bail!(
            "ledger column `{path}` has the Arrow type {other}, which the ledger.parquet \
             writer does not convert; give the column a supported type or add one to \
             ledger::parquet::convert"
        ),
    })
}

fn is_null(cell: Option<&Value>) -> bool {
    matches!(cell, None | Some(Value::Null))
}

/// The JSON kind, for errors (never the value: ledger values name files).
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn missing(path: &str, row: usize) -> anyhow::Error {
    anyhow::anyhow!(
        "ledger column `{path}` is missing or null in row {row}, but the schema \
         (ledger::parquet) declares it non-nullable"
    )
}

fn mismatch(path: &str, row: usize, value: &Value, expected: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "ledger column `{path}` holds {} in row {row} where the schema (ledger::parquet) \
         wants {expected}",
        kind(value)
    )
}

/// Each cell's value by `value`, nulls kept; a cell `value` rejects is a type error.
fn leaves<'a, T>(
    path: &str,
    cells: &Cells<'a>,
    expected: &str,
    value: impl Fn(&'a Value) -> Option<T>,
) -> anyhow::Result<Vec<Option<T>>> {
    cells
        .iter()
        .enumerate()
        .map(|(row, cell)| match cell {
            None | Some(Value::Null) => Ok(None),
            Some(v) => value(v)
                .map(Some)
                .ok_or_else(|| mismatch(path, row, v, expected)),
        })
        .collect()
}

fn primitive<T: ArrowPrimitiveType>(
    data_type: &DataType,
    values: Vec<Option<T::Native>>,
) -> ArrayRef {
    // `with_data_type` keeps a timestamp's time zone; callers pass the type `T` is.
    Arc::new(PrimitiveArray::<T>::from_iter(values).with_data_type(data_type.clone()))
}

fn integers<T>(path: &str, data_type: &DataType, cells: &Cells<'_>) -> anyhow::Result<ArrayRef>
where
    T: ArrowPrimitiveType,
    T::Native: TryFrom<u64> + TryFrom<i64>,
{
    let expected = format!("an integer that fits {data_type}");
    let values = leaves(path, cells, &expected, |value| {
        let Value::Number(n) = value else { return None };
        match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => T::Native::try_from(u).ok(),
            (None, Some(i)) => T::Native::try_from(i).ok(),
            (None, None) => None,
        }
    })?;
    Ok(primitive::<T>(data_type, values))
}

/// From the RFC 3339 UTC text provaudit writes; finer digits than `unit` are cut
/// towards the past, as `arrow-json` (chrono) did.
fn timestamps(
    path: &str,
    data_type: &DataType,
    unit: TimeUnit,
    cells: &Cells<'_>,
) -> anyhow::Result<ArrayRef> {
    let per_unit: i128 = match unit {
        TimeUnit::Second => 1_000_000_000,
        TimeUnit::Millisecond => 1_000_000,
        TimeUnit::Microsecond => 1_000,
        TimeUnit::Nanosecond => 1,
    };
    let expected = "an RFC 3339 UTC time (YYYY-MM-DDThh:mm:ss[.fraction]Z) in range";
    let values = leaves(path, cells, expected, |value| {
        let nanos = parse_rfc3339(value.as_str()?)?;
        i64::try_from(nanos.div_euclid(per_unit)).ok()
    })?;
    Ok(match unit {
        TimeUnit::Second => primitive::<TimestampSecondType>(data_type, values),
        TimeUnit::Millisecond => primitive::<TimestampMillisecondType>(data_type, values),
        TimeUnit::Microsecond => primitive::<TimestampMicrosecondType>(data_type, values),
        TimeUnit::Nanosecond => primitive::<TimestampNanosecondType>(data_type, values),
    })
}

/// A row's object: its members by name.
type Object = Map<String, Value>;

/// The members of each object cell (`None` for a null one).
fn objects<'a>(path: &str, cells: &Cells<'a>) -> anyhow::Result<Vec<Option<&'a Object>>> {
    cells
        .iter()
        .enumerate()
        .map(|(row, cell)| match cell {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(members)) => Ok(Some(members)),
            Some(value) => Err(mismatch(path, row, value, "an object")),
        })
        .collect()
}

fn structs(
    path: &str,
    fields: &Fields,
    nullable: bool,
    cells: &Cells<'_>,
) -> anyhow::Result<ArrayRef> {
    let objects = objects(path, cells)?;
    let columns = children(path, fields, nullable, &objects)?;
    let nulls = validity(objects.iter().map(Option::is_some));
    Ok(Arc::new(StructArray::try_new_with_length(
        fields.clone(),
        columns,
        nulls,
        cells.len(),
    )?))
}

/// A struct's child columns. A non-nullable child must be present wherever its
/// parent is; under a null parent it is null whatever it is declared.
fn children(
    path: &str,
    fields: &Fields,
    nullable: bool,
    objects: &[Option<&Object>],
) -> anyhow::Result<Vec<ArrayRef>> {
    fields
        .iter()
        .map(|field| {
            let path = if path.is_empty() {
                field.name().clone()
            } else {
                format!("{path}.{}", field.name())
            };
            let cells: Vec<Option<&Value>> = objects
                .iter()
                .map(|members| members.and_then(|m| m.get(field.name())))
                .collect();
            if !field.is_nullable()
                && let Some(row) =
                    (0..cells.len()).find(|&r| objects[r].is_some() && is_null(cells[r]))
            {
                return Err(missing(&path, row));
            }
            column(
                &path,
                field.data_type(),
                nullable || field.is_nullable(),
                &cells,
            )
        })
        .collect()
}

/// `None` when every row is valid, as Arrow's builders leave it.
fn validity(valid: impl Iterator<Item = bool>) -> Option<NullBuffer> {
    let nulls = NullBuffer::from_iter(valid);
    (nulls.null_count() > 0).then_some(nulls)
}

fn offsets(path: &str, lengths: Vec<usize>) -> anyhow::Result<OffsetBuffer<i32>> {
    OffsetBuffer::try_from_lengths(lengths)
        .with_context(|| format!("ledger column `{path}` holds too many values for one batch"))
}

fn lists(path: &str, item: &FieldRef, cells: &Cells<'_>) -> anyhow::Result<ArrayRef> {
    let mut lengths = Vec::with_capacity(cells.len());
    let mut items: Vec<Option<&Value>> = Vec::new();
    for (row, cell) in cells.iter().enumerate() {
        match cell {
            None | Some(Value::Null) => lengths.push(0),
            Some(Value::Array(values)) => {
                lengths.push(values.len());
                items.extend(values.iter().map(Some));
            }
            Some(value) => return Err(mismatch(path, row, value, "a list")),
        }
    }
    let values = column(
        &format!("{path}[]"),
        item.data_type(),
        item.is_nullable(),
        &items,
    )?;
    Ok(Arc::new(ListArray::try_new(
        item.clone(),
        offsets(path, lengths)?,
        values,
        validity(cells.iter().map(|c| !is_null(*c))),
    )?))
}

/// A map column from objects, entries in key order. Keys are text, as JSON's.
fn maps(
    path: &str,
    entries: &FieldRef,
    sorted: bool,
    cells: &Cells<'_>,
) -> anyhow::Result<ArrayRef> {
    let DataType::Struct(pair) = entries.data_type() else {
        bail!("ledger column `{path}`: a map's entries must be a struct of key and value");
    };
    let [key, value] = pair.iter().collect::<Vec<_>>()[..] else {
        bail!("ledger column `{path}`: a map's entries must be a struct of key and value");
    };
    if key.data_type() != &DataType::Utf8 {
        bail!("ledger column `{path}`: map keys must be Utf8 (JSON object keys are text)");
    }
    let objects = objects(path, cells)?;
    let members = || objects.iter().flatten().flat_map(|m| m.iter());
    let keys: ArrayRef = Arc::new(StringArray::from_iter_values(members().map(|(k, _)| k)));
    let values: Vec<Option<&Value>> = members().map(|(_, v)| Some(v)).collect();
    let values = column(
        &format!("{path}.value"),
        value.data_type(),
        value.is_nullable(),
        &values,
    )?;
    let lengths = objects.iter().map(|m| m.map_or(0, Map::len)).collect();
    Ok(Arc::new(MapArray::try_new(
        entries.clone(),
        offsets(path, lengths)?,
        StructArray::try_new(pair.clone(), vec![keys, values], None)?,
        validity(objects.iter().map(Option::is_some)),
        sorted,
    )?))
}

#[cfg(test)]
mod tests {
    use super::super::{BATCH_ROWS, schema_with, with_contamination_field, with_safety_field};
    use super::*;
    use arrow_schema::{Field, Schema};

    /// The batch `arrow-json`'s serde decoder, which wrote `ledger.parquet` before,
    /// makes of the rows.
    fn by_arrow_json(schema: &SchemaRef, rows: &[LedgerRow]) -> RecordBatch {
        let mut decoder = arrow::json::ReaderBuilder::new(schema.clone())
            .with_batch_size(BATCH_ROWS)
            .build_decoder()
            .unwrap();
        decoder.serialize(rows).unwrap();
        decoder.flush().unwrap().unwrap()
    }

    fn full_schema() -> SchemaRef {
        with_contamination_field(&with_safety_field(&schema_with(true)))
    }

    fn assert_same_batches(schema: &SchemaRef, rows: &[LedgerRow]) {
        let ours = record_batch(schema, rows).unwrap();
        let theirs = by_arrow_json(schema, rows);
        assert_eq!(ours.num_rows(), rows.len());
        for (i, field) in schema.fields().iter().enumerate() {
            assert_eq!(
                ours.column(i).to_data(),
                theirs.column(i).to_data(),
                "column {}",
                field.name()
            );
        }
        assert_eq!(ours, theirs);
    }

    /// Every block of a row at once, with nulls, empty and nested maps, enum-keyed maps,
    /// a time with nanoseconds (and one before 1970, whose fraction rounds down).
    const FULL: &str = r#"{
        "path": "sft/a.jsonl", "root": "data", "source": "web", "stage": "finetune",
        "stage_basis": "declared", "split": "train", "format": "jsonl",
        "compression": "gzip", "modality": "text", "role": "data", "bytes": 1234,
        "sha256": "ab12", "modified": "2025-03-04T05:06:07.123456789Z",
        "status": "partial", "skip_reason": null, "error_count": 2,
        "first_error": {"kind": "syntax", "message": "bad line",
                        "location": {"line": 7, "byte_offset": 99, "row": 3}},
        "records": 40,
        "record_kinds": {"instruction": 30, "chat": 10, "text": 0},
        "characters": 5000, "estimated_tokens": 1300,
        "languages": {"zh": {"records": 20, "characters": 3000},
                      "en": {"records": 20, "characters": 2000}},
        "length_histogram": {"1-16": 3, "17-64": 37},
        "duplicates": {"within_file": 1, "within_scan": 2,
                       "normalized_within_file": 3, "normalized_within_scan": 4},
        "quality": {"empty": 1, "very_short": 2, "replacement_chars": 0,
                    "control_chars": 0, "invalid_utf8": 5},
        "pii": {"counts": {"phone": 2, "email": 3, "bank_card": 1},
                "tags": {"ip_address.private": 1, "email.placeholder": 2},
                "records_with_pii": 4, "records_by_type": {"email": 3, "phone": 1},
                "record_share": 0.1, "by_confidence": {"low": 1, "high": 2, "medium": 3},
                "sensitive": {}, "records_with_sensitive": 0},
        "license": {"declared": {"expression": "MIT", "from": "manifest"},
                    "detected": {"Apache-2.0": {"header": 2, "spdx_id": 1}, "GPL-3.0": {}},
                    "copyright_notices": 3, "all_rights_reserved": 1, "tdm_opt_outs": 0,
                    "all_rights_reserved_with_grant": 0,
                    "license_file": {"expression": "MIT", "from": "license_file"},
                    "detected_in_records": {"CC-BY-4.0": {"record_text": 5}},
                    "all_rights_reserved_in_records": 2, "records_with_markers": 6,
                    "category": "copyleft", "basis": "manifest+content",
                    "attribution": true, "share_alike": false,
                    "conflicts": [{"kind": "stricter_than_declared", "declared": "MIT",
                                   "detected": null, "detail": "GPL text found"}]},
        "risk_flags": ["personal_information", "read_errors"],
        "web_hosts": {"records": 3, "bytes": 300, "bytes_by_region": {"cn": 100, "us": 200}},
        "near_duplicates": {"within_file": 2, "within_scan": 5, "clusters": 1},
        "safety": {"records_with_hits": 2, "records_by_category": {"violence": 2}, "hits": 3},
        "contamination": {"records": 3, "by_benchmark": {
            "gsm8k": {"records": 2, "items": [4, 17, 4294967295]},
            "mmlu": {"records": 1, "items": []}}}
    }"#;

    /// [`FULL`] read, checked to have kept its blocks (a row ignores unknown keys).
    fn full_row() -> LedgerRow {
        let row: LedgerRow = serde_json::from_str(FULL).unwrap();
        let back = serde_json::to_value(&row).unwrap();
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        let written: Value = serde_json::from_str(FULL).unwrap();
        assert_eq!(keys(&back), keys(&written));
        for block in ["first_error", "pii", "license", "contamination"] {
            assert_eq!(keys(&back[block]), keys(&written[block]), "{block}");
        }
        assert_eq!(back["license"]["detected"], written["license"]["detected"]);
        row
    }

    /// Rows with blocks, rows without (nulls, absent keys), in one batch.
    fn mixed_rows() -> Vec<LedgerRow> {
        let full = full_row();
        let bare = LedgerRow {
            path: "b.txt".into(),
            modified: Some("1969-12-31T23:59:59.9999995Z".into()),
            ..LedgerRow::default()
        };
        let partly = LedgerRow {
            path: "c.parquet".into(),
            modified: Some("2024-02-29T00:00:00Z".into()),
            first_error: full.first_error.clone().map(|mut e| {
                e.location = Default::default();
                e
            }),
            safety: Some(Default::default()),
            contamination: Some(Default::default()),
            near_duplicates: Some(Default::default()),
            ..LedgerRow::default()
        };
        vec![full, bare, partly]
    }

    #[test]
    fn rows_with_every_block_convert_as_arrow_json_decodes_them() {
        let rows = mixed_rows();
        assert_same_batches(&full_schema(), &rows);
        // Each row alone too: a batch without nulls in a column has no null buffer.
        for row in &rows {
            assert_same_batches(&full_schema(), std::slice::from_ref(row));
        }
        assert_same_batches(&schema_with(false), &[LedgerRow::default()]);
        let batch = record_batch(&full_schema(), &rows).unwrap();
        let modified = batch
            .column_by_name("modified")
            .unwrap()
            .as_any()
            .downcast_ref::<PrimitiveArray<TimestampMicrosecondType>>()
            .unwrap()
            .clone();
        assert_eq!(modified.value(0), 1_741_064_767_123_456);
        assert_eq!(modified.value(1), -1);
    }

    #[test]
    fn the_demo_ledger_converts_as_arrow_json_decodes_it() {
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let out = tempfile::tempdir().unwrap();
        let mut options = crate::scan::ScanOptions::new(vec![demo], out.path().to_path_buf());
        options.threads = Some(2);
        options.near_duplicates = Some(Default::default());
        crate::scan::run(&options).unwrap();
        let rows =
            crate::ledger::read_jsonl(&out.path().join(crate::ledger::LEDGER_JSONL)).unwrap();
        assert!(rows.len() > 10, "{} rows", rows.len());
        assert!(rows.iter().any(|r| r.first_error.is_some()));
        assert!(rows.iter().any(|r| r.web_hosts.is_some()));
        assert!(rows.iter().any(|r| !r.pii.counts.is_empty()));
        assert_same_batches(&schema_with(true), &rows);
        assert_same_batches(&schema_with(false), &rows);
    }

    fn with_field(schema: &SchemaRef, field: Field) -> SchemaRef {
        let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        fields.push(field);
        Arc::new(Schema::new(fields))
    }

    fn error_of(schema: &SchemaRef, rows: &[LedgerRow]) -> String {
        format!("{:#}", record_batch(schema, rows).unwrap_err())
    }

    #[test]
    fn a_missing_non_nullable_column_is_an_error_naming_it() {
        let rows = mixed_rows();
        let schema = with_field(
            &schema_with(false),
            Field::new("absent", DataType::Utf8, false),
        );
        let err = error_of(&schema, &rows);
        assert!(err.contains("`absent`") && err.contains("row 0"), "{err}");

        // `stage` is null in the second row.
        let strict: Vec<Field> = schema_with(false)
            .fields()
            .iter()
            .map(|f| {
                let f = f.as_ref().clone();
                if f.name() == "stage" {
                    f.with_nullable(false)
                } else {
                    f
                }
            })
            .collect();
        let err = error_of(&Arc::new(Schema::new(strict)), &rows);
        assert!(err.contains("`stage`") && err.contains("row 1"), "{err}");
    }

    /// Under a null struct a non-nullable child is null; under a present one it must be
    /// there, and the error gives its path.
    #[test]
    fn a_non_nullable_child_is_required_only_where_its_struct_is_present() {
        let web_hosts = DataType::Struct(Fields::from(vec![
            Field::new("records", DataType::UInt64, true),
            Field::new("region_count", DataType::UInt64, false),
        ]));
        let schema = Arc::new(Schema::new(vec![
            Field::new("path", DataType::Utf8, false),
            Field::new("web_hosts", web_hosts, true),
        ]));
        let bare = LedgerRow::default();
        let batch = record_batch(&schema, std::slice::from_ref(&bare)).unwrap();
        assert!(batch.column(1).is_null(0));
        let err = error_of(&schema, &[bare, full_row()]);
        assert!(
            err.contains("`web_hosts.region_count`") && err.contains("row 1"),
            "{err}"
        );
    }

    #[test]
    fn a_value_of_another_type_is_an_error_naming_the_column() {
        let schema = Arc::new(Schema::new(vec![Field::new(
            "path",
            DataType::UInt64,
            false,
        )]));
        let err = error_of(&schema, &[full_row()]);
        assert!(err.contains("`path` holds a string"), "{err}");
        // The value itself (a file name) stays out of the message.
        assert!(!err.contains("sft/a.jsonl"), "{err}");
        let items = with_contamination_field(&schema_with(false));
        let narrow = items.fields().iter().map(|f| f.as_ref().clone());
        let narrow: Vec<Field> = narrow
            .map(|f| {
                if f.name() != "modified" {
                    return f;
                }
                f.with_data_type(DataType::Boolean)
            })
            .collect();
        let err = error_of(&Arc::new(Schema::new(narrow)), &[full_row()]);
        assert!(err.contains("`modified` holds a string"), "{err}");
    }

    #[test]
    fn a_time_that_is_not_rfc_3339_utc_is_an_error() {
        let row = LedgerRow {
            modified: Some("2025-03-04 05:06:07".into()),
            ..LedgerRow::default()
        };
        let err = error_of(&schema_with(false), &[row]);
        assert!(
            err.contains("`modified`") && err.contains("RFC 3339"),
            "{err}"
        );
    }
}
