//! Which blobs does the history hold, and which commit introduced each?
//!
//! All refs (branches, tags, remote-tracking refs, notes, stash) and `HEAD`
//! are walked in topological order, oldest first (parents before children).
//! For each commit its root tree is walked, skipping every tree and blob id
//! already seen in an earlier commit: an unchanged subtree costs one hash
//! lookup, and the blobs left are exactly those the commit introduces that
//! no earlier commit had. This is the tree diff against the parents, done
//! without content diffs, without rename detection and without reading any
//! object twice. A merge therefore introduces only what neither parent had
//! (a conflict resolution's new content); a rename of unchanged content
//! introduces nothing.
//!
//! **First appearance wins.** A blob id is attributed to the first (commit,
//! path) it appears at; the same content copied to another path later is
//! not scanned again (its secrets were reported at their first path). Within
//! one commit, tree order (bytewise by name, depth first) breaks ties.
//!
//! `--since REV` walks `REV..HEAD`, as `git log REV..HEAD` would: the new
//! commits of the checked-out branch (in CI, the pull request), not every
//! other branch a full clone holds. It seeds the seen sets with the trees
//! of the *boundary* (REV itself and every hidden parent of a shown commit),
//! so only content new relative to the base is emitted. For paths whose old
//! version exists at the boundary, that old blob is listed as a *prior* blob:
//! the scanner reads it only to learn which secrets were already there.
//!
//! **Streamed.** The blobs are handed to a sink in windows as the walk finds
//! them, so scanning starts while the walk goes on (it was a serial fifth of
//! a history scan's wall time). Windows double in size (the first holds
//! [`FIRST_WINDOW`] blobs, each next one as many as all before it), so there
//! are few of them: each is read in pack order, which costs one pass over
//! the pack indexes ([`super::pack_order`]). Window boundaries change no
//! attribution: blob indexes stay in order of first appearance.
//!
//! Submodule entries (gitlinks) and symbolic links are skipped. A tree that
//! cannot be read is a warning; the walk goes on. This module reads no blob.

use super::Progress;
use crate::error::{Error, Result};
use crate::sources::fs::WarnFn;
use crate::stats::Stats;
use git2::{Oid, Repository, Sort};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::Arc;

/// Blobs in the first window handed to the sink: enough for a pack-ordered
/// read to find most delta bases in the reader's cache, few enough that the
/// workers start after a small part of a long walk.
pub const FIRST_WINDOW: usize = 2048;

/// The seen sets key an object by the first 8 bytes of its id. Ids are
/// uniform, so these 8 bytes are their own hash (no hashing work), and a set
/// entry costs 8 bytes instead of 20: on a history of 3 million trees and
/// blobs that is about 30 MB instead of 80 MB of the RSS budget. Two objects
/// sharing a prefix (probability about n²/2⁶⁵: 2·10⁻⁷ at n = 3 million)
/// would make the second look already seen.
pub type SeenSet = HashSet<u64, BuildHasherDefault<PrefixHasher>>;

/// The key of `oid` in a [`SeenSet`].
pub fn seen_key(oid: &Oid) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&oid.as_bytes()[..8]);
    u64::from_le_bytes(b)
}

/// Passes a `u64` key through unchanged (see [`SeenSet`]).
#[derive(Default)]
pub struct PrefixHasher(u64);

impl Hasher for PrefixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// One blob to scan: its id, where it first appeared, and whether it is only
/// a prior version (scanned to know which secrets pre-existed, not reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobTask {
    pub oid: Oid,
    /// Index into [`History::commits`]; [`PRIOR`] for a prior blob.
    pub commit: u32,
    /// Index into [`History::paths`].
    pub path: u32,
}

/// `BlobTask::commit` of a prior blob (`--since`).
pub const PRIOR: u32 = u32::MAX;

/// The enumerated history: what to scan and how to attribute it.
#[derive(Debug, Default)]
pub struct History {
    /// Commits that introduced at least one blob, in topological order.
    pub commits: Vec<Oid>,
    /// Interned paths (repository-relative, `/`-separated); shared with the
    /// work items that carry them to the scan workers.
    pub paths: Vec<Arc<str>>,
    /// Unique blobs in order of first appearance (so by commit order), then
    /// any prior blobs.
    pub blobs: Vec<BlobTask>,
    /// Commits walked.
    pub commits_walked: u64,
}

