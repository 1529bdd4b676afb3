//! Helpers shared by the integration tests and the fuzz targets: run every
//! decoder layer over an input split into given chunks and collect what it
//! reports, ending with how the stream ended (`Out::End`, from `finish`),
//! and the reference model to compare with.
//!
//! The `Bytes` layer needs feature `bytes` (of `sse-wire` in the tests, of
//! the fuzz crate in the fuzz targets, which turns on `sse-wire/bytes`).
#![allow(dead_code)]

pub mod model;

#[cfg(feature = "bytes")]
use bytes::Bytes;
pub use model::Out;
#[cfg(feature = "bytes")]
use sse_wire::decode::{BytesDecoder, BytesItem};
use sse_wire::decode::{Config, Decoder, End, IdStore, Item, PushDecoder, Status};

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl Out {
    pub fn from_item(item: &Item<'_>) -> Out {
        match item {
            Item::Event(e) => {
                let data = e.data_str().into_owned();
                // The data's bytes, whether lent joined or copied, are its
                // lines joined with LF (F2, D3).
                let lines: Vec<&[u8]> = e.data().lines().collect();
                assert_eq!(*e.data().to_bytes(), *lines.join(&b'\n'));
                Out::Event {
                    event_type: e.event_type_str().into_owned(),
                    data,
                    id: e.last_event_id_str().into_owned(),
                }
            }
            Item::Retry(time) => Out::Retry(*time),
            Item::Comment(c) => Out::Comment(lossy(c)),
        }
    }

    #[cfg(feature = "bytes")]
    pub fn from_bytes_item(item: &BytesItem) -> Out {
        match item {
            BytesItem::Event(e) => Out::Event {
                event_type: e.event_type_str().into_owned(),
                data: e.data_str().into_owned(),
                id: e.last_event_id_str().into_owned(),
            },
            BytesItem::Retry(time) => Out::Retry(*time),
            BytesItem::Comment(c) => Out::Comment(lossy(c)),
        }
    }

    /// What `finish` reported, with the last event ID kept after it.
    pub fn from_end(end: End, last_event_id: &[u8]) -> Out {
        Out::End {
            incomplete_line: end.incomplete_line,
            undispatched_event: end.undispatched_event,
            last_event_id: lossy(last_event_id),
        }
    }

    /// An `End` of a stream that threw nothing away.
    pub fn clean_end(last_event_id: &str) -> Out {
        Out::End {
            incomplete_line: false,
            undispatched_event: false,
            last_event_id: last_event_id.into(),
        }
    }

    pub fn is_end(&self) -> bool {
        matches!(self, Out::End { .. })
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Out::Error(_))
    }
}

/// Splits a layer's output into its items and its final `End`, checking
/// that there is exactly one `End` and that it comes last.
pub fn split_end(mut out: Vec<Out>) -> (Vec<Out>, Out) {
    let end = out.pop().expect("no output at all, not even an End");
    assert!(end.is_end(), "the last entry is not an End: {end:?}");
    assert!(
        !out.iter().any(Out::is_end),
        "an End before the last entry: {out:?}"
    );
    (out, end)
}

/// Splits `input` at the given offsets (ascending, within bounds).
pub fn split<'a>(input: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        chunks.push(&input[start..cut]);
        start = cut;
    }
    chunks.push(&input[start..]);
    chunks
}

/// Every cut point: one byte per chunk.
pub fn bytewise(input: &[u8]) -> Vec<&[u8]> {
    input.chunks(1).collect()
}

/// Seeds `decoder`'s last event ID, recording a failure as an error item.
fn seed_with(result: Result<(), sse_wire::Error>, out: &mut Vec<Out>) {
    if let Err(e) = result {
        out.push(Out::Error(e.kind()));
    }
}

/// Runs a core decoder, built as the caller likes, with the caller's
/// buffer handled as its docs say: decode until `Partial`, then drop what
/// `release` gives up.
pub fn run_core<S: IdStore>(mut decoder: Decoder<S>, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let mut out = Vec::new();
    seed_with(decoder.set_last_event_id(seed), &mut out);
    let mut buf = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match decoder.decode(&buf) {
                Ok(Status::Complete(item)) => out.push(Out::from_item(&item)),
                Ok(Status::Partial) => break,
                Err(e) => out.push(Out::Error(e.kind())),
            }
        }
        buf.drain(..decoder.release());
    }
    let end = decoder.finish();
    out.push(Out::from_end(end, decoder.last_event_id()));
    out
}

/// Runs a push decoder, taking every item after each chunk.
pub fn run_push(mut decoder: PushDecoder, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let mut out = Vec::new();
    seed_with(decoder.set_last_event_id(seed), &mut out);
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(item) = decoder.next_item() {
            out.push(match item {
                Ok(item) => Out::from_item(&item),
                Err(e) => Out::Error(e.kind()),
            });
        }
    }
    let end = decoder.finish();
    out.push(Out::from_end(end, decoder.last_event_id()));
    out
}

/// Runs a `Bytes` decoder, taking every item after each chunk.
#[cfg(feature = "bytes")]
pub fn run_bytes(mut decoder: BytesDecoder, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let mut out = Vec::new();
    seed_with(decoder.set_last_event_id(seed), &mut out);
    for chunk in chunks {
        decoder.push(Bytes::copy_from_slice(chunk));
        while let Some(item) = decoder.next_item() {
            out.push(match item {
                Ok(item) => Out::from_bytes_item(&item),
                Err(e) => Out::Error(e.kind()),
            });
        }
    }
    let end = decoder.finish();
    out.push(Out::from_end(end, decoder.last_event_id()));
    out
}

/// The core layer with its default store (`LastEventId`).
pub fn core(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    run_core(Decoder::with_config(config), seed, chunks)
}

