//! The Pod Security Standards (v1.37), both levels, every control, written
//! from the reference implementation (`k8s.io/pod-security-admission`,
//! `policy/check_*.go`) where the documentation lags:
//!
//! - containers, initContainers and ephemeralContainers are all checked;
//! - pod-level `securityContext` values are inherited, a container value
//!   overrides them, and a bad pod-level value is reported on its own;
//! - `spec.os.name: windows` exempts allowPrivilegeEscalation, restricted
//!   capabilities and restricted seccomp;
//! - `spec.hostUsers: false` relaxes baseline procMount, runAsNonRoot and
//!   runAsUser, but not the restricted procMount control.
//!
//! Each control appends [`Issue`]s; level filtering, suppression and
//! finding construction are left to [`super`].

use super::Issue;
use super::objects::{Container, PodCtx, containers};
use super::yaml::{NodeId, Tree};

/// Capabilities a baseline pod may add (the container runtime's defaults).
const DEFAULT_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Safe sysctls as of v1.37 (v1.27 added ip_local_reserved_ports, v1.29 the
/// tcp_keepalive/fin_timeout group, v1.32 tcp_rmem/wmem, v1.37 the last two).
const SAFE_SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

/// SELinux types a baseline pod may use (container_engine_t since v1.31).
const SELINUX_TYPES: &[&str] = &[
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

/// Volume sources the restricted level forbids (every in-tree type not on
/// its allow-list). A volume with none of these, including one with only a
/// `name` (an emptyDir after defaulting), passes.
const RESTRICTED_VOLUME_TYPES: &[&str] = &[
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "portworxVolume",
    "photonPersistentDisk",
    "scaleIO",
    "storageos",
    "hostPath",
];

const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

/// Everything a control needs about one pod spec.
struct Pod<'a> {
    t: &'a Tree,
    ctx: &'a PodCtx,
    containers: Vec<Container>,
    /// Pod-level `securityContext` mapping.
    sc: Option<NodeId>,
    windows: bool,
    /// `hostUsers: false` (a user namespace).
    user_ns: bool,
}

impl Pod<'_> {
    fn issue(
        &self,
        out: &mut Vec<Issue>,
        check: &'static str,
        c: Option<&Container>,
        field: String,
        at: NodeId,
        detail: String,
    ) {
        out.push(Issue {
            check,
            container: c.and_then(|c| c.name.clone()),
            field,
            at,
            detail,
        });
    }

    /// A container's `securityContext` mapping.
    fn csc(&self, c: &Container) -> Option<NodeId> {
        self.t.get(c.map, "securityContext")
    }

    fn who(c: &Container) -> String {
        match &c.name {
            Some(n) => format!("container {n}"),
            None => "a container".to_string(),
        }
    }
}

/// Runs every control on one pod spec.
pub fn check_pod(t: &Tree, ctx: &PodCtx, out: &mut Vec<Issue>) {
    let pod = Pod {
        t,
        ctx,
        containers: containers(t, ctx),
        sc: t.get(ctx.spec, "securityContext"),
        windows: t.str_at(ctx.spec, &["os", "name"]) == Some("windows"),
        user_ns: t.get(ctx.spec, "hostUsers").and_then(|n| t.bool(n)) == Some(false),
    };
    host_process(&pod, out);
    host_namespaces(&pod, out);
    privileged(&pod, out);
    capabilities(&pod, out);
    host_path_volumes(&pod, out);
    host_ports(&pod, out);
    host_probes(&pod, out);
    apparmor(&pod, out);
    selinux(&pod, out);
    proc_mount(&pod, out);
    seccomp(&pod, out);
    sysctls(&pod, out);
    volume_types(&pod, out);
    allow_privilege_escalation(&pod, out);
    run_as_non_root(&pod, out);
    run_as_user(&pod, out);
}

/// `(key, value)` of `key` in `map` when present and not null.
fn field(t: &Tree, map: Option<NodeId>, key: &str) -> Option<(NodeId, NodeId)> {
    let (k, v) = t.entry(map?, key)?;
    (!t.is_null(v)).then_some((k, v))
}

fn is_true(t: &Tree, map: Option<NodeId>, key: &str) -> Option<NodeId> {
    field(t, map, key).and_then(|(k, v)| (t.bool(v) == Some(true)).then_some(k))
}

