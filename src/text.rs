//! L1: values as text, with U+FFFD in place of ill-formed UTF-8.
//!
//! Each maximal subpart of an ill-formed sequence becomes one U+FFFD, the
//! WHATWG and Unicode practice that `String::from_utf8_lossy` also follows.
//!
//! CR, LF, `:`, space and the ASCII digits are never part of an ill-formed
//! sequence, so decoding the whole stream first (as the specification does)
//! and decoding each value on its own give the same text. The decoders use
//! both: [`Utf8Decoder`] turns a stream of chunks into text once, as it
//! arrives, so that every value of the [`PushDecoder`](crate::decode::PushDecoder)
//! is a `&str` slice with nothing left to check; values of a byte buffer are
//! checked one by one when asked for as text.

use core::fmt;

/// Displays bytes as text per L1, without allocating.
///
/// ```
/// use sse_wire::text::Lossy;
/// assert_eq!(format!("{}", Lossy(b"a\xC0\xAFb")), "a\u{FFFD}\u{FFFD}b");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Lossy<'a>(pub &'a [u8]);

impl fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Ok(text) = core::str::from_utf8(self.0) {
            return f.write_str(text);
        }
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for chunk in self.0.utf8_chunks() {
            write!(f, "{}", chunk.valid().escape_debug())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        f.write_str("\"")
    }
}

