//! Scanning the enumerated history: every unique blob read and scanned once,
//! in parallel, then findings deduplicated and attributed.
//!
//! Workers are the threads of a rayon pool, each running once
//! (`ThreadPool::broadcast`) with its own `git2::Repository` (a handle cannot
//! be shared across threads) and its own detector scratch space. They pull
//! blobs in chunks of [`CHUNK`] from a shared counter over the blobs sorted
//! by pack offset ([`super::pack_order`]), so delta bases are found in the
//! cache rather than inflated again, and only one blob per
//! worker is in memory at a time: memory stays bounded whatever the history
//! holds. (`par_iter().for_each_init` would open a handle per rayon split,
//! not per thread.)
//!
//! A secret that survives through many versions of a file is found in each
//! version's blob; the report keeps it once per (rule, path, secret) — the
//! finding's fingerprint — from the earliest blob in topological order, i.e.
//! at the commit that introduced it. With `--since`, secrets found in a
//! path's prior version (the base's blob) are dropped as pre-existing.

use super::catfile::{self, Item};
use super::enumerate::{BlobTask, History, PRIOR, enumerate};
use super::pack_order::pack_order;
use super::{GitOptions, Progress, commit_info, open, tune_libgit2};
use crate::detectors::{Detector, WorkerState};
use crate::error::{Error, Result};
use crate::finding::{CommitInfo, Finding};
use crate::sources::fs::WarnFn;
use crate::sources::{Blob, looks_binary};
use crate::stats::Stats;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc::Receiver;

/// Blobs a worker takes at a time: large enough that the shared counter is
/// not contended, small enough that two workers finish together.
pub const CHUNK: usize = 32;

/// Scans the history of the repository at `path` (see the module doc) and
/// returns its findings, unsorted, each with its `commit`.
pub fn scan_history(
    path: &Path,
    opts: &GitOptions,
    detector: &Detector,
    stats: &Stats,
    warn: WarnFn,
    progress: &dyn Progress,
) -> Result<Vec<Finding>> {
    tune_libgit2();
    let repo = open(path)?;
    let history = enumerate(&repo, opts.since.as_deref(), stats, warn, progress)?;
    Stats::add(&stats.commits, history.commits_walked);
    progress.start_blobs(history.blobs.len() as u64);

    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("starting {threads} worker threads: {e}")))?;
    let oids: Vec<git2::Oid> = history.blobs.iter().map(|b| b.oid).collect();
    let order = pack_order(&repo.commondir().join("objects"), &oids);
    drop(oids);
    let mut job = Job {
        git_dir: repo.path(),
        history: &history,
        order,
        next: AtomicUsize::new(0),
        feed: None,
        opts,
        detector,
        stats,
        warn,
        progress,
        found: Mutex::new(Vec::new()),
    };
    match catfile::spawn(repo.path()) {
        Some(mut child) => {
            let (tx, rx) = std::sync::mpsc::sync_channel(4 * threads);
            job.feed = Some(Mutex::new(rx));
            let stdin = child.stdin.take();
            let job = &job;
            let oid = |i: u32| history.blobs[i as usize].oid;
            std::thread::scope(|s| {
                if let Some(stdin) = stdin {
                    s.spawn(move || catfile::write_ids(stdin, &job.order, &oid));
                } else {
                    let _ = child.kill();
                }
                s.spawn(move || {
                    catfile::read_blobs(&mut child, &job.order, &oid, opts.max_blob_size, &tx)
                });
                pool.broadcast(|_| job.work());
            });
        }
        None => {
            pool.broadcast(|_| job.work());
        }
    }
    let found = job.found.into_inner().unwrap_or_default();
    progress.finish();

    let mut findings = dedupe(found, &history);
    attribute(&repo, &history, &mut findings, warn);
    Ok(findings.into_iter().map(|(_, f)| f).collect())
}

