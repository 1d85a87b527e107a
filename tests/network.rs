//! No network, ever: every command runs under `strace -f -e trace=network`
//! and the trace must hold no `socket(AF_INET…)`/`socket(AF_INET6…)` and no
//! `connect(`. (Local `AF_UNIX` sockets are not network, but credsweep opens
//! none either, so `connect(` of any family fails the test.) Without
//! strace the test is skipped, printing why and how to install it; with
//! `CREDSWEEP_STRICT_TESTS=1` (`.ci/run` sets it) it fails instead.

use crate::common::{Sandbox, fake};
use crate::no_leak::{git, repo_with};
use std::process::Command;

/// The path of the binary under test.
fn binary() -> std::path::PathBuf {
    match std::env::var_os("CREDSWEEP_TEST_BIN") {
        Some(p) => p.into(),
        None => assert_cmd::cargo::cargo_bin!("credsweep").to_path_buf(),
    }
}

fn strace_available() -> bool {
    Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs credsweep `args` in `dir` under strace (stdin from `stdin`) and
/// returns the exit code; fails when the trace shows network activity.
fn traced(sb: &Sandbox, dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> Option<i32> {
    let trace = sb
        .path()
        .join(format!("trace-{}.txt", args.join("_").replace('/', "_")));
    let mut child = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=network", "-o"])
        .arg(&trace)
        .arg(binary())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run strace");
    {
        use std::io::Write;
        let mut input = child.stdin.take().expect("stdin");
        let _ = input.write_all(stdin);
    }
    let status = child.wait().expect("wait");
    let text = std::fs::read_to_string(&trace).expect("strace wrote a trace");
    for line in text.lines() {
        assert!(
            !line.contains("socket(AF_INET") && !line.contains("connect("),
            "`credsweep {}` made a network call: {line}",
            args.join(" ")
        );
    }
    status.code()
}

#[test]
fn no_command_opens_a_network_socket() {
    if !crate::common::prerequisite(
        "no_command_opens_a_network_socket",
        strace_available(),
        "strace is not installed (Debian: apt-get install -y strace)",
    ) {
        return;
    }
    let sb = Sandbox::new();
    let pat = fake::github_pat(901);
    let aws = fake::aws_key_id(902);
    sb.file(
        "src/app.py",
        &format!("token = \"{pat}\"\nkey = \"{aws}\"\n"),
    );
    sb.file(
        "deploy/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    securityContext:\n      privileged: true\n",
    );
    sb.file("rules/mine.yaml", "- id: my-internal-token\n  name: Internal token\n  severity: high\n  keywords: [intk_]\n  regex: '\\b(intk_[a-z0-9]{24})\\b'\n  examples: ['{{lit:intk_}}{{hex:24}}']\n");
    let repo = repo_with(&sb, &format!("token = \"{pat}\"\n"));
    std::fs::write(repo.join("staged.py"), format!("t = \"{pat}\"\n")).expect("write");
    git(&repo, &["add", "staged.py"]);
    let root = sb.path();
    let repo_s = repo.to_string_lossy().to_string();
    let stdin = format!("log token={pat}\n").into_bytes();
    let cases: Vec<(Vec<&str>, Option<i32>, &[u8])> = vec![
        (vec!["scan", "src", "deploy"], Some(1), b""),
        (vec!["scan", "--format", "sarif", "."], Some(1), b""),
        (vec!["scan", "-"], Some(1), &stdin),
        (vec!["git", &repo_s], Some(1), b""),
        (vec!["git", "--staged", &repo_s], Some(1), b""),
        (vec!["redact"], Some(1), &stdin),
        (vec!["redact", "src/app.py"], Some(1), b""),
        (vec!["rules", "list"], Some(0), b""),
        (vec!["rules", "test"], Some(0), b""),
        (vec!["rules", "test", "rules"], Some(0), b""),
        (vec!["rules", "explain", "github-pat"], Some(0), b""),
        (vec!["config", "init", "new-config.yaml"], Some(0), b""),
        (vec!["completions", "bash"], Some(0), b""),
        (vec!["man"], Some(0), b""),
    ];
    for (args, code, input) in cases {
        assert_eq!(
            traced(&sb, root, &args, input),
            code,
            "credsweep {}",
            args.join(" ")
        );
    }
}
