//! Progress of a long run, for a person at a terminal and for a scheduler's log.
//!
//! The work only bumps atomic counters ([`Meter`]); a reporter thread reads them and
//! draws. On a terminal that is a bar by bytes with an ETA; anywhere else (a cron
//! mail, `kubectl logs`, a Slurm file) one line every `--progress-interval`, plain or
//! as JSON (`--log-format json`), plus one when a phase ends. Lines hold counts and
//! rates only, never a path or a value, so no personal information can reach a log.
//! Nothing here is part of any output file. (`bytesource::Metered` counts a file's
//! bytes into a [`Meter`] as they are read.)

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The default `--progress-interval`: often enough that a stuck job shows, rarely
/// enough that a week of nightly logs stays readable.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);

/// How often the terminal bar is redrawn from the counters.
const BAR_TICK: Duration = Duration::from_millis(150);

/// What progress is wanted, from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressOptions {
    /// Any progress at all (`--quiet` and `--json` turn it off).
    pub enabled: bool,
    /// Lines are written this often when not drawing a bar; zero writes none.
    pub interval: Duration,
    /// Plain lines or JSON lines.
    pub format: LogFormat,
}

impl ProgressOptions {
    /// No progress: library callers and tests.
    pub const OFF: ProgressOptions = ProgressOptions {
        enabled: false,
        interval: DEFAULT_INTERVAL,
        format: LogFormat::Text,
    };
}

impl Default for ProgressOptions {
    fn default() -> Self {
        ProgressOptions::OFF
    }
}

/// `--log-format`: how progress lines are written when stderr is not a terminal
/// (`json` also replaces the terminal bar, for tools that capture a pty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// `provaudit: scan 1.2 GiB/4.0 GiB (30%) …`
    #[default]
    Text,
    /// One JSON object per line, keys as in README ("Progress in logs").
    Json,
}

/// The stage of a run a reporter follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Listing the roots: totals are not known yet; counts are what was found.
    List,
    /// Reading and analysing the files.
    Scan,
    /// `verify` hashing the data again.
    Verify,
}

impl Phase {
    /// The `phase` value of progress lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::List => "list",
            Phase::Scan => "scan",
            Phase::Verify => "verify",
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    files_done: AtomicU64,
    files_total: AtomicU64,
    bytes_done: AtomicU64,
    bytes_total: AtomicU64,
}

/// Counters shared by the workers and the reporter. A default meter is detached:
/// counting into it costs an atomic add and shows nowhere.
#[derive(Debug, Clone, Default)]
pub struct Meter(Arc<Counters>);

/// The counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Files finished (listing: found).
    pub files_done: u64,
    /// Files to do (listing: 0, not known yet).
    pub files_total: u64,
    /// Bytes read (listing: found).
    pub bytes_done: u64,
    /// Bytes to read (listing: 0, not known yet).
    pub bytes_total: u64,
}

impl Meter {
    /// Listing found one more file of `bytes`.
    pub fn found(&self, bytes: u64) {
        self.add(1, bytes);
    }

    /// What the phase has to do.
    pub fn set_total(&self, files: u64, bytes: u64) {
        self.0.files_total.store(files, Ordering::Relaxed);
        self.0.bytes_total.store(bytes, Ordering::Relaxed);
    }

    /// `files` finished and `bytes` read.
    pub fn add(&self, files: u64, bytes: u64) {
        if files > 0 {
            self.0.files_done.fetch_add(files, Ordering::Relaxed);
        }
        if bytes > 0 {
            self.0.bytes_done.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    /// The counters now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            files_done: self.0.files_done.load(Ordering::Relaxed),
            files_total: self.0.files_total.load(Ordering::Relaxed),
            bytes_done: self.0.bytes_done.load(Ordering::Relaxed),
            bytes_total: self.0.bytes_total.load(Ordering::Relaxed),
        }
    }
}

/// A running reporter for one phase; [`Progress::finish`] (or dropping it) stops it.
pub struct Progress {
    meter: Meter,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts reporting `phase` on stderr as `options` ask: a bar on a terminal,
    /// lines elsewhere (none at all with an interval of 0), nothing when disabled.
    pub fn start(options: ProgressOptions, phase: Phase) -> Progress {
        let meter = Meter::default();
        let terminal = std::io::stderr().is_terminal();
        let display = match options {
            ProgressOptions { enabled: false, .. } => None,
            ProgressOptions {
                format: LogFormat::Text,
                ..
            } if terminal => Some(Display::Bar(bar(phase))),
            ProgressOptions { interval, .. } if interval.is_zero() => None,
            ProgressOptions { format, .. } => Some(Display::Lines(Lines::new(
                phase,
                format,
                Box::new(std::io::stderr()),
            ))),
        };
        let Some(display) = display else {
            return Progress {
                meter,
                stop: None,
                thread: None,
            };
        };
        let (stop, stopped) = mpsc::channel();
        let tick = match display {
            Display::Bar(_) => BAR_TICK,
            Display::Lines(_) => options.interval,
        };
        let watched = meter.clone();
        let thread = std::thread::Builder::new()
            .name("provaudit-progress".into())
            .spawn(move || report(display, &watched, tick, &stopped))
            .ok();
        Progress {
            meter,
            stop: Some(stop),
            thread,
        }
    }

