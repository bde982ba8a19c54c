//! SPDX expression handling on top of the spdx crate: case-insensitive ids,
//! GNU shorthand, LicenseRefs, and the lax forms seen in the wild ("mit",
//! "MIT/Apache-2.0", "GPL-2.0+").

use std::collections::HashMap;
use std::sync::LazyLock;

use spdx::{Expression, ParseMode};

use super::rules::{DEPRECATED_RENAMED, DEPRECATED_WITH};

/// Lowercased SPDX license and exception ids -> their canonical spelling.
/// Built from the spdx crate's list; immutable after construction.
pub(super) struct IdTable {
    ids: HashMap<String, &'static str>,
}

/// Parsing that accepts deprecated ids (a tag written years ago is still
/// evidence) but nothing invented.
const VALIDATE: ParseMode = ParseMode {
    allow_slash_as_or_operator: false,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: true,
    allow_deprecated: true,
    allow_unknown: false,
};

pub(super) static IDS: LazyLock<IdTable> = LazyLock::new(IdTable::new);

/// SPDX full names, normalised by [`name_key`] -> id: "Apple Public Source
/// License 2.0" is found as "apple public source 2.0".
pub(super) static FULL_NAMES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for l in spdx::identifiers::LICENSES {
        if let Some(lic) = spdx::license_id(l.name)
            && !lic.is_deprecated()
        {
            m.entry(name_key(lic.full_name)).or_insert(l.name);
        }
    }
    // Notices drop a full name's parenthesised qualifier ("W3C Software
    // Notice and License (2002-12-31)" is written without its date): the
    // name without it is a key too, for the first license (in SPDX's
    // order, the current one before its dated predecessors) that has it,
    // unless another license's full name already is that key.
    for l in spdx::identifiers::LICENSES {
        if let Some(lic) = spdx::license_id(l.name)
            && !lic.is_deprecated()
            && let Some(bare) = without_parentheses(lic.full_name)
        {
            m.entry(name_key(&bare)).or_insert(l.name);
        }
    }
    m
});

/// `name` with its parenthesised parts removed, when it has any.
fn without_parentheses(name: &str) -> Option<String> {
    if !name.contains('(') {
        return None;
    }
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    Some(out)
}

