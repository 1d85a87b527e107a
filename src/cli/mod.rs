//! The command line: clap definitions (help text lives here, once, and feeds
//! `--help`, the man page and completions), and [`run`], which dispatches to
//! one module per subcommand. Nothing here reads scan inputs.

pub mod completions;
pub mod config;
pub mod git;
pub mod guard;
pub mod output;
pub mod redact;
pub mod rules;
pub mod scan;
pub mod settings;

use crate::detectors::Only;
use crate::finding::{Confidence, Severity};
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
///
/// Examples:
///   credsweep scan .
///   credsweep scan --baseline .credsweep-baseline.json --fail-on-empty
///   credsweep config init
///   credsweep rules explain github-pat
#[derive(Debug, Parser)]
#[command(
    name = "credsweep",
    version,
    propagate_version = true,
    verbatim_doc_comment
)]
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
    /// Scan git history: every commit reachable from any ref, each unique
    /// blob once, findings attributed to the commit that introduced them.
    ///
    /// Examples:
    ///   credsweep git                       # whole history of the repo here
    ///   credsweep git --since origin/main   # CI: only what this branch adds
    ///   credsweep git --staged              # pre-commit: staged lines only
    #[command(verbatim_doc_comment)]
    Git(git::GitArgs),
    /// Copy input to standard output with every detected secret masked.
    ///
    /// Reads standard input when no FILE is given (`-` is standard input
    /// too). Each secret becomes `[REDACTED:<rule-id>]`; every other byte,
    /// line ending and invalid UTF-8 sequence is kept as it was. Streams with
    /// bounded memory and uses the same rules and ignores as `scan`, but masks
    /// every secret whatever its confidence (the config's `min_confidence`
    /// does not apply: a generic rule's guess is masked too). A `.gz`
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
    ///
    /// Examples:
    ///   credsweep rules list
    ///   credsweep rules test my-rules/
    ///   credsweep rules explain github-pat
    #[command(subcommand, verbatim_doc_comment)]
    Rules(RulesCommand),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    ///
    /// Examples:
    ///   credsweep completions bash > /etc/bash_completion.d/credsweep
    ///   credsweep completions zsh > "${fpath[1]}/_credsweep"
    ///   credsweep completions fish > ~/.config/fish/completions/credsweep.fish
    #[command(verbatim_doc_comment)]
    Completions {
        /// The shell to generate completions for.
        shell: clap_complete::Shell,
    },
    /// Create or check the `.credsweep.yaml` config file.
    ///
    /// Examples:
    ///   credsweep config init
    ///   credsweep config check ci/credsweep.yaml
    #[command(subcommand, verbatim_doc_comment)]
    Config(ConfigCommand),
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
    /// Report only findings at or above this confidence: `high` (an offline
    /// validator confirmed it, or the token carries its provider's own
    /// prefix; pod-security findings), `medium` (a provider rule that
    /// recognises the value by a name next to it) or `low` (everything,
    /// including generic assignment and password rules) [default: low, or
    /// the config's min_confidence].
    #[arg(long, value_name = "LEVEL", value_parser = parse_confidence)]
    pub min_confidence: Option<Confidence>,
    /// Report only one kind of finding.
    #[arg(long, value_enum)]
    pub only: Option<OnlyArg>,
    /// Number of worker threads [default: one per core].
    #[arg(
        short = 'j',
        long = "threads",
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true
    )]
    pub threads: usize,
    /// The folder SARIF artifact URIs are relative to (`originalUriBaseIds`
    /// `%SRCROOT%`) [default: the root of the git work tree holding the
    /// current folder (for `git`, the repository's), else the current
    /// folder]. Files outside it get absolute `file://` URIs.
    #[arg(long, value_name = "DIR")]
    pub sarif_base: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Help heading of [`PolicyArgs`].
const H: &str = "Accepting findings";

