//! A `tokio-util` codec (feature `codec`): [`SseCodec`] decodes for
//! `FramedRead` and encodes [`encode::Event`]s for `FramedWrite`.
//!
//! The decoder reads `FramedRead`'s own buffer with the core
//! [`Decoder`], so nothing is copied before an
//! event is made owned. Its items are `Result<OwnedItem, sse_wire::Error>`:
//! a limit error discards one event and the stream goes on, where an `Err`
//! of the codec itself (only the reader's `io::Error`) would end
//! `FramedRead`. At the end of the input the pending event is thrown away
//! (L6) and [`SseCodec::end`] says what was.
//!
//! ```
//! use futures::{executor::block_on, SinkExt, StreamExt};
//! use sse_wire::codec::SseCodec;
//! use sse_wire::decode::OwnedItem;
//! use sse_wire::encode::Event;
//! use tokio_util::codec::{FramedRead, FramedWrite};
//!
//! block_on(async {
//!     let mut wire = Vec::new();
//!     let mut writer = FramedWrite::new(&mut wire, SseCodec::new());
//!     writer.send(Event::new().data("one\ntwo")).await?;
//!     drop(writer);
//!     assert_eq!(wire, b"data: one\ndata: two\n\n");
//!
//!     let mut reader = FramedRead::new(&wire[..], SseCodec::new());
//!     let Some(Ok(OwnedItem::Event(event))) = reader.next().await.transpose()? else { panic!() };
//!     assert_eq!(event.data(), "one\ntwo");
//!     assert!(reader.next().await.is_none());
//!     Ok::<(), std::io::Error>(())
//! })
//! .unwrap();
//! ```

use crate::decode::{Config, Decoder, End, OwnedItem, Status};
use crate::encode;
use bytes::{Buf, BytesMut};

/// Decodes and encodes `text/event-stream` for `tokio-util`'s framed
/// readers and writers. See the [module docs](self).
#[derive(Debug, Default)]
pub struct SseCodec {
    decoder: Decoder,
    end: Option<End>,
}

impl SseCodec {
    /// A codec with the default [`Config`].
    pub fn new() -> Self {
        SseCodec::default()
    }

    /// A codec with `config`.
    pub fn with_config(config: Config) -> Self {
        SseCodec {
            decoder: Decoder::with_config(config),
            end: None,
        }
    }

    /// The decoder, for its last event ID (or to seed one).
    pub fn decoder_mut(&mut self) -> &mut Decoder {
        &mut self.decoder
    }

    /// The last event ID (D1).
    pub fn last_event_id(&self) -> &[u8] {
        self.decoder.last_event_id()
    }

    /// How the input ended (L6), once it has.
    pub fn end(&self) -> Option<End> {
        self.end
    }

    /// Starts a new connection's stream (C5, C7), for a codec used again
    /// after a read error or the end of its input: what the old input left
    /// unfinished is thrown away, the last event ID stays. Clear the
    /// framed reader's buffer too (`FramedRead::read_buffer_mut`).
    pub fn reconnect(&mut self) -> End {
        self.end = None;
        self.decoder.reconnect()
    }
}

impl tokio_util::codec::Decoder for SseCodec {
    type Item = Result<OwnedItem, crate::Error>;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        // Drop what the last item no longer needs, then read on from where
        // the decoder stopped: no byte is scanned twice.
        src.advance(self.decoder.release());
        Ok(match self.decoder.decode(src) {
            Ok(Status::Complete(item)) => Some(Ok(item.into_owned())),
            Ok(Status::Partial) => None,
            Err(e) => Some(Err(e)),
        })
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        if let Some(item) = self.decode(src)? {
            return Ok(Some(item));
        }
        // L6: what is left is an incomplete line or an undispatched event.
        self.end = Some(self.decoder.finish());
        src.clear();
        Ok(None)
    }
}

impl tokio_util::codec::Encoder<encode::Event<'_>> for SseCodec {
    type Error = std::io::Error;

    fn encode(&mut self, event: encode::Event<'_>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        dst.reserve(event.encoded_len());
        event.put(dst).map_err(std::io::Error::other)
    }
}
