//! A YAML tree that remembers where every node is (1-based line, 1-based
//! byte column), built from `yaml_rust2`'s event parser.
//!
//! Why our own tree: `serde_yaml`/`yaml_rust2::Yaml` drop positions, and they
//! expand aliases by copying, so a "billion laughs" file exhausts memory. Here
//! an alias points at the anchored node (no copy); the nodes an expansion
//! *would* create are still counted against [`Limits::max_expanded`], so a
//! bomb is refused with [`YamlError::TooLarge`] instead of being walked.
//! Nesting deeper than [`Limits::max_depth`] is refused too; the tree is
//! built with an explicit stack, never by recursion.
//!
//! JSON is YAML 1.2 flow style, so JSON manifests parse here as well (tabs,
//! which YAML forbids as indentation but JSON allows, are blanked first).
//! This module knows nothing about Kubernetes.

mod fast;

use std::borrow::Cow;
use std::ops::Range;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Index of a node in [`Tree::nodes`].
pub type NodeId = usize;

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar as written (after unquoting): its text is this range of
    /// the tree's text arena (read it with [`Tree::str`]). `plain` is false
    /// when quoted or a block scalar, so `"true"` is a string, not a
    /// boolean.
    Scalar { text: Range<usize>, plain: bool },
    /// Items in file order: a range of [`Tree::items`] (one arena per tree
    /// rather than a `Vec` per container: a manifest tree has a container
    /// for every few scalars, each an allocation to grow and to free).
    Seq(std::ops::Range<usize>),
    /// Key/value pairs in file order: a range of the tree's pair arena.
    Map(std::ops::Range<usize>),
}

/// One node and its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// 1-based line.
    pub line: usize,
    /// 1-based byte column.
    pub column: usize,
    /// Byte offset of the node's first byte in the input.
    pub offset: usize,
}

/// Parse limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most nodes the aliases of one stream may expand to (on top of the
    /// nodes written out): the "billion laughs" guard.
    pub max_expanded: usize,
    /// Most nodes written out in one stream (about 100 bytes of memory
    /// each); a bigger file is not checked.
    pub max_nodes: usize,
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_expanded: 100_000,
            max_nodes: 2_000_000,
            max_depth: 1_000,
        }
    }
}

/// Why a text yielded no tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlError {
    /// Not valid YAML (a Helm template, say). Position of the problem.
    Syntax { line: usize, column: usize },
    /// Alias expansion would exceed [`Limits::max_expanded`] nodes.
    AliasBomb { line: usize },
    /// More than [`Limits::max_nodes`] nodes.
    TooLarge { line: usize },
    /// Nesting deeper than [`Limits::max_depth`].
    TooDeep { line: usize },
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            YamlError::Syntax { line, column } => write!(f, "{line}:{column}: invalid YAML"),
            YamlError::AliasBomb { line } => write!(
                f,
                "{line}: YAML aliases expand to too many nodes (a \"billion laughs\" file?); not checked"
            ),
            YamlError::TooLarge { line } => {
                write!(f, "{line}: YAML has too many nodes; not checked")
            }
            YamlError::TooDeep { line } => write!(f, "{line}: YAML nested too deeply; not checked"),
        }
    }
}

/// All documents of one YAML stream.
#[derive(Debug, Default, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// Root node of each document, in order.
    pub docs: Vec<NodeId>,
    /// Expanded size of each node (itself plus descendants, aliases
    /// expanded), used for the alias budget.
    sizes: Vec<usize>,
    /// The items of every sequence, each sequence's contiguous.
    item_arena: Vec<NodeId>,
    /// The pairs of every mapping, each mapping's contiguous.
    pair_arena: Vec<(NodeId, NodeId)>,
    /// Room for the line starts of the next text [`parse_selected_into`]
    /// reads: empty between parses (so it never makes two trees differ),
    /// but its memory is kept, as the arenas' is. Growing a fresh vector
    /// for every manifest was a percent of a manifest-heavy scan.
    line_room: Vec<usize>,
    /// The text of every scalar, one after the other. A manifest has a
    /// scalar for every key and value: one buffer instead of a `String`
    /// each saves an allocation, a free and a UTF-8 check per scalar, which
    /// was a seventh of parsing a manifest.
    text_arena: String,
}

/// A parser event as [`Builder`] takes it: yaml_rust2's [`Event`], except
/// that a scalar's text is borrowed from the input where the [`fast`] path
/// read it as written (an unquoted scalar or a quoted one without escapes),
/// and a tag is only marked (the tree keeps no tags).
#[derive(Debug, Clone, PartialEq)]
enum Ev<'t> {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    /// The anchor id referred to.
    Alias(usize),
    /// Text, style, anchor id (0 for none), tagged.
    Scalar(Cow<'t, str>, TScalarStyle, usize, bool),
    /// Anchor id, tagged.
    SequenceStart(usize, bool),
    SequenceEnd,
    /// Anchor id, tagged.
    MappingStart(usize, bool),
    MappingEnd,
    Nothing,
}

impl From<Event> for Ev<'static> {
    fn from(ev: Event) -> Self {
        match ev {
            Event::StreamStart => Ev::StreamStart,
            Event::StreamEnd => Ev::StreamEnd,
            Event::DocumentStart => Ev::DocumentStart,
            Event::DocumentEnd => Ev::DocumentEnd,
            Event::Alias(anchor) => Ev::Alias(anchor),
            Event::Scalar(text, style, anchor, tag) => {
                Ev::Scalar(Cow::Owned(text), style, anchor, tag.is_some())
            }
            Event::SequenceStart(anchor, tag) => Ev::SequenceStart(anchor, tag.is_some()),
            Event::SequenceEnd => Ev::SequenceEnd,
            Event::MappingStart(anchor, tag) => Ev::MappingStart(anchor, tag.is_some()),
            Event::MappingEnd => Ev::MappingEnd,
            Event::Nothing => Ev::Nothing,
        }
    }
}

/// A container being filled.
struct Open {
    id: NodeId,
    anchor: usize,
    /// Where its children start in the build's scratch list (children of
    /// nested containers are interleaved, so they are gathered there and
    /// moved to the arena when the container closes).
    first: usize,
}

