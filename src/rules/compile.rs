//! Compiled rules: one Aho-Corasick automaton over every rule's keywords, and
//! each rule's regex built lazily on the first keyword hit.
//!
//! Why lazy: with hundreds of rules, compiling every regex up front costs
//! tens of milliseconds, which a pre-commit hook on a clean change should not
//! pay. Regex *syntax* is still checked at load time (parsing is cheap), so an
//! invalid pattern fails with its file and line before any scan starts.

use super::keywords::KeywordScanner;
use super::load::LoadedRule;
use crate::detectors::validate::VALIDATORS;
use crate::error::{Error, Result};
use crate::finding::{Confidence, Severity};
use regex::bytes::{Regex, RegexBuilder};
use regex_automata::meta;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Size limit of one compiled regex (and of its lazy DFA's cache). Rust's
/// regex engine is linear-time, so the only risk of a pathological pattern
/// is its size, which this bounds. The largest built-in rule needs well
/// under 2 MB. It was 16 MB until fuzzing found `x{36,99999999}`: compiling
/// such a rule up to the limit before giving up grew past 500 MB under the
/// fuzzer's AddressSanitizer (38 MB in a release build).
pub const REGEX_SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// Default bytes the regex may look at before and after a keyword hit.
pub const DEFAULT_WINDOW_BEFORE: usize = 512;
pub const DEFAULT_WINDOW_AFTER: usize = 1024;

/// One rule, ready to match.
#[derive(Debug)]
pub struct CompiledRule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    /// `confidence:` as written in the rule, if it was.
    pub explicit_confidence: Option<Confidence>,
    /// See [`CompiledRule::confidence`].
    confidence: OnceLock<Confidence>,
    pub keywords: Vec<String>,
    pub pattern: String,
    regex: OnceLock<Option<(meta::Regex, usize)>>,
    shape: OnceLock<Option<SecretShape>>,
    /// See [`RuleSet::shape_group`].
    shape_group: OnceLock<Option<u32>>,
    starts_at_keyword: OnceLock<bool>,
    follow: OnceLock<Option<super::follow::Follow>>,
    /// Unique per compiled rule in this process: what a worker's regex
    /// cache is keyed by (a cache made for another regex must not be used).
    uid: u64,
    pub min_entropy: Option<f64>,
    pub min_length: usize,
    pub validator: Option<String>,
    pub generic: bool,
    pub window_before: usize,
    pub window_after: usize,
    /// Windows stop at the keyword's line (see `RuleSyntax::single_line`).
    pub single_line: bool,
    /// `allowlist.values`, compiled on the rule's first candidate secret
    /// (see [`CompiledRule::allows_value`]).
    allow_patterns: Vec<String>,
    allow_values: OnceLock<Vec<Regex>>,
    /// Lowercased.
    pub stopwords: Vec<String>,
    /// Description, remediation, references and examples (see
    /// [`CompiledRule::docs`]).
    docs: super::load::DocsSource,
    pub source: PathBuf,
    pub line: usize,
}

