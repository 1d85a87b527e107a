//! A byte-oriented parser for the block-YAML subset that real manifests are
//! written in, emitting exactly the events (with exactly the markers)
//! `yaml_rust2` would.
//!
//! Why: on a tree of charts and manifests `yaml_rust2`'s char-at-a-time
//! scanner was ~15% of a whole scan. Most documents use only one-line
//! plain or quoted scalars, `key: value` block mappings, `- item` block
//! sequences and one-line flow collections (`[ALL]`, `{cpu: 1}`); those are
//! read here line by line, on bytes.
//!
//! Exactness is the contract: [`parse`] either reads the whole text and
//! emits the events `yaml_rust2` emits for it (same order, same values and
//! styles, same line and column for every node, including the odd ones:
//! a block mapping starts at its first `:`, a null value sits where the
//! next token starts), or it says "fall back" as soon as it meets anything
//! outside its subset or anything it is unsure of (anchors, tags, block
//! scalars, multi-line scalars or flows, tabs, non-ASCII, `?` keys,
//! directives, `...`, unusual spacing), and the caller re-parses the text
//! from scratch with `yaml_rust2`. It never accepts a text `yaml_rust2`
//! rejects, and it refuses a text itself only where `yaml_rust2` certainly
//! fails, with the same error position (a Helm `{{- … }}` action, see
//! [`helm_action`]). The differential tests and the `yaml_fast` fuzz target
//! check this. Nothing here knows about Kubernetes.

use super::Ev;
use std::borrow::Cow;
use yaml_rust2::parser::Event;
use yaml_rust2::scanner::TScalarStyle;

/// A position as `yaml_rust2` reports it: 1-based line, 0-based column in
/// characters (bytes here: only ASCII text is taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mark {
    pub line: usize,
    pub col: usize,
}

/// The text is outside the subset (or `emit` refused an event): the
/// caller falls back to `yaml_rust2`.
#[derive(Debug)]
struct Fallback;

type R<T> = Result<T, Fallback>;

/// Longest simple key taken: `yaml_rust2` stops treating a scalar as a
/// possible key 1024 characters after its start.
const MAX_KEY: usize = 1000;

/// What [`parse`] made of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The whole text was read and every event emitted.
    Accepted,
    /// Fall back to `yaml_rust2` (some events may have been emitted
    /// already; the caller discards them).
    Fallback,
    /// Certainly not YAML: `yaml_rust2` fails with its first error at this
    /// position (see [`helm_action`]).
    Invalid(Mark),
}

/// Parses `text`, passing each event and its position to `emit` (which
/// returns false to stop).
pub(super) fn parse<'t>(text: &'t str, emit: impl FnMut(Ev<'t>, Mark) -> bool) -> Outcome {
    let mut p = P {
        emit,
        cur: "",
        stack: Vec::new(),
        pending: Pending::Nothing,
        in_doc: false,
        line: 0,
        invalid: None,
    };
    match (p.run(text), p.invalid) {
        (Ok(()), _) => Outcome::Accepted,
        (Err(Fallback), Some(at)) => Outcome::Invalid(at),
        (Err(Fallback), None) => Outcome::Fallback,
    }
}

/// A Helm action that trims the whitespace before it (`{{- include … }}`,
/// `{{- if … }}`, `{{- end }}`) where a YAML token starts, at `i`.
///
/// Nearly every chart template has one, and no such text is YAML:
/// `yaml_rust2` reads `{` and `{` as two flow mappings opening, then `-`
/// followed by a blank as a block sequence entry, which it refuses inside a
/// flow collection ("`-` is only valid inside a block") at the `-`. Where
/// a token starts is the caller's to know: the same bytes inside a scalar
/// that continues from the line before are text, not tokens.
fn helm_action(s: &[u8], i: usize) -> bool {
    s.get(i..i + 3) == Some(b"{{-") && blank_or_end(s, i + 3)
}

