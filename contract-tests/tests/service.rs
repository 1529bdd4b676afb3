//! The service against a mock harness on loopback: the requests and
//! checks of LaunchDarkly's `sse-contract-tests`, with its timing (every
//! wait 5 s at most; the 204 test's 1 s sleep).

mod support;

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::{params, setup, within, Harness, TestService};

#[tokio::test]
async fn status_reports_the_name_and_exactly_the_capabilities() {
    let service = TestService::start().await;
    let response = within("GET /", service.client.get(service.url("/")).send())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let status: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(status["name"], "sse-wire");
    let mut capabilities: Vec<&str> = status["capabilities"]
        .as_array()
        .expect("a list of capabilities")
        .iter()
        .map(|c| c.as_str().expect("a string"))
        .collect();
    capabilities.sort_unstable();
    assert_eq!(
        capabilities,
        [
            "204",
            "bom",
            "comments",
            "event-type-listeners",
            "headers",
            "last-event-id",
            "payload-size-stress-testable",
            "post",
            "read-timeout",
            "report",
            "restart",
            "server-directed-shutdown-request",
        ]
    );
}

#[tokio::test]
async fn create_answers_201_with_a_location_and_the_default_request() {
    let mut s = setup(|_| {}).await;
    assert!(s.resource.ends_with("/streams/1"), "{}", s.resource);
    let connection = s.connections.next().await;
    let request = &connection.request;
    assert_eq!(request.method, "GET");
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    assert_eq!(request.header("cache-control"), Some("no-cache"));
    assert_eq!(request.header("last-event-id"), None);
    assert!(request.body.is_empty());

    // A second stream is a second resource.
    let (stream_url, mut connections) = s.harness.stream_endpoint();
    let (callback_url, _) = s.harness.callback_endpoint();
    let second = s
        .service
        .create_stream(&params(&stream_url, &callback_url))
        .await;
    assert!(second.ends_with("/streams/2"), "{second}");
    connections.next().await;
    assert_eq!(s.service.service.stream_count(), 2);
}

#[tokio::test]
async fn an_event_with_type_id_and_multiline_data_is_callback_1() {
    let mut s = setup(|_| {}).await;
    let listen = json!({"command": "listen", "listen": {"type": "greeting"}});
    assert_eq!(s.service.command(&s.resource, &listen).await, 204);
    let connection = s.connections.next().await;
    connection.send("event: greeting\nid: abc\ndata: Hello\ndata: World\n\n");
    let first = s.callbacks.next().await;
    assert_eq!(s.callbacks.count(), 1);
    assert_eq!(
        first,
        json!({"kind": "event", "event": {"type": "greeting", "data": "Hello\nWorld", "id": "abc"}})
    );
    // The default type is sent as "message", and the id is the last one.
    connection.send("data: second\n\n");
    assert_eq!(
        s.callbacks.event().await,
        ("message".into(), "second".into(), "abc".into())
    );
    // `id:` empty resets it; an id with NUL is ignored.
    connection.send("id: \ndata: third\n\nid: a\0bc\ndata: fourth\n\n");
    assert_eq!(
        s.callbacks.event().await,
        ("message".into(), "third".into(), "".into())
    );
    assert_eq!(
        s.callbacks.event().await,
        ("message".into(), "fourth".into(), "".into())
    );
}

#[tokio::test]
async fn only_message_events_and_listened_types_are_reported() {
    let mut s = setup(|_| {}).await;
    let connection = s.connections.next().await;
    connection.send("event: greeting\ndata: unheard\n\ndata: heard\n\n");
    assert_eq!(
        s.callbacks.event().await,
        ("message".into(), "heard".into(), "".into())
    );
    // The key as older harnesses sent it; the type exactly, leading space
    // and all.
    let listen = json!({"command": "listen", "Listen": {"type": " greeting"}});
    assert_eq!(s.service.command(&s.resource, &listen).await, 204);
    connection.send("event: greeting\ndata: no\n\nevent:  greeting\ndata:  yes\n\n");
    assert_eq!(
        s.callbacks.event().await,
        (" greeting".into(), " yes".into(), "".into())
    );
}

