use futures_util::StreamExt;
use sse_wire_client::{EventSource, Item};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), sse_wire_client::Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or("http://127.0.0.1:3000/api/events".into());
    let request = reqwest::Client::new().get(url).bearer_auth("token");
    let mut events = EventSource::builder(request).last_event_id("41").build()?;
    while let Some(item) = events.next().await {
        match item? {
            Item::Event(e) => println!("{} {}: {}", e.last_event_id(), e.event_type(), e.data()),
            Item::Reconnecting(r) => eprintln!("reconnecting in {:?}: {:?}", r.delay, r.cause),
            _ => {}
        }
    }
    Ok(())
}
