//! Arbitrary bytes through every decoder layer, with and without comment
//! reporting: no panic, and the layers agree with each other, end of
//! stream included.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;
use sse_wire::decode::Config;

fuzz_target!(|input: &[u8]| {
    for config in [Config::new(), Config::new().comments(true)] {
        support::all_layers_agree(config, b"", &[input]);
    }
});
