//! The broadcast hub: publish encodes an event once and hands the same
//! `Bytes` to every subscriber of its topic; subscribers resume from their
//! `Last-Event-ID` through the history.

use crate::history::{History, MemoryHistory, Replay, Stored};
use crate::metrics::{Counters, Metrics};
use crate::queue::{Closed, Limits, Pushed, Queue};
use bytes::Bytes;
use futures_core::Stream;
use sse_wire::encode::{Event, EventId, EventType, InvalidValue};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// What the hub does with a subscriber whose queue is full, or that has
/// read nothing for the write timeout. Publishing never waits for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SlowClient {
    /// End its stream: its client reconnects with its `Last-Event-ID` and
    /// catches up from the history, as Mercure and Centrifugo do. The
    /// default. It leaves its topics at once, and what was queued for it
    /// is freed; a client that reads nothing at all may still hold its TCP
    /// connection (hyper waits to flush before it polls the body again),
    /// which only a timeout on the connection's IO can close.
    #[default]
    Disconnect,
    /// Drop what is queued and send it the reset event, with the ID of
    /// the last event dropped: the client reloads its state.
    DropAndReset,
}

/// How a [`Hub`] behaves. Build it with [`HubConfig::new`] and the setters.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HubConfig {
    /// The most events one subscriber may have queued. Default 1,024.
    pub queue_events: usize,
    /// The most bytes one subscriber may have queued. Default 1 MiB.
    pub queue_bytes: usize,
    /// A subscriber that has events queued and takes none for this long is
    /// slow. Default 30 s.
    pub write_timeout: Duration,
    /// What to do with a slow subscriber. Default: disconnect.
    pub slow_client: SlowClient,
    /// Give an event without an event type its topic's name as one, so
    /// that a page listening to several topics on one connection tells
    /// them apart (S6). Default on.
    pub topic_as_event_type: bool,
    /// The event type of the reset event: sent when a client's last event
    /// ID is unknown (older than the history, or from another server) or
    /// events were dropped for it, so that it reloads its state. Default
    /// `reset`.
    pub reset_event_type: EventType<'static>,
}

impl HubConfig {
    /// The defaults, as documented on each field.
    pub fn new() -> Self {
        HubConfig {
            queue_events: 1024,
            queue_bytes: 1 << 20,
            write_timeout: Duration::from_secs(30),
            slow_client: SlowClient::Disconnect,
            topic_as_event_type: true,
            reset_event_type: EventType::from_static("reset"),
        }
    }

    /// Sets [`queue_events`](Self::queue_events) (at least 1).
    pub fn queue_events(mut self, events: usize) -> Self {
        self.queue_events = events.max(1);
        self
    }

    /// Sets [`queue_bytes`](Self::queue_bytes).
    pub fn queue_bytes(mut self, bytes: usize) -> Self {
        self.queue_bytes = bytes;
        self
    }

    /// Sets [`write_timeout`](Self::write_timeout).
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout;
        self
    }

    /// Sets [`slow_client`](Self::slow_client).
    pub fn slow_client(mut self, policy: SlowClient) -> Self {
        self.slow_client = policy;
        self
    }

    /// Sets [`topic_as_event_type`](Self::topic_as_event_type).
    pub fn topic_as_event_type(mut self, on: bool) -> Self {
        self.topic_as_event_type = on;
        self
    }

    /// Sets [`reset_event_type`](Self::reset_event_type): a validated
    /// event type (`EventType::from_static("reload")`).
    pub fn reset_event_type(mut self, event_type: EventType<'static>) -> Self {
        self.reset_event_type = event_type;
        self
    }
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig::new()
    }
}

/// Why the hub refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum HubError {
    /// A topic used as the event type holds CR or LF.
    InvalidTopic(InvalidValue),
    /// The history failed.
    History(crate::HistoryError),
    /// The hub has shut down.
    ShutDown,
}

impl fmt::Display for HubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HubError::InvalidTopic(e) => write!(f, "invalid topic: {e}"),
            HubError::History(e) => write!(f, "history: {e}"),
            HubError::ShutDown => f.write_str("the hub has shut down"),
        }
    }
}

impl std::error::Error for HubError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HubError::InvalidTopic(e) => Some(e),
            HubError::History(e) => Some(&**e),
            HubError::ShutDown => None,
        }
    }
}

