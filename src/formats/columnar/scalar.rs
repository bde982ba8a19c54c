//! Display forms of non-string values in a columnar row's canonical bytes.
//!
//! The forms are Arrow's own (arrow-cast's `ArrayFormatter` with default options), which
//! is what the canonical bytes held when provaudit used that formatter. arrow-cast and the
//! arrow-ord it needs were a fifth of a fresh build's CPU time for these few dozen lines
//! of formatting, so they are written here; a test compares both value for value, so
//! the exact fingerprints of Parquet and Arrow rows did not change.

use std::fmt::Write;

use arrow_array::cast::AsArray;
use arrow_array::temporal_conversions::{
    as_datetime, date32_to_datetime, date64_to_datetime, duration_ns_to_duration,
    duration_us_to_duration, time32ms_to_time, time32s_to_time, time64ns_to_time, time64us_to_time,
    try_duration_ms_to_duration, try_duration_s_to_duration,
};
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType};
use arrow_data::decimal::write_decimal;
use arrow_schema::{DataType, IntervalUnit, TimeUnit};
use chrono::{NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Numbers, booleans, dates, times, durations, intervals and decimals: the values that
/// have a display form. Binary and null-typed values have none worth hashing.
pub(super) fn is_scalar(data_type: &DataType) -> bool {
    data_type.is_primitive() || matches!(data_type, DataType::Boolean)
}

/// Writes the display form of the (non-null) value at `row`; false when it has none
/// (a date out of chrono's range, a type [`is_scalar`] does not accept), in which case
/// `out` may hold a partial write the caller discards.
pub(super) fn write_value(array: &dyn Array, row: usize, out: &mut dyn Write) -> bool {
    write_opt(array, row, out).is_some()
}

fn value<T: ArrowPrimitiveType>(array: &dyn Array, row: usize) -> Option<T::Native> {
    array.as_primitive_opt::<T>().map(|a| a.value(row))
}

fn shown(out: &mut dyn Write, value: impl std::fmt::Display) -> Option<()> {
    write!(out, "{value}").ok()
}

/// Dates and times are written in chrono's `Debug` form, as Arrow writes them.
fn debugged(out: &mut dyn Write, value: impl std::fmt::Debug) -> Option<()> {
    write!(out, "{value:?}").ok()
}

fn write_opt(array: &dyn Array, row: usize, out: &mut dyn Write) -> Option<()> {
    use DataType as D;
    match array.data_type() {
        D::Boolean => {
            let value = array.as_boolean_opt()?.value(row);
            out.write_str(if value { "true" } else { "false" }).ok()
        }
        D::Int8 => shown(out, value::<Int8Type>(array, row)?),
        D::Int16 => shown(out, value::<Int16Type>(array, row)?),
        D::Int32 => shown(out, value::<Int32Type>(array, row)?),
        D::Int64 => shown(out, value::<Int64Type>(array, row)?),
        D::UInt8 => shown(out, value::<UInt8Type>(array, row)?),
        D::UInt16 => shown(out, value::<UInt16Type>(array, row)?),
        D::UInt32 => shown(out, value::<UInt32Type>(array, row)?),
        D::UInt64 => shown(out, value::<UInt64Type>(array, row)?),
        D::Float16 => shown(out, value::<Float16Type>(array, row)?),
        D::Float32 => float(out, value::<Float32Type>(array, row)?),
        D::Float64 => float(out, value::<Float64Type>(array, row)?),
        D::Decimal32(_, scale) => {
            write_decimal(out, value::<Decimal32Type>(array, row)?, *scale).ok()
        }
        D::Decimal64(_, scale) => {
            write_decimal(out, value::<Decimal64Type>(array, row)?, *scale).ok()
        }
        D::Decimal128(_, scale) => {
            write_decimal(out, value::<Decimal128Type>(array, row)?, *scale).ok()
        }
        D::Decimal256(_, scale) => {
            write_decimal(out, value::<Decimal256Type>(array, row)?, *scale).ok()
        }
        D::Timestamp(unit, zone) => {
            timestamp(out, timestamp_at(array, row, *unit)?, zone.is_some())
        }
        D::Date32 => debugged(
            out,
            date32_to_datetime(value::<Date32Type>(array, row)?)?.date(),
        ),
        D::Date64 => debugged(out, date64_to_datetime(value::<Date64Type>(array, row)?)?),
        D::Time32(TimeUnit::Second) => debugged(
            out,
            time32s_to_time(value::<Time32SecondType>(array, row)?)?,
        ),
        D::Time32(TimeUnit::Millisecond) => debugged(
            out,
            time32ms_to_time(value::<Time32MillisecondType>(array, row)?)?,
        ),
        D::Time64(TimeUnit::Microsecond) => debugged(
            out,
            time64us_to_time(value::<Time64MicrosecondType>(array, row)?)?,
        ),
        D::Time64(TimeUnit::Nanosecond) => debugged(
            out,
            time64ns_to_time(value::<Time64NanosecondType>(array, row)?)?,
        ),
        D::Duration(unit) => duration(out, array, row, *unit),
        D::Interval(IntervalUnit::YearMonth) => {
            let months = f64::from(value::<IntervalYearMonthType>(array, row)?);
            let years = (months / 12.0).floor();
            write!(out, "{years} years {} mons", months - years * 12.0).ok()
        }
        D::Interval(IntervalUnit::DayTime) => {
            let v = value::<IntervalDayTimeType>(array, row)?;
            interval(out, 0, v.days, i64::from(v.milliseconds), 3)
        }
        D::Interval(IntervalUnit::MonthDayNano) => {
            let v = value::<IntervalMonthDayNanoType>(array, row)?;
            interval(out, v.months, v.days, v.nanoseconds, 9)
        }
        _ => None,
    }
}

/// Shortest round-trip form, as Arrow writes floats (`1.0`, `1e30`, `NaN`, `inf`).
fn float(out: &mut dyn Write, value: impl ryu::Float) -> Option<()> {
    out.write_str(ryu::Buffer::new().format(value)).ok()
}

fn timestamp_at(array: &dyn Array, row: usize, unit: TimeUnit) -> Option<NaiveDateTime> {
    match unit {
        TimeUnit::Second => {
            as_datetime::<TimestampSecondType>(value::<TimestampSecondType>(array, row)?)
        }
        TimeUnit::Millisecond => {
            as_datetime::<TimestampMillisecondType>(value::<TimestampMillisecondType>(array, row)?)
        }
        TimeUnit::Microsecond => {
            as_datetime::<TimestampMicrosecondType>(value::<TimestampMicrosecondType>(array, row)?)
        }
        TimeUnit::Nanosecond => {
            as_datetime::<TimestampNanosecondType>(value::<TimestampNanosecondType>(array, row)?)
        }
    }
}

/// A timestamp in a zone is written in UTC with `Z` whatever its zone (a named zone
/// needs the tz database, which this build does not carry; the instant is the same),
/// a zoneless one as its wall-clock reading.
fn timestamp(out: &mut dyn Write, naive: NaiveDateTime, zoned: bool) -> Option<()> {
    if zoned {
        let utc = Utc.from_utc_datetime(&naive);
        out.write_str(&utc.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            .ok()
    } else {
        debugged(out, naive)
    }
}

/// ISO 8601 (`PT1.5S`), or `<invalid>` for seconds and milliseconds beyond chrono's range.
fn duration(out: &mut dyn Write, array: &dyn Array, row: usize, unit: TimeUnit) -> Option<()> {
    let delta = match unit {
        TimeUnit::Second => try_duration_s_to_duration(value::<DurationSecondType>(array, row)?),
        TimeUnit::Millisecond => {
            try_duration_ms_to_duration(value::<DurationMillisecondType>(array, row)?)
        }
        TimeUnit::Microsecond => Some(duration_us_to_duration(value::<DurationMicrosecondType>(
            array, row,
        )?)),
        TimeUnit::Nanosecond => Some(duration_ns_to_duration(value::<DurationNanosecondType>(
            array, row,
        )?)),
    };
    match delta {
        Some(delta) => shown(out, delta),
        None => out.write_str("<invalid>").ok(),
    }
}

/// `1 mons 2 days 3 hours 4 mins 5.000000006 secs`, each part only when not zero;
/// `digits` is 3 for a millisecond remainder, 9 for nanoseconds.
fn interval(out: &mut dyn Write, months: i32, days: i32, sub: i64, digits: u32) -> Option<()> {
    if months == 0 && days == 0 && sub == 0 {
        return out.write_str("0 secs").ok();
    }
    let mut parts: Vec<String> = Vec::new();
    if months != 0 {
        parts.push(format!("{months} mons"));
    }
    if days != 0 {
        parts.push(format!("{days} days"));
    }
    if sub != 0 {
        let per_second = 10_i64.pow(digits);
        let secs = sub / per_second;
        let (hours, mins) = (secs / 3600, secs / 60 - (secs / 3600) * 60);
        let secs = secs - (secs / 60) * 60;
        let fraction = sub % per_second;
        if hours != 0 {
            parts.push(format!("{hours} hours"));
        }
        if mins != 0 {
            parts.push(format!("{mins} mins"));
        }
        if secs != 0 || fraction != 0 {
            let sign = if secs < 0 || fraction < 0 { "-" } else { "" };
            let width = digits as usize;
            parts.push(format!(
                "{sign}{}.{:0width$} secs",
                secs.abs(),
                fraction.abs()
            ));
        }
    }
    out.write_str(&parts.join(" ")).ok()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::datatypes::i256;
    use arrow::util::display::{ArrayFormatter, FormatOptions};
    use arrow_array::types::{IntervalDayTime, IntervalMonthDayNano};
    use arrow_array::*;

    use super::*;

    /// Every value of `array` written as arrow-cast writes it (the canonical bytes'
    /// form before this module existed).
    fn same_as_arrow(array: ArrayRef) {
        let formatter = ArrayFormatter::try_new(array.as_ref(), &FormatOptions::new()).unwrap();
        for row in 0..array.len() {
            let mut ours = String::new();
            let mut theirs = String::new();
            let ok = write_value(array.as_ref(), row, &mut ours);
            let their_ok = formatter.value(row).write(&mut theirs).is_ok();
            assert_eq!(ok, their_ok, "{} row {row}", array.data_type());
            if ok {
                assert_eq!(ours, theirs, "{} row {row}", array.data_type());
            }
        }
    }

    #[test]
    fn numbers_and_booleans_are_written_as_arrow_writes_them() {
        same_as_arrow(Arc::new(BooleanArray::from(vec![true, false])));
        same_as_arrow(Arc::new(Int8Array::from(vec![i8::MIN, -1, 0, i8::MAX])));
        same_as_arrow(Arc::new(Int16Array::from(vec![i16::MIN, 7, i16::MAX])));
        same_as_arrow(Arc::new(Int32Array::from(vec![i32::MIN, 42, i32::MAX])));
        same_as_arrow(Arc::new(Int64Array::from(vec![i64::MIN, -3, i64::MAX])));
        same_as_arrow(Arc::new(UInt8Array::from(vec![0, u8::MAX])));
        same_as_arrow(Arc::new(UInt16Array::from(vec![0, u16::MAX])));
        same_as_arrow(Arc::new(UInt32Array::from(vec![0, u32::MAX])));
        same_as_arrow(Arc::new(UInt64Array::from(vec![0, u64::MAX])));
        let floats = [
            0.0,
            -0.0,
            1.0,
            0.25,
            -1.5e-7,
            1e30,
            123456789.0,
            1e21,
            1e-5,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.1 + 0.2,
        ];
        same_as_arrow(Arc::new(Float64Array::from(floats.to_vec())));
        let floats32: Vec<f32> = floats.iter().map(|f| *f as f32).collect();
        same_as_arrow(Arc::new(Float32Array::from(floats32.clone())));
        type F16 = <Float16Type as ArrowPrimitiveType>::Native;
        let halves: Vec<F16> = floats32.iter().map(|f| F16::from_f32(*f)).collect();
        same_as_arrow(Arc::new(Float16Array::from(halves)));
    }

    #[test]
    fn decimals_are_written_as_arrow_writes_them() {
        let values: [i32; 6] = [0, 1, -1, 12345, -12345, 99_999_999];
        for scale in [0_i8, 2, 5, -2] {
            let small: Vec<i32> = values.to_vec();
            same_as_arrow(Arc::new(
                Decimal32Array::from(small)
                    .with_precision_and_scale(9, scale)
                    .unwrap(),
            ));
            let wide: Vec<i64> = values.iter().map(|v| i64::from(*v)).collect();
            same_as_arrow(Arc::new(
                Decimal64Array::from(wide)
                    .with_precision_and_scale(18, scale)
                    .unwrap(),
            ));
            let big: Vec<i128> = values
                .iter()
                .map(|v| *v as i128)
                .chain([i128::MAX / 7])
                .collect();
            same_as_arrow(Arc::new(
                Decimal128Array::from(big)
                    .with_precision_and_scale(38, scale)
                    .unwrap(),
            ));
            let huge: Vec<i256> = values
                .iter()
                .map(|v| i256::from_i128(i128::from(*v)))
                .collect();
            same_as_arrow(Arc::new(
                Decimal256Array::from(huge)
                    .with_precision_and_scale(76, scale)
                    .unwrap(),
            ));
        }
    }

    #[test]
    fn dates_times_and_timestamps_are_written_as_arrow_writes_them() {
        let seconds = vec![0, 86_399, -1, 1_700_000_000, i64::MAX, i64::MIN];
        same_as_arrow(Arc::new(TimestampSecondArray::from(seconds.clone())));
        same_as_arrow(Arc::new(
            TimestampSecondArray::from(seconds.clone()).with_timezone("+00:00"),
        ));
        let ms: Vec<i64> = vec![0, 1_700_000_000_123, -1, i64::MAX];
        same_as_arrow(Arc::new(TimestampMillisecondArray::from(ms.clone())));
        same_as_arrow(Arc::new(
            TimestampMillisecondArray::from(ms).with_timezone("+00:00"),
        ));
        let us: Vec<i64> = vec![0, 1_700_000_000_123_456, -1_500_000, 1_000_000];
        same_as_arrow(Arc::new(TimestampMicrosecondArray::from(us.clone())));
        same_as_arrow(Arc::new(
            TimestampMicrosecondArray::from(us).with_timezone("+00:00"),
        ));
        let ns: Vec<i64> = vec![0, 1_700_000_000_123_456_789, -1, i64::MIN];
        same_as_arrow(Arc::new(TimestampNanosecondArray::from(ns.clone())));
        same_as_arrow(Arc::new(
            TimestampNanosecondArray::from(ns).with_timezone("+00:00"),
        ));
        same_as_arrow(Arc::new(Date32Array::from(vec![
            0,
            -719_162,
            19_000,
            i32::MAX,
        ])));
        same_as_arrow(Arc::new(Date64Array::from(vec![
            0,
            1_700_000_000_123,
            i64::MAX,
        ])));
        same_as_arrow(Arc::new(Time32SecondArray::from(vec![
            0, 3_661, 86_399, 90_000,
        ])));
        same_as_arrow(Arc::new(Time32MillisecondArray::from(vec![
            0, 3_661_001, 86_400_000,
        ])));
        same_as_arrow(Arc::new(Time64MicrosecondArray::from(vec![
            0,
            3_661_000_001,
            -1,
        ])));
        same_as_arrow(Arc::new(Time64NanosecondArray::from(vec![
            0,
            3_661_000_000_001,
        ])));
    }

    #[test]
    fn durations_and_intervals_are_written_as_arrow_writes_them() {
        let values = vec![0, 1, -1, 1_500, -90_061_001, i64::MAX, i64::MIN];
        same_as_arrow(Arc::new(DurationSecondArray::from(values.clone())));
        same_as_arrow(Arc::new(DurationMillisecondArray::from(values.clone())));
        same_as_arrow(Arc::new(DurationMicrosecondArray::from(values.clone())));
        same_as_arrow(Arc::new(DurationNanosecondArray::from(values)));
        same_as_arrow(Arc::new(IntervalYearMonthArray::from(vec![
            0,
            1,
            13,
            -13,
            i32::MIN,
        ])));
        same_as_arrow(Arc::new(IntervalDayTimeArray::from(vec![
            IntervalDayTime::new(0, 0),
            IntervalDayTime::new(3, 0),
            IntervalDayTime::new(0, 3_723_004),
            IntervalDayTime::new(-2, -61_500),
            IntervalDayTime::new(1, -5),
        ])));
        same_as_arrow(Arc::new(IntervalMonthDayNanoArray::from(vec![
            IntervalMonthDayNano::new(0, 0, 0),
            IntervalMonthDayNano::new(14, 0, 0),
            IntervalMonthDayNano::new(1, 2, 3_723_000_000_005),
            IntervalMonthDayNano::new(-1, -2, -1),
            IntervalMonthDayNano::new(0, 0, 59_000_000_000),
        ])));
    }
}
