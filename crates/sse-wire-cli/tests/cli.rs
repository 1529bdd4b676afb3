//! The `sse-wire` binary: the fixtures and the bundled stream through
//! `decode`, live output, `encode` and its errors, and no panic on a closed
//! pipe.

/// The reference model of RULES.md, shared with the library's tests.
#[path = "../../../tests/support/model.rs"]
#[allow(dead_code)]
mod model;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root, where the fixtures and the examples live.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sse-wire"))
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

fn fixtures() -> Vec<(Value, PathBuf)> {
    let root = workspace().join("spec-fixtures");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            (
                case.clone(),
                root.join("cases").join(case["name"].as_str().unwrap()),
            )
        })
        .collect()
}

/// Byte for byte, the `.jsonl` of every fixture, reading the file by name.
#[test]
fn decode_reproduces_every_fixture() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 150, "only {} fixtures", fixtures.len());
    for (case, path) in fixtures {
        let mut args = vec!["decode".to_owned()];
        if let Some(id) = case["last_event_id"].as_str() {
            args.extend(["--last-event-id".to_owned(), id.to_owned()]);
        }
        args.push(path.with_extension("sse").to_str().unwrap().to_owned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args, b"");
        assert!(
            out.status.success(),
            "{case}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_fixture_output(&path, &out.stdout, &case);
    }
}

/// Compares the tool's output with the fixture's `.jsonl`, byte for byte.
fn assert_fixture_output(path: &Path, stdout: &[u8], case: &Value) {
    let expected = std::fs::read(path.with_extension("jsonl")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(stdout),
        String::from_utf8_lossy(&expected),
        "{case}"
    );
}

/// The same through standard input, written in small pieces so that the
/// tool's reads return partial chunks.
#[test]
fn decode_reproduces_fixtures_from_a_trickling_pipe() {
    for (case, path) in fixtures()
        .into_iter()
        .filter(|(c, _)| c["last_event_id"].is_null())
        .step_by(7)
    {
        let input = std::fs::read(path.with_extension("sse")).unwrap();
        let mut child = bin()
            .arg("decode")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // Read the output meanwhile, so that a full pipe cannot stall the tool.
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            stdout.read_to_end(&mut out).unwrap();
            out
        });
        let mut stdin = child.stdin.take().unwrap();
        for piece in input.chunks(3).take(200) {
            stdin.write_all(piece).unwrap();
            stdin.flush().unwrap();
            std::thread::sleep(std::time::Duration::from_micros(50));
        }
        if input.len() > 600 {
            stdin.write_all(&input[600..]).unwrap();
        }
        drop(stdin);
        assert!(child.wait().unwrap().success());
        assert_fixture_output(&path, &reader.join().unwrap(), &case);
    }
}

/// The model's items in the tool's output format, as JSON values.
fn model_json(input: &[u8], last_event_id: &str) -> Vec<Value> {
    model::decode(input, last_event_id)
        .into_iter()
        .filter_map(|out| match out {
            model::Out::Event {
                event_type,
                data,
                id,
            } => Some(serde_json::json!({"type": event_type, "data": data, "id": id})),
            model::Out::Retry(time) => {
                Some(serde_json::json!({ "retry": time.as_millis() as u64 }))
            }
            model::Out::End { .. } => None,
            other => panic!("the model made {other:?}"),
        })
        .collect()
}

