"""Counting sources: articles, outlets, and independent sources after collapsing copies.

An article with a ``duplicate`` link counts with its canonical article (exact and near copies,
versions, wire-family members). Articles that *are* wire copy of the same agency (a wire
dateline such as ``(AP) —``, an agency byline or copyright line: ``WireInfo.primary``) also count
once, even when their texts were not close enough to be linked: ten outlets running AP's story
are one source, AP. A mere "Reuters contributed to this report" does not collapse an outlet's
own reporting into Reuters.

``source_groups`` gives the collapsed groups themselves (a representative for the comparison to
use as evidence, and every outlet that carried it), ``independent_sources`` their number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from samestory.dedup.wire import detect_wire
from samestory.models import Article

__all__ = ["SourceGroup", "source_groups", "independent_sources", "outlets_of"]


@dataclass(frozen=True)
class SourceGroup:
    """Articles that are one source. ``representative`` is the canonical article when present
    (else the earliest listed); ``wire`` names the agency when the group is wire copy."""

    representative: Article
    articles: tuple[Article, ...]
    wire: str | None = None

    @property
    def outlets(self) -> tuple[str, ...]:
        return outlets_of(self.articles)


def outlets_of(articles: Iterable[Article]) -> tuple[str, ...]:
    """Every distinct outlet that carried the articles, in order of first appearance."""
    return tuple(dict.fromkeys(a.outlet for a in articles if a.outlet))


def source_groups(articles: Sequence[Article], *, by_wire_credit: bool = True) -> list[SourceGroup]:
    """Collapse copies (``duplicate`` links) and wire copy of one agency into source groups."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    wires: dict[str, str] = {}
    for a in articles:
        parent.setdefault(a.id, a.id)
        if a.duplicate is not None:
            parent.setdefault(a.duplicate.canonical_id, a.duplicate.canonical_id)
            union(a.duplicate.canonical_id, a.id)
        if by_wire_credit:
            info = detect_wire(a.text)
            wire = info.name if info.primary else None
            if wire is None and a.duplicate is not None:
                wire = a.duplicate.wire
            if wire:
                wires[a.id] = wire
                union(f"wire:{wire}", a.id)
    members: dict[str, list[Article]] = {}
    for a in articles:
        members.setdefault(find(a.id), []).append(a)
    out = []
    for group in members.values():
        ids = {a.id for a in group}
        canonical_ids = {a.duplicate.canonical_id for a in group if a.duplicate is not None}
        rep = next((a for a in group if a.duplicate is None and a.id in canonical_ids), None)
        rep = rep or next((a for a in group if a.duplicate is None), None) or group[0]
        named = [wires[a.id] for a in group if a.id in wires]
        wire = max(set(named), key=named.count) if named else None
        del ids
        out.append(SourceGroup(rep, tuple(group), wire))
    return out


def independent_sources(articles: Sequence[Article], *, by_wire_credit: bool = True) -> int:
    """How many independent sources the articles are (see the module docstring)."""
    return len(source_groups(articles, by_wire_credit=by_wire_credit))
