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

__all__ = ["SourceGroup", "source_groups", "independent_sources", "outlets_of", "source_wire", "source_wire_of", "source_roots",
           "count_sources"]


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


def source_wire(article: Article) -> str | None:
    """The wire an article counts under: the agency its text names as the primary credit, else
    the wire of its duplicate link (None when neither names one)."""
    return source_wire_of(article.text, article.duplicate.wire if article.duplicate is not None else None)


def source_wire_of(text: str, link_wire: str | None = None) -> str | None:
    """``source_wire`` from an article's text and its duplicate link's wire."""
    info = detect_wire(text)
    wire = info.name if info.primary else None
    return link_wire if wire is None else wire


def source_roots(members: Sequence[tuple[str, str | None, str | None]]) -> list[str]:
    """For ``(article id, canonical id or None, wire or None)`` triples, the group each article
    falls in (a root name per article; equal roots = one source). Copies join their canonical
    article (even one outside ``members``: two copies of it are one source), wire copy of one
    agency joins the agency."""
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

    for aid, canonical, wire in members:
        parent.setdefault(aid, aid)
        if canonical is not None:
            parent.setdefault(canonical, canonical)
            union(canonical, aid)
        if wire:
            union(f"wire:{wire}", aid)
    return [find(aid) for aid, _, _ in members]


def count_sources(members: Sequence[tuple[str, str | None, str | None]]) -> int:
    """How many independent sources the ``(id, canonical id, wire)`` triples are (``source_roots``):
    what ``independent_sources`` gives for the articles they describe, without their texts."""
    return len(set(source_roots(members)))


def source_groups(articles: Sequence[Article], *, by_wire_credit: bool = True) -> list[SourceGroup]:
    """Collapse copies (``duplicate`` links) and wire copy of one agency into source groups."""
    wires = [source_wire(a) if by_wire_credit else None for a in articles]
    roots = source_roots([(a.id, a.duplicate.canonical_id if a.duplicate is not None else None, w)
                          for a, w in zip(articles, wires)])
    members: dict[str, list[tuple[Article, str | None]]] = {}
    for a, w, root in zip(articles, wires, roots):
        members.setdefault(root, []).append((a, w))
    out = []
    for pairs in members.values():
        group = [a for a, _ in pairs]
        canonical_ids = {a.duplicate.canonical_id for a in group if a.duplicate is not None}
        rep = next((a for a in group if a.duplicate is None and a.id in canonical_ids), None)
        rep = rep or next((a for a in group if a.duplicate is None), None) or group[0]
        named = [w for _, w in pairs if w]
        wire = max(set(named), key=named.count) if named else None
        out.append(SourceGroup(rep, tuple(group), wire))
    return out


def independent_sources(articles: Sequence[Article], *, by_wire_credit: bool = True) -> int:
    """How many independent sources the articles are (see the module docstring)."""
    return len(source_groups(articles, by_wire_credit=by_wire_credit))
