"""JSON Lines: one article per line; broken lines and wrong types are Failures; streaming."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc

import pytest

from samestory.ingest.jsonl import iter_jsonl_stream, iter_lines, read_jsonl
from samestory.models import Failure, RawDoc


def good(i: int, **kw) -> dict:
    rec = {"id": f"tc-{i}", "url": f"https://tide.test/{i}", "outlet": "Tide Courier", "title": f"Story {i}",
           "text": f"Body of story {i}.", "published": "2024-03-01T08:00:00Z", "language": "en"}
    rec.update(kw)
    return rec


def write(tmp_path, lines, name="export.jsonl"):
    p = tmp_path / name
    p.write_bytes(b"\n".join(x if isinstance(x, bytes) else json.dumps(x).encode() for x in lines) + b"\n")
    return p


def test_fields_are_kept(tmp_path):
    p = write(tmp_path, [good(1, author="J. Reed", section="local"), {"html": "<p>page</p>", "title": "H"}])
    a, b = list(read_jsonl(p))
    assert isinstance(a, RawDoc) and a.kind == "text"
    assert (a.id, a.url, a.outlet, a.title, a.content, a.published, a.language) == (
        "tc-1", "https://tide.test/1", "Tide Courier", "Story 1", "Body of story 1.", "2024-03-01T08:00:00Z", "en")
    assert a.meta["author"] == "J. Reed" and a.meta["extra"] == {"section": "local"} and a.meta["record"] == "line 1"
    assert b.kind == "html" and b.content == "<p>page</p>" and b.outlet is None


def test_numeric_id_becomes_a_string(tmp_path):
    (doc,) = read_jsonl(write(tmp_path, [good(1, id=42)]))
    assert doc.id == "42"


def test_broken_lines_and_wrong_types_are_failures_and_the_rest_goes_on(tmp_path):
    lines = [
        good(1),
        b'{"title": "cut off", "text": "no closing brace"',
        good(3, title=["not", "a", "string"]),
        b"[1, 2, 3]",
        good(5, text=17),
        {"outlet": "nothing to read"},  # no body and no title (a title alone is a short article)
        good(7, published="yesterday"),
        good(8, text="   ", html=None, title=None),
        b"",
        good(10),
        b"not json at all",
        good(12, outlet={"name": "x"}),
        good(13, language=True),
    ]
    items = list(read_jsonl(write(tmp_path, lines)))
    docs = [x for x in items if isinstance(x, RawDoc)]
    fails = {x.record: x.reason for x in items if isinstance(x, Failure)}
    assert [d.id for d in docs] == ["tc-1", "tc-7", "tc-10"]
    undated = docs[1]  # a free-text date does not cost the article: it is read undated
    assert undated.published is None and undated.meta["published_unparsed"]
    assert "broken JSON" in fails["line 2"]
    assert "field 'title' must be a string, got an array" in fails["line 3"]
    assert "expected a JSON object" in fails["line 4"] and "an array" in fails["line 4"]
    assert "field 'text' must be a string, got a number" in fails["line 5"]
    assert "no article body" in fails["line 6"] and "missing" in fails["line 6"]
    assert "line 7" not in fails
    assert "no article body" in fails["line 8"] and "empty" in fails["line 8"]
    assert "line 9" not in fails  # blank lines are skipped silently
    assert "broken JSON" in fails["line 11"]
    assert "field 'outlet' must be a string, got an object" in fails["line 12"]
    assert "field 'language' must be a string, got a boolean" in fails["line 13"]
    assert all(f.source == str(tmp_path / "export.jsonl") for f in items if isinstance(f, Failure))


def test_encodings_per_line(tmp_path):
    lines = [b"\xef\xbb\xbf" + json.dumps(good(1, title="Zürich")).encode(),
             json.dumps(good(2, title="Café 5€"), ensure_ascii=False).encode("cp1252")]
    a, b = list(read_jsonl(write(tmp_path, lines)))
    assert a.title == "Zürich" and b.title == "Café 5€"


def test_outlet_option_overrides(tmp_path):
    (doc,) = read_jsonl(write(tmp_path, [good(1)]), outlet="Mine")
    assert doc.outlet == "Mine"


def test_gzipped_and_truncated(tmp_path):
    payload = b"\n".join(json.dumps(good(i, text="words " * 200 + str(i))).encode() for i in range(200)) + b"\n"
    data = gzip.compress(payload)
    p = tmp_path / "e.jsonl.gz"
    p.write_bytes(data)
    assert sum(isinstance(x, RawDoc) for x in read_jsonl(p)) == 200
    p.write_bytes(data[: len(data) // 2])
    items = list(read_jsonl(p))
    assert isinstance(items[-1], Failure) and "truncated gzip" in items[-1].reason
    assert any(isinstance(x, RawDoc) for x in items)  # what was read before the cut is kept


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty file"),
        (b"\n\n  \n", "empty file"),
        (b"PK\x03\x04" + bytes(100), "binary file"),
        (b"<html>\n" * 50, "not JSON Lines"),
    ],
)
def test_whole_file_problems_give_one_failure(tmp_path, raw, reason):
    p = tmp_path / "x.jsonl"
    p.write_bytes(raw)
    items = list(read_jsonl(p))
    assert len(items) <= 20 and isinstance(items[-1], Failure) and reason in items[-1].reason


def test_an_overlong_line_is_skipped_without_holding_it(tmp_path):
    big = json.dumps(good(2, text="x" * 500_000)).encode()
    p = write(tmp_path, [good(1), big, good(3)])
    items = list(read_jsonl(p, max_bytes=100_000))
    assert [type(x).__name__ for x in items] == ["RawDoc", "Failure", "RawDoc"]
    assert items[1].record == "line 2" and "per-document cap" in items[1].reason


def test_iter_lines_splits_across_chunks():
    chunks = [b"ab", b"c\nde", b"f\n\ngh"]
    assert list(iter_lines(chunks, 100)) == [(1, b"abc"), (2, b"def"), (3, b""), (4, b"gh")]


def test_streaming_memory_is_flat():
    """A 20 MB stream is read with memory far below its size."""
    line = json.dumps(good(1, text="word " * 400)).encode() + b"\n"
    n = 20_000_000 // len(line)

    def chunks():
        block = line * 100
        for _ in range(n // 100):
            yield block

    tracemalloc.start()
    count = 0
    for item in iter_jsonl_stream(chunks(), source="<gen>"):
        count += isinstance(item, RawDoc)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == (n // 100) * 100
    assert peak < 3_000_000, peak


def test_stdin_like_stream():
    data = io.BytesIO(json.dumps(good(1)).encode() + b"\n" + b"{oops}\n")
    items = list(iter_jsonl_stream(iter(lambda: data.read(7), b""), source="<stdin>"))
    assert isinstance(items[0], RawDoc) and isinstance(items[1], Failure) and items[1].record == "line 2"


def test_extended_json_dates_from_mongoexport(tmp_path):
    """mongoexport writes dates as {"$date": ...}: ISO text, epoch milliseconds or $numberLong."""
    p = write(tmp_path, [good(1, published={"$date": "2014-09-14T08:44:04.884-0400"}),
                         good(2, published={"$date": 1410698644884}),
                         good(3, published={"$date": {"$numberLong": "1410698644884"}}),
                         good(4, published={"when": "Sunday"})])
    docs = list(read_jsonl(p))
    assert docs[0].published.startswith("2014-09-14T08:44:04")
    assert docs[1].published.startswith("2014-09-14T12:44:04") and docs[2].published == docs[1].published
    assert isinstance(docs[3], Failure) and "$date" in docs[3].reason and "when" in docs[3].reason
