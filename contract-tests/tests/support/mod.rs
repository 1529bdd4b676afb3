//! The harness's part, on loopback: the service under test in-process, and
//! a mock harness (SSE endpoints that record each request and send what the
//! test pushes, fixed-answer endpoints, callback endpoints), each on a port
//! the OS picks. Every wait is bounded (5 s, the harness's own bound), and
//! dropping a server stops it and every connection it holds.

#![allow(dead_code)]

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde_json::{json, Value};
use sse_wire_contract_tests::Service;
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// The harness's bound on every wait (`awaitMessageTimeout`,
/// `awaitConnectionTimeout`).
pub const WAIT: Duration = Duration::from_secs(5);

/// `future`'s output, or a panic naming `what` after [`WAIT`].
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    match tokio::time::timeout(WAIT, future).await {
        Ok(output) => output,
        Err(_) => panic!("timed out after {WAIT:?} waiting for {what}"),
    }
}

/// A router served on 127.0.0.1; dropping it aborts the accept loop and,
/// with it, every connection.
pub struct Server {
    pub addr: SocketAddr,
    _tasks: JoinSet<()>,
}

impl Server {
    pub async fn start(router: Router) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            // The connections live in this set, dropped with the loop.
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let service = TowerToHyperService::new(router.clone());
                connections.spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
                while connections.try_join_next().is_some() {}
            }
        });
        Server {
            addr,
            _tasks: tasks,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

/// The service under test, with a client to drive it as the harness does.
pub struct TestService {
    pub service: Service,
    pub server: Server,
    pub client: reqwest::Client,
}

impl TestService {
    pub async fn start() -> TestService {
        let service = Service::new();
        let server = Server::start(service.router()).await;
        TestService {
            service,
            server,
            client: client(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// `POST /` with `params`: the status and the `Location` header.
    pub async fn create(&self, params: &Value) -> (StatusCode, Option<String>) {
        self.create_raw(params.to_string()).await
    }

    pub async fn create_raw(&self, body: String) -> (StatusCode, Option<String>) {
        let response = within(
            "POST /",
            self.client
                .post(self.url("/"))
                .header("content-type", "application/json")
                .body(body)
                .send(),
        )
        .await
        .expect("POST /");
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().expect("an ASCII Location").to_owned());
        (response.status(), location)
    }

    /// `POST /` that must succeed: the stream resource's URL, made as the
    /// harness makes it (base URL + `Location`).
    pub async fn create_stream(&self, params: &Value) -> String {
        let (status, location) = self.create(params).await;
        assert_eq!(status, StatusCode::CREATED);
        let location = location.expect("a Location header");
        assert!(location.starts_with("/streams/"), "{location}");
        self.url(&location)
    }

    /// `POST <resource>` with `command`: the status.
    pub async fn command(&self, resource: &str, command: &Value) -> StatusCode {
        self.command_raw(resource, command.to_string()).await
    }

    pub async fn command_raw(&self, resource: &str, body: String) -> StatusCode {
        within(
            "a command",
            self.client
                .post(resource)
                .header("content-type", "application/json")
                .body(body)
                .send(),
        )
        .await
        .expect("a command")
        .status()
    }

    pub async fn delete(&self, resource: &str) -> StatusCode {
        within("DELETE", self.client.delete(resource).send())
            .await
            .expect("DELETE")
            .status()
    }
}

/// A client that ignores proxies in the environment.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client")
}

/// A request as an endpoint saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header"))
    }
}

/// A connection to an SSE endpoint: its request, and its body, which the
/// test writes.
pub struct Connection {
    pub request: Recorded,
    body: Option<mpsc::UnboundedSender<Bytes>>,
}

impl Connection {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.request.header(name)
    }

    /// Sends `chunk` on the response (as one chunk).
    pub fn send(&self, chunk: impl Into<Bytes>) {
        let body = self.body.as_ref().expect("a connection not broken");
        body.send(chunk.into()).expect("the client still connected");
    }

    /// Ends the response cleanly, as the harness's `BreakConnection`.
    pub fn break_connection(&mut self) {
        self.body = None;
    }

    /// Waits until the client has closed the connection.
    pub async fn closed(&self) {
        let body = self.body.as_ref().expect("a connection not broken");
        within("the client to close its connection", body.closed()).await;
    }

    pub fn is_closed(&self) -> bool {
        self.body.as_ref().is_none_or(|b| b.is_closed())
    }
}

