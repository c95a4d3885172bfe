"""Published dates: the one parser of the date an article carries (ISO 8601 or a free-text
dateline such as "Updated Thu 6 May 2010, 9 : 03am AEST"). Ingest normalizes what it can read to
ISO 8601 with it and the clusterer reads times with it.

A date is read only when it states its year and its month: a year alone ("In 2008, ...") is
not a date (its month and day would be invented), nor is a date with no year (a wrong year would
push a story apart).
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["parse_published", "published_timestamp", "published_iso"]


_HAS_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# a month by name or a numeric day-month-year: a year alone ("Oscars in 2014") is not a date
_HAS_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,4}", re.I)


def parse_published(value: str | None) -> _dt.datetime | None:
    """An ISO 8601 time, or a free-text date that states its year and month, as an aware datetime
    (UTC when no zone is given); else None.

    A date without a year is not guessed (a wrong year would push a story apart), nor one with
    only a year (its month and day would be invented)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    try:
        dt = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        if not _HAS_YEAR.search(text) or not _HAS_MONTH.search(text):
            return None
        try:
            import warnings

            from dateutil import parser as _parser

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                dt = _parser.parse(_clean_date(text), fuzzy=True, default=_dt.datetime(2000, 1, 1))
        except (ValueError, OverflowError, TypeError):
            return None
        if str(dt.year) not in text and not re.search(rf"/\s*{dt.year % 100:02d}\b", text):
            return None  # the parser invented the year
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=_dt.timezone.utc)
    return dt


def published_timestamp(value: str | None) -> float | None:
    """Epoch seconds of ``parse_published(value)`` (None when it is not a date)."""
    dt = parse_published(value)
    return None if dt is None else dt.timestamp()


def published_iso(value: str | None) -> str | None:
    """``value`` itself when it is ISO 8601, else the free-text date it states in ISO 8601
    (``"April 28, 2009"`` -> ``"2009-04-28T00:00:00+00:00"``); None when it states none."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    try:
        _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return text
    except ValueError:
        dt = parse_published(text)
        return None if dt is None else dt.isoformat()


_DATEISH = re.compile(
    r"(\d{4}\s*-\s*\d{1,2}\s*-\s*\d{1,2}"
    r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}"
    r"|(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4})",
    re.I,
)


def _clean_date(text: str) -> str:
    """The first date-looking piece of a free-text dateline ("Posted : May 24, 2005 He led ...")."""
    m = _DATEISH.search(text)
    if m:
        return re.sub(r"\s*([-/])\s*", r"\1", m.group(1))
    return text[:40]
