//! `sse-wire follow URL`: the client from the command line, `curl -N` that
//! reconnects and resumes from the last event ID.

use crate::Failure;
use futures_util::StreamExt;
use serde_json::Value;
use sse_wire_client::{Cause, EventSource, Item};
use std::io::{self, Write};
use std::time::Duration;

/// What `follow` was asked to do.
#[derive(Debug, Default)]
pub struct Follow {
    url: String,
    headers: Vec<(String, String)>,
    method: Option<String>,
    data: Option<String>,
    last_event_id: Option<String>,
    max_retries: Option<u32>,
    read_timeout: Option<Duration>,
}

impl Follow {
    pub fn parse(args: &[String]) -> Result<Follow, Failure> {
        let mut follow = Follow::default();
        let mut url = None;
        let mut args = args.iter();
        let usage = |why: String| Failure::Usage(why);
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| usage(format!("{flag} needs a value")))
            };
            match arg.as_str() {
                "--header" | "-H" => {
                    let header = value(arg)?;
                    let (name, value) = header.split_once(':').ok_or_else(|| {
                        usage(format!("--header {header:?}: expected 'Name: value'"))
                    })?;
                    follow
                        .headers
                        .push((name.trim().to_owned(), value.trim().to_owned()));
                }
                "--method" | "-X" => follow.method = Some(value(arg)?),
                "--data" | "-d" => follow.data = Some(value(arg)?),
                "--last-event-id" => follow.last_event_id = Some(value(arg)?),
                "--max-retries" => {
                    let n = value(arg)?;
                    follow.max_retries = Some(
                        n.parse()
                            .map_err(|_| usage(format!("--max-retries {n:?}: not a count")))?,
                    );
                }
                "--read-timeout" => {
                    let secs = value(arg)?;
                    let secs: f64 = secs
                        .parse()
                        .ok()
                        .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s < 1e9)
                        .ok_or_else(|| usage(format!("--read-timeout {secs:?}: not seconds")))?;
                    follow.read_timeout = Some(Duration::from_secs_f64(secs));
                }
                flag if flag.starts_with('-') => {
                    return Err(usage(format!("unknown option {flag}")))
                }
                _ if url.is_none() => url = Some(arg.clone()),
                _ => return Err(usage("more than one URL".into())),
            }
        }
        follow.url = url.ok_or_else(|| usage("follow needs a URL".into()))?;
        Ok(follow)
    }

    pub fn run(self) -> Result<(), Failure> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(self.follow())
    }

    fn request(&self) -> Result<reqwest::RequestBuilder, Failure> {
        let method = match &self.method {
            Some(m) => reqwest::Method::from_bytes(m.as_bytes())
                .map_err(|_| Failure::Usage(format!("--method {m:?}: not a method")))?,
            None if self.data.is_some() => reqwest::Method::POST,
            None => reqwest::Method::GET,
        };
        let mut request = reqwest::Client::new().request(method, &self.url);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some(data) = &self.data {
            request = request.body(data.clone());
        }
        Ok(request)
    }

    async fn follow(self) -> Result<(), Failure> {
        let mut builder = EventSource::builder(self.request()?);
        if let Some(id) = &self.last_event_id {
            builder = builder.last_event_id(id);
        }
        if let Some(n) = self.max_retries {
            builder = builder.max_attempts(n);
        }
        if let Some(after) = self.read_timeout {
            builder = builder.read_timeout(after);
        }
        let mut events = builder.build().map_err(|e| Failure::Usage(e.to_string()))?;
        let mut out = io::stdout().lock();
        while let Some(item) = events.next().await {
            match item {
                Ok(Item::Event(event)) => {
                    let json = |text: &str| Value::from(text).to_string();
                    writeln!(
                        out,
                        "{{\"type\":{},\"data\":{},\"id\":{}}}",
                        json(event.event_type()),
                        json(event.data()),
                        json(event.last_event_id()),
                    )?;
                    out.flush()?;
                }
                Ok(Item::Reconnecting(r)) => {
                    let cause = match &r.cause {
                        Cause::Failed(e) => e.to_string(),
                        _ => "the stream ended".to_owned(),
                    };
                    eprintln!(
                        "sse-wire: {cause}; reconnecting in {:?} (attempt {})",
                        r.delay, r.attempt
                    );
                }
                Ok(Item::Discarded(e)) => eprintln!("sse-wire: event discarded: {e}"),
                Ok(_) => {}
                // The server's way to say "stop" (S1): a normal end.
                Err(e) if e.is_no_content() => return Ok(()),
                Err(e) => {
                    eprintln!("sse-wire: {e}");
                    if let Some(response) = e.response() {
                        if !response.body.is_empty() {
                            eprintln!("sse-wire: the response began: {}", response.body_text());
                        }
                    }
                    return Err(Failure::Reported);
                }
            }
        }
        Ok(())
    }
}
