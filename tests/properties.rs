//! Property tests: the decoder against the reference model (a naive
//! transliteration of RULES.md in `support/model.rs`), chunk invariance,
//! the layers against each other under small limits, encoder round trips
//! and safety, limits, the last event ID.

mod support;

use proptest::prelude::*;
use sse_wire::decode::{Config, PushDecoder};
use sse_wire::encode::{Event, EventId, EventType};
use sse_wire::ErrorKind;
use std::time::Duration;
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

/// Ascending cut points within `len`: a few at random, or every byte.
fn cuts(len: usize) -> impl Strategy<Value = Vec<usize>> {
    prop_oneof![
        4 => prop::collection::btree_set(0..=len, 0..12)
            .prop_map(|set| set.into_iter().collect()),
        1 => Just((1..len).collect()),
    ]
}

fn stream_and_cuts() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    stream().prop_flat_map(|s| {
        let len = s.len();
        (Just(s), cuts(len))
    })
}

/// Pieces of text for an encoder's values, line breaks and NUL likely.
const PIECES: &[&str] = &[
    "\r", "\n", "\r\n", "\0", " ", ":", "\u{FEFF}", "data: x", "\t", "\u{e9}", "\u{2028}",
];

/// Text made of any characters and of `PIECES`, leaving out `excluded`.
fn text_without(excluded: &'static [char]) -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = PIECES
        .iter()
        .copied()
        .filter(|p| !p.contains(excluded))
        .collect();
    prop::collection::vec(
        prop_oneof![
            3 => any::<char>()
                .prop_filter("excluded", move |c| !excluded.contains(c))
                .prop_map(String::from),
            1 => prop::sample::select(pieces).prop_map(String::from),
        ],
        0..20,
    )
    .prop_map(|parts| parts.concat())
}

/// Any text, line breaks and NUL likely.
fn text() -> impl Strategy<Value = String> {
    text_without(&[])
}

/// What an event type may hold: anything but CR and LF (NUL is allowed, F1).
fn valid_event_type() -> impl Strategy<Value = String> {
    text_without(&['\r', '\n'])
}

/// What an ID may hold: anything but CR, LF and NUL (F3).
fn valid_id() -> impl Strategy<Value = String> {
    text_without(&['\r', '\n', '\0'])
}

