//! Decoder behaviour, rule by rule (IDs from RULES.md), and the API
//! promises the fixtures cannot show: zero copy, immediate dispatch,
//! limits, the end of a stream and reconnection.

mod support;

#[cfg(feature = "bytes")]
use bytes::Bytes;
#[cfg(feature = "bytes")]
use sse_wire::decode::{BytesDecoder, BytesItem};
use sse_wire::decode::{Config, Decoder, End, InlineId, Item, PushDecoder, Status};
use sse_wire::ErrorKind;
use std::time::Duration;
use support::{all_layers_agree, model, split_end, Out};

fn event(event_type: &str, data: &str, id: &str) -> Out {
    Out::Event {
        event_type: event_type.into(),
        data: data.into(),
        id: id.into(),
    }
}

fn retry(millis: u64) -> Out {
    Out::Retry(Duration::from_millis(millis))
}

/// Every layer, whole and byte by byte, must give `expected`, and they all
/// report the same `End`; without limit errors, that is the model's.
fn assert_decodes(config: Config, input: &[u8], expected: &[Out]) {
    let whole = all_layers_agree(config, b"", &[input]);
    let bytewise = all_layers_agree(config, b"", &support::bytewise(input));
    assert_eq!(whole, bytewise, "whole and bytewise differ: {input:?}");
    let (items, end) = split_end(whole);
    assert_eq!(items, expected, "{input:?}");
    if !expected.iter().any(Out::is_error) {
        let (model_items, model_end) = split_end(model::decode_with(input, "", config.comments));
        assert_eq!(model_items, expected, "the model: {input:?}");
        assert_eq!(end, model_end, "End: {input:?}");
    }
}

#[test]
fn l3_lone_cr_dispatches_without_waiting_for_the_next_byte() {
    let mut decoder = Decoder::new();
    let Ok(Status::Complete(Item::Event(e))) = decoder.decode(b"data: x\r\r") else {
        panic!("the second CR completes the blank line");
    };
    assert_eq!(e.data(), &b"x"[..]);
    // The LF that then arrives belongs to the CR before it (L3).
    assert_eq!(decoder.release(), 9);
    assert_eq!(
        decoder
            .decode(b"\ndata: y\n\n")
            .unwrap()
            .complete()
            .map(|i| matches!(i, Item::Event(_))),
        Some(true)
    );
}

#[test]
fn l3_crlf_split_across_chunks_is_one_line_end() {
    // Were the LF a second line end, this would dispatch an event "a".
    assert_decodes(
        Config::new(),
        b"data: a\r\ndata: b\r\n\r\n",
        &[event("message", "a\nb", "")],
    );
    let mut decoder = PushDecoder::new();
    decoder.push(b"data: a\r");
    assert!(decoder.next_item().is_none());
    decoder.push(b"\ndata: b\r");
    assert!(decoder.next_item().is_none());
    decoder.push(b"\n\r");
    assert!(matches!(decoder.next_item(), Some(Ok(Item::Event(_)))));
}

#[test]
fn l2_bom_split_across_chunks_is_stripped_once() {
    let input = b"\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\ndata: c\n\n";
    assert_decodes(
        Config::new(),
        input,
        &[event("message", "a", ""), event("message", "c", "")],
    );
}

#[test]
fn l1_invalid_utf8_is_replaced_never_fatal() {
    assert_decodes(
        Config::new(),
        b"event: \xFFt\ndata: \xC0\xAF\xE2\x82A\nid: \xED\xA0\x80\n\n",
        &[event(
            "\u{FFFD}t",
            "\u{FFFD}\u{FFFD}\u{FFFD}A",
            "\u{FFFD}\u{FFFD}\u{FFFD}",
        )],
    );
}

#[test]
fn f4_retry_is_reported_when_its_line_is_read() {
    let mut decoder = Decoder::new();
    assert_eq!(
        decoder.decode(b"data: x\nretry: 42\n").unwrap(),
        Status::Complete(Item::Retry(Duration::from_millis(42)))
    );
    assert_decodes(
        Config::new(),
        b"data: x\nretry: 42\n\n",
        &[retry(42), event("message", "x", "")],
    );
}