/// What [`Hub::publish`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Published {
    /// The event's ID.
    pub id: Arc<str>,
    /// The subscribers it was queued for.
    pub subscribers: usize,
}

/// A broadcast hub: topics, subscribers and a history. Cheap to clone (an
/// `Arc`); see the [crate docs](crate).
pub struct Hub<H = MemoryHistory> {
    inner: Arc<Inner<H>>,
}

impl<H> Clone for Hub<H> {
    fn clone(&self) -> Self {
        Hub {
            inner: self.inner.clone(),
        }
    }
}

/// A topic's subscribers, by key.
type Subscribers = HashMap<u64, Arc<Queue>>;

struct Inner<H> {
    config: HubConfig,
    limits: Limits,
    history: H,
    /// Sets this hub's IDs apart from another process's (a restarted
    /// server's history does not know the old IDs: they get the reset).
    epoch: String,
    /// The last sequence number, held while publishing: IDs increase, and
    /// the history sees events in their order.
    sequence: tokio::sync::Mutex<u64>,
    /// The latest event's sequence and ID, for reset events.
    latest: Mutex<(u64, Arc<str>)>,
    topics: Mutex<HashMap<Arc<str>, Subscribers>>,
    next_subscriber: AtomicU64,
    shut_down: AtomicBool,
    counters: Counters,
}

impl Hub<MemoryHistory> {
    /// A hub with the default configuration and an in-memory history of
    /// the latest 1,000 events.
    pub fn new() -> Self {
        Hub::with_history(HubConfig::new(), MemoryHistory::new())
    }
}

impl Default for Hub<MemoryHistory> {
    fn default() -> Self {
        Hub::new()
    }
}

impl<H: History> Hub<H> {
    /// A hub with `config` and `history`.
    pub fn with_history(config: HubConfig, history: H) -> Self {
        let limits = Limits {
            events: config.queue_events,
            bytes: config.queue_bytes,
            write_timeout: config.write_timeout,
            policy: config.slow_client,
        };
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Hub {
            inner: Arc::new(Inner {
                config,
                limits,
                history,
                epoch: format!("{epoch:x}"),
                sequence: tokio::sync::Mutex::new(0),
                latest: Mutex::new((0, Arc::from(""))),
                topics: Mutex::default(),
                next_subscriber: AtomicU64::new(0),
                shut_down: AtomicBool::new(false),
                counters: Counters::default(),
            }),
        }
    }

    /// The history.
    pub fn history(&self) -> &H {
        &self.inner.history
    }

    /// Publishes `event` to `topic`: gives it the next ID (replacing any it
    /// had), its topic as event type if it has none (see
    /// [`HubConfig::topic_as_event_type`]), encodes it once, keeps it in the
    /// history and queues the same bytes for every subscriber of the topic.
    /// Never waits for a subscriber; a slow one is handled by the
    /// [`SlowClient`] policy.
    ///
    /// With a history whose `append` awaits (a database), do not drop this
    /// future midway (a client that went away must not cancel a publish):
    /// the event may be stored but not delivered live; spawn the publish
    /// instead.
    pub async fn publish(&self, topic: &str, event: Event<'_>) -> Result<Published, HubError> {
        let inner = &*self.inner;
        if inner.shut_down.load(Ordering::Acquire) {
            return Err(HubError::ShutDown);
        }
        let mut event = event;
        if inner.config.topic_as_event_type && !event.has_event_type() {
            event = event.event_type(EventType::new(topic).map_err(HubError::InvalidTopic)?);
        }
        let mut sequence = inner.sequence.lock().await;
        if inner.shut_down.load(Ordering::Acquire) {
            return Err(HubError::ShutDown);
        }
        let seq = *sequence + 1;
        let id: Arc<str> = Arc::from(format!("{}-{seq}", inner.epoch));
        let bytes = event
            .id(EventId::new(&id).expect("hex, a dash and digits"))
            .to_bytes();
        let topic: Arc<str> = Arc::from(topic);
        let stored = Stored {
            seq,
            id: id.clone(),
            topic: topic.clone(),
            bytes: bytes.clone(),
        };
        inner
            .history
            .append(stored)
            .await
            .map_err(HubError::History)?;
        *sequence = seq;
        *lock(&inner.latest) = (seq, id.clone());
        inner.counters.published();
        let now = Instant::now();
        let mut subscribers = 0;
        let mut slow = Vec::new();
        let mut topics = lock(&inner.topics);
        for (key, queue) in topics.get(&topic).into_iter().flatten() {
            match queue.push(seq, &id, &bytes, &inner.limits, now) {
                Pushed::Queued => subscribers += 1,
                Pushed::Dropped(n) => inner.counters.dropped(n as u64),
                Pushed::Disconnected(n) => {
                    inner.counters.dropped(n as u64);
                    inner.counters.slow_disconnect();
                    slow.push((*key, queue.clone()));
                }
                Pushed::Closed => {}
            }
        }
        // A disconnected subscriber leaves every topic now, not when its
        // connection is dropped: a client that reads nothing may keep the
        // connection open long after its stream has ended.
        for (key, queue) in slow {
            for topic in &queue.topics {
                if let Some(subscribers) = topics.get_mut(topic) {
                    subscribers.remove(&key);
                    if subscribers.is_empty() {
                        topics.remove(topic);
                    }
                }
            }
            queue.lock().unregistered = true;
            inner.counters.disconnected();
        }
        drop(topics);
        drop(sequence);
        Ok(Published { id, subscribers })
    }

