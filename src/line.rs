//! Finding lines (L3) and reading one line's field (L5, F1–F5).
//!
//! Everything here works on bytes. That is exact, not an approximation of
//! L1: CR, LF, `:`, space, NUL and the ASCII digits can never be part of an
//! ill-formed UTF-8 sequence, so splitting the raw bytes at them and decoding
//! each piece with U+FFFD replacement gives the same text as decoding the
//! whole stream first and splitting afterwards. Field names are compared as
//! bytes for the same reason: no replacement can turn into `data`.

/// L2: the UTF-8 byte order mark, stripped once at the start of a stream.
pub(crate) const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// L3: the offset of the first CR or LF in `hay`, if any. For a text
/// searched once (a data value being encoded or split into its lines); the
/// decoders read a stream's lines with [`LineEnds`](crate::line_ends).
#[inline]
pub(crate) fn find_line_end(hay: &[u8]) -> Option<usize> {
    if hay.len() < SHORT {
        // memchr's setup costs more than it saves on a few bytes.
        find_line_end_short(hay)
    } else {
        memchr::memchr2(b'\n', b'\r', hay)
    }
}

/// Below this many bytes, [`find_line_end`] scans a word at a time itself.
const SHORT: usize = 32;

/// [`find_line_end`] for a short `hay`: eight bytes at a time, the last
/// word overlapping the one before; bytewise under eight bytes.
pub(crate) fn find_line_end_short(hay: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    // A byte of `word` that is zero sets its high bit here. Bytes above the
    // first zero byte may be set falsely (by the borrow), never below it,
    // so the lowest set bit is exact.
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & (ONES << 7);
    let ends = |word: &[u8; 8]| {
        let word = u64::from_le_bytes(*word);
        zero_bytes(word ^ (ONES * u64::from(b'\n'))) | zero_bytes(word ^ (ONES * u64::from(b'\r')))
    };
    let Some(last) = hay.last_chunk::<8>() else {
        return hay.iter().position(|&b| b == b'\n' || b == b'\r');
    };
    // Every whole word before the last byte, then the last eight bytes.
    for (i, word) in hay[..hay.len() - 1].chunks_exact(8).enumerate() {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        let found = ends(&bytes);
        if found != 0 {
            return Some(8 * i + (found.trailing_zeros() / 8) as usize);
        }
    }
    // The bytes the last word shares with the words above hold no line
    // end, so its lowest set bit is still exact.
    match ends(last) {
        0 => None,
        found => Some(hay.len() - 8 + (found.trailing_zeros() / 8) as usize),
    }
}

/// What one complete line (without its line end) asks the decoder to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line<'l> {
    /// L5a: an empty line dispatches the event.
    Dispatch,
    /// L5b: a comment; the text after the `:`, one leading space removed.
    Comment(&'l [u8]),
    /// F2: append the value and a LF to the data buffer.
    Data(&'l [u8]),
    /// F1: set the event type buffer.
    EventType(&'l [u8]),
    /// F3: set the last event ID buffer (the value holds no NUL).
    Id(&'l [u8]),
    /// F4: set the reconnection time, in milliseconds.
    Retry(u64),
    /// F3 (an id with NUL), F4 (a value that is not a number) and F5
    /// (unknown field names): the line has no effect.
    Ignored,
}

impl Line<'_> {
    /// Whether the pending event keeps this line's value until dispatch, so
    /// that the line counts towards the event size limit.
    pub(crate) fn is_kept(&self) -> bool {
        matches!(self, Line::Data(_) | Line::EventType(_) | Line::Id(_))
    }
}

/// L3: splits a complete text at its first line end (CRLF, CR or LF) into
/// that line and the rest; without a line end the whole text is the line.
pub(crate) fn split_line(text: &[u8]) -> (&[u8], &[u8]) {
    match find_line_end(text) {
        None => (text, &[]),
        Some(end) => {
            let crlf = text[end] == b'\r' && text.get(end + 1) == Some(&b'\n');
            (&text[..end], &text[end + 1 + usize::from(crlf)..])
        }
    }
}

/// L5: reads one line.
// Always inlined: the caller's own handling of each kind then folds into
// the branches here (measured: not inlining it costs the `Bytes` layer 10%).
#[inline(always)]
pub(crate) fn interpret(line: &[u8]) -> Line<'_> {
    // The most common line, recognised without searching for the colon.
    if let Some(value) = line.strip_prefix(b"data:") {
        return Line::Data(strip_one_space(value));
    }
    let Some(&first) = line.first() else {
        // L5a
        return Line::Dispatch;
    };
    // The other field names a server writes, recognised the same way; what
    // follows is the general L5c/L5d split, which gives the same answers.
    match first {
        // L5b
        b':' => return Line::Comment(strip_one_space(&line[1..])),
        b'e' => {
            if let Some(value) = line.strip_prefix(b"event:") {
                return Line::EventType(strip_one_space(value));
            }
        }
        b'i' => {
            if let Some(value) = line.strip_prefix(b"id:") {
                return id(strip_one_space(value));
            }
        }
        b'r' => {
            if let Some(value) = line.strip_prefix(b"retry:") {
                return retry(strip_one_space(value));
            }
        }
        _ => {}
    }
    let (name, value) = match memchr::memchr(b':', line) {
        // L5d: no colon, so the whole line is the name and the value is
        // empty (an empty slice of the line, so that callers can locate it).
        None => (line, &line[line.len()..]),
        // L5c: split at the first colon, then drop exactly one leading space.
        Some(colon) => (&line[..colon], strip_one_space(&line[colon + 1..])),
    };
    // Names are compared exactly: no case folding, no trimming.
    match name {
        b"data" => Line::Data(value),
        b"event" => Line::EventType(value),
        b"id" => id(value),
        b"retry" => retry(value),
        _ => Line::Ignored,
    }
}

/// F3: an id holding U+0000 is ignored; the buffer keeps its value.
#[inline]
fn id(value: &[u8]) -> Line<'_> {
    // Ids are short: a plain scan beats a call into memchr.
    if value.contains(&0) {
        Line::Ignored
    } else {
        Line::Id(value)
    }
}

