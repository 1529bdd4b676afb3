//! Checking a stream against the grammar authors must follow (G1–G7).
//!
//! Decoders accept any bytes; this is for the other side: to check what a
//! server writes (this crate's encoder is tested against it) or a captured
//! stream. It is the ABNF of RULES.md §1, transliterated with `nom`
//! (feature `grammar`, on by default).
//!
//! Two checks, for two kinds of capture:
//!
//! * [`check`]: a whole stream, the ABNF's letter. It must end at the end of
//!   an event, so a stream cut anywhere else fails, even after a heartbeat
//!   (`:\n`) or the padding, which are comment lines without the blank line
//!   that would end an event.
//! * [`check_prefix`]: a stream that may go on, as a live capture always
//!   does. It fails only for what no continuation could fix: bytes that are
//!   not UTF-8. An incomplete character at the very end may be completed.

use core::fmt;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while1};
use nom::combinator::{opt, value};
use nom::multi::many0_count;
use nom::{IResult, Parser};

/// Why a stream does not conform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GrammarError {
    offset: usize,
    kind: GrammarErrorKind,
}

/// What is wrong at [`GrammarError::offset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GrammarErrorKind {
    /// G6: the bytes are not UTF-8.
    InvalidUtf8,
    /// G2: the stream ends inside the event starting here: a line without
    /// its line end, or fields without the blank line that ends the event.
    UnterminatedEvent,
}

impl GrammarError {
    /// The byte offset of the problem.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The problem.
    pub const fn kind(&self) -> GrammarErrorKind {
        self.kind
    }
}

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            GrammarErrorKind::InvalidUtf8 => "invalid UTF-8",
            GrammarErrorKind::UnterminatedEvent => "event without its blank line",
        };
        write!(f, "event stream: {what} at byte {}", self.offset)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for GrammarError {}

/// Checks that `stream` is a conforming `text/event-stream`: UTF-8 (G6), an
/// optional BOM (G1), then whole events (G2), each of comment (G3) and field
/// (G4) lines ended by CRLF, CR or LF (G5, G7) and a blank line.
///
/// ```
/// use sse_wire::grammar::{check, GrammarErrorKind};
/// assert!(check(b"\xEF\xBB\xBFdata: a\r\n: c\revent\n\n").is_ok());
/// assert_eq!(check(b"data: a\n\ndata: b\n").unwrap_err().offset(), 9);
/// assert_eq!(check(b"data: \xFF\n\n").unwrap_err().kind(), GrammarErrorKind::InvalidUtf8);
/// ```
pub fn check(stream: &[u8]) -> Result<(), GrammarError> {
    let text = core::str::from_utf8(stream).map_err(|e| GrammarError {
        offset: e.valid_up_to(),
        kind: GrammarErrorKind::InvalidUtf8,
    })?;
    // stream = [ bom ] *event
    let mut rest = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    while !rest.is_empty() {
        match event(rest) {
            Ok((after, ())) => rest = after,
            Err(_) => {
                return Err(GrammarError {
                    offset: text.len() - rest.len(),
                    kind: GrammarErrorKind::UnterminatedEvent,
                })
            }
        }
    }
    Ok(())
}

/// Checks that `stream` can begin a conforming `text/event-stream`: some
/// continuation makes it pass [`check`]. Every sequence of lines is a
/// sequence of comments and fields (G3, G4), and any text can end a line or
/// an event later, so the only thing a prefix can get wrong is G6: bytes
/// that are not UTF-8. A character cut by the end of the capture is fine.
///
/// ```
/// use sse_wire::grammar::{check, check_prefix};
/// let live = b"data: a\n\n:\n"; // ends after a heartbeat
/// assert!(check(live).is_err());
/// assert!(check_prefix(live).is_ok());
/// assert!(check_prefix(b"data: \xE2\x82").is_ok()); // a cut character
/// assert!(check_prefix(b"data: \xFF").is_err());
/// ```
pub fn check_prefix(stream: &[u8]) -> Result<(), GrammarError> {
    match core::str::from_utf8(stream) {
        Ok(_) => Ok(()),
        Err(e) if e.error_len().is_none() => Ok(()),
        Err(e) => Err(GrammarError {
            offset: e.valid_up_to(),
            kind: GrammarErrorKind::InvalidUtf8,
        }),
    }
}

type Parsed<'a> = IResult<&'a str, ()>;

/// event = *( comment / field ) end-of-line
fn event(input: &str) -> Parsed<'_> {
    value((), (many0_count(alt((comment, field))), end_of_line)).parse(input)
}

/// comment = colon *any-char end-of-line
fn comment(input: &str) -> Parsed<'_> {
    value((), (tag(":"), any_chars, end_of_line)).parse(input)
}

/// field = 1*name-char [ colon [ space ] *any-char ] end-of-line
///
/// The optional space is itself an any-char, so `colon *any-char` covers it.
fn field(input: &str) -> Parsed<'_> {
    let name = take_while1(|c| !matches!(c, '\r' | '\n' | ':'));
    value((), (name, opt((tag(":"), any_chars)), end_of_line)).parse(input)
}

/// *any-char: anything up to a CR or LF.
fn any_chars(input: &str) -> IResult<&str, &str> {
    take_till(|c| c == '\r' || c == '\n').parse(input)
}

/// end-of-line = ( cr lf / cr / lf )
fn end_of_line(input: &str) -> Parsed<'_> {
    value((), alt((tag("\r\n"), tag("\r"), tag("\n")))).parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conforming() {
        for ok in [
            &b""[..],
            b"\xEF\xBB\xBF",
            b"\n",
            b"data\n\n",
            b"data:\r\n\r\n",
            b": only a comment\n\n",
            b"id: 1\revent: e\rdata: \xE2\x82\xAC\r\r",
            b"data : x\n\xEF\xBB\xBFdata\n\n",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn a_prefix_is_checked_for_utf8_only() {
        for ok in [
            &b""[..],
            b"data: x",
            b"data: x\n",
            b"\n\n:",
            b":\n",
            b"\xEF\xBB",
            b"id: \xF0\x9F\x98",
        ] {
            assert_eq!(check_prefix(ok), Ok(()), "{ok:?}");
        }
        assert_eq!(
            check_prefix(b"data: ok\n\ndata: \xC0\xAF\n"),
            Err(GrammarError {
                offset: 16,
                kind: GrammarErrorKind::InvalidUtf8
            })
        );
        // A cut character is fine at the end only.
        assert!(check_prefix(b"\xE2\x82\n").is_err());
    }

    #[test]
    fn not_conforming() {
        let unterminated = |offset| {
            Err(GrammarError {
                offset,
                kind: GrammarErrorKind::UnterminatedEvent,
            })
        };
        assert_eq!(check(b"data: x"), unterminated(0));
        assert_eq!(check(b"data: x\n"), unterminated(0));
        assert_eq!(check(b"\xEF\xBB\xBFdata: x\n"), unterminated(3));
        assert_eq!(check(b"\n\n:"), unterminated(2));
        assert_eq!(
            check(b"data: \xC0\xAF\n\n"),
            Err(GrammarError {
                offset: 6,
                kind: GrammarErrorKind::InvalidUtf8
            })
        );
    }
}