/// The connections made to one SSE endpoint, in order.
pub struct Connections(mpsc::UnboundedReceiver<Connection>);

impl Connections {
    pub async fn next(&mut self) -> Connection {
        within("a connection", self.0.recv())
            .await
            .expect("the harness running")
    }

    /// A connection made already, if any.
    pub fn try_next(&mut self) -> Option<Connection> {
        self.0.try_recv().ok()
    }
}

/// The callbacks of one stream, checked to be numbered 1, 2, ... and to be
/// JSON.
pub struct Callbacks {
    rx: mpsc::UnboundedReceiver<Result<(u64, Value), String>>,
    next: u64,
}

impl Callbacks {
    /// The next message, whatever its kind.
    pub async fn next(&mut self) -> Value {
        let message = within("a callback", self.rx.recv())
            .await
            .expect("the harness running");
        let (n, value) = message.unwrap_or_else(|e| panic!("bad callback: {e}"));
        self.next += 1;
        assert_eq!(n, self.next, "callbacks numbered from 1, in order: {value}");
        value
    }

    /// The next message, which must be an event: its type, data and id.
    pub async fn event(&mut self) -> (String, String, String) {
        let value = self.next().await;
        assert_eq!(value["kind"], "event", "expected an event: {value}");
        let event = &value["event"];
        let text = |key: &str| {
            event[key]
                .as_str()
                .unwrap_or_else(|| panic!("event.{key} a string: {value}"))
                .to_owned()
        };
        (text("type"), text("data"), text("id"))
    }

    /// The next message, which must be a comment: its text.
    pub async fn comment(&mut self) -> String {
        let value = self.next().await;
        assert_eq!(value["kind"], "comment", "expected a comment: {value}");
        value["comment"].as_str().expect("a comment").to_owned()
    }

    /// The next message, which must be an error: its text.
    pub async fn error(&mut self) -> String {
        let value = self.next().await;
        assert_eq!(value["kind"], "error", "expected an error: {value}");
        value["error"].as_str().expect("an error text").to_owned()
    }

    /// How many messages arrived.
    pub fn count(&self) -> u64 {
        self.next
    }

    /// A message that arrived already, if any.
    pub fn try_next(&mut self) -> Option<Value> {
        let message = self.rx.try_recv().ok()?;
        let (n, value) = message.unwrap_or_else(|e| panic!("bad callback: {e}"));
        self.next += 1;
        assert_eq!(n, self.next, "callbacks numbered from 1, in order: {value}");
        Some(value)
    }
}