    /// Subscribes to `topics` (one or several: one connection can carry
    /// many, S6). With the `last_event_id` a reconnecting client sent, the
    /// subscription first yields every event of those topics after it from
    /// the history, then live events, with no gap and no duplicate however
    /// publishing races it; an ID the history does not know gets the reset
    /// event first instead (see [`HubConfig::reset_event_type`]).
    pub async fn subscribe(
        &self,
        topics: &[&str],
        last_event_id: Option<&str>,
    ) -> Result<Subscription, HubError> {
        let inner = &*self.inner;
        let topics: Vec<Arc<str>> = topics.iter().map(|t| Arc::from(*t)).collect();
        let queue = Arc::new(Queue::new(topics.clone()));
        let key = inner.next_subscriber.fetch_add(1, Ordering::Relaxed);
        // Registered before the history is read: whatever is published
        // from now on is queued, whatever was before is in the history.
        // Counted before it is registered, as publish may disconnect it.
        inner.counters.connected();
        {
            let mut map = lock(&inner.topics);
            for topic in &topics {
                map.entry(topic.clone())
                    .or_default()
                    .insert(key, queue.clone());
            }
        }
        let mut subscription = Subscription {
            queue,
            replay: VecDeque::new(),
            skip_up_to: 0,
            unregister: Some(Box::new(Unregister {
                hub: self.inner.clone(),
                key,
                topics: topics.clone(),
            })),
            reset_event_type: inner.config.reset_event_type,
            delivered: 0,
        };
        if inner.shut_down.load(Ordering::Acquire) {
            return Err(HubError::ShutDown);
        }
        if let Some(last) = last_event_id {
            match inner
                .history
                .after(&topics, last)
                .await
                .map_err(HubError::History)?
            {
                Replay::Events(events) => {
                    inner.counters.replay();
                    if let Some(newest) = events.last() {
                        subscription.skip_up_to = newest.seq;
                    }
                    subscription.replay = events.into_iter().map(|e| e.bytes).collect();
                }
                Replay::Unknown => {
                    inner.counters.reset();
                    let (seq, id) = lock(&inner.latest).clone();
                    // The client reloads its state as of the latest event:
                    // the events queued up to it are in that state.
                    subscription.skip_up_to = seq;
                    let reset =
                        reset_event(inner.config.reset_event_type, &id, "unknown last event ID");
                    subscription.replay.push_back(reset);
                }
            }
        }
        Ok(subscription)
    }

    /// Subscribers connected now to `topic`.
    pub fn clients(&self, topic: &str) -> usize {
        lock(&self.inner.topics).get(topic).map_or(0, HashMap::len)
    }

    /// A snapshot of the counters.
    pub fn metrics(&self) -> Metrics {
        self.inner.counters.snapshot()
    }

    /// Shuts down: every subscription gets `last` (if any) after what is
    /// queued for it, then ends, and so do their responses; publishing and
    /// new subscriptions fail from now on, so a server's graceful shutdown
    /// finishes.
    pub fn shutdown(&self, last: Option<Event<'_>>) {
        let inner = &*self.inner;
        inner.shut_down.store(true, Ordering::Release);
        let last = last.map(|e| e.to_bytes());
        let topics = lock(&inner.topics);
        for queue in topics.values().flat_map(HashMap::values) {
            queue.close(Closed::Shutdown, last.as_ref());
        }
    }
}

