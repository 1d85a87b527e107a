//! `--format json` (one document: version, tool, findings, stats) and
//! `--format jsonl` (one finding per line, no wrapper). The shape is the
//! contract's; field order is the struct's.

use super::pretty::{INDENT, Pretty};
use crate::finding::Finding;
use crate::stats::StatsSnapshot;
use serde::Serialize;
use std::io::{self, Write};

/// The JSON report document.
#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    findings: &'a [Finding],
    stats: &'a StatsSnapshot,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

pub fn write(findings: &[&Finding], stats: &StatsSnapshot, out: &mut dyn Write) -> io::Result<()> {
    let report = Report {
        version: 1,
        tool: Tool {
            name: "credsweep",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: &[],
        stats,
    };
    // The document without findings, then the findings spliced in where
    // `"findings": []` stands, each formatted (in parallel) exactly as
    // `to_writer_pretty` would at that depth: JSON strings hold no raw
    // newline, so indenting every line of a finding by four spaces is safe.
    let skeleton = serde_json::to_vec_pretty(&report)?;
    const EMPTY: &[u8] = b"\"findings\": []";
    let at = memchr::memmem::find(&skeleton, EMPTY)
        .ok_or_else(|| io::Error::other("JSON report skeleton without findings"))?;
    if findings.is_empty() {
        out.write_all(&skeleton)?;
        return writeln!(out);
    }
    out.write_all(&skeleton[..at])?;
    out.write_all(b"\"findings\": [\n")?;
    let last = findings.len() - 1;
    super::write_each(findings, out, |index, f, buf| {
        // two levels deep, as `to_writer_pretty` indents it in the report
        buf.extend_from_slice(&INDENT[..2 * FINDING_DEPTH]);
        let mut ser = serde_json::Serializer::with_formatter(&mut *buf, Pretty::at(FINDING_DEPTH));
        f.serialize(&mut ser)?;
        buf.extend_from_slice(if index == last { b"\n" } else { b",\n" });
        Ok(())
    })?;
    out.write_all(b"  ]")?;
    out.write_all(&skeleton[at + EMPTY.len()..])?;
    writeln!(out)
}

/// Nesting depth of a finding in the report (the document, `findings`).
const FINDING_DEPTH: usize = 2;

pub fn write_lines(findings: &[&Finding], out: &mut dyn Write) -> io::Result<()> {
    super::write_each(findings, out, |_, f, buf| {
        serde_json::to_writer(&mut *buf, f)?;
        buf.push(b'\n');
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FindingKind, Location, PodSecurityInfo, SecretInfo, Severity};

    fn finding(i: usize) -> Finding {
        Finding {
            rule_id: format!("rule-{}", i % 7),
            kind: FindingKind::Secret,
            severity: Severity::High,
            confidence: crate::finding::Confidence::High,
            message: format!("message \"{i}\"\nwith a newline").into(),
            location: Location {
                path: format!("dir/file {i}.yaml").into(),
                line: i + 1,
                column: 3,
                end_line: i + 1,
                end_column: 9,
                utf16_columns: None,
            },
            secret: i.is_multiple_of(2).then(|| {
                Box::new(SecretInfo {
                    redacted: "ab****".into(),
                    entropy: 3.5,
                    validated: None,
                })
            }),
            pod_security: (!i.is_multiple_of(2)).then(|| {
                Box::new(PodSecurityInfo {
                    level: "baseline".into(),
                    object: "Pod/default/p".into(),
                    container: i.is_multiple_of(3).then(|| "c".into()),
                    field: "spec".into(),
                })
            }),
            commit: i.is_multiple_of(5).then(|| {
                Box::new(crate::finding::CommitInfo {
                    id: format!("{i:040x}"),
                    author: "A \"B\"".into(),
                    email: "a@example.com".into(),
                    date: "2026-01-01T00:00:00Z".into(),
                    summary: "tab\there".into(),
                })
            }),
            fingerprint: crate::finding::Fingerprint::of(&[&i.to_le_bytes()]),
            secret_hash: None,
            raw_secret: None,
        }
    }

    /// The spliced, parallel report is byte for byte what serde_json's
    /// pretty printer makes of the whole document.
    #[test]
    fn parallel_report_equals_the_pretty_printed_document() {
        let stats = StatsSnapshot::default();
        for n in [0, 1, 2, 3000] {
            let findings: Vec<Finding> = (0..n).map(finding).collect();
            let mut ours = Vec::new();
            write(&findings.iter().collect::<Vec<_>>(), &stats, &mut ours).unwrap();
            let report = Report {
                version: 1,
                tool: Tool {
                    name: "credsweep",
                    version: env!("CARGO_PKG_VERSION"),
                },
                findings: &findings,
                stats: &stats,
            };
            let mut theirs = serde_json::to_vec_pretty(&report).unwrap();
            theirs.push(b'\n');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap(),
                "{n} findings"
            );
            let mut lines = Vec::new();
            write_lines(&findings.iter().collect::<Vec<_>>(), &mut lines).unwrap();
            let expected: String = findings
                .iter()
                .map(|f| serde_json::to_string(f).unwrap() + "\n")
                .collect();
            assert_eq!(String::from_utf8(lines).unwrap(), expected);
        }
    }
}
