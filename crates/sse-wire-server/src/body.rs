//! A response body from a stream of encoded events: padding first,
//! heartbeats when idle, one frame per event, a hook when it is dropped.

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http_body::{Body, Frame, SizeHint};
use sse_wire::encode::{KEEP_ALIVE, PADDING};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{sleep_until, Instant, Sleep};

/// `after` from now, or as far as the clock goes: a huge heartbeat means
/// rarely, not a panic.
fn deadline(after: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(after)
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// `EventBody::retry` unset.
const NO_RETRY: u64 = u64::MAX;

/// The most bytes of waiting events joined into one frame.
const FRAME_BYTES: usize = 64 * 1024;

/// The heartbeat interval the builder starts with: 15 s, as RULES S4 and
/// the guide's servers send.
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(15);

pin_project_lite::pin_project! {
    /// An `http-body` [`Body`] that writes the items of `events` (encoded
    /// events, such as [`Event::to_bytes`](sse_wire::encode::Event::to_bytes)
    /// makes or a [`Hub`](crate::Hub) subscription yields): each event as
    /// soon as it comes, and the events that are already waiting together,
    /// in one frame (up to 64 KiB), so that a client that fell behind gets
    /// them in one write.
    ///
    /// * With [`padding`](Self::padding), a 2 KiB comment goes first, for
    ///   proxies and old browsers that hold back the start of a response
    ///   (S5); then, with [`retry`](Self::retry), the reconnection time.
    /// * With a [`heartbeat`](Self::heartbeat) (15 s by default), a comment
    ///   line `:` is written whenever no event has been for that long (S4):
    ///   the timer restarts with every event, and a heartbeat only ever falls
    ///   between two items, never inside an event.
    /// * The body ends when `events` ends.
    /// * When the client goes away, hyper drops the body, and with it
    ///   `events` (a subscription is freed then) and the
    ///   [`on_close`](Self::on_close) hook runs.
    ///
    /// ```
    /// use bytes::{Bytes, BytesMut};
    /// use futures_util::stream;
    /// use sse_wire::encode::Event;
    /// use sse_wire_server::EventBody;
    ///
    /// let events = stream::iter((1..=3u64).map(|n| Event::new().id(n.into()).data("tick").to_bytes()));
    /// let body = EventBody::new(events).padding(true);
    /// let response = sse_wire_server::response(body);
    /// assert_eq!(response.headers()["content-type"], "text/event-stream");
    /// ```
    #[must_use]
    pub struct EventBody<S> {
        #[pin]
        events: S,
        padding: bool,
        // Milliseconds, small: every idle connection holds a body. No
        // retry field: `NO_RETRY`; no heartbeat: 0.
        retry: u64,
        heartbeat: u64,
        // Made at the first poll, inside the runtime, so that a body can
        // be built anywhere; inline, not one more allocation per
        // connection.
        #[pin]
        timer: Option<Sleep>,
        on_close: Option<Box<dyn FnOnce() + Send + Sync>>,
        done: bool,
    }

    impl<S> PinnedDrop for EventBody<S> {
        fn drop(this: Pin<&mut Self>) {
            if let Some(hook) = this.project().on_close.take() {
                hook();
            }
        }
    }
}

impl<S> EventBody<S> {
    /// A body writing each item of `events`, with a heartbeat every 15 s
    /// of silence and no padding.
    pub fn new(events: S) -> Self {
        EventBody {
            events,
            padding: false,
            retry: NO_RETRY,
            heartbeat: DEFAULT_HEARTBEAT.as_millis() as u64,
            timer: None,
            on_close: None,
            done: false,
        }
    }

    /// Sends 2 KiB of padding first (S5).
    pub fn padding(mut self, pad: bool) -> Self {
        self.padding = pad;
        self
    }

    /// Sends a `retry` field first (after the padding): the client's
    /// reconnection time (F4, C8).
    pub fn retry(mut self, time: Duration) -> Self {
        self.retry = u64::try_from(time.as_millis())
            .unwrap_or(NO_RETRY - 1)
            .min(NO_RETRY - 1);
        self
    }

    /// Writes a heartbeat comment after `every` without an event; `None`
    /// (or zero) sends none.
    pub fn heartbeat(mut self, every: Option<Duration>) -> Self {
        self.heartbeat = every.map_or(0, |every| {
            // Under a millisecond is one; beyond u64 milliseconds, never.
            u64::try_from(every.as_nanos().div_ceil(1_000_000)).unwrap_or(u64::MAX)
        });
        self
    }

    /// Runs `hook` when the body is dropped: the response ended, or the
    /// client went away (the guide's `req.on('close')`).
    pub fn on_close(mut self, hook: impl FnOnce() + Send + Sync + 'static) -> Self {
        self.on_close = Some(Box::new(hook));
        self
    }
}

impl<S> Body for EventBody<S>
where
    S: Stream<Item = Bytes>,
{
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.project();
        if *this.done {
            return Poll::Ready(None);
        }
        if std::mem::take(this.padding) {
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                PADDING.as_bytes(),
            )))));
        }
        if *this.retry != NO_RETRY {
            let time = Duration::from_millis(std::mem::replace(this.retry, NO_RETRY));
            let retry = sse_wire::encode::Event::new().retry(time).to_bytes();
            return Poll::Ready(Some(Ok(Frame::data(retry))));
        }
        let mut events = this.events;
        match events.as_mut().poll_next(cx) {
            Poll::Ready(Some(first)) => {
                // Every event already waiting goes into the same frame, so
                // that one write carries them all: hyper writes at most 16
                // frames at a time, and a write costs as much as dozens of
                // small events. Whole events only: a heartbeat can still
                // fall only between two of them.
                let mut joined: Option<BytesMut> = None;
                while joined.as_ref().map_or(first.len(), BytesMut::len) < FRAME_BYTES {
                    match events.as_mut().poll_next(cx) {
                        Poll::Ready(Some(next)) => joined
                            .get_or_insert_with(|| BytesMut::from(&first[..]))
                            .extend_from_slice(&next),
                        Poll::Ready(None) => {
                            *this.done = true;
                            break;
                        }
                        Poll::Pending => break,
                    }
                }
                if let (every @ 1.., Some(timer)) = (*this.heartbeat, this.timer.as_pin_mut()) {
                    timer.reset(deadline(Duration::from_millis(every)));
                }
                let frame = joined.map_or(first, BytesMut::freeze);
                Poll::Ready(Some(Ok(Frame::data(frame))))
            }
            Poll::Ready(None) => {
                *this.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let every @ 1.. = *this.heartbeat else {
                    return Poll::Pending;
                };
                let every = &Duration::from_millis(every);
                let mut timer = this.timer;
                if timer.is_none() {
                    timer.set(Some(sleep_until(deadline(*every))));
                }
                let mut timer = timer.as_pin_mut().expect("set above");
                std::task::ready!(timer.as_mut().poll(cx));
                timer.reset(deadline(*every));
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                    KEEP_ALIVE.as_bytes(),
                )))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

impl<S> std::fmt::Debug for EventBody<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBody")
            .field("padding", &self.padding)
            .field("heartbeat_ms", &self.heartbeat)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
