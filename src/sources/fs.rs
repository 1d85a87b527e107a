//! Files, folders and standard input.
//!
//! Folders are walked in parallel with `ignore::WalkParallel` (honours
//! `.gitignore`, `.ignore` and `.git/info/exclude`, scans hidden files, never
//! enters `.git/`). Each worker reuses one read buffer and one detector
//! scratch space. A file is read once: the first 8 KiB are sniffed for a NUL
//! byte (binary: skipped) before the rest is read.

use super::{BINARY_SNIFF_LEN, Blob, looks_binary};
use crate::detectors::{Detector, WorkerState};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::stats::Stats;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Default `--max-file-size`: 100 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub follow_links: bool,
    pub max_file_size: u64,
    /// 0 = one per core.
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            follow_links: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 0,
        }
    }
}

/// Receives per-file warnings (`path: reason`); the CLI prints them.
pub type WarnFn<'a> = &'a (dyn Fn(&str) + Sync);

/// Scans every path (`-` is standard input) and returns all findings,
/// unsorted. A missing root is an error; a bad file inside is a warning.
pub fn scan_paths(
    paths: &[PathBuf],
    opts: &WalkOptions,
    detector: &Detector,
    stats: &Stats,
    warn: WarnFn,
) -> Result<Vec<Finding>> {
    for p in paths {
        if p.as_os_str() != "-" && std::fs::symlink_metadata(p).is_err() {
            let source = std::fs::metadata(p)
                .err()
                .unwrap_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not found"));
            return Err(Error::Io {
                path: p.clone(),
                source,
            });
        }
    }
    let found = Mutex::new(Vec::new());
    for root in paths {
        if root.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|source| Error::Io {
                    path: root.clone(),
                    source,
                })?;
            Stats::add(&stats.files, 1);
            Stats::add(&stats.bytes, buf.len() as u64);
            let mut state = WorkerState::default();
            let f = detector.detect(&Blob::new("-", &buf), &mut state, stats);
            push_all(&found, f);
        } else if root.is_file() {
            let mut state = WorkerState::default();
            let mut buf = Vec::new();
            let shown = root.to_string_lossy().into_owned();
            let f = scan_file(
                root, &shown, opts, detector, stats, warn, &mut state, &mut buf,
            );
            push_all(&found, f);
        } else {
            walk_dir(root, opts, detector, stats, warn, &found);
        }
    }
    Ok(found.into_inner().unwrap_or_default())
}

fn push_all(found: &Mutex<Vec<Finding>>, f: Vec<Finding>) {
    if !f.is_empty()
        && let Ok(mut all) = found.lock()
    {
        all.extend(f);
    }
}

fn walk_dir(
    root: &Path,
    opts: &WalkOptions,
    detector: &Detector,
    stats: &Stats,
    warn: WarnFn,
    found: &Mutex<Vec<Finding>>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(opts.follow_links)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel();
    walker.run(|| {
        let mut state = WorkerState::default();
        let mut buf = Vec::with_capacity(64 * 1024);
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    warn(&err.to_string());
                    Stats::add(&stats.skipped, 1);
                    return ignore::WalkState::Continue;
                }
            };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if !is_file {
                return ignore::WalkState::Continue;
            }
            let path = entry.path();
            let shown = display_path(root, path);
            let f = scan_file(
                path, &shown, opts, detector, stats, warn, &mut state, &mut buf,
            );
            push_all(found, f);
            ignore::WalkState::Continue
        })
    });
}

/// Path relative to the scan root, with `/` separators.
fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// Reads and scans one regular file; problems become warnings.
#[allow(clippy::too_many_arguments)]
fn scan_file(
    path: &Path,
    shown: &str,
    opts: &WalkOptions,
    detector: &Detector,
    stats: &Stats,
    warn: WarnFn,
    state: &mut WorkerState,
    buf: &mut Vec<u8>,
) -> Vec<Finding> {
    match read_file(path, opts, buf) {
        Ok(ReadOutcome::Text) => {
            Stats::add(&stats.files, 1);
            Stats::add(&stats.bytes, buf.len() as u64);
            detector.detect(&Blob::new(shown, buf), state, stats)
        }
        Ok(ReadOutcome::Skipped) => {
            Stats::add(&stats.skipped, 1);
            Vec::new()
        }
        Err(e) => {
            warn(&format!("{shown}: {e}"));
            Stats::add(&stats.skipped, 1);
            Vec::new()
        }
    }
}

enum ReadOutcome {
    Text,
    Skipped,
}

/// Reads `path` into `buf` unless it is binary or too large. `.gz` files are
/// decompressed (up to the size limit).
fn read_file(path: &Path, opts: &WalkOptions, buf: &mut Vec<u8>) -> std::io::Result<ReadOutcome> {
    buf.clear();
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(ReadOutcome::Skipped);
    }
    if meta.len() > opts.max_file_size {
        return Ok(ReadOutcome::Skipped);
    }
    let is_gz = path.extension().is_some_and(|e| e == "gz");
    let limit = opts.max_file_size;
    if is_gz {
        let mut dec = flate2::read::MultiGzDecoder::new(file).take(limit + 1);
        dec.read_to_end(buf)
            .map_err(|e| std::io::Error::new(e.kind(), format!("corrupt gzip: {e}")))?;
    } else {
        let mut file = file.take(limit + 1);
        // sniff first, so a large binary costs one small read
        buf.resize(BINARY_SNIFF_LEN, 0);
        let mut n = 0;
        while n < BINARY_SNIFF_LEN {
            match file.read(&mut buf[n..])? {
                0 => break,
                k => n += k,
            }
        }
        buf.truncate(n);
        if looks_binary(buf) {
            return Ok(ReadOutcome::Skipped);
        }
        file.read_to_end(buf)?;
    }
    if buf.len() as u64 > limit || looks_binary(buf) {
        return Ok(ReadOutcome::Skipped);
    }
    Ok(ReadOutcome::Text)
}
