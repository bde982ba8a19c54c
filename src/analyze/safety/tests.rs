//! Lexicon loading (formats, located errors) and matching (normal forms, edges,
//! exclusions, weights). Every term is made up.

use std::path::PathBuf;

use super::lexicon::{LexiconError, MAX_TERM_BYTES, load, load_file};
use super::normalize::{Normalized, needs_copy, normalized_term};
use super::*;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn screen(toml: &str) -> SafetyScreen {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "l.toml", toml);
    SafetyScreen::new(vec![load_file(&path).unwrap()]).unwrap()
}

/// Term ids and field byte ranges of the counted occurrences in `text`.
fn found(screen: &SafetyScreen, text: &str) -> Vec<(String, usize, usize)> {
    let mut scratch = SafetyScratch::default();
    let mut hits = Vec::new();
    screen.screen_field(&mut scratch, text, &mut hits);
    hits.iter()
        .map(|h| (screen.term_id(h.term), h.start, h.end))
        .collect()
}

const DEMO: &str = r#"
name = "t"
[[term]]
category = "A.1.1"
text = "zorblax"
[[term]]
category = "A.2.3"
text = "贼猫词"
[[term]]
category = "user.spam"
text = "flumwort"
exclude = ["flumwort museum"]
"#;

/// A planted term is found as written, upper-case, full-width, spliced with dots or
/// spaces, and a Chinese term spliced with spaces or stars; offsets are the field's.
#[test]
fn planted_terms_are_found_in_every_disguise() {
    let s = screen(DEMO);
    let one = |text: &str| found(&s, text);
    assert_eq!(one("a zorblax b"), vec![("t#1".into(), 2, 9)]);
    assert_eq!(one("a ZorBLAX b"), vec![("t#1".into(), 2, 9)]);
    let wide = "a ＺＯＲＢＬＡＸ b";
    assert_eq!(one(wide), vec![("t#1".into(), 2, wide.len() - 2)]);
    assert_eq!(one("x z.o.r.b.l.a.x y"), vec![("t#1".into(), 2, 15)]);
    assert_eq!(one("x z o r b l a x y").len(), 1);
    assert_eq!(one("这是贼 猫 词吧"), vec![("t#2".into(), 6, 17)]);
    assert_eq!(one("这是贼*猫*词吧").len(), 1);
    assert_eq!(one("这是贼猫词吧").len(), 1);
}

/// A term glued to letters does not stand, sentence punctuation never splices, and a
/// term inside one of its exclusion phrases does not count.
#[test]
fn edges_punctuation_and_exclusions_keep_false_hits_out() {
    let s = screen(DEMO);
    assert!(found(&s, "zorblaxes and unzorblax").is_empty());
    assert!(found(&s, "贼猫，词").is_empty());
    assert!(found(&s, "the Flumwort Museum opens").is_empty());
    assert_eq!(found(&s, "flumwort, not the museum").len(), 1);
}

/// The automaton's own edges: terms equal once lower-cased (one pattern, both
/// reported, by index), a term inside a longer one and overlapping another, a term
/// at the field's last byte after multi-byte characters, a one-character Han term.
#[test]
fn shared_patterns_overlaps_and_field_ends() {
    let s = screen(
        "name = \"e\"\n\
         [[term]]\ncategory = \"A.1.1\"\ntext = \"Zorb\"\n\
         [[term]]\ncategory = \"A.1.2\"\ntext = \"zorb\"\n\
         [[term]]\ncategory = \"A.1.3\"\ntext = \"zorb wix\"\n\
         [[term]]\ncategory = \"A.1.4\"\ntext = \"wix plo\"\n\
         [[term]]\ncategory = \"A.1.5\"\ntext = \"猫\"\n",
    );
    assert_eq!(
        found(&s, "ZORB wix plo"),
        vec![
            ("e#1".into(), 0, 4),
            ("e#2".into(), 0, 4),
            ("e#3".into(), 0, 8),
            ("e#4".into(), 5, 12),
        ]
    );
    assert_eq!(found(&s, "贼猫"), vec![("e#5".into(), 3, 6)]);
    assert_eq!(
        found(&s, "词语 zorb"),
        vec![("e#1".into(), 7, 11), ("e#2".into(), 7, 11)]
    );
    assert!(found(&s, "zor").is_empty());
}

