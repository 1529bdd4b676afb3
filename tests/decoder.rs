//! Decoder behaviour, rule by rule (IDs from RULES.md), and the API
//! promises the fixtures cannot show: zero copy, immediate dispatch,
//! limits, the end of a stream.

mod support;

use bytes::Bytes;
use sse_wire::decode::{
    BytesDecoder, BytesItem, Config, Decoder, EventDecoder, InlineId, Item, Status,
};
use sse_wire::ErrorKind;
use support::{Out, LAYERS};

fn event(event_type: &str, data: &str, id: &str) -> Out {
    Out::Event {
        event_type: event_type.into(),
        data: data.into(),
        id: id.into(),
    }
}

/// Every layer, whole and byte by byte, must give `expected`.
fn assert_decodes(config: Config, input: &[u8], expected: &[Out]) {
    let cuts: Vec<usize> = (1..input.len()).collect();
    for (layer, decode) in LAYERS {
        assert_eq!(
            decode(config, b"", &[input]),
            expected,
            "{layer}, whole: {input:?}"
        );
        let chunks = support::split(input, &cuts);
        assert_eq!(
            decode(config, b"", &chunks),
            expected,
            "{layer}, bytewise: {input:?}"
        );
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
    decoder.release();
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
    let mut decoder = EventDecoder::new();
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
        Status::Complete(Item::Retry(42))
    );
    assert_decodes(
        Config::new(),
        b"data: x\nretry: 42\n\n",
        &[Out::Retry(42), event("message", "x", "")],
    );
}

#[test]
fn d1_id_persists_and_can_be_seeded() {
    let chunks: [&[u8]; 1] = [b"data: a\n\nid: 7\ndata: b\n\ndata: c\n\nid\ndata: d\n\n"];
    for (layer, decode) in LAYERS {
        assert_eq!(
            decode(Config::new(), b"seed", &chunks),
            [
                event("message", "a", "seed"),
                event("message", "b", "7"),
                event("message", "c", "7"),
                event("message", "d", "")
            ],
            "{layer}"
        );
    }
}

#[test]
fn l6_an_unterminated_id_does_not_become_the_last_event_id() {
    let mut decoder = EventDecoder::new();
    decoder.push(b"id: 1\ndata: a\n\nid: 2\ndata: b\n");
    while decoder.next_item().is_some() {}
    let end = decoder.finish();
    assert!(end.undispatched_event && !end.incomplete_line);
    assert_eq!(decoder.last_event_id(), b"1");
}

#[test]
fn l6_finish_reports_what_was_thrown_away() {
    let mut decoder = Decoder::new();
    assert!(decoder
        .decode(
            b"data: a

"
        )
        .unwrap()
        .complete()
        .is_some());
    assert!(decoder.finish().is_clean());

    let mut decoder = Decoder::new();
    assert_eq!(decoder.decode(b"data: a").unwrap(), Status::Partial);
    let end = decoder.finish();
    assert!(end.incomplete_line && !end.undispatched_event);

    let mut decoder = BytesDecoder::new();
    decoder.push(Bytes::from_static(b"event: x\nda"));
    assert!(decoder.next().is_none());
    let end = decoder.finish();
    assert!(end.incomplete_line && end.undispatched_event);

    // A push decoder that was never asked for its items has unread input.
    let mut decoder = EventDecoder::new();
    decoder.push(b"data: a\n\n");
    assert!(decoder.finish().incomplete_line);
}

#[test]
fn finish_starts_a_new_stream_with_the_last_event_id() {
    let mut decoder = EventDecoder::new();
    decoder.push(b"\xEF\xBB\xBFid: 9\ndata: a\n\ndata: partial");
    while decoder.next_item().is_some() {}
    let _ = decoder.finish();
    // A new stream: its BOM is stripped again, the ID carries on.
    decoder.push(b"\xEF\xBB\xBFdata: b\n\n");
    let Some(Ok(Item::Event(e))) = decoder.next_item() else {
        panic!()
    };
    assert_eq!(
        (e.data().to_str().as_ref(), e.last_event_id()),
        ("b", &b"9"[..])
    );
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
}

#[test]
fn bytes_values_share_the_chunk() {
    let chunk = Bytes::from_static(b"event: e\nid: 5\ndata: value\n\n");
    let mut decoder = BytesDecoder::new();
    decoder.push(chunk.clone());
    let Some(Ok(BytesItem::Event(e))) = decoder.next() else {
        panic!()
    };
    let inside = |b: &Bytes| chunk.as_ptr_range().contains(&b.as_ptr());
    assert!(inside(e.data()) && inside(&e.event_type()) && inside(e.last_event_id()));
    assert_eq!(
        (e.data().as_ref(), e.event_type().as_ref()),
        (&b"value"[..], &b"e"[..])
    );
}

#[test]
fn bytes_empty_event_type_and_last_event_id_read_as_none_given() {
    // D5, D6: an empty `event` value reads as `message`; an empty `id`
    // resets the last event ID (D1). The event is then the same as one that
    // never had either.
    let mut decoder = BytesDecoder::new();
    decoder.push(Bytes::from_static(
        b"data: a\n\nid: 7\ndata: a\n\nevent:\nid\ndata: a\n\n",
    ));
    let events: Vec<_> = decoder
        .by_ref()
        .map(|item| match item {
            Ok(BytesItem::Event(e)) => e,
            other => panic!("{other:?}"),
        })
        .collect();
    let [plain, with_id, emptied] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(with_id.last_event_id(), "7");
    assert_eq!(emptied.event_type(), "message");
    assert_eq!(emptied.event_type_str(), "message");
    assert_eq!(emptied.last_event_id(), "");
    assert_eq!(emptied.last_event_id_str(), "");
    assert_eq!(emptied, plain);
}

#[test]
fn bytes_chunks_pushed_between_items_are_read_in_order() {
    // The first chunk is used up exactly when its event is returned, while
    // the second still waits in the queue; a third pushed then must come
    // after the second.
    let mut decoder = BytesDecoder::new();
    decoder.push(Bytes::from_static(b"data: 1\n\n"));
    decoder.push(Bytes::from_static(b"data: 2\n"));
    let Some(Ok(BytesItem::Event(first))) = decoder.next() else {
        panic!()
    };
    decoder.push(Bytes::from_static(b"\ndata: 3\n\n"));
    let rest: Vec<_> = decoder
        .by_ref()
        .map(|item| match item {
            Ok(BytesItem::Event(e)) => e.into_data(),
            other => panic!("{other:?}"),
        })
        .collect();
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
}

#[test]
fn push_buffer_stays_within_the_limit_plus_one_chunk() {
    let config = Config::new().max_line_len(1024).max_event_size(4096);
    let mut decoder = EventDecoder::with_config(config);
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
    assert_eq!(e.data().to_str(), "recovered");
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
            Err(e) => seen.push(Err(e.kind())),
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
    assert_eq!(
        decoder.set_last_event_id(b"12345").unwrap_err().kind(),
        ErrorKind::IdTooLong
    );
}

#[test]
fn core_rejects_a_buffer_that_lost_unreleased_bytes() {
    let mut decoder = Decoder::new();
    assert_eq!(decoder.decode(b"data: abc").unwrap(), Status::Partial);
    // Release was not called, so the caller must not have dropped anything.
    let err = decoder.decode(b"c").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BufferShrank);
    decoder.release();
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
        Status::Complete(Item::Retry(5))
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
    assert_eq!((err.kind(), err.limit()), (ErrorKind::LineTooLong, 4));
}
