"""Control characters out of text shown to people: one place, used by the CLI, reports and the web.

Article text is untrusted. Printed raw, an ESC starts a terminal escape sequence (colours, cursor
moves, OSC 8 links, OSC 52 clipboard writes, a retitled window), a BEL rings, a CR overwrites the
line already printed, and a bidi override reorders what a reader sees. In HTML they are invisible
or invalid. So every text meant for a person passes ``printable`` (which drops them) and every
JSON text meant for a terminal passes ``escape_json_controls`` (which keeps the data, escaped).

Kept: newline and tab (layout). Dropped: the other C0 controls (U+0000-U+001F, CR included),
DEL (U+007F), the C1 controls (U+0080-U+009F: U+009B is a one-character CSI, U+009D an OSC),
the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), and U+2028/U+2029
(line and paragraph separators: some terminals and editors break lines on them), which become a
newline. A stored article is never changed: only what is shown.
"""

from __future__ import annotations

import re

__all__ = ["printable", "escape_json_controls", "CONTROL_RE"]

_DROPPED = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL_RE = re.compile(f"[{_DROPPED}]")
_SEPARATORS_RE = re.compile("[\u2028\u2029]")
# what JSON (RFC 8259) lets stand raw but a terminal would act on: DEL, C1, bidi controls, separators
_JSON_RAW_RE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without control characters (newlines and tabs kept unless ``keep_newlines=False``,
    which turns them into spaces, for one-line output)."""
    if not text:
        return text
    text = CONTROL_RE.sub("", _SEPARATORS_RE.sub("\n", text))
    if not keep_newlines:
        text = text.replace("\n", " ").replace("\t", " ")
    return text


def escape_json_controls(json_text: str) -> str:
    """A JSON document (from ``json.dumps(..., ensure_ascii=False)``) with the characters JSON leaves
    raw but a terminal would act on written as ``\\uXXXX`` escapes: the same data, safe to print.
    (``json.dumps`` already escapes U+0000-U+001F.)"""
    return _JSON_RAW_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
