//! Allocation counts, from a counting global allocator: none per event on
//! the borrowed layer; none per single-line event on the `Bytes` layer when
//! each event lies within one chunk; amortised none on the push layer.

#[cfg(feature = "bytes")]
use bytes::Bytes;
#[cfg(feature = "bytes")]
use sse_wire::decode::{BytesDecoder, BytesItem};
use sse_wire::decode::{Config, Decoder, IdStore, InlineId, Item, PushDecoder, Status};
use sse_wire::encode::{Event, EventId, EventType};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    /// Per thread, so that tests running side by side do not mix counts.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: forwards the caller's layout unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: as for `dealloc` and `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made while `f` runs, on this thread.
fn count<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (ALLOCATIONS.with(Cell::get) - before, out)
}

/// `n` events with an id, a type and one data line; every 10th has three
/// data lines.
fn stream(n: usize, multi_line: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        let id = i.to_string();
        let data = if multi_line && i % 10 == 0 {
            format!("{i}\nsecond\nthird")
        } else {
            format!("{{\"n\":{i}}}")
        };
        Event::new()
            .event_type(EventType::from_static("update"))
            .id(EventId::new(&id).unwrap())
            .data(&data)
            .write_to_vec(&mut out);
        out.extend_from_slice(b": ping\nretry: 1000\n");
    }
    out
}

/// Decodes `input` with the core decoder, fed in 1460-byte pieces of one
/// buffer released as the docs say, reading each event's data; returns the
/// allocations made and the events seen.
fn decode_borrowed<S: IdStore>(mut decoder: Decoder<S>, input: &[u8]) -> (usize, usize) {
    count(|| {
        let mut events = 0;
        let mut start = 0;
        for end in (1460..input.len()).step_by(1460).chain([input.len()]) {
            loop {
                match decoder.decode(&input[start..end]) {
                    Ok(Status::Complete(Item::Event(e))) => {
                        events += 1;
                        // Reading multi-line data does not allocate either.
                        let mut joined = [0u8; 64];
                        e.data().copy_to(&mut joined).unwrap();
                    }
                    Ok(Status::Complete(_)) => {}
                    Ok(Status::Partial) => break,
                    Err(e) => panic!("{e}"),
                }
            }
            start += decoder.release();
        }
        events
    })
}

