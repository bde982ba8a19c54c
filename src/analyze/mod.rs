//! Per-record analysis: pure functions from a record to facts about it.
//!
//! Nothing here does I/O or keeps global state; a [`RecordFacts`] is everything the
//! aggregate stage needs to know about one record.

pub mod contamination;
pub mod fingerprint;
pub mod language;
pub mod license;
pub(crate) mod literals;
pub mod minhash;
pub mod pii;
pub mod profile;
pub mod quality;
pub mod safety;
pub mod sensitive;
pub mod web_hosts;

use crate::record::kind::RecordKind;
use crate::record::{Field, Record};
use fingerprint::Fingerprint;
use profile::TextProfile;

/// Everything the aggregate stage learns from one record.
#[derive(Debug, Clone)]
pub struct RecordFacts {
    /// The layout's kind, decided by the reader from field names.
    pub kind: RecordKind,
    /// Character counts over every text field of the record.
    pub profile: TextProfile,
    /// ISO 639-1 code of the record's language, `und` when undecided.
    pub language: &'static str,
    /// Fingerprint of the raw bytes, for exact duplicates.
    pub exact: Fingerprint,
    /// Fingerprint of the normalised text fields, for near-exact duplicates.
    pub normalized: Fingerprint,
    /// The normalised text that fingerprint hashes (fields joined by a 0x1e byte):
    /// near-duplicate shingling reads it rather than normalise the record again.
    pub normalized_text: NormalizedText,
    /// The raw bytes were not valid UTF-8 (decoded with replacement characters).
    pub lossy_utf8: bool,
}

/// A record's normalised text ([`RecordFacts::normalized_text`]). Its `Debug` shows
/// the length only: it is the record's text, which no log may carry.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NormalizedText(pub Vec<u8>);

impl std::fmt::Debug for NormalizedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NormalizedText({} bytes)", self.0.len())
    }
}

/// Analyses one record (a one-off; per-record callers keep an [`Analyzer`]).
pub fn analyze(record: &Record<'_>) -> RecordFacts {
    Analyzer::default().analyze(record)
}

/// Per-worker analysis state: scratch buffers reused from record to record, so the
/// per-record path does not allocate. It carries no facts from one record to the next:
/// analysis stays a function of the record alone.
#[derive(Default)]
pub struct Analyzer {
    normalizer: fingerprint::Normalizer,
    /// The buffer the next record's normalised text goes into ([`Self::recycle`]).
    spare: Vec<u8>,
}

impl Analyzer {
    /// Language is decided on the record's fields together, since a chat turn of three
    /// words tells less than the conversation. One profile pass per field also tells
    /// the normaliser which path the field's characters allow.
    pub fn analyze(&mut self, record: &Record<'_>) -> RecordFacts {
        let mut profile = TextProfile::default();
        for field in &record.fields {
            let form = profile.add_field(&field.text);
            self.normalizer.push(&field.text, form);
        }
        let language = identify_record_language(record, &profile);
        let (normalized, text) = self.normalizer.finish_into(std::mem::take(&mut self.spare));
        RecordFacts {
            kind: record.kind.clone(),
            profile,
            language,
            exact: fingerprint::exact(&record.raw),
            normalized,
            normalized_text: NormalizedText(text),
            lossy_utf8: record.lossy_utf8,
        }
    }

    /// Takes back a record's facts once the detectors are done with them, to reuse
    /// their text buffer: the per-record path then does not allocate.
    pub fn recycle(&mut self, facts: RecordFacts) {
        self.spare = facts.normalized_text.0;
    }
}

