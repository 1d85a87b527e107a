//! `credsweep git --staged`: what the next commit would add, for a
//! pre-commit hook.
//!
//! The index is diffed against `HEAD`'s tree (the empty tree on an unborn
//! branch), names and ids first; only the staged blobs of added, modified,
//! renamed or copied files are then read. A new file is reported whole; for
//! any other change a content diff of that one file (no context lines) gives
//! the line ranges the change adds, and only findings touching those lines
//! are kept, so a secret already committed in the same file is not reported
//! again. No history is walked, no work tree file is read: on a one-file
//! change this is a few milliseconds of libgit2 work.

use super::{GitOptions, open};
use crate::detectors::{Detector, WorkerState};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::sources::fs::WarnFn;
use crate::sources::{Blob, looks_binary};
use crate::stats::Stats;
use git2::{Delta, DiffFindOptions, DiffOptions, FileMode, Patch};
use std::ops::RangeInclusive;
use std::path::Path;

/// Scans the staged changes of the repository at `path`; findings unsorted,
/// with paths relative to the work tree root and no `commit`.
pub fn scan_staged(
    path: &Path,
    opts: &GitOptions,
    detector: &Detector,
    stats: &Stats,
    warn: WarnFn,
) -> Result<Vec<Finding>> {
    let repo = open(path)?;
    let git_err = |what: &str, e: git2::Error| Error::Other(format!("{what}: {}", e.message()));
    let head_tree = match repo.head() {
        Ok(head) => Some(head.peel_to_tree().map_err(|e| git_err("HEAD", e))?),
        // unborn branch (first commit) or no HEAD: everything staged is new
        Err(_) => None,
    };
    let index = repo.index().map_err(|e| git_err("index", e))?;
    let mut dopts = DiffOptions::new();
    dopts.context_lines(0).ignore_submodules(true);
    let mut diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut dopts))
        .map_err(|e| git_err("diff HEAD..index", e))?;
    // A renamed file with edits counts as modified, not as a new file.
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))
        .map_err(|e| git_err("rename detection", e))?;

    let mut state = WorkerState::default();
    let mut findings = Vec::new();
    for (i, delta) in diff.deltas().enumerate() {
        let whole = match delta.status() {
            Delta::Added => true,
            Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange => false,
            _ => continue,
        };
        let new = delta.new_file();
        if !matches!(new.mode(), FileMode::Blob | FileMode::BlobExecutable) {
            continue; // symlink or submodule
        }
        let shown = match new.path_bytes() {
            Some(p) => String::from_utf8_lossy(p).into_owned(),
            None => continue,
        };
        let blob = match repo.find_blob(new.id()) {
            Ok(b) => b,
            Err(e) => {
                warn(&format!(
                    "{shown}: staged blob {}: {}",
                    new.id(),
                    e.message()
                ));
                Stats::add(&stats.skipped, 1);
                continue;
            }
        };
        let bytes = blob.content();
        if bytes.len() as u64 > opts.max_blob_size || looks_binary(bytes) {
            Stats::add(&stats.skipped, 1);
            continue;
        }
        Stats::add(&stats.files, 1);
        Stats::add(&stats.blobs, 1);
        Stats::add(&stats.bytes, bytes.len() as u64);
        let found = detector.detect(&Blob::new(&shown, bytes), &mut state, stats);
        if found.is_empty() {
            continue;
        }
        if whole {
            findings.extend(found);
            continue;
        }
        let added = match added_lines(&diff, i) {
            Ok(a) => a,
            Err(e) => {
                // cannot tell old from new: report everything rather than miss
                warn(&format!("{shown}: diff: {}", e.message()));
                findings.extend(found);
                continue;
            }
        };
        findings.extend(found.into_iter().filter(|f| {
            let span = f.location.line..=f.location.end_line;
            added.iter().any(|r| overlaps(r, &span))
        }));
    }
    Ok(findings)
}

/// The new-side line ranges (1-based, inclusive) that delta `i` adds. With no
/// context lines every line of a hunk's new side is an added line.
fn added_lines(
    diff: &git2::Diff,
    i: usize,
) -> std::result::Result<Vec<RangeInclusive<usize>>, git2::Error> {
    let Some(patch) = Patch::from_diff(diff, i)? else {
        return Ok(Vec::new());
    };
    let mut ranges = Vec::with_capacity(patch.num_hunks());
    for h in 0..patch.num_hunks() {
        let (hunk, _) = patch.hunk(h)?;
        let (start, lines) = (hunk.new_start() as usize, hunk.new_lines() as usize);
        if lines > 0 {
            ranges.push(start..=start + lines - 1);
        }
    }
    Ok(ranges)
}

fn overlaps(a: &RangeInclusive<usize>, b: &RangeInclusive<usize>) -> bool {
    a.start() <= b.end() && b.start() <= a.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_overlap_inclusively() {
        assert!(overlaps(&(3..=5), &(5..=5)));
        assert!(overlaps(&(3..=5), &(1..=3)));
        assert!(!overlaps(&(3..=5), &(6..=9)));
        assert!(!overlaps(&(3..=5), &(1..=2)));
    }
}