impl CompiledRule {
    /// The rule's regex and the index of its secret group, compiled on first
    /// use. `None` if it failed to compile (recorded in `errors`).
    pub fn regex(&self, errors: &Mutex<Vec<String>>) -> Option<&(meta::Regex, usize)> {
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

impl CompiledRule {
    /// The rule's documentation and examples (parsed on first use for a
    /// built-in rule).
    pub fn docs(&self) -> &super::syntax::RuleDocs {
        self.docs.get()
    }

    /// What the secret is and what an attacker can do with it.
    pub fn description(&self) -> &str {
        self.docs().description.as_deref().unwrap_or_default()
    }

    /// How to revoke or rotate it.
    pub fn remediation(&self) -> &str {
        self.docs().remediation.as_deref().unwrap_or_default()
    }

    /// True when `secret` matches one of the rule's `allowlist.values`. The
    /// regexes are built on first use: most rules never see a candidate in a
    /// scan, and building them all was a sixth of start-up. A value regex
    /// that fails to build (only a size limit can, the syntax was checked at
    /// load) is recorded in `errors` and allows nothing.
    pub fn allows_value(&self, secret: &[u8], errors: &Mutex<Vec<String>>) -> bool {
        if self.allow_patterns.is_empty() {
            return false;
        }
        let values = self.allow_values.get_or_init(|| {
            let mut built = Vec::with_capacity(self.allow_patterns.len());
            for v in &self.allow_patterns {
                match regex_builder(v).build() {
                    Ok(re) => built.push(re),
                    Err(e) => {
                        if let Ok(mut errs) = errors.lock() {
                            errs.push(format!(
                                "{}:{}: rule '{}': invalid allowlist regex: {}",
                                self.source.display(),
                                self.line,
                                self.id,
                                regex_reason(&e)
                            ));
                        }
                    }
                }
            }
            built
        });
        values.iter().any(|re| re.is_match(secret))
    }

    /// True when every match of the regex begins with one of the rule's
    /// keywords (`(?i)secret\s*[:=]…` under the keyword `secret`): a match
    /// can then only start where a keyword hit starts, and the detector
    /// tries the regex anchored at those hits instead of searching the
    /// whole window. Worked out once, from the regex's prefix literals.
    pub fn starts_at_keyword(&self) -> bool {
        *self
            .starts_at_keyword
            .get_or_init(|| regex_starts_with_keyword(&self.pattern, &self.keywords))
    }

    /// What the byte after the regex's fixed-length start must be (see
    /// [`super::follow`]), worked out once.
    pub fn follow(&self) -> Option<&super::follow::Follow> {
        self.follow
            .get_or_init(|| {
                let skip = self.keywords.iter().map(String::len).min().unwrap_or(0);
                super::follow::Follow::of(&self.pattern, skip)
            })
            .as_ref()
    }

    /// Why a finding of this rule is believed, before any validator has
    /// looked at the secret (see [`crate::finding::Confidence`]): the
    /// rule's `confidence:` when it has one; else `low` for a `generic`
    /// rule; else `high` when every secret the rule reports holds one of
    /// its keywords (a provider prefix such as `ghp_`, `xoxb-`, a PEM
    /// armour line: the value is recognisable alone); else `medium` (the
    /// value is recognised by a keyword next to it, `acme … key = …`).
    /// Worked out once, from the regex's syntax.
    pub fn confidence(&self) -> Confidence {
        *self.confidence.get_or_init(|| {
            if let Some(c) = self.explicit_confidence {
                c
            } else if self.generic {
                Confidence::Low
            } else if secret_holds_keyword(&self.pattern, &self.keywords) {
                Confidence::High
            } else {
                Confidence::Medium
            }
        })
    }

    /// This compiled rule's process-wide unique number.
    pub fn uid(&self) -> u64 {
        self.uid
    }

    /// What any secret of this rule looks like, worked out from its regex on
    /// first use (`None` when that says nothing useful).
    pub fn shape(&self) -> Option<&SecretShape> {
        self.shape
            .get_or_init(|| SecretShape::of(&self.pattern, self.min_length))
            .as_ref()
    }
}

/// The bytes a rule's secret group can match, and the shortest secret the
/// rule can report (the group's minimum length, or `min_length` if
/// larger). A window with no run of that many such bytes cannot hold a
/// secret of the rule, so its regex need not run there. This is exact, not
/// a heuristic: the secret is one run of such bytes inside the window.
///
/// Why: very common keywords (`secret`, `token` in Go and YAML) open a
/// one-line window every hundred bytes or so, and starting a regex search
/// costs more than reading a short line. `var secret corev1.Secret` has no
/// run of 16 value bytes, so the generic rules skip it without a search.
#[derive(Debug, PartialEq)]
pub struct SecretShape {
    bytes: [bool; 256],
    /// 0 when the secret group says nothing useful (then only `required`
    /// is checked).
    pub min_run: usize,
    /// Bytes every match contains: the literal pieces of the regex's
    /// top-level sequence (`@` in `scheme://user:pass@host`). A window
    /// without one of them holds no match.
    pub required: Vec<u8>,
    /// When set, every secret holds at least one of these bytes (the
    /// generic rules' `[…]*[0-9][…]*`: a value with a digit), so the run
    /// must hold one too. `automountServiceAccountToken: false` has a run of
    /// 28 value bytes but no digit: no search.
    need: Option<[bool; 256]>,
}

impl SecretShape {
    /// True when `hay` holds a run of at least `min_run` secret bytes
    /// (holding one of the `need` bytes, when the secret must).
    ///
    /// Checks each candidate run from its far end backwards, so one byte
    /// outside the set skips everything before it: on code, where spaces
    /// and punctuation come every few bytes, most bytes are never looked at.
    pub fn could_match(&self, hay: &[u8]) -> bool {
        if !self
            .required
            .iter()
            .all(|&b| memchr::memchr(b, hay).is_some())
        {
            return false;
        }
        let m = self.min_run;
        if m == 0 {
            return true;
        }
        let mut start = 0;
        'candidates: while start + m <= hay.len() {
            let mut j = start + m;
            while j > start {
                j -= 1;
                if !self.bytes[hay[j] as usize] {
                    start = j + 1;
                    continue 'candidates;
                }
            }
            // `start` begins a run (it follows a byte outside the set, or
            // the window's start) at least `min_run` long
            let Some(need) = &self.need else {
                return true;
            };
            let end = hay[start + m..]
                .iter()
                .position(|&b| !self.bytes[b as usize])
                .map_or(hay.len(), |n| start + m + n);
            if hay[start..end].iter().any(|&b| need[b as usize]) {
                return true;
            }
            start = end + 1;
        }
        false
    }

    /// Works the shape out from the regex's syntax tree. `None` when the
    /// regex does not parse, when some capture group may not take part in
    /// a match (the detector then falls back to the whole match, whose
    /// bytes this does not describe), when the group matches nearly any
    /// byte, or when the shortest secret is under 8 bytes: there the check
    /// would cost more than it saves.
    fn of(pattern: &str, min_length: usize) -> Option<SecretShape> {
        use regex_syntax::hir::{Class, Hir, HirKind};
        let hir = parse_syntax(pattern).ok()?;
        let props = hir.properties();
        if props.static_explicit_captures_len() != Some(props.explicit_captures_len()) {
            return None;
        }
        fn find(h: &Hir, by_name: bool) -> Option<&Hir> {
            match h.kind() {
                HirKind::Capture(c) => {
                    let hit = if by_name {
                        c.name.as_deref() == Some("secret")
                    } else {
                        c.index == 1
                    };
                    if hit {
                        Some(&c.sub)
                    } else {
                        find(&c.sub, by_name)
                    }
                }
                HirKind::Repetition(r) => find(&r.sub, by_name),
                HirKind::Concat(hs) | HirKind::Alternation(hs) => {
                    hs.iter().find_map(|h| find(h, by_name))
                }
                _ => None,
            }
        }
        let group = find(&hir, true)
            .or_else(|| find(&hir, false))
            .unwrap_or(&hir);
        fn collect(h: &Hir, bytes: &mut [bool; 256]) {
            match h.kind() {
                HirKind::Literal(l) => l.0.iter().for_each(|&b| bytes[b as usize] = true),
                // any non-ASCII byte may occur in a non-ASCII character
                HirKind::Class(c) => super::follow::add_class(c, bytes),
                HirKind::Capture(c) => collect(&c.sub, bytes),
                HirKind::Repetition(r) => collect(&r.sub, bytes),
                HirKind::Concat(hs) | HirKind::Alternation(hs) => {
                    hs.iter().for_each(|h| collect(h, bytes))
                }
                HirKind::Empty | HirKind::Look(_) => {}
            }
        }
        let mut bytes = [false; 256];
        collect(group, &mut bytes);
        // a class every match of the group passes through at least once:
        // a top-level item of the group's sequence that must occur
        fn needed(group: &Hir, all: &[bool; 256]) -> Option<[bool; 256]> {
            let items: &[Hir] = match group.kind() {
                HirKind::Concat(hs) => hs,
                _ => std::slice::from_ref(group),
            };
            items.iter().find_map(|h| {
                let h = match h.kind() {
                    HirKind::Repetition(r) if r.min >= 1 => &r.sub,
                    _ => h,
                };
                if !matches!(h.kind(), HirKind::Class(Class::Bytes(_))) {
                    return None;
                }
                let mut set = [false; 256];
                collect(h, &mut set);
                // worth checking only when it rules out part of the run
                (set != *all).then_some(set)
            })
        }
        let min_run = group.properties().minimum_len()?.max(min_length);
        let allowed = bytes.iter().filter(|&&b| b).count();
        let min_run = if min_run >= 8 && allowed <= 200 {
            min_run
        } else {
            0
        };
        // literal bytes of the top-level sequence (through groups)
        fn top_literals(h: &Hir, out: &mut Vec<u8>) {
            match h.kind() {
                HirKind::Literal(l) => out.extend_from_slice(&l.0),
                HirKind::Capture(c) => top_literals(&c.sub, out),
                HirKind::Concat(hs) => hs.iter().for_each(|h| top_literals(h, out)),
                _ => {}
            }
        }
        let mut required = Vec::new();
        top_literals(&hir, &mut required);
        required.sort_unstable();
        required.dedup();
        // a letter or digit is in nearly every window; punctuation is not
        required.retain(|b| !b.is_ascii_alphanumeric());
        let need = if min_run > 0 {
            needed(group, &bytes)
        } else {
            None
        };
        (min_run > 0 || !required.is_empty()).then_some(SecretShape {
            bytes,
            min_run,
            required,
            need,
        })
    }
}

/// True when every match of `pattern` starts with one of `keywords`
/// (ignoring ASCII case): the regex's prefix literals are a finite set and
/// each begins with a keyword. Conservative: `false` whenever the
/// extraction is not finite or a literal is shorter than every keyword it
/// could start with.
fn regex_starts_with_keyword(pattern: &str, keywords: &[String]) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let Ok(hir) = parse_syntax(pattern) else {
        return false;
    };
    let prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let Some(literals) = prefixes.literals() else {
        return false;
    };
    let keywords: Vec<Vec<u8>> = keywords
        .iter()
        .map(|k| k.to_ascii_lowercase().into_bytes())
        .collect();
    !literals.is_empty()
        && literals.iter().all(|lit| {
            let lit = lit.as_bytes().to_ascii_lowercase();
            keywords.iter().any(|k| !k.is_empty() && lit.starts_with(k))
        })
}

