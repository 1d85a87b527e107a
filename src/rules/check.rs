//! `credsweep rules test`: every rule's `examples` must produce a finding of
//! that rule and no `negative_examples` may, through the same detector the
//! scan uses (prefilter, window, regex, entropy, placeholder, validator).
//! Problems are counted, not stopped at: one run lists all of them.

use super::RuleSet;
use super::template::expand;
use crate::detectors::{Detector, WorkerState};
use crate::sources::Blob;
use crate::stats::Stats;

/// One failed expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule_id: String,
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: rule '{}': {}",
            self.location, self.rule_id, self.message
        )
    }
}

/// Seed for the fake tokens of example `index` of `rule_id`.
pub fn example_seed(rule_id: &str, index: usize, negative: bool) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in rule_id.bytes().chain([negative as u8, index as u8]) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Expands an example's templates (see [`super::template`]).
pub fn example_text(
    rule_id: &str,
    index: usize,
    negative: bool,
    text: &str,
) -> Result<String, String> {
    expand(text, example_seed(rule_id, index, negative))
}

/// Checks every rule of `detector`; returns (examples checked, problems).
pub fn check_rules(detector: &Detector) -> (usize, Vec<Problem>) {
    let rules: &RuleSet = &detector.rules;
    let mut problems = Vec::new();
    for e in rules.compile_all() {
        problems.push(Problem {
            rule_id: String::new(),
            location: String::from("rules"),
            message: e,
        });
    }
    let stats = Stats::default();
    let mut state = WorkerState::default();
    let mut checked = 0;
    for r in &rules.rules {
        let loc = format!("{}:{}", r.source.display(), r.line);
        let mut problem = |message: String| {
            problems.push(Problem {
                rule_id: r.id.clone(),
                location: loc.clone(),
                message,
            })
        };
        if r.docs().examples.is_empty() {
            problem("has no examples".into());
        }
        for (list, negative) in [
            (&r.docs().examples, false),
            (&r.docs().negative_examples, true),
        ] {
            for (i, ex) in list.iter().enumerate() {
                checked += 1;
                let text = match example_text(&r.id, i, negative, ex) {
                    Ok(t) => t,
                    Err(e) => {
                        problem(format!("example {}: {e}", i + 1));
                        continue;
                    }
                };
                let findings =
                    detector.detect(&Blob::new("example", text.as_bytes()), &mut state, &stats);
                let hit = findings.iter().any(|f| f.rule_id == r.id);
                if !negative && !hit {
                    problem(format!("example {} does not match: {ex:?}", i + 1));
                }
                if negative && hit {
                    problem(format!("negative example {} matches: {ex:?}", i + 1));
                }
            }
        }
    }
    (checked, problems)
}
