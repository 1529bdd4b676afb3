//! The server end to end over real loopback HTTP: an axum app built as a
//! user would (a shared [`Hub`], `GET /events` subscribing the requested
//! topics from the [`LastEventId`](sse_wire_server::LastEventId) extractor
//! and answering with an [`EventBody`](sse_wire_server::EventBody)), served
//! by hyper on 127.0.0.1, read by the client crate (`sse-wire-client`), by
//! plain reqwest with the core decoder, and by raw TCP where a client must
//! misbehave. Rule IDs are spec-fixtures/RULES.md's.
#![forbid(unsafe_code)]

#[path = "support/http.rs"]
mod support;

use futures_util::StreamExt;
use serde_json::Value;
use sse_wire::decode::{OwnedEvent, OwnedItem, PushDecoder};
use sse_wire::encode::{Event, EventType};
use sse_wire_client::{EventSource, Item, ReconnectConfig};
use sse_wire_server::{Hub, HubConfig, MemoryHistory, SlowClient};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::{get_request, seq, until, App, Next, Proxy, Raw, Server, SseStream, WAIT};
use tokio::task::JoinSet;
use tokio::time::timeout;

const MS: Duration = Duration::from_millis(1);

/// Reconnects in a millisecond, without jitter.
fn fast() -> ReconnectConfig {
    ReconnectConfig::new()
        .reconnection_time(MS)
        .min_reconnection_time(MS)
        .jitter_percent(0)
        .max_delay(20 * MS)
}

/// A hub whose history holds everything these tests publish.
fn roomy_hub(config: HubConfig) -> Hub {
    Hub::with_history(
        config,
        MemoryHistory::new().max_events(100_000).max_bytes(64 << 20),
    )
}

async fn publish(hub: &Hub, topic: &str, data: &str) -> Arc<str> {
    hub.publish(topic, Event::new().data(data))
        .await
        .expect("publish")
        .id
}

/// The next event of an event source, skipping `Open` and `Reconnecting`.
async fn next_event(source: &mut EventSource) -> OwnedEvent {
    loop {
        match timeout(WAIT, source.next())
            .await
            .expect("an event in time")
        {
            Some(Ok(Item::Event(event))) => return event,
            Some(Ok(_)) => {}
            other => panic!("the source stopped: {other:?}"),
        }
    }
}

/// Events arrive, and a client whose connection is cut again and again
/// (by a proxy, while the server and its history live on) while events
/// are published without pause resumes each time from its
/// `Last-Event-ID` (C2, C5, S3): it ends with exactly the published IDs,
/// in order, no gap, no duplicate. At each cut, a burst is published
/// before the client can reconnect (it is not polled meanwhile, and it
/// spawns no task), so that every replay has events to carry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_c2_replay_after_proxy_cuts_has_no_gap_and_no_duplicate() {
    const EVENTS: usize = 500;
    const BURST: usize = 10;
    const CUTS: [usize; 6] = [40, 110, 180, 250, 320, 390];
    let hub = roomy_hub(HubConfig::new());
    let server = Server::start(App::new(hub.clone()).router()).await;
    let proxy = Proxy::start(server.addr).await;
    let mut source =
        EventSource::builder(reqwest::Client::new().get(proxy.url("/events?topics=t")))
            .reconnect(fast())
            .build()
            .unwrap();
    // Open: the handler has subscribed, so nothing published from now on
    // is missed.
    match timeout(WAIT, source.next()).await.expect("open in time") {
        Some(Ok(Item::Open(open))) => assert_eq!(open.status, 200),
        other => panic!("expected open, got {other:?}"),
    }
    assert_eq!(hub.clients("t"), 1);

    let mut publisher = JoinSet::new();
    let publishing = hub.clone();
    publisher.spawn(async move {
        let mut ids = Vec::new();
        for n in 0..EVENTS {
            ids.push(publish(&publishing, "t", &n.to_string()).await);
            tokio::time::sleep(MS / 2).await;
        }
        ids
    });

    let total = EVENTS + BURST * CUTS.len();
    let (mut got, mut bursts, mut reconnects) = (Vec::new(), Vec::new(), 0);
    while got.len() < total {
        match timeout(WAIT, source.next()).await.expect("an item in time") {
            Some(Ok(Item::Event(event))) => {
                got.push(event.last_event_id().to_owned());
                if CUTS.contains(&got.len()) {
                    // The client just read an event: its connection is open.
                    assert!(proxy.cut() >= 1, "a connection to cut");
                    for n in 0..BURST {
                        bursts.push(publish(&hub, "t", &format!("burst {n}")).await);
                    }
                }
            }
            Some(Ok(Item::Reconnecting(_))) => reconnects += 1,
            Some(Ok(_)) => {}
            other => panic!("the source stopped: {other:?}"),
        }
    }
    let mut ids = timeout(WAIT, publisher.join_next())
        .await
        .expect("published in time")
        .unwrap()
        .unwrap();
    ids.extend(bursts);
    // The hub's order: IDs increase with every publish.
    ids.sort_by_key(|id| seq(id));
    let want: Vec<&str> = ids.iter().map(|id| &**id).collect();
    assert_eq!(got, want, "no gap, no duplicate, in order");
    assert_eq!(reconnects, CUTS.len());
    assert!(
        hub.metrics().replays >= CUTS.len() as u64,
        "{:?}",
        hub.metrics()
    );
}

