//! A topic: one ring of the events its subscribers have not all read yet,
//! shared by all of them, and each subscriber's position in it. Publishing
//! appends once and wakes the subscribers that wait; it touches a
//! subscriber only when that one fell behind the bounds, whatever their
//! number. What every subscriber has read is freed at once.

use crate::SlowClient;
use bytes::Bytes;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
use std::time::Duration;
use tokio::time::Instant;

/// All the topics of a subscriber of several.
pub(crate) type Topics = Arc<[Arc<Topic>]>;

/// How far a subscriber may fall behind, and what then.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) events: usize,
    pub(crate) bytes: usize,
    pub(crate) write_timeout: Duration,
    pub(crate) policy: SlowClient,
}

#[derive(Debug)]
struct Entry {
    seq: u64,
    published: Instant,
    bytes: Bytes,
    /// Bytes published to the topic before this one: what follows an
    /// entry is known without walking the ring.
    offset: u64,
}

#[derive(Debug)]
struct Reader {
    /// The position of the next event it reads (positions count the
    /// topic's events).
    position: u64,
    /// Its place in `Ring::waiting`, as `(round, index)`.
    waiting: Option<(u64, usize)>,
    /// Under [`SlowClient::DropAndReset`]: the last event dropped for it,
    /// which its reset event names.
    lagged: Option<u64>,
    /// Disconnected for being slow.
    slow: bool,
    /// A reader of several topics: all of them, so that the one it is too
    /// slow in disconnects it from the others too.
    topics: Option<Topics>,
}

#[derive(Debug, Default)]
struct Ring {
    entries: VecDeque<Entry>,
    /// The position of `entries[0]`.
    first: u64,
    bytes: usize,
    /// Bytes ever published to the topic.
    offset: u64,
    readers: HashMap<u64, Reader>,
    /// `(position, key)` of every reader not disconnected: the first is
    /// the furthest behind, and nothing before it is kept.
    behind: BTreeSet<(u64, u64)>,
    /// Wakers of the readers that have read everything, taken by the next
    /// publish.
    waiting: Vec<Waker>,
    /// Counts the takings of `waiting`.
    round: u64,
    shut_down: bool,
}

/// A topic's ring and readers.
#[derive(Debug)]
pub(crate) struct Topic {
    pub(crate) name: Arc<str>,
    ring: Mutex<Ring>,
}

/// What a publish did to the topic's readers.
#[derive(Debug, Default)]
pub(crate) struct Published {
    /// Readers the event is queued for.
    pub(crate) queued: usize,
    /// Events dropped, each reader counting.
    pub(crate) dropped: u64,
    /// Readers disconnected for being slow, with their other topics.
    pub(crate) slow: Vec<(u64, Option<Topics>)>,
}

/// Which events a read takes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// Skipped, uncounted: the replay delivered them.
    pub(crate) replayed: u64,
    /// Skipped and counted as dropped: a reset covered them.
    pub(crate) reset: u64,
    /// Left for later: a reader of several topics takes only what is
    /// published in all of them, to keep the hub's order.
    pub(crate) until: u64,
}

/// How a read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// It took events; there may be more.
    Took,
    /// Nothing to take now; the reader is woken by the next publish.
    Waiting,
    /// Nothing to take until a publish in progress completes.
    Later,
    /// A reset is due: events up to `seq` were dropped.
    Reset(u64),
    /// Disconnected for being slow.
    Slow,
    /// The hub shut down and everything was read.
    ShutDown,
}

fn lock(ring: &Mutex<Ring>) -> MutexGuard<'_, Ring> {
    ring.lock().unwrap_or_else(|e| e.into_inner())
}

impl Topic {
    pub(crate) fn new(name: Arc<str>) -> Self {
        Topic {
            name,
            ring: Mutex::default(),
        }
    }

    /// Adds reader `key`, which reads what is published from now on;
    /// `topics`, all it reads, if more than this one.
    pub(crate) fn join(&self, key: u64, topics: Option<Topics>) {
        let mut ring = lock(&self.ring);
        let position = ring.end();
        ring.readers.insert(
            key,
            Reader {
                position,
                waiting: None,
                lagged: None,
                slow: false,
                topics,
            },
        );
        ring.behind.insert((position, key));
    }

    /// Removes reader `key`: whether it was still counted (not slow), and
    /// whether the topic has no reader left.
    pub(crate) fn leave(&self, key: u64) -> (bool, bool) {
        let mut ring = lock(&self.ring);
        let counted = match ring.readers.remove(&key) {
            Some(reader) if !reader.slow => ring.behind.remove(&(reader.position, key)),
            _ => false,
        };
        ring.trim();
        (counted, ring.readers.is_empty())
    }

    /// Disconnects reader `key`, slow in another topic: the events it
    /// had not read here, dropped.
    pub(crate) fn disconnect(&self, key: u64) -> u64 {
        let mut ring = lock(&self.ring);
        let end = ring.end();
        let Some(reader) = ring.readers.get_mut(&key).filter(|r| !r.slow) else {
            return 0;
        };
        reader.slow = true;
        reader.topics = None;
        let position = reader.position;
        ring.behind.remove(&(position, key));
        ring.trim();
        end - position
    }

    /// Readers not disconnected.
    pub(crate) fn readers(&self) -> usize {
        lock(&self.ring).behind.len()
    }

