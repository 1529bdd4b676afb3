//! Server-Sent Events servers on hyper, tower and axum, on the `sse-wire`
//! encoder: what the guide's Node, Flask, Go and Spring servers do, without
//! what they get wrong.
//!
//! * [`EventBody`]: an `http-body` body from a `Stream` of encoded events,
//!   with the 2 KiB padding first (S5), a heartbeat comment after each
//!   quiet spell (S4, never inside an event), one frame per event, and a
//!   hook when the client goes away. [`response`] adds the headers (S1).
//! * [`Hub`]: topics and subscribers. [`Hub::publish`] gives an event the
//!   next ID, encodes it once and keeps it once in its topic, where every
//!   subscriber reads the same `Bytes` (publishing costs the same for one
//!   subscriber or ten thousand); a subscriber may fall behind by a
//!   bounded number of events and bytes, and one that falls further is
//!   disconnected (or sent a reset) by the [`SlowClient`] policy, never
//!   waited for; what is dropped is counted ([`Metrics`]).
//! * [`History`] and [`MemoryHistory`]: what a reconnecting client missed.
//!   [`Hub::subscribe`] with its [`LastEventId`] replays every event after
//!   it, then live ones, with no gap and no duplicate; an ID the history
//!   does not know gets the reset event.
//!
//! ```
//! use sse_wire::encode::Event;
//! use sse_wire_server::{EventBody, Hub};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), sse_wire_server::HubError> {
//! let hub = Hub::new();
//! let subscription = hub.subscribe(&["scores"], None).await?;
//! let response = sse_wire_server::response(EventBody::new(subscription).padding(true));
//! let published = hub.publish("scores", Event::new().data("2-1")).await?;
//! assert_eq!(published.subscribers, 1);
//! # drop(response); Ok(()) }
//! ```
//!
//! # In production
//!
//! * **Authentication.** A browser's `EventSource` cannot set headers: use
//!   a cookie (sent with `withCredentials: true`) or a token in the query;
//!   other clients can send `Authorization`. The `notifications` example
//!   does both.
//! * **CORS.** For another origin, tower-http's `CorsLayer` with the page's
//!   exact origin and, for cookies, `allow_credentials(true)` (a wildcard
//!   origin is refused with credentials).
//! * **No compression, no buffering.** tower-http's `CompressionLayer`
//!   leaves `text/event-stream` alone with its default predicate; a custom
//!   predicate must too. [`response`] sets `X-Accel-Buffering: no` for
//!   nginx, and [`EventBody::padding`] gets past proxies that hold back
//!   the first 2 KiB.
//! * **Timeouts.** Keep the heartbeat shorter than every idle timeout on
//!   the way (proxies, load balancers); a request timeout (tower-http's
//!   `TimeoutLayer`) ends at the response's head and does not cut streams.
//! * **Monitoring.** [`Hub::metrics`], or the `metrics` feature for
//!   Prometheus and the like: clients, published, delivered, dropped,
//!   slow disconnects, replays, resets.
//! * **Several instances.** Each hub's in-memory history is its own: behind
//!   a load balancer without sticky sessions, a client that reconnects to
//!   another instance gets the reset event. A shared [`History`] (Redis
//!   Streams) lifts that.
//! * **Browsers' connection limit.** About 6 connections per server over
//!   HTTP/1.1 (S6): one connection with several topics
//!   ([`Hub::subscribe`] takes many), or HTTP/2.
//!
//! Features: `axum` makes [`EventBody`] an `IntoResponse` and
//! [`LastEventId`] an extractor; `metrics` reports the hub's counters
//! through the `metrics` facade too.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod body;
mod history;
mod hub;
mod last_event_id;
mod metrics;
mod response;
mod topic;

pub use body::{EventBody, DEFAULT_HEARTBEAT};
pub use history::{History, HistoryError, MemoryHistory, Replay, Stored};
pub use hub::{Hub, HubConfig, HubError, Published, SlowClient, Subscription};
pub use last_event_id::{InvalidLastEventId, LastEventId, MAX_LAST_EVENT_ID};
pub use metrics::Metrics;
pub use response::response;
