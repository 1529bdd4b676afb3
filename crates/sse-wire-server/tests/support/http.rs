//! Loopback helpers for `tests/http.rs`: the axum app a user would write
//! around a [`Hub`], served by hyper on 127.0.0.1 (a port the OS picks),
//! a TCP proxy that cuts every connection on command, a raw HTTP/1.1
//! client for what reqwest cannot send or must not read, and a reqwest
//! stream read with the core decoder. Everything a helper starts is
//! stopped when it is dropped, also when a test fails.

#![allow(dead_code)]

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use sse_wire::decode::{Config, OwnedEvent, OwnedItem, PushDecoder};
use sse_wire_server::{EventBody, Hub, LastEventId, Subscription};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinSet;
use tokio::time::{timeout, Instant};

/// How long any single wait in these tests may take before it fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// What the handler needs: the shared hub, the body's heartbeat, and a
/// count of bodies closed (the `on_close` hook).
#[derive(Clone)]
pub struct App {
    pub hub: Hub,
    pub heartbeat: Option<Duration>,
    pub closed: Arc<AtomicUsize>,
}

impl App {
    /// Heartbeats off: a test about them turns them on.
    pub fn new(hub: Hub) -> Self {
        App {
            hub,
            heartbeat: None,
            closed: Arc::new(AtomicUsize::new(0)),
        }
    }

    pub fn heartbeat(mut self, every: Option<Duration>) -> Self {
        self.heartbeat = every;
        self
    }

    /// `GET /events?topics=a,b` (default topic `t`), resuming from the
    /// `Last-Event-ID` header or the `lastEventId` query; `GET /text`, a
    /// 4 KiB plain-text page (what a compression layer does compress).
    pub fn router(self) -> Router {
        Router::new()
            .route("/events", get(events))
            .route("/text", get(|| async { "x".repeat(4096) }))
            .with_state(self)
    }
}

/// The handler the crate's docs describe: subscribe the requested topics
/// from the client's last event ID, answer with the subscription's body.
async fn events(
    State(app): State<App>,
    LastEventId(last): LastEventId,
    RawQuery(query): RawQuery,
) -> Result<EventBody<Subscription>, (StatusCode, String)> {
    let topics = query
        .as_deref()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("topics=")))
        .unwrap_or("t");
    let topics: Vec<&str> = topics.split(',').collect();
    let subscription = app
        .hub
        .subscribe(&topics, last.as_deref())
        .await
        .map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    let closed = app.closed.clone();
    Ok(EventBody::new(subscription)
        .heartbeat(app.heartbeat)
        .on_close(move || {
            closed.fetch_add(1, Ordering::SeqCst);
        }))
}

/// A router served over HTTP/1.1 by hyper; dropping it stops the accept
/// loop and every connection.
pub struct Server {
    pub addr: SocketAddr,
    tasks: JoinSet<()>,
}

impl Server {
    pub async fn start(router: Router) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            // Connections live in this set: aborting the accept loop drops
            // it, and with it every connection.
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
        Server { addr, tasks }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}

#[path = "proxy.rs"]
mod proxy;
pub use proxy::Proxy;

/// Waits until `check` holds, for at most [`WAIT`] (polling every 2 ms).
pub async fn until(mut check: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + WAIT;
    while Instant::now() < end {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    check()
}

/// The sequence number of a hub ID (`<epoch hex>-<seq>`).
pub fn seq(id: &str) -> u64 {
    id.rsplit_once('-')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or_else(|| panic!("not a hub ID: {id:?}"))
}

/// A response read with reqwest and decoded with the core decoder
/// (comments reported, so heartbeats can be counted).
pub struct SseStream {
    pub response: reqwest::Response,
    decoder: PushDecoder,
    items: VecDeque<OwnedItem>,
    ended: bool,
}

/// What the stream did next.
#[derive(Debug)]
pub enum Next {
    Item(OwnedItem),
    /// The body ended cleanly.
    End,
    /// The body failed (cut).
    Failed(String),
}

impl SseStream {
    /// Sends `request` and checks the status and content type.
    pub async fn open(request: reqwest::RequestBuilder) -> SseStream {
        let response = timeout(WAIT, request.send())
            .await
            .expect("response in time")
            .expect("response");
        assert_eq!(response.status(), 200, "{response:?}");
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "S1"
        );
        SseStream::from_response(response)
    }

    pub fn from_response(response: reqwest::Response) -> SseStream {
        SseStream {
            response,
            decoder: PushDecoder::with_config(Config::new().comments(true)),
            items: VecDeque::new(),
            ended: false,
        }
    }

    /// The next item, the end, or the failure; panics after [`WAIT`].
    pub async fn next(&mut self) -> Next {
        let end = Instant::now() + WAIT;
        loop {
            if let Some(item) = self.items.pop_front() {
                return Next::Item(item);
            }
            if self.ended {
                return Next::End;
            }
            let chunk = tokio::time::timeout_at(end, self.response.chunk())
                .await
                .expect("an item in time");
            match chunk {
                Ok(Some(chunk)) => {
                    self.decoder.push(&chunk);
                    while let Some(item) = self.decoder.next_item() {
                        self.items
                            .push_back(item.expect("a valid stream").into_owned());
                    }
                }
                Ok(None) => {
                    assert!(self.decoder.finish().is_clean(), "ends between events");
                    self.ended = true;
                }
                Err(e) => return Next::Failed(e.to_string()),
            }
        }
    }

    /// The next event, skipping comments; panics on anything else.
    pub async fn event(&mut self) -> OwnedEvent {
        loop {
            match self.next().await {
                Next::Item(OwnedItem::Event(event)) => return event,
                Next::Item(OwnedItem::Comment(_)) => {}
                other => panic!("expected an event, got {other:?}"),
            }
        }
    }
}

