//! The end of every scanning command: check that something was scanned,
//! sort, filter, write `--write-baseline`, hide `--baseline` findings (and
//! list stale entries with `--prune-baseline`), write the report (to stdout,
//! or atomically to `-o FILE`), print the summary on stderr, and decide the
//! outcome. `scan`, `git` and future sources share it.

use super::{Outcome, OutputArgs};
use crate::filters::{self, baseline, baseline::Entry};
use crate::finding::Finding;
use crate::reporters::{Format, ReportContext, write_report};
use crate::stats::{Stats, StatsSnapshot};
use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Prints a per-file warning on stderr (never input bytes; quoted input
/// is masked by [`crate::mask::scrub`] in case it is a secret).
pub fn warn(msg: &str) {
    eprintln!("credsweep: warning: {}", crate::mask::scrub(msg));
}

/// Filters, sorts and reports `findings`; returns the outcome for `main`.
///
/// Order: empty-scan check (before anything is written, so
/// `--fail-on-empty` leaves no half-made report), sort, policy filters,
/// `--write-baseline` (sees what the policy kept, not what the old baseline
/// hides), `--baseline`, report, summary.
pub fn finish(
    batches: Vec<Vec<Finding>>,
    settings: &super::settings::Settings,
    out: &OutputArgs,
    stats: &Stats,
    started: Instant,
) -> anyhow::Result<Outcome> {
    let errors = settings.detector.rules.take_errors();
    if !errors.is_empty() {
        anyhow::bail!("{}", errors.join("\n"));
    }
    check_empty(settings, stats)?;
    // Batch by batch, in place: `Finding` is large and a manifest-heavy tree
    // gives 100k+ findings, which joined into one Vec took a second copy of
    // them all (a fifth of the scan's peak memory). `report_order` is
    // total, so the result is deterministic.
    let mut batches = crate::finding::sort_batches(batches);
    filters::apply_batches(&mut batches, &settings.policy, stats);
    if settings.baseline.is_some() || settings.write_baseline.is_some() {
        let all = batches.into_iter().flatten().collect();
        batches = vec![apply_baseline(all, settings, stats)?];
    }
    let findings: Vec<&Finding> = batches.iter().flatten().collect();
    let snapshot = stats.snapshot(started.elapsed().as_millis() as u64);
    let ctx = ReportContext {
        stats: &snapshot,
        rules: &settings.detector.rules,
        paths: crate::reporters::sarif::Paths {
            findings: &settings.findings_dir,
            base: &settings.sarif_base,
        },
    };
    write_to(out, |w| write_report(out.format, &findings, &ctx, w))?;
    if out.format == Format::Text {
        summary(&findings, &snapshot, settings);
    }
    let outcome = if findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Found(out.exit_code)
    };
    drop(findings);
    // The command ends here and the process with it: freeing hundreds of
    // thousands of findings one by one (a manifest-heavy tree) cost about 4%
    // of the scan, for memory the exit returns anyway.
    std::mem::forget(batches);
    Ok(outcome)
}

/// `--write-baseline` (sees what the policy kept, not what the old
/// baseline hides), then `--baseline`: returns the findings it does not
/// hide.
fn apply_baseline(
    mut findings: Vec<Finding>,
    settings: &super::settings::Settings,
    stats: &Stats,
) -> anyhow::Result<Vec<Finding>> {
    let matched = settings
        .baseline
        .as_ref()
        .map(|b| filters::apply_baseline(findings.clone(), b, stats));
    if let Some(path) = &settings.write_baseline {
        let entries = match (&settings.baseline, &matched) {
            (Some(b), Some(m)) if settings.prune_baseline => {
                let mut kept: Vec<Entry> = b
                    .entries
                    .iter()
                    .zip(&m.used)
                    .filter(|(_, u)| **u)
                    .map(|(e, _)| e.clone())
                    .collect();
                baseline::sort_entries(&mut kept);
                kept
            }
            _ => baseline::entries_for(&findings),
        };
        let text = baseline::render(&entries);
        write_atomic(path, |w| w.write_all(text.as_bytes()))?;
        eprintln!(
            "credsweep: wrote {} baseline entr{} to {}",
            entries.len(),
            if entries.len() == 1 { "y" } else { "ies" },
            path.display()
        );
    }
    if let (Some(b), Some(m)) = (&settings.baseline, &matched)
        && settings.prune_baseline
    {
        report_stale(b, &m.used);
    }
    if let Some(m) = matched {
        findings = m.kept;
    }
    Ok(findings)
}

