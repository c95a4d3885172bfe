"""Published dates: one parser, several views.

``parse_published`` reads ISO 8601 or a free-text dateline ("Posted : May 24, 2005 He led ...").
A free-text date counts only when it states its year, month and day: a parser that fills in a
missing part invents it (a wrong year pushes a story apart, "in 2014" is not January 1st).

Views: ``published_date`` (the calendar day as written), ``published_timestamp`` (epoch
seconds), ``normalize_published`` (ISO string, naive stays naive) and ``parse_iso`` (strict ISO
8601 only, for inputs whose format promises it).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import warnings

from samestory.text.languages import Language, language_of

__all__ = ["MONTHS", "resolve_date", "parse_iso", "parse_published", "published_date", "published_timestamp", "normalize_published",
           "epoch_to_iso"]

# epoch values between these instants are read as seconds, else as milliseconds when that fits
# (2100 in seconds is 4.1e9, in milliseconds 4.1e12: the two ranges never overlap). Below 1e8
# seconds (March 1973) a number is a count or a year, not a news timestamp.
_EPOCH_MIN = 1e8
_EPOCH_MAX = _dt.datetime(2100, 1, 1, tzinfo=_dt.timezone.utc).timestamp()
_EPOCH_DIGITS = re.compile(r"^\d{9,13}(?:\.\d+)?$")


def epoch_to_iso(value) -> str | None:
    """ISO 8601 (UTC) of an epoch timestamp in seconds or milliseconds (a number, or a string of
    9-13 digits), when it falls in 1973-2100; else None. Booleans are not numbers here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not _EPOCH_DIGITS.match(value.strip()):
            return None
        value = float(value)
    if not isinstance(value, (int, float)) or value != value:  # NaN
        return None
    for seconds in (float(value), float(value) / 1000.0):
        if _EPOCH_MIN <= seconds < _EPOCH_MAX:
            return _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc).isoformat()
    return None

_TZINFOS = {  # abbreviations dateutil does not know by itself (unambiguous ones only)
    "GMT": 0, "UTC": 0, "Z": 0, "BST": 3600, "CET": 3600, "CEST": 7200, "EET": 7200, "EEST": 10800, "MSK": 10800,
    "EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600, "PST": -28800,
    "PDT": -25200, "JST": 32400, "AEST": 36000, "AEDT": 39600,
}
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|T\d{2}")
_HAS_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# a month by name or a numeric day-month-year: a year alone ("Oscars in 2014") is not a date
_HAS_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,4}", re.I)
_DATEISH = re.compile(
    r"(\d{4}\s*-\s*\d{1,2}\s*-\s*\d{1,2}"
    r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}"
    r"|(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4})",
    re.I,
)
# two defaults that differ in year, month and day: a field that differs between them was invented
_DEFAULTS = (_dt.datetime(2000, 1, 1), _dt.datetime(2001, 2, 2))


def parse_iso(value: str | None) -> _dt.datetime | None:
    """The datetime of an ISO 8601 date or date-time (naive when it names no zone), else None."""
    if not value or not isinstance(value, str):
        return None
    found = _iso(value.strip())
    return found[0] if found else None


def parse_published(value: str | None) -> _dt.datetime | None:
    """Aware datetime of a published date, keeping its stated offset (no zone: UTC), else None.
    An epoch timestamp (seconds or milliseconds, ``epoch_to_iso``) is read too."""
    epoch = epoch_to_iso(value)
    if epoch is not None:
        value = epoch
    found = _parse(value) if value and isinstance(value, str) else None
    if found is None:
        return None
    dt = found[0]
    return dt.replace(tzinfo=_dt.timezone.utc) if dt.tzinfo is None else dt


def published_date(value: str | None) -> _dt.date | None:
    """The calendar day as written (not moved to UTC: "yesterday" means the writer's yesterday)."""
    dt = parse_published(value)
    return None if dt is None else dt.date()


def published_timestamp(value: str | None) -> float | None:
    """Epoch seconds of a published date (no zone: UTC), else None."""
    dt = parse_published(value)
    return None if dt is None else dt.timestamp()


