import datetime as dt

import pytest

from samestory.text.dates import normalize_published, parse_iso, published_date, published_timestamp


@pytest.mark.parametrize("value, iso", [
    ("2024-01-29", "2024-01-29"),
    ("2024-01-29T10:15:00Z", "2024-01-29T10:15:00+00:00"),
    ("2024-01-29T10:15:00z", "2024-01-29T10:15:00+00:00"),
    ("Mon, 29 Jan 2024 10:15:00 GMT", "2024-01-29T10:15:00+00:00"),
    ("29 January 2024 10:15 BST", "2024-01-29T10:15:00+01:00"),
    ("2024-01-29 10:15", "2024-01-29T10:15:00"),  # no zone: stays naive
    ("Posted : May 24, 2005 He led the team", "2005-05-24"),
    ("The festival returns in 2014", None),  # a year alone: month and day would be invented
    ("January 2024", None),  # the day would be invented
    ("2024-01", None),
    ("5 March", None),  # the year would be invented
    ("Tuesday afternoon", None),
    ("", None),
    (None, None),
])
def test_a_date_counts_only_when_it_states_year_month_and_day(value, iso):
    assert normalize_published(value) == iso


def test_views_agree():
    assert published_date("2024-01-29T23:30:00-05:00") == dt.date(2024, 1, 29)  # the writer's day
    assert published_timestamp("2024-01-29") == dt.datetime(2024, 1, 29, tzinfo=dt.timezone.utc).timestamp()
    assert published_timestamp("not a date") is None and published_date(None) is None
    assert parse_iso("2024-01-29T10:15:00+02:00").utcoffset() == dt.timedelta(hours=2)
    assert parse_iso("January 29, 2024") is None  # free text is not ISO


def test_jsonl_ingest_reads_a_free_text_date_and_keeps_an_undated_article(tmp_path):
    import json

    from samestory.ingest import read_inputs

    path = tmp_path / "export.jsonl"
    rows = [{"id": "d1", "outlet": "Fen Weekly", "title": "Lock gates fail", "text": "The lock gates failed at noon.",
             "published": "Wednesday 05 May 2010"},
            {"id": "d2", "outlet": "Fen Weekly", "title": "Lock repaired", "text": "The lock was repaired.",
             "published": "APR 28"},
            {"id": "d3", "outlet": "Fen Weekly", "title": "Lock inspected", "text": "Engineers inspected the lock.",
             "published": "2010-05-06T09:00:00+01:00"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    docs = {d.id: d for d in read_inputs([str(path)])}
    assert docs["d1"].published == "2010-05-05"
    assert docs["d2"].published is None  # no year: kept undated rather than guessed, and not dropped
    assert docs["d3"].published == "2010-05-06T09:00:00+01:00"  # ISO is kept as written
