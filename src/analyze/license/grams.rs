//! Exact Dice scores of one text against every store text at once.
//!
//! spdx scores a text against a license by walking the smaller of the two
//! bigram maps and looking each bigram up in the other (a SipHash of a
//! `String` per bigram, per license). Identifying a license document meant
//! doing that for hundreds of store texts, and it was half of the license
//! stage on license-dense text. An inverted index (bigram -> store texts
//! holding it, with counts) gives the same intersection counts for a whole
//! part of the store in one pass over the query's bigrams, with integer
//! additions instead of string hashing; the score is then spdx's own formula
//! on the same integers, so every score is bit-for-bit the one spdx computes.
//!
//! spdx keeps the bigram maps crate-private. Their `Debug` output is the only
//! public view of them, so the maps are read from it: strictly parsed, and
//! checked against the map's own size field. When a map cannot be read (a
//! future spdx that prints it differently), the caller scores that text with
//! spdx's `match_score`, which gives the same result, only slower.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::BuildHasherDefault;

use spdx::detection::TextData;

use crate::analyze::literals::KeyHasher as GramHasher;

/// Bigram -> dense id, over every bigram of every store text.
pub(super) struct GramIds {
    ids: HashMap<Box<str>, u32, BuildHasherDefault<GramHasher>>,
}

/// The bigrams of one text that some store text holds (dense id, count),
/// and the text's total bigram count (spdx's `NgramSet::len`).
pub(super) struct Grams {
    grams: Vec<(u32, u32)>,
    size: usize,
}

/// One part of the store as an inverted index: for gram id `g`,
/// `entries[offsets[g]..offsets[g + 1]]` are (text index, count).
#[derive(Default)]
pub(super) struct Postings {
    offsets: Vec<u32>,
    entries: Vec<(u32, u32)>,
    /// Total bigram count of each text of the part.
    sizes: Vec<usize>,
}

/// Reads the bigram map of `td`: calls `each` with every (bigram, count)
/// and returns the map's size, or `None` when the `Debug` text is not the
/// shape expected or the counts do not add up to the size.
pub(super) fn read_map(td: &TextData, mut each: impl FnMut(&str, u32)) -> Option<usize> {
    let mut sink = UntilLines(String::new());
    // The sink stops the formatting after the map: the normalised lines
    // and text that follow are as long as the text and not needed.
    let _ = write!(sink, "{td:?}");
    let mut p = Parser(sink.0.as_str());
    p.eat("TextData { match_data: NgramSet { map: {")?;
    let mut key = String::new();
    let mut total: usize = 0;
    if !p.eat_if("}") {
        loop {
            p.string(&mut key)?;
            p.eat(": ")?;
            let count = u32::try_from(p.number()?).ok()?;
            total = total.checked_add(count as usize)?;
            each(&key, count);
            if p.eat_if("}") {
                break;
            }
            p.eat(", ")?;
        }
    }
    p.eat(", n: 2, size: ")?;
    let size = p.number()?;
    p.eat(" }")?;
    (size == total).then_some(size)
}

/// Collects `Debug` output up to the field after the bigram map.
struct UntilLines(String);

impl std::fmt::Write for UntilLines {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        // `derive(Debug)` writes each field name as one piece; a bigram
        // always holds a space, so no piece of a key is this name.
        if s == "lines_view" {
            return Err(std::fmt::Error);
        }
        self.0.push_str(s);
        Ok(())
    }
}

/// A strict reader of Rust `Debug` output.
struct Parser<'a>(&'a str);