#[test]
fn d1_id_persists_and_can_be_seeded() {
    let chunks: [&[u8]; 1] = [b"data: a\n\nid: 7\ndata: b\n\ndata: c\n\nid\ndata: d\n\n"];
    assert_eq!(
        all_layers_agree(Config::new(), b"seed", &chunks),
        [
            event("message", "a", "seed"),
            event("message", "b", "7"),
            event("message", "c", "7"),
            event("message", "d", ""),
            Out::clean_end(""),
        ]
    );
}

#[test]
fn l6_an_unterminated_id_does_not_become_the_last_event_id() {
    let input = b"id: 1\ndata: a\n\nid: 2\ndata: b\n";
    let out = all_layers_agree(Config::new(), b"", &[input]);
    assert_eq!(
        out,
        [
            event("message", "a", "1"),
            Out::End {
                incomplete_line: false,
                undispatched_event: true,
                last_event_id: "1".into(),
            }
        ]
    );
    let mut decoder = PushDecoder::new();
    decoder.push(input);
    while decoder.next_item().is_some() {}
    let end = decoder.finish();
    assert!(end.undispatched_event && !end.incomplete_line);
    assert_eq!(decoder.last_event_id(), b"1");
}

#[test]
fn l6_finish_reports_what_was_thrown_away() {
    let mut decoder = Decoder::new();
    assert!(decoder.decode(b"data: a\n\n").unwrap().complete().is_some());
    assert!(decoder.finish().is_clean());

    let mut decoder = Decoder::new();
    assert_eq!(decoder.decode(b"data: a").unwrap(), Status::Partial);
    let end = decoder.finish();
    assert!(end.incomplete_line && !end.undispatched_event);

    #[cfg(feature = "bytes")]
    {
        let mut decoder = BytesDecoder::new();
        decoder.push(Bytes::from_static(b"event: x\nda"));
        assert!(decoder.next_item().is_none());
        let end = decoder.finish();
        assert!(end.incomplete_line && end.undispatched_event);
    }

    // A push decoder that was never asked for its items has unread input.
    let mut decoder = PushDecoder::new();
    decoder.push(b"data: a\n\n");
    assert!(decoder.finish().incomplete_line);

    // Every layer, and the model, on each way a stream can end.
    for (input, incomplete_line, undispatched_event) in [
        (&b""[..], false, false),
        (b"data: a\n\n", false, false),
        (b"data: a", true, false),
        (b"data: a\n", false, true),
        (b"event: t\n", false, true),
        (b"event\n", false, true),
        (b"id: 5\n", false, true),
        // F3 ignores an id with NUL, so there is nothing pending.
        (b"id: 5\0\n", false, false),
        // F4 acts at once; an unknown field and a comment do nothing.
        (b"retry: 5\n", false, false),
        (b"unknown: x\n: comment\n", false, false),
        (b"data: a\nretry", true, true),
        (b"data: x\r", false, true),
        (b"data: x\r\r", false, false),
        (b"\xEF\xBB\xBF", false, false),
        (b"\xEF\xBB", true, false),
        (b"data: a\n\n\xE2\x82", true, false),
        (b"\n\n\n", false, false),
    ] {
        let expected_end = Out::End {
            incomplete_line,
            undispatched_event,
            last_event_id: String::new(),
        };
        let (_, model_end) = split_end(model::decode(input, ""));
        assert_eq!(model_end, expected_end, "the model: {input:?}");
        for chunks in [vec![input], support::bytewise(input)] {
            let (_, end) = split_end(all_layers_agree(Config::new(), b"", &chunks));
            assert_eq!(end, expected_end, "{input:?} in {} chunks", chunks.len());
        }
    }
}

#[test]
fn finish_starts_a_new_stream_with_the_last_event_id() {
    let mut decoder = PushDecoder::new();
    decoder.push(b"\xEF\xBB\xBFid: 9\ndata: a\n\ndata: partial");
    while decoder.next_item().is_some() {}
    let end = decoder.finish();
    assert!(end.incomplete_line && !end.undispatched_event);
    // A new stream: its BOM is stripped again, the ID carries on.
    decoder.push(b"\xEF\xBB\xBFdata: b\n\n");
    let Some(Ok(Item::Event(e))) = decoder.next_item() else {
        panic!()
    };
    assert_eq!((e.data_str().as_ref(), e.last_event_id()), ("b", &b"9"[..]));
}

