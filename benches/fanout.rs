//! Issue 16's server benchmarks, in one run, each for sse-wire-server's
//! `Hub` + `EventBody` through axum against the usual way (axum's `Sse`
//! with `KeepAlive` and a `tokio::sync::broadcast` channel, each subscriber
//! mapping what it receives to `Event::default().data(..)`):
//!
//! 1. Fan-out: events per second delivered to 1,000 and 10,000 loopback
//!    subscribers, paced to the slowest subscriber (a batch is published,
//!    then the publisher waits until every subscriber has it), with the
//!    publish-to-receive latency (the publish time is in the data) and the
//!    CPU time per delivered event. Every subscriber counts the events it
//!    gets by sequence number; losses and duplicates are reported.
//! 2. Memory per idle connection: RSS growth over 10,000 idle streams,
//!    with the stages under them (a bare socket, hyper with a body that
//!    never yields) to tell where it goes.
//! 3. Publish cost: `Hub::publish` to 10,000 subscriptions held in the
//!    process against 10,000 encodes of the same event.
//!
//! `cargo bench -p sse-wire-benches --bench fanout` (about 5 minutes on 2
//! cores). Environment, defaults in brackets:
//!
//! * `SSE_WIRE_FANOUT_SUBSCRIBERS` [`1000,10000`]: subscriber counts;
//! * `SSE_WIRE_FANOUT_BATCH` [`64,512`]: events published before the
//!   publisher waits for every subscriber, one or several (at most the
//!   queues' 1,024);
//! * `SSE_WIRE_FANOUT_EVENTS` [3,000,000 / subscribers, at least 1,024
//!   and 2 batches]: events published per round;
//! * `SSE_WIRE_FANOUT_ROUNDS` [`5`]: rounds of each part, the order of the
//!   servers alternating;
//! * `SSE_WIRE_FANOUT_SERVERS` [`hub,usual`]: the servers of part 1;
//! * `SSE_WIRE_FANOUT_IDLE` [`10000`]: idle connections of part 2;
//! * `SSE_WIRE_FANOUT_PARTS` [`fanout,memory,publish`];
//! * `SSE_WIRE_FANOUT_NODELAY` [`0`]: `1` sets `TCP_NODELAY` on the
//!   server's sockets (`axum::serve` does not by default).
//!
//! Clients and servers share the process (the descriptor limit is raised
//! to 65,536 if the hard limit allows; if not, fewer subscribers are used
//! and the tables say so). The servers run on a 2-thread runtime, the
//! subscribers on one current-thread runtime of their own (its CPU time is
//! counted apart), so that the server side dominates. Part 2 runs each
//! stage in a fresh process (this binary again, with
//! `SSE_WIRE_FANOUT_MEMORY_CHILD` set), so that no stage reuses memory
//! another one freed.
#![forbid(unsafe_code)]

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use futures::StreamExt;
use sse_wire::encode::{Event, EventId, EventType};
use sse_wire_server::{EventBody, Hub, HubConfig, MemoryHistory, Subscription};
use std::cell::RefCell;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::{self, Read as _, Write as _};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, Notify, Semaphore};

const TOPIC: &str = "bench";
const PATH: &str = "/events";
const REQUEST: &[u8] =
    b"GET /events HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n\r\n";
/// Each event's data: 100 bytes, the sequence number and the publish time
/// first.
const DATA_LEN: usize = 100;
/// The capacity of the usual way's broadcast channel: the most events a
/// hub's subscriber may fall behind by default.
const CHANNEL: usize = 1024;
/// The most connections opening at once.
const CONNECTING: usize = 128;

// ---------------------------------------------------------------- setup --

struct Config {
    subscribers: Vec<usize>,
    events: Option<u64>,
    batches: Vec<u64>,
    rounds: usize,
    idle: usize,
    parts: Vec<String>,
    servers: Vec<Variant>,
    nodelay: bool,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}: cannot parse {v:?}")),
        Err(_) => default,
    }
}

impl Config {
    fn from_env() -> Config {
        let subscribers = std::env::var("SSE_WIRE_FANOUT_SUBSCRIBERS")
            .unwrap_or_else(|_| "1000,10000".into())
            .split(',')
            .map(|s| s.trim().replace('_', "").parse().expect("subscriber count"))
            .collect();
        let events = std::env::var("SSE_WIRE_FANOUT_EVENTS")
            .ok()
            .map(|v| v.trim().replace('_', "").parse().expect("event count"));
        let batches: Vec<u64> = std::env::var("SSE_WIRE_FANOUT_BATCH")
            .unwrap_or_else(|_| "64,512".into())
            .split(',')
            .map(|s| s.trim().replace('_', "").parse().expect("batch size"))
            .collect();
        assert!(
            batches.iter().all(|b| (1..=CHANNEL as u64).contains(b)),
            "a batch must fit the queues (1 to {CHANNEL} events)"
        );
        Config {
            subscribers,
            events,
            batches,
            rounds: env_or("SSE_WIRE_FANOUT_ROUNDS", 5),
            idle: env_or("SSE_WIRE_FANOUT_IDLE", 10_000),
            parts: std::env::var("SSE_WIRE_FANOUT_PARTS")
                .unwrap_or_else(|_| "fanout,memory,publish".into())
                .split(',')
                .map(|s| s.trim().to_owned())
                .collect(),
            servers: std::env::var("SSE_WIRE_FANOUT_SERVERS")
                .unwrap_or_else(|_| "hub,usual".into())
                .split(',')
                .map(|s| match s.trim() {
                    "hub" => Variant::Hub,
                    "usual" => Variant::Usual,
                    other => panic!("SSE_WIRE_FANOUT_SERVERS: unknown server {other:?}"),
                })
                .collect(),
            nodelay: env_or::<u8>("SSE_WIRE_FANOUT_NODELAY", 0) != 0,
        }
    }

    /// Events per round: 3 M deliveries, at least 1,024 events and 2
    /// batches (a round of a few batches measures mostly its start: at
    /// 10,000 subscribers and batch 64, 5 batches gave 2.5-3.0x where 16
    /// give 2.9-3.6x).
    fn events_for(&self, subscribers: usize, batch: u64) -> u64 {
        self.events.unwrap_or_else(|| {
            (3_000_000 / subscribers.max(1) as u64)
                .max(1024)
                .max(2 * batch)
        })
    }
}

/// Raises the descriptor limit toward 65,536; returns the soft limit now
/// and a note on what happened.
fn raise_fd_limit() -> (u64, String) {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    const WANT: u64 = 65_536;
    let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return (1024, "getrlimit failed; assuming 1,024".into());
    };
    if soft >= WANT {
        return (soft, format!("RLIMIT_NOFILE {soft} (hard {hard}) already"));
    }
    if setrlimit(Resource::RLIMIT_NOFILE, WANT, hard.max(WANT)).is_ok() {
        return (WANT, format!("RLIMIT_NOFILE raised from {soft} to {WANT}"));
    }
    let note = format!(
        "RLIMIT_NOFILE could not be raised to {WANT}: the hard limit is {hard} \
         (raising it needs privileges this process lacks)"
    );
    if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
        return (hard, format!("{note}; raised from {soft} to {hard}"));
    }
    (soft, format!("{note}; staying at {soft}"))
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(16, |d| d.count())
}