    /// The counters this reporter shows.
    pub fn meter(&self) -> &Meter {
        &self.meter
    }

    /// Ends the phase: a last line in logs, the bar removed on a terminal, so what
    /// prints next starts on a clean line.
    pub fn finish(mut self) {
        if let Some(stop) = &self.stop {
            let _ = stop.send(());
        }
        self.stop_reporter();
    }

    /// Stops the reporter; without [`Progress::finish`] first (the phase failed) it
    /// writes no last line, so a log never says "done" of a phase that was not.
    fn stop_reporter(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_reporter();
    }
}

enum Display {
    Bar(ProgressBar),
    Lines(Lines),
}

/// The reporter thread: redraws every `tick` until told the phase finished (then
/// writes its last state) or abandoned (the sender dropped: writes nothing more).
fn report(mut display: Display, meter: &Meter, tick: Duration, stopped: &mpsc::Receiver<()>) {
    let started = Instant::now();
    loop {
        let (done, abandoned) = match stopped.recv_timeout(tick) {
            Err(mpsc::RecvTimeoutError::Timeout) => (false, false),
            Ok(()) => (true, false),
            Err(mpsc::RecvTimeoutError::Disconnected) => (true, true),
        };
        let now = meter.snapshot();
        match &mut display {
            Display::Bar(bar) if done => bar.finish_and_clear(),
            Display::Bar(bar) => draw(bar, &now),
            Display::Lines(_) if abandoned => {}
            Display::Lines(lines) => lines.write(&now, started.elapsed(), done),
        }
        if done {
            return;
        }
    }
}

fn bar(phase: Phase) -> ProgressBar {
    let template = match phase {
        Phase::List => "{spinner} listing: {msg}",
        Phase::Scan | Phase::Verify => {
            "{spinner} {prefix} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}"
        }
    };
    let style =
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar =
        ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr()).with_style(style);
    bar.set_prefix(phase.as_str());
    bar
}

fn draw(bar: &ProgressBar, now: &Snapshot) {
    if now.bytes_total == 0 && now.files_total == 0 {
        bar.set_message(format!(
            "{} files, {} found so far",
            now.files_done,
            human_bytes(now.bytes_done)
        ));
        bar.tick();
        return;
    }
    bar.set_length(now.bytes_total);
    bar.set_position(now.bytes_done.min(now.bytes_total));
    bar.set_message(format!("{}/{} files", now.files_done, now.files_total));
}

/// Progress lines for logs. Pure apart from the writer: tests give it a buffer and
/// the elapsed times of a fake clock.
pub struct Lines {
    phase: Phase,
    format: LogFormat,
    out: Box<dyn Write + Send>,
}

impl Lines {
    /// Lines about `phase` in `format`, written to `out`.
    pub fn new(phase: Phase, format: LogFormat, out: Box<dyn Write + Send>) -> Lines {
        Lines { phase, format, out }
    }

    /// Writes one line for the counters `now`, `elapsed` after the phase began;
    /// `done` marks the phase's last line. A log that cannot be written is not worth
    /// failing the audit for, so errors are dropped.
    pub fn write(&mut self, now: &Snapshot, elapsed: Duration, done: bool) {
        let line = match self.format {
            LogFormat::Text => self.text(now, elapsed, done),
            LogFormat::Json => self.json(now, elapsed, done),
        };
        let _ = writeln!(self.out, "{line}").and_then(|()| self.out.flush());
    }

    fn text(&self, now: &Snapshot, elapsed: Duration, done: bool) -> String {
        let phase = self.phase.as_str();
        let seconds = elapsed.as_secs_f64();
        let rate = rate(now.bytes_done, seconds);
        if self.phase == Phase::List {
            let state = if done { "listed in" } else { "found so far," };
            return format!(
                "provaudit: {phase}: {} files, {} {state} {}",
                now.files_done,
                human_bytes(now.bytes_done),
                clock(seconds)
            );
        }
        let percent = if now.bytes_total > 0 {
            100.0 * now.bytes_done.min(now.bytes_total) as f64 / now.bytes_total as f64
        } else {
            100.0
        };
        let tail = match (done, eta(now, rate)) {
            (true, _) => format!("done in {}", clock(seconds)),
            (false, Some(eta)) => format!("ETA {}", clock(eta)),
            (false, None) => "ETA unknown".to_string(),
        };
        format!(
            "provaudit: {phase}: {}/{} ({percent:.0}%), {}/{} files, {:.1} MB/s, {tail}",
            human_bytes(now.bytes_done),
            human_bytes(now.bytes_total),
            now.files_done,
            now.files_total,
            rate / 1e6,
        )
    }

