//! Decoding `text/event-stream`, in three layers.
//!
//! * [`Decoder`]: the core. Reads the caller's buffer, yields [`Item`]s that
//!   borrow it, never allocates, and works without `alloc`.
//! * [`EventDecoder`] (feature `alloc`): owns its buffer; push chunks, take
//!   items.
//! * [`BytesDecoder`] (feature `bytes`): yields owned [`BytesEvent`]s whose
//!   values are slices of the `Bytes` chunks pushed in.
//!
//! All three implement RULES.md the same way and report the same items for
//! the same input however it is split into chunks.

#[cfg(feature = "bytes")]
mod bytes;
mod config;
mod decoder;
mod event;
mod id;
#[cfg(feature = "alloc")]
mod push;

#[cfg(feature = "bytes")]
pub use self::bytes::{BytesDecoder, BytesEvent, BytesItem};
pub use config::{Config, DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_LEN};
pub use decoder::{Decoder, End, DEFAULT_ID_CAPACITY};
pub use event::{Data, DataLines, Event, Item, Status};
pub use id::{IdStore, InlineId};
#[cfg(feature = "alloc")]
pub use push::EventDecoder;
