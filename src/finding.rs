//! The one type every stage shares: a [`Finding`], with its location, severity
//! and fingerprint, plus the sort order that makes output deterministic.
//!
//! Detectors create findings, filters drop them, reporters print them. Nothing
//! here prints a secret: the raw value is kept out of serialisation and only
//! reaches the output through [`crate::mask`].

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cmp::Ordering;

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
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
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
    /// `baseline`, `restricted` or `hygiene`.
    pub level: String,
    /// `Kind/namespace/name`.
    pub object: String,
    pub container: Option<String>,
    /// Field path, e.g. `spec.containers[0].securityContext.privileged`.
    pub field: String,
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
    pub message: String,
    pub location: Location,
    // The three optional parts are boxed: a finding has at most two of them,
    // and a manifest-heavy scan holds hundreds of thousands of findings
    // (456 bytes each unboxed, 208 boxed) until they are sorted.
    pub secret: Option<Box<SecretInfo>>,
    pub pod_security: Option<Box<PodSecurityInfo>>,
    pub commit: Option<Box<CommitInfo>>,
    pub fingerprint: String,
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
            .then(a.location.line.cmp(&b.location.line))
            .then(a.location.column.cmp(&b.location.column))
            .then(a.rule_id.cmp(&b.rule_id))
            .then(a.location.end_line.cmp(&b.location.end_line))
            .then(a.location.end_column.cmp(&b.location.end_column))
            .then(a.fingerprint.cmp(&b.fingerprint))
    }
}

/// Hex SHA-256 of the given parts, separated by NUL so `("ab","c")` and
/// `("a","bc")` differ.
pub fn hash_parts(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(p);
    }
    let digest = h.finalize();
    // Hex by table, no per-byte `format!`: a manifest-heavy scan makes
    // hundreds of thousands of fingerprints.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

/// Fingerprint of a secret finding: depends on rule, path and secret only, so
/// it survives line moves and reformatting.
pub fn secret_fingerprint(rule_id: &str, path: &str, secret: &[u8]) -> String {
    hash_parts(&[rule_id.as_bytes(), path.as_bytes(), secret])
}

/// Hash of a secret alone (used by baselines to follow renamed files).
pub fn secret_hash(secret: &[u8]) -> String {
    hash_parts(&[b"credsweep-secret", secret])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_position_but_not_path() {
        let a = secret_fingerprint("r", "a.txt", b"s3cr3t");
        assert_eq!(a, secret_fingerprint("r", "a.txt", b"s3cr3t"));
        assert_ne!(a, secret_fingerprint("r", "b.txt", b"s3cr3t"));
        assert_ne!(hash_parts(&[b"ab", b"c"]), hash_parts(&[b"a", b"bc"]));
    }

    #[test]
    fn severity_orders_and_parses() {
        assert!(Severity::Critical > Severity::High);
        assert_eq!(Severity::parse("MEDIUM"), Some(Severity::Medium));
        assert_eq!(Severity::parse("urgent"), None);
    }
}
