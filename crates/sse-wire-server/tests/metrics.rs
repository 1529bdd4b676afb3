//! The `metrics` feature: the hub reports its counters through the
//! `metrics` facade too (gauge `sse_clients`, counters
//! `sse_events_published_total`, `sse_events_delivered_total`,
//! `sse_events_dropped_total`, `sse_slow_disconnects_total`,
//! `sse_replays_total`, `sse_resets_total`), and they move exactly as
//! [`Hub::metrics`] does: subscribing, publishing, reading, unsubscribing,
//! slow subscribers (disconnected, or their events dropped with a reset),
//! replays (C2, C5, S3) and reset events (S3), shutdown.
//!
//! Each test installs metrics-util's debugging recorder as this thread's
//! local recorder and runs the hub on a current-thread runtime (tokio's
//! paused clock), so that every facade call of the code under test, made
//! on this thread, reaches that recorder.

#![cfg(feature = "metrics")]
#![forbid(unsafe_code)]

use futures_util::StreamExt;
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use metrics_util::MetricKind;
use sse_wire::decode::{OwnedItem, PushDecoder};
use sse_wire::encode::{Event, EventType};
use sse_wire_server::{Hub, HubConfig, MemoryHistory, Metrics, SlowClient, Subscription};
use std::collections::HashMap;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

const CLIENTS: &str = "sse_clients";
const PUBLISHED: &str = "sse_events_published_total";
const DELIVERED: &str = "sse_events_delivered_total";
const DROPPED: &str = "sse_events_dropped_total";
const SLOW_DISCONNECTS: &str = "sse_slow_disconnects_total";
const REPLAYS: &str = "sse_replays_total";
const RESETS: &str = "sse_resets_total";

/// What the debugging recorder holds, as [`Metrics`]. Its snapshots take
/// the values out (counters and gauges read 0 afterwards): the counters'
/// increments are summed here, and the gauge is set back to the value
/// read, so that it reads the same until the hub sets it again.
struct Facade {
    snapshotter: Snapshotter,
    counters: HashMap<&'static str, u64>,
    clients: f64,
}

impl Facade {
    fn new(recorder: &DebuggingRecorder) -> Facade {
        let counters = [
            PUBLISHED,
            DELIVERED,
            DROPPED,
            SLOW_DISCONNECTS,
            REPLAYS,
            RESETS,
        ];
        Facade {
            snapshotter: recorder.snapshotter(),
            counters: counters.into_iter().map(|name| (name, 0)).collect(),
            clients: 0.0,
        }
    }

    /// The facade's numbers now. Must run where the recorder is installed.
    fn read(&mut self) -> Metrics {
        for (key, _, _, value) in self.snapshotter.snapshot().into_vec() {
            let name = key.key().name();
            assert_eq!(key.key().labels().count(), 0, "{name} has no labels");
            match (key.kind(), value) {
                (MetricKind::Gauge, DebugValue::Gauge(value)) if name == CLIENTS => {
                    self.clients = value.into_inner();
                    metrics::gauge!(CLIENTS).set(self.clients);
                }
                (MetricKind::Counter, DebugValue::Counter(n)) => {
                    *self
                        .counters
                        .get_mut(name)
                        .unwrap_or_else(|| panic!("an unknown counter {name}")) += n;
                }
                (kind, value) => panic!("an unknown metric {name} ({kind:?}): {value:?}"),
            }
        }
        assert!(
            self.clients >= 0.0 && self.clients.fract() == 0.0,
            "{CLIENTS} = {}",
            self.clients
        );
        let mut metrics = Metrics::default();
        metrics.clients = self.clients as u64;
        metrics.published = self.counters[PUBLISHED];
        metrics.delivered = self.counters[DELIVERED];
        metrics.dropped = self.counters[DROPPED];
        metrics.slow_disconnects = self.counters[SLOW_DISCONNECTS];
        metrics.replays = self.counters[REPLAYS];
        metrics.resets = self.counters[RESETS];
        metrics
    }
}

/// How much each number moves in a step.
#[derive(Debug, Default, Clone, Copy)]
struct Moves {
    clients: i64,
    published: u64,
    delivered: u64,
    dropped: u64,
    slow_disconnects: u64,
    replays: u64,
    resets: u64,
}

