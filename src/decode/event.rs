//! What the borrowed decoder yields: items, events and their data.

use crate::line::{interpret, split_line, Line};
use crate::text::Lossy;
use crate::BufferTooSmall;
use core::fmt;
use core::time::Duration;

/// Whether a call could finish an item, like `httparse::Status`.
///
/// Needing more input is not an error: `Partial` just says that every byte
/// given so far has been read and nothing more is ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<T> {
    /// An item is ready.
    Complete(T),
    /// Every byte was read; nothing more is ready until more arrive.
    Partial,
}

impl<T> Status<T> {
    /// The item, if one is ready.
    pub fn complete(self) -> Option<T> {
        match self {
            Status::Complete(item) => Some(item),
            Status::Partial => None,
        }
    }
}

/// Something a decoder found in the stream, in stream order.
///
/// These are all the things the specification has a stream say, so the enum
/// is exhaustive: match it without a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// An event was dispatched (D1–D8).
    Event(Event<'a>),
    /// A valid `retry` field set the reconnection time (F4), given in whole
    /// milliseconds on the wire. Reported when its line is read, before the
    /// event of the same block.
    Retry(Duration),
    /// A comment line (L5b), the text after the `:` less one leading space.
    /// Only reported when [`Config::comments`](super::Config::comments) is
    /// on. A heartbeat or the padding a server sends first reads as a
    /// comment too: [`is_keep_alive`] tells them apart.
    Comment(&'a [u8]),
}

impl Item<'_> {
    /// An owned copy, with its values as text per L1 (feature `alloc`): to
    /// keep it past the next call, or to send it to another task.
    #[cfg(feature = "alloc")]
    pub fn into_owned(self) -> OwnedItem {
        match self {
            Item::Event(event) => OwnedItem::Event(event.into_owned()),
            Item::Retry(time) => OwnedItem::Retry(time),
            Item::Comment(text) => OwnedItem::Comment(crate::text::lossy(text).into_owned()),
        }
    }
}

/// Whether a comment is what servers send to keep a connection open (an
/// empty comment, `:`, as [`KEEP_ALIVE`](crate::encode::KEEP_ALIVE) writes)
/// or to get past proxies that buffer the start of a response (spaces only,
/// as [`PADDING`](crate::encode::PADDING) writes), rather than a comment
/// with something to say.
///
/// ```
/// use sse_wire::decode::is_keep_alive;
/// assert!(is_keep_alive(b""));
/// assert!(is_keep_alive(&[b' '; 2047]));
/// assert!(!is_keep_alive(b"connected"));
/// ```
pub fn is_keep_alive(comment: &[u8]) -> bool {
    comment.iter().all(|&b| b == b' ')
}

/// A dispatched event, borrowing the input and the decoder.
///
/// Values are bytes; the `*_str` methods (feature `alloc`) and
/// [`Lossy`] give them as text per L1. Events from a text buffer (the
/// [`PushDecoder`](super::PushDecoder), [`Decoder::decode_str`](super::Decoder::decode_str))
/// lend their values as `&str` with nothing left to check, but for data of
/// several lines, which is joined and checked once more as a whole.
///
/// Two events are equal when they read the same: an event type of `message`
/// equals none (D5, D6).
#[derive(Clone, Copy)]
pub struct Event<'a> {
    pub(crate) event_type: &'a [u8],
    pub(crate) data: Data<'a>,
    pub(crate) last_event_id: &'a [u8],
}

impl PartialEq for Event<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.event_type() == other.event_type()
            && self.data == other.data
            && self.last_event_id == other.last_event_id
    }
}

impl Eq for Event<'_> {}

impl<'a> Event<'a> {
    /// The event type: the last `event` value of the block, or `message`
    /// when there was none or it was empty (D5, D6).
    #[inline]
    pub fn event_type(&self) -> &'a [u8] {
        if self.event_type.is_empty() {
            b"message"
        } else {
            self.event_type
        }
    }

    /// The event's data (D3: the data buffer less its final LF).
    #[inline]
    pub fn data(&self) -> Data<'a> {
        self.data
    }

    /// The last event ID string at dispatch (D1). It carries over from
    /// earlier events until an `id` field changes it.
    #[inline]
    pub fn last_event_id(&self) -> &'a [u8] {
        self.last_event_id
    }

    /// [`event_type`](Self::event_type) as text per L1.
    #[cfg(feature = "alloc")]
    pub fn event_type_str(&self) -> alloc::borrow::Cow<'a, str> {
        match self.data.text_of(self.event_type) {
            Some(text) if !text.is_empty() => alloc::borrow::Cow::Borrowed(text),
            _ => crate::text::lossy(self.event_type()),
        }
    }

    /// [`data`](Self::data) as text per L1: borrowed when it came from one
    /// line of valid UTF-8. The same as `data().to_str()`.
    #[cfg(feature = "alloc")]
    #[inline]
    pub fn data_str(&self) -> alloc::borrow::Cow<'a, str> {
        self.data.to_str()
    }

    /// [`last_event_id`](Self::last_event_id) as text per L1.
    #[cfg(feature = "alloc")]
    pub fn last_event_id_str(&self) -> alloc::borrow::Cow<'a, str> {
        crate::text::lossy(self.last_event_id)
    }

    /// An owned copy with its values as text per L1 (feature `alloc`).
    #[cfg(feature = "alloc")]
    pub fn into_owned(self) -> OwnedEvent {
        OwnedEvent {
            event_type: owned_event_type(self.event_type_str()),
            data: self.data_str().into_owned(),
            last_event_id: self.last_event_id_str().into_owned(),
        }
    }
}

