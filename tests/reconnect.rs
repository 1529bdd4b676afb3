//! Property tests of the sans-IO reconnection policy
//! (`sse_wire::reconnect::Policy`, C3-C8): over arbitrary configurations and
//! sequences of what a client tells it (connected at nondecreasing times,
//! events, `retry` fields, failures of every kind, clean ends, long runs of
//! failures in a row) and arbitrary random numbers.
//!
//! The delay rule, with `rt` the reconnection time at the decision, `ra` the
//! failure's `Retry-After` when its status is retried (zero otherwise), `pct`
//! the jitter percentage (at most 100 at use) and `r` the random `u32`:
//!
//! * bounds (`Policy::bounds`): `lower = max(rt, ra)`; `upper = max_delay`
//!   when `lower <= max_delay`, else `lower + lower/100 * pct`;
//! * backoff: `start * 2^min(step - 1, 31)` clamped into `[lower, upper]`,
//!   where `step` counts the attempts since the backoff last started afresh
//!   (below) and `start` is `rt` at step 1 and
//!   `max(rt, min_reconnection_time)` from step 2 on (a zero reconnection
//!   time still backs off);
//! * `spread = backoff * pct/100 * r/2^32`; `delay = backoff + spread` when
//!   that is at most `upper`, else `max(upper - spread, lower)` (the jitter
//!   comes off the cap).
//!
//! Two counters, both raised by one at every attempt (an end or a failure
//! that does not stop; giving up counts too):
//!
//! * `attempt`, the attempts in a row without an event: what
//!   `Decision::Reconnect { attempt }` says and `max_attempts` limits
//!   (`GaveUp` once it passes `n`). Only an event during the connection
//!   that just ended resets it (to 1 at that attempt).
//! * `step`, the backoff exponent above: reset (to 1 at that attempt) by an
//!   event, or by a connection that stayed up for `reset_after` unless it
//!   ended with `Failure::ReadTimeout` (a connection that fell silent was
//!   dead, however long it stayed up).
//!
//! Checked on every decision: it is the reference model's (`Model`, below)
//! exactly; `Policy::bounds` is the model's; `Policy::attempts` is the
//! count of attempts since the last event; on every `Reconnect`:
//! `lower <= delay <= upper`; with no jitter the delay is the clamped
//! backoff; `attempt >= 1`, and `attempt <= n` with `max_attempts:
//! Some(n)`.

use core::time::Duration;
use proptest::prelude::*;
use sse_wire::reconnect::{
    retry_after_seconds, Config, Decision, Failure, Policy, Stop, DEFAULT_RECONNECTION_TIME,
};

// ---------------------------------------------------------------------
// Strategies.

/// Durations from nothing to the largest, most of them plausible.
fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        1 => Just(Duration::ZERO),
        6 => (0u64..120_000).prop_map(Duration::from_millis),
        2 => (0u64..2_000_000_000).prop_map(Duration::from_nanos),
        1 => (0u64..u64::MAX, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        1 => Just(Duration::MAX),
    ]
}

fn config() -> impl Strategy<Value = Config> {
    (
        (duration(), duration(), duration()),
        (any::<u8>(), any::<bool>()),
        prop::option::of(duration()),
        prop::option::of(prop_oneof![3 => 0u32..6, 1 => any::<u32>()]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |((time, min, max), (jitter, raw), reset, attempts, statuses, on_end)| {
                let mut config = Config::new()
                    .reconnection_time(time)
                    .min_reconnection_time(min)
                    .max_delay(max)
                    .jitter_percent(jitter)
                    .reset_after(reset)
                    .max_attempts(attempts)
                    .retry_statuses(statuses)
                    .reconnect_on_end(on_end);
                // The field is public: past 100 it is clamped where used.
                if raw {
                    config.jitter_percent = jitter;
                }
                config
            },
        )
}

fn failure() -> impl Strategy<Value = Failure> {
    let code = prop_oneof![
        2 => Just(204u16),
        2 => Just(429u16),
        3 => 500u16..600,
        2 => prop::sample::select(vec![200u16, 301, 400, 401, 404, 499, 600]),
        1 => any::<u16>(),
    ];
    prop_oneof![
        3 => Just(Failure::Network),
        2 => Just(Failure::ReadTimeout),
        4 => (code, prop::option::of(duration()))
            .prop_map(|(code, retry_after)| Failure::Status { code, retry_after }),
        1 => Just(Failure::ContentType),
        1 => Just(Failure::Fatal),
    ]
}

/// The time since the last input: mostly seconds, at times a long while.
fn advance() -> impl Strategy<Value = Duration> {
    prop_oneof![
        4 => (0u64..90_000).prop_map(Duration::from_millis),
        1 => duration(),
    ]
}

/// What a client tells the policy. The inputs that take the time carry how
/// long after the previous one they come, so the clock never runs back.
#[derive(Debug, Clone)]
enum Op {
    Connected(Duration),
    Event,
    Retry(Duration),
    Failure(Failure, Duration, u32),
    End(Duration, u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => advance().prop_map(Op::Connected),
        3 => Just(Op::Event),
        2 => duration().prop_map(Op::Retry),
        5 => (failure(), advance(), any::<u32>()).prop_map(|(f, t, r)| Op::Failure(f, t, r)),
        3 => (advance(), any::<u32>()).prop_map(|(t, r)| Op::End(t, r)),
    ]
}

/// A run of failures in a row (no connection, so no reset), long enough at
/// times to pass the 32nd attempt.
fn failures() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        (failure(), 0u64..10_000, any::<u32>())
            .prop_map(|(f, ms, r)| Op::Failure(f, Duration::from_millis(ms), r)),
        1..48,
    )
}

