//! What the byte after a regex's fixed-length start must be.
//!
//! Rules whose matches begin at a keyword are tried anchored at each keyword
//! hit ([`super::CompiledRule::starts_at_keyword`]). On manifests and Go code
//! most hits of a word like `secret` are not assignments (`secretKeyRef:`,
//! `kind: Secret`, `secretName`), and the regex then fails on the very next
//! byte; but starting a regex search at all costs more than that byte. A
//! [`Follow`] lets the detector look at that byte first.
//!
//! It is read off the regex's syntax tree: the longest run of top-level items
//! of fixed length (`secret`, a `\b`), then the set of bytes the rest can begin
//! with (the classic FIRST set, through optional items). It is exact: any
//! match of the regex has one of those bytes at that offset. When the rest
//! may match the empty string, or the tree is not a plain sequence, nothing is
//! claimed.
//!
//! Where the rest starts with optional items (`["']{0,2}[ \t]*` before an
//! assignment operator) whose bytes none of the following item can begin
//! with, the check skips a run of those bytes first: `secret = "…"` passes,
//! and so does `secret: "…"`, but the 350,000 `secret co…`/`secret %s` of
//! prose and Go code on the k8s bench corpus no longer start a search.
//! Still exact: in a match the optional items take only bytes of their own,
//! and the next item begins with a byte none of them holds, so the run of
//! their bytes ends exactly where that item begins.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Every match has, from offset `at` of its start, a run (maybe empty) of
/// bytes in `skip`, then one of `bytes` (a set disjoint from `skip`).
#[derive(Debug, Clone, PartialEq)]
pub struct Follow {
    pub at: usize,
    pub skip: [bool; 256],
    pub bytes: [bool; 256],
}

impl Follow {
    /// Whether a match could start at `start` in `hay` (which ends where
    /// the search would end).
    #[inline]
    pub fn allows(&self, hay: &[u8], start: usize) -> bool {
        let from = hay.get(start + self.at..).unwrap_or_default();
        from.iter()
            .find(|&&b| !self.skip[b as usize])
            .is_some_and(|&b| self.bytes[b as usize])
    }

    /// Works the follow set out from `pattern`, parsed with the syntax
    /// options the rules' regexes are compiled with (no Unicode classes,
    /// byte-oriented), at the first item boundary at or past `skip` bytes
    /// (the shortest keyword: bytes a keyword hit already vouches for are
    /// not worth a look). `None` when nothing useful can be said.
    pub fn of(pattern: &str, skip: usize) -> Option<Follow> {
        let hir = super::compile::parse_syntax(pattern).ok()?;
        let items = top_level(&hir);
        let mut at = 0;
        let mut i = 0;
        while i < items.len() && at < skip.max(1) {
            let p = items[i].properties();
            match (p.minimum_len(), p.maximum_len()) {
                (Some(lo), Some(hi)) if lo == hi => at += lo,
                _ => break,
            }
            i += 1;
        }
        if at < skip.max(1) || i == items.len() {
            return None;
        }
        let (bytes, nullable) = first_of_sequence(&items[i..]);
        // a match may end at `at`: nothing need follow; a set of every
        // byte rules nothing out
        if nullable || bytes.iter().all(|&b| b) {
            return None;
        }
        Some(match skippable(&items[i..]) {
            Some((skip, next)) => Follow {
                at,
                skip,
                bytes: next,
            },
            None => Follow {
                at,
                skip: [false; 256],
                bytes,
            },
        })
    }
}

/// For a sequence that starts with optional items: the bytes those items
/// can hold (the [`Follow::skip`] set) and the FIRST set of the rest,
/// when the rest cannot be empty and begins with none of those bytes.
fn skippable(items: &[Hir]) -> Option<([bool; 256], [bool; 256])> {
    let mut skip = [false; 256];
    let mut rest = items;
    while let Some((item, tail)) = rest.split_first() {
        if !first(item).1 {
            break;
        }
        union(&mut skip, &held(item));
        rest = tail;
    }
    if rest.len() == items.len() {
        return None; // nothing optional to skip
    }
    let (next, nullable) = first_of_sequence(rest);
    let disjoint = next.iter().zip(&skip).all(|(&n, &s)| !(n && s));
    (!nullable && disjoint).then_some((skip, next))
}

