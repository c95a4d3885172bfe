"""spaCy's attribute ruler, matched through a dictionary index instead of the Matcher.

en_core_web_sm's ``attribute_ruler`` maps fine-grained tags to POS and morphology with 179
single-token patterns (plus a few two-token ones). spaCy runs them through its general
``Matcher``, which tries every pattern at every token: about 10% of the whole pipeline's time
here, as much as the parser. Almost every pattern pins its first token's ``TAG``, ``LOWER`` or
``DEP`` to a value or a list of values, so a token need only be checked against the patterns
filed under its own tag, lowercase form and dependency label (plus the few that pin none).

``IndexedAttributeRuler`` is spaCy's ``AttributeRuler`` with only ``match`` replaced: it returns
the same ``(attr_id, match_id, start, end)`` list, so ``set_annotations`` (which rule wins, what
is set) is spaCy's own. A pattern this index does not understand (an operator, another
attribute) sends the whole document back to the Matcher, so the result is never different, only
sometimes not faster. ``tests/test_enrich_models.py`` checks every token attribute against the
stock component.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler

__all__ = ["FACTORY", "IndexedAttributeRuler", "use_indexed_attribute_ruler"]

FACTORY = "samestory_attribute_ruler"
_FIELDS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}
_COLUMN = {field: k for k, field in enumerate(_FIELDS)}  # the column of Doc.to_array below
_INDEXED = ("TAG", "LOWER", "DEP")  # the fields a pattern is filed under, in this order


class _Unsupported(Exception):
    """A pattern the index cannot evaluate: the Matcher handles the document."""


def _test(field: str, spec, strings) -> Callable[[int, object], bool]:
    """A predicate on a token's value of ``field`` (an id from ``Doc.to_array``; the string
    store resolves ids for regular expressions)."""
    if isinstance(spec, dict):
        if len(spec) != 1:
            raise _Unsupported(spec)
        (op, arg), = spec.items()
        if op == "IN":
            ids = frozenset(strings.add(v) if v else 0 for v in arg)
            return lambda v, _s: v in ids
        if op == "NOT_IN":
            ids = frozenset(strings.add(v) if v else 0 for v in arg)
            return lambda v, _s: v not in ids
        if op == "REGEX":
            rx = re.compile(arg)
            return lambda v, s: bool(rx.search(s[v])) if v else False
        raise _Unsupported(spec)
    if field == "IS_SPACE":
        want = bool(spec)
        return lambda v, _s: bool(v) == want
    want_id = strings.add(spec) if spec else 0
    return lambda v, _s: v == want_id


def _keys(spec, strings) -> list[int] | None:
    """The ids a first-token spec pins its field to, or None when it pins none."""
    if isinstance(spec, dict):
        return [strings.add(v) if v else 0 for v in spec["IN"]] if set(spec) == {"IN"} else None
    return [strings.add(spec) if spec else 0] if isinstance(spec, str) else None


class IndexedAttributeRuler(AttributeRuler):
    """``AttributeRuler`` whose ``match`` looks patterns up by the token's tag, lowercase form
    and dependency label instead of running the Matcher over every pattern."""

    _MEMO_MAX = 200_000  # distinct (tag, lower, dep, space) keys kept; a news stream repeats them

    def match(self, doc):
        index = self._index()
        if index is None or not len(doc):
            return super().match(doc)
        strings = doc.vocab.strings  # resolves ids for the regular expressions
        columns = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        n = len(columns)
        memo = self._memo
        found = []
        for i, row in enumerate(columns):
            key = tuple(row)
            hits = memo.get(key)
            if hits is None:
                if len(memo) >= self._MEMO_MAX:
                    memo.clear()
                hits = memo[key] = _first_token_hits(index, row, strings)
            singles, longer = hits
            found.extend((attr_id, match_id, i, i + 1) for attr_id, match_id in singles)
            for attr_id, match_id, tests in longer:  # the first token passed: check the rest
                end = i + len(tests)
                if end <= n and all(test(columns[i + k][col], strings)
                                    for k in range(1, len(tests)) for col, test in tests[k]):
                    found.append((attr_id, match_id, i, end))
        return sorted(set(found))

    def _index(self):
        """(tables by TAG, LOWER and DEP id, patterns filed under none), or None when some
        pattern needs the Matcher; rebuilt (and the memo cleared) when patterns were added."""
        cached = getattr(self, "_index_cache", None)
        if cached is not None and cached[0] == len(self.attrs):
            return cached[1]
        strings = self.vocab.strings
        by_field: tuple[dict, dict, dict] = ({}, {}, {})
        always: list = []
        index = (by_field, always)
        try:
            for attr_id, p in enumerate(self.patterns):
                match_id = strings.add(str(attr_id))
                for pattern in p["patterns"]:
                    if not pattern or any(f not in _FIELDS for token in pattern for f in token):
                        raise _Unsupported(pattern)
                    tests = tuple(tuple((_COLUMN[f], _test(f, spec, strings)) for f, spec in token.items())
                                  for token in pattern)
                    entry = (attr_id, match_id, tests)
                    first = pattern[0]
                    for slot, field in enumerate(_INDEXED):
                        keys = _keys(first[field], strings) if field in first else None
                        if keys is not None:
                            for key in keys:
                                by_field[slot].setdefault(key, []).append(entry)
                            break
                    else:
                        always.append(entry)
        except (_Unsupported, KeyError, TypeError):
            index = None
        self._index_cache = (len(self.attrs), index)
        self._memo: dict = {}
        return index


def _first_token_hits(index, row: list[int], strings) -> tuple[tuple, tuple]:
    """For a token with these (tag, lower, dep, space) ids: the one-token patterns it matches
    (attr_id, match_id), and the longer patterns whose first token it matches."""
    by_field, always = index
    candidates = list(always)
    for slot in range(3):
        candidates.extend(by_field[slot].get(row[slot], ()))
    singles, longer = set(), []
    for attr_id, match_id, tests in candidates:
        if all(test(row[col], strings) for col, test in tests[0]):
            if len(tests) == 1:
                singles.add((attr_id, match_id))
            else:
                longer.append((attr_id, match_id, tests))
    return tuple(sorted(singles)), tuple(longer)


@Language.factory(FACTORY)
def _make(nlp: Language, name: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name)


def use_indexed_attribute_ruler(nlp: Language) -> Language:
    """Swap ``nlp``'s ``attribute_ruler`` (if any, and not already swapped) for the indexed one
    with the same patterns, in place."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    old = nlp.get_pipe("attribute_ruler")
    if isinstance(old, IndexedAttributeRuler):
        return nlp
    patterns = old.patterns
    new = nlp.replace_pipe("attribute_ruler", FACTORY)
    new.add_patterns(patterns)
    return nlp
