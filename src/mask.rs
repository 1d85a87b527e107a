//! The only place a secret becomes printable.
//!
//! The contract: by default no output contains a whole secret, at most its
//! first 4 characters and never more than a quarter of it. Every reporter,
//! error message and log line goes through [`redact`] (or prints nothing).

/// Masks `secret` as `abcd…(40 chars)`: the first `min(4, len/4)` characters,
/// then the length in characters.
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let shown = (n / 4).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({n} chars)")
}

/// Masks unless `show` is set (`--show-secrets`).
pub fn display(secret: &str, show: bool) -> String {
    if show {
        secret.to_string()
    } else {
        redact(secret)
    }
}

/// A piece of user input (a YAML key or value, a rule id) as an error
/// message may quote it: verbatim when it reads like a word or identifier
/// (a typo such as `alow` or `crtical` stays helpful), masked with
/// [`redact`] when it could be a secret (upper-case letters, more than four
/// digits, other symbols, or longer than 48 bytes). Up to three characters
/// (`]`, `,`) are always shown.
pub fn echo(input: &str) -> String {
    let wordy = input.chars().count() <= 3
        || input.len() <= 48
            && input.bytes().filter(u8::is_ascii_digit).count() <= 4
            && input
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b" _.-/:,".contains(&b));
    if wordy {
        input.to_string()
    } else {
        redact(input)
    }
}

/// Passes every quoted part of an error or warning message (between
/// backticks, double quotes or single quotes, as serde, regex and our own
/// messages quote input) through [`echo`]. Applied where messages are
/// printed, so no library error (serde_yaml's `unknown field`, `invalid
/// type: string "…"`) can print a whole secret that sat in a config or rule
/// file.
pub fn scrub(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"', '\'']) {
        let q = rest[open..].chars().next().unwrap_or('"');
        let after = &rest[open + 1..];
        // an apostrophe inside a word (don't) opens nothing
        let word_before = rest[..open]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let close = after.find(q);
        match close {
            Some(close) if !(q == '\'' && word_before) => {
                out.push_str(&rest[..=open]);
                out.push_str(&echo(&after[..close]));
                out.push(q);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_keeps_words_and_masks_tokens() {
        assert_eq!(echo("alow"), "alow");
        assert_eq!(echo("crtical"), "crtical");
        assert_eq!(echo("aws-key-id-v2"), "aws-key-id-v2");
        assert_eq!(echo(concat!("AK", "IAABCDEFGHIJKLMNOP")), "AKIA…(20 chars)");
        assert_eq!(echo("0123456789abcdef0123"), "0123…(20 chars)");
        assert_eq!(echo(&"a".repeat(60)), "aaaa…(60 chars)");
        assert_eq!(echo("]"), "]");
    }

    #[test]
    fn scrub_masks_every_quoted_token() {
        let t = ["gh", "p_", "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2"].concat();
        for msg in [
            format!("unknown field `{t}`, expected `paths` or `values`"),
            format!("invalid type: string \"{t}\", expected a sequence"),
            format!("unknown severity '{t}' (critical, high)"),
        ] {
            let s = scrub(&msg);
            assert!(!s.contains(&t[4..]), "{s}");
            assert!(s.contains("ghp_…(40 chars)"), "{s}");
        }
        assert_eq!(
            scrub("unknown field `alow`, expected `allow` or `rules`"),
            "unknown field `alow`, expected `allow` or `rules`"
        );
        assert_eq!(
            scrub("rule 'x' can't match \"y\""),
            "rule 'x' can't match \"y\""
        );
        assert_eq!(scrub("unbalanced ` quote"), "unbalanced ` quote");
    }

    #[test]
    fn never_more_than_four_or_a_quarter() {
        assert_eq!(
            redact(concat!("gh", "p_0123456789abcdefghij0123456789abcdef")),
            "ghp_…(40 chars)"
        );
        assert_eq!(redact("abcdefgh"), "ab…(8 chars)");
        assert_eq!(redact("abc"), "…(3 chars)");
        assert_eq!(redact(""), "…(0 chars)");
        // multibyte characters are counted as characters, never split
        assert_eq!(redact("ééééééééé"), "éé…(9 chars)");
    }
}
