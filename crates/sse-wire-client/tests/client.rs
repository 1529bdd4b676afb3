//! The client against a scripted server on loopback: what it yields, what
//! it sends, when it reconnects and when it stops (RULES.md C1-C8).

mod support;

use futures_util::StreamExt;
use sse_wire_client::{Cause, Error, EventSource, Item, ReconnectConfig};
use std::time::Duration;
use support::{until, Reply, TestServer};

const MS: Duration = Duration::from_millis(1);

/// Reconnects in a millisecond, without jitter, so tests run fast and
/// their delays are exact.
fn fast() -> ReconnectConfig {
    ReconnectConfig::new()
        .reconnection_time(MS)
        .min_reconnection_time(MS)
        .jitter_percent(0)
        .max_delay(20 * MS)
}

fn source(server: &TestServer, path: &str) -> EventSource {
    EventSource::builder(reqwest::Client::new().get(server.url(path)))
        .reconnect(fast())
        .build()
        .unwrap()
}

/// The next item, within 10 s.
async fn next(es: &mut EventSource) -> Option<Result<Item, Error>> {
    tokio::time::timeout(Duration::from_secs(10), es.next())
        .await
        .expect("an item within 10 s")
}

/// Items until `n` events have arrived (or the stream ends), as strings.
async fn events(es: &mut EventSource, n: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..10 * n + 100 {
        if seen.len() == n {
            break;
        }
        match next(es).await {
            Some(Ok(Item::Event(e))) => seen.push(format!(
                "{}|{}|{}",
                e.event_type(),
                e.data(),
                e.last_event_id()
            )),
            Some(Ok(_)) => {}
            Some(Err(e)) => panic!("unexpected error {e}"),
            None => break,
        }
    }
    seen
}

async fn reconnecting(es: &mut EventSource) -> sse_wire_client::Reconnecting {
    for _ in 0..100 {
        match next(es).await {
            Some(Ok(Item::Reconnecting(r))) => return r,
            Some(Ok(_)) => {}
            other => panic!("expected a reconnection, got {other:?}"),
        }
    }
    panic!("no reconnection in 100 items")
}

#[tokio::test]
async fn c1_request_headers_custom_headers_and_open() {
    let server = TestServer::start(|_, _| {
        Reply::stream()
            .header("x-served-by", "test")
            .send("data: hi\n\n")
            .stall()
    })
    .await;
    let request = reqwest::Client::new()
        .get(server.url("/events"))
        .bearer_auth("s3cret")
        .header("x-custom", "1");
    let mut es = EventSource::builder(request).build().unwrap();
    let Some(Ok(Item::Open(open))) = next(&mut es).await else {
        panic!("open first")
    };
    assert_eq!(open.status, 200);
    assert_eq!(open.headers["x-served-by"], "test");
    assert_eq!(events(&mut es, 1).await, ["message|hi|"]);
    let r = &server.requests()[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.header("accept"), Some(&b"text/event-stream"[..]));
    assert_eq!(r.header("cache-control"), Some(&b"no-cache"[..]));
    assert_eq!(r.header("pragma"), Some(&b"no-cache"[..]));
    assert_eq!(r.header("authorization"), Some(&b"Bearer s3cret"[..]));
    assert_eq!(r.header("x-custom"), Some(&b"1"[..]));
    // C2: an empty last event ID sends no header at all.
    assert_eq!(r.header("last-event-id"), None);
}

#[tokio::test]
async fn c5_a_cut_event_is_discarded_and_the_last_id_is_sent_again() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::stream()
            .send("id: 1\ndata: one\n\nid: 2\ndata: tw")
            .cut(),
        _ => Reply::stream().send("id: 2\ndata: two\n\n").stall(),
    })
    .await;
    let mut es = source(&server, "/");
    assert_eq!(events(&mut es, 1).await, ["message|one|1"]);
    let r = reconnecting(&mut es).await;
    assert!(matches!(r.cause, Cause::Failed(Error::Network(_))), "{r:?}");
    assert_eq!(r.attempt, 1);
    assert_eq!(events(&mut es, 1).await, ["message|two|2"]);
    let requests = server.requests();
    assert_eq!(requests[1].header("last-event-id"), Some(&b"1"[..]));
    assert_eq!(es.last_event_id(), b"2");
}

