//! `--format json` (one document: version, tool, findings, stats) and
//! `--format jsonl` (one finding per line, no wrapper). The shape is the
//! contract's; field order is the struct's.

use crate::finding::Finding;
use crate::stats::StatsSnapshot;
use serde::Serialize;
use std::io::{self, Write};

/// The JSON report document.
#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    findings: &'a [Finding],
    stats: &'a StatsSnapshot,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

pub fn write(findings: &[Finding], stats: &StatsSnapshot, out: &mut dyn Write) -> io::Result<()> {
    let report = Report {
        version: 1,
        tool: Tool {
            name: "credsweep",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings,
        stats,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

pub fn write_lines(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *out, f)?;
        writeln!(out)?;
    }
    Ok(())
}
