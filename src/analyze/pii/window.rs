//! Digit windows: where number-shaped rules can possibly start.
//!
//! Every valid match of a `NearDigits` rule contains an ASCII or full-width
//! digit no more than [`BEFORE`] bytes after its start, and the finder's
//! pattern for the rule (its `start` prefix, or the whole pattern) ends no
//! more than [`AFTER`] bytes after the digit run that holds that first digit.
//! So the finder searches only windows around digit runs, which a byte scan
//! finds at memory speed; the prose between numbers never reaches a regex
//! engine. (Match *ends* are then found on the whole text, so a long match is
//! not cut at the window's edge.) The equivalence with a whole-text search is
//! checked by a test in `detector`.

/// Bytes from a match's start to its first digit, at most: a licence plate's
/// province (3 bytes), letter, separator `・` (3) and five letters of its tail
/// (the pattern's bound; the validator wants two digits there). Computed per rule
/// from the patterns in `detector::tests::every_digit_rule_has_a_digit_within_before`.
/// IPv6, whose first digit can come 40 bytes in, has windows of its own
/// ([`colon_pair`]): with it here every digit run's window was 28 bytes longer.
pub(super) const BEFORE: usize = 12;
/// Bytes from the end of the digit run holding a match's first digit to the
/// end of the finder's match, at most: `123-45-6789` needs 8, an USCC's ten
/// trailing characters 10, a full-width id's final `Ｘ` 3.
pub(super) const AFTER: usize = 24;

/// Hex digits in one IPv6 group, at most.
pub(super) const HEX_GROUP: usize = 4;

/// The window to search for an IPv6 candidate whose first colon is the one at
/// `colon`, when a second colon follows after at most [`HEX_GROUP`] hex digits:
/// from [`HEX_GROUP`] bytes before the first colon to just past the second, which
/// holds the finder's whole pattern (`hex{0,4}:hex{0,4}:`). `None` for any other
/// colon (prose, times, `key: value`), which then costs no regex search.
pub(super) fn colon_pair(bytes: &[u8], colon: usize) -> Option<(usize, usize)> {
    let after = bytes.get(colon + 1..)?;
    let hex = after
        .iter()
        .take(HEX_GROUP)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    (after.get(hex) == Some(&b':')).then(|| (colon.saturating_sub(HEX_GROUP), colon + hex + 2))
}

/// True at a digit: ASCII, or full-width U+FF10–FF19 (EF BC 90–99).
#[inline]
pub(super) fn digit_at(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b) if b.is_ascii_digit() => true,
        Some(0xEF) => {
            bytes.get(i + 1) == Some(&0xBC)
                && bytes.get(i + 2).is_some_and(|b| (0x90..=0x99).contains(b))
        }
        _ => false,
    }
}

/// First digit at or after `from`.
pub(super) fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    next_digit_before(bytes, from, bytes.len())
}

/// First digit in `from..limit`. Skips 32-byte blocks without a digit
/// branch-free (the compiler vectorises [`block_has_digit`]), then pins the
/// position down eight bytes at a time ([`word_candidates`]): the windows of
/// [`window`] search 64 bytes at a time, and a byte-by-byte tail there cost more
/// than every block before it (callgrind: 13% of the PII scan on mixed zh/en text).
fn next_digit_before(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let limit = limit.min(bytes.len());
    let mut i = from;
    while i + BLOCK + 2 <= limit {
        if block_may_have_digit(bytes, i) && block_has_digit(bytes, i) {
            break;
        }
        i += BLOCK;
    }
    while i < limit {
        let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        else {
            break;
        };
        let mut candidates = word_candidates(u64::from_le_bytes(word));
        while candidates != 0 {
            let at = i + (candidates.trailing_zeros() / 8) as usize;
            if at >= limit {
                return None;
            }
            if digit_at(bytes, at) {
                return Some(at);
            }
            candidates &= candidates - 1;
        }
        i += 8;
    }
    (i..limit).find(|&j| digit_at(bytes, j))
}

/// The high bit of every byte of `word` (little-endian) that may be an ASCII digit
/// or the lead byte 0xEF of a full-width one. The classic "has a byte below n" test:
/// a borrow can mark a byte above a true one too, never miss one, and every mark is
/// checked with [`digit_at`], so the test only needs to be a superset.
#[inline]
fn word_candidates(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGHS;
    below(word ^ (ONES * u64::from(b'0')), 10) | below(word ^ (ONES * 0xEF), 1)
}

