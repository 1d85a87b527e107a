//! The built-in rule library: every rule is documented and tested by its own
//! examples, the library is broad, the rule files hold no token-shaped
//! strings, and representative provider formats are found with exact
//! locations (fake tokens are built here at run time, never committed).

use crate::common::{Sandbox, fake};
use credsweep::rules::load::builtin_rules;
use std::collections::{BTreeMap, BTreeSet};

const HEX: &[u8] = b"0123456789abcdef";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The rule files of the provider library (the breadth files).
const LIBRARY_FILES: &[&str] = &[
    "ci.yaml",
    "cloud.yaml",
    "frameworks.yaml",
    "identity.yaml",
    "keys.yaml",
    "kubernetes.yaml",
    "messaging.yaml",
    "observability.yaml",
    "payments.yaml",
    "provider-tokens.yaml",
    "registries-databases.yaml",
    "saas-context-more.yaml",
    "saas-context.yaml",
    "saas-prefixed.yaml",
    "saas.yaml",
    "text-credentials.yaml",
];

fn rnd(alphabet: &[u8], n: usize, seed: u64) -> String {
    fake::random(alphabet, n, seed)
}

/// Runs a JSON scan of the sandbox and returns its findings.
fn findings(sb: &Sandbox, expect_code: i32) -> Vec<serde_json::Value> {
    let out = sb
        .cmd(["scan", "--format", "json", "--color", "never"])
        .assert()
        .code(expect_code);
    let v: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("json report");
    v["findings"].as_array().cloned().unwrap_or_default()
}

