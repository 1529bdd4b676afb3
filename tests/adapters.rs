//! The async adapters against the core decoder: `stream::EventStream`
//! (feature `stream`) and `codec::SseCodec` under `tokio-util`'s
//! `FramedRead` (feature `codec`) run every spec fixture (`spec-fixtures/`)
//! whole, byte by byte (inputs up to 4 KiB) and in seeded random chunkings,
//! and must give what the core decoder gives for the same chunks and seed,
//! which must be the fixture's expected output; the `End` their `end()`
//! reports (L6) must be the core's `finish()`. Then the promises the
//! fixtures cannot show: a transport error ends an `EventStream`, a limit
//! error discards one event and the stream goes on, and what the codec
//! encodes decodes back to the same events.
//!
//! Without features `stream` and `codec` only the oracle check runs.

#[path = "support/fixtures.rs"]
mod fixture_cases;
mod support;

#[cfg(feature = "codec")]
use bytes::BytesMut;
use fixture_cases::{cases_where, to_json, Case};
#[cfg(any(feature = "stream", feature = "codec"))]
use futures::{executor::block_on, stream, StreamExt};
use serde_json::Value;
#[cfg(feature = "codec")]
use sse_wire::codec::SseCodec;
use sse_wire::decode::Decoder;
#[cfg(feature = "stream")]
use sse_wire::decode::PushDecoder;
#[cfg(any(feature = "stream", feature = "codec"))]
use sse_wire::decode::{Config, OwnedItem};
#[cfg(feature = "stream")]
use sse_wire::stream::{EventStream, StreamError};
#[cfg(any(feature = "stream", feature = "codec"))]
use sse_wire::ErrorKind;
#[cfg(any(feature = "stream", feature = "codec"))]
use support::{split, Rng};
use support::{split_end, Out};
#[cfg(feature = "codec")]
use tokio_util::{codec::FramedRead, io::StreamReader};

// ---------------------------------------------------------------------
// The fixtures, loaded as tests/fixtures.rs loads them.

fn cases() -> Vec<Case> {
    cases_where(|_| true)
}

/// The oracle: the core decoder built with `new()`, seeded, over `chunks`.
fn core(seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    support::run_core(Decoder::new(), seed, chunks)
}

/// Compares an output with the fixture (items) and the model (End).
fn assert_matches_fixture(case: &Case, got: &[Out], what: &str) {
    let (items, end) = split_end(got.to_vec());
    let items: Vec<Value> = items.iter().map(to_json).collect();
    assert_eq!(items, case.expected, "fixture {}, {what}", case.name);
    assert_eq!(end, case.end, "fixture {}, {what}: End", case.name);
}

/// The oracle the adapters are held to passes the fixtures, whole.
#[test]
fn the_core_oracle_passes_every_fixture() {
    for case in cases() {
        assert_matches_fixture(&case, &core(&case.seed, &[&case.input]), "core, whole");
    }
}

// ---------------------------------------------------------------------
// Running the adapters.

/// An owned item as the support code reports items.
#[cfg(any(feature = "stream", feature = "codec"))]
fn from_owned(item: &OwnedItem) -> Out {
    match item {
        OwnedItem::Event(e) => Out::Event {
            event_type: e.event_type().to_owned(),
            data: e.data().to_owned(),
            id: e.last_event_id().to_owned(),
        },
        OwnedItem::Retry(time) => Out::Retry(*time),
        OwnedItem::Comment(c) => Out::Comment(c.clone()),
    }
}

/// `EventStream` over `chunks` with a seeded `PushDecoder` of `config`:
/// every item, then `Out::End` from `end()` and the decoder's last event
/// ID. Checks that the stream is terminated and stays so.
#[cfg(feature = "stream")]
fn via_stream(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let mut out = Vec::new();
    let mut decoder = PushDecoder::with_config(config);
    if let Err(e) = decoder.set_last_event_id(seed) {
        out.push(Out::Error(e.kind()));
    }
    let chunks = stream::iter(chunks.iter().map(|&c| Ok::<_, std::convert::Infallible>(c)));
    let mut events = EventStream::with_decoder(chunks, decoder);
    block_on(async {
        while let Some(item) = events.next().await {
            assert!(
                events.end().is_none(),
                "end() is set while items still come"
            );
            out.push(match item {
                Ok(item) => from_owned(&item),
                Err(StreamError::Decode(e)) => Out::Error(e.kind()),
                Err(StreamError::Transport(never)) => match never {},
            });
        }
        // Fused: polled again, it stays ended.
        assert!(futures::stream::FusedStream::is_terminated(&events));
        assert!(events.next().await.is_none());
    });
    let end = events.end().expect("no End after the stream ended");
    out.push(Out::from_end(end, events.decoder().last_event_id()));
    out
}