#[tokio::test]
async fn comments_are_reported_in_order_with_events() {
    let mut s = setup(|_| {}).await;
    let connection = s.connections.next().await;
    // A comment is reported as soon as its line is read.
    connection.send(":Hello\n");
    assert_eq!(s.callbacks.comment().await, "Hello");
    connection.send(":World\ndata: event\n\n:after\n");
    assert_eq!(s.callbacks.comment().await, "World");
    assert_eq!(s.callbacks.event().await.1, "event");
    assert_eq!(s.callbacks.comment().await, "after");
}

#[tokio::test]
async fn the_last_id_is_sent_on_reconnection_after_a_break() {
    let mut s = setup(|p| p["initialDelayMs"] = 0.into()).await;
    let mut connection = s.connections.next().await;
    connection.send("id: abc\ndata: first\n\n");
    connection.send("data: second\n\n");
    assert_eq!(s.callbacks.event().await.2, "abc");
    assert_eq!(s.callbacks.event().await.2, "abc");
    connection.break_connection();
    // One error for the break (the harness ignores one here).
    s.callbacks.error().await;
    let mut connection = s.connections.next().await;
    assert_eq!(connection.header("last-event-id"), Some("abc"));

    // An empty id overrides it: no header at all.
    connection.send("id:\ndata: third\n\n");
    assert_eq!(
        s.callbacks.event().await,
        ("message".into(), "third".into(), "".into())
    );
    connection.break_connection();
    s.callbacks.error().await;
    let connection = s.connections.next().await;
    assert_eq!(connection.header("last-event-id"), None);
    connection.send("data: fourth\n\n");
    assert_eq!(s.callbacks.event().await.1, "fourth");
}

#[tokio::test]
async fn the_initial_last_event_id_is_sent_and_kept() {
    let mut s = setup(|p| p["lastEventId"] = "abc".into()).await;
    let connection = s.connections.next().await;
    assert_eq!(connection.header("last-event-id"), Some("abc"));
    connection.send("data: Hello\n\n");
    assert_eq!(
        s.callbacks.event().await,
        ("message".into(), "Hello".into(), "abc".into())
    );
}

#[tokio::test]
async fn a_partial_event_is_discarded_when_the_connection_breaks() {
    let mut s = setup(|p| p["initialDelayMs"] = 0.into()).await;
    let mut connection = s.connections.next().await;
    // As the harness: one chunk, the second event cut short.
    connection.send("id: abc\ndata: Hello\n\nid: def\ndata: Goodbye");
    assert_eq!(s.callbacks.event().await.1, "Hello");
    connection.break_connection();
    s.callbacks.error().await;
    let connection = s.connections.next().await;
    assert_eq!(connection.header("last-event-id"), Some("abc"));
    connection.send("data: Hello again\n\n");
    assert_eq!(
        s.callbacks.event().await,
        ("message".into(), "Hello again".into(), "abc".into())
    );
}

