//! The end of every scanning command: filter, sort, write the report (to
//! stdout, or atomically to `-o FILE`), print the summary on stderr, and
//! decide the outcome. `scan`, `git` and future sources share it.

use super::{Outcome, OutputArgs};
use crate::filters;
use crate::finding::Finding;
use crate::reporters::{Format, ReportContext, write_report};
use crate::stats::{Stats, StatsSnapshot};
use anyhow::Context;
use std::io::Write;
use std::time::Instant;

/// Prints a per-file warning on stderr (never input bytes).
pub fn warn(msg: &str) {
    eprintln!("credsweep: warning: {msg}");
}

/// Filters, sorts and reports `findings`; returns the outcome for `main`.
pub fn finish(
    mut findings: Vec<Finding>,
    settings: &super::settings::Settings,
    out: &OutputArgs,
    stats: &Stats,
    started: Instant,
) -> anyhow::Result<Outcome> {
    let errors = settings.detector.rules.take_errors();
    if !errors.is_empty() {
        anyhow::bail!("{}", errors.join("\n"));
    }
    findings = filters::apply(findings, &settings.policy, stats);
    findings.sort_by(Finding::report_order);
    let snapshot = stats.snapshot(started.elapsed().as_millis() as u64);
    let ctx = ReportContext {
        stats: &snapshot,
        rules: &settings.detector.rules,
    };
    write_to(out, |w| write_report(out.format, &findings, &ctx, w))?;
    if out.format == Format::Text {
        summary(&findings, &snapshot);
    }
    if snapshot.files == 0 && snapshot.blobs == 0 {
        eprintln!("credsweep: warning: nothing was scanned (no readable text files)");
    }
    Ok(if findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Found(out.exit_code)
    })
}

/// Writes via `f` to stdout or, with `-o`, to a temporary file in the target
/// folder that is renamed over the target only once complete.
pub fn write_to(
    out: &OutputArgs,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match &out.output {
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            f(&mut lock)?;
            lock.flush()?;
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => std::path::PathBuf::from("."),
            };
            let mut tmp = tempfile::NamedTempFile::new_in(&dir)
                .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
            {
                let mut w = std::io::BufWriter::new(tmp.as_file_mut());
                f(&mut w).with_context(|| format!("writing {}", path.display()))?;
                w.flush()
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            tmp.as_file()
                .sync_all()
                .with_context(|| format!("writing {}", path.display()))?;
            tmp.persist(path)
                .with_context(|| format!("replacing {}", path.display()))?;
        }
    }
    Ok(())
}

fn summary(findings: &[Finding], s: &StatsSnapshot) {
    let mb = s.bytes as f64 / (1024.0 * 1024.0);
    let mut line = format!(
        "credsweep: {} finding{} in {} file{} ({mb:.1} MiB",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        s.files,
        if s.files == 1 { "" } else { "s" },
    );
    if s.blobs > 0 {
        line.push_str(&format!(", {} blobs, {} commits", s.blobs, s.commits));
    }
    line.push_str(&format!(") in {} ms", s.duration_ms));
    if s.skipped > 0 {
        line.push_str(&format!("; {} skipped", s.skipped));
    }
    let suppressed = s.suppressed_inline + s.suppressed_config + s.suppressed_baseline;
    if suppressed > 0 {
        line.push_str(&format!(
            "; suppressed: {} inline, {} config, {} baseline",
            s.suppressed_inline, s.suppressed_config, s.suppressed_baseline
        ));
    }
    eprintln!("{line}");
}
