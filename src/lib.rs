//! The Server-Sent Events wire format (`text/event-stream`, WHATWG HTML
//! §9.2), decoded and encoded exactly as the specification says.
//!
//! The rules live in [`rules`] (RULES.md, shipped beside the spec fixtures),
//! each with an ID: G* for the grammar, L* for decoding bytes and splitting
//! lines, F* for fields, D* for dispatch, C* for a client's connection and S*
//! for what a server sends. The docs and the code name the rule they follow.
//!
//! # Decoding
//!
//! Three layers, one set of rules and one vocabulary, the same items however
//! the input is chunked (split at any byte: inside CRLF, a UTF-8 sequence or
//! the BOM):
//!
//! * the **core** layer, [`decode::Decoder`]: reads a buffer the caller owns,
//!   bytes or text, and yields [`decode::Item`]s that borrow it; needs no
//!   `alloc` and allocates nothing for the input or the events. With
//!   `alloc`, the last event ID it keeps is a `Vec`, and once data of
//!   several lines has been asked for joined it joins such data as it reads
//!   it, into memory kept from event to event. It keeps a scan offset, so
//!   no byte is read twice as input grows.
//! * the **push** layer, [`decode::PushDecoder`] (`alloc`): owns its buffer;
//!   `push` chunks, take items with `next_item`. Its buffer is text, checked
//!   as UTF-8 once as it arrives, so `data_str()` and the other `*_str`
//!   accessors lend `&str` slices of it with nothing left to check (data
//!   of several lines, joined, is checked once more as a whole).
//! * the **`Bytes`** layer, [`decode::BytesDecoder`] (`bytes`): values are
//!   `Bytes` slices of the chunks a hyper or reqwest body yields.
//!
//! The push and `Bytes` layers are the core decoder with a buffer (or the
//! chunks) around it: every rule lives once, in the core.
//!
//! ```
//! use sse_wire::decode::{Item, PushDecoder};
//!
//! let mut decoder = PushDecoder::new();
//! decoder.set_last_event_id(b"41")?; // the ID a reconnecting client sends
//! decoder.push(b"\xEF\xBB\xBFevent: add\ndata: 1\r\ndata: 2\r\n\r");
//! decoder.push(b"\nid: 42\ndata: \xFF\n\n");
//! let mut seen = Vec::new();
//! while let Some(item) = decoder.next_item() {
//!     if let Item::Event(e) = item? {
//!         seen.push(format!("{} {:?} {}", e.event_type_str(), e.data_str(), e.last_event_id_str()));
//!     }
//! }
//! assert_eq!(seen, ["add \"1\\n2\" 41", "message \"\u{FFFD}\" 42"]);
//! assert!(decoder.finish().is_clean());
//! # Ok::<(), sse_wire::Error>(())
//! ```
//!
//! When a connection ends, call `finish()`, or `reconnect()` before the
//! next connection's bytes: a line the old connection cut must not run into
//! the new one's first line (C7). The last event ID stays, for the
//! `Last-Event-ID` header ([`headers::last_event_id_value`]).
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
//! [`encode::EventId`], which also takes a number) and data with line breaks
//! becomes several `data:` lines. It writes into a `&mut [u8]`, any
//! `fmt::Write`, a `Vec<u8>`, a `BufMut` or one shared `Bytes`
//! (`to_bytes`, to encode once for many connections), and knows its exact
//! [`encoded_len`](encode::Event::encoded_len).
//!
//! ```
//! use sse_wire::encode::{Event, EventId, EventType};
//!
//! let mut buf = [0u8; 64];
//! let n = Event::new()
//!     .event_type(EventType::from_static("price"))
//!     .id(EventId::from_u64(17))
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
//! # HTTP
//!
//! [`headers`] holds what both ends of a connection need and no HTTP crate:
//! the MIME type, the `Last-Event-ID` header and whether an ID can be sent
//! in it, the request and response headers, and the `Content-Type` check
//! (C1, C2, C4, S1). Clients on reqwest and servers on axum, hyper and
//! tower are separate crates of this workspace, built on this one
//! (`crates/`, in progress); the protocol crate never depends on a runtime.
//!
//! # Checking what authors write
//!
//! [`grammar::check`] tells whether a whole stream follows the grammar
//! authors must produce (G1–G7), and [`grammar::check_prefix`] whether a
//! live capture can still become one: useful for servers and captured
//! streams, while the decoders accept anything.
//!
//! # Crate features
//!
//! The crate is `#![no_std]`; features add to it.
//!
//! * `std` (default): `std::error::Error` for the error types. Implies `alloc`.
//! * `grammar` (default): [`grammar`], with `nom`.
//! * `simd-utf8` (default): text is checked as UTF-8 with `simdutf8` (AVX2
//!   or SSE4.2, chosen at run time with `std`) rather than `str::from_utf8`,
//!   wherever this crate makes text: the push layer's chunks,
//!   [`text::Utf8Decoder`] and the `*_str` accessors. The same text either
//!   way, faster (see BENCHMARKS.md).
//! * `alloc`: [`decode::PushDecoder`], text ([`text::Utf8Decoder`], `Cow`
//!   accessors), owned events, an unlimited last event ID in the core, and
//!   encoding into `Vec<u8>`.
//! * `bytes`: [`decode::BytesDecoder`], encoding into `bytes::BufMut` and
//!   `Bytes`. Implies `alloc`.
//! * `stream`: [`stream::EventStream`], a `futures` `Stream` of items from
//!   any `Stream` of byte chunks (reqwest, hyper, a file). Implies `alloc`.
//! * `codec`: [`codec::SseCodec`] for `tokio-util`'s `FramedRead` and
//!   `FramedWrite`. Implies `std` and `bytes`.
//! * `http`: [`http`], the client's request headers and response check on
//!   the `http` crate's types. Implies `std`.
//!
//! The reconnection policy ([`reconnect`]) needs no feature and no
//! allocator: it is a plain state machine, fed the time by its caller.
//!
//! Without features the core decoder and the encoder work with no allocator
//! at all (CI builds them for `thumbv7em-none-eabihf`); the last event ID is
//! then held inline, up to 256 bytes ([`decode::LastEventId`]).
//!
//! The minimum supported Rust version is 1.81; with `codec`, 1.85
//! (tokio-util's).
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

#[cfg(feature = "codec")]
pub mod codec;
pub mod decode;
pub mod encode;
mod error;
#[cfg(feature = "grammar")]
pub mod grammar;
pub mod headers;
#[cfg(feature = "http")]
pub mod http;
mod line;
mod line_ends;
pub mod reconnect;
#[cfg(feature = "stream")]
pub mod stream;
pub mod text;

/// The rules this crate implements, with their IDs (RULES.md): cited
/// throughout these docs as G1, L3, F4, D5, C2, S4 and so on.
pub mod rules {
    #![doc = include_str!("../spec-fixtures/RULES.md")]
}

pub use error::{BufferTooSmall, Error, ErrorKind};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
