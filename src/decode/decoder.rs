//! The core decoder: borrowed events from the caller's buffer, no
//! allocation per event.

use super::event::{Data, Event, Item, Status};
use super::id::{IdStore, LastEventId, SEALED};
use super::Config;
use crate::line::{interpret, Line, BOM};
use crate::line_ends::LineEnds;
use crate::{Error, ErrorKind};
use core::ops::Range;

/// A streaming decoder over a buffer the caller owns, like `httparse`.
///
/// The caller keeps the bytes it has received in one buffer and calls
/// [`decode`](Self::decode) with it until it returns [`Status::Partial`]; then
/// it calls [`release`](Self::release), drops that many bytes from the front,
/// appends what arrives next and calls `decode` again. The decoder remembers
/// how far it has read, so the input is searched once however it is chunked
/// (bar the rest of one 64-byte window per item), and events borrow the
/// buffer without copying.
///
/// Dropping the released bytes at once is simplest. A caller that moves
/// fewer bytes keeps an offset instead, passes `&buf[offset..]` and adds
/// each `release()` to the offset. Only when the next chunk does not fit
/// does it drop the bytes before the offset, and then it makes room for the
/// bytes that moved twice over, so that the bytes pushed pay for the moves
/// (`buf.reserve(buf.len() + chunk.len())`), as
/// [`PushDecoder`](super::PushDecoder) does. It also drops them early,
/// when at least 16 KiB lie before the offset and at most an eighth as many
/// after it: a long event arriving in small chunks then starts at the front
/// of the buffer, instead of filling it midway and being moved whole.
///
/// The last event ID outlives the input it came from, so the decoder keeps a
/// copy in an [`IdStore`]: by default a [`LastEventId`], which grows as
/// needed with feature `alloc` and holds 256 bytes inline without it, or an
/// [`InlineId`](super::InlineId) of a size you choose.
///
/// A buffer of text (`&str`, see [`decode_str`](Self::decode_str)) makes
/// every value a `&str` slice with nothing left to check: keep the input in
/// a `String` filled by a [`Utf8Decoder`](crate::text::Utf8Decoder), as the
/// [`PushDecoder`](super::PushDecoder) does.
///
/// When the connection ends, call [`finish`](Self::finish), or
/// [`reconnect`](Self::reconnect) before the bytes of a new connection, and
/// empty the buffer: a line cut by the old connection must not run into the
/// first line of the new one (C7).
///
/// ```
/// use sse_wire::decode::{Decoder, Item, Status};
///
/// let mut decoder = Decoder::new();
/// let mut buf = Vec::new();
/// let mut events = Vec::new();
/// for chunk in [&b"id: 1\nda"[..], b"ta: hello\n\ndata: wor", b"ld\r\r"] {
///     buf.extend_from_slice(chunk);
///     while let Status::Complete(item) = decoder.decode(&buf).unwrap() {
///         if let Item::Event(event) = item {
///             events.push((event.data().to_string(), event.last_event_id().to_vec()));
///         }
///     }
///     buf.drain(..decoder.release());
/// }
/// assert_eq!(events, [("hello".to_string(), b"1".to_vec()), ("world".to_string(), b"1".to_vec())]);
/// ```
pub struct Decoder<S = LastEventId> {
    config: Config,
    /// The last event ID string (D1), kept between events.
    last_event_id: S,
    /// L2: whether the start of the stream has been checked for a BOM.
    bom_checked: bool,
    /// L3: the last line ended with a CR at the end of the input, so a LF
    /// that starts the next input is the rest of that line end.
    skip_lf: bool,
    // Offsets into the caller's buffer, moved back by `release`.
    /// Where the current line starts.
    line_start: usize,
    /// How far the current line has been searched for a line end.
    scan: usize,
    /// The start of the first line the pending event keeps; nothing before
    /// it, or before `line_start` when `None`, is needed any more.
    hold: Option<usize>,
    /// Bytes released while the block held ranges (reset at a release with
    /// no event pending): how far its ranges are ahead of buffer positions.
    released: usize,
    /// With a store that keeps the values (`IdStore::keeps_values`), which
    /// lets every read line go: the pending event's bytes released before
    /// `hold` (then 0), counted for the event size limit.
    held_released: usize,
    block: Block,
    /// The block was returned as an event and is cleared at the next call.
    dispatched: bool,
    /// After a limit error: skipping input up to the next blank line.
    discarding: bool,
    /// While discarding: the current line already has bytes, so its end
    /// does not make it a blank line.
    discard_line_open: bool,
}

