//! Why credsweep believes a finding: the `confidence` field (JSON, JSONL,
//! SARIF), how rules and validators set it, `--min-confidence` on `scan`
//! and `git`, `min_confidence` in `.credsweep.yaml`, a rule's explicit
//! `confidence:`, and `redact` masking whatever the confidence.

use crate::common::report::Report;
use crate::common::{Sandbox, fake, git, jsonl_run};
use serde_json::Value;

/// Runs `credsweep ARGS --format jsonl --color never` in the sandbox;
/// returns the exit code, the findings and stderr.
fn jsonl(sb: &Sandbox, args: &[&str]) -> (i32, Vec<Value>, String) {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "jsonl", "--color", "never"]);
    jsonl_run(sb, &all)
}

/// `(rule_id, confidence)` of each finding, in report order.
fn rule_confidence(findings: &[Value]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["confidence"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A GitHub token whose CRC32 checksum does not hold.
fn broken_github_pat(seed: u64) -> String {
    let good = fake::github_pat(seed);
    let swap = if &good[4..5] == "A" { "B" } else { "A" };
    let mut bad = good.clone();
    bad.replace_range(4..5, swap);
    bad
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n    securityContext:\n      privileged: true\n";

/// One finding of each confidence from the built-in rules: a GitHub token
/// whose checksum holds (high), one whose checksum fails (low), a generic
/// assignment (low), and a privileged pod (high).
fn builtin_tree(sb: &Sandbox) {
    sb.file("a.env", &format!("GITHUB_TOKEN={}\n", fake::github_pat(71)));
    sb.file("b.env", &format!("T={}\n", broken_github_pat(72)));
    sb.file(
        "c.py",
        &format!(
            "API_KEY = \"{}\"\n",
            fake::random(b"abcdefghijkmnopqrstuvwxyz0123456789", 32, 73)
        ),
    );
    sb.file("k8s/pod.yaml", POD);
}

/// Rules of each derived confidence, and one written.
fn acme_rules(sb: &Sandbox) {
    sb.file(
        "rules/acme.yaml",
        "- id: acme-token\n  name: ACME token\n  severity: high\n  keywords: [acmetok_]\n  \
         regex: '\\b(acmetok_[a-z0-9]{24})\\b'\n\
         - id: acme-key-in-context\n  name: ACME key\n  severity: high\n  keywords: [acme]\n  \
         regex: '(?i)acme.{0,20}key\\s*=\\s*([a-z0-9]{32})\\b'\n\
         - id: acme-pin\n  name: ACME pin\n  severity: low\n  keywords: [acmepin_]\n  \
         confidence: low\n  regex: '\\b(acmepin_[0-9]{12})\\b'\n\
         - id: acme-password\n  name: ACME password\n  severity: medium\n  keywords: [acme_pw]\n  \
         generic: true\n  regex: 'acme_pw\\s*=\\s*([A-Za-z0-9]{12,})'\n",
    );
    let lower = b"abcdefghijklmnopqrstuvwxyz0123456789";
    sb.file(
        "src/acme.cfg",
        &format!(
            "token {}\nACME_API_KEY = {}\npin acmepin_{}\nacme_pw = {}\n",
            format_args!("acmetok_{}", fake::random(lower, 24, 74)),
            fake::random(lower, 32, 75),
            fake::random(b"0123456789", 12, 76),
            fake::random(b"ABCDEFGHabcdefgh23456789", 16, 77),
        ),
    );
}

fn acme_scan(sb: &Sandbox, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let mut args = vec!["scan", "--no-builtin-rules", "--rules", "rules"];
    args.extend_from_slice(extra);
    jsonl(sb, &args)
}

#[test]
fn json_findings_say_how_confident_after_severity() {
    let sb = Sandbox::new();
    builtin_tree(&sb);
    let out = sb
        .cmd(["scan", "--format", "json", "--color", "never"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // the strict contract type (unknown fields rejected) reads it
    let report: Report = serde_json::from_str(&text).expect("contract JSON");
    let by_path = |path: &str| {
        report
            .findings
            .iter()
            .filter(|f| f.location.path == path)
            .map(|f| {
                (
                    f.rule_id.as_str(),
                    f.confidence.as_str(),
                    f.secret.as_ref().and_then(|s| s.validated.as_deref()),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by_path("a.env"),
        vec![("github-pat", "high", Some("checksum"))]
    );
    assert_eq!(
        by_path("b.env"),
        vec![("github-pat", "low", Some("checksum-failed"))]
    );
    assert_eq!(by_path("c.py"), vec![("generic-api-key", "low", None)]);
    let pod: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == "pod-security")
        .collect();
    assert!(pod.iter().any(|f| f.rule_id == "pss-privileged"));
    assert!(pod.iter().all(|f| f.confidence == "high"));
    // every finding has one, between severity and message
    for f in &report.findings {
        assert!(
            ["high", "medium", "low"].contains(&f.confidence.as_str()),
            "{f:?}"
        );
    }
    let first = &text[text.find("\"rule_id\"").expect("a finding")..];
    let at = |key: &str| first.find(key).unwrap_or_else(|| panic!("{key}"));
    assert!(at("\"kind\"") < at("\"severity\""));
    assert!(at("\"severity\"") < at("\"confidence\""));
    assert!(at("\"confidence\"") < at("\"message\""));

    // JSONL: the same field in the same place
    let (code, found, _) = jsonl(&sb, &["scan"]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), report.findings.len());
    let line = serde_json::to_string(&found[0]).expect("json");
    assert!(line.contains("\"confidence\":"), "{line}");
    let raw = sb
        .cmd(["scan", "--format", "jsonl"])
        .output()
        .expect("run")
        .stdout;
    let first_line = String::from_utf8_lossy(&raw)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let severity = first_line.find("\"severity\":").expect("severity");
    let confidence = first_line.find("\"confidence\":").expect("confidence");
    let message = first_line.find("\"message\":").expect("message");
    assert!(
        severity < confidence && confidence < message,
        "{first_line}"
    );
}

#[test]
fn rules_give_high_medium_low_and_a_written_confidence_wins() {
    let sb = Sandbox::new();
    acme_rules(&sb);
    let (code, found, err) = acme_scan(&sb, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        rule_confidence(&found),
        vec![
            ("acme-token".into(), "high".into()),
            ("acme-key-in-context".into(), "medium".into()),
            ("acme-pin".into(), "low".into()),
            ("acme-password".into(), "low".into()),
        ]
    );
    // `rules list --format json` and `rules explain` say it too
    let out = sb
        .cmd([
            "rules",
            "list",
            "--no-builtin-rules",
            "--rules",
            "rules",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    let listed: Vec<(String, String)> = rules
        .iter()
        // the pod-security checks follow the rules
        .filter(|r| r["kind"] == "secret")
        .map(|r| {
            (
                r["id"].as_str().unwrap_or("").to_string(),
                r["confidence"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(listed, rule_confidence(&found));
    let out = sb
        .cmd(["rules", "explain", "github-pat"])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("confidence: high"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn sarif_results_carry_the_confidence_property() {
    let sb = Sandbox::new();
    acme_rules(&sb);
    sb.file("k8s/pod.yaml", POD);
    let out = sb
        .cmd([
            "scan",
            "--no-builtin-rules",
            "--rules",
            "rules",
            "--format",
            "sarif",
            "--color",
            "never",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let schema: Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).expect("schema is JSON");
    let v = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let of = |id: &str| -> Vec<&str> {
        results
            .iter()
            .filter(|r| r["ruleId"] == id)
            .map(|r| r["properties"]["confidence"].as_str().unwrap_or("?"))
            .collect()
    };
    assert_eq!(of("acme-token"), vec!["high"]);
    assert_eq!(of("acme-key-in-context"), vec!["medium"]);
    assert_eq!(of("acme-password"), vec!["low"]);
    assert_eq!(of("pss-privileged"), vec!["high"]);
    for r in results {
        assert!(r["properties"]["security-severity"].is_string(), "{r}");
        assert!(r["properties"]["confidence"].is_string(), "{r}");
    }
}

#[test]
fn min_confidence_keeps_findings_at_least_that_certain() {
    let sb = Sandbox::new();
    acme_rules(&sb);
    let ids = |args: &[&str]| {
        let (code, found, err) = acme_scan(&sb, args);
        let ids: Vec<String> = rule_confidence(&found).into_iter().map(|p| p.0).collect();
        (code, ids, err)
    };
    let (code, all, _) = ids(&[]);
    assert_eq!((code, all.len()), (1, 4));
    assert_eq!(ids(&["--min-confidence", "low"]).1, all);
    assert_eq!(
        ids(&["--min-confidence", "medium"]).1,
        vec!["acme-token", "acme-key-in-context"]
    );
    assert_eq!(ids(&["--min-confidence", "HIGH"]).1, vec!["acme-token"]);
    // what the flag drops is counted as hidden by it (not as a config
    // suppression), and a run with nothing left exits 0
    sb.file("src/acme.cfg", "pin acmepin_123456789012\n");
    let out = sb
        .cmd([
            "scan",
            "--no-builtin-rules",
            "--rules",
            "rules",
            "--min-confidence",
            "medium",
            "--color",
            "never",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 hidden by --min-severity/--min-confidence/--only"),
        "{err}"
    );
    assert!(!err.contains("config,"), "{err}");
    // pod-security findings are high: a high floor keeps them
    let sb = Sandbox::new();
    builtin_tree(&sb);
    let (code, found, _) = jsonl(&sb, &["scan", "--min-confidence", "high"]);
    assert_eq!(code, 1);
    assert!(found.iter().all(|f| f["confidence"] == "high"));
    assert!(found.iter().any(|f| f["kind"] == "pod-security"));
    assert!(found.iter().any(|f| f["rule_id"] == "github-pat"));
    assert!(!found.iter().any(|f| f["rule_id"] == "generic-api-key"));
}

#[test]
fn min_confidence_rejects_an_unknown_level() {
    let sb = Sandbox::new();
    sb.file("a.txt", "nothing\n");
    let out = sb
        .cmd(["scan", "--min-confidence", "sure"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown confidence 'sure'"), "{err}");
    assert!(err.contains("high, medium, low"), "{err}");
    // help names the flag and its levels
    let help = sb.cmd(["scan", "--help"]).output().expect("run");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--min-confidence <LEVEL>"), "{help}");
    let help = sb.cmd(["git", "--help"]).output().expect("run");
    assert!(String::from_utf8_lossy(&help.stdout).contains("--min-confidence <LEVEL>"));
}

#[test]
fn git_history_findings_have_a_confidence_and_the_floor_applies() {
    let sb = Sandbox::new();
    let repo = sb.path().join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]);
    std::fs::write(
        repo.join("a.env"),
        format!("GITHUB_TOKEN={}\n", fake::github_pat(81)),
    )
    .expect("write");
    std::fs::write(repo.join("b.env"), format!("T={}\n", broken_github_pat(82))).expect("write");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "tokens"]);
    let (code, found, err) = jsonl(&sb, &["git", "repo"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        rule_confidence(&found),
        vec![
            ("github-pat".into(), "high".into()),
            ("github-pat".into(), "low".into()),
        ]
    );
    assert!(found.iter().all(|f| f["commit"]["summary"] == "tokens"));
    let (code, found, _) = jsonl(&sb, &["git", "repo", "--min-confidence", "medium"]);
    assert_eq!(code, 1);
    assert_eq!(
        rule_confidence(&found),
        vec![("github-pat".into(), "high".into())]
    );
    // the repository's config file sets the floor too
    std::fs::write(repo.join(".credsweep.yaml"), "min_confidence: high\n").expect("write");
    let (code, found, _) = jsonl(&sb, &["git", "repo"]);
    assert_eq!((code, found.len()), (1, 1));
}

#[test]
fn config_min_confidence_filters_and_the_flag_wins() {
    let sb = Sandbox::new();
    acme_rules(&sb);
    sb.file(
        ".credsweep.yaml",
        "min_severity: info\nmin_confidence: medium\n",
    );
    let (code, found, _) = acme_scan(&sb, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        rule_confidence(&found)
            .into_iter()
            .map(|p| p.0)
            .collect::<Vec<_>>(),
        vec!["acme-token", "acme-key-in-context"]
    );
    // the flag wins over the file, either way
    assert_eq!(acme_scan(&sb, &["--min-confidence", "low"]).1.len(), 4);
    assert_eq!(acme_scan(&sb, &["--min-confidence", "high"]).1.len(), 1);
    // --no-config: everything again
    assert_eq!(acme_scan(&sb, &["--no-config"]).1.len(), 4);
    // an empty value means the default
    sb.file(".credsweep.yaml", "min_confidence:\n");
    assert_eq!(acme_scan(&sb, &[]).1.len(), 4);
    // `config check` accepts it
    sb.file(".credsweep.yaml", "min_confidence: high\n");
    let out = sb.cmd(["config", "check"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn config_bad_min_confidence_exits_2_naming_file_line_and_column() {
    let sb = Sandbox::new();
    sb.file("a.txt", "nothing here\n");
    sb.file(
        ".credsweep.yaml",
        "# floors\nmin_severity: low\nmin_confidence: certain\n",
    );
    for args in [&["scan"][..], &["config", "check"][..]] {
        let out = sb.cmd(args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let want = "credsweep: error: .credsweep.yaml:3:17: invalid config: \
                    min_confidence: unknown confidence 'certain' (high, medium, low)";
        assert!(err.starts_with(want), "want {want}\n got {err}");
    }
    // the wrong type is a YAML error with its position
    sb.file(".credsweep.yaml", "min_confidence: [high]\n");
    let out = sb.cmd(["scan"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("credsweep: error: .credsweep.yaml:1:"),
        "{err}"
    );
}

#[test]
fn a_rule_with_an_unknown_confidence_is_an_error_naming_file_and_line() {
    let sb = Sandbox::new();
    sb.file("a.txt", "nothing\n");
    sb.file(
        "rules/bad.yaml",
        "- id: fine\n  name: Fine\n  severity: low\n  keywords: [fine_]\n  regex: 'fine_[0-9]{8}'\n\
         - id: unsure\n  name: Unsure\n  severity: low\n  confidence: certain\n  keywords: [unsure_]\n  \
         regex: 'unsure_[0-9]{8}'\n",
    );
    let out = sb
        .cmd(["scan", "--rules", "rules", "a.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "rules/bad.yaml:6: rule 'unsure': unknown confidence 'certain' (high, medium, low)"
        ),
        "{err}"
    );
}

#[test]
fn redact_masks_every_confidence_whatever_the_config_says() {
    let sb = Sandbox::new();
    acme_rules(&sb);
    sb.file(".credsweep.yaml", "min_confidence: high\n");
    let input = std::fs::read_to_string(sb.path().join("src/acme.cfg")).expect("read");
    let out = sb
        .cmd(["redact", "--no-builtin-rules", "--rules", "rules"])
        .write_stdin(input)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "acme-token",
        "acme-key-in-context",
        "acme-pin",
        "acme-password",
    ] {
        assert!(text.contains(&format!("[REDACTED:{id}]")), "{id}: {text}");
    }
    let help = sb.cmd(["redact", "--help"]).output().expect("run");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("whatever its confidence"), "{help}");
}

#[test]
fn baselines_and_fingerprints_do_not_depend_on_the_confidence() {
    let sb = Sandbox::new();
    acme_rules(&sb);
    let (_, before, _) = acme_scan(&sb, &[]);
    let (_, high, _) = acme_scan(&sb, &["--min-confidence", "high"]);
    assert_eq!(high[0]["fingerprint"], before[0]["fingerprint"]);
    let (code, _, err) = acme_scan(&sb, &["--write-baseline", "base.json"]);
    assert_eq!(code, 1, "{err}");
    let base = std::fs::read_to_string(sb.path().join("base.json")).expect("baseline");
    assert!(!base.contains("confidence"), "{base}");
    assert_eq!(acme_scan(&sb, &["--baseline", "base.json"]).0, 0);
}
