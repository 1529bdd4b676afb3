//! Decoder limits and options.

use crate::{Error, ErrorKind};

/// The default for [`Config::max_line_len`]: 1 MiB.
pub const DEFAULT_MAX_LINE_LEN: usize = 1 << 20;
/// The default for [`Config::max_event_size`]: 1 MiB.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 1 << 20;

/// How a decoder bounds its memory and what it reports.
///
/// The specification sets no limits, but a decoder facing the network needs
/// them. Both limits count input bytes (the push layer counts the bytes of
/// the text it holds, which differ only where the input is not UTF-8: see
/// [`PushDecoder`](super::PushDecoder)): a line's length excludes its line
/// end; an event's size runs from the start of the first line the pending
/// event keeps (a `data`, `event` or `id` line) to the end of the current
/// line, line ends in between included. Comments and other lines outside an
/// event count only towards the line limit and are never kept, so a stream
/// of them never accumulates.
///
/// When one line breaks both limits, the one it breaks first, reading byte
/// by byte, is reported (the line limit on a tie), so the report does not
/// depend on how the input was chunked. One exception: with
/// `max_event_size` below `max_line_len`, a `data`, `event` or `id` line
/// that starts an event and breaks both may be reported as too long a line
/// when it arrives in pieces, and as too large an event when it arrives
/// whole.
///
/// Set it with the builder methods; read it through its fields, which have
/// the same names. More options may come, so it is built from
/// [`Config::new`], never from a struct literal.
///
/// ```
/// use sse_wire::decode::Config;
/// let config = Config::new().max_line_len(64 * 1024).max_event_size(256 * 1024).comments(true);
/// assert_eq!(config.max_line_len, 64 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The longest line accepted, in bytes, not counting its line end.
    pub max_line_len: usize,
    /// The most bytes one event may span (see the type's docs).
    pub max_event_size: usize,
    /// Whether comment lines (L5b) are reported as items.
    pub comments: bool,
}

impl Config {
    /// The defaults: 1 MiB limits, comments not reported.
    pub const fn new() -> Self {
        Config {
            max_line_len: DEFAULT_MAX_LINE_LEN,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            comments: false,
        }
    }

    /// The longest line accepted, in bytes, not counting its line end.
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// The most bytes one event may span (see the type's docs).
    pub const fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes;
        self
    }

    /// Whether to report comment lines (L5b) as items, for example to watch
    /// a server's heartbeat. They never affect dispatch.
    pub const fn comments(mut self, report: bool) -> Self {
        self.comments = report;
        self
    }
}

impl Config {
    /// A cheap test that a line of `line_len` bytes breaks no limit, as if
    /// the event kept it and so spanned `event_len` bytes. It almost always
    /// passes; when it fails, [`exceeded`](Self::exceeded) decides.
    #[inline]
    pub(crate) fn surely_within(&self, line_len: usize, event_len: usize) -> bool {
        line_len <= self.max_line_len && event_len <= self.max_event_size
    }

    /// Which limit, if any, is broken by a line from `line_start` to `end`
    /// in an event kept from `event_start` (positions in one frame).
    pub(crate) fn exceeded(
        &self,
        line_start: usize,
        end: usize,
        event_start: Option<usize>,
    ) -> Option<Error> {
        // The first byte past each limit, where it is past.
        let line_over = line_start.saturating_add(self.max_line_len);
        let line_over = (end > line_over).then_some(line_over);
        let event_over = event_start
            .map(|start| start.saturating_add(self.max_event_size))
            .filter(|&over| end > over);
        match (line_over, event_over) {
            (Some(line), Some(event)) if event < line => {
                Some(Error::new(ErrorKind::EventTooLarge, self.max_event_size))
            }
            (Some(_), _) => Some(Error::new(ErrorKind::LineTooLong, self.max_line_len)),
            (None, Some(_)) => Some(Error::new(ErrorKind::EventTooLarge, self.max_event_size)),
            (None, None) => None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}
