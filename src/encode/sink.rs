//! Where encoded text goes: one writer, several destinations.

use core::fmt;

/// A destination for encoded text. Every output path, `encoded_len`
/// included, runs the same writer over one of these, so they cannot differ.
pub(crate) trait Sink {
    fn put(&mut self, text: &str) -> fmt::Result;
}

/// Counts bytes: `encoded_len`.
pub(crate) struct Count(pub usize);

impl Sink for Count {
    fn put(&mut self, text: &str) -> fmt::Result {
        self.0 += text.len();
        Ok(())
    }
}

/// Fills a slice already known to be large enough.
pub(crate) struct Slice<'o> {
    pub out: &'o mut [u8],
    pub at: usize,
}

impl Sink for Slice<'_> {
    fn put(&mut self, text: &str) -> fmt::Result {
        let end = self.at + text.len();
        self.out
            .get_mut(self.at..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(text.as_bytes());
        self.at = end;
        Ok(())
    }
}

/// Any `fmt::Write`, a `Formatter` among them.
pub(crate) struct Fmt<'w, W: ?Sized>(pub &'w mut W);

impl<W: fmt::Write + ?Sized> Sink for Fmt<'_, W> {
    fn put(&mut self, text: &str) -> fmt::Result {
        self.0.write_str(text)
    }
}

#[cfg(feature = "alloc")]
impl Sink for alloc::vec::Vec<u8> {
    fn put(&mut self, text: &str) -> fmt::Result {
        self.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

/// Any `bytes::BufMut`.
#[cfg(feature = "bytes")]
pub(crate) struct Buf<'b, B: ?Sized>(pub &'b mut B);

#[cfg(feature = "bytes")]
impl<B: bytes::BufMut + ?Sized> Sink for Buf<'_, B> {
    fn put(&mut self, text: &str) -> fmt::Result {
        self.0.put_slice(text.as_bytes());
        Ok(())
    }
}
