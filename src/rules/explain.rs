//! `credsweep rules list` and `credsweep rules explain ID`: the rules as a
//! user reads them, from the same fields SARIF uses.

use super::{CompiledRule, RuleSet};
use serde_json::json;
use std::io::{self, Write};

/// JSON view of a rule (for `rules list --format json`).
pub fn rule_json(r: &CompiledRule) -> serde_json::Value {
    json!({
        "id": r.id,
        "name": r.name,
        "severity": r.severity,
        "confidence": r.confidence(),
        "keywords": r.keywords,
        "regex": r.pattern,
        "min_entropy": r.min_entropy,
        "validator": r.validator,
        "description": r.description(),
        "remediation": r.remediation(),
        "references": r.docs().references,
        "source": r.source.to_string_lossy(),
    })
}

/// One line per rule: id, severity, name.
pub fn list_text(rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    let width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &rules.rules {
        writeln!(
            out,
            "{:<width$}  {:<8}  {}",
            r.id,
            r.severity.as_str(),
            r.name
        )?;
    }
    writeln!(out, "{} rules", rules.rules.len())
}

pub fn list_json(rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<_> = rules.rules.iter().map(rule_json).collect();
    serde_json::to_writer_pretty(&mut *out, &all)?;
    writeln!(out)
}

/// Full text of one rule.
pub fn explain(r: &CompiledRule, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} ({})", r.name, r.id)?;
    writeln!(out, "severity: {}", r.severity)?;
    writeln!(out, "confidence: {}", r.confidence())?;
    writeln!(out, "keywords: {}", r.keywords.join(", "))?;
    if let Some(v) = &r.validator {
        writeln!(out, "validator: {v}")?;
    }
    writeln!(out, "defined at: {}:{}", r.source.display(), r.line)?;
    writeln!(out, "\nWhat it is\n  {}", r.description())?;
    writeln!(out, "\nWhat to do\n  {}", r.remediation())?;
    if !r.docs().references.is_empty() {
        writeln!(out, "\nReferences")?;
        for x in &r.docs().references {
            writeln!(out, "  {x}")?;
        }
    }
    Ok(())
}