/// Sequences of inputs, with runs of failures among them.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            12 => op().prop_map(|op| vec![op]),
            1 => failures(),
        ],
        0..=64,
    )
    .prop_map(|runs| runs.into_iter().flatten().collect())
}

/// `reset_after` for the properties of long connections: from nothing to
/// tens of thousands of years, never so long that the clock saturates.
fn reset_after() -> impl Strategy<Value = Duration> {
    prop_oneof![
        1 => Just(Duration::ZERO),
        4 => (0u64..120_000).prop_map(Duration::from_millis),
        1 => (0u64..1 << 40).prop_map(Duration::from_secs),
    ]
}

/// How a connection without events ends when it does not fall silent.
#[derive(Debug, Clone, Copy)]
enum Loud {
    End,
    Network,
    /// A retried status; a network error when statuses are not retried.
    Status(u16, Option<Duration>),
}

fn loud() -> impl Strategy<Value = Loud> {
    prop_oneof![
        Just(Loud::End),
        Just(Loud::Network),
        (
            prop_oneof![Just(429u16), 500u16..600],
            prop::option::of(duration())
        )
            .prop_map(|(code, retry_after)| Loud::Status(code, retry_after)),
    ]
}

/// The input that ends a connection `up` after it was accepted, and the
/// `Retry-After` it brings (`reconnect_on_end` is taken to be on).
fn loud_op(config: &Config, loud: Loud, up: Duration, random: u32) -> (Op, Option<Duration>) {
    match loud {
        Loud::End => (Op::End(up, random), None),
        Loud::Status(code, retry_after) if config.retry_statuses => (
            Op::Failure(Failure::Status { code, retry_after }, up, random),
            retry_after,
        ),
        Loud::Network | Loud::Status(..) => (Op::Failure(Failure::Network, up, random), None),
    }
}

// ---------------------------------------------------------------------
// The reference model, in nanoseconds as u128 (no overflow is possible:
// `Duration::MAX` is below 2^94 ns and the backoff doubles at most 31
// times).

const NANOS: u128 = 1_000_000_000;

fn nanos(d: Duration) -> u128 {
    d.as_nanos()
}

fn duration_of(n: u128) -> Duration {
    if n >= nanos(Duration::MAX) {
        Duration::MAX
    } else {
        Duration::new((n / NANOS) as u64, (n % NANOS) as u32)
    }
}

/// The jitter percentage as used: at most 100.
fn percent(config: &Config) -> u128 {
    u128::from(config.jitter_percent.min(100))
}

/// `Policy::bounds` written out: at least the reconnection time and
/// `Retry-After`; at most `max_delay`, or past it the server's wish plus
/// its jitter share (saturating at `Duration::MAX`).
fn model_bounds(config: &Config, rt: Duration, ra: Option<Duration>) -> (u128, u128) {
    let lower = nanos(rt).max(nanos(ra.unwrap_or_default()));
    let max_delay = nanos(config.max_delay);
    let upper = if lower <= max_delay {
        max_delay
    } else {
        (lower + lower / 100 * percent(config)).min(nanos(Duration::MAX))
    };
    (lower, upper)
}

/// One delay, with its parts, in nanoseconds.
#[derive(Debug)]
struct Delay {
    lower: u128,
    upper: u128,
    /// The backoff clamped into `[lower, upper]`, before jitter.
    backoff: u128,
    spread: u128,
    delay: u128,
}

fn model_delay(
    config: &Config,
    rt: Duration,
    step: u32,
    ra: Option<Duration>,
    random: u32,
) -> Delay {
    let (lower, upper) = model_bounds(config, rt, ra);
    let doublings = (step.max(1) - 1).min(31);
    let start = if doublings == 0 {
        nanos(rt)
    } else {
        nanos(rt).max(nanos(config.min_reconnection_time))
    };
    let backoff = (start << doublings).max(lower).min(upper);
    let spread =
        (backoff.min(u128::from(u64::MAX)) * percent(config) / 100 * u128::from(random)) >> 32;
    let delay = if backoff + spread <= upper {
        backoff + spread
    } else {
        upper.saturating_sub(spread).max(lower)
    };
    Delay {
        lower,
        upper,
        backoff,
        spread,
        delay,
    }
}

/// The policy as its docs describe it, written out plainly.
#[derive(Debug, Clone)]
struct Model {
    config: Config,
    rt: Duration,
    /// Attempts in a row without an event.
    attempts: u32,
    /// Attempts since the backoff last started afresh.
    step: u32,
    connected_at: Option<Duration>,
    /// Whether an event came since the last connection or attempt.
    progressed: bool,
}

