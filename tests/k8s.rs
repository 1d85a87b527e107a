//! Kubernetes pod security: the official Pod Security Standards conformance
//! fixtures (../shared/conformance/pod-security), the same pods wrapped in
//! every workload kind, and hand-written manifests with exact positions.

use crate::common::{Sandbox, fake};
use credsweep::detectors::k8s::PssLevel;
use credsweep::detectors::{Detector, Only, WorkerState};
use credsweep::finding::{Finding, FindingKind};
use credsweep::rules::{RuleSet, load};
use credsweep::sources::Blob;
use credsweep::stats::Stats;
use std::path::PathBuf;

/// The conformance fixtures folder, or `None` (the test is skipped, with
/// a printed reason) when `../shared` is missing.
fn conformance_dir(test: &str) -> Option<PathBuf> {
    crate::common::shared(test, "conformance/pod-security/index.jsonl")
        .and_then(|index| index.parent().map(PathBuf::from))
}

struct Fixture {
    file: String,
    level: String,
    expect: String,
    text: String,
}

fn fixtures(test: &str) -> Option<Vec<Fixture>> {
    let dir = conformance_dir(test)?;
    let index = std::fs::read_to_string(dir.join("index.jsonl")).expect("read index.jsonl");
    index
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("index line is JSON");
            let file = v["file"].as_str().expect("file").to_string();
            let text = std::fs::read_to_string(dir.join(&file)).expect("read fixture");
            Fixture {
                file,
                level: v["level"].as_str().expect("level").to_string(),
                expect: v["expect"].as_str().expect("expect").to_string(),
                text,
            }
        })
        .collect::<Vec<_>>()
        .into()
}

fn detector(level: &str) -> Detector {
    let rules = RuleSet::compile(load::load_rules(true, &[]).expect("no rules")).expect("compile");
    let mut d = Detector::new(rules);
    d.only = Only::PodSecurity;
    d.pod_security.level = match level {
        "baseline" => PssLevel::Baseline,
        _ => PssLevel::Restricted,
    };
    d
}

/// Pod-security findings of the standards (hygiene not counted).
fn pss_findings(d: &Detector, path: &str, text: &str) -> Vec<Finding> {
    let stats = Stats::default();
    let mut state = WorkerState::default();
    d.detect(&Blob::new(path, text.as_bytes()), &mut state, &stats)
        .into_iter()
        .filter(|f| f.kind == FindingKind::PodSecurity)
        .filter(|f| {
            f.pod_security
                .as_ref()
                .is_some_and(|p| &*p.level != "hygiene")
        })
        .collect()
}

#[derive(Default, Debug)]
struct Score {
    tp: usize,
    fn_: usize,
    fp: usize,
    tn: usize,
    wrong: Vec<String>,
}

/// Scores every fixture (optionally transformed) as the README says.
fn score(all: &[Fixture], wrap: &dyn Fn(&str) -> String, label: &str) -> Vec<(String, Score)> {
    assert_eq!(all.len(), 148, "index.jsonl should list 148 fixtures");
    let mut out = Vec::new();
    for level in ["baseline", "restricted"] {
        let d = detector(level);
        let mut s = Score::default();
        for fx in all.iter().filter(|f| f.level == level) {
            let text = wrap(&fx.text);
            let found = pss_findings(&d, "pod.yaml", &text);
            let fail = !found.is_empty();
            match (fx.expect.as_str(), fail) {
                ("fail", true) => s.tp += 1,
                ("fail", false) => {
                    s.fn_ += 1;
                    s.wrong.push(format!("FN {}", fx.file));
                }
                (_, true) => {
                    s.fp += 1;
                    let ids: Vec<&str> = found.iter().map(|f| f.rule_id.as_str()).collect();
                    s.wrong.push(format!("FP {} {ids:?}", fx.file));
                }
                (_, false) => s.tn += 1,
            }
        }
        println!(
            "{label} {level}: TP={} FN={} FP={} TN={}",
            s.tp, s.fn_, s.fp, s.tn
        );
        out.push((level.to_string(), s));
    }
    out
}