/// The bytes as text per L1: borrowed when they are valid UTF-8.
///
/// Checks the bytes first (with SIMD under feature `simd-utf8`), which runs
/// at memory speed on valid text; only ill-formed input takes the replacing
/// path.
#[cfg(feature = "alloc")]
#[inline]
pub(crate) fn lossy(bytes: &[u8]) -> alloc::borrow::Cow<'_, str> {
    match valid_utf8(bytes) {
        Some(text) => alloc::borrow::Cow::Borrowed(text),
        None => {
            alloc::borrow::Cow::Owned(alloc::string::String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

/// Decodes a stream of byte chunks as UTF-8 with U+FFFD replacement (L1),
/// however the chunks split its characters (feature `alloc`).
///
/// A character cut by a chunk boundary is held back (at most three bytes)
/// until the next chunk completes it or shows it ill-formed. Valid text is
/// checked once, a whole chunk at a time, and copied as it is.
///
/// ```
/// use sse_wire::text::Utf8Decoder;
///
/// let mut text = String::new();
/// let mut utf8 = Utf8Decoder::new();
/// utf8.push(b"caf\xC3", &mut text);
/// assert_eq!(text, "caf");
/// utf8.push(b"\xA9 \xFF!", &mut text);
/// assert_eq!(text, "café \u{FFFD}!");
/// utf8.push(b"\xE2\x82", &mut text);
/// assert!(utf8.finish(&mut text)); // an incomplete character at the end
/// assert_eq!(text, "café \u{FFFD}!\u{FFFD}");
/// ```
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, Default)]
pub struct Utf8Decoder {
    /// The start of a character cut by the end of the last chunk.
    carry: [u8; 4],
    carried: usize,
}

#[cfg(feature = "alloc")]
impl Utf8Decoder {
    /// A decoder at the start of a stream.
    pub const fn new() -> Self {
        Utf8Decoder {
            carry: [0; 4],
            carried: 0,
        }
    }

    /// `chunk` as text when it can go in as it is: nothing is held back
    /// and it is valid UTF-8 to its end. Otherwise `None`, and
    /// [`push`](Self::push) decodes it.
    #[inline]
    pub(crate) fn as_text<'c>(&self, chunk: &'c [u8]) -> Option<&'c str> {
        if self.carried > 0 {
            return None;
        }
        valid_utf8(chunk)
    }

    /// Appends `chunk` to `out` as text.
    #[inline]
    pub fn push(&mut self, chunk: &[u8], out: &mut alloc::string::String) {
        self.decode(chunk, |text| out.push_str(text));
    }

    /// Decodes `chunk`, handing its text to `emit` a piece at a time (valid
    /// runs as they are, each U+FFFD, a character completed across chunks):
    /// so that a caller can make room for each piece before it goes in.
    #[inline]
    pub(crate) fn decode(&mut self, chunk: &[u8], mut emit: impl FnMut(&str)) {
        let rest = self.complete_carry(chunk, &mut emit);
        self.decode_text(rest, &mut emit);
    }

    /// Finishes the character held back from the last chunk, if any, with
    /// the first bytes of `chunk`; returns the rest of `chunk`.
    fn complete_carry<'c>(&mut self, chunk: &'c [u8], emit: &mut impl FnMut(&str)) -> &'c [u8] {
        let mut used = 0;
        while self.carried > 0 {
            let Some(&byte) = chunk.get(used) else {
                return &chunk[used..];
            };
            self.carry[self.carried] = byte;
            match core::str::from_utf8(&self.carry[..=self.carried]) {
                Ok(c) => {
                    emit(c);
                    self.carried = 0;
                    used += 1;
                }
                // Still a prefix of a character.
                Err(e) if e.error_len().is_none() => {
                    self.carried += 1;
                    used += 1;
                }
                // `byte` cannot continue it: the held bytes are one maximal
                // subpart, and `byte` starts afresh.
                Err(_) => {
                    emit("\u{FFFD}");
                    self.carried = 0;
                }
            }
        }
        &chunk[used..]
    }

    #[inline]
    fn decode_text(&mut self, mut rest: &[u8], emit: &mut impl FnMut(&str)) {
        if let Some(text) = valid_utf8(rest) {
            return emit(text);
        }
        loop {
            match core::str::from_utf8(rest) {
                Ok(text) => return emit(text),
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    if !valid.is_empty() {
                        emit(core::str::from_utf8(valid).unwrap_or_default());
                    }
                    match e.error_len() {
                        Some(len) => {
                            emit("\u{FFFD}");
                            rest = &after[len..];
                        }
                        None => {
                            // A character cut by the end of the chunk: at
                            // most three bytes.
                            self.carried = after.len();
                            self.carry[..after.len()].copy_from_slice(after);
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Ends the stream: an incomplete character held back becomes one
    /// U+FFFD. Returns whether there was one. The decoder is then ready for
    /// a new stream.
    pub fn finish(&mut self, out: &mut alloc::string::String) -> bool {
        let cut = self.carried > 0;
        if cut {
            out.push('\u{FFFD}');
        }
        self.carried = 0;
        cut
    }

    /// Forgets an incomplete character held back, without output: for a
    /// stream whose end is thrown away (L6 drops an incomplete line anyway),
    /// as when a client reconnects.
    pub fn reset(&mut self) {
        self.carried = 0;
    }

    /// Whether the start of a character cut by the last chunk is held back.
    pub fn is_holding(&self) -> bool {
        self.carried > 0
    }
}

/// `bytes` as text if they are valid UTF-8, checked as fast as this build
/// can; where the error lies is `str::from_utf8`'s to say.
#[cfg(feature = "alloc")]
#[inline]
pub(crate) fn valid_utf8(bytes: &[u8]) -> Option<&str> {
    #[cfg(feature = "simd-utf8")]
    let text = simdutf8::basic::from_utf8(bytes).ok();
    #[cfg(not(feature = "simd-utf8"))]
    let text = core::str::from_utf8(bytes).ok();
    text
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    /// Every split of each input into two and three chunks gives what
    /// `String::from_utf8_lossy` gives for the whole.
    #[test]
    fn utf8_decoder_equals_lossy_at_every_split() {
        let inputs: [&[u8]; 8] = [
            b"plain ascii",
            "h\u{e9}llo \u{20ac} \u{1F600}".as_bytes(),
            b"a\xC0\xAFb",
            b"\xE2\x82\x41",
            b"\xF0\x9F\x98",
            b"\xED\xA0\x80x",
            b"\xF4\x90\x80\x80",
            b"\xEF\xBB\xBFdata: \xE2\x82\xAC\xFF\xC3\n",
        ];
        for input in inputs {
            let expected = String::from_utf8_lossy(input);
            for i in 0..=input.len() {
                for j in i..=input.len() {
                    let mut out = String::new();
                    let mut utf8 = Utf8Decoder::new();
                    for chunk in [&input[..i], &input[i..j], &input[j..]] {
                        utf8.push(chunk, &mut out);
                    }
                    utf8.finish(&mut out);
                    assert_eq!(out, expected, "{input:?} split at {i}, {j}");
                }
            }
            // Byte by byte.
            let mut out = String::new();
            let mut utf8 = Utf8Decoder::new();
            let bytes: Vec<u8> = input.to_vec();
            for b in bytes.chunks(1) {
                utf8.push(b, &mut out);
            }
            utf8.finish(&mut out);
            assert_eq!(out, expected, "{input:?} byte by byte");
        }
    }
}
