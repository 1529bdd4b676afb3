//! A `Stream` of items from a `Stream` of byte chunks (feature `stream`).
//!
//! [`EventStream`] wraps anything that yields `Result<B, E>` with
//! `B: AsRef<[u8]>`: reqwest's `bytes_stream()`, the frames of an
//! `http-body` body, a file read in chunks. It decodes with a
//! [`PushDecoder`] and yields [`OwnedItem`]s. The transport's error and the
//! decoder's limit errors are distinct variants of [`StreamError`]; a limit
//! error discards one event and the stream goes on, a transport error ends
//! it. At the end the pending event is thrown away (L6), and
//! [`EventStream::end`] says what was.
//!
//! ```
//! use futures::{executor::block_on, stream, StreamExt};
//! use sse_wire::decode::OwnedItem;
//! use sse_wire::stream::EventStream;
//!
//! let chunks = stream::iter([Ok::<_, std::io::Error>(&b"data: hel"[..]), Ok(b"lo\n\nda")]);
//! let mut events = EventStream::new(chunks);
//! block_on(async {
//!     let Some(Ok(OwnedItem::Event(event))) = events.next().await else { panic!() };
//!     assert_eq!(event.data(), "hello");
//!     assert!(events.next().await.is_none());
//!     assert!(events.end().unwrap().incomplete_line); // "da" was cut off
//! });
//! ```

use crate::decode::{End, OwnedItem, PushDecoder};
use core::fmt;
use core::pin::Pin;
use core::task::{ready, Context, Poll};
use futures_core::{FusedStream, Stream};

pin_project_lite::pin_project! {
    /// Decoded items from a stream of byte chunks. See the
    /// [module docs](self).
    #[must_use = "streams do nothing unless polled"]
    pub struct EventStream<S> {
        #[pin]
        chunks: S,
        decoder: PushDecoder,
        end: Option<End>,
    }
}

impl<S> EventStream<S> {
    /// Decodes `chunks` with a default [`PushDecoder`].
    pub fn new(chunks: S) -> Self {
        EventStream::with_decoder(chunks, PushDecoder::new())
    }

    /// Decodes `chunks` with `decoder`: one configured with limits or
    /// comments, or a client's decoder that keeps the last event ID of
    /// earlier connections (C7; call its `reconnect()` first).
    pub fn with_decoder(chunks: S, decoder: PushDecoder) -> Self {
        EventStream {
            chunks,
            decoder,
            end: None,
        }
    }

    /// The decoder, for its last event ID.
    pub fn decoder(&self) -> &PushDecoder {
        &self.decoder
    }

    /// How the stream ended (L6), once it has: what the end threw away.
    pub fn end(&self) -> Option<End> {
        self.end
    }

    /// The chunk stream and the decoder, for example to keep the decoder
    /// (and its last event ID) for the next connection.
    pub fn into_parts(self) -> (S, PushDecoder) {
        (self.chunks, self.decoder)
    }
}

impl<S, B, E> Stream for EventStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
{
    type Item = Result<OwnedItem, StreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        loop {
            if this.end.is_some() {
                return Poll::Ready(None);
            }
            if let Some(item) = this.decoder.next_item() {
                return Poll::Ready(Some(match item {
                    Ok(item) => Ok(item.into_owned()),
                    Err(e) => Err(StreamError::Decode(e)),
                }));
            }
            match ready!(this.chunks.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => this.decoder.push(chunk.as_ref()),
                Some(Err(e)) => {
                    *this.end = Some(this.decoder.finish());
                    return Poll::Ready(Some(Err(StreamError::Transport(e))));
                }
                None => *this.end = Some(this.decoder.finish()),
            }
        }
    }
}

impl<S, B, E> FusedStream for EventStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
{
    fn is_terminated(&self) -> bool {
        self.end.is_some()
    }
}

impl<S> fmt::Debug for EventStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("decoder", &self.decoder)
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

/// An error from an [`EventStream`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError<E> {
    /// The chunk stream failed; the event stream ends after it.
    Transport(E),
    /// A limit was exceeded ([`crate::Error`]): one event was discarded and
    /// the stream goes on.
    Decode(crate::Error),
}

impl<E: fmt::Display> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(e) => write!(f, "transport error: {e}"),
            StreamError::Decode(e) => write!(f, "{e}"),
        }
    }
}

#[cfg(feature = "std")]
impl<E: std::error::Error + 'static> std::error::Error for StreamError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Transport(e) => Some(e),
            StreamError::Decode(e) => Some(e),
        }
    }
}
