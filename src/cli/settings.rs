//! Flags in, resolved settings out: the config file found and merged (flags
//! win), rules loaded and compiled once, colour decided, the filter policy
//! and baseline built. Nothing after this sees raw flags or the config file.

use super::{ColorChoice, OutputArgs, RuleArgs};
use crate::config::{self, Config};
use crate::detectors::Detector;
use crate::filters::FilterPolicy;
use crate::filters::allow::{AllowPolicy, FloorsFromFlags, PathBase};
use crate::filters::baseline::Baseline;
use crate::rules::{RuleSet, load};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

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

/// The folders a command's paths and config are relative to, absolute.
#[derive(Debug, Clone)]
pub struct Roots {
    /// Where the command runs.
    pub cwd: PathBuf,
    /// What finding paths are relative to: the current folder for `scan`
    /// and `redact`, the repository root for `git`.
    pub findings: PathBuf,
    /// Where config discovery starts, one folder per scan root; the first
    /// one's config applies.
    pub starts: Vec<PathBuf>,
    /// The last folder discovery looks in (a bare repository), besides the
    /// work-tree and filesystem roots.
    pub stop: Option<PathBuf>,
    /// What the `allow.paths` of a `--config FILE` are relative to: the
    /// scan root (the first scan path when it is a folder, else the current
    /// folder; the repository root for `git`).
    pub explicit_base: PathBuf,
    /// `--sarif-base` when not given: the root of the git work tree holding
    /// the current folder (or the repository scanned), else the current
    /// folder.
    pub sarif_base: PathBuf,
}

impl Roots {
    /// `scan PATH...`: discovery starts at each folder scanned (a file's
    /// folder; the current folder for `-`).
    pub fn scan(paths: &[PathBuf]) -> anyhow::Result<Roots> {
        let cwd = crate::paths::current_dir()?;
        let abs = |p: &Path| crate::paths::absolute(&cwd, p);
        let starts = paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    cwd.clone()
                } else if p.is_dir() {
                    abs(p)
                } else {
                    let a = abs(p);
                    a.parent().map(Path::to_path_buf).unwrap_or(a)
                }
            })
            .collect();
        let explicit_base = match paths.first() {
            Some(p) if p.is_dir() => abs(p),
            _ => cwd.clone(),
        };
        Ok(Roots {
            sarif_base: crate::paths::work_tree_root(&cwd).unwrap_or_else(|| cwd.clone()),
            findings: cwd.clone(),
            starts,
            stop: None,
            explicit_base,
            cwd,
        })
    }

    /// `git`: paths relative to the repository root `root` (its work tree,
    /// or the git folder of a bare repository), config looked for there.
    pub fn repo(root: &Path) -> anyhow::Result<Roots> {
        let cwd = crate::paths::current_dir()?;
        let root = crate::paths::absolute(&cwd, root);
        Ok(Roots {
            findings: root.clone(),
            starts: vec![root.clone()],
            stop: Some(root.clone()),
            explicit_base: root.clone(),
            sarif_base: root,
            cwd,
        })
    }

    /// `redact FILE...` and `config check`: paths as given (relative to
    /// the current folder); discovery starts at the first file's folder, or
    /// the current folder.
    pub fn here(first_file: Option<&Path>) -> anyhow::Result<Roots> {
        let cwd = crate::paths::current_dir()?;
        let start = match first_file {
            Some(f) if f.as_os_str() != "-" => {
                let a = crate::paths::absolute(&cwd, f);
                a.parent().map(Path::to_path_buf).unwrap_or(a)
            }
            _ => cwd.clone(),
        };
        Ok(Roots {
            sarif_base: crate::paths::work_tree_root(&cwd).unwrap_or_else(|| cwd.clone()),
            findings: cwd.clone(),
            starts: vec![start],
            stop: None,
            explicit_base: cwd.clone(),
            cwd,
        })
    }
}

/// The config file a command applies, read and checked.
pub struct ChosenConfig {
    pub config: Config,
    /// The file, as named to the user (`.credsweep.yaml`,
    /// `../.credsweep.yaml`, or `--config` as given); `None`: no file.
    pub shown: Option<PathBuf>,
    /// What its `allow.paths` are relative to.
    pub patterns_base: PathBuf,
}