/// What one connection of a reconnection test gives: the items, then how
/// `reconnect` (or, for the last, `finish`) ended it.
type Connections = Vec<(Vec<Out>, End)>;

/// Feeds each connection's bytes to a core decoder, starting the next
/// connection with `reconnect` and an emptied buffer.
fn core_connections(seed: &[u8], connections: &[&[u8]]) -> (Connections, Vec<u8>) {
    let mut decoder = Decoder::new();
    decoder.set_last_event_id(seed).unwrap();
    let mut buf = Vec::new();
    let mut result = Vec::new();
    for bytes in connections {
        let mut items = Vec::new();
        // One byte at a time, so that the cut line is held, not just unread.
        for byte in bytes.chunks(1) {
            buf.extend_from_slice(byte);
            while let Status::Complete(item) = decoder.decode(&buf).unwrap() {
                items.push(Out::from_item(&item));
            }
            buf.drain(..decoder.release());
        }
        let end = decoder.reconnect();
        buf.clear();
        result.push((items, end));
    }
    (result, decoder.last_event_id().to_vec())
}

fn push_connections(seed: &[u8], connections: &[&[u8]]) -> (Connections, Vec<u8>) {
    let mut decoder = PushDecoder::new();
    decoder.set_last_event_id(seed).unwrap();
    let mut result = Vec::new();
    for bytes in connections {
        let mut items = Vec::new();
        for byte in bytes.chunks(1) {
            decoder.push(byte);
            while let Some(item) = decoder.next_item() {
                items.push(Out::from_item(&item.unwrap()));
            }
        }
        result.push((items, decoder.reconnect()));
    }
    (result, decoder.last_event_id().to_vec())
}

#[cfg(feature = "bytes")]
fn bytes_connections(seed: &[u8], connections: &[&[u8]]) -> (Connections, Vec<u8>) {
    let mut decoder = BytesDecoder::new();
    decoder.set_last_event_id(seed).unwrap();
    let mut result = Vec::new();
    for bytes in connections {
        let mut items = Vec::new();
        for byte in bytes.chunks(1) {
            decoder.push(Bytes::copy_from_slice(byte));
            while let Some(item) = decoder.next_item() {
                items.push(Out::from_bytes_item(&item.unwrap()));
            }
        }
        result.push((items, decoder.reconnect()));
    }
    (result, decoder.last_event_id().to_vec())
}

type ConnectionsLayer = fn(&[u8], &[&[u8]]) -> (Connections, Vec<u8>);

const CONNECTION_LAYERS: &[(&str, ConnectionsLayer)] = &[
    ("core", core_connections),
    ("push", push_connections),
    #[cfg(feature = "bytes")]
    ("bytes", bytes_connections),
];

fn end(incomplete_line: bool, undispatched_event: bool) -> End {
    let mut end = End::default();
    end.incomplete_line = incomplete_line;
    end.undispatched_event = undispatched_event;
    end
}

/// C7 in the push layer, with input pushed and never read, ending in half
/// a character: none of it reaches the next connection, whose first line
/// and BOM are read as if nothing came before.
#[test]
fn c7_unread_input_and_a_cut_character_never_cross_a_reconnect() {
    let mut decoder = PushDecoder::new();
    decoder.push(b"id: 1\ndata: a\n\ndata: \xE2\x82");
    let end = decoder.reconnect();
    assert!(end.incomplete_line, "{end:?}");
    decoder.push(b"\xEF\xBB\xBFdata: b\n\n");
    let mut events = Vec::new();
    while let Some(item) = decoder.next_item() {
        if let Ok(Item::Event(event)) = item {
            events.push(event.data_str().into_owned());
        }
    }
    assert_eq!(events, ["b"]);
    assert!(decoder.finish().is_clean());
    // The unread event's `id` never dispatched: the ID is still empty.
    assert_eq!(decoder.last_event_id(), b"");
}

