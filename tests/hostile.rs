//! Hostile input: behaviour under abuse, asserted on results and memory,
//! never on timing (speed is the benchmarks' job).

mod support;

#[cfg(feature = "bytes")]
use bytes::Bytes;
#[cfg(feature = "bytes")]
use sse_wire::decode::{BytesDecoder, BytesItem};
use sse_wire::decode::{Config, Decoder, Item, PushDecoder, Status, DEFAULT_MAX_LINE_LEN};
use sse_wire::ErrorKind;

const CHUNK: usize = 64 * 1024;

/// Feeds a push decoder and counts what it reports, checking its buffer.
struct Counted {
    decoder: PushDecoder,
    events: usize,
    data_bytes: usize,
    errors: Vec<ErrorKind>,
    largest_capacity: usize,
}

impl Counted {
    fn new(config: Config) -> Self {
        Counted {
            decoder: PushDecoder::with_config(config),
            events: 0,
            data_bytes: 0,
            errors: Vec::new(),
            largest_capacity: 0,
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        self.decoder.push(chunk);
        while let Some(item) = self.decoder.next_item() {
            match item {
                Ok(Item::Event(e)) => {
                    self.events += 1;
                    self.data_bytes += e.data().len();
                }
                Ok(_) => {}
                Err(e) => self.errors.push(e.kind()),
            }
        }
        self.largest_capacity = self.largest_capacity.max(self.decoder.buffer_capacity());
    }
}

#[test]
fn a_gibibyte_without_a_line_end_is_bounded_and_recovers() {
    let config = Config::new();
    let limit = DEFAULT_MAX_LINE_LEN;
    let junk = vec![b'x'; CHUNK];

    let mut push = Counted::new(config);
    push.push(b"data: before\n\ndata: ");
    #[cfg(feature = "bytes")]
    let mut bytes = BytesDecoder::with_config(config);
    #[cfg(feature = "bytes")]
    let junk_bytes = Bytes::from(junk.clone());
    #[cfg(feature = "bytes")]
    let mut bytes_errors = 0;
    for _ in 0..(1 << 30) / CHUNK {
        push.push(&junk);
        // The documented bound: the limit, a line end (CRLF) and one
        // chunk, whatever has been pushed.
        assert!(
            push.largest_capacity <= limit + 2 + CHUNK,
            "{}",
            push.largest_capacity
        );
        #[cfg(feature = "bytes")]
        {
            bytes.push(junk_bytes.clone());
            while let Some(item) = bytes.next_item() {
                bytes_errors += usize::from(item.is_err());
            }
            assert!(bytes.buffered_len() <= limit);
        }
    }
    push.push(b"\n\ndata: after\n\n");
    assert_eq!(push.errors, [ErrorKind::LineTooLong]);
    assert_eq!(
        (push.events, push.data_bytes),
        (2, "before".len() + "after".len())
    );

    #[cfg(feature = "bytes")]
    {
        bytes.push(Bytes::from_static(b"\n\ndata: after\n\n"));
        let Some(Ok(BytesItem::Event(e))) = bytes.next_item() else {
            panic!("no recovery")
        };
        assert_eq!((bytes_errors, e.data().as_ref()), (1, &b"after"[..]));
    }
}

#[test]
fn a_million_crs_are_a_million_blank_lines() {
    let mut push = Counted::new(Config::new());
    push.push(&vec![b'\r'; 1_000_000]);
    push.push(b"data: x\r\r");
    assert_eq!((push.events, push.errors.len()), (1, 0));
    // Nothing is kept for blank lines.
    assert!(push.largest_capacity <= 1_000_000 + 16);
    let chunks: Vec<&[u8]> = vec![&[b'\r'; 1_000_000], b"\ndata: y\n\n"];
    assert_eq!(
        support::all_layers_agree(Config::new(), b"", &chunks),
        [
            support::Out::Event {
                event_type: "message".into(),
                data: "y".into(),
                id: String::new(),
            },
            support::Out::clean_end(""),
        ]
    );
}

#[test]
fn a_million_empty_events() {
    let input = b"data\n\n".repeat(1_000_000);
    let mut push = Counted::new(Config::new());
    for chunk in input.chunks(CHUNK) {
        push.push(chunk);
    }
    assert_eq!(
        (push.events, push.data_bytes, push.errors.len()),
        (1_000_000, 0, 0)
    );
}

#[test]
fn alternating_cr_and_lf() {
    // "\r\n" pairs are one line end each: blank lines, no event.
    let mut push = Counted::new(Config::new());
    push.push(&b"\r\n".repeat(500_000));
    push.push(b"data: a\n\r");
    // "\n\r": two line ends, so the event fires.
    assert_eq!(push.events, 1);
    let mut push = Counted::new(Config::new());
    for chunk in b"\n\r".repeat(500_000).chunks(7) {
        push.push(chunk);
    }
    assert_eq!((push.events, push.errors.len()), (0, 0));
}

#[test]
fn a_stream_of_only_comments_keeps_nothing() {
    let mut push = Counted::new(Config::new().comments(true));
    let comment = b": keep-alive, and some more text\n".repeat(2000);
    let mut comments = 0;
    for _ in 0..100 {
        push.decoder.push(&comment);
        while let Some(item) = push.decoder.next_item() {
            assert!(matches!(
                item,
                Ok(Item::Comment(b"keep-alive, and some more text"))
            ));
            comments += 1;
        }
        // Only the chunk itself is ever held.
        assert!(push.decoder.buffer_capacity() <= 2 * comment.len());
    }
    assert_eq!(comments, 200_000);
}

#[test]
fn a_64_mib_data_line_with_the_limit_raised() {
    const SIZE: usize = 64 << 20;
    let config = Config::new()
        .max_line_len(SIZE + 16)
        .max_event_size(SIZE + 16);
    let mut input = b"data: ".to_vec();
    input.extend((0..SIZE).map(|i| b'a' + (i % 26) as u8));
    input.extend_from_slice(b"\n\n");

    let mut core = Decoder::with_config(config);
    let Ok(Status::Complete(Item::Event(e))) = core.decode(&input) else {
        panic!()
    };
    let data = e.data().single_line().unwrap();
    assert_eq!(
        (data.len(), data[0], data[SIZE - 1]),
        (SIZE, b'a', b'a' + ((SIZE - 1) % 26) as u8)
    );

    let mut push = Counted::new(config);
    for chunk in input.chunks(CHUNK) {
        push.push(chunk);
    }
    assert_eq!(
        (push.events, push.data_bytes, push.errors.len()),
        (1, SIZE, 0)
    );

    #[cfg(feature = "bytes")]
    {
        let mut bytes = BytesDecoder::with_config(config);
        for chunk in input.chunks(CHUNK) {
            bytes.push(Bytes::copy_from_slice(chunk));
        }
        let Some(Ok(BytesItem::Event(e))) = bytes.next_item() else {
            panic!()
        };
        assert_eq!(e.data().as_ref(), &input[6..6 + SIZE]);
    }
}

#[test]
fn a_mebibyte_line_one_byte_at_a_time() {
    const SIZE: usize = 1 << 20;
    let config = Config::new()
        .max_line_len(SIZE + 16)
        .max_event_size(SIZE + 16);
    let mut input = b"data: ".to_vec();
    input.extend(std::iter::repeat(b'z').take(SIZE));
    input.extend_from_slice(b"\n\n");

    let mut push = Counted::new(config);
    for byte in input.chunks(1) {
        push.push(byte);
    }
    assert_eq!(
        (push.events, push.data_bytes, push.errors.len()),
        (1, SIZE, 0)
    );
    #[cfg(feature = "bytes")]
    {
        let mut bytes = BytesDecoder::with_config(config);
        let mut bytes_events = Vec::new();
        for byte in input.chunks(1) {
            bytes.push(Bytes::copy_from_slice(byte));
            while let Some(item) = bytes.next_item() {
                match item {
                    Ok(BytesItem::Event(e)) => bytes_events.push(e.data().len()),
                    other => panic!("{other:?}"),
                }
            }
        }
        assert_eq!(bytes_events, [SIZE]);
    }

    // The core, given one more byte each time.
    let mut core = Decoder::with_config(config);
    let mut events = 0;
    for end in 1..=input.len() {
        while let Ok(Status::Complete(_)) = core.decode(&input[..end]) {
            events += 1;
        }
    }
    assert_eq!(events, 1);
}
