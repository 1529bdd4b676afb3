//! The `Bytes` decoder: events whose values are slices of the pushed chunks.

use super::{Config, End};
use crate::line::{interpret, is_kept_split, Line, BOM};
use crate::line_ends::LineEnds;
use crate::Error;
use alloc::collections::VecDeque;
use bytes::{Buf, BufMut, Bytes, BytesMut};
use core::time::Duration;

/// A dispatched event whose values share the chunks they came from.
///
/// Two events are equal when they read the same: an event type of `message`
/// equals none (D5, D6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BytesEvent {
    /// `None` when empty or `message`, as are most: a test then stands in
    /// for the calls through the `Bytes` vtable that cloning and dropping
    /// one would make.
    event_type: Option<Bytes>,
    data: Bytes,
    /// `None` when empty, as for the event type.
    last_event_id: Option<Bytes>,
}

impl BytesEvent {
    /// The event type, `message` when none was given (D5, D6).
    pub fn event_type(&self) -> &[u8] {
        self.event_type.as_deref().unwrap_or(b"message")
    }

    /// The event type as a `Bytes`: sharing its chunk, or a static
    /// `message` when the stream gave none.
    pub fn event_type_bytes(&self) -> Bytes {
        self.event_type
            .clone()
            .unwrap_or(Bytes::from_static(b"message"))
    }

    /// The data (D3). A slice of the pushed chunk when it came from one
    /// `data` line inside one chunk; joined into new memory otherwise.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// The data, by value.
    pub fn into_data(self) -> Bytes {
        self.data
    }

    /// The last event ID string at dispatch (D1).
    pub fn last_event_id(&self) -> &[u8] {
        self.last_event_id.as_deref().unwrap_or_default()
    }

    /// The last event ID as a `Bytes` sharing its chunk.
    pub fn last_event_id_bytes(&self) -> Bytes {
        self.last_event_id.clone().unwrap_or_default()
    }

    /// The event type as text per L1.
    pub fn event_type_str(&self) -> alloc::borrow::Cow<'_, str> {
        crate::text::lossy(self.event_type())
    }

    /// The data as text per L1, checked as UTF-8 first (with SIMD under
    /// feature `simd-utf8`).
    pub fn data_str(&self) -> alloc::borrow::Cow<'_, str> {
        crate::text::lossy(&self.data)
    }

    /// The last event ID as text per L1.
    pub fn last_event_id_str(&self) -> alloc::borrow::Cow<'_, str> {
        crate::text::lossy(self.last_event_id())
    }

    /// An owned copy with its values as text per L1, the same type the
    /// other layers make.
    pub fn into_owned(self) -> super::OwnedEvent {
        super::OwnedEvent::new(
            self.event_type_str(),
            self.data_str(),
            self.last_event_id_str(),
        )
    }
}

/// What [`BytesDecoder`] yields: an [`Item`](super::Item) whose values are
/// `Bytes`. Exhaustive, as `Item` is: these are all the things the
/// specification has a stream say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BytesItem {
    /// An event was dispatched.
    Event(BytesEvent),
    /// A valid `retry` field set the reconnection time (F4).
    Retry(Duration),
    /// A comment (L5b), when [`Config::comments`] is on.
    Comment(Bytes),
}

/// A decoder for `Bytes` chunks, as hyper, reqwest and axum hand them out
/// (feature `bytes`).
///
/// Values are [`Bytes`] slices of the chunks: a value that lies within one
/// chunk is never copied. Only a line split across chunks is copied (once,
/// to join it), and so is data from several `data` lines, to join them.
/// A slice keeps its chunk alive, so the last event ID can hold one chunk.
///
/// [`push`](Self::push) each chunk, then call [`next_item`](Self::next_item)
/// until it returns `None`; `None` means "push more", not the end.
///
/// ```
/// use bytes::Bytes;
/// use sse_wire::decode::{BytesDecoder, BytesItem};
///
/// let chunk = Bytes::from_static(b"data: zero copy\n\n");
/// let mut decoder = BytesDecoder::new();
/// decoder.push(chunk.clone());
/// let Some(Ok(BytesItem::Event(event))) = decoder.next_item() else { panic!() };
/// assert_eq!(event.data(), "zero copy");
/// // The data points into the chunk.
/// assert_eq!(event.data().as_ptr(), chunk[6..].as_ptr());
/// ```
#[derive(Default)]
pub struct BytesDecoder {
    config: Config,
    /// The chunk being read; its lines are read in place.
    current: Bytes,
    /// Chunks queued behind it.
    input: VecDeque<Bytes>,
    /// The start of the current line when it began in an earlier chunk.
    partial: BytesMut,
    /// The length of the last line joined from several chunks; see
    /// [`extend_partial`](Self::extend_partial).
    last_split_line_len: usize,
    /// L2: bytes of a BOM matched at the start of the stream.
    bom_matched: usize,
    bom_checked: bool,
    /// L3: the last line ended with a CR at the end of a chunk.
    skip_lf: bool,
    // The pending event (L4).
    /// The value of the first `data` line. An `Option`, not an empty
    /// `Bytes`, so that setting and clearing it is a test, not a call
    /// through the `Bytes` vtable.
    data: Option<Bytes>,
    /// The data of several `data` lines, joined.
    joined: BytesMut,
    /// The length of the last data joined from several lines: as for
    /// `last_split_line_len`, its memory is taken back whole if it is free.
    last_joined_data_len: usize,
    data_lines: usize,
    event_type: Option<Bytes>,
    id: Option<Bytes>,
    last_event_id: Bytes,
    /// Bytes from the first line the pending event keeps to the start of the
    /// current line, when it keeps one (see [`Config`]).
    held: Option<usize>,
    discarding: bool,
    discard_line_open: bool,
}

