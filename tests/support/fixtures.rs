//! The spec fixtures as the integration tests read them: each case's
//! input, the last event ID it is seeded with, its expected items in the
//! fixture format, and the reference model's `End` for the whole input.
//! Included by the tests that use it (`#[path]`), not by `support`, which
//! the fuzz targets share and which has no JSON.

use crate::support::{model, split_end, Out};
use serde_json::Value;
use std::path::Path;

/// The fixture format: `{"type","data","id"}` or `{"retry"}`.
pub fn to_json(out: &Out) -> Value {
    match out {
        Out::Event {
            event_type,
            data,
            id,
        } => serde_json::json!({"type": event_type, "data": data, "id": id}),
        Out::Retry(time) => {
            assert_eq!(time.subsec_nanos() % 1_000_000, 0, "{time:?}");
            serde_json::json!({ "retry": u64::try_from(time.as_millis()).unwrap() })
        }
        other => panic!("{other:?} has no fixture form"),
    }
}

pub struct Case {
    pub name: String,
    pub seed: Vec<u8>,
    pub input: Vec<u8>,
    pub expected: Vec<Value>,
    /// The model's `End` for the whole input.
    pub end: Out,
}

/// Every case that `keep(input size)` keeps, in the manifest's order; the
/// files of the others are not read (Miri runs a sample).
pub fn cases_where(mut keep: impl FnMut(u64) -> bool) -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec-fixtures");
    let dir = root.join("cases");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    let listed = manifest["cases"].as_array().unwrap();
    assert!(listed.len() >= 150, "only {} fixtures", listed.len());
    listed
        .iter()
        .filter(|case| {
            let name = case["name"].as_str().unwrap();
            keep(
                std::fs::metadata(dir.join(format!("{name}.sse")))
                    .unwrap()
                    .len(),
            )
        })
        .map(|case| {
            let name = case["name"].as_str().unwrap().to_owned();
            let expected = std::fs::read(dir.join(format!("{name}.jsonl"))).unwrap();
            let seed = case["last_event_id"].as_str().unwrap_or("");
            let input = std::fs::read(dir.join(format!("{name}.sse"))).unwrap();
            let (_, end) = split_end(model::decode(&input, seed));
            Case {
                seed: seed.as_bytes().to_vec(),
                // Split on LF only: values may hold U+2028 and friends.
                expected: expected
                    .split(|&b| b == b'\n')
                    .filter(|line| !line.is_empty())
                    .map(|line| serde_json::from_slice(line).unwrap())
                    .collect(),
                input,
                end,
                name,
            }
        })
        .collect()
}
