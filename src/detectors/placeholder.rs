//! Heuristics that tell a placeholder, a reference or a masked value from a
//! real secret. Applied to rules marked `generic: true` (assignments judged by
//! entropy), where most false alarms come from.
//!
//! What counts as a placeholder: template syntax (`${VAR}`, `{{ .Values.x }}`,
//! `<TOKEN>`, `%s`), masked values (`****`, `[REDACTED]`, `<hidden>`), runs of
//! one character (`xxxx`), well-known dummy words (`changeme`,
//! `your-api-key`), environment and config lookups (`os.environ[...]`,
//! `process.env.X`), and function calls.

/// Words that, found anywhere in a lowercased candidate, mark it as a dummy.
const DUMMY_WORDS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "your-api-key",
    "your_api_key",
    "yourapikey",
    "your-token",
    "your_token",
    "yourtoken",
    "your-secret",
    "your_secret",
    "yoursecret",
    "your_password",
    "your-password",
    "yourpassword",
    "placeholder",
    "redacted",
    "example",
    "dummy",
    "sample",
    "notreal",
    "not-a-real",
    "fake",
    "replace_me",
    "replace-me",
    "replaceme",
    "insert_",
    "insert-",
    "xxxxxx",
    "******",
    "......",
    "<hidden>",
    "hidden",
    "secret_here",
    "token_here",
    "key_here",
    "password_here",
    "todo",
    "fixme",
];

/// Prefixes of environment/config lookups rather than literal values.
const REFERENCE_PREFIXES: &[&str] = &[
    "os.environ",
    "os.getenv",
    "process.env",
    "import.meta.env",
    "env.",
    "env[",
    "$env:",
    "getenv",
    "system.getenv",
    "environment.getenvironmentvariable",
    "secrets.",
    "vars.",
    "settings.",
    "config.",
    "self.",
    "this.",
    "args.",
    "params.",
    "request.",
    "req.",
    "std::env",
    "vault:",
    "ref+",
    "valuefrom",
];

/// Literal values that are never secrets.
const NON_VALUES: &[&str] = &[
    "true",
    "false",
    "null",
    "none",
    "nil",
    "undefined",
    "empty",
    "string",
    "required",
    "optional",
    "bearer",
    "basic",
    "token",
    "password",
    "secret",
    "str",
    "bool",
];

/// The byte after a value at `data[start..end]` as [`is_placeholder`] should
/// see it. In `Key=Value;` settings (`…;Password=myPassword;Database=…`,
/// no blank around `=`) the `;` separates settings: it says nothing about
/// code, so the value is judged as if it ended the text.
pub fn next_byte(data: &[u8], start: usize, end: usize) -> Option<u8> {
    let next = data.get(end).copied();
    let prev = start.checked_sub(1).and_then(|i| data.get(i)).copied();
    if next == Some(b';') && prev == Some(b'=') {
        return None;
    }
    next
}

/// True when `value` (the captured secret) is a placeholder, reference or
/// masked value, given the byte that follows it in the text (`next`).
pub fn is_placeholder(value: &[u8], next: Option<u8>) -> bool {
    // A call or an index: `get_secret()` / `os.environ["X"]`.
    if matches!(next, Some(b'(') | Some(b'[')) {
        return true;
    }
    let Ok(s) = std::str::from_utf8(value) else {
        return false;
    };
    let lower = s.to_ascii_lowercase();
    // written inside an escaped string (`\"$x\"`): judge what follows the escape
    let s = s.trim_start_matches('\\');
    let quoted = matches!(next, Some(b'"' | b'\'' | b'`' | b'\\'));
    // unquoted `$`: shell, Makefile or PHP variable expansion, not a literal
    if !quoted && s.contains('$') {
        return true;
    }
    // an index or call cut short by the value's character class: `$_POST[`
    if s.ends_with('[') || s.ends_with('(') {
        return true;
    }
    // HTML-escaped angle brackets around a placeholder: `&lt;TOKEN&gt;`
    if lower.contains("&lt;") || lower.contains("&gt;") {
        return true;
    }
    // an unquoted identifier followed by `,` `)` `;` `}` is a variable or
    // constant in code (`password: userPass,`), not a literal; digits are
    // excluded so hex and base62 tokens never take this path
    if matches!(next, Some(b',' | b')' | b';' | b'}' | b']'))
        && s.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && s.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
    {
        return true;
    }
    // an unquoted snake_case name (letters only, so random lowercase tokens
    // with digits are not caught) at the end of a line is a variable
    // (`password = key_password`), not a literal
    if !quoted
        && s.contains('_')
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        return true;
    }
    if s.contains("${")
        || s.contains("{{")
        || s.contains("}}")
        || s.contains("%s")
        || s.contains("%(")
        || s.contains("#{")
        || s.starts_with('$')
        || s.starts_with('<')
        || s.starts_with('[')
        || s.starts_with('{')
        || s.contains("](")
    {
        return true;
    }
    if s.contains('(') && s.contains(')') {
        return true;
    }
    if NON_VALUES.contains(&lower.as_str()) {
        return true;
    }
    if DUMMY_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    if REFERENCE_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    // one repeated character, possibly with separators: xxxx, ****, 0000-0000
    let mut distinct = [false; 256];
    let mut n_distinct = 0;
    for &b in value {
        if !distinct[b as usize] && b.is_ascii_alphanumeric() {
            distinct[b as usize] = true;
            n_distinct += 1;
        }
    }
    if n_distinct <= 2 {
        return true;
    }
    // dotted identifier paths (`settings.db.password`, `a.b.c`) are references
    if s.contains('.')
        && s.split('.').count() >= 2
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_'))
    {
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "${DB_PASSWORD}",
            "{{ .Values.token }}",
            "<TOKEN>",
            "xxxxxxxxxxxx",
            "changeme123",
            "your-api-key-here",
            "os.environ",
            "process.env.API_KEY",
            "****",
            "[REDACTED]",
            "<hidden>",
            "settings.db.password",
            "%s",
        ] {
            assert!(is_placeholder(p.as_bytes(), None), "{p}");
        }
        assert!(is_placeholder(b"get_secret", Some(b'(')));
        assert!(is_placeholder(b"super$ecret", Some(b'\n')));
        assert!(is_placeholder(b"\\$_POST[", Some(b'\\')));
        assert!(is_placeholder(b"&lt;YOUR_TOKEN&gt;", Some(b'"')));
        assert!(is_placeholder(b"userPassword", Some(b',')));
        assert!(is_placeholder(b"DB_PASS", Some(b';')));
        assert!(is_placeholder(b"key_password", Some(b'\n')));
        assert!(is_placeholder(b"password_mgr", None));
    }

    #[test]
    fn connection_string_separators_are_not_code() {
        let s = b"Server=db;Password=myPassword;Database=app";
        assert_eq!(next_byte(s, 19, 29), None);
        let code = b"login(password = userPass;";
        assert_eq!(next_byte(code, 17, 25), Some(b';'));
    }

    #[test]
    fn real_looking_values_pass() {
        for s in [
            "hN7s!qP2zK9wLm4x",
            "9f8e7d6c5b4a39281706f5e4",
            "Tr0ub4dor&3xyz",
        ] {
            assert!(!is_placeholder(s.as_bytes(), Some(b'"')), "{s}");
        }
        // quoted `$` is a literal character of the password
        assert!(!is_placeholder(b"super$ecret9", Some(b'"')));
        // a hex token before a comma is a value, not an identifier
        assert!(!is_placeholder(
            b"951bc382db9abad29c68634761dd6e19",
            Some(b',')
        ));
    }
}
