//! Scanning the history: every unique blob read and scanned once, in
//! parallel, while the walk goes on; then findings deduplicated and
//! attributed.
//!
//! The pipeline (bounded at every step, so memory stays flat whatever the
//! history holds):
//!
//! ```text
//!  calling thread   enumerate (topological walk) → windows of new blobs,
//!                   each sorted by pack offset → work channel
//!  forwarder        ids → git cat-file --batch; items → answered channel
//!  workers (rayon)  next item + its answer read from the pipe, under one
//!                   lock → Detector → findings by blob index
//! ```
//!
//! Without `git` the workers take items from the work channel directly and
//! read each blob with libgit2. Workers are the threads of a rayon pool, each
//! running once (`ThreadPool::broadcast`) with its own `git2::Repository` (a
//! handle cannot be shared across threads) for that fallback, its own
//! detector scratch space and its own blob buffer; only one blob per worker
//! is in memory at a time. Reading in pack order (per window, see
//! [`super::enumerate`]) finds delta bases in the reader's cache.
//!
//! Attribution does not depend on the order blobs are read in: each finding
//! is keyed by its blob's index in order of first appearance. A secret that
//! survives through many versions of a file is found in each version's blob;
//! the report keeps it once per (rule, path, secret) — the finding's
//! fingerprint — from the earliest blob in topological order, i.e. at the
//! commit that introduced it. With `--since`, secrets found in a path's prior
//! version (the base's blob) are dropped as pre-existing.

use super::catfile::{self, Answer};
use super::enumerate::{FIRST_WINDOW, History, PRIOR, enumerate};
use super::pack_order::pack_order;
use super::{GitOptions, Progress, commit_info, open, tune_libgit2};
use crate::detectors::{Detector, WorkerState};
use crate::error::{Error, Result};
use crate::finding::{CommitInfo, Finding, Fingerprint};
use crate::sources::fs::WarnFn;
use crate::sources::{Blob, looks_binary};
use crate::stats::Stats;
use git2::Oid;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::io::BufReader;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::process::ChildStdout;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

/// Work items queued between the walk and the workers: enough that the walk
/// runs well ahead of the workers (seconds of scanning), bounded so a huge
/// history's late windows are not queued all at once (about 56 bytes an
/// item, allocated up front).
const QUEUE: usize = 16 * 1024;

/// Items between the `git cat-file` forwarder and the workers. The pipes and
/// the answer buffer bound what is really in flight (a few thousand ids);
/// this bound only caps memory: the forwarder flushes before it waits on it,
/// so a full queue cannot stall a worker waiting for an answer.
const ANSWERED_QUEUE: usize = 16 * 1024;

/// One blob to read and scan, as sent to the workers.
#[derive(Debug, Clone)]
pub struct Work {
    /// Index into the history's blobs (order of first appearance).
    pub index: u32,
    pub oid: Oid,
    pub path: Arc<str>,
    /// A `--since` prior version: scanned only to know what pre-existed.
    pub prior: bool,
}

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
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("starting {threads} worker threads: {e}")))?;
    let objects = repo.commondir().join("objects");

    let (work_tx, work_rx) = sync_channel::<Work>(QUEUE);
    let mut child = catfile::spawn(repo.path());
    let job = Job {
        git_dir: repo.path(),
        feed: Mutex::new(Feed {
            rx: None,
            out: child
                .as_mut()
                .and_then(|c| c.stdout.take())
                .map(|o| BufReader::with_capacity(256 * 1024, o)),
            line: Vec::with_capacity(64),
        }),
        opts,
        detector,
        stats,
        warn,
        progress,
        found: Mutex::new(Vec::new()),
    };
    let stdin = child.as_mut().and_then(|c| c.stdin.take());
    let reader = job.feed.lock().map(|f| f.out.is_some()).unwrap_or(false);

    let history = std::thread::scope(|s| {
        let rx = if reader {
            let (answered_tx, answered_rx) = sync_channel(ANSWERED_QUEUE);
            s.spawn(move || catfile::forward(stdin, work_rx, answered_tx));
            answered_rx
        } else {
            work_rx
        };
        if let Ok(mut feed) = job.feed.lock() {
            feed.rx = Some(rx);
        }
        let job = &job;
        s.spawn(|| {
            let done =
                std::panic::catch_unwind(AssertUnwindSafe(|| pool.broadcast(|_| job.work())));
            // Workers gone (a panic included): close the feed so the walk's
            // sends fail instead of blocking forever on a full queue.
            job.feed.lock().unwrap_or_else(|e| e.into_inner()).rx = None;
            if let Err(panic) = done {
                std::panic::resume_unwind(panic);
            }
        });

        // The walk, on this thread (it owns `repo`): each window goes out in
        // pack order. Dropping the sender when it ends lets the workers stop.
        let mut sink = |h: &History, new: std::ops::Range<usize>| {
            let window = &h.blobs[new.clone()];
            progress.blobs_found(window.len() as u64);
            let oids: Vec<Oid> = window.iter().map(|b| b.oid).collect();
            for i in pack_order(&objects, &oids) {
                let b = &window[i as usize];
                let item = Work {
                    index: (new.start + i as usize) as u32,
                    oid: b.oid,
                    path: Arc::clone(&h.paths[b.path as usize]),
                    prior: b.commit == PRIOR,
                };
                if work_tx.send(item).is_err() {
                    return; // no worker left: nothing more to do
                }
            }
        };
        let history = enumerate(
            &repo,
            opts.since.as_deref(),
            stats,
            warn,
            progress,
            FIRST_WINDOW,
            &mut sink,
        );
        drop(work_tx);
        history
    });
    if let Some(mut c) = child {
        let _ = c.kill();
        let _ = c.wait();
    }
    let history = history?;
    Stats::add(&stats.commits, history.commits_walked);
    let found = job.found.into_inner().unwrap_or_default();
    progress.finish();

    let mut findings = dedupe(found, &history);
    attribute(&repo, &history, &mut findings, warn);
    Ok(findings.into_iter().map(|(_, f)| f).collect())
}

