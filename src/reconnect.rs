//! When a client reconnects, and when it stops (C3-C8): a sans-IO policy.
//!
//! [`Policy`] is a plain state machine. The client tells it what happened
//! (connected, an event arrived, a `retry` field, the connection failed or
//! ended) and asks it what to do next: [`Decision::Reconnect`] after a delay,
//! or [`Decision::Stop`] with the reason. Time and randomness come from the
//! caller (`now` from any monotonic clock, `random` any uniform `u32`), so it
//! needs no runtime, no allocator, and its tests never sleep.
//!
//! The WHATWG processing model is the default; every departure is a field of
//! [`Config`]:
//!
//! * A body that ends, cleanly or cut, and a network error reconnect after
//!   the reconnection time (C3, C5), which starts at
//!   [`DEFAULT_RECONNECTION_TIME`] (3 s, as Chromium and Safari; C8) and is
//!   set by each `retry` field (F4), floored at
//!   [`Config::min_reconnection_time`] so that `retry: 0` cannot make a
//!   client hammer its server.
//! * A status other than 200 (204 included) or a content type other than
//!   `text/event-stream` stops (C4). Retrying 5xx and 429, after
//!   `Retry-After` when given, is opt-in ([`Config::retry_statuses`]).
//! * Attempts in a row that bring no event back off exponentially from the
//!   reconnection time (the spec allows waiting longer after failures), up
//!   to [`Config::max_delay`], with jitter added on top (taken off the cap
//!   once there), never below the reconnection time or a `Retry-After`
//!   ([`Policy::bounds`]). An event starts the backoff and the count of
//!   attempts afresh; a connection that stayed up for
//!   [`Config::reset_after`] (and did not end by falling silent) starts the
//!   backoff afresh. [`Config::max_attempts`] gives up after that many
//!   attempts in a row without an event.
//!
//! The last event ID to send is not the policy's business: the decoder keeps
//! it across connections (C7) and `reconnect()` leaves it in place.
//!
//! ```
//! use core::time::Duration;
//! use sse_wire::reconnect::{Config, Decision, Failure, Policy};
//!
//! let mut policy = Policy::new(Config::new().jitter_percent(0));
//! let t0 = Duration::ZERO;
//! policy.on_connected(t0);
//! policy.on_retry(Duration::from_millis(500)); // `retry: 500`
//! policy.on_event();
//! // The body ended after an event: reconnect after the server's 500 ms.
//! let d = policy.on_end(t0 + Duration::from_secs(1), 0);
//! assert_eq!(d, Decision::Reconnect { delay: Duration::from_millis(500), attempt: 1 });
//! // The next attempt is refused: back off.
//! let d = policy.on_failure(Failure::Network, t0 + Duration::from_secs(2), 0);
//! assert_eq!(d, Decision::Reconnect { delay: Duration::from_secs(1), attempt: 2 });
//! ```

use core::fmt;
use core::time::Duration;

/// The reconnection time before any `retry` field (C8): 3 s, as in
/// Chromium and Safari (Firefox uses 5 s).
pub const DEFAULT_RECONNECTION_TIME: Duration = Duration::from_secs(3);

/// How a [`Policy`] decides. Build it with [`Config::new`] and the setters;
/// more fields may come, so it is not built with a struct literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The reconnection time until the stream sends a `retry` field (C8).
    pub reconnection_time: Duration,
    /// The least reconnection time a `retry` field can set: `retry: 0`
    /// becomes this. Default 100 ms.
    pub min_reconnection_time: Duration,
    /// The longest delay backoff grows to. A server's own wish (a `retry`
    /// field or `Retry-After`) may be longer and is honoured. Default 30 s.
    pub max_delay: Duration,
    /// Up to this percentage of the delay is added at random, so that
    /// clients cut off together do not all come back at once. Default 25.
    pub jitter_percent: u8,
    /// A connection that stayed up this long, and did not end by falling
    /// silent (a read timeout), starts the backoff afresh even without an
    /// event; the count toward [`max_attempts`](Self::max_attempts) goes on
    /// (only an event resets it). Default 60 s.
    pub reset_after: Option<Duration>,
    /// Give up after this many reconnection attempts in a row that brought
    /// no event (so at most 1 + N requests). Default: never give up.
    pub max_attempts: Option<u32>,
    /// Reconnect after 5xx and 429 responses, after their `Retry-After`
    /// when given, instead of stopping (C4). Default off.
    pub retry_statuses: bool,
    /// Reconnect when the body ends cleanly (C5). Off: a clean end stops
    /// with [`Stop::Ended`]. Default on.
    pub reconnect_on_end: bool,
}

