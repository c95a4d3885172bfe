"""Page data for the web app: plain dicts, the same for the HTML page and its JSON twin."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from markupsafe import Markup, escape

from samestory.models import to_dict
from samestory.store import Store

PAGE_SIZE = 50


def coverage_dict(store: Store, story_id: str) -> dict[str, Any]:
    """A story's comparison as a dict, from the cache while the story is unchanged."""
    cached = store.cached_coverage(story_id)
    if cached is not None:
        return cached
    from samestory.workflow import story_coverage

    data = to_dict(story_coverage(store, story_id))
    store.cache_coverage(story_id, data)
    return data


def stories_page(store: Store, *, q: str = "", page_no: int = 1) -> dict[str, Any]:
    page_no = max(1, page_no)
    data: dict[str, Any] = {"q": q, "page": page_no}
    if q:
        data["hits"] = store.search(q)
    rows = store.stories(limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    data["stories"] = to_dict(rows)
    data["total"] = store.count_stories()
    data["has_next"] = page_no * PAGE_SIZE < data["total"]
    return data


def _timeline(cov: dict[str, Any]) -> list[dict[str, Any]]:
    """Who published what and when, and which claims each article was first to carry."""
    published = {a["id"]: a.get("published") or "" for a in cov["articles"]}
    first: dict[str, list[str]] = defaultdict(list)
    for group in cov.get("claims", []):
        ids = [e["article_id"] for e in group["evidence"]]
        if ids:
            earliest = min(ids, key=lambda i: (published.get(i) or "9999", i))
            first[earliest].append(group["text"])
    rows = [{"article_id": a["id"], "outlet": a["outlet"], "title": a["title"], "published": a.get("published"),
             "added_claims": first.get(a["id"], [])} for a in cov["articles"]]
    return sorted(rows, key=lambda r: (r["published"] or "9999", r["article_id"]))


def story_page(store: Store, story_id: str, *, status: str = "") -> dict[str, Any]:
    cov = coverage_dict(store, story_id)
    outlets = list(dict.fromkeys(a["outlet"] for a in cov["articles"]))
    rows = []
    for group in cov.get("claims", []):
        cells: dict[str, list[dict]] = defaultdict(list)
        for ev in group["evidence"]:
            cells[ev.get("outlet") or ""].append(ev)
        rows.append({**group, "cells": [cells.get(o, []) for o in outlets]})
    counts = Counter(g["status"] for g in cov.get("claims", []))
    status = status if status in ("shared", "unique", "conflicting") else ""
    return {**cov, "outlet_columns": outlets, "rows": rows, "status_filter": status, "counts": dict(counts),
            "timeline": _timeline(cov), "history": store.story_events(cov["story"]["id"])}


def article_page(store: Store, article_id: str, *, hl: str = "") -> dict[str, Any]:
    article = store.get_article(article_id)
    data = to_dict(article)
    data["story_id"] = store.story_of(article.id)
    highlight = None
    if hl:
        try:
            start, end = (int(x) for x in hl.split("-", 1))
            if 0 <= start < end <= len(article.text):
                highlight = (start, end)
        except ValueError:
            highlight = None
    marks = [(q.span.start, q.span.end, "quote") for q in article.quotes]
    for ent in article.entities:
        marks += [(m.start, m.end, f"ent ent-{ent.label.lower()}") for m in ent.mentions]
    from samestory.compare.framing import analyze_framing

    framing = analyze_framing([article])
    loaded = framing[0].loaded if framing else ()
    marks += [(w.evidence.start, w.evidence.end, "loaded") for w in loaded if not w.in_headline]
    data["loaded"] = to_dict(loaded)
    data["marks"] = marks
    data["highlight"] = highlight
    links = store.duplicate_links()
    data["copies"] = [{"id": aid, **to_dict(link)} for aid, link in links if link.canonical_id == article.id]
    return data


def outlet_page(store: Store, outlet: str, *, max_stories: int = 20) -> dict[str, Any]:
    articles = store.article_summaries(outlet=outlet)
    if not articles:
        from samestory.errors import NotFoundError

        raise NotFoundError(f"no articles from outlet {outlet!r}")
    left_out: Counter[str] = Counter()
    loaded = words = 0
    story_ids = list(dict.fromkeys(a["story_id"] for a in articles if a["story_id"]))[:max_stories]
    for sid in story_ids:
        cov = coverage_dict(store, sid)
        for om in cov.get("omissions", []):
            if om["outlet"] == outlet:
                left_out[om["text"]] += 1
        ids = {a["id"] for a in cov["articles"] if a["outlet"] == outlet}
        for fr in cov.get("framing", []):
            if fr["article_id"] in ids:
                loaded += len(fr.get("loaded", []))
        words += sum(len(a["text"].split()) for a in cov["articles"] if a["id"] in ids)
    return {
        "outlet": outlet,
        "articles": articles,
        "left_out": [{"text": t, "stories": n} for t, n in left_out.most_common(20)],
        "loaded_per_1000_words": round(1000 * loaded / words, 2) if words else None,
        "stories_measured": len(story_ids),
    }


def annotate(text: str, marks: list, highlight: tuple[int, int] | None = None) -> Markup:
    """Escape ``text`` and wrap marked spans: ``marks`` are (start, end, css class); nested overlaps are dropped.

    The highlight (a citation target) is wrapped in ``<mark id="hl">`` so ``#hl`` scrolls to it.
    """
    spans = sorted({(int(s), int(e), c) for s, e, c in marks if 0 <= s < e <= len(text)}, key=lambda m: (m[0], -m[1]))
    chosen: list[tuple[int, int, str]] = []
    for s, e, c in spans:
        if not chosen or s >= chosen[-1][1]:
            chosen.append((s, e, c))
    out: list[str] = []
    pos = 0
    hs, he = highlight if highlight else (-1, -1)

    def emit(a: int, b: int) -> None:
        # text between a and b, with the highlight boundaries opened/closed inside it
        cuts = sorted({a, b, *(x for x in (hs, he) if a < x < b)})
        for x, y in zip(cuts, cuts[1:]):
            piece = str(escape(text[x:y]))
            out.append(f'<mark class="cite">{piece}</mark>' if hs <= x and y <= he and hs >= 0 else piece)

    for s, e, c in chosen:
        emit(pos, s)
        out.append(f'<span class="{escape(c)}">')
        emit(s, e)
        out.append("</span>")
        pos = e
    emit(pos, len(text))
    html = "".join(out)
    if highlight:
        html = html.replace('<mark class="cite">', '<mark class="cite" id="hl">', 1)
    return Markup(html)
