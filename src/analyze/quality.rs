//! Quality counters: the cheap signals a disclosure's "quality" section rests on.

use serde::{Deserialize, Serialize};

use super::profile::TextProfile;

/// Records with fewer visible characters than this count as very short: below it a
/// record rarely carries a sentence in either Chinese or English.
pub const VERY_SHORT_CHARS: u64 = 20;

/// Per-record quality problems, counted in records (not occurrences).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Quality {
    /// No visible character in any text field.
    pub empty: u64,
    /// Some, but fewer than [`VERY_SHORT_CHARS`], visible characters.
    pub very_short: u64,
    /// Contains U+FFFD, a sign of broken encoding upstream.
    pub replacement_chars: u64,
    /// Contains control characters other than tab and line breaks.
    pub control_chars: u64,
    /// The record's bytes were not valid UTF-8 (decoded with replacement characters).
    pub invalid_utf8: u64,
}

impl Quality {
    /// Counts one record's quality problems; each counter counts records, not
    /// characters.
    pub fn observe(&mut self, profile: &TextProfile, lossy_utf8: bool) {
        match profile.visible {
            0 => self.empty += 1,
            n if n < VERY_SHORT_CHARS => self.very_short += 1,
            _ => {}
        }
        self.replacement_chars += u64::from(profile.replacement > 0 || lossy_utf8);
        self.control_chars += u64::from(profile.control > 0);
        self.invalid_utf8 += u64::from(lossy_utf8);
    }

    /// Adds another file's or range's counters (plain sums, so any merge order works).
    pub fn merge(&mut self, other: &Quality) {
        self.empty += other.empty;
        self.very_short += other.very_short;
        self.replacement_chars += other.replacement_chars;
        self.control_chars += other.control_chars;
        self.invalid_utf8 += other.invalid_utf8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_problem_once_per_record() {
        let mut q = Quality::default();
        q.observe(&TextProfile::of("   "), false);
        q.observe(&TextProfile::of("short"), false);
        q.observe(
            &TextProfile::of("a long enough record \u{fffd}\u{fffd}\u{7}"),
            true,
        );
        assert_eq!(
            q,
            Quality {
                empty: 1,
                very_short: 1,
                replacement_chars: 1,
                control_chars: 1,
                invalid_utf8: 1
            }
        );
    }
}