/// The time since the bench started, in ns: what the publisher writes into
/// an event and the subscriber subtracts from its clock.
fn now_ns() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

const PAD: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

/// 100 bytes: `SEQ(10) TIME(20) x...`.
fn payload(seq: u64, ts: u64) -> String {
    let mut s = String::with_capacity(DATA_LEN);
    let _ = write!(s, "{seq:010} {ts:020} {PAD}");
    debug_assert_eq!(s.len(), DATA_LEN);
    s
}

fn page_size() -> u64 {
    use nix::unistd::{sysconf, SysconfVar};
    match sysconf(SysconfVar::PAGE_SIZE) {
        Ok(Some(n)) if n > 0 => n as u64,
        _ => 4096,
    }
}

/// Resident set size in bytes, from /proc/self/statm.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    pages * page_size()
}

/// User + system CPU time, in µs.
fn cpu_us(who: nix::sys::resource::UsageWho) -> i64 {
    use nix::sys::time::TimeValLike;
    nix::sys::resource::getrusage(who).map_or(0, |u| {
        u.user_time().num_microseconds() + u.system_time().num_microseconds()
    })
}

fn process_cpu_us() -> i64 {
    cpu_us(nix::sys::resource::UsageWho::RUSAGE_SELF)
}

fn thread_cpu_us() -> i64 {
    cpu_us(nix::sys::resource::UsageWho::RUSAGE_THREAD)
}

// ----------------------------------------------------------- histogram --

/// Log-linear buckets: 32 per power of two (about 3% wide).
struct Histogram {
    counts: Vec<u64>,
    total: u64,
}

const SUB_BITS: u32 = 5;
const SUBS: usize = 1 << SUB_BITS;

impl Histogram {
    fn new() -> Histogram {
        Histogram {
            counts: vec![0; (64 - SUB_BITS as usize + 1) * SUBS],
            total: 0,
        }
    }

    fn index(v: u64) -> usize {
        if v < SUBS as u64 {
            return v as usize;
        }
        let exp = 63 - v.leading_zeros();
        let shift = exp - SUB_BITS;
        let mantissa = (v >> shift) as usize - SUBS;
        (shift as usize + 1) * SUBS + mantissa
    }

    /// The middle of bucket `i`.
    fn value(i: usize) -> u64 {
        if i < SUBS {
            return i as u64;
        }
        let shift = (i / SUBS - 1) as u32;
        let low = ((SUBS + i % SUBS) as u64) << shift;
        low + ((1u64 << shift) >> 1)
    }

    fn record(&mut self, v: u64) {
        self.counts[Self::index(v)] += 1;
        self.total += 1;
    }

    fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((self.total as f64 * q).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Self::value(i);
            }
        }
        Self::value(self.counts.len() - 1)
    }
}

// -------------------------------------------------------------- servers --

static WRITES: AtomicU64 = AtomicU64::new(0);
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// A server socket that counts its successful writes (each one system
/// call), so that the tables tell how many events go out per write.
struct Counting(TcpStream);

impl Counting {
    fn count(n: usize) {
        WRITES.fetch_add(1, Ordering::Relaxed);
        WRITTEN.fetch_add(n as u64, Ordering::Relaxed);
    }
}

