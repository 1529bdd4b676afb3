//! The sse-wire decoder layers as the benchmarks drive them, each counting
//! events and data bytes over the same chunks as the peers.

use bytes::Bytes;
use sse_wire::decode::{BytesDecoder, BytesItem, Decoder, EventDecoder, Item, Status};
use std::hint::black_box;

/// A decoder run over chunks: (events, summed data length).
pub type Decode = fn(&[Bytes]) -> (usize, usize);

/// The core layer on one buffer: no copy at all.
pub fn core_whole(buf: &[u8]) -> (usize, usize) {
    let mut decoder = Decoder::new();
    let (mut events, mut data_len) = (0, 0);
    loop {
        match decoder.decode(buf) {
            Ok(Status::Complete(Item::Event(e))) => {
                events += 1;
                data_len += e.data().len();
            }
            Ok(Status::Complete(_)) | Err(_) => {}
            Ok(Status::Partial) => break,
        }
    }
    (events, data_len)
}

/// The core layer with the caller's buffer handled as its docs say: an
/// offset past the released bytes, which are dropped when the next chunk
/// does not fit, with room reserved for the rest twice over, or early,
/// when they are many and few bytes follow them.
pub fn core(chunks: &[Bytes]) -> (usize, usize) {
    if let [whole] = chunks {
        return core_whole(whole);
    }
    let mut decoder = Decoder::new();
    let mut buf = Vec::new();
    let mut offset = 0;
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        let held = buf.len() - offset;
        let cheap_move = offset >= 16 * 1024 && held <= offset / 8;
        if cheap_move || buf.len() + chunk.len() > buf.capacity() {
            buf.drain(..offset);
            offset = 0;
            buf.reserve(buf.len() + chunk.len());
        }
        buf.extend_from_slice(chunk);
        loop {
            match decoder.decode(&buf[offset..]) {
                Ok(Status::Complete(Item::Event(e))) => {
                    events += 1;
                    data_len += e.data().len();
                }
                Ok(Status::Complete(_)) | Err(_) => {}
                Ok(Status::Partial) => break,
            }
        }
        offset += decoder.release();
    }
    (events, data_len)
}

pub fn push(chunks: &[Bytes]) -> (usize, usize) {
    let mut decoder = EventDecoder::new();
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(item) = decoder.next_item() {
            if let Ok(Item::Event(e)) = item {
                events += 1;
                data_len += e.data().len();
            }
        }
    }
    (events, data_len)
}

pub fn bytes_layer(chunks: &[Bytes]) -> (usize, usize) {
    let mut decoder = BytesDecoder::new();
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        decoder.push(chunk.clone());
        for item in decoder.by_ref() {
            if let Ok(BytesItem::Event(e)) = item {
                events += 1;
                data_len += e.data().len();
            }
        }
    }
    (events, data_len)
}

/// The reference counts a `Bytes` layer cannot avoid, with no decoding:
/// one taken and released for each chunk (the bench pushes a clone of each)
/// and one for each of `events` data values, a slice of a chunk dropped
/// by the caller, spread over the chunks as the corpus spreads its bytes.
/// The core layer's time plus this is the fastest a `Bytes` layer could be.
pub fn refcounts(chunks: &[Bytes], events: usize) -> usize {
    let total = chunks.iter().map(Bytes::len).sum::<usize>().max(1) as u64;
    let (mut seen, mut sliced) = (0, 0);
    for chunk in chunks {
        // Both calls go through the `Bytes` vtable, so neither the clone
        // nor the slices below can be optimised away; `black_box` on the
        // values themselves would add stores and loads a decoder need not
        // make.
        let chunk = chunk.clone();
        seen += chunk.len() as u64;
        // Events dispatched by the end of this chunk, were they spread as
        // evenly as the bytes.
        let due = (seen * events as u64 / total) as usize;
        while sliced < due {
            // Not empty: an empty slice takes no reference.
            let data = chunk.slice(..1);
            black_box(data.len());
            sliced += 1;
        }
    }
    sliced
}

/// `bytes` cut into chunks of `size` bytes (one chunk when `size` is 0).
pub fn chunk(bytes: &Bytes, size: usize) -> Vec<Bytes> {
    if size == 0 {
        return vec![bytes.clone()];
    }
    (0..bytes.len())
        .step_by(size)
        .map(|at| bytes.slice(at..(at + size).min(bytes.len())))
        .collect()
}
