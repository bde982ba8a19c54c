//! Recognisers for personal information that has no digits to find it by:
//! person names and postal addresses.
//!
//! One sampled literal search over the text (`analyze::literals`, which looks
//! at a fraction of the bytes) finds the context words (labels, titles,
//! salutations, division names, street types); only at those hits does a
//! recogniser (`names`, `address`) look at the neighbouring text. Text without
//! any of the words costs that search and no allocation.
//! Matches are `medium` confidence (a context word confirmed them) and never
//! overlap a match of the pattern rules, which are stricter.

use super::address::{self, Divisions};
use super::lexicon::{
    EN_CLOSINGS, EN_HONORIFICS, EN_INTROS, EN_SALUTATIONS, EN_STREET_TYPES, ZH_ADDRESS_LABELS,
    ZH_CITIES, ZH_INTROS, ZH_LABELS, ZH_PROVINCES, ZH_REPORTING_VERBS, ZH_TITLES_AFTER,
    ZH_TITLES_BEFORE, ZH_TITLES_EITHER,
};
use super::names::{self, EnNames};
use super::{Confidence, PiiMatch, PiiType};
use crate::analyze::literals::{Hit, Literal, LiteralSearch};

/// What a context word says about the text next to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trigger {
    /// `姓名：` — a name follows.
    ZhLabel,
    /// `我叫` — a name follows.
    ZhIntro,
    /// `我是` — a name follows only if punctuation closes it.
    ZhWeakIntro,
    /// `先生` — a name precedes.
    ZhTitleAfter,
    /// `总理` — a name precedes or follows.
    ZhTitleEither,
    /// `记者` — a name follows.
    ZhTitleBefore,
    /// `表示` — a speaker's name precedes.
    ZhReporting,
    /// `Dr. ` — a name follows.
    EnHonorific,
    /// `Dear ` — a first name follows.
    EnSalutation,
    /// `My name is ` — a first name follows.
    EnIntro,
    /// `Regards,` — a signature follows on the next line.
    EnClosing,
    /// `广东`, `深圳` — an address may start here.
    ZhDivision,
    /// `地址：` — an address follows.
    ZhAddressLabel,
    /// `Street` — a street address may end here.
    EnStreetType,
}

/// One prose rule: its id (as written in findings), its type, and the
/// triggers it owns. Disabling the id or the type removes its triggers.
struct ProseDef {
    id: &'static str,
    pii_type: PiiType,
    triggers: &'static [Trigger],
}

use Trigger as G;

/// The rule table: data, like `rules::BUILTIN`.
const PROSE_RULES: &[ProseDef] = &[
    ProseDef {
        id: "person_name.zh_label",
        pii_type: PiiType::PersonName,
        triggers: &[G::ZhLabel],
    },
    ProseDef {
        id: "person_name.zh_intro",
        pii_type: PiiType::PersonName,
        triggers: &[G::ZhIntro, G::ZhWeakIntro],
    },
    ProseDef {
        id: "person_name.zh_title",
        pii_type: PiiType::PersonName,
        triggers: &[G::ZhTitleAfter, G::ZhTitleEither, G::ZhTitleBefore],
    },
    ProseDef {
        id: "person_name.zh_reporting",
        pii_type: PiiType::PersonName,
        triggers: &[G::ZhReporting],
    },
    ProseDef {
        id: "person_name.en_honorific",
        pii_type: PiiType::PersonName,
        triggers: &[G::EnHonorific],
    },
    ProseDef {
        id: "person_name.en_salutation",
        pii_type: PiiType::PersonName,
        triggers: &[G::EnSalutation, G::EnIntro],
    },
    ProseDef {
        id: "person_name.en_signature",
        pii_type: PiiType::PersonName,
        triggers: &[G::EnClosing],
    },
    ProseDef {
        id: "address.zh_divisions",
        pii_type: PiiType::Address,
        triggers: &[G::ZhDivision, G::ZhAddressLabel],
    },
    ProseDef {
        id: "address.en_street",
        pii_type: PiiType::Address,
        triggers: &[G::EnStreetType],
    },
];

/// Every context word with the trigger it stands for.
fn trigger_words() -> Vec<(&'static str, Trigger)> {
    let tables: [(&[&'static str], Trigger); 13] = [
        (ZH_LABELS, G::ZhLabel),
        (&ZH_INTROS[..ZH_INTROS.len() - 1], G::ZhIntro),
        (&ZH_INTROS[ZH_INTROS.len() - 1..], G::ZhWeakIntro),
        (ZH_TITLES_AFTER, G::ZhTitleAfter),
        (ZH_TITLES_EITHER, G::ZhTitleEither),
        (ZH_TITLES_BEFORE, G::ZhTitleBefore),
        (ZH_REPORTING_VERBS, G::ZhReporting),
        (EN_HONORIFICS, G::EnHonorific),
        (EN_SALUTATIONS, G::EnSalutation),
        (EN_INTROS, G::EnIntro),
        (EN_CLOSINGS, G::EnClosing),
        (ZH_ADDRESS_LABELS, G::ZhAddressLabel),
        (EN_STREET_TYPES, G::EnStreetType),
    ];
    let mut words: Vec<(&'static str, Trigger)> = tables
        .iter()
        .flat_map(|(list, t)| list.iter().map(move |w| (*w, *t)))
        .collect();
    words.extend(
        ZH_PROVINCES
            .iter()
            .chain(ZH_CITIES)
            .map(|w| (*w, G::ZhDivision)),
    );
    words
}

/// Context words match as written, wherever they stand (the recognisers check
/// their edges).
fn as_written<'a>(words: &[&'a str]) -> Vec<Literal<'a>> {
    words
        .iter()
        .map(|text| Literal {
            text,
            fold: false,
            word_start: false,
        })
        .collect()
}

