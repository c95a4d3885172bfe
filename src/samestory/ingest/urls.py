"""URL inputs and URL lists (``*.urls``: one URL a line, ``#`` comments and blank lines ignored).

A fetched page becomes RawDoc(kind="html", url=<final URL>); a fetched RSS/Atom feed becomes its
entries (fetching full text through the same fetcher); ``text/plain`` becomes a text article.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from samestory.ingest._common import DEFAULT_MAX_BYTES, Item, decode_bytes, failure_from, read_file_capped
from samestory.ingest.feeds import iter_feed_docs, looks_like_feed
from samestory.ingest.html import html_doc
from samestory.ingest.text import parse_text
from samestory.models import Failure

if TYPE_CHECKING:
    from samestory.ingest.fetch import Fetcher

__all__ = ["is_url", "fetch_docs", "read_url_list"]

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml", "application/feed+xml"}


def is_url(arg: str) -> bool:
    """An argument is a URL when it starts with http:// or https://."""
    return arg.strip().lower().startswith(("http://", "https://"))


def fetch_docs(url: str, fetcher: Fetcher, *, outlet: str | None = None, source: str | None = None, record: str | None = None) -> Iterator[Item]:
    """Fetch ``url`` and yield what it holds (a page, a feed's entries, a text) or a Failure."""
    source = source or url
    try:
        res = fetcher.fetch(url)
    except Exception as e:  # noqa: BLE001
        f = failure_from(e, source, record)
        yield Failure(source, f.reason if source == url else f"{url}: {f.reason}", record=record)
        return
    ctype = res.content_type
    body = res.body
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not body.strip():
        yield Failure(source, f"{url} returned an empty body", record=record)
    elif ctype in _FEED_TYPES or (ctype in ("", "application/octet-stream") and head.startswith(b"<?xml")):
        if looks_like_feed(body):
            yield from iter_feed_docs(body, source=res.final_url, base_url=res.final_url, outlet=outlet, fetcher=fetcher)
        elif b"<html" in head:
            yield html_doc(res.text, source=source, url=res.final_url, outlet=outlet, extra=_extra(res))
        else:
            yield Failure(source, f"{url} is XML but not an RSS/Atom feed or a page ({ctype or 'no content type'})", record=record)
    elif ctype in _HTML_TYPES or (ctype == "" and head.startswith((b"<!doctype html", b"<html"))):
        yield html_doc(res.text, source=source, url=res.final_url, outlet=outlet, extra=_extra(res))
    elif ctype == "text/plain":
        try:
            text = decode_bytes(body, (res.charset,))[0]
            yield parse_text(text, source=source, outlet=outlet, meta={"url": res.final_url})
        except Exception as e:  # noqa: BLE001
            yield failure_from(e, source, record)
    else:
        yield Failure(source, f"{url} is {ctype or 'of unknown type'}, not a web page or feed", record=record)


def _extra(res) -> dict:  # type: ignore[no-untyped-def]
    extra = {"fetched_from": res.url, "fetched_at": res.fetched_at, "http_status": res.status}
    if res.redirects:
        extra["redirects"] = list(res.redirects)
    return extra


def read_url_list(
    path: str | Path,
    fetcher: Fetcher | None,
    *,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Fetch every URL listed in the file at ``path``; a line that is not a URL is a Failure."""
    path = Path(path)
    source = str(path)
    try:
        data = read_file_capped(path, max_bytes)
        text, _ = decode_bytes(data)
    except Exception as e:  # noqa: BLE001
        yield failure_from(e, source)
        return
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line and not line.startswith("#")]
    if not lines:
        yield Failure(source, "no URLs in the list")
        return
    for n, line in lines:  # in file order: a bad line is reported where it stands
        record = f"line {n}"
        if not is_url(line):
            yield Failure(source, f"not an http(s) URL: {line[:100]!r}", record=record)
        elif fetcher is None:
            yield Failure(source, "URL inputs need a fetcher (none was given)", record=record)
        else:
            yield from fetch_docs(line, fetcher, outlet=outlet, source=source, record=f"{record} ({line})")
