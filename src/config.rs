//! `.credsweep.yaml`: the team's standing decisions about findings.
//!
//! Two layers, as typos does it: [`ConfigFile`] mirrors the YAML exactly as
//! written (serde, `deny_unknown_fields`, so a typo is an error, not a silent
//! no-op), and [`Config`] is the same content checked and compiled (severities
//! parsed, regexes and globs built). Every error names the file, line and
//! column. What the settings *do* is left to others: `cli::settings` merges a
//! [`Config`] with the flags (flags win) and `filters` applies it.
//!
//! Where the file is found: [`discover`] looks for the nearest
//! `.credsweep.yaml` (or `.credsweep.yml`) walking up from the scan root (the
//! first scan path, or its folder for a file; the current folder for
//! standard input; the repository root for `credsweep git`) to the root of
//! the git work tree, or to the filesystem root outside one: the way git
//! finds `.gitignore` files. `allow.paths` patterns are relative to the
//! folder the file is in. `--config FILE` names one explicitly (its patterns
//! are relative to the scan root), `--no-config` ignores it.
//!
//! ```yaml
//! allow:
//!   paths: ["vendor/", "**/testdata/**"]   # gitignore-style, relative to this file's folder
//!   values: ["^EXAMPLE", "(?i)dummy"]      # regexes matched against the secret
//! rules:
//!   dirs: ["security/rules"]               # relative to this file's folder
//!   disable: ["generic-password"]
//!   severity: {jwt-long-lived: low}
//! pod_security:
//!   level: restricted                      # baseline | restricted
//!   hygiene: true                          # report hygiene checks
//!   disable: ["hygiene-image-latest"]
//!   exempt: ["Deployment/kube-system/*"]   # globs on Kind/namespace/name
//! min_severity: low
//! min_confidence: medium                   # high | medium | low
//! ```

use crate::error::{Error, Result};
use crate::finding::{Confidence, Severity};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for at and above the scan root.
pub const FILE_NAME: &str = ".credsweep.yaml";
/// Also accepted, after [`FILE_NAME`].
pub const ALT_FILE_NAME: &str = ".credsweep.yml";

/// The config file exactly as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default, deserialize_with = "null_as_default")]
    pub allow: AllowSection,
    #[serde(default, deserialize_with = "null_as_default")]
    pub rules: RulesSection,
    #[serde(default, deserialize_with = "null_as_default")]
    pub pod_security: PodSecuritySection,
    /// Lowest severity reported (`--min-severity` wins).
    #[serde(default, deserialize_with = "null_as_default")]
    pub min_severity: Option<String>,
    /// Lowest confidence reported (`--min-confidence` wins).
    #[serde(default, deserialize_with = "null_as_default")]
    pub min_confidence: Option<String>,
}

/// `allow:` what the team accepted everywhere.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AllowSection {
    /// Gitignore-style patterns, relative to the config file's folder
    /// (with `--config FILE`, to the scan root).
    #[serde(default, deserialize_with = "null_as_default")]
    pub paths: Vec<String>,
    /// Regexes matched against the raw secret (unanchored).
    #[serde(default, deserialize_with = "null_as_default")]
    pub values: Vec<String>,
}

/// `rules:` which rules run and how loud they are.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RulesSection {
    /// Extra rule folders, relative to the config file's folder; loaded
    /// before any `--rules`, so a `--rules` rule with the same id wins.
    #[serde(default, deserialize_with = "null_as_default")]
    pub dirs: Vec<String>,
    /// Rule or check ids never reported.
    #[serde(default, deserialize_with = "null_as_default")]
    pub disable: Vec<String>,
    /// Rule or check id → severity.
    #[serde(default, deserialize_with = "null_as_default")]
    pub severity: BTreeMap<String, String>,
}

/// `pod_security:` Kubernetes checks.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PodSecuritySection {
    /// Strictest Pod Security Standard reported: `baseline` or `restricted`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub level: Option<String>,
    /// Report `hygiene` checks (default true).
    #[serde(default, deserialize_with = "null_as_default")]
    pub hygiene: Option<bool>,
    /// Check ids never reported.
    #[serde(default, deserialize_with = "null_as_default")]
    pub disable: Vec<String>,
    /// Globs on `Kind/namespace/name` whose pod-security findings are dropped.
    #[serde(default, deserialize_with = "null_as_default")]
    pub exempt: Vec<String>,
}

/// A key written with no value (`allow:` with every line under it
/// commented out) means the default, not a type error.
fn null_as_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Pod Security Standards level, least to most strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PodLevel {
    Baseline,
    Restricted,
}

