//! End to end with real clients on loopback: headless Chromium (the Debian
//! package `chromium`, which must be on `PATH`: these tests fail, never
//! skip, without it) loads the examples' pages and the tests read what the
//! page received over the DevTools protocol; `curl -N` reads the raw
//! stream. The examples run in this process: their files are included
//! below, and each one's `app` is served on a port the OS picks.
//!
//! The servers send `retry: 100` first (C8, F4), so that the browser
//! reconnects 100 ms after a cut rather than 3 s.

#![cfg(feature = "axum")]
#![forbid(unsafe_code)]
// Each example included below brings its own `common` module, the same
// file: what every example binary has too.
#![allow(clippy::duplicate_mod)]

#[path = "../examples/broadcast.rs"]
#[allow(dead_code)]
mod broadcast;
#[path = "../examples/dashboard.rs"]
#[allow(dead_code)]
mod dashboard;
#[path = "../examples/multiplex.rs"]
#[allow(dead_code)]
mod multiplex;
#[path = "../examples/notifications.rs"]
#[allow(dead_code)]
mod notifications;
#[path = "../examples/progress.rs"]
#[allow(dead_code)]
mod progress;
#[path = "../examples/scores.rs"]
#[allow(dead_code)]
mod scores;
#[path = "support/browser.rs"]
mod support;

use serde_json::{json, Value};
use sse_wire::encode::{KEEP_ALIVE, PADDING};
use sse_wire_server::Hub;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use support::{wait_until, Browser, Page, Proxy, Server};
use tokio::io::AsyncReadExt;

/// The longest any one wait in these tests may take.
const WAIT: Duration = Duration::from_secs(10);

/// What the broadcast page lists: `[type, id, data]` per event received.
const RECEIVED: &str = "[...document.querySelectorAll('#log li')]\
    .map(li => [li.dataset.type, li.dataset.id, li.dataset.data])";

fn fast(heartbeat: Duration) -> broadcast::common::StreamOptions {
    broadcast::common::StreamOptions {
        heartbeat,
        retry: Some(Duration::from_millis(100)),
    }
}

/// The broadcast example on a new hub, served here.
async fn broadcast_server(options: broadcast::common::StreamOptions) -> (Server, Hub) {
    let hub = broadcast::hub();
    let stop = hub.clone();
    let server = Server::start(broadcast::app(hub.clone(), options), move || {
        stop.shutdown(None)
    })
    .await;
    (server, hub)
}

