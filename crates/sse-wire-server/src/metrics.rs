//! The hub's counters: plain atomics read with [`Hub::metrics`](crate::Hub::metrics),
//! and, with the `metrics` feature, the same numbers through the
//! `metrics` facade (Prometheus and the like), silent without a recorder.
//! The facade's names carry no label: meant for one hub per process (with
//! several, their counters add up and `sse_clients` is the last one's
//! count; read each hub's [`Hub::metrics`](crate::Hub::metrics) then).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A snapshot of a hub's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Metrics {
    /// Subscribers connected now.
    pub clients: u64,
    /// Events published.
    pub published: u64,
    /// Events handed to subscribers' connections (replays included).
    pub delivered: u64,
    /// Events dropped for slow subscribers, or published as the hub shut
    /// down (each subscriber counts).
    pub dropped: u64,
    /// Subscribers disconnected for being slow.
    pub slow_disconnects: u64,
    /// Replays served from the history.
    pub replays: u64,
    /// Reset events sent: an unknown last event ID, or a dropped event.
    pub resets: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    clients: AtomicU64,
    published: AtomicU64,
    delivered: AtomicU64,
    dropped: AtomicU64,
    slow_disconnects: AtomicU64,
    replays: AtomicU64,
    resets: AtomicU64,
}

macro_rules! facade {
    (counter $name:literal, $n:expr) => {
        #[cfg(feature = "metrics")]
        metrics::counter!($name).increment($n);
    };
    (gauge $name:literal, $value:expr) => {
        #[cfg(feature = "metrics")]
        metrics::gauge!($name).set($value as f64);
    };
}

impl Counters {
    pub(crate) fn connected(&self) {
        let _now = self.clients.fetch_add(1, Relaxed) + 1;
        facade!(gauge "sse_clients", _now);
    }

    pub(crate) fn disconnected(&self) {
        let _now = self.clients.fetch_sub(1, Relaxed).wrapping_sub(1);
        facade!(gauge "sse_clients", _now);
    }

    pub(crate) fn published(&self) {
        self.published.fetch_add(1, Relaxed);
        facade!(counter "sse_events_published_total", 1);
    }

    pub(crate) fn delivered(&self, n: u64) {
        self.delivered.fetch_add(n, Relaxed);
        facade!(counter "sse_events_delivered_total", n);
    }

    pub(crate) fn dropped(&self, n: u64) {
        self.dropped.fetch_add(n, Relaxed);
        facade!(counter "sse_events_dropped_total", n);
    }

    pub(crate) fn slow_disconnect(&self) {
        self.slow_disconnects.fetch_add(1, Relaxed);
        facade!(counter "sse_slow_disconnects_total", 1);
    }

    pub(crate) fn replay(&self) {
        self.replays.fetch_add(1, Relaxed);
        facade!(counter "sse_replays_total", 1);
    }

    pub(crate) fn reset(&self) {
        self.resets.fetch_add(1, Relaxed);
        facade!(counter "sse_resets_total", 1);
    }

    pub(crate) fn snapshot(&self) -> Metrics {
        Metrics {
            clients: self.clients.load(Relaxed),
            published: self.published.load(Relaxed),
            delivered: self.delivered.load(Relaxed),
            dropped: self.dropped.load(Relaxed),
            slow_disconnects: self.slow_disconnects.load(Relaxed),
            replays: self.replays.load(Relaxed),
            resets: self.resets.load(Relaxed),
        }
    }
}
