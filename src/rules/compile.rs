//! Compiled rules: one Aho-Corasick automaton over every rule's keywords, and
//! each rule's regex built lazily on the first keyword hit.
//!
//! Why lazy: with hundreds of rules, compiling every regex up front costs
//! tens of milliseconds, which a pre-commit hook on a clean change should not
//! pay. Regex *syntax* is still checked at load time (parsing is cheap), so an
//! invalid pattern fails with its file and line before any scan starts.

use super::load::LoadedRule;
use crate::detectors::validate::VALIDATORS;
use crate::error::{Error, Result};
use crate::finding::Severity;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::{Regex, RegexBuilder};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Size limit of one compiled regex. Rust's regex engine is linear-time, so
/// the only risk of a pathological pattern is its size, which this bounds.
pub const REGEX_SIZE_LIMIT: usize = 16 * 1024 * 1024;

/// Default bytes the regex may look at before and after a keyword hit.
pub const DEFAULT_WINDOW_BEFORE: usize = 512;
pub const DEFAULT_WINDOW_AFTER: usize = 1024;

/// One rule, ready to match.
#[derive(Debug)]
pub struct CompiledRule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub keywords: Vec<String>,
    pub pattern: String,
    regex: OnceLock<Option<(Regex, usize)>>,
    pub min_entropy: Option<f64>,
    pub min_length: usize,
    pub validator: Option<String>,
    pub generic: bool,
    pub window_before: usize,
    pub window_after: usize,
    /// Windows stop at the keyword's line (see `RuleSyntax::single_line`).
    pub single_line: bool,
    pub allow_values: Vec<Regex>,
    /// Lowercased.
    pub stopwords: Vec<String>,
    pub description: String,
    pub remediation: String,
    pub references: Vec<String>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    pub source: PathBuf,
    pub line: usize,
}

impl CompiledRule {
    /// The rule's regex and the index of its secret group, compiled on first
    /// use. `None` if it failed to compile (recorded in `errors`).
    pub fn regex(&self, errors: &Mutex<Vec<String>>) -> Option<&(Regex, usize)> {
        self.regex
            .get_or_init(|| match build_regex(&self.pattern) {
                Ok(r) => Some(r),
                Err(e) => {
                    if let Ok(mut errs) = errors.lock() {
                        errs.push(format!(
                            "{}:{}: rule '{}': {e}",
                            self.source.display(),
                            self.line,
                            self.id
                        ));
                    }
                    None
                }
            })
            .as_ref()
    }
}

fn regex_builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT);
    b
}

/// Compiles `pattern` and picks the secret group: `secret`, else 1, else 0.
fn build_regex(pattern: &str) -> std::result::Result<(Regex, usize), String> {
    let re = regex_builder(pattern)
        .build()
        .map_err(|e| regex_reason(&e))?;
    let group = re
        .capture_names()
        .position(|n| n == Some("secret"))
        .unwrap_or(if re.captures_len() > 1 { 1 } else { 0 });
    Ok((re, group))
}

/// Why a regex did not compile, without the pattern: the regex crates
/// quote the whole pattern in their messages, and a rule's regex may hold a
/// real secret (a literal a team wants to catch), so only the last line
/// (`error: unclosed group`, or the size-limit message) is kept.
fn regex_reason(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string();
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    last.unwrap_or("invalid regex")
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

/// [`regex_reason`] plus the 1-based column of the problem in the pattern.
fn regex_syntax_reason(e: &regex_syntax::Error) -> String {
    let column = match e {
        regex_syntax::Error::Parse(a) => Some(a.span().start.column),
        regex_syntax::Error::Translate(h) => Some(h.span().start.column),
        _ => None,
    };
    match column {
        Some(c) => format!("{} (pattern column {c})", regex_reason(e)),
        None => regex_reason(e),
    }
}

/// All rules plus the keyword automaton that decides which can match.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<CompiledRule>,
    /// `None` when no rule has a keyword.
    pub keywords: Option<AhoCorasick>,
    /// For each automaton pattern, the rules that listed it.
    pub keyword_rules: Vec<Vec<u32>>,
    /// Rules without keywords: run on every blob.
    pub always: Vec<u32>,
    /// Lazy compile failures, reported at the end of a scan.
    pub errors: Mutex<Vec<String>>,
}

