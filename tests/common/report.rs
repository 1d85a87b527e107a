//! The JSON report as the contract describes it, for deserialising
//! credsweep's output in tests. Unknown fields are rejected, so any drift
//! from the contract's shape fails a test. Shared by every test module.
#![allow(dead_code)]

use serde::Deserialize;

/// `--format json`: the whole document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub version: u32,
    pub tool: Tool,
    pub findings: Vec<Finding>,
    pub stats: Stats,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// One finding (also one line of `--format jsonl`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub rule_id: String,
    pub kind: String,
    pub severity: String,
    /// `high`, `medium` or `low`: why credsweep believes it.
    pub confidence: String,
    pub message: String,
    pub location: Location,
    pub secret: Option<Secret>,
    pub pod_security: Option<serde_json::Value>,
    pub commit: Option<Commit>,
    pub fingerprint: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secret {
    pub redacted: String,
    pub entropy: f64,
    pub validated: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Commit {
    pub id: String,
    pub author: String,
    pub email: String,
    pub date: String,
    pub summary: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    pub blobs: u64,
    pub commits: u64,
    pub skipped: u64,
    pub duration_ms: u64,
}
