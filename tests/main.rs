//! One integration-test binary; one module per area. Every test drives the
//! real `credsweep` binary on inputs built at test time.

mod adversarial;
mod common;
mod confidence;
mod config;
mod corpus;
mod data_safety;
mod detect;
mod generic_rules;
mod git;
mod k8s;
mod logs;
mod network;
mod no_leak;
mod precision;
mod readme;
mod rule_docs;
mod rules_library;
mod scan;
mod small;