/// What `yaml_rust2` read in a line's rest, by text.
type ForeignFlows =
    std::collections::HashMap<String, Option<std::rc::Rc<Vec<(Ev<'static>, usize)>>>>;

/// The events (with their columns) of `rest` read alone by `yaml_rust2`,
/// when they are one flow mapping that opens at its start and closes on
/// the line, without anchors, aliases or tags (see
/// [`P::foreign_flow`]); `None` otherwise.
fn read_foreign_flow(rest: &str) -> Option<Vec<(Ev<'static>, usize)>> {
    let mut parser = yaml_rust2::parser::Parser::new_from_str(rest);
    let mut events = Vec::new();
    loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break,
            Ok((ev, m)) => events.push((ev, m.line(), m.col())),
            Err(_) => return None,
        }
    }
    let [
        (Event::StreamStart, ..),
        (Event::DocumentStart, ..),
        node @ ..,
        (Event::DocumentEnd, ..),
    ] = events.as_slice()
    else {
        return None;
    };
    let plain = |ev: &Event| match ev {
        Event::Scalar(_, _, anchor, tag) => *anchor == 0 && tag.is_none(),
        Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
            *anchor == 0 && tag.is_none()
        }
        Event::SequenceEnd | Event::MappingEnd => true,
        _ => false,
    };
    // a flow mapping opening at the start (a block mapping, as in
    // `{{ a }}: b`, opens at its `:`), all on the one line
    if !matches!(node.first(), Some((Event::MappingStart(..), 1, 0)))
        || !node.iter().all(|(ev, line, _)| *line == 1 && plain(ev))
    {
        return None;
    }
    // one node: the first event's collection closes with the last
    let mut depth = 0usize;
    for (k, (ev, ..)) in node.iter().enumerate() {
        match ev {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth = depth.checked_sub(1)?,
            _ => {}
        }
        if depth == 0 && k + 1 != node.len() {
            return None;
        }
    }
    Some(
        node.iter()
            .map(|(ev, _, col)| (Ev::from(ev.clone()), *col))
            .collect(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
    /// A sequence whose `-` sit at its parent mapping's column (`key:`
    /// then `- x` below it): it has no indentation level of its own, so no
    /// block end of its own either.
    Indentless,
}

#[derive(Debug, Clone, Copy)]
struct Block {
    kind: Kind,
    indent: usize,
}

/// A node that will start on a later line (or be null).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Nothing,
    /// A document's root, after `---` or at the first line.
    Root,
    /// The value of a `key:` ending its line, in the mapping at this column.
    Value(usize),
    /// The item of a `-` ending its line, in the sequence at this column.
    Item(usize),
}

struct P<'t, F> {
    emit: F,
    /// The line being read (without its line break): every `s: &[u8]`
    /// below is its bytes, and scalars are borrowed from it.
    cur: &'t str,
    stack: Vec<Block>,
    pending: Pending,
    /// A document is open.
    in_doc: bool,
    /// Current line (1-based).
    line: usize,
    /// Set (with an `Err`) when the text is certainly not YAML.
    invalid: Option<Mark>,
}

/// Printable ASCII and line breaks only. Checked 32 bytes at a time
/// without an early exit inside a block, which the compiler turns into
/// vector compares (a byte-at-a-time `all` was the parser's costliest
/// line).
fn printable_ascii(b: &[u8]) -> bool {
    let ok = |c: u8| (b' '..=b'~').contains(&c) | (c == b'\n') | (c == b'\r');
    let blocks = b.chunks_exact(32);
    let tail = blocks.remainder();
    blocks
        .into_iter()
        .all(|block| block.iter().fold(true, |all, &c| all & ok(c)))
        && tail.iter().all(|&c| ok(c))
}

/// A flow indicator: ends a plain scalar inside a flow collection.
fn is_flow(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

/// `s[i]` is blank (space) or the end of the line.
fn blank_or_end(s: &[u8], i: usize) -> bool {
    i >= s.len() || s[i] == b' '
}

fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && s[i] == b' ' {
        i += 1;
    }
    i
}

