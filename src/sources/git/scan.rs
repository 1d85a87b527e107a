//! Scanning the enumerated history: every unique blob read and scanned once,
//! in parallel, then findings deduplicated and attributed.
//!
//! Workers are the threads of a rayon pool, each running once
//! (`ThreadPool::broadcast`) with its own `git2::Repository` (a handle cannot
//! be shared across threads) and its own detector scratch space. They pull
//! blobs in chunks of [`CHUNK`] from a shared counter over the list in
//! first-appearance order, so neighbouring versions (which share pack delta
//! bases) tend to be inflated by the same worker, and only one blob per
//! worker is in memory at a time: memory stays bounded whatever the history
//! holds. (`par_iter().for_each_init` would open a handle per rayon split,
//! not per thread.)
//!
//! A secret that survives through many versions of a file is found in each
//! version's blob; the report keeps it once per (rule, path, secret) — the
//! finding's fingerprint — from the earliest blob in topological order, i.e.
//! at the commit that introduced it. With `--since`, secrets found in a
//! path's prior version (the base's blob) are dropped as pre-existing.

use super::enumerate::{BlobTask, History, PRIOR, enumerate};
use super::{GitOptions, Progress, commit_info, limit_libgit2_memory, open};
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
    limit_libgit2_memory();
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
    let job = Job {
        git_dir: repo.path(),
        history: &history,
        next: AtomicUsize::new(0),
        opts,
        detector,
        stats,
        warn,
        progress,
        found: Mutex::new(Vec::new()),
    };
    pool.broadcast(|_| job.work());
    let found = job.found.into_inner().unwrap_or_default();
    progress.finish();

    let mut findings = dedupe(found, &history);
    attribute(&repo, &history, &mut findings, warn);
    Ok(findings.into_iter().map(|(_, f)| f).collect())
}

struct Job<'a> {
    git_dir: &'a Path,
    history: &'a History,
    next: AtomicUsize,
    opts: &'a GitOptions,
    detector: &'a Detector,
    stats: &'a Stats,
    warn: WarnFn<'a>,
    progress: &'a dyn Progress,
    /// (index into `history.blobs`, finding).
    found: Mutex<Vec<(usize, Finding)>>,
}

impl Job<'_> {
    /// One worker: opens its own handle, then scans chunks until none is left.
    fn work(&self) {
        let repo = match git2::Repository::open(self.git_dir) {
            Ok(r) => r,
            Err(e) => {
                (self.warn)(&format!("{}: {}", self.git_dir.display(), e.message()));
                return;
            }
        };
        let odb = match repo.odb() {
            Ok(o) => o,
            Err(e) => {
                (self.warn)(&format!("{}: {}", self.git_dir.display(), e.message()));
                return;
            }
        };
        let mut state = WorkerState::default();
        let mut local = Vec::new();
        let blobs = &self.history.blobs;
        loop {
            let start = self.next.fetch_add(CHUNK, Relaxed);
            if start >= blobs.len() {
                break;
            }
            for (i, task) in blobs.iter().enumerate().skip(start).take(CHUNK) {
                for f in self.scan_blob(&odb, task, &mut state) {
                    local.push((i, f));
                }
            }
        }
        if !local.is_empty()
            && let Ok(mut all) = self.found.lock()
        {
            all.extend(local);
        }
    }

    fn scan_blob(&self, odb: &git2::Odb, task: &BlobTask, state: &mut WorkerState) -> Vec<Finding> {
        let path = &*self.history.paths[task.path as usize];
        let prior = task.commit == PRIOR;
        let skip = |reason: Option<String>, bytes: u64| {
            if let Some(r) = reason {
                (self.warn)(&format!("{path}: blob {}: {r}", task.oid));
            }
            if !prior {
                Stats::add(&self.stats.skipped, 1);
            }
            self.progress.blob_done(bytes);
            Vec::new()
        };
        // The header is read first so an over-size blob is never inflated.
        let size = match odb.read_header(task.oid) {
            Ok((size, _)) => size as u64,
            Err(e) => return skip(Some(e.message().to_string()), 0),
        };
        if size > self.opts.max_blob_size {
            return skip(None, 0);
        }
        let obj = match odb.read(task.oid) {
            Ok(o) => o,
            Err(e) => return skip(Some(e.message().to_string()), 0),
        };
        let bytes = obj.data();
        if looks_binary(bytes) {
            return skip(None, bytes.len() as u64);
        }
        self.progress.blob_done(bytes.len() as u64);
        let blob = Blob {
            path,
            bytes,
            first_line: 1,
            // attached after deduplication, for the few blobs with findings
            commit: None,
        };
        if prior {
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
        f.commit = info.clone();
    }
}