fn assert_perfect(results: Vec<(String, Score)>, label: &str) {
    for (level, s) in results {
        assert!(
            s.fn_ == 0 && s.fp == 0,
            "{label} {level}: FN={} FP={}\n{}",
            s.fn_,
            s.fp,
            s.wrong.join("\n")
        );
    }
}

#[test]
fn pss_conformance_fixtures_all_agree() {
    let Some(all) = fixtures("pss_conformance_fixtures_all_agree") else {
        return;
    };
    assert_perfect(score(&all, &|t| t.to_string(), "pod"), "pod");
}

/// Indents every line of `text` by `n` spaces.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The fixture pod's `metadata` and `spec` blocks, as written.
fn pod_parts(pod: &str) -> (String, String) {
    let mut meta = String::new();
    let mut spec = String::new();
    let mut cur: Option<&mut String> = None;
    for line in pod.lines() {
        if line.starts_with("metadata:") {
            cur = Some(&mut meta);
        } else if line.starts_with("spec:") {
            cur = Some(&mut spec);
        } else if !line.starts_with(' ') && !line.starts_with('-') {
            cur = None;
        }
        if let Some(buf) = cur.as_deref_mut() {
            buf.push_str(line);
            buf.push('\n');
        }
    }
    (meta, spec)
}

/// The pod as the template of `kind` (metadata and spec moved under
/// `template`, `jobTemplate.spec.template` or the PodTemplate's `template`).
fn wrap_in(kind: &str, pod: &str) -> String {
    let (meta, spec) = pod_parts(pod);
    let template = format!("{meta}{spec}");
    let (api, body) = match kind {
        "CronJob" => (
            "batch/v1",
            format!(
                "spec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n{}\n",
                indent(&template, 8)
            ),
        ),
        "PodTemplate" => ("v1", format!("template:\n{}\n", indent(&template, 2))),
        "Job" => (
            "batch/v1",
            format!("spec:\n  template:\n{}\n", indent(&template, 4)),
        ),
        "ReplicationController" => (
            "v1",
            format!("spec:\n  template:\n{}\n", indent(&template, 4)),
        ),
        _ => (
            "apps/v1",
            format!(
                "spec:\n  selector:\n    matchLabels: {{app: x}}\n  template:\n{}\n",
                indent(&template, 4)
            ),
        ),
    };
    format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: wrapped\n{body}")
}

#[test]
fn pss_conformance_fixtures_wrapped_in_every_workload_kind() {
    let Some(all) = fixtures("pss_conformance_fixtures_wrapped_in_every_workload_kind") else {
        return;
    };
    for kind in [
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "ReplicationController",
        "Job",
        "CronJob",
        "PodTemplate",
    ] {
        assert_perfect(score(&all, &|t| wrap_in(kind, t), kind), kind);
    }
}

#[test]
fn pss_conformance_fixtures_in_multi_doc_list_and_helm_output() {
    let Some(all) = fixtures("pss_conformance_fixtures_in_multi_doc_list_and_helm_output") else {
        return;
    };
    // every fixture after an unrelated document, with Helm's `# Source:`
    // comments, and again as the only item of a `kind: List`
    let helm = |t: &str| {
        format!(
            "---\n# Source: chart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n---\n# Source: chart/templates/pod.yaml\n{t}"
        )
    };
    assert_perfect(score(&all, &helm, "helm"), "helm");
    let list = |t: &str| format!("apiVersion: v1\nkind: List\nitems:\n-\n{}\n", indent(t, 2));
    assert_perfect(score(&all, &list, "list"), "list");
    let json = |t: &str| yaml_to_json(t);
    assert_perfect(score(&all, &json, "json"), "json");
}

/// The same object as pretty JSON (through serde_yaml, test-side only).
fn yaml_to_json(text: &str) -> String {
    let v: serde_json::Value = serde_yaml::from_str(text).expect("fixture is YAML");
    serde_json::to_string_pretty(&v).expect("to JSON")
}

