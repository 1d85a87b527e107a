//! `credsweep scan`: locations, every format, exit codes, redaction, walking
//! rules (.gitignore, binary, .git/, size), stdin, bad rules and bad paths.

use crate::common::report::{Finding as JFinding, Location as JLocation, Report};
use crate::common::{Sandbox, fake};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn demo_rules() -> String {
    fixtures().join("rules/demo").to_string_lossy().into_owned()
}

fn stdout_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

fn stderr_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// Scans the committed fixture tree (`scan .` in it) with the demo rule
/// only and no config (the repository's own `.credsweep.yaml`, above the
/// tree, allowlists the fixtures).
fn scan_fixture_tree(extra: &[&str]) -> assert_cmd::assert::Assert {
    let tree = fixtures().join("scan/tree");
    let mut args = vec![
        "scan".to_string(),
        "--no-builtin-rules".into(),
        "--rules".into(),
        demo_rules(),
        "--color".into(),
        "never".into(),
        "--no-config".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(".".into());
    let sb = Sandbox::new();
    let mut cmd = sb.cmd(args);
    cmd.current_dir(tree);
    cmd.assert()
}

#[test]
fn text_report_is_compiler_style_sorted_and_masked() {
    let out = scan_fixture_tree(&[]).code(1);
    assert_eq!(
        stdout_of(&out),
        "deploy/crlf.yaml:2:6: high[demo-token] Demo token: demo…(25 chars)\n\
         nonl.txt:1:1: high[demo-token] Demo token: demo…(25 chars)\n\
         src/app.py:3:10: high[demo-token] Demo token: demo…(25 chars)\n"
    );
    let err = stderr_of(&out);
    assert!(err.contains("3 findings in 4 files"), "{err}");
    assert!(err.contains("1 inline"), "{err}");
}

#[test]
fn json_report_matches_the_contract() {
    let out = scan_fixture_tree(&["--format", "json"]).code(1);
    let r: Report = serde_json::from_str(&stdout_of(&out)).expect("valid JSON report");
    assert_eq!(r.version, 1);
    assert_eq!(r.tool.name, "credsweep");
    assert_eq!(r.tool.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(r.stats.files, 4);
    assert_eq!((r.stats.blobs, r.stats.commits, r.stats.skipped), (0, 0, 0));
    assert!(r.stats.bytes > 100);
    assert!(r.stats.duration_ms < 60_000);
    let locs: Vec<&JLocation> = r.findings.iter().map(|f| &f.location).collect();
    assert_eq!(
        locs,
        vec![
            // CRLF: the column counts bytes from the start of line 2
            &JLocation {
                path: "deploy/crlf.yaml".into(),
                line: 2,
                column: 6,
                end_line: 2,
                end_column: 31
            },
            // secret at offset 0 of a file without a final newline
            &JLocation {
                path: "nonl.txt".into(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 26
            },
            &JLocation {
                path: "src/app.py".into(),
                line: 3,
                column: 10,
                end_line: 3,
                end_column: 35
            },
        ]
    );
    for f in &r.findings {
        assert_eq!(
            (f.rule_id.as_str(), f.kind.as_str(), f.severity.as_str()),
            ("demo-token", "secret", "high")
        );
        assert_eq!(f.message, "Demo token");
        assert!(f.pod_security.is_none() && f.commit.is_none());
        assert_eq!(f.fingerprint.len(), 64);
        let s = f.secret.as_ref().expect("secret info");
        assert_eq!(s.redacted, "demo…(25 chars)");
        assert!(s.entropy > 3.0 && s.validated.is_none());
    }
}

#[test]
fn jsonl_is_one_finding_per_line() {
    let out = scan_fixture_tree(&["--format", "jsonl"]).code(1);
    let text = stdout_of(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for l in lines {
        let f: JFinding = serde_json::from_str(l).expect("finding object");
        assert_eq!(f.rule_id, "demo-token");
    }
}

#[test]
fn sarif_has_rules_results_regions_and_fingerprints() {
    // URIs relative to the tree (by default they are relative to the git
    // work tree holding the current folder: this repository's root)
    let out = scan_fixture_tree(&["--format", "sarif", "--sarif-base", "."]).code(1);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&out)).expect("SARIF JSON");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "credsweep");
    assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "demo-token");
    assert!(
        run["tool"]["driver"]["rules"][0]["help"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("Nothing to do")
    );
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    let r0 = &results[0];
    assert_eq!(r0["ruleId"], "demo-token");
    assert_eq!(
        r0["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "deploy/crlf.yaml"
    );
    assert_eq!(
        r0["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(
        r0["locations"][0]["physicalLocation"]["region"]["startColumn"],
        6
    );
    assert_eq!(
        r0["partialFingerprints"]["credsweep/v1"]
            .as_str()
            .map(str::len),
        Some(64)
    );
}

#[test]
fn no_format_prints_a_whole_secret_unless_asked() {
    let secret = "demo_q1w2e3r4t5y6u7i8o9p0";
    for format in ["text", "json", "jsonl", "sarif"] {
        let out = scan_fixture_tree(&["--format", format]).code(1);
        let all = format!("{}{}", stdout_of(&out), stderr_of(&out));
        assert!(!all.contains(secret), "{format} leaked the secret");
        assert!(
            !all.contains("q1w2e3r4"),
            "{format} leaked part of the secret"
        );
    }
    for format in ["text", "json", "jsonl", "sarif"] {
        let out = scan_fixture_tree(&["--format", format, "--show-secrets"]).code(1);
        assert!(
            stdout_of(&out).contains(secret),
            "{format} with --show-secrets"
        );
    }
}

#[test]
fn output_is_deterministic() {
    let a = stdout_of(&scan_fixture_tree(&["--format", "jsonl", "-j", "4"]).code(1));
    let b = stdout_of(&scan_fixture_tree(&["--format", "jsonl", "-j", "1"]).code(1));
    assert_eq!(a, b);
}

#[test]
fn exit_codes() {
    let sb = Sandbox::new();
    sb.file("clean.txt", "nothing to see\n");
    sb.cmd(["scan", "--no-builtin-rules", "--rules", &demo_rules(), "."])
        .assert()
        .code(0);
    sb.file("dirty.txt", "demo_p0o9i8u7y6t5r4e3w2q1\n");
    sb.cmd(["scan", "--no-builtin-rules", "--rules", &demo_rules(), "."])
        .assert()
        .code(1);
    sb.cmd([
        "scan",
        "--no-builtin-rules",
        "--rules",
        &demo_rules(),
        "--exit-code",
        "42",
        ".",
    ])
    .assert()
    .code(42);
    sb.cmd([
        "scan",
        "--min-severity",
        "critical",
        "--no-builtin-rules",
        "--rules",
        &demo_rules(),
        ".",
    ])
    .assert()
    .code(0);
    sb.cmd(["scan", "--format", "yaml", "."]).assert().code(2);
}

#[test]
fn built_in_github_rule_validates_the_checksum() {
    let sb = Sandbox::new();
    let token = fake::github_pat(1);
    sb.file("app/.env", &format!("# config\nGITHUB_TOKEN={token}\n"));
    let out = sb.cmd(["scan", "--format", "jsonl"]).assert().code(1);
    let f: JFinding = serde_json::from_str(stdout_of(&out).trim()).expect("one finding");
    assert_eq!(f.rule_id, "github-pat");
    assert_eq!(
        (f.location.line, f.location.column, f.location.end_column),
        (2, 14, 54)
    );
    assert_eq!(
        f.secret.as_ref().and_then(|s| s.validated.as_deref()),
        Some("checksum")
    );
    assert_eq!(f.severity, "critical");
}

#[test]
fn gitignore_hidden_files_binary_and_dot_git() {
    let sb = Sandbox::new();
    let tok = "demo_h1j2k3l4z5x6c7v8b9n0";
    sb.file(".gitignore", "ignored/\n*.log\n");
    sb.file("ignored/a.txt", tok);
    sb.file("debug.log", tok);
    sb.file(".hidden/config", tok); // hidden files are scanned
    sb.file(".git/config", tok); // .git/ never is
    let mut bin = b"\x7fELF\x00\x00".to_vec();
    bin.extend_from_slice(tok.as_bytes());
    sb.bytes("tool.bin", &bin);
    let out = sb
        .cmd([
            "scan",
            "--no-builtin-rules",
            "--rules",
            &demo_rules(),
            "--format",
            "json",
            ".",
        ])
        .assert()
        .code(1);
    let r: Report = serde_json::from_str(&stdout_of(&out)).expect("json");
    let paths: Vec<&str> = r
        .findings
        .iter()
        .map(|f| f.location.path.as_str())
        .collect();
    assert_eq!(paths, vec![".hidden/config"]);
    assert_eq!(r.stats.skipped, 1, "the binary file is counted as skipped");
}

#[test]
fn max_file_size_skips_and_counts() {
    let sb = Sandbox::new();
    sb.file(
        "big.txt",
        &format!("{}\n{}", "x".repeat(2000), "demo_h1j2k3l4z5x6c7v8b9n0"),
    );
    let out = sb
        .cmd([
            "scan",
            "--no-builtin-rules",
            "--rules",
            &demo_rules(),
            "--max-file-size",
            "1K",
            "--format",
            "json",
            ".",
        ])
        .assert()
        .code(0);
    let r: Report = serde_json::from_str(&stdout_of(&out)).expect("json");
    assert_eq!((r.stats.files, r.stats.skipped), (0, 1));
}

#[test]
fn stdin_is_path_dash() {
    let sb = Sandbox::new();
    let out = sb
        .cmd([
            "scan",
            "--no-builtin-rules",
            "--rules",
            &demo_rules(),
            "--format",
            "jsonl",
            "-",
        ])
        .write_stdin("log line\nuser token demo_u1i2o3p4a5s6d7f8g9h0 seen\n")
        .assert()
        .code(1);
    let f: JFinding = serde_json::from_str(stdout_of(&out).trim()).expect("finding");
    assert_eq!(
        f.location,
        JLocation {
            path: "-".into(),
            line: 2,
            column: 12,
            end_line: 2,
            end_column: 37
        }
    );
}

#[test]
fn single_file_argument_keeps_its_path() {
    let sb = Sandbox::new();
    sb.file("sub/one.txt", "demo_u1i2o3p4a5s6d7f8g9h0\n");
    let out = sb
        .cmd([
            "scan",
            "--no-builtin-rules",
            "--rules",
            &demo_rules(),
            "--format",
            "jsonl",
            "sub/one.txt",
        ])
        .assert()
        .code(1);
    let f: JFinding = serde_json::from_str(stdout_of(&out).trim()).expect("finding");
    assert_eq!(f.location.path, "sub/one.txt");
}

#[test]
fn bad_rule_files_exit_2_naming_file_line_and_rule() {
    let sb = Sandbox::new();
    let bad = fixtures().join("rules/bad");
    let yaml = bad.join("bad-yaml.yaml");
    let out = sb
        .cmd(["scan", "--rules", yaml.to_str().unwrap_or_default(), "."])
        .assert()
        .code(2);
    let err = stderr_of(&out);
    assert!(
        err.contains("bad-yaml.yaml:5:1: invalid rule file"),
        "{err}"
    );
    let re = bad.join("bad-regex.yaml");
    let out = sb
        .cmd(["scan", "--rules", re.to_str().unwrap_or_default(), "."])
        .assert()
        .code(2);
    let err = stderr_of(&out);
    assert!(
        // issue 21: the line of the regex (12), not of the rule's id (8)
        err.contains("bad-regex.yaml:12: rule 'bad-regex': invalid regex"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn rule_with_builtin_id_replaces_it() {
    let sb = Sandbox::new();
    sb.file(
        "rules/override.yaml",
        "- id: github-pat\n  name: Overridden\n  severity: low\n  keywords: [zz_]\n  regex: 'zz_(\\d{4})'\n",
    );
    sb.file("a.txt", &format!("{}\nzz_1234\n", fake::github_pat(5)));
    let out = sb
        .cmd(["scan", "--rules", "rules", "--format", "jsonl", "a.txt"])
        .assert()
        .code(1);
    let f: JFinding = serde_json::from_str(stdout_of(&out).trim()).expect("exactly one finding");
    assert_eq!(
        (f.rule_id.as_str(), f.message.as_str(), f.location.line),
        ("github-pat", "Overridden", 2)
    );
}

#[test]
fn missing_path_exits_2() {
    let sb = Sandbox::new();
    let out = sb.cmd(["scan", "does/not/exist"]).assert().code(2);
    assert!(stderr_of(&out).contains("does/not/exist"));
}

/// Issue 21: `scan unreadable.txt` and `scan unreadable-dir/` exited 0 as
/// a non-root user, so a CI job passed without scanning anything.
#[cfg(unix)]
#[test]
fn unreadable_scan_root_exits_2_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let file = sb.file("unreadable.txt", "demo_u1i2o3p4a5s6d7f8g9h0\n");
    let dir = sb.path().join("unreadable-dir");
    sb.file("unreadable-dir/a.txt", "demo_a9s8d7f6g5h4j3k2l1z0\n");
    sb.file("ok.txt", "nothing\n");
    for p in [&file, &dir] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    }
    if std::fs::read(&file).is_ok() || std::fs::read_dir(&dir).is_ok() {
        crate::common::skipped(
            "unreadable_scan_root_exits_2_naming_it",
            "running as root: file permissions are not enforced",
        );
        return;
    }
    for (args, named) in [
        (vec!["scan", "unreadable.txt"], "unreadable.txt"),
        (vec!["scan", "unreadable-dir/"], "unreadable-dir/"),
        (vec!["scan", "ok.txt", "unreadable-dir"], "unreadable-dir"),
    ] {
        let out = sb.cmd(&args).assert().code(2);
        let err = stderr_of(&out);
        assert!(
            err.starts_with(&format!("credsweep: error: {named}: "))
                && err.contains("ermission denied"),
            "{args:?}: {err}"
        );
        assert!(stdout_of(&out).is_empty(), "{args:?}: nothing is reported");
    }
    for p in [&file, &dir] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_warning_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let p = sb.file("secret.txt", "demo_u1i2o3p4a5s6d7f8g9h0\n");
    sb.file("other.txt", "demo_a9s8d7f6g5h4j3k2l1z0\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&p).is_ok() {
        return; // running as root: permissions are not enforced
    }
    let out = sb
        .cmd(["scan", "--no-builtin-rules", "--rules", &demo_rules(), "."])
        .assert()
        .code(1);
    assert!(stderr_of(&out).contains("warning: secret.txt"));
}

#[test]
fn output_file_is_written() {
    let sb = Sandbox::new();
    sb.file("a.txt", "demo_u1i2o3p4a5s6d7f8g9h0\n");
    sb.cmd([
        "scan",
        "--no-builtin-rules",
        "--rules",
        &demo_rules(),
        "--format",
        "json",
        "-o",
        "report.json",
        "a.txt",
    ])
    .assert()
    .code(1);
    let text = std::fs::read_to_string(sb.path().join("report.json")).expect("report written");
    let r: Report = serde_json::from_str(&text).expect("json");
    assert_eq!(r.findings.len(), 1);
}

#[test]
fn rules_test_passes_on_builtins_and_names_failures() {
    let sb = Sandbox::new();
    let out = sb.cmd(["rules", "test"]).assert().code(0);
    assert!(stdout_of(&out).contains("0 failed"));
    let failing = fixtures().join("rules/bad/failing-example.yaml");
    let out = sb
        .cmd(["rules", "test", failing.to_str().unwrap_or_default()])
        .assert()
        .code(1);
    let text = stdout_of(&out);
    assert!(
        text.contains("rule 'demo-failing': example 2 does not match"),
        "{text}"
    );
    assert!(
        text.contains("rule 'demo-failing': negative example 1 matches"),
        "{text}"
    );
}

#[test]
fn rules_list_and_explain() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(["rules", "list", "--format", "json"])
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&out)).expect("json list");
    assert!(
        v.as_array()
            .is_some_and(|a| a.iter().any(|r| r["id"] == "github-pat"))
    );
    let out = sb.cmd(["rules", "explain", "github-pat"]).assert().code(0);
    assert!(stdout_of(&out).contains("What to do"));
    sb.cmd(["rules", "explain", "pss-privileged"])
        .assert()
        .code(0);
}

/// Issue 21: `rules list` omitted the 27 `pss-`/`hygiene-` check ids that
/// `rules explain`, `pod_security.disable` and `credsweep.io/allow` take.
#[test]
fn rules_list_shows_pod_security_checks_with_their_kind() {
    let sb = Sandbox::new();
    let checks = credsweep::detectors::k8s::checks::CHECKS;
    let out = sb.cmd(["rules", "list"]).assert().code(0);
    let text = stdout_of(&out);
    let line = |id: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>())
    };
    assert_eq!(
        line("github-pat"),
        Some(vec!["github-pat", "secret", "critical"])
    );
    for c in checks {
        assert_eq!(
            line(c.id),
            Some(vec![c.id, "pod-security", c.level.severity().as_str()]),
            "{text}"
        );
    }
    assert!(
        text.trim_end()
            .ends_with(&format!(" rules, {} pod-security checks", checks.len())),
        "{text}"
    );
    let out = sb
        .cmd(["rules", "list", "--format", "json"])
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&out)).expect("json list");
    let all = v.as_array().expect("array");
    let listed: Vec<(&str, &str)> = all
        .iter()
        .filter(|e| e["kind"] == "pod-security")
        .map(|e| {
            (
                e["id"].as_str().unwrap_or(""),
                e["level"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let expected: Vec<(&str, &str)> = checks.iter().map(|c| (c.id, c.level.as_str())).collect();
    assert_eq!(listed, expected);
    assert!(
        all.iter()
            .filter(|e| e["kind"] != "pod-security")
            .all(|e| e["kind"] == "secret")
    );
    sb.cmd(["rules", "explain", "no-such-rule"])
        .assert()
        .code(2);
}

#[test]
fn help_and_version() {
    let sb = Sandbox::new();
    let out = sb.cmd(["--version"]).assert().code(0);
    assert!(stdout_of(&out).contains(env!("CARGO_PKG_VERSION")));
    let out = sb.cmd(["scan", "--help"]).assert().code(0);
    assert!(stdout_of(&out).contains("Examples:"));
}

/// Works as root too (where chmod 000 does not stop reads): a dangling
/// symlink followed with `--follow` cannot be read.
#[cfg(unix)]
#[test]
fn dangling_symlink_with_follow_is_a_warning() {
    let sb = Sandbox::new();
    sb.file("ok.txt", "demo_a9s8d7f6g5h4j3k2l1z0\n");
    std::os::unix::fs::symlink(sb.path().join("gone.txt"), sb.path().join("link.txt"))
        .expect("symlink");
    let out = sb
        .cmd([
            "scan",
            "--no-builtin-rules",
            "--rules",
            &demo_rules(),
            "--follow",
            "--format",
            "json",
            ".",
        ])
        .assert()
        .code(1);
    // named as findings are (`link.txt`, not `./link.txt`)
    assert!(
        stderr_of(&out).starts_with("credsweep: warning: link.txt: "),
        "{}",
        stderr_of(&out)
    );
    let r: Report = serde_json::from_str(&stdout_of(&out)).expect("json");
    assert_eq!((r.findings.len(), r.stats.skipped), (1, 1));
}

/// Regression: `-o /dev/null` once renamed a temporary file over the device
/// node. A target that is not a regular file is written directly.
#[cfg(unix)]
#[test]
fn output_to_a_device_or_fifo_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let sb = Sandbox::new();
    sb.file("a.txt", "demo_u1i2o3p4a5s6d7f8g9h0\n");
    let fifo = sb.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this system
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap_or_default())
    };
    sb.cmd([
        "scan",
        "--no-builtin-rules",
        "--rules",
        &demo_rules(),
        "--format",
        "jsonl",
        "-o",
        "report.fifo",
        "a.txt",
    ])
    .timeout(std::time::Duration::from_secs(20))
    .assert()
    .code(1);
    let text = reader.join().unwrap_or_default();
    assert!(text.contains("demo-token"), "{text}");
    let meta = std::fs::symlink_metadata(&fifo).expect("still there");
    assert!(
        meta.file_type().is_fifo(),
        "the FIFO must not be replaced by a file"
    );
}