    fn json(&self, now: &Snapshot, elapsed: Duration, done: bool) -> String {
        let seconds = elapsed.as_secs_f64();
        let rate = rate(now.bytes_done, seconds);
        let listing = self.phase == Phase::List;
        let total = |n: u64| (!listing).then_some(n);
        serde_json::json!({
            "event": "progress",
            "phase": self.phase.as_str(),
            "done": done,
            "elapsed_s": round3(seconds),
            "files_done": now.files_done,
            "files_total": total(now.files_total),
            "bytes_done": now.bytes_done,
            "bytes_total": total(now.bytes_total),
            "bytes_per_s": rate.round() as u64,
            "eta_s": if done || listing { None } else { eta(now, rate).map(round3) },
        })
        .to_string()
    }
}

fn rate(bytes: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        bytes as f64 / seconds
    } else {
        0.0
    }
}

/// Seconds left at the rate so far; `None` before anything was read.
fn eta(now: &Snapshot, rate: f64) -> Option<f64> {
    (rate > 0.0).then(|| now.bytes_total.saturating_sub(now.bytes_done) as f64 / rate)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `h:mm:ss`.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Bytes in binary units, as the terminal summary prints them.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer the test can read back after the reporter owns it.
    #[derive(Clone, Default)]
    struct Shared(Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn lines(&self) -> Vec<String> {
            let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
            String::from_utf8_lossy(&bytes)
                .lines()
                .map(str::to_string)
                .collect()
        }
    }

    fn scan_snapshot() -> Snapshot {
        Snapshot {
            files_done: 3,
            files_total: 10,
            bytes_done: 50_000_000,
            bytes_total: 200_000_000,
        }
    }

    #[test]
    fn json_lines_parse_with_stable_keys() {
        let out = Shared::default();
        let mut lines = Lines::new(Phase::Scan, LogFormat::Json, Box::new(out.clone()));
        lines.write(&scan_snapshot(), Duration::from_secs(10), false);
        let mut finished = scan_snapshot();
        finished.files_done = 10;
        finished.bytes_done = 200_000_000;
        lines.write(&finished, Duration::from_secs(40), true);
        let written = out.lines();
        assert_eq!(written.len(), 2);
        let first: serde_json::Value = serde_json::from_str(&written[0]).expect("JSON");
        assert_eq!(first["event"], "progress");
        assert_eq!(first["phase"], "scan");
        assert_eq!(first["done"], false);
        assert_eq!(first["bytes_done"], 50_000_000);
        assert_eq!(first["bytes_total"], 200_000_000);
        assert_eq!(first["files_done"], 3);
        assert_eq!(first["files_total"], 10);
        assert_eq!(first["bytes_per_s"], 5_000_000);
        assert_eq!(first["eta_s"], 30.0);
        let last: serde_json::Value = serde_json::from_str(&written[1]).expect("JSON");
        assert_eq!(last["done"], true);
        assert!(last["eta_s"].is_null());
    }

    #[test]
    fn plain_lines_say_bytes_files_rate_and_eta() {
        let out = Shared::default();
        let mut lines = Lines::new(Phase::Verify, LogFormat::Text, Box::new(out.clone()));
        lines.write(&scan_snapshot(), Duration::from_secs(10), false);
        let written = out.lines();
        assert_eq!(
            written,
            ["provaudit: verify: 47.7 MiB/190.7 MiB (25%), 3/10 files, 5.0 MB/s, ETA 0:00:30"]
        );
    }

    #[test]
    fn listing_lines_count_what_was_found_without_totals() {
        let out = Shared::default();
        let mut lines = Lines::new(Phase::List, LogFormat::Json, Box::new(out.clone()));
        let found = Snapshot {
            files_done: 7,
            bytes_done: 4096,
            ..Snapshot::default()
        };
        lines.write(&found, Duration::ZERO, false);
        let line: serde_json::Value = serde_json::from_str(&out.lines()[0]).expect("JSON");
        assert_eq!(line["phase"], "list");
        assert_eq!(line["files_done"], 7);
        assert!(line["files_total"].is_null() && line["eta_s"].is_null());
        assert_eq!(line["bytes_per_s"], 0);
    }
}