/// The binary, on a sample of fixtures, scored the same way.
#[test]
fn pss_conformance_sample_through_the_binary() {
    let Some(dir) = conformance_dir("pss_conformance_sample_through_the_binary") else {
        return;
    };
    for (file, level, expect_fail) in [
        ("baseline/fail/privileged0.yaml", "baseline", true),
        ("baseline/pass/base.yaml", "baseline", false),
        (
            "restricted/fail/seccompprofile_restricted0.yaml",
            "restricted",
            true,
        ),
        ("restricted/pass/base_windows.yaml", "restricted", false),
        (
            "restricted/fail/procmount_restricted1.yaml",
            "restricted",
            true,
        ),
    ] {
        let out = crate::common::bin()
            .current_dir(&dir)
            .args([
                "scan",
                "--format",
                "json",
                "--only",
                "pod-security",
                "--no-hygiene",
                "--pod-security-level",
                level,
                file,
            ])
            .output()
            .expect("run credsweep");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let n = v["findings"].as_array().map_or(0, |a| a.len());
        assert_eq!(n > 0, expect_fail, "{file} at {level}: {n} findings");
        assert_eq!(
            out.status.code(),
            Some(if expect_fail { 1 } else { 0 }),
            "{file}"
        );
    }
}

// ---------------------------------------------------------------------------
// Hand-written fixtures, driven through the binary, positions exact.

type Row = (String, usize, usize, String, Option<String>, String);

fn fixture(name: &str) -> String {
    let p = format!("{}/fixtures/k8s/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Runs `credsweep scan --format jsonl <args>` in `sb`; returns the exit
/// code, the parsed findings and stderr.
fn run(sb: &Sandbox, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let mut all = vec!["scan", "--format", "jsonl", "--color", "never"];
    all.extend_from_slice(args);
    let out = sb.cmd(all).output().expect("run credsweep");
    let findings = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl line"))
        .collect();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), findings, stderr)
}

