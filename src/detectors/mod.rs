//! Detectors turn a [`Blob`] into findings: secret rules ([`secrets`]), with
//! entropy ([`entropy`]), placeholder heuristics ([`placeholder`]), global
//! false-positive lists ([`false_positive`]), offline validators
//! ([`validate`], [`jwt_claims`]) and base64-decoded values ([`encoded`]).
//! Inline ignores are applied here, while the blob's bytes are at hand; every
//! other filter runs later on findings. Kubernetes manifests also go through
//! [`k8s`] (pod security, and secrets inside Secret/ConfigMap objects).

pub mod encoded;
pub mod entropy;
pub mod false_positive;
pub mod intern;
pub mod jwt_claims;
pub mod k8s;
pub mod placeholder;
pub mod secrets;
pub mod validate;

use crate::filters::inline;
use crate::finding::{Finding, FindingKind, Location, secret_fingerprint, secret_hash};
use crate::rules::RuleSet;
use crate::sources::Blob;
use crate::stats::Stats;
use encoded::{EncodedMatch, EncodedScratch, find_encoded};
pub use secrets::Scratch;
use secrets::{SecretMatch, find_secrets};

/// The part of a blob to report on, for a chunk of a stream
/// ([`crate::sources::stream`]): the chunk carries some already-scanned
/// bytes before its new ones (context for the regex and inline ignores), so
/// only matches starting in `accept` are reported, each exactly once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// 1-based byte column of `bytes[0]`: 1 unless a line longer than the
    /// chunk forced a cut in the middle of a line.
    pub first_column: usize,
    /// Byte offsets (into the blob) where a reported match may start.
    pub accept: std::ops::Range<usize>,
}

impl Part {
    /// The whole of a blob of `len` bytes that starts at a line start.
    pub fn whole(len: usize) -> Self {
        Part {
            first_column: 1,
            accept: 0..len,
        }
    }
}

/// Which families of findings to produce (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Only {
    #[default]
    All,
    Secrets,
    PodSecurity,
}

/// Everything needed to turn blobs into findings; built once per run and
/// shared (read-only) by all workers.
#[derive(Debug)]
pub struct Detector {
    pub rules: RuleSet,
    /// Put the whole secret in `secret.redacted` (`--show-secrets`).
    pub show_secrets: bool,
    pub only: Only,
    /// Kubernetes pod-security checks ([`k8s`]).
    pub pod_security: k8s::PodSecurityOptions,
}

/// Per-worker state: scratch buffers reused across blobs.
#[derive(Debug, Default)]
pub struct WorkerState {
    pub scratch: Scratch,
    /// The manifest tree, reused from blob to blob (see
    /// [`k8s::yaml::parse_selected_into`]).
    pub tree: k8s::yaml::Tree,
    /// Strings many findings repeat (pod-security messages, field paths,
    /// objects), one shared copy each.
    pub strings: intern::Interner,
    matches: Vec<SecretMatch>,
    encoded_scratch: EncodedScratch,
    encoded: Vec<EncodedMatch>,
}

impl Detector {
    pub fn new(rules: RuleSet) -> Self {
        Detector {
            rules,
            show_secrets: false,
            only: Only::All,
            pod_security: k8s::PodSecurityOptions::default(),
        }
    }

    /// A detector with the built-in rules, every regex compiled up front
    /// (see [`RuleSet::compile_all`]): for harnesses that time each input,
    /// such as the fuzz targets, where a lazy compile would count against
    /// the first input that happens to hit a keyword.
    pub fn builtin_precompiled() -> crate::error::Result<Self> {
        let rules = RuleSet::compile(crate::rules::load::builtin_rules()?)?;
        rules.compile_all();
        Ok(Detector::new(rules))
    }

    /// All findings in one blob, inline ignores already applied.
    pub fn detect(&self, blob: &Blob, state: &mut WorkerState, stats: &Stats) -> Vec<Finding> {
        self.detect_part(blob, &Part::whole(blob.bytes.len()), state, stats)
    }

    /// Findings of one part of a stream (see [`Part`]): only matches that
    /// start in `part.accept` are reported.
    pub fn detect_part(
        &self,
        blob: &Blob,
        part: &Part,
        state: &mut WorkerState,
        stats: &Stats,
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        self.each_secret(blob, part, state, stats, |_, f| findings.push(f));
        // Manifests are checked as whole documents: a streamed part of a
        // huge file (a log) is never parsed as YAML.
        if part.accept == (0..blob.bytes.len()) && blob.first_line == 1 {
            k8s::detect(self, blob, state, stats, &mut findings);
        }
        fill_utf16_columns(&mut findings, blob, part.first_column);
        findings
    }

