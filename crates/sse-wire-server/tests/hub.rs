//! The hub and the body without a network: encoding once, IDs, replay
//! without gap or duplicate, reset events, slow subscribers, shutdown,
//! heartbeats on tokio's paused clock.

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::BodyExt;
use sse_wire::decode::{OwnedEvent, OwnedItem, PushDecoder};
use sse_wire::encode::{Event, EventType};
use sse_wire_server::{EventBody, Hub, HubConfig, MemoryHistory, SlowClient, Subscription};
use std::time::Duration;

/// Decodes what a subscription yielded so far (without waiting).
fn drain(subscription: &mut Subscription) -> Vec<(String, String, String)> {
    let mut decoder = PushDecoder::new();
    let waker = futures_util::task::noop_waker();
    let mut cx = std::task::Context::from_waker(&waker);
    let mut out = Vec::new();
    while let std::task::Poll::Ready(Some(bytes)) = subscription.poll_next_unpin(&mut cx) {
        decoder.push(&bytes);
        while let Some(item) = decoder.next_item() {
            if let OwnedItem::Event(e) = item.unwrap().into_owned() {
                out.push((
                    e.event_type().to_owned(),
                    e.data().to_owned(),
                    e.last_event_id().to_owned(),
                ));
            }
        }
    }
    out
}

/// Reads the events of `sub` as they come, 10 s at most for each item,
/// until `done` says it has them all.
async fn read_until(
    sub: &mut Subscription,
    mut done: impl FnMut(&[OwnedEvent]) -> bool,
) -> Vec<OwnedEvent> {
    let mut decoder = PushDecoder::new();
    let mut events = Vec::new();
    while !done(&events) {
        let bytes = tokio::time::timeout(Duration::from_secs(10), sub.next())
            .await
            .expect("events keep coming")
            .unwrap();
        decoder.push(&bytes);
        while let Some(item) = decoder.next_item() {
            if let OwnedItem::Event(e) = item.unwrap().into_owned() {
                events.push(e);
            }
        }
    }
    events
}

fn data(events: &[(String, String, String)]) -> Vec<&str> {
    events.iter().map(|(_, d, _)| d.as_str()).collect()
}

#[tokio::test]
async fn publish_encodes_once_and_every_subscriber_gets_the_same_bytes() {
    let hub = Hub::new();
    let mut subs = Vec::new();
    for _ in 0..3 {
        subs.push(hub.subscribe(&["t"], None).await.unwrap());
    }
    let published = hub.publish("t", Event::new().data("x")).await.unwrap();
    assert_eq!(published.subscribers, 3);
    let mut pointers = Vec::new();
    for sub in &mut subs {
        let bytes: Bytes = sub.next().await.unwrap();
        pointers.push(bytes.as_ptr());
        assert_eq!(
            bytes,
            format!("event: t\nid: {}\ndata: x\n\n", published.id)
        );
    }
    // One allocation shared by all: the same bytes, not copies.
    assert!(pointers.windows(2).all(|w| w[0] == w[1]));
}

#[tokio::test]
async fn ids_increase_topics_route_and_a_given_event_type_is_kept() {
    let hub = Hub::new();
    let mut a = hub.subscribe(&["a"], None).await.unwrap();
    let mut both = hub.subscribe(&["a", "b"], None).await.unwrap();
    let first = hub.publish("a", Event::new().data("1")).await.unwrap();
    let second = hub
        .publish(
            "b",
            Event::new()
                .event_type(EventType::from_static("goal"))
                .data("2"),
        )
        .await
        .unwrap();
    let seq = |id: &str| id.rsplit_once('-').unwrap().1.parse::<u64>().unwrap();
    assert!(seq(&second.id) > seq(&first.id));
    assert_eq!(
        drain(&mut a),
        [("a".into(), "1".into(), first.id.to_string())]
    );
    assert_eq!(
        drain(&mut both),
        [
            ("a".into(), "1".into(), first.id.to_string()),
            ("goal".into(), "2".into(), second.id.to_string())
        ]
    );
    assert_eq!((hub.clients("a"), hub.clients("b")), (2, 1));
    drop(both);
    assert_eq!((hub.clients("a"), hub.clients("b")), (1, 0));
    assert!(hub
        .publish("bad\ntopic", Event::new().data("x"))
        .await
        .is_err());
}