/// C7: a line cut by one connection never runs into the first line of the
/// next, and the last event ID persists across the reconnection.
#[test]
fn c7_a_cut_line_never_crosses_a_reconnect() {
    for &(layer, run) in CONNECTION_LAYERS {
        // Glued together, `data: cut` and `ion` would read `data: cution`.
        let (connections, last_id) = run(
            b"",
            &[b"id: 7\ndata: a\n\ndata: cut", b"ion\n\ndata: next\n\n"],
        );
        assert_eq!(
            connections,
            [
                (vec![event("message", "a", "7")], end(true, false)),
                (vec![event("message", "next", "7")], end(false, false)),
            ],
            "{layer}"
        );
        assert_eq!(last_id, b"7", "{layer}");

        // The brief's own case, from a seeded ID: exactly one event.
        let (connections, last_id) = run(b"41", &[b"data: cut", b"ion\n\ndata: next\n\n"]);
        assert_eq!(
            connections,
            [
                (vec![], end(true, false)),
                (vec![event("message", "next", "41")], end(false, false)),
            ],
            "{layer}"
        );
        assert_eq!(last_id, b"41", "{layer}");

        // An event without its blank line is dropped with its `id` (L6),
        // and the BOM check starts afresh with each connection (L2, C7).
        let (connections, last_id) = run(
            b"",
            &[
                b"id: 1\ndata: a\n\nid: 2\ndata: b\r",
                b"\ndata: c\n\n",
                b"\xEF\xBB\xBFdata: d\n\nid: 3\n\n",
            ],
        );
        assert_eq!(
            connections,
            [
                (vec![event("message", "a", "1")], end(false, true)),
                (vec![event("message", "c", "1")], end(false, false)),
                (vec![event("message", "d", "1")], end(false, false)),
            ],
            "{layer}"
        );
        assert_eq!(last_id, b"3", "{layer}");
    }
}

#[test]
fn comments_are_reported_on_request_and_never_dispatch() {
    let input = b": ping\ndata: a\n:\n\n: tail\n";
    let config = Config::new().comments(true);
    assert_decodes(
        config,
        input,
        &[
            Out::Comment("ping".into()),
            Out::Comment("".into()),
            event("message", "a", ""),
            Out::Comment("tail".into()),
        ],
    );
    assert_decodes(Config::new(), input, &[event("message", "a", "")]);
}

#[test]
fn core_single_line_data_is_a_slice_of_the_input() {
    let input = b"data: zero copy\n\n";
    let mut decoder = Decoder::new();
    let Ok(Status::Complete(Item::Event(e))) = decoder.decode(input) else {
        panic!()
    };
    let data = e.data().single_line().unwrap();
    assert_eq!(data.as_ptr(), input[6..].as_ptr());
    assert!(matches!(
        e.data().to_str(),
        std::borrow::Cow::Borrowed("zero copy")
    ));
}

#[test]
fn core_decode_str_lends_text_slices_of_the_buffer() {
    let text = "event: caf\u{e9}\ndata: \u{20ac}1\ndata: 2\n\ndata: one\n\n";
    let mut decoder = Decoder::new();
    let Ok(Status::Complete(Item::Event(e))) = decoder.decode_str(text) else {
        panic!()
    };
    assert_eq!(e.event_type_str(), "caf\u{e9}");
    assert_eq!(e.data_str(), "\u{20ac}1\n2");
    let Ok(Status::Complete(Item::Event(e))) = decoder.decode_str(text) else {
        panic!()
    };
    let one = e.data().single_line_str().unwrap();
    assert_eq!(one, "one");
    assert!(text.as_bytes().as_ptr_range().contains(&one.as_ptr()));
}

