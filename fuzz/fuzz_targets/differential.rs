//! Every layer against the reference model of RULES.md (the same model the
//! property tests use, `tests/support/model.rs`): items and end of stream,
//! with and without comment reporting.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;
use sse_wire::decode::Config;

fuzz_target!(|input: &[u8]| {
    for comments in [false, true] {
        let expected = support::model::decode_with(input, "", comments);
        let config = Config::new().comments(comments);
        for &(layer, decode) in support::LAYERS {
            assert_eq!(decode(config, b"", &[input]), expected, "{layer}");
        }
    }
});
