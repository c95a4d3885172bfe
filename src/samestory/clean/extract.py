"""Main text and metadata from an HTML page, with trafilatura.

``extract_html(html, source=..., url=...)`` returns an ``Extraction``: the article body as
plain text (one paragraph per line), title, author, date, site name, canonical URL,
description, and the page's image captions and credits (kept as metadata, never body).

Settings (measured on ../shared/eval/article-extraction-benchmark with bench/extraction.py):
``include_comments=False`` (reader comments are not the article), ``favor_precision=True``
(drops more page furniture; recall drops a little, F1 rises), ``include_tables=True``.

Metadata comes from trafilatura's own metadata readers (OpenGraph and meta tags, JSON-LD,
``<title>``/``<h1>``, canonical link, site name) and htmldate without its extensive search,
with a full timestamp from ``article:published_time``-style meta tags preferred. We call those
readers directly instead of ``with_metadata=True`` because the latter also runs an author
search over a deep copy of the page, category/tag/licence scans and an extensive date search:
about a third more time per page for fields we do not use (measured; see bench/extraction.py).
If those internals are unavailable (a different trafilatura), ``with_metadata=True`` is used.

When trafilatura finds no main text, two fallbacks run in order: ``trafilatura.baseline``
(JSON-LD ``articleBody``, ``<article>`` and ``<p>`` text) and a plain lxml pass over
``<article>`` / ``<p>`` elements. Hostile pages are refused or contained: input over
``MAX_HTML_CHARS`` is refused, and parser or recursion errors from very deep trees become
``ExtractError(source, reason)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from samestory.clean.meta import PageIdentity, page_identity
from samestory.errors import ExtractError

__all__ = ["Extraction", "extract_html", "extract_text_only", "declared_language", "EXTRACT_OPTIONS", "RECALL_OPTIONS", "MAX_HTML_CHARS", "MAX_TREE_ELEMENTS"]

MAX_HTML_CHARS = 20_000_000  # same order as ingest's 20 MB file cap; bigger pages are not articles
MAX_TREE_ELEMENTS = 300_000  # larger trees are pathological (or generated) and very slow to score
MAX_CAPTIONS = 60

# chosen by measuring (bench/extraction.py --tune; F1 of samestory ingest+clean on 181 pages): comments on
# 0.962, comments off 0.964, + favor_recall 0.965, + favor_precision 0.967, + favor_precision without tables
# 0.963. Cleaning adds about +0.003..0.007 F1 on top of every setting, so the choice does not hinge on it.
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
}
# favor_precision sometimes keeps the wrong block of a page (a slogan, a paywall box, a browser notice) or only a
# part of the text; when the cleaned text is that short, clean() extracts again with these options and keeps the
# longer text (see samestory.clean.RECALL_RETRY). Measured with bench/extraction.py.
RECALL_OPTIONS: dict[str, Any] = {"favor_precision": False, "fast": True}


@dataclass(frozen=True)
class Extraction:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # as found (ISO-like string); normalized by clean()
    site_name: str | None = None
    hostname: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    language: str | None = None
    captions: tuple[str, ...] = ()
    method: str = "trafilatura"  # or "baseline" / "paragraphs" when a fallback produced the text
    identity: PageIdentity = field(default_factory=PageIdentity)  # the page's own site names and genre signals
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


# meta tags that carry a full publication timestamp (htmldate keeps only the day)
_DATE_META_KEYS = {
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued", "date", "dcterms.created",
}
# figure captions and photo credits; the @class test first keeps the scan cheap
_CAPTION_XPATH = "//figcaption | //*[@class][contains(@class, 'caption') or contains(@class, 'Caption') or contains(@class, 'credit')]"
_WS = re.compile(r"\s+")


def _text_of(el: Any) -> str:
    try:
        return _WS.sub(" ", "".join(el.itertext())).strip()
    except (ValueError, TypeError):  # comments / processing instructions
        return ""


def _captions_from_tree(tree: Any) -> tuple[str, ...]:
    found: list[str] = []
    for el in tree.xpath(_CAPTION_XPATH)[: MAX_CAPTIONS * 3]:
        if el.tag in ("html", "body", "article", "main") or len(el.xpath(".//p")) > 3:
            continue  # a wrapper whose class merely mentions captions
        t = _text_of(el)
        if 2 <= len(t) <= 400 and t not in found:
            found.append(t)
        if len(found) >= MAX_CAPTIONS:
            break
    # a caption element and its credit child both match: keep the fuller text, and the parts too
    return tuple(found)


def _meta_date(tree: Any) -> str | None:
    """A full timestamp (with time of day) from the page's meta tags or ``<time>``, if it has one."""
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in _DATE_META_KEYS:
            v = (el.get("content") or "").strip()
            if _FULL_TS.match(v):
                return v
    for el in tree.iter("time"):
        if el.get("pubdate") is not None or el.get("itemprop") == "datePublished":
            v = (el.get("datetime") or "").strip()
            if _FULL_TS.match(v):
                return v
    return None


_FULL_TS = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


