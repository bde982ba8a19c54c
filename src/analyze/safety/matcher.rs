//! The screen's literal search: every occurrence of every term in a text, ASCII case
//! folded, in the order an overlapping Aho–Corasick search reports them (by end, then
//! longest first, then by term index).
//!
//! A character-wise double-array Aho–Corasick automaton (`daachorse`): one transition
//! per character, not per byte, so a Chinese character costs one table walk where a
//! byte-wise automaton takes three and the hashed-prefix search it replaced took a
//! hashed test at every character (Chinese text is a possible term start everywhere).
//! Its states are 12 bytes and its alphabet is only the terms' characters, so the
//! 20,000-term automaton stays small enough for the caches, unlike `aho-corasick`'s
//! DFA (40 MB, 6.7 ns a byte).
//!
//! The automaton has no ASCII case folding: it holds the terms lower-cased and reads a
//! lower-cased copy of the text (a cheap, vectorised pass).

use std::collections::HashMap;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder};

/// One occurrence of a term in the searched text (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Occurrence {
    /// The term's index.
    pub literal: usize,
    pub start: usize,
    pub end: usize,
}

/// The compiled terms (see the module doc).
pub(super) struct Matcher {
    /// Over the distinct lower-cased terms, each valued by its group; `None` when no
    /// term has any text (an empty pattern would match everywhere).
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// Group `g`'s term indexes, ascending: `ids[groups[g]..groups[g + 1]]` (terms
    /// that are equal once lower-cased share one pattern).
    groups: Vec<usize>,
    ids: Vec<usize>,
}

/// Sizes only: the terms are the user's.
impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("terms", &self.ids.len())
            .finish_non_exhaustive()
    }
}

impl Matcher {
    /// Compiles `terms` (their normal forms; an empty one never matches). Fails only
    /// past the automaton's limits (2^24 distinct terms, or states beyond 32-bit ids).
    pub(super) fn new(terms: &[String]) -> Result<Self, daachorse::errors::DaachorseError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        for (i, term) in terms.iter().enumerate() {
            if term.is_empty() {
                continue;
            }
            let lower = term.to_ascii_lowercase();
            let group = *group_of.entry(lower.clone()).or_insert_with(|| {
                patterns.push(lower);
                members.push(Vec::new());
                members.len() - 1
            });
            members[group].push(i);
        }
        let mut groups = vec![0];
        let mut ids = Vec::with_capacity(terms.len());
        for m in &members {
            ids.extend_from_slice(m);
            groups.push(ids.len());
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            let valued = patterns
                .iter()
                .enumerate()
                .map(|(g, p)| (p.as_str(), g as u32));
            Some(CharwiseDoubleArrayAhoCorasickBuilder::new().build_with_values(valued)?)
        };
        Ok(Matcher {
            automaton,
            groups,
            ids,
        })
    }

    /// Appends every occurrence of a term in `text` to `out` (cleared first), in
    /// overlapping Aho–Corasick order. `lowered` is scratch for the lower-cased copy.
    pub(super) fn find(&self, text: &str, lowered: &mut String, out: &mut Vec<Occurrence>) {
        out.clear();
        let Some(automaton) = &self.automaton else {
            return;
        };
        lowered.clear();
        lowered.push_str(text);
        lowered.make_ascii_lowercase();
        for m in automaton.find_overlapping_iter(lowered.as_str()) {
            let g = m.value() as usize;
            let (Some(&first), Some(&last)) = (self.groups.get(g), self.groups.get(g + 1)) else {
                continue;
            };
            for &literal in &self.ids[first..last] {
                out.push(Occurrence {
                    literal,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        if out.len() > 1 {
            // Aho–Corasick's overlapping order: by end; at one end the longest first
            // (a state's own match before its suffixes'); equal texts by index.
            out.sort_unstable_by_key(|o| (o.end, o.start, o.literal));
        }
    }
}

/// Whether `phrase` (lower-cased) occurs in `text`, ASCII case folded, covering
/// `start..end`: how an exclusion phrase cancels a term's occurrence.
pub(super) fn covers(text: &str, phrase: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let p = phrase.as_bytes();
    (end.saturating_sub(p.len())..=start).any(|q| {
        b.get(q..q + p.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(p))
    })
}