def normalize_published(value: str | None) -> str | None:
    """ISO 8601 form: ``2024-01-29T10:15:00+00:00`` with a zone, ``2024-01-29T10:15:00`` with a
    time but no zone (a zone is never guessed), ``2024-01-29`` for a day only; an epoch timestamp
    in seconds or milliseconds gives UTC; else None."""
    epoch = epoch_to_iso(value)
    if epoch is not None:
        return epoch
    found = _parse(str(value)) if value is not None else None
    if found is None:
        return None
    dt, has_time = found
    return dt.isoformat() if has_time else dt.date().isoformat()


@functools.lru_cache(maxsize=8192)
def _parse(value: str) -> tuple[_dt.datetime, bool] | None:
    """(datetime as read, naive when no zone; whether a time was stated), or None."""
    text = value.strip()
    if not text:
        return None
    found = _iso(text)
    if found is not None:
        return found
    if not _HAS_YEAR.search(text) or not _HAS_MONTH.search(text):
        return None
    # the whole string first (keeps its time and zone), then its first date-looking piece
    for piece, fuzzy in ((text, False), (_date_piece(text), True)):
        dt = _dateutil(piece, fuzzy)
        if dt is not None:
            if str(dt.year) not in text and not re.search(rf"/\s*{dt.year % 100:02d}\b", text):
                return None  # the parser read some other number as the year
            return dt, bool(_HAS_TIME.search(piece))
    return None


def _iso(text: str) -> tuple[_dt.datetime, bool] | None:
    try:
        day = _dt.date.fromisoformat(text)
        return _dt.datetime(day.year, day.month, day.day), False
    except ValueError:
        pass
    for s in (text, re.sub(r"[zZ]$", "+00:00", text)):
        try:
            return _dt.datetime.fromisoformat(s), True
        except ValueError:
            pass
    return None


def _dateutil(text: str, fuzzy: bool) -> _dt.datetime | None:
    from dateutil import parser as _dp

    got = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown zone names: read as naive
        for default in _DEFAULTS:
            try:
                got.append(_dp.parse(text, fuzzy=fuzzy, default=default, tzinfos=_TZINFOS))
            except (ValueError, OverflowError, TypeError):
                return None
    a, b = got
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None  # year, month or day was filled in from the default
    return a


def _date_piece(text: str) -> str:
    """The first date-looking piece of a free-text dateline ("Posted : May 24, 2005 He led ...")."""
    m = _DATEISH.search(text)
    if m:
        return re.sub(r"\s*([-/])\s*", r"\1", m.group(1))
    return text[:40]


# ---------------------------------------------------------------- dates stated in article text

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_QUALIFIED = r"(?:more than|over|at least|up to|nearly|almost|about|around|some|roughly|under|less than|fewer than|just over|just under|the past|the last|the next|past|next|last|another|a further)\s"
_DECADE_OF_AGE = re.compile(r"(?:in\s+)?(?:his|her|their|the)\s+(?:(?:early|mid|late)[\s-]+)?(?:[2-9]0'?s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)")
_DURATION = re.compile(
    r"(?:" + _QUALIFIED + r")*(?:the\s+)?(?:\d+(?:\.\d+)?|(?:a|an|several|few|a few|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)(?:[\s-][a-z]+)?)[\s-]+(?:years?|months?|weeks?|days?|decades?|hours?|centuries|century)"
    r"(?:\s+(?:old|long))?")


