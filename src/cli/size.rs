//! Byte sizes on the command line: one parser for every byte option, so `32MiB`
//! means the same wherever a size is asked for.

/// The forms every byte option accepts, quoted in its error message.
const FORMS: &str = "a number of bytes (33554432) or a number with a unit: B, KB/MB/GB/TB \
    (powers of 1000; K/M/G/T alike), KiB/MiB/GiB/TiB (powers of 1024), e.g. 32MiB, 64KiB, \
    1GB, 1.5GiB";

/// Parses a byte size (clap `value_parser` of every byte option). The suffix
/// grammar is `bytesize`'s, a well-kept parser; values too large for 64 bits are
/// refused here because it saturates them silently.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    if let Ok(bytes) = trimmed.parse::<u64>() {
        return Ok(bytes);
    }
    match trimmed.parse::<bytesize::ByteSize>() {
        Ok(size) if size.as_u64() < u64::MAX => Ok(size.as_u64()),
        Ok(_) => Err(format!(
            "{text:?} is too large or not a size; expected {FORMS}"
        )),
        Err(_) => Err(format!("{text:?} is not a size; expected {FORMS}")),
    }
}

/// [`parse_bytes`] for options held as `usize` (sizes of memory buffers).
pub fn parse_bytes_usize(text: &str) -> Result<usize, String> {
    let bytes = parse_bytes(text)?;
    usize::try_from(bytes).map_err(|_| format!("{text:?} is larger than this machine's memory"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_and_units_parse() {
        assert_eq!(parse_bytes("1048576"), Ok(1 << 20));
        assert_eq!(parse_bytes("32MiB"), Ok(32 << 20));
        assert_eq!(parse_bytes("64KiB"), Ok(64 << 10));
        assert_eq!(parse_bytes("64 KiB"), Ok(64 << 10));
        assert_eq!(parse_bytes("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_bytes("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_bytes("0"), Ok(0));
        assert_eq!(parse_bytes_usize("32MiB"), Ok(32 << 20));
    }

    #[test]
    fn bad_sizes_name_the_accepted_forms() {
        for bad in ["", "-1", "32 parsecs", "MiB", "1..5MiB", "99999999999EiB"] {
            let e = parse_bytes(bad).expect_err(bad);
            assert!(e.contains("32MiB") && e.contains("KiB/MiB"), "{bad}: {e}");
        }
    }
}
