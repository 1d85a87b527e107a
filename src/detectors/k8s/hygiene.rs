//! Hygiene checks: what operators ask for beyond the Pod Security
//! Standards. Literal secrets in `env`, runtime sockets and sensitive host
//! paths, service-account tokens, writable root file systems, missing
//! limits, unpinned images, and NetworkPolicies that allow all egress.
//! Each is its own check id, so each can be disabled; level filtering and
//! suppression are left to [`super`].

use super::Issue;
use super::objects::{Container, Object, PodCtx, containers};
use super::yaml::{NodeId, Tree};

/// Words in an env var name that suggest a secret (matched on the upper-cased name).
const SECRET_NAME_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
];

/// Name endings that point at a secret rather than hold one.
const REFERENCE_SUFFIXES: &[&str] = &["_FILE", "_PATH", "_DIR", "_NAME"];

/// File names of container-runtime sockets.
const RUNTIME_SOCKETS: &[&str] = &[
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
    "dockershim.sock",
    "podman.sock",
];

/// Folders that hold a runtime socket or the runtime's state.
const RUNTIME_DIRS: &[&str] = &[
    "/var/run",
    "/run",
    "/var/run/docker",
    "/run/docker",
    "/var/run/containerd",
    "/run/containerd",
    "/var/run/crio",
    "/run/crio",
    "/var/lib/docker",
    "/var/lib/containerd",
];

/// Host paths whose mount (or a mount below them) exposes node secrets or
/// configuration. `/` matches only itself.
const SENSITIVE_PATHS: &[&str] = &[
    "/etc",
    "/proc",
    "/sys",
    "/root",
    "/home",
    "/boot",
    "/dev",
    "/var/lib/kubelet",
    "/var/lib/etcd",
    "/etc/kubernetes",
];

/// Checks on one pod spec.
pub fn check_pod(t: &Tree, pod: &PodCtx, out: &mut Vec<Issue>) {
    let cs = containers(t, pod);
    for c in &cs {
        env_literal_secrets(t, c, out);
        image_pinned(t, c, out);
        if !c.path.contains(".ephemeralContainers[") {
            readonly_root(t, c, out);
            limits(t, c, out);
        }
    }
    host_paths(t, pod, out);
    automount(t, pod, out);
}

/// Checks on objects that are not pods.
pub fn check_object(t: &Tree, obj: &Object, out: &mut Vec<Issue>) {
    if obj.kind == "NetworkPolicy" {
        egress_allow_all(t, obj, out);
    }
}

fn issue(c: &Container, check: &'static str, field: String, at: NodeId, detail: String) -> Issue {
    Issue {
        check,
        container: c.name.clone(),
        field,
        at,
        detail,
    }
}

fn who(c: &Container) -> String {
    match &c.name {
        Some(n) => format!("container {n}"),
        None => "a container".to_string(),
    }
}

/// True for an env var name that looks like it holds a secret.
pub fn secret_like_name(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    SECRET_NAME_WORDS.iter().any(|w| up.contains(w))
        && !REFERENCE_SUFFIXES.iter().any(|s| up.ends_with(s))
}

fn env_literal_secrets(t: &Tree, c: &Container, out: &mut Vec<Issue>) {
    let Some(env) = t.get(c.map, "env") else {
        return;
    };
    for (i, &e) in t.items(env).iter().enumerate() {
        let Some(name) = t.str_at(e, &["name"]) else {
            continue;
        };
        if !secret_like_name(name) {
            continue;
        }
        let Some((k, v)) = t.entry(e, "value") else {
            continue;
        };
        let value = t.str(v).unwrap_or("");
        // `$(OTHER_VAR)` is a reference Kubernetes expands, not a literal
        if value.trim().is_empty() || value.starts_with("$(") {
            continue;
        }
        let d = format!("{} sets {name} to a literal value", who(c));
        out.push(issue(
            c,
            "hygiene-env-literal-secret",
            format!("{}.env[{i}].value", c.path),
            k,
            d,
        ));
    }
}

/// `None` when pinned (a digest, or a tag other than `latest`); otherwise
/// why not.
pub fn unpinned(image: &str) -> Option<&'static str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None => Some("has no tag"),
        Some((_, "latest")) => Some("uses the latest tag"),
        Some((_, "")) => Some("has an empty tag"),
        Some(_) => None,
    }
}