/// How the connection (if any) before an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// An end, a network error, a retried status.
    Other,
    /// It fell silent: however long it was up, it does not count as lived.
    Silent,
}

impl Model {
    fn new(config: Config) -> Self {
        Model {
            config,
            rt: config.reconnection_time,
            attempts: 0,
            step: 0,
            connected_at: None,
            progressed: false,
        }
    }

    fn attempt(
        &mut self,
        ending: Ending,
        now: Duration,
        random: u32,
        ra: Option<Duration>,
    ) -> Decision {
        let lived = ending != Ending::Silent
            && match (self.connected_at, self.config.reset_after) {
                (Some(since), Some(after)) => now.saturating_sub(since) >= after,
                _ => false,
            };
        // Only an event starts the count afresh; an event or a lived
        // connection starts the backoff afresh.
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
        match self.config.max_attempts {
            Some(max) if self.attempts > max => Decision::Stop(Stop::GaveUp { attempts: max }),
            _ => Decision::Reconnect {
                delay: duration_of(model_delay(&self.config, self.rt, self.step, ra, random).delay),
                attempt: self.attempts,
            },
        }
    }

    fn stop(&mut self, why: Stop) -> Decision {
        self.connected_at = None;
        Decision::Stop(why)
    }

    fn on_end(&mut self, now: Duration, random: u32) -> Decision {
        if !self.config.reconnect_on_end {
            return self.stop(Stop::Ended);
        }
        self.attempt(Ending::Other, now, random, None)
    }

    fn on_failure(&mut self, failure: Failure, now: Duration, random: u32) -> Decision {
        match failure {
            Failure::Network => self.attempt(Ending::Other, now, random, None),
            Failure::ReadTimeout => self.attempt(Ending::Silent, now, random, None),
            // S1: 204 is the server's "stop", whatever the configuration.
            Failure::Status { code: 204, .. } => self.stop(Stop::NoContent),
            Failure::Status { code, retry_after }
                if self.config.retry_statuses && (code == 429 || (500..600).contains(&code)) =>
            {
                self.attempt(Ending::Other, now, random, retry_after)
            }
            Failure::Status { code, .. } => self.stop(Stop::Status(code)),
            Failure::ContentType => self.stop(Stop::ContentType),
            Failure::Fatal => self.stop(Stop::Fatal),
            _ => unreachable!("a new kind of failure: {failure:?}"),
        }
    }
}

// ---------------------------------------------------------------------
// Running a sequence.

/// The `Retry-After` a failure brings, when its status is retried.
fn retry_after(config: &Config, failure: &Failure) -> Option<Duration> {
    match *failure {
        Failure::Status { code, retry_after }
            if config.retry_statuses && (code == 429 || (500..600).contains(&code)) =>
        {
            retry_after
        }
        _ => None,
    }
}

/// The bounds every `Reconnect` keeps; `rt` is the reconnection time when
/// it was decided, `ra` the failure's `Retry-After` if retried, `bounds`
/// what `Policy::bounds(ra)` said then, `step` the model's backoff step
/// after the decision.
fn check_reconnect(
    config: &Config,
    bounds: (Duration, Duration),
    decision: Decision,
    rt: Duration,
    ra: Option<Duration>,
    random: u32,
    step: u32,
) -> Result<(), TestCaseError> {
    // The bounds hold whatever the decision.
    let (lower, upper) = model_bounds(config, rt, ra);
    prop_assert_eq!(
        bounds,
        (duration_of(lower), duration_of(upper)),
        "Policy::bounds (rt {:?}, ra {:?})",
        rt,
        ra
    );
    prop_assert!(lower <= upper, "bounds {lower} > {upper}");
    let Decision::Reconnect { delay, attempt } = decision else {
        return Ok(());
    };
    prop_assert!(attempt >= 1, "attempt 0: {decision:?}");
    if let Some(max) = config.max_attempts {
        prop_assert!(attempt <= max, "attempt {attempt} past max_attempts {max}");
    }
    // Never sooner than the reconnection time (C5, C8) nor than
    // `Retry-After`; never later than the cap, or the server's wish and
    // its jitter share when that is longer.
    let d = nanos(delay);
    prop_assert!(
        d >= lower && d <= upper,
        "{delay:?} outside [{lower}, {upper}] ns (rt {rt:?}, ra {ra:?})"
    );
    prop_assert!(delay >= rt && delay >= ra.unwrap_or_default());
    prop_assert!(
        step >= 1 && step <= attempt,
        "step {step}, attempt {attempt}"
    );
    let m = model_delay(config, rt, step, ra, random);
    prop_assert_eq!(d, m.delay, "{:?}", m);
    if percent(config) == 0 || random == 0 {
        // No jitter: the clamped backoff.
        prop_assert_eq!(d, m.backoff, "{:?}", m);
    } else {
        prop_assert!(m.spread <= m.backoff * percent(config) / 100, "{:?}", m);
        if m.backoff + m.spread <= m.upper {
            // Jitter on top, at most its share.
            prop_assert_eq!(d, m.backoff + m.spread, "{:?}", m);
        } else {
            // Jitter off the cap, never below the lower bound.
            prop_assert!(d <= m.backoff, "{:?}", m);
            prop_assert_eq!(d, m.upper.saturating_sub(m.spread).max(m.lower), "{:?}", m);
        }
    }
    Ok(())
}

