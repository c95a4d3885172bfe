"""Saved web pages: ``.html`` / ``.htm`` / ``.xhtml`` files (and ``.html.gz``) become RawDoc(kind="html").

The page is decoded (BOM, valid UTF-8, ``<meta charset>``, repair, detection) but not
extracted: ``samestory.clean`` pulls main text and metadata out later. The outlet comes from the
``outlet`` option or a sidecar ``NAME.meta.json``; otherwise it stays None and extraction fills
it from the page's site name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from samestory.ingest._common import (
    DEFAULT_MAX_BYTES,
    Item,
    decode_html,
    failure_from,
    read_file_capped,
    read_sidecar,
)
from samestory.models import RawDoc

__all__ = ["read_html", "html_doc"]


def html_doc(
    html: str,
    *,
    source: str,
    url: str | None = None,
    outlet: str | None = None,
    meta: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> RawDoc:
    """A RawDoc(kind="html") with metadata from a validated sidecar/record dict ``meta``."""
    meta = meta or {}
    extra = dict(extra or {})
    if meta.get("author"):
        extra["author"] = meta["author"]
    return RawDoc(
        source=source,
        kind="html",
        content=html,
        id=meta.get("id"),
        url=meta.get("url") or url,
        outlet=outlet or meta.get("outlet"),
        title=meta.get("title"),
        published=meta.get("published"),
        language=meta.get("language"),
        meta=extra,
    )


def read_html(
    path: str | Path,
    *,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Yield one RawDoc(kind="html") for the page at ``path``, or one Failure saying why not."""
    path = Path(path)
    source = str(path)
    try:
        data = read_file_capped(path, max_bytes)
        html, how = decode_html(data, source)
        meta = read_sidecar(path)
        doc = html_doc(html, source=source, outlet=outlet, meta=meta, extra={"encoding": how})
    except Exception as e:  # noqa: BLE001 - every error becomes a Failure in the stream
        yield failure_from(e, source)
        return
    yield doc
