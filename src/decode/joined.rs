//! The data of an event of several `data` lines, joined as the core reads
//! them (F2), so that it is lent rather than built again when asked for
//! (feature `alloc`).

use alloc::vec::Vec;
use core::ops::Range;
use core::sync::atomic::{AtomicBool, Ordering};

/// A value of at most this many bytes is copied as a whole block, into room
/// kept past the joined bytes, from input that runs on past the value: a
/// copy of fixed size, which the compiler makes four vector moves, where a
/// copy of the exact length is a call to `memcpy` per line.
const BLOCK: usize = 64;

/// Joined data, kept in a store beside the last event ID and reused from
/// one event to the next.
///
/// Each value goes in with the line end that follows it, made a LF: one
/// copy per line, and the separators F2 puts between the values are
/// already there. The last one is not part of the data (D3) and is left
/// out when the data is lent.
pub struct Joined {
    /// The joined bytes, then room to copy whole blocks into: all of it
    /// initialised, so that a block may be written past the data safely.
    bytes: Vec<u8>,
    /// How many bytes of `bytes` are joined data: the data of the event
    /// being read or last dispatched, joined from its second line on (at
    /// least two values, each with its line end); 0 until the first.
    len: usize,
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
            bytes: Vec::new(),
            len: 0,
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

    /// The data last joined, if any. It is the current event's whenever a
    /// caller asks: for an event of several lines, when joining was wanted
    /// before it, which stays so once it is (and before, nothing was joined).
    #[inline]
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        // Less the line end after the last value; none before the first.
        let len = self.len.checked_sub(1)?;
        self.bytes.get(..len)
    }

    /// A `data` line after the first of the pending event (F2). `value` is
    /// a range of `buf` that runs to just past its line end; `first` is the
    /// first line's range, given at the second line. Called only when
    /// joining [is wanted](Self::is_wanted). `most` is the event size
    /// limit, past which the memory need not grow.
    #[inline(always)]
    pub(crate) fn line(
        &mut self,
        buf: &[u8],
        value: Range<usize>,
        first: Option<Range<usize>>,
        most: usize,
    ) {
        if let Some(first) = first {
            self.len = 0;
            self.append(buf, first, most);
        }
        self.append(buf, value, most);
    }

    /// Appends `buf[range]`, which ends with a line end, that line end made
    /// a LF.
    #[inline(always)]
    fn append(&mut self, buf: &[u8], range: Range<usize>, most: usize) {
        let at = self.len;
        // Not `range.len()`, which checks for a reversed range: a value's
        // range never is.
        let n = range.end.wrapping_sub(range.start);
        // A value of at most a block, with the input running on past it and
        // room past the joined bytes, is copied as a whole block: the bytes
        // past `n` are written over by the next value.
        let to = self
            .bytes
            .get_mut(at..)
            .and_then(<[u8]>::first_chunk_mut::<BLOCK>);
        let from = buf
            .get(range.start..)
            .and_then(<[u8]>::first_chunk::<BLOCK>);
        match (to, from) {
            (Some(to), Some(from)) if n <= BLOCK => {
                *to = *from;
                // The line end: CR or LF (a CRLF's LF is not in the range).
                if let Some(end) = to.get_mut(n.wrapping_sub(1)) {
                    *end = b'\n';
                }
            }
            _ => self.append_exactly(buf, range, most),
        }
        self.len = at + n;
    }

    /// [`append`](Self::append) of a long value, or at the end of the input
    /// or of the room: the exact bytes, growing the room if needed.
    #[cold]
    #[inline(never)]
    fn append_exactly(&mut self, buf: &[u8], range: Range<usize>, most: usize) {
        let needed = self.len + range.len();
        if needed > self.bytes.len() {
            // Doubling, as a `Vec` grows, with room for a block, but never
            // past the event size limit unless the data already needs it
            // (it never does: each value came with a `data:` before it,
            // longer than the line end that goes in with it).
            let target = (self.bytes.len().saturating_mul(2))
                .max(needed + BLOCK)
                .min(most.max(needed));
            self.bytes.reserve_exact(target - self.bytes.len());
            self.bytes.resize(target, 0);
        }
        if let (Some(to), Some(from)) = (self.bytes.get_mut(self.len..needed), buf.get(range)) {
            to.copy_from_slice(from);
            if let Some(end) = to.last_mut() {
                *end = b'\n';
            }
        }
    }

    /// The memory held, in bytes.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.bytes.capacity()
    }
}

