//! Detection quality (issue 6): JWT claim hygiene, base64-decoded secrets,
//! and the global false-positive discipline (documented samples, lock files,
//! UUIDs, git SHAs, data URIs, certificates, public keys, generic stop-words).
//!
//! Each test runs with `--no-builtin-rules` and an explicit rule set (the
//! repo's own rule files, or a small rule written into the sandbox), so the
//! exact expectations hold however the built-in library grows.

use crate::common::report::{Finding, Location};
use crate::common::{Sandbox, fake};
use base64::Engine;

const JWT_RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/jwt-claims.yaml");
const GITHUB_RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/github.yaml");

fn loc(path: &str, line: usize, column: usize, end_line: usize, end_column: usize) -> Location {
    Location {
        path: path.into(),
        line,
        column,
        end_line,
        end_column,
    }
}

/// An unsigned-looking JWT (HS256 header, random signature) with `payload`.
fn jwt(payload: &str) -> String {
    let eng = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.{}",
        eng.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        eng.encode(payload),
        fake::random(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            43,
            7
        )
    )
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Runs `scan` with only the given rule files; returns (exit code, findings).
fn scan(sb: &Sandbox, rules: &[&str]) -> (i32, Vec<Finding>) {
    let mut args = vec![
        "scan",
        "--format",
        "jsonl",
        "--color",
        "never",
        "--no-builtin-rules",
    ];
    for r in rules {
        args.extend(["--rules", r]);
    }
    args.push(".");
    let out = sb.cmd(args).output().expect("run credsweep");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let findings = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (out.status.code().unwrap_or(-1), findings)
}

/// A test-local rule file in the sandbox (kept out of the scanned tree by
/// an `.ignore` file), so tests do not depend on the built-in library.
fn local_rules(sb: &Sandbox, yaml: &str) -> String {
    sb.file(".ignore", "rules/\n");
    sb.file("rules/local.yaml", yaml)
        .to_string_lossy()
        .into_owned()
}

/// A generic assignment rule in the style of rule authors' generic rules.
const GENERIC_RULE: &str = r#"
- id: generic-token
  name: Generic token assignment
  severity: medium
  keywords: [token]
  regex: '(?i)token[\w-]*\s*[:=]\s*"?([^\s"]+)'
  generic: true
  min_entropy: 2.5
  examples: ['token = "hN7sqP2zK9wLm4xQ"']
"#;

/// An access-key-id rule (regex only; no token in this file).
const KEY_ID_RULE: &str = r#"
- id: test-key-id
  name: Access key id
  severity: high
  keywords: [akia]
  regex: '\b(AKIA[A-Z0-9]{16})\b'
  examples: ['{{lit:AKIA}}{{upper:16}}']
"#;

// ---------------------------------------------------------------- JWT claims

#[test]
fn jwt_without_exp_is_long_lived() {
    let sb = Sandbox::new();
    let token = jwt(r#"{"sub":"svc-build","iat":1704067200}"#);
    sb.file("ci.env", &format!("# ci\nAuthorization: Bearer {token}\n"));
    let (code, f) = scan(&sb, &[JWT_RULES]);
    assert_eq!(code, 1);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule_id, "jwt-long-lived");
    assert_eq!(f[0].kind, "secret");
    assert_eq!(f[0].severity, "medium");
    assert_eq!(
        f[0].message,
        "Long-lived JWT (no exp claim: never expires; iat 2024-01-01T00:00:00Z)"
    );
    assert_eq!(f[0].location, loc("ci.env", 2, 23, 2, 23 + token.len()));
    let s = f[0].secret.as_ref().expect("secret info");
    assert_eq!(s.validated.as_deref(), Some("structure"));
    assert!(!s.redacted.contains(&token[..20]));
    assert!(f[0].pod_security.is_none() && f[0].commit.is_none());
    assert_eq!(f[0].fingerprint.len(), 64);
}

#[test]
fn jwt_lifetime_over_a_day_names_claims_and_dates() {
    let sb = Sandbox::new();
    let token = jwt(r#"{"sub":"svc","iat":1704067200,"exp":1706659200}"#);
    sb.file("app.yaml", &format!("auth:\n  token: {token}\n"));
    let (code, f) = scan(&sb, &[JWT_RULES]);
    assert_eq!(code, 1);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule_id, "jwt-long-lived");
    assert_eq!(
        f[0].message,
        "Long-lived JWT (lifetime 30 days: iat 2024-01-01T00:00:00Z, exp 2024-01-31T00:00:00Z)"
    );
    assert_eq!(f[0].location, loc("app.yaml", 2, 10, 2, 10 + token.len()));
}