/// After a token ending at `i`: only spaces, then the end of the line or a
/// comment that has a space before it.
fn rest_ok(s: &[u8], i: usize) -> R<()> {
    let j = skip_spaces(s, i);
    if j == s.len() || (s[j] == b'#' && j > i) {
        Ok(())
    } else {
        Err(Fallback)
    }
}

/// `---` or `...` (per `c`) at column 0 followed by a blank or the end.
fn is_indicator3(s: &[u8], c: u8) -> bool {
    s.len() >= 3 && s[..3] == [c, c, c] && blank_or_end(s, 3)
}

/// A block sequence entry: `-` followed by a blank or the end.
fn is_entry(s: &[u8], i: usize) -> bool {
    s.get(i) == Some(&b'-') && blank_or_end(s, i + 1)
}

/// Where `yaml_rust2` marks the entry token of the `-` at `i`: after the
/// spaces and any comment that follow it.
fn entry_mark(s: &[u8], i: usize) -> usize {
    let j = skip_spaces(s, i + 1);
    if j < s.len() && s[j] == b'#' {
        s.len()
    } else {
        j
    }
}

/// What starts at a column of a line.
enum Start<'t> {
    /// `- `: a block sequence entry.
    Entry,
    /// A simple key: its scalar, style, and the column of its `:`.
    Key(Cow<'t, str>, TScalarStyle, usize),
    /// A scalar or a flow collection (not yet read), ending the node.
    Other,
}

/// A block-context plain scalar may start with `c` (followed by `next`).
fn plain_start(c: u8, next: Option<u8>) -> bool {
    match c {
        b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' => false,
        b'-' | b'?' | b':' => !matches!(next, None | Some(b' ')),
        _ => true,
    }
}

/// A block-context plain scalar at `i`: (end of its text, column of a `:`
/// ending it as a key). It ends at `: `, a final `:`, ` #` or the line end;
/// trailing spaces are not part of it.
fn plain_block(s: &[u8], i: usize) -> R<(usize, Option<usize>)> {
    if !plain_start(s[i], s.get(i + 1).copied()) {
        return Err(Fallback);
    }
    let mut j = i;
    while j < s.len() {
        match s[j] {
            b':' if blank_or_end(s, j + 1) => {
                let mut end = j;
                while s[end - 1] == b' ' {
                    end -= 1;
                }
                return Ok((end, Some(j)));
            }
            b' ' if s.get(j + 1) == Some(&b'#') => break,
            _ => j += 1,
        }
    }
    while s[j - 1] == b' ' {
        j -= 1;
    }
    Ok((j, None))
}

fn hex(c: u8) -> R<u32> {
    (c as char).to_digit(16).ok_or(Fallback)
}

