//! `credsweep redact`: where redacted bytes go. Standard output by default
//! (every input in order); with `--in-place`, a temporary file next to each
//! input, synced and renamed over it. The masking itself is
//! [`crate::redact`]'s job.
//!
//! Failure policy: an input that cannot be read (missing, corrupt gzip) is a
//! warning, the others are still processed, and the run ends with exit 2.
//! With `--in-place` such an input is left exactly as it was. A write error
//! on standard output (a closed pipe) ends the run at once.

use super::output::warn;
use super::settings::redact_settings;
use super::{Outcome, RedactArgs};
use crate::detectors::{Detector, WorkerState};
use crate::filters::FilterPolicy;
use crate::redact::{RedactError, redact_stream};
use crate::sources::fs::is_gzip_name;
use crate::sources::stream::chunk_size;
use crate::stats::Stats;
use anyhow::Context;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// Everything one input needs.
struct Ctx {
    detector: Detector,
    policy: FilterPolicy,
    stats: Stats,
    state: WorkerState,
    chunk_size: usize,
}

pub fn run(args: RedactArgs) -> anyhow::Result<Outcome> {
    let (detector, policy) = redact_settings(
        &args.rules,
        args.config.as_deref(),
        args.no_config,
        args.files.first().map(PathBuf::as_path),
    )?;
    let mut ctx = Ctx {
        detector,
        policy,
        stats: Stats::default(),
        state: WorkerState::default(),
        chunk_size: chunk_size(),
    };
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let mut masks = 0u64;
    let mut failed = 0usize;
    if args.in_place {
        if files.iter().any(|f| f.as_os_str() == "-") {
            anyhow::bail!("--in-place needs FILE arguments (it cannot rewrite standard input)");
        }
        for file in &files {
            match in_place(file, &mut ctx) {
                Ok(n) => masks += n,
                Err(e) => {
                    warn(&format!("{}: {e:#}; left unchanged", file.display()));
                    failed += 1;
                }
            }
        }
    } else {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
        for file in &files {
            let shown = file.to_string_lossy();
            let result = open_input(file).map_err(RedactError::Read).and_then(|r| {
                redact_stream(
                    r,
                    &mut out,
                    &shown,
                    &ctx.detector,
                    &ctx.policy,
                    &mut ctx.state,
                    &ctx.stats,
                    ctx.chunk_size,
                )
            });
            match result {
                Ok(n) => masks += n,
                Err(RedactError::Write(e)) => {
                    return Err(e).context("writing standard output");
                }
                Err(RedactError::Read(e)) => {
                    warn(&format!("{shown}: {}", read_reason(&e)));
                    failed += 1;
                }
            }
        }
        out.flush().context("writing standard output")?;
    }
    let errors = ctx.detector.rules.take_errors();
    if !errors.is_empty() {
        anyhow::bail!("{}", errors.join("\n"));
    }
    if failed > 0 {
        anyhow::bail!(
            "{failed} input{} could not be redacted",
            if failed == 1 { "" } else { "s" }
        );
    }
    Ok(if masks > 0 {
        Outcome::Found(1)
    } else {
        Outcome::Clean
    })
}

/// A read error in words (a truncated gzip says so).
fn read_reason(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "truncated input".to_string()
    } else {
        e.to_string()
    }
}

/// Opens an input: standard input, a file, or a decompressed `.gz` file.
fn open_input(path: &Path) -> std::io::Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if is_gzip_name(path) {
        let reader = BufReader::with_capacity(256 * 1024, file);
        return Ok(Box::new(flate2::bufread::MultiGzDecoder::new(reader)));
    }
    Ok(Box::new(file))
}

/// Rewrites one file atomically; returns the number of masks. The original
/// is replaced only after the whole result is written and synced; any error
/// before that drops the temporary file and leaves the original as it was.
/// A file with nothing to redact is not rewritten.
fn in_place(file: &Path, ctx: &mut Ctx) -> anyhow::Result<u64> {
    // write next to the real file, not over a symlink
    let target = std::fs::canonicalize(file).context("resolving path")?;
    let meta = std::fs::metadata(&target).context("reading metadata")?;
    if !meta.is_file() {
        anyhow::bail!("not a regular file");
    }
    let dir = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let reader = open_input(&target).context("opening")?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    let shown = file.to_string_lossy();
    let masks = {
        let w = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
        let run = |out: &mut dyn Write| {
            redact_stream(
                reader,
                out,
                &shown,
                &ctx.detector,
                &ctx.policy,
                &mut ctx.state,
                &ctx.stats,
                ctx.chunk_size,
            )
            .map_err(|e| match e {
                RedactError::Read(e) => anyhow::anyhow!("reading: {}", read_reason(&e)),
                RedactError::Write(e) => anyhow::anyhow!("writing the temporary file: {e}"),
            })
        };
        if is_gzip_name(&target) {
            let mut enc = flate2::write::GzEncoder::new(w, flate2::Compression::default());
            let n = run(&mut enc)?;
            let mut w = enc.finish().context("writing the temporary file")?;
            w.flush().context("writing the temporary file")?;
            n
        } else {
            let mut w = w;
            let n = run(&mut w)?;
            w.flush().context("writing the temporary file")?;
            n
        }
    };
    if masks == 0 {
        return Ok(0);
    }
    tmp.as_file()
        .set_permissions(meta.permissions())
        .context("copying permissions")?;
    keep_owner(tmp.as_file(), &meta);
    tmp.as_file()
        .sync_all()
        .context("syncing the temporary file")?;
    tmp.persist(&target)
        .map_err(|e| e.error)
        .context("renaming the temporary file over the original")?;
    // make the rename itself durable; not all platforms can sync a folder
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(masks)
}

/// Gives the new file the original's owner when allowed (root rewriting
/// another user's log); otherwise the current user keeps it.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, meta: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _meta: &std::fs::Metadata) {}