/// Races (S3): 100 clients reconnect at once, each with another last
/// event ID, while events are being published; each replay meets the live
/// events without a gap or a duplicate, and every client ends with exactly
/// the IDs published after its own, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_hundred_clients_replay_while_publishing_without_gap_or_duplicate() {
    const BEFORE: usize = 200;
    const DURING: usize = 300;
    const CLIENTS: usize = 100;
    let hub = roomy_hub(HubConfig::new());
    let server = Server::start(App::new(hub.clone()).router()).await;
    let mut ids = Vec::new();
    for n in 0..BEFORE {
        ids.push(publish(&hub, "t", &n.to_string()).await);
    }

    let start = Arc::new(tokio::sync::Barrier::new(CLIENTS + 1));
    let http = reqwest::Client::new();
    let mut clients = JoinSet::new();
    for client in 0..CLIENTS {
        // From the first ID to the latest one, spread over the clients.
        let from = client * (BEFORE - 1) / (CLIENTS - 1);
        let (start, last) = (start.clone(), ids[from].to_string());
        let request = http.get(server.url("/events?topics=t"));
        clients.spawn(async move {
            start.wait().await;
            let mut source = EventSource::builder(request)
                .last_event_id(&last)
                .reconnect(fast())
                .build()
                .unwrap();
            let mut got = Vec::new();
            loop {
                let event = next_event(&mut source).await;
                got.push(event.last_event_id().to_owned());
                if event.data() == (BEFORE + DURING - 1).to_string() {
                    return (from, got);
                }
            }
        });
    }
    start.wait().await;
    for n in BEFORE..BEFORE + DURING {
        ids.push(publish(&hub, "t", &n.to_string()).await);
        tokio::time::sleep(MS / 2).await;
    }
    let mut done = 0;
    while let Some(result) = timeout(WAIT, clients.join_next())
        .await
        .expect("every client done in time")
    {
        let (from, got) = result.unwrap();
        let want: Vec<&str> = ids[from + 1..].iter().map(|id| &**id).collect();
        assert_eq!(got, want, "the client that resumed after event {from}");
        done += 1;
    }
    assert_eq!(done, CLIENTS);
    assert!(
        hub.metrics().replays >= CLIENTS as u64,
        "{:?}",
        hub.metrics()
    );
    assert_eq!(hub.metrics().resets, 0);
}

/// 1 KiB of data, numbered.
fn kib(n: usize) -> String {
    format!("{n:05}:{}", "x".repeat(1018))
}

/// The slow-client scenario: a raw client that sends its request and
/// reads nothing (a small receive buffer, 1 KiB events: the kernel's
/// buffers fill, then its 256-event queue), a reading client, 10,000
/// events published, paced to the reading client only. Returns the
/// published IDs and what the reading client got.
async fn ten_thousand_past_a_slow_client(
    hub: &Hub,
    server: &Server,
) -> (Raw, Vec<Arc<str>>, Vec<String>) {
    const EVENTS: usize = 10_000;
    let slow = Raw::send_small_buffer(server.addr, &get_request("/events?topics=s", b"")).await;
    assert!(until(|| hub.clients("s") == 1).await);
    let mut reader =
        SseStream::open(reqwest::Client::new().get(server.url("/events?topics=s"))).await;
    assert_eq!(hub.clients("s"), 2);

    let received = Arc::new(AtomicUsize::new(0));
    let mut reading = JoinSet::new();
    let count = received.clone();
    reading.spawn(async move {
        let mut got = Vec::with_capacity(EVENTS);
        while got.len() < EVENTS {
            let event = reader.event().await;
            assert_eq!(event.data(), kib(got.len()), "the reading client");
            got.push(event.last_event_id().to_owned());
            count.store(got.len(), Ordering::Release);
        }
        got
    });
    let mut ids = Vec::with_capacity(EVENTS);
    for n in 0..EVENTS {
        // Paced to the reading client: it never falls 128 behind, so
        // only the slow one meets the policy.
        let paced = until(|| n - received.load(Ordering::Acquire) < 128).await;
        assert!(paced, "the reading client stalled at {n}");
        ids.push(publish(hub, "s", &kib(n)).await);
    }
    let got = timeout(WAIT, reading.join_next())
        .await
        .expect("the reading client done in time")
        .unwrap()
        .unwrap();
    (slow, ids, got)
}