/// Byte offset of each line start of a whole stream (index 0 = line 1),
/// found once per stream and shared by its documents.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    line_starts_into(text, &mut starts);
    starts
}

/// [`line_starts`] into `starts` (emptied first).
fn line_starts_into(text: &str, starts: &mut Vec<usize>) {
    starts.clear();
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
}

/// Most line starts a tree keeps room for between parses (8 MB).
const KEPT_LINE_ROOM: usize = 1 << 20;

/// Maps `Marker` char positions to byte positions.
struct Positions<'a> {
    text: &'a str,
    /// Byte offset of each line start of `text` (index 0 = line 1), as
    /// offsets in the whole stream.
    line_starts: &'a [usize],
    /// Offset of `text` in the whole stream.
    base: usize,
    /// The whole text is ASCII, so a column in characters is one in bytes
    /// (the usual manifest: no per-node walk over the line's characters).
    ascii: bool,
}

impl<'a> Positions<'a> {
    /// Positions in `text`, which starts at byte `base` and line
    /// `first_line` of a stream whose line starts are `stream_lines`.
    fn new(text: &'a str, stream_lines: &'a [usize], base: usize, first_line: usize) -> Self {
        // the stream's line starts within text (its end included: a line
        // that starts where the text ends, after a final newline)
        let end = base + text.len();
        let first = (first_line - 1).min(stream_lines.len());
        let count = stream_lines[first..].partition_point(|&s| s <= end);
        Positions {
            text,
            line_starts: &stream_lines[first..first + count],
            base,
            ascii: text.is_ascii(),
        }
    }

    /// (line, 1-based byte column, byte offset) of a marker. Markers count
    /// characters from 0; this converts to bytes.
    fn locate(&self, m: &Marker) -> (usize, usize, usize) {
        self.locate_at(m.line(), m.col())
    }

    /// [`Self::locate`] given the marker's line and character column.
    fn locate_at(&self, line: usize, col: usize) -> (usize, usize, usize) {
        let line = line.max(1);
        let start = self
            .line_starts
            .get(line - 1)
            .map_or(self.text.len(), |s| s - self.base);
        let rest = &self.text[start..];
        let byte_col = if self.ascii {
            // what the walk below gives when every character is one byte
            col.min(rest.len())
        } else {
            rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
        };
        (line, byte_col + 1, start + byte_col)
    }
}

/// Like [`parse`], but when the stream is not valid YAML as a whole, each
/// document (split at `---` lines) is parsed on its own and the valid ones
/// are kept: one templated document in a rendered chart must not hide the
/// others. Positions stay those of the whole text. Fails with the first
/// error only when no document parses; limit errors are never retried.
pub fn parse_lenient(text: &str, limits: Limits) -> Result<Tree, YamlError> {
    lenient(text, &line_starts(text), limits)
}

/// [`parse_lenient`] given the text's [`line_starts`].
fn lenient(text: &str, lines: &[usize], limits: Limits) -> Result<Tree, YamlError> {
    let mut tree = Tree::default();
    lenient_into(&mut tree, text, lines, limits)?;
    Ok(tree)
}

/// [`lenient`] into an empty `tree`.
fn lenient_into(
    tree: &mut Tree,
    text: &str,
    lines: &[usize],
    limits: Limits,
) -> Result<(), YamlError> {
    let first = match parse_into(tree, text, lines, limits, 0, 1, true) {
        Ok(()) => return Ok(()),
        Err(e @ YamlError::Syntax { .. }) => e,
        Err(limit) => return Err(limit),
    };
    let starts = document_starts(text, lines);
    if starts.len() == 1 {
        // one document: parsing it again on its own would fail the same way
        // (a Helm template, typically)
        return Err(first);
    }
    let mut any = false;
    for (start, end, line) in document_spans(text, &starts) {
        match parse_into(tree, &text[start..end], lines, limits, start, line, true) {
            Ok(()) => any = true,
            Err(YamlError::Syntax { .. }) => continue,
            Err(limit) => return Err(limit),
        }
    }
    if any { Ok(()) } else { Err(first) }
}

/// Like [`parse_lenient`], but only the documents `keep` accepts (given
/// each document's text) are parsed; the others cost one look at their
/// bytes. A chart or a rendered manifest is mostly Services, ConfigMaps,
/// RBAC and CustomResourceDefinitions (often megabytes of schema) that no
/// check reads, and parsing is the costly part of the manifest checks.
/// When every document is kept this is exactly `parse_lenient`. When none
/// is, the tree is empty.
pub fn parse_selected(
    text: &str,
    limits: Limits,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Tree, YamlError> {
    let mut tree = Tree::default();
    parse_selected_into(&mut tree, text, limits, keep)?;
    Ok(tree)
}

/// [`parse_selected`] into `tree`, which is emptied first but keeps its
/// memory: a worker reuses one tree for every manifest it reads, so its
/// arenas are not grown from nothing (and fresh pages faulted in) for each.
pub fn parse_selected_into(
    tree: &mut Tree,
    text: &str,
    limits: Limits,
    keep: &dyn Fn(&str) -> bool,
) -> Result<(), YamlError> {
    tree.clear();
    let mut lines = std::mem::take(&mut tree.line_room);
    line_starts_into(text, &mut lines);
    let result = parse_selected_lines(tree, text, &lines, limits, keep);
    if lines.capacity() <= KEPT_LINE_ROOM {
        lines.clear();
        tree.line_room = lines;
    }
    result
}

/// [`parse_selected_into`] given the text's [`line_starts`].
fn parse_selected_lines(
    tree: &mut Tree,
    text: &str,
    lines: &[usize],
    limits: Limits,
    keep: &dyn Fn(&str) -> bool,
) -> Result<(), YamlError> {
    let starts = document_starts(text, lines);
    let kept: Vec<bool> = document_spans(text, &starts)
        .map(|(s, e, _)| keep(&text[s..e]))
        .collect();
    if kept.iter().all(|&k| k) {
        return lenient_into(tree, text, lines, limits);
    }
    for ((start, end, line), _) in document_spans(text, &starts)
        .zip(&kept)
        .filter(|(_, k)| **k)
    {
        match parse_into(tree, &text[start..end], lines, limits, start, line, true) {
            Ok(()) => {}
            Err(YamlError::Syntax { .. }) => continue,
            Err(limit) => return Err(limit),
        }
    }
    Ok(())
}

/// (start, end, first line) of each document, from [`document_starts`].
fn document_spans<'a>(
    text: &'a str,
    starts: &'a [(usize, usize)],
) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
    starts.iter().enumerate().map(move |(i, &(start, line))| {
        let end = starts.get(i + 1).map_or(text.len(), |&(s, _)| s);
        (start, end, line)
    })
}