impl PodLevel {
    /// Parses `baseline` / `restricted`.
    pub fn parse(s: &str) -> Option<PodLevel> {
        match s.to_ascii_lowercase().as_str() {
            "baseline" => Some(PodLevel::Baseline),
            "restricted" => Some(PodLevel::Restricted),
            _ => None,
        }
    }
}

/// A checked, compiled config.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from.
    pub path: PathBuf,
    /// `allow.paths`, matched against finding paths (see
    /// [`crate::filters::allow::PathBase`]).
    pub allow_paths: Gitignore,
    /// `allow.values`, matched against raw secrets.
    pub allow_values: Vec<regex::Regex>,
    /// `rules.dirs`, resolved against the config file's folder.
    pub rule_dirs: Vec<PathBuf>,
    /// `rules.disable` plus `pod_security.disable`.
    pub disable: Vec<String>,
    /// `rules.severity`.
    pub severity: BTreeMap<String, Severity>,
    pub pod_level: Option<PodLevel>,
    pub hygiene: Option<bool>,
    /// `pod_security.exempt`; `None` when empty.
    pub exempt: Option<GlobSet>,
    pub min_severity: Option<Severity>,
    pub min_confidence: Option<Confidence>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: PathBuf::new(),
            allow_paths: Gitignore::empty(),
            allow_values: Vec::new(),
            rule_dirs: Vec::new(),
            disable: Vec::new(),
            severity: BTreeMap::new(),
            pod_level: None,
            hygiene: None,
            exempt: None,
            min_severity: None,
            min_confidence: None,
        }
    }
}

/// The config file that applies to a scan starting in the folder `start`
/// (absolute), found as git finds `.gitignore` files: the nearest
/// [`FILE_NAME`] (or [`ALT_FILE_NAME`]) in `start` or a folder above it.
/// The walk ends at the root of the git work tree holding `start` (the
/// folder with a `.git` entry), at `stop` when given (a bare repository),
/// or at the filesystem root.
pub fn discover(start: &Path, stop: Option<&Path>) -> Option<PathBuf> {
    for dir in start.ancestors() {
        if let Some(found) = [FILE_NAME, ALT_FILE_NAME]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
        {
            return Some(found);
        }
        if Some(dir) == stop || dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Reads and checks the config file at `path`.
pub fn load(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

/// Parses and checks config `text` (read from `path`, used in errors and to
/// resolve `rules.dirs`).
pub fn parse(path: &Path, text: &str) -> Result<Config> {
    let err = |line: usize, col: usize, msg: String| Error::Config {
        path: path.to_path_buf(),
        line,
        col,
        msg,
    };
    if let Err((l, c)) = crate::yaml_depth::check(text, crate::yaml_depth::MAX_DEPTH) {
        let max = crate::yaml_depth::MAX_DEPTH;
        return Err(err(l, c, format!("nested deeper than {max} levels")));
    }
    // An empty file, or one holding only comments, is an empty config.
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| yaml_err(path, &e))?;
    let raw: ConfigFile = if value.is_null() {
        ConfigFile::default()
    } else {
        serde_yaml::from_str(text).map_err(|e| yaml_err(path, &e))?
    };

    let mut cfg = Config {
        path: path.to_path_buf(),
        ..Config::default()
    };

    let mut gi = GitignoreBuilder::new("");
    for p in &raw.allow.paths {
        if let Err(e) = gi.add_line(None, p) {
            let (l, c) = locate(text, "paths", p);
            return Err(err(l, c, format!("allow.paths: bad pattern: {e}")));
        }
    }
    cfg.allow_paths = gi.build().map_err(|e| {
        let (l, c) = locate(text, "paths", "");
        err(l, c, format!("allow.paths: {e}"))
    })?;

    for v in &raw.allow.values {
        match regex::RegexBuilder::new(v)
            .size_limit(crate::rules::compile::REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(re) => cfg.allow_values.push(re),
            Err(e) => {
                let (l, c) = locate(text, "values", v);
                let first = e.to_string();
                let first = first.lines().last().unwrap_or("invalid regex").trim();
                return Err(err(l, c, format!("allow.values: bad regex: {first}")));
            }
        }
    }

    let base = path.parent().unwrap_or(Path::new(""));
    cfg.rule_dirs = raw.rules.dirs.iter().map(|d| base.join(d)).collect();

    cfg.disable = raw
        .rules
        .disable
        .iter()
        .chain(&raw.pod_security.disable)
        .cloned()
        .collect();

    for (id, sev) in &raw.rules.severity {
        match Severity::parse(sev) {
            Some(s) => {
                cfg.severity.insert(id.clone(), s);
            }
            None => {
                let (l, c) = locate(text, id, sev);
                return Err(err(
                    l,
                    c,
                    format!(
                        "rules.severity: '{id}': unknown severity '{sev}' \
                         (critical, high, medium, low, info)"
                    ),
                ));
            }
        }
    }

    if let Some(level) = &raw.pod_security.level {
        cfg.pod_level = Some(PodLevel::parse(level).ok_or_else(|| {
            let (l, c) = locate(text, "level", level);
            err(
                l,
                c,
                format!("pod_security.level: unknown level '{level}' (baseline, restricted)"),
            )
        })?);
    }
    cfg.hygiene = raw.pod_security.hygiene;

    if !raw.pod_security.exempt.is_empty() {
        let mut set = GlobSetBuilder::new();
        for p in &raw.pod_security.exempt {
            let glob = GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    let (l, c) = locate(text, "exempt", p);
                    err(l, c, format!("pod_security.exempt: bad pattern: {e}"))
                })?;
            set.add(glob);
        }
        cfg.exempt = Some(set.build().map_err(|e| {
            let (l, c) = locate(text, "exempt", "");
            err(l, c, format!("pod_security.exempt: {e}"))
        })?);
    }

    if let Some(min) = &raw.min_severity {
        cfg.min_severity = Some(Severity::parse(min).ok_or_else(|| {
            let (l, c) = locate(text, "min_severity", min);
            err(
                l,
                c,
                format!(
                    "min_severity: unknown severity '{min}' (critical, high, medium, low, info)"
                ),
            )
        })?);
    }
    if let Some(min) = &raw.min_confidence {
        cfg.min_confidence = Some(Confidence::parse(min).ok_or_else(|| {
            let (l, c) = locate(text, "min_confidence", min);
            err(
                l,
                c,
                format!("min_confidence: unknown confidence '{min}' (high, medium, low)"),
            )
        })?);
    }
    Ok(cfg)
}

