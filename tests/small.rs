//! Issue 21's smaller defects, one test each (each failed on the build
//! before the fix).

use crate::common::{Sandbox, fake, git};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A GitHub token whose CRC32 checksum does not hold (reported at low
/// severity as `checksum-failed`).
fn broken_github_pat(seed: u64) -> String {
    let good = fake::github_pat(seed);
    let swap = if &good[4..5] == "A" { "B" } else { "A" };
    let mut bad = good;
    bad.replace_range(4..5, swap);
    bad
}

/// `-o` and `--write-baseline` files were created 0600 whatever the umask.
#[cfg(unix)]
#[test]
fn output_files_get_the_umask_mode() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    sb.file("a.env", &format!("T={}\n", fake::github_pat(2131)));
    let bin = match std::env::var_os("CREDSWEEP_TEST_BIN") {
        Some(p) => std::path::PathBuf::from(p),
        None => assert_cmd::cargo::cargo_bin!("credsweep").to_path_buf(),
    };
    let mode = |name: &str| {
        std::fs::metadata(sb.path().join(name))
            .expect("written")
            .permissions()
            .mode()
            & 0o777
    };
    for (umask, want) in [("022", 0o644), ("027", 0o640)] {
        let out = std::process::Command::new("sh")
            .current_dir(sb.path())
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(&bin)
            .args(["scan", "-o", "report.json", "--format", "json"])
            .args(["--write-baseline", "baseline.json", "a.env"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(mode("report.json"), want, "umask {umask}");
        assert_eq!(mode("baseline.json"), want, "umask {umask}");
        for f in ["report.json", "baseline.json"] {
            std::fs::remove_file(sb.path().join(f)).expect("rm");
        }
    }
    // a file that exists keeps its own mode, as with a shell redirect
    sb.file("report.json", "");
    std::fs::set_permissions(
        sb.path().join("report.json"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    sb.cmd(["scan", "-o", "report.json", "a.env"])
        .assert()
        .code(1);
    assert_eq!(mode("report.json"), 0o600);
}

/// The `git` summary said "0 findings in 0 files (… 1 blobs, 0 commits)".
#[test]
fn git_summary_counts_commits_and_staged_files() {
    let sb = Sandbox::new();
    git(sb.path(), &["init", "-q"]);
    sb.file("a.txt", "hello\n");
    git(sb.path(), &["add", "a.txt"]);
    git(sb.path(), &["commit", "-q", "-m", "one"]);
    let out = sb.cmd(["git", "--color", "never"]).output().expect("run");
    let err = stderr(&out);
    assert!(
        err.starts_with("credsweep: 0 findings in 1 commit (1 unique blob, "),
        "{err}"
    );
    sb.file("b.txt", "world\n");
    git(sb.path(), &["add", "b.txt"]);
    let out = sb
        .cmd(["git", "--staged", "--color", "never"])
        .output()
        .expect("run");
    let err = stderr(&out);
    assert!(
        err.starts_with("credsweep: 0 findings in 1 staged file ("),
        "{err}"
    );
}

/// The warning for a blob missing from the object store printed its id
/// twice (once from credsweep, once inside libgit2's message).
#[test]
fn missing_object_warning_names_the_blob_once() {
    let sb = Sandbox::new();
    git(sb.path(), &["init", "-q"]);
    sb.file("a.txt", "hello\n");
    git(sb.path(), &["add", "a.txt"]);
    git(sb.path(), &["commit", "-q", "-m", "one"]);
    let id = "ce013625030ba8dba906f756967f9e9ca394464a"; // blob "hello\n"
    std::fs::remove_file(
        sb.path()
            .join(format!(".git/objects/{}/{}", &id[..2], &id[2..])),
    )
    .expect("remove the loose object");
    let out = sb.cmd(["git", "--color", "never"]).output().expect("run");
    let err = stderr(&out);
    let warning = err
        .lines()
        .find(|l| l.starts_with("credsweep: warning: a.txt: "))
        .unwrap_or_else(|| panic!("a warning for a.txt: {err}"));
    assert_eq!(warning.matches(id).count(), 1, "{warning}");
    assert!(warning.contains(&format!("blob {id}")), "{warning}");
}

/// Text output said "checksum does not hold … (checksum-failed)": the same
/// thing twice.
#[test]
fn broken_checksum_is_said_once_in_text() {
    let sb = Sandbox::new();
    sb.file("a.env", &format!("T={}\n", broken_github_pat(2132)));
    let out = sb
        .cmd(["scan", "--color", "never", "a.env"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("checksum does not hold").count(), 1, "{text}");
    assert!(!text.contains("checksum-failed"), "{text}");
    // JSON keeps the machine-readable status
    let (_, found, _) = crate::common::jsonl_run(&sb, &["scan", "--format", "jsonl", "a.env"]);
    assert_eq!(found[0]["secret"]["validated"], "checksum-failed");
}

/// Findings dropped by `--min-severity` were counted as "config"
/// suppressions, with no config file.
#[test]
fn flag_filters_are_not_config_suppressions() {
    let sb = Sandbox::new();
    sb.file("a.env", &format!("T={}\n", broken_github_pat(2133)));
    let out = sb
        .cmd(["scan", "--color", "never", "--min-severity", "high"])
        .output()
        .expect("run");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("config,"), "{err}");
    assert!(
        err.contains("; 1 hidden by --min-severity/--min-confidence/--only"),
        "{err}"
    );
    // the config's own floor is a config suppression
    sb.file(".credsweep.yaml", "min_severity: high\n");
    let out = sb.cmd(["scan", "--color", "never"]).output().expect("run");
    let err = stderr(&out);
    assert!(
        err.contains("suppressed: 0 inline, 1 config, 0 baseline"),
        "{err}"
    );
    assert!(!err.contains("hidden by"), "{err}");
}

/// `-j` help showed `[default: 0]`.
#[test]
fn threads_help_shows_no_zero_default() {
    for cmd in ["scan", "git"] {
        let out = Sandbox::new().cmd([cmd, "--help"]).output().expect("run");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(!help.contains("[default: 0]"), "{cmd}: {help}");
        assert!(help.contains("one per core"), "{cmd}: {help}");
    }
}

/// A refused commit should say how to go on: `credsweep:allow` and
/// `--no-verify`.
#[test]
fn staged_findings_say_how_to_go_on() {
    let sb = Sandbox::new();
    git(sb.path(), &["init", "-q"]);
    sb.file("a.env", &format!("T={}\n", fake::github_pat(2134)));
    git(sb.path(), &["add", "a.env"]);
    let out = sb
        .cmd(["git", "--staged", "--color", "never"])
        .output()
        .expect("run");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("credsweep:allow"), "{err}");
    assert!(err.contains("git commit --no-verify"), "{err}");
    // a clean staged change says nothing of the kind
    git(sb.path(), &["rm", "-q", "--cached", "a.env"]);
    sb.file("b.txt", "fine\n");
    git(sb.path(), &["add", "b.txt"]);
    let out = sb
        .cmd(["git", "--staged", "--color", "never"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("--no-verify"));
}