fn host_process(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    if let Some(k) = is_true(
        t,
        p.sc.and_then(|s| t.get(s, "windowsOptions")),
        "hostProcess",
    ) {
        let f = format!("{}.securityContext.windowsOptions.hostProcess", p.ctx.path);
        p.issue(
            out,
            "pss-host-process",
            None,
            f,
            k,
            "the pod runs as a Windows HostProcess".into(),
        );
    }
    for c in &p.containers {
        let wo = p.csc(c).and_then(|s| t.get(s, "windowsOptions"));
        if let Some(k) = is_true(t, wo, "hostProcess") {
            let f = format!("{}.securityContext.windowsOptions.hostProcess", c.path);
            let d = format!("{} runs as a Windows HostProcess", Pod::who(c));
            p.issue(out, "pss-host-process", Some(c), f, k, d);
        }
    }
}

fn host_namespaces(p: &Pod, out: &mut Vec<Issue>) {
    for key in ["hostNetwork", "hostPID", "hostIPC"] {
        if let Some(k) = is_true(p.t, Some(p.ctx.spec), key) {
            let f = format!("{}.{key}", p.ctx.path);
            p.issue(
                out,
                "pss-host-namespaces",
                None,
                f,
                k,
                format!("{key} is true"),
            );
        }
    }
}

fn privileged(p: &Pod, out: &mut Vec<Issue>) {
    for c in &p.containers {
        if let Some(k) = is_true(p.t, p.csc(c), "privileged") {
            let f = format!("{}.securityContext.privileged", c.path);
            p.issue(
                out,
                "pss-privileged",
                Some(c),
                f,
                k,
                format!("{} is privileged", Pod::who(c)),
            );
        }
    }
}

/// Baseline (added capabilities outside the default set) and restricted
/// (drop ALL, add at most NET_BIND_SERVICE; not for Windows pods).
fn capabilities(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    for c in &p.containers {
        let caps = p.csc(c).and_then(|s| t.get(s, "capabilities"));
        let add = field(t, caps, "add").map(|(_, v)| v);
        let base = format!("{}.securityContext.capabilities", c.path);
        for (i, &item) in add.map(|a| t.items(a)).unwrap_or(&[]).iter().enumerate() {
            let cap = t.str(item).unwrap_or("");
            if !DEFAULT_CAPABILITIES.contains(&cap) {
                let d = format!("{} adds capability {cap}", Pod::who(c));
                p.issue(
                    out,
                    "pss-capabilities-baseline",
                    Some(c),
                    format!("{base}.add[{i}]"),
                    item,
                    d,
                );
            }
            if !p.windows && cap != "NET_BIND_SERVICE" {
                let d = format!("{} adds capability {cap}", Pod::who(c));
                p.issue(
                    out,
                    "pss-capabilities-restricted",
                    Some(c),
                    format!("{base}.add[{i}]"),
                    item,
                    d,
                );
            }
        }
        if p.windows {
            continue;
        }
        let drop = field(t, caps, "drop");
        let drops_all =
            drop.is_some_and(|(_, v)| t.items(v).iter().any(|&i| t.str(i) == Some("ALL")));
        if !drops_all {
            let at = drop.map_or(c.anchor, |(k, _)| k);
            let d = format!("{} does not drop ALL capabilities", Pod::who(c));
            p.issue(
                out,
                "pss-capabilities-restricted",
                Some(c),
                format!("{base}.drop"),
                at,
                d,
            );
        }
    }
}

fn volumes(p: &Pod) -> Vec<(usize, NodeId)> {
    p.t.get(p.ctx.spec, "volumes")
        .map(|v| p.t.items(v).iter().copied().enumerate().collect())
        .unwrap_or_default()
}

fn volume_name(t: &Tree, v: NodeId) -> String {
    t.str_at(v, &["name"]).unwrap_or("-").to_string()
}

fn host_path_volumes(p: &Pod, out: &mut Vec<Issue>) {
    for (i, v) in volumes(p) {
        if let Some((k, _)) = field(p.t, Some(v), "hostPath") {
            let f = format!("{}.volumes[{i}].hostPath", p.ctx.path);
            let d = format!("volume {} is a hostPath", volume_name(p.t, v));
            p.issue(out, "pss-host-path-volumes", None, f, k, d);
        }
    }
}

fn volume_types(p: &Pod, out: &mut Vec<Issue>) {
    for (i, v) in volumes(p) {
        for &(k, val) in p.t.pairs(v) {
            let Some(key) = p.t.str(k) else { continue };
            if RESTRICTED_VOLUME_TYPES.contains(&key) && !p.t.is_null(val) {
                let f = format!("{}.volumes[{i}].{key}", p.ctx.path);
                let d = format!("volume {} uses type {key}", volume_name(p.t, v));
                p.issue(out, "pss-volume-types", None, f, k, d);
            }
        }
    }
}