/// A value that is valid up to a first bad piece (one of `bad`), then
/// anything: the value, and the offset and byte the check must report.
fn invalid(
    valid: impl Strategy<Value = String>,
    bad: &'static [&'static str],
) -> impl Strategy<Value = (String, usize, u8)> {
    (valid, prop::sample::select(bad), text()).prop_map(|(prefix, bad, rest)| {
        let at = prefix.len();
        (format!("{prefix}{bad}{rest}"), at, bad.as_bytes()[0])
    })
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

    /// Every layer gives exactly the model's events, retries, comments and
    /// end of stream.
    #[test]
    fn layers_match_the_model(input in stream(), seed in "[a-z0-9]{0,3}", comments in any::<bool>()) {
        let expected = model::decode_with(&input, &seed, comments);
        let config = Config::new().comments(comments);
        for &(layer, decode) in LAYERS {
            prop_assert_eq!(&decode(config, seed.as_bytes(), &[&input]), &expected, "{}", layer);
        }
    }

    /// Any split gives the same output as the whole input, through every layer.
    #[test]
    fn chunking_changes_nothing((input, cuts) in stream_and_cuts(), comments in any::<bool>()) {
        let expected = model::decode_with(&input, "", comments);
        let chunks = split(&input, &cuts);
        let config = Config::new().comments(comments);
        for &(layer, decode) in LAYERS {
            prop_assert_eq!(&decode(config, b"", &chunks), &expected, "{}", layer);
        }
    }

    /// Under small limits the layers report the same items, errors and end
    /// of stream as each other, however the input is chunked; the chunking
    /// changes nothing either (but which size limit is reported, when the
    /// event limit is below the line limit: `Config` documents that); and
    /// where no limit was hit, the output is the model's.
    #[test]
    fn layers_agree_under_small_limits(
        (input, cuts) in stream_and_cuts(),
        max_line in 0usize..64,
        max_event in 0usize..64,
        comments in any::<bool>(),
        seed in "[a-z0-9]{0,3}",
    ) {
        let config = Config::new().max_line_len(max_line).max_event_size(max_event).comments(comments);
        let chunks = split(&input, &cuts);
        let (first, decode) = LAYERS[0];
        let expected = decode(config, seed.as_bytes(), &chunks);
        for &(layer, decode) in &LAYERS[1..] {
            // The push layer counts its text (`PushDecoder`'s docs): on
            // input that is not UTF-8 it gives what the core gives for
            // that text.
            if layer == "push" && !support::limits_see_the_same_bytes(config, &input) {
                prop_assert_eq!(
                    support::push_as_text(config, seed.as_bytes(), &chunks),
                    support::core_on_text(config, seed.as_bytes(), &input),
                    "push against the core on the text, chunks {:?}", chunks
                );
                continue;
            }
            prop_assert_eq!(
                &decode(config, seed.as_bytes(), &chunks), &expected,
                "{} against {}, chunks {:?}", layer, first, chunks
            );
        }
        let whole = decode(config, seed.as_bytes(), &[&input]);
        if max_event >= max_line {
            prop_assert_eq!(&expected, &whole, "chunked against whole");
        } else {
            prop_assert_eq!(support::either_size_limit(&expected), support::either_size_limit(&whole), "chunked against whole");
        }
        if !expected.iter().any(Out::is_error) {
            prop_assert_eq!(&expected, &model::decode_with(&input, &seed, comments), "against the model");
        }
    }

    /// What the encoder accepts decodes back to the same type, data (line
    /// ends normalised to LF), id and reconnection time; a comment changes
    /// nothing.
    #[test]
    fn encoder_round_trips(
        event_type in valid_event_type(),
        data in text(),
        id in valid_id(),
        retry in proptest::option::of(any::<u64>()),
        comment in proptest::option::of(text()),
    ) {
        let mut event = Event::new()
            .event_type(EventType::new(&event_type).unwrap())
            .id(EventId::new(&id).unwrap())
            .data(&data);
        let mut expected = Vec::new();
        if let Some(retry) = retry {
            event = event.retry(Duration::from_millis(retry));
            expected.push(Out::Retry(Duration::from_millis(retry)));
        }
        if let Some(comment) = &comment {
            event = event.comment(comment);
        }
        let wire = event.to_vec();
        prop_assert_eq!(wire.len(), event.encoded_len());
        expected.push(Out::Event {
            event_type: if event_type.is_empty() { "message".to_string() } else { event_type.clone() },
            data: data.replace("\r\n", "\n").replace('\r', "\n"),
            id: id.clone(),
        });
        expected.push(Out::clean_end(&id));
        let bytewise = support::bytewise(&wire);
        for &(layer, decode) in LAYERS {
            prop_assert_eq!(&decode(Config::new(), b"", &[&wire]), &expected, "{}", layer);
            prop_assert_eq!(&decode(Config::new(), b"", &bytewise), &expected, "{} byte by byte", layer);
        }
    }

    /// An event type with CR or LF is rejected at the first of them.
    #[test]
    fn an_invalid_event_type_is_rejected_at_its_first_line_break(
        (value, at, byte) in invalid(valid_event_type(), &["\r", "\n", "\r\n"]),
    ) {
        let e = EventType::new(&value).unwrap_err();
        prop_assert_eq!((e.at(), e.byte()), (at, byte), "{:?}", value);
        prop_assert_eq!(EventType::try_from(value.as_str()).unwrap_err(), e);
    }

    /// An ID with CR, LF or NUL is rejected at the first of them.
    #[test]
    fn an_invalid_id_is_rejected_at_its_first_bad_byte(
        (value, at, byte) in invalid(valid_id(), &["\r", "\n", "\r\n", "\0"]),
    ) {
        let e = EventId::new(&value).unwrap_err();
        prop_assert_eq!((e.at(), e.byte()), (at, byte), "{:?}", value);
        prop_assert_eq!(EventId::try_from(value.as_str()).unwrap_err(), e);
    }

    /// On any text, the checks accept exactly what holds no CR or LF (and,
    /// for an ID, no NUL).
    #[test]
    fn line_breaks_never_get_into_a_type_or_id(value in text()) {
        let first = |bad: &[u8]| value.bytes().position(|b| bad.contains(&b));
        prop_assert_eq!(EventType::new(&value).err().map(|e| e.at()), first(b"\r\n"));
        prop_assert_eq!(EventId::new(&value).err().map(|e| e.at()), first(b"\r\n\0"));
    }

    /// Numbered IDs write the number's digits.
    #[test]
    fn numbered_ids_are_their_digits(n in any::<u64>()) {
        let id = EventId::from_u64(n);
        let digits = n.to_string();
        prop_assert_eq!(id.as_str(), digits.as_str());
        prop_assert_eq!(EventId::from(n), EventId::new(&digits).unwrap());
    }

    /// Whatever the encoder writes conforms to the grammar (G1–G5).
    #[cfg(feature = "grammar")]
    #[test]
    fn encoder_output_conforms(
        events in prop::collection::vec(
            (text(), proptest::option::of(text()), proptest::option::of(any::<u64>()), proptest::option::of(valid_id())),
            1..6,
        )
    ) {
        use sse_wire::grammar;
        let mut wire = Vec::new();
        for (data, comment, retry, id) in &events {
            let mut event = Event::new().data(data);
            if let Some(comment) = comment {
                event = event.comment(comment);
            }
            if let Some(retry) = retry {
                event = event.retry(Duration::from_millis(*retry));
            }
            if let Some(id) = id {
                event = event.id(EventId::new(id).unwrap());
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
        expected.push(Out::clean_end(""));
        let cuts: Vec<usize> = (chunk..input.len()).step_by(chunk).collect();
        let chunks = split(&input, &cuts);
        for &(layer, decode) in LAYERS {
            prop_assert_eq!(&decode(config, b"", &chunks), &expected, "{}", layer);
        }

        // Arbitrary input: the buffers stay bounded throughout.
        let mut push = PushDecoder::with_config(config);
        #[cfg(feature = "bytes")]
        let mut bytes = sse_wire::decode::BytesDecoder::with_config(config);
        let mut largest = 0;
        let mut stream = Vec::new();
        for piece in split(&noise, &noise_cuts).into_iter().chain(chunks) {
            let before = support::text_len(&stream);
            stream.extend_from_slice(piece);
            largest = largest.max(support::text_len(&stream) - before);
            push.push(piece);
            while push.next_item().is_some() {}
            // The larger limit, a line end and the largest chunk pushed, as
            // text (capacity never shrinks).
            prop_assert!(
                push.buffer_capacity() <= 64 + 2 + largest,
                "capacity {}, largest chunk as text {}", push.buffer_capacity(), largest
            );
            #[cfg(feature = "bytes")]
            {
                bytes.push(bytes::Bytes::copy_from_slice(piece));
                while bytes.next_item().is_some() {}
                // The line limit, and a BOM's first bytes while the rest
                // may follow.
                prop_assert!(bytes.buffered_len() <= 48 + 2);
            }
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
        expected.push(Out::clean_end(&current));
        for &(layer, decode) in LAYERS {
            prop_assert_eq!(&decode(Config::new(), seed.as_bytes(), &[&input]), &expected, "{}", layer);
        }
        let mut push = PushDecoder::new();
        push.set_last_event_id(seed.as_bytes()).unwrap();
        push.push(&input);
        while push.next_item().is_some() {}
        prop_assert_eq!(push.last_event_id(), current.as_bytes());
    }
}
