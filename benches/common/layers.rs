//! The sse-wire decoder layers as the benchmarks drive them, each counting
//! events and data bytes over the same chunks as the peers.
//!
//! Two kinds of driver. The text drivers (`*_text`, and `push`) take each
//! event's data as text (`&str` or `String`, U+FFFD per L1), which is what
//! every peer hands out: that is equal work, and the headline. The view
//! drivers (`*_view`) read only the data's length, the bytes view: what a
//! consumer that parses bytes itself pays.

use bytes::Bytes;
use sse_wire::decode::{BytesDecoder, BytesItem, Decoder, Item, PushDecoder, Status};
use sse_wire::text::Utf8Decoder;
use std::hint::black_box;

/// A decoder run over chunks: (events, summed data length).
pub type Decode = fn(&[Bytes]) -> (usize, usize);

/// What the consumer does with an event: the length of its data as text,
/// or of its bytes view.
#[inline(always)]
fn text_len(item: Item<'_>) -> Option<usize> {
    match item {
        Item::Event(e) => Some(e.data_str().len()),
        _ => None,
    }
}

#[inline(always)]
fn view_len(item: Item<'_>) -> Option<usize> {
    match item {
        Item::Event(e) => Some(e.data().len()),
        _ => None,
    }
}

/// The core layer on one buffer of bytes: no copy at all.
pub fn core_whole(buf: &[u8]) -> (usize, usize) {
    let mut decoder = Decoder::new();
    let (mut events, mut data_len) = (0, 0);
    loop {
        match decoder.decode(buf) {
            Ok(Status::Complete(item)) => {
                if let Some(len) = view_len(item) {
                    events += 1;
                    data_len += len;
                }
            }
            Err(_) => {}
            Ok(Status::Partial) => break,
        }
    }
    (events, data_len)
}

/// The core layer on one buffer of text, checked once as UTF-8 first
/// (inside the timed run): every value is then a `&str` slice.
pub fn core_whole_text(buf: &[u8]) -> (usize, usize) {
    let mut text = String::with_capacity(buf.len());
    let mut utf8 = Utf8Decoder::new();
    utf8.push(buf, &mut text);
    let mut decoder = Decoder::new();
    let (mut events, mut data_len) = (0, 0);
    loop {
        match decoder.decode_str(&text) {
            Ok(Status::Complete(item)) => {
                if let Some(len) = text_len(item) {
                    events += 1;
                    data_len += len;
                }
            }
            Err(_) => {}
            Ok(Status::Partial) => break,
        }
    }
    (events, data_len)
}

/// The caller's buffer handled as the core's docs say: an offset past the
/// released bytes, which are dropped when the next chunk does not fit, with
/// room reserved for the rest twice over, or early, when they are many and
/// few bytes follow them. Returns whether `buf` was moved.
#[inline(always)]
fn make_room(len: usize, capacity: usize, offset: &mut usize, chunk: usize) -> bool {
    let held = len - *offset;
    let cheap_move = *offset >= 16 * 1024 && held <= *offset / 8;
    cheap_move || len + chunk > capacity
}

/// The core layer over a byte buffer, with the data taken through the
/// bytes view.
pub fn core_view(chunks: &[Bytes]) -> (usize, usize) {
    core_bytes(chunks, view_len)
}

/// The core layer over a byte buffer, each event's data taken as text, as
/// a user of `decode(&[u8])` gets it: one line checked on its own, data of
/// several lines joined and checked once.
pub fn core_bytes_text(chunks: &[Bytes]) -> (usize, usize) {
    core_bytes(chunks, text_len)
}

/// [`core_view`] with the last event ID held inline (256 bytes), the
/// store a `no_std` build without an allocator gets.
pub fn core_view_inline(chunks: &[Bytes]) -> (usize, usize) {
    core_bytes_in(
        Decoder::with_store(
            sse_wire::decode::Config::new(),
            sse_wire::decode::InlineId::<256>::new(),
        ),
        chunks,
        view_len,
    )
}

