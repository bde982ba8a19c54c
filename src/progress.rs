//! The progress bar: files and bytes done, shown only on a terminal.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Scan progress for a human watching: never part of any output.
pub struct Progress {
    bar: Option<ProgressBar>,
    files_total: u64,
    files_done: u64,
}

impl Progress {
    /// A bar on stderr when `enabled` and stderr is a terminal; otherwise a no-op, so
    /// logs of scheduled runs stay clean.
    pub fn new(enabled: bool, bytes_total: u64, files_total: u64) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(bytes_total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let progress = Progress {
            bar,
            files_total,
            files_done: 0,
        };
        progress.show_files();
        progress
    }

    /// Marks `bytes` read and `files` finished.
    pub fn advance(&mut self, bytes: u64, files: u64) {
        self.files_done += files;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
        if files > 0 {
            self.show_files();
        }
    }

    fn show_files(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}/{} files", self.files_done, self.files_total));
        }
    }

    /// Removes the bar so the summary prints on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
