//! Redaction: copy a stream with every detected secret replaced by
//! `[REDACTED:<rule-id>]`, every other byte (line endings, invalid UTF-8,
//! NUL bytes) exactly as it was.
//!
//! It reuses the scan's machinery end to end: the [`Chunker`] cuts the input
//! (bounded memory), [`Detector::each_secret`] finds the secrets with the
//! same rules, inline ignores and placeholder checks as `scan`, and
//! [`filters::apply`] drops what the policy drops. This module only decides
//! which bytes to write.
//!
//! Overlapping matches (two rules, or one rule's match running into the
//! next) are merged into one mask covering their union. The mask names the
//! match that starts first; at the same start, the rule loaded first (the
//! built-in rule files in path order, then `--rules` folders).
//!
//! Where the output goes (stdout, a temporary file renamed over the
//! original, gzip or not) is the CLI's business.

use crate::detectors::{Detector, WorkerState};
use crate::filters::{self, FilterPolicy};
use crate::sources::Blob;
use crate::sources::stream::{Chunker, overlap};
use crate::stats::Stats;
use std::io::{self, Read, Write};

/// Why a redaction stopped. Reading and writing fail for different reasons
/// and the CLI treats them differently: a read error is about one input, a
/// write error (broken pipe, full disk) ends the run.
#[derive(Debug, thiserror::Error)]
pub enum RedactError {
    #[error("reading: {0}")]
    Read(#[source] io::Error),
    #[error("writing: {0}")]
    Write(#[source] io::Error),
}

/// The text that replaces a secret found by `rule_id`.
pub fn mask_for(rule_id: &str) -> String {
    format!("[REDACTED:{rule_id}]")
}

/// Copies `reader` to `out`, masking secrets; returns how many masks were
/// written. `path` is the input's display name (inline ignores and filters
/// may depend on it). On a read error, everything read before it has been
/// written (redacted) to `out`.
#[allow(clippy::too_many_arguments)]
pub fn redact_stream(
    reader: impl Read,
    out: &mut dyn Write,
    path: &str,
    detector: &Detector,
    policy: &FilterPolicy,
    state: &mut WorkerState,
    stats: &Stats,
    chunk_size: usize,
) -> Result<u64, RedactError> {
    let mut chunker = Chunker::new(reader, chunk_size, overlap(&detector.rules));
    // Absolute offset up to which output has been produced.
    let mut written: u64 = 0;
    let mut masks: u64 = 0;
    let mut spans: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    while let Some(chunk) = chunker.next_chunk() {
        let blob = Blob {
            path,
            bytes: chunk.bytes,
            first_line: chunk.first_line,
            commit: None,
        };
        spans.clear();
        detector.each_secret(&blob, &chunk.part, state, stats, |span, finding| {
            let rule_id = finding.rule_id.clone();
            if !filters::apply(vec![finding], policy, stats).is_empty() {
                spans.push((span, rule_id));
            }
        });
        let base = chunk.offset;
        // `written` never lies before this chunk's accepted range, which
        // starts inside the buffer, so `written - base` indexes `bytes`.
        let local = |abs: u64| (abs - base) as usize;
        for (span, rule_id) in &spans {
            let (start, end) = (base + span.start as u64, base + span.end as u64);
            if start < written {
                // overlaps the previous mask: widen it, keep its id
                written = written.max(end);
                continue;
            }
            out.write_all(&chunk.bytes[local(written)..span.start])
                .map_err(RedactError::Write)?;
            out.write_all(mask_for(rule_id).as_bytes())
                .map_err(RedactError::Write)?;
            written = end;
            masks += 1;
        }
        let accept_end = base + chunk.part.accept.end as u64;
        if written < accept_end {
            out.write_all(&chunk.bytes[local(written)..chunk.part.accept.end])
                .map_err(RedactError::Write)?;
            written = accept_end;
        }
    }
    Stats::add(&stats.bytes, chunker.bytes_read());
    match chunker.error() {
        Some(e) => Err(RedactError::Read(e)),
        None => Ok(masks),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleSet, load::parse_rule_file};
    use std::path::Path;

    fn detector(yaml: &str) -> Detector {
        let rules = parse_rule_file(Path::new("t.yaml"), yaml).expect("parse");
        Detector::new(RuleSet::compile(rules).expect("compile"))
    }

    fn run(d: &Detector, input: &[u8], chunk: usize) -> (Vec<u8>, u64) {
        let mut out = Vec::new();
        let n = redact_stream(
            input,
            &mut out,
            "-",
            d,
            &FilterPolicy::default(),
            &mut WorkerState::default(),
            &Stats::default(),
            chunk,
        )
        .expect("redact");
        (out, n)
    }

    const RULES: &str = "
- id: aa
  name: a
  severity: high
  keywords: [key=]
  regex: 'key=([a-z0-9]{8,})'
- id: bb
  name: b
  severity: high
  keywords: [zz]
  regex: '(zz[a-z0-9=]{6})'
";

    #[test]
    fn masks_and_keeps_other_bytes() {
        let d = detector(RULES);
        let input = b"a\r\nkey=abcdef123\r\n\xff\xfe key=short\n";
        let (out, n) = run(&d, input, 1 << 20);
        assert_eq!(n, 1);
        assert_eq!(
            out,
            b"a\r\nkey=[REDACTED:aa]\r\n\xff\xfe key=short\n".to_vec()
        );
    }

    #[test]
    fn overlapping_matches_merge_first_start_wins() {
        let d = detector(RULES);
        // aa captures `abczz123456`, bb captures `zz123456` inside it
        let (out, n) = run(&d, b"key=abczz123456 tail", 1 << 20);
        assert_eq!(n, 1);
        assert_eq!(out, b"key=[REDACTED:aa] tail".to_vec());
        // bb (`zzkey=ab`) starts first, aa (`abcdefgh`) runs past it: one
        // mask over the union, bb's id
        let (out, n) = run(&d, b"zzkey=abcdefgh x", 1 << 20);
        assert_eq!(n, 1);
        assert_eq!(
            out,
            b"[REDACTED:bb] x".to_vec(),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }

    #[test]
    fn same_output_for_every_chunk_size() {
        let d = detector(RULES);
        let mut rng = fastrand::Rng::with_seed(11);
        let mut input = Vec::new();
        for i in 0..400 {
            match rng.usize(0..5) {
                0 => input.extend_from_slice(format!("key=s{i:08}x").as_bytes()),
                1 => input.extend_from_slice(b"\r\n"),
                2 => input.push(rng.u8(..)),
                _ => input.extend_from_slice(b"log line text "),
            }
        }
        let (want, n) = run(&d, &input, 1 << 20);
        assert!(n > 10);
        for chunk in [7, 64, 333, 4096] {
            assert_eq!(run(&d, &input, chunk), (want.clone(), n), "chunk {chunk}");
        }
    }
}