/// (byte offset, 1-based line) where each document starts: 0, then every
/// line that begins with `---`.
fn document_starts(text: &str, lines: &[usize]) -> Vec<(usize, usize)> {
    let mut starts = vec![(0, 1)];
    let bytes = text.as_bytes();
    for (i, &s) in lines.iter().enumerate().skip(1) {
        if bytes[s..].starts_with(b"---") {
            starts.push((s, i + 1));
        }
    }
    starts
}

/// Test support (unit tests, the `yaml_fast` fuzz target, the corpus
/// check): parses `text` with the [`fast`] path alone and with yaml_rust2
/// alone, and says whether the fast path took it (`Ok(true)`), fell back
/// (`Ok(false)`), or disagreed with yaml_rust2 (`Err`, described): an
/// accepted text must be one yaml_rust2 accepts, with the same events at
/// the same positions. The trees `parse` builds with and without the fast
/// path are compared too (same tree, or same error).
#[doc(hidden)]
pub fn fast_path_check(text: &str, limits: Limits) -> Result<bool, String> {
    let mut fast_events = Vec::new();
    let outcome = fast::parse(text, |ev, m| {
        fast_events.push((ev, m.line, m.col));
        true
    });
    if outcome == fast::Outcome::Accepted {
        let mut parser = Parser::new_from_str(text);
        let mut reference = Vec::new();
        loop {
            match parser.next_token() {
                Ok((ev, m)) => {
                    let end = ev == Event::StreamEnd;
                    reference.push((Ev::from(ev), m.line(), m.col()));
                    if end {
                        break;
                    }
                }
                Err(e) => return Err(format!("fast path accepted what yaml_rust2 rejects: {e}")),
            }
        }
        // the stream and document events make no node: their markers do
        // not matter
        fn key<'a>((ev, line, col): &(Ev<'a>, usize, usize)) -> (Ev<'a>, usize, usize) {
            match ev {
                Ev::StreamStart | Ev::StreamEnd | Ev::DocumentStart | Ev::DocumentEnd => {
                    (ev.clone(), 0, 0)
                }
                _ => (ev.clone(), *line, *col),
            }
        }
        let (fast, reference): (Vec<_>, Vec<_>) = (
            fast_events.iter().map(key).collect(),
            reference.iter().map(key).collect(),
        );
        if let Some(i) =
            (0..fast.len().max(reference.len())).find(|&i| fast.get(i) != reference.get(i))
        {
            return Err(format!(
                "event {i}: fast path {:?}, yaml_rust2 {:?}",
                fast.get(i),
                reference.get(i)
            ));
        }
    }
    let lines = line_starts(text);
    let (mut with, mut without) = (Tree::default(), Tree::default());
    let a = parse_into(&mut with, text, &lines, limits, 0, 1, true);
    let b = parse_into(&mut without, text, &lines, limits, 0, 1, false);
    if a != b || (a.is_ok() && with != without) {
        return Err(format!(
            "trees differ: with the fast path {a:?} {with:?}, without {b:?} {without:?}"
        ));
    }
    Ok(outcome != fast::Outcome::Fallback)
}

/// Parses every document of `text`.
pub fn parse(text: &str, limits: Limits) -> Result<Tree, YamlError> {
    let mut tree = Tree::default();
    parse_into(&mut tree, text, &line_starts(text), limits, 0, 1, true)?;
    Ok(tree)
}

/// Parses every document of `text` (which starts at byte `start`, line
/// `first_line` of the whole stream, whose [`line_starts`] are `lines`) and
/// adds them to `tree` with positions of the whole stream: no second tree
/// to copy and renumber. On error the tree is left as it was. Limits count
/// this text's nodes only, and error lines are relative to `text`. The
/// byte-oriented [`fast`] path is tried first when `try_fast` (the
/// differential tests turn it off to get the reference tree).
fn parse_into(
    tree: &mut Tree,
    text: &str,
    lines: &[usize],
    limits: Limits,
    start: usize,
    first_line: usize,
    try_fast: bool,
) -> Result<(), YamlError> {
    let blanked;
    let text = if text.trim_start().starts_with(['{', '[']) && text.contains('\t') {
        // JSON allows tabs as whitespace where YAML does not; inside a JSON
        // string a tab must be escaped, so blanking them changes no value
        // and keeps every byte offset.
        blanked = text.replace('\t', " ");
        blanked.as_str()
    } else {
        text
    };
    let pos = Positions::new(text, lines, start, first_line);
    let mark = tree.checkpoint();
    if try_fast {
        let mut b = Builder::new(tree, &pos, limits, start, first_line);
        // any builder error (a limit) also means "fall back": the reference
        // parser decides what the error is and where
        match fast::parse(text, |ev, m| b.event(tree, ev, m.line, m.col).is_ok()) {
            fast::Outcome::Accepted => return Ok(()),
            fast::Outcome::Fallback => tree.rewind(&mark),
            fast::Outcome::Invalid(m) => {
                tree.rewind(&mark);
                let (line, column, _) = pos.locate_at(m.line, m.col);
                return Err(YamlError::Syntax { line, column });
            }
        }
    }
    let mut b = Builder::new(tree, &pos, limits, start, first_line);
    let mut parser = Parser::new_from_str(text);
    let result = loop {
        let (ev, m) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => {
                let (line, column, _) = pos.locate(e.marker());
                break Err(YamlError::Syntax { line, column });
            }
        };
        match b.event(tree, Ev::from(ev), m.line(), m.col()) {
            Ok(true) => break Ok(()),
            Ok(false) => {}
            Err(e) => break Err(e),
        }
    };
    if result.is_err() {
        tree.rewind(&mark);
    }
    result
}

