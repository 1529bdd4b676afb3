//! Encoding `text/event-stream`: events, comments and what a server sends
//! besides them.
//!
//! ```
//! use sse_wire::encode::{Event, EventType, KEEP_ALIVE, RESPONSE_HEADERS};
//!
//! let mut body = Vec::new();
//! Event::new().retry_ms(10_000).write_to_vec(&mut body);
//! Event::new().event_type(EventType::from_static("tick")).data("1").write_to_vec(&mut body);
//! body.extend_from_slice(KEEP_ALIVE.as_bytes());
//! assert_eq!(body, b"retry: 10000\n\nevent: tick\ndata: 1\n\n:\n");
//! assert_eq!(RESPONSE_HEADERS[0], ("content-type", "text/event-stream"));
//! ```

mod event;
mod sink;
mod value;

pub use event::Event;
pub use value::{EventId, EventType, InvalidValue};

/// The MIME type of an event stream (G8).
pub const MIME_TYPE: &str = "text/event-stream";

/// Response headers a server should send with a stream: the MIME type,
/// `Cache-Control: no-cache` so that no cache stores it, and
/// `X-Accel-Buffering: no` so that nginx passes events through at once.
pub const RESPONSE_HEADERS: [(&str, &str); 3] = [
    ("content-type", MIME_TYPE),
    ("cache-control", "no-cache"),
    ("x-accel-buffering", "no"),
];

/// An empty comment line: send it every so often (15–30 s is usual) so that
/// proxies do not close an idle connection. Clients ignore it.
pub const KEEP_ALIVE: &str = ":\n";

const PADDING_LEN: usize = 2048;

/// A comment of 2 KiB of spaces, to send first: some proxies and old
/// browsers buffer the first 2 KiB of a response before passing any on.
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
