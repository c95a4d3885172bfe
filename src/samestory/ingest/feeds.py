"""RSS and Atom feeds (feedparser): each entry becomes a RawDoc.

The body is the entry's longest ``content`` (``content:encoded`` in RSS), else its summary.
When that body is short (under ``full_text_min_chars`` characters of text: the feed carries only
summaries) and a ``Fetcher`` is given, the full page is fetched from the entry's link and the
entry becomes that page (kind "html"); without a fetcher the summary is used and
``meta["summary_only"]`` says so. A feed feedparser flags as malformed (``bozo``) is accepted when
entries could still be parsed (``meta["feed_warning"]`` keeps the complaint); otherwise it is a
Failure. Feed bytes are parsed from memory: feedparser never fetches or opens anything itself.

Outlet: the ``outlet`` option, else the feed's title, else its host name.
"""

from __future__ import annotations

import calendar
import hashlib
import html as html_lib
import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from samestory.errors import FetchError, IngestError
from samestory.ingest._common import (
    DEFAULT_MAX_BYTES,
    Item,
    binary_reason,
    bom_encoding,
    failure_from,
    read_file_capped,
)
from samestory.models import Failure, RawDoc

if TYPE_CHECKING:
    from samestory.ingest.fetch import Fetcher

__all__ = ["Feed", "FeedEntry", "parse_feed", "entry_to_doc", "iter_feed_docs", "read_feed", "looks_like_feed"]

FULL_TEXT_MIN_CHARS = 1000
_TAGS = re.compile(r"<[^>]*>")


def looks_like_feed(data: bytes) -> bool:
    """Whether XML bytes have an RSS, Atom or RDF root element (checked in the first 4 KB)."""
    head = re.sub(rb"<!--.*?-->", b"", data[:4096], flags=re.S)
    m = re.search(rb"<([^?!][^\s>/]*)", head)  # the first real element is the root
    return bool(m) and m.group(1).split(b":")[-1] in (b"rss", b"feed", b"RDF")


@dataclass(frozen=True)
class FeedEntry:
    key: str  # entry id, else link, else a hash of title and date: what "seen" means for watch
    index: int
    title: str | None
    link: str | None
    published: str | None
    author: str | None
    body: str
    body_type: str  # "html" or "text"
    from_summary: bool


@dataclass(frozen=True)
class Feed:
    source: str
    title: str | None
    link: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def outlet(self) -> str | None:
        if self.title:
            return self.title
        for url in (self.link, self.source):
            host = urlsplit(url or "").hostname
            if host:
                return host.removeprefix("www.")
        return None


def _plain_len(markup: str) -> int:
    return len(" ".join(html_lib.unescape(_TAGS.sub(" ", markup)).split()))


def _str(value: Any) -> str:
    """A feed field as text: feedparser gives a dict or list for some malformed markup (``<link`` without href)."""
    return value if isinstance(value, str) else ""


def _iso(struct: Any) -> str | None:
    if not struct:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(calendar.timegm(struct)))
    except (TypeError, ValueError, OverflowError):
        return None


def parse_feed(data: bytes, *, source: str, base_url: str | None = None) -> Feed:
    """Parse feed bytes. Raises IngestError when nothing feed-like can be read."""
    import feedparser

    if not data.strip():
        raise IngestError(source, "empty file (no feed)")
    why = binary_reason(data)
    if why:
        raise IngestError(source, why)
    headers = {"content-location": base_url} if base_url else {}
    # A stream, never bytes or str: given a string feedparser may fetch a URL or open a local path.
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, resolve_relative_uris=True,
                                  sanitize_html=True)
    except UnicodeDecodeError as exc:  # feedparser decodes the XML declaration itself and can fail there
        raise IngestError(source, f"the feed's XML declaration is not decodable text ({exc.reason} at byte "
                                  f"{exc.start})") from None
    except Exception as exc:  # noqa: BLE001 - feedparser's own parser can break on hostile markup (found by bench/fuzz.py)
        raise IngestError(source, f"malformed feed: the feed parser failed on it ({type(exc).__name__}: {exc})") from None
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problem = f"{type(exc).__name__}: {exc}" if exc else "malformed feed"
    if parsed.entries and (not parsed.get("version") or (not bom_encoding(data) and not looks_like_feed(data))):
        # feedparser finds "entries" in any XML; only an rss/feed/RDF root is a feed
        raise IngestError(source, "not an RSS or Atom feed (its root element is not rss, feed or rdf:RDF)")
    if not parsed.entries:
        if not parsed.get("version"):
            raise IngestError(source, "not an RSS or Atom feed" + (f" (malformed: {problem})" if problem else " (no rss/feed root element)"))
        if problem:
            raise IngestError(source, f"malformed feed, no entries could be read ({problem})")
    f = parsed.feed
    entries = []
    for i, e in enumerate(parsed.entries):
        body, body_type, from_summary = _entry_body(e)
        link = _str(e.get("link")) or None
        title = _str(e.get("title")).strip() or None
        published = _iso(e.get("published_parsed") or e.get("updated_parsed"))
        key = _str(e.get("id")) or link or "h-" + hashlib.sha256(f"{title}\x1f{published}\x1f{body[:200]}".encode()).hexdigest()[:16]
        entries.append(
            FeedEntry(
                key=str(key),
                index=i,
                title=title,
                link=link,
                published=published,
                author=_str(e.get("author")).strip() or None,
                body=body,
                body_type=body_type,
                from_summary=from_summary,
            )
        )
    language = _str(f.get("language")).strip().split("-")[0].lower() or None
    return Feed(
        source=source,
        title=_str(f.get("title")).strip() or None,
        link=_str(f.get("link")) or None,
        language=language,
        entries=tuple(entries),
        warning=problem,
    )