/// `POST /api/broadcast` with `body`; returns the answer's event ID and
/// client count after checking the rest of it.
async fn post(http: &reqwest::Client, server: SocketAddr, body: Value) -> (String, u64) {
    let response = http
        .post(format!("http://{server}/api/broadcast"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("POST /api/broadcast");
    assert_eq!(response.status(), 200);
    let answer: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(answer["success"], true, "{answer}");
    let clients = answer["clients"].as_u64().expect("a client count");
    (answer["id"].as_str().expect("an id").to_owned(), clients)
}

/// `POST /api/broadcast` with `body`; returns the event's ID.
async fn post_broadcast(http: &reqwest::Client, server: SocketAddr, body: Value) -> String {
    post(http, server, body).await.0
}

/// Waits until the page's list has `n` entries and returns it.
async fn wait_received(
    browser: &mut Browser,
    page: &Page,
    n: usize,
) -> Vec<(String, String, String)> {
    browser
        .wait_for(
            page,
            &format!("{n} events in the page's list"),
            RECEIVED,
            WAIT,
            |value| {
                let list: Vec<(String, String, String)> =
                    serde_json::from_value(value.clone()).ok()?;
                (list.len() >= n).then_some(list)
            },
        )
        .await
}

/// Waits until the page says its EventSource is open, and the hub counts
/// `clients` subscribers.
async fn wait_open(browser: &mut Browser, page: &Page, hub: &Hub, clients: u64) {
    browser
        .wait_for(
            page,
            "the EventSource open",
            "document.getElementById('status')?.textContent",
            WAIT,
            |status| (status == "open").then_some(()),
        )
        .await;
    wait_until("the subscriber registered", WAIT, || {
        hub.metrics().clients == clients
    })
    .await;
}

fn message(id: &str, data: &str) -> (String, String, String) {
    ("message".into(), id.into(), data.into())
}

/// S1, S2, S3: the page receives every published event, in order, with
/// the ID `POST /api/broadcast` answered (which counts the page as its one
/// client), its event type (`message` unless `event` names one) and its
/// data as sent: a string as it is (several lines, empty, not ASCII), any
/// other JSON value as its JSON text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_broadcast_page_receives_published_events_in_order() {
    let started = Instant::now();
    let (server, hub) = broadcast_server(fast(Duration::from_secs(15))).await;
    let mut browser = Browser::launch().await;
    let page = browser.open(&server.url("/?types=news")).await;
    wait_open(&mut browser, &page, &hub, 1).await;

    let http = reqwest::Client::new();
    let (id, clients) = post(
        &http,
        server.addr,
        json!({ "event": "news", "data": "named" }),
    )
    .await;
    assert_eq!(clients, 1);
    let mut expected = vec![("news".to_owned(), id, "named".to_owned())];
    let mut sent = vec![
        (json!({ "data": "first" }), "first".to_owned()),
        (
            json!({ "data": "line one\nline two" }),
            "line one\nline two".to_owned(),
        ),
        (
            json!({ "data": { "n": 1, "s": "x" } }),
            r#"{"n":1,"s":"x"}"#.to_owned(),
        ),
        (json!({ "data": [1, 2, 3] }), "[1,2,3]".to_owned()),
        (json!({ "data": 42 }), "42".to_owned()),
        (json!({ "data": "" }), String::new()),
        (json!({ "data": "café ☕" }), "café ☕".to_owned()),
    ];
    for n in 0..20 {
        sent.push((
            json!({ "data": format!("event {n}") }),
            format!("event {n}"),
        ));
    }
    for (body, data) in sent {
        let id = post_broadcast(&http, server.addr, body).await;
        expected.push(message(&id, &data));
    }
    let got = wait_received(&mut browser, &page, expected.len()).await;
    assert_eq!(got, expected);
    let ids: std::collections::HashSet<&str> =
        expected.iter().map(|(_, id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), expected.len(), "every event has its own ID");
    eprintln!("broadcast page: {:?}", started.elapsed());
}

/// C2, C5, S3: a proxy between the page and the server cuts every
/// connection mid-stream, three times, while events keep being published
/// (ten right after each cut, before the browser is back). The browser
/// reconnects by itself, 100 ms later, with `Last-Event-ID`; the server
/// replays what it missed from the history. The page ends up with exactly
/// the IDs `POST /api/broadcast` answered: no gap, no duplicate, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c2_c5_s3_cut_connections_resume_from_last_event_id_without_gap_or_duplicate() {
    let started = Instant::now();
    let (server, hub) = broadcast_server(fast(Duration::from_secs(15))).await;
    let proxy = Proxy::start(server.addr).await;
    let mut browser = Browser::launch().await;
    let page = browser.open(&proxy.url("/")).await;
    wait_open(&mut browser, &page, &hub, 1).await;

    let http = reqwest::Client::new();
    let mut expected = Vec::new();
    let mut publish = async |n: usize| {
        let data = format!("event {n}");
        let id = post_broadcast(&http, server.addr, json!({ "data": data })).await;
        expected.push(message(&id, &data));
    };
    // A first event seen, so that the page has an ID to resume from.
    publish(0).await;
    wait_received(&mut browser, &page, 1).await;
    let mut n = 1;
    for cut in 1..=3 {
        for _ in 0..10 {
            publish(n).await;
            n += 1;
        }
        // Mid-stream: some of these ten may not have reached the page.
        assert!(proxy.cut() >= 1, "the page's stream goes through the proxy");
        for _ in 0..10 {
            publish(n).await;
            n += 1;
        }
        // The browser is back, resuming from its last ID (a replay).
        wait_until("the browser's reconnection with its last ID", WAIT, || {
            hub.metrics().replays >= cut
        })
        .await;
    }
    for _ in 0..10 {
        publish(n).await;
        n += 1;
    }
    let expected = expected;
    let got = wait_received(&mut browser, &page, expected.len()).await;
    assert_eq!(got, expected, "no gap, no duplicate, in order");
    let metrics = hub.metrics();
    assert!(metrics.replays >= 3, "{metrics:?}");
    assert_eq!(metrics.resets, 0);
    eprintln!("cut and resume: {:?}", started.elapsed());
}