fn image_pinned(t: &Tree, c: &Container, out: &mut Vec<Issue>) {
    let Some((k, v)) = t.entry(c.map, "image") else {
        return;
    };
    let Some(image) = t.str(v) else { return };
    // `"{{ .Values.image }}"` is a quoted template: valid YAML, no image yet
    if image.contains("{{") {
        return;
    }
    if let Some(why) = unpinned(image.trim()) {
        let d = format!("{} image {image} {why}", who(c));
        out.push(issue(
            c,
            "hygiene-image-latest",
            format!("{}.image", c.path),
            k,
            d,
        ));
    }
}

fn readonly_root(t: &Tree, c: &Container, out: &mut Vec<Issue>) {
    let sc = t.get(c.map, "securityContext");
    let entry = sc.and_then(|s| t.entry(s, "readOnlyRootFilesystem"));
    if entry.is_some_and(|(_, v)| t.bool(v) == Some(true)) {
        return;
    }
    let at = entry.map_or(c.anchor, |(k, _)| k);
    let d = format!("{} has a writable root file system", who(c));
    let f = format!("{}.securityContext.readOnlyRootFilesystem", c.path);
    out.push(issue(c, "hygiene-readonly-root-fs", f, at, d));
}

fn limits(t: &Tree, c: &Container, out: &mut Vec<Issue>) {
    let resources = t.entry(c.map, "resources");
    let lim = resources.and_then(|(_, r)| t.entry(r, "limits"));
    let at = lim.or(resources).map_or(c.anchor, |(k, _)| k);
    for res in ["cpu", "memory"] {
        if lim.and_then(|(_, l)| t.get(l, res)).is_none() {
            let d = format!("{} has no {res} limit", who(c));
            let f = format!("{}.resources.limits.{res}", c.path);
            out.push(issue(c, "hygiene-resource-limits", f, at, d));
        }
    }
}

/// `Some(check id)` when a hostPath is a runtime socket or sensitive.
pub fn host_path_risk(path: &str) -> Option<&'static str> {
    let p = path.trim();
    let norm = if p.len() > 1 {
        p.trim_end_matches('/')
    } else {
        p
    };
    let file = norm.rsplit('/').next().unwrap_or(norm);
    if RUNTIME_SOCKETS.contains(&file) || RUNTIME_DIRS.contains(&norm) {
        return Some("hygiene-runtime-socket");
    }
    let under = |root: &str| norm == root || norm.starts_with(&format!("{root}/"));
    if norm == "/" || SENSITIVE_PATHS.iter().any(|r| under(r)) {
        return Some("hygiene-sensitive-host-path");
    }
    None
}

fn host_paths(t: &Tree, pod: &PodCtx, out: &mut Vec<Issue>) {
    let Some(vols) = t.get(pod.spec, "volumes") else {
        return;
    };
    for (i, &v) in t.items(vols).iter().enumerate() {
        let Some(hp) = t.get(v, "hostPath") else {
            continue;
        };
        let Some((k, pv)) = t.entry(hp, "path") else {
            continue;
        };
        let path = t.str(pv).unwrap_or("");
        if let Some(check) = host_path_risk(path) {
            let name = t.str_at(v, &["name"]).unwrap_or("-");
            out.push(Issue {
                check,
                container: None,
                field: format!("{}.volumes[{i}].hostPath.path", pod.path),
                at: k,
                detail: format!("volume {name} mounts host path {path}"),
            });
        }
    }
}

fn automount(t: &Tree, pod: &PodCtx, out: &mut Vec<Issue>) {
    let entry = t.entry(pod.spec, "automountServiceAccountToken");
    if entry.is_some_and(|(_, v)| t.bool(v) == Some(false)) {
        return;
    }
    out.push(Issue {
        check: "hygiene-automount-token",
        container: None,
        field: format!("{}.automountServiceAccountToken", pod.path),
        at: entry.map_or(pod.spec_key, |(k, _)| k),
        detail: "the pod mounts its service account token".to_string(),
    });
}

