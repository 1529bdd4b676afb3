//! Helpers shared by the integration tests and the fuzz targets: run every
//! decoder layer over an input split into given chunks and collect what it
//! reports, and the reference model to compare with.
#![allow(dead_code)]

pub mod model;

use bytes::Bytes;
pub use model::Out;
use sse_wire::decode::{BytesDecoder, BytesItem, Config, Decoder, EventDecoder, Item, Status};

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl Out {
    fn from_item(item: &Item<'_>) -> Out {
        match item {
            Item::Event(e) => Out::Event {
                event_type: e.event_type_str().into_owned(),
                data: e.data().to_str().into_owned(),
                id: e.last_event_id_str().into_owned(),
            },
            Item::Retry(ms) => Out::Retry(*ms),
            Item::Comment(c) => Out::Comment(lossy(c)),
        }
    }
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

/// The core layer, with the caller's buffer handled as its docs say.
pub fn core(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let mut decoder = Decoder::with_store(config, seed.to_vec());
    let mut buf = Vec::new();
    let mut out = Vec::new();
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
    let _ = decoder.finish();
    out
}

/// The push layer.
pub fn push(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let mut decoder = EventDecoder::with_config(config).with_last_event_id(seed);
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(item) = decoder.next_item() {
            out.push(match item {
                Ok(item) => Out::from_item(&item),
                Err(e) => Out::Error(e.kind()),
            });
        }
    }
    let _ = decoder.finish();
    out
}

/// The `Bytes` layer.
pub fn bytes(config: Config, seed: &[u8], chunks: &[&[u8]]) -> Vec<Out> {
    let mut decoder =
        BytesDecoder::with_config(config).with_last_event_id(Bytes::copy_from_slice(seed));
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(Bytes::copy_from_slice(chunk));
        for item in decoder.by_ref() {
            out.push(match item {
                Ok(BytesItem::Event(e)) => Out::Event {
                    event_type: e.event_type_str().into_owned(),
                    data: e.data_str().into_owned(),
                    id: e.last_event_id_str().into_owned(),
                },
                Ok(BytesItem::Retry(ms)) => Out::Retry(ms),
                Ok(BytesItem::Comment(c)) => Out::Comment(lossy(&c)),
                Err(e) => Out::Error(e.kind()),
            });
        }
    }
    let _ = decoder.finish();
    out
}

/// A decoder layer: configuration, seeded last event ID, chunks in, items out.
pub type Layer = fn(Config, &[u8], &[&[u8]]) -> Vec<Out>;

/// Every layer, by name.
pub const LAYERS: [(&str, Layer); 3] = [("core", core), ("push", push), ("bytes", bytes)];

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
