//! What a client and a server put in, and check on, the HTTP messages
//! around a stream: the MIME type, the `Last-Event-ID` header and the
//! headers each side sends (C1, C2, C4, S1). Plain constants and functions,
//! with no HTTP crate: adapters for `http` types build on them.

use core::fmt;

/// The MIME type of an event stream (G8, S1).
pub const MIME_TYPE: &str = "text/event-stream";

/// The header a reconnecting client sends with the last event ID (C2), in
/// the lowercase form HTTP/2 and the `http` crate use.
pub const LAST_EVENT_ID: &str = "last-event-id";

/// Request headers a client sends (C1): `Accept: text/event-stream`, and
/// `Cache-Control: no-cache` as Fetch adds for the "no-store" cache mode.
pub const REQUEST_HEADERS: [(&str, &str); 2] =
    [("accept", MIME_TYPE), ("cache-control", "no-cache")];

/// Response headers a server sends with a stream (S1, S5): the MIME type,
/// `Cache-Control: no-cache` so that no cache stores it, and
/// `X-Accel-Buffering: no` so that nginx passes events through at once.
pub const RESPONSE_HEADERS: [(&str, &str); 3] = [
    ("content-type", MIME_TYPE),
    ("cache-control", "no-cache"),
    ("x-accel-buffering", "no"),
];

/// Whether a `Content-Type` value names an event stream (C4): its MIME type
/// essence is `text/event-stream`, in any case, whatever its parameters
/// (`charset=utf-8` and the like do not count).
///
/// ```
/// use sse_wire::headers::is_event_stream;
/// assert!(is_event_stream(b"text/event-stream"));
/// assert!(is_event_stream(b"Text/Event-Stream ; charset=utf-8"));
/// assert!(!is_event_stream(b"text/plain"));
/// assert!(!is_event_stream(b"text/event-streams"));
/// ```
pub fn is_event_stream(content_type: &[u8]) -> bool {
    let essence = content_type
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default();
    trim_http_whitespace(essence).eq_ignore_ascii_case(MIME_TYPE.as_bytes())
}

/// The value of the `Last-Event-ID` header for `id` (C2): `None` when the ID
/// is empty, as no header is sent then.
///
/// An ID is any text without CR, LF or NUL, but an HTTP header value may
/// not hold the other control characters, and its leading and trailing
/// spaces and tabs are stripped on the way: such an ID cannot be sent as it
/// is, and this returns an error rather than a different ID. A client then
/// chooses: send no `Last-Event-ID` (the server starts afresh; what this
/// crate's client does, and reports) or give up. Bytes above 0x7F (UTF-8)
/// are allowed, as browsers send them.
///
/// ```
/// use sse_wire::headers::last_event_id_value;
/// assert_eq!(last_event_id_value(b"42"), Ok(Some(&b"42"[..])));
/// assert_eq!(last_event_id_value(b""), Ok(None));
/// assert_eq!(last_event_id_value("é".as_bytes()), Ok(Some("é".as_bytes())));
/// assert!(last_event_id_value(b"a\x01b").is_err());
/// assert!(last_event_id_value(b" 42").is_err());
/// ```
pub fn last_event_id_value(id: &[u8]) -> Result<Option<&[u8]>, InvalidHeaderValue> {
    if id.is_empty() {
        return Ok(None);
    }
    if let Some(at) = id
        .iter()
        .position(|&b| (b < b' ' && b != b'\t') || b == 0x7F)
    {
        return Err(InvalidHeaderValue { at });
    }
    if trim_http_whitespace(id).len() != id.len() {
        let at = if matches!(id[0], b' ' | b'\t') {
            0
        } else {
            id.len() - 1
        };
        return Err(InvalidHeaderValue { at });
    }
    Ok(Some(id))
}

/// An ID that cannot be sent as a `Last-Event-ID` header value as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvalidHeaderValue {
    at: usize,
}

impl InvalidHeaderValue {
    /// The offset of the first byte that cannot be sent: a control
    /// character, or a space or tab at either end.
    pub const fn at(&self) -> usize {
        self.at
    }
}

impl fmt::Display for InvalidHeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "last event ID cannot be sent as a header value: byte {} is a control \
             character or surrounding whitespace",
            self.at
        )
    }
}

#[cfg(feature = "std")]
impl std::error::Error for InvalidHeaderValue {}

fn trim_http_whitespace(bytes: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t');
    let start = bytes.iter().position(|b| !ws(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !ws(b)).map_or(start, |e| e + 1);
    &bytes[start..end]
}