#[tokio::test]
async fn s3_a_reconnection_replays_what_it_missed_then_goes_live() {
    let hub = Hub::new();
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            hub.publish("t", Event::new().data(&n.to_string()))
                .await
                .unwrap()
                .id,
        );
    }
    hub.publish("other", Event::new().data("not mine"))
        .await
        .unwrap();
    let mut sub = hub.subscribe(&["t"], Some(&ids[1])).await.unwrap();
    let live = hub.publish("t", Event::new().data("live")).await.unwrap();
    assert_eq!(data(&drain(&mut sub)), ["2", "3", "4", "live"]);
    // The latest ID: nothing to replay.
    let mut sub = hub.subscribe(&["t"], Some(&live.id)).await.unwrap();
    assert!(drain(&mut sub).is_empty());
    assert_eq!(hub.metrics().replays, 2);
}

#[tokio::test]
async fn an_unknown_id_gets_the_reset_event_with_the_latest_id() {
    let hub = Hub::with_history(HubConfig::new(), MemoryHistory::new().max_events(2));
    let mut ids = Vec::new();
    for n in 0..4 {
        ids.push(
            hub.publish("t", Event::new().data(&n.to_string()))
                .await
                .unwrap()
                .id,
        );
    }
    // Fell out of the history, made up, or from another hub (a restart).
    let other = Hub::new();
    let foreign = other.publish("t", Event::new().data("x")).await.unwrap().id;
    for id in [
        ids[0].to_string(),
        "999".into(),
        "\u{1F600}".into(),
        foreign.to_string(),
    ] {
        let mut sub = hub.subscribe(&["t"], Some(&id)).await.unwrap();
        hub.publish("t", Event::new().data("after")).await.unwrap();
        let events = drain(&mut sub);
        assert_eq!(events[0].0, "reset", "{id}");
        assert_eq!(events.len(), 2, "{id}: {events:?}");
        assert_eq!(events[1].1, "after");
    }
    assert_eq!(hub.metrics().resets, 4);
    // A hub that has published nothing resets the client's ID to empty.
    let fresh = Hub::new();
    let mut sub = fresh.subscribe(&["t"], Some("5")).await.unwrap();
    assert_eq!(
        drain(&mut sub),
        [(
            "reset".into(),
            "unknown last event ID".into(),
            String::new()
        )]
    );
}

/// Publishing races subscribing with a last event ID: every subscriber
/// ends with exactly the ids after its own, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_gap_and_no_duplicate_when_publishing_races_the_replay() {
    let hub = Hub::with_history(
        HubConfig::new().queue_events(10_000),
        MemoryHistory::new().max_events(10_000),
    );
    let mut ids = Vec::new();
    for n in 0..100 {
        ids.push(
            hub.publish("t", Event::new().data(&n.to_string()))
                .await
                .unwrap()
                .id,
        );
    }
    let publisher = {
        let hub = hub.clone();
        tokio::spawn(async move {
            for n in 100..1100 {
                hub.publish("t", Event::new().data(&n.to_string()))
                    .await
                    .unwrap();
                if n % 10 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        })
    };
    let mut subscribers = Vec::new();
    for (k, id) in ids.iter().enumerate() {
        let hub = hub.clone();
        let id = id.clone();
        subscribers.push(tokio::spawn(async move {
            let mut sub = hub.subscribe(&["t"], Some(&id)).await.unwrap();
            let events =
                read_until(&mut sub, |e| e.last().is_some_and(|e| e.data() == "1099")).await;
            let got: Vec<u64> = events.iter().map(|e| e.data().parse().unwrap()).collect();
            assert_eq!(got, (k as u64 + 1..1100).collect::<Vec<_>>());
        }));
    }
    publisher.await.unwrap();
    for s in subscribers {
        s.await.unwrap();
    }
}

