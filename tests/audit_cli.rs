//! Scheduled audits from the command line: verify, prove, diff, policy gates and crash
//! safety. Each test scans its own copy of the demo, so it can edit the data freely.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{demo, provaudit_in, text};

/// A fresh working directory holding a copy of the demo at `data/`.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&demo(), &dir.join("data"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn scan(dir: &Path, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["scan", "data", "-o", out, "-q"];
    args.extend_from_slice(extra);
    provaudit_in(dir, &args)
}

#[test]
fn verify_names_an_edited_data_file_and_new_and_missing_ones() {
    let dir = workspace("verify-data");
    assert_eq!(scan(&dir, "audit", &[]).status.code(), Some(1));
    let clean = provaudit_in(&dir, &["verify", "audit"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));

    // One byte changed, same size: only the hash can tell.
    let notes = dir.join("data/web-zh/notes.md");
    let mut bytes = std::fs::read(&notes).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&notes, bytes).unwrap();
    std::fs::write(dir.join("data/code/extra.py"), "print(1)\n").unwrap();
    std::fs::remove_file(dir.join("data/labeled/sentiment.tsv")).unwrap();
    let dirty = provaudit_in(&dir, &["verify", "audit"]);
    let said = text(&dirty);
    assert_eq!(dirty.status.code(), Some(1), "{said}");
    assert!(said.contains("changed: data/web-zh/notes.md"), "{said}");
    assert!(said.contains("new:     data/code/extra.py"), "{said}");
    assert!(
        said.contains("missing: data/labeled/sentiment.tsv"),
        "{said}"
    );

    // The ledger itself is still intact.
    let ledger_only = provaudit_in(&dir, &["verify", "audit", "--ledger-only"]);
    assert_eq!(ledger_only.status.code(), Some(0), "{}", text(&ledger_only));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_fails_on_an_edited_ledger_row_or_output() {
    let dir = workspace("verify-ledger");
    scan(&dir, "audit", &[]);
    let ledger = dir.join("audit/ledger.jsonl");
    let original = std::fs::read_to_string(&ledger).unwrap();
    std::fs::write(
        &ledger,
        original.replacen("\"records\":3", "\"records\":4", 1),
    )
    .unwrap();
    let run = provaudit_in(&dir, &["verify", "audit", "--ledger-only"]);
    let said = text(&run);
    assert_eq!(run.status.code(), Some(1), "{said}");
    assert!(said.contains("Merkle root"), "{said}");
    assert!(
        said.contains("output: MISMATCH"),
        "the recorded ledger hash differs too: {said}"
    );

    std::fs::write(&ledger, &original).unwrap();
    std::fs::write(dir.join("audit/findings.jsonl"), "").unwrap();
    let run = provaudit_in(&dir, &["verify", "audit", "--ledger-only"]);
    let said = text(&run);
    assert_eq!(run.status.code(), Some(1), "{said}");
    assert!(said.contains("findings.jsonl"), "{said}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_proof_shows_one_row_without_the_ledger() {
    let dir = workspace("prove");
    scan(&dir, "audit", &[]);
    let proof = provaudit_in(&dir, &["prove", "audit", "sft/qa.csv"]);
    assert_eq!(proof.status.code(), Some(0), "{}", text(&proof));
    std::fs::write(dir.join("proof.json"), &proof.stdout).unwrap();
    let ok = provaudit_in(
        &dir,
        &["verify", "audit", "--ledger-only", "--proof", "proof.json"],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));

    // A proof for a forged row fails.
    let mut forged: serde_json::Value = serde_json::from_slice(&proof.stdout).unwrap();
    let row = forged["row"]
        .as_str()
        .unwrap()
        .replacen("\"records\":", "\"records\":1", 1);
    forged["row"] = row.into();
    std::fs::write(dir.join("forged.json"), forged.to_string()).unwrap();
    let bad = provaudit_in(
        &dir,
        &["verify", "audit", "--ledger-only", "--proof", "forged.json"],
    );
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(text(&bad).contains("proof: INVALID"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_lists_added_removed_and_changed_files_and_figures() {
    let dir = workspace("diff");
    scan(&dir, "old", &[]);
    std::fs::remove_file(dir.join("data/sft/qa.csv")).unwrap();
    std::fs::write(
        dir.join("data/sft/more.jsonl"),
        "{\"instruction\":\"联系\",\"output\":\"电话13912345678\"}\n",
    )
    .unwrap();
    scan(&dir, "new", &[]);
    let run = provaudit_in(&dir, &["diff", "old", "new"]);
    let said = text(&run);
    assert_eq!(run.status.code(), Some(0), "{said}");
    assert!(said.contains("+ data/sft/more.jsonl"), "{said}");
    assert!(said.contains("- data/sft/qa.csv"), "{said}");
    let json = provaudit_in(&dir, &["diff", "old", "new", "--json"]);
    let d: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(d["added"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["removed"].as_array().map(Vec::len), Some(1));
    assert!(!said.contains("13912345678"), "never a raw value");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_policy_exits_3_and_is_recorded() {
    let dir = workspace("policy");
    std::fs::write(
        dir.join("policy.toml"),
        "[pii]\nmax_record_share = 0.01\n[license]\nforbid = { preference = [\"non_commercial\"] }\n",
    )
    .unwrap();
    let run = scan(&dir, "audit", &["--policy", "policy.toml"]);
    let said = text(&run);
    assert_eq!(run.status.code(), Some(3), "{said}");
    assert!(said.contains("policy violation: source sft-demo"), "{said}");
    assert!(said.contains("pii.max_record_share = 1%"), "{said}");
    assert!(said.contains("license.forbid.preference"), "{said}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("audit/summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["policy"]["violations"].as_array().map(Vec::len),
        Some(2)
    );
    let report = std::fs::read_to_string(dir.join("audit/disclosure.md")).unwrap();
    assert!(report.contains("license.forbid.preference"));

    // verify reaches the same verdict from the written audit; a loose gate passes.
    let again = provaudit_in(
        &dir,
        &[
            "verify",
            "audit",
            "--ledger-only",
            "--policy",
            "policy.toml",
        ],
    );
    assert_eq!(again.status.code(), Some(3), "{}", text(&again));
    let loose = provaudit_in(
        &dir,
        &[
            "verify",
            "audit",
            "--ledger-only",
            "--fail-on",
            "pii.max_record_share=0.5",
        ],
    );
    assert_eq!(loose.status.code(), Some(0), "{}", text(&loose));

    std::fs::write(dir.join("bad.toml"), "[pii]\nmax_share = 0.1\n").unwrap();
    let bad = scan(&dir, "audit", &["--policy", "bad.toml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("max_share"), "{}", text(&bad));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_killed_scan_leaves_nothing_that_looks_complete_and_a_rerun_is_clean() {
    let dir = std::env::temp_dir().join(format!("provaudit-audit-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for i in 0..4u64 {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(data.join(format!("part-{i}.jsonl"))).unwrap(),
        );
        provaudit::synth::write_jsonl(&mut file, 8 << 20, i, 10).unwrap();
    }
    // A previous complete audit in the same directory must not lend the killed run
    // its completeness.
    assert_eq!(
        provaudit_in(&dir, &["scan", "data", "-o", "audit", "-q"])
            .status
            .code(),
        Some(0)
    );
    std::fs::write(data.join("part-9.jsonl"), "{\"text\":\"late\"}\n").unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_provaudit"))
        .current_dir(&dir)
        .args(["scan", "data", "-o", "audit", "-q", "--threads", "1"])
        .spawn()
        .unwrap();
    let audit = dir.join("audit");
    // Kill it once it has started over (its first act is to take the old completion
    // marker away): a fixed delay killed it before it started on a loaded machine.
    let started = std::time::Instant::now();
    while audit.join("summary.json").exists()
        && child.try_wait().unwrap().is_none()
        && started.elapsed() < std::time::Duration::from_secs(30)
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let finished_first = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL on Unix.
    let _ = child.wait();
    if finished_first {
        eprintln!("the scan finished before it could be killed; checking the complete audit");
    } else {
        assert!(
            !audit.join("summary.json").exists(),
            "no completion marker after a kill"
        );
        assert!(!audit.join("disclosure.md").exists());
        let run = provaudit_in(&dir, &["verify", "audit", "--ledger-only"]);
        assert_eq!(
            run.status.code(),
            Some(2),
            "an incomplete audit does not verify: {}",
            text(&run)
        );
    }
    let rerun = provaudit_in(&dir, &["scan", "data", "-o", "audit", "-q"]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert!(!audit.join(".findings.partial").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&audit)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let verified = provaudit_in(&dir, &["verify", "audit"]);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    let _ = std::fs::remove_dir_all(&dir);
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The incremental scan's outputs must be the full scan's, byte for byte.
fn assert_same_audit(dir: &Path, incremental: &str, full: &str) {
    for name in ["ledger.jsonl", "findings.jsonl", "fingerprints.bin"] {
        assert!(
            read(dir.join(incremental).join(name)) == read(dir.join(full).join(name)),
            "{name} differs between {incremental} and {full}"
        );
    }
}

fn incremental(dir: &Path, audit: &str) -> serde_json::Value {
    let summary: serde_json::Value =
        serde_json::from_slice(&read(dir.join(audit).join("summary.json"))).unwrap();
    summary["incremental"].clone()
}

#[test]
fn a_baseline_scan_reuses_unchanged_rows_and_equals_a_full_scan() {
    let dir = workspace("baseline");
    // A file early in path order whose records recur later: removing it moves the
    // scan-level duplicates into the later file, which is reused.
    let line = "{\"text\":\"The same paragraph appears in two places of this corpus.\"}\n";
    std::fs::write(dir.join("data/code/aaa.jsonl"), line).unwrap();
    std::fs::write(dir.join("data/web-zh/zzz.jsonl"), line.repeat(2)).unwrap();
    scan(&dir, "a0", &[]);

    let same = scan(&dir, "a1", &["--baseline", "a0"]);
    assert_eq!(same.status.code(), Some(1), "{}", text(&same));
    assert_same_audit(&dir, "a1", "a0");
    assert_eq!(incremental(&dir, "a1")["read_files"], 0);

    std::fs::remove_file(dir.join("data/code/aaa.jsonl")).unwrap();
    std::fs::write(
        dir.join("data/sft/new.jsonl"),
        "{\"instruction\":\"x\",\"output\":\"y\"}\n",
    )
    .unwrap();
    let chat = dir.join("data/sft/chat.jsonl");
    let mut body = read(chat.clone());
    body.extend_from_slice(b"{\"messages\":[{\"role\":\"user\",\"content\":\"hello again\"}]}\n");
    std::fs::write(&chat, body).unwrap();
    // A manifest change alters rows of files that did not change.
    let manifest = dir.join("data/web-zh/provenance.toml");
    let text_before = String::from_utf8(read(manifest.clone())).unwrap();
    std::fs::write(&manifest, text_before.replace("CC-BY-4.0", "CC-BY-NC-4.0")).unwrap();

    scan(&dir, "b-inc", &["--baseline", "a0"]);
    scan(&dir, "b-full", &[]);
    assert_same_audit(&dir, "b-inc", "b-full");
    let inc = incremental(&dir, "b-inc");
    assert_eq!(inc["read_files"], 3, "{inc}");
    let rows = String::from_utf8(read(dir.join("b-inc/ledger.jsonl"))).unwrap();
    assert!(
        rows.contains("CC-BY-NC-4.0"),
        "declared licenses are recomputed"
    );

    // Re-auditing in place: the baseline is the output directory itself.
    let in_place = scan(&dir, "b-inc", &["--baseline", "b-inc"]);
    assert!(!text(&in_place).contains("not used"), "{}", text(&in_place));
    assert_eq!(incremental(&dir, "b-inc")["read_files"], 0);
    assert_same_audit(&dir, "b-inc", "b-full");

    // Other options: the baseline is not used, and the outputs are still right.
    let other = scan(
        &dir,
        "c-inc",
        &["--baseline", "b-full", "--text-unit", "paragraph"],
    );
    assert!(text(&other).contains("not used"), "{}", text(&other));
    assert!(incremental(&dir, "c-inc").is_null());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rehash_catches_a_change_that_keeps_size_and_time() {
    let dir = workspace("rehash");
    let notes = dir.join("data/web-zh/notes.md");
    // Well before the scan starts, so the row is not racy (see the next test).
    let modified = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    set_modified(&notes, modified);
    scan(&dir, "a0", &[]);
    let mut bytes = read(notes.clone());
    bytes[0] ^= 0x20;
    std::fs::write(&notes, bytes).unwrap();
    set_modified(&notes, modified);
    scan(&dir, "blind", &["--baseline", "a0"]);
    assert_eq!(
        incremental(&dir, "blind")["read_files"],
        0,
        "size and time match"
    );
    scan(&dir, "rehashed", &["--baseline", "a0", "--rehash"]);
    assert_eq!(incremental(&dir, "rehashed")["read_files"], 1);
    scan(&dir, "full", &[]);
    assert_same_audit(&dir, "rehashed", "full");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_output_directory_over_its_input_is_refused_and_nothing_is_deleted() {
    let dir = workspace("overlap");
    let own = dir.join("data/summary.json");
    std::fs::write(&own, "{\"mine\": true}\n").unwrap();
    for out in ["data", "./data/", "."] {
        let run = scan(&dir, out, &[]);
        assert_eq!(run.status.code(), Some(2), "-o {out}: {}", text(&run));
        assert!(
            text(&run).contains("choose an --out outside it"),
            "{}",
            text(&run)
        );
    }
    assert_eq!(read(own), b"{\"mine\": true}\n");
    assert!(!dir.join("ledger.jsonl").exists());

    // merge -o SHARD would overwrite the shard it reads.
    assert_eq!(scan(&dir, "s0", &["--shard", "0/1"]).status.code(), Some(1));
    let before = read(dir.join("s0/ledger.jsonl"));
    let run = provaudit_in(&dir, &["merge", "s0", "-o", "s0", "-q"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert_eq!(read(dir.join("s0/ledger.jsonl")), before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_audit_with_unreadable_entries_still_verifies() {
    let dir = workspace("unreadable");
    // A symbolic-link loop is an `error` row with no hash when links are followed.
    std::os::unix::fs::symlink("loop-b", dir.join("data/loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", dir.join("data/loop-b")).unwrap();
    assert_eq!(
        scan(&dir, "audit", &["--follow-symlinks"]).status.code(),
        Some(1)
    );
    let ledger = String::from_utf8(read(dir.join("audit/ledger.jsonl"))).unwrap();
    assert!(
        ledger
            .lines()
            .any(|l| l.contains("loop-a") && l.contains("\"status\":\"error\"")),
        "{ledger}"
    );
    let run = provaudit_in(&dir, &["verify", "audit"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));

    // Once the entry becomes readable, verify says it changed.
    std::fs::remove_file(dir.join("data/loop-a")).unwrap();
    std::fs::write(dir.join("data/loop-a"), "{\"text\": \"now readable\"}\n").unwrap();
    let run = provaudit_in(&dir, &["verify", "audit"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    assert!(
        text(&run).contains("changed: data/loop-a"),
        "{}",
        text(&run)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn set_modified(path: &Path, time: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// Edits a file in place, keeping its size, and sets its modification time.
fn edit_keeping_size(path: &Path, time: std::time::SystemTime) {
    let mut bytes = read(path.to_path_buf());
    bytes[0] ^= 0x20;
    std::fs::write(path, bytes).unwrap();
    set_modified(path, time);
}

#[test]
fn a_baseline_never_reuses_a_row_of_another_version_of_the_file_within_one_second() {
    use std::time::{Duration, SystemTime};
    let dir = workspace("racy");
    let notes = dir.join("data/web-zh/notes.md");
    // The reproduction: 10:00:00.100, scan, edit one byte, 10:00:00.900.
    let ten = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_261_600);
    set_modified(&notes, ten + Duration::from_millis(100));
    scan(&dir, "a0", &[]);
    edit_keeping_size(&notes, ten + Duration::from_millis(900));
    scan(&dir, "a1", &["--baseline", "a0"]);
    assert_eq!(incremental(&dir, "a1")["read_files"], 1);
    scan(&dir, "full", &[]);
    assert_same_audit(&dir, "a1", "full");
    let diff = provaudit_in(&dir, &["diff", "a0", "a1"]);
    assert!(text(&diff).contains("web-zh/notes.md"), "{}", text(&diff));

    // A file written as the prior scan starts, then edited with the very same time,
    // is re-hashed before its row is reused (git's racily clean entries).
    let now = SystemTime::now();
    set_modified(&notes, now);
    scan(&dir, "b0", &[]);
    edit_keeping_size(&notes, now);
    scan(&dir, "b1", &["--baseline", "b0"]);
    assert_eq!(incremental(&dir, "b1")["read_files"], 1);
    scan(&dir, "b-full", &[]);
    assert_same_audit(&dir, "b1", "b-full");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_names_an_edited_disclosure_and_a_re_rendered_report_still_verifies() {
    let dir = workspace("verify-disclosure");
    scan(&dir, "audit", &[]);
    let clean = provaudit_in(&dir, &["verify", "audit", "--ledger-only"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));

    // Re-rendering into the audit directory, in other languages and formats, keeps
    // the audit verifiable: the summary follows the files it rewrote.
    for args in [
        &["report", "audit", "--lang", "en"][..],
        &["report", "audit", "--format", "spdx", "--format", "md"][..],
    ] {
        let run = provaudit_in(&dir, args);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
        let again = provaudit_in(&dir, &["verify", "audit", "--ledger-only"]);
        assert_eq!(again.status.code(), Some(0), "{args:?}: {}", text(&again));
    }

    for name in [
        "disclosure.md",
        "disclosure.html",
        "disclosure.json",
        "disclosure.spdx.json",
    ] {
        let path = dir.join("audit").join(name);
        let original = std::fs::read(&path).unwrap();
        let mut edited = original.clone();
        edited.extend_from_slice(b" ");
        std::fs::write(&path, &edited).unwrap();
        let run = provaudit_in(&dir, &["verify", "audit", "--ledger-only"]);
        let said = text(&run);
        assert_eq!(run.status.code(), Some(1), "{name}: {said}");
        assert!(said.contains(name), "{said}");
        std::fs::write(&path, &original).unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
