//! What an [`EventSource`](crate::EventSource) yields.

use crate::Error;
use http::{HeaderMap, StatusCode};
use sse_wire::decode::OwnedEvent;
use std::time::Duration;

/// One thing that happened to an event source.
#[derive(Debug)]
#[non_exhaustive]
pub enum Item {
    /// A connection was accepted (C4: status 200, an event stream): the
    /// browser's `open` event.
    Open(Open),
    /// An event was dispatched (D1-D8).
    Event(OwnedEvent),
    /// A comment line (L5b), such as a server's heartbeat; only when
    /// [`Builder::comments`](crate::Builder::comments) asked for them.
    Comment(String),
    /// An event broke a limit of [`Builder::limits`](crate::Builder::limits)
    /// and was discarded; the stream goes on after it.
    Discarded(sse_wire::Error),
    /// The connection ended or failed, and the source will reconnect after
    /// `delay` (C5): the browser's `error` event with the state
    /// CONNECTING.
    Reconnecting(Reconnecting),
}

/// A connection that was accepted.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Open {
    /// The status: 200.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
    /// The URL that answered, after redirects.
    pub url: reqwest::Url,
}

/// A reconnection about to be made.
#[derive(Debug)]
#[non_exhaustive]
pub struct Reconnecting {
    /// Which attempt in a row without an event this is, from 1.
    pub attempt: u32,
    /// How long the source waits before sending the request again.
    pub delay: Duration,
    /// Why the last connection ended.
    pub cause: Cause,
}

/// Why a connection ended before a reconnection.
#[derive(Debug)]
#[non_exhaustive]
pub enum Cause {
    /// The body ended cleanly (C5).
    Ended,
    /// The connection failed: a network error, a read timeout, or a status
    /// retried by [`Builder::retry_statuses`](crate::Builder::retry_statuses).
    Failed(Error),
}
