"""Page data for the web app: plain dicts, the same for the HTML page and its JSON twin."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from samestory.models import to_dict
from samestory.store import Store
from samestory.workflow import article_document, story_document

PAGE_SIZE = 50


def coverage_dict(store: Store, story_id: str) -> dict[str, Any]:
    """A story's comparison: the versioned Coverage document the CLI prints (cached per story version)."""
    return story_document(store, story_id)


def _needs_query_form(value: str) -> bool:
    # "." and ".." are dot segments a browser removes however they are encoded (%2e too), and an id
    # ending in ".json" would read as the JSON twin of a shorter id: such ids go in the query string
    return value in ("", ".", "..") or value.endswith(".json")


def id_path(value: object) -> str:
    """An id as what follows ``/stories/``, ``/articles/`` or ``/outlets/`` in a link: every character
    but letters, digits and ``_.-~`` percent-encoded (so ``/``, ``?`` and ``#`` stay in the id), or
    ``?id=...&`` for an id no path segment can carry (the ``&`` lets a template append ``?hl=``)."""
    s = str(value)
    if _needs_query_form(s):
        return f"?id={quote(s, safe='')}&"
    return quote(s, safe="")


def id_url(prefix: str, value: object, *, as_json: bool = False) -> str:
    """The absolute path of a page (``prefix`` is ``/stories`` ...), or of its JSON twin."""
    s = str(value)
    suffix = ".json" if as_json else ""
    if _needs_query_form(s):
        return f"{prefix}/{suffix}?id={quote(s, safe='')}"
    return f"{prefix}/{quote(s, safe='')}{suffix}"


def json_twin_path(raw_path: str, query: str) -> str:
    """The link to this page's JSON twin, from the request's raw (still percent-encoded) path: always
    one absolute path on this host (``//evil.example/x`` gives ``/evil.example/x.json``) with no dot
    segment (a path carrying one links to the stories list instead)."""
    path = "/" + raw_path.lstrip("/")
    if path == "/":
        path = "/stories"
    if any(seg.lower() in (".", "..", "%2e", "%2e%2e", ".%2e", "%2e.") for seg in path.split("/")):
        return "/stories.json"
    return f"{path}.json" + (f"?{query}" if query else "")


def stories_page(store: Store, *, q: str = "", page_no: int = 1, hits: list[dict] | None = None) -> dict[str, Any]:
    """The stories list (and, with ``q``, the search hits: ``hits`` when the caller searched already)."""
    page_no = max(1, page_no)
    data: dict[str, Any] = {"q": q, "page": page_no}
    if q:
        data["hits"] = hits if hits is not None else store.search(q)
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


def story_page(store: Store, story_id: str, *, status: str = "", cov: dict[str, Any] | None = None) -> dict[str, Any]:
    """A story's page data (``cov``: its comparison, when the caller has it already)."""
    cov = cov if cov is not None else coverage_dict(store, story_id)
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
    data = article_document(store, article_id)
    text = data["text"]
    highlight = None
    if hl:
        try:
            start, end = (int(x) for x in hl.split("-", 1))
            if 0 <= start < end <= len(text):
                highlight = (start, end)
        except ValueError:
            highlight = None
    marks = [(q["span"]["start"], q["span"]["end"], "quote") for q in data["quotes"]]
    for ent in data["entities"]:
        marks += [(m["start"], m["end"], f"ent ent-{ent['label'].lower()}") for m in ent["mentions"]]
    marks += [(w["evidence"]["start"], w["evidence"]["end"], "loaded") for w in data["loaded"] if not w["in_headline"]]
    data["marks"] = marks
    data["highlight"] = highlight
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