#[test]
fn short_lived_narrow_jwt_is_clean() {
    let sb = Sandbox::new();
    let hour = jwt(r#"{"sub":"svc","scope":"read:user","iat":1704067200,"exp":1704070800}"#);
    let day = jwt(r#"{"sub":"admin","roles":["viewer"],"iat":1704067200,"exp":1704153600}"#);
    sb.file("a.txt", &format!("t1={hour}\nt2={day}\n"));
    let (code, f) = scan(&sb, &[JWT_RULES]);
    assert_eq!((code, f.len()), (0, 0), "{f:?}");
}

#[test]
fn jwt_broad_scope_string_and_array() {
    let sb = Sandbox::new();
    let a = jwt(r#"{"sub":"ci","scope":"read write admin","iat":1704067200,"exp":1704070800}"#);
    let b = jwt(r#"{"sub":"ci","scp":["repo:read","*"],"iat":1704067200,"exp":1704070800}"#);
    sb.file("tokens.txt", &format!("A={a}\nB=\"{b}\"\n"));
    let (code, f) = scan(&sb, &[JWT_RULES]);
    assert_eq!(code, 1);
    let got: Vec<_> = f
        .iter()
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.severity.as_str(),
                f.message.as_str(),
                f.location.line,
                f.location.column,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "jwt-broad-scope",
                "high",
                "JWT with a wildcard or admin scope (scope: admin)",
                1,
                3
            ),
            (
                "jwt-broad-scope",
                "high",
                "JWT with a wildcard or admin scope (scp: *)",
                2,
                4
            ),
        ]
    );
}

#[test]
fn jwt_rules_are_explained_and_in_sarif() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(["rules", "explain", "jwt-long-lived"])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.starts_with("Long-lived JWT (jwt-long-lived)\n"),
        "{text}"
    );
    assert!(text.contains("What to do"), "{text}");
    sb.file("t.txt", &format!("t={}\n", jwt(r#"{"scope":"*"}"#)));
    let out = sb
        .cmd([
            "scan",
            "--format",
            "sarif",
            "--no-builtin-rules",
            "--rules",
            JWT_RULES,
            ".",
        ])
        .assert()
        .code(1);
    let v: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("sarif json");
    let ids: Vec<&str> = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["jwt-broad-scope", "jwt-long-lived"]);
    let full = v["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(full.contains("grants everything"), "{full}");
}

#[test]
fn builtin_rules_test_passes_with_jwt_rules() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(["rules", "test", "--no-builtin-rules", "--rules", JWT_RULES])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(text, "2 rules, 8 examples checked: 8 passed, 0 failed\n");
}

// ----------------------------------------------------------- encoded secrets

#[test]
fn kubernetes_secret_value_is_decoded() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(11);
    let enc = b64(&format!("GITHUB_TOKEN={pat}\n"));
    sb.file(
        "k8s/secret.yaml",
        &format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\ndata:\n  env: {enc}\n"),
    );
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!(code, 1);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule_id, "github-pat");
    assert_eq!(
        f[0].message,
        "GitHub personal access token (classic) (base64-decoded)"
    );
    assert_eq!(
        f[0].location,
        loc("k8s/secret.yaml", 6, 8, 6, 8 + enc.len())
    );
    let s = f[0].secret.as_ref().expect("secret info");
    assert_eq!(s.validated.as_deref(), Some("checksum"));
    assert_eq!(s.redacted, format!("{}…(40 chars)", &pat[..4]));
}

