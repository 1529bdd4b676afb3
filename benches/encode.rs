//! Encoding throughput: sse-wire against axum's `Event` and sse-stream's
//! encoder, and a plain copy of the payload. Run: `cargo bench --bench encode`.

use axum::response::sse::{Event as AxumEvent, Sse as AxumSse};
use axum::response::IntoResponse;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use futures::stream;
use sse_wire::encode::{Event, EventId, EventType};
use std::convert::Infallible;
use std::time::Duration;

const UPDATE: EventType<'static> = EventType::from_static("update");

/// One case: events as (event type, id, data).
struct Case {
    name: &'static str,
    events: Vec<(String, String)>,
}

fn cases() -> Vec<Case> {
    let small = (0..1000)
        .map(|n| (n.to_string(), format!("{{\"n\":{n},\"ok\":true}}")))
        .collect();
    let big: String = (0..64 * 1024)
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    let multiline: String = (0..16).map(|i| format!("{:-<40}\n", i)).collect::<String>();
    vec![
        Case {
            name: "small-events",
            events: small,
        },
        Case {
            name: "64KiB-value",
            events: vec![("1".into(), big)],
        },
        Case {
            name: "multiline",
            events: (0..100)
                .map(|n| (n.to_string(), multiline.clone()))
                .collect(),
        },
    ]
}

fn ours(events: &[(String, String)], out: &mut Vec<u8>) -> usize {
    out.clear();
    for (id, data) in events {
        let id = EventId::new(id).expect("valid id");
        Event::new()
            .event_type(UPDATE)
            .id(id)
            .data(data)
            .write_to_vec(out);
    }
    out.len()
}

fn axum(events: &[(String, String)]) -> usize {
    // axum writes each field as it is set; `Sse` then frames the events.
    let events: Vec<_> = events
        .iter()
        .map(|(id, data)| {
            Ok::<_, Infallible>(AxumEvent::default().event("update").id(id).data(data))
        })
        .collect();
    let body = AxumSse::new(stream::iter(events))
        .into_response()
        .into_body();
    futures::executor::block_on_stream(body.into_data_stream())
        .map(|frame| frame.map_or(0, |bytes| bytes.len()))
        .sum()
}

fn sse_stream(events: &[(String, String)]) -> usize {
    events
        .iter()
        .map(|(id, data)| {
            sse_stream::Sse::default()
                .event("update")
                .id(id.as_str())
                .data(data.as_str())
                .encode()
                .expect("valid event")
                .len()
        })
        .sum()
}

fn encode(c: &mut Criterion) {
    for case in cases() {
        let mut out = Vec::new();
        let len = ours(&case.events, &mut out);
        let mut group = c.benchmark_group(format!("encode/{}", case.name));
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function("sse-wire", |b| {
            b.iter(|| ours(black_box(&case.events), &mut out))
        });
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