/// Where [`parse_into`] stood before a parse: what to truncate back to.
struct Checkpoint {
    nodes: usize,
    docs: usize,
    items: usize,
    pairs: usize,
    text: usize,
}

/// Turns parser events into [`Tree`] nodes. Both the yaml_rust2 path and
/// the [`fast`] path feed it, so the tree (positions, arenas, limits) is
/// built by one piece of code whichever parser read the text.
struct Builder<'p, 't> {
    pos: &'p Positions<'t>,
    limits: Limits,
    start: usize,
    first_line: usize,
    /// Nodes in the tree before this text: limits count this text's only.
    base: usize,
    stack: Vec<Open>,
    scratch: Vec<NodeId>,
    anchors: std::collections::HashMap<usize, NodeId>,
    expanded: usize,
}

impl<'p, 't> Builder<'p, 't> {
    fn new(
        tree: &Tree,
        pos: &'p Positions<'t>,
        limits: Limits,
        start: usize,
        first_line: usize,
    ) -> Self {
        Builder {
            pos,
            limits,
            start,
            first_line,
            base: tree.nodes.len(),
            stack: Vec::new(),
            scratch: Vec::new(),
            anchors: Default::default(),
            expanded: 0,
        }
    }

    /// Adds one event found at `m_line` (1-based) and `m_col` (0-based,
    /// in characters), as yaml_rust2 reports positions. True at the end of
    /// the stream.
    fn event(
        &mut self,
        tree: &mut Tree,
        ev: Ev<'_>,
        m_line: usize,
        m_col: usize,
    ) -> Result<bool, YamlError> {
        let (line, column, offset) = self.pos.locate_at(m_line, m_col);
        let (first_line, start) = (self.first_line, self.start);
        let node = |value| Node {
            value,
            line: line + first_line - 1,
            column,
            offset: offset + start,
        };
        let (stack, scratch) = (&mut self.stack, &mut self.scratch);
        match ev {
            Ev::StreamEnd => {
                tree.seal_all(stack, scratch);
                return Ok(true);
            }
            Ev::DocumentStart => {
                self.anchors.clear();
                tree.seal_all(stack, scratch);
            }
            Ev::Scalar(text, style, anchor, _) => {
                let plain = style == TScalarStyle::Plain;
                let text = tree.add_text(&text);
                let id = tree.push(node(Value::Scalar { text, plain }), 1);
                if anchor > 0 {
                    self.anchors.insert(anchor, id);
                }
                tree.attach(stack, scratch, id);
            }
            Ev::Alias(anchor) => {
                let id = match self.anchors.get(&anchor) {
                    Some(&target) => {
                        self.expanded = self.expanded.saturating_add(tree.sizes[target]);
                        target
                    }
                    // an unknown anchor is a syntax error in YAML; the
                    // parser reports it, but be safe: treat it as null
                    None => tree.push(
                        node(Value::Scalar {
                            text: 0..0,
                            plain: true,
                        }),
                        1,
                    ),
                };
                tree.attach(stack, scratch, id);
            }
            Ev::SequenceStart(anchor, _) | Ev::MappingStart(anchor, _) => {
                if stack.len() >= self.limits.max_depth {
                    return Err(YamlError::TooDeep { line });
                }
                let value = match ev {
                    Ev::SequenceStart(..) => Value::Seq(0..0),
                    _ => Value::Map(0..0),
                };
                let id = tree.push(node(value), 1);
                stack.push(Open {
                    id,
                    anchor,
                    first: scratch.len(),
                });
            }
            Ev::SequenceEnd | Ev::MappingEnd => {
                if let Some(open) = stack.pop() {
                    tree.seal(&open, scratch);
                    if open.anchor > 0 {
                        self.anchors.insert(open.anchor, open.id);
                    }
                    tree.attach(stack, scratch, open.id);
                }
            }
            Ev::DocumentEnd | Ev::StreamStart | Ev::Nothing => {}
        }
        if self.expanded > self.limits.max_expanded {
            return Err(YamlError::AliasBomb { line });
        }
        if tree.nodes.len() - self.base > self.limits.max_nodes {
            return Err(YamlError::TooLarge { line });
        }
        Ok(false)
    }
}

