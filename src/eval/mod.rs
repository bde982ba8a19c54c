//! `provaudit eval-pii`: precision, recall and F1 of the PII detector per type on
//! labelled text (format in [`labelled`]), so the figures the report states are
//! measured by a command anyone can rerun on their own data.
//!
//! Scoring is by overlap, per type: a detection is correct (TP) when it overlaps a
//! labelled span of its type; it is wrong (FP) otherwise; a labelled span no detection
//! of its type overlaps is missed (FN). Precision is TP / detections, recall is the
//! share of labelled spans found, F1 their harmonic mean. Label types are first mapped
//! to provaudit's ids (`--map location=address`; an empty right side drops a label
//! type). Every detection counts, tagged ones too (private networks, placeholder
//! domains): `findings.jsonl` lists them as well. No value is ever printed: the
//! results are counts.

pub mod labelled;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::analyze::pii::{PiiDetector, PiiMatch, PiiScratch};
use labelled::{LabelledError, LabelledText};

/// Label types mapped to provaudit's type ids (`None`: the label type is not scored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeMap(BTreeMap<String, Option<String>>);

impl TypeMap {
    /// Parses `LABEL=TYPE` pairs (`--map`); `LABEL=` drops the label type.
    pub fn parse(pairs: &[String]) -> Result<Self, String> {
        let mut map = BTreeMap::new();
        for pair in pairs {
            let Some((from, to)) = pair.split_once('=') else {
                return Err(format!("--map {pair:?}: expected LABEL=TYPE"));
            };
            let (from, to) = (from.trim(), to.trim());
            if from.is_empty() {
                return Err(format!("--map {pair:?}: the label type is empty"));
            }
            map.insert(from.to_string(), (!to.is_empty()).then(|| to.to_string()));
        }
        Ok(TypeMap(map))
    }

    /// The type a label of type `kind` is scored as, if any.
    fn scored<'a>(&'a self, kind: &'a str) -> Option<&'a str> {
        match self.0.get(kind) {
            Some(to) => to.as_deref(),
            None => Some(kind),
        }
    }
}

/// One type's tallies (see the module's scoring rule).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Labelled spans.
    pub labels: u64,
    /// Labelled spans some detection of their type overlaps.
    pub found: u64,
    /// Detections.
    pub detections: u64,
    /// Detections that overlap a labelled span of their type.
    pub correct: u64,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.labels += other.labels;
        self.found += other.found;
        self.detections += other.detections;
        self.correct += other.correct;
    }

    /// Correct detections / detections; `None` without detections.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.correct, self.detections)
    }

    /// Found spans / labelled spans; `None` without labels.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.found, self.labels)
    }

    /// Harmonic mean of precision and recall; `None` when either is.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        })
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// `Counts` as `--json` writes them: the tallies, TP/FP/FN and the three figures.
impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut o = s.serialize_struct("Counts", 9)?;
        o.serialize_field("labels", &self.labels)?;
        o.serialize_field("detections", &self.detections)?;
        o.serialize_field("tp", &self.correct)?;
        o.serialize_field("fp", &(self.detections - self.correct))?;
        o.serialize_field("fn", &(self.labels - self.found))?;
        o.serialize_field("precision", &self.precision())?;
        o.serialize_field("recall", &self.recall())?;
        o.serialize_field("f1", &self.f1())?;
        o.end()
    }
}

/// The figures of one directory (or of all together).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Score {
    /// Texts scored.
    pub texts: u64,
    /// Tallies per type id (after mapping), in id order.
    pub types: BTreeMap<String, Counts>,
    /// Every type together (micro-averaged).
    pub all: Counts,
}

impl Score {
    fn entry(&mut self, kind: &str) -> &mut Counts {
        self.types.entry(kind.to_string()).or_default()
    }

    fn merge(&mut self, other: &Score) {
        self.texts += other.texts;
        for (kind, c) in &other.types {
            self.entry(kind).add(c);
        }
        self.all.add(&other.all);
    }
}

/// One directory's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirScore {
    /// The directory as given.
    pub dir: String,
    /// Its figures.
    #[serde(flatten)]
    pub score: Score,
}

/// Every directory's figures and their total: what `eval-pii` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Per directory, in the order given.
    pub directories: Vec<DirScore>,
    /// All directories together.
    pub total: Score,
}