fn rows(findings: &[serde_json::Value]) -> Vec<Row> {
    findings
        .iter()
        .filter(|f| f["kind"] == "pod-security")
        .map(|f| {
            let p = &f["pod_security"];
            (
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0) as usize,
                f["location"]["column"].as_u64().unwrap_or(0) as usize,
                p["object"].as_str().unwrap_or("").to_string(),
                p["container"].as_str().map(str::to_string),
                p["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn row(id: &str, line: usize, col: usize, obj: &str, c: Option<&str>, field: &str) -> Row {
    (
        id.to_string(),
        line,
        col,
        obj.to_string(),
        c.map(str::to_string),
        field.to_string(),
    )
}

#[test]
fn every_workload_kind_at_baseline_with_exact_lines() {
    let sb = Sandbox::new();
    sb.file("deploy/all.yaml", &fixture("workloads.yaml"));
    let (code, found, stderr) = run(
        &sb,
        &["--pod-security-level", "baseline", "--no-hygiene", "deploy"],
    );
    assert_eq!(code, 1, "{stderr}");
    let t = "spec.template.spec";
    let expected = vec![
        row(
            "pss-privileged",
            20,
            11,
            "Deployment/shop/web",
            Some("app"),
            &format!("{t}.containers[0].securityContext.privileged"),
        ),
        row(
            "pss-host-namespaces",
            29,
            7,
            "StatefulSet/default/db",
            None,
            &format!("{t}.hostPID"),
        ),
        row(
            "pss-host-namespaces",
            42,
            7,
            "DaemonSet/kube-system/agent",
            None,
            &format!("{t}.hostNetwork"),
        ),
        row(
            "pss-host-ports",
            59,
            11,
            "ReplicaSet/default/rs",
            Some("c"),
            &format!("{t}.containers[0].ports[0].hostPort"),
        ),
        row(
            "pss-host-path-volumes",
            72,
            9,
            "ReplicationController/default/rc",
            None,
            &format!("{t}.volumes[0].hostPath"),
        ),
        row(
            "pss-capabilities-baseline",
            90,
            19,
            "Job/default/migrate",
            Some("m"),
            &format!("{t}.containers[0].securityContext.capabilities.add[0]"),
        ),
        row(
            "pss-sysctls",
            104,
            15,
            "CronJob/default/nightly",
            None,
            "spec.jobTemplate.spec.template.spec.securityContext.sysctls[0].name",
        ),
        row(
            "pss-apparmor",
            117,
            7,
            "PodTemplate/default/tmpl",
            Some("t"),
            "template.metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/t\"]",
        ),
    ];
    assert_eq!(rows(&found), expected);
    for f in &found {
        assert_eq!(f["location"]["path"], "deploy/all.yaml");
        assert_eq!(f["severity"], "high");
        assert_eq!(f["pod_security"]["level"], "baseline");
        assert!(f["secret"].is_null());
        assert!(f["message"].as_str().unwrap_or("").contains("fix: "));
    }
}

#[test]
fn pod_level_settings_are_inherited_and_container_values_override() {
    let sb = Sandbox::new();
    sb.file("pod.yaml", &fixture("overrides.yaml"));
    let (code, found, _) = run(&sb, &["--no-hygiene", "pod.yaml"]);
    assert_eq!(code, 1);
    let c1 = "spec.containers[1].securityContext";
    let e0 = "spec.ephemeralContainers[0].securityContext";
    let obj = "Pod/default/mixed";
    assert_eq!(
        rows(&found),
        vec![
            row(
                "pss-run-as-non-root",
                22,
                7,
                obj,
                Some("rooty"),
                &format!("{c1}.runAsNonRoot")
            ),
            row(
                "pss-run-as-user",
                23,
                7,
                obj,
                Some("rooty"),
                &format!("{c1}.runAsUser")
            ),
            row(
                "pss-seccomp-baseline",
                24,
                7,
                obj,
                Some("rooty"),
                &format!("{c1}.seccompProfile.type")
            ),
            row(
                "pss-seccomp-restricted",
                24,
                7,
                obj,
                Some("rooty"),
                &format!("{c1}.seccompProfile.type")
            ),
            row(
                "pss-capabilities-baseline",
                28,
                33,
                obj,
                Some("rooty"),
                &format!("{c1}.capabilities.add[1]")
            ),
            row(
                "pss-capabilities-restricted",
                28,
                33,
                obj,
                Some("rooty"),
                &format!("{c1}.capabilities.add[1]")
            ),
            row(
                "pss-privileged",
                40,
                7,
                obj,
                Some("debug"),
                &format!("{e0}.privileged")
            ),
            row(
                "pss-allow-privilege-escalation",
                41,
                7,
                obj,
                Some("debug"),
                &format!("{e0}.allowPrivilegeEscalation")
            ),
        ]
    );
    let sev: Vec<&str> = found
        .iter()
        .map(|f| f["severity"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        sev,
        [
            "medium", "medium", "high", "medium", "high", "medium", "high", "medium"
        ]
    );
}

#[test]
fn hygiene_checks_with_exact_lines_and_no_secret_in_output() {
    let sb = Sandbox::new();
    sb.file("hygiene.yaml", &fixture("hygiene.yaml"));
    let (code, found, _) = run(&sb, &["--only", "pod-security", "hygiene.yaml"]);
    assert_eq!(code, 1);
    let hygiene: Vec<Row> = rows(&found)
        .into_iter()
        .filter(|r| r.0.starts_with("hygiene-"))
        .collect();
    let t = "spec.template.spec";
    let d = "Deployment/default/api";
    assert_eq!(
        hygiene,
        vec![
            row(
                "hygiene-automount-token",
                9,
                7,
                d,
                None,
                &format!("{t}.automountServiceAccountToken")
            ),
            row(
                "hygiene-runtime-socket",
                13,
                11,
                d,
                None,
                &format!("{t}.volumes[0].hostPath.path")
            ),
            row(
                "hygiene-sensitive-host-path",
                16,
                11,
                d,
                None,
                &format!("{t}.volumes[1].hostPath.path")
            ),
            row(
                "hygiene-image-latest",
                19,
                9,
                d,
                Some("api"),
                &format!("{t}.containers[0].image")
            ),
            row(
                "hygiene-env-literal-secret",
                22,
                11,
                d,
                Some("api"),
                &format!("{t}.containers[0].env[0].value")
            ),
            row(
                "hygiene-resource-limits",
                29,
                11,
                d,
                Some("api"),
                &format!("{t}.containers[0].resources.limits.cpu")
            ),
            row(
                "hygiene-readonly-root-fs",
                38,
                11,
                d,
                Some("sidecar"),
                &format!("{t}.containers[1].securityContext.readOnlyRootFilesystem")
            ),
            row(
                "hygiene-netpol-allow-all-egress",
                48,
                5,
                "NetworkPolicy/default/open-egress",
                None,
                "spec.egress[0]"
            ),
        ]
    );
    for f in &found {
        if f["pod_security"]["level"] == "hygiene" {
            assert_eq!(f["severity"], "low");
        }
        assert!(!f.to_string().contains("hunter2"), "env value leaked: {f}");
    }
    // --no-hygiene drops them all
    let (_, found, _) = run(
        &sb,
        &["--only", "pod-security", "--no-hygiene", "hygiene.yaml"],
    );
    assert!(rows(&found).iter().all(|r| r.0.starts_with("pss-")));
}

#[test]
fn level_baseline_hides_restricted_findings() {
    let sb = Sandbox::new();
    sb.file(
        "p.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n",
    );
    let (code, found, _) = run(
        &sb,
        &["--no-hygiene", "--pod-security-level", "baseline", "p.yaml"],
    );
    assert_eq!((code, found.len()), (0, 0));
    let (code, found, _) = run(&sb, &["--no-hygiene", "p.yaml"]);
    assert_eq!(code, 1);
    let ids: Vec<String> = rows(&found).into_iter().map(|r| r.0).collect();
    assert_eq!(
        ids,
        [
            "pss-allow-privilege-escalation",
            "pss-capabilities-restricted",
            "pss-run-as-non-root",
            "pss-seccomp-restricted"
        ]
    );
    // a missing field points at the container's `name:` line
    assert!(rows(&found).iter().all(|r| (r.1, r.2) == (7, 5)));
}

#[test]
fn allow_annotation_and_inline_comments_suppress() {
    let sb = Sandbox::new();
    sb.file(
        "d.yaml",
        "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    credsweep.io/allow: pss-privileged, pss-host-namespaces
spec:
  template:
    metadata:
      annotations:
        credsweep.io/allow: pss-host-ports
    spec:
      hostNetwork: true
      containers:
      - name: c
        image: c:1
        ports: [{containerPort: 1, hostPort: 1}]
        securityContext:
          privileged: true
          # credsweep:allow-next-line
          runAsUser: 0
          procMount: Unmasked # credsweep:allow pss-proc-mount
",
    );
    let (code, found, _) = run(
        &sb,
        &["--no-hygiene", "--pod-security-level", "baseline", "d.yaml"],
    );
    assert_eq!(code, 0, "{found:?}");
    let (_, found, _) = run(&sb, &["--no-hygiene", "d.yaml"]);
    let ids: Vec<(String, usize)> = rows(&found).into_iter().map(|r| (r.0, r.1)).collect();
    // restricted still applies where not allowed; runAsUser is allowed by
    // the comment, procMount only at baseline
    assert_eq!(
        ids,
        [
            ("pss-allow-privilege-escalation".to_string(), 15),
            ("pss-capabilities-restricted".to_string(), 15),
            ("pss-run-as-non-root".to_string(), 15),
            ("pss-seccomp-restricted".to_string(), 15),
            ("pss-proc-mount-restricted".to_string(), 22),
        ]
    );
}

#[test]
fn secret_object_data_is_decoded_and_reported_at_the_key() {
    let sb = Sandbox::new();
    let token = fake::github_pat(7);
    let b64 = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("{token}\n"))
    };
    let plain = fake::github_pat(8);
    sb.file(
        "secret.yaml",
        &format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\n  namespace: ci\ntype: Opaque\ndata:\n  other: aGVsbG8=\n  gh: {b64}\nstringData:\n  plain: {plain}\n"
        ),
    );
    let out = sb
        .cmd([
            "scan",
            "--format",
            "jsonl",
            "--only",
            "secrets",
            "secret.yaml",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(&token) && !stdout.contains(&plain));
    let found: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect();
    let got: Vec<(String, u64, u64, u64, bool)> = found
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["location"]["column"].as_u64().unwrap_or(0),
                f["location"]["end_column"].as_u64().unwrap_or(0),
                f["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("base64-decoded"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("github-pat".to_string(), 9, 7, 7 + b64.len() as u64, true),
            // the plain value is found once, by the plain-text scan
            ("github-pat".to_string(), 11, 10, 50, false),
        ]
    );
    assert_eq!(found[0]["secret"]["validated"], "checksum");

    // base64 wrapped over short lines (Kubernetes' decoder skips newlines):
    // no single run is long enough for the generic base64 pass, this one
    // joins the lines, decodes, and names the object and key
    let wrapped: String = b64
        .as_bytes()
        .chunks(12)
        .map(|c| format!("    {}\n", String::from_utf8_lossy(c)))
        .collect();
    sb.file(
        "secret.yaml",
        &format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\n  namespace: ci\ndata:\n  gh: |\n{wrapped}"
        ),
    );
    let (code, found, _) = run(&sb, &["--only", "secrets", "secret.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["rule_id"], "github-pat");
    assert_eq!(
        (
            found[0]["location"]["line"].as_u64(),
            found[0]["location"]["column"].as_u64()
        ),
        (Some(7), Some(3))
    );
    assert_eq!(
        found[0]["message"].as_str().unwrap_or(""),
        "GitHub personal access token (classic) (in Secret/ci/gh data.gh, base64-decoded)"
    );
    assert!(!found[0].to_string().contains(&token));
}

#[test]
fn helm_templates_and_non_kubernetes_yaml_are_quietly_ignored() {
    let sb = Sandbox::new();
    sb.file(
        "chart/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"x.fullname\" . }}\nspec:\n  template:\n    spec:\n      hostNetwork: {{ .Values.hostNetwork }}\n      containers:\n      {{- toYaml .Values.containers | nindent 8 }}\n",
    );
    sb.file(
        ".github/workflows/ci.yml",
        "name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n    - uses: actions/checkout@v4\n      with: {kind: full, apiVersion: 2}\n",
    );
    sb.file(
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n    privileged: true\n    network_mode: host\n",
    );
    sb.file(
        "values.yaml",
        "securityContext:\n  privileged: true\nkind: whatever\n",
    );
    sb.file("broken.json", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",");
    let (code, found, stderr) = run(&sb, &[]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn yaml_bomb_is_a_warning_not_a_crash() {
    let sb = Sandbox::new();
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let p = format!("*a{}", i - 1);
        bomb.push_str(&format!("  a{i}: &a{i} [{}]\n", vec![p; 9].join(", ")));
    }
    sb.file("bomb.yaml", &bomb);
    // a ConfigMap is parsed for its values (the secret pass); with
    // `--only pod-security` it is not parsed at all, so nothing to warn about
    let (code, found, stderr) = run(&sb, &["bomb.yaml"]);
    assert_eq!((code, found.len()), (0, 0));
    assert!(
        stderr.contains("credsweep: warning: bomb.yaml:10: ") && stderr.contains("too many nodes"),
        "{stderr}"
    );
}

#[test]
fn stdin_json_manifest_is_checked() {
    let sb = Sandbox::new();
    let json = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"j\"},\n  \"spec\": {\n    \"hostIPC\": true,\n    \"containers\": [{\"name\": \"c\", \"image\": \"c:1\"}]\n  }\n}\n";
    let out = sb
        .cmd([
            "scan",
            "--format",
            "json",
            "--only",
            "pod-security",
            "--pod-security-level",
            "baseline",
            "--no-hygiene",
            "-",
        ])
        .write_stdin(json)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = &v["findings"][0];
    assert_eq!(f["rule_id"], "pss-host-namespaces");
    assert_eq!(f["kind"], "pod-security");
    assert_eq!(
        (
            f["location"]["path"].as_str(),
            f["location"]["line"].as_u64(),
            f["location"]["column"].as_u64()
        ),
        (Some("-"), Some(6), Some(5))
    );
    assert_eq!(
        f["pod_security"],
        serde_json::json!({"level": "baseline", "object": "Pod/default/j", "container": null, "field": "spec.hostIPC"})
    );
    assert_eq!(v["findings"].as_array().map(|a| a.len()), Some(1));
}

#[test]
fn fingerprints_survive_line_moves() {
    let sb = Sandbox::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: c:1\n";
    sb.file("a.yaml", pod);
    let (_, a, _) = run(
        &sb,
        &["--no-hygiene", "--pod-security-level", "baseline", "a.yaml"],
    );
    sb.file("a.yaml", &format!("# moved\n\n{pod}"));
    let (_, b, _) = run(
        &sb,
        &["--no-hygiene", "--pod-security-level", "baseline", "a.yaml"],
    );
    assert_eq!(a.len(), 1);
    assert_eq!(a[0]["fingerprint"], b[0]["fingerprint"]);
    assert_eq!(
        (
            a[0]["location"]["line"].as_u64(),
            b[0]["location"]["line"].as_u64()
        ),
        (Some(6), Some(8))
    );
}

#[test]
fn check_ids_are_explained_and_described_in_sarif() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(["rules", "explain", "hygiene-image-latest"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("unpinned image (hygiene-image-latest)\n"),
        "{text}"
    );
    assert!(text.contains("\nWhat to do\n  pin the image"), "{text}");

    sb.file(
        "p.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: c, image: c:1}]\n",
    );
    let out = sb
        .cmd([
            "scan",
            "--format",
            "sarif",
            "--no-hygiene",
            "--pod-security-level",
            "baseline",
            "p.yaml",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif json");
    let rule = &v["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "pss-host-namespaces");
    assert_eq!(rule["shortDescription"]["text"], "host namespace shared");
    assert!(
        rule["help"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("pod-security-standards")
    );
    let result = &v["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    assert_eq!(result["level"], "error");
}

#[test]
fn config_level_and_disable_and_flag_precedence() {
    let sb = Sandbox::new();
    sb.file(
        ".credsweep.yaml",
        "pod_security:\n  level: baseline\n  disable: [hygiene-image-latest, hygiene-automount-token]\n  exempt: [\"Pod/kube-system/*\"]\n",
    );
    let pod = |ns: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: {ns}}}\nspec:\n  hostIPC: true\n  containers:\n  - name: c\n    image: c\n    resources: {{limits: {{cpu: 1, memory: 1Gi}}}}\n    securityContext: {{readOnlyRootFilesystem: true}}\n"
        )
    };
    sb.file("app.yaml", &pod("app"));
    sb.file("sys.yaml", &pod("kube-system"));
    let ids = |found: &[serde_json::Value]| -> Vec<String> {
        rows(found)
            .into_iter()
            .map(|r| format!("{}:{}", r.3, r.0))
            .collect()
    };
    let (code, found, _) = run(&sb, &["."]);
    assert_eq!(code, 1);
    assert_eq!(ids(&found), ["Pod/app/p:pss-host-namespaces"]);
    let (_, found, _) = run(&sb, &["--pod-security-level", "restricted", "."]);
    assert_eq!(
        ids(&found),
        [
            "Pod/app/p:pss-host-namespaces",
            "Pod/app/p:pss-allow-privilege-escalation",
            "Pod/app/p:pss-capabilities-restricted",
            "Pod/app/p:pss-run-as-non-root",
            "Pod/app/p:pss-seccomp-restricted",
        ]
    );
}

#[test]
fn manifests_in_git_history_are_checked_and_attributed() {
    let sb = Sandbox::new();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(sb.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Ada")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .output()
            .expect("run git");
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    git(&["init", "-q", "-b", "main"]);
    sb.file(
        "k8s/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: c:1}]\n",
    );
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "Add pod"]);
    let id = git(&["rev-parse", "HEAD"]);
    let out = sb
        .cmd(["git", "--format", "jsonl", "--only", "pod-security", "."])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let found: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect();
    let baseline: Vec<&serde_json::Value> = found
        .iter()
        .filter(|f| f["pod_security"]["level"] == "baseline")
        .collect();
    assert_eq!(baseline.len(), 1, "{stdout}");
    assert_eq!(baseline[0]["rule_id"], "pss-host-namespaces");
    assert_eq!(baseline[0]["location"]["path"], "k8s/pod.yaml");
    assert_eq!(baseline[0]["location"]["line"], 5);
    assert_eq!(baseline[0]["commit"]["id"], id.as_str());
    assert_eq!(out.status.code(), Some(1));
    // the same level switch as `scan`
    let out = sb
        .cmd([
            "git",
            "--format",
            "jsonl",
            "--only",
            "pod-security",
            "--pod-security-level",
            "baseline",
            "--no-hygiene",
            ".",
        ])
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn binary_data_is_decoded_and_allow_all_annotation_silences_a_workload() {
    let sb = Sandbox::new();
    let token = fake::github_pat(11);
    let b64 = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(&token)
    };
    sb.file(
        "cm.yaml",
        &format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm}}\nbinaryData:\n  blob: {b64}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: legacy\n  annotations: {{credsweep.io/allow: all}}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers: [{{name: c, image: c}}]\n"
        ),
    );
    let (code, found, _) = run(&sb, &["cm.yaml"]);
    assert_eq!(code, 1);
    let got: Vec<(String, u64)> = found
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(got, [("github-pat".to_string(), 5)]);
    // reported once, by the generic base64 pass or by ours
    let msg = found[0]["message"].as_str().unwrap_or("");
    assert!(msg.contains("base64-decoded"), "{msg}");
}

