//! Every layer against the reference model of RULES.md (the same model the
//! property tests use, `tests/support/model.rs`).
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;
use sse_wire::decode::Config;

fuzz_target!(|input: &[u8]| {
    let expected = support::model::decode(input, "");
    for (layer, decode) in support::LAYERS {
        assert_eq!(decode(Config::new(), b"", &[input]), expected, "{layer}");
    }
});