/// True when every secret `pattern` reports holds one of `keywords`
/// (ignoring ASCII case): the secret group (named `secret`, else group 1,
/// else the whole match, as [`build_regex`] picks it) must pass through a
/// literal holding a keyword, or has a finite set of prefix literals that
/// each hold one. Conservative: `false` when neither can be shown, and when
/// some capture group may not take part in a match.
fn secret_holds_keyword(pattern: &str, keywords: &[String]) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::{Hir, HirKind};
    let Ok(hir) = parse_syntax(pattern) else {
        return false;
    };
    // a group that may not take part in a match (one branch of an
    // alternation: `\b(tgp_v1_…)|together…=(…)`) is not the secret of
    // every match
    let props = hir.properties();
    if props.static_explicit_captures_len() != Some(props.explicit_captures_len()) {
        return false;
    }
    fn group<'h>(
        h: &'h Hir,
        want: &dyn Fn(&regex_syntax::hir::Capture) -> bool,
    ) -> Option<&'h Hir> {
        match h.kind() {
            HirKind::Capture(c) if want(c) => Some(&c.sub),
            HirKind::Capture(c) => group(&c.sub, want),
            HirKind::Repetition(r) => group(&r.sub, want),
            HirKind::Concat(hs) | HirKind::Alternation(hs) => {
                hs.iter().find_map(|h| group(h, want))
            }
            _ => None,
        }
    }
    let secret = group(&hir, &|c| c.name.as_deref() == Some("secret"))
        .or_else(|| group(&hir, &|c| c.index == 1))
        .unwrap_or(&hir);
    let keywords: Vec<Vec<u8>> = keywords
        .iter()
        .filter(|k| !k.is_empty())
        .map(|k| k.to_ascii_lowercase().into_bytes())
        .collect();
    let holds = |lit: &[u8]| {
        let lit = lit.to_ascii_lowercase();
        keywords
            .iter()
            .any(|k| memchr::memmem::find(&lit, k).is_some())
    };
    // a literal piece every match passes through (`…T3BlbkFJ…` in the
    // middle of an OpenAI key, the armour line of a PEM block)
    fn always(h: &Hir, holds: &dyn Fn(&[u8]) -> bool) -> bool {
        match h.kind() {
            HirKind::Literal(l) => holds(&l.0),
            HirKind::Capture(c) => always(&c.sub, holds),
            HirKind::Repetition(r) => r.min >= 1 && always(&r.sub, holds),
            HirKind::Concat(hs) => hs.iter().any(|h| always(h, holds)),
            HirKind::Alternation(hs) => hs.iter().all(|h| always(h, holds)),
            HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => false,
        }
    }
    if always(secret, &holds) {
        return true;
    }
    // or the secret's possible starts (case-folded keywords: `(?i)sk-ant-`
    // is a class per letter, not a literal)
    let prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(secret);
    prefixes.literals().is_some_and(|literals| {
        !literals.is_empty() && literals.iter().all(|lit| holds(lit.as_bytes()))
    })
}