/// Where workers take their next item, and its bytes when `git cat-file`
/// runs.
struct Feed {
    /// Items in the order `out` answers them (set before workers start).
    rx: Option<Receiver<Work>>,
    /// `git cat-file`'s answers; `None` without it, or once it failed
    /// (every later item is then read with libgit2).
    out: Option<BufReader<ChildStdout>>,
    line: Vec<u8>,
}

impl Feed {
    /// The next item, and how its bytes were delivered into `buf`; `None`
    /// when no item is left.
    fn next(&mut self, max_size: u64, buf: &mut Vec<u8>) -> Option<(Work, Answer)> {
        let work = self.rx.as_ref()?.recv().ok()?;
        let answer = match self.out.as_mut() {
            Some(out) => catfile::read_one(out, &mut self.line, work.oid, max_size, buf)
                .unwrap_or_else(|| {
                    // out of step or gone: stop reading it (the child dies
                    // on its next write); libgit2 reads the rest
                    self.out = None;
                    Answer::Fallback
                }),
            None => Answer::Fallback,
        };
        Some((work, answer))
    }
}

struct Job<'a> {
    git_dir: &'a Path,
    feed: Mutex<Feed>,
    opts: &'a GitOptions,
    detector: &'a Detector,
    stats: &'a Stats,
    warn: WarnFn<'a>,
    progress: &'a dyn Progress,
    /// (index into the history's blobs, finding).
    found: Mutex<Vec<(usize, Finding)>>,
}

/// `blob <id>: <reason>`, the id said once: libgit2's messages often end
/// with the id themselves (`object not found - no match for id (<id>)`).
fn blob_problem(oid: &git2::Oid, reason: &str) -> String {
    let id = oid.to_string();
    if !reason.contains(&id) {
        return format!("blob {id}: {reason}");
    }
    match reason.split_once(" - ") {
        Some((head, tail)) if tail.contains(&id) && !head.contains(&id) => {
            format!("blob {id}: {}", head.trim())
        }
        _ => reason.to_string(),
    }
}

