//! Issue 16's noise shapes, each from a real repository or log, through the
//! real binary: names, references, translations, code identifiers and log
//! fields are not findings; demo values are, at `info`, saying why; the
//! span of a value ends where the value does.

use crate::common::{Sandbox, fake, json_findings};

/// (rule id, severity, line, message) of every finding in the sandbox.
fn findings(sb: &Sandbox) -> Vec<(String, String, u64, String)> {
    json_findings(&mut sb.cmd(["scan", "--format", "json", "--show-secrets"]))
        .iter()
        .map(|f| {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            (
                text(&f["rule_id"]),
                text(&f["severity"]),
                f["location"]["line"].as_u64().unwrap_or(0),
                text(&f["message"]),
            )
        })
        .collect()
}

#[test]
fn names_references_and_templates_are_not_findings() {
    let sb = Sandbox::new();
    sb.file(
        "chart/values.yaml",
        "affinity:\n\
         #       - key: kubernetes.io/e2e-az-name\n\
         tls:\n  secret: \"default/ca-secret\"\n\
         password: KEYSTORE_PASSWORD\n\
         token: YOUR_GITLAB_TOKEN\n\
         redisPassword: urn:k8s:secret:redis:password\n\
         {{- if and .Values.s3.accessKey .Values.s3.secretKey }}\n\
         tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCi0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0=\n\
         \"nextPageToken\": \"ChhQRVJfUFJPSkVDVF9NQUNISU5FX1RZUEUSGjYwMDUz\"\n",
    );
    assert_eq!(findings(&sb), []);
}

#[test]
fn translations_and_code_identifiers_are_not_passwords() {
    let sb = Sandbox::new();
    sb.file(
        "ui/login_de.properties",
        "Password=Passwort\nUsername=Benutzername\n",
    );
    sb.file(
        "driver.py",
        "def connect(auth):\n    password = auth\n    \"\"\"\n    :param password: User's password.\n    \"\"\"\n",
    );
    sb.file(
        "consts.go",
        "const NSS_BUFLEN_PASSWD = 1024\nconst envPassword = \"JAEGER_PASSWORD\"\nconst headerAmzSessionToken = \"x-amz-s3session-token\"\n",
    );
    assert_eq!(findings(&sb), []);
}

#[test]
fn log_fields_after_a_prose_keyword_are_not_findings() {
    let sb = Sandbox::new();
    sb.file(
        "app.log",
        "I1207 12:00:00.123456 1 leaderelection.go:258] successfully acquired lease kube-system/token-token holder=api-7d9f8b6c5d-x2k9p_3c9e4b1a\n\
         INFO Issued access token jti=9b2f6a61-3c1e-4f0a-9a57-5e2d7c1b8f34 sub=42 ttl=PT15M\n\
         WARN rejected token: signature verification failed (kid=813649f5b1c39dab, token=eyJhbGciOiJSUzI1Ni...)\n\
         {\"msg\":\"jwt validated\",\"token\":\"eyJhbGciOiJSUzI1NiIsImtpZCI6IjF...\"}\n",
    );
    assert_eq!(findings(&sb), []);
}

#[test]
fn demo_values_are_info_with_the_reason_and_min_severity_low_hides_them() {
    let sb = Sandbox::new();
    sb.file(
        "config/app.env",
        "DB_PASSWORD=hunter2\nADMIN_PASSWORD=P@ssw0rd\n",
    );
    let got = findings(&sb);
    assert_eq!(got.len(), 2, "{got:?}");
    for (rule, severity, _, message) in &got {
        assert_eq!(
            (rule.as_str(), severity.as_str()),
            ("generic-password", "info")
        );
        assert!(
            message.contains("demo value: a well-known demo password"),
            "{message}"
        );
    }
    let hidden = json_findings(&mut sb.cmd(["scan", "--format", "json", "--min-severity", "low"]));
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_real_looking_password_is_still_medium_and_stops_at_the_next_pair() {
    let sb = Sandbox::new();
    let pw = fake::base62(16, 5);
    sb.file(
        "auth.log",
        &format!(
            "level=debug msg=\"login failed\" user=jdoe password={pw} reason=invalid_credentials\n\
             body: new_password={pw}&token=43634643&username=jdoe\n"
        ),
    );
    let secrets: Vec<(String, String)> =
        json_findings(&mut sb.cmd(["scan", "--format", "json", "--show-secrets"]))
            .iter()
            .map(|f| {
                (
                    f["severity"].as_str().unwrap_or("").to_string(),
                    f["secret"]["redacted"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
    assert_eq!(
        secrets,
        [
            ("medium".to_string(), pw.clone()),
            ("medium".to_string(), pw)
        ]
    );
}