impl<H> fmt::Debug for Hub<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("config", &self.inner.config)
            .field("metrics", &self.inner.counters.snapshot())
            .finish_non_exhaustive()
    }
}

/// The reset event: its type, the ID to resume from, and why.
fn reset_event(event_type: EventType<'_>, id: &str, why: &str) -> Bytes {
    let event = Event::new().data(why).event_type(event_type);
    // An empty ID resets the client's last event ID (F3): with nothing
    // published yet, it starts afresh.
    let id = EventId::new(id).unwrap_or(EventId::from_static(""));
    event.id(id).to_bytes()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes a subscription from its topics when it is dropped.
struct Unregister<H> {
    hub: Arc<Inner<H>>,
    key: u64,
    topics: Vec<Arc<str>>,
}

trait Leave: Send + Sync {
    fn delivered(&self, n: u64);
    fn reset(&self);
    fn leave(&self, delivered: u64, queue: &Queue);
}

impl<H: Send + Sync> Leave for Unregister<H> {
    fn delivered(&self, n: u64) {
        self.hub.counters.delivered(n);
    }

    fn reset(&self) {
        self.hub.counters.reset();
    }

    fn leave(&self, delivered: u64, queue: &Queue) {
        self.hub.counters.delivered(delivered);
        // `publish` unregisters a slow subscriber with the topics locked.
        let mut map = lock(&self.hub.topics);
        if queue.lock().unregistered {
            return;
        }
        for topic in &self.topics {
            if let Some(subscribers) = map.get_mut(topic) {
                subscribers.remove(&self.key);
                if subscribers.is_empty() {
                    map.remove(topic);
                }
            }
        }
        drop(map);
        self.hub.counters.disconnected();
    }
}

/// A subscriber's stream of encoded events: the replay, then live events,
/// with a reset event where one is due. Feed it to an
/// [`EventBody`](crate::EventBody). It ends when the hub shuts down or, under
/// [`SlowClient::Disconnect`], when it fell too far behind. Dropping it
/// unsubscribes.
pub struct Subscription {
    queue: Arc<Queue>,
    /// Replayed events (or the reset event), sent before live ones.
    replay: VecDeque<Bytes>,
    /// Live events up to this sequence number were replayed (or are in the
    /// state a reset reloads): skipped, so none comes twice.
    skip_up_to: u64,
    unregister: Option<Box<dyn Leave>>,
    reset_event_type: EventType<'static>,
    /// Delivered and not yet added to the hub's counter.
    delivered: u64,
}

impl Stream for Subscription {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let this = &mut *self;
        // The hub's counter is shared by every connection: added to in
        // batches, not once per event.
        if this.delivered >= 64 {
            if let Some(hub) = &this.unregister {
                hub.delivered(std::mem::take(&mut this.delivered));
            }
        }
        if let Some(bytes) = this.replay.pop_front() {
            this.delivered += 1;
            // Reading the replay is reading: not a stalled write.
            this.queue.lock().note_progress();
            return Poll::Ready(Some(bytes));
        }
        let mut state = this.queue.lock();
        if let Some(id) = state.lagged.take() {
            this.delivered += 1;
            if let Some(hub) = &this.unregister {
                hub.reset();
            }
            return Poll::Ready(Some(reset_event(
                this.reset_event_type,
                &id,
                "events were dropped: this client was too slow",
            )));
        }
        while let Some((seq, bytes)) = state.take() {
            if seq > this.skip_up_to {
                this.delivered += 1;
                return Poll::Ready(Some(bytes));
            }
        }
        if state.closed.is_some() {
            return Poll::Ready(None);
        }
        state.wait(cx.waker());
        drop(state);
        // Caught up: the hub's counter hears of what was delivered now,
        // once per wake-up, so a quiet stream's count is never stale.
        if this.delivered > 0 {
            if let Some(hub) = &this.unregister {
                hub.delivered(std::mem::take(&mut this.delivered));
            }
        }
        Poll::Pending
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(unregister) = self.unregister.take() {
            unregister.leave(self.delivered, &self.queue);
        }
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("replay", &self.replay.len())
            .field("skip_up_to", &self.skip_up_to)
            .finish_non_exhaustive()
    }
}
