"""HTML files: decoded but not extracted; charset from BOM, <meta> or detection; sidecars; .html.gz."""

from __future__ import annotations

import gzip
import json

import pytest

from samestory.ingest.html import read_html
from samestory.models import Failure, RawDoc

PAGE = '<!DOCTYPE html><html><head>{meta}<title>Flood barrier test</title></head><body><article><p>{body}</p></article></body></html>'


_GZ = gzip.compress(("<html><p>" + " ".join(str(i * 7919 % 10007) for i in range(5000)) + "</p></html>").encode())
_HALF_GZIP = _GZ[: len(_GZ) // 2]


def one(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def test_html_file_becomes_an_html_rawdoc(tmp_path):
    p = tmp_path / "page.html"
    html = PAGE.format(meta='<meta charset="utf-8">', body="Engineers tested the barrier — twice.")
    p.write_text(html, encoding="utf-8")
    doc = one(read_html(p))
    assert isinstance(doc, RawDoc) and doc.kind == "html"
    assert doc.content == html  # the page itself: extraction is clean's job
    assert doc.outlet is None and doc.title is None  # filled by extraction later


@pytest.mark.parametrize(
    "meta, encoding",
    [
        ('<meta charset="windows-1252">', "cp1252"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', "latin-1"),
        ("", "cp1252"),  # no declaration: detected
        ('<meta charset="iso-8859-15">', "iso-8859-15"),
    ],
)
def test_declared_and_undeclared_legacy_charsets(tmp_path, meta, encoding):
    body = "Café terrace reopens: “a fine day”, said Mrs Brûlé" if encoding != "iso-8859-15" else "Price: 5€ at the café"
    if encoding == "latin-1":
        body = "Café terrace reopens, said Mrs Brûlé"
    p = tmp_path / "legacy.htm"
    p.write_bytes(PAGE.format(meta=meta, body=body).encode(encoding))
    doc = one(read_html(p))
    assert body in doc.content


def test_utf8_bom_and_lying_meta(tmp_path):
    p = tmp_path / "bom.html"
    p.write_bytes(b"\xef\xbb\xbf" + PAGE.format(meta='<meta charset="iso-8859-1">', body="Zürich “quoted”").encode("utf-8"))
    doc = one(read_html(p))
    assert "Zürich “quoted”" in doc.content and not doc.content.startswith("\ufeff")
    q = tmp_path / "lying.html"  # says latin-1, is UTF-8: valid UTF-8 wins
    q.write_bytes(PAGE.format(meta='<meta charset="iso-8859-1">', body="Zürich “quoted”").encode("utf-8"))
    assert "Zürich “quoted”" in one(read_html(q)).content


def test_sidecar_and_option(tmp_path):
    p = tmp_path / "story.html.gz"
    p.write_bytes(gzip.compress(PAGE.format(meta="", body="Gzipped page").encode()))
    (tmp_path / "story.meta.json").write_text(json.dumps({"outlet": "Coast Echo", "url": "https://echo.test/s", "published": "2024-02-01"}))
    doc = one(read_html(p))
    assert "Gzipped page" in doc.content
    assert (doc.outlet, doc.url, doc.published) == ("Coast Echo", "https://echo.test/s", "2024-02-01")
    assert one(read_html(p, outlet="Mine")).outlet == "Mine"


@pytest.mark.parametrize(
    "name, raw, reason",
    [
        ("empty.html", b"", "empty file"),
        ("bin.html", b"\x7fELF\x02\x01\x01\x00" + bytes(200), "binary file (an executable)"),
        ("cut.html.gz", _HALF_GZIP, "truncated gzip"),
        ("notgz.html.gz", b"<html>plain</html>", "not gzip data"),
    ],
)
def test_bad_html_files(tmp_path, name, raw, reason):
    p = tmp_path / name
    p.write_bytes(raw)
    f = one(read_html(p))
    assert isinstance(f, Failure) and f.source == str(p) and reason in f.reason


def test_a_50_mb_page_is_refused_without_reading_it(tmp_path):
    p = tmp_path / "huge.html"
    with open(p, "wb") as fh:
        fh.write(b"<html><body>")
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper
    f = one(read_html(p))
    assert isinstance(f, Failure) and "50.0 MB" in f.reason and "20.0 MB" in f.reason


def test_deeply_nested_html_is_just_read(tmp_path):
    p = tmp_path / "nested.html"
    p.write_text("<div>" * 100_000 + "deep" + "</div>" * 100_000)
    doc = one(read_html(p))
    assert isinstance(doc, RawDoc) and "deep" in doc.content
