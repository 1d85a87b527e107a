//! Files, folders and standard input.
//!
//! Folders are walked in parallel with `ignore::WalkParallel` (honours
//! `.gitignore`, `.ignore` and `.git/info/exclude`, scans hidden files, never
//! enters `.git/`). Each worker reuses one read buffer and one detector
//! scratch space. A file is read once: the first 8 KiB are sniffed for a NUL
//! byte (binary: skipped) before the rest is read.
//!
//! Size routing: files up to [`STREAM_THRESHOLD`] are read whole; larger
//! files, standard input and every `.gz` file (`app.log.3.gz` too, decoded
//! with `MultiGzDecoder`, so concatenated members work) go through
//! [`super::stream`] with bounded memory. Text files have no default size
//! limit; `--max-file-size` is an explicit user limit on the size on disk.
//! A file read whole that starts with a UTF-16 BOM is decoded to UTF-8
//! first ([`super::utf16`]).

use super::stream::{STREAM_THRESHOLD, chunk_size, scan_reader};
use super::{Blob, looks_binary};
use crate::detectors::{Detector, WorkerState};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::stats::Stats;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Default `--max-file-size`: no limit (large files are streamed).
pub const DEFAULT_MAX_FILE_SIZE: u64 = u64::MAX;

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
/// unsorted, in batches of one file each (see
/// [`crate::finding::sort_batches`]). A missing root is an error; a bad file inside is a warning.
pub fn scan_paths(
    paths: &[PathBuf],
    opts: &WalkOptions,
    detector: &Detector,
    stats: &Stats,
    warn: WarnFn,
) -> Result<Vec<Vec<Finding>>> {
    for p in paths {
        if p.as_os_str() != "-" {
            check_root(p)?;
        }
    }
    // Findings arrive per file from many threads. Each file's batch is
    // pushed whole and kept as it is to the report: one growing
    // `Vec<Finding>` behind the lock would be re-allocated (and copied, and
    // its fresh pages zeroed) dozens of times while every worker waits on
    // the lock, which cost more than detection on manifest-heavy trees.
    let found = Mutex::new(Vec::new());
    for root in paths {
        if root.as_os_str() == "-" {
            let mut state = WorkerState::default();
            let stdin = std::io::stdin().lock();
            let f = scan_stream(stdin, "-", false, detector, stats, warn, &mut state);
            push_all(&found, f);
        } else if root.is_file() {
            let mut state = WorkerState::default();
            let mut buf = Vec::new();
            let shown = crate::paths::display_root(root);
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

/// A scan root the user named must exist and be readable: a missing or
/// unreadable root is an error (exit 2), not a warning, so a CI job that
/// cannot read what it was told to scan does not pass.
fn check_root(p: &Path) -> Result<()> {
    let err = |source| Error::Io {
        path: p.to_path_buf(),
        source,
    };
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        // a dangling symlink: say what `stat` says about it
        Err(e) => return Err(err(e)),
    };
    if meta.is_dir() {
        std::fs::read_dir(p).map_err(err)?;
    } else if meta.is_file() {
        std::fs::File::open(p).map_err(err)?;
    }
    Ok(())
}

fn push_all(found: &Mutex<Vec<Vec<Finding>>>, f: Vec<Finding>) {
    if !f.is_empty()
        && let Ok(mut all) = found.lock()
    {
        all.push(f);
    }
}

fn walk_dir(
    root: &Path,
    opts: &WalkOptions,
    detector: &Detector,
    stats: &Stats,
    warn: WarnFn,
    found: &Mutex<Vec<Vec<Finding>>>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(opts.follow_links)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel();
    let prefix = crate::paths::display_root(root);
    let prefix = prefix.as_str();
    walker.run(|| {
        let mut state = WorkerState::default();
        let mut buf = Vec::with_capacity(64 * 1024);
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    warn(&walk_error(root, prefix, &err));
                    Stats::add(&stats.skipped, 1);
                    return ignore::WalkState::Continue;
                }
            };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if !is_file {
                return ignore::WalkState::Continue;
            }
            let path = entry.path();
            let shown = display_path(root, prefix, path);
            let f = scan_file(
                path, &shown, opts, detector, stats, warn, &mut state, &mut buf,
            );
            push_all(found, f);
            ignore::WalkState::Continue
        })
    });
}

/// The display path of `path`, found under `root` (shown as `prefix`, see
/// [`crate::paths::display_root`]): the root as the user wrote it joined
/// with the path inside it, `/`-separated, as ripgrep prints it.
fn display_path(root: &Path, prefix: &str, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            crate::paths::join_display(prefix, &crate::paths::slashes(&rel.to_string_lossy()))
        }
        Ok(_) => crate::paths::display_root(root),
        Err(_) => crate::paths::slashes(&path.to_string_lossy()),
    }
}

