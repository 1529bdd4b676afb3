//! Runs the spec fixtures (`spec-fixtures/`) through every decoder layer,
//! whole, at every split point, byte by byte and in seeded random chunkings.
//! The expected outputs were worked out by hand from RULES.md.

mod support;

use serde_json::Value;
use sse_wire::decode::Config;
use std::path::Path;
use support::{split, Out, Rng, LAYERS};

/// The fixture format: `{"type","data","id"}` or `{"retry"}`.
fn to_json(out: &Out) -> Value {
    match out {
        Out::Event {
            event_type,
            data,
            id,
        } => {
            serde_json::json!({"type": event_type, "data": data, "id": id})
        }
        Out::Retry(ms) => serde_json::json!({ "retry": ms }),
        other => panic!("{other:?} has no fixture form"),
    }
}

struct Case {
    name: String,
    seed: Vec<u8>,
    input: Vec<u8>,
    expected: Vec<Value>,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec-fixtures");
    let dir = root.join("cases");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    let listed = manifest["cases"].as_array().unwrap();
    assert!(listed.len() >= 150, "only {} fixtures", listed.len());
    let size = |case: &&Value| {
        let name = case["name"].as_str().unwrap();
        std::fs::metadata(dir.join(format!("{name}.sse")))
            .unwrap()
            .len()
    };
    // Miri runs a thousand times slower: a sample of the small cases.
    let sample = if cfg!(miri) { 9 } else { 1 };
    listed
        .iter()
        .filter(|case| !cfg!(miri) || size(case) <= 256)
        .step_by(sample)
        .map(|case| {
            let name = case["name"].as_str().unwrap().to_owned();
            let expected = std::fs::read(dir.join(format!("{name}.jsonl"))).unwrap();
            Case {
                seed: case["last_event_id"]
                    .as_str()
                    .unwrap_or("")
                    .as_bytes()
                    .to_vec(),
                input: std::fs::read(dir.join(format!("{name}.sse"))).unwrap(),
                // Split on LF only: values may hold U+2028 and friends.
                expected: expected
                    .split(|&b| b == b'\n')
                    .filter(|line| !line.is_empty())
                    .map(|line| serde_json::from_slice(line).unwrap())
                    .collect(),
                name,
            }
        })
        .collect()
}

/// Decodes `case` split at `cuts` through every layer and compares.
fn check(case: &Case, cuts: &[usize], how: &str) {
    let chunks = split(&case.input, cuts);
    for (layer, decode) in LAYERS {
        let got: Vec<Value> = decode(Config::new(), &case.seed, &chunks)
            .iter()
            .map(to_json)
            .collect();
        assert_eq!(
            got, case.expected,
            "fixture {} through {layer}, {how}",
            case.name
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
/// are split at 512 evenly spaced points plus the first and last 64 bytes:
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
        let got: Vec<Value> = support::model::decode(&case.input, &seed)
            .iter()
            .map(to_json)
            .collect();
        assert_eq!(
            got, case.expected,
            "fixture {} through the model",
            case.name
        );
    }
}
