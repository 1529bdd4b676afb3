//! The reference model: RULES.md transliterated as naively as possible, to
//! be the oracle for the decoder in property tests and in the differential
//! fuzz target. Clarity over speed; no code shared with the crate.

// Written to read like RULES.md, not like idiomatic Rust.
#![allow(clippy::collapsible_match)]

/// One reported item, as text per L1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    Event {
        event_type: String,
        data: String,
        id: String,
    },
    Retry(u64),
    Comment(String),
    Error(sse_wire::ErrorKind),
}

/// Decodes a whole stream, ending it per L6, starting from `last_event_id`.
pub fn decode(input: &[u8], last_event_id: &str) -> Vec<Out> {
    // L1: UTF-8 decode with U+FFFD per maximal subpart. L2: strip one BOM.
    let text = String::from_utf8_lossy(input);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);

    // L3: split into lines at CRLF, lone CR and LF. L6: the incomplete last
    // line (no line end) is dropped.
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\r' => {
                lines.push(std::mem::take(&mut line));
                if chars.get(i + 1) == Some(&'\n') {
                    i += 1;
                }
            }
            '\n' => lines.push(std::mem::take(&mut line)),
            c => line.push(c),
        }
        i += 1;
    }

    // L4
    let mut data = String::new();
    let mut event_type = String::new();
    let mut id_buffer = last_event_id.to_string();
    let mut out = Vec::new();
    for line in lines {
        // L5
        let (name, value) = if line.is_empty() {
            // L5a: dispatch. D1:
            let last_event_id = id_buffer.clone();
            // D2
            if data.is_empty() {
                event_type.clear();
                continue;
            }
            // D3
            if data.ends_with('\n') {
                data.pop();
            }
            // D5, D6
            let kind = if event_type.is_empty() {
                "message".to_string()
            } else {
                event_type.clone()
            };
            out.push(Out::Event {
                event_type: kind,
                data: data.clone(),
                id: last_event_id,
            });
            // D7
            data.clear();
            event_type.clear();
            continue;
        } else if line.starts_with(':') {
            // L5b
            continue;
        } else if let Some(colon) = line.find(':') {
            // L5c
            let value = &line[colon + 1..];
            (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
        } else {
            // L5d
            (&line[..], "")
        };
        match name {
            "event" => event_type = value.to_string(),
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "id" => {
                if !value.contains('\0') {
                    id_buffer = value.to_string();
                }
            }
            "retry" => {
                // F4, with this project's choices: empty and too-large
                // values are ignored.
                if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) {
                    if let Ok(n) = value.parse::<u64>() {
                        out.push(Out::Retry(n));
                    }
                }
            }
            _ => {}
        }
    }
    out
}