/// A license name reduced to the words that tell licenses apart: lower case,
/// punctuation to spaces, without "the", "license", "version", "agreement"
/// (vendors' licenses are "License Agreements" in their titles and plain
/// "Licenses" in notices: "CeCILL-B Free Software License Agreement"), and
/// with "v2.0" read as "2.0".
pub(super) fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let spaced: String = lower
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '+' {
                c
            } else {
                ' '
            }
        })
        .collect();
    spaced
        .split_whitespace()
        .map(|w| {
            w.strip_prefix('v')
                .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                .unwrap_or(w)
                .trim_end_matches('.')
        })
        .filter(|w| {
            !w.is_empty() && !matches!(*w, "the" | "license" | "licence" | "version" | "agreement")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl IdTable {
    fn new() -> Self {
        let mut ids = HashMap::new();
        for l in spdx::identifiers::LICENSES {
            ids.insert(l.name.to_ascii_lowercase(), l.name);
        }
        for e in spdx::identifiers::EXCEPTIONS {
            ids.insert(e.name.to_ascii_lowercase(), e.name);
        }
        IdTable { ids }
    }

    /// Canonical spelling of an SPDX license or exception id, any case.
    pub(super) fn lookup(&self, word: &str) -> Option<&'static str> {
        self.ids.get(&word.to_ascii_lowercase()).copied()
    }
}

/// Unversioned GNU names mean "any version" (GPL-2.0 section 9, GPL-3.0
/// section 14), which SPDX writes as the first version "or later".
pub(super) fn gnu_unversioned(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().as_str() {
        "gpl" => Some("GPL-1.0-or-later"),
        "lgpl" => Some("LGPL-2.0-or-later"),
        "agpl" => Some("AGPL-3.0-or-later"),
        "gfdl" | "fdl" => Some("GFDL-1.1-or-later"),
        _ => None,
    }
}

fn is_ref_body(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// Rewrites one word of an expression to canonical spelling; `None` when the
/// word is not a known id, operator or LicenseRef.
fn canonical_word(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    if matches!(lower.as_str(), "and" | "or" | "with") {
        return Some(lower.to_ascii_uppercase());
    }
    if let Some(id) = gnu_unversioned(word) {
        return Some(id.to_string());
    }
    if let Some(current) = deprecated_current(word) {
        return Some(current.to_string());
    }
    let (base, plus) = match word.strip_suffix('+') {
        Some(b) => (b, "+"),
        None => (word, ""),
    };
    if let Some(id) = IDS.lookup(base) {
        return Some(format!("{id}{plus}"));
    }
    for prefix in ["licenseref-", "documentref-"] {
        if lower.starts_with(prefix) {
            let body = &word[prefix.len()..];
            return is_ref_body(body).then(|| format!("LicenseRef-{body}"));
        }
    }
    None
}

/// Splits an expression into words, parentheses and `/`.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let sep = c.is_whitespace() || matches!(c, '(' | ')' | '/');
        if sep {
            if let Some(st) = start.take() {
                out.push(&s[st..i]);
            }
            if !c.is_whitespace() {
                out.push(&s[i..i + c.len_utf8()]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// Canonical SPDX expression for `s` when every word is a known id,
/// operator or LicenseRef. `imprecise` additionally lets the spdx crate map
/// names like "apache2" or "gplv3" (its IMPRECISE_NAMES list).
pub(super) fn parse_expression(s: &str, imprecise: bool) -> Option<String> {
    let mut rewritten = Vec::new();
    for w in words(s) {
        match w {
            "(" | ")" => rewritten.push(w.to_string()),
            "/" => rewritten.push("OR".to_string()),
            _ => match canonical_word(w) {
                Some(c) => rewritten.push(c),
                None if imprecise => rewritten.push(w.to_string()),
                None => return None,
            },
        }
    }
    if rewritten.is_empty() {
        return None;
    }
    let joined = rewritten.join(" ").replace("( ", "(").replace(" )", ")");
    let canonical = match Expression::canonicalize(&joined) {
        Ok(Some(c)) => c,
        Ok(None) => joined,
        Err(_) => return None,
    };
    Expression::parse_mode(&canonical, VALIDATE)
        .ok()
        .map(|_| canonical)
}

/// Parses an already-canonical expression (or a lax one) for evaluation.
pub(super) fn to_expression(s: &str) -> Option<Expression> {
    if let Ok(e) = Expression::parse_mode(s, VALIDATE) {
        return Some(e);
    }
    let canonical = parse_expression(s, true)?;
    Expression::parse_mode(&canonical, VALIDATE).ok()
}

/// What a deprecated id is written as today: its `WITH` expression
/// ([`DEPRECATED_WITH`]) or its current id ([`DEPRECATED_RENAMED`]). Any case,
/// as tags are written by hand.
fn deprecated_current(id: &str) -> Option<&'static str> {
    DEPRECATED_WITH
        .iter()
        .chain(DEPRECATED_RENAMED)
        .find(|(old, _)| old.eq_ignore_ascii_case(id))
        .map(|(_, current)| *current)
}

/// The canonical form of an id produced by spdx's matcher: `+` becomes
/// `-or-later`, and GNU ids get an explicit `-only`/`-or-later`.
pub(super) fn canonical_gnu(name: &str, or_later: bool) -> String {
    if let Some(current) = deprecated_current(name) {
        return current.to_string();
    }
    let Some(id) = spdx::license_id(name) else {
        return name.to_string();
    };
    if !id.is_gnu() {
        return name.to_string();
    }
    let base = name
        .trim_end_matches('+')
        .trim_end_matches("-or-later")
        .trim_end_matches("-only");
    let candidate = format!("{base}-{}", if or_later { "or-later" } else { "only" });
    match spdx::license_id(&candidate) {
        Some(_) => candidate,
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lax_expressions() {
        let p = |s| parse_expression(s, true);
        assert_eq!(p("mit").as_deref(), Some("MIT"));
        assert_eq!(p("MIT/Apache-2.0").as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(p("apache-2.0 or mit").as_deref(), Some("Apache-2.0 OR MIT"));
        assert_eq!(p("GPL-2.0+").as_deref(), Some("GPL-2.0-or-later"));
        assert_eq!(p("GPL-3.0").as_deref(), Some("GPL-3.0-only"));
        assert_eq!(p("cc-by-nc-sa-4.0").as_deref(), Some("CC-BY-NC-SA-4.0"));
        assert_eq!(
            p("(MIT OR Apache-2.0) AND BSD-3-Clause").as_deref(),
            Some("(MIT OR Apache-2.0) AND BSD-3-Clause")
        );
        assert_eq!(
            p("Apache-2.0 WITH LLVM-exception").as_deref(),
            Some("Apache-2.0 WITH LLVM-exception")
        );
        assert_eq!(
            p("LicenseRef-foo-1.0").as_deref(),
            Some("LicenseRef-foo-1.0")
        );
        assert_eq!(p("gplv3").as_deref(), Some("GPL-3.0-only"));
        assert_eq!(p("gpl").as_deref(), Some("GPL-1.0-or-later"));
        assert_eq!(p("mitigation"), None);
        assert_eq!(p("MIT OR"), None);
        assert_eq!(p(""), None);
        assert_eq!(parse_expression("apache2", false), None);
    }

    #[test]
    fn deprecated_bundles_are_valid_with_expressions() {
        for (id, with) in DEPRECATED_WITH {
            assert!(
                spdx::license_id(id).is_some_and(|l| l.is_deprecated()),
                "{id}"
            );
            assert_eq!(
                parse_expression(with, false).as_deref(),
                Some(*with),
                "{with}"
            );
        }
    }

    #[test]
    fn deprecated_ids_are_written_as_today() {
        for (id, current) in DEPRECATED_RENAMED {
            assert!(
                spdx::license_id(id).is_some_and(|l| l.is_deprecated()),
                "{id}"
            );
            assert!(
                spdx::license_id(current).is_some_and(|l| !l.is_deprecated()),
                "{current}"
            );
        }
        let p = |s| parse_expression(s, true);
        assert_eq!(
            p("gpl-2.0-with-gcc-exception").as_deref(),
            Some("GPL-2.0-only WITH GCC-exception-2.0")
        );
        assert_eq!(
            p("eCos-2.0").as_deref(),
            Some("GPL-2.0-or-later WITH eCos-exception-2.0")
        );
        assert_eq!(p("BSD-2-Clause-NetBSD").as_deref(), Some("BSD-2-Clause"));
        assert_eq!(
            p("Nunit OR MIT").as_deref(),
            Some("zlib-acknowledgement OR MIT")
        );
        assert_eq!(canonical_gnu("StandardML-NJ", false), "SMLNJ");
    }

    #[test]
    fn full_names_are_found_by_their_distinctive_words() {
        assert_eq!(
            name_key("Apple Public Source License 2.0"),
            "apple public source 2.0"
        );
        assert_eq!(
            name_key("SGI Free Software License B v2.0"),
            "sgi free software b 2.0"
        );
        assert_eq!(
            FULL_NAMES.get("apple public source 2.0").copied(),
            Some("APSL-2.0")
        );
        assert_eq!(FULL_NAMES.get("openssl").copied(), Some("OpenSSL"));
        assert_eq!(
            FULL_NAMES.get("cecill b free software").copied(),
            Some("CECILL-B")
        );
        assert_eq!(
            FULL_NAMES.get("w3c software notice and").copied(),
            Some("W3C")
        );
    }

    #[test]
    fn gnu_canonical_names() {
        assert_eq!(canonical_gnu("GPL-3.0-or-later", false), "GPL-3.0-only");
        assert_eq!(canonical_gnu("GPL-2.0+", true), "GPL-2.0-or-later");
        assert_eq!(
            canonical_gnu("LGPL-2.1-or-later", true),
            "LGPL-2.1-or-later"
        );
        assert_eq!(canonical_gnu("MIT", true), "MIT");
        assert_eq!(
            canonical_gnu("GPL-2.0-with-classpath-exception", false),
            "GPL-2.0-only WITH Classpath-exception-2.0"
        );
    }
}
