//! Counts of license identification outcomes, shared by the ScanCode conformance
//! test (`tests/license_scancode.rs`) and the real-files example
//! (`examples/license_eval.rs`), so both print the same table.

#![allow(dead_code)]

/// Cases of one group: hits and the three kinds of miss.
#[derive(Default)]
pub struct Tally {
    pub n: usize,
    pub hit: usize,
    pub nothing: usize,
    pub variant: usize,
    pub wrong: usize,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.n += o.n;
        self.hit += o.hit;
        self.nothing += o.nothing;
        self.variant += o.variant;
        self.wrong += o.wrong;
    }

    /// Share of cases whose expected primary id was found.
    pub fn rate(&self) -> f64 {
        self.hit as f64 / self.n.max(1) as f64
    }

    /// One printed row: name, cases, hit rate, then the misses by kind.
    pub fn row(&self, name: &str) -> String {
        format!(
            "{name:<22} {:>5} {:>6.1}% {:>8} {:>8} {:>8}",
            self.n,
            100.0 * self.rate(),
            self.nothing,
            self.variant,
            self.wrong
        )
    }
}
