//! What the borrowed decoder yields: items, events and their data.

use crate::line::{interpret, split_line, Line};
use crate::text::Lossy;
use crate::BufferTooSmall;
use core::fmt;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// An event was dispatched (D1–D8).
    Event(Event<'a>),
    /// A valid `retry` field set the reconnection time to this many
    /// milliseconds (F4). Reported when its line is read, before the event
    /// of the same block.
    Retry(u64),
    /// A comment line (L5b), the text after the `:` less one leading space.
    /// Only reported when [`Config::comments`](super::Config::comments) is on.
    Comment(&'a [u8]),
}

/// A dispatched event, borrowing the input and the decoder.
///
/// Values are bytes; the `*_str` methods (feature `alloc`) and
/// [`Lossy`] give them as text per L1.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Event<'a> {
    pub(crate) event_type: &'a [u8],
    pub(crate) data: Data<'a>,
    pub(crate) last_event_id: &'a [u8],
}

impl<'a> Event<'a> {
    /// The event type: the last `event` value of the block, or `message`
    /// when there was none or it was empty (D5, D6).
    pub fn event_type(&self) -> &'a [u8] {
        if self.event_type.is_empty() {
            b"message"
        } else {
            self.event_type
        }
    }

    /// The event's data (D3: the data buffer less its final LF).
    pub fn data(&self) -> Data<'a> {
        self.data
    }

    /// The last event ID string at dispatch (D1). It carries over from
    /// earlier events until an `id` field changes it.
    pub fn last_event_id(&self) -> &'a [u8] {
        self.last_event_id
    }

    /// [`event_type`](Self::event_type) as text per L1.
    #[cfg(feature = "alloc")]
    pub fn event_type_str(&self) -> alloc::borrow::Cow<'a, str> {
        crate::text::to_str_lossy(self.event_type())
    }

    /// [`last_event_id`](Self::last_event_id) as text per L1.
    #[cfg(feature = "alloc")]
    pub fn last_event_id_str(&self) -> alloc::borrow::Cow<'a, str> {
        crate::text::to_str_lossy(self.last_event_id)
    }
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
/// data from several lines is read through [`lines`](Self::lines), or copied
/// out joined. Nothing here allocates unless asked to.
#[derive(Clone, Copy)]
pub struct Data<'a> {
    /// The first line's value.
    pub(crate) first: &'a [u8],
    /// The input from the first `data` line through the last one.
    pub(crate) block: &'a [u8],
    pub(crate) lines: usize,
    pub(crate) len: usize,
}

impl<'a> Data<'a> {
    /// The length in bytes, LFs between lines included.
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

    /// The joined data: borrowed when it came from one line.
    #[cfg(feature = "alloc")]
    pub fn to_bytes(&self) -> alloc::borrow::Cow<'a, [u8]> {
        use alloc::borrow::Cow;
        match self.single_line() {
            Some(line) => Cow::Borrowed(line),
            None => {
                let mut joined = alloc::vec![0; self.len];
                let len = self.copy_to(&mut joined).unwrap_or(0);
                joined.truncate(len);
                Cow::Owned(joined)
            }
        }
    }

    /// The joined data as text per L1: borrowed when it came from one line
    /// of valid UTF-8.
    #[cfg(feature = "alloc")]
    pub fn to_str(&self) -> alloc::borrow::Cow<'a, str> {
        use alloc::borrow::Cow;
        match self.to_bytes() {
            Cow::Borrowed(line) => crate::text::to_str_lossy(line),
            Cow::Owned(joined) => match alloc::string::String::from_utf8(joined) {
                Ok(text) => Cow::Owned(text),
                Err(e) => Cow::Owned(crate::text::to_str_lossy(e.as_bytes()).into_owned()),
            },
        }
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
