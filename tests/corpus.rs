//! Recall and false-positive measurement on the shared rule-example corpus
//! (`../shared/corpus/rule-examples/examples.jsonl`, rows with
//! `scope: "scanner"`).
//!
//! Each row's `text` goes through the library detector with the built-in rules,
//! exactly as a file named `example.txt` would (a neutral name: no rule may
//! lean on the path). A `match` row counts as found when it yields at least
//! one finding; a `nomatch` row counts as flagged when it yields any. The
//! table (per provider family, then totals) is printed on stdout, with the
//! issue's goals (recall ≥ [`GOAL_RECALL`], false positives ≤
//! [`MAX_FP_RATE`]). The test fails when the false-positive rate rises above
//! its goal, or when recall falls below [`MIN_RECALL`]: the level the rules
//! reach today, so a change that loses recall fails CI. `MIN_RECALL` moves
//! up as rules improve; the printed line says whether each goal is met.
//!
//! Run with `cargo test --test main corpus -- --nocapture` to see the table.
//! `CREDSWEEP_CORPUS_DETAIL=1` also lists the line numbers (0-based, as the
//! corpus README keys them) of each miss and false positive, never the text.
//!
//! The corpus is a measurement, not a spec: rules are written from provider
//! formats, and this test only says how well they generalise to strings
//! other scanners collected.

use credsweep::detectors::{Detector, WorkerState};
use credsweep::rules::RuleSet;
use credsweep::rules::load::load_rules;
use credsweep::sources::Blob;
use credsweep::stats::Stats;
use std::collections::BTreeMap;

/// Share of `match` rows the issues ask for (issue 16: 90%; printed as met
/// or not, the test's floor is `MIN_RECALL`).
const GOAL_RECALL: f64 = 0.90;
/// Share of `match` rows that must yield a finding: the measured level
/// (80.7% on 2026-11-26, 83.0% on 2026-12-07) rounded down, a guard against
/// regressions.
const MIN_RECALL: f64 = 0.82;
/// Share of `nomatch` rows that may yield a finding (issue 16: 1%).
const MAX_FP_RATE: f64 = 0.01;

#[derive(Default)]
struct Tally {
    matched: usize,
    match_total: usize,
    flagged: usize,
    nomatch_total: usize,
    misses: Vec<usize>,
    false_positives: Vec<usize>,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

#[test]
fn corpus_recall_and_false_positives() {
    // The corpus lives outside the repository; a checkout without it has
    // nothing to measure: skipped, saying so (a failure in strict mode).
    let Some(path) = crate::common::shared(
        "corpus_recall_and_false_positives",
        "corpus/rule-examples/examples.jsonl",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("read the corpus");
    let rules = RuleSet::compile(load_rules(false, &[]).expect("built-in rules load"))
        .expect("built-in rules compile");
    let detector = Detector::new(rules);
    let stats = Stats::default();
    let mut state = WorkerState::default();
    let mut families: BTreeMap<String, Tally> = BTreeMap::new();

    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("corpus line {index}: {e}"));
        if row["scope"] != "scanner" {
            continue;
        }
        let provider = row["provider"].as_str().unwrap_or("?").to_string();
        let expect_match = row["expect"] == "match";
        let sample = row["text"].as_str().unwrap_or_default();
        let found = !detector
            .detect(
                &Blob::new("example.txt", sample.as_bytes()),
                &mut state,
                &stats,
            )
            .is_empty();
        let t = families.entry(provider).or_default();
        if expect_match {
            t.match_total += 1;
            if found {
                t.matched += 1;
            } else {
                t.misses.push(index);
            }
        } else {
            t.nomatch_total += 1;
            if found {
                t.flagged += 1;
                t.false_positives.push(index);
            }
        }
    }

    let detail = std::env::var_os("CREDSWEEP_CORPUS_DETAIL").is_some();
    let mut rows: Vec<(&String, &Tally)> = families.iter().collect();
    rows.sort_by(|a, b| {
        let ta = a.1.match_total + a.1.nomatch_total;
        let tb = b.1.match_total + b.1.nomatch_total;
        tb.cmp(&ta).then_with(|| a.0.cmp(b.0))
    });
    println!(
        "{:<28} {:>10} {:>7} {:>10} {:>7}",
        "family", "matched", "recall", "flagged", "fp"
    );
    let (mut m, mut mt, mut f, mut ft) = (0, 0, 0, 0);
    for (name, t) in &rows {
        println!(
            "{:<28} {:>10} {:>6.1}% {:>10} {:>6.1}%",
            name,
            format!("{}/{}", t.matched, t.match_total),
            pct(t.matched, t.match_total),
            format!("{}/{}", t.flagged, t.nomatch_total),
            pct(t.flagged, t.nomatch_total),
        );
        if detail && (!t.misses.is_empty() || !t.false_positives.is_empty()) {
            println!(
                "    misses {:?} false-positives {:?}",
                t.misses, t.false_positives
            );
        }
        m += t.matched;
        mt += t.match_total;
        f += t.flagged;
        ft += t.nomatch_total;
    }
    let covered = rows.iter().filter(|(_, t)| t.matched > 0).count();
    let recall = pct(m, mt);
    let fp_rate = pct(f, ft);
    println!(
        "TOTAL ({} families, {} with a hit) recall {m}/{mt} = {recall:.1}%, false positives {f}/{ft} = {fp_rate:.1}%",
        rows.len(),
        covered
    );
    println!(
        "goal: recall >= {:.0}%: {}; false positives <= {:.0}%: {}",
        GOAL_RECALL * 100.0,
        if recall >= GOAL_RECALL * 100.0 {
            "met"
        } else {
            "NOT MET"
        },
        MAX_FP_RATE * 100.0,
        if fp_rate <= MAX_FP_RATE * 100.0 {
            "met"
        } else {
            "NOT MET"
        },
    );
    assert!(
        recall >= MIN_RECALL * 100.0,
        "recall {recall:.1}% fell below the regression floor of {:.0}%",
        MIN_RECALL * 100.0
    );
    assert!(
        fp_rate <= MAX_FP_RATE * 100.0,
        "false-positive rate {fp_rate:.1}% is above the goal of {:.0}%",
        MAX_FP_RATE * 100.0
    );
}
