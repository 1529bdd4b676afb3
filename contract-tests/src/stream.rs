//! One stream: its parameters, the task that runs its event source, and
//! its callbacks to the harness.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, Url};
use serde::{Deserialize, Serialize};
use sse_wire_client::{Cause, Error, EventSource, Item, ReconnectConfig, Reconnecting};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How long one callback may take: the largest payloads the harness sends
/// are 128 MiB.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(60);

/// The decoder's limits: the payload stress tests send events up to
/// 128 MiB (the client's default is 1 MiB).
const LIMIT: usize = 256 << 20;

/// The body of `POST /` (the harness's `servicedef.CreateStreamParams`).
/// Every optional field may be absent or `null`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateStream {
    /// The test's name, for the log.
    tag: Option<String>,
    callback_url: String,
    stream_url: String,
    /// The reconnection time; `null` is the client's default (3 s).
    initial_delay_ms: Option<u64>,
    last_event_id: Option<String>,
    method: Option<String>,
    body: Option<String>,
    headers: Option<HashMap<String, String>>,
    /// `null` (or 0) is no read timeout.
    read_timeout_ms: Option<u64>,
}

/// A command for a running stream.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Command {
    /// Drop the connection and make a new one at once, as if the server had
    /// dropped it, but without an error.
    Restart,
    /// Report events of this type from now on.
    Listen(String),
}

#[derive(Deserialize)]
struct CommandParams {
    command: String,
    /// Tagged `json:"listen"` in the harness's newest `servicedef`; older
    /// versions had no tag, so Go sent the field's name.
    #[serde(alias = "Listen")]
    listen: Option<ListenParams>,
}

#[derive(Deserialize)]
struct ListenParams {
    #[serde(rename = "type", alias = "Type")]
    event_type: String,
}

impl Command {
    /// The command in a `POST /streams/{id}` body; an error for an unknown
    /// command or a malformed body (the service answers 400).
    pub(crate) fn parse(body: &[u8]) -> Result<Command, String> {
        let params: CommandParams =
            serde_json::from_slice(body).map_err(|e| format!("bad command: {e}"))?;
        match params.command.as_str() {
            "restart" => Ok(Command::Restart),
            "listen" => match params.listen {
                Some(listen) => Ok(Command::Listen(listen.event_type)),
                None => Err("listen without a type".into()),
            },
            other => Err(format!("unknown command {other:?}")),
        }
    }
}

/// What the stream's request is made of, checked once at creation, so that
/// the request can be built again on every restart.
struct Request {
    client: reqwest::Client,
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<String>,
    reconnect: ReconnectConfig,
    read_timeout: Option<Duration>,
}

impl Request {
    fn new(params: &CreateStream, client: reqwest::Client) -> Result<Request, String> {
        let url = Url::parse(&params.stream_url)
            .map_err(|e| format!("bad streamUrl {:?}: {e}", params.stream_url))?;
        let method = match params.method.as_deref() {
            None | Some("") => Method::GET,
            Some(method) => Method::from_bytes(method.as_bytes())
                .map_err(|e| format!("bad method {method:?}: {e}"))?,
        };
        let mut headers = HeaderMap::new();
        for (name, value) in params.headers.iter().flatten() {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| format!("bad header name {name:?}: {e}"))?;
            let value = HeaderValue::from_str(value)
                .map_err(|e| format!("bad value for header {name}: {e}"))?;
            headers.append(name, value);
        }
        let reconnect = match params.initial_delay_ms {
            Some(ms) => ReconnectConfig::new().reconnection_time(Duration::from_millis(ms)),
            None => ReconnectConfig::new(),
        };
        Ok(Request {
            client,
            method,
            url,
            headers,
            body: params.body.clone().filter(|body| !body.is_empty()),
            reconnect,
            read_timeout: params
                .read_timeout_ms
                .filter(|&ms| ms > 0)
                .map(Duration::from_millis),
        })
    }

    /// A new event source for the request, starting from `last_event_id`.
    fn source(&self, last_event_id: &[u8]) -> Result<EventSource, Error> {
        let mut request = self
            .client
            .request(self.method.clone(), self.url.clone())
            .headers(self.headers.clone());
        if let Some(body) = &self.body {
            request = request.body(body.clone());
        }
        let mut builder = EventSource::builder(request)
            .reconnect(self.reconnect)
            .comments(true)
            .limits(
                sse_wire::decode::Config::new()
                    .max_line_len(LIMIT)
                    .max_event_size(LIMIT),
            );
        if let Some(after) = self.read_timeout {
            builder = builder.read_timeout(after);
        }
        if !last_event_id.is_empty() {
            builder = builder.last_event_id(last_event_id);
        }
        builder.build()
    }
}

