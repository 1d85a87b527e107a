//! Living with findings: `.credsweep.yaml`, inline ignores, baselines, the
//! empty-scan check, SARIF for code scanning, completions and help.

use crate::common::{Sandbox, fake, git, jsonl_run};
use serde_json::Value;

/// Runs credsweep with `--format jsonl`; returns the exit code, findings and
/// stderr.
fn jsonl(sb: &Sandbox, args: &[&str]) -> (i32, Vec<Value>, String) {
    let mut all = vec!["scan", "--format", "jsonl", "--color", "never"];
    all.extend_from_slice(args);
    jsonl_run(sb, &all)
}

fn paths(findings: &[Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap_or("").to_string())
        .collect()
}

fn stderr_of(sb: &Sandbox, args: &[&str]) -> (i32, String) {
    let out = sb.cmd(args).output().expect("run credsweep");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A second rule, so that `credsweep:allow <other-rule>` can be told apart
/// from a bare `credsweep:allow`.
fn test_rule(sb: &Sandbox) {
    sb.file(
        "extra-rules/test.yaml",
        "- id: test-key\n  name: Test key\n  severity: high\n  keywords: [tkey_]\n  \
         regex: '\\b(tkey_[a-z0-9]{20})\\b'\n",
    );
}

// ---------------------------------------------------------------- config

#[test]
fn config_unknown_key_exits_2_naming_file_line_and_key() {
    let sb = Sandbox::new();
    sb.file("a.txt", "nothing here\n");
    sb.file(
        ".credsweep.yaml",
        "allow:\n  paths: []\nrules:\n  disabel: [github-pat]\n",
    );
    let (code, err) = stderr_of(&sb, &["scan"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "credsweep: error: .credsweep.yaml:4:3: invalid config: rules: unknown field `disabel`"
        ),
        "{err}"
    );
}

#[test]
fn config_bad_values_exit_2_naming_the_line() {
    let cases = [
        (
            "rules:\n  severity:\n    github-pat: urgent\n",
            ".credsweep.yaml:3:17: invalid config: rules.severity: 'github-pat': unknown severity 'urgent'",
        ),
        (
            "allow:\n  values:\n    - '^ok'\n    - '(unclosed'\n",
            ".credsweep.yaml:4:8: invalid config: allow.values: bad regex",
        ),
        (
            "min_severity: loud\n",
            ".credsweep.yaml:1:15: invalid config: min_severity: unknown severity 'loud'",
        ),
        (
            "pod_security:\n  level: strict\n",
            ".credsweep.yaml:2:10: invalid config: pod_security.level: unknown level 'strict'",
        ),
        (
            "allow: [not, a, map]\n",
            ".credsweep.yaml:1:8: invalid config: allow: invalid type",
        ),
    ];
    for (yaml, want) in cases {
        let sb = Sandbox::new();
        sb.file("a.txt", "nothing here\n");
        sb.file(".credsweep.yaml", yaml);
        let (code, err) = stderr_of(&sb, &["scan"]);
        assert_eq!(code, 2, "{yaml}");
        let want = format!("credsweep: error: {want}");
        assert!(err.starts_with(&want), "want {want}\n got {err}");
    }
}

#[test]
fn explicit_config_is_used_and_a_missing_one_is_an_error() {
    let sb = Sandbox::new();
    sb.file("app.env", &format!("T={}\n", fake::github_pat(1)));
    sb.file("ci/strict.yaml", "rules:\n  disable: [github-pat]\n");
    let (code, found, _) = jsonl(&sb, &["--config", "ci/strict.yaml"]);
    assert_eq!((code, found.len()), (0, 0));
    let (code, err) = stderr_of(&sb, &["scan", "--config", "ci/nope.yaml"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("credsweep: error: ci/nope.yaml: "), "{err}");
}

#[test]
fn config_and_no_config_conflict() {
    let sb = Sandbox::new();
    sb.file("c.yaml", "");
    let (code, err) = stderr_of(&sb, &["scan", "--config", "c.yaml", "--no-config"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn config_is_found_in_the_scanned_folder_and_can_be_ignored() {
    let sb = Sandbox::new();
    sb.file("proj/app.env", &format!("T={}\n", fake::github_pat(2)));
    sb.file("proj/.credsweep.yaml", "rules:\n  disable: [github-pat]\n");
    let (code, found, _) = jsonl(&sb, &["proj"]);
    assert_eq!((code, found.len()), (0, 0));
    let (code, found, _) = jsonl(&sb, &["proj", "--no-config"]);
    assert_eq!((code, paths(&found)), (1, vec!["proj/app.env".to_string()]));
}

/// Runs `args` in `dir` (under the sandbox); exit code, findings (with
/// `--format jsonl` in `args`) and stderr.
fn run_in(sb: &Sandbox, dir: &str, args: &[&str]) -> (i32, Vec<Value>, String) {
    let mut cmd = sb.cmd(args);
    cmd.current_dir(sb.path().join(dir));
    let out = cmd.output().expect("run credsweep");
    let findings = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    (
        out.status.code().unwrap_or(-1),
        findings,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Issue 21: with `.credsweep.yaml` at the repository root, `scan .` and
/// `scan src/config.py` obeyed it; `scan src/` and `cd src && credsweep
/// scan` silently ignored it.
#[test]
fn config_is_the_nearest_one_walking_up_to_the_repository_root() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(2111);
    sb.file("repo/src/app.env", &format!("T={pat}\n"));
    git(&sb.path().join("repo"), &["init", "-q"]);
    sb.file("repo/.credsweep.yaml", "rules:\n  disable: [github-pat]\n");
    let scan = ["scan", "--format", "jsonl", "--color", "never"];
    let with = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = scan.iter().map(|s| s.to_string()).collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let check = |dir: &str, extra: &[&str], code: i32, config: &str| {
        let args = with(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (got, _, _) = run_in(&sb, dir, &args);
        assert_eq!(got, code, "{dir}: {extra:?}");
        // the text summary names the config in force
        let text: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| *a != "jsonl" && *a != "--format")
            .collect();
        let (_, _, err) = run_in(&sb, dir, &text);
        assert!(err.contains(config), "{dir}: {extra:?}: {err}");
    };
    check("repo", &["."], 0, "; config .credsweep.yaml");
    check("repo", &["src/"], 0, "; config .credsweep.yaml");
    check("repo", &["src/app.env"], 0, "; config .credsweep.yaml");
    check("repo/src", &[], 0, "; config ../.credsweep.yaml");
    check("repo/src", &["app.env"], 0, "; config ../.credsweep.yaml");
    check("repo/src", &["--no-config"], 1, "; no config file");
    check(
        "repo",
        &["--config", "/dev/null", "src"],
        1,
        "; config /dev/null",
    );
    // the nearest one wins
    sb.file("repo/src/.credsweep.yaml", "min_severity: low\n");
    check("repo", &["src"], 1, "; config src/.credsweep.yaml");
    check("repo/src", &[], 1, "; config .credsweep.yaml");
    check("repo", &["."], 0, "; config .credsweep.yaml");
    // never above the repository root
    std::fs::remove_file(sb.path().join("repo/src/.credsweep.yaml")).expect("rm");
    std::fs::remove_file(sb.path().join("repo/.credsweep.yaml")).expect("rm");
    sb.file(".credsweep.yaml", "rules:\n  disable: [github-pat]\n");
    check("repo/src", &[], 1, "; no config file");
    // outside a repository, up to the filesystem root
    sb.file("plain/deep/app.env", &format!("T={pat}\n"));
    check("plain/deep", &[], 0, "; config ../../.credsweep.yaml");
    check(".", &["plain/deep"], 0, "; config .credsweep.yaml");
}

/// `redact`, `git` and `config check` find the config the same way.
#[test]
fn every_command_finds_the_config_the_same_way() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(2112);
    sb.file("repo/src/app.env", &format!("T={pat}\n"));
    let repo = sb.path().join("repo");
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "app"]);
    sb.file("repo/.credsweep.yaml", "rules:\n  disable: [github-pat]\n");
    // redact: not a secret to this team, so not masked
    let (code, _, _) = run_in(&sb, "repo/src", &["redact", "app.env"]);
    assert_eq!(code, 0);
    let (code, _, _) = run_in(&sb, "repo", &["redact", "src/app.env"]);
    assert_eq!(code, 0);
    let (code, _, _) = run_in(&sb, "repo/src", &["redact", "--no-config", "app.env"]);
    assert_eq!(code, 1);
    // git: the repository root's, wherever it runs from
    let (code, _, err) = run_in(&sb, "repo/src", &["git", "--color", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("; config ../.credsweep.yaml"), "{err}");
    // config check
    let (code, _, err) = run_in(&sb, "repo/src", &["config", "check"]);
    assert_eq!(
        (code, err.as_str()),
        (0, "credsweep: ../.credsweep.yaml: ok\n")
    );
}

/// `allow.paths` patterns are relative to the folder of the config file
/// that holds them, wherever the scan starts.
#[test]
fn allow_paths_are_relative_to_the_config_files_folder() {
    let sb = Sandbox::new();
    sb.file(
        "src/vendor/x.env",
        &format!("T={}\n", fake::github_pat(2113)),
    );
    sb.file("src/app.env", &format!("T={}\n", fake::github_pat(2114)));
    git(sb.path(), &["init", "-q"]);
    sb.file(".credsweep.yaml", "allow:\n  paths: [\"/src/vendor/\"]\n");
    for (dir, args, expect) in [
        (".", vec![], "src/app.env"),
        (".", vec!["src"], "src/app.env"),
        ("src", vec![], "app.env"),
        ("src/vendor", vec!["..", "."], "../app.env"),
    ] {
        let mut all = vec!["scan", "--format", "jsonl"];
        all.extend(args.iter());
        let (code, found, err) = run_in(&sb, dir, &all);
        assert_eq!(code, 1, "{dir} {args:?}: {err}");
        assert_eq!(paths(&found), vec![expect], "{dir} {args:?}");
    }
}

#[test]
fn allow_paths_are_gitignore_patterns_relative_to_the_root() {
    let sb = Sandbox::new();
    sb.file("src/app.env", &format!("T={}\n", fake::github_pat(3)));
    sb.file("vendor/lib/x.env", &format!("T={}\n", fake::github_pat(4)));
    sb.file(
        "pkg/testdata/k.env",
        &format!("T={}\n", fake::github_pat(5)),
    );
    sb.file(
        ".credsweep.yaml",
        "allow:\n  paths: [\"vendor/\", \"**/testdata/**\"]\n",
    );
    let (code, found, err) = jsonl(&sb, &[]);
    assert_eq!(code, 1);
    assert_eq!(paths(&found), vec!["src/app.env"]);
    assert!(err.is_empty(), "{err}");
    let (_, err) = stderr_of(&sb, &["scan", "--color", "never"]);
    assert!(
        err.contains("suppressed: 0 inline, 2 config, 0 baseline"),
        "{err}"
    );
}

#[test]
fn allow_values_match_the_secret() {
    let sb = Sandbox::new();
    let accepted = fake::github_pat(6);
    let other = fake::github_pat(7);
    sb.file("a.env", &format!("A={accepted}\nB={other}\n"));
    // A regex on a slice of the body: never a whole token in the config.
    let slice = &accepted[4..14];
    sb.file(
        ".credsweep.yaml",
        &format!("allow:\n  values: ['{slice}']\n"),
    );
    let (code, found, _) = jsonl(&sb, &[]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["location"]["line"], 2);
}

#[test]
fn disable_severity_override_and_min_severity() {
    let sb = Sandbox::new();
    sb.file("a.env", &format!("T={}\n", fake::github_pat(8)));
    sb.file(".credsweep.yaml", "rules:\n  disable: [github-pat]\n");
    assert_eq!(jsonl(&sb, &[]).0, 0);

    sb.file(".credsweep.yaml", "rules:\n  severity: {github-pat: low}\n");
    let (code, found, _) = jsonl(&sb, &[]);
    assert_eq!(code, 1);
    assert_eq!(found[0]["severity"], "low");

    sb.file(
        ".credsweep.yaml",
        "rules:\n  severity: {github-pat: low}\nmin_severity: medium\n",
    );
    assert_eq!(jsonl(&sb, &[]).0, 0);
    // The flag wins over the file.
    let (code, found, _) = jsonl(&sb, &["--min-severity", "info"]);
    assert_eq!((code, found.len()), (1, 1));
    // --only pod-security leaves no secrets.
    assert_eq!(
        jsonl(&sb, &["--min-severity", "info", "--only", "pod-security"]).0,
        0
    );
}

#[test]
fn config_rule_dirs_are_relative_to_the_config_file() {
    let sb = Sandbox::new();
    test_rule(&sb);
    sb.file(
        "a.txt",
        &format!("k = {}\n", ["tk", "ey_"].concat() + "abcdefghij0123456789"),
    );
    assert_eq!(jsonl(&sb, &[]).0, 0);
    sb.file(".credsweep.yaml", "rules:\n  dirs: [extra-rules]\n");
    let (code, found, _) = jsonl(&sb, &[]);
    assert_eq!(code, 1);
    assert_eq!(found[0]["rule_id"], "test-key");
}

// ---------------------------------------------------------------- inline

#[test]
fn every_inline_form_suppresses_and_counts() {
    let sb = Sandbox::new();
    test_rule(&sb);
    let t = |seed| fake::github_pat(seed);
    sb.file("allow.env", &format!("T={} # credsweep:allow\n", t(10)));
    sb.file(
        "next.env",
        &format!("# credsweep:allow-next-line\nT={}\n", t(11)),
    );
    sb.file(
        "rule.env",
        &format!("T={} # credsweep:allow github-pat\n", t(12)),
    );
    sb.file(
        "other.env",
        &format!("T={} # credsweep:allow test-key\n", t(13)),
    );
    sb.file(
        "gitleaks.js",
        &format!("t = '{}' // gitleaks:allow\n", t(14)),
    );
    sb.file(
        "pragma.py",
        &format!("t = '{}'  # pragma: allowlist secret\n", t(15)),
    );
    sb.file(
        "far.env",
        &format!("# credsweep:allow-next-line\n\nT={}\n", t(16)),
    );
    sb.file(
        "pragma-next.py",
        &format!("# pragma: allowlist nextline secret\nt = '{}'\n", t(18)),
    );
    sb.file("plain.env", &format!("T={}\n", t(17)));
    let (code, found, _) = jsonl(&sb, &["--rules", "extra-rules"]);
    assert_eq!(code, 1);
    assert_eq!(paths(&found), vec!["far.env", "other.env", "plain.env"]);
    let (_, err) = stderr_of(&sb, &["scan", "--rules", "extra-rules", "--color", "never"]);
    assert!(
        err.contains("3 findings in") && err.contains("suppressed: 6 inline, 0 config, 0 baseline"),
        "{err}"
    );
}

// ---------------------------------------------------------------- baseline

fn read(sb: &Sandbox, rel: &str) -> String {
    std::fs::read_to_string(sb.path().join(rel)).expect("read file")
}

#[test]
fn baseline_round_trip_survives_line_moves_reformatting_and_renames() {
    let sb = Sandbox::new();
    let accepted = fake::github_pat(20);
    sb.file("config/app.env", &format!("# app\nTOKEN={accepted}\n"));
    let (code, found, err) = jsonl(&sb, &["--write-baseline", "credsweep-baseline.json"]);
    // Writing a baseline does not change the report or the exit status.
    assert_eq!((code, found.len()), (1, 1));
    assert!(
        err.contains("wrote 1 baseline entry to credsweep-baseline.json"),
        "{err}"
    );
    let text = read(&sb, "credsweep-baseline.json");
    assert!(!text.contains(&accepted), "baseline holds the secret");
    assert!(!text.contains(&accepted[4..]), "baseline holds the secret");
    let doc: Value = serde_json::from_str(&text).expect("baseline is JSON");
    assert_eq!(doc["version"], 1);
    let entry = &doc["findings"][0];
    assert_eq!(entry["rule_id"], "github-pat");
    assert_eq!(entry["path"], "config/app.env");
    assert_eq!(entry["secret_hash"].as_str().map(str::len), Some(64));
    assert_eq!(entry["fingerprint"], found[0]["fingerprint"]);

    // Moved down, reformatted (YAML now), and the file renamed.
    std::fs::remove_file(sb.path().join("config/app.env")).expect("rm");
    sb.file(
        "settings/app.yaml",
        &format!("app:\n  name: demo\n\n  credentials:\n    token: \"{accepted}\"\n"),
    );
    let (code, found, _) = jsonl(&sb, &["--baseline", "credsweep-baseline.json"]);
    assert_eq!((code, found.len()), (0, 0));
    let (_, err) = stderr_of(
        &sb,
        &[
            "scan",
            "--baseline",
            "credsweep-baseline.json",
            "--color",
            "never",
        ],
    );
    assert!(
        err.contains("suppressed: 0 inline, 0 config, 1 baseline"),
        "{err}"
    );

    // A new secret is reported; so is a second copy of the accepted one.
    let fresh = fake::github_pat(21);
    sb.file("new.env", &format!("A={fresh}\nB={accepted}\n"));
    let (code, found, _) = jsonl(&sb, &["--baseline", "credsweep-baseline.json"]);
    assert_eq!(code, 1);
    let lines: Vec<(String, u64)> = found
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![("new.env".to_string(), 1), ("new.env".to_string(), 2)]
    );
}

#[test]
fn baseline_entries_are_sorted_one_per_line() {
    let sb = Sandbox::new();
    sb.file("b.env", &format!("T={}\n", fake::github_pat(30)));
    sb.file(
        "a.env",
        &format!("T={}\nU={}\n", fake::github_pat(31), fake::github_pat(32)),
    );
    let (code, _, _) = jsonl(&sb, &["--write-baseline", "base.json"]);
    assert_eq!(code, 1);
    let text = read(&sb, "base.json");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "{text}");
    assert_eq!(lines[..3], ["{", "  \"version\": 1,", "  \"findings\": ["]);
    assert!(lines[3].starts_with("    {\"rule_id\":\"github-pat\",\"path\":\"a.env\""));
    assert!(lines[4].starts_with("    {\"rule_id\":\"github-pat\",\"path\":\"a.env\""));
    assert!(lines[5].starts_with("    {\"rule_id\":\"github-pat\",\"path\":\"b.env\""));
    assert_eq!(lines[6..], ["  ]", "}"]);
    // Same input, same bytes.
    let (_, _, _) = jsonl(&sb, &["--write-baseline", "again.json"]);
    assert_eq!(read(&sb, "again.json"), text);
}

#[test]
fn prune_baseline_lists_stale_entries_and_can_rewrite_without_them() {
    let sb = Sandbox::new();
    let kept = fake::github_pat(40);
    let gone = fake::github_pat(41);
    sb.file("keep.env", &format!("T={kept}\n"));
    sb.file("gone.env", &format!("T={gone}\n"));
    assert_eq!(jsonl(&sb, &["--write-baseline", "b.json"]).0, 1);
    std::fs::remove_file(sb.path().join("gone.env")).expect("rm");
    let fresh = fake::github_pat(42);
    sb.file("fresh.env", &format!("T={fresh}\n"));

    let (code, found, err) = jsonl(&sb, &["--baseline", "b.json", "--prune-baseline"]);
    assert_eq!(code, 1);
    assert_eq!(paths(&found), vec!["fresh.env"]);
    assert!(
        err.contains("credsweep: stale baseline entry: gone.env: github-pat (fingerprint "),
        "{err}"
    );
    assert!(
        err.contains("credsweep: baseline b.json: 1 stale of 2 entries"),
        "{err}"
    );
    assert!(!err.contains("keep.env"), "{err}");

    // Prune + write: the old baseline minus stale entries; nothing new accepted.
    let (code, _, _) = jsonl(
        &sb,
        &[
            "--baseline",
            "b.json",
            "--prune-baseline",
            "--write-baseline",
            "b.json",
        ],
    );
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&read(&sb, "b.json")).expect("json");
    let entries = doc["findings"].as_array().expect("array");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["path"], "keep.env");
}

