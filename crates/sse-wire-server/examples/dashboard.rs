//! A live dashboard: every second the server publishes a `metrics` event
//! (clients connected, events published and delivered, uptime, from the
//! hub's own counters), and the page at `/` draws it as a small chart (an
//! inline SVG: no external script).
//!
//! ```text
//! cargo run -p sse-wire-server --features axum --example dashboard -- --addr 127.0.0.1:3000
//! curl -N http://127.0.0.1:3000/api/metrics
//! ```
//! Options: `--interval-ms MS` (1000).

// The command line and serving; `pub` for the tests that include this file.
pub mod common;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use common::StreamOptions;
use serde_json::json;
use sse_wire::encode::Event;
use sse_wire_server::Hub;
use std::time::Duration;
use tokio::time::Instant;

const TOPIC: &str = "metrics";

pub fn app(hub: Hub, options: StreamOptions) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { Html(include_str!("pages/dashboard.html")) }),
        )
        .route("/api/metrics", get(events))
        .with_state((hub, options))
}

async fn events(State((hub, options)): State<(Hub, StreamOptions)>) -> impl IntoResponse {
    // Each event is a snapshot: a reconnecting client needs no replay.
    match hub.subscribe(&[TOPIC], None).await {
        Ok(subscription) => Ok(common::sse(subscription, options)),
        Err(e) => Err((StatusCode::SERVICE_UNAVAILABLE, e.to_string())),
    }
}

/// Publishes the hub's counters every `every`, until the hub shuts down.
/// The event type is the topic, `metrics`.
pub async fn publish_metrics(hub: Hub, every: Duration) {
    let started = Instant::now();
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        let m = hub.metrics();
        let data = json!({
            "clients": m.clients,
            "published": m.published,
            "delivered": m.delivered,
            "dropped": m.dropped,
            "replays": m.replays,
            "uptime_s": started.elapsed().as_secs(),
        });
        if hub
            .publish(TOPIC, Event::new().data(&data.to_string()))
            .await
            .is_err()
        {
            return;
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = common::Args::parse();
    let hub = Hub::new();
    let every = Duration::from_millis(args.get("--interval-ms", 1000));
    let ticker = tokio::spawn(publish_metrics(hub.clone(), every));
    let app = app(hub.clone(), args.stream_options());
    let served = common::serve(args.addr, app, move || hub.shutdown(None)).await;
    // It ends at its next tick (the hub is shut down); no need to wait.
    ticker.abort();
    served
}
