//! The one type every stage shares: a [`Finding`], with its location, severity
//! and fingerprint, plus the sort order that makes output deterministic.
//!
//! Detectors create findings, filters drop them, reporters print them. Nothing
//! here prints a secret: the raw value is kept out of serialisation and only
//! reaches the output through [`crate::mask`].

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::sync::Arc;

/// How bad a finding is. Ordered from least to most severe, so `>=` compares
/// against `--min-severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a severity name as written in rules, config and flags.
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_lowercase().as_str() {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why credsweep believes a finding, weakest first, so `>=` compares
/// against `--min-confidence`.
///
/// - `high`: an offline validator confirmed the secret (`checksum`,
///   `structure`), or the rule's format is unambiguous by itself: the
///   secret carries a provider prefix the rule keys on (`ghp_`, `xoxb-`,
///   `sk-ant-`, a PEM armour line). Pod-security findings are `high` too:
///   they are facts read off the manifest's structure.
/// - `medium`: a provider rule that recognises the value by a context
///   keyword next to it (`acme … key = <value>`), not by the value alone.
/// - `low`: a catch-all rule (`generic: true`: an assignment plus entropy, a
///   password by its name), or a validator found the checksum broken.
///
/// How a secret finding gets its value is
/// [`crate::rules::CompiledRule::confidence`] and
/// [`crate::detectors::validate::Validation::confidence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// Parses a confidence name as written in rules, config and flags.
    pub fn parse(s: &str) -> Option<Confidence> {
        Some(match s.to_ascii_lowercase().as_str() {
            "low" => Confidence::Low,
            "medium" => Confidence::Medium,
            "high" => Confidence::High,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a finding is a leaked secret or a pod-security setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FindingKind {
    #[serde(rename = "secret")]
    Secret,
    #[serde(rename = "pod-security")]
    PodSecurity,
}

/// Where a finding is. Lines and columns are 1-based; columns count bytes.
/// `end_column` is exclusive (one past the last byte), so for a secret on one
/// line `end_column - column` is its length in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Shared by a file's pod-security findings (see `detectors::intern`).
    pub path: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// `column` and `end_column` counted in UTF-16 code units (what SARIF's
    /// `utf16CodeUnits` column kind and GitHub code scanning count), set
    /// by the detector only when they differ from the byte columns (a
    /// non-ASCII character earlier on the line). Not serialised: JSON
    /// columns count bytes.
    #[serde(skip)]
    pub utf16_columns: Option<(usize, usize)>,
}

/// What the report may say about a secret. `redacted` is already masked unless
/// the user asked for `--show-secrets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretInfo {
    pub redacted: String,
    pub entropy: f64,
    pub validated: Option<String>,
}

/// Details of a pod-security finding, as the contract describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodSecurityInfo {
    // Shared (see `detectors::intern`): the same few levels, objects and
    // field paths recur on thousands of findings.
    /// `baseline`, `restricted` or `hygiene`.
    pub level: Arc<str>,
    /// `Kind/namespace/name`.
    pub object: Arc<str>,
    pub container: Option<Arc<str>>,
    /// Field path, e.g. `spec.containers[0].securityContext.privileged`.
    pub field: Arc<str>,
}

/// The commit that introduced a finding (`credsweep git` only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    pub id: String,
    pub author: String,
    pub email: String,
    /// RFC 3339.
    pub date: String,
    pub summary: String,
}

/// One thing credsweep reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub kind: FindingKind,
    pub severity: Severity,
    /// Why credsweep believes it (see [`Confidence`]); not part of the
    /// fingerprint or the baseline.
    pub confidence: Confidence,
    /// Shared (see `detectors::intern`): a manifest-heavy tree repeats one
    /// pod-security message on thousands of findings.
    pub message: Arc<str>,
    pub location: Location,
    // The three optional parts are boxed: a finding has at most two of them,
    // and a manifest-heavy scan holds hundreds of thousands of findings
    // (456 bytes each unboxed, 208 boxed) until they are sorted.
    pub secret: Option<Box<SecretInfo>>,
    pub pod_security: Option<Box<PodSecurityInfo>>,
    pub commit: Option<Box<CommitInfo>>,
    pub fingerprint: Fingerprint,
    /// SHA-256 of the secret (hex); what a baseline stores. Never the secret.
    #[serde(skip)]
    pub secret_hash: Option<String>,
    /// The raw secret, kept only in memory so `--show-secrets` and `redact`
    /// can use it. Never serialised.
    #[serde(skip)]
    pub raw_secret: Option<String>,
}

impl Finding {
    /// Deterministic report order: path, line, column, rule id, then the rest
    /// so that no two distinct findings compare equal by accident.
    pub fn report_order(a: &Finding, b: &Finding) -> Ordering {
        a.location
            .path
            .cmp(&b.location.path)
            .then_with(|| Finding::order_within_path(a, b))
    }

