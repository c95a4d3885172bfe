"""The one published-date parser (samestory.text.dates) and the JSONL ingest that uses it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from samestory.ingest import read_inputs
from samestory.text.dates import parse_published, published_iso, published_timestamp


@pytest.mark.parametrize("value, iso", [
    ("2024-03-01T09:30:00+00:00", "2024-03-01T09:30:00+00:00"),  # ISO is kept as written
    ("2024-03-01", "2024-03-01"),
    ("April 28, 2009", "2009-04-28T00:00:00+00:00"),
    ("Posted : May 24, 2005 He led the team", "2005-05-24T00:00:00+00:00"),
    ("Updated 5 / 5 / 2010 1 : 41 PM", "2010-05-05T00:00:00+00:00"),  # the day is read, not the clock
])
def test_dates_that_state_year_and_month_are_read(value, iso):
    assert published_iso(value) == iso


@pytest.mark.parametrize("value", ["APR 28", "In 2008, the council", "yesterday", "", None, "Mar 99999"])
def test_no_year_or_no_month_is_not_a_date(value):
    assert published_iso(value) is None
    assert parse_published(value) is None and published_timestamp(value) is None


def test_naive_times_are_utc():
    assert parse_published("2024-03-01T09:30:00").tzinfo == dt.timezone.utc
    assert published_timestamp("1970-01-02") == 86400.0


def test_jsonl_ingest_keeps_a_free_text_date_as_iso(tmp_path):
    path = tmp_path / "export.jsonl"
    rows = [{"id": "d1", "outlet": "Fen Weekly", "title": "Lock gates fail", "text": "The lock gates failed at noon.",
             "published": "Wednesday 05 May 2010"},
            {"id": "d2", "outlet": "Fen Weekly", "title": "Lock repaired", "text": "The lock was repaired.",
             "published": "APR 28"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    docs = {d.id: d for d in read_inputs([str(path)])}
    assert docs["d1"].published == "2010-05-05T00:00:00+00:00"
    assert docs["d2"].published is None  # no year: kept undated rather than guessed, and not dropped