/// A raw HTTP/1.1 client on a TCP connection: sends bytes no HTTP library
/// would, reads the answer only when told to.
pub struct Raw {
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl Raw {
    /// Connects and sends `request` as it is.
    pub async fn send(addr: SocketAddr, request: &[u8]) -> Raw {
        Raw::send_with(TcpStream::connect(addr).await.expect("connect"), request).await
    }

    /// Like [`send`](Self::send), with a small receive buffer (8 KiB as the
    /// kernel counts it), so that a client that reads nothing backs up
    /// into the server soon.
    pub async fn send_small_buffer(addr: SocketAddr, request: &[u8]) -> Raw {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let stream = socket.connect(addr).await.expect("connect");
        Raw::send_with(stream, request).await
    }

    async fn send_with(mut stream: TcpStream, request: &[u8]) -> Raw {
        stream.write_all(request).await.expect("send the request");
        Raw {
            stream,
            buf: Vec::new(),
        }
    }

    /// Reads more into the buffer; false at the end of the connection.
    async fn fill(&mut self) -> bool {
        let mut chunk = [0; 16 * 1024];
        match timeout(WAIT, self.stream.read(&mut chunk))
            .await
            .expect("bytes in time")
        {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// Reads the status line and headers (names lowercase).
    pub async fn head(&mut self) -> (u16, Vec<(String, String)>) {
        let end = loop {
            if let Some(at) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at;
            }
            assert!(self.fill().await, "the connection ended before a head");
        };
        let head = String::from_utf8_lossy(&self.buf[..end]).into_owned();
        self.buf.drain(..end + 4);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not a status line: {head:?}"));
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        (status, headers)
    }

    /// The body of a response with `content-length` (after [`head`](Self::head)).
    pub async fn body(&mut self, headers: &[(String, String)]) -> String {
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        while self.buf.len() < len {
            assert!(self.fill().await, "the connection ended inside a body");
        }
        String::from_utf8_lossy(&self.buf.drain(..len).collect::<Vec<_>>()).into_owned()
    }

    /// The next chunk of a chunked body; `None` at its last chunk, or at
    /// the end of the connection.
    pub async fn chunk(&mut self) -> Option<Bytes> {
        let (line, size) = loop {
            if let Some(at) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = std::str::from_utf8(&self.buf[..at]).expect("a chunk size");
                let hex = line.split(';').next().unwrap().trim();
                break (at, usize::from_str_radix(hex, 16).expect("a chunk size"));
            }
            if !self.fill().await {
                return None;
            }
        };
        while self.buf.len() < line + 2 + size + 2 {
            if !self.fill().await {
                return None;
            }
        }
        let chunk = Bytes::copy_from_slice(&self.buf[line + 2..line + 2 + size]);
        self.buf.drain(..line + 2 + size + 2);
        (size > 0).then_some(chunk)
    }
}

/// A raw `GET` of `path` with extra header lines (each ending in CRLF).
pub fn get_request(path: &str, headers: &[u8]) -> Vec<u8> {
    let mut request = format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n").into_bytes();
    request.extend_from_slice(headers);
    request.extend_from_slice(b"\r\n");
    request
}
