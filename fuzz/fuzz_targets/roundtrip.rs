//! An arbitrary event, encoded and decoded, comes back the same.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sse_wire::decode::Config;
use sse_wire::encode::{Event, EventId, EventType};
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
    let (Ok(event_type), Ok(id)) = (EventType::new(&input.event_type), EventId::new(&input.id))
    else {
        return;
    };
    let mut event = Event::new().event_type(event_type).id(id).data(&input.data);
    if let Some(comment) = &input.comment {
        event = event.comment(comment);
    }
    let mut expected = Vec::new();
    if let Some(retry) = input.retry {
        event = event.retry_ms(retry);
        expected.push(Out::Retry(retry));
    }
    expected.push(Out::Event {
        event_type: if input.event_type.is_empty() {
            "message".into()
        } else {
            input.event_type.clone()
        },
        data: input.data.replace("\r\n", "\n").replace('\r', "\n"),
        id: input.id.clone(),
    });
    let wire = event.to_vec();
    let config = Config::new()
        .max_line_len(usize::MAX)
        .max_event_size(usize::MAX);
    for (layer, decode) in support::LAYERS {
        assert_eq!(decode(config, b"", &[&wire]), expected, "{layer}");
    }
});