struct Job<'a> {
    git_dir: &'a Path,
    history: &'a History,
    /// Indices into `history.blobs`, in the order to read them.
    order: Vec<u32>,
    /// Next position in `order` to take (libgit2-only reading).
    next: AtomicUsize,
    /// Blobs streamed by `git cat-file` in `order`, when it runs.
    feed: Option<Mutex<Receiver<Item>>>,
    opts: &'a GitOptions,
    detector: &'a Detector,
    stats: &'a Stats,
    warn: WarnFn<'a>,
    progress: &'a dyn Progress,
    /// (index into `history.blobs`, finding).
    found: Mutex<Vec<(usize, Finding)>>,
}

impl Job<'_> {
    /// One worker: opens its own handle, then scans until no blob is left,
    /// taking them from the `git cat-file` feed or, without one, in chunks
    /// of `order`. Without a handle it still drains the feed (the reader
    /// must never block), skipping what it would have had to read itself.
    fn work(&self) {
        let warn = |e: git2::Error| {
            (self.warn)(&format!("{}: {}", self.git_dir.display(), e.message()));
        };
        let repo = git2::Repository::open(self.git_dir).map_err(warn).ok();
        let odb = repo.as_ref().and_then(|r| r.odb().map_err(warn).ok());
        let odb = odb.as_ref();
        let mut state = WorkerState::default();
        let mut local = Vec::new();
        let blobs = &self.history.blobs;
        if let Some(feed) = &self.feed {
            loop {
                let item = match feed.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok(item) = item else { break };
                let (i, found) = match item {
                    Item::Bytes(i, bytes) => {
                        (i, self.scan_bytes(&blobs[i as usize], &bytes, &mut state))
                    }
                    Item::TooBig(i) => (i, self.skip(&blobs[i as usize], None, 0)),
                    Item::Fallback(i) => {
                        (i, self.read_and_scan(odb, &blobs[i as usize], &mut state))
                    }
                };
                local.extend(found.into_iter().map(|f| (i as usize, f)));
            }
        } else {
            loop {
                let start = self.next.fetch_add(CHUNK, Relaxed);
                if start >= self.order.len() {
                    break;
                }
                for &i in self.order.iter().skip(start).take(CHUNK) {
                    let found = self.read_and_scan(odb, &blobs[i as usize], &mut state);
                    local.extend(found.into_iter().map(|f| (i as usize, f)));
                }
            }
        }
        if !local.is_empty()
            && let Ok(mut all) = self.found.lock()
        {
            all.extend(local);
        }
    }

    /// Counts a blob as skipped (with a warning when `reason` says why).
    fn skip(&self, task: &BlobTask, reason: Option<String>, bytes: u64) -> Vec<Finding> {
        if let Some(r) = reason {
            let path = &*self.history.paths[task.path as usize];
            (self.warn)(&format!("{path}: blob {}: {r}", task.oid));
        }
        if task.commit != PRIOR {
            Stats::add(&self.stats.skipped, 1);
        }
        self.progress.blob_done(bytes);
        Vec::new()
    }

    /// Reads a blob with libgit2, then scans it.
    fn read_and_scan(
        &self,
        odb: Option<&git2::Odb>,
        task: &BlobTask,
        state: &mut WorkerState,
    ) -> Vec<Finding> {
        let Some(odb) = odb else {
            return self.skip(task, Some("no repository handle".into()), 0);
        };
        // The header is read first so an over-size blob is never inflated.
        let size = match odb.read_header(task.oid) {
            Ok((size, _)) => size as u64,
            Err(e) => return self.skip(task, Some(e.message().to_string()), 0),
        };
        if size > self.opts.max_blob_size {
            return self.skip(task, None, 0);
        }
        match odb.read(task.oid) {
            Ok(obj) => self.scan_bytes(task, obj.data(), state),
            Err(e) => self.skip(task, Some(e.message().to_string()), 0),
        }
    }

    /// Scans one blob's bytes (binary ones are skipped).
    fn scan_bytes(&self, task: &BlobTask, bytes: &[u8], state: &mut WorkerState) -> Vec<Finding> {
        if looks_binary(bytes) {
            return self.skip(task, None, bytes.len() as u64);
        }
        self.progress.blob_done(bytes.len() as u64);
        let blob = Blob {
            path: &self.history.paths[task.path as usize],
            bytes,
            first_line: 1,
            // attached after deduplication, for the few blobs with findings
            commit: None,
        };
        if task.commit == PRIOR {
            // a prior version's counts are not this scan's
            return self.detector.detect(&blob, state, &Stats::default());
        }
        Stats::add(&self.stats.blobs, 1);
        Stats::add(&self.stats.bytes, bytes.len() as u64);
        self.detector.detect(&blob, state, self.stats)
    }
}