_LANG_CODE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def declared_language(tree: Any) -> str | None:
    """The page's own language code (ISO 639-1, lower case) from ``<html lang>``, ``og:locale`` or
    ``content-language``; None when it states none."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for el in tree.iterfind(".//head/meta"):
        key = (el.get("property") or el.get("http-equiv") or el.get("name") or "").lower()
        if key in ("og:locale", "content-language", "language", "dc.language"):
            candidates.append(el.get("content"))
    for value in candidates:
        m = _LANG_CODE.match(value or "")
        if m:
            return m.group(1).lower()
    return None


def _paragraph_fallback(tree: Any) -> str:
    roots = tree.xpath("//article") or [tree]
    paras: list[str] = []
    for root in roots:
        for p in root.xpath(".//p"):
            t = _text_of(p)
            if len(t.split()) >= 5 and t not in paras:
                paras.append(t)
    return "\n".join(paras)


def _load(html: str, source: str) -> Any:
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except (RecursionError, MemoryError) as exc:
        raise ExtractError(source, f"page could not be parsed ({type(exc).__name__}: nested too deeply or too large)") from exc
    except Exception as exc:  # lxml raises several types on broken markup
        raise ExtractError(source, f"page could not be parsed as HTML ({type(exc).__name__}: {exc})") from exc
    if tree is None:
        raise ExtractError(source, "page could not be parsed as HTML (empty or not markup)")
    return tree


def _metadata(tree: Any, url: str | None) -> dict[str, Any] | None:
    """Title, author, date, site name, canonical URL, description via trafilatura's metadata readers.

    Must run before ``bare_extraction`` (which prunes the tree). None when the readers are missing.
    """
    try:
        from htmldate import find_date
        from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title, extract_url
    except ImportError:  # pragma: no cover - another trafilatura layout
        return None
    md = examine_meta(tree)
    if md.author and " " not in md.author:  # a lone handle or first name, as trafilatura does
        md.author = None
    try:
        md = extract_meta_json(tree, md)
    except Exception:  # malformed JSON-LD must not cost the article
        pass
    title = md.title or extract_title(tree)
    canonical = md.url or extract_url(tree, url)
    date = _meta_date(tree)
    if date is None:
        try:
            date = find_date(tree, extensive_search=False, original_date=True, url=canonical)
        except Exception:
            date = None
    return {
        "title": title,
        "author": md.author,
        "date": date,
        "sitename": md.sitename or extract_sitename(tree),
        "url": canonical,
        "description": md.description,
        "hostname": urlsplit(canonical).hostname if canonical else None,
    }


def extract_html(html: str | bytes, *, source: str, url: str | None = None, options: dict[str, Any] | None = None) -> Extraction:
    """Extract the article body and metadata from ``html``. Raises ``ExtractError`` naming ``source``.

    ``options`` override ``EXTRACT_OPTIONS`` (trafilatura keyword arguments).
    """
    import trafilatura

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html or not html.strip():
        raise ExtractError(source, "empty page (no HTML)")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractError(source, f"page is {len(html) / 1e6:.1f} M characters, over the {MAX_HTML_CHARS / 1e6:.0f} M extraction limit")

    tree = _load(html, source)
    declared = None
    try:
        n_elements = int(tree.xpath("count(//*)"))
        if n_elements > MAX_TREE_ELEMENTS:
            raise ExtractError(source, f"page has {n_elements} elements, over the {MAX_TREE_ELEMENTS} limit")
        captions = _captions_from_tree(tree)
        identity = page_identity(tree)
        meta = _metadata(tree, url)
        declared = declared_language(tree)
        opts = {**EXTRACT_OPTIONS, **(options or {})}
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=meta is None, **opts)
    except ExtractError:
        raise
    except RecursionError as exc:
        raise ExtractError(source, "page is nested too deeply to extract (recursion limit)") from exc
    except Exception as exc:  # trafilatura / lxml failures on hostile markup
        raise ExtractError(source, f"extraction failed ({type(exc).__name__}: {exc})") from exc
    if meta is None:
        meta = {k: getattr(doc, k, None) for k in ("title", "author", "date", "sitename", "url", "description", "hostname")}

    text = (doc.text if doc is not None else None) or ""
    method = "trafilatura"
    if not text.strip():
        text, method = _fallback_text(html, source)

    def get(name: str) -> str | None:
        v = meta.get(name)
        return (str(v).strip() or None) if v else None

    return Extraction(
        text=text,
        title=get("title"),
        author=get("author"),
        date=get("date"),
        site_name=get("sitename"),
        hostname=get("hostname"),
        canonical_url=get("url"),
        description=get("description"),
        language=(getattr(doc, "language", None) if doc is not None else None) or declared,
        captions=captions,
        method=method,
        identity=identity,
    )


def extract_text_only(html: str, *, source: str, url: str | None = None, options: dict[str, Any] | None = None) -> str:
    """The main text alone (no metadata, captions or fallbacks): a second look at a page already extracted.
    An empty string when trafilatura finds none or the page cannot be read."""
    import trafilatura

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html or len(html) > MAX_HTML_CHARS:
        return ""
    try:
        tree = _load(html, source)
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **{**EXTRACT_OPTIONS, **(options or {})})
    except (ExtractError, RecursionError):
        return ""
    except Exception:  # noqa: BLE001 - the first extraction already succeeded; this one is optional
        return ""
    return (doc.text if doc is not None else None) or ""


def _fallback_text(html: str, source: str) -> tuple[str, str]:
    """Text when trafilatura finds none: its baseline, then plain ``<article>``/``<p>`` text."""
    import trafilatura

    try:
        _, text, _ = trafilatura.baseline(html)
        if text and text.strip():
            return text, "baseline"
        text = _paragraph_fallback(_load(html, source))
    except ExtractError:
        raise
    except RecursionError as exc:
        raise ExtractError(source, "page is nested too deeply to extract (recursion limit)") from exc
    except Exception as exc:
        raise ExtractError(source, f"fallback extraction failed ({type(exc).__name__}: {exc})") from exc
    return text, "paragraphs"