/// A YAML or schema error, with serde_yaml's position (1-based).
fn yaml_err(path: &Path, e: &serde_yaml::Error) -> Error {
    let (line, col) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let mut msg = e.to_string();
    // serde_yaml appends " at line L column C"; the prefix already says it.
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    Error::Config {
        path: path.to_path_buf(),
        line,
        col,
        msg,
    }
}

/// Where `value` is written after the line holding `key:` (serde_yaml gives
/// no positions for values that parsed fine). Falls back to the key's line,
/// then to 1:1. Lines and columns are 1-based; columns count bytes.
fn locate(text: &str, key: &str, value: &str) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let key_line = lines.iter().position(|l| {
        let t = l.trim_start().trim_start_matches('-').trim_start();
        let t = t.trim_start_matches(['"', '\'']);
        t.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
    });
    let from = key_line.unwrap_or(0);
    if !value.is_empty() {
        for (i, l) in lines.iter().enumerate().skip(from) {
            let search_from = if Some(i) == key_line {
                l.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            if let Some(c) = l[search_from..].find(value) {
                return (i + 1, search_from + c + 1);
            }
        }
    }
    match key_line {
        Some(i) => {
            let col = lines[i].len() - lines[i].trim_start().len() + 1;
            (i + 1, col)
        }
        None => (1, 1),
    }
}

/// What `credsweep config init` writes: every key, commented, with the
/// defaults spelled out. Kept valid by a unit test.
pub const STARTER: &str = r#"# credsweep configuration: the team's standing decisions about findings.
# The nearest .credsweep.yaml at or above the scanned folder (up to the
# repository root) applies, as git finds .gitignore files; `--config FILE`
# names another, `--no-config` ignores it. Flags win over it.
# Unknown keys are errors, so a typo never silently turns a setting off.

allow:
  # Gitignore-style patterns, relative to this file's folder: findings in
  # these files are not reported.
  paths:
    - "**/testdata/**"
    # - "vendor/"
  # Regexes matched against the secret itself: matching values are not
  # reported. Keep them tight: "(?i)example" would also hide real keys that
  # happen to contain the word.
  values: []
    # - "^AKIAIOSFODNN7EXAMPLE$"