/// `FramedRead` with a seeded `SseCodec` of `config`, over a reader that
/// returns `chunks` one read each (`StreamReader`; an empty chunk would
/// read as the end, so there is none): every item, then `Out::End` from
/// `end()` and the codec's last event ID.
#[cfg(feature = "codec")]
fn via_codec(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let mut out = Vec::new();
    let mut codec = SseCodec::with_config(config);
    if let Err(e) = codec.decoder_mut().set_last_event_id(seed) {
        out.push(Out::Error(e.kind()));
    }
    let reads: Vec<&[u8]> = chunks.iter().copied().filter(|c| !c.is_empty()).collect();
    let reader = StreamReader::new(stream::iter(reads.into_iter().map(Ok::<_, std::io::Error>)));
    let mut framed = FramedRead::new(reader, codec);
    block_on(async {
        while let Some(item) = framed.next().await {
            assert!(
                framed.decoder().end().is_none(),
                "end() is set while items still come"
            );
            out.push(match item.expect("the in-memory reader cannot fail") {
                Ok(item) => from_owned(&item),
                Err(e) => Out::Error(e.kind()),
            });
        }
        assert!(framed.next().await.is_none());
    });
    let codec = framed.decoder();
    let end = codec.end().expect("no End after the input ended");
    out.push(Out::from_end(end, codec.last_event_id()));
    out
}

/// An adapter: configuration, seeded last event ID, chunks in; items out,
/// then an `Out::End`.
#[cfg(any(feature = "stream", feature = "codec"))]
type Adapter = fn(Config, &[u8], &[&[u8]]) -> Vec<Out>;

#[cfg(any(feature = "stream", feature = "codec"))]
const ADAPTERS: &[(&str, Adapter)] = &[
    #[cfg(feature = "stream")]
    ("EventStream", via_stream),
    #[cfg(feature = "codec")]
    ("SseCodec", via_codec),
];

/// Runs `case` split at `cuts` through every adapter: each must give what
/// the core gives over the same chunks and seed, which must be the
/// fixture's output and the model's End (L6).
#[cfg(any(feature = "stream", feature = "codec"))]
fn check(case: &Case, cuts: &[usize], how: &str) {
    let chunks = split(&case.input, cuts);
    let expected = core(&case.seed, &chunks);
    assert_matches_fixture(case, &expected, &format!("core, {how}"));
    for &(adapter, run) in ADAPTERS {
        let got = run(Config::new(), &case.seed, &chunks);
        assert_eq!(
            got, expected,
            "fixture {}: {adapter} against the core, {how}",
            case.name
        );
    }
}

// ---------------------------------------------------------------------
// Every fixture through the adapters.

#[cfg(any(feature = "stream", feature = "codec"))]
#[test]
fn fixtures_whole() {
    for case in cases() {
        check(&case, &[], "whole");
    }
}

/// L1, L2, L3: CRLF, a BOM and UTF-8 split across chunks, one byte a
/// chunk (or one read a byte). Inputs over 4 KiB (the long-line cases)
/// are left to the random chunkings.
#[cfg(any(feature = "stream", feature = "codec"))]
#[test]
fn fixtures_byte_by_byte() {
    let mut ran = 0;
    for case in cases().iter().filter(|case| case.input.len() <= 4096) {
        let cuts: Vec<usize> = (1..case.input.len()).collect();
        check(case, &cuts, "byte by byte");
        ran += 1;
    }
    assert!(ran >= 150, "only {ran} short fixtures");
}

#[cfg(any(feature = "stream", feature = "codec"))]
#[test]
fn fixtures_in_seeded_random_chunks() {
    let mut rng = Rng(0xADA9_7E55);
    for case in cases() {
        for &max in &[2, 3, 7, 64, 1460, 16 * 1024] {
            for _ in 0..2 {
                let cuts = rng.cuts(case.input.len(), max);
                check(
                    &case,
                    &cuts,
                    &format!("random chunks of at most {max}: {cuts:?}"),
                );
            }
        }
    }
}