    /// Calls `f(byte span in blob.bytes, finding)` for every secret that
    /// starts in `part.accept` and is not suppressed inline, in order of
    /// start offset. `redact` uses the spans; `detect` keeps the findings.
    /// Plain matches and matches inside base64-decoded values are merged in
    /// offset order; a decoded match's span is the encoded value's.
    pub fn each_secret(
        &self,
        blob: &Blob,
        part: &Part,
        state: &mut WorkerState,
        stats: &Stats,
        mut f: impl FnMut(std::ops::Range<usize>, Finding),
    ) {
        if self.only == Only::PodSecurity {
            return;
        }
        state.matches.clear();
        state.encoded.clear();
        find_secrets(
            &self.rules,
            blob.bytes,
            &mut state.scratch,
            &mut state.matches,
        );
        let fp = false_positive::global();
        if fp.is_localisation_file(blob.path) {
            // translations of the word "password", not passwords
            state.matches.retain(|m| !self.rules.rules[m.rule].generic);
        } else if fp.is_code_file(blob.path) {
            // in code an unquoted value is a variable (`password = auth`)
            state.matches.retain(|m| {
                !self.rules.rules[m.rule].generic
                    || !false_positive::unquoted_identifier(blob.bytes, m.start, m.end)
            });
        }
        if fp.is_lock_file(blob.path) {
            // lock files: integrity hashes, not secrets (see false_positive)
            state.matches.retain(|m| {
                !self.rules.rules[m.rule].generic && !fp.in_hash_value(blob.bytes, m.start)
            });
        } else {
            find_encoded(
                &self.rules,
                blob.bytes,
                &mut state.scratch,
                &mut state.encoded_scratch,
                &mut state.encoded,
            );
            // a value found decoded is not also reported as the base64 text
            // it is encoded in: not by the same rule, and not by a catch-all
            // rule (the decoded secret is what that match was)
            let encoded = &state.encoded;
            if !encoded.is_empty() {
                state.matches.retain(|m| {
                    let catch_all = secrets::is_catch_all(&self.rules, m.rule);
                    !encoded.iter().any(|e| {
                        (e.inner.rule == m.rule && e.start <= m.start && m.end <= e.end)
                            || (catch_all && m.start < e.end && e.start < m.end)
                    })
                });
            }
        }
        let mut cursor = LineCursor::with_column(blob.bytes, blob.first_line, part.first_column);
        let (mut a, mut b) = (0, 0);
        while a < state.matches.len() || b < state.encoded.len() {
            let take_plain = match (state.matches.get(a), state.encoded.get(b)) {
                (Some(m), Some(e)) => m.start <= e.start,
                (Some(_), None) => true,
                _ => false,
            };
            let (rule, span) = if take_plain {
                let m = &state.matches[a];
                a += 1;
                (m.rule, m.start..m.end)
            } else {
                let e = &state.encoded[b];
                b += 1;
                (e.inner.rule, e.start..e.end)
            };
            if !part.accept.contains(&span.start) {
                continue;
            }
            let (line, column, line_start) = cursor.locate(span.start);
            if inline::suppressed(blob.bytes, line_start, &self.rules.rules[rule].id, &|id| {
                self.rules.find(id).is_some()
            }) {
                Stats::add(&stats.suppressed_inline, 1);
                continue;
            }
            let end = end_position(&blob.bytes[span.clone()], line, column);
            let finding = if take_plain {
                let m = &state.matches[a - 1];
                self.secret_finding(
                    blob,
                    m,
                    &blob.bytes[span.clone()],
                    (line, column),
                    end,
                    false,
                )
            } else {
                let e = &state.encoded[b - 1];
                self.secret_finding(blob, &e.inner, &e.secret, (line, column), end, true)
            };
            f(span, finding);
        }
    }

    /// A finding for `secret`, matched as `m`, spanning `start`..`end`
    /// (line, column). `decoded`: found in base64-decoded text, so the
    /// location is the encoded value's and the message says so.
    fn secret_finding(
        &self,
        blob: &Blob,
        m: &SecretMatch,
        secret: &[u8],
        start: (usize, usize),
        end: (usize, usize),
        decoded: bool,
    ) -> Finding {
        let rule = &self.rules.rules[m.rule];
        let text = String::from_utf8_lossy(secret).into_owned();
        let mut message = match &m.validation.note {
            Some(note) => format!("{} ({note})", rule.name),
            None => rule.name.clone(),
        };
        if decoded {
            message.push_str(" (base64-decoded)");
        }
        Finding {
            rule_id: rule.id.clone(),
            kind: FindingKind::Secret,
            severity: m.severity,
            confidence: m.validation.confidence(rule.confidence()),
            message: message.into(),
            location: Location {
                path: blob.path.into(),
                line: start.0,
                column: start.1,
                end_line: end.0,
                end_column: end.1,
                utf16_columns: None,
            },
            secret: Some(Box::new(m.info(&text, self.show_secrets))),
            pod_security: None,
            commit: blob.commit.cloned().map(Box::new),
            // decoded or not, one fingerprint per (rule, path, secret): the
            // Kubernetes pass relies on it not to report a value twice
            fingerprint: secret_fingerprint(&rule.id, blob.path, secret),
            secret_hash: Some(secret_hash(secret)),
            raw_secret: Some(text),
        }
    }
}

