//! `credsweep scan`: walk the paths, detect, report.

use super::output::{finish, warn};
use super::settings::{Roots, Settings};
use super::{Outcome, ScanArgs};
use crate::sources::fs::{DEFAULT_MAX_FILE_SIZE, WalkOptions, scan_paths};
use crate::stats::Stats;
use std::path::Path;
use std::time::Instant;

pub fn run(args: ScanArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let outputs: Vec<&Path> = [&args.output.output, &args.output.policy.write_baseline]
        .into_iter()
        .flatten()
        .map(|p| p.as_path())
        .collect();
    super::guard::refuse_overwriting_inputs(&args.paths, &outputs)?;
    let roots = Roots::scan(&args.paths)?;
    let settings =
        Settings::for_roots(&args.rules, &args.output, &roots)?.pod_security(&args.pod_security);
    let opts = WalkOptions {
        follow_links: args.follow,
        max_file_size: args.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        threads: args.output.threads,
    };
    let stats = Stats::default();
    let findings = scan_paths(&args.paths, &opts, &settings.detector, &stats, &warn)?;
    finish(findings, &settings, &args.output, &stats, started)
}
