//! Paths as the user sees them, and the folders they are relative to.
//!
//! A `scan` reports each file as the user can open it from where the command
//! ran, as ripgrep prints it: the scan argument joined with the path inside
//! it (`scan src/ deploy/` gives `src/config.py` and `deploy/config.py`),
//! with a leading `./` dropped (`scan .` gives `config.py`, `scan ./src`
//! gives `src/config.py`). `git` reports paths relative to the repository
//! root. Everything that needs another view of a finding's path (the
//! `allow.paths` patterns, relative to the config file's folder; SARIF URIs,
//! relative to `--sarif-base`) goes through [`absolute`]: the folder the
//! paths are relative to, joined with the path and normalised lexically.

use std::path::{Component, Path, PathBuf};

/// `root` as the prefix of the paths found under it: lossy UTF-8 with `/`
/// separators, leading `./` components and trailing slashes dropped (empty
/// for `.`). A root of `/` stays `/`.
pub fn display_root(root: &Path) -> String {
    let s = slashes(&root.to_string_lossy());
    let mut rest = s.as_str();
    loop {
        if rest == "." {
            rest = "";
        } else if let Some(r) = rest.strip_prefix("./") {
            rest = r.trim_start_matches('/');
            continue;
        }
        break;
    }
    let trimmed = rest.trim_end_matches('/');
    if trimmed.is_empty() && rest.starts_with('/') {
        return "/".to_string();
    }
    trimmed.to_string()
}

/// The display path of `rel` (relative, `/`-separated) under a root shown
/// as `prefix` ([`display_root`]).
pub fn join_display(prefix: &str, rel: &str) -> String {
    match prefix {
        "" => rel.to_string(),
        "/" => format!("/{rel}"),
        p => format!("{p}/{rel}"),
    }
}

/// `\` to `/` on Windows; unchanged elsewhere.
pub fn slashes(s: &str) -> String {
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.to_string()
    }
}

/// `path` made absolute against `base` (when relative) and normalised
/// lexically: `.` dropped, `..` taking off the component before it (never
/// above the root). Symbolic links are not resolved, so the result names
/// the file the way the user wrote it.
pub fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    normalize(&joined)
}

/// Lexical normalisation (see [`absolute`]).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The current folder, absolute.
pub fn current_dir() -> anyhow::Result<PathBuf> {
    use anyhow::Context;
    std::env::current_dir().context("reading the current folder")
}

/// `path` relative to `base` with `/` separators (both absolute and
/// normalised); `None` when `path` is not inside `base`.
pub fn relative_inside(path: &Path, base: &Path) -> Option<String> {
    path.strip_prefix(base)
        .ok()
        .map(|rest| slashes(&rest.to_string_lossy()))
}

/// How to name `path` (absolute, normalised) to a user in `cwd`: relative
/// when inside `cwd` (`.credsweep.yaml`, `sub/.credsweep.yaml`), `../…` when
/// it sits in a folder above `cwd` (`../../.credsweep.yaml`), absolute
/// otherwise.
pub fn for_humans(path: &Path, cwd: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix(cwd) {
        return rest.to_path_buf();
    }
    let mut up = PathBuf::new();
    for dir in cwd.ancestors().skip(1) {
        up.push("..");
        if path.parent() == Some(dir)
            && let Some(name) = path.file_name()
        {
            return up.join(name);
        }
    }
    path.to_path_buf()
}

/// The root of the git work tree holding `dir` (absolute): the nearest
/// folder at or above it with a `.git` entry (a folder, or the file of a
/// linked work tree or submodule).
pub fn work_tree_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_display_as_ripgrep_prints_them_without_leading_dot() {
        let d = |p: &str| display_root(Path::new(p));
        assert_eq!(d("."), "");
        assert_eq!(d("./"), "");
        assert_eq!(d("./src"), "src");
        assert_eq!(d("././src//"), "src");
        assert_eq!(d("src/"), "src");
        assert_eq!(d("src"), "src");
        assert_eq!(d("../other"), "../other");
        assert_eq!(d("/abs/dir/"), "/abs/dir");
        assert_eq!(d("/"), "/");
        assert_eq!(join_display("", "a/b.py"), "a/b.py");
        assert_eq!(join_display("src", "a.py"), "src/a.py");
        assert_eq!(join_display("/", "etc/x"), "/etc/x");
    }

    #[test]
    fn absolute_is_lexical() {
        let a = |b: &str, p: &str| absolute(Path::new(b), Path::new(p));
        assert_eq!(a("/w", "src/./a.py"), PathBuf::from("/w/src/a.py"));
        assert_eq!(a("/w/sub", "../a.py"), PathBuf::from("/w/a.py"));
        assert_eq!(a("/w", "/etc/x"), PathBuf::from("/etc/x"));
        assert_eq!(a("/", "../../x"), PathBuf::from("/x"));
        assert_eq!(
            relative_inside(Path::new("/w/src/a.py"), Path::new("/w")),
            Some("src/a.py".into())
        );
        assert_eq!(relative_inside(Path::new("/x/a"), Path::new("/w")), None);
    }

    #[test]
    fn humans_get_short_paths() {
        let h = |p: &str, cwd: &str| for_humans(Path::new(p), Path::new(cwd));
        assert_eq!(
            h("/w/.credsweep.yaml", "/w"),
            PathBuf::from(".credsweep.yaml")
        );
        assert_eq!(h("/w/s/.c", "/w"), PathBuf::from("s/.c"));
        assert_eq!(h("/w/.c", "/w/a/b"), PathBuf::from("../../.c"));
        assert_eq!(
            h("/.c", "/w/a/b/c/d/e"),
            PathBuf::from("../../../../../../.c")
        );
        assert_eq!(h("/x/.c", "/w/a"), PathBuf::from("/x/.c"));
    }
}
