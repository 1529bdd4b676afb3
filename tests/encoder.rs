//! The encoder: exact output, no injection, every output path the same,
//! and a decoder reading back what it wrote.

use sse_wire::decode::{Item, PushDecoder};
use sse_wire::encode::{Event, EventId, EventType, KEEP_ALIVE, PADDING};
use sse_wire::headers::{
    is_event_stream, last_event_id_value, LAST_EVENT_ID, MIME_TYPE, REQUEST_HEADERS,
    RESPONSE_HEADERS,
};
use std::time::Duration;

#[test]
fn fields_and_blank_line() {
    let event = Event::new()
        .comment("hi")
        .event_type(EventType::from_static("update"))
        .id(EventId::from_static("42"))
        .retry(Duration::from_millis(3000))
        .data("payload");
    assert_eq!(
        event.to_string(),
        ": hi\nevent: update\nid: 42\nretry: 3000\ndata: payload\n\n"
    );
}

#[test]
fn data_line_breaks_become_data_lines() {
    // G5/L3: CR, LF and CRLF all end a line; none may end up inside one.
    let event = Event::new().data("a\rb\nc\r\nd");
    assert_eq!(event.to_string(), "data: a\ndata: b\ndata: c\ndata: d\n\n");
    assert_eq!(
        Event::new().data("end\n").to_string(),
        "data: end\ndata:\n\n"
    );
    assert_eq!(
        Event::new().data("\r\n\r\n").to_string(),
        "data:\ndata:\ndata:\n\n"
    );
}

#[test]
fn empty_data_still_fires() {
    assert_eq!(Event::new().data("").to_string(), "data:\n\n");
}

#[test]
fn id_or_retry_alone() {
    assert_eq!(
        Event::new().id(EventId::new("7").unwrap()).to_string(),
        "id: 7\n\n"
    );
    assert_eq!(
        Event::new().id(EventId::new("").unwrap()).to_string(),
        "id:\n\n"
    );
    assert_eq!(
        Event::new().retry(Duration::from_secs(5)).to_string(),
        "retry: 5000\n\n"
    );
    assert_eq!(
        Event::new().retry(Duration::MAX).to_string(),
        "retry: 18446744073709551615\n\n"
    );
    // Whole milliseconds, rounded down.
    assert_eq!(
        Event::new().retry(Duration::from_micros(2999)).to_string(),
        "retry: 2\n\n"
    );
    assert_eq!(
        Event::new().retry(Duration::from_nanos(1)).to_string(),
        "retry: 0\n\n"
    );
}

#[test]
fn comment_only_has_no_blank_line() {
    assert_eq!(
        Event::new().comment("a\nb\r\nc").to_string(),
        ": a\n: b\n: c\n"
    );
    assert_eq!(Event::new().comment("").to_string(), ":\n");
    assert_eq!(Event::new().to_string(), "");
}

#[test]
fn event_type_and_id_reject_every_line_break() {
    for (value, byte, at) in [
        ("a\rb", b'\r', 1),
        ("a\nb", b'\n', 1),
        ("ab\r\n", b'\r', 2),
        ("\n", b'\n', 0),
    ] {
        let e = EventType::new(value).unwrap_err();
        assert_eq!((e.byte(), e.at()), (byte, at), "{value:?}");
        let e = EventId::new(value).unwrap_err();
        assert_eq!((e.byte(), e.at()), (byte, at), "{value:?}");
    }
    let e = EventId::new("a\0").unwrap_err();
    assert_eq!((e.byte(), e.at()), (0, 1));
    assert!(e.to_string().contains("NUL"));
    // NUL is allowed in an event type (F1 keeps it).
    assert!(EventType::new("a\0").is_ok());
    assert!(EventType::try_from("x\ny").is_err());
}

#[test]
#[should_panic(expected = "event type holds CR or LF")]
fn from_static_panics_on_a_line_break() {
    let _ = EventType::from_static("a\nb");
}

#[test]
fn every_output_path_writes_the_same_bytes() {
    let events = [
        Event::new(),
        Event::new().data(""),
        Event::new()
            .data("x\r\ny")
            .id(EventId::from_static("1"))
            .retry(Duration::ZERO),
        Event::new()
            .comment("c\rd")
            .event_type(EventType::from_static("t")),
        Event::new().data("ünïcödé 🎉"),
    ];
    for event in events {
        let text = event.to_string();
        assert_eq!(event.encoded_len(), text.len());
        assert_eq!(event.to_vec(), text.as_bytes());
        let mut slice = vec![0; text.len()];
        assert_eq!(event.write_to_slice(&mut slice), Ok(text.len()));
        assert_eq!(slice, text.as_bytes());
        let mut fmt = String::new();
        event.write_fmt_to(&mut fmt).unwrap();
        assert_eq!(fmt, text);
        #[cfg(feature = "bytes")]
        {
            let mut buf = bytes::BytesMut::new();
            event.put(&mut buf).unwrap();
            assert_eq!(buf, text.as_bytes());
            assert_eq!(event.to_bytes(), text.as_bytes());
        }
    }
}

