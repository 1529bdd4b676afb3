//! Crashes found by fuzzing and defects found in review, each kept as a
//! test with its input. Raw fuzz inputs live in `tests/fuzz-crashes/`.

mod support;

use sse_wire::decode::{Config, Decoder, EventDecoder, Item, Status};
use sse_wire::ErrorKind;
use support::{split, Out, LAYERS};

/// fuzz `roundtrip`, crash-57218c31 (input `EF BB BF`: an empty event,
/// decoded with no limits): `usize::MAX` limits overflowed the push
/// decoder's growth bound.
#[test]
fn unlimited_limits_do_not_overflow() {
    let raw = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz-crashes/roundtrip-unlimited-config-overflow"
    ))
    .unwrap();
    assert_eq!(raw, b"\xEF\xBB\xBF");
    let config = Config::new()
        .max_line_len(usize::MAX)
        .max_event_size(usize::MAX);
    let wire = b"event\nid\ndata\n\n";
    let expected = [Out::Event {
        event_type: "message".into(),
        data: String::new(),
        id: String::new(),
    }];
    for (layer, decode) in LAYERS {
        assert_eq!(decode(config, b"", &[wire]), expected, "{layer}");
        let bytewise = split(wire, &(1..wire.len()).collect::<Vec<_>>());
        assert_eq!(decode(config, b"", &bytewise), expected, "{layer}");
    }
}

/// Review: the limit reported for a line breaking both limits depended on
/// the chunking. The first limit broken, byte by byte, is reported.
#[test]
fn the_limit_reported_does_not_depend_on_chunking() {
    let config = Config::new().max_line_len(10).max_event_size(15);
    let input = b"data: abc\ndata: 0123456789\n\ndata: ok\n\n";
    let ok = Out::Event {
        event_type: "message".into(),
        data: "ok".into(),
        id: String::new(),
    };
    for at in 0..=input.len() {
        for (layer, decode) in LAYERS {
            // The event limit falls at byte 15, the line limit at byte 20.
            assert_eq!(
                decode(config, b"", &split(input, &[at])),
                [Out::Error(ErrorKind::EventTooLarge), ok.clone()],
                "{layer}, split at {at}"
            );
        }
    }
}

/// Review: lines outside an event counted towards the event limit, so the
/// crate's own 2 KiB padding comment broke a small event limit.
#[test]
fn lines_outside_an_event_count_only_towards_the_line_limit() {
    let config = Config::new().max_line_len(4096).max_event_size(64);
    let mut input = sse_wire::encode::PADDING.as_bytes().to_vec();
    input.extend_from_slice(b"retry: 5\ndata: x\n\n");
    let expected = [
        Out::Retry(5),
        Out::Event {
            event_type: "message".into(),
            data: "x".into(),
            id: String::new(),
        },
    ];
    for (layer, decode) in LAYERS {
        assert_eq!(
            decode(config, b"", &split(&input, &[100, 2049])),
            expected,
            "{layer}"
        );
    }
    // A kept line is part of the event from its first byte.
    let long = format!("data: {}\n\n", "y".repeat(100));
    for (layer, decode) in LAYERS {
        assert_eq!(
            decode(config, b"", &[long.as_bytes()]),
            [Out::Error(ErrorKind::EventTooLarge)],
            "{layer}"
        );
    }
}

/// Review: the push decoder reported an incomplete line at `finish` when
/// every pushed byte had been read.
#[test]
fn finish_after_the_last_item_is_clean() {
    let mut decoder = EventDecoder::new();
    decoder.push(b"data: x\n\n");
    assert!(matches!(decoder.next_item(), Some(Ok(Item::Event(_)))));
    assert!(decoder.finish().is_clean());
}

/// Review: giving `decode` a different buffer of the same length made
/// `Data::to_bytes` index out of bounds. Misuse gives wrong data, not a panic.
#[test]
fn a_swapped_buffer_is_not_a_panic() {
    let mut decoder = Decoder::new();
    assert_eq!(
        decoder.decode(b"data: a\ndata: b\n").unwrap(),
        Status::Partial
    );
    if let Ok(Status::Complete(Item::Event(e))) = decoder.decode(b"data: \ndata:abcX\n\n") {
        let _ = e.data().to_bytes();
        let _ = e.data().to_str();
        let _ = e.data().to_string();
    }
}
