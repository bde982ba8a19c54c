//! SplitMix64 (Steele, Lea and Flood 2014): a small, fully specified generator, so a
//! seed draws the same numbers on every platform and in every future version (a
//! library PRNG's stream may change between its releases). Review samples need that
//! for reproducible draws, retry jitter for reproducible tests.

use std::sync::atomic::{AtomicU64, Ordering};

/// The generator's increment (the golden ratio in 64 bits).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function over one state.
fn mix(state: u64) -> u64 {
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One generator, owned by one user.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// The generator whose first output is `mix(seed + GAMMA)`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        mix(self.0)
    }

    /// Uniform in `0..n` without modulo bias (Lemire's multiply-and-reject).
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }
}

/// One SplitMix64 stream shared by threads without a lock: each draw claims the next
/// state with one atomic add, so concurrent retries never draw the same number.
#[derive(Debug)]
pub struct SharedSplitMix64(AtomicU64);

impl SharedSplitMix64 {
    /// The stream that a [`SplitMix64`] seeded with `seed` would produce.
    pub fn new(seed: u64) -> Self {
        SharedSplitMix64(AtomicU64::new(seed))
    }

    /// Uniform in `0..n`, from the next state of the stream.
    pub fn below(&self, n: u64) -> u64 {
        let state = self.0.fetch_add(GAMMA, Ordering::Relaxed);
        SplitMix64::new(state).below(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_sequence() {
        // The reference outputs of SplitMix64 from seed 1234567.
        let mut rng = SplitMix64::new(1234567);
        assert_eq!(rng.next_u64(), 6457827717110365317);
        assert_eq!(rng.next_u64(), 3203168211198807973);
    }

    #[test]
    fn the_shared_stream_draws_what_one_generator_would() {
        let shared = SharedSplitMix64::new(42);
        let mut own = SplitMix64::new(42);
        for n in [10u64, 1000, 1 << 40] {
            let expected = SplitMix64::new(own.0).below(n);
            own.0 = own.0.wrapping_add(GAMMA);
            assert_eq!(shared.below(n), expected);
            assert!(expected < n);
        }
    }
}