/// A policy and its model side by side, with the caller's clock: every
/// input goes to both, and every decision is checked against the bounds
/// and the model.
struct Harness {
    config: Config,
    policy: Policy,
    model: Model,
    now: Duration,
    /// Whether an event came since the last connection or attempt: what
    /// alone resets the count of attempts.
    event_since: bool,
}

impl Harness {
    fn new(config: Config) -> Result<Self, TestCaseError> {
        let policy = Policy::new(config);
        prop_assert_eq!(policy.reconnection_time(), config.reconnection_time);
        prop_assert_eq!(policy.config(), &config);
        prop_assert_eq!(policy.attempts(), 0);
        Ok(Harness {
            config,
            policy,
            model: Model::new(config),
            now: Duration::ZERO,
            event_since: false,
        })
    }

    /// Applies one input; returns the decision, if it asked for one.
    fn apply(&mut self, op: &Op) -> Result<Option<Decision>, TestCaseError> {
        let Harness {
            config,
            policy,
            model,
            now,
            event_since,
        } = self;
        let rt = policy.reconnection_time();
        let attempts = policy.attempts();
        let decision = match *op {
            Op::Connected(dt) => {
                *now = now.saturating_add(dt);
                policy.on_connected(*now);
                model.connected_at = Some(*now);
                model.progressed = false;
                *event_since = false;
                None
            }
            Op::Event => {
                policy.on_event();
                model.progressed = true;
                *event_since = true;
                None
            }
            Op::Retry(time) => {
                policy.on_retry(time);
                // F4, C8: the `retry` value, floored.
                model.rt = time.max(config.min_reconnection_time);
                prop_assert_eq!(policy.reconnection_time(), model.rt);
                None
            }
            Op::Failure(failure, dt, random) => {
                *now = now.saturating_add(dt);
                let ra = retry_after(config, &failure);
                let bounds = policy.bounds(ra);
                let decision = policy.on_failure(failure, *now, random);
                let expected = model.on_failure(failure, *now, random);
                prop_assert_eq!(decision, expected, "{:?} at {:?}", op, now);
                check_reconnect(config, bounds, decision, rt, ra, random, model.step)?;
                if let Failure::Status { code: 204, .. } = failure {
                    prop_assert_eq!(decision, Decision::Stop(Stop::NoContent));
                }
                Some(decision)
            }
            Op::End(dt, random) => {
                *now = now.saturating_add(dt);
                let bounds = policy.bounds(None);
                let decision = policy.on_end(*now, random);
                let expected = model.on_end(*now, random);
                prop_assert_eq!(decision, expected, "{:?} at {:?}", op, now);
                check_reconnect(config, bounds, decision, rt, None, random, model.step)?;
                Some(decision)
            }
        };
        // Only `on_retry` changes the reconnection time (C7: it persists).
        if !matches!(op, Op::Retry(_)) {
            prop_assert_eq!(policy.reconnection_time(), rt);
        }
        prop_assert_eq!(policy.attempts(), model.attempts);
        // The count of attempts: one more at each attempt (giving up
        // included), back to 1 only when an event came before it; nothing
        // else changes it.
        match decision {
            Some(Decision::Reconnect { .. } | Decision::Stop(Stop::GaveUp { .. })) => {
                let expected = if *event_since {
                    1
                } else {
                    attempts.saturating_add(1)
                };
                prop_assert_eq!(policy.attempts(), expected, "{:?}", op);
                if let Some(Decision::Reconnect { attempt, .. }) = decision {
                    prop_assert_eq!(attempt, expected);
                }
                *event_since = false;
            }
            _ => prop_assert_eq!(policy.attempts(), attempts, "{:?}", op),
        }
        Ok(decision)
    }

    /// Applies `ops`; returns their decisions.
    fn apply_all(&mut self, ops: &[Op]) -> Result<Vec<Decision>, TestCaseError> {
        let mut decisions = Vec::new();
        for op in ops {
            decisions.extend(self.apply(op)?);
        }
        Ok(decisions)
    }
}

/// Runs `ops` from a fresh policy, checking every decision against the
/// bounds and the model, and returns the policy and the decisions.
fn run(config: Config, ops: &[Op]) -> Result<(Policy, Vec<Decision>), TestCaseError> {
    let mut harness = Harness::new(config)?;
    let decisions = harness.apply_all(ops)?;
    Ok((harness.policy, decisions))
}

