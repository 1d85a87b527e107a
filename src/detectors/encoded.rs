//! Encoded secrets: base64 values are decoded once and the decoded text is
//! scanned with the same rules. Kubernetes Secrets (`data:` values), docker
//! config `"auth": "<base64 user:pass>"`, `Authorization: Basic <b64>` and
//! any other base64 run of at least [`MIN_RUN`] characters qualify.
//!
//! One level only: decoded text is scanned with [`find_secrets`], never
//! decoded again, so a value that decodes to more base64 costs no more.
//!
//! Cost control, in order of what it saves:
//! 1. the run finder tests 8-byte blocks branch-free and only looks closer
//!    at a block that is all base64 (see `Runs`);
//! 2. a run must look like padded base64: length a multiple of 4, both
//!    letter cases, not part of a JWT, base64url token, hash (`sha512-…`) or
//!    data URI;
//! 3. only the first [`PROBE_CHARS`] characters are decoded first; the rest
//!    is decoded only when that prefix is printable text (random identifiers
//!    and binary payloads such as certificates stop here);
//! 4. per blob at most [`MAX_DECODES`] runs are decoded and
//!    [`MAX_DECODED_BYTES`] bytes scanned.
//!
//! The rules see the value's key (the text before it on its line, such as
//! `DB_PASSWORD: ` in a Kubernetes Secret) followed by the decoded text, so
//! rules that need a name in front of a value still work; matches inside
//! the key itself are left to the plain scan. Locations are the encoded
//! run's, in the original blob; the detector marks the finding's message
//! "(base64-decoded)".

use super::secrets::{Scratch, SecretMatch, find_secrets};
use crate::rules::RuleSet;
use base64::Engine;

/// Shortest run considered, in base64 characters (12 decoded bytes).
pub const MIN_RUN: usize = 16;
/// Longest run decoded, in characters; longer runs are skipped (they are
/// images, archives or key material, not configuration text).
pub const MAX_RUN: usize = 256 * 1024;
/// Characters decoded to decide whether a run holds text (48 bytes).
pub const PROBE_CHARS: usize = 64;
/// Runs decoded per blob at most.
pub const MAX_DECODES: usize = 4096;
/// Decoded bytes scanned per blob at most.
pub const MAX_DECODED_BYTES: usize = 8 * 1024 * 1024;

/// One secret found in decoded text.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedMatch {
    /// Byte range of the encoded run (padding included) in the blob.
    pub start: usize,
    pub end: usize,
    /// The decoded secret (what the rule captured in the decoded text).
    pub secret: Vec<u8>,
    /// The rule's match; its offsets are into the decoded text.
    pub inner: SecretMatch,
}

/// Buffers reused across runs and blobs.
#[derive(Debug, Default)]
pub struct EncodedScratch {
    decoded: Vec<u8>,
    /// The key before the value, then the decoded text: what rules scan.
    text: Vec<u8>,
    inner: Vec<SecretMatch>,
}

/// Standard base64 alphabet (no padding).
const B64: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
        i += 1;
    }
    t
};

/// Scans `data` for base64 runs, decodes the textual ones and appends every
/// secret the rules find in them to `out`, in run order.
pub fn find_encoded(
    rules: &RuleSet,
    data: &[u8],
    scratch: &mut Scratch,
    es: &mut EncodedScratch,
    out: &mut Vec<EncodedMatch>,
) {
    let mut decodes = 0;
    let mut decoded_bytes = 0;
    for (start, end) in Runs::new(data) {
        if !candidate(data, start, end) {
            continue;
        }
        if decodes == MAX_DECODES || decoded_bytes >= MAX_DECODED_BYTES {
            return;
        }
        decodes += 1;
        if !decode_text(&data[start..end], &mut es.decoded) {
            continue;
        }
        decoded_bytes += es.decoded.len();
        // the value's key (`DB_PASSWORD: `) in front of the decoded text, so
        // rules that need a name (generic password/token rules) see one
        let key = key_before(data, start);
        es.text.clear();
        es.text.extend_from_slice(key);
        es.text.extend_from_slice(&es.decoded);
        es.inner.clear();
        find_secrets(rules, &es.text, scratch, &mut es.inner);
        for m in es.inner.drain(..) {
            // matches inside the key were found in the plain text already
            if m.start < key.len() {
                continue;
            }
            out.push(EncodedMatch {
                start,
                end,
                secret: es.text[m.start..m.end].to_vec(),
                inner: m,
            });
        }
    }
}

