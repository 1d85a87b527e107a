//! serde types mirroring a rule file exactly as written. No compilation here:
//! [`super::compile`] turns these into something that matches.
//!
//! A rule file is a YAML list of rules:
//!
//! ```yaml
//! - id: github-pat
//!   name: GitHub personal access token (classic)
//!   severity: critical
//!   keywords: [ghp_]
//!   regex: '\b(ghp_[A-Za-z0-9]{36})\b'
//!   validator: github
//!   examples: ["token = {{lit:ghp_}}{{base62:30}}{{github-crc}}"]
//!   negative_examples: ["ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"]
//! ```

use serde::{Deserialize, Serialize};

/// One rule as written in YAML. Unknown keys are errors, so a typo such as
/// `min_entorpy` is caught instead of silently ignored.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleSyntax {
    /// Stable identifier, lowercase with dashes (`github-pat`).
    pub id: String,
    /// Short human name, used as the finding message.
    pub name: String,
    /// `critical`, `high`, `medium`, `low` or `info`.
    pub severity: String,
    /// Literal strings, matched case-insensitively, one of which must occur
    /// near a match. They drive the prefilter: no keyword, no regex work.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The pattern. The secret is the capture group named `secret`, or else
    /// group 1, or else the whole match.
    pub regex: String,
    /// Minimum Shannon entropy (bits per byte) of the captured secret.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// Minimum length of the captured secret, in bytes.
    #[serde(default)]
    pub min_length: Option<usize>,
    /// Offline validator name (see `detectors::validate`).
    #[serde(default)]
    pub validator: Option<String>,
    /// Apply the placeholder/reference heuristics of generic assignment rules
    /// (`${VAR}`, `<TOKEN>`, `changeme`, `process.env.X`, …).
    #[serde(default)]
    pub generic: bool,
    /// Bytes around a keyword hit that the regex may look at (default 512
    /// before, 1024 after). Raise it for long secrets such as PEM keys.
    #[serde(default)]
    pub window: Option<usize>,
    /// The secret and the keyword that finds it are on one line, so the
    /// regex only needs the keyword's own line (still at most `window`
    /// bytes either side). Defaults to `generic`: assignments are one line.
    /// Very common keywords (`token`, `key:`, `://`) open a window every few
    /// hundred bytes of ordinary text, and a multi-line window makes the
    /// regex read most of the file again.
    #[serde(default)]
    pub single_line: Option<bool>,
    /// Why a finding of this rule is believed: `high`, `medium` or `low`.
    /// Optional: by default it is derived from the rule (`generic: true`
    /// rules are `low`; a rule whose secret itself holds one of its
    /// keywords, a provider prefix such as `ghp_`, is `high`; any other
    /// rule, which needs a keyword next to the value, is `medium`). An
    /// offline validator's verdict still wins: confirmed is `high`, a
    /// broken checksum `low`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// Values that are never findings for this rule.
    #[serde(default)]
    pub allowlist: Option<AllowlistSyntax>,
    /// What the secret is and what an attacker can do with it.
    #[serde(default)]
    pub description: Option<String>,
    /// How to revoke/rotate it and what to use instead.
    #[serde(default)]
    pub remediation: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
    /// Texts that must produce a finding of this rule. May use the fake-token
    /// templates of [`super::template`].
    #[serde(default)]
    pub examples: Vec<String>,
    /// Texts that must not produce a finding of this rule.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// Per-rule allowlist.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AllowlistSyntax {
    /// Regexes matched against the captured secret.
    #[serde(default)]
    pub values: Vec<String>,
    /// Case-insensitive substrings; a secret containing one is dropped.
    #[serde(default)]
    pub stopwords: Vec<String>,
}

/// 1-based line of the `field:` key of the rule whose `id:` is on
/// `id_line` (a rule file is a top-level list: the rule's block runs from
/// the `-` at column 0 at or before `id_line` to the next one); `None` when
/// the rule has no such key on a line of its own.
pub fn field_line(text: &str, id_line: usize, field: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let item = |l: &&str| l.starts_with('-');
    let at = id_line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    let start = (0..=at).rev().find(|&i| item(&lines[i])).unwrap_or(0);
    let end = (at + 1..lines.len())
        .find(|&i| item(&lines[i]))
        .unwrap_or(lines.len());
    let key = format!("{field}:");
    (start..end)
        .find(|&i| {
            let t = lines[i].trim_start();
            let t = t.strip_prefix('-').map(str::trim_start).unwrap_or(t);
            t.starts_with(&key)
        })
        .map(|i| i + 1)
}

/// The line where `id: <id>` is written (serde_yaml gives no positions for
/// values that parsed fine); 1 when it cannot be found.
pub fn id_line(text: &str, id: &str) -> usize {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start().trim_start_matches('-').trim_start();
        if let Some(rest) = t.strip_prefix("id:") {
            let v = rest.trim().trim_matches(|c| c == '"' || c == '\'');
            if v == id {
                return i + 1;
            }
        }
    }
    1
}

/// A rule's documentation and examples: what `rules explain`, `rules test`
/// and SARIF's rule descriptors read, and what a scan never does. Kept out
/// of the scan's way: the built-in rules' docs are embedded apart from
/// their scan fields and parsed only when asked for (they are most of the
/// rules' bytes, and parsing them was most of a pre-commit run's start-up).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct RuleDocs {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub remediation: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

impl RuleSyntax {
    /// Moves the documentation fields out (they are left empty).
    pub fn take_docs(&mut self) -> RuleDocs {
        RuleDocs {
            description: self.description.take(),
            remediation: self.remediation.take(),
            references: std::mem::take(&mut self.references),
            examples: std::mem::take(&mut self.examples),
            negative_examples: std::mem::take(&mut self.negative_examples),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn field_lines_stay_inside_their_rule() {
        let text = "- id: a\n  regex: x\n- name: b\n  id: b\n  keywords: [b]\n  regex: >\n    y\n- id: c\n";
        assert_eq!(super::field_line(text, 1, "regex"), Some(2));
        assert_eq!(super::field_line(text, 4, "regex"), Some(6));
        assert_eq!(super::field_line(text, 8, "regex"), None);
        assert_eq!(super::field_line(text, 4, "name"), Some(3));
    }
}
