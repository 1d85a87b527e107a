//! One integration-test binary; one module per area. Every test drives the
//! real `credsweep` binary on inputs built at test time.

mod common;
mod detect;
mod scan;
