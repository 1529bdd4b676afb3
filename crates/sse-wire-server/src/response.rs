//! The response around an [`EventBody`]: status and headers (S1, S5).

use crate::EventBody;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Response, StatusCode};
use sse_wire::headers::RESPONSE_HEADERS;

/// A `200` response with `body` and the headers a stream needs:
/// `Content-Type: text/event-stream`, `Cache-Control: no-cache` (no cache
/// keeps it) and `X-Accel-Buffering: no` (nginx passes events at once),
/// S1 and S5. No `Content-Length`, so HTTP/1.1 sends it chunked; no
/// `Content-Encoding`: compression layers that know event streams (such
/// as tower-http's default predicate) leave `text/event-stream` alone.
pub fn response<S>(body: EventBody<S>) -> Response<EventBody<S>> {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    // Sized for these headers: hyper keeps a response's map (emptied) for
    // the connection's next response, so its capacity is held by every
    // open stream; the default (six entries) would cost ~0.3 KiB more.
    let mut headers = HeaderMap::with_capacity(RESPONSE_HEADERS.len());
    for (name, value) in RESPONSE_HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    *response.headers_mut() = headers;
    response
}

#[cfg(feature = "axum")]
impl<S> axum_core::response::IntoResponse for EventBody<S>
where
    S: futures_core::Stream<Item = bytes::Bytes> + Send + 'static,
{
    fn into_response(self) -> axum_core::response::Response {
        response(self).map(axum_core::body::Body::new)
    }
}

/// A hub error as a response: `503 Service Unavailable` once the hub has
/// shut down (the client retries elsewhere or later), `400` for a topic
/// that cannot be an event type, `500` for a failed history.
#[cfg(feature = "axum")]
impl axum_core::response::IntoResponse for crate::HubError {
    fn into_response(self) -> axum_core::response::Response {
        let status = match &self {
            crate::HubError::ShutDown => http::StatusCode::SERVICE_UNAVAILABLE,
            crate::HubError::InvalidTopic(_) | crate::HubError::NoTopics => {
                http::StatusCode::BAD_REQUEST
            }
            _ => http::StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, self.to_string()).into_response()
    }
}
