//! `credsweep git`: history scan (default), `--since REV` for CI, `--staged`
//! for a pre-commit hook. Wires the git source to the shared report path
//! ([`super::output::finish`]) and draws progress on a terminal.

use super::output::{finish, warn};
use super::settings::{Roots, Settings, Source};
use super::{Outcome, OutputArgs, RuleArgs, parse_size};
use crate::sources::git::{self, DEFAULT_MAX_BLOB_SIZE, GitOptions, Progress};
use crate::stats::Stats;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Args)]
pub struct GitArgs {
    /// The repository: a work tree (or a folder inside one), a `.git` folder
    /// or a bare repository. Paths in the report are relative to its root.
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Only the commits HEAD has and REV (a branch, tag or commit id) does
    /// not, like `git log REV..HEAD`, and no secret REV already held at that
    /// path: what a CI job on a pull request runs, e.g. `--since origin/main`.
    #[arg(long, value_name = "REV", conflicts_with = "staged")]
    pub since: Option<String>,
    /// Scan only what is staged in the index, reporting only lines the staged
    /// change adds (a new file counts whole). For pre-commit hooks.
    #[arg(long)]
    pub staged: bool,
    /// Skip blobs larger than this many bytes (suffixes K, M, G; default 100M).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub pod_security: super::PodSecurityArgs,
}

pub fn run(args: GitArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let root = repo_root(&args.repo);
    let mut settings = Settings::for_roots(&args.rules, &args.output, &Roots::repo(&root)?)?
        .pod_security(&args.pod_security);
    settings.source = Source::History;
    if args.staged {
        // an empty staged change is normal for a hook, not a mistake
        settings.empty_ok = Some("nothing staged to scan".into());
        settings.source = Source::Staged;
    }
    let opts = GitOptions {
        since: args.since.clone(),
        max_blob_size: args.max_file_size.unwrap_or(DEFAULT_MAX_BLOB_SIZE),
        threads: args.output.threads,
    };
    let stats = Stats::default();
    let findings = if args.staged {
        git::scan_staged(&args.repo, &opts, &settings.detector, &stats, &warn)?
    } else {
        let progress = TermProgress::new();
        git::scan_history(
            &args.repo,
            &opts,
            &settings.detector,
            &stats,
            &warn,
            &progress,
        )?
    };
    let outcome = finish(vec![findings], &settings, &args.output, &stats, started)?;
    if args.staged && outcome != Outcome::Clean {
        // what a pre-commit hook's user needs next
        eprintln!("{REFUSED}");
    }
    Ok(outcome)
}

/// Printed when `--staged` finds something: the commit a hook runs this
/// for is refused, and the way on.
const REFUSED: &str = "credsweep: the staged changes add findings, so a pre-commit hook \
refuses the commit. Remove the secret (and rotate it if it was real), or accept the line \
with a `credsweep:allow` comment on it (`credsweep:allow <rule-id>` for one rule); \
`git commit --no-verify` skips the hook for one commit.";

/// Progress on stderr, only when stderr is a terminal: commits enumerated
/// until the first blobs are queued, then blobs scanned (of those queued so
/// far: the walk goes on while they are scanned) with MiB/s.
struct TermProgress {
    bar: ProgressBar,
    started: Instant,
    bytes: AtomicU64,
    blobs: AtomicU64,
    /// The bar counts blobs (no longer commits).
    scanning: AtomicBool,
}

impl TermProgress {
    fn new() -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} commits enumerated") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        TermProgress {
            bar,
            started: Instant::now(),
            bytes: AtomicU64::new(0),
            blobs: AtomicU64::new(0),
            scanning: AtomicBool::new(false),
        }
    }
}

impl Progress for TermProgress {
    fn commits(&self, n: u64) {
        if !self.scanning.load(Relaxed) {
            self.bar.inc(n);
        }
    }

    fn blobs_found(&self, blobs: u64) {
        if self.bar.is_hidden() {
            return;
        }
        if self.scanning.swap(true, Relaxed) {
            self.bar.inc_length(blobs);
            return;
        }
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} blobs {msg} [{elapsed}, eta {eta}]")
        {
            self.bar.set_style(style);
        }
        self.bar.set_length(blobs);
        self.bar.set_position(0);
    }

    fn blob_done(&self, bytes: u64) {
        if self.bar.is_hidden() {
            return;
        }
        let total = self.bytes.fetch_add(bytes, Relaxed) + bytes;
        let n = self.blobs.fetch_add(1, Relaxed) + 1;
        self.bar.inc(1);
        if n.is_multiple_of(256) {
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            let mib = total as f64 / (1024.0 * 1024.0);
            self.bar
                .set_message(format!("{mib:.0} MiB, {:.1} MiB/s", mib / secs));
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The folder whose `.credsweep.yaml` applies and finding paths are
/// relative to: the work tree of the repository at `repo` (found as `git`
/// finds it, also from a folder inside; its git folder when bare). When
/// `repo` is not a repository, `repo` itself; the scan then fails with a
/// clear message.
fn repo_root(repo: &std::path::Path) -> std::path::PathBuf {
    match git::open(repo) {
        Ok(r) => r.workdir().unwrap_or_else(|| r.path()).to_path_buf(),
        Err(_) => repo.to_path_buf(),
    }
}
