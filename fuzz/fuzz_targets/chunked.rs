//! Arbitrary split points: every layer gives what it gives for the whole
//! (items, errors and end of stream),
//! with default or tiny limits (the event limit no smaller than the line
//! limit: `Config` documents the one case where the chunking may change
//! which limit is reported).
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_wire::decode::Config;

#[derive(Debug, Arbitrary)]
struct Split {
    input: Vec<u8>,
    cuts: Vec<u16>,
    comments: bool,
    limits: Option<(u8, u8)>,
}

fuzz_target!(|case: Split| {
    let mut cuts: Vec<usize> = case
        .cuts
        .iter()
        .map(|&c| c as usize % (case.input.len() + 1))
        .collect();
    cuts.sort_unstable();
    let chunks = support::split(&case.input, &cuts);
    let mut config = Config::new().comments(case.comments);
    if let Some((line, event)) = case.limits {
        config = config
            .max_line_len(line.into())
            .max_event_size(line.max(event).into());
    }
    for &(layer, decode) in support::LAYERS {
        assert_eq!(
            decode(config, b"", &chunks),
            decode(config, b"", &[&case.input]),
            "{layer}"
        );
    }
});
