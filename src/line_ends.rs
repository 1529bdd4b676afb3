//! L3: finding line ends 64 bytes at a time.
//!
//! A search that starts afresh at every line pays its setup once per line,
//! which on the short lines of a typical stream costs more than the bytes.
//! [`LineEnds`] instead marks every CR and LF of a 64-byte window in one
//! bit mask, so the next line end after any position in the window is a
//! shift and a count. A line longer than a few windows is left to `memchr2`,
//! which is faster on long runs.

use crate::line::find_line_end_short;

/// The bytes one window covers: one bit of the mask each.
const WINDOW: usize = 64;

/// How many windows a line may span before the rest is left to `memchr2`.
const WINDOWS_PER_LINE: usize = 4;

/// The line ends in one window of a buffer, reused for every line in it.
///
/// Positions are offsets in one buffer, so it must be made anew for another
/// buffer, and bytes it has seen must not change while it is in use.
pub(crate) struct LineEnds {
    /// Where the window starts.
    base: usize,
    /// How many bytes it covers: [`WINDOW`], or 0 before the first search.
    len: usize,
    /// Bit `i` is set when the byte at `base + i` is CR or LF.
    mask: u64,
}

impl LineEnds {
    pub(crate) const fn new() -> Self {
        LineEnds {
            base: 0,
            len: 0,
            mask: 0,
        }
    }

    /// The position of the first CR or LF in `buf` at or after `from`.
    #[inline(always)]
    pub(crate) fn find_from(&mut self, buf: &[u8], mut from: usize) -> Option<usize> {
        let mut windows = 0;
        loop {
            let offset = from.wrapping_sub(self.base);
            if offset < self.len {
                let ends = self.mask >> offset;
                if ends != 0 {
                    return Some(from + ends.trailing_zeros() as usize);
                }
                from = self.base.wrapping_add(self.len);
            }
            let rest = &buf[from..];
            let Some(window) = rest.first_chunk::<WINDOW>() else {
                // Fewer bytes than a window (the end of the input): searched
                // once, as they may not be there at the next call.
                return find_line_end_short(rest).map(|i| from + i);
            };
            if windows == WINDOWS_PER_LINE {
                return memchr::memchr2(b'\n', b'\r', rest).map(|i| from + i);
            }
            windows += 1;
            self.base = from;
            self.len = WINDOW;
            self.mask = mask(window);
        }
    }
}

/// Bit `i` set when `window[i]` is CR or LF: SSE2 compares 16 bytes at a
/// time, through `safe_arch`'s safe wrappers of the intrinsics.
///
/// `--cfg sse_wire_portable` selects the plain-Rust mask instead, so that
/// CI runs the decoder tests on the path other targets take.
#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(sse_wire_portable)
))]
#[inline(always)]
fn mask(window: &[u8; WINDOW]) -> u64 {
    use safe_arch::{cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i};
    use safe_arch::{m128i, set_splat_i8_m128i};
    let lf: m128i = set_splat_i8_m128i(b'\n' as i8);
    let cr: m128i = set_splat_i8_m128i(b'\r' as i8);
    let mut ends = 0;
    for (i, block) in window.chunks_exact(16).enumerate() {
        let mut bytes = [0; 16];
        bytes.copy_from_slice(block);
        let bytes = load_unaligned_m128i(&bytes);
        let hits = cmp_eq_mask_i8_m128i(bytes, lf) | cmp_eq_mask_i8_m128i(bytes, cr);
        // The mask holds 16 bits, one per byte.
        ends |= u64::from(move_mask_i8_m128i(hits) as u16) << (16 * i);
    }
    ends
}

/// Bit `i` set when `window[i]` is CR or LF, eight bytes at a time in
/// plain Rust where SSE2 is not available.
#[cfg(not(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(sse_wire_portable)
)))]
#[inline(always)]
fn mask(window: &[u8; WINDOW]) -> u64 {
    swar_mask(window)
}