/// C7, RULES §5: a seed the fixtures do not give is carried by both
/// adapters as by the core, into events and into the End.
#[cfg(any(feature = "stream", feature = "codec"))]
#[test]
fn c7_a_seeded_last_event_id_carries_over_as_in_the_core() {
    let seed = b"seed-\xE2\x82\xAC-\xFF";
    let mut rng = Rng(0x0C7);
    for case in cases().iter().filter(|case| case.input.len() <= 4096) {
        let cuts = rng.cuts(case.input.len(), 5);
        let chunks = split(&case.input, &cuts);
        let expected = core(seed, &chunks);
        for &(adapter, run) in ADAPTERS {
            assert_eq!(
                run(Config::new(), seed, &chunks),
                expected,
                "fixture {}: {adapter}, seed {seed:?}, cuts {cuts:?}",
                case.name
            );
        }
    }
}

// ---------------------------------------------------------------------
// Limits: a limit error discards one event and the stream goes on.

/// A limit error is an item (`StreamError::Decode`, an `Err` item of the
/// codec), after which the next event comes as usual; the adapters report
/// what the core reports for every chunking.
#[cfg(any(feature = "stream", feature = "codec"))]
#[test]
fn a_limit_error_discards_one_event_and_the_stream_goes_on() {
    let config = Config::new().max_line_len(16);
    let input: &[u8] = b"data: short\n\n\
        data: a\ndata: this line is far too long for the limit\ndata: b\n\n\
        id: 9\ndata: next\n\n";
    let expected = vec![
        Out::Event {
            event_type: "message".into(),
            data: "short".into(),
            id: String::new(),
        },
        Out::Error(ErrorKind::LineTooLong),
        Out::Event {
            event_type: "message".into(),
            data: "next".into(),
            id: "9".into(),
        },
        Out::clean_end("9"),
    ];
    let mut rng = Rng(0x0011_4175);
    let mut chunkings = vec![vec![], (1..input.len()).collect::<Vec<_>>()];
    chunkings.extend((0..20).map(|_| rng.cuts(input.len(), 9)));
    for cuts in &chunkings {
        let chunks = split(input, cuts);
        assert_eq!(
            support::core(config, b"", &chunks),
            expected,
            "core, {cuts:?}"
        );
        for &(adapter, run) in ADAPTERS {
            assert_eq!(run(config, b"", &chunks), expected, "{adapter}, {cuts:?}");
        }
    }
}

/// Both limits on the stream: `StreamError::Decode` with the decoder's
/// error, then the stream goes on to the next event.
#[cfg(feature = "stream")]
#[test]
fn stream_limit_error_is_stream_error_decode() {
    let decoder = PushDecoder::with_config(Config::new().max_line_len(12).max_event_size(16));
    let chunks = stream::iter([
        Ok::<_, std::io::Error>(&b"data: 0123456789\n\n"[..]),
        Ok(b"data: 0123\ndata: 4567\n\n"),
        Ok(b"data: ok\n\n"),
    ]);
    let mut events = EventStream::with_decoder(chunks, decoder);
    block_on(async {
        let Some(Err(StreamError::Decode(e))) = events.next().await else {
            panic!("no line limit error")
        };
        assert_eq!(e.kind(), ErrorKind::LineTooLong);
        let Some(Err(StreamError::Decode(e))) = events.next().await else {
            panic!("no event limit error")
        };
        assert_eq!(e.kind(), ErrorKind::EventTooLarge);
        let Some(Ok(OwnedItem::Event(event))) = events.next().await else {
            panic!("the stream did not go on")
        };
        assert_eq!(event.data(), "ok");
        assert!(events.next().await.is_none());
    });
    assert!(events.end().unwrap().is_clean());
}

// ---------------------------------------------------------------------
// The transport ends an `EventStream`.

