//! The catalogue of pod-security checks: stable id, level, severity, a
//! one-line title and how to fix it. One table feeds finding messages,
//! `rules explain`, SARIF rule descriptions and the README, so the words
//! live in one place. The checks themselves live in [`super::pss`] and
//! [`super::hygiene`].

use crate::finding::Severity;

/// Which group a check belongs to. Baseline and restricted are the Pod
/// Security Standards levels; hygiene is credsweep's own extra advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckLevel {
    Baseline,
    Restricted,
    Hygiene,
}

impl CheckLevel {
    /// The name used in `pod_security.level`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckLevel::Baseline => "baseline",
            CheckLevel::Restricted => "restricted",
            CheckLevel::Hygiene => "hygiene",
        }
    }

    /// Baseline high (the pod can take over its node), restricted medium
    /// (hardening the standard expects), hygiene low (operators' advice).
    pub fn severity(self) -> Severity {
        match self {
            CheckLevel::Baseline => Severity::High,
            CheckLevel::Restricted => Severity::Medium,
            CheckLevel::Hygiene => Severity::Low,
        }
    }
}

/// One check's documentation.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// Stable, lowercase; what annotations, inline ignores and config name.
    pub id: &'static str,
    pub level: CheckLevel,
    /// What is wrong, in a few words.
    pub title: &'static str,
    /// Why it matters.
    pub description: &'static str,
    /// What to change.
    pub fix: &'static str,
}

macro_rules! check {
    ($id:literal, $level:ident, $title:literal, $desc:literal, $fix:literal) => {
        Check {
            id: $id,
            level: CheckLevel::$level,
            title: $title,
            description: $desc,
            fix: $fix,
        }
    };
}

/// Every check, baseline first, then restricted, then hygiene.
pub const CHECKS: &[Check] = &[
    check!(
        "pss-host-process",
        Baseline,
        "Windows HostProcess container",
        "A HostProcess container runs directly on the Windows node with the node's privileges.",
        "remove windowsOptions.hostProcess (or set it to false)"
    ),
    check!(
        "pss-host-namespaces",
        Baseline,
        "host namespace shared",
        "hostNetwork, hostPID or hostIPC let the pod see and talk to everything on the node.",
        "remove hostNetwork/hostPID/hostIPC (or set them to false)"
    ),
    check!(
        "pss-privileged",
        Baseline,
        "privileged container",
        "A privileged container has every capability and all host devices: it is root on the node.",
        "remove securityContext.privileged (or set it to false)"
    ),
    check!(
        "pss-capabilities-baseline",
        Baseline,
        "capability added beyond the default set",
        "Capabilities such as SYS_ADMIN or NET_ADMIN give kernel powers a container does not need.",
        "add only capabilities from the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT)"
    ),
    check!(
        "pss-host-path-volumes",
        Baseline,
        "hostPath volume",
        "A hostPath volume exposes the node's file system to the pod.",
        "use an emptyDir, configMap, secret or persistentVolumeClaim volume instead of hostPath"
    ),
    check!(
        "pss-host-ports",
        Baseline,
        "hostPort used",
        "A hostPort binds the node's network interface and bypasses network policy.",
        "remove hostPort (or set it to 0) and expose the pod through a Service"
    ),
    check!(
        "pss-host-probes",
        Baseline,
        "probe or lifecycle handler targets another host",
        "A probe or lifecycle handler with a host can make the kubelet send requests to any address.",
        "remove the host field from httpGet/tcpSocket probes and lifecycle handlers"
    ),
    check!(
        "pss-apparmor",
        Baseline,
        "AppArmor disabled or overridden",
        "An Unconfined or custom AppArmor profile removes the default confinement.",
        "use appArmorProfile.type RuntimeDefault or Localhost (annotation: runtime/default or localhost/<profile>)"
    ),
    check!(
        "pss-selinux",
        Baseline,
        "custom SELinux options",
        "A custom SELinux user, role or type can escape the container's SELinux confinement.",
        "leave seLinuxOptions.user and .role empty and use type container_t, container_init_t, container_kvm_t or container_engine_t"
    ),
    check!(
        "pss-proc-mount",
        Baseline,
        "unmasked /proc",
        "procMount Unmasked exposes kernel settings under /proc that are normally hidden.",
        "remove securityContext.procMount (or set it to Default)"
    ),
    check!(
        "pss-seccomp-baseline",
        Baseline,
        "seccomp disabled",
        "seccompProfile Unconfined lets the container make every system call.",
        "set seccompProfile.type to RuntimeDefault or Localhost"
    ),
    check!(
        "pss-sysctls",
        Baseline,
        "unsafe sysctl",
        "Sysctls outside the safe set change node-wide kernel settings.",
        "use only the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_*, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem, net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat)"
    ),
    check!(
        "pss-volume-types",
        Restricted,
        "volume type not allowed at restricted",
        "Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes are allowed at restricted.",
        "use one of the allowed volume types, e.g. a persistentVolumeClaim"
    ),
    check!(
        "pss-allow-privilege-escalation",
        Restricted,
        "privilege escalation allowed",
        "Without allowPrivilegeEscalation: false a process can gain more privileges than its parent (setuid binaries).",
        "set securityContext.allowPrivilegeEscalation: false on every container"
    ),
    check!(
        "pss-run-as-non-root",
        Restricted,
        "may run as root",
        "Without runAsNonRoot: true the container may run as root (uid 0).",
        "set securityContext.runAsNonRoot: true on the pod (or every container) and do not set it to false"
    ),
    check!(
        "pss-run-as-user",
        Restricted,
        "runs as uid 0",
        "runAsUser: 0 runs the container as root.",
        "set runAsUser to a non-zero uid (or remove it and use runAsNonRoot: true)"
    ),
    check!(
        "pss-seccomp-restricted",
        Restricted,
        "no seccomp profile",
        "The restricted level requires a seccomp profile on every container.",
        "set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod or every container"
    ),
    check!(
        "pss-capabilities-restricted",
        Restricted,
        "capabilities not dropped",
        "The restricted level requires dropping ALL capabilities and adding back at most NET_BIND_SERVICE.",
        "set securityContext.capabilities.drop: [ALL] and add only NET_BIND_SERVICE"
    ),
    check!(
        "pss-proc-mount-restricted",
        Restricted,
        "unmasked /proc",
        "The restricted level requires the default /proc mount even in a user namespace.",
        "remove securityContext.procMount (or set it to Default)"
    ),
    check!(
        "hygiene-env-literal-secret",
        Hygiene,
        "secret-looking literal in env",
        "A password or token written into the manifest is readable by everyone who can read the manifest or the pod spec.",
        "move the value into a Secret and use env[].valueFrom.secretKeyRef"
    ),
    check!(
        "hygiene-runtime-socket",
        Hygiene,
        "container runtime socket mounted",
        "A mounted docker/containerd/CRI-O socket lets the pod start privileged containers on the node.",
        "do not mount the container runtime socket; use a build service or rootless builder"
    ),
    check!(
        "hygiene-sensitive-host-path",
        Hygiene,
        "sensitive host path mounted",
        "Mounting /, /etc, /proc, /sys, /root, /var/lib/kubelet and similar exposes node credentials and configuration.",
        "mount only what the pod needs, read-only, or use a non-hostPath volume"
    ),
    check!(
        "hygiene-automount-token",
        Hygiene,
        "service account token mounted",
        "Most pods never call the Kubernetes API; a mounted token is a credential an attacker can use.",
        "set automountServiceAccountToken: false in the pod spec unless the pod calls the API"
    ),
    check!(
        "hygiene-readonly-root-fs",
        Hygiene,
        "writable root file system",
        "A writable root file system lets an attacker modify binaries and drop tools.",
        "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes"
    ),
    check!(
        "hygiene-resource-limits",
        Hygiene,
        "missing resource limit",
        "Without CPU and memory limits one pod can starve its node.",
        "set resources.limits.cpu and resources.limits.memory"
    ),
    check!(
        "hygiene-image-latest",
        Hygiene,
        "unpinned image",
        "An image without a tag, or tagged latest, changes under you: deploys are not reproducible and may pull a compromised image.",
        "pin the image to a version tag, or better a digest (image@sha256:...)"
    ),
    check!(
        "hygiene-netpol-allow-all-egress",
        Hygiene,
        "NetworkPolicy allows all egress",
        "An egress rule without destinations lets the selected pods send data anywhere.",
        "list the destinations (to: podSelector/namespaceSelector/ipBlock) and ports the pods need"
    ),
];