#[test]
fn one_broken_document_does_not_hide_the_others() {
    let sb = Sandbox::new();
    sb.file(
        "rendered.yaml",
        "---\n# Source: chart/templates/broken.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n---\n# Source: chart/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers: [{name: c, image: c:1}]\n",
    );
    let (code, found, stderr) = run(
        &sb,
        &[
            "--no-hygiene",
            "--pod-security-level",
            "baseline",
            "rendered.yaml",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        rows(&found),
        [row(
            "pss-host-namespaces",
            14,
            3,
            "Pod/default/p",
            None,
            "spec.hostPID"
        )]
    );
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn baseline_accepts_pod_security_findings_across_line_moves() {
    let sb = Sandbox::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: c, image: c:1}]\n";
    sb.file("k/p.yaml", pod);
    sb.cmd(["scan", "--write-baseline", "base.json", "k"])
        .assert()
        .code(1);
    sb.file("k/p.yaml", &format!("# moved down\n{pod}"));
    let (code, found, _) = run(&sb, &["--baseline", "base.json", "k"]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
    // a new problem in the same pod is still reported
    sb.file(
        "k/p.yaml",
        &format!(
            "# moved down\n{}",
            pod.replace("hostPID", "hostIPC: true\n  hostPID")
        ),
    );
    let (code, found, _) = run(&sb, &["--baseline", "base.json", "k"]);
    assert_eq!(code, 1);
    assert_eq!(
        rows(&found),
        [row(
            "pss-host-namespaces",
            6,
            3,
            "Pod/default/p",
            None,
            "spec.hostIPC"
        )]
    );
}