/// The pending event (L4), as ranges of the caller's buffer plus the bytes
/// released while it was pending (`Decoder::released`), so that `release`
/// need not move them.
#[derive(Debug, Clone, Default)]
struct Block {
    data_first: Range<usize>,
    /// Where the last `data` value ends.
    data_end: usize,
    data_lines: usize,
    data_len: usize,
    event_type: Option<Range<usize>>,
    /// An `id` value that becomes the last event ID at dispatch (D1).
    id: Option<Range<usize>>,
}

impl Block {
    fn is_empty(&self) -> bool {
        self.data_lines == 0 && self.event_type.is_none() && self.id.is_none()
    }

    /// D7: empties the buffers. The data ranges are read only while
    /// `data_lines` is nonzero, so they are left as they are.
    fn clear(&mut self) {
        self.data_lines = 0;
        self.data_len = 0;
        self.event_type = None;
        self.id = None;
    }
}

/// What a line produced, as ranges, so that the item is built after the
/// borrow of `self` for reading lines has ended.
pub(crate) enum Found {
    /// The pending block, still in place, is the event (it is cleared at
    /// the next call rather than moved out).
    Event,
    Retry(u64),
    Comment(Range<usize>),
}

/// How a stream ended, from [`Decoder::finish`]: what L6 threw away.
///
/// More may be reported in later versions, so it is not built with a struct
/// literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct End {
    /// The input ended inside a line, which was not processed.
    pub incomplete_line: bool,
    /// Fields of an event had been read but no blank line followed, so the
    /// event was not dispatched (nor its `id` made the last event ID).
    pub undispatched_event: bool,
}

impl End {
    /// Whether nothing was thrown away.
    pub fn is_clean(&self) -> bool {
        !self.incomplete_line && !self.undispatched_event
    }
}

impl Decoder {
    /// A decoder with the default [`Config`] and an empty last event ID.
    pub const fn new() -> Self {
        Decoder::with_store(Config::new(), LastEventId::new())
    }

    /// A decoder with `config`.
    pub const fn with_config(config: Config) -> Self {
        Decoder::with_store(config, LastEventId::new())
    }
}

