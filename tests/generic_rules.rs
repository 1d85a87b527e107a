//! The catch-all generic rules (`rules/generic.yaml`): what they report, at
//! which column, and what they leave to more specific rules.

use crate::common::{Sandbox, fake};

/// (rule id, line, column) of every finding of a JSON scan of the sandbox.
fn places(sb: &Sandbox) -> Vec<(String, u64, u64)> {
    let out = sb
        .cmd(["scan", "--format", "json", "--color", "never"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    v["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["location"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn hex(n: usize, seed: u64) -> String {
    fake::random(b"0123456789abcdef", n, seed)
}

#[test]
fn provider_rule_wins_over_generic_on_the_same_value() {
    let sb = Sandbox::new();
    sb.file(
        "app/.env",
        &format!("GITHUB_TOKEN={}\n", fake::github_pat(7)),
    );
    assert_eq!(places(&sb), [("github-pat".to_string(), 1, 14)]);
}

#[test]
fn generic_assignments_in_common_syntaxes() {
    let sb = Sandbox::new();
    let k = hex(32, 1);
    sb.file(
        "conf/settings.txt",
        &format!(
            "ACME_API_KEY={k}\napi_key: \"{k}\"\nauthToken := \"{k}\"\n'access_token' => '{k}',\n"
        ),
    );
    assert_eq!(
        places(&sb),
        [
            ("generic-api-key".to_string(), 1, 14),
            ("generic-api-key".to_string(), 2, 11),
            ("generic-api-key".to_string(), 3, 15),
            ("generic-api-key".to_string(), 4, 20),
        ]
    );
}

#[test]
fn placeholders_references_and_code_are_not_findings() {
    let sb = Sandbox::new();
    sb.file(
        "src/app.py",
        "API_KEY = os.environ[\"API_KEY\"]\npassword = get_password()\n\
         self.key_password = key_password\ntoken: ${TOKEN}\n\
         DB_PASSWORD=${DB_PASSWORD}\npassword: \"<your password>\"\n\
         // In a first pass, compute the lengths\n",
    );
    assert_eq!(places(&sb), Vec::<(String, u64, u64)>::new());
}

#[test]
fn hard_coded_password_is_reported_at_its_value() {
    let sb = Sandbox::new();
    sb.file(
        "deploy/db.ini",
        &format!("[db]\nuser = app\npassword = {}\n", fake::base62(14, 3)),
    );
    assert_eq!(places(&sb), [("generic-password".to_string(), 3, 12)]);
}

#[test]
fn labelled_tokens_are_reported_once() {
    let sb = Sandbox::new();
    let k = hex(32, 3);
    sb.file(
        "notes/keys.txt",
        &format!(
            "acme KEY {k}\nwidgetcoSECRET-{k}\nacme_key = {k}\nACME_API_KEY={k}\nPRIMARY KEY (id)\n"
        ),
    );
    assert_eq!(
        places(&sb),
        [
            ("generic-keyed-token".to_string(), 1, 10),
            ("generic-keyed-token".to_string(), 2, 16),
            ("generic-keyed-token".to_string(), 3, 12),
            // both catch-alls match; the medium-severity one is kept
            ("generic-api-key".to_string(), 4, 14),
        ]
    );
}