/// A transport error is yielded as `StreamError::Transport`, after every
/// item of the chunks before it; the stream then ends (`None`,
/// `is_terminated`) without reading the chunk stream further, and `end()`
/// reports what L6 threw away.
#[cfg(feature = "stream")]
#[test]
fn a_transport_error_is_yielded_and_ends_the_stream() {
    use futures::stream::FusedStream;

    let chunks = stream::iter(vec![
        Ok(b"id: 1\ndata: a\n\ndata: b\n\nda".to_vec()),
        Ok(b"ta: cut".to_vec()),
        Err("connection reset"),
        Ok(b"\n\ndata: after the error\n\n".to_vec()),
    ]);
    let mut events = EventStream::new(chunks);
    block_on(async {
        for data in ["a", "b"] {
            let Some(Ok(OwnedItem::Event(event))) = events.next().await else {
                panic!("no event {data}")
            };
            assert_eq!(event.data(), data);
            assert_eq!(event.last_event_id(), "1");
            assert!(!events.is_terminated());
        }
        assert_eq!(
            events.next().await,
            Some(Err(StreamError::Transport("connection reset")))
        );
        assert!(events.is_terminated());
        assert!(events.next().await.is_none());
        assert!(events.next().await.is_none());
    });
    // L6: the cut line was thrown away; no field of it was processed.
    let end = events.end().unwrap();
    assert!(end.incomplete_line, "{end:?}");
    assert!(!end.undispatched_event, "{end:?}");
    // The chunk after the error was never read; the decoder kept the last
    // event ID (C7) and is ready for the next connection.
    let (mut rest, decoder) = events.into_parts();
    assert_eq!(decoder.last_event_id(), b"1");
    let unread = block_on(rest.next());
    assert_eq!(unread, Some(Ok(b"\n\ndata: after the error\n\n".to_vec())));
}

/// C5, C7: after a transport error, the decoder taken out of the ended
/// stream reconnects with the last event ID; what the old connection left
/// unfinished does not run into the new one.
#[cfg(feature = "stream")]
#[test]
fn c7_the_decoder_of_an_ended_stream_carries_the_id_to_the_next_connection() {
    let first = stream::iter([
        Ok(&b"id: 41\ndata: x\n\nid: 42\ndata: pend"[..]),
        Err(std::io::ErrorKind::ConnectionReset),
    ]);
    let mut events = EventStream::new(first);
    let items: Vec<_> = block_on(events.by_ref().collect());
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(
        items[1],
        Err(StreamError::Transport(std::io::ErrorKind::ConnectionReset))
    ));
    let end = events.end().unwrap();
    assert!(end.incomplete_line && end.undispatched_event, "{end:?}");
    let (_, mut decoder) = events.into_parts();
    // The pending `id: 42` was never dispatched (L6, D1).
    assert_eq!(decoder.last_event_id(), b"41");
    assert!(decoder.reconnect().is_clean());
    let second = stream::iter([Ok::<_, std::io::ErrorKind>(&b"ing\n\ndata: y\n\n"[..])]);
    let mut events = EventStream::with_decoder(second, decoder);
    let items: Vec<_> = block_on(events.by_ref().collect());
    assert_eq!(
        items,
        vec![Ok(OwnedItem::Event(sse_wire::decode::OwnedEvent::new(
            "", "y", "41"
        )))]
    );
    assert!(events.end().unwrap().is_clean());
}

/// An I/O error of the reader ends `FramedRead` (the codec's own `Err`),
/// unlike a limit error, which is an `Ok(Err(_))` item.
#[cfg(feature = "codec")]
#[test]
fn codec_a_read_error_ends_framed_read() {
    let reads = stream::iter([
        Ok(&b"data: a\n\n"[..]),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset",
        )),
        Ok(b"data: b\n\n"),
    ]);
    let mut framed = FramedRead::new(StreamReader::new(reads), SseCodec::new());
    block_on(async {
        let Some(Ok(Ok(OwnedItem::Event(event)))) = framed.next().await else {
            panic!("no event a")
        };
        assert_eq!(event.data(), "a");
        let Some(Err(e)) = framed.next().await else {
            panic!("no I/O error")
        };
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset);
        assert!(framed.next().await.is_none());
    });
}