/// S3: a restarted server (a new hub: its in-memory history does not know
/// the old IDs) answers the reconnecting browser's `Last-Event-ID` with the
/// `reset` event, carrying the new server's latest ID, and live events
/// follow it; the page sees the reset, so that it can reload its state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_a_restarted_server_answers_an_unknown_last_event_id_with_reset() {
    let started = Instant::now();
    let (old, old_hub) = broadcast_server(fast(Duration::from_secs(15))).await;
    let proxy = Proxy::start(old.addr).await;
    let mut browser = Browser::launch().await;
    let page = browser.open(&proxy.url("/")).await;
    wait_open(&mut browser, &page, &old_hub, 1).await;

    let http = reqwest::Client::new();
    let mut expected = Vec::new();
    for n in 0..3 {
        let data = format!("old {n}");
        let id = post_broadcast(&http, old.addr, json!({ "data": data })).await;
        expected.push(message(&id, &data));
    }
    assert_eq!(wait_received(&mut browser, &page, 3).await, expected);

    // The restart: a new server (a new hub and its empty history, as a
    // restarted process has) behind the same address, the old one gone.
    let (new, new_hub) = broadcast_server(fast(Duration::from_secs(15))).await;
    let before = post_broadcast(&http, new.addr, json!({ "data": "before" })).await;
    proxy.set_upstream(new.addr);
    assert!(proxy.cut() >= 1);
    drop(old);

    // The reset comes first, with the latest ID: the browser resumes from
    // there (what came before is in the state it reloads).
    expected.push((
        "reset".into(),
        before.clone(),
        "unknown last event ID".into(),
    ));
    assert_eq!(wait_received(&mut browser, &page, 4).await, expected);
    wait_until("the page subscribed to the new server", WAIT, || {
        new_hub.metrics().clients == 1
    })
    .await;
    for n in 0..3 {
        let data = format!("new {n}");
        let id = post_broadcast(&http, new.addr, json!({ "data": data })).await;
        expected.push(message(&id, &data));
    }
    assert_eq!(wait_received(&mut browser, &page, 7).await, expected);
    assert_eq!(new_hub.metrics().resets, 1);
    assert_eq!(new_hub.metrics().replays, 0);
    eprintln!("restart and reset: {:?}", started.elapsed());
}

