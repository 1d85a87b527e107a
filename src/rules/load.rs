//! Loading rules: the built-ins embedded at build time, then each `--rules`
//! folder on top (a rule with the same id replaces the earlier one), then the
//! config's disable list and severity overrides.
//!
//! Every error names the file and line; nothing here panics on bad input.

use super::syntax::{RuleDocs, RuleSyntax, field_line, id_line};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A rule as loaded, with where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct LoadedRule {
    pub syntax: RuleSyntax,
    pub source: PathBuf,
    /// 1-based line of the rule's `id:` in its file.
    pub line: usize,
    /// The regex and allowlist syntax were checked when the binary was built
    /// (the built-in rules, by `build.rs`), so loading need not parse them
    /// again: that parse was a third of a pre-commit run's start-up.
    pub prechecked: bool,
    /// 1-based line of its `regex:` key, when known (rule files read at run
    /// time), so a bad regex is reported where it is.
    pub regex_line: Option<usize>,
    /// The rule's description and examples (`syntax`'s own doc fields are
    /// left empty).
    pub docs: DocsSource,
}

/// Where a rule's [`RuleDocs`] are.
#[derive(Debug, Clone)]
pub enum DocsSource {
    /// Read with the rule (a user's rule file).
    Inline(Box<RuleDocs>),
    /// Rule `index` of built-in file `file`, parsed on first use.
    Builtin { file: usize, index: usize },
}

impl DocsSource {
    pub fn get(&self) -> &RuleDocs {
        match self {
            DocsSource::Inline(d) => d,
            DocsSource::Builtin { file, index } => builtin_docs(*file, *index),
        }
    }
}

impl LoadedRule {
    pub fn docs(&self) -> &RuleDocs {
        self.docs.get()
    }
}

/// The docs of built-in rule `index` of file `file`: every built-in file's
/// docs are parsed together on the first call (a scan that reports no
/// SARIF and explains nothing never makes one). Empty docs if the embedded
/// JSON did not parse, which `build.rs` wrote and a test reads.
fn builtin_docs(file: usize, index: usize) -> &'static RuleDocs {
    static DOCS: OnceLock<Vec<Vec<RuleDocs>>> = OnceLock::new();
    static EMPTY: RuleDocs = RuleDocs {
        description: None,
        remediation: None,
        references: Vec::new(),
        examples: Vec::new(),
        negative_examples: Vec::new(),
    };
    DOCS.get_or_init(|| {
        BUILTIN_RULE_DOCS_JSON
            .iter()
            .map(|json| serde_json::from_str(json).unwrap_or_default())
            .collect()
    })
    .get(file)
    .and_then(|f| f.get(index))
    .unwrap_or(&EMPTY)
}

/// Parses one rule file's text.
pub fn parse_rule_file(path: &Path, text: &str) -> Result<Vec<LoadedRule>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    if let Err((line, col)) = crate::yaml_depth::check(text, crate::yaml_depth::MAX_DEPTH) {
        return Err(Error::RuleFile {
            path: path.to_path_buf(),
            line,
            col,
            msg: format!("nested deeper than {} levels", crate::yaml_depth::MAX_DEPTH),
        });
    }
    let rules: Vec<RuleSyntax> = serde_yaml::from_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        Error::RuleFile {
            path: path.to_path_buf(),
            line,
            col,
            msg: e.to_string(),
        }
    })?;
    Ok(rules
        .into_iter()
        .map(|mut syntax| {
            let line = id_line(text, &syntax.id);
            let docs = DocsSource::Inline(Box::new(syntax.take_docs()));
            LoadedRule {
                syntax,
                source: path.to_path_buf(),
                line,
                prechecked: false,
                regex_line: field_line(text, line, "regex"),
                docs,
            }
        })
        .collect())
}