impl Parser<'_> {
    fn eat(&mut self, lit: &str) -> Option<()> {
        self.0 = self.0.strip_prefix(lit)?;
        Some(())
    }

    fn eat_if(&mut self, lit: &str) -> bool {
        self.eat(lit).is_some()
    }

    fn number(&mut self) -> Option<usize> {
        let n = self.0.bytes().take_while(u8::is_ascii_digit).count();
        let v = self.0.get(..n)?.parse().ok()?;
        self.0 = &self.0[n..];
        Some(v)
    }

    /// A `Debug`-quoted string into `out` (`str::escape_debug` escapes).
    fn string(&mut self, out: &mut String) -> Option<()> {
        out.clear();
        self.eat("\"")?;
        let mut chars = self.0.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.0 = &self.0[i + 1..];
                    return Some(());
                }
                '\\' => {
                    let e = match chars.next()?.1 {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        '0' => '\0',
                        '\\' => '\\',
                        '"' => '"',
                        '\'' => '\'',
                        'u' => {
                            if chars.next()?.1 != '{' {
                                return None;
                            }
                            let mut v: u32 = 0;
                            loop {
                                let d = chars.next()?.1;
                                if d == '}' {
                                    break;
                                }
                                v = v.checked_mul(16)?.checked_add(d.to_digit(16)?)?;
                            }
                            char::from_u32(v)?
                        }
                        _ => return None,
                    };
                    out.push(e);
                }
                c => out.push(c),
            }
        }
        None
    }
}

impl GramIds {
    /// Ids for every bigram of the store and one inverted index per part
    /// (`parts`: each part's texts in order), reading every map once; `None`
    /// when a map cannot be read.
    pub(super) fn index(parts: &[Vec<&TextData>]) -> Option<(Self, Vec<Postings>)> {
        let mut ids: HashMap<Box<str>, u32, BuildHasherDefault<GramHasher>> = HashMap::default();
        let mut out = Vec::with_capacity(parts.len());
        for texts in parts {
            // (gram id, count) of each text, then a counting sort by gram id.
            let mut maps: Vec<Vec<(u32, u32)>> = Vec::with_capacity(texts.len());
            let mut sizes = Vec::with_capacity(texts.len());
            for td in texts {
                let mut map = Vec::new();
                let size = read_map(td, |g, n| {
                    // Most bigrams recur across texts: look up before
                    // allocating a key.
                    let id = match ids.get(g) {
                        Some(&id) => id,
                        None => {
                            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                            ids.insert(g.into(), next);
                            next
                        }
                    };
                    map.push((id, n));
                })?;
                maps.push(map);
                sizes.push(size);
            }
            out.push((maps, sizes));
        }
        let grams = ids.len();
        let postings = out
            .into_iter()
            .map(|(maps, sizes)| {
                let mut offsets = vec![0u32; grams + 1];
                for &(g, _) in maps.iter().flatten() {
                    offsets[g as usize + 1] += 1;
                }
                for g in 0..grams {
                    offsets[g + 1] += offsets[g];
                }
                let mut fill: Vec<u32> = offsets[..grams].to_vec();
                let mut entries = vec![(0u32, 0u32); offsets[grams] as usize];
                for (t, map) in maps.iter().enumerate() {
                    for &(g, n) in map {
                        let slot = &mut fill[g as usize];
                        entries[*slot as usize] = (t as u32, n);
                        *slot += 1;
                    }
                }
                Postings {
                    offsets,
                    entries,
                    sizes,
                }
            })
            .collect();
        Some((GramIds { ids }, postings))
    }

    /// The bigrams of `td` that the store holds, or `None` when its map
    /// cannot be read.
    pub(super) fn grams(&self, td: &TextData) -> Option<Grams> {
        let mut grams = Vec::new();
        let size = read_map(td, |g, n| {
            if let Some(&id) = self.ids.get(g) {
                grams.push((id, n));
            }
        })?;
        Some(Grams { grams, size })
    }
}