/// S6: one connection (one subscriber to three topics), and the page's
/// router hands each channel's events to that channel's handler only; a
/// topic the page did not subscribe to reaches none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s6_the_multiplex_page_routes_each_channel_to_its_handler() {
    let started = Instant::now();
    let hub = Hub::new();
    let stop = hub.clone();
    let server = Server::start(
        multiplex::app(
            hub.clone(),
            multiplex::common::StreamOptions {
                heartbeat: Duration::from_secs(15),
                retry: Some(Duration::from_millis(100)),
            },
        ),
        move || stop.shutdown(None),
    )
    .await;
    let mut browser = Browser::launch().await;
    let page = browser.open(&server.url("/")).await;
    wait_open(&mut browser, &page, &hub, 1).await;
    // One subscriber, in all three topics.
    for topic in ["chat", "news", "alerts"] {
        assert_eq!(hub.clients(topic), 1, "{topic}");
    }

    let http = reqwest::Client::new();
    let sent = [
        ("chat", "hello"),
        ("news", "headline"),
        ("weather", "not subscribed"),
        ("alerts", "fire"),
        ("chat", "again"),
        ("news", "more news"),
    ];
    for (topic, data) in sent {
        let response = http
            .post(server.url(&format!("/api/publish/{topic}")))
            .body(data)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let lists = "['chat', 'news', 'alerts'].map(channel => \
        [...document.querySelectorAll(`#${channel} li`)].map(li => li.textContent))";
    let got: Vec<Vec<String>> = browser
        .wait_for(&page, "every channel's events", lists, WAIT, |value| {
            let lists: Vec<Vec<String>> = serde_json::from_value(value.clone()).ok()?;
            (lists.iter().map(Vec::len).sum::<usize>() >= 5).then_some(lists)
        })
        .await;
    assert_eq!(
        got,
        [
            vec!["hello", "again"],
            vec!["headline", "more news"],
            vec!["fire"]
        ]
    );
    let text = browser
        .eval(&page, "document.body.innerText")
        .await
        .unwrap();
    assert!(!text.as_str().unwrap().contains("not subscribed"));
    assert_eq!(hub.metrics().clients, 1);
    eprintln!("multiplex: {:?}", started.elapsed());
}

/// Reads `out` into `seen` until `done(seen)`, for at most [`WAIT`].
async fn read_until(
    out: &mut (impl tokio::io::AsyncRead + Unpin),
    seen: &mut Vec<u8>,
    what: &str,
    done: impl Fn(&[u8]) -> bool,
) {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut chunk = [0; 4096];
    while !done(seen) {
        let n = tokio::time::timeout_at(deadline, out.read(&mut chunk))
            .await
            .unwrap_or_else(|_| panic!("{what}: not within {WAIT:?}; got {seen:?}"))
            .unwrap();
        assert!(n > 0, "{what}: the output ended: {seen:?}");
        seen.extend_from_slice(&chunk[..n]);
    }
}

/// S4, S5: `curl -N` on the broadcast example's stream gets the 2 KiB
/// padding first, then a published event, then (with a 200 ms heartbeat in
/// this test) a heartbeat comment after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s4_s5_curl_receives_the_padding_an_event_and_a_heartbeat() {
    let started = Instant::now();
    let (server, hub) = broadcast_server(broadcast::common::StreamOptions {
        heartbeat: Duration::from_millis(200),
        retry: None,
    })
    .await;
    let mut curl = tokio::process::Command::new("curl")
        .args(["-N", "-s", "--max-time", "20"])
        .arg(server.url("/api/events"))
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("`curl` must be on PATH for this test: {e}"));
    let mut stdout = curl.stdout.take().unwrap();
    let mut seen = Vec::new();
    read_until(&mut stdout, &mut seen, "the padding", |seen| {
        seen.len() >= PADDING.len()
    })
    .await;
    assert!(seen.starts_with(PADDING.as_bytes()), "the padding first");
    wait_until("curl subscribed", WAIT, || hub.metrics().clients == 1).await;

    let http = reqwest::Client::new();
    let id = post_broadcast(&http, server.addr, json!({ "data": "hello curl" })).await;
    let event = format!("id: {id}\ndata: hello curl\n\n");
    let find = |seen: &[u8], what: &[u8]| seen.windows(what.len()).position(|w| w == what);
    read_until(&mut stdout, &mut seen, "the event", |seen| {
        find(seen, event.as_bytes()).is_some()
    })
    .await;
    let after = find(&seen, event.as_bytes()).unwrap() + event.len();
    read_until(
        &mut stdout,
        &mut seen,
        "a heartbeat after the event",
        |seen| seen[after..].starts_with(KEEP_ALIVE.as_bytes()),
    )
    .await;
    // Nothing but padding, heartbeats and the event.
    let rest = String::from_utf8(seen[PADDING.len()..].to_vec()).unwrap();
    assert!(
        rest.replace(&event, "")
            .split_inclusive('\n')
            .all(|line| line == KEEP_ALIVE),
        "{rest:?}"
    );
    drop(curl);
    eprintln!("curl: {:?}", started.elapsed());
}

