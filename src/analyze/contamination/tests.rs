use super::*;

fn words(seed: usize, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("w{}x", (i * 7919 + seed * 104_729) % 100_003))
        .collect()
}

fn set(name: &str, items: Vec<String>) -> EvalSet {
    EvalSet {
        identity: BenchmarkIdentity {
            name: name.into(),
            ..Default::default()
        },
        items: items.into_iter().map(|t| vec![t]).collect(),
    }
}

fn hits(index: &EvalIndex, fields: &[&str]) -> Vec<ItemHit> {
    let mut scratch = ContaminationScratch::default();
    let mut out = Vec::new();
    index.record(&mut scratch, fields.iter().copied(), &mut out);
    out
}

#[test]
fn thirteen_shared_words_are_an_overlap_and_twelve_are_not() {
    let item = words(1, 30);
    let index = EvalIndex::new(
        ContaminationParams::default(),
        vec![set("bench", vec![item.join(" ")])],
    );
    let other = words(2, 10).join(" ");
    let thirteen = item[5..18].join(" ");
    let text = format!("{other} {thirteen} {other}");
    let found = hits(&index, &[&text]);
    assert_eq!(found.len(), 1);
    let hit = found[0];
    assert_eq!(
        (hit.benchmark, hit.item, hit.grams, hit.field),
        (0, 0, 1, 0)
    );
    assert_eq!(&text[hit.start..hit.end], thirteen);

    let twelve = item[5..17].join(" ");
    assert!(hits(&index, &[&format!("{other} {twelve} {other}")]).is_empty());
    // Grams do not span fields.
    let (a, b) = (item[0..7].join(" "), item[7..14].join(" "));
    assert!(hits(&index, &[&a, &b]).is_empty());
}

/// A gram with a word no item has is not looked up: the window starts afresh after
/// that word, and the grams after it are found as at the start of a field.
#[test]
fn grams_with_a_word_no_item_has_are_not_looked_up() {
    let item = words(1, 30);
    let index = EvalIndex::new(
        ContaminationParams::default(),
        vec![set("bench", vec![item.join(" ")])],
    );
    let mut scratch = ContaminationScratch::default();
    let mut out = Vec::new();
    let strangers = words(2, 200).join(" ");
    index.record(&mut scratch, [strangers.as_str()].into_iter(), &mut out);
    assert!(out.is_empty());
    assert_eq!(scratch.lookups, 0);
    let after = item[10..23].join(" ");
    let text = format!("{} stranger {after}", item[0..10].join(" "));
    index.record(&mut scratch, [text.as_str()].into_iter(), &mut out);
    assert_eq!((out.len(), out[0].grams), (1, 1));
    assert_eq!(&text[out[0].start..out[0].end], after);
    assert_eq!(scratch.lookups, 1);
}

#[test]
fn case_punctuation_and_spacing_do_not_matter() {
    let item = "Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins.";
    let index = EvalIndex::new(
        ContaminationParams::default(),
        vec![set("gsm", vec![item.into()])],
    );
    let copy = "JANET S DUCKS LAY 16 EGGS PER DAY -- she eats three for breakfast,\n every morning and bakes";
    let found = hits(&index, &[copy]);
    assert_eq!(found.len(), 1);
    assert!(found[0].grams >= 2);
    // Fullwidth digits are their ASCII forms.
    let wide = "janet s ducks lay １６ eggs per day she eats three for breakfast every";
    assert_eq!(hits(&index, &[wide]).len(), 1);
}

#[test]
fn cjk_text_overlaps_by_twenty_characters() {
    let item: String = (0..40)
        .filter_map(|i| char::from_u32(0x4e00 + (i * 37) % 3000))
        .collect();
    let index = EvalIndex::new(
        ContaminationParams::default(),
        vec![set("zh", vec![item.clone()])],
    );
    let chars: Vec<char> = item.chars().collect();
    let twenty: String = chars[3..23].iter().collect();
    let nineteen: String = chars[3..22].iter().collect();
    let found = hits(&index, &[&format!("前言：{twenty}。后记")]);
    assert_eq!(found.len(), 1);
    assert!(hits(&index, &[&format!("前言：{nineteen}。后记")]).is_empty());
    // Punctuation between characters separates nothing.
    let spaced: String = chars[3..23]
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 10 {
                format!("，{c}")
            } else {
                c.to_string()
            }
        })
        .collect();
    assert_eq!(hits(&index, &[&spaced]).len(), 1);
}

#[test]
fn items_map_to_their_benchmarks_and_short_items_are_counted() {
    let (a0, a1, b0) = (words(10, 20), words(11, 20), words(12, 20));
    let index = EvalIndex::new(
        ContaminationParams::default(),
        vec![
            set("a", vec![a0.join(" "), "too short".into(), a1.join(" ")]),
            set("b", vec![b0.join(" ")]),
        ],
    );
    assert_eq!(index.benchmarks()[0].items, 3);
    assert_eq!(index.benchmarks()[0].short_items, 1);
    assert_eq!(index.benchmarks()[1].short_items, 0);
    let text = format!("{} and {}", b0.join(" "), a1.join(" "));
    let found: Vec<(u32, u32)> = hits(&index, &[&text])
        .iter()
        .map(|h| (h.benchmark, h.item))
        .collect();
    assert_eq!(found, vec![(0, 2), (1, 0)]);
    // The fingerprint depends on the items' files and the lengths.
    let other = EvalIndex::new(
        ContaminationParams {
            ngram_words: 8,
            ..Default::default()
        },
        vec![set("b", vec![b0.join(" ")])],
    );
    assert_ne!(index.fingerprint(), other.fingerprint());
}

#[test]
fn hits_merge_as_record_sums_and_item_unions() {
    let mut a = ContaminationCounts {
        records: 2,
        by_benchmark: [(
            "x".to_string(),
            BenchmarkHits {
                records: 2,
                items: vec![1, 4, 9],
            },
        )]
        .into(),
    };
    let b = ContaminationCounts {
        records: 3,
        by_benchmark: [
            (
                "x".to_string(),
                BenchmarkHits {
                    records: 1,
                    items: vec![0, 4, 10],
                },
            ),
            (
                "y".to_string(),
                BenchmarkHits {
                    records: 2,
                    items: vec![3],
                },
            ),
        ]
        .into(),
    };
    a.merge(&b);
    assert_eq!(a.records, 5);
    assert_eq!(a.by_benchmark["x"].items, vec![0, 1, 4, 9, 10]);
    assert_eq!(a.by_benchmark["x"].records, 3);
    assert_eq!(a.by_benchmark["y"].items, vec![3]);
}
