//! Live scores: one topic per game. A client gets the game's current score
//! first, then every change; `POST /games/{id}/score` with
//! `{"team": "home", "points": 1}` scores.
//!
//! ```text
//! cargo run -p sse-wire-server --features axum --example scores -- --addr 127.0.0.1:3000
//! curl -N http://127.0.0.1:3000/games/final/events
//! curl -d '{"team":"home","points":1}' -H 'content-type: application/json' http://127.0.0.1:3000/games/final/score
//! ```
//! The page at `/` follows a game.

// The command line and serving; `pub` for the tests that include this file.
pub mod common;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use common::StreamOptions;
use futures_util::{stream, StreamExt};
use serde::{Deserialize, Serialize};
use sse_wire::encode::{Event, EventType};
use sse_wire_server::Hub;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Mutex;

/// No more games than this (a demo keeps them all in memory).
const MAX_GAMES: usize = 1000;

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Score {
    pub home: u32,
    pub away: u32,
}

/// The scores, behind one lock that publishing holds too: a client that
/// subscribes under it gets the state, then exactly the changes after it.
pub type Games = Arc<Mutex<HashMap<String, Score>>>;

pub fn app(hub: Hub, options: StreamOptions) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { Html(include_str!("pages/scores.html")) }),
        )
        .route("/games/{id}/events", get(events))
        .route("/games/{id}/score", post(score))
        .with_state((hub, Games::default(), options))
}

fn valid(game: &str) -> bool {
    (1..=64).contains(&game.len())
        && game
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A `score` event with the score as JSON.
fn score_event(json: &str) -> Event<'_> {
    Event::new()
        .event_type(EventType::from_static("score"))
        .data(json)
}

async fn events(
    State((hub, games, options)): State<(Hub, Games, StreamOptions)>,
    Path(game): Path<String>,
) -> Response {
    if !valid(&game) {
        return (StatusCode::BAD_REQUEST, "bad game").into_response();
    }
    // Subscribed and read under the lock: no change falls between the
    // state and the live events, and none comes twice. A reconnecting
    // client gets the state again: no replay needed.
    let games = games.lock().await;
    let subscription = match hub.subscribe(&[&format!("game:{game}")], None).await {
        Ok(subscription) => subscription,
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    };
    let current = games.get(&game).copied().unwrap_or_default();
    drop(games);
    let json = serde_json::to_string(&current).unwrap();
    let state: Bytes = score_event(&json).to_bytes();
    common::sse(stream::iter([state]).chain(subscription), options).into_response()
}

#[derive(Deserialize)]
struct Goal {
    team: Team,
    #[serde(default = "one")]
    points: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Team {
    Home,
    Away,
}

fn one() -> u32 {
    1
}

async fn score(
    State((hub, games, _)): State<(Hub, Games, StreamOptions)>,
    Path(game): Path<String>,
    Json(goal): Json<Goal>,
) -> Response {
    if !valid(&game) {
        return (StatusCode::BAD_REQUEST, "bad game").into_response();
    }
    let mut games = games.lock().await;
    if games.len() >= MAX_GAMES && !games.contains_key(&game) {
        return (StatusCode::TOO_MANY_REQUESTS, "too many games").into_response();
    }
    let score = games.entry(game.clone()).or_default();
    match goal.team {
        Team::Home => score.home = score.home.saturating_add(goal.points),
        Team::Away => score.away = score.away.saturating_add(goal.points),
    }
    let now = *score;
    let json = serde_json::to_string(&now).unwrap();
    if let Err(e) = hub
        .publish(&format!("game:{game}"), score_event(&json))
        .await
    {
        return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
    }
    Json(now).into_response()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = common::Args::parse();
    let hub = Hub::new();
    let app = app(hub.clone(), args.stream_options());
    common::serve(args.addr, app, move || hub.shutdown(None)).await
}
