//! Validated values for the `event` and `id` fields.

use core::fmt;

/// Why a value cannot be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvalidValue {
    byte: u8,
    at: usize,
}

impl InvalidValue {
    /// The offending byte: CR, LF or (in an id) NUL.
    pub const fn byte(&self) -> u8 {
        self.byte
    }

    /// Its offset in the value.
    pub const fn at(&self) -> usize {
        self.at
    }
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.byte {
            b'\r' => "a CR",
            b'\n' => "a LF",
            _ => "a NUL",
        };
        write!(
            f,
            "event stream: value holds {what} at byte {}, which would break the line",
            self.at
        )
    }
}

#[cfg(feature = "std")]
impl std::error::Error for InvalidValue {}

/// The first byte of `value` that is CR, LF, or NUL when `nul` is set.
const fn find_invalid(value: &str, nul: bool) -> Option<InvalidValue> {
    let bytes = value.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'\r' || byte == b'\n' || (nul && byte == 0) {
            return Some(InvalidValue { byte, at });
        }
        at += 1;
    }
    None
}

/// An event type that can be written as one `event` line: no CR or LF.
///
/// ```
/// use sse_wire::encode::EventType;
/// const UPDATE: EventType<'static> = EventType::from_static("update");
/// assert!(EventType::new("a\nb").is_err());
/// assert_eq!(UPDATE.as_str(), "update");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventType<'a>(&'a str);

impl<'a> EventType<'a> {
    /// Checks `value`.
    pub const fn new(value: &'a str) -> Result<Self, InvalidValue> {
        match find_invalid(value, false) {
            None => Ok(EventType(value)),
            Some(e) => Err(e),
        }
    }

    /// For literals. Panics (at compile time in a `const`) on CR or LF.
    pub const fn from_static(value: &'static str) -> EventType<'static> {
        match find_invalid(value, false) {
            None => EventType(value),
            Some(_) => panic!("event type holds CR or LF"),
        }
    }

    /// The value.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

/// An event ID that can be written as one `id` line: no CR, LF or NUL (a
/// decoder ignores an `id` holding NUL, F3). An empty ID resets the
/// client's last event ID.
///
/// ```
/// use sse_wire::encode::EventId;
/// assert!(EventId::new("42").is_ok());
/// assert!(EventId::new("4\02").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventId<'a>(&'a str);

impl<'a> EventId<'a> {
    /// Checks `value`.
    pub const fn new(value: &'a str) -> Result<Self, InvalidValue> {
        match find_invalid(value, true) {
            None => Ok(EventId(value)),
            Some(e) => Err(e),
        }
    }

    /// For literals. Panics (at compile time in a `const`) on CR, LF or NUL.
    pub const fn from_static(value: &'static str) -> EventId<'static> {
        match find_invalid(value, true) {
            None => EventId(value),
            Some(_) => panic!("event ID holds CR, LF or NUL"),
        }
    }

    /// The value.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

impl<'a> TryFrom<&'a str> for EventType<'a> {
    type Error = InvalidValue;
    fn try_from(value: &'a str) -> Result<Self, InvalidValue> {
        EventType::new(value)
    }
}

impl<'a> TryFrom<&'a str> for EventId<'a> {
    type Error = InvalidValue;
    fn try_from(value: &'a str) -> Result<Self, InvalidValue> {
        EventId::new(value)
    }
}
