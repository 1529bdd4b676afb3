//! The push decoder: owns its buffer; feed chunks, take items.

#[cfg(test)]
use super::id::SEALED;
use super::{Config, Decoder, End, Item, LastEventId, Status};
use crate::text::Utf8Decoder;
use crate::Error;
use alloc::string::String;

/// A decoder that owns its input buffer (feature `alloc`).
///
/// [`push`](Self::push) each chunk as it arrives, then call
/// [`next_item`](Self::next_item) until it returns `None`; when the
/// connection ends call [`finish`](Self::finish), or
/// [`reconnect`](Self::reconnect) before pushing a new connection's bytes.
/// Items borrow the decoder, so take what you need from one before asking
/// for the next (or keep [`Item::into_owned`]).
///
/// Its buffer is text: each chunk is checked as UTF-8 once, as it is pushed
/// (L1, by a [`Utf8Decoder`]), so every value is lent as a `&str` with
/// nothing left to check ([`Event::data_str`](super::Event::data_str));
/// only the data of several lines, lent joined from the decoder's memory,
/// is checked once more, as a whole.
/// So the [`Config`] limits count the bytes of that text: the input's bytes
/// where it is valid UTF-8, and three bytes for each U+FFFD that replaced an
/// ill-formed sequence (one to three bytes of input). On valid UTF-8 every
/// layer reports the same items and errors; on input that is not, the push
/// layer may reach a limit a few bytes sooner than the others.
///
/// The buffer holds the event being read, and bytes already read until it
/// fills up or they can be dropped cheaply (see [`Decoder`] for the
/// policy): it never grows past the larger of the two [`Config`] limits,
/// plus a line end (two bytes), plus the largest chunk pushed as text (the
/// chunk's length, or up to three times as many bytes where it is not
/// UTF-8 and each bad byte becomes a U+FFFD), as long as the items are taken
/// after each push. Once the data of an event of several `data` lines has
/// been asked for as one value, such data is joined as it is read, into
/// memory kept for the next such event (at most
/// [`Config::max_event_size`]), so that its text is lent, not built anew.
///
/// ```
/// use sse_wire::decode::{PushDecoder, Item};
///
/// let mut decoder = PushDecoder::new();
/// let mut seen = Vec::new();
/// for chunk in [&b"retry: 500\nevent: greet\ndata: hel"[..], b"lo\n\n"] {
///     decoder.push(chunk);
///     while let Some(item) = decoder.next_item() {
///         match item.unwrap() {
///             Item::Event(event) => seen.push(format!("{}: {}", event.event_type_str(), event.data_str())),
///             Item::Retry(time) => seen.push(format!("retry {time:?}")),
///             Item::Comment(_) => {}
///         }
///     }
/// }
/// assert!(decoder.finish().is_clean());
/// assert_eq!(seen, ["retry 500ms", "greet: hello"]);
/// ```
pub struct PushDecoder {
    core: Decoder<LastEventId>,
    /// The input as text (L1), from the first byte the core has not
    /// released at `start`.
    buf: String,
    utf8: Utf8Decoder,
    /// Where the core decoder's view of `buf` starts.
    start: usize,
}

impl PushDecoder {
    /// A decoder with the default [`Config`].
    pub fn new() -> Self {
        PushDecoder::with_config(Config::new())
    }