/// Decodes a raw chunked SSE body until its end.
async fn raw_events(raw: &mut Raw, decoder: &mut PushDecoder) -> Vec<OwnedEvent> {
    let mut events = Vec::new();
    while let Some(chunk) = raw.chunk().await {
        decoder.push(&chunk);
        while let Some(item) = decoder.next_item() {
            if let OwnedItem::Event(event) = item.unwrap().into_owned() {
                events.push(event);
            }
        }
    }
    events
}

/// A client that reads nothing while 10,000 events of 1 KiB are published,
/// under `SlowClient::Disconnect`: its queue stops at 256 events (it is
/// disconnected at the 257th, which are counted as dropped), publishing
/// never waits for it, the reading client gets all 10,000, and when the
/// slow one reads at last it gets an unbroken prefix, then the clean end
/// of its stream; reconnecting from its last ID, long out of the history,
/// it gets the reset event (S3).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_client_over_http_is_disconnected_with_bounded_memory() {
    let hub = Hub::with_history(
        HubConfig::new()
            .queue_events(256)
            .slow_client(SlowClient::Disconnect),
        MemoryHistory::new(),
    );
    let app = App::new(hub.clone());
    let closed = app.closed.clone();
    let server = Server::start(app.router()).await;
    let (mut slow, ids, got) = ten_thousand_past_a_slow_client(&hub, &server).await;
    assert_eq!(got.len(), ids.len());
    assert!(got.iter().zip(&ids).all(|(a, b)| a == &**b), "in order");

    let metrics = hub.metrics();
    assert_eq!(metrics.slow_disconnects, 1, "{metrics:?}");
    // The queue held 256, the 257th found it full: all dropped at once.
    assert_eq!(metrics.dropped, 257, "{metrics:?}");

    let (status, _) = timeout(WAIT, slow.head()).await.expect("a head");
    assert_eq!(status, 200);
    let events = timeout(WAIT, raw_events(&mut slow, &mut PushDecoder::new()))
        .await
        .expect("the slow client's stream ends");
    let prefix: Vec<&str> = events.iter().map(|e| e.last_event_id()).collect();
    let m = prefix.len();
    assert!(
        m > 0 && m + 257 <= ids.len(),
        "{m} events reached the slow client"
    );
    assert!(
        prefix.iter().zip(&ids).all(|(a, b)| *a == &**b),
        "an unbroken prefix"
    );
    // Its subscription is freed once hyper ends the response (the
    // reading client's, when it dropped its response).
    assert!(
        until(|| hub.clients("s") == 0).await,
        "{}",
        hub.clients("s")
    );
    assert!(until(|| closed.load(Ordering::SeqCst) == 2).await);

    // It reconnects from its last ID, which the history (the latest
    // 1,000 events) no longer holds: the reset signal, not a silent gap.
    let mut again = SseStream::open(
        reqwest::Client::new()
            .get(server.url("/events?topics=s"))
            .header("last-event-id", *prefix.last().unwrap()),
    )
    .await;
    let reset = again.event().await;
    let latest = &**ids.last().unwrap();
    assert_eq!(
        (reset.event_type(), reset.last_event_id()),
        ("reset", latest)
    );
}

