//! Flags in, resolved settings out: the config file found and merged (flags
//! win), rules loaded and compiled once, colour decided, the filter policy
//! and baseline built. Nothing after this sees raw flags or the config file.

use super::{ColorChoice, OutputArgs, RuleArgs};
use crate::config::{self, Config};
use crate::detectors::Detector;
use crate::filters::FilterPolicy;
use crate::filters::allow::AllowPolicy;
use crate::filters::baseline::Baseline;
use crate::rules::{RuleSet, load};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};

/// Loads and compiles the rules the flags ask for.
pub fn load_rules(args: &RuleArgs) -> anyhow::Result<RuleSet> {
    load_rules_with(args, &Config::default())
}

/// Loads the config's rule folders, then `--rules` (so a flag's rule wins
/// over a config rule with the same id), drops disabled rules and applies
/// severity overrides before compiling.
pub fn load_rules_with(args: &RuleArgs, cfg: &Config) -> anyhow::Result<RuleSet> {
    let dirs: Vec<PathBuf> = cfg.rule_dirs.iter().chain(&args.rules).cloned().collect();
    let mut loaded = load::load_rules(args.no_builtin_rules, &dirs).context("loading rules")?;
    loaded.retain(|r| !cfg.disable.contains(&r.syntax.id));
    for r in &mut loaded {
        if let Some(s) = cfg.severity.get(&r.syntax.id) {
            r.syntax.severity = s.as_str().to_string();
        }
    }
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
    /// The config file in force, if any.
    pub config_path: Option<PathBuf>,
    /// `--baseline`, loaded.
    pub baseline: Option<Baseline>,
    /// `--write-baseline`.
    pub write_baseline: Option<PathBuf>,
    /// `--prune-baseline`.
    pub prune_baseline: bool,
    /// `--fail-on-empty`.
    pub fail_on_empty: bool,
    /// Set by a source for which an empty scan is normal (`git --staged`
    /// with nothing staged): this note is printed instead of the warning,
    /// and `--fail-on-empty` does not fail.
    pub empty_ok: Option<String>,
}

impl Settings {
    /// Settings for a scan rooted at the current folder.
    pub fn new(rules: &RuleArgs, out: &OutputArgs) -> anyhow::Result<Settings> {
        Settings::for_root(rules, out, Path::new("."))
    }

    /// Settings for a scan rooted at `root` (the folder scanned, or the
    /// repository root for `git`): `.credsweep.yaml` is looked for there,
    /// and finding paths (relative to it) are what `allow.paths` matches.
    pub fn for_root(rules: &RuleArgs, out: &OutputArgs, root: &Path) -> anyhow::Result<Settings> {
        apply_color(out.color, out.output.is_some());
        let p = &out.policy;
        let config_path = match &p.config {
            Some(path) => Some(path.clone()),
            None if p.no_config => None,
            None => config::discover(root),
        };
        let cfg = match &config_path {
            Some(path) => config::load(path)?,
            None => Config::default(),
        };
        let mut detector = Detector::new(load_rules_with(rules, &cfg)?);
        detector.show_secrets = out.show_secrets;
        detector.only = out.only.into();
        detector.pod_security.warn = super::output::warn;

        let baseline = match &p.baseline {
            Some(path) => Some(Baseline::read(path)?),
            None => None,
        };
        // A baseline inside the scanned tree holds hashes a generic rule
        // could flag; it is never a finding itself.
        let exact_paths = [&p.baseline, &p.write_baseline]
            .into_iter()
            .flatten()
            .filter_map(|b| relative_to(b, root))
            .collect();
        let allow = AllowPolicy {
            paths: cfg.allow_paths.clone(),
            exact_paths,
            values: cfg.allow_values.clone(),
            disabled: cfg.disable.iter().cloned().collect(),
            // Rules got theirs at load time; the rest (check ids, ids made
            // by code) are mapped on findings.
            severity: cfg
                .severity
                .iter()
                .filter(|(id, _)| detector.rules.find(id).is_none())
                .map(|(id, s)| (id.clone(), *s))
                .collect(),
            pod_level: cfg.pod_level,
            hygiene: cfg.hygiene.unwrap_or(true),
            exempt: cfg.exempt.clone(),
            ..AllowPolicy::default()
        };
        let policy = FilterPolicy {
            min_severity: out.min_severity.or(cfg.min_severity),
            min_confidence: out.min_confidence.or(cfg.min_confidence),
            only: out.only.into(),
            allow,
        };
        Ok(Settings {
            detector,
            policy,
            config_path,
            baseline,
            write_baseline: p.write_baseline.clone(),
            prune_baseline: p.prune_baseline,
            fail_on_empty: p.fail_on_empty,
            empty_ok: None,
        })
    }

