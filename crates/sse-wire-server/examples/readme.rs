use axum::{extract::State, routing::get, Router};
use sse_wire::encode::Event;
use sse_wire_server::{EventBody, Hub, HubError, LastEventId, Subscription};

type Sse = Result<EventBody<Subscription>, HubError>;

// GET /events: what came after Last-Event-ID, then live; heartbeats (15 s).
async fn events(State(hub): State<Hub>, id: LastEventId) -> Sse {
    let subscription = hub.subscribe(&["news"], id.as_deref()).await?;
    Ok(EventBody::new(subscription).padding(true))
}

// POST /events: the body, encoded once, to every subscriber.
async fn publish(State(hub): State<Hub>, data: String) -> Result<String, HubError> {
    let published = hub.publish("news", Event::new().data(&data)).await?;
    Ok(published.id.to_string())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new().route("/events", get(events).post(publish));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, app.with_state(Hub::new())).await
}
