"""Shared helpers for the readers: capped reading, gzip with a decoded-size cap, binary
detection, text decoding (BOM / declared charset / UTF-8 / repair of mixed encodings /
detection), sidecar metadata, and the guard that turns any exception into a ``Failure``.

Nothing here extracts article text; that is ``samestory.clean``'s job.
"""

from __future__ import annotations

import logging

import codecs
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from samestory.errors import InputError, IngestError
from samestory.models import Failure, RawDoc
from samestory.text.dates import epoch_to_iso, normalize_published, parse_iso

# One document larger than this is refused (a 50 MB page is almost always a dump, not an article).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024
NUL_SHARE = 0.001  # share of NUL bytes in the first chunk above which a file is binary

Item = RawDoc | Failure


log = logging.getLogger("samestory")

def mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def too_big(size_hint: str, max_bytes: int) -> str:
    return f"{size_hint} is larger than the {mb(max_bytes)} per-document cap (raise max_bytes to read it)"


# ---------------------------------------------------------------- reading bytes


def read_file_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` (gunzipped when it ends in ``.gz``), refusing more than ``max_bytes``.

    Raises IngestError naming the file and the reason (missing, unreadable, too big, bad gzip).
    """
    source = str(path)
    try:
        if path.name.lower().endswith(".gz"):
            with open(path, "rb") as f:
                return gunzip_capped(f, max_bytes, source)
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(source, too_big(f"the file ({mb(size)})", max_bytes))
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
        if len(data) > max_bytes:  # grew while we read it
            raise IngestError(source, too_big("the file", max_bytes))
        return data
    except FileNotFoundError:
        raise IngestError(source, "file not found (it may have been moved or deleted during the run)") from None
    except IsADirectoryError:
        raise IngestError(source, "is a directory, not a file") from None
    except PermissionError:
        raise IngestError(source, "permission denied") from None
    except OSError as e:
        raise IngestError(source, f"could not read the file: {e.strerror or e}") from None


def gunzip_capped(fobj: BinaryIO, max_bytes: int, source: str) -> bytes:
    """Inflate a (possibly multi-member) gzip stream, stopping once the output passes ``max_bytes``.

    A gzip bomb costs at most ``max_bytes`` of memory; a truncated or corrupt stream is an IngestError.
    """
    out = bytearray()
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    in_member = False  # a member has started and not yet ended
    seen_any = False
    while True:
        chunk = fobj.read(_CHUNK)
        if not chunk:
            break
        seen_any = True
        data = chunk
        while data:
            if not in_member and not data.strip(b"\x00"):
                break  # zero padding after the last member
            in_member = True
            try:
                out += d.decompress(data, max_bytes + 1 - len(out))
            except zlib.error as e:
                what = "not gzip data" if not out and "header" in str(e) else "corrupt gzip data"
                raise IngestError(source, f"{what}: {e}") from None
            if len(out) > max_bytes:
                raise IngestError(source, too_big("the decompressed content", max_bytes))
            if d.eof:
                # Concatenated members start again on what is left; zero padding ends the stream.
                in_member = False
                data = d.unused_data
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                data = d.unconsumed_tail
    if not seen_any:
        raise IngestError(source, "empty file")
    if in_member:
        raise IngestError(source, f"truncated gzip: the data ends early (after {mb(len(out))} of content)")
    return bytes(out)


# ---------------------------------------------------------------- binary detection

_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip data (name it .gz to have it decompressed)"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"RIFF", "a media file"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
]
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Bytes that never occur in text: C0 controls except tab, newline, vertical tab, form feed, carriage return, escape.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"


def bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``data`` (no BOM) reads as UTF-16 text, else None.

    Text in a Latin script stored as UTF-16 has a NUL as every other byte (the high byte of each
    code unit) and almost none in between; binary data has NULs anywhere. Both the pattern (at
    least 40% NULs on one side, at most 5% on the other, of the first 4 KB) and a strict decode
    of that sample must agree."""
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    for codec, high, low in (("utf-16-le", zeros_odd, zeros_even), ("utf-16-be", zeros_even, zeros_odd)):
        if high >= 0.4 and low <= 0.05:
            try:
                text = sample.decode(codec)
            except UnicodeDecodeError:
                # a sample cut inside a surrogate pair is still UTF-16
                try:
                    text = sample[:-2].decode(codec)
                except UnicodeDecodeError:
                    return None
            controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v\x1b")
            return codec if controls <= 0.05 * max(1, len(text)) else None
    return None


def binary_reason(data: bytes, *, lines: bool = False) -> str | None:
    """Why ``data`` looks binary rather than text, or None. Files with a UTF-16/32 BOM are text,
    and so is UTF-16 without one (``utf16_without_bom``). With ``lines`` (a line-based format:
    each bad line is refused on its own) a stray NUL byte only counts toward the share of control
    bytes instead of refusing the whole input."""
    if bom_encoding(data) or utf16_without_bom(data):
        return None
    head = data[:_CHUNK]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({what}), not text"
    nuls = head.count(b"\x00")
    # a few stray NULs in a long page are corruption a browser skips (one saved page in trafilatura's evaluation
    # set has 22 in 190 KB); more than NUL_SHARE of the bytes is binary (or BOM-less UTF-16)
    if nuls and not lines and (len(head) < 1024 or nuls / len(head) > NUL_SHARE):
        return "binary file (contains NUL bytes), not text"
    if head:
        controls = sum(head.count(bytes([c])) for c in _CONTROL)
        if controls / len(head) > 0.05:
            return f"binary file ({controls / len(head):.0%} control bytes), not text"
    return None


# ---------------------------------------------------------------- decoding


def _latin_repair(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode one undecodable byte as cp1252 (latin-1 where cp1252 has a hole)."""
    b = err.object[err.start : err.start + 1]
    try:
        return b.decode("cp1252"), err.start + 1
    except UnicodeDecodeError:
        return b.decode("latin-1"), err.start + 1


codecs.register_error("samestory-cp1252", _latin_repair)

# WHATWG: labels that mean windows-1252 in practice.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "windows-1252", "cp1252", "x-cp1252"}
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a declared charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        return name
    return name


def decode_bytes(data: bytes, declared: Iterable[str | None] = ()) -> tuple[str, str]:
    """Decode bytes to text; returns ``(text, how)`` where ``how`` names the encoding used.

    Order: a BOM; valid UTF-8 (a non-ASCII file that decodes as UTF-8 practically never is
    anything else, and servers often declare the wrong charset); the declared charsets
    (HTTP header, then ``<meta>``); UTF-8 with stray cp1252 bytes repaired (mixed files);
    detection by charset_normalizer; cp1252 with latin-1 for its holes. Never raises.
    """
    enc = bom_encoding(data)
    if enc:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            return data.decode(enc, errors="replace"), f"{enc} (with replacement characters)"
    enc = utf16_without_bom(data)  # before UTF-8: UTF-16 of ASCII text is valid UTF-8 (with NULs)
    if enc:
        try:
            return data.decode(enc), f"{enc} (no BOM)"
        except UnicodeDecodeError:
            return data.decode(enc, errors="replace"), f"{enc} (no BOM, with replacement characters)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for label in declared:
        codec = normalize_charset(label)
        if codec and codec not in ("utf-8",):
            try:
                return data.decode(codec), codec
            except (UnicodeDecodeError, LookupError):
                continue
    # Mixed: genuine UTF-8 sequences next to single cp1252/latin-1 bytes (a file edited by two tools).
    if _UTF8_MULTIBYTE.search(data[: 4 * _CHUNK]):
        return data.decode("utf-8", errors="samestory-cp1252"), "utf-8 (mixed: stray cp1252 bytes repaired)"
    latin = data.decode("cp1252", errors="samestory-cp1252")
    if _plausibly_latin(latin):
        return latin, "cp1252"
    guess = _detect(data)
    if guess:
        try:
            return data.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    return latin, "cp1252"


def _plausibly_latin(text: str) -> bool:
    """Western languages have few accented letters; text in another script read as cp1252 is mostly accents."""
    sample = text[: 4 * _CHUNK]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return True
    accented = sum(1 for c in letters if ord(c) > 127)
    return accented / len(letters) <= 0.3


def _detect(data: bytes) -> str | None:
    """charset_normalizer's guess (cp1252 whenever that decodes to the same text)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    try:
        best = from_bytes(data[: 4 * _CHUNK]).best()
    except Exception:  # noqa: BLE001 - a detector failure means "no guess"
        return None
    if best is None or best.encoding in ("ascii", "utf_8"):
        return None
    same = {e.lower().replace("_", "-") for e in best.could_be_from_charset}
    if "cp1252" in same or "windows-1252" in same:
        return "cp1252"
    return best.encoding


def decode_text_input(data: bytes, source: str, declared: Iterable[str | None] = ()) -> tuple[str, str]:
    """Decode a text-like input, refusing binary and empty ones with an IngestError."""
    if not data.strip():
        raise IngestError(source, "empty file" if not data else "empty file (only whitespace)")
    why = binary_reason(data)
    if why:
        raise IngestError(source, why)
    text, how = decode_bytes(data, declared)
    text = text.replace("\x00", "")  # the stray NULs binary_reason lets through
    if not text.strip():
        raise IngestError(source, "empty after decoding")
    return text, how


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)


def html_meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (``<meta charset>`` or http-equiv)."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def content_type_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return m.group(1) if m else None


def decode_html(data: bytes, source: str, http_charset: str | None = None) -> tuple[str, str]:
    return decode_text_input(data, source, declared=(http_charset, html_meta_charset(data)))


# ---------------------------------------------------------------- sidecars and fields

SIDECAR_SUFFIX = ".meta.json"
SIDECAR_KEYS = ("outlet", "url", "published", "author", "title", "language", "id")


def sidecar_path(path: Path) -> Path:
    """``NAME.meta.json`` beside ``NAME.txt`` / ``NAME.html`` / ``NAME.html.gz``."""
    name = path.name
    for ext in (".html.gz", ".htm.gz", ".txt.gz"):
        if name.lower().endswith(ext):
            return path.with_name(name[: -len(ext)] + SIDECAR_SUFFIX)
    return path.with_name(path.stem + SIDECAR_SUFFIX) if path.suffix else path.with_name(name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from the sidecar beside ``path`` ({} when there is none). Raises IngestError when broken."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        raw = side.read_bytes()
        if len(raw) > 1024 * 1024:
            raise IngestError(str(path), f"sidecar {side.name} is larger than 1 MB")
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise IngestError(str(path), f"sidecar {side.name} is not UTF-8 JSON") from None
    except json.JSONDecodeError as e:
        raise IngestError(str(path), f"sidecar {side.name} is not valid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    except OSError as e:
        raise IngestError(str(path), f"could not read sidecar {side.name}: {e.strerror or e}") from None
    if not isinstance(data, dict):
        raise IngestError(str(path), f"sidecar {side.name} must hold a JSON object, got {json_type(data)}")
    return check_fields(data, str(path), where=f"sidecar {side.name}")


def extended_json_date(v: dict, source: str, where: str, record: str | None) -> Any:
    """The date inside a MongoDB Extended JSON date (``mongoexport``, and the archives built on
    it): ``{"$date": "2014-09-14T08:44:04.884-0400"}``, ``{"$date": 1410698644884}`` or
    ``{"$date": {"$numberLong": "1410698644884"}}``; the ISO text or epoch milliseconds it holds
    go on through the usual checks. Any other object is refused, naming the field."""
    inner = v.get("$date") if set(v) == {"$date"} else None
    if isinstance(inner, dict) and set(inner) == {"$numberLong"} and isinstance(inner["$numberLong"], str):
        try:
            return int(inner["$numberLong"])
        except ValueError:
            pass
    if isinstance(inner, str | int | float) and not isinstance(inner, bool):
        return inner
    raise IngestError(source, f"{where}: field 'published' must be a string, a number or an Extended JSON "
                              f'{{"$date": ...}}, got an object with keys {sorted(v)[:5]}', record)


def json_type(v: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null", int: "a number", float: "a number"}.get(type(v), type(v).__name__)


def check_fields(data: dict[str, Any], source: str, where: str, record: str | None = None, keys: Iterable[str] = SIDECAR_KEYS,
                 *, lenient_dates: bool = False) -> dict[str, Any]:
    """Validate the optional string fields of an article record; raises IngestError on a wrong type.

    A free-text ``published`` that states its day is read as ISO 8601 (``text.dates``). With
    ``lenient_dates`` one that states no day does not cost the article: it is left unset and the
    value kept as ``published_unparsed``."""
    out: dict[str, Any] = {}
    for key in keys:
        if key not in data or data[key] is None:
            continue
        v = data[key]
        if key == "id" and isinstance(v, int) and not isinstance(v, bool):
            v = str(v)  # numeric ids are common in exports
        if key == "published" and isinstance(v, dict):
            v = extended_json_date(v, source, where, record)
        if key == "published" and isinstance(v, (int, float)) and not isinstance(v, bool):
            epoch = epoch_to_iso(v)  # epoch seconds or milliseconds, as many exports write them
            if epoch is None:
                exc = IngestError(source, f"{where}: field 'published' is a number ({v!r}) but not an epoch "
                                          "timestamp in seconds or milliseconds between 1973 and 2100", record)
                if not lenient_dates:
                    raise exc
                log.warning("%s", exc)
                out["published_unparsed"] = str(v)
                continue
            v = epoch
        if not isinstance(v, str):
            raise IngestError(source, f"{where}: field '{key}' must be a string, got {json_type(v)}", record)
        v = v.strip()
        if not v:
            continue
        if key == "published":
            try:
                # ISO is kept as written; a free-text dateline that states its day is read as ISO
                v = v if parse_iso(v) else (normalize_published(v) or check_iso_date(v, source, where, record))
            except IngestError as exc:
                if not lenient_dates:
                    raise
                log.warning("%s", exc)
                out["published_unparsed"] = v
                continue
        out[key] = v
    return out


def check_iso_date(value: str, source: str, where: str, record: str | None = None) -> str:
    """``value`` unchanged when it is ISO 8601 (date or date-time, with or without timezone)."""
    if parse_iso(value) is None:
        raise IngestError(
            source,
            f"{where}: field 'published' is not an ISO 8601 date: {value[:60]!r} (write e.g. 2024-03-01 or 2024-03-01T09:30:00+00:00)",
            record,
        )
    return value


# ---------------------------------------------------------------- text no store can hold

# a lone UTF-16 surrogate (JSON's "\\ud800", a file name's undecodable byte) is not Unicode text:
# SQLite, JSON output and the terminal all refuse to encode it
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str | None) -> bool:
    return bool(text) and _SURROGATE.search(text) is not None


def repair_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def printable_path(text: str) -> str:
    """A path for messages: bytes that are not UTF-8 shown as ``\\xNN`` (they came in as surrogates)."""
    if not has_surrogates(text):
        return text
    try:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that did not come from a byte (JSON's \\ud800)
        return repair_surrogates(text)


_DOC_TEXT_FIELDS = ("content", "url", "outlet", "title", "published", "language")


def scrub_item(item: Item) -> Item:
    """``item`` with nothing a store cannot hold. A Failure's texts are made printable; a RawDoc's
    lone surrogates are replaced by U+FFFD (the repair is logged and noted in ``meta["repaired"]``),
    except in its id, which must stay exact: that record becomes a Failure saying why."""
    import dataclasses

    if isinstance(item, Failure):
        if any(has_surrogates(v) for v in (item.source, item.reason, item.record)):
            return dataclasses.replace(item, source=printable_path(item.source), reason=repair_surrogates(item.reason),
                                       record=printable_path(item.record) if item.record else item.record)
        return item
    fixes = {}
    for name in _DOC_TEXT_FIELDS:
        value = getattr(item, name, None)
        if isinstance(value, str) and has_surrogates(value):
            fixes[name] = repair_surrogates(value)
    meta = dict(item.meta) if isinstance(item.meta, dict) else {}
    for name in ("author", "published_unparsed"):  # meta fields that reach the stored article
        if isinstance(meta.get(name), str) and has_surrogates(meta[name]):
            meta[name] = repair_surrogates(meta[name])
            fixes.setdefault(name, None)
    source = printable_path(item.source)
    record = meta.get("record")
    if has_surrogates(item.id):
        return Failure(source, "field 'id' holds a lone UTF-16 surrogate (e.g. \\ud800), which is not text; "
                               "fix the id (it must stay exact, so it is not repaired)", stage="ingest", record=record)
    if not fixes and source == item.source:
        return item
    if fixes:
        note = f"lone UTF-16 surrogates replaced by U+FFFD in {', '.join(fixes)}"
        meta["repaired"] = note
        where = f"{source}#{record}" if record else source
        log.warning("%s: %s", where, note)
    fields = {k: v for k, v in fixes.items() if v is not None}
    return dataclasses.replace(item, source=source, meta=meta, **fields)


# ---------------------------------------------------------------- never raise out of a stream


def failure_from(exc: BaseException, source: str, record: str | None = None) -> Failure:
    if isinstance(exc, InputError):
        return Failure(source=exc.source, reason=exc.reason, stage="ingest", record=exc.record or record)
    if isinstance(exc, MemoryError):
        return Failure(source=source, reason="out of memory while reading (the input is too large)", record=record)
    return Failure(source=source, reason=f"unexpected error while reading: {type(exc).__name__}: {exc}", record=record)


def guarded(items: Iterator[Item], source: str) -> Iterator[Item]:
    """Iterate ``items``; if the reader raises, yield a Failure naming ``source`` and stop."""
    it = iter(items)
    while True:
        try:
            item = next(it)
        except StopIteration:
            return
        except GeneratorExit:  # pragma: no cover
            raise
        except Exception as e:  # noqa: BLE001 - the iterator contract: errors become Failures
            yield failure_from(e, source)
            return
        yield item


def stem_of(path: Path) -> str:
    name = path.name
    for ext in (".html.gz", ".htm.gz", ".txt.gz"):
        if name.lower().endswith(ext):
            return name[: -len(ext)]
    return path.stem or name


def path_str(path: str | os.PathLike[str]) -> str:
    return os.fspath(path)
