//! Secret detection: keyword hit → window → rule regex → capture → entropy →
//! placeholder/allowlist → global false positives → validator →
//! [`SecretMatch`].
//!
//! The keyword automaton makes one pass over the blob. Each hit opens a
//! window (a few hundred bytes either side, widened to line boundaries) for
//! the rules that own the keyword; overlapping windows of one rule merge, and
//! the rule's regex runs only inside its windows. A blob with no keyword hit
//! costs that single pass and nothing else.

use super::entropy::shannon;
use super::false_positive;
use super::placeholder::{self, is_placeholder};
use super::validate::{Validation, validate};
use crate::finding::Severity;
use crate::rules::{HitScratch, RuleSet};
use regex_automata::util::captures::Captures;
use regex_automata::util::iter::Searcher;
use regex_automata::{Anchored, Input, meta};

/// How far a window is widened to reach a line boundary.
const LINE_SNAP: usize = 256;

/// One secret found in a blob. Offsets are bytes into the scanned slice.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretMatch {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub entropy: f64,
    pub severity: Severity,
    pub validation: Validation,
}

/// Per-worker scratch space, reused across blobs so matching does not
/// allocate per blob.
#[derive(Debug, Default)]
pub struct Scratch {
    windows: Vec<Vec<(usize, usize)>>,
    /// Per rule whose matches start at a keyword: where its hits start.
    starts: Vec<Vec<usize>>,
    touched: Vec<u32>,
    /// Per shape group ([`RuleSet::shape_group`]): the last line checked
    /// in this blob and whether it may hold a secret of that shape.
    lines: Vec<((usize, usize), bool)>,
    hits: HitScratch,
    /// Per rule: the regex's search cache and capture slots, made on the
    /// rule's first window in this worker, with the rule's uid (scratch
    /// space outlives a rule set, and a cache fits only its own regex).
    regex: Vec<Option<(u64, meta::Cache, Captures)>>,
}

/// Finds every secret in `data`, sorted by start offset then rule index.
pub fn find_secrets(
    rules: &RuleSet,
    data: &[u8],
    scratch: &mut Scratch,
    out: &mut Vec<SecretMatch>,
) {
    if scratch.windows.len() < rules.rules.len() {
        scratch.windows.resize_with(rules.rules.len(), Vec::new);
        scratch.starts.resize_with(rules.rules.len(), Vec::new);
        scratch.regex.resize_with(rules.rules.len(), || None);
    }
    scratch.touched.clear();
    scratch.lines.clear();
    if let Some(keywords) = &rules.keywords {
        for hit in keywords.find(data, &mut scratch.hits) {
            // the hit's line, found once for all its single-line rules and
            // clipped to each rule's window (the same as searching with the
            // rule's own window, since none reaches past `line_reach`)
            let mut line: Option<(usize, usize, bool)> = None;
            for &ri in &rules.keyword_rules[hit.pattern as usize] {
                let rule = &rules.rules[ri as usize];
                let (ws, we) = if rule.single_line {
                    let (ls, le, whole) = *line.get_or_insert_with(|| {
                        let ls = line_start(data, hit.start, rules.line_reach);
                        let le = line_end(data, hit.end, rules.line_reach);
                        let whole = (ls == 0 || data[ls - 1] == b'\n')
                            && (le == data.len() || data[le] == b'\n');
                        (ls, le, whole)
                    });
                    let window = (
                        ls.max(hit.start.saturating_sub(rule.window_before)),
                        le.min(hit.end + rule.window_after),
                    );
                    // A window that is a whole line only merges with windows
                    // inside that line, so when the line cannot hold the
                    // rule's secret, neither can any window made of them:
                    // it is dropped here, checked once per line for all the
                    // rules of one shape, instead of once per rule later.
                    if whole
                        && window == (ls, le)
                        && !line_may_hold(rules, ri as usize, data, window, &mut scratch.lines)
                    {
                        continue;
                    }
                    window
                } else {
                    (
                        snap_start(data, hit.start.saturating_sub(rule.window_before)),
                        snap_end(data, (hit.end + rule.window_after).min(data.len())),
                    )
                };
                let wins = &mut scratch.windows[ri as usize];
                if wins.is_empty() {
                    scratch.touched.push(ri);
                }
                if rule.starts_at_keyword() {
                    scratch.starts[ri as usize].push(hit.start);
                }
                match wins.last_mut() {
                    Some(last) if ws <= last.1 => {
                        last.0 = last.0.min(ws);
                        last.1 = last.1.max(we);
                    }
                    _ => wins.push((ws, we)),
                }
            }
        }
    }
    for &ri in &rules.always {
        scratch.touched.push(ri);
        scratch.windows[ri as usize].push((0, data.len()));
    }
    let first = out.len();
    for ti in 0..scratch.touched.len() {
        let ri = scratch.touched[ti] as usize;
        let mut wins = std::mem::take(&mut scratch.windows[ri]);
        let mut starts = std::mem::take(&mut scratch.starts[ri]);
        run_rule(
            rules,
            ri,
            data,
            &wins,
            &mut starts,
            &mut scratch.regex[ri],
            out,
        );
        wins.clear();
        starts.clear();
        scratch.windows[ri] = wins;
        scratch.starts[ri] = starts;
    }
    out[first..].sort_by_key(|m| (m.start, m.rule, m.end));
    let mut tail = out.split_off(first);
    tail.dedup_by(|a, b| (a.rule, a.start, a.end) == (b.rule, b.start, b.end));
    drop_shadowed_generic(rules, &mut tail);
    out.extend(tail);
}

