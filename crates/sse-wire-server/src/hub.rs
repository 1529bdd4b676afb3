//! The broadcast hub: publish encodes an event once and hands the same
//! `Bytes` to every subscriber of its topic; subscribers resume from their
//! `Last-Event-ID` through the history.

use crate::history::{History, MemoryHistory, Replay, Stored};
use crate::metrics::{Counters, Metrics};
use crate::topic::{Limits, Read, Topic, Window};
use bytes::{Bytes, BytesMut};
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

/// What the hub does with a subscriber that fell behind by more than
/// [`HubConfig::queue_events`] or [`HubConfig::queue_bytes`], or whose
/// oldest unread event waited past [`HubConfig::write_timeout`].
/// Publishing never waits for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SlowClient {
    /// End its stream: its client reconnects with its `Last-Event-ID` and
    /// catches up from the history, as Mercure and Centrifugo do. The
    /// default. It leaves its topics at once, and what only it had not
    /// read is freed; a client that reads nothing at all may still hold its TCP
    /// connection (hyper waits to flush before it polls the body again),
    /// which only a timeout on the connection's IO can close.
    #[default]
    Disconnect,
    /// Drop everything it has not read and send it the reset event, with
    /// the ID of the last event dropped: the client reloads its state.
    DropAndReset,
}

/// How a [`Hub`] behaves. Build it with [`HubConfig::new`] and the setters.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HubConfig {
    /// The most events a subscriber may fall behind. Default 1,024. The
    /// events of a topic are kept once for all its subscribers, for as
    /// long as one of them has not read them: this bounds that too.
    pub queue_events: usize,
    /// The most bytes of events a subscriber may fall behind (and a topic
    /// keeps). Default 1 MiB.
    pub queue_bytes: usize,
    /// A subscriber whose oldest unread event has waited this long is
    /// slow. Default 30 s. Checked when its topic is next published to:
    /// a topic gone quiet asks nothing more of a subscriber that stopped
    /// reading (it holds no new event), and such a client's connection
    /// ends by its own IO timeout or when the topic next has news.
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
    /// A subscription named no topic.
    NoTopics,
}

impl fmt::Display for HubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HubError::InvalidTopic(e) => write!(f, "invalid topic: {e}"),
            HubError::History(e) => write!(f, "history: {e}"),
            HubError::ShutDown => f.write_str("the hub has shut down"),
            HubError::NoTopics => f.write_str("a subscription needs a topic"),
        }
    }
}

impl std::error::Error for HubError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HubError::InvalidTopic(e) => Some(e),
            HubError::History(e) => Some(&**e),
            HubError::ShutDown | HubError::NoTopics => None,
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

struct Inner<H> {
    core: Arc<Core>,
    history: H,
    /// The last sequence number, held while publishing: IDs increase, and
    /// the history and the topics see events in their order.
    sequence: tokio::sync::Mutex<u64>,
    /// The latest event's sequence and ID, for reset events.
    latest: Mutex<(u64, Arc<str>)>,
}

/// What subscriptions share with the hub (the history aside).
struct Core {
    config: HubConfig,
    limits: Limits,
    /// Sets this hub's IDs apart from another process's (a restarted
    /// server's history does not know the old IDs: they get the reset).
    epoch: String,
    topics: Mutex<HashMap<Arc<str>, Arc<Topic>>>,
    /// The newest event in its topic: a subscriber of several topics reads
    /// no further, so that it sees events in the hub's order.
    published: AtomicU64,
    next_subscriber: AtomicU64,
    shut_down: AtomicBool,
    /// The shutdown's last event.
    last_event: Mutex<Option<Bytes>>,
    counters: Counters,
}

impl Core {
    fn id(&self, seq: u64) -> String {
        format!("{}-{seq}", self.epoch)
    }