#[tokio::test]
async fn f4_retry_sets_the_delay_and_a_clean_end_reconnects() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::stream().send("retry: 250\ndata: a\n\n"),
        _ => Reply::stream().stall(),
    })
    .await;
    let mut es = source(&server, "/");
    assert_eq!(events(&mut es, 1).await, ["message|a|"]);
    let r = reconnecting(&mut es).await;
    assert!(matches!(r.cause, Cause::Ended));
    assert_eq!((r.attempt, r.delay), (1, 250 * MS));
    assert_eq!(es.reconnection_time(), 250 * MS);
    assert!(matches!(next(&mut es).await, Some(Ok(Item::Open(_)))));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The delay is waited, not only announced.
    assert!(requests[1].at - requests[0].at >= 250 * MS);
}

#[tokio::test]
async fn c8_retry_zero_is_floored_and_the_default_is_three_seconds() {
    let server = TestServer::start(|_, _| Reply::stream().send("retry: 0\n\n")).await;
    let mut es = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .reconnect(ReconnectConfig::new().jitter_percent(0))
        .build()
        .unwrap();
    assert_eq!(reconnecting(&mut es).await.delay, 100 * MS);

    let server = TestServer::start(|_, _| Reply::stream().send("data: x\n\n")).await;
    let mut es = EventSource::get(server.url("/")).unwrap();
    assert_eq!(es.reconnection_time(), Duration::from_secs(3));
    let r = reconnecting(&mut es).await;
    // Up to 25 % jitter on top of the 3 s, by default.
    assert!(r.delay >= 3000 * MS && r.delay <= 3750 * MS, "{r:?}");
    es.close();
    assert!(es.next().await.is_none());
    assert_eq!(server.requests().len(), 1);
}

/// A read timeout of 500 ms against heartbeats 50 ms apart: margins wide
/// enough for a loaded machine. Comments are not reported (the default),
/// and still keep the connection alive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_connection_times_out_but_heartbeats_keep_it_alive() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::stream().send(":\n").stall(),
        _ => {
            let mut reply = Reply::stream();
            for _ in 0..16 {
                reply = reply.send(": heartbeat\n").wait(50 * MS);
            }
            reply.send("data: alive\n\n").stall()
        }
    })
    .await;
    let mut es = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .reconnect(fast())
        .read_timeout(500 * MS)
        .build()
        .unwrap();
    let r = reconnecting(&mut es).await;
    assert!(
        matches!(r.cause, Cause::Failed(Error::ReadTimeout(t)) if t == 500 * MS),
        "{r:?}"
    );
    // 800 ms of heartbeats, then the event: no reconnection.
    assert!(matches!(next(&mut es).await, Some(Ok(Item::Open(_)))));
    assert_eq!(events(&mut es, 1).await, ["message|alive|"]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_too() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    // Accepts, keeps every connection open, answers nothing.
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mut es = EventSource::builder(reqwest::Client::new().get(url))
        .reconnect(fast())
        .read_timeout(200 * MS)
        .max_attempts(1)
        .build()
        .unwrap();
    let r = reconnecting(&mut es).await;
    assert!(
        matches!(r.cause, Cause::Failed(Error::ReadTimeout(_))),
        "{r:?}"
    );
    let Some(Err(Error::GaveUp {
        last: Some(last), ..
    })) = next(&mut es).await
    else {
        panic!()
    };
    assert!(matches!(*last, Error::ReadTimeout(_)));
    holder.abort();
}

