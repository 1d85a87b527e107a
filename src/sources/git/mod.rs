//! Git history as a source: every unique blob of every commit reachable from
//! any ref, each read and scanned once, findings attributed to the commit that
//! first introduced the blob; plus `--staged`, the index against `HEAD`.
//!
//! The stages, one file each:
//!
//! ```text
//!  enumerate.rs  refs → topological walk (oldest first) → trees each commit
//!                introduces → (blob id, path, commit) at first appearance,
//!                handed on in growing windows while the walk goes on
//!  scan.rs       each window in pack order (pack_order.rs) → `git cat-file`
//!                when available (catfile.rs), else libgit2 → rayon workers
//!                → Detector; when all is scanned, dedupe per (rule, path,
//!                secret) → commit metadata
//!  staged.rs     HEAD tree vs index → staged blobs → findings on added lines
//! ```
//!
//! This module knows nothing of rules or output: it hands [`crate::sources::Blob`]s
//! to a [`crate::detectors::Detector`] and returns findings, unsorted.

pub mod catfile;
pub mod enumerate;
pub mod pack_order;
pub mod scan;
pub mod staged;

use crate::error::{Error, Result};
use crate::finding::CommitInfo;
use std::path::Path;

pub use scan::scan_history;
pub use staged::scan_staged;

/// Default `--max-file-size` for blobs: the same 100 MiB as for files.
pub const DEFAULT_MAX_BLOB_SIZE: u64 = crate::sources::fs::DEFAULT_MAX_FILE_SIZE;

/// How to scan a repository.
#[derive(Debug, Clone)]
pub struct GitOptions {
    /// `--since REV`: hide commits reachable from REV and what they contain.
    pub since: Option<String>,
    /// Blobs larger than this many bytes are skipped (and counted).
    pub max_blob_size: u64,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
}

impl Default for GitOptions {
    fn default() -> Self {
        GitOptions {
            since: None,
            max_blob_size: DEFAULT_MAX_BLOB_SIZE,
            threads: 0,
        }
    }
}

/// Receives progress of a history scan. The CLI draws it on a terminal; the
/// library never prints. Called from several threads.
pub trait Progress: Sync {
    /// `n` more commits were enumerated.
    fn commits(&self, _n: u64) {}
    /// `blobs` more unique blobs were queued for scanning. Called once per
    /// window while commits are still being enumerated, so the total grows
    /// until the walk ends.
    fn blobs_found(&self, _blobs: u64) {}
    /// One blob of `bytes` bytes was read (scanned or skipped).
    fn blob_done(&self, _bytes: u64) {}
    /// The scan is over.
    fn finish(&self) {}
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Opens the repository at `path` (a work tree, a folder inside one, a
/// `.git` folder or a bare repository), as `git` would find it.
pub fn open(path: &Path) -> Result<git2::Repository> {
    git2::Repository::open_ext(
        path,
        git2::RepositoryOpenFlags::empty(),
        std::iter::empty::<&std::ffi::OsStr>(),
    )
    .map_err(|e| {
        if e.code() == git2::ErrorCode::NotFound {
            Error::Other(format!("{}: not a git repository", path.display()))
        } else {
            Error::Other(format!(
                "{}: cannot open repository: {}",
                path.display(),
                e.message()
            ))
        }
    })
}

/// The `commit` object of a finding: full id, author, email, RFC 3339 author
/// date (with the author's UTC offset) and the message's first line. Names
/// and messages that are not UTF-8 are decoded lossily.
pub fn commit_info(commit: &git2::Commit) -> CommitInfo {
    let author = commit.author();
    let when = author.when();
    CommitInfo {
        id: commit.id().to_string(),
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        date: rfc3339(when.seconds(), when.offset_minutes()),
        summary: commit
            .summary_bytes()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default(),
    }
}

/// Formats seconds since the Unix epoch, shown at a UTC offset in minutes, as
/// RFC 3339 (`2024-03-01T12:00:00+01:00`; UTC is `+00:00`, as git prints it).
pub fn rfc3339(seconds: i64, offset_minutes: i32) -> String {
    let local = seconds + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        off / 60,
        off % 60
    )
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian
/// calendar (H. Hinnant's `civil_from_days`, exact for every i64 day count
/// a commit can carry).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Tunes libgit2 for a read-only scan.
///
/// Caps its process-wide memory so a history of several GB stays within a
/// few hundred MB of RSS: pack windows are mapped 32 MiB at a time, at most
/// 64 MiB at once (the default maps up to 8 GiB, and every touched page of a
/// mapped pack counts as resident), and the object cache is off: the
/// enumerator reads each tree and commit once, so the cache only held memory
/// (57 MB of RSS and a third of the enumeration time on bench/git.sh's
/// 10,000-commit history).
///
/// It also turns off re-hashing every object read (as `git cat-file` does):
/// SHA-1 with collision detection was 22% of a history scan's CPU time
/// (perf, bench/git.sh). A corrupt object still fails to inflate and becomes
/// a warning.
pub(crate) fn tune_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        git2::opts::strict_hash_verification(false);
        git2::opts::enable_caching(false);
        // SAFETY: these set libgit2 globals; `call_once` runs them once, and
        // before this module opens any repository or starts any worker.
        unsafe {
            let _ = git2::opts::set_mwindow_size(32 * 1024 * 1024);
            let _ = git2::opts::set_mwindow_mapped_limit(64 * 1024 * 1024);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_offsets_and_dates() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00+00:00");
        // 2005-04-07T22:13:13Z, git's first commit, shown at -07:00
        assert_eq!(rfc3339(1_112_911_993, -420), "2005-04-07T15:13:13-07:00");
        assert_eq!(rfc3339(1_709_294_400, 60), "2024-03-01T13:00:00+01:00");
        assert_eq!(rfc3339(951_782_400, 0), "2000-02-29T00:00:00+00:00");
        assert_eq!(rfc3339(-1, 0), "1969-12-31T23:59:59+00:00");
        assert_eq!(rfc3339(0, 330), "1970-01-01T05:30:00+05:30");
    }
}
