//! The detector over arbitrary bytes with the built-in rules (secrets,
//! encoded values, and pod-security when the bytes look like a manifest):
//! no panic, and every finding's location lies inside the input.
#![no_main]

use credsweep::detectors::{Detector, WorkerState};
use credsweep::sources::Blob;
use credsweep::stats::Stats;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| Detector::builtin_precompiled().expect("built-in rules load"))
}

// Rules load and every regex compiles before the first input, so the
// per-input timeout measures detection only.
fuzz_target!(init: { detector(); }, |data: &[u8]| {
    let mut state = WorkerState::default();
    let stats = Stats::default();
    // the name decides whether the manifest checker runs too
    for name in ["input.txt", "input.yaml"] {
        let blob = Blob::new(name, data);
        for f in detector().detect(&blob, &mut state, &stats) {
            let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
            assert!(f.location.line >= 1 && f.location.line <= lines);
            assert!(f.location.end_line >= f.location.line);
            assert!(f.location.column >= 1);
        }
    }
});
