//! Personal information in recorded paths (`discover::path_text`): a file named after
//! a person's e-mail address must not put the address in the ledger.
//!
//! Paths are masked with the built-in rules, not the scan's `--config`: `verify`
//! walks the data again without the config and must record the same text.

use std::sync::{Arc, OnceLock};

use super::{Confidence, PiiDetector, PiiMatch, PiiType};
use crate::discover::PathMask;

/// The mask every scan and every `verify` applies to paths, built once per process.
pub fn path_mask() -> Arc<dyn PathMask> {
    static BUILTIN: OnceLock<Arc<PiiDetector>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| Arc::new(PiiDetector::builtin()))
        .clone()
}

/// Shard numbers, dates, test-case ids and hashes fill file names, so a path is held
/// to a stricter bar than record text:
/// - a phone number recognised by its shape alone (no numbering plan) stays;
/// - a card number is hidden only when written in groups (`4111 1111 ...`,
///   `4111-1111-...`): a bare 16-digit run with a card prefix passes Luhn one time in
///   ten, and fuzzing corpora name their cases that way
///   (`clusterfuzz-testcase-...-4778515122946048`).
fn hides(m: &PiiMatch, text: &str) -> bool {
    if !m.is_personal() {
        return false;
    }
    match m.pii_type {
        PiiType::Phone => m.confidence != Confidence::Low,
        PiiType::BankCard => text
            .get(m.start..m.end)
            .is_some_and(|v| v.chars().any(|c| !c.is_ascii_digit())),
        _ => true,
    }
}

impl PathMask for PiiDetector {
    fn mask(&self, text: &str) -> Option<String> {
        let mut found = Vec::new();
        self.scan(text, &mut found);
        found.retain(|m| hides(m, text));
        if found.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in &found {
            out.push_str(text.get(at..m.start).unwrap_or_default());
            out.push_str(&PiiDetector::mask(self, m, text));
            at = m.end;
        }
        out.push_str(text.get(at..).unwrap_or_default());
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_data_names_are_left_alone() {
        let mask = path_mask();
        for name in [
            "part-00001-of-00010.parquet",
            "2023-12-01/shard_0042.jsonl",
            "train-00000-of-00001-5f3a2b1c9d8e7f60.parquet",
            "models--org--name/snapshots/0123456789abcdef0123456789abcdef01234567/config.json",
            "data/20231201123045/chunk_0001234567.jsonl.gz",
            "v1.2.3/README.md",
            "arrow-ipc-file/clusterfuzz-testcase-arrow-ipc-file-fuzz-4778515122946048",
            "clusterfuzz-testcase-minimized-arrow-ipc-file-fuzz-5760568177983488",
        ] {
            assert_eq!(mask.mask(name), None, "{name}");
        }
    }

    #[test]
    fn personal_values_in_names_are_masked() {
        let mut rng = crate::synth::Rng::new(13);
        let word = |rng: &mut crate::synth::Rng| -> String {
            (0..8)
                .map(|_| char::from(b'a' + rng.below(26) as u8))
                .collect()
        };
        let (local, host) = (word(&mut rng), word(&mut rng));
        let id = super::super::synth::resident_id(&mut rng);
        let name = format!("exports/{local}@{host}.com.jsonl");
        let hidden = path_mask().mask(&name).unwrap_or_default();
        assert!(!hidden.contains(&local) && hidden.ends_with(".com.jsonl"));
        let name = format!("ids/{id}.csv");
        let hidden = path_mask().mask(&name).unwrap_or_default();
        assert!(!hidden.contains(&id) && hidden.ends_with(".csv"));
    }
}