/// The same under `SlowClient::DropAndReset`: the slow client's queue
/// never holds more than 256 events, every event it did not get is
/// counted as dropped, and once it reads it gets an unbroken prefix, then
/// the `reset` event carrying the ID of the last event dropped, then every
/// event after that one, later events included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_client_over_http_gets_a_reset_then_later_events() {
    let hub = Hub::with_history(
        HubConfig::new()
            .queue_events(256)
            .slow_client(SlowClient::DropAndReset),
        MemoryHistory::new(),
    );
    let server = Server::start(App::new(hub.clone()).router()).await;
    let (mut slow, mut ids, got) = ten_thousand_past_a_slow_client(&hub, &server).await;
    assert!(got.iter().zip(&ids).all(|(a, b)| a == &**b) && got.len() == ids.len());
    let metrics = hub.metrics();
    assert_eq!(metrics.slow_disconnects, 0, "{metrics:?}");
    assert!(metrics.dropped > 0, "{metrics:?}");

    let (status, _) = timeout(WAIT, slow.head()).await.expect("a head");
    assert_eq!(status, 200);
    let mut decoder = PushDecoder::new();
    let mut events = Vec::new();
    // Until the reset, and the last of the 10,000 (or a reset naming it).
    let last = ids.last().unwrap().to_string();
    let caught_up = |events: &[OwnedEvent]| {
        let reset = events.iter().any(|e| e.event_type() == "reset");
        reset && events.last().is_some_and(|e| e.last_event_id() == last)
    };
    while !caught_up(&events) {
        let chunk = slow
            .chunk()
            .await
            .expect("the slow client's stream goes on");
        decoder.push(&chunk);
        while let Some(item) = decoder.next_item() {
            if let OwnedItem::Event(event) = item.unwrap().into_owned() {
                events.push(event);
            }
        }
    }
    for n in 0..5 {
        ids.push(publish(&hub, "s", &format!("later {n}")).await);
    }
    while events.len() < 5
        || !events[events.len() - 5..]
            .iter()
            .all(|e| e.data().starts_with("later"))
    {
        let chunk = slow.chunk().await.expect("the later events");
        decoder.push(&chunk);
        while let Some(item) = decoder.next_item() {
            if let OwnedItem::Event(event) = item.unwrap().into_owned() {
                events.push(event);
            }
        }
    }

    // The stream is the published IDs in order, where every gap is
    // announced by a reset naming the gap's last event: nothing is lost
    // unannounced. More than one reset is right too: the kernel may make
    // room in the socket's send buffer while publishing goes on, so the
    // slow client can take some events between two overflows.
    let mut next = 0;
    let mut dropped = 0;
    let mut resets = 0;
    let mut since_reset = 0;
    for event in &events {
        if event.event_type() == "reset" {
            assert_eq!(
                event.data(),
                "events were dropped: this client was too slow"
            );
            let named = ids[next..]
                .iter()
                .position(|id| **id == *event.last_event_id())
                .unwrap_or_else(|| panic!("reset {} names a dropped event", event.last_event_id()));
            dropped += named + 1;
            next += named + 1;
            resets += 1;
            since_reset = 0;
        } else {
            assert_eq!(event.last_event_id(), &*ids[next], "event {next} in order");
            next += 1;
            since_reset += 1;
        }
    }
    assert_eq!(next, ids.len(), "every event, or a reset for it");
    assert!(resets >= 1);
    // What was queued when it started reading (the later events aside)
    // fit the queue; everything the resets skipped was counted as dropped.
    assert!(since_reset - 5 <= 256, "{} queued", since_reset - 5);
    let metrics = hub.metrics();
    assert_eq!(metrics.dropped, dropped as u64, "{metrics:?}");
    assert_eq!(metrics.resets, resets, "{metrics:?}");
}

/// A request whose raw header bytes no HTTP library would send: the
/// status, and the body of an app's answer.
async fn raw_status(server: &Server, header: &[u8]) -> (u16, String) {
    let mut raw = Raw::send(server.addr, &get_request("/events", header)).await;
    let (status, headers) = raw.head().await;
    let body = raw.body(&headers).await;
    (status, body)
}

/// A normal client is served (after each hostile one).
async fn still_serves(server: &Server, hub: &Hub) {
    let mut stream =
        SseStream::open(reqwest::Client::new().get(server.url("/events?topics=ok"))).await;
    let id = publish(hub, "ok", "fine").await;
    let event = stream.event().await;
    assert_eq!((event.data(), event.last_event_id()), ("fine", &*id));
}