/// Longest key kept in front of decoded text, in bytes.
const MAX_KEY: usize = 96;

/// The text before a value on its line (at most [`MAX_KEY`] bytes, leading
/// blanks dropped): `DB_PASSWORD: `, `"auth": "`, `Authorization: Basic `.
fn key_before(data: &[u8], start: usize) -> &[u8] {
    let lo = start.saturating_sub(MAX_KEY);
    let line_start = memchr::memrchr(b'\n', &data[lo..start]).map_or(lo, |i| lo + i + 1);
    let key = &data[line_start..start];
    let blank = key
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(key.len());
    &key[blank..]
}

/// Whether the run `data[start..end]` (padding included) is worth decoding.
fn candidate(data: &[u8], start: usize, end: usize) -> bool {
    let run = &data[start..end];
    if !run.len().is_multiple_of(4) || run.len() > MAX_RUN {
        return false;
    }
    let before = start.checked_sub(1).map(|i| data[i]);
    let after = data.get(end).copied();
    // JWT parts and base64url tokens, identifiers, hashes (`sha512-…`)
    if matches!(before, Some(b'.' | b'-' | b'_' | b'%' | b'\\'))
        || matches!(after, Some(b'.' | b'-' | b'_' | b'%'))
    {
        return false;
    }
    if data[..start].ends_with(b";base64,") {
        return false;
    }
    run.iter().any(u8::is_ascii_uppercase) && run.iter().any(u8::is_ascii_lowercase)
}

/// Decodes `run` into `out` if it is text: the first [`PROBE_CHARS`] first,
/// then the whole run. False (and `out` unspecified) when it is not base64
/// or not mostly printable.
fn decode_text(run: &[u8], out: &mut Vec<u8>) -> bool {
    let eng = &base64::engine::general_purpose::STANDARD;
    if run.len() > PROBE_CHARS {
        let mut probe = [0u8; PROBE_CHARS / 4 * 3];
        match eng.decode_slice(&run[..PROBE_CHARS], &mut probe) {
            Ok(n) if printable(&probe[..n]) => {}
            _ => return false,
        }
    }
    out.clear();
    eng.decode_vec(run, out).is_ok() && printable(out)
}

/// Mostly printable ASCII text: at most 1 byte in 20 outside printable
/// ASCII, tab, CR and LF (random bytes pass with odds below 1 in 10^15 for
/// the 12 bytes of the shortest run).
pub fn printable(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    let bad = bytes
        .iter()
        .filter(|&&b| !(b == b'\t' || b == b'\n' || b == b'\r' || (0x20..0x7f).contains(&b)))
        .count();
    bad * 20 <= bytes.len() && !(bytes.len() < 40 && bad > 0)
}

/// Iterator over maximal base64 runs of at least [`MIN_RUN`] alphabet
/// characters, as `(start, end)` with up to two `=` of padding included.
///
/// It tests 8-byte blocks, branch-free, and only extends around a block that
/// is all alphabet: a run of 15 or more characters always covers a whole
/// block of the grid, so no run is missed, and in source and logs most
/// blocks hold a space or punctuation and cost one predictable branch.
/// Measured on the 200 MB bench corpus (`bench/gen_corpus.py`, release
/// build, one thread), decoding adds about 0.08 s of CPU to a scan (about
/// 2.5 GB/s); a byte-by-byte walk with a Boyer–Moore-style skip cost about
/// 0.11 s.
struct Runs<'a> {
    data: &'a [u8],
    /// Next block to test; `i == 0` or `data[i - 1]` ends a run or a block.
    i: usize,
}

impl<'a> Runs<'a> {
    fn new(data: &'a [u8]) -> Self {
        Runs { data, i: 0 }
    }
}