/// An event that owns its values, as text per L1 (feature `alloc`): what
/// [`Event::into_owned`] makes, to keep or to send to another task.
///
/// ```
/// use sse_wire::decode::{PushDecoder, Item, OwnedEvent};
///
/// let mut decoder = PushDecoder::new();
/// decoder.push(b"id: 7\ndata: a\ndata: b\n\n");
/// let Some(Ok(Item::Event(event))) = decoder.next_item() else { panic!() };
/// let owned: OwnedEvent = event.into_owned();
/// std::thread::spawn(move || assert_eq!(owned.data(), "a\nb")).join().unwrap();
/// ```
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnedEvent {
    /// `None` for `message` (D5, D6), which then costs no allocation.
    event_type: Option<alloc::string::String>,
    data: alloc::string::String,
    last_event_id: alloc::string::String,
}

#[cfg(feature = "alloc")]
impl OwnedEvent {
    /// An event with these values; an empty event type reads as `message`
    /// (D5, D6).
    pub fn new(
        event_type: impl Into<alloc::string::String>,
        data: impl Into<alloc::string::String>,
        last_event_id: impl Into<alloc::string::String>,
    ) -> Self {
        OwnedEvent {
            event_type: owned_event_type(event_type.into()),
            data: data.into(),
            last_event_id: last_event_id.into(),
        }
    }

    /// The event type; `message` when the stream gave none (D5, D6).
    #[inline]
    pub fn event_type(&self) -> &str {
        self.event_type.as_deref().unwrap_or("message")
    }

    /// The data (D3).
    #[inline]
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The last event ID string at dispatch (D1).
    #[inline]
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The data, by value.
    pub fn into_data(self) -> alloc::string::String {
        self.data
    }
}

/// An owned event type: `None` for `message`, however it was spelled
/// (empty, or `message` itself), so that equal events compare equal.
#[cfg(feature = "alloc")]
fn owned_event_type<T>(event_type: T) -> Option<alloc::string::String>
where
    T: AsRef<str> + Into<alloc::string::String>,
{
    match event_type.as_ref() {
        "" | "message" => None,
        _ => Some(event_type.into()),
    }
}

/// An [`Item`] that owns its values (feature `alloc`).
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OwnedItem {
    /// An event was dispatched.
    Event(OwnedEvent),
    /// A valid `retry` field (F4).
    Retry(Duration),
    /// A comment (L5b), when reported.
    Comment(alloc::string::String),
}

impl fmt::Debug for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("event_type", &Lossy(self.event_type()))
            .field("data", &self.data)
            .field("last_event_id", &Lossy(self.last_event_id))
            .finish()
    }
}

/// An event's data: the values of its `data` lines joined with LF.
///
/// Data from one line is a slice of the input ([`single_line`](Self::single_line));
/// data from several lines is read through [`lines`](Self::lines), or taken
/// joined ([`to_str`](Self::to_str), [`to_bytes`](Self::to_bytes),
/// [`copy_to`](Self::copy_to)). Once data of several lines has been asked
/// for joined, the decoder joins such data as it reads it, into memory it
/// keeps for the next event (see [`LastEventId`](super::LastEventId)), and
/// lends it from there; reading the lines copies nothing.
#[derive(Clone, Copy)]
pub struct Data<'a> {
    /// The first line's value.
    pub(crate) first: &'a [u8],
    /// The input from the first `data` line through the last one.
    pub(crate) block: &'a [u8],
    pub(crate) lines: usize,
    pub(crate) len: usize,
    /// The whole input buffer, when it is text: values are then lent as
    /// `&str` slices of it, with nothing left to check.
    pub(crate) text: Option<&'a str>,
    /// Where the decoder's store joins data of several lines as it reads
    /// them, if it does; read only when there are several lines.
    #[cfg(feature = "alloc")]
    pub(crate) joined: Option<&'a super::joined::Joined>,
}