/// Keeps each fingerprint (rule, path, secret) from its earliest blob only,
/// drops what a prior blob already held, and returns (blob index, finding).
/// Several findings of one fingerprint in the same blob (the secret on two
/// lines of one version) are all kept, as `scan` would report them.
fn dedupe(mut found: Vec<(usize, Finding)>, history: &History) -> Vec<(usize, Finding)> {
    found.sort_by_key(|(i, _)| *i);
    let is_prior = |i: usize| history.blobs[i].commit == PRIOR;
    let pre_existing: HashSet<String> = found
        .iter()
        .filter(|(i, _)| is_prior(*i))
        .map(|(_, f)| f.fingerprint.clone())
        .collect();
    let mut first: HashMap<String, usize> = HashMap::new();
    found
        .into_iter()
        .filter(|(i, f)| {
            if is_prior(*i) || pre_existing.contains(&f.fingerprint) {
                return false;
            }
            match first.entry(f.fingerprint.clone()) {
                Entry::Vacant(e) => {
                    e.insert(*i);
                    true
                }
                Entry::Occupied(e) => *e.get() == *i,
            }
        })
        .collect()
}

/// Fills each finding's `commit` from the commit that introduced its blob.
fn attribute(
    repo: &git2::Repository,
    history: &History,
    findings: &mut [(usize, Finding)],
    warn: WarnFn,
) {
    let mut cache: HashMap<u32, Option<CommitInfo>> = HashMap::new();
    for (i, f) in findings.iter_mut() {
        let idx = history.blobs[*i].commit;
        let info = cache.entry(idx).or_insert_with(|| {
            let oid = *history.commits.get(idx as usize)?;
            match repo.find_commit(oid) {
                Ok(c) => Some(commit_info(&c)),
                Err(e) => {
                    warn(&format!("commit {oid}: {}", e.message()));
                    None
                }
            }
        });
        f.commit = info.clone().map(Box::new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FindingKind, Location, Severity};
    use git2::Oid;

    fn finding(fp: &str, line: usize) -> Finding {
        Finding {
            rule_id: "r".into(),
            kind: FindingKind::Secret,
            severity: Severity::High,
            message: String::new(),
            location: Location {
                path: "p".into(),
                line,
                column: 1,
                end_line: line,
                end_column: 2,
            },
            secret: None,
            pod_security: None,
            commit: None,
            fingerprint: fp.into(),
            secret_hash: None,
            raw_secret: None,
        }
    }

    fn task(commit: u32) -> BlobTask {
        BlobTask {
            oid: Oid::ZERO_SHA1,
            commit,
            path: 0,
        }
    }

    #[test]
    fn dedupe_keeps_the_earliest_blob_per_fingerprint() {
        let history = History {
            blobs: vec![task(0), task(1), task(2), task(PRIOR)],
            ..History::default()
        };
        let found = vec![
            (2, finding("a", 9)), // later version of `a`: dropped
            (1, finding("a", 3)), // first blob with `a`: kept, both lines
            (1, finding("a", 4)),
            (0, finding("b", 1)), // only `b`: kept
            (2, finding("c", 1)), // `c` was in the prior version: dropped
            (3, finding("c", 1)), // the prior blob itself: never reported
        ];
        let kept: Vec<(usize, String, usize)> = dedupe(found, &history)
            .into_iter()
            .map(|(i, f)| (i, f.fingerprint, f.location.line))
            .collect();
        assert_eq!(
            kept,
            vec![
                (0, "b".to_string(), 1),
                (1, "a".to_string(), 3),
                (1, "a".to_string(), 4)
            ]
        );
    }
}