impl<S: IdStore> core::fmt::Debug for Decoder<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Decoder")
            .field("config", &self.config)
            .field("last_event_id", &crate::text::Lossy(self.last_event_id()))
            .field("unreleased", &self.line_start)
            .finish_non_exhaustive()
    }
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl<S: IdStore> Decoder<S> {
    /// A decoder keeping the last event ID in `store`, which starts as the
    /// last event ID (RULES §5: a reconnecting client seeds it).
    pub const fn with_store(config: Config, store: S) -> Self {
        Decoder {
            config,
            last_event_id: store,
            bom_checked: false,
            skip_lf: false,
            line_start: 0,
            scan: 0,
            hold: None,
            dispatched: false,
            released: 0,
            held_released: 0,
            block: Block {
                data_first: 0..0,
                data_end: 0,
                data_lines: 0,
                data_len: 0,
                event_type: None,
                id: None,
            },
            discarding: false,
            discard_line_open: false,
        }
    }

    /// The last event ID store, where a layer built on this decoder keeps
    /// its state beside the core's.
    #[cfg(all(test, feature = "alloc"))]
    pub(crate) fn store(&self) -> &S {
        &self.last_event_id
    }

    #[cfg(feature = "bytes")]
    pub(crate) fn store_mut(&mut self) -> &mut S {
        &mut self.last_event_id
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The last event ID string: what a client sends as `Last-Event-ID`
    /// when it reconnects.
    pub fn last_event_id(&self) -> &[u8] {
        self.last_event_id.as_bytes()
    }

    /// Seeds the last event ID, as a client does when it reconnects with
    /// the ID of the last event it saw (RULES §5).
    ///
    /// Fails only when `id` does not fit a fixed-capacity store
    /// ([`ErrorKind::IdTooLong`]); the ID is then left as it was.
    pub fn set_last_event_id(&mut self, id: &[u8]) -> Result<(), Error> {
        let capacity = self.last_event_id.capacity();
        if id.len() > capacity {
            return Err(Error::new(ErrorKind::IdTooLong, capacity));
        }
        self.last_event_id.replace(id);
        Ok(())
    }

    /// Reads `buf` until an item is ready or the input runs out.
    ///
    /// `buf` holds the input from the first byte not yet released: what was
    /// given last time, less the [`release`](Self::release)d bytes, plus any
    /// new bytes. Call again after `Complete` for the next item.
    ///
    /// An error means a limit was exceeded: the pending event is discarded
    /// and the decoder skips to the next blank line; keep calling.
    // Always inlined, as `PushDecoder::next_item` is: a call per item
    // costs as much as decoding a short event.
    #[inline(always)]
    pub fn decode<'a>(&'a mut self, buf: &'a [u8]) -> Result<Status<Item<'a>>, Error> {
        match self.find(buf)? {
            None => Ok(Status::Partial),
            Some(found) => Ok(Status::Complete(self.item(buf, None, found))),
        }
    }

    /// [`decode`](Self::decode) over a buffer of text: every value of the
    /// item is then lent as a `&str` slice of `buf`
    /// ([`Event::data_str`](super::Event::data_str),
    /// [`Data::single_line_str`](super::Data::single_line_str)) with nothing
    /// left to check, as the text was checked once when it was made. Data
    /// of several lines is lent joined from the decoder's store (see
    /// [`LastEventId`]), checked once more as a whole when its text is
    /// asked for.
    ///
    /// Use the same kind of buffer for every call of one stream.
    ///
    /// ```
    /// use sse_wire::decode::{Decoder, Item, Status};
    /// use sse_wire::text::Utf8Decoder;
    ///
    /// let (mut decoder, mut utf8, mut buf) = (Decoder::new(), Utf8Decoder::new(), String::new());
    /// utf8.push(b"data: caf\xC3\xA9\n\n", &mut buf);
    /// let Ok(Status::Complete(Item::Event(event))) = decoder.decode_str(&buf) else { panic!() };
    /// assert_eq!(event.data().single_line_str(), Some("café"));
    /// ```
    #[inline(always)]
    pub fn decode_str<'a>(&'a mut self, buf: &'a str) -> Result<Status<Item<'a>>, Error> {
        let bytes = buf.as_bytes();
        match self.find(bytes)? {
            None => Ok(Status::Partial),
            Some(found) => Ok(Status::Complete(self.item(bytes, Some(buf), found))),
        }
    }

    /// How many bytes at the front of the buffer the decoder is done with.
    /// The caller must drop them before the next call to
    /// [`decode`](Self::decode); the decoder counts from the new start.
    ///
    /// Not dropping them is fine only if the offset is kept instead (see the
    /// type's docs): calling this and passing the same buffer again yields
    /// the same items again.
    #[must_use = "drop this many bytes from the front of the buffer before the next decode"]
    pub fn release(&mut self) -> usize {
        let keeps = self.last_event_id.keeps_values(SEALED);
        let n = match self.hold {
            // The store has the values: only the event's size is needed.
            // Counts that grow with the stream, not a buffer: saturating.
            Some(hold) if keeps => {
                self.held_released = self.held_released.saturating_add(self.line_start - hold);
                self.line_start
            }
            hold => hold.unwrap_or(self.line_start),
        };
        self.line_start -= n;
        self.scan -= n;
        // The block's ranges are in use only while `hold` is set; they stay
        // as they are, and `released` says how far they are ahead.
        match &mut self.hold {
            Some(hold) => {
                *hold = 0;
                self.released = self.released.saturating_add(n);
            }
            None => self.released = 0,
        }
        n
    }

    /// Tells the decoder that its buffer holds no line end from where it has
    /// searched up to `to`: the `Bytes` layer found that on the chunk it
    /// copied them from, so they are not searched twice. Ignored while a
    /// BOM or the LF of a CRLF may be pending, which are checked first.
    #[cfg(feature = "bytes")]
    pub(crate) fn searched_to(&mut self, to: usize) {
        if self.bom_checked && !self.skip_lf && to > self.scan {
            self.scan = to;
        }
    }

    /// [`find`](Self::find) for a buffer that holds no line end past where
    /// the decoder has searched (the `Bytes` layer's open cut line, which it
    /// searched on the chunks it copied it from): what `find` does, less
    /// the search and its setup, when nothing checked before the search is
    /// pending.
    #[cfg(feature = "bytes")]
    pub(crate) fn find_open(&mut self, buf: &[u8]) -> Result<Option<Found>, Error> {
        if self.dispatched || !self.bom_checked || self.skip_lf || buf.len() < self.scan {
            return self.find(buf);
        }
        self.scan = buf.len();
        if buf.len() > self.line_start {
            self.check_partial(buf.len())?;
        }
        Ok(None)
    }

    /// The pending event's bytes released before `hold`: 0 unless the
    /// store keeps the values (and then folded away for other stores).
    #[inline(always)]
    fn held_released(&self) -> usize {
        if self.last_event_id.keeps_values(SEALED) {
            self.held_released
        } else {
            0
        }
    }

    /// D7, or a discarded event: the pending event goes.
    #[inline(always)]
    fn clear_block(&mut self) {
        self.block.clear();
        self.hold = None;
        if self.last_event_id.keeps_values(SEALED) {
            self.held_released = 0;
            self.last_event_id.clear_kept();
        }
    }

    /// How many bytes of the buffer, from its start, have been read.
    #[cfg(feature = "alloc")]
    pub(crate) fn scanned(&self) -> usize {
        self.scan
    }

    /// Ends the stream (L6): an incomplete line and an event without its
    /// blank line are thrown away, and [`End`] says whether there were any.
    ///
    /// The decoder is then ready for a new stream (a reconnection): the last
    /// event ID and configuration stay, the rest starts afresh (C7). Drop the
    /// buffer's contents too.
    pub fn finish(&mut self) -> End {
        self.reset_stream()
    }

    /// Starts a new connection's stream (C5, C7): what [`finish`](Self::finish)
    /// does, named for the moment a client calls it. The old connection's
    /// incomplete line and undispatched event are thrown away (L6), and the
    /// last event ID and configuration stay. Empty the buffer too, and with
    /// [`decode_str`](Self::decode_str) reset the
    /// [`Utf8Decoder`](crate::text::Utf8Decoder) that fills it, so that a
    /// character cut by the old connection does not start the new text.
    ///
    /// ```
    /// use sse_wire::decode::{Decoder, Item, Status};
    ///
    /// let mut decoder = Decoder::new();
    /// let mut buf = b"id: 1\ndata: a\n\ndata: cut by the connect".to_vec();
    /// while let Ok(Status::Complete(_)) = decoder.decode(&buf) {}
    /// assert!(decoder.reconnect().incomplete_line);
    /// buf.clear();
    /// buf.extend_from_slice(b"ion dropping\n\n");
    /// // The new connection's first line is a line of its own: `ion dropping`,
    /// // an unknown field, dispatches nothing.
    /// assert!(matches!(decoder.decode(&buf), Ok(Status::Partial)));
    /// assert_eq!(decoder.last_event_id(), b"1");
    /// ```
    pub fn reconnect(&mut self) -> End {
        self.reset_stream()
    }

    fn reset_stream(&mut self) -> End {
        let end = if self.discarding {
            End {
                incomplete_line: self.discard_line_open || self.scan > self.line_start,
                undispatched_event: false,
            }
        } else {
            End {
                incomplete_line: self.scan > self.line_start,
                undispatched_event: !self.dispatched && !self.block.is_empty(),
            }
        };
        self.bom_checked = false;
        self.skip_lf = false;
        self.line_start = 0;
        self.scan = 0;
        self.released = 0;
        self.clear_block();
        self.dispatched = false;
        self.discarding = false;
        self.discard_line_open = false;
        end
    }

    /// Reads lines until one produces something. Inlined into `decode` and
    /// `decode_str` alike: it is the whole hot loop, and a call per item
    /// costs as much as a short event.
    #[inline(always)]
    pub(crate) fn find(&mut self, buf: &[u8]) -> Result<Option<Found>, Error> {
        if self.dispatched {
            self.dispatched = false;
            self.clear_block();
        }
        if buf.len() < self.scan {
            // The caller dropped bytes that were not released.
            let e = Error::new(ErrorKind::BufferShrank, self.scan);
            return Err(self.fail(e, false, 0));
        }
        if !self.bom_checked {
            // L2: strip one BOM at the very start, even if it arrives split.
            let n = buf.len().min(BOM.len());
            if buf[..n] == BOM[..n] {
                if n < BOM.len() {
                    self.scan = n;
                    return Ok(None);
                }
                self.line_start = BOM.len();
                self.scan = BOM.len();
            }
            self.bom_checked = true;
        }
        if self.skip_lf {
            // L3: a LF right after a CR is part of the same line end. Only a
            // CR at the very end of the input sets this, so it is checked
            // once per call, here.
            match buf.get(self.line_start) {
                None => return Ok(None),
                Some(b'\n') => {
                    self.line_start += 1;
                    self.scan = self.line_start;
                }
                Some(_) => {}
            }
            self.skip_lf = false;
        }
        let mut line_ends = LineEnds::new();
        loop {
            let Some(end) = line_ends.find_from(buf, self.scan) else {
                self.scan = buf.len();
                // Nothing to check (or skip) when the input ends at a line
                // end.
                if buf.len() > self.line_start {
                    self.check_partial(buf.len())?;
                }
                return Ok(None);
            };
            let start = self.line_start;
            // L3: CRLF is one line end; a lone CR ends the line at once, even
            // at the end of the input.
            let next = if buf[end] == b'\n' {
                end + 1
            } else {
                match buf.get(end + 1) {
                    Some(b'\n') => end + 2,
                    Some(_) => end + 1,
                    None => {
                        self.skip_lf = true;
                        end + 1
                    }
                }
            };
            self.line_start = next;
            self.scan = next;
            if let Some(found) = self.line(buf, start..end)? {
                return Ok(Some(found));
            }
        }
    }

    /// L5: processes one complete line.
    #[inline(always)]
    fn line(&mut self, buf: &[u8], line: Range<usize>) -> Result<Option<Found>, Error> {
        if self.discarding {
            let open = core::mem::replace(&mut self.discard_line_open, false);
            // Resynchronise at a blank line, which itself dispatches nothing.
            self.discarding = open || !line.is_empty();
            return Ok(None);
        }
        if line.is_empty() {
            return Ok(self.dispatch(buf));
        }
        let kind = interpret(&buf[line.clone()]);
        // The limits first, whatever the line. The common line, `data`, has
        // its own call, so that `interpret`'s early answer for it leads
        // straight here rather than through a match on the kind.
        match kind {
            Line::Data(_) => self.check_limits(&line, true)?,
            _ => self.check_limits(&line, kind.is_kept())?,
        }
        let at = |value: &[u8]| {
            let start = value.as_ptr() as usize - buf.as_ptr() as usize;
            start..start + value.len()
        };
        // Where a value the pending event keeps is recorded (see `Block`).
        let released = self.released;
        let kept = |value: &[u8]| {
            let range = at(value);
            range.start + released..range.end + released
        };
        match kind {
            // `line` is not empty, so this cannot happen; an empty line was
            // dispatched above.
            Line::Dispatch => {}
            Line::Comment(text) => {
                if self.config.comments {
                    return Ok(Some(Found::Comment(at(text))));
                }
            }
            Line::Data(value) => {
                // F2: append the value and a LF; D3 later drops the last LF,
                // so the data is the values joined with LF.
                let kept_value = kept(value);
                if self.last_event_id.keeps_values(SEALED) {
                    self.last_event_id.keep_data(value, self.block.data_lines);
                }
                if self.block.data_lines == 0 {
                    self.block.data_first = kept_value.clone();
                    self.hold.get_or_insert(line.start);
                } else {
                    #[cfg(feature = "alloc")]
                    self.join_data(buf, at(value).start..line.end + 1);
                    self.block.data_len += 1;
                }
                let block = &mut self.block;
                block.data_len += kept_value.len();
                block.data_end = kept_value.end;
                block.data_lines += 1;
            }
            Line::EventType(value) => {
                // F1: the last `event` line wins.
                if self.last_event_id.keeps_values(SEALED) {
                    self.last_event_id.keep_event_type(value);
                }
                self.block.event_type = Some(kept(value));
                self.hold.get_or_insert(line.start);
            }
            Line::Id(value) => {
                // F3 (`interpret` has already ignored an id holding NUL).
                let capacity = self.last_event_id.capacity();
                if value.len() > capacity {
                    let e = Error::new(ErrorKind::IdTooLong, capacity);
                    return Err(self.fail(e, false, line.end));
                }
                if self.last_event_id.keeps_values(SEALED) {
                    self.last_event_id.keep_id(value);
                }
                self.block.id = Some(kept(value));
                self.hold.get_or_insert(line.start);
            }
            // F4: acts when its line is read, not at dispatch.
            Line::Retry(millis) => return Ok(Some(Found::Retry(millis))),
            // F5
            Line::Ignored => {}
        }
        Ok(None)
    }

    /// The limits, for a complete line; `kept` says whether the pending
    /// event keeps it, so that it counts towards the event. The exact rule
    /// runs only near a limit.
    #[inline(always)]
    fn check_limits(&mut self, line: &Range<usize>, kept: bool) -> Result<(), Error> {
        let from = self.hold.unwrap_or(line.start);
        // Positions in a frame that starts where the pending event did, when
        // a store that keeps the values let its first lines go.
        let held = self.held_released();
        if self.config.surely_within(
            line.end - line.start,
            (line.end - from).saturating_add(held),
        ) {
            return Ok(());
        }
        self.near_limit(line, kept, held)
    }

    /// [`check_limits`](Self::check_limits) near a limit: out of the
    /// reading loop.
    #[cold]
    #[inline(never)]
    fn near_limit(&mut self, line: &Range<usize>, kept: bool, held: usize) -> Result<(), Error> {
        let (start, end) = (
            line.start.saturating_add(held),
            line.end.saturating_add(held),
        );
        // A line the event keeps counts towards the event.
        let event_start = self.hold.or(kept.then_some(start));
        match self.config.exceeded(start, end, event_start) {
            Some(e) => Err(self.fail(e, false, line.end)),
            None => Ok(()),
        }
    }

    /// L5a: an empty line dispatches the pending event.
    #[inline]
    fn dispatch(&mut self, buf: &[u8]) -> Option<Found> {
        self.hold = None;
        self.held_released = 0;
        // D1: the last event ID buffer becomes the last event ID string on
        // every dispatch, even one that fires nothing.
        if let Some(id) = &self.block.id {
            if self.last_event_id.keeps_values(SEALED) {
                self.last_event_id.dispatch_kept_id();
            } else {
                let id = self.in_buffer(id);
                self.last_event_id.replace(&buf[id]);
            }
        }
        // D2: no data, no event. D7: the buffers are cleared either way (the
        // event's once it has been returned), the last event ID buffer
        // excepted.
        if self.block.data_lines > 0 {
            self.dispatched = true;
            Some(Found::Event)
        } else {
            self.clear_block();
            None
        }
    }

    /// Checks the limits against the incomplete line at the end of the input.
    fn check_partial(&mut self, len: usize) -> Result<(), Error> {
        if self.discarding {
            // Nothing is kept while skipping; remember only that the line
            // has started, so that its end is not taken for a blank line.
            self.discard_line_open |= len > self.line_start;
            self.line_start = len;
            self.scan = len;
        } else if len > self.line_start
            && !self.config.surely_within(
                len - self.line_start,
                (len - self.hold.unwrap_or(self.line_start)).saturating_add(self.held_released()),
            )
        {
            // Near a limit, with the line begun (the end of the line before
            // it is not part of the event). Whether this line will be kept
            // is not known yet, so only an event already under way counts.
            let held = self.held_released();
            let (start, end) = (
                self.line_start.saturating_add(held),
                len.saturating_add(held),
            );
            if let Some(e) = self.config.exceeded(start, end, self.hold) {
                return Err(self.fail(e, true, len));
            }
        }
        Ok(())
    }

    /// Discards the pending event and skips to the next blank line.
    /// `open` says the input ended inside the offending line; everything up
    /// to `end` is released.
    fn fail(&mut self, error: Error, open: bool, end: usize) -> Error {
        self.clear_block();
        self.discarding = true;
        self.discard_line_open = open;
        if open || error.kind() == ErrorKind::BufferShrank {
            self.line_start = end;
            self.scan = end;
            self.skip_lf = false;
        }
        error
    }

    /// A store that joins the data of several lines as they are read
    /// ([`LastEventId`], once asked to) takes `value`, the range of a `data`
    /// line's value and its line end, here; at the second line it takes the
    /// first one's too.
    #[cfg(feature = "alloc")]
    #[inline(always)]
    fn join_data(&mut self, buf: &[u8], value: Range<usize>) {
        let keeps_values = self.last_event_id.keeps_values(SEALED);
        let Some(joined) = self.last_event_id.joined_mut(SEALED) else {
            return;
        };
        if joined.is_wanted() {
            // The first value, at the second line. A joining store holds no
            // values itself (`keeps_values`), so the first line is still in
            // the buffer (`hold`); it runs to its line end too.
            debug_assert!(!keeps_values);
            let first = (self.block.data_lines == 1).then(|| {
                let (first, released) = (&self.block.data_first, self.released);
                first.start - released..first.end - released + 1
            });
            joined.line(buf, value, first, self.config.max_event_size);
        }
    }

    /// Where a range of the block lies in the buffer now (see `Block`).
    #[inline]
    fn in_buffer(&self, range: &Range<usize>) -> Range<usize> {
        range.start - self.released..range.end - self.released
    }

    #[inline(always)]
    fn item<'a>(&'a self, buf: &'a [u8], text: Option<&'a str>, found: Found) -> Item<'a> {
        match found {
            Found::Retry(millis) => Item::Retry(core::time::Duration::from_millis(millis)),
            Found::Comment(text) => Item::Comment(&buf[text]),
            // D4–D6: the event, with the data buffer less its final LF (D3).
            Found::Event => {
                let block = &self.block;
                let at = |range: &Range<usize>| &buf[self.in_buffer(range)];
                Item::Event(Event {
                    event_type: block.event_type.as_ref().map_or(&[][..], at),
                    data: Data {
                        first: at(&block.data_first),
                        block: at(&(block.data_first.start..block.data_end)),
                        lines: block.data_lines,
                        len: block.data_len,
                        text,
                        // Read only for several lines.
                        #[cfg(feature = "alloc")]
                        joined: self.last_event_id.joined(SEALED),
                    },
                    last_event_id: self.last_event_id.as_bytes(),
                })
            }
        }
    }
}
