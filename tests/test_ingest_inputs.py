"""read_inputs: dispatch by extension, folders, stdin sniffing, URLs and URL lists; never raises."""

from __future__ import annotations

import io
import json

import pytest

from ingest_localserver import HTML_PAGE, LocalServer, local_resolver
from samestory.ingest import EXTENSIONS, read_inputs, reader_for
from samestory.ingest.fetch import Fetcher
from samestory.models import Failure, RawDoc

TEXT = "Lighthouse keeper retires\n\nAfter 40 years, the keeper hands over the lamp."
RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Cape News</title><item><title>Gull count</title>'
       "<link>https://cape.test/gulls</link><description>Volunteers counted 312 gulls.</description></item></channel></rss>")


def kinds(items):
    return [(type(x).__name__, x.source.rsplit("/", 1)[-1]) for x in items]


@pytest.mark.parametrize(
    "name, kind",
    [("a.txt", "text"), ("a.TEXT", "text"), ("a.txt.gz", "text"), ("a.html", "html"), ("a.HTM", "html"),
     ("a.xhtml", "html"), ("a.html.gz", "html"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.jsonl.gz", "jsonl"),
     ("a.rss", "feed"), ("a.atom", "feed"), ("a.xml", "xml"), ("a.warc", "warc"), ("a.warc.gz", "warc"),
     ("a.urls", "urls"), ("a.meta.json", None), ("a.pdf", None), ("a.json", None), ("README", None)],
)
def test_dispatch_table(name, kind):
    assert reader_for(name) == kind
    assert all(s.startswith(".") for s, _ in EXTENSIONS)


def make_tree(root):
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b.txt").write_text(TEXT)
    (root / "b.meta.json").write_text(json.dumps({"outlet": "Cape News"}))
    (root / "a.html").write_text(HTML_PAGE.format(title="A", body="Page A"))
    (root / "sub" / "c.jsonl").write_text(json.dumps({"title": "C", "text": "Body C"}) + "\n{broken\n")
    (root / "sub" / "deeper" / "d.rss").write_text(RSS)
    (root / "sub" / "notes.md").write_text("# notes")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (root / ".hidden" / "e.txt").write_text(TEXT)
    (root / ".f.txt").write_text(TEXT)


def test_folder_is_walked_recursively_and_sorted(tmp_path):
    make_tree(tmp_path)
    skipped = []
    items = list(read_inputs([tmp_path], on_skip=lambda p, why: skipped.append(p.rsplit("/", 1)[-1])))
    assert kinds(items) == [("RawDoc", "a.html"), ("RawDoc", "b.txt"), ("RawDoc", "c.jsonl"), ("Failure", "c.jsonl"), ("RawDoc", "d.rss")]
    assert items[1].outlet == "Cape News"  # the sidecar was used, not read as an input
    assert sorted(skipped) == ["notes.md", "photo.jpg"]  # unknown types: a notice, not a Failure


def test_explicit_unknown_files_are_sniffed(tmp_path):
    (tmp_path / "article").write_text(TEXT)
    (tmp_path / "page.php").write_text("<!doctype html><html><body><p>php page</p></body></html>")
    (tmp_path / "dump.log").write_text('{"title": "T", "text": "B"}\n')
    (tmp_path / "feed.php").write_text(RSS)
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4\n" + bytes(100))
    (tmp_path / "data.json").write_text("[]")
    (tmp_path / "x.meta.json").write_text("{}")
    names = ["article", "page.php", "dump.log", "feed.php", "doc.pdf", "data.json", "x.meta.json"]
    items = list(read_inputs([tmp_path / n for n in names]))
    assert [type(x).__name__ for x in items] == ["RawDoc", "RawDoc", "RawDoc", "RawDoc", "Failure", "Failure", "Failure"]
    assert items[0].kind == "text" and items[0].outlet == "article"
    assert items[1].kind == "html" and items[2].title == "T" and items[3].title == "Gull count"
    assert "PDF" in items[4].reason and "JSON Lines" in items[5].reason and "sidecar" in items[6].reason


@pytest.mark.parametrize(
    "data, check",
    [
        (json.dumps({"title": "J", "text": "jsonl body"}).encode() + b"\n", lambda d: d.title == "J"),
        (b"  <html><body><p>stdin page</p></body></html>", lambda d: d.kind == "html" and "stdin page" in d.content),
        (TEXT.encode("cp1252"), lambda d: d.kind == "text" and d.title == "Lighthouse keeper retires" and d.outlet is None),
        (RSS.encode(), lambda d: d.title == "Gull count" and d.outlet == "Cape News"),
    ],
)
def test_stdin_is_sniffed(data, check):
    (doc,) = read_inputs(["-"], stdin=io.BytesIO(data))
    assert isinstance(doc, RawDoc) and doc.source == "<stdin>" and check(doc)


@pytest.mark.parametrize("data, reason", [(b"", "empty input"), (b"\x1f\x8b\x08\x00", "gzip data"), (b"\x00\x01" * 50, "binary")])
def test_bad_stdin(data, reason):
    (f,) = read_inputs(["-"], stdin=io.BytesIO(data))
    assert isinstance(f, Failure) and f.source == "<stdin>" and reason in f.reason


def test_missing_paths_and_outlet_option(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    items = list(read_inputs([tmp_path / "nope.txt", tmp_path / "a.txt"], outlet="Given"))
    assert isinstance(items[0], Failure) and "no such file" in items[0].reason
    assert items[1].outlet == "Given"


def test_file_that_disappears_mid_run(tmp_path):
    for n in "abc":
        (tmp_path / f"{n}.txt").write_text(TEXT)
    it = read_inputs([tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"])
    first = next(it)
    (tmp_path / "b.txt").unlink()
    rest = list(it)
    assert isinstance(first, RawDoc)
    assert isinstance(rest[0], Failure) and "b.txt" in rest[0].source
    assert isinstance(rest[1], RawDoc) and rest[1].source.endswith("c.txt")


def test_urls_and_url_lists_from_a_local_server(tmp_path):
    with LocalServer() as server:
        server.add("/p1", HTML_PAGE.format(title="P1", body="first page"), headers={"Content-Type": "text/html"})
        server.add("/p2", "Plain title\n\nplain body", headers={"Content-Type": "text/plain; charset=utf-8"})
        server.add("/feed", RSS.replace("https://cape.test/gulls", server.url("/gulls")), headers={"Content-Type": "application/rss+xml"})
        server.add("/gulls", HTML_PAGE.format(title="Gull count", body="Volunteers counted 312 gulls on the cape."), headers={"Content-Type": "text/html"})
        server.add("/img", b"\x89PNG", headers={"Content-Type": "image/png"})
        lst = tmp_path / "reading.urls"
        lst.write_text(f"# to read\n{server.url('/p2')}\n\nnot a url\n{server.url('/img')}\n")
        no_dns = local_resolver({})  # any host name is an error: these tests never leave 127.0.0.1
        with Fetcher(allow_private=True, min_interval=0, resolver=no_dns) as f:
            items = list(read_inputs([server.url("/p1"), lst, server.url("/feed")], fetcher=f))
        # no fetcher given: a default one is made, and it refuses 127.0.0.1 unless allowed
        refused = list(read_inputs([server.url("/p1")]))
        allowed = list(read_inputs([server.url("/p1")], allow_private=True))
    p1, p2, bad_line, img, entry = items
    assert p1.kind == "html" and p1.url == server.url("/p1") and "first page" in p1.content and p1.meta["http_status"] == 200
    assert p2.kind == "text" and p2.title == "Plain title" and p2.url == server.url("/p2")
    assert isinstance(bad_line, Failure) and bad_line.record == "line 4" and "not an http(s) URL" in bad_line.reason
    assert isinstance(img, Failure) and "image/png" in img.reason and img.source == str(lst)
    assert entry.title == "Gull count" and "312 gulls on the cape" in entry.content  # full text fetched
    assert isinstance(refused[0], Failure) and "loopback" in refused[0].reason
    assert isinstance(allowed[0], RawDoc)


def test_never_raises_on_odd_arguments(tmp_path):
    items = list(read_inputs(["", "http://", "https://[::1", tmp_path, "\x00bad"]))
    assert all(isinstance(x, Failure) for x in items)
