//! Tiny limits, arbitrary input and chunking: the layers report the same
//! items, errors and end of stream as each other; no buffer grows past the
//! limits (plus a line end and, for the push layer, the largest chunk
//! pushed as text); nothing panics.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

use arbitrary::Arbitrary;
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sse_wire::decode::{BytesDecoder, Config, Decoder, PushDecoder, Status};

#[derive(Debug, Arbitrary)]
struct Input {
    max_line: u8,
    max_event: u8,
    comments: bool,
    seed: Vec<u8>,
    chunks: Vec<Vec<u8>>,
}

fuzz_target!(|input: Input| {
    let (max_line, max_event) = (input.max_line as usize, input.max_event as usize);
    let config = Config::new()
        .max_line_len(max_line)
        .max_event_size(max_event)
        .comments(input.comments);
    let chunks: Vec<&[u8]> = input.chunks.iter().map(Vec::as_slice).collect();

    // The layers against each other.
    support::all_layers_agree(config, &input.seed, &chunks);

    // Memory, chunk by chunk.
    let mut push = PushDecoder::with_config(config);
    let mut bytes = BytesDecoder::with_config(config);
    let mut core = Decoder::with_config(config);
    let mut buf = Vec::new();
    let mut stream = Vec::new();
    let mut largest_text = 0;
    for chunk in &chunks {
        let before = support::text_len(&stream);
        stream.extend_from_slice(chunk);
        largest_text = largest_text.max(support::text_len(&stream) - before);
        push.push(chunk);
        while push.next_item().is_some() {}
        // The limits, a line end (CRLF) and the largest chunk as text.
        let bound = max_line.max(max_event) + 2 + largest_text;
        assert!(
            push.buffer_capacity() <= bound,
            "push layer: capacity {} over {bound}",
            push.buffer_capacity()
        );

        bytes.push(Bytes::copy_from_slice(chunk));
        while bytes.next_item().is_some() {}
        // The line limit, and a BOM's first bytes while the rest may follow.
        assert!(bytes.buffered_len() <= max_line + 2);

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