fn host_ports(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    for c in &p.containers {
        let Some(ports) = t.get(c.map, "ports") else {
            continue;
        };
        for (i, &port) in t.items(ports).iter().enumerate() {
            if let Some((k, v)) = field(t, Some(port), "hostPort")
                && t.int(v) != Some(0)
            {
                let f = format!("{}.ports[{i}].hostPort", c.path);
                let d = format!(
                    "{} binds host port {}",
                    Pod::who(c),
                    t.str(v).unwrap_or("?")
                );
                p.issue(out, "pss-host-ports", Some(c), f, k, d);
            }
        }
    }
}

fn host_probes(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    for c in &p.containers {
        let mut handlers: Vec<(String, NodeId)> = Vec::new();
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let Some(n) = t.get(c.map, probe) {
                handlers.push((probe.to_string(), n));
            }
        }
        for hook in ["postStart", "preStop"] {
            if let Some(n) = t.get_path(c.map, &["lifecycle", hook]) {
                handlers.push((format!("lifecycle.{hook}"), n));
            }
        }
        for (name, h) in handlers {
            for action in ["httpGet", "tcpSocket"] {
                let a = t.get(h, action);
                if let Some((k, v)) = field(t, a, "host")
                    && t.str(v).is_some_and(|s| !s.is_empty())
                {
                    let f = format!("{}.{name}.{action}.host", c.path);
                    let d = format!(
                        "{} {name} targets host {}",
                        Pod::who(c),
                        t.str(v).unwrap_or("")
                    );
                    p.issue(out, "pss-host-probes", Some(c), f, k, d);
                }
            }
        }
    }
}

fn apparmor_type_ok(t: &Tree, profile: NodeId) -> bool {
    matches!(
        t.str_at(profile, &["type"]),
        Some("RuntimeDefault" | "Localhost")
    )
}

fn apparmor(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    if let Some(ann) = p.ctx.meta.and_then(|m| t.get(m, "annotations")) {
        for &(k, v) in t.pairs(ann) {
            let Some(key) = t.str(k) else { continue };
            let Some(cname) = key.strip_prefix(APPARMOR_ANNOTATION) else {
                continue;
            };
            let value = t.str(v).unwrap_or("");
            if !(value.is_empty() || value == "runtime/default" || value.starts_with("localhost/"))
            {
                let f = format!("{}.annotations[\"{key}\"]", p.ctx.meta_path);
                let d = format!("container {cname} has AppArmor profile {value}");
                out.push(Issue {
                    check: "pss-apparmor",
                    container: Some(cname.to_string()),
                    field: f,
                    at: k,
                    detail: d,
                });
            }
        }
    }
    if let Some((k, v)) = field(t, p.sc, "appArmorProfile")
        && !apparmor_type_ok(t, v)
    {
        let f = format!("{}.securityContext.appArmorProfile.type", p.ctx.path);
        p.issue(
            out,
            "pss-apparmor",
            None,
            f,
            k,
            "the pod's AppArmor profile is not RuntimeDefault or Localhost".into(),
        );
    }
    for c in &p.containers {
        if let Some((k, v)) = field(t, p.csc(c), "appArmorProfile")
            && !apparmor_type_ok(t, v)
        {
            let f = format!("{}.securityContext.appArmorProfile.type", c.path);
            let d = format!(
                "{} AppArmor profile is not RuntimeDefault or Localhost",
                Pod::who(c)
            );
            p.issue(out, "pss-apparmor", Some(c), f, k, d);
        }
    }
}

fn selinux(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    let mut one = |sc: Option<NodeId>, path: &str, c: Option<&Container>, who: String| {
        let Some((_, opts)) = field(t, sc, "seLinuxOptions") else {
            return;
        };
        if let Some((k, v)) = field(t, Some(opts), "type") {
            let ty = t.str(v).unwrap_or("");
            if !ty.is_empty() && !SELINUX_TYPES.contains(&ty) {
                let f = format!("{path}.securityContext.seLinuxOptions.type");
                p.issue(
                    out,
                    "pss-selinux",
                    c,
                    f,
                    k,
                    format!("{who} uses SELinux type {ty}"),
                );
            }
        }
        for key in ["user", "role"] {
            if let Some((k, v)) = field(t, Some(opts), key)
                && t.str(v).is_some_and(|s| !s.is_empty())
            {
                let f = format!("{path}.securityContext.seLinuxOptions.{key}");
                p.issue(
                    out,
                    "pss-selinux",
                    c,
                    f,
                    k,
                    format!("{who} sets a SELinux {key}"),
                );
            }
        }
    };
    one(p.sc, &p.ctx.path, None, "the pod".into());
    for c in &p.containers {
        one(p.csc(c), &c.path, Some(c), Pod::who(c));
    }
}