/// Half-weight terms flag a record only together.
#[test]
fn weights_add_up_per_category() {
    let s = screen(
        "[[term]]\ncategory = \"A.3.1\"\ntext = \"quibbleton\"\nweight = 0.5\n\
         [[term]]\ncategory = \"A.3.1\"\ntext = \"snorkwise\"\nweight = 0.5\n",
    );
    let (mut weights, mut flagged) = (Vec::new(), Vec::new());
    let mut scratch = SafetyScratch::default();
    let mut flag = |text: &str| {
        let mut hits = Vec::new();
        s.screen_field(&mut scratch, text, &mut hits);
        s.flagged(&hits, &mut weights, &mut flagged);
        flagged.len()
    };
    assert_eq!(flag("quibbleton alone"), 0);
    assert_eq!(flag("quibbleton and snorkwise"), 1);
}

/// The normal form maps every byte back to its field; fields already in normal form
/// (ASCII case aside) are searched in place.
#[test]
fn normal_form_maps_back_and_is_skipped_when_not_needed() {
    assert!(!needs_copy(
        "Plain English prose, with a comma. And a sentence."
    ));
    assert!(!needs_copy("中文的句子，没有空格。"));
    assert!(needs_copy("t.e.r.m"));
    assert!(needs_copy("词 语"));
    assert!(needs_copy("这是词  语"));
    assert!(needs_copy("这是词\u{3000}语"));
    assert!(needs_copy("a t.e.r.m b"));
    assert!(!needs_copy("Is a cat. Or a dog?"));
    assert!(needs_copy("ＡＢＣ"));
    let mut n = Normalized::default();
    n.fill("Ａb b.c 词 语");
    assert_eq!(n.text, "ab bc词语");
    assert_eq!(n.field_range("Ａb b.c 词 语", 3, 5), (5, 8));
    assert_eq!(normalized_term(" T.E.R.M "), "term");
    assert_eq!(normalized_term("bad word"), "bad word");
}

fn error_of(name: &str, text: &str) -> LexiconError {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, name, text);
    load_file(&path).unwrap_err()
}

/// Errors name the file and the line: an unknown or malformed category, an empty term,
/// a huge term, a term before any header, a bad weight, in either format.
#[test]
fn lexicon_errors_name_the_file_and_line() {
    let e = error_of("a.txt", "# name: x\n[A.1.1]\nzorblax\n[A.9.1]\nfoo\n");
    assert_eq!((e.line, e.path.ends_with("a.txt")), (Some(5), true));
    assert!(e.message.contains("unknown category \"A.9.1\""), "{e}");
    assert_eq!(error_of("b.txt", "[A.1.9]\nx\n").line, Some(2));
    assert_eq!(error_of("c.txt", "[user.Bad]\nx\n").line, Some(2));
    assert_eq!(error_of("d.txt", "zorblax\n").line, Some(1));
    let e = error_of("e.txt", "[A.1.1]\nok\n!\n");
    assert_eq!((e.line, e.message.as_str()), (Some(3), "empty term"));
    let huge = format!("[A.1.1]\nok\n{}\n", "x".repeat(10 << 20));
    let e = error_of("f.txt", &huge);
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains(&MAX_TERM_BYTES.to_string()), "{e}");
    let e = error_of(
        "g.toml",
        "[[term]]\ncategory = \"A.1.1\"\ntext = \"a\"\n\n[[term]]\ncategory = \"A.1.1\"\ntext = \"  \"\n",
    );
    assert_eq!((e.line, e.message.as_str()), (Some(5), "empty term"));
    let e = error_of("h.toml", "[[term]]\ncategory = \"B.1\"\ntext = \"a\"\n");
    assert_eq!(e.line, Some(1));
    let e = error_of(
        "i.toml",
        "[[term]]\ncategory = \"A.1.1\"\ntext = \"a\"\nweight = -1\n",
    );
    assert!(e.message.contains("weight"), "{e}");
    let e = error_of("j.toml", "[[term]]\ncategory = \"A.1.1\"\ntexts = \"a\"\n");
    assert!(e.line.is_some() && e.to_string().contains("j.toml"), "{e}");
    let missing = load(std::path::Path::new("/nonexistent/lexicon.txt")).unwrap_err();
    assert!(
        missing.to_string().contains("/nonexistent/lexicon.txt"),
        "{missing}"
    );
}