impl Postings {
    /// The score of `q` against every text of the part, in its order:
    /// spdx's Dice coefficient (`NgramSet::dice`) on the same counts, so the
    /// same `f32`.
    pub(super) fn scores(&self, q: &Grams) -> Vec<f32> {
        let mut matches = vec![0u32; self.sizes.len()];
        for &(g, c) in &q.grams {
            let g = g as usize;
            let (Some(&a), Some(&b)) = (self.offsets.get(g), self.offsets.get(g + 1)) else {
                continue;
            };
            for &(t, n) in self.entries.get(a as usize..b as usize).unwrap_or(&[]) {
                if let Some(m) = matches.get_mut(t as usize) {
                    *m += c.min(n);
                }
            }
        }
        self.sizes
            .iter()
            .zip(matches)
            .map(|(&size, m)| dice(m, size, q.size))
            .collect()
    }

    /// Whether the index covers `n` texts (it was built from the part).
    pub(super) fn covers(&self, n: usize) -> bool {
        self.sizes.len() == n && !self.offsets.is_empty()
    }
}

/// spdx's `NgramSet::dice` from the intersection count and the two sizes,
/// written with the same operations so it rounds the same.
pub(super) fn dice(matches: u32, a: usize, b: usize) -> f32 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    (2.0 * matches as f32) / ((a + b) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_of(td: &TextData) -> Option<(Vec<(String, u32)>, usize)> {
        let mut v = Vec::new();
        let size = read_map(td, |g, n| v.push((g.to_string(), n)))?;
        v.sort();
        Some((v, size))
    }

    #[test]
    fn reads_the_bigram_map() {
        let td = TextData::new("Permission is hereby granted, permission is hereby granted");
        let (map, size) = map_of(&td).expect("readable");
        assert_eq!(size, 7);
        assert!(map.contains(&("hereby granted".to_string(), 2)), "{map:?}");
        // A one-word and an empty text have empty maps.
        assert_eq!(map_of(&TextData::new("word")), Some((Vec::new(), 0)));
        assert_eq!(map_of(&TextData::new("")), Some((Vec::new(), 0)));
        // Escapes in keys: combining marks print as \u{..}.
        let td = TextData::new("cafe\u{301} ok e\u{301}te\u{301} \"x\" back\\slash");
        let (map, size) = map_of(&td).expect("readable");
        assert_eq!(map.iter().map(|(_, n)| *n as usize).sum::<usize>(), size);
        let words: Vec<String> = map.iter().map(|(g, _)| g.clone()).collect();
        for g in &words {
            assert!(g.contains(' '), "{g:?}");
        }
    }

    #[test]
    fn parser_rejects_malformed_strings() {
        let mut s = String::new();
        assert!(Parser("\"ab\\u{41}\\n\"").string(&mut s).is_some());
        assert_eq!(s, "abA\n");
        assert!(Parser("\"ab").string(&mut s).is_none());
        assert!(Parser("\"a\\q\"").string(&mut s).is_none());
        assert!(Parser("\"a\\u{zz}\"").string(&mut s).is_none());
        assert!(Parser("\"a\\u{110000}\"").string(&mut s).is_none());
    }

    /// Index scores equal spdx's own, bit for bit, including texts with
    /// bigrams the store does not hold and repeated bigrams.
    #[test]
    fn scores_equal_spdx_scores() {
        let store = [
            TextData::new("Permission is hereby granted, free of charge, to any person"),
            TextData::new("the above copyright notice and this permission notice"),
            TextData::new("x"),
            TextData::new("of the of the of the software"),
        ];
        let (ids, mut parts) = GramIds::index(&[store.iter().collect()]).expect("index");
        let postings = parts.pop().expect("one part");
        assert!(postings.covers(store.len()));
        for q in [
            "permission is hereby granted free of charge to any person obtaining",
            "of the of the unrelated words of the",
            "",
            "nothing shared here at all",
        ] {
            let td = TextData::new(q);
            let grams = ids.grams(&td).expect("grams");
            let got = postings.scores(&grams);
            for (s, want) in store.iter().zip(&got) {
                assert_eq!(s.match_score(&td).to_bits(), want.to_bits(), "{q:?}");
            }
        }
    }
}