#[test]
fn docker_config_auth_and_basic_auth_are_decoded() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(12);
    let auth = b64(&format!("robot:{pat}"));
    sb.file(
        ".docker/config.json",
        &format!("{{\"auths\": {{\"ghcr.io\": {{\"auth\": \"{auth}\"}}}}}}\n"),
    );
    let basic = b64(&format!("x-access-token:{}", fake::github_pat(13)));
    sb.file(
        "curl.sh",
        &format!("curl -H 'Authorization: Basic {basic}' https://api.github.com\n"),
    );
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!(code, 1);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.rule_id.as_str(), &f.location))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "github-pat",
                &loc(".docker/config.json", 1, 33, 1, 33 + auth.len())
            ),
            ("github-pat", &loc("curl.sh", 1, 31, 1, 31 + basic.len())),
        ]
    );
    assert!(f.iter().all(|f| f.message.ends_with("(base64-decoded)")));
}

#[test]
fn decoding_goes_one_level_only() {
    let sb = Sandbox::new();
    let twice = b64(&format!(
        "inner: {}\n",
        b64(&format!("token={}", fake::github_pat(14)))
    ));
    sb.file("double.txt", &format!("value: {twice}\n"));
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!((code, f.len()), (0, 0), "{f:?}");
}

#[test]
fn encoded_jwt_gets_claim_checks() {
    let sb = Sandbox::new();
    let enc = b64(&format!(
        "{{\"token\": \"{}\"}}",
        jwt(r#"{"sub":"a","roles":"root","exp":1704070800,"iat":1704067200}"#)
    ));
    sb.file("blob.txt", &format!("x\n  payload: {enc}\n"));
    let (code, f) = scan(&sb, &[JWT_RULES]);
    assert_eq!(code, 1);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule_id, "jwt-broad-scope");
    assert_eq!(
        f[0].message,
        "JWT with a wildcard or admin scope (roles: root) (base64-decoded)"
    );
    assert_eq!(f[0].location, loc("blob.txt", 2, 12, 2, 12 + enc.len()));
}

#[test]
fn decoded_finding_honours_inline_allow() {
    let sb = Sandbox::new();
    let enc = b64(&format!("token={}", fake::github_pat(15)));
    sb.file("a.yaml", &format!("env: {enc} # credsweep:allow\n"));
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!((code, f.len()), (0, 0), "{f:?}");
}

#[test]
fn data_uri_payload_is_not_decoded() {
    let sb = Sandbox::new();
    let enc = b64(&format!("token={}", fake::github_pat(16)));
    sb.file(
        "page.html",
        &format!("<img src=\"data:text/plain;base64,{enc}\">\n"),
    );
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!((code, f.len()), (0, 0), "{f:?}");
}

// -------------------------------------------------- false-positive discipline

#[test]
fn documented_aws_sample_is_not_a_finding() {
    let sb = Sandbox::new();
    let rules = local_rules(&sb, KEY_ID_RULE);
    let sample = ["AKIA", "IOSFODNN7", "EXAMPLE"].concat();
    let real = fake::aws_key_id(3);
    sb.file("creds", &format!("id1 = {sample}\nid2 = {real}\n"));
    let (code, f) = scan(&sb, &[&rules]);
    assert_eq!(code, 1);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.rule_id.as_str(), f.location.line))
        .collect();
    assert_eq!(got, vec![("test-key-id", 2)]);
}

#[test]
fn lock_files_hashes_are_not_findings() {
    let sb = Sandbox::new();
    let rules = local_rules(&sb, GENERIC_RULE);
    let value = fake::base62(32, 21);
    let line = format!("token = \"{value}\"\n");
    for lock in [
        "Cargo.lock",
        "web/package-lock.json",
        "go.sum",
        "yarn.lock",
        "poetry.lock",
    ] {
        sb.file(lock, &line);
    }
    sb.file("config.toml", &line);
    let (code, f) = scan(&sb, &[&rules]);
    assert_eq!(code, 1);
    let got: Vec<_> = f.iter().map(|f| f.location.path.as_str()).collect();
    assert_eq!(got, vec!["config.toml"]);
}

#[test]
fn provider_token_inside_a_lock_file_hash_is_not_a_finding() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(22);
    sb.file(
        "package-lock.json",
        &format!("{{\"integrity\": \"sha512-abc+/{pat}==\"}}\n"),
    );
    // a real token in a lock file (a registry URL) is still found
    sb.file(
        "Cargo.lock",
        &format!(
            "source = \"https://{}@example.com/r\"\n",
            fake::github_pat(23)
        ),
    );
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!(code, 1);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.location.path.as_str(), f.location.column))
        .collect();
    assert_eq!(got, vec![("Cargo.lock", 19)]);
}

