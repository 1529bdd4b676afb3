//! A scripted HTTP/1.1 server on 127.0.0.1 (hyper, a port the OS picks):
//! each request is recorded and answered by the test's handler with a
//! status, headers and body steps (send bytes, wait, cut the connection,
//! stall). Dropping the server stops it and every connection.

#![allow(dead_code)]

use bytes::Bytes;
use http_body_util::StreamBody;
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper::{HeaderMap, Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// When the request arrived.
    pub at: tokio::time::Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.get(name).map(|v| v.as_bytes())
    }
}

/// One step of a body.
#[derive(Debug, Clone)]
pub enum Step {
    Send(Bytes),
    Wait(Duration),
    /// End the connection without finishing the body.
    Cut,
    /// Send nothing more, ever.
    Stall,
}

/// An answer: status, headers, then the body's steps; a body whose steps
/// run out ends cleanly.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub steps: Vec<Step>,
}

impl Reply {
    /// 200 with `Content-Type: text/event-stream`.
    pub fn stream() -> Reply {
        Reply::status(200).header("content-type", "text/event-stream")
    }

    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            steps: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn send(mut self, bytes: impl AsRef<[u8]>) -> Reply {
        self.steps
            .push(Step::Send(Bytes::copy_from_slice(bytes.as_ref())));
        self
    }

    pub fn wait(mut self, time: Duration) -> Reply {
        self.steps.push(Step::Wait(time));
        self
    }

    pub fn cut(mut self) -> Reply {
        self.steps.push(Step::Cut);
        self
    }

    pub fn stall(mut self) -> Reply {
        self.steps.push(Step::Stall);
        self
    }
}

type Handler = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

pub struct TestServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    /// Bodies dropped by the server: the connection's end was noticed.
    pub bodies_dropped: Arc<AtomicUsize>,
    tasks: JoinSet<()>,
}

impl TestServer {
    /// Starts a server that answers request `n` (from 0) with
    /// `handler(n, &request)`.
    pub async fn start(
        handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let bodies_dropped = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let mut tasks = JoinSet::new();
        let (recorded, dropped) = (requests.clone(), bodies_dropped.clone());
        tasks.spawn(async move {
            // Connections live in this set: aborting the accept loop drops
            // it, and with it every connection.
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (handler, recorded, dropped) =
                    (handler.clone(), recorded.clone(), dropped.clone());
                let service = service_fn(move |request: Request<Incoming>| {
                    let (handler, recorded, dropped) =
                        (handler.clone(), recorded.clone(), dropped.clone());
                    async move {
                        Ok::<_, Infallible>(answer(request, &*handler, &recorded, dropped).await)
                    }
                });
                connections.spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
                while connections.try_join_next().is_some() {}
            }
        });
        TestServer {
            addr,
            requests,
            bodies_dropped,
            tasks,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}

type BoxBody = StreamBody<
    std::pin::Pin<
        Box<dyn futures_util::Stream<Item = Result<Frame<Bytes>, std::io::Error>> + Send>,
    >,
>;

async fn answer(
    request: Request<Incoming>,
    handler: &Handler,
    recorded: &Mutex<Vec<Recorded>>,
    dropped: Arc<AtomicUsize>,
) -> Response<BoxBody> {
    use http_body_util::BodyExt;
    let at = tokio::time::Instant::now();
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let request = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.to_string(),
        headers: parts.headers,
        body,
        at,
    };
    let reply = {
        let mut all = recorded.lock().unwrap();
        all.push(request.clone());
        handler(all.len() - 1, &request)
    };
    let mut response = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    let guard = DropCount(dropped);
    let steps = futures_util::stream::unfold(
        (reply.steps.into_iter(), guard),
        |(mut steps, guard)| async move {
            loop {
                match steps.next()? {
                    Step::Send(bytes) => return Some((Ok(Frame::data(bytes)), (steps, guard))),
                    Step::Wait(time) => tokio::time::sleep(time).await,
                    Step::Cut => {
                        // Let hyper flush what it has (it does when the
                        // body is pending), so that the cut falls after
                        // every byte sent before it.
                        tokio::task::yield_now().await;
                        let cut = std::io::Error::other("cut by the script");
                        return Some((Err(cut), (Vec::new().into_iter(), guard)));
                    }
                    Step::Stall => std::future::pending::<()>().await,
                }
            }
        },
    );
    response
        .body(StreamBody::new(Box::pin(steps) as _))
        .expect("a valid scripted response")
}

/// Counts a body dropped: by its end, or by the connection closing.
struct DropCount(Arc<AtomicUsize>);

impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Waits until `check` holds, for at most 5 s (polling every 5 ms).
pub async fn until(mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..1000 {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    check()
}