    /// A decoder with `config`.
    pub fn with_config(config: Config) -> Self {
        PushDecoder {
            core: Decoder::with_config(config),
            buf: String::new(),
            utf8: Utf8Decoder::new(),
            start: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.core.config()
    }

    /// Seeds the last event ID, as a client does when it reconnects
    /// (RULES §5). Never fails: the ID is stored in a `Vec`. The `Result`
    /// is there so that every layer has the same method.
    pub fn set_last_event_id(&mut self, id: &[u8]) -> Result<(), Error> {
        self.core.set_last_event_id(id)
    }

    /// The last event ID string, for a `Last-Event-ID` header on reconnection.
    pub fn last_event_id(&self) -> &[u8] {
        self.core.last_event_id()
    }

    /// Appends a chunk of the stream.
    #[inline]
    pub fn push(&mut self, chunk: &[u8]) {
        self.start += self.core.release();
        // L1, once per byte. A chunk of valid text goes in as it is.
        if let Some(text) = self.utf8.as_text(chunk) {
            return self.push_text(text);
        }
        // Otherwise (a character cut at either end, bytes that are not
        // UTF-8) its text may be longer than the chunk: measure it on a copy
        // of the decoder's state, make room once, then decode into place.
        // No allocation, and the buffer stays within its bound.
        let mut len = 0;
        self.utf8.clone().decode(chunk, |text| len += text.len());
        self.make_room_for(len);
        let buf = &mut self.buf;
        self.utf8.decode(chunk, |text| buf.push_str(text));
    }

    fn push_text(&mut self, text: &str) {
        self.make_room_for(text.len());
        self.buf.push_str(text);
    }

    fn make_room_for(&mut self, len: usize) {
        let held = self.buf.len() - self.start;
        // Room is made when the text does not fit, or early, while the move
        // is cheap: then a long event arriving in small chunks fills the
        // buffer from the front, instead of filling it midway and being
        // moved whole.
        let cheap_move = self.start >= EARLY_MOVE && held <= self.start / 8;
        if cheap_move || self.buf.len() + len > self.buf.capacity() {
            self.make_room(len);
        }
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
    /// on [`PushDecoder`]. Items left unread are held however many there
    /// are, and the buffer grows past that bound to hold them.
    fn make_room(&mut self, more: usize) {
        // `start` is where a line starts, after an ASCII line end (or the
        // BOM), so on a character boundary.
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
    // Always inlined: the caller's loop over items is the hot loop, and a
    // call per item, returning the item through memory, costs as much as
    // decoding a short event (measured with the paired bench).
    #[inline(always)]
    pub fn next_item(&mut self) -> Option<Result<Item<'_>, Error>> {
        self.start += self.core.release();
        let text = self.buf.get(self.start..).unwrap_or_default();
        match self.core.decode_str(text) {
            Ok(Status::Complete(item)) => Some(Ok(item)),
            Ok(Status::Partial) => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Ends the stream (L6) and says what was thrown away. Input pushed but
    /// not yet read with [`next_item`](Self::next_item), and a character
    /// cut by the end, count as an incomplete line. The decoder is then
    /// ready for a new stream, keeping its last event ID (C7).
    pub fn finish(&mut self) -> End {
        let unread = self.buf.len() - self.start > self.core.scanned();
        let mut end = self.core.finish();
        // A character cut by the end is thrown away too, always: it must
        // not start the next connection's text.
        let cut = self.utf8.is_holding();
        self.utf8.reset();
        end.incomplete_line |= unread || cut;
        self.buf.clear();
        self.start = 0;
        end
    }

    /// Starts a new connection's stream: [`finish`](Self::finish), named
    /// for the moment a client calls it. Whatever the old connection left
    /// unfinished is thrown away, so that it cannot run into the first line
    /// of the new one; the last event ID stays (C5, C7).
    pub fn reconnect(&mut self) -> End {
        self.finish()
    }

    /// The capacity of the input buffer, in bytes, for a gauge or a memory
    /// bound. Besides it the decoder holds the last event ID and, once the
    /// data of an event of several `data` lines has been asked for as one
    /// value, the last such event's data joined (at most
    /// [`Config::max_event_size`], kept for the next one; see
    /// [`LastEventId`]).
    pub fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }
}

impl core::fmt::Debug for PushDecoder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PushDecoder")
            .field("config", self.config())
            .field("last_event_id", &crate::text::Lossy(self.last_event_id()))
            .field("buffered", &(self.buf.len() - self.start))
            .finish_non_exhaustive()
    }
}

/// Released bytes past which [`PushDecoder::push`] moves the rest to the
/// front early, when that moves at most an eighth of them: each byte pushed
/// then pays for at most an eighth of a byte moved early.
const EARLY_MOVE: usize = 16 * 1024;

impl Default for PushDecoder {
    fn default() -> Self {
        PushDecoder::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::IdStore;
    use alloc::vec::Vec;

    /// The joined data of an event of several lines never takes more
    /// memory than the event size limit, however its lines come.
    #[test]
    fn joined_data_stays_within_the_event_size_limit() {
        // Under Miri a smaller limit: the rule is the same at any size.
        let limit = if cfg!(miri) { 2048 } else { 1 << 20 };
        let half = "x".repeat(limit / 2 - 16);
        let event = ["data: ", &half, "\ndata: ", &half, "\n\n"].concat();
        assert!(event.len() <= limit + 2);
        let mut decoder = PushDecoder::with_config(Config::new().max_event_size(limit));
        // The first event's text asks for joining, the second is joined.
        for chunk in event.repeat(2).as_bytes().chunks(1000) {
            decoder.push(chunk);
            while let Some(item) = decoder.next_item() {
                let Ok(Item::Event(e)) = item else {
                    panic!("{item:?}")
                };
                assert_eq!(e.data_str().len(), 2 * half.len() + 1);
            }
        }
        let joined = decoder.core.store().joined(SEALED).unwrap();
        assert_eq!(joined.bytes().map(<[u8]>::len), Some(2 * half.len() + 1));
        assert!(joined.capacity() <= limit, "{}", joined.capacity());
    }

    #[test]
    fn a_long_event_in_small_chunks_is_moved_to_the_front_while_it_is_short() {
        let event = [&b"data: "[..], &[b'x'; 64 * 1024], b"\n\n"].concat();
        let stream = event.repeat(3);
        let mut decoder = PushDecoder::new();
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