    /// [`Finding::report_order`] for two findings of one path.
    fn order_within_path(a: &Finding, b: &Finding) -> Ordering {
        a.location
            .line
            .cmp(&b.location.line)
            .then(a.location.column.cmp(&b.location.column))
            .then(a.rule_id.cmp(&b.rule_id))
            .then(a.location.end_line.cmp(&b.location.end_line))
            .then(a.location.end_column.cmp(&b.location.end_column))
            .then(a.fingerprint.cmp(&b.fingerprint))
    }
}

/// SHA-256 of the given parts, separated by NUL so `("ab","c")` and
/// `("a","bc")` differ.
fn digest_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(p);
    }
    h.finalize().into()
}

/// Hex SHA-256 of the given parts (see [`digest_parts`]).
pub fn hash_parts(parts: &[&[u8]]) -> String {
    hex::encode(digest_parts(parts))
}

/// What identifies a finding across runs: the SHA-256 of its rule and path
/// and of its secret (or object and field), written as 64 hex digits. Kept
/// as the 32 bytes: a manifest-heavy scan holds hundreds of thousands of
/// findings until the report, and the hex text was 88 bytes of each.
/// Compares as its hex text does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of `parts` (see [`digest_parts`]).
    pub fn of(parts: &[&[u8]]) -> Fingerprint {
        Fingerprint(digest_parts(parts))
    }

    /// The 64 hex digits, without allocating.
    fn hex(&self) -> [u8; 64] {
        let mut out = [b'0'; 64];
        // cannot fail: 64 bytes is exactly twice 32
        let _ = hex::encode_to_slice(self.0, &mut out);
        out
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hex = self.hex();
        f.write_str(std::str::from_utf8(&hex).map_err(|_| std::fmt::Error)?)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let hex = self.hex();
        s.serialize_str(std::str::from_utf8(&hex).map_err(serde::ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(&text, &mut bytes).map_err(|e| {
            serde::de::Error::custom(format!("fingerprint {text:?}: {e} (want 64 hex digits)"))
        })?;
        Ok(Fingerprint(bytes))
    }
}

/// Fingerprint of a secret finding: depends on rule, path and secret only, so
/// it survives line moves and reformatting.
pub fn secret_fingerprint(rule_id: &str, path: &str, secret: &[u8]) -> Fingerprint {
    Fingerprint::of(&[rule_id.as_bytes(), path.as_bytes(), secret])
}

/// Hash of a secret alone (used by baselines to follow renamed files).
pub fn secret_hash(secret: &[u8]) -> String {
    hash_parts(&[b"credsweep-secret", secret])
}

/// Puts batches of findings (a scan's, one batch per file) into report
/// order: each batch sorted on its own, then the batches by path, on all
/// cores, without moving a finding from its batch. When some batch holds
/// two paths, or a path spans two batches (`git` gives one batch of
/// everything), they are joined into one batch and sorted whole.
pub fn sort_batches(mut batches: Vec<Vec<Finding>>) -> Vec<Vec<Finding>> {
    use rayon::prelude::*;
    fn path(batch: &[Finding]) -> Option<&str> {
        batch.first().map(|f| &*f.location.path)
    }
    batches.retain(|b| !b.is_empty());
    let one_path = |b: &Vec<Finding>| b.iter().all(|f| Some(&*f.location.path) == path(b));
    if batches.len() > 1 && batches.par_iter().all(one_path) {
        batches.par_sort_unstable_by(|a, b| path(a).cmp(&path(b)));
        if batches.windows(2).all(|w| path(&w[0]) != path(&w[1])) {
            batches
                .par_iter_mut()
                .for_each(|b| b.sort_unstable_by(Finding::order_within_path));
            return batches;
        }
    }
    let mut all = if batches.len() == 1 {
        batches.pop().unwrap_or_default()
    } else {
        batches.into_iter().flatten().collect()
    };
    sort_for_report(&mut all);
    vec![all]
}

/// Sorts findings into [`Finding::report_order`], on all cores.
///
/// Sources emit a file's findings together, and paths share long prefixes
/// (`/srv/charts/...`), so comparing paths dominated a plain sort of 100k+
/// findings. Here each run of one path is sorted without looking at the
/// path, then the runs are put in path order (one comparison per pair of
/// runs, not per pair of findings) by following the permutation's cycles in
/// place. When a path occurs in two separate runs (possible for `git`), a
/// plain sort does it.
pub fn sort_for_report(findings: &mut [Finding]) {
    use rayon::prelude::*;
    findings
        .par_chunk_by_mut(|a, b| a.location.path == b.location.path)
        .for_each(|run| run.sort_unstable_by(Finding::order_within_path));
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, pair) in findings.windows(2).enumerate() {
        if pair[0].location.path != pair[1].location.path {
            runs.push((start, i + 1));
            start = i + 1;
        }
    }
    if !findings.is_empty() {
        runs.push((start, findings.len()));
    }
    let path = |run: &(usize, usize)| &*findings[run.0].location.path;
    runs.par_sort_unstable_by(|a, b| path(a).cmp(path(b)));
    if runs.windows(2).any(|w| path(&w[0]) == path(&w[1])) {
        findings.par_sort_unstable_by(Finding::report_order);
        return;
    }
    // `order[i]` = where the finding that belongs at `i` is now
    let mut order: Vec<usize> = runs.iter().flat_map(|&(s, e)| s..e).collect();
    for first in 0..order.len() {
        let mut at = first;
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == first {
                break;
            }
            findings.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both sorts, by runs ([`sort_for_report`]) and by batches
    /// ([`sort_batches`]), give the plain sort's order.
    #[test]
    fn sorting_by_runs_or_batches_gives_the_report_order() {
        let mut rng = fastrand::Rng::with_seed(11);
        for round in 0..200 {
            // each file's findings together, files in random order; now and
            // then a path that comes back in a later run (the fallback)
            let mut groups: Vec<Vec<Finding>> = (0..rng.usize(0..12))
                .map(|f| {
                    let path = format!("dir/f{}.yaml", if round % 7 == 0 { f % 3 } else { f });
                    (0..rng.usize(1..9))
                        .map(|_| {
                            test_finding(
                                &path,
                                rng.usize(1..6),
                                rng.usize(1..4),
                                &format!("r{}", rng.usize(0..3)),
                            )
                        })
                        .collect()
                })
                .collect();
            rng.shuffle(&mut groups);
            // now and then an empty batch, or a batch holding two paths
            if round % 5 == 1 {
                groups.push(Vec::new());
            }
            if round % 5 == 2
                && groups.len() > 1
                && let Some(f) = groups[0].pop()
            {
                groups[1].push(f);
            }
            let batched: Vec<Finding> =
                sort_batches(groups.clone()).into_iter().flatten().collect();
            let mut findings: Vec<Finding> = groups.into_iter().flatten().collect();
            let mut want = findings.clone();
            want.sort_by(Finding::report_order);
            sort_for_report(&mut findings);
            let key = |f: &Finding| {
                (
                    f.location.path.clone(),
                    f.location.line,
                    f.location.column,
                    f.rule_id.clone(),
                )
            };
            let want: Vec<_> = want.iter().map(key).collect();
            assert_eq!(
                findings.iter().map(key).collect::<Vec<_>>(),
                want,
                "round {round}"
            );
            assert_eq!(
                batched.iter().map(key).collect::<Vec<_>>(),
                want,
                "round {round}"
            );
        }
    }

    fn test_finding(path: &str, line: usize, column: usize, rule: &str) -> Finding {
        Finding {
            rule_id: rule.to_string(),
            kind: FindingKind::Secret,
            severity: Severity::Low,
            confidence: Confidence::Low,
            message: "".into(),
            location: Location {
                path: path.into(),
                line,
                column,
                end_line: line,
                end_column: column + 1,
                utf16_columns: None,
            },
            secret: None,
            pod_security: None,
            commit: None,
            fingerprint: Fingerprint::of(&[]),
            secret_hash: None,
            raw_secret: None,
        }
    }

    /// Kept as bytes, a fingerprint still reads, writes and sorts as its
    /// 64 hex digits.
    #[test]
    fn fingerprints_read_write_and_sort_as_hex() {
        let mut rng = fastrand::Rng::with_seed(5);
        let prints: Vec<Fingerprint> = (0..200)
            .map(|_| Fingerprint::of(&[&rng.u64(..).to_le_bytes()]))
            .collect();
        for (a, b) in prints.iter().zip(&prints[1..]) {
            assert_eq!(a.cmp(b), a.to_string().cmp(&b.to_string()));
        }
        let a = prints[0];
        assert_eq!(
            a.to_string(),
            hash_parts(&[&{
                let mut rng = fastrand::Rng::with_seed(5);
                rng.u64(..).to_le_bytes()
            }])
        );
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, format!("\"{a}\""));
        assert_eq!(serde_json::from_str::<Fingerprint>(&json).unwrap(), a);
        let bad = serde_json::from_str::<Fingerprint>("\"abc\"").unwrap_err();
        assert!(bad.to_string().contains("64 hex digits"), "{bad}");
    }

    #[test]
    fn fingerprint_ignores_position_but_not_path() {
        let a = secret_fingerprint("r", "a.txt", b"s3cr3t");
        assert_eq!(a, secret_fingerprint("r", "a.txt", b"s3cr3t"));
        assert_ne!(a, secret_fingerprint("r", "b.txt", b"s3cr3t"));
        assert_ne!(hash_parts(&[b"ab", b"c"]), hash_parts(&[b"a", b"bc"]));
    }

    #[test]
    fn confidence_orders_parses_and_prints() {
        assert!(Confidence::High > Confidence::Medium);
        assert!(Confidence::Medium > Confidence::Low);
        assert_eq!(Confidence::parse("HIGH"), Some(Confidence::High));
        assert_eq!(Confidence::parse("sure"), None);
        for c in [Confidence::Low, Confidence::Medium, Confidence::High] {
            assert_eq!(Confidence::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
        }
    }

    #[test]
    fn severity_orders_and_parses() {
        assert!(Severity::Critical > Severity::High);
        assert_eq!(Severity::parse("MEDIUM"), Some(Severity::Medium));
        assert_eq!(Severity::parse("urgent"), None);
    }
}