fn egress_allow_all(t: &Tree, obj: &Object, out: &mut Vec<Issue>) {
    let Some(rules) = t.get_path(obj.node, &["spec", "egress"]) else {
        return;
    };
    for (i, &r) in t.items(rules).iter().enumerate() {
        let to = t.get(r, "to").map(|n| t.items(n)).unwrap_or(&[]);
        let ports = t.get(r, "ports").map(|n| t.items(n)).unwrap_or(&[]);
        let anywhere = to.is_empty()
            || to.iter().any(|&peer| {
                let cidr = t.str_at(peer, &["ipBlock", "cidr"]);
                let except = t
                    .get_path(peer, &["ipBlock", "except"])
                    .map(|e| t.items(e).len());
                matches!(cidr, Some("0.0.0.0/0" | "::/0")) && except.unwrap_or(0) == 0
            });
        if anywhere && ports.is_empty() {
            out.push(Issue {
                check: "hygiene-netpol-allow-all-egress",
                container: None,
                field: format!("spec.egress[{i}]"),
                at: r,
                detail: format!("egress rule {i} allows traffic to any destination on any port"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(&'static str, String)> {
        use crate::detectors::k8s::objects::{objects, pod_spec};
        use crate::detectors::k8s::yaml::{Limits, parse};
        let t = parse(text, Limits::default()).expect("yaml");
        let mut out = Vec::new();
        for o in objects(&t) {
            if let Some(p) = pod_spec(&t, &o) {
                check_pod(&t, &p, &mut out);
            }
            check_object(&t, &o, &mut out);
        }
        out.into_iter().map(|i| (i.check, i.field)).collect()
    }

    #[test]
    fn egress_rules() {
        let np = |egress: &str| {
            run(&format!(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: n}}\nspec:\n  podSelector: {{}}\n  egress:\n{egress}"
            ))
        };
        let open = vec![(
            "hygiene-netpol-allow-all-egress",
            "spec.egress[0]".to_string(),
        )];
        assert_eq!(np("  - {}\n"), open);
        assert_eq!(np("  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n"), open);
        assert_eq!(np("  - to: [{ipBlock: {cidr: '::/0'}}]\n"), open);
        assert!(np("  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]\n").is_empty());
        assert!(np("  - to: [{podSelector: {}}]\n").is_empty());
        assert!(np("  - ports: [{port: 53, protocol: UDP}]\n").is_empty());
    }

    #[test]
    fn env_literals() {
        let pod = |env: &str| {
            run(&format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: c\n    image: c:1\n    resources: {{limits: {{cpu: 1, memory: 1Gi}}}}\n    securityContext: {{readOnlyRootFilesystem: true}}\n    env:\n{env}"
            ))
        };
        assert_eq!(
            pod("    - {name: api_key, value: abc123}\n"),
            [(
                "hygiene-env-literal-secret",
                "spec.containers[0].env[0].value".to_string()
            )]
        );
        assert!(pod("    - {name: API_KEY, value: ''}\n").is_empty());
        assert!(pod("    - {name: API_KEY, value: $(OTHER)}\n").is_empty());
        assert!(
            pod("    - {name: API_KEY, valueFrom: {secretKeyRef: {name: s, key: k}}}\n").is_empty()
        );
        assert!(pod("    - {name: SECRET_DIR, value: /run/s}\n").is_empty());
        assert!(pod("    - {name: MODE, value: prod}\n").is_empty());
    }

    #[test]
    fn ephemeral_containers_skip_limits_and_root_fs() {
        let found = run(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers: []\n  ephemeralContainers:\n  - {name: d, image: busybox}\n",
        );
        assert_eq!(
            found,
            [(
                "hygiene-image-latest",
                "spec.ephemeralContainers[0].image".to_string()
            )]
        );
    }

    #[test]
    fn image_pinning() {
        assert_eq!(unpinned("nginx"), Some("has no tag"));
        assert_eq!(unpinned("nginx:latest"), Some("uses the latest tag"));
        assert_eq!(unpinned("registry:5000/team/app"), Some("has no tag"));
        assert_eq!(unpinned("registry:5000/team/app:1.2"), None);
        assert_eq!(unpinned("app@sha256:abcd"), None);
    }

    #[test]
    fn secret_names() {
        assert!(secret_like_name("DB_PASSWORD"));
        assert!(secret_like_name("github_token"));
        assert!(!secret_like_name("DB_PASSWORD_FILE"));
        assert!(!secret_like_name("TOKEN_PATH"));
        assert!(!secret_like_name("LOG_LEVEL"));
    }

    #[test]
    fn host_paths_classified() {
        assert_eq!(
            host_path_risk("/var/run/docker.sock"),
            Some("hygiene-runtime-socket")
        );
        assert_eq!(
            host_path_risk("/run/containerd/"),
            Some("hygiene-runtime-socket")
        );
        assert_eq!(host_path_risk("/"), Some("hygiene-sensitive-host-path"));
        assert_eq!(
            host_path_risk("/etc/kubernetes/pki"),
            Some("hygiene-sensitive-host-path")
        );
        assert_eq!(host_path_risk("/data/app"), None);
        assert_eq!(host_path_risk("/etcetera"), None);
    }
}