/// Puts hits in the order an overlapping Aho–Corasick automaton reports them, which
/// the floor and settled logic of [`Prose::scan`] was written for: by end, the longer
/// first, then by word.
fn in_automaton_order(hits: &mut [Hit]) {
    hits.sort_unstable_by_key(|h| (h.end, h.start, h.literal));
}

/// The prose recognisers of one detector: the enabled rules' triggers in one
/// search, and the tables the recognisers consult.
pub(super) struct Prose {
    /// The enabled rules' context words, as written (case-sensitive); `None` when
    /// every prose rule is disabled.
    words: Option<LiteralSearch>,
    /// The same words, in the order the search numbers them (for a search shared with
    /// other literals, `analyze::Detectors`).
    texts: Vec<&'static str>,
    /// Per context word: its trigger and the index of its rule in `rules`.
    patterns: Vec<(Trigger, u16)>,
    /// Indices into [`PROSE_RULES`] of the enabled rules.
    rules: Vec<usize>,
    en: EnNames,
    divisions: Divisions,
}

impl Prose {
    /// The prose rules for which `enabled(id, type)` holds.
    pub(super) fn build(enabled: impl Fn(&str, &PiiType) -> bool) -> Prose {
        let rules: Vec<usize> = PROSE_RULES
            .iter()
            .enumerate()
            .filter(|(_, d)| enabled(d.id, &d.pii_type))
            .map(|(i, _)| i)
            .collect();
        let owner = |t: Trigger| -> Option<u16> {
            rules
                .iter()
                .position(|&r| PROSE_RULES.get(r).is_some_and(|d| d.triggers.contains(&t)))
                .and_then(|p| u16::try_from(p).ok())
        };
        let (words, patterns): (Vec<&str>, Vec<(Trigger, u16)>) = trigger_words()
            .into_iter()
            .filter_map(|(w, t)| owner(t).map(|r| (w, (t, r))))
            .unzip();
        let literals = as_written(&words);
        let search = if literals.is_empty() {
            None
        } else {
            LiteralSearch::new(&literals).ok()
        };
        Prose {
            words: search,
            texts: words,
            patterns,
            rules,
            en: EnNames::load(),
            divisions: Divisions::load(),
        }
    }

    /// Number of enabled prose rules.
    pub(super) fn rule_count(&self) -> usize {
        self.rules.len()
    }

