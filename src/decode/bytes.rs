//! The `Bytes` decoder: events whose values are slices of the pushed chunks.
//!
//! It is the core decoder reading each chunk in place: the rules (lines,
//! fields, dispatch, limits) are the core's alone. Its store ([`Kept`])
//! takes each value the pending event keeps as a `Bytes` slice of what the
//! core reads, so the core holds none of the input and only a line cut by
//! a chunk's end is ever copied, with the start of the next chunk up to
//! that line's end (or all of it, when it is short).

use super::decoder::Found;
use super::id::Sealed;
use super::{Config, Decoder, End, IdStore};
use crate::line_ends::LineEnds;
use crate::Error;
use alloc::collections::VecDeque;
use bytes::{Buf, BufMut, Bytes, BytesMut};
use core::time::Duration;

/// A chunk this short that follows a cut line is copied whole with it
/// rather than read in place (see `next_input`).
const SHORT_CHUNK: usize = 256;

/// The memory `tail` takes at once for short chunks when the last block is
/// still held by values: 16 such chunks or more.
const SHORT_BLOCK: usize = 4096;

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
    /// `data` line inside one chunk (or of the copy of a short chunk that
    /// completed a cut line); joined into new memory otherwise.
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
/// Values are [`Bytes`] slices of the chunks. Only a line split across
/// chunks is copied (once, to join it), with the chunk that completes it
/// when that one is short (256 bytes or less: copying so little costs less
/// than reading it apart), and data from several `data` lines is joined
/// into new memory; any other value is a slice of its chunk, never a copy.
/// A slice keeps the memory it points into alive: the last event ID can
/// hold one chunk, or the memory cut lines are copied to (4 KiB, or as
/// large as the longest cut line since the last [`finish`](Self::finish),
/// and never more than the line limit allows).
///
/// It reads with the core [`Decoder`]: every rule, limit and error is the
/// core's, so the layers cannot disagree.
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
pub struct BytesDecoder {
    core: Decoder<Kept>,
    /// The unread rest of the chunk the core reads in place (or will, once
    /// `line` is read).
    current: Bytes,
    /// Chunks queued behind it.
    input: VecDeque<Bytes>,
    /// A line cut by a chunk's end, copied here until its end arrives: the
    /// core has read it (for the limits) as far as it goes.
    tail: BytesMut,
    /// A cut line completed by the start of the next chunk (or by all of a
    /// short one), frozen, for the core to read and its values to share.
    line: Option<Bytes>,
    /// The length of the last line joined from several chunks: its memory
    /// is taken back whole for the next one once its values are dropped.
    last_split_line_len: usize,
    /// Bytes at the end of `tail` that short chunks pushed while it waited
    /// added, not searched yet.
    appended: usize,
}

impl Default for BytesDecoder {
    fn default() -> Self {
        BytesDecoder::new()
    }
}

impl BytesDecoder {
    /// A decoder with the default [`Config`].
    pub fn new() -> Self {
        BytesDecoder::with_config(Config::new())
    }