/// A callback's body.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Message<'a> {
    Event { event: EventMessage<'a> },
    Comment { comment: &'a str },
    Error { error: String },
}

#[derive(Serialize)]
struct EventMessage<'a> {
    #[serde(rename = "type")]
    event_type: &'a str,
    data: &'a str,
    id: &'a str,
}

/// The callbacks of one stream: `<base>/1`, `/2`, ... one at a time.
struct Callbacks {
    client: reqwest::Client,
    base: String,
    sent: u64,
}

impl Callbacks {
    async fn send(&mut self, log: &str, message: &Message<'_>) {
        self.sent += 1;
        let url = format!("{}/{}", self.base.trim_end_matches('/'), self.sent);
        let body = match serde_json::to_vec(message) {
            Ok(body) => body,
            Err(e) => {
                eprintln!("{log}: callback {} not serialised: {e}", self.sent);
                return;
            }
        };
        let request = self
            .client
            .post(&url)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send();
        match tokio::time::timeout(CALLBACK_TIMEOUT, request).await {
            Ok(Ok(response)) if response.status().is_success() => {}
            // After a stream is deleted, the harness answers 404.
            Ok(Ok(response)) => eprintln!("{log}: callback {url} answered {}", response.status()),
            Ok(Err(e)) => eprintln!("{log}: callback {url} failed: {}", chain(&e)),
            Err(_) => eprintln!("{log}: callback {url} timed out"),
        }
    }
}

/// An error with its sources, for the harness's log.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        // Many errors show their source in their own text already.
        let more = e.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = e.source();
    }
    text
}

fn reconnecting(r: &Reconnecting) -> String {
    match &r.cause {
        Cause::Ended => format!("the stream ended; reconnecting in {:?}", r.delay),
        Cause::Failed(e) => format!("{}; reconnecting in {:?}", chain(e), r.delay),
        _ => format!("the connection was lost; reconnecting in {:?}", r.delay),
    }
}

type Listening = Arc<Mutex<HashSet<String>>>;

fn listening(set: &Listening) -> std::sync::MutexGuard<'_, HashSet<String>> {
    set.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running stream, as the service's table holds it. Dropping it aborts
/// the task, which drops the event source and closes its connection.
pub(crate) struct StreamHandle {
    restarts: mpsc::UnboundedSender<()>,
    /// The event types a `listen` asked for; shared with the task and
    /// changed here, before the command is answered, so that an event the
    /// harness sends after the answer is reported.
    listening: Listening,
    task: Task,
}

impl StreamHandle {
    /// Checks the parameters and starts the stream's task.
    pub(crate) fn start(
        id: u64,
        params: CreateStream,
        sse_client: reqwest::Client,
        callback_client: reqwest::Client,
    ) -> Result<StreamHandle, String> {
        let request = Request::new(&params, sse_client)?;
        Url::parse(&params.callback_url)
            .map_err(|e| format!("bad callbackUrl {:?}: {e}", params.callback_url))?;
        let log = format!(
            "stream {id} ({})",
            params.tag.as_deref().unwrap_or("untagged")
        );
        eprintln!("{log}: {} {}", request.method, request.url);
        let (restarts, restart_rx) = mpsc::unbounded_channel();
        let listening = Listening::default();
        let stream = Stream {
            log,
            request,
            callbacks: Callbacks {
                client: callback_client,
                base: params.callback_url,
                sent: 0,
            },
            listening: listening.clone(),
        };
        let first_id = params.last_event_id.unwrap_or_default().into_bytes();
        Ok(StreamHandle {
            restarts,
            listening,
            task: Task(Some(tokio::spawn(stream.run(first_id, restart_rx)))),
        })
    }

