//! SARIF 2.1.0 for GitHub code scanning (columns in UTF-16 code units, URIs
//! relative to a declared base; see [`Paths`]): every reported rule in
//! `tool.driver.rules` (with help text and `security-severity`), one result
//! per finding with a region, a content-based `partialFingerprints` entry,
//! so a finding keeps its identity when lines move, and the finding's
//! `confidence` in `properties`.
//!
//! The few rule descriptors and the document around the results are
//! `serde_json::Value`s; the results (one per finding, hundreds of
//! thousands on a manifest-heavy tree) are typed structs borrowing from
//! their finding, formatted in parallel batches and spliced into the
//! document, in the same bytes the `Value`s printed (a test compares).

use super::pretty::{INDENT, Pretty};
use crate::finding::{Finding, Severity};
use crate::rules::RuleSet;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::path::{Component, Path};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub maps this 0–10 score to its own critical/high/medium/low.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The descriptor of every rule the findings name, by rule id (in id
/// order, as `tool.driver.rules` lists them), and each id's index there.
type Descriptors<'a> = (BTreeMap<&'a str, Value>, BTreeMap<&'a str, usize>);

fn descriptors<'a>(
    findings: impl Iterator<Item = &'a Finding>,
    rules: &RuleSet,
) -> Descriptors<'a> {
    let mut descriptors: BTreeMap<&str, Value> = BTreeMap::new();
    for f in findings {
        descriptors
            .entry(&f.rule_id)
            .or_insert_with(|| describe(f, rules));
    }
    let index = descriptors
        .keys()
        .enumerate()
        .map(|(i, k)| (*k, i))
        .collect();
    (descriptors, index)
}

/// Where finding paths are relative to and what artifact URIs are relative
/// to, both absolute: a finding's path is joined to `findings`, and the
/// result is written relative to `base` (declared in `originalUriBaseIds`
/// as [`BASE_ID`], and named by each location's `uriBaseId`), or as an
/// absolute `file://` URI when it is outside `base`. So two files never
/// share a URI, whatever the scan roots were.
#[derive(Debug, Clone, Copy)]
pub struct Paths<'a> {
    pub findings: &'a Path,
    pub base: &'a Path,
}

/// The `uriBaseId` of every relative artifact URI: the name GitHub's own
/// tools give the source root.
pub const BASE_ID: &str = "%SRCROOT%";

/// A finding path's artifact location: (URI, `uriBaseId`). Standard input
/// (`-`) stays `-`, with no base.
fn artifact_uri(path: &str, paths: &Paths) -> (String, Option<&'static str>) {
    if path == "-" {
        return ("-".to_string(), None);
    }
    let p = Path::new(path);
    // the usual case: a plain relative path, findings relative to the base
    let plain =
        paths.findings == paths.base && p.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        return (Uri(path).to_string(), Some(BASE_ID));
    }
    let abs = crate::paths::absolute(paths.findings, p);
    match crate::paths::relative_inside(&abs, paths.base) {
        Some(rel) if !rel.is_empty() => (Uri(&rel).to_string(), Some(BASE_ID)),
        _ => (file_uri(&abs, false), None),
    }
}

/// `file:///abs/path` (with a trailing `/` for a folder), percent-encoded.
fn file_uri(abs: &Path, folder: bool) -> String {
    let s = crate::paths::slashes(&abs.to_string_lossy());
    // Windows: `C:/x` becomes `file:///C:/x`
    let lead = if s.starts_with('/') { "" } else { "/" };
    let tail = if folder && !s.ends_with('/') { "/" } else { "" };
    format!("file://{lead}{}{tail}", Uri(&s))
}

