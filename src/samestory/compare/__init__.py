"""Compare one story across outlets: ``compare(articles, story=None) -> Coverage``.

    from samestory.compare import compare
    coverage = compare(articles)          # claims, quotes, numbers, omissions, framing, summary

Modules: claims.py (split and align claims; shared / unique / conflicting), quotes.py,
numbers.py, framing.py, omissions.py, summary.py (cited extractive summary); coverage.py ties them.
"""

from samestory.compare.coverage import build_story, compare, story_id_for

__all__ = ["compare", "build_story", "story_id_for"]