/// F4: a value that is not a number is ignored.
#[inline]
fn retry(value: &[u8]) -> Line<'_> {
    parse_retry(value).map_or(Line::Ignored, Line::Retry)
}

/// L5c: if the value starts with a space, remove that one space.
#[inline]
fn strip_one_space(value: &[u8]) -> &[u8] {
    value.strip_prefix(b" ").unwrap_or(value)
}

/// F4: a base-ten integer made only of ASCII digits.
///
/// An empty value is ignored (RULES §5: there is no integer to read), and so
/// is one that does not fit in a `u64` (as Chromium does). No float is
/// involved, so every value up to `u64::MAX` is exact.
pub(crate) fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |n, &b| {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l5_line_kinds() {
        assert_eq!(interpret(b""), Line::Dispatch);
        assert_eq!(interpret(b":"), Line::Comment(b""));
        assert_eq!(interpret(b": hi"), Line::Comment(b"hi"));
        assert_eq!(interpret(b"data"), Line::Data(b""));
        assert_eq!(interpret(b"data:"), Line::Data(b""));
        assert_eq!(interpret(b"data:x"), Line::Data(b"x"));
        assert_eq!(interpret(b"data: x"), Line::Data(b"x"));
        // L5c: exactly one space; later colons belong to the value.
        assert_eq!(interpret(b"data:  x: y "), Line::Data(b" x: y "));
        assert_eq!(interpret(b"data:\tx"), Line::Data(b"\tx"));
        assert_eq!(interpret(b"event: a:b"), Line::EventType(b"a:b"));
        assert_eq!(interpret(b"id"), Line::Id(b""));
        assert_eq!(interpret(b"id:"), Line::Id(b""));
        assert_eq!(interpret(b"id: 7"), Line::Id(b"7"));
        assert_eq!(interpret(b"event"), Line::EventType(b""));
        assert_eq!(interpret(b"event:x"), Line::EventType(b"x"));
        assert_eq!(interpret(b"retry"), Line::Ignored);
        assert_eq!(interpret(b"retry:5"), Line::Retry(5));
    }

    #[test]
    fn f5_names_are_exact() {
        for line in [
            &b"Data: x"[..],
            b"DATA: x",
            b" data: x",
            b"data : x",
            b"data\t: x",
            b"\xEF\xBB\xBFdata: x",
            b"\x80: x",
            // Names that share a start with a known one, shorter or longer.
            b"e: x",
            b"even: x",
            b"events: x",
            b"i: x",
            b"ide: x",
            b"idx: 1",
            b"r",
            b"retr: 5",
            b"retrying: 5",
            b"database: x",
        ] {
            assert_eq!(interpret(line), Line::Ignored, "{line:?}");
        }
    }

    #[test]
    fn f3_id_with_nul_is_ignored() {
        assert_eq!(interpret(b"id: a\0b"), Line::Ignored);
        assert_eq!(interpret(b"id: \0"), Line::Ignored);
        assert_eq!(
            interpret(b"id: a:b \xE2\x82\xAC"),
            Line::Id(b"a:b \xE2\x82\xAC")
        );
    }

    #[test]
    fn f4_retry() {
        assert_eq!(interpret(b"retry: 3000"), Line::Retry(3000));
        assert_eq!(interpret(b"retry:03000"), Line::Retry(3000));
        assert_eq!(
            interpret(b"retry: 18446744073709551615"),
            Line::Retry(u64::MAX)
        );
        for bogus in [
            &b"retry"[..],
            b"retry:",
            b"retry: ",
            b"retry:  5",
            b"retry: 5 ",
            b"retry: +5",
            b"retry: -5",
            b"retry: 5.0",
            b"retry: 1e3",
            b"retry: 0x10",
            b"retry: \xEF\xBC\x95",
            b"retry: 18446744073709551616",
            b"retry: 99999999999999999999999",
        ] {
            assert_eq!(interpret(bogus), Line::Ignored, "{bogus:?}");
        }
    }

    #[test]
    fn l3_line_ends() {
        assert_eq!(find_line_end(b"abc\ndef"), Some(3));
        assert_eq!(find_line_end(b"abc\rdef"), Some(3));
        assert_eq!(find_line_end(b"a\x0b\x0c\x1c\xc2\x85\xe2\x80\xa8\0"), None);
    }

    #[test]
    fn l3_short_search_agrees_with_memchr() {
        // Every length around the word size and the short limit, every
        // position of the line end, and the neighbours of CR and LF (0x0C,
        // 0x0E, 0x8A, 0x8D, 0xFF) that a word trick could confuse.
        for len in 0..SHORT + 25 {
            for fill in [b'x', b'd', 0x0C, 0x0E, 0x8A, 0x8D, 0xFF, 0x00, 0x0B] {
                let mut storage = [fill; SHORT + 25];
                let hay = &mut storage[..len];
                assert_eq!(find_line_end(hay), None, "{len} {fill:#x}");
                for at in 0..len {
                    for end in [b'\n', b'\r'] {
                        hay[at] = end;
                        if at + 1 < len {
                            // A second line end after the first must not win.
                            hay[len - 1] = b'\r';
                        }
                        let want = memchr::memchr2(b'\n', b'\r', hay);
                        assert_eq!(want, Some(at));
                        assert_eq!(find_line_end(hay), want, "{hay:?}");
                        hay.fill(fill);
                    }
                }
            }
        }
    }
}
