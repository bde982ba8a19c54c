//! Every license rule family runs in time linear in its input (issue 13): text built to
//! make a backtracking or re-scanning matcher quadratic (a marker's prefix repeated
//! thousands of times, notices with no end, floods of URLs) must cost the same per
//! byte at four times the size. Asserted as a ratio of the thread's CPU time per byte between two sizes
//! measured in the same run (a linear rule stays near 1, a quadratic one near 4; the
//! limit is 3), never as a wall time.

use std::time::Duration;

use provaudit::analyze::license::LicenseDetector;

#[path = "support/cost_clock.rs"]
mod cost_clock;
use cost_clock::CostClock;

/// The smaller input; the larger is four times this. Both are above the sizes at which
/// a detector switches strategy (a long value is matched as a whole license text), so
/// the two measure the same code.
const SMALL: usize = 96 << 10;
/// Per-byte cost may grow by this factor from the small to the large input.
const MAX_GROWTH: f64 = 3.0;

fn repeated(unit: &str, size: usize) -> String {
    unit.repeat(size / unit.len().max(1) + 1)
}

/// CPU time per byte of `unit` repeated to `size` bytes ([`CostClock`]): the best of two runs (so one
/// descheduled run does not decide), each on a text of its own so that no cache of an
/// earlier answer makes a run look cheap.
fn per_byte(detector: &LicenseDetector, unit: &str, size: usize) -> f64 {
    let best = (0..2)
        .map(|run| {
            let text = format!("{run} {}", repeated(unit, size));
            let mut found = Vec::new();
            let start = CostClock::start();
            detector.scan_text(&text, &mut found);
            detector.scan_metadata("license", &text, &mut found);
            start.elapsed()
        })
        .min()
        .unwrap_or(Duration::ZERO);
    best.as_secs_f64().max(1e-6) / size as f64
}

#[test]
fn adversarial_repetitions_cost_the_same_per_byte_at_four_times_the_size() {
    let detector = LicenseDetector::builtin();
    let units = [
        ("copyright notices", "Copyright (c) 2020 "),
        ("reservations", "All rights reserved. "),
        ("chinese reservations", "版权所有，未经许可不得转载"),
        ("notice openings", "Licensed under the "),
        ("license names", "GNU General Public License version "),
        ("unversioned gnu notices", "licensed under the GNU GPL; "),
        ("spdx tags", "SPDX-License-Identifier: "),
        ("license urls", "http://www.apache.org/licenses/LICENSE-"),
        ("creative commons", "creativecommons.org/licenses/by-"),
        ("tdm opt-outs", "<meta name=\"robots\" content=\"noai, "),
        ("one long word", "x"),
    ];
    for (name, unit) in units {
        let small = per_byte(&detector, unit, SMALL);
        let large = per_byte(&detector, unit, SMALL * 4);
        let growth = large / small;
        eprintln!(
            "{name}: per-byte cost x{growth:.2} at 4x the size ({:.1} / {:.1} ns per byte)",
            small * 1e9,
            large * 1e9
        );
        assert!(
            growth <= MAX_GROWTH,
            "{name}: per-byte cost grows {growth:.1}x at 4x the size (limit {MAX_GROWTH}x): not linear"
        );
    }
}
