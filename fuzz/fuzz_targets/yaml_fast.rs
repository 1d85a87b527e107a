//! The manifest YAML parser's byte-oriented fast path against yaml_rust2 on
//! arbitrary text: whenever the fast path takes a text, yaml_rust2 must
//! accept it too, with the same events at the same positions, and the tree
//! built with the fast path must equal the one built without it.
#![no_main]

use credsweep::detectors::k8s::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = yaml::fast_path_check(text, yaml::Limits::default()) {
        panic!("{text:?}: {e}");
    }
});
