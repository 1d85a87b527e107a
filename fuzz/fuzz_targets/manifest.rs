//! The manifest checker's YAML/JSON parser on arbitrary text (bombs, deep
//! nesting, anchors, tags), then the pod-security checks on whatever tree it
//! accepts: no panic, no stack overflow, bounded memory.
#![no_main]

use credsweep::detectors::k8s::yaml;
use credsweep::detectors::{Detector, WorkerState};
use credsweep::rules::compile::RuleSet;
use credsweep::sources::Blob;
use credsweep::stats::Stats;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| {
        let mut d = Detector::new(RuleSet::compile(Vec::new()).expect("empty rule set"));
        d.only = credsweep::detectors::Only::PodSecurity;
        d
    })
}

fuzz_target!(init: { detector(); }, |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = yaml::parse(text, yaml::Limits::default());
    let mut state = WorkerState::default();
    let stats = Stats::default();
    for name in ["pod.yaml", "pod.json"] {
        let _ = detector().detect(&Blob::new(name, data), &mut state, &stats);
    }
});
