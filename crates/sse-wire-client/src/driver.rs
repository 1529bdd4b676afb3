//! The connection loop: request, response check, body, decision. Moves
//! bytes and sleeps; the rules are the protocol crate's (the decoder, the
//! header rules and the reconnection policy).

use crate::body::{Body, BodyError};
use crate::{Cause, Error, FailedResponse, Item, Open, Reconnecting};
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use http::StatusCode;
use sse_wire::decode::{OwnedItem, PushDecoder};
use sse_wire::reconnect::{Decision, Failure, Policy, Stop};
use sse_wire::stream::{EventStream, StreamError};
use std::pin::Pin;
use std::time::{Duration, SystemTime};
use tokio::time::{sleep, timeout, Instant};

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;
type Events = EventStream<Body<Chunks>>;

/// How long reading the start of a failed response's body may take.
const FAILED_BODY_TIME: Duration = Duration::from_secs(5);

/// The longest `Retry-After` honoured: a server asking for more (or for a
/// date years ahead) gets this, so that a source is never parked for good.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

pub(crate) struct Options {
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) check_content_type: bool,
}

enum State {
    /// Send the request after this delay.
    Connect(Duration),
    /// Reading a body (boxed: the state is moved at every item).
    Read(Box<Events>),
    /// Stopped (C6) or closed.
    Done,
}

pub(crate) struct Driver {
    client: reqwest::Client,
    /// The request, sent again (a clone) on every attempt, to its original
    /// URL: a redirect is followed anew each time.
    request: reqwest::Request,
    /// The decoder, between connections; it keeps the last event ID (C7).
    decoder: Option<PushDecoder>,
    policy: Policy,
    options: Options,
    state: State,
    /// The policy's clock starts here.
    epoch: Instant,
    rng: u64,
    /// Every connect, reconnect and failure is recorded in this span.
    span: tracing::Span,
}