/// A rule regex's syntax tree, parsed with the options its regex is
/// compiled with (no Unicode classes, byte-oriented): what the checks at
/// load and the analyses that speed matching up (shape, anchoring, follow
/// set) read.
pub(crate) fn parse_syntax(
    pattern: &str,
) -> Result<regex_syntax::hir::Hir, Box<regex_syntax::Error>> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(Box::new)
}

fn regex_builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT);
    b
}

/// Compiles `pattern` and picks the secret group: `secret`, else 1, else 0.
///
/// The regex is `regex_automata`'s meta regex, configured exactly as
/// [`regex_builder`] configures `regex::bytes::Regex` (the same engine
/// underneath): the detector then keeps a search cache per worker and rule
/// instead of borrowing one from the regex's shared pool and cloning its
/// group table for every window, which made the two cores contend on one
/// reference count a few million times per scan.
fn build_regex(pattern: &str) -> std::result::Result<(meta::Regex, usize), String> {
    let built = meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .hybrid_cache_capacity(REGEX_SIZE_LIMIT)
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .utf8_empty(false),
        )
        .syntax(
            regex_automata::util::syntax::Config::new()
                .unicode(false)
                .utf8(false),
        )
        .build(pattern);
    let re = match built {
        Ok(re) => re,
        // the `regex` crate words the reason for users (and the tests)
        Err(_) => {
            return Err(match regex_builder(pattern).build() {
                Err(e) => regex_reason(&e),
                Ok(_) => "invalid regex".to_string(),
            });
        }
    };
    let info = re.group_info();
    let pid = regex_automata::PatternID::ZERO;
    let group = info
        .pattern_names(pid)
        .position(|n| n == Some("secret"))
        .unwrap_or(if info.group_len(pid) > 1 { 1 } else { 0 });
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

