"""``compare(articles) -> Coverage``: one story across its outlets, every finding with evidence.

Ties the parts together: claims aligned across outlets (claims.py), quote groups (quotes.py),
the number table (numbers.py), omissions (omissions.py), framing (framing.py) and the cited
summary (summary.py). Articles that enrich has not seen yet are enriched first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from samestory.compare.claims import Alignment, ConflictScorer, align_claims
from samestory.compare.framing import analyze_framing
from samestory.compare.numbers import number_table
from samestory.compare.omissions import find_omissions
from samestory.compare.quotes import group_quotes
from samestory.compare.summary import summarize
from samestory.errors import InputError
from samestory.models import Article, Coverage, Story

__all__ = ["compare", "build_story", "story_id_for"]


def story_id_for(article_ids: Sequence[str]) -> str:
    """A story id derived from its article ids (order does not matter)."""
    h = hashlib.sha256("\x1f".join(sorted(set(article_ids))).encode("utf-8"))
    return "s-" + h.hexdigest()[:16]


def _independent_sources(articles: Sequence[Article]) -> int:
    from samestory.dedup import independent_sources  # here: dedup is heavier than compare

    return int(independent_sources(articles))


def build_story(articles: Sequence[Article]) -> Story:
    """A Story for articles compared without one (``samestory compare PATH...``)."""
    dated = sorted((a.published, k) for k, a in enumerate(articles) if a.published)
    lead = articles[dated[0][1]] if dated else articles[0]
    return Story(
        id=story_id_for([a.id for a in articles]),
        title=lead.title,
        article_ids=tuple(a.id for a in articles),
        outlets=tuple(dict.fromkeys(a.outlet for a in articles)),
        sources=len(articles),
        independent_sources=_independent_sources(articles),
        first_published=dated[0][0] if dated else None,
        last_published=dated[-1][0] if dated else None,
    )


def _validated(articles: Sequence[Article]) -> list[Article]:
    items = list(articles)
    if not items:
        raise InputError("compare", "no articles to compare: give at least one article")
    seen: set[str] = set()
    for k, a in enumerate(items):
        if not isinstance(a, Article):
            raise InputError("compare", f"item {k} is a {type(a).__name__}, not an Article (clean the input first)")
        if a.id in seen:
            raise InputError("compare", f"article id {a.id!r} is given twice", record=a.id)
        seen.add(a.id)
    return items


def _enriched(articles: list[Article]) -> list[Article]:
    """Enrich the articles that are not enriched yet (sentences, entities, quotes, quantities),
    then give the story's articles shared entity keys ("Lukashenko" = "Alexander Lukashenko")."""
    from samestory.enrich import apply_story_keys, enrich  # here: loads spaCy only when needed

    out = list(articles)
    todo = [k for k, a in enumerate(out) if not a.enriched and a.text.strip()]
    if todo:
        for k, a in zip(todo, enrich([out[k] for k in todo], embed=False)):
            out[k] = a
    return list(apply_story_keys(out)) if len(out) > 1 else out


def compare(
    articles: Sequence[Article],
    story: Story | None = None,
    *,
    conflict_scorer: ConflictScorer | None = None,
) -> Coverage:
    """Compare the articles of one story: claims (shared / unique / conflicting), quotes,
    numbers, omissions, framing and a cited summary. Raises ``InputError`` for no articles,
    non-Article items or repeated ids."""
    items = _enriched(_validated(articles))
    story = story or build_story(items)
    alignment: Alignment = align_claims(items, conflict_scorer=conflict_scorer)
    return Coverage(
        story=story,
        articles=tuple(items),
        claims=alignment.groups,
        quotes=tuple(group_quotes(items)),
        numbers=tuple(number_table(items)),
        omissions=find_omissions(items, alignment),
        framing=tuple(analyze_framing(items, alignment.groups)),
        summary=summarize(items, alignment),
    )