/// True for the catch-all rules (`generic: true` and an id starting
/// `generic-`, as in `rules/generic.yaml`): they report what no more specific
/// rule explains.
pub fn is_catch_all(rules: &RuleSet, rule: usize) -> bool {
    let r = &rules.rules[rule];
    r.generic && r.id.starts_with("generic-")
}

/// Drops a catch-all match whose bytes overlap a match of any other rule:
/// `GITHUB_TOKEN=ghp_…` is one secret, and the provider (or log-format) rule
/// names it better (name, severity, validator) than `generic-api-key`.
/// Among catch-alls that overlap each other (`ACME_API_KEY=…` is both an
/// `*_API_KEY` assignment and a value labelled `KEY`), only the first kept:
/// the higher severity, then the rule listed first. One secret, one finding.
/// `matches` is one blob's matches, so the quadratic scan stays small.
fn drop_shadowed_generic(rules: &RuleSet, matches: &mut Vec<SecretMatch>) {
    let specific: Vec<(usize, usize)> = matches
        .iter()
        .filter(|m| !is_catch_all(rules, m.rule))
        .map(|m| (m.start, m.end))
        .collect();
    if !specific.is_empty() {
        matches.retain(|m| {
            !is_catch_all(rules, m.rule) || !specific.iter().any(|&(s, e)| m.start < e && s < m.end)
        });
    }
    let generic: Vec<(usize, usize, usize, crate::finding::Severity)> = matches
        .iter()
        .filter(|m| is_catch_all(rules, m.rule))
        .map(|m| (m.start, m.end, m.rule, m.severity))
        .collect();
    if generic.len() < 2 {
        return;
    }
    matches.retain(|m| {
        !is_catch_all(rules, m.rule)
            || !generic.iter().any(|&(s, e, rule, severity)| {
                rule != m.rule
                    && m.start < e
                    && s < m.end
                    && (severity, std::cmp::Reverse(rule)) > (m.severity, std::cmp::Reverse(m.rule))
            })
    });
}

/// Moves `pos` back to just after the previous newline, if one is near.
fn snap_start(data: &[u8], pos: usize) -> usize {
    let lo = pos.saturating_sub(LINE_SNAP);
    match memchr::memrchr(b'\n', &data[lo..pos]) {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => pos,
    }
}

/// Moves `pos` forward to the next newline, if one is near.
fn snap_end(data: &[u8], pos: usize) -> usize {
    let hi = (pos + LINE_SNAP).min(data.len());
    match memchr::memchr(b'\n', &data[pos..hi]) {
        Some(i) => pos + i,
        None if hi == data.len() => hi,
        None => pos,
    }
}

/// Start of the line holding `pos`, or `pos - max` on a longer line.
fn line_start(data: &[u8], pos: usize, max: usize) -> usize {
    let lo = pos.saturating_sub(max);
    memchr::memrchr(b'\n', &data[lo..pos]).map_or(lo, |i| lo + i + 1)
}

/// False when `line` (a whole line of `data`) has no run of bytes that
/// could be a secret of rule `ri` ([`crate::rules::compile::SecretShape`]). Hits
/// come in order, so the last line checked per shape group is all the
/// memory needed: `secret` and `token` on one line, for the two generic
/// rules that own both, make one check instead of four.
fn line_may_hold(
    rules: &RuleSet,
    ri: usize,
    data: &[u8],
    line: (usize, usize),
    memo: &mut Vec<((usize, usize), bool)>,
) -> bool {
    let (Some(shape), Some(group)) = (rules.rules[ri].shape(), rules.shape_group(ri)) else {
        return true;
    };
    let group = group as usize;
    if memo.len() <= group {
        memo.resize(group + 1, ((usize::MAX, usize::MAX), true));
    }
    let last = &mut memo[group];
    if last.0 != line {
        *last = (line, shape.could_match(&data[line.0..line.1]));
    }
    last.1
}

