//! The keyword pass: every place in a blob where a rule's keyword occurs,
//! found in one pass of one Aho–Corasick automaton over all keywords
//! (ASCII case-insensitive, overlapping, so `-token` and `token` both hit).
//!
//! `aho-corasick` builds the automaton (its DFA); this module lays the DFA's
//! transitions out again as one dense table and walks it over four parts of
//! the blob at once. Why: a DFA step is a load whose address depends on the
//! previous step, so one walk waits on memory latency at every byte (about
//! 2.3 ns/byte with 700 keywords, the largest single cost of a scan). Four
//! independent walks keep four loads in flight and measured about three
//! times faster on the same automaton (704 built-in keywords over the
//! 500 MiB corpus of `PROFILE=k8s bench/scan.sh`, one core). The
//! crate has no multi-stream search, so the layout lives here; the states,
//! their transitions and their matches are still exactly the crate's.
//!
//! Each of the four walks starts in the start state at the beginning of its
//! part and reads on past the part's end by the longest keyword's length
//! minus one, reporting only hits that start inside its part: every hit is
//! reported once, by the part it starts in.
//!
//! The built-in rules' keywords do not change between runs, so `build.rs`
//! builds their automaton and table once, at build time, and embeds the
//! table ([`Table::encode`]); [`KeywordScanner::prebuilt`] takes it when a
//! run's keywords are exactly those (no `--rules`, no rule disabled). That
//! was a quarter of the start-up of every run: the crate's DFA over ~900
//! keywords costs about 40 million instructions to build. Other keyword sets
//! build theirs at run time as before.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, MatchKind, dfa};
use std::borrow::Cow;
use std::sync::OnceLock;

/// One keyword occurrence: `data[start..end]` equals keyword `pattern`
/// (ignoring ASCII case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: u32,
}

/// Parts walked at once. Measured on the k8s corpus: 1 → 0.97 s, 2 → 0.58,
/// 3 → 0.46, 4 → 0.37, 6 → 0.49, 8 → 0.52 (more walks than the core has
/// load buffers to spare stop paying).
const WALKS: usize = 4;

/// Below this many bytes one walk does it all (setting up four costs more
/// than it saves).
const MIN_SPLIT: usize = 4096;

/// Byte classes of an ASCII case-insensitive Aho–Corasick automaton over
/// `keywords`, and one representative byte per class. A byte's transitions
/// depend only on which keyword bytes it equals, so every byte outside the
/// keywords behaves alike (class 0) and each letter shares a class with its
/// other case. At most 230 folded byte values exist, so a class fits a `u8`.
fn byte_classes(keywords: &[String]) -> ([u8; 256], Vec<u8>) {
    let mut seen = [false; 256];
    for k in keywords {
        for b in k.bytes() {
            seen[b.to_ascii_lowercase() as usize] = true;
        }
    }
    let mut classes = [0u8; 256];
    // class 0's representative: any byte no keyword holds (if every byte is
    // held, no byte is in class 0 and its representative is never used)
    let other = (0..=255u8)
        .find(|&b| !seen[b.to_ascii_lowercase() as usize])
        .unwrap_or(0);
    let mut representatives = vec![other];
    for b in 0..=255u8 {
        if seen[b as usize] && !b.is_ascii_uppercase() {
            classes[b as usize] = representatives.len() as u8;
            representatives.push(b);
        }
    }
    for b in b'A'..=b'Z' {
        classes[b as usize] = classes[b.to_ascii_lowercase() as usize];
    }
    (classes, representatives)
}

/// Buffers reused across blobs by one worker.
#[derive(Debug, Default)]
pub struct HitScratch {
    hits: Vec<Hit>,
    parts: [Vec<Hit>; WALKS],
}

/// All keywords, ready to search: the crate's DFA, walked as it is over
/// small blobs, and its dense copy for the four-walk search of larger ones,
/// laid out on the first such blob (about 2.5 ms for the built-in keywords,
/// which a pre-commit run over a few small files never pays) and used for
/// every blob from then on.
#[derive(Debug)]
pub struct KeywordScanner {
    /// `None` when the table was embedded at build time (it then serves
    /// blobs of every size).
    dfa: Option<dfa::DFA>,
    keywords: Vec<String>,
    table: OnceLock<Option<Table>>,
}