/// The text of the element with `id` on the page, as JS.
fn text_of(id: &str) -> String {
    format!("document.getElementById('{id}')?.textContent")
}

/// C4: the notifications page's EventSource is refused (401) before
/// logging in, and gives up; after the page logs in (`POST /login` sets
/// the `session` cookie), its EventSource (`withCredentials`, which a
/// page on another origin needs) sends the cookie and gets that user's
/// notifications, and no one else's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c4_the_notifications_page_listens_with_its_session_cookie() {
    let started = Instant::now();
    let hub = Hub::new();
    let stop = hub.clone();
    let options = notifications::common::StreamOptions::default();
    let server = Server::start(notifications::app(hub.clone(), options), move || {
        stop.shutdown(None)
    })
    .await;
    let mut browser = Browser::launch().await;
    let page = browser.open(&server.url("/")).await;
    let status = text_of("status");
    browser
        .wait_for(&page, "the 401", &status, WAIT, |status| {
            (status == "not logged in").then_some(())
        })
        .await;
    assert_eq!(hub.metrics().clients, 0);

    browser.eval(&page, "login('alice'), true").await.unwrap();
    browser
        .wait_for(&page, "listening", &status, WAIT, |status| {
            (status == "listening").then_some(())
        })
        .await;
    wait_until("alice's subscription", WAIT, || {
        hub.clients("user:alice") == 1
    })
    .await;
    let http = reqwest::Client::new();
    for (user, message) in [
        ("bob", "for bob"),
        ("alice", "for alice"),
        ("alice", "again"),
    ] {
        let response = http
            .post(server.url(&format!("/api/notify/{user}")))
            .body(message)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let list = "[...document.querySelectorAll('#notifications li')].map(li => li.textContent)";
    let got: Vec<String> = browser
        .wait_for(&page, "alice's notifications", list, WAIT, |value| {
            let got: Vec<String> = serde_json::from_value(value.clone()).ok()?;
            (got.len() >= 2).then_some(got)
        })
        .await;
    assert_eq!(got, ["for alice", "again"]);
    assert_eq!(hub.clients("user:bob"), 0);
    eprintln!("notifications: {:?}", started.elapsed());
}

