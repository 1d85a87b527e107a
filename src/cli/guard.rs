//! Never lose user data: a file credsweep writes (`-o`, `--write-baseline`)
//! must not be one of the files the same run reads.
//!
//! `credsweep scan . -o app.py` would otherwise replace a source file with a
//! report. The check runs before anything is scanned or written and refuses
//! (exit 2) when an output path already exists and is an input: named as a
//! scan path, or inside a scanned folder. A file inside a scanned folder that
//! is recognisably something credsweep wrote earlier (an empty file, a
//! report in any format, a baseline) may be replaced: that is the normal
//! `scan . -o report.json` rerun, and the file holds only masked secrets and
//! hashes. Output paths that do not exist yet are always fine. Writing
//! itself (temporary file + rename) is [`super::output::write_atomic`]'s job.

use anyhow::bail;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How many leading bytes are read to recognise an earlier credsweep output.
const SNIFF: usize = 4096;

/// Fails when one of `outputs` is an existing input of a scan of `inputs`
/// (`-` stands for standard input and protects nothing).
pub fn refuse_overwriting_inputs(inputs: &[PathBuf], outputs: &[&Path]) -> anyhow::Result<()> {
    for out in outputs {
        let Ok(target) = std::fs::canonicalize(out) else {
            continue; // does not exist yet (or cannot be resolved: the write will say)
        };
        for input in inputs {
            if input.as_os_str() == "-" {
                continue;
            }
            let Ok(root) = std::fs::canonicalize(input) else {
                continue;
            };
            let named = root == target;
            let inside = root.is_dir() && target.starts_with(&root);
            if named || (inside && !earlier_output(&target)) {
                bail!(
                    "refusing to overwrite {}: it is also an input of this scan{} \
                     (write the report outside the scanned paths)",
                    out.display(),
                    if named {
                        ""
                    } else {
                        " (inside a scanned folder)"
                    }
                );
            }
        }
    }
    Ok(())
}

/// True when `path` is empty or starts like a report or baseline that
/// credsweep writes, so replacing it loses nothing the user wrote.
fn earlier_output(path: &Path) -> bool {
    let mut head = Vec::with_capacity(SNIFF);
    let read = std::fs::File::open(path).and_then(|f| f.take(SNIFF as u64).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    looks_like_output(&head)
}

/// The recogniser behind [`earlier_output`], on the first bytes of a file.
fn looks_like_output(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start();
    if t.is_empty() {
        return true;
    }
    // json report / baseline: `{ "version": N, ... "findings"` or "tool"
    if t.starts_with('{') {
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        return compact.starts_with("{\"version\":")
            && (compact.contains("\"findings\":") || compact.contains("credsweep"))
            || compact.starts_with("{\"rule_id\":") // jsonl
            || (compact.starts_with("{\"$schema\":") && compact.contains("credsweep")); // sarif
    }
    // text report: `path:line:col: severity[rule-id] ...`
    let first = t.lines().next().unwrap_or_default();
    text_report_line(first)
}

fn text_report_line(line: &str) -> bool {
    // escape sequences (colour) are not written to files
    let Some(bracket) = line.find('[') else {
        return false;
    };
    let before = &line[..bracket];
    let Some((loc, sev)) = before.rsplit_once(": ") else {
        return false;
    };
    let sev_ok = ["critical", "high", "medium", "low", "info"].contains(&sev);
    let mut parts = loc.trim_end_matches(':').rsplitn(3, ':');
    let col = parts.next().unwrap_or_default();
    let ln = parts.next().unwrap_or_default();
    let nums = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    sev_ok && nums(col) && nums(ln) && parts.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_every_report_format() {
        assert!(looks_like_output(b""));
        assert!(looks_like_output(b"\n"));
        assert!(looks_like_output(
            b"{\n  \"version\": 1,\n  \"tool\": {\"name\": \"credsweep\"}"
        ));
        assert!(looks_like_output(
            b"{\n  \"version\": 1,\n  \"findings\": []\n}\n"
        ));
        assert!(looks_like_output(
            b"{\"rule_id\":\"github-pat\",\"kind\":\"secret\"}\n"
        ));
        assert!(looks_like_output(
            b"{\"$schema\":\"https://x/sarif.json\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"credsweep\"}}}]}"
        ));
        assert!(looks_like_output(
            b"src/a b.py:12:9: critical[github-pat] GitHub token: ghp_\xe2\x80\xa6(40 chars)\n"
        ));
    }

    #[test]
    fn user_files_are_not_outputs() {
        assert!(!looks_like_output(b"import os\nTOKEN = 'x'\n"));
        assert!(!looks_like_output(
            b"{\"name\": \"my-package\", \"version\": \"1.0.0\"}"
        ));
        assert!(!looks_like_output(b"{\"version\": 2, \"services\": {}}"));
        assert!(!looks_like_output(b"error: a.c:1:2: something [x]"));
        assert!(!looks_like_output(b"key: value\n"));
    }
}
