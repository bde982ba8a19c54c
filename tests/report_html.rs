//! Renders `disclosure.html` in headless Chromium: the DOM must hold the expected
//! figures with no console error, and a screenshot must not be blank. Skipped (with a
//! message) when Chromium is not installed: `apt-get install -y chromium`.

mod common;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::chromium;
use provaudit::report::{self, Audit, Checks, Format, Lang};

const TIMEOUT: Duration = Duration::from_secs(60);

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("provaudit-html-render-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs Chromium headless with a fresh profile; returns (stdout, stderr). Kills it
/// when it outlives [`TIMEOUT`].
fn run(chromium: &Path, dir: &Path, name: &str, args: &[String]) -> (String, String) {
    let profile = dir.join(format!("profile-{name}"));
    fs::create_dir_all(&profile).unwrap();
    let stdout_path = dir.join(format!("{name}.stdout"));
    let stderr_path = dir.join(format!("{name}.stderr"));
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).unwrap())
        .stderr(File::create(&stderr_path).unwrap())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium ({name}) did not finish within {TIMEOUT:?}");
            }
        }
    }
    (
        fs::read_to_string(stdout_path).unwrap_or_default(),
        fs::read_to_string(stderr_path).unwrap_or_default(),
    )
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        println!("SKIPPED: chromium not installed");
        return;
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/audits/report-demo");
    let audit = Audit::load(&fixture).unwrap();
    let d = report::build(&audit, &Checks::default());
    let dir = scratch();
    let written = report::write_all(&d, &[Format::Html], Lang::Both, &dir).unwrap();
    let url = format!("file://{}", written[0].display());

    // (a) The DOM after load: figures present, no injected element, no console error.
    let (dom, stderr) = run(
        &chromium,
        &dir,
        "dom",
        &[
            "--dump-dom".into(),
            "--enable-logging=stderr".into(),
            "--v=0".into(),
            url.clone(),
        ],
    );
    for expected in [
        "3898b029c09d3b4d",
        "de7fec636fe81082fcf2781bc7f27105f51eebf057cf24bd2c7dbab23c4bd07a",
        "11,234 (11.0 KiB)",
        "数据来源",
        "Sources",
        "138****5678",
        "<svg",
    ] {
        assert!(dom.contains(expected), "DOM lacks {expected}:\n{dom:.2000}");
    }
    assert!(!dom.contains("<script"), "a script element reached the DOM");
    assert!(!dom.contains("<img"), "an img element reached the DOM");
    // The page has no script, so any console message (an error, an uncaught
    // exception, a Content-Security-Policy violation) is a failure. Chromium logs them
    // as `INFO:CONSOLE:<line>] "<message>"` whatever their level.
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("Refused to"))
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    // (b) A screenshot that is a real, non-blank PNG.
    let png = dir.join("shot.png");
    run(
        &chromium,
        &dir,
        "shot",
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,2000".into(),
            "--hide-scrollbars".into(),
            url,
        ],
    );
    let bytes = fs::read(&png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // A blank 1200x2000 page compresses to a few KB; the report is far larger.
    assert!(
        bytes.len() > 30_000,
        "screenshot looks blank ({} bytes)",
        bytes.len()
    );

    // (c) Printed to PDF, the Chinese text is set in a CJK font of the report's font
    // stack, not in boxes: on a machine without a CJK default font a stack without
    // CJK families printed every Chinese character as a box.
    if cjk_fonts_installed() {
        let pdf = dir.join("print.pdf");
        run(
            &chromium,
            &dir,
            "pdf",
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
                format!("file://{}", written[0].display()),
            ],
        );
        let bytes = fs::read(&pdf).expect("PDF written");
        assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
        let fonts = base_fonts(&bytes);
        assert!(
            fonts
                .iter()
                .any(|f| CJK_FAMILIES.iter().any(|c| f.contains(c))),
            "no CJK font among the PDF's fonts {fonts:?}"
        );
    } else {
        println!("SKIPPED (print part): no CJK font installed (fc-list :lang=zh is empty)");
    }
    let _ = fs::remove_dir_all(dir);
}

/// CJK families of the report's font stack, as PDF `BaseFont` names spell them.
const CJK_FAMILIES: &[&str] = &[
    "NotoSansCJK",
    "NotoSansSC",
    "SourceHanSans",
    "WenQuanYi",
    "PingFang",
    "HiraginoSans",
    "MicrosoftYaHei",
    "SimHei",
];

fn cjk_fonts_installed() -> bool {
    Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

/// The `/BaseFont /XXXXXX+Name` entries of a PDF (font dictionaries are not
/// compressed in Chromium's PDFs).
fn base_fonts(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/BaseFont")
        .filter_map(|(i, _)| {
            let rest = text[i + "/BaseFont".len()..]
                .trim_start()
                .strip_prefix('/')?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_'))
                .collect();
            Some(name)
        })
        .collect()
}