/// A one-line quoted scalar at `i` of `line` (on its quote): its text
/// and the index after the closing quote. Without escapes (or `''`) the
/// text is the line's own bytes, borrowed.
fn quoted(line: &str, i: usize) -> R<(Cow<'_, str>, usize)> {
    let s = line.as_bytes();
    let q = s[i];
    let plain_end = s[i + 1..]
        .iter()
        .position(|&c| c == q || (c == b'\\' && q == b'"'))
        .map(|n| i + 1 + n);
    if let Some(j) = plain_end
        && s[j] == q
        && !(q == b'\'' && s.get(j + 1) == Some(&b'\''))
    {
        return Ok((Cow::Borrowed(&line[i + 1..j]), j + 1));
    }
    let mut out = String::new();
    let mut j = i + 1;
    loop {
        let &c = s.get(j).ok_or(Fallback)?;
        if c == q {
            if q == b'\'' && s.get(j + 1) == Some(&b'\'') {
                out.push('\'');
                j += 2;
                continue;
            }
            return Ok((Cow::Owned(out), j + 1));
        }
        if c == b'\\' && q == b'"' {
            let &e = s.get(j + 1).ok_or(Fallback)?;
            let len = match e {
                b'x' => 2,
                b'u' => 4,
                b'U' => 8,
                _ => 0,
            };
            if len > 0 {
                let digits = s.get(j + 2..j + 2 + len).ok_or(Fallback)?;
                let mut v = 0u32;
                for &d in digits {
                    v = (v << 4) | hex(d)?;
                }
                out.push(char::from_u32(v).ok_or(Fallback)?);
                j += 2 + len;
                continue;
            }
            out.push(match e {
                b'0' => '\0',
                b'a' => '\x07',
                b'b' => '\x08',
                b't' => '\t',
                b'n' => '\n',
                b'v' => '\x0b',
                b'f' => '\x0c',
                b'r' => '\r',
                b'e' => '\x1b',
                b' ' => ' ',
                b'"' => '"',
                b'/' => '/',
                b'\\' => '\\',
                b'N' => '\u{85}',
                b'_' => '\u{a0}',
                b'L' => '\u{2028}',
                b'P' => '\u{2029}',
                _ => return Err(Fallback),
            });
            j += 2;
            continue;
        }
        out.push(c as char);
        j += 1;
    }
}

fn style(q: u8) -> TScalarStyle {
    if q == b'\'' {
        TScalarStyle::SingleQuoted
    } else {
        TScalarStyle::DoubleQuoted
    }
}

/// What starts at `i` on `line`: an entry, a key (read), or something
/// else.
fn start_at(line: &str, i: usize) -> R<Start<'_>> {
    let s = line.as_bytes();
    let c = s[i];
    if is_entry(s, i) {
        return Ok(Start::Entry);
    }
    if c == b'"' || c == b'\'' {
        let (text, end) = quoted(line, i)?;
        if s.get(end) == Some(&b':') && blank_or_end(s, end + 1) {
            if end - i > MAX_KEY {
                return Err(Fallback);
            }
            return Ok(Start::Key(text, style(c), end));
        }
        return Ok(Start::Other);
    }
    if c == b'[' || c == b'{' {
        return Ok(Start::Other);
    }
    match plain_block(s, i)? {
        (end, Some(colon)) => {
            if colon - i > MAX_KEY {
                return Err(Fallback);
            }
            Ok(Start::Key(
                Cow::Borrowed(&line[i..end]),
                TScalarStyle::Plain,
                colon,
            ))
        }
        (_, None) => Ok(Start::Other),
    }
}