impl BytesDecoder {
    /// A decoder with the default [`Config`].
    pub fn new() -> Self {
        BytesDecoder::with_config(Config::new())
    }

    /// A decoder with `config`.
    pub fn with_config(config: Config) -> Self {
        BytesDecoder {
            config,
            ..BytesDecoder::default()
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Seeds the last event ID, as a client does when it reconnects
    /// (RULES §5). Never fails; the `Result` is there so that every layer
    /// has the same method.
    pub fn set_last_event_id(&mut self, id: &[u8]) -> Result<(), Error> {
        self.last_event_id = Bytes::copy_from_slice(id);
        Ok(())
    }

    /// The last event ID string, for a `Last-Event-ID` header on reconnection.
    pub fn last_event_id(&self) -> &[u8] {
        &self.last_event_id
    }

    /// The next item, or `None` when more input is needed.
    ///
    /// An error means a limit was exceeded; the decoder has discarded that
    /// event and goes on with the next call.
    // Always inlined, as the other layers' reading methods are: a call per
    // item, returning it through memory, costs as much as a short event.
    #[inline(always)]
    pub fn next_item(&mut self) -> Option<Result<BytesItem, Error>> {
        self.read()
    }

    /// Queues a chunk of the stream.
    pub fn push(&mut self, chunk: Bytes) {
        if self.current.is_empty() && self.input.is_empty() {
            self.current = chunk;
        } else if !chunk.is_empty() {
            self.input.push_back(chunk);
        }
    }

    /// Bytes copied and held for a line split across chunks: with the
    /// pending event's values, all this layer holds beyond the chunks. A
    /// gauge; it never exceeds [`Config::max_line_len`].
    pub fn buffered_len(&self) -> usize {
        self.partial.len()
    }

    /// Ends the stream (L6); see [`Decoder::finish`](super::Decoder::finish).
    /// Queued chunks not yet read count as an incomplete line.
    pub fn finish(&mut self) -> End {
        let end = End {
            incomplete_line: !self.current.is_empty()
                || !self.input.is_empty()
                || !self.partial.is_empty()
                || (!self.bom_checked && self.bom_matched > 0)
                || (self.discarding && self.discard_line_open),
            undispatched_event: !self.discarding
                && (self.data_lines > 0 || self.event_type.is_some() || self.id.is_some()),
        };
        let last_event_id = core::mem::take(&mut self.last_event_id);
        *self = BytesDecoder {
            last_event_id,
            ..BytesDecoder::with_config(self.config)
        };
        end
    }

    /// Starts a new connection's stream: [`finish`](Self::finish), named
    /// for the moment a client calls it (C5, C7). Chunks of the old
    /// connection still queued are dropped with its incomplete line.
    pub fn reconnect(&mut self) -> End {
        self.finish()
    }

    #[inline(always)]
    fn read(&mut self) -> Option<Result<BytesItem, Error>> {
        // The chunk is read outside `self` so that `line` can borrow both;
        // it goes back once per item, not once per line.
        let mut chunk = core::mem::take(&mut self.current);
        let item = self.read_from(&mut chunk);
        self.current = chunk;
        item
    }

    #[inline(always)]
    fn read_from(&mut self, chunk: &mut Bytes) -> Option<Result<BytesItem, Error>> {
        // Positions are addresses in the chunk, which stay put as it is read.
        let mut line_ends = LineEnds::new();
        loop {
            if chunk.is_empty() {
                *chunk = self.input.pop_front()?;
                line_ends = LineEnds::new();
            }
            if !self.bom_checked {
                // L2: one BOM at the very start, even split across chunks.
                while self.bom_matched < BOM.len() && chunk.first() == Some(&BOM[self.bom_matched])
                {
                    chunk.advance(1);
                    self.bom_matched += 1;
                }
                if self.bom_matched < BOM.len() && chunk.is_empty() {
                    continue;
                }
                if self.bom_matched < BOM.len() {
                    // Not a BOM after all: its bytes start the first line.
                    self.partial.extend_from_slice(&BOM[..self.bom_matched]);
                }
                self.bom_checked = true;
            }
            if self.skip_lf && !chunk.is_empty() {
                // L3: a LF right after a CR is part of the same line end.
                self.skip_lf = false;
                if chunk[0] == b'\n' {
                    chunk.advance(1);
                    if let Some(held) = &mut self.held {
                        *held = held.saturating_add(1);
                    }
                }
            }
            let Some(end) = line_ends.find(chunk, chunk.as_ptr() as usize) else {
                let rest = core::mem::take(chunk);
                if let Err(e) = self.extend_partial(&rest) {
                    return Some(Err(e));
                }
                continue;
            };
            // L3: CRLF is one line end; a lone CR ends the line at once.
            let terminator = if chunk[end] == b'\n' {
                1
            } else {
                match chunk.get(end + 1) {
                    Some(b'\n') => 2,
                    Some(_) => 1,
                    None => {
                        self.skip_lf = true;
                        1
                    }
                }
            };
            // Read the line where it lies; only the values an event keeps
            // become `Bytes` (a reference count each), not every line.
            let result = if self.partial.is_empty() {
                self.line(Source::Chunk(chunk), end, terminator)
            } else {
                // Checked before copying, so the copy never exceeds the
                // limits; as the core does, a line the event keeps counts
                // towards the event.
                let len = self.partial.len() + end;
                let kept = || is_kept_split(&self.partial, &chunk[..end]);
                let kept = !self.config.surely_within(len, len) && kept();
                match self.check_partial(len, false, kept) {
                    Err(e) => Err(e),
                    Ok(()) => {
                        let mut joined = core::mem::take(&mut self.partial);
                        joined.extend_from_slice(&chunk[..end]);
                        self.last_split_line_len = len;
                        let result = self.line(Source::Joined(&mut joined), len, terminator);
                        // Unless a value took it, the memory serves the next
                        // split line.
                        joined.clear();
                        self.partial = joined;
                        result
                    }
                }
            };
            if chunk.len() > end + terminator {
                chunk.advance(end + terminator);
            } else {
                // Spent: let it go, so that only values hold it.
                *chunk = Bytes::new();
            }
            match result {
                Ok(None) => {}
                Ok(Some(Found::Event)) => return Some(Ok(self.take_event())),
                Ok(Some(Found::Retry(millis))) => {
                    return Some(Ok(BytesItem::Retry(Duration::from_millis(millis))))
                }
                Ok(Some(Found::Comment(text))) => return Some(Ok(BytesItem::Comment(text))),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Adds the bytes of a line whose end has not arrived yet.
    fn extend_partial(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if self.discarding {
            self.discard_line_open |= !bytes.is_empty() || !self.partial.is_empty();
            self.partial.clear();
            return Ok(());
        }
        let len = self.partial.len() + bytes.len();
        if len > 0 {
            // Checked before copying, so the copy never exceeds the limits.
            self.check_partial(len, true, false)?;
        }
        if self.partial.is_empty() {
            // When the last joined line went to a value that has since been
            // dropped, its memory is taken back whole now, for a line that
            // may be as long, rather than once the spare room after it runs
            // out, by moving the bytes gathered so far. Nothing is allocated
            // here: while a value holds that memory, lines grow as before.
            let _ = self.partial.try_reclaim(self.last_split_line_len);
        }
        self.partial.extend_from_slice(bytes);
        Ok(())
    }

    /// The limits for `len` bytes of a line split across chunks. While the
    /// line is `open` its kind is not known yet, so only an event already
    /// under way counts; once it is complete, a line the event keeps
    /// (`kept`) counts too. Positions are counted from the start of the
    /// pending event's first kept line.
    fn check_partial(&mut self, len: usize, open: bool, kept: bool) -> Result<(), Error> {
        let line_start = self.held.unwrap_or(0);
        if self
            .config
            .surely_within(len, line_start.saturating_add(len))
        {
            return Ok(());
        }
        let event_start = self.held.map(|_| 0).or(kept.then_some(line_start));
        match self
            .config
            .exceeded(line_start, line_start.saturating_add(len), event_start)
        {
            Some(e) => Err(self.fail(e, open)),
            None => Ok(()),
        }
    }

    fn fail(&mut self, error: Error, open: bool) -> Error {
        self.clear_event();
        self.partial.clear();
        self.discarding = true;
        self.discard_line_open = open;
        error
    }

    fn clear_event(&mut self) {
        self.data = None;
        self.joined.clear();
        self.data_lines = 0;
        self.event_type = None;
        self.id = None;
        self.held = None;
    }

    /// L5: processes one complete line, the first `len` bytes of `source`,
    /// which ended with `terminator` bytes.
    #[inline(always)]
    fn line(
        &mut self,
        mut source: Source<'_>,
        len: usize,
        terminator: usize,
    ) -> Result<Option<Found>, Error> {
        let line = &source.bytes()[..len];
        if self.discarding {
            let open = core::mem::replace(&mut self.discard_line_open, false);
            // Resynchronise at a blank line, which itself dispatches nothing.
            self.discarding = open || !line.is_empty();
            return Ok(None);
        }
        let kind = interpret(line);
        let config = &self.config;
        let keep = kind.is_kept();
        // The line's place in the frame that starts at the pending event's
        // first kept line.
        let line_start = self.held.unwrap_or(0);
        let end = line_start.saturating_add(len);
        // The exact rule runs only near a limit; a blank line breaks none.
        if len > 0 && !config.surely_within(len, end) {
            // Limits: a line the event keeps counts towards the event.
            let event_start = self.held.map(|_| 0).or(keep.then_some(line_start));
            if let Some(e) = config.exceeded(line_start, end, event_start) {
                return Err(self.fail(e, false));
            }
        }
        // Where a value lies in the line, so that it is sliced out of the
        // source only when it is kept.
        let at = |value: &[u8]| {
            let start = value.as_ptr() as usize - line.as_ptr() as usize;
            start..start + value.len()
        };
        let item = match kind {
            Line::Dispatch => return Ok(self.dispatch()),
            Line::Comment(text) => {
                if self.config.comments {
                    Some(Found::Comment(source.keep(at(text))))
                } else {
                    None
                }
            }
            Line::Data(value) => {
                // F2; D3 later drops the final LF, so the data is the values
                // joined with LF. One line stays a slice of its source.
                if self.data_lines == 0 {
                    self.data = Some(source.keep(at(value)));
                } else {
                    if self.data_lines == 1 {
                        self.joined.clear();
                        let _ = self.joined.try_reclaim(self.last_joined_data_len);
                        self.joined
                            .extend_from_slice(self.data.as_deref().unwrap_or(&[]));
                    }
                    self.joined.put_u8(b'\n');
                    self.joined.extend_from_slice(value);
                }
                self.data_lines += 1;
                None
            }
            Line::EventType(value) => {
                // F1: the last one wins.
                self.event_type = Some(source.keep(at(value)));
                None
            }
            Line::Id(value) => {
                // F3: `interpret` has already ignored an id holding NUL.
                self.id = Some(source.keep(at(value)));
                None
            }
            // F4: acts when its line is read.
            Line::Retry(millis) => Some(Found::Retry(millis)),
            // F5
            Line::Ignored => None,
        };
        match &mut self.held {
            Some(held) => *held = held.saturating_add(len + terminator),
            None if keep => self.held = Some(len + terminator),
            None => {}
        }
        Ok(item)
    }

    /// D1–D8 on a blank line.
    fn dispatch(&mut self) -> Option<Found> {
        // D1: on every dispatch, even one that fires nothing.
        if let Some(id) = self.id.take() {
            self.last_event_id = id;
        }
        if self.data_lines == 0 {
            // D2: no data, no event. D7: clear the buffers.
            self.clear_event();
            return None;
        }
        Some(Found::Event)
    }

    /// The dispatched event (D3–D6); D7 clears the buffers.
    #[inline(always)]
    fn take_event(&mut self) -> BytesItem {
        let data = match self.data_lines {
            1 => self.data.take().unwrap_or_default(),
            _ => {
                self.last_joined_data_len = self.joined.len();
                self.joined.split().freeze()
            }
        };
        // D5, D6: an empty event type reads as `message`, like none; and
        // `message` is kept as none, so that equal events compare equal.
        let event_type = self
            .event_type
            .take()
            .filter(|t| !t.is_empty() && t != "message");
        self.clear_event();
        let last_event_id = if self.last_event_id.is_empty() {
            None
        } else {
            Some(self.last_event_id.clone())
        };
        BytesItem::Event(BytesEvent {
            event_type,
            data,
            last_event_id,
        })
    }
}

/// The configuration, the last event ID and how much is buffered; never the
/// buffered bytes themselves, which may hold what a stream keeps private.
impl core::fmt::Debug for BytesDecoder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let queued: usize = self.input.iter().map(Bytes::len).sum();
        f.debug_struct("BytesDecoder")
            .field("config", &self.config)
            .field("last_event_id", &crate::text::Lossy(&self.last_event_id))
            .field(
                "buffered",
                &(self.current.len() + queued + self.partial.len()),
            )
            .finish_non_exhaustive()
    }
}

/// Where a complete line lies: in place in a chunk, or joined in
/// [`BytesDecoder::partial`] from the pieces of several chunks.
enum Source<'s> {
    Chunk(&'s Bytes),
    Joined(&'s mut BytesMut),
}

impl Source<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Chunk(chunk) => chunk,
            Source::Joined(joined) => joined,
        }
    }

    /// A value the event keeps, as a `Bytes` sharing the source. A joined
    /// line is frozen whole for it, only then: most lines keep nothing, or
    /// copy their value into the joined data.
    #[inline(always)]
    fn keep(&mut self, value: core::ops::Range<usize>) -> Bytes {
        match self {
            Source::Chunk(chunk) => chunk.slice(value),
            Source::Joined(joined) => joined.split().freeze().slice(value),
        }
    }
}

/// What a line produced. The event itself is built only on its way out,
/// so that the large item is not moved through every call.
enum Found {
    Event,
    Retry(u64),
    Comment(Bytes),
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// An event of one `data` line of `len` bytes, in 100-byte chunks.
    fn long_event(len: usize) -> Vec<Bytes> {
        let mut event = b"data: ".to_vec();
        event.resize(6 + len, b'x');
        event.extend_from_slice(b"\n\n");
        event.chunks(100).map(Bytes::copy_from_slice).collect()
    }