// ---------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2048,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("proptest-regressions/reconnect.txt"),
        )),
        ..ProptestConfig::default()
    })]

    /// Every decision keeps the bounds above and is the model's.
    #[test]
    fn every_decision_keeps_the_bounds_and_matches_the_model(config in config(), ops in ops()) {
        run(config, &ops)?;
    }

    /// The same with no jitter: every delay is exactly the clamped backoff.
    #[test]
    fn without_jitter_the_delay_is_the_backoff(config in config(), ops in ops()) {
        run(config.jitter_percent(0), &ops)?;
    }

    /// `Policy::bounds` is the documented range for any reconnection time
    /// and `Retry-After`, and never empty.
    #[test]
    fn bounds_are_the_documented_range(
        config in config(),
        retry in prop::option::of(duration()),
        floor in prop::option::of(duration()),
    ) {
        let mut policy = Policy::new(config);
        if let Some(time) = retry {
            policy.on_retry(time);
        }
        let rt = policy.reconnection_time();
        let (lower, upper) = policy.bounds(floor);
        let (l, u) = model_bounds(&config, rt, floor);
        prop_assert_eq!((lower, upper), (duration_of(l), duration_of(u)));
        prop_assert!(lower <= upper);
        prop_assert_eq!(lower, rt.max(floor.unwrap_or_default()));
        if lower <= config.max_delay {
            prop_assert_eq!(upper, config.max_delay);
        }
    }

    /// C5: after an event, a clean end reconnects as the first attempt,
    /// whatever came before. The first attempt starts from the reconnection
    /// time itself (not floored at `min_reconnection_time`) and the lower
    /// bound is that time, so the backoff is exactly it, for every
    /// reconnection time: without jitter the delay is exactly the
    /// reconnection time, with no further condition. With jitter it is
    /// `rt + spread` when that stays within the upper bound, else exactly
    /// `rt` again (`upper - spread < rt` there, so the jitter cannot come
    /// off the cap below the reconnection time).
    #[test]
    fn c5_an_event_then_the_end_is_attempt_1_after_the_reconnection_time(
        config in config(),
        ops in ops(),
        random in any::<u32>(),
    ) {
        for config in [config, config.jitter_percent(0)] {
            let (mut policy, _) = run(config, &ops)?;
            let rt = policy.reconnection_time();
            let (_, upper) = policy.bounds(None);
            policy.on_event();
            let decision = policy.on_end(Duration::MAX, random);
            if !config.reconnect_on_end {
                prop_assert_eq!(decision, Decision::Stop(Stop::Ended));
                continue;
            }
            if config.max_attempts == Some(0) {
                // At most 1 + 0 requests: even after an event.
                prop_assert_eq!(decision, Decision::Stop(Stop::GaveUp { attempts: 0 }));
                continue;
            }
            let Decision::Reconnect { delay, attempt } = decision else {
                return Err(TestCaseError::fail(format!("{decision:?}")));
            };
            prop_assert_eq!(attempt, 1);
            prop_assert_eq!(policy.attempts(), 1);
            if config.jitter_percent == 0 {
                prop_assert_eq!(delay, rt);
            } else {
                let share = nanos(rt).min(u128::from(u64::MAX)) * percent(&config) / 100;
                let spread = (share * u128::from(random)) >> 32;
                let on_top = nanos(rt) + spread;
                let expected = if on_top <= nanos(upper) { on_top } else { nanos(rt) };
                prop_assert_eq!(nanos(delay), expected);
                prop_assert!(delay >= rt && delay <= upper);
            }
        }
    }

    /// With `max_attempts: Some(n)` no `Reconnect` has an attempt above
    /// `n`, and giving up says `n`; failures in a row make exactly `n`
    /// attempts, then stop.
    #[test]
    fn max_attempts_is_never_passed(
        config in config(),
        n in 0u32..8,
        ops in ops(),
        random in any::<u32>(),
    ) {
        let config = config.max_attempts(Some(n));
        let (mut policy, decisions) = run(config, &ops)?;
        for decision in decisions {
            match decision {
                Decision::Reconnect { attempt, .. } => prop_assert!(attempt >= 1 && attempt <= n),
                Decision::Stop(Stop::GaveUp { attempts }) => prop_assert_eq!(attempts, n),
                Decision::Stop(_) => {}
            }
        }
        // From a fresh start (an event), failures in a row.
        policy.on_event();
        for attempt in 1..=n {
            let d = policy.on_failure(Failure::Network, Duration::MAX, random);
            prop_assert!(matches!(d, Decision::Reconnect { attempt: a, .. } if a == attempt), "{:?}", d);
        }
        let d = policy.on_failure(Failure::ReadTimeout, Duration::MAX, random);
        prop_assert_eq!(d, Decision::Stop(Stop::GaveUp { attempts: n }));
    }

    /// `max_attempts` counts attempts without an event, however long each
    /// connection stayed up. With `Some(n)`, after a connection with an
    /// event (attempt 1), connections that each stay up past `reset_after`
    /// but bring no event (ending cleanly, cut, or with a retried status)
    /// start the backoff afresh every time (each delay is the first step's),
    /// yet the count goes on: attempts 2 to `n`, then giving up.
    #[test]
    fn long_connections_without_events_still_give_up(
        config in config(),
        n in 0u32..8,
        reset in reset_after(),
        ops in ops(),
        first_random in any::<u32>(),
        long in prop::collection::vec((0u64..90_000, 0u64..90_000, loud(), any::<u32>()), 9),
    ) {
        let config = config
            .max_attempts(Some(n))
            .reset_after(Some(reset))
            .reconnect_on_end(true);
        let mut h = Harness::new(config)?;
        h.apply_all(&ops)?;
        let rt = h.policy.reconnection_time();
        // Each attempt below starts the backoff afresh: step 1.
        let fresh = |attempt: u32, ra: Option<Duration>, random: u32| {
            if attempt <= n {
                let delay = duration_of(model_delay(&config, rt, 1, ra, random).delay);
                Decision::Reconnect { delay, attempt }
            } else {
                Decision::Stop(Stop::GaveUp { attempts: n })
            }
        };
        // A fresh clock: every input below follows its own `on_connected`.
        h.now = Duration::ZERO;
        h.apply(&Op::Connected(Duration::ZERO))?;
        h.apply(&Op::Event)?;
        let d = h.apply(&Op::Failure(Failure::Network, Duration::ZERO, first_random))?;
        prop_assert_eq!(d, Some(fresh(1, None, first_random)));
        for (i, &(gap, extra, loud, random)) in long.iter().take(n as usize + 1).enumerate() {
            let attempt = i as u32 + 2;
            h.apply(&Op::Connected(Duration::from_millis(gap)))?;
            let up = reset + Duration::from_millis(extra);
            let (op, ra) = loud_op(&config, loud, up, random);
            let d = h.apply(&op)?;
            prop_assert_eq!(d, Some(fresh(attempt, ra, random)), "attempt {} ({:?})", attempt, op);
        }
        prop_assert_eq!(h.policy.attempts(), n + 2);
    }

    /// A connection that fell silent never starts the backoff afresh,
    /// however long it stayed up. After a connection with an event
    /// (attempt 1), connections without events that each end with
    /// `ReadTimeout`, past `reset_after` or not, decide exactly what
    /// failures in a row without any connection would (step = attempt);
    /// then a connection that stays up past `reset_after` and ends
    /// otherwise does start it afresh.
    #[test]
    fn a_read_timeout_never_resets_the_backoff(
        config in config(),
        reset in prop::option::of(reset_after()),
        ops in ops(),
        first_random in any::<u32>(),
        silent in prop::collection::vec(
            (0u64..90_000, any::<bool>(), 0u64..90_000, any::<u32>()),
            1..40,
        ),
        last in (0u64..90_000, 0u64..90_000, loud(), any::<u32>()),
    ) {
        let config = config
            .max_attempts(None)
            .reset_after(reset)
            .reconnect_on_end(true);
        let mut h = Harness::new(config)?;
        h.apply_all(&ops)?;
        let rt = h.policy.reconnection_time();
        h.now = Duration::ZERO;
        h.apply(&Op::Connected(Duration::ZERO))?;
        h.apply(&Op::Event)?;
        let d = h.apply(&Op::Failure(Failure::Network, Duration::ZERO, first_random))?;
        let delay = duration_of(model_delay(&config, rt, 1, None, first_random).delay);
        prop_assert_eq!(d, Some(Decision::Reconnect { delay, attempt: 1 }));
        // The same state, fed failures with no connection at all.
        let mut unconnected = h.policy.clone();
        let mut attempt = 1;
        for &(gap, long, extra, random) in &silent {
            attempt += 1;
            h.apply(&Op::Connected(Duration::from_millis(gap)))?;
            let up = Duration::from_millis(extra)
                + if long { reset.unwrap_or_default() } else { Duration::ZERO };
            let d = h.apply(&Op::Failure(Failure::ReadTimeout, up, random))?;
            let delay = duration_of(model_delay(&config, rt, attempt, None, random).delay);
            prop_assert_eq!(d, Some(Decision::Reconnect { delay, attempt }), "up {:?}", up);
            prop_assert_eq!(d, Some(unconnected.on_failure(Failure::Network, h.now, random)));
        }
        // Up past `reset_after` and not silent: step 1 again (with
        // `reset_after` on), the count still going on.
        attempt += 1;
        let (gap, extra, loud, random) = last;
        h.apply(&Op::Connected(Duration::from_millis(gap)))?;
        let up = reset.unwrap_or_default() + Duration::from_millis(extra);
        let (op, ra) = loud_op(&config, loud, up, random);
        let d = h.apply(&op)?;
        let step = if reset.is_some() { 1 } else { attempt };
        let delay = duration_of(model_delay(&config, rt, step, ra, random).delay);
        prop_assert_eq!(d, Some(Decision::Reconnect { delay, attempt }), "{:?}", op);
    }

    /// S1, C4: 204 always stops with `NoContent`, whatever the state, the
    /// configuration (`retry_statuses` included) and `Retry-After`.
    #[test]
    fn s1_status_204_always_stops_with_no_content(
        config in config(),
        ops in ops(),
        retry_after in prop::option::of(duration()),
        random in any::<u32>(),
    ) {
        let (mut policy, _) = run(config, &ops)?;
        let failure = Failure::Status { code: 204, retry_after };
        let now = Duration::MAX;
        prop_assert_eq!(policy.on_failure(failure, now, random), Decision::Stop(Stop::NoContent));
        let mut fresh = Policy::new(config.retry_statuses(true));
        prop_assert_eq!(fresh.on_failure(failure, now, random), Decision::Stop(Stop::NoContent));
    }

    /// C4: without `retry_statuses` every status stops with itself (204
    /// with `NoContent`); a content type and a fatal failure always stop.
    /// Stopping does not count an attempt.
    #[test]
    fn c4_statuses_stop_unless_retried(
        config in config(),
        ops in ops(),
        code in any::<u16>(),
        retry_after in prop::option::of(duration()),
        random in any::<u32>(),
    ) {
        let (mut policy, _) = run(config.retry_statuses(false), &ops)?;
        let attempts = policy.attempts();
        let expected = if code == 204 { Stop::NoContent } else { Stop::Status(code) };
        let now = Duration::MAX;
        prop_assert_eq!(policy.on_failure(Failure::Status { code, retry_after }, now, random), Decision::Stop(expected));
        prop_assert_eq!(policy.on_failure(Failure::ContentType, now, random), Decision::Stop(Stop::ContentType));
        prop_assert_eq!(policy.on_failure(Failure::Fatal, now, random), Decision::Stop(Stop::Fatal));
        prop_assert_eq!(policy.attempts(), attempts);
    }

    /// C4 opt-in: a retried status waits at least its `Retry-After`, even
    /// past `max_delay`, and at most that plus its jitter share there.
    #[test]
    fn retried_statuses_wait_for_retry_after(
        config in config(),
        ops in ops(),
        code in prop_oneof![Just(429u16), 500u16..600],
        retry_after in duration(),
        random in any::<u32>(),
    ) {
        let config = config.retry_statuses(true).max_attempts(None);
        let (mut policy, _) = run(config, &ops)?;
        let rt = policy.reconnection_time();
        let (lower, upper) = policy.bounds(Some(retry_after));
        let d = policy.on_failure(Failure::Status { code, retry_after: Some(retry_after) }, Duration::MAX, random);
        let Decision::Reconnect { delay, .. } = d else {
            return Err(TestCaseError::fail(format!("{d:?}")));
        };
        prop_assert_eq!(lower, rt.max(retry_after));
        prop_assert!(delay >= retry_after && delay >= rt);
        prop_assert!(delay <= upper);
        let ceiling = nanos(config.max_delay.max(lower));
        let share = nanos(lower) / 100 * percent(&config);
        prop_assert!(nanos(delay) <= ceiling + share, "{:?} > {} + {} ns", delay, ceiling, share);
    }

    /// F4, C8: `retry` sets the reconnection time, floored at
    /// `min_reconnection_time`; nothing else changes it.
    #[test]
    fn f4_retry_sets_the_reconnection_time_floored(config in config(), time in duration()) {
        let mut policy = Policy::new(config);
        policy.on_retry(time);
        prop_assert_eq!(policy.reconnection_time(), time.max(config.min_reconnection_time));
    }

    /// `Retry-After` in seconds: digits, optional surrounding whitespace.
    #[test]
    fn retry_after_seconds_reads_delta_seconds(n in any::<u64>(), pad in "[ \t]{0,2}") {
        let text = format!("{pad}{n}{pad}");
        prop_assert_eq!(retry_after_seconds(text.as_bytes()), Some(Duration::from_secs(n)));
        let negative = format!("-{n}");
        prop_assert_eq!(retry_after_seconds(negative.as_bytes()), None);
    }
}

