//! The push decoder: owns its buffer; feed chunks, take items.

use super::{Config, Decoder, End, Item, Status};
use crate::Error;
use alloc::vec::Vec;

/// A decoder that owns its input buffer (feature `alloc`).
///
/// [`push`](Self::push) each chunk as it arrives, then call
/// [`next_item`](Self::next_item) until it returns `None`; at the end of the
/// stream call [`finish`](Self::finish). Items borrow the decoder, so take
/// what you need from one before asking for the next.
///
/// The buffer holds the event being read, and bytes already read until it
/// fills up or they can be dropped cheaply (see [`Decoder`] for the
/// policy): it never grows past the larger of the two [`Config`] limits,
/// plus a line end (two bytes), plus the largest chunk pushed, as long as
/// the items are taken after each push.
///
/// ```
/// use sse_wire::decode::{EventDecoder, Item};
///
/// let mut decoder = EventDecoder::new();
/// let mut seen = Vec::new();
/// for chunk in [&b"retry: 500\nevent: greet\ndata: hel"[..], b"lo\n\n"] {
///     decoder.push(chunk);
///     while let Some(item) = decoder.next_item() {
///         match item.unwrap() {
///             Item::Event(event) => seen.push(format!("{}: {}", event.event_type_str(), event.data())),
///             Item::Retry(ms) => seen.push(format!("retry {ms}")),
///             Item::Comment(_) => {}
///         }
///     }
/// }
/// assert!(decoder.finish().is_clean());
/// assert_eq!(seen, ["retry 500", "greet: hello"]);
/// ```
pub struct EventDecoder {
    core: Decoder<Vec<u8>>,
    buf: Vec<u8>,
    /// Where the core decoder's view of `buf` starts.
    start: usize,
}

impl EventDecoder {
    /// A decoder with the default [`Config`].
    pub fn new() -> Self {
        EventDecoder::with_config(Config::new())
    }

    /// A decoder with `config`.
    pub fn with_config(config: Config) -> Self {
        EventDecoder {
            core: Decoder::with_store(config, Vec::new()),
            buf: Vec::new(),
            start: 0,
        }
    }

    /// Seeds the last event ID, as a client does when it reconnects
    /// (RULES §5).
    pub fn with_last_event_id(mut self, id: &[u8]) -> Self {
        // A `Vec` store has no capacity limit, so this cannot fail.
        let _ = self.core.set_last_event_id(id);
        self
    }

    /// The last event ID string, for a `Last-Event-ID` header on reconnection.
    pub fn last_event_id(&self) -> &[u8] {
        self.core.last_event_id()
    }

    /// Appends a chunk of the stream.
    pub fn push(&mut self, chunk: &[u8]) {
        self.start += self.core.release();
        let held = self.buf.len() - self.start;
        // Room is made when the chunk does not fit, or early, while the move
        // is cheap: then a long event arriving in small chunks fills the
        // buffer from the front, instead of filling it midway and being
        // moved whole.
        let cheap_move = self.start >= EARLY_MOVE && held <= self.start / 8;
        if cheap_move || self.buf.len() + chunk.len() > self.buf.capacity() {
            self.make_room(chunk.len());
        }
        self.buf.extend_from_slice(chunk);
    }

    /// Makes room for `more` bytes: drops the bytes already read, moving
    /// the rest to the front, and grows the buffer so that after this chunk
    /// there is room for as many bytes as were moved, which must be pushed
    /// before the next move. So each byte pushed pays for at most one byte
    /// moved, and an event that spans several chunks is not moved at every
    /// chunk. Growth at least doubles, so it is amortised too.
    ///
    /// When every item has been taken, the bytes kept are the pending event,
    /// within the limits, and the buffer stays within the bound documented
    /// on [`EventDecoder`]. Items left unread are held however many there
    /// are, and the buffer grows past that bound to hold them.
    fn make_room(&mut self, more: usize) {
        self.buf.drain(..self.start);
        self.start = 0;
        let kept = self.buf.len();
        let config = self.core.config();
        // The limits bound an event up to the end of its last line; the line
        // end after it (at most CRLF) is held too, and so is this chunk.
        let most = config
            .max_event_size
            .max(config.max_line_len)
            .saturating_add(2)
            .saturating_add(more);
        let needed = kept + more;
        let wanted = needed.saturating_add(kept);
        let capacity = self.buf.capacity();
        if wanted > capacity {
            let grown = wanted.max(capacity.saturating_mul(2));
            let items_unread = kept > self.core.scanned();
            // `needed` fits within the bound, as `kept` is the pending event
            // (the limits plus a line end); `max` only makes that certain.
            let grown = if items_unread {
                grown
            } else {
                grown.min(most).max(needed)
            };
            self.buf.reserve_exact(grown - kept);
        }
    }

    /// The next item, or `None` when more input is needed.
    ///
    /// An error means a limit was exceeded; the decoder has discarded that
    /// event and goes on with the next call.
    pub fn next_item(&mut self) -> Option<Result<Item<'_>, Error>> {
        self.start += self.core.release();
        match self.core.decode(&self.buf[self.start..]) {
            Ok(Status::Complete(item)) => Some(Ok(item)),
            Ok(Status::Partial) => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Ends the stream (L6) and says what was thrown away. Input pushed but
    /// not yet read with [`next_item`](Self::next_item) counts as an
    /// incomplete line. The decoder is then ready for a new stream, keeping
    /// its last event ID.
    pub fn finish(&mut self) -> End {
        let unread = self.buf.len() - self.start > self.core.scanned();
        let mut end = self.core.finish();
        end.incomplete_line |= unread;
        self.buf.clear();
        self.start = 0;
        end
    }

    /// The capacity of the input buffer, in bytes: what the decoder holds
    /// in memory besides the last event ID.
    pub fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }
}

/// Released bytes past which [`EventDecoder::push`] moves the rest to the
/// front early, when that moves at most an eighth of them: each byte pushed
/// then pays for at most an eighth of a byte moved early.
const EARLY_MOVE: usize = 16 * 1024;

impl Default for EventDecoder {
    fn default() -> Self {
        EventDecoder::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_event_in_small_chunks_is_moved_to_the_front_while_it_is_short() {
        let event = [&b"data: "[..], &[b'x'; 64 * 1024], b"\n\n"].concat();
        let stream = event.repeat(3);
        let mut decoder = EventDecoder::new();
        let mut events = 0;
        // Where the second event lies in the buffer, after each chunk that
        // follows the one it starts in.
        let mut second_event_at = Vec::new();
        for (at, chunk) in (0..stream.len()).step_by(1460).zip(stream.chunks(1460)) {
            decoder.push(chunk);
            // The stream position of the buffer's first byte.
            let first = at + chunk.len() - decoder.buf.len();
            if (event.len() + 1..2 * event.len()).contains(&at) {
                second_event_at.push(event.len() - first);
            }
            while let Some(item) = decoder.next_item() {
                events += usize::from(matches!(item, Ok(Item::Event(_))));
            }
        }
        assert_eq!(events, 3);
        // Once the first event was read, the next chunk moved the few bytes
        // of the second to the front, and the rest of it followed them
        // there: it was never moved whole.
        assert!(second_event_at.len() > 40);
        assert!(
            second_event_at.iter().all(|&at| at == 0),
            "{second_event_at:?}"
        );
    }
}