#[test]
fn core_multi_line_data_is_its_line_slices() {
    let input = b"data: one\r\n: comment\ndata:two\rid: 1\ndata\n\n";
    let mut decoder = Decoder::new();
    let Ok(Status::Complete(Item::Event(e))) = decoder.decode(input) else {
        panic!()
    };
    let data = e.data();
    let lines: Vec<&[u8]> = data.lines().collect();
    assert_eq!(lines, [&b"one"[..], b"two", b""]);
    assert_eq!(lines[0].as_ptr(), input[6..].as_ptr());
    assert_eq!(
        (data.len(), data.line_count(), data.single_line()),
        (8, 3, None)
    );
    let mut joined = [0; 8];
    assert_eq!(data.copy_to(&mut joined), Ok(8));
    assert_eq!(&joined, b"one\ntwo\n");
    assert!(data.copy_to(&mut [0; 7]).is_err());
    assert_eq!(data.to_string(), "one\ntwo\n");
    assert_eq!(e.data_str(), "one\ntwo\n");
}

#[test]
fn owned_items_keep_what_the_event_read() {
    let mut decoder = PushDecoder::new();
    decoder.push(b"retry: 7\nevent: t\nid: 3\ndata: a\ndata: \xFF\n\ndata: b\n\n");
    let mut owned = Vec::new();
    while let Some(item) = decoder.next_item() {
        owned.push(item.unwrap().into_owned());
    }
    use sse_wire::decode::{OwnedEvent, OwnedItem};
    assert_eq!(
        owned,
        [
            OwnedItem::Retry(Duration::from_millis(7)),
            OwnedItem::Event(OwnedEvent::new("t", "a\n\u{FFFD}", "3")),
            OwnedItem::Event(OwnedEvent::new("", "b", "3")),
        ]
    );
    let OwnedItem::Event(last) = &owned[2] else {
        panic!()
    };
    assert_eq!(
        (last.event_type(), last.data(), last.last_event_id()),
        ("message", "b", "3")
    );
}

