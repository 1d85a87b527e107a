//! The keyword pass against the crate it is built from: for any keywords
//! and any haystack, `KeywordScanner::find` reports exactly the hits of
//! `aho_corasick`'s overlapping search, in the same order, whether the
//! haystack is walked once (small) or in four parts (4 KiB and more), and
//! before and after the dense table is laid out.
//!
//! Input: up to 8 keywords separated by `\n` (each 1..=12 bytes), then a
//! `\0`, then the haystack; the haystack is repeated to reach the four-part
//! walk when its first byte is odd.
#![no_main]

use aho_corasick::{AhoCorasickBuilder, MatchKind};
use credsweep::rules::{HitScratch, KeywordScanner};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(split) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let keywords: Vec<String> = data[..split]
        .split(|&b| b == b'\n')
        .filter(|k| (1..=12).contains(&k.len()))
        .take(8)
        .map(|k| String::from_utf8_lossy(k).to_ascii_lowercase())
        .collect();
    if keywords.is_empty() {
        return;
    }
    let mut haystack = data[split + 1..].to_vec();
    if haystack.first().is_some_and(|b| b % 2 == 1) && !haystack.is_empty() {
        let copy = haystack.clone();
        while haystack.len() < 4096 * 3 {
            haystack.extend_from_slice(&copy);
        }
    }
    let Ok(scanner) = KeywordScanner::new(&keywords) else {
        return;
    };
    let reference = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(&keywords)
        .expect("the crate accepts what the scanner accepted");
    let want: Vec<(usize, usize, u32)> = reference
        .find_overlapping_iter(&haystack)
        .map(|m| (m.start(), m.end(), m.pattern().as_u32()))
        .collect();
    let mut scratch = HitScratch::default();
    // twice: the first call may lay out the table, the second uses it
    for _ in 0..2 {
        let got: Vec<(usize, usize, u32)> = scanner
            .find(&haystack, &mut scratch)
            .iter()
            .map(|h| (h.start, h.end, h.pattern))
            .collect();
        assert_eq!(got, want);
    }
});
