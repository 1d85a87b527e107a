//! Compiler-style text: `path:line:col: severity[rule-id] message: secret`.
//! Colour comes from `colored`, whose on/off switch the CLI sets once.

use crate::finding::{Finding, Severity};
use colored::Colorize;
use std::io::{self, Write};

/// One line per finding, then nothing else (the summary goes to stderr).
pub fn write(findings: &[&Finding], out: &mut dyn Write) -> io::Result<()> {
    let color = colored::control::SHOULD_COLORIZE.should_colorize();
    super::write_each(findings, out, |_, f, buf| write_one(f, buf, color))
}

/// How a piece of the line is coloured on a terminal.
#[derive(Clone, Copy)]
enum Paint {
    Location,
    Severity(Severity),
    Secret,
}

/// Appends `text`, coloured when `color` is on. Without colour (a pipe, a
/// file, CI) the bytes go straight into the buffer: `colored` copies every
/// piece into a fresh `String` even when it then prints it plain, and a
/// manifest-heavy tree prints hundreds of thousands of lines.
fn paint(out: &mut Vec<u8>, text: std::fmt::Arguments, how: Paint, color: bool) -> io::Result<()> {
    if !color {
        return out.write_fmt(text);
    }
    let text = text.to_string();
    let text = text.as_str();
    let styled = match how {
        Paint::Location => text.bold(),
        Paint::Severity(Severity::Critical) => text.red().bold(),
        Paint::Severity(Severity::High) => text.red(),
        Paint::Severity(Severity::Medium) => text.yellow(),
        Paint::Severity(Severity::Low) => text.cyan(),
        Paint::Severity(Severity::Info) => text.normal(),
        Paint::Secret => text.yellow(),
    };
    write!(out, "{styled}")
}

/// The line of one finding.
fn write_one(f: &Finding, out: &mut Vec<u8>, color: bool) -> io::Result<()> {
    let loc = &f.location;
    let path = escape_path(&loc.path);
    let at = format_args!("{path}:{}:{}:", loc.line, loc.column);
    paint(out, at, Paint::Location, color)?;
    out.push(b' ');
    let severity = format_args!("{}", f.severity.as_str());
    paint(out, severity, Paint::Severity(f.severity), color)?;
    write!(out, "[{}] {}", f.rule_id, f.message)?;
    if let Some(s) = &f.secret {
        out.extend_from_slice(b": ");
        paint(out, format_args!("{}", s.redacted), Paint::Secret, color)?;
        // (a broken checksum is already in the message, with its reason)
        if let Some(v) = s.validated.as_deref().filter(|v| *v != "checksum-failed") {
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
pub fn escape_path(p: &str) -> std::borrow::Cow<'_, str> {
    if p.chars().any(|c| c.is_control()) {
        p.chars().flat_map(|c| c.escape_default()).collect()
    } else {
        p.into()
    }
}