impl Config {
    /// The defaults, as documented on each field.
    pub const fn new() -> Self {
        Config {
            reconnection_time: DEFAULT_RECONNECTION_TIME,
            min_reconnection_time: Duration::from_millis(100),
            max_delay: Duration::from_secs(30),
            jitter_percent: 25,
            reset_after: Some(Duration::from_secs(60)),
            max_attempts: None,
            retry_statuses: false,
            reconnect_on_end: true,
        }
    }

    /// Sets [`reconnection_time`](Self::reconnection_time).
    pub const fn reconnection_time(mut self, time: Duration) -> Self {
        self.reconnection_time = time;
        self
    }

    /// Sets [`min_reconnection_time`](Self::min_reconnection_time).
    pub const fn min_reconnection_time(mut self, time: Duration) -> Self {
        self.min_reconnection_time = time;
        self
    }

    /// Sets [`max_delay`](Self::max_delay).
    pub const fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets [`jitter_percent`](Self::jitter_percent) (at most 100).
    pub const fn jitter_percent(mut self, percent: u8) -> Self {
        self.jitter_percent = if percent > 100 { 100 } else { percent };
        self
    }

    /// Sets [`reset_after`](Self::reset_after).
    pub const fn reset_after(mut self, after: Option<Duration>) -> Self {
        self.reset_after = after;
        self
    }

    /// Sets [`max_attempts`](Self::max_attempts).
    pub const fn max_attempts(mut self, attempts: Option<u32>) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets [`retry_statuses`](Self::retry_statuses).
    pub const fn retry_statuses(mut self, retry: bool) -> Self {
        self.retry_statuses = retry;
        self
    }

    /// Sets [`reconnect_on_end`](Self::reconnect_on_end).
    pub const fn reconnect_on_end(mut self, reconnect: bool) -> Self {
        self.reconnect_on_end = reconnect;
        self
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

/// Why a connection attempt or a connection failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// A network error: refused, reset, DNS, TLS, a body cut mid-way (C3).
    Network,
    /// No bytes arrived for the read timeout, not even a comment: the
    /// connection is taken for dead, like a network error.
    ReadTimeout,
    /// The response's status was not 200 (C4); `retry_after` is its
    /// `Retry-After`, when it had one the client could read.
    Status {
        /// The HTTP status code.
        code: u16,
        /// The server's `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// The response's `Content-Type` was not `text/event-stream` (C4).
    ContentType,
    /// Something retrying cannot mend: a redirect loop, a request that
    /// cannot be built or sent again.
    Fatal,
}

/// Why a [`Policy`] said stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stop {
    /// The server answered `204 No Content`: its way to say "stop" (S1).
    NoContent,
    /// A status other than 200 that is not retried (C4).
    Status(u16),
    /// A content type other than `text/event-stream` (C4).
    ContentType,
    /// A failure that retrying cannot mend ([`Failure::Fatal`]).
    Fatal,
    /// The body ended cleanly and [`Config::reconnect_on_end`] is off.
    Ended,
    /// [`Config::max_attempts`] attempts in a row brought no event.
    GaveUp {
        /// The attempts made since the last event.
        attempts: u32,
    },
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::NoContent => f.write_str("the server answered 204 No Content"),
            Stop::Status(code) => write!(f, "the server answered status {code}"),
            Stop::ContentType => f.write_str("the response is not text/event-stream"),
            Stop::Fatal => f.write_str("a failure that retrying cannot mend"),
            Stop::Ended => f.write_str("the stream ended"),
            Stop::GaveUp { attempts } => {
                write!(f, "gave up after {attempts} attempts without an event")
            }
        }
    }
}

/// What a client does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait `delay`, then send the request again (C5).
    Reconnect {
        /// How long to wait before the next request.
        delay: Duration,
        /// Which attempt in a row without an event this is, from 1.
        attempt: u32,
    },
    /// Do not reconnect (C6).
    Stop(Stop),
}

