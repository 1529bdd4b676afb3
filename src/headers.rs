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
/// `Cache-Control: no-cache` and `Pragma: no-cache`, as Fetch adds for the
/// "no-store" cache mode.
pub const REQUEST_HEADERS: [(&str, &str); 3] = [
    ("accept", MIME_TYPE),
    ("cache-control", "no-cache"),
    ("pragma", "no-cache"),
];

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
/// C2 sends the last event ID *string*, the ID as text (L1: bytes that are
/// not UTF-8 have become U+FFFD), encoded as UTF-8, as browsers do: pass the
/// ID as text, for example `String::from_utf8_lossy(decoder.last_event_id())`
/// or an event's `last_event_id_str()`.
///
/// An ID is any text without CR, LF or NUL, but an HTTP header value may
/// not hold the other control characters, and its leading and trailing
/// spaces and tabs are stripped on the way: such an ID cannot be sent as it
/// is, and this returns an error rather than a different ID. A client then
/// chooses: send no `Last-Event-ID` (the server starts afresh) and report
/// it, or give up. Characters beyond ASCII are allowed, as browsers send
/// them (as UTF-8, which HTTP reads as `obs-text`).
///
/// ```
/// use sse_wire::headers::last_event_id_value;
/// assert_eq!(last_event_id_value("42"), Ok(Some("42")));
/// assert_eq!(last_event_id_value(""), Ok(None));
/// assert_eq!(last_event_id_value("é"), Ok(Some("é")));
/// assert_eq!(last_event_id_value("a\u{1}b").unwrap_err().at(), 1);
/// assert_eq!(last_event_id_value(" 42").unwrap_err().at(), 0);
/// assert_eq!(last_event_id_value("42  ").unwrap_err().at(), 2);
/// ```
pub fn last_event_id_value(id: &str) -> Result<Option<&str>, InvalidHeaderValue> {
    if id.is_empty() {
        return Ok(None);
    }
    let bytes = id.as_bytes();
    if let Some(at) = bytes
        .iter()
        .position(|&b| (b < b' ' && b != b'\t') || b == 0x7F)
    {
        return Err(InvalidHeaderValue { at });
    }
    let trimmed = trim_http_whitespace(bytes);
    if trimmed.len() != bytes.len() {
        // The first byte that would be stripped: a leading one, or the
        // first of the trailing run.
        let leading = bytes.len() - bytes.trim_ascii_start().len();
        let at = if leading > 0 { 0 } else { trimmed.len() };
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
