//! Redaction: with nothing found the output is the input, byte for byte;
//! otherwise every byte before the first mask and after the last one is
//! kept, the masks are well-formed, and a random chunk size gives the same
//! output as one big chunk. The first two bytes choose the chunk size.
#![no_main]

use credsweep::detectors::{Detector, WorkerState};
use credsweep::filters::FilterPolicy;
use credsweep::redact::redact_stream;
use credsweep::stats::Stats;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| Detector::builtin_precompiled().expect("built-in rules load"))
}

fn redact(input: &[u8], chunk: usize) -> (Vec<u8>, u64) {
    let mut out = Vec::new();
    let mut state = WorkerState::default();
    let n = redact_stream(
        input,
        &mut out,
        "in.log",
        detector(),
        &FilterPolicy::default(),
        &mut state,
        &Stats::default(),
        chunk,
    )
    .expect("in-memory redaction cannot fail");
    (out, n)
}

// Rules load and every regex compiles before the first input, so the
// per-input timeout measures detection only.
fuzz_target!(init: { detector(); }, |data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let chunk = u16::from_le_bytes([data[0], data[1]]) as usize + 1;
    let input = &data[2..];
    let (whole, n) = redact(input, input.len().max(1) << 1);
    if n == 0 {
        assert_eq!(whole, input);
    } else {
        let marker = b"[REDACTED:";
        let first = whole
            .windows(marker.len())
            .position(|w| w == marker)
            .expect("a mask was counted, so one is written");
        assert_eq!(&whole[..first], &input[..first], "bytes before the first mask");
        let last_end = whole.iter().rposition(|&b| b == b']').expect("mask end");
        let tail = &whole[last_end + 1..];
        assert!(input.ends_with(tail), "bytes after the last mask");
    }
    let (chunked, m) = redact(input, chunk);
    assert_eq!(m, n, "chunk size {chunk}");
    assert_eq!(chunked, whole, "chunk size {chunk}");
});
