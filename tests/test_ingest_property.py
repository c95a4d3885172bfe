"""Property tests: no reader raises on arbitrary bytes; each yields only RawDocs and Failures."""

from __future__ import annotations

import gzip
import io

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samestory.ingest import read_inputs
from samestory.ingest.feeds import iter_feed_docs
from samestory.ingest.fetch import Fetcher
from samestory.ingest.jsonl import iter_jsonl_stream
from samestory.ingest.warc import iter_warc_stream
from samestory.models import Failure, RawDoc

PREFIXES = [b"", b"{", b'{"text": ', b"<", b"<html><meta charset=", b'<?xml version="1.0"?><rss version="2.0"><channel><item>',
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>', b"WARC/1.0\r\n", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10\r\n\r\n",
            b"\xef\xbb\xbf", b"\xff\xfe", b"\x1f\x8b\x08\x00", b"Title line\n\n"]

inputs = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8")),
    st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=1500)).map(lambda p: p[0] + p[1]),
    st.tuples(st.sampled_from(PREFIXES), st.text(max_size=1500)).map(lambda p: p[0] + p[1].encode("utf-8", "surrogatepass")),
    st.binary(max_size=2000).map(gzip.compress),
)

EXTENSIONS = [".txt", ".html", ".html.gz", ".jsonl", ".jsonl.gz", ".rss", ".atom", ".xml", ".warc", ".warc.gz", ".urls", ".dat"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def check(items):
    assert items, "a reader must yield something: a RawDoc or a Failure"
    for x in items:
        assert isinstance(x, (RawDoc, Failure)), x
        if isinstance(x, RawDoc):
            assert x.kind in ("text", "html") and isinstance(x.content, str) and x.content
        else:
            assert x.reason and x.source


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def fetcher():
    """Never the network: no host name resolves, and a transport that answers 404 to everything
    (a fuzzed .urls line could name a public IP literal)."""
    offline = httpx.MockTransport(lambda request: httpx.Response(404))
    with Fetcher(resolver=lambda host, port: [], transport=offline, respect_robots=False, retries=0, min_interval=0) as f:
        yield f


@pytest.mark.parametrize("ext", EXTENSIONS)
@SETTINGS
@given(data=inputs)
def test_no_file_reader_raises(workdir, fetcher, ext, data):
    p = workdir / f"input{ext}"
    p.write_bytes(data)
    check(list(read_inputs([p], fetcher=fetcher, max_bytes=200_000)))


@SETTINGS
@given(data=inputs)
def test_stdin_never_raises(data):
    check(list(read_inputs(["-"], stdin=io.BytesIO(data))))


@SETTINGS
@given(data=inputs)
def test_stream_readers_never_raise(data):
    for items in (
        list(iter_jsonl_stream([data], source="j")),
        list(iter_feed_docs(data, source="f")),
        list(iter_warc_stream(io.BytesIO(data), source="w")),
    ):
        for x in items:
            assert isinstance(x, (RawDoc, Failure))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=500))
def test_utf8_text_decodes_to_itself(text):
    from samestory.ingest._common import decode_bytes

    decoded, how = decode_bytes(text.encode("utf-8", "surrogatepass"))
    if not text.startswith("\ufeff") and all(not 0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert decoded == text and how == "utf-8"


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000), declared=st.sampled_from([None, "utf-8", "latin-1", "shift_jis", "bogus-charset", "utf-16"]))
def test_decode_bytes_never_raises(data, declared):
    from samestory.ingest._common import decode_bytes

    decoded, how = decode_bytes(data, (declared,))
    assert isinstance(decoded, str) and how