/// Hostile `Last-Event-ID`s get a clear answer and never a panic (a
/// panicking handler would close the connection without a status):
/// 1 MiB (hyper's 431, or the extractor's 400), 2 KiB (the extractor's
/// 400 with the reason), CR, LF and NUL in the header (hyper's 400),
/// bytes that are not UTF-8 (400), NUL and CRLF through the `lastEventId`
/// query (400 with the reason); IDs that are merely unknown (made up,
/// from the future, from another server) get 200 and the `reset` event
/// first (S3), then live events. The server serves others after each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_hostile_last_event_ids_get_a_clear_answer() {
    let hub = roomy_hub(HubConfig::new());
    let server = Server::start(App::new(hub.clone()).router()).await;
    publish(&hub, "t", "before").await;
    let http = reqwest::Client::new();

    // 1 MiB: written while the answer is read (hyper answers before the
    // request is all sent, and closes).
    let huge = format!("last-event-id: {}\r\n", "9".repeat(1 << 20));
    let connection = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let (mut read, mut write) = connection.into_split();
    let mut writer = JoinSet::new();
    let request = get_request("/events", huge.as_bytes());
    writer.spawn(async move {
        use tokio::io::AsyncWriteExt;
        // Fails once hyper has answered and closed: that is expected.
        let _ = write.write_all(&request).await;
        write
    });
    let mut status = Vec::new();
    let mut byte = [0; 1];
    while !status.ends_with(b"\r\n") {
        use tokio::io::AsyncReadExt;
        let n = timeout(WAIT, read.read(&mut byte)).await.unwrap().unwrap();
        assert_eq!(n, 1, "a status line before the end: {status:?}");
        status.push(byte[0]);
    }
    let status = String::from_utf8_lossy(&status).into_owned();
    assert!(
        status.starts_with("HTTP/1.1 431") || status.starts_with("HTTP/1.1 400"),
        "{status}"
    );
    writer.abort_all();
    still_serves(&server, &hub).await;

    let too_long = http
        .get(server.url("/events"))
        .header("last-event-id", "9".repeat(2048))
        .send()
        .await
        .unwrap();
    assert_eq!(too_long.status(), 400);
    assert_eq!(
        too_long.text().await.unwrap(),
        "Last-Event-ID of 2048 bytes; at most 1024 are accepted"
    );

    for header in [
        &b"last-event-id: 1\r2\r\n"[..],
        b"last-event-id: 1\n2\r\n",
        b"last-event-id: 1\n x\r\n",
        b"last-event-id: 1\x002\r\n",
    ] {
        let (status, _) = raw_status(&server, header).await;
        assert_eq!(status, 400, "{header:?}");
        still_serves(&server, &hub).await;
    }
    let (status, body) = raw_status(&server, b"last-event-id: caf\xe9\r\n").await;
    assert_eq!((status, body.as_str()), (400, "Last-Event-ID is not UTF-8"));

    for (query, at) in [("%00", 0), ("1%0D%0A2", 1), ("1%0A", 1)] {
        let answer = http
            .get(server.url(&format!("/events?lastEventId={query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{query}");
        assert_eq!(
            answer.text().await.unwrap(),
            format!("Last-Event-ID holds CR, LF or NUL at byte {at}")
        );
    }
    still_serves(&server, &hub).await;

    // Unknown IDs: the reset first, naming the hub's latest event, then
    // live ones.
    let latest = publish(&hub, "t", "latest").await;
    let epoch = latest.rsplit_once('-').unwrap().0;
    let future = format!("{epoch}-999999");
    let unknown: [(&str, Option<&[u8]>); 5] = [
        ("/events", Some(b"999999-1")),
        ("/events", Some(b"random text")),
        ("/events", Some(future.as_bytes())),
        ("/events", Some("caf\u{e9} \u{1F600}".as_bytes())),
        ("/events?lastEventId=random%20text", None),
    ];
    let mut streams = Vec::new();
    for (path, header) in unknown {
        let mut request = http.get(server.url(path));
        if let Some(value) = header {
            let value = reqwest::header::HeaderValue::from_bytes(value).unwrap();
            request = request.header("last-event-id", value);
        }
        let mut stream = SseStream::open(request).await;
        let reset = stream.event().await;
        assert_eq!(
            (reset.event_type(), reset.data(), reset.last_event_id()),
            ("reset", "unknown last event ID", &*latest),
            "{path} {header:?}"
        );
        streams.push(stream);
    }
    let live = publish(&hub, "t", "live").await;
    for stream in &mut streams {
        let event = stream.event().await;
        assert_eq!((event.data(), event.last_event_id()), ("live", &*live));
    }
    assert_eq!(hub.metrics().resets, 5);
    still_serves(&server, &hub).await;
}

/// Spec fixtures round trip (S2): every event of every fixture's expected
/// output, published through the hub with its data and type, comes out of
/// the server's body, read over HTTP with the core decoder, with the same
/// data and type, and the ID the hub gave it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s2_spec_fixture_events_round_trip_through_the_server() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec-fixtures");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    assert!(cases.len() >= 150, "only {} fixtures", cases.len());

    let hub = Hub::with_history(
        HubConfig::new()
            .queue_events(100_000)
            .queue_bytes(256 << 20),
        MemoryHistory::new(),
    );
    let server = Server::start(App::new(hub.clone()).router()).await;
    let mut stream =
        SseStream::open(reqwest::Client::new().get(server.url("/events?topics=fixtures"))).await;
    let (mut total, mut with_events) = (0, 0);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let expected = std::fs::read(root.join("cases").join(format!("{name}.jsonl"))).unwrap();
        // Split on LF only: values may hold U+2028 and friends.
        let events: Vec<Value> = expected
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| serde_json::from_slice::<Value>(line).unwrap())
            .filter(|out| out.get("type").is_some())
            .collect();
        let mut published = Vec::new();
        for event in &events {
            let (event_type, data) = (
                event["type"].as_str().unwrap(),
                event["data"].as_str().unwrap(),
            );
            // The decoder never yields a type the encoder cannot write.
            let event_type = EventType::new(event_type).unwrap_or_else(|e| {
                panic!("fixture {name}: the encoder refuses the type {event_type:?}: {e}")
            });
            let sent = hub
                .publish("fixtures", Event::new().event_type(event_type).data(data))
                .await
                .unwrap();
            assert_eq!(sent.subscribers, 1);
            published.push(sent.id);
        }
        for (event, id) in events.iter().zip(&published) {
            let got = stream.event().await;
            assert_eq!(
                (got.event_type(), got.data(), got.last_event_id()),
                (
                    event["type"].as_str().unwrap(),
                    event["data"].as_str().unwrap(),
                    &**id
                ),
                "fixture {name}"
            );
        }
        total += events.len();
        with_events += usize::from(!events.is_empty());
    }
    assert!(
        total >= 200 && with_events >= 100,
        "{total} events in {with_events} fixtures"
    );
}