def resolve_date(phrase: str, pub: _dt.date | None, *, future: bool = False,
                 language: str | None = None) -> tuple[str, str | None, float | None]:
    """(kind, normalized, value) for a DATE phrase; relative phrases need ``pub``. ``language``
    (ISO 639-1) reads another language's phrases ("12 мая", "mardi", "gestern")."""
    from samestory.text.numbers import parse_number

    if language_of(language) is not None:
        return _resolve_foreign(phrase, pub, future=future, lang=language_of(language))

    p = " ".join(phrase.lower().split())
    if _DECADE_OF_AGE.fullmatch(p):
        return "age", None, None  # "in his 50s": an age range, never a date
    if _DURATION.fullmatch(p) and not re.search(r"\bago\b", p):
        return "duration", None, parse_number(p)  # "up to 48 years", "the past two decades"
    if re.search(r"\bago\b", p) and re.match(_QUALIFIED, p):
        return "date", None, None  # "more than two years ago": no day to compare
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)s?\b", p)
    if m and re.fullmatch(r"(?:(?:in|since|by|from|of|the|early|late|mid|-)\s*)*(1[5-9]\d\d|20\d\d)s?", p):
        return "year", m.group(1), float(m.group(1))
    if pub is not None:
        if p in ("today", "this morning", "tonight", "this evening", "this afternoon"):
            return "date", pub.isoformat(), None
        if p in ("yesterday", "last night"):
            return "date", (pub - _dt.timedelta(days=1)).isoformat(), None
        if p == "tomorrow":
            return "date", (pub + _dt.timedelta(days=1)).isoformat(), None
        rel = re.fullmatch(r"(last|this|next)\s+(year|month|week)", p)
        if rel:
            step = {"last": -1, "this": 0, "next": 1}[rel.group(1)]
            if rel.group(2) == "year":
                return "year", str(pub.year + step), float(pub.year + step)
            if rel.group(2) == "month":
                y, mth = divmod(pub.year * 12 + pub.month - 1 + step, 12)
                return "date", f"{y:04d}-{mth + 1:02d}", None
            return "date", (pub + _dt.timedelta(weeks=step)).isoformat()[:10], None
        ago = re.fullmatch(r"(\S+)\s+(day|week|month|year)s?\s+ago", p)
        if ago and parse_number(ago.group(1)) is not None:
            n = int(parse_number(ago.group(1)))
            if ago.group(2) == "year":
                return "year", str(pub.year - n), float(pub.year - n)
            days = {"day": 1, "week": 7, "month": 30}[ago.group(2)]
            iso = (pub - _dt.timedelta(days=n * days)).isoformat()
            return "date", iso if ago.group(2) != "month" else iso[:7], None
        wd = re.fullmatch(r"(?:(last|next|this)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:morning|afternoon|evening|night))?", p)
        if wd:
            target = _WEEKDAYS.index(wd.group(2))
            forward = future or wd.group(1) == "next"
            if forward:
                # "on Tuesday" in Tuesday's paper is today, "next Tuesday" a week on
                delta = (target - pub.weekday()) % 7 or (7 if wd.group(1) == "next" else 0)
                return "date", (pub + _dt.timedelta(days=delta)).isoformat(), None
            delta = (pub.weekday() - target) % 7
            if wd.group(1) == "last" and delta == 0:
                delta = 7
            return "date", (pub - _dt.timedelta(days=delta)).isoformat(), None
    if re.fullmatch(r"\d{1,2}", p):  # a bare "61" is no date (dateutil would make it the year 2061)
        return "date", None, None
    if re.search(r"\d", p) or any(m_ in p for m_ in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")):
        return "date", _calendar_date(p, pub), None
    return "date", None, None


# words a calendar date phrase may hold besides its day, month and year ("on the 5th of May")
_DATE_FILLER = frozenset("on in the of since by from at early late mid middle end beginning start , . - / st nd rd th".split())


def _calendar_date(p: str, pub: _dt.date | None) -> str | None:
    """ISO day or month of a calendar phrase ("5 May 2014", "May 5", "early June"), or None.

    Only what the phrase states: a month is a date only with its year, stated or the published
    one ("January" with no published day is no date); a phrase with other words ("the age of
    90", "18 days later") or a two-digit year is none (dateutil's fuzzy reading made them
    1990-01-01 and 2000-01-18)."""
    from dateutil import parser as dparser

    try:
        got = [dparser.parse(p, default=default, fuzzy_with_tokens=True)
               for default in (_dt.datetime(2000, 1, 1), _dt.datetime(2001, 2, 2))]
    except (ValueError, OverflowError):
        return None
    (a, skipped), (b, _) = got
    if any(w not in _DATE_FILLER for piece in skipped for w in re.findall(r"[^\W\d_]+|\d+|[,./-]", piece.lower())):
        return None
    year_stated = a.year == b.year
    if year_stated and not re.search(rf"\b{a.year}\b", p):
        return None  # "'90", "90": dateutil's two-digit year
    month_stated, day_stated = a.month == b.month, a.day == b.day
    if not month_stated or (not year_stated and pub is None):
        return None
    year = a.year if year_stated else pub.year
    if day_stated:
        try:
            return _dt.date(year, a.month, a.day).isoformat()
        except ValueError:
            return None
    return f"{year:04d}-{a.month:02d}"


_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS = frozenset(_MONTHS)  # English month names, lower case
_DAY_MONTH = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>" + "|".join(_MONTHS) + r")"
    r"|(?P<m2>" + "|".join(_MONTHS) + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)\b", re.I)
