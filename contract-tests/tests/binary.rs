//! The binary as the harness runs it: `PORT`, `GET /` until it answers,
//! `DELETE /` at the end (`--stop-service-at-end`), after which it exits.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(5);

/// The running binary, killed if the test ends before it exits.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Running {
    fn start(port: &str) -> Running {
        Running(
            Command::new(env!("CARGO_BIN_EXE_sse-wire-contract-tests"))
                .env("PORT", port)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("the binary starts"),
        )
    }

    /// The base URL from the line the binary prints once it listens.
    fn url(&mut self) -> String {
        let stdout = self.0.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        // The thread ends when the line is read, or when the process,
        // killed at the latest by the guard, closes its stdout.
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(WAIT).expect("the listening line");
        let at = line.find("http://").expect("a URL in the first line");
        line[at..].trim().to_owned()
    }

    fn exits_within(&mut self, wait: Duration) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().expect("the process status") {
                return status;
            }
            assert!(start.elapsed() < wait, "still running after {wait:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[tokio::test]
async fn it_listens_on_port_answers_and_exits_after_delete_root() {
    let mut running = Running::start("0");
    let url = running.url();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = tokio::time::timeout(WAIT, client.get(&url).send())
        .await
        .expect("GET / within 5 s")
        .expect("GET /");
    assert_eq!(response.status(), 200);
    let status: serde_json::Value =
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(status["name"], "sse-wire");
    assert!(status["capabilities"]
        .as_array()
        .is_some_and(|c| !c.is_empty()));

    // Quitting before the answer is allowed; an answer must be < 300.
    let deleted = tokio::time::timeout(WAIT, client.delete(&url).send())
        .await
        .expect("DELETE / within 5 s");
    if let Ok(response) = deleted {
        assert_eq!(response.status(), 204);
    }
    drop(client);
    assert!(running.exits_within(WAIT).success());
}

#[test]
fn a_bad_port_is_an_error() {
    let mut running = Running::start("not a port");
    assert!(!running.exits_within(WAIT).success());
}