#[test]
fn borrowed_layer_allocates_nothing() {
    let input = stream(10_000, true);
    // With a fixed-capacity store for the last event ID: nothing at all.
    let store: InlineId<16> = InlineId::new();
    assert_eq!(
        decode_borrowed(Decoder::with_store(Config::new(), store), &input),
        (0, 10_000)
    );
    // The default store copies the ID into memory that grows with it (here
    // IDs of up to four bytes: one allocation), never once per event.
    let (few, events) = decode_borrowed(Decoder::new(), &stream(10, true));
    assert_eq!(events, 10);
    let (many, events) = decode_borrowed(Decoder::new(), &input);
    assert_eq!(events, 10_000);
    assert!(few == many && many <= 1, "{few} and {many} allocations");
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_layer_allocates_nothing_per_single_line_event_within_a_chunk() {
    let decode = |events: usize| {
        let chunk = Bytes::from(stream(events, false));
        let mut decoder = BytesDecoder::new();
        count(move || {
            decoder.push(chunk);
            let mut n = 0;
            while let Some(item) = decoder.next_item() {
                n += usize::from(matches!(item, Ok(BytesItem::Event(_))));
            }
            n
        })
    };
    let (few, n) = decode(10);
    assert_eq!(n, 10);
    let (many, n) = decode(10_000);
    assert_eq!(n, 10_000);
    // A constant (the queue of chunks), not one per event.
    assert_eq!(
        few, many,
        "10 events: {few} allocations; 10000 events: {many}"
    );
    assert!(many <= 4, "{many}");
}

#[test]
fn push_layer_allocates_amortised_nothing() {
    let input = stream(100_000, true);
    let mut decoder = PushDecoder::new();
    let (allocations, events) = count(|| {
        let mut events = 0;
        for chunk in input.chunks(1460) {
            decoder.push(chunk);
            while let Some(item) = decoder.next_item() {
                events += usize::from(matches!(item, Ok(Item::Event(_))));
            }
        }
        events
    });
    assert_eq!(events, 100_000);
    // Buffer growth only: a handful for a hundred thousand events.
    assert!(allocations <= 8, "{allocations} allocations");
}

/// The text of an event of several `data` lines is joined as the decoder
/// reads the lines, into memory kept for the next such event, once it has
/// been asked for (the first time it is built from the lines): it is lent,
/// not built into a new `String` for each event.
#[test]
fn push_layer_lends_the_text_of_multi_line_data() {
    let input = stream(100_000, true);
    let mut decoder = PushDecoder::new();
    let (allocations, (events, lent)) = count(|| {
        let (mut events, mut lent) = (0, 0);
        for chunk in input.chunks(1460) {
            decoder.push(chunk);
            while let Some(item) = decoder.next_item() {
                let Ok(Item::Event(e)) = item else { continue };
                if e.data().line_count() > 1 {
                    let text = e.data_str();
                    let first = lent == 0;
                    assert_eq!(matches!(text, std::borrow::Cow::Borrowed(_)), !first);
                    let mut lines = text.split('\n');
                    assert_eq!(lines.next().map(str::parse), Some(Ok(events)));
                    assert!(lines.eq(["second", "third"]), "{text:?}");
                    lent += 1;
                }
                events += 1;
            }
        }
        (events, lent)
    });
    assert_eq!((events, lent), (100_000, 10_000));
    assert!(allocations <= 8, "{allocations} allocations");
}

/// The same in the core layer, over the caller's text buffer: once asked
/// for, the text of data of several lines is joined as it is read and
/// lent; the first is built from the lines.
#[test]
fn core_layer_lends_the_text_of_multi_line_data() {
    let input = String::from_utf8(stream(100_000, true)).unwrap();
    let mut decoder = Decoder::new();
    let (allocations, (events, built)) = count(|| {
        let (mut events, mut built) = (0, 0);
        while let Ok(Status::Complete(item)) = decoder.decode_str(&input) {
            let Item::Event(e) = item else { continue };
            let text = e.data_str();
            built += usize::from(matches!(text, std::borrow::Cow::Owned(_)));
            if e.data().line_count() > 1 {
                let mut lines = text.split('\n');
                assert_eq!(lines.next().map(str::parse), Some(Ok(events)));
                assert!(lines.eq(["second", "third"]), "{text:?}");
            } else {
                assert!(text.starts_with("{\"n\":"), "{text:?}");
            }
            events += 1;
        }
        (events, built)
    });
    assert_eq!((events, built), (100_000, 1));
    // The first text built, the joined memory grown a few times, and the
    // last event ID's.
    assert!(allocations <= 8, "{allocations} allocations");
}

/// Text beyond ASCII, cut by most chunk boundaries (a character of two,
/// three or four bytes held back from one chunk for the next), and bytes
/// that are not UTF-8: no allocation per chunk either.
#[test]
fn push_layer_allocates_amortised_nothing_on_cut_characters() {
    // Each event of text is followed by one whose data is not UTF-8.
    let mut bad = Vec::new();
    for n in 0..20_000 {
        bad.extend_from_slice(format!("data: \u{e9}\u{4e16}\u{1F600} {n}\n\n").as_bytes());
        bad.extend_from_slice(b"data: \xFF\xC3\n\n");
    }
    let mut decoder = PushDecoder::new();
    let (allocations, events) = count(|| {
        let mut events = 0;
        // 1461-byte chunks: an odd size, so that boundaries fall inside
        // characters of every length.
        for chunk in bad.chunks(1461) {
            decoder.push(chunk);
            while let Some(item) = decoder.next_item() {
                events += usize::from(matches!(item, Ok(Item::Event(_))));
            }
        }
        events
    });
    assert_eq!(events, 40_000);
    assert!(allocations <= 8, "{allocations} allocations");
}

#[test]
fn push_layer_growth_stays_amortised_when_items_are_not_taken() {
    // Past the limits the buffer holds whatever is pushed and not read;
    // it must still grow by doubling, not by one chunk at a time.
    let config = Config::new().max_line_len(1024).max_event_size(1024);
    let mut decoder = PushDecoder::with_config(config);
    let (allocations, ()) = count(|| {
        for _ in 0..100_000 {
            decoder.push(b"x");
        }
    });
    assert!(decoder.buffer_capacity() >= 100_000);
    // log2(100 000) is 17: a doubling buffer reallocates about that often.
    assert!(allocations <= 40, "{allocations} allocations");
}

#[test]
fn encoding_into_a_slice_allocates_nothing() {
    let mut out = [0u8; 256];
    let (allocations, len) = count(|| {
        Event::new()
            .event_type(EventType::from_static("update"))
            .id(EventId::from_static("7"))
            .data("one\ntwo\r\nthree")
            .retry(std::time::Duration::from_millis(10))
            .write_to_slice(&mut out)
            .unwrap()
    });
    assert_eq!((allocations, len), (0, 63));
}
