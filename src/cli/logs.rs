//! `--progress-interval` and `--log-format`: how a long command reports progress
//! (see [`crate::progress`]), shared by `scan` and `verify`.

use std::time::Duration;

use clap::Args;

use crate::progress::{LogFormat, ProgressOptions};

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// When stderr is not a terminal (cron, Kubernetes, Slurm logs), write one
    /// progress line this often: bytes done and total, files, MB/s, ETA; and one when
    /// listing and reading end. A number of seconds or a duration (30s, 5m, 500ms);
    /// 0 writes none. A terminal gets a bar instead.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_interval)]
    pub progress_interval: Duration,

    /// Progress lines as plain text or as JSON lines (one object per line, keys in
    /// README); json also replaces the terminal bar.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

impl ProgressArgs {
    /// The progress wanted; `enabled` is false under `--quiet` or `--json`.
    pub fn options(&self, enabled: bool) -> ProgressOptions {
        ProgressOptions {
            enabled,
            interval: self.progress_interval,
            format: self.log_format,
        }
    }
}

/// Seconds (`30`, `2.5`) or a humantime duration (`30s`, `5m`, `1h 30m`, `500ms`).
fn parse_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds)
            .map_err(|_| format!("{text:?} is not a number of seconds of 0 or more"));
    }
    humantime::parse_duration(text).map_err(|e| {
        format!("{text:?} is not a duration ({e}); expected seconds (30) or 30s, 5m, 500ms, 1h")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_take_seconds_or_units() {
        assert_eq!(parse_interval("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_interval("0"), Ok(Duration::ZERO));
        assert_eq!(parse_interval("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_interval("500ms"), Ok(Duration::from_millis(500)));
        assert!(parse_interval("-1").is_err());
        assert!(parse_interval("soon").unwrap_err().contains("30s, 5m"));
    }
}
