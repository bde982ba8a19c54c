//! The Croissant 1.1 + RAI export (issue 20 item 3) passes MLCommons' own validator
//! (`mlcroissant validate`), and the validator refuses a broken one. SKIPPED (with a
//! message) when `mlcroissant` cannot be imported: `pip install mlcroissant`, or name
//! a Python that has it in `PROVAUDIT_CROISSANT_PYTHON`.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{demo, provaudit, python_with};
use serde_json::Value;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_export_passes_the_croissant_validator() {
    let Some(python) = python_with("mlcroissant", "PROVAUDIT_CROISSANT_PYTHON") else {
        println!("SKIPPED: mlcroissant not installed (pip install mlcroissant)");
        return;
    };
    let out = scratch("croissant-validate");
    let audit = out.join("audit");
    let scanned = provaudit(&[
        "scan",
        demo().to_str().unwrap(),
        "-o",
        audit.to_str().unwrap(),
        "-q",
        "--no-report",
    ]);
    assert_eq!(
        scanned.status.code(),
        Some(1),
        "the demo has one broken file"
    );
    let rep = out.join("rep");
    let written = provaudit(&[
        "report",
        audit.to_str().unwrap(),
        "--format",
        "croissant",
        "-o",
        rep.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0), "{written:?}");
    let file = rep.join("disclosure.croissant.json");
    let validate = |path: &std::path::Path| {
        Command::new(&python)
            .args([
                "-c",
                "import sys; from mlcroissant.scripts.cli import main; sys.exit(main())",
                "validate",
                "--jsonld",
            ])
            .arg(path)
            .output()
            .unwrap()
    };
    let run = validate(&file);
    assert!(
        run.status.success(),
        "mlcroissant rejects the export:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The check can fail: a collection time frame that is not a date is refused.
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    doc["rai:dataCollectionTimeFrame"] = serde_json::json!(["last spring"]);
    let broken = out.join("broken.json");
    std::fs::write(&broken, serde_json::to_vec(&doc).unwrap()).unwrap();
    assert!(
        !validate(&broken).status.success(),
        "the validator accepted a broken export"
    );
    let _ = std::fs::remove_dir_all(&out);
}
