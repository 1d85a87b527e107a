//! Differential: scanning an input through the stream chunker with a random
//! chunk size gives exactly the findings of one whole-buffer scan (same
//! rules, same lines and columns). The first two bytes choose the chunk size
//! (1 to 65,536 bytes).
#![no_main]

use credsweep::detectors::{Detector, Only, WorkerState};
use credsweep::sources::{Blob, stream};
use credsweep::stats::Stats;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| {
        let mut d = Detector::builtin_precompiled().expect("built-in rules load");
        d.only = Only::Secrets;
        d
    })
}

type Key = (
    String,
    usize,
    usize,
    usize,
    usize,
    credsweep::finding::Fingerprint,
);

fn keys(findings: Vec<credsweep::finding::Finding>) -> Vec<Key> {
    let mut v: Vec<Key> = findings
        .into_iter()
        .map(|f| {
            let l = f.location;
            (
                f.rule_id,
                l.line,
                l.column,
                l.end_line,
                l.end_column,
                f.fingerprint,
            )
        })
        .collect();
    v.sort();
    v
}

// Rules load and every regex compiles before the first input, so the
// per-input timeout measures detection only.
fuzz_target!(init: { detector(); }, |data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let chunk = u16::from_le_bytes([data[0], data[1]]) as usize + 1;
    let input = &data[2..];
    let stats = Stats::default();
    let mut state = WorkerState::default();
    let whole = detector().detect(&Blob::new("in.log", input), &mut state, &stats);
    let streamed =
        stream::scan_reader(input, "in.log", detector(), &mut state, &stats, chunk, false);
    assert!(streamed.error.is_none());
    assert_eq!(streamed.bytes, input.len() as u64);
    assert_eq!(keys(whole), keys(streamed.findings), "chunk size {chunk}");
});
