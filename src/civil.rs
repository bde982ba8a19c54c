//! Civil-calendar arithmetic and RFC 3339 text, so no date crate is needed.
//!
//! It sits below every stage: discovery writes file times, the ledger writes audit
//! times, the baseline reads them back, and PII validation checks birth dates.

use std::time::SystemTime;

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian): days since
/// 1970-01-01 to (year, month, day).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The inverse of [`civil_from_days`]; `None` for a month or day out of range.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Seconds and nanoseconds since the epoch (negative before it).
fn epoch_parts(time: SystemTime) -> (i64, u32) {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            match d.subsec_nanos() {
                0 => (-(d.as_secs() as i64), 0),
                n => (-(d.as_secs() as i64) - 1, 1_000_000_000 - n),
            }
        }
    }
}

fn format_seconds(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// RFC 3339 UTC to the second (`2025-01-01T01:01:01Z`): audit start and end times.
pub fn rfc3339(time: SystemTime) -> String {
    format!("{}Z", format_seconds(epoch_parts(time).0))
}

/// RFC 3339 UTC with the file system's full precision (`2025-01-01T01:01:01.5Z`; no
/// fraction when it is zero): file modification times, so a baseline never mistakes
/// two versions of a file written within one second for the same one.
pub fn rfc3339_precise(time: SystemTime) -> String {
    let (secs, nanos) = epoch_parts(time);
    if nanos == 0 {
        return format!("{}Z", format_seconds(secs));
    }
    let fraction = format!("{nanos:09}");
    format!(
        "{}.{}Z",
        format_seconds(secs),
        fraction.trim_end_matches('0')
    )
}

/// The `YYYY-MM-DDThh:mm:ss` part of an RFC 3339 UTC time of provaudit's shape (fixed
/// widths, `Z`, an optional fraction) that [`parse_rfc3339`] accepts: the whole-second
/// form SPDX's DateTime wants; `None` for anything else.
pub fn utc_seconds(text: &str) -> Option<&str> {
    let head = text.get(..19)?;
    let shape = head.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        10 => b == b'T',
        13 | 16 => b == b':',
        _ => b.is_ascii_digit(),
    });
    (shape && parse_rfc3339(text).is_some()).then_some(head)
}

/// Nanoseconds since the epoch of an RFC 3339 UTC time as provaudit writes it, with or
/// without a fraction of a second; `None` for anything else.
pub fn parse_rfc3339(text: &str) -> Option<i128> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let mut ymd = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (ymd.next()??, ymd.next()??, ymd.next()??);
    let (hms, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut parts = hms.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hh, mm, ss) = (parts.next()??, parts.next()??, parts.next()??);
    let nanos: i128 = match fraction.len() {
        0 => 0,
        1..=9 if fraction.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{fraction:0<9}").parse().ok()?
        }
        _ => return None,
    };
    let days = days_from_civil(y, m, d)?;
    let secs = i128::from(days) * 86_400 + i128::from(hh * 3600 + mm * 60 + ss);
    Some(secs * 1_000_000_000 + nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_and_parses_times() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_735_689_600 + 3661);
        assert_eq!(rfc3339(t), "2025-01-01T01:01:01Z");
        assert_eq!(rfc3339_precise(t), "2025-01-01T01:01:01Z");
        let fine = t + Duration::from_millis(100);
        assert_eq!(rfc3339(fine), "2025-01-01T01:01:01Z");
        assert_eq!(rfc3339_precise(fine), "2025-01-01T01:01:01.1Z");
        let ns =
            |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as i128;
        assert_eq!(parse_rfc3339(&rfc3339_precise(fine)), Some(ns(fine)));
        assert_eq!(parse_rfc3339("2025-01-01T01:01:01Z"), Some(ns(t)));
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        for days in [-800_000, -1, 0, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m.into(), d.into()), Some(days));
        }
        for bad in [
            "",
            "2025-01-01",
            "2025-13-01T00:00:00Z",
            "2025-01-01T00:00:00.1234567890Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
