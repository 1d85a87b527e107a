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

const CONFORMANCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/conformance/pod-security"
);

fn conformance_dir() -> PathBuf {
    let dir = PathBuf::from(CONFORMANCE);
    assert!(
        dir.join("index.jsonl").is_file(),
        "conformance fixtures missing: expected {}/index.jsonl (the shared folder next to the repository; CI provides it)",
        dir.display()
    );
    dir
}

struct Fixture {
    file: String,
    level: String,
    expect: String,
    text: String,
}

fn fixtures() -> Vec<Fixture> {
    let dir = conformance_dir();
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
        .collect()
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
                .is_some_and(|p| p.level != "hygiene")
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
fn score(wrap: &dyn Fn(&str) -> String, label: &str) -> Vec<(String, Score)> {
    let all = fixtures();
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
    assert_perfect(score(&|t| t.to_string(), "pod"), "pod");
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
        assert_perfect(score(&|t| wrap_in(kind, t), kind), kind);
    }
}

#[test]
fn pss_conformance_fixtures_in_multi_doc_list_and_helm_output() {
    // every fixture after an unrelated document, with Helm's `# Source:`
    // comments, and again as the only item of a `kind: List`
    let helm = |t: &str| {
        format!(
            "---\n# Source: chart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n---\n# Source: chart/templates/pod.yaml\n{t}"
        )
    };
    assert_perfect(score(&helm, "helm"), "helm");
    let list = |t: &str| format!("apiVersion: v1\nkind: List\nitems:\n-\n{}\n", indent(t, 2));
    assert_perfect(score(&list, "list"), "list");
    let json = |t: &str| yaml_to_json(t);
    assert_perfect(score(&json, "json"), "json");
}

/// The same object as pretty JSON (through serde_yaml, test-side only).
fn yaml_to_json(text: &str) -> String {
    let v: serde_json::Value = serde_yaml::from_str(text).expect("fixture is YAML");
    serde_json::to_string_pretty(&v).expect("to JSON")
}

/// The binary, on a sample of fixtures, scored the same way.
#[test]
fn pss_conformance_sample_through_the_binary() {
    let dir = conformance_dir();
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
