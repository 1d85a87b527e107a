//! Filters drop findings the user has accepted. They never create or edit a
//! finding. Inline ignores ([`inline`]) run inside the detector, where the
//! bytes are at hand; the rest run here, in a fixed order, on the collected
//! findings.

pub mod inline;

use crate::detectors::Only;
use crate::finding::{Finding, FindingKind, Severity};
use crate::stats::Stats;

/// Policy applied after detection.
#[derive(Debug, Clone, Default)]
pub struct FilterPolicy {
    pub min_severity: Option<Severity>,
    pub only: Only,
}

/// Applies the policy; counts what each mechanism dropped.
pub fn apply(findings: Vec<Finding>, policy: &FilterPolicy, stats: &Stats) -> Vec<Finding> {
    let before = findings.len();
    let kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| policy.min_severity.is_none_or(|min| f.severity >= min))
        .filter(|f| match policy.only {
            Only::All => true,
            Only::Secrets => f.kind == FindingKind::Secret,
            Only::PodSecurity => f.kind == FindingKind::PodSecurity,
        })
        .collect();
    Stats::add(&stats.suppressed_config, (before - kept.len()) as u64);
    kept
}