    /// Feeds `chunks`, returning the items.
    fn feed(decoder: &mut BytesDecoder, chunks: &[Bytes]) -> Vec<BytesItem> {
        let mut items = Vec::new();
        for chunk in chunks {
            decoder.push(chunk.clone());
            while let Some(item) = decoder.next_item() {
                items.push(item.unwrap());
            }
        }
        items
    }

    #[test]
    fn a_split_line_takes_back_the_memory_of_the_last_one_once_dropped() {
        let mut decoder = BytesDecoder::new();
        let event = long_event(10_000);
        assert_eq!(feed(&mut decoder, &event).len(), 1);
        // The event is dropped; the next split line starts with room for
        // the whole of the last one.
        assert!(feed(&mut decoder, &event[..1]).is_empty());
        let room = decoder.partial.capacity();
        assert!(room >= 10_006, "{room}");
        assert_eq!(feed(&mut decoder, &event[1..]).len(), 1);
    }

    #[test]
    fn a_split_line_leaves_the_memory_of_a_value_still_held() {
        let mut decoder = BytesDecoder::new();
        let event = long_event(10_000);
        let held = feed(&mut decoder, &event);
        let BytesItem::Event(first) = &held[0] else {
            panic!("{held:?}")
        };
        assert_eq!(first.data().len(), 10_000);
        // Nothing is allocated ahead for the next line while the value
        // lives: it grows with what arrives.
        assert!(feed(&mut decoder, &event[..1]).is_empty());
        let room = decoder.partial.capacity();
        assert!(room < 10_006, "{room}");
        assert_eq!(feed(&mut decoder, &event[1..]).len(), 1);
        assert_eq!(first.data().len(), 10_000);
    }

    /// An event of `lines` `data` lines of 94 bytes each, in one chunk.
    fn multi_line_event(lines: usize) -> Bytes {
        let line = [&b"data: "[..], &[b'y'; 94], b"\n"].concat();
        Bytes::from([line.repeat(lines), b"\n".to_vec()].concat())
    }

    #[test]
    fn joined_data_takes_back_the_memory_of_the_last_once_dropped() {
        let mut decoder = BytesDecoder::new();
        let event = multi_line_event(100);
        let data_len = 100 * 94 + 99;
        for _ in 0..3 {
            let items = feed(&mut decoder, core::slice::from_ref(&event));
            let [BytesItem::Event(event)] = &items[..] else {
                panic!("{items:?}")
            };
            assert_eq!(event.data().len(), data_len);
        }
        // Two lines in (of 101 bytes each): the join has room for all of
        // the last data.
        assert!(feed(&mut decoder, &[event.slice(..250)]).is_empty());
        let room = decoder.joined.capacity();
        assert!(room >= data_len, "{room}");
    }
}