/// Scores texts one at a time with one detector, reusing its buffers.
pub struct Evaluator<'a> {
    detector: &'a PiiDetector,
    map: &'a TypeMap,
    scratch: PiiScratch,
    found: Vec<PiiMatch>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of `detector`, with label types mapped by `map`.
    pub fn new(detector: &'a PiiDetector, map: &'a TypeMap) -> Self {
        Evaluator {
            detector,
            map,
            scratch: detector.scratch(),
            found: Vec::new(),
        }
    }

    /// Adds one text's tallies to `score`.
    pub fn score(&mut self, text: &LabelledText, score: &mut Score) {
        self.found.clear();
        self.detector
            .scan_with(&mut self.scratch, &text.text, &mut self.found);
        let detections: Vec<(&str, usize, usize)> = self
            .found
            .iter()
            .map(|m| {
                (
                    m.pii_type.as_str(),
                    chars(&text.text, m.start),
                    chars(&text.text, m.end),
                )
            })
            .collect();
        let labels: Vec<(&str, usize, usize)> = text
            .spans
            .iter()
            .filter_map(|s| Some((self.map.scored(&s.kind)?, s.start, s.end)))
            .collect();
        score.texts += 1;
        for d in &detections {
            let hit = labels.iter().any(|l| overlap(l, d));
            tally(score, d.0, |c| {
                c.detections += 1;
                c.correct += u64::from(hit);
            });
        }
        for l in &labels {
            let hit = detections.iter().any(|d| overlap(l, d));
            tally(score, l.0, |c| {
                c.labels += 1;
                c.found += u64::from(hit);
            });
        }
    }
}

/// Applies `f` to the type's tallies and to the total.
fn tally(score: &mut Score, kind: &str, f: impl Fn(&mut Counts)) {
    f(score.entry(kind));
    f(&mut score.all);
}

/// Same type and overlapping code-point ranges.
fn overlap(a: &(&str, usize, usize), b: &(&str, usize, usize)) -> bool {
    a.0 == b.0 && a.1 < b.2 && b.1 < a.2
}

/// Code points before byte offset `byte` (a char boundary: matches are on one).
fn chars(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count())
}

/// Scores every directory in `dirs` (each a labelled directory) with `detector`.
pub fn evaluate(
    detector: &PiiDetector,
    map: &TypeMap,
    dirs: &[PathBuf],
) -> Result<Evaluation, LabelledError> {
    let mut evaluator = Evaluator::new(detector, map);
    let mut total = Score::default();
    let mut directories = Vec::new();
    for dir in dirs {
        let mut score = Score::default();
        labelled::for_each_text(dir, |t| evaluator.score(t, &mut score))?;
        total.merge(&score);
        directories.push(DirScore {
            dir: dir.display().to_string(),
            score,
        });
    }
    Ok(Evaluation { directories, total })
}

impl Evaluation {
    /// The text table `eval-pii` prints: one block per directory, then the total when
    /// there are several.
    pub fn table(&self) -> String {
        let mut out = String::new();
        for d in &self.directories {
            block(&mut out, &d.dir, &d.score);
        }
        if self.directories.len() > 1 {
            block(&mut out, "all directories", &self.total);
        }
        out.push_str(
            "TP/FP: detections overlapping / not overlapping a labelled span of their type; \
             FN: labelled spans no detection of their type overlaps; -: nothing to divide by.\n",
        );
        out
    }
}

fn block(out: &mut String, name: &str, score: &Score) {
    let _ = writeln!(out, "{name} ({} texts)", score.texts);
    let _ = writeln!(
        out,
        "{:<18} {:>7} {:>10} {:>6} {:>6} {:>6} {:>9} {:>7} {:>7}",
        "type", "labels", "detections", "TP", "FP", "FN", "precision", "recall", "F1"
    );
    let rows = score.types.iter().map(|(k, c)| (k.as_str(), c));
    for (kind, c) in rows.chain(std::iter::once(("all", &score.all))) {
        let _ = writeln!(
            out,
            "{kind:<18} {:>7} {:>10} {:>6} {:>6} {:>6} {:>9} {:>7} {:>7}",
            c.labels,
            c.detections,
            c.correct,
            c.detections - c.correct,
            c.labels - c.found,
            figure(c.precision()),
            figure(c.recall()),
            figure(c.f1())
        );
    }
    out.push('\n');
}

fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.4}"))
}

/// The generated structured-type set (`analyze::pii::synth::structured`) as labelled
/// texts, ids 0..n: what `examples/pii_gen_labelled.rs` writes and the CI floor reads.
#[cfg(any(test, feature = "testkit"))]
pub fn generated(n: usize, seed: u64) -> Vec<LabelledText> {
    crate::analyze::pii::synth::structured::set(n, seed)
        .into_iter()
        .enumerate()
        .map(|(i, g)| LabelledText {
            id: i.into(),
            spans: vec![labelled::Span {
                kind: g.pii_type.as_str().to_string(),
                start: chars(&g.text, g.start),
                end: chars(&g.text, g.end),
            }],
            text: g.text,
        })
        .collect()
}
