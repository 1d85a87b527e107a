//! Every built-in rule documents itself: a description, a remediation, a
//! reference, at least one keyword for the prefilter, and at least two
//! examples and two negative examples (which `rules test` then checks). A rule
//! that lacks any of these fails here, naming the rule and its file, so
//! missing docs never reach `rules explain`, SARIF or the README.

use credsweep::rules::load::load_rules;

/// Fewest examples (and negative examples) a built-in rule may carry.
const MIN_EXAMPLES: usize = 2;

#[test]
fn every_builtin_rule_is_documented() {
    let rules = load_rules(false, &[]).expect("built-in rules load");
    assert!(!rules.is_empty());
    let mut problems = Vec::new();
    for r in &rules {
        let s = &r.syntax;
        let d = r.docs();
        let at = format!("{}:{} ({})", r.source.display(), r.line, s.id);
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&d.description) {
            problems.push(format!("{at}: no description"));
        }
        if blank(&d.remediation) {
            problems.push(format!("{at}: no remediation"));
        }
        if d.references.is_empty() {
            problems.push(format!("{at}: no references"));
        }
        if s.keywords.is_empty() {
            problems.push(format!(
                "{at}: no keywords (the rule would run on every blob)"
            ));
        }
        if d.examples.len() < MIN_EXAMPLES {
            problems.push(format!(
                "{at}: {} examples, needs {MIN_EXAMPLES}",
                d.examples.len()
            ));
        }
        if d.negative_examples.len() < MIN_EXAMPLES {
            problems.push(format!(
                "{at}: {} negative examples, needs {MIN_EXAMPLES}",
                d.negative_examples.len()
            ));
        }
        if s.id.is_empty()
            || !s
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            problems.push(format!(
                "{at}: id must be lowercase letters, digits and dashes"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "undocumented rules:\n{}",
        problems.join("\n")
    );
}

/// Rule examples describe tokens with templates (`{{lit:ghp_}}{{base62:30}}`)
/// so no committed file holds a provider-shaped string. This checks the
/// built-in files for a few common provider prefixes written out in full
/// next to a long random-looking tail.
#[test]
fn builtin_rule_files_hold_no_literal_tokens() {
    let rules = load_rules(false, &[]).expect("built-in rules load");
    let prefixes = [
        ["gh", "p_"].concat(),
        ["github", "_pat_"].concat(),
        ["xo", "xb-"].concat(),
        ["sk-", "ant-"].concat(),
        ["AK", "IA"].concat(),
        ["glp", "at-"].concat(),
        ["sk_", "live_"].concat(),
        ["np", "m_"].concat(),
    ];
    let mut problems = Vec::new();
    for r in &rules {
        for ex in r.docs().examples.iter().chain(&r.docs().negative_examples) {
            for p in &prefixes {
                let mut rest = ex.as_str();
                while let Some(i) = rest.find(p.as_str()) {
                    let tail: String = rest[i + p.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    let distinct = tail
                        .chars()
                        .collect::<std::collections::BTreeSet<_>>()
                        .len();
                    // AWS's documented sample key id ends in EXAMPLE: not a token
                    if tail.len() >= 16 && distinct > 6 && !tail.ends_with("EXAMPLE") {
                        problems.push(format!("{}: literal '{p}…' token", r.syntax.id));
                    }
                    rest = &rest[i + p.len()..];
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