/// Checks that the hub's numbers moved from `before` by `moves`, and that
/// the facade's are the same; returns them.
fn step(facade: &mut Facade, hub: &Hub, before: Metrics, moves: Moves, what: &str) -> Metrics {
    let mut expected = before;
    expected.clients = before
        .clients
        .checked_add_signed(moves.clients)
        .expect("a client count");
    expected.published += moves.published;
    expected.delivered += moves.delivered;
    expected.dropped += moves.dropped;
    expected.slow_disconnects += moves.slow_disconnects;
    expected.replays += moves.replays;
    expected.resets += moves.resets;
    let now = same(facade, hub, what);
    assert_eq!(now, expected, "{what}: the hub's numbers");
    now
}

/// Checks that the facade's numbers are the hub's; returns them.
fn same(facade: &mut Facade, hub: &Hub, what: &str) -> Metrics {
    let now = hub.metrics();
    assert_eq!(facade.read(), now, "{what}: the facade against the hub");
    now
}

/// `(type, data, id)` of an event.
type Received = (String, String, String);

/// Polls `subscription` (without waiting) until it is pending or ends;
/// returns the events it yielded and whether it ended.
fn drain(subscription: &mut Subscription) -> (Vec<Received>, bool) {
    let waker = futures_util::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut decoder = PushDecoder::new();
    let mut events = Vec::new();
    // Bounded: no test here queues this many.
    for _ in 0..10_000 {
        match subscription.poll_next_unpin(&mut cx) {
            Poll::Ready(Some(bytes)) => {
                decoder.push(&bytes);
                while let Some(item) = decoder.next_item() {
                    if let OwnedItem::Event(e) = item.unwrap().into_owned() {
                        events.push((
                            e.event_type().to_owned(),
                            e.data().to_owned(),
                            e.last_event_id().to_owned(),
                        ));
                    }
                }
            }
            Poll::Ready(None) => return (events, true),
            Poll::Pending => return (events, false),
        }
    }
    panic!("a subscription that never stops yielding");
}

fn ids(events: &[Received]) -> Vec<&str> {
    events.iter().map(|(_, _, id)| id.as_str()).collect()
}

/// A current-thread runtime on tokio's paused clock: the hub's code runs
/// on this thread, where the local recorder is.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
}

