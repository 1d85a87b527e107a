//! SARIF 2.1.0 for GitHub code scanning: every reported rule in
//! `tool.driver.rules` (with help text and `security-severity`), one result
//! per finding with a region and a content-based `partialFingerprints` entry,
//! so a finding keeps its identity when lines move.

use crate::finding::{Finding, Severity};
use crate::rules::RuleSet;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub maps this 0–10 score to its own critical/high/medium/low.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

pub fn write(findings: &[Finding], rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    // rule id -> (index, descriptor), in id order
    let mut descriptors: BTreeMap<&str, Value> = BTreeMap::new();
    for f in findings {
        descriptors
            .entry(&f.rule_id)
            .or_insert_with(|| describe(f, rules));
    }
    let index: BTreeMap<&str, usize> = descriptors
        .keys()
        .enumerate()
        .map(|(i, k)| (*k, i))
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut text = f.message.clone();
            if let Some(s) = &f.secret {
                text.push_str(&format!(": {}", s.redacted));
            }
            if let Some(p) = &f.pod_security {
                text.push_str(&format!(" ({} {}, field {})", p.level, p.object, p.field));
            }
            json!({
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id.as_str()],
                "level": level(f.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&f.location.path)},
                        "region": {
                            "startLine": f.location.line,
                            "startColumn": f.location.column,
                            "endLine": f.location.end_line,
                            "endColumn": f.location.end_column.max(f.location.column),
                        }
                    }
                }],
                "partialFingerprints": {"credsweep/v1": f.fingerprint},
                "properties": {"security-severity": security_severity(f.severity)},
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "credsweep",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/credsweep/credsweep",
                "rules": descriptors.into_values().collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// A finding path as a relative URI reference: bytes outside RFC 3986's
/// unreserved, sub-delims, `:`, `@` and `/` are percent-encoded (a space
/// becomes `%20`), so code scanning resolves paths with spaces or `#`.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn describe(f: &Finding, rules: &RuleSet) -> Value {
    let check = crate::detectors::k8s::checks::find(&f.rule_id);
    let (name, description, remediation, refs) = match (rules.find(&f.rule_id), check) {
        (None, Some(c)) => (
            c.title.to_string(),
            c.description.to_string(),
            c.fix.to_string(),
            crate::detectors::k8s::checks::references(c),
        ),
        (Some(r), _) => (
            r.name.clone(),
            r.description.clone(),
            r.remediation.clone(),
            r.references.clone(),
        ),
        (None, None) => (
            f.message.clone(),
            f.message.clone(),
            String::new(),
            Vec::new(),
        ),
    };
    let description = if description.is_empty() {
        name.clone()
    } else {
        description
    };
    let mut help = format!("{description}\n\n{remediation}");
    let mut md = format!("{description}\n\n**Remediation:** {remediation}");
    for r in &refs {
        help.push_str(&format!("\n{r}"));
        md.push_str(&format!("\n- <{r}>"));
    }
    let kind_tag = match f.kind {
        crate::finding::FindingKind::Secret => "secret",
        crate::finding::FindingKind::PodSecurity => "kubernetes",
    };
    json!({
        "id": f.rule_id,
        "name": f.rule_id,
        "shortDescription": {"text": name},
        "fullDescription": {"text": description},
        "help": {"text": help.trim_end(), "markdown": md.trim_end()},
        "defaultConfiguration": {"level": level(f.severity)},
        "properties": {
            "security-severity": security_severity(f.severity),
            "tags": ["security", kind_tag],
        },
    })
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("src/a b#1.txt"), "src/a%20b%231.txt");
        assert_eq!(uri("ünï.env"), "%C3%BCn%C3%AF.env");
        assert_eq!(uri("-"), "-");
    }
}