/// Bit `i` set when `bytes[i]` is in the base64 alphabet ([`B64`]), for 16
/// bytes at once with SSE2 (every x86-64 has it): two range compares and two
/// equalities per vector instead of a table lookup per byte.
#[cfg(target_arch = "x86_64")]
fn b64_mask(bytes: &[u8; 16]) -> u16 {
    // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 CPU has it,
    // and these intrinsics touch no memory.
    unsafe { b64_mask_sse2(bytes) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn b64_mask_sse2(bytes: &[u8; 16]) -> u16 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8, _mm_sub_epi8,
    };
    let v = u128::from_le_bytes(*bytes);
    let x = _mm_set_epi64x((v >> 64) as i64, v as i64);
    // `lo <= b < lo + len`, unsigned: `b - lo` (wrapping) is at most len - 1
    let in_range = |x: __m128i, lo: u8, len: u8| {
        let d = _mm_sub_epi8(x, _mm_set1_epi8(lo as i8));
        _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8((len - 1) as i8)), d)
    };
    let letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', 26);
    let digit = in_range(x, b'0', 10);
    let plus = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'+' as i8));
    let slash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'/' as i8));
    let ok = _mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(plus, slash));
    _mm_movemask_epi8(ok) as u16
}

/// [`B64`] membership of 16 bytes as a bit mask (portable version).
#[cfg(not(target_arch = "x86_64"))]
fn b64_mask(bytes: &[u8; 16]) -> u16 {
    bytes
        .iter()
        .enumerate()
        .fold(0, |m, (i, &b)| m | (B64[b as usize] as u16) << i)
}

/// Block width of the run scan.
const BLOCK: usize = 8;
const _: () = assert!(MIN_RUN >= 2 * BLOCK - 1);