/// Config file, baselines and the empty-scan check (scanning commands).
#[derive(Debug, Clone, Args, Default)]
pub struct PolicyArgs {
    /// Read settings from FILE instead of the nearest `.credsweep.yaml` at
    /// or above the scan root, up to the repository root (`credsweep config
    /// init` writes a commented starter file).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config", help_heading = H)]
    pub config: Option<PathBuf>,
    /// Ignore `.credsweep.yaml` files.
    #[arg(long, help_heading = H)]
    pub no_config: bool,
    /// Hide findings recorded in this baseline file (matched by rule and a
    /// hash of the secret, so line moves and renames keep them hidden).
    #[arg(long, value_name = "FILE", help_heading = H)]
    pub baseline: Option<PathBuf>,
    /// Record the findings of this scan (after inline, config and flag
    /// filters, before --baseline) in FILE: JSON, sorted, one entry per line,
    /// hashes only. The report and exit status are unchanged.
    #[arg(long, value_name = "FILE", help_heading = H)]
    pub write_baseline: Option<PathBuf>,
    /// List --baseline entries that no longer match anything (on stderr).
    /// With --write-baseline, write the old baseline minus those entries
    /// instead of the current findings.
    #[arg(long, requires = "baseline", help_heading = H)]
    pub prune_baseline: bool,
    /// Exit 2 when nothing was scanned (no files, or zero bytes).
    #[arg(long, help_heading = H)]
    pub fail_on_empty: bool,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    Confidence::parse(s).ok_or_else(|| format!("unknown confidence '{s}' (high, medium, low)"))
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
    #[command(flatten)]
    pub pod_security: PodSecurityArgs,
}

/// `--pod-security-level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum PssLevelArg {
    /// Only the baseline Pod Security Standard (privileged, host
    /// namespaces, hostPath, added capabilities, …).
    Baseline,
    /// Baseline plus restricted (non-root, no privilege escalation, drop
    /// ALL capabilities, seccomp, volume types).
    #[default]
    Restricted,
}

/// Kubernetes pod-security options.
#[derive(Debug, Clone, Args, Default)]
pub struct PodSecurityArgs {
    /// Strictest Pod Security Standards level reported for Kubernetes
    /// manifests [default: restricted, or the config's pod_security.level].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub pod_security_level: Option<PssLevelArg>,
    /// Do not run the Kubernetes hygiene checks (literal secrets in env,
    /// unpinned images, missing limits, …).
    #[arg(long)]
    pub no_hygiene: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RedactArgs {
    /// Files to redact; none, or `-`, reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Read settings from FILE instead of the nearest `.credsweep.yaml` at
    /// or above the first FILE's folder (or the current folder), up to the
    /// repository root (rule dirs, disabled rules, `allow.values`,
    /// `allow.paths`).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore `.credsweep.yaml` files.
    #[arg(long)]
    pub no_config: bool,
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
    ///
    /// Examples:
    ///   credsweep rules list
    ///   credsweep rules list --rules security/rules --format json
    #[command(verbatim_doc_comment)]
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
    ///
    /// Examples:
    ///   credsweep rules test
    ///   credsweep rules test security/rules
    #[command(verbatim_doc_comment)]
    Test {
        /// A folder of rule files (or one file) to test.
        dir: Option<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show one rule's description, remediation and references.
    ///
    /// Example:
    ///   credsweep rules explain github-pat
    #[command(verbatim_doc_comment)]
    Explain {
        /// The rule id, e.g. `github-pat`.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a commented starter config file (never overwrites one).
    ///
    /// Examples:
    ///   credsweep config init
    ///   credsweep config init ci/credsweep.yaml
    #[command(verbatim_doc_comment)]
    Init {
        /// Where to write it.
        #[arg(default_value = ".credsweep.yaml")]
        path: PathBuf,
    },
    /// Check a config file: exit 0 if valid, 2 with `file:line:col` if not.
    ///
    /// Examples:
    ///   credsweep config check
    ///   credsweep config check ci/credsweep.yaml
    #[command(verbatim_doc_comment)]
    Check {
        /// The file to check (default: the nearest `.credsweep.yaml` here or
        /// above, up to the repository root).
        path: Option<PathBuf>,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Git(args) => git::run(args),
        Command::Redact(args) => redact::run(args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Config(cmd) => config::run(cmd),
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
    }
}
