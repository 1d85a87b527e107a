//! Compiler-style text: `path:line:col: severity[rule-id] message: secret`.
//! Colour comes from `colored`, whose on/off switch the CLI sets once.

use crate::finding::{Finding, Severity};
use colored::Colorize;
use std::io::{self, Write};

/// One line per finding, then nothing else (the summary goes to stderr).
pub fn write(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    super::write_each(findings, out, |_, f, buf| write_one(f, buf))
}

/// The line of one finding.
fn write_one(f: &Finding, out: &mut Vec<u8>) -> io::Result<()> {
    let loc = format!(
        "{}:{}:{}:",
        escape_path(&f.location.path),
        f.location.line,
        f.location.column
    );
    let sev = match f.severity {
        Severity::Critical => f.severity.as_str().red().bold(),
        Severity::High => f.severity.as_str().red(),
        Severity::Medium => f.severity.as_str().yellow(),
        Severity::Low => f.severity.as_str().cyan(),
        Severity::Info => f.severity.as_str().normal(),
    };
    write!(out, "{} {}[{}] {}", loc.bold(), sev, f.rule_id, f.message)?;
    if let Some(s) = &f.secret {
        write!(out, ": {}", s.redacted.yellow())?;
        if let Some(v) = &s.validated {
            write!(out, " ({v})")?;
        }
    }
    if let Some(p) = &f.pod_security {
        write!(out, " [{} {}", p.level, p.object)?;
        if let Some(c) = &p.container {
            write!(out, " container {c}")?;
        }
        write!(out, " {}]", p.field)?;
    }
    if let Some(c) = &f.commit {
        let short = c.id.get(..12).unwrap_or(&c.id);
        write!(
            out,
            " (commit {short} by {} <{}> {})",
            c.author, c.email, c.date
        )?;
    }
    writeln!(out)
}

/// Control characters in file names (newlines!) would break the one-line
/// format; they are shown escaped. JSON keeps the exact name.
pub fn escape_path(p: &str) -> String {
    if p.chars().any(|c| c.is_control()) {
        p.chars().flat_map(|c| c.escape_default()).collect()
    } else {
        p.to_string()
    }
}