/// End of the line holding `pos` (its newline excluded), or `pos + max` on a
/// longer line.
fn line_end(data: &[u8], pos: usize, max: usize) -> usize {
    let hi = pos.saturating_add(max).min(data.len());
    memchr::memchr(b'\n', &data[pos..hi]).map_or(hi, |i| pos + i)
}

/// Runs rule `ri`'s regex over its windows. `starts` holds the rule's hit
/// starts when its matches can only begin at a keyword
/// ([`crate::rules::CompiledRule::starts_at_keyword`]): the regex is then
/// tried anchored at each of them, which finds exactly the matches an
/// unanchored search of the window finds (leftmost first, not overlapping)
/// but fails in a few bytes where a window holds no match (`var secret
/// corev1.Secret`).
fn run_rule(
    rules: &RuleSet,
    ri: usize,
    data: &[u8],
    windows: &[(usize, usize)],
    starts: &mut Vec<usize>,
    state: &mut Option<(u64, meta::Cache, Captures)>,
    out: &mut Vec<SecretMatch>,
) {
    let rule = &rules.rules[ri];
    let Some((re, group)) = rule.regex(&rules.errors) else {
        return;
    };
    let shape = rule.shape();
    if state.as_ref().is_none_or(|s| s.0 != rule.uid()) {
        *state = Some((rule.uid(), re.create_cache(), re.create_captures()));
    }
    let Some((_, cache, caps)) = state.as_mut() else {
        return;
    };
    let anchored = !starts.is_empty();
    // anchored at a hit, the byte after the regex's fixed start is checked
    // before a search is started (`secretKeyRef`: `K` cannot follow)
    let follow = if anchored { rule.follow() } else { None };
    if anchored {
        starts.sort_unstable();
        starts.dedup();
    }
    let mut next_start = 0;
    let report = |caps: &Captures, ws: usize, out: &mut Vec<SecretMatch>| {
        if let Some(m) = caps.get_group(*group).or_else(|| caps.get_group(0))
            && !m.is_empty()
            && let Some(found) = judge(rules, ri, data, ws + m.start, ws + m.end)
        {
            out.push(found);
        }
    };
    for &(ws, we) in windows {
        let hay = &data[ws..we];
        if shape.is_some_and(|s| !s.could_match(hay)) {
            continue;
        }
        if anchored {
            // the hits inside this window, each tried where the previous
            // match (if any) ended
            while next_start < starts.len() && starts[next_start] < ws {
                next_start += 1;
            }
            let mut resume = ws;
            while next_start < starts.len() && starts[next_start] < we {
                let at = starts[next_start];
                next_start += 1;
                if at < resume || follow.is_some_and(|f| !f.allows(hay, at - ws)) {
                    continue;
                }
                let input = Input::new(hay)
                    .span(at - ws..hay.len())
                    .anchored(Anchored::Yes);
                re.search_captures_with(cache, &input, caps);
                if let Some(m) = caps.get_match() {
                    resume = ws + m.end();
                    report(caps, ws, out);
                }
            }
            continue;
        }
        // the same iteration as `Regex::captures_iter` (empty matches
        // included), without a fresh `Captures` per match
        let mut matches = Searcher::new(Input::new(hay));
        while let Ok(Some(_)) = matches.try_advance(|input| {
            re.search_captures_with(cache, input, caps);
            Ok(caps.get_match())
        }) {
            report(caps, ws, out);
        }
    }
}