    pub(crate) fn command(&self, command: Command) {
        match command {
            // The task owns the receiver as long as the handle lives.
            Command::Restart => drop(self.restarts.send(())),
            Command::Listen(event_type) => {
                listening(&self.listening).insert(event_type);
            }
        }
    }

    /// Stops the task and waits until it is gone: the event source is
    /// dropped and its connection closed when this returns.
    pub(crate) async fn stop(mut self) {
        if let Some(task) = self.task.0.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

/// A task aborted when dropped.
struct Task(Option<JoinHandle<()>>);

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(task) = &self.0 {
            task.abort();
        }
    }
}

struct Stream {
    log: String,
    request: Request,
    callbacks: Callbacks,
    listening: Listening,
}

enum Wake {
    Restart,
    Stop,
    Item(Option<Result<Item, Error>>),
}

impl Stream {
    /// Runs event sources, one after the other (a `restart` replaces the
    /// current one), reporting what they yield, until the handle is
    /// dropped.
    async fn run(mut self, mut last_event_id: Vec<u8>, mut restarts: mpsc::UnboundedReceiver<()>) {
        loop {
            let mut source = match self.request.source(&last_event_id) {
                Ok(source) => Some(source),
                Err(e) => {
                    self.error(chain(&e)).await;
                    None
                }
            };
            // Whether the source may still yield: after its last item it
            // only waits for a restart.
            let mut live = source.is_some();
            loop {
                let wake = tokio::select! {
                    biased;
                    restart = restarts.recv() => match restart {
                        Some(()) => Wake::Restart,
                        None => Wake::Stop,
                    },
                    item = next(source.as_mut().filter(|_| live)) => Wake::Item(item),
                };
                match wake {
                    Wake::Restart => break,
                    Wake::Stop => return,
                    Wake::Item(Some(Ok(item))) => self.forward(item).await,
                    Wake::Item(Some(Err(e))) => {
                        eprintln!("{}: stopped: {}", self.log, chain(&e));
                        self.error(chain(&e)).await;
                    }
                    Wake::Item(None) => live = false,
                }
            }
            // Restart: "as if the server had dropped the connection", so
            // from the last event ID the source had.
            if let Some(source) = source.take() {
                last_event_id = source.last_event_id().to_vec();
            }
            eprintln!("{}: restart", self.log);
        }
    }

    async fn forward(&mut self, item: Item) {
        match item {
            Item::Event(event) => {
                let wanted = event.event_type() == "message"
                    || listening(&self.listening).contains(event.event_type());
                if !wanted {
                    return;
                }
                let message = Message::Event {
                    event: EventMessage {
                        event_type: event.event_type(),
                        data: event.data(),
                        id: event.last_event_id(),
                    },
                };
                self.callbacks.send(&self.log, &message).await;
            }
            Item::Comment(comment) => {
                let message = Message::Comment { comment: &comment };
                self.callbacks.send(&self.log, &message).await;
            }
            Item::Reconnecting(r) => self.error(reconnecting(&r)).await,
            Item::Discarded(e) => eprintln!("{}: event discarded: {e}", self.log),
            // The harness has no message for a connection that opened.
            _ => {}
        }
    }

    async fn error(&mut self, error: String) {
        self.callbacks
            .send(&self.log, &Message::Error { error })
            .await;
    }
}

/// The next item of `source`; never, without one.
async fn next(source: Option<&mut EventSource>) -> Option<Result<Item, Error>> {
    use futures_util::StreamExt;
    match source {
        Some(source) => source.next().await,
        None => std::future::pending().await,
    }
}