/// Decodes one event of `input` with the core decoder and hands it to `f`.
fn with_core_event<R>(input: &[u8], f: impl FnOnce(sse_wire::decode::Event<'_>) -> R) -> R {
    let mut decoder = Decoder::new();
    let Ok(Status::Complete(Item::Event(e))) = decoder.decode(input) else {
        panic!("{input:?}")
    };
    f(e)
}

/// D5, D6: an event read as type `message` equals one with no event type,
/// whether it said `message`, gave an empty `event` or none at all.
#[test]
fn d6_event_message_equals_no_event_type() {
    let inputs: [&[u8]; 3] = [
        b"data: x\n\n",
        b"event: message\ndata: x\n\n",
        b"event:\ndata: x\n\n",
    ];
    let other = b"event: other\ndata: x\n\n";
    with_core_event(inputs[0], |plain| {
        for input in inputs {
            with_core_event(input, |e| {
                assert_eq!(e, plain, "{input:?}");
                assert_eq!(e.event_type(), b"message");
                assert_eq!(e.into_owned(), plain.into_owned());
            });
        }
        with_core_event(other, |e| assert_ne!(e, plain));
        // Data and ID still count.
        with_core_event(b"event: message\ndata: y\n\n", |e| assert_ne!(e, plain));
        with_core_event(b"id: 1\nevent: message\ndata: x\n\n", |e| {
            assert_ne!(e, plain)
        });
    });

    #[cfg(feature = "bytes")]
    {
        let bytes_event = |input: &'static [u8]| {
            let mut decoder = BytesDecoder::new();
            decoder.push(Bytes::from_static(input));
            let Some(Ok(BytesItem::Event(e))) = decoder.next_item() else {
                panic!("{input:?}")
            };
            e
        };
        let plain = bytes_event(inputs[0]);
        for input in inputs {
            let e = bytes_event(input);
            assert_eq!(e, plain, "{input:?}");
            assert_eq!(e.event_type(), b"message");
            assert_eq!(e.event_type_bytes(), "message");
            assert_eq!(e.into_owned(), plain.clone().into_owned());
        }
        assert_ne!(bytes_event(other), plain);
        assert_ne!(bytes_event(b"id: 1\nevent: message\ndata: x\n\n"), plain);
    }
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_values_share_the_chunk() {
    let chunk = Bytes::from_static(b"event: e\nid: 5\ndata: value\n\n");
    let mut decoder = BytesDecoder::new();
    decoder.push(chunk.clone());
    let Some(Ok(BytesItem::Event(e))) = decoder.next_item() else {
        panic!()
    };
    let inside = |b: &Bytes| chunk.as_ptr_range().contains(&b.as_ptr());
    assert!(inside(e.data()));
    assert!(inside(&e.event_type_bytes()));
    assert!(inside(&e.last_event_id_bytes()));
    assert_eq!(
        (e.data().as_ref(), e.event_type(), e.last_event_id()),
        (&b"value"[..], &b"e"[..], &b"5"[..])
    );
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_empty_event_type_and_last_event_id_read_as_none_given() {
    // D5, D6: an empty `event` value reads as `message`; an empty `id`
    // resets the last event ID (D1). The event is then the same as one that
    // never had either.
    let mut decoder = BytesDecoder::new();
    decoder.push(Bytes::from_static(
        b"data: a\n\nid: 7\ndata: a\n\nevent:\nid\ndata: a\n\n",
    ));
    let mut events = Vec::new();
    while let Some(item) = decoder.next_item() {
        match item {
            Ok(BytesItem::Event(e)) => events.push(e),
            other => panic!("{other:?}"),
        }
    }
    let [plain, with_id, emptied] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(with_id.last_event_id(), b"7");
    assert_eq!(with_id.last_event_id_bytes(), "7");
    assert_eq!(emptied.event_type(), b"message");
    assert_eq!(emptied.event_type_str(), "message");
    assert_eq!(emptied.last_event_id(), b"");
    assert_eq!(emptied.last_event_id_str(), "");
    assert_eq!(emptied, plain);
    assert_ne!(with_id, plain);
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_chunks_pushed_between_items_are_read_in_order() {
    // The first chunk is used up exactly when its event is returned, while
    // the second still waits in the queue; a third pushed then must come
    // after the second.
    let mut decoder = BytesDecoder::new();
    decoder.push(Bytes::from_static(b"data: 1\n\n"));
    decoder.push(Bytes::from_static(b"data: 2\n"));
    let Some(Ok(BytesItem::Event(first))) = decoder.next_item() else {
        panic!()
    };
    decoder.push(Bytes::from_static(b"\ndata: 3\n\n"));
    let mut rest = Vec::new();
    while let Some(item) = decoder.next_item() {
        match item {
            Ok(BytesItem::Event(e)) => rest.push(e.into_data()),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(first.data(), "1");
    assert_eq!(rest, ["2", "3"]);
    assert!(decoder.finish().is_clean());
}

#[test]
fn limits_discard_the_event_and_resync_at_the_next_blank_line() {
    let config = Config::new().max_line_len(16).max_event_size(64);
    let input = b"data: before\n\ndata: this line is far too long\ndata: rest\n\ndata: after\n\n";
    assert_decodes(
        config,
        input,
        &[
            event("message", "before", ""),
            Out::Error(ErrorKind::LineTooLong),
            event("message", "after", ""),
        ],
    );
    let input =
        b"data: 0123456789\ndata: 0123456789\ndata: 0123456789\ndata: 0123456789\n\ndata: ok\n\n";
    assert_decodes(
        Config::new().max_line_len(32).max_event_size(40),
        input,
        &[
            Out::Error(ErrorKind::EventTooLarge),
            event("message", "ok", ""),
        ],
    );
}

#[test]
fn limits_do_not_count_comments_outside_an_event() {
    let mut input = Vec::new();
    for _ in 0..100 {
        input.extend_from_slice(b": keep-alive\n");
    }
    input.extend_from_slice(b"data: x\n\n");
    assert_decodes(
        Config::new().max_line_len(16).max_event_size(32),
        &input,
        &[event("message", "x", "")],
    );
}

#[test]
fn limit_at_exactly_the_maximum_is_accepted() {
    // "data: 0123456789" is 16 bytes.
    assert_decodes(
        Config::new().max_line_len(16),
        b"data: 0123456789\n\n",
        &[event("message", "0123456789", "")],
    );
    assert_decodes(
        Config::new().max_line_len(15),
        b"data: 0123456789\n\n",
        &[Out::Error(ErrorKind::LineTooLong)],
    );
}

#[test]
fn config_fields_read_what_the_builder_set() {
    let config = Config::new()
        .max_line_len(10)
        .max_event_size(20)
        .comments(true);
    assert_eq!(
        (config.max_line_len, config.max_event_size, config.comments),
        (10, 20, true)
    );
    assert_eq!(Decoder::with_config(config).config(), &config);
    assert_eq!(PushDecoder::with_config(config).config(), &config);
    #[cfg(feature = "bytes")]
    assert_eq!(BytesDecoder::with_config(config).config(), &config);
}

#[test]
fn push_buffer_stays_within_the_limit_plus_one_chunk() {
    let config = Config::new().max_line_len(1024).max_event_size(4096);
    let mut decoder = PushDecoder::with_config(config);
    let chunk = [b'x'; 100];
    let mut errors = 0;
    for _ in 0..if cfg!(miri) { 100 } else { 10_000 } {
        decoder.push(&chunk);
        while let Some(item) = decoder.next_item() {
            errors += usize::from(item.is_err());
        }
        assert!(
            decoder.buffer_capacity() <= 4096 + 100,
            "{}",
            decoder.buffer_capacity()
        );
    }
    assert_eq!(errors, 1);
    decoder.push(b"\n\ndata: recovered\n\n");
    let Some(Ok(Item::Event(e))) = decoder.next_item() else {
        panic!()
    };
    assert_eq!(e.data_str(), "recovered");
}

#[test]
fn inline_id_store_rejects_an_id_it_cannot_hold() {
    let mut decoder: Decoder<InlineId<4>> = Decoder::with_store(Config::new(), InlineId::new());
    let mut buf = b"id: 1234\ndata: a\n\nid: 12345\ndata: b\n\ndata: c\n\n".to_vec();
    let mut seen = Vec::new();
    loop {
        match decoder.decode(&buf) {
            Ok(Status::Complete(Item::Event(e))) => seen.push(Ok(e.last_event_id().to_vec())),
            Ok(Status::Complete(_)) => {}
            Ok(Status::Partial) => break,
            Err(e) => {
                assert_eq!(e.limit(), Some(4));
                seen.push(Err(e.kind()));
            }
        }
    }
    buf.drain(..decoder.release());
    assert_eq!(
        seen,
        [
            Ok(b"1234".to_vec()),
            Err(ErrorKind::IdTooLong),
            Ok(b"1234".to_vec())
        ]
    );
    let err = decoder.set_last_event_id(b"12345").unwrap_err();
    assert_eq!((err.kind(), err.limit()), (ErrorKind::IdTooLong, Some(4)));
    // The ID is left as it was.
    assert_eq!(decoder.last_event_id(), b"1234");
}

/// The default store grows with `alloc`: `set_last_event_id` never fails
/// on any layer, and a long seed comes back whole.
#[test]
fn default_stores_take_any_id() {
    let long = vec![b'i'; 100_000];
    let mut core = Decoder::new();
    core.set_last_event_id(&long).unwrap();
    assert_eq!(core.last_event_id(), &long[..]);
    let mut push = PushDecoder::new();
    push.set_last_event_id(&long).unwrap();
    assert_eq!(push.last_event_id(), &long[..]);
    #[cfg(feature = "bytes")]
    {
        let mut bytes = BytesDecoder::new();
        bytes.set_last_event_id(&long).unwrap();
        assert_eq!(bytes.last_event_id(), &long[..]);
    }
}

/// The caller dropped bytes that `release` had not given up: a
/// `BufferShrank` error, which is not a limit, and the decoder discards the
/// pending event and goes on.
#[test]
fn core_rejects_a_buffer_that_lost_unreleased_bytes() {
    let mut decoder = Decoder::new();
    assert_eq!(decoder.decode(b"data: abc").unwrap(), Status::Partial);
    // Release was not called, so the caller must not have dropped anything.
    let err = decoder.decode(b"c").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BufferShrank);
    assert!(!err.kind().is_limit());
    assert_eq!(err.limit(), None);
    assert_eq!(decoder.release(), 0);
    // The decoder recovers at the next blank line.
    let mut out = Vec::new();
    let buf = b"\n\ndata: ok\n\n";
    while let Ok(Status::Complete(Item::Event(e))) = decoder.decode(buf) {
        out.push(e.data().to_string());
    }
    assert_eq!(out, ["ok"]);
}

#[test]
fn release_keeps_only_the_pending_event() {
    let mut decoder = Decoder::new();
    let buf = b": comment\nretry: 5\ndata: a\n\nevent: t\ndata: b";
    assert_eq!(
        decoder.decode(buf).unwrap(),
        Status::Complete(Item::Retry(Duration::from_millis(5)))
    );
    assert_eq!(decoder.release(), 19);
    let buf = &buf[19..];
    assert!(matches!(
        decoder.decode(buf).unwrap(),
        Status::Complete(Item::Event(_))
    ));
    assert_eq!(decoder.decode(buf).unwrap(), Status::Partial);
    // "data: a\n\n" is done with; "event: t\ndata: b" is still needed.
    assert_eq!(decoder.release(), 9);
}

#[test]
fn error_messages_name_the_limit() {
    let mut decoder = Decoder::with_config(Config::new().max_line_len(4));
    let err = decoder.decode(b"data: x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "event stream: line longer than 4 bytes; event discarded"
    );
    assert_eq!((err.kind(), err.limit()), (ErrorKind::LineTooLong, Some(4)));
    assert!(err.kind().is_limit());

    let mut decoder = Decoder::with_config(Config::new().max_event_size(9));
    let err = decoder.decode(b"data: 1\ndata: 2\n").unwrap_err();
    assert_eq!(
        (err.kind(), err.limit()),
        (ErrorKind::EventTooLarge, Some(9))
    );
    assert!(err.kind().is_limit());
    let text = err.to_string();
    assert!(text.contains("event larger than 9 bytes"), "{text}");

    let mut decoder: Decoder<InlineId<3>> = Decoder::with_store(Config::new(), InlineId::new());
    let err = decoder.decode(b"id: 1234\n").unwrap_err();
    assert_eq!((err.kind(), err.limit()), (ErrorKind::IdTooLong, Some(3)));
    assert!(err.kind().is_limit());
    let text = err.to_string();
    assert!(text.contains("ID longer than 3 bytes"), "{text}");
}

/// `BufferShrank` is a bug in the calling code: its message says what the
/// caller broke (bytes dropped that `release()` had not given up), and
/// names no limit.
#[test]
fn buffer_shrank_message_names_release() {
    let mut decoder = Decoder::new();
    assert_eq!(decoder.decode(b"data: abcdef").unwrap(), Status::Partial);
    let err = decoder.decode(b"data").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BufferShrank);
    let text = err.to_string();
    assert!(text.contains("release()"), "{text}");
    assert!(text.contains("12 bytes already read"), "{text}");
    assert!(!text.contains("longer than") && !text.contains("larger than"));
}

#[test]
fn every_layer_has_a_debug_form() {
    let mut push = PushDecoder::new();
    push.set_last_event_id(b"41").unwrap();
    push.push(b"data: secret-payload");
    let text = format!("{push:?}");
    assert!(
        text.contains("PushDecoder") && text.contains("41"),
        "{text}"
    );
    // The buffered bytes are never printed: a stream may hold secrets.
    assert!(!text.contains("secret"), "{text}");
    let mut core = Decoder::new();
    core.set_last_event_id(b"\xFF7").unwrap();
    let text = format!("{core:?}");
    assert!(text.contains("\u{FFFD}7"), "{text}");
    #[cfg(feature = "bytes")]
    {
        let mut bytes = BytesDecoder::new();
        bytes.push(bytes::Bytes::from_static(b"data: secret-payload"));
        let text = format!("{bytes:?}");
        assert!(text.contains("BytesDecoder"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}

/// `IdStore` stays usable as a trait object, for a store chosen at run time.
#[test]
fn id_store_is_usable_as_a_trait_object() {
    use sse_wire::decode::{IdStore, InlineId, LastEventId};
    let mut stores: Vec<Box<dyn IdStore>> =
        vec![Box::new(LastEventId::new()), Box::new(InlineId::<8>::new())];
    for store in &mut stores {
        store.replace(b"7");
        assert_eq!(store.as_bytes(), b"7");
    }
}