fn identify_record_language(record: &Record<'_>, profile: &TextProfile) -> &'static str {
    match record.fields.as_slice() {
        [] => "und",
        [only] => language::identify(&only.text, profile),
        // Latin stop words need running text: look at the longest field, which is the
        // document body rather than an id or a label.
        fields => {
            let longest = fields
                .iter()
                .max_by_key(|f| f.text.len())
                .map(|f| f.text.as_ref());
            language::identify(longest.unwrap_or(""), profile)
        }
    }
}

/// The rule-driven detectors, built once per scan and shared by every thread.
pub struct Detectors {
    /// The personal-information rules (built-in plus the user's).
    pub pii: pii::PiiDetector,
    /// The license, copyright and opt-out rules.
    pub license: license::LicenseDetector,
    /// The sensitive-information lexicons (built-in plus `[pii.sensitive]`).
    pub sensitive: sensitive::SensitiveDetector,
    /// The name and address context words and the sensitive terms in one search, so a
    /// scan looks for both in one pass over each field ([`Self::pii_and_sensitive`]).
    lexicon: Option<Lexicon>,
    /// MinHash parameters when near-duplicates are detected (`--near-duplicates`);
    /// `None` leaves the near-duplicate detector idle.
    pub near_duplicates: Option<minhash::MinHashParams>,
    /// The risk lexicons, when the user gave any (`--safety-lexicon`).
    pub safety: Option<std::sync::Arc<safety::SafetyScreen>>,
    /// The evaluation items' n-grams, when the user gave sets (`--eval-sets`).
    pub contamination: Option<std::sync::Arc<contamination::EvalIndex>>,
}

/// The shared search: the context words first, then the terms.
struct Lexicon {
    search: literals::LiteralSearch,
    /// How many of its literals are context words.
    words: usize,
}

impl Lexicon {
    /// `None` when the search cannot be built (each detector then searches alone).
    fn of(pii: &pii::PiiDetector, sensitive: &sensitive::SensitiveDetector) -> Option<Self> {
        let mut all = pii.context_words();
        let words = all.len();
        all.extend(sensitive.term_literals());
        let search = literals::LiteralSearch::new(&all).ok()?;
        Some(Lexicon { search, words })
    }
}

/// A worker's buffers for [`Detectors::pii_and_sensitive`].
#[derive(Debug, Default)]
pub struct LexiconScratch {
    hits: Vec<literals::Hit>,
    words: Vec<literals::Hit>,
    /// Per field of the record last looked at: its sensitive terms' hits.
    terms: Vec<Vec<literals::Hit>>,
    /// One field's PII matches before they are tagged with the field's index: kept
    /// here so a record with matches costs no allocation.
    found: Vec<pii::PiiMatch>,
}

impl Detectors {
    /// The built-in tables without user rules.
    pub fn builtin() -> Self {
        Self::of(
            pii::PiiDetector::builtin(),
            sensitive::SensitiveDetector::builtin(),
        )
    }

    fn of(pii: pii::PiiDetector, sensitive: sensitive::SensitiveDetector) -> Self {
        let lexicon = Lexicon::of(&pii, &sensitive);
        Detectors {
            pii,
            license: license::LicenseDetector::builtin(),
            sensitive,
            lexicon,
            near_duplicates: None,
            safety: None,
            contamination: None,
        }
    }

    /// These detectors screening with `screen` too (none: no screening).
    pub fn with_safety(mut self, screen: Option<std::sync::Arc<safety::SafetyScreen>>) -> Self {
        self.safety = screen;
        self
    }

    /// The built-in tables with the user's PII rules and sensitive-information terms
    /// (`--config`'s `[pii]` and `[pii.sensitive]`) layered on.
    pub fn with_config(config: &pii::PiiConfig) -> Result<Self, pii::PiiConfigError> {
        Ok(Self::of(
            pii::PiiDetector::with_config(config)?,
            sensitive::SensitiveDetector::with_config(&config.sensitive)?,
        ))
    }

    /// Hex SHA-256 over every detector's rule table.
    pub fn rules_fingerprint(&self) -> String {
        let mut fingerprint = format!(
            "{}:{}:{}",
            self.pii.rules_fingerprint(),
            self.license.rules_fingerprint(),
            self.sensitive.rules_fingerprint()
        );
        // Only with a lexicon, so audits without one keep their fingerprint.
        if let Some(screen) = &self.safety {
            fingerprint.push_str(":safety-");
            fingerprint.push_str(screen.fingerprint());
        }
        // Likewise only with evaluation sets: their items are the rule table here.
        if let Some(index) = &self.contamination {
            fingerprint.push_str(":contamination-");
            fingerprint.push_str(index.fingerprint());
        }
        fingerprint
    }

    /// Personal information in a record's fields, each match paired with its field.
    /// `scratch` is the calling worker's own (from `self.pii.scratch()`).
    pub fn pii_matches(
        &self,
        scratch: &mut pii::PiiScratch,
        record: &Record<'_>,
        out: &mut Vec<(usize, pii::PiiMatch)>,
    ) {
        let mut found = Vec::new();
        for (index, field) in record.fields.iter().enumerate() {
            found.clear();
            self.pii.scan_with(scratch, &field.text, &mut found);
            out.extend(found.drain(..).map(|m| (index, m)));
        }
    }

    /// [`Self::pii_matches`], then the sensitive categories the record discloses
    /// (`flags`, as [`sensitive::SensitiveDetector::flag_record`] gives them), with the
    /// context words and the terms found in one pass over each field. Same results as
    /// the two calls.
    pub fn pii_and_sensitive(
        &self,
        scratch: &mut pii::PiiScratch,
        lexicon: &mut LexiconScratch,
        sensitive: &mut sensitive::SensitiveScratch,
        record: &Record<'_>,
        out: &mut Vec<(usize, pii::PiiMatch)>,
        flags: &mut Vec<sensitive::SensitiveFlag>,
    ) {
        let Some(shared) = &self.lexicon else {
            self.pii_matches(scratch, record, out);
            self.sensitive
                .flag_record(sensitive, &record.fields, out, flags);
            return;
        };
        lexicon.terms.resize_with(record.fields.len(), Vec::new);
        let found = &mut lexicon.found;
        for (index, field) in record.fields.iter().enumerate() {
            shared.search.find_all(&field.text, &mut lexicon.hits);
            lexicon.words.clear();
            let terms = &mut lexicon.terms[index];
            terms.clear();
            for hit in &lexicon.hits {
                match hit.literal.checked_sub(shared.words) {
                    None => lexicon.words.push(*hit),
                    Some(literal) => terms.push(literals::Hit { literal, ..*hit }),
                }
            }
            found.clear();
            self.pii
                .scan_with_words(scratch, &field.text, &mut lexicon.words, found);
            out.extend(found.drain(..).map(|m| (index, m)));
        }
        let terms = lexicon.terms.get(..record.fields.len()).unwrap_or_default();
        self.sensitive
            .flag_record_found(sensitive, &record.fields, out, terms, flags);
    }

    /// License, copyright and opt-out markers in a record's fields, each paired with
    /// the index of the field it was found in. Per-record license fields (`license`,
    /// `max_stars_repo_licenses`, ...) are read as metadata as well as text.
    pub fn license_markers(
        &self,
        record: &Record<'_>,
        out: &mut Vec<(usize, license::LicenseMatch)>,
    ) {
        let mut found = Vec::new();
        for (index, field) in record.fields.iter().enumerate() {
            found.clear();
            self.license.scan_text(&field.text, &mut found);
            self.license
                .scan_metadata(field_name(field), &field.text, &mut found);
            out.extend(found.drain(..).map(|m| (index, m)));
        }
    }
}

/// The last key of a field path, without list indexes: `meta.licenses[0]` → `licenses`.
/// Byte searches rather than `str` patterns: paths are short, and this runs for every
/// field of every record.
fn field_name<'f>(field: &'f Field<'_>) -> &'f str {
    let path: &str = &field.path;
    let start = path.bytes().rposition(|b| b == b'.').map_or(0, |i| i + 1);
    let last = path.get(start..).unwrap_or(path);
    let end = last.bytes().position(|b| b == b'[').unwrap_or(last.len());
    last.get(..end).unwrap_or(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pass for the context words and the terms gives what the two detectors give
    /// on their own: same PII matches, same sensitive flags, record by record, with
    /// everything on, with names and addresses off and with the sensitive categories
    /// off (records of a few fields cut from generated mixed prose with the
    /// lexicons' terms and person cues written into it).
    #[test]
    fn one_shared_search_gives_what_the_two_searches_give() {
        let mut text = pii::synth::mixed_text(256 << 10, 11);
        for (i, term) in [
            "我有糖尿病",
            "I was diagnosed with diabetes",
            "我是基督徒",
            "my HIV test",
            "王先生住在北京市海淀区中关村大街1号",
        ]
        .iter()
        .enumerate()
        {
            text.push_str(&format!("\n{term}，联系人：李明 {i}\n"));
        }
        let configs = [
            "",
            "[pii]\ndisable = [\"person_name\", \"address\"]\n",
            "[pii.sensitive]\ndisable = [\"religion\", \"minor\"]\n",
        ];
        let lines: Vec<&str> = text.lines().collect();
        for config in configs {
            let cfg: crate::config::Config = toml::from_str(config).unwrap();
            let det = Detectors::with_config(&cfg.pii).unwrap();
            assert!(det.lexicon.is_some());
            let mut scratch = det.pii.scratch();
            let (mut lexicon, mut sens) = (LexiconScratch::default(), Default::default());
            let mut sens_alone = sensitive::SensitiveScratch::default();
            let (mut flagged, mut matched) = (0, 0);
            for (i, chunk) in lines.chunks(3).enumerate() {
                let mut record = Record::new(i as u64, crate::record::kind::RecordKind::Text);
                record.fields = chunk
                    .iter()
                    .map(|t| Field {
                        path: "text".into(),
                        text: (*t).into(),
                    })
                    .collect();
                let (mut want, mut want_flags) = (Vec::new(), Vec::new());
                det.pii_matches(&mut scratch, &record, &mut want);
                det.sensitive
                    .flag_record(&mut sens_alone, &record.fields, &want, &mut want_flags);
                let (mut got, mut got_flags) = (Vec::new(), Vec::new());
                det.pii_and_sensitive(
                    &mut scratch,
                    &mut lexicon,
                    &mut sens,
                    &record,
                    &mut got,
                    &mut got_flags,
                );
                assert_eq!(got, want, "record {i}");
                assert_eq!(got_flags, want_flags, "record {i}");
                matched += got.len();
                flagged += got_flags.len();
            }
            assert!(
                matched > 50 && flagged >= 1,
                "{config}: {matched} {flagged}"
            );
        }
    }

    #[test]
    fn field_name_is_the_last_key_without_indexes() {
        for (path, name) in [
            ("text", "text"),
            ("meta.licenses[0]", "licenses"),
            ("messages[2].content", "content"),
            ("x[0]", "x"),
            ("a.", ""),
            ("$", "$"),
            ("数据.许可[1][2]", "许可"),
        ] {
            let field = Field {
                path: path.into(),
                text: "".into(),
            };
            assert_eq!(field_name(&field), name, "{path}");
        }
    }
}
