//! The command line: clap definitions (help text lives here, once, and feeds
//! `--help`, the man page and completions), and [`run`], which dispatches to
//! one module per subcommand. Nothing here reads scan inputs.

pub mod completions;
pub mod output;
pub mod redact;
pub mod rules;
pub mod scan;
pub mod settings;

use crate::detectors::Only;
use crate::finding::Severity;
use crate::reporters::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// What a command ended with; `main` maps it to an exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing found: exit 0.
    Clean,
    /// Findings: exit with this code (1, or `--exit-code`).
    Found(i32),
}

/// credsweep: find leaked secrets and overly broad pod security settings.
///
/// Scans files, folders, standard input and git history for credentials
/// (model API keys, cloud keys, tokens, private keys, database URLs) and
/// Kubernetes manifests for risky pod settings. Works offline; never prints a
/// whole secret unless asked.
///
/// Exit status: 0 nothing found, 1 findings (or --exit-code), 2 error.
#[derive(Debug, Parser)]
#[command(name = "credsweep", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders (default `.`); `-` reads standard input.
    ///
    /// Examples:
    ///   credsweep scan .
    ///   credsweep scan --format sarif -o credsweep.sarif src/ deploy/
    ///   kubectl logs my-pod | credsweep scan -
    #[command(verbatim_doc_comment)]
    Scan(ScanArgs),
    /// Copy input to standard output with every detected secret masked.
    ///
    /// Reads standard input when no FILE is given (`-` is standard input
    /// too). Each secret becomes `[REDACTED:<rule-id>]`; every other byte,
    /// line ending and invalid UTF-8 sequence is kept as it was. Streams with
    /// bounded memory and uses the same rules and ignores as `scan`. A `.gz`
    /// FILE is read decompressed (and, with --in-place, written back
    /// gzip-compressed).
    ///
    /// Exit status: 0 nothing redacted, 1 something redacted, 2 error.
    ///
    /// Examples:
    ///   kubectl logs my-pod | credsweep redact > clean.log
    ///   credsweep redact --in-place ci.log app.log.3.gz
    #[command(verbatim_doc_comment)]
    Redact(RedactArgs),
    /// List, test and explain rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    ///
    /// Example: credsweep completions bash > /etc/bash_completion.d/credsweep
    Completions {
        /// The shell to generate completions for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    ///
    /// Example: credsweep man > credsweep.1 && man ./credsweep.1
    Man,
}

/// Where rules come from.
#[derive(Debug, Clone, Args, Default)]
pub struct RuleArgs {
    /// Add rule files from DIR (a folder of YAML files, or one file). Repeatable;
    /// a rule with a built-in rule's id replaces it.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in rules.
    #[arg(long)]
    pub no_builtin_rules: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnlyArg {
    Secrets,
    PodSecurity,
}

impl From<Option<OnlyArg>> for Only {
    fn from(o: Option<OnlyArg>) -> Only {
        match o {
            None => Only::All,
            Some(OnlyArg::Secrets) => Only::Secrets,
            Some(OnlyArg::PodSecurity) => Only::PodSecurity,
        }
    }
}

/// Output and policy options shared by the scanning commands.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output (written
    /// atomically: a temporary file renamed into place).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print whole secrets instead of their masked form.
    #[arg(long)]
    pub show_secrets: bool,
    /// When to colour text output (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit status to use when findings are reported.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub exit_code: i32,
    /// Report only findings at or above this severity.
    #[arg(long, value_name = "LEVEL", value_parser = parse_severity)]
    pub min_severity: Option<Severity>,
    /// Report only one kind of finding.
    #[arg(long, value_enum)]
    pub only: Option<OnlyArg>,
    /// Number of worker threads (default: one per core).
    #[arg(short = 'j', long = "threads", value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("unknown severity '{s}' (critical, high, medium, low, info)"))
}

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Files or folders to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Skip files larger than this many bytes (suffixes K, M, G).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RedactArgs {
    /// Files to redact; none, or `-`, reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Rewrite each FILE in place instead of writing to standard output:
    /// the result goes to a temporary file in the same folder, is synced to
    /// disk and renamed over the original (permissions kept), so a failure
    /// or interruption never leaves a file half-written. Files with nothing
    /// to redact are left untouched.
    #[arg(long)]
    pub in_place: bool,
}

/// Parses `100`, `64K`, `100M`, `2G` (binary units).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&s[..s.len() - 1], 1024),
        Some('M') => (&s[..s.len() - 1], 1024 * 1024),
        Some('G') => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    num.parse::<u64>()
        .map(|n| n.saturating_mul(mult))
        .map_err(|_| format!("invalid size '{s}' (e.g. 512K, 100M, 2G)"))
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the loaded rules.
    List {
        #[command(flatten)]
        rules: RuleArgs,
        /// `text` or `json`.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check that every rule's examples match and its negative examples do not.
    ///
    /// With DIR, tests only the rules in DIR (plus any --rules); otherwise the
    /// built-in rules (and any --rules). Exit 1 if any expectation fails.
    Test {
        /// A folder of rule files (or one file) to test.
        dir: Option<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show one rule's description, remediation and references.
    Explain {
        /// The rule id, e.g. `github-pat`.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Redact(args) => redact::run(args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
    }
}