def _entry_body(e: Any) -> tuple[str, str, bool]:
    contents = [c for c in (e.get("content") or []) if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c.get("value") or ""))
        kind = "text" if (best.get("type") or "").startswith("text/plain") else "html"
        summary = e.get("summary") or ""
        if len(summary) <= len(best["value"]):
            return best["value"], kind, False
    detail = e.get("summary_detail") or {}
    kind = "text" if (detail.get("type") or "").startswith("text/plain") else "html"
    return e.get("summary") or "", kind, True


def _wrap_fragment(title: str | None, fragment: str) -> str:
    """A minimal page around a feed's HTML fragment, so extraction sees a document."""
    t = html_lib.escape(title or "")
    return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body><article><h1>{t}</h1>\n{fragment}\n</article></body></html>"


def entry_to_doc(
    feed: Feed,
    entry: FeedEntry,
    *,
    outlet: str | None = None,
    fetcher: Fetcher | None = None,
    full_text_min_chars: int = FULL_TEXT_MIN_CHARS,
) -> RawDoc:
    """One entry as a RawDoc; fetches the full page when the body is short and a fetcher is given.

    Raises InputError (IngestError / FetchError) naming the feed and the entry.
    """
    record = f"entry {entry.index + 1}" + (f" ({entry.link})" if entry.link else "")
    meta: dict[str, Any] = {"feed": feed.source, "entry_id": entry.key, "record": record}
    if feed.warning:
        meta["feed_warning"] = feed.warning
    if entry.author:
        meta["author"] = entry.author
    outlet = outlet or feed.outlet()
    short = _plain_len(entry.body) < full_text_min_chars
    if short and fetcher is not None and entry.link and entry.link.lower().startswith(("http://", "https://")):
        try:
            res = fetcher.fetch(entry.link)
        except FetchError as e:
            raise FetchError(feed.source, f"could not fetch the full text from {entry.link}: {e.reason}", record) from None
        if not res.body.strip():
            raise FetchError(feed.source, f"the full-text page {entry.link} is empty", record)
        meta.update(fetched_from=entry.link, fetched_at=res.fetched_at, summary=entry.body[:2000])
        return RawDoc(
            source=feed.source,
            kind="html",
            content=res.text,
            url=res.final_url,
            outlet=outlet,
            title=entry.title,
            published=entry.published,
            language=feed.language,
            meta=meta,
        )
    if not entry.body.strip():
        reason = "the entry has no content or summary"
        if entry.link and fetcher is None:
            reason += " (and no fetcher was given to fetch its link)"
        if feed.warning:
            reason += f"; malformed feed: {feed.warning}"
        raise IngestError(feed.source, reason, record)
    if short:
        meta["summary_only"] = True
    content = entry.body.strip() if entry.body_type == "text" else _wrap_fragment(entry.title, entry.body)
    return RawDoc(
        source=feed.source,
        kind="text" if entry.body_type == "text" else "html",
        content=content,
        url=entry.link,
        outlet=outlet,
        title=entry.title,
        published=entry.published,
        language=feed.language,
        meta=meta,
    )


def iter_feed_docs(
    data: bytes,
    *,
    source: str,
    base_url: str | None = None,
    outlet: str | None = None,
    fetcher: Fetcher | None = None,
    full_text_min_chars: int = FULL_TEXT_MIN_CHARS,
) -> Iterator[Item]:
    """RawDocs for every entry of a feed given as bytes; Failures for the feed or single entries."""
    try:
        feed = parse_feed(data, source=source, base_url=base_url)
    except Exception as e:  # noqa: BLE001
        yield failure_from(e, source)
        return
    if not feed.entries:
        yield Failure(source, "the feed has no entries" + (f" (malformed: {feed.warning})" if feed.warning else ""))
        return
    for entry in feed.entries:
        try:
            doc = entry_to_doc(feed, entry, outlet=outlet, fetcher=fetcher, full_text_min_chars=full_text_min_chars)
        except Exception as e:  # noqa: BLE001 - one bad entry never stops the feed
            yield failure_from(e, source, f"entry {entry.index + 1}")
            continue
        yield doc


def read_feed(
    path: str | Path,
    *,
    outlet: str | None = None,
    fetcher: Fetcher | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    full_text_min_chars: int = FULL_TEXT_MIN_CHARS,
) -> Iterator[Item]:
    """RawDocs for every entry of the RSS/Atom file at ``path`` (``.gz`` is decompressed)."""
    path = Path(path)
    source = str(path)
    try:
        data = read_file_capped(path, max_bytes)
    except Exception as e:  # noqa: BLE001
        yield failure_from(e, source)
        return
    yield from iter_feed_docs(data, source=source, outlet=outlet, fetcher=fetcher, full_text_min_chars=full_text_min_chars)