/// A walk error as a warning, its paths in the style of finding paths
/// (`sub/locked: Permission denied`, not `./sub/locked: …`).
fn walk_error(root: &Path, prefix: &str, err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { path, err } => {
            format!(
                "{}: {}",
                display_path(root, prefix, path),
                walk_error(root, prefix, err)
            )
        }
        ignore::Error::WithDepth { err, .. } => walk_error(root, prefix, err),
        ignore::Error::Partial(errs) => errs
            .iter()
            .map(|e| walk_error(root, prefix, e))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
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
    let outcome = open_file(path, opts).and_then(|opened| match opened {
        Opened::Skip => Ok(None),
        Opened::Stream(reader) => Ok(Some(scan_stream(
            reader, shown, true, detector, stats, warn, state,
        ))),
        Opened::Whole(file, len) => read_whole(file, len, buf).map(|text| {
            text.then(|| {
                Stats::add(&stats.files, 1);
                Stats::add(&stats.bytes, buf.len() as u64);
                detector.detect(&Blob::new(shown, buf), state, stats)
            })
        }),
    });
    match outcome {
        Ok(Some(findings)) => findings,
        Ok(None) => {
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

/// How a file will be read.
enum Opened {
    /// Not a regular file, or over `--max-file-size`.
    Skip,
    /// Small enough to read whole; its length.
    Whole(std::fs::File, u64),
    /// Large or compressed: read as a stream of chunks.
    Stream(Box<dyn Read>),
}

/// True for names ending in `.gz` (any case): `app.log.gz`, `app.log.3.gz`.
pub fn is_gzip_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Opens `path` and decides how to read it.
fn open_file(path: &Path, opts: &WalkOptions) -> std::io::Result<Opened> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.len() > opts.max_file_size {
        return Ok(Opened::Skip);
    }
    if is_gzip_name(path) {
        let reader = std::io::BufReader::with_capacity(256 * 1024, file);
        return Ok(Opened::Stream(Box::new(
            flate2::bufread::MultiGzDecoder::new(reader),
        )));
    }
    if meta.len() > STREAM_THRESHOLD {
        return Ok(Opened::Stream(Box::new(file)));
    }
    Ok(Opened::Whole(file, meta.len()))
}

/// Streams one input (a large file, a `.gz`, standard input) through the
/// chunker. A read error (corrupt or truncated gzip, I/O error) is a warning
/// naming the input; the findings from the part read before it are kept.
fn scan_stream(
    reader: impl Read,
    shown: &str,
    sniff_binary: bool,
    detector: &Detector,
    stats: &Stats,
    warn: WarnFn,
    state: &mut WorkerState,
) -> Vec<Finding> {
    let out = scan_reader(
        reader,
        shown,
        detector,
        state,
        stats,
        chunk_size(),
        sniff_binary,
    );
    Stats::add(&stats.bytes, out.bytes);
    if out.binary {
        Stats::add(&stats.skipped, 1);
        return Vec::new();
    }
    if out.error.is_none() || out.bytes > 0 {
        Stats::add(&stats.files, 1);
    }
    match &out.error {
        None => {}
        Some(e) => {
            let what = if e.kind() == std::io::ErrorKind::UnexpectedEof {
                "truncated input".to_string()
            } else {
                e.to_string()
            };
            warn(&format!(
                "{shown}: read stopped after {} bytes: {what}; findings before that point are reported",
                out.bytes
            ));
            Stats::add(&stats.skipped, 1);
        }
    }
    out.findings
}

/// Reads a small file of `len` bytes (as its metadata said) into `buf`;
/// false when it is binary.
///
/// One `read` of the whole file and one that sees its end: no separate sniff
/// of the first bytes, and no second `fstat`/`lseek` as `read_to_end` would
/// do to size its buffer (on a tree of 40,000 small files those syscalls
/// were a tenth of the kernel's share). A binary file is then read whole
/// before it is skipped; it is at most the streaming threshold. `buf` is
/// reused: it is resized, not cleared, so only bytes past the last file's
/// length are zeroed first.
fn read_whole(mut file: std::fs::File, len: u64, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    // one byte more than expected, so a file that grew is noticed
    let want = usize::try_from(len).unwrap_or(usize::MAX).saturating_add(1);
    buf.resize(want.max(1), 0);
    let mut n = 0;
    loop {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                if n == buf.len() {
                    buf.resize(n + 64 * 1024, 0);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.clear();
                return Err(e);
            }
        }
    }
    buf.truncate(n);
    if let Some(endian) = super::utf16::bom(buf)
        && looks_binary(buf)
    {
        // UTF-16 with a BOM: decoded to UTF-8 (see `super::utf16`)
        let raw = std::mem::take(buf);
        super::utf16::decode_into(&raw, endian, buf);
        return Ok(true);
    }
    Ok(!looks_binary(buf))
}
