//! MinHash-LSH accuracy on generated near-duplicate pairs (`synth::near_dup`): with the
//! default parameters, at least 95% of pairs with true Jaccard similarity ≥ 0.85 are
//! caught (they share a band key and their estimated similarity passes the
//! threshold), and at most 1% of pairs at ≤ 0.5 are. A few thousand pairs: seconds.

use provaudit::analyze::fingerprint::Normalizer;
use provaudit::analyze::minhash::{MinHashParams, MinHasher, estimate, jaccard};
use provaudit::analyze::profile::NormalForm;
use provaudit::synth::near_dup::{EDITS, pairs};

/// The normalised text the scan shingles.
fn normalised(text: &str) -> Vec<u8> {
    let mut normalizer = Normalizer::default();
    normalizer.push(text, NormalForm::of(text));
    normalizer.text().to_vec()
}

/// Band keys and sketch of a text.
fn keys(hasher: &mut MinHasher, text: &[u8]) -> (Vec<u64>, Vec<u8>) {
    let (mut bands, mut sketch) = (Vec::new(), Vec::new());
    assert!(hasher.add(text, &mut bands, &mut sketch));
    (bands, sketch)
}

#[test]
fn recall_and_false_positives_meet_the_targets() {
    let params = MinHashParams::default();
    let mut hasher = MinHasher::new(params);
    let (mut high, mut high_caught, mut low, mut low_caught) = (0u32, 0u32, 0u32, 0u32);
    let mut per_edit = std::collections::BTreeMap::<&str, (u32, u32)>::new();
    for pair in pairs(19, 3000) {
        let (a, b) = (normalised(&pair.original), normalised(&pair.edited));
        let similarity = jaccard(&params, &a, &b);
        let (bands_a, sketch_a) = keys(&mut hasher, &a);
        let (bands_b, sketch_b) = keys(&mut hasher, &b);
        let candidate = bands_a.iter().zip(&bands_b).any(|(x, y)| x == y);
        let caught =
            candidate && estimate(&sketch_a, &sketch_b, params.permutations) >= params.threshold;
        if similarity >= 0.85 {
            high += 1;
            high_caught += u32::from(caught);
            let e = per_edit.entry(pair.edit).or_default();
            e.0 += 1;
            e.1 += u32::from(caught);
        } else if similarity <= 0.5 {
            low += 1;
            low_caught += u32::from(caught);
        }
    }
    assert!(
        high >= 300 && low >= 300,
        "too few pairs: {high} high, {low} low"
    );
    let recall = f64::from(high_caught) / f64::from(high);
    let false_positives = f64::from(low_caught) / f64::from(low);
    eprintln!(
        "recall {recall:.4} over {high}, false positives {false_positives:.4} over {low}, {per_edit:?}"
    );
    assert!(
        recall >= 0.95,
        "recall {recall} over {high} pairs: {per_edit:?}"
    );
    assert!(
        false_positives <= 0.01,
        "false positives {false_positives} over {low} pairs"
    );
    assert_eq!(EDITS.len(), 6);
}

/// Chinese and English pairs both reach the high-similarity bucket, so the recall
/// above is measured on both scripts.
#[test]
fn both_scripts_have_high_similarity_pairs() {
    let params = MinHashParams::default();
    let mut seen = [0u32; 2];
    for pair in pairs(7, 600) {
        let s = jaccard(
            &params,
            &normalised(&pair.original),
            &normalised(&pair.edited),
        );
        if s >= 0.85 {
            seen[usize::from(pair.chinese)] += 1;
        }
    }
    assert!(seen[0] >= 20 && seen[1] >= 10, "{seen:?}");
}
