//! The header rules of [`headers`] on the `http` crate's
//! types (feature `http`): the request a client sends (C1, C2) and the
//! check of the response it gets (C4), as typed results.
//!
//! ```
//! use http::{HeaderMap, HeaderValue, StatusCode};
//! use sse_wire::http::{check_response, request_headers, ResponseError};
//!
//! let headers = request_headers(b"42")?;
//! assert_eq!(headers["accept"], "text/event-stream");
//! assert_eq!(headers["last-event-id"], "42");
//! assert!(request_headers(b"")?.get("last-event-id").is_none());
//!
//! let mut response = HeaderMap::new();
//! response.insert("content-type", HeaderValue::from_static("text/event-stream; charset=utf-8"));
//! assert_eq!(check_response(StatusCode::OK, &response), Ok(()));
//! assert_eq!(check_response(StatusCode::NO_CONTENT, &response), Err(ResponseError::NoContent));
//! # Ok::<(), sse_wire::headers::InvalidHeaderValue>(())
//! ```

use crate::headers::{self, InvalidHeaderValue};
use alloc::borrow::Cow;
use core::fmt;
use http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use http::StatusCode;

/// The headers a client sends (C1), with `Last-Event-ID` when `last_event_id`
/// is not empty (C2). See [`set_request_headers`].
pub fn request_headers(last_event_id: &[u8]) -> Result<HeaderMap, InvalidHeaderValue> {
    let mut map = HeaderMap::with_capacity(4);
    set_request_headers(&mut map, last_event_id)?;
    Ok(map)
}

/// Adds the headers a client sends to `map`: `Accept: text/event-stream`,
/// `Cache-Control: no-cache` and `Pragma: no-cache` where `map` has none of
/// its own (C1: a caller's own value is a deliberate departure), and
/// `Last-Event-ID` with the ID as UTF-8 text (L1) when it is not empty,
/// replacing any there (C2).
///
/// An ID that cannot be sent as it is (see
/// [`headers::last_event_id_value`]) is an error, and `map` then has no
/// `Last-Event-ID`: the caller chooses to go on without it or to stop.
pub fn set_request_headers(
    map: &mut HeaderMap,
    last_event_id: &[u8],
) -> Result<(), InvalidHeaderValue> {
    for (name, value) in headers::REQUEST_HEADERS {
        if !map.contains_key(name) {
            map.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
    }
    map.remove(headers::LAST_EVENT_ID);
    if let Some(value) = last_event_id_header(last_event_id)? {
        map.insert(HeaderName::from_static(headers::LAST_EVENT_ID), value);
    }
    Ok(())
}

/// The `Last-Event-ID` value for an ID read from a stream (C2): `None` when
/// it is empty; the ID's bytes as text (L1) otherwise, without leading and
/// trailing spaces and tabs, as Fetch normalizes a header value (a browser
/// sends `7` for the ID ` 7`, and so does this; what a server reads is the
/// same either way). An ID with another control character cannot be sent.
///
/// ```
/// let value = sse_wire::http::last_event_id_header("é-7".as_bytes()).unwrap().unwrap();
/// assert_eq!(value.as_bytes(), "é-7".as_bytes());
/// assert!(sse_wire::http::last_event_id_header(b"a\x01").is_err());
/// assert_eq!(sse_wire::http::last_event_id_header(b" 7\t").unwrap().unwrap(), "7");
/// ```
pub fn last_event_id_header(id: &[u8]) -> Result<Option<HeaderValue>, InvalidHeaderValue> {
    let text: Cow<'_, str> = crate::text::lossy(id);
    let normalized = text.trim_matches([' ', '\t']);
    match headers::last_event_id_value(normalized)? {
        None => Ok(None),
        // Every byte was checked above: no control character can be left.
        Some(value) => Ok(HeaderValue::from_str(value).ok()),
    }
}

/// Why a response cannot be read as an event stream (C4). Each fails the
/// connection: a conforming client does not reconnect.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseError {
    /// `204 No Content`: the server's way to say "stop" (S1).
    NoContent,
    /// Another status than 200.
    Status(StatusCode),
    /// The `Content-Type` is not `text/event-stream`, or missing (`None`).
    ContentType(Option<HeaderValue>),
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::NoContent => f.write_str("the server answered 204 No Content"),
            ResponseError::Status(status) => write!(f, "the server answered {status}"),
            ResponseError::ContentType(None) => f.write_str("the response has no content type"),
            ResponseError::ContentType(Some(value)) => write!(
                f,
                "the response's content type is {:?}, not text/event-stream",
                crate::text::Lossy(value.as_bytes())
            ),
        }
    }
}

impl std::error::Error for ResponseError {}

/// Checks a response (C4): status 200, and a `Content-Type` whose essence
/// is `text/event-stream` whatever its parameters.
pub fn check_response(status: StatusCode, headers: &HeaderMap) -> Result<(), ResponseError> {
    if status == StatusCode::NO_CONTENT {
        return Err(ResponseError::NoContent);
    }
    if status != StatusCode::OK {
        return Err(ResponseError::Status(status));
    }
    check_content_type(headers)
}

/// The `Content-Type` half of [`check_response`], for a client that checks
/// the status its own way.
pub fn check_content_type(headers: &HeaderMap) -> Result<(), ResponseError> {
    match headers.get(CONTENT_TYPE) {
        Some(value) if headers::is_event_stream(value.as_bytes()) => Ok(()),
        other => Err(ResponseError::ContentType(other.cloned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_a_callers_own_headers_win_and_c2_the_id_is_replaced() {
        let mut map = HeaderMap::new();
        map.insert("accept", HeaderValue::from_static("text/event-stream, */*"));
        map.insert("last-event-id", HeaderValue::from_static("stale"));
        set_request_headers(&mut map, b"").unwrap();
        assert_eq!(map["accept"], "text/event-stream, */*");
        assert_eq!(map["cache-control"], "no-cache");
        assert_eq!(map["pragma"], "no-cache");
        assert!(map.get("last-event-id").is_none());
        set_request_headers(&mut map, b"\xFF9").unwrap();
        assert_eq!(map["last-event-id"].as_bytes(), "\u{FFFD}9".as_bytes());
        set_request_headers(&mut map, b" 9 ").unwrap();
        assert_eq!(map["last-event-id"], "9");
        assert!(set_request_headers(&mut map, b"9\x7F").is_err());
        assert!(map.get("last-event-id").is_none());
    }

    #[test]
    fn c4_status_and_content_type() {
        let mut map = HeaderMap::new();
        assert_eq!(
            check_response(StatusCode::OK, &map),
            Err(ResponseError::ContentType(None))
        );
        map.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(matches!(
            check_response(StatusCode::OK, &map),
            Err(ResponseError::ContentType(Some(_)))
        ));
        map.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("TEXT/event-stream;charset=utf-8"),
        );
        assert_eq!(check_response(StatusCode::OK, &map), Ok(()));
        assert_eq!(
            check_response(StatusCode::INTERNAL_SERVER_ERROR, &map),
            Err(ResponseError::Status(StatusCode::INTERNAL_SERVER_ERROR))
        );
        assert_eq!(
            check_response(StatusCode::CREATED, &map),
            Err(ResponseError::Status(StatusCode::CREATED))
        );
    }
}
