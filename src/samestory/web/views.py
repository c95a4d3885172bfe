"""Page data for the web app: plain dicts, the same for the HTML page and its JSON twin."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from dataclasses import asdict

from samestory.models import Coverage, from_dict, to_dict
from samestory.report import people
from samestory.report._common import claim_counts, status_label
from samestory.store import Store, split_snippet
from samestory.workflow import article_document, select_stories, story_document

PAGE_SIZE = 50
# an outlet page says what the outlet tends to leave out only over at least this many of its
# stories compared with other outlets: fewer is one story's accident, not a habit
MIN_OUTLET_STORIES = 3


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


def search_hits(raw_hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Search hits, one per story (its best-ranked article, with how many of its articles match);
    each snippet as plain text and as (text, matched) pieces."""
    hits: list[dict[str, Any]] = []
    by_story: dict[str, dict[str, Any]] = {}
    for h in raw_hits:
        parts = split_snippet(h["snippet"] or "")
        hit = {**h, "snippet": "".join(t for t, _ in parts), "snippet_parts": [list(p) for p in parts], "matches": 1}
        key = h.get("story_id") or h["id"]
        if key in by_story:
            by_story[key]["matches"] += 1
            continue
        by_story[key] = hit
        hits.append(hit)
    return hits


def stories_page(store: Store, *, q: str = "", page_no: int = 1, hits: list[dict] | None = None, outlet: str = "",
                 side: str = "", since: str = "", until: str = "", min_outlets: int = 0, profiles=None) -> dict[str, Any]:
    """The stories list, filtered; with ``q``, the search hits instead (``hits``: the raw hits when the
    caller searched already, within the server's limits)."""
    page_no = max(1, page_no)
    filters = {"outlet": outlet, "side": side, "since": since, "until": until, "min_outlets": min_outlets}
    data: dict[str, Any] = {"q": q, "page": page_no, "filters": filters, "sides": list(people_sides(profiles))}
    if q:  # a search shows its hits, not the unfiltered story list under them
        data["hits"] = search_hits(hits if hits is not None else store.search(q))
        data["stories"], data["total"], data["has_next"] = [], 0, False
        return data
    rows, total = select_stories(store, outlet=outlet or None, side=side or None, since=since or None,
                                 until=until or None, min_outlets=min_outlets, profiles=profiles,
                                 limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    data["stories"] = to_dict(rows)
    if profiles:
        for row, story in zip(data["stories"], rows):
            bal = people.balance(story.outlets, profiles)
            row["balance"] = _balance_dict(bal)
    data["total"] = total
    data["has_next"] = page_no * PAGE_SIZE < total
    return data


def people_sides(profiles) -> tuple[str, ...]:
    from samestory.report.profiles import SIDES

    return SIDES if profiles else ()


def _balance_dict(bal) -> dict[str, Any] | None:
    if bal is None:
        return None
    blocks = [{"side": side, "outlet": name} for side in ("left", "centre", "right", "unknown") for name in bal.outlets[side]]
    return {"counts": bal.counts, "blindspot": bal.blindspot, "sentence": bal.sentence(), "blocks": blocks,
            "rule": people.BLINDSPOT_RULE}


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


def story_page(store: Store, story_id: str, *, status: str = "", profiles=None,
               cov: dict[str, Any] | None = None) -> dict[str, Any]:
    """A story's page data (``cov``: its comparison, when the caller has it already)."""
    cov = cov if cov is not None else coverage_dict(store, story_id)
    coverage = from_dict(Coverage, cov)
    outlets = list(dict.fromkeys(a["outlet"] for a in cov["articles"]))
    # a column whose outlet only copies another's shows "copy of X" where the original has evidence
    copies = people.copy_outlets(coverage)
    copy_of: dict[str, str] = {}
    for a in coverage.articles:
        if a.id in copies and all(b.id in copies for b in coverage.articles if b.outlet == a.outlet):
            copy_of[a.outlet] = copies[a.id]
    rows = []
    for group, claim in zip(cov.get("claims", []), coverage.claims, strict=True):
        cells: dict[str, list[dict]] = defaultdict(list)
        for ev in group["evidence"]:
            cells[ev.get("outlet") or ""].append(ev)
        row_cells = []
        for o in outlets:
            found = cells.get(o, [])
            source = copy_of.get(o)
            row_cells.append({"evidence": found, "copy_of": source if not found and source and cells.get(source) else None})
        rows.append({**group, "cells": row_cells, "label": status_label(claim)})
    counts = claim_counts(coverage)
    status = status if status in ("shared", "unique", "conflicting") else ""
    published = {k: people.readable_date(cov["story"].get(k)) for k in ("first_published", "last_published")}
    return {**cov, "title": people.neutral_title(coverage), "outlet_columns": outlets, "copy_of": copy_of,
            "rows": rows, "status_filter": status, "counts": dict(counts), "published": published,
            "headlines": [asdict(h) for h in people.headlines(coverage)],
            "balance": _balance_dict(people.balance(coverage, profiles)),
            "omissions_shown": to_dict(people.omissions_shown(coverage)),
            "timeline": [{"day": d.day, "items": [asdict(i) for i in d.items]} for d in people.timeline(coverage)],
            "history": store.story_events(cov["story"]["id"])}


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


def outlet_page(store: Store, outlet: str, *, max_stories: int = 20, profiles=None) -> dict[str, Any]:
    """An outlet's articles, its stories, and what it tends to leave out: the claims most other
    outlets carried in its stories and it did not, counted over its stories with at least one
    other independent source; shown only when there are ``MIN_OUTLET_STORIES`` of them."""
    articles = store.article_summaries(outlet=outlet)
    if not articles:
        from samestory.errors import NotFoundError

        raise NotFoundError(f"no articles from outlet {outlet!r}")
    left_out: Counter[str] = Counter()
    loaded = words = 0
    story_ids = list(dict.fromkeys(a["story_id"] for a in articles if a["story_id"]))
    stories = []
    compared = 0
    for sid in story_ids[:max_stories]:
        cov = coverage_dict(store, sid)
        coverage = from_dict(Coverage, cov)
        stories.append({"id": cov["story"]["id"], "title": people.neutral_title(coverage),
                        "outlets": len(cov["story"].get("outlets") or []),
                        "published": people.readable_date(cov["story"].get("last_published"))})
        if cov["story"].get("independent_sources", 0) > 1:
            compared += 1
        for om in people.omissions_shown(coverage):
            if om.outlet == outlet:
                left_out[om.text] += 1
        ids = {a["id"] for a in cov["articles"] if a["outlet"] == outlet}
        for fr in cov.get("framing", []):
            if fr["article_id"] in ids:
                loaded += len(fr.get("loaded", []))
        words += sum(len(a["text"].split()) for a in cov["articles"] if a["id"] in ids)
    enough = compared >= MIN_OUTLET_STORIES
    profile = profiles.get(outlet) if profiles else None
    for a in articles:
        a["published_readable"] = people.readable_date(a.get("published"))
    return {
        "outlet": outlet,
        "profile": profile.to_dict() if profile else None,
        "articles": articles,
        "stories": stories,
        "left_out": [{"text": t, "stories": n} for t, n in left_out.most_common(20)] if enough else [],
        "left_out_shown": enough,
        "stories_compared": compared,
        "min_stories": MIN_OUTLET_STORIES,
        "loaded_per_1000_words": round(1000 * loaded / words, 2) if words else None,
        "stories_measured": len(stories),
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
