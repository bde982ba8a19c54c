//! Copyright notices, rights reservations and text-and-data-mining opt-outs.

use regex::Regex;

use super::lines::{floor_boundary, line_end};
use super::names::rule_regex;
use super::rules::{
    AI_CRAWLERS, ARR_RULES, COPYRIGHT_RULES, ROBOTS_GROUP_LIMIT, ROBOTS_UA_RULE, TDM_META_RULE,
    TDM_RULES, ZH_COPYRIGHT_NOUN_TAILS,
};
use super::{LicenseMatch, MarkerKind};

pub(super) struct Markers {
    copyright: Vec<(&'static str, Regex)>,
    arr: Vec<(&'static str, Regex)>,
    tdm: Vec<(&'static str, Regex)>,
    meta: Regex,
    meta_attr: Regex,
    robots_ua: Regex,
}

fn compile(
    rules: &[(&'static str, &'static str)],
) -> Result<Vec<(&'static str, Regex)>, regex::Error> {
    rules
        .iter()
        .map(|(id, p)| rule_regex(p).map(|re| (*id, re)))
        .collect()
}

fn marker(kind: MarkerKind, rule: &'static str, start: usize, end: usize) -> LicenseMatch {
    LicenseMatch {
        kind,
        evidence: None,
        license: None,
        rule,
        start,
        end,
    }
}

impl Markers {
    pub(super) fn new() -> Result<Self, regex::Error> {
        Ok(Markers {
            copyright: compile(COPYRIGHT_RULES)?,
            arr: compile(ARR_RULES)?,
            tdm: compile(TDM_RULES)?,
            meta: rule_regex(TDM_META_RULE)?,
            meta_attr: rule_regex(
                r#"(?i)\b(name|content|http-equiv|property)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"#,
            )?,
            robots_ua: rule_regex(ROBOTS_UA_RULE)?,
        })
    }

    /// Copyright notices in `text[s..e]` (one span = one line): the earliest
    /// rule match on the line counts once.
    pub(super) fn scan_copyright(
        &self,
        text: &str,
        s: usize,
        e: usize,
        out: &mut Vec<LicenseMatch>,
    ) {
        let line = &text[s..e];
        let best = self
            .copyright
            .iter()
            .flat_map(|(id, re)| re.find_iter(line).map(move |m| (m.start(), m.end(), *id)))
            .filter(|&(ms, me, id)| self.is_notice(text, s + ms, s + me, id))
            .min_by_key(|&(ms, me, _)| (ms, std::cmp::Reverse(me)));
        if let Some((ms, me, id)) = best {
            out.push(marker(MarkerKind::CopyrightNotice, id, s + ms, s + me));
        }
    }

    /// Rejects look-alikes: "(c) The" inside an (a)/(b)/(c) list, and
    /// 版权所有者 / 版权所有权 ("copyright owner", "ownership").
    fn is_notice(&self, text: &str, ms: usize, me: usize, id: &str) -> bool {
        match id {
            "copyright.paren_name" | "copyright.paren_year" => {
                // "2(c) Applies", "f(c) Then": a reference or a call, not a notice
                let glued = text[..ms]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
                let before = &text[floor_boundary(text, ms.saturating_sub(300))..ms];
                let list = id == "copyright.paren_name"
                    && ["(a)", "(b)", "(A)", "(B)"]
                        .iter()
                        .any(|p| before.contains(p));
                !glued && !list
            }
            "copyright.zh" => !text[me..].starts_with(ZH_COPYRIGHT_NOUN_TAILS),
            _ => true,
        }
    }

    /// Rights reservations in `text[s..e]`.
    pub(super) fn scan_reserved(
        &self,
        text: &str,
        s: usize,
        e: usize,
        out: &mut Vec<LicenseMatch>,
    ) {
        for (id, re) in &self.arr {
            for m in re.find_iter(&text[s..e]) {
                out.push(marker(
                    MarkerKind::AllRightsReserved,
                    id,
                    s + m.start(),
                    s + m.end(),
                ));
            }
        }
    }

    /// TDM opt-outs in `text[s..e]`: robots meta tags, TDMRep headers/JSON,
    /// and robots.txt groups for AI crawlers (followed past the span).
    pub(super) fn scan_tdm(&self, text: &str, s: usize, e: usize, out: &mut Vec<LicenseMatch>) {
        let hay = &text[s..e];
        for m in self.meta.find_iter(hay) {
            if let Some(rule) = self.meta_opt_out(m.as_str()) {
                out.push(marker(
                    MarkerKind::TdmOptOut,
                    rule,
                    s + m.start(),
                    s + m.end(),
                ));
            }
        }
        for (id, re) in &self.tdm {
            for m in re.find_iter(hay) {
                out.push(marker(
                    MarkerKind::TdmOptOut,
                    id,
                    s + m.start(),
                    s + m.end(),
                ));
            }
        }
        for caps in self.robots_ua.captures_iter(hay) {
            let (Some(all), Some(ua)) = (caps.get(0), caps.name("ua")) else {
                continue;
            };
            if !AI_CRAWLERS.contains(&ua.as_str().to_ascii_lowercase().as_str()) {
                continue;
            }
            if let Some(end) = robots_group_disallows_all(text, s + all.end()) {
                out.push(marker(
                    MarkerKind::TdmOptOut,
                    "tdm.robots_txt",
                    s + all.start(),
                    end,
                ));
            }
        }
    }

    fn meta_opt_out(&self, tag: &str) -> Option<&'static str> {
        let mut name = String::new();
        let mut content = String::new();
        for c in self.meta_attr.captures_iter(tag) {
            let key = c
                .get(1)
                .map(|m| m.as_str().to_ascii_lowercase())
                .unwrap_or_default();
            let val = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map(|m| m.as_str().to_ascii_lowercase())
                .unwrap_or_default();
            match key.as_str() {
                "content" => content = val,
                _ => name = val,
            }
        }
        let tokens = || {
            content
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|t| !t.is_empty())
        };
        if (name == "robots" || AI_CRAWLERS.contains(&name.as_str()))
            && tokens().any(|t| t == "noai" || t == "noimageai")
        {
            return Some("tdm.meta_robots");
        }
        (name == "tdm-reservation" && content.trim() == "1").then_some("tdm.meta_tdm")
    }
}

/// Follows a robots.txt group from just after a `User-agent:` line. Returns
/// the end of the `Disallow: /` line when the group blocks the whole site.
/// A group is its User-agent lines plus the rules up to the next User-agent
/// line that follows a rule (Google's and RFC 9309's grouping).
fn robots_group_disallows_all(text: &str, from: usize) -> Option<usize> {
    let limit = floor_boundary(text, from.saturating_add(ROBOTS_GROUP_LIMIT));
    let mut pos = line_end(text, from, ROBOTS_GROUP_LIMIT);
    let mut seen_rule = false;
    while pos < limit && text.as_bytes().get(pos) == Some(&b'\n') {
        let start = pos + 1;
        let end = line_end(text, start, ROBOTS_GROUP_LIMIT);
        let line = text[start.min(end)..end]
            .split('#')
            .next()
            .unwrap_or("")
            .trim();
        pos = end;
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "user-agent" if seen_rule => return None,
            "user-agent" => {}
            "disallow" if matches!(value.trim(), "/" | "/*") => return Some(end),
            _ => seen_rule = true,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(
        f: impl Fn(&Markers, &str, usize, usize, &mut Vec<LicenseMatch>),
        text: &str,
    ) -> Vec<LicenseMatch> {
        let m = Markers::new().expect("compile");
        let mut out = Vec::new();
        f(&m, text, 0, text.len(), &mut out);
        out
    }

    #[test]
    fn copyright_lines() {
        let c = |t| scan(Markers::scan_copyright, t).len();
        assert_eq!(c("Copyright (c) 2021 Jane Doe"), 1);
        assert_eq!(c("© 2020 Acme Corp"), 1);
        assert_eq!(c("&copy; 2019 Foo"), 1);
        assert_eq!(c("(c) 2018 Bar"), 1);
        assert_eq!(c("版权所有 © 2023 某某公司"), 1);
        assert_eq!(c("copyright law is complex"), 0);
        assert_eq!(c("版权所有者可以起诉"), 0);
        assert_eq!(c("(a) one (b) two (c) Three"), 0);
    }

    #[test]
    fn robots_groups() {
        let t = "User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n";
        let v = scan(Markers::scan_tdm, t);
        assert_eq!(v.len(), 1);
        let t = "User-agent: GPTBot\nDisallow: /private\nUser-agent: CCBot\nDisallow: /\n";
        assert_eq!(scan(Markers::scan_tdm, t).len(), 1);
        let t = "User-agent: Googlebot\nDisallow: /\n";
        assert_eq!(scan(Markers::scan_tdm, t).len(), 0);
        let t = "User-agent: CCBot\nUser-agent: GPTBot\nDisallow: /\n";
        assert_eq!(scan(Markers::scan_tdm, t).len(), 2);
    }

    #[test]
    fn meta_tags() {
        let t = r#"<head><meta name="robots" content="noai, noimageai"></head>"#;
        assert_eq!(scan(Markers::scan_tdm, t).len(), 1);
        let t = r#"<meta content="1" name="tdm-reservation">"#;
        assert_eq!(scan(Markers::scan_tdm, t).len(), 1);
        let t = r#"<meta name="robots" content="index, follow">"#;
        assert_eq!(scan(Markers::scan_tdm, t).len(), 0);
        assert_eq!(
            scan(
                Markers::scan_tdm,
                r#"{"tdm-reservation": 1, "tdm-policy": "x"}"#
            )
            .len(),
            1
        );
    }
}
