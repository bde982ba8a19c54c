//! spdx's `TextData::optimize_bounds` (which lines of a text hold a license),
//! computed the same way at a fraction of the cost.
//!
//! spdx finds the lines by a ternary search over the end line, then the
//! start line, scoring each candidate view with `with_view`, which clones
//! every normalised line of the text, re-runs the aggressive normalisation on
//! the view, and builds a `HashMap<String, u32>` of its bigrams, only to
//! compare it with one license. On license documents that search was most of
//! the license stage once scoring against the store went through the index
//! (`grams`). Here each view is normalised by the same functions (copied
//! below from spdx 0.13.6, `detection/preproc.rs`, Apache-2.0, © Amazon.com,
//! with the same `regex` crate), its bigrams are counted against the
//! license's without allocating one string per bigram, and the score is
//! spdx's formula on the same counts: the same search visits the same views
//! and returns the same lines and the same `f32`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use regex::{Regex, Replacer};
use spdx::detection::TextData;

use super::grams::{dice, read_map};
use crate::analyze::literals::KeyHasher as GramHasher;

/// The regexes of spdx's aggressive normalisation, compiled once.
pub(super) struct Aggressive {
    vertical: Regex,
    blank_runs: Regex,
    punctuation: Regex,
    title: Regex,
    copyright: Regex,
    whitespace: Regex,
}

/// A license's bigrams: bigram -> slot, and each slot's count.
pub(super) struct LicenseGrams {
    slots: HashMap<String, usize, BuildHasherDefault<GramHasher>>,
    counts: Vec<u32>,
    size: usize,
}

impl LicenseGrams {
    /// The bigram map of `td`, or `None` when it cannot be read.
    pub(super) fn of(td: &TextData) -> Option<Self> {
        let mut slots: HashMap<String, usize, BuildHasherDefault<GramHasher>> = HashMap::default();
        let mut counts = Vec::new();
        let size = read_map(td, |g, n| {
            slots.insert(g.to_string(), counts.len());
            counts.push(n);
        })?;
        Some(LicenseGrams {
            slots,
            counts,
            size,
        })
    }
}

impl Aggressive {
    pub(super) fn new() -> Result<Self, regex::Error> {
        Ok(Aggressive {
            vertical: Regex::new(r"[\r\n\v\f]")?,
            blank_runs: Regex::new(r"\n{3,}")?,
            punctuation: Regex::new(r"[^\w\s]+")?,
            title: Regex::new(r"^.*license( version \S+)?( copyright.*)?\n\n")?,
            copyright: Regex::new(
                r"(?mx)
            (
                # either a new paragraph, or the beginning of the text + empty lines
                (\n\n|\A\n*)
                # any number of lines starting with 'copyright' followed by a new paragraph
                (^\x20*copyright.*?$)+
                \n\n
            )
            |
            (
                # or the very first line if it has 'copyright' in it
                \A.*copyright.*$
            )
            |
            (
                # or any lines that really look like a copyright statement
                ^copyright (\s+(c|\d+))+ .*?$
            )
        ",
            )?,
            whitespace: Regex::new(r"\s+")?,
        })
    }

    /// spdx's `apply_aggressive`: the same steps in the same order.
    fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let out = remove_common_tokens(Cow::Borrowed(text));
        let out = replace_all(&self.vertical, out, "\n");
        let out = replace_all(&self.blank_runs, out, "\n\n");
        let out = replace_all(&self.punctuation, out, "");
        let out: Cow<str> = out.to_lowercase().into();
        let out = replace_all(&self.title, out, "");
        let out = replace_all(&self.copyright, out, "\n\n");
        let out = replace_all(&self.whitespace, out, " ");
        match out {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
            Cow::Owned(t) => Cow::Owned(t.trim().to_owned()),
        }
    }

    /// spdx's `text.optimize_bounds(license)`: the view (start, end line)
    /// and its score.
    pub(super) fn optimize_bounds(
        &self,
        text: &TextData,
        license: &LicenseGrams,
    ) -> ((usize, usize), f32) {
        let (v0, v1) = text.lines_view();
        let lines = text.lines();
        let mut used = Vec::new();
        let mut score = |s: usize, e: usize| -> f32 {
            let view = lines
                .get(s.saturating_sub(v0)..e.saturating_sub(v0))
                .unwrap_or(&[]);
            self.view_score(&view.join("\n"), license, &mut used)
        };
        let (end, _) = search_optimize(v0, v1, &mut |end| score(v0, end));
        let (start, best) = search_optimize(v0, end, &mut |start| score(start, end));
        ((start, end), best)
    }

    /// Dice score of a view (its lines joined) against `license`, as
    /// `NgramSet::dice` computes it: the bigrams are the pairs of
    /// neighbouring words of the normalised text (`split(' ')`), and a pair
    /// is the slice from one word's start to the next word's end.
    fn view_score(&self, joined: &str, license: &LicenseGrams, used: &mut Vec<u32>) -> f32 {
        let text = self.apply(joined);
        used.clear();
        used.resize(license.counts.len(), 0);
        let mut matches: u32 = 0;
        let mut size: usize = 0;
        let mut prev_start: Option<usize> = None;
        let mut start = 0;
        for word in text.split(' ') {
            if let Some(p) = prev_start {
                size += 1;
                let gram = text.get(p..start + word.len()).unwrap_or("");
                if let Some(&slot) = license.slots.get(gram)
                    && let (Some(u), Some(&c)) = (used.get_mut(slot), license.counts.get(slot))
                    && *u < c
                {
                    *u += 1;
                    matches += 1;
                }
            }
            prev_start = Some(start);
            start += word.len() + 1;
        }
        dice(matches, size, license.size)
    }
}