pub fn write(
    findings: &[&Finding],
    rules: &RuleSet,
    paths: &Paths,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (descriptors, index) = descriptors(findings.iter().copied(), rules);
    let doc = document(descriptors.into_values().collect(), Vec::new(), paths);
    // The document without results, then the results spliced in where
    // `"results": []` stands, each formatted (in parallel) exactly as
    // `to_writer_pretty` would at that depth. `Value` sorts keys, so
    // `results` comes before `tool` and its first occurrence is the run's
    // (inside a JSON string a quote is escaped, so no string matches).
    let skeleton = serde_json::to_vec_pretty(&doc)?;
    const EMPTY: &[u8] = b"\"results\": []";
    let at = memchr::memmem::find(&skeleton, EMPTY)
        .ok_or_else(|| io::Error::other("SARIF skeleton without results"))?;
    if findings.is_empty() {
        out.write_all(&skeleton)?;
        return writeln!(out);
    }
    out.write_all(&skeleton[..at])?;
    out.write_all(b"\"results\": [\n")?;
    let last = findings.len() - 1;
    super::write_each(findings, out, |i, f, buf| {
        let rule_index = *index
            .get(f.rule_id.as_str())
            .ok_or_else(|| io::Error::other(format!("no SARIF rule for {}", f.rule_id)))?;
        buf.extend_from_slice(&INDENT[..2 * RESULT_DEPTH]);
        let mut ser = serde_json::Serializer::with_formatter(&mut *buf, Pretty::at(RESULT_DEPTH));
        SarifResult::of(f, rule_index, paths).serialize(&mut ser)?;
        buf.extend_from_slice(if i == last { b"\n" } else { b",\n" });
        Ok(())
    })?;
    out.write_all(&INDENT[..2 * (RESULT_DEPTH - 1)])?;
    out.write_all(b"]")?;
    out.write_all(&skeleton[at + EMPTY.len()..])?;
    writeln!(out)
}

/// Nesting depth of a result in the document (the document, `runs`, the
/// run, `results`).
const RESULT_DEPTH: usize = 4;

/// The SARIF document around `results` (empty when the results are spliced
/// in by [`write`]).
fn document(rules: Vec<Value>, results: Vec<Value>, paths: &Paths) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "credsweep",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/credsweep/credsweep",
                "rules": rules,
            }},
            // what GitHub code scanning reads; byte columns are converted
            "columnKind": "utf16CodeUnits",
            "originalUriBaseIds": {
                BASE_ID: {"uri": file_uri(paths.base, true)},
            },
            "results": results,
        }]
    })
}

// One result, borrowed from its finding. Fields are declared in
// alphabetical order at every level: results used to be `serde_json::Value`
// maps, which print their keys sorted, and the bytes must not change.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    locations: [SarifLocation; 1],
    message: Message<'a>,
    partial_fingerprints: Fingerprints<'a>,
    properties: Properties,
    rule_id: &'a str,
    rule_index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

#[derive(Serialize)]
struct Message<'a> {
    text: MessageText<'a>,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "credsweep/v1")]
    credsweep_v1: &'a crate::finding::Fingerprint,
}

#[derive(Serialize)]
struct Properties {
    /// The finding's `confidence` (`high`, `medium`, `low`).
    confidence: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

impl<'a> SarifResult<'a> {
    fn of(f: &'a Finding, rule_index: usize, paths: &Paths) -> Self {
        let l = &f.location;
        let (uri, uri_base_id) = artifact_uri(&l.path, paths);
        let (start_column, end_column) = l.utf16_columns.unwrap_or((l.column, l.end_column));
        SarifResult {
            level: level(f.severity),
            locations: [SarifLocation {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri, uri_base_id },
                    region: Region {
                        end_column: end_column.max(start_column),
                        end_line: l.end_line,
                        start_column,
                        start_line: l.line,
                    },
                },
            }],
            message: Message {
                text: MessageText(f),
            },
            partial_fingerprints: Fingerprints {
                credsweep_v1: &f.fingerprint,
            },
            properties: Properties {
                confidence: f.confidence.as_str(),
                security_severity: security_severity(f.severity),
            },
            rule_id: &f.rule_id,
            rule_index,
        }
    }
}

/// A result's message: the finding's, then `: ` and the redacted secret,
/// then ` (level object, field f)` for a pod finding. Written straight
/// into the JSON string (`collect_str` escapes it as it goes), not built
/// as a `String` first.
struct MessageText<'a>(&'a Finding);

impl fmt::Display for MessageText<'_> {
    fn fmt(&self, w: &mut fmt::Formatter<'_>) -> fmt::Result {
        let f = self.0;
        w.write_str(&f.message)?;
        if let Some(s) = &f.secret {
            write!(w, ": {}", s.redacted)?;
        }
        if let Some(p) = &f.pod_security {
            write!(w, " ({} {}, field {})", p.level, p.object, p.field)?;
        }
        Ok(())
    }
}

