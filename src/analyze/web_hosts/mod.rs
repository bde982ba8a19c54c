//! The web host a crawled record came from, and the region its content is attributed to.
//!
//! The EU AI Act's public-summary template asks providers of crawled data for the top
//! 10% of domain names by size of content, and reviewers of a Chinese filing ask first
//! how much web data comes from domestic and how much from foreign hosts. Both need the
//! address each record was fetched from, which web corpora keep in a metadata field:
//! `url` in C4, FineWeb and Dolma, `meta.url` in RedPajama, `WARC-Target-URI` in sets cut
//! from WARC files. Readers already hand every string value over as a field with its
//! path, so recognising the address is a name check on fields the scan has anyway.
//!
//! Only the host is kept: never the path or query (which can name a person) nor any
//! `user:password@` part, and an IP-literal host is counted under one placeholder, since
//! the PII rules treat a public IP address as personal information.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Field names (the last segment of a field path, compared without case) that hold the
/// address a record was fetched from. A field counts only when its value is an absolute
/// `http(s)` URL, so names as loose as `source` or `link` do not mistake a dataset name
/// or a caption for an address.
pub const URL_FIELDS: &[&str] = &[
    "url",
    "source_url",
    "page_url",
    "original_url",
    "canonical_url",
    "target_uri",
    "warc-target-uri",
    "warc_target_uri",
    "uri",
    "link",
    "href",
    "source",
    "website",
];

/// The host every IP-literal address is counted under.
pub const IP_HOST: &str = "(IP address)";

/// The region of hosts no table entry and no country-code TLD attributes.
pub const GENERIC: &str = "generic";

/// The region of IP-literal hosts.
pub const IP_REGION: &str = "ip";

/// A host's name can be long, but never longer than DNS allows; longer text is not a
/// host (and not counted), so a hostile value cannot grow the tables.
const MAX_HOST_BYTES: usize = 253;

/// Whether a field at `path` is one of [`URL_FIELDS`].
pub fn is_url_field(path: &str) -> bool {
    // Every name in the list ends in one of these letters (an array path in a digit or
    // `]`): most fields (`text`, `content`, `instruction`...) are turned away here.
    if !path.as_bytes().last().is_some_and(|b| {
        matches!(
            b.to_ascii_lowercase(),
            b'l' | b'i' | b'k' | b'f' | b'e' | b']' | b'0'..=b'9'
        )
    }) {
        return false;
    }
    let last = last_segment(path);
    URL_FIELDS
        .iter()
        .any(|name| name.eq_ignore_ascii_case(last))
}

/// `meta.url` → `url`, `docs[3].url` → `url`, `url` → `url`.
fn last_segment(path: &str) -> &str {
    let path = path.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit() || c == '[');
    match path.rfind(['.', ']']) {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

/// The host of an absolute `http`/`https` URL: lowercased, without user information,
/// port, trailing dot or a leading `www.`; [`IP_HOST`] for an IP literal. `None` when
/// `text` is not such a URL or its host is not a plausible name.
///
/// Called once per record of a web corpus, so it works on bytes in single passes (the
/// character-wise checks run only for non-ASCII hosts).
pub fn host_of(text: &str) -> Option<Cow<'_, str>> {
    let text = text.trim_ascii();
    let rest = strip_prefix_ignore_case(text, "https://")
        .or_else(|| strip_prefix_ignore_case(text, "http://"))?;
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = match authority.bytes().rposition(|b| b == b'@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    if host_port.starts_with('[') {
        return host_port.contains(']').then_some(Cow::Borrowed(IP_HOST));
    }
    let host = match host_port.bytes().rposition(|b| b == b':') {
        Some(i) if host_port.as_bytes()[i + 1..].iter().all(u8::is_ascii_digit) => &host_port[..i],
        _ => host_port,
    };
    let host = host.trim_end_matches('.');
    if host.is_empty() || host.len() > MAX_HOST_BYTES {
        return None;
    }
    let shape = HostShape::of(host)?;
    if !shape.dotted {
        return None;
    }
    if shape.digits_and_dots {
        return Some(Cow::Borrowed(IP_HOST));
    }
    let host = match host.get(..4) {
        Some(www) if www.eq_ignore_ascii_case("www.") && host[4..].contains('.') => &host[4..],
        _ => host,
    };
    Some(if shape.upper {
        Cow::Owned(host.to_lowercase())
    } else {
        Cow::Borrowed(host)
    })
}

/// What one pass over a host's characters tells: `None` when a character cannot be in
/// a host name (only letters, digits, `-` and `.` can) or two dots meet.
struct HostShape {
    dotted: bool,
    digits_and_dots: bool,
    upper: bool,
}

impl HostShape {
    fn of(host: &str) -> Option<HostShape> {
        let mut shape = HostShape {
            dotted: false,
            digits_and_dots: true,
            upper: false,
        };
        let mut after_dot = false;
        if host.is_ascii() {
            for b in host.bytes() {
                match b {
                    b'.' if after_dot => return None,
                    b'.' => shape.dotted = true,
                    b'0'..=b'9' => {}
                    b'a'..=b'z' | b'-' => shape.digits_and_dots = false,
                    b'A'..=b'Z' => (shape.digits_and_dots, shape.upper) = (false, true),
                    _ => return None,
                }
                after_dot = b == b'.';
            }
        } else {
            for c in host.chars() {
                match c {
                    '.' if after_dot => return None,
                    '.' => shape.dotted = true,
                    '0'..='9' => {}
                    c if c == '-' || c.is_alphanumeric() => {
                        shape.digits_and_dots = false;
                        shape.upper |= c.is_uppercase();
                    }
                    _ => return None,
                }
                after_dot = c == '.';
            }
        }
        Some(shape)
    }
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The region a host's content is attributed to: an ISO 3166-1 alpha-2 code (`CN`,
/// `US`, ...), `EU`, [`GENERIC`] or [`IP_REGION`]. The longest suffix of `regions.txt`
/// on a label boundary decides; then a country-code TLD; else [`GENERIC`].
pub fn region_of(host: &str) -> String {
    if host == IP_HOST {
        return IP_REGION.to_string();
    }
    let table = regions();
    let mut suffix = host;
    loop {
        if let Some(region) = table.get(suffix) {
            return (*region).to_string();
        }
        match suffix.find('.') {
            Some(i) => suffix = &suffix[i + 1..],
            None => break,
        }
    }
    // `suffix` is now the TLD, which no table line named.
    if suffix.len() == 2 && suffix.bytes().all(|b| b.is_ascii_lowercase()) {
        suffix.to_ascii_uppercase()
    } else {
        GENERIC.to_string()
    }
}

/// `regions.txt`, parsed once.
fn regions() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| parse_regions(include_str!("regions.txt")))
}

