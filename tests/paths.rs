//! Path text (issue 13, defect 6): file names and link targets are recorded losslessly
//! escaped, with personal information masked and bidirectional controls neutralised,
//! and an audit of such names still verifies and proves.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use common::{provaudit_in, rows, text};
use provaudit::analyze::pii::synth::resident_id;
use provaudit::synth::Rng;

/// A fresh working directory with an empty `data/`.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-paths-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    dir
}

fn put(dir: &Path, name: &[u8]) {
    std::fs::write(dir.join(OsStr::from_bytes(name)), b"{\"text\":\"hello\"}\n").unwrap();
}

/// A synthetic mailbox at a made-up, non-example domain (so the engine counts it
/// as personal): lowercase letters from a seeded generator.
fn synthetic_email(rng: &mut Rng, first: char) -> String {
    let mut word = |n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'a' + rng.below(26) as u8))
            .collect()
    };
    format!("{first}{}@{}.com", word(7), word(9))
}

/// Every file of the audit directory, as bytes.
fn audit_files(audit: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    std::fs::read_dir(audit)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn names_differing_only_in_invalid_bytes_get_distinct_paths() {
    let dir = workspace("invalid");
    put(&dir.join("data"), b"bad_\xff\xfe.jsonl");
    put(&dir.join("data"), b"bad_\xfe\xff.jsonl");
    let run = provaudit_in(&dir, &["scan", "data", "-o", "audit", "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let mut paths: Vec<String> = rows(&dir.join("audit"))
        .into_iter()
        .map(|r| r.path)
        .collect();
    paths.sort();
    assert_eq!(paths, ["bad_\\xFE\\xFF.jsonl", "bad_\\xFF\\xFE.jsonl"]);
    let verify = provaudit_in(&dir, &["verify", "audit"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn personal_information_and_bidi_controls_in_names_reach_no_output() {
    let dir = workspace("masked");
    let data = dir.join("data");
    let mut rng = Rng::new(0x5EED_0013);
    // Two addresses whose masks coincide (same first letter, same domain shape).
    let email = synthetic_email(&mut rng, 'q');
    let (_, domain) = email.split_once('@').unwrap();
    let twin = format!("q{}@{domain}", &synthetic_email(&mut rng, 'q')[1..8]);
    let id = resident_id(&mut rng);
    put(&data, format!("{email}.jsonl").as_bytes());
    put(&data, format!("{twin}.jsonl").as_bytes());
    put(&data, "invoice_\u{202E}lmth.jsonl".as_bytes());
    put(&data, b"line\nbreak.jsonl");
    std::os::unix::fs::symlink(
        format!("/nonexistent/{id}/shard.jsonl"),
        data.join("link.jsonl"),
    )
    .unwrap();

    let run = provaudit_in(&dir, &["scan", "data", "-o", "audit", "-q"]);
    assert!(matches!(run.status.code(), Some(0 | 1)), "{}", text(&run));
    let audit = dir.join("audit");
    let files = audit_files(&audit);
    assert!(files.iter().any(|(p, _)| p.ends_with("disclosure.html")));
    for (path, bytes) in &files {
        for raw in [email.as_str(), twin.as_str(), id.as_str(), "\u{202E}"] {
            assert!(
                !contains(bytes, raw.as_bytes()),
                "{} holds a raw name",
                path.display()
            );
        }
        assert!(!contains(bytes, b"line\nbreak"), "{}", path.display());
    }

    let rows = rows(&audit);
    let paths: Vec<&str> = rows.iter().map(|r| r.path.as_str()).collect();
    let masked = format!("q***@{domain}.jsonl");
    assert!(paths.contains(&masked.as_str()), "{paths:?}");
    assert!(paths.contains(&format!("{masked}~2").as_str()), "{paths:?}");
    assert!(paths.contains(&"invoice_\\u{202E}lmth.jsonl"), "{paths:?}");
    assert!(paths.contains(&"line\\u{000A}break.jsonl"), "{paths:?}");
    let link = rows.iter().find(|r| r.path == "link.jsonl").unwrap();
    let reason = link.skip_reason.as_deref().unwrap_or_default();
    assert!(
        reason.contains("/nonexistent/") && reason.contains('*'),
        "{reason}"
    );
    // Masked names keep their format.
    let masked_row = rows.iter().find(|r| r.path == masked).unwrap();
    assert_eq!(
        (masked_row.format.as_str(), masked_row.records),
        ("jsonl", 1)
    );

    let verify = provaudit_in(&dir, &["verify", "audit"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    for path in [masked.as_str(), "invoice_\\u{202E}lmth.jsonl"] {
        let proof = provaudit_in(&dir, &["prove", "audit", path]);
        assert_eq!(proof.status.code(), Some(0), "{path}: {}", text(&proof));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