/// Receives each window of blobs as the walk finds them: the history so far
/// and the range of `history.blobs` that is new (see the module doc).
pub type Sink<'s> = dyn FnMut(&History, Range<usize>) + 's;

/// Walks the history of `repo` (see the module doc), handing every blob to
/// `sink` in windows, the first of `first_window` blobs; returns the whole
/// history for attribution.
pub fn enumerate(
    repo: &Repository,
    since: Option<&str>,
    stats: &Stats,
    warn: WarnFn,
    progress: &dyn Progress,
    first_window: usize,
    sink: &mut Sink,
) -> Result<History> {
    let git_err = |what: &str, e: git2::Error| Error::Other(format!("{what}: {}", e.message()));
    let mut walk = repo.revwalk().map_err(|e| git_err("revwalk", e))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(|e| git_err("revwalk", e))?;
    let base = match since {
        Some(rev) => {
            let commit = repo
                .revparse_single(rev)
                .and_then(|o| o.peel_to_commit())
                .map_err(|e| Error::Other(format!("--since {rev}: {}", e.message())))?;
            let head = repo
                .head()
                .and_then(|h| h.peel_to_commit())
                .map_err(|e| Error::Other(format!("--since {rev}: HEAD: {}", e.message())))?;
            walk.push(head.id()).map_err(|e| git_err("HEAD", e))?;
            walk.hide(commit.id())
                .map_err(|e| git_err(&format!("--since {rev}"), e))?;
            Some(commit.id())
        }
        None => {
            push_all_refs(repo, &mut walk, warn);
            None
        }
    };

    let mut order = Vec::new();
    for oid in walk {
        match oid {
            Ok(oid) => order.push(oid),
            Err(e) => {
                warn(&format!("history walk: {}", e.message()));
                Stats::add(&stats.skipped, 1);
            }
        }
    }

    let mut w = Walker {
        repo,
        stats,
        warn,
        seen_trees: SeenSet::default(),
        seen_blobs: SeenSet::default(),
        path_ids: HashMap::new(),
        history: History::default(),
        path: String::new(),
    };

    let mut boundary_trees = Vec::new();
    if let Some(base) = base {
        let shown: HashSet<Oid> = order.iter().copied().collect();
        let mut boundary = vec![base];
        for oid in &order {
            if let Ok(c) = repo.find_commit(*oid) {
                boundary.extend(c.parent_ids().filter(|p| !shown.contains(p)));
            }
        }
        boundary.sort();
        boundary.dedup();
        for b in boundary {
            match repo.find_commit(b) {
                Ok(c) => {
                    let tree = c.tree_id();
                    w.walk_tree(tree, None);
                    boundary_trees.push(tree);
                }
                // a shallow clone's missing parent: nothing to seed
                Err(_) => continue,
            }
        }
    }

    const REPORT_EVERY: u64 = 256;
    // `history.blobs[..sent]` went to the sink
    let mut sent = 0;
    for (i, oid) in order.iter().enumerate() {
        let commit = match repo.find_commit(*oid) {
            Ok(c) => c,
            Err(e) => {
                warn(&format!("commit {oid}: {}", e.message()));
                Stats::add(&stats.skipped, 1);
                continue;
            }
        };
        let idx = w.history.commits.len() as u32;
        let before = w.history.blobs.len();
        w.walk_tree(commit.tree_id(), Some(idx));
        let len = w.history.blobs.len();
        if len > before {
            w.history.commits.push(*oid);
            if len - sent >= sent.max(first_window.max(1)) {
                sink(&w.history, sent..len);
                sent = len;
            }
        }
        w.history.commits_walked += 1;
        if (i as u64 + 1).is_multiple_of(REPORT_EVERY) {
            progress.commits(REPORT_EVERY);
        }
    }
    progress.commits(w.history.commits_walked % REPORT_EVERY);

    if !boundary_trees.is_empty() {
        w.add_prior_blobs(&boundary_trees);
    }
    let len = w.history.blobs.len();
    if len > sent {
        sink(&w.history, sent..len);
    }
    Ok(w.history)
}

