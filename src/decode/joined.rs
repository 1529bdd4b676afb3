//! The data of an event of several `data` lines, joined as the core reads
//! them (F2), so that its text is lent rather than built again when asked
//! for (feature `alloc`).

use crate::text::valid_utf8;
use alloc::string::String;
use core::ops::Range;
use core::sync::atomic::{AtomicBool, Ordering};

/// Joined data, kept in a store beside the last event ID and reused from
/// one event to the next.
///
/// Each value goes in with the line end that follows it, a CR made a LF:
/// one copy per line, and the separators F2 puts between the values are
/// already there. The last one is not part of the data (D3) and is left
/// out when the text is lent.
pub struct Joined {
    text: String,
    /// `text` holds the data of the event being read or last dispatched:
    /// it was joined from its second line on, and every value was text.
    current: bool,
    /// Whether to join at all: from the event after the first whose data
    /// of several lines was asked for as one value, so that a caller who
    /// only reads the lines copies nothing. Never unset. An atomic, not a
    /// `Cell`, so that events stay `Send` and `Sync`; it is set through an
    /// event, so only between two calls of the decoder, never mid-event.
    wanted: AtomicBool,
}

impl Joined {
    /// Nothing joined, and nothing wanted yet.
    pub(crate) const fn new() -> Self {
        Joined {
            text: String::new(),
            current: false,
            wanted: AtomicBool::new(false),
        }
    }

    #[inline(always)]
    pub(crate) fn is_wanted(&self) -> bool {
        self.wanted.load(Ordering::Relaxed)
    }

    /// Joins the next events' data from now on.
    pub(crate) fn want(&self) {
        self.wanted.store(true, Ordering::Relaxed);
    }

    /// The joined data, if it is the current event's.
    #[inline]
    pub(crate) fn text(&self) -> Option<&str> {
        if self.current {
            // Less the line end after the last value, which is ASCII.
            self.text.get(..self.text.len().saturating_sub(1))
        } else {
            None
        }
    }

    /// A `data` line after the first of the pending event (F2). `value` is
    /// a range of `buf` that runs to just past its line end, and `text` is
    /// `buf` when it is text; `first` is the first line's range, given at
    /// the second line. Called only when joining [is wanted](Self::is_wanted).
    /// `most` is the event size limit, past which the memory need not grow.
    #[inline(always)]
    pub(crate) fn line(
        &mut self,
        buf: &[u8],
        text: Option<&str>,
        value: Range<usize>,
        first: Option<Range<usize>>,
        most: usize,
    ) {
        match text {
            // Inlined: the hot path of a text buffer (the push layer,
            // `decode_str`), one copy per line; a call here costs 20
            // instructions a line more, in callgrind.
            Some(text) => {
                if let Some(first) = first {
                    self.start(text.get(first), most);
                }
                if self.current {
                    self.current = self.append(text.get(value), most);
                }
            }
            // Not inlined: each value is checked as UTF-8 here, a call
            // anyway, and in the decoder's loop this code would cost every
            // line registers (measured on one-line events, which never
            // come here).
            None => self.line_of_bytes(buf, value, first, most),
        }
    }

    #[inline(never)]
    fn line_of_bytes(
        &mut self,
        buf: &[u8],
        value: Range<usize>,
        first: Option<Range<usize>>,
        most: usize,
    ) {
        let text = |range| buf.get(range).and_then(valid_utf8);
        if let Some(first) = first {
            self.start(text(first), most);
        }
        if self.current {
            self.current = self.append(text(value), most);
        }
    }

    /// The second line of an event: joining starts with the first.
    #[inline(always)]
    fn start(&mut self, first: Option<&str>, most: usize) {
        self.text.clear();
        self.current = self.append(first, most);
    }

    /// Appends one value and its line end; `false` when it is not text
    /// (invalid UTF-8 from a byte buffer), and the data is then read from
    /// the lines when it is asked for. Ranges start after an ASCII byte and
    /// end after an ASCII line end, so a text buffer's `get` finds them on
    /// character boundaries.
    #[inline(always)]
    fn append(&mut self, piece: Option<&str>, most: usize) -> bool {
        let Some(piece) = piece else { return false };
        self.room(piece.len(), most);
        self.text.push_str(piece);
        if self.text.ends_with('\r') {
            self.text.pop();
            self.text.push('\n');
        }
        true
    }