impl Serialize for MessageText<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A finding path as a relative URI reference: bytes outside RFC 3986's
/// unreserved, sub-delims, `:`, `@` and `/` are percent-encoded (a space
/// becomes `%20`), so code scanning resolves paths with spaces or `#`.
/// Kept runs are written as slices, straight into the JSON string.
struct Uri<'a>(&'a str);

impl fmt::Display for Uri<'_> {
    fn fmt(&self, w: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.0;
        let mut kept = 0;
        for (i, &b) in path.as_bytes().iter().enumerate() {
            let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
            if !keep {
                if kept < i {
                    // a run of kept bytes is ASCII, so both ends are char
                    // boundaries (an empty run may sit inside a character)
                    w.write_str(&path[kept..i])?;
                }
                write!(w, "%{b:02X}")?;
                kept = i + 1;
            }
        }
        w.write_str(&path[kept..])
    }
}

impl Serialize for Uri<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn describe(f: &Finding, rules: &RuleSet) -> Value {
    let check = crate::detectors::k8s::checks::find(&f.rule_id);
    let (name, description, remediation, refs) = match (rules.find(&f.rule_id), check) {
        (None, Some(c)) => (
            c.title.to_string(),
            c.description.to_string(),
            c.fix.to_string(),
            crate::detectors::k8s::checks::references(c),
        ),
        (Some(r), _) => (
            r.name.clone(),
            r.description().to_string(),
            r.remediation().to_string(),
            r.docs().references.clone(),
        ),
        (None, None) => (
            f.message.to_string(),
            f.message.to_string(),
            String::new(),
            Vec::new(),
        ),
    };
    let description = if description.is_empty() {
        name.clone()
    } else {
        description
    };
    let mut help = format!("{description}\n\n{remediation}");
    let mut md = format!("{description}\n\n**Remediation:** {remediation}");
    for r in &refs {
        help.push_str(&format!("\n{r}"));
        md.push_str(&format!("\n- <{r}>"));
    }
    let kind_tag = match f.kind {
        crate::finding::FindingKind::Secret => "secret",
        crate::finding::FindingKind::PodSecurity => "kubernetes",
    };
    let mut descriptor = json!({
        "id": f.rule_id,
        "shortDescription": {"text": name},
        "fullDescription": {"text": description},
        "help": {"text": help.trim_end(), "markdown": md.trim_end()},
        "defaultConfiguration": {"level": level(f.severity)},
        "properties": {
            "security-severity": security_severity(f.severity),
            "tags": ["security", kind_tag],
        },
    });
    // SARIF's `name` is a human identifier in PascalCase, not the id again
    // (the SARIF multitool warns on that, SARIF1001)
    let pascal = pascal_case(&name);
    if !pascal.is_empty() && pascal != f.rule_id {
        descriptor["name"] = Value::String(pascal);
    }
    descriptor
}