#[tokio::test]
async fn a_slow_subscriber_is_disconnected_others_get_everything_memory_stays_bounded() {
    let hub = Hub::with_history(HubConfig::new().queue_events(100), MemoryHistory::new());
    let slow = hub.subscribe(&["t"], None).await.unwrap();
    let mut fast = hub.subscribe(&["t"], None).await.unwrap();
    let mut seen = 0;
    for n in 0..10_000 {
        hub.publish("t", Event::new().data(&n.to_string()))
            .await
            .unwrap();
        seen += drain(&mut fast).len();
    }
    assert_eq!(seen, 10_000);
    let m = hub.metrics();
    assert_eq!(m.slow_disconnects, 1);
    // The queue held at most 100 events; 101 were dropped when it filled.
    assert_eq!(m.dropped, 101);
    let mut slow = slow;
    assert!(drain(&mut slow).is_empty());
    assert_eq!(slow.next().await, None);
}

#[tokio::test]
async fn drop_and_reset_sends_the_reset_with_the_last_dropped_id() {
    let hub = Hub::with_history(
        HubConfig::new()
            .queue_events(3)
            .slow_client(SlowClient::DropAndReset),
        MemoryHistory::new(),
    );
    let mut sub = hub.subscribe(&["t"], None).await.unwrap();
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            hub.publish("t", Event::new().data(&n.to_string()))
                .await
                .unwrap()
                .id,
        );
    }
    let events = drain(&mut sub);
    // 0, 1, 2 queued; 3 overflowed: all four dropped, reset at 3's ID;
    // then 4.
    assert_eq!(events[0].0, "reset");
    assert_eq!(events[0].2, ids[3].to_string());
    assert_eq!(data(&events[1..]), ["4"]);
    assert_eq!(hub.metrics().dropped, 4);
}

#[tokio::test(start_paused = true)]
async fn a_subscriber_that_reads_nothing_for_the_write_timeout_is_slow() {
    let hub = Hub::with_history(
        HubConfig::new().write_timeout(Duration::from_secs(5)),
        MemoryHistory::new(),
    );
    let mut sub = hub.subscribe(&["t"], None).await.unwrap();
    hub.publish("t", Event::new().data("a")).await.unwrap();
    tokio::time::advance(Duration::from_secs(6)).await;
    hub.publish("t", Event::new().data("b")).await.unwrap();
    assert_eq!(hub.metrics().slow_disconnects, 1);
    assert_eq!(sub.next().await, None);
    // One that keeps reading is never slow, however long it lives.
    let mut sub = hub.subscribe(&["t"], None).await.unwrap();
    for _ in 0..10 {
        hub.publish("t", Event::new().data("c")).await.unwrap();
        tokio::time::advance(Duration::from_secs(6)).await;
        assert!(sub.next().await.is_some());
    }
    assert_eq!(hub.metrics().slow_disconnects, 1);
}

#[tokio::test]
async fn shutdown_sends_the_last_event_and_ends_every_stream() {
    let hub = Hub::new();
    let mut sub = hub.subscribe(&["t"], None).await.unwrap();
    hub.publish("t", Event::new().data("1")).await.unwrap();
    hub.shutdown(Some(
        Event::new()
            .event_type(EventType::from_static("bye"))
            .data(""),
    ));
    let events = drain(&mut sub);
    assert_eq!(
        events.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["t", "bye"]
    );
    assert_eq!(sub.next().await, None);
    assert!(hub.publish("t", Event::new().data("late")).await.is_err());
    // A subscription after shutdown is refused (a 503 through axum).
    assert!(matches!(
        hub.subscribe(&["t"], None).await,
        Err(sse_wire_server::HubError::ShutDown)
    ));
    drop(sub);
    assert_eq!(hub.metrics().clients, 0);
}

