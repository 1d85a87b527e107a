//! `credsweep scan`: formats, exit codes, redaction, walking rules.

use crate::common::{Sandbox, fake};

#[test]
fn github_pat_in_env_file_is_found_with_exact_location() {
    let sb = Sandbox::new();
    let token = fake::github_pat(1);
    sb.file("app/.env", &format!("# config\nGITHUB_TOKEN={token}\n"));
    let out = sb
        .cmd(["scan", "--format", "jsonl", "--color", "never"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one jsonl line");
    assert_eq!(v["rule_id"], "github-pat");
    assert_eq!(v["location"]["path"], "app/.env");
    assert_eq!(v["location"]["line"], 2);
    assert_eq!(v["location"]["column"], 14);
    assert_eq!(v["location"]["end_column"], 54);
    assert_eq!(v["secret"]["validated"], "checksum");
    assert!(!stdout.contains(&token));
}
