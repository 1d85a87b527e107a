//! No secret escapes: a secret built at run time is planted in every kind of
//! input, and every output channel (each report format on stdout and via
//! `-o`, `git`, `redact`, stderr warnings and errors, baselines, the panic
//! hook) is searched for it. Without `--show-secrets` only the masked form
//! (`ghp_…(40 chars)`) may appear.

use crate::common::{Sandbox, fake};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Fails naming the channel when `hay` holds `secret` (or its longer half:
/// a leak of most of a secret is a leak too).
fn assert_absent(channel: &str, hay: &[u8], secret: &str) {
    let hay = String::from_utf8_lossy(hay);
    let half = &secret[secret.len() / 2..];
    assert!(
        !hay.contains(secret) && !hay.contains(half),
        "{channel} leaks the planted secret"
    );
}

/// A folder with one secret in `app.py` at line 2, column 10.
fn planted(seed: u64) -> (Sandbox, String) {
    let sb = Sandbox::new();
    let pat = fake::github_pat(seed);
    sb.file("app.py", &format!("import os\ntoken = \"{pat}\"\n"));
    (sb, pat)
}

/// Runs git in `dir` with a fixed identity; panics on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?} failed");
}

/// A git repository in `sb`/`repo` with one commit holding `text` in
/// `app.py`; returns its path.
pub fn repo_with(sb: &Sandbox, text: &str) -> std::path::PathBuf {
    let dir = sb.path().join("repo");
    std::fs::create_dir_all(&dir).expect("mkdir");
    git(&dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("app.py"), text).expect("write");
    git(&dir, &["add", "app.py"]);
    git(&dir, &["commit", "-q", "-m", "add app"]);
    dir
}

#[test]
fn every_report_format_masks_the_secret_on_stdout_and_in_files() {
    let (sb, pat) = planted(801);
    for format in ["text", "json", "jsonl", "sarif"] {
        let out = sb
            .cmd(["scan", ".", "--color", "never", "--format", format])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert_absent(&format!("{format} stdout"), &out.stdout, &pat);
        assert_absent(&format!("{format} stderr"), &out.stderr, &pat);
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("…(40 chars)"), "{format} shows the mask");

        let report = sb
            .path()
            .join(format!("../report-{format}-{}.out", std::process::id()));
        let report = std::path::absolute(&report).expect("abs");
        let out = sb
            .cmd(["scan", "app.py", "--format", format, "-o"])
            .arg(&report)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{format} -o");
        let written = std::fs::read(&report).expect("report written");
        let _ = std::fs::remove_file(&report);
        assert_absent(&format!("{format} -o file"), &written, &pat);
        assert_absent(&format!("{format} -o stderr"), &out.stderr, &pat);
    }
}

#[test]
fn show_secrets_is_the_only_way_to_print_it() {
    let (sb, pat) = planted(802);
    let out = sb
        .cmd(["scan", ".", "--format", "json", "--show-secrets"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&pat));
}

#[test]
fn standard_input_and_git_history_mask_the_secret() {
    let pat = fake::github_pat(803);
    let sb = Sandbox::new();
    let out = sb
        .cmd(["scan", "-", "--format", "json"])
        .write_stdin(format!("log line token={pat} end\n"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_absent("stdin json", &out.stdout, &pat);
    assert_absent("stdin stderr", &out.stderr, &pat);

    let repo = repo_with(&sb, &format!("token = \"{pat}\"\n"));
    for format in ["text", "json", "sarif"] {
        let out = sb
            .cmd(["git", "--format", format, "--color", "never"])
            .arg(&repo)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "git {format}");
        assert_absent(&format!("git {format}"), &out.stdout, &pat);
        assert_absent("git stderr", &out.stderr, &pat);
    }
    // staged
    std::fs::write(repo.join("new.py"), format!("k = \"{pat}\"\n")).expect("write");
    git(&repo, &["add", "new.py"]);
    let out = sb
        .cmd(["git", "--staged", "--format", "json"])
        .arg(&repo)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "git --staged");
    assert_absent("git --staged", &out.stdout, &pat);
}

