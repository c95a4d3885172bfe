"""JSON Lines exports: one article per line (``.jsonl`` / ``.ndjson``, optionally ``.gz``).

Fields: ``id`` (kept as the article id), ``url``, ``outlet``, ``title``, ``text`` or ``html``
(when both are given ``text`` is used; without either, a ``summary``/``description`` or at least a
``title`` is read as a short article, ``meta["text_kind"]`` "summary" or "title"), ``published``
(ISO 8601, a free-text dateline that states its day, or epoch seconds/milliseconds as a number;
any other value is kept in ``meta["published_unparsed"]`` and the article is read without a date), ``language``,
``author`` (optional). Other fields are kept in ``RawDoc.meta["extra"]``.

The file is streamed: lines are read one at a time and a line longer than ``max_bytes`` is
skipped without being held in memory. A broken line, a wrong type or a record with neither body nor title gives a
Failure naming the file and the line number; the other lines go on.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from samestory.errors import IngestError
from samestory.ingest._common import (
    DEFAULT_MAX_BYTES,
    Item,
    binary_reason,
    bom_encoding,
    check_fields,
    decode_bytes,
    failure_from,
    json_type,
    mb,
    too_big,
    utf16_without_bom,
)
from samestory.models import Failure, RawDoc

__all__ = ["read_jsonl", "iter_jsonl_stream", "record_to_doc", "iter_lines"]

_CHUNK = 64 * 1024
_GIVE_UP_AFTER = 20
RECORD_KEYS = ("id", "url", "outlet", "title", "published", "language", "author")
SUMMARY_KEYS = ("summary", "description")  # the body of a record without 'text' or 'html'


class LineTooLong:
    """Marker for a line that passed the size cap (its bytes were dropped)."""

    def __init__(self, size: int) -> None:
        self.size = size


def iter_lines(chunks: Iterable[bytes], max_line: int) -> Iterator[tuple[int, bytes | LineTooLong]]:
    """``(line_number, line_bytes)`` from a stream of byte chunks, holding at most ``max_line`` bytes."""
    buf = bytearray()
    lineno = 1
    dropping = 0  # bytes of an over-long line dropped so far
    for chunk in chunks:
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            piece = chunk[start:] if nl < 0 else chunk[start:nl]
            if dropping:
                dropping += len(piece)
            elif len(buf) + len(piece) > max_line:
                dropping = len(buf) + len(piece)
                buf.clear()
            else:
                buf += piece
            if nl < 0:
                break
            yield lineno, (LineTooLong(dropping) if dropping else bytes(buf))
            lineno += 1
            buf.clear()
            dropping = 0
            start = nl + 1
    if dropping:
        yield lineno, LineTooLong(dropping)
    elif buf:
        yield lineno, bytes(buf)


def record_to_doc(obj: Any, *, source: str, record: str, outlet: str | None = None) -> RawDoc:
    """Validate one decoded JSON value as an article record. Raises IngestError naming the record."""
    if not isinstance(obj, dict):
        raise IngestError(source, f"expected a JSON object (one article per line), got {json_type(obj)}", record)
    fields = check_fields(obj, source, where="record", record=record, keys=RECORD_KEYS, lenient_dates=True)
    text, html = obj.get("text"), obj.get("html")
    for key, v in (("text", text), ("html", html)):
        if v is not None and not isinstance(v, str):
            raise IngestError(source, f"field '{key}' must be a string, got {json_type(v)}", record)
    text_kind = "full"
    if text and text.strip():
        kind, content = "text", text.strip()
    elif html and html.strip():
        kind, content = "html", html
    else:
        # a feed or an aggregator export: a headline, maybe a summary, no body. Kept (flagged
        # short: it clusters with the short-text cut-offs) instead of refused.
        summary = next((v.strip() for v in (obj.get(k) for k in SUMMARY_KEYS) if isinstance(v, str) and v.strip()), "")
        if summary:
            kind, content, text_kind = "text", summary, "summary"
        elif fields.get("title"):
            kind, content, text_kind = "text", fields["title"], "title"
        else:
            what = "are empty" if ("text" in obj or "html" in obj) else "are missing"
            raise IngestError(source, f"no article body and no title: fields 'text' and 'html' {what} and there "
                                      "is no 'title' (give a body or at least a headline)", record)
    extra_fields = {k: v for k, v in obj.items() if k not in RECORD_KEYS and k not in ("text", "html")}
    meta: dict[str, Any] = {"record": record, "text_kind": text_kind}
    if "published_unparsed" in fields:
        meta["published_unparsed"] = fields.pop("published_unparsed")
    if fields.get("author"):
        meta["author"] = fields["author"]
    if extra_fields:
        meta["extra"] = extra_fields
    return RawDoc(
        source=source,
        kind=kind,  # type: ignore[arg-type]
        content=content,
        id=fields.get("id"),
        url=fields.get("url"),
        outlet=outlet or fields.get("outlet"),
        title=fields.get("title"),
        published=fields.get("published"),
        language=fields.get("language"),
        meta=meta,
    )


def iter_jsonl_stream(
    chunks: Iterable[bytes],
    *,
    source: str,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Articles from JSON Lines arriving as byte chunks (a file, gzip stream or stdin).

    A binary stream gives one Failure; so does a stream whose first lines are all broken
    (it is not JSON Lines at all), instead of one Failure per line. A stray NUL byte costs only
    its line; UTF-16 and UTF-32 (with a BOM, and UTF-16 without one) are read as such.
    """
    chunks = iter(chunks)
    first = next(chunks, b"")
    why = binary_reason(first, lines=True) if first else None
    if why:
        yield Failure(source, why)
        return
    wide = bom_encoding(first) if not first.startswith(b"\xef\xbb\xbf") else None
    wide = wide or utf16_without_bom(first)
    if wide:  # lines are split on b"\n": re-encode the stream as UTF-8 first
        first, chunks = b"", _transcoded(itertools.chain([first], chunks), wide)
    broken_from_start = 0
    for lineno, line in iter_lines(itertools.chain([first], chunks), max_bytes):
        record = f"line {lineno}"
        if isinstance(line, LineTooLong):
            yield Failure(source, too_big(f"the line ({mb(line.size)})", max_bytes), record=record)
            continue
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        if b"\x00" in line:
            yield Failure(source, f"the line holds NUL bytes (binary data), not JSON text: skipped "
                                  f"(first at byte {line.index(0) + 1})", record=record)
            continue
        try:
            text, _how = decode_bytes(line)
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as e:
                if broken_from_start >= 0:
                    broken_from_start += 1
                    if broken_from_start >= _GIVE_UP_AFTER:
                        yield Failure(source, f"not JSON Lines: the first {_GIVE_UP_AFTER} lines are not JSON ({e.msg})", record=record)
                        return
                raise IngestError(source, f"broken JSON: {e.msg} at column {e.colno}", record) from None
            except RecursionError:
                raise IngestError(source, "broken JSON: nested too deeply", record) from None
            broken_from_start = -1  # one good JSON line: report every later line on its own
            doc = record_to_doc(obj, source=source, record=record, outlet=outlet)
        except Exception as e:  # noqa: BLE001 - one bad line never stops the file
            yield failure_from(e, source, record)
            continue
        yield doc