impl Tree {
    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            nodes: self.nodes.len(),
            docs: self.docs.len(),
            items: self.item_arena.len(),
            pairs: self.pair_arena.len(),
            text: self.text_arena.len(),
        }
    }

    /// Empties the tree, keeping its memory.
    pub fn clear(&mut self) {
        self.rewind(&Checkpoint {
            nodes: 0,
            docs: 0,
            items: 0,
            pairs: 0,
            text: 0,
        });
    }

    /// Nodes the tree has room for without growing.
    pub fn capacity(&self) -> usize {
        self.nodes.capacity()
    }

    /// Drops everything added since `mark`.
    fn rewind(&mut self, mark: &Checkpoint) {
        self.nodes.truncate(mark.nodes);
        self.sizes.truncate(mark.nodes);
        self.docs.truncate(mark.docs);
        self.item_arena.truncate(mark.items);
        self.pair_arena.truncate(mark.pairs);
        self.text_arena.truncate(mark.text);
    }

    /// Appends a scalar's text to the arena; where it now stands.
    fn add_text(&mut self, text: &str) -> Range<usize> {
        let start = self.text_arena.len();
        self.text_arena.push_str(text);
        start..self.text_arena.len()
    }

    fn push(&mut self, node: Node, size: usize) -> NodeId {
        self.nodes.push(node);
        self.sizes.push(size);
        self.nodes.len() - 1
    }

    /// Adds `child` to the innermost open container (to its children in
    /// `scratch`), or makes it a document root when nothing is open (a
    /// scalar document).
    fn attach(&mut self, stack: &[Open], scratch: &mut Vec<NodeId>, child: NodeId) {
        let child_size = self.sizes[child];
        let Some(open) = stack.last() else {
            self.docs.push(child);
            return;
        };
        scratch.push(child);
        // a container's size is final when it closes, which is when it is
        // attached here and when an alias may first refer to it
        self.sizes[open.id] = self.sizes[open.id].saturating_add(child_size);
    }

    /// Moves the children of a closing container from `scratch` (where
    /// they are the last entries) to the arena. A mapping's children
    /// alternate key, value; a key left without a value is dropped.
    fn seal(&mut self, open: &Open, scratch: &mut Vec<NodeId>) {
        let children = &scratch[open.first..];
        match &mut self.nodes[open.id].value {
            Value::Seq(range) => {
                let start = self.item_arena.len();
                self.item_arena.extend_from_slice(children);
                *range = start..self.item_arena.len();
            }
            Value::Map(range) => {
                let start = self.pair_arena.len();
                self.pair_arena
                    .extend(children.chunks_exact(2).map(|kv| (kv[0], kv[1])));
                *range = start..self.pair_arena.len();
            }
            Value::Scalar { .. } => {}
        }
        scratch.truncate(open.first);
    }

    /// Seals every container still open (innermost first), keeping the
    /// children they got, without attaching them anywhere.
    fn seal_all(&mut self, stack: &mut Vec<Open>, scratch: &mut Vec<NodeId>) {
        while let Some(open) = stack.pop() {
            self.seal(&open, scratch);
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// The scalar text of `id`, if it is a scalar.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].value {
            Value::Scalar { text, .. } => Some(&self.text_arena[text.clone()]),
            _ => None,
        }
    }

    /// True for a YAML null (`~`, `null`, empty) or a missing node.
    pub fn is_null(&self, id: NodeId) -> bool {
        matches!(
            self.plain_str(id),
            Some("" | "~" | "null" | "Null" | "NULL")
        )
    }

    /// The text of `id` if it is a plain (unquoted, not block) scalar.
    pub fn plain_str(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].value {
            Value::Scalar { text, plain: true } => Some(&self.text_arena[text.clone()]),
            _ => None,
        }
    }

    /// A boolean as Kubernetes' YAML reader (YAML 1.1) reads it: plain
    /// `true`/`yes`/`on` (any of three casings) and their opposites.
    pub fn bool(&self, id: NodeId) -> Option<bool> {
        match self.plain_str(id)? {
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
                Some(true)
            }
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n"
            | "N" => Some(false),
            _ => None,
        }
    }

    /// An integer scalar (plain), e.g. a port or a uid.
    pub fn int(&self, id: NodeId) -> Option<i64> {
        self.plain_str(id).and_then(|text| text.trim().parse().ok())
    }

    /// Items of a sequence (empty for anything else).
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match &self.nodes[id].value {
            Value::Seq(range) => &self.item_arena[range.clone()],
            _ => &[],
        }
    }

    /// Pairs of a mapping (empty for anything else).
    pub fn pairs(&self, id: NodeId) -> &[(NodeId, NodeId)] {
        match &self.nodes[id].value {
            Value::Map(range) => &self.pair_arena[range.clone()],
            _ => &[],
        }
    }

    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.nodes[id].value, Value::Map(_))
    }

    /// The (key node, value node) for `key` in mapping `map`, honouring YAML
    /// merge keys (`<<: *base`) the way Kubernetes' YAML reader does: an
    /// explicit key wins over a merged one. Of duplicate keys the last wins,
    /// as in JSON decoding, so `privileged: false` followed by
    /// `privileged: true` is privileged. Merges are followed at most 8
    /// levels deep.
    pub fn entry(&self, map: NodeId, key: &str) -> Option<(NodeId, NodeId)> {
        self.entry_depth(map, key, 0)
    }

    fn entry_depth(&self, map: NodeId, key: &str, depth: usize) -> Option<(NodeId, NodeId)> {
        let pairs = self.pairs(map);
        // one pass for the key and for whether there is a merge key at all
        let mut merges = false;
        for &(k, v) in pairs.iter().rev() {
            match self.str(k) {
                Some(s) if s == key => return Some((k, v)),
                Some("<<") => merges = true,
                _ => {}
            }
        }
        if !merges || depth >= 8 {
            return None;
        }
        for &(k, v) in pairs {
            if self.str(k) == Some("<<") {
                let sources: &[NodeId] = match &self.nodes[v].value {
                    Value::Map(_) => std::slice::from_ref(&v),
                    Value::Seq(_) => self.items(v),
                    Value::Scalar { .. } => &[],
                };
                for &s in sources {
                    if let Some(found) = self.entry_depth(s, key, depth + 1) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }

    /// The value for `key` in mapping `map`, `None` when absent or null.
    pub fn get(&self, map: NodeId, key: &str) -> Option<NodeId> {
        self.entry(map, key)
            .map(|(_, v)| v)
            .filter(|&v| !self.is_null(v))
    }

    /// Follows a dotted path of keys: `get_path(pod, &["spec", "os", "name"])`.
    pub fn get_path(&self, mut node: NodeId, path: &[&str]) -> Option<NodeId> {
        for key in path {
            node = self.get(node, key)?;
        }
        Some(node)
    }

    /// The scalar at `path` under `node`.
    pub fn str_at(&self, node: NodeId, path: &[&str]) -> Option<&str> {
        self.get_path(node, path).and_then(|n| self.str(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_and_byte_columns() {
        let t = parse("a: 1\nbé: [x, \"y\"]\n", Limits::default()).unwrap();
        let root = t.docs[0];
        let (k, v) = t.entry(root, "bé").unwrap();
        assert_eq!((t.node(k).line, t.node(k).column), (2, 1));
        let y = t.items(v)[1];
        assert_eq!(t.str(y), Some("y"));
        // "bé: [x, " is 9 bytes (é is two)
        assert_eq!((t.node(y).line, t.node(y).column), (2, 10));
        assert_eq!(t.node(y).offset, 5 + 9);
    }

    #[test]
    fn multi_documents_and_scalars() {
        let t = parse("---\nkind: A\n---\nkind: B\n...\n", Limits::default()).unwrap();
        assert_eq!(t.docs.len(), 2);
        assert_eq!(t.str_at(t.docs[1], &["kind"]), Some("B"));
        assert_eq!(t.node(t.docs[1]).line, 4);
    }

    #[test]
    fn typing_follows_yaml_1_1_and_quotes() {
        let t = parse(
            "a: true\nb: \"true\"\nc: on\nd: 0\ne: ~\n",
            Limits::default(),
        )
        .unwrap();
        let r = t.docs[0];
        assert_eq!(t.get(r, "a").and_then(|n| t.bool(n)), Some(true));
        assert_eq!(t.get(r, "b").and_then(|n| t.bool(n)), None);
        assert_eq!(t.get(r, "c").and_then(|n| t.bool(n)), Some(true));
        assert_eq!(t.get(r, "d").and_then(|n| t.int(n)), Some(0));
        assert_eq!(t.get(r, "e"), None);
        assert!(t.entry(r, "e").is_some());
    }

    #[test]
    fn crlf_and_bom_keep_positions() {
        let t = parse("a: 1\r\nb:\r\n  c: [x]\r\n", Limits::default()).unwrap();
        let (k, v) = t
            .get_path(t.docs[0], &["b"])
            .and_then(|b| t.entry(b, "c"))
            .unwrap();
        assert_eq!((t.node(k).line, t.node(k).column), (3, 3));
        assert_eq!(
            (t.node(t.items(v)[0]).line, t.node(t.items(v)[0]).column),
            (3, 7)
        );
        let t = parse("\u{feff}a: 1\nb: 2\n", Limits::default()).unwrap();
        let (k, _) = t.entry(t.docs[0], "b").unwrap();
        assert_eq!((t.node(k).line, t.node(k).column), (2, 1));
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let t = parse("a: 1\na: 2\n", Limits::default()).unwrap();
        assert_eq!(t.str_at(t.docs[0], &["a"]), Some("2"));
    }

    #[test]
    fn aliases_and_merge_keys() {
        let t = parse(
            "base: &b {privileged: true}\nc: *b\nd:\n  <<: *b\n  x: 1\n",
            Limits::default(),
        )
        .unwrap();
        let r = t.docs[0];
        assert_eq!(t.str_at(r, &["c", "privileged"]), Some("true"));
        assert_eq!(t.str_at(r, &["d", "privileged"]), Some("true"));
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(matches!(
            parse(&s, Limits::default()),
            Err(YamlError::AliasBomb { .. })
        ));
        let small = Limits {
            max_nodes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            parse("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", small),
            Err(YamlError::TooLarge { line: 1 })
        ));
        // a legitimate alias is fine
        assert!(parse("a: &x [1, 2]\nb: *x\n", Limits::default()).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        // block nesting: the parser follows it, our limit stops it
        let mut s = String::new();
        for i in 0..1_500 {
            s.push_str(&" ".repeat(i));
            s.push_str("a:\n");
        }
        assert!(matches!(
            parse(&s, Limits::default()),
            Err(YamlError::TooDeep { line: 1001 })
        ));
        // flow nesting: the parser itself refuses it
        let s = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
        assert!(parse(&s, Limits::default()).is_err());
    }

    #[test]
    fn templates_are_syntax_errors() {
        let s = "spec:\n  replicas: {{ .Values.replicas }}\n  x: {{- if .Values.y }}\n";
        assert!(matches!(
            parse(s, Limits::default()),
            Err(YamlError::Syntax { .. })
        ));
    }

    #[test]
    fn lenient_parse_keeps_the_valid_documents() {
        let s = "kind: A\n---\nkind: {{ .Values.x }}\nb: [\n---\nkind: C\nx: 1\n";
        assert!(parse(s, Limits::default()).is_err());
        let t = parse_lenient(s, Limits::default()).unwrap();
        assert_eq!(t.docs.len(), 2);
        assert_eq!(t.str_at(t.docs[1], &["kind"]), Some("C"));
        let (k, _) = t.entry(t.docs[1], "x").unwrap();
        assert_eq!((t.node(k).line, t.node(k).column), (7, 1));
        assert_eq!(t.node(k).offset, s.find("x: 1").unwrap());
        assert!(parse_lenient("a: [\n", Limits::default()).is_err());
    }

    /// Mangled manifests (bytes dropped, duplicated, swapped for YAML
    /// punctuation) never panic, whatever the parser makes of them.
    #[test]
    fn mangled_input_never_panics() {
        let base = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: b}}\nspec:\n  securityContext: {sysctls: [{name: x}], seccompProfile: {type: x}}\n  volumes: [{name: v, hostPath: {path: /}}]\n  containers:\n  - name: c\n    securityContext: {capabilities: {add: [X], drop: [ALL]}, privileged: true}\n    ports: [{hostPort: 1}]\n    image: \"x:1\"\n    args: [a, 'b', &x c, *x]\n    env:\n    - {name: A, value: |\n        multi\n      }\n---\n- [1, {2: 3}]\n...\n";
        let punct = b":-[]{}&*!|>'\"%@`#,?\n\t ";
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..3_000 {
            let mut b = base.as_bytes().to_vec();
            for _ in 0..rng.usize(1..6) {
                let i = rng.usize(..b.len());
                match rng.u8(..3) {
                    0 => {
                        b.remove(i);
                    }
                    1 => b.insert(i, punct[rng.usize(..punct.len())]),
                    _ => b[i] = punct[rng.usize(..punct.len())],
                }
            }
            if let Ok(text) = std::str::from_utf8(&b)
                && let Ok(t) = parse_lenient(text, Limits::default())
            {
                use crate::detectors::k8s::{hygiene, objects, pss};
                for o in objects::objects(&t) {
                    let mut issues = Vec::new();
                    if let Some(p) = objects::pod_spec(&t, &o) {
                        pss::check_pod(&t, &p, &mut issues);
                        hygiene::check_pod(&t, &p, &mut issues);
                    }
                    hygiene::check_object(&t, &o, &mut issues);
                }
            }
        }
    }

    #[test]
    fn json_with_tabs() {
        let t = parse(
            "{\n\t\"kind\": \"Pod\",\n\t\"a\": [1]\n}\n",
            Limits::default(),
        )
        .unwrap();
        let (k, _) = t.entry(t.docs[0], "kind").unwrap();
        assert_eq!((t.node(k).line, t.node(k).column), (2, 2));
    }
}

/// The fast path against yaml_rust2, snippet by snippet: same events and
/// positions, same tree, and it takes (or leaves) exactly what it should.
#[cfg(test)]
mod fast_tests {
    use super::*;

    fn check(s: &str) -> bool {
        match fast_path_check(s, Limits::default()) {
            Ok(taken) => taken,
            Err(e) => panic!("{s:?}: {e}"),
        }
    }

    /// Texts the fast path must read itself (and read as yaml_rust2 does).
    const TAKEN: &[&str] = &[
        "",
        "\n\n",
        "# only a comment\n",
        "# c1\n  # c2\n",
        "a: 1\n",
        "a: 1",
        "a: 1\nb: two words\nc: 'single'\nd: \"double\"\n",
        "a:\n",
        "a:",
        "a:\n  ",
        "a:\n  b:\n    c: 1\n  ",
        "a:\n  b:\n    c:\n ",
        "a: 1\r\nb:\r\n  c: [x]\r\n",
        "a: 1\r\nb:\r\n",
        "---\n",
        "---",
        "--- \n",
        "--- # comment\na: 1\n",
        "---\n---\n",
        "a: 1\n---\n",
        "a: 1\n---",
        "# lead\n---\na: 1\n---\nb: 2\n",
        "---\na: 1\n--- \nb:\n---\n- x\n",
        "a: 1 # comment\nb: x#y\nc: 'q' # c\nd: \"q\"   # c\n",
        "key:value: 1\n",
        "- key:value\n- a:b:c\n",
        "a: b:c\nd: http://x:80/y\n",
        "url: http://example.com/#frag\n",
        "- - x\n  - y\n- z\n",
        "- - - deep\n",
        "-\n- x\n-\n",
        "- # c\n- x\n",
        "-\n  a: 1\n-\n  - y\n",
        "a:\n- x\n- y\nb: 1\n",
        "a:\n-\n- x\n",
        "a:\n- x\n-\nb:\n",
        "a:\n  - x\n  - y\n",
        "- a: 1\n  b: 2\n- c: 3\n",
        "- a:\n  - x\n  b: 1\n",
        "- a:\n    b: 1\n  c: 2\n",
        "-   a: 1\n    b:\n",
        "a:\n  b:\n    c:\n      d: 1\ne: 2\n",
        "  a: 1\n  b: 2\n",
        "a:\n    b: 1\n    c:\n  # comment\n    d: 2\n",
        "\"quoted key\": 1\n'single key': x\n\"\": empty\n",
        "- \"a\": 1\n  'b': 2\n",
        "a: 'it''s'\nb: \"x \\\"y\\\" \\\\ \\n \\t \\u00e9 \\x41 \\/\"\n",
        "a: '#not a comment'\nb: \"a: b\"\n",
        "a: \"  spaced  \"\nb: '  x  '\n",
        "a: [x, \"y\", 'z']\nb: []\nc: {}\nd: {k: v, k2: \"v2\"}\n",
        "a: [ x , y ]\nb: {a: [1, 2], b: {c: d}}\nc: [[a], [b, c]]\n",
        "- [a, b]\n- {a: b}\n",
        "command: [\"sh\", \"-c\", \"echo hi\"]\nargs: [-v, --x=1, a b]\n",
        "resources:\n  limits: {cpu: 500m, memory: 1764Mi}\n",
        "[a, b]\n",
        "{a: b}\n",
        "plain root\n",
        "'quoted root'\n",
        "a: ---\nb: ...\nc: -1\nd: ?x\ne: :x\n",
        "---x: 1\n",
        "a: b   \nc:    d\n",
        "a: null\nb: ~\nc: true\n",
        "<<: 1\n",
        "a  : 1\n",
        "a:\n- b: 1\n  c: 2\nd: 3\n",
        "- a:\n  - x\n- b\n",
        "a: [a:b, c]\n",
        "a: {a: b c}\n",
        "k: v\n\n\n# trailing\n",
    ];

    /// Texts outside the subset: the fast path must leave them to yaml_rust2.
    const FALLBACK: &[&str] = &[
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "? a\n: b\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "a: multi\n  line\n",
        "a:\n  plain on its own line\n",
        "- x\n  continued\n",
        "a: [x,\n  y]\n",
        "a: 'open\n  quote'\n",
        "a:\t1\n",
        "\ta: 1\n",
        "a: é\n",
        "\u{feff}a: 1\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n",
        "a: b: c\n",
        "a: - x\n",
        "- x\na: 1\n",
        "a: 1\n- x\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: 1\nb\n",
        "a: \"x\\q\"\n",
        "a: \"x\" y\n",
        "a: \"x\"#c\n",
        "a: [x]y\n",
        "a: [x, ]\n",
        "a: [x: y]\n",
        "a: {x}\n",
        "a: {\"x\":y}\n",
        "a: 1\rb: 2\n",
        "a: 1\0\n",
        "a: @x\n",
        "a: `x`\n",
        "[a]: b\n",
        "--- a: 1\n",
        "plain root\nsecond line\n",
        "a: 1\nb: [x # c\n  ]\n",
        "a: [-]\n",
        "a: [x -]\n",
    ];

    #[test]
    fn fast_path_takes_the_subset_exactly() {
        for s in TAKEN {
            assert!(check(s), "fast path did not take {s:?}");
        }
    }

    #[test]
    fn fast_path_falls_back_outside_the_subset() {
        for s in FALLBACK {
            assert!(!check(s), "fast path took {s:?}");
        }
    }

    /// Every way of cutting a manifest short, and the same with CRLF line
    /// ends: wherever the text stops, the fast path agrees (or falls back).
    #[test]
    fn fast_path_on_every_prefix() {
        let base = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {a: b}\nspec:\n  containers:\n  - name: c\n    image: \"x:1\"\n    args: [a, 'b']\n    env:\n    -\n    - name: A\n      value:\n    securityContext:\n      capabilities:\n        drop: [ALL]\n---\n- - x\n  -\n";
        for text in [base.to_string(), base.replace('\n', "\r\n")] {
            for i in 0..=text.len() {
                check(&text[..i]);
            }
        }
    }

    /// Helm chart templates: the fast path reads `{{ … }}` values through
    /// yaml_rust2 line by line and refuses the text at the first `{{-`
    /// where a token starts, with yaml_rust2's own error and position.
    #[test]
    fn helm_templates_are_refused_where_yaml_rust2_refuses_them() {
        let template = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"x.fullname\" . }}\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\nspec:\n  {{- if not .Values.autoscaling.enabled }}\n  replicas: {{ .Values.replicaCount }}\n  {{- end }}\n";
        let refused = [
            template,
            "a:\n  {{- x }}\n",
            "a: {{- x }}\n",
            "- {{- x }}\n",
            "a: 1\n{{- if x }}\nb: 2\n",
            "a:\n  b: 1\n  {{- end }}\n",
            "a:\n-\n  {{-\n",
            "a: {{ .Values.x }}\nb:\n  {{- toYaml .Values.y | nindent 2 }}\n",
        ];
        for s in refused {
            assert!(check(s), "fast path did not decide {s:?}");
            assert!(
                matches!(parse(s, Limits::default()), Err(YamlError::Syntax { .. })),
                "{s:?}"
            );
        }
        // the same bytes where no token starts are text, or another error
        let not_refused = [
            // inside a plain scalar that continues from the line before
            "a: b\n  {{- x }}\n",
            // inside quotes, a comment, a block scalar
            "a: \"{{- x }}\"\n",
            "a: 1 # {{- x }}\n",
            "a: |\n  {{- x }}\n",
            // not followed by a blank
            "a: {{-x }}\n",
        ];
        for s in not_refused {
            check(s);
        }
        // `{{ … }}` values: the same events as yaml_rust2 gives
        for s in [
            "a: {{ .Values.x }}\n",
            "a: {{ include \"x.name\" . }}\nb: 1\n",
            "- {{ x }} # c\n- 2\n",
            "a:\n  b: {{ x }}\n  c: {{ y }}\n",
        ] {
            assert!(check(s), "fast path did not take {s:?}");
            assert!(parse(s, Limits::default()).is_ok(), "{s:?}");
        }
        // a Helm value that is not one flow mapping on its own: left alone
        for s in [
            "a: {{ x }}: b\n",
            "a: {{ x }}-suffix\n",
            "a: {{ x\n  }}\n",
            "a: {{ &k x }}\n",
            "a: {{ !t x }}\n",
            "a: {{ x }} {{ y }}\n",
        ] {
            check(s);
        }
    }

    /// A worker's tree is reused: what it held before leaves no trace.
    #[test]
    fn a_reused_tree_equals_a_fresh_one() {
        let texts = [
            "a: 1\nb: [x, y]\n---\nc: {d: e}\n",
            "kind: Pod\nspec:\n  containers:\n  - name: c\n",
            "a: {{- x }}\n",
            "- &a [1, 2]\n- *a\n",
            "",
        ];
        let all = |_: &str| true;
        let mut reused = Tree::default();
        for first in texts {
            for second in texts {
                let _ = parse_selected_into(&mut reused, first, Limits::default(), &all);
                let again = parse_selected_into(&mut reused, second, Limits::default(), &all);
                let fresh = parse_selected(second, Limits::default(), &all);
                assert_eq!(
                    again.clone().err(),
                    fresh.as_ref().err().cloned(),
                    "{second:?}"
                );
                if let Ok(fresh) = fresh {
                    assert_eq!(reused, fresh, "{first:?} then {second:?}");
                }
            }
        }
    }

    #[test]
    fn limits_are_the_same_with_the_fast_path() {
        let mut s = String::new();
        for i in 0..1_500 {
            s.push_str(&" ".repeat(i));
            s.push_str("a:\n");
        }
        assert_eq!(
            parse(&s, Limits::default()).err(),
            Some(YamlError::TooDeep { line: 1001 })
        );
        check(&s);
        let small = Limits {
            max_nodes: 10,
            ..Limits::default()
        };
        let s = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\n";
        assert_eq!(parse(s, small).err(), Some(YamlError::TooLarge { line: 5 }));
        assert!(fast_path_check(s, small).is_ok());
    }

    /// The shared conformance data and our fixtures, file by file.
    #[test]
    fn fast_path_on_conformance_and_fixtures() {
        let mut files = Vec::new();
        for dir in ["../shared/conformance", "fixtures"] {
            let mut stack = vec![std::path::PathBuf::from(dir)];
            while let Some(d) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in entries.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                        files.push(p);
                    }
                }
            }
        }
        let mut taken = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            match fast_path_check(&text, Limits::default()) {
                Ok(t) => taken += usize::from(t),
                Err(e) => panic!("{}: {e}", f.display()),
            }
        }
        assert!(!files.is_empty());
        eprintln!("fast path took {taken} of {} files", files.len());
    }

    /// The benchmark corpus (`PROFILE=k8s bench/scan.sh 500`), document by
    /// document as `parse_selected` sees them: differential check of each
    /// document the default scan parses, and the share the fast path takes.
    /// `cargo test --release --lib fast_path_on_bench_corpus -- --ignored --nocapture`
    #[test]
    #[ignore = "needs /tmp/credsweep-bench-k8s-500"]
    fn fast_path_on_bench_corpus() {
        let root = std::env::var("CORPUS").unwrap_or("/tmp/credsweep-bench-k8s-500".into());
        let mut stack = vec![std::path::PathBuf::from(root)];
        let (mut files, mut docs, mut kept, mut taken, mut templated) = (0, 0, 0, 0, 0);
        let mut shown = 0;
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if !p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                files += 1;
                if let Err(e) = fast_path_check(&text, Limits::default()) {
                    panic!("{}: {e}", p.display());
                }
                let lines = line_starts(&text);
                let starts = document_starts(&text, &lines);
                for (s, e, _) in document_spans(&text, &starts) {
                    let doc = &text[s..e];
                    docs += 1;
                    if !crate::detectors::k8s::mentions_kind(doc, super::super::ALL_KINDS) {
                        continue;
                    }
                    kept += 1;
                    match fast_path_check(doc, Limits::default()) {
                        Ok(true) => taken += 1,
                        Ok(false) if doc.contains("{{") => templated += 1,
                        Ok(false) => {
                            if shown < 5 {
                                shown += 1;
                                eprintln!("fallback: {}:\n{doc}", p.display());
                            }
                        }
                        Err(e) => panic!("{}: {e}", p.display()),
                    }
                }
            }
        }
        eprintln!(
            "{files} files, {docs} documents, {kept} kept, fast path took {taken} of them; \
             {templated} of the others are templates"
        );
    }
}