/// C5, C7: `SseCodec::reconnect` after an input cut mid-line. After
/// `decode_eof` it clears `end()`; the last event ID stays, the pending
/// `id` of the cut event is not taken (L6, D1), and the next input's first
/// line is a line of its own, not the rest of the cut one.
#[cfg(feature = "codec")]
#[test]
fn c7_codec_reconnect_after_a_cut_input_keeps_the_id_and_starts_a_new_line() {
    use sse_wire::decode::OwnedEvent;
    use tokio_util::codec::Decoder as _;

    // The input ends (`decode_eof`) inside `data: a`.
    let mut codec = SseCodec::new();
    let mut buf = BytesMut::from(&b"id: 7\ndata: x\n\nid: 8\ndata: a"[..]);
    let Ok(Some(Ok(OwnedItem::Event(event)))) = codec.decode(&mut buf) else {
        panic!("no event x")
    };
    assert_eq!(event, OwnedEvent::new("", "x", "7"));
    assert!(matches!(codec.decode_eof(&mut buf), Ok(None)));
    let end = codec.end().expect("no End after decode_eof");
    assert!(end.incomplete_line && end.undispatched_event, "{end:?}");
    assert!(buf.is_empty());
    // `decode_eof` threw the cut line away already: nothing more to drop.
    assert!(codec.reconnect().is_clean());
    assert_eq!(codec.end(), None);
    assert_eq!(codec.last_event_id(), b"7");
    // `ion` would make `data: aion` if joined; alone it is an unknown field.
    let mut buf = BytesMut::from(&b"ion\ndata: b\n\n"[..]);
    let Ok(Some(Ok(OwnedItem::Event(event)))) = codec.decode(&mut buf) else {
        panic!("no event b")
    };
    assert_eq!(event, OwnedEvent::new("", "b", "7"));
    assert!(matches!(codec.decode_eof(&mut buf), Ok(None)));
    assert!(codec.end().unwrap().is_clean());

    // The same under `FramedRead`: the first input ends cut, the codec is
    // taken out, reconnected and read on from a new input.
    let first = StreamReader::new(stream::iter([Ok::<_, std::io::Error>(
        &b"id: 41\ndata: x\n\ndata: a"[..],
    )]));
    let mut framed = FramedRead::new(first, SseCodec::new());
    let items: Vec<OwnedItem> = block_on(framed.by_ref().collect::<Vec<_>>())
        .into_iter()
        .map(|item| item.unwrap().unwrap())
        .collect();
    assert_eq!(items, [OwnedItem::Event(OwnedEvent::new("", "x", "41"))]);
    let end = framed
        .decoder()
        .end()
        .expect("no End after the input ended");
    assert!(end.incomplete_line && !end.undispatched_event, "{end:?}");
    let mut codec = framed.into_parts().codec;
    assert!(codec.reconnect().is_clean());
    assert_eq!(codec.end(), None);
    assert_eq!(codec.last_event_id(), b"41");
    let second = StreamReader::new(stream::iter([Ok::<_, std::io::Error>(
        &b"ion\ndata: b\n\n"[..],
    )]));
    let mut framed = FramedRead::new(second, codec);
    let items: Vec<OwnedItem> = block_on(framed.by_ref().collect::<Vec<_>>())
        .into_iter()
        .map(|item| item.unwrap().unwrap())
        .collect();
    assert_eq!(items, [OwnedItem::Event(OwnedEvent::new("", "b", "41"))]);
    assert!(framed.decoder().end().unwrap().is_clean());
}

/// C5, C7: after a read error (no `decode_eof`, so no `end()`), the codec's
/// `reconnect` throws away the cut line it had scanned and reports it; with
/// the framed reader's buffer dropped, the next input does not run into it.
#[cfg(feature = "codec")]
#[test]
fn c7_codec_reconnect_after_a_read_error_drops_the_cut_line() {
    use sse_wire::decode::OwnedEvent;

    let reads = stream::iter([
        Ok(&b"id: 9\ndata: x\n\ndata: a"[..]),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset",
        )),
    ]);
    let mut framed = FramedRead::new(StreamReader::new(reads), SseCodec::new());
    block_on(async {
        let Some(Ok(Ok(OwnedItem::Event(event)))) = framed.next().await else {
            panic!("no event x")
        };
        assert_eq!(event, OwnedEvent::new("", "x", "9"));
        assert!(matches!(framed.next().await, Some(Err(_))));
    });
    assert_eq!(framed.decoder().end(), None);
    let mut codec = framed.into_parts().codec;
    let end = codec.reconnect();
    assert!(end.incomplete_line && !end.undispatched_event, "{end:?}");
    assert_eq!(codec.end(), None);
    assert_eq!(codec.last_event_id(), b"9");
    let second = StreamReader::new(stream::iter([Ok::<_, std::io::Error>(
        &b"ion\ndata: b\n\n"[..],
    )]));
    let mut framed = FramedRead::new(second, codec);
    let items: Vec<OwnedItem> = block_on(framed.by_ref().collect::<Vec<_>>())
        .into_iter()
        .map(|item| item.unwrap().unwrap())
        .collect();
    assert_eq!(items, [OwnedItem::Event(OwnedEvent::new("", "b", "9"))]);
    assert!(framed.decoder().end().unwrap().is_clean());
}

