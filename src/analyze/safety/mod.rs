//! Corpus safety screening: risk lexicons matched against every text field, for
//! GB/T 45654-2025's per-source rule (a source whose content is more than 5% illegal
//! or harmful information is not to be used) and its keyword-based technical sample.
//!
//! Only when the user gives a lexicon (`--safety-lexicon`, `[safety] lexicons`):
//! provaudit ships none but a neutral demo (`fixtures/safety-demo.toml`). A record is
//! *flagged* for a category when the weights of its counted occurrences of that
//! category's terms add up to 1 or more (a term's weight is 1 unless the lexicon says
//! otherwise), so two half-weight terms flag a record and one does not.
//!
//! Matching: one pass of a character-wise Aho–Corasick automaton ([`matcher`]) per
//! field over its normal form (`normalize`: width, NFKC-ish, case, spliced characters
//! joined); a field already in normal form (ASCII case aside) is searched as it is.
//! Terms stand by the PIPL lexicons' edges (`sensitive::Shape`: a term that begins or
//! ends with an ASCII letter or digit does not count glued to another), and an
//! occurrence inside one of its term's exclusion phrases does not count.
//!
//! Findings and ledger figures name a term by its id (`LEXICON#N`, its 1-based position
//! in its lexicon), never by its text, and never carry the record's text.

pub mod lexicon;
mod matcher;
pub mod normalize;
pub mod synth;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analyze::profile::NormalForm;
use crate::analyze::sensitive::Shape;
pub use lexicon::{Lexicon, LexiconError, LexiconIdentity};
use matcher::{Matcher, Occurrence, Starts, covers};
use normalize::{Normalized, normalized_term};

/// The share of a source's records GB/T 45654-2025 allows to hold illegal or harmful
/// information (more than this and the source is not to be used): the default of
/// `[safety] max_source_share` when a lexicon is given.
pub const STANDARD_MAX_SOURCE_SHARE: f64 = 0.05;

/// How a record's occurrences flag it: summed weights per category at least this.
const FLAG_WEIGHT: f64 = 1.0 - 1e-9;

/// One term as the screen matches it.
#[derive(Debug)]
struct ScreenTerm {
    /// Index into [`SafetyScreen::categories`].
    category: u16,
    /// Index into [`SafetyScreen::lexicons`].
    lexicon: u16,
    /// 1-based position in its lexicon.
    position: u32,
    weight: f64,
    shape: Shape,
    /// Literal indexes of its exclusion phrases.
    exclude: Vec<usize>,
}

/// The loaded lexicons, compiled for screening; built once per scan.
pub struct SafetyScreen {
    /// Finds the terms (not the exclusion phrases, which are only compared around a
    /// term's occurrence).
    search: Matcher,
    /// Normalised literals: the terms (same index as `terms`), then the exclusions.
    literals: Vec<String>,
    terms: Vec<ScreenTerm>,
    categories: Vec<String>,
    lexicons: Vec<LexiconIdentity>,
    fingerprint: String,
}

/// Counts only: terms are the user's.
impl std::fmt::Debug for SafetyScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafetyScreen")
            .field("terms", &self.terms.len())
            .field("lexicons", &self.lexicons.len())
            .finish_non_exhaustive()
    }
}

/// One counted occurrence, located in the field (bytes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SafetyHit {
    /// Index into [`SafetyScreen::category`].
    pub category: u16,
    /// Index of the term ([`SafetyScreen::term_id`]).
    pub term: u32,
    /// First byte in the field.
    pub start: usize,
    /// One past the last byte in the field.
    pub end: usize,
    /// The term's weight.
    pub weight: f64,
}

/// A worker's buffers, reused from field to field.
#[derive(Debug, Default)]
pub struct SafetyScratch {
    normalized: Normalized,
    hits: Vec<Occurrence>,
}

/// Per file (and summed per source): records flagged, in total and per category, and
/// counted occurrences. The ledger's `safety` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SafetyCounts {
    /// Records flagged for at least one category.
    pub records_with_hits: u64,
    /// Records flagged, per category id.
    pub records_by_category: BTreeMap<String, u64>,
    /// Counted occurrences of every term.
    pub hits: u64,
}

impl SafetyCounts {
    /// Adds another file's or unit's counts.
    pub fn merge(&mut self, other: &SafetyCounts) {
        self.records_with_hits += other.records_with_hits;
        self.hits += other.hits;
        for (c, n) in &other.records_by_category {
            *self.records_by_category.entry(c.clone()).or_default() += n;
        }
    }
}