fn proc_mount(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    for c in &p.containers {
        let Some((k, v)) = field(t, p.csc(c), "procMount") else {
            continue;
        };
        let value = t.str(v).unwrap_or("");
        if value == "Default" {
            continue;
        }
        let f = format!("{}.securityContext.procMount", c.path);
        let d = format!("{} uses procMount {value}", Pod::who(c));
        if !p.user_ns {
            p.issue(out, "pss-proc-mount", Some(c), f.clone(), k, d.clone());
        }
        p.issue(out, "pss-proc-mount-restricted", Some(c), f, k, d);
    }
}

/// Baseline: no `Unconfined` anywhere. Restricted (not for Windows pods):
/// RuntimeDefault or Localhost on the pod or on every container, and no
/// container overriding it with anything else.
fn seccomp(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    let ty = |sc: Option<NodeId>| {
        field(t, sc, "seccompProfile").map(|(k, v)| (k, t.str_at(v, &["type"]).unwrap_or("")))
    };
    let valid = |s: &str| s == "RuntimeDefault" || s == "Localhost";
    let pod = ty(p.sc);
    let pod_path = format!("{}.securityContext.seccompProfile.type", p.ctx.path);
    if let Some((k, s)) = pod {
        if s == "Unconfined" {
            p.issue(
                out,
                "pss-seccomp-baseline",
                None,
                pod_path.clone(),
                k,
                "the pod's seccomp profile is Unconfined".into(),
            );
        }
        if !valid(s) && !p.windows {
            let d = format!(
                "the pod's seccomp profile is {}",
                if s.is_empty() { "unset" } else { s }
            );
            p.issue(out, "pss-seccomp-restricted", None, pod_path, k, d);
        }
    }
    let pod_ok = pod.is_some_and(|(_, s)| valid(s));
    for c in &p.containers {
        let f = format!("{}.securityContext.seccompProfile.type", c.path);
        match ty(p.csc(c)) {
            Some((k, s)) => {
                if s == "Unconfined" {
                    let d = format!("{} seccomp profile is Unconfined", Pod::who(c));
                    p.issue(out, "pss-seccomp-baseline", Some(c), f.clone(), k, d);
                }
                if !valid(s) && !p.windows {
                    let d = format!(
                        "{} seccomp profile is {}",
                        Pod::who(c),
                        if s.is_empty() { "unset" } else { s }
                    );
                    p.issue(out, "pss-seccomp-restricted", Some(c), f, k, d);
                }
            }
            None if !pod_ok && !p.windows => {
                let d = format!("neither {} nor the pod sets a seccomp profile", Pod::who(c));
                p.issue(out, "pss-seccomp-restricted", Some(c), f, c.anchor, d);
            }
            None => {}
        }
    }
}

fn sysctls(p: &Pod, out: &mut Vec<Issue>) {
    let t = p.t;
    let Some((_, list)) = field(t, p.sc, "sysctls") else {
        return;
    };
    for (i, &s) in t.items(list).iter().enumerate() {
        let (at, name) = match t.entry(s, "name") {
            Some((k, v)) => (k, t.str(v).unwrap_or("")),
            None => (s, ""),
        };
        if !SAFE_SYSCTLS.contains(&name) {
            let f = format!("{}.securityContext.sysctls[{i}].name", p.ctx.path);
            p.issue(
                out,
                "pss-sysctls",
                None,
                f,
                at,
                format!("sysctl {name} is not in the safe set"),
            );
        }
    }
}