impl Iterator for Runs<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let data = self.data;
        let n = data.len();
        while self.i + BLOCK <= n {
            // two blocks classified at once
            if let Some(pair) = data.get(self.i..self.i + 2 * BLOCK) {
                let mut bytes = [0u8; 2 * BLOCK];
                bytes.copy_from_slice(pair);
                let mask = b64_mask(&bytes);
                if mask & 0xff != 0xff {
                    if mask >> BLOCK != 0xff {
                        self.i += 2 * BLOCK;
                        continue;
                    }
                    self.i += BLOCK;
                }
            } else if !data[self.i..self.i + BLOCK]
                .iter()
                .fold(true, |all, &b| all & B64[b as usize])
            {
                self.i += BLOCK;
                continue;
            }
            // a failed block (or a run end) lies right before `i`, so this
            // walks back at most BLOCK - 1 bytes
            let mut start = self.i;
            while start > 0 && B64[data[start - 1] as usize] {
                start -= 1;
            }
            let mut e = self.i + BLOCK;
            while e < n && B64[data[e] as usize] {
                e += 1;
            }
            let mut pe = e;
            while pe < n && pe - e < 2 && data[pe] == b'=' {
                pe += 1;
            }
            // the byte at `e` is not in the alphabet (or is padding)
            self.i = if pe > e { pe } else { (e + 1).min(n) };
            if e - start >= MIN_RUN {
                return Some((start, pe));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(s: &str) -> Vec<&str> {
        Runs::new(s.as_bytes()).map(|(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn finds_maximal_runs_with_padding() {
        assert_eq!(
            runs("a: dXNlcjpwYXNzd29yZA==\nshort abc\nx=YWJjZGVmZ2hpamtsbW5vcA"),
            vec!["dXNlcjpwYXNzd29yZA==", "YWJjZGVmZ2hpamtsbW5vcA"]
        );
        assert_eq!(runs("0123456789abcde"), Vec::<&str>::new());
        assert_eq!(runs("0123456789abcdef"), vec!["0123456789abcdef"]);
        assert_eq!(runs("==0123456789abcdef==="), vec!["0123456789abcdef=="]);
        assert_eq!(runs(" x 0123456789abcdefg/+"), vec!["0123456789abcdefg/+"]);
        assert_eq!(runs(""), Vec::<&str>::new());
    }

    #[test]
    fn the_mask_agrees_with_the_table() {
        for b in 0..=255u8 {
            let mut bytes = [b'!'; 16];
            bytes[b as usize % 16] = b;
            let want = if B64[b as usize] {
                1u16 << (b as usize % 16)
            } else {
                0
            };
            assert_eq!(b64_mask(&bytes), want, "byte {b}");
        }
    }

    #[test]
    fn matches_a_naive_scan() {
        let mut rng = fastrand::Rng::with_seed(9);
        for round in 0..600 {
            let alphabet: &[u8] = if round % 2 == 0 {
                b"ab+/= .:\n"
            } else {
                b"abcdefghAB12+/=abcdefgh "
            };
            let len = rng.usize(0..200);
            let s: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            let mut want = Vec::new();
            let mut i = 0;
            while i < s.len() {
                if B64[s[i] as usize] {
                    let st = i;
                    while i < s.len() && B64[s[i] as usize] {
                        i += 1;
                    }
                    let e = i;
                    while i < s.len() && i - e < 2 && s[i] == b'=' {
                        i += 1;
                    }
                    if e - st >= MIN_RUN {
                        want.push((st, i));
                    }
                } else {
                    i += 1;
                }
            }
            let got: Vec<_> = Runs::new(&s).collect();
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&s));
        }
    }

    #[test]
    fn work_per_blob_is_bounded() {
        let yaml =
            "- id: t\n  name: T\n  severity: low\n  keywords: [zq_]\n  regex: 'zq_[a-z]{8}'\n";
        let loaded = crate::rules::load::parse_rule_file(std::path::Path::new("t.yaml"), yaml)
            .unwrap_or_default();
        let Ok(rules) = RuleSet::compile(loaded) else {
            panic!("test rule compiles");
        };
        let eng = &base64::engine::general_purpose::STANDARD;
        let filler = eng.encode("plain text, nothing here");
        let hit = eng.encode("key zq_abcdefgh");
        let run = |n_before: usize| {
            let mut blob = String::new();
            for _ in 0..n_before {
                blob.push_str(&filler);
                blob.push('\n');
            }
            blob.push_str(&hit);
            let (mut scratch, mut es, mut out) =
                (Scratch::default(), EncodedScratch::default(), Vec::new());
            find_encoded(&rules, blob.as_bytes(), &mut scratch, &mut es, &mut out);
            out.len()
        };
        assert_eq!(run(MAX_DECODES - 1), 1);
        assert_eq!(run(MAX_DECODES), 0);
    }

    #[test]
    fn key_before_value() {
        let t = b"data:\n  DB_PASSWORD: aHVudGVyMg==\n"; // credsweep:allow (test data)
        let at = t.len() - 13;
        assert_eq!(key_before(t, at), b"DB_PASSWORD: ");
        assert_eq!(key_before(b"abc", 0), b"");
    }

    #[test]
    fn candidates() {
        let ok = b"auth: dXNlcjpwYXNzd29yZA==";
        assert!(candidate(ok, 6, ok.len()));
        let lower = b"x abcdefghijklmnopqrst";
        assert!(!candidate(lower, 2, lower.len()));
        let uri = b"data:text/plain;base64,dXNlcjpwYXNzd29yZA==";
        assert!(!candidate(uri, 23, uri.len()));
        let jwt = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0"; // credsweep:allow (test data)
        assert!(!candidate(jwt, 0, 20));
        let odd = b"dXNlcjpwYXNzd29yZA=";
        assert!(!candidate(odd, 0, odd.len()));
    }

    #[test]
    fn decodes_only_text() {
        let mut out = Vec::new();
        assert!(decode_text(b"dXNlcjpwYXNzd29yZA==", &mut out));
        assert_eq!(out, b"user:password");
        // an identifier that happens to be valid base64 decodes to bytes
        assert!(!decode_text(b"getElementByIdFooBarBaz1", &mut out));
        assert!(!decode_text(b"not base64!!", &mut out));
        let long = base64::engine::general_purpose::STANDARD.encode([7u8; 200]);
        assert!(!decode_text(long.as_bytes(), &mut out));
        assert!(printable(b"hello world\n"));
        assert!(!printable(b""));
        assert!(!printable(b"short\x01text"));
    }
}
