"""Web archives: WARC and WARC.gz files (warcio), streamed record by record.

Every ``response`` (and ``resource``) record with status 200 and an HTML content type becomes
RawDoc(kind="html", url=WARC-Target-URI), decoded with the HTTP charset (then ``<meta charset>``,
then detection). Other records are skipped. Memory stays flat in the archive's size: records are
read one at a time and a record body over ``max_bytes`` is refused without being held.

A broken or truncated record gives a Failure naming the record's index and URI and the rest goes
on; an archive that cannot be parsed further (a corrupt record header, a truncated gzip member)
ends the stream with a Failure saying how many records were read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from samestory.errors import IngestError
from samestory.ingest._common import (
    DEFAULT_MAX_BYTES,
    Item,
    binary_reason,
    content_type_charset,
    decode_html,
    failure_from,
    too_big,
)
from samestory.ingest.html import html_doc
from samestory.models import Failure

__all__ = ["read_warc", "iter_warc_stream"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ = 64 * 1024


class _GzipWatch:
    """Passes a gzip stream through unchanged while checking it inflates cleanly to its end.

    warcio silently stops at a truncated gzip member; this notices (``truncated``) and keeps
    the zlib error of a corrupt one (``error``). Inflated output is discarded in bounded pieces.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._in_member = False
        self.error: str | None = None
        self.compressed = 0

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self.compressed += len(data)
        if self.error is None:
            self._feed(data)
        return data

    def _feed(self, data: bytes) -> None:
        while data:
            if not self._in_member and not data.strip(b"\x00"):
                return
            self._in_member = True
            try:
                self._d.decompress(data, 1 << 20)
            except zlib.error as e:
                self.error = str(e)
                return
            if self._d.eof:
                self._in_member = False
                data = self._d.unused_data
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                data = self._d.unconsumed_tail

    @property
    def truncated(self) -> bool:
        return self._in_member


def _record_label(index: int, uri: str | None) -> str:
    return f"record {index}" + (f" ({uri})" if uri else "")


def iter_warc_stream(
    stream: BinaryIO,
    *,
    source: str,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """RawDocs for the HTML responses in a WARC stream; Failures for bad records or a bad archive."""
    from warcio.archiveiterator import ArchiveIterator

    head = stream.read(_READ)
    if not head:
        yield Failure(source, "empty file")
        return
    gz = head[:2] == b"\x1f\x8b"
    if gz:
        # look at the first inflated bytes (capped) before warcio does: its first readline has no
        # limit, so a gzip of zeros would otherwise be inflated whole into memory
        try:
            first = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _READ)
        except zlib.error as e:
            yield Failure(source, f"corrupt gzip data at the start of the archive: {e}")
            return
        if first and not first.lstrip()[:16].startswith((b"WARC/", b"filedesc:")):
            why = binary_reason(first)
            yield Failure(source, f"not a WARC file: the gzip holds {why or 'no WARC/1.x record header'}")
            return
    else:
        if not head.lstrip().startswith((b"WARC/", b"filedesc:")):
            why = binary_reason(head)
            yield Failure(source, f"not a WARC file ({why or 'it does not start with a WARC/1.x record header'})")
            return
    stream = _Prefixed(head, stream)
    watch = _GzipWatch(stream) if gz else None
    index = 0
    produced = 0  # RawDocs and Failures yielded: an archive that gives nothing says so
    records = ArchiveIterator(watch or stream, no_record_parse=False)
    it = iter(records)
    while True:
        uri: str | None = None
        try:
            record = next(it)
        except StopIteration:
            break
        except Exception as e:  # noqa: BLE001 - warcio raises ArchiveLoadFailed, zlib.error, ValueError...
            reason = f"unreadable WARC data after record {index}: {type(e).__name__}: {_short(e)}"
            if watch is not None and watch.error:
                reason = f"corrupt gzip data after record {index}: {watch.error}"
            yield Failure(source, reason + " (the rest of the archive is skipped)", record=f"record {index + 1}")
            return
        index += 1
        try:
            uri = record.rec_headers.get_header("WARC-Target-URI")
            doc = _record_doc(record, index, uri, source=source, outlet=outlet, max_bytes=max_bytes)
        except Exception as e:  # noqa: BLE001 - one bad record never stops the archive
            produced += 1
            yield failure_from(e, source, _record_label(index, uri))
            continue
        if doc is not None:
            produced += 1
            yield doc
    if watch is not None and watch.error:
        yield Failure(source, f"corrupt gzip data after record {index}: {watch.error}", record=f"record {index + 1}")
    elif watch is not None and watch.truncated:
        yield Failure(source, f"truncated gzip: the archive ends in the middle of a record after {index} complete records", record=f"record {index + 1}")
    elif index == 0:
        yield Failure(source, "no WARC records found")
    elif produced == 0:
        yield Failure(source, f"no HTML pages in the archive ({index} records, none a 200 response with an HTML content type)")


def _record_doc(record: Any, index: int, uri: str | None, *, source: str, outlet: str | None, max_bytes: int):  # type: ignore[no-untyped-def]
    label = _record_label(index, uri)
    if record.rec_type not in ("response", "resource"):
        return None
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode()
        if str(status) != "200":
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if not content_type.split(";")[0].strip().lower() in _HTML_TYPES:
        return None
    content = record.content_stream()
    buf = bytearray()
    while True:  # warcio's readers may return less than asked for before the end
        piece = content.read(min(_READ, max_bytes + 1 - len(buf)))
        if not piece:
            break
        buf += piece
        if len(buf) > max_bytes:
            raise IngestError(source, too_big("the record's page", max_bytes), label)
    body = bytes(buf)
    limit = getattr(record.raw_stream, "limit", 0)
    if limit and limit > 0:
        # the record's declared Content-Length was not all there
        remaining = record.raw_stream.read(1)
        if not remaining:
            raise IngestError(source, f"truncated record: {limit} bytes of its declared length are missing", label)
    if not body.strip():
        raise IngestError(source, "the page in this record is empty", label)
    html, how = decode_html(body, f"{source}#{label}", content_type_charset(content_type))
    extra = {"encoding": how, "record": label}
    date = record.rec_headers.get_header("WARC-Date")
    if date:
        extra["fetched_at"] = date
    return html_doc(html, source=source, url=uri, outlet=outlet, extra=extra)


class _Prefixed:
    """A read-only stream: ``prefix`` first, then the rest of ``stream``."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix = prefix
        self._stream = stream

    def read(self, n: int = -1) -> bytes:
        if self._prefix:
            if n is None or n < 0:
                data, self._prefix = self._prefix + self._stream.read(), b""
                return data
            data, self._prefix = self._prefix[:n], self._prefix[n:]
            if len(data) < n:
                data += self._stream.read(n - len(data))
            return data
        return self._stream.read(n)


def _short(e: BaseException, n: int = 120) -> str:
    s = " ".join(str(e).split())
    return s if len(s) <= n else s[:n] + "..."


def read_warc(
    path: str | Path,
    *,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """RawDocs for the HTML responses in the WARC / WARC.gz file at ``path``."""
    path = Path(path)
    source = str(path)
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        yield Failure(source, "file not found (it may have been moved or deleted during the run)")
        return
    except IsADirectoryError:
        yield Failure(source, "is a directory, not a file")
        return
    except OSError as e:
        yield Failure(source, f"could not open the file: {e.strerror or e}")
        return
    with f:
        try:
            yield from iter_warc_stream(f, source=source, outlet=outlet, max_bytes=max_bytes)
        except Exception as e:  # noqa: BLE001 - never raise out of the stream
            yield failure_from(e, source)