/// Pushes the commit every ref (and `HEAD`) points at; refs to trees or
/// blobs, and broken refs (warned), are left out.
fn push_all_refs(repo: &Repository, walk: &mut git2::Revwalk, warn: WarnFn) {
    let mut tips = Vec::new();
    if let Ok(refs) = repo.references() {
        for r in refs {
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    warn(&format!("reference: {}", e.message()));
                    continue;
                }
            };
            let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
            match r.peel(git2::ObjectType::Any) {
                Ok(obj) => match obj.peel_to_commit() {
                    Ok(c) => tips.push(c.id()),
                    Err(_) => continue, // a tag of a tree or blob
                },
                Err(e) => warn(&format!("{name}: {}", e.message())),
            }
        }
    }
    if let Ok(head) = repo.head()
        && let Ok(c) = head.peel_to_commit()
    {
        tips.push(c.id());
    }
    tips.sort();
    tips.dedup();
    for tip in tips {
        if let Err(e) = walk.push(tip) {
            warn(&format!("commit {tip}: {}", e.message()));
        }
    }
}

struct Walker<'a> {
    repo: &'a Repository,
    stats: &'a Stats,
    warn: WarnFn<'a>,
    seen_trees: SeenSet,
    seen_blobs: SeenSet,
    path_ids: HashMap<Arc<str>, u32>,
    history: History,
    /// The current folder, `/`-terminated (reused buffer).
    path: String,
}

const MODE_TREE: i32 = 0o040000;
const MODE_BLOB: i32 = 0o100644;
const MODE_BLOB_GROUP_WRITABLE: i32 = 0o100664;
const MODE_BLOB_EXECUTABLE: i32 = 0o100755;