#[tokio::test]
async fn c4_204_stops_without_reconnecting() {
    let server = TestServer::start(|_, _| Reply::status(204)).await;
    let mut es = source(&server, "/");
    let Some(Err(e)) = next(&mut es).await else {
        panic!()
    };
    assert!(e.is_no_content(), "{e}");
    assert!(next(&mut es).await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn c4_204_on_a_reconnection_stops_too() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::stream().send("id: 1\ndata: a\n\n"),
        _ => Reply::status(204),
    })
    .await;
    let mut es = source(&server, "/");
    assert_eq!(events(&mut es, 1).await, ["message|a|1"]);
    let _ = reconnecting(&mut es).await;
    let Some(Err(e)) = next(&mut es).await else {
        panic!()
    };
    assert!(e.is_no_content(), "{e}");
    assert!(next(&mut es).await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn c4_a_failed_status_keeps_status_headers_and_the_start_of_the_body() {
    let body = "x".repeat(10_000);
    let server = TestServer::start(move |_, _| {
        Reply::status(401)
            .header("www-authenticate", "Bearer")
            .send(&body)
    })
    .await;
    let mut es = source(&server, "/");
    let Some(Err(Error::Status(r))) = next(&mut es).await else {
        panic!()
    };
    assert_eq!(r.status, 401);
    assert_eq!(r.headers["www-authenticate"], "Bearer");
    assert_eq!(r.body.len(), sse_wire_client::FailedResponse::BODY_LIMIT);
    assert!(next(&mut es).await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn c4_5xx_stops_unless_retried_and_retry_after_is_honoured() {
    let server = TestServer::start(|_, _| Reply::status(500)).await;
    let mut es = source(&server, "/");
    assert!(
        matches!(next(&mut es).await, Some(Err(e)) if e.status() == Some(http::StatusCode::INTERNAL_SERVER_ERROR))
    );

    let server = TestServer::start(|n, _| match n {
        0 => Reply::status(503).header("retry-after", "1"),
        1 => Reply::status(429),
        _ => Reply::stream().send("data: ok\n\n").stall(),
    })
    .await;
    let mut es = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .reconnect(fast())
        .retry_statuses(true)
        .build()
        .unwrap();
    let r = reconnecting(&mut es).await;
    assert_eq!((r.attempt, r.delay), (1, Duration::from_secs(1)));
    assert_eq!(r.cause_status(), Some(503));
    let r = reconnecting(&mut es).await;
    assert_eq!((r.attempt, r.delay), (2, 2 * MS));
    assert_eq!(events(&mut es, 1).await, ["message|ok|"]);
}

/// The status of a reconnection's cause, for the assertions above.
trait CauseStatus {
    fn cause_status(&self) -> Option<u16>;
}

impl CauseStatus for sse_wire_client::Reconnecting {
    fn cause_status(&self) -> Option<u16> {
        match &self.cause {
            Cause::Failed(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }
}

#[tokio::test]
async fn c4_content_type_essence_only_and_a_missing_one_fails() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::status(200)
            .header("content-type", "Text/Event-Stream; charset=utf-8")
            .send("data: ok\n\n"),
        1 => Reply::status(200)
            .header("content-type", "text/plain")
            .send("data: no\n\n"),
        _ => Reply::status(200).send("data: none\n\n"),
    })
    .await;
    let mut es = source(&server, "/");
    assert_eq!(events(&mut es, 1).await, ["message|ok|"]);
    let _ = reconnecting(&mut es).await;
    let Some(Err(Error::ContentType(r))) = next(&mut es).await else {
        panic!()
    };
    assert_eq!(r.headers["content-type"], "text/plain");
    assert_eq!(r.body_text(), "data: no\n\n");
    let mut es = source(&server, "/");
    assert!(
        matches!(next(&mut es).await, Some(Err(Error::ContentType(r))) if r.headers.get("content-type").is_none())
    );

    // Turned off, any content type is read.
    let mut es = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .check_content_type(false)
        .build()
        .unwrap();
    assert_eq!(events(&mut es, 1).await, ["message|none|"]);
}

#[tokio::test]
async fn redirects_are_followed_and_a_reconnection_starts_from_the_original_url() {
    let server = TestServer::start(|_, r| match r.path.as_str() {
        "/old" => Reply::status(307).header("location", "/new"),
        "/moved" => Reply::status(301).header("location", "/new"),
        "/nowhere" => Reply::status(301),
        "/loop" => Reply::status(302).header("location", "/loop"),
        _ => Reply::stream().send(format!(
            "data: {} {}\n\n",
            r.method,
            String::from_utf8_lossy(&r.body)
        )),
    })
    .await;
    let request = reqwest::Client::new().post(server.url("/old")).body("q=1");
    let mut es = EventSource::builder(request)
        .reconnect(fast())
        .build()
        .unwrap();
    let Some(Ok(Item::Open(open))) = next(&mut es).await else {
        panic!()
    };
    assert_eq!(open.url.path(), "/new");
    // 307 keeps the method and body, as fetch does.
    assert_eq!(
        events(&mut es, 2).await,
        ["message|POST q=1|", "message|POST q=1|"]
    );
    let paths: Vec<_> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths[..4], ["/old", "/new", "/old", "/new"]);

    let mut es = source(&server, "/moved");
    assert_eq!(events(&mut es, 1).await, ["message|GET |"]);

    // A redirect without Location is a failed status, not a loop.
    let mut es = source(&server, "/nowhere");
    assert!(
        matches!(next(&mut es).await, Some(Err(e)) if e.status() == Some(http::StatusCode::MOVED_PERMANENTLY))
    );
    // A loop stops the source; it is never retried.
    let before = server.requests().len();
    let mut es = source(&server, "/loop");
    assert!(matches!(next(&mut es).await, Some(Err(Error::Network(e))) if e.is_redirect()));
    assert!(next(&mut es).await.is_none());
    assert!(server.requests().len() - before <= 11);
}

#[tokio::test]
async fn any_method_and_body_are_sent_again_on_every_reconnection() {
    let server = TestServer::start(|_, _| Reply::stream().send("data: x\n\n")).await;
    let method = reqwest::Method::from_bytes(b"REPORT").unwrap();
    let request = reqwest::Client::new()
        .request(method, server.url("/"))
        .header("content-type", "application/json")
        .body(r#"{"q":1}"#);
    let mut es = EventSource::builder(request)
        .reconnect(fast())
        .build()
        .unwrap();
    assert_eq!(events(&mut es, 3).await.len(), 3);
    for r in &server.requests()[..3] {
        assert_eq!(r.method, "REPORT");
        assert_eq!(r.body, r#"{"q":1}"#);
        assert_eq!(r.header("content-type"), Some(&b"application/json"[..]));
    }
}

#[tokio::test]
async fn c7_the_last_event_id_persists_is_utf8_and_starts_where_told() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::stream().send("id: é-1\ndata: a\n\n"),
        // No ID here: the last one is kept for the next reconnection.
        1 => Reply::stream().send("data: b\n\n"),
        2 => Reply::stream().send("id\ndata: c\n\n"),
        _ => Reply::stream().stall(),
    })
    .await;
    let request = reqwest::Client::new().get(server.url("/"));
    let mut es = EventSource::builder(request)
        .reconnect(fast())
        .last_event_id("start")
        .build()
        .unwrap();
    assert_eq!(
        events(&mut es, 3).await,
        ["message|a|é-1", "message|b|é-1", "message|c|"]
    );
    // The fourth request is sent when the stream is polled on.
    let _ = reconnecting(&mut es).await;
    assert!(matches!(next(&mut es).await, Some(Ok(Item::Open(_)))));
    let ids: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("last-event-id").map(|v| v.to_vec()))
        .collect();
    assert_eq!(
        ids,
        [
            Some(b"start".to_vec()),
            Some("é-1".as_bytes().to_vec()),
            Some("é-1".as_bytes().to_vec()),
            // An empty ID (`id` alone) sends no header (C2).
            None
        ]
    );
}

