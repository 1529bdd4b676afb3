//! Where a decoder keeps the last event ID string between events (L4, D1).

/// Storage for the last event ID string.
///
/// The borrowed [`Decoder`](super::Decoder) copies each new ID here when it
/// dispatches (D1), because the input it came from is released afterwards.
/// [`InlineId`] needs no allocator; `Vec<u8>` (feature `alloc`) has no limit
/// beyond [`Config::max_line_len`](super::Config::max_line_len).
pub trait IdStore {
    /// The stored ID.
    fn as_bytes(&self) -> &[u8];
    /// The longest ID this store can hold.
    fn capacity(&self) -> usize;
    /// Replaces the stored ID. `id.len()` is at most [`capacity`](Self::capacity).
    fn replace(&mut self, id: &[u8]);
}

/// A last event ID of at most `N` bytes, stored inline.
///
/// An `id` field longer than `N` is a [`ErrorKind::IdTooLong`](crate::ErrorKind::IdTooLong)
/// error: the decoder discards that event rather than keep a truncated ID.
#[derive(Clone, Copy)]
pub struct InlineId<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> InlineId<N> {
    /// An empty ID.
    pub const fn new() -> Self {
        InlineId {
            bytes: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> Default for InlineId<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> core::fmt::Debug for InlineId<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("InlineId")
            .field(&crate::text::Lossy(self.as_bytes()))
            .finish()
    }
}

impl<const N: usize> IdStore for InlineId<N> {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn capacity(&self) -> usize {
        N
    }

    fn replace(&mut self, id: &[u8]) {
        let len = id.len().min(N);
        self.bytes[..len].copy_from_slice(&id[..len]);
        self.len = len;
    }
}

#[cfg(feature = "alloc")]
impl IdStore for alloc::vec::Vec<u8> {
    fn as_bytes(&self) -> &[u8] {
        self
    }

    fn capacity(&self) -> usize {
        usize::MAX
    }

    fn replace(&mut self, id: &[u8]) {
        self.clear();
        self.extend_from_slice(id);
    }
}
