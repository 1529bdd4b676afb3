//! `sse-wire`: decode a `text/event-stream` into JSON lines, encode JSON
//! lines into one, or follow a live stream over HTTP. See `sse-wire --help`.

mod fields;
mod follow;

use fields::Fields;
use serde_json::Value;
use sse_wire::decode::{Config, Item, PushDecoder};
use sse_wire::encode::{Event, EventId, EventType};
use std::fs::File;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage: sse-wire decode [--last-event-id ID] [FILE]
       sse-wire encode [--max-line-len BYTES] [FILE]
       sse-wire follow [-H 'Name: value']... [-X METHOD] [-d DATA]
                       [--last-event-id ID] [--max-retries N]
                       [--read-timeout SECS] URL

decode  reads a text/event-stream from FILE or standard input, as it arrives,
        and prints one JSON object per line, flushed at once:
          {\"type\":T,\"data\":D,\"id\":I}  for each event dispatched
          {\"retry\":N}                   for each valid retry field
        --last-event-id ID  seeds the last event ID, as on a reconnection.
encode  reads JSON objects, one per line, with any of the keys data, event,
        id, retry and comment, and writes each as an event. A key given
        twice is an error. --max-line-len bounds one input line (16 MiB by
        default), so that memory stays bounded whatever the input.
follow  connects to URL (http) as an EventSource does and prints each event
        as decode does, reconnecting as the spec says (after the stream's
        retry time, 3 s by default, backing off after failures) with the
        last event ID in Last-Event-ID; reconnections are noted on standard
        error. -H adds a header (repeatable), -X sets the method, -d sends
        a body (POST unless -X says otherwise) on every request.
        --max-retries N gives up after N reconnections in a row that bring
        no event; --read-timeout SECS takes a connection silent for that
        long (not even a comment) for dead.

exit status: 0 success, or the server answered 204 No Content;
             1 input/output error, a decoder limit hit, a failed connection
               (a status other than 200, not text/event-stream) or giving up;
             2 bad usage or a bad encode input line";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("decode") => parse_decode_args(&args[1..]).and_then(|(id, file)| decode(id, file)),
        Some("encode") => parse_encode_args(&args[1..]).and_then(|(max, file)| encode(max, file)),
        Some("follow") => follow::Follow::parse(&args[1..]).and_then(follow::Follow::run),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(Failure::Usage(String::new())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`): nothing left to do.
        Err(Failure::Io(e)) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            eprintln!("sse-wire: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Limits | Failure::Reported) => ExitCode::from(1),
        Err(Failure::Usage(why)) => {
            if !why.is_empty() {
                eprintln!("sse-wire: {why}");
            }
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Input { line, why }) => {
            eprintln!("sse-wire: line {line}: {why}");
            ExitCode::from(2)
        }
    }
}

enum Failure {
    Io(io::Error),
    Usage(String),
    /// A decoder limit was hit; already reported.
    Limits,
    /// A failure already reported on standard error.
    Reported,
    Input {
        line: usize,
        why: String,
    },
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

fn parse_decode_args(args: &[String]) -> Result<(Option<&str>, Option<&str>), Failure> {
    let (mut id, mut file) = (None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--last-event-id" => match args.next() {
                Some(value) => id = Some(value.as_str()),
                None => return Err(Failure::Usage("--last-event-id needs a value".into())),
            },
            flag if flag.starts_with("--") => {
                return Err(Failure::Usage(format!("unknown option {flag}")))
            }
            path if file.is_none() => file = Some(path),
            _ => return Err(Failure::Usage("more than one FILE".into())),
        }
    }
    Ok((id, file))
}

/// The default bound on one `encode` input line.
const DEFAULT_MAX_LINE_LEN: usize = 16 << 20;

fn parse_encode_args(args: &[String]) -> Result<(usize, Option<&str>), Failure> {
    let (mut max, mut file) = (DEFAULT_MAX_LINE_LEN, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max-line-len" => match args.next().map(|v| v.parse()) {
                Some(Ok(value)) => max = value,
                _ => {
                    return Err(Failure::Usage(
                        "--max-line-len needs a number of bytes".into(),
                    ))
                }
            },
            flag if flag.starts_with("--") => {
                return Err(Failure::Usage(format!("unknown option {flag}")))
            }
            path if file.is_none() => file = Some(path),
            _ => return Err(Failure::Usage("more than one FILE".into())),
        }
    }
    Ok((max, file))
}

fn open(file: Option<&str>) -> Result<Box<dyn Read>, Failure> {
    match file {
        None | Some("-") => Ok(Box::new(io::stdin().lock())),
        Some(path) => File::open(path)
            .map(|f| Box::new(f) as Box<dyn Read>)
            .map_err(|e| Failure::Io(io::Error::new(e.kind(), format!("{path}: {e}")))),
    }
}

fn decode(last_event_id: Option<&str>, file: Option<&str>) -> Result<(), Failure> {
    let mut input = open(file)?;
    let mut out = io::stdout().lock();
    let mut decoder = PushDecoder::with_config(Config::new());
    // A `Vec` store: this cannot fail.
    let _ = decoder.set_last_event_id(last_event_id.unwrap_or_default().as_bytes());
    let mut chunk = vec![0; 64 * 1024];
    let mut limit_hit = false;
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        decoder.push(&chunk[..n]);
        while let Some(item) = decoder.next_item() {
            match item {
                Ok(item) => write_item(&mut out, &item)?,
                Err(e) => {
                    eprintln!("sse-wire: {e}");
                    limit_hit = true;
                }
            }
        }
    }
    let end = decoder.finish();
    if end.incomplete_line {
        eprintln!("sse-wire: input ended inside a line, which was discarded (L6)");
    }
    if end.undispatched_event {
        eprintln!(
            "sse-wire: input ended before the last event's blank line; it was discarded (L6)"
        );
    }
    if limit_hit {
        return Err(Failure::Limits);
    }
    Ok(())
}

/// One line of the output format, flushed so that a pipe sees it at once.
fn write_item(out: &mut impl Write, item: &Item<'_>) -> io::Result<()> {
    match item {
        Item::Event(event) => {
            let json = |text: &str| Value::from(text).to_string();
            writeln!(
                out,
                "{{\"type\":{},\"data\":{},\"id\":{}}}",
                json(&event.event_type_str()),
                json(&event.data_str()),
                json(&event.last_event_id_str()),
            )?;
        }
        Item::Retry(time) => writeln!(out, "{{\"retry\":{}}}", time.as_millis())?,
        Item::Comment(_) => return Ok(()),
    }
    out.flush()
}

fn encode(max_line_len: usize, file: Option<&str>) -> Result<(), Failure> {
    let mut input = BufReader::new(open(file)?);
    let mut out = io::stdout().lock();
    let mut encoded = Vec::new();
    let mut line = Vec::new();
    for line_no in 1.. {
        line.clear();
        // One byte past the bound tells a line that is too long from one
        // that fits exactly; nothing past it is read into memory.
        let bound = u64::try_from(max_line_len)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let n = (&mut input).take(bound).read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        let fail = |why: String| Failure::Input { line: line_no, why };
        if line.last() == Some(&b'\n') {
            line.pop();
        } else if line.len() > max_line_len {
            return Err(fail(format!(
                "line longer than {max_line_len} bytes (--max-line-len)"
            )));
        }
        let text = std::str::from_utf8(&line)
            .map_err(|e| fail(format!("not UTF-8 at byte {}", e.valid_up_to())))?;
        if text.trim().is_empty() {
            continue;
        }
        let fields: Fields =
            serde_json::from_str(text).map_err(|e| fail(format!("not a JSON object: {e}")))?;
        encoded.clear();
        build_event(&fields)
            .map_err(fail)?
            .write_to_vec(&mut encoded);
        out.write_all(&encoded)?;
        out.flush()?;
    }
    Ok(())
}

/// The event an input object describes.
fn build_event(fields: &Fields) -> Result<Event<'_>, String> {
    let mut event = Event::new();
    for (key, value) in &fields.0 {
        let text = || {
            value
                .as_str()
                .ok_or_else(|| format!("\"{key}\" must be a string"))
        };
        event = match key.as_str() {
            "data" => event.data(text()?),
            "comment" => event.comment(text()?),
            "event" => {
                event.event_type(EventType::new(text()?).map_err(|e| format!("\"event\": {e}"))?)
            }
            "id" => event.id(EventId::new(text()?).map_err(|e| format!("\"id\": {e}"))?),
            "retry" => event.retry(Duration::from_millis(
                value
                    .as_u64()
                    .ok_or("\"retry\" must be a whole number of milliseconds")?,
            )),
            other => return Err(format!("unknown key \"{other}\"")),
        };
    }
    Ok(event)
}
