//! A response body as a stream of chunks that fails when it falls silent.

use bytes::Bytes;
use futures_core::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::time::{sleep_until, Instant, Sleep};

/// `after` from now, or as far as the clock goes (`Duration::MAX` means
/// never, not a panic).
fn deadline(after: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(after)
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// Why a body stopped short.
#[derive(Debug)]
pub(crate) enum BodyError {
    Network(reqwest::Error),
    /// No bytes for the read timeout.
    Silent(Duration),
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::Network(e) => e.fmt(f),
            BodyError::Silent(after) => write!(f, "no bytes for {after:?}"),
        }
    }
}

pin_project_lite::pin_project! {
    /// The chunks of a body; with a read timeout, an error when no chunk
    /// (not even a heartbeat comment's) arrives for that long. The timer
    /// restarts with every chunk, so it watches silence, not the
    /// connection's age.
    pub(crate) struct Body<S> {
        #[pin]
        chunks: S,
        timeout: Option<(Duration, Pin<Box<Sleep>>)>,
    }
}

impl<S> Body<S> {
    pub(crate) fn new(chunks: S, read_timeout: Option<Duration>) -> Self {
        Body {
            chunks,
            timeout: read_timeout.map(|after| (after, Box::pin(sleep_until(deadline(after))))),
        }
    }
}

impl<S> Stream for Body<S>
where
    S: Stream<Item = reqwest::Result<Bytes>>,
{
    type Item = Result<Bytes, BodyError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.project();
        match this.chunks.poll_next(cx) {
            Poll::Ready(chunk) => {
                if let Some((after, timer)) = this.timeout {
                    timer.as_mut().reset(deadline(*after));
                }
                Poll::Ready(chunk.map(|c| c.map_err(BodyError::Network)))
            }
            Poll::Pending => match this.timeout {
                Some((after, timer)) => {
                    ready!(timer.as_mut().poll(cx));
                    // Fire once: the caller ends the connection after it.
                    timer.as_mut().reset(deadline(*after));
                    Poll::Ready(Some(Err(BodyError::Silent(*after))))
                }
                None => Poll::Pending,
            },
        }
    }
}