impl Walker<'_> {
    /// Walks `tree` unless seen; emits each unseen blob for commit `emit`
    /// (`None` only marks what it sees: the `--since` base).
    fn walk_tree(&mut self, tree: Oid, emit: Option<u32>) {
        self.path.clear();
        self.walk(tree, emit);
    }

    fn walk(&mut self, tree_id: Oid, emit: Option<u32>) {
        if !self.seen_trees.insert(seen_key(&tree_id)) {
            return;
        }
        let tree = match self.repo.find_tree(tree_id) {
            Ok(t) => t,
            Err(e) => {
                let shown = if self.path.is_empty() {
                    "/"
                } else {
                    &self.path
                };
                (self.warn)(&format!("{shown}: tree {tree_id}: {}", e.message()));
                Stats::add(&self.stats.skipped, 1);
                return;
            }
        };
        for entry in tree.iter() {
            let mode = entry.filemode();
            let id = entry.id();
            match mode {
                MODE_TREE => {
                    if self.seen_trees.contains(&seen_key(&id)) {
                        continue;
                    }
                    let len = self.path.len();
                    self.path
                        .push_str(&String::from_utf8_lossy(entry.name_bytes()));
                    self.path.push('/');
                    self.walk(id, emit);
                    self.path.truncate(len);
                }
                MODE_BLOB | MODE_BLOB_EXECUTABLE | MODE_BLOB_GROUP_WRITABLE => {
                    if !self.seen_blobs.insert(seen_key(&id)) {
                        continue;
                    }
                    if let Some(commit) = emit {
                        let len = self.path.len();
                        self.path
                            .push_str(&String::from_utf8_lossy(entry.name_bytes()));
                        let path = self.intern();
                        self.path.truncate(len);
                        self.history.blobs.push(BlobTask {
                            oid: id,
                            commit,
                            path,
                        });
                    }
                }
                // symbolic links (0o120000) hold a path, gitlinks (0o160000)
                // a submodule's commit: neither is file content here
                _ => {}
            }
        }
    }

    fn intern(&mut self) -> u32 {
        if let Some(&i) = self.path_ids.get(self.path.as_str()) {
            return i;
        }
        let i = self.history.paths.len() as u32;
        let p: Arc<str> = self.path.as_str().into();
        self.history.paths.push(Arc::clone(&p));
        self.path_ids.insert(p, i);
        i
    }

    /// For each path the new commits touched, the blob at that path in each
    /// boundary tree (when different) becomes a prior blob.
    fn add_prior_blobs(&mut self, boundary_trees: &[Oid]) {
        let trees: Vec<git2::Tree> = boundary_trees
            .iter()
            .filter_map(|t| self.repo.find_tree(*t).ok())
            .collect();
        let mut paths: Vec<u32> = self.history.blobs.iter().map(|b| b.path).collect();
        paths.sort_unstable();
        paths.dedup();
        let mut prior = Vec::new();
        let mut added = HashSet::new();
        for p in paths {
            let path = std::path::Path::new(&*self.history.paths[p as usize]);
            for tree in &trees {
                if let Ok(entry) = tree.get_path(path)
                    && matches!(
                        entry.filemode(),
                        MODE_BLOB | MODE_BLOB_EXECUTABLE | MODE_BLOB_GROUP_WRITABLE
                    )
                    && added.insert((entry.id(), p))
                {
                    prior.push(BlobTask {
                        oid: entry.id(),
                        commit: PRIOR,
                        path: p,
                    });
                }
            }
        }
        self.history.blobs.extend(prior);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A linear history of `commits` commits, each adding `per_commit` new
    /// files at the top level.
    fn linear_repo(dir: &std::path::Path, commits: usize, per_commit: usize) -> Repository {
        let repo = Repository::init(dir).expect("init");
        let sig = git2::Signature::new("A", "a@example.com", &git2::Time::new(0, 0)).expect("sig");
        let mut parent: Option<Oid> = None;
        let mut entries: Vec<(String, Oid)> = Vec::new();
        for c in 0..commits {
            for k in 0..per_commit {
                let text = format!("commit {c} file {k}\n");
                let blob = repo.blob(text.as_bytes()).expect("blob");
                entries.push((format!("f{c:03}_{k:03}"), blob));
            }
            let mut tb = repo.treebuilder(None).expect("treebuilder");
            for (name, blob) in &entries {
                tb.insert(name, *blob, 0o100644).expect("insert");
            }
            let tree = repo
                .find_tree(tb.write().expect("tree"))
                .expect("find tree");
            let parents: Vec<git2::Commit> = parent
                .iter()
                .map(|p| repo.find_commit(*p).expect("parent"))
                .collect();
            let refs: Vec<&git2::Commit> = parents.iter().collect();
            let id = repo
                .commit(Some("HEAD"), &sig, &sig, "c", &tree, &refs)
                .expect("commit");
            parent = Some(id);
        }
        repo
    }

    #[test]
    fn windows_cover_every_blob_in_order_and_double_in_size() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = linear_repo(dir.path(), 12, 3);
        let mut windows = Vec::new();
        let mut sink = |h: &History, r: Range<usize>| {
            assert!(r.end <= h.blobs.len());
            windows.push(r);
        };
        let warn = |_: &str| {};
        let stats = Stats::default();
        let h = enumerate(
            &repo,
            None,
            &stats,
            &warn,
            &super::super::NoProgress,
            4,
            &mut sink,
        )
        .expect("enumerate");
        assert_eq!(h.blobs.len(), 36);
        // windows end at commit boundaries (3 blobs each): at least 4, then
        // at least as many as all before
        assert_eq!(windows, vec![0..6, 6..12, 12..24, 24..36]);
        // oldest commit first: blob i belongs to commit i / 3
        for (i, b) in h.blobs.iter().enumerate() {
            assert_eq!(b.commit as usize, i / 3);
        }
    }

    #[test]
    fn seen_key_is_the_id_prefix_and_hashes_to_itself() {
        let oid = Oid::from_str("0102030405060708090a0b0c0d0e0f1011121314").expect("hex");
        assert_eq!(seen_key(&oid), 0x0807060504030201);
        let mut h = PrefixHasher::default();
        std::hash::Hash::hash(&seen_key(&oid), &mut h);
        assert_eq!(h.finish(), 0x0807060504030201);
        let mut set = SeenSet::default();
        assert!(set.insert(seen_key(&oid)));
        assert!(!set.insert(seen_key(&oid)));
    }
}
