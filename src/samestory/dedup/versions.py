"""What changed between two versions of one article, sentence by sentence.

``version_diff(old, new)`` splits both texts into sentences (``text.sentences``), aligns them with ``difflib.SequenceMatcher`` over their normalized forms, and
reports:

* ``added``: sentences only in the new text,
* ``removed``: sentences only in the old text,
* ``changed``: an old and a new sentence that are edits of each other (rapidfuzz ratio at least
  ``CHANGED_MIN``, paired best-first among the sentences the alignment did not keep),
* ``moved``: identical sentences that changed place,
* ``unchanged``: how many sentences stayed where they were.
"""

from __future__ import annotations

import difflib

from rapidfuzz import fuzz

from samestory.dedup.fingerprint import normalize
from samestory.text.sentences import split_sentences

__all__ = ["CHANGED_MIN", "version_diff"]

CHANGED_MIN = 60.0  # rapidfuzz ratio (0-100) for two sentences to count as one edited sentence

def version_diff(old_text: str, new_text: str) -> dict:
    """Sentence-level diff from ``old_text`` to ``new_text`` (see the module docstring)."""
    old = split_sentences(old_text)
    new = split_sentences(new_text)
    old_n = [normalize(s) for s in old]
    new_n = [normalize(s) for s in new]
    matcher = difflib.SequenceMatcher(a=old_n, b=new_n, autojunk=False)
    removed_i: list[int] = []
    added_j: list[int] = []
    unchanged = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            unchanged += i2 - i1
            continue
        removed_i.extend(range(i1, i2))
        added_j.extend(range(j1, j2))
    # identical sentences that only moved
    moved = []
    by_text: dict[str, list[int]] = {}
    for j in added_j:
        by_text.setdefault(new_n[j], []).append(j)
    still_removed = []
    for i in removed_i:
        js = by_text.get(old_n[i])
        if js:
            j = js.pop(0)
            moved.append(new[j])
            added_j.remove(j)
        else:
            still_removed.append(i)
    # edited sentences: best-scoring pairs first
    pairs = []
    for i in still_removed:
        for j in added_j:
            score = fuzz.ratio(old_n[i], new_n[j])
            if score >= CHANGED_MIN:
                pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_i: set[int] = set()
    used_j: set[int] = set()
    changed = []
    for score, i, j in pairs:
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        changed.append({"old": old[i], "new": new[j], "similarity": round(score / 100.0, 3)})
    changed.sort(key=lambda c: new.index(c["new"]))
    return {
        "added": [new[j] for j in added_j if j not in used_j],
        "removed": [old[i] for i in still_removed if i not in used_i],
        "changed": changed,
        "moved": moved,
        "unchanged": unchanged,
    }
