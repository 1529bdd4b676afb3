//! One subscriber's queue: bounded in events and bytes, never blocking the
//! publisher; what does not fit is handled by the hub's [`SlowClient`]
//! policy and counted.

use crate::SlowClient;
use bytes::Bytes;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::task::Waker;
use std::time::Duration;
use tokio::time::Instant;

/// The capacity an emptied queue keeps, in events.
const IDLE_CAPACITY: usize = 16;

/// The bounds of a queue and what to do past them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) events: usize,
    pub(crate) bytes: usize,
    pub(crate) write_timeout: Duration,
    pub(crate) policy: SlowClient,
}

/// Why a queue was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closed {
    /// Too slow, under [`SlowClient::Disconnect`].
    Slow,
    /// The hub shut down.
    Shutdown,
}

/// What a push did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pushed {
    Queued,
    /// This many events were dropped (the new one included); a reset
    /// event follows.
    Dropped(usize),
    /// The subscriber was disconnected; this many events were dropped.
    Disconnected(usize),
    /// The queue was closed already.
    Closed,
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) items: VecDeque<(u64, Bytes)>,
    bytes: usize,
    pub(crate) closed: Option<Closed>,
    /// The last event dropped under [`SlowClient::DropAndReset`]: the reset
    /// event carries its ID, so that the client resumes after it.
    pub(crate) lagged: Option<Arc<str>>,
    /// Since when the subscriber has taken nothing while items waited, as
    /// publishing saw it: set by a push into an empty queue, or by a push
    /// that finds items taken since the last one. The subscriber reads no
    /// clock.
    since: Instant,
    /// Items taken, ever; and as the last push saw it.
    taken: u64,
    taken_seen: u64,
    /// Taken out of the hub's topics already (a slow subscriber, at once).
    pub(crate) unregistered: bool,
    waker: Option<Waker>,
}

#[derive(Debug)]
pub(crate) struct Queue {
    pub(crate) state: Mutex<State>,
    /// The topics it is registered in.
    pub(crate) topics: Vec<Arc<str>>,
}

impl Queue {
    pub(crate) fn new(topics: Vec<Arc<str>>) -> Self {
        Queue {
            topics,
            state: Mutex::new(State {
                items: VecDeque::new(),
                bytes: 0,
                closed: None,
                lagged: None,
                since: Instant::now(),
                taken: 0,
                taken_seen: 0,
                unregistered: false,
                waker: None,
            }),
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues event `seq`, or applies the policy if it does not fit or the
    /// subscriber has taken nothing for the write timeout.
    pub(crate) fn push(
        &self,
        seq: u64,
        id: &Arc<str>,
        bytes: &Bytes,
        limits: &Limits,
        now: Instant,
    ) -> Pushed {
        let mut state = self.lock();
        if state.closed.is_some() {
            return Pushed::Closed;
        }
        if state.items.is_empty() || state.taken != state.taken_seen {
            // A quiet spell is not slowness, and a subscriber that took
            // something since the last push is reading: the wait starts now.
            state.since = now;
            state.taken_seen = state.taken;
        }
        let stalled = !state.items.is_empty()
            && now.saturating_duration_since(state.since) > limits.write_timeout;
        // An event larger than the byte bound still goes into an empty
        // queue, alone: the bound is on what waits, not on event size.
        let full = state.items.len() >= limits.events
            || (!state.items.is_empty() && state.bytes + bytes.len() > limits.bytes);
        let pushed = if full || stalled {
            let dropped = state.items.len() + 1;
            state.items.clear();
            state.bytes = 0;
            match limits.policy {
                SlowClient::Disconnect => {
                    state.closed = Some(Closed::Slow);
                    Pushed::Disconnected(dropped)
                }
                SlowClient::DropAndReset => {
                    state.lagged = Some(id.clone());
                    Pushed::Dropped(dropped)
                }
            }
        } else {
            state.bytes += bytes.len();
            state.items.push_back((seq, bytes.clone()));
            Pushed::Queued
        };
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
        pushed
    }

    /// Queues `bytes` past every bound (the shutdown's last event), then
    /// closes the queue: the subscriber reads what is queued, then ends.
    pub(crate) fn close(&self, why: Closed, last: Option<&Bytes>) {
        let mut state = self.lock();
        if state.closed.is_none() {
            if let Some(bytes) = last {
                state.bytes += bytes.len();
                state.items.push_back((u64::MAX, bytes.clone()));
            }
            state.closed = Some(why);
        }
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl State {
    /// Takes the next item, noting that the subscriber is reading.
    pub(crate) fn take(&mut self) -> Option<(u64, Bytes)> {
        let Some(item) = self.items.pop_front() else {
            // After a burst, give back what it grew: thousands of
            // subscribers each keeping a large empty queue add up.
            if self.items.capacity() > IDLE_CAPACITY {
                self.items.shrink_to(IDLE_CAPACITY);
            }
            return None;
        };
        self.bytes -= item.1.len();
        self.taken += 1;
        Some(item)
    }

    /// The subscriber read something other than a queued item (its
    /// replay): it is not stalled.
    pub(crate) fn note_progress(&mut self) {
        self.taken += 1;
    }

    pub(crate) fn wait(&mut self, waker: &Waker) {
        match &self.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => self.waker = Some(waker.clone()),
        }
    }
}
