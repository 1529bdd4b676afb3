//! One event on the wire.

use super::sink::{self, Sink};
use super::{EventId, EventType};
use crate::BufferTooSmall;
use core::fmt;
use core::time::Duration;

/// An event to send: any of a comment, an event type, an ID, a reconnection
/// time and data.
///
/// Nothing a caller puts in can break the framing: the event type and ID
/// are validated types, and data or a comment holding CR, LF or CRLF is
/// written as several `data:` or `:` lines, which a decoder joins with LF.
/// An event ends with a blank line, unless it holds only a comment.
///
/// ```
/// use sse_wire::encode::{Event, EventId, EventType};
///
/// let event = Event::new()
///     .event_type(EventType::from_static("update"))
///     .id(EventId::new("7").unwrap())
///     .data("line one\nline two");
/// assert_eq!(event.to_string(), "event: update\nid: 7\ndata: line one\ndata: line two\n\n");
/// assert_eq!(event.encoded_len(), event.to_string().len());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct Event<'a> {
    comment: Option<&'a str>,
    event_type: Option<EventType<'a>>,
    id: Option<EventId<'a>>,
    retry: Option<u64>,
    data: Option<&'a str>,
}

impl<'a> Event<'a> {
    /// An empty event; it encodes to nothing until something is set.
    pub const fn new() -> Self {
        Event {
            comment: None,
            event_type: None,
            id: None,
            retry: None,
            data: None,
        }
    }

    /// Sets the data. Empty data still makes an event fire, with data `""`;
    /// an event without data sets only its ID and reconnection time.
    pub const fn data(mut self, data: &'a str) -> Self {
        self.data = Some(data);
        self
    }

    /// Sets the event type.
    pub const fn event_type(mut self, event_type: EventType<'a>) -> Self {
        self.event_type = Some(event_type);
        self
    }

    /// Sets the ID; the client's last event ID from now on.
    pub const fn id(mut self, id: EventId<'a>) -> Self {
        self.id = Some(id);
        self
    }

    /// Sets the client's reconnection time (F4), written in whole
    /// milliseconds (rounded down, saturating), as a decoder's
    /// [`Item::Retry`](crate::decode::Item::Retry) reads it back.
    pub const fn retry(mut self, time: Duration) -> Self {
        let millis = time.as_millis();
        self.retry = Some(if millis > u64::MAX as u128 {
            u64::MAX
        } else {
            millis as u64
        });
        self
    }

    /// Adds a comment, written before the fields. Clients ignore it.
    pub const fn comment(mut self, comment: &'a str) -> Self {
        self.comment = Some(comment);
        self
    }

    /// Whether an event type is set: a server that names events after
    /// their topic sets one only where the caller did not.
    pub const fn has_event_type(&self) -> bool {
        self.event_type.is_some()
    }

    /// The exact number of bytes the event encodes to.
    pub fn encoded_len(&self) -> usize {
        let mut count = sink::Count(0);
        let _ = self.write(&mut count);
        count.0
    }

    /// Writes the event into `out`, returning the number of bytes written.
    /// Nothing is written if it does not fit.
    pub fn write_to_slice(&self, out: &mut [u8]) -> Result<usize, BufferTooSmall> {
        let needed = self.encoded_len();
        let out = out.get_mut(..needed).ok_or(BufferTooSmall { needed })?;
        let mut slice = sink::Slice { out, at: 0 };
        self.write(&mut slice)
            .map_err(|_| BufferTooSmall { needed })?;
        Ok(slice.at)
    }

