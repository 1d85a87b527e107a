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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_more_than_four_or_a_quarter() {
        assert_eq!(
            redact("ghp_0123456789abcdefghij0123456789abcdef"),
            "ghp_…(40 chars)"
        );
        assert_eq!(redact("abcdefgh"), "ab…(8 chars)");
        assert_eq!(redact("abc"), "…(3 chars)");
        assert_eq!(redact(""), "…(0 chars)");
        // multibyte characters are counted as characters, never split
        assert_eq!(redact("ééééééééé"), "éé…(9 chars)");
    }
}