#[test]
fn the_baseline_file_is_never_a_finding_itself() {
    // A rule as greedy as a generic one could be: any 64-hex value after
    // `secret_hash`.
    let sb = Sandbox::new();
    sb.file(
        "hex-rules/hex.yaml",
        "- id: hex-after-key\n  name: Hex secret\n  severity: high\n  \
         keywords: [secret_hash]\n  regex: 'secret_hash\\W+([0-9a-f]{64})'\n",
    );
    sb.file("a.env", &format!("T={}\n", fake::github_pat(45)));
    let args = ["--rules", "hex-rules", "--write-baseline", "b.json"];
    let (code, found, _) = jsonl(&sb, &args);
    assert_eq!((code, found.len()), (1, 1));
    let (code, found, _) = jsonl(&sb, &["--rules", "hex-rules", "--baseline", "b.json"]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
    // Under another name the same content is found: the exclusion is the
    // baseline file only.
    std::fs::copy(sb.path().join("b.json"), sb.path().join("copy.json")).expect("cp");
    let (code, found, _) = jsonl(&sb, &["--rules", "hex-rules", "--baseline", "b.json"]);
    assert_eq!(code, 1);
    assert_eq!(paths(&found), vec!["copy.json"]);
}

#[test]
fn prune_baseline_needs_a_baseline() {
    let sb = Sandbox::new();
    sb.file("a.txt", "x\n");
    let (code, err) = stderr_of(&sb, &["scan", "--prune-baseline"]);
    assert_eq!(code, 2);
    assert!(err.contains("--baseline"), "{err}");
}

#[test]
fn broken_baseline_file_exits_2_naming_file_and_line() {
    let sb = Sandbox::new();
    sb.file("a.txt", "x\n");
    sb.file(
        "b.json",
        "{\n  \"version\": 1,\n  \"findings\": [\n    {\"rule\": 1}\n  ]\n}\n",
    );
    let (code, err) = stderr_of(&sb, &["scan", "--baseline", "b.json"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("credsweep: error: b.json:4:"), "{err}");
    let (code, err) = stderr_of(&sb, &["scan", "--baseline", "missing.json"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("credsweep: error: missing.json: "), "{err}");
}

#[test]
fn baseline_survives_a_squash_merged_history() {
    let sb = Sandbox::new();
    // `credsweep git` comes from the git source's branch; until both are
    // merged this test has nothing to drive.
    let probe = sb.cmd(["git", "--help"]).output().expect("run");
    if probe.status.code() != Some(0) {
        eprintln!("skipped: this build has no `credsweep git`");
        return;
    }
    let repo = sb.path().join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]);
    sb.file("repo/README.md", "demo\n");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "base"]);
    git(&repo, &["checkout", "-qb", "feature"]);
    let token = fake::github_pat(70);
    sb.file("repo/app.env", &format!("# app\nTOKEN={token}\n"));
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "add token"]);
    sb.file("repo/app.env", &format!("# app\nDEBUG=1\nTOKEN={token}\n"));
    git(&repo, &["commit", "-qam", "move it down"]);

    let out = sb
        .cmd([
            "git",
            "repo",
            "--format",
            "jsonl",
            "--write-baseline",
            "b.json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let before: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect();
    assert!(!before.is_empty());

    // Squash-merge the branch and drop it: every commit id changes.
    git(&repo, &["checkout", "-q", "main"]);
    git(&repo, &["merge", "-q", "--squash", "feature"]);
    git(&repo, &["commit", "-qm", "feature (squashed)"]);
    git(&repo, &["branch", "-qD", "feature"]);
    let out = sb
        .cmd(["git", "repo", "--format", "jsonl", "--baseline", "b.json"])
        .output()
        .expect("run");
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
        ),
        (Some(0), String::new())
    );
}