    /// Writes the event to any [`fmt::Write`].
    pub fn write_fmt_to<W: fmt::Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        self.write(&mut sink::Fmt(out))
    }

    /// Appends the event to `out`.
    #[cfg(feature = "alloc")]
    pub fn write_to_vec(&self, out: &mut alloc::vec::Vec<u8>) {
        // Room for the usual case of one line per value; a `Vec` grows if
        // there are more. `encoded_len` would cost a second pass.
        out.reserve(self.single_line_len());
        let _ = self.write(out);
    }

    /// The encoded event.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> alloc::vec::Vec<u8> {
        let mut out = alloc::vec::Vec::new();
        self.write_to_vec(&mut out);
        out
    }

    /// The encoded event as `Bytes` (feature `bytes`): encode an event once
    /// and hand clones of it (a reference count each, not a copy) to every
    /// connection that should get it.
    ///
    /// ```
    /// use sse_wire::encode::{Event, EventId};
    ///
    /// let frame = Event::new().id(EventId::from_u64(7)).data("hi").to_bytes();
    /// let (a, b) = (frame.clone(), frame.clone());
    /// assert_eq!(a.as_ptr(), b.as_ptr());
    /// assert_eq!(&frame[..], b"id: 7\ndata: hi\n\n");
    /// ```
    #[cfg(feature = "bytes")]
    pub fn to_bytes(&self) -> bytes::Bytes {
        let mut out = bytes::BytesMut::with_capacity(self.encoded_len());
        let _ = self.write(&mut sink::Buf(&mut out));
        out.freeze()
    }

    /// Writes the event into a [`bytes::BufMut`]. Nothing is written if it
    /// does not fit.
    #[cfg(feature = "bytes")]
    pub fn put<B: bytes::BufMut + ?Sized>(&self, out: &mut B) -> Result<(), BufferTooSmall> {
        // Only a buffer that may be too small is worth the exact count.
        if out.remaining_mut() < self.max_encoded_len() {
            let needed = self.encoded_len();
            if out.remaining_mut() < needed {
                return Err(BufferTooSmall { needed });
            }
        }
        self.write(&mut sink::Buf(out)).map_err(|_| BufferTooSmall {
            needed: self.encoded_len(),
        })
    }

    /// The encoded length if no value holds a line break.
    #[cfg(feature = "alloc")]
    fn single_line_len(&self) -> usize {
        let value = |v: Option<&str>, name: &str| v.map_or(0, |v| name.len() + 3 + v.len());
        value(self.comment, "")
            + value(self.event_type.map(|t| t.as_str()), "event")
            + value(self.id.as_ref().map(|i| i.as_str()), "id")
            + self.retry.map_or(0, |_| "retry: \n".len() + 20)
            + value(self.data, "data")
            + 1
    }

    /// An upper bound of the encoded length, without reading the values:
    /// at worst every byte of data or comment starts a line of its own.
    #[cfg(feature = "bytes")]
    fn max_encoded_len(&self) -> usize {
        let lines = |v: Option<&str>, name: &str| {
            v.map_or(0, |v| (v.len() + 1).saturating_mul(name.len() + 3))
        };
        lines(self.comment, "")
            .saturating_add(lines(self.data, "data"))
            .saturating_add(self.single_line_len())
    }

    fn write(&self, out: &mut impl Sink) -> fmt::Result {
        if let Some(comment) = self.comment {
            fields(out, "", comment)?;
        }
        if let Some(event_type) = self.event_type {
            field(out, "event", event_type.as_str())?;
        }
        if let Some(id) = self.id {
            field(out, "id", id.as_str())?;
        }
        if let Some(millis) = self.retry {
            let mut digits = [0; 20];
            field(out, "retry", decimal(millis, &mut digits))?;
        }
        if let Some(data) = self.data {
            fields(out, "data", data)?;
        }
        if self.event_type.is_some()
            || self.id.is_some()
            || self.retry.is_some()
            || self.data.is_some()
        {
            // L5a: the blank line that dispatches.
            out.put("\n")?;
        }
        Ok(())
    }
}

/// The wire format.
impl fmt::Display for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(&mut sink::Fmt(f))
    }
}