#[test]
fn a_too_small_buffer_gets_nothing() {
    let event = Event::new().data("hello");
    let mut out = [0xAA; 8];
    assert_eq!(event.write_to_slice(&mut out).unwrap_err().needed, 13);
    assert_eq!(out, [0xAA; 8]);
    #[cfg(feature = "bytes")]
    {
        let mut fixed = [0u8; 8];
        assert!(event.put(&mut &mut fixed[..]).is_err());
        assert_eq!(fixed, [0; 8]);
    }
}

#[test]
fn numbered_ids() {
    assert_eq!(EventId::from_u64(0).as_str(), "0");
    assert_eq!(EventId::from_u64(42), EventId::new("42").unwrap());
    assert_eq!(EventId::from(u64::MAX).as_str(), "18446744073709551615");
    assert_eq!(
        Event::new()
            .id(EventId::from_u64(1007))
            .data("x")
            .to_string(),
        "id: 1007\ndata: x\n\n"
    );
    // `as_str` borrows the ID, which holds the digits itself.
    let id = EventId::from_u64(7);
    let text: &str = id.as_str();
    assert_eq!(text, "7");
}

#[test]
fn client_headers() {
    assert_eq!(LAST_EVENT_ID, "last-event-id");
    assert_eq!(
        REQUEST_HEADERS,
        [
            ("accept", "text/event-stream"),
            ("cache-control", "no-cache"),
            ("pragma", "no-cache"),
        ]
    );
    // C4: the MIME type essence, any case, parameters ignored.
    for yes in [
        &b"text/event-stream"[..],
        b"TEXT/EVENT-STREAM",
        b"text/event-stream;charset=utf-8",
        b" text/event-stream ; charset=latin1",
        b"text/event-stream\t",
    ] {
        assert!(is_event_stream(yes), "{:?}", String::from_utf8_lossy(yes));
    }
    for no in [
        &b""[..],
        b"text/plain",
        b"text/event-streams",
        b"text/event",
        b"application/json; text/event-stream",
        b"text/event stream",
    ] {
        assert!(!is_event_stream(no), "{:?}", String::from_utf8_lossy(no));
    }
    // C2: no header for an empty ID; the ID as it is otherwise, or an error
    // at the first byte a header value cannot hold as it is.
    assert_eq!(last_event_id_value(""), Ok(None));
    assert_eq!(last_event_id_value("42"), Ok(Some("42")));
    assert_eq!(
        last_event_id_value("\u{e9}t\u{e9}"),
        Ok(Some("\u{e9}t\u{e9}"))
    );
    // An ID that was not UTF-8 is sent as its text, U+FFFD and all (L1).
    let text = String::from_utf8_lossy(b"a\xFF");
    assert_eq!(last_event_id_value(&text), Ok(Some("a\u{FFFD}")));
    assert_eq!(last_event_id_value("a b"), Ok(Some("a b")));
    for (bad, at) in [
        ("a\x01b", 1),
        ("ab\x7F", 2),
        (" 42", 0),
        ("42\t", 2),
        ("42 \t ", 2),
        ("4\r2", 1),
    ] {
        assert_eq!(last_event_id_value(bad).unwrap_err().at(), at, "{bad:?}");
    }
}

#[test]
fn server_constants() {
    assert_eq!(MIME_TYPE, "text/event-stream");
    assert_eq!(
        RESPONSE_HEADERS,
        [
            ("content-type", "text/event-stream"),
            ("cache-control", "no-cache"),
            ("x-accel-buffering", "no")
        ]
    );
    assert_eq!(PADDING.len(), 2050);
    assert!(PADDING.starts_with(": ") && PADDING.ends_with(" \n"));
    // Neither produces anything on the client.
    let mut decoder = PushDecoder::new();
    decoder.push(PADDING.as_bytes());
    decoder.push(KEEP_ALIVE.as_bytes());
    decoder.push(KEEP_ALIVE.as_bytes());
    assert!(decoder.next_item().is_none());
    assert!(decoder.finish().is_clean());
}

/// Encodes, decodes and compares: type, data with line ends as LF, id.
fn round_trip(event_type: &str, data: &str, id: &str) {
    let event = Event::new()
        .event_type(EventType::new(event_type).unwrap())
        .id(EventId::new(id).unwrap())
        .data(data);
    let mut decoder = PushDecoder::new();
    decoder.push(&event.to_vec());
    let Some(Ok(Item::Event(got))) = decoder.next_item() else {
        panic!("{event:?}")
    };
    let expected_type = if event_type.is_empty() {
        "message"
    } else {
        event_type
    };
    assert_eq!(got.event_type_str(), expected_type);
    assert_eq!(
        got.data_str(),
        data.replace("\r\n", "\n").replace('\r', "\n")
    );
    assert_eq!(got.last_event_id_str(), id);
    assert!(decoder.next_item().is_none());
    assert!(decoder.finish().is_clean());
}

#[test]
fn round_trips() {
    round_trip("", "", "");
    round_trip("t", " leading and trailing spaces ", "id with spaces");
    round_trip("a:b", ":colon first", ": also");
    round_trip("ünï", "line\r\nline\rline\nline", "🎉");
    round_trip("x", "\n\n", "0");
    round_trip("\u{FEFF}t", "\u{FEFF}data\0nul", "\u{FEFF}");
    let long = if cfg!(miri) { 1000 } else { 100_000 };
    round_trip("t", &"x".repeat(long), &"i".repeat(1000));
}