fn replace_all<'a>(re: &Regex, text: Cow<'a, str>, with: impl Replacer) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(t) => re.replace_all(t, with),
        Cow::Owned(t) => Cow::Owned(re.replace_all(&t, with).into_owned()),
    }
}

/// spdx's `search_optimize`: a ternary search over `left..=right`, each
/// score computed once; the last of equal best scores wins the final scan.
fn search_optimize(left: usize, right: usize, score: &mut dyn FnMut(usize) -> f32) -> (usize, f32) {
    let mut memo: HashMap<usize, f32> = HashMap::new();
    let mut check = |i: usize| -> f32 { *memo.entry(i).or_insert_with(|| score(i)) };
    let (mut left, mut right) = (left, right);
    loop {
        if right.saturating_sub(left) <= 3 {
            return (left..=right)
                .map(|x| (x, check(x)))
                .fold((0usize, 0f32), |acc, x| if x.1 >= acc.1 { x } else { acc });
        }
        let low = (left * 2 + right) / 3;
        let high = (left + right * 2) / 3;
        let score_low = check(low);
        let score_high = check(high);
        if score_low > score_high {
            right = high - 1;
        } else {
            left = low + 1;
        }
    }
}

// Copied from spdx 0.13.6 `detection/preproc.rs` (Apache-2.0, © Amazon.com).

fn trim_byte_adjusted(s: &str, idx: usize) -> &str {
    if idx >= s.len() {
        return s;
    }
    if let Some(sub) = s.get(..idx) {
        sub
    } else {
        let trailing_continuation = s.as_bytes()[..idx]
            .iter()
            .rev()
            .take_while(|&byte| byte & 0b1100_0000 == 0b1000_0000)
            .count();
        s.get(..idx.saturating_sub(trailing_continuation + 1))
            .unwrap_or("")
    }
}

fn lcs_substr<'a>(f_line: &'a str, s_line: &'a str) -> &'a str {
    let prefix_len = f_line
        .as_bytes()
        .iter()
        .zip(s_line.as_bytes())
        .take_while(|&(&f, &s)| f == s)
        .count();
    trim_byte_adjusted(f_line, prefix_len).trim()
}

fn remove_common_tokens(input: Cow<'_, str>) -> Cow<'_, str> {
    let mut l_iter = input.split('\n');
    let mut prefix_counts = HashMap::<_, u32>::new();
    if let Some(first) = l_iter.next() {
        let mut pair = ("", first);
        let line_pairs = std::iter::from_fn(|| {
            pair = (pair.1, l_iter.next()?);
            Some(pair)
        });
        for (a, b) in line_pairs {
            let common = lcs_substr(a, b);
            if common.len() > 3 {
                *prefix_counts.entry(common).or_insert(1) += 1;
            }
        }
    }
    let most_common = match prefix_counts.iter().max_by_key(|&(_k, v)| v) {
        Some((prefix, _count)) => prefix,
        None => return input,
    };
    let common_count = prefix_counts
        .iter()
        .filter_map(|(s, count)| s.starts_with(most_common).then_some(count))
        .sum::<u32>();
    let line_count = input.split('\n').count();
    let prefix_threshold = (0.8f32 * line_count as f32) as _;
    if common_count < prefix_threshold {
        return input;
    }
    let mut rem = String::with_capacity(input.len());
    for line in input.split('\n') {
        rem.push_str(line.strip_prefix(most_common).unwrap_or(line).trim());
        rem.push('\n');
    }
    rem.pop();
    rem.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same lines and the same score as spdx, on license texts inside
    /// other text, cut short, indented, and with copyright and title lines.
    #[test]
    fn bounds_equal_spdx_bounds() {
        let agg = Aggressive::new().expect("regexes");
        let mut cases = 0;
        for (id, _) in super::super::synth::FULL_TEXT_IDS.iter().take(16) {
            let Some(lic) = spdx::license_id(id) else {
                continue;
            };
            let text = lic.text();
            let license = TextData::new(text);
            let grams = LicenseGrams::of(&license).expect("readable");
            let short: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
            let commented: String = text
                .lines()
                .take(40)
                .map(|l| format!("%% {l}"))
                .collect::<Vec<_>>()
                .join("\n");
            for sample in [
                format!("import os\nprint('hi')\n\n{text}\n\nfn main() {{}}\n"),
                format!("Copyright (c) 2020 Someone\n\nMy License\n\n{short}\nmore words here\n"),
                commented,
                format!("{short}\n\n{short}"),
                String::new(),
            ] {
                let td = TextData::new(&sample);
                let (spdx_view, spdx_score) = td.optimize_bounds(&license);
                let (view, score) = agg.optimize_bounds(&td, &grams);
                assert_eq!(view, spdx_view.lines_view(), "{id}");
                assert_eq!(score.to_bits(), spdx_score.to_bits(), "{id}");
                // A narrower view: the search stays inside it.
                let n = td.lines().len();
                let inner = td.with_view(n.min(1), n.saturating_sub(1).max(n.min(1)));
                let (spdx_view, spdx_score) = inner.optimize_bounds(&license);
                let (view, score) = agg.optimize_bounds(&inner, &grams);
                assert_eq!(view, spdx_view.lines_view(), "{id}");
                assert_eq!(score.to_bits(), spdx_score.to_bits(), "{id}");
                cases += 1;
            }
        }
        assert!(cases >= 40, "{cases}");
    }
}