/// Every byte a match of `h` can hold, anywhere in it.
fn held(h: &Hir) -> [bool; 256] {
    let mut set = [false; 256];
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => l.0.iter().for_each(|&b| set[b as usize] = true),
        HirKind::Class(c) => add_class(c, &mut set),
        HirKind::Repetition(r) => return held(&r.sub),
        HirKind::Capture(c) => return held(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|sub| union(&mut set, &held(sub)));
        }
    }
    set
}

/// The items of the regex's top-level sequence, through capture groups.
fn top_level(h: &Hir) -> &[Hir] {
    match h.kind() {
        HirKind::Capture(c) => top_level(&c.sub),
        HirKind::Concat(items) => items,
        _ => std::slice::from_ref(h),
    }
}

/// The bytes a match of `h` can begin with, and whether `h` can match the
/// empty string.
fn first(h: &Hir) -> ([bool; 256], bool) {
    let mut set = [false; 256];
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => return (set, true),
        HirKind::Literal(l) => match l.0.first() {
            Some(&b) => set[b as usize] = true,
            None => return (set, true),
        },
        HirKind::Class(c) => add_class(c, &mut set),
        HirKind::Repetition(r) => {
            let (sub, nullable) = first(&r.sub);
            return (sub, nullable || r.min == 0);
        }
        HirKind::Capture(c) => return first(&c.sub),
        HirKind::Concat(items) => return first_of_sequence(items),
        HirKind::Alternation(alts) => {
            let mut nullable = false;
            for a in alts {
                let (s, n) = first(a);
                union(&mut set, &s);
                nullable |= n;
            }
            return (set, nullable);
        }
    }
    (set, false)
}

/// [`first`] of a sequence: each item's first bytes count until one of them
/// cannot be empty.
fn first_of_sequence(items: &[Hir]) -> ([bool; 256], bool) {
    let mut set = [false; 256];
    for item in items {
        let (s, nullable) = first(item);
        union(&mut set, &s);
        if !nullable {
            return (set, false);
        }
    }
    (set, true)
}

/// Marks the bytes a match of class `c` can hold (so also begin with): its bytes, or for
/// a Unicode class its ASCII members and every byte from 0x80 (any
/// non-ASCII character's encoding may hold them).
pub(super) fn add_class(c: &Class, set: &mut [bool; 256]) {
    match c {
        Class::Bytes(c) => {
            for r in c.ranges() {
                (r.start()..=r.end()).for_each(|b| set[b as usize] = true);
            }
        }
        Class::Unicode(c) => {
            for r in c.ranges() {
                let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                (lo.min(0x80)..hi.min(0x7f) + 1).for_each(|b| set[b as usize] = true);
                if hi > 0x7f {
                    (0x80..=0xff).for_each(|b| set[b] = true);
                }
            }
        }
    }
}