/// Applies a rule's post-match checks to a captured secret.
fn judge(rules: &RuleSet, ri: usize, data: &[u8], start: usize, end: usize) -> Option<SecretMatch> {
    let rule = &rules.rules[ri];
    let secret = &data[start..end];
    if secret.len() < rule.min_length {
        return None;
    }
    let entropy = shannon(secret);
    if let Some(min) = rule.min_entropy
        && entropy < min
    {
        return None;
    }
    if rule.allows_value(secret, &rules.errors) {
        return None;
    }
    if !rule.stopwords.is_empty() {
        let lower = secret.to_ascii_lowercase();
        if rule
            .stopwords
            .iter()
            .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
        {
            return None;
        }
    }
    if rule.generic && is_placeholder(secret, placeholder::next_byte(data, start, end)) {
        return None;
    }
    if false_positive::global().rejects(rule, data, start, end) {
        return None;
    }
    let mut validation = match &rule.validator {
        Some(v) => validate(v, &String::from_utf8_lossy(secret)),
        None => Validation::default(),
    };
    if validation.reject {
        return None;
    }
    let mut severity = validation.severity.unwrap_or(rule.severity);
    // a demo value (`hunter2`, `mypass`, `9cbaf0…`) is a credential in form
    // only: kept, at info, saying why (`--min-severity low` hides it)
    if rule.generic
        && let Some(reason) = false_positive::global().demo_reason(secret)
    {
        severity = Severity::Info;
        let note = format!("demo value: {reason}");
        validation.note = Some(match validation.note.take() {
            Some(n) => format!("{n}; {note}"),
            None => note,
        });
    }
    Some(SecretMatch {
        rule: ri,
        start,
        end,
        entropy,
        severity,
        validation,
    })
}