    /// Applies the Kubernetes pod-security flags (`scan`, `git`). A flag
    /// wins over the config file's `pod_security.level`; `--no-hygiene`
    /// turns hygiene off whatever the config says. The detector skips what
    /// will not be reported.
    pub fn pod_security(mut self, args: &super::PodSecurityArgs) -> Settings {
        use crate::config::PodLevel;
        use crate::detectors::k8s::PssLevel;
        let allow = &mut self.policy.allow;
        match args.pod_security_level {
            Some(super::PssLevelArg::Baseline) => allow.pod_level = Some(PodLevel::Baseline),
            Some(super::PssLevelArg::Restricted) => allow.pod_level = Some(PodLevel::Restricted),
            None => {}
        }
        if args.no_hygiene {
            allow.hygiene = false;
        }
        let ps = &mut self.detector.pod_security;
        ps.level = match allow.pod_level {
            Some(PodLevel::Baseline) => PssLevel::Baseline,
            _ => PssLevel::Restricted,
        };
        ps.hygiene = allow.hygiene;
        ps.enabled = self.detector.only != crate::detectors::Only::Secrets;
        self
    }
}

/// `path` relative to `root`, lexically (`./` and `.` dropped), with `/`
/// separators; `None` when it is not under `root`.
fn relative_to(path: &Path, root: &Path) -> Option<String> {
    fn norm(p: &Path) -> Vec<Component<'_>> {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect()
    }
    let (p, r) = (norm(path), norm(root));
    if p.len() <= r.len() || p[..r.len()] != r[..] {
        return None;
    }
    let rest: Vec<String> = p[r.len()..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(rest.join("/"))
}

/// The detector and filter policy of `redact`: the same rules and config
/// allowlists as `scan` (rule dirs, disabled rules, severities,
/// `allow.values`, `allow.paths` relative to the current folder), so what
/// `scan` accepts is not masked and what it reports is. `min_confidence` is
/// not applied: a secret `scan` would report only at a lower floor is still
/// masked (a masked false positive costs little, a leaked secret a lot).
pub fn redact_settings(
    rules: &RuleArgs,
    config_flag: Option<&Path>,
    no_config: bool,
) -> anyhow::Result<(Detector, FilterPolicy)> {
    let cfg = match (config_flag, no_config) {
        (Some(path), _) => config::load(path)?,
        (None, true) => Config::default(),
        (None, false) => match config::discover(Path::new(".")) {
            Some(path) => config::load(&path)?,
            None => Config::default(),
        },
    };
    let detector = Detector::new(load_rules_with(rules, &cfg)?);
    let policy = FilterPolicy {
        min_severity: cfg.min_severity,
        allow: AllowPolicy {
            paths: cfg.allow_paths.clone(),
            values: cfg.allow_values.clone(),
            disabled: cfg.disable.iter().cloned().collect(),
            ..AllowPolicy::default()
        },
        ..FilterPolicy::default()
    };
    Ok((detector, policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let r = |p: &str, root: &str| relative_to(Path::new(p), Path::new(root));
        assert_eq!(r("b.json", "."), Some("b.json".into()));
        assert_eq!(r("./ci/b.json", "."), Some("ci/b.json".into()));
        assert_eq!(r("sub/b.json", "sub/"), Some("b.json".into()));
        assert_eq!(r("other/b.json", "sub"), None);
    }
}
