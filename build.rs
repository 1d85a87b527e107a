//! Embeds every `rules/**/*.yaml` file into the binary, sorted by path, so the
//! built-in rules need no files at run time.
use std::{env, fs, path::Path};

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
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_rules.rs");
    fs::write(out, code).expect("write builtin_rules.rs");
}