/// Both formats give the same terms, and the identity records name, version, counts
/// per category and the file's SHA-256; a directory loads its files in name order.
#[test]
fn both_formats_load_with_their_identity() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir,
        "b.txt",
        "# name: plain\n# version: 3\n[A.1.1]\nzorblax\n!zorblax museum\n[user.x]\nsnark\n",
    );
    write(
        &dir,
        "a.toml",
        "name = \"rich\"\n[[term]]\ncategory = \"A.1.1\"\ntext = \"zorblax\"\nexclude = [\"zorblax museum\"]\n",
    );
    write(&dir, "ignored.md", "not a lexicon");
    let all = load(dir.path()).unwrap();
    let names: Vec<&str> = all.iter().map(|l| l.identity.name.as_str()).collect();
    assert_eq!(names, ["rich", "plain"]);
    let plain = &all[1];
    assert_eq!(plain.identity.version.as_deref(), Some("3"));
    assert_eq!(plain.identity.terms.get("A.1.1"), Some(&1));
    assert_eq!(plain.identity.terms.get("user.x"), Some(&1));
    assert_eq!(plain.identity.exclusions, 1);
    assert_eq!(all[0].terms[0].exclude, plain.terms[0].exclude);
    let bytes = std::fs::read(dir.path().join("b.txt")).unwrap();
    assert_eq!(
        plain.identity.sha256,
        crate::bytesource::hex(&Sha256::digest(&bytes))
    );
}

/// The shipped demo lexicon loads (tests and the README's example use it).
#[test]
fn the_demo_lexicon_loads() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/safety-demo.toml");
    let lexicon = load_file(&demo).unwrap();
    assert_eq!(lexicon.identity.name, "safety-demo");
    assert!(lexicon.terms.len() >= 4);
}

/// The occurrences the screen's first version found with an overlapping Aho–Corasick
/// automaton over every term and exclusion phrase, kept as the reference the literal
/// search must equal hit for hit, in order.
fn reference_automaton(s: &SafetyScreen) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(&s.literals)
        .unwrap()
}

fn reference_hits(
    s: &SafetyScreen,
    automaton: &aho_corasick::AhoCorasick,
    text: &str,
) -> Vec<SafetyHit> {
    let copied = needs_copy(text);
    let mut normalized = Normalized::default();
    if copied {
        normalized.fill(text);
    }
    let hay = if copied {
        normalized.text.as_str()
    } else {
        text
    };
    let hits: Vec<(usize, usize, usize)> = automaton
        .find_overlapping_iter(hay)
        .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
        .collect();
    let mut out = Vec::new();
    for &(literal, start, end) in &hits {
        let Some(term) = s.terms.get(literal) else {
            continue;
        };
        let excluded = term.exclude.iter().any(|&x| {
            hits.iter()
                .any(|&(l, s2, e2)| l == x && s2 <= start && e2 >= end)
        });
        if excluded {
            continue;
        }
        let (start, end) = if copied {
            normalized.field_range(text, start, end)
        } else {
            (start, end)
        };
        if !term.shape.accepts(&s.literals[literal], text, start, end) {
            continue;
        }
        out.push(SafetyHit {
            category: term.category,
            term: literal as u32,
            start,
            end,
            weight: term.weight,
        });
    }
    out
}

/// Pieces the random lexicons and texts are made of: letters of both cases, digits,
/// separators that splice, punctuation, Han characters, full-width letters, a
/// ligature that NFKC expands.
const PIECES: &[&str] = &[
    "a", "b", "ab", "ba", "Ab", "B", "zo", "r", "1", "2", " ", " ", ".", "-", ",", "'", "@", "词",
    "语", "贼", "猫", "，", "。", "Ａ", "ｂ", "ﬁ", "x", "yz", "aa", "b a",
];

fn random_text(rng: &mut crate::synth::Rng, pieces: usize) -> String {
    (0..pieces).map(|_| rng.word(PIECES)).collect()
}

/// The screen finds exactly what its first version (an `aho-corasick` automaton over
/// every literal) found, in the same order, over random lexicons (terms that are
/// prefixes, suffixes and copies of each other, 1 to 14 bytes, with exclusions) and
/// random fields in and out of normal form.
#[test]
fn literal_search_equals_the_automaton() {
    let mut rng = crate::synth::Rng::new(18);
    for round in 0..60 {
        let mut toml = String::from("name = \"r\"\n");
        let terms = 1 + rng.below(40);
        for _ in 0..terms {
            let pieces = 1 + rng.below(5);
            let mut text = random_text(&mut rng, pieces);
            if normalized_term(&text).is_empty() {
                text = "ab".into();
            }
            toml.push_str(&format!(
                "[[term]]\ncategory = \"A.1.{}\"\ntext = {:?}\nweight = 0.5\n",
                1 + rng.below(3),
                text
            ));
            if rng.chance(20) {
                let phrase = format!(
                    "{}{}{}",
                    random_text(&mut rng, 1),
                    text,
                    random_text(&mut rng, 1)
                );
                toml.push_str(&format!("exclude = [{phrase:?}]\n"));
            }
        }
        let s = screen(&toml);
        let automaton = reference_automaton(&s);
        let mut scratch = SafetyScratch::default();
        for _ in 0..200 {
            let pieces = rng.below(40);
            let text = random_text(&mut rng, pieces);
            let mut got = Vec::new();
            s.screen_field(&mut scratch, &text, &mut got);
            assert_eq!(
                got,
                reference_hits(&s, &automaton, &text),
                "round {round}: {text:?}\n{toml}"
            );
            let mut as_record = Vec::new();
            let form = crate::analyze::profile::NormalForm::of(&(text.clone() + "Ａ"));
            s.screen_field_as(&mut scratch, &text, form, &mut as_record);
            assert_eq!(as_record, got, "record form {form:?}: {text:?}");
        }
    }
}

