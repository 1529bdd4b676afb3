//! The `Last-Event-ID` a reconnecting client sends (C2, S3): from the
//! header, or from a `lastEventId` query parameter for clients that cannot
//! set headers (the guide's workaround for browsers' `EventSource`).

use http::request::Parts;
use std::fmt;

/// The longest last event ID accepted, in bytes: an ID is the server's
/// own, and no server needs more; a longer one is an error, not a search.
pub const MAX_LAST_EVENT_ID: usize = 1024;

/// The last event ID a client sent, if any: `None` on a first connection.
///
/// With the `axum` feature it is an extractor; a bad value is rejected
/// with `400 Bad Request` and the reason.
///
/// ```
/// use sse_wire_server::LastEventId;
///
/// let request = http::Request::get("/events?lastEventId=41").body(()).unwrap();
/// let (parts, _) = request.into_parts();
/// assert_eq!(LastEventId::from_parts(&parts).unwrap().as_deref(), Some("41"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LastEventId(pub Option<String>);

impl LastEventId {
    /// Reads the `Last-Event-ID` header, or else the `lastEventId` query
    /// parameter. An empty value is no ID (C2). A value that is not UTF-8,
    /// holds CR, LF or NUL (no stream can have set such an ID, F3), or is
    /// longer than [`MAX_LAST_EVENT_ID`] is an error.
    pub fn from_parts(parts: &Parts) -> Result<Self, InvalidLastEventId> {
        let raw: Option<Vec<u8>> = match parts.headers.get(sse_wire::headers::LAST_EVENT_ID) {
            Some(value) => Some(value.as_bytes().to_vec()),
            None => parts
                .uri
                .query()
                .and_then(|query| query_value(query, "lastEventId")),
        };
        let Some(raw) = raw else {
            return Ok(LastEventId(None));
        };
        if raw.len() > MAX_LAST_EVENT_ID {
            return Err(InvalidLastEventId::TooLong(raw.len()));
        }
        let id = String::from_utf8(raw).map_err(|_| InvalidLastEventId::NotUtf8)?;
        if let Some(at) = id.bytes().position(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(InvalidLastEventId::Forbidden(at));
        }
        Ok(LastEventId((!id.is_empty()).then_some(id)))
    }

    /// The ID, if one was sent.
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// Why a `Last-Event-ID` was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidLastEventId {
    /// Longer than [`MAX_LAST_EVENT_ID`] bytes (its length).
    TooLong(usize),
    /// Not UTF-8.
    NotUtf8,
    /// Holds CR, LF or NUL at this byte.
    Forbidden(usize),
}

impl fmt::Display for InvalidLastEventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidLastEventId::TooLong(len) => write!(
                f,
                "Last-Event-ID of {len} bytes; at most {MAX_LAST_EVENT_ID} are accepted"
            ),
            InvalidLastEventId::NotUtf8 => f.write_str("Last-Event-ID is not UTF-8"),
            InvalidLastEventId::Forbidden(at) => {
                write!(f, "Last-Event-ID holds CR, LF or NUL at byte {at}")
            }
        }
    }
}

impl std::error::Error for InvalidLastEventId {}

/// The percent-decoded value of `name` in a query string (`+` is a space).
fn query_value(query: &str, name: &str) -> Option<Vec<u8>> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(key.as_bytes()) == name.as_bytes())
            .then(|| percent_decode(value.as_bytes()))
    })
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                match (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                ) {
                    (Some(high), Some(low)) => {
                        out.push(high << 4 | low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

#[cfg(feature = "axum")]
impl<S: Send + Sync> axum_core::extract::FromRequestParts<S> for LastEventId {
    type Rejection = (http::StatusCode, String);

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        LastEventId::from_parts(parts).map_err(|e| (http::StatusCode::BAD_REQUEST, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(request: http::request::Builder) -> Parts {
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn c2_header_first_then_query_and_empty_is_none() {
        let p = parts(http::Request::get("/e?lastEventId=q").header("last-event-id", "h"));
        assert_eq!(LastEventId::from_parts(&p).unwrap().as_deref(), Some("h"));
        let p = parts(http::Request::get("/e?a=1&lastEventId=caf%C3%A9+1"));
        assert_eq!(
            LastEventId::from_parts(&p).unwrap().as_deref(),
            Some("café 1")
        );
        let p = parts(http::Request::get("/e").header("last-event-id", ""));
        assert_eq!(LastEventId::from_parts(&p).unwrap(), LastEventId(None));
        let p = parts(http::Request::get("/e?lastEventId=%zz%4"));
        assert_eq!(
            LastEventId::from_parts(&p).unwrap().as_deref(),
            Some("%zz%4")
        );
    }

    #[test]
    fn hostile_ids_are_refused_with_a_reason() {
        let p = parts(http::Request::get("/e").header("last-event-id", "x".repeat(1 << 20)));
        assert_eq!(
            LastEventId::from_parts(&p),
            Err(InvalidLastEventId::TooLong(1 << 20))
        );
        let p = parts(http::Request::get("/e?lastEventId=a%0Db"));
        assert_eq!(
            LastEventId::from_parts(&p),
            Err(InvalidLastEventId::Forbidden(1))
        );
        let p = parts(http::Request::get("/e?lastEventId=%00"));
        assert_eq!(
            LastEventId::from_parts(&p),
            Err(InvalidLastEventId::Forbidden(0))
        );
        let p = parts(http::Request::get("/e?lastEventId=%FF"));
        assert_eq!(
            LastEventId::from_parts(&p),
            Err(InvalidLastEventId::NotUtf8)
        );
    }
}