impl AsyncRead for Counting {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counting {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.0).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = r {
            Counting::count(n);
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.0).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = r {
            Counting::count(n);
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

struct CountingListener {
    listener: TcpListener,
    nodelay: bool,
}

impl axum::serve::Listener for CountingListener {
    type Io = Counting;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Counting, SocketAddr) {
        loop {
            match self.listener.accept().await {
                Ok((stream, addr)) => {
                    if self.nodelay {
                        let _ = stream.set_nodelay(true);
                    }
                    return (Counting(stream), addr);
                }
                // Out of descriptors, most likely: wait for some to close.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Variant {
    /// sse-wire-server: `Hub::subscribe` into an `EventBody`.
    Hub,
    /// axum's `Sse` + `KeepAlive` over a `tokio::sync::broadcast` receiver.
    Usual,
    /// Memory stages: a socket accepted and held, a fake response head.
    Socket,
    /// Memory stages: axum and hyper with a body that never yields.
    Pending,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Hub => "sse-wire-server Hub + EventBody",
            Variant::Usual => "axum Sse + KeepAlive + broadcast (usual way)",
            Variant::Socket => "accepted TCP socket only (tokio)",
            Variant::Pending => "axum + hyper, a body that never yields",
        }
    }
}

/// A guard counting live connections of the stages that have no hub or
/// channel to ask.
struct Live(Arc<AtomicUsize>);

impl Live {
    fn new(count: &Arc<AtomicUsize>) -> Live {
        count.fetch_add(1, Ordering::Relaxed);
        Live(count.clone())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[derive(Clone)]
enum Publisher {
    Hub(Hub),
    Usual(broadcast::Sender<String>),
}

impl Publisher {
    async fn publish(&self, data: String) {
        match self {
            Publisher::Hub(hub) => {
                hub.publish(TOPIC, Event::new().data(&data))
                    .await
                    .expect("publish");
            }
            Publisher::Usual(tx) => {
                let _ = tx.send(data);
            }
        }
    }
}

struct Server {
    addr: SocketAddr,
    publisher: Option<Publisher>,
    live: Arc<AtomicUsize>,
    held: Arc<Mutex<Vec<TcpStream>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server for `variant` on a fresh port (so that the client
    /// ports of earlier rounds in TIME_WAIT never collide). Call inside the
    /// server runtime.
    async fn start(variant: Variant, nodelay: bool) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let live = Arc::new(AtomicUsize::new(0));
        let held = Arc::new(Mutex::new(Vec::new()));
        let listener = CountingListener { listener, nodelay };
        let (publisher, router) = match variant {
            Variant::Hub => {
                // The usual way's events carry no event type: neither do
                // these (they carry an ID, which it cannot replay without).
                let hub = Hub::with_history(
                    HubConfig::new().topic_as_event_type(false),
                    MemoryHistory::new(),
                );
                let router = Router::new()
                    .route(PATH, get(hub_events))
                    .with_state(hub.clone());
                (Some(Publisher::Hub(hub)), router)
            }
            Variant::Usual => {
                let (tx, _) = broadcast::channel::<String>(CHANNEL);
                let router = Router::new()
                    .route(PATH, get(usual_events))
                    .with_state(tx.clone());
                (Some(Publisher::Usual(tx)), router)
            }
            Variant::Pending => {
                let count = live.clone();
                let router = Router::new().route(
                    PATH,
                    get(move || {
                        let live = Live::new(&count);
                        async move { pending_body(live) }
                    }),
                );
                (None, router)
            }
            Variant::Socket => {
                let keep = held.clone();
                let task = tokio::spawn(async move {
                    let listener = listener.listener;
                    let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n";
                    loop {
                        let Ok((mut stream, _)) = listener.accept().await else {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            continue;
                        };
                        if stream.write_all(head).await.is_ok() {
                            keep.lock().unwrap().push(stream);
                        }
                    }
                });
                return Server {
                    addr,
                    publisher: None,
                    live,
                    held,
                    task,
                };
            }
        };
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Server {
            addr,
            publisher,
            live,
            held,
            task,
        }
    }

    /// Connections the server holds now (subscribers, receivers or guards).
    fn clients(&self) -> usize {
        match &self.publisher {
            Some(Publisher::Hub(hub)) => hub.clients(TOPIC),
            Some(Publisher::Usual(tx)) => tx.receiver_count(),
            None => self.live.load(Ordering::Relaxed) + self.held.lock().unwrap().len(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
        self.held.lock().unwrap().clear();
    }
}

async fn hub_events(State(hub): State<Hub>) -> Response {
    match hub.subscribe(&[TOPIC], None).await {
        Ok(subscription) => EventBody::new(subscription).into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// The usual way: a broadcast receiver per connection, each message made
/// into axum's `Event` there, `Sse` with the default keep-alive (15 s).
async fn usual_events(State(tx): State<broadcast::Sender<String>>) -> impl IntoResponse {
    let events = futures::stream::unfold(tx.subscribe(), |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(data) => return Some((Ok::<_, Infallible>(SseEvent::default().data(data)), rx)),
                // What the usual code does: skip (the subscriber sees the
                // gap and counts it as lost).
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}

fn pending_body(live: Live) -> axum::body::Body {
    axum::body::Body::from_stream(futures::stream::unfold(live, |live| async move {
        let _live = live;
        futures::future::pending::<()>().await;
        None::<(Result<Bytes, Infallible>, Live)>
    }))
}

// -------------------------------------------------------------- clients --

/// The subscribers' runtime: one current-thread runtime on a thread of its
/// own, so that its CPU time can be told apart from the servers'.
struct Clients {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Clients {
    fn start() -> Clients {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the subscribers' runtime");
        let handle = rt.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("subscribers".into())
            .spawn(move || {
                rt.block_on(async {
                    let _ = stopped.await;
                });
            })
            .expect("the subscribers' thread");
        Clients {
            handle,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The subscribers' thread's CPU time, in µs.
    async fn cpu_us(&self) -> i64 {
        self.handle
            .spawn(async { thread_cpu_us() })
            .await
            .unwrap_or(0)
    }

    async fn take_latency(&self) -> Histogram {
        self.handle
            .spawn(async {
                LATENCY.with(|l| std::mem::replace(&mut *l.borrow_mut(), Histogram::new()))
            })
            .await
            .unwrap_or_else(|_| Histogram::new())
    }
}

impl Drop for Clients {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

thread_local! {
    /// One read buffer for every subscriber of the thread: reads never
    /// await while they hold it.
    static READ_BUF: RefCell<Vec<u8>> = RefCell::new(vec![0; 256 * 1024]);
    static LATENCY: RefCell<Histogram> = RefCell::new(Histogram::new());
}

/// What the subscribers of a round share with the publisher.
struct Shared {
    events: u64,
    /// Deliveries (received or known lost) the publisher waits for.
    target: AtomicU64,
    /// Deliveries received or known lost, over every subscriber.
    accounted: AtomicU64,
    ready: AtomicUsize,
    finished: AtomicUsize,
    failed: AtomicUsize,
    lost: AtomicU64,
    duplicates: AtomicU64,
    notify: Notify,
}

impl Shared {
    fn new(events: u64) -> Shared {
        Shared {
            events,
            target: AtomicU64::new(u64::MAX),
            accounted: AtomicU64::new(0),
            ready: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            lost: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            notify: Notify::new(),
        }
    }

    fn account(&self, n: u64) {
        if n == 0 {
            return;
        }
        let total = self.accounted.fetch_add(n, Ordering::AcqRel) + n;
        if total >= self.target.load(Ordering::Acquire) {
            self.notify.notify_one();
        }
    }
}

/// One subscriber's count: events by sequence number, from the raw bytes
/// (chunked framing and all: an event ends at an empty line, and its
/// `data: ` line starts with the sequence number and the publish time).
struct Counter {
    expected: u64,
    carry: Vec<u8>,
    lost: u64,
    duplicates: u64,
}

fn digits(s: &[u8]) -> Option<u64> {
    s.iter().try_fold(0u64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

impl Counter {
    fn new() -> Counter {
        Counter {
            expected: 0,
            carry: Vec::new(),
            lost: 0,
            duplicates: 0,
        }
    }

    /// Counts the complete events in `buf`; returns the bytes they took.
    fn scan(&mut self, buf: &[u8], now: u64, latency: &mut Histogram) -> usize {
        let mut consumed = 0;
        let mut line = 0;
        let mut data = None;
        for end in memchr::memchr_iter(b'\n', buf) {
            if end == line {
                if let Some((from, to)) = data.take() {
                    self.event(&buf[from..to], now, latency);
                }
                consumed = end + 1;
            } else if buf[line..end].starts_with(b"data: ") {
                data = Some((line + 6, end));
            }
            line = end + 1;
        }
        consumed
    }

    fn event(&mut self, data: &[u8], now: u64, latency: &mut Histogram) {
        let (Some(seq), Some(ts)) = (
            data.get(..10).and_then(digits),
            data.get(11..31).and_then(digits),
        ) else {
            return;
        };
        if seq < self.expected {
            self.duplicates += 1;
            return;
        }
        self.lost += seq - self.expected;
        self.expected = seq + 1;
        latency.record(now.saturating_sub(ts));
    }

    fn feed(&mut self, bytes: &[u8], now: u64, latency: &mut Histogram) {
        if self.carry.is_empty() {
            let used = self.scan(bytes, now, latency);
            self.carry.extend_from_slice(&bytes[used..]);
        } else {
            let mut carry = std::mem::take(&mut self.carry);
            carry.extend_from_slice(bytes);
            let used = self.scan(&carry, now, latency);
            carry.drain(..used);
            self.carry = carry;
        }
    }
}

/// Connects, sends the request and reads the response head; returns the
/// stream and what came after the head.
async fn open(addr: SocketAddr) -> io::Result<(TcpStream, Vec<u8>)> {
    use tokio::io::AsyncReadExt;
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(REQUEST).await?;
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(at) = memchr::memmem::find(&head, b"\r\n\r\n") {
            if !head.starts_with(b"HTTP/1.1 200") {
                return Err(io::Error::other("not a 200 response"));
            }
            let rest = head.split_off(at + 4);
            return Ok((stream, rest));
        }
        if head.len() > 16 * 1024 {
            return Err(io::Error::other("no end of the response head"));
        }
    }
}

async fn subscriber(addr: SocketAddr, shared: Arc<Shared>, gate: Arc<Semaphore>) {
    let events = shared.events;
    let permit = gate.acquire_owned().await.ok();
    let opened = tokio::time::timeout(Duration::from_secs(20), open(addr)).await;
    drop(permit);
    let Ok(Ok((stream, rest))) = opened else {
        shared.failed.fetch_add(1, Ordering::AcqRel);
        shared.lost.fetch_add(events, Ordering::AcqRel);
        shared.account(events);
        shared.ready.fetch_add(1, Ordering::AcqRel);
        shared.finished.fetch_add(1, Ordering::AcqRel);
        return;
    };
    shared.ready.fetch_add(1, Ordering::AcqRel);
    let mut counter = Counter::new();
    if !rest.is_empty() {
        let now = now_ns();
        LATENCY.with(|l| counter.feed(&rest, now, &mut l.borrow_mut()));
    }
    let mut accounted = counter.expected;
    shared.account(accounted);
    while counter.expected < events {
        if stream.readable().await.is_err() {
            break;
        }
        let open = READ_BUF.with(|buf| {
            let mut buf = buf.borrow_mut();
            match stream.try_read(&mut buf) {
                Ok(0) => false,
                Ok(n) => {
                    let now = now_ns();
                    LATENCY.with(|l| counter.feed(&buf[..n], now, &mut l.borrow_mut()));
                    true
                }
                Err(e) => e.kind() == io::ErrorKind::WouldBlock,
            }
        });
        shared.account(counter.expected - accounted);
        accounted = counter.expected;
        if !open {
            break;
        }
    }
    if counter.expected < events {
        counter.lost += events - counter.expected;
        shared.account(events - counter.expected);
    }
    shared.lost.fetch_add(counter.lost, Ordering::AcqRel);
    shared
        .duplicates
        .fetch_add(counter.duplicates, Ordering::AcqRel);
    shared.finished.fetch_add(1, Ordering::AcqRel);
}

async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

// -------------------------------------------------------------- fan-out --

/// Publishes `events` in batches; after each, waits until every subscriber
/// has it (or is known to have lost it).
async fn publish_paced(
    publisher: Publisher,
    shared: Arc<Shared>,
    subscribers: u64,
    batch: u64,
) -> Result<(), String> {
    let events = shared.events;
    let mut next = 0;
    while next < events {
        let end = (next + batch).min(events);
        let target = end * subscribers;
        shared.target.store(target, Ordering::Release);
        for seq in next..end {
            publisher.publish(payload(seq, now_ns())).await;
        }
        next = end;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let notified = shared.notify.notified();
            if shared.accounted.load(Ordering::Acquire) >= target {
                break;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(format!(
                    "stalled: {} of {target} deliveries 30 s after event {end}",
                    shared.accounted.load(Ordering::Acquire)
                ));
            }
        }
    }
    Ok(())
}

struct FanoutRun {
    variant: Variant,
    subscribers: usize,
    secs: f64,
    delivered: u64,
    expected: u64,
    lost: u64,
    duplicates: u64,
    failed: usize,
    p50_ns: u64,
    p99_ns: u64,
    server_cpu_ns: f64,
    client_cpu_ns: f64,
    events_per_write: f64,
    /// RSS growth over the round, per subscriber, bytes.
    rss_growth: f64,
    trouble: Vec<String>,
}

impl FanoutRun {
    fn rate(&self) -> f64 {
        self.delivered as f64 / self.secs
    }
}

async fn fanout_run(
    variant: Variant,
    subscribers: usize,
    events: u64,
    batch: u64,
    nodelay: bool,
    clients: &Clients,
) -> FanoutRun {
    let server = Server::start(variant, nodelay).await;
    let shared = Arc::new(Shared::new(events));
    let gate = Arc::new(Semaphore::new(CONNECTING));
    let mut trouble = Vec::new();
    drop(clients.take_latency().await);
    let tasks: Vec<_> = (0..subscribers)
        .map(|_| {
            clients
                .handle
                .spawn(subscriber(server.addr, shared.clone(), gate.clone()))
        })
        .collect();
    if !wait_until(Duration::from_secs(120), || {
        shared.ready.load(Ordering::Acquire) == subscribers
    })
    .await
    {
        trouble.push("not every subscriber connected in 120 s".into());
    }
    let failed = shared.failed.load(Ordering::Acquire);
    if !wait_until(Duration::from_secs(30), || {
        server.clients() + failed >= subscribers
    })
    .await
    {
        trouble.push(format!("{} of {subscribers} registered", server.clients()));
    }
    if failed > 0 {
        trouble.push(format!("{failed} subscribers failed to connect"));
    }
    let publisher = server.publisher.clone().expect("a publishing server");
    let rss0 = rss();
    let (cpu0, client0) = (process_cpu_us(), clients.cpu_us().await);
    let (writes0, written0) = (
        WRITES.load(Ordering::Relaxed),
        WRITTEN.load(Ordering::Relaxed),
    );
    let start = Instant::now();
    let published = tokio::spawn(publish_paced(
        publisher,
        shared.clone(),
        subscribers as u64,
        batch,
    ))
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let secs = start.elapsed().as_secs_f64();
    let (cpu1, client1) = (process_cpu_us(), clients.cpu_us().await);
    // Every event delivered, the subscribers still connected: what the
    // round left behind.
    let rss1 = rss();
    let (writes, written) = (
        WRITES.load(Ordering::Relaxed) - writes0,
        WRITTEN.load(Ordering::Relaxed) - written0,
    );
    if let Err(e) = published {
        trouble.push(e);
    }
    if !wait_until(Duration::from_secs(10), || {
        shared.finished.load(Ordering::Acquire) == subscribers
    })
    .await
    {
        trouble.push("not every subscriber finished".into());
    }
    for task in &tasks {
        task.abort();
    }
    let latency = clients.take_latency().await;
    if !wait_until(Duration::from_secs(30), || server.clients() == 0).await {
        trouble.push(format!(
            "the server still held {} subscribers 30 s after they closed",
            server.clients()
        ));
    }
    drop(server);
    let delivered = latency.total;
    let client_us = (client1 - client0) as f64;
    let server_us = (cpu1 - cpu0) as f64 - client_us;
    let _ = written;
    FanoutRun {
        variant,
        subscribers,
        secs,
        delivered,
        expected: events * subscribers as u64,
        lost: shared.lost.load(Ordering::Acquire),
        duplicates: shared.duplicates.load(Ordering::Acquire),
        failed,
        p50_ns: latency.quantile(0.50),
        p99_ns: latency.quantile(0.99),
        server_cpu_ns: server_us * 1000.0 / delivered.max(1) as f64,
        client_cpu_ns: client_us * 1000.0 / delivered.max(1) as f64,
        events_per_write: delivered as f64 / writes.max(1) as f64,
        rss_growth: (rss1 as f64 - rss0 as f64) / subscribers.max(1) as f64,
        trouble,
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

fn rate_text(r: f64) -> String {
    if r >= 1e6 {
        format!("{:.2} M", r / 1e6)
    } else {
        format!("{:.0} k", r / 1e3)
    }
}

fn time_text(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e4 {
        format!("{:.0} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// One subscriber count at one batch size: every round's runs, in the
/// order of `Config::servers`.
struct Case {
    subscribers: usize,
    batch: u64,
    events: u64,
    rounds: Vec<Vec<FanoutRun>>,
}

fn fanout(config: &Config, rt: &tokio::runtime::Runtime, clients: &Clients, most: usize) {
    let variants = config.servers.clone();
    println!("## Fan-out over loopback\n");
    let mut cases: Vec<Case> = Vec::new();
    for &batch in &config.batches {
        for &asked in &config.subscribers {
            let subscribers = asked.min(most);
            if subscribers < asked && batch == config.batches[0] {
                println!(
                    "- **{asked} subscribers asked, {subscribers} used**: the descriptor \
                     limit allows no more (a client and a server socket each, in this \
                     process).\n"
                );
            }
            let events = config.events_for(subscribers, batch);
            let mut rounds = Vec::new();
            for round in 0..config.rounds {
                let mut order = variants.clone();
                if round % 2 == 1 {
                    order.reverse();
                }
                let mut runs = Vec::new();
                for variant in order {
                    let run = rt.block_on(fanout_run(
                        variant,
                        subscribers,
                        events,
                        batch,
                        config.nodelay,
                        clients,
                    ));
                    eprintln!(
                        "fanout batch {batch} round {round} {subscribers} subs {:?}: {}/s p50 {} p99 {} server {:.0} ns/ev subscribers {:.0} ns/ev {:.1} ev/write rss +{:.1} KiB/sub lost {} dup {} {:?} ({:.1} s)",
                        run.variant,
                        rate_text(run.rate()),
                        time_text(run.p50_ns as f64),
                        time_text(run.p99_ns as f64),
                        run.server_cpu_ns,
                        run.client_cpu_ns,
                        run.events_per_write,
                        run.rss_growth / 1024.0,
                        run.lost,
                        run.duplicates,
                        run.trouble,
                        run.secs
                    );
                    runs.push(run);
                }
                runs.sort_by_key(|r| variants.iter().position(|&v| v == r.variant));
                rounds.push(runs);
            }
            cases.push(Case {
                subscribers,
                batch,
                events,
                rounds,
            });
        }
    }

    println!(
        "Events published per round (`SSE_WIRE_FANOUT_EVENTS`): {}. They go out in \
         batches (`SSE_WIRE_FANOUT_BATCH`); after each batch the publisher waits until \
         every subscriber has every event of it, so that no queue overflows and the rate \
         is the highest the slowest subscriber allows; the larger batch comes nearer the \
         queues' 1,024 and so the highest rate, at the cost of latency. {} rounds, the \
         servers' order alternating; medians, with the range over rounds. Latency is \
         publish to receive (the subscriber's read), over every delivery. CPU is per \
         delivered event: the servers' side is the process less the subscribers' thread \
         (hyper, axum, the hub or channel, the publisher, and the kernel's send path, \
         which on loopback also runs the receiving TCP stack); the subscribers' thread \
         apart. Events per write: deliveries ÷ successful writes on the servers' \
         sockets. RSS growth: RSS once every event is delivered (the subscribers still \
         connected) less RSS before the first publish, per subscriber.\n",
        cases
            .iter()
            .map(|c| format!(
                "{} at {} subscribers, batch {}",
                c.events, c.subscribers, c.batch
            ))
            .collect::<Vec<_>>()
            .join("; "),
        config.rounds
    );
    println!(
        "| subscribers | batch | server | events/s delivered | range | p50 | p99 | server CPU/event | subscribers' CPU/event | events per write | RSS growth per subscriber | lost | duplicates |"
    );
    println!("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for case in &cases {
        for (i, variant) in variants.iter().enumerate() {
            let runs: Vec<&FanoutRun> = case.rounds.iter().map(|r| &r[i]).collect();
            let mut rates: Vec<f64> = runs.iter().map(|r| r.rate()).collect();
            let (lo, hi) = min_max(&rates);
            let mut p50: Vec<f64> = runs.iter().map(|r| r.p50_ns as f64).collect();
            let mut p99: Vec<f64> = runs.iter().map(|r| r.p99_ns as f64).collect();
            let mut server: Vec<f64> = runs.iter().map(|r| r.server_cpu_ns).collect();
            let mut client: Vec<f64> = runs.iter().map(|r| r.client_cpu_ns).collect();
            let mut per_write: Vec<f64> = runs.iter().map(|r| r.events_per_write).collect();
            let mut growth: Vec<f64> = runs.iter().map(|r| r.rss_growth / 1024.0).collect();
            let lost: u64 = runs.iter().map(|r| r.lost).sum();
            let expected: u64 = runs.iter().map(|r| r.expected).sum();
            let duplicates: u64 = runs.iter().map(|r| r.duplicates).sum();
            println!(
                "| {} | {} | {} | {} | {}–{} | {} | {} | {} | {} | {:.1} | {:.1} KiB | {lost} of {expected} | {duplicates} |",
                case.subscribers,
                case.batch,
                variant.name(),
                rate_text(median(&mut rates)),
                rate_text(lo),
                rate_text(hi),
                time_text(median(&mut p50)),
                time_text(median(&mut p99)),
                time_text(median(&mut server)),
                time_text(median(&mut client)),
                median(&mut per_write),
                median(&mut growth),
            );
        }
    }
    println!();
    let usual = variants.iter().position(|&v| v == Variant::Usual);
    if let Some(usual) = usual.filter(|_| variants.len() > 1) {
        ratios(&cases, &variants, usual);
    }
    let trouble: Vec<String> = cases
        .iter()
        .flat_map(|c| c.rounds.iter().flatten())
        .filter(|r| !r.trouble.is_empty() || r.failed > 0)
        .map(|r| {
            format!(
                "{} at {}: {}",
                r.variant.name(),
                r.subscribers,
                r.trouble.join("; ")
            )
        })
        .collect();
    if !trouble.is_empty() {
        println!("Trouble:\n");
        for t in trouble {
            println!("- {t}");
        }
        println!();
    }
}

/// Each server against the usual way, paired within each round.
fn ratios(cases: &[Case], variants: &[Variant], usual: usize) {
    println!("Ratios against the usual way, paired within each round (median, range):\n");
    println!(
        "| subscribers | batch | server | events/s (this ÷ usual) | p99 (usual ÷ this) | server CPU/event (usual ÷ this) |"
    );
    println!("|---:|---:|---|---:|---:|---:|");
    for case in cases {
        for (i, variant) in variants.iter().enumerate() {
            if i == usual {
                continue;
            }
            let ratio = |f: &dyn Fn(&FanoutRun) -> f64, inverse: bool| {
                let mut v: Vec<f64> = case
                    .rounds
                    .iter()
                    .map(|r| {
                        let (a, b) = (f(&r[i]), f(&r[usual]));
                        if inverse {
                            b / a
                        } else {
                            a / b
                        }
                    })
                    .collect();
                let (lo, hi) = min_max(&v);
                format!("{:.2}× ({lo:.2}–{hi:.2})", median(&mut v))
            };
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                case.subscribers,
                case.batch,
                variant.name(),
                ratio(&|r| r.rate(), false),
                ratio(&|r| r.p99_ns as f64, true),
                ratio(&|r| r.server_cpu_ns, true),
            );
        }
    }
    println!();
}

// --------------------------------------------------------------- memory --

fn connect_idle(addr: SocketAddr, n: usize) -> io::Result<Vec<std::net::TcpStream>> {
    let mut conns = Vec::with_capacity(n);
    let mut buf = [0u8; 2048];
    for _ in 0..n {
        let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        s.write_all(REQUEST)?;
        let mut got = 0;
        loop {
            let k = s.read(&mut buf[got..])?;
            if k == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            got += k;
            if memchr::memmem::find(&buf[..got], b"\r\n\r\n").is_some() {
                break;
            }
            if got == buf.len() {
                return Err(io::Error::other("no end of the response head"));
            }
        }
        conns.push(s);
    }
    Ok(conns)
}

/// RSS once two readings 20 ms apart agree (2 s at most).
async fn settled_rss() -> u64 {
    let mut last = rss();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = rss();
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

struct MemoryRun {
    variant: Variant,
    connections: usize,
    /// RSS before, bytes.
    baseline: u64,
    /// RSS growth per connection, bytes.
    grown: f64,
    /// RSS still above the baseline after every connection closed, per
    /// connection.
    kept: f64,
    /// Run with glibc's allocator held to one arena (`MALLOC_ARENA_MAX=1`)
    /// rather than its default of one per thread in use.
    one_arena: bool,
}

async fn idle_memory(variant: Variant, n: usize, nodelay: bool) -> Result<MemoryRun, String> {
    let server = Server::start(variant, nodelay).await;
    let addr = server.addr;
    let close = |conns: Vec<std::net::TcpStream>| {
        drop(conns);
        if variant == Variant::Socket {
            server.held.lock().unwrap().clear();
        }
    };
    // Warm up: the blocking thread, the allocator's arenas, the timers.
    let warm = tokio::task::spawn_blocking(move || connect_idle(addr, 64))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    wait_until(Duration::from_secs(10), || server.clients() == 64).await;
    close(warm);
    wait_until(Duration::from_secs(10), || server.clients() == 0).await;
    let baseline = settled_rss().await;
    let conns = tokio::task::spawn_blocking(move || connect_idle(addr, n))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("connecting: {e}"))?;
    if !wait_until(Duration::from_secs(30), || server.clients() == n).await {
        return Err(format!("{} of {n} connections held", server.clients()));
    }
    let grown = settled_rss().await;
    close(conns);
    if !wait_until(Duration::from_secs(30), || server.clients() == 0).await {
        return Err(format!(
            "{} connections still held after closing",
            server.clients()
        ));
    }
    let after = settled_rss().await;
    drop(server);
    Ok(MemoryRun {
        variant,
        connections: n,
        baseline,
        grown: (grown as f64 - baseline as f64) / n as f64,
        kept: (after as f64 - baseline as f64) / n as f64,
        one_arena: std::env::var_os("MALLOC_ARENA_MAX").is_some(),
    })
}

/// The variable that makes the bench binary a memory child: `STAGE,N`.
const MEMORY_CHILD: &str = "SSE_WIRE_FANOUT_MEMORY_CHILD";

fn stage_name(v: Variant) -> &'static str {
    match v {
        Variant::Socket => "socket",
        Variant::Pending => "pending",
        Variant::Hub => "hub",
        Variant::Usual => "usual",
    }
}

/// In a child process: one stage's measurement, printed as
/// `memory-result CONNECTIONS BASELINE GROWN KEPT`.
fn memory_child(spec: &str, nodelay: bool) -> std::process::ExitCode {
    let (stage, n) = spec.split_once(',').expect("STAGE,N");
    if stage == "queue" {
        return queue_memory_child(n.parse().expect("events"));
    }
    let variant = [
        Variant::Socket,
        Variant::Pending,
        Variant::Hub,
        Variant::Usual,
    ]
    .into_iter()
    .find(|&v| stage_name(v) == stage)
    .expect("a stage");
    let (limit, _) = raise_fd_limit();
    let most = (limit as usize).saturating_sub(open_fds() + 64) / 2;
    let n = n.parse::<usize>().expect("a count").min(most);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    match rt.block_on(idle_memory(variant, n, nodelay)) {
        Ok(run) => {
            println!(
                "memory-result {} {} {} {}",
                run.connections, run.baseline, run.grown, run.kept
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            println!("memory-error {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn memory_in_child(
    variant: Variant,
    n: usize,
    nodelay: bool,
    one_arena: bool,
) -> Result<MemoryRun, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = std::process::Command::new(exe);
    if one_arena {
        child.env("MALLOC_ARENA_MAX", "1");
    } else {
        child.env_remove("MALLOC_ARENA_MAX");
    }
    let out = child
        .env(MEMORY_CHILD, format!("{},{n}", stage_name(variant)))
        .env("SSE_WIRE_FANOUT_NODELAY", if nodelay { "1" } else { "0" })
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("memory-"))
        .ok_or_else(|| format!("the child said nothing ({})", out.status))?;
    let fields: Vec<&str> = line.split_whitespace().collect();
    match fields.as_slice() {
        ["memory-result", n, baseline, grown, kept] => Ok(MemoryRun {
            variant,
            connections: n.parse().map_err(|_| line.to_owned())?,
            baseline: baseline.parse().map_err(|_| line.to_owned())?,
            grown: grown.parse().map_err(|_| line.to_owned())?,
            kept: kept.parse().map_err(|_| line.to_owned())?,
            one_arena,
        }),
        _ => Err(line.to_owned()),
    }
}

fn memory(config: &Config) {
    let n = config.idle;
    println!("## Memory per idle connection\n");
    let stages = [
        Variant::Socket,
        Variant::Pending,
        Variant::Hub,
        Variant::Usual,
    ];
    let mut runs: Vec<MemoryRun> = Vec::new();
    for round in 0..config.rounds {
        let mut order = stages.to_vec();
        order.rotate_left(round % stages.len());
        for variant in order {
            for one_arena in [false, true] {
                match memory_in_child(variant, n, config.nodelay, one_arena) {
                    Ok(run) => {
                        eprintln!(
                            "memory round {round} {variant:?} one arena {one_arena}: {} connections, baseline {} KiB, {:.2} KiB/conn, {:.2} KiB/conn kept after closing",
                            run.connections,
                            run.baseline / 1024,
                            run.grown / 1024.0,
                            run.kept / 1024.0
                        );
                        runs.push(run);
                    }
                    Err(e) => println!("- {}: {e}", variant.name()),
                }
            }
        }
    }
    let used = runs.iter().map(|r| r.connections).min().unwrap_or(0);
    if used < n {
        println!(
            "- **{n} idle connections asked, {used} used**: the descriptor limit allows no \
             more (a client and a server socket each, in one process).\n"
        );
    }
    println!(
        "RSS (from /proc/self/statm) once the connections are open and idle (the response \
         head read by a blocking client, the stream waiting for an event), less RSS before \
         (after a warm-up of 64 connections, closed), divided by the connections. Each \
         stage in a fresh process (this binary, run again by itself) with its own \
         baseline: in one process, the memory a stage frees stays with the allocator and \
         the next stage reuses it, which made the later stages look almost free. \
         {} rounds; medians, with the range. The clients are blocking sockets in the same \
         process (a descriptor each, no user memory to speak of); kernel socket buffers \
         are not in RSS. Each stage runs twice: with glibc's allocator as it comes (an \
         arena for each thread that allocates: here two runtime workers), and held to one \
         arena (`MALLOC_ARENA_MAX=1`), which tells what the stage asks of the heap from \
         where the allocator's arenas put it.\n",
        config.rounds
    );
    println!(
        "| stage | connections | KiB per connection | range | one arena: KiB per connection | range | still resident after closing, KiB per connection |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut medians = [Vec::new(), Vec::new()];
    for stage in stages {
        let mine = |one: bool| {
            runs.iter()
                .filter(move |r| r.variant == stage && r.one_arena == one)
        };
        let mut cells = Vec::new();
        for (one, medians) in [false, true].into_iter().zip(medians.iter_mut()) {
            let mut grown: Vec<f64> = mine(one).map(|r| r.grown / 1024.0).collect();
            let (lo, hi) = min_max(&grown);
            let m = median(&mut grown);
            medians.push(m);
            cells.push(format!("{m:.2} | {lo:.2}–{hi:.2}"));
        }
        let mut kept: Vec<f64> = mine(false).map(|r| r.kept / 1024.0).collect();
        let connections = mine(false).map(|r| r.connections).min().unwrap_or(0);
        println!(
            "| {} | {connections} | {} | {} | {:.2} |",
            stage.name(),
            cells[0],
            cells[1],
            median(&mut kept)
        );
    }
    for (m, how) in medians.iter().zip(["as it comes", "one arena"]) {
        println!(
            "\nglibc {how}: differences of the medians: hyper + axum over the bare socket \
             {:.2} KiB; the hub's subscription + EventBody over hyper's pending body {:.2} \
             KiB; the usual way's broadcast receiver + Sse over it {:.2} KiB. Hub ÷ usual \
             way: **{:.3}**.",
            m[1] - m[0],
            m[2] - m[1],
            m[3] - m[1],
            m[2] / m[3]
        );
    }
    println!();
    queued_memory(config);
}

/// Queued events: subscriptions in this process that read nothing while
/// `QUEUED` events are published, then take everything.
const QUEUED_SUBSCRIBERS: usize = 10_000;

/// In a child process: RSS growth while events are queued and after they
/// are taken, for the hub and for a broadcast channel, printed as
/// `queue-result HUB_QUEUED HUB_KEPT USUAL_QUEUED USUAL_KEPT` (bytes).
fn queue_memory_child(events: usize) -> std::process::ExitCode {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let data = payload(0, 0);
    let mut cx = Context::from_waker(futures::task::noop_waker_ref());
    let (hub_queued, hub_kept) = rt.block_on(async {
        let hub = Hub::new();
        let mut subs = Vec::with_capacity(QUEUED_SUBSCRIBERS);
        for _ in 0..QUEUED_SUBSCRIBERS {
            subs.push(hub.subscribe(&[TOPIC], None).await.expect("subscribe"));
        }
        for s in subs.iter_mut() {
            let _ = s.poll_next_unpin(&mut cx);
        }
        // The history's 1,000 events first, so that it does not grow in
        // the measurement.
        for _ in 0..1000 {
            hub.publish(TOPIC, Event::new().data(&data))
                .await
                .expect("publish");
            for s in subs.iter_mut() {
                while let Poll::Ready(Some(b)) = s.poll_next_unpin(&mut cx) {
                    drop(b);
                }
            }
        }
        // What every subscriber took is freed: a subscriber that kept up
        // holds nothing.
        let before = rss();
        for _ in 0..events {
            hub.publish(TOPIC, Event::new().data(&data))
                .await
                .expect("publish");
        }
        let queued = rss();
        for s in subs.iter_mut() {
            while let Poll::Ready(Some(b)) = s.poll_next_unpin(&mut cx) {
                drop(b);
            }
        }
        let kept = rss();
        (queued - before, kept.saturating_sub(before))
    });
    let (tx, _) = broadcast::channel::<String>(CHANNEL);
    let mut receivers: Vec<_> = (0..QUEUED_SUBSCRIBERS).map(|_| tx.subscribe()).collect();
    for _ in 0..CHANNEL {
        let _ = tx.send(data.clone());
    }
    for rx in receivers.iter_mut() {
        while rx.try_recv().is_ok() {}
    }
    let before = rss();
    for _ in 0..events {
        let _ = tx.send(data.clone());
    }
    let queued = rss();
    for rx in receivers.iter_mut() {
        while let Ok(m) = rx.try_recv() {
            drop(black_box(SseEvent::default().data(m)));
        }
    }
    let kept = rss();
    println!(
        "queue-result {hub_queued} {hub_kept} {} {}",
        queued.saturating_sub(before),
        kept.saturating_sub(before)
    );
    std::process::ExitCode::SUCCESS
}

fn queued_memory(config: &Config) {
    let events = 512;
    let mut runs: Vec<[f64; 4]> = Vec::new();
    for _ in 0..config.rounds {
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let out = std::process::Command::new(exe)
            .env(MEMORY_CHILD, format!("queue,{events}"))
            .stdin(std::process::Stdio::null())
            .output();
        let Ok(out) = out else { continue };
        let stdout = String::from_utf8_lossy(&out.stdout);
        if let Some(line) = stdout.lines().find(|l| l.starts_with("queue-result ")) {
            let v: Vec<f64> = line
                .split_whitespace()
                .skip(1)
                .filter_map(|x| x.parse().ok())
                .collect();
            if let [a, b, c, d] = v[..] {
                eprintln!("queued memory: hub {a} kept {b}, usual {c} kept {d}");
                runs.push([a, b, c, d]);
            }
        }
    }
    if runs.is_empty() {
        println!("(the queued-memory child failed)\n");
        return;
    }
    let col = |i: usize| {
        let mut v: Vec<f64> = runs.iter().map(|r| r[i]).collect();
        median(&mut v)
    };
    let per_sub = |b: f64| b / QUEUED_SUBSCRIBERS as f64 / 1024.0;
    let per_event = |b: f64| b / (QUEUED_SUBSCRIBERS * events) as f64;
    println!(
        "Queued events: {QUEUED_SUBSCRIBERS} subscriptions in a fresh process (no HTTP) \
         read nothing while {events} events are published (after a first 1,000, published \
         and taken, so that the hub's history and the channel are full already), then \
         every subscription takes everything. RSS growth, medians of {} rounds:\n",
        runs.len()
    );
    println!("| server | RSS while {events} events are queued | per subscriber | per queued event per subscriber | still resident after every subscriber took them |");
    println!("|---|---:|---:|---:|---:|");
    for (name, q, k) in [
        (
            "sse-wire-server Hub (one ring per topic, shared)",
            col(0),
            col(1),
        ),
        ("tokio broadcast (one ring, shared)", col(2), col(3)),
    ] {
        println!(
            "| {name} | {:.1} MiB | {:.1} KiB | {:.1} B | {:.1} MiB ({:.1} KiB per subscriber) |",
            q / 1048576.0,
            per_sub(q),
            per_event(q),
            k / 1048576.0,
            per_sub(k)
        );
    }
    println!();
}

// --------------------------------------------------------- publish cost --

fn publish_cost(config: &Config, subscribers: usize) {
    const REPS: usize = 40;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let data = payload(0, 0);
    let epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    // The ID as the hub makes it: its epoch in hex, a dash, the sequence.
    let id = format!("{epoch:x}-{}", 1_000_000);
    let (mut publish, mut take, mut encode, mut send, mut receive) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut encoded_len = 0;
    rt.block_on(async {
        let hub = Hub::new();
        let mut subs = Vec::with_capacity(subscribers);
        for _ in 0..subscribers {
            subs.push(hub.subscribe(&[TOPIC], None).await.expect("subscribe"));
        }
        let (tx, _) = broadcast::channel::<String>(CHANNEL);
        let mut receivers: Vec<_> = (0..subscribers).map(|_| tx.subscribe()).collect();
        let mut cx = Context::from_waker(futures::task::noop_waker_ref());
        // Every subscriber waits, a waker registered, as a connection's
        // would be.
        let drain = |subs: &mut [Subscription], cx: &mut Context<'_>| {
            let mut n = 0;
            for s in subs.iter_mut() {
                while let Poll::Ready(Some(b)) = s.poll_next_unpin(cx) {
                    black_box(b);
                    n += 1;
                }
            }
            n
        };
        drain(&mut subs, &mut cx);
        for _ in 0..config.rounds {
            for _ in 0..REPS {
                let t = Instant::now();
                let published = hub
                    .publish(TOPIC, Event::new().data(black_box(&data)))
                    .await;
                publish.push(t.elapsed().as_nanos() as f64);
                assert_eq!(published.expect("publish").subscribers, subscribers);
                let t = Instant::now();
                let n = drain(&mut subs, &mut cx);
                take.push(t.elapsed().as_nanos() as f64);
                assert_eq!(n, subscribers);
            }
            for _ in 0..REPS {
                let t = Instant::now();
                for _ in 0..subscribers {
                    let event = Event::new()
                        .event_type(EventType::from_static(TOPIC))
                        .id(EventId::new(black_box(&id)).expect("id"))
                        .data(black_box(&data));
                    let bytes = event.to_bytes();
                    encoded_len = bytes.len();
                    black_box(bytes);
                }
                encode.push(t.elapsed().as_nanos() as f64);
            }
            for _ in 0..REPS {
                let t = Instant::now();
                let _ = tx.send(black_box(&data).clone());
                send.push(t.elapsed().as_nanos() as f64);
                let t = Instant::now();
                for rx in receivers.iter_mut() {
                    let message = rx.try_recv().expect("a message");
                    drop(black_box(SseEvent::default().data(message)));
                }
                receive.push(t.elapsed().as_nanos() as f64);
            }
        }
    });
    let per = |v: &mut Vec<f64>| {
        let m = median(v);
        let (lo, hi) = min_max(v);
        (m, lo, hi)
    };
    let (p, plo, phi) = per(&mut publish);
    let (t, _, _) = per(&mut take);
    let (e, elo, ehi) = per(&mut encode);
    let (s, _, _) = per(&mut send);
    let (r, _, _) = per(&mut receive);
    let n = subscribers as f64;
    println!("## Publish cost\n");
    println!(
        "{subscribers} subscriptions held in this process (no HTTP), each polled with a \
         no-op waker, so a waker is registered as a connection's would be; a {DATA_LEN}-byte \
         data field, {encoded_len} bytes encoded with the hub's ID and event type. \
         {REPS} × {} timings of each; medians (range).\n",
        config.rounds
    );
    println!("| what | time | per subscriber |");
    println!("|---|---:|---:|");
    println!(
        "| `hub.publish` to {subscribers} subscribers (encode once, into the topic's ring, and wake each) | {} ({}–{}) | {:.1} ns |",
        time_text(p),
        time_text(plo),
        time_text(phi),
        p / n
    );
    println!(
        "| {subscribers} × `Event::to_bytes` of the same event | {} ({}–{}) | {:.1} ns |",
        time_text(e),
        time_text(elo),
        time_text(ehi),
        e / n
    );
    println!(
        "| every subscription takes the event (`poll_next`) | {} | {:.1} ns |",
        time_text(t),
        t / n
    );
    println!(
        "| usual way: `broadcast::Sender::send` | {} | {:.2} ns |",
        time_text(s),
        s / n
    );
    println!(
        "| usual way: every receiver `try_recv` (a `String` clone) + `Event::default().data(..)` | {} | {:.1} ns |",
        time_text(r),
        r / n
    );
    println!(
        "\n`hub.publish` ÷ {subscribers} encodes: **{:.2}** (less than 1: encoding once is \
         cheaper); hub publish + take ÷ usual send + receive + `Event`: {:.2}.\n",
        p / e,
        (p + t) / (s + r)
    );
}

// ----------------------------------------------------------------- main --

fn main() -> std::process::ExitCode {
    let config = Config::from_env();
    if let Ok(spec) = std::env::var(MEMORY_CHILD) {
        return memory_child(&spec, config.nodelay);
    }
    let _ = now_ns();
    let (limit, note) = raise_fd_limit();
    // A client and a server descriptor per connection, some to spare.
    let most = (limit as usize).saturating_sub(open_fds() + 64) / 2;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    println!("# sse-wire-server: fan-out, memory, publish cost\n");
    println!(
        "- {cpus} CPUs; servers on a 2-thread tokio runtime, subscribers on a current-thread \
         runtime of their own; {DATA_LEN}-byte data per event; TCP_NODELAY {}.",
        if config.nodelay {
            "on"
        } else {
            "off (axum::serve's default)"
        }
    );
    println!("- {note}: at most {most} loopback connections in this process.\n");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the servers' runtime");
    let clients = Clients::start();
    let started = Instant::now();
    if config.parts.iter().any(|p| p == "fanout") {
        fanout(&config, &rt, &clients, most);
    }
    if config.parts.iter().any(|p| p == "memory") {
        memory(&config);
    }
    if config.parts.iter().any(|p| p == "publish") {
        publish_cost(&config, 10_000);
    }
    drop(clients);
    drop(rt);
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    std::process::ExitCode::SUCCESS
}