fn parse_regions(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once(char::is_whitespace))
        .map(|(suffix, region)| (suffix.trim(), region.trim()))
        .collect()
}

/// How a region counts for a filing made in China: `domestic` (CN), `foreign` (any
/// other country or the EU) or `unattributed` (generic names and IP addresses).
pub fn side_of(region: &str) -> Side {
    match region {
        "CN" => Side::Domestic,
        GENERIC | IP_REGION => Side::Unattributed,
        _ => Side::Foreign,
    }
}

/// See [`side_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Attributed to China.
    Domestic,
    /// Attributed to another country.
    Foreign,
    /// A generic name or an IP address: no attribution.
    Unattributed,
}

/// Records and bytes of content from one host.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HostTally {
    /// Records whose address names the host.
    pub records: u64,
    /// UTF-8 bytes of those records' other text fields: the size of the content taken
    /// from the host, the measure the EU template ranks domains by.
    pub bytes: u64,
}

impl HostTally {
    /// Adds another tally in.
    pub fn add(&mut self, other: HostTally) {
        self.records += other.records;
        self.bytes += other.bytes;
    }
}

/// Each host's tally. Hosts are boxed once, when first met in a unit.
pub type HostTallies = HashMap<Box<str>, HostTally>;

/// A file's (or a group's) `web_hosts` block: records with a web address, their bytes,
/// and the bytes per region. Bytes per region sum over files exactly, so a source's
/// domestic / foreign share is exact however its files were scanned, merged or reused.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebHostCounts {
    /// Records with an `http(s)` address in a [`URL_FIELDS`] field.
    pub records: u64,
    /// Their bytes of content (see [`HostTally::bytes`]).
    pub bytes: u64,
    /// Bytes per region ([`region_of`]).
    pub bytes_by_region: BTreeMap<String, u64>,
}

impl WebHostCounts {
    /// The counts of `hosts`, each host's region looked up once.
    pub fn of(hosts: &HostTallies) -> Self {
        let mut counts = WebHostCounts::default();
        for (host, tally) in hosts {
            counts.records += tally.records;
            counts.bytes += tally.bytes;
            *counts.bytes_by_region.entry(region_of(host)).or_default() += tally.bytes;
        }
        counts
    }

    /// Adds another file's or group's counts.
    pub fn merge(&mut self, other: &WebHostCounts) {
        self.records += other.records;
        self.bytes += other.bytes;
        for (region, bytes) in &other.bytes_by_region {
            *self.bytes_by_region.entry(region.clone()).or_default() += bytes;
        }
    }

    /// Bytes attributed to `side`.
    pub fn bytes_on(&self, side: Side) -> u64 {
        self.bytes_by_region
            .iter()
            .filter(|(region, _)| side_of(region) == side)
            .map(|(_, bytes)| bytes)
            .sum()
    }
}

#[cfg(test)]
mod tests;
