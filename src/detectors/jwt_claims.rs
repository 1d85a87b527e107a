//! JWT claim hygiene: a token that never expires, lives longer than a day,
//! or carries a wildcard/admin scope is a finding of its own, on top of the
//! leak itself. Short-lived, narrowly scoped tokens are the safe default.
//!
//! Design: the two checks are *validators* (`jwt-long-lived`,
//! `jwt-broad-scope`) used by two ordinary YAML rules in
//! `rules/jwt-claims.yaml`. The rule finds the token (keyword `eyJ`, a
//! three-part base64url regex), the validator decodes it with
//! [`super::validate::decode_jwt`] and either rejects the match (claims are
//! fine) or accepts it with a note naming the claim and its value. Being
//! rules, the ids get `rules list`/`explain`, SARIF descriptors, config
//! `disable` and severity overrides, and `rules test` examples for free,
//! with no second registry of "code rules". The same rules run on
//! base64-decoded text ([`super::encoded`]), so an encoded JWT is checked too.
//!
//! The only claim text that reaches a message is a timestamp, a duration or
//! one of the fixed broad-scope words, never free text from the token.

use super::validate::{Validation, decode_jwt};
use serde_json::Value;

/// A token living longer than this (seconds) is long-lived: 24 hours.
pub const MAX_LIFETIME_SECS: i64 = 24 * 60 * 60;

/// Claims holding scopes, roles or permissions.
const SCOPE_CLAIMS: &[&str] = &["scope", "scp", "scopes", "roles", "role", "permissions"];

/// Scope values (or `:`/`.`/`/`-separated parts of one) that grant
/// everything.
const BROAD_WORDS: &[&str] = &["*", "admin", "all", "root"];

/// The `jwt-long-lived` validator: accepts a token with no `exp`, or with
/// `exp - iat` (or `exp - nbf`) over [`MAX_LIFETIME_SECS`]; rejects the rest.
pub fn long_lived(token: &str) -> Validation {
    let Some((_, payload)) = decode_jwt(token) else {
        return Validation::rejected();
    };
    let claim = |k: &str| payload.get(k).and_then(seconds);
    let exp = claim("exp");
    let start = claim("iat")
        .map(|t| ("iat", t))
        .or(claim("nbf").map(|t| ("nbf", t)));
    let note = match (exp, start) {
        (None, Some((name, t))) => format!("no exp claim: never expires; {name} {}", rfc3339(t)),
        (None, None) => "no exp claim: never expires".to_string(),
        (Some(exp), Some((name, t))) if exp - t > MAX_LIFETIME_SECS => format!(
            "lifetime {}: {name} {}, exp {}",
            human_duration(exp - t),
            rfc3339(t),
            rfc3339(exp)
        ),
        _ => return Validation::rejected(),
    };
    Validation {
        status: Some("structure"),
        note: Some(note),
        ..Default::default()
    }
}

/// The `jwt-broad-scope` validator: accepts a token whose scope-like claim
/// (top level, or up to two levels down as in Keycloak's
/// `realm_access.roles` and `resource_access.<client>.roles`)
/// holds `*`, `admin`, `all` or `root`, as a string (space/comma separated)
/// or an array; rejects the rest.
pub fn broad_scope(token: &str) -> Validation {
    let Some((_, payload)) = decode_jwt(token) else {
        return Validation::rejected();
    };
    match find_broad(&payload, 0) {
        Some((claim, word)) => Validation {
            status: Some("structure"),
            note: Some(format!("{claim}: {word}")),
            ..Default::default()
        },
        None => Validation::rejected(),
    }
}

/// (claim name, broad word) of the first scope-like claim granting
/// everything; claim names and words come from the fixed lists above.
fn find_broad(obj: &Value, depth: usize) -> Option<(&'static str, &'static str)> {
    let map = obj.as_object()?;
    for &claim in SCOPE_CLAIMS {
        if let Some(word) = map.get(claim).and_then(broad_word) {
            return Some((claim, word));
        }
    }
    if depth < 2 {
        // sorted keys: the same token always yields the same message
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort();
        for k in keys {
            if let Some(found) = map.get(k).and_then(|v| find_broad(v, depth + 1)) {
                return Some(found);
            }
        }
    }
    None
}

/// The broad word a scope value holds, if any.
fn broad_word(v: &Value) -> Option<&'static str> {
    match v {
        Value::String(s) => s
            .split(|c: char| c.is_whitespace() || c == ',')
            .find_map(broad_in_scope),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|s| s.split(|c: char| c.is_whitespace() || c == ','))
            .find_map(broad_in_scope),
        _ => None,
    }
}