/// The facade and `Hub::metrics` through a hub's life under
/// `SlowClient::Disconnect`: subscribe, publish, read, a slow subscriber
/// disconnected (its queued events dropped), a replay (C2, C5, S3), a reset
/// for an unknown ID (S3), unsubscribing, a long replay counted in
/// batches, shutdown.
#[test]
fn s3_the_facade_moves_as_hub_metrics_through_subscribe_publish_slow_disconnect_replay_reset() {
    let recorder = DebuggingRecorder::new();
    let mut facade = Facade::new(&recorder);
    let _local = metrics::set_default_local_recorder(&recorder);
    runtime().block_on(async {
        let facade = &mut facade;
        let hub = Hub::with_history(HubConfig::new().queue_events(3), MemoryHistory::new());
        let mut now = step(
            facade,
            &hub,
            Metrics::default(),
            Moves::default(),
            "at first",
        );
        let publish = async |data: &str| -> Arc<str> {
            hub.publish("t", Event::new().data(data)).await.unwrap().id
        };

        let mut first = hub.subscribe(&["t"], None).await.unwrap();
        let moves = Moves {
            clients: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "subscribe");

        let mut published = vec![publish("1").await];
        let moves = Moves {
            published: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "publish, not read yet");
        let (got, ended) = drain(&mut first);
        assert_eq!((ids(&got), ended), (vec![&*published[0]], false));
        let moves = Moves {
            delivered: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "read");

        // A second subscriber that reads nothing: three events fill its
        // queue, the fourth disconnects it (the three and the fourth
        // dropped); the first subscriber reads each one.
        let mut slow = hub.subscribe(&["t"], None).await.unwrap();
        let moves = Moves {
            clients: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "a second subscriber");
        for n in 2..=4 {
            published.push(publish(&n.to_string()).await);
            assert_eq!(drain(&mut first).0.len(), 1);
        }
        let moves = Moves {
            published: 3,
            delivered: 3,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "three events, one reader");
        published.push(publish("5").await);
        assert_eq!(drain(&mut first).0.len(), 1);
        let moves = Moves {
            clients: -1,
            published: 1,
            delivered: 1,
            dropped: 4,
            slow_disconnects: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "the slow subscriber disconnected");
        assert_eq!(hub.clients("t"), 1);
        assert_eq!(drain(&mut slow), (vec![], true), "its stream ends");
        drop(slow);
        now = step(
            facade,
            &hub,
            now,
            Moves::default(),
            "dropping the disconnected subscription counts it no second time",
        );

        // A replay: from the second event's ID, the third to the fifth.
        let mut replayed = hub.subscribe(&["t"], Some(&published[1])).await.unwrap();
        let moves = Moves {
            clients: 1,
            replays: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "a replay");
        let (got, ended) = drain(&mut replayed);
        let want: Vec<&str> = published[2..].iter().map(|id| &**id).collect();
        assert_eq!((ids(&got), ended), (want, false));
        let moves = Moves {
            delivered: 3,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "the replay read");

        // An unknown ID: the reset event, with the latest ID.
        let mut reset = hub.subscribe(&["t"], Some("unknown")).await.unwrap();
        let moves = Moves {
            clients: 1,
            resets: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "a reset");
        let latest = published.last().unwrap().to_string();
        let want = ("reset".into(), "unknown last event ID".into(), latest);
        assert_eq!(drain(&mut reset), (vec![want], false));
        let moves = Moves {
            delivered: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "the reset event read");

        drop((first, replayed, reset));
        let moves = Moves {
            clients: -3,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "three unsubscribed");

        // A long replay, read in part: the hub's count grows in batches
        // while it is read (the facade with it), and gets the rest when the
        // subscription is dropped.
        let from = published.last().unwrap().clone();
        for n in 0..100 {
            publish(&format!("burst {n}")).await;
        }
        let moves = Moves {
            published: 100,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "100 events, no subscriber");
        let mut long = hub.subscribe(&["t"], Some(&from)).await.unwrap();
        let moves = Moves {
            clients: 1,
            replays: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "a long replay");
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        for n in 0..70 {
            assert!(
                matches!(long.poll_next_unpin(&mut cx), Poll::Ready(Some(_))),
                "replayed event {n}"
            );
            same(facade, &hub, &format!("{n} replayed events read"));
        }
        assert!(
            hub.metrics().delivered > now.delivered,
            "counted in batches"
        );
        drop(long);
        let moves = Moves {
            clients: -1,
            delivered: 70,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "70 read, then dropped");

        // Shutdown: the last event, then the end.
        let mut last = hub.subscribe(&["t"], None).await.unwrap();
        let moves = Moves {
            clients: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "a subscriber before shutdown");
        hub.shutdown(Some(
            Event::new()
                .event_type(EventType::from_static("bye"))
                .data("shutting down"),
        ));
        let (got, ended) = drain(&mut last);
        assert_eq!(got.len(), 1);
        assert!(ended);
        drop(last);
        let moves = Moves {
            delivered: 1,
            clients: -1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "shut down");
        assert!(hub.publish("t", Event::new().data("late")).await.is_err());
        assert!(hub.subscribe(&["t"], None).await.is_err());
        step(facade, &hub, now, Moves::default(), "after shutdown");
    });
}