#[test]
fn redact_never_prints_the_secret() {
    let (sb, pat) = planted(804);
    let out = sb.cmd(["redact", "app.py"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_absent("redact stdout", &out.stdout, &pat);
    assert_absent("redact stderr", &out.stderr, &pat);
    let out = sb
        .cmd(["redact", "--in-place", "app.py"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_absent("redact --in-place stderr", &out.stderr, &pat);
    assert_absent(
        "redacted file",
        &std::fs::read(sb.path().join("app.py")).expect("read"),
        &pat,
    );
}

#[test]
fn baseline_files_hold_hashes_only() {
    let (sb, pat) = planted(805);
    let out = sb
        .cmd(["scan", "app.py", "--write-baseline", "../bl.json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let bl = std::fs::read(sb.path().join("../bl.json")).expect("baseline");
    let _ = std::fs::remove_file(sb.path().join("../bl.json"));
    assert_absent("baseline", &bl, &pat);
    // no 4-character prefix either: a baseline has no masked form at all
    assert!(
        !String::from_utf8_lossy(&bl).contains("…("),
        "baseline holds a mask"
    );
}

#[test]
fn a_bad_rule_file_holding_a_secret_does_not_echo_it() {
    let (sb, pat) = planted(806);
    // the secret sits on the offending line: an unclosed group in the regex
    sb.file(
        "myrules/bad.yaml",
        &format!(
            "- id: leaky\n  name: leaky\n  severity: high\n  keywords: [token]\n  regex: 'token = ({pat}'\n"
        ),
    );
    let out = sb
        .cmd(["scan", "app.py", "--rules", "myrules"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_absent("bad regex error", &out.stderr, &pat);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.yaml"),
        "names the file"
    );

    // unknown key named like the secret, a bad value holding it
    for (name, text) in [
        (
            "k.yaml",
            format!("- id: leaky\n  name: leaky\n  severity: high\n  {pat}: 1\n"),
        ),
        (
            "v.yaml",
            format!("- id: leaky\n  name: leaky\n  severity: \"{pat}\"\n  regex: 'x(y)'\n"),
        ),
        ("t.yaml", format!("- id: [\"{pat}\"\n")),
    ] {
        sb.file(&format!("r-{name}/{name}"), &text);
        let out = sb
            .cmd(["rules", "list", "--rules", &format!("r-{name}")])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert_absent(&format!("rule error {name}"), &out.stderr, &pat);
    }
}

#[test]
fn a_bad_config_file_holding_a_secret_does_not_echo_it() {
    let (sb, pat) = planted(807);
    for (i, text) in [
        format!("allow:\n  values: [\"{pat}\"]\n  {pat}: true\n"),
        format!("{pat}: 1\n"),
        format!("min_severity: \"{pat}\"\n"),
        format!("allow:\n  values: [\"({pat}\"]\n"),
        format!("allow: [\"{pat}\"\n"),
    ]
    .iter()
    .enumerate()
    {
        sb.file(".credsweep.yaml", text);
        let out = sb.cmd(["scan", "."]).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "config {i}");
        assert_absent(&format!("config error {i}"), &out.stderr, &pat);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(".credsweep.yaml"),
            "config {i} names the file"
        );
        let out = sb.cmd(["config", "check"]).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "config check {i}");
        assert_absent(&format!("config check {i}"), &out.stderr, &pat);
    }
}

#[test]
fn a_truncated_gzip_warning_does_not_echo_the_secret() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(808);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut text = format!("first token={pat}\n").into_bytes();
    for i in 0..20_000 {
        text.extend_from_slice(format!("line {i} token={pat}\n").as_bytes());
    }
    enc.write_all(&text).expect("gz");
    let gz = enc.finish().expect("gz");
    sb.bytes("app.log.gz", &gz[..gz.len() / 2]);
    for args in [
        vec!["scan", ".", "--format", "json"],
        vec!["redact", "app.log.gz"],
    ] {
        let out = sb.cmd(&args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            stderr.contains("app.log.gz"),
            "{args:?} warns naming the file"
        );
        assert_absent(&format!("{args:?} stdout"), &out.stdout, &pat);
        assert_absent(&format!("{args:?} stderr"), &out.stderr, &pat);
    }
}

#[test]
fn a_panic_prints_no_input_data() {
    let (sb, pat) = planted(809);
    let out = sb
        .cmd(["scan", "."])
        .env("CREDSWEEP_TEST_PANIC", &pat)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(101));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("internal error"), "says what happened");
    assert_absent("panic hook", &out.stderr, &pat);
    assert_absent("panic stdout", &out.stdout, &pat);
}
