//! A linear-time nesting check run before `serde_yaml` sees a config or rule
//! file.
//!
//! `serde_yaml` (libyaml underneath) takes time quadratic in flow nesting
//! depth: 20,000 nested `[` take about 9 s and 100,000 several minutes,
//! before its own recursion limit (128) ever reports anything. Config and
//! rule files never nest deeper than a few levels, so a file whose flow
//! brackets (`[`, `{` outside quotes and comments) nest deeper than
//! [`MAX_DEPTH`] is refused at once, with the position of the first bracket
//! past the limit. Block nesting costs indentation bytes, so its depth is
//! bounded by the file size and needs no check here. Kubernetes manifests
//! have their own parser with its own limits (`detectors::k8s::yaml`).

/// Deepest flow nesting accepted (serde_yaml itself stops at 128).
pub const MAX_DEPTH: usize = 256;

/// `Err((line, column))` (1-based, column in bytes) of the first bracket
/// nested deeper than `max`. Quotes and comments are skipped roughly (no
/// escapes inside single quotes, `\` escapes inside double quotes), which is
/// enough: a wrong guess only makes the check looser or earlier, and serde
/// still parses the file afterwards.
pub fn check(text: &str, max: usize) -> Result<(), (usize, usize)> {
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut prev = b'\n';
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
            comment = false;
            prev = b;
            continue;
        }
        if comment {
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if q == b'"' && b == b'\\' {
                    escaped = true;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'#' if prev == b' ' || prev == b'\t' || prev == b'\n' => comment = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max {
                        return Err((line, i - line_start + 1));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = b;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_deep_flow_nesting_at_the_right_place() {
        let deep = format!("a: 1\nb: {}{}\n", "[".repeat(300), "]".repeat(300));
        assert_eq!(check(&deep, MAX_DEPTH), Err((2, 4 + MAX_DEPTH)));
        assert_eq!(check(&deep, 300), Ok(()));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let t = format!(
            "a: \"{}\"\nb: '{}' # {}\nc: [[x]]\n",
            "[".repeat(500),
            "{".repeat(500),
            "[".repeat(500)
        );
        assert_eq!(check(&t, 2), Ok(()));
        assert_eq!(check(&t, 1), Err((3, 5)));
    }
}
