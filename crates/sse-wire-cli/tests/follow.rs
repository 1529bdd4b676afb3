//! `sse-wire follow` against the client's scripted server on loopback: the
//! JSON lines, the requests it sends, its reconnections and exit statuses.

#[path = "../../sse-wire-client/tests/support/mod.rs"]
mod support;

use std::process::Output;
use std::time::Duration;
use support::{Reply, TestServer};
use tokio::process::Command;

/// Runs `sse-wire follow ARGS`, killed if it outlives 20 s (or the test).
async fn follow(args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_sse-wire"))
        .arg("follow")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("follow exits within 20 s")
        .unwrap()
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn prints_events_resumes_with_the_last_id_and_stops_on_204() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::stream()
            .send("retry: 10\nid: 1\nevent: add\ndata: a\ndata: b\n\nid: 2\ndata: cu")
            .cut(),
        1 => Reply::stream().send("data: é\n\n"),
        _ => Reply::status(204),
    })
    .await;
    let out = follow(&[
        "-H",
        "Authorization: Bearer t",
        "-X",
        "REPORT",
        "-d",
        "{}",
        "--last-event-id",
        "0",
        &server.url("/events"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "{\"type\":\"add\",\"data\":\"a\\nb\",\"id\":\"1\"}\n{\"type\":\"message\",\"data\":\"é\",\"id\":\"1\"}\n"
    );
    assert_eq!(text(&out.stderr).matches("; reconnecting in 1").count(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let ids: Vec<_> = requests.iter().map(|r| r.header("last-event-id")).collect();
    assert_eq!(ids, [Some(&b"0"[..]), Some(b"1"), Some(b"1")]);
    for r in &requests {
        assert_eq!(r.method, "REPORT");
        assert_eq!(r.body, "{}");
        assert_eq!(r.header("authorization"), Some(&b"Bearer t"[..]));
    }
}

#[tokio::test]
async fn a_failed_status_exits_1_with_the_server_s_words() {
    let server = TestServer::start(|_, _| Reply::status(401).send("token expired")).await;
    let out = follow(&[&server.url("/")]).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("401"), "{stderr}");
    assert!(stderr.contains("token expired"), "{stderr}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn max_retries_gives_up_after_one_plus_n_requests() {
    let server = TestServer::start(|_, _| Reply::stream().send("retry: 1\n: hi\n").cut()).await;
    let out = follow(&["--max-retries", "2", &server.url("/")]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("gave up after 2 attempts"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_silent_server_is_left_after_the_read_timeout() {
    let server = TestServer::start(|_, _| Reply::stream().send("retry: 1\n").stall()).await;
    let out = follow(&[
        "--read-timeout",
        "0.2",
        "--max-retries",
        "1",
        &server.url("/"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no bytes for 200ms"), "{stderr}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_wrong_content_type_exits_1_and_bad_usage_2() {
    let server =
        TestServer::start(|_, _| Reply::status(200).header("content-type", "text/html")).await;
    let out = follow(&[&server.url("/")]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("text/html"),
        "{}",
        text(&out.stderr)
    );
    let out = follow(&["--max-retries", "x", &server.url("/")]).await;
    assert_eq!(out.status.code(), Some(2));
    let out = follow(&[]).await;
    assert_eq!(out.status.code(), Some(2));
}
