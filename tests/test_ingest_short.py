"""Headline-only and headline-plus-summary records are articles (flagged short), epoch dates are
read, and a repeated id with a different text is reported, through the reader `samestory cluster` uses."""

from __future__ import annotations

import json

import pytest

from samestory.text.dates import epoch_to_iso, normalize_published, published_timestamp
from samestory.workflow import read_jsonl_articles


def write(tmp_path, records):
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return p


def test_headline_only_and_summary_records_are_read_as_short_articles(tmp_path):
    p = write(tmp_path, [
        {"id": "h1", "outlet": "Harbor Post", "title": "Ferry strike halts island crossings"},
        {"id": "h2", "outlet": "Harbor Post", "title": "Ferry strike ends",
         "summary": "Crews return to work after a two-day walkout over rosters."},
        {"id": "h3", "outlet": "Harbor Post", "title": "Ferry timetable", "text": "The new timetable starts on Monday."},
        {"id": "h4", "outlet": "Harbor Post", "text": "   "},
    ])
    articles, failures = read_jsonl_articles(p)
    by_id = {a.id: a for a in articles}
    assert sorted(by_id) == ["h1", "h2", "h3"]
    assert by_id["h1"].text_kind == "title" and by_id["h1"].text == "Ferry strike halts island crossings"
    assert by_id["h2"].text_kind == "summary" and by_id["h2"].text.startswith("Crews return")
    assert by_id["h3"].text_kind == "full"
    (fail,) = failures  # neither body nor title: refused, naming the line and the reason
    assert fail.record == "line 4" and "no title" in fail.reason


@pytest.mark.parametrize("value, iso", [
    (1700000000, "2023-11-14T22:13:20+00:00"),          # seconds
    (1700000000123, "2023-11-14T22:13:20.123000+00:00"),  # milliseconds
    (1700000000.5, "2023-11-14T22:13:20.500000+00:00"),
    ("1700000000", "2023-11-14T22:13:20+00:00"),         # digits in a string
    (12, None), (2014, None), (True, None), (10**15, None),  # a count, a year, a boolean, out of range
])
def test_epoch_timestamps(value, iso):
    assert epoch_to_iso(value) == iso
    assert normalize_published(value) == iso
    assert (published_timestamp(value) is None) == (iso is None)


def test_epoch_published_in_a_record_and_a_bad_number_read_undated(tmp_path):
    p = write(tmp_path, [
        {"id": "e1", "title": "Dam opens", "text": "The dam opened.", "published": 1700000000000},
        {"id": "e2", "title": "Dam closes", "text": "The dam closed.", "published": 7},
    ])
    articles, failures = read_jsonl_articles(p)
    assert not failures
    assert [a.published for a in articles] == ["2023-11-14T22:13:20+00:00", None]


def test_a_repeated_id_with_a_different_text_is_reported_not_skipped(tmp_path):
    same = {"id": "r1", "title": "Bridge reopens", "text": "The bridge reopened on Friday."}
    p = write(tmp_path, [same, same, {"id": "r1", "title": "Bridge stays shut", "text": "Repairs overran."}])
    articles, failures = read_jsonl_articles(p)
    assert [a.title for a in articles] == ["Bridge reopens"]  # the first is kept, the identical copy dropped
    (fail,) = failures
    assert "repeated id 'r1'" in fail.reason and "different" in fail.reason