/// `admin`, `*`, `repo:*`, `admin:org`, `Admin` → the broad word.
fn broad_in_scope(scope: &str) -> Option<&'static str> {
    scope.split([':', '.', '/']).find_map(|part| {
        BROAD_WORDS
            .iter()
            .copied()
            .find(|w| part.eq_ignore_ascii_case(w))
    })
}

/// A NumericDate claim as whole seconds: a JSON number (integer or not),
/// or a string of digits as some issuers write it.
fn seconds(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
        .or_else(|| v.as_str().and_then(|s| s.trim().parse::<i64>().ok()))
}

/// `30 days`, `36 hours`, `2 years 10 days` (seconds in, rounded down).
pub fn human_duration(secs: i64) -> String {
    let days = secs / 86_400;
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if days >= 365 {
        let (y, d) = (days / 365, days % 365);
        if d == 0 {
            plural(y, "year")
        } else {
            format!("{} {}", plural(y, "year"), plural(d, "day"))
        }
    } else if days >= 2 {
        plural(days, "day")
    } else {
        plural(secs / 3600, "hour")
    }
}

/// Unix seconds as RFC 3339 UTC (`2024-01-01T00:00:00Z`), proleptic
/// Gregorian calendar (Howard Hinnant's `civil_from_days`).
pub fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::template::expand;

    fn token(payload: &str) -> String {
        expand(&format!("{{{{jwt:{{\"alg\":\"HS256\"}}|{payload}}}}}"), 5).unwrap_or_default()
    }

    #[test]
    fn dates_and_durations() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_704_067_200), "2024-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_709_210_096), "2024-02-29T12:34:56Z");
        assert_eq!(human_duration(30 * 86_400), "30 days");
        assert_eq!(human_duration(36 * 3600), "36 hours");
        assert_eq!(human_duration(86_400 * 366), "1 year 1 day");
        assert_eq!(human_duration(86_400 * 730), "2 years");
    }

    #[test]
    fn lifetime() {
        let t = token(r#"{"sub":"a","iat":1704067200,"exp":1706659200}"#);
        let v = long_lived(&t);
        assert!(!v.reject);
        assert_eq!(
            v.note.as_deref(),
            Some("lifetime 30 days: iat 2024-01-01T00:00:00Z, exp 2024-01-31T00:00:00Z")
        );
        let none = long_lived(&token(r#"{"sub":"a","iat":1704067200}"#));
        assert_eq!(
            none.note.as_deref(),
            Some("no exp claim: never expires; iat 2024-01-01T00:00:00Z")
        );
        assert!(long_lived(&token(r#"{"iat":1704067200,"exp":1704070800}"#)).reject);
        assert!(long_lived(&token(r#"{"iat":"1704067200","exp":"1704070800"}"#)).reject);
        // exactly 24 hours is fine; exp without iat/nbf cannot be judged
        assert!(long_lived(&token(r#"{"iat":1704067200,"exp":1704153600}"#)).reject);
        assert!(long_lived(&token(r#"{"exp":1999999999}"#)).reject);
        assert!(!long_lived(&token(r#"{"nbf":1704067200,"exp":1704153601.5}"#)).reject);
        assert!(long_lived("eyJhbGciOi.notjson.sig").reject);
    }

    #[test]
    fn scopes() {
        let cases = [
            (r#"{"scope":"read write admin"}"#, Some("scope: admin")),
            (r#"{"scp":["read","*"]}"#, Some("scp: *")),
            (r#"{"permissions":"repo:*"}"#, Some("permissions: *")),
            (r#"{"roles":["Admin"]}"#, Some("roles: admin")),
            (
                r#"{"realm_access":{"roles":["user","root"]}}"#,
                Some("roles: root"),
            ),
            (
                r#"{"resource_access":{"api":{"roles":["ALL"]}}}"#,
                Some("roles: all"),
            ),
            (r#"{"a":{"b":{"c":{"roles":["admin"]}}}}"#, None),
            (r#"{"scope":"read:user repo.read"}"#, None),
            (r#"{"scope":"administrator allow"}"#, None),
            (r#"{"sub":"admin"}"#, None),
        ];
        for (payload, want) in cases {
            let v = broad_scope(&token(payload));
            assert_eq!(v.note.as_deref(), want, "{payload}");
            assert_eq!(v.reject, want.is_none(), "{payload}");
        }
    }
}