#[tokio::test(start_paused = true)]
async fn s4_s5_padding_first_then_heartbeats_only_when_idle() {
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(8);
    let events =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) });
    let closed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = closed.clone();
    let mut body = Box::pin(
        EventBody::new(events)
            .padding(true)
            .retry(Duration::from_millis(100))
            .heartbeat(Some(Duration::from_secs(15)))
            .on_close(move || flag.store(true, std::sync::atomic::Ordering::SeqCst)),
    );
    let frame = |f: http_body::Frame<Bytes>| f.into_data().unwrap();
    let padding = frame(body.frame().await.unwrap().unwrap());
    assert_eq!(padding.len(), 2050);
    assert!(padding.starts_with(b":") && padding.ends_with(b"\n"));
    // F4: the reconnection time, once, right after the padding.
    assert_eq!(
        frame(body.frame().await.unwrap().unwrap()),
        "retry: 100\n\n"
    );
    // 14 s of silence: nothing; at 15 s a heartbeat.
    let start = tokio::time::Instant::now();
    assert_eq!(frame(body.frame().await.unwrap().unwrap()), ":\n");
    assert_eq!(start.elapsed(), Duration::from_secs(15));
    // An event 10 s later restarts the timer: the next heartbeat is 15 s
    // after it, not 5.
    let sender = tokio::spawn({
        let tx = tx.clone();
        async move {
            tokio::time::sleep(Duration::from_secs(10)).await;
            tx.send(Bytes::from_static(b"data: x\n\n")).await.unwrap();
        }
    });
    assert_eq!(frame(body.frame().await.unwrap().unwrap()), "data: x\n\n");
    let at = tokio::time::Instant::now();
    assert_eq!(frame(body.frame().await.unwrap().unwrap()), ":\n");
    assert_eq!(at.elapsed(), Duration::from_secs(15));
    sender.await.unwrap();
    drop(tx);
    assert!(body.frame().await.is_none());
    assert!(!closed.load(std::sync::atomic::Ordering::SeqCst));
    drop(body);
    assert!(closed.load(std::sync::atomic::Ordering::SeqCst));
}

/// The README's server is `examples/readme.rs`, word for word, so that the
/// README shows code that compiles (CI builds the examples).
#[test]
fn the_readme_server_is_the_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/readme.rs")).unwrap();
    let block = format!("```rust,ignore\n{example}```");
    assert!(
        readme.contains(&block),
        "README.md must show examples/readme.rs as it is"
    );
}

/// Events already waiting leave in one frame (one write), whole: a client
/// that fell behind catches up in one go, and nothing is split.
#[tokio::test]
async fn events_waiting_together_leave_in_one_frame() {
    use http_body::Body as _;
    let hub = Hub::new();
    let subscription = hub.subscribe(&["t"], None).await.unwrap();
    let mut body = Box::pin(EventBody::new(subscription).heartbeat(None));
    let mut sent = String::new();
    for n in 0..3 {
        let id = hub
            .publish("t", Event::new().data(&n.to_string()))
            .await
            .unwrap()
            .id;
        sent.push_str(&format!("event: t\nid: {id}\ndata: {n}\n\n"));
    }
    let frame = body.frame().await.unwrap().unwrap().into_data().unwrap();
    assert_eq!(frame, sent);
    // A stream that ends while its last events are joined ends after them.
    let events = futures_util::stream::iter([
        Bytes::from_static(b"data: 1\n\n"),
        Bytes::from_static(b"data: 2\n\n"),
    ]);
    let mut body = Box::pin(EventBody::new(events).heartbeat(None));
    let frame = body.frame().await.unwrap().unwrap().into_data().unwrap();
    assert_eq!(frame, "data: 1\n\ndata: 2\n\n");
    assert!(body.is_end_stream());
    assert!(body.frame().await.is_none());
}

/// A history trimmed by age during a quiet spell still knows its newest
/// ID: a client that has it missed nothing and gets no reset.
#[tokio::test(start_paused = true)]
async fn the_newest_id_needs_no_reset_after_the_history_trimmed_it() {
    let hub = Hub::with_history(
        HubConfig::new(),
        MemoryHistory::new().max_age(Some(Duration::from_secs(60))),
    );
    let id = hub.publish("t", Event::new().data("a")).await.unwrap().id;
    tokio::time::advance(Duration::from_secs(120)).await;
    let mut sub = hub.subscribe(&["t"], Some(&id)).await.unwrap();
    hub.publish("t", Event::new().data("b")).await.unwrap();
    assert_eq!(data(&drain(&mut sub)), ["b"]);
    assert_eq!(hub.metrics().resets, 0);
}

/// Extreme heartbeats are no panic and no busy loop: zero sends none, and
/// `Duration::MAX` means never.
#[tokio::test(start_paused = true)]
async fn a_zero_or_huge_heartbeat_is_harmless() {
    for every in [Duration::ZERO, Duration::MAX] {
        let events = futures_util::stream::iter([Bytes::from_static(b"data: x\n\n")])
            .chain(futures_util::stream::pending());
        let mut body = Box::pin(EventBody::new(events).heartbeat(Some(every)));
        assert_eq!(
            body.frame().await.unwrap().unwrap().into_data().unwrap(),
            "data: x\n\n"
        );
        let next = tokio::time::timeout(Duration::from_secs(3600), body.frame()).await;
        assert!(next.is_err(), "{every:?}: nothing in an hour");
    }
}

