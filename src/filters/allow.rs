//! Policy filters: what the config and the flags say is never worth
//! reporting. Path and value allowlists, disabled rule and check ids,
//! severity overrides, the pod-security level, hygiene switch and object
//! exemptions, `--min-severity`, `--min-confidence` and `--only`.
//!
//! Every test here is on a finding alone (its `rule_id`, `kind`,
//! `severity`, `confidence`, path, raw secret and `pod_security` fields), so it works the
//! same for files, git blobs and Kubernetes manifests whatever detector made
//! them. Baselines are [`super::baseline`]'s; inline ignores are applied in
//! the detector, where the bytes are.

use crate::config::PodLevel;
use crate::detectors::Only;
use crate::finding::{Confidence, Finding, FindingKind, Severity};
use globset::GlobSet;
use ignore::gitignore::Gitignore;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The folders finding paths and `allow.paths` patterns are relative to,
/// absolute. `Default` (both empty): patterns match finding paths as they
/// are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathBase {
    /// What finding paths are relative to: the current folder for `scan`
    /// and `redact`, the repository root for `git`.
    pub findings: PathBuf,
    /// What the `allow.paths` patterns are relative to: the folder of the
    /// config file found, or the scan root with `--config FILE`.
    pub patterns: PathBuf,
}

/// The compiled allow policy. `Default` drops nothing.
#[derive(Debug, Clone)]
pub struct AllowPolicy {
    /// Gitignore-style patterns on finding paths (relative to
    /// `base.patterns`).
    pub paths: Gitignore,
    /// See [`PathBase`].
    pub base: PathBase,
    /// Files never reported, as [`crate::paths::absolute`] paths (the
    /// baseline file itself: its hashes must not become findings of a
    /// generic rule).
    pub exact_paths: BTreeSet<PathBuf>,
    /// Regexes on the raw secret.
    pub values: Vec<regex::Regex>,
    /// Rule and check ids never reported.
    pub disabled: BTreeSet<String>,
    /// Severity by rule or check id, for ids the rule set does not hold
    /// (pod-security checks, decoded-token findings); rules get theirs at
    /// load time so validator downgrades still apply.
    pub severity: BTreeMap<String, Severity>,
    /// Strictest pod-security level reported (`None`: all).
    pub pod_level: Option<PodLevel>,
    /// Report `hygiene`-level pod-security findings.
    pub hygiene: bool,
    /// Globs on `Kind/namespace/name`.
    pub exempt: Option<GlobSet>,
    pub min_severity: Option<Severity>,
    /// Findings less certain than this are dropped (`None`: all).
    pub min_confidence: Option<Confidence>,
    pub only: Only,
    /// `min_severity` / `min_confidence` came from a flag, not the config:
    /// what they drop is counted as filtered, not as a config suppression.
    pub floors_from_flags: FloorsFromFlags,
}

/// Which floors of an [`AllowPolicy`] are the command line's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FloorsFromFlags {
    pub min_severity: bool,
    pub min_confidence: bool,
}

/// Why a finding is not reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    /// The config file (or a built-in default) said so.
    Config,
    /// A flag did: `--min-severity`, `--min-confidence`, `--only`.
    Flag,
}

impl Default for AllowPolicy {
    fn default() -> Self {
        AllowPolicy {
            paths: Gitignore::empty(),
            base: PathBase::default(),
            exact_paths: BTreeSet::new(),
            values: Vec::new(),
            disabled: BTreeSet::new(),
            severity: BTreeMap::new(),
            pod_level: None,
            hygiene: true,
            exempt: None,
            min_severity: None,
            min_confidence: None,
            only: Only::All,
            floors_from_flags: FloorsFromFlags::default(),
        }
    }
}

impl AllowPolicy {
    /// Applies severity overrides. The one place a filter touches a
    /// finding: the override is the team's judgement of the rule, not a
    /// change of what was found.
    pub fn remap(&self, f: &mut Finding) {
        if let Some(s) = self.severity.get(&f.rule_id) {
            f.severity = *s;
        }
    }