impl SafetyScreen {
    /// Compiles `lexicons` (in the order given: a term's id depends on its lexicon's
    /// name and its position, not on this order).
    pub fn new(lexicons: Vec<Lexicon>) -> Result<Self, LexiconError> {
        let mut categories: Vec<String> = lexicons
            .iter()
            .flat_map(|l| l.terms.iter().map(|t| t.category.clone()))
            .collect();
        categories.sort();
        categories.dedup();
        let mut literals = Vec::new();
        let mut terms = Vec::new();
        let mut hash = Sha256::new();
        for (li, lexicon) in lexicons.iter().enumerate() {
            hash.update(lexicon.identity.sha256.as_bytes());
            hash.update(b"\n");
            for (ti, t) in lexicon.terms.iter().enumerate() {
                let text = normalized_term(&t.text);
                terms.push(ScreenTerm {
                    category: categories
                        .binary_search(&t.category)
                        .map_or(u16::MAX, |i| u16::try_from(i).unwrap_or(u16::MAX)),
                    lexicon: u16::try_from(li).unwrap_or(u16::MAX),
                    position: u32::try_from(ti + 1).unwrap_or(u32::MAX),
                    weight: t.weight,
                    shape: Shape::of(&text),
                    exclude: Vec::new(),
                });
                literals.push(text);
            }
        }
        let mut phrases: HashMap<String, usize> = HashMap::new();
        let all_terms = lexicons.iter().flat_map(|l| &l.terms);
        for (term, entry) in terms.iter_mut().zip(all_terms) {
            for phrase in &entry.exclude {
                let text = normalized_term(phrase);
                let next = literals.len();
                let index = *phrases.entry(text.clone()).or_insert(next);
                if index == next {
                    literals.push(text);
                }
                term.exclude.push(index);
            }
        }
        let search = Matcher::new(&literals[..terms.len()]).map_err(|e| LexiconError {
            path: lexicons
                .iter()
                .map(|l| l.identity.path.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            line: None,
            message: format!(
                "too many terms to screen with at once ({e}); split them over several scans"
            ),
        })?;
        Ok(SafetyScreen {
            search,
            literals,
            terms,
            categories,
            lexicons: lexicons.into_iter().map(|l| l.identity).collect(),
            fingerprint: crate::bytesource::hex(&hash.finalize()),
        })
    }

    /// The lexicons screened with, as `summary.json` records them.
    pub fn lexicons(&self) -> &[LexiconIdentity] {
        &self.lexicons
    }

    /// Hex SHA-256 over the lexicons' own hashes, in order: part of the audit's rules
    /// fingerprint, so a baseline screened otherwise is not reused.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The category id of a hit.
    pub fn category(&self, index: u16) -> &str {
        self.categories
            .get(usize::from(index))
            .map_or("", String::as_str)
    }

    /// How many categories the lexicons use.
    pub fn category_count(&self) -> usize {
        self.categories.len()
    }

    /// A term's id: `LEXICON#N`, its lexicon's name and 1-based position there.
    pub fn term_id(&self, term: u32) -> String {
        let Some(t) = self.terms.get(term as usize) else {
            return String::new();
        };
        let name = self
            .lexicons
            .get(usize::from(t.lexicon))
            .map_or("", |l| l.name.as_str());
        format!("{name}#{}", t.position)
    }

    /// Appends the counted occurrences in `text` (one field) to `out`, located in the
    /// field, in order of the normal form.
    pub fn screen_field(&self, scratch: &mut SafetyScratch, text: &str, out: &mut Vec<SafetyHit>) {
        self.screen_field_as(scratch, text, NormalForm::of(text), out);
    }

    /// [`Self::screen_field`] for a field of a record whose profile allows `form`
    /// (`RecordFacts::profile`): a record of ASCII, Han and full-width characters
    /// only tells its fields apart without another pass over their characters.
    pub fn screen_field_as(
        &self,
        scratch: &mut SafetyScratch,
        text: &str,
        form: NormalForm,
        out: &mut Vec<SafetyHit>,
    ) {
        let form = match form {
            NormalForm::Unicode => NormalForm::of(text),
            form => form,
        };
        let copied = scratch.normalized.fill_as(text, form);
        let (hay, starts) = if copied {
            (scratch.normalized.text.as_str(), Starts::Chars)
        } else {
            (text, Starts::Words)
        };
        self.search.find(hay, starts, &mut scratch.hits);
        // Edges are judged on the field, copy or not.
        for hit in &scratch.hits {
            let Some(term) = self.terms.get(hit.literal) else {
                continue;
            };
            let excluded = term
                .exclude
                .iter()
                .any(|&x| covers(hay, &self.literals[x], hit.start, hit.end));
            if excluded {
                continue;
            }
            let (start, end) = if copied {
                scratch.normalized.field_range(text, hit.start, hit.end)
            } else {
                (hit.start, hit.end)
            };
            if !term
                .shape
                .accepts(&self.literals[hit.literal], text, start, end)
            {
                continue;
            }
            out.push(SafetyHit {
                category: term.category,
                term: hit.literal as u32,
                start,
                end,
                weight: term.weight,
            });
        }
    }

    /// The categories (indexes) a record's hits flag it for: summed weight at least 1.
    /// `weights` is scratch.
    pub fn flagged(&self, hits: &[SafetyHit], weights: &mut Vec<f64>, out: &mut Vec<u16>) {
        out.clear();
        weights.clear();
        weights.resize(self.categories.len(), 0.0);
        for h in hits {
            if let Some(w) = weights.get_mut(usize::from(h.category)) {
                *w += h.weight;
            }
        }
        out.extend(
            weights
                .iter()
                .enumerate()
                .filter(|(_, w)| **w >= FLAG_WEIGHT)
                .map(|(i, _)| i as u16),
        );
    }
}
