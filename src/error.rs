//! The decoder's errors: a configured limit was exceeded, or the caller
//! broke the buffer contract of the core decoder.

use core::fmt;

/// What went wrong. The first three are limits (see
/// [`Config`](crate::decode::Config)); [`BufferShrank`](Self::BufferShrank)
/// is a bug in the calling code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A line was longer than [`Config::max_line_len`](crate::decode::Config::max_line_len).
    LineTooLong,
    /// The lines of one event took more than
    /// [`Config::max_event_size`](crate::decode::Config::max_event_size) bytes.
    EventTooLarge,
    /// An `id` value did not fit the decoder's last event ID store. Only a
    /// fixed-capacity store has such a limit: [`InlineId`](crate::decode::InlineId),
    /// and [`LastEventId`](crate::decode::LastEventId) without feature
    /// `alloc`.
    IdTooLong,
    /// Not a limit: the buffer given to
    /// [`Decoder::decode`](crate::decode::Decoder::decode) was shorter than
    /// what the decoder had already read, so the caller dropped bytes that
    /// [`release`](crate::decode::Decoder::release) had not given up. The
    /// decoder discards the pending event and reads the buffer it was given
    /// from its start, skipping to the first blank line, so it never panics
    /// or reads out of bounds; but the calling code is wrong and should be
    /// fixed.
    BufferShrank,
}

impl ErrorKind {
    /// Whether this is a configured limit (the input's fault), rather than
    /// a misuse of the decoder (the caller's).
    pub const fn is_limit(self) -> bool {
        !matches!(self, ErrorKind::BufferShrank)
    }
}

/// A limit was exceeded while decoding, or the caller broke the core
/// decoder's buffer contract ([`ErrorKind::BufferShrank`]).
///
/// Invalid UTF-8, unknown fields and every other oddity of the input are
/// handled the way the specification says; only these stop an event. After
/// an error the decoder discards the event it was reading, skips input up to
/// the next blank line and goes on; events it produced before are unaffected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    /// The limit for a limit error; the bytes already read for
    /// `BufferShrank`.
    value: usize,
}

impl Error {
    pub(crate) const fn new(kind: ErrorKind, value: usize) -> Self {
        Error { kind, value }
    }

    /// What went wrong.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The value of the limit that was exceeded, in bytes; `None` for
    /// [`ErrorKind::BufferShrank`].
    pub const fn limit(&self) -> Option<usize> {
        if self.kind.is_limit() {
            Some(self.value)
        } else {
            None
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let limit = match self.kind {
            ErrorKind::LineTooLong => "line longer than",
            ErrorKind::EventTooLarge => "event larger than",
            ErrorKind::IdTooLong => "last event ID longer than",
            ErrorKind::BufferShrank => {
                return write!(
                    f,
                    "event stream decoder misused: the buffer is shorter than the {} bytes \
                     already read (bytes were dropped that release() had not given up); \
                     pending event discarded",
                    self.value
                )
            }
        };
        write!(
            f,
            "event stream: {limit} {} bytes; event discarded",
            self.value
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