#[test]
fn uuids_git_shas_and_stopwords_are_not_generic_findings() {
    let sb = Sandbox::new();
    let rules = local_rules(&sb, GENERIC_RULE);
    let real = fake::base62(24, 31);
    let uuid = "123e4567-e89b-12d3-a456-426614174000";
    sb.file(
        "app.env",
        &format!(
            "token_request_id = \"{uuid}\"\n\
             tokenCommitSha = \"da39a3ee5e6b4b0d3255bfef95601890afd80709\"\n\
             token = \"http://localhost:8080/cb\"\n\
             token = \"Ab3$x\"\n\
             token = \"{real}\"\n\
             token = \"{uuid}\"\n\
             token = request_id=7f3a9c0e11d2b4a5\n"
        ),
    );
    let (code, f) = scan(&sb, &[&rules]);
    assert_eq!(code, 1);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.rule_id.as_str(), f.location.line, f.location.column))
        .collect();
    // line 6: a UUID under a plain token name is a token (Codecov, Heroku)
    assert_eq!(
        got,
        vec![("generic-token", 5, 10), ("generic-token", 6, 10)]
    );
}

#[test]
fn certificates_and_public_keys_are_not_findings() {
    let sb = Sandbox::new();
    let pat = fake::github_pat(41);
    sb.file(
        "certs.pem",
        &format!(
            "-----BEGIN CERTIFICATE-----\nMIIB/{pat}\n-----END CERTIFICATE-----\n\
             -----BEGIN PUBLIC KEY-----\nMFkw/{pat}\n-----END PUBLIC KEY-----\n"
        ),
    );
    sb.file(
        "id_ed25519.pub",
        &format!("ssh-ed25519 AAAAC3NzaC1lZDI1/{pat} me@host\n"),
    );
    sb.file(
        "after.pem",
        &format!("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\nGH={pat}\n"),
    );
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!(code, 1);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.location.path.as_str(), f.location.line))
        .collect();
    assert_eq!(got, vec![("after.pem", 4)]);
}

#[test]
fn kubernetes_secret_key_names_the_decoded_value() {
    let sb = Sandbox::new();
    let rules = local_rules(
        &sb,
        r#"
- id: test-password
  name: Password assignment
  severity: medium
  keywords: [password]
  regex: '(?i)password\s*[:=]\s*"?([^\s"]+)'
  generic: true
  examples: ['password = "hN7sqP2zK9wLm4xQ"']
"#,
    );
    let password = format!("{}#{}!", fake::base62(8, 51), fake::base62(6, 52));
    let enc = b64(&password);
    sb.file(
        "secret.yaml",
        &format!(
            "kind: Secret\ndata:\n  DB_PASSWORD: {enc}\n  DB_USER: {}\n",
            b64("app-user")
        ),
    );
    let (code, f) = scan(&sb, &[&rules]);
    assert_eq!(code, 1);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].message, "Password assignment (base64-decoded)");
    assert_eq!(f[0].location, loc("secret.yaml", 3, 16, 3, 16 + enc.len()));
    let s = f[0].secret.as_ref().expect("secret info");
    assert_eq!(
        s.redacted,
        format!("{}…({} chars)", &password[..4], password.len())
    );
}

#[test]
fn binary_base64_is_not_decoded() {
    let sb = Sandbox::new();
    let mut bytes: Vec<u8> = (0u8..48).map(|i| i.wrapping_mul(37) ^ 0x9c).collect();
    bytes.extend_from_slice(format!(" token={}", fake::github_pat(61)).as_bytes());
    let enc = base64::engine::general_purpose::STANDARD.encode(&bytes);
    sb.file("blob.yaml", &format!("payload: {enc}\n"));
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!((code, f.len()), (0, 0), "{f:?}");
}

#[test]
fn stdin_values_are_decoded() {
    let sb = Sandbox::new();
    let enc = b64(&format!("token={}", fake::github_pat(62)));
    let out = sb
        .cmd([
            "scan",
            "--format",
            "jsonl",
            "--no-builtin-rules",
            "--rules",
            GITHUB_RULES,
            "-",
        ])
        .write_stdin(format!("line one\nAuthorization: Basic {enc}\n"))
        .assert()
        .code(1);
    let f: Finding = serde_json::from_slice(&out.get_output().stdout).expect("one finding");
    assert_eq!(f.location, loc("-", 2, 22, 2, 22 + enc.len()));
    assert!(f.message.ends_with(" (base64-decoded)"), "{}", f.message);
}