/// A fixed answer; each request to it is recorded.
#[derive(Clone)]
pub struct Fixed {
    status: StatusCode,
    headers: Vec<(String, String)>,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Fixed {
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

enum Endpoint {
    Stream(mpsc::UnboundedSender<Connection>),
    Fixed(Fixed),
    Callbacks(mpsc::UnboundedSender<Result<(u64, Value), String>>),
}

#[derive(Default)]
struct Endpoints {
    next: AtomicUsize,
    map: Mutex<HashMap<usize, Endpoint>>,
}

/// The mock harness: endpoints at `/endpoints/<n>` (and their sub-paths),
/// as the Go harness serves them.
pub struct Harness {
    endpoints: Arc<Endpoints>,
    server: Server,
}

impl Harness {
    pub async fn start() -> Harness {
        let endpoints = Arc::new(Endpoints::default());
        let router = Router::new()
            .route("/endpoints/{id}", any(endpoint))
            .route("/endpoints/{id}/{*rest}", any(endpoint))
            // The callbacks of large events are large.
            .layer(DefaultBodyLimit::disable())
            .with_state(endpoints.clone());
        Harness {
            endpoints,
            server: Server::start(router).await,
        }
    }

    fn add(&self, endpoint: Endpoint) -> String {
        let id = self.endpoints.next.fetch_add(1, Ordering::Relaxed) + 1;
        self.endpoints.map.lock().unwrap().insert(id, endpoint);
        self.server.url(&format!("/endpoints/{id}"))
    }

    /// An SSE endpoint: its URL and its connections.
    pub fn stream_endpoint(&self) -> (String, Connections) {
        let (tx, rx) = mpsc::unbounded_channel();
        (self.add(Endpoint::Stream(tx)), Connections(rx))
    }

    /// An endpoint that always answers `status` with `headers`.
    pub fn fixed_endpoint(&self, status: u16, headers: &[(&str, &str)]) -> (String, Fixed) {
        let fixed = Fixed {
            status: StatusCode::from_u16(status).expect("a status"),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            requests: Arc::default(),
        };
        (self.add(Endpoint::Fixed(fixed.clone())), fixed)
    }

    /// A callback endpoint: its URL (the `callbackUrl`) and its messages.
    pub fn callback_endpoint(&self) -> (String, Callbacks) {
        let (tx, rx) = mpsc::unbounded_channel();
        let callbacks = Callbacks { rx, next: 0 };
        (self.add(Endpoint::Callbacks(tx)), callbacks)
    }
}

async fn endpoint(
    State(endpoints): State<Arc<Endpoints>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut path = uri.path().trim_start_matches("/endpoints/").splitn(2, '/');
    let id: Option<usize> = path.next().and_then(|id| id.parse().ok());
    let rest = path.next();
    let request = Recorded {
        method,
        headers,
        body,
    };
    let map = endpoints.map.lock().unwrap();
    match id.and_then(|id| map.get(&id)) {
        None => StatusCode::NOT_FOUND.into_response(),
        Some(Endpoint::Stream(connections)) => {
            let (tx, rx) = mpsc::unbounded_channel::<Bytes>();
            let connection = Connection {
                request,
                body: Some(tx),
            };
            if connections.send(connection).is_err() {
                return StatusCode::NOT_FOUND.into_response();
            }
            let chunks = futures_util::stream::unfold(rx, |mut rx| async move {
                let chunk = rx.recv().await?;
                Some((Ok::<_, Infallible>(chunk), rx))
            });
            Response::builder()
                .header("content-type", "text/event-stream; charset=utf-8")
                .header("cache-control", "no-cache, no-store, must-revalidate")
                .body(Body::from_stream(chunks))
                .expect("a response")
        }
        Some(Endpoint::Fixed(fixed)) => {
            fixed.requests.lock().unwrap().push(request);
            let mut response = Response::builder().status(fixed.status);
            for (name, value) in &fixed.headers {
                response = response.header(name, value);
            }
            response.body(Body::empty()).expect("a response")
        }
        Some(Endpoint::Callbacks(messages)) => {
            // As the harness: the counter from the path, a JSON body, 202.
            let message = match rest.map(str::parse::<u64>) {
                Some(Ok(n)) => serde_json::from_slice(&request.body)
                    .map(|value| (n, value))
                    .map_err(|e| format!("malformed JSON data from test service: {e}")),
                _ => Err(format!("bad callback path {uri}")),
            };
            let status = if message.is_ok() {
                StatusCode::ACCEPTED
            } else {
                StatusCode::BAD_REQUEST
            };
            let _ = messages.send(message);
            status.into_response()
        }
    }
}

/// The stream parameters as the harness sends them: every optional
/// setting `null` or absent.
pub fn params(stream_url: &str, callback_url: &str) -> Value {
    json!({
        "tag": "contract-tests/test",
        "callbackUrl": callback_url,
        "streamUrl": stream_url,
        "initialDelayMs": null,
        "readTimeoutMs": null,
    })
}

/// A running stream: the harness, the service, the stream's endpoint and
/// callbacks, and its resource URL.
pub struct Setup {
    // The service first: its streams stop before the harness goes.
    pub service: TestService,
    pub harness: Harness,
    pub connections: Connections,
    pub callbacks: Callbacks,
    pub resource: String,
}

/// A stream on a new service and harness, with the default parameters
/// changed by `edit`.
pub async fn setup(edit: impl FnOnce(&mut Value)) -> Setup {
    let harness = Harness::start().await;
    let service = TestService::start().await;
    let (stream_url, connections) = harness.stream_endpoint();
    let (callback_url, callbacks) = harness.callback_endpoint();
    let mut params = params(&stream_url, &callback_url);
    edit(&mut params);
    let resource = service.create_stream(&params).await;
    Setup {
        service,
        harness,
        connections,
        callbacks,
        resource,
    }
}
