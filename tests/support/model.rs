//! The reference model: RULES.md transliterated as naively as possible, to
//! be the oracle for the decoder in property tests and in the differential
//! fuzz target. Clarity over speed; no code shared with the crate (it names
//! only `sse_wire::ErrorKind`, so that errors can be reported in `Out`).

// Written to read like RULES.md, not like idiomatic Rust.
#![allow(clippy::collapsible_match)]

use std::time::Duration;

/// One reported item, as text per L1, or how the stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    Event {
        event_type: String,
        data: String,
        id: String,
    },
    /// F4: the reconnection time, from whole milliseconds.
    Retry(Duration),
    /// L5b: the text after the `:`, one leading space removed (reported
    /// only when asked for).
    Comment(String),
    /// A decoder limit (not part of the rules; never made by the model).
    Error(sse_wire::ErrorKind),
    /// L6, at the end of the input: always the last entry.
    End {
        /// The input ended inside a line, which was not processed.
        incomplete_line: bool,
        /// Fields of an event (`data`, `event`, or an `id` that F3 did not
        /// ignore) were processed but no blank line dispatched it.
        undispatched_event: bool,
        /// The last event ID string (D1) at the end: what a client sends
        /// when it reconnects (RULES §5, C2, C7).
        last_event_id: String,
    },
}

/// Decodes a whole stream, ending it per L6, starting from `last_event_id`;
/// comments are not reported.
pub fn decode(input: &[u8], last_event_id: &str) -> Vec<Out> {
    decode_with(input, last_event_id, false)
}

/// [`decode`], reporting comment lines (L5b) when `comments` is set.
pub fn decode_with(input: &[u8], last_event_id: &str, comments: bool) -> Vec<Out> {
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
    // L6: what is left is the incomplete last line.
    let incomplete_line = !line.is_empty();

    // L4
    let mut data = String::new();
    let mut event_type = String::new();
    let mut id_buffer = last_event_id.to_string();
    // The event source's last event ID string (D1), seeded as the buffer is.
    let mut last_event_id_string = last_event_id.to_string();
    // Whether a field of the pending event has been processed since the
    // last dispatch (L6: such an event is thrown away at the end).
    let mut pending = false;
    let mut out = Vec::new();
    for line in lines {
        // L5
        let (name, value) = if line.is_empty() {
            // L5a: dispatch.
            pending = false;
            // D1
            last_event_id_string = id_buffer.clone();
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
                id: last_event_id_string.clone(),
            });
            // D7
            data.clear();
            event_type.clear();
            continue;
        } else if let Some(comment) = line.strip_prefix(':') {
            // L5b
            if comments {
                out.push(Out::Comment(
                    comment.strip_prefix(' ').unwrap_or(comment).to_string(),
                ));
            }
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
            // F1
            "event" => {
                event_type = value.to_string();
                pending = true;
            }
            // F2
            "data" => {
                data.push_str(value);
                data.push('\n');
                pending = true;
            }
            // F3
            "id" => {
                if !value.contains('\0') {
                    id_buffer = value.to_string();
                    pending = true;
                }
            }
            "retry" => {
                // F4, with this project's choices: empty and too-large
                // values are ignored.
                if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) {
                    if let Ok(n) = value.parse::<u64>() {
                        out.push(Out::Retry(Duration::from_millis(n)));
                    }
                }
            }
            // F5
            _ => {}
        }
    }
    out.push(Out::End {
        incomplete_line,
        undispatched_event: pending,
        last_event_id: last_event_id_string,
    });
    out
}

/// The `id` values (F3, not ignored) of the lines L6 processes, as raw
/// bytes, for checking fixed-capacity ID stores.
///
/// Splitting the raw bytes at CR and LF gives the lines L1 then L3 give:
/// neither byte is ever part of an ill-formed UTF-8 sequence, so each line
/// decodes on its own to the text of that line.
pub fn id_values(input: &[u8]) -> Vec<Vec<u8>> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut values = Vec::new();
    let mut line = Vec::new();
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'\r' | b'\n' => {
                if input[i] == b'\r' && input.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                let value = if line == b"id" {
                    Some(&line[2..])
                } else {
                    line.strip_prefix(b"id:")
                };
                if let Some(value) = value {
                    let value = value.strip_prefix(b" ").unwrap_or(value);
                    if !value.contains(&0) {
                        values.push(value.to_vec());
                    }
                }
                line.clear();
            }
            byte => line.push(byte),
        }
        i += 1;
    }
    values
}