/// The facade and `Hub::metrics` under `SlowClient::DropAndReset`: a full
/// queue drops its events, then a subscriber that takes nothing for the
/// write timeout (tokio's paused clock) does; each time the subscriber
/// stays, and gets the reset event with the last dropped ID (S3).
#[test]
fn s3_the_facade_moves_as_hub_metrics_when_events_are_dropped_with_a_reset() {
    let recorder = DebuggingRecorder::new();
    let mut facade = Facade::new(&recorder);
    let _local = metrics::set_default_local_recorder(&recorder);
    runtime().block_on(async {
        let facade = &mut facade;
        let hub = Hub::with_history(
            HubConfig::new()
                .queue_events(2)
                .write_timeout(Duration::from_secs(1))
                .slow_client(SlowClient::DropAndReset),
            MemoryHistory::new(),
        );
        let publish = async |data: &str| -> Arc<str> {
            hub.publish("t", Event::new().data(data)).await.unwrap().id
        };
        let dropped_reset = |id: &str| {
            (
                "reset".to_owned(),
                "events were dropped: this client was too slow".to_owned(),
                id.to_owned(),
            )
        };
        let mut subscriber = hub.subscribe(&["t"], None).await.unwrap();
        let moves = Moves {
            clients: 1,
            ..Moves::default()
        };
        let mut now = step(facade, &hub, Metrics::default(), moves, "subscribe");

        // A full queue: the two queued and the new one dropped.
        publish("1").await;
        publish("2").await;
        let third = publish("3").await;
        let moves = Moves {
            published: 3,
            dropped: 3,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "a full queue");
        assert_eq!(hub.clients("t"), 1, "the subscriber stays");
        assert_eq!(drain(&mut subscriber), (vec![dropped_reset(&third)], false));
        let moves = Moves {
            delivered: 1,
            resets: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "the reset event read");
        let fourth = publish("4").await;
        let (got, _) = drain(&mut subscriber);
        assert_eq!(ids(&got), [&*fourth]);
        let moves = Moves {
            published: 1,
            delivered: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "read again");

        // An event unread past the write timeout: it and the next dropped.
        publish("5").await;
        tokio::time::advance(Duration::from_millis(1500)).await;
        let sixth = publish("6").await;
        let moves = Moves {
            published: 2,
            dropped: 2,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "stalled past the write timeout");
        assert_eq!(drain(&mut subscriber), (vec![dropped_reset(&sixth)], false));
        let moves = Moves {
            delivered: 1,
            resets: 1,
            ..Moves::default()
        };
        now = step(facade, &hub, now, moves, "the second reset event read");
        drop(subscriber);
        let moves = Moves {
            clients: -1,
            ..Moves::default()
        };
        step(facade, &hub, now, moves, "unsubscribed");
    });
}

/// C5, `Hub::metrics`: a slow subscriber's subscription dropped (its client
/// gone) while a publish disconnects it counts one client gone, not two,
/// whichever comes first. The publish marks it slow and the drop reads the
/// mark under the topic's lock; 600 rounds of the two on two threads, each
/// checked, half of them with the slow one subscribed to a second topic.
///
/// A regression: the drop read its queue's `unregistered` flag before
/// taking the topics' lock, while `publish` set it with the lock held; a
/// drop in between counted the client gone twice (and the next
/// unsubscribe underflowed).
#[test]
fn c5_a_slow_subscriber_dropped_while_publish_disconnects_it_is_counted_once() {
    use std::sync::Barrier;

    runtime().block_on(async {
        for round in 0..600 {
            // Half the rounds with a second topic: the publish that finds
            // it slow in `t` disconnects it from `u` too, while its drop
            // leaves both.
            let topics: &[&str] = if round % 2 == 0 { &["t"] } else { &["t", "u"] };
            let hub = Hub::with_history(HubConfig::new().queue_events(1), MemoryHistory::new());
            let slow = hub.subscribe(topics, None).await.unwrap();
            let mut other = hub.subscribe(&["t"], None).await.unwrap();
            // The slow subscriber is one behind, the other one is not: the
            // next publish disconnects the slow one, unless its drop comes
            // first.
            hub.publish("t", Event::new().data("1")).await.unwrap();
            let waker = futures_util::task::noop_waker();
            let mut cx = Context::from_waker(&waker);
            assert!(matches!(
                other.poll_next_unpin(&mut cx),
                Poll::Ready(Some(_))
            ));
            let go = Arc::new(Barrier::new(2));
            let dropper = std::thread::spawn({
                let go = go.clone();
                move || {
                    go.wait();
                    // A varied head start for the publish, so that both
                    // orders and the moments between come up.
                    for _ in 0..(round / 2 % 60) * 200 {
                        std::hint::spin_loop();
                    }
                    drop(slow);
                }
            });
            go.wait();
            hub.publish("t", Event::new().data("2")).await.unwrap();
            dropper.join().unwrap();
            let metrics = hub.metrics();
            if metrics.clients != 1 {
                // Its drop would count it gone again: a panic while panicking.
                std::mem::forget(other);
                panic!("round {round}: one subscriber left, {metrics:?}");
            }
            assert_eq!(hub.clients("t"), 1, "round {round}");
            assert_eq!(hub.clients("u"), 0, "round {round}");
            assert!(metrics.slow_disconnects <= 1, "round {round}: {metrics:?}");
            drop(other);
            assert_eq!(hub.metrics().clients, 0, "round {round}");
        }
    });
}