/// One `name: value` line (G4), or a comment line when `name` is empty
/// (G3).
fn field(out: &mut impl Sink, name: &str, value: &str) -> fmt::Result {
    field_start(out, name, value.is_empty())?;
    out.put(value)?;
    out.put("\n")
}

/// What comes before a value: the name and a colon, then a space unless
/// the value is empty.
fn field_start(out: &mut impl Sink, name: &str, empty_value: bool) -> fmt::Result {
    out.put(name)?;
    out.put(if empty_value { ":" } else { ": " })
}

/// One `name` field (or comment) per line of `value`, split where a
/// decoder would split it (L3): at CRLF, lone CR and LF. An empty value is
/// one empty line, and so is an empty rest after a line end.
///
/// A long value is searched for line ends a block at a time, and each
/// block is copied right after its search, while it is still in cache.
fn fields(out: &mut impl Sink, name: &str, value: &str) -> fmt::Result {
    let mut rest = value;
    loop {
        let empty = matches!(rest.as_bytes().first(), None | Some(b'\r' | b'\n'));
        field_start(out, name, empty)?;
        loop {
            let mut cut = rest.len().min(BLOCK);
            // Only ASCII CR and LF are cut out below, so every piece is a
            // `str`; a block ends at a character boundary too.
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let Some(end) = crate::line::find_line_end(&rest.as_bytes()[..cut]) else {
                out.put(&rest[..cut])?;
                rest = &rest[cut..];
                if rest.is_empty() {
                    return out.put("\n");
                }
                continue;
            };
            out.put(&rest[..end])?;
            out.put("\n")?;
            let crlf = rest.as_bytes()[end..].starts_with(b"\r\n");
            rest = &rest[end + 1 + usize::from(crlf)..];
            break;
        }
    }
}

/// How many bytes of a value [`fields`] searches and copies at a time.
const BLOCK: usize = 16 * 1024;

/// `n` in base ten.
fn decimal(mut n: u64, digits: &mut [u8; 20]) -> &str {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    core::str::from_utf8(&digits[at..]).unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::vec::Vec;

    fn data_fields(value: &str) -> std::string::String {
        let mut out = std::string::String::new();
        fields(&mut sink::Fmt(&mut out), "data", value).unwrap();
        out
    }

    #[test]
    fn fields_split_like_a_decoder() {
        assert_eq!(data_fields(""), "data:\n");
        assert_eq!(
            data_fields("a\r\nb\rc\nd"),
            "data: a\ndata: b\ndata: c\ndata: d\n"
        );
        assert_eq!(data_fields("a\n"), "data: a\ndata:\n");
        assert_eq!(data_fields("\r\r\n"), "data:\ndata:\ndata:\n");
    }

    #[test]
    fn fields_across_blocks() {
        // A value longer than a block, with a multi-byte character and a
        // CRLF each straddling a block boundary.
        let head = "x".repeat(BLOCK - 1);
        let value = std::format!("{head}\u{20AC}y\r\nz{}\r\nw", "q".repeat(BLOCK - 2));
        let lines: Vec<_> = value.split("\r\n").collect();
        assert_eq!(lines.len(), 3);
        let want: std::string::String = lines.iter().map(|l| std::format!("data: {l}\n")).collect();
        assert_eq!(data_fields(&value), want);
        // A line end exactly at a block boundary, and a value of whole blocks.
        let value = std::format!("{head}\n{head}");
        assert_eq!(
            data_fields(&value),
            std::format!("data: {head}\ndata: {head}\n")
        );
        let value = "v".repeat(2 * BLOCK);
        assert_eq!(data_fields(&value), std::format!("data: {value}\n"));
    }

    #[test]
    fn decimal_digits() {
        let mut buf = [0; 20];
        assert_eq!(decimal(0, &mut buf), "0");
        assert_eq!(decimal(3000, &mut buf), "3000");
        assert_eq!(decimal(u64::MAX, &mut buf), "18446744073709551615");
    }
}
