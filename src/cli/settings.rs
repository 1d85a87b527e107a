//! Flags in, resolved settings out: rules loaded and compiled once, colour
//! decided, the filter policy built. Nothing after this sees raw flags.

use super::{ColorChoice, OutputArgs, RuleArgs};
use crate::detectors::Detector;
use crate::filters::FilterPolicy;
use crate::rules::{RuleSet, load};
use anyhow::Context;
use std::io::IsTerminal;

/// Loads and compiles the rules the flags ask for.
pub fn load_rules(args: &RuleArgs) -> anyhow::Result<RuleSet> {
    let loaded = load::load_rules(args.no_builtin_rules, &args.rules).context("loading rules")?;
    RuleSet::compile(loaded).context("compiling rules")
}

/// Turns `--color` (and NO_COLOR, and whether stdout is a terminal) into
/// on/off, once, for the whole process.
pub fn apply_color(choice: ColorChoice, to_file: bool) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !to_file
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// Everything a scanning command needs, resolved.
pub struct Settings {
    pub detector: Detector,
    pub policy: FilterPolicy,
}

impl Settings {
    pub fn new(rules: &RuleArgs, out: &OutputArgs) -> anyhow::Result<Settings> {
        apply_color(out.color, out.output.is_some());
        let mut detector = Detector::new(load_rules(rules)?);
        detector.show_secrets = out.show_secrets;
        detector.only = out.only.into();
        detector.pod_security.warn = super::output::warn;
        let policy = FilterPolicy {
            min_severity: out.min_severity,
            only: out.only.into(),
        };
        Ok(Settings { detector, policy })
    }

    /// Applies the Kubernetes pod-security flags (`scan`, `git`).
    pub fn pod_security(mut self, args: &super::PodSecurityArgs) -> Settings {
        let ps = &mut self.detector.pod_security;
        ps.level = match args.pod_security_level {
            super::PssLevelArg::Baseline => crate::detectors::k8s::PssLevel::Baseline,
            super::PssLevelArg::Restricted => crate::detectors::k8s::PssLevel::Restricted,
        };
        ps.hygiene = !args.no_hygiene;
        ps.enabled = self.detector.only != crate::detectors::Only::Secrets;
        self
    }
}