/// The DFA's transitions as one dense table.
#[derive(Debug)]
struct Table {
    /// `transitions[state + class]` is the next state. States are premultiplied
    /// by `stride` (the number of byte classes); match states come first, so
    /// `state < match_limit` means "some keyword ends here".
    transitions: Cow<'static, [u32]>,
    /// Byte → class: one class per byte that occurs in a keyword (both
    /// cases share one), one for every other byte.
    classes: [u8; 256],
    stride: usize,
    start: u32,
    match_limit: u32,
    /// For match state `s`, `matches[match_index[s / stride]..match_index[s / stride + 1]]`
    /// are the keywords ending there, in the automaton's order.
    match_index: Vec<u32>,
    matches: Vec<u32>,
    /// Length of each keyword in bytes.
    lengths: Vec<u32>,
    /// The longest keyword: how far a walk reads past its part.
    longest: usize,
}

impl KeywordScanner {
    /// Builds the automaton over `keywords` (non-empty strings; matched
    /// ignoring ASCII case, reported by index).
    pub fn new(keywords: &[String]) -> Result<KeywordScanner, String> {
        let dfa = dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(keywords)
            .map_err(|e| e.to_string())?;
        Ok(KeywordScanner {
            dfa: Some(dfa),
            keywords: keywords.to_vec(),
            table: OnceLock::new(),
        })
    }

    /// The scanner for `keywords` from a table encoded at build time for
    /// `built_for` ([`KeywordScanner::encode_table`]: `meta` and
    /// `transitions`); `None` when the keywords differ (in content or order:
    /// pattern numbers must mean the same keywords) or the parts do not fit.
    pub fn prebuilt(
        keywords: &[String],
        built_for: &[&str],
        meta: &[u8],
        transitions: &'static [u32],
    ) -> Option<KeywordScanner> {
        Self::from_parts(keywords, built_for, meta, Cow::Borrowed(transitions))
    }

    fn from_parts(
        keywords: &[String],
        built_for: &[&str],
        meta: &[u8],
        transitions: Cow<'static, [u32]>,
    ) -> Option<KeywordScanner> {
        if keywords.len() != built_for.len() || keywords.iter().zip(built_for).any(|(a, b)| a != b)
        {
            return None;
        }
        let table = Table::decode(meta, transitions)?;
        if table.lengths.len() != keywords.len()
            || table
                .lengths
                .iter()
                .zip(keywords)
                .any(|(&n, k)| n as usize != k.len())
        {
            return None;
        }
        Some(KeywordScanner {
            dfa: None,
            keywords: keywords.to_vec(),
            table: OnceLock::from(Some(table)),
        })
    }

    /// The automaton over `keywords`, laid out and split for embedding:
    /// `(meta, transitions)`, which [`KeywordScanner::prebuilt`] takes back.
    /// Used by `build.rs`.
    pub fn encode_table(keywords: &[String]) -> Result<(Vec<u8>, Vec<u32>), String> {
        let scanner = KeywordScanner::new(keywords)?;
        let dfa = scanner.dfa.as_ref().ok_or("no automaton")?;
        Ok(Table::lay_out(dfa, keywords)?.encode())
    }

    /// True when the table came embedded ([`KeywordScanner::prebuilt`]).
    pub fn is_prebuilt(&self) -> bool {
        self.dfa.is_none()
    }

    /// Bytes of memory the automaton takes (and its table, once laid out).
    pub fn memory_usage(&self) -> usize {
        self.dfa.as_ref().map_or(0, |d| d.memory_usage())
            + self
                .table
                .get()
                .and_then(|t| t.as_ref())
                .map_or(0, Table::memory_usage)
    }