// `BUILTIN_KEYWORDS` (the built-in rules' keywords as `RuleSet::compile`
// orders them) and `BUILTIN_KEYWORD_META` / `BUILTIN_KEYWORD_TRANSITIONS`
// (their automaton, laid out by `build.rs`).
include!(concat!(env!("OUT_DIR"), "/builtin_keywords.rs"));

/// All rules plus the keyword automaton that decides which can match.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<CompiledRule>,
    /// `None` when no rule has a keyword.
    pub keywords: Option<KeywordScanner>,
    /// For each automaton pattern, the rules that listed it.
    pub keyword_rules: Vec<Vec<u32>>,
    /// Rules without keywords: run on every blob.
    pub always: Vec<u32>,
    /// The widest window of any single-line rule: how far the detector
    /// looks for a hit's line ends, once per hit for all its rules.
    pub line_reach: usize,
    /// Lazy compile failures, reported at the end of a scan.
    pub errors: Mutex<Vec<String>>,
    /// One rule per group of rules with equal secret shapes (see
    /// [`RuleSet::shape_group`]), in the order the groups were met.
    shape_groups: Mutex<Vec<u32>>,
}

impl RuleSet {
    /// Checks and compiles loaded rules (regex syntax checked, not built).
    pub fn compile(loaded: Vec<LoadedRule>) -> Result<RuleSet> {
        let mut rules = Vec::with_capacity(loaded.len());
        for lr in loaded {
            rules.push(check_rule(lr)?);
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut keyword_rules: Vec<Vec<u32>> = Vec::new();
        let mut always = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.keywords.is_empty() {
                always.push(i as u32);
            }
            for k in &r.keywords {
                let k = k.to_ascii_lowercase();
                match index.get(&k) {
                    Some(&pi) => keyword_rules[pi].push(i as u32),
                    None => {
                        index.insert(k.clone(), patterns.len());
                        patterns.push(k);
                        keyword_rules.push(vec![i as u32]);
                    }
                }
            }
        }
        let keywords = if patterns.is_empty() {
            None
        } else {
            match KeywordScanner::prebuilt(
                &patterns,
                BUILTIN_KEYWORDS,
                BUILTIN_KEYWORD_META,
                BUILTIN_KEYWORD_TRANSITIONS,
            ) {
                Some(prebuilt) => Some(prebuilt),
                None => Some(
                    KeywordScanner::new(&patterns)
                        .map_err(|e| Error::Other(format!("building keyword automaton: {e}")))?,
                ),
            }
        };
        let line_reach = rules
            .iter()
            .filter(|r| r.single_line)
            .map(|r| r.window_before.max(r.window_after))
            .max()
            .unwrap_or(0);
        Ok(RuleSet {
            rules,
            keywords,
            keyword_rules,
            always,
            line_reach,
            errors: Mutex::new(Vec::new()),
            shape_groups: Mutex::new(Vec::new()),
        })
    }