/// S5 behind middleware as a user stacks it, tower-http's
/// `CompressionLayer` (default predicate) and `TimeoutLayer` (200 ms): a
/// client that accepts gzip gets the stream uncompressed (no
/// `Content-Encoding`), each event as it is published (event 1 arrives
/// before event 2 is published), and past the request timeout; the same
/// stack does compress a plain page, so the layer is really there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s5_compression_and_timeout_layers_leave_streams_whole_and_unbuffered() {
    use tower_http::compression::CompressionLayer;
    use tower_http::timeout::TimeoutLayer;
    let hub = Hub::new();
    let router = App::new(hub.clone())
        .router()
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_millis(200),
        ))
        .layer(CompressionLayer::new());
    let server = Server::start(router).await;
    let http = reqwest::Client::new();

    let page = http
        .get(server.url("/text"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");

    let mut stream = SseStream::open(
        http.get(server.url("/events?topics=c"))
            .header("accept-encoding", "gzip"),
    )
    .await;
    let headers = stream.response.headers();
    assert!(headers.get("content-encoding").is_none(), "{headers:?}");
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(headers["x-accel-buffering"], "no");
    for n in 0..3 {
        let id = publish(&hub, "c", &format!("event {n}")).await;
        let event = stream.event().await;
        assert_eq!(
            (event.data(), event.last_event_id()),
            (&*format!("event {n}"), &*id)
        );
        if n == 0 {
            // Past the request timeout: the response was made, the body
            // goes on.
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
    }
}

/// hyper keeps a response's header map, emptied, for the connection's
/// next response: every open stream holds its capacity, so the response
/// asks for room for its own headers only (not the six-entry default).
#[test]
fn the_response_header_map_has_room_for_its_headers_only() {
    let body = sse_wire_server::EventBody::new(futures_util::stream::empty::<bytes::Bytes>());
    let response = sse_wire_server::response(body);
    let headers = response.headers();
    assert_eq!(headers.len(), sse_wire::headers::RESPONSE_HEADERS.len());
    assert!(headers.capacity() < 6, "{}", headers.capacity());
}

/// S4: behind an idle timeout on the response body (tower-http's
/// `ResponseBodyTimeoutLayer`, 300 ms), heartbeats every 100 ms keep a
/// stream alive through a 1 s gap between events; the same stack without
/// heartbeats cuts the stream in that gap (the timeout is real).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s4_heartbeats_keep_a_stream_alive_through_an_idle_timeout() {
    use tower_http::timeout::ResponseBodyTimeoutLayer;
    async fn run(heartbeat: Option<Duration>) -> Result<usize, String> {
        let hub = Hub::new();
        let router = App::new(hub.clone())
            .heartbeat(heartbeat)
            .router()
            .layer(ResponseBodyTimeoutLayer::new(Duration::from_millis(300)));
        let server = Server::start(router).await;
        let mut stream = SseStream::open(reqwest::Client::new().get(server.url("/events"))).await;
        publish(&hub, "t", "1").await;
        assert_eq!(stream.event().await.data(), "1");
        let gap = tokio::time::Instant::now() + Duration::from_secs(1);
        let mut publisher = JoinSet::new();
        let publishing = hub.clone();
        publisher.spawn(async move {
            tokio::time::sleep_until(gap).await;
            publish(&publishing, "t", "2").await;
        });
        let mut heartbeats = 0;
        loop {
            match stream.next().await {
                Next::Item(OwnedItem::Comment(c)) if c.is_empty() => heartbeats += 1,
                Next::Item(OwnedItem::Event(event)) => {
                    assert_eq!(event.data(), "2");
                    assert!(tokio::time::Instant::now() >= gap);
                    return Ok(heartbeats);
                }
                Next::End => return Err("ended".into()),
                Next::Failed(e) => return Err(e),
                Next::Item(other) => panic!("{other:?}"),
            }
        }
    }
    let (with, without) = tokio::join!(run(Some(Duration::from_millis(100))), run(None));
    let heartbeats = with.expect("heartbeats keep the stream alive");
    assert!(heartbeats >= 5, "{heartbeats} heartbeats in a second");
    assert!(without.is_err(), "without heartbeats the idle timeout cuts");
}

/// Disconnects: clients killed (reqwest responses dropped, raw sockets
/// closed), with nothing published and no heartbeat, free their
/// subscriptions (`clients` back to 0) and run the `on_close` hook, each
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_clients_free_their_subscriptions_and_run_on_close() {
    let hub = Hub::new();
    let app = App::new(hub.clone());
    let closed = app.closed.clone();
    let server = Server::start(app.router()).await;
    let http = reqwest::Client::new();
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(SseStream::open(http.get(server.url("/events?topics=d"))).await);
    }
    let mut raws = Vec::new();
    for _ in 0..3 {
        let mut raw = Raw::send(server.addr, &get_request("/events?topics=d,e", b"")).await;
        assert_eq!(raw.head().await.0, 200);
        raws.push(raw);
    }
    assert_eq!((hub.clients("d"), hub.clients("e")), (6, 3));
    assert_eq!(hub.metrics().clients, 6);

    drop(streams);
    drop(raws);
    let freed = until(|| hub.clients("d") == 0 && hub.clients("e") == 0).await;
    assert!(freed, "{} still subscribed", hub.clients("d"));
    assert!(until(|| closed.load(Ordering::SeqCst) == 6).await);
    assert_eq!(hub.metrics().clients, 0);

    // Killed mid-stream, through a proxy cut, after events flowed.
    let proxy = Proxy::start(server.addr).await;
    let mut stream = SseStream::open(http.get(proxy.url("/events?topics=d"))).await;
    publish(&hub, "d", "x").await;
    assert_eq!(stream.event().await.data(), "x");
    assert_eq!(proxy.cut(), 1);
    assert!(until(|| hub.clients("d") == 0).await);
    assert!(until(|| closed.load(Ordering::SeqCst) == 7).await);
}

