"""Sentences of raw text without a parse.

Enriched articles carry spaCy's sentences (``enrich.nlp.sentences_of``: the parser knows
abbreviations and quotes better); this is the split for text that has not been parsed and must
not pay for it: the version diff of two article texts and the lead a clusterer reads. A boundary
is end punctuation, an optional closing quote or bracket, whitespace, then something that can
start a sentence; or a line break.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "sentence_offsets"]

_BOUNDARY = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n+")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (stripped, empty ones dropped); closing quotes stay with their sentence."""
    out = []
    last = 0
    for m in _BOUNDARY.finditer(text):
        piece = text[last : m.start()] + m.group(0).rstrip()
        out.append(piece.strip())
        last = m.end()
    out.append(text[last:].strip())
    return [s for s in out if s]


def sentence_offsets(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text`` by the same boundaries as ``split_sentences``
    (edges stripped of whitespace, empty ones dropped)."""
    out, last = [], 0
    for m in _BOUNDARY.finditer(text + "\n"):
        s, e = last, m.start() + len(m.group(0)) - len(m.group(0).lstrip("\"'\u201d\u2019)]"))
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        last = m.end()
    return out
