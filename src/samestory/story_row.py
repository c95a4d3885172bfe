"""A story row and what it is computed from.

A stored story has one public shape, ``models.Story`` (the ``stories.data`` column; the CLI,
the web and the Coverage document read it). Beside it the ingest saves the ``StoryAggregate``
the row was computed from (``stories.aggregate``), so a batch that only adds articles updates
the row in O(new) work without reading members back. The clusterer's own state
(``cluster_stories``: centroids, keyword counts) is model state, not a story shape: it is read
only by ``cluster``.

Stored as ``{"v": 1, "m": [[published, seq, id, outlet, canonical id, wire], ...], "t": [rank, title]}``
(a compact list per member: a story row can have thousands of members).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from samestory.models import Article, Story

__all__ = ["Member", "StoryAggregate"]


class Member(NamedTuple):
    """One member article: what the story row needs of it and nothing heavier."""

    published: str | None
    seq: int  # insertion order in the store (rowid): ties of ``published`` keep arrival order
    id: str
    outlet: str
    canonical: str | None  # the canonical article's id when this one is a copy
    wire: str | None  # the wire service the text credits, if any

    @property
    def order(self) -> tuple:
        """``Store.story_article_ids`` order: published (undated first), then arrival."""
        return (self.published is not None, self.published or "", self.seq)

    @property
    def title_rank(self) -> tuple:
        """An original before a copy, then story order: whose title stands for the story."""
        return (self.canonical is not None, *self.order)

    def source_key(self) -> tuple[str, str, str | None, str | None]:
        """What ``dedup.count_sources`` groups by."""
        return (self.id, self.outlet, self.canonical, self.wire)


@dataclass
class StoryAggregate:
    """The members of one story, in story order, and its fallback title."""

    VERSION = 1

    members: list[Member] = field(default_factory=list)
    title: str | None = None
    _title_rank: tuple | None = None

    # -- building -------------------------------------------------------------------------

    @classmethod
    def from_rows(cls, rows: Sequence[tuple]) -> StoryAggregate:
        """From ``Store.story_members`` rows: (id, outlet, title, published, seq, text, canonical, link wire)."""
        from samestory.dedup import source_wire_of

        agg = cls()
        for aid, outlet, title, published, seq, text, canonical, link_wire in rows:
            agg._add(Member(published, seq, aid, outlet, canonical, source_wire_of(text, link_wire)), title)
        return agg

    def extended(self, articles: Sequence[Article], seqs: dict[str, int]) -> StoryAggregate | None:
        """This aggregate with ``articles`` added; None when it cannot be (an article already a
        member or not stored): the caller recomputes from the members."""
        from samestory.dedup import source_wire

        known = {m.id for m in self.members}
        for a in articles:
            if a.id in known or a.id not in seqs:
                return None
            known.add(a.id)
            canonical = a.duplicate.canonical_id if a.duplicate is not None else None
            self._add(Member(a.published, seqs[a.id], a.id, a.outlet, canonical, source_wire(a)), a.title)
        return self

    def _add(self, member: Member, title: str) -> None:
        self.members.insert(bisect.bisect(self.members, member.order, key=lambda m: m.order), member)
        if self._title_rank is None or member.title_rank < self._title_rank:
            self._title_rank, self.title = member.title_rank, title

    # -- reading --------------------------------------------------------------------------

    def independent_sources(self) -> int:
        from samestory.dedup import count_sources

        return count_sources([m.source_key() for m in self.members])

    def story(self, story_id: str, base: Story | None) -> Story:
        """The story row; title, entities, keywords and languages from the clusterer's ``base`` when it has them."""
        published = sorted(m.published for m in self.members if m.published)
        return Story(
            id=story_id,
            title=(base.title if base and base.title else self.title or ""),
            article_ids=tuple(m.id for m in self.members),
            outlets=tuple(dict.fromkeys(m.outlet for m in self.members)),
            sources=len(self.members),
            independent_sources=self.independent_sources(),
            first_published=published[0] if published else None,
            last_published=published[-1] if published else None,
            entities=base.entities if base else (),
            keywords=base.keywords if base else (),
            languages=base.languages if base else (),
        )

    # -- storage --------------------------------------------------------------------------

    def to_json(self) -> dict:
        rank = None if self._title_rank is None else list(self._title_rank)
        return {"v": self.VERSION, "m": [list(m) for m in self.members],
                "t": None if self.title is None else [rank, self.title]}

    @classmethod
    def from_json(cls, data: dict | None) -> StoryAggregate | None:
        """The saved aggregate, or None when absent or of another version (recompute it)."""
        if not data or data.get("v") != cls.VERSION:
            return None
        rank, title = data["t"] if data.get("t") else (None, None)
        return cls(members=[Member(*m) for m in data["m"]], title=title,
                   _title_rank=None if rank is None else tuple(rank))