#[tokio::test]
async fn max_attempts_gives_up_after_one_plus_n_requests() {
    let server = TestServer::start(|_, _| Reply::stream().send(": nothing\n").cut()).await;
    let request = reqwest::Client::new().get(server.url("/"));
    let mut es = EventSource::builder(request)
        .reconnect(fast())
        .max_attempts(3)
        .build()
        .unwrap();
    let mut reconnections = Vec::new();
    let error = loop {
        match next(&mut es).await {
            Some(Ok(Item::Reconnecting(r))) => reconnections.push((r.attempt, r.delay)),
            Some(Ok(_)) => {}
            Some(Err(e)) => break e,
            None => panic!("ended without an error"),
        }
    };
    assert!(
        matches!(
            error,
            Error::GaveUp {
                attempts: 3,
                last: Some(_)
            }
        ),
        "{error}"
    );
    // Backoff doubles from 1 ms for attempts in a row without an event.
    assert_eq!(reconnections, [(1, MS), (2, 2 * MS), (3, 4 * MS)]);
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn refused_connections_back_off() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let mut es = EventSource::builder(reqwest::Client::new().get(url))
        .reconnect(fast())
        .max_attempts(2)
        .build()
        .unwrap();
    let r = reconnecting(&mut es).await;
    assert!(matches!(r.cause, Cause::Failed(Error::Network(_))), "{r:?}");
    assert_eq!(reconnecting(&mut es).await.delay, 2 * MS);
    assert!(matches!(
        next(&mut es).await,
        Some(Err(Error::GaveUp { attempts: 2, .. }))
    ));
}

#[tokio::test]
async fn a_clean_end_can_be_the_end() {
    let server = TestServer::start(|_, _| Reply::stream().send("data: last\n\n")).await;
    let mut es = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .reconnect_on_end(false)
        .build()
        .unwrap();
    assert_eq!(events(&mut es, 1).await, ["message|last|"]);
    assert!(next(&mut es).await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn close_and_drop_end_the_connection_at_once() {
    let server = TestServer::start(|_, _| Reply::stream().send("data: a\n\n").stall()).await;
    let mut es = source(&server, "/");
    assert_eq!(events(&mut es, 1).await.len(), 1);
    es.close();
    assert!(es.next().await.is_none());
    assert!(
        until(|| server
            .bodies_dropped
            .load(std::sync::atomic::Ordering::SeqCst)
            == 1)
        .await
    );

    let mut es = source(&server, "/");
    assert_eq!(events(&mut es, 1).await.len(), 1);
    drop(es);
    assert!(
        until(|| server
            .bodies_dropped
            .load(std::sync::atomic::Ordering::SeqCst)
            == 2)
        .await
    );
}

#[tokio::test]
async fn l2_l3_bom_invalid_utf8_and_a_lone_cr_on_every_connection() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::stream()
            .send(b"\xEF\xBB\xBFdata: caf\xC3")
            .send(b"\xA9\xFF\r\r")
            .stall(),
        _ => Reply::stream().stall(),
    })
    .await;
    let mut es = source(&server, "/");
    // The event ends in a lone CR: it is dispatched at once, not held
    // until the next byte, which never comes.
    assert_eq!(events(&mut es, 1).await, ["message|café\u{FFFD}|"]);
}

