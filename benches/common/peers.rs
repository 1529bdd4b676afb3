//! The peer crates, each fed the same chunks and counting events and data
//! bytes. Sans-IO APIs where a crate has one, its `Stream` adapter driven by
//! `block_on` otherwise.

use bytes::Bytes;
use futures::{executor::block_on, stream, Stream, StreamExt, TryStreamExt};
use std::pin::pin;

fn chunk_stream(
    chunks: &[Bytes],
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin + '_ {
    stream::iter(chunks.iter().cloned().map(Ok::<_, std::io::Error>))
}

pub fn sse_core(chunks: &[Bytes]) -> (usize, usize) {
    use sse_core::{SseDecoder, SseEvent};
    let mut decoder = SseDecoder::new();
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        let mut buf: &[u8] = chunk;
        while let Some(event) = decoder.next(&mut buf) {
            if let Ok(SseEvent::Message(m)) = event {
                events += 1;
                data_len += m.data.len();
            }
        }
    }
    (events, data_len)
}

pub fn sse_parse(chunks: &[Bytes]) -> (usize, usize) {
    let mut parser = sse_parse::SseParser::new();
    let (mut events, mut data_len) = (0, 0);
    for chunk in chunks {
        parser.feed(chunk);
        while let Some(event) = parser.next_event() {
            events += 1;
            data_len += event.data.len();
        }
    }
    parser.finish();
    (events, data_len)
}

pub fn sse_stream(chunks: &[Bytes]) -> (usize, usize) {
    let mut events_stream = pin!(sse_stream::SseByteStream::new(chunk_stream(chunks)));
    block_on(async {
        let (mut events, mut data_len) = (0, 0);
        while let Some(Ok(event)) = events_stream.next().await {
            // It also yields blocks without data; count only events.
            if let Some(data) = event.data {
                events += 1;
                data_len += data.len();
            }
        }
        (events, data_len)
    })
}

pub fn sseer(chunks: &[Bytes]) -> (usize, usize) {
    let mut events_stream = pin!(sseer::EventStream::new(chunk_stream(chunks)));
    block_on(async {
        let (mut events, mut data_len) = (0, 0);
        while let Some(Ok(event)) = events_stream.next().await {
            events += 1;
            data_len += event.data.len();
        }
        (events, data_len)
    })
}

pub fn eventsource_stream(chunks: &[Bytes]) -> (usize, usize) {
    use eventsource_stream::Eventsource;
    let mut events_stream = pin!(chunk_stream(chunks).eventsource());
    block_on(async {
        let (mut events, mut data_len) = (0, 0);
        while let Some(Ok(event)) = events_stream.next().await {
            events += 1;
            data_len += event.data.len();
        }
        (events, data_len)
    })
}

pub fn async_sse(chunks: &[Bytes]) -> (usize, usize) {
    let mut decoder = async_sse::decode(chunk_stream(chunks).into_async_read());
    block_on(async {
        let (mut events, mut data_len) = (0, 0);
        while let Some(Ok(event)) = decoder.next().await {
            if let async_sse::Event::Message(m) = event {
                events += 1;
                data_len += m.data().len();
            }
        }
        (events, data_len)
    })
}