fn allow_privilege_escalation(p: &Pod, out: &mut Vec<Issue>) {
    if p.windows {
        return;
    }
    let t = p.t;
    for c in &p.containers {
        let f = format!("{}.securityContext.allowPrivilegeEscalation", c.path);
        match field(t, p.csc(c), "allowPrivilegeEscalation") {
            Some((_, v)) if t.bool(v) == Some(false) => {}
            Some((k, _)) => {
                let d = format!("{} allows privilege escalation", Pod::who(c));
                p.issue(out, "pss-allow-privilege-escalation", Some(c), f, k, d);
            }
            None => {
                let d = format!(
                    "{} does not set allowPrivilegeEscalation: false",
                    Pod::who(c)
                );
                p.issue(
                    out,
                    "pss-allow-privilege-escalation",
                    Some(c),
                    f,
                    c.anchor,
                    d,
                );
            }
        }
    }
}

fn run_as_non_root(p: &Pod, out: &mut Vec<Issue>) {
    if p.user_ns {
        return;
    }
    let t = p.t;
    let mut pod_ok = false;
    if let Some((k, v)) = field(t, p.sc, "runAsNonRoot") {
        if t.bool(v) == Some(true) {
            pod_ok = true;
        } else {
            let f = format!("{}.securityContext.runAsNonRoot", p.ctx.path);
            p.issue(
                out,
                "pss-run-as-non-root",
                None,
                f,
                k,
                "the pod sets runAsNonRoot: false".into(),
            );
        }
    }
    for c in &p.containers {
        let f = format!("{}.securityContext.runAsNonRoot", c.path);
        match field(t, p.csc(c), "runAsNonRoot") {
            Some((_, v)) if t.bool(v) == Some(true) => {}
            Some((k, _)) => {
                let d = format!("{} sets runAsNonRoot: false", Pod::who(c));
                p.issue(out, "pss-run-as-non-root", Some(c), f, k, d);
            }
            None if !pod_ok => {
                let d = format!(
                    "neither {} nor the pod sets runAsNonRoot: true",
                    Pod::who(c)
                );
                p.issue(out, "pss-run-as-non-root", Some(c), f, c.anchor, d);
            }
            None => {}
        }
    }
}

