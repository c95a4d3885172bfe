"""What the Markdown and HTML reports share: ordering and small lookups over a Coverage."""

from __future__ import annotations

from samestory.models import Article, ClaimGroup, Coverage

STATUS_ORDER = {"conflicting": 0, "shared": 1, "unique": 2}
STATUS_RANK = {"unique": 0, "shared": 1, "conflicting": 2}  # which status wins when a span is in two groups


def claims_in_order(coverage: Coverage) -> list[ClaimGroup]:
    """Conflicting first, then shared (most outlets first), then unique; stable within each."""
    return sorted(coverage.claims, key=lambda g: (STATUS_ORDER.get(g.status, 3), -len(g.outlets)))


def article_index(coverage: Coverage) -> dict[str, int]:
    return {a.id: k for k, a in enumerate(coverage.articles)}


def canonical_of(article: Article, coverage: Coverage) -> Article | None:
    """The canonical article this one copies, when it is in the coverage."""
    if article.duplicate is None or article.duplicate.canonical_id == article.id:
        return None
    return next((a for a in coverage.articles if a.id == article.duplicate.canonical_id), None)


def fmt_weight(w: float) -> str:
    return f"{w:.2f}"