/// The same on the generated 20,000-term lexicon and generated prose, where the
/// occurrences are the made-up terms planted at random and the Han terms' chance hits.
#[test]
fn literal_search_equals_the_automaton_on_a_large_lexicon() {
    let lexicon = super::synth::lexicon(20_000, 7);
    let planted: Vec<String> = lexicon
        .terms
        .iter()
        .step_by(97)
        .map(|t| t.text.clone())
        .collect();
    let s = SafetyScreen::new(vec![lexicon]).unwrap();
    let automaton = reference_automaton(&s);
    let text = crate::analyze::pii::synth::mixed_text(400_000, 3);
    let mut rng = crate::synth::Rng::new(5);
    let mut scratch = SafetyScratch::default();
    let mut total = 0;
    for line in text.lines() {
        let mut field = line.to_string();
        if rng.chance(30) {
            let at = field
                .char_indices()
                .nth(rng.below(field.chars().count()))
                .map_or(0, |(i, _)| i);
            let term = &planted[rng.below(planted.len())];
            let term = if rng.chance(50) {
                term.to_uppercase()
            } else {
                term.clone()
            };
            field.insert_str(at, &format!(" {term} "));
        }
        let mut got = Vec::new();
        s.screen_field(&mut scratch, &field, &mut got);
        let want = reference_hits(&s, &automaton, &field);
        total += want.len();
        assert_eq!(got, want, "{field:?}");
    }
    assert!(total > 100, "{total}");
}

/// The search looks only at word and character starts, a word (8 bytes) at a time,
/// with keys of a term's first bytes: every term of 1 to 12 bytes (ASCII, Han, mixed,
/// starting with punctuation), planted at every offset of a field so it starts and
/// ends on both sides of each 8-byte boundary, as written, upper-cased, spliced, glued
/// to letters, and at the field's end, is found exactly as the reference automaton
/// finds it.
#[test]
fn every_term_length_at_every_offset_equals_the_automaton() {
    let terms = [
        "a",
        "猫",
        "ab",
        "zq",
        "1x",
        "abc",
        "贼猫",
        "zorb",
        "zorbl",
        "#tag",
        "词语a",
        "zorblax",
        "贼猫词",
        "quibflum",
        "a b c",
        "zor blax",
        "贼猫词语",
        "flumwortzor",
        "词语词语",
        "@zorblaxqui",
    ];
    let mut toml = String::from("name = \"k\"\n");
    for (i, t) in terms.iter().enumerate() {
        toml.push_str(&format!(
            "[[term]]\ncategory = \"A.1.{}\"\ntext = {t:?}\n",
            1 + i % 3
        ));
    }
    let s = screen(&toml);
    let automaton = reference_automaton(&s);
    let mut scratch = SafetyScratch::default();
    let mut total = 0;
    for term in terms {
        let spliced: String = term.chars().map(|c| format!("{c}.")).collect();
        let variants = [
            term.to_string(),
            term.to_uppercase(),
            spliced.trim_end_matches('.').to_string(),
            format!("x{term}"),
            format!("{term}y"),
        ];
        for variant in &variants {
            for pad in 0..18 {
                for filler in [
                    "0123456789abcdefghij",
                    "词语词语词语词语",
                    "a b c d e f g h i j",
                ] {
                    let head: String = filler.chars().take(pad).collect();
                    for text in [
                        format!("{head} {variant} tail"),
                        format!("{head}{variant}"),
                        format!("{head}{variant}{head}"),
                    ] {
                        let mut got = Vec::new();
                        s.screen_field(&mut scratch, &text, &mut got);
                        let want = reference_hits(&s, &automaton, &text);
                        total += want.len();
                        assert_eq!(got, want, "{text:?}");
                    }
                }
            }
        }
    }
    assert!(total > 5000, "{total}");
}