// ---------------------------------------------------------------------
// Examples.

#[test]
fn c8_the_default_config_is_the_documented_one() {
    let config = Config::new();
    assert_eq!(config.reconnection_time, DEFAULT_RECONNECTION_TIME);
    assert_eq!(DEFAULT_RECONNECTION_TIME, Duration::from_secs(3));
    assert_eq!(config.min_reconnection_time, Duration::from_millis(100));
    assert_eq!(config.max_delay, Duration::from_secs(30));
    assert_eq!(config.jitter_percent, 25);
    assert_eq!(config.reset_after, Some(Duration::from_secs(60)));
    assert_eq!(config.max_attempts, None);
    assert!(!config.retry_statuses);
    assert!(config.reconnect_on_end);
    assert_eq!(Config::default(), config);
    assert_eq!(Config::new().jitter_percent(200).jitter_percent, 100);
}

/// Failures in a row back off from the reconnection time to the cap.
fn failures_in_a_row(config: Config, count: u32, random: u32) -> Vec<Decision> {
    let mut policy = Policy::new(config);
    (0..count)
        .map(|_| policy.on_failure(Failure::Network, Duration::ZERO, random))
        .collect()
}

fn delays(decisions: &[Decision]) -> Vec<Duration> {
    decisions
        .iter()
        .map(|d| match *d {
            Decision::Reconnect { delay, .. } => delay,
            other => panic!("{other:?}"),
        })
        .collect()
}