rules:
  # Extra rule folders (YAML rule files), relative to this file.
  dirs: []
  # Rule or check ids never reported (`credsweep rules list` shows the ids).
  disable: []
  # Severity overrides by rule or check id: critical, high, medium, low, info.
  severity: {}
    # jwt-long-lived: low

pod_security:
  # Strictest Pod Security Standard reported: baseline or restricted.
  level: restricted
  # Report hygiene checks (image tags, resource limits, ...).
  hygiene: true
  # Check ids never reported.
  disable: []
  # Objects whose pod-security findings are not reported: globs on
  # Kind/namespace/name.
  exempt: []
    # - "DaemonSet/kube-system/*"

# Lowest severity reported: critical, high, medium, low or info.
min_severity: info

# Lowest confidence reported: high (validated, or a provider's own token
# format), medium (a provider rule keyed on a nearby name) or low
# (everything, including generic assignment rules).
min_confidence: low
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Config> {
        parse(Path::new("dir/.credsweep.yaml"), text)
    }

    #[test]
    fn starter_is_valid() {
        let c = p(STARTER).expect("starter config parses");
        assert_eq!(c.pod_level, Some(PodLevel::Restricted));
        assert_eq!(c.min_severity, Some(Severity::Info));
        assert_eq!(c.min_confidence, Some(Confidence::Low));
        assert!(c.allow_paths.matched("a/testdata/x.txt", false).is_ignore());
    }

    #[test]
    fn empty_and_comment_only_files_are_empty_configs() {
        assert!(p("").is_ok());
        assert!(p("# nothing yet\n").is_ok());
        // Keys left empty, every value under them commented out.
        let c =
            p("allow:\n  paths:\n  # - vendor/\nrules:\npod_security:\nmin_severity:\nmin_confidence:\n")
                .unwrap();
        assert!(c.allow_paths.is_empty());
        assert_eq!(c.min_severity, None);
        assert_eq!(c.min_confidence, None);
    }

    #[test]
    fn crlf_files_locate_errors_too() {
        let e = p("rules:\r\n  severity:\r\n    github-pat: urgent\r\n").unwrap_err();
        assert!(
            e.to_string().starts_with("dir/.credsweep.yaml:3:17:"),
            "{e}"
        );
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let e = p("allow:\n  paths: []\n  valuse: [x]\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("dir/.credsweep.yaml:3:"), "{s}");
        assert!(s.contains("valuse"), "{s}");
    }

    #[test]
    fn bad_values_name_their_line() {
        let e = p("rules:\n  severity:\n    github-pat: urgent\n").unwrap_err();
        assert!(
            e.to_string().starts_with("dir/.credsweep.yaml:3:17:"),
            "{e}"
        );
        let e = p("allow:\n  values:\n    - 'ok'\n    - '(unclosed'\n").unwrap_err();
        assert!(e.to_string().starts_with("dir/.credsweep.yaml:4:8:"), "{e}");
        let e = p("min_severity: loud\n").unwrap_err();
        assert!(
            e.to_string().starts_with("dir/.credsweep.yaml:1:15:"),
            "{e}"
        );
        let e = p("min_severity: low\nmin_confidence: sure\n").unwrap_err();
        assert!(
            e.to_string().starts_with("dir/.credsweep.yaml:2:17:"),
            "{e}"
        );
        assert!(e.to_string().contains("min_confidence"), "{e}");
        assert_eq!(
            p("min_confidence: HIGH\n").unwrap().min_confidence,
            Some(Confidence::High)
        );
        let e = p("pod_security:\n  level: strict\n").unwrap_err();
        assert!(
            e.to_string().starts_with("dir/.credsweep.yaml:2:10:"),
            "{e}"
        );
        let e = p("pod_security:\n  exempt: ['Deployment/[x']\n").unwrap_err();
        assert!(e.to_string().starts_with("dir/.credsweep.yaml:2:"), "{e}");
    }

    #[test]
    fn rule_dirs_are_relative_to_the_file() {
        let c = p("rules:\n  dirs: [sec/rules]\n").unwrap();
        assert_eq!(c.rule_dirs, vec![PathBuf::from("dir/sec/rules")]);
    }

    #[test]
    fn exempt_globs_match_kind_namespace_name() {
        let c = p("pod_security:\n  exempt: ['Deployment/kube-system/*']\n").unwrap();
        let set = c.exempt.unwrap();
        assert!(set.is_match("Deployment/kube-system/coredns"));
        assert!(!set.is_match("Deployment/default/web"));
        assert!(!set.is_match("DaemonSet/kube-system/proxy"));
    }
}