    /// Every keyword occurrence in `data`, in the order of `aho_corasick`'s
    /// overlapping search: by end offset, longest first.
    pub fn find<'s>(&self, data: &[u8], scratch: &'s mut HitScratch) -> &'s [Hit] {
        scratch.hits.clear();
        // the table once some blob was large enough to lay it out; a small
        // blob before that walks the crate's DFA
        let table = match &self.dfa {
            Some(dfa) if data.len() >= MIN_SPLIT => self
                .table
                .get_or_init(|| Table::lay_out(dfa, &self.keywords).ok())
                .as_ref(),
            _ => self.table.get().and_then(Option::as_ref),
        };
        match (table, &self.dfa) {
            (Some(table), _) => table.find(data, scratch),
            (None, Some(dfa)) => Self::walk(dfa, data, &mut scratch.hits),
            (None, None) => {}
        }
        &scratch.hits
    }

    /// One walk of the crate's DFA over `data`.
    fn walk(dfa: &dfa::DFA, data: &[u8], out: &mut Vec<Hit>) {
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            return;
        };
        for (i, &b) in data.iter().enumerate() {
            state = dfa.next_state(Anchored::No, state, b);
            if dfa.is_match(state) {
                for m in 0..dfa.match_len(state) {
                    let pattern = dfa.match_pattern(state, m);
                    let end = i + 1;
                    out.push(Hit {
                        start: end - dfa.pattern_len(pattern),
                        end,
                        pattern: pattern.as_u32(),
                    });
                }
            }
        }
    }
}

impl Table {
    /// Copies the DFA's reachable states into the dense table.
    fn lay_out(dfa: &dfa::DFA, keywords: &[String]) -> Result<Table, String> {
        let (classes, representatives) = byte_classes(keywords);
        let stride = representatives.len();

        // Breadth-first walk from the start state numbers every reachable
        // state; `dense[id]` is a state's number (crate ids are sparse).
        let start = dfa.start_state(Anchored::No).map_err(|e| e.to_string())?;
        let mut dense: Vec<u32> = Vec::new();
        let number = |dense: &mut Vec<u32>, order: &mut Vec<StateID>, sid: StateID| {
            let i = sid.as_usize();
            if i >= dense.len() {
                dense.resize(i + 1, u32::MAX);
            }
            if dense[i] == u32::MAX {
                dense[i] = order.len() as u32;
                order.push(sid);
            }
            dense[i]
        };
        let mut order = Vec::new();
        number(&mut dense, &mut order, start);
        let mut rows: Vec<u32> = Vec::new();
        let mut next = 0;
        while next < order.len() {
            let sid = order[next];
            next += 1;
            for &b in &representatives {
                let to = dfa.next_state(Anchored::No, sid, b);
                let n = number(&mut dense, &mut order, to);
                rows.push(n);
            }
        }

        // Match states first, so one comparison tells a match.
        let is_match: Vec<bool> = order.iter().map(|&s| dfa.is_match(s)).collect();
        let mut renumber = vec![0u32; order.len()];
        let mut count = 0u32;
        for pass in [true, false] {
            for (i, &m) in is_match.iter().enumerate() {
                if m == pass {
                    renumber[i] = count;
                    count += 1;
                }
            }
        }
        let match_states = is_match.iter().filter(|&&m| m).count();
        let mut transitions = vec![0u32; order.len() * stride];
        for (old, row) in rows.chunks_exact(stride).enumerate() {
            let at = renumber[old] as usize * stride;
            for (c, &to) in row.iter().enumerate() {
                transitions[at + c] = renumber[to as usize] * stride as u32;
            }
        }
        let mut per_state: Vec<Vec<u32>> = vec![Vec::new(); match_states];
        for (old, &sid) in order.iter().enumerate() {
            if is_match[old] {
                let list = &mut per_state[renumber[old] as usize];
                for i in 0..dfa.match_len(sid) {
                    list.push(dfa.match_pattern(sid, i).as_u32());
                }
            }
        }
        let mut match_index = Vec::with_capacity(match_states + 1);
        let mut matches = Vec::new();
        for list in per_state {
            match_index.push(matches.len() as u32);
            matches.extend(list);
        }
        match_index.push(matches.len() as u32);
        Ok(Table {
            transitions: Cow::Owned(transitions),
            classes,
            stride,
            start: renumber[0] * stride as u32,
            match_limit: (match_states * stride) as u32,
            match_index,
            matches,
            lengths: keywords.iter().map(|k| k.len() as u32).collect(),
            longest: keywords.iter().map(|k| k.len()).max().unwrap_or(0),
        })
    }