/// `GitHub personal access token (classic)` → `GitHubPersonalAccessTokenClassic`:
/// words of letters and digits, each with its first letter upper-cased.
fn pascal_case(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{
        CommitInfo, Confidence, FindingKind, Location, PodSecurityInfo, SecretInfo, Severity,
    };

    /// The writer as it was before results were typed and formatted in
    /// parallel: one `serde_json::Value` per result and for the document,
    /// pretty-printed in one piece. Kept as the reference the bytes must
    /// match.
    fn write_reference(
        findings: &[Finding],
        rules: &RuleSet,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let (descriptors, index) = descriptors(findings.iter(), rules);
        let results: Vec<Value> = findings
            .iter()
            .map(|f| {
                let mut text = f.message.to_string();
                if let Some(s) = &f.secret {
                    text.push_str(&format!(": {}", s.redacted));
                }
                if let Some(p) = &f.pod_security {
                    text.push_str(&format!(" ({} {}, field {})", p.level, p.object, p.field));
                }
                json!({
                    "ruleId": f.rule_id,
                    "ruleIndex": index[f.rule_id.as_str()],
                    "level": level(f.severity),
                    "message": {"text": text},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": if &*f.location.path == "-" {
                                json!({"uri": "-"})
                            } else {
                                json!({
                                    "uri": uri_reference(&f.location.path),
                                    "uriBaseId": BASE_ID,
                                })
                            },
                            "region": {
                                "startLine": f.location.line,
                                "startColumn": columns(f).0,
                                "endLine": f.location.end_line,
                                "endColumn": columns(f).1.max(columns(f).0),
                            }
                        }
                    }],
                    "partialFingerprints": {"credsweep/v1": f.fingerprint},
                    "properties": {
                        "confidence": f.confidence.as_str(),
                        "security-severity": security_severity(f.severity),
                    },
                })
            })
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "credsweep",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/credsweep/credsweep",
                    "rules": descriptors.into_values().collect::<Vec<_>>(),
                }},
                "columnKind": "utf16CodeUnits",
                "originalUriBaseIds": {BASE_ID: {"uri": "file:///w/"}},
                "results": results,
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }

    fn columns(f: &Finding) -> (usize, usize) {
        let l = &f.location;
        l.utf16_columns.unwrap_or((l.column, l.end_column))
    }

    /// The percent-encoding as it was, building a `String`.
    fn uri_reference(path: &str) -> String {
        let mut out = String::with_capacity(path.len());
        for &b in path.as_bytes() {
            let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
            if keep {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    #[test]
    fn uris_are_percent_encoded() {
        let uri = |p: &str| Uri(p).to_string();
        assert_eq!(uri("src/a b#1.txt"), "src/a%20b%231.txt");
        assert_eq!(uri("ünï.env"), "%C3%BCn%C3%AF.env");
        assert_eq!(uri("-"), "-");
        assert_eq!(uri(""), "");
        assert_eq!(uri("%"), "%25");
        for p in ["a\"b\\c\n", "x y/z é/😀#?[]", "~ok!$&'()*+,;=:@/-._"] {
            assert_eq!(uri(p), uri_reference(p), "{p:?}");
        }
    }

    #[test]
    fn artifact_uris_are_relative_to_the_base_or_absolute() {
        let at = |findings: &str, base: &str, path: &str| {
            artifact_uri(
                path,
                &Paths {
                    findings: Path::new(findings),
                    base: Path::new(base),
                },
            )
        };
        let based = |s: &str| (s.to_string(), Some(BASE_ID));
        assert_eq!(at("/w", "/w", "src/a b.py"), based("src/a%20b.py"));
        assert_eq!(at("/w/src", "/w", "a.py"), based("src/a.py"));
        assert_eq!(at("/w/src", "/w", "../deploy/a.py"), based("deploy/a.py"));
        assert_eq!(at("/w", "/w", "/w/src/a.py"), based("src/a.py"));
        assert_eq!(
            at("/w", "/w", "/etc/x y"),
            ("file:///etc/x%20y".to_string(), None)
        );
        assert_eq!(
            at("/w/src", "/w/src", "../a.py"),
            ("file:///w/a.py".to_string(), None)
        );
        assert_eq!(at("/w", "/w", "-"), ("-".to_string(), None));
        assert_eq!(file_uri(Path::new("/w/x"), true), "file:///w/x/");
        assert_eq!(file_uri(Path::new("/"), true), "file:///");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(
            pascal_case("GitHub personal access token (classic)"),
            "GitHubPersonalAccessTokenClassic"
        );
        assert_eq!(pascal_case("host namespace shared"), "HostNamespaceShared");
        assert_eq!(pascal_case(""), "");
    }

    /// Text that exercises JSON escaping and multi-byte characters.
    const ODD: &[&str] = &[
        "plain",
        "quote \" and backslash \\",
        "new\nline\ttab\r",
        "control \u{1} \u{1f} \u{7f}",
        "ünïcödé",
        "emoji 😀 and CJK 漢字",
        "slash / and </script>",
        "",
    ];

    const PATHS: &[&str] = &[
        "src/main.rs",
        "dir with space/file#1.yaml",
        "percent%41/and?query",
        "ünï/😀.env",
        "quote\"back\\slash",
        "line\nbreak",
        "-",
        "k8s/deploy.yaml",
    ];

    /// Findings of every shape: secrets, pod findings, both, neither; with
    /// and without a commit; rule ids of built-in rules, of pod checks and
    /// of neither.
    fn findings(n: usize, rules: &RuleSet) -> Vec<Finding> {
        let mut ids: Vec<String> = ["aws-access-key-id", "github-pat", "no-such-rule"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        ids.extend(
            crate::rules::load::builtin_rules()
                .expect("built-in rules load")
                .into_iter()
                .take(5)
                .map(|r| r.syntax.id),
        );
        ids.extend(
            crate::detectors::k8s::checks::CHECKS
                .iter()
                .take(5)
                .map(|c| c.id.to_string()),
        );
        assert!(ids.iter().any(|id| rules.find(id).is_some()));
        let severities = [
            Severity::Critical,
            Severity::High,
            Severity::Medium,
            Severity::Low,
            Severity::Info,
        ];
        let mut rng = fastrand::Rng::with_seed(0x5a21f);
        (0..n)
            .map(|i| {
                let odd = |rng: &mut fastrand::Rng| ODD[rng.usize(..ODD.len())];
                let line = [1, 7, 123_456, usize::MAX / 2][rng.usize(..4)];
                let column = rng.usize(1..200);
                let shape = rng.u8(..4);
                Finding {
                    rule_id: ids[rng.usize(..ids.len())].clone(),
                    kind: if shape & 1 == 1 {
                        FindingKind::PodSecurity
                    } else {
                        FindingKind::Secret
                    },
                    severity: severities[rng.usize(..severities.len())],
                    confidence: [Confidence::High, Confidence::Medium, Confidence::Low]
                        [rng.usize(..3)],
                    message: format!("message {i}: {}", odd(&mut rng)).into(),
                    location: Location {
                        path: format!("{}{}", PATHS[rng.usize(..PATHS.len())], odd(&mut rng))
                            .into(),
                        line,
                        column,
                        end_line: line + rng.usize(..3),
                        // sometimes before the start column
                        end_column: rng.usize(..250),
                        utf16_columns: rng.bool().then(|| (rng.usize(1..200), rng.usize(..250))),
                    },
                    secret: (shape & 1 == 0 || shape == 3).then(|| {
                        Box::new(SecretInfo {
                            redacted: format!("ab****{}", odd(&mut rng)),
                            entropy: 3.5,
                            validated: None,
                        })
                    }),
                    pod_security: (shape & 1 == 1).then(|| {
                        Box::new(PodSecurityInfo {
                            level: "baseline".into(),
                            object: format!("Pod/default/{}", odd(&mut rng)).into(),
                            container: rng.bool().then(|| "c".into()),
                            field: format!("spec.{}", odd(&mut rng)).into(),
                        })
                    }),
                    commit: rng.bool().then(|| {
                        Box::new(CommitInfo {
                            id: format!("{i:040x}"),
                            author: "A \"B\"".into(),
                            email: "a@example.com".into(),
                            date: "2026-01-01T00:00:00Z".into(),
                            summary: odd(&mut rng).into(),
                        })
                    }),
                    fingerprint: crate::finding::Fingerprint::of(&[&i.to_le_bytes()]),
                    secret_hash: None,
                    raw_secret: None,
                }
            })
            .collect()
    }

    /// The typed, spliced, parallel writer is byte for byte the old
    /// `Value`-based one.
    #[test]
    fn typed_results_equal_the_value_rendering() {
        let rules = RuleSet::compile(crate::rules::load::builtin_rules().expect("built-in rules"))
            .expect("built-in rules compile");
        for n in [0, 1, 2, 300, 3000] {
            let findings = findings(n, &rules);
            let mut ours = Vec::new();
            let w = Path::new("/w");
            let paths = Paths {
                findings: w,
                base: w,
            };
            write(
                &findings.iter().collect::<Vec<_>>(),
                &rules,
                &paths,
                &mut ours,
            )
            .expect("write");
            let mut theirs = Vec::new();
            write_reference(&findings, &rules, &mut theirs).expect("reference");
            assert_eq!(
                String::from_utf8(ours).expect("UTF-8"),
                String::from_utf8(theirs).expect("UTF-8"),
                "{n} findings"
            );
        }
    }
}