/// The push layer.
pub fn push(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    run_push(PushDecoder::with_config(config), seed, chunks)
}

/// The `Bytes` layer.
#[cfg(feature = "bytes")]
pub fn bytes(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    run_bytes(BytesDecoder::with_config(config), seed, chunks)
}

/// A decoder layer: configuration, seeded last event ID, chunks in; items
/// out, then an `Out::End`.
pub type Layer = fn(Config, &[u8], &[&[u8]]) -> Vec<Out>;

/// Every layer, by name.
pub const LAYERS: &[(&str, Layer)] = &[
    ("core", core),
    ("push", push),
    #[cfg(feature = "bytes")]
    ("bytes", bytes),
];

/// A layer built with its default constructor (`new()`), seeded with
/// `set_last_event_id`.
pub type DefaultLayer = fn(&[u8], &[&[u8]]) -> Vec<Out>;

/// Every layer as `new()` builds it: what the fixtures run.
pub const DEFAULT_LAYERS: &[(&str, DefaultLayer)] = &[
    ("core", |seed, chunks| {
        run_core(Decoder::new(), seed, chunks)
    }),
    ("push", |seed, chunks| {
        run_push(PushDecoder::new(), seed, chunks)
    }),
    #[cfg(feature = "bytes")]
    ("bytes", |seed, chunks| {
        run_bytes(BytesDecoder::new(), seed, chunks)
    }),
];

/// Runs every layer and asserts that they report the same, `End`
/// included; returns that.
pub fn all_layers_agree(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let (first, decode) = LAYERS[0];
    let expected = decode(config, seed, chunks);
    let input = chunks.concat();
    for &(layer, decode) in &LAYERS[1..] {
        let got = decode(config, seed, chunks);
        if layer == "push" && !limits_see_the_same_bytes(config, &input) {
            // `PushDecoder` documents that its limits count its text, where
            // a U+FFFD stands for one to three bytes of input as three: it
            // gives what the core gives for that text.
            assert_eq!(
                push_as_text(config, seed, chunks),
                core_on_text(config, seed, &input),
                "push against the core on the text: config {config:?}, seed {seed:?}, chunks {chunks:?}"
            );
            continue;
        }
        assert_eq!(
            got, expected,
            "{layer} disagrees with {first}: config {config:?}, seed {seed:?}, chunks {chunks:?}"
        );
    }
    expected
}

/// The push layer's output over `chunks`, with the two size limits made one
/// when the event limit is below the line limit (where `Config` documents
/// that the chunking may change which is reported).
pub fn push_as_text(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let out = push(config, seed, chunks);
    if config.max_event_size < config.max_line_len {
        either_size_limit(&out)
    } else {
        out
    }
}

/// The core layer's output over the whole of `input` as text (L1), which is
/// what the push layer reads and counts; size limits made one as above.
pub fn core_on_text(config: Config, seed: &[u8], input: &[u8]) -> Vec<Out> {
    // A character cut by the end of the input is held back by the push
    // layer, never part of its text, and thrown away at the end as an
    // incomplete line.
    let mut rest = input;
    let cut = loop {
        match std::str::from_utf8(rest) {
            Ok(_) => break 0,
            Err(e) => match e.error_len() {
                Some(len) => rest = &rest[e.valid_up_to() + len..],
                None => break rest.len() - e.valid_up_to(),
            },
        }
    };
    let text = String::from_utf8_lossy(&input[..input.len() - cut]);
    let mut out = core(config, seed, &[text.as_bytes()]);
    if cut > 0 {
        if let Some(Out::End {
            incomplete_line, ..
        }) = out.last_mut()
        {
            *incomplete_line = true;
        }
    }
    if config.max_event_size < config.max_line_len {
        either_size_limit(&out)
    } else {
        out
    }
}

/// Error kinds with the two size limits made one, for the one case where
/// `Config` documents that the chunking may change which is reported.
pub fn either_size_limit(out: &[Out]) -> Vec<Out> {
    out.iter()
        .map(|o| match o {
            Out::Error(sse_wire::ErrorKind::EventTooLarge) => {
                Out::Error(sse_wire::ErrorKind::LineTooLong)
            }
            other => other.clone(),
        })
        .collect()
}

/// Whether the push layer's limits, which count its text, see the same
/// lengths as the other layers': the input is valid UTF-8, or even as text
/// it fits both limits, so that no limit can be reached either way.
pub fn limits_see_the_same_bytes(config: Config, input: &[u8]) -> bool {
    std::str::from_utf8(input).is_ok()
        || String::from_utf8_lossy(input).len() <= config.max_line_len.min(config.max_event_size)
}

/// The length of `stream` as text per L1 (`String::from_utf8_lossy`), less
/// a character cut by its end: what a push decoder has appended to its text
/// buffer once `stream` has been pushed (the cut character waits for the
/// next chunk). For the push layer's memory bound, which counts chunks as
/// text.
pub fn text_len(stream: &[u8]) -> usize {
    let lossy = String::from_utf8_lossy(stream).len();
    let mut rest = stream;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => return lossy,
            Err(e) => match e.error_len() {
                Some(len) => rest = &rest[e.valid_up_to() + len..],
                // Cut by the end: it reads as one U+FFFD for now.
                None => return lossy - '\u{FFFD}'.len_utf8(),
            },
        }
    }
}

/// A small deterministic generator for chunkings (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Ascending cut points splitting `len` bytes into chunks of 1 to `max` bytes.
    pub fn cuts(&mut self, len: usize, max: usize) -> Vec<usize> {
        let mut cuts = Vec::new();
        let mut at = 0;
        loop {
            at += 1 + (self.next() % max as u64) as usize;
            if at >= len {
                return cuts;
            }
            cuts.push(at);
        }
    }
}
