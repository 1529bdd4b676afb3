//! What every example shares and none is about: the command line, an SSE
//! response with the options the examples take, and serving with a
//! graceful shutdown on Ctrl-C.

#![allow(dead_code)]

use axum::Router;
use bytes::Bytes;
use futures_util::Stream;
use sse_wire_server::EventBody;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;

/// `--addr HOST:PORT` (default 127.0.0.1:3000) and any other `--name value`.
pub struct Args {
    pub addr: SocketAddr,
    flags: Vec<(String, String)>,
}

impl Args {
    /// Parses the process's arguments; exits with a message on a bad one.
    pub fn parse() -> Args {
        let mut addr: SocketAddr = ([127, 0, 0, 1], 3000).into();
        let mut flags = Vec::new();
        let mut args = std::env::args().skip(1);
        while let Some(name) = args.next() {
            let Some(value) = args.next().filter(|_| name.starts_with("--")) else {
                usage(&format!("expected `--name value`, got `{name}`"));
            };
            if name == "--addr" {
                addr = value
                    .parse()
                    .unwrap_or_else(|e| usage(&format!("--addr {value}: {e}")));
            } else {
                flags.push((name, value));
            }
        }
        Args { addr, flags }
    }

    /// The value of `--name`, or `default`.
    pub fn get<T: std::str::FromStr>(&self, name: &str, default: T) -> T
    where
        T::Err: std::fmt::Display,
    {
        match self.flags.iter().rev().find(|(n, _)| n == name) {
            Some((_, value)) => value
                .parse()
                .unwrap_or_else(|e| usage(&format!("{name} {value}: {e}"))),
            None => default,
        }
    }

    /// The stream options from `--heartbeat SECS` (default 15) and
    /// `--retry-ms MS` (default: none, the browser's own 3 s).
    pub fn stream_options(&self) -> StreamOptions {
        let retry: u64 = self.get("--retry-ms", 0);
        StreamOptions {
            heartbeat: Duration::from_secs_f64(self.get("--heartbeat", 15.0)),
            retry: (retry > 0).then(|| Duration::from_millis(retry)),
        }
    }
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "{problem}\nusage: [--addr HOST:PORT] [--heartbeat SECS] [--retry-ms MS] [--name value]..."
    );
    std::process::exit(2)
}

/// How the examples' streams are sent.
#[derive(Debug, Clone, Copy)]
pub struct StreamOptions {
    /// A comment after this long without an event (S4).
    pub heartbeat: Duration,
    /// A `retry` field sent first: the browser's reconnection time (C8).
    pub retry: Option<Duration>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            heartbeat: sse_wire_server::DEFAULT_HEARTBEAT,
            retry: None,
        }
    }
}

/// The response body for `events`: the 2 KiB padding (S5), the `retry`
/// field if any, then the events, with heartbeats when idle (S4).
pub fn sse<S>(events: S, options: StreamOptions) -> EventBody<S>
where
    S: Stream<Item = Bytes>,
{
    let body = EventBody::new(events)
        .padding(true)
        .heartbeat(Some(options.heartbeat));
    match options.retry {
        Some(time) => body.retry(time),
        None => body,
    }
}

/// Binds `addr`, prints `listening on http://ADDR` once bound (port 0
/// becomes the one the OS chose), serves `app` until Ctrl-C, then runs
/// `shutdown` (which must end every stream: `hub.shutdown`) and waits for
/// the connections to finish.
pub async fn serve(
    addr: SocketAddr,
    app: Router,
    shutdown: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    serve_on(listener, app, async move {
        // Without a signal handler, run until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        shutdown();
    })
    .await
}

/// Serves `app` on `listener` until `stop` completes, then waits for the
/// connections to finish.
pub async fn serve_on(
    listener: TcpListener,
    app: Router,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
}