// ---------------------------------------------------------------- empty

#[test]
fn empty_scan_warns_and_fail_on_empty_exits_2() {
    let sb = Sandbox::new();
    sb.file("only/.gitignore", "*\n");
    sb.file("only/secret.env", "x\n");
    let (code, err) = stderr_of(&sb, &["scan", "only", "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("credsweep: warning: nothing was scanned (no readable text files)\n"),
        "{err}"
    );
    let (code, err) = stderr_of(&sb, &["scan", "only", "--fail-on-empty"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "credsweep: error: nothing was scanned (no readable text files) \
         and --fail-on-empty is set\n"
    );
    // Empty standard input counts as nothing, too.
    let out = sb
        .cmd(["scan", "-", "--fail-on-empty"])
        .write_stdin("")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "credsweep: error: nothing was scanned (only empty files) and --fail-on-empty is set\n"
    );
    // Something scanned: fine.
    sb.file("real.txt", "hello\n");
    let (code, _) = stderr_of(&sb, &["scan", "real.txt", "--fail-on-empty"]);
    assert_eq!(code, 0);
}

// ---------------------------------------------------------------- config init

#[test]
fn config_init_writes_a_valid_starter_and_never_overwrites() {
    let sb = Sandbox::new();
    let (code, err) = stderr_of(&sb, &["config", "init"]);
    assert_eq!(
        (code, err.as_str()),
        (0, "credsweep: wrote .credsweep.yaml\n")
    );
    let text = read(&sb, ".credsweep.yaml");
    assert!(text.starts_with("# credsweep configuration"), "{text}");
    let (code, err) = stderr_of(&sb, &["config", "check"]);
    assert_eq!(
        (code, err.as_str()),
        (0, "credsweep: .credsweep.yaml: ok\n")
    );
    // The starter allows testdata/ and is picked up by scan.
    sb.file("x/testdata/k.env", &format!("T={}\n", fake::github_pat(50)));
    assert_eq!(jsonl(&sb, &[]).0, 0);

    std::fs::write(sb.path().join(".credsweep.yaml"), "# mine\n").expect("write");
    let (code, err) = stderr_of(&sb, &["config", "init"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "credsweep: error: .credsweep.yaml already exists; not overwriting it \
         (edit it, or remove it first)\n"
    );
    assert_eq!(read(&sb, ".credsweep.yaml"), "# mine\n");
}

#[test]
fn config_init_at_a_path_and_check_without_a_file() {
    let sb = Sandbox::new();
    let (code, err) = stderr_of(&sb, &["config", "check"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "credsweep: error: no .credsweep.yaml here or in a folder above, up to the \
         repository root (credsweep config init writes one)\n"
    );
    std::fs::create_dir_all(sb.path().join("ci")).expect("mkdir");
    let (code, _) = stderr_of(&sb, &["config", "init", "ci/credsweep.yaml"]);
    assert_eq!(code, 0);
    let (code, _) = stderr_of(&sb, &["config", "check", "ci/credsweep.yaml"]);
    assert_eq!(code, 0);
    let (code, err) = stderr_of(&sb, &["config", "init", "missing/dir/c.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("credsweep: error: creating missing/dir/c.yaml: "),
        "{err}"
    );
}

#[test]
fn config_check_reports_errors_with_line() {
    let sb = Sandbox::new();
    sb.file("c.yaml", "pod_security:\n  exmpt: []\n");
    let (code, err) = stderr_of(&sb, &["config", "check", "c.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("credsweep: error: c.yaml:2:3: invalid config:"),
        "{err}"
    );
}

// ---------------------------------------------------------------- SARIF

fn sarif_validator() -> jsonschema::Validator {
    // The OASIS SARIF 2.1.0 schema, as shipped in the serde-sarif crate.
    let schema: Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

#[test]
fn sarif_output_validates_against_the_2_1_0_schema() {
    let sb = Sandbox::new();
    let token = fake::github_pat(60);
    sb.file("src/my app/.env", &format!("# x\nT={token}\n"));
    let out = sb
        .cmd(["scan", "--format", "sarif", "--color", "never"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains(&token));
    let doc: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let v = sarif_validator();
    let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // What GitHub code scanning needs beyond the schema.
    let run = &doc["runs"][0];
    let rule = &run["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "github-pat");
    assert!(
        rule["help"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("Revoke"))
    );
    assert_eq!(rule["properties"]["security-severity"], "9.5");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "github-pat");
    assert_eq!(
        result["partialFingerprints"]["credsweep/v1"]
            .as_str()
            .map(str::len),
        Some(64)
    );
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2), Some(3))
    );
    // A URI, so the space is percent-encoded.
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/my%20app/.env"
    );

    // A clean run is valid SARIF too.
    let sb = Sandbox::new();
    sb.file("a.txt", "hello\n");
    let out = sb.cmd(["scan", "--format", "sarif"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v.is_valid(&doc));
    assert_eq!(doc["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn sarif_fingerprint_is_stable_across_line_moves() {
    let sb = Sandbox::new();
    let token = fake::github_pat(61);
    sb.file("a.env", &format!("T={token}\n"));
    let fp = |sb: &Sandbox| {
        let out = sb.cmd(["scan", "--format", "sarif"]).output().expect("run");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
        doc["runs"][0]["results"][0]["partialFingerprints"]["credsweep/v1"].clone()
    };
    let before = fp(&sb);
    sb.file("a.env", &format!("\n\n# moved\n    T = {token}\n"));
    assert_eq!(fp(&sb), before);
}

// ---------------------------------------------------------------- CI examples

#[test]
fn ci_examples_are_valid_yaml_and_scan_new_commits() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, must) in [
        (
            "examples/github-actions.yml",
            &[
                "credsweep git --since \"origin/${{ github.base_ref }}\"",
                "github/codeql-action/upload-sarif",
                "--format sarif",
            ][..],
        ),
        (
            "examples/gitlab-ci.yml",
            &[
                "credsweep git --since \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"",
                "--format json",
            ][..],
        ),
    ] {
        let text = std::fs::read_to_string(root.join(file)).expect("example exists");
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
        assert!(doc.is_mapping(), "{file}");
        for m in must {
            assert!(text.contains(m), "{file} lacks {m}");
        }
    }
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    assert!(readme.contains("examples/github-actions.yml"));
    assert!(readme.contains("examples/gitlab-ci.yml"));
}

// ---------------------------------------------------------------- local tools

#[test]
fn completions_and_man_page_mention_the_subcommands() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = sb.cmd(["completions", shell]).output().expect("run");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        for word in ["scan", "rules", "config", "baseline", "fail-on-empty"] {
            assert!(text.contains(word), "{shell} completions lack {word}");
        }
    }
    let out = sb.cmd(["man"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(".ie"), "roff expected");
    for word in ["credsweep", "scan", "rules", "config", "completions"] {
        assert!(text.contains(word), "man page lacks {word}");
    }
}

/// Subcommand names listed under `Commands:` in a help text.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_help_has_an_example() {
    // Walks the command tree from `credsweep --help`, so a command added
    // later without an example fails here too.
    let sb = Sandbox::new();
    let mut todo: Vec<Vec<String>> = vec![vec![]];
    let mut seen = 0;
    while let Some(cmd) = todo.pop() {
        let mut args = cmd.clone();
        args.push("--help".into());
        let out = sb.cmd(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            text.contains("Example"),
            "`credsweep {}` has no example:\n{text}",
            args.join(" ")
        );
        seen += 1;
        for sub in subcommands(&text) {
            let mut next = cmd.clone();
            next.push(sub);
            todo.push(next);
        }
    }
    assert!(seen >= 10, "only {seen} commands found");
}
