//! Decoding `text/event-stream`, in three layers with one vocabulary.
//!
//! | layer | type | input | values |
//! | --- | --- | --- | --- |
//! | core | [`Decoder`] | a buffer the caller owns, `&[u8]` or `&str` | borrowed slices of it |
//! | push (`alloc`) | [`PushDecoder`] | `push(&[u8])` | `&str` slices of its text buffer |
//! | `Bytes` (`bytes`) | [`BytesDecoder`] | `push(Bytes)` | `Bytes` slices of the chunks |
//!
//! Moving from one layer to another is changing a type name: each has
//! `new`, `with_config`, `config`, `set_last_event_id`, `last_event_id`,
//! `finish` and `reconnect`; the push and `Bytes` layers read with
//! `push` and `next_item`, the core with `decode` (or `decode_str`) and
//! `release`. Events have `event_type`, `data` and `last_event_id` (bytes)
//! and `event_type_str`, `data_str` and `last_event_id_str` (text, per L1).
//!
//! All three implement RULES.md the same way, because the rules are
//! implemented once, in the core: the push layer runs it over its text
//! buffer and the `Bytes` layer over each chunk in place. They report the
//! same items for the same input however it is split into chunks. The one difference: the
//! push layer's limits count the bytes of its text, where a U+FFFD that
//! replaced one to three ill-formed bytes counts three, so on input that is
//! not UTF-8 it may reach a limit a little sooner ([`PushDecoder`]).

#[cfg(feature = "bytes")]
mod bytes;
mod config;
mod decoder;
mod event;
mod id;
#[cfg(feature = "alloc")]
mod joined;
#[cfg(feature = "alloc")]
mod push;

#[cfg(feature = "bytes")]
pub use self::bytes::{BytesDecoder, BytesEvent, BytesItem};
pub use config::{Config, DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_LEN};
pub use decoder::{Decoder, End};
pub use event::{is_keep_alive, Data, DataLines, Event, Item, Status};
#[cfg(feature = "alloc")]
pub use event::{OwnedEvent, OwnedItem};
pub use id::{IdStore, InlineId, LastEventId, DEFAULT_ID_CAPACITY};
#[cfg(feature = "alloc")]
pub use push::PushDecoder;
