//! Embeds every `rules/**/*.yaml` file into the binary, sorted by path, so the
//! built-in rules need no files at run time: the YAML text (for tools that
//! read it) and the rules pre-parsed to JSON with each rule's line (what the
//! scanner loads: JSON parses several times faster than YAML). A built-in
//! rule file that does not parse fails the build, naming file and line.
use std::{env, fs, path::Path};

#[allow(dead_code)]
#[path = "src/rules/syntax.rs"]
mod syntax;

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
            out.push(p.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules = Path::new(&root).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from(
        "/// (path relative to the repo, contents) of every built-in rule file.\npub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={f}");
        let rel = f
            .strip_prefix(&format!("{}/", root.replace('\\', "/")))
            .unwrap_or(f);
        code.push_str(&format!("    ({rel:?}, include_str!({f:?})),\n"));
    }
    code.push_str("];\n");
    code.push_str("/// (path, JSON of [(line, rule)]) of every built-in rule file.\npub static BUILTIN_RULES_JSON: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&format!("{}/", root.replace('\\', "/")))
            .unwrap_or(f);
        let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let rules: Vec<syntax::RuleSyntax> = if text.trim().is_empty() {
            Vec::new()
        } else {
            serde_yaml::from_str(&text).unwrap_or_else(|e| {
                let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                panic!("{rel}:{line}:{col}: invalid rule file: {e}")
            })
        };
        let with_lines: Vec<(usize, &syntax::RuleSyntax)> = rules
            .iter()
            .map(|r| (syntax::id_line(&text, &r.id), r))
            .collect();
        let json = serde_json::to_string(&with_lines).expect("rules serialise to JSON");
        code.push_str(&format!("    ({rel:?}, {json:?}),\n"));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_rules.rs");
    fs::write(out, code).expect("write builtin_rules.rs");
}
