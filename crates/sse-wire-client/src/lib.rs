//! An `EventSource` client on reqwest: the WHATWG processing model by
//! default (C1-C8 of the rules), plus what browsers cannot do: custom
//! headers such as `Authorization`, any method with a body, a read timeout.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use sse_wire_client::{EventSource, Item};
//!
//! # async fn run() -> Result<(), sse_wire_client::Error> {
//! let request = reqwest::Client::new()
//!     .get("http://127.0.0.1:3000/api/events")
//!     .bearer_auth("token");
//! let mut events = EventSource::new(request)?;
//! while let Some(item) = events.next().await {
//!     match item? {
//!         Item::Event(event) => println!("{}: {}", event.event_type(), event.data()),
//!         Item::Reconnecting(r) => eprintln!("reconnecting in {:?}: {:?}", r.delay, r.cause),
//!         _ => {}
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What it does
//!
//! * Every attempt sends the request again, to its original URL, with its
//!   method, headers and body (so a `POST` body is re-sent on every
//!   reconnection), plus `Accept: text/event-stream`, `Cache-Control:
//!   no-cache`, `Pragma: no-cache` (C1) and, once the stream has given an
//!   ID, `Last-Event-ID` with the last one (C2), as UTF-8 text without
//!   surrounding spaces (as Fetch sends it). An ID that no header can carry
//!   (a control character) is not sent, with a `tracing` warning.
//! * Redirects are followed by reqwest, with its client's policy (10 hops
//!   by default; a loop or too many hops stops the source, a redirect
//!   without `Location` is a status error). A reconnection starts again
//!   from the original URL, as WebKit and the npm `eventsource` package do
//!   (RULES §7 leaves it open).
//! * A status other than 200, or a `Content-Type` whose essence is not
//!   `text/event-stream`, stops the source (C4) with an [`Error`] that keeps
//!   the status, the headers and the start of the body.
//!   `204 No Content` is the server's way to say stop
//!   ([`Error::is_no_content`]). [`Builder::retry_statuses`] retries 5xx
//!   and 429 instead, after `Retry-After` (at most an hour); [`Builder::check_content_type`]
//!   turns the content-type check off.
//! * A body that ends, cleanly or cut, or falls silent for the
//!   [`read_timeout`](Builder::read_timeout), and a network error,
//!   reconnect (C3, C5) after the reconnection time: 3 s until the stream
//!   sends `retry` (C8), which cannot set it below 100 ms, with exponential backoff
//!   and jitter for attempts in a row without an event (see
//!   [`sse_wire::reconnect`]). Each reconnection is announced as an
//!   [`Item::Reconnecting`] with its delay and cause.
//! * Dropping the [`EventSource`], or [`EventSource::close`], ends the
//!   connection at once: no task is spawned, nothing is left running.
//! * `tracing` events for connects, reconnects and failures, silent unless
//!   a subscriber is installed.
//!
//! TLS is reqwest's: enable its `rustls` or `native-tls` feature in your
//! own `Cargo.toml`. Cookies too: with reqwest's `cookies` feature and
//! `ClientBuilder::cookie_store(true)`, the client you pass sends them.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod body;
mod driver;
mod error;
mod item;

pub use error::{Error, FailedResponse};
pub use item::{Cause, Item, Open, Reconnecting};
pub use sse_wire::decode::OwnedEvent as Event;
pub use sse_wire::reconnect::Config as ReconnectConfig;

use driver::{Driver, Options};
use futures_core::Stream;
use sse_wire::decode::{Config as DecodeConfig, PushDecoder};
use sse_wire::reconnect::Policy;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tracing::Instrument;

type Step = Pin<Box<dyn Future<Output = (Driver, Option<Result<Item, Error>>)> + Send>>;

/// A connection to an event stream that reconnects as the spec says: a
/// `Stream` of [`Item`]s, ending with an [`Error`] when the source stops
/// (C6), or with `None` after [`close`](Self::close) or a clean end that
/// [`Builder::reconnect_on_end`] made final. See the [crate docs](crate).
#[must_use = "streams do nothing unless polled"]
pub struct EventSource {
    /// The driver at rest between items, or `None` while `step` has it.
    driver: Option<Driver>,
    step: Option<Step>,
    last_event_id: Vec<u8>,
    reconnection_time: Duration,
}

impl EventSource {
    /// An event source for `request` with the defaults; see [`Builder`].
    pub fn new(request: reqwest::RequestBuilder) -> Result<Self, Error> {
        Builder::new(request).build()
    }

    /// A `GET` event source for `url` with a default `reqwest::Client`.
    pub fn get(url: impl reqwest::IntoUrl) -> Result<Self, Error> {
        EventSource::new(reqwest::Client::new().get(url))
    }

    /// A builder for `request`.
    pub fn builder(request: reqwest::RequestBuilder) -> Builder {
        Builder::new(request)
    }

    /// The last event ID string (C7), as of the last item yielded: what the
    /// next reconnection sends.
    pub fn last_event_id(&self) -> &[u8] {
        &self.last_event_id
    }

    /// The reconnection time (C8), as of the last item yielded.
    pub fn reconnection_time(&self) -> Duration {
        self.reconnection_time
    }

    /// Closes the source (C6): the connection, or the wait before the next
    /// one, ends now, and the stream yields `None`.
    pub fn close(&mut self) {
        self.step = None;
        if let Some(driver) = &mut self.driver {
            driver.close();
        }
    }
}

