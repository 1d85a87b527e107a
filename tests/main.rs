//! One integration-test binary; one module per area. Every test drives the
//! real `credsweep` binary on inputs built at test time.

mod common;
mod config;
mod corpus;
mod detect;
mod generic_rules;
mod git;
mod k8s;
mod logs;
mod rule_docs;
mod rules_library;
mod scan;
