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
/// Most servers number their events: [`from_u64`](Self::from_u64) (or
/// `From<u64>`) writes the number's digits into the ID itself, with no
/// string to keep alive and nothing to check.
///
/// ```
/// use sse_wire::encode::EventId;
/// assert!(EventId::new("42").is_ok());
/// assert!(EventId::new("4\02").is_err());
/// assert_eq!(EventId::from_u64(42), EventId::new("42").unwrap());
/// assert_eq!(EventId::from(u64::MAX).as_str(), "18446744073709551615");
/// ```
#[derive(Clone, Copy)]
pub struct EventId<'a>(IdRepr<'a>);

#[derive(Clone, Copy)]
enum IdRepr<'a> {
    Str(&'a str),
    /// The decimal digits of a number, right-aligned: `digits[start..]`.
    Number {
        digits: [u8; 20],
        start: u8,
    },
}

impl<'a> EventId<'a> {
    /// Checks `value`.
    pub const fn new(value: &'a str) -> Result<Self, InvalidValue> {
        match find_invalid(value, true) {
            None => Ok(EventId(IdRepr::Str(value))),
            Some(e) => Err(e),
        }
    }

    /// For literals. Panics (at compile time in a `const`) on CR, LF or NUL.
    pub const fn from_static(value: &'static str) -> EventId<'static> {
        match find_invalid(value, true) {
            None => EventId(IdRepr::Str(value)),
            Some(_) => panic!("event ID holds CR, LF or NUL"),
        }
    }

    /// The decimal digits of `number`; cannot fail.
    pub const fn from_u64(number: u64) -> EventId<'static> {
        let mut digits = [b'0'; 20];
        let mut start = digits.len();
        let mut rest = number;
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        EventId(IdRepr::Number {
            digits,
            start: start as u8,
        })
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            IdRepr::Str(value) => value,
            // Only ASCII digits are ever written there.
            IdRepr::Number { digits, start } => {
                core::str::from_utf8(&digits[usize::from(*start)..]).unwrap_or_default()
            }
        }
    }
}

impl From<u64> for EventId<'static> {
    fn from(number: u64) -> Self {
        EventId::from_u64(number)
    }
}

impl PartialEq for EventId<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for EventId<'_> {}

impl core::hash::Hash for EventId<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for EventId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EventId").field(&self.as_str()).finish()
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
