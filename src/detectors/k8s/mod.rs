//! Kubernetes manifests: pod-security findings (the Pod Security Standards
//! and hygiene checks) and secrets hidden in `Secret`/`ConfigMap` objects.
//!
//! Pipeline for one blob: cheap prefilter ([`is_candidate`]) → YAML tree
//! with positions ([`yaml`]) → objects and pod specs ([`objects`]) →
//! controls ([`pss`], [`hygiene`]) producing [`Issue`]s → level and
//! `credsweep.io/allow` annotation and inline-comment filtering → findings.
//! Secret objects go through the ordinary secret rules ([`secret_objects`]).
//!
//! Not valid YAML (a Helm template) or not Kubernetes (no `apiVersion` and
//! `kind`): nothing, silently. A YAML bomb or absurd nesting: one warning.
//! The check catalogue (ids, levels, fixes) is [`checks`].

pub mod checks;
pub mod hygiene;
pub mod objects;
pub mod pss;
pub mod secret_objects;
pub mod yaml;

use crate::detectors::intern::{Interner, Recent};
use crate::filters::inline;
use crate::finding::{Confidence, Finding, FindingKind, Fingerprint, Location, PodSecurityInfo};
use crate::sources::Blob;
use crate::stats::Stats;
pub use checks::{CHECKS, Check, CheckLevel};
use memchr::memmem::Finder;
use std::sync::LazyLock;
use yaml::{NodeId, Tree};

/// The annotation that turns checks off for one workload.
pub const ALLOW_ANNOTATION: &str = "credsweep.io/allow";

/// The strictest Pod Security Standards level reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PssLevel {
    Baseline,
    #[default]
    Restricted,
}

/// What the pod-security detector reports.
#[derive(Debug, Clone)]
pub struct PodSecurityOptions {
    /// Off with `--only secrets`.
    pub enabled: bool,
    pub level: PssLevel,
    /// Hygiene checks (`--no-hygiene` turns them off).
    pub hygiene: bool,
    /// Check ids not run at all. (The CLI leaves this empty: the config
    /// file's `pod_security.disable` drops findings in
    /// [`crate::filters::allow`], where it is counted as suppressed.)
    pub disabled: Vec<String>,
    /// Objects not checked: `Kind/namespace/name` patterns where `*`
    /// matches any run of characters, e.g. `Deployment/kube-system/*`.
    /// (The CLI applies `pod_security.exempt` as a filter instead.)
    pub exempt: Vec<String>,
    /// Receives per-file warnings (`path: reason`), e.g. a YAML bomb.
    pub warn: fn(&str),
}

impl Default for PodSecurityOptions {
    fn default() -> Self {
        PodSecurityOptions {
            enabled: true,
            level: PssLevel::Restricted,
            hygiene: true,
            disabled: Vec::new(),
            exempt: Vec::new(),
            warn: |_| {},
        }
    }
}

impl PodSecurityOptions {
    /// Whether findings of `check` are reported at all.
    pub fn reports(&self, check: &Check) -> bool {
        let level_ok = match check.level {
            CheckLevel::Baseline => true,
            CheckLevel::Restricted => self.level == PssLevel::Restricted,
            CheckLevel::Hygiene => self.hygiene,
        };
        level_ok && !self.disabled.iter().any(|d| d == check.id)
    }

    /// Whether `object` (`Kind/namespace/name`) is exempt.
    pub fn exempt(&self, object: &str) -> bool {
        self.exempt.iter().any(|p| wildcard(p, object))
    }
}

/// `*`-only glob: `*` matches any run of characters (including `/`).
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// One problem a control found, before it becomes a [`Finding`].
#[derive(Debug, Clone)]
pub struct Issue {
    /// A [`checks::CHECKS`] id.
    pub check: &'static str,
    pub container: Option<String>,
    /// Field path from the object root.
    pub field: String,
    /// Node whose position is reported.
    pub at: NodeId,
    /// What exactly is wrong (no secret values in here).
    pub detail: String,
}

/// Cheap test before any parsing: a manifest-like name (or stdin) and both
/// `apiVersion` and `kind` somewhere in the bytes. Parsing is the costly
/// part (measured with a release build: 0.11 s CPU for a 0.9 MB stream of
/// 3,600 workload documents, against 0.03 s for the secret rules alone on
/// it), so everything else pays two `memmem` passes only.
pub fn is_candidate(path: &str, bytes: &[u8]) -> bool {
    let name = path
        .strip_suffix(".gz")
        .unwrap_or(path)
        .to_ascii_lowercase();
    let named =
        path == "-" || name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json");
    named && API_VERSION.find(bytes).is_some() && KIND.find(bytes).is_some()
}