    fn memory_usage(&self) -> usize {
        (self.transitions.len() + self.match_index.len() + self.matches.len()) * 4
    }

    /// The table for embedding: its transitions, and the rest as bytes (a
    /// header of eight little-endian `u32`s: stride, start, match limit,
    /// longest keyword and the lengths of the four arrays; the 256 byte
    /// classes; then `match_index`, `matches` and `lengths`).
    fn encode(&self) -> (Vec<u8>, Vec<u32>) {
        let arrays = [&self.match_index, &self.matches, &self.lengths];
        let mut out = Vec::new();
        let mut put = |v: u32| out.extend_from_slice(&v.to_le_bytes());
        put(self.stride as u32);
        put(self.start);
        put(self.match_limit);
        put(self.longest as u32);
        put(self.transitions.len() as u32);
        for a in arrays {
            put(a.len() as u32);
        }
        out.extend_from_slice(&self.classes);
        for a in arrays {
            for &v in a.iter() {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        (out, self.transitions.to_vec())
    }

    /// [`Table::encode`]'s parts back; `None` when they do not fit together
    /// (array lengths, start and match states, matches in range), so a
    /// table built for other keywords falls back to building. The
    /// transitions are borrowed as they are: a walk reads only the states
    /// it reaches, so a run over a few small files touches a few pages of
    /// the megabyte, and every step is a bounds-checked index.
    fn decode(meta: &[u8], transitions: Cow<'static, [u32]>) -> Option<Table> {
        let mut words = meta
            .get(..32)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize);
        let mut next = || words.next();
        let (stride, start, match_limit, longest) = (next()?, next()?, next()?, next()?);
        let transitions_len = next()?;
        let lens = [next()?, next()?, next()?];
        let classes: [u8; 256] = meta.get(32..288)?.try_into().ok()?;
        let mut rest = meta.get(288..)?;
        let mut arrays: Vec<Vec<u32>> = Vec::with_capacity(3);
        for len in lens {
            let (head, tail) = rest.split_at_checked(len.checked_mul(4)?)?;
            arrays.push(
                head.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            );
            rest = tail;
        }
        let lengths = arrays.pop()?;
        let matches = arrays.pop()?;
        let match_index = arrays.pop()?;
        let states = transitions.len().checked_div(stride)?;
        let consistent = rest.is_empty()
            && transitions.len() == transitions_len
            && transitions.len() == states * stride
            && classes.iter().all(|&c| (c as usize) < stride)
            && start < transitions.len()
            && start.is_multiple_of(stride)
            && match_limit <= transitions.len()
            && match_index.len() == match_limit / stride + 1
            && match_index.windows(2).all(|w| w[0] <= w[1])
            && match_index
                .last()
                .is_some_and(|&m| m as usize == matches.len())
            && matches.iter().all(|&m| (m as usize) < lengths.len());
        consistent.then_some(Table {
            transitions,
            classes,
            stride,
            start: start as u32,
            match_limit: match_limit as u32,
            match_index,
            matches,
            lengths,
            longest,
        })
    }

    /// [`KeywordScanner::find`] with the table: four walks from
    /// [`MIN_SPLIT`] bytes up, one below.
    fn find(&self, data: &[u8], scratch: &mut HitScratch) {
        let out = &mut scratch.hits;
        if data.len() < MIN_SPLIT {
            self.walk_from(data, self.start, 0, data.len(), data.len(), out);
            return;
        }
        let part = data.len() / WALKS;
        let mut states = [self.start; WALKS];
        let parts: [&[u8]; WALKS] = std::array::from_fn(|k| &data[k * part..(k + 1) * part]);
        let table: &[u32] = &self.transitions;
        let classes = &self.classes;
        let found = &mut scratch.parts;
        // the four walks in lock step over their parts
        for j in 0..part {
            for k in 0..WALKS {
                let s = table[states[k] as usize + classes[parts[k][j] as usize] as usize];
                states[k] = s;
                if s < self.match_limit {
                    self.report(s, k * part + j + 1, (k + 1) * part, &mut found[k]);
                }
            }
        }
        // each walk then reads on past its part for hits that start inside
        // it; the last part also takes the remainder of the division
        for (k, &state) in states.iter().enumerate() {
            let (limit, stop) = if k + 1 == WALKS {
                (data.len(), data.len())
            } else {
                let limit = (k + 1) * part;
                (
                    limit,
                    (limit + self.longest.saturating_sub(1)).min(data.len()),
                )
            };
            self.walk_from(data, state, (k + 1) * part, stop, limit, &mut found[k]);
            // Each part's hits are in order. Only a part's last hits, which
            // end past its boundary (by less than the longest keyword), can
            // end after the next part's first ones: those few are put in
            // place, not the whole list. Among hits ending together the
            // automaton lists the longest first (a match state's own
            // keyword, then the shorter ones it inherits by failure).
            let boundary = k * part;
            let from = out.partition_point(|h| h.end <= boundary);
            out.append(&mut found[k]);
            if k > 0 {
                let to = from + out[from..].partition_point(|h| h.end < boundary + self.longest);
                out[from..to].sort_by_key(|h| (h.end, h.start));
            }
        }
    }

    /// One walk over `data[from..stop]` from `state`, reporting hits that
    /// start before `limit`.
    fn walk_from(
        &self,
        data: &[u8],
        mut state: u32,
        from: usize,
        stop: usize,
        limit: usize,
        out: &mut Vec<Hit>,
    ) {
        let table: &[u32] = &self.transitions;
        for (i, &b) in data[from..stop].iter().enumerate() {
            state = table[state as usize + self.classes[b as usize] as usize];
            if state < self.match_limit {
                self.report(state, from + i + 1, limit, out);
            }
        }
    }

    /// Records the keywords that end at `end` in match state `state` and
    /// start before `limit`.
    #[cold]
    fn report(&self, state: u32, end: usize, limit: usize, out: &mut Vec<Hit>) {
        let s = state as usize / self.stride;
        let (lo, hi) = (
            self.match_index[s] as usize,
            self.match_index[s + 1] as usize,
        );
        for &pattern in &self.matches[lo..hi] {
            let start = end - self.lengths[pattern as usize] as usize;
            if start < limit {
                out.push(Hit {
                    start,
                    end,
                    pattern,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasickBuilder;

    fn reference(keywords: &[String], data: &[u8]) -> Vec<Hit> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(keywords)
            .unwrap();
        ac.find_overlapping_iter(data)
            .map(|m| Hit {
                start: m.start(),
                end: m.end(),
                pattern: m.pattern().as_u32(),
            })
            .collect()
    }

    fn hits(scanner: &KeywordScanner, data: &[u8]) -> Vec<Hit> {
        scanner.find(data, &mut HitScratch::default()).to_vec()
    }

    #[test]
    fn finds_what_the_crate_finds_in_small_and_split_blobs() {
        let keywords: Vec<String> = [
            "token", "-token", "key", "Key:", "sk-", "q~", "secret", "ecr",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let scanner = KeywordScanner::new(&keywords).unwrap();
        let mut rng = fastrand::Rng::with_seed(5);
        let alphabet = b"tokenTOKEN-keyKEY:sSk-q~ecrt \n_xZ";
        for round in 0..400 {
            let len = if round % 4 == 0 {
                rng.usize(MIN_SPLIT..3 * MIN_SPLIT)
            } else {
                rng.usize(0..300)
            };
            let data: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            let want = reference(&keywords, &data);
            let got = hits(&scanner, &data);
            assert_eq!(got, want, "round {round}");
        }
    }

    #[test]
    fn an_encoded_table_decodes_to_the_same_search_and_a_damaged_one_to_none() {
        let keywords: Vec<String> = ["token", "-token", "key", "sk-", "q~"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (meta, transitions) = KeywordScanner::encode_table(&keywords).unwrap();
        let names: Vec<&str> = keywords.iter().map(String::as_str).collect();
        let load = |names: &[&str], meta: &[u8], transitions: &[u32]| {
            KeywordScanner::from_parts(&keywords, names, meta, Cow::Owned(transitions.to_vec()))
        };
        let prebuilt = load(&names, &meta, &transitions).unwrap();
        let data = b"a TOKEN=1 sk-2 key q~ -token".repeat(400);
        for len in [0, 30, data.len()] {
            assert_eq!(
                hits(&prebuilt, &data[..len]),
                reference(&keywords, &data[..len])
            );
        }
        // other keywords, truncated parts, a start state out of range
        assert!(load(&names[..4], &meta, &transitions).is_none());
        assert!(load(&names, &meta[..meta.len() - 4], &transitions).is_none());
        assert!(load(&names, &meta, &transitions[..transitions.len() - 1]).is_none());
        let mut bad = meta.clone();
        bad[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(load(&names, &bad, &transitions).is_none());
    }

    #[test]
    fn hits_across_part_boundaries_are_reported_once() {
        let keywords = vec!["abcdef".to_string(), "f".to_string()];
        let scanner = KeywordScanner::new(&keywords).unwrap();
        let mut data = vec![b'.'; 4 * MIN_SPLIT];
        let part = data.len() / WALKS;
        // a keyword straddling each boundary between parts, and one at each end
        for k in 1..WALKS {
            data[k * part - 3..k * part + 3].copy_from_slice(b"ABCdef");
        }
        data[..6].copy_from_slice(b"abcdef");
        let n = data.len();
        data[n - 6..].copy_from_slice(b"abcdeF");
        assert_eq!(hits(&scanner, &data), reference(&keywords, &data));
        assert_eq!(hits(&scanner, &data).len(), 2 * (WALKS + 1));
    }

    #[test]
    fn builtin_keywords_classify_every_byte_like_the_crate() {
        let rules =
            crate::rules::RuleSet::compile(crate::rules::load::builtin_rules().unwrap()).unwrap();
        let mut keywords: Vec<String> = rules
            .rules
            .iter()
            .flat_map(|r| r.keywords.iter().map(|k| k.to_ascii_lowercase()))
            .collect();
        keywords.sort();
        keywords.dedup();
        let dfa = dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keywords)
            .unwrap();
        // in every reachable state, every byte moves where its class's
        // representative moves: the reduced alphabet loses nothing
        let (classes, representatives) = byte_classes(&keywords);
        let start = dfa.start_state(Anchored::No).unwrap();
        let mut seen = std::collections::HashSet::from([start]);
        let mut queue = vec![start];
        while let Some(s) = queue.pop() {
            for b in 0..=255u8 {
                let to = dfa.next_state(Anchored::No, s, b);
                let rep = representatives[classes[b as usize] as usize];
                assert_eq!(to, dfa.next_state(Anchored::No, s, rep), "byte {b}");
                if seen.insert(to) {
                    queue.push(to);
                }
            }
        }
        let scanner = KeywordScanner::new(&keywords).unwrap();
        assert_eq!(
            scanner.memory_usage(),
            dfa.memory_usage(),
            "laid out before the first large blob"
        );
        let mut data = Vec::new();
        for kw in &keywords {
            data.extend_from_slice(kw.to_ascii_uppercase().as_bytes());
            data.push(b' ');
            data.extend_from_slice(kw.as_bytes());
        }
        assert!(data.len() > MIN_SPLIT);
        assert_eq!(hits(&scanner, &data), reference(&keywords, &data));
        assert!(
            scanner.memory_usage() < 4 << 20,
            "{}",
            scanner.memory_usage()
        );
    }
}
