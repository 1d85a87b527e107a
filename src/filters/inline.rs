//! Inline ignores: a comment on the finding's line, or on the line before.
//!
//! Recognised markers:
//! - `credsweep:allow` on the line (optionally followed by rule ids:
//!   `credsweep:allow github-pat, aws-access-key-id`);
//! - `credsweep:allow-next-line` on the line before (same optional ids);
//! - for teams migrating: `gitleaks:allow` and `pragma: allowlist secret` on
//!   the line, `pragma: allowlist nextline secret` on the line before.

use memchr::memmem::Finder;
use std::sync::LazyLock;

/// The markers' searchers, built once: `suppressed` runs for every finding
/// (hundreds of thousands on a big manifest tree), and building a searcher
/// costs more than searching one line.
struct Markers {
    allow: Finder<'static>,
    allow_next_line: Finder<'static>,
    gitleaks: Finder<'static>,
    pragma: Finder<'static>,
    pragma_next_line: Finder<'static>,
}

static MARKERS: LazyLock<Markers> = LazyLock::new(|| Markers {
    allow: Finder::new(b"credsweep:allow"),
    allow_next_line: Finder::new(b"credsweep:allow-next-line"),
    gitleaks: Finder::new(b"gitleaks:allow"),
    pragma: Finder::new(b"pragma: allowlist secret"),
    pragma_next_line: Finder::new(b"pragma: allowlist nextline secret"),
});

/// True if the line starting at byte `line_start` of `data` (or the line
/// before it) carries a marker that suppresses `rule_id`. `is_rule` tells a
/// rule id after the marker from an ordinary word.
pub fn suppressed(
    data: &[u8],
    line_start: usize,
    rule_id: &str,
    is_rule: &dyn Fn(&str) -> bool,
) -> bool {
    let line_end =
        memchr::memchr(b'\n', &data[line_start..]).map_or(data.len(), |i| line_start + i);
    let line = &data[line_start..line_end];
    let m = &*MARKERS;
    if allows(line, &m.allow, rule_id, is_rule, true)
        || m.gitleaks.find(line).is_some()
        || m.pragma.find(line).is_some()
    {
        return true;
    }
    if line_start == 0 {
        return false;
    }
    let prev_end = line_start - 1;
    let prev_start = memchr::memrchr(b'\n', &data[..prev_end]).map_or(0, |i| i + 1);
    let prev = &data[prev_start..prev_end];
    allows(prev, &m.allow_next_line, rule_id, is_rule, false)
        || m.pragma_next_line.find(prev).is_some()
}

/// Looks for `marker` in `line`; if rule ids follow it, `rule_id` must be one.
/// With `exact`, `credsweep:allow-next-line` does not count as `credsweep:allow`.
fn allows(
    line: &[u8],
    marker: &Finder<'static>,
    rule_id: &str,
    is_rule: &dyn Fn(&str) -> bool,
    exact: bool,
) -> bool {
    for pos in marker.find_iter(line) {
        let rest = &line[pos + marker.needle().len()..];
        if exact && rest.starts_with(b"-next-line") {
            continue;
        }
        let rest = String::from_utf8_lossy(rest);
        let ids: Vec<&str> = rest
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty())
            .take_while(|t| is_rule(t))
            .collect();
        if ids.is_empty() || ids.contains(&rule_id) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: &str) -> bool {
        matches!(id, "github-pat" | "aws-access-key-id")
    }

    #[test]
    fn markers() {
        let d = b"x = 1 # credsweep:allow\n";
        assert!(suppressed(d, 0, "github-pat", &known));
        let d = b"x = 1 # credsweep:allow aws-access-key-id\n";
        assert!(!suppressed(d, 0, "github-pat", &known));
        assert!(suppressed(d, 0, "aws-access-key-id", &known));
        let d = b"x = 1 # credsweep:allow because it is a test\n";
        assert!(suppressed(d, 0, "github-pat", &known));
        let d = b"# credsweep:allow-next-line\nx = 1\n";
        assert!(suppressed(d, 28, "github-pat", &known));
        let d = b"# credsweep:allow-next-line\n";
        // the marker line itself is not allowed by its own -next-line form
        assert!(!suppressed(d, 0, "github-pat", &known));
        assert!(suppressed(b"k = v // gitleaks:allow", 0, "x", &known));
        assert!(suppressed(
            b"k = v  # pragma: allowlist secret",
            0,
            "x",
            &known
        ));
        assert!(!suppressed(b"k = v\n", 0, "x", &known));
    }
}
