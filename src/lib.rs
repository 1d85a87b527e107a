//! credsweep: a secrets hygiene scanner.
//!
//! The pipeline, one folder per stage:
//!
//! ```text
//!  sources/      files, stdin, gzip, git  ──►  Blob { path, bytes }
//!     │
//!  detectors/    keyword prefilter → rule regex → entropy → validator ──► Finding
//!     │          (+ base64 values decoded once and rescanned, global
//!     │          false-positive lists, inline ignores while the bytes are at hand)
//!  filters/      min severity, --only, config allowlists, baselines (drop only)
//!     │
//!  reporters/    text | json | jsonl | sarif  ──►  io::Write
//! ```
//!
//! [`rules`] loads and compiles the YAML rules the detectors run; [`finding`]
//! is the type every stage shares; [`mask`] is the only place a secret becomes
//! printable; [`config`] reads `.credsweep.yaml`; [`cli`] wires the stages
//! per subcommand.

pub mod cli;
pub mod config;
pub mod detectors;
pub mod error;
pub mod filters;
pub mod finding;
pub mod mask;
pub mod paths;
pub mod redact;
pub mod reporters;
pub mod rules;
pub mod sources;
pub mod stats;
pub mod yaml_depth;
