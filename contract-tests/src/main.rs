//! The contract-test service on 127.0.0.1, at the port in `PORT` (8000 by
//! default; 0 lets the OS choose). It prints the address it listens on,
//! and exits after `DELETE /`. See the library's docs and `README.md`.
#![forbid(unsafe_code)]

use sse_wire_contract_tests::Service;
use std::future::IntoFuture;
use std::io;
use std::net::Ipv4Addr;
use std::time::Duration;

/// How long the answers in flight may take to finish after `DELETE /`.
const GRACE: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = match std::env::var("PORT") {
        Ok(port) if !port.trim().is_empty() => port.trim().parse::<u16>().map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("PORT={port:?}: {e}"))
        })?,
        _ => 8000,
    };
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    println!(
        "sse-wire contract-test service listening on http://{}",
        listener.local_addr()?
    );
    let service = Service::new();
    let stopped = service.stopped();
    let server = axum::serve(listener, service.router())
        .with_graceful_shutdown(service.stopped())
        .into_future();
    tokio::select! {
        served = server => served?,
        () = async { stopped.await; tokio::time::sleep(GRACE).await } => {}
    }
    eprintln!("stopped by DELETE /");
    Ok(())
}
