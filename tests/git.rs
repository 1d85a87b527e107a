//! `credsweep git`: history, `--since`, `--staged`, bare and shallow
//! repositories. Repositories are built at test time with the `git` CLI,
//! with fixed author, committer and dates, so commit ids are reproducible.

use crate::common::report::{Commit, Location, Report};
use crate::common::{Sandbox, fake};
use std::path::{Path, PathBuf};
use std::process::Command;

// ---- the JSON report, strictly (schema drift fails a test) ----

// ---- a repository built with the git CLI ----

/// Commit dates: the n-th commit (1-based) is at `BASE + 60 n` seconds, shown
/// at +01:00.
const BASE: i64 = 1_700_000_000;

/// 2023-11-14T23:13:20+01:00 is `BASE`; adds `n` minutes (n < 47).
fn date_of(n: i64) -> String {
    format!("2023-11-14T23:{:02}:20+01:00", 13 + n)
}

struct Repo {
    sb: Sandbox,
    dir: PathBuf,
    commits: std::cell::Cell<i64>,
}

impl Repo {
    /// `git init` in a folder `repo` of a fresh sandbox, branch `main`.
    fn new() -> Repo {
        let sb = Sandbox::new();
        // an empty global config (not /dev/null: tools that write `-o` atomically
        // have been known to replace it with a regular file on shared machines)
        sb.file("gitconfig", "");
        let dir = sb.path().join("repo");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let r = Repo {
            sb,
            dir,
            commits: std::cell::Cell::new(0),
        };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }

    /// Runs git in `dir` with a hermetic environment; returns trimmed stdout.
    fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let n = self.commits.get();
        let date = format!("{} +0100", BASE + 60 * n);
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.sb.path().join("gitconfig"))
            .env("GIT_AUTHOR_NAME", "Ada Lovelace")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Lovelace")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.dir, args)
    }

    /// Stages everything and commits; returns the new commit id.
    fn commit(&self, msg: &str) -> String {
        self.commits.set(self.commits.get() + 1);
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// The commit object expected in a finding for commit number `n`.
    fn expect_commit(&self, id: &str, n: i64, summary: &str) -> Commit {
        Commit {
            id: id.to_string(),
            author: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            date: date_of(n),
            summary: summary.into(),
        }
    }

    /// Runs credsweep in the sandbox (the parent of `repo`).
    fn run(&self, args: &[&str], code: i32) -> (Report, String) {
        let mut all = vec!["git"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json", "--color", "never"]);
        let out = self.sb.cmd(&all).assert().code(code);
        let o = out.get_output();
        let report: Report = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)));
        assert_eq!(report.version, 1);
        (report, String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

fn loc(path: &str, line: usize, column: usize, len: usize) -> Location {
    Location {
        path: path.into(),
        line,
        column,
        end_line: line,
        end_column: column + len,
    }
}

/// (path, line, commit id) of each finding, in report order.
fn where_(r: &Report) -> Vec<(String, usize, String)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.location.path.clone(),
                f.location.line,
                f.commit.as_ref().map(|c| c.id.clone()).unwrap_or_default(),
            )
        })
        .collect()
}

fn w(path: &str, line: usize, id: &str) -> (String, usize, String) {
    (path.into(), line, id.into())
}

// ---- history ----

#[test]
fn secret_added_then_deleted_is_reported_once_at_its_commit() {
    let r = Repo::new();
    let tok = fake::github_pat(11);
    r.write("README.md", "hello\n");
    r.write("config/app.env", &format!("# app\nGITHUB_TOKEN={tok}\n"));
    let c1 = r.commit("Add config");
    // a later version still holds the secret (moved a line down): not again
    r.write(
        "config/app.env",
        &format!("# app\n# more\nGITHUB_TOKEN={tok}\n"),
    );
    r.commit("Tweak config");
    std::fs::remove_file(r.dir.join("config/app.env")).expect("rm");
    r.commit("Remove secret");

    let (rep, stderr) = r.run(&["repo"], 1);
    assert_eq!(stderr, "", "json on a pipe: no progress, no summary");
    assert_eq!(rep.findings.len(), 1, "{:?}", where_(&rep));
    let f = &rep.findings[0];
    assert_eq!(f.rule_id, "github-pat");
    assert_eq!(f.location, loc("config/app.env", 2, 14, 40));
    assert_eq!(f.commit, Some(r.expect_commit(&c1, 1, "Add config")));
    assert_eq!(rep.stats.commits, 3);
    // README + two versions of app.env
    assert_eq!(rep.stats.blobs, 3);
    assert_eq!(rep.stats.files, 0);
    assert_eq!(rep.stats.skipped, 0);
    let expected_bytes = 6 + (6 + 13 + 40 + 1) + (6 + 7 + 13 + 40 + 1);
    assert_eq!(rep.stats.bytes, expected_bytes);
}

