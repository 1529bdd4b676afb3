//! The guide's broadcast server: `GET /api/events` streams every event
//! (2 KiB padding first, heartbeats, replay from `Last-Event-ID`), and
//! `POST /api/broadcast` with `{"event": "...", "data": ...}` publishes one
//! to every connected client. `/` is a page that lists what it receives.
//!
//! ```text
//! cargo run -p sse-wire-server --features axum --example broadcast -- --addr 127.0.0.1:3000
//! curl -N http://127.0.0.1:3000/api/events
//! curl -d '{"event":"news","data":{"title":"hi"}}' -H 'content-type: application/json' http://127.0.0.1:3000/api/broadcast
//! ```
//! Options: `--heartbeat SECS` (15), `--retry-ms MS` (the browser's
//! reconnection time).

// The command line and serving; `pub` for the tests that include this file.
pub mod common;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::{Json, Router};
use common::StreamOptions;
use serde::Deserialize;
use serde_json::{json, Value};
use sse_wire::encode::{Event, EventType};
use sse_wire_server::{Hub, HubConfig, LastEventId, MemoryHistory};

/// Every client gets every event: one topic.
const TOPIC: &str = "broadcast";

/// The hub: events without an `event` name stay `message` events (the
/// topic is not made their type), the latest 1,000 are kept for replay.
pub fn hub() -> Hub {
    Hub::with_history(
        HubConfig::new().topic_as_event_type(false),
        MemoryHistory::new(),
    )
}

pub fn app(hub: Hub, options: StreamOptions) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { Html(include_str!("pages/broadcast.html")) }),
        )
        .route("/api/events", get(events))
        .route("/api/broadcast", post(broadcast))
        .with_state((hub, options))
}

async fn events(
    State((hub, options)): State<(Hub, StreamOptions)>,
    last_event_id: LastEventId,
) -> impl IntoResponse {
    match hub.subscribe(&[TOPIC], last_event_id.as_deref()).await {
        Ok(subscription) => Ok(common::sse(subscription, options)),
        Err(e) => Err((StatusCode::SERVICE_UNAVAILABLE, e.to_string())),
    }
}

#[derive(Deserialize)]
struct Broadcast {
    event: Option<String>,
    data: Value,
}

async fn broadcast(
    State((hub, _)): State<(Hub, StreamOptions)>,
    Json(body): Json<Broadcast>,
) -> (StatusCode, Json<Value>) {
    let failure = |status, e: &dyn std::fmt::Display| {
        (
            status,
            Json(json!({ "success": false, "error": e.to_string() })),
        )
    };
    // A string is sent as it is; any other value as its JSON text.
    let data = match &body.data {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let mut event = Event::new().data(&data);
    if let Some(name) = &body.event {
        match EventType::new(name) {
            Ok(event_type) => event = event.event_type(event_type),
            Err(e) => return failure(StatusCode::BAD_REQUEST, &e),
        }
    }
    match hub.publish(TOPIC, event).await {
        Ok(published) => {
            let answer =
                json!({ "success": true, "clients": published.subscribers, "id": &*published.id });
            (StatusCode::OK, Json(answer))
        }
        Err(e) => failure(StatusCode::SERVICE_UNAVAILABLE, &e),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = common::Args::parse();
    let hub = hub();
    let app = app(hub.clone(), args.stream_options());
    common::serve(args.addr, app, move || hub.shutdown(None)).await
}
