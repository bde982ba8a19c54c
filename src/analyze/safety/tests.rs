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