#[test]
fn clean_history_exits_zero() {
    let r = Repo::new();
    r.write("a.txt", "nothing here\n");
    r.commit("one");
    let (rep, _) = r.run(&["repo"], 0);
    assert!(rep.findings.is_empty());
    assert_eq!((rep.stats.commits, rep.stats.blobs), (1, 1));
}

#[test]
fn a_repository_without_commits_is_clean() {
    let r = Repo::new();
    let (rep, stderr) = r.run(&["repo"], 0);
    assert!(rep.findings.is_empty());
    assert_eq!(rep.stats.commits, 0);
    assert_eq!(
        stderr,
        "credsweep: warning: nothing was scanned (no readable text files)\n"
    );
}

#[test]
fn secret_only_on_a_side_branch_is_found() {
    let r = Repo::new();
    r.write("a.txt", "base\n");
    r.commit("base");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("deploy/.env", &format!("TOKEN={}\n", fake::github_pat(12)));
    let c2 = r.commit("wip");
    r.git(&["checkout", "-q", "main"]);
    r.write("a.txt", "base\nmore\n");
    r.commit("main moves on");
    let (rep, _) = r.run(&["repo"], 1);
    assert_eq!(where_(&rep), vec![w("deploy/.env", 1, &c2)]);
    assert_eq!(rep.findings[0].commit, Some(r.expect_commit(&c2, 2, "wip")));
}

#[test]
fn tags_and_remote_tracking_refs_are_walked() {
    let r = Repo::new();
    r.write("a.txt", "base\n");
    r.commit("base");
    r.git(&["checkout", "-q", "-b", "tmp"]);
    r.write("t.env", &format!("T={}\n", fake::github_pat(13)));
    let tagged = r.commit("tagged only");
    r.git(&["tag", "v1"]);
    r.write("u.env", &format!("U={}\n", fake::github_pat(14)));
    let remote = r.commit("remote only");
    r.git(&["update-ref", "refs/remotes/origin/tmp", &remote]);
    r.git(&["checkout", "-q", "main"]);
    r.git(&["branch", "-q", "-D", "tmp"]);
    let (rep, _) = r.run(&["repo"], 1);
    assert_eq!(
        where_(&rep),
        vec![w("t.env", 1, &tagged), w("u.env", 1, &remote)]
    );
}

#[test]
fn a_pure_rename_reports_nothing_new() {
    let r = Repo::new();
    let tok = fake::github_pat(15);
    r.write("old.env", &format!("K={tok}\n"));
    let c1 = r.commit("add");
    r.git(&["mv", "old.env", "new.env"]);
    r.commit("rename");
    // the same content copied under a third name: first appearance wins
    std::fs::copy(r.dir.join("new.env"), r.dir.join("copy.env")).expect("copy");
    r.commit("copy");
    let (rep, _) = r.run(&["repo"], 1);
    assert_eq!(where_(&rep), vec![w("old.env", 1, &c1)]);
    assert_eq!(rep.stats.blobs, 1);
}

#[test]
fn a_renamed_and_edited_file_is_a_new_path() {
    let r = Repo::new();
    let tok = fake::github_pat(16);
    r.write("old.env", &format!("K={tok}\n"));
    let c1 = r.commit("add");
    r.git(&["mv", "old.env", "new.env"]);
    r.write("new.env", &format!("# moved\nK={tok}\n"));
    let c2 = r.commit("rename and edit");
    let (rep, _) = r.run(&["repo"], 1);
    assert_eq!(
        where_(&rep),
        vec![w("new.env", 2, &c2), w("old.env", 1, &c1)]
    );
}

