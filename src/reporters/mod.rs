//! Reporters write sorted findings in one format each. They receive findings
//! already filtered and sorted, and a plain `io::Write`; colour is decided by
//! the caller (`colored`'s global override), never here.

pub mod json;
mod pretty;
pub mod sarif;
pub mod text;

use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::stats::StatsSnapshot;
use std::io::{self, Write};

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    Jsonl,
    Sarif,
}

/// What a report needs besides the findings.
pub struct ReportContext<'a> {
    pub stats: &'a StatsSnapshot,
    pub rules: &'a RuleSet,
    /// SARIF: where finding paths are relative to, and the base its URIs
    /// are relative to (see [`sarif::Paths`]).
    pub paths: sarif::Paths<'a>,
}

/// Writes `findings` in `format`.
pub fn write_report(
    format: Format,
    findings: &[&Finding],
    ctx: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(findings, out),
        Format::Json => json::write(findings, ctx.stats, out),
        Format::Jsonl => json::write_lines(findings, out),
        Format::Sarif => sarif::write(findings, ctx.rules, &ctx.paths, out),
    }
}

/// Findings formatted per batch on the rayon pool (small enough that a
/// batch's buffer, ~200 KB, is an ordinary heap block and not a fresh
/// mapping from the OS each time).
const BATCH: usize = 256;
/// Batches formatted ahead of the writer per worker thread, so memory
/// stays bounded whatever the number of findings. A few per thread keep
/// every thread busy; a fixed 256 held ~55 MB of formatted JSON at once
/// on a 2-core machine, about a quarter of a manifest scan's peak memory.
const BATCHES_AHEAD_PER_THREAD: usize = 4;

/// Writes every finding through `one` (given the finding's index in
/// `findings`, the finding, and a buffer to append its bytes to),
/// formatting batches in parallel and writing them in order. A
/// manifest-heavy tree yields hundreds of thousands of findings; formatting
/// them on one thread was most of the time after detection.
pub fn write_each<F>(findings: &[&Finding], out: &mut dyn Write, one: F) -> io::Result<()>
where
    F: Fn(usize, &Finding, &mut Vec<u8>) -> io::Result<()> + Sync,
{
    use rayon::prelude::*;
    let ahead = (rayon::current_num_threads() * BATCHES_AHEAD_PER_THREAD).max(8);
    for (g, group) in findings.chunks(BATCH * ahead).enumerate() {
        let parts: Vec<io::Result<Vec<u8>>> = group
            .par_chunks(BATCH)
            .enumerate()
            .map(|(c, chunk)| {
                let base = g * BATCH * ahead + c * BATCH;
                let mut buf = Vec::new();
                for (i, f) in chunk.iter().enumerate() {
                    one(base + i, f, &mut buf)?;
                    if i == 0 {
                        // room for the batch at the first finding's size and
                        // a quarter more, so the buffer is not copied to grow
                        buf.reserve(buf.len() * chunk.len() * 5 / 4);
                    }
                }
                Ok(buf)
            })
            .collect();
        for part in parts {
            out.write_all(&part?)?;
        }
    }
    Ok(())
}
