//! License names, notices, URLs, label lines and SPDX tags: the short-form
//! evidence. Turns matched text into SPDX ids and decides the evidence kind
//! from the words around a name.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::{Captures, Regex};

use super::expr::{FULL_NAMES, IDS, gnu_unversioned, name_key, parse_expression};
use super::lines::floor_boundary;
use super::rules::{
    DECLARED_ALIASES, DOC_TAG_RULE, GNU_VERSION_NEAR, HEADING_RULE, JSON_LABEL_RULE,
    JSON_OBJECT_LABEL_RULE, LABEL_RULE, LIST_SUFFIX_RULE, LOOSE_NOTICE_PREFIXES, MORE_NAME_RULES,
    MORE_NOTICE_PREFIXES, MORE_NOTICE_SUFFIXES, MORE_URL_RULES, NAME_RULES, NAME_STOP_WORDS,
    NOTICE_PREFIXES, NOTICE_SUFFIXES, NameRule, Resolve, SETEXT_HEADING_RULE, SPDX_TAG_RULE,
    UNLISTED_GENERIC_WORDS, UNLISTED_NOTICE_RULE, UNLISTED_RULE, URL_RULES, URL_SLUGS,
};
use super::{EvidenceKind, LicenseMatch, MarkerKind};

/// Lets `\s` separators in rule patterns also cross comment leaders, so a
/// notice wrapped over `# `-prefixed lines still reads as one phrase. m4's
/// `dnl` leader counts only at the start of a line.
fn expand_sep(p: &str) -> String {
    p.replace(r"\s+", r"(?:[\s#*;!%/-]|\ndnl\b)+")
        .replace(r"\s*", r"(?:[\s#*;!%/-]|\ndnl\b)*")
}

/// Compiles a rule pattern with ASCII word boundaries. Unicode `\b` makes
/// the regex crate leave its DFA for a much slower engine on any non-ASCII
/// haystack, and every boundary in these rules sits next to ASCII anyway.
pub(super) fn rule_regex(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)"))
}

pub(super) struct NameHit {
    pub start: usize,
    pub end: usize,
    pub license: String,
    pub rule: &'static str,
    pub bare: bool,
}

