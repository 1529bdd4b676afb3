//! Property tests: the decoder against the reference model (a naive
//! transliteration of RULES.md in `support/model.rs`), chunk invariance,
//! encoder round trips and safety, limits, the last event ID.

mod support;

use proptest::prelude::*;
use sse_wire::decode::{BytesDecoder, Config, EventDecoder};
use sse_wire::encode::{Event, EventId, EventType};
use sse_wire::{grammar, ErrorKind};
use support::{model, split, Out, LAYERS};

/// Pieces that make SSE-like byte streams likely to hit every rule.
fn token() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::sample::select(vec![
            &b"data"[..], b"event", b"id", b"retry", b"Data", b"data ", b":", b": ", b" ",
            b"\r", b"\n", b"\r\n", b"\n\n", b"\r\r", b"\xEF\xBB\xBF", b"\xEF\xBB", b"\0",
            b"\xFF", b"\x80", b"\xC0\xAF", b"\xE2\x82", b"\xED\xA0\x80", b"\xF0\x9F\x98",
            b"\xF4\x90\x80\x80", b"\xC3\xA9", b"\xF0\x9F\x8E\x89", b"0", b"7", b"42",
            b"18446744073709551616", b"+", b"-", b".", b"e", b"x", b"\t", b"\xEF\xBC\x95",
        ]).prop_map(|t| t.to_vec()),
        1 => prop::collection::vec(any::<u8>(), 1..4),
    ]
}

fn stream() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(token(), 0..60).prop_map(|tokens| tokens.concat())
}

/// Ascending cut points within `len`.
fn cuts(len: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::btree_set(0..=len, 0..12).prop_map(|set| set.into_iter().collect())
}

fn stream_and_cuts() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    stream().prop_flat_map(|s| {
        let len = s.len();
        (Just(s), cuts(len))
    })
}