#[test]
fn a_merge_introduces_only_what_its_parents_lacked() {
    let r = Repo::new();
    r.write("a.txt", "base\n");
    r.commit("base");
    r.git(&["checkout", "-q", "-b", "feat"]);
    r.write("f.env", &format!("F={}\n", fake::github_pat(17)));
    let c2 = r.commit("feat secret");
    r.git(&["checkout", "-q", "main"]);
    r.write("b.txt", "main side\n");
    r.commit("main side");
    // a merge that also brings new content of its own
    r.commits.set(r.commits.get() + 1);
    r.git(&["merge", "-q", "--no-ff", "--no-commit", "feat"]);
    r.write("m.env", &format!("M={}\n", fake::github_pat(18)));
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "Merge feat"]);
    let merge = r.git(&["rev-parse", "HEAD"]);
    let (rep, _) = r.run(&["repo"], 1);
    assert_eq!(
        where_(&rep),
        vec![w("f.env", 1, &c2), w("m.env", 1, &merge)]
    );
    assert_eq!(
        rep.findings[1].commit,
        Some(r.expect_commit(&merge, 4, "Merge feat"))
    );
    assert_eq!(rep.stats.commits, 4);
}

#[test]
fn a_secret_twice_in_one_version_is_reported_on_both_lines() {
    let r = Repo::new();
    let tok = fake::github_pat(19);
    r.write("a.env", &format!("A={tok}\nB={tok}\n"));
    let c1 = r.commit("twice");
    r.write("a.env", &format!("A={tok}\nB={tok}\nC=1\n"));
    r.commit("later");
    let (rep, _) = r.run(&["repo"], 1);
    assert_eq!(where_(&rep), vec![w("a.env", 1, &c1), w("a.env", 2, &c1)]);
}

#[test]
fn binary_oversize_and_submodule_entries_are_skipped() {
    let r = Repo::new();
    let tok = fake::github_pat(20);
    let mut bin = format!("K={tok}\n").into_bytes();
    bin.push(0);
    std::fs::write(r.dir.join("blob.bin"), &bin).expect("write");
    r.write(
        "big.env",
        &format!("{}\nK={}\n", "x".repeat(200), fake::github_pat(21)),
    );
    r.write("ok.env", &format!("K={tok}\n"));
    r.git(&["add", "-A"]);
    // a gitlink (submodule) entry pointing at some commit id
    let sub = "0123456789abcdef0123456789abcdef01234567";
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{sub},vendor/lib"),
    ]);
    let c1 = r.commit("mixed");
    let (rep, _) = r.run(&["repo", "--max-file-size", "100"], 1);
    assert_eq!(where_(&rep), vec![w("ok.env", 1, &c1)]);
    assert_eq!((rep.stats.blobs, rep.stats.skipped), (1, 2));
}

#[test]
fn a_corrupt_object_is_a_warning_and_the_scan_goes_on() {
    let r = Repo::new();
    r.write("a.env", &format!("K={}\n", fake::github_pat(22)));
    r.write("b.txt", "plain text\n");
    let c1 = r.commit("two files");
    let b = r.git(&["rev-parse", "HEAD:b.txt"]);
    let obj = r.dir.join(".git/objects").join(&b[..2]).join(&b[2..]);
    let mut perms = std::fs::metadata(&obj).expect("loose object").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&obj, perms).expect("chmod");
    std::fs::write(&obj, b"not zlib at all").expect("corrupt");
    let (rep, stderr) = r.run(&["repo"], 1);
    assert_eq!(where_(&rep), vec![w("a.env", 1, &c1)]);
    assert!(
        stderr.starts_with(&format!("credsweep: warning: b.txt: blob {b}: ")),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!((rep.stats.blobs, rep.stats.skipped), (1, 1));
}

#[test]
fn a_bare_repository_is_scanned() {
    let r = Repo::new();
    r.write("a.env", &format!("K={}\n", fake::github_pat(23)));
    let c1 = r.commit("secret");
    r.git_in(r.sb.path(), &["clone", "-q", "--bare", "repo", "bare.git"]);
    let (rep, _) = r.run(&["bare.git"], 1);
    assert_eq!(where_(&rep), vec![w("a.env", 1, &c1)]);
}

