//! Arbitrary builder input: a typed error, or output that conforms to the
//! grammar and matches `encoded_len` on every output path.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_wire::encode::{Event, EventId, EventType};
use sse_wire::grammar;
use std::time::Duration;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    event_type: Option<&'a str>,
    id: Option<&'a str>,
    data: Option<&'a str>,
    comment: Option<&'a str>,
    retry: Option<u64>,
    short_by: u8,
}

fuzz_target!(|input: Input<'_>| {
    let mut event = Event::new();
    if let Some(value) = input.event_type {
        let first_bad = value.bytes().position(|b| matches!(b, b'\r' | b'\n'));
        match EventType::new(value) {
            Ok(t) => {
                assert_eq!(first_bad, None);
                event = event.event_type(t);
            }
            Err(e) => {
                assert_eq!(Some(e.at()), first_bad);
                assert_eq!(e.byte(), value.as_bytes()[e.at()]);
                return;
            }
        }
    }
    if let Some(value) = input.id {
        let first_bad = value.bytes().position(|b| matches!(b, b'\r' | b'\n' | 0));
        match EventId::new(value) {
            Ok(id) => {
                assert_eq!(first_bad, None);
                event = event.id(id);
            }
            Err(e) => {
                assert_eq!(Some(e.at()), first_bad);
                assert_eq!(e.byte(), value.as_bytes()[e.at()]);
                return;
            }
        }
    }
    if let Some(data) = input.data {
        event = event.data(data);
    }
    if let Some(comment) = input.comment {
        event = event.comment(comment);
    }
    if let Some(retry) = input.retry {
        event = event.retry(Duration::from_millis(retry));
    }
    let wire = event.to_vec();
    assert_eq!(wire.len(), event.encoded_len());
    assert_eq!(wire, event.to_string().as_bytes());
    assert_eq!(event.to_bytes(), wire);
    // A comment alone has no blank line; it conforms once an event follows.
    let mut stream = wire.clone();
    stream.extend_from_slice(b"\n");
    assert_eq!(grammar::check(&stream), Ok(()));
    if event.data(" ").encoded_len() > 0 && !wire.is_empty() && input.short_by > 0 {
        let short = wire.len().saturating_sub(input.short_by as usize);
        let mut out = vec![0xAA; short];
        assert!(event.write_to_slice(&mut out).is_err());
        assert!(out.iter().all(|&b| b == 0xAA));
    }
});
