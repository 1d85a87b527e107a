//! Embeds every `rules/**/*.yaml` file into the binary, sorted by path, so the
//! built-in rules need no files at run time: the YAML text (for tools that
//! read it) and the rules pre-parsed to JSON with each rule's line (what the
//! scanner loads: JSON parses several times faster than YAML). A built-in
//! rule file that does not parse, or a rule whose regex or allowlist regex
//! does not, fails the build naming file and line: the scanner trusts the
//! built-in syntax and does not parse it again at start-up.
use std::{env, fs, path::Path};

#[allow(dead_code)]
#[path = "src/rules/syntax.rs"]
mod syntax;

#[allow(dead_code)]
#[path = "src/rules/keywords.rs"]
mod keywords;

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
    println!("cargo:rerun-if-changed=src/rules/keywords.rs");
    println!("cargo:rerun-if-changed=src/rules/syntax.rs");
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
    let mut all_rules: Vec<syntax::RuleSyntax> = Vec::new();
    let mut docs_code = String::from(
        "/// JSON of [docs] of every built-in rule file, in `BUILTIN_RULES_JSON`'s order.\npub static BUILTIN_RULE_DOCS_JSON: &[&str] = &[\n",
    );
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
        for r in &rules {
            let line = syntax::id_line(&text, &r.id);
            let allow = r.allowlist.iter().flat_map(|a| a.values.iter());
            for (what, pattern) in
                std::iter::once(("regex", &r.regex)).chain(allow.map(|v| ("allowlist regex", v)))
            {
                // the options `rules::compile::parse_syntax` parses with
                if let Err(e) = regex_syntax::ParserBuilder::new()
                    .unicode(false)
                    .utf8(false)
                    .build()
                    .parse(pattern)
                {
                    panic!("{rel}:{line}: rule '{}': invalid {what}: {e}", r.id);
                }
            }
        }
        all_rules.extend(rules.iter().cloned());
        // scan fields and docs apart: a scan parses only the first
        let mut rules = rules;
        let docs: Vec<syntax::RuleDocs> = rules.iter_mut().map(|r| r.take_docs()).collect();
        let with_lines: Vec<(usize, &syntax::RuleSyntax)> = rules
            .iter()
            .map(|r| (syntax::id_line(&text, &r.id), r))
            .collect();
        let json = serde_json::to_string(&with_lines).expect("rules serialise to JSON");
        docs_code.push_str(&format!(
            "    {:?},\n",
            serde_json::to_string(&docs).expect("docs serialise to JSON")
        ));
        code.push_str(&format!("    ({rel:?}, {json:?}),\n"));
    }
    code.push_str("];\n");
    docs_code.push_str("];\n");
    code.push_str(&docs_code);
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("builtin_rules.rs"), code).expect("write builtin_rules.rs");

    // The keyword automaton of the built-in rules, laid out as the scanner
    // walks it: the keywords lowercased, each once, in rule order (as
    // `RuleSet::compile` lists them; the scanner checks that they are equal
    // before it takes the table).
    let mut patterns: Vec<String> = Vec::new();
    for r in &all_rules {
        for k in &r.keywords {
            let k = k.to_ascii_lowercase();
            if !patterns.contains(&k) {
                patterns.push(k);
            }
        }
    }
    let (meta, transitions) = keywords::KeywordScanner::encode_table(&patterns)
        .unwrap_or_else(|e| panic!("built-in keyword automaton: {e}"));
    let meta_path = Path::new(&out_dir).join("builtin_keyword_meta.bin");
    fs::write(&meta_path, meta).expect("write builtin_keyword_meta.bin");
    // the transitions as a `u32` array literal: borrowed as they are at run
    // time, aligned and typed, with no decoding and no unsafe cast
    let mut numbers = String::with_capacity(transitions.len() * 7);
    for (i, t) in transitions.iter().enumerate() {
        numbers.push_str(&t.to_string());
        numbers.push_str(if i % 32 == 31 { ",\n" } else { "," });
    }
    let kw_code = format!(
        "/// The built-in rules' keywords, in the order of the table's patterns.\n\
         pub static BUILTIN_KEYWORDS: &[&str] = &{patterns:?};\n\
         /// The built-in keyword table's header, byte classes and match lists.\n\
         pub static BUILTIN_KEYWORD_META: &[u8] = include_bytes!({:?});\n\
         /// The built-in keyword table's transitions.\n\
         pub static BUILTIN_KEYWORD_TRANSITIONS: &[u32] = &[\n{numbers}];\n",
        meta_path.to_string_lossy()
    );
    fs::write(Path::new(&out_dir).join("builtin_keywords.rs"), kw_code)
        .expect("write builtin_keywords.rs");
}