#[test]
fn a_shallow_clone_attributes_old_content_to_its_oldest_commit() {
    let r = Repo::new();
    r.write("a.env", &format!("K={}\n", fake::github_pat(24)));
    r.commit("secret");
    r.write("b.txt", "later\n");
    let c2 = r.commit("later");
    let url = format!("file://{}", r.dir.display());
    r.git_in(
        r.sb.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let (rep, _) = r.run(&["shallow"], 1);
    assert_eq!(where_(&rep), vec![w("a.env", 1, &c2)]);
    assert_eq!(rep.stats.commits, 1);
}

#[test]
fn a_folder_inside_the_work_tree_finds_the_repository() {
    let r = Repo::new();
    r.write("sub/a.env", &format!("K={}\n", fake::github_pat(25)));
    let c1 = r.commit("secret");
    let (rep, _) = r.run(&["repo/sub"], 1);
    assert_eq!(where_(&rep), vec![w("sub/a.env", 1, &c1)]);
}

#[test]
fn not_a_repository_exits_2_with_a_clear_message() {
    let sb = Sandbox::new();
    sb.file("plain/a.txt", "x\n");
    let out = sb.cmd(["git", "plain"]).assert().code(2);
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stderr),
        "credsweep: error: plain: not a git repository\n"
    );
    assert!(out.get_output().stdout.is_empty());
    let out = sb.cmd(["git", "missing"]).assert().code(2);
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stderr),
        "credsweep: error: missing: not a git repository\n"
    );
}

// ---- --since ----

#[test]
fn since_reports_only_what_the_branch_adds() {
    let r = Repo::new();
    let s0 = fake::github_pat(30);
    let s1 = fake::github_pat(31);
    r.write("a.env", &format!("S1={s1}\n"));
    r.write("old.env", &format!("S0={s0}\n"));
    r.commit("base with secrets");
    r.git(&["checkout", "-q", "-b", "pr"]);
    // main moves on and deletes old.env; the PR branch still has it
    r.git(&["checkout", "-q", "main"]);
    std::fs::remove_file(r.dir.join("old.env")).expect("rm");
    r.commit("main drops old.env");
    r.git(&["checkout", "-q", "pr"]);
    // the PR edits a.env (S1 pre-exists there) and adds S2; adds S3 elsewhere
    r.write("a.env", &format!("S1={s1}\nS2={}\n", fake::github_pat(32)));
    let c3 = r.commit("pr: edit a.env");
    r.write("b.env", &format!("S3={}\n", fake::github_pat(33)));
    r.git(&["mv", "old.env", "renamed.env"]);
    let c4 = r.commit("pr: add b.env, rename old.env");

    let (rep, _) = r.run(&["repo", "--since", "main"], 1);
    assert_eq!(where_(&rep), vec![w("a.env", 2, &c3), w("b.env", 1, &c4)]);
    assert_eq!(rep.stats.commits, 2);
    // the whole history still has all four
    let (all, _) = r.run(&["repo"], 1);
    assert_eq!(all.findings.len(), 4, "{:?}", where_(&all));
}

#[test]
fn since_scans_the_checked_out_branch_not_every_other_branch() {
    let r = Repo::new();
    r.write("a.txt", "base\n");
    r.commit("base");
    r.git(&["checkout", "-q", "-b", "other"]);
    r.write("o.env", &format!("O={}\n", fake::github_pat(35)));
    r.commit("someone else's branch");
    r.git(&["checkout", "-q", "main"]);
    r.git(&["checkout", "-q", "-b", "pr"]);
    r.write("p.env", &format!("P={}\n", fake::github_pat(36)));
    let c3 = r.commit("my branch");
    let (rep, _) = r.run(&["repo", "--since", "main"], 1);
    assert_eq!(where_(&rep), vec![w("p.env", 1, &c3)]);
    assert_eq!(rep.stats.commits, 1);
}

#[test]
fn since_with_nothing_new_is_clean() {
    let r = Repo::new();
    r.write("a.env", &format!("K={}\n", fake::github_pat(34)));
    r.commit("secret");
    let (rep, _) = r.run(&["repo", "--since", "HEAD"], 0);
    assert!(rep.findings.is_empty());
    assert_eq!(rep.stats.commits, 0);
}

#[test]
fn since_an_unknown_revision_exits_2() {
    let r = Repo::new();
    r.write("a.txt", "x\n");
    r.commit("one");
    let out =
        r.sb.cmd(["git", "repo", "--since", "nope"])
            .assert()
            .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.starts_with("credsweep: error: --since nope: "),
        "{stderr}"
    );
}