#[inline(always)]
fn core_bytes(chunks: &[Bytes], take: impl Fn(Item<'_>) -> Option<usize>) -> (usize, usize) {
    if let [whole] = chunks {
        return core_whole(whole);
    }
    core_bytes_in(Decoder::new(), chunks, take)
}

#[inline(always)]
fn core_bytes_in<S: sse_wire::decode::IdStore>(
    mut decoder: Decoder<S>,
    chunks: &[Bytes],
    take: impl Fn(Item<'_>) -> Option<usize>,
) -> (usize, usize) {
    let mut buf = Vec::new();
    let mut offset = 0;
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        if make_room(buf.len(), buf.capacity(), &mut offset, chunk.len()) {
            buf.drain(..offset);
            offset = 0;
            buf.reserve(buf.len() + chunk.len());
        }
        buf.extend_from_slice(chunk);
        loop {
            match decoder.decode(&buf[offset..]) {
                Ok(Status::Complete(item)) => {
                    if let Some(len) = take(item) {
                        events += 1;
                        data_len += len;
                    }
                }
                Err(_) => {}
                Ok(Status::Partial) => break,
            }
        }
        offset += decoder.release();
    }
    (events, data_len)
}

/// The core layer over a text buffer, as its docs show: each chunk checked
/// as UTF-8 once, as it is appended, then every value a `&str` slice.
pub fn core_text(chunks: &[Bytes]) -> (usize, usize) {
    if let [whole] = chunks {
        return core_whole_text(whole);
    }
    let mut decoder = Decoder::new();
    let mut utf8 = Utf8Decoder::new();
    let mut buf = String::new();
    let mut offset = 0;
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        if make_room(buf.len(), buf.capacity(), &mut offset, chunk.len()) {
            buf.drain(..offset);
            offset = 0;
            buf.reserve(buf.len() + chunk.len());
        }
        utf8.push(chunk, &mut buf);
        loop {
            match decoder.decode_str(&buf[offset..]) {
                Ok(Status::Complete(item)) => {
                    if let Some(len) = text_len(item) {
                        events += 1;
                        data_len += len;
                    }
                }
                Err(_) => {}
                Ok(Status::Partial) => break,
            }
        }
        offset += decoder.release();
    }
    (events, data_len)
}

/// The push layer, each event's data taken as text.
pub fn push(chunks: &[Bytes]) -> (usize, usize) {
    push_with(chunks, text_len)
}

/// The push layer, the data taken through the bytes view.
pub fn push_view(chunks: &[Bytes]) -> (usize, usize) {
    push_with(chunks, view_len)
}

#[inline(always)]
fn push_with(chunks: &[Bytes], take: impl Fn(Item<'_>) -> Option<usize>) -> (usize, usize) {
    let mut decoder = PushDecoder::new();
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(item) = decoder.next_item() {
            if let Ok(item) = item {
                if let Some(len) = take(item) {
                    events += 1;
                    data_len += len;
                }
            }
        }
    }
    (events, data_len)
}

/// The `Bytes` layer, each event's data taken as text (checked value by
/// value).
pub fn bytes_text(chunks: &[Bytes]) -> (usize, usize) {
    bytes_with(chunks, |e| e.data_str().len())
}

/// The `Bytes` layer, the data taken as the `Bytes` value it is.
pub fn bytes_view(chunks: &[Bytes]) -> (usize, usize) {
    bytes_with(chunks, |e| e.data().len())
}

#[inline(always)]
fn bytes_with(
    chunks: &[Bytes],
    take: impl Fn(&sse_wire::decode::BytesEvent) -> usize,
) -> (usize, usize) {
    let mut decoder = BytesDecoder::new();
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        decoder.push(chunk.clone());
        while let Some(item) = decoder.next_item() {
            if let Ok(BytesItem::Event(e)) = item {
                events += 1;
                data_len += take(&e);
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

/// The `stream` adapter over an in-memory chunk stream, as a client uses it:
/// each event owned, its data a `String` (what the peers' streams hand out).
pub fn stream_adapter(chunks: &[Bytes]) -> (usize, usize) {
    use futures::{executor::block_on, stream, StreamExt};
    use sse_wire::decode::OwnedItem;
    let chunks = stream::iter(chunks.iter().cloned().map(Ok::<_, std::io::Error>));
    let mut events_stream = sse_wire::stream::EventStream::new(chunks);
    block_on(async {
        let (mut events, mut data_len) = (0, 0);
        while let Some(item) = events_stream.next().await {
            if let Ok(OwnedItem::Event(event)) = item {
                events += 1;
                data_len += event.data().len();
            }
        }
        (events, data_len)
    })
}

/// The push layer driven directly, each event made owned as the `stream`
/// adapter makes it: the same work without the `Stream` around it.
pub fn push_owned(chunks: &[Bytes]) -> (usize, usize) {
    let mut decoder = PushDecoder::new();
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        decoder.push(chunk);
        while let Some(item) = decoder.next_item() {
            if let Ok(Item::Event(event)) = item {
                let event = black_box(event.into_owned());
                events += 1;
                data_len += event.data().len();
            }
        }
    }
    (events, data_len)
}
