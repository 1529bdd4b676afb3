//! Decoder limits and options.

/// The default for [`Config::max_line_len`]: 1 MiB.
pub const DEFAULT_MAX_LINE_LEN: usize = 1 << 20;
/// The default for [`Config::max_event_size`]: 1 MiB.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 1 << 20;

/// How a decoder bounds its memory and what it reports.
///
/// The specification sets no limits, but a decoder facing the network needs
/// them. Both limits count raw input bytes: a line's length excludes its line
/// end; an event's size runs from the start of the first line the pending
/// event keeps (a `data`, `event` or `id` line) to the end of the current
/// line, line ends in between included. Comments and other lines outside an
/// event are never kept, so a stream of them never accumulates.
///
/// ```
/// use sse_wire::decode::Config;
/// let config = Config::new().max_line_len(64 * 1024).max_event_size(256 * 1024).comments(true);
/// assert_eq!(config.get_max_line_len(), 64 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub(crate) max_line_len: usize,
    pub(crate) max_event_size: usize,
    pub(crate) comments: bool,
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

    /// The configured line limit.
    pub const fn get_max_line_len(&self) -> usize {
        self.max_line_len
    }

    /// The configured event limit.
    pub const fn get_max_event_size(&self) -> usize {
        self.max_event_size
    }

    /// Whether comments are reported.
    pub const fn get_comments(&self) -> bool {
        self.comments
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}
