"""Plain-text articles: one ``.txt`` file is one article.

The first non-empty line is the title, the rest is the body. Metadata comes from, in order:
the explicit ``outlet`` option; a sidecar ``NAME.meta.json`` beside ``NAME.txt`` (keys
outlet, url, published, author, title, language, id); else the outlet is the file name stem.
When the sidecar gives a ``title`` that differs from the first line, the whole file is body.

Decoding: BOM, UTF-8, repaired mixed UTF-8/cp1252, detection, cp1252/latin-1 (see
``_common.decode_bytes``); binary and empty files are refused with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from samestory.errors import IngestError
from samestory.ingest._common import (
    DEFAULT_MAX_BYTES,
    Item,
    decode_text_input,
    failure_from,
    read_file_capped,
    read_sidecar,
    stem_of,
)
from samestory.models import RawDoc

__all__ = ["read_text", "parse_text", "split_title"]


def split_title(text: str) -> tuple[str, str]:
    """``(title, body)``: the first non-empty line and everything after it (stripped)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, line in enumerate(lines):
        if title := _trim(line):
            return title, "\n".join(lines[i + 1 :]).strip()
    return "", ""


def _trim(line: str) -> str:
    """The line without surrounding whitespace or byte-order marks (a BOM is no part of a title,
    and files glued together carry one at the start of a later line)."""
    while (trimmed := line.strip().strip("\ufeff")) != line:
        line = trimmed
    return line


def parse_text(
    text: str,
    *,
    source: str,
    outlet: str | None = None,
    meta: dict[str, Any] | None = None,
    encoding: str | None = None,
) -> RawDoc:
    """Build a text RawDoc from decoded text and (already validated) metadata. Raises IngestError."""
    meta = dict(meta or {})
    text = text.lstrip("\ufeff")
    first, rest = split_title(text)
    title = meta.get("title")
    if title and first and _same_line(first, title):
        body = rest
    elif title:
        body = text.strip()
    else:
        title, body = first, rest
    if not body:
        if not title:
            raise IngestError(source, "empty file (no text)")
        raise IngestError(source, "only a title line and no body (a text article needs the title on its first line and the body after it)")
    extra: dict[str, Any] = {}
    if encoding:
        extra["encoding"] = encoding
    if meta.get("author"):
        extra["author"] = meta["author"]
    return RawDoc(
        source=source,
        kind="text",
        content=body,
        id=meta.get("id"),
        url=meta.get("url"),
        outlet=outlet or meta.get("outlet"),
        title=title,
        published=meta.get("published"),
        language=meta.get("language"),
        meta=extra,
    )


def _same_line(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def read_text(
    path: str | Path,
    *,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Yield one RawDoc(kind="text") for the file at ``path``, or one Failure saying why not."""
    path = Path(path)
    source = str(path)
    try:
        data = read_file_capped(path, max_bytes)
        text, how = decode_text_input(data, source)
        meta = read_sidecar(path)
        doc = parse_text(text, source=source, outlet=outlet or meta.get("outlet") or stem_of(path), meta=meta, encoding=how)
        if not (outlet or meta.get("outlet")):
            doc.meta["outlet_from"] = "file name"  # clean() prefers a name the text's own footer gives
    except Exception as e:  # noqa: BLE001 - every error becomes a Failure in the stream
        yield failure_from(e, source)
        return
    yield doc