/// The built-in rules, in file order.
///
/// `build.rs` parsed the YAML already (a malformed built-in rule fails the
/// build with its file and line) and embedded it as JSON with each rule's
/// line: parsing JSON at start-up is several times cheaper than YAML, which
/// matters to a pre-commit hook with hundreds of rules.
pub fn builtin_rules() -> Result<Vec<LoadedRule>> {
    let mut all = Vec::new();
    for (file, (path, json)) in BUILTIN_RULES_JSON.iter().enumerate() {
        let rules: Vec<(usize, RuleSyntax)> =
            serde_json::from_str(json).map_err(|e| Error::RuleFile {
                path: PathBuf::from(path),
                line: 1,
                col: 1,
                msg: format!("embedded rules: {e}"),
            })?;
        all.extend(
            rules
                .into_iter()
                .enumerate()
                .map(|(index, (line, syntax))| LoadedRule {
                    syntax,
                    source: PathBuf::from(path),
                    line,
                    prechecked: true,
                    regex_line: None,
                    docs: DocsSource::Builtin { file, index },
                }),
        );
    }
    Ok(all)
}

/// Every `*.yaml`/`*.yml` file under `dir` (or `dir` itself if it is a
/// file), sorted by path so loading order is deterministic.
pub fn rule_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|source| Error::Io {
            path: d.clone(),
            source,
        })?;
        for e in entries {
            let e = e.map_err(|source| Error::Io {
                path: d.clone(),
                source,
            })?;
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Loads the rules of one folder (or file).
pub fn rules_from_dir(dir: &Path) -> Result<Vec<LoadedRule>> {
    let mut all = Vec::new();
    for f in rule_files_in(dir)? {
        let text = std::fs::read_to_string(&f).map_err(|source| Error::Io {
            path: f.clone(),
            source,
        })?;
        all.extend(parse_rule_file(&f, &text)?);
    }
    Ok(all)
}

/// Built-ins (unless `no_builtin`) then each folder; later ids replace earlier
/// ones. Two rules with one id inside the same layer are an error.
pub fn load_rules(no_builtin: bool, dirs: &[PathBuf]) -> Result<Vec<LoadedRule>> {
    let mut merged: Vec<LoadedRule> = Vec::new();
    let mut layers: Vec<Vec<LoadedRule>> = Vec::new();
    if !no_builtin {
        layers.push(builtin_rules()?);
    }
    for d in dirs {
        layers.push(rules_from_dir(d)?);
    }
    for layer in layers {
        let mut seen = std::collections::HashMap::new();
        for r in &layer {
            if let Some(prev) = seen.insert(r.syntax.id.clone(), (r.source.clone(), r.line)) {
                return Err(Error::Rule {
                    path: r.source.clone(),
                    line: r.line,
                    id: r.syntax.id.clone(),
                    msg: format!(
                        "duplicate rule id (also at {}:{})",
                        prev.0.display(),
                        prev.1
                    ),
                });
            }
        }
        for r in layer {
            if let Some(slot) = merged.iter_mut().find(|m| m.syntax.id == r.syntax.id) {
                *slot = r;
            } else {
                merged.push(r);
            }
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_yaml_names_file_and_line() {
        let err = parse_rule_file(Path::new("r.yaml"), "- id: a\n  name: [\n").unwrap_err();
        let s = err.to_string();
        assert!(s.starts_with("r.yaml:"), "{s}");
    }

    #[test]
    fn unknown_key_is_an_error() {
        let text = "- id: a\n  name: A\n  severity: low\n  regex: x\n  min_entorpy: 3\n";
        let err = parse_rule_file(Path::new("r.yaml"), text).unwrap_err();
        assert!(err.to_string().contains("min_entorpy"), "{err}");
    }

    #[test]
    fn id_line_is_found() {
        let text = "# c\n- id: one\n  name: x\n- id: \"two\"\n";
        assert_eq!(id_line(text, "one"), 2);
        assert_eq!(id_line(text, "two"), 4);
    }

    #[test]
    fn builtins_load() {
        let rules = builtin_rules().expect("built-in rules load");
        assert!(!rules.is_empty());
    }
}
