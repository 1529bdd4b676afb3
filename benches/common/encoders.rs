//! The encoders as the encode benchmarks drive them: sse-wire, axum's
//! `Event` and sse-stream's encoder, over the same events.
#![allow(dead_code)]

use axum::response::sse::{Event as AxumEvent, Sse as AxumSse};
use axum::response::IntoResponse;
use futures::stream;
use sse_wire::encode::{Event, EventId, EventType};
use std::convert::Infallible;

const UPDATE: EventType<'static> = EventType::from_static("update");

/// One case: events as (id, data), each with the event type `update`.
pub struct Case {
    pub name: &'static str,
    pub events: Vec<(String, String)>,
}

pub fn cases() -> Vec<Case> {
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

pub fn ours(events: &[(String, String)], out: &mut Vec<u8>) -> usize {
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

/// sse-wire through a response body, as a server sends: each event encoded
/// to one `Bytes` (`Event::to_bytes`), the stream of them wrapped in the
/// same axum `Body` and drained the same way as [`axum`]'s: equal work.
pub fn ours_body(events: &[(String, String)]) -> usize {
    let frames: Vec<_> = events
        .iter()
        .map(|(id, data)| {
            let id = EventId::new(id).expect("valid id");
            Ok::<_, Infallible>(Event::new().event_type(UPDATE).id(id).data(data).to_bytes())
        })
        .collect();
    let body = axum::body::Body::from_stream(stream::iter(frames));
    futures::executor::block_on_stream(body.into_data_stream())
        .map(|frame| frame.map_or(0, |bytes| bytes.len()))
        .sum()
}

/// sse-wire encoding each event to its own `Bytes`, with no body around
/// them: what a broadcast hub does once per event.
pub fn ours_bytes(events: &[(String, String)]) -> usize {
    events
        .iter()
        .map(|(id, data)| {
            let id = EventId::new(id).expect("valid id");
            Event::new()
                .event_type(UPDATE)
                .id(id)
                .data(data)
                .to_bytes()
                .len()
        })
        .sum()
}

pub fn axum(events: &[(String, String)]) -> usize {
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

pub fn sse_stream(events: &[(String, String)]) -> usize {
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
