//! Arbitrary bytes through every decoder layer, with and without comment
//! reporting: no panic, and the layers agree with each other.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;
use sse_wire::decode::Config;

fuzz_target!(|input: &[u8]| {
    for config in [Config::new(), Config::new().comments(true)] {
        let [(_, first), rest @ ..] = support::LAYERS;
        let expected = first(config, b"", &[input]);
        for (layer, decode) in rest {
            assert_eq!(decode(config, b"", &[input]), expected, "{layer}");
        }
    }
});