#[test]
fn lock_file_values_are_not_decoded() {
    let sb = Sandbox::new();
    let enc = b64(&format!("token={}", fake::github_pat(63)));
    sb.file(
        "package-lock.json",
        &format!("{{\"integrity\": \"{enc}\"}}\n"),
    );
    let (code, f) = scan(&sb, &[GITHUB_RULES]);
    assert_eq!((code, f.len()), (0, 0), "{f:?}");
}

#[test]
fn public_names_and_minimum_lengths() {
    let sb = Sandbox::new();
    let rules = local_rules(
        &sb,
        r#"
- id: generic-token
  name: Generic token assignment
  severity: medium
  keywords: [token]
  regex: '(?i)token[\w-]*\s*[:=]\s*"?([^\s"]+)'
  generic: true
  min_entropy: 1.0
  examples: ['token = "hN7sqP2zK9wLm4xQ"']
- id: url-password
  name: Password in a URL
  severity: high
  keywords: ['://']
  regex: '://[a-z]+:([^@\s]{3,})@'
  generic: true
  examples: ['https://u:s3cr3t@host']
"#,
    );
    let value = fake::base62(24, 64);
    sb.file(
        "app.js",
        &format!(
            "const publicToken = \"{value}\";\n\
             headers['csrf-token'] = \"{value}\";\n\
             const token = \"Ab3x9\";\n\
             const token = \"{value}\";\n\
             const db = \"https://app:s3cr3t@db.internal\";\n"
        ),
    );
    let (code, f) = scan(&sb, &[&rules]);
    assert_eq!(code, 1);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.rule_id.as_str(), f.location.line, f.location.column))
        .collect();
    // line 3: an entropy rule with no min_length gets the global minimum (8);
    // line 5: a structural rule keeps a short password
    assert_eq!(got, vec![("generic-token", 4, 16), ("url-password", 5, 25)]);
}

#[test]
fn kubeconfig_client_key_is_found_and_ca_certificate_is_not() {
    let sb = Sandbox::new();
    let rules = local_rules(
        &sb,
        r#"
- id: test-private-key
  name: Private key
  severity: critical
  keywords: ['PRIVATE KEY-----']
  regex: '-----BEGIN [A-Z ]*PRIVATE KEY-----[A-Za-z0-9+/=\s]{64,}-----END [A-Z ]*PRIVATE KEY-----'
  examples: ['-----BEGIN {{lit:PRIVATE KEY-----}}{{b64:64}}-----END PRIVATE KEY-----']
- id: test-base64-blob
  name: Long base64 value
  severity: low
  keywords: ['MII']
  regex: '(MII[A-Za-z0-9+/]{40,})'
  examples: ['x: MII{{b64:48}}']
"#,
    );
    let body = fake::random(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        128,
        71,
    );
    let (key_begin, key_end) = (
        ["-----BEGIN RSA PRI", "VATE KEY-----"].concat(),
        ["-----END RSA PRI", "VATE KEY-----"].concat(),
    );
    let key = b64(&format!(
        "{key_begin}\nMII{}\n{}\n{key_end}\n",
        &body[..61],
        &body[61..]
    ));
    let ca = b64(&format!(
        "-----BEGIN CERTIFICATE-----\nMII{}\n-----END CERTIFICATE-----\n",
        &body[..61]
    ));
    sb.file(
        "kubeconfig",
        &format!(
            "clusters:\n- cluster:\n    certificate-authority-data: {ca}\nusers:\n- user:\n    client-key-data: {key}\n"
        ),
    );
    let (code, f) = scan(&sb, &[&rules]);
    assert_eq!(code, 1);
    let got: Vec<_> = f
        .iter()
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.location.line,
                f.location.column,
                f.message.as_str(),
            )
        })
        .collect();
    // the key's body is matched by both rules; the certificate by neither
    assert_eq!(
        got,
        vec![
            (
                "test-base64-blob",
                6,
                22,
                "Long base64 value (base64-decoded)"
            ),
            ("test-private-key", 6, 22, "Private key (base64-decoded)"),
        ]
    );
}