    /// A small number shared by the rules whose secrets have equal shapes
    /// (`None` for a rule without one), worked out on the rule's first use.
    /// The generic rules that share the keywords `secret` and `token` have
    /// one shape, so a line they both open is checked once for both.
    pub fn shape_group(&self, rule: usize) -> Option<u32> {
        let r = &self.rules[rule];
        *r.shape_group.get_or_init(|| {
            let shape = r.shape()?;
            let mut groups = self.shape_groups.lock().ok()?;
            let found = groups
                .iter()
                .position(|&g| self.rules[g as usize].shape() == Some(shape));
            Some(match found {
                Some(g) => g as u32,
                None => {
                    groups.push(rule as u32);
                    (groups.len() - 1) as u32
                }
            })
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
        prechecked,
        regex_line,
        docs,
    } = lr;
    let err_at = |line: usize, msg: String| Error::Rule {
        path: source.clone(),
        line,
        id: s.id.clone(),
        msg,
    };
    let err = |msg: String| err_at(line, msg);
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
    if !prechecked {
        parse_syntax(&s.regex).map_err(|e| {
            err_at(
                regex_line.unwrap_or(line),
                format!("invalid regex: {}", regex_syntax_reason(&e)),
            )
        })?;
    }
    if let Some(v) = &s.validator
        && !VALIDATORS.contains(&v.as_str())
    {
        return Err(err(format!(
            "unknown validator '{v}' (one of: {})",
            VALIDATORS.join(", ")
        )));
    }
    let explicit_confidence = match &s.confidence {
        None => None,
        Some(c) => Some(
            Confidence::parse(c)
                .ok_or_else(|| err(format!("unknown confidence '{c}' (high, medium, low)")))?,
        ),
    };
    if s.keywords.iter().any(|k| k.is_empty()) {
        return Err(err("empty keyword".into()));
    }
    let allow = s.allowlist.clone().unwrap_or_default();
    if !prechecked {
        for v in &allow.values {
            parse_syntax(v).map_err(|e| {
                err(format!(
                    "invalid allowlist regex: {}",
                    regex_syntax_reason(&e)
                ))
            })?;
        }
    }
    let window = s.window;
    Ok(CompiledRule {
        severity,
        explicit_confidence,
        confidence: OnceLock::new(),
        keywords: s.keywords.clone(),
        pattern: s.regex.clone(),
        regex: OnceLock::new(),
        shape: OnceLock::new(),
        shape_group: OnceLock::new(),
        starts_at_keyword: OnceLock::new(),
        follow: OnceLock::new(),
        uid: {
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        },
        min_entropy: s.min_entropy,
        min_length: s.min_length.unwrap_or(0),
        validator: s.validator.clone(),
        generic: s.generic,
        window_before: window.unwrap_or(DEFAULT_WINDOW_BEFORE),
        window_after: window.unwrap_or(DEFAULT_WINDOW_AFTER),
        single_line: s.single_line.unwrap_or(s.generic),
        allow_patterns: allow.values.clone(),
        allow_values: OnceLock::new(),
        stopwords: allow
            .stopwords
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect(),
        docs,
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
    fn builtin_rules_take_the_keyword_table_built_with_the_binary() {
        let builtin = crate::rules::load::builtin_rules().unwrap();
        let rules = RuleSet::compile(builtin.clone()).unwrap();
        let prebuilt = rules.keywords.as_ref().unwrap();
        assert!(
            prebuilt.is_prebuilt(),
            "build.rs and RuleSet::compile list keywords alike"
        );
        // one rule fewer: other keywords, so the automaton is built here
        let fewer =
            RuleSet::compile(RuleSet::without(builtin, &["github-pat".to_string()])).unwrap();
        assert!(!fewer.keywords.as_ref().unwrap().is_prebuilt());
        // the embedded table finds what a table built now finds
        let keywords: Vec<String> = BUILTIN_KEYWORDS.iter().map(|k| k.to_string()).collect();
        let built = KeywordScanner::new(&keywords).unwrap();
        let mut data = Vec::new();
        for (i, k) in keywords.iter().enumerate() {
            data.extend_from_slice(
                if i % 2 == 0 {
                    k.to_ascii_uppercase()
                } else {
                    k.clone()
                }
                .as_bytes(),
            );
            data.extend_from_slice(b" x\n");
        }
        let mut a = crate::rules::HitScratch::default();
        let mut b = crate::rules::HitScratch::default();
        for len in [40, 5000, data.len()] {
            let part = &data[..len.min(data.len())];
            let (got, want) = (
                prebuilt.find(part, &mut a).to_vec(),
                built.find(part, &mut b).to_vec(),
            );
            assert!(!got.is_empty());
            assert_eq!(got, want, "{len} bytes");
        }
    }

    #[test]
    fn a_user_rule_with_a_bad_allowlist_regex_is_an_error_at_load() {
        let err = compile(
            "- id: t\n  name: t\n  severity: high\n  keywords: [tok]\n  regex: 'tok=([a-z]{8})'\n  allowlist:\n    values: ['(unclosed']\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("t.yaml:1") && err.contains("invalid allowlist regex"),
            "{err}"
        );
    }

    #[test]
    fn secret_shape_follows_the_secret_group() {
        let shape = |re: &str, min: usize| SecretShape::of(re, min).map(|s| s.min_run);
        // the named group, its class and length; the name before it is not
        // part of the secret
        let s = SecretShape::of(r"(?i:token)\s*=\s*(?P<secret>[a-f0-9]{32})", 0).unwrap();
        assert_eq!(s.min_run, 32);
        assert!(s.could_match(format!("token = {}", "ab12".repeat(8)).as_bytes()));
        assert!(!s.could_match(format!("token = {}", "ab12".repeat(7)).as_bytes()));
        assert!(
            !s.could_match(b"token = ABCDEFABCDEFABCDEFABCDEFABCDEFAB"),
            "case folded only where the regex says"
        );
        // `min_length` raises the bar; a short secret gives no shape
        assert_eq!(shape(r"key=([A-Za-z0-9]{8,})", 20), Some(20));
        assert_eq!(
            shape(r"key=([A-Za-z0-9]{4,})", 0),
            Some(0),
            "only `=` is known"
        );
        assert_eq!(shape(r"key([A-Za-z0-9]{4,})", 0), None);
        // no group: the whole match is the secret
        assert_eq!(shape(r"ghp_[A-Za-z0-9]{36}", 0), Some(40));
        // an optional group may not take part, so nothing can be said
        assert_eq!(shape(r"a(?:b(?P<secret>[0-9]{10}))?", 0), None);
        // a group that takes nearly any byte is not worth checking
        assert_eq!(shape(r"x(?s)(.{20,})", 0), None);
        // required punctuation of the whole match
        let url = SecretShape::of(r"https?://[^\s:@/]{1,64}:([^\s:@/]{3,128})@[a-z.]+", 0).unwrap();
        assert_eq!((url.min_run, url.required.as_slice()), (0, &b"/:@"[..]));
        assert!(url.could_match(b"see https://u:pw1@example.org"));
        assert!(!url.could_match(b"see https://example.org:8080/a"));
    }

    #[test]
    fn a_secret_that_must_hold_a_digit_needs_a_run_with_one() {
        let s = SecretShape::of(r"token: (?P<secret>[A-Za-z0-9_-]*[0-9][A-Za-z0-9_-]*)", 16)
            .expect("shape");
        assert_eq!(s.min_run, 16);
        assert!(!s.could_match(b"automountServiceAccountToken: false"));
        // the digit may be anywhere in the run, even past its first 16 bytes
        assert!(s.could_match(b"x: abcdefghijklmnopqrstuvwxyz7 y"));
        assert!(s.could_match(b"x: 7abcdefghijklmnopqrstuvwxyz"));
        // a short run with a digit, then a long one without: no
        assert!(!s.could_match(b"x: ab7 abcdefghijklmnopqrstuvwxyz"));
        // ... and with one later on: yes
        assert!(s.could_match(b"x: abcdefghijklmnopqrstuvwxyz ab7 abcdefghijklmnop9"));
        // a class that admits every byte of the group says nothing more
        let hex = SecretShape::of(r"key=([a-f0-9]{32})", 0).expect("shape");
        assert!(hex.need.is_none());
        // the built-in generic rules get it
        let rules = crate::rules::load::builtin_rules().expect("built-in rules");
        let set = RuleSet::compile(rules).expect("compiles");
        for id in ["generic-api-key", "generic-keyed-token"] {
            let rule = set.find(id).expect("rule");
            assert!(rule.shape().is_some_and(|s| s.need.is_some()), "{id}");
        }
    }

    /// The derived confidence: generic rules low; a secret that holds one
    /// of the rule's keywords (a provider prefix, a literal every match
    /// passes through, case-folded or not) high; a value found by a name
    /// next to it medium; `confidence:` overrides all of that.
    #[test]
    fn confidence_is_derived_from_the_rule_or_written() {
        let rule = |extra: &str, keywords: &str, regex: &str| {
            let set = compile(&format!(
                "- id: t\n  name: t\n  severity: low\n  keywords: [{keywords}]\n  regex: '{regex}'\n{extra}"
            ))
            .unwrap();
            set.rules[0].confidence()
        };
        use Confidence::*;
        // the keyword is the token's own prefix
        assert_eq!(rule("", "ghp_", r"\b(ghp_[A-Za-z0-9]{36})\b"), High);
        assert_eq!(
            rule("", "gho_, ghp_", r"\b((?:ghp|gho)_[A-Za-z0-9]{36})\b"),
            High
        );
        assert_eq!(rule("", "sk-ant-", r"(?i)\b(sk-ant-[a-z0-9]{20})"), High);
        // no group: the whole match is the secret
        assert_eq!(rule("", "xoxb-", r"xoxb-[0-9]{10}-[A-Za-z0-9]{24}"), High);
        // the keyword in the middle of the token, or past an optional part
        assert_eq!(
            rule(
                "",
                "T3BlbkFJ",
                r"\b(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})"
            ),
            High
        );
        assert_eq!(
            rule(
                "",
                "PRIVATE KEY-----",
                r"(-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\s]{64,}?-----END (?:RSA )?PRIVATE KEY-----)"
            ),
            High
        );
        // a named group without the keyword: context
        assert_eq!(
            rule(
                "",
                "acme",
                r"(?i)acme.{0,20}key\s*=\s*(?P<secret>[a-z0-9]{32})"
            ),
            Medium
        );
        // the keyword only in an optional part, or in one branch
        assert_eq!(rule("", "acme_", r"\b((?:acme_)?[a-z0-9]{32})\b"), Medium);
        assert_eq!(
            rule("", "acme_", r"\b(acme_[a-z0-9]{32}|[a-z]{9}[0-9]{20})"),
            Medium
        );
        // every branch holds one
        assert_eq!(
            rule(
                "",
                "acme_, acme",
                r"\b(acme_[a-z0-9]{32}|acme[a-z]{9}[0-9]{20})"
            ),
            High
        );
        // a group that may not take part: nothing can be said
        assert_eq!(
            rule(
                "",
                "acme_, acme",
                r"(?:\b(acme_[a-z0-9]{32})|acme\s*=\s*([a-f0-9]{64}))"
            ),
            Medium
        );
        // catch-all rules are low, even with a prefix
        assert_eq!(
            rule("  generic: true\n", "ghp_", r"\b(ghp_[A-Za-z0-9]{36})\b"),
            Low
        );
        // written: wins over what the regex says
        assert_eq!(
            rule(
                "  confidence: high\n",
                "acme",
                r"(?i)acme.{0,20}key=([a-z0-9]{32})"
            ),
            High
        );
        assert_eq!(
            rule("  confidence: LOW\n", "ghp_", r"\b(ghp_[A-Za-z0-9]{36})\b"),
            Low
        );
        assert_eq!(
            rule("  generic: true\n  confidence: medium\n", "pw", r"pw=(\w+)"),
            Medium
        );
    }

    #[test]
    fn unknown_confidence_names_rule_and_line() {
        let e = compile("- id: ok\n  name: x\n  severity: low\n  regex: a\n- id: bad\n  name: y\n  severity: low\n  confidence: certain\n  regex: b\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("t.yaml:5: rule 'bad': unknown confidence 'certain'"),
            "{e}"
        );
        assert!(e.contains("high, medium, low"), "{e}");
    }

    /// The built-in rules get what the README's table says.
    #[test]
    fn builtin_rules_confidence() {
        let set = RuleSet::compile(crate::rules::load::builtin_rules().expect("built-in rules"))
            .expect("built-in rules compile");
        let of = |id: &str| set.find(id).unwrap_or_else(|| panic!("{id}")).confidence();
        use Confidence::*;
        for id in [
            "github-pat",
            "slack-bot-token",
            "anthropic-api-key",
            "openai-api-key",
            "private-key-pem",
            "private-key-openssh",
            "aws-access-key-id",
            "aws-secret-access-key-pair",
            "gcp-service-account-key",
            "stripe-live-secret-key",
        ] {
            assert_eq!(of(id), High, "{id}");
        }
        for id in [
            "aws-secret-access-key",
            "zendesk-api-token",
            "openai-api-key-context",
        ] {
            assert_eq!(of(id), Medium, "{id}");
        }
        for r in set
            .rules
            .iter()
            .filter(|r| r.generic && r.explicit_confidence.is_none())
        {
            assert_eq!(r.confidence(), Low, "{}", r.id);
        }
        assert!(
            set.rules
                .iter()
                .any(|r| r.id == "generic-api-key" && r.confidence() == Low)
        );
    }

    #[test]
    fn invalid_regex_names_rule_and_line() {
        let e = compile("- id: ok\n  name: x\n  severity: low\n  regex: a\n- id: bad\n  name: y\n  severity: low\n  regex: '(unclosed'\n")
            .unwrap_err()
            .to_string();
        // the line of the regex, not of the rule's id
        assert!(e.starts_with("t.yaml:8: rule 'bad': invalid regex"), "{e}");
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

    #[test]
    fn regexes_that_start_with_a_keyword_are_recognised() {
        let kw = |ks: &[&str]| ks.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(regex_starts_with_keyword(
            r"(?i)secret\s*[:=]\s*(\w+)",
            &kw(&["secret"])
        ));
        assert!(regex_starts_with_keyword(
            r"(?:ghp|gho)_[A-Za-z0-9]{36}",
            &kw(&["ghp_", "gho_"])
        ));
        assert!(regex_starts_with_keyword(
            r"Secret(?:Key)?=(\w+)",
            &kw(&["secret"])
        ));
        // a match may start before the keyword, or with a shorter literal
        assert!(!regex_starts_with_keyword(
            r"(?i)\w*secret=(\w+)",
            &kw(&["secret"])
        ));
        assert!(!regex_starts_with_keyword(
            r"(?i)(?:api_)?secret=(\w+)",
            &kw(&["secret"])
        ));
        assert!(!regex_starts_with_keyword(
            r"ghp_[A-Za-z0-9]{36}",
            &kw(&["ghp_x"])
        ));
        assert!(!regex_starts_with_keyword(r"[a-z]+=(\w+)", &kw(&["key"])));
        assert!(!regex_starts_with_keyword(r"(", &kw(&["key"])));
    }
}
