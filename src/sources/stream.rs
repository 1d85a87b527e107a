//! Standard input, `.gz` files and large files, read as fixed-size chunks
//! with an overlap, so memory stays bounded whatever the input's size.
//!
//! How a chunk is laid out (offsets in bytes):
//!
//! ```text
//!  buf: [ carry (already scanned)   | new bytes read for this chunk       ]
//!       0          accept.start ────────────── accept.end      buf.len()
//!                  └─ matches starting here are reported ─┘└─ overlap ─┘
//! ```
//!
//! The detector scans the whole buffer, but only matches that *start* in
//! `accept` are reported. `accept.end` stays [`overlap`] bytes short of the
//! buffer's end (except on the last chunk), so a secret that starts before it
//! is complete in this buffer; the next chunk begins its acceptance exactly
//! at this `accept.end`, so every match is reported once. The next chunk's
//! carry starts another `overlap` bytes earlier, moved back to the start of
//! the line *before* (inline `credsweep:allow-next-line` needs it), so the
//! rule windows see the same context as in a whole-file scan.
//!
//! Line numbers and columns stay exact: the chunker counts the newlines of
//! the bytes it drops, and when a line longer than the overlap forces a cut
//! in the middle of a line it carries the column of the cut
//! ([`Part::first_column`]).
//!
//! This module only cuts the stream; detection is [`Detector`]'s job and
//! redaction is [`crate::redact`]'s.

use super::{Blob, looks_binary};
use crate::detectors::{Detector, Part, WorkerState};
use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::stats::Stats;
use std::io::{self, Read};

/// Bytes read per chunk. The carry re-scanned per chunk is two to three
/// overlaps (about 100-150 KiB with the built-in rules, whose widest window
/// is 2 x 20000 bytes), so 4 MiB keeps that overhead near 3 % while memory
/// stays a few MiB per worker.
pub const DEFAULT_CHUNK_SIZE: usize = 4 * 1024 * 1024;

/// Hidden knob for tests: chunk size in bytes (overrides the default).
pub const CHUNK_SIZE_ENV: &str = "CREDSWEEP_CHUNK_SIZE";

/// Files larger than this (bytes) are streamed instead of read whole.
pub const STREAM_THRESHOLD: u64 = 8 * 1024 * 1024;

/// Longest secret (bytes) the overlap allows for beyond the rule windows.
const MAX_SECRET_LEN: usize = 8 * 1024;

/// Slack for the detector's snapping of windows to line boundaries.
const LINE_SNAP_SLACK: usize = 2 * 256;

/// The overlap (bytes) the rules need: the widest keyword window of any rule
/// plus the longest plausible secret, so that any match that starts in a
/// chunk's accepted range has all its context inside the buffer.
pub fn overlap(rules: &RuleSet) -> usize {
    let widest = rules
        .rules
        .iter()
        .map(|r| r.window_before + r.window_after)
        .max()
        .unwrap_or(0);
    widest + MAX_SECRET_LEN + LINE_SNAP_SLACK
}

/// The chunk size: [`CHUNK_SIZE_ENV`] if set to a positive number, else
/// [`DEFAULT_CHUNK_SIZE`].
pub fn chunk_size() -> usize {
    std::env::var(CHUNK_SIZE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_CHUNK_SIZE)
}

/// One chunk of a stream, borrowed from the [`Chunker`]'s buffer.
#[derive(Debug)]
pub struct Chunk<'a> {
    /// Carry plus new bytes.
    pub bytes: &'a [u8],
    /// Absolute offset (bytes from the start of the stream) of `bytes[0]`.
    pub offset: u64,
    /// 1-based line of `bytes[0]`.
    pub first_line: usize,
    /// Column of `bytes[0]` and the range whose matches this chunk reports.
    pub part: Part,
    /// The first chunk of the stream (binary sniffing looks at it).
    pub first: bool,
    /// The last chunk: end of input, or a read error (see [`Chunker::error`]).
    pub last: bool,
}

/// Cuts a reader into overlapping [`Chunk`]s; see the module doc.
#[derive(Debug)]
pub struct Chunker<R> {
    reader: R,
    buf: Vec<u8>,
    chunk_size: usize,
    overlap: usize,
    /// Absolute offset, line and column of `buf[0]`.
    offset: u64,
    line: usize,
    column: usize,
    /// Where acceptance starts in `buf` for the next chunk.
    accept_from: usize,
    /// Bytes of `buf` to drop before the next chunk (the previous carry start).
    drop: usize,
    started: bool,
    finished: bool,
    error: Option<io::Error>,
}