impl Stream for EventSource {
    type Item = Result<Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.step.is_none() {
            let Some(mut driver) = this.driver.take() else {
                return Poll::Ready(None);
            };
            let span = driver.span().clone();
            this.step = Some(Box::pin(
                async move {
                    let item = driver.next().await;
                    (driver, item)
                }
                .instrument(span),
            ));
        }
        let Some(step) = this.step.as_mut() else {
            return Poll::Ready(None);
        };
        let (driver, item) = std::task::ready!(step.as_mut().poll(cx));
        this.step = None;
        if driver.last_event_id() != this.last_event_id.as_slice() {
            this.last_event_id = driver.last_event_id().to_vec();
        }
        this.reconnection_time = driver.reconnection_time();
        this.driver = Some(driver);
        Poll::Ready(item)
    }
}

impl std::fmt::Debug for EventSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSource")
            .field("last_event_id", &sse_wire::text::Lossy(&self.last_event_id))
            .field("reconnection_time", &self.reconnection_time)
            .finish_non_exhaustive()
    }
}

/// Configures an [`EventSource`]. The defaults are the browser's.
#[derive(Debug)]
#[must_use]
pub struct Builder {
    request: reqwest::RequestBuilder,
    last_event_id: Option<Vec<u8>>,
    reconnect: ReconnectConfig,
    read_timeout: Option<Duration>,
    check_content_type: bool,
    decode: DecodeConfig,
}

impl Builder {
    /// A builder for `request`: any method, headers and body. The body must
    /// be one that can be sent again (not a stream).
    pub fn new(request: reqwest::RequestBuilder) -> Self {
        Builder {
            request,
            last_event_id: None,
            reconnect: ReconnectConfig::new(),
            read_timeout: None,
            check_content_type: true,
            decode: DecodeConfig::new(),
        }
    }

    /// The last event ID to start from, sent in the first request's
    /// `Last-Event-ID` (C2). A `Last-Event-ID` header on the request does
    /// the same.
    pub fn last_event_id(mut self, id: impl AsRef<[u8]>) -> Self {
        self.last_event_id = Some(id.as_ref().to_vec());
        self
    }

    /// The reconnection time until the stream sends `retry` (C8); 3 s by
    /// default.
    pub fn reconnection_time(mut self, time: Duration) -> Self {
        self.reconnect.reconnection_time = time;
        self
    }

    /// The whole reconnection policy: backoff cap, jitter, floor, limits.
    pub fn reconnect(mut self, config: ReconnectConfig) -> Self {
        self.reconnect = config;
        self
    }

    /// Give up after `attempts` reconnection attempts in a row that brought
    /// no event (so at most 1 + `attempts` requests); never by default.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.reconnect.max_attempts = Some(attempts);
        self
    }

    /// Retry 5xx and 429 responses, after their `Retry-After`, instead of
    /// stopping (C4). Off by default.
    pub fn retry_statuses(mut self, retry: bool) -> Self {
        self.reconnect.retry_statuses = retry;
        self
    }

    /// Reconnect when the body ends cleanly (C5), the default; `false`
    /// makes a clean end the end of the stream.
    pub fn reconnect_on_end(mut self, reconnect: bool) -> Self {
        self.reconnect.reconnect_on_end = reconnect;
        self
    }

    /// Take a connection that sends no byte for `after` (not even a
    /// heartbeat comment), or a server that does not answer a request
    /// within it, for dead, and reconnect. None by default, as in
    /// browsers.
    pub fn read_timeout(mut self, after: Duration) -> Self {
        self.read_timeout = Some(after);
        self
    }

    /// Check that the response's `Content-Type` is `text/event-stream`
    /// (C4), the default.
    pub fn check_content_type(mut self, check: bool) -> Self {
        self.check_content_type = check;
        self
    }

    /// Yield comment lines (L5b) as [`Item::Comment`], to watch a server's
    /// heartbeat. Off by default.
    pub fn comments(mut self, report: bool) -> Self {
        self.decode.comments = report;
        self
    }

    /// The decoder's limits (line length, event size); 1 MiB each by
    /// default. An event that breaks one is discarded and reported as
    /// [`Item::Discarded`].
    pub fn limits(mut self, config: DecodeConfig) -> Self {
        let comments = self.decode.comments;
        self.decode = config;
        self.decode.comments = comments;
        self
    }

    /// The event source. Fails if the request cannot be built, or cannot be
    /// sent again (a streaming body).
    pub fn build(self) -> Result<EventSource, Error> {
        let (client, request) = self.request.build_split();
        let request = request.map_err(Error::Network)?;
        if request.try_clone().is_none() {
            return Err(Error::RequestNotCloneable);
        }
        let mut decoder = PushDecoder::with_config(self.decode);
        let seed = match &self.last_event_id {
            Some(id) => Some(id.clone()),
            None => request
                .headers()
                .get(sse_wire::headers::LAST_EVENT_ID)
                .map(|v| v.as_bytes().to_vec()),
        };
        if let Some(id) = &seed {
            // The decoder keeps any seed (C7); one that no header can
            // carry is not sent, with a warning at each connection.
            let _ = decoder.set_last_event_id(id);
        }
        let last_event_id = decoder.last_event_id().to_vec();
        let options = Options {
            read_timeout: self.read_timeout,
            check_content_type: self.check_content_type,
        };
        let policy = Policy::new(self.reconnect);
        Ok(EventSource {
            driver: Some(Driver::new(client, request, decoder, policy, options)),
            step: None,
            last_event_id,
            reconnection_time: self.reconnect.reconnection_time,
        })
    }
}