pub(super) struct Names {
    rules: Vec<(&'static NameRule, Regex)>,
    /// Rule keys (lowercase) -> index of the rule they enable.
    keys: AhoCorasick,
    key_rule: Vec<usize>,
    prefixes: Vec<Regex>,
    loose_prefixes: Vec<Regex>,
    suffixes: Vec<Regex>,
    /// The suffix that closes a list of licenses ("... tri-license"): the
    /// names joined before the last one are notices too.
    list_suffix: Option<Regex>,
    label: Regex,
    doc_tag: Regex,
    json_label: Regex,
    json_object_label: Regex,
    heading: Regex,
    setext_heading: Regex,
    tag: Regex,
    urls: Vec<(&'static str, Regex)>,
    /// [`UNLISTED_NOTICE_RULE`].
    unlisted: Regex,
}

/// Words that may surround a license name in a declared value without
/// changing which license it is ("The MIT License", "Apache License,
/// Version 2.0 International").
const FILLER: &[&str] = &[
    "the",
    "a",
    "an",
    "license",
    "licence",
    "licensed",
    "licenses",
    "version",
    "v",
    "international",
    "unported",
    "generic",
    "public",
    "agreement",
    "terms",
    "of",
    "use",
    "under",
    "released",
    "open",
    "source",
    "software",
    "code",
    "协议",
    "许可证",
    "许可",
    "开源",
    "授权",
    "许可协议",
    "國際",
    "国际",
];

impl Names {
    pub(super) fn new() -> Result<Self, super::BuildError> {
        let key_list: Vec<(usize, &str)> = NAME_RULES
            .iter()
            .chain(MORE_NAME_RULES)
            .enumerate()
            .flat_map(|(i, r)| r.keys.iter().map(move |k| (i, *k)))
            .collect();
        // A DFA: the keys run over every name span, and past 100 patterns
        // the builder's automatic choice is a slower NFA.
        let keys = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(key_list.iter().map(|(_, k)| k))?;
        let rules = NAME_RULES
            .iter()
            .chain(MORE_NAME_RULES)
            .map(|r| rule_regex(&expand_sep(r.pattern)).map(|re| (r, re)))
            .collect::<Result<_, _>>()?;
        let compile = |ps: &[&str]| {
            ps.iter()
                .map(|p| rule_regex(&expand_sep(p)))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Names {
            rules,
            keys,
            key_rule: key_list.iter().map(|(i, _)| *i).collect(),
            prefixes: compile(
                &NOTICE_PREFIXES
                    .iter()
                    .copied()
                    .chain(MORE_NOTICE_PREFIXES.iter().map(|(_, p, _)| *p))
                    .collect::<Vec<_>>(),
            )?,
            loose_prefixes: compile(LOOSE_NOTICE_PREFIXES)?,
            suffixes: compile(
                &NOTICE_SUFFIXES
                    .iter()
                    .copied()
                    .chain(MORE_NOTICE_SUFFIXES.iter().map(|(_, p, _)| *p))
                    .collect::<Vec<_>>(),
            )?,
            list_suffix: MORE_NOTICE_SUFFIXES
                .iter()
                .find(|(id, _, _)| *id == LIST_SUFFIX_RULE)
                .map(|(_, p, _)| rule_regex(&expand_sep(p)))
                .transpose()?,
            label: rule_regex(LABEL_RULE)?,
            doc_tag: rule_regex(DOC_TAG_RULE)?,
            json_label: rule_regex(JSON_LABEL_RULE)?,
            json_object_label: rule_regex(JSON_OBJECT_LABEL_RULE)?,
            heading: rule_regex(HEADING_RULE)?,
            setext_heading: rule_regex(SETEXT_HEADING_RULE)?,
            tag: rule_regex(SPDX_TAG_RULE)?,
            unlisted: rule_regex(&expand_sep(UNLISTED_NOTICE_RULE))?,
            urls: URL_RULES
                .iter()
                .copied()
                .chain(MORE_URL_RULES.iter().map(|(id, p, _, _)| (*id, *p)))
                .map(|(id, p)| rule_regex(p).map(|re| (id, re)))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Raw license-name occurrences in `text[s..e]`, longest first at each
    /// start, with contained occurrences removed.
    pub(super) fn find_names(&self, text: &str, s: usize, e: usize, out: &mut Vec<NameHit>) {
        let hay = &text[s..e];
        let mut enabled = vec![false; self.rules.len()];
        for m in self.keys.find_overlapping_iter(hay) {
            if let Some(&r) = self.key_rule.get(m.pattern().as_usize()) {
                enabled[r] = true;
            }
        }
        let mut hits = Vec::new();
        for ((rule, re), _) in self.rules.iter().zip(&enabled).filter(|(_, on)| **on) {
            for caps in re.captures_iter(hay) {
                if let Some(hit) = self.hit(text, s, rule, &caps) {
                    hits.push(hit);
                }
            }
        }
        hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut reach = None;
        for h in hits {
            if reach.is_some_and(|r| h.end <= r) {
                continue;
            }
            reach = Some(reach.map_or(h.end, |r: usize| r.max(h.end)));
            out.push(h);
        }
    }

    fn hit(
        &self,
        text: &str,
        base: usize,
        rule: &'static NameRule,
        caps: &Captures,
    ) -> Option<NameHit> {
        let m = caps.get(0)?;
        let raw = m.as_str();
        let lead = raw.len() - raw.trim_start_matches(is_sep).len();
        let body = raw.trim_matches(is_sep);
        if body.is_empty() {
            return None;
        }
        let mut start = base + m.start() + lead;
        let end = start + body.len();
        if !clean_edges(text, start, end) {
            return None;
        }
        let license = match rule.resolve {
            Resolve::SpdxName => {
                let (license, name_start) = spdx_named(caps)?;
                start = base + name_start;
                license
            }
            how => resolve(how, caps, body)?,
        };
        let bare = rule.bare
            || is_spdx_token(body)
            || matches!(rule.resolve, Resolve::SpdxName)
                && caps.name("ver").is_some()
                && formal_name(&text[start..end]);
        Some(NameHit {
            start,
            end,
            license,
            rule: rule.id,
            bare,
        })
    }

    /// Evidence kind for a name found in running text, or `None` when the
    /// text only mentions the license.
    pub(super) fn classify(&self, text: &str, h: &NameHit) -> Option<EvidenceKind> {
        let bs = floor_boundary(text, h.start.saturating_sub(160));
        let raw = &text[bs..h.start];
        // The same wording with the markup that opens the name set aside:
        // "licensed under either of [Apache License ...](LICENSE-APACHE)",
        // `<a href="LICENSE-MIT">MIT license</a>`, "under the **MIT** license".
        let plain = without_trailing_markup(raw);
        let word_like = !text[h.start..h.end].contains(char::is_whitespace) && h.end - h.start <= 6;
        for before in std::iter::once(raw).chain((plain.len() < raw.len()).then_some(plain)) {
            if self.prefixes.iter().any(|re| re.is_match(before)) {
                return Some(EvidenceKind::LicenseNotice);
            }
            if !word_like && self.loose_prefixes.iter().any(|re| re.is_match(before)) {
                return Some(EvidenceKind::LicenseNotice);
            }
        }
        let after = &text[h.end..floor_boundary(text, h.end + 48)];
        if self.suffixes.iter().any(|re| re.is_match(after))
            || h.rule == "name.mit" && text[h.start..h.end].ends_with('d')
        {
            return Some(EvidenceKind::LicenseNotice);
        }
        h.bare.then_some(EvidenceKind::LicenseName)
    }

    /// Notices and specific names in `text[s..e]`.
    pub(super) fn scan_names(&self, text: &str, s: usize, e: usize, out: &mut Vec<LicenseMatch>) {
        let mut hits = Vec::new();
        self.find_names(text, s, e, &mut hits);
        let closes_list = self.closed_lists(text, &hits);
        let mut last_notice: Option<usize> = None;
        let mut evs: Vec<Option<EvidenceKind>> = Vec::with_capacity(hits.len());
        for (i, h) in hits.iter().enumerate() {
            let ev = self.classify(text, h).or_else(|| {
                let joined = last_notice
                    .is_some_and(|end| end <= h.start && is_conjunction(&text[end..h.start]))
                    || closes_list.get(i).copied().unwrap_or(false);
                joined.then_some(EvidenceKind::LicenseNotice)
            });
            if ev == Some(EvidenceKind::LicenseNotice) {
                last_notice = Some(h.end);
            }
            evs.push(ev);
        }
        join_backward(text, &hits, &mut evs);
        for (h, ev) in hits.iter().zip(evs) {
            if let Some(ev) = ev {
                let mut license = None;
                if ev == EvidenceKind::LicenseNotice {
                    license = self.version_from_neighbour(text, h, &hits);
                }
                let license = license
                    .or_else(|| perl_artistic(text, h, &hits))
                    .unwrap_or_else(|| h.license.clone());
                out.push(license_match(ev, license, h.rule, h.start, h.end));
            }
        }
        self.scan_labels(text, s, e, out);
    }

    /// Notices in `text[s..e]` that name a license no table knows (see
    /// [`UNLISTED_NOTICE_RULE`]); the caller reads them only where the text
    /// names no license at all.
    pub(super) fn scan_unlisted(
        &self,
        text: &str,
        s: usize,
        e: usize,
        out: &mut Vec<LicenseMatch>,
    ) {
        for caps in self.unlisted.captures_iter(&text[s..e]) {
            let (Some(all), Some(name)) = (caps.get(0), caps.name("name")) else {
                continue;
            };
            let words: Vec<String> = name
                .as_str()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            let stop = words.iter().any(|w| NAME_STOP_WORDS.contains(&w.as_str()));
            let generic = words
                .iter()
                .all(|w| UNLISTED_GENERIC_WORDS.contains(&w.as_str()));
            if !stop && !generic {
                out.push(license_match(
                    EvidenceKind::LicenseNotice,
                    "LicenseRef-Unlisted-License".to_string(),
                    UNLISTED_RULE,
                    s + name.start(),
                    s + all.end(),
                ));
            }
        }
    }

    /// Which of `hits` belong to a list closed by [`LIST_SUFFIX_RULE`]
    /// wording after its last name ("GPL 2.0/LGPL 2.1/MPL 1.1 tri-license"):
    /// every name joined to the next by a conjunction, back from the one the
    /// suffix follows. Forward joining (a name after a notice) cannot reach
    /// these, since the notice wording comes last.
    fn closed_lists(&self, text: &str, hits: &[NameHit]) -> Vec<bool> {
        let mut out = vec![false; hits.len()];
        let Some(re) = &self.list_suffix else {
            return out;
        };
        for i in (0..hits.len()).rev() {
            let h = &hits[i];
            out[i] = match hits.get(i + 1) {
                Some(n) if out[i + 1] && h.end <= n.start => is_conjunction(&text[h.end..n.start]),
                _ => re.is_match(&text[h.end..floor_boundary(text, h.end + 48)]),
            };
        }
        out
    }

    /// `License: X` lines and `## License` headings followed by a name.
    fn scan_labels(&self, text: &str, s: usize, e: usize, out: &mut Vec<LicenseMatch>) {
        let hay = &text[s..e];
        // A setext heading needs its underline: most spans have none.
        let underlined = ["---", "===", "~~~"].iter().any(|u| hay.contains(u));
        for (re, rule) in [
            (&self.label, "name.label"),
            (&self.doc_tag, "name.doc_tag"),
            (&self.json_label, "name.json"),
            (&self.json_object_label, "name.json"),
            (&self.heading, "name.heading"),
        ]
        .into_iter()
        .chain(underlined.then_some((&self.setext_heading, "name.heading")))
        {
            for caps in re.captures_iter(hay) {
                let Some(v) = caps.name("v") else { continue };
                // A heading's value may open with markup: `<a href=...>MIT
                // license</a>`, `[MIT](LICENSE)`, `**MIT**`.
                let lead = leading_markup(v.as_str());
                let value = &v.as_str()[lead..];
                // A list item under the heading, its names emphasised:
                // "- **MIT** OR **Apache-2.0**" reads as "MIT OR Apache-2.0".
                let found = self.declared_prefix(value).or_else(|| {
                    let item = value
                        .strip_prefix(['-', '+', '\u{2022}'])
                        .filter(|r| r.starts_with([' ', '\t']))
                        .unwrap_or(value);
                    let plain = without_markup(item);
                    (plain.len() < value.len())
                        .then(|| self.declared_prefix(&plain))
                        .flatten()
                        .map(|(l, _)| (l, value.trim_end().len()))
                });
                if let Some((license, len)) = found {
                    let start = s + v.start() + lead;
                    out.push(license_match(
                        EvidenceKind::LicenseName,
                        license,
                        rule,
                        start,
                        start + len,
                    ));
                }
            }
        }
    }

    /// The license a label value starts with, and the byte length it spans:
    /// `License: MIT (see LICENSE)` names MIT.
    fn declared_prefix(&self, value: &str) -> Option<(String, usize)> {
        let trim = |v: &str| {
            v.trim_end_matches(['.', ',', ';', ' ', '\t', '\r', '`', '*', ')'])
                .len()
        };
        // "Dual MIT/GPL": the words after "dual" are the expression.
        if let Some(rest) = strip_word(value, "dual") {
            let offset = value.len() - rest.len();
            return self.declared_prefix(rest).map(|(l, len)| (l, offset + len));
        }
        if let Some(l) = self.declared(value) {
            return Some((l, trim(value)));
        }
        let ends: Vec<usize> = value
            .char_indices()
            .filter(|(_, c)| c.is_whitespace())
            .map(|(i, _)| i)
            .take(6)
            .collect();
        ends.iter()
            .rev()
            .find_map(|&e| self.declared(&value[..e]).map(|l| (l, trim(&value[..e]))))
    }

    /// The GNU license a header names in its own words, when it states a
    /// version: "GNU Lesser General Public License ... either version 2.1 ...
    /// or (at your option) any later version". The matcher scores GNU headers
    /// by word pairs, which barely tell "version 2" from "version 3", "General"
    /// from "Lesser General", or "any later version" from its absence.
    ///
    /// A header whose notice names no version keeps the matcher's id unless
    /// the notice names another family (`matched` is the matcher's id): a
    /// "Lesser General Public License" header is an LGPL whatever the word
    /// pairs score, and without a version it is the unversioned LGPL.
    pub(super) fn gnu_wording(
        &self,
        text: &str,
        s: usize,
        e: usize,
        matched: &str,
    ) -> Option<String> {
        let mut hits = Vec::new();
        self.find_names(text, s, e, &mut hits);
        let notices: Vec<NameHit> = hits
            .into_iter()
            .filter(|h| is_gnu_rule(h.rule))
            .filter(|h| self.classify(text, h) == Some(EvidenceKind::LicenseNotice))
            .collect();
        notices
            .iter()
            .find(|h| has_version(text, h))
            .or_else(|| {
                notices
                    .iter()
                    .find(|h| gnu_family(&h.license) != gnu_family(matched))
            })
            .map(|h| h.license.clone())
    }

    /// The id an unversioned GNU notice `h` takes from a versioned name of the
    /// same family among `hits` right after it (see [`GNU_VERSION_NEAR`]).
    fn version_from_neighbour(&self, text: &str, h: &NameHit, hits: &[NameHit]) -> Option<String> {
        if !is_gnu_rule(h.rule) || has_version(text, h) {
            return None;
        }
        // `hits` is in start order: start at the first hit after this one, so
        // a text of many notices costs a bounded look-ahead per notice.
        let from = hits.partition_point(|n| n.start < h.end);
        hits[from..]
            .iter()
            .take_while(|n| n.start - h.end <= GNU_VERSION_NEAR)
            .filter(|n| is_gnu_rule(n.rule))
            .find(|n| gnu_family(&n.license) == gnu_family(&h.license) && has_version(text, n))
            .map(|n| n.license.clone())
    }

    /// A license named by a title line near the start of a text: "The
    /// FreeBSD Documentation License", or "Licence Art Libre" with "Version
    /// 1.2" on a line below. A license text starts with its own name; the line
    /// must be that name and nothing else (words in parentheses aside), and
    /// only the first [`TITLE_LINES`] non-empty lines are read.
    pub(super) fn title(&self, text: &str) -> Option<LicenseMatch> {
        let head = &text[..floor_boundary(text, TITLE_BYTES.min(text.len()))];
        let mut lines: Vec<(usize, &str)> = Vec::new();
        let mut pos = 0;
        for raw in head.split_inclusive('\n') {
            let t = raw.trim();
            if !t.is_empty() {
                let lead = raw.len() - raw.trim_start().len();
                lines.push((pos + lead, t));
            }
            pos += raw.len();
        }
        lines.truncate(TITLE_LINES + 3);
        for (i, &(at, line)) in lines.iter().enumerate().take(TITLE_LINES) {
            let lower = line.to_lowercase();
            if line.len() > 100 || !(lower.contains("license") || lower.contains("licence")) {
                continue;
            }
            let bare: String = without_parentheses(line);
            let version = lines
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .take(3)
                .find_map(|(_, l)| title_version(l));
            // A GNU title ("GNU LESSER GENERAL PUBLIC LICENSE" over "Version
            // 3, 29 June 2007") is a full text, so `-only` (see the module
            // doc); SPDX's names for it carry "only" / "or later".
            let gnu = ["general public license", "free documentation license"]
                .iter()
                .any(|f| lower.contains(f));
            if gnu
                && let Some(id) =
                    version.and_then(|v| gnu_id(&gnu_base(&lower), Some(v), false, true))
            {
                return Some(license_match(
                    EvidenceKind::LicenseName,
                    id,
                    "name.title",
                    at,
                    at + line.len(),
                ));
            }
            let keys = version
                .map(|v| name_key(&format!("{bare} {v}")))
                .into_iter()
                .chain(std::iter::once(name_key(&bare)));
            for key in keys {
                if let Some(id) = FULL_NAMES
                    .get(&key)
                    .and_then(|id| parse_expression(id, false))
                {
                    return Some(license_match(
                        EvidenceKind::LicenseName,
                        id,
                        "name.title",
                        at,
                        at + line.len(),
                    ));
                }
            }
        }
        None
    }

    /// `SPDX-License-Identifier:` tags in `text[s..e]`.
    pub(super) fn scan_tags(&self, text: &str, s: usize, e: usize, out: &mut Vec<LicenseMatch>) {
        for caps in self.tag.captures_iter(&text[s..e]) {
            let (Some(all), Some(expr)) = (caps.get(0), caps.name("expr")) else {
                continue;
            };
            let cleaned = clean_tag_expression(expr.as_str());
            if let Some(license) = tag_license(cleaned) {
                let start = s + all.start();
                let lead = cleaned.as_ptr() as usize - expr.as_str().as_ptr() as usize;
                let end = s + expr.start() + lead + cleaned.len();
                out.push(license_match(
                    EvidenceKind::SpdxTag,
                    license,
                    "spdx.tag",
                    start,
                    end,
                ));
            }
        }
    }

    /// License URLs in `text[s..e]`.
    pub(super) fn scan_urls(&self, text: &str, s: usize, e: usize, out: &mut Vec<LicenseMatch>) {
        let hay = &text[s..e];
        for (id, re) in &self.urls {
            for caps in re.captures_iter(hay) {
                let Some(m) = caps.get(0) else { continue };
                if let Some(license) = self.resolve_url(id, &caps) {
                    out.push(license_match(
                        EvidenceKind::LicenseUrl,
                        license,
                        id,
                        s + m.start(),
                        s + m.end(),
                    ));
                }
            }
        }
    }

    fn resolve_url(&self, id: &str, caps: &Captures) -> Option<String> {
        let g = |n: &str| caps.name(n).map(|m| m.as_str());
        match id {
            "url.creativecommons" => cc_url(g("kind")?, g("els")?, g("ver"), g("jur")),
            "url.gnu" => gnu_id(&gnu_base(g("fam")?), g("ver"), false, false),
            "url.apache" => Some(format!("Apache-{}", g("ver")?)),
            "url.opensource" | "url.choosealicense" | "url.spdx" => url_id(g("id")?),
            "url.mozilla" => Some(format!("MPL-{}", g("ver")?)),
            "url.eclipse" => {
                let v = g("ver")?;
                Some(
                    if v.contains('2') {
                        "EPL-2.0"
                    } else {
                        "EPL-1.0"
                    }
                    .to_string(),
                )
            }
            "url.unlicense" => Some("Unlicense".to_string()),
            "url.wtfpl" => Some("WTFPL".to_string()),
            "url.odc" => match g("id")?.to_ascii_lowercase().as_str() {
                "odbl" => Some("ODbL-1.0".to_string()),
                "by" => Some("ODC-By-1.0".to_string()),
                _ => Some("PDDL-1.0".to_string()),
            },
            "url.shields" => self.declared(&shields_unescape(g("v")?)),
            "url.llama" => Some(format!("LicenseRef-llama{}", g("ver")?.replace('_', "."))),
            "url.gemma" => Some("LicenseRef-gemma".to_string()),
            "url.openai" => Some("LicenseRef-OpenAI-Terms".to_string()),
            _ => MORE_URL_RULES
                .iter()
                .find(|(rule, ..)| *rule == id)
                .map(|(_, _, license, _)| license.to_string()),
        }
    }

    /// A declared license (dataset card, manifest, metadata field, label) to
    /// a canonical SPDX expression. Tries, in order: known non-SPDX ids,
    /// exact SPDX ids/expressions (any case), license names covering the
    /// whole value, and finally spdx's imprecise names.
    pub(super) fn declared(&self, raw: &str) -> Option<String> {
        let t = raw
            .trim()
            .trim_matches(|c: char| matches!(c, '"' | '\'' | '`' | '[' | ']'))
            .trim();
        if t.is_empty() || t.len() > 200 {
            return None;
        }
        let lower = t.to_lowercase();
        if let Some((_, target)) = DECLARED_ALIASES.iter().find(|(k, _)| *k == lower) {
            return (!target.is_empty()).then(|| target.to_string());
        }
        parse_expression(t, false)
            .or_else(|| self.whole_name(t))
            .or_else(|| parse_expression(t, true))
    }

    /// The single license named by `t`, when names cover all of it except
    /// filler words.
    fn whole_name(&self, t: &str) -> Option<String> {
        let mut hits = Vec::new();
        self.find_names(t, 0, t.len(), &mut hits);
        let first = hits.first()?;
        if hits.iter().any(|h| h.license != first.license) {
            return None;
        }
        let mut covered = vec![false; t.len()];
        for h in &hits {
            covered[h.start..h.end].iter_mut().for_each(|c| *c = true);
        }
        let rest: String = t
            .char_indices()
            .map(|(i, c)| if covered[i] { ' ' } else { c })
            .collect();
        let filler_only = rest
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| FILLER.contains(&w.to_lowercase().as_str()));
        filler_only.then(|| first.license.clone())
    }
}

/// How many non-empty lines at the start of a text may hold its title.
const TITLE_LINES: usize = 3;
/// How many bytes at the start of a text the title is looked for in.
const TITLE_BYTES: usize = 600;

/// `line` with parenthesised asides ("(LiLiQ-P)") removed.
fn without_parentheses(line: &str) -> String {
    let mut depth = 0usize;
    line.chars()
        .filter(|&c| match c {
            '(' | '[' => {
                depth += 1;
                false
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// The version a "Version 1.2" / "Version 1.0, February 2003" line states.
fn title_version(line: &str) -> Option<&str> {
    let rest = line
        .get(..8)
        .filter(|h| h.eq_ignore_ascii_case("version "))?;
    let tail = line[rest.len()..].trim_start();
    let end = tail
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(tail.len());
    let v = tail[..end].trim_end_matches('.');
    v.starts_with(|c: char| c.is_ascii_digit()).then_some(v)
}

pub(super) fn license_match(
    ev: EvidenceKind,
    license: String,
    rule: &'static str,
    start: usize,
    end: usize,
) -> LicenseMatch {
    LicenseMatch {
        kind: MarkerKind::License,
        evidence: Some(ev),
        license: Some(license),
        rule,
        start,
        end,
    }
}

/// Whether the text between two names joins them into one notice: "GPLv2
/// or BSD", "MIT/GPL", "the GPL version 2 and BSD", "Apache-2.0, MIT",
/// "MIT & BSD".
fn is_conjunction(between: &str) -> bool {
    // "the Apache 2.0 license as well as the MIT license": both apply. (Each
    // branch here only looks at a short `between`, so a long run of text
    // between two names costs one length check.)
    if between.len() <= TAG_MAX
        && let Some(i) = between.to_ascii_lowercase().find("as well as")
    {
        let joined = format!(
            "{} and {}",
            &between[..i],
            &between[i + "as well as".len()..]
        );
        return is_conjunction(&joined);
    }
    if between.len() <= TAG_MAX && between.contains(['<', '[', ']', '*', '`']) {
        let plain = without_markup(between);
        if plain.len() < between.len() {
            return is_conjunction(&plain);
        }
    }
    // A short aside in parentheses does not break the chain: "the GPL
    // version 2 (see COPYING.GPL), the LGPL 2.1 (see COPYING.LGPL) or ...".
    if between.len() <= ASIDE_MAX + 24
        && let Some(open) = between.find('(')
        && let Some(close) = between[open..].find(')').map(|c| open + c)
        && close - open <= ASIDE_MAX
    {
        let rest = format!("{} {}", &between[..open], &between[close + 1..]);
        return is_conjunction(&rest);
    }
    between.len() <= 24
        && between
            .split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | '(' | ')' | '*' | '#'))
            .filter(|w| !w.is_empty())
            .all(|w| {
                matches!(
                    w.to_ascii_lowercase().as_str(),
                    "or" | "and" | "and/or" | "&" | "the" | "either" | "both" | "new"
                ) || is_defined_abbreviation(w)
            })
}

/// A name that no wording makes a notice still joins the license named
/// right after it by a conjunction: "MIT OR Apache-2.0" (an SPDX id with a
/// version stands on its own), "MIT or the Apache License 2.0 at your
/// option" where the wording follows both. It takes that name's evidence.
/// Read from the last name back, so a chain of alternatives joins whole.
/// Wording that names no license (a grant in the author's words) is no
/// anchor: "MIT and permission is granted" names nothing after MIT.
fn join_backward(text: &str, hits: &[NameHit], evs: &mut [Option<EvidenceKind>]) {
    for i in (0..hits.len().saturating_sub(1)).rev() {
        let (h, next) = (&hits[i], &hits[i + 1]);
        if evs[i].is_none()
            && let Some(ev) = evs[i + 1]
            && !next.license.starts_with("LicenseRef-")
            && h.end <= next.start
            && is_conjunction(&text[h.end..next.start])
        {
            evs[i] = Some(ev);
        }
    }
}

/// Offset in `name` just past the last list bullet that starts a line
/// (`- `, `+ `, `• `, `1. `, `2) `; not `--`, a comment leader, nor `*`,
/// which block comments use on every line); 0 when there is none.
fn last_item_start(name: &str) -> usize {
    let mut start = 0;
    for (nl, _) in name.match_indices('\n') {
        let line = &name[nl + 1..];
        let t = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - t.len();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let bullet = if t.starts_with(['-', '+']) && !t.starts_with("--") {
            1
        } else if t.starts_with('\u{2022}') {
            '\u{2022}'.len_utf8()
        } else if digits > 0 && t[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            continue;
        };
        if t[bullet..].starts_with([' ', '\t']) {
            start = nl + 1 + indent + bullet;
        }
    }
    start
}

/// Bytes a parenthesised aside between two joined names may hold (see
/// [`is_conjunction`]): a file name, a defined abbreviation, a link target.
const ASIDE_MAX: usize = 64;

/// `before` without the markup that opens a name at its end: a Markdown
/// link's `[`, emphasis (`*`, `_`, backquote) and HTML tags (`<a href=...>`,
/// at most [`TAG_MAX`] bytes each). Only ever shortens `before`.
fn without_trailing_markup(before: &str) -> &str {
    let mut t = before;
    loop {
        if let Some(r) = t.strip_suffix(['[', '*', '_', '`']) {
            t = r;
        } else if t.ends_with('>')
            && let Some(lt) = t.rfind('<')
            && t.len() - lt <= TAG_MAX
        {
            t = &t[..lt];
        } else {
            return t;
        }
    }
}

/// Bytes of markup opening `value`: HTML tags, `[`, `*`, `_`, backquotes.
fn leading_markup(value: &str) -> usize {
    let mut t = value;
    loop {
        if let Some(r) = t.strip_prefix(['[', '*', '_', '`']) {
            t = r;
        } else if t.starts_with('<')
            && let Some(gt) = t.find('>')
            && gt < TAG_MAX
        {
            t = &t[gt + 1..];
        } else {
            return value.len() - t.len();
        }
    }
}

/// Longest HTML tag [`without_trailing_markup`] and [`is_conjunction`] set
/// aside (an anchor with its URL).
const TAG_MAX: usize = 200;

/// `between` with HTML tags and Markdown link and emphasis marks removed:
/// `</a> or <a href="LICENSE-MIT">`, `](LICENSE-APACHE) or [`.
fn without_markup(between: &str) -> String {
    let mut out = String::with_capacity(between.len());
    let mut rest = between;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(gt) = rest.find('>')
            && gt <= TAG_MAX
        {
            out.push(' ');
            rest = &rest[gt + 1..];
            continue;
        }
        if !matches!(c, '[' | ']' | '*' | '`') {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `"GPL"` or `“CDDL”`: the short name a notice defines for the license just
/// named ("the GNU General Public License (\"GPL\") or the ..."), which does not
/// break the chain of alternatives.
fn is_defined_abbreviation(w: &str) -> bool {
    let inner = w
        .strip_prefix(['"', '\u{201c}'])
        .and_then(|r| r.strip_suffix(['"', '\u{201d}']));
    inner.is_some_and(|i| {
        (2..=12).contains(&i.len()) && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// `value` after a leading `word` (any case) and the spaces after it.
fn strip_word<'v>(value: &'v str, word: &str) -> Option<&'v str> {
    let t = value.trim_start();
    let head = t.get(..word.len())?;
    let rest = &t[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with(char::is_whitespace))
        .then(|| rest.trim_start())
}

fn is_sep(c: char) -> bool {
    c.is_whitespace() || matches!(c, '#' | '*' | ';' | '!' | '%' | '/' | ',' | '-')
}

/// A name must not be glued to surrounding letters ("GPLed", "BSDish") nor
/// be followed by more version digits ("Apache 2.4" is the web server).
fn clean_edges(text: &str, start: usize, end: usize) -> bool {
    let prev = text[..start].chars().next_back();
    let mut next = text[end..].chars();
    let (n1, n2) = (next.next(), next.next());
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let last_ascii = text[start..end]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii());
    let first_ascii = text[start..end]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii());
    // "the MIT and the University of Illinois Open Source Licenses": a name
    // ending in "License" may be plural in a notice naming several.
    let plural = matches!(n1, Some('s' | 'S'))
        && !glued(n2)
        && text.get(end.saturating_sub(7)..end).is_some_and(|w| {
            w.eq_ignore_ascii_case("license") || w.eq_ignore_ascii_case("licence")
        });
    if first_ascii && glued(prev) || last_ascii && glued(n1) && !plural {
        return false;
    }
    let version_tail = n1 == Some('.') && n2.is_some_and(|c| c.is_ascii_digit());
    !version_tail
}

/// Whether a name hit comes from one of the GNU name rules.
/// Perl's dual notice, "either the GNU General Public License ... or the
/// Artistic License", means the Artistic License Perl ships
/// (`Artistic-1.0-Perl`): an unversioned Artistic name beside a GNU name in
/// the same sentence, [`PERL_DUAL_GAP`] bytes apart at most, is read so. A
/// versioned Artistic name keeps its version.
fn perl_artistic(text: &str, h: &NameHit, hits: &[NameHit]) -> Option<String> {
    if h.rule != "name.artistic" || has_version(text, h) {
        return None;
    }
    let joined = |a: usize, b: usize| {
        b >= a
            && b - a <= PERL_DUAL_GAP
            && text.get(a..b).is_some_and(|between| {
                !between.contains(['.', ';'])
                    && between
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .any(|w| w.eq_ignore_ascii_case("or"))
            })
    };
    // `hits` is in start order: only the two hits each side are read, so
    // many notices in one text stay linear.
    let at = hits.partition_point(|n| n.start < h.start);
    hits[at.saturating_sub(2)..(at + 3).min(hits.len())]
        .iter()
        .filter(|n| is_gnu_rule(n.rule) && gnu_family(&n.license) == "GPL")
        .any(|n| joined(n.end, h.start) || joined(h.end, n.start))
        .then(|| "Artistic-1.0-Perl".to_string())
}

/// How far apart the GNU and Artistic names of Perl's dual notice may be
/// (the GPL's "version 1, or (at your option) any later version" between).
const PERL_DUAL_GAP: usize = 120;

fn is_gnu_rule(rule: &str) -> bool {
    rule == "name.gnu" || rule == "name.gnu_short"
}

/// Whether the words of a GNU name hit state a version.
fn has_version(text: &str, h: &NameHit) -> bool {
    text.get(h.start..h.end)
        .is_some_and(|s| s.bytes().any(|b| b.is_ascii_digit()))
}

/// The family of a GNU id: `GPL`, `LGPL`, `AGPL` or `GFDL`.
fn gnu_family(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

/// A license's formal name, two or more words before "License" ("IBM Public
/// License Version 1.0"): written out in full with its version, it is as
/// specific as an SPDX id and counts without notice wording, as a title does.
fn formal_name(named: &str) -> bool {
    named
        .split_whitespace()
        .take_while(|w| !w.to_ascii_lowercase().starts_with("licen"))
        .count()
        >= 2
}

fn is_spdx_token(body: &str) -> bool {
    body.contains('-')
        && body.bytes().any(|b| b.is_ascii_digit())
        && spdx::license_id(body).is_some()
}

fn resolve(how: Resolve, caps: &Captures, body: &str) -> Option<String> {
    let g = |n: &str| caps.name(n).map(|m| m.as_str());
    match how {
        Resolve::Fixed(id) => Some(id.to_string()),
        Resolve::Gnu => {
            let ver = g("ver").or(g("ver2")).or(g("ver3")).or(g("ver4"));
            // "Lesser" is the name the LGPL took in version 2.1 (2.0 was the
            // "Library" GPL): an unversioned Lesser GPL is 2.1 or any later.
            let lesser = g("fam").is_some_and(|f| f.to_ascii_lowercase().contains("lesser"));
            if ver.is_none() && lesser {
                return Some("LGPL-2.1-or-later".to_string());
            }
            gnu_id(
                &gnu_base(g("fam")?),
                ver,
                g("later").is_some(),
                g("only").is_some(),
            )
        }
        Resolve::GnuShort => {
            let base = format!("{}GPL", g("fam").unwrap_or("").to_ascii_uppercase());
            let ver = g("ver").or(g("ver2")).or(g("ver3"));
            gnu_id(&base, ver, g("later").is_some(), g("only").is_some())
        }
        Resolve::Versioned { base, default } => {
            let id = format!("{base}-{}", g("ver").or(g("ver2")).unwrap_or(default));
            spdx::license_id(&id).map(|_| id)
        }
        Resolve::Apache => {
            let v = match g("ver") {
                None | Some("2") => "2.0",
                Some("1") => "1.0",
                Some(v) => v,
            };
            let id = format!("Apache-{v}");
            spdx::license_id(&id).map(|_| id)
        }
        Resolve::Bsd => {
            Some(bsd_id(g("n1").or(g("n2")), g("new").is_some(), g("simp").is_some()).to_string())
        }
        Resolve::Cc => cc_from_text(body),
        Resolve::CcZh => {
            let prefixed = ["知识共享", "知識共享", "创作共用", "創作共用", "創用"]
                .iter()
                .any(|p| body.contains(p));
            let versioned = find_version(body).is_some();
            let elements = body
                .chars()
                .filter(|c| matches!(c, '-' | '－' | '—' | '–' | '·'))
                .count()
                > 0;
            (prefixed || versioned || elements)
                .then(|| cc_from_text(body))
                .flatten()
        }
        Resolve::Llama => Some(format!("LicenseRef-llama{}", g("ver")?)),
        Resolve::OpenRail => Some(
            if g("pp").is_some() {
                "LicenseRef-openrail-pp"
            } else {
                "LicenseRef-openrail"
            }
            .to_string(),
        ),
        Resolve::SpdxName => None,
        Resolve::SpdxToken => is_spdx_token(body)
            .then(|| parse_expression(body, false))
            .flatten(),
    }
}

/// The license named by the words before "License" (group `name`) and the
/// version after it (group `ver`), with the byte offset where its name starts:
/// the longest tail of the words that is an SPDX id or full name.
fn spdx_named(caps: &Captures) -> Option<(String, usize)> {
    let name = caps.name("name")?;
    let words: Vec<(usize, &str)> = name
        .as_str()
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '+' | '(' | ')' | '-')))
        .filter(|w| !w.is_empty())
        .map(|w| (w.as_ptr() as usize - name.as_str().as_ptr() as usize, w))
        .collect();
    // A list item is a name of its own: in "- ISC license\n- Apache License
    // 2.0" the words before the second item's bullet are not part of its name.
    let item = last_item_start(name.as_str());
    let first_word = words.partition_point(|(o, _)| *o < item);
    // "version 3.01 of the PHP License" states the version before the name.
    // The match then starts at "version", so the notice wording before it counts.
    let before = words[first_word..].windows(2).find_map(|w| {
        (w[0].1.eq_ignore_ascii_case("version") && w[1].1.starts_with(|c: char| c.is_ascii_digit()))
            .then_some((w[0].0, w[1].1))
    });
    let after = caps.name("ver").map(|v| v.as_str());
    let ver = after.or(before.map(|b| b.1));
    (first_word..words.len()).find_map(|i| {
        let (offset, first) = words[i];
        if NAME_STOP_WORDS.contains(&first.to_lowercase().as_str()) {
            return None;
        }
        let tail: Vec<&str> = words[i..].iter().map(|(_, w)| *w).collect();
        let start = match before {
            Some((at, _)) if after.is_none() => at.min(offset),
            _ => offset,
        };
        named_license(&tail, ver).map(|id| (id, name.start() + start))
    })
}

/// An SPDX id (`OpenSSL`, `PHP-3.01`) or full name spelt by `words` and `ver`.
fn named_license(words: &[&str], ver: Option<&str>) -> Option<String> {
    let joined = words.join("-");
    let key = name_key(&words.join(" "));
    let mut tries: Vec<(String, String)> = Vec::new();
    if let Some(v) = ver {
        for v in [v.to_string(), format!("{v}.0")] {
            tries.push((format!("{joined}-{v}"), format!("{key} {v}")));
        }
    }
    tries.push((joined, key));
    tries.into_iter().find_map(|(id, key)| {
        let id = IDS.lookup(&id).filter(|id| spdx::license_id(id).is_some());
        id.or_else(|| FULL_NAMES.get(&key).copied())
            .and_then(|id| parse_expression(id, false))
    })
}

fn gnu_base(fam: &str) -> String {
    let f = fam.to_ascii_lowercase();
    if f.contains("affero") || f == "agpl" {
        "AGPL"
    } else if f.contains("lesser") || f.contains("library") || f == "lgpl" {
        "LGPL"
    } else if f.contains("documentation") || f == "fdl" {
        "GFDL"
    } else {
        "GPL"
    }
    .to_string()
}

/// GNU id from family, version and or-later/only wording. A missing version
/// means "any version" (see `gnu_unversioned`); a written version without
/// "or later" is `-only`, as spdx canonicalises bare `GPL-3.0`.
fn gnu_id(base: &str, ver: Option<&str>, later: bool, only: bool) -> Option<String> {
    let Some(v) = ver else {
        return gnu_unversioned(base).map(str::to_string);
    };
    let v = if v.contains('.') {
        v.to_string()
    } else {
        format!("{v}.0")
    };
    // There never was a GPL 2.1: "the GNU General Public License, version
    // 2.1" is the Lesser GPL, whose first version under that name was 2.1.
    let base = if base == "GPL" && v == "2.1" {
        "LGPL"
    } else {
        base
    };
    let suffix = if later && !only { "or-later" } else { "only" };
    let id = format!("{base}-{v}-{suffix}");
    spdx::license_id(&id).map(|_| id)
}

/// BSD family. A bare "BSD license" is the 3-clause text: the license the
/// University of California used once the advertising clause was rescinded in
/// 1999, and how ScanCode and FOSSology read it ("Simplified" or "FreeBSD"
/// says 2-clause).
fn bsd_id(n: Option<&str>, new: bool, simplified: bool) -> &'static str {
    match n.map(|s| s.to_ascii_lowercase()).as_deref() {
        Some("0" | "zero") => "0BSD",
        Some("1") => "BSD-1-Clause",
        Some("3" | "three") => "BSD-3-Clause",
        Some("4" | "four") => "BSD-4-Clause",
        Some(_) => "BSD-2-Clause",
        None if new => "BSD-3-Clause",
        None if simplified => "BSD-2-Clause",
        None => "BSD-3-Clause",
    }
}

/// Creative Commons id from any written form: short ("CC BY-NC 4.0"), long
/// ("Attribution-NonCommercial"), CSDN ("CC 4.0 BY-SA") or Chinese
/// ("署名-非商业性使用"). Without a version the id is `LicenseRef-CC-<elements>`,
/// since SPDX has no unversioned CC ids and guessing one would be invented.
pub(super) fn cc_from_text(t: &str) -> Option<String> {
    let up = t.to_uppercase();
    let tokens: Vec<&str> = up
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let squashed: String = up.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let nc = tokens.contains(&"NC")
        || squashed.contains("NONCOMMERCIAL")
        || t.contains("非商业")
        || t.contains("非商業");
    let nd = tokens.contains(&"ND")
        || squashed.contains("NODERIV")
        || ["禁止演绎", "禁止改作", "禁止演繹"]
            .iter()
            .any(|z| t.contains(z));
    let sa = tokens.contains(&"SA")
        || squashed.contains("SHAREALIKE")
        || t.contains("相同方式共享")
        || t.contains("相同方式分享");
    if nd && sa {
        return None;
    }
    let els = format!(
        "BY{}{}{}",
        if nc { "-NC" } else { "" },
        if nd { "-ND" } else { "" },
        if sa { "-SA" } else { "" }
    );
    match find_version(t) {
        Some(v) => {
            let id = format!("CC-{els}-{v}");
            Some(if spdx::license_id(&id).is_some() {
                id
            } else {
                format!("LicenseRef-CC-{els}-{v}")
            })
        }
        None => Some(format!("LicenseRef-CC-{els}")),
    }
}

/// First `d.d` version (CC versions are 1.0 to 4.0) in the text.
fn find_version(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    (0..b.len().saturating_sub(2)).find_map(|i| {
        let ok =
            (b'1'..=b'4').contains(&b[i]) && b[i + 1] == b'.' && matches!(b[i + 2], b'0' | b'5');
        ok.then(|| &t[i..i + 3])
    })
}

fn cc_url(kind: &str, els: &str, ver: Option<&str>, jur: Option<&str>) -> Option<String> {
    if kind.eq_ignore_ascii_case("publicdomain") {
        return match els.to_ascii_lowercase().as_str() {
            "zero" => Some("CC0-1.0".to_string()),
            "mark" => Some("CC-PDM-1.0".to_string()),
            _ => None,
        };
    }
    // The retired Public Domain Dedication and Certification lived under
    // licenses/publicdomain/.
    if els.eq_ignore_ascii_case("publicdomain") {
        return Some("CC-PDDC".to_string());
    }
    if !els.to_ascii_lowercase().starts_with("by") {
        return None;
    }
    let base = cc_from_text(&format!(
        "CC {} {}",
        els.replace('-', " "),
        ver.unwrap_or("")
    ))?;
    if let Some(j) = jur {
        let ported = format!("{base}-{}", j.to_ascii_uppercase());
        if spdx::license_id(&ported).is_some() {
            return Some(ported);
        }
    }
    Some(base)
}

/// Id segment of opensource.org / choosealicense.com / spdx.org URLs.
fn url_id(seg: &str) -> Option<String> {
    let s = seg.trim_end_matches('/');
    let s = s
        .strip_suffix(".php")
        .or_else(|| s.strip_suffix(".html"))
        .or_else(|| s.strip_suffix(".txt"))
        .unwrap_or(s);
    let s = s.strip_suffix(".json").unwrap_or(s);
    if let Some((_, id)) = URL_SLUGS.iter().find(|(k, _)| k.eq_ignore_ascii_case(s)) {
        return Some(id.to_string());
    }
    let s = s.strip_suffix("-license").unwrap_or(s);
    match s.to_ascii_lowercase().as_str() {
        "mit" => return Some("MIT".to_string()),
        "bsd" => return Some("BSD-2-Clause".to_string()),
        _ => {}
    }
    IDS.lookup(s).and_then(|id| parse_expression(id, false))
}

fn shields_unescape(v: &str) -> String {
    v.replace("--", "\u{1}")
        .replace('-', " ")
        .replace('\u{1}', "-")
        .replace('_', " ")
        .replace("%20", " ")
        .replace("%2F", "/")
}

/// Cuts comment closers and quotes that follow a tag's expression.
fn clean_tag_expression(expr: &str) -> &str {
    let mut e = expr;
    for closer in ["*/", "-->", "*)", "\"\"\"", "'''", "#}", "%}", "\","] {
        if let Some(i) = e.find(closer) {
            e = &e[..i];
        }
    }
    e.trim()
        .trim_end_matches(['"', '\'', ',', ';', '`', '>'])
        .trim()
}

/// The license named by a tag: a valid (lax) expression, or for a single
/// unknown word, `LicenseRef-<word>` so the claim stays visible for review.
fn tag_license(expr: &str) -> Option<String> {
    if expr.is_empty() || matches!(expr.to_ascii_uppercase().as_str(), "NOASSERTION" | "NONE") {
        return None;
    }
    if let Some(e) = parse_expression(expr, true) {
        return Some(e);
    }
    // Prose after the expression on the same line: the longest leading run
    // of words that parses is the expression.
    let words: Vec<&str> = expr.split_whitespace().take(12).collect();
    for k in (1..words.len()).rev() {
        if let Some(e) = parse_expression(&words[..k].join(" "), false) {
            return Some(e);
        }
    }
    let word_ok = expr.len() <= 64
        && expr
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    word_ok.then(|| format!("LicenseRef-{expr}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names::new().expect("rules compile")
    }

    #[test]
    fn declared_values() {
        let n = names();
        let d = |s| n.declared(s);
        assert_eq!(d("mit").as_deref(), Some("MIT"));
        assert_eq!(d("cc-by-4.0").as_deref(), Some("CC-BY-4.0"));
        assert_eq!(d("Apache 2.0").as_deref(), Some("Apache-2.0"));
        assert_eq!(
            d("Apache License, Version 2.0").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(d("CC BY-NC 4.0").as_deref(), Some("CC-BY-NC-4.0"));
        assert_eq!(d("cc-by-nc-sa-4.0").as_deref(), Some("CC-BY-NC-SA-4.0"));
        assert_eq!(d("The MIT License").as_deref(), Some("MIT"));
        assert_eq!(d("GNU GPL v2").as_deref(), Some("GPL-2.0-only"));
        assert_eq!(
            d("GNU General Public License v3.0 or later").as_deref(),
            Some("GPL-3.0-or-later")
        );
        assert_eq!(d("openrail").as_deref(), Some("LicenseRef-openrail"));
        assert_eq!(d("llama3.1").as_deref(), Some("LicenseRef-llama3.1"));
        assert_eq!(d("other").as_deref(), Some("LicenseRef-other"));
        assert_eq!(d("unknown"), None);
        assert_eq!(d("BSD 3-Clause").as_deref(), Some("BSD-3-Clause"));
        assert_eq!(
            d("知识共享署名-非商业性使用 4.0 国际").as_deref(),
            Some("CC-BY-NC-4.0")
        );
        assert_eq!(d("MIT OR Apache-2.0").as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(d("apache2").as_deref(), Some("Apache-2.0"));
        assert_eq!(d("a random sentence"), None);
    }

    #[test]
    fn cc_forms() {
        assert_eq!(
            cc_from_text("CC BY-NC-SA 4.0").as_deref(),
            Some("CC-BY-NC-SA-4.0")
        );
        assert_eq!(
            cc_from_text("Attribution-NoDerivatives 4.0").as_deref(),
            Some("CC-BY-ND-4.0")
        );
        assert_eq!(
            cc_from_text("CC 4.0 BY-SA").as_deref(),
            Some("CC-BY-SA-4.0")
        );
        assert_eq!(
            cc_from_text("署名-非商业性使用-相同方式共享 4.0").as_deref(),
            Some("CC-BY-NC-SA-4.0")
        );
        assert_eq!(cc_from_text("CC BY").as_deref(), Some("LicenseRef-CC-BY"));
        assert_eq!(cc_from_text("CC BY-ND-SA 4.0"), None);
    }

    #[test]
    fn cc_urls() {
        assert_eq!(
            cc_url("licenses", "by-nc-sa", Some("4.0"), None).as_deref(),
            Some("CC-BY-NC-SA-4.0")
        );
        assert_eq!(
            cc_url("licenses", "by-sa", Some("3.0"), Some("de")).as_deref(),
            Some("CC-BY-SA-3.0-DE")
        );
        assert_eq!(
            cc_url("licenses", "by", Some("2.0"), Some("xx")).as_deref(),
            Some("CC-BY-2.0")
        );
        assert_eq!(
            cc_url("publicdomain", "zero", Some("1.0"), None).as_deref(),
            Some("CC0-1.0")
        );
        assert_eq!(
            cc_url("publicdomain", "mark", Some("1.0"), None).as_deref(),
            Some("CC-PDM-1.0")
        );
        assert_eq!(
            cc_url("licenses", "publicdomain", None, None).as_deref(),
            Some("CC-PDDC")
        );
    }

    #[test]
    fn tags() {
        assert_eq!(
            tag_license(clean_tag_expression("MIT */")).as_deref(),
            Some("MIT")
        );
        assert_eq!(
            tag_license("Apache-2.0 OR MIT").as_deref(),
            Some("Apache-2.0 OR MIT")
        );
        assert_eq!(tag_license("GPL-2.0+").as_deref(), Some("GPL-2.0-or-later"));
        assert_eq!(
            tag_license("Proprietary").as_deref(),
            Some("LicenseRef-Proprietary")
        );
        assert_eq!(tag_license("NOASSERTION"), None);
        assert_eq!(tag_license("what is this?"), None);
    }
}