impl Clone for Joined {
    fn clone(&self) -> Self {
        Joined {
            bytes: self.bytes.clone(),
            len: self.len,
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
            .field("len", &self.len)
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
        // A comment after the events, so that a value with all of the input
        // after it is copied as a whole block, also after a release; a cut
        // near a value copies it exactly.
        let padding = [": ", &"p".repeat(80), "\n"].concat();
        let input = [
            "data: a\ndata: b\n\nevent: x\ndata: c\r\ndata: d\r\n\r\n: c\ndata: e\rdata: f\r\r",
            &padding,
        ]
        .concat();
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
        let long = "y".repeat(200);
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
        // The line over the limit was never joined.
        assert!(joined.capacity() < long.len(), "{}", joined.capacity());
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

    /// From a byte buffer, data that is not UTF-8 is joined as it is: its
    /// text, built from its lines, has its U+FFFD, and its bytes are the
    /// bytes, lent, not that text.
    #[test]
    fn data_that_is_not_utf8_is_lent_as_bytes_and_read_as_text_from_its_lines() {
        let events = &b"data: a\ndata: b\n\ndata: \xFF\ndata: \xC3\xA9\n\ndata: c\ndata: d\n\n"[..];
        // Values copied exactly (the input ends within a block of them),
        // then as whole blocks (a comment follows).
        let padded = [events, b": ", &[b'p'; 80], b"\n"].concat();
        for input in [events, &padded] {
            not_utf8_is_lent_as_bytes(input);
        }
    }

    fn not_utf8_is_lent_as_bytes(input: &[u8]) {
        let mut decoder = Decoder::new();
        let mut out = Vec::new();
        while let Ok(Status::Complete(item)) = decoder.decode(input) {
            if let Item::Event(e) = item {
                let (text, bytes) = (e.data_str(), e.data().to_bytes());
                let lent = (
                    matches!(text, Cow::Borrowed(_)),
                    matches!(bytes, Cow::Borrowed(_)),
                );
                out.push((text.into_owned(), bytes.into_owned(), lent));
            }
        }
        assert_eq!(
            out,
            [
                ("a\nb".into(), b"a\nb".to_vec(), (false, false)),
                (
                    "\u{FFFD}\n\u{e9}".into(),
                    b"\xFF\n\xC3\xA9".to_vec(),
                    (false, true)
                ),
                ("c\nd".into(), b"c\nd".to_vec(), (true, true)),
            ]
        );
    }

    /// Values copied as whole blocks and values copied exactly (longer
    /// than a block, or too near the end of the input) join alike, with
    /// every line end, and the room kept past the data holds nothing that
    /// shows.
    #[test]
    fn values_of_every_length_around_a_block_join_alike() {
        let lens = [0, 1, 31, 62, 63, 64, 65, 66, 127, 128, 129, 300];
        for ends in ["\n", "\r", "\r\n"] {
            let mut input = String::from("data: x\ndata: y\n\n");
            let mut want = Vec::new();
            for (i, &len) in lens.iter().enumerate() {
                let values: Vec<String> = (0..3)
                    .map(|k| String::from(char::from(b'a' + ((i + k) % 26) as u8)).repeat(len + k))
                    .collect();
                for value in &values {
                    input.push_str(&["data: ", value, ends].concat());
                }
                input.push_str(ends);
                want.push((values.join("\n"), true));
            }
            // Whole, then cut just before the end of each event's lines,
            // where the input ends less than a block after a value, so that
            // it is copied exactly and the values after the cut as blocks.
            let whole = core_text(&input);
            assert_eq!(whole[1..], want[..], "{ends:?}");
            let event_ends: Vec<usize> = input
                .match_indices(&[ends, ends].concat())
                .map(|(at, _)| at + ends.len())
                .collect();
            // Under Miri, a few: it is slow.
            let before: &[usize] = if cfg!(miri) {
                &[1, 40]
            } else {
                &[1, 2, 3, 20, 40, 64, 65, 70]
            };
            for cut in event_ends
                .iter()
                .flat_map(|&end| before.iter().map(move |d| end.saturating_sub(*d).max(1)))
            {
                let mut decoder = Decoder::new();
                let mut out = Vec::new();
                let mut buf = Vec::new();
                for chunk in [&input.as_bytes()[..cut], &input.as_bytes()[cut..]] {
                    buf.extend_from_slice(chunk);
                    while let Ok(Status::Complete(item)) = decoder.decode(&buf) {
                        if let Item::Event(e) = item {
                            let text = e.data_str();
                            out.push((String::from(&*text), matches!(text, Cow::Borrowed(_))));
                        }
                    }
                    buf.drain(..decoder.release());
                }
                assert_eq!(out[1..], want[..], "{ends:?} {cut}");
            }
        }
    }

    /// With an event size limit under a block, every value is copied
    /// exactly, and the memory stays within the limit.
    #[test]
    fn a_limit_under_a_block_copies_exactly() {
        let config = crate::decode::Config::new().max_event_size(40);
        let mut decoder = Decoder::with_config(config);
        let input =
            "data: a\ndata: b\n\ndata: cc\ndata: dd\rdata: e\r\n\r\ndata: f\ndata:\n\n".repeat(2);
        let mut out = Vec::new();
        while let Ok(Status::Complete(item)) = decoder.decode_str(&input) {
            if let Item::Event(e) = item {
                out.push(String::from(&*e.data_str()));
            }
        }
        assert_eq!(out, ["a\nb", "cc\ndd\ne", "f\n"].repeat(2));
        let joined = decoder.store().joined(SEALED).unwrap();
        assert!(joined.capacity() <= 40, "{}", joined.capacity());
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