/// Graceful shutdown: `axum::serve` with `with_graceful_shutdown`, then
/// `Hub::shutdown` with a final event: every connected client gets the
/// final event after what was published, then the clean end of its
/// stream, and the serve future completes (every connection done).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_sends_the_final_event_and_serve_completes() {
    let hub = Hub::new();
    let app = App::new(hub.clone()).heartbeat(Some(Duration::from_millis(50)));
    let closed = app.closed.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut serving = JoinSet::new();
    serving.spawn(async move {
        axum::serve(listener, app.router())
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    let http = reqwest::Client::new();
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(SseStream::open(http.get(format!("http://{addr}/events?topics=t,u"))).await);
    }
    let id = publish(&hub, "t", "last news").await;
    stop.send(()).unwrap();
    hub.shutdown(Some(
        Event::new()
            .event_type(EventType::from_static("bye"))
            .data("server going away"),
    ));
    for stream in &mut streams {
        let news = stream.event().await;
        assert_eq!((news.data(), news.last_event_id()), ("last news", &*id));
        let bye = stream.event().await;
        assert_eq!((bye.event_type(), bye.data()), ("bye", "server going away"));
        loop {
            match stream.next().await {
                Next::End => break,
                Next::Item(OwnedItem::Comment(_)) => {}
                other => panic!("expected the end, got {other:?}"),
            }
        }
    }
    let served = timeout(Duration::from_secs(5), serving.join_next())
        .await
        .expect("serve completes")
        .unwrap()
        .unwrap();
    served.unwrap();
    assert_eq!(closed.load(Ordering::SeqCst), 3);
    assert_eq!(hub.metrics().clients, 0);
    assert!(hub.publish("t", Event::new().data("late")).await.is_err());
}

