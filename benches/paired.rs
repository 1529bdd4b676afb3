//! The ratios of issue 4's targets, measured in pairs: the two sides of a
//! ratio run in turn, one pass each, many times over, and the ratio is the
//! median of the per-pair ratios. A stretch of noise on a shared machine
//! then slows both sides of the pairs it covers, where in the criterion
//! groups it can fall on one benchmark and not on the other.
//!
//! Run: `cargo bench -p sse-wire-benches --bench paired`. It prints a Markdown
//! table; `SSE_WIRE_PAIRED_SECS` sets the seconds per row (default 2), and
//! `-- TEXT` keeps only the rows whose name holds TEXT.

mod common;
#[path = "common/encoders.rs"]
mod encoders;

use bytes::Bytes;
use common::layers::{
    bytes_text, bytes_view, chunk, core_bytes_text, core_text, core_view, core_whole,
    core_whole_text, push, push_owned, push_view, refcounts, stream_adapter, Decode,
};
use common::{corpora, peers};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// One row: how many times faster `ours` is than `base`, against a target.
struct Row {
    what: String,
    target: f64,
    ratios: Vec<f64>,
}

/// Runs `ours` and `base` in turn, one pass each, for about `budget`,
/// alternating which goes first, and returns time(base) / time(ours) for
/// each pair (after a few pairs of warm-up).
fn pairs(
    ours: &mut dyn FnMut() -> usize,
    base: &mut dyn FnMut() -> usize,
    budget: Duration,
) -> Vec<f64> {
    let time = |f: &mut dyn FnMut() -> usize| {
        let start = Instant::now();
        black_box(f());
        start.elapsed().as_secs_f64()
    };
    for _ in 0..3 {
        time(ours);
        time(base);
    }
    let mut ratios = Vec::new();
    let start = Instant::now();
    while ratios.len() < 20 || start.elapsed() < budget {
        let (t_ours, t_base) = if ratios.len() % 2 == 0 {
            let t = time(ours);
            (t, time(base))
        } else {
            let t = time(base);
            (time(ours), t)
        };
        ratios.push(t_base / t_ours);
    }
    ratios
}