/// The reconnection state of one event source: its reconnection time (C7,
/// C8) and the attempts made since the last event. See the
/// [module docs](self).
#[derive(Debug, Clone)]
pub struct Policy {
    config: Config,
    reconnection_time: Duration,
    /// Attempts in a row that brought no event.
    attempts: u32,
    /// Attempts since the backoff last started afresh: the delay doubles
    /// with each.
    step: u32,
    /// When the current connection was accepted, on the caller's clock.
    connected_at: Option<Duration>,
    /// Whether the current connection brought an event.
    progressed: bool,
}

impl Policy {
    /// A policy starting at `config.reconnection_time`.
    pub const fn new(config: Config) -> Self {
        Policy {
            reconnection_time: config.reconnection_time,
            config,
            attempts: 0,
            step: 0,
            connected_at: None,
            progressed: false,
        }
    }

    /// The configuration.
    pub const fn config(&self) -> &Config {
        &self.config
    }

    /// The reconnection time now (C8): the default, or the last `retry`.
    pub const fn reconnection_time(&self) -> Duration {
        self.reconnection_time
    }

    /// Attempts made in a row without an event.
    pub const fn attempts(&self) -> u32 {
        self.attempts
    }

    /// A response was accepted (status 200, an event stream) at `now`.
    pub fn on_connected(&mut self, now: Duration) {
        self.connected_at = Some(now);
        self.progressed = false;
    }

    /// An event was dispatched: the connection is healthy.
    pub fn on_event(&mut self) {
        self.progressed = true;
    }

    /// A `retry` field set the reconnection time (F4), floored at
    /// [`Config::min_reconnection_time`].
    pub fn on_retry(&mut self, time: Duration) {
        self.reconnection_time = time.max(self.config.min_reconnection_time);
    }

    /// The body ended cleanly at `now` (C5).
    pub fn on_end(&mut self, now: Duration, random: u32) -> Decision {
        if !self.config.reconnect_on_end {
            self.connected_at = None;
            return Decision::Stop(Stop::Ended);
        }
        self.next_attempt(now, random, None)
    }

    /// The attempt or the connection failed at `now`.
    pub fn on_failure(&mut self, failure: Failure, now: Duration, random: u32) -> Decision {
        let retry_after = match failure {
            Failure::Network => None,
            // A connection that fell silent was dead, however long it
            // stayed up: no fresh backoff for it.
            Failure::ReadTimeout => {
                self.connected_at = None;
                None
            }
            Failure::Status { code: 204, .. } => return self.stop(Stop::NoContent),
            Failure::Status { code, retry_after }
                if self.config.retry_statuses && (code == 429 || (500..600).contains(&code)) =>
            {
                retry_after
            }
            Failure::Status { code, .. } => return self.stop(Stop::Status(code)),
            Failure::ContentType => return self.stop(Stop::ContentType),
            Failure::Fatal => return self.stop(Stop::Fatal),
        };
        self.next_attempt(now, random, retry_after)
    }

    fn stop(&mut self, why: Stop) -> Decision {
        self.connected_at = None;
        Decision::Stop(why)
    }

    fn next_attempt(&mut self, now: Duration, random: u32, floor: Option<Duration>) -> Decision {
        let lived = match (self.connected_at, self.config.reset_after) {
            (Some(since), Some(after)) => now.saturating_sub(since) >= after,
            _ => false,
        };
        if self.progressed {
            self.attempts = 0;
        }
        if self.progressed || lived {
            self.step = 0;
        }
        self.connected_at = None;
        self.progressed = false;
        self.attempts = self.attempts.saturating_add(1);
        self.step = self.step.saturating_add(1);
        if let Some(max) = self.config.max_attempts {
            if self.attempts > max {
                return Decision::Stop(Stop::GaveUp { attempts: max });
            }
        }
        Decision::Reconnect {
            delay: self.delay(random, floor),
            attempt: self.attempts,
        }
    }

    /// The delay for the current attempt; see [`Policy::bounds`].
    fn delay(&self, random: u32, floor: Option<Duration>) -> Duration {
        let (lower, upper) = self.bounds(floor);
        // The first attempt waits the reconnection time; later ones double
        // from it, or from the least a `retry` may set if it is smaller (a
        // reconnection time of zero must still back off).
        let doublings = (self.step.max(1) - 1).min(31);
        let start = match doublings {
            0 => self.reconnection_time,
            _ => self
                .reconnection_time
                .max(self.config.min_reconnection_time),
        };
        let backoff = start
            .checked_mul(1 << doublings)
            .unwrap_or(Duration::MAX)
            .clamp(lower, upper.max(lower));
        // spread = backoff × percent/100 × random/2³², in nanoseconds.
        let nanos = backoff.as_nanos().min(u64::MAX as u128);
        let percent = u128::from(self.config.jitter_percent.min(100));
        let spread =
            Duration::from_nanos(((nanos * percent / 100 * u128::from(random)) >> 32) as u64);
        match backoff.checked_add(spread) {
            Some(delay) if delay <= upper => delay,
            // At the cap the jitter comes off it instead, so that clients
            // cut off together still spread out.
            _ => upper.saturating_sub(spread).max(lower),
        }
    }

