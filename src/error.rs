//! The decoder's one error: a configured limit was exceeded.

use core::fmt;

/// Which limit an input broke. See [`Config`](crate::decode::Config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A line was longer than [`Config::max_line_len`](crate::decode::Config::max_line_len).
    LineTooLong,
    /// The lines of one event took more than
    /// [`Config::max_event_size`](crate::decode::Config::max_event_size) bytes.
    EventTooLarge,
    /// An `id` value did not fit the decoder's last event ID store (only the
    /// fixed-capacity [`InlineId`](crate::decode::InlineId) has such a limit).
    IdTooLong,
    /// The buffer given to [`Decoder::decode`](crate::decode::Decoder::decode)
    /// was shorter than what the decoder had already read: the caller dropped
    /// bytes that [`release`](crate::decode::Decoder::release) had not given up.
    BufferShrank,
}

/// A limit was exceeded while decoding.
///
/// This is the only error a decoder returns: invalid UTF-8, unknown fields and
/// every other oddity are handled the way the specification says. After an
/// error the decoder discards the event it was reading, skips input up to the
/// next blank line and goes on; events it produced before are unaffected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    limit: usize,
}

impl Error {
    pub(crate) const fn new(kind: ErrorKind, limit: usize) -> Self {
        Error { kind, limit }
    }

    /// The limit that was exceeded.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The value of that limit, in bytes.
    pub const fn limit(&self) -> usize {
        self.limit
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::LineTooLong => "line longer than",
            ErrorKind::EventTooLarge => "event larger than",
            ErrorKind::IdTooLong => "last event ID longer than",
            ErrorKind::BufferShrank => "input buffer shrank below the bytes already read,",
        };
        write!(
            f,
            "event stream: {what} {} bytes; event discarded",
            self.limit
        )
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// An output buffer was too small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BufferTooSmall {
    /// How many bytes were needed.
    pub needed: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "output buffer too small: {} bytes needed", self.needed)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for BufferTooSmall {}
