//! Reporters write sorted findings in one format each. They receive findings
//! already filtered and sorted, and a plain `io::Write`; colour is decided by
//! the caller (`colored`'s global override), never here.

pub mod json;
pub mod sarif;
pub mod text;

use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::stats::StatsSnapshot;
use std::io::{self, Write};

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    Jsonl,
    Sarif,
}

/// What a report needs besides the findings.
pub struct ReportContext<'a> {
    pub stats: &'a StatsSnapshot,
    pub rules: &'a RuleSet,
}

/// Writes `findings` in `format`.
pub fn write_report(
    format: Format,
    findings: &[Finding],
    ctx: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(findings, out),
        Format::Json => json::write(findings, ctx.stats, out),
        Format::Jsonl => json::write_lines(findings, out),
        Format::Sarif => sarif::write(findings, ctx.rules, out),
    }
}
