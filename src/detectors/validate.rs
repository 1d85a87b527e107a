//! Offline validation of token formats that carry a checksum or structure.
//!
//! Never any network call: everything here is arithmetic on the token. The
//! result lands in `secret.validated`: `checksum` / `structure` when the token
//! is well-formed, `checksum-failed` when its checksum does not hold (still
//! reported, at low severity: hand-edited and truncated tokens leak too).

use crate::finding::{Confidence, Severity};
use base64::Engine;

/// What a validator concluded about one token.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validation {
    /// `checksum`, `structure`, `checksum-failed`, or `None` when there is
    /// nothing to check.
    pub status: Option<&'static str>,
    /// Extra text for the finding message (e.g. the AWS account id).
    pub note: Option<String>,
    /// Severity to use instead of the rule's.
    pub severity: Option<Severity>,
    /// The match is not a finding of this rule after all (a claim check
    /// such as `jwt-long-lived` found the token's claims acceptable).
    pub reject: bool,
}

impl Validation {
    fn ok(status: &'static str) -> Self {
        Validation {
            status: Some(status),
            ..Default::default()
        }
    }
    /// The confidence of a finding with this verdict, for a rule whose own
    /// is `rule` ([`crate::rules::CompiledRule::confidence`]): `high` when
    /// the validator confirmed the token (`checksum`, `structure`), `low`
    /// when its checksum does not hold, else the rule's.
    pub fn confidence(&self, rule: Confidence) -> Confidence {
        match self.status {
            Some("checksum" | "structure") => Confidence::High,
            Some("checksum-failed") => Confidence::Low,
            _ => rule,
        }
    }

    /// Drop the match: the validator decided it is not a finding.
    pub fn rejected() -> Self {
        Validation {
            reject: true,
            ..Default::default()
        }
    }
    fn failed() -> Self {
        Validation {
            status: Some("checksum-failed"),
            note: Some("checksum does not hold: edited, truncated or a test value".into()),
            severity: Some(Severity::Low),
            reject: false,
        }
    }
}

/// The validator names a rule may use.
pub const VALIDATORS: &[&str] = &[
    "github",
    "npm",
    "jwt",
    "pem",
    "pypi",
    "aws-key-id",
    "jwt-long-lived",
    "jwt-broad-scope",
];

/// Runs the named validator on `secret`. Unknown names are rejected when the
/// rules load, so here they just mean "nothing to check".
pub fn validate(name: &str, secret: &str) -> Validation {
    match name {
        "github" | "npm" => crc32_base62(secret),
        "jwt" => jwt(secret),
        "pem" => pem(secret),
        "pypi" => pypi(secret),
        "aws-key-id" => aws_key_id(secret),
        "jwt-long-lived" => super::jwt_claims::long_lived(secret),
        "jwt-broad-scope" => super::jwt_claims::broad_scope(secret),
        _ => Validation::default(),
    }
}

/// GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm (`npm_`) tokens end
/// with 6 base62 characters holding the CRC32 of the 30 random characters
/// before them.
fn crc32_base62(secret: &str) -> Validation {
    let Some((_, body)) = secret.split_once('_') else {
        return Validation::default();
    };
    if body.len() != 36 || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Validation::default();
    }
    let (random, check) = body.split_at(30);
    let crc = crc32fast::hash(random.as_bytes());
    if crate::rules::template::base62_fixed(crc, 6) == check {
        Validation::ok("checksum")
    } else {
        Validation::failed()
    }
}

/// A JWT whose header and payload decode to JSON objects, the header with `alg`.
fn jwt(secret: &str) -> Validation {
    match decode_jwt(secret) {
        Some(_) => Validation::ok("structure"),
        None => Validation::default(),
    }
}

/// Decodes a JWT's header and payload (no signature check: that needs a key).
pub fn decode_jwt(token: &str) -> Option<(serde_json::Value, serde_json::Value)> {
    let mut parts = token.split('.');
    let (h, p) = (parts.next()?, parts.next()?);
    let eng = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header: serde_json::Value =
        serde_json::from_slice(&eng.decode(h.trim_end_matches('=')).ok()?).ok()?;
    let payload: serde_json::Value =
        serde_json::from_slice(&eng.decode(p.trim_end_matches('=')).ok()?).ok()?;
    (header.get("alg").is_some() && payload.is_object()).then_some((header, payload))
}