/// Where the Pod Security Standards are defined.
pub const PSS_REFERENCE: &str =
    "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

/// References for a check (the standard, for PSS checks).
pub fn references(check: &Check) -> Vec<String> {
    match check.level {
        CheckLevel::Hygiene => Vec::new(),
        _ => vec![PSS_REFERENCE.to_string()],
    }
}

/// `credsweep rules explain <check-id>`: the same sections as a rule.
pub fn explain(check: &Check, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(out, "{} ({})", check.title, check.id)?;
    writeln!(out, "severity: {}", check.level.severity())?;
    writeln!(out, "kind: pod-security, level {}", check.level.as_str())?;
    writeln!(out, "\nWhat it is\n  {}", check.description)?;
    writeln!(out, "\nWhat to do\n  {}", check.fix)?;
    writeln!(
        out,
        "  (or allow it for one workload: annotation credsweep.io/allow: {})",
        check.id
    )?;
    let refs = references(check);
    if !refs.is_empty() {
        writeln!(out, "\nReferences")?;
        for r in refs {
            writeln!(out, "  {r}")?;
        }
    }
    Ok(())
}

/// The check with this id.
pub fn find(id: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_lowercase_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for c in CHECKS {
            assert!(seen.insert(c.id), "duplicate {}", c.id);
            assert!(
                c.id.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}",
                c.id
            );
            assert!(!c.title.is_empty() && !c.description.is_empty() && !c.fix.is_empty());
            let prefix = match c.level {
                CheckLevel::Hygiene => "hygiene-",
                _ => "pss-",
            };
            assert!(c.id.starts_with(prefix), "{}", c.id);
        }
        assert!(find("hygiene-image-latest").is_some());
    }
}