/// `--config FILE`, else (without `--no-config`) the nearest
/// `.credsweep.yaml` at or above the first root ([`config::discover`]).
/// A later scan root under another config file gets a warning: one config
/// applies to the whole run.
pub fn choose_config(
    flag: Option<&Path>,
    no_config: bool,
    roots: &Roots,
) -> anyhow::Result<ChosenConfig> {
    if let Some(path) = flag {
        return Ok(ChosenConfig {
            config: config::load(path)?,
            shown: Some(path.to_path_buf()),
            patterns_base: roots.explicit_base.clone(),
        });
    }
    let none = ChosenConfig {
        config: Config::default(),
        shown: None,
        patterns_base: roots.explicit_base.clone(),
    };
    if no_config {
        return Ok(none);
    }
    let stop = roots.stop.as_deref();
    let mut found = roots.starts.iter().map(|s| config::discover(s, stop));
    let Some(first) = found.next() else {
        return Ok(none);
    };
    let human = |p: &Path| crate::paths::for_humans(p, &roots.cwd);
    for other in found.flatten() {
        if first.as_ref() != Some(&other) {
            super::output::warn(&format!(
                "{} is not applied: one config file applies to a run ({}); \
                 scan that folder on its own, or name one with --config",
                human(&other).display(),
                match &first {
                    Some(f) => format!("{}, found for the first PATH", human(f).display()),
                    None => "none was found for the first PATH".to_string(),
                }
            ));
        }
    }
    let Some(abs) = first else {
        return Ok(none);
    };
    let shown = human(&abs);
    Ok(ChosenConfig {
        config: config::load(&shown)?,
        patterns_base: abs.parent().map(Path::to_path_buf).unwrap_or_default(),
        shown: Some(shown),
    })
}

/// What a run scanned, for the words of the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// Files, folders, standard input (`scan`).
    #[default]
    Files,
    /// Commits of a repository (`git`, `git --since`).
    History,
    /// What is staged (`git --staged`).
    Staged,
}

/// Everything a scanning command needs, resolved.
pub struct Settings {
    /// What is scanned (the summary's words).
    pub source: Source,
    pub detector: Detector,
    pub policy: FilterPolicy,
    /// The config file in force, as named to the user, if any.
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
    /// What finding paths are relative to (absolute).
    pub findings_dir: PathBuf,
    /// `--sarif-base` (absolute), or its default.
    pub sarif_base: PathBuf,
}

impl Settings {
    /// Settings for a scan of `roots` (see [`Roots`]): the config file is
    /// chosen by [`choose_config`], and finding paths, seen from the config
    /// file's folder, are what `allow.paths` matches.
    pub fn for_roots(
        rules: &RuleArgs,
        out: &OutputArgs,
        roots: &Roots,
    ) -> anyhow::Result<Settings> {
        apply_color(out.color, out.output.is_some());
        let p = &out.policy;
        let chosen = choose_config(p.config.as_deref(), p.no_config, roots)?;
        let cfg = chosen.config;
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
            .map(|b| crate::paths::absolute(&roots.cwd, b))
            .collect();
        let allow = AllowPolicy {
            paths: cfg.allow_paths.clone(),
            base: PathBase {
                findings: roots.findings.clone(),
                patterns: chosen.patterns_base,
            },
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
            floors_from_flags: FloorsFromFlags {
                min_severity: out.min_severity.is_some(),
                min_confidence: out.min_confidence.is_some(),
            },
            allow,
        };
        let sarif_base = match &out.sarif_base {
            Some(dir) => crate::paths::absolute(&roots.cwd, dir),
            None => roots.sarif_base.clone(),
        };
        Ok(Settings {
            source: Source::Files,
            detector,
            policy,
            config_path: chosen.shown,
            baseline,
            write_baseline: p.write_baseline.clone(),
            prune_baseline: p.prune_baseline,
            fail_on_empty: p.fail_on_empty,
            empty_ok: None,
            findings_dir: roots.findings.clone(),
            sarif_base,
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

/// The detector and filter policy of `redact`: the same rules and config
/// allowlists as `scan` (rule dirs, disabled rules, severities,
/// `allow.values`, `allow.paths`; the config found from the first FILE's
/// folder, or the current folder for standard input), so what
/// `scan` accepts is not masked and what it reports is. `min_confidence` is
/// not applied: a secret `scan` would report only at a lower floor is still
/// masked (a masked false positive costs little, a leaked secret a lot).
pub fn redact_settings(
    rules: &RuleArgs,
    config_flag: Option<&Path>,
    no_config: bool,
    first_file: Option<&Path>,
) -> anyhow::Result<(Detector, FilterPolicy)> {
    let roots = Roots::here(first_file)?;
    let chosen = choose_config(config_flag, no_config, &roots)?;
    let cfg = chosen.config;
    let detector = Detector::new(load_rules_with(rules, &cfg)?);
    let policy = FilterPolicy {
        min_severity: cfg.min_severity,
        allow: AllowPolicy {
            paths: cfg.allow_paths.clone(),
            base: PathBase {
                findings: roots.findings,
                patterns: chosen.patterns_base,
            },
            values: cfg.allow_values.clone(),
            disabled: cfg.disable.iter().cloned().collect(),
            ..AllowPolicy::default()
        },
        ..FilterPolicy::default()
    };
    Ok((detector, policy))
}