    /// Whether this hub gave `id` (its sequence number then counts in its
    /// own order).
    fn is_own(&self, id: &str) -> bool {
        id.strip_prefix(self.epoch.as_str())
            .is_some_and(|rest| rest.starts_with('-'))
    }
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
                core: Arc::new(Core {
                    config,
                    limits,
                    epoch: format!("{epoch:x}"),
                    topics: Mutex::default(),
                    published: AtomicU64::new(0),
                    next_subscriber: AtomicU64::new(0),
                    shut_down: AtomicBool::new(false),
                    last_event: Mutex::new(None),
                    counters: Counters::default(),
                }),
                history,
                sequence: tokio::sync::Mutex::new(0),
                latest: Mutex::new((0, Arc::from(""))),
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
    /// history and in the topic, where every subscriber reads the same
    /// bytes. Costs the same whatever the number of subscribers (but for
    /// waking those that wait), and never waits for one; a slow one is
    /// handled by the [`SlowClient`] policy.
    ///
    /// With a history whose `append` awaits (a database), do not drop this
    /// future midway (a client that went away must not cancel a publish):
    /// the event may be stored but not delivered live; spawn the publish
    /// instead.
    pub async fn publish(&self, topic: &str, event: Event<'_>) -> Result<Published, HubError> {
        let inner = &*self.inner;
        let core = &*inner.core;
        if core.shut_down.load(Ordering::Acquire) {
            return Err(HubError::ShutDown);
        }
        let mut event = event;
        if core.config.topic_as_event_type && !event.has_event_type() {
            event = event.event_type(EventType::new(topic).map_err(HubError::InvalidTopic)?);
        }
        let mut sequence = inner.sequence.lock().await;
        if core.shut_down.load(Ordering::Acquire) {
            return Err(HubError::ShutDown);
        }
        let seq = *sequence + 1;
        // Taken before the history's append, which may store the event and
        // still fail, or be cancelled: a number is never given twice.
        *sequence = seq;
        let id: Arc<str> = Arc::from(core.id(seq));
        let bytes = event
            .id(EventId::new(&id).expect("hex, a dash and digits"))
            .to_bytes();
        let stored = Stored {
            seq,
            id: id.clone(),
            topic: Arc::from(topic),
            bytes: bytes.clone(),
        };
        inner
            .history
            .append(stored)
            .await
            .map_err(HubError::History)?;
        // The latest before the topic is looked up: a subscriber with an
        // unknown ID that reads an older one joined before the lookup, so
        // it gets this event live.
        *lock(&inner.latest) = (seq, id.clone());
        // Looked up once the history has the event: a subscriber that
        // joins after this reads it from the history, one that joined
        // before is in the topic found here (however the topic came and
        // went meanwhile).
        let subscribers = lock(&core.topics).get(topic).cloned();
        core.counters.published();
        let mut queued = 0;
        if let Some(topic) = subscribers {
            let published = topic.publish(seq, &bytes, &core.limits, Instant::now());
            queued = published.queued;
            let mut dropped = published.dropped;
            // One too slow for this topic leaves all of its topics now,
            // not when its connection is dropped: a client that reads
            // nothing may keep the connection open long after.
            for (key, others) in published.slow {
                for other in others.iter().flat_map(|t| t.iter()) {
                    dropped += other.disconnect(key);
                }
                core.counters.slow_disconnect();
                core.counters.disconnected();
            }
            core.counters.dropped(dropped);
        }
        core.published.store(seq, Ordering::Release);
        drop(sequence);
        Ok(Published {
            id,
            subscribers: queued,
        })
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
        let core = &inner.core;
        if topics.is_empty() {
            return Err(HubError::NoTopics);
        }
        let key = core.next_subscriber.fetch_add(1, Ordering::Relaxed);
        // Joined before the history is read: whatever is published from
        // now on is in the topics, whatever was before is in the history.
        core.counters.connected();
        let joined = {
            let mut map = lock(&core.topics);
            let mut topic = |name: &str| match map.get(name) {
                Some(topic) => topic.clone(),
                None => {
                    let topic = Arc::new(Topic::new(Arc::from(name)));
                    map.insert(topic.name.clone(), topic.clone());
                    topic
                }
            };
            // One topic, the common case, allocates nothing; several are
            // each taken once, in the order given.
            let joined = match topics {
                [one] => Joined::One(topic(one)),
                _ => {
                    let mut all: Vec<Arc<Topic>> = Vec::with_capacity(topics.len());
                    for (i, name) in topics.iter().enumerate() {
                        if !topics[..i].contains(name) {
                            all.push(topic(name));
                        }
                    }
                    match <[_; 1]>::try_from(all) {
                        Ok([one]) => Joined::One(one),
                        Err(several) => Joined::Several(several.into()),
                    }
                }
            };
            for topic in joined.all() {
                let all = match &joined {
                    Joined::One(_) => None,
                    Joined::Several(all) => Some(all.clone()),
                };
                topic.join(key, all);
            }
            joined
        };
        let mut subscription = Subscription {
            core: core.clone(),
            key,
            topics: joined,
            pending: None,
            delivered: 0,
            done: false,
        };
        if core.shut_down.load(Ordering::Acquire) {
            return Err(HubError::ShutDown);
        }
        if let Some(last) = last_event_id {
            let names: Vec<Arc<str>> = subscription
                .topics
                .all()
                .iter()
                .map(|t| t.name.clone())
                .collect();
            match inner
                .history
                .after(&names, last)
                .await
                .map_err(HubError::History)?
            {
                Replay::Events(events) => {
                    core.counters.replay();
                    // Live events up to the newest replayed are skipped;
                    // only this hub's numbers count: a shared or lasting
                    // history also holds other hubs' events, numbered
                    // their own way, all older than this hub's live ones.
                    if let Some(newest) = events.iter().rev().find(|e| core.is_own(&e.id)) {
                        subscription.pending().replayed = newest.seq;
                    }
                    let replay = events.into_iter().map(|e| e.bytes).collect();
                    subscription.pending().replay = replay;
                }
                Replay::Unknown => {
                    core.counters.reset();
                    let (seq, id) = lock(&inner.latest).clone();
                    // The client reloads its state as of the latest event:
                    // the events up to it are in that state.
                    subscription.pending().replayed = seq;
                    let reset =
                        reset_event(core.config.reset_event_type, &id, "unknown last event ID");
                    subscription.pending().replay.push_back(reset);
                }
            }
        }
        Ok(subscription)
    }