/// (rule_id, path, line, column) of each finding of a provider rule. The
/// catch-all `generic-*` rules may also report a value a provider rule names;
/// which one wins is the generic rules' business, not this library's.
fn places(f: &[serde_json::Value]) -> BTreeSet<(String, String, u64, u64)> {
    f.iter()
        .filter(|x| {
            !x["rule_id"]
                .as_str()
                .unwrap_or_default()
                .starts_with("generic-")
        })
        .map(|x| {
            (
                x["rule_id"].as_str().unwrap_or_default().to_string(),
                x["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                x["location"]["line"].as_u64().unwrap_or_default(),
                x["location"]["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// The built-in rules that come from [`LIBRARY_FILES`].
fn library_rules() -> Vec<credsweep::rules::load::LoadedRule> {
    builtin_rules()
        .expect("built-in rules load")
        .into_iter()
        .filter(|r| {
            r.source
                .file_name()
                .is_some_and(|n| LIBRARY_FILES.contains(&n.to_string_lossy().as_ref()))
        })
        .collect()
}

#[test]
fn every_library_rule_is_documented_with_two_examples_each_way() {
    let rules = library_rules();
    let mut bad = Vec::new();
    for r in &rules {
        let s = &r.syntax;
        let d = r.docs();
        if d.examples.len() < 2 || d.negative_examples.len() < 2 {
            bad.push(format!("{}: fewer than 2 examples/negatives", s.id));
        }
        if s.keywords.is_empty() {
            bad.push(format!("{}: no keyword (would run on every blob)", s.id));
        }
        let empty = |o: &Option<String>| o.as_deref().unwrap_or("").trim().is_empty();
        if empty(&d.description) || empty(&d.remediation) || d.references.is_empty() {
            bad.push(format!(
                "{}: missing description/remediation/reference",
                s.id
            ));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn library_is_broad_and_ids_are_unique() {
    let rules = builtin_rules().expect("built-in rules load");
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for r in &rules {
        assert!(
            ids.insert(r.syntax.id.clone()),
            "duplicate id {}",
            r.syntax.id
        );
        let name = r
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        *per_file.entry(name.unwrap_or_default()).or_default() += 1;
    }
    let library: usize = LIBRARY_FILES
        .iter()
        .map(|f| per_file.get(*f).copied().unwrap_or(0))
        .sum();
    assert!(
        library >= 160,
        "provider library has {library} rules: {per_file:?}"
    );
    assert!(rules.len() >= 200, "{} built-in rules", rules.len());
}

#[test]
fn rules_test_passes_for_the_whole_library() {
    let sb = Sandbox::new();
    sb.cmd(["rules", "test"]).assert().code(0);
}

#[test]
fn library_rule_files_hold_no_token_shaped_strings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let sb = Sandbox::new();
    for f in LIBRARY_FILES {
        let text = std::fs::read_to_string(root.join(f)).expect("rule file");
        sb.file(&format!("rules/{f}"), &text);
    }
    let f = findings(&sb, 0);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn prefixed_provider_tokens_are_found_at_exact_columns() {
    let sb = Sandbox::new();
    let dop = format!("{}{}", ["dop", "_v1_"].concat(), rnd(HEX, 64, 1));
    let shp = format!("{}{}", ["shp", "at_"].concat(), rnd(HEX, 32, 2));
    let dbx = format!("{}{}", ["da", "pi"].concat(), rnd(HEX, 32, 3));
    let nrak = format!(
        "{}{}",
        ["NR", "AK-"].concat(),
        rnd(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 27, 4)
    );
    let sg = format!(
        "{}{}.{}",
        ["S", "G."].concat(),
        rnd(B64URL, 22, 5).replace(['-', '_'], "x"),
        rnd(B64URL, 43, 6).replace(['-', '_'], "y")
    );
    let tf = format!(
        "{}{}{}",
        rnd(ALNUM, 14, 7),
        [".atlas", "v1."].concat(),
        rnd(ALNUM, 67, 8)
    );
    sb.file(
        "deploy/.env",
        &format!(
            "# deploy settings\nDIGITALOCEAN_TOKEN={dop}\nSHOPIFY_TOKEN={shp}\n  databricks_token: \"{dbx}\"\nNEW_RELIC_API_KEY={nrak}\nSENDGRID_API_KEY={sg}\nTFE_TOKEN={tf}\n"
        ),
    );
    let f = findings(&sb, 1);
    let got = places(&f);
    let want: BTreeSet<_> = [
        ("digitalocean-pat", 2, 20),
        ("shopify-access-token", 3, 15),
        ("databricks-access-token", 4, 22),
        ("newrelic-user-api-key", 5, 19),
        ("sendgrid-api-key", 6, 18),
        ("terraform-cloud-token", 7, 11),
    ]
    .into_iter()
    .map(|(r, l, c)| (r.to_string(), "deploy/.env".to_string(), l, c))
    .collect();
    assert_eq!(got, want);
    let out = serde_json::to_string(&f).expect("json");
    for t in [&dop, &shp, &dbx, &nrak, &sg, &tf] {
        assert!(!out.contains(t.as_str()), "report leaks a secret");
    }
}

#[test]
fn context_rules_need_the_provider_name_and_a_real_value() {
    let sb = Sandbox::new();
    let key = rnd(HEX, 32, 11);
    sb.file(
        "conf/app.properties",
        &format!(
            "datadog.api_key={key}\ncache_key={key}\nDD_API_KEY=${{DD_API_KEY}}\nDATADOG_API_KEY=\nsnowflake.password=\njdbc.url=jdbc:snowflake://acct\n"
        ),
    );
    let f = findings(&sb, 1);
    assert_eq!(
        places(&f),
        [(
            "datadog-api-key".to_string(),
            "conf/app.properties".to_string(),
            1,
            17
        )]
        .into_iter()
        .collect()
    );
}

#[test]
fn kubeconfig_and_docker_config_credentials_are_found() {
    let sb = Sandbox::new();
    let pem = format!(
        "-----BEGIN {} PRIVATE KEY-----\n{}\n{}\n-----END {} PRIVATE KEY-----\n",
        "EC",
        rnd(B64, 64, 21),
        rnd(B64, 40, 22),
        "EC"
    );
    let key_data = base64_encode(pem.as_bytes());
    sb.file(
        "kube/config",
        &format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: {key_data}\n"
        ),
    );
    let auth = base64_encode(format!("robot:{}", rnd(ALNUM, 32, 23)).as_bytes());
    sb.file(
        "docker/config.json",
        &format!("{{\n  \"auths\": {{\n    \"ghcr.io\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }}\n}}\n"),
    );
    let f = findings(&sb, 1);
    let got = places(&f);
    assert!(
        got.contains(&(
            "kubeconfig-client-key-data".into(),
            "kube/config".into(),
            6,
            22
        )),
        "{got:#?}"
    );
    assert!(
        got.contains(&(
            "docker-config-auth".into(),
            "docker/config.json".into(),
            4,
            16
        )),
        "{got:#?}"
    );
}

#[test]
fn ssh_keys_are_told_apart_by_passphrase() {
    let sb = Sandbox::new();
    let begin = ["-----BEGIN OPENSSH ", "PRIVATE KEY-----"].concat();
    let end = ["-----END OPENSSH ", "PRIVATE KEY-----"].concat();
    // base64 of "openssh-key-v1\0" + cipher name ("none" / "aes256-ctr")
    let plain = format!(
        "{begin}\n{}{}\n{}\n{end}\n",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
        rnd(B64, 28, 31),
        rnd(B64, 70, 32)
    );
    let locked = format!(
        "{begin}\n{}{}\n{}\n{end}\n",
        "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0",
        rnd(B64, 18, 33),
        rnd(B64, 70, 34)
    );
    sb.file("keys/id_plain", &plain);
    sb.file("keys/id_locked", &locked);
    let f = findings(&sb, 1);
    let sev: BTreeMap<(String, String), String> = f
        .iter()
        .map(|x| {
            (
                (
                    x["location"]["path"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    x["rule_id"].as_str().unwrap_or_default().to_string(),
                ),
                x["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        sev.get(&("keys/id_plain".into(), "ssh-private-key-unencrypted".into())),
        Some(&"critical".to_string()),
        "{sev:#?}"
    );
    assert_eq!(
        sev.get(&("keys/id_locked".into(), "ssh-private-key-encrypted".into())),
        Some(&"medium".to_string()),
        "{sev:#?}"
    );
    assert!(!sev.contains_key(&(
        "keys/id_locked".into(),
        "ssh-private-key-unencrypted".into()
    )));
    assert!(!sev.contains_key(&("keys/id_plain".into(), "ssh-private-key-encrypted".into())));
}

#[test]
fn age_key_and_documented_example_tokens() {
    let sb = Sandbox::new();
    let bech = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let age = format!(
        "{}{}",
        ["AGE-SECRET-", "KEY-1"].concat(),
        rnd(bech, 58, 41).to_ascii_uppercase()
    );
    sb.file(
        "secrets/key.txt",
        &format!("# created: 2024-01-01\n{age}\n"),
    );
    // Telegram's documentation example bot token is not a finding.
    let doc_example = ["110201543:AAHdqTcvCH1vGWJxfSe1", "ofSAs0K5PALDsaw"].concat();
    sb.file("docs/bot.md", &format!("Use a token like {doc_example}\n"));
    let f = findings(&sb, 1);
    assert_eq!(
        places(&f),
        [(
            "age-secret-key".to_string(),
            "secrets/key.txt".to_string(),
            2,
            1
        )]
        .into_iter()
        .collect()
    );
}

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
