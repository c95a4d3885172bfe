"""What the Markdown and HTML reports share: ordering and small lookups over a Coverage."""

from __future__ import annotations

from samestory.models import Article, ClaimGroup, Coverage

STATUS_ORDER = {"conflicting": 0, "shared": 1, "unique": 2}
STATUS_RANK = {"unique": 0, "shared": 1, "conflicting": 2}  # which status wins when a span is in two groups


def claims_in_order(coverage: Coverage) -> list[ClaimGroup]:
    """Conflicting first, then shared (most outlets first), then unique; stable within each.
    A unique detail follows the group whose clause it is in."""
    def rank(g: ClaimGroup) -> tuple[int, int]:
        return STATUS_ORDER.get(g.status, 3), -len(g.outlets)

    by_id = {g.id: g for g in coverage.claims}
    order = {g.id: k for k, g in enumerate(coverage.claims)}

    def key(g: ClaimGroup) -> tuple:
        parent = by_id.get(g.detail_of) if g.detail_of else None
        if parent is None:
            return (*rank(g), order[g.id], 0)
        return (*rank(parent), order[parent.id], 1 + order[g.id])

    return sorted(coverage.claims, key=key)


def status_label(group: ClaimGroup) -> str:
    """What a report calls a group's status: "unique detail" for a value inside a shared clause."""
    return "unique detail" if group.detail_of else group.status


def claim_counts(coverage: Coverage) -> dict[str, int]:
    """Groups by status, unique details counted apart from unique claims."""
    counts = {"shared": 0, "unique": 0, "conflicting": 0, "detail": 0}
    for g in coverage.claims:
        kind = "detail" if g.detail_of else g.status
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def claim_counts_sentence(coverage: Coverage) -> str:
    """"7 shared, 29 unique, 0 conflicting, 2 unique details"."""
    c = claim_counts(coverage)
    text = f"{c['shared']} shared, {c['unique']} unique, {c['conflicting']} conflicting"
    if c["detail"]:
        text += f", {c['detail']} unique detail{'s' if c['detail'] != 1 else ''}"
    return text


def article_index(coverage: Coverage) -> dict[str, int]:
    return {a.id: k for k, a in enumerate(coverage.articles)}


def canonical_of(article: Article, coverage: Coverage) -> Article | None:
    """The canonical article this one copies, when it is in the coverage."""
    if article.duplicate is None or article.duplicate.canonical_id == article.id:
        return None
    return next((a for a in coverage.articles if a.id == article.duplicate.canonical_id), None)


def fmt_weight(w: float) -> str:
    return f"{w:.2f}"
