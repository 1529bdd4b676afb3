#!/usr/bin/env python3
"""Generate the language-neutral SSE (text/event-stream) conformance corpus.

Every case below is written by hand: the input bytes and the expected output.
The expected outputs were worked out by hand from /work/shared/spec/RULES.md
(rule IDs G1-G8, L1-L6, L5a-L5d, F1-F5, D1-D8). This script contains NO
decoding logic: it only writes the literal data to disk and checks the shape
of the data (names, rule IDs, key order).

Usage: python3 spec-fixtures/generate.py   (stdlib only)

Output (next to this script):
  cases/NAME.sse     exact input bytes
  cases/NAME.jsonl   expected output, one JSON object per line
  manifest.json      list of cases, in order
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, "cases")

ALL_RULES = [
    "G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8",
    "L1", "L2", "L3", "L4", "L5", "L5a", "L5b", "L5c", "L5d", "L6",
    "F1", "F2", "F3", "F4", "F5",
    "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8",
]

CASES = []


def case(name, description, rules, input, expected, last_event_id=None):
    CASES.append({
        "name": name,
        "description": description,
        "rules": rules,
        "input": input,
        "expected": expected,
        "last_event_id": last_event_id,
    })


# ---------------------------------------------------------------------------
# basic-
# ---------------------------------------------------------------------------

case("basic-single-event",
     "One data field then a blank line: one event, type message, empty last event ID (fresh buffers).",
     ["G2", "G4", "G5", "G8", "L4", "L5a", "L5c", "F2", "D1", "D3", "D4", "D5", "D6", "D7", "D8"],
     b"data: hello\n\n",
     [{"type": "message", "data": "hello", "id": ""}])

case("basic-empty-input",
     "Empty input: no output.",
     ["G1", "G8", "L4", "L6"],
     b"",
     [])

case("basic-two-events",
     "Two events, each ended by a blank line; buffers are cleared in between.",
     ["G2", "G8", "L5a", "F2", "D3", "D4", "D5", "D7", "D8"],
     b"data: first\n\ndata: second\n\n",
     [{"type": "message", "data": "first", "id": ""},
      {"type": "message", "data": "second", "id": ""}])

case("basic-all-fields",
     "Comment, event, id, retry and data in one block: retry is reported when its line is processed, before the event.",
     ["G3", "G4", "L5", "L5b", "L5c", "F1", "F2", "F3", "F4", "D1", "D4", "D5", "D6", "D8"],
     b": hi\nevent: update\nid: 1\nretry: 2500\ndata: payload\n\n",
     [{"retry": 2500},
      {"type": "update", "data": "payload", "id": "1"}])

# ---------------------------------------------------------------------------
# dispatch-
# ---------------------------------------------------------------------------

case("dispatch-data-bare-gives-empty",
     "`data` without colon adds just a LF; D3 removes it; an event with data \"\" fires.",
     ["L5d", "F2", "D2", "D3", "D4", "D5", "D8"],
     b"data\n\n",
     [{"type": "message", "data": "", "id": ""}])

case("dispatch-data-colon-gives-empty",
     "`data:` adds just a LF; an event with data \"\" fires.",
     ["L5c", "F2", "D2", "D3", "D4", "D5", "D8"],
     b"data:\n\n",
     [{"type": "message", "data": "", "id": ""}])

case("dispatch-data-space-gives-empty",
     "`data: ` (one space, stripped) adds just a LF; an event with data \"\" fires.",
     ["L5c", "F2", "D3", "D4", "D5", "D8"],
     b"data: \n\n",
     [{"type": "message", "data": "", "id": ""}])

case("dispatch-two-empty-data-lines",
     "`data\\ndata\\n\\n`: buffer is LF LF, D3 removes only one LF, data is \"\\n\".",
     ["L5d", "F2", "D3", "D4", "D5", "D8"],
     b"data\ndata\n\n",
     [{"type": "message", "data": "\n", "id": ""}])

case("dispatch-three-empty-data-lines",
     "Three bare data lines: buffer is three LFs, one is removed, data is two LFs.",
     ["L5d", "F2", "D3", "D4", "D5", "D8"],
     b"data\ndata\ndata\n\n",
     [{"type": "message", "data": "\n\n", "id": ""}])

case("dispatch-data-then-empty-data",
     "`data: a` then `data:`: buffer \"a\\n\\n\", one LF removed, data \"a\\n\".",
     ["L5c", "F2", "D3", "D4", "D5", "D8"],
     b"data: a\ndata:\n\n",
     [{"type": "message", "data": "a\n", "id": ""}])

case("dispatch-empty-then-data",
     "`data:` then `data: a`: buffer \"\\na\\n\", data \"\\na\".",
     ["L5c", "F2", "D3", "D4", "D5", "D8"],
     b"data:\ndata: a\n\n",
     [{"type": "message", "data": "\na", "id": ""}])

case("dispatch-three-data-lines",
     "Several data lines are joined with LF.",
     ["F2", "D3", "D4", "D5", "D8"],
     b"data: a\ndata: b\ndata: c\n\n",
     [{"type": "message", "data": "a\nb\nc", "id": ""}])

case("dispatch-blank-lines-only",
     "Blank lines with empty buffers dispatch nothing.",
     ["G2", "L5a", "D2"],
     b"\n\n\n",
     [])

case("dispatch-event-only-block-clears-type",
     "A block with event and id but no data fires nothing and clears the event type; the id persists (D1). Next event has type message.",
     ["F1", "F3", "D1", "D2", "D6", "D7", "D4", "D5", "D8"],
     b"event: x\nid: 1\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": "1"}])

case("dispatch-id-only-blocks",
     "go-sse TestRead/Break input: id-only blocks fire no events (D2); the last `id: c` line has no blank line after it.",
     ["D1", "D2", "F3", "L6"],
     b"id: a\n\nid: b\n\nid: c\n",
     [])

case("dispatch-id-only-blocks-then-data",
     "Id-only blocks fire nothing but the last id is kept for the next event.",
     ["D1", "D2", "F3", "D4", "D5", "D8"],
     b"id: a\n\nid: b\n\ndata: z\n\n",
     [{"type": "message", "data": "z", "id": "b"}])

case("dispatch-retry-only-block",
     "A retry-only block reports the retry but fires no event (D2).",
     ["F4", "D2", "D4", "D5", "D8"],
     b"retry: 1000\n\ndata: x\n\n",
     [{"retry": 1000},
      {"type": "message", "data": "x", "id": ""}])

case("dispatch-order-independent",
     "Field order inside a block does not matter: `data`, `id`, `event` then blank line.",
     ["L5", "F1", "F2", "F3", "D1", "D5", "D6", "D4", "D8"],
     b"data: x\nid: 7\nevent: t\n\n",
     [{"type": "t", "data": "x", "id": "7"}])

case("dispatch-extra-blank-lines",
     "Extra blank lines between events dispatch nothing.",
     ["L5a", "D2", "D4", "D5", "D8"],
     b"data: a\n\n\n\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": ""},
      {"type": "message", "data": "b", "id": ""}])

case("dispatch-type-cleared-after-event",
     "The event type buffer is cleared after an event fires (D7); the next event is message.",
     ["F1", "D6", "D7", "D4", "D5", "D8"],
     b"event: t\ndata: a\n\ndata: b\n\n",
     [{"type": "t", "data": "a", "id": ""},
      {"type": "message", "data": "b", "id": ""}])

case("dispatch-typed-empty-data",
     "An event with a type and data \"\" fires (buffer held only a LF).",
     ["F1", "F2", "D2", "D3", "D6", "D4", "D5", "D8"],
     b"event: t\ndata\n\n",
     [{"type": "t", "data": "", "id": ""}])

case("dispatch-comment-only-block",
     "A block with only a comment fires nothing.",
     ["L5b", "D2"],
     b": c\n\n",
     [])

case("dispatch-unknown-only-block",
     "A block with only an unknown field fires nothing.",
     ["F5", "D2"],
     b"foo: bar\n\n",
     [])

# ---------------------------------------------------------------------------
# eol-
# ---------------------------------------------------------------------------

case("eol-combo-lf-lf",
     "Data line ends with LF, blank line is LF.",
     ["G5", "G7", "L3", "L5a", "D4", "D5", "D8"],
     b"data: x\n\ndata: y\n\n",
     [{"type": "message", "data": "x", "id": ""},
      {"type": "message", "data": "y", "id": ""}])

case("eol-combo-lf-cr",
     "Data line ends with LF, blank line is a lone CR; the final CR is the last byte and is a complete line end.",
     ["G5", "G7", "L3", "L5a", "L6", "D4", "D5", "D8"],
     b"data: x\n\rdata: y\n\r",
     [{"type": "message", "data": "x", "id": ""},
      {"type": "message", "data": "y", "id": ""}])

case("eol-combo-lf-crlf",
     "Data line ends with LF, blank line is CRLF.",
     ["G5", "G7", "L3", "L5a", "D4", "D5", "D8"],
     b"data: x\n\r\ndata: y\n\r\n",
     [{"type": "message", "data": "x", "id": ""},
      {"type": "message", "data": "y", "id": ""}])

case("eol-combo-cr-lf-merges",
     "CR then LF is one CRLF line end, not CR + blank LF line: no blank line, so nothing fires.",
     ["G5", "L3", "L6"],
     b"data: x\r\ndata: y\r\n",
     [])

case("eol-combo-cr-cr",
     "Data line ends with CR, blank line is CR (last byte CR).",
     ["G5", "G7", "L3", "L5a", "L6", "D4", "D5", "D8"],
     b"data: x\r\rdata: y\r\r",
     [{"type": "message", "data": "x", "id": ""},
      {"type": "message", "data": "y", "id": ""}])

case("eol-combo-cr-crlf",
     "`\\r\\r\\n` is two line ends (CR, then CRLF): data line ends with CR, blank line is CRLF.",
     ["G5", "G7", "L3", "L5a", "D4", "D5", "D8"],
     b"data: x\r\r\ndata: y\r\r\n",
     [{"type": "message", "data": "x", "id": ""},
      {"type": "message", "data": "y", "id": ""}])

case("eol-combo-crlf-lf",
     "`\\r\\n\\n`: data line ends with CRLF, blank line is LF.",
     ["G5", "G7", "L3", "L5a", "D4", "D5", "D8"],
     b"data: x\r\n\ndata: y\r\n\n",
     [{"type": "message", "data": "x", "id": ""},
      {"type": "message", "data": "y", "id": ""}])

case("eol-combo-crlf-cr",
     "Data line ends with CRLF, blank line is CR (last byte CR).",
     ["G5", "G7", "L3", "L5a", "L6", "D4", "D5", "D8"],
     b"data: x\r\n\rdata: y\r\n\r",
     [{"type": "message", "data": "x", "id": ""},
      {"type": "message", "data": "y", "id": ""}])

case("eol-combo-crlf-crlf",
     "Data line ends with CRLF, blank line is CRLF.",
     ["G5", "G7", "L3", "L5a", "D4", "D5", "D8"],
     b"data: x\r\n\r\ndata: y\r\n\r\n",
     [{"type": "message", "data": "x", "id": ""},
      {"type": "message", "data": "y", "id": ""}])

case("eol-all-cr-fields",
     "Every line ends with CR.",
     ["G5", "G7", "L3", "F1", "F2", "F3", "D4", "D5", "D6", "D8"],
     b"event: e\rid: 1\rdata: a\rdata: b\r\r",
     [{"type": "e", "data": "a\nb", "id": "1"}])

case("eol-all-crlf-fields",
     "Every line ends with CRLF.",
     ["G5", "G7", "L3", "F1", "F2", "F3", "D4", "D5", "D6", "D8"],
     b"event: e\r\nid: 1\r\ndata: a\r\ndata: b\r\n\r\n",
     [{"type": "e", "data": "a\nb", "id": "1"}])

case("eol-mixed-in-one-stream",
     "CR, LF and CRLF mixed in one event and across events.",
     ["G5", "G7", "L3", "L5a", "F2", "D3", "D4", "D5", "D8"],
     b"data: a\rdata: b\ndata: c\r\n\r\ndata: d\n\r\n",
     [{"type": "message", "data": "a\nb\nc", "id": ""},
      {"type": "message", "data": "d", "id": ""}])

case("eol-lf-cr-splits-event",
     "`\\n\\r` is two line ends, so the CR makes a blank line in the middle of what looks like one event.",
     ["L3", "L5a", "D6", "D7", "D4", "D5", "D8"],
     b"event: t\ndata: a\n\rdata: b\n\n",
     [{"type": "t", "data": "a", "id": ""},
      {"type": "message", "data": "b", "id": ""}])

case("eol-cr-crlf-is-two",
     "`\\r\\r\\n` after a data line: CR ends the line, CRLF is a blank line.",
     ["L3", "L5a", "D4", "D5", "D8"],
     b"data: a\r\r\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": ""},
      {"type": "message", "data": "b", "id": ""}])

case("eol-cr-last-byte-dispatches",
     "`data: x\\r\\r` at EOF: the final CR is a complete blank line, so the event fires.",
     ["L3", "L6", "L5a", "D4", "D5", "D8"],
     b"data: x\r\r",
     [{"type": "message", "data": "x", "id": ""}])

case("eol-cr-last-byte-no-blank",
     "`data: x\\r` at EOF: the line is complete but no blank line follows; nothing fires.",
     ["L3", "L6"],
     b"data: x\r",
     [])

case("eol-cr-crlf-at-end",
     "`data: x\\r\\r\\n` at EOF: CR ends the line, CRLF is the blank line.",
     ["L3", "L6", "L5a", "D4", "D5", "D8"],
     b"data: x\r\r\n",
     [{"type": "message", "data": "x", "id": ""}])

case("eol-lone-cr-inside-line",
     "A CR in the middle of a line ends it; the rest `b` becomes a field with no colon (unknown).",
     ["L3", "L5d", "F5", "D4", "D5", "D8"],
     b"data: a\rb\n\n",
     [{"type": "message", "data": "a", "id": ""}])

case("eol-leading-line-ends",
     "Blank lines of each kind at the start of the stream dispatch nothing.",
     ["L3", "L5a", "D2", "D4", "D5", "D8"],
     b"\r\n\n\rdata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("eol-only-line-ends",
     "Input made only of line ends: nothing.",
     ["G5", "L3", "L5a", "D2"],
     b"\r\n\r\n\n\r\r\n\r",
     [])

case("eol-cr-cr-cr",
     "Three CRs after a data line: line end, blank (fires), blank (nothing).",
     ["L3", "L5a", "D2", "D4", "D5", "D8"],
     b"data: a\r\r\rdata: b\r\r",
     [{"type": "message", "data": "a", "id": ""},
      {"type": "message", "data": "b", "id": ""}])

case("eol-crlf-many-blank",
     "Several CRLF blank lines between events.",
     ["L3", "L5a", "D2", "D4", "D5", "D8"],
     b"data: a\r\n\r\n\r\n\r\ndata: b\r\n\r\n",
     [{"type": "message", "data": "a", "id": ""},
      {"type": "message", "data": "b", "id": ""}])

case("eol-vt-ff-not-line-end",
     "Vertical tab (0B) and form feed (0C) are not line ends; kept in the value.",
     ["L3", "F2", "D4", "D5", "D8"],
     b"data: a\x0bb\x0cc\n\n",
     [{"type": "message", "data": "a\x0bb\x0cc", "id": ""}])

case("eol-fs-gs-rs-not-line-end",
     "U+001C, U+001D, U+001E are not line ends.",
     ["L3", "F2", "D4", "D5", "D8"],
     b"data: a\x1cb\x1dc\x1ed\n\n",
     [{"type": "message", "data": "a\x1cb\x1dc\x1ed", "id": ""}])

case("eol-nel-not-line-end",
     "U+0085 NEXT LINE (C2 85) is not a line end.",
     ["L3", "L1", "F2", "D4", "D5", "D8"],
     b"data: a\xc2\x85b\n\n",
     [{"type": "message", "data": "a\u0085b", "id": ""}])

case("eol-ls-ps-not-line-end",
     "U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are not line ends.",
     ["L3", "L1", "F2", "D4", "D5", "D8"],
     b"data: a\xe2\x80\xa8b\xe2\x80\xa9c\n\n",
     [{"type": "message", "data": "a\u2028b\u2029c", "id": ""}])

case("eol-nul-not-line-end",
     "NUL is not a line end and is kept in data.",
     ["L3", "F2", "D3", "D4", "D5", "D8"],
     b"data: \x00\x00\ndata: a\x00\n\n",
     [{"type": "message", "data": "\u0000\u0000\na\u0000", "id": ""}])

case("eol-overlong-lf-not-line-end",
     "Overlong LF (C0 8A) is two U+FFFD, not a line end.",
     ["L1", "L3", "G6", "D4", "D5", "D8"],
     b"data: a\xc0\x8ab\n\n",
     [{"type": "message", "data": "a\ufffd\ufffdb", "id": ""}])

case("eol-overlong-cr-not-line-end",
     "Overlong CR (E0 80 8D) is three U+FFFD, not a line end.",
     ["L1", "L3", "G6", "D4", "D5", "D8"],
     b"data: a\xe0\x80\x8db\n\n",
     [{"type": "message", "data": "a\ufffd\ufffd\ufffdb", "id": ""}])

case("eol-backslash-n-literal",
     "A literal backslash followed by `n` is just two characters.",
     ["L3", "F2", "D4", "D5", "D8"],
     b"data: a\\nb\n\n",
     [{"type": "message", "data": "a\\nb", "id": ""}])

# ---------------------------------------------------------------------------
# bom-
# ---------------------------------------------------------------------------

case("bom-start",
     "A leading UTF-8 BOM is stripped.",
     ["G1", "L2", "D4", "D5", "D8"],
     b"\xef\xbb\xbfdata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("bom-twice",
     "Only one BOM is stripped; the second is U+FEFF at the start of the field name, so `\\uFEFFdata` is unknown.",
     ["G1", "L2", "F5", "D2", "D4", "D5", "D8"],
     b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

case("bom-mid-stream-line-start",
     "A BOM at the start of a later line is part of the field name: unknown field, ignored.",
     ["L2", "F5", "D2", "D4", "D5", "D8"],
     b"data: a\n\n\xef\xbb\xbfdata: b\n\ndata: c\n\n",
     [{"type": "message", "data": "a", "id": ""},
      {"type": "message", "data": "c", "id": ""}])

case("bom-mid-stream-alone-not-blank",
     "A line holding only a mid-stream BOM is not blank (it is an unknown field with no colon), so it does not end the event.",
     ["L2", "L5d", "F5", "D3", "D4", "D5", "D8"],
     b"data: a\n\xef\xbb\xbf\ndata: b\n\n",
     [{"type": "message", "data": "a\nb", "id": ""}])

case("bom-mid-stream-id",
     "`\\uFEFFid: 2` is an unknown field; the id stays 1.",
     ["L2", "F3", "F5", "D1", "D4", "D5", "D8"],
     b"id: 1\n\xef\xbb\xbfid: 2\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "1"}])

case("bom-inside-value",
     "A BOM inside a data value is kept as U+FEFF.",
     ["L2", "F2", "D4", "D5", "D8"],
     b"data: \xef\xbb\xbfx\n\n",
     [{"type": "message", "data": "\ufeffx", "id": ""}])

case("bom-start-and-in-value",
     "Leading BOM stripped; a BOM as the whole data value is kept.",
     ["G1", "L2", "F2", "D4", "D5", "D8"],
     b"\xef\xbb\xbfdata: \xef\xbb\xbf\n\n",
     [{"type": "message", "data": "\ufeff", "id": ""}])

case("bom-in-event-type",
     "A BOM at the start of an event value is kept in the type.",
     ["L2", "F1", "D6", "D4", "D5", "D8"],
     b"event: \xef\xbb\xbft\ndata: x\n\n",
     [{"type": "\ufefft", "data": "x", "id": ""}])

case("bom-in-id-value",
     "A BOM as the id value is kept as U+FEFF.",
     ["L2", "F3", "D1", "D4", "D5", "D8"],
     b"id: \xef\xbb\xbf\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "\ufeff"}])

case("bom-partial-start-ef-bb",
     "EF BB followed by `d` is not a BOM: one U+FFFD, so the first line's field name is `\\uFFFDdata` (unknown).",
     ["L1", "L2", "F5", "D2", "D4", "D5", "D8"],
     b"\xef\xbbdata: x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

case("bom-partial-start-ef",
     "A lone EF followed by `d` at the start: one U+FFFD, the first field is unknown.",
     ["L1", "L2", "F5", "D2", "D4", "D5", "D8"],
     b"\xefdata: x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

case("bom-partial-in-value",
     "EF BB followed by `x` in a value: one U+FFFD then `x`.",
     ["L1", "L2", "F2", "D4", "D5", "D8"],
     b"data: \xef\xbbx\n\n",
     [{"type": "message", "data": "\ufffdx", "id": ""}])

case("bom-then-lf",
     "A LF right after the stripped BOM is an ordinary blank line (not glued to the next field name).",
     ["G1", "L2", "L5a", "D2", "D4", "D5", "D8"],
     b"\xef\xbb\xbf\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("bom-then-cr",
     "A CR right after the stripped BOM is an ordinary blank line.",
     ["G1", "L2", "L3", "L5a", "D2", "D4", "D5", "D8"],
     b"\xef\xbb\xbf\rdata: x\r\r",
     [{"type": "message", "data": "x", "id": ""}])

case("bom-then-crlf",
     "A CRLF right after the stripped BOM is an ordinary blank line.",
     ["G1", "L2", "L3", "L5a", "D2", "D4", "D5", "D8"],
     b"\xef\xbb\xbf\r\ndata: x\r\n\r\n",
     [{"type": "message", "data": "x", "id": ""}])

case("bom-only",
     "A stream that is only a BOM: nothing.",
     ["G1", "L2", "L6"],
     b"\xef\xbb\xbf",
     [])

case("bom-only-with-blank-lines",
     "BOM then two blank lines: nothing.",
     ["G1", "L2", "L5a", "D2"],
     b"\xef\xbb\xbf\n\n",
     [])

case("bom-then-comment",
     "After the stripped BOM, a line starting with `:` is a comment.",
     ["G1", "G3", "L2", "L5b", "D4", "D5", "D8"],
     b"\xef\xbb\xbf: comment\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("bom-before-id",
     "After the stripped BOM, `id` is recognised; the id-only block keeps the id for the next event.",
     ["G1", "L2", "F3", "D1", "D2", "D4", "D5", "D8"],
     b"\xef\xbb\xbfid: 5\n\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "5"}])

case("bom-utf16le-not-bom",
     "FF FE (a UTF-16LE BOM) is two U+FFFD, making the first field name unknown.",
     ["L1", "L2", "F5", "G6", "D4", "D5", "D8"],
     b"\xff\xfedata: x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

case("bom-utf16be-not-bom",
     "FE FF (a UTF-16BE BOM) is two U+FFFD, making the first field name unknown.",
     ["L1", "L2", "F5", "G6", "D4", "D5", "D8"],
     b"\xfe\xffdata: x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

# ---------------------------------------------------------------------------
# utf8-
# ---------------------------------------------------------------------------

case("utf8-valid-2-3-4-byte",
     "Valid 2-, 3- and 4-byte characters (e-acute, euro sign, emoji) are decoded.",
     ["G6", "L1", "F2", "D4", "D5", "D8"],
     b"data: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n\n",
     [{"type": "message", "data": "\u00e9 \u20ac \U0001F600", "id": ""}])

case("utf8-valid-boundaries",
     "Smallest/largest valid characters of each length: U+0080, U+07FF, U+0800, U+FFFD, U+10000, U+10FFFF.",
     ["G6", "L1", "F2", "D4", "D5", "D8"],
     b"data: \xc2\x80|\xdf\xbf|\xe0\xa0\x80|\xef\xbf\xbd|\xf0\x90\x80\x80|\xf4\x8f\xbf\xbf\n\n",
     [{"type": "message", "data": "\u0080|\u07ff|\u0800|\ufffd|\U00010000|\U0010FFFF", "id": ""}])

case("utf8-surrogate-neighbours-valid",
     "ED 9F BF (U+D7FF) and EE 80 80 (U+E000) are valid.",
     ["G6", "L1", "F2", "D4", "D5", "D8"],
     b"data: \xed\x9f\xbf\xee\x80\x80\n\n",
     [{"type": "message", "data": "\ud7ff\ue000", "id": ""}])

case("utf8-noncharacters-kept",
     "Noncharacters U+FFFE and U+FFFF are valid scalar values and are kept.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xef\xbf\xbe\xef\xbf\xbf\n\n",
     [{"type": "message", "data": "\ufffe\uffff", "id": ""}])

case("utf8-lone-ff",
     "A lone FF byte is one U+FFFD.",
     ["G6", "L1", "F2", "D4", "D5", "D8"],
     b"data: a\xffb\n\n",
     [{"type": "message", "data": "a\ufffdb", "id": ""}])

case("utf8-lone-fe",
     "A lone FE byte is one U+FFFD.",
     ["G6", "L1", "F2", "D4", "D5", "D8"],
     b"data: a\xfeb\n\n",
     [{"type": "message", "data": "a\ufffdb", "id": ""}])

case("utf8-lone-continuation-80",
     "A lone continuation byte 80 is one U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \x80\n\n",
     [{"type": "message", "data": "\ufffd", "id": ""}])

case("utf8-lone-continuation-bf",
     "A lone continuation byte BF is one U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: a\xbfb\n\n",
     [{"type": "message", "data": "a\ufffdb", "id": ""}])

case("utf8-continuation-run",
     "Three continuation bytes in a row: three U+FFFD (one per byte).",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \x80\x80\xbf\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-truncated-2-byte",
     "C3 then `A`: one U+FFFD, then `A` read normally.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xc3A\n\n",
     [{"type": "message", "data": "\ufffdA", "id": ""}])

case("utf8-truncated-3-byte-1",
     "E2 then `A`: one U+FFFD, then `A`.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xe2A\n\n",
     [{"type": "message", "data": "\ufffdA", "id": ""}])

case("utf8-truncated-3-byte-2",
     "E2 82 then `A`: one U+FFFD (maximal subpart), then `A`.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xe2\x82A\n\n",
     [{"type": "message", "data": "\ufffdA", "id": ""}])

case("utf8-truncated-4-byte-1",
     "F0 then `A`: one U+FFFD, then `A`.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xf0A\n\n",
     [{"type": "message", "data": "\ufffdA", "id": ""}])

case("utf8-truncated-4-byte-2",
     "F0 9F then `A`: one U+FFFD, then `A`.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xf0\x9fA\n\n",
     [{"type": "message", "data": "\ufffdA", "id": ""}])

case("utf8-truncated-4-byte-3",
     "F0 9F 98 then `A`: one U+FFFD, then `A`.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xf0\x9f\x98A\n\n",
     [{"type": "message", "data": "\ufffdA", "id": ""}])

case("utf8-truncated-f4-then-ascii",
     "F4 8F BF (valid prefix of U+10FFFF) then `A`: one U+FFFD, then `A`.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xf4\x8f\xbfA\n\n",
     [{"type": "message", "data": "\ufffdA", "id": ""}])

case("utf8-lead-then-lead",
     "C3 followed by C3 A9: the first C3 is one U+FFFD, then e-acute.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xc3\xc3\xa9\n\n",
     [{"type": "message", "data": "\ufffd\u00e9", "id": ""}])

case("utf8-overlong-c0-af",
     "Overlong C0 AF: two U+FFFD.",
     ["L1", "G6", "F2", "D4", "D5", "D8"],
     b"data: \xc0\xaf\n\n",
     [{"type": "message", "data": "\ufffd\ufffd", "id": ""}])

case("utf8-overlong-c1-bf",
     "Overlong C1 BF: two U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xc1\xbf\n\n",
     [{"type": "message", "data": "\ufffd\ufffd", "id": ""}])

case("utf8-overlong-e0-80-80",
     "Overlong E0 80 80: three U+FFFD (E0 needs A0..BF next).",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xe0\x80\x80\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-overlong-e0-9f-bf",
     "Overlong E0 9F BF: three U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xe0\x9f\xbf\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-overlong-f0-80-80-80",
     "Overlong F0 80 80 80: four U+FFFD (F0 needs 90..BF next).",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xf0\x80\x80\x80\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-overlong-f0-8f-bf-bf",
     "Overlong F0 8F BF BF: four U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xf0\x8f\xbf\xbf\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-surrogate-ed-a0-80",
     "Encoded surrogate ED A0 80: three U+FFFD (ED needs 80..9F next).",
     ["L1", "G6", "F2", "D4", "D5", "D8"],
     b"data: \xed\xa0\x80\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-surrogate-ed-bf-bf",
     "Encoded surrogate ED BF BF: three U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xed\xbf\xbf\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-surrogate-pair-cesu",
     "A CESU-8 surrogate pair ED A0 BD ED B8 80: six U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xed\xa0\xbd\xed\xb8\x80\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-surrogate-then-ascii",
     "ED A0 then `A`: ED and A0 are one U+FFFD each, then `A`.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xed\xa0A\n\n",
     [{"type": "message", "data": "\ufffd\ufffdA", "id": ""}])

case("utf8-above-max-f4-90-80-80",
     "F4 90 80 80 (above U+10FFFF): four U+FFFD (F4 needs 80..8F next).",
     ["L1", "G6", "F2", "D4", "D5", "D8"],
     b"data: \xf4\x90\x80\x80\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-f5-lead",
     "F5 80 80 80: F5 is never valid, four U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xf5\x80\x80\x80\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-f8-five-byte-form",
     "Old 5-byte form F8 88 80 80 80: five U+FFFD.",
     ["L1", "F2", "D4", "D5", "D8"],
     b"data: \xf8\x88\x80\x80\x80\n\n",
     [{"type": "message", "data": "\ufffd\ufffd\ufffd\ufffd\ufffd", "id": ""}])

case("utf8-truncated-before-lf",
     "F0 9F 98 then LF: one U+FFFD, then the LF ends the line.",
     ["L1", "L3", "F2", "D3", "D4", "D5", "D8"],
     b"data: \xf0\x9f\x98\ndata: b\n\n",
     [{"type": "message", "data": "\ufffd\nb", "id": ""}])

case("utf8-truncated-before-cr",
     "E2 82 then CR: one U+FFFD, then the CR ends the line.",
     ["L1", "L3", "F2", "D4", "D5", "D8"],
     b"data: \xe2\x82\r\r",
     [{"type": "message", "data": "\ufffd", "id": ""}])

case("utf8-truncated-before-crlf",
     "C3 then CRLF: one U+FFFD, then CRLF ends the line.",
     ["L1", "L3", "F2", "D4", "D5", "D8"],
     b"data: \xc3\r\n\r\n",
     [{"type": "message", "data": "\ufffd", "id": ""}])

case("utf8-truncated-at-eof",
     "A truncated sequence at EOF sits on an incomplete line that is not processed.",
     ["L1", "L6", "D4", "D5", "D8"],
     b"data: x\n\ndata: \xe2\x82",
     [{"type": "message", "data": "x", "id": ""}])

case("utf8-invalid-field-name",
     "A field name that is a lone 80 byte decodes to U+FFFD: unknown field, ignored (not an error).",
     ["L1", "L5c", "F5", "D4", "D5", "D8"],
     b"\x80: x\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

case("utf8-invalid-in-data-name",
     "`d\\xFFata` decodes to `d\\uFFFData`: unknown field.",
     ["L1", "F5", "D2", "D4", "D5", "D8"],
     b"d\xffata: x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

case("utf8-invalid-in-id",
     "Invalid bytes in an id value become U+FFFD; the id is still set (not an error).",
     ["L1", "F3", "D1", "D4", "D5", "D8"],
     b"id: a\xffb\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "a\ufffdb"}])

case("utf8-invalid-in-event-type",
     "C0 right before LF in an event value: one U+FFFD, type `t\\uFFFD`.",
     ["L1", "F1", "D6", "D4", "D5", "D8"],
     b"event: t\xc0\ndata: x\n\n",
     [{"type": "t\ufffd", "data": "x", "id": ""}])

case("utf8-invalid-in-comment",
     "Invalid bytes in a comment are irrelevant.",
     ["L1", "L5b", "D4", "D5", "D8"],
     b": \xff\xfe\xc0\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("utf8-emoji-type-id-data",
     "Multi-byte characters in event type, id and data.",
     ["L1", "F1", "F2", "F3", "D4", "D5", "D6", "D8"],
     b"event: \xf0\x9f\x8e\x89\nid: \xe2\x9c\x93\ndata: \xf0\x9f\x98\x80\n\n",
     [{"type": "\U0001F389", "data": "\U0001F600", "id": "\u2713"}])

case("utf8-overlong-nul-in-id",
     "Overlong NUL C0 80 is two U+FFFD, not a NUL, so the id is set to them.",
     ["L1", "F3", "D1", "D4", "D5", "D8"],
     b"id: 1\nid: \xc0\x80\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "\ufffd\ufffd"}])

case("utf8-overlong-colon-not-separator",
     "Overlong colon C0 BA is two U+FFFD, not a colon: `data\\uFFFD\\uFFFD x` is an unknown field with no colon.",
     ["L1", "L5d", "F5", "D2", "D4", "D5", "D8"],
     b"data\xc0\xba x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

# ---------------------------------------------------------------------------
# retry-
# ---------------------------------------------------------------------------

case("retry-basic",
     "A valid retry is reported before the event of its block.",
     ["F4", "L5c", "D4", "D5", "D8"],
     b"retry: 1000\ndata: x\n\n",
     [{"retry": 1000},
      {"type": "message", "data": "x", "id": ""}])

case("retry-after-data-in-block",
     "Retry after data in a block is still reported before the event (the event only fires at the blank line).",
     ["F4", "L5a", "D4", "D5", "D8"],
     b"data: x\nretry: 5\n\n",
     [{"retry": 5},
      {"type": "message", "data": "x", "id": ""}])

case("retry-no-space",
     "`retry:5000` without the space.",
     ["F4", "L5c"],
     b"retry:5000\n",
     [{"retry": 5000}])

case("retry-eof-with-lf",
     "`retry: 5\\n` at EOF: the line is complete and processed, so the retry is reported.",
     ["F4", "L6"],
     b"retry: 5\n",
     [{"retry": 5}])

case("retry-eof-with-cr",
     "`retry: 5\\r` at EOF: a final CR is a complete line end.",
     ["F4", "L3", "L6"],
     b"retry: 5\r",
     [{"retry": 5}])

case("retry-eof-with-crlf",
     "`retry: 5\\r\\n` at EOF.",
     ["F4", "L3", "L6"],
     b"retry: 5\r\n",
     [{"retry": 5}])

case("retry-eof-without-line-end",
     "`retry: 5` with no line end at EOF: incomplete line, not processed.",
     ["F4", "L6"],
     b"retry: 5",
     [])

case("retry-zero",
     "`retry: 0` is accepted.",
     ["F4"],
     b"retry: 0\n",
     [{"retry": 0}])

case("retry-leading-zeros",
     "`retry: 007` gives 7.",
     ["F4"],
     b"retry: 007\n",
     [{"retry": 7}])

case("retry-leading-zero-not-octal",
     "`retry: 03000` gives 3000 (decimal, not octal).",
     ["F4"],
     b"retry: 03000\n",
     [{"retry": 3000}])

case("retry-all-zeros",
     "`retry: 0000` gives 0.",
     ["F4"],
     b"retry: 0000\n",
     [{"retry": 0}])

case("retry-max-u64",
     "18446744073709551615 (u64 max) is accepted exactly.",
     ["F4"],
     b"retry: 18446744073709551615\n",
     [{"retry": 18446744073709551615}])

case("retry-max-u64-leading-zeros",
     "u64 max with leading zeros: the integer still fits in u64, so it is accepted.",
     ["F4"],
     b"retry: 00018446744073709551615\n",
     [{"retry": 18446744073709551615}])

case("retry-overflow-by-one",
     "18446744073709551616 (u64 max + 1) does not fit in u64: ignored.",
     ["F4"],
     b"retry: 18446744073709551616\n",
     [])

case("retry-overflow-20-nines",
     "99999999999999999999 does not fit in u64: ignored.",
     ["F4"],
     b"retry: 99999999999999999999\n",
     [])

case("retry-20-digits-fits",
     "10000000000000000000 has 20 digits but fits in u64: accepted.",
     ["F4"],
     b"retry: 10000000000000000000\n",
     [{"retry": 10000000000000000000}])

case("retry-above-2-pow-53",
     "9007199254740993 (2^53 + 1) must stay exact (no float).",
     ["F4"],
     b"retry: 9007199254740993\n",
     [{"retry": 9007199254740993}])

case("retry-very-long-digits",
     "A 1000-digit retry value overflows u64: ignored; a following valid retry still works.",
     ["F4"],
     b"retry: " + b"9" * 1000 + b"\nretry: 42\n",
     [{"retry": 42}])

case("retry-plus-sign",
     "`retry: +5`: sign, ignored.",
     ["F4"],
     b"retry: +5\n",
     [])

case("retry-minus-sign",
     "`retry: -5`: sign, ignored.",
     ["F4"],
     b"retry: -5\n",
     [])

case("retry-decimal-point",
     "`retry: 1.5` and `retry: 1000.`: decimal point, ignored.",
     ["F4"],
     b"retry: 1.5\nretry: 1000.\n",
     [])

case("retry-exponent",
     "`retry: 1e3`: exponent notation, ignored.",
     ["F4"],
     b"retry: 1e3\n",
     [])

case("retry-two-leading-spaces",
     "`retry:  5`: only one space is stripped, value ` 5` is not all digits: ignored.",
     ["F4", "L5c"],
     b"retry:  5\n",
     [])

case("retry-trailing-space",
     "`retry: 5 `: trailing space, ignored.",
     ["F4", "L5c"],
     b"retry: 5 \n",
     [])

case("retry-tab",
     "`retry:\\t5`: tab is not stripped, ignored.",
     ["F4", "L5c"],
     b"retry:\t5\n",
     [])

case("retry-full-width-digits",
     "Full-width digits U+FF11 U+FF10 (not ASCII): ignored.",
     ["F4", "L1"],
     b"retry: \xef\xbc\x91\xef\xbc\x90\n",
     [])

case("retry-arabic-indic-digit",
     "Arabic-indic digit U+0665 (not ASCII): ignored.",
     ["F4", "L1"],
     b"retry: \xd9\xa5\n",
     [])

case("retry-hex",
     "`retry: 0x10` and `retry: ff`: hex, ignored.",
     ["F4"],
     b"retry: 0x10\nretry: ff\n",
     [])

case("retry-unit-suffix",
     "`retry: 5ms`: ignored.",
     ["F4"],
     b"retry: 5ms\n",
     [])

case("retry-empty-colon",
     "`retry:` (empty value): ignored by this project's choice (RULES section 5).",
     ["F4", "L5c"],
     b"retry:\n",
     [])

case("retry-empty-space",
     "`retry: ` (value empty after stripping the space): ignored.",
     ["F4", "L5c"],
     b"retry: \n",
     [])

case("retry-empty-no-colon",
     "`retry` with no colon (empty value): ignored.",
     ["F4", "L5d"],
     b"retry\n",
     [])

case("retry-empty-then-event",
     "An empty retry does not prevent the next event (WPT format-field-retry-empty).",
     ["F4", "L5d", "D4", "D5", "D8"],
     b"retry\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("retry-multiple",
     "Each accepted retry is reported in order, interleaved with events.",
     ["F4", "D4", "D5", "D8"],
     b"retry: 1\nretry: 2\ndata: x\n\nretry: 3\n",
     [{"retry": 1},
      {"retry": 2},
      {"type": "message", "data": "x", "id": ""},
      {"retry": 3}])

case("retry-invalid-between-valid",
     "Ignored retry values produce no line; valid ones around them do.",
     ["F4"],
     b"retry: 100\nretry: abc\nretry: 200\n",
     [{"retry": 100},
      {"retry": 200}])

case("retry-with-nul",
     "`retry: 5` followed by NUL: not all digits, ignored.",
     ["F4"],
     b"retry: 5\x00\n",
     [])

case("retry-colon-in-value",
     "`retry: 5:0`: value is `5:0`, ignored.",
     ["F4", "L5c"],
     b"retry: 5:0\n",
     [])

case("retry-bom-before-digits",
     "U+FEFF before the digits: not all digits, ignored.",
     ["F4", "L2"],
     b"retry: \xef\xbb\xbf5\n",
     [])

case("retry-field-name-case",
     "`Retry` and `RETRY` are unknown fields.",
     ["F4", "F5"],
     b"Retry: 5\nRETRY: 6\n",
     [])

case("retry-comma-separated",
     "`retry: 1,000`: ignored.",
     ["F4"],
     b"retry: 1,000\n",
     [])

# ---------------------------------------------------------------------------
# id-
# ---------------------------------------------------------------------------

case("id-basic",
     "An id field sets the last event ID.",
     ["F3", "D1", "D5", "D4", "D8"],
     b"id: 1\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "1"}])

case("id-persists",
     "The id carries over to later events (buffer not cleared).",
     ["F3", "D1", "D7", "D4", "D5", "D8"],
     b"id: 1\ndata: a\n\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": "1"},
      {"type": "message", "data": "b", "id": "1"}])

case("id-changes",
     "A new id replaces the old one.",
     ["F3", "D1", "D4", "D5", "D8"],
     b"id: 1\ndata: a\n\nid: 2\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": "1"},
      {"type": "message", "data": "b", "id": "2"}])

case("id-last-wins",
     "Two ids in one block: the last wins.",
     ["F3", "D1", "D4", "D5", "D8"],
     b"id: 1\nid: 2\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "2"}])

case("id-after-data",
     "An id after the data in a block applies to that event.",
     ["F3", "D1", "D4", "D5", "D8"],
     b"data: a\nid: 9\n\n",
     [{"type": "message", "data": "a", "id": "9"}])

case("id-reset-by-empty-colon",
     "`id:` resets the id to \"\", also for later events.",
     ["F3", "L5c", "D1", "D4", "D5", "D8"],
     b"id: 1\ndata: a\n\nid:\ndata: b\n\ndata: c\n\n",
     [{"type": "message", "data": "a", "id": "1"},
      {"type": "message", "data": "b", "id": ""},
      {"type": "message", "data": "c", "id": ""}])

case("id-reset-by-bare-id",
     "`id` with no colon resets the id to \"\".",
     ["F3", "L5d", "D1", "D4", "D5", "D8"],
     b"id: 1\ndata: a\n\nid\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": "1"},
      {"type": "message", "data": "b", "id": ""}])

case("id-reset-by-id-space",
     "`id: ` (empty after one space is stripped) resets the id.",
     ["F3", "L5c", "D1", "D4", "D5", "D8"],
     b"id: 1\ndata: a\n\nid: \ndata: b\n\n",
     [{"type": "message", "data": "a", "id": "1"},
      {"type": "message", "data": "b", "id": ""}])

case("id-block-without-data-carried",
     "An id in a block with no data: nothing fires, but D1 still copies it and the next event carries it.",
     ["F3", "D1", "D2", "D4", "D5", "D8"],
     b"id: 7\n\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "7"}])

case("id-reset-in-dataless-block",
     "An id reset in a data-less block still takes effect for the next event.",
     ["F3", "D1", "D2", "D4", "D5", "D8"],
     b"id: 1\ndata: a\n\nid\n\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": "1"},
      {"type": "message", "data": "b", "id": ""}])

case("id-with-nul-ignored",
     "An id value containing NUL is ignored; the old id stays.",
     ["F3", "D1", "D4", "D5", "D8"],
     b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": "1"},
      {"type": "message", "data": "b", "id": "1"}])

case("id-nul-only-ignored",
     "An id value that is just NUL is ignored.",
     ["F3", "D1", "D4", "D5", "D8"],
     b"id: 5\nid: \x00\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "5"}])

case("id-nul-first",
     "An id with NUL before any id: buffer stays \"\".",
     ["F3", "L4", "D1", "D4", "D5", "D8"],
     b"id: \x00abc\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("id-nul-trailing-ignored",
     "An id with a trailing NUL is ignored; a later valid id in the same block is used.",
     ["F3", "D1", "D4", "D5", "D8"],
     b"id: a\x00\nid: b\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "b"}])

case("id-multibyte-and-colons",
     "Multi-byte characters, colons and spaces are allowed in the id.",
     ["F3", "L5c", "L1", "D1", "D4", "D5", "D8"],
     b"id: \xc3\xa9:\xe2\x82\xac: \xf0\x9f\x98\x80\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "\u00e9:\u20ac: \U0001F600"}])

case("id-spaces-kept",
     "`id:  a b ` keeps one leading space and the trailing space.",
     ["F3", "L5c", "D1", "D4", "D5", "D8"],
     b"id:  a b \ndata: x\n\n",
     [{"type": "message", "data": "x", "id": " a b "}])

case("id-tab-not-stripped",
     "`id:\\t1`: the tab is part of the id.",
     ["F3", "L5c", "D1", "D4", "D5", "D8"],
     b"id:\t1\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "\t1"}])

case("id-no-space",
     "`id:abc`.",
     ["F3", "L5c", "D1", "D4", "D5", "D8"],
     b"id:abc\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": "abc"}])

case("id-field-name-case",
     "`ID` and `Id` are unknown fields.",
     ["F3", "F5", "D1", "D4", "D5", "D8"],
     b"ID: 1\nId: 2\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("id-unterminated-at-eof",
     "An id on an incomplete last line is not processed (no observable effect, nothing extra output).",
     ["F3", "L6", "D4", "D5", "D8"],
     b"data: a\n\nid: 9",
     [{"type": "message", "data": "a", "id": ""}])

case("id-seeded-kept",
     "Decoder seeded with last_event_id \"42\": events carry it until changed.",
     ["L4", "D1", "D5", "D4", "D8"],
     b"data: a\n\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": "42"},
      {"type": "message", "data": "b", "id": "42"}],
     last_event_id="42")

case("id-seeded-changed",
     "Seeded with \"42\": first event carries 42, then an id field changes it.",
     ["L4", "F3", "D1", "D4", "D5", "D8"],
     b"data: a\n\nid: 43\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": "42"},
      {"type": "message", "data": "b", "id": "43"}],
     last_event_id="42")

case("id-seeded-reset-by-empty",
     "Seeded with \"42\": a bare `id` resets it to \"\"; a NUL id after that is ignored.",
     ["L4", "F3", "D1", "D4", "D5", "D8"],
     b"id\ndata: a\n\nid: 4\x002\ndata: b\n\n",
     [{"type": "message", "data": "a", "id": ""},
      {"type": "message", "data": "b", "id": ""}],
     last_event_id="42")

# ---------------------------------------------------------------------------
# event-
# ---------------------------------------------------------------------------

case("event-basic",
     "An event field sets the type.",
     ["F1", "D6", "D4", "D5", "D8"],
     b"event: add\ndata: x\n\n",
     [{"type": "add", "data": "x", "id": ""}])

case("event-not-persisting",
     "The event type does not carry over to the next event.",
     ["F1", "D6", "D7", "D4", "D5", "D8"],
     b"event: add\ndata: a\n\ndata: b\n\n",
     [{"type": "add", "data": "a", "id": ""},
      {"type": "message", "data": "b", "id": ""}])

case("event-cleared-by-dataless-dispatch",
     "`event: x` then a blank line clears the type (D2); the next event is message.",
     ["F1", "D2", "D6", "D4", "D5", "D8"],
     b"event: x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

case("event-last-wins",
     "Two event fields: the last wins.",
     ["F1", "D6", "D4", "D5", "D8"],
     b"event: a\nevent: b\ndata: x\n\n",
     [{"type": "b", "data": "x", "id": ""}])

case("event-empty-gives-message",
     "`event:` leaves the buffer empty, so the type is message.",
     ["F1", "L5c", "D6", "D4", "D5", "D8"],
     b"event:\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("event-empty-overrides",
     "`event: a` then `event:`: the last (empty) wins, type message.",
     ["F1", "D6", "D4", "D5", "D8"],
     b"event: a\nevent:\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("event-bare-no-colon",
     "`event` without colon sets the type to \"\" (message).",
     ["F1", "L5d", "D6", "D4", "D5", "D8"],
     b"event: a\nevent\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("event-space-value",
     "`event:  ` gives the type \" \" (non-empty, so used).",
     ["F1", "L5c", "D6", "D4", "D5", "D8"],
     b"event:  \ndata: x\n\n",
     [{"type": " ", "data": "x", "id": ""}])

case("event-with-nul",
     "NUL is kept in the event type.",
     ["F1", "D6", "D4", "D5", "D8"],
     b"event: a\x00b\ndata: x\n\n",
     [{"type": "a\u0000b", "data": "x", "id": ""}])

case("event-with-colon",
     "Later colons are part of the event type.",
     ["F1", "L5c", "D6", "D4", "D5", "D8"],
     b"event: a:b\ndata: x\n\n",
     [{"type": "a:b", "data": "x", "id": ""}])

case("event-explicit-message",
     "`event: message` gives type message.",
     ["F1", "D6", "D4", "D5", "D8"],
     b"event: message\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("event-case-preserved",
     "The event type value keeps its case.",
     ["F1", "D6", "D4", "D5", "D8"],
     b"event: Add\ndata: x\n\n",
     [{"type": "Add", "data": "x", "id": ""}])

case("event-after-data",
     "An event field after the data applies to that event.",
     ["F1", "D6", "D4", "D5", "D8"],
     b"data: x\nevent: late\n\n",
     [{"type": "late", "data": "x", "id": ""}])

case("event-trailing-spaces-kept",
     "Trailing spaces are kept in the event type.",
     ["F1", "L5c", "D6", "D4", "D5", "D8"],
     b"event: e  \ndata: x\n\n",
     [{"type": "e  ", "data": "x", "id": ""}])

case("event-field-name-case",
     "`Event` and `EVENT` are unknown fields.",
     ["F1", "F5", "D6", "D4", "D5", "D8"],
     b"Event: e\nEVENT: f\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("event-unterminated-at-eof",
     "Typed event without a blank line at EOF: not dispatched.",
     ["F1", "L6"],
     b"event: e\ndata: x\n",
     [])

# ---------------------------------------------------------------------------
# data-
# ---------------------------------------------------------------------------

case("data-no-space",
     "`data:x`: nothing to strip.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data:x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("data-two-spaces-keeps-one",
     "`data:  x`: exactly one space is removed.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data:  x\n\n",
     [{"type": "message", "data": " x", "id": ""}])

case("data-only-spaces",
     "`data:   `: one space removed, two kept.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data:   \n\n",
     [{"type": "message", "data": "  ", "id": ""}])

case("data-tab-not-stripped",
     "`data:\\tx`: a tab is not stripped.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data:\tx\n\n",
     [{"type": "message", "data": "\tx", "id": ""}])

case("data-space-then-tab",
     "`data: \\tx`: only the space is stripped.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data: \tx\n\n",
     [{"type": "message", "data": "\tx", "id": ""}])

case("data-nbsp-not-stripped",
     "U+00A0 after the colon is not stripped.",
     ["F2", "L5c", "L1", "D4", "D5", "D8"],
     b"data:\xc2\xa0x\n\n",
     [{"type": "message", "data": "\u00a0x", "id": ""}])

case("data-trailing-spaces-kept",
     "Trailing spaces are kept.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data: x  \n\n",
     [{"type": "message", "data": "x  ", "id": ""}])

case("data-later-colons-kept",
     "Only the first colon separates; later colons and spaces are in the value.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data: a: b:c\n\n",
     [{"type": "message", "data": "a: b:c", "id": ""}])

case("data-colon-value",
     "`data::`: the value is `:`.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data::\n\n",
     [{"type": "message", "data": ":", "id": ""}])

case("data-spaces-per-line",
     "Space stripping is per line.",
     ["F2", "L5c", "D3", "D4", "D5", "D8"],
     b"data:  a\ndata:b \n\n",
     [{"type": "message", "data": " a\nb ", "id": ""}])

case("data-nul-kept",
     "NUL in data is kept.",
     ["F2", "D4", "D5", "D8"],
     b"data: a\x00b\n\n",
     [{"type": "message", "data": "a\u0000b", "id": ""}])

case("data-json-payload",
     "A JSON payload with quotes and a backslash is passed through.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data: {\"a\":1,\"b\":\"c\\\\d\"}\n\n",
     [{"type": "message", "data": "{\"a\":1,\"b\":\"c\\\\d\"}", "id": ""}])

case("data-control-chars",
     "C0 controls and DEL are kept (checks JSON escaping: \\u0001, \\b, \\u001f, raw DEL).",
     ["F2", "D4", "D5", "D8"],
     b"data: \x01\x08\x1f\x7f\n\n",
     [{"type": "message", "data": "\x01\x08\x1f\x7f", "id": ""}])

case("data-quote-backslash",
     "Quotes and backslashes in data.",
     ["F2", "D4", "D5", "D8"],
     b"data: \"q\" \\ \n\n",
     [{"type": "message", "data": "\"q\" \\ ", "id": ""}])

case("data-with-field-like-value",
     "A value that looks like another field is just data.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data: event: x\n\n",
     [{"type": "message", "data": "event: x", "id": ""}])

case("data-bare-between-lines",
     "A bare `data` line between two data lines adds an empty line.",
     ["F2", "L5d", "D3", "D4", "D5", "D8"],
     b"data: a\ndata\ndata: b\n\n",
     [{"type": "message", "data": "a\n\nb", "id": ""}])

# ---------------------------------------------------------------------------
# comment-
# ---------------------------------------------------------------------------

case("comment-only-stream",
     "A stream of comment lines only: nothing.",
     ["G3", "L5b"],
     b": hello\n: world\n",
     [])

case("comment-only-with-blank",
     "A comment and a blank line: nothing.",
     ["G3", "L5b", "D2"],
     b": hello\n\n",
     [])

case("comment-between-fields",
     "A comment between data lines is ignored and does not end the event.",
     ["G3", "L5b", "F2", "D3", "D4", "D5", "D8"],
     b"data: a\n: c\ndata: b\n\n",
     [{"type": "message", "data": "a\nb", "id": ""}])

case("comment-no-space",
     "`:x` is a comment.",
     ["G3", "L5b", "D4", "D5", "D8"],
     b":x\ndata: a\n\n",
     [{"type": "message", "data": "a", "id": ""}])

case("comment-colon-alone",
     "`:` alone is a comment, not a blank line.",
     ["G3", "L5b", "D4", "D5", "D8"],
     b"data: a\n:\ndata: b\n\n",
     [{"type": "message", "data": "a\nb", "id": ""}])

case("comment-looks-like-field",
     "`: data: x` is a comment.",
     ["G3", "L5b", "D2"],
     b": data: x\n\n",
     [])

case("comment-does-not-dispatch",
     "A comment after data does not end the event; at EOF nothing fires.",
     ["G3", "L5b", "L6"],
     b"data: a\n:\n",
     [])

case("comment-with-cr-and-crlf",
     "Comments ended by CR and CRLF.",
     ["G3", "L5b", "L3", "D4", "D5", "D8"],
     b": a\r: b\r\ndata: x\r\r",
     [{"type": "message", "data": "x", "id": ""}])

case("comment-leading-space-is-field",
     "` : x` does not start with `:`; it is a field named ` ` (unknown).",
     ["L5", "L5b", "L5c", "F5", "D2", "D4", "D5", "D8"],
     b" : x\n\ndata: a\n\n",
     [{"type": "message", "data": "a", "id": ""}])

case("comment-double-colon",
     "`::` is a comment.",
     ["G3", "L5b", "D2"],
     b"::\n\n",
     [])

# ---------------------------------------------------------------------------
# field-
# ---------------------------------------------------------------------------

case("field-event-no-colon",
     "`event` without colon sets the type to \"\".",
     ["G4", "L5d", "F1", "D6", "D4", "D5", "D8"],
     b"event\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("field-id-no-colon",
     "`id` without colon sets the id to \"\".",
     ["G4", "L5d", "F3", "D1", "D4", "D5", "D8"],
     b"id: 1\nid\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("field-data-no-colon",
     "`data` without colon adds a LF.",
     ["G4", "L5d", "F2", "D3", "D4", "D5", "D8"],
     b"data\ndata: x\n\n",
     [{"type": "message", "data": "\nx", "id": ""}])

case("field-retry-no-colon",
     "`retry` without colon has an empty value: ignored.",
     ["G4", "L5d", "F4"],
     b"retry\n",
     [])

case("field-unknown-no-colon",
     "An unknown field without colon is ignored.",
     ["G4", "L5d", "F5", "D4", "D5", "D8"],
     b"foo\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("field-unknown-with-value",
     "An unknown field with a value is ignored and does not disturb the event.",
     ["G4", "L5c", "F5", "D3", "D4", "D5", "D8"],
     b"data: a\nfoo: bar\ndata: c\n\n",
     [{"type": "message", "data": "a\nc", "id": ""}])

case("field-name-trailing-space",
     "`data : x`: the name is `data ` (unknown).",
     ["L5c", "F5", "D2"],
     b"data : x\n\n",
     [])

case("field-name-trailing-space-no-colon",
     "`data ` without colon: the name is `data ` (unknown), not `data`.",
     ["L5d", "F5", "D2"],
     b"data \n\n",
     [])

case("field-name-leading-space",
     "` data: x`: the name is ` data` (unknown).",
     ["L5c", "F5", "D2"],
     b" data: x\n\n",
     [])

case("field-name-trailing-tab",
     "`data\\t: x`: unknown field.",
     ["L5c", "F5", "D2"],
     b"data\t: x\n\n",
     [])

case("field-name-leading-tab",
     "`\\tdata: x`: unknown field.",
     ["L5c", "F5", "D2"],
     b"\tdata: x\n\n",
     [])

case("field-name-case-data",
     "`Data: x`: unknown field (no case folding).",
     ["L5c", "F5", "D2"],
     b"Data: x\n\n",
     [])

case("field-name-case-upper-data",
     "`DATA: x`: unknown field.",
     ["L5c", "F5", "D2"],
     b"DATA: x\n\n",
     [])

case("field-name-case-upper-id",
     "`ID: 5`: unknown field, the id stays \"\".",
     ["L5c", "F3", "F5", "D1", "D4", "D5", "D8"],
     b"ID: 5\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("field-name-bom-prefix",
     "`\\uFEFFevent: t` mid-stream: unknown field, type stays message.",
     ["L2", "F5", "D6", "D4", "D5", "D8"],
     b"data: x\n\xef\xbb\xbfevent: t\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("field-name-with-nul",
     "`data\\0: x`: unknown field.",
     ["L5c", "F5", "D2", "D4", "D5", "D8"],
     b"data\x00: x\n\ndata: y\n\n",
     [{"type": "message", "data": "y", "id": ""}])

case("field-name-with-space-no-colon",
     "`data x` without colon: the whole line is the name (unknown).",
     ["L5d", "F5", "D2"],
     b"data x\n\n",
     [])

case("field-name-prefix-suffix",
     "`dat: x` and `dataa: x`: unknown fields.",
     ["L5c", "F5", "D2"],
     b"dat: x\ndataa: x\n\n",
     [])

case("field-name-first-colon-splits",
     "`data:event: x`: name `data`, value `event: x`.",
     ["G4", "L5", "L5c", "F2", "D4", "D5", "D8"],
     b"data:event: x\n\n",
     [{"type": "message", "data": "event: x", "id": ""}])

# ---------------------------------------------------------------------------
# eof-
# ---------------------------------------------------------------------------

case("eof-incomplete-line",
     "An incomplete last line is not processed.",
     ["L6", "D4", "D5", "D8"],
     b"data: x\n\ndata: y",
     [{"type": "message", "data": "x", "id": ""}])

case("eof-no-blank-line",
     "`data: x\\n` at EOF: complete line, no blank line, nothing fires (go-sse TestRead/Break).",
     ["L6", "F2"],
     b"data: x\n",
     [])

case("eof-no-blank-line-multi",
     "Two data lines at EOF without a blank line: nothing (go-sse dispatchDirty).",
     ["L6", "F2"],
     b"data: hello\ndata: world\n",
     [])

case("eof-after-event-incomplete-field",
     "A complete event then an incomplete event field at EOF.",
     ["L6", "D4", "D5", "D8"],
     b"data: a\n\nevent: b",
     [{"type": "message", "data": "a", "id": ""}])

case("eof-only-cr",
     "A single CR: one blank line, nothing.",
     ["L3", "L6", "D2"],
     b"\r",
     [])

case("eof-only-lf",
     "A single LF: one blank line, nothing.",
     ["L6", "L5a", "D2"],
     b"\n",
     [])

case("eof-crlf-then-cr",
     "`data: x\\r\\n\\r` at EOF: CRLF ends the line, the final CR is a blank line.",
     ["L3", "L6", "D4", "D5", "D8"],
     b"data: x\r\n\r",
     [{"type": "message", "data": "x", "id": ""}])

case("eof-incomplete-no-line-end-at-all",
     "A stream with no line end at all: nothing.",
     ["L6"],
     b"data: x",
     [])

case("eof-incomplete-comment",
     "An incomplete comment line at EOF: nothing.",
     ["L6", "L5b"],
     b": partial",
     [])

# ---------------------------------------------------------------------------
# long-
# ---------------------------------------------------------------------------

case("long-data-65536",
     "A 65536-byte data value.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data: " + b"x" * 65536 + b"\n\n",
     [{"type": "message", "data": "x" * 65536, "id": ""}])

case("long-data-100000",
     "A 100000-byte data value.",
     ["F2", "L5c", "D4", "D5", "D8"],
     b"data: " + b"y" * 100000 + b"\n\n",
     [{"type": "message", "data": "y" * 100000, "id": ""}])

case("long-data-crlf-65535",
     "A 65535-byte data value with CRLF line ends.",
     ["F2", "L3", "D4", "D5", "D8"],
     b"data: " + b"z" * 65535 + b"\r\n\r\n",
     [{"type": "message", "data": "z" * 65535, "id": ""}])

case("long-data-multibyte",
     "30000 euro signs (90000 bytes) in one value.",
     ["F2", "L1", "D4", "D5", "D8"],
     b"data: " + b"\xe2\x82\xac" * 30000 + b"\n\n",
     [{"type": "message", "data": "\u20ac" * 30000, "id": ""}])

case("long-data-two-lines",
     "Two 40000-byte data lines joined with LF.",
     ["F2", "D3", "D4", "D5", "D8"],
     b"data: " + b"a" * 40000 + b"\ndata: " + b"b" * 40000 + b"\n\n",
     [{"type": "message", "data": "a" * 40000 + "\n" + "b" * 40000, "id": ""}])

case("long-comment-70000",
     "A 70000-byte comment line is ignored.",
     ["L5b", "G3", "D4", "D5", "D8"],
     b":" + b"c" * 70000 + b"\ndata: after\n\n",
     [{"type": "message", "data": "after", "id": ""}])

case("long-id-65536",
     "A 65536-byte id, carried over to the next event.",
     ["F3", "D1", "D4", "D5", "D8"],
     b"id: " + b"i" * 65536 + b"\ndata: x\n\ndata: y\n\n",
     [{"type": "message", "data": "x", "id": "i" * 65536},
      {"type": "message", "data": "y", "id": "i" * 65536}])

case("long-event-type-65536",
     "A 65536-byte event type.",
     ["F1", "D6", "D4", "D5", "D8"],
     b"event: " + b"e" * 65536 + b"\ndata: x\n\n",
     [{"type": "e" * 65536, "data": "x", "id": ""}])

case("long-unknown-field-name-70000",
     "A 70000-byte unknown field name is ignored.",
     ["F5", "L5c", "D4", "D5", "D8"],
     b"f" * 70000 + b": v\ndata: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("long-incomplete-at-eof",
     "A 70000-byte incomplete line at EOF is dropped.",
     ["L6", "D4", "D5", "D8"],
     b"data: x\n\ndata: " + b"q" * 70000,
     [{"type": "message", "data": "x", "id": ""}])

# ---------------------------------------------------------------------------
# many-
# ---------------------------------------------------------------------------

case("many-data-lines-1000",
     "One event with 1000 data lines `data: 0` .. `data: 999`.",
     ["F2", "D3", "D4", "D5", "D8"],
     b"".join([b"data: %d\n" % n for n in range(1000)]) + b"\n",
     [{"type": "message", "data": "\n".join([str(n) for n in range(1000)]), "id": ""}])

case("many-events-200",
     "200 small events `data: 0` .. `data: 199`.",
     ["F2", "L5a", "D4", "D5", "D7", "D8"],
     b"".join([b"data: %d\n\n" % n for n in range(200)]),
     [{"type": "message", "data": str(n), "id": ""} for n in range(200)])

case("many-events-typed-with-ids",
     "100 events, each with its own id, type and data.",
     ["F1", "F2", "F3", "D1", "D6", "D7", "D4", "D5", "D8"],
     b"".join([b"id: %d\nevent: e%d\ndata: d%d\n\n" % (n, n, n) for n in range(100)]),
     [{"type": "e%d" % n, "data": "d%d" % n, "id": str(n)} for n in range(100)])

case("many-retry-lines",
     "50 retry lines, each reported.",
     ["F4"],
     b"".join([b"retry: %d\n" % (n * 10) for n in range(50)]),
     [{"retry": n * 10} for n in range(50)])

case("many-blank-lines-lf",
     "1000 LF blank lines, then one event.",
     ["L5a", "D2", "D4", "D5", "D8"],
     b"\n" * 1000 + b"data: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("many-blank-lines-cr",
     "1000 CR blank lines, then one event ended by CRs.",
     ["L3", "L5a", "D2", "D4", "D5", "D8"],
     b"\r" * 1000 + b"data: x\r\r",
     [{"type": "message", "data": "x", "id": ""}])

case("many-blank-lines-crlf",
     "500 CRLF blank lines, then one event.",
     ["L3", "L5a", "D2", "D4", "D5", "D8"],
     b"\r\n" * 500 + b"data: x\r\n\r\n",
     [{"type": "message", "data": "x", "id": ""}])

case("many-comments",
     "1000 comment lines, then one event.",
     ["G3", "L5b", "D4", "D5", "D8"],
     b": c\n" * 1000 + b"data: x\n\n",
     [{"type": "message", "data": "x", "id": ""}])

case("many-events-alternating-eol",
     "Events ended alternately with LF LF, CR CR and CRLF CRLF.",
     ["G7", "L3", "L5a", "D4", "D5", "D8"],
     b"data: 1\n\ndata: 2\r\rdata: 3\r\n\r\ndata: 4\n\ndata: 5\r\rdata: 6\r\n\r\n",
     [{"type": "message", "data": "1", "id": ""},
      {"type": "message", "data": "2", "id": ""},
      {"type": "message", "data": "3", "id": ""},
      {"type": "message", "data": "4", "id": ""},
      {"type": "message", "data": "5", "id": ""},
      {"type": "message", "data": "6", "id": ""}])


# ---------------------------------------------------------------------------
# Writing and shape checks (no decoding logic here).
# ---------------------------------------------------------------------------

NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def check():
    seen = set()
    for c in CASES:
        n = c["name"]
        assert NAME_RE.match(n), n
        assert n not in seen, "duplicate name " + n
        seen.add(n)
        assert isinstance(c["input"], bytes), n
        assert c["rules"] and len(set(c["rules"])) == len(c["rules"]), n
        for r in c["rules"]:
            assert r in ALL_RULES, (n, r)
        assert c["last_event_id"] is None or isinstance(c["last_event_id"], str), n
        for obj in c["expected"]:
            keys = list(obj.keys())
            if keys == ["retry"]:
                v = obj["retry"]
                assert isinstance(v, int) and 0 <= v <= 18446744073709551615, n
            else:
                assert keys == ["type", "data", "id"], (n, keys)
                assert all(isinstance(obj[k], str) for k in keys), n
                assert obj["type"] != "", n
    assert len(CASES) >= 160, len(CASES)
    counts = {r: 0 for r in ALL_RULES}
    for c in CASES:
        for r in c["rules"]:
            counts[r] += 1
    for r, k in counts.items():
        assert k >= 2, "rule %s cited by only %d case(s)" % (r, k)
    return counts


def write():
    os.makedirs(CASES_DIR, exist_ok=True)
    wanted = set()
    for c in CASES:
        sse = c["name"] + ".sse"
        jsonl = c["name"] + ".jsonl"
        wanted.update([sse, jsonl])
        with open(os.path.join(CASES_DIR, sse), "wb") as f:
            f.write(c["input"])
        text = "".join(
            json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
            for obj in c["expected"])
        with open(os.path.join(CASES_DIR, jsonl), "wb") as f:
            f.write(text.encode("utf-8"))
    # Remove stale files from earlier runs (only .sse/.jsonl in cases/).
    for fn in os.listdir(CASES_DIR):
        if (fn.endswith(".sse") or fn.endswith(".jsonl")) and fn not in wanted:
            os.remove(os.path.join(CASES_DIR, fn))
    manifest = {"format": 1, "cases": []}
    for c in CASES:
        entry = {"name": c["name"], "description": c["description"], "rules": c["rules"]}
        if c["last_event_id"] is not None:
            entry["last_event_id"] = c["last_event_id"]
        manifest["cases"].append(entry)
    with open(os.path.join(HERE, "manifest.json"), "wb") as f:
        f.write((json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def main():
    counts = check()
    write()
    print("%d cases written to %s" % (len(CASES), CASES_DIR))
    if "-v" in sys.argv[1:]:
        for r in ALL_RULES:
            print("%-4s %d" % (r, counts[r]))


if __name__ == "__main__":
    main()
