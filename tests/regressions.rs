//! Crashes found by fuzzing and defects found in review, each kept as a
//! test with its input. Raw fuzz inputs live in `tests/fuzz-crashes/`, and
//! every one of them is replayed through every layer and the model.

mod support;

use sse_wire::decode::{Config, Decoder, Item, PushDecoder, Status};
use sse_wire::ErrorKind;
use std::path::Path;
use support::{all_layers_agree, model, split, Out, LAYERS};

fn event(data: &str) -> Out {
    Out::Event {
        event_type: "message".into(),
        data: data.into(),
        id: String::new(),
    }
}

/// Every file in `tests/fuzz-crashes/`, by name.
fn crash_files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-crashes");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fuzz crashes in {}", dir.display());
    files
}

/// Every crash file, its raw bytes taken as a stream: through every layer
/// whole, at every split point and byte by byte, under the default limits
/// (where the output must be the model's), no limits at all (the model's
/// too), and tiny limits (where the layers must agree with each other); no
/// panic anywhere.
#[test]
fn every_fuzz_crash_replays_through_every_layer_and_the_model() {
    let unlimited = Config::new()
        .max_line_len(usize::MAX)
        .max_event_size(usize::MAX);
    // Under Miri, a thousand times slower, fewer limits and chunkings.
    let sizes: &[usize] = if cfg!(miri) {
        &[0, 13]
    } else {
        &[0, 1, 2, 7, 13, 64]
    };
    let mut limited = Vec::new();
    for &line in sizes {
        for &event in sizes {
            limited.push(Config::new().max_line_len(line).max_event_size(event));
        }
    }
    for (name, input) in crash_files() {
        let mut chunkings = vec![vec![], (1..input.len()).collect::<Vec<usize>>()];
        if !cfg!(miri) {
            chunkings.extend((1..input.len()).map(|at| vec![at]));
        }
        for cuts in &chunkings {
            let chunks = split(&input, cuts);
            let run = |config: Config| {
                std::panic::catch_unwind(|| all_layers_agree(config, b"", &chunks))
                    .unwrap_or_else(|_| panic!("{name}, {config:?}, cut at {cuts:?}"))
            };
            for comments in [false, true] {
                let expected = model::decode_with(&input, "", comments);
                for config in [Config::new(), unlimited] {
                    assert_eq!(
                        run(config.comments(comments)),
                        expected,
                        "{name}, {config:?}, comments {comments}, cut at {cuts:?}"
                    );
                }
                for &config in &limited {
                    run(config.comments(comments));
                }
            }
        }
    }
}