    /// Subscribers connected now to `topic`.
    pub fn clients(&self, topic: &str) -> usize {
        let topic = lock(&self.inner.core.topics).get(topic).cloned();
        topic.map_or(0, |t| t.readers())
    }

    /// A snapshot of the counters.
    pub fn metrics(&self) -> Metrics {
        self.inner.core.counters.snapshot()
    }

    /// Shuts down: every subscription gets `last` (if any) after what is
    /// queued for it, then ends, and so do their responses; publishing and
    /// new subscriptions fail from now on, so a server's graceful shutdown
    /// finishes.
    pub fn shutdown(&self, last: Option<Event<'_>>) {
        let core = &*self.inner.core;
        *lock(&core.last_event) = last.map(|e| e.to_bytes());
        core.shut_down.store(true, Ordering::Release);
        let topics: Vec<Arc<Topic>> = lock(&core.topics).values().cloned().collect();
        for topic in topics {
            topic.shut_down();
        }
    }
}

impl<H> fmt::Debug for Hub<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("config", &self.inner.core.config)
            .field("metrics", &self.inner.core.counters.snapshot())
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

/// The most bytes of waiting events joined into one item.
const FRAME_BYTES: usize = 64 * 1024;

/// The events one poll takes, joined into one item.
#[derive(Default)]
struct Frame {
    /// One event: its shared bytes, not a copy.
    one: Option<Bytes>,
    joined: Option<BytesMut>,
    /// Of a subscriber of several topics: put in the hub's order first.
    parts: Vec<(u64, Bytes)>,
    events: u32,
    len: usize,
}

impl Frame {
    /// Takes an event of one topic, `rest` the bytes from it on.
    fn take(&mut self, bytes: &Bytes, rest: u64) -> bool {
        self.events += 1;
        self.len += bytes.len();
        if let Some(joined) = &mut self.joined {
            joined.extend_from_slice(bytes);
        } else if let Some(one) = self.one.take() {
            let mut joined = BytesMut::with_capacity(FRAME_BYTES.min(one.len() + rest as usize));
            joined.extend_from_slice(&one);
            joined.extend_from_slice(bytes);
            self.joined = Some(joined);
        } else if rest as usize > bytes.len() {
            // More follows: one allocation for all, sized up front.
            let mut joined = BytesMut::with_capacity(FRAME_BYTES.min(rest as usize));
            joined.extend_from_slice(bytes);
            self.joined = Some(joined);
        } else {
            self.one = Some(bytes.clone());
        }
        self.len < FRAME_BYTES
    }

