//! A client: decode standard input as it arrives and print each event.
//!
//! `curl -sN https://example.com/stream | cargo run --example decode_stdin`

use sse_wire::decode::{Item, PushDecoder};
use std::io::Read;

fn main() -> std::io::Result<()> {
    let mut decoder = PushDecoder::new();
    let mut stdin = std::io::stdin().lock();
    let mut chunk = [0; 8192];
    loop {
        let n = stdin.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        decoder.push(&chunk[..n]);
        while let Some(item) = decoder.next_item() {
            match item {
                Ok(Item::Event(event)) => println!(
                    "[{}] id={:?} {}",
                    event.event_type_str(),
                    event.last_event_id_str(),
                    event.data_str()
                ),
                Ok(Item::Retry(time)) => println!("(reconnect after {time:?})"),
                Ok(Item::Comment(_)) => {}
                Err(limit) => eprintln!("skipped an event: {limit}"),
            }
        }
    }
    if !decoder.finish().is_clean() {
        eprintln!("the stream ended inside an event; it was discarded");
    }
    // What to send as `Last-Event-ID` when reconnecting.
    eprintln!(
        "last event ID: {:?}",
        String::from_utf8_lossy(decoder.last_event_id())
    );
    Ok(())
}