_WEEKDAY_IN_TEXT = re.compile(r"\b(?:on|last|this|next)\s+(" + "|".join(_WEEKDAYS) + r")\b", re.I)


def _resolve_foreign(phrase: str, pub: _dt.date | None, *, future: bool, lang: Language) -> tuple[str, str | None, float | None]:
    """``resolve_date`` in another language, through dateparser's bundled language data (no network)."""
    p = " ".join(phrase.split())
    words = set(re.findall(r"[^\W\d_]+", p.lower()))
    year = re.fullmatch(r"\D{0,12}?(1[5-9]\d\d|20\d\d)\D{0,3}", p)
    if year and not words & set(lang.months):  # "2019", "im Jahr 2019"; "Mai 2023" is a month
        return "year", year.group(1), float(year.group(1))
    if re.fullmatch(r"\d{1,2}", p):
        return "date", None, None
    import dateparser

    base = _dt.datetime.combine(pub, _dt.time(12)) if pub else None
    settings = {"PREFER_DATES_FROM": "future" if future else "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    try:
        d = dateparser.parse(p, languages=[lang.code], settings=settings)
    except (ValueError, OverflowError):  # pragma: no cover - dateparser raises on odd input
        d = None
    if d is None:
        return "date", None, None
    # a day when the phrase gives one ("12 мая") or names it by a word ("mardi", "gestern"); else a month
    names_day = not re.search(r"\d", p) or bool(re.search(r"(?<!\d)\d{1,2}(?!\d)", p))
    return "date", d.date().isoformat() if names_day else d.strftime("%Y-%m"), None


def days_in(text: str, language: str | None = None) -> list[tuple[str, int, int, int]]:
    """Calendar days a sentence names, unresolved: ("date", month * 100 + day, start, end) for
    "12 March" / "March 12" (or "12. Mai", "12 мая", "12 de mayo" in ``language``),
    ("weekday", 0..6, start, end) for "on Sunday"."""
    lang = language_of(language)
    if lang is not None:
        return [("date", lang.months[m.group(2).lower()] * 100 + int(m.group(1)), m.start(), m.end())
                for m in _foreign_day_month(lang).finditer(text) if 1 <= int(m.group(1)) <= 31]
    out = []
    for m in _DAY_MONTH.finditer(text):
        day = int(m.group("d1") or m.group("d2"))
        month = _MONTHS[(m.group("m1") or m.group("m2")).lower()]
        if 1 <= day <= 31:
            out.append(("date", month * 100 + day, m.start(), m.end()))
    for m in _WEEKDAY_IN_TEXT.finditer(text):
        out.append(("weekday", _WEEKDAYS.index(m.group(1).lower()), m.start(), m.end()))
    return out


_FOREIGN_DAY_MONTH: dict[str, re.Pattern] = {}


def _foreign_day_month(lang: Language) -> re.Pattern:
    if lang.code not in _FOREIGN_DAY_MONTH:
        months = "|".join(sorted(map(re.escape, lang.months), key=len, reverse=True))
        _FOREIGN_DAY_MONTH[lang.code] = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s+(?:de\s+)?({months})(?!\w)", re.I)
    return _FOREIGN_DAY_MONTH[lang.code]
