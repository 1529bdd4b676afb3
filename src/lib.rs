//! The Server-Sent Events wire format (`text/event-stream`, WHATWG HTML
//! §9.2), decoded and encoded exactly as the specification says.
//!
//! The rules live in `RULES.md` (shipped beside the spec fixtures), each
//! with an ID: G* for the grammar, L* for decoding bytes and splitting lines,
//! F* for fields and D* for dispatch. The code names the rule it implements.
//!
//! # Decoding
//!
//! Three layers, one set of rules, the same items however the input is
//! chunked (split at any byte: inside CRLF, a UTF-8 sequence or the BOM):
//!
//! * [`decode::Decoder`], the core: reads a buffer the caller owns, yields
//!   [`decode::Item`]s that borrow it, never allocates and needs no `alloc`.
//!   It keeps a scan offset, so no byte is read twice as input grows.
//! * [`decode::EventDecoder`] (`alloc`): owns its buffer; push, take, finish.
//! * [`decode::BytesDecoder`] (`bytes`): values are `Bytes` slices of the
//!   chunks a hyper or reqwest body yields.
//!
//! ```
//! use sse_wire::decode::{EventDecoder, Item};
//!
//! let mut decoder = EventDecoder::new().with_last_event_id(b"41");
//! decoder.push(b"\xEF\xBB\xBFevent: add\ndata: 1\r\ndata: 2\r\n\r");
//! decoder.push(b"\nid: 42\ndata: \xFF\n\n");
//! let mut seen = Vec::new();
//! while let Some(item) = decoder.next_item() {
//!     if let Item::Event(e) = item.unwrap() {
//!         seen.push(format!("{} {:?} {}", e.event_type_str(), e.data().to_str(), e.last_event_id_str()));
//!     }
//! }
//! assert_eq!(seen, ["add \"1\\n2\" 41", "message \"\u{FFFD}\" 42"]);
//! assert!(decoder.finish().is_clean());
//! ```
//!
//! What the specification leaves open is settled like this (RULES §5):
//! an empty `retry` value is ignored, and so is one that does not fit a
//! `u64`; a decoder starts with an empty last event ID unless the client
//! seeds it on reconnection; invalid UTF-8 becomes U+FFFD, one per maximal
//! subpart, and never stops the stream.
//!
//! The specification sets no size limits; a decoder facing the network needs
//! them. [`decode::Config`] bounds the line length and the event size (1 MiB
//! each by default). Exceeding one is an [`Error`]: that event is discarded,
//! the decoder skips to the next blank line and goes on, and its memory never
//! grows past the limit.
//!
//! # Encoding
//!
//! [`encode::Event`] writes an event that cannot break the framing: the event
//! type and ID are validated newtypes ([`encode::EventType`],
//! [`encode::EventId`]) and data with line breaks becomes several `data:`
//! lines. It writes into a `&mut [u8]`, any `fmt::Write`, a `Vec<u8>` or a
//! `BufMut`, and knows its exact [`encoded_len`](encode::Event::encoded_len).
//!
//! ```
//! use sse_wire::encode::{Event, EventId, EventType};
//!
//! let mut buf = [0u8; 64];
//! let n = Event::new()
//!     .event_type(EventType::from_static("price"))
//!     .id(EventId::new("17").unwrap())
//!     .data("1.05\n1.07")
//!     .write_to_slice(&mut buf)
//!     .unwrap();
//! assert_eq!(&buf[..n], b"event: price\nid: 17\ndata: 1.05\ndata: 1.07\n\n");
//! ```
//!
//! ```compile_fail
//! // A line break in a literal event type fails to compile.
//! const BAD: sse_wire::encode::EventType = sse_wire::encode::EventType::from_static("a\nb");
//! ```
//!
//! # Checking what authors write
//!
//! [`grammar::check`] tells whether a stream follows the grammar authors
//! must produce (G1–G7): useful for servers and captured streams, while the
//! decoders accept anything.
//!
//! # Crate features
//!
//! The crate is `#![no_std]`; features add to it.
//!
//! * `std` (default): `std::error::Error` for the error types. Implies `alloc`.
//! * `alloc`: [`decode::EventDecoder`], `Cow` text, `Vec` storage for the last
//!   event ID, and encoding into `Vec<u8>`.
//! * `bytes`: [`decode::BytesDecoder`] and encoding into `bytes::BufMut`.
//!   Implies `alloc`.
//! * `cli`: builds the `sse-wire` command-line tool. Not for library users.
//!
//! Without features the core decoder and the encoder work with no allocator
//! at all (CI builds them for `thumbv7em-none-eabihf`).
//!
//! The minimum supported Rust version is 1.81.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod decode;
pub mod encode;
mod error;
pub mod grammar;
mod line;
mod line_ends;
pub mod text;

pub use error::{BufferTooSmall, Error, ErrorKind};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