/// [`mask`] without SIMD: each byte's high bit says whether it is CR or LF,
/// and a multiplication gathers the eight high bits of a word.
#[cfg_attr(
    all(
        target_arch = "x86_64",
        target_feature = "sse2",
        not(sse_wire_portable)
    ),
    allow(dead_code)
)]
#[inline(always)]
fn swar_mask(window: &[u8; WINDOW]) -> u64 {
    const LOW7: u64 = u64::from_le_bytes([0x7f; 8]);
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    // Exact for every byte (no borrow between bytes): the high bit is set
    // where the byte is zero.
    let zero = |word: u64| !((word & LOW7).wrapping_add(LOW7) | word | LOW7);
    let mut ends = 0;
    for (i, word) in window.chunks_exact(8).enumerate() {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        let word = u64::from_le_bytes(bytes);
        let high = zero(word ^ (ONES * u64::from(b'\n'))) | zero(word ^ (ONES * u64::from(b'\r')));
        // Bit 7 of byte k moves to bit 56 + k; the products do not overlap.
        let byte_mask = (high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        ends |= byte_mask << (8 * i);
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::vec::Vec;

    /// Every line end, found one after another as the core decoder looks
    /// for them (positions in one buffer).
    fn all_ends(buf: &[u8]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut ends = LineEnds::new();
        let mut from = 0;
        while let Some(end) = ends.find_from(buf, from) {
            found.push(end);
            from = end + 1;
        }
        found
    }

    /// What L3 says: every CR and every LF.
    fn expected_ends(buf: &[u8]) -> Vec<usize> {
        (0..buf.len())
            .filter(|&i| buf[i] == b'\n' || buf[i] == b'\r')
            .collect()
    }

    #[test]
    fn l3_finds_every_line_end_across_windows() {
        // Line ends at every offset of a window and across window edges,
        // lines longer than the windows one line may use, and bytes that
        // differ from CR or LF in one bit.
        let mut buf = [b'x'; 700];
        let mut at = 0;
        let mut len = 0;
        while at < buf.len() {
            buf[at] = if len % 3 == 0 { b'\r' } else { b'\n' };
            buf[(at + 1) % buf.len()] = b'\x0b';
            buf[(at + 2) % buf.len()] = b'\x8a';
            len += 1;
            at += len;
        }
        buf[300..600].fill(b'y');
        for start in [0, 1, 7, 63, 64, 65, 127] {
            let hay = &buf[start..];
            assert_eq!(all_ends(hay), expected_ends(hay), "from {start}");
        }
    }

    #[test]
    fn l3_the_end_of_the_input_is_searched_exactly() {
        // Inputs shorter than a window, searched from every position, as
        // the end of every chunk is. A second line end at the end must not
        // win over the first.
        let lens: &[usize] = if cfg!(miri) {
            &[0, 9, 17, 40]
        } else {
            &[0, 1, 5, 8, 15, 16, 17, 31, 32, 33, 47, 48, 63]
        };
        for &len in lens {
            for pos in (0..len).map(Some).chain([None]) {
                for end in [b'\n', b'\r'] {
                    let mut buf = std::vec![b'x'; len];
                    if let Some(pos) = pos {
                        buf[pos] = end;
                        buf[len - 1] = b'\r';
                    }
                    for from in 0..=len {
                        let want = buf[from..]
                            .iter()
                            .position(|&b| b == b'\n' || b == b'\r')
                            .map(|i| from + i);
                        let found = LineEnds::new().find_from(&buf, from);
                        assert_eq!(found, want, "{len} bytes, end at {pos:?}, from {from}");
                    }
                }
            }
        }
    }

    #[test]
    fn l3_no_line_end() {
        for len in [0, 1, 63, 64, 65, 256, 257, 600] {
            let buf = [b'a'; 600];
            assert_eq!(
                LineEnds::new().find_from(&buf[..len], 0),
                None,
                "{len} bytes"
            );
        }
    }

    #[test]
    fn l3_the_plain_mask_agrees_with_the_byte_rule() {
        let mut window = [0u8; WINDOW];
        for value in 0..=255u8 {
            for at in [0, 5, 8, 31, 63] {
                window.fill(value.wrapping_add(1));
                window[at] = value;
                let want = window
                    .iter()
                    .enumerate()
                    .filter(|(_, &b)| b == b'\n' || b == b'\r')
                    .fold(0u64, |m, (i, _)| m | 1 << i);
                assert_eq!(swar_mask(&window), want, "byte {value:#x} at {at}");
                assert_eq!(mask(&window), want, "byte {value:#x} at {at}");
            }
        }
    }
}