    /// True if the finding must not be reported.
    pub fn drops(&self, f: &Finding) -> bool {
        self.drop_reason(f).is_some()
    }

    /// Why the finding must not be reported, if it must not.
    pub fn drop_reason(&self, f: &Finding) -> Option<Dropped> {
        let by = |flag: bool| Some(if flag { Dropped::Flag } else { Dropped::Config });
        // (emptiness first: hashing a rule id and a long path for every one of
        // 100k+ findings showed up in profiles when there is nothing to find)
        if !self.disabled.is_empty() && self.disabled.contains(&f.rule_id) {
            return Some(Dropped::Config);
        }
        if self.min_severity.is_some_and(|min| f.severity < min) {
            return by(self.floors_from_flags.min_severity);
        }
        if self.min_confidence.is_some_and(|min| f.confidence < min) {
            return by(self.floors_from_flags.min_confidence);
        }
        let kind_ok = match self.only {
            Only::All => true,
            Only::Secrets => f.kind == FindingKind::Secret,
            Only::PodSecurity => f.kind == FindingKind::PodSecurity,
        };
        if !kind_ok {
            return Some(Dropped::Flag);
        }
        self.config_drops(f).then_some(Dropped::Config)
    }

    /// The config's path, value and pod-security tests.
    fn config_drops(&self, f: &Finding) -> bool {
        let path = &*f.location.path;
        if (!self.exact_paths.is_empty()
            && path != "-"
            && self.exact_paths.contains(&crate::paths::absolute(
                &self.base.findings,
                Path::new(path),
            )))
            || self.path_allowed(path)
        {
            return true;
        }
        if let Some(raw) = &f.raw_secret
            && self.values.iter().any(|re| re.is_match(raw))
        {
            return true;
        }
        if let Some(ps) = &f.pod_security {
            match &*ps.level {
                "restricted" if self.pod_level == Some(PodLevel::Baseline) => return true,
                "hygiene" if !self.hygiene => return true,
                _ => {}
            }
            if self
                .exempt
                .as_ref()
                .is_some_and(|g| g.is_match(&*ps.object))
            {
                return true;
            }
        }
        false
    }

    fn path_allowed(&self, path: &str) -> bool {
        if self.paths.is_empty() || path == "-" {
            return false;
        }
        let abs = crate::paths::absolute(&self.base.findings, Path::new(path));
        // A file outside the folder the patterns are relative to (an
        // explicit file elsewhere) is never matched by them.
        let Ok(rel) = abs.strip_prefix(&self.base.patterns) else {
            return false;
        };
        if rel.has_root() || rel.as_os_str().is_empty() {
            return false;
        }
        self.paths
            .matched_path_or_any_parents(rel, false)
            .is_ignore()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, PodSecurityInfo};
    use ignore::gitignore::GitignoreBuilder;

