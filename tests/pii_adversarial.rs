//! Every PII rule family runs in linear time on adversarial input (issue 13,
//! defect 2: repeated `-----BEGIN RSA PRIVATE KEY-----` lines took minutes).
//!
//! No wall-clock limits: each case compares its own CPU time per megabyte at two
//! sizes (a quadratic rule slows down 4x when the input grows 4x; a linear
//! one does not), and with ordinary text, as generous ratios. Sized to run in
//! a few seconds in a debug build.

use std::time::Duration;

use provaudit::analyze::pii::PiiDetector;

#[path = "support/cost_clock.rs"]
mod cost_clock;
use cost_clock::CostClock;

/// Repeats `unit` to at least `bytes` bytes.
fn flood(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len().max(1) + 1)
}

/// CPU time of one scan on this thread ([`CostClock`]): repeated until 20 ms
/// have passed, so inputs that scan in microseconds are not compared by timer
/// noise; the fastest of three such rounds is the least disturbed by other work
/// on the machine (caches, frequency).
fn time_to_scan(det: &PiiDetector, text: &str) -> Duration {
    let mut out = Vec::new();
    (0..3)
        .map(|_| {
            let t = CostClock::start();
            let mut n = 0u32;
            while n == 0 || t.elapsed() < Duration::from_millis(20) {
                out.clear();
                det.scan(text, &mut out);
                n += 1;
            }
            t.elapsed() / n
        })
        .min()
        .unwrap_or_default()
}

fn per_mb(d: Duration, bytes: usize) -> f64 {
    d.as_secs_f64() / (bytes as f64 / 1e6)
}

/// Prose with the occasional number, e-mail and key, as real records have.
fn ordinary(bytes: usize) -> String {
    let para = "今天我们讨论了项目进度，预算为 1200 元。The meeting on 2024-03-15 covered \
                three hires; write to li.wei@qq.com or call 138-0013-8000. \
                版本 2.1.0 已发布，服务器 47.96.12.34 运行正常。\n";
    flood(para, bytes)
}

/// (family, repeated unit) for every rule family's worst shape.
const CASES: &[(&str, &str)] = &[
    ("pem_begin", "-----BEGIN RSA PRIVATE KEY-----\n"),
    (
        "pem_body",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n",
    ),
    ("digits", "7"),
    ("digit_groups", "1234 "),
    ("digit_dashes", "12-"),
    ("dotted", "1."),
    ("colons", "ab:"),
    ("at_signs", "@"),
    ("email_chain", "a@b."),
    ("plus_signs", "+86 "),
    ("url_credentials", "https://u:p"),
    ("scheme_separators", "://"),
    ("url_user_names", "a://b:"),
    (
        "long_url_user_names",
        "ssh://xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ),
    ("secret_prefix", "ghp_"),
    ("full_width", "１２３４"),
];

#[test]
fn every_rule_family_scans_in_linear_time() {
    let det = PiiDetector::builtin();
    const SMALL: usize = 64 << 10;
    const LARGE: usize = 256 << 10;
    let base = ordinary(LARGE);
    let base_rate = per_mb(time_to_scan(&det, &base), base.len()).max(1e-4);
    let mut failures = Vec::new();
    for (family, unit) in CASES {
        let small = flood(unit, SMALL);
        let large = flood(unit, LARGE);
        let small_rate = per_mb(time_to_scan(&det, &small), small.len()).max(1e-5);
        let large_rate = per_mb(time_to_scan(&det, &large), large.len());
        let growth = large_rate / small_rate;
        let vs_ordinary = large_rate / base_rate;
        println!("{family:<16} growth x{growth:.2} vs ordinary x{vs_ordinary:.1}");
        // Linear: time per MB stays flat as the input grows 4x (quadratic: 4x).
        if growth > 3.0 {
            failures.push(format!("{family}: time per MB grew x{growth:.2}"));
        }
        if vs_ordinary > 100.0 {
            failures.push(format!(
                "{family}: x{vs_ordinary:.1} ordinary text's time per MB"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