/// A value for an encoder: any text, with line breaks and NUL likely.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => any::<char>().prop_map(String::from),
            1 => prop::sample::select(vec!["\r", "\n", "\r\n", "\0", " ", ":", "\u{FEFF}", "data: x"])
                .prop_map(String::from),
        ],
        0..20,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1024,
        // Failures are kept, and committed, in `proptest-regressions/`.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("proptest-regressions/properties.txt"),
        )),
        ..ProptestConfig::default()
    })]

    /// Every layer gives exactly the model's events and retries.
    #[test]
    fn layers_match_the_model(input in stream(), seed in "[a-z0-9]{0,3}") {
        let expected = model::decode(&input, &seed);
        for (layer, decode) in LAYERS {
            prop_assert_eq!(&decode(Config::new(), seed.as_bytes(), &[&input]), &expected, "{}", layer);
        }
    }

    /// Any split gives the same output as the whole input, through every layer.
    #[test]
    fn chunking_changes_nothing((input, cuts) in stream_and_cuts()) {
        let expected = model::decode(&input, "");
        let chunks = split(&input, &cuts);
        for (layer, decode) in LAYERS {
            prop_assert_eq!(&decode(Config::new(), b"", &chunks), &expected, "{}", layer);
        }
    }

    /// What the encoder accepts decodes back to the same type, data (line
    /// ends normalised to LF) and id.
    #[test]
    fn encoder_round_trips(event_type in text(), data in text(), id in text()) {
        let (Ok(t), Ok(i)) = (EventType::new(&event_type), EventId::new(&id)) else {
            return Ok(());
        };
        let wire = Event::new().event_type(t).id(i).data(&data).to_vec();
        let expected_type = if event_type.is_empty() { "message".to_string() } else { event_type.clone() };
        let expected = vec![Out::Event {
            event_type: expected_type,
            data: data.replace("\r\n", "\n").replace('\r', "\n"),
            id: id.clone(),
        }];
        for (layer, decode) in LAYERS {
            prop_assert_eq!(&decode(Config::new(), b"", &[&wire]), &expected, "{}", layer);
        }
    }

    /// Types and ids with CR or LF (ids also NUL) are always rejected.
    #[test]
    fn line_breaks_never_get_into_a_type_or_id(value in text()) {
        let breaks = value.contains(['\r', '\n']);
        prop_assert_eq!(EventType::new(&value).is_err(), breaks);
        prop_assert_eq!(EventId::new(&value).is_err(), breaks || value.contains('\0'));
    }

    /// Whatever the encoder writes conforms to the grammar (G1–G5).
    #[test]
    fn encoder_output_conforms(
        events in prop::collection::vec(
            (text(), proptest::option::of(text()), proptest::option::of(any::<u64>()), proptest::option::of(text())),
            1..6,
        )
    ) {
        let mut wire = Vec::new();
        for (data, comment, retry, id) in &events {
            let mut event = Event::new().data(data);
            if let Some(comment) = comment {
                event = event.comment(comment);
            }
            if let Some(retry) = retry {
                event = event.retry_ms(*retry);
            }
            if let Some(Ok(id)) = id.as_deref().map(EventId::new) {
                event = event.id(id);
            }
            let one = event.to_vec();
            prop_assert_eq!(grammar::check(&one), Ok(()));
            wire.extend_from_slice(&one);
        }
        prop_assert_eq!(grammar::check(&wire), Ok(()));
    }

    /// With small limits no buffer outgrows them, and the events before an
    /// oversized one are delivered.
    #[test]
    fn limits_bound_memory_and_keep_earlier_events(
        before in prop::collection::vec("[a-z]{0,8}", 0..4),
        big in 65usize..300,
        after in prop::collection::vec("[a-z]{0,8}", 0..4),
        (noise, noise_cuts) in stream_and_cuts(),
        chunk in 1usize..40,
    ) {
        let config = Config::new().max_line_len(48).max_event_size(64);
        let mut input = Vec::new();
        let mut expected = Vec::new();
        for data in &before {
            input.extend_from_slice(&Event::new().data(data).to_vec());
            expected.push(Out::Event { event_type: "message".into(), data: data.clone(), id: String::new() });
        }
        input.extend_from_slice(format!("data: {}\n\n", "x".repeat(big)).as_bytes());
        expected.push(Out::Error(ErrorKind::LineTooLong));
        for data in &after {
            input.extend_from_slice(&Event::new().data(data).to_vec());
            expected.push(Out::Event { event_type: "message".into(), data: data.clone(), id: String::new() });
        }
        let cuts: Vec<usize> = (chunk..input.len()).step_by(chunk).collect();
        let chunks = split(&input, &cuts);
        for (layer, decode) in LAYERS {
            prop_assert_eq!(&decode(config, b"", &chunks), &expected, "{}", layer);
        }

        // Arbitrary input: the buffers stay bounded throughout.
        let mut push = EventDecoder::with_config(config);
        let mut bytes = BytesDecoder::with_config(config);
        let mut largest = 0;
        for piece in split(&noise, &noise_cuts).into_iter().chain(chunks) {
            largest = largest.max(piece.len());
            push.push(piece);
            while push.next_item().is_some() {}
            // The limit, a line end and the largest chunk pushed (capacity
            // never shrinks).
            prop_assert!(push.buffer_capacity() <= 64 + 2 + largest, "{}", push.buffer_capacity());
            bytes.push(bytes::Bytes::copy_from_slice(piece));
            for _ in bytes.by_ref() {}
            prop_assert!(bytes.partial_line_len() <= 48);
        }
    }

    /// The last event ID persists across events, an empty `id` resets it,
    /// an id with NUL is ignored, and a seed stands until the stream
    /// changes it.
    #[test]
    fn last_event_id_persists(
        seed in "[a-z]{0,4}",
        blocks in prop::collection::vec(
            (prop::option::of(prop_oneof!["[a-z0-9]{0,4}", "[a-z]\0[a-z]"]), any::<bool>()),
            0..12,
        ),
    ) {
        let mut input = Vec::new();
        let mut expected = Vec::new();
        let mut current = seed.clone();
        for (n, (id, has_data)) in blocks.iter().enumerate() {
            if let Some(id) = id {
                input.extend_from_slice(format!("id: {id}\n").as_bytes());
                if !id.contains('\0') {
                    current = id.clone();
                }
            }
            if *has_data {
                input.extend_from_slice(format!("data: {n}\n").as_bytes());
                expected.push(Out::Event { event_type: "message".into(), data: n.to_string(), id: current.clone() });
            }
            input.push(b'\n');
        }
        for (layer, decode) in LAYERS {
            prop_assert_eq!(&decode(Config::new(), seed.as_bytes(), &[&input]), &expected, "{}", layer);
        }
        let mut push = EventDecoder::new().with_last_event_id(seed.as_bytes());
        push.push(&input);
        while push.next_item().is_some() {}
        prop_assert_eq!(push.last_event_id(), current.as_bytes());
    }
}