impl<'a> Data<'a> {
    /// `value`, a slice of the input buffer, as a slice of the text it is
    /// when the buffer is text. Values start and end next to ASCII bytes
    /// (line ends, `:`, space) or at the buffer's ends, so they are always
    /// on character boundaries; `get` checks that in two comparisons.
    #[inline]
    pub(crate) fn text_of(&self, value: &'a [u8]) -> Option<&'a str> {
        let text = self.text?;
        let start = (value.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        text.get(start..start.checked_add(value.len())?)
    }

    /// The data as one `&str`, when it came from one line and the input
    /// buffer is text (the push layer, [`Decoder::decode_str`](super::Decoder::decode_str)):
    /// no copy and no check. Needs no allocator.
    #[inline]
    pub fn single_line_str(&self) -> Option<&'a str> {
        self.text_of(self.single_line()?)
    }

    /// The length in bytes, LFs between lines included.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the data is empty (an event from a lone `data` line is).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many `data` lines the event had.
    pub fn line_count(&self) -> usize {
        self.lines
    }

    /// The data as one slice of the input, when it came from one line.
    #[inline]
    pub fn single_line(&self) -> Option<&'a [u8]> {
        (self.lines == 1).then_some(self.first)
    }

    /// The values of the `data` lines, in order.
    pub fn lines(&self) -> DataLines<'a> {
        DataLines {
            first: Some(self.first),
            rest: self.block,
            remaining: self.lines,
        }
    }

    /// Copies the joined data into `out`, returning its length.
    pub fn copy_to(&self, out: &mut [u8]) -> Result<usize, BufferTooSmall> {
        let out = out
            .get_mut(..self.len)
            .ok_or(BufferTooSmall { needed: self.len })?;
        let mut at = 0;
        for (i, line) in self.lines().enumerate() {
            // The lengths add up unless the caller changed the buffer under
            // the decoder; then stop short rather than panic.
            let sep = usize::from(i > 0);
            let Some(dest) = out.get_mut(at..at + sep + line.len()) else {
                break;
            };
            dest[..sep].fill(b'\n');
            dest[sep..].copy_from_slice(line);
            at += sep + line.len();
        }
        Ok(at)
    }

    /// The joined data: borrowed when it came from one line, or from several
    /// lines that the decoder joined as it read them (once joined data has
    /// been asked for, see [`LastEventId`](super::LastEventId)).
    #[cfg(feature = "alloc")]
    pub fn to_bytes(&self) -> alloc::borrow::Cow<'a, [u8]> {
        use alloc::borrow::Cow;
        // An event has at least one line: not one means several.
        match self.single_line().or_else(|| self.joined_bytes()) {
            Some(data) => Cow::Borrowed(data),
            None => {
                let mut joined = alloc::vec![0; self.len];
                let len = self.copy_to(&mut joined).unwrap_or(0);
                joined.truncate(len);
                Cow::Owned(joined)
            }
        }
    }

    /// The joined data as text per L1: borrowed when it came from one line
    /// of valid UTF-8, or from several lines of valid UTF-8 that the
    /// decoder joined as it read them. It does that from the event after
    /// the first one whose data of several lines was asked for joined (this
    /// method, [`to_bytes`](Self::to_bytes)); that first one is built from
    /// its lines into a new `String`.
    ///
    /// Data of one line from a text buffer is lent with nothing to check
    /// (the buffer was checked once, as it arrived). Other data is checked
    /// as UTF-8 here (with SIMD under feature `simd-utf8`), joined data
    /// once for the whole event, and replaced only when that fails.
    ///
    /// ```
    /// use sse_wire::decode::{Decoder, Item, Status};
    /// use std::borrow::Cow;
    ///
    /// let mut decoder = Decoder::new();
    /// let buf = "data: a\ndata: b\n\ndata: c\ndata: d\n\n";
    /// let mut texts = Vec::new();
    /// while let Ok(Status::Complete(Item::Event(event))) = decoder.decode_str(buf) {
    ///     let text = event.data().to_str();
    ///     texts.push((matches!(text, Cow::Borrowed(_)), text.into_owned()));
    /// }
    /// // Built the first time, lent from then on.
    /// assert_eq!(texts, [(false, "a\nb".to_string()), (true, "c\nd".to_string())]);
    /// ```
    #[cfg(feature = "alloc")]
    #[inline]
    pub fn to_str(&self) -> alloc::borrow::Cow<'a, str> {
        match self.single_line_str() {
            Some(text) => alloc::borrow::Cow::Borrowed(text),
            None => self.checked_text(),
        }
    }

    /// [`to_str`](Self::to_str) for data that is not one line of a text
    /// buffer: kept out of line, so that the common case above inlines into
    /// the caller's loop as a few instructions.
    #[cfg(feature = "alloc")]
    #[inline(never)]
    fn checked_text(&self) -> alloc::borrow::Cow<'a, str> {
        if self.lines == 1 {
            return crate::text::lossy(self.first);
        }
        // Joined data is checked once for the whole event, which costs less
        // than a check of each value as it is joined. Even a text buffer's
        // values are checked again: a `String` has no room past its text to
        // copy whole blocks into, so they are joined as bytes (see
        // `Joined`). Where they are not UTF-8, replacing in the whole gives
        // what replacing line by line would: no ill-formed sequence runs
        // across a LF.
        match self.joined_bytes() {
            Some(bytes) => crate::text::lossy(bytes),
            None => alloc::borrow::Cow::Owned(self.joined_string()),
        }
    }

    /// The data of several lines as the decoder's store joined them while
    /// reading, if it did. If it does not yet, it will from the next event
    /// on: this caller wants data as one value.
    #[cfg(feature = "alloc")]
    #[inline]
    fn joined_bytes(&self) -> Option<&'a [u8]> {
        let joined = self.joined?;
        let bytes = joined.bytes();
        if bytes.is_none() {
            joined.want();
        }
        bytes
    }

    /// The data of several lines joined, as text. The block is read again
    /// for its `data` lines, its line ends found 64 bytes at a time as the
    /// decoder found them, rather than with a search per line.
    #[cfg(feature = "alloc")]
    fn joined_string(&self) -> alloc::string::String {
        let mut joined = alloc::string::String::with_capacity(self.len);
        let push = |joined: &mut alloc::string::String, value: &'a [u8]| match self.text_of(value) {
            Some(text) => joined.push_str(text),
            None => joined.push_str(&crate::text::lossy(value)),
        };
        // The block starts with the first line's value; the lines after it
        // are whole, up to the last value.
        let block = self.block;
        push(&mut joined, self.first);
        let mut line_ends = crate::line_ends::LineEnds::new();
        let mut start = self.first.len();
        let mut found = 1;
        while found < self.lines && start < block.len() {
            // L3: CRLF is one line end.
            start += 1 + usize::from(block[start..].starts_with(b"\r\n"));
            let end = line_ends.find_from(block, start).unwrap_or(block.len());
            if let Line::Data(value) = interpret(&block[start..end]) {
                joined.push('\n');
                push(&mut joined, value);
                found += 1;
            }
            start = end;
        }
        joined
    }
}

