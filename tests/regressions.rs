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

/// fuzz `chunked`, minimized-from-94279170 (the `Split` it decodes to is
/// written out below): when a chunk ended right after a line that filled
/// the event limit exactly, the core decoder counted that line's end
/// towards the event and reported `EventTooLarge`; whole, nothing is wrong.
/// By hand (RULES L3, F3, D1, F5, L6): `id:1` then a blank line set the last
/// event ID; the 13-byte `id:` line is exactly at both limits of 13 and
/// sets it again; a blank line dispatches nothing (no data); `i\xFF` is an
/// unknown field; the unterminated `\0` is dropped at the end. No item.
#[test]
fn a_chunk_ending_after_a_line_at_the_event_limit() {
    let raw = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz-crashes/chunked-event-limit-at-line-end"
    ))
    .unwrap();
    assert_eq!(raw.len(), 61);
    let input = b"id:1\r\rid:\xFF\xFF\xFF\xFF\xFF\xFF\xFF{:1\r\ri\xFF\r\0";
    let config = Config::new()
        .max_line_len(13)
        .max_event_size(13)
        .comments(true);
    for (layer, decode) in LAYERS {
        assert_eq!(decode(config, b"", &split(input, &[7, 20])), [], "{layer}");
        for at in 0..=input.len() {
            assert_eq!(
                decode(config, b"", &split(input, &[at])),
                [],
                "{layer}, split at {at}"
            );
        }
        let bytewise = split(input, &(1..input.len()).collect::<Vec<_>>());
        assert_eq!(decode(config, b"", &bytewise), [], "{layer}, byte by byte");
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