impl SecretMatch {
    /// The report's view of this secret: masked unless `show`, entropy
    /// rounded to two decimals, and how it was validated. The one place that
    /// decides what a secret finding may say about its secret.
    pub fn info(&self, text: &str, show: bool) -> crate::finding::SecretInfo {
        crate::finding::SecretInfo {
            redacted: crate::mask::display(text, show),
            entropy: (self.entropy * 100.0).round() / 100.0,
            validated: self.validation.status.map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::parse_rule_file;

    fn matches(rule_yaml: &str, text: &str) -> usize {
        let loaded = parse_rule_file(std::path::Path::new("t.yaml"), rule_yaml).unwrap();
        let rules = RuleSet::compile(loaded).unwrap();
        let mut out = Vec::new();
        find_secrets(&rules, text.as_bytes(), &mut Scratch::default(), &mut out);
        out.len()
    }

    /// A single-line rule sees only its keyword's line; the default window
    /// reaches across lines.
    #[test]
    fn single_line_windows_stop_at_the_keyword_line() {
        let rule = |single: bool| {
            format!(
                "- id: t\n  name: t\n  severity: low\n  keywords: [marker]\n  single_line: {single}\n  regex: '(?s)marker.*?(Q[0-9]{{8}})'\n"
            )
        };
        let same_line = "x marker Q12345678\n";
        let next_line = "x marker\nQ12345678\n";
        assert_eq!(matches(&rule(true), same_line), 1);
        assert_eq!(matches(&rule(true), next_line), 0);
        assert_eq!(matches(&rule(false), next_line), 1);
        // a long line is cut `window` bytes after the keyword, not at its end
        let far = format!("marker {} Q12345678\n", "-".repeat(2000));
        assert_eq!(matches(&rule(true), &far), 0);
        assert_eq!(line_start(b"ab\ncd", 4, 512), 3);
        assert_eq!(line_end(b"ab\ncd", 0, 512), 2);
        assert_eq!(line_end(b"abcd", 1, 2), 3);
    }

    /// Trying the regex anchored at each keyword hit finds exactly what an
    /// unanchored search of the window finds, including matches that
    /// overlap later hits (`secret=secret=…`) and hits inside a match.
    #[test]
    fn anchored_at_hits_equals_searching_the_window() {
        let yaml = "- id: t\n  name: t\n  severity: low\n  keywords: [secret, secret_]\n  min_entropy: 0\n  regex: '(?i)secret(?:_?key)?\\s*[=:]\\s*([a-z0-9=_]{3,12})'\n";
        let loaded = parse_rule_file(std::path::Path::new("t.yaml"), yaml).unwrap();
        let rules = RuleSet::compile(loaded).unwrap();
        assert!(rules.rules[0].starts_at_keyword());
        let keywords = rules.keywords.as_ref().unwrap();
        let mut rng = fastrand::Rng::with_seed(3);
        let mut found = 0;
        let pieces = [
            "secret",
            "SECRET_key",
            "=",
            ": ",
            "ab",
            "9",
            "_",
            " ",
            "\n",
            "x",
            "secret_",
        ];
        for round in 0..300 {
            let text: String = (0..rng.usize(0..60))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let data = text.as_bytes();
            let windows = [(0, data.len())];
            let mut starts: Vec<usize> = keywords
                .find(data, &mut HitScratch::default())
                .iter()
                .map(|h| h.start)
                .collect();
            let (mut anchored, mut searched) = (Vec::new(), Vec::new());
            run_rule(
                &rules,
                0,
                data,
                &windows,
                &mut starts,
                &mut None,
                &mut anchored,
            );
            run_rule(
                &rules,
                0,
                data,
                &windows,
                &mut Vec::new(),
                &mut None,
                &mut searched,
            );
            assert_eq!(anchored, searched, "round {round}: {text:?}");
            found += searched.len();
        }
        assert!(found > 100, "{found}");
    }

    /// Dropping whole lines that fail a shape at the hit, once per line for
    /// all rules of one shape, finds exactly what searching each rule's own
    /// merged windows finds: on random lines, some longer than the window.
    #[test]
    fn lines_checked_once_per_shape_find_what_each_rule_finds() {
        let rule = |id: &str, keywords: &str, group: &str| {
            format!(
                "- id: {id}\n  name: t\n  severity: low\n  keywords: [{keywords}]\n  single_line: true\n  window: 24\n  min_length: 8\n  min_entropy: 0\n  regex: '(?i)(?:secret|token|key)\\W{{0,2}}(?P<secret>{group})'\n"
            )
        };
        let yaml = [
            rule("a", "secret, token", "[a-z0-9]*[0-9][a-z0-9]*"),
            rule("b", "token, key", "[a-z0-9]*[0-9][a-z0-9]*"),
            rule("c", "key", "[a-z]{8,}"),
        ]
        .concat();
        let rules =
            RuleSet::compile(parse_rule_file(std::path::Path::new("t.yaml"), &yaml).unwrap())
                .unwrap();
        assert!(rules.rules.iter().all(|r| r.shape().is_some()));
        assert_eq!(rules.shape_group(0), rules.shape_group(1));
        assert_ne!(rules.shape_group(0), rules.shape_group(2));
        let keywords = rules.keywords.as_ref().unwrap();
        let pieces = [
            "secret", "token", "KEY", "=", ": ", " ", "\n", "ab", "q7", "abcdefgh", "12345678",
            "xx",
        ];
        let mut rng = fastrand::Rng::with_seed(11);
        let mut scratch = Scratch::default();
        let mut found = 0;
        for round in 0..400 {
            let text: String = (0..rng.usize(0..80))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let data = text.as_bytes();
            let mut got = Vec::new();
            find_secrets(&rules, data, &mut scratch, &mut got);
            // each rule on its own windows: the keyword's line, cut to the
            // rule's window, merged where they overlap
            let hits = keywords.find(data, &mut HitScratch::default()).to_vec();
            let mut want = Vec::new();
            for (ri, r) in rules.rules.iter().enumerate() {
                let mut windows: Vec<(usize, usize)> = Vec::new();
                for h in hits
                    .iter()
                    .filter(|h| rules.keyword_rules[h.pattern as usize].contains(&(ri as u32)))
                {
                    let (ws, we) = (
                        line_start(data, h.start, r.window_before),
                        line_end(data, h.end, r.window_after),
                    );
                    match windows.last_mut() {
                        Some(last) if ws <= last.1 => *last = (last.0.min(ws), last.1.max(we)),
                        _ => windows.push((ws, we)),
                    }
                }
                run_rule(
                    &rules,
                    ri,
                    data,
                    &windows,
                    &mut Vec::new(),
                    &mut None,
                    &mut want,
                );
            }
            want.sort_by_key(|m| (m.start, m.rule, m.end));
            want.dedup_by(|a, b| (a.rule, a.start, a.end) == (b.rule, b.start, b.end));
            assert_eq!(got, want, "round {round}: {text:?}");
            found += got.len();
        }
        assert!(found > 100, "{found}");
    }

    /// One worker's scratch space used with two rule sets: each rule gets a
    /// regex cache of its own regex, not the one left by the other set.
    #[test]
    fn scratch_space_follows_the_rule_set() {
        let set = |regex: &str| {
            let yaml = format!(
                "- id: t\n  name: t\n  severity: low\n  keywords: [tok]\n  min_entropy: 0\n  regex: '{regex}'\n"
            );
            RuleSet::compile(parse_rule_file(std::path::Path::new("t.yaml"), &yaml).unwrap())
                .unwrap()
        };
        let (a, b) = (set("tok=([0-9]{6})"), set("(x)?tok:(?P<secret>[a-z]{6})"));
        let mut scratch = Scratch::default();
        for _ in 0..2 {
            for (rules, text, want) in [(&a, "tok=123456", "123456"), (&b, "tok:abcdef", "abcdef")]
            {
                let mut out = Vec::new();
                find_secrets(rules, text.as_bytes(), &mut scratch, &mut out);
                assert_eq!(out.len(), 1);
                assert_eq!(&text[out[0].start..out[0].end], want);
            }
        }
    }
}
