//! Library errors. Each variant carries what the user needs to fix the input:
//! the file, the line and, for rules, the rule id. They display as
//! `path:line:col: message`, the shape compilers and editors understand.

use std::path::PathBuf;

/// Errors the library returns; `main` turns any of them into exit status 2.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule file that is not valid YAML or not a list of rules.
    #[error("{}:{line}:{col}: invalid rule file: {msg}", path.display())]
    RuleFile {
        path: PathBuf,
        line: usize,
        col: usize,
        msg: String,
    },
    /// A rule that parses but is wrong (bad regex, bad severity, no keywords…).
    #[error("{}:{line}: rule '{id}': {msg}", path.display())]
    Rule {
        path: PathBuf,
        line: usize,
        id: String,
        msg: String,
    },
    /// A config file with an unknown key or a bad value.
    #[error("{}:{line}:{col}: invalid config: {msg}", path.display())]
    Config {
        path: PathBuf,
        line: usize,
        col: usize,
        msg: String,
    },
    /// A baseline file that is not valid JSON or not a credsweep baseline.
    #[error("{}:{line}:{col}: invalid baseline: {msg}", path.display())]
    Baseline {
        path: PathBuf,
        line: usize,
        col: usize,
        msg: String,
    },
    /// A file or folder that cannot be read where the scan cannot go on.
    /// Displays as the path; the I/O error is its `source`, so `{:#}` prints
    /// `path: reason` once.
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Anything else the user must act on.
    #[error("{0}")]
    Other(String),
}

/// Library result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