    /// Room for `more` bytes: doubling, as a `String` grows, but never past
    /// the event size limit unless the data already needs it (it never
    /// does: each value came with a `data:` before it, longer than the
    /// line end that goes in with it).
    #[inline(always)]
    fn room(&mut self, more: usize, most: usize) {
        let needed = self.text.len() + more;
        if needed > self.text.capacity() {
            self.grow(needed, most);
        }
    }

    #[cold]
    fn grow(&mut self, needed: usize, most: usize) {
        let target = self.text.capacity().saturating_mul(2).min(most).max(needed);
        self.text.reserve_exact(target - self.text.len());
    }

    /// The memory held, in bytes.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.text.capacity()
    }
}

impl Clone for Joined {
    fn clone(&self) -> Self {
        Joined {
            text: self.text.clone(),
            current: self.current,
            wanted: AtomicBool::new(self.is_wanted()),
        }
    }
}

impl Default for Joined {
    fn default() -> Self {
        Joined::new()
    }
}

impl core::fmt::Debug for Joined {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Joined")
            .field("wanted", &self.is_wanted())
            .field("len", &self.text.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use crate::decode::id::SEALED;
    use crate::decode::{Decoder, IdStore, Item, PushDecoder, Status};
    use alloc::borrow::Cow;
    use alloc::string::String;
    use alloc::vec::Vec;

    /// Every event's data as the core lends it from a text buffer, with
    /// whether it was borrowed.
    fn core_text(input: &str) -> Vec<(String, bool)> {
        let mut decoder = Decoder::new();
        let mut out = Vec::new();
        while let Ok(Status::Complete(item)) = decoder.decode_str(input) {
            if let Item::Event(e) = item {
                let data = e.data_str();
                out.push((String::from(&*data), matches!(data, Cow::Borrowed(_))));
            }
        }
        out
    }

    /// The core joins data of several lines once asked: the first such
    /// event is read again from its lines, later ones are lent, and both
    /// read the same, whatever the line ends and the lines between.
    #[test]
    fn the_core_joins_data_once_its_text_is_asked_for() {
        let event = "data: a\r\n: note\rdata:b\nevent: x\r\ndata\rid: 1\ndata:  c\r\n\r\n";
        let other = "data: p\r\n: note\rdata:q\revent: x\r\ndata\rid: 1\ndata:  c\r\n\r\n";
        let out = core_text(&[event, "data: one\n\n", other, "data: x\ndata\n\n"].concat());
        assert_eq!(
            out,
            [
                ("a\nb\n\n c".into(), false),
                ("one".into(), true),
                ("p\nq\n\n c".into(), true),
                // An empty last value.
                ("x\n".into(), true),
            ]
        );
    }

    /// The core over a byte buffer released between chunks, as its docs
    /// say, with events cut anywhere; `to_bytes` alone asks for joining.
    #[test]
    fn joined_data_survives_releases_and_cuts() {
        let input =
            "data: a\ndata: b\n\nevent: x\ndata: c\r\ndata: d\r\n\r\n: c\ndata: e\rdata: f\r\r";
        for cut in 1..input.len() {
            let (mut decoder, mut buf) = (Decoder::new(), Vec::new());
            let mut out = Vec::new();
            for chunk in [&input.as_bytes()[..cut], &input.as_bytes()[cut..]] {
                buf.extend_from_slice(chunk);
                while let Ok(Status::Complete(item)) = decoder.decode(&buf) {
                    if let Item::Event(e) = item {
                        let bytes = e.data().to_bytes();
                        out.push((bytes.to_vec(), matches!(bytes, Cow::Borrowed(_))));
                    }
                }
                buf.drain(..decoder.release());
            }
            let expected = [(&b"a\nb"[..], false), (b"c\nd", true), (b"e\nf", true)];
            assert!(
                out.iter().map(|(d, b)| (&d[..], *b)).eq(expected),
                "{cut}: {out:?}"
            );
        }
    }

    /// An event cut short (by a limit, by a reconnection) leaves nothing
    /// for the next one, nor does a BOM at the start of a new stream.
    #[test]
    fn an_event_cut_short_leaves_nothing_joined() {
        let config = crate::decode::Config::new().max_line_len(32);
        let mut decoder = Decoder::with_config(config);
        let long = "y".repeat(40);
        let input = [
            "data: a\ndata: b\n\ndata: p\ndata: q\ndata: ",
            &long,
            "\n\ndata: r\ndata: s\n\n",
        ]
        .concat();
        let mut out = Vec::new();
        loop {
            match decoder.decode_str(&input) {
                Ok(Status::Complete(Item::Event(e))) => out.push(String::from(&*e.data_str())),
                Ok(Status::Complete(_)) => {}
                Err(_) => out.push("error".into()),
                Ok(Status::Partial) => break,
            }
        }
        assert_eq!(out, ["a\nb", "error", "r\ns"]);
        // Cut by the connection, then a new stream that starts with a BOM.
        let _ = decoder.reconnect();
        assert!(matches!(
            decoder.decode_str("data: t\ndata: u\n"),
            Ok(Status::Partial)
        ));
        assert!(!decoder.reconnect().is_clean());
        let Ok(Status::Complete(Item::Event(e))) =
            decoder.decode_str("\u{FEFF}data: v\ndata: w\n\n")
        else {
            panic!()
        };
        assert!(matches!(e.data_str(), Cow::Borrowed("v\nw")));
        let joined = decoder.store().joined(SEALED).unwrap();
        assert!(joined.capacity() <= 32 + 2, "{}", joined.capacity());
    }

    /// Events borrowing a decoder that joins can still cross threads.
    #[test]
    fn events_stay_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Item<'static>>();
        send_sync::<Decoder>();
        send_sync::<PushDecoder>();
    }

