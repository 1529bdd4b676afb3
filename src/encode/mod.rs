//! Encoding `text/event-stream`: events, comments and what a server sends
//! besides them.
//!
//! ```
//! use sse_wire::encode::{Event, EventType, KEEP_ALIVE};
//! use sse_wire::headers::RESPONSE_HEADERS;
//! use std::time::Duration;
//!
//! let mut body = Vec::new();
//! Event::new().retry(Duration::from_secs(10)).write_to_vec(&mut body);
//! Event::new().event_type(EventType::from_static("tick")).data("1").write_to_vec(&mut body);
//! body.extend_from_slice(KEEP_ALIVE.as_bytes());
//! assert_eq!(body, b"retry: 10000\n\nevent: tick\ndata: 1\n\n:\n");
//! assert_eq!(RESPONSE_HEADERS[0], ("content-type", "text/event-stream"));
//! ```
//!
//! [`KEEP_ALIVE`] and [`PADDING`] are `&str` constants; as bytes they are
//! `KEEP_ALIVE.as_bytes()`, and as a `Bytes` to share among connections
//! `Bytes::from_static(PADDING.as_bytes())`, both usable in a `const`. A
//! client that reports comments tells them from comments with something to
//! say with [`is_keep_alive`](crate::decode::is_keep_alive).

mod event;
mod sink;
mod value;

pub use event::Event;
pub use value::{EventId, EventType, InvalidValue};

/// An empty comment line: send it every so often (15–30 s is usual, S4) so
/// that proxies do not close an idle connection. Clients ignore it.
pub const KEEP_ALIVE: &str = ":\n";

const PADDING_LEN: usize = 2048;

/// A comment of 2 KiB of spaces, to send first: some proxies and old
/// browsers buffer the first 2 KiB of a response before passing any on (S5).
/// A decoder reporting comments reads it as 2047 spaces, which
/// [`is_keep_alive`](crate::decode::is_keep_alive) recognises.
pub const PADDING: &str = {
    const BYTES: [u8; PADDING_LEN + 2] = {
        let mut bytes = [b' '; PADDING_LEN + 2];
        bytes[0] = b':';
        bytes[PADDING_LEN + 1] = b'\n';
        bytes
    };
    match core::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => panic!("padding is ASCII"),
    }
};
