"""Ingest: turn inputs (files, folders, stdin, URLs) into a stream of ``RawDoc | Failure``.

``read_inputs`` never raises: every problem is a ``Failure(source, reason, stage="ingest",
record=...)`` in the stream, naming the input (and the record inside it) and the reason, and
the rest goes on. No text is extracted here; ``samestory.clean`` does that.

Dispatch (by the lower-cased file name):

    ==========================================  ===========  =========================
    extension                                   reader       yields
    ==========================================  ===========  =========================
    .txt .text .txt.gz                          text         one RawDoc(kind="text")
    .html .htm .xhtml .html.gz .htm.gz          html         one RawDoc(kind="html")
    .jsonl .ndjson .jsonl.gz .ndjson.gz         jsonl        one per line
    .rss .atom .rss.gz .atom.gz                 feeds        one per entry
    .xml .xml.gz                                feeds        when the root is rss/feed/RDF, else a Failure
    .warc .warc.gz                              warc         one per HTML response record
    .urls                                       URL list     what each URL holds
    http:// or https:// argument                URL          a page, a feed's entries or a text
    -                                           stdin        sniffed (see below)
    ==========================================  ===========  =========================

Folders are walked recursively in sorted order. Inside folders, hidden files and folders
(starting with ``.``) and sidecars (``*.meta.json``) are skipped silently, and files with an
unknown extension are skipped with a notice passed to ``on_skip(path, reason)`` (not a Failure:
a README or an image beside the articles is not an error). A file named explicitly with an
unknown extension is sniffed like stdin: ``{`` starts JSON Lines, ``<`` an HTML page or a feed,
``WARC/`` an archive, anything else a text article; binary data is a Failure.

Every document is capped at ``max_bytes`` (20 MB by default): a bigger page, line or record
is a Failure saying so.

What a store cannot hold costs only its record: a name that is not valid UTF-8 is skipped with a
Failure (the path shown with ``\\xNN`` for its bad bytes), FIFOs, devices and sockets are skipped
with a Failure before anything opens them (reading one could block for ever), and a lone UTF-16
surrogate in a record's text is replaced by U+FFFD, or refuses the record when it is in its id
(``scrub_item``).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from samestory.ingest._common import (
    DEFAULT_MAX_BYTES,
    SIDECAR_SUFFIX,
    Item,
    binary_reason,
    decode_html,
    decode_text_input,
    failure_from,
    guarded,
    has_surrogates,
    printable_path,
    scrub_item,
    too_big,
)
from samestory.ingest.feeds import iter_feed_docs, looks_like_feed, read_feed
from samestory.ingest.fetch import DEFAULT_USER_AGENT, Fetcher, FetchResult
from samestory.ingest.html import html_doc, read_html
from samestory.ingest.jsonl import iter_jsonl_stream, read_jsonl
from samestory.ingest.text import parse_text, read_text
from samestory.ingest.urls import fetch_docs, is_url, read_url_list
from samestory.ingest.warc import iter_warc_stream, read_warc
from samestory.models import Failure, RawDoc

__all__ = [
    "read_inputs",
    "read_path",
    "reader_for",
    "EXTENSIONS",
    "DEFAULT_MAX_BYTES",
    "Fetcher",
    "FetchResult",
    "DEFAULT_USER_AGENT",
    "read_text",
    "read_html",
    "read_jsonl",
    "read_feed",
    "read_warc",
    "read_url_list",
    "fetch_docs",
    "is_url",
    "scrub_item",
]

# (suffix, reader kind); longest suffixes first so ".html.gz" wins over ".gz".
EXTENSIONS: tuple[tuple[str, str], ...] = (
    (".jsonl.gz", "jsonl"),
    (".ndjson.gz", "jsonl"),
    (".warc.gz", "warc"),
    (".html.gz", "html"),
    (".htm.gz", "html"),
    (".txt.gz", "text"),
    (".rss.gz", "feed"),
    (".atom.gz", "feed"),
    (".xml.gz", "xml"),
    (".txt", "text"),
    (".text", "text"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".rss", "feed"),
    (".atom", "feed"),
    (".xml", "xml"),
    (".warc", "warc"),
    (".urls", "urls"),
)
STDIN = "-"
STDIN_SOURCE = "<stdin>"
_SNIFF = 64 * 1024

SkipHook = Callable[[str, str], None]


def reader_for(name: str) -> str | None:
    """The reader kind for a file name (see the table above), or None for an unknown extension."""
    lower = name.lower()
    if lower.endswith(SIDECAR_SUFFIX):
        return None
    for suffix, kind in EXTENSIONS:
        if lower.endswith(suffix):
            return kind
    return None


def outlet_for(arg: str, outlets: Mapping[str, str] | None, default: str | None) -> str | None:
    """The outlet ``outlets`` gives input ``arg`` (matched as given, as a resolved path, or by its
    file name), else ``default``."""
    if not outlets:
        return default
    if arg in outlets:
        return outlets[arg]
    try:
        resolved = str(Path(arg).resolve())
    except (OSError, ValueError):
        resolved = arg
    for key, name in outlets.items():
        if key == Path(arg).name or (not is_url(key) and key != STDIN and str(Path(key).resolve()) == resolved):
            return name
    return default


def read_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    outlet: str | None = None,
    outlets: Mapping[str, str] | None = None,
    fetcher: Fetcher | None = None,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    on_skip: SkipHook | None = None,
) -> Iterator[RawDoc | Failure]:
    """Read files, folders (recursively), ``-`` (stdin) and http(s) URLs into RawDocs and Failures.

    ``outlet`` overrides the outlet of every document. ``outlets`` names the outlet per input
    (``outlet_for``: the argument as given, its resolved path, or a file's name inside a folder)
    and wins over ``outlet`` for the inputs it names. ``fetcher`` fetches URLs and, for feeds,
    the full text of summary-only entries; when URLs are given without one, a default
    ``Fetcher(allow_private=allow_private)`` is made (and closed at the end). Local feed files
    fetch full text only through an explicitly given ``fetcher``. Never raises.
    """
    own_fetcher: Fetcher | None = None

    def get_fetcher() -> Fetcher:
        nonlocal own_fetcher
        if fetcher is not None:
            return fetcher
        if own_fetcher is None:
            own_fetcher = Fetcher(allow_private=allow_private, max_bytes=max_bytes)
        return own_fetcher

    for item in _read_inputs(paths, outlet=outlet, outlets=outlets, fetcher=fetcher, get_fetcher=get_fetcher,
                             max_bytes=max_bytes, stdin=stdin, on_skip=on_skip,
                             close=lambda: own_fetcher and own_fetcher.close()):
        yield scrub_item(item)


def _read_inputs(paths, *, outlet, outlets, fetcher, get_fetcher, max_bytes, stdin, on_skip, close) -> Iterator[Item]:
    try:
        for arg in paths:
            arg_s = os.fspath(arg)
            try:
                if not arg_s.strip():
                    yield Failure(repr(arg_s), "an empty argument is not a file, folder, URL or -")
                elif arg_s == STDIN:
                    yield from guarded(_read_stdin(stdin, outlet=outlet_for(arg_s, outlets, outlet), max_bytes=max_bytes), STDIN_SOURCE)
                elif is_url(arg_s):
                    yield from guarded(fetch_docs(arg_s.strip(), get_fetcher(), outlet=outlet_for(arg_s, outlets, outlet)), arg_s)
                else:
                    path = Path(arg_s)
                    if path.is_dir():
                        yield from _read_dir(path, outlet=outlet, fetcher=fetcher, get_fetcher=get_fetcher, max_bytes=max_bytes, on_skip=on_skip, outlets=outlets)
                    elif path.exists() or path.is_symlink():
                        yield from read_path(path, outlet=outlet_for(arg_s, outlets, outlet), fetcher=fetcher, max_bytes=max_bytes, get_fetcher=get_fetcher)
                    else:
                        yield Failure(arg_s, "no such file or directory (and not an http(s) URL)")
            except Exception as e:  # noqa: BLE001 - the iterator contract: never raise
                yield failure_from(e, arg_s)
    finally:
        close()


def _read_dir(
    root: Path,
    *,
    outlet: str | None,
    fetcher: Fetcher | None,
    get_fetcher: Callable[[], Fetcher],
    max_bytes: int,
    on_skip: SkipHook | None,
    outlets: Mapping[str, str] | None = None,
) -> Iterator[Item]:
    def walk_error(e: OSError) -> None:
        errors.append(e)

    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=walk_error):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        while errors:
            e = errors.pop(0)
            yield Failure(getattr(e, "filename", None) or str(root), f"could not list the folder: {e.strerror or e}")
        for name in sorted(filenames):
            if name.startswith(".") or name.lower().endswith(SIDECAR_SUFFIX):
                continue
            path = Path(dirpath, name)
            if has_surrogates(str(path)):  # bytes that are not UTF-8: no message, store or page could name it
                yield Failure(printable_path(str(path)), "the file name is not valid UTF-8: skipped (rename the file "
                                                         "to read it)")
                continue
            if reader_for(name) is None:
                if on_skip is not None:
                    on_skip(str(path), "unknown file type (not a .txt, .html, .jsonl, .rss/.atom/.xml, .warc or .urls file)")
                continue
            yield from read_path(path, outlet=outlet_for(str(path), outlets, outlet), fetcher=fetcher,
                                 max_bytes=max_bytes, get_fetcher=get_fetcher)
    while errors:
        e = errors.pop(0)
        yield Failure(getattr(e, "filename", None) or str(root), f"could not list the folder: {e.strerror or e}")


def read_path(
    path: str | Path,
    *,
    outlet: str | None = None,
    fetcher: Fetcher | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    get_fetcher: Callable[[], Fetcher] | None = None,
) -> Iterator[Item]:
    """Read one file with the reader its name calls for (sniffing when the name says nothing)."""
    path = Path(path)
    source = str(path)
    special = _special_file(path)
    if special:
        yield Failure(printable_path(source), f"{special}, not a regular file: skipped without opening it "
                                              "(reading it could wait for ever)")
        return
    kind = reader_for(path.name)
    if kind is None:
        if path.name.lower().endswith(SIDECAR_SUFFIX):
            yield Failure(source, "a sidecar metadata file: name the article beside it (NAME.txt or NAME.html) instead")
            return
        if path.name.lower().endswith(".json"):
            yield Failure(source, "a .json file: samestory reads JSON Lines (.jsonl), one article object per line")
            return
        yield from guarded(_read_sniffed_file(path, outlet=outlet, max_bytes=max_bytes), source)
        return
    if kind == "text":
        items = read_text(path, outlet=outlet, max_bytes=max_bytes)
    elif kind == "html":
        items = read_html(path, outlet=outlet, max_bytes=max_bytes)
    elif kind == "jsonl":
        items = read_jsonl(path, outlet=outlet, max_bytes=max_bytes)
    elif kind == "feed":
        items = read_feed(path, outlet=outlet, fetcher=fetcher, max_bytes=max_bytes)
    elif kind == "xml":
        items = _read_xml(path, outlet=outlet, fetcher=fetcher, max_bytes=max_bytes)
    elif kind == "warc":
        items = read_warc(path, outlet=outlet, max_bytes=max_bytes)
    else:  # urls
        items = read_url_list(path, fetcher if fetcher is not None else (get_fetcher() if get_fetcher else None), outlet=outlet, max_bytes=max_bytes)
    yield from guarded(items, source)


def _special_file(path: Path) -> str | None:
    """What ``path`` is when it is a FIFO, a device or a socket (found by stat, never by opening it)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # missing or unreadable: the reader says so
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def _read_xml(path: Path, *, outlet: str | None, fetcher: Fetcher | None, max_bytes: int) -> Iterator[Item]:
    from samestory.ingest._common import read_file_capped

    source = str(path)
    data = read_file_capped(path, max_bytes)
    if not data.strip():
        yield Failure(source, "empty file")
    elif looks_like_feed(data):
        yield from iter_feed_docs(data, source=source, outlet=outlet, fetcher=fetcher)
    else:
        why = binary_reason(data)
        yield Failure(source, why or "an XML file that is not an RSS or Atom feed (its root element is not rss, feed or rdf:RDF)")


# ---------------------------------------------------------------- sniffing (stdin, unknown names)


def _sniff(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"<"):
        return "feed" if looks_like_feed(start) else "html"
    return "text"


def _chunks(stream: BinaryIO, first: bytes) -> Iterator[bytes]:
    if first:
        yield first
    while True:
        chunk = stream.read(_SNIFF)
        if not chunk:
            return
        yield chunk


def _read_capped_stream(chunks: Iterator[bytes], source: str, max_bytes: int) -> bytes:
    from samestory.errors import IngestError

    out = bytearray()
    for chunk in chunks:
        out += chunk
        if len(out) > max_bytes:
            raise IngestError(source, too_big("the input", max_bytes))
    return bytes(out)


def _read_sniffed(stream: BinaryIO, source: str, *, outlet: str | None, max_bytes: int, text_outlet: str | None) -> Iterator[Item]:
    from samestory.errors import IngestError

    head = stream.read(_SNIFF)
    if not head.strip():
        raise IngestError(source, "empty input" if not head else "empty input (only whitespace)")
    if head[:2] == b"\x1f\x8b":
        raise IngestError(source, "gzip data: name the file .html.gz, .txt.gz, .jsonl.gz or .warc.gz so it can be decompressed")
    why = binary_reason(head)
    if why:
        raise IngestError(source, why)
    kind = _sniff(head)
    if kind == "jsonl":
        yield from iter_jsonl_stream(_chunks(stream, head), source=source, outlet=outlet, max_bytes=max_bytes)
        return
    if kind == "warc":
        from samestory.ingest.warc import _Prefixed

        yield from iter_warc_stream(_Prefixed(head, stream), source=source, outlet=outlet, max_bytes=max_bytes)  # type: ignore[arg-type]
        return
    data = _read_capped_stream(_chunks(stream, head), source, max_bytes)
    if kind == "feed":
        yield from iter_feed_docs(data, source=source, outlet=outlet)
    elif kind == "html":
        html, how = decode_html(data, source)
        yield html_doc(html, source=source, outlet=outlet, extra={"encoding": how})
    else:
        text, how = decode_text_input(data, source)
        yield parse_text(text, source=source, outlet=outlet or text_outlet, encoding=how)


def _read_stdin(stdin: BinaryIO | None, *, outlet: str | None, max_bytes: int) -> Iterator[Item]:
    stream = stdin if stdin is not None else sys.stdin.buffer
    yield from _read_sniffed(stream, STDIN_SOURCE, outlet=outlet, max_bytes=max_bytes, text_outlet=None)


def _read_sniffed_file(path: Path, *, outlet: str | None, max_bytes: int) -> Iterator[Item]:
    from samestory.ingest._common import read_file_capped, stem_of

    source = str(path)
    try:
        f = open(path, "rb")
    except OSError:
        read_file_capped(path, max_bytes)  # raises the same clear IngestError the readers give
        raise
    with f:
        yield from _read_sniffed(f, source, outlet=outlet, max_bytes=max_bytes, text_outlet=stem_of(path))

