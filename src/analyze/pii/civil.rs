//! Calendar arithmetic for birth-date checks, so no date crate is needed.

use std::time::{SystemTime, UNIX_EPOCH};

/// The latest local date anywhere on Earth (UTC+14), as `yyyymmdd`.
///
/// Using the most eastern time zone means a birth date that is "today" in
/// China is never rejected as being in the future. If the clock is unreadable
/// the check fails open: missing a PII value is worse than a lenient date.
pub(super) fn today_yyyymmdd() -> u32 {
    let Ok(since) = SystemTime::now().duration_since(UNIX_EPOCH) else {
        return 99991231;
    };
    let days = (since.as_secs() + 14 * 3600) / 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    (y.clamp(0, 9999) as u32) * 10_000 + m * 100 + d
}

/// The calendar arithmetic lives below every stage (`crate::civil`).
pub use crate::civil::civil_from_days;

pub(super) fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

pub(super) fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A real calendar date (Feb 29 only in leap years).
pub(super) fn is_valid_date(y: u32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn leap_rules() {
        assert!(is_valid_date(2000, 2, 29));
        assert!(!is_valid_date(1900, 2, 29));
        assert!(is_valid_date(2024, 2, 29));
        assert!(!is_valid_date(2023, 2, 29));
        assert!(!is_valid_date(2023, 4, 31));
        assert!(!is_valid_date(2023, 13, 1));
        assert!(!is_valid_date(2023, 0, 1));
    }

    #[test]
    fn today_is_plausible() {
        let t = today_yyyymmdd();
        assert!(t > 20240101, "clock reads {t}");
    }
}