/// The scores page gets the game's current score first (two goals scored
/// before it connected), then each change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scores_page_gets_the_current_score_then_changes() {
    let started = Instant::now();
    let hub = Hub::new();
    let stop = hub.clone();
    let options = scores::common::StreamOptions::default();
    let server = Server::start(scores::app(hub.clone(), options), move || {
        stop.shutdown(None)
    })
    .await;
    let http = reqwest::Client::new();
    let goal = async |team: &str| {
        let response = http
            .post(server.url("/games/final/score"))
            .header("content-type", "application/json")
            .body(json!({ "team": team }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    };
    goal("home").await;
    goal("home").await;

    let mut browser = Browser::launch().await;
    let page = browser.open(&server.url("/")).await;
    let score = "[document.getElementById('home')?.textContent, \
        document.getElementById('away')?.textContent]";
    let seen = |want: [&'static str; 2]| move |value: &Value| (*value == json!(want)).then_some(());
    browser
        .wait_for(&page, "the score 2:0", score, WAIT, seen(["2", "0"]))
        .await;
    wait_until("the page's subscription", WAIT, || {
        hub.clients("game:final") == 1
    })
    .await;
    goal("away").await;
    browser
        .wait_for(&page, "the score 2:1", score, WAIT, seen(["2", "1"]))
        .await;
    eprintln!("scores: {:?}", started.elapsed());
}

/// The dashboard page draws the metrics events: the counters, and a line
/// in its SVG chart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_page_draws_the_metrics_events() {
    let started = Instant::now();
    let hub = Hub::new();
    let ticker = tokio::spawn(dashboard::publish_metrics(
        hub.clone(),
        Duration::from_millis(100),
    ));
    let stop = hub.clone();
    let options = dashboard::common::StreamOptions::default();
    let server = Server::start(dashboard::app(hub.clone(), options), move || {
        stop.shutdown(None);
        ticker.abort();
    })
    .await;
    let mut browser = Browser::launch().await;
    let page = browser.open(&server.url("/")).await;
    let shown = "[document.getElementById('clients')?.textContent, \
        (document.getElementById('rate')?.getAttribute('points') || '').split(' ').length]";
    browser
        .wait_for(&page, "one client and a line", shown, WAIT, |value| {
            (value[0] == "1" && value[1].as_u64()? >= 3).then_some(())
        })
        .await;
    eprintln!("dashboard: {:?}", started.elapsed());
}

/// S1: the progress page follows a job to its `done` event and closes its
/// EventSource; a failing job ends with the server's `error` event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s1_the_progress_page_follows_a_job_to_its_end() {
    let started = Instant::now();
    let tasks = progress::Tasks::new(Duration::from_millis(20));
    let stop = tasks.clone();
    let options = progress::common::StreamOptions::default();
    let server = Server::start(progress::app(tasks, options), move || stop.shutdown()).await;
    let mut browser = Browser::launch().await;
    let page = browser.open(&server.url("/")).await;
    let status = text_of("status");
    // The page's script defines `start` once loaded.
    browser
        .wait_for(&page, "the page", "typeof start", WAIT, |t| {
            (t == "function").then_some(())
        })
        .await;
    browser.eval(&page, "start(''), true").await.unwrap();
    browser
        .wait_for(&page, "job 1 done", &status, WAIT, |status| {
            (status == "job 1 done").then_some(())
        })
        .await;
    let closed = browser
        .eval(
            &page,
            "[document.getElementById('bar').value, source.readyState === EventSource.CLOSED]",
        )
        .await
        .unwrap();
    assert_eq!(closed, json!([100, true]));
    browser
        .eval(&page, "start('?fail_at=50'), true")
        .await
        .unwrap();
    browser
        .wait_for(&page, "job 2 failed", &status, WAIT, |status| {
            (status == "job 2 failed: failed at 50 %").then_some(())
        })
        .await;
    eprintln!("progress: {:?}", started.elapsed());
}

/// The fixtures page: after fetching the event types to listen to (an
/// EventSource dispatches a named event only to listeners of its type), it
/// opens the broadcast example's stream and records `[type, data,
/// lastEventId]` of every `MessageEvent` it gets, in order, in `received`.
const FIXTURES_PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>fixtures</title>
<script>
  window.received = [];
  window.opens = 0;
  window.state = 'loading';
  fetch('/fixture-types').then(response => response.json()).then(types => {
    const source = new EventSource('/api/events');
    const record = event => {
      if (event instanceof MessageEvent) {
        received.push([event.type, event.data, event.lastEventId]);
      }
    };
    for (const type of new Set(['message', ...types])) source.addEventListener(type, record);
    source.onopen = () => { opens += 1; state = 'open'; };
    source.onerror = () => {
      state = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    };
  }, error => { state = `failed: ${error}`; });
</script>
"#;