impl<'t, F: FnMut(Ev<'t>, Mark) -> bool> P<'t, F> {
    fn emit(&mut self, ev: Ev<'t>, col: usize) -> R<()> {
        self.emit_at(
            ev,
            Mark {
                line: self.line,
                col,
            },
        )
    }

    fn emit_at(&mut self, ev: Ev<'t>, m: Mark) -> R<()> {
        if (self.emit)(ev, m) {
            Ok(())
        } else {
            Err(Fallback)
        }
    }

    /// At a token start `i`: a [`helm_action`] there proves the text is
    /// not YAML; stop with the position `yaml_rust2` gives (its `-`).
    fn refuse_helm(&mut self, s: &[u8], i: usize) -> R<()> {
        if helm_action(s, i) {
            self.invalid = Some(Mark {
                line: self.line,
                col: i + 2,
            });
            return Err(Fallback);
        }
        Ok(())
    }

    /// A flow collection that starts with `{{` (a Helm expression such as
    /// `{{ include "x.fullname" . }}`: `yaml_rust2` reads it as nested flow
    /// mappings, with quotes inside plain scalars and keys without values,
    /// which [`Self::flow`] does not attempt), in a value position, ending
    /// its line. It is handed to `yaml_rust2` alone: a flow collection that
    /// opens and closes on one line is scanned the same wherever it stands
    /// (tokens inside a flow do not depend on the block indentation around
    /// it), so its events there, shifted to this line and column, are the
    /// events of the whole text. Anything but one complete node without
    /// anchors, aliases or tags falls back. Templates get past such lines
    /// to the [`helm_action`] that rules them out.
    fn foreign_flow(&mut self, s: &[u8], i: usize) -> R<usize> {
        let rest = std::str::from_utf8(&s[i..]).map_err(|_| Fallback)?;
        // Templates repeat their expressions (`{{ include "x.fullname" . }}`
        // in every document of a chart), and starting `yaml_rust2` costs
        // more than reading one: each worker remembers what it read. The
        // result depends on the text alone, so this changes nothing.
        thread_local! {
            static SEEN: std::cell::RefCell<ForeignFlows> = Default::default();
        }
        let known = SEEN.with_borrow(|seen| seen.get(rest).cloned());
        let node = known.unwrap_or_else(|| {
            let node = read_foreign_flow(rest).map(std::rc::Rc::new);
            SEEN.with_borrow_mut(|seen| {
                if seen.len() >= 4096 {
                    seen.clear();
                }
                seen.insert(rest.to_owned(), node.clone());
            });
            node
        });
        let node = node.ok_or(Fallback)?;
        for (ev, col) in node.iter() {
            self.emit(ev.clone(), i + col)?;
        }
        Ok(s.len())
    }

    fn null(&mut self, m: Mark) -> R<()> {
        self.emit_at(
            Ev::Scalar(Cow::Borrowed(""), TScalarStyle::Plain, 0, false),
            m,
        )
    }

    fn end_event(kind: Kind) -> Ev<'t> {
        match kind {
            Kind::Map => Ev::MappingEnd,
            Kind::Seq | Kind::Indentless => Ev::SequenceEnd,
        }
    }

    fn run(&mut self, text: &'t str) -> R<()> {
        let b = text.as_bytes();
        // printable ASCII and line breaks only: no tabs, no NUL (the end of
        // the stream for yaml_rust2), no BOM, columns are bytes
        if !printable_ascii(b) {
            return Err(Fallback);
        }
        self.emit_at(Ev::StreamStart, Mark { line: 1, col: 0 })?;
        let mut pos = 0;
        let mut last_len = 0;
        while pos < b.len() {
            self.line += 1;
            let (mut s, next) = match memchr::memchr(b'\n', &b[pos..]) {
                Some(n) => (&b[pos..pos + n], pos + n + 1),
                None => (&b[pos..], b.len()),
            };
            if b[next - 1] == b'\n'
                && let Some(t) = s.strip_suffix(b"\r")
            {
                s = t;
            }
            if memchr::memchr(b'\r', s).is_some() {
                return Err(Fallback);
            }
            last_len = if b[next - 1] == b'\n' { 0 } else { s.len() };
            // (every byte is ASCII, so any index is a character boundary)
            self.cur = &text[pos..pos + s.len()];
            self.do_line(self.cur.as_bytes())?;
            pos = next;
        }
        self.finish(last_len)
    }

    /// End of the stream. `last_len` is the length of an unterminated last
    /// line: `yaml_rust2` ends the blocks deeper than that column at the
    /// end of that line, then moves to the next line for the rest.
    fn finish(&mut self, last_len: usize) -> R<()> {
        let line = self.line;
        let end = Mark {
            line: line + 1,
            col: 0,
        };
        let at = |indent: usize| {
            if last_len > 0 && indent > last_len {
                Mark {
                    line,
                    col: last_len,
                }
            } else {
                end
            }
        };
        if self.in_doc {
            if self.pending != Pending::Nothing {
                let m = self.stack.last().map_or(end, |b| at(b.indent));
                self.null(m)?;
            }
            while let Some(b) = self.stack.pop() {
                self.emit_at(Self::end_event(b.kind), at(b.indent))?;
            }
            self.emit_at(Ev::DocumentEnd, end)?;
        }
        self.emit_at(Ev::StreamEnd, end)
    }

    /// Ends the open document at a `---` line.
    fn end_document(&mut self) -> R<()> {
        let m = Mark {
            line: self.line,
            col: 0,
        };
        if self.pending != Pending::Nothing {
            self.null(m)?;
            self.pending = Pending::Nothing;
        }
        while let Some(b) = self.stack.pop() {
            self.emit_at(Self::end_event(b.kind), m)?;
        }
        self.emit_at(Ev::DocumentEnd, m)
    }

    fn do_line(&mut self, s: &[u8]) -> R<()> {
        let n = skip_spaces(s, 0);
        if n == s.len() || s[n] == b'#' {
            return Ok(()); // blank or comment line
        }
        if n == 0 {
            if is_indicator3(s, b'-') {
                rest_ok(s, 3)?;
                if self.in_doc {
                    self.end_document()?;
                }
                self.emit(Ev::DocumentStart, 0)?;
                self.in_doc = true;
                self.pending = Pending::Root;
                return Ok(());
            }
            if is_indicator3(s, b'.') || s[0] == b'%' {
                return Err(Fallback);
            }
        }
        if !self.in_doc {
            self.emit(Ev::DocumentStart, n)?;
            self.in_doc = true;
            self.pending = Pending::Root;
        }
        match self.pending {
            Pending::Root => {
                self.pending = Pending::Nothing;
                return self.node(s, n, true);
            }
            Pending::Value(c) => {
                self.pending = Pending::Nothing;
                if n > c {
                    return self.node(s, n, false);
                }
                if n == c && is_entry(s, n) {
                    self.emit(Ev::SequenceStart(0, false), entry_mark(s, n))?;
                    self.stack.push(Block {
                        kind: Kind::Indentless,
                        indent: c,
                    });
                    return self.entry(s, n);
                }
                self.null(Mark {
                    line: self.line,
                    col: n,
                })?;
            }
            Pending::Item(c) => {
                self.pending = Pending::Nothing;
                if n > c {
                    return self.node(s, n, false);
                }
                let col = if n == c && is_entry(s, n) {
                    entry_mark(s, n)
                } else {
                    n
                };
                self.null(Mark {
                    line: self.line,
                    col,
                })?;
            }
            Pending::Nothing => {}
        }
        // the previous node is complete: this line continues an open block
        while let Some(b) = self.stack.last().copied() {
            if b.indent <= n {
                break;
            }
            self.stack.pop();
            self.emit(Self::end_event(b.kind), n)?;
        }
        let Some(top) = self.stack.last().copied() else {
            return Err(Fallback); // content after a document's root
        };
        if top.indent != n {
            return Err(Fallback); // a continuation line, or bad indentation
        }
        match (top.kind, start_at(self.cur, n)?) {
            (Kind::Seq | Kind::Indentless, Start::Entry) => self.entry(s, n),
            (Kind::Map, Start::Key(key, style, colon)) => self.key(s, n, key, style, colon),
            (Kind::Indentless, Start::Key(key, style, colon)) => {
                self.stack.pop();
                self.emit(Ev::SequenceEnd, n)?;
                self.key(s, n, key, style, colon)
            }
            _ => {
                // at the open block's own column no scalar of the line
                // before continues: a token starts here
                self.refuse_helm(s, n)?;
                Err(Fallback)
            }
        }
    }

    /// The `-` at `i` of the sequence on top of the stack.
    fn entry(&mut self, s: &[u8], i: usize) -> R<()> {
        let j = skip_spaces(s, i + 1);
        if j == s.len() || s[j] == b'#' {
            self.pending = Pending::Item(i);
            return Ok(());
        }
        self.node(s, j, true)
    }

    /// A block node starting at column `i` of the line (a document root, a
    /// sequence item, or a value on the lines after its key). `scalar`: it
    /// may be a scalar or flow collection (not for a value on its own line,
    /// which this path does not take).
    fn node(&mut self, s: &[u8], i: usize, scalar: bool) -> R<()> {
        match start_at(self.cur, i)? {
            Start::Entry => {
                self.emit(Ev::SequenceStart(0, false), i)?;
                self.stack.push(Block {
                    kind: Kind::Seq,
                    indent: i,
                });
                self.entry(s, i)
            }
            Start::Key(key, style, colon) => {
                self.emit(Ev::MappingStart(0, false), colon)?;
                self.stack.push(Block {
                    kind: Kind::Map,
                    indent: i,
                });
                self.key(s, i, key, style, colon)
            }
            Start::Other if scalar => {
                let end = self.inline_value(s, i)?;
                rest_ok(s, end)
            }
            Start::Other => {
                // the value of a `key:` or `-` ending the line before: a
                // token starts here
                self.refuse_helm(s, i)?;
                Err(Fallback)
            }
        }
    }

    /// A `key: value` at column `i` of the mapping on top of the stack
    /// (`key` read by [`start_at`], its `:` at `colon`).
    fn key(
        &mut self,
        s: &[u8],
        i: usize,
        key: Cow<'t, str>,
        style: TScalarStyle,
        colon: usize,
    ) -> R<()> {
        self.emit(Ev::Scalar(key, style, 0, false), i)?;
        let v = skip_spaces(s, colon + 1);
        if v == s.len() || s[v] == b'#' {
            self.pending = Pending::Value(i);
            return Ok(());
        }
        let end = self.inline_value(s, v)?;
        rest_ok(s, end)
    }

    /// A scalar or flow collection at `i` that must end on this line (a
    /// value after `key: `, an item after `- `, a root). Returns where it
    /// ends.
    fn inline_value(&mut self, s: &[u8], i: usize) -> R<usize> {
        match s[i] {
            b'"' | b'\'' => {
                let (text, end) = quoted(self.cur, i)?;
                self.emit(Ev::Scalar(text, style(s[i]), 0, false), i)?;
                Ok(end)
            }
            b'{' if s.get(i + 1) == Some(&b'{') => {
                self.refuse_helm(s, i)?;
                self.foreign_flow(s, i)
            }
            b'[' | b'{' => self.flow(s, i),
            _ => {
                let (end, colon) = plain_block(s, i)?;
                if colon.is_some() {
                    return Err(Fallback); // `a: b: c`, `- a: b` handled elsewhere
                }
                let text = Cow::Borrowed(&self.cur[i..end]);
                self.emit(Ev::Scalar(text, TScalarStyle::Plain, 0, false), i)?;
                Ok(end)
            }
        }
    }

    /// A one-line flow collection at `i`; returns the index after its close.
    fn flow(&mut self, s: &[u8], i: usize) -> R<usize> {
        // open collections: true for a mapping
        let mut open: Vec<bool> = Vec::new();
        let mut j = i;
        'node: loop {
            // a node (a mapping's value, a sequence's item) at j
            match s.get(j) {
                Some(&c @ (b'[' | b'{')) => {
                    let map = c == b'{';
                    self.emit(
                        if map {
                            Ev::MappingStart(0, false)
                        } else {
                            Ev::SequenceStart(0, false)
                        },
                        j,
                    )?;
                    open.push(map);
                    j = skip_spaces(s, j + 1);
                    let close = if map { b'}' } else { b']' };
                    if s.get(j) == Some(&close) {
                        open.pop();
                        self.emit(Self::end_event(if map { Kind::Map } else { Kind::Seq }), j)?;
                        j += 1;
                    } else {
                        if map {
                            j = self.flow_key(s, j)?;
                        }
                        continue 'node;
                    }
                }
                Some(_) => j = self.flow_scalar(s, j)?,
                None => return Err(Fallback),
            }
            // after a complete node
            loop {
                let Some(&map) = open.last() else {
                    return Ok(j);
                };
                j = skip_spaces(s, j);
                match s.get(j) {
                    Some(b',') => {
                        j = skip_spaces(s, j + 1);
                        if matches!(s.get(j), None | Some(b']' | b'}' | b',')) {
                            return Err(Fallback);
                        }
                        if map {
                            j = self.flow_key(s, j)?;
                        }
                        continue 'node;
                    }
                    Some(b']') if !map => {
                        open.pop();
                        self.emit(Ev::SequenceEnd, j)?;
                        j += 1;
                    }
                    Some(b'}') if map => {
                        open.pop();
                        self.emit(Ev::MappingEnd, j)?;
                        j += 1;
                    }
                    _ => return Err(Fallback),
                }
            }
        }
    }

    /// A flow mapping's key at `j` (a scalar) and its `: `; returns where
    /// the value starts.
    fn flow_key(&mut self, s: &[u8], j: usize) -> R<usize> {
        if matches!(s.get(j), None | Some(b'[' | b'{')) {
            return Err(Fallback);
        }
        let end = self.flow_scalar(s, j)?;
        if s.get(end) == Some(&b':') && s.get(end + 1) == Some(&b' ') {
            Ok(skip_spaces(s, end + 1))
        } else {
            Err(Fallback)
        }
    }

    /// A scalar inside a flow collection at `j`; returns where it ends
    /// (after the closing quote, or after the plain text, spaces excluded).
    fn flow_scalar(&mut self, s: &[u8], j: usize) -> R<usize> {
        let c = s[j];
        if c == b'"' || c == b'\'' {
            let (text, end) = quoted(self.cur, j)?;
            self.emit(Ev::Scalar(text, style(c), 0, false), j)?;
            return Ok(end);
        }
        let ends = |k: usize| {
            is_flow(s[k])
                || (s[k] == b':' && (k + 1 >= s.len() || s[k + 1] == b' ' || is_flow(s[k + 1])))
        };
        let ok_start = match c {
            b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%'
            | b'@' | b'`' | b'?' | b':' => false,
            b'-' => matches!(s.get(j + 1), Some(&n) if n != b' ' && !is_flow(n)),
            _ => true,
        };
        if !ok_start {
            return Err(Fallback);
        }
        let mut k = j;
        let end = loop {
            while k < s.len() && s[k] != b' ' && !ends(k) {
                k += 1;
            }
            if k == s.len() {
                return Err(Fallback); // a flow left open at the line end
            }
            if s[k] != b' ' {
                break k;
            }
            let m = skip_spaces(s, k);
            if m == s.len() || s[m] == b'#' {
                return Err(Fallback);
            }
            if ends(m) {
                break k;
            }
            if s[m] == b'-' && s.get(m + 1).is_some_and(|&n| is_flow(n)) {
                return Err(Fallback);
            }
            k = m;
        };
        let text = Cow::Borrowed(&self.cur[j..end]);
        self.emit(Ev::Scalar(text, TScalarStyle::Plain, 0, false), j)?;
        Ok(end)
    }
}

#[cfg(test)]
mod tests {
    use super::printable_ascii;

    /// The blockwise check says what a byte-at-a-time one says, wherever
    /// the one bad byte sits (in a full block or in the tail).
    #[test]
    fn printable_ascii_agrees_with_the_plain_definition() {
        let plain = |b: &[u8]| b.iter().all(|&c| matches!(c, b' '..=b'~' | b'\n' | b'\r'));
        for len in 0..100 {
            let good: Vec<u8> = (0..len).map(|i| b" az~\n\r09"[i % 8]).collect();
            assert!(printable_ascii(&good), "{len}");
            for at in 0..len {
                for bad in [b'\t', 0, 0x7f, 0x80, 0xff, 0x1f] {
                    let mut text = good.clone();
                    text[at] = bad;
                    assert_eq!(printable_ascii(&text), plain(&text), "{len} {at} {bad}");
                    assert!(!printable_ascii(&text));
                }
            }
        }
    }
}
