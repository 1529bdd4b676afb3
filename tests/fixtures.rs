//! Runs the spec fixtures (`spec-fixtures/`) through every decoder layer,
//! each built with its default constructor, whole, at every split point,
//! byte by byte and in seeded random chunkings. The expected outputs were
//! worked out by hand from RULES.md; the fixtures say nothing about the end
//! of the stream, so `End` is checked against the reference model.

#[path = "support/fixtures.rs"]
mod fixture_cases;
mod support;

use fixture_cases::{cases_where, to_json, Case};
use serde_json::Value;
use sse_wire::decode::{Config, Decoder, InlineId, PushDecoder, DEFAULT_ID_CAPACITY};
use sse_wire::ErrorKind;
use support::{model, split, split_end, Out, Rng, DEFAULT_LAYERS};

fn cases() -> Vec<Case> {
    // Miri runs a thousand times slower: every ninth of the small cases.
    let mut small = 0;
    cases_where(|size| {
        if !cfg!(miri) {
            return true;
        }
        let keep = size <= 256 && small % 9 == 0;
        small += usize::from(size <= 256);
        keep
    })
}

/// Compares a layer's output with the fixture (items) and the model (End).
fn assert_matches(case: &Case, got: Vec<Out>, what: &str) {
    let (items, end) = split_end(got);
    let items: Vec<Value> = items.iter().map(to_json).collect();
    assert_eq!(items, case.expected, "fixture {}, {what}", case.name);
    assert_eq!(end, case.end, "fixture {}, {what}: End", case.name);
}

/// Decodes `case` split at `cuts` through every layer and compares.
fn check(case: &Case, cuts: &[usize], how: &str) {
    let chunks = split(&case.input, cuts);
    for &(layer, decode) in DEFAULT_LAYERS {
        assert_matches(
            case,
            decode(&case.seed, &chunks),
            &format!("{layer}, {how}"),
        );
    }
}

#[test]
fn whole() {
    for case in cases() {
        check(&case, &[], "whole");
    }
}

/// Every split into two chunks. Inputs over 4 KiB (the long-line cases)
/// are split at 511 evenly spaced points, the first 63 and the last 64
/// bytes (638 points):
/// every split point of a 100 kB case through three layers would take
/// minutes in a debug build, and the interior of a long value is uniform.
#[test]
fn every_split_point() {
    for case in cases() {
        let len = case.input.len();
        let points: Vec<usize> = if cfg!(miri) {
            // Under Miri, eight split points of each sampled case.
            (1..len).step_by(len / 8 + 1).collect()
        } else if len <= 4096 {
            (1..len).collect()
        } else {
            let mut points: Vec<usize> = (1..64).chain(len - 64..len).collect();
            points.extend((1..512).map(|i| i * len / 512));
            points
        };
        for at in points {
            check(&case, &[at], &format!("split at {at}"));
        }
    }
}

#[test]
fn byte_by_byte() {
    for case in cases() {
        let cuts: Vec<usize> = (1..case.input.len()).collect();
        check(&case, &cuts, "byte by byte");
        if cfg!(miri) {
            // One byte-by-byte case is enough under Miri.
            break;
        }
    }
}

#[test]
fn random_chunkings() {
    let mut rng = Rng(0x5EED_F1C7);
    for case in cases() {
        let sizes: &[usize] = if cfg!(miri) {
            &[3]
        } else {
            &[2, 3, 7, 64, 1460]
        };
        for &max in sizes {
            let cuts = rng.cuts(case.input.len(), max);
            check(
                &case,
                &cuts,
                &format!("random chunks of at most {max}: {cuts:?}"),
            );
        }
    }
}

/// The reference model of the property tests passes the fixtures too, so
/// it is a fair oracle.
#[test]
fn model_agrees() {
    for case in cases() {
        let seed = String::from_utf8(case.seed.clone()).unwrap();
        assert_matches(&case, model::decode(&case.input, &seed), "the model");
    }
}

/// The fixtures name no configuration: what they run is what `new()`
/// builds, which is `Config::new()`'s, reporting no comments.
#[test]
fn default_constructors_use_the_default_config() {
    assert_eq!(Decoder::new().config(), &Config::new());
    assert_eq!(PushDecoder::new().config(), &Config::new());
    #[cfg(feature = "bytes")]
    assert_eq!(
        sse_wire::decode::BytesDecoder::new().config(),
        &Config::new()
    );
    assert!(!Config::new().comments);
}

/// The fixed-capacity store of 256 bytes (the capacity of the default store
/// without `alloc`) passes every fixture whose IDs fit it, and reports
/// `IdTooLong` on every other one: those with an `id` value, among the
/// lines L6 processes, longer than 256 bytes, found from the input.
#[test]
fn inline_id_store_passes_every_fixture_whose_ids_fit() {
    const CAPACITY: usize = 256;
    assert_eq!(DEFAULT_ID_CAPACITY, CAPACITY);
    let mut too_long = Vec::new();
    for case in cases() {
        let longest = model::id_values(&case.input)
            .iter()
            .map(Vec::len)
            .chain([case.seed.len()])
            .max()
            .unwrap_or(0);
        let run = |chunks: &[&[u8]]| {
            let decoder: Decoder<InlineId<CAPACITY>> =
                Decoder::with_store(Config::new(), InlineId::new());
            support::run_core(decoder, &case.seed, chunks)
        };
        let bytewise: Vec<usize> = (1..case.input.len()).collect();
        let chunkings = [vec![], vec![case.input.len() / 2], bytewise];
        for cuts in &chunkings {
            let got = run(&split(&case.input, cuts));
            let how = format!("InlineId<{CAPACITY}>, {} chunks", cuts.len() + 1);
            if longest <= CAPACITY {
                assert_matches(&case, got, &how);
            } else {
                let errors: Vec<&Out> = got.iter().filter(|o| o.is_error()).collect();
                assert!(
                    !errors.is_empty()
                        && errors
                            .iter()
                            .all(|e| **e == Out::Error(ErrorKind::IdTooLong)),
                    "fixture {} ({longest}-byte id), {how}: {errors:?}",
                    case.name
                );
            }
            if cfg!(miri) {
                break;
            }
        }
        if longest > CAPACITY {
            too_long.push(case.name);
        }
    }
    // The corpus has such a case, so the second branch above ran.
    if !cfg!(miri) {
        assert!(
            too_long.contains(&"long-id-65536".to_string()),
            "{too_long:?}"
        );
    }
}