    /// Takes an event of one of several topics, `len` what this topic
    /// gave so far.
    fn part(&mut self, seq: u64, bytes: &Bytes, len: &mut usize) -> bool {
        *len += bytes.len();
        self.carry(seq, bytes.clone());
        *len < FRAME_BYTES
    }

    /// Takes an event of one of several topics held back from a read
    /// before.
    fn carry(&mut self, seq: u64, bytes: Bytes) {
        self.events += 1;
        self.len += bytes.len();
        self.parts.push((seq, bytes));
    }

    /// Puts the events of several topics in the hub's order, and keeps
    /// those after `cut` for later: a topic that filled its share stopped
    /// there, and what follows it may come before the others' later events.
    fn order(&mut self, cut: u64, later: &mut Vec<(u64, Bytes)>) {
        self.parts.sort_unstable_by_key(|(seq, _)| *seq);
        let keep = self.parts.partition_point(|(seq, _)| *seq <= cut);
        for (seq, bytes) in self.parts.drain(keep..) {
            self.events -= 1;
            self.len -= bytes.len();
            later.push((seq, bytes));
        }
    }

    fn finish(mut self) -> Option<Bytes> {
        if !self.parts.is_empty() {
            if self.parts.len() == 1 {
                return self.parts.pop().map(|(_, b)| b);
            }
            let mut joined = BytesMut::with_capacity(self.len);
            for (_, bytes) in &self.parts {
                joined.extend_from_slice(bytes);
            }
            return Some(joined.freeze());
        }
        self.joined.map(BytesMut::freeze).or(self.one)
    }
}

/// A subscriber's stream of encoded events: the replay, then live events,
/// with a reset event where one is due. Each item is one or more whole
/// events: those waiting when it is read, joined (up to 64 KiB), so that a
/// subscriber that fell behind catches up in one write. Feed it to an
/// [`EventBody`](crate::EventBody). It ends when the hub shuts down or,
/// under [`SlowClient::Disconnect`], when it fell too far behind. Dropping
/// it unsubscribes.
pub struct Subscription {
    core: Arc<Core>,
    key: u64,
    topics: Joined,
    /// Rare, so boxed: every idle connection holds a subscription.
    pending: Option<Box<Pending>>,
    /// Delivered and not yet added to the hub's counter.
    delivered: u32,
    done: bool,
}

/// The topics of a subscription: one, without an allocation, or several.
enum Joined {
    One(Arc<Topic>),
    Several(crate::topic::Topics),
}

impl Joined {
    fn all(&self) -> &[Arc<Topic>] {
        match self {
            Joined::One(topic) => std::slice::from_ref(topic),
            Joined::Several(topics) => topics,
        }
    }
}

/// What a subscription sends before it reads its topics again.
#[derive(Default)]
struct Pending {
    /// Replayed events (or a reset event), sent before live ones.
    replay: VecDeque<Bytes>,
    /// Taken from several topics and not sent yet: after the cut of a
    /// topic that filled its share of an item.
    later: Vec<(u64, Bytes)>,
    /// Live events up to this sequence number were replayed (or are in
    /// the state a reset reloads): skipped, so none comes twice.
    replayed: u64,
    /// Live events up to this sequence number were dropped for a reset.
    reset: u64,
}

impl Subscription {
    /// Adds the delivered events to the hub's counter, shared by every
    /// connection: in batches, not once per event.
    fn count_delivered(&mut self) {
        if self.delivered > 0 {
            self.core
                .counters
                .delivered(u64::from(std::mem::take(&mut self.delivered)));
        }
    }

    fn pending(&mut self) -> &mut Pending {
        self.pending.get_or_insert_with(Box::default)
    }

    /// The reset event for events dropped up to `seq`, and the events
    /// taken with it: those after it are sent next.
    fn reset(&mut self, seq: u64, frame: Frame) -> Bytes {
        let pending = self.pending();
        pending.reset = pending.reset.max(seq);
        self.core.counters.reset();
        // Only a subscriber of several topics took events with it: those
        // after the reset wait with the rest, to be put in the hub's order
        // with what the next read takes.
        let mut later = Vec::new();
        for (part, bytes) in frame.parts {
            if part <= seq {
                self.core.counters.dropped(1);
            } else {
                later.push((part, bytes));
            }
        }
        if !later.is_empty() {
            self.pending().later = later;
        }
        let id = self.core.id(seq);
        reset_event(
            self.core.config.reset_event_type,
            &id,
            "events were dropped: this client was too slow",
        )
    }
}

