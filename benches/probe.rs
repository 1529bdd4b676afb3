//! One decoder driver on one corpus at one chunking, run a given number of
//! times: for instruction counts under callgrind, which are repeatable
//! where timings on a shared machine are not.
//!
//! `cargo bench -p sse-wire-benches --bench probe -- DRIVER CORPUS CHUNK [RUNS]`,
//! or the built binary under `valgrind --tool=callgrind`. DRIVER is one of
//! the names printed by a run without arguments.

mod common;

use bytes::Bytes;
use common::layers::{
    bytes_text, bytes_view, chunk, core_bytes_text, core_text, core_view, push, push_view, Decode,
};
use common::{corpora, peers};
use std::hint::black_box;

const DRIVERS: [(&str, Decode); 9] = [
    ("core-text", core_text),
    ("push-text", push),
    ("bytes-text", bytes_text),
    ("core-bytes-text", core_bytes_text),
    ("core-view", core_view),
    ("core-view-inline", common::layers::core_view_inline),
    ("push-view", push_view),
    ("bytes-view", bytes_view),
    ("sse-core", peers::sse_core),
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [driver, corpus, size, rest @ ..] = &args[..] else {
        let names: Vec<_> = DRIVERS.iter().map(|(n, _)| *n).collect();
        println!("usage: probe DRIVER CORPUS CHUNK [RUNS]; drivers: {names:?}");
        return;
    };
    let runs: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(1);
    let (_, decode) = DRIVERS
        .iter()
        .find(|(name, _)| name == driver)
        .expect("known driver");
    let corpus = corpora::all()
        .into_iter()
        .find(|c| c.name == corpus)
        .expect("known corpus");
    let chunks = chunk(
        &Bytes::from(corpus.bytes.clone()),
        size.parse().expect("chunk size"),
    );
    for _ in 0..runs {
        assert_eq!(decode(black_box(&chunks)), (corpus.events, corpus.data_len));
    }
    println!("{driver} {} {size} x{runs}: ok", corpus.name);
}