#[tokio::test]
async fn an_event_over_the_limit_is_discarded_and_reported() {
    let server = TestServer::start(|_, _| {
        Reply::stream()
            .send(format!("data: {}\n\ndata: ok\n\n", "x".repeat(100)))
            .stall()
    })
    .await;
    let mut es = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .limits(sse_wire::decode::Config::new().max_line_len(50))
        .build()
        .unwrap();
    assert!(matches!(next(&mut es).await, Some(Ok(Item::Open(_)))));
    let Some(Ok(Item::Discarded(e))) = next(&mut es).await else {
        panic!()
    };
    assert_eq!(e.kind(), sse_wire::ErrorKind::LineTooLong);
    assert_eq!(events(&mut es, 1).await, ["message|ok|"]);
}

/// 100 forced reconnections, cut at every kind of place: every event
/// arrives exactly once, in order, and each request resumes from the last
/// ID the client saw.
#[tokio::test]
async fn no_event_is_lost_or_duplicated_over_100_reconnections() {
    // 101 connections: 100 reconnections.
    const EVENTS: u64 = 303;
    let server = TestServer::start(|n, r| {
        let from: u64 = r
            .header("last-event-id")
            .map(|v| std::str::from_utf8(v).unwrap().parse().unwrap())
            .unwrap_or(0);
        let mut body = String::new();
        for id in from + 1..=(from + 3).min(EVENTS) {
            body.push_str(&format!("id: {id}\ndata: event {id}\n\n"));
        }
        // Then end in one of several ways: cleanly, cut between events,
        // cut inside the next event's fields.
        match n % 3 {
            0 => Reply::stream().send(body),
            1 => Reply::stream().send(body).cut(),
            _ => Reply::stream()
                .send(body)
                .send(format!("id: {}\ndata: partial", from + 4))
                .cut(),
        }
    })
    .await;
    let mut es = source(&server, "/");
    let mut ids = Vec::new();
    let mut reconnections = 0;
    while ids.len() < EVENTS as usize {
        match next(&mut es).await {
            Some(Ok(Item::Event(e))) => {
                assert_eq!(e.data(), format!("event {}", e.last_event_id()));
                ids.push(e.last_event_id().parse::<u64>().unwrap());
            }
            Some(Ok(Item::Reconnecting(_))) => reconnections += 1,
            Some(Ok(_)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(ids, (1..=EVENTS).collect::<Vec<_>>());
    assert!(reconnections >= 100, "{reconnections}");
    let requests = server.requests();
    for (n, r) in requests.iter().enumerate().skip(1) {
        let sent = r.header("last-event-id").map(|v| v.to_vec());
        assert_eq!(sent, Some(format!("{}", 3 * n).into_bytes()), "request {n}");
    }
}

#[tokio::test]
async fn cookies_set_by_the_server_are_sent_on_reconnection() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::stream()
            .header("set-cookie", "session=abc; Path=/")
            .send("data: a\n\n"),
        _ => Reply::stream().send("data: b\n\n").stall(),
    })
    .await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let mut es = EventSource::builder(client.get(server.url("/")))
        .reconnect(fast())
        .build()
        .unwrap();
    assert_eq!(events(&mut es, 2).await, ["message|a|", "message|b|"]);
    let requests = server.requests();
    assert_eq!(requests[0].header("cookie"), None);
    assert_eq!(requests[1].header("cookie"), Some(&b"session=abc"[..]));
}

/// The README's client is `examples/follow.rs`, word for word, so that the
/// README shows code that compiles.
#[test]
fn the_readme_client_is_the_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/follow.rs")).unwrap();
    let block = format!("```rust,ignore\n{example}```");
    assert!(
        readme.contains(&block),
        "README.md must show examples/follow.rs as it is"
    );
}
