//! A server: write a response head and a few events to standard output.
//!
//! `cargo run --example encode_events`

use sse_wire::encode::{Event, EventId, EventType, KEEP_ALIVE, PADDING};
use sse_wire::headers::RESPONSE_HEADERS;
use std::io::Write;
use std::time::Duration;

const TICK: EventType<'static> = EventType::from_static("tick");

fn main() -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for (name, value) in RESPONSE_HEADERS {
        writeln!(out, "{name}: {value}")?;
    }
    writeln!(out)?;
    let mut body = Vec::new();
    body.extend_from_slice(&PADDING.as_bytes()[..8]); // the real one is 2 KiB
    body.extend_from_slice(b"...\n");
    Event::new()
        .retry(Duration::from_secs(5))
        .write_to_vec(&mut body);
    for n in 1..=3 {
        // A number makes an ID that needs no check.
        let id = EventId::from_u64(n);
        let data = format!("tick {n}\nsecond line");
        Event::new()
            .event_type(TICK)
            .id(id)
            .data(&data)
            .write_to_vec(&mut body);
        body.extend_from_slice(KEEP_ALIVE.as_bytes());
    }
    out.write_all(&body)?;
    out.flush()
}
