//! Prints the built-in rule patterns, one per line, as a ripgrep PATTERNS
//! file (`rg -f`). Only the patterns: no validators, context words or edge
//! checks, which ripgrep cannot express.
//!
//! Usage: cargo run --release --example pii_rg_patterns > benches/data/pii_rg_patterns.txt

use provaudit::analyze::pii::PiiDetector;

fn main() {
    let det = PiiDetector::builtin();
    for rule in 0..det.rule_count() {
        let rule = rule as u16;
        println!("{}", det.rule_pattern(rule));
    }
}
