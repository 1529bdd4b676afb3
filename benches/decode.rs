//! Decoding throughput: every sse-wire layer, six peer crates and two
//! baselines (memchr2 over the buffer, a plain copy) in the same groups,
//! on seven corpora in four chunkings. Run:
//! `cargo bench -p sse-wire-benches --bench decode`.

mod common;

use common::layers::{
    bytes_text, bytes_view, chunk, core_bytes_text, core_text, core_view, push, push_view, Decode,
};
use common::{corpora, peers};

use bytes::Bytes;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sse_wire::decode::{BytesDecoder, Config, Decoder, PushDecoder, Status};
use std::time::Duration;

/// Each layer delivering each event's data as text, as the peers do (equal
/// work), then the bytes views: what a consumer that parses bytes pays.
const LAYERS: [(&str, Decode); 7] = [
    ("sse-wire core text", core_text),
    ("sse-wire push text", push),
    ("sse-wire bytes text", bytes_text),
    ("sse-wire core over bytes text", core_bytes_text),
    ("sse-wire core view", core_view),
    ("sse-wire push view", push_view),
    ("sse-wire bytes view", bytes_view),
];

const PEERS: [(&str, Decode); 6] = [
    ("sse-core", peers::sse_core),
    ("sse-parse", peers::sse_parse),
    ("sse-stream", peers::sse_stream),
    ("sseer", peers::sseer),
    ("eventsource-stream", peers::eventsource_stream),
    ("async-sse", peers::async_sse),
];

const CHUNKINGS: [(&str, usize); 4] = [
    ("whole", 0),
    ("1460", 1460),
    ("64KiB", 64 * 1024),
    ("10", 10),
];

/// Appends each chunk to a buffer of fixed capacity, emptied when the next
/// chunk does not fit: the copy that a decoder returning each value as one
/// slice cannot avoid once lines span chunks, with no search at all.
fn append(chunks: &[Bytes]) -> usize {
    let mut buf = Vec::with_capacity(128 * 1024);
    for chunk in chunks {
        if buf.len() + chunk.len() > buf.capacity() {
            buf.clear();
        }
        buf.extend_from_slice(chunk);
        black_box(&buf);
    }
    buf.len()
}

fn decode(c: &mut Criterion) {
    for corpus in corpora::all() {
        let whole = Bytes::from(corpus.bytes.clone());
        let expected = (corpus.events, corpus.data_len);
        for (chunking, size) in CHUNKINGS {
            let chunks = chunk(&whole, size);
            let mut group = c.benchmark_group(format!("decode/{}/{chunking}", corpus.name));
            group.throughput(Throughput::Bytes(whole.len() as u64));
            for (name, decode) in LAYERS {
                assert_eq!(
                    decode(&chunks),
                    expected,
                    "{name} on {}/{chunking}",
                    corpus.name
                );
                group.bench_function(BenchmarkId::from_parameter(name), |b| {
                    b.iter(|| decode(black_box(&chunks)))
                });
            }
            for (name, decode) in PEERS {
                let got = decode(&chunks);
                if got != expected {
                    eprintln!("DISAGREES: {name} on {}/{chunking}: (events, data bytes) {got:?}, expected {expected:?}", corpus.name);
                }
                group.bench_function(BenchmarkId::from_parameter(name), |b| {
                    b.iter(|| decode(black_box(&chunks)))
                });
            }
            if size == 0 {
                // The floor for any parser that must find every line end,
                // and memory bandwidth.
                group.bench_function("baseline memchr2", |b| {
                    b.iter(|| memchr::memchr2_iter(b'\n', b'\r', black_box(&whole)).count())
                });
                let mut copy = vec![0u8; whole.len()];
                group.bench_function("baseline copy", |b| {
                    b.iter(|| {
                        copy.copy_from_slice(black_box(&whole));
                        black_box(&copy);
                    })
                });
            } else {
                // A floor for a per-chunk decoder that returns each value
                // as one slice: a line that spans chunks must be copied
                // together, and at 10-byte chunks almost every line does.
                group.bench_function("baseline append", |b| b.iter(|| append(black_box(&chunks))));
            }
            group.finish();
        }
    }
}

/// Linear time: a long line fed one byte at a time, against the same line
/// in one buffer; at 64 KiB and at 1 MiB, so that a cost growing with the
/// line's length would show.
fn linear(c: &mut Criterion) {
    for (name, size) in [("64KiB", 64 << 10), ("1MiB", 1 << 20)] {
        let mut line = b"data: ".to_vec();
        line.extend(std::iter::repeat_n(b'x', size));
        line.extend_from_slice(b"\n\n");
        let whole = Bytes::from(line);
        let bytewise = chunk(&whole, 1);
        let config = Config::new().max_line_len(2 << 20).max_event_size(2 << 20);
        let mut group = c.benchmark_group(format!("linear/{name}-line"));
        group.throughput(Throughput::Bytes(whole.len() as u64));
        group.bench_function("core whole", |b| {
            b.iter(|| {
                let mut decoder = Decoder::with_config(config);
                matches!(decoder.decode(black_box(&whole)), Ok(Status::Complete(_)))
            })
        });
        group.bench_function("core byte by byte", |b| {
            b.iter(|| {
                let mut decoder = Decoder::with_config(config);
                let mut events = 0;
                for end in 1..=whole.len() {
                    while let Ok(Status::Complete(_)) = decoder.decode(black_box(&whole[..end])) {
                        events += 1;
                    }
                }
                assert_eq!(events, 1);
            })
        });
        group.bench_function("push byte by byte", |b| {
            b.iter(|| {
                let mut decoder = PushDecoder::with_config(config);
                let mut events = 0;
                for byte in black_box(&whole).chunks(1) {
                    decoder.push(byte);
                    while decoder.next_item().is_some() {
                        events += 1;
                    }
                }
                assert_eq!(events, 1);
            })
        });
        group.bench_function("baseline append byte by byte", |b| {
            b.iter(|| {
                // What any call per byte that keeps the byte costs.
                let mut buf = Vec::with_capacity(whole.len());
                for byte in black_box(&whole).chunks(1) {
                    buf.extend_from_slice(black_box(byte));
                }
                buf.len()
            })
        });
        group.bench_function("bytes byte by byte", |b| {
            b.iter(|| {
                let mut decoder = BytesDecoder::with_config(config);
                let mut events = 0;
                for byte in black_box(&bytewise) {
                    decoder.push(byte.clone());
                    while decoder.next_item().is_some() {
                        events += 1;
                    }
                }
                assert_eq!(events, 1);
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = decode, linear
}
criterion_main!(benches);
