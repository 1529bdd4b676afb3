//! Headless Chromium driven over the DevTools protocol, an in-process
//! server, and a TCP proxy that can cut every connection: what the browser
//! tests stand on. Every guard stops what it started when dropped, a failing
//! test included.

#![allow(dead_code)]

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long Chromium may take to start and open its DevTools port.
const START_TIMEOUT: Duration = Duration::from_secs(15);
/// How long one DevTools command may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// Between two looks at a page while waiting for it.
const POLL: Duration = Duration::from_millis(25);

/// A fresh directory under the system's temporary one, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> TempDir {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        for _ in 0..100 {
            let n = COUNT.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = base.join(format!("{prefix}-{}-{n}-{nanos}", std::process::id()));
            if std::fs::create_dir(&path).is_ok() {
                return TempDir(path);
            }
        }
        panic!("cannot make a temporary directory under {}", base.display());
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A headless Chromium process with its own profile, killed (with every
/// process it started) and its profile removed on drop.
pub struct Chromium {
    child: Child,
    dir: TempDir,
}

impl Chromium {
    /// Starts `chromium` from `PATH`. Fails the test, with how to install
    /// it, when it is not there: these tests never skip.
    pub fn start() -> (Chromium, PathBuf) {
        let dir = TempDir::new("sse-wire-chromium");
        let profile = dir.0.join("profile");
        std::fs::create_dir(&profile).unwrap();
        let log = std::fs::File::create(dir.0.join("chromium.log")).unwrap();
        let mut command = Command::new("chromium");
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        // Its own process group, so that its renderers and helpers go with it.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = match command.spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "the browser tests need headless Chromium, and `chromium` is not on PATH: \
                 install the Debian package (`apt-get install -y chromium`), as .ci/run does"
            ),
            Err(e) => panic!("cannot start chromium: {e}"),
        };
        (Chromium { child, dir }, profile)
    }

    /// The last lines Chromium wrote, for a failing test's message.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.0.join("chromium.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- chromium's log (last lines) ---\n{}", self.log_tail());
        }
        // The whole group: the browser process leads it.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A browser: the Chromium process and a DevTools connection to it.
pub struct Browser {
    ws: Socket,
    next_id: u64,
    // Dropped last: the connection closes before the process dies.
    chromium: Chromium,
}

/// A page (a tab) of the browser, by its DevTools session.
#[derive(Debug, Clone)]
pub struct Page {
    session: String,
}

impl Browser {
    /// Starts Chromium and connects to its DevTools port, which Chromium
    /// writes to `DevToolsActivePort` in the profile once it listens.
    pub async fn launch() -> Browser {
        let (mut chromium, profile) = Chromium::start();
        let port_file = profile.join("DevToolsActivePort");
        let started = Instant::now();
        let url = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break format!("ws://127.0.0.1:{port}{path}");
                }
            }
            if let Ok(Some(status)) = chromium.child.try_wait() {
                panic!(
                    "chromium exited at start ({status}):\n{}",
                    chromium.log_tail()
                );
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "chromium wrote no DevToolsActivePort within {START_TIMEOUT:?}:\n{}",
                chromium.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let (ws, _) = tokio::time::timeout(CALL_TIMEOUT, tokio_tungstenite::connect_async(&url))
            .await
            .unwrap_or_else(|_| panic!("connecting to {url} timed out"))
            .unwrap_or_else(|e| panic!("connecting to {url}: {e}"));
        Browser {
            ws,
            next_id: 0,
            chromium,
        }
    }

    /// Sends a DevTools command (to a page's session, or to the browser)
    /// and returns its result, or the error Chromium answered.
    pub async fn call(
        &mut self,
        page: Option<&Page>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(page) = page {
            message["sessionId"] = Value::from(page.session.clone());
        }
        let ws = &mut self.ws;
        let exchange = async move {
            ws.send(Message::text(message.to_string()))
                .await
                .map_err(|e| format!("DevTools send: {e}"))?;
            // Events (messages without our ID) are skipped; bounded by the
            // timeout around this.
            loop {
                match ws.next().await {
                    Some(Ok(Message::Text(text))) => {
                        let reply: Value = serde_json::from_str(&text)
                            .map_err(|e| format!("DevTools sent bad JSON: {e}"))?;
                        if reply["id"] != id {
                            continue;
                        }
                        if let Some(error) = reply.get("error") {
                            return Err(format!("{method}: {error}"));
                        }
                        return Ok(reply["result"].clone());
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(format!("DevTools connection: {e}")),
                    None => return Err("DevTools connection closed".to_owned()),
                }
            }
        };
        match tokio::time::timeout(CALL_TIMEOUT, exchange).await {
            Ok(result) => result,
            Err(_) => Err(format!("{method}: no answer within {CALL_TIMEOUT:?}")),
        }
    }

    /// Opens `url` in a new tab.
    pub async fn open(&mut self, url: &str) -> Page {
        let target = self
            .call(None, "Target.createTarget", json!({ "url": url }))
            .await
            .unwrap();
        let target_id = target["targetId"].as_str().expect("a target ID").to_owned();
        let attached = self
            .call(
                None,
                "Target.attachToTarget",
                json!({ "targetId": target_id, "flatten": true }),
            )
            .await
            .unwrap();
        Page {
            session: attached["sessionId"]
                .as_str()
                .expect("a session ID")
                .to_owned(),
        }
    }

    /// Evaluates `expression` in `page` and returns its value as JSON.
    pub async fn eval(&mut self, page: &Page, expression: &str) -> Result<Value, String> {
        let result = self
            .call(
                Some(page),
                "Runtime.evaluate",
                json!({ "expression": expression, "returnByValue": true }),
            )
            .await?;
        if let Some(exception) = result.get("exceptionDetails") {
            return Err(format!("{expression}: {exception}"));
        }
        Ok(result["result"]["value"].clone())
    }

    /// Evaluates `expression` in `page` until `check` accepts its value,
    /// every 25 ms, for at most `within`; fails the test with `what` and
    /// the last value otherwise. Errors while the page loads count as "not
    /// yet".
    pub async fn wait_for<T>(
        &mut self,
        page: &Page,
        what: &str,
        expression: &str,
        within: Duration,
        mut check: impl FnMut(&Value) -> Option<T>,
    ) -> T {
        let started = Instant::now();
        let mut last = Err("never evaluated".to_owned());
        while started.elapsed() < within {
            last = self.eval(page, expression).await;
            if let Ok(value) = &last {
                if let Some(done) = check(value) {
                    return done;
                }
            }
            tokio::time::sleep(POLL).await;
        }
        panic!("{what}: not seen within {within:?}; the page's last value: {last:?}");
    }
}

/// Waits, polling every 10 ms for at most `within`, until `check` holds
/// on the server side; fails the test with `what` otherwise.
pub async fn wait_until(what: &str, within: Duration, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < within, "{what}: not within {within:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// An axum app served in this process on 127.0.0.1 at a port the OS
/// chose; stopped on drop (`stop` runs first: the hub's shutdown).
#[path = "proxy.rs"]
mod proxy;
pub use proxy::Proxy;

pub struct Server {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
    stop: Option<Box<dyn FnOnce() + Send>>,
}

impl Server {
    pub async fn start(app: axum::Router, stop: impl FnOnce() + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Server {
            addr,
            task,
            stop: Some(Box::new(stop)),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop();
        }
        self.task.abort();
    }
}