impl Driver {
    pub(crate) fn new(
        client: reqwest::Client,
        request: reqwest::Request,
        decoder: PushDecoder,
        policy: Policy,
        options: Options,
    ) -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut seed = std::collections::hash_map::RandomState::new().build_hasher();
        seed.write_u64(0x5EE_3177E);
        let span = tracing::info_span!("event_source", url = %request.url());
        Driver {
            span,
            client,
            request,
            decoder: Some(decoder),
            policy,
            options,
            state: State::Connect(Duration::ZERO),
            epoch: Instant::now(),
            rng: seed.finish() | 1,
        }
    }

    /// The last event ID (C7): the ID a reconnection sends.
    pub(crate) fn last_event_id(&self) -> &[u8] {
        match (&self.state, &self.decoder) {
            (State::Read(events), _) => events.decoder().last_event_id(),
            (_, Some(decoder)) => decoder.last_event_id(),
            _ => b"",
        }
    }

    pub(crate) fn span(&self) -> &tracing::Span {
        &self.span
    }

    pub(crate) fn reconnection_time(&self) -> Duration {
        self.policy.reconnection_time()
    }

    pub(crate) fn close(&mut self) {
        self.take_decoder();
        self.state = State::Done;
    }

    pub(crate) async fn next(&mut self) -> Option<Result<Item, Error>> {
        loop {
            match &mut self.state {
                State::Done => return None,
                State::Connect(delay) => {
                    let delay = *delay;
                    if !delay.is_zero() {
                        sleep(delay).await;
                    }
                    match self.connect().await {
                        Ok(open) => return Some(Ok(Item::Open(open))),
                        Err(error) => return Some(self.failed(error)),
                    }
                }
                State::Read(events) => match events.next().await {
                    Some(Ok(OwnedItem::Event(event))) => {
                        self.policy.on_event();
                        return Some(Ok(Item::Event(event)));
                    }
                    Some(Ok(OwnedItem::Retry(time))) => self.policy.on_retry(time),
                    Some(Ok(OwnedItem::Comment(text))) => return Some(Ok(Item::Comment(text))),
                    Some(Err(StreamError::Decode(e))) => {
                        tracing::warn!(error = %e, "event discarded");
                        return Some(Ok(Item::Discarded(e)));
                    }
                    Some(Err(StreamError::Transport(e))) => {
                        self.take_decoder();
                        let error = match e {
                            BodyError::Network(e) => Error::Network(e),
                            BodyError::Silent(after) => Error::ReadTimeout(after),
                        };
                        return Some(self.failed(error));
                    }
                    None => {
                        self.take_decoder();
                        let (now, random) = (self.now(), self.random());
                        let decision = self.policy.on_end(now, random);
                        return self.decided(decision, Cause::Ended);
                    }
                },
            }
        }
    }

    /// Moves the decoder out of a finished body, for the next connection.
    fn take_decoder(&mut self) {
        if let State::Read(events) = std::mem::replace(&mut self.state, State::Done) {
            let (_, decoder) = events.into_parts();
            self.decoder = Some(decoder);
        }
    }

    async fn connect(&mut self) -> Result<Open, Error> {
        let mut request = self.request.try_clone().ok_or(Error::RequestNotCloneable)?;
        let mut decoder = self.decoder.take().unwrap_or_default();
        // C5, C7: nothing of the last body runs into this one.
        let _ = decoder.reconnect();
        let id = decoder.last_event_id();
        if let Err(e) = sse_wire::http::set_request_headers(request.headers_mut(), id) {
            // C2 sends the ID as it is or not at all; the server starts
            // afresh, and the caller hears of it.
            tracing::warn!(error = %e, "last event ID not sent");
        }
        let url = request.url().clone();
        tracing::debug!(%url, last_event_id = %sse_wire::text::Lossy(id), "connecting");
        self.decoder = Some(decoder);
        // The read timeout covers the wait for the response's head too: a
        // server that accepts and says nothing is as dead as a silent body.
        let sent = self.client.execute(request);
        let response = match self.options.read_timeout {
            Some(after) => timeout(after, sent)
                .await
                .map_err(|_| Error::ReadTimeout(after))?,
            None => sent.await,
        }
        .map_err(Error::Network)?;
        let status = response.status();
        let checked = if self.options.check_content_type {
            sse_wire::http::check_response(status, response.headers())
        } else if status == StatusCode::OK {
            Ok(())
        } else {
            Err(sse_wire::http::ResponseError::Status(status))
        };
        if let Err(e) = checked {
            let failed = Box::new(failed_response(response).await);
            return Err(match e {
                sse_wire::http::ResponseError::ContentType(_) => Error::ContentType(failed),
                _ => Error::Status(failed),
            });
        }
        let open = Open {
            status,
            headers: response.headers().clone(),
            url: response.url().clone(),
        };
        tracing::info!(url = %open.url, "connected");
        self.policy.on_connected(self.now());
        let chunks: Chunks = Box::pin(response.bytes_stream());
        let body = Body::new(chunks, self.options.read_timeout);
        let decoder = self.decoder.take().unwrap_or_default();
        self.state = State::Read(Box::new(EventStream::with_decoder(body, decoder)));
        Ok(open)
    }

    /// A connection attempt or a connection failed: ask the policy.
    fn failed(&mut self, error: Error) -> Result<Item, Error> {
        let failure = match &error {
            Error::Network(e) if e.is_redirect() || e.is_builder() => Failure::Fatal,
            Error::Network(_) => Failure::Network,
            Error::ReadTimeout(_) => Failure::ReadTimeout,
            Error::Status(r) => Failure::Status {
                code: r.status.as_u16(),
                retry_after: retry_after(&r.headers),
            },
            Error::ContentType(_) => Failure::ContentType,
            Error::GaveUp { .. } | Error::RequestNotCloneable => Failure::Fatal,
        };
        let (now, random) = (self.now(), self.random());
        let decision = self.policy.on_failure(failure, now, random);
        match self.decided(decision, Cause::Failed(error)) {
            Some(result) => result,
            None => unreachable!("a failure never ends the stream without an error"),
        }
    }

    fn decided(&mut self, decision: Decision, cause: Cause) -> Option<Result<Item, Error>> {
        match decision {
            Decision::Reconnect { delay, attempt } => {
                tracing::info!(attempt, ?delay, cause = ?cause, "reconnecting");
                self.state = State::Connect(delay);
                Some(Ok(Item::Reconnecting(Reconnecting {
                    attempt,
                    delay,
                    cause,
                })))
            }
            Decision::Stop(stop) => {
                self.state = State::Done;
                let last = match cause {
                    Cause::Failed(error) => Some(Box::new(error)),
                    Cause::Ended => None,
                };
                tracing::info!(reason = %stop, "stopped");
                match (stop, last) {
                    (Stop::Ended, _) => None,
                    (Stop::GaveUp { attempts }, last) => {
                        Some(Err(Error::GaveUp { attempts, last }))
                    }
                    (_, Some(error)) => Some(Err(*error)),
                    // Only a clean end comes without an error, and it
                    // stops only as `Ended` or `GaveUp`.
                    (_, None) => None,
                }
            }
        }
    }

    fn now(&self) -> Duration {
        self.epoch.elapsed()
    }

    /// xorshift64*: jitter needs spread, not secrecy.
    fn random(&mut self) -> u32 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }
}

/// The delay a `Retry-After` header asks for: seconds, or an HTTP date.
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?;
    let delay = match sse_wire::reconnect::retry_after_seconds(value.as_bytes()) {
        Some(delay) => delay,
        None => {
            let date = httpdate::parse_http_date(value.to_str().ok()?).ok()?;
            date.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO)
        }
    };
    Some(delay.min(MAX_RETRY_AFTER))
}

/// The response without its body but for the start of it, read within a
/// time bound.
async fn failed_response(mut response: reqwest::Response) -> FailedResponse {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let url = response.url().clone();
    let mut body = BytesMut::new();
    let _ = timeout(FAILED_BODY_TIME, async {
        while body.len() < FailedResponse::BODY_LIMIT {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = FailedResponse::BODY_LIMIT - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                _ => break,
            }
        }
    })
    .await;
    FailedResponse {
        status,
        headers,
        body: body.freeze(),
        url,
    }
}