/// Every expected event of every spec fixture, `(fixture, type, data)`, in
/// the manifest's order (as tests/http.rs reads them).
fn fixture_events() -> Vec<(String, String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec-fixtures");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    assert!(cases.len() >= 150, "only {} fixtures", cases.len());
    let mut events = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let expected = std::fs::read(root.join("cases").join(format!("{name}.jsonl"))).unwrap();
        // Split on LF only: values may hold U+2028 and friends.
        for line in expected.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let out: Value = serde_json::from_slice(line).unwrap();
            if let (Some(event_type), Some(data)) = (out["type"].as_str(), out["data"].as_str()) {
                events.push((name.to_owned(), event_type.to_owned(), data.to_owned()));
            }
        }
    }
    events
}

/// S2, S3 (and every fixture's D*/F* rules, as Chromium applies them):
/// every expected event of every spec fixture, published with its type and
/// data through the broadcast example (`POST /api/broadcast`), reaches a
/// page in Chromium with exactly that type, that data and the ID the hub
/// gave it, in order, on one connection (no reconnection, no replay, nothing
/// dropped). The page listens to every type the fixtures hold, and to
/// `message`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s2_every_fixture_event_round_trips_through_chromium() {
    let started = Instant::now();
    let events = fixture_events();
    let with_events: std::collections::HashSet<&str> =
        events.iter().map(|(name, _, _)| name.as_str()).collect();
    assert!(
        events.len() >= 200 && with_events.len() >= 100,
        "{} events in {} fixtures",
        events.len(),
        with_events.len()
    );
    let mut types: Vec<String> = events.iter().map(|(_, t, _)| t.clone()).collect();
    types.sort();
    types.dedup();

    let hub = broadcast::hub();
    let stop = hub.clone();
    let app = broadcast::app(hub.clone(), fast(Duration::from_secs(15)))
        .route(
            "/fixtures",
            axum::routing::get(|| async { axum::response::Html(FIXTURES_PAGE) }),
        )
        .route(
            "/fixture-types",
            axum::routing::get(move || {
                let types = types.clone();
                async move { axum::Json(types) }
            }),
        );
    let server = Server::start(app, move || stop.shutdown(None)).await;
    let mut browser = Browser::launch().await;
    let page = browser.open(&server.url("/fixtures")).await;
    browser
        .wait_for(
            &page,
            "the EventSource open",
            "window.state",
            WAIT,
            |state| (state == "open").then_some(()),
        )
        .await;
    wait_until("the page's subscription", WAIT, || {
        hub.metrics().clients == 1
    })
    .await;

    let http = reqwest::Client::new();
    let mut expected = Vec::with_capacity(events.len());
    for (name, event_type, data) in &events {
        let (id, clients) = post(
            &http,
            server.addr,
            json!({ "event": event_type, "data": data }),
        )
        .await;
        assert_eq!(clients, 1, "fixture {name}");
        expected.push((event_type.clone(), data.clone(), id));
    }
    let n = expected.len();
    browser
        .wait_for(
            &page,
            &format!("{n} events received"),
            "window.received.length",
            WAIT,
            |length| (length.as_u64()? >= n as u64).then_some(()),
        )
        .await;
    // One read of the whole list, as JSON text.
    let text = browser
        .eval(&page, "JSON.stringify([window.opens, window.received])")
        .await
        .unwrap();
    let (opens, got): (u64, Vec<(String, String, String)>) =
        serde_json::from_str(text.as_str().expect("a JSON string")).unwrap();
    assert_eq!(got.len(), n, "no more than was published");
    for (i, ((got, want), (name, _, _))) in got.iter().zip(&expected).zip(&events).enumerate() {
        assert_eq!(got, want, "event {i}, from fixture {name}");
    }
    assert_eq!(opens, 1, "one connection");
    let metrics = hub.metrics();
    assert_eq!(
        (
            metrics.replays,
            metrics.resets,
            metrics.dropped,
            metrics.slow_disconnects
        ),
        (0, 0, 0, 0),
        "{metrics:?}"
    );
    eprintln!(
        "{n} fixture events through chromium: {:?}",
        started.elapsed()
    );
}
