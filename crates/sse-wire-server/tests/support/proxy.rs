//! A TCP proxy on 127.0.0.1 between a client and a server, for tests
//! that cut connections while the server (and its history) live on, or
//! that move to a new server behind the same address.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// A TCP proxy on 127.0.0.1 (a port the OS chose) to an upstream that can
/// be changed, which cuts every connection it carries on command, while
/// the server behind it lives on. Stopped on drop.
pub struct Proxy {
    pub addr: SocketAddr,
    upstream: Arc<Mutex<SocketAddr>>,
    connections: Arc<Mutex<JoinSet<()>>>,
    accept: JoinHandle<()>,
}

impl Proxy {
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let upstream = Arc::new(Mutex::new(upstream));
        let connections = Arc::new(Mutex::new(JoinSet::new()));
        let accept = tokio::spawn({
            let upstream = upstream.clone();
            let connections = connections.clone();
            async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    let to = *upstream.lock().unwrap();
                    let mut set = connections.lock().unwrap();
                    while set.try_join_next().is_some() {}
                    set.spawn(async move {
                        if let Ok(mut server) = TcpStream::connect(to).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                }
            }
        });
        Proxy {
            addr,
            upstream,
            connections,
            accept,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// New connections go to `to`; the current ones stay where they are.
    pub fn set_upstream(&self, to: SocketAddr) {
        *self.upstream.lock().unwrap() = to;
    }

    /// Drops every connection open now, both sides; returns how many.
    pub fn cut(&self) -> usize {
        let mut set = self.connections.lock().unwrap();
        while set.try_join_next().is_some() {}
        let open = set.len();
        set.abort_all();
        open
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.connections.lock().unwrap().abort_all();
    }
}