// Regressions: bugs found in the crate's src by the tests above' author,
// each stated as what the docs promise.

/// `HubConfig::write_timeout`: "a subscriber that has events queued and
/// takes none for this long is slow". A healthy client on a topic that
/// was quiet for longer than the write timeout is disconnected when two
/// events are published back to back: the queue's `last_taken` is the
/// time of the last take (or of subscribing), not the time the queue
/// last became non-empty.
// One thread: the connection's task cannot take the first event before
// the second is published, as on a busy server.
#[tokio::test(flavor = "current_thread")]
async fn a_quiet_topic_does_not_make_a_healthy_client_slow() {
    let hub = Hub::with_history(
        HubConfig::new().write_timeout(Duration::from_millis(200)),
        MemoryHistory::new(),
    );
    let server = Server::start(App::new(hub.clone()).router()).await;
    let mut stream = SseStream::open(reqwest::Client::new().get(server.url("/events"))).await;
    // Quiet for longer than the write timeout: the test is about time.
    tokio::time::sleep(Duration::from_millis(300)).await;
    publish(&hub, "t", "a").await;
    publish(&hub, "t", "b").await;
    assert_eq!(hub.metrics().slow_disconnects, 0, "{:?}", hub.metrics());
    assert_eq!(stream.event().await.data(), "a");
    assert_eq!(stream.event().await.data(), "b");
}

/// `HubConfig::queue_bytes` bounds what a subscriber may have queued; an
/// event larger than it still goes into an empty queue, alone (it used to
/// disconnect every subscriber, fast ones included).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_larger_than_queue_bytes_still_reaches_an_empty_queue() {
    let hub = Hub::with_history(HubConfig::new().queue_bytes(64 << 10), MemoryHistory::new());
    let server = Server::start(App::new(hub.clone()).router()).await;
    let mut stream = SseStream::open(reqwest::Client::new().get(server.url("/events"))).await;
    let big = "x".repeat(200 << 10);
    publish(&hub, "t", &big).await;
    assert_eq!(hub.metrics().slow_disconnects, 0, "{:?}", hub.metrics());
    assert_eq!(stream.event().await.data().len(), big.len());
}

/// `Metrics::resets`: "reset events sent: an unknown last event ID, or a
/// dropped event". The reset a `SlowClient::DropAndReset` subscriber gets
/// is not counted (`Subscription::poll_next` sends it without
/// `Counters::reset`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resets_for_dropped_events_are_counted() {
    let hub = Hub::with_history(
        HubConfig::new()
            .queue_events(1)
            .slow_client(SlowClient::DropAndReset),
        MemoryHistory::new(),
    );
    let mut subscription = hub.subscribe(&["t"], None).await.unwrap();
    publish(&hub, "t", "1").await;
    publish(&hub, "t", "2").await; // the queue is full: dropped
    let reset = timeout(WAIT, subscription.next()).await.unwrap().unwrap();
    assert!(reset.starts_with(b"event: reset\n"), "{reset:?}");
    assert_eq!(hub.metrics().dropped, 2);
    assert_eq!(hub.metrics().resets, 1, "{:?}", hub.metrics());
}
