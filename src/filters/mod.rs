//! Filters drop findings the user has accepted. They never create a finding
//! and edit one only to apply a configured severity override. Inline ignores
//! ([`inline`]) run inside the detector, where the bytes are at hand; the
//! rest run on the collected findings, in a fixed order:
//!
//! 1. severity overrides (`rules.severity`), so the floor below sees them;
//! 2. policy ([`allow`]): disabled ids, `--min-severity`/`min_severity`,
//!    `--min-confidence`/`min_confidence`, `--only`, `allow.paths`, `allow.values`, pod-security level, hygiene
//!    and exemptions — counted as `suppressed_config`, except what a flag
//!    (`--min-severity`, `--min-confidence`, `--only`) drops: `filtered`;
//! 3. the baseline ([`baseline`]) — counted as `suppressed_baseline`; run
//!    by the CLI after `--write-baseline` has seen the findings of step 2.

pub mod allow;
pub mod baseline;
pub mod inline;

use crate::detectors::Only;
use crate::finding::{Confidence, Finding, Severity};
use crate::stats::Stats;
use rayon::prelude::*;

/// Policy applied after detection.
#[derive(Debug, Clone, Default)]
pub struct FilterPolicy {
    pub min_severity: Option<Severity>,
    pub min_confidence: Option<Confidence>,
    pub only: Only,
    /// Which of the floors above are flags (what they drop is counted as
    /// `filtered`, not as a config suppression).
    pub floors_from_flags: allow::FloorsFromFlags,
    /// Config allowlists and pod-security policy. Its own `min_severity`,
    /// `min_confidence` and `only` are ignored: the fields above are the
    /// resolved ones.
    pub allow: allow::AllowPolicy,
}

/// Applies steps 1 and 2 of the policy; counts what it dropped.
pub fn apply(findings: Vec<Finding>, policy: &FilterPolicy, stats: &Stats) -> Vec<Finding> {
    let mut batches = [findings];
    apply_batches(&mut batches, policy, stats);
    let [kept] = batches;
    kept
}

/// [`apply`] to batches of findings (one per file, from a scan), in place.
pub fn apply_batches(batches: &mut [Vec<Finding>], policy: &FilterPolicy, stats: &Stats) {
    let count = |batches: &[Vec<Finding>]| batches.iter().map(Vec::len).sum::<usize>();
    let before = count(batches);
    let allow = allow::AllowPolicy {
        min_severity: policy.min_severity,
        min_confidence: policy.min_confidence,
        only: policy.only,
        floors_from_flags: policy.floors_from_flags,
        ..policy.allow.clone()
    };
    let by_flags = std::sync::atomic::AtomicU64::new(0);
    // in place and on all cores (a large batch too: `git` gives one of
    // 100k+ findings), since collecting the kept ones into a new Vec moved
    // every one of them
    batches.par_iter_mut().for_each(|findings| {
        findings
            .par_iter_mut()
            .with_min_len(1024)
            .for_each(|f| allow.remap(f));
        let dropped: Vec<bool> = findings
            .par_iter()
            .with_min_len(1024)
            .map(|f| match allow.drop_reason(f) {
                None => false,
                Some(allow::Dropped::Config) => true,
                Some(allow::Dropped::Flag) => {
                    Stats::add(&by_flags, 1);
                    true
                }
            })
            .collect();
        let mut index = 0;
        findings.retain(|_| {
            index += 1;
            !dropped[index - 1]
        });
    });
    let by_flags = by_flags.into_inner();
    Stats::add(&stats.filtered, by_flags);
    Stats::add(
        &stats.suppressed_config,
        ((before - count(batches)) as u64).saturating_sub(by_flags),
    );
}

/// Hides baselined findings (step 3); counts them.
pub fn apply_baseline(
    findings: Vec<Finding>,
    baseline: &baseline::Baseline,
    stats: &Stats,
) -> baseline::Matched {
    let m = baseline.filter(findings);
    Stats::add(&stats.suppressed_baseline, m.hidden as u64);
    m
}