// ---------------------------------------------------------------------
// The codec's encoder.

/// What a decoder reporting comments reads back from `events` sent in
/// order, worked out from the rules: each comment line (L5b, split at CR,
/// LF and CRLF as L3 splits) a comment, `retry` an item (F4), and an event
/// only with data (D2), its type `message` when none or empty (D5, D6),
/// its data with line ends made LF (F2, D3), and the last `id` (F3, D1).
#[cfg(feature = "codec")]
struct Sent {
    comment: Option<String>,
    event_type: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    data: Option<String>,
}

#[cfg(feature = "codec")]
impl Sent {
    fn encoded(&self) -> sse_wire::encode::Event<'_> {
        use sse_wire::encode::{Event, EventId, EventType};
        let mut event = Event::new();
        if let Some(comment) = &self.comment {
            event = event.comment(comment);
        }
        if let Some(event_type) = &self.event_type {
            event = event.event_type(EventType::new(event_type).unwrap());
        }
        if let Some(id) = &self.id {
            event = event.id(EventId::new(id).unwrap());
        }
        if let Some(millis) = self.retry {
            event = event.retry(std::time::Duration::from_millis(millis));
        }
        if let Some(data) = &self.data {
            event = event.data(data);
        }
        event
    }
}

#[cfg(feature = "codec")]
fn lines_of(value: &str) -> Vec<String> {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(str::to_owned)
        .collect()
}

#[cfg(feature = "codec")]
fn read_back(sent: &[Sent]) -> Vec<OwnedItem> {
    let mut out = Vec::new();
    let mut last_id = String::new();
    for s in sent {
        if let Some(comment) = &s.comment {
            out.extend(lines_of(comment).into_iter().map(OwnedItem::Comment));
        }
        if let Some(id) = &s.id {
            last_id.clone_from(id);
        }
        if let Some(millis) = s.retry {
            out.push(OwnedItem::Retry(std::time::Duration::from_millis(millis)));
        }
        if let Some(data) = &s.data {
            out.push(OwnedItem::Event(sse_wire::decode::OwnedEvent::new(
                s.event_type.clone().unwrap_or_default(),
                lines_of(data).join("\n"),
                last_id.clone(),
            )));
        }
    }
    out
}

/// Events of every shape: values with CR, LF and CRLF, leading spaces and
/// colons, empty values, non-ASCII text, a lone comment, an ID reset.
#[cfg(feature = "codec")]
fn fixed_events() -> Vec<Sent> {
    let sent = |comment: Option<&str>,
                event_type: Option<&str>,
                id: Option<&str>,
                retry: Option<u64>,
                data: Option<&str>| Sent {
        comment: comment.map(Into::into),
        event_type: event_type.map(Into::into),
        id: id.map(Into::into),
        retry,
        data: data.map(Into::into),
    };
    vec![
        sent(None, None, None, None, Some("hello")),
        sent(
            Some("hi"),
            Some("update"),
            Some("1"),
            Some(2500),
            Some("a\nb"),
        ),
        sent(Some(""), None, None, None, None),
        sent(Some("one\r\ntwo\rthree\n"), None, None, None, None),
        sent(None, Some(""), None, None, Some("")),
        sent(
            None,
            None,
            Some("ünï ✓"),
            None,
            Some("  two spaces\r\n: colon\r"),
        ),
        sent(None, None, Some(""), Some(0), None),
        sent(None, Some("x:y"), None, None, Some("\n\n")),
        sent(
            None,
            None,
            None,
            None,
            Some("data: nested\n\nnot a blank line"),
        ),
        sent(None, None, Some("7"), None, None),
        sent(None, None, None, None, Some("after an id-only event")),
    ]
}