impl<R: Read> Chunker<R> {
    /// `chunk_size`: new bytes per chunk (at least 1); `overlap`: see
    /// [`overlap`].
    pub fn new(reader: R, chunk_size: usize, overlap: usize) -> Self {
        let chunk_size = chunk_size.max(1);
        Chunker {
            reader,
            buf: Vec::with_capacity(chunk_size.min(DEFAULT_CHUNK_SIZE) + 3 * overlap),
            chunk_size,
            overlap,
            offset: 0,
            line: 1,
            column: 1,
            accept_from: 0,
            drop: 0,
            started: false,
            finished: false,
            error: None,
        }
    }

    /// The read error that ended the stream early, if any (taken).
    pub fn error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    /// Total bytes consumed from the reader so far.
    pub fn bytes_read(&self) -> u64 {
        self.offset + self.buf.len() as u64
    }

    /// The next chunk, or `None` after the last one.
    pub fn next_chunk(&mut self) -> Option<Chunk<'_>> {
        if self.finished {
            return None;
        }
        self.advance();
        let eof = self.fill();
        let len = self.buf.len();
        let first = !self.started;
        self.started = true;
        if eof && len == 0 && !first {
            self.finished = true;
            return None;
        }
        let accept_to = if eof {
            len
        } else {
            len.saturating_sub(self.overlap).max(self.accept_from)
        };
        let accept = self.accept_from..accept_to;
        self.drop = if eof {
            len
        } else {
            carry_start(&self.buf, accept_to, self.overlap)
        };
        self.accept_from = accept_to - self.drop;
        self.finished = eof;
        Some(Chunk {
            bytes: &self.buf,
            offset: self.offset,
            first_line: self.line,
            part: Part {
                first_column: self.column,
                accept,
            },
            first,
            last: eof,
        })
    }

    /// Drops the bytes no later chunk needs, keeping line/column/offset of
    /// the new `buf[0]` exact.
    fn advance(&mut self) {
        let n = self.drop.min(self.buf.len());
        if n == 0 {
            return;
        }
        let gone = &self.buf[..n];
        let newlines = memchr::memchr_iter(b'\n', gone).count();
        if newlines > 0 {
            self.line += newlines;
            let last = memchr::memrchr(b'\n', gone).unwrap_or(0);
            self.column = n - last;
        } else {
            self.column += n;
        }
        self.offset += n as u64;
        self.buf.drain(..n);
        self.drop = 0;
    }

    /// Reads up to `chunk_size` new bytes; true at end of input (or error).
    /// `read_to_end` through `take` appends into spare capacity without
    /// zeroing it first (a `resize` per read cost ~2 % of a scan).
    fn fill(&mut self) -> bool {
        let want = self.chunk_size as u64;
        let before = self.buf.len();
        match (&mut self.reader).take(want).read_to_end(&mut self.buf) {
            Ok(_) => ((self.buf.len() - before) as u64) < want,
            Err(e) => {
                // bytes read before the error stay in `buf`
                self.error = Some(e);
                true
            }
        }
    }
}

/// Where the next chunk's carry starts: `overlap` bytes before `accept_to`,
/// moved back to the start of the previous line when one is within another
/// `overlap` bytes (so inline ignores see the line before a match), else cut
/// mid-line.
fn carry_start(buf: &[u8], accept_to: usize, overlap: usize) -> usize {
    let target = accept_to.saturating_sub(overlap);
    if target == 0 {
        return 0;
    }
    let lo = target.saturating_sub(overlap);
    // start of the line holding `target`, then of the line before it
    let Some(nl) = memchr::memrchr(b'\n', &buf[lo..target]).map(|i| lo + i) else {
        return target;
    };
    match memchr::memrchr(b'\n', &buf[lo..nl]) {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => nl + 1,
    }
}

/// What streaming one input produced.
#[derive(Debug, Default)]
pub struct StreamOutcome {
    pub findings: Vec<Finding>,
    /// Decompressed bytes read.
    pub bytes: u64,
    /// The first chunk held a NUL byte: nothing was scanned.
    pub binary: bool,
    /// A read error that ended the input early (findings up to it are kept).
    pub error: Option<io::Error>,
}

