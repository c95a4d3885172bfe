"""Plain-text articles: title/body split, outlet precedence, sidecars, encodings, bad files."""

from __future__ import annotations

import gzip
import json

import pytest

from samestory.ingest import read_inputs
from samestory.ingest.text import read_text, split_title
from samestory.models import Failure, RawDoc

ARTICLE = "Council approves new ferry timetable\n\nThe council voted 7-2 on Tuesday.\n\nServices start in May."


def one(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def test_first_line_is_the_title_the_rest_the_body(tmp_path):
    p = tmp_path / "harbour-news.txt"
    p.write_text("\n\n  " + ARTICLE + "\n", encoding="utf-8")
    doc = one(read_text(p))
    assert isinstance(doc, RawDoc) and doc.kind == "text"
    assert doc.title == "Council approves new ferry timetable"
    assert doc.content == "The council voted 7-2 on Tuesday.\n\nServices start in May."
    assert doc.outlet == "harbour-news"  # the file name stem
    assert doc.source == str(p)


def test_split_title_handles_crlf_and_blank_input():
    assert split_title("T\r\n\r\nBody\r\nmore") == ("T", "Body\nmore")
    assert split_title(" \n \n") == ("", "")


def test_byte_order_marks_are_no_part_of_the_title():
    # files glued together carry a BOM at the start of a later line; a line of BOMs is blank
    assert split_title("\n\ufeffFerry timetable\nThe council voted.") == ("Ferry timetable", "The council voted.")
    assert split_title("\ufeff\n\ufeff \ufeffFerry timetable\nThe council voted.")[0] == "Ferry timetable"
    assert split_title(" \ufeff\n!") == ("!", "")  # found by bench/fuzz.py: a space before the BOM


def test_outlet_option_beats_sidecar_beats_stem(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(
        json.dumps({"outlet": "The Ferry Times", "url": "https://ferry.test/a", "published": "2024-03-05T09:00:00+00:00",
                    "author": "R. Vale", "language": "en", "id": "ft-1"}), encoding="utf-8")
    doc = one(read_text(p))
    assert (doc.outlet, doc.url, doc.published, doc.language, doc.id) == (
        "The Ferry Times", "https://ferry.test/a", "2024-03-05T09:00:00+00:00", "en", "ft-1")
    assert doc.meta["author"] == "R. Vale"
    assert one(read_text(p, outlet="Override")).outlet == "Override"


def test_sidecar_title(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    side = tmp_path / "b.meta.json"
    side.write_text(json.dumps({"title": "council approves  new ferry timetable"}), encoding="utf-8")
    doc = one(read_text(p))  # same title as the first line: the line is the title
    assert doc.title == "council approves  new ferry timetable" and doc.content.startswith("The council voted")
    side.write_text(json.dumps({"title": "A different headline"}), encoding="utf-8")
    doc = one(read_text(p))  # a different title: the whole file is body
    assert doc.title == "A different headline" and doc.content.startswith("Council approves")


@pytest.mark.parametrize(
    "sidecar, reason",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"outlet": 7}', "field 'outlet' must be a string, got a number"),
        ('{"published": "last Tuesday"}', "not an ISO 8601 date"),
    ],
)
def test_broken_sidecar_is_a_failure_naming_it(tmp_path, sidecar, reason):
    p = tmp_path / "c.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "c.meta.json").write_text(sidecar, encoding="utf-8")
    f = one(read_text(p))
    assert isinstance(f, Failure) and f.source == str(p) and f.stage == "ingest"
    assert reason in f.reason and "c.meta.json" in f.reason


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Café owner’s “big” day — crème brûlée\n\nNaïve résumé.".encode("cp1252"), "Café owner’s “big” day — crème brûlée"),
        ("Ærø ferry: Søren Ødegård’s crossing\n\nJalapeño señor.".encode("latin-1", errors="replace"), "Ærø ferry: Søren Ødegård"),
        (b"\xef\xbb\xbf" + "Zürich talks\n\nBody text here.".encode("utf-8"), "Zürich talks"),
        ("UTF-16 headline\n\nBody in UTF-16 with ünïcödé.".encode("utf-16"), "UTF-16 headline"),
        # mixed: UTF-8 text with one cp1252 line pasted in
        ("Mixed “quotes” headline\n\n".encode("utf-8") + "Paid 5€ for a café".encode("cp1252"), "Mixed “quotes” headline"),
    ],
)
def test_encodings(tmp_path, raw, expected):
    p = tmp_path / "enc.txt"
    p.write_bytes(raw)
    doc = one(read_text(p))
    assert isinstance(doc, RawDoc), doc
    assert doc.title.startswith(expected)
    assert "\ufffd" not in doc.title + doc.content
    assert not doc.title.startswith("\ufeff")


def test_mixed_encoding_keeps_both_parts(tmp_path):
    p = tmp_path / "mixed.txt"
    p.write_bytes("Headline “ok”\n\nFirst part: naïve.\n".encode("utf-8") + "Second part: café 5€.".encode("cp1252"))
    doc = one(read_text(p))
    assert "naïve" in doc.content and "café 5€" in doc.content
    assert "mixed" in doc.meta["encoding"]


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty file"),
        (b"   \n\n\t ", "empty file"),
        (b"Only a headline\n", "only a title line"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF document)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        (b"Title\n\nbody\x00with\x00nuls", "NUL bytes"),
    ],
)
def test_bad_text_files_fail_with_a_reason(tmp_path, raw, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(raw)
    f = one(read_text(p))
    assert isinstance(f, Failure) and f.source == str(p)
    assert reason in f.reason


def test_size_cap(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes(b"Title\n\n" + b"word " * 50_000)
    f = one(read_text(p, max_bytes=100_000))
    assert isinstance(f, Failure) and "per-document cap" in f.reason
    assert isinstance(one(read_text(p, max_bytes=1_000_000)), RawDoc)


def test_gzipped_text_and_truncated_gzip(tmp_path):
    data = gzip.compress(ARTICLE.encode("utf-8") * 20)
    ok = tmp_path / "ok.txt.gz"
    ok.write_bytes(data)
    doc = one(read_inputs([ok]))
    assert isinstance(doc, RawDoc) and doc.title.startswith("Council") and doc.outlet == "ok"
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(data[: len(data) // 2])
    f = one(read_inputs([cut]))
    assert isinstance(f, Failure) and "truncated gzip" in f.reason


def test_gzip_bomb_is_capped(tmp_path):
    p = tmp_path / "bomb.txt.gz"
    p.write_bytes(gzip.compress(b"a" * 30_000_000))
    f = one(read_text(p, max_bytes=1_000_000))
    assert isinstance(f, Failure) and "decompressed content is larger" in f.reason


def test_missing_file_is_a_failure(tmp_path):
    f = one(read_text(tmp_path / "gone.txt"))
    assert isinstance(f, Failure) and "not found" in f.reason