impl Stream for Subscription {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let this = &mut *self;
        if this.delivered >= 64 {
            this.count_delivered();
        }
        if let Some(bytes) = this.pending.as_mut().and_then(|p| p.replay.pop_front()) {
            this.delivered += 1;
            return Poll::Ready(Some(bytes));
        }
        if this.done {
            return Poll::Ready(None);
        }
        let single = matches!(this.topics, Joined::One(_));
        let window = Window {
            replayed: this.pending.as_ref().map_or(0, |p| p.replayed),
            reset: this.pending.as_ref().map_or(0, |p| p.reset),
            until: if single {
                u64::MAX
            } else {
                this.core.published.load(Ordering::Acquire)
            },
        };
        let mut frame = Frame::default();
        let (mut later, mut reset, mut slow, mut ended) = (false, None, false, 0);
        let mut dropped = 0;
        let mut cut = u64::MAX;
        for (seq, bytes) in this.pending.iter_mut().flat_map(|p| p.later.drain(..)) {
            frame.carry(seq, bytes);
        }
        for topic in this.topics.all() {
            let read = if single {
                topic.read(
                    this.key,
                    window,
                    &mut dropped,
                    &mut |_, bytes, rest| frame.take(bytes, rest),
                    cx.waker(),
                )
            } else {
                let (mut len, mut last) = (0, 0);
                let read = topic.read(
                    this.key,
                    window,
                    &mut dropped,
                    &mut |seq, bytes, _| {
                        last = seq;
                        frame.part(seq, bytes, &mut len)
                    },
                    cx.waker(),
                );
                if len >= FRAME_BYTES {
                    cut = cut.min(last);
                }
                read
            };
            match read {
                Read::Took | Read::Waiting => {}
                Read::Later => later = true,
                Read::Reset(seq) => reset = reset.max(Some(seq)),
                Read::Slow => slow = true,
                Read::ShutDown => ended += 1,
            }
        }
        if dropped > 0 {
            this.core.counters.dropped(dropped);
        }
        if slow {
            // Disconnected in every topic; what this poll took of the
            // others is dropped too.
            this.core.counters.dropped(u64::from(frame.events));
            this.done = true;
            this.count_delivered();
            return Poll::Ready(None);
        }
        if let Some(seq) = reset {
            this.delivered += 1;
            return Poll::Ready(Some(this.reset(seq, frame)));
        }
        if !single {
            let mut later = Vec::new();
            frame.order(cut, &mut later);
            if !later.is_empty() {
                this.pending().later = later;
            }
        }
        let events = frame.events;
        if let Some(bytes) = frame.finish() {
            this.delivered += events;
            return Poll::Ready(Some(bytes));
        }
        if later {
            // A publish is between its topic and the hub's order: soon.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if ended > 0 && ended == this.topics.all().len() {
            this.done = true;
            let last = lock(&this.core.last_event).clone();
            this.delivered += u32::from(last.is_some());
            this.count_delivered();
            return Poll::Ready(last);
        }
        // Caught up: the hub's counter hears of what was delivered now,
        // once per wake-up, so a quiet stream's count is never stale.
        this.count_delivered();
        Poll::Pending
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.count_delivered();
        // A topic that disconnected it as slow counted it gone already.
        let mut counted = true;
        let mut map = lock(&self.core.topics);
        for topic in self.topics.all() {
            let (was_counted, empty) = topic.leave(self.key);
            counted &= was_counted;
            if empty && map.get(&topic.name).is_some_and(|t| Arc::ptr_eq(t, topic)) {
                map.remove(&topic.name);
            }
        }
        drop(map);
        if counted {
            self.core.counters.disconnected();
        }
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("topics", &self.topics.all().len())
            .field(
                "replay",
                &self.pending.as_ref().map_or(0, |p| p.replay.len()),
            )
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
