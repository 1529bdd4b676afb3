//! The test service of LaunchDarkly's SSE contract tests
//! ([`sse-contract-tests`](https://github.com/launchdarkly/sse-contract-tests)),
//! on top of [`sse_wire_client`].
//!
//! The harness (a Go program) drives this service over HTTP: it creates
//! streams, each an [`EventSource`](sse_wire_client::EventSource) reading
//! one of the harness's mock SSE endpoints, and the service reports what
//! each source yields back to the harness as numbered JSON callbacks. The
//! harness then checks the callbacks and the requests the client made.
//!
//! # Running it against the harness
//!
//! ```text
//! PORT=8000 cargo run -p sse-wire-contract-tests --release
//! sse-contract-tests --url http://localhost:8000
//! ```
//!
//! The harness is a Go program (`go install
//! github.com/launchdarkly/sse-contract-tests@latest`, or its release
//! binaries and Docker image). It cannot be installed on the machine this
//! crate was written on (only the crates.io, PyPI, npm and Debian
//! registries are reachable there), so CI runs this crate's own tests
//! instead (`contract-tests/tests/`), which play the harness's part on
//! loopback. See `contract-tests/README.md`.
//!
//! # The protocol
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /` | `200`, `{"name":"sse-wire","capabilities":[...]}` ([`CAPABILITIES`]) |
//! | `POST /` with the stream's parameters | `201`, `Location: /streams/<id>`; `400` for bad parameters |
//! | `POST /streams/<id>` with `{"command":"restart"}` or `{"command":"listen","listen":{"type":"t"}}` | `204`; `400` for another command, `404` for an unknown stream |
//! | `DELETE /streams/<id>` | `204` once the client is stopped and its connection closed; `404` for an unknown stream |
//! | `DELETE /` | `204`, every stream stopped, and the service exits ([`Service::stopped`]) |
//!
//! Each stream posts its callbacks to `<callbackUrl>/1`, `/2`, ... one
//! at a time, in order: `{"kind":"event","event":{"type","data","id"}}` for
//! each event (`id` is the last event ID), `{"kind":"comment","comment"}`
//! for each comment line, and `{"kind":"error","error"}` for each
//! reconnection ([`Item::Reconnecting`](sse_wire_client::Item::Reconnecting))
//! and for the error that stops a source.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod stream;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use stream::{Command, CreateStream, StreamHandle};
use tokio::sync::watch;

/// The name `GET /` reports.
pub const NAME: &str = "sse-wire";

/// What `GET /` reports the client can do; each one turns on a group of
/// the harness's optional tests.
///
/// * `comments`: comment lines are reported, without their colon.
/// * `headers`: the `headers` of the parameters are sent.
/// * `last-event-id`: `lastEventId` is sent as `Last-Event-ID` on the first
///   request and kept as the last event ID.
/// * `post`, `report`: any method, with its `body`, sent again on every
///   reconnection.
/// * `read-timeout`: `readTimeoutMs`; a silent connection is dropped,
///   reported as an error and made again.
/// * `restart`: the `restart` command.
/// * `event-type-listeners`: events of a type other than `message` are
///   reported only once a `listen` command asked for that type, as a
///   browser's `addEventListener` would.
/// * `bom`: a UTF-8 BOM at the start of the stream is stripped.
/// * `204`, `server-directed-shutdown-request`: `204 No Content` stops the
///   client, which never reconnects after it.
/// * `payload-size-stress-testable`: events up to 256 MiB are decoded (the
///   client's own default limit is 1 MiB).
pub const CAPABILITIES: &[&str] = &[
    "comments",
    "headers",
    "last-event-id",
    "post",
    "report",
    "read-timeout",
    "restart",
    "event-type-listeners",
    "bom",
    "204",
    "server-directed-shutdown-request",
    "payload-size-stress-testable",
];

/// The router of a new [`Service`]: the service without a way to wait for
/// `DELETE /`.
pub fn app() -> Router {
    Service::new().router()
}

/// The test service: its stream table and its stop signal. Clones share
/// them.
///
/// Each stream runs in a task that the table owns: deleting the stream
/// (or `DELETE /`, or dropping the last clone of the service and its
/// routers) aborts it, which drops the client and closes its connection.
#[derive(Clone)]
pub struct Service {
    shared: Arc<Shared>,
}

struct Shared {
    streams: Mutex<HashMap<u64, StreamHandle>>,
    next_id: AtomicU64,
    /// `true` once `DELETE /` has been received.
    stop: watch::Sender<bool>,
    /// For the event sources' requests.
    sse_client: reqwest::Client,
    /// For the callbacks.
    callback_client: reqwest::Client,
}

impl Service {
    /// A service with no streams.
    ///
    /// # Panics
    ///
    /// If reqwest cannot make a client (it fails only when its TLS backend
    /// or resolver cannot start, and this crate enables no TLS).
    pub fn new() -> Self {
        // The harness is on this machine: no proxy, whatever the
        // environment says.
        let client = || {
            reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("a reqwest client")
        };
        Service {
            shared: Arc::new(Shared {
                streams: Mutex::new(HashMap::new()),
                next_id: AtomicU64::new(1),
                stop: watch::Sender::new(false),
                sse_client: client(),
                callback_client: client(),
            }),
        }
    }

    /// The HTTP interface of the service (see the [crate docs](crate)).
    pub fn router(&self) -> Router {
        Router::new()
            .route("/", get(status).post(create).delete(stop))
            .route(
                "/streams/{id}",
                axum::routing::post(command).delete(delete_stream),
            )
            .with_state(self.shared.clone())
    }

    /// Resolves once `DELETE /` has asked the service to stop (at once if
    /// it already has).
    pub fn stopped(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut stop = self.shared.stop.subscribe();
        async move {
            // An error means the service is gone, which is a stop too.
            let _ = stop.wait_for(|stopped| *stopped).await;
        }
    }

    /// How many streams are running.
    pub fn stream_count(&self) -> usize {
        self.shared.streams().len()
    }
}

impl Default for Service {
    fn default() -> Self {
        Service::new()
    }
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("streams", &self.stream_count())
            .finish_non_exhaustive()
    }
}

impl Shared {
    fn streams(&self) -> MutexGuard<'_, HashMap<u64, StreamHandle>> {
        // A panic while the lock was held cannot leave the map half
        // changed: every change is one insert or remove.
        self.streams.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The stream `id` names, if it is running.
    fn take(&self, id: &str) -> Option<StreamHandle> {
        let id = id.parse().ok()?;
        self.streams().remove(&id)
    }
}

fn text(status: StatusCode, message: impl Into<String>) -> Response {
    (status, message.into()).into_response()
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `GET /`: the name and the capabilities.
async fn status() -> Response {
    json(
        StatusCode::OK,
        &serde_json::json!({ "name": NAME, "capabilities": CAPABILITIES }),
    )
}

/// `POST /`: a new stream, running by the time the answer is sent.
async fn create(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let params: CreateStream = match serde_json::from_slice(&body) {
        Ok(params) => params,
        Err(e) => {
            return text(
                StatusCode::BAD_REQUEST,
                format!("bad stream parameters: {e}"),
            )
        }
    };
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let handle = match StreamHandle::start(
        id,
        params,
        shared.sse_client.clone(),
        shared.callback_client.clone(),
    ) {
        Ok(handle) => handle,
        Err(e) => return text(StatusCode::BAD_REQUEST, e),
    };
    shared.streams().insert(id, handle);
    let mut response = StatusCode::CREATED.into_response();
    let location = HeaderValue::from_str(&format!("/streams/{id}"));
    response.headers_mut().insert(
        header::LOCATION,
        location.expect("a path is a header value"),
    );
    response
}

/// `POST /streams/{id}`: `restart` or `listen`.
async fn command(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let streams = shared.streams();
    let Some(stream) = id.parse().ok().and_then(|id: u64| streams.get(&id)) else {
        return text(StatusCode::NOT_FOUND, format!("no stream {id}"));
    };
    match Command::parse(&body) {
        Ok(command) => stream.command(command),
        Err(e) => return text(StatusCode::BAD_REQUEST, e),
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `DELETE /streams/{id}`: the client is stopped and its connection closed
/// before the answer.
async fn delete_stream(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match shared.take(&id) {
        Some(stream) => {
            stream.stop().await;
            StatusCode::NO_CONTENT.into_response()
        }
        None => text(StatusCode::NOT_FOUND, format!("no stream {id}")),
    }
}

/// `DELETE /`: every stream stopped, then the stop signal.
async fn stop(State(shared): State<Arc<Shared>>) -> Response {
    let streams: Vec<StreamHandle> = shared.streams().drain().map(|(_, s)| s).collect();
    for stream in streams {
        stream.stop().await;
    }
    shared.stop.send_replace(true);
    StatusCode::NO_CONTENT.into_response()
}