// ------------------------------------------- paths as the user typed them

/// `src/config.py` and `deploy/config.py`, each with a token.
fn two_configs(sb: &Sandbox) {
    for (dir, seed) in [("src", 2101), ("deploy", 2102)] {
        sb.file(
            &format!("{dir}/config.py"),
            &format!("token = \"{}\"\n", fake::github_pat(seed)),
        );
    }
}

/// The `path:line:col` of each text finding.
fn text_locations(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split(": ").next().unwrap_or("").to_string())
        .collect()
}

/// Issue 21: `scan src/ deploy/` printed both files as `config.py`.
#[test]
fn paths_are_relative_to_where_the_command_ran() {
    let sb = Sandbox::new();
    two_configs(&sb);
    let run = |dir: &str, args: &[&str]| {
        let mut all = vec!["scan", "--color", "never"];
        all.extend_from_slice(args);
        let mut cmd = sb.cmd(all);
        cmd.current_dir(sb.path().join(dir));
        let out = cmd.output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        text_locations(&out)
    };
    let both = vec!["deploy/config.py:1:10", "src/config.py:1:10"];
    assert_eq!(run(".", &["src/", "deploy/"]), both);
    assert_eq!(run(".", &["src", "deploy"]), both);
    // `scan .` and `scan` print paths as before, without `./`
    assert_eq!(run(".", &["."]), both);
    assert_eq!(run(".", &[]), both);
    assert_eq!(run(".", &["./src"]), vec!["src/config.py:1:10"]);
    assert_eq!(run(".", &["./src/config.py"]), vec!["src/config.py:1:10"]);
    assert_eq!(
        run("src", &["../deploy", "config.py"]),
        vec!["../deploy/config.py:1:10", "config.py:1:10"]
    );
    let abs = sb.path().join("deploy");
    let abs = abs.to_string_lossy();
    assert_eq!(run(".", &[&abs]), vec![format!("{abs}/config.py:1:10")]);
    // JSON says the same
    let (_, found, _) =
        crate::common::jsonl_run(&sb, &["scan", "--format", "jsonl", "src/", "deploy/"]);
    let paths: Vec<&str> = found
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(paths, vec!["deploy/config.py", "src/config.py"]);
}