    fn def(&self, rule: usize) -> Option<&'static ProseDef> {
        self.rules.get(rule).and_then(|&i| PROSE_RULES.get(i))
    }

    /// The id of enabled prose rule `rule`.
    pub(super) fn rule_id(&self, rule: usize) -> Option<&'static str> {
        self.def(rule).map(|d| d.id)
    }

    /// The type of enabled prose rule `rule`.
    pub(super) fn rule_type(&self, rule: usize) -> Option<PiiType> {
        self.def(rule).map(|d| d.pii_type.clone())
    }

    /// Is `id` a prose rule's id (for `disable` entries)?
    pub(super) fn knows(id: &str) -> bool {
        Self::ids().any(|i| i == id)
    }

    /// Every built-in prose rule id.
    pub(super) fn ids() -> impl Iterator<Item = &'static str> {
        PROSE_RULES.iter().map(|d| d.id)
    }

    /// What goes into the rules fingerprint: ids and every table's words.
    pub(super) fn fingerprint_parts(&self) -> impl Iterator<Item = &'static str> + '_ {
        let ids = self
            .rules
            .iter()
            .filter_map(|&i| PROSE_RULES.get(i))
            .map(|d| d.id);
        let tables = [
            include_str!("lexicon.rs"),
            include_str!("lexicon/en_first.txt"),
            include_str!("lexicon/en_last.txt"),
        ];
        ids.chain(tables)
    }

    /// Appends the names and addresses in `text` to `out`, whose entries from
    /// `base` on are this text's pattern matches (sorted, disjoint); prose
    /// matches overlapping one of them are dropped, and `out[base..]` is
    /// sorted by start afterwards. Rule indices are offset by `first_rule`.
    pub(super) fn scan(&self, text: &str, first_rule: usize, base: usize, out: &mut Vec<PiiMatch>) {
        let Some(words) = &self.words else { return };
        let mut hits: Vec<Hit> = Vec::new();
        words.find_all(text, &mut hits);
        self.scan_hits(text, &mut hits, first_rule, base, out);
    }

    /// The context words (as [`Self::literals`] numbers them) and their recognisers'
    /// literals, for a search shared with other literals.
    pub(super) fn literals(&self) -> Vec<Literal<'static>> {
        as_written(&self.texts)
    }

    /// [`Self::scan`] with the context words already found in `text` (`hits`, numbered
    /// as [`Self::literals`]; reordered here).
    pub(super) fn scan_hits(
        &self,
        text: &str,
        hits: &mut [Hit],
        first_rule: usize,
        base: usize,
        out: &mut Vec<PiiMatch>,
    ) {
        if hits.is_empty() {
            return;
        }
        in_automaton_order(hits);
        let pattern_end = out.len();
        // `floor`: end of the last match; `settled`: end of the last context
        // word wholly before the current one. A name read backwards from a
        // title stops at both (`主席台` after `江泽民主席` is no name's title).
        let (mut floor, mut settled, mut last_end) = (0, 0, 0);
        for hit in hits.iter() {
            if last_end <= hit.start {
                settled = last_end;
            }
            last_end = last_end.max(hit.end);
            if hit.start < floor {
                continue;
            }
            let Some(&(trigger, rule)) = self.patterns.get(hit.literal) else {
                continue;
            };
            let limit = floor.max(settled);
            let Some((start, end)) = self.recognise(trigger, text, hit.start, hit.end, limit)
            else {
                continue;
            };
            let taken = out
                .get(base..pattern_end)
                .is_some_and(|ms| ms.iter().any(|m| m.start < end && start < m.end));
            let Some(pii_type) = self.rule_type(usize::from(rule)) else {
                continue;
            };
            if taken || start < floor {
                continue;
            }
            let Ok(index) = u16::try_from(first_rule + usize::from(rule)) else {
                continue;
            };
            out.push(PiiMatch {
                pii_type,
                rule: index,
                start,
                end,
                tag: None,
                confidence: Confidence::Medium,
            });
            floor = end;
        }
        if out.len() > pattern_end
            && let Some(mine) = out.get_mut(base..)
        {
            mine.sort_unstable_by_key(|m| m.start);
        }
    }

    /// The span a trigger at `start..end` confirms, if any.
    fn recognise(
        &self,
        trigger: Trigger,
        text: &str,
        start: usize,
        end: usize,
        floor: usize,
    ) -> Option<(usize, usize)> {
        let before = |at: usize| names::zh_name_before(text, at, floor).map(|s| (s, at));
        let after = |at: usize| names::zh_name_after(text, at).map(|e| (at, e));
        match trigger {
            G::ZhLabel => names::zh_name_after_label(text, end),
            G::ZhIntro => after(end),
            G::ZhWeakIntro => names::zh_name_after_weak_intro(text, end),
            G::ZhTitleAfter | G::ZhTitleEither if !names::zh_title_ok(text, end) => None,
            G::ZhTitleAfter | G::ZhReporting => before(start),
            G::ZhTitleEither => before(start).or_else(|| after(end)),
            G::ZhTitleBefore => after(end),
            G::EnHonorific => names::en_left_ok(text, start)
                .then(|| names::en_after_honorific(&self.en, text, end))
                .flatten(),
            G::EnSalutation | G::EnIntro => names::en_left_ok(text, start)
                .then(|| names::en_first_last(&self.en, text, end))
                .flatten(),
            G::EnClosing => names::en_signature(&self.en, text, end),
            G::ZhDivision => address::zh_levels(&self.divisions, text, start).map(|e| (start, e)),
            G::ZhAddressLabel => address::zh_after_label(&self.divisions, text, end),
            G::EnStreetType => names::en_left_ok(text, start)
                .then(|| address::en_street(text, start, end))
                .flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};

    /// The sampled search reports the context words exactly as the overlapping
    /// automaton it replaced did, in the same order, so names and addresses found
    /// are unchanged: on generated mixed zh/en prose and on every word glued to
    /// its neighbours.
    #[test]
    fn context_words_come_as_the_automaton_gave_them() {
        let words: Vec<&str> = trigger_words().into_iter().map(|(w, _)| w).collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&words)
            .unwrap();
        let literals = as_written(&words);
        let search = LiteralSearch::new(&literals).unwrap();
        let mut texts: Vec<String> = super::super::synth::mixed_text(1 << 20, 7)
            .lines()
            .map(String::from)
            .collect();
        texts.push(words.concat());
        texts.push(words.join(" "));
        let mut hits = Vec::new();
        for text in &texts {
            let want: Vec<(usize, usize, usize)> = automaton
                .find_overlapping_iter(text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            search.find_all(text, &mut hits);
            in_automaton_order(&mut hits);
            let got: Vec<(usize, usize, usize)> =
                hits.iter().map(|h| (h.start, h.end, h.literal)).collect();
            assert_eq!(got, want);
        }
    }
}
