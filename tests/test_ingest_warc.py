"""WARC / WARC.gz: streaming over HTML responses; broken and truncated archives."""

from __future__ import annotations

import gzip
import io
import tracemalloc

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from samestory.ingest import read_inputs
from samestory.ingest.warc import iter_warc_stream, read_warc
from samestory.models import Failure, RawDoc


def page(i: int, extra: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>Page {i}</title></head><body><p>Report number {i}: café “{i}”. {extra}</p></body></html>"


def response(w, uri, body: bytes, ctype="text/html; charset=utf-8", status="200 OK", headers=()):
    hh = StatusAndHeaders(status, [("Content-Type", ctype), *headers], protocol="HTTP/1.1")
    w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=hh))


def build(gz: bool, records) -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for rec in records:
        rec(w)
    return buf.getvalue()


def standard(gz: bool) -> bytes:
    return build(gz, [
        lambda w: w.write_record(w.create_warc_record("http://a.test/", "warcinfo", payload=io.BytesIO(b"software: test"))),
        lambda w: response(w, "http://a.test/1", page(1).encode("utf-8")),
        lambda w: response(w, "http://a.test/logo.png", b"\x89PNG\r\n", ctype="image/png"),
        lambda w: response(w, "http://a.test/2", page(2).encode("cp1252"), ctype="text/html; charset=windows-1252"),
        lambda w: response(w, "http://a.test/gone", page(0).encode(), status="404 Not Found"),
        lambda w: response(w, "http://a.test/3", page(3).encode("utf-8"), ctype="application/xhtml+xml"),
    ])


@pytest.mark.parametrize("gz", [False, True])
def test_html_responses_become_rawdocs(tmp_path, gz):
    p = tmp_path / ("a.warc.gz" if gz else "a.warc")
    p.write_bytes(standard(gz))
    items = list(read_inputs([p]))
    assert all(isinstance(x, RawDoc) for x in items), items
    assert [d.url for d in items] == ["http://a.test/1", "http://a.test/2", "http://a.test/3"]
    assert all(d.kind == "html" and d.source == str(p) for d in items)
    assert "café “2”" in items[1].content  # decoded with the HTTP charset
    assert items[0].meta["record"].startswith("record 2") and "fetched_at" in items[0].meta


def test_truncated_record_gives_a_failure_and_earlier_records_are_kept(tmp_path):
    data = standard(False)
    p = tmp_path / "cut.warc"
    p.write_bytes(data[: data.rindex(b"Report number 3") + 5])
    items = list(read_warc(p))
    assert [d.url for d in items if isinstance(d, RawDoc)] == ["http://a.test/1", "http://a.test/2"]
    (fail,) = [x for x in items if isinstance(x, Failure)]
    assert "truncated record" in fail.reason and "http://a.test/3" in fail.record


def test_truncated_gzip_ends_the_stream_with_a_failure(tmp_path):
    data = standard(True)
    p = tmp_path / "cut.warc.gz"
    p.write_bytes(data[: len(data) - 40])
    items = list(read_warc(p))
    assert isinstance(items[-1], Failure) and "truncated gzip" in items[-1].reason
    assert [d.url for d in items if isinstance(d, RawDoc)][:2] == ["http://a.test/1", "http://a.test/2"]


def test_corrupt_record_header_stops_with_a_failure_naming_the_record(tmp_path):
    data = standard(False)
    second = data.index(b"WARC/1", data.index(b"http://a.test/1") )
    bad = data[:second] + b"GARBAGE" + data[second + 7 :]
    p = tmp_path / "bad.warc"
    p.write_bytes(bad)
    items = list(read_warc(p))
    assert [d.url for d in items if isinstance(d, RawDoc)] == ["http://a.test/1"]
    assert isinstance(items[-1], Failure) and "unreadable WARC data after record 2" in items[-1].reason
    assert items[-1].record == "record 3"


def test_corrupt_gzip_member(tmp_path):
    data = bytearray(standard(True))
    mid = len(data) // 2
    data[mid : mid + 30] = b"\xff" * 30
    p = tmp_path / "corrupt.warc.gz"
    p.write_bytes(bytes(data))
    items = list(read_warc(p))
    assert any(isinstance(x, Failure) for x in items)
    assert isinstance(items[0], RawDoc)


def test_an_oversized_record_is_skipped_and_the_rest_goes_on(tmp_path):
    data = build(False, [
        lambda w: response(w, "http://b.test/big", page(1, "x" * 300_000).encode()),
        lambda w: response(w, "http://b.test/small", page(2).encode()),
    ])
    p = tmp_path / "big.warc"
    p.write_bytes(data)
    big, small = list(read_warc(p, max_bytes=100_000))
    assert isinstance(big, Failure) and "per-document cap" in big.reason and "http://b.test/big" in big.record
    assert isinstance(small, RawDoc) and small.url == "http://b.test/small"


def test_gzip_content_encoding_inside_a_record(tmp_path):
    body = gzip.compress(page(5).encode())
    data = build(False, [lambda w: response(w, "http://c.test/5", body, headers=[("Content-Encoding", "gzip")])])
    p = tmp_path / "enc.warc"
    p.write_bytes(data)
    (doc,) = read_warc(p)
    assert "Report number 5" in doc.content


@pytest.mark.parametrize(
    "raw, reason",
    [(b"", "empty file"), (b"hello, not an archive\n" * 10, "not a WARC file"), (b"\x00" * 500, "not a WARC file")],
)
def test_not_a_warc(tmp_path, raw, reason):
    p = tmp_path / "x.warc"
    p.write_bytes(raw)
    (f,) = read_warc(p)
    assert isinstance(f, Failure) and reason in f.reason


def test_memory_is_flat_in_archive_size():
    filler = "<p>" + "Lorem ipsum dolor sit amet. " * 3000 + "</p>"  # about 85 KB per page
    data = build(True, [lambda w, i=i: response(w, f"http://d.test/{i}", page(i, filler).encode()) for i in range(240)])
    tracemalloc.start()
    n = 0
    for item in iter_warc_stream(io.BytesIO(data), source="mem.warc.gz"):
        assert isinstance(item, RawDoc)
        n += 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    total = 240 * len(filler)
    assert n == 240 and total > 20_000_000
    assert peak < 3_000_000, peak  # a few pages' worth, not the archive's 20 MB