async fn method_and_body_are_sent_again_on_reconnection(method: &str) {
    let mut s = setup(|p| {
        p["initialDelayMs"] = 0.into();
        p["method"] = method.into();
        p["body"] = r#"{"hello": "world"}"#.into();
        p["headers"] = json!({
            "content-type": "application/json; charset=utf-8",
            "header-name-1": "value-1",
        });
    })
    .await;
    let mut connection = s.connections.next().await;
    for attempt in 0..2 {
        let request = &connection.request;
        assert_eq!(request.method, method, "attempt {attempt}");
        assert_eq!(&request.body[..], br#"{"hello": "world"}"#);
        assert_eq!(
            request.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(request.header("header-name-1"), Some("value-1"));
        assert_eq!(request.header("accept"), Some("text/event-stream"));
        connection.send("data: ok\n\n");
        assert_eq!(s.callbacks.event().await.1, "ok");
        connection.break_connection();
        s.callbacks.error().await;
        connection = s.connections.next().await;
    }
}

#[tokio::test]
async fn a_post_body_and_its_content_type_are_sent_again_on_reconnection() {
    method_and_body_are_sent_again_on_reconnection("POST").await;
}

#[tokio::test]
async fn a_report_body_is_sent_again_on_reconnection() {
    method_and_body_are_sent_again_on_reconnection("REPORT").await;
}

#[tokio::test]
async fn restart_makes_a_new_connection_without_an_error() {
    // The default reconnection time (3 s): a restart does not wait for it.
    let mut s = setup(|_| {}).await;
    let connection = s.connections.next().await;
    connection.send("id: abc\ndata: one\n\n");
    assert_eq!(s.callbacks.event().await.1, "one");
    let started = Instant::now();
    let restart = json!({"command": "restart"});
    assert_eq!(s.service.command(&s.resource, &restart).await, 204);
    connection.closed().await;
    let second = s.connections.next().await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(second.header("last-event-id"), Some("abc"));
    second.send("data: two\n\n");
    // The next message is the event: no error in between.
    assert_eq!(
        s.callbacks.next().await,
        json!({"kind": "event", "event": {"type": "message", "data": "two", "id": "abc"}})
    );
    assert_eq!(s.callbacks.count(), 2);
    assert!(s.connections.try_next().is_none());
}

#[tokio::test]
async fn a_read_timeout_reports_an_error_and_reconnects() {
    let mut s = setup(|p| {
        p["initialDelayMs"] = 0.into();
        p["readTimeoutMs"] = 500.into();
    })
    .await;
    let connection = s.connections.next().await;
    let sent = Instant::now();
    connection.send("data: Hello\n\n");
    assert_eq!(s.callbacks.event().await.1, "Hello");
    s.callbacks.error().await;
    assert!(
        sent.elapsed() >= Duration::from_millis(450),
        "{:?}",
        sent.elapsed()
    );
    connection.closed().await;
    let connection = s.connections.next().await;
    connection.send("data: again\n\n");
    assert_eq!(s.callbacks.event().await.1, "again");
}

#[tokio::test]
async fn status_204_halts_reconnection() {
    for delay in [json!(0), Value::Null] {
        let harness = Harness::start().await;
        let service = TestService::start().await;
        let (stream_url, endpoint) = harness.fixed_endpoint(204, &[]);
        let (callback_url, mut callbacks) = harness.callback_endpoint();
        let mut params = params(&stream_url, &callback_url);
        params["initialDelayMs"] = delay;
        service.create_stream(&params).await;
        // As the harness: 1 s, then exactly one request.
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(endpoint.requests().len(), 1);
        // The service reports the stop (the harness reads no message).
        callbacks.error().await;
    }
}

#[tokio::test]
async fn redirects_301_and_307_are_followed() {
    for status in [301, 307] {
        let harness = Harness::start().await;
        let service = TestService::start().await;
        let (stream_url, mut connections) = harness.stream_endpoint();
        let (redirect_url, _) = harness.fixed_endpoint(status, &[("location", &stream_url)]);
        let (callback_url, mut callbacks) = harness.callback_endpoint();
        service
            .create_stream(&params(&redirect_url, &callback_url))
            .await;
        let connection = connections.next().await;
        connection.send("data: hello\n\n");
        assert_eq!(callbacks.event().await.1, "hello", "status {status}");
    }
}

#[tokio::test]
async fn a_redirect_with_an_empty_or_missing_location_is_an_error_first() {
    for status in [301, 307] {
        for location in [Some(""), None] {
            let harness = Harness::start().await;
            let service = TestService::start().await;
            let headers: Vec<_> = location.map(|l| ("location", l)).into_iter().collect();
            let (stream_url, endpoint) = harness.fixed_endpoint(status, &headers);
            let (callback_url, mut callbacks) = harness.callback_endpoint();
            service
                .create_stream(&params(&stream_url, &callback_url))
                .await;
            let error = callbacks.error().await;
            // No endless loop: reqwest's 10 hops at most.
            let requests = endpoint.requests().len();
            assert!(
                (1..=11).contains(&requests),
                "{status} {location:?}: {requests} requests, {error}"
            );
        }
    }
}

#[tokio::test]
async fn bad_parameters_and_unknown_commands_are_400_and_unknown_streams_404() {
    let s = setup(|_| {}).await;
    let service = &s.service;
    // Parameters.
    assert_eq!(service.create_raw("not json".into()).await.0, 400);
    assert_eq!(
        service
            .create(&json!({"callbackUrl": "http://127.0.0.1:1/c"}))
            .await
            .0,
        400
    );
    let (stream_url, _) = s.harness.stream_endpoint();
    let mut bad = params(&stream_url, "http://127.0.0.1:1/c");
    bad["headers"] = json!({"bad name": "x"});
    assert_eq!(service.create(&bad).await.0, 400);
    // Commands.
    let resource = &s.resource;
    assert_eq!(
        service
            .command(resource, &json!({"command": "frobnicate"}))
            .await,
        400
    );
    assert_eq!(
        service
            .command(resource, &json!({"command": "listen"}))
            .await,
        400
    );
    assert_eq!(service.command_raw(resource, "{".into()).await, 400);
    let restart = json!({"command": "restart"});
    for unknown in ["/streams/999", "/streams/abc"] {
        assert_eq!(service.command(&service.url(unknown), &restart).await, 404);
        assert_eq!(service.delete(&service.url(unknown)).await, 404);
    }
    assert_eq!(service.service.stream_count(), 1);
}

#[tokio::test]
async fn delete_stops_the_client_and_closes_its_connection() {
    let mut s = setup(|p| p["initialDelayMs"] = 0.into()).await;
    let connection = s.connections.next().await;
    connection.send("data: one\n\n");
    assert_eq!(s.callbacks.event().await.1, "one");
    assert_eq!(s.service.delete(&s.resource).await, 204);
    assert_eq!(s.service.service.stream_count(), 0);
    connection.closed().await;
    // Gone: commands and a second delete find nothing, and the client
    // never came back.
    let restart = json!({"command": "restart"});
    assert_eq!(s.service.command(&s.resource, &restart).await, 404);
    assert_eq!(s.service.delete(&s.resource).await, 404);
    assert!(s.connections.try_next().is_none());
    assert!(s.callbacks.try_next().is_none());
}

#[tokio::test]
async fn delete_root_stops_every_stream_and_the_service() {
    let mut s = setup(|_| {}).await;
    let (stream_url, mut connections) = s.harness.stream_endpoint();
    let (callback_url, _) = s.harness.callback_endpoint();
    s.service
        .create_stream(&params(&stream_url, &callback_url))
        .await;
    let first = s.connections.next().await;
    let second = connections.next().await;
    let stopped = s.service.service.stopped();
    assert_eq!(s.service.delete(&s.service.url("/")).await, 204);
    within("the stop signal", stopped).await;
    assert_eq!(s.service.service.stream_count(), 0);
    first.closed().await;
    second.closed().await;
}

#[tokio::test]
async fn a_large_event_and_a_bom_are_handled() {
    let mut s = setup(|_| {}).await;
    let connection = s.connections.next().await;
    // Over the client's default 1 MiB limit, in one chunk.
    let data: String = (0..3 << 20)
        .map(|i| (b'A' + (i % 26) as u8) as char)
        .collect();
    connection.send(format!("\u{FEFF}data: {data}\n\n"));
    let (event_type, received, _) = s.callbacks.event().await;
    assert_eq!(event_type, "message");
    assert!(received == data, "the large event's data intact");
    // A BOM later in the stream stays.
    connection.send("data: \u{FEFF}Second\n\n");
    assert_eq!(s.callbacks.event().await.1, "\u{FEFF}Second");
}
