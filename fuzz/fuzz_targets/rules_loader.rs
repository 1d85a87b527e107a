//! Rules loader: arbitrary text as a rule file must give rules or an error
//! naming the file, never a panic; loaded rules must compile or error, and
//! compiled rules must run over a small input without panicking.
#![no_main]

use credsweep::rules::{compile::RuleSet, load};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = load::parse_rule_file(Path::new("fuzz.yaml"), text) else {
        return;
    };
    if let Ok(rules) = RuleSet::compile(loaded) {
        let detector = credsweep::detectors::Detector::new(rules);
        let mut state = credsweep::detectors::WorkerState::default();
        let stats = credsweep::stats::Stats::default();
        let blob = credsweep::sources::Blob::new("in.txt", data);
        let _ = detector.detect(&blob, &mut state, &stats);
        let _ = detector.rules.take_errors();
    }
});
