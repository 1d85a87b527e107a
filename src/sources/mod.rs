//! Sources turn inputs (files, standard input, git history: [`git`]) into [`Blob`]s:
//! bytes plus where they came from. They know nothing of rules; they hand
//! each blob to a [`crate::detectors::Detector`] and collect its findings.

pub mod fs;
pub mod git;
pub mod stream;
pub mod utf16;

use crate::finding::CommitInfo;

/// Bytes to scan and their origin. The one seam between sources and
/// detectors: a file, standard input, a git blob, a stream chunk or a decoded
/// value all arrive as a `Blob`.
#[derive(Debug, Clone, Copy)]
pub struct Blob<'a> {
    /// Display path: as the user opens it from where the command ran (see
    /// [`crate::paths`]; for git, relative to the repository root), `-` for
    /// standard input.
    pub path: &'a str,
    pub bytes: &'a [u8],
    /// Line number of `bytes[0]` (1 for a whole file; more for a chunk of a
    /// stream that starts further down).
    pub first_line: usize,
    /// The commit that introduced this blob (`credsweep git`).
    pub commit: Option<&'a CommitInfo>,
}

impl<'a> Blob<'a> {
    /// A whole file or buffer.
    pub fn new(path: &'a str, bytes: &'a [u8]) -> Self {
        Blob {
            path,
            bytes,
            first_line: 1,
            commit: None,
        }
    }
}

/// How many leading bytes are sniffed for a NUL to call a file binary.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// True when the first [`BINARY_SNIFF_LEN`] bytes hold a NUL byte.
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_LEN)]).is_some()
}
