"""Counting sources: articles, outlets, and independent sources after collapsing copies.

An article with a ``duplicate`` link counts with its canonical article (exact and near copies,
versions, wire-family members). Articles that *are* wire copy of the same agency (a wire
dateline such as ``(AP) —``, an agency byline or copyright line: ``WireInfo.primary``) also count
once, even when their texts were not close enough to be linked: ten outlets running AP's story
are one source, AP. A mere "Reuters contributed to this report" does not collapse an outlet's
own reporting into Reuters. Articles of one outlet count once: a story's independent sources
are its distinct outlets after copies and wire families collapse.

This module is the one definition of source identity: the clusterer, the store, the comparison
(claims, numbers, omissions, framing) and the web all count through ``source_roots``.
``source_groups`` gives the collapsed groups themselves (a representative for the comparison to
use as evidence, and every outlet that carried it), ``independent_sources`` their number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from samestory.dedup.wire import detect_wire
from samestory.models import Article
from samestory.text.unionfind import UnionFind

__all__ = ["SourceGroup", "source_groups", "independent_sources", "outlets_of", "source_wire", "source_wire_of", "source_roots",
           "count_sources", "source_keys", "source_member", "outlet_key"]


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


@functools.lru_cache(maxsize=8192)
def outlet_key(outlet: str | None) -> str:
    """An outlet's identity: case, spacing, a URL scheme, ``www.`` and a leading "The" do not
    make another outlet ("The Daily Lantern" = "daily  lantern"). Dedup's same-outlet rules use it too."""
    o = " ".join((outlet or "").split()).lower()
    o = re.sub(r"^(?:https?://)?(?:www\.)?", "", o)
    return re.sub(r"^the\s+", "", o)


def source_roots(members: Sequence[tuple[str, str | None, str | None, str | None]]) -> list[str]:
    """For ``(article id, outlet, canonical id or None, wire or None)`` members, the source each
    article counts as (a name per article; equal names = one independent source):

    * a copy (a duplicate link) is its canonical article's source, whichever outlet ran it, even
      when the canonical is not among ``members`` (two copies of it are one source);
    * wire copy of one agency is one source, the agency (``wire:NAME``);
    * any other article is its outlet's (``outlet:NAME``): one outlet counts once however many of
      its own articles a story holds. An outlet's wire copy does not join its own reporting.
    """
    index: dict[str, int] = {}  # node name -> index in the union-find
    links: list[tuple[str, str]] = []
    for aid, outlet, canonical, wire in members:
        node = "article:" + aid
        index.setdefault(node, len(index))
        is_copy = canonical is not None and canonical != aid
        if is_copy:
            links.append(("article:" + canonical, node))
        if wire:
            links.append(("wire:" + wire, node))
        elif not is_copy and outlet_key(outlet):
            links.append(("outlet:" + outlet_key(outlet), node))
    for a, _ in links:
        index.setdefault(a, len(index))
    sets = UnionFind(len(index))
    for a, b in links:
        sets.union(index[a], index[b])
    # name each group by its most telling node: the agency, else the outlet, else the canonical
    rank = {"wire": 0, "outlet": 1, "article": 2}
    best: dict[int, tuple[int, str]] = {}
    for node, i in index.items():
        root, key = sets.find(i), (rank[node.split(":", 1)[0]], node)
        if root not in best or key < best[root]:
            best[root] = key
    return [best[sets.find(index["article:" + aid])][1] for aid, _, _, _ in members]


def count_sources(members: Sequence[tuple[str, str | None, str | None, str | None]]) -> int:
    """How many independent sources the ``(id, outlet, canonical id, wire)`` members are
    (``source_roots``): what ``independent_sources`` gives for the articles, without their texts."""
    return len(set(source_roots(members)))


def source_member(article: Article, *, by_wire_credit: bool = True) -> tuple[str, str, str | None, str | None]:
    """The ``(id, outlet, canonical id, wire)`` that an article's source identity depends on."""
    canonical = article.duplicate.canonical_id if article.duplicate is not None else None
    return (article.id, article.outlet, canonical, source_wire(article) if by_wire_credit else None)


def source_keys(articles: Sequence[Article], *, by_wire_credit: bool = True) -> list[str]:
    """Each article's independent source (``source_roots``), in order: equal keys = one source."""
    return source_roots([source_member(a, by_wire_credit=by_wire_credit) for a in articles])


def source_groups(articles: Sequence[Article], *, by_wire_credit: bool = True) -> list[SourceGroup]:
    """The articles collapsed into independent sources (``source_keys``), in order of first member."""
    members: dict[str, list[Article]] = {}
    for a, key in zip(articles, source_keys(articles, by_wire_credit=by_wire_credit)):
        members.setdefault(key, []).append(a)
    out = []
    for key, group in members.items():
        canonical_ids = {a.duplicate.canonical_id for a in group if a.duplicate is not None}
        rep = next((a for a in group if a.duplicate is None and a.id in canonical_ids), None)
        rep = rep or next((a for a in group if a.duplicate is None), None) or group[0]
        wire = key.split(":", 1)[1] if key.startswith("wire:") else None
        out.append(SourceGroup(rep, tuple(group), wire))
    return out


def independent_sources(articles: Sequence[Article], *, by_wire_credit: bool = True) -> int:
    """How many independent sources the articles are (see the module docstring)."""
    return len(source_groups(articles, by_wire_credit=by_wire_credit))
