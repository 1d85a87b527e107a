//! Never lose user data: outputs never replace an input of the same run, and
//! a write that fails part-way (a full disk, simulated with `ulimit -f 0`,
//! which makes every write to a regular file fail with EFBIG once SIGXFSZ is
//! ignored) leaves the original file exactly as it was, with no temporary
//! file left behind.

use crate::common::{Sandbox, fake};
use std::path::Path;
use std::process::Command;

fn binary() -> std::path::PathBuf {
    match std::env::var_os("CREDSWEEP_TEST_BIN") {
        Some(p) => p.into(),
        None => assert_cmd::cargo::cargo_bin!("credsweep").to_path_buf(),
    }
}

/// Runs credsweep in `dir` with a file-size limit of 0 blocks: the disk is
/// "full" for every regular-file write.
fn with_full_disk(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0 && exec \"$0\" \"$@\"")
        .arg(binary())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run sh")
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("readdir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn report_over_a_scanned_input_is_refused_before_anything_is_written() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(701);
    let original = format!("token = \"{pat}\"\n");
    sb.file("app.py", &original);
    sb.file("sub/other.py", "x = 1\n");
    for args in [
        vec!["scan", ".", "-o", "app.py"],
        vec!["scan", "app.py", "-o", "app.py"],
        vec!["scan", ".", "-o", "./sub/../app.py"],
        vec!["scan", ".", "--write-baseline", "app.py"],
        vec!["scan", ".", "-o", "sub/other.py"],
    ] {
        let out = sb.cmd(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refusing to overwrite"), "{args:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(sb.path().join("app.py")).expect("read"),
            original
        );
        assert_eq!(
            std::fs::read_to_string(sb.path().join("sub/other.py")).expect("read"),
            "x = 1\n"
        );
    }
    assert_eq!(
        names(sb.path()),
        ["app.py", "sub"],
        "no temporary file left"
    );
}

#[test]
fn rerunning_with_a_report_inside_the_scanned_folder_works() {
    let sb = Sandbox::new();
    sb.file(
        "app.py",
        &format!("token = \"{}\"\n", fake::github_pat(702)),
    );
    for format in ["json", "text", "sarif", "jsonl"] {
        let report = format!("report.{format}");
        for _ in 0..2 {
            let out = sb
                .cmd(["scan", ".", "--format", format, "-o", &report])
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(1), "{format}");
        }
    }
    for _ in 0..2 {
        let out = sb
            .cmd(["scan", ".", "--write-baseline", ".credsweep-baseline.json"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "baseline rerun");
    }
    // a report outside the scanned folder is never a problem
    let out = sb
        .cmd(["scan", "app.py", "-o", "elsewhere.json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn full_disk_during_redact_in_place_keeps_the_original() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(703);
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(&format!("{i} request ok token={pat}\n"));
    }
    sb.file("app.log", &text);
    let out = with_full_disk(sb.path(), &["redact", "--in-place", "app.log"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("app.log"));
    assert_eq!(
        std::fs::read_to_string(sb.path().join("app.log")).expect("read"),
        text
    );
    assert_eq!(names(sb.path()), ["app.log"], "no temporary file left");
}

#[test]
fn full_disk_while_writing_a_report_or_baseline_keeps_the_old_one() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path().join("src")).expect("mkdir");
    sb.file(
        "src/app.py",
        &format!("token = \"{}\"\n", fake::github_pat(704)),
    );
    sb.file("report.json", "old report\n");
    sb.file("baseline.json", "old baseline\n");
    for args in [
        ["scan", "src", "--format", "json", "-o", "report.json"],
        [
            "scan",
            "src",
            "--write-baseline",
            "baseline.json",
            "--color",
            "never",
        ],
    ] {
        let out = with_full_disk(sb.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    assert_eq!(
        std::fs::read_to_string(sb.path().join("report.json")).expect("read"),
        "old report\n"
    );
    assert_eq!(
        std::fs::read_to_string(sb.path().join("baseline.json")).expect("read"),
        "old baseline\n"
    );
    assert_eq!(names(sb.path()), ["baseline.json", "report.json", "src"]);
}