/// The sequence number in an ID (`<epoch>-<seq>`).
fn seq_of(id: &str) -> u64 {
    id.rsplit_once('-').unwrap().1.parse().unwrap()
}

/// S6: a subscriber of several topics gets their events in the hub's
/// order, every one once, while three publishers race on two threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s6_several_topics_keep_the_hubs_order_while_publishers_race() {
    let hub = Hub::with_history(HubConfig::new().queue_events(10_000), MemoryHistory::new());
    let mut sub = hub.subscribe(&["a", "b", "c"], None).await.unwrap();
    let backlog = hub.clone();
    let reader = tokio::spawn(async move {
        // Starts once 2,000 events wait, about 90 KB in each topic: more
        // than a topic's 64 KiB share of an item, so that one fills it
        // and what the others gave after it waits.
        let start = std::time::Instant::now();
        while backlog.metrics().published < 2_000 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "publishing stalled"
            );
            tokio::task::yield_now().await;
        }
        let events = read_until(&mut sub, |e| e.len() >= 3_000).await;
        events
            .iter()
            .map(|e| (e.event_type().to_owned(), seq_of(e.last_event_id())))
            .collect::<Vec<_>>()
    });
    let publishers: Vec<_> = ["a", "b", "c"]
        .into_iter()
        .map(|topic| {
            let hub = hub.clone();
            tokio::spawn(async move {
                for n in 0..1_000 {
                    // 100 bytes: a topic's backlog outgrows 64 KiB.
                    hub.publish(topic, Event::new().data(&format!("{n:0>100}")))
                        .await
                        .unwrap();
                    if n % 7 == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    for p in publishers {
        p.await.unwrap();
    }
    let got = reader.await.unwrap();
    let seqs: Vec<u64> = got.iter().map(|(_, s)| *s).collect();
    let wrong = seqs.iter().zip(1..).position(|(got, want)| *got != want);
    assert!(
        seqs.len() == 3_000 && wrong.is_none(),
        "every event once, in order: {} events, at {wrong:?}: {:?}",
        seqs.len(),
        wrong.map(|at| &seqs[at.saturating_sub(3)..(at + 3).min(seqs.len())])
    );
    for topic in ["a", "b", "c"] {
        assert_eq!(got.iter().filter(|(t, _)| t == topic).count(), 1_000);
    }
    assert_eq!(hub.metrics().dropped, 0);
}

/// A subscriber too slow in one of its topics leaves all of them at once,
/// and what it had not read in the others counts as dropped.
#[tokio::test]
async fn too_slow_in_one_topic_leaves_every_topic() {
    let hub = Hub::with_history(HubConfig::new().queue_events(10), MemoryHistory::new());
    let mut slow = hub.subscribe(&["a", "b"], None).await.unwrap();
    let mut fast = hub.subscribe(&["a"], None).await.unwrap();
    hub.publish("b", Event::new().data("b")).await.unwrap();
    for n in 0..11 {
        hub.publish("a", Event::new().data(&n.to_string()))
            .await
            .unwrap();
        assert_eq!(drain(&mut fast).len(), 1);
    }
    assert_eq!((hub.clients("a"), hub.clients("b")), (1, 0));
    let m = hub.metrics();
    assert_eq!((m.slow_disconnects, m.clients), (1, 1), "{m:?}");
    // 11 in `a` and the one in `b`.
    assert_eq!(m.dropped, 12, "{m:?}");
    assert!(drain(&mut slow).is_empty());
    assert_eq!(slow.next().await, None);
    drop(slow);
    assert_eq!(hub.metrics().clients, 1);
}

/// Under DropAndReset, a reset in one topic covers the events of the
/// others up to it: none older than the reset comes after it.
#[tokio::test]
async fn a_reset_in_one_topic_covers_the_others_up_to_it() {
    let hub = Hub::with_history(
        HubConfig::new()
            .queue_events(3)
            .slow_client(SlowClient::DropAndReset),
        MemoryHistory::new(),
    );
    let mut sub = hub.subscribe(&["a", "b"], None).await.unwrap();
    hub.publish("b", Event::new().data("b1")).await.unwrap();
    let mut ids = Vec::new();
    for n in 1..=4 {
        ids.push(
            hub.publish("a", Event::new().data(&format!("a{n}")))
                .await
                .unwrap()
                .id,
        );
    }
    // After the reset: a5 then b2, which the next read must keep in
    // order although the reset is found in `a` before a5 is read there.
    hub.publish("a", Event::new().data("a5")).await.unwrap();
    hub.publish("b", Event::new().data("b2")).await.unwrap();
    let events = drain(&mut sub);
    assert_eq!(events[0].0, "reset");
    assert_eq!(events[0].2, ids[3].to_string(), "the last dropped, a4");
    assert_eq!(data(&events[1..]), ["a5", "b2"]);
    // a1 to a4, and b1 (older than the reset).
    assert_eq!(hub.metrics().dropped, 5);
    assert_eq!(hub.metrics().resets, 1);
}

/// A history whose next `append` waits until it is let go: a database
/// that is slow to answer.
struct SlowHistory {
    inner: MemoryHistory,
    gate: std::sync::Mutex<Option<tokio::sync::oneshot::Receiver<()>>>,
    appending: tokio::sync::Notify,
}

impl SlowHistory {
    /// With `gate`, the next `append` waits until it is let go.
    fn new(gate: Option<tokio::sync::oneshot::Receiver<()>>) -> Self {
        SlowHistory {
            inner: MemoryHistory::new(),
            gate: std::sync::Mutex::new(gate),
            appending: tokio::sync::Notify::new(),
        }
    }
}

impl sse_wire_server::History for SlowHistory {
    async fn append(
        &self,
        event: sse_wire_server::Stored,
    ) -> Result<(), sse_wire_server::HistoryError> {
        let gate = self.gate.lock().unwrap().take();
        if let Some(gate) = gate {
            self.appending.notify_one();
            gate.await.unwrap();
        }
        self.inner.append(event).await
    }

    async fn after(
        &self,
        topics: &[std::sync::Arc<str>],
        id: &str,
    ) -> Result<sse_wire_server::Replay, sse_wire_server::HistoryError> {
        self.inner.after(topics, id).await
    }
}

/// S3: a client reconnecting to a topic nobody else reads, while an event
/// for it is being stored, gets it: from the history if the history had
/// it when the client asked, live otherwise. (The hub once looked the
/// topic up before storing the event, found no subscriber, and the event
/// reached neither.)
#[tokio::test]
async fn s3_an_event_being_stored_when_a_client_reconnects_is_not_lost() {
    let (open, gate) = tokio::sync::oneshot::channel();
    let hub = Hub::with_history(HubConfig::new(), SlowHistory::new(None));
    let first = hub.publish("t", Event::new().data("1")).await.unwrap();
    *hub.history().gate.lock().unwrap() = Some(gate);
    let publishing = tokio::spawn({
        let hub = hub.clone();
        async move { hub.publish("t", Event::new().data("2")).await.unwrap() }
    });
    // The publish is storing its event; the client comes back now.
    tokio::time::timeout(Duration::from_secs(5), hub.history().appending.notified())
        .await
        .expect("the publish reaches the history");
    let mut sub = hub.subscribe(&["t"], Some(&first.id)).await.unwrap();
    assert!(
        drain(&mut sub).is_empty(),
        "not stored yet: nothing to replay"
    );
    open.send(()).unwrap();
    let second = publishing.await.unwrap();
    assert_eq!(second.subscribers, 1);
    let events = drain(&mut sub);
    assert_eq!(data(&events), ["2"]);
    assert_eq!(events[0].2, second.id.to_string());
}

/// An event published as the hub shuts down (its publish was storing it
/// when the shutdown came) reaches none of the readers, which end, and is
/// counted dropped for each of them, not lost without a count.
#[tokio::test]
async fn an_event_published_as_the_hub_shuts_down_is_counted_dropped() {
    let (open, gate) = tokio::sync::oneshot::channel();
    let hub = Hub::with_history(HubConfig::new(), SlowHistory::new(Some(gate)));
    let mut subs = vec![
        hub.subscribe(&["t"], None).await.unwrap(),
        hub.subscribe(&["t"], None).await.unwrap(),
    ];
    let publishing = tokio::spawn({
        let hub = hub.clone();
        async move { hub.publish("t", Event::new().data("late")).await }
    });
    tokio::time::timeout(Duration::from_secs(5), hub.history().appending.notified())
        .await
        .expect("the publish reaches the history");
    hub.shutdown(None);
    open.send(()).unwrap();
    let published = publishing.await.unwrap().unwrap();
    assert_eq!(published.subscribers, 0);
    for sub in &mut subs {
        assert!(drain(sub).is_empty());
        let end = tokio::time::timeout(Duration::from_secs(5), sub.next()).await;
        assert_eq!(end, Ok(None), "the stream ends");
    }
    let metrics = hub.metrics();
    assert_eq!(metrics.published, 1);
    assert_eq!(metrics.delivered, 0);
    assert_eq!(metrics.dropped, 2);
}

/// A subscription names a topic at least once: none is refused, twice is
/// once.
#[tokio::test]
async fn no_topic_is_refused_and_a_repeated_topic_counts_once() {
    let hub = Hub::new();
    assert!(matches!(
        hub.subscribe(&[], None).await,
        Err(sse_wire_server::HubError::NoTopics)
    ));
    assert_eq!(hub.metrics().clients, 0);
    let mut sub = hub.subscribe(&["a", "a"], None).await.unwrap();
    assert_eq!((hub.clients("a"), hub.metrics().clients), (1, 1));
    hub.publish("a", Event::new().data("x")).await.unwrap();
    assert_eq!(data(&drain(&mut sub)), ["x"]);
    drop(sub);
    assert_eq!((hub.clients("a"), hub.metrics().clients), (0, 0));
}

/// Subscribers that wait and go away leave no waker behind on a quiet
/// topic: each would keep its connection's task alive.
#[tokio::test]
async fn waiting_subscribers_that_leave_keep_no_waker() {
    struct Counted;
    impl std::task::Wake for Counted {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let hub = Hub::new();
    let _reader = hub.subscribe(&["t"], None).await.unwrap();
    let counted = std::sync::Arc::new(Counted);
    let waker = std::task::Waker::from(counted.clone());
    let mut cx = std::task::Context::from_waker(&waker);
    for _ in 0..100 {
        let mut sub = hub.subscribe(&["t"], None).await.unwrap();
        assert!(sub.poll_next_unpin(&mut cx).is_pending());
        drop(sub);
    }
    // Ours and the `waker` above.
    assert_eq!(std::sync::Arc::strong_count(&counted), 2);
    // One still waiting keeps its one.
    let mut sub = hub.subscribe(&["t"], None).await.unwrap();
    assert!(sub.poll_next_unpin(&mut cx).is_pending());
    assert!(sub.poll_next_unpin(&mut cx).is_pending());
    assert_eq!(std::sync::Arc::strong_count(&counted), 3);
    hub.publish("t", Event::new().data("x")).await.unwrap();
    assert_eq!(
        std::sync::Arc::strong_count(&counted),
        2,
        "woken and let go"
    );
}

/// A subscriber of two topics whose connection goes away at the moment a
/// publish finds it too slow in one (between leaving that topic and the
/// other) is counted gone once. The other subscriber's waker, which the
/// publish calls there, drops it.
#[tokio::test]
async fn a_subscriber_of_two_topics_dropped_while_found_slow_is_counted_once() {
    struct DropOnWake(std::sync::Mutex<Option<Subscription>>);
    impl std::task::Wake for DropOnWake {
        fn wake(self: std::sync::Arc<Self>) {
            let slow = self.0.lock().unwrap().take();
            drop(slow);
        }
    }
    let hub = Hub::with_history(HubConfig::new().queue_events(1), MemoryHistory::new());
    let slow = hub.subscribe(&["t", "u"], None).await.unwrap();
    let mut other = hub.subscribe(&["t"], None).await.unwrap();
    hub.publish("t", Event::new().data("1")).await.unwrap();
    let dropper = std::sync::Arc::new(DropOnWake(std::sync::Mutex::new(Some(slow))));
    let waker = std::task::Waker::from(dropper.clone());
    let mut cx = std::task::Context::from_waker(&waker);
    assert!(other.poll_next_unpin(&mut cx).is_ready());
    assert!(other.poll_next_unpin(&mut cx).is_pending());
    hub.publish("t", Event::new().data("2")).await.unwrap();
    assert!(dropper.0.lock().unwrap().is_none(), "dropped by the wake");
    let m = hub.metrics();
    assert_eq!((m.clients, m.slow_disconnects), (1, 1), "{m:?}");
    assert_eq!((hub.clients("t"), hub.clients("u")), (1, 0));
    drop(other);
    assert_eq!(hub.metrics().clients, 0);
}

/// A history in memory that outlives its hub, by `Arc` (kept across a
/// restart, or shared by two server instances), and whose append can be
/// made to store the event and then, once, never answer (a database that
/// committed but whose reply is lost).
struct Outliving {
    inner: std::sync::Arc<MemoryHistory>,
    hang: std::sync::atomic::AtomicBool,
}

impl Outliving {
    fn new(inner: std::sync::Arc<MemoryHistory>) -> Self {
        Outliving {
            inner,
            hang: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl sse_wire_server::History for Outliving {
    async fn append(
        &self,
        event: sse_wire_server::Stored,
    ) -> Result<(), sse_wire_server::HistoryError> {
        self.inner.append(event).await?;
        if self.hang.swap(false, std::sync::atomic::Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        Ok(())
    }

    async fn after(
        &self,
        topics: &[std::sync::Arc<str>],
        id: &str,
    ) -> Result<sse_wire_server::Replay, sse_wire_server::HistoryError> {
        self.inner.after(topics, id).await
    }
}

/// S3: a history kept from a hub before a restart replays that hub's
/// events, then every live event of the new hub follows. (Each hub counts
/// its events from 1; the hub once took the old hub's count for its own
/// and skipped its first live events without a word.)
#[tokio::test]
async fn s3_a_history_from_before_a_restart_replays_then_every_live_event_follows() {
    let store = std::sync::Arc::new(MemoryHistory::new());
    let before = Hub::with_history(HubConfig::new(), Outliving::new(store.clone()));
    let mut ids = Vec::new();
    for n in 0..5 {
        let data = n.to_string();
        ids.push(
            before
                .publish("t", Event::new().data(&data))
                .await
                .unwrap()
                .id,
        );
    }
    drop(before);
    let after = Hub::with_history(HubConfig::new(), Outliving::new(store));
    let mut sub = after.subscribe(&["t"], Some(&ids[1])).await.unwrap();
    after
        .publish("t", Event::new().data("live 1"))
        .await
        .unwrap();
    after
        .publish("t", Event::new().data("live 2"))
        .await
        .unwrap();
    let events = drain(&mut sub);
    assert_eq!(data(&events), ["2", "3", "4", "live 1", "live 2"]);
    // The new hub's IDs are its own.
    assert!(!ids.iter().any(|id| **id == *events[3].2));
}

/// A publish given up while the history stores its event (stored all the
/// same) does not give its number and ID to the next event: a client that
/// replays the stored one still gets the next live. (The number was once
/// taken only after the append, so the next event got the same ID and was
/// skipped as replayed.)
#[tokio::test(start_paused = true)]
async fn a_publish_given_up_while_stored_gives_no_id_twice() {
    let hub = Hub::with_history(
        HubConfig::new(),
        Outliving::new(std::sync::Arc::new(MemoryHistory::new())),
    );
    let first = hub.publish("t", Event::new().data("a")).await.unwrap();
    hub.history()
        .hang
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let given_up = tokio::time::timeout(
        Duration::from_secs(1),
        hub.publish("t", Event::new().data("b")),
    )
    .await;
    assert!(given_up.is_err(), "the append never answers");
    let mut sub = hub.subscribe(&["t"], Some(&first.id)).await.unwrap();
    let third = hub.publish("t", Event::new().data("c")).await.unwrap();
    let events = drain(&mut sub);
    assert_eq!(data(&events), ["b", "c"]);
    assert_ne!(events[0].2, events[1].2);
    assert_eq!(events[1].2, third.id.to_string());
}
