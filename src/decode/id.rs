//! Where a decoder keeps the last event ID string between events (L4, D1).

#[cfg(feature = "alloc")]
use super::joined::Joined;

/// Storage for the last event ID string.
///
/// The core [`Decoder`](super::Decoder) copies each new ID here when it
/// dispatches (D1), because the input it came from is released afterwards.
/// The default, [`LastEventId`], has no limit of its own where an allocator
/// exists; [`InlineId`] needs none and holds at most `N` bytes.
pub trait IdStore {
    /// The stored ID.
    fn as_bytes(&self) -> &[u8];
    /// The longest ID this store can hold.
    fn capacity(&self) -> usize;
    /// Replaces the stored ID. `id.len()` is at most [`capacity`](Self::capacity).
    fn replace(&mut self, id: &[u8]);

    /// Not for implementors: where this store joins the data of an event
    /// of several `data` lines as the core reads them (F2), if it does:
    /// [`LastEventId`] with `alloc`, the store of the core and push layers.
    /// Sealed: the core lends what is there as the event's data.
    #[cfg(feature = "alloc")]
    #[doc(hidden)]
    #[inline(always)]
    fn joined(&self, _: Sealed) -> Option<&Joined> {
        None
    }

    /// Not for implementors: [`joined`](Self::joined), to join into.
    #[cfg(feature = "alloc")]
    #[doc(hidden)]
    #[inline(always)]
    fn joined_mut(&mut self, _: Sealed) -> Option<&mut Joined> {
        None
    }

    /// Not for implementors: whether this store takes the pending event's
    /// values as the core reads them (the `Bytes` layer's), through the
    /// `keep_*` methods below. The core then holds none of the event's
    /// input: it releases every line once read, so that a layer reading
    /// chunks in place copies only a line cut by a chunk's end.
    #[doc(hidden)]
    #[inline(always)]
    fn keeps_values(&self, _: Sealed) -> bool {
        false
    }

    /// Not for implementors: a `data` value (F2), with the number of `data`
    /// lines before it in the pending event.
    #[doc(hidden)]
    #[inline(always)]
    fn keep_data(&mut self, value: &[u8], lines_before: usize) {
        let _ = (value, lines_before);
    }

    /// Not for implementors: an `event` value (F1: the last one wins).
    #[doc(hidden)]
    #[inline(always)]
    fn keep_event_type(&mut self, value: &[u8]) {
        let _ = value;
    }

    /// Not for implementors: an `id` value (F3), pending until dispatch.
    #[doc(hidden)]
    #[inline(always)]
    fn keep_id(&mut self, value: &[u8]) {
        let _ = value;
    }

    /// Not for implementors: D1 at a dispatch after an `id` line: the kept
    /// ID becomes the last event ID.
    #[doc(hidden)]
    #[inline(always)]
    fn dispatch_kept_id(&mut self) {}

    /// Not for implementors: D7 (or a discarded event): the kept values go.
    #[doc(hidden)]
    #[inline(always)]
    fn clear_kept(&mut self) {}
}

/// The argument of the hooks that switch the crate's own layers on
/// ([`IdStore::keeps_values`]) or that the core trusts for an event's data
/// ([`IdStore::joined`]): a type outside
/// this crate cannot name, so no other store can override them and have
/// the core trust hooks it does not implement.
#[derive(Clone, Copy)]
pub struct Sealed(());

/// The one value of [`Sealed`], for the core.
pub(crate) const SEALED: Sealed = Sealed(());

/// The core decoder's default store for the last event ID.
///
/// With feature `alloc` it grows as needed, so the only bound on an ID is
/// [`Config::max_line_len`](super::Config::max_line_len), as the
/// specification sets none. Without `alloc` it is an [`InlineId`] of
/// [`DEFAULT_ID_CAPACITY`] bytes, and a longer `id` field is an
/// [`ErrorKind::IdTooLong`](crate::ErrorKind::IdTooLong) error: a
/// documented limit of `no_std` builds without an allocator. Enabling
/// `alloc` only lifts that limit; the type and its API stay the same.
///
/// With `alloc` it also keeps memory for the data of events of several
/// `data` lines, once the caller has asked for such data as one value
/// ([`Data::to_str`](super::Data::to_str),
/// [`Data::to_bytes`](super::Data::to_bytes)): from the next event on, the
/// decoder joins those lines as it reads them, and lends the text instead
/// of reading the lines again into a new `String`. That memory is reused
/// from event to event and never grows past
/// [`Config::max_event_size`](super::Config::max_event_size). A caller who
/// reads data of several lines through [`Data::lines`](super::Data::lines)
/// only never pays for it. Once asked for, joining stays on for the
/// decoder's life (a single `to_str` on such an event, for a log line say,
/// turns it on). The values are joined as bytes, from a text buffer or a
/// byte buffer alike: [`Data::to_bytes`](super::Data::to_bytes) lends them
/// as they are, and [`Data::to_str`](super::Data::to_str) checks them as
/// UTF-8 once, as a whole, and builds the text from the lines (with
/// U+FFFD) only when that fails. Other stores ([`InlineId`], `Vec<u8>`) never join: with them
/// joined data is always built from the lines.
#[derive(Clone, Default)]
pub struct LastEventId {
    #[cfg(feature = "alloc")]
    bytes: alloc::vec::Vec<u8>,
    #[cfg(not(feature = "alloc"))]
    bytes: InlineId<DEFAULT_ID_CAPACITY>,
    #[cfg(feature = "alloc")]
    joined: Joined,
}

/// The capacity of [`LastEventId`] without feature `alloc`: 256 bytes.
pub const DEFAULT_ID_CAPACITY: usize = 256;

impl LastEventId {
    /// An empty ID.
    pub const fn new() -> Self {
        LastEventId {
            #[cfg(feature = "alloc")]
            bytes: alloc::vec::Vec::new(),
            #[cfg(not(feature = "alloc"))]
            bytes: InlineId::new(),
            #[cfg(feature = "alloc")]
            joined: Joined::new(),
        }
    }
}

impl core::fmt::Debug for LastEventId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("LastEventId")
            .field(&crate::text::Lossy(self.as_bytes()))
            .finish()
    }
}

impl IdStore for LastEventId {
    fn as_bytes(&self) -> &[u8] {
        IdStore::as_bytes(&self.bytes)
    }

    fn capacity(&self) -> usize {
        // The trait's, not `Vec::capacity`: how long an ID may be.
        IdStore::capacity(&self.bytes)
    }

    fn replace(&mut self, id: &[u8]) {
        IdStore::replace(&mut self.bytes, id);
    }

    #[cfg(feature = "alloc")]
    #[inline(always)]
    fn joined(&self, _: Sealed) -> Option<&Joined> {
        Some(&self.joined)
    }

    #[cfg(feature = "alloc")]
    #[inline(always)]
    fn joined_mut(&mut self, _: Sealed) -> Option<&mut Joined> {
        Some(&mut self.joined)
    }
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
