//! Which split of a dataset a file is (`train`, `validation`, `test`, ...).
//!
//! A test split fed to training is contamination, and a benchmark counted as
//! fine-tuning data inflates the figures a regulator reads, so the split is a ledger
//! column and evaluation splits are inferred as the `eval` stage. The split comes from
//! the dataset card's `configs`/`data_files` when the card names the file, else from
//! the conventional names in its path (`test.jsonl`, `data/validation/`, `dev-00000`).

use globset::Glob;

use super::card::DatasetCard;
use super::source::{SPLIT_WORDS, Source};

/// Benchmarks whose files are evaluation data unless a split says `train`: a folder or
/// file named after one of them (`grade-school-math/test.jsonl`, `humaneval.jsonl`).
const BENCHMARKS: &[&str] = &[
    "gsm8k",
    "grade-school-math",
    "mmlu",
    "cmmlu",
    "ceval",
    "c-eval",
    "hellaswag",
    "truthfulqa",
    "truthful_qa",
    "humaneval",
    "mbpp",
    "winogrande",
    "arc-challenge",
    "arc_challenge",
    "bbh",
    "big-bench-hard",
    "gpqa",
    "agieval",
    "drop",
];

/// The file's split: the card's declaration when one of its `data_files` patterns
/// matches the file, else the conventional name in its path.
pub fn split_of(path: &str, source: &Source) -> Option<String> {
    declared_split(path, source).or_else(|| conventional_split(path).map(str::to_string))
}

/// The split the source's dataset card gives the file, matching its `data_files`
/// patterns against the path relative to the card's folder.
fn declared_split(path: &str, source: &Source) -> Option<String> {
    let card: &DatasetCard = source.card.as_deref()?;
    if card.data_files.is_empty() {
        return None;
    }
    let card_dir = source
        .card_path
        .as_deref()
        .and_then(|p| p.rsplit_once('/'))
        .map_or("", |(dir, _)| dir);
    let rel = match card_dir {
        "" => path,
        dir => path.strip_prefix(dir)?.strip_prefix('/')?,
    };
    card.data_files.iter().find_map(|(split, pattern)| {
        let glob = Glob::new(pattern.trim_start_matches("./")).ok()?;
        glob.compile_matcher().is_match(rel).then(|| split.clone())
    })
}

/// A split word standing alone at either end of the file's stem (`test.jsonl`,
/// `gsm8k_test.jsonl`, `train-00000-of-00002.parquet`), else a folder named after one
/// (`data/validation/part-0.parquet`); `dev`, `val` and `valid` read as `validation`.
pub fn conventional_split(path: &str) -> Option<&'static str> {
    let mut parts = path.rsplit('/');
    let name = parts.next()?;
    let stem = name.split('.').next().unwrap_or(name);
    let tokens: Vec<&str> = stem.split(['-', '_']).filter(|t| !t.is_empty()).collect();
    let ends = [tokens.first(), tokens.last()];
    ends.into_iter()
        .flatten()
        .find_map(|t| canonical(t))
        .or_else(|| parts.find_map(canonical))
}

fn canonical(word: &str) -> Option<&'static str> {
    let lower = word.to_ascii_lowercase();
    if !SPLIT_WORDS.contains(&lower.as_str()) {
        return None;
    }
    Some(match lower.as_str() {
        "train" => "train",
        "test" => "test",
        _ => "validation",
    })
}

/// Whether a split holds evaluation data: its name has a `test`, `validation`, `val`,
/// `valid` or `dev` part (`test`, `test_prefs`, `validation_matched`).
pub fn is_evaluation_split(split: &str) -> bool {
    split
        .split(['-', '_', '.'])
        .filter_map(canonical)
        .any(|s| s != "train")
}

/// Whether the path names a known benchmark (a folder or the file's stem).
pub fn is_benchmark_path(path: &str) -> bool {
    path.split('/').any(|part| {
        let stem = part.split('.').next().unwrap_or(part).to_ascii_lowercase();
        BENCHMARKS.iter().any(|b| {
            stem == *b
                || stem
                    .strip_prefix(b)
                    .is_some_and(|rest| rest.starts_with(['-', '_']))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_names_give_the_split() {
        for (path, split) in [
            ("test.jsonl", Some("test")),
            ("gsm8k_test.jsonl", Some("test")),
            ("train-00000-of-00002.parquet", Some("train")),
            ("data/validation/part-0.parquet", Some("validation")),
            ("dev.tsv", Some("validation")),
            ("a/b/contest.jsonl", None),
            ("devices.csv", None),
            ("web.jsonl", None),
        ] {
            assert_eq!(conventional_split(path), split, "{path}");
        }
    }

    #[test]
    fn the_card_s_data_files_name_splits() {
        let card = DatasetCard::parse(
            "---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train_prefs\n    path: data/train_prefs-*\n  - split: test_prefs\n    path: data/test_prefs-*\n---\n",
        )
        .expect("a card");
        let source = Source {
            card: Some(std::sync::Arc::new(card)),
            card_path: Some("uf/README.md".into()),
            ..Source::default()
        };
        assert_eq!(
            split_of("uf/data/test_prefs-00000-of-00001.parquet", &source).as_deref(),
            Some("test_prefs")
        );
        assert_eq!(
            split_of("uf/data/train_prefs-00000-of-00001.parquet", &source).as_deref(),
            Some("train_prefs")
        );
        assert!(is_evaluation_split("test_prefs"));
        assert!(!is_evaluation_split("train_prefs"));
    }

    #[test]
    fn benchmarks_are_told_by_name() {
        assert!(is_benchmark_path("grade-school-math/test.jsonl"));
        assert!(is_benchmark_path("mmlu_dev.jsonl"));
        assert!(!is_benchmark_path("dropout/notes.jsonl"));
        assert!(!is_benchmark_path("web/data.jsonl"));
    }
}