    fn secret(path: &str, raw: &str) -> Finding {
        Finding {
            rule_id: "github-pat".into(),
            kind: FindingKind::Secret,
            severity: Severity::Critical,
            confidence: crate::finding::Confidence::High,
            message: "".into(),
            location: Location {
                path: path.into(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 2,
                utf16_columns: None,
            },
            secret: None,
            pod_security: None,
            commit: None,
            fingerprint: crate::finding::Fingerprint::of(&[]),
            secret_hash: None,
            raw_secret: Some(raw.into()),
        }
    }

    fn pod(level: &str, object: &str) -> Finding {
        let mut f = secret("k.yaml", "");
        f.raw_secret = None;
        f.kind = FindingKind::PodSecurity;
        f.rule_id = "privileged".into();
        f.pod_security = Some(Box::new(PodSecurityInfo {
            level: level.into(),
            object: object.into(),
            container: None,
            field: "spec".into(),
        }));
        f
    }

    #[test]
    fn paths_are_gitignore_patterns() {
        let mut b = GitignoreBuilder::new("");
        b.add_line(None, "vendor/").unwrap();
        b.add_line(None, "**/testdata/**").unwrap();
        b.add_line(None, "*.lock").unwrap();
        let p = AllowPolicy {
            paths: b.build().unwrap(),
            ..AllowPolicy::default()
        };
        assert!(p.drops(&secret("vendor/a/b.txt", "x")));
        assert!(p.drops(&secret("src/testdata/k.txt", "x")));
        assert!(p.drops(&secret("deep/Cargo.lock", "x")));
        assert!(!p.drops(&secret("src/vendor.rs", "x")));
        assert!(!p.drops(&secret("/abs/vendor/x", "x")));
        assert!(!p.drops(&secret("-", "x")));
    }

    #[test]
    fn patterns_are_relative_to_their_own_folder() {
        let mut b = GitignoreBuilder::new("");
        b.add_line(None, "/src/vendor/").unwrap();
        let p = AllowPolicy {
            paths: b.build().unwrap(),
            // findings relative to /w/src (`cd src`), config in /w
            base: PathBase {
                findings: "/w/src".into(),
                patterns: "/w".into(),
            },
            exact_paths: ["/w/src/b.json".into()].into_iter().collect(),
            ..AllowPolicy::default()
        };
        assert!(p.drops(&secret("vendor/a.py", "x")));
        assert!(p.drops(&secret("./vendor/a.py", "x")));
        assert!(p.drops(&secret("/w/src/vendor/a.py", "x")));
        assert!(!p.drops(&secret("../vendor/a.py", "x")));
        assert!(!p.drops(&secret("/elsewhere/src/vendor/a.py", "x")));
        assert!(p.drops(&secret("b.json", "x")));
        assert!(p.drops(&secret("../src/b.json", "x")));
        assert!(!p.drops(&secret("c.json", "x")));
    }

    #[test]
    fn values_levels_and_exemptions() {
        let p = AllowPolicy {
            values: vec![regex::Regex::new("(?i)^dummy").unwrap()],
            pod_level: Some(PodLevel::Baseline),
            hygiene: false,
            exempt: Some(
                globset::GlobSetBuilder::new()
                    .add(globset::Glob::new("Deployment/kube-system/*").unwrap())
                    .build()
                    .unwrap(),
            ),
            ..AllowPolicy::default()
        };
        assert!(p.drops(&secret("a", "DUMMY-123")));
        assert!(!p.drops(&secret("a", "real-dummy")));
        assert!(p.drops(&pod("restricted", "Pod/default/a")));
        assert!(p.drops(&pod("hygiene", "Pod/default/a")));
        assert!(!p.drops(&pod("baseline", "Pod/default/a")));
        assert!(p.drops(&pod("baseline", "Deployment/kube-system/dns")));
    }

    #[test]
    fn confidence_floor_keeps_what_is_at_least_as_certain() {
        let with = |c: Confidence| {
            let mut f = secret("a", "x");
            f.confidence = c;
            f
        };
        let all = AllowPolicy::default();
        let medium = AllowPolicy {
            min_confidence: Some(Confidence::Medium),
            ..AllowPolicy::default()
        };
        let high = AllowPolicy {
            min_confidence: Some(Confidence::High),
            ..AllowPolicy::default()
        };
        for c in [Confidence::Low, Confidence::Medium, Confidence::High] {
            assert!(!all.drops(&with(c)), "{c}");
            assert_eq!(medium.drops(&with(c)), c == Confidence::Low, "{c}");
            assert_eq!(high.drops(&with(c)), c != Confidence::High, "{c}");
        }
    }

    #[test]
    fn severity_remap_then_floor() {
        let mut p = AllowPolicy {
            min_severity: Some(Severity::Medium),
            ..AllowPolicy::default()
        };
        p.severity.insert("privileged".into(), Severity::Low);
        let mut f = pod("baseline", "Pod/a/b");
        p.remap(&mut f);
        assert_eq!(f.severity, Severity::Low);
        assert!(p.drops(&f));
        p.disabled.insert("github-pat".into());
        assert!(p.drops(&secret("a", "x")));
    }
}