fn run_as_user(p: &Pod, out: &mut Vec<Issue>) {
    if p.user_ns {
        return;
    }
    let t = p.t;
    if let Some((k, v)) = field(t, p.sc, "runAsUser")
        && t.int(v) == Some(0)
    {
        let f = format!("{}.securityContext.runAsUser", p.ctx.path);
        p.issue(
            out,
            "pss-run-as-user",
            None,
            f,
            k,
            "the pod runs as uid 0".into(),
        );
    }
    for c in &p.containers {
        if let Some((k, v)) = field(t, p.csc(c), "runAsUser")
            && t.int(v) == Some(0)
        {
            let f = format!("{}.securityContext.runAsUser", c.path);
            p.issue(
                out,
                "pss-run-as-user",
                Some(c),
                f,
                k,
                format!("{} runs as uid 0", Pod::who(c)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::k8s::objects::{objects, pod_spec};
    use crate::detectors::k8s::yaml::{Limits, parse};

    /// A restricted-clean pod, with `pod` lines added to the pod spec and
    /// `sc` lines to container `c`'s securityContext (both pre-indented).
    /// The case's lines come last: lookups take the last of duplicate keys
    /// (as JSON decoding does), so a case can override the clean defaults.
    fn pod(pod: &str, sc: &str, extra_container: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {{type: RuntimeDefault}}\n{pod}  containers:\n  - name: c\n    image: c:1\n{extra_container}    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {{drop: [ALL]}}\n{sc}"
        )
    }

    fn ids(text: &str) -> Vec<&'static str> {
        let t = parse(text, Limits::default()).expect("valid yaml");
        let mut out = Vec::new();
        for o in objects(&t) {
            if let Some(p) = pod_spec(&t, &o) {
                check_pod(&t, &p, &mut out);
            }
        }
        let mut ids: Vec<&'static str> = out.iter().map(|i| i.check).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    #[test]
    fn clean_pod_is_clean() {
        assert_eq!(ids(&pod("", "", "")), Vec::<&str>::new());
    }

    #[test]
    fn each_baseline_control() {
        let cases: &[(&str, &str, &str, &[&str])] = &[
            ("  hostNetwork: true\n", "", "", &["pss-host-namespaces"]),
            ("  hostPID: false\n", "", "", &[]),
            ("", "      privileged: true\n", "", &["pss-privileged"]),
            ("", "      privileged: false\n", "", &[]),
            (
                "",
                "      windowsOptions: {hostProcess: true}\n",
                "",
                &["pss-host-process"],
            ),
            (
                "  volumes:\n  - name: h\n    hostPath: {path: /x}\n",
                "",
                "",
                &["pss-host-path-volumes", "pss-volume-types"],
            ),
            (
                "",
                "",
                "    ports: [{containerPort: 1, hostPort: 9}]\n",
                &["pss-host-ports"],
            ),
            (
                "",
                "",
                "    ports: [{containerPort: 1, hostPort: 0}]\n",
                &[],
            ),
            (
                "",
                "",
                "    readinessProbe: {tcpSocket: {host: x, port: 1}}\n",
                &["pss-host-probes"],
            ),
            (
                "",
                "",
                "    lifecycle: {preStop: {httpGet: {host: x, port: 1}}}\n",
                &["pss-host-probes"],
            ),
            (
                "",
                "",
                "    livenessProbe: {httpGet: {host: '', port: 1}}\n",
                &[],
            ),
            (
                "",
                "      appArmorProfile: {type: Unconfined}\n",
                "",
                &["pss-apparmor"],
            ),
            (
                "",
                "      appArmorProfile: {type: Localhost, localhostProfile: p}\n",
                "",
                &[],
            ),
            (
                "",
                "      seLinuxOptions: {type: spc_t}\n",
                "",
                &["pss-selinux"],
            ),
            (
                "",
                "      seLinuxOptions: {type: container_engine_t, level: 's0:c1'}\n",
                "",
                &[],
            ),
            (
                "",
                "      seLinuxOptions: {role: r}\n",
                "",
                &["pss-selinux"],
            ),
            (
                "",
                "      procMount: Unmasked\n",
                "",
                &["pss-proc-mount", "pss-proc-mount-restricted"],
            ),
            (
                "  hostUsers: false\n",
                "      procMount: Unmasked\n",
                "",
                &["pss-proc-mount-restricted"],
            ),
            (
                "",
                "      seccompProfile: {type: Unconfined}\n",
                "",
                &["pss-seccomp-baseline", "pss-seccomp-restricted"],
            ),
            (
                "  securityContext:\n    sysctls: [{name: kernel.msgmax, value: '1'}]\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n",
                "",
                "",
                &["pss-sysctls"],
            ),
            (
                "",
                "      capabilities: {drop: [ALL], add: [SYS_ADMIN]}\n",
                "",
                &["pss-capabilities-baseline", "pss-capabilities-restricted"],
            ),
            (
                "",
                "      capabilities: {drop: [ALL], add: [CHOWN]}\n",
                "",
                &["pss-capabilities-restricted"],
            ),
            (
                "",
                "      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n",
                "",
                &[],
            ),
        ];
        for (p, sc, extra, want) in cases {
            let text = pod(p, sc, extra);
            assert_eq!(ids(&text), *want, "pod {p:?} sc {sc:?} extra {extra:?}");
        }
    }

    #[test]
    fn each_restricted_control() {
        let base = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n";
        let c = "  containers:\n  - name: c\n    image: c:1\n";
        // nothing set: the four "must set" controls
        assert_eq!(
            ids(&format!("{base}{c}")),
            [
                "pss-allow-privilege-escalation",
                "pss-capabilities-restricted",
                "pss-run-as-non-root",
                "pss-seccomp-restricted"
            ]
        );
        // windows pods are exempt from three of them
        assert_eq!(
            ids(&format!("{base}  os: {{name: windows}}\n{c}")),
            ["pss-run-as-non-root"]
        );
        // user namespaces relax runAsNonRoot and runAsUser
        let sc = "    securityContext: {allowPrivilegeEscalation: false, runAsUser: 0, capabilities: {drop: [ALL]}, seccompProfile: {type: Localhost}}\n";
        assert_eq!(
            ids(&format!("{base}{c}{sc}")),
            ["pss-run-as-non-root", "pss-run-as-user"]
        );
        assert_eq!(
            ids(&format!("{base}  hostUsers: false\n{c}{sc}")),
            Vec::<&str>::new()
        );
        // pod-level runAsNonRoot: false fails even if every container says true
        let sc = "    securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}\n";
        assert_eq!(
            ids(&format!(
                "{base}  securityContext: {{runAsNonRoot: false}}\n{c}{sc}"
            )),
            ["pss-run-as-non-root"]
        );
        // restricted volume types; a name-only volume is an emptyDir
        let vols = "  volumes:\n  - name: a\n  - name: b\n    nfs: {server: s, path: /}\n  - name: c\n    csi: {driver: d}\n";
        assert_eq!(ids(&format!("{base}{vols}{c}{sc}")), ["pss-volume-types"]);
    }
}