/// Searchers for the words [`is_candidate`] and [`mentions_kind`] look
/// for, built once rather than per file and per document.
static API_VERSION: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"apiVersion"));
static KIND: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"kind"));

/// Kinds whose objects the pod-security checks read: the pod-bearing
/// workloads (see [`objects::pod_spec`]) and NetworkPolicy.
const POD_SECURITY_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "PodTemplate",
    "NetworkPolicy",
];
/// Kinds whose values the secret pass decodes and scans.
const SECRET_KINDS: &[&str] = &["Secret", "ConfigMap"];
/// Both of the above, for a scan that runs both passes.
const ALL_KINDS: &[&str] = &{
    const N: usize = POD_SECURITY_KINDS.len() + SECRET_KINDS.len();
    let mut all = [""; N];
    let mut i = 0;
    while i < N {
        all[i] = if i < POD_SECURITY_KINDS.len() {
            POD_SECURITY_KINDS[i]
        } else {
            SECRET_KINDS[i - POD_SECURITY_KINDS.len()]
        };
        i += 1;
    }
    all
};

/// True when some `kind:` key in `doc` (YAML or JSON) names one of `kinds`,
/// or when a `kind:` value cannot be read on its own line (conservative: an
/// unusual spelling is parsed, not skipped). A `List`'s items spell their
/// own kinds, so no List case is needed. Only decides what to parse; the
/// checks still read the kind from the parsed tree.
pub fn mentions_kind(doc: &str, kinds: &[&str]) -> bool {
    let b = doc.as_bytes();
    for i in KIND.find_iter(b) {
        let mut j = i + 4;
        if matches!(b.get(j), Some(b'"' | b'\'')) {
            j += 1;
        }
        while matches!(b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        if b.get(j) != Some(&b':') {
            continue;
        }
        j += 1;
        while matches!(b.get(j), Some(b' ' | b'\t' | b'"' | b'\'')) {
            j += 1;
        }
        let end = b[j..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |n| j + n);
        if end == j && !matches!(b.get(j), Some(b'{' | b'[' | b',' | b'}')) {
            return true; // value on a later line, an anchor, a tag…
        }
        let word = &b[j..end];
        if kinds.iter().any(|k| k.as_bytes() == word) {
            return true;
        }
    }
    false
}

/// Parses a candidate blob into `tree` (emptied first); false (silently)
/// for invalid YAML or non-UTF-8, false with a warning for a YAML bomb or
/// absurd nesting. Only the documents that [`mentions_kind`] one of `kinds`
/// are parsed.
pub fn parse_blob(blob: &Blob, warn: fn(&str), kinds: &[&str], tree: &mut Tree) -> bool {
    let Ok(text) = std::str::from_utf8(blob.bytes) else {
        return false;
    };
    let keep = |doc: &str| mentions_kind(doc, kinds);
    match yaml::parse_selected_into(tree, text, yaml::Limits::default(), &keep) {
        Ok(()) => true,
        Err(yaml::YamlError::Syntax { .. }) => false,
        Err(e) => {
            warn(&format!("{}:{e}", blob.path));
            false
        }
    }
}

/// A worker keeps its tree's memory between manifests up to this many
/// nodes (a few MB); after a bigger file it starts again from nothing.
const KEPT_TREE_NODES: usize = 64 * 1024;

/// Pod-security findings of one parsed blob, filtered by level, by the
/// allow annotation and by inline comments.
pub fn pod_security_findings(
    blob: &Blob,
    tree: &Tree,
    opts: &PodSecurityOptions,
    is_rule: &dyn Fn(&str) -> bool,
    stats: &Stats,
    strings: &mut Interner,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut shared = Shared::default();
    for obj in objects::objects(tree) {
        if opts.exempt(&obj.display) {
            continue;
        }
        let mut issues = Vec::new();
        let pod = objects::pod_spec(tree, &obj);
        if let Some(pod) = &pod {
            pss::check_pod(tree, pod, &mut issues);
            hygiene::check_pod(tree, pod, &mut issues);
        }
        hygiene::check_object(tree, &obj, &mut issues);
        let allowed = allowed_checks(tree, obj.node, pod.as_ref());
        for issue in issues {
            let Some(check) = checks::find(issue.check) else {
                continue;
            };
            if !opts.reports(check) {
                continue;
            }
            if allowed.iter().any(|a| a == check.id || a == "all") {
                Stats::add(&stats.suppressed_inline, 1);
                continue;
            }
            let node = tree.node(issue.at);
            let line_start = (node.offset + 1).saturating_sub(node.column);
            if inline::suppressed(blob.bytes, line_start, check.id, &|id| {
                is_rule(id) || checks::find(id).is_some()
            }) {
                Stats::add(&stats.suppressed_inline, 1);
                continue;
            }
            findings.push(to_finding(
                blob,
                tree,
                &obj.display,
                check,
                issue,
                strings,
                &mut shared,
            ));
        }
    }
    findings
}

/// Check ids listed in `credsweep.io/allow` on the object or its pod template.
fn allowed_checks(tree: &Tree, obj: NodeId, pod: Option<&objects::PodCtx>) -> Vec<String> {
    let mut metas = vec![tree.get(obj, "metadata")];
    if let Some(p) = pod {
        metas.push(p.meta);
    }
    let mut out = Vec::new();
    for meta in metas.into_iter().flatten() {
        if let Some(v) = tree.str_at(meta, &["annotations", ALLOW_ANNOTATION]) {
            out.extend(
                v.split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
        }
    }
    out
}

/// `title: detail; fix: fix`, built at its exact size: `format!` grows the
/// string by doubling from empty (four or five reallocations for a typical
/// message, and up to twice the memory held per finding until the report).
fn message(check: &Check, detail: &str) -> String {
    let mut m = String::with_capacity(
        check.title.len() + detail.len() + check.fix.len() + "; fix: ".len() + 2,
    );
    m.push_str(check.title);
    m.push_str(": ");
    m.push_str(detail);
    m.push_str("; fix: ");
    m.push_str(check.fix);
    m
}

/// The strings one blob's findings repeat, each role in its own slot.
#[derive(Default)]
struct Shared {
    path: Recent,
    object: Recent,
    container: Recent,
    /// By [`CheckLevel`]: a pod's findings alternate between levels.
    levels: [Recent; 3],
}

fn to_finding(
    blob: &Blob,
    tree: &Tree,
    object: &str,
    check: &Check,
    issue: Issue,
    strings: &mut Interner,
    shared: &mut Shared,
) -> Finding {
    let node = tree.node(issue.at);
    let line = node.line + blob.first_line - 1;
    // underline the key (or scalar) the finding is about
    let width = match tree.plain_str(issue.at) {
        Some(text) if !text.contains('\n') => text.len().max(1),
        _ => 1,
    };
    let container = issue.container;
    let fingerprint = Fingerprint::of(&[
        check.id.as_bytes(),
        blob.path.as_bytes(),
        object.as_bytes(),
        container.as_deref().unwrap_or("").as_bytes(),
        issue.field.as_bytes(),
    ]);
    Finding {
        rule_id: check.id.to_string(),
        kind: FindingKind::PodSecurity,
        severity: check.level.severity(),
        // what a manifest says is read off its structure, not guessed
        confidence: Confidence::High,
        message: strings.get(&message(check, &issue.detail)),
        location: Location {
            path: shared.path.get(blob.path, strings),
            line,
            column: node.column,
            end_line: line,
            end_column: node.column + width,
            utf16_columns: None,
        },
        secret: None,
        pod_security: Some(Box::new(PodSecurityInfo {
            level: shared.levels[check.level as usize].get(check.level.as_str(), strings),
            object: shared.object.get(object, strings),
            container: container
                .as_deref()
                .map(|c| shared.container.get(c, strings)),
            field: strings.get(&issue.field),
        })),
        commit: blob.commit.cloned().map(Box::new),
        fingerprint,
        secret_hash: None,
        raw_secret: None,
    }
}

/// Adds the Kubernetes findings of `blob` to `findings` (which already holds
/// the blob's plain-text secret findings, so decoded values are not
/// reported twice). Called by [`crate::detectors::Detector::detect`].
pub fn detect(
    det: &crate::detectors::Detector,
    blob: &Blob,
    state: &mut crate::detectors::WorkerState,
    stats: &Stats,
    findings: &mut Vec<Finding>,
) {
    use crate::detectors::Only;
    let want_pss = det.only != Only::Secrets && det.pod_security.enabled;
    let want_secrets = det.only != Only::PodSecurity;
    if !(want_pss || want_secrets) || !is_candidate(blob.path, blob.bytes) {
        return;
    }
    let kinds = match (want_pss, want_secrets) {
        (true, true) => ALL_KINDS,
        (true, false) => POD_SECURITY_KINDS,
        _ => SECRET_KINDS,
    };
    // the worker's tree, taken out for the while (`state.scratch` is
    // borrowed below) and put back with its memory unless it grew huge
    let mut tree = std::mem::take(&mut state.tree);
    if !parse_blob(blob, det.pod_security.warn, kinds, &mut tree) {
        if tree.capacity() <= KEPT_TREE_NODES {
            state.tree = tree;
        }
        return;
    }
    if want_pss {
        let is_rule = |id: &str| det.rules.find(id).is_some();
        findings.extend(pod_security_findings(
            blob,
            &tree,
            &det.pod_security,
            &is_rule,
            stats,
            &mut state.strings,
        ));
    }
    if want_secrets {
        let objs = objects::objects(&tree);
        let already: Vec<Fingerprint> = findings
            .iter()
            .filter(|f| f.kind == FindingKind::Secret)
            .map(|f| f.fingerprint)
            .collect();
        let pass = secret_objects::SecretPass {
            rules: &det.rules,
            show_secrets: det.show_secrets,
            already: &already,
            stats,
        };
        findings.extend(secret_objects::secret_findings(
            blob,
            &tree,
            &objs,
            &pass,
            &mut state.scratch,
        ));
    }
    if tree.capacity() <= KEPT_TREE_NODES {
        state.tree = tree;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_patterns() {
        assert!(wildcard(
            "Deployment/kube-system/*",
            "Deployment/kube-system/dns"
        ));
        assert!(!wildcard(
            "Deployment/kube-system/*",
            "Deployment/default/dns"
        ));
        assert!(wildcard(
            "*/monitoring/*",
            "DaemonSet/monitoring/node-exporter"
        ));
        assert!(wildcard("Pod/default/a", "Pod/default/a"));
        assert!(!wildcard("Pod/default/a*b", "Pod/default/ab/x"));
        assert!(wildcard("*", ""));
    }

    #[test]
    fn candidates_need_a_manifest_name_and_both_words() {
        assert!(is_candidate("k/a.yaml", b"apiVersion: v1\nkind: Pod"));
        assert!(is_candidate("k/a.YML.gz", b"apiVersion: v1\nkind: Pod"));
        assert!(is_candidate("-", b"{\"apiVersion\":1,\"kind\":2}"));
        assert!(!is_candidate("a.txt", b"apiVersion: v1\nkind: Pod"));
        assert!(!is_candidate("a.yaml", b"kind: Pod"));
    }

    #[test]
    fn messages_read_title_detail_fix() {
        for check in CHECKS {
            let m = message(check, "container a is privileged");
            assert_eq!(
                m,
                format!(
                    "{}: container a is privileged; fix: {}",
                    check.title, check.fix
                )
            );
            assert_eq!(m.len(), m.capacity());
        }
    }

    #[test]
    fn all_kinds_is_both_lists() {
        assert_eq!(ALL_KINDS, [POD_SECURITY_KINDS, SECRET_KINDS].concat());
    }

    #[test]
    fn documents_are_selected_by_kind() {
        let k = &["Deployment", "Secret"];
        assert!(mentions_kind("apiVersion: apps/v1\nkind: Deployment\n", k));
        assert!(mentions_kind(
            "{\"apiVersion\": \"v1\", \"kind\" : \"Secret\"}",
            k
        ));
        assert!(mentions_kind("kind: 'Secret'", k));
        assert!(
            mentions_kind("kind:\n  Deployment\n", k),
            "odd spelling: parse"
        );
        assert!(mentions_kind("kind: &k Deployment", k), "anchor: parse");
        assert!(!mentions_kind("apiVersion: v1\nkind: Service\n", k));
        assert!(!mentions_kind("kind: DeploymentConfig\n", k));
        assert!(!mentions_kind(
            "kind: CustomResourceDefinition\nspec: {kind: Secretish}",
            k
        ));
    }

    #[test]
    fn only_selected_documents_are_parsed_with_their_own_positions() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";
        let keep = |d: &str| mentions_kind(d, &["Pod"]);
        let tree = yaml::parse_selected(text, yaml::Limits::default(), &keep).unwrap();
        let objs = objects::objects(&tree);
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].display, "Pod/default/p");
        assert_eq!(tree.node(objs[0].node).line, 5);
        let none = yaml::parse_selected(text, yaml::Limits::default(), &|_| false).unwrap();
        assert!(objects::objects(&none).is_empty());
    }
}
