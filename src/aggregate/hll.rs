//! HyperLogLog: a distinct count that merges across shards in a few kilobytes.
//!
//! One process counts scan-level duplicates exactly with a hash set (and a merge does
//! the same from `fingerprints.bin`). What neither can do cheaply is answer "how many
//! distinct records are in these N audits together?" from their summaries alone; a
//! HyperLogLog sketch can: merging is a register-wise maximum, so a merged sketch is
//! exactly the sketch one scan over all the data would have built, whatever the
//! sharding.
//!
//! The inputs are record fingerprint keys, which are already uniformly distributed
//! 64-bit hashes (the low half of XXH3-128), so no hashing happens here. The estimate
//! is Ertl's improved raw estimator ("New cardinality estimation algorithms for
//! HyperLogLog sketches", 2017): accurate over the whole range, from a handful of
//! records to billions, without the empirical bias tables of HLL++.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// Register index bits: 2^14 registers, a relative standard error of 1.04/√16384 ≈ 0.81%,
/// 16 KiB per sketch.
pub const PRECISION: u32 = 14;
const REGISTERS: usize = 1 << PRECISION;
/// Bits left for the rank once the index is taken.
const RANK_BITS: u32 = 64 - PRECISION;

/// The sketch itself: one rank (0..=51) per register.
#[derive(Clone, PartialEq, Eq)]
pub struct HyperLogLog {
    registers: Box<[u8]>,
}

impl Default for HyperLogLog {
    fn default() -> Self {
        HyperLogLog {
            registers: vec![0; REGISTERS].into_boxed_slice(),
        }
    }
}

impl std::fmt::Debug for HyperLogLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HyperLogLog(≈{})", self.estimate())
    }
}

impl HyperLogLog {
    /// Adds one already-hashed key.
    pub fn insert(&mut self, key: u64) {
        let index = (key >> RANK_BITS) as usize;
        let rest = key << PRECISION;
        // Leading zeros of the remaining bits, plus one; all-zero bits rank highest.
        let rank = (rest.leading_zeros().min(RANK_BITS) + 1) as u8;
        let register = &mut self.registers[index];
        *register = (*register).max(rank);
    }

    /// Register-wise maximum: the sketch of the union of both inputs.
    pub fn merge(&mut self, other: &HyperLogLog) {
        for (mine, theirs) in self.registers.iter_mut().zip(other.registers.iter()) {
            *mine = (*mine).max(*theirs);
        }
    }

    /// The estimated number of distinct keys inserted.
    pub fn estimate(&self) -> u64 {
        let m = REGISTERS as f64;
        let q = RANK_BITS as usize;
        let mut histogram = vec![0u64; q + 2];
        for &r in self.registers.iter() {
            histogram[usize::from(r).min(q + 1)] += 1;
        }
        let mut z = m * tau(1.0 - histogram[q + 1] as f64 / m);
        for k in (1..=q).rev() {
            z = 0.5 * (z + histogram[k] as f64);
        }
        z += m * sigma(histogram[0] as f64 / m);
        let alpha_inf = 1.0 / (2.0 * std::f64::consts::LN_2);
        (alpha_inf * m * m / z).round() as u64
    }

    /// The registers as base64, for `summary.json`.
    pub fn encode(&self) -> String {
        STANDARD.encode(&self.registers)
    }

    /// Reads registers written by [`HyperLogLog::encode`]; `None` when they are not a
    /// sketch of this precision.
    pub fn decode(text: &str) -> Option<HyperLogLog> {
        let bytes = STANDARD.decode(text).ok()?;
        let valid =
            bytes.len() == REGISTERS && bytes.iter().all(|&r| u32::from(r) <= RANK_BITS + 1);
        valid.then(|| HyperLogLog {
            registers: bytes.into_boxed_slice(),
        })
    }
}

/// Ertl's σ: the correction for registers still at zero (small cardinalities).
fn sigma(x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut x, mut y, mut z) = (x, 1.0, x);
    loop {
        x *= x;
        let previous = z;
        z += x * y;
        y += y;
        if z == previous {
            return z;
        }
    }
}

/// Ertl's τ: the correction for saturated registers (cardinalities near 2^64).
fn tau(x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut x, mut y, mut z) = (x, 1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let previous = z;
        y *= 0.5;
        z -= (1.0 - x).powi(2) * y;
        if z == previous {
            return z / 3.0;
        }
    }
}

/// A sketch as `summary.json` records it: what it counts, its estimate and error bound,
/// and the registers another audit's sketch merges with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SketchSummary {
    /// The sketch type, `hyperloglog`; another type is read but never merged.
    pub kind: String,
    /// Precision (log2 of the register count); sketches merge only at equal precision.
    pub precision: u32,
    /// One standard error, relative: about two in three estimates fall within it, 95%
    /// within twice it.
    pub relative_standard_error: f64,
    /// Estimated distinct records.
    pub distinct_estimate: u64,
    /// The registers, base64, for merging with other audits' sketches.
    pub registers: String,
}

impl SketchSummary {
    /// The summary form of `sketch`.
    pub fn of(sketch: &HyperLogLog) -> Self {
        SketchSummary {
            kind: "hyperloglog".into(),
            precision: PRECISION,
            relative_standard_error: relative_standard_error(),
            distinct_estimate: sketch.estimate(),
            registers: sketch.encode(),
        }
    }

    /// The sketch back, when it is one this version can merge.
    pub fn sketch(&self) -> Option<HyperLogLog> {
        (self.kind == "hyperloglog" && self.precision == PRECISION)
            .then(|| HyperLogLog::decode(&self.registers))
            .flatten()
    }
}

/// 1.04/√m, rounded to four places so the figure reads the same in every summary.
pub fn relative_standard_error() -> f64 {
    (1.04 / (REGISTERS as f64).sqrt() * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxhash_rust::xxh3::xxh3_64;

    fn sketch_of(range: std::ops::Range<u64>) -> HyperLogLog {
        let mut hll = HyperLogLog::default();
        range.for_each(|i| hll.insert(xxh3_64(&i.to_le_bytes())));
        hll
    }

    #[test]
    fn estimates_within_a_few_standard_errors_across_the_range() {
        assert_eq!(HyperLogLog::default().estimate(), 0);
        for n in [1u64, 10, 1_000, 20_000, 300_000] {
            let estimate = sketch_of(0..n).estimate() as f64;
            let error = (estimate - n as f64).abs() / n as f64;
            assert!(error < 4.0 * relative_standard_error(), "{n}: {estimate}");
        }
    }

    #[test]
    fn merging_equals_sketching_the_union_and_ignores_repeats() {
        let mut merged = sketch_of(0..50_000);
        merged.merge(&sketch_of(25_000..90_000));
        assert_eq!(merged, sketch_of(0..90_000));
        let mut again = merged.clone();
        again.merge(&sketch_of(10..20));
        assert_eq!(again, merged);
    }

    #[test]
    fn round_trips_through_the_summary_and_rejects_foreign_registers() {
        let sketch = sketch_of(0..5_000);
        let summary = SketchSummary::of(&sketch);
        assert_eq!(summary.relative_standard_error, 0.0081);
        assert_eq!(summary.sketch(), Some(sketch));
        assert!(HyperLogLog::decode("AAAA").is_none());
        let bad = STANDARD.encode(vec![60u8; REGISTERS]);
        assert!(HyperLogLog::decode(&bad).is_none());
    }
}
