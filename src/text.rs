//! L1: values as text, with U+FFFD in place of ill-formed UTF-8.
//!
//! Each maximal subpart of an ill-formed sequence becomes one U+FFFD, the
//! WHATWG and Unicode practice that `String::from_utf8_lossy` also follows.

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

/// The bytes as text: borrowed when they are valid UTF-8, replaced per L1
/// otherwise.
#[cfg(feature = "alloc")]
pub fn to_str_lossy(bytes: &[u8]) -> alloc::borrow::Cow<'_, str> {
    alloc::string::String::from_utf8_lossy(bytes)
}