/// fuzz `roundtrip`, crash-57218c31 (input `EF BB BF`: an empty event,
/// decoded with no limits): `usize::MAX` limits overflowed the push
/// decoder's growth bound.
#[test]
fn unlimited_limits_do_not_overflow() {
    let config = Config::new()
        .max_line_len(usize::MAX)
        .max_event_size(usize::MAX);
    let wire = b"event\nid\ndata\n\n";
    let expected = [event(""), Out::clean_end("")];
    for &(layer, decode) in LAYERS {
        assert_eq!(decode(config, b"", &[wire]), expected, "{layer}");
        let bytewise = support::bytewise(wire);
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
    let input = b"id:1\r\rid:\xFF\xFF\xFF\xFF\xFF\xFF\xFF{:1\r\ri\xFF\r\0";
    let config = Config::new()
        .max_line_len(13)
        .max_event_size(13)
        .comments(true);
    // The last event ID is the 13-byte one, as text; the `\0` is cut.
    let expected = [Out::End {
        incomplete_line: true,
        undispatched_event: false,
        last_event_id: "\u{FFFD}".repeat(7) + "{:1",
    }];
    // The push layer counts its text, where each `\xFF` is three bytes
    // (`PushDecoder`): it gets the same stream with `x` in their place, the
    // same length as text as the input is in bytes.
    let as_text: Vec<u8> = input
        .iter()
        .map(|&b| if b == 0xFF { b'x' } else { b })
        .collect();
    let expected_text = [Out::End {
        incomplete_line: true,
        undispatched_event: false,
        last_event_id: "x".repeat(7) + "{:1",
    }];
    let mut chunkings = vec![vec![7, 20], (1..input.len()).collect()];
    chunkings.extend((0..=input.len()).map(|at| vec![at]));
    for cuts in chunkings {
        for &(layer, decode) in LAYERS {
            let (input, expected) = if layer == "push" {
                (&as_text[..], &expected_text)
            } else {
                (&input[..], &expected)
            };
            assert_eq!(
                decode(config, b"", &split(input, &cuts)),
                expected,
                "{layer}, cut at {cuts:?}"
            );
        }
    }
}

/// Review: the limit reported for a line breaking both limits depended on
/// the chunking. The first limit broken, byte by byte, is reported.
#[test]
fn the_limit_reported_does_not_depend_on_chunking() {
    let config = Config::new().max_line_len(10).max_event_size(15);
    let input = b"data: abc\ndata: 0123456789\n\ndata: ok\n\n";
    for at in 0..=input.len() {
        for &(layer, decode) in LAYERS {
            // The event limit falls at byte 15, the line limit at byte 20.
            assert_eq!(
                decode(config, b"", &split(input, &[at])),
                [
                    Out::Error(ErrorKind::EventTooLarge),
                    event("ok"),
                    Out::clean_end("")
                ],
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
        Out::Retry(std::time::Duration::from_millis(5)),
        event("x"),
        Out::clean_end(""),
    ];
    assert_eq!(
        all_layers_agree(config, b"", &split(&input, &[100, 2049])),
        expected
    );
    // A kept line is part of the event from its first byte.
    let long = format!("data: {}\n\n", "y".repeat(100));
    assert_eq!(
        all_layers_agree(config, b"", &[long.as_bytes()]),
        [Out::Error(ErrorKind::EventTooLarge), Out::clean_end("")]
    );
}

/// Review: the push decoder reported an incomplete line at `finish` when
/// every pushed byte had been read.
#[test]
fn finish_after_the_last_item_is_clean() {
    let mut decoder = PushDecoder::new();
    decoder.push(b"data: x\n\n");
    assert!(matches!(decoder.next_item(), Some(Ok(Item::Event(_)))));
    assert!(decoder.finish().is_clean());
}

/// Decodes `buf` to the end with the core decoder, collecting events' data.
fn events_of(decoder: &mut Decoder, buf: &[u8]) -> Vec<String> {
    let mut events = Vec::new();
    loop {
        match decoder.decode(buf) {
            Ok(Status::Complete(Item::Event(e))) => events.push(e.data().to_string()),
            Ok(Status::Complete(_)) => {}
            Ok(Status::Partial) => return events,
            Err(e) => panic!("{e}"),
        }
    }
}

/// Review: giving `decode` a different buffer of the same length made
/// `Data::to_bytes` index out of bounds. A buffer shorter than what was
/// read is caught (`BufferShrank`, a misuse, not a limit), the pending
/// event is discarded and the decoder goes on at the next blank line; a
/// swapped buffer as long cannot be told from new input, and gives wrong
/// data, never a panic, and the decoder goes on.
#[test]
fn a_swapped_buffer_is_not_a_panic() {
    // Shorter: 7 bytes where 16 were read.
    let mut decoder = Decoder::new();
    assert_eq!(
        decoder.decode(b"data: a\ndata: b\n").unwrap(),
        Status::Partial
    );
    let err = decoder.decode(b"data: x").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BufferShrank);
    assert!(!err.kind().is_limit());
    assert_eq!(err.limit(), None);
    assert!(err.to_string().contains("release()"), "{err}");
    // The error is reported once, and the decoder waits for a blank line.
    assert_eq!(decoder.decode(b"data: x").unwrap(), Status::Partial);
    let mut buf = b"data: x".to_vec();
    buf.drain(..decoder.release());
    buf.extend_from_slice(b"\n\ndata: next\n\nid: 3\ndata: last\n\n");
    // `a` and `b` were discarded with the event they were pending in.
    assert_eq!(events_of(&mut decoder, &buf), ["next", "last"]);
    assert_eq!(decoder.last_event_id(), b"3");
    buf.drain(..decoder.release());
    assert!(buf.is_empty());
    assert!(decoder.finish().is_clean());

    // As long, or longer: the pending event's two lines are read where
    // the new buffer has other bytes.
    let mut decoder = Decoder::new();
    assert_eq!(
        decoder.decode(b"data: a\ndata: b\n").unwrap(),
        Status::Partial
    );
    let swapped = b"data: \ndata:abcX\n\n";
    let Ok(Status::Complete(Item::Event(e))) = decoder.decode(swapped) else {
        panic!("the blank line dispatches the pending event")
    };
    let data = e.data();
    let len = data.len();
    let bytes = data.to_bytes();
    assert!(bytes.len() <= len, "{bytes:?} is longer than {len}");
    let mut out = vec![0; len];
    assert!(data.copy_to(&mut out).unwrap() <= len);
    let _ = data.to_str();
    let _ = data.to_string();
    let _ = data.lines().count();
    // Once the caller keeps its buffer as the docs say, all is well again.
    let mut buf = swapped.to_vec();
    buf.drain(..decoder.release());
    buf.extend_from_slice(b"data: ok\n\n");
    assert_eq!(events_of(&mut decoder, &buf), ["ok"]);
    buf.drain(..decoder.release());
    assert!(buf.is_empty());
    assert!(decoder.finish().is_clean());
}

/// Found by `layers_agree_under_small_limits`: the push layer's limits
/// count its text, where each ill-formed byte has become a three-byte
/// U+FFFD, as `PushDecoder` documents. This 8-byte line is within a line
/// limit of 8 for the core and `Bytes` layers; as text it is 12 bytes.
#[test]
fn the_push_layer_counts_its_text_towards_the_limits() {
    let input: &[u8] = b"data: \xFF\xFF\n\n";
    let expected = [event("\u{FFFD}\u{FFFD}"), Out::clean_end("")];
    for &(layer, decode) in LAYERS {
        let got = decode(Config::new().max_line_len(8), b"", &[input]);
        if layer == "push" {
            assert_eq!(
                got,
                [Out::Error(ErrorKind::LineTooLong), Out::clean_end("")],
                "{layer}"
            );
        } else {
            assert_eq!(got, expected, "{layer}");
        }
        // With room for the text, every layer gives the event.
        assert_eq!(
            decode(Config::new().max_line_len(12), b"", &[input]),
            expected,
            "{layer}"
        );
    }
}

/// Found by `layers_agree_under_small_limits`: with the event limit below
/// the line limit, a `data` line that starts an event and breaks both, cut
/// after its first byte, was reported as `EventTooLarge` by the core and
/// push layers (which read the whole line once its end arrives) and as
/// `LineTooLong` by the `Bytes` layer (which checked the joined line before
/// knowing its field). Now it tells whether the line is kept first, as the
/// others do, and all report the event limit, broken first.
#[test]
fn layers_report_the_same_limit_for_the_same_chunks() {
    let config = Config::new().max_line_len(10).max_event_size(5);
    let chunks: [&[u8]; 2] = [b"d", b"ata: 0123456789\n\n"];
    let out = all_layers_agree(config, b"", &chunks);
    assert_eq!(
        out,
        [Out::Error(ErrorKind::EventTooLarge), Out::clean_end("")],
        "{out:?}"
    );
}

/// Found by `limits_bound_memory_and_keep_earlier_events`: the push layer
/// made room for a chunk's length in bytes, but its text can be longer
/// (three bytes per ill-formed byte), so the string grew on its own, by
/// doubling, past the documented bound: the larger limit (32), a line end
/// (2) and the largest chunk pushed as text (9).
#[test]
fn push_buffer_bound_holds_for_chunks_that_grow_as_text() {
    let config = Config::new().max_line_len(32).max_event_size(32);
    let mut decoder = PushDecoder::with_config(config);
    let chunks: [&[u8]; 4] = [
        b"data: xxxxxxxxxx\n",
        b"\n",
        b"\xFF\xFF\xFF",
        b"\xFF\xFF\xFF",
    ];
    for chunk in chunks {
        decoder.push(chunk);
        while decoder.next_item().is_some() {}
        assert!(
            decoder.buffer_capacity() <= 32 + 2 + 9,
            "capacity {} after {chunk:?}",
            decoder.buffer_capacity()
        );
    }
}

/// Fuzz target `limits`, session 17: with a line limit of 0, the first
/// byte of a BOM, alone in a chunk, is held by the `Bytes` layer (it reads
/// with the core, which waits for the rest) and its gauge counted it past
/// the line limit. The bound is the limit and a BOM's first two bytes;
/// the layers agree on what the stream says.
#[cfg(feature = "bytes")]
#[test]
fn a_bom_cut_by_a_chunk_is_held_within_two_bytes() {
    use sse_wire::decode::BytesDecoder;
    let config = Config::new()
        .max_line_len(0)
        .max_event_size(37)
        .comments(true);
    for chunks in [
        &[&b""[..], b"\xEF"][..],
        &[b"\xEF\xBB", b"\xBF", b"\n"],
        &[b"\xEF\xBB", b"x\n"],
    ] {
        all_layers_agree(config, b":1", chunks);
        let mut bytes = BytesDecoder::with_config(config);
        for chunk in chunks {
            bytes.push(bytes::Bytes::copy_from_slice(chunk));
            while bytes.next_item().is_some() {}
            assert!(bytes.buffered_len() <= 2, "{chunks:?}");
        }
    }
    let mut bytes = BytesDecoder::with_config(config);
    bytes.push(bytes::Bytes::from_static(b"\xEF\xBB"));
    assert!(bytes.next_item().is_none());
    assert_eq!(bytes.buffered_len(), 2);
    bytes.push(bytes::Bytes::from_static(b"\xBF"));
    assert!(bytes.next_item().is_none());
    assert_eq!(bytes.buffered_len(), 0, "the BOM, once whole, is let go");
}