/// A one-load first look at `bytes[i..i + 32]`: false when the block holds neither
/// an ASCII digit nor the lead byte of a full-width one (0xEF), which is almost every
/// block of prose. Three times cheaper than [`block_has_digit`], which then decides.
#[inline]
fn block_may_have_digit(bytes: &[u8], i: usize) -> bool {
    let Some(a) = bytes.get(i..i + 32) else {
        return true;
    };
    let mut hit = 0u8;
    for &b in a {
        hit |= u8::from((b.wrapping_sub(b'0') < 10) | (b == 0xEF));
    }
    hit != 0
}

/// Whether a digit starts in `bytes[i..i + 32]`; needs two bytes of lookahead.
#[inline]
fn block_has_digit(bytes: &[u8], i: usize) -> bool {
    let (Some(a), Some(b), Some(c)) = (
        bytes.get(i..i + 32),
        bytes.get(i + 1..i + 33),
        bytes.get(i + 2..i + 34),
    ) else {
        return true;
    };
    let mut hit = 0u8;
    for k in 0..32 {
        let ascii = a[k].wrapping_sub(b'0') < 10;
        let wide = (a[k] == 0xEF) & (b[k] == 0xBC) & (c[k].wrapping_sub(0x90) < 10);
        hit |= u8::from(ascii | wide);
    }
    hit != 0
}

/// End of the digit run starting at `i`.
fn run_end(bytes: &[u8], mut i: usize) -> usize {
    while digit_at(bytes, i) {
        i += if bytes.get(i).is_some_and(u8::is_ascii_digit) {
            1
        } else {
            3
        };
    }
    i
}

/// The window to search for matches whose first digit is at or after
/// `first` (a digit), merged with every later digit run whose own window
/// would overlap it. Returns byte offsets `(start, end)`, not yet clamped to
/// char boundaries; `start` is not below `floor`.
pub(super) fn window(bytes: &[u8], first: usize, floor: usize) -> (usize, usize) {
    let start = first.saturating_sub(BEFORE).max(floor);
    let mut run_stop = run_end(bytes, first);
    loop {
        let end = run_stop + AFTER;
        match next_digit_before(bytes, run_stop, end + BEFORE) {
            Some(t) => run_stop = run_end(bytes, t),
            None => return (start, end.min(bytes.len())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ascii_and_full_width_digits() {
        let t = "电话：１８３".as_bytes();
        assert_eq!(next_digit(t, 0), Some("电话：".len()));
        let long = format!("{}7", "文".repeat(40));
        assert_eq!(next_digit(long.as_bytes(), 0), Some(120));
        assert_eq!(next_digit("没有数字，只有标点。".as_bytes(), 0), None);
    }

    #[test]
    fn block_skipping_finds_what_a_byte_scan_finds() {
        let pieces = [
            "x", "文", "，", "：", "１", "7", "ｘ", " ", "\u{ff00}", "\u{efff}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..200 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Mostly digit-free prose, so long runs of blocks are skipped.
                let k = (seed % 64) as usize;
                text.push_str(pieces[if k < pieces.len() { k } else { k % 4 }]);
            }
            let b = text.as_bytes();
            for from in [0, 1, 5, 33, 100] {
                let naive = (from..b.len()).find(|&j| digit_at(b, j));
                assert_eq!(next_digit(b, from), naive, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn word_candidates_never_miss_a_digit_or_lead_byte() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'x'; 8];
                word[at] = b;
                let marks = word_candidates(u64::from_le_bytes(word));
                let marked = marks & (0x80 << (8 * at)) != 0;
                assert_eq!(
                    marked,
                    b.is_ascii_digit() || b == 0xEF,
                    "byte {b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn windows_merge_nearby_runs() {
        let t = format!(
            "{}12{}34{}56",
            "x".repeat(100),
            " ".repeat(30),
            " ".repeat(400)
        );
        let b = t.as_bytes();
        let (s, e) = window(b, 100, 0);
        assert_eq!(s, 100 - BEFORE);
        // The run at 152 is merged (its window overlaps); 554 is too far away.
        assert_eq!(e, 134 + AFTER);
        assert_eq!(next_digit(b, e), Some(534));
    }

    #[test]
    fn colon_pairs_hold_the_finders_pattern() {
        let t = b"x fdab:cdef::1 at 12:30, key: value, a:12345:b ::";
        assert_eq!(colon_pair(t, 6), Some((2, 12)));
        assert_eq!(colon_pair(t, 11), Some((7, 13)));
        assert_eq!(colon_pair(t, 12), None);
        assert_eq!(colon_pair(t, 20), None);
        assert_eq!(colon_pair(t, 28), None);
        assert_eq!(colon_pair(t, 38), None);
        assert_eq!(colon_pair(t, 44), None);
        assert_eq!(colon_pair(t, 47), Some((43, 49)));
        assert_eq!(colon_pair(t, 48), None);
    }
}
