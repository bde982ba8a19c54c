//! Splitting a root URL into the store it names and the prefix inside that store.
//!
//! Parsing is done by hand rather than with a URL library because object keys are not
//! URL paths: `s3://b/a b#1.jsonl` names the key `a b#1.jsonl` (as the AWS CLI reads
//! it), whereas a URL parser would cut at `#`. Only `http(s)://` paths are real URL
//! paths and are percent-decoded.

use super::error::RemoteError;

/// Which family of object store a URL belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    S3,
    Gcs,
    Azure,
    Http,
}

/// The parts of a root URL that the store builders and the listing need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedUrl {
    pub scheme: Scheme,
    /// What the object_store builder's `with_url` is given: the URL up to the bucket,
    /// container or host, without any path.
    pub store_url: String,
    /// The bucket, container or host name: what a root with no prefix is called.
    pub store_name: String,
    /// The key prefix inside the store, `/`-separated, without leading or trailing `/`.
    pub prefix: String,
    /// The URL ended in `/` (or had no path), so the prefix is surely a "directory".
    pub directory: bool,
}

/// The schemes [`parse`] accepts, lower-case, with what follows them.
const SCHEMES: &[(&str, Scheme)] = &[
    ("s3", Scheme::S3),
    ("gs", Scheme::Gcs),
    ("az", Scheme::Azure),
    ("abfs", Scheme::Azure),
    ("abfss", Scheme::Azure),
    ("http", Scheme::Http),
    ("https", Scheme::Http),
];

/// Tells whether a root names an object store rather than a local path.
pub fn is_remote(root: &str) -> bool {
    scheme_of(root).is_some()
}

/// The scheme's canonical name and family, and what follows `://`.
fn scheme_of(root: &str) -> Option<(&'static str, Scheme, &str)> {
    let (scheme, rest) = root.split_once("://")?;
    let (name, family) = SCHEMES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(scheme))?;
    Some((name, *family, rest))
}

/// Splits `url` into store and prefix, refusing shapes that would leak secrets into
/// messages (user:password@, presigned query strings) or that object_store cannot use.
pub(crate) fn parse(url: &str) -> Result<ParsedUrl, RemoteError> {
    let unsupported = |reason: &str| RemoteError::UnsupportedUrl {
        url: redact_url(url),
        reason: reason.to_string(),
    };
    let Some((name, scheme, rest)) = scheme_of(url) else {
        return Err(unsupported(
            "not an object-store URL; use s3://, gs://, az://, abfs://, abfss://, http:// or https://",
        ));
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.is_empty() {
        return Err(unsupported(
            "the URL names no bucket, container or host; write it as s3://BUCKET/PREFIX",
        ));
    }
    let path = match scheme {
        Scheme::Http => http_path(authority, path).map_err(|reason| unsupported(&reason))?,
        _ => path.to_string(),
    };
    let directory = path.is_empty() || path.ends_with('/');
    let prefix = path.trim_matches('/').to_string();
    if prefix.split('/').any(|s| s == "." || s == "..") || prefix.contains("//") {
        return Err(unsupported(
            "the prefix contains an empty, `.` or `..` segment, which object stores cannot list; \
             remove the doubled `/` or the dot segment",
        ));
    }
    let store_url = match scheme {
        Scheme::Http => format!("{name}://{authority}/"),
        _ => format!("{name}://{authority}"),
    };
    Ok(ParsedUrl {
        scheme,
        store_url,
        store_name: store_name(scheme, authority),
        prefix,
        directory,
    })
}

/// The human name of the bucket, container or host in an authority.
fn store_name(scheme: Scheme, authority: &str) -> String {
    match (scheme, authority.split_once('@')) {
        // abfss://container@account.dfs.core.windows.net: the container is the "bucket".
        (Scheme::Azure, Some((container, _))) => container.to_string(),
        _ => authority.to_string(),
    }
}

/// Checks and decodes the path of an http(s) URL.
fn http_path(authority: &str, path: &str) -> Result<String, String> {
    if authority.contains('@') {
        return Err(
            "credentials inside the URL are not supported (they would show up in \
                    reports and logs); serve the files without them or copy them locally"
                .to_string(),
        );
    }
    if path.contains('?') || path.contains('#') || authority.contains('?') {
        return Err(
            "query strings and fragments are not supported (a presigned URL cannot be \
                    listed or read by ranges); download the file or give a plain URL"
                .to_string(),
        );
    }
    percent_decode(path)
        .ok_or_else(|| "the path has a malformed or non-UTF-8 %-escape; fix the URL".to_string())
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let text = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(text, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The URL with any `user:password@` and query string removed, safe to print.
pub(crate) fn redact_url(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => format!("{scheme}://***@{host}{path}"),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_remote_schemes_only() {
        for url in [
            "s3://b/x",
            "S3://b",
            "gs://b/p/",
            "az://c/p",
            "abfs://c/p",
            "abfss://c@acct.dfs.core.windows.net/p",
            "http://h/x",
            "https://h/x",
        ] {
            assert!(is_remote(url), "{url}");
        }
        for root in [
            "data/s3://x",
            "/tmp/x",
            "file:///tmp/x",
            "ftp://h/x",
            "s3:/b",
        ] {
            assert!(!is_remote(root), "{root}");
        }
    }

    #[test]
    fn splits_bucket_and_prefix() {
        let p = parse("s3://bucket/data/demo/").unwrap();
        assert_eq!(p.scheme, Scheme::S3);
        assert_eq!(p.store_url, "s3://bucket");
        assert_eq!(p.store_name, "bucket");
        assert_eq!(p.prefix, "data/demo");
        assert!(p.directory);

        let p = parse("s3://bucket/data/file.jsonl").unwrap();
        assert_eq!(p.prefix, "data/file.jsonl");
        assert!(!p.directory);

        let p = parse("gs://bucket").unwrap();
        assert_eq!(p.prefix, "");
        assert!(p.directory);
    }

    #[test]
    fn keeps_object_keys_literal_but_decodes_http_paths() {
        assert_eq!(parse("s3://b/a b%20#1").unwrap().prefix, "a b%20#1");
        let p = parse("https://host:8080/d/a%20b.jsonl").unwrap();
        assert_eq!(p.store_url, "https://host:8080/");
        assert_eq!(p.store_name, "host:8080");
        assert_eq!(p.prefix, "d/a b.jsonl");
    }

    #[test]
    fn azure_container_is_the_store_name() {
        let p = parse("abfss://data@acct.dfs.core.windows.net/x/y").unwrap();
        assert_eq!(p.scheme, Scheme::Azure);
        assert_eq!(p.store_name, "data");
        assert_eq!(p.store_url, "abfss://data@acct.dfs.core.windows.net");
        assert_eq!(p.prefix, "x/y");
    }

    #[test]
    fn refuses_secrets_and_unlistable_prefixes_without_echoing_secrets() {
        let err = parse("https://me:hunter2@host/x").unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
        let err = parse("https://host/x?X-Amz-Signature=abc")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("abc"), "{err}");
        assert!(parse("s3://b/a//b").is_err());
        assert!(parse("s3://b/a/../b").is_err());
        assert!(parse("s3:///x").is_err());
        assert!(parse("https://h/%zz").is_err());
    }

    #[test]
    fn redacts_passwords_and_queries() {
        assert_eq!(redact_url("https://u:p@h/x?sig=1"), "https://***@h/x");
        assert_eq!(redact_url("abfss://c@a.dfs/x"), "abfss://c@a.dfs/x");
        assert_eq!(redact_url("s3://b/k"), "s3://b/k");
    }
}
