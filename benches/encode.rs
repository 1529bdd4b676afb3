//! Encoding throughput: sse-wire against axum's `Event` and sse-stream's
//! encoder, and a plain copy of the payload. Equal work first: sse-wire and
//! axum each through a response body (`sse-wire body` against `axum`), and
//! sse-wire and sse-stream each making one buffer per event. Then sse-wire
//! writing every event into one reused `Vec`, the cheapest way it can be
//! used. Run: `cargo bench -p sse-wire-benches --bench encode`.

#[path = "common/encoders.rs"]
mod encoders;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use encoders::{axum, cases, ours, ours_body, ours_bytes, sse_stream};
use std::time::Duration;

fn encode(c: &mut Criterion) {
    for case in cases() {
        let mut out = Vec::new();
        let len = ours(&case.events, &mut out);
        let mut group = c.benchmark_group(format!("encode/{}", case.name));
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function("sse-wire body", |b| {
            b.iter(|| ours_body(black_box(&case.events)))
        });
        group.bench_function("sse-wire bytes per event", |b| {
            b.iter(|| ours_bytes(black_box(&case.events)))
        });
        group.bench_function("sse-wire into one Vec", |b| {
            b.iter(|| ours(black_box(&case.events), &mut out))
        });
        assert_eq!(ours_body(&case.events), len);
        assert_eq!(ours_bytes(&case.events), len);
        for (name, got) in [
            ("axum", axum(&case.events)),
            ("sse-stream", sse_stream(&case.events)),
        ] {
            if got != len {
                eprintln!(
                    "NOTE: {name} writes {got} bytes for {}, sse-wire {len}",
                    case.name
                );
            }
        }
        group.bench_function("axum", |b| b.iter(|| axum(black_box(&case.events))));
        group.bench_function("sse-stream", |b| {
            b.iter(|| sse_stream(black_box(&case.events)))
        });
        let payload: Vec<u8> = case.events.iter().flat_map(|(_, d)| d.bytes()).collect();
        let mut copy = vec![0u8; payload.len()];
        group.bench_function("baseline copy", |b| {
            b.iter(|| {
                copy.copy_from_slice(black_box(&payload));
                black_box(&copy);
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
    targets = encode
}
criterion_main!(benches);