    /// A decoder with `config`.
    pub fn with_config(config: Config) -> Self {
        BytesDecoder {
            core: Decoder::with_store(config, Kept::default()),
            current: Bytes::new(),
            input: VecDeque::new(),
            tail: BytesMut::new(),
            line: None,
            last_split_line_len: 0,
            appended: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.core.config()
    }

    /// Seeds the last event ID, as a client does when it reconnects
    /// (RULES §5). Never fails; the `Result` is there so that every layer
    /// has the same method.
    pub fn set_last_event_id(&mut self, id: &[u8]) -> Result<(), Error> {
        self.core.set_last_event_id(id)
    }

    /// The last event ID string, for a `Last-Event-ID` header on reconnection.
    pub fn last_event_id(&self) -> &[u8] {
        self.core.last_event_id()
    }

    /// The next item, or `None` when more input is needed.
    ///
    /// An error means a limit was exceeded; the decoder has discarded that
    /// event and goes on with the next call.
    // Always inlined, as the other layers' reading methods are: a call per
    // item, returning it through memory, costs as much as a short event.
    #[inline(always)]
    pub fn next_item(&mut self) -> Option<Result<BytesItem, Error>> {
        loop {
            // The core reads a cut line once completed, else the chunk in
            // place; a cut line still open waits for the next chunk.
            let read = match &self.line {
                Some(line) => self.core.find(line),
                None if self.tail.is_empty() => self.core.find(&self.current),
                None => Ok(None),
            };
            let item = match read {
                Ok(None) => None,
                Ok(Some(Found::Event)) => Some(Ok(self.take_event())),
                Ok(Some(Found::Retry(millis))) => {
                    Some(Ok(BytesItem::Retry(Duration::from_millis(millis))))
                }
                Ok(Some(Found::Comment(text))) => Some(Ok(BytesItem::Comment(
                    self.line.as_ref().unwrap_or(&self.current).slice(text),
                ))),
                Err(e) => Some(Err(e)),
            };
            // The core holds nothing it has read: values are in `Kept`.
            let read = self.core.release();
            match &mut self.line {
                Some(line) => line.advance(read),
                None if self.current.len() > read => self.current.advance(read),
                // Spent: let it go, so that only values hold it.
                None => self.let_chunk_go(),
            }
            if item.is_some() {
                return item;
            }
            // Read to its end: on to the next bytes.
            match self.next_input() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Once the core has read all it was given: sets up what it reads next,
    /// copying a line cut by a chunk's end until its end arrives. `false`
    /// when that needs another chunk; an error when a cut line breaks a
    /// limit before its end.
    fn next_input(&mut self) -> Result<bool, Error> {
        if let Some(line) = self.line.take() {
            // The cut line is read: back to the chunk, in place. The store
            // lets it go too, so that its memory can serve the next one.
            let kept = self.core.store_mut();
            kept.line = Bytes::new();
            if self.last_split_line_len > self.config().max_line_len.saturating_add(2) {
                // A line over the limit (an error): its memory goes with it,
                // rather than serve the next cut line.
                self.tail = BytesMut::new();
                self.last_split_line_len = 0;
            }
            if line.len() > SHORT_CHUNK {
                // Short chunks appended before a read left a longer line
                // open: back to `tail` as it is.
                self.tail.extend_from_slice(&line);
            } else if !line.is_empty() {
                // A short chunk copied whole with the cut line ended inside
                // another, which is cut now: it moves to the front of the
                // memory they shared, once nothing else holds it.
                let mut open = [0; SHORT_CHUNK];
                open[..line.len()].copy_from_slice(&line);
                let open = &open[..line.len()];
                drop(line);
                let _ = self.tail.try_reclaim(self.last_split_line_len);
                self.room_for_short(open.len());
                self.tail.extend_from_slice(open);
            } else if !self.current.is_empty() {
                return Ok(true);
            }
        } else if self.tail.is_empty() && !self.current.is_empty() {
            // The chunk ends inside a line: copy what there is of it.
            self.start_tail();
        } else if self.appended > 0 {
            // Short chunks pushed onto the cut line: searched from where
            // they start, as a chunk would be.
            let from = self.tail.len() - self.appended;
            self.appended = 0;
            if let Some(end) = LineEnds::new().find_from(&self.tail, from) {
                self.core.searched_to(end);
                self.freeze_tail();
                return Ok(true);
            }
            self.read_open_tail()?;
        }
        loop {
            let (mut chunk, new) = if self.current.is_empty() {
                match self.input.pop_front() {
                    Some(chunk) => (chunk, true),
                    None => return Ok(false),
                }
            } else {
                (core::mem::take(&mut self.current), false)
            };
            if self.tail.is_empty() {
                if new {
                    // Values are sliced from the chunk read in place (a
                    // chunk's rest left in `current` has its source set).
                    self.core.store_mut().source = chunk.clone();
                }
                self.current = chunk;
                return Ok(true);
            }
            // Complete the cut line with the start of the chunk, up to its
            // end. Without one in the chunk, the line stays open: no more of
            // it is copied than the core needs to find it too long (which
            // limit an open line breaks does not depend on how far past it
            // the copy goes), so the tail stays within the limit between
            // calls, and within the limit and one chunk while one runs.
            // The core's search: cheaper than `memchr` to the first line end
            // of a short chunk, and as fast on a long one.
            let end = LineEnds::new().find_from(&chunk, 0);
            let piece = match end {
                // A short chunk goes whole with the cut line, so that the
                // core reads both at once: reading the rest in place would
                // switch what it reads twice more, which costs more than
                // copying so little. Within the line limit, so that
                // `buffered_len` keeps its bound.
                Some(_)
                    if chunk.len() <= SHORT_CHUNK
                        && self.tail.len() + chunk.len() <= self.config().max_line_len =>
                {
                    chunk.len()
                }
                Some(end) => end + 1,
                None => (self.config().max_line_len)
                    .saturating_add(2)
                    .saturating_sub(self.tail.len())
                    .max(1)
                    .min(chunk.len()),
            };
            let before = self.tail.len();
            if piece <= SHORT_CHUNK {
                self.room_for_short(piece);
            }
            self.tail.extend_from_slice(&chunk[..piece]);
            chunk.advance(piece);
            if chunk.is_empty() {
                self.let_chunk_go();
            } else {
                // Read in place after the cut line.
                self.core.store_mut().source = chunk.clone();
                self.current = chunk;
            }
            if let Some(end) = end {
                // The piece was searched here, up to its line end: not
                // again by the core.
                self.core.searched_to(before + end);
                self.freeze_tail();
                return Ok(true);
            }
            self.read_open_tail()?;
        }
    }

    /// Has the core read `tail`, a cut line still open, for the limits: it
    /// holds no line end, so nothing else can come of it, and the core
    /// need not search it again.
    fn read_open_tail(&mut self) -> Result<(), Error> {
        let read = self.core.find_open(&self.tail);
        let released = self.core.release();
        self.tail.advance(released);
        debug_assert!(!matches!(read, Ok(Some(_))), "an item from an open line");
        read.map(|_| ())
    }

    /// Hands `tail`, a cut line completed, to the core to read next.
    #[inline(always)]
    fn freeze_tail(&mut self) {
        self.last_split_line_len = self.tail.len();
        let line = self.tail.split().freeze();
        let kept = self.core.store_mut();
        kept.line = line.clone();
        self.line = Some(line);
    }

    /// Moves the rest of the chunk, a line not complete yet, to `tail`.
    fn start_tail(&mut self) {
        // When the last cut line went to values that have since been
        // dropped, its memory is taken back whole now, for a line that may
        // be as long; while a value holds it, lines grow as they arrive.
        let _ = self.tail.try_reclaim(self.last_split_line_len);
        self.tail.extend_from_slice(&self.current);
        self.let_chunk_go();
    }

    /// Drops the chunk once read, here and in the store, so that only the
    /// values sliced from it keep it (and a hyper body can reuse its
    /// memory).
    fn let_chunk_go(&mut self) {
        self.current = Bytes::new();
        self.core.store_mut().source = Bytes::new();
    }

    /// Queues a chunk of the stream.
    pub fn push(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        if self.current.is_empty()
            && self.input.is_empty()
            && self.tail.is_empty()
            && self.line.is_none()
        {
            // Read in place at once.
            self.core.store_mut().source = chunk.clone();
            self.current = chunk;
        } else if chunk.len() > SHORT_CHUNK || !self.append_short(&chunk) {
            self.input.push_back(chunk);
        }
    }

    /// Adds a short chunk to the cut line it follows, at once: it goes
    /// whole with it (see `next_input`). `false` if it is not short, or
    /// would take the cut line past the limit.
    #[inline(always)]
    fn append_short(&mut self, chunk: &[u8]) -> bool {
        let waiting = self.current.is_empty() && self.input.is_empty() && self.line.is_none();
        if !waiting || self.tail.len() + chunk.len() > self.config().max_line_len {
            return false;
        }
        self.room_for_short(chunk.len());
        self.tail.extend_from_slice(chunk);
        self.appended += chunk.len();
        true
    }

    /// Room in `tail` for `more` bytes of a short chunk: its memory taken
    /// back if nothing else holds it, else a new block that many short
    /// chunks fill, rather than one the size of each (a last event ID or
    /// a kept value from the last block holds it). No larger than a line
    /// may be, so that a small line limit bounds it too.
    #[inline(always)]
    fn room_for_short(&mut self, more: usize) {
        if self.tail.capacity() - self.tail.len() < more && !self.tail.try_reclaim(more) {
            let block = SHORT_BLOCK.min(self.config().max_line_len.saturating_add(2));
            self.tail.reserve(more.max(block));
        }
    }

    /// Bytes copied and held for a line split across chunks: with the
    /// pending event's values, all this layer holds beyond the chunks. A
    /// gauge; between calls it never exceeds [`Config::max_line_len`], or
    /// two bytes at the very start of a stream that may begin a BOM.
    pub fn buffered_len(&self) -> usize {
        self.tail.len() + self.line.as_ref().map_or(0, Bytes::len)
    }

    /// Ends the stream (L6); see [`Decoder::finish`](super::Decoder::finish).
    /// Queued chunks not yet read count as an incomplete line.
    pub fn finish(&mut self) -> End {
        let unread = !self.current.is_empty()
            || !self.input.is_empty()
            || self.appended > 0
            || self.line.as_ref().is_some_and(|line| !line.is_empty());
        let mut end = self.core.finish();
        end.incomplete_line |= unread;
        self.current = Bytes::new();
        self.input.clear();
        // The memory of the last cut line goes too: it may have been one
        // over the limit, far larger than the next connection needs.
        self.tail = BytesMut::new();
        self.last_split_line_len = 0;
        self.appended = 0;
        self.line = None;
        let kept = self.core.store_mut();
        kept.source = Bytes::new();
        kept.line = Bytes::new();
        end
    }

    /// Starts a new connection's stream: [`finish`](Self::finish), named
    /// for the moment a client calls it (C5, C7). Chunks of the old
    /// connection still queued are dropped with its incomplete line.
    pub fn reconnect(&mut self) -> End {
        self.finish()
    }

    /// The dispatched event (D3–D6); the core clears the rest (D7) at its
    /// next read.
    #[inline(always)]
    fn take_event(&mut self) -> BytesItem {
        let kept = self.core.store_mut();
        let data = if kept.several {
            kept.data = None;
            kept.last_joined_data_len = kept.joined.len();
            kept.joined.split().freeze()
        } else {
            kept.data.take().unwrap_or_default()
        };
        // D5, D6: `message` is kept as none, so that equal events compare
        // equal (an empty event type is never kept).
        let event_type = kept.event_type.take().filter(|t| t != "message");
        let last_event_id = if kept.last_event_id.is_empty() {
            None
        } else {
            Some(kept.last_event_id.clone())
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
            .field("config", self.config())
            .field("last_event_id", &crate::text::Lossy(self.last_event_id()))
            .field(
                "buffered",
                &(self.current.len() + queued + self.buffered_len()),
            )
            .finish_non_exhaustive()
    }
}

/// What the `Bytes` layer keeps beside the core, in its store: the pending
/// event's values as `Bytes` slices of what the core reads, taken as it
/// reads them, and the last event ID.
#[derive(Default)]
struct Kept {
    /// The chunk being read, which values are sliced from...
    source: Bytes,
    /// ...or, while the core reads it (and only then not empty), a cut
    /// line completed.
    line: Bytes,
    /// The value of the first `data` line. An `Option`, not an empty
    /// `Bytes`, so that setting and clearing it is a test, not a call
    /// through the `Bytes` vtable.
    data: Option<Bytes>,
    /// The event has several `data` lines, joined in `joined`.
    several: bool,
    joined: BytesMut,
    /// The length of the last data joined from several lines: as for a cut
    /// line, its memory is taken back whole if it is free.
    last_joined_data_len: usize,
    /// `None` when empty (`message`), as most are.
    event_type: Option<Bytes>,
    /// The pending `id` value, which becomes the last event ID at dispatch.
    id: Option<Bytes>,
    last_event_id: Bytes,
}

impl Kept {
    /// `value`, a slice of what the core reads, as a `Bytes` sharing it; a
    /// copy were it ever not such a slice.
    #[inline(always)]
    fn share(&self, value: &[u8]) -> Bytes {
        let source = if !self.line.is_empty() {
            &self.line
        } else {
            &self.source
        };
        let start = (value.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
        match start.checked_add(value.len()) {
            Some(end) if end <= source.len() => source.slice(start..end),
            _ => Bytes::copy_from_slice(value),
        }
    }
}

impl IdStore for Kept {
    fn as_bytes(&self) -> &[u8] {
        &self.last_event_id
    }

    fn capacity(&self) -> usize {
        usize::MAX
    }

    fn replace(&mut self, id: &[u8]) {
        self.last_event_id = Bytes::copy_from_slice(id);
    }

    #[inline(always)]
    fn keeps_values(&self, _: Sealed) -> bool {
        true
    }

    #[inline(always)]
    fn keep_data(&mut self, value: &[u8], lines_before: usize) {
        // F2; D3 later drops the final LF, so the data is the values joined
        // with LF. One line stays a slice of its source.
        match lines_before {
            0 => self.data = Some(self.share(value)),
            _ => {
                if lines_before == 1 {
                    self.several = true;
                    self.joined.clear();
                    let _ = self.joined.try_reclaim(self.last_joined_data_len);
                    // Copied, so let go: it need not keep its chunk alive
                    // until the event is dispatched.
                    let first = self.data.take();
                    self.joined
                        .extend_from_slice(first.as_deref().unwrap_or_default());
                }
                self.joined.put_u8(b'\n');
                self.joined.extend_from_slice(value);
            }
        }
    }

    #[inline(always)]
    fn keep_event_type(&mut self, value: &[u8]) {
        self.event_type = (!value.is_empty()).then(|| self.share(value));
    }

    #[inline(always)]
    fn keep_id(&mut self, value: &[u8]) {
        self.id = Some(self.share(value));
    }

    #[inline(always)]
    fn dispatch_kept_id(&mut self) {
        if let Some(id) = self.id.take() {
            self.last_event_id = id;
        }
    }

    #[inline(always)]
    fn clear_kept(&mut self) {
        self.data = None;
        self.several = false;
        self.joined.clear();
        self.event_type = None;
        self.id = None;
    }
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
        let room = decoder.tail.capacity();
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
        let room = decoder.tail.capacity();
        assert!(room < 10_006, "{room}");
        assert_eq!(feed(&mut decoder, &event[1..]).len(), 1);
        assert_eq!(first.data().len(), 10_000);
    }

    /// A chunk read to its end is let go: only values sliced from it keep
    /// it, so a body can reuse its memory while the stream is idle.
    #[test]
    fn a_chunk_read_to_its_end_is_let_go() {
        let chunk = Bytes::from(b"data: x\n\ndata: cut".to_vec());
        let mut decoder = BytesDecoder::new();
        let items = feed(&mut decoder, core::slice::from_ref(&chunk));
        assert_eq!(items.len(), 1);
        drop(items);
        // The cut line was copied; nothing else holds the chunk.
        assert_eq!(decoder.buffered_len(), "data: cut".len());
        assert!(chunk.is_unique());
    }

    /// The block short chunks are copied to stays within a small line
    /// limit, which bounds what a kept value (here the last event ID) can
    /// hold.
    #[test]
    fn the_block_for_short_chunks_stays_within_a_small_line_limit() {
        let mut decoder = BytesDecoder::with_config(Config::new().max_line_len(64));
        assert!(feed(&mut decoder, &[Bytes::from_static(b"id: ")]).is_empty());
        assert!(feed(&mut decoder, &[Bytes::from_static(b"12345678\n\n")]).is_empty());
        assert_eq!(decoder.last_event_id(), b"12345678");
        let room = decoder.tail.capacity();
        assert!(room <= 64 + 2 + 4, "{room}");
    }

    /// Short chunks that each complete a cut line and cut another are
    /// copied whole: every event arrives, and the memory they are copied
    /// to does not grow with the stream.
    #[test]
    fn short_chunks_copied_whole_keep_their_memory_small() {
        let stream: Vec<u8> = b"data: abc\n\n".repeat(2000);
        let mut decoder = BytesDecoder::new();
        let mut events = 0;
        let mut room = 0;
        for chunk in stream.chunks(7) {
            events += feed(&mut decoder, &[Bytes::copy_from_slice(chunk)])
                .iter()
                .filter(|item| matches!(item, BytesItem::Event(e) if e.data() == "abc"))
                .count();
            room = room.max(decoder.tail.capacity());
        }
        assert_eq!(events, 2000);
        assert!(room <= 2 * SHORT_BLOCK, "{room}");
    }

    /// Short chunks pushed onto a cut line before it is read again are
    /// read as if queued: what completes the line, and after; unread at the
    /// end, they count as an incomplete line, as queued chunks do.
    #[test]
    fn short_chunks_pushed_onto_a_cut_line_are_read_or_counted() {
        let mut decoder = BytesDecoder::new();
        assert!(feed(&mut decoder, &[Bytes::from_static(b"data: a")]).is_empty());
        decoder.push(Bytes::from_static(b"bc"));
        decoder.push(Bytes::from_static(b"\n\ndata: d\n"));
        assert_eq!(decoder.buffered_len(), "data: abc\n\ndata: d\n".len());
        let items = feed(&mut decoder, &[Bytes::from_static(b"\n")]);
        let data: Vec<_> = items
            .iter()
            .map(|item| match item {
                BytesItem::Event(e) => e.data().clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(data, ["abc", "d"]);
        assert!(decoder.finish().is_clean());

        assert!(feed(&mut decoder, &[Bytes::from_static(b"data: a")]).is_empty());
        decoder.push(Bytes::from_static(b"\n\n"));
        let end = decoder.finish();
        assert!(end.incomplete_line, "{end:?}");
    }

    /// Nor across a reconnection: the next connection's first cut line
    /// does not take back the memory of one over the limit.
    #[test]
    fn a_reconnection_lets_go_of_the_memory_of_a_cut_line_over_the_limit() {
        let mut decoder = BytesDecoder::with_config(Config::new().max_line_len(1024));
        decoder.push(Bytes::from_static(b"x"));
        assert!(decoder.next_item().is_none());
        let long = [&b"data: "[..], &[b'a'; 64 * 1024], b"\n\n"].concat();
        decoder.push(Bytes::from(long));
        assert!(matches!(decoder.next_item(), Some(Err(_))));
        let _ = decoder.reconnect();
        assert!(feed(&mut decoder, &[Bytes::from_static(b"data: cut")]).is_empty());
        let room = decoder.tail.capacity();
        assert!(room < 4096, "{room}");
    }

    /// The first of several `data` lines, once copied to join them, does
    /// not keep its chunk alive until the event is dispatched.
    #[test]
    fn the_first_data_line_joined_lets_its_chunk_go() {
        let first = Bytes::from(b"data: a\n".to_vec());
        let mut decoder = BytesDecoder::new();
        let second = Bytes::from_static(b"data: b\n");
        assert!(feed(&mut decoder, &[first.clone(), second]).is_empty());
        assert!(first.is_unique());
        let items = feed(&mut decoder, &[Bytes::from_static(b"\n")]);
        assert!(matches!(&items[..], [BytesItem::Event(e)] if e.data() == "a\nb"));
    }

    /// A cut line over the limit (an error) does not leave its memory to
    /// the next cut line.
    #[test]
    fn the_memory_of_a_cut_line_over_the_limit_is_not_kept() {
        let mut decoder = BytesDecoder::with_config(Config::new().max_line_len(1024));
        let long = [&b"data: "[..], &[b'a'; 64 * 1024], b"\n\n"].concat();
        for chunk in [&b"x"[..], &long] {
            decoder.push(Bytes::copy_from_slice(chunk));
            while decoder.next_item().is_some() {}
        }
        assert!(feed(&mut decoder, &[Bytes::from_static(b"data: cut")]).is_empty());
        let room = decoder.tail.capacity();
        assert!(room < 4096, "{room}");
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
        let room = decoder.core.store().joined.capacity();
        assert!(room >= data_len, "{room}");
    }
}