/// The value at quantile `q` of sorted `values`.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let budget = Duration::from_secs_f64(
        std::env::var("SSE_WIRE_PAIRED_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2.0),
    );
    // `cargo bench --bench paired -- TEXT` keeps the rows whose name holds
    // TEXT.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let mut rows = Vec::new();
    let mut row = |what: String,
                   target: f64,
                   ours: &mut dyn FnMut() -> usize,
                   base: &mut dyn FnMut() -> usize| {
        if filter.iter().all(|text| what.contains(text.as_str())) {
            let ratios = pairs(ours, base, budget);
            rows.push(Row {
                what,
                target,
                ratios,
            });
        }
    };
    // Equal work first: each layer delivering each event's data as text, as
    // the peers do. Then the bytes views, what a consumer that parses bytes
    // pays, and the core over a byte buffer, its data taken as text (one
    // line checked on its own, data of several lines joined and checked
    // once). The targets are held by the text rows of the core and push
    // layers; the other rows carry them for comparison.
    let layers: [(&str, Decode); 8] = [
        ("core text", core_text),
        ("push text", push),
        ("bytes text", bytes_text),
        ("core over bytes, text", core_bytes_text),
        ("core view", core_view),
        ("core view inline-id", common::layers::core_view_inline),
        ("push view", push_view),
        ("bytes view", bytes_view),
    ];

    for corpus in corpora::all() {
        let whole = Bytes::from(corpus.bytes.clone());
        let expected = (corpus.events, corpus.data_len);
        let target = match corpus.name {
            "llm-tokens" | "multiline" | "full-fields" | "crlf" => Some(2.0),
            "large-payload" => Some(1.3),
            _ => None,
        };
        // Decode at least 2× (1.3×) sse-core at 1460-byte and 64 KiB chunks.
        for (chunking, size) in [("1460", 1460), ("64KiB", 64 << 10)] {
            let Some(target) = target else { break };
            let chunks = chunk(&whole, size);
            for (layer, decode) in layers {
                assert_eq!(
                    decode(&chunks),
                    expected,
                    "{layer} on {}/{chunking}",
                    corpus.name
                );
                row(
                    format!("{} {chunking}: {layer} ÷ sse-core", corpus.name),
                    target,
                    &mut || decode(black_box(&chunks)).1,
                    &mut || peers::sse_core(black_box(&chunks)).1,
                );
            }
            // The fastest a `Bytes` layer could be: the core's work plus
            // the reference counts of its chunks and values. Exact where
            // an event keeps one value, its data, from one line.
            if matches!(corpus.name, "llm-tokens" | "crlf" | "large-payload") {
                assert_eq!(refcounts(&chunks, corpus.events), corpus.events);
                row(
                    format!("{} {chunking}: (core + refcounts) ÷ sse-core", corpus.name),
                    target,
                    &mut || {
                        core_view(black_box(&chunks)).1
                            + refcounts(black_box(&chunks), corpus.events)
                    },
                    &mut || peers::sse_core(black_box(&chunks)).1,
                );
            }
        }
        // The `stream` adapter, each event owned with its data a `String`:
        // at least 3× eventsource-stream and 1.5× sseer on llm-tokens at
        // 1460-byte chunks, and within 0.8 of the push layer driven
        // directly making the same owned events (time(push) ÷
        // time(stream)); against the push layer lending `&str`, what the
        // owned events cost, for information.
        if target.is_some() {
            let chunks = chunk(&whole, 1460);
            assert_eq!(
                stream_adapter(&chunks),
                expected,
                "stream on {}",
                corpus.name
            );
            let llm = corpus.name == "llm-tokens";
            for (peer, goal, base) in [
                (
                    "eventsource-stream",
                    3.0,
                    peers::eventsource_stream as Decode,
                ),
                ("sseer", 1.5, peers::sseer as Decode),
                ("push owned", 0.8, push_owned as Decode),
                ("push text", 0.0, push as Decode),
            ] {
                assert_eq!(base(&chunks).0, expected.0, "{peer} on {}", corpus.name);
                row(
                    format!("{} 1460: stream ÷ {peer}", corpus.name),
                    if llm || peer == "push owned" {
                        goal
                    } else {
                        0.0
                    },
                    &mut || stream_adapter(black_box(&chunks)).1,
                    &mut || base(black_box(&chunks)).1,
                );
            }
        }
        // At least half the memchr2 baseline on llm-tokens in one buffer.
        if corpus.name == "llm-tokens" {
            row(
                "llm-tokens whole: core view ÷ memchr2".into(),
                0.5,
                &mut || core_whole(black_box(&whole)).1,
                &mut || memchr::memchr2_iter(b'\n', b'\r', black_box(&whole)).count(),
            );
            row(
                "llm-tokens whole: core text ÷ memchr2".into(),
                0.5,
                &mut || core_whole_text(black_box(&whole)).1,
                &mut || memchr::memchr2_iter(b'\n', b'\r', black_box(&whole)).count(),
            );
        }
        // 10-byte chunks at least half as fast as 1460-byte chunks.
        let tens = chunk(&whole, 10);
        let segments = chunk(&whole, 1460);
        for (layer, decode) in [layers[0], layers[1], layers[7]] {
            row(
                format!("{} 10 ÷ 1460: {layer}", corpus.name),
                0.5,
                &mut || decode(black_box(&tens)).1,
                &mut || decode(black_box(&segments)).1,
            );
        }
    }

    for case in encoders::cases() {
        let mut out = Vec::new();
        match case.name {
            // At least 2× axum's `Event` on small events, both through a
            // response body (equal work); then sse-wire into one `Vec`.
            "small-events" => {
                row(
                    "encode small events: sse-wire body ÷ axum body".into(),
                    2.0,
                    &mut || encoders::ours_body(black_box(&case.events)),
                    &mut || encoders::axum(black_box(&case.events)),
                );
                row(
                    "encode small events: sse-wire into one Vec ÷ axum body".into(),
                    2.0,
                    &mut || encoders::ours(black_box(&case.events), &mut out),
                    &mut || encoders::axum(black_box(&case.events)),
                );
            }
            // Within 0.7 of a copy of the payload on a 64 KiB value.
            "64KiB-value" => {
                let payload: Vec<u8> = case.events.iter().flat_map(|(_, d)| d.bytes()).collect();
                let mut copy = vec![0; payload.len()];
                row(
                    "encode 64 KiB value: sse-wire ÷ copy".into(),
                    0.7,
                    &mut || encoders::ours(black_box(&case.events), &mut out),
                    &mut || {
                        copy.copy_from_slice(black_box(&payload));
                        black_box(&copy).len()
                    },
                );
            }
            _ => {}
        }
    }

    println!("| ratio | target | median | 10th–90th percentile | pairs | met |");
    println!("| --- | ---: | ---: | ---: | ---: | --- |");
    for Row {
        what,
        target,
        mut ratios,
    } in rows
    {
        ratios.sort_by(f64::total_cmp);
        let median = quantile(&ratios, 0.5);
        // A row without a target (0) is there for information.
        let (target, met) = match target {
            0.0 => ("–".to_owned(), "–"),
            _ if median >= target => (target.to_string(), "yes"),
            _ => (target.to_string(), "no"),
        };
        println!(
            "| {what} | {target} | {median:.2} | {:.2}–{:.2} | {} | {met} |",
            quantile(&ratios, 0.1),
            quantile(&ratios, 0.9),
            ratios.len(),
        );
    }
}
