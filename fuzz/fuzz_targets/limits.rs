//! Tiny limits, arbitrary input and chunking: no buffer grows past the
//! limits (plus a line end and the largest chunk pushed), and nothing panics.
#![no_main]

use arbitrary::Arbitrary;
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sse_wire::decode::{BytesDecoder, Config, Decoder, EventDecoder, Status};

#[derive(Debug, Arbitrary)]
struct Input {
    max_line: u8,
    max_event: u8,
    chunks: Vec<Vec<u8>>,
}

fuzz_target!(|input: Input| {
    let (max_line, max_event) = (input.max_line as usize, input.max_event as usize);
    let config = Config::new()
        .max_line_len(max_line)
        .max_event_size(max_event);
    let mut push = EventDecoder::with_config(config);
    let mut bytes = BytesDecoder::with_config(config);
    let mut core = Decoder::with_config(config);
    let mut buf = Vec::new();
    let mut largest = 0;
    for chunk in &input.chunks {
        largest = largest.max(chunk.len());
        push.push(chunk);
        while push.next_item().is_some() {}
        // The limits, a line end (CRLF) and the largest chunk.
        assert!(push.buffer_capacity() <= max_line.max(max_event) + 2 + largest);

        bytes.push(Bytes::copy_from_slice(chunk));
        for _ in bytes.by_ref() {}
        assert!(bytes.partial_line_len() <= max_line);

        buf.extend_from_slice(chunk);
        while !matches!(core.decode(&buf), Ok(Status::Partial)) {}
        buf.drain(..core.release());
        // What the core still needs fits the limits, plus a line end.
        assert!(buf.len() <= max_line.max(max_event) + 2);
    }
    let _ = push.finish();
    let _ = bytes.finish();
    let _ = core.finish();
});