/// The first attempt waits the reconnection time; from the second on the
/// doubling starts from `min_reconnection_time` (100 ms) when the
/// reconnection time (1 ms) is below it.
#[test]
fn backoff_doubles_up_to_the_cap_within_32_attempts() {
    let config = Config::new()
        .jitter_percent(0)
        .reconnection_time(Duration::from_millis(1))
        .max_delay(Duration::from_secs(3600));
    let delays = delays(&failures_in_a_row(config, 32, u32::MAX));
    assert_eq!(delays[0], Duration::from_millis(1));
    for (i, &delay) in delays.iter().enumerate().skip(1) {
        let doubled = Duration::from_millis(100 << i);
        assert_eq!(
            delay,
            doubled.min(Duration::from_secs(3600)),
            "attempt {}",
            i + 1
        );
    }
    assert_eq!(delays[10], Duration::from_millis(102_400));
    assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
    assert_eq!(delays[31], Duration::from_secs(3600));
}

/// A zero reconnection time still backs off, from `min_reconnection_time`.
#[test]
fn a_zero_reconnection_time_backs_off_from_the_least_retry() {
    let config = Config::new()
        .jitter_percent(0)
        .reconnection_time(Duration::ZERO)
        .min_reconnection_time(Duration::from_millis(250));
    let delays = delays(&failures_in_a_row(config, 5, 0));
    let ms = Duration::from_millis;
    assert_eq!(delays, [ms(0), ms(500), ms(1000), ms(2000), ms(4000)]);
}

