//! The clock of the linear-time tests: what a piece of work cost the calling thread.
//!
//! Those tests compare the cost per byte of one input at two sizes (a quadratic
//! matcher costs four times as much per byte at four times the size). On the CI's two
//! cores several test binaries run at once, so a wall clock also counts the time the
//! thread waited for a core, and a ratio of wall times flaked (`pii_adversarial` failed
//! once at load 5–13 and passed on a rerun). The thread's own CPU time does not count
//! the waiting; it is read with `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` where the
//! system has it, and the wall clock stands in elsewhere.

use std::time::{Duration, Instant};

/// A started measurement.
pub struct CostClock {
    cpu: Option<Duration>,
    wall: Instant,
}

impl CostClock {
    pub fn start() -> CostClock {
        CostClock {
            cpu: thread_cpu(),
            wall: Instant::now(),
        }
    }

    /// The calling thread's CPU time since [`CostClock::start`] (wall time where the
    /// system does not report it). Call it on the thread that started the clock.
    pub fn elapsed(&self) -> Duration {
        match (self.cpu, thread_cpu()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => self.wall.elapsed(),
        }
    }
}

#[cfg(unix)]
fn thread_cpu() -> Option<Duration> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the call only writes it.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    (status == 0).then(|| {
        Duration::new(
            u64::try_from(now.tv_sec).unwrap_or(0),
            u32::try_from(now.tv_nsec).unwrap_or(0),
        )
    })
}

#[cfg(not(unix))]
fn thread_cpu() -> Option<Duration> {
    None
}
