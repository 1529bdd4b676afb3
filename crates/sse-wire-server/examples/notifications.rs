//! Per-user notifications behind authentication, the guide's two ways: a
//! `session` cookie (a browser's `EventSource` sends cookies; across
//! origins with `withCredentials: true`) or `Authorization: Bearer` (any
//! other client). Each user's stream is its own topic, `user:<name>`, with
//! replay from `Last-Event-ID`; no credentials, no stream (401).
//!
//! ```text
//! cargo run -p sse-wire-server --features axum --example notifications -- --addr 127.0.0.1:3000
//! curl -N -H 'Authorization: Bearer alice-token' http://127.0.0.1:3000/api/notifications
//! curl -d 'Your order shipped' http://127.0.0.1:3000/api/notify/alice
//! ```
//! The page at `/` logs in (`POST /login`, which sets the cookie) and
//! listens.

// The command line and serving; `pub` for the tests that include this file.
pub mod common;

use axum::extract::{Path, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use common::StreamOptions;
use serde::Deserialize;
use serde_json::json;
use sse_wire::encode::{Event, EventType};
use sse_wire_server::{Hub, LastEventId};

/// The demo's accounts: user, password, session token. A real server
/// keeps sessions in a store and issues random or signed tokens.
const ACCOUNTS: &[(&str, &str, &str)] = &[
    ("alice", "alice-password", "alice-token"),
    ("bob", "bob-password", "bob-token"),
];

pub fn app(hub: Hub, options: StreamOptions) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { Html(include_str!("pages/notifications.html")) }),
        )
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/api/notifications", get(notifications))
        // A real server lets only itself (or its admins) send.
        .route("/api/notify/{user}", post(notify))
        .with_state((hub, options))
}

/// The user a request comes from: its bearer token, or else its
/// `session` cookie.
pub fn authenticated(headers: &HeaderMap) -> Option<&'static str> {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let cookie = || {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .find_map(|pair| pair.trim().strip_prefix("session="))
    };
    let token = bearer.or_else(cookie)?;
    ACCOUNTS
        .iter()
        .find(|(_, _, t)| *t == token)
        .map(|(user, _, _)| *user)
}

fn topic(user: &str) -> String {
    format!("user:{user}")
}

#[derive(Deserialize)]
struct Login {
    user: String,
    password: String,
}

async fn login(Json(login): Json<Login>) -> Response {
    let Some((user, _, token)) = ACCOUNTS
        .iter()
        .find(|(u, p, _)| *u == login.user && *p == login.password)
    else {
        return (StatusCode::UNAUTHORIZED, "wrong user or password").into_response();
    };
    let cookie = format!("session={token}; Path=/; HttpOnly; SameSite=Lax");
    ([(SET_COOKIE, cookie)], Json(json!({ "user": user }))).into_response()
}

async fn logout() -> impl IntoResponse {
    [(
        SET_COOKIE,
        "session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
    )]
}

async fn notifications(
    State((hub, options)): State<(Hub, StreamOptions)>,
    headers: HeaderMap,
    last_event_id: LastEventId,
) -> Response {
    let Some(user) = authenticated(&headers) else {
        // Not 200: the browser's EventSource gives up (C4) rather than retry.
        return (StatusCode::UNAUTHORIZED, "log in first").into_response();
    };
    match hub
        .subscribe(&[&topic(user)], last_event_id.as_deref())
        .await
    {
        Ok(subscription) => common::sse(subscription, options).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}

async fn notify(
    State((hub, _)): State<(Hub, StreamOptions)>,
    Path(user): Path<String>,
    message: String,
) -> Response {
    if !ACCOUNTS.iter().any(|(u, _, _)| *u == user) {
        return (StatusCode::NOT_FOUND, "no such user").into_response();
    }
    let event = Event::new()
        .event_type(EventType::from_static("notification"))
        .data(&message);
    match hub.publish(&topic(&user), event).await {
        Ok(published) => {
            Json(json!({ "id": &*published.id, "clients": published.subscribers })).into_response()
        }
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = common::Args::parse();
    let hub = Hub::new();
    let app = app(hub.clone(), args.stream_options());
    common::serve(args.addr, app, move || hub.shutdown(None)).await
}
