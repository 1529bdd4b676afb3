//! A topic: one ring of the events its subscribers have not all read yet,
//! shared by all of them, and each subscriber's position in it. Publishing
//! appends once and wakes the subscribers that wait; it touches a
//! subscriber only when that one fell behind the bounds, whatever their
//! number. What every subscriber has read is freed at once.

use crate::SlowClient;
use bytes::Bytes;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
use std::time::Duration;
use tokio::time::Instant;

/// Hashes a subscriber's key, the hub's own counter and never a client's
/// input: a multiplication spreads it, without SipHash's cost (a read
/// looks a reader up by key).
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0.rotate_left(8) ^ u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map by subscriber key.
type ByKey<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

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
    /// Its place in `Ring::waiting`: the round (0: not waiting) and index.
    waiting_round: u32,
    waiting_index: u32,
}

#[derive(Debug)]
struct Ring {
    entries: VecDeque<Entry>,
    /// The position of `entries[0]`.
    first: u64,
    bytes: usize,
    /// Bytes ever published to the topic.
    offset: u64,
    /// The readers not disconnected: small, one per connection.
    readers: ByKey<Reader>,
    /// Under [`SlowClient::DropAndReset`]: the readers due a reset, with
    /// the last event dropped for them, which the reset names.
    lagged: ByKey<u64>,
    /// Of the readers of several topics: all of them, so that the one a
    /// reader is too slow in disconnects it from the others too.
    topics: ByKey<Topics>,
    /// How many readers are at each position from `first` to the end
    /// (one more than the entries): nothing before the first reader is
    /// kept, so it is at `first` whenever there are entries.
    at: VecDeque<u32>,
    /// Wakers of the readers that have read everything, by key, taken by
    /// the next publish; a reader that leaves takes its own out.
    waiting: Vec<(u64, Waker)>,
    /// Counts the takings of `waiting`, from 1.
    round: u32,
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
            ring: Mutex::new(Ring {
                entries: VecDeque::new(),
                first: 0,
                bytes: 0,
                offset: 0,
                readers: ByKey::default(),
                lagged: ByKey::default(),
                topics: ByKey::default(),
                at: VecDeque::from([0]),
                waiting: Vec::new(),
                round: 1,
                shut_down: false,
            }),
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
                waiting_round: 0,
                waiting_index: 0,
            },
        );
        *ring.at.back_mut().expect("never empty") += 1;
        if let Some(topics) = topics {
            ring.topics.insert(key, topics);
        }
    }

    /// Removes reader `key`: whether it was still counted (not
    /// disconnected for being slow), and whether the topic has no reader
    /// left.
    pub(crate) fn leave(&self, key: u64) -> (bool, bool) {
        let mut ring = lock(&self.ring);
        let counted = ring.remove(key).is_some();
        (counted, ring.readers.is_empty())
    }

    /// Disconnects reader `key`, slow in another topic: the events it
    /// had not read here, dropped.
    pub(crate) fn disconnect(&self, key: u64) -> u64 {
        let mut ring = lock(&self.ring);
        let end = ring.end();
        ring.remove(key).map_or(0, |position| end - position)
    }

    /// Readers not disconnected.
    pub(crate) fn readers(&self) -> usize {
        lock(&self.ring).readers.len()
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
            // Published as the hub shut down: none of its readers, which
            // end with what they have, gets it; each counts it dropped.
            published.dropped = ring.readers.len() as u64;
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
        ring.at.push_back(0);
        // With no reader, nothing is kept.
        ring.trim();
        let mut reset = 0;
        // An event larger than the byte bound is still kept, alone: the
        // bound is on what waits, not on event size. Whoever has not read
        // the oldest entry is at `first`, and falls behind.
        while ring.entries.len() > limits.events
            || (ring.entries.len() > 1 && ring.bytes > limits.bytes)
        {
            reset += ring.fall_behind(seq, limits.policy, &mut published);
        }
        // Those at `first` have the oldest unread event: if that waited
        // past the write timeout, they are slow.
        while ring.entries.front().is_some_and(|oldest| {
            now.saturating_duration_since(oldest.published) > limits.write_timeout
        }) {
            reset += ring.fall_behind(seq, limits.policy, &mut published);
        }
        published.queued = ring.readers.len() - reset;
        let waiting = ring.take_waiting();
        drop(ring);
        for (_, waker) in waiting {
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
        if !ring.lagged.is_empty() {
            if let Some(seq) = ring.lagged.remove(&key) {
                return Read::Reset(seq);
            }
        }
        let start = reader.position;
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
            ring.at[(start - ring.first) as usize] -= 1;
            ring.at[(position - ring.first) as usize] += 1;
            ring.trim();
        }
        if took {
            return Read::Took;
        }
        if later {
            return Read::Later;
        }
        if ring.shut_down {
            return Read::ShutDown;
        }
        let reader = &ring.readers[&key];
        match ring.waiting_slot(key, reader) {
            Some(index) => {
                let slot = &mut ring.waiting[index].1;
                if !slot.will_wake(waker) {
                    *slot = waker.clone();
                }
            }
            None => {
                let (round, index) = (ring.round, ring.waiting.len() as u32);
                let reader = ring.readers.get_mut(&key).expect("read above");
                reader.waiting_round = round;
                reader.waiting_index = index;
                ring.waiting.push((key, waker.clone()));
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
        for (_, waker) in waiting {
            waker.wake();
        }
    }
}

impl Ring {
    fn end(&self) -> u64 {
        self.first + self.entries.len() as u64
    }

    /// Frees what every reader has read.
    fn trim(&mut self) {
        while self.at.len() > 1 && self.at[0] == 0 {
            self.at.pop_front();
            let entry = self.entries.pop_front().expect("one fewer than `at`");
            self.bytes -= entry.bytes.len();
            self.first += 1;
        }
    }

    /// Removes reader `key`; its position, if it was there.
    fn remove(&mut self, key: u64) -> Option<u64> {
        if !self.topics.is_empty() {
            self.topics.remove(&key);
        }
        if !self.lagged.is_empty() {
            self.lagged.remove(&key);
        }
        let reader = self.readers.remove(&key)?;
        self.at[(reader.position - self.first) as usize] -= 1;
        // Its waker goes too: a quiet topic would otherwise keep every
        // connection that came and went (and its task) until a publish.
        if let Some(index) = self.waiting_slot(key, &reader) {
            self.waiting.swap_remove(index);
            if let Some((moved, _)) = self.waiting.get(index) {
                if let Some(r) = self.readers.get_mut(moved) {
                    r.waiting_index = index as u32;
                }
            }
        }
        self.trim();
        Some(reader.position)
    }

    /// Reader `key`'s slot in `waiting`, if it has one this round (the
    /// key tells it from a slot of a round 2^32 rounds ago).
    fn waiting_slot(&self, key: u64, reader: &Reader) -> Option<usize> {
        let index = reader.waiting_index as usize;
        (reader.waiting_round == self.round
            && self.waiting.get(index).is_some_and(|(k, _)| *k == key))
        .then_some(index)
    }

    fn take_waiting(&mut self) -> Vec<(u64, Waker)> {
        if self.waiting.is_empty() {
            return Vec::new();
        }
        // Round 0 means "not waiting".
        self.round = self.round.checked_add(1).unwrap_or(1);
        std::mem::take(&mut self.waiting)
    }

    /// Applies `policy` to the readers at `first` (the oldest entry, which
    /// must go or has waited too long), then frees it: everything they
    /// have not read, up to the newest event `seq`, is dropped for them.
    /// Returns how many stay, to get a reset.
    fn fall_behind(&mut self, seq: u64, policy: SlowClient, published: &mut Published) -> usize {
        let (first, end) = (self.first, self.end());
        let mut reset = 0;
        if self.at[0] > 0 {
            // Rare (a reader too slow), so a scan rather than an index
            // that every read would have to keep.
            let behind: Vec<u64> = self
                .readers
                .iter()
                .filter(|(_, r)| r.position == first)
                .map(|(k, _)| *k)
                .collect();
            for key in behind {
                published.dropped += end - first;
                match policy {
                    SlowClient::Disconnect => {
                        let topics = self.topics.remove(&key);
                        self.readers.remove(&key);
                        published.slow.push((key, topics));
                    }
                    SlowClient::DropAndReset => {
                        let reader = self.readers.get_mut(&key).expect("found above");
                        reader.position = end;
                        self.lagged.insert(key, seq);
                        *self.at.back_mut().expect("never empty") += 1;
                        reset += 1;
                    }
                }
            }
            self.at[0] = 0;
        }
        self.trim();
        reset
    }
}