/// Scans `reader` chunk by chunk as the input `path`. With `sniff_binary`,
/// an input whose first bytes hold a NUL is not scanned. Counts nothing in
/// `stats` except inline suppressions; the caller decides what to count.
pub fn scan_reader(
    reader: impl Read,
    path: &str,
    detector: &Detector,
    state: &mut WorkerState,
    stats: &Stats,
    chunk_size: usize,
    sniff_binary: bool,
) -> StreamOutcome {
    let mut chunker = Chunker::new(reader, chunk_size, overlap(&detector.rules));
    let mut out = StreamOutcome::default();
    while let Some(chunk) = chunker.next_chunk() {
        if chunk.first && sniff_binary && looks_binary(chunk.bytes) {
            out.binary = true;
            break;
        }
        let blob = Blob {
            path,
            bytes: chunk.bytes,
            first_line: chunk.first_line,
            commit: None,
        };
        out.findings
            .extend(detector.detect_part(&blob, &chunk.part, state, stats));
    }
    out.bytes = chunker.bytes_read();
    out.error = chunker.error();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column of `offset` in `data`, the slow way.
    fn line_col(data: &[u8], offset: usize) -> (usize, usize) {
        let before = &data[..offset];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(i) => offset - i,
            None => offset + 1,
        };
        (line, col)
    }

    /// The accepted ranges of all chunks tile the input exactly once, and
    /// each chunk's line/column of `bytes[0]` is right.
    fn check_tiling(data: &[u8], chunk: usize, overlap: usize) {
        let mut c = Chunker::new(data, chunk, overlap);
        let mut next = 0u64;
        let mut chunks = 0;
        let mut max_buf = 0;
        while let Some(ch) = c.next_chunk() {
            chunks += 1;
            max_buf = max_buf.max(ch.bytes.len());
            let o = ch.offset as usize;
            assert_eq!(&data[o..o + ch.bytes.len()], ch.bytes);
            assert_eq!(
                (ch.first_line, ch.part.first_column),
                line_col(data, o),
                "chunk at {o}"
            );
            assert_eq!(o + ch.part.accept.start, next as usize, "gap or overlap");
            next = (o + ch.part.accept.end) as u64;
            if !ch.last && !ch.part.accept.is_empty() {
                assert!(ch.part.accept.end + overlap <= ch.bytes.len());
            }
            assert!(ch.part.accept.start >= overlap.min(o + ch.part.accept.start));
        }
        assert_eq!(next as usize, data.len());
        assert!(chunks >= 1);
        assert!(max_buf <= chunk + 4 * overlap, "{max_buf}");
        assert!(c.error().is_none());
    }

    #[test]
    fn chunks_tile_the_input_with_exact_positions() {
        let mut rng = fastrand::Rng::with_seed(5);
        for round in 0..200 {
            let len = rng.usize(0..3000);
            let nl_every = [3usize, 17, 80, 5000][round % 4];
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.usize(0..nl_every) == 0 {
                        b'\n'
                    } else {
                        rng.u8(..)
                    }
                })
                .collect();
            let chunk = rng.usize(1..700);
            let overlap = rng.usize(0..300);
            check_tiling(&data, chunk, overlap);
        }
    }

    #[test]
    fn empty_input_is_one_empty_last_chunk() {
        let mut c = Chunker::new(&b""[..], 10, 4);
        let ch = c.next_chunk().expect("one chunk");
        assert!(ch.first && ch.last && ch.bytes.is_empty());
        assert!(c.next_chunk().is_none());
    }

    #[test]
    fn read_error_ends_the_stream_after_the_bytes_read() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("boom"));
                }
                let n = buf.len().min(self.0);
                buf[..n].fill(b'a');
                self.0 -= n;
                Ok(n)
            }
        }
        let mut c = Chunker::new(Failing(25), 10, 3);
        let mut accepted = 0;
        while let Some(ch) = c.next_chunk() {
            accepted += ch.part.accept.len();
        }
        assert_eq!(accepted, 25);
        assert_eq!(c.bytes_read(), 25);
        assert!(c.error().is_some());
    }
}