/// Seeded random events from awkward pieces.
#[cfg(feature = "codec")]
fn random_events(rng: &mut Rng, count: usize) -> Vec<Sent> {
    const PIECES: &[&str] = &[
        "a", " ", ":", "\n", "\r", "\r\n", "é", "✓", "\u{FEFF}", "\u{2028}", "data", "id", "\t",
    ];
    const SAFE: &[&str] = &["a", " ", ":", "é", "✓", "\u{FEFF}", "x", "\t"];
    fn text(rng: &mut Rng, pieces: &[&str]) -> Option<String> {
        if rng.next() % 3 == 0 {
            return None;
        }
        let len = (rng.next() % 8) as usize;
        Some(
            (0..len)
                .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
                .collect(),
        )
    }
    (0..count)
        .map(|_| Sent {
            comment: text(rng, PIECES),
            event_type: text(rng, SAFE),
            id: text(rng, SAFE),
            retry: (rng.next() % 4 == 0).then(|| rng.next() % 100_000),
            data: text(rng, PIECES),
        })
        .collect()
}

/// Encodes `sent` with the codec's `Encoder`, checks the bytes against
/// `Event::to_vec`, and decodes them back with a codec reporting comments
/// under `FramedRead` in random reads.
#[cfg(feature = "codec")]
fn round_trip(sent: &[Sent], rng: &mut Rng) {
    use tokio_util::codec::Encoder;

    let mut codec = SseCodec::new();
    let mut wire = BytesMut::new();
    let mut expected_wire = Vec::new();
    for s in sent {
        let event = s.encoded();
        codec.encode(event, &mut wire).unwrap();
        expected_wire.extend_from_slice(&event.to_vec());
    }
    assert_eq!(&wire[..], &expected_wire[..]);
    let expected = read_back(sent);
    for max in [1, 3, 16, wire.len().max(1)] {
        let cuts = rng.cuts(wire.len(), max);
        let chunks = split(&wire, &cuts);
        let reads: Vec<&[u8]> = chunks.into_iter().filter(|c| !c.is_empty()).collect();
        let reader =
            StreamReader::new(stream::iter(reads.into_iter().map(Ok::<_, std::io::Error>)));
        let mut framed =
            FramedRead::new(reader, SseCodec::with_config(Config::new().comments(true)));
        let got: Vec<OwnedItem> = block_on(framed.by_ref().collect::<Vec<_>>())
            .into_iter()
            .map(|item| item.unwrap().unwrap())
            .collect();
        assert_eq!(
            got,
            expected,
            "wire {:?}, cuts {cuts:?}",
            String::from_utf8_lossy(&wire)
        );
        // A stream of whole events ends clean (L6).
        assert!(framed.decoder().end().unwrap().is_clean(), "{wire:?}");
    }
}

#[cfg(feature = "codec")]
#[test]
fn codec_encoder_output_decodes_back_to_the_same_events() {
    let mut rng = Rng(0x00E7_C0DE);
    round_trip(&fixed_events(), &mut rng);
    for _ in 0..200 {
        let count = 1 + (rng.next() % 6) as usize;
        let sent = random_events(&mut rng, count);
        round_trip(&sent, &mut rng);
    }
}

/// The encoder under `FramedWrite`, as the module docs use it, and its
/// output read back by an `EventStream` too.
#[cfg(feature = "codec")]
#[test]
fn codec_framed_write_round_trips() {
    use futures::SinkExt;
    use tokio_util::codec::FramedWrite;

    let sent = fixed_events();
    let mut wire = Vec::new();
    block_on(async {
        let mut writer = FramedWrite::new(&mut wire, SseCodec::new());
        for s in &sent {
            writer.send(s.encoded()).await.unwrap();
        }
        writer.close().await.unwrap();
    });
    let expected = read_back(&sent);
    let mut framed = FramedRead::new(
        &wire[..],
        SseCodec::with_config(Config::new().comments(true)),
    );
    let got: Vec<OwnedItem> = block_on(framed.by_ref().collect::<Vec<_>>())
        .into_iter()
        .map(|item| item.unwrap().unwrap())
        .collect();
    assert_eq!(got, expected);
    #[cfg(feature = "stream")]
    {
        let decoder = PushDecoder::with_config(Config::new().comments(true));
        let chunks = stream::iter(wire.chunks(5).map(Ok::<_, std::io::Error>));
        let got: Vec<OwnedItem> =
            block_on(EventStream::with_decoder(chunks, decoder).collect::<Vec<_>>())
                .into_iter()
                .map(Result::unwrap)
                .collect();
        assert_eq!(got, expected);
    }
}