    /// Appends event `seq`, applies the policy to the readers it leaves too
    /// far behind, and wakes those waiting.
    pub(crate) fn publish(
        &self,
        seq: u64,
        bytes: &Bytes,
        limits: &Limits,
        now: Instant,
    ) -> Published {
        let mut ring = lock(&self.ring);
        let mut published = Published::default();
        if ring.shut_down {
            return published;
        }
        let offset = ring.offset;
        ring.offset += bytes.len() as u64;
        ring.bytes += bytes.len();
        ring.entries.push_back(Entry {
            seq,
            published: now,
            bytes: bytes.clone(),
            offset,
        });
        let mut reset = 0;
        // An event larger than the byte bound is still kept, alone: the
        // bound is on what waits, not on event size.
        while ring.entries.len() > limits.events
            || (ring.entries.len() > 1 && ring.bytes > limits.bytes)
        {
            let first = ring.first;
            while let Some(&(position, key)) = ring.behind.first() {
                if position > first {
                    break;
                }
                reset += ring.fall_behind(key, seq, limits.policy, &mut published);
            }
            ring.pop();
        }
        // The reader furthest behind has the oldest unread event: if that
        // waited past the write timeout, the reader is slow.
        while let Some(&(position, key)) = ring.behind.first() {
            let Some(oldest) = ring.entry(position) else {
                break;
            };
            if now.saturating_duration_since(oldest.published) <= limits.write_timeout {
                break;
            }
            reset += ring.fall_behind(key, seq, limits.policy, &mut published);
        }
        ring.trim();
        published.queued = ring.behind.len() - reset;
        let waiting = ring.take_waiting();
        drop(ring);
        for waker in waiting {
            waker.wake();
        }
        published
    }

    /// Reads for reader `key`: hands each event in `window` to `take`,
    /// oldest first, with the bytes from it to the ring's end, until
    /// `take` returns false; registers `waker` if there is nothing.
    pub(crate) fn read(
        &self,
        key: u64,
        window: Window,
        dropped: &mut u64,
        take: &mut dyn FnMut(u64, &Bytes, u64) -> bool,
        waker: &Waker,
    ) -> Read {
        let mut ring = lock(&self.ring);
        let ring = &mut *ring;
        let Some(reader) = ring.readers.get_mut(&key) else {
            return Read::Slow;
        };
        if reader.slow {
            return Read::Slow;
        }
        if let Some(seq) = reader.lagged.take() {
            return Read::Reset(seq);
        }
        let start = reader.position;
        let end = ring.first + ring.entries.len() as u64;
        let mut position = start;
        let mut took = false;
        let mut later = false;
        for entry in ring.entries.range((start - ring.first) as usize..) {
            if entry.seq > window.until {
                later = true;
                break;
            }
            position += 1;
            if entry.seq <= window.replayed {
                continue;
            }
            if entry.seq <= window.reset {
                *dropped += 1;
                continue;
            }
            took = true;
            if !take(entry.seq, &entry.bytes, ring.offset - entry.offset) {
                break;
            }
        }
        if position != start {
            reader.position = position;
            ring.behind.remove(&(start, key));
            ring.behind.insert((position, key));
            if ring.first == start {
                ring.trim();
            }
        }
        if took {
            return Read::Took;
        }
        if later {
            return Read::Later;
        }
        debug_assert_eq!(position, end);
        if ring.shut_down {
            return Read::ShutDown;
        }
        let round = ring.round;
        let reader = ring.readers.get_mut(&key).expect("read above");
        match reader.waiting {
            Some((r, i)) if r == round => {
                if !ring.waiting[i].will_wake(waker) {
                    ring.waiting[i] = waker.clone();
                }
            }
            _ => {
                reader.waiting = Some((round, ring.waiting.len()));
                ring.waiting.push(waker.clone());
            }
        }
        Read::Waiting
    }

    /// No more events: readers read what is left, then end.
    pub(crate) fn shut_down(&self) {
        let mut ring = lock(&self.ring);
        ring.shut_down = true;
        let waiting = ring.take_waiting();
        drop(ring);
        for waker in waiting {
            waker.wake();
        }
    }
}

impl Ring {
    fn end(&self) -> u64 {
        self.first + self.entries.len() as u64
    }

    fn entry(&self, position: u64) -> Option<&Entry> {
        self.entries
            .get(usize::try_from(position.checked_sub(self.first)?).ok()?)
    }

    fn pop(&mut self) {
        if let Some(entry) = self.entries.pop_front() {
            self.bytes -= entry.bytes.len();
            self.first += 1;
        }
    }

    /// Frees what every reader has read.
    fn trim(&mut self) {
        let keep = self.behind.first().map_or(self.end(), |&(p, _)| p);
        while self.first < keep {
            self.pop();
        }
    }

    fn take_waiting(&mut self) -> Vec<Waker> {
        if self.waiting.is_empty() {
            return Vec::new();
        }
        self.round += 1;
        std::mem::take(&mut self.waiting)
    }

    /// Applies `policy` to reader `key`, which fell behind: everything it
    /// has not read, up to the newest event `seq`, is dropped for it.
    /// Returns 1 if it stays, to get a reset.
    fn fall_behind(
        &mut self,
        key: u64,
        seq: u64,
        policy: SlowClient,
        published: &mut Published,
    ) -> usize {
        let end = self.end();
        let reader = self
            .readers
            .get_mut(&key)
            .expect("every reader behind is known");
        self.behind.remove(&(reader.position, key));
        published.dropped += end - reader.position;
        match policy {
            SlowClient::Disconnect => {
                reader.slow = true;
                published.slow.push((key, reader.topics.take()));
                0
            }
            SlowClient::DropAndReset => {
                reader.position = end;
                reader.lagged = Some(seq);
                self.behind.insert((end, key));
                1
            }
        }
    }
}