def _transcoded(chunks: Iterable[bytes], codec: str) -> Iterator[bytes]:
    """UTF-8 chunks from chunks in ``codec`` (a BOM is dropped; undecodable units become U+FFFD)."""
    import codecs

    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    for chunk in chunks:
        text = decoder.decode(chunk)
        if text:
            yield text.encode("utf-8", "surrogatepass")
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail.encode("utf-8", "surrogatepass")


def _file_chunks(f: BinaryIO) -> Iterator[bytes]:
    while True:
        chunk = f.read(_CHUNK)
        if not chunk:
            return
        yield chunk


def read_jsonl(
    path: str | Path,
    *,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Yield a RawDoc or a Failure for every non-empty line of the JSONL file at ``path``."""
    import gzip
    import zlib

    path = Path(path)
    source = str(path)
    n = 0
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as f:  # type: ignore[operator]
            for item in iter_jsonl_stream(_file_chunks(f), source=source, outlet=outlet, max_bytes=max_bytes):
                n += 1
                yield item
    except FileNotFoundError:
        yield Failure(source, "file not found (it may have been moved or deleted during the run)")
        return
    except PermissionError:
        yield Failure(source, "permission denied")
        return
    except IsADirectoryError:
        yield Failure(source, "is a directory, not a file")
        return
    except EOFError:
        yield Failure(source, f"truncated gzip: the data ends early (after {n} lines)")
        return
    except (gzip.BadGzipFile, zlib.error) as e:
        yield Failure(source, f"corrupt gzip data after {n} lines: {e}")
        return
    except Exception as e:  # noqa: BLE001
        yield failure_from(e, source)
        return
    if n == 0:
        yield Failure(source, "empty file (no JSON lines)")
