//! Masks: the only rendering of a detected value that may leave the process.
//!
//! Each keeps a few characters that help a reviewer recognise the kind of
//! value (a mobile prefix, an id's region code, an e-mail's domain) and hides
//! at least max(4, 35%) of the characters. Anything unexpected is all stars.

use super::PiiType;
use super::validate::fold_width;

pub(super) fn mask(pii_type: &PiiType, value: &str) -> String {
    match pii_type {
        PiiType::Email => email(value),
        PiiType::Phone => phone(value),
        PiiType::CnResidentId => keep(&alnum(value), 6, 4),
        PiiType::CnUscc => keep(&alnum(value), 2, 2),
        PiiType::CnPassport => keep(&alnum(value), 1, 2),
        PiiType::BankCard => keep(&alnum(value), 4, 4),
        PiiType::UsSsn => ssn(value),
        PiiType::Iban => keep(&alnum(value), 4, 4),
        PiiType::IpAddress => ip(value),
        PiiType::CnLicensePlate => plate(value),
        PiiType::Secret => secret(value),
        PiiType::PersonName => super::names::mask(value),
        PiiType::Address => super::address::mask(value),
        // Detectors only emit known types; an unknown one hides everything.
        PiiType::Other(_) => "*".repeat(value.chars().count()),
    }
}

/// Letters and digits only, full-width folded: separators carry no identity.
fn alnum(value: &str) -> Vec<char> {
    value
        .chars()
        .map(fold_width)
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Keeps `head` and `tail` characters, shrinking both until enough is hidden.
fn keep(chars: &[char], head: usize, tail: usize) -> String {
    let n = chars.len();
    let must_hide = (n * 7).div_ceil(20).max(4);
    let (mut head, mut tail) = (head, tail);
    while head + tail > 0 && n.saturating_sub(head + tail) < must_hide {
        if tail >= head && tail > 0 {
            tail -= 1;
        } else {
            head -= 1;
        }
    }
    let hidden = n.saturating_sub(head + tail).max(4);
    let mut out: String = chars.iter().take(head).collect();
    out.extend(std::iter::repeat_n('*', hidden));
    out.extend(chars.iter().skip(n.saturating_sub(tail)));
    out
}

fn email(value: &str) -> String {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return "****".to_string();
    };
    let first = local.chars().next().filter(|_| local.chars().count() >= 4);
    let mut out: String = first.into_iter().collect();
    out.push_str("***@");
    out.push_str(domain);
    out
}

/// `138****1706`; an international number keeps its `+` (and `+86 `).
fn phone(value: &str) -> String {
    let all = alnum(value);
    let international = value.starts_with('+') || value.starts_with("00");
    let (prefix, national) = match (international, cn_national(&all)) {
        (_, Some(n)) if n.len() < all.len() => ("+86 ", n),
        (true, _) => ("+", all.as_slice()),
        _ => ("", all.as_slice()),
    };
    let body = if national.len() >= 11 {
        keep(national, 3, 4)
    } else {
        keep(national, 2, 2)
    };
    format!("{prefix}{body}")
}

/// The 11-digit mainland mobile inside `86…` / `0086…` digits, if any.
fn cn_national(digits: &[char]) -> Option<&[char]> {
    let rest = match digits {
        ['0', '0', '8', '6', rest @ ..] | ['8', '6', rest @ ..] => rest,
        _ => return None,
    };
    (rest.len() == 11 && rest.first() == Some(&'1')).then_some(rest)
}

fn ssn(value: &str) -> String {
    let d = alnum(value);
    let last: String = d.iter().skip(d.len().saturating_sub(4)).collect();
    if d.len() == 9 {
        format!("***-**-{last}")
    } else {
        keep(&d, 0, 0)
    }
}

/// `203.*.*.*`: the first octet says roughly which network, not which host.
/// IPv6 keeps its first group.
fn ip(value: &str) -> String {
    if value.contains(':') {
        let first = value.split(':').next().unwrap_or("");
        let first = if first.len() <= 4 { first } else { "" };
        return format!("{first}:****");
    }
    let octets: Vec<&str> = value.split('.').collect();
    match octets.as_slice() {
        [a, _, _, _] => format!("{a}.*.*.*"),
        _ => "****".to_string(),
    }
}

fn plate(value: &str) -> String {
    let chars: Vec<char> = value
        .chars()
        .filter(|c| !matches!(c, '·' | '•' | '・' | ' '))
        .collect();
    keep(&chars, 2, 1)
}

/// The kind of key is useful to a reviewer; none of its material is kept.
fn secret(value: &str) -> String {
    if let Some((scheme, _)) = value.split_once("://") {
        return format!("{scheme}://****");
    }
    if value.starts_with("-----BEGIN") {
        let header_end = value
            .get(10..)
            .and_then(|rest| rest.find("-----"))
            .map_or(10, |i| i + 15);
        let header = value.get(..header_end).unwrap_or("-----BEGIN");
        return format!("{header}****");
    }
    const PREFIXES: &[&str] = &[
        "github_pat_",
        "sk-proj-",
        "sk-svcacct-",
        "sk-admin-",
        "sk-",
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "xoxb-",
        "xoxa-",
        "xoxp-",
        "xoxr-",
        "xoxs-",
        "AKIA",
        "ASIA",
        "ABIA",
        "ACCA",
        "eyJ",
    ];
    let prefix = PREFIXES
        .iter()
        .find(|p| value.starts_with(*p))
        .copied()
        .unwrap_or("");
    format!("{prefix}****")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_from_the_spec() {
        // Values below are synthetic: built from test-only digits, not people.
        let mobile = ["138", "0013", "1706"].concat();
        assert_eq!(mask(&PiiType::Phone, &mobile), "138****1706");
        assert_eq!(
            mask(&PiiType::Email, "alice@example.org"),
            "a***@example.org"
        );
        let id = ["110101", "19900307", "123X"].concat();
        assert_eq!(mask(&PiiType::CnResidentId, &id), "110101********123X");
    }

    #[test]
    fn keep_hides_enough() {
        let chars: Vec<char> = "123456".chars().collect();
        let m = keep(&chars, 3, 4);
        assert_eq!(m.chars().filter(|&c| c == '*').count(), 4);
        assert!(m.starts_with('1'));
        let short: Vec<char> = "12".chars().collect();
        assert_eq!(keep(&short, 3, 4), "****");
    }

    #[test]
    fn international_and_prefixed_phones() {
        assert_eq!(
            mask(&PiiType::Phone, "+86 138 0013 1706"),
            "+86 138****1706"
        );
        assert_eq!(mask(&PiiType::Phone, "+44 20 7946 0958"), "+442*****0958");
        assert_eq!(
            mask(&PiiType::Phone, "１３８００１３１７０６"),
            "138****1706"
        );
    }

    #[test]
    fn other_types() {
        assert_eq!(mask(&PiiType::UsSsn, "219-45-6789"), "***-**-6789");
        assert_eq!(mask(&PiiType::IpAddress, "203.0.113.7"), "203.*.*.*");
        assert_eq!(mask(&PiiType::IpAddress, "2001:db8::1"), "2001:****");
        assert_eq!(mask(&PiiType::CnLicensePlate, "粤B·D12345"), "粤B*****5");
        assert_eq!(
            mask(&PiiType::Secret, "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "ghp_****"
        );
        assert_eq!(
            mask(
                &PiiType::Secret,
                "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----"
            ),
            "-----BEGIN RSA PRIVATE KEY-----****"
        );
        assert_eq!(mask(&PiiType::Email, "ab@example.org"), "***@example.org");
    }
}