    /// A caller that reads data of several lines line by line never has
    /// the decoder copy them.
    #[test]
    fn reading_the_lines_costs_no_memory() {
        let mut decoder = Decoder::new();
        let input = b"data: a\ndata: b\n\n".repeat(3);
        while let Ok(Status::Complete(item)) = decoder.decode(&input) {
            if let Item::Event(e) = item {
                assert_eq!(e.data().lines().collect::<Vec<_>>(), [b"a", b"b"]);
            }
        }
        let joined = decoder.store().joined(SEALED).unwrap();
        assert!(!joined.is_wanted());
        assert_eq!(joined.capacity(), 0);
    }

    /// From a byte buffer, data that is not UTF-8 is not joined: its text
    /// has its U+FFFD, and its bytes are the bytes, not that text.
    #[test]
    fn data_that_is_not_utf8_is_read_from_its_lines() {
        let mut decoder = Decoder::new();
        let input = b"data: a\ndata: b\n\ndata: \xFF\ndata: \xC3\xA9\n\ndata: c\ndata: d\n\n";
        let mut out = Vec::new();
        while let Ok(Status::Complete(item)) = decoder.decode(input) {
            if let Item::Event(e) = item {
                let text = e.data_str();
                let borrowed = matches!(text, Cow::Borrowed(_));
                out.push((
                    text.into_owned(),
                    e.data().to_bytes().into_owned(),
                    borrowed,
                ));
            }
        }
        assert_eq!(
            out,
            [
                ("a\nb".into(), b"a\nb".to_vec(), false),
                ("\u{FFFD}\n\u{e9}".into(), b"\xFF\n\xC3\xA9".to_vec(), false),
                ("c\nd".into(), b"c\nd".to_vec(), true),
            ]
        );
    }

    /// The push layer joins the same way, once asked.
    #[test]
    fn the_push_layer_joins_once_asked() {
        let mut decoder = PushDecoder::new();
        decoder.push(b"data: a\ndata: b\n\n");
        let Some(Ok(Item::Event(e))) = decoder.next_item() else {
            panic!()
        };
        assert!(matches!(e.data_str(), Cow::Owned(text) if text == "a\nb"));
        // Split inside the second line, and by a CR line end.
        decoder.push(b"data: c\rdata: ");
        assert!(decoder.next_item().is_none());
        decoder.push("\u{e9}\r\r".as_bytes());
        let Some(Ok(Item::Event(e))) = decoder.next_item() else {
            panic!()
        };
        assert!(matches!(e.data_str(), Cow::Borrowed("c\n\u{e9}")));
    }
}
