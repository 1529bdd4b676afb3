//! What a reconnecting client missed: the event history the hub replays
//! from a `Last-Event-ID` (S3).

use bytes::Bytes;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// One published event, as the hub keeps it: encoded once, with its ID in
/// the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The hub's sequence number: increases with every publish of that
    /// hub (another hub sharing the history, or one before a restart,
    /// counts its own way; the ID tells them apart).
    pub seq: u64,
    /// The event's ID, as sent in its `id` field.
    pub id: Arc<str>,
    /// The topic it was published to.
    pub topic: Arc<str>,
    /// The encoded event, shared by every subscriber.
    pub bytes: Bytes,
}

/// The answer to "what came after this ID?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// The events after the ID, oldest first (the ID's own excluded);
    /// empty when the ID is the latest.
    Events(Vec<Stored>),
    /// The history does not hold the ID: older than what it keeps, from
    /// another server's history, or made up. The client must reload its
    /// state: the hub sends it the reset event, never a silent gap.
    Unknown,
}

/// A history failed (a database error, for instance).
pub type HistoryError = Box<dyn std::error::Error + Send + Sync>;

/// Where a [`Hub`](crate::Hub) keeps published events for replay.
///
/// Made for a store shared by several server instances too (Redis Streams
/// in a later crate): methods are async, IDs are strings, and a replay is
/// exclusive of the ID given. The hub calls [`append`](Self::append) in
/// publishing order, one at a time.
pub trait History: Send + Sync + 'static {
    /// Keeps `event`.
    fn append(&self, event: Stored) -> impl Future<Output = Result<(), HistoryError>> + Send;

    /// The events of `topics` published after the event with `id`.
    fn after(
        &self,
        topics: &[Arc<str>],
        id: &str,
    ) -> impl Future<Output = Result<Replay, HistoryError>> + Send;
}

/// A bounded history in memory: the latest events, at most
/// [`max_events`](Self::max_events) of them, [`max_bytes`](Self::max_bytes)
/// of encoded events and, optionally, none older than
/// [`max_age`](Self::max_age). What falls out is gone: a client whose last
/// ID fell out gets the reset event.
#[derive(Debug)]
pub struct MemoryHistory {
    max_events: usize,
    max_bytes: usize,
    max_age: Option<Duration>,
    log: Mutex<Log>,
}

#[derive(Debug, Default)]
struct Log {
    events: VecDeque<(Stored, Instant)>,
    bytes: usize,
    /// The ID of the newest event ever appended, kept when it is trimmed:
    /// a client that has it missed nothing.
    newest: Option<Arc<str>>,
}

impl MemoryHistory {
    /// A history of the latest 1,000 events, up to 1 MiB, of any age.
    pub fn new() -> Self {
        MemoryHistory {
            max_events: 1000,
            max_bytes: 1 << 20,
            max_age: None,
            log: Mutex::default(),
        }
    }

    /// Keeps at most `events` events.
    pub fn max_events(mut self, events: usize) -> Self {
        self.max_events = events;
        self
    }

    /// Keeps at most `bytes` of encoded events.
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// Forgets events older than `age`.
    pub fn max_age(mut self, age: Option<Duration>) -> Self {
        self.max_age = age;
        self
    }

    /// How many events it holds now.
    pub fn len(&self) -> usize {
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .events
            .len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn trim(&self, log: &mut Log, now: Instant) {
        while let Some((oldest, at)) = log.events.front() {
            let too_old = self
                .max_age
                .is_some_and(|age| now.saturating_duration_since(*at) > age);
            if !(log.events.len() > self.max_events || log.bytes > self.max_bytes || too_old) {
                break;
            }
            log.bytes -= oldest.bytes.len();
            log.events.pop_front();
        }
    }
}

impl Default for MemoryHistory {
    fn default() -> Self {
        MemoryHistory::new()
    }
}

impl History for MemoryHistory {
    async fn append(&self, event: Stored) -> Result<(), HistoryError> {
        let now = Instant::now();
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        log.bytes += event.bytes.len();
        log.newest = Some(event.id.clone());
        log.events.push_back((event, now));
        self.trim(&mut log, now);
        Ok(())
    }

    async fn after(&self, topics: &[Arc<str>], id: &str) -> Result<Replay, HistoryError> {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        self.trim(&mut log, Instant::now());
        // Recent IDs are the ones clients send: search from the newest.
        let Some(at) = log.events.iter().rposition(|(e, _)| &*e.id == id) else {
            // Trimmed by age after a quiet spell, but still the newest:
            // nothing was missed.
            if log.newest.as_deref() == Some(id) {
                return Ok(Replay::Events(Vec::new()));
            }
            return Ok(Replay::Unknown);
        };
        let events = log
            .events
            .iter()
            .skip(at + 1)
            .filter(|(e, _)| topics.contains(&e.topic))
            .map(|(e, _)| e.clone())
            .collect();
        Ok(Replay::Events(events))
    }
}
