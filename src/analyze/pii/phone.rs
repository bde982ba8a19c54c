//! Phone numbers checked against libphonenumber's numbering plans (the
//! `phonenumber` crate carries its metadata compiled in).
//!
//! Shape rules find candidates (`+44 (0)20 7946 0958`, `06 12 34 56 78`,
//! `(11) 3456-7890`); a candidate counts only when a plan says the digits form
//! a valid number: international ones under the country their `+` code names,
//! national ones under one of the configured regions. Parsing costs
//! microseconds, so only candidates that passed shape, edges and vetoes reach it.

use phonenumber::country::Id;

use super::validate::fold_width;

/// Regions whose national formats are tried when no `+` code is written:
/// the default of `[pii] phone_regions`.
pub const DEFAULT_REGIONS: &[&str] = &[
    "CN", "HK", "TW", "US", "CA", "GB", "DE", "FR", "IN", "JP", "KR", "SG", "AU", "BR",
];

/// Parses region codes (`"GB"`), returning the first unknown one on failure.
pub(super) fn regions(codes: &[String]) -> Result<Vec<Id>, String> {
    let mut out = Vec::with_capacity(codes.len());
    for code in codes {
        let id: Id = code
            .to_ascii_uppercase()
            .parse()
            .map_err(|_| code.clone())?;
        out.push(id);
    }
    Ok(out)
}

pub(super) fn default_regions() -> Vec<Id> {
    DEFAULT_REGIONS
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect()
}

/// A number valid in its numbering plan: under its `+` code when written with
/// one, else under one of `regions`.
pub(super) fn valid(value: &str, regions: &[Id]) -> bool {
    let mut buf = [0u8; 48];
    let Some(number) = normalise(value, &mut buf) else {
        return false;
    };
    if number.starts_with('+') {
        return parses_valid(None, number);
    }
    regions.iter().any(|&r| parses_valid(Some(r), number))
}

fn parses_valid(region: Option<Id>, number: &str) -> bool {
    phonenumber::parse(region, number).is_ok_and(|n| phonenumber::is_valid(&n))
}

/// The digits (and a leading `+`) of the number without its extension or a
/// `(0)` trunk prefix, full-width folded. `None` if implausibly long.
fn normalise<'b>(value: &str, buf: &'b mut [u8; 48]) -> Option<&'b str> {
    let body = without_extension(value);
    let body = match body.find("(0)").or_else(|| body.find("（0）")) {
        Some(i) if body.starts_with('+') => {
            let close = if body[i..].starts_with("(0)") { 3 } else { 7 };
            let (head, tail) = (body.get(..i)?, body.get(i + close..)?);
            return collect(head.chars().chain(tail.chars()), buf);
        }
        _ => body,
    };
    collect(body.chars(), buf)
}

fn collect(chars: impl Iterator<Item = char>, buf: &mut [u8; 48]) -> Option<&str> {
    let mut n = 0;
    for c in chars.map(fold_width) {
        if c.is_ascii_digit() || (c == '+' && n == 0) {
            *buf.get_mut(n)? = c as u8;
            n += 1;
        }
    }
    std::str::from_utf8(buf.get(..n)?).ok()
}

/// The number without its extension.
pub(super) fn number_part(value: &str) -> &str {
    without_extension(value)
}

/// Cuts `x123`, `ext. 12`, `分机 12`, `转 12` off the end.
fn without_extension(value: &str) -> &str {
    let cut = value
        .char_indices()
        .find(|&(_, c)| c.is_ascii_alphabetic() || matches!(c, '分' | '转' | '轉' | '#'))
        .map_or(value.len(), |(i, _)| i);
    value.get(..cut).unwrap_or(value).trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Numbers below are from the ranges the regulators reserve for drama and
    // documentation (Ofcom 020 7946 0xxx, ACMA 04 9xxx xxxx …) or are built
    // from plan patterns; none belongs to a person.
    #[test]
    fn international_forms() {
        let r = default_regions();
        for v in [
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "+44 (0) 20 7946 0958 x123",
            "+49 30 901820",
            "+33 6 12 34 56 78",
            "+81 90-1234-5678",
            "+61 491 570 156",
            "+55 11 91234-5678",
            "+８６ １３８ ００１３ ８０００",
        ] {
            assert!(valid(v, &r), "{v}");
        }
        for v in ["+44 12", "+999 1234 5678", "+1 555 0100 000"] {
            assert!(!valid(v, &r), "{v}");
        }
    }

    #[test]
    fn national_forms_need_a_configured_region() {
        let r = default_regions();
        for v in [
            "020 7946 0958",
            "06 12 34 56 78",
            "06.12.34.56.78",
            "(11) 3456-7890",
        ] {
            assert!(valid(v, &r), "{v}");
        }
        let only_us = regions(&["us".to_string()]).unwrap_or_default();
        assert!(!valid("06 12 34 56 78", &only_us));
        assert_eq!(regions(&["XX".to_string()]), Err("XX".to_string()));
    }
}