// ---- --staged ----

#[test]
fn staged_reports_only_added_lines_and_new_files() {
    let r = Repo::new();
    let old = fake::github_pat(40);
    r.write("a.env", &format!("OLD={old}\nX=1\n"));
    r.write("gone.env", &format!("G={}\n", fake::github_pat(41)));
    r.commit("existing secrets");
    // modify a.env: keep OLD, add NEW at line 3; add n.env; delete gone.env
    let new = fake::github_pat(42);
    r.write("a.env", &format!("OLD={old}\nX=1\nNEW={new}\n"));
    r.write("n.env", &format!("# new\nN={}\n", fake::github_pat(43)));
    r.git(&["add", "a.env", "n.env"]);
    r.git(&["rm", "-q", "gone.env"]);
    // an unstaged work-tree edit is not what will be committed
    r.write("w.env", &format!("W={}\n", fake::github_pat(44)));

    let mut args = vec!["git", "--staged", "--format", "json"];
    args.push("--color");
    args.push("never");
    let out = r.sb.cmd(&args).current_dir(&r.dir).assert().code(1);
    let rep: Report = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let got: Vec<(Location, bool)> = rep
        .findings
        .iter()
        .map(|f| {
            (
                loc(&f.location.path, f.location.line, f.location.column, 40),
                f.commit.is_none(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (loc("a.env", 3, 5, 40), true),
            (loc("n.env", 2, 3, 40), true)
        ]
    );
    assert_eq!(rep.stats.blobs, 2);
    assert_eq!(rep.stats.commits, 0);
}

#[test]
fn staged_on_an_unborn_branch_scans_every_staged_file() {
    let r = Repo::new();
    r.write("a.env", &format!("K={}\n", fake::github_pat(45)));
    r.git(&["add", "a.env"]);
    let (rep, _) = r.run(&["repo", "--staged"], 1);
    assert_eq!(rep.findings.len(), 1);
    assert_eq!(rep.findings[0].location, loc("a.env", 1, 3, 40));
    assert_eq!(rep.findings[0].commit, None);
}

#[test]
fn staged_rename_without_edits_is_clean_and_nothing_staged_is_clean() {
    let r = Repo::new();
    r.write("a.env", &format!("K={}\n", fake::github_pat(46)));
    r.commit("secret");
    r.run(&["repo", "--staged"], 0);
    r.git(&["mv", "a.env", "b.env"]);
    let (rep, _) = r.run(&["repo", "--staged"], 0);
    assert!(rep.findings.is_empty());
}

#[test]
fn staged_and_since_conflict() {
    let r = Repo::new();
    r.sb.cmd(["git", "repo", "--staged", "--since", "main"])
        .assert()
        .code(2);
}

// ---- streaming: the walk hands blobs on in windows while scanning runs ----

#[test]
fn attribution_stays_oldest_first_across_streamed_windows() {
    // More blobs than the first window (2048) holds, spread over commits so
    // the walk hands them on in three windows (after commit 1, after commit
    // 20, at the end), each read in pack order. A secret kept through later
    // versions (later windows) stays attributed to its first commit.
    let r = Repo::new();
    let (t1, t2, t3) = (
        fake::github_pat(81),
        fake::github_pat(82),
        fake::github_pat(83),
    );
    let mut stream = String::new();
    let mut commit = |n: i64, files: &[(String, String)]| {
        let when = BASE + 60 * n;
        let msg = format!("c{n}");
        stream.push_str(&format!(
            "commit refs/heads/main\nauthor Ada Lovelace <ada@example.com> {when} +0100\n\
             committer Ada Lovelace <ada@example.com> {when} +0100\ndata {}\n{msg}\n",
            msg.len()
        ));
        for (path, text) in files {
            stream.push_str(&format!(
                "M 100644 inline {path}\ndata {}\n{text}\n",
                text.len()
            ));
        }
        stream.push('\n');
    };
    let file = |i: usize, v: i64| (format!("f/{i:04}.txt"), format!("line {i} v{v}\n"));
    let mut first: Vec<_> = (0..2200).map(|i| file(i, 1)).collect();
    first.push(("a.env".into(), format!("K={t1}\n")));
    commit(1, &first);
    for n in 2..=31 {
        let mut files: Vec<_> = (0..120)
            .map(|k| file((n as usize * 37 + k) % 2200, n))
            .collect();
        match n {
            10 => files.push(("a.env".into(), format!("K={t1}\nB={t2}\n"))),
            30 => files.push(("a.env".into(), format!("K={t1}\nB={t2}\nC={t3}\n"))),
            _ => {}
        }
        commit(n, &files);
    }
    stream.push_str("done\n");
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(&r.dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", r.sb.path().join("gitconfig"))
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), stream.as_bytes())
        .expect("write stream");
    assert!(child.wait().expect("wait").success());
    r.git(&["repack", "-adq"]);
    let ids: Vec<String> = r
        .git(&["rev-list", "--reverse", "main"])
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(ids.len(), 31);

    for reader in ["git", "libgit2"] {
        let out =
            r.sb.cmd(["git", "repo", "--format", "json", "--color", "never"])
                .env("CREDSWEEP_GIT_READER", reader)
                .assert()
                .code(1);
        let rep: Report = serde_json::from_slice(&out.get_output().stdout).expect("json");
        assert_eq!(
            where_(&rep),
            vec![
                w("a.env", 1, &ids[0]),
                w("a.env", 2, &ids[9]),
                w("a.env", 3, &ids[29])
            ],
            "reader {reader}"
        );
        assert_eq!(
            rep.findings[2].commit,
            Some(r.expect_commit(&ids[29], 30, "c30"))
        );
        assert_eq!(rep.stats.commits, 31);
        assert_eq!(rep.stats.blobs, 2201 + 30 * 120 + 2, "reader {reader}");
    }
}

// ---- both blob readers ----

#[test]
fn the_libgit2_reader_and_the_cat_file_reader_agree() {
    let r = Repo::new();
    let tok = fake::github_pat(50);
    r.write("a.env", &format!("K={tok}\n"));
    r.write(
        "big.env",
        &format!("{}\nB={}\n", "x".repeat(300), fake::github_pat(51)),
    );
    let mut bin = b"\0".to_vec();
    bin.extend_from_slice(tok.as_bytes());
    std::fs::write(r.dir.join("b.bin"), &bin).expect("write");
    r.commit("one");
    for n in 0..5 {
        r.write(
            "a.env",
            &format!("K={tok}\nN={n}\nS{n}={}\n", fake::github_pat(60 + n)),
        );
        r.commit(&format!("edit {n}"));
    }
    r.git(&["gc", "-q"]);
    let run = |reader: &str| {
        let out =
            r.sb.cmd(["git", "repo", "--max-file-size", "200", "--format", "json"])
                .env("CREDSWEEP_GIT_READER", reader)
                .assert()
                .code(1);
        let rep: Report = serde_json::from_slice(&out.get_output().stdout).expect("json");
        (
            where_(&rep),
            rep.stats.blobs,
            rep.stats.skipped,
            rep.stats.bytes,
        )
    };
    let fast = run("git");
    assert_eq!(fast.0.len(), 6, "{:?}", fast.0);
    assert_eq!((fast.1, fast.2), (6, 2));
    assert_eq!(fast, run("libgit2"));
}

#[test]
fn staged_reports_a_secret_on_a_changed_line() {
    let r = Repo::new();
    r.write("a.env", &format!("A={}\nB=2\nC=3\n", fake::github_pat(70)));
    r.commit("old key");
    // rotate the key in place: the line changed, so the new key is added
    r.write("a.env", &format!("A={}\nB=2\nC=3\n", fake::github_pat(71)));
    r.git(&["add", "a.env"]);
    let (rep, _) = r.run(&["repo", "--staged"], 1);
    assert_eq!(rep.findings.len(), 1);
    assert_eq!(rep.findings[0].location, loc("a.env", 1, 3, 40));
}

#[test]
fn pre_commit_hooks_file_declares_the_staged_hook() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .expect("hooks file");
    let hooks: Vec<serde_json::Value> = serde_yaml::from_str(&text).expect("yaml");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "credsweep")
        .expect("credsweep hook");
    assert_eq!(hook["entry"], "credsweep git --staged");
    assert_eq!(hook["pass_filenames"], false);
    assert!(matches!(hook["language"].as_str(), Some("rust" | "system")));
}