fn union(into: &mut [bool; 256], from: &[bool; 256]) {
    into.iter_mut().zip(from).for_each(|(a, &b)| *a |= b);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(f: &Follow) -> String {
        (0..=255u8)
            .filter(|&b| f.bytes[b as usize])
            .map(char::from)
            .collect()
    }

    #[test]
    fn the_byte_after_a_keyword_assignment() {
        let f = Follow::of(
            r#"(?i)secret["']{0,2}[ \t]*(?::=|=)[ \t]*"(?P<s>[a-z]{8,})""#,
            6,
        )
        .expect("follow");
        assert_eq!(f.at, 6);
        // optional quotes and blanks are skipped, then `:` or `=`
        assert_eq!(bytes(&f), ":=");
        assert_eq!(
            (0..=255u8)
                .filter(|&b| f.skip[b as usize])
                .map(char::from)
                .collect::<String>(),
            "\t \"'"
        );
        assert!(f.allows(b"secret: \"abcdefgh\"", 0));
        assert!(f.allows(b"secret' \t = \"abcdefgh\"", 0));
        assert!(!f.allows(b"secret contains", 0));
        assert!(!f.allows(b"secret   ", 0));
        assert!(f.allows(b"SECRET=\"abcdefgh\"", 0));
        assert!(!f.allows(b"secretKeyRef:", 0));
        assert!(!f.allows(b"kind: Secret\n", 6));
        // the byte must be inside the searched text
        assert!(!f.allows(b"secret", 0));
    }

    #[test]
    fn nothing_is_skipped_where_the_next_item_may_begin_with_a_skipped_byte() {
        // `:` may be taken by the optional class or begin the next item
        let f = Follow::of(r"token[ :]*:[a-z]", 5).expect("follow");
        assert!(f.skip.iter().all(|&s| !s));
        assert_eq!(bytes(&f), " :");
        // `x` may be taken by the optional group or begin the next item
        let f = Follow::of(r"token[ ]*(?:=x)?[a-z]", 5).expect("follow");
        assert!(f.skip.iter().all(|&s| !s));
    }

    #[test]
    fn zero_width_items_have_length_zero() {
        let f = Follow::of(r"\bghp_[A-Za-z0-9]{36}\b", 4).expect("follow");
        assert_eq!(f.at, 4);
        assert_eq!(
            bytes(&f),
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        );
    }

    #[test]
    fn nothing_is_claimed_where_a_match_may_end_or_any_byte_may_come() {
        // the rest can be empty
        assert_eq!(Follow::of(r"token(?:=[a-z]+)?", 5), None);
        // any byte may follow
        assert_eq!(Follow::of(r"(?s)token.+", 5), None);
        // no fixed-length start
        assert_eq!(Follow::of(r"[a-z]+=x", 1), None);
        // nothing after the fixed part
        assert_eq!(Follow::of(r"abc", 3), None);
        // not a regex
        assert_eq!(Follow::of(r"(abc", 3), None);
    }

    #[test]
    fn alternatives_of_one_length_are_a_fixed_start() {
        let f = Follow::of(r"(?:gho|ghu|ghs)_(?P<secret>[a-z]{4})", 3).expect("follow");
        assert_eq!((f.at, bytes(&f).as_str()), (3, "_"));
        // alternatives of different lengths are not
        assert_eq!(Follow::of(r"(?:gh|glp)_[a-z]{4}", 2), None);
        // the boundary is the first at or past the keyword's length
        let f = Follow::of(r"ghp_[a-z]{4}-", 3).expect("follow");
        assert_eq!(
            (f.at, bytes(&f).as_str()),
            (4, "abcdefghijklmnopqrstuvwxyz")
        );
    }

    #[test]
    fn agrees_with_the_regex_on_random_text() {
        // wherever the regex matches anchored at a position, the follow
        // byte is allowed there (the other direction is the filter's point)
        let patterns = [
            (r#"(?i)secret["']{0,2}[ \t]*(?::=|=|:)[ \t]*["']"#, 6),
            (r"(?i)\b(?:ab|cd)[-_]?(?:x|y)+=", 2),
            (r"k(?:e|y)?[:=]\s*v", 1),
            (r"(?i)token\b[ \t]*(?:[=:]|x-)[ \t]*v", 5),
        ];
        let alphabet = b":= \t\"'xy-_ev\n";
        let mut seed = 0x9e37_79b9_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut matched = 0;
        for (p, skip) in patterns {
            let f = Follow::of(p, skip).expect("follow");
            let re = regex::bytes::RegexBuilder::new(&format!("^(?:{p})"))
                .unicode(false)
                .build()
                .expect("regex");
            for _ in 0..8000 {
                // a keyword-like start, then random bytes
                let starts: [&[u8]; 6] = [b"secret", b"SeCrEt", b"ab", b"cd", b"k", b"token"];
                let mut text = starts[(next() % 6) as usize].to_vec();
                let len = (next() % 16) as usize;
                text.extend((0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]));
                if re.is_match(&text) {
                    matched += 1;
                    assert!(
                        f.allows(&text, 0),
                        "{p} on {:?}",
                        String::from_utf8_lossy(&text)
                    );
                }
            }
        }
        assert!(matched > 50, "the test must see matches: {matched}");
    }
}