impl RuleSet {
    /// Checks and compiles loaded rules (regex syntax checked, not built).
    pub fn compile(loaded: Vec<LoadedRule>) -> Result<RuleSet> {
        let mut rules = Vec::with_capacity(loaded.len());
        for lr in loaded {
            rules.push(check_rule(lr)?);
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<u32>> = Vec::new();
        let mut always = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.keywords.is_empty() {
                always.push(i as u32);
            }
            for k in &r.keywords {
                let k = k.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == k) {
                    Some(pi) => keyword_rules[pi].push(i as u32),
                    None => {
                        patterns.push(k);
                        keyword_rules.push(vec![i as u32]);
                    }
                }
            }
        }
        let keywords = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    // A DFA searches about twice as fast as the default NFA
                    // once there are hundreds of keywords (too many for the
                    // SIMD prefilter); it costs ~1 MB and a few ms to build.
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .map_err(|e| Error::Other(format!("building keyword automaton: {e}")))?,
            )
        };
        Ok(RuleSet {
            rules,
            keywords,
            keyword_rules,
            always,
            errors: Mutex::new(Vec::new()),
        })
    }

    /// Builds every regex now (for `rules test`); returns the failures.
    pub fn compile_all(&self) -> Vec<String> {
        for r in &self.rules {
            r.regex(&self.errors);
        }
        self.take_errors()
    }

    /// Failures recorded so far (lazy compiles), emptied.
    pub fn take_errors(&self) -> Vec<String> {
        self.errors
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default()
    }

    /// Compiles every rule's regex now instead of on its first keyword hit
    /// (failures are recorded as usual). For harnesses that time each input,
    /// such as the fuzz targets, where a lazy compile would count against
    /// the first input that happens to hit a keyword.
    pub fn precompile(&self) {
        for rule in &self.rules {
            rule.regex(&self.errors);
        }
    }

    pub fn find(&self, id: &str) -> Option<&CompiledRule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The union of all keywords (for benchmarks against `rg`).
    pub fn all_keywords(&self) -> Vec<String> {
        let mut k: Vec<String> = self
            .rules
            .iter()
            .flat_map(|r| r.keywords.iter().map(|k| k.to_ascii_lowercase()))
            .collect();
        k.sort();
        k.dedup();
        k
    }

    /// Drops rules by id (config `rules.disable`).
    pub fn without(loaded: Vec<LoadedRule>, disabled: &[String]) -> Vec<LoadedRule> {
        loaded
            .into_iter()
            .filter(|r| !disabled.contains(&r.syntax.id))
            .collect()
    }
}

fn check_rule(lr: LoadedRule) -> Result<CompiledRule> {
    let LoadedRule {
        syntax: s,
        source,
        line,
    } = lr;
    let err = |msg: String| Error::Rule {
        path: source.clone(),
        line,
        id: s.id.clone(),
        msg,
    };
    if s.id.is_empty()
        || !s
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return Err(err(
            "id must be non-empty lowercase letters, digits, '-' or '.'".into(),
        ));
    }
    let severity = Severity::parse(&s.severity).ok_or_else(|| {
        err(format!(
            "unknown severity '{}' (critical, high, medium, low, info)",
            s.severity
        ))
    })?;
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(&s.regex)
        .map_err(|e| err(format!("invalid regex: {}", regex_syntax_reason(&e))))?;
    if let Some(v) = &s.validator
        && !VALIDATORS.contains(&v.as_str())
    {
        return Err(err(format!(
            "unknown validator '{v}' (one of: {})",
            VALIDATORS.join(", ")
        )));
    }
    if s.keywords.iter().any(|k| k.is_empty()) {
        return Err(err("empty keyword".into()));
    }
    let allow = s.allowlist.clone().unwrap_or_default();
    let mut allow_values = Vec::new();
    for v in &allow.values {
        allow_values.push(
            regex_builder(v)
                .build()
                .map_err(|e| err(format!("invalid allowlist regex: {}", regex_reason(&e))))?,
        );
    }
    let window = s.window;
    Ok(CompiledRule {
        severity,
        keywords: s.keywords.clone(),
        pattern: s.regex.clone(),
        regex: OnceLock::new(),
        min_entropy: s.min_entropy,
        min_length: s.min_length.unwrap_or(0),
        validator: s.validator.clone(),
        generic: s.generic,
        window_before: window.unwrap_or(DEFAULT_WINDOW_BEFORE),
        window_after: window.unwrap_or(DEFAULT_WINDOW_AFTER),
        single_line: s.single_line.unwrap_or(s.generic),
        allow_values,
        stopwords: allow
            .stopwords
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect(),
        description: s.description.clone().unwrap_or_default(),
        remediation: s.remediation.clone().unwrap_or_default(),
        references: s.references.clone(),
        examples: s.examples.clone(),
        negative_examples: s.negative_examples.clone(),
        name: s.name,
        id: s.id,
        source,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::parse_rule_file;
    use std::path::Path;

    fn compile(text: &str) -> Result<RuleSet> {
        RuleSet::compile(parse_rule_file(Path::new("t.yaml"), text)?)
    }

    #[test]
    fn invalid_regex_names_rule_and_line() {
        let e = compile("- id: ok\n  name: x\n  severity: low\n  regex: a\n- id: bad\n  name: y\n  severity: low\n  regex: '(unclosed'\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.yaml:5: rule 'bad': invalid regex"), "{e}");
    }

    #[test]
    fn secret_group_prefers_named_then_first() {
        assert_eq!(build_regex("a(b)(?P<secret>c)").unwrap().1, 2);
        assert_eq!(build_regex("a(b)c").unwrap().1, 1);
        assert_eq!(build_regex("abc").unwrap().1, 0);
    }

    #[test]
    fn regex_size_limit_is_a_rule_error() {
        let rs = compile("- id: huge\n  name: x\n  severity: low\n  keywords: [a]\n  regex: '(?:a{1000}){1000}'\n").unwrap();
        let errs = rs.compile_all();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("t.yaml:1: rule 'huge':"), "{}", errs[0]);
    }
}