/// A `file://` URI of `path`'s canonical form (the one the binary sees as
/// its current folder), with a trailing slash.
fn file_uri_of(path: &std::path::Path) -> String {
    let canon = std::fs::canonicalize(path).expect("canonicalize");
    format!("file://{}/", canon.to_string_lossy())
}

fn sarif_uris(
    sb: &Sandbox,
    dir: &str,
    args: &[&str],
) -> (serde_json::Value, Vec<(String, String)>) {
    let mut all = vec!["scan", "--format", "sarif"];
    all.extend_from_slice(args);
    let mut cmd = sb.cmd(all);
    cmd.current_dir(sb.path().join(dir));
    let out = cmd.output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let uris = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (
                a["uri"].as_str().unwrap_or("").to_string(),
                a["uriBaseId"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (v["runs"][0]["originalUriBaseIds"].clone(), uris)
}

/// Issue 21: both files had the SARIF URI `config.py`; an absolute file
/// argument gave an absolute URI without `file://`.
#[test]
fn sarif_uris_are_unique_and_relative_to_a_stated_base() {
    let sb = Sandbox::new();
    two_configs(&sb);
    crate::common::git(sb.path(), &["init", "-q"]);
    let based = |p: &str| (p.to_string(), "%SRCROOT%".to_string());
    let root_uri = file_uri_of(sb.path());

    let (bases, uris) = sarif_uris(&sb, ".", &["src/", "deploy/"]);
    assert_eq!(bases["%SRCROOT%"]["uri"], root_uri.as_str());
    assert_eq!(
        uris,
        vec![based("deploy/config.py"), based("src/config.py")]
    );

    // from a subfolder the base is still the work tree's root
    let (bases, uris) = sarif_uris(&sb, "src", &[]);
    assert_eq!(bases["%SRCROOT%"]["uri"], root_uri.as_str());
    assert_eq!(uris, vec![based("src/config.py")]);
    let (_, uris) = sarif_uris(&sb, "src", &["../deploy"]);
    assert_eq!(uris, vec![based("deploy/config.py")]);

    // --sarif-base: files outside it get absolute file:// URIs
    let (bases, uris) = sarif_uris(&sb, ".", &["--sarif-base", "src", "src", "deploy"]);
    assert_eq!(
        bases["%SRCROOT%"]["uri"],
        file_uri_of(&sb.path().join("src")).as_str()
    );
    let outside = format!("{}config.py", file_uri_of(&sb.path().join("deploy")));
    assert_eq!(uris, vec![(outside, String::new()), based("config.py")]);
    // an absolute argument inside the base is relative to it
    let abs = std::fs::canonicalize(sb.path().join("src/config.py")).expect("canonicalize");
    let (_, uris) = sarif_uris(&sb, ".", &[&abs.to_string_lossy()]);
    assert_eq!(uris, vec![based("src/config.py")]);
}

/// Issue 21: the SARIF said `columnKind: unicodeCodePoints` but wrote byte
/// columns. It now declares `utf16CodeUnits`, which GitHub reads, and
/// converts; JSON columns still count bytes, as the contract says.
#[test]
fn sarif_columns_are_utf16_code_units_on_non_ascii_lines() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(2121);
    // 日本語 is 9 bytes and 3 UTF-16 units; 😀 is 4 bytes and 2 units
    sb.file(
        "notes.txt",
        &format!("日本語 token={pat}\nascii token={pat}\n😀 {pat} é\n"),
    );
    let out = sb
        .cmd(["scan", "--format", "sarif", "notes.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    assert_eq!(v["runs"][0]["columnKind"], "utf16CodeUnits");
    let regions: Vec<(u64, u64, u64)> = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let g = &r["locations"][0]["physicalLocation"]["region"];
            (
                g["startLine"].as_u64().unwrap_or(0),
                g["startColumn"].as_u64().unwrap_or(0),
                g["endColumn"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(regions, vec![(1, 11, 51), (2, 13, 53), (3, 4, 44)]);
    let (_, found, _) = crate::common::jsonl_run(&sb, &["scan", "--format", "jsonl", "notes.txt"]);
    let bytes: Vec<(u64, u64)> = found
        .iter()
        .map(|f| {
            (
                f["location"]["column"].as_u64().unwrap_or(0),
                f["location"]["end_column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(bytes, vec![(17, 57), (13, 53), (6, 46)]);
}

/// Issue 21: every SARIF rule's `name` was its `id` (SARIF1001 in
/// Microsoft's multitool). It is a PascalCase name from the rule's title.
#[test]
fn sarif_rule_names_are_not_their_ids() {
    let sb = Sandbox::new();
    sb.file(
        "a.env",
        &format!(
            "T={}\nK={}\n",
            fake::github_pat(2122),
            fake::aws_key_id(2123)
        ),
    );
    sb.file(
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    securityContext:\n      privileged: true\n",
    );
    let out = sb.cmd(["scan", "--format", "sarif"]).output().expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.len() >= 3, "{rules:?}");
    for r in rules {
        let (id, name) = (r["id"].as_str().unwrap_or(""), r["name"].as_str());
        let Some(name) = name else { continue };
        assert_ne!(name, id);
        assert!(
            name.chars().next().is_some_and(char::is_uppercase)
                && name.chars().all(char::is_alphanumeric),
            "{id}: {name}"
        );
    }
    let pat = rules
        .iter()
        .find(|r| r["id"] == "github-pat")
        .expect("github-pat");
    assert_eq!(pat["name"], "GitHubPersonalAccessTokenClassic");
}