    /// The range every delay falls in for the current reconnection time and
    /// a server's `Retry-After` (`floor`): at least the larger of the two
    /// (the spec's "wait the reconnection time", HTTP's "retry after");
    /// at most [`Config::max_delay`], or when the server asked for longer,
    /// that plus its jitter share.
    pub fn bounds(&self, floor: Option<Duration>) -> (Duration, Duration) {
        let lower = self.reconnection_time.max(floor.unwrap_or_default());
        let upper = if lower > self.config.max_delay {
            let percent = u32::from(self.config.jitter_percent.min(100));
            lower.saturating_add(lower / 100 * percent)
        } else {
            self.config.max_delay
        };
        (lower, upper)
    }
}

/// The delay a `Retry-After` header value asks for, when it is a number of
/// seconds (`delta-seconds`); an HTTP date needs a clock, which the caller
/// has.
///
/// ```
/// use core::time::Duration;
/// assert_eq!(sse_wire::reconnect::retry_after_seconds(b"120"), Some(Duration::from_secs(120)));
/// assert_eq!(sse_wire::reconnect::retry_after_seconds(b" 5 "), Some(Duration::from_secs(5)));
/// assert_eq!(sse_wire::reconnect::retry_after_seconds(b"-1"), None);
/// ```
pub fn retry_after_seconds(value: &[u8]) -> Option<Duration> {
    let value = value.trim_ascii();
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let seconds = value.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    });
    Some(Duration::from_secs(seconds.unwrap_or(u64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn policy() -> Policy {
        Policy::new(Config::new().jitter_percent(0))
    }

    #[test]
    fn c8_starts_at_three_seconds_and_retry_sets_it() {
        let mut p = policy();
        assert_eq!(p.reconnection_time(), DEFAULT_RECONNECTION_TIME);
        p.on_retry(1500 * MS);
        assert_eq!(p.reconnection_time(), 1500 * MS);
        // retry: 0 is floored.
        p.on_retry(Duration::ZERO);
        assert_eq!(p.reconnection_time(), 100 * MS);
    }

    #[test]
    fn c4_statuses_stop_unless_retried() {
        let mut p = policy();
        let s = |code| Failure::Status {
            code,
            retry_after: None,
        };
        assert_eq!(
            p.on_failure(s(204), Duration::ZERO, 0),
            Decision::Stop(Stop::NoContent)
        );
        assert_eq!(
            p.on_failure(s(503), Duration::ZERO, 0),
            Decision::Stop(Stop::Status(503))
        );
        assert_eq!(
            p.on_failure(Failure::ContentType, Duration::ZERO, 0),
            Decision::Stop(Stop::ContentType)
        );
        let mut p = Policy::new(Config::new().jitter_percent(0).retry_statuses(true));
        let d = p.on_failure(
            Failure::Status {
                code: 503,
                retry_after: Some(Duration::from_secs(7)),
            },
            Duration::ZERO,
            0,
        );
        assert_eq!(
            d,
            Decision::Reconnect {
                delay: Duration::from_secs(7),
                attempt: 1
            }
        );
        // 404 is not retried even then; 204 still means stop.
        assert_eq!(
            p.on_failure(s(404), Duration::ZERO, 0),
            Decision::Stop(Stop::Status(404))
        );
        assert_eq!(
            p.on_failure(s(204), Duration::ZERO, 0),
            Decision::Stop(Stop::NoContent)
        );
    }

    #[test]
    fn backoff_doubles_to_the_cap_and_an_event_resets_it() {
        let mut p = Policy::new(
            Config::new()
                .jitter_percent(0)
                .reconnection_time(MS * 1000)
                .max_delay(MS * 5000),
        );
        let delays: [u64; 5] = core::array::from_fn(|_| {
            match p.on_failure(Failure::Network, Duration::ZERO, u32::MAX) {
                Decision::Reconnect { delay, .. } => delay.as_millis() as u64,
                other => panic!("{other:?}"),
            }
        });
        assert_eq!(delays, [1000, 2000, 4000, 5000, 5000]);
        p.on_connected(Duration::ZERO);
        p.on_event();
        assert_eq!(
            p.on_end(Duration::ZERO, 0),
            Decision::Reconnect {
                delay: MS * 1000,
                attempt: 1
            }
        );
    }

    #[test]
    fn a_long_connection_resets_the_backoff_but_not_the_count() {
        let s = Duration::from_secs;
        let mut p = policy();
        let _ = p.on_failure(Failure::Network, Duration::ZERO, 0);
        p.on_connected(s(10));
        // Short: backoff doubles.
        assert_eq!(
            p.on_end(s(11), 0),
            Decision::Reconnect {
                delay: s(6),
                attempt: 2
            }
        );
        p.on_connected(s(20));
        // A minute up: the backoff starts afresh, the count goes on.
        assert_eq!(
            p.on_end(s(80), 0),
            Decision::Reconnect {
                delay: s(3),
                attempt: 3
            }
        );
        // A minute up, then silent: no fresh backoff.
        p.on_connected(s(100));
        assert_eq!(
            p.on_failure(Failure::ReadTimeout, s(200), 0),
            Decision::Reconnect {
                delay: s(6),
                attempt: 4
            }
        );
        // An event resets both.
        p.on_connected(s(300));
        p.on_event();
        assert_eq!(
            p.on_end(s(301), 0),
            Decision::Reconnect {
                delay: s(3),
                attempt: 1
            }
        );
    }

    #[test]
    fn gives_up_after_max_attempts_without_events() {
        let mut p = Policy::new(Config::new().max_attempts(Some(2)));
        assert!(matches!(
            p.on_end(Duration::ZERO, 0),
            Decision::Reconnect { attempt: 1, .. }
        ));
        assert!(matches!(
            p.on_failure(Failure::ReadTimeout, Duration::ZERO, 0),
            Decision::Reconnect { attempt: 2, .. }
        ));
        assert_eq!(
            p.on_failure(Failure::Network, Duration::ZERO, 0),
            Decision::Stop(Stop::GaveUp { attempts: 2 })
        );
    }

    #[test]
    fn a_clean_end_can_be_the_end() {
        let mut p = Policy::new(Config::new().reconnect_on_end(false));
        assert_eq!(p.on_end(Duration::ZERO, 0), Decision::Stop(Stop::Ended));
    }

    #[test]
    fn jitter_adds_its_share_below_the_cap_and_comes_off_the_cap() {
        let mut p = Policy::new(
            Config::new()
                .jitter_percent(50)
                .reconnection_time(MS * 2000)
                .max_delay(MS * 4000),
        );
        let mut delay = || match p.on_failure(Failure::Network, Duration::ZERO, u32::MAX) {
            Decision::Reconnect { delay, .. } => delay,
            other => panic!("{other:?}"),
        };
        let first = delay();
        assert!(first > MS * 2999 && first <= MS * 3000, "{first:?}");
        // 4000 + 2000 passes the cap: 4000 - 2000 instead.
        let second = delay();
        assert!(second >= MS * 2000 && second < MS * 2001, "{second:?}");
        for _ in 0..40 {
            let later = delay();
            assert!(later >= MS * 2000 && later <= MS * 4000, "{later:?}");
        }
    }

    #[test]
    fn a_zero_reconnection_time_still_backs_off_and_a_server_wish_gets_jitter() {
        let mut p = Policy::new(
            Config::new()
                .reconnection_time(Duration::ZERO)
                .jitter_percent(0),
        );
        let delays: [Duration; 3] =
            core::array::from_fn(
                |_| match p.on_failure(Failure::Network, Duration::ZERO, 0) {
                    Decision::Reconnect { delay, .. } => delay,
                    other => panic!("{other:?}"),
                },
            );
        assert_eq!(delays, [Duration::ZERO, MS * 200, MS * 400]);
        let mut p = Policy::new(Config::new().retry_statuses(true));
        let d = p.on_failure(
            Failure::Status {
                code: 503,
                retry_after: Some(Duration::from_secs(120)),
            },
            Duration::ZERO,
            u32::MAX,
        );
        let Decision::Reconnect { delay, .. } = d else {
            panic!()
        };
        assert!(delay > Duration::from_secs(149) && delay <= Duration::from_secs(150));
    }
}
