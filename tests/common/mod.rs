//! Test helpers: a fresh temporary folder per test (`Sandbox`), a command
//! builder with a clean environment, and fake tokens built at run time so no
//! token-shaped string is ever committed.
#![allow(dead_code)]

pub mod report;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// A temporary folder that is removed when the test ends.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` at `rel` (parents created) and returns the full path.
    pub fn file(&self, rel: &str, contents: &str) -> PathBuf {
        self.bytes(rel, contents.as_bytes())
    }

    pub fn bytes(&self, rel: &str, contents: &[u8]) -> PathBuf {
        let p = self.dir.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write");
        p
    }

    /// The binary under test, run inside the sandbox with a clean environment
    /// and `--color never` semantics (NO_COLOR is cleared; tests pass flags).
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut c = bin();
        c.current_dir(self.dir.path());
        c.args(args);
        c
    }
}

/// The credsweep binary (or `CREDSWEEP_TEST_BIN`, to test a release build).
pub fn bin() -> Command {
    let mut c = match std::env::var_os("CREDSWEEP_TEST_BIN") {
        Some(p) => Command::new(p),
        None => Command::new(assert_cmd::cargo::cargo_bin!("credsweep")),
    };
    c.env_remove("NO_COLOR");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("CREDSWEEP_") && k != "CREDSWEEP_TEST_BIN" {
            c.env_remove(k);
        }
    }
    c
}

/// Says on stderr that `test` did not run and why. Written to the stderr
/// handle itself, which the test harness does not capture (it captures the
/// print macros only), so the reason shows in a plain `cargo test` run.
pub fn skipped(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "note: {test}: skipped: {why}");
}

/// Whether a test's prerequisite outside the Rust toolchain (`strace`,
/// the `../shared` folder) is there. When it is not, the test is skipped
/// with a printed reason, so `cargo test` passes on a fresh machine with
/// a Rust toolchain alone, unless `CREDSWEEP_STRICT_TESTS=1` is set (as
/// `.ci/run` does): then a missing prerequisite fails the test.
pub fn prerequisite(test: &str, available: bool, missing: &str) -> bool {
    if available {
        return true;
    }
    if strict_tests() {
        panic!("{test}: {missing} (CREDSWEEP_STRICT_TESTS=1: required)");
    }
    skipped(
        test,
        &format!("{missing} (set CREDSWEEP_STRICT_TESTS=1 to fail instead)"),
    );
    false
}

/// `CREDSWEEP_STRICT_TESTS=1`: missing prerequisites fail tests.
pub fn strict_tests() -> bool {
    std::env::var_os("CREDSWEEP_STRICT_TESTS").is_some_and(|v| v == "1")
}

/// The `../shared` folder next to the repository (the contract's test
/// data), if `rel` exists in it; else `None` after [`prerequisite`] has
/// said why (or failed the test in strict mode).
pub fn shared(test: &str, rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    let missing = format!(
        "{} is missing (the shared folder next to the repository; CI provides it)",
        path.display()
    );
    prerequisite(test, path.exists(), &missing).then_some(path)
}

/// Runs `git` in `dir` with a fixed identity and no user or system
/// config; panics on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs credsweep with `args` (which ask for `--format jsonl`) in the
/// sandbox; returns the exit code, the findings and stderr.
pub fn jsonl_run(sb: &Sandbox, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let out = sb.cmd(args).output().expect("run credsweep");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let findings = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl line"))
        .collect();
    (
        out.status.code().unwrap_or(-1),
        findings,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `findings` of a `--format json` run of `cmd`.
pub fn json_findings(cmd: &mut Command) -> Vec<serde_json::Value> {
    let out = cmd.output().expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    v["findings"].as_array().cloned().unwrap_or_default()
}

/// Fake tokens with real shapes, generated at run time from a seed.
pub mod fake {
    const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    pub fn random(alphabet: &[u8], n: usize, seed: u64) -> String {
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..n)
            .map(|_| alphabet[rng.usize(..alphabet.len())] as char)
            .collect()
    }

    pub fn base62(n: usize, seed: u64) -> String {
        random(BASE62, n, seed)
    }

    /// `prefix` + 30 random base62 + CRC32 in 6 base62 (GitHub/npm scheme).
    pub fn crc_token(prefix: &str, seed: u64) -> String {
        let body = base62(30, seed);
        let mut n = crc32fast::hash(body.as_bytes());
        let mut check = [b'0'; 6];
        for slot in check.iter_mut().rev() {
            *slot = BASE62[(n % 62) as usize];
            n /= 62;
        }
        format!("{prefix}{body}{}", String::from_utf8_lossy(&check))
    }

    /// A classic GitHub PAT with a valid checksum.
    pub fn github_pat(seed: u64) -> String {
        crc_token(&["gh", "p_"].concat(), seed)
    }

    /// An AWS access key id shape.
    pub fn aws_key_id(seed: u64) -> String {
        format!(
            "{}{}",
            ["AK", "IA"].concat(),
            random(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, seed)
        )
    }
}