/// Fixed: the doubling is capped at 31, so the 33rd attempt in a row and
/// later neither panic (the old `u32` shift by 32 overflowed in debug
/// builds) nor fall back from the cap to the reconnection time (release).
#[test]
fn backoff_past_32_attempts_stays_at_the_cap() {
    let config = Config::new().jitter_percent(0);
    for (i, d) in failures_in_a_row(config, 200, u32::MAX)
        .into_iter()
        .enumerate()
    {
        let attempt = i as u32 + 1;
        // 3 s, 6 s, 12 s, 24 s, then the 30 s cap.
        let expected = Duration::from_secs(if attempt <= 4 { 3 << (attempt - 1) } else { 30 });
        assert_eq!(
            d,
            Decision::Reconnect {
                delay: expected,
                attempt
            }
        );
    }
    // With the default jitter, at the cap the jitter comes off it: between
    // 22.5 s and 30 s, never above, never below the reconnection time.
    let config = Config::new();
    let mut policy = Policy::new(config);
    let (lower, upper) = policy.bounds(None);
    assert_eq!(
        (lower, upper),
        (Duration::from_secs(3), Duration::from_secs(30))
    );
    for i in 0..200u32 {
        let random = i.wrapping_mul(0x9E37_79B9);
        let Decision::Reconnect { delay, attempt } =
            policy.on_failure(Failure::Network, Duration::ZERO, random)
        else {
            panic!()
        };
        assert_eq!(attempt, i + 1);
        assert!(
            delay >= lower && delay <= upper,
            "attempt {attempt}: {delay:?}"
        );
        if attempt >= 5 {
            assert!(
                delay >= Duration::from_millis(22_500),
                "attempt {attempt}: {delay:?}"
            );
        }
    }
    // Unbounded, the doubling stops at 2^31 times the start.
    let config = Config::new()
        .jitter_percent(0)
        .reconnection_time(Duration::from_nanos(1))
        .min_reconnection_time(Duration::ZERO)
        .max_delay(Duration::MAX);
    for (i, d) in failures_in_a_row(config, 100, 0).into_iter().enumerate() {
        let attempt = i as u32 + 1;
        let expected = Duration::from_nanos(1 << (attempt - 1).min(31));
        assert_eq!(
            d,
            Decision::Reconnect {
                delay: expected,
                attempt
            }
        );
    }
}

/// The same, as a property over long runs of failures: every decision is
/// the model's and within `Policy::bounds`; without jitter the delays never
/// fall and stay put from the 32nd attempt on.
#[test]
fn backoff_past_32_attempts_keeps_the_bounds() {
    let runner = ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(runner, |(config in config(), count in 33u32..300, random in any::<u32>())| {
        for config in [config.max_attempts(None), config.max_attempts(None).jitter_percent(0)] {
            let mut policy = Policy::new(config);
            let mut model = Model::new(config);
            let mut last = None;
            for attempt in 1..=count {
                let bounds = policy.bounds(None);
                let d = policy.on_failure(Failure::Network, Duration::ZERO, random);
                prop_assert_eq!(d, model.on_failure(Failure::Network, Duration::ZERO, random));
                // No connection: the backoff never starts afresh.
                prop_assert_eq!(model.step, attempt);
                check_reconnect(&config, bounds, d, config.reconnection_time, None, random, model.step)?;
                let Decision::Reconnect { delay, attempt: a } = d else {
                    return Err(TestCaseError::fail(format!("{d:?}")));
                };
                prop_assert_eq!(a, attempt);
                if config.jitter_percent == 0 {
                    if let Some(last) = last {
                        prop_assert!(delay >= last, "attempt {attempt}: {delay:?} < {last:?}");
                        if attempt > 32 {
                            prop_assert_eq!(delay, last);
                        }
                    }
                    last = Some(delay);
                }
            }
        }
    });
}