/// The README's example: the bundled stream (a chat completion, with a BOM,
/// a comment, a retry, CRLF line ends and a typed last event), whose
/// output is the model's, as CI checks too.
#[test]
fn decode_the_bundled_stream() {
    let path = workspace().join("examples/chat-completion.sse");
    let input = std::fs::read(&path).unwrap();
    let out = run(&["decode", path.to_str().unwrap()], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The stream ends with its blank line: nothing was discarded.
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines, model_json(&input, ""));
    assert_eq!(lines.len(), 21);
    assert_eq!(
        stdout.lines().last(),
        Some(r#"{"type":"done","data":"[DONE]","id":"19"}"#)
    );
    // The same through standard input.
    let piped = run(&["decode"], &input);
    assert!(piped.status.success());
    assert_eq!(piped.stdout, stdout.as_bytes());
}

/// An event is printed as soon as its blank line arrives, with the input
/// still open: `curl -N URL | sse-wire decode` is live.
#[test]
fn decode_is_live() {
    let mut child = bin()
        .arg("decode")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    for (input, expected) in [
        (
            &b"data: one\n\n"[..],
            "{\"type\":\"message\",\"data\":\"one\",\"id\":\"\"}\n",
        ),
        (b"retry: 7\n", "{\"retry\":7}\n"),
        // A lone CR ends the blank line at once (L3).
        (
            b"data: two\r\r",
            "{\"type\":\"message\",\"data\":\"two\",\"id\":\"\"}\n",
        ),
    ] {
        stdin.write_all(input).unwrap();
        stdin.flush().unwrap();
        line.clear();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line, expected);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn decode_reports_what_l6_discarded_and_limit_errors() {
    let out = run(&["decode"], b"data: a\n\ndata: b\n");
    assert!(out.status.success());
    assert_eq!(
        out.stdout,
        b"{\"type\":\"message\",\"data\":\"a\",\"id\":\"\"}\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("discarded (L6)"));

    let mut input = b"data: a\n\ndata: ".to_vec();
    input.extend(std::iter::repeat_n(b'x', 2 << 20));
    input.extend_from_slice(b"\n\ndata: b\n\n");
    let out = run(&["decode"], &input);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"type\":\"message\",\"data\":\"a\",\"id\":\"\"}\n{\"type\":\"message\",\"data\":\"b\",\"id\":\"\"}\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("line longer than 1048576 bytes"));
}

#[test]
fn encode_writes_the_wire_format() {
    let input = br#"{"comment":"hello"}
{"event":"update","id":"1","retry":500,"data":"a\nb"}

{"data":""}
{"id":""}
"#;
    let out = run(&["encode"], input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        ": hello\nevent: update\nid: 1\nretry: 500\ndata: a\ndata: b\n\ndata:\n\nid:\n\n"
    );
}

#[test]
fn encode_stops_at_a_bad_line_with_what_came_before_written() {
    for (bad, why) in [
        (
            r#"{"event":"a\nb"}"#,
            "\"event\": event stream: value holds a LF",
        ),
        (
            r#"{"id":"a\u0000"}"#,
            "\"id\": event stream: value holds a NUL",
        ),
        (r#"{"retry":-1}"#, "\"retry\" must be a whole number"),
        (r#"{"data":5}"#, "\"data\" must be a string"),
        (r#"{"dat":"x"}"#, "unknown key \"dat\""),
        (r#"["data"]"#, "expected a JSON object"),
        ("{not json", "not a JSON object: key must be a string"),
    ] {
        let input = format!("{{\"data\":\"ok\"}}\n{bad}\n{{\"data\":\"never\"}}\n");
        let out = run(&["encode"], input.as_bytes());
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert_eq!(out.stdout, b"data: ok\n\n", "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("sse-wire: line 2: ") && stderr.contains(why),
            "{bad}: {stderr}"
        );
        assert!(!stderr.contains("panicked"));
    }
}

/// A line that is not UTF-8 stops `encode` with status 2, naming the line
/// (and the byte), after the lines before it were written.
#[test]
fn encode_rejects_a_line_that_is_not_utf8() {
    let input = b"{\"data\":\"ok\"}\n\n{\"data\":\"\xFF\"}\n{\"data\":\"never\"}\n";
    let out = run(&["encode"], input);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(out.stdout, b"data: ok\n\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("sse-wire: line 3: ") && stderr.contains("not UTF-8 at byte 9"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

/// A key given twice is an error naming the key, not the last value
/// silently winning.
#[test]
fn encode_rejects_a_duplicate_key() {
    for (bad, key) in [
        (r#"{"data":"a","data":"b"}"#, "data"),
        (r#"{"id":"1","event":"t","id":"2"}"#, "id"),
    ] {
        let input = format!("{{\"data\":\"ok\"}}\n{bad}\n{{\"data\":\"never\"}}\n");
        let out = run(&["encode"], input.as_bytes());
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert_eq!(out.stdout, b"data: ok\n\n", "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("sse-wire: line 2: ")
                && stderr.contains(&format!("duplicate key \"{key}\"")),
            "{bad}: {stderr}"
        );
    }
}

/// `--max-line-len` bounds an input line: a longer one stops `encode` with
/// status 2 and a message naming the bound, after the lines before it were
/// written; a line of exactly the bound is accepted, with or without its
/// line end.
#[test]
fn encode_bounds_the_input_line() {
    // {"data":"…"} is 11 bytes around the value.
    let line = |len: usize| format!("{{\"data\":\"{}\"}}", "x".repeat(len - 11));
    let input = format!("{}\n{}\n{}\n", line(100), line(200), line(20));
    let out = run(&["encode", "--max-line-len", "100"], input.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("data: {}\n\n", "x".repeat(89))
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("sse-wire: line 2: ")
            && stderr.contains("longer than 100 bytes")
            && stderr.contains("--max-line-len"),
        "{stderr}"
    );
    // Exactly the bound, the last line without its line end.
    let input = format!("{}\n{}", line(100), line(100));
    let out = run(&["encode", "--max-line-len", "100"], input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("data: {}\n\n", "x".repeat(89)).repeat(2)
    );
    // One byte over, without a line end.
    let out = run(&["encode", "--max-line-len", "100"], line(101).as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1: "));
    // Not a number.
    let out = run(&["encode", "--max-line-len", "lots"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-line-len needs a number"));
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let mut child = bin()
        .arg("decode")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0; 16];
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"data: x\n\n").unwrap();
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    // Writing more events now hits the closed pipe.
    let _ = stdin.write_all(&b"data: x\n\n".repeat(10_000));
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["decode", "--last-event-id"],
        &["decode", "--nope"],
        &["decode", "a", "b"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("usage: sse-wire decode"));
    }
    let out = run(&["decode", "/no/such/file"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file"));
}
