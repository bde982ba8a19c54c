use super::*;

#[test]
fn url_fields_are_recognised_by_their_last_path_segment() {
    for path in [
        "url",
        "URL",
        "meta.url",
        "metadata.source_url",
        "docs[3].url",
        "WARC-Target-URI",
        "warc_target_uri",
    ] {
        assert!(is_url_field(path), "{path}");
    }
    for path in [
        "text",
        "urls_seen",
        "meta.curl",
        "messages[0].content",
        "url.text",
    ] {
        assert!(!is_url_field(path), "{path}");
    }
}

#[test]
fn hosts_keep_only_the_name() {
    let cases = [
        ("https://www.Example.com/a/b?q=1#x", Some("example.com")),
        ("http://news.bbc.co.uk.", Some("news.bbc.co.uk")),
        (
            "HTTPS://zh.wikipedia.org/wiki/北京",
            Some("zh.wikipedia.org"),
        ),
        (
            "https://user:secret@host.example.org:8443/x",
            Some("host.example.org"),
        ),
        ("http://www.com/", Some("www.com")),
        ("https://例子.中国/路径", Some("例子.中国")),
        ("https://192.0.2.7/login", Some(IP_HOST)),
        ("http://[2001:db8::1]:80/", Some(IP_HOST)),
        ("  https://docs.rs  ", Some("docs.rs")),
        ("ftp://files.example.org/", None),
        ("example.org/page", None),
        ("https://localhost/", None),
        ("https://bad host.org/", None),
        ("https://a..b.org/", None),
        ("https:///path", None),
        ("OpenWebText2", None),
    ];
    for (url, want) in cases {
        assert_eq!(host_of(url).as_deref(), want, "{url}");
    }
}

#[test]
fn an_overlong_host_is_not_a_host() {
    let long = format!("https://{}.com/", "a".repeat(300));
    assert_eq!(host_of(&long), None);
}

#[test]
fn regions_come_from_the_table_then_the_country_code() {
    let cases = [
        ("zhuanlan.zhihu.com", "CN"),
        ("baidu.com", "CN"),
        ("news.sina.com.cn", "CN"),
        ("例子.xn--fiqs8s", "CN"),
        ("en.wikipedia.org", "US"),
        ("www.gov.uk", "GB"),
        ("bbc.co.uk", "GB"),
        ("spiegel.de", "DE"),
        ("europa.eu", "EU"),
        ("nih.gov", "US"),
        ("user.github.io", GENERIC),
        ("example.com", GENERIC),
        ("example.org", GENERIC),
        ("x.ai", GENERIC),
        ("qq.com.evil.org", GENERIC),
        (IP_HOST, IP_REGION),
    ];
    for (host, want) in cases {
        assert_eq!(region_of(host), want, "{host}");
    }
}

#[test]
fn the_table_parses_every_line() {
    let text = include_str!("regions.txt");
    let lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count();
    assert_eq!(regions().len(), lines, "a duplicate or malformed line");
    for (suffix, region) in regions() {
        assert!(
            *region == GENERIC
                || (region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase())),
            "{suffix} {region}"
        );
        assert_eq!(suffix.to_lowercase(), *suffix);
    }
}

#[test]
fn sides_for_a_filing_in_china() {
    assert_eq!(side_of("CN"), Side::Domestic);
    assert_eq!(side_of("US"), Side::Foreign);
    assert_eq!(side_of("EU"), Side::Foreign);
    assert_eq!(side_of(GENERIC), Side::Unattributed);
    assert_eq!(side_of(IP_REGION), Side::Unattributed);
}

#[test]
fn the_quick_rejection_keeps_every_listed_name() {
    for name in URL_FIELDS {
        assert!(is_url_field(name), "{name}");
        assert!(is_url_field(&name.to_uppercase()), "{name}");
        assert!(is_url_field(&format!("meta.{name}")), "{name}");
    }
}