/// Says so when nothing was read; with `--fail-on-empty`, that is an error
/// (exit 2) unless the source declared an empty scan normal.
fn check_empty(settings: &super::settings::Settings, stats: &Stats) -> anyhow::Result<()> {
    let s = stats.snapshot(0);
    if s.bytes > 0 {
        return Ok(());
    }
    if let Some(note) = &settings.empty_ok {
        eprintln!("credsweep: {note}");
        return Ok(());
    }
    let why = if s.files == 0 && s.blobs == 0 {
        "no readable text files"
    } else {
        "only empty files"
    };
    if settings.fail_on_empty {
        anyhow::bail!("nothing was scanned ({why}) and --fail-on-empty is set");
    }
    warn(&format!("nothing was scanned ({why})"));
    Ok(())
}

/// Lists baseline entries that matched no finding, on stderr (stdout stays
/// the report, so `--format json` remains parseable).
fn report_stale(b: &baseline::Baseline, used: &[bool]) {
    let stale: Vec<&Entry> = b.stale(used).collect();
    for e in &stale {
        let what = match (&e.object, &e.field) {
            (Some(o), Some(f)) => format!(" {o} {f}"),
            _ => String::new(),
        };
        eprintln!(
            "credsweep: stale baseline entry: {}: {}{what} (fingerprint {})",
            e.path,
            e.rule_id,
            e.fingerprint.get(..12).unwrap_or(&e.fingerprint)
        );
    }
    eprintln!(
        "credsweep: baseline {}: {} stale of {} entr{}",
        b.path.display(),
        stale.len(),
        b.entries.len(),
        if b.entries.len() == 1 { "y" } else { "ies" },
    );
}

/// Writes via `f` to stdout or, with `-o`, atomically to the file.
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
        Some(path) => write_atomic(path, f)?,
    }
    Ok(())
}

/// Writes via `f` to a temporary file in `path`'s folder that is renamed
/// over `path` only once complete, so a reader never sees half a file.
///
/// A target that exists and is not a regular file (`/dev/null`, a FIFO, a
/// terminal) is written directly: renaming over it would replace a device
/// node with a plain file.
pub fn write_atomic(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        if meta.is_dir() {
            anyhow::bail!("{}: is a directory", path.display());
        }
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        let mut w = std::io::BufWriter::new(file);
        f(&mut w).with_context(|| format!("writing {}", path.display()))?;
        w.flush()
            .with_context(|| format!("writing {}", path.display()))?;
        return Ok(());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = temp_file_like(path, &dir)
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
    Ok(())
}

/// The temporary file `path` is written to before it is renamed into
/// place, with the mode the file would get from a plain write: an existing
/// file's own permissions, else 0666 less the umask (tempfile's default,
/// 0600, made every report and baseline private whatever the umask).
fn temp_file_like(path: &Path, dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    #[cfg(unix)]
    let perms = {
        use std::os::unix::fs::PermissionsExt;
        // (the mode is passed to open(2), which applies the umask)
        Some(std::fs::Permissions::from_mode(0o666))
    };
    #[cfg(not(unix))]
    let perms: Option<std::fs::Permissions> = None;
    if let Some(p) = &perms {
        builder.permissions(p.clone());
    }
    let tmp = builder.tempfile_in(dir)?;
    if let Some(p) = existing {
        tmp.as_file().set_permissions(p)?;
    }
    Ok(tmp)
}

/// `n thing` or `n things`.
fn count(n: u64, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

/// The summary line on stderr (text format): what was found in what, how
/// long it took, what was skipped and suppressed, and the config in force.
fn summary(findings: &[&Finding], s: &StatsSnapshot, settings: &super::settings::Settings) {
    use super::settings::Source;
    let mb = s.bytes as f64 / (1024.0 * 1024.0);
    let found = count(findings.len() as u64, "finding");
    let mut line = match settings.source {
        Source::Files => format!(
            "credsweep: {found} in {} ({mb:.1} MiB",
            count(s.files, "file")
        ),
        Source::History => format!(
            "credsweep: {found} in {} ({}, {mb:.1} MiB",
            count(s.commits, "commit"),
            count(s.blobs, "unique blob")
        ),
        Source::Staged => format!(
            "credsweep: {found} in {} ({mb:.1} MiB",
            count(s.blobs, "staged file")
        ),
    };
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
    if s.filtered > 0 {
        line.push_str(&format!(
            "; {} hidden by --min-severity/--min-confidence/--only",
            s.filtered
        ));
    }
    match &settings.config_path {
        Some(path) => line.push_str(&format!("; config {}", path.display())),
        None => line.push_str("; no config file"),
    }
    eprintln!("{line}");
}
