//! Near-duplicates across shards and audits (issue 19 item 3): 8 shards scanned with
//! `--near-duplicates` and merged give the unsharded scan's ledger, near-duplicate list
//! and sidecar byte for byte; `--baseline` reuses unchanged files' signatures and
//! still equals a full scan; a rerun without the option leaves no stale list behind.

mod common;

use std::path::{Path, PathBuf};

use common::{made_up_doc as doc, provaudit_in, text, zh_doc};
use provaudit::synth::Rng;
use serde_json::Value;

/// 24 files of 30 records; from the third file on, every fifth record is an edited
/// copy of a record of an earlier file (often in another shard), every seventh a
/// verbatim one, and file 5 repeats a Chinese record of file 1.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-ndshard-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut rng = Rng::new(3);
    let mut earlier: Vec<String> = Vec::new();
    for f in 0..24 {
        let mut body = String::new();
        for r in 0..30 {
            let text = match (f, r) {
                (1, 4) => zh_doc(&mut rng, 120),
                (5, 9) => format!("{}。转载", earlier[30 + 4]),
                (f, r) if f >= 2 && r % 5 == 0 => {
                    let pick = earlier[rng.below(earlier.len())].clone();
                    format!("Header {f}: {}", pick.replacen("ka", "ko", 1))
                }
                (f, r) if f >= 2 && r % 7 == 0 => earlier[rng.below(earlier.len())].clone(),
                _ => doc(&mut rng, 60),
            };
            body += &(serde_json::json!({ "text": text }).to_string() + "\n");
            earlier.push(text);
        }
        std::fs::write(data.join(format!("part-{f:02}.jsonl")), body).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) {
    let done = provaudit_in(dir, args);
    assert!(matches!(done.status.code(), Some(0 | 1)), "{}", text(&done));
}

fn scan(dir: &Path, out: &str, extra: &[&str]) {
    let mut args = vec!["scan", "data", "-o", out, "-q", "--no-report"];
    args.extend_from_slice(extra);
    run(dir, &args);
}

fn summary(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

const SAME: [&str; 5] = [
    "ledger.jsonl",
    "ledger.parquet",
    "near_duplicates.parquet",
    "near_duplicates.bin",
    "fingerprints.bin",
];

fn assert_same_outputs(dir: &Path, a: &str, b: &str) {
    for file in SAME {
        assert!(
            std::fs::read(dir.join(a).join(file)).unwrap()
                == std::fs::read(dir.join(b).join(file)).unwrap(),
            "{file}: {a} and {b} differ"
        );
    }
    let (sa, sb) = (summary(&dir.join(a)), summary(&dir.join(b)));
    assert_eq!(sa["near_duplicates"], sb["near_duplicates"]);
    assert_eq!(sa["totals"], sb["totals"]);
    assert_eq!(sa["per_source"], sb["per_source"]);
    for file in SAME {
        assert_eq!(sa["outputs"][file], sb["outputs"][file], "{file}'s hash");
    }
}

#[test]
fn eight_merged_shards_equal_the_unsharded_scan_byte_for_byte() {
    let dir = workspace("merge");
    scan(&dir, "full", &["--near-duplicates"]);
    let full = summary(&dir.join("full"));
    let near = full["near_duplicates"]["near_duplicate_records"]
        .as_u64()
        .unwrap();
    assert!(
        near > 150,
        "the corpus must have many near-duplicates: {near}"
    );
    let shards: Vec<String> = (0..8)
        .map(|i| {
            let out = format!("shard-{i}");
            scan(
                &dir,
                &out,
                &["--near-duplicates", "--shard", &format!("{i}/8")],
            );
            out
        })
        .collect();
    // Each shard alone misses the copies whose original another shard read.
    let shard_near: u64 = shards
        .iter()
        .map(|s| {
            summary(&dir.join(s))["near_duplicates"]["near_duplicate_records"]
                .as_u64()
                .unwrap()
        })
        .sum();
    assert!(shard_near < near, "{shard_near} vs {near}");
    let mut args = vec!["merge", "-o", "merged", "-q", "--no-report"];
    args.extend(shards.iter().rev().map(String::as_str));
    run(&dir, &args);
    assert_same_outputs(&dir, "full", "merged");
    // The merged audit verifies (its sidecar and list hashes included).
    let verified = provaudit_in(&dir, &["verify", "merged"]);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));

    // A shard whose sidecar was altered is refused, naming it.
    let bin = dir.join("shard-3").join("near_duplicates.bin");
    let mut bytes = std::fs::read(&bin).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&bin, bytes).unwrap();
    let refused = provaudit_in(
        &dir,
        &[
            "merge",
            "-o",
            "bad",
            "-q",
            "--no-report",
            "shard-0",
            "shard-1",
            "shard-2",
            "shard-3",
            "shard-4",
            "shard-5",
            "shard-6",
            "shard-7",
        ],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("shard-3"), "{}", text(&refused));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_baseline_reuses_signatures_and_equals_a_full_scan() {
    let dir = workspace("baseline");
    scan(&dir, "before", &["--near-duplicates"]);
    // Change one early file: its records change, later files' figures may too.
    let changed = dir.join("data").join("part-03.jsonl");
    let mut body = std::fs::read_to_string(&changed).unwrap();
    body.push_str("{\"text\": \"one more record about nothing in particular at all\"}\n");
    std::fs::write(&changed, body).unwrap();
    scan(
        &dir,
        "after",
        &["--near-duplicates", "--baseline", "before"],
    );
    let after = summary(&dir.join("after"));
    assert_eq!(
        after["incremental"]["read_files"], 1,
        "{}",
        after["incremental"]
    );
    scan(&dir, "full", &["--near-duplicates"]);
    assert_same_outputs(&dir, "full", "after");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_rerun_without_the_option_leaves_no_near_duplicate_files() {
    let dir = workspace("stale");
    scan(&dir, "out", &["--near-duplicates"]);
    assert!(dir.join("out/near_duplicates.parquet").exists());
    assert!(dir.join("out/near_duplicates.bin").exists());
    scan(&dir, "out", &[]);
    assert!(!dir.join("out/near_duplicates.parquet").exists());
    assert!(!dir.join("out/near_duplicates.bin").exists());
    let verified = provaudit_in(&dir, &["verify", "out"]);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    let _ = std::fs::remove_dir_all(&dir);
}