impl Job<'_> {
    /// One worker: opens its own handle (for libgit2 reads), then scans
    /// items until none is left. Without a handle it still drains the feed
    /// (the walk must never block), skipping what it would have had to read
    /// itself.
    fn work(&self) {
        let warn = |e: git2::Error| {
            (self.warn)(&format!("{}: {}", self.git_dir.display(), e.message()));
        };
        let repo = git2::Repository::open(self.git_dir).map_err(warn).ok();
        let odb = repo.as_ref().and_then(|r| r.odb().map_err(warn).ok());
        let odb = odb.as_ref();
        let mut state = WorkerState::default();
        let mut local = Vec::new();
        let mut buf = Vec::new();
        loop {
            let next = match self.feed.lock() {
                Ok(mut feed) => feed.next(self.opts.max_blob_size, &mut buf),
                Err(_) => None,
            };
            let Some((work, answer)) = next else { break };
            let found = match answer {
                Answer::Bytes => self.scan_bytes(&work, &buf, &mut state),
                Answer::TooBig => self.skip(&work, None, 0),
                Answer::Fallback => self.read_and_scan(odb, &work, &mut state),
            };
            local.extend(found.into_iter().map(|f| (work.index as usize, f)));
        }
        if !local.is_empty()
            && let Ok(mut all) = self.found.lock()
        {
            all.extend(local);
        }
    }

    /// Counts a blob as skipped (with a warning when `reason` says why).
    fn skip(&self, work: &Work, reason: Option<String>, bytes: u64) -> Vec<Finding> {
        if let Some(r) = reason {
            (self.warn)(&format!("{}: {}", work.path, blob_problem(&work.oid, &r)));
        }
        if !work.prior {
            Stats::add(&self.stats.skipped, 1);
        }
        self.progress.blob_done(bytes);
        Vec::new()
    }

    /// Reads a blob with libgit2, then scans it.
    fn read_and_scan(
        &self,
        odb: Option<&git2::Odb>,
        work: &Work,
        state: &mut WorkerState,
    ) -> Vec<Finding> {
        let Some(odb) = odb else {
            return self.skip(work, Some("no repository handle".into()), 0);
        };
        // The header is read first so an over-size blob is never inflated.
        let size = match odb.read_header(work.oid) {
            Ok((size, _)) => size as u64,
            Err(e) => return self.skip(work, Some(e.message().to_string()), 0),
        };
        if size > self.opts.max_blob_size {
            return self.skip(work, None, 0);
        }
        match odb.read(work.oid) {
            Ok(obj) => self.scan_bytes(work, obj.data(), state),
            Err(e) => self.skip(work, Some(e.message().to_string()), 0),
        }
    }

    /// Scans one blob's bytes (binary ones are skipped).
    fn scan_bytes(&self, work: &Work, bytes: &[u8], state: &mut WorkerState) -> Vec<Finding> {
        if looks_binary(bytes) {
            return self.skip(work, None, bytes.len() as u64);
        }
        self.progress.blob_done(bytes.len() as u64);
        let blob = Blob {
            path: &work.path,
            bytes,
            first_line: 1,
            // attached after deduplication, for the few blobs with findings
            commit: None,
        };
        if work.prior {
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
    let pre_existing: HashSet<Fingerprint> = found
        .iter()
        .filter(|(i, _)| is_prior(*i))
        .map(|(_, f)| f.fingerprint)
        .collect();
    let mut first: HashMap<Fingerprint, usize> = HashMap::new();
    found
        .into_iter()
        .filter(|(i, f)| {
            if is_prior(*i) || pre_existing.contains(&f.fingerprint) {
                return false;
            }
            match first.entry(f.fingerprint) {
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
    #[test]
    fn blob_problems_name_the_blob_once() {
        let oid = git2::Oid::from_str("0123456789abcdef0123456789abcdef01234567").expect("oid");
        let id = oid.to_string();
        assert_eq!(
            blob_problem(&oid, &format!("object not found - no match for id ({id})")),
            format!("blob {id}: object not found")
        );
        assert_eq!(blob_problem(&oid, "corrupt"), format!("blob {id}: corrupt"));
        assert_eq!(
            blob_problem(&oid, &format!("bad {id}")),
            format!("bad {id}")
        );
    }

    use super::super::enumerate::BlobTask;
    use super::*;
    use crate::finding::{FindingKind, Location, Severity};

    fn finding(fp: &str, line: usize) -> Finding {
        Finding {
            rule_id: "r".into(),
            kind: FindingKind::Secret,
            severity: Severity::High,
            confidence: crate::finding::Confidence::High,
            message: "".into(),
            location: Location {
                path: "p".into(),
                line,
                column: 1,
                end_line: line,
                end_column: 2,
                utf16_columns: None,
            },
            secret: None,
            pod_security: None,
            commit: None,
            fingerprint: Fingerprint::of(&[fp.as_bytes()]),
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
        let fp = |name: &str| Fingerprint::of(&[name.as_bytes()]);
        let kept: Vec<(usize, Fingerprint, usize)> = dedupe(found, &history)
            .into_iter()
            .map(|(i, f)| (i, f.fingerprint, f.location.line))
            .collect();
        assert_eq!(
            kept,
            vec![(0, fp("b"), 1), (1, fp("a"), 3), (1, fp("a"), 4)]
        );
    }
}