impl PartialEq for Data<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self
                .lines()
                .flat_map(|l| l.iter().chain(b"\n"))
                .eq(other.lines().flat_map(|l| l.iter().chain(b"\n")))
    }
}

impl Eq for Data<'_> {}

impl PartialEq<[u8]> for Data<'_> {
    fn eq(&self, other: &[u8]) -> bool {
        self.len == other.len()
            && self
                .lines()
                .flat_map(|l| l.iter().chain(b"\n"))
                .zip(other.iter().chain(b"\n"))
                .all(|(a, b)| a == b)
    }
}

impl PartialEq<&[u8]> for Data<'_> {
    fn eq(&self, other: &&[u8]) -> bool {
        *self == **other
    }
}

/// The joined data as text per L1.
impl fmt::Display for Data<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            fmt::Display::fmt(&Lossy(line), f)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Data<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.lines().map(Lossy)).finish()
    }
}

/// The values of an event's `data` lines. See [`Data::lines`].
#[derive(Debug, Clone)]
pub struct DataLines<'a> {
    first: Option<&'a [u8]>,
    rest: &'a [u8],
    remaining: usize,
}

impl<'a> Iterator for DataLines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        if let Some(first) = self.first.take() {
            // Skip the first line in `rest` too; it is a `data` line.
            self.advance();
            return Some(first);
        }
        // Lines between the first and last `data` line were read once by the
        // decoder already; reading them again finds the same `data` lines.
        while !self.rest.is_empty() {
            let line = self.advance();
            if let Line::Data(value) = interpret(line) {
                return Some(value);
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for DataLines<'_> {}

impl<'a> DataLines<'a> {
    /// Splits the next line (L3) off `rest`.
    fn advance(&mut self) -> &'a [u8] {
        let (line, rest) = split_line(self.rest);
        self.rest = rest;
        line
    }
}
