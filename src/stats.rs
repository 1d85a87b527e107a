//! Scan counters. Workers add to them concurrently (atomics), the reporter
//! reads a [`StatsSnapshot`] at the end.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Counters shared by all workers of one scan.
#[derive(Debug, Default)]
pub struct Stats {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    pub blobs: AtomicU64,
    pub commits: AtomicU64,
    pub skipped: AtomicU64,
    /// Findings dropped by inline ignores (`credsweep:allow`, …).
    pub suppressed_inline: AtomicU64,
    /// Findings dropped by config allowlists, disabled rules, the config's
    /// severity and confidence floors.
    pub suppressed_config: AtomicU64,
    /// Findings dropped by `--min-severity`, `--min-confidence`, `--only`.
    pub filtered: AtomicU64,
    /// Findings dropped because the baseline already holds them.
    pub suppressed_baseline: AtomicU64,
}

impl Stats {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Relaxed);
    }

    pub fn snapshot(&self, duration_ms: u64) -> StatsSnapshot {
        StatsSnapshot {
            files: self.files.load(Relaxed),
            bytes: self.bytes.load(Relaxed),
            blobs: self.blobs.load(Relaxed),
            commits: self.commits.load(Relaxed),
            skipped: self.skipped.load(Relaxed),
            duration_ms,
            suppressed_inline: self.suppressed_inline.load(Relaxed),
            suppressed_config: self.suppressed_config.load(Relaxed),
            suppressed_baseline: self.suppressed_baseline.load(Relaxed),
            filtered: self.filtered.load(Relaxed),
        }
    }
}

/// The `stats` object of the JSON report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsSnapshot {
    pub files: u64,
    pub bytes: u64,
    pub blobs: u64,
    pub commits: u64,
    pub skipped: u64,
    pub duration_ms: u64,
    #[serde(skip)]
    pub suppressed_inline: u64,
    #[serde(skip)]
    pub suppressed_config: u64,
    #[serde(skip)]
    pub suppressed_baseline: u64,
    #[serde(skip)]
    pub filtered: u64,
}
