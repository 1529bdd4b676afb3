//! The progress of a long job: `POST /tasks` starts one (simulated: ten
//! steps of `--step-ms`, default 500) and answers its ID;
//! `GET /tasks/{id}/progress` streams `progress` events (percentages, the
//! current one first) and ends the stream when the job is done (a `done`
//! event) or failed (an `error` event). `POST /tasks?fail_at=50` fails at
//! 50 %.
//!
//! ```text
//! cargo run -p sse-wire-server --features axum --example progress -- --addr 127.0.0.1:3000
//! curl -X POST http://127.0.0.1:3000/tasks
//! curl -N http://127.0.0.1:3000/tasks/1/progress
//! ```
//! Each job's state is a `watch` channel, not a hub topic: a slow client
//! skips percentages and gets the latest. The page at `/` closes its
//! `EventSource` at the end; a client that reconnects anyway with the last
//! ID `done` or `failed` is answered `204 No Content`, which stops it (S1).
//! On shutdown the jobs are aborted, which ends their streams.

// The command line and serving; `pub` for the tests that include this file.
pub mod common;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use common::StreamOptions;
use futures_util::stream;
use serde::Deserialize;
use serde_json::json;
use sse_wire::encode::{Event, EventId, EventType};
use sse_wire_server::LastEventId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// No more jobs kept than this.
const MAX_TASKS: usize = 1000;

/// Where a job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Running(u8),
    Done,
    Failed(String),
}

/// The jobs: their states, and the tasks running them.
#[derive(Clone)]
pub struct Tasks {
    step: Duration,
    next: Arc<AtomicU64>,
    states: Arc<Mutex<HashMap<u64, watch::Receiver<Status>>>>,
    jobs: Arc<Mutex<JoinSet<()>>>,
}

impl Tasks {
    /// Jobs whose every step (a tenth) takes `step`.
    pub fn new(step: Duration) -> Tasks {
        Tasks {
            step,
            next: Arc::default(),
            states: Arc::default(),
            jobs: Arc::default(),
        }
    }

    /// Stops every job: their streams end. No task is left.
    pub fn shutdown(&self) {
        self.jobs.lock().unwrap().abort_all();
    }
}

pub fn app(tasks: Tasks, options: StreamOptions) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { Html(include_str!("pages/progress.html")) }),
        )
        .route("/tasks", post(start))
        .route("/tasks/{id}/progress", get(progress))
        .with_state((tasks, options))
}

#[derive(Deserialize)]
struct Start {
    fail_at: Option<u8>,
}

async fn start(
    State((tasks, _)): State<(Tasks, StreamOptions)>,
    Query(start): Query<Start>,
) -> Response {
    let (report, state) = watch::channel(Status::Running(0));
    let id = {
        let mut states = tasks.states.lock().unwrap();
        if states.len() >= MAX_TASKS {
            states.retain(|_, state| matches!(*state.borrow(), Status::Running(_)));
        }
        if states.len() >= MAX_TASKS {
            return (StatusCode::SERVICE_UNAVAILABLE, "too many jobs").into_response();
        }
        let id = tasks.next.fetch_add(1, Ordering::Relaxed) + 1;
        states.insert(id, state);
        id
    };
    let step = tasks.step;
    let mut jobs = tasks.jobs.lock().unwrap();
    while jobs.try_join_next().is_some() {}
    jobs.spawn(async move {
        for percent in (10..=100).step_by(10) {
            tokio::time::sleep(step).await;
            if start.fail_at.is_some_and(|at| percent >= at) {
                let _ = report.send(Status::Failed(format!("failed at {percent} %")));
                return;
            }
            let _ = report.send(Status::Running(percent));
        }
        let _ = report.send(Status::Done);
    });
    (StatusCode::CREATED, Json(json!({ "id": id }))).into_response()
}

/// The event for a state: `progress` (ID the percentage), `done` (ID
/// `done`) or `error` (ID `failed`).
fn event(status: &Status) -> Bytes {
    let (event_type, id, data) = match status {
        Status::Running(percent) => (
            "progress",
            EventId::from(u64::from(*percent)),
            json!({ "percent": percent }),
        ),
        Status::Done => (
            "done",
            EventId::from_static("done"),
            json!({ "percent": 100 }),
        ),
        Status::Failed(why) => (
            "error",
            EventId::from_static("failed"),
            json!({ "error": why }),
        ),
    };
    Event::new()
        .event_type(EventType::new(event_type).unwrap())
        .id(id)
        .data(&data.to_string())
        .to_bytes()
}

async fn progress(
    State((tasks, options)): State<(Tasks, StreamOptions)>,
    Path(id): Path<u64>,
    last_event_id: LastEventId,
) -> Response {
    if matches!(last_event_id.as_deref(), Some("done" | "failed")) {
        // It saw the end: stop reconnecting (S1).
        return StatusCode::NO_CONTENT.into_response();
    }
    let Some(state) = tasks.states.lock().unwrap().get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, "no such task").into_response();
    };
    // The current state first, then each change, until the end (or the
    // job is gone: shut down).
    let events = stream::unfold(Some((state, true)), |next| async move {
        let (mut state, first) = next?;
        if !first && state.changed().await.is_err() {
            return None;
        }
        let status = state.borrow_and_update().clone();
        let more = matches!(status, Status::Running(_));
        Some((event(&status), more.then_some((state, false))))
    });
    common::sse(events, options).into_response()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = common::Args::parse();
    let tasks = Tasks::new(Duration::from_millis(args.get("--step-ms", 500)));
    let app = app(tasks.clone(), args.stream_options());
    let stop = tasks.clone();
    common::serve(args.addr, app, move || stop.shutdown()).await?;
    // Aborted jobs may still be unwinding: wait for them.
    let mut jobs = std::mem::take(&mut *tasks.jobs.lock().unwrap());
    while jobs.join_next().await.is_some() {}
    Ok(())
}
