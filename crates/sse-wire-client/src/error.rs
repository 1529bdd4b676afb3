//! Why a connection failed, and why an event source stopped.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use std::fmt;
use std::time::Duration;

/// A response that could not be read as an event stream: kept whole but
/// the body, of which only the start is read (at most
/// [`FailedResponse::BODY_LIMIT`] bytes), so that the server's explanation
/// is at hand.
#[derive(Debug, Clone)]
pub struct FailedResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The start of the body.
    pub body: Bytes,
    /// The URL that answered, after redirects.
    pub url: reqwest::Url,
}

impl FailedResponse {
    /// How much of a failed response's body is read.
    pub const BODY_LIMIT: usize = 4096;

    /// The start of the body as text, with U+FFFD for bytes that are not
    /// UTF-8.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// Why a connection failed, or why the event source stopped.
///
/// The stream yields it as its last item when it stops (C6); as the cause of
/// a reconnection ([`Reconnecting`](crate::Reconnecting)) it is not the end.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered a status other than 200 (C4). `204 No Content`
    /// is the server's way to say "stop" (S1): see [`Error::is_no_content`].
    Status(Box<FailedResponse>),
    /// The response is not `text/event-stream` (C4), or has no
    /// `Content-Type`.
    ContentType(Box<FailedResponse>),
    /// The request could not be sent or the body could not be read:
    /// refused, reset, DNS, TLS, too many redirects (C3).
    Network(reqwest::Error),
    /// No bytes arrived for this long, not even a comment: the connection
    /// was taken for dead.
    ReadTimeout(Duration),
    /// The reconnection policy gave up after this many attempts in a row
    /// without an event; `last` is why the last one failed.
    GaveUp {
        /// Attempts in a row that brought no event.
        attempts: u32,
        /// The failure of the last attempt; `None` when it ended cleanly.
        last: Option<Box<Error>>,
    },
    /// The request cannot be sent again: its body is a stream, which can be
    /// read once only. Events sources re-send the request on every
    /// reconnection.
    RequestNotCloneable,
}

impl Error {
    /// Whether the server answered `204 No Content`: not a failure but its
    /// way to tell clients to stop reconnecting (S1).
    pub fn is_no_content(&self) -> bool {
        matches!(self, Error::Status(r) if r.status == StatusCode::NO_CONTENT)
    }

    /// The status of the response that failed the connection, if one did.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status(r) | Error::ContentType(r) => Some(r.status),
            Error::GaveUp { last: Some(e), .. } => e.status(),
            _ => None,
        }
    }

    /// The response that failed the connection, if one did.
    pub fn response(&self) -> Option<&FailedResponse> {
        match self {
            Error::Status(r) | Error::ContentType(r) => Some(r),
            Error::GaveUp { last: Some(e), .. } => e.response(),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Status(r) => write!(f, "{} answered {}", r.url, r.status),
            Error::ContentType(r) => match r.headers.get(http::header::CONTENT_TYPE) {
                Some(value) => write!(
                    f,
                    "{} answered with content type {:?}, not text/event-stream",
                    r.url, value
                ),
                None => write!(f, "{} answered with no content type", r.url),
            },
            Error::Network(e) => write!(f, "network error: {e}"),
            Error::ReadTimeout(after) => write!(f, "no bytes for {after:?}"),
            Error::GaveUp {
                attempts,
                last: Some(e),
            } => write!(f, "gave up after {attempts} attempts; the last: {e}"),
            Error::GaveUp {
                attempts,
                last: None,
            } => write!(f, "gave up after {attempts} attempts without an event"),
            Error::RequestNotCloneable => {
                f.write_str("the request has a streaming body and cannot be sent again")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Network(e) => Some(e),
            Error::GaveUp { last: Some(e), .. } => Some(&**e),
            _ => None,
        }
    }
}
