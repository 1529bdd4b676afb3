//! Several channels over one connection (S6: browsers allow about six per
//! server over HTTP/1.1): `GET /events?topics=chat,news` subscribes one
//! stream to several topics, each event carrying its topic as its event
//! type, and the page at `/` routes them to a handler per channel.
//! `POST /api/publish/{topic}` sends its body as an event.
//!
//! ```text
//! cargo run -p sse-wire-server --features axum --example multiplex -- --addr 127.0.0.1:3000
//! curl -N 'http://127.0.0.1:3000/events?topics=chat,news'
//! curl -d 'hello' http://127.0.0.1:3000/api/publish/chat
//! ```

// The command line and serving; `pub` for the tests that include this file.
pub mod common;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::Router;
use common::StreamOptions;
use serde::Deserialize;
use sse_wire::encode::Event;
use sse_wire_server::{Hub, LastEventId};

/// No more channels than this on one connection.
const MAX_TOPICS: usize = 16;

pub fn app(hub: Hub, options: StreamOptions) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { Html(include_str!("pages/multiplex.html")) }),
        )
        .route("/events", get(events))
        .route("/api/publish/{topic}", post(publish))
        .with_state((hub, options))
}

#[derive(Deserialize)]
struct Topics {
    topics: String,
}

/// A topic is a short name of letters, digits, `-` and `_`: it becomes
/// the event type (so no CR or LF can reach the stream).
fn valid(topic: &str) -> bool {
    (1..=64).contains(&topic.len())
        && topic
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn events(
    State((hub, options)): State<(Hub, StreamOptions)>,
    Query(query): Query<Topics>,
    last_event_id: LastEventId,
) -> impl IntoResponse {
    let topics: Vec<&str> = query.topics.split(',').collect();
    if topics.len() > MAX_TOPICS || !topics.iter().all(|t| valid(t)) {
        return Err((
            StatusCode::BAD_REQUEST,
            "topics: 1 to 16 names of [A-Za-z0-9_-]".into(),
        ));
    }
    // One subscription for all of them: replay after the last ID covers
    // every channel, in publishing order.
    match hub.subscribe(&topics, last_event_id.as_deref()).await {
        Ok(subscription) => Ok(common::sse(subscription, options)),
        Err(e) => Err((StatusCode::SERVICE_UNAVAILABLE, e.to_string())),
    }
}

async fn publish(
    State((hub, _)): State<(Hub, StreamOptions)>,
    Path(topic): Path<String>,
    body: String,
) -> impl IntoResponse {
    if !valid(&topic) {
        return Err((StatusCode::BAD_REQUEST, "bad topic".to_owned()));
    }
    // The hub names the event after its topic: the page's router keys.
    match hub.publish(&topic, Event::new().data(&body)).await {
        Ok(published) => Ok(published.id.to_string()),
        Err(e) => Err((StatusCode::SERVICE_UNAVAILABLE, e.to_string())),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = common::Args::parse();
    let hub = Hub::new();
    let app = app(hub.clone(), args.stream_options());
    common::serve(args.addr, app, move || hub.shutdown(None)).await
}
