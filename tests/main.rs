//! One integration-test binary; one module per area. Every test drives the
//! real `credsweep` binary on inputs built at test time.

mod common;
mod rules_library;
mod config;
mod k8s;
mod git;
mod scan;
mod corpus;
mod rule_docs;