/// A PEM private key whose body is valid base64 of a plausible length.
fn pem(secret: &str) -> Validation {
    let body: String = secret
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .flat_map(|l| l.trim().chars())
        .collect();
    if body.len() < 64 {
        return Validation::default();
    }
    match base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
        Ok(bytes) if bytes.len() >= 48 => Validation::ok("structure"),
        _ => Validation::default(),
    }
}

/// PyPI API tokens are `pypi-` plus a base64url macaroon (format v2 starts
/// with byte 0x02 and names its location, pypi.org).
fn pypi(secret: &str) -> Validation {
    let Some(body) = secret.strip_prefix("pypi-") else {
        return Validation::default();
    };
    let eng = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    match eng.decode(body.trim_end_matches('=')) {
        Ok(bytes)
            if bytes.first() == Some(&2) && memchr::memmem::find(&bytes, b"pypi").is_some() =>
        {
            Validation::ok("structure")
        }
        _ => Validation::default(),
    }
}

/// AWS access key ids encode the account id in characters 5–14 (base32).
fn aws_key_id(secret: &str) -> Validation {
    match aws_account_id(secret) {
        Some(account) => Validation {
            status: Some("structure"),
            note: Some(format!("AWS account {account}")),
            ..Default::default()
        },
        None => Validation::default(),
    }
}

/// The 12-digit account id an access key id (`AKIA…`, `ASIA…`) encodes.
pub fn aws_account_id(key_id: &str) -> Option<String> {
    if key_id.len() != 20 {
        return None;
    }
    let chunk = key_id.get(4..20)?;
    let decoded = data_encoding::BASE32_NOPAD.decode(chunk.as_bytes()).ok()?;
    let mut z: u64 = 0;
    for &b in decoded.iter().take(6) {
        z = (z << 8) | b as u64;
    }
    let account = (z & 0x7fff_ffff_ff80) >> 7;
    Some(format!("{account:012}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::template::expand;

    #[test]
    fn github_checksum() {
        let good = expand("{{lit:ghp_}}{{base62:30}}{{github-crc}}", 3).unwrap();
        assert_eq!(validate("github", &good).status, Some("checksum"));
        let mut bad = good.clone();
        bad.replace_range(4..5, if &good[4..5] == "A" { "B" } else { "A" });
        let v = validate("github", &bad);
        assert_eq!(v.status, Some("checksum-failed"));
        assert_eq!(v.severity, Some(Severity::Low));
    }

    #[test]
    fn verdicts_set_the_confidence() {
        use Confidence::*;
        let good = expand("{{lit:ghp_}}{{base62:30}}{{github-crc}}", 5).unwrap();
        let mut bad = good.clone();
        bad.replace_range(4..5, if &good[4..5] == "A" { "B" } else { "A" });
        for rule in [Low, Medium, High] {
            // confirmed: high, whatever the rule says
            assert_eq!(validate("github", &good).confidence(rule), High);
            // a broken checksum: low, whatever the rule says
            assert_eq!(validate("github", &bad).confidence(rule), Low);
            // nothing to check: the rule's own
            assert_eq!(Validation::default().confidence(rule), rule);
            assert_eq!(validate("jwt", "eyJhbGciOi.x.y").confidence(rule), rule);
        }
        let t = expand(r#"{{jwt:{"alg":"HS256"}|{"sub":"1"}}}"#, 1).unwrap();
        assert_eq!(validate("jwt", &t).confidence(Medium), High);
    }

    #[test]
    fn jwt_structure() {
        let t = expand(r#"{{jwt:{"alg":"HS256","typ":"JWT"}|{"sub":"1"}}}"#, 1).unwrap();
        assert_eq!(validate("jwt", &t).status, Some("structure"));
        assert_eq!(validate("jwt", "eyJhbGciOi.x.y").status, None);
    }

    #[test]
    fn aws_account_from_key_id() {
        // AWS documents this example key id; it is not a secret.
        assert_eq!(
            aws_account_id(concat!("AS", "IAY34FZKBOKMUTVV7A")).as_deref(),
            Some("609629065308")
        );
    }
}