/// Sets [`Location::utf16_columns`] on findings whose line has a
/// non-ASCII character before a column. Only blobs with findings and
/// non-ASCII bytes pay for it: a line-start table, then a count of UTF-16
/// code units up to each column (a byte that starts a 4-byte UTF-8
/// sequence counts 2, a continuation byte 0, any other byte 1, so invalid
/// UTF-8 counts as one unit per byte). A column on the first line of a
/// chunk cut in the middle of a long line (`first_column` > 1) counts the
/// part before the chunk as bytes.
fn fill_utf16_columns(findings: &mut [Finding], blob: &Blob, first_column: usize) {
    let bytes = blob.bytes;
    if findings.is_empty() || bytes.is_ascii() {
        return;
    }
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    let shift = first_column.saturating_sub(1);
    let units = |line: usize, column: usize| -> Option<usize> {
        let index = line.checked_sub(blob.first_line)?;
        let start = *starts.get(index)?;
        let before = if index == 0 { shift } else { 0 };
        let len = column.checked_sub(1)?.checked_sub(before)?;
        let end = start.saturating_add(len).min(bytes.len());
        Some(before + utf16_units(&bytes[start..end]) + 1)
    };
    for f in findings {
        let l = &mut f.location;
        if let (Some(a), Some(b)) = (units(l.line, l.column), units(l.end_line, l.end_column))
            && (a, b) != (l.column, l.end_column)
        {
            l.utf16_columns = Some((a, b));
        }
    }
}

/// UTF-16 code units of UTF-8 `bytes` (see [`fill_utf16_columns`]).
fn utf16_units(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

/// Line and column (1-based, exclusive end column) just past `secret`, which
/// starts at (`line`, `column`).
fn end_position(secret: &[u8], line: usize, column: usize) -> (usize, usize) {
    match memchr::memrchr(b'\n', secret) {
        None => (line, column + secret.len()),
        Some(last) => {
            let newlines = memchr::memchr_iter(b'\n', secret).count();
            (line + newlines, secret.len() - last)
        }
    }
}

/// Turns increasing byte offsets into (line, column) by counting newlines
/// since the previous offset: no per-line table, no allocation.
#[derive(Debug)]
pub struct LineCursor<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    /// Columns to add while still on the first line (`first_column - 1`).
    shift: usize,
}

impl<'a> LineCursor<'a> {
    pub fn new(data: &'a [u8], first_line: usize) -> Self {
        Self::with_column(data, first_line, 1)
    }

    /// A cursor whose `data[0]` sits at 1-based `first_column` of its line
    /// (a stream chunk cut in the middle of a long line).
    pub fn with_column(data: &'a [u8], first_line: usize, first_column: usize) -> Self {
        LineCursor {
            data,
            pos: 0,
            line: first_line,
            line_start: 0,
            shift: first_column.saturating_sub(1),
        }
    }

    /// (line, column, byte offset of the line's start) of `offset`. Offsets
    /// must not decrease between calls.
    pub fn locate(&mut self, offset: usize) -> (usize, usize, usize) {
        let offset = offset.min(self.data.len());
        if offset > self.pos {
            let span = &self.data[self.pos..offset];
            let n = memchr::memchr_iter(b'\n', span).count();
            if n > 0 {
                self.line += n;
                if let Some(last) = memchr::memrchr(b'\n', span) {
                    self.line_start = self.pos + last + 1;
                }
                self.shift = 0;
            }
            self.pos = offset;
        }
        (
            self.line,
            offset - self.line_start + 1 + self.shift,
            self.line_start,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_cursor_counts_lines_and_bytes() {
        let data = b"ab\r\ncd\nxyz";
        let mut c = LineCursor::new(data, 1);
        assert_eq!(c.locate(0), (1, 1, 0));
        assert_eq!(c.locate(4), (2, 1, 4));
        assert_eq!(c.locate(5), (2, 2, 4));
        assert_eq!(c.locate(9), (3, 3, 7));
    }

    #[test]
    fn utf16_units_count_code_units() {
        assert_eq!(utf16_units("abc".as_bytes()), 3);
        assert_eq!(utf16_units("日本語".as_bytes()), 3);
        assert_eq!(utf16_units("é😀".as_bytes()), 3);
        assert_eq!(utf16_units(b"\xff\xfe"), 4);
    }

    #[test]
    fn line_cursor_first_column_applies_to_first_line_only() {
        let mut c = LineCursor::with_column(b"abc\ndef", 7, 11);
        assert_eq!(c.locate(1), (7, 12, 0));
        assert_eq!(c.locate(5), (8, 2, 4));
    }

    #[test]
    fn end_position_spans_lines() {
        assert_eq!(end_position(b"abcd", 3, 5), (3, 9));
        assert_eq!(end_position(b"ab\ncd\nxyz", 1, 1), (3, 4));
    }
}
