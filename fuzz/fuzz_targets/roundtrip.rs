//! An arbitrary event, encoded and decoded, comes back the same.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_wire::decode::Config;
use sse_wire::encode::{Event, EventId, EventType};
use std::time::Duration;
use support::Out;

#[derive(Debug, Arbitrary)]
struct Input {
    event_type: String,
    id: String,
    data: String,
    comment: Option<String>,
    retry: Option<u64>,
}

fuzz_target!(|input: Input| {
    // Values made valid (the `encode` target checks the rejections), so
    // that every input makes a round trip.
    let event_type_value = input.event_type.replace(['\r', '\n'], "");
    let id_value = input.id.replace(['\r', '\n', '\0'], "");
    let event_type = EventType::new(&event_type_value).unwrap();
    let id = EventId::new(&id_value).unwrap();
    let mut event = Event::new().event_type(event_type).id(id).data(&input.data);
    if let Some(comment) = &input.comment {
        event = event.comment(comment);
    }
    let mut expected = Vec::new();
    if let Some(retry) = input.retry {
        let time = Duration::from_millis(retry);
        event = event.retry(time);
        expected.push(Out::Retry(time));
    }
    expected.push(Out::Event {
        event_type: if event_type_value.is_empty() {
            "message".into()
        } else {
            event_type_value.clone()
        },
        data: input.data.replace("\r\n", "\n").replace('\r', "\n"),
        id: id_value.clone(),
    });
    expected.push(Out::clean_end(&id_value));
    let wire = event.to_vec();
    let config = Config::new()
        .max_line_len(usize::MAX)
        .max_event_size(usize::MAX);
    for &(layer, decode) in support::LAYERS {
        assert_eq!(decode(config, b"", &[&wire]), expected, "{layer}");
    }
});
